// What ExtraMembers remembers of a decoded struct beyond its unknown members: the raw values of
// the known members a tolerant decode could not read, numbers' spellings, and (through
// LayoutAccess) the order its members came in. Private to the library.
// Thread-safety: built by one decoder, then immutable and shared by the struct's copies.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "chathooks/extra_members.hpp"
#include "chathooks/json.hpp"

namespace chathooks::detail {

struct MemberLayout {
  /// The order a decoded struct's members came in (LayoutAccess::order) is a string of bytes,
  /// one per member: a known member's index in the StructInfo, or kExtra for the next unknown
  /// member (ExtraMembers' entries are taken in their order). It is empty when they came in the
  /// order encoding uses anyway (known ones in the documented order, then unknown ones), which
  /// is the common case and costs nothing.
  static constexpr std::uint8_t kExtra = 0xFF;
  /// A known member a tolerant decode could not read, with its value as it came.
  struct Unreadable {
    std::uint8_t member;
    std::string_view name;  // the member table's name (static storage)
    Json raw;
  };
  std::vector<Unreadable> unreadable;
  /// A known member's number whose value does not give back its text ("-0" read as the
  /// integer 0): written as it came while the member still encodes as `decoded` did.
  struct Spelling {
    std::uint8_t member;
    std::string text;
    std::string decoded;
  };
  std::vector<Spelling> spellings;

  const Json* unreadable_value(std::uint8_t member) const noexcept {
    for (const auto& kept : unreadable)
      if (kept.member == member) return &kept.raw;
    return nullptr;
  }
  const Spelling* spelling(std::uint8_t member) const noexcept {
    for (const auto& kept : spellings)
      if (kept.member == member) return &kept;
    return nullptr;
  }
};

struct LayoutAccess {
  static const MemberLayout* get(const ExtraMembers& extra) noexcept { return extra.layout_.get(); }
  static std::uint64_t known_came(const ExtraMembers& extra) noexcept { return extra.known_came_; }
  static std::size_t extras_came(const ExtraMembers& extra) noexcept { return extra.extras_came_; }
  /// The order the members came in (see MemberLayout::kExtra); empty for the usual order.
  static const std::string& order(const ExtraMembers& extra) noexcept { return extra.order_; }
  static std::string& order(ExtraMembers& extra) noexcept { return extra.order_; }
  /// Records, once a struct's decode ends, which members came.
  static void set_came(ExtraMembers& extra, std::uint64_t known) noexcept {
    extra.known_came_ = known;
    extra.extras_came_ = extra.size();
  }
  /// The layout to fill while decoding, made on first use (a copy when another struct shares
  /// it, so that a decode never changes what a copy remembers).
  static MemberLayout& edit(ExtraMembers& extra) {
    if (!extra.layout_ || extra.layout_.use_count() > 1) {
      auto fresh = extra.layout_ ? std::make_shared<MemberLayout>(*extra.layout_)
                                 : std::make_shared<MemberLayout>();
      MemberLayout& out = *fresh;
      extra.layout_ = std::move(fresh);
      return out;
    }
    // Owned by this struct alone, and made non-const by edit() itself.
    return const_cast<MemberLayout&>(*extra.layout_);
  }
};

}  // namespace chathooks::detail
