// CurlTransport against servers that misbehave at the TCP level (raw sockets on 127.0.0.1, not
// httplib): one that accepts and never answers, one whose backlog holds the connection and
// never accepts, one that closes or resets at once; and host names that cannot resolve, without
// any packet leaving the machine. Each failure is an Error with its Errc, on the synchronous
// and the asynchronous path, and a callback runs exactly once.
#include <chathooks/http/curl_transport.hpp>

#include <chrono>
#include <string>

#include "async_outcomes.hpp"
#include "catch.hpp"
#include "silent_server.hpp"
#include "test_server.hpp"

using chathooks::Errc;
using chathooks::Result;
using chathooks_test::code_of;
using chathooks_test::dev_options;
using chathooks_test::Outcomes;
using chathooks_test::post;
using chathooks_test::SilentServer;
using namespace chathooks::http;
using Clock = std::chrono::steady_clock;

namespace {

// How long the asynchronous sends of one test may take, all told.
constexpr std::chrono::seconds kAsyncLimit{120};

/// A host name no resolver can even ask about: its labels are 64 octets and the whole name is
/// 267, while the DNS wire format caps a label at 63 and a name at 255 (RFC 1035 2.3.4). glibc's
/// resolver fails while building the query (res_mkquery), before it opens a socket; /etc/hosts
/// is a local file; mDNS (nss-mdns) only asks about .local names. So resolution fails with no
/// packet sent anywhere (checked with strace -f -e trace=network: only local AF_UNIX sockets).
/// A ".invalid" name would not do: glibc does not special-case it and asks the configured
/// nameserver, which may be off the machine. libcurl's own alternatives are not available:
/// Debian's libcurl4-openssl uses the threaded resolver, so CURLOPT_DNS_SERVERS is
/// CURLE_UNKNOWN_OPTION, and CURLOPT_RESOLVE can add addresses but not make a name fail.
std::string unresolvable_host() {
  const std::string label(64, 'a');
  return label + "." + label + "." + label + "." + label + ".example";
}

}  // namespace

TEST_CASE("A server that accepts and never answers: send() times out at the request's timeout") {
  for (const auto mode : {SilentServer::Mode::accept_and_hold, SilentServer::Mode::never_accept}) {
    INFO((mode == SilentServer::Mode::never_accept ? "never accepted" : "accepted, held"));
    SilentServer server(mode);
    CurlTransport transport(dev_options());  // Transport timeout: the default 30 s.
    auto request = post(server.url("/silent"));
    request.timeout = std::chrono::milliseconds(400);
    const auto started = Clock::now();
    const auto result = transport.send(request);
    const auto elapsed = Clock::now() - started;
    REQUIRE(code_of(result) == Errc::timeout);
    // It waited for the timeout, not for some other failure (curl's timers are not early).
    CHECK(elapsed >= std::chrono::milliseconds(350));
    if (mode == SilentServer::Mode::accept_and_hold) CHECK(server.accepted() == 1);
  }
}

TEST_CASE(
    "A server that never answers: the transport's own timeout applies when the request "
    "sets none") {
  SilentServer server(SilentServer::Mode::accept_and_hold);
  auto options = dev_options();
  options.timeout = std::chrono::milliseconds(400);
  CurlTransport transport(options);
  const auto started = Clock::now();
  const auto result = transport.send(post(server.url("/silent")));
  CHECK(Clock::now() - started >= std::chrono::milliseconds(350));
  REQUIRE(code_of(result) == Errc::timeout);
  CHECK_THAT(result.error().message(), Catch::Contains("timed out"));
}

TEST_CASE("A server that never answers: with no total timeout the low-speed cut still ends it") {
  // CurlTransportOptions: "The time a server spends before answering counts too."
  SilentServer server(SilentServer::Mode::accept_and_hold);
  auto options = dev_options();
  options.timeout = std::chrono::milliseconds(0);  // Disabled.
  options.low_speed_time = std::chrono::seconds(1);
  options.low_speed_limit_bytes = 1;
  CurlTransport transport(options);
  const auto started = Clock::now();
  const auto result = transport.send(post(server.url("/silent")));
  CHECK(Clock::now() - started >= std::chrono::milliseconds(900));
  CHECK(code_of(result) == Errc::timeout);
}

TEST_CASE("A server that never answers: send_async times out, each callback once") {
  constexpr std::size_t kCount = 8;
  SilentServer server(SilentServer::Mode::accept_and_hold);
  CurlTransport transport(dev_options());
  Outcomes outcomes(kCount);
  const auto started = Clock::now();
  for (std::size_t i = 0; i < kCount; ++i) {
    auto request = post(server.url("/silent"));
    request.timeout = std::chrono::milliseconds(400);
    transport.send_async(std::move(request), outcomes.callback(i));
  }
  REQUIRE(outcomes.wait_all(kAsyncLimit));
  CHECK(Clock::now() - started >= std::chrono::milliseconds(350));
  for (std::size_t i = 0; i < kCount; ++i) {
    INFO(i);
    CHECK(outcomes.calls(i) == 1);
    CHECK(outcomes.code(i) == Errc::timeout);
  }
  REQUIRE(server.wait_accepted(kCount));
  CHECK(server.accepted() == kCount);  // Each on its own connection: none was reused.
}

TEST_CASE("A server that accepts and closes or resets at once is connection_failed") {
  for (const auto mode :
       {SilentServer::Mode::accept_and_close, SilentServer::Mode::accept_and_reset}) {
    INFO((mode == SilentServer::Mode::accept_and_close ? "close" : "reset"));
    SilentServer server(mode);
    CurlTransport transport(dev_options());
    CHECK(code_of(transport.send(post(server.url("/sync")))) == Errc::connection_failed);

    Outcomes outcomes(4);
    for (std::size_t i = 0; i < 4; ++i) {
      transport.send_async(post(server.url("/async")), outcomes.callback(i));
    }
    REQUIRE(outcomes.wait_all(kAsyncLimit));
    for (std::size_t i = 0; i < 4; ++i) {
      INFO(i);
      CHECK(outcomes.calls(i) == 1);
      CHECK(outcomes.code(i) == Errc::connection_failed);
    }
    REQUIRE(server.wait_accepted(5));
    CHECK(server.accepted() == 5);  // No retries.
  }
}

TEST_CASE("A host name that cannot resolve is Errc::dns, and nothing is sent") {
  const std::string url = "http://" + unresolvable_host() + "/hook";
  for (const bool guard : {true, false}) {
    INFO((guard ? "destination guard on" : "guard off"));
    CurlTransportOptions options;
    options.allow_private_addresses = !guard;
    CurlTransport transport(options);
    const auto result = transport.send(post(url));
    REQUIRE(code_of(result) == Errc::dns);
    CHECK_THAT(result.error().message(), Catch::Contains("resolve"));

    Outcomes outcomes(1);
    transport.send_async(post(url), outcomes.callback(0));
    REQUIRE(outcomes.wait_all(kAsyncLimit));
    CHECK(outcomes.calls(0) == 1);
    CHECK(outcomes.code(0) == Errc::dns);
  }
  // Through a proxy whose name cannot resolve (the proxy resolves the destination, so its name
  // is what curl looks up).
  CurlTransportOptions options;
  options.proxy = "http://" + unresolvable_host() + ":3128";
  CurlTransport transport(options);
  CHECK(code_of(transport.send(post(url))) == Errc::dns);
}
