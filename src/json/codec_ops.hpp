// How each C++ type of the payload models is decoded from SAX events and encoded to JSON:
// Codec<T> for strings, numbers, booleans, Timestamp, Json, vectors, OrderedMap, Field and the
// model structs (through their StructInfo, see schema.hpp). Private to the library.
// Thread-safety: stateless functions.
#pragma once

#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <type_traits>
#include <vector>

#include "chathooks/field.hpp"
#include "chathooks/json.hpp"
#include "chathooks/open_enum.hpp"
#include "chathooks/ordered_map.hpp"
#include "chathooks/timestamp.hpp"
#include "json/decoder.hpp"
#include "json/writer.hpp"

namespace chathooks::detail {

/// Primary template: model structs, described by a StructInfo returned by
/// `struct_info(static_cast<const T*>(nullptr))` (found by argument-dependent lookup).
template <class T, class Enable = void>
struct Codec {
  static bool decode(void* slot, const Value& v, Decoder& d) {
    if (v.kind != Value::Kind::start_object) return d.type_error("object", v);
    return d.push_struct(slot, info());
  }
  static void encode(const void* value, Writer& w);
  // T's StructInfo, kept here: a test of a guard byte instead of a call per struct (the
  // struct_info() functions are out of line, each with its own guarded static).
  static const StructInfo& info() {
    static const StructInfo& kept = struct_info(static_cast<const T*>(nullptr));
    return kept;
  }
};

template <>
struct Codec<std::string> {
  static bool decode(void* slot, const Value& v, Decoder& d) {
    if (v.kind != Value::Kind::string) return d.type_error("string", v);
    static_cast<std::string*>(slot)->assign(v.s.data(), v.s.size());
    return true;
  }
  /// A member's string, built from the parser's bytes (cheaper than default-then-assign).
  static bool decode_field(Field<std::string>& field, const Value& v, Decoder& d) {
    if (v.kind != Value::Kind::string) return d.type_error("string", v);
    field.emplace(v.s.data(), v.s.size());
    return true;
  }
  static void encode(const void* value, Writer& w) {
    write_string(w, *static_cast<const std::string*>(value));
  }
};

template <>
struct Codec<bool> {
  static bool decode(void* slot, const Value& v, Decoder& d) {
    if (v.kind != Value::Kind::boolean) return d.type_error("boolean", v);
    *static_cast<bool*>(slot) = v.b;
    return true;
  }
  static void encode(const void* value, Writer& w) { w.Bool(*static_cast<const bool*>(value)); }
};

template <>
struct Codec<std::int64_t> {
  static bool decode(void* slot, const Value& v, Decoder& d) {
    if (v.kind == Value::Kind::int64) {
      *static_cast<std::int64_t*>(slot) = v.i;
      return true;
    }
    if (v.kind == Value::Kind::uint64) {
      return d.fail(Errc::number_out_of_range,
                    "integer " + std::to_string(v.u) + " does not fit a signed 64-bit integer");
    }
    // RapidJSON hands integers beyond 64 bits over as doubles: a whole number outside the int64
    // range is one of those. (Inside it, a double came from a fraction or an exponent; -2^63
    // itself arrives as an integer, so a double equal to it is -2^63 - 1 rounded.)
    if (v.kind == Value::Kind::double_ && v.d == std::trunc(v.d) &&
        (v.d <= -9223372036854775808.0 || v.d >= 9223372036854775808.0)) {
      return d.fail(Errc::number_out_of_range, "integer does not fit a signed 64-bit integer");
    }
    return d.type_error("integer", v);
  }
  static void encode(const void* value, Writer& w) {
    w.Int64(*static_cast<const std::int64_t*>(value));
  }
};

template <>
struct Codec<double> {
  static bool decode(void* slot, const Value& v, Decoder& d) {
    auto* out = static_cast<double*>(slot);
    switch (v.kind) {
      case Value::Kind::int64:
        *out = static_cast<double>(v.i);
        return true;
      case Value::Kind::uint64:
        *out = static_cast<double>(v.u);
        return true;
      case Value::Kind::double_:
        *out = v.d;
        return true;
      default:
        return d.type_error("number", v);
    }
  }
  static void encode(const void* value, Writer& w) {
    write_double(w, *static_cast<const double*>(value));
  }
};

template <>
struct Codec<Timestamp> {
  static bool decode(void* slot, const Value& v, Decoder& d) {
    return decode_then(v, d, [&](Timestamp&& t) { *static_cast<Timestamp*>(slot) = std::move(t); });
  }
  /// A member's timestamp, parsed before it is stored: a Timestamp made first to be decoded
  /// into would allocate its default text only to drop it.
  static bool decode_field(Field<Timestamp>& field, const Value& v, Decoder& d) {
    return decode_then(v, d, [&](Timestamp&& t) { field.emplace(std::move(t)); });
  }
  template <class Keep>
  static bool decode_then(const Value& v, Decoder& d, Keep&& keep) {
    if (v.kind != Value::Kind::string) return d.type_error("RFC 3339 timestamp string", v);
    auto parsed = Timestamp::parse(v.s);
    if (!parsed)
      return d.fail(Errc::invalid_value, "invalid timestamp: " + parsed.error().message());
    keep(std::move(parsed).value());
    return true;
  }
  static void encode(const void* value, Writer& w) {
    write_string(w, static_cast<const Timestamp*>(value)->text());
  }
};

template <class E>
struct Codec<OpenEnum<E>> {
  static bool decode(void* slot, const Value& v, Decoder& d) {
    if (v.kind != Value::Kind::string) return d.type_error("string", v);
    *static_cast<OpenEnum<E>*>(slot) = OpenEnum<E>(std::string(v.s));
    return true;
  }
  static void encode(const void* value, Writer& w) {
    write_string(w, static_cast<const OpenEnum<E>*>(value)->text());
  }
};

template <>
struct Codec<Json> {
  static bool decode(void* slot, const Value& v, Decoder& d) { return decode_json(slot, v, d); }
  static void encode(const void* value, Writer& w) {
    write_json(*static_cast<const Json*>(value), w);
  }
};

template <class T>
struct Codec<std::vector<T>> {
  static bool append(void* container, const Value& v, Decoder& d) {
    auto* vec = static_cast<std::vector<T>*>(container);
    // Room for four elements at once, not growth by 1, 2, 4 (each moving those before), unless
    // they are very large.
    constexpr std::size_t kFirst = sizeof(T) <= 512 ? 4 : 1;
    if (vec->empty()) vec->reserve(kFirst);
    if constexpr (std::is_same_v<T, std::string>) {
      // Built from the parser's bytes (cheaper than default-then-assign).
      if (v.kind == Value::Kind::string) {
        vec->emplace_back(v.s.data(), v.s.size());
        return true;
      }
    }
    return Codec<T>::decode(&vec->emplace_back(), v, d);
  }
  static const ArrayOps& ops() {
    static const ArrayOps instance{&append};
    return instance;
  }
  static bool decode(void* slot, const Value& v, Decoder& d) {
    if (v.kind != Value::Kind::start_array) return d.type_error("array", v);
    auto* vec = static_cast<std::vector<T>*>(slot);
    vec->clear();
    return d.push_array(vec, ops());
  }
  static void encode(const void* value, Writer& w) {
    w.StartArray();
    for (const T& item : *static_cast<const std::vector<T>*>(value)) Codec<T>::encode(&item, w);
    w.EndArray();
  }
};

template <class T>
struct Codec<OrderedMap<T>> {
  using Map = OrderedMap<T>;
  static const MapOps& ops() {
    static const MapOps instance{
        [](const void* c) -> std::size_t { return static_cast<const Map*>(c)->size(); },
        [](const void* c, std::size_t i) -> std::string_view {
          return (static_cast<const Map*>(c)->begin() + static_cast<std::ptrdiff_t>(i))->first;
        },
        [](void* c, std::size_t i) -> void* {
          return &(static_cast<Map*>(c)->begin() + static_cast<std::ptrdiff_t>(i))->second;
        },
        [](void* c, std::string_view key) -> void* {
          auto* map = static_cast<Map*>(c);
          // Room for four members at once, not growth by 1, 2, 4 (each moving the entries):
          // fewer allocations and less time, for about 300 bytes more on a one-member object.
          if (map->empty()) map->reserve(4);
          return &map->append(key);
        },
        [](void* c, std::size_t i) {
          (static_cast<Map*>(c)->begin() + static_cast<std::ptrdiff_t>(i))->second = T{};
        },
        &Codec<T>::decode};
    return instance;
  }
  static bool decode(void* slot, const Value& v, Decoder& d) {
    if (v.kind != Value::Kind::start_object) return d.type_error("object", v);
    auto* map = static_cast<Map*>(slot);
    map->clear();
    return d.push_map(map, ops());
  }
  static void encode(const void* value, Writer& w) {
    w.StartObject();
    for (const auto& item : *static_cast<const Map*>(value)) {
      write_key(w, item.first);
      Codec<T>::encode(&item.second, w);
    }
    w.EndObject();
  }
};

/// Writes `field` with its name when it holds a value or null; reports absent and unreadable to
/// the caller, which writes nothing or the value kept as it came.
template <class T>
MemberState write_field(const Field<T>& field, std::string_view name, Writer& w) {
  if (const T* inner = field.get()) {
    w.KnownKey(name);
    Codec<T>::encode(inner, w);
    return MemberState::written;
  }
  if (field.is_null()) {
    w.KnownKey(name);
    w.Null();
    return MemberState::written;
  }
  return field.is_unreadable() ? MemberState::unreadable : MemberState::absent;
}

/// The codec's way into Field: a value to decode into, made without zeroing it first; and the
/// first of the two bytes that are both zero exactly when a Field is absent, which the encoder
/// reads without a call per member (StructInfo::present()).
struct FieldAccess {
  template <class T>
  static T& emplace_for_decode(Field<T>& field) {
    return field.emplace_for_decode();
  }
  template <class T>
  static const void* presence(const Field<T>& field) noexcept {
    static_assert(sizeof(field.engaged_) == 1 && sizeof(field.state_) == 1);
    return &field.engaged_;
  }
};

/// Whether Codec<T> builds a Field<T>'s value itself (decode_field) rather than decoding into
/// one made first.
template <class T, class = void>
constexpr bool kBuildsField = false;
template <class T>
constexpr bool kBuildsField<T, std::void_t<decltype(&Codec<T>::decode_field)>> = true;

template <class T>
struct Codec<Field<T>> {
  static bool decode(void* slot, const Value& v, Decoder& d) {
    auto* field = static_cast<Field<T>*>(slot);
    if (v.kind == Value::Kind::null) {
      field->set_null();
      return true;
    }
    if constexpr (kBuildsField<T>) {
      return Codec<T>::decode_field(*field, v, d);
    } else {
      return Codec<T>::decode(&FieldAccess::emplace_for_decode(*field), v, d);
    }
  }
  static void encode(const void* value, Writer& w) {
    const auto* field = static_cast<const Field<T>*>(value);
    if (const T* inner = field->get()) {
      Codec<T>::encode(inner, w);
    } else {
      w.Null();
    }
  }
  static void reset(void* value) { static_cast<Field<T>*>(value)->reset(); }
  static bool unreadable(const void* value) {
    return static_cast<const Field<T>*>(value)->is_unreadable();
  }
  static void set_unreadable(void* value) { static_cast<Field<T>*>(value)->set_unreadable(); }
  static MemberState write(const void* value, std::string_view name, Writer& w) {
    return write_field(*static_cast<const Field<T>*>(value), name, w);
  }
};

/// Writes a struct from its StructInfo: its members in the order they came when it was decoded,
/// otherwise known members in schema order then unknown ones (see extra_members.hpp); absent
/// members are skipped, unreadable ones written as they came.
void encode_struct(const void* object, const StructInfo& info, Writer& w);

template <class T, class Enable>
void Codec<T, Enable>::encode(const void* value, Writer& w) {
  encode_struct(value, info(), w);
}

/// Decodes `text` as T.
template <class T>
Result<T> decode_as(std::string_view text, const ParseOptions& options,
                    std::vector<DecodeWarning>* warnings = nullptr) {
  // Decoded in place and returned through one variable (NRVO): payload structs are costly
  // to move. Default-initialized: their members all have constructors.
  Result<T> out(DefaultInitTag{});
  auto done = decode_into(text, options, &*out, &Codec<T>::decode, warnings);
  if (!done) out = std::move(done).error();
  return out;
}

/// Encodes `value` as compact JSON.
template <class T>
std::string encode_as(const T& value) {
  return write_compact([&](Writer& w) { Codec<T>::encode(&value, w); });
}

}  // namespace chathooks::detail
