// Describing a model struct's JSON mapping once: a table of members built with member<>() and
// a StructInfo, from which decoding, encoding and error pointers all follow, so the three can
// never disagree about a member's name.
//
//   const StructInfo& struct_info(const flw::File*) {
//     static const MemberInfo members[] = {
//         member<&flw::File::public_url>("publicUrl"),
//         member<&flw::File::size>("size"),
//     };
//     return describe<flw::File>(members);
//   }
//
// Every member must be a Field<T>; unknown members go to the struct's `extra` JsonObject.
// Private to the library. Thread-safety: the tables are immutable once built.
#pragma once

#include <array>
#include <cstddef>
#include <cstdio>
#include <cstdlib>
#include <string_view>
#include <type_traits>

#include "json/codec_ops.hpp"

namespace chathooks::detail {

template <class P>
struct MemberPointer;
template <class S, class M>
struct MemberPointer<M S::*> {
  using Struct = S;
  using Member = M;
};

/// The description of one member: its JSON name and the C++ member it maps to.
template <auto Ptr>
constexpr MemberInfo member(std::string_view json_name) {
  using S = typename MemberPointer<decltype(Ptr)>::Struct;
  using M = typename MemberPointer<decltype(Ptr)>::Member;
  return MemberInfo{
      json_name,
      [](const void* o) -> const void* { return &(static_cast<const S*>(o)->*Ptr); },
      &Codec<M>::decode,
      &Codec<M>::encode,
      &Codec<M>::reset,
      &Codec<M>::unreadable,
      &Codec<M>::set_unreadable,
      &Codec<M>::write,
      [](const void* m) { return FieldAccess::presence(*static_cast<const M*>(m)); },
  };
}

/// Stops the program when a member name would need escaping in JSON: encoding writes member
/// names as they are (Writer::KnownKey). A table is compiled in, so this is a programming
/// error, found once per table, on its first use (tests/json/json_writer_test.cpp checks every
/// table's source too).
inline void require_plain_names(const MemberInfo* members, std::size_t count) {
  for (std::size_t i = 0; i < count; ++i) {
    if (json_escape::is_plain(members[i].name)) continue;
    std::fprintf(stderr, "chathooks: member name \"%.*s\" needs escaping in JSON\n",
                 static_cast<int>(members[i].name.size()), members[i].name.data());
    std::abort();
  }
}

/// The StructInfo of S from its member table; unknown members are kept in S::extra (an
/// ExtraMembers). Called once per S (from its struct_info()).
template <class S, std::size_t N>
StructInfo describe(const MemberInfo (&members)[N]) {
  static_assert(N <= 64, "the decoder tracks seen members in a 64-bit mask");
  static_assert(std::is_same_v<decltype(S::extra), ExtraMembers>, "S::extra must be ExtraMembers");
  require_plain_names(members, N);
  // Each member's offset, measured once on a default-constructed S, so that the decoder finds
  // a member by adding it rather than through an indirect call per member name.
  // The same for the bytes that say whether each member is absent (FieldAccess::presence()).
  // And where `extra` is.
  using Offsets = std::array<std::size_t, N>;
  struct Measured {
    Offsets members;
    Offsets presence;
    std::size_t extras;
  };
  static const Measured offsets = [&] {
    Measured out{};
    const S probe{};
    const auto* base = reinterpret_cast<const char*>(&probe);
    const auto offset = [&](const void* p) {
      return static_cast<std::size_t>(static_cast<const char*>(p) - base);
    };
    for (std::size_t i = 0; i < N; ++i) {
      const void* m = members[i].cget(&probe);
      out.members[i] = offset(m);
      out.presence[i] = offset(members[i].presence(m));
    }
    out.extras = offset(&probe.extra);
    return out;
  }();
  std::uint64_t name_bits = 0;
  for (const MemberInfo& m : members) name_bits |= name_bit(m.name);
  return StructInfo{
      members, N, offsets.members.data(), offsets.presence.data(), offsets.extras, name_bits,
  };
}

}  // namespace chathooks::detail
