// Strict parsing of `webhook-timestamp` and `webhook-signature` values.
#include "signing/signature_header.hpp"

#include "signing/base64.hpp"

namespace chathooks::signing::detail {

namespace {

bool is_separator(char c) { return c == ' ' || c == '\t'; }

std::optional<SignatureEntry> parse_entry(std::string_view entry) {
  const auto comma = entry.find(',');
  if (comma == std::string_view::npos) return std::nullopt;
  const std::string_view version = entry.substr(0, comma);
  SignatureEntry out;
  std::size_t expected_size = 0;
  if (version == "v1") {
    out.scheme = Scheme::v1;
    expected_size = kHmacSize;
  } else if (version == "v1a") {
    out.scheme = Scheme::v1a;
    expected_size = kEd25519SignatureSize;
  } else {
    return std::nullopt;
  }
  auto bytes = base64_decode(entry.substr(comma + 1));
  if (!bytes || bytes->size() != expected_size) return std::nullopt;
  out.bytes = std::move(*bytes);
  return out;
}

}  // namespace

ParsedSignatures parse_signature_header(std::string_view header, std::size_t max_entries) {
  ParsedSignatures out;
  std::size_t i = 0;
  while (i < header.size() && out.total <= max_entries) {
    while (i < header.size() && is_separator(header[i])) ++i;
    const std::size_t start = i;
    while (i < header.size() && !is_separator(header[i])) ++i;
    if (i == start) break;
    ++out.total;
    if (auto entry = parse_entry(header.substr(start, i - start))) {
      out.usable.push_back(std::move(*entry));
    }
  }
  return out;
}

}  // namespace chathooks::signing::detail
