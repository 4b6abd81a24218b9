// Field<T>: a JSON member that can be absent, explicitly null, or hold a value. Every member of
// the typed payload models is a Field, so that decoding then encoding keeps "absent" and "null"
// apart, and so that a partial update can say "leave it" (absent) or "clear it" (null).
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
  Field(std::nullptr_t) noexcept : null_(true) {}  // NOLINT implicit
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
  bool is_absent() const noexcept { return !null_ && !value_.has_value(); }
  /// Whether the member is present with the value `null`.
  bool is_null() const noexcept { return null_; }
  /// Present in the JSON, as null or as a value.
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
    null_ = false;
    return value_.emplace(std::forward<Args>(args)...);
  }
  /// Makes the Field null.
  void set_null() noexcept {
    value_.reset();
    null_ = true;
  }
  /// Makes the Field absent.
  void reset() noexcept {
    value_.reset();
    null_ = false;
  }

  /// Equal when both are absent, both are null, or both hold equal values.
  friend bool operator==(const Field& a, const Field& b) {
    return a.null_ == b.null_ && a.value_ == b.value_;
  }
  /// !(a == b).
  friend bool operator!=(const Field& a, const Field& b) { return !(a == b); }

 private:
  std::optional<T> value_;
  bool null_ = false;
};

}  // namespace chathooks
