// The SAX-to-object decoder: RapidJSON events in, frames that write into C++ objects.
#include "json/decoder.hpp"

#include <locale.h>
#include <algorithm>
#include <clocale>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <limits>
#include <map>
#include <optional>

#include <fmt/format.h>
#include <rapidjson/error/en.h>
#include <rapidjson/memorystream.h>
#include <rapidjson/reader.h>

#include "json/codec_ops.hpp"
#include "json/json_access.hpp"
#include "json/member_layout.hpp"
#include "json/reader.hpp"
#include "json/utf8.hpp"

namespace chathooks::detail {
namespace {

// Objects with more members than this get a key index for duplicate detection, so that an
// object with 100,000 members costs O(n log n), not O(n^2), to check.
constexpr std::size_t kIndexThreshold = 24;

bool skip_value(void*, const Value& v, Decoder& d) {
  if (v.kind == Value::Kind::start_object || v.kind == Value::Kind::start_array) {
    return d.push_skip();
  }
  return true;
}

// The JSON type name of an event, as error messages give it ("expected string, got number").
std::string_view got_name(const Value& v) {
  switch (v.kind) {
    case Value::Kind::null:
      return "null";
    case Value::Kind::boolean:
      return "boolean";
    case Value::Kind::int64:
    case Value::Kind::uint64:
    case Value::Kind::double_:
      return "number";
    case Value::Kind::string:
      return "string";
    case Value::Kind::start_object:
      return "object";
    case Value::Kind::start_array:
      return "array";
  }
  return "value";
}

// Appends `token` to `pointer` as one RFC 6901 reference token ("~" -> "~0", "/" -> "~1").
void append_pointer_token(std::string& pointer, std::string_view token) {
  for (char c : token) {
    if (c == '~') {
      pointer += "~0";
    } else if (c == '/') {
      pointer += "~1";
    } else {
      pointer += c;
    }
  }
}

Errc errc_for(rapidjson::ParseErrorCode code) {
  switch (code) {
    case rapidjson::kParseErrorStringInvalidEncoding:
    case rapidjson::kParseErrorStringUnicodeSurrogateInvalid:
      return Errc::invalid_utf8;
    case rapidjson::kParseErrorNumberTooBig:
      return Errc::number_out_of_range;
    default:
      return Errc::syntax;
  }
}

// The "C" locale, for strtod_l: a host that set a locale with a decimal comma must not change
// how JSON numbers read.
locale_t c_locale() {
  static const locale_t locale = newlocale(LC_ALL_MASK, "C", nullptr);
  return locale;
}

// Digits of a JSON integer (already validated by RapidJSON) as an unsigned value; nullopt when
// it does not fit 64 bits.
std::optional<std::uint64_t> parse_magnitude(std::string_view digits) {
  std::uint64_t value = 0;
  for (const char c : digits) {
    const auto digit = static_cast<std::uint64_t>(c - '0');
    if (value > (std::numeric_limits<std::uint64_t>::max() - digit) / 10) return std::nullopt;
    value = value * 10 + digit;
  }
  return value;
}

// a[0, n) == b[0, n), inline for the short strings member names are (a call to memcmp costs
// more than the comparison): two overlapping loads cover 4 to 16 bytes.
[[gnu::always_inline]] inline bool same_bytes(const char* a, const char* b,
                                              std::size_t n) noexcept {
  const auto load8 = [](const char* p) {
    std::uint64_t v;
    std::memcpy(&v, p, sizeof v);
    return v;
  };
  const auto load4 = [](const char* p) {
    std::uint32_t v;
    std::memcpy(&v, p, sizeof v);
    return v;
  };
  if (n >= 8) {
    if (n > 16) return std::memcmp(a, b, n) == 0;
    return load8(a) == load8(b) && load8(a + n - 8) == load8(b + n - 8);
  }
  if (n >= 4) return load4(a) == load4(b) && load4(a + n - 4) == load4(b + n - 4);
  for (std::size_t i = 0; i < n; ++i)
    if (a[i] != b[i]) return false;
  return true;
}

[[gnu::always_inline]] inline bool same_name(std::string_view name, std::string_view key) noexcept {
  return name.size() == key.size() && same_bytes(name.data(), key.data(), key.size());
}

// The index of the member named `key`, or info.count. Payloads usually list members in the
// documented order, which is the schema's: the member after the last one found (`next`) is
// tried first; a name no member can have (StructInfo::name_bits) is not searched for.
std::size_t find_member(const StructInfo& info, std::size_t next, std::string_view key) noexcept {
  if (next == info.count) next = 0;
  if (same_name(info.members[next].name, key)) return next;
  if ((info.name_bits & name_bit(key)) == 0) return info.count;
  for (std::size_t i = 0; i < info.count; ++i) {
    if (i != next && same_name(info.members[i].name, key)) return i;
  }
  return info.count;
}

}  // namespace

double number_value(const std::string& text) noexcept {
  return strtod_l(text.c_str(), nullptr, c_locale());
}

struct Decoder::KeyIndex {
  // An ordered map, not a hash table: member names come from the network, and std::hash's
  // libstdc++ implementation (unkeyed MurmurHash2) has seed-independent multicollisions, so an
  // attacker can make every name land in one bucket and turn each insertion into a scan of all
  // the others (8,192 colliding names: 13 s to parse with an unordered_map, 0.07 s with this
  // map; tests/perf/allocation_bench). Comparisons bound the cost at O(log n) per name.
  std::map<std::string, std::size_t, std::less<>> positions;
};

struct Decoder::Scratch {
  Reader reader;
  std::vector<Frame> frames;
  bool busy = false;
};

Decoder::Scratch& Decoder::acquire(std::unique_ptr<Scratch>& own) {
  thread_local Scratch shared;
  if (shared.busy) {
    own = std::make_unique<Scratch>();
    return *own;
  }
  shared.busy = true;
  return shared;
}

Decoder::Decoder(const ParseOptions& options, std::vector<DecodeWarning>* warnings)
    : options_(options), warnings_(warnings), scratch_(acquire(own_scratch_)) {
  frames_.swap(scratch_.frames);
}

Decoder::~Decoder() {
  if (own_scratch_) return;
  // Keep the shared scratch memory warm for typical payloads, without pinning a huge one to the
  // thread.
  if (frames_.capacity() <= 4096) frames_.swap(scratch_.frames);
  scratch_.reader.trim();
  scratch_.busy = false;
}

const MapOps& json_object_ops() noexcept { return Codec<JsonObject>::ops(); }

bool decode_json(void* slot, const Value& v, Decoder& d) {
  Json& j = *static_cast<Json*>(slot);
  switch (v.kind) {
    case Value::Kind::null:
      j = nullptr;
      return true;
    case Value::Kind::boolean:
      j = v.b;
      return true;
    case Value::Kind::int64:
      if (v.spelled) {
        j = JsonAccess::spelled(v.s);
      } else {
        j = v.i;
      }
      return true;
    case Value::Kind::uint64:
      j = v.u;  // the constructor keeps a value that fits int64 as int64
      return true;
    case Value::Kind::double_:
      if (v.spelled) {
        j = JsonAccess::spelled(v.s);  // every double the parser reads keeps its spelling
      } else {
        j = v.d;
      }
      return true;
    case Value::Kind::string:
      JsonAccess::set_string(j, v.s);
      return true;
    case Value::Kind::start_object:
      return d.push_map(&JsonAccess::set_object(j), Codec<JsonObject>::ops());
    case Value::Kind::start_array:
      return d.push_array(&JsonAccess::set_array(j), Codec<JsonArray>::ops());
  }
  return d.fail(Errc::internal, "unknown event");
}

Result<void> Decoder::run(std::string_view text, void* root, DecodeFn root_fn) {
  if (text.size() > options_.max_bytes) {
    return Error(Errc::too_large, fmt::format("document is {} bytes, the limit is {}", text.size(),
                                              options_.max_bytes));
  }
  std::size_t skipped = 0;
  if (options_.allow_bom && text.size() >= 3 && text.compare(0, 3, "\xEF\xBB\xBF") == 0) {
    skipped = 3;
  }
  const std::string_view body = text.substr(skipped);
  check_surrogates_ = true;

  frames_.clear();
  values_left_ = options_.max_values;
  // Built in place: a frame built on the stack and copied in is read back before its stores
  // have landed, which stalls (about 5% of a small payload's decode).
  Frame& root_frame = frames_.emplace_back(Frame::Kind::root);
  root_frame.slot = root;
  root_frame.slot_fn = root_fn;

  const std::size_t warnings_before = warnings_ != nullptr ? warnings_->size() : 0;
  const Reader::Result parsed = scratch_.reader.parse(body, *this);
  // A failed decode adds no warnings.
  const auto drop_warnings = [&] {
    if (warnings_ != nullptr) warnings_->resize(warnings_before);
  };
  if (parsed.ok()) {
    if (pending_.empty()) return {};
    Result<void> filled = fill_raw_values(text);
    if (!filled) drop_warnings();
    return filled;
  }
  drop_warnings();
  // Invalid UTF-8 or a NUL byte anywhere in the text is the error, wherever the parse stopped.
  // The tokenizer validates strings as it reads them and refuses any other non-ASCII or NUL
  // byte, so a text that parses holds neither, and only a failed parse needs this second look.
  if (Result<void> encoding = check_encoding(body, skipped); !encoding) return encoding;
  // Where a syntax error happened, while the frames still say so.
  std::string at;
  if (parsed.code != rapidjson::kParseErrorTermination) at = pointer();
  const std::size_t offset = parsed.offset + skipped;
  if (parsed.code == rapidjson::kParseErrorTermination && error_) {
    return Error(error_->code(), error_->message(), error_->pointer(), offset);
  }
  const Errc code = errc_for(parsed.code);
  const char* what = code == Errc::invalid_utf8          ? "invalid UTF-8"
                     : code == Errc::number_out_of_range ? "number out of range"
                                                         : "syntax error";
  return Error(
      code,
      fmt::format("{} at byte {}: {}", what, offset, rapidjson::GetParseError_En(parsed.code)),
      std::move(at), offset);
}

Result<void> Decoder::check_encoding(std::string_view body, std::size_t skipped) {
  const std::size_t stop = find_invalid_utf8_or_nul(body);
  if (stop == std::string_view::npos) return {};
  // Invalid UTF-8 anywhere is reported before a NUL byte (a second look).
  const std::size_t bad = body[stop] == '\0' ? find_invalid_utf8(body) : stop;
  if (bad != std::string_view::npos) {
    // The pointer holds member names as that parse decoded them, and it lets lone surrogate
    // escapes ("\ude00") through as invalid UTF-8: drop tokens until the pointer is valid
    // UTF-8, so that it names the nearest member whose name is printable (and JSON-writable).
    std::string at = locate_invalid_utf8(body);
    while (find_invalid_utf8(at) != std::string_view::npos) at.erase(at.rfind('/'));
    return Error(Errc::invalid_utf8, fmt::format("invalid UTF-8 at byte {}", bad + skipped),
                 std::move(at), bad + skipped);
  }
  const std::size_t at = stop + skipped;
  return Error(Errc::syntax, fmt::format("syntax error at byte {}: NUL byte", at), std::string(),
               at);
}

std::string Decoder::locate_invalid_utf8(std::string_view body) {
  // Error path only: RapidJSON's validating parse stops at the bad string, where the frames
  // name its member. What it builds is thrown away.
  Json sink;
  frames_.clear();
  Frame& root_frame = frames_.emplace_back(Frame::Kind::root);
  root_frame.slot = &sink;
  root_frame.slot_fn = &decode_json;
  check_surrogates_ = false;
  values_left_ = std::numeric_limits<std::size_t>::max();  // the first parse counted already
  rapidjson::MemoryStream stream(body.data(), body.size());
  rapidjson::Reader reader;
  const rapidjson::ParseResult parsed =
      reader.Parse<rapidjson::kParseIterativeFlag | rapidjson::kParseValidateEncodingFlag>(stream,
                                                                                           *this);
  std::string at = parsed.IsError() ? pointer() : std::string();
  frames_.clear();
  error_.reset();
  return at;
}

bool Decoder::value(const Value& v) {
  if (values_left_ == 0) {
    return fail(Errc::too_large,
                fmt::format("more values than the limit of {}", options_.max_values));
  }
  --values_left_;
  const std::size_t index = frames_.size() - 1;
  Frame& f = frames_[index];
  void* slot;
  DecodeFn fn;
  switch (f.kind) {
    case Frame::Kind::array:
      slot = f.object;
      fn = f.array->append;
      ++f.count;
      break;
    case Frame::Kind::skip:
      return skip_value(nullptr, v, *this);
    default:
      slot = f.slot;
      fn = f.slot_fn;
      break;
  }
  f.open = true;
  dispatching_start_ = v.kind == Value::Kind::start_object || v.kind == Value::Kind::start_array;
  // (Not a repeated member skipped under DuplicateKeys::first_wins: its value goes nowhere.)
  const bool spelled_member = v.spelled && f.kind == Frame::Kind::object_struct &&
                              f.member != kNoMember && fn != &skip_value;
  // `f` may dangle from here on: fn can push frames.
  if (!fn(slot, v, *this)) return false;
  if (spelled_member && frames_.size() == index + 1) keep_spelling(frames_[index], v.s);
  if (frames_.size() == index + 1) frames_[index].open = false;  // a scalar, done
  return true;
}

bool Decoder::start(Value::Kind kind) {
  if (frames_.size() > options_.max_depth) {
    return fail(Errc::too_deep,
                fmt::format("nesting deeper than the limit of {}", options_.max_depth));
  }
  Value v(kind);
  return value(v);
}

bool Decoder::end() {
  Frame& f = frames_.back();
  if (f.index != nullptr) f.index->positions.clear();  // returned to the pool below
  if (f.kind == Frame::Kind::object_struct)
    LayoutAccess::set_came(*f.info->extras(f.object), f.seen);
  frames_.pop_back();
  frames_.back().open = false;  // the container was the parent's current value
  return true;
}

bool Decoder::push_struct(void* object, const StructInfo& info) {
  Frame& f = frames_.emplace_back(Frame::Kind::object_struct);
  f.object = object;
  f.info = &info;
  f.map = &json_object_ops();
  return true;
}

bool Decoder::push_array(void* container, const ArrayOps& ops) {
  Frame& f = frames_.emplace_back(Frame::Kind::array);
  f.object = container;
  f.array = &ops;
  return true;
}

bool Decoder::push_map(void* container, const MapOps& ops) {
  Frame& f = frames_.emplace_back(Frame::Kind::map);
  f.object = container;
  f.map = &ops;
  return true;
}

bool Decoder::push_skip() {
  frames_.emplace_back(Frame::Kind::skip);
  return true;
}

Decoder::KeyIndex* Decoder::new_index() {
  for (auto& index : indexes_) {
    if (index->positions.empty()) return index.get();
  }
  indexes_.push_back(std::make_unique<KeyIndex>());
  return indexes_.back().get();
}

bool Decoder::duplicate(Frame& f, void* existing, DecodeFn fn) {
  switch (options_.duplicate_keys) {
    case DuplicateKeys::reject:
      f.open = true;  // the pointer names the repeated member
      return fail(Errc::duplicate_key, "duplicate member name");
    case DuplicateKeys::first_wins:
      f.slot = nullptr;
      f.slot_fn = &skip_value;
      f.open = true;
      return true;
    case DuplicateKeys::last_wins:  // the caller has reset the existing value
      f.slot = existing;
      f.slot_fn = fn;
      f.open = true;
      return true;
  }
  return fail(Errc::internal, "unknown duplicate policy");
}

bool Decoder::map_key(Frame& f, void* container, const MapOps& ops, std::string_view key) {
  const std::size_t size = ops.size(container);
  std::size_t found = size;
  if (f.index != nullptr) {
    auto it = f.index->positions.find(key);
    if (it != f.index->positions.end()) found = it->second;
  } else {
    for (std::size_t i = 0; i < size; ++i) {
      if (ops.key_at(container, i) == key) {
        found = i;
        break;
      }
    }
    if (found == size && size >= kIndexThreshold) {
      f.index = new_index();
      for (std::size_t i = 0; i < size; ++i) {
        f.index->positions.emplace(std::string(ops.key_at(container, i)), i);
      }
    }
  }
  if (found != size) {
    f.key = ops.key_at(container, found);
    if (options_.duplicate_keys == DuplicateKeys::last_wins) ops.reset_at(container, found);
    return duplicate(f, ops.value_at(container, found), ops.element);
  }
  f.slot = ops.append(container, key);
  f.slot_fn = ops.element;
  f.key = ops.key_at(container, size);
  f.open = true;
  if (f.index != nullptr) f.index->positions.emplace(std::string(key), size);
  return true;
}

bool Decoder::Key(const char* str, unsigned length, bool copy) {
  const std::string_view key(str, length);
  if (!check_string(key, copy)) return false;
  Frame& f = frames_.back();
  if (f.kind == Frame::Kind::map) return map_key(f, f.object, *f.map, key);
  if (f.kind != Frame::Kind::object_struct) return true;  // skip frames ignore keys

  const StructInfo& info = *f.info;
  if (const std::size_t i = find_member(info, f.next, key); i != info.count) {
    const MemberInfo& m = info.members[i];
    const std::uint64_t bit = std::uint64_t{1} << i;
    void* member = info.member(f.object, i);
    const auto index = static_cast<std::uint8_t>(i);
    f.key = m.name;
    f.next = i + 1;
    f.member = index;  // a repeated one too: a tolerant decode must keep the right member
    if ((f.seen & bit) != 0) {
      if (options_.duplicate_keys == DuplicateKeys::last_wins) m.reset(member);
      return duplicate(f, member, m.decode);
    }
    // The common case inline: members in the documented order, no unknown one before.
    if (f.order == nullptr && !f.extra_seen &&
        (f.last_known == kNoMember || index > f.last_known)) {
      f.last_known = index;
    } else {
      note_known(f, index);
    }
    f.seen |= bit;
    f.slot = member;
    f.slot_fn = m.decode;
    f.open = true;
    return true;
  }
  f.member = kNoMember;
  auto* extras = static_cast<JsonObject*>(info.extras(f.object));
  const std::size_t before = extras->size();
  if (!map_key(f, extras, *f.map, key)) return false;
  if (extras->size() != before) note_extra(f);  // a new member, not a repeated one
  return true;
}

void Decoder::note_known(Frame& f, std::uint8_t member) {
  if (f.order != nullptr) {
    f.order->push_back(static_cast<char>(member));
  } else if (f.extra_seen || (f.last_known != kNoMember && member < f.last_known)) {
    // The first member out of the order encoding uses: remember the order from here on. Until
    // now the members came in that order: the known ones so far in the documented order, then
    // the unknown ones so far.
    ExtraMembers& extras = *f.info->extras(f.object);
    std::string& order = LayoutAccess::order(extras);
    char known[64];  // the seen members' indexes, lowest first (a struct has at most 64)
    std::size_t n = 0;
    for (std::uint64_t seen = f.seen; seen != 0; seen &= seen - 1) {
      known[n++] = static_cast<char>(__builtin_ctzll(seen));
    }
    order.reserve(n + extras.size() + 1);
    order.assign(known, n);
    order.append(extras.size(), static_cast<char>(MemberLayout::kExtra));
    order.push_back(static_cast<char>(member));
    f.order = &order;
  }
  f.last_known = member;
}

void Decoder::keep_spelling(Frame& f, std::string_view text) {
  // A typed member read a number whose value does not give it back ("-0" as 0): remember the
  // text, and what the member encodes to now, to write the text while that is unchanged.
  const MemberInfo& m = f.info->members[f.member];
  const void* member = f.info->member(f.object, f.member);
  if (m.unreadable(member)) return;  // kept whole already
  std::string decoded = write_compact([&](Writer& w) { m.encode(member, w); });
  MemberLayout& layout = LayoutAccess::edit(*f.info->extras(f.object));
  auto& kept = layout.spellings;  // a repeated member (DuplicateKeys::last_wins) replaces it
  kept.erase(std::remove_if(kept.begin(), kept.end(),
                            [&](const MemberLayout::Spelling& s) { return s.member == f.member; }),
             kept.end());
  layout.spellings.push_back(
      MemberLayout::Spelling{f.member, std::string(text), std::move(decoded)});
}

void Decoder::note_extra(Frame& f) {
  if (f.order != nullptr) {
    f.order->push_back(static_cast<char>(MemberLayout::kExtra));
  } else {
    f.extra_seen = true;
  }
}

bool Decoder::scan_surrogates(std::string_view s) {
  // RapidJSON 1.1 validates raw UTF-8 but lets a lone low-surrogate escape ("\udc00") through,
  // encoded as ED B0..BF xx: the only way a surrogate (ED A0..BF) can reach us.
  const char* p = s.data();
  const char* end = p + s.size();
  while ((p = static_cast<const char*>(
              std::memchr(p, '\xED', static_cast<std::size_t>(end - p)))) != nullptr) {
    if (p + 1 < end && static_cast<unsigned char>(p[1]) >= 0xA0) {
      return fail(Errc::invalid_utf8, "string contains an unpaired UTF-16 surrogate");
    }
    ++p;
  }
  return true;
}

bool Decoder::type_error(std::string_view expected, const Value& value) {
  return fail(Errc::type_mismatch, fmt::format("expected {}, got {}", expected, got_name(value)));
}

bool Decoder::fail(Errc code, std::string message) {
  // A value of an unexpected type or format: in tolerant mode its member is kept as it came.
  const bool unexpected_value = code == Errc::type_mismatch || code == Errc::invalid_value ||
                                code == Errc::number_out_of_range;
  if (!error_ && unexpected_value && options_.mode == DecodeMode::tolerant && recover(message))
    return true;
  if (!error_) error_.emplace(code, std::move(message), pointer());
  return false;
}

bool Decoder::recover(const std::string& message) {
  // The innermost struct whose known member holds the value at fault: that member is kept
  // whole, as it came.
  std::size_t s = frames_.size();
  while (s-- > 1) {
    const Frame& f = frames_[s];
    if (f.kind == Frame::Kind::object_struct && f.open && f.member != kNoMember) break;
  }
  if (s == 0) return false;  // a root that is not an object, or nothing to keep it in
  if (warnings_ != nullptr) warnings_->push_back(DecodeWarning{pointer(), message});
  Frame& owner = frames_[s];
  const MemberInfo& m = owner.info->members[owner.member];
  m.set_unreadable(owner.info->member(owner.object, owner.member));
  MemberLayout& layout = LayoutAccess::edit(*owner.info->extras(owner.object));
  // A member repeated under DuplicateKeys::last_wins replaces what was kept for it.
  std::size_t slot = 0;
  while (slot < layout.unreadable.size() && layout.unreadable[slot].member != owner.member) ++slot;
  if (slot == layout.unreadable.size()) {
    layout.unreadable.push_back(MemberLayout::Unreadable{owner.member, m.name, Json()});
  }
  pending_.push_back(PendingRaw{pointer(s + 1), &layout, slot});
  // The rest of the member's value is skipped: each container still open inside it (and the
  // one the value at fault opens) ends into a skip frame.
  const std::size_t open = frames_.size() - (s + 1) + (dispatching_start_ ? 1 : 0);
  for (std::size_t i = s + 1; i < frames_.size(); ++i) {
    if (frames_[i].index != nullptr) frames_[i].index->positions.clear();  // back to the pool
  }
  frames_.resize(s + 1, Frame(Frame::Kind::skip));
  for (std::size_t i = 0; i < open; ++i) frames_.emplace_back(Frame::Kind::skip);
  return true;
}

Result<void> Decoder::fill_raw_values(std::string_view text) {
  // Only when a tolerant decode kept members as they came: the text parses again, as Json, to
  // take each kept member's value whole. The typed pass skipped those values, so this parse is
  // also what checks them (a repeated member name inside one is still an error).
  auto whole = Json::parse(text, options_);
  if (!whole) return std::move(whole).error();
  for (const PendingRaw& pending : pending_) {
    const Json* raw = whole->at_pointer(pending.pointer);
    if (raw == nullptr) return Error(Errc::internal, "a kept member was not found again");
    pending.layout->unreadable[pending.slot].raw = *raw;
  }
  pending_.clear();
  return {};
}

std::string Decoder::pointer() const { return pointer(frames_.size()); }

std::string Decoder::pointer(std::size_t frames) const {
  std::string out;
  for (std::size_t i = 1; i < frames; ++i) {
    const Frame& f = frames_[i];
    switch (f.kind) {
      case Frame::Kind::array:
        // Inside an element: that element; between elements: the one about to be parsed.
        out += '/';
        out += std::to_string(f.open ? f.count - 1 : f.count);
        break;
      case Frame::Kind::object_struct:
      case Frame::Kind::map:
        // Between members or in a member name, the object itself is at fault.
        if (f.open) {
          out += '/';
          append_pointer_token(out, f.key);
        }
        break;
      default:
        break;
    }
  }
  return out;
}

bool Decoder::Null() { return value(Value(Value::Kind::null)); }
bool Decoder::Bool(bool b) {
  Value v(Value::Kind::boolean);
  v.b = b;
  return value(v);
}
bool Decoder::Int(int i) { return Int64(i); }
bool Decoder::Uint(unsigned u) { return Int64(static_cast<std::int64_t>(u)); }
bool Decoder::Int64(std::int64_t i) {
  Value v(Value::Kind::int64);
  v.i = i;
  return value(v);
}
bool Decoder::Uint64(std::uint64_t u) {
  if (u <= static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) {
    return Int64(static_cast<std::int64_t>(u));
  }
  Value v(Value::Kind::uint64);
  v.u = u;
  return value(v);
}
bool Decoder::Double(double d) {
  // Numbers past the largest double (1.8e308) are refused, never rounded to infinity.
  if (!std::isfinite(d)) return fail(Errc::number_out_of_range, "number too large for a double");
  Value v(Value::Kind::double_);
  v.d = d;
  return value(v);
}
bool Decoder::RawNumber(const char* str, unsigned length, bool) {
  // The text is a valid JSON number (the Reader checked it). Integers that fit 64 bits stay
  // exact; anything else is the correctly rounded double (glibc's strtod).
  const std::string_view text(str, length);
  if (text.find_first_of(".eE") == std::string_view::npos) {
    const bool negative = text.front() == '-';
    if (const auto magnitude = parse_magnitude(text.substr(negative ? 1 : 0))) {
      if (!negative) return Uint64(*magnitude);
      if (*magnitude == 0) {  // "-0": its value, 0, would not give back its sign
        Value v(Value::Kind::int64);
        v.s = text;
        v.spelled = true;
        return value(v);
      }
      constexpr auto kMinMagnitude =
          static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()) + 1;
      if (*magnitude < kMinMagnitude) return Int64(-static_cast<std::int64_t>(*magnitude));
      if (*magnitude == kMinMagnitude) return Int64(std::numeric_limits<std::int64_t>::min());
    }
  }
  // strtod needs the number NUL-terminated, and the input is not: copy it (this path is for
  // fractions, exponents and integers beyond 64 bits only).
  char small[64];
  std::string large;
  const char* terminated = small;
  if (length < sizeof small) {
    std::memcpy(small, str, length);
    small[length] = '\0';
  } else {
    large.assign(str, length);
    terminated = large.c_str();
  }
  char* end = nullptr;
  const double d = strtod_l(terminated, &end, c_locale());
  if (end != terminated + length) return fail(Errc::internal, "a number was read inconsistently");
  // Numbers past the largest double (1.8e308) are refused, never rounded to infinity.
  if (!std::isfinite(d)) return fail(Errc::number_out_of_range, "number too large for a double");
  Value v(Value::Kind::double_);
  v.d = d;
  v.s = text;
  v.spelled = true;
  return value(v);
}
bool Decoder::String(const char* str, unsigned length, bool copy) {
  Value v(Value::Kind::string);
  v.s = std::string_view(str, length);
  if (!check_string(v.s, copy)) return false;
  return value(v);
}
bool Decoder::StartObject() { return start(Value::Kind::start_object); }
bool Decoder::EndObject(unsigned) { return end(); }
bool Decoder::StartArray() { return start(Value::Kind::start_array); }
bool Decoder::EndArray(unsigned) { return end(); }

}  // namespace chathooks::detail
