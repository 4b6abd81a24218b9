// Tests of source_addresses(): CIDR blocks in IPv4 and IPv6, IPv4-mapped peers, the edge
// prefixes /0, /32 and /128, host bits, refused peers (outside, empty, unparsable) and ranges
// that do not parse. Through the public authenticator, so the tests hold in a shared build.
#include <chrono>
#include <string>
#include <utility>
#include <vector>

#include "catch.hpp"
#include "chathooks/receiver/authenticator.hpp"

using chathooks::Errc;
using chathooks::receiver::AuthenticatorPtr;
using chathooks::receiver::Request;
using chathooks::receiver::source_addresses;

namespace {

AuthenticatorPtr allow(std::vector<std::string> ranges) {
  auto authenticator = source_addresses(std::move(ranges));
  INFO((authenticator ? std::string() : authenticator.error().message()));
  REQUIRE(authenticator);
  return *authenticator;
}

// Whether `authenticator` accepts a request from `peer`; a refusal must be unauthenticated.
bool accepts(const AuthenticatorPtr& authenticator, std::string peer) {
  Request request;
  request.method = "POST";
  request.remote_address = std::move(peer);
  const auto result = authenticator->authenticate(request, std::chrono::system_clock::time_point());
  if (!result) CHECK(result.error().code() == Errc::unauthenticated);
  return static_cast<bool>(result);
}

// The error of a range list that must not parse.
chathooks::Error invalid(std::vector<std::string> ranges) {
  auto authenticator = source_addresses(std::move(ranges));
  REQUIRE_FALSE(authenticator);
  CHECK(authenticator.error().code() == Errc::invalid_argument);
  return authenticator.error();
}

}  // namespace

TEST_CASE("source_addresses matches an IPv4 block") {
  const auto a = allow({"203.0.113.0/24"});
  CHECK(a->proves_sender());
  CHECK(accepts(a, "203.0.113.0"));
  CHECK(accepts(a, "203.0.113.7"));
  CHECK(accepts(a, "203.0.113.255"));
  CHECK_FALSE(accepts(a, "203.0.112.255"));
  CHECK_FALSE(accepts(a, "203.0.114.0"));
  CHECK_FALSE(accepts(a, "2001:db8::1"));
}

TEST_CASE("source_addresses matches prefixes that do not end on a byte") {
  const auto a = allow({"198.51.100.64/26"});  // .64 to .127
  CHECK_FALSE(accepts(a, "198.51.100.63"));
  CHECK(accepts(a, "198.51.100.64"));
  CHECK(accepts(a, "198.51.100.127"));
  CHECK_FALSE(accepts(a, "198.51.100.128"));
  const auto b = allow({"10.0.0.0/9"});  // 10.0.0.0 to 10.127.255.255
  CHECK(accepts(b, "10.127.255.255"));
  CHECK_FALSE(accepts(b, "10.128.0.0"));
  const auto c = allow({"2001:db8:8000::/33"});
  CHECK(accepts(c, "2001:db8:ffff::1"));
  CHECK_FALSE(accepts(c, "2001:db8:7fff::1"));
}

TEST_CASE("source_addresses takes a single address as /32 or /128") {
  const auto a = allow({"203.0.113.7", "2001:db8::7"});
  CHECK(accepts(a, "203.0.113.7"));
  CHECK_FALSE(accepts(a, "203.0.113.6"));
  CHECK_FALSE(accepts(a, "203.0.113.8"));
  CHECK(accepts(a, "2001:db8::7"));
  CHECK(accepts(a, "2001:0db8:0000::0007"));  // another spelling of the same address
  CHECK_FALSE(accepts(a, "2001:db8::6"));
  const auto b = allow({"203.0.113.7/32", "2001:db8::7/128"});
  CHECK(accepts(b, "203.0.113.7"));
  CHECK_FALSE(accepts(b, "203.0.113.6"));
  CHECK(accepts(b, "2001:db8::7"));
  CHECK_FALSE(accepts(b, "2001:db8::8"));
}

TEST_CASE("source_addresses /0 takes in its whole family only") {
  const auto v4 = allow({"0.0.0.0/0"});
  CHECK(accepts(v4, "0.0.0.0"));
  CHECK(accepts(v4, "255.255.255.255"));
  CHECK(accepts(v4, "::ffff:192.0.2.1"));
  CHECK_FALSE(accepts(v4, "::1"));
  CHECK_FALSE(accepts(v4, "2001:db8::1"));
  const auto v6 = allow({"::/0"});
  CHECK(accepts(v6, "::"));
  CHECK(accepts(v6, "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"));
  CHECK(accepts(v6, "::ffff:192.0.2.1"));  // written as IPv6, so it is in ::/0
  CHECK_FALSE(accepts(v6, "192.0.2.1"));
}

TEST_CASE("source_addresses matches an IPv6 block") {
  const auto a = allow({"2001:db8::/32"});
  CHECK(accepts(a, "2001:db8::"));
  CHECK(accepts(a, "2001:db8:ffff:ffff:ffff:ffff:ffff:ffff"));
  CHECK(accepts(a, "2001:DB8::ABCD"));
  CHECK_FALSE(accepts(a, "2001:db9::"));
  CHECK_FALSE(accepts(a, "2001:db7:ffff::"));
  CHECK_FALSE(accepts(a, "32.1.13.184"));  // the same first four bytes, as IPv4
}

