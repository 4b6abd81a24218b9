// The one JSON decoder of chathooks: RapidJSON's iterative SAX reader drives a stack of frames
// that write straight into the destination C++ objects (a Json, or a typed payload struct), so
// typed decoding never builds an intermediate DOM. What a C++ type accepts is described by a
// DecodeFn (see codec_ops.hpp); what a struct's members are is described by a StructInfo.
// Private to the library. Thread-safety: a Decoder is used by one thread for one parse.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "chathooks/error.hpp"
#include "chathooks/extra_members.hpp"
#include "chathooks/json.hpp"
#include "json/writer.hpp"

namespace chathooks::detail {

class Decoder;

/// One SAX event with its payload.
struct Value {
  enum class Kind : std::uint8_t {
    null,
    boolean,
    int64,
    uint64,
    double_,
    string,
    start_object,
    start_array
  };
  explicit Value(Kind k) noexcept : kind(k) {}
  Kind kind;
  bool b = false;
  std::int64_t i = 0;
  std::uint64_t u = 0;
  double d = 0;
  // Strings: the decoded text. Numbers with `spelled`: the number as written, kept by a Json.
  std::string_view s;
  // A number whose value does not give back its text: a fraction or an exponent, "-0", an
  // integer beyond 64 bits.
  bool spelled = false;
};

/// Applies one event to the object at `slot`; pushes a frame for start_object/start_array.
/// Returns false after recording an error in the Decoder.
using DecodeFn = bool (*)(void* slot, const Value& value, Decoder& decoder);

/// A homogeneous array container (std::vector<T>): `append` decodes one event as a new element
/// at the end (the slot it is given is the container).
struct ArrayOps {
  DecodeFn append;
};

/// A string-keyed container in insertion order (OrderedMap<T>).
struct MapOps {
  std::size_t (*size)(const void* container);
  std::string_view (*key_at)(const void* container, std::size_t index);
  void* (*value_at)(void* container, std::size_t index);
  void* (*append)(void* container, std::string_view key);  // a new default value; returns it
  void (*reset_at)(void* container, std::size_t index);    // value back to default
  DecodeFn element;
};

/// Writes the object at `value` as JSON.
using EncodeFn = void (*)(const void* value, Writer& writer);

/// What a MemberWriteFn found in a member.
enum class MemberState : std::uint8_t {
  absent,      // nothing written
  written,     // the member's name and its value (or null) written
  unreadable,  // nothing written: the struct writes the value kept as it came
};
/// Writes a member (a Field) with its name, `"name":value`, in one call when it holds a value or
/// null (the name needs no escaping: describe() checks it).
using MemberWriteFn = MemberState (*)(const void* member, std::string_view name, Writer& writer);

/// One known member of a struct: the single description that drives decoding, encoding and
/// error pointers alike.
struct MemberInfo {
  std::string_view name;                    // the JSON name
  const void* (*cget)(const void* object);  // measures StructInfo::offsets once; use those
  DecodeFn decode;
  EncodeFn encode;
  void (*reset)(void* member);             // back to absent (for DuplicateKeys::last_wins)
  bool (*unreadable)(const void* member);  // Field::is_unreadable()
  void (*set_unreadable)(void* member);    // what a tolerant decode does to a member it cannot read
  MemberWriteFn write;  // StructInfo::present() + unreadable() + encode() in one call
  const void* (*presence)(const void* member);  // measures StructInfo::presence; use that
};

/// A member name's bit in StructInfo::name_bits, from its length and its first and last bytes.
inline std::uint64_t name_bit(std::string_view name) noexcept {
  if (name.empty()) return 1;
  const auto first = static_cast<unsigned char>(name.front());
  const auto last = static_cast<unsigned char>(name.back());
  return std::uint64_t{1} << ((name.size() * 7 + first * 3u + last) & 63);
}

/// A struct: its known members, and where members the documents never mention are kept.
struct StructInfo {
  const MemberInfo* members;
  std::size_t count;
  const std::size_t* offsets;  // members[i] is at offsets[i] bytes into the struct

  void* member(void* object, std::size_t i) const noexcept {
    return static_cast<char*>(object) + offsets[i];
  }
  const void* member(const void* object, std::size_t i) const noexcept {
    return static_cast<const char*>(object) + offsets[i];
  }
  // members[i]'s two presence bytes (FieldAccess::presence()) are this far into the struct.
  const std::size_t* presence;
  /// Whether members[i] is present (not absent), without a call: it is absent when both bytes
  /// are zero.
  bool present(const void* object, std::size_t i) const noexcept {
    const auto* bytes = static_cast<const unsigned char*>(object) + presence[i];
    return (bytes[0] | bytes[1]) != 0;
  }
  std::size_t extras_offset;  // the struct's ExtraMembers is this far into it

  // The name_bit() of every member's name: a name whose bit is not here is no member's, which
  // spares the search for members the documents do not list (custom fields and the like).
  std::uint64_t name_bits;

  ExtraMembers* extras(void* object) const noexcept {
    return reinterpret_cast<ExtraMembers*>(static_cast<char*>(object) + extras_offset);
  }
  const ExtraMembers* extras(const void* object) const noexcept {
    return reinterpret_cast<const ExtraMembers*>(static_cast<const char*>(object) + extras_offset);
  }
};

/// Ops for JsonObject, used for struct extras and for Json objects alike.
const MapOps& json_object_ops() noexcept;
/// Decodes into a chathooks::Json.
bool decode_json(void* slot, const Value& value, Decoder& decoder);

struct MemberLayout;

class Decoder {
 public:
  /// With options.mode tolerant, members kept as they came are listed in `*warnings` (when not
  /// null).
  explicit Decoder(const ParseOptions& options, std::vector<DecodeWarning>* warnings = nullptr);
  ~Decoder();
  Decoder(const Decoder&) = delete;
  Decoder& operator=(const Decoder&) = delete;

