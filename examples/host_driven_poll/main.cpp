// The curl transport with no SDK thread: the program's own poll() loop, on the main thread,
// watches the sockets and the one timer that HostDrivenCurlTransport asks for (HostLoop) and
// calls the transport back (on_socket, on_timer); every send_async() callback runs inside those
// calls, on the main thread. It sends a few webhooks at once, chains one from a callback,
// cancels one, and shows that a refused request (queue full) is reported on the loop too,
// never inside send_async(). It prints each outcome and exits 0 when all behaved.
//   host_driven_poll          a receiver of its own on 127.0.0.1
//   host_driven_poll URL      POSTs to URL instead (destination guard on), e.g. a local receiver
// Everything here runs on one thread, so PollHost needs no lock; a program that calls
// send_async() from other threads must make set_timer() thread-safe and wake poll() (a pipe or
// an eventfd), as the header says.
#include <poll.h>

#include <fmt/core.h>

#include <chrono>
#include <cstddef>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "chathooks/http/host_driven_transport.hpp"
#include "chathooks/httplib/background_server.hpp"

using namespace chathooks;
using Clock = std::chrono::steady_clock;

namespace {

// What the transport asked the loop to watch: events per socket, and when to call on_timer().
class PollHost final : public http::HostLoop {
 public:
  void watch(int fd, bool read, bool write) override {
    if (!read && !write) {
      sockets_.erase(fd);
      return;
    }
    sockets_[fd] = static_cast<short>((read ? POLLIN : 0) | (write ? POLLOUT : 0));
  }
  void set_timer(std::optional<std::chrono::milliseconds> after) override {
    timer_.reset();
    if (after) timer_ = Clock::now() + *after;
  }

  // One turn: poll() until a socket is ready or the timer is due, then call the transport.
  void turn(http::HostDrivenCurlTransport& transport) {
    std::vector<pollfd> fds;
    for (const auto& [fd, events] : sockets_) fds.push_back(pollfd{fd, events, 0});
    int timeout = -1;
    if (timer_) {
      const auto left = std::chrono::ceil<std::chrono::milliseconds>(*timer_ - Clock::now());
      timeout = static_cast<int>(std::max<long long>(0, left.count()));
    }
    if (::poll(fds.data(), fds.size(), timeout) < 0) return;  // EINTR: just turn again.
    for (const auto& ready : fds) {
      // A socket unwatched by an earlier call of this turn may already be closed.
      if (ready.revents == 0 || sockets_.count(ready.fd) == 0) continue;
      transport.on_socket(ready.fd, (ready.revents & (POLLIN | POLLHUP)) != 0,
                          (ready.revents & POLLOUT) != 0, (ready.revents & POLLERR) != 0);
    }
    if (timer_ && *timer_ <= Clock::now()) {
      timer_.reset();  // One-shot: the transport arms it again when it needs it.
      transport.on_timer();
    }
  }

 private:
  std::map<int, short> sockets_;
  std::optional<Clock::time_point> timer_;
};

http::HttpRequest webhook(const std::string& url, const std::string& body) {
  http::HttpRequest request;
  request.url = url;
  request.body = body;
  (void)request.headers.set("Content-Type", "application/json");
  return request;
}

}  // namespace

int main(int argc, char** argv) {
  httplib_adapter::BackgroundServer receiver;
  http::CurlTransportOptions options;
  std::string url;
  if (argc > 1) {
    url = argv[1];
  } else {
    receiver.server().Post("/hook", [](const ::httplib::Request& req, ::httplib::Response& res) {
      res.set_content(req.body, "application/json");  // Echoes the event back.
    });
    receiver.server().Post("/stuck", [](const ::httplib::Request&, ::httplib::Response& res) {
      std::this_thread::sleep_for(std::chrono::seconds(1));  // Cancelled before this.
      res.status = 204;
    });
    if (!receiver.start("127.0.0.1", 0, std::chrono::seconds(10))) {
      fmt::print(stderr, "cannot start the loopback receiver\n");
      return 1;
    }
    url = receiver.url("/hook");
    options.allow_private_addresses = true;  // Our own receiver, on loopback.
  }
  options.max_queued = 5;  // Small, to show a refusal below.
  options.timeout = std::chrono::seconds(20);

  auto host = std::make_shared<PollHost>();
  auto transport = http::HostDrivenCurlTransport::create(host, options);
  int failures = 0;
  int answered = 0;
  auto expect_ok = [&](std::string label) {
    return [&, label](Result<http::HttpResponse> result) {
      if (result && result->status / 100 == 2) {
        ++answered;
        fmt::print("{}: {} {}\n", label, result->status, result->body);
      } else {
        ++failures;
        fmt::print("{}: FAILED {}\n", label,
                   result ? std::to_string(result->status) : result.error().message());
      }
    };
  };

  // Four webhooks in flight at once; the first one's callback sends a fifth (a follow-up).
  transport->send_async(webhook(url, R"({"event":1})"), [&](Result<http::HttpResponse> result) {
    expect_ok("event 1")(std::move(result));
    transport->send_async(webhook(url, R"({"event":"1 follow-up"})"),
                          expect_ok("event 1 follow-up"));
  });
  for (int i = 2; i <= 4; ++i) {
    transport->send_async(webhook(url, fmt::format(R"({{"event":{}}})", i)),
                          expect_ok(fmt::format("event {}", i)));
  }
  // One to cancel. Against a URL of the command line it may have completed first: that is fine.
  bool cancelled = argc > 1;
  const std::string stuck_url = argc > 1 ? url : receiver.url("/stuck");
  auto handle = transport->send_async(webhook(stuck_url, "{}"), [&](Result<http::HttpResponse> r) {
    if (!r && r.error().code() == Errc::cancelled) cancelled = true;
    fmt::print("stuck: {}\n", r ? std::to_string(r->status) : r.error().message());
  });
  // The queue holds 5: the sixth and seventh are refused, reported at the loop's next turn.
  int refused = 0;
  bool refused_inline = false;
  for (int i = 0; i < 2; ++i) {
    auto returned = std::make_shared<bool>(false);
    transport->send_async(webhook(url, "{}"), [&, returned](Result<http::HttpResponse> r) {
      if (!*returned) refused_inline = true;
      if (!r && r.error().code() == Errc::queue_full) ++refused;
    });
    *returned = true;
  }

  const auto limit = Clock::now() + std::chrono::seconds(60);
  bool handle_cancelled = false;
  while (transport->pending() > 0 && Clock::now() < limit) {
    host->turn(*transport);
    // Once the four events are answered, give up on the stuck one.
    if (answered >= 4 && !handle_cancelled) {
      handle.cancel();
      handle_cancelled = true;
    }
  }
  const bool all_ended = transport->pending() == 0;
  fmt::print("answered={} failed={} refused_queue_full={} stuck_cancelled={}\n", answered, failures,
             refused, cancelled);
  if (!all_ended || failures > 0 || answered != 5 || refused != 2 || refused_inline || !cancelled) {
    fmt::print(stderr, "host_driven_poll: something did not behave\n");
    return 1;
  }
  return 0;
}
