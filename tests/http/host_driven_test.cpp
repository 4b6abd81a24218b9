// HostDrivenCurlTransport's contract with the host, checked from a loop the test drives on its
// own thread (no loop thread): what it asks of HostLoop (a zero timer after send_async, sockets
// to watch, everything unwatched and the timer cancelled when destroyed), that callbacks run
// only inside on_timer()/on_socket() (a refusal too, never inside send_async()), pending(), and
// that drain() on the loop's own thread does not wait for the loop it blocks. Against a
// cpp-httplib server on 127.0.0.1.
#include <poll.h>

#include <chathooks/http/host_driven_transport.hpp>

#include <chrono>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "async_outcomes.hpp"
#include "catch.hpp"
#include "test_server.hpp"

using chathooks::Errc;
using chathooks_test::dev_options;
using chathooks_test::Outcomes;
using chathooks_test::post;
using chathooks_test::TestServer;
using namespace chathooks::http;
using Clock = std::chrono::steady_clock;

namespace {

/// Records what the transport asks for; turn() is one pass of a poll() loop on the caller's
/// thread. Only the test's thread uses the transport here, so no lock is needed.
class RecordingLoop final : public HostLoop {
 public:
  void watch(int fd, bool read, bool write) override {
    if (!read && !write) {
      sockets.erase(fd);
    } else {
      sockets[fd] = static_cast<short>((read ? POLLIN : 0) | (write ? POLLOUT : 0));
    }
  }
  void set_timer(std::optional<std::chrono::milliseconds> after) override {
    timer_calls.push_back(after);
    timer.reset();
    if (after) timer = Clock::now() + *after;
  }

  /// Waits up to 100 ms for a socket or the timer, and calls the transport back.
  void turn(HostDrivenCurlTransport& transport) {
    std::vector<pollfd> fds;
    for (const auto& [fd, events] : sockets) fds.push_back(pollfd{fd, events, 0});
    int wait = 100;
    if (timer) {
      const auto left = std::chrono::ceil<std::chrono::milliseconds>(*timer - Clock::now());
      wait = static_cast<int>(std::min<long long>(wait, std::max<long long>(0, left.count())));
    }
    ::poll(fds.data(), fds.size(), wait);
    for (const auto& ready : fds) {
      if (ready.revents == 0 || sockets.count(ready.fd) == 0) continue;
      transport.on_socket(ready.fd, (ready.revents & (POLLIN | POLLHUP)) != 0,
                          (ready.revents & POLLOUT) != 0, (ready.revents & POLLERR) != 0);
    }
    if (timer && *timer <= Clock::now()) {
      timer.reset();
      transport.on_timer();
    }
  }

  std::map<int, short> sockets;
  std::optional<Clock::time_point> timer;
  std::vector<std::optional<std::chrono::milliseconds>> timer_calls;
};

/// Turns `loop` until `done()` or a minute passes; whether `done()` came true.
template <class Done>
bool turn_until(RecordingLoop& loop, HostDrivenCurlTransport& transport, Done done) {
  const auto limit = Clock::now() + std::chrono::minutes(1);
  while (!done()) {
    if (Clock::now() > limit) return false;
    loop.turn(transport);
  }
  return true;
}

}  // namespace

TEST_CASE("Host-driven: callbacks run only inside on_timer and on_socket, on the loop's thread",
          "[concurrency]") {
  TestServer server;
  server.server().Post("/echo", [](const httplib::Request& req, httplib::Response& res) {
    res.set_content(req.body, "text/plain");
  });
  server.server().Post("/hold", [&server](const httplib::Request&, httplib::Response& res) {
    server.gate().wait(std::chrono::minutes(2));
    res.set_content("held", "text/plain");
  });
  server.start();
  auto loop = std::make_shared<RecordingLoop>();
  auto transport = HostDrivenCurlTransport::create(loop, dev_options());
  Outcomes outcomes(3);

  transport->send_async(post(server.url("/echo"), "hello"), outcomes.callback(0));
  CHECK(outcomes.calls(0) == 0);
  CHECK(transport->pending() == 1);
  // It asked for a zero timer: the loop's next turn starts the transfer.
  REQUIRE_FALSE(loop->timer_calls.empty());
  CHECK(loop->timer_calls.back() == std::chrono::milliseconds(0));
  CHECK(loop->sockets.empty());

  // A refused request is reported at the next on_timer(), not inside send_async().
  transport->send_async(post("http://127.0.0.1:1/\r\n"), outcomes.callback(1));
  CHECK(outcomes.calls(1) == 0);
  CHECK(transport->pending() == 2);
  transport->on_timer();
  CHECK(outcomes.calls(1) == 1);
  CHECK(outcomes.code(1) == Errc::invalid_request);

  REQUIRE(turn_until(*loop, *transport, [&] { return outcomes.calls(0) == 1; }));
  REQUIRE(outcomes.result(0).ok());
  CHECK(outcomes.result(0)->body == "hello");
  CHECK(transport->pending() == 0);

  // drain() on the loop's own thread cannot wait for the loop it blocks: it cancels at once,
  // the callback run before it returns.
  transport->send_async(post(server.url("/hold")), outcomes.callback(2));
  REQUIRE(turn_until(*loop, *transport, [&] { return server.gate().wait_for_waiters(1, {}); }));
  const auto started = Clock::now();
  CHECK(transport->drain(Clock::now() + std::chrono::hours(1)) == 1);
  CHECK(Clock::now() - started < std::chrono::seconds(30));
  CHECK(outcomes.calls(2) == 1);
  CHECK(outcomes.code(2) == Errc::cancelled);
  server.gate().open();

  // Destroyed: every socket unwatched, the timer cancelled.
  transport.reset();
  CHECK(loop->sockets.empty());
  REQUIRE_FALSE(loop->timer_calls.empty());
  CHECK_FALSE(loop->timer_calls.back().has_value());
}
