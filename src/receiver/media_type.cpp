// Content-Type parsing for receivers (RFC 9110 section 8.3: type "/" subtype *( OWS ";" OWS
// parameter ), names case-insensitive).
#include "receiver/media_type.hpp"

#include "chathooks/open_enum.hpp"

namespace chathooks::receiver::detail {
namespace {

std::string_view trim(std::string_view s) noexcept {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// Media type, subtype and parameter names compare ignoring ASCII case.
bool iequals(std::string_view a, std::string_view b) noexcept {
  return chathooks::detail::ascii_iequal(a, b);
}

bool iends_with(std::string_view s, std::string_view suffix) noexcept {
  return s.size() >= suffix.size() && iequals(s.substr(s.size() - suffix.size()), suffix);
}

// A charset parameter's value may be quoted: charset="utf-8".
bool is_utf8_charset(std::string_view value) noexcept {
  if (value.size() >= 2 && value.front() == '"' && value.back() == '"')
    value = value.substr(1, value.size() - 2);
  return iequals(value, "utf-8") || iequals(value, "utf8");
}

}  // namespace

bool is_json_media_type(std::string_view content_type) noexcept {
  const std::size_t semicolon = content_type.find(';');
  const std::string_view type = trim(content_type.substr(0, semicolon));
  const std::size_t slash = type.find('/');
  if (slash == std::string_view::npos) return false;
  const std::string_view top = type.substr(0, slash);
  const std::string_view sub = type.substr(slash + 1);
  if (!iequals(top, "application")) return false;
  if (!iequals(sub, "json") && !(sub.size() > 5 && iends_with(sub, "+json"))) return false;

  std::string_view rest =
      semicolon == std::string_view::npos ? std::string_view() : content_type.substr(semicolon);
  while (!rest.empty()) {
    rest.remove_prefix(1);  // the ';'
    const std::size_t next = rest.find(';');
    const std::string_view parameter = trim(rest.substr(0, next));
    rest = next == std::string_view::npos ? std::string_view() : rest.substr(next);
    const std::size_t equals = parameter.find('=');
    if (equals == std::string_view::npos) continue;  // empty or malformed: ignored
    if (iequals(trim(parameter.substr(0, equals)), "charset") &&
        !is_utf8_charset(trim(parameter.substr(equals + 1))))
      return false;
  }
  return true;
}

}  // namespace chathooks::receiver::detail
