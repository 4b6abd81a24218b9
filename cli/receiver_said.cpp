// receiver_said: the problem+json `detail`, or the start of a text body.
#include "receiver_said.hpp"

#include <cstddef>
#include <string_view>

#include "chathooks/json.hpp"
#include "io.hpp"

namespace chathooks_cli {

namespace {

constexpr std::size_t kMaxTextBytes = 200;

// Whether the bytes look like text: no NUL and no other C0 control but tab, CR and LF.
bool is_text(std::string_view body) {
  for (const char c : body) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x20 && c != '\t' && c != '\r' && c != '\n') return false;
  }
  return true;
}

// The longest prefix of `text` of at most `max` bytes that does not cut a UTF-8 sequence.
std::string_view utf8_prefix(std::string_view text, std::size_t max) {
  if (text.size() <= max) return text;
  std::size_t end = max;
  while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) --end;
  return text.substr(0, end);
}

}  // namespace

std::string receiver_said(const chathooks::http::HttpResponse& response) {
  const std::string_view body = response.body;
  if (body.empty()) return {};
  if (auto json = chathooks::Json::parse(body); json && json->is_object()) {
    if (const chathooks::Json* detail = json->find("detail")) {
      if (const std::string* text = detail->get_string()) return one_line(*text);
    }
  }
  if (!is_text(body)) return {};
  std::string said = one_line(utf8_prefix(body, kMaxTextBytes));
  if (body.size() > kMaxTextBytes) said += "...";
  return said;
}

}  // namespace chathooks_cli
