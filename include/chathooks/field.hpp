// Field<T>: a JSON member that can be absent, explicitly null, or hold a value; or, after a
// tolerant decode (DecodeMode::tolerant), be present with a value that could not be read as T
// ("unreadable": the enclosing struct keeps that value as it came and encodes it unchanged).
// Every member of the typed payload models is a Field, so that decoding then encoding keeps
// "absent" and "null" apart, and so that a partial update can say "leave it" (absent) or "clear
// it" (null).
// Thread-safety: a plain value type.
#pragma once

#include <cstddef>
#include <memory>
#include <new>
#include <stdexcept>
#include <type_traits>
#include <utility>

namespace chathooks {
namespace detail {
struct FieldAccess;  // the decoder's access to emplace_for_decode()
}  // namespace detail

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
  Field() noexcept {}
  /// Null: the member is present with the value `null`.
  Field(std::nullptr_t) noexcept : state_(State::null) {}  // NOLINT implicit
  /// A value, copied. Implicit, so `field = value;` reads naturally.
  Field(const T& v) { construct(v); }  // NOLINT implicit
  /// A value, moved in.
  Field(T&& v) { construct(std::move(v)); }  // NOLINT implicit
  /// A value constructed from `v`, for anything T is constructible from (a string literal for
  /// a Field<std::string>, an int for a Field<std::int64_t>).
  template <class U, class = std::enable_if_t<std::is_constructible_v<T, U&&> &&
                                              !std::is_same_v<std::decay_t<U>, Field> &&
                                              !std::is_same_v<std::decay_t<U>, T> &&
                                              !std::is_same_v<std::decay_t<U>, std::nullptr_t>>>
  Field(U&& v) {  // NOLINT implicit
    construct(std::forward<U>(v));
  }
  /// A copy: the same state, and a copy of the value.
  Field(const Field& other) : state_(other.state_) {
    if (other.engaged_) construct(other.value_);
  }
  /// Takes the state and the value over (the value moved; `other` keeps a moved-from one).
  Field(Field&& other) noexcept(std::is_nothrow_move_constructible_v<T>) : state_(other.state_) {
    if (other.engaged_) construct(std::move(other.value_));
  }
  /// Copies the state and the value.
  Field& operator=(const Field& other) {
    if (this != &other) assign(other.engaged_, other.value_, other.state_);
    return *this;
  }
  /// Takes the state and the value over (the value moved; `other` keeps a moved-from one).
  Field& operator=(Field&& other) noexcept(
      std::is_nothrow_move_constructible_v<T>&& std::is_nothrow_move_assignable_v<T>) {
    if (this != &other) assign(other.engaged_, std::move(other.value_), other.state_);
    return *this;
  }
  /// Destroys the value, if any.
  ~Field() { destroy(); }

  /// A null Field, for readability at call sites: `contact.email = Field<std::string>::null();`.
  static Field null() noexcept { return Field(nullptr); }

  /// Whether the member is not in the JSON at all.
  bool is_absent() const noexcept { return state_ == State::plain && !engaged_; }
  /// Whether the member is present with the value `null`.
  bool is_null() const noexcept { return state_ == State::null; }
  /// Whether the member is present with a value a tolerant decode could not read as T (an
  /// unexpected type or format). The struct's `extra.unreadable(name)` holds that value, and
  /// encoding writes it unchanged, until the Field is given a value, null or reset.
  bool is_unreadable() const noexcept { return state_ == State::unreadable; }
  /// Present in the JSON: null, a value, or unreadable.
  bool is_present() const noexcept { return !is_absent(); }
  /// Whether a value is held (neither absent nor null).
  bool has_value() const noexcept { return engaged_; }
  /// Same as has_value().
  explicit operator bool() const noexcept { return has_value(); }

