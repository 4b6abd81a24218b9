// The destination guard's address classifier: which IP addresses an outgoing webhook must not
// reach unless the host opted in (loopback, private, CGNAT, link-local, ULA, multicast,
// unspecified, documentation and other special-purpose ranges, and IPv6 forms embedding one of
// those IPv4 addresses). Header-only and pure so the tests can check every range directly.
// Internal to src/transport (not installed). Thread-safety: pure functions.
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

namespace chathooks::http::detail {

/// Whether an IPv4 address (host byte order) is refused by the guard.
inline bool is_blocked_ipv4(std::uint32_t a) {
  struct Range {
    std::uint32_t base;
    int prefix;
  };
  // 0/8 "this network", 10/8, 100.64/10 CGNAT, 127/8 loopback, 169.254/16 link-local,
  // 172.16/12, 192.0.0/24 protocol assignments, 192.0.2/24, 198.51.100/24 and 203.0.113/24
  // documentation, 192.168/16, 198.18/15 benchmarking, 224/4 multicast, 240/4 reserved and
  // broadcast.
  static constexpr Range kRanges[] = {
      {0x00000000u, 8},  {0x0A000000u, 8},  {0x64400000u, 10}, {0x7F000000u, 8},  {0xA9FE0000u, 16},
      {0xAC100000u, 12}, {0xC0000000u, 24}, {0xC0000200u, 24}, {0xC0A80000u, 16}, {0xC6120000u, 15},
      {0xC6336400u, 24}, {0xCB007100u, 24}, {0xE0000000u, 4},  {0xF0000000u, 4},
  };
  for (const auto& r : kRanges) {
    const std::uint32_t mask = r.prefix == 0 ? 0u : ~std::uint32_t{0} << (32 - r.prefix);
    if ((a & mask) == r.base) return true;
  }
  return false;
}

/// Whether an IPv6 address (16 bytes, network order) is refused by the guard.
inline bool is_blocked_ipv6(const unsigned char* b) {
  auto v4_at = [b](int i) {
    return (std::uint32_t{b[i]} << 24) | (std::uint32_t{b[i + 1]} << 16) |
           (std::uint32_t{b[i + 2]} << 8) | std::uint32_t{b[i + 3]};
  };
  auto zero = [b](int from, int to) {
    for (int i = from; i < to; ++i) {
      if (b[i] != 0) return false;
    }
    return true;
  };
  // ::/96 holds the unspecified address ::, loopback ::1 and the deprecated IPv4-compatible
  // form; judge the embedded IPv4 (:: and ::1 fall in 0/8).
  if (zero(0, 12)) return is_blocked_ipv4(v4_at(12));
  // ::ffff:0:0/96 IPv4-mapped: judge the IPv4 address.
  if (zero(0, 10) && b[10] == 0xff && b[11] == 0xff) return is_blocked_ipv4(v4_at(12));
  // 64:ff9b::/96 NAT64: judge the IPv4 address; 64:ff9b:1::/48 local-use NAT64: refuse.
  if (b[0] == 0x00 && b[1] == 0x64 && b[2] == 0xff && b[3] == 0x9b) {
    if (zero(4, 12)) return is_blocked_ipv4(v4_at(12));
    if (b[4] == 0x00 && b[5] == 0x01) return true;
  }
  // 2002::/16 6to4: judge the IPv4 address in bits 16..47.
  if (b[0] == 0x20 && b[1] == 0x02) return is_blocked_ipv4(v4_at(2));
  // 2001:db8::/32 documentation.
  if (b[0] == 0x20 && b[1] == 0x01 && b[2] == 0x0d && b[3] == 0xb8) return true;
  // 100::/64 discard-only.
  if (b[0] == 0x01 && b[1] == 0x00 && zero(2, 8)) return true;
  if ((b[0] & 0xfe) == 0xfc) return true;                  // fc00::/7 unique local
  if (b[0] == 0xfe && (b[1] & 0xc0) == 0x80) return true;  // fe80::/10 link-local
  if (b[0] == 0xfe && (b[1] & 0xc0) == 0xc0) return true;  // fec0::/10 old site-local
  if (b[0] == 0xff) return true;                           // ff00::/8 multicast
  return false;
}

/// Whether a socket address curl is about to connect to is refused. Families other than
/// IPv4 and IPv6 are refused too: the guard allows only what it can judge.
inline bool is_blocked_sockaddr(const void* address, std::size_t length) {
  sockaddr_storage storage{};
  if (length > sizeof(storage) || length < sizeof(sa_family_t)) return true;
  std::memcpy(&storage, address, length);
  if (storage.ss_family == AF_INET && length >= sizeof(sockaddr_in)) {
    sockaddr_in v4{};
    std::memcpy(&v4, &storage, sizeof(v4));
    return is_blocked_ipv4(ntohl(v4.sin_addr.s_addr));
  }
  if (storage.ss_family == AF_INET6 && length >= sizeof(sockaddr_in6)) {
    sockaddr_in6 v6{};
    std::memcpy(&v6, &storage, sizeof(v6));
    return is_blocked_ipv6(v6.sin6_addr.s6_addr);
  }
  return true;
}

/// For requests through a proxy, where the proxy resolves names: whether a URL host (as curl
/// reports it, IPv6 in brackets) is a refused literal address or a localhost name.
inline bool is_blocked_host_literal(std::string_view host) {
  if (!host.empty() && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
    const auto zone = host.find('%');
    if (zone != std::string_view::npos) host = host.substr(0, zone);
  }
  const std::string text(host);
  in_addr v4{};
  if (inet_pton(AF_INET, text.c_str(), &v4) == 1) return is_blocked_ipv4(ntohl(v4.s_addr));
  in6_addr v6{};
  if (inet_pton(AF_INET6, text.c_str(), &v6) == 1) return is_blocked_ipv6(v6.s6_addr);
  std::string lower;
  for (char c : text) lower += (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
  while (!lower.empty() && lower.back() == '.') lower.pop_back();
  const std::string_view suffix = ".localhost";
  return lower == "localhost" ||
         (lower.size() > suffix.size() &&
          lower.compare(lower.size() - suffix.size(), suffix.size(), suffix) == 0);
}

}  // namespace chathooks::http::detail
