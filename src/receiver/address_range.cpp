// CIDR parsing and matching with inet_pton: see address_range.hpp for the accepted forms.
#include "receiver/address_range.hpp"

#include <arpa/inet.h>

#include <cstddef>
#include <string>

namespace chathooks::receiver::detail {

namespace {

// The longest address text inet_pton can accept (INET6_ADDRSTRLEN counts the NUL); longer
// input is refused before it is copied.
constexpr std::size_t kMaxAddressText = INET6_ADDRSTRLEN;

// Whether the first `prefix` bits of `a` and `b` are equal.
bool same_prefix(const std::uint8_t* a, const std::uint8_t* b, int prefix) noexcept {
  const auto whole = static_cast<std::size_t>(prefix / 8);
  for (std::size_t i = 0; i < whole; ++i)
    if (a[i] != b[i]) return false;
  const int rest = prefix % 8;
  if (rest == 0) return true;
  const auto mask = static_cast<std::uint8_t>(0xFFu << (8 - rest));
  return (a[whole] & mask) == (b[whole] & mask);
}

// Zeroes every bit after the first `prefix` of the `size`-byte address.
void mask_host_bits(std::uint8_t* bytes, std::size_t size, int prefix) noexcept {
  for (std::size_t i = 0; i < size; ++i) {
    const int bit = static_cast<int>(i) * 8;
    if (bit >= prefix) {
      bytes[i] = 0;
    } else if (prefix - bit < 8) {
      bytes[i] = static_cast<std::uint8_t>(bytes[i] & (0xFFu << (8 - (prefix - bit))));
    }
  }
}

// A prefix length: "0", or 1 to 3 decimal digits without a leading zero.
std::optional<int> parse_prefix(std::string_view text) noexcept {
  if (text.empty() || text.size() > 3) return std::nullopt;
  if (text.size() > 1 && text[0] == '0') return std::nullopt;
  int value = 0;
  for (const char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    value = value * 10 + (c - '0');
  }
  return value;
}

}  // namespace

std::optional<IpAddress> IpAddress::mapped_v4() const noexcept {
  if (family != Family::v6) return std::nullopt;
  for (std::size_t i = 0; i < 10; ++i)
    if (bytes[i] != 0) return std::nullopt;
  if (bytes[10] != 0xFF || bytes[11] != 0xFF) return std::nullopt;
  IpAddress v4;
  v4.family = Family::v4;
  for (std::size_t i = 0; i < 4; ++i) v4.bytes[i] = bytes[12 + i];
  return v4;
}

std::optional<IpAddress> parse_ip_address(std::string_view text) {
  // inet_pton reads a C string: an embedded NUL would cut the text short and let
  // "203.0.113.7\0anything" through as 203.0.113.7.
  if (text.empty() || text.size() >= kMaxAddressText || text.find('\0') != std::string_view::npos) {
    return std::nullopt;
  }
  const std::string c_text(text);
  IpAddress address;
  if (inet_pton(AF_INET, c_text.c_str(), address.bytes.data()) == 1) {
    address.family = IpAddress::Family::v4;
    return address;
  }
  if (inet_pton(AF_INET6, c_text.c_str(), address.bytes.data()) == 1) {
    address.family = IpAddress::Family::v6;
    return address;
  }
  return std::nullopt;
}

Result<AddressRange> AddressRange::parse(std::string_view text) {
  const auto invalid = [&](const char* why) {
    return Error(Errc::invalid_argument,
                 "the address range \"" + std::string(text) + "\" is not valid: " + why);
  };
  const auto slash = text.find('/');
  const auto address = parse_ip_address(text.substr(0, slash));
  if (!address) return invalid("not an IPv4 or IPv6 address");
  const int max_prefix = address->family == IpAddress::Family::v4 ? 32 : 128;
  int prefix = max_prefix;
  if (slash != std::string_view::npos) {
    const auto parsed = parse_prefix(text.substr(slash + 1));
    if (!parsed) return invalid("the prefix length is not a decimal number");
    if (*parsed > max_prefix) {
      return invalid(max_prefix == 32 ? "the prefix length is more than 32"
                                      : "the prefix length is more than 128");
    }
    prefix = *parsed;
  }
  IpAddress network = *address;
  mask_host_bits(network.bytes.data(), static_cast<std::size_t>(max_prefix / 8), prefix);
  return AddressRange(network, prefix);
}

bool AddressRange::contains(const IpAddress& peer) const noexcept {
  if (network_.family == IpAddress::Family::v4) {
    if (peer.family == IpAddress::Family::v4)
      return same_prefix(network_.bytes.data(), peer.bytes.data(), prefix_);
    const auto v4 = peer.mapped_v4();
    return v4 && same_prefix(network_.bytes.data(), v4->bytes.data(), prefix_);
  }
  return peer.family == IpAddress::Family::v6 &&
         same_prefix(network_.bytes.data(), peer.bytes.data(), prefix_);
}

}  // namespace chathooks::receiver::detail
