// Field<T>: a JSON member that can be absent, explicitly null, or hold a value; or, after a
// tolerant decode (DecodeMode::tolerant), be present with a value that could not be read as T
// ("unreadable": the enclosing struct keeps that value as it came and encodes it unchanged).
// Every member of the typed payload models is a Field, so that decoding then encoding keeps
// "absent" and "null" apart, and so that a partial update can say "leave it" (absent) or "clear
// it" (null).
// Thread-safety: a plain value type.
#pragma once

#include <cstddef>
#include <optional>
#include <stdexcept>
#include <type_traits>
#include <utility>

namespace chathooks {

/// Thrown only when code reads the value of a Field that holds none: a bug in the caller.
class BadFieldAccess : public std::logic_error {
 public:
  /// what() says that the Field holds no value.
  BadFieldAccess() : std::logic_error("chathooks::Field has no value (absent or null)") {}
};

/// A JSON member of type T that is absent, null, or holds a value (see the header comment).
/// Reading the value of an absent or null Field throws BadFieldAccess, operator* and operator->
/// included; get() and value_or() never throw.
template <class T>
class Field {
 public:
  /// The type of the value.
  using value_type = T;

  /// Absent: the member is not in the JSON at all.
  Field() = default;
  /// Null: the member is present with the value `null`.
  Field(std::nullptr_t) noexcept : state_(State::null) {}  // NOLINT implicit
  /// A value, copied. Implicit, so `field = value;` reads naturally.
  Field(const T& v) : value_(v) {}  // NOLINT implicit
  /// A value, moved in.
  Field(T&& v) : value_(std::move(v)) {}  // NOLINT implicit
  /// A value constructed from `v`, for anything T is constructible from (a string literal for
  /// a Field<std::string>, an int for a Field<std::int64_t>).
  template <class U, class = std::enable_if_t<std::is_constructible_v<T, U&&> &&
                                              !std::is_same_v<std::decay_t<U>, Field> &&
                                              !std::is_same_v<std::decay_t<U>, T> &&
                                              !std::is_same_v<std::decay_t<U>, std::nullptr_t>>>
  Field(U&& v) : value_(std::in_place, std::forward<U>(v)) {}  // NOLINT implicit

  /// A null Field, for readability at call sites: `contact.email = Field<std::string>::null();`.
  static Field null() noexcept { return Field(nullptr); }

  /// Whether the member is not in the JSON at all.
  bool is_absent() const noexcept { return state_ == State::plain && !value_.has_value(); }
  /// Whether the member is present with the value `null`.
  bool is_null() const noexcept { return state_ == State::null; }
  /// Whether the member is present with a value a tolerant decode could not read as T (an
  /// unexpected type or format). The struct's `extra.unreadable(name)` holds that value, and
  /// encoding writes it unchanged, until the Field is given a value, null or reset.
  bool is_unreadable() const noexcept { return state_ == State::unreadable; }
  /// Present in the JSON: null, a value, or unreadable.
  bool is_present() const noexcept { return !is_absent(); }
  /// Whether a value is held (neither absent nor null).
  bool has_value() const noexcept { return value_.has_value(); }
  /// Same as has_value().
  explicit operator bool() const noexcept { return has_value(); }

  /// The value. Throws BadFieldAccess when absent or null.
  T& value() & {
    if (!value_) throw BadFieldAccess();
    return *value_;
  }
  /// The value. Throws BadFieldAccess when absent or null.
  const T& value() const& {
    if (!value_) throw BadFieldAccess();
    return *value_;
  }
  /// The value, moved out. Throws BadFieldAccess when absent or null.
  T&& value() && {
    if (!value_) throw BadFieldAccess();
    return std::move(*value_);
  }
  /// value(): throws BadFieldAccess when absent or null.
  T& operator*() & { return value(); }
  /// value(): throws BadFieldAccess when absent or null.
  const T& operator*() const& { return value(); }
  /// &value(): throws BadFieldAccess when absent or null.
  T* operator->() { return &value(); }
  /// &value(): throws BadFieldAccess when absent or null.
  const T* operator->() const { return &value(); }

  /// A pointer to the value, or nullptr when absent or null.
  T* get() noexcept { return value_ ? &*value_ : nullptr; }
  /// A pointer to the value, or nullptr when absent or null.
  const T* get() const noexcept { return value_ ? &*value_ : nullptr; }

  /// A copy of the value, or `fallback` converted to T when absent or null.
  template <class U>
  T value_or(U&& fallback) const& {
    return value_ ? *value_ : static_cast<T>(std::forward<U>(fallback));
  }

  /// Makes the Field hold a value constructed in place and returns it.
  template <class... Args>
  T& emplace(Args&&... args) {
    state_ = State::plain;
    return value_.emplace(std::forward<Args>(args)...);
  }
  /// Makes the Field null.
  void set_null() noexcept {
    value_.reset();
    state_ = State::null;
  }
  /// Makes the Field absent.
  void reset() noexcept {
    value_.reset();
    state_ = State::plain;
  }
  /// Makes the Field unreadable (what a tolerant decode does; see is_unreadable()).
  void set_unreadable() noexcept {
    value_.reset();
    state_ = State::unreadable;
  }

  /// Equal when both are absent, both are null, both are unreadable, or both hold equal values.
  friend bool operator==(const Field& a, const Field& b) {
    return a.state_ == b.state_ && a.value_ == b.value_;
  }
  /// !(a == b).
  friend bool operator!=(const Field& a, const Field& b) { return !(a == b); }

 private:
  // plain: absent, or the value in value_.
  enum class State : unsigned char { plain, null, unreadable };
  std::optional<T> value_;
  State state_ = State::plain;
};

}  // namespace chathooks
