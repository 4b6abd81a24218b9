// Writing a model struct from its StructInfo, in the order its members came when it was decoded
// (MemberLayout), with the members a tolerant decode could not read written as they came.
#include "chathooks/extra_members.hpp"
#include "json/codec_ops.hpp"
#include "json/member_layout.hpp"

namespace chathooks {

const Json* ExtraMembers::unreadable(std::string_view name) const noexcept {
  if (!layout_) return nullptr;
  for (const auto& kept : layout_->unreadable)
    if (kept.name == name) return &kept.raw;
  return nullptr;
}

namespace detail {
namespace {

// Writes unreadable member `i` as it came (null when nothing was kept for it, which only code
// that set the state itself can cause).
void write_unreadable(const MemberInfo& m, std::size_t i, const MemberLayout* layout, Writer& w) {
  w.KnownKey(m.name);  // describe() checked that member names need no escaping
  const Json* raw =
      layout != nullptr ? layout->unreadable_value(static_cast<std::uint8_t>(i)) : nullptr;
  if (raw != nullptr) {
    write_json(*raw, w);
  } else {
    w.Null();
  }
}

// Rare ("-0" read into an integer member): member `i` written as it came while its value is the
// one it was read as.
void write_spelled(const void* object, const StructInfo& info, std::size_t i,
                   const MemberLayout::Spelling& spelling, const MemberLayout* layout, Writer& w) {
  if (!info.present(object, i)) return;
  const MemberInfo& m = info.members[i];
  const void* member = info.member(object, i);
  if (m.unreadable(member)) return write_unreadable(m, i, layout, w);
  w.KnownKey(m.name);
  const Writer::Mark start = w.mark();
  m.encode(member, w);
  if (w.since(start) == spelling.decoded) {
    w.rewind(start);
    write_raw_number(w, spelling.text);
  }
}

// Writes known member `i` when present: one indirect call for the common case.
void write_member(const void* object, const StructInfo& info, std::size_t i,
                  const MemberLayout* layout, Writer& w) {
  const MemberInfo& m = info.members[i];
  const void* member = info.member(object, i);
  if (layout != nullptr && !layout->spellings.empty()) {
    if (const auto* spelling = layout->spelling(static_cast<std::uint8_t>(i)))
      return write_spelled(object, info, i, *spelling, layout, w);
  }
  if (m.write(member, m.name, w) == MemberState::unreadable) write_unreadable(m, i, layout, w);
}

// Writes an unknown member, unless it repeats the name of a present known member (only
// possible when code put it there): the output would be ambiguous, and the typed member wins.
void write_extra(const void* object, const StructInfo& info, const std::string& key,
                 const Json& value, Writer& w) {
  for (std::size_t i = 0; i < info.count; ++i) {
    if (info.members[i].name == key && info.present(object, i)) return;
  }
  write_key(w, key);
  write_json(value, w);
}

}  // namespace

void encode_struct(const void* object, const StructInfo& info, Writer& w) {
  const ExtraMembers& extras = *info.extras(object);
  const MemberLayout* layout = LayoutAccess::get(extras);
  const std::string& order = LayoutAccess::order(extras);
  w.StartObject();
  std::uint64_t written = 0;  // known members already written, by index
  auto next_extra = extras.begin();
  if (order.empty()) {
    // The members came in the documented order, unknown ones last (or the struct was built in
    // code: nothing came): those that came, then those set since. One look at each member
    // writes those that came and leaves only those set since (rare) to the last loop.
    const std::uint64_t came = LayoutAccess::known_came(extras);
    std::uint64_t set_since = 0;
    for (std::size_t i = 0; i < info.count; ++i) {
      if ((came & (std::uint64_t{1} << i)) != 0) {
        write_member(object, info, i, layout, w);
      } else if (info.present(object, i)) {
        set_since |= std::uint64_t{1} << i;
      }
    }
    written = ~set_since;
    for (std::size_t n = LayoutAccess::extras_came(extras); n > 0 && next_extra != extras.end();
         --n, ++next_extra) {
      write_extra(object, info, next_extra->first, next_extra->second, w);
    }
  } else {
    for (const char byte : order) {
      const auto entry = static_cast<std::uint8_t>(byte);
      if (entry == MemberLayout::kExtra) {
        if (next_extra != extras.end()) {
          write_extra(object, info, next_extra->first, next_extra->second, w);
          ++next_extra;
        }
      } else if (entry < info.count && (written & (std::uint64_t{1} << entry)) == 0) {
        write_member(object, info, entry, layout, w);
        written |= std::uint64_t{1} << entry;
      }
    }
  }
  // Known members not written yet (set since the decode, or left out of the order): rare, so
  // looked for only when there are any.
  const std::uint64_t all =
      info.count >= 64 ? ~std::uint64_t{0} : (std::uint64_t{1} << info.count) - 1;
  if (const std::uint64_t left = ~written & all; left != 0) {
    for (std::size_t i = 0; i < info.count; ++i) {
      if (((left >> i) & 1) != 0 && info.present(object, i))
        write_member(object, info, i, layout, w);
    }
  }
  for (; next_extra != extras.end(); ++next_extra)
    write_extra(object, info, next_extra->first, next_extra->second, w);
  w.EndObject();
}

}  // namespace detail
}  // namespace chathooks