  /// Parses `text` into the object at `root` with `root_fn`.
  Result<void> run(std::string_view text, void* root, DecodeFn root_fn);

  // Called by DecodeFns.
  bool push_struct(void* object, const StructInfo& info);
  bool push_array(void* container, const ArrayOps& ops);
  bool push_map(void* container, const MapOps& ops);
  bool push_skip();
  /// Records "expected <expected>, got <what value is>" at the current member.
  bool type_error(std::string_view expected, const Value& value);
  /// Records an error at the current member.
  bool fail(Errc code, std::string message);
  const ParseOptions& options() const noexcept { return options_; }

  // RapidJSON SAX handler interface.
  bool Null();
  bool Bool(bool b);
  bool Int(int i);
  bool Uint(unsigned u);
  bool Int64(std::int64_t i);
  bool Uint64(std::uint64_t u);
  bool Double(double d);
  bool RawNumber(const char* str, unsigned length, bool copy);
  bool String(const char* str, unsigned length, bool copy);
  bool StartObject();
  bool Key(const char* str, unsigned length, bool copy);
  bool EndObject(unsigned member_count);
  bool StartArray();
  bool EndArray(unsigned element_count);

 private:
  struct KeyIndex;  // ordered index of a large object's keys, for duplicate detection
  static constexpr std::uint8_t kNoMember = 0xFF;
  struct Frame {
    enum class Kind : std::uint8_t { root, object_struct, array, map, skip };
    explicit Frame(Kind k) noexcept : kind(k) {}
    Kind kind;
    void* object = nullptr;
    const StructInfo* info = nullptr;
    const ArrayOps* array = nullptr;
    const MapOps* map = nullptr;  // maps; for structs, the extras' ops
    void* slot = nullptr;         // where the next value goes (set by Key for objects)
    DecodeFn slot_fn = nullptr;
    std::uint64_t seen = 0;  // structs: known members already decoded
    std::size_t next = 0;    // structs: the member expected next (payloads follow schema order)
    // The current member's (objects) or element's (arrays) value has begun and not ended: an
    // error now is inside it. Otherwise it is between members, or in a member name.
    bool open = false;
    std::size_t count = 0;      // arrays: elements so far
    std::string_view key;       // objects: the current member's name
    KeyIndex* index = nullptr;  // large maps / extras: key -> position
    // Structs: the known member being decoded (kNoMember: an unknown one), and what is needed
    // to remember the order members came in (LayoutAccess::order) once it is not the order
    // encoding uses anyway: the last known member so far, whether an unknown one came yet, and
    // the order being written (null until the order first differs).
    std::uint8_t member = kNoMember;
    std::uint8_t last_known = kNoMember;
    bool extra_seen = false;
    std::string* order = nullptr;
  };
  // A member a tolerant decode could not read, whose raw value is filled in once the whole
  // text has parsed.
  struct PendingRaw {
    std::string pointer;
    MemberLayout* layout;
    std::size_t slot;  // index in layout->unreadable
  };

  bool value(const Value& v);
  void note_known(Frame& frame, std::uint8_t member);
  void note_extra(Frame& frame);
  bool recover(const std::string& message);
  Result<void> fill_raw_values(std::string_view text);
  void keep_spelling(Frame& frame, std::string_view text);
  std::string pointer(std::size_t frames) const;
  bool start(Value::Kind kind);
  bool end();
  bool map_key(Frame& frame, void* container, const MapOps& ops, std::string_view key);
  bool duplicate(Frame& frame, void* existing, DecodeFn fn);
  // Only a \u escape can produce a lone surrogate: a string that needed no unescaping (a view
  // into the validated input, `copied` false) holds none.
  bool check_string(std::string_view s, bool copied) {
    return !copied || !check_surrogates_ || scan_surrogates(s);
  }
  bool scan_surrogates(std::string_view s);
  std::string pointer() const;
  // The error for invalid UTF-8 or a NUL byte in `body` (the text after `skipped` BOM bytes),
  // if it holds any: a failed parse's first check.
  Result<void> check_encoding(std::string_view body, std::size_t skipped);
  std::string locate_invalid_utf8(std::string_view body);
  KeyIndex* new_index();

  // The tokenizer and the frame stack's memory, kept per thread and reused across parses (a
  // parse nested in another on the same thread, which only a tolerant decode's second pass does,
  // gets its own). The frames are swapped into a member for the Decoder's life: a reference to
  // the scratch's vector would cost a dependent load on every frame access.
  struct Scratch;
  static Scratch& acquire(std::unique_ptr<Scratch>& own);

  const ParseOptions& options_;
  std::vector<DecodeWarning>* warnings_;
  std::vector<PendingRaw> pending_;
  bool dispatching_start_ = false;  // the value being dispatched opens an object or array
  std::unique_ptr<Scratch> own_scratch_;
  Scratch& scratch_;
  std::vector<Frame> frames_;  // the scratch's, swapped in for the Decoder's life
  std::vector<std::unique_ptr<KeyIndex>> indexes_;
  bool check_surrogates_ = true;
  // How many more values the document may hold (ParseOptions::max_values).
  std::size_t values_left_ = 0;
  std::optional<Error> error_;
};

/// Parses `text` into `*root` as T through Codec-style `fn`.
inline Result<void> decode_into(std::string_view text, const ParseOptions& options, void* root,
                                DecodeFn fn, std::vector<DecodeWarning>* warnings = nullptr) {
  Decoder decoder(options, warnings);
  return decoder.run(text, root, fn);
}

}  // namespace chathooks::detail
