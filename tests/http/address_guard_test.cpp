// The destination guard's classifier, range by range.
#include "http/address_guard.hpp"

#include <arpa/inet.h>

#include <string>

#include "catch.hpp"

using namespace chathooks::http::detail;

namespace {

bool blocked(const std::string& text) {
  in_addr v4{};
  if (inet_pton(AF_INET, text.c_str(), &v4) == 1) {
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr = v4;
    return is_blocked_sockaddr(&address, sizeof(address));
  }
  in6_addr v6{};
  REQUIRE(inet_pton(AF_INET6, text.c_str(), &v6) == 1);
  sockaddr_in6 address{};
  address.sin6_family = AF_INET6;
  address.sin6_addr = v6;
  return is_blocked_sockaddr(&address, sizeof(address));
}

}  // namespace

TEST_CASE("The guard refuses loopback, private, CGNAT, link-local, multicast and unspecified") {
  for (const char* address : {"127.0.0.1",
                              "127.255.255.254",
                              "10.0.0.1",
                              "10.255.255.255",
                              "172.16.0.1",
                              "172.31.255.255",
                              "192.168.1.1",
                              "100.64.0.1",
                              "100.127.255.255",
                              "169.254.169.254",
                              "0.0.0.0",
                              "0.1.2.3",
                              "224.0.0.1",
                              "239.255.255.255",
                              "255.255.255.255",
                              "240.0.0.1",
                              "192.0.2.1",
                              "198.18.0.1",
                              "::",
                              "::1",
                              "fe80::1",
                              "febf::1",
                              "fc00::1",
                              "fd12:3456::1",
                              "ff02::1",
                              "::ffff:127.0.0.1",
                              "::ffff:10.1.2.3",
                              "::ffff:169.254.169.254",
                              "::ffff:0.0.0.0",
                              "64:ff9b::a00:1",
                              "2002:7f00:1::",
                              "2002:c0a8:101::1",
                              "2001:db8::1",
                              "fec0::1"}) {
    INFO(address);
    CHECK(blocked(address));
  }
}

TEST_CASE("The guard allows public addresses, including next to the blocked ranges") {
  for (const char* address :
       {"1.1.1.1", "8.8.8.8", "93.184.216.34", "11.0.0.1", "172.15.255.255", "172.32.0.1",
        "192.167.255.255", "192.169.0.1", "100.63.255.255", "100.128.0.1", "169.253.0.1",
        "126.255.255.255", "128.0.0.1", "223.255.255.255", "2606:4700:4700::1111",
        "2001:4860:4860::8888", "::ffff:8.8.8.8", "64:ff9b::808:808", "2002:808:808::1"}) {
    INFO(address);
    CHECK_FALSE(blocked(address));
  }
}

TEST_CASE("The guard refuses address families it cannot judge and truncated addresses") {
  sockaddr_in address{};
  address.sin_family = AF_INET;
  CHECK(is_blocked_sockaddr(&address, 1));
  sockaddr_storage unix_like{};
  unix_like.ss_family = AF_UNIX;
  CHECK(is_blocked_sockaddr(&unix_like, sizeof(unix_like)));
}

TEST_CASE("Host literals seen through a proxy") {
  CHECK(is_blocked_host_literal("127.0.0.1"));
  CHECK(is_blocked_host_literal("[::1]"));
  CHECK(is_blocked_host_literal("[fe80::1%25eth0]"));
  CHECK(is_blocked_host_literal("localhost"));
  CHECK(is_blocked_host_literal("LocalHost."));
  CHECK(is_blocked_host_literal("api.localhost"));
  CHECK_FALSE(is_blocked_host_literal("example.com"));
  CHECK_FALSE(is_blocked_host_literal("8.8.8.8"));
  CHECK_FALSE(is_blocked_host_literal("notlocalhost"));
}
