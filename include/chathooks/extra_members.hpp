// ExtraMembers: the `extra` of every typed payload struct. It is the JsonObject of the members
// the documents never mention (in the order they came), and it also remembers, for a struct
// that was decoded, where those members stood among the known ones and the raw value of each
// known member a tolerant decode could not read (DecodeMode::tolerant), so that encoding gives
// back the payload as it came.
// Encoding order: a decoded struct is written in the order its members came, known and unknown
// interleaved. Members set after decoding that did not come are written after those that did:
// known ones in the documented order, then new unknown ones in insertion order. A member that
// came and was removed is not written; removing an unknown member moves the unknown members
// after it up by one place. A struct built in code (never decoded) is written with its known
// members in the documented order, then its unknown ones.
// Thread-safety: a plain value type (the remembered layout is immutable and shared by copies).
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>

#include "chathooks/export.hpp"
#include "chathooks/json.hpp"

namespace chathooks {
namespace detail {
struct MemberLayout;
struct LayoutAccess;
}  // namespace detail

/// A struct's unknown members, in order, and its decoded layout; see the header comment.
class CHATHOOKS_API ExtraMembers : public JsonObject {
 public:
  using JsonObject::JsonObject;
  /// No members.
  ExtraMembers() = default;
  /// The members of `members`, in order (no decoded layout).
  ExtraMembers(JsonObject members) noexcept  // NOLINT implicit
      : JsonObject(std::move(members)) {}

  /// The raw value a tolerant decode kept for the known member `name`, which it could not read
  /// (its Field was is_unreadable() after the decode); nullptr when none was kept. Encoding
  /// writes it while that Field stays unreadable; once the Field is given a value, null or
  /// reset, the Field is written instead (this keeps returning the value that came).
  const Json* unreadable(std::string_view name) const noexcept;

 private:
  friend struct detail::LayoutAccess;
  std::shared_ptr<const detail::MemberLayout> layout_;
  // The order the members came in, when it is not the order encoding uses anyway (see
  // MemberLayout::kExtra for its bytes); empty otherwise. Kept here, not in layout_, so that the
  // common reordering (an unknown member before a known one) needs no allocation: up to 15
  // members fit the string's own buffer.
  std::string order_;
  // The known members that came (a bit per index in the struct's member table) and how many
  // unknown ones came: members set later are written after them. Zero for a struct built in
  // code.
  std::uint64_t known_came_ = 0;
  std::size_t extras_came_ = 0;
};

}  // namespace chathooks
