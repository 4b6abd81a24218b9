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
#include "common/host_driven_example.hpp"

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

}  // namespace

int main(int argc, char** argv) {
  http::CurlTransportOptions options;
  host_driven_example::Target target;
  target.server().Post("/stuck", [](const ::httplib::Request&, ::httplib::Response& res) {
    std::this_thread::sleep_for(std::chrono::seconds(1));  // Cancelled before this.
    res.status = 204;
  });
  if (!target.start(argc, argv, options)) return 1;
  const std::string& url = target.url();
  options.max_queued = 5;  // Small, to show a refusal below.
  options.timeout = std::chrono::seconds(20);

  auto host = std::make_shared<PollHost>();
  auto transport = http::HostDrivenCurlTransport::create(host, options);
  host_driven_example::Tally tally;
  auto expect_ok = [&](std::string label) {
    return [&, label](Result<http::HttpResponse> result) { tally.record(label, result); };
  };

  // Four webhooks in flight at once; the first one's callback sends a fifth (a follow-up).
  host_driven_example::send_events(*transport, url, expect_ok);
  // One to cancel. Against a URL of the command line it may have completed first: that is fine.
  bool cancelled = !target.own_receiver();
  const std::string stuck_url = target.own_receiver() ? target.url("/stuck") : url;
  auto handle = transport->send_async(
      host_driven_example::webhook(stuck_url, "{}"), [&](Result<http::HttpResponse> r) {
        if (!r && r.error().code() == Errc::cancelled) cancelled = true;
        fmt::print("stuck: {}\n", r ? std::to_string(r->status) : r.error().message());
      });
  // The queue holds 5: the sixth and seventh are refused, reported at the loop's next turn.
  int refused = 0;
  bool refused_inline = false;
  for (int i = 0; i < 2; ++i) {
    auto returned = std::make_shared<bool>(false);
    transport->send_async(host_driven_example::webhook(url, "{}"),
                          [&, returned](Result<http::HttpResponse> r) {
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
    if (tally.answered >= 4 && !handle_cancelled) {
      handle.cancel();
      handle_cancelled = true;
    }
  }
  const bool all_ended = transport->pending() == 0;
  fmt::print("answered={} failed={} refused_queue_full={} stuck_cancelled={}\n", tally.answered,
             tally.failed, refused, cancelled);
  if (!all_ended || tally.failed > 0 || tally.answered != 5 || refused != 2 || refused_inline ||
      !cancelled) {
    fmt::print(stderr, "host_driven_poll: something did not behave\n");
    return 1;
  }
  return 0;
}
