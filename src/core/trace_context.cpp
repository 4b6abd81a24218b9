// TraceParent: the W3C traceparent header's grammar (version 00 and the forward-compatible
// reading of later versions) and random ids.
#include "chathooks/trace_context.hpp"

#include <algorithm>
#include <random>

#include "core/hex.hpp"
#include "signing/random.hpp"

namespace chathooks {
namespace {

constexpr std::size_t kVersion00Size = 55;  // 2 + 1 + 32 + 1 + 16 + 1 + 2

int hex_digit(char c) noexcept {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;  // uppercase is invalid in traceparent
}

// Reads 2 * N lowercase hex digits into `out`.
template <std::size_t N>
bool read_hex(std::string_view text, std::array<std::uint8_t, N>& out) {
  if (text.size() != 2 * N) return false;
  for (std::size_t i = 0; i < N; ++i) {
    const int high = hex_digit(text[2 * i]);
    const int low = hex_digit(text[2 * i + 1]);
    if (high < 0 || low < 0) return false;
    out[i] = static_cast<std::uint8_t>(high * 16 + low);
  }
  return true;
}

template <std::size_t N>
bool all_zero(const std::array<std::uint8_t, N>& bytes) {
  return std::all_of(bytes.begin(), bytes.end(), [](std::uint8_t b) { return b == 0; });
}

template <std::size_t N>
std::string to_hex(const std::array<std::uint8_t, N>& bytes) {
  std::string text;
  detail::append_hex(text, std::string_view(reinterpret_cast<const char*>(bytes.data()), N));
  return text;
}

// Random non-zero ids. OpenSSL's generator when it works; trace ids are not secrets, so a
// seeded engine is an acceptable fallback when it does not.
template <std::size_t N>
void fill_random(std::array<std::uint8_t, N>& out) {
  do {
    if (auto bytes = signing::detail::random_bytes(N)) {
      std::copy(bytes->begin(), bytes->end(), out.begin());
    } else {
      thread_local std::mt19937_64 engine{std::random_device{}()};
      for (auto& b : out) b = static_cast<std::uint8_t>(engine() & 0xFFu);
    }
  } while (all_zero(out));
}

std::string_view trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

}  // namespace

std::optional<TraceParent> TraceParent::parse(std::string_view header) {
  const std::string_view text = trim(header);
  if (text.size() < kVersion00Size) return std::nullopt;
  std::array<std::uint8_t, 1> version{};
  if (!read_hex(text.substr(0, 2), version) || version[0] == 0xFF) return std::nullopt;
  // Version 00 is exactly 55 characters; a later version may append "-<more>".
  if (version[0] == 0 && text.size() != kVersion00Size) return std::nullopt;
  if (text.size() > kVersion00Size && text[kVersion00Size] != '-') return std::nullopt;
  if (text[2] != '-' || text[35] != '-' || text[52] != '-') return std::nullopt;
  TraceParent parsed;
  std::array<std::uint8_t, 1> flags{};
  if (!read_hex(text.substr(3, 32), parsed.trace_id) ||
      !read_hex(text.substr(36, 16), parsed.parent_id) || !read_hex(text.substr(53, 2), flags))
    return std::nullopt;
  if (all_zero(parsed.trace_id) || all_zero(parsed.parent_id)) return std::nullopt;
  parsed.flags = flags[0];
  return parsed;
}

TraceParent TraceParent::generate() {
  TraceParent made;
  fill_random(made.trace_id);
  fill_random(made.parent_id);
  made.flags = 1;
  return made;
}

TraceParent TraceParent::child() const {
  TraceParent next = *this;
  fill_random(next.parent_id);
  return next;
}

std::string TraceParent::trace_id_hex() const { return to_hex(trace_id); }

std::string TraceParent::parent_id_hex() const { return to_hex(parent_id); }

std::string TraceParent::to_string() const {
  const std::array<std::uint8_t, 1> flag_byte{flags};
  return "00-" + trace_id_hex() + "-" + parent_id_hex() + "-" + to_hex(flag_byte);
}

}  // namespace chathooks
