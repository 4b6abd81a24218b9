// HostDrivenCurlTransport on a Boost.Asio io_context: no SDK thread. Each socket the transport
// asks for is an asio::posix::stream_descriptor waited on with async_wait (re-armed after each
// event while the transport still wants it), its one timer is an asio::steady_timer; the
// handlers call on_socket() and on_timer(), so every send_async() callback runs on the thread
// that runs the io_context. It sends a few webhooks at once, chains one from a callback, then
// stops the io_context, prints each outcome and exits 0 when all behaved.
//   host_driven_asio          a receiver of its own on 127.0.0.1
//   host_driven_asio URL      POSTs to URL instead (destination guard on)
// Rules this follows (host_driven_transport.hpp): watch() is synchronous (curl may close the
// socket right after it returns, so the descriptor is released, never closed, by us); set_timer()
// may come from another thread (a send_async() made before run(), here), so it posts itself to
// the io_context unless already on its thread.
#include <fmt/core.h>
#include <boost/asio/io_context.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>

#include <chrono>
#include <map>
#include <memory>
#include <optional>
#include <string>

#include "chathooks/http/host_driven_transport.hpp"
#include "common/host_driven_example.hpp"

namespace asio = boost::asio;
using namespace chathooks;

namespace {

class AsioHost final : public http::HostLoop, public std::enable_shared_from_this<AsioHost> {
 public:
  explicit AsioHost(asio::io_context& io) : io_(io), timer_(io) {}
  ~AsioHost() override {
    for (auto& entry : sockets_) entry.second->descriptor.release();  // curl owns the fds.
  }
  AsioHost(const AsioHost&) = delete;
  AsioHost& operator=(const AsioHost&) = delete;

  /// The transport the handlers call (held weakly: it holds this host).
  void attach(std::weak_ptr<http::HostDrivenCurlTransport> transport) {
    transport_ = std::move(transport);
  }

  void watch(int fd, bool read, bool write) override {
    auto it = sockets_.find(fd);
    if (!read && !write) {
      if (it == sockets_.end()) return;
      it->second->active = false;
      it->second->descriptor.release();  // Cancels its waits; curl closes the fd itself.
      sockets_.erase(it);
      return;
    }
    if (it == sockets_.end()) {
      it = sockets_.emplace(fd, std::make_shared<Socket>(io_, fd)).first;
    }
    auto& socket = it->second;
    socket->read = read;
    socket->write = write;
    arm(socket, asio::posix::stream_descriptor::wait_read);
    arm(socket, asio::posix::stream_descriptor::wait_write);
  }

  void set_timer(std::optional<std::chrono::milliseconds> after) override {
    if (!io_.get_executor().running_in_this_thread()) {
      asio::post(io_, [self = shared_from_this(), after] { self->set_timer(after); });
      return;
    }
    if (!after) {
      timer_.cancel();
      return;
    }
    timer_.expires_after(*after);
    timer_.async_wait([self = shared_from_this()](const boost::system::error_code& error) {
      if (error) return;  // Cancelled or re-armed.
      if (auto transport = self->transport_.lock()) transport->on_timer();
    });
  }

 private:
  struct Socket {
    Socket(asio::io_context& io, int fd) : descriptor(io, fd) {}
    asio::posix::stream_descriptor descriptor;
    bool read = false;
    bool write = false;
    bool read_waiting = false;
    bool write_waiting = false;
    bool active = true;
  };

  // Starts one async_wait for `kind` if the transport wants it and none is outstanding.
  void arm(const std::shared_ptr<Socket>& socket, asio::posix::stream_descriptor::wait_type kind) {
    const bool for_read = kind == asio::posix::stream_descriptor::wait_read;
    bool& waiting = for_read ? socket->read_waiting : socket->write_waiting;
    if (waiting || !(for_read ? socket->read : socket->write)) return;
    waiting = true;
    socket->descriptor.async_wait(kind, [self = shared_from_this(), socket, kind,
                                         for_read](const boost::system::error_code& error) {
      (for_read ? socket->read_waiting : socket->write_waiting) = false;
      if (!socket->active || error == asio::error::operation_aborted) return;
      auto transport = self->transport_.lock();
      if (!transport) return;
      transport->on_socket(socket->descriptor.native_handle(), for_read && !error,
                           !for_read && !error, static_cast<bool>(error));
      if (socket->active) self->arm(socket, kind);  // Still wanted: wait again.
    });
  }

  asio::io_context& io_;
  asio::steady_timer timer_;
  std::map<int, std::shared_ptr<Socket>> sockets_;
  std::weak_ptr<http::HostDrivenCurlTransport> transport_;
};

}  // namespace

int main(int argc, char** argv) {
  http::CurlTransportOptions options;
  options.timeout = std::chrono::seconds(20);
  host_driven_example::Target target;
  if (!target.start(argc, argv, options)) return 1;
  const std::string& url = target.url();

  asio::io_context io;
  auto host = std::make_shared<AsioHost>(io);
  auto transport = http::HostDrivenCurlTransport::create(host, options);
  host->attach(transport);

  constexpr int kExpected = 5;  // four events and one follow-up
  host_driven_example::Tally tally;
  bool on_io_thread = true;
  auto report = [&](std::string label) {
    return [&, label](Result<http::HttpResponse> result) {
      on_io_thread = on_io_thread && io.get_executor().running_in_this_thread();
      tally.record(label, result);
      if (tally.answered + tally.failed == kExpected) io.stop();
    };
  };
  // Sent before the loop runs (the transport asks for a zero timer, posted to the io_context).
  host_driven_example::send_events(*transport, url, report);
  // A watchdog: the example fails rather than hangs.
  asio::steady_timer watchdog(io, std::chrono::seconds(60));
  watchdog.async_wait([&](const boost::system::error_code& error) {
    if (!error) io.stop();
  });
  io.run();
  // The loop has stopped: nothing else drives the transport, so destroying it here (it cancels
  // what is left and stops watching its sockets) races nothing.
  transport.reset();
  fmt::print("answered={} failed={} callbacks_on_io_thread={}\n", tally.answered, tally.failed,
             on_io_thread);
  return tally.answered == kExpected && tally.failed == 0 && on_io_thread ? 0 : 1;
}
