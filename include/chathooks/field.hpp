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
  BadFieldAccess() : std::logic_error("chathooks::Field has no value (absent or null)") {}
};

template <class T>
class Field {
 public:
  using value_type = T;

  /// Absent: the member is not in the JSON at all.
  Field() = default;
  /// Null: the member is present with the value `null`.
  Field(std::nullptr_t) noexcept : null_(true) {}  // NOLINT implicit
  /// A value.
  Field(const T& v) : value_(v) {}        // NOLINT implicit
  Field(T&& v) : value_(std::move(v)) {}  // NOLINT implicit
  template <class U, class = std::enable_if_t<std::is_constructible_v<T, U&&> &&
                                              !std::is_same_v<std::decay_t<U>, Field> &&
                                              !std::is_same_v<std::decay_t<U>, T> &&
                                              !std::is_same_v<std::decay_t<U>, std::nullptr_t>>>
  Field(U&& v) : value_(std::in_place, std::forward<U>(v)) {}  // NOLINT implicit

  /// A null Field, for readability at call sites: `contact.email = Field<std::string>::null();`.
  static Field null() noexcept { return Field(nullptr); }

  bool is_absent() const noexcept { return !null_ && !value_.has_value(); }
  bool is_null() const noexcept { return null_; }
  /// Present in the JSON, as null or as a value.
  bool is_present() const noexcept { return !is_absent(); }
  bool has_value() const noexcept { return value_.has_value(); }
  explicit operator bool() const noexcept { return has_value(); }

  /// The value. Throws BadFieldAccess when absent or null.
  T& value() & {
    if (!value_) throw BadFieldAccess();
    return *value_;
  }
  const T& value() const& {
    if (!value_) throw BadFieldAccess();
    return *value_;
  }
  T&& value() && {
    if (!value_) throw BadFieldAccess();
    return std::move(*value_);
  }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

  /// A pointer to the value, or nullptr when absent or null.
  T* get() noexcept { return value_ ? &*value_ : nullptr; }
  const T* get() const noexcept { return value_ ? &*value_ : nullptr; }

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

  friend bool operator==(const Field& a, const Field& b) {
    return a.null_ == b.null_ && a.value_ == b.value_;
  }
  friend bool operator!=(const Field& a, const Field& b) { return !(a == b); }

 private:
  std::optional<T> value_;
  bool null_ = false;
};

}  // namespace chathooks
