// OpenEnum<E>: an enumerated string member that keeps any value it receives. Platforms add
// statuses, media types and channels over time; a decoder that rejected them would drop real
// deliveries. The text is kept exactly (and re-encoded exactly); kind() maps it to a C++
// enumerator when the documents list it (ASCII case-insensitively), or to E::unknown.
// Thread-safety: a plain value type.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <utility>

namespace chathooks {

/// Specialise with `static constexpr std::pair<E, std::string_view> values[]` listing each
/// known enumerator and its canonical text. E must have an enumerator named `unknown`.
template <class E>
struct EnumNames;

namespace detail {
constexpr bool ascii_iequal(std::string_view a, std::string_view b) noexcept {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    char x = a[i];
    char y = b[i];
    if (x >= 'A' && x <= 'Z') x = static_cast<char>(x - 'A' + 'a');
    if (y >= 'A' && y <= 'Z') y = static_cast<char>(y - 'A' + 'a');
    if (x != y) return false;
  }
  return true;
}
}  // namespace detail

/// A string member with a set of known values (see the header comment): the text as received
/// plus the enumerator of E it names, E::unknown for any other text. E needs an EnumNames<E>
/// specialisation.
template <class E>
class OpenEnum {
 public:
  /// The C++ enumeration of the known values.
  using enum_type = E;

  /// Empty text, kind unknown.
  OpenEnum() = default;
  /// A known value, written with its canonical text.
  OpenEnum(E known) : text_(canonical_text(known)), kind_(known) {}  // NOLINT implicit
  /// Any text, as received.
  explicit OpenEnum(std::string text) : text_(std::move(text)), kind_(kind_of(text_)) {}

  /// The text as received or written.
  const std::string& text() const noexcept { return text_; }
  /// The enumerator for the text, or E::unknown when no document lists it.
  E kind() const noexcept { return kind_; }
  /// Whether the text names a known enumerator (kind() is not E::unknown).
  bool is_known() const noexcept { return kind_ != E::unknown; }

  /// The canonical text of a known enumerator ("" for unknown).
  static std::string_view canonical_text(E value) noexcept {
    for (const auto& entry : EnumNames<E>::values)
      if (entry.first == value) return entry.second;
    return {};
  }
  /// The enumerator for `text`, matched ASCII case-insensitively.
  static E kind_of(std::string_view text) noexcept {
    for (const auto& entry : EnumNames<E>::values)
      if (detail::ascii_iequal(entry.second, text)) return entry.first;
    return E::unknown;
  }

  /// Same text, byte for byte: "SENT" and "sent" differ here though both are known as sent.
  friend bool operator==(const OpenEnum& a, const OpenEnum& b) { return a.text_ == b.text_; }
  /// !(a == b).
  friend bool operator!=(const OpenEnum& a, const OpenEnum& b) { return !(a == b); }
  /// Same known enumerator (never true for E::unknown: unknown texts differ among themselves).
  friend bool operator==(const OpenEnum& a, E b) { return b != E::unknown && a.kind_ == b; }
  /// !(a == b): also true for every text when `b` is E::unknown.
  friend bool operator!=(const OpenEnum& a, E b) { return !(a == b); }

 private:
  std::string text_;
  E kind_ = E::unknown;
};

}  // namespace chathooks
