// IP addresses and CIDR blocks for the source-address allow-list (receiver::source_addresses).
// Parsing is strict, because the ranges are security configuration and the peer address comes
// from the host's server: dotted-decimal IPv4 and RFC 4291 IPv6 text through inet_pton, a
// prefix of plain decimal digits, nothing else (no zone ids, brackets, ports or spaces).
// Thread-safety: immutable values and pure functions.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string_view>

#include "chathooks/error.hpp"

namespace chathooks::receiver::detail {

/// An IPv4 or IPv6 address. IPv4 uses the first 4 bytes of `bytes`.
struct IpAddress {
  enum class Family { v4, v6 };
  Family family = Family::v4;
  std::array<std::uint8_t, 16> bytes{};

  /// The embedded IPv4 address when this is an IPv4-mapped IPv6 address (::ffff:a.b.c.d).
  std::optional<IpAddress> mapped_v4() const noexcept;
};

/// Parses "203.0.113.7" or "2001:db8::1" (or "::ffff:203.0.113.7"); nullopt for anything
/// else, including an embedded NUL, a zone id ("fe80::1%eth0"), brackets or a port.
std::optional<IpAddress> parse_ip_address(std::string_view text);

/// A block of addresses: an address and a prefix length.
///
/// Host bits beyond the prefix ("203.0.113.7/24") are accepted and masked off, as nginx's
/// `allow` and iptables do: the block is 203.0.113.0/24. An address without a prefix is a block
/// of one (/32 or /128).
///
/// Matching: an IPv4 block matches IPv4 peers and IPv4-mapped IPv6 peers
/// ("::ffff:203.0.113.7"); an IPv6 block matches IPv6 peers only, compared as written (so
/// "::/0" does not take in a peer given as plain IPv4 text, but does take in a mapped one).
class AddressRange {
 public:
  /// Parses "203.0.113.0/24", "2001:db8::/32" or a single address. Errc::invalid_argument,
  /// with a message that quotes `text`, for anything else: an unparsable address, an empty,
  /// signed, non-decimal or zero-padded prefix ("/024"), or a prefix longer than the family
  /// allows (33 for IPv4, 129 for IPv6).
  static Result<AddressRange> parse(std::string_view text);

  /// Whether `peer` lies in the block.
  bool contains(const IpAddress& peer) const noexcept;

  IpAddress::Family family() const noexcept { return network_.family; }
  int prefix_length() const noexcept { return prefix_; }

 private:
  AddressRange(IpAddress network, int prefix) noexcept : network_(network), prefix_(prefix) {}
  IpAddress network_;  // host bits already zero
  int prefix_ = 0;
};

}  // namespace chathooks::receiver::detail
