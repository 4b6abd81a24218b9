// HttpHeaders: validation at insertion and case-insensitive lookup.
#include "chathooks/http/message.hpp"

#include <algorithm>

#include "chathooks/open_enum.hpp"

namespace chathooks::http {
namespace {

bool is_token_char(unsigned char c) {
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return true;
  switch (c) {
    case '!':
    case '#':
    case '$':
    case '%':
    case '&':
    case '\'':
    case '*':
    case '+':
    case '-':
    case '.':
    case '^':
    case '_':
    case '`':
    case '|':
    case '~':
      return true;
    default:
      return false;
  }
}

// Header names compare ignoring ASCII case (RFC 9110 section 5.1).
bool header_name_equals(std::string_view a, std::string_view b) noexcept {
  return chathooks::detail::ascii_iequal(a, b);
}

}  // namespace

Result<void> HttpHeaders::validate(std::string_view name, std::string_view value) {
  if (name.empty()) return Error(Errc::invalid_request, "empty header name");
  for (char c : name) {
    if (!is_token_char(static_cast<unsigned char>(c))) {
      // Do not echo the name: it may be attacker-controlled and hold control characters.
      return Error(Errc::invalid_request, "header name holds a character that is not allowed");
    }
  }
  for (char c : value) {
    if (c == '\r' || c == '\n' || c == '\0') {
      return Error(Errc::invalid_request,
                   "value of header '" + std::string(name) + "' holds CR, LF or NUL");
    }
  }
  return {};
}

Result<void> HttpHeaders::set(std::string name, std::string value) {
  auto valid = validate(name, value);
  if (!valid) return valid;
  auto first = std::find_if(entries_.begin(), entries_.end(),
                            [&](const Entry& e) { return header_name_equals(e.first, name); });
  if (first == entries_.end()) {
    entries_.emplace_back(std::move(name), std::move(value));
    return {};
  }
  *first = Entry(std::move(name), std::move(value));
  const std::string_view kept = first->first;
  entries_.erase(std::remove_if(first + 1, entries_.end(),
                                [&](const Entry& e) { return header_name_equals(e.first, kept); }),
                 entries_.end());
  return {};
}

Result<void> HttpHeaders::add(std::string name, std::string value) {
  auto valid = validate(name, value);
  if (!valid) return valid;
  entries_.emplace_back(std::move(name), std::move(value));
  return {};
}

std::optional<std::string> HttpHeaders::get(std::string_view name) const {
  for (const auto& e : entries_) {
    if (header_name_equals(e.first, name)) return e.second;
  }
  return std::nullopt;
}

std::vector<std::string> HttpHeaders::get_all(std::string_view name) const {
  std::vector<std::string> values;
  for (const auto& e : entries_) {
    if (header_name_equals(e.first, name)) values.push_back(e.second);
  }
  return values;
}

bool HttpHeaders::contains(std::string_view name) const {
  return std::any_of(entries_.begin(), entries_.end(),
                     [&](const Entry& e) { return header_name_equals(e.first, name); });
}

std::size_t HttpHeaders::remove(std::string_view name) {
  const auto before = entries_.size();
  entries_.erase(std::remove_if(entries_.begin(), entries_.end(),
                                [&](const Entry& e) { return header_name_equals(e.first, name); }),
                 entries_.end());
  return before - entries_.size();
}

}  // namespace chathooks::http