  /// The value. Throws BadFieldAccess when absent or null.
  T& value() & {
    if (!engaged_) throw BadFieldAccess();
    return value_;
  }
  /// The value. Throws BadFieldAccess when absent or null.
  const T& value() const& {
    if (!engaged_) throw BadFieldAccess();
    return value_;
  }
  /// The value, moved out. Throws BadFieldAccess when absent or null.
  T&& value() && {
    if (!engaged_) throw BadFieldAccess();
    return std::move(value_);
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
  T* get() noexcept { return engaged_ ? std::addressof(value_) : nullptr; }
  /// A pointer to the value, or nullptr when absent or null.
  const T* get() const noexcept { return engaged_ ? std::addressof(value_) : nullptr; }

  /// A copy of the value, or `fallback` converted to T when absent or null.
  template <class U>
  T value_or(U&& fallback) const& {
    return engaged_ ? value_ : static_cast<T>(std::forward<U>(fallback));
  }

  /// Makes the Field hold a value constructed in place and returns it.
  template <class... Args>
  T& emplace(Args&&... args) {
    destroy();
    state_ = State::plain;
    construct(std::forward<Args>(args)...);
    return value_;
  }
  /// Makes the Field null.
  void set_null() noexcept {
    destroy();
    state_ = State::null;
  }
  /// Makes the Field absent.
  void reset() noexcept {
    destroy();
    state_ = State::plain;
  }
  /// Makes the Field unreadable (what a tolerant decode does; see is_unreadable()).
  void set_unreadable() noexcept {
    destroy();
    state_ = State::unreadable;
  }

  /// Equal when both are absent, both are null, both are unreadable, or both hold equal values.
  friend bool operator==(const Field& a, const Field& b) {
    if (a.state_ != b.state_ || a.engaged_ != b.engaged_) return false;
    return !a.engaged_ || a.value_ == b.value_;
  }
  /// !(a == b).
  friend bool operator!=(const Field& a, const Field& b) { return !(a == b); }

 private:
  friend struct detail::FieldAccess;
  // plain: absent, or the value in value_.
  enum class State : unsigned char { plain, null, unreadable };

  // The arguments convert as T's constructor takes them, undiagnosed, as they did when this
  // was std::optional's in-place construction inside a system header: a conversion the caller
  // asked for (`field.emplace(3, 'x')` for a string) is not this header's to warn about.
#if defined(__GNUC__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wconversion"
#pragma GCC diagnostic ignored "-Wsign-conversion"
#endif
  template <class... Args>
  void construct(Args&&... args) {
    ::new (static_cast<void*>(std::addressof(value_))) T(std::forward<Args>(args)...);
    engaged_ = true;
  }
#if defined(__GNUC__)
#pragma GCC diagnostic pop
#endif
  void destroy() noexcept {
    if (engaged_) {
      value_.~T();
      engaged_ = false;
    }
  }
  template <class V>
  void assign(bool engaged, V&& value, State state) {
    if (engaged && engaged_) {
      value_ = std::forward<V>(value);
    } else if (engaged) {
      construct(std::forward<V>(value));
    } else {
      destroy();
    }
    state_ = state;
  }
  // What the decoder fills in: a class value default-initialized, not value-initialized, which
  // for the library's types (whose members all initialize themselves) is the same value without
  // first zeroing every byte of a large struct.
  T& emplace_for_decode() {
    destroy();
    state_ = State::plain;
    if constexpr (std::is_class_v<T>) {
      ::new (static_cast<void*>(std::addressof(value_))) T;
      engaged_ = true;
    } else {
      construct();
    }
    return value_;
  }

  // The value, alive exactly when engaged_. (Not a std::optional: that can only value-initialize
  // a value it makes without arguments; see emplace_for_decode().)
  union {
    T value_;
  };
  // Both zero exactly when the Field is absent: the encoder reads the two bytes directly (see
  // detail::FieldAccess::presence()), so keep them together and in this order.
  bool engaged_ = false;
  State state_ = State::plain;
};

}  // namespace chathooks