TEST_CASE("source_addresses matches IPv4-mapped IPv6 peers against IPv4 blocks") {
  const auto a = allow({"203.0.113.0/24"});
  CHECK(accepts(a, "::ffff:203.0.113.7"));
  CHECK(accepts(a, "::FFFF:cb00:7107"));  // the same, in hex
  CHECK(accepts(a, "0:0:0:0:0:ffff:203.0.113.7"));
  CHECK_FALSE(accepts(a, "::ffff:203.0.114.7"));
  // Not mapped: IPv4-compatible (deprecated), NAT64 and a near miss.
  CHECK_FALSE(accepts(a, "::203.0.113.7"));
  CHECK_FALSE(accepts(a, "64:ff9b::203.0.113.7"));
  CHECK_FALSE(accepts(a, "::fffe:203.0.113.7"));
  CHECK_FALSE(accepts(a, "1::ffff:203.0.113.7"));
  // A mapped block written as IPv6 matches mapped peers, not plain IPv4 text.
  const auto b = allow({"::ffff:203.0.113.0/120"});
  CHECK(accepts(b, "::ffff:203.0.113.7"));
  CHECK_FALSE(accepts(b, "203.0.113.7"));
}

TEST_CASE("source_addresses ignores host bits beyond the prefix") {
  const auto a = allow({"203.0.113.77/24"});
  CHECK(accepts(a, "203.0.113.1"));
  CHECK_FALSE(accepts(a, "203.0.114.77"));
  const auto b = allow({"2001:db8::1/32"});
  CHECK(accepts(b, "2001:db8:1::"));
  const auto c = allow({"255.255.255.255/0"});
  CHECK(accepts(c, "1.2.3.4"));
  const auto d = allow({"198.51.100.127/25"});  // .0 to .127
  CHECK(accepts(d, "198.51.100.0"));
  CHECK_FALSE(accepts(d, "198.51.100.128"));
}

TEST_CASE("source_addresses accepts a peer in any of the ranges") {
  const auto a = allow({"192.0.2.0/24", "2001:db8::/48", "198.51.100.7"});
  CHECK(accepts(a, "192.0.2.200"));
  CHECK(accepts(a, "2001:db8:0:1::1"));
  CHECK(accepts(a, "198.51.100.7"));
  CHECK_FALSE(accepts(a, "198.51.100.8"));
  CHECK_FALSE(accepts(a, "2001:db8:1::1"));
}

TEST_CASE("source_addresses refuses an empty or unparsable peer address") {
  const auto a = allow({"0.0.0.0/0", "::/0"});
  const char* const peers[] = {
      "",          "localhost",        "203.0.113",         "203.0.113.7.1",
      "256.0.0.1", "203.0.113.07",     " 203.0.113.7",      "203.0.113.7 ",
      "[::1]",     "203.0.113.7:8080", "[2001:db8::1]:443", "fe80::1%eth0",
      "::1/128",   "203.0.113.0/24",   "2001:db8::g",       "1:2:3:4:5:6:7:8:9",
      "0x7f.1",    "2130706433",       "1.2.3.4\n",
  };
  for (const char* peer : peers) {
    CAPTURE(peer);
    CHECK_FALSE(accepts(a, peer));
  }
  // An embedded NUL must not cut the text short to a valid address.
  CHECK_FALSE(accepts(a, std::string("203.0.113.7\0junk", 16)));
  CHECK_FALSE(accepts(a, std::string(1000, '1')));
}

TEST_CASE("source_addresses refusals name neither the peer nor the ranges") {
  const auto a = allow({"192.0.2.0/24"});
  Request request;
  request.remote_address = "198.51.100.23";
  const auto outside = a->authenticate(request, std::chrono::system_clock::time_point());
  REQUIRE_FALSE(outside);
  CHECK(outside.error().message().find("198.51.100.23") == std::string::npos);
  CHECK(outside.error().message().find("192.0.2") == std::string::npos);
  request.remote_address = "<script>";
  const auto unparsable = a->authenticate(request, std::chrono::system_clock::time_point());
  REQUIRE_FALSE(unparsable);
  CHECK(unparsable.error().message().find("<script>") == std::string::npos);
}

TEST_CASE("source_addresses refuses ranges that do not parse, naming them") {
  CHECK(invalid({}).message() == "no source address range given");
  const char* const ranges[] = {
      "",
      "/24",
      "203.0.113.0/",
      "203.0.113.0/33",
      "203.0.113.0/-1",
      "203.0.113.0/+24",
      "203.0.113.0/024",
      "203.0.113.0/2 4",
      "203.0.113.0/24 ",
      " 203.0.113.0/24",
      "203.0.113.0/0x18",
      "203.0.113.0/1000",
      "203.0.113.0/24/24",
      "203.0.113/24",
      "2001:db8::/129",
      "2001:db8::/00",
      "2001:db8::%eth0/64",
      "[2001:db8::]/32",
      "example.com/24",
  };
  for (const char* range : ranges) {
    CAPTURE(range);
    const auto error = invalid({"192.0.2.0/24", range});
    CHECK(error.message().find("\"" + std::string(range) + "\"") != std::string::npos);
  }
  CHECK_FALSE(source_addresses({std::string("203.0.113.0/24\0", 15)}));
  CHECK_FALSE(source_addresses({std::string("203.0.113.0\0/8", 14)}));
}

TEST_CASE("source_addresses accepts the boundary prefixes") {
  CHECK(source_addresses({"203.0.113.7/32", "0.0.0.0/0", "::/0", "::1/128", "10.0.0.0/8"}));
  CHECK(source_addresses({"203.0.113.7/0"}));
}
