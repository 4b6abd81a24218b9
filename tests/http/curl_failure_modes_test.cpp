// Both curl transports (transport_kinds.hpp: CurlTransport and HostDrivenCurlTransport on a poll()
// loop) against servers that misbehave at the TCP level (raw sockets on 127.0.0.1, not
// httplib): one that accepts and never answers, one whose backlog holds the connection and
// never accepts, one that closes or resets at once; and host names that cannot resolve, refused by
// the test's own getaddrinfo (unresolvable_names.cpp), so that no resolver is asked. Each failure
// is an Error with its Errc, on the synchronous and the asynchronous path, and a callback runs
// exactly once.
#include <chathooks/http/curl_transport.hpp>

#include <chrono>
#include <string>

#include "async_outcomes.hpp"
#include "catch.hpp"
#include "silent_server.hpp"
#include "test_server.hpp"
#include "transport_kinds.hpp"
#include "unresolvable_names.hpp"

using chathooks::Errc;
using chathooks::Result;
using chathooks_test::code_of;
using chathooks_test::dev_options;
using chathooks_test::HostDrivenKind;
using chathooks_test::Outcomes;
using chathooks_test::post;
using chathooks_test::SilentServer;
using chathooks_test::ThreadedKind;
using namespace chathooks::http;
using Clock = std::chrono::steady_clock;

namespace {

// How long the asynchronous sends of one test may take, all told.
constexpr std::chrono::seconds kAsyncLimit{120};

/// A host name that fails to resolve, refused by the test's own getaddrinfo()
/// (unresolvable_names.cpp): no resolver is asked, no packet is sent.
std::string unresolvable_host(const char* label) {
  return std::string(label) + unresolvable_names::kSuffix;
}

}  // namespace

TEMPLATE_TEST_CASE(
    "A server that accepts and never answers: send() times out at the request's timeout", "",
    ThreadedKind, HostDrivenKind) {
  for (const auto mode : {SilentServer::Mode::accept_and_hold, SilentServer::Mode::never_accept}) {
    INFO((mode == SilentServer::Mode::never_accept ? "never accepted" : "accepted, held"));
    SilentServer server(mode);
    TestType fixture(dev_options());
    auto& transport = *fixture;  // Transport timeout: the default 30 s.
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

TEMPLATE_TEST_CASE(
    "A server that never answers: the transport's own timeout applies when the request "
    "sets none",
    "", ThreadedKind, HostDrivenKind) {
  SilentServer server(SilentServer::Mode::accept_and_hold);
  auto options = dev_options();
  options.timeout = std::chrono::milliseconds(400);
  TestType fixture(options);
  auto& transport = *fixture;
  const auto started = Clock::now();
  const auto result = transport.send(post(server.url("/silent")));
  CHECK(Clock::now() - started >= std::chrono::milliseconds(350));
  REQUIRE(code_of(result) == Errc::timeout);
  CHECK_THAT(result.error().message(), Catch::Contains("timed out"));
}

TEMPLATE_TEST_CASE(
    "A server that never answers: with no total timeout the low-speed cut still ends it", "",
    ThreadedKind, HostDrivenKind) {
  // CurlTransportOptions: "The time a server spends before answering counts too."
  SilentServer server(SilentServer::Mode::accept_and_hold);
  auto options = dev_options();
  options.timeout = std::chrono::milliseconds(0);  // Disabled.
  options.low_speed_time = std::chrono::seconds(1);
  options.low_speed_limit_bytes = 1;
  TestType fixture(options);
  auto& transport = *fixture;
  const auto started = Clock::now();
  const auto result = transport.send(post(server.url("/silent")));
  CHECK(Clock::now() - started >= std::chrono::milliseconds(900));
  CHECK(code_of(result) == Errc::timeout);
}

TEMPLATE_TEST_CASE("A server that never answers: send_async times out, each callback once", "",
                   ThreadedKind, HostDrivenKind) {
  constexpr std::size_t kCount = 8;
  SilentServer server(SilentServer::Mode::accept_and_hold);
  TestType fixture(dev_options());
  auto& transport = *fixture;
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

TEMPLATE_TEST_CASE("A server that accepts and closes or resets at once is connection_failed", "",
                   ThreadedKind, HostDrivenKind) {
  for (const auto mode :
       {SilentServer::Mode::accept_and_close, SilentServer::Mode::accept_and_reset}) {
    INFO((mode == SilentServer::Mode::accept_and_close ? "close" : "reset"));
    SilentServer server(mode);
    TestType fixture(dev_options());
    auto& transport = *fixture;
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

TEMPLATE_TEST_CASE("A host name that cannot resolve is Errc::dns, and nothing is sent", "",
                   ThreadedKind, HostDrivenKind) {
  const std::string url = "http://" + unresolvable_host("webhooks") + "/hook";
  const int lookups_before = unresolvable_names::lookups();
  for (const bool guard : {true, false}) {
    INFO((guard ? "destination guard on" : "guard off"));
    CurlTransportOptions options;
    options.allow_private_addresses = !guard;
    TestType fixture(options);
    auto& transport = *fixture;
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
  options.proxy = "http://" + unresolvable_host("proxy") + ":3128";
  TestType fixture(options);
  auto& transport = *fixture;
  CHECK(code_of(transport.send(post(url))) == Errc::dns);
  // Each of the five sends above was resolved by the test's getaddrinfo (curl may ask again
  // for another address family), none by the system's.
  CHECK(unresolvable_names::lookups() - lookups_before >= 5);
}
