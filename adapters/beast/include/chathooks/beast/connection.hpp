// One client connection of the chathooks::beast edge, and the state its server shares with all
// of them. The lifecycle of a connection, on its own strand:
//   header (deadline EdgeOptions::header_timeout) -> checks -> precheck -> body (deadline
//   body_timeout, after a `100 Continue` when asked) -> the receiver's handle() -> write
//   (deadline write_timeout) -> the next request's header on the same connection, or, after
//   any refusal, an unread body or `Connection: close`, a lingering close.
// Reading and writing are asynchronous: a slow or idle client holds a socket and a timer, never
// a thread. Only the receiver's handler runs on the loop's thread from its start to its end.
// Private to the adapter (namespace detail). Header-only.
// Thread-safety: a Connection runs on its strand; stop_soon() may be called from any thread.
#pragma once

#include <boost/asio/buffer.hpp>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>

#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <limits>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "chathooks/beast/edge_options.hpp"
#include "chathooks/beast/framing.hpp"
#include "chathooks/error.hpp"
#include "chathooks/receiver/edge_refusal.hpp"
#include "chathooks/receiver/receiver.hpp"
#include "chathooks/receiver/request.hpp"

namespace chathooks::beast_adapter {

/// Called with each reply just before it is written: to log it, or to adjust it. For a request
/// the edge refused itself, the Request holds what was parsed of it (at least the peer's
/// address). Runs on the server's threads, several at once: it must be thread-safe.
using ReplyHook =
    std::function<void(const chathooks::receiver::Request&, chathooks::receiver::Reply&)>;

namespace detail {

class Connection;

// A receiver served at a path ("*": every path no other route names).
struct Route {
  std::string path;
  chathooks::receiver::Receiver receiver;
  ReplyHook on_reply;
};

// What the server and all its connections share. Routes, hooks and options are set before the
// server listens and only read afterwards.
struct ServerState {
  EdgeOptions options;
  std::vector<Route> routes;
  ReplyHook on_edge_refusal;
  std::atomic<std::size_t> open{0};

  std::mutex mutex;  // guards live and stopping
  std::unordered_map<const Connection*, std::weak_ptr<Connection>> live;
  bool stopping = false;

  const Route* find(std::string_view target) const noexcept {
    const std::string_view path = target.substr(0, target.find('?'));
    const Route* any = nullptr;
    for (const Route& route : routes) {
      if (route.path == path) return &route;
      if (route.path == "*") any = &route;
    }
    return any;
  }
};

// "10 s" or "250 ms", for reasons.
inline std::string duration_text(std::chrono::milliseconds duration) {
  if (duration.count() % 1000 == 0) return std::to_string(duration.count() / 1000) + " s";
  return std::to_string(duration.count()) + " ms";
}

// Whether `ec` is the parser's verdict on the bytes (rather than the socket's state).
inline bool is_parse_error(const boost::beast::error_code& ec) noexcept {
  return &ec.category() ==
         &boost::beast::http::make_error_code(boost::beast::http::error::bad_target).category();
}

class Connection : public std::enable_shared_from_this<Connection> {
 public:
  Connection(boost::asio::ip::tcp::socket socket, std::shared_ptr<ServerState> state)
      : socket_(std::move(socket)), timer_(socket_.get_executor()), state_(std::move(state)) {
    state_->open.fetch_add(1);
  }
  ~Connection() {
    {
      std::lock_guard<std::mutex> lock(state_->mutex);
      state_->live.erase(this);
    }
    state_->open.fetch_sub(1);
  }
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // Registers the connection with the server and reads its first request.
  void start() {
    boost::beast::error_code ec;
    socket_.set_option(boost::asio::ip::tcp::no_delay(true), ec);
    const auto peer = socket_.remote_endpoint(ec);
    if (!ec) {
      const auto address = peer.address();
      remote_ = address.is_v6() && address.to_v6().is_v4_mapped()
                    ? address.to_v6().to_v4().to_string()
                    : address.to_string();
    }
    bool stopping = false;
    {
      std::lock_guard<std::mutex> lock(state_->mutex);
      state_->live.emplace(this, weak_from_this());
      stopping = state_->stopping;
    }
    boost::asio::dispatch(socket_.get_executor(), [self = shared_from_this(), stopping] {
      self->stopping_ = stopping;
      self->read_header();
    });
  }

  // The server stops: a connection waiting for a request closes now; one in the middle of a
  // request finishes it and then closes.
  void stop_soon() {
    boost::asio::post(socket_.get_executor(), [self = shared_from_this()] {
      self->stopping_ = true;
      if (self->phase_ == Phase::header || self->phase_ == Phase::lingering) self->close_now();
    });
  }

  // Closes the socket at once. Only once the loop has stopped for good (the server's own
  // threads joined): no handler of this connection can run any more, so no strand is needed.
  void close_stopped() { close_now(); }

 private:
  enum class Phase { header, body, handling, writing, lingering, closed };
  static constexpr std::size_t kMaxLingerBytes = 1024 * 1024;

  const EdgeOptions& options() const noexcept { return state_->options; }

  // Starts a deadline for the current phase; when it passes, the pending read or write is
  // cancelled and its handler sees deadline_hit_. The timer is lazy: a phase only moves
  // deadline_, and the timer, armed once, wakes at its expiry, finds the deadline moved later
  // and waits again. A keep-alive request then costs no timer operation at all, where
  // re-arming the timer for each phase cost three cancellations and handler runs.
  void arm(std::chrono::milliseconds duration) {
    deadline_hit_ = false;
    deadline_active_ = true;
    deadline_ = std::chrono::steady_clock::now() + duration;
    if (!timer_waiting_) {
      wait_for_deadline();
    } else if (timer_.expiry() > deadline_) {
      timer_.expires_at(deadline_);  // sooner than the timer wakes: its wait is cancelled
    }
  }
  void disarm() noexcept { deadline_active_ = false; }

  void wait_for_deadline() {
    timer_waiting_ = true;
    timer_.expires_at(deadline_);
    timer_.async_wait([self = shared_from_this()](const boost::beast::error_code&) {
      self->timer_waiting_ = false;
      if (self->phase_ == Phase::closed || !self->deadline_active_) return;
      if (std::chrono::steady_clock::now() < self->deadline_) return self->wait_for_deadline();
      self->deadline_hit_ = true;
      self->deadline_active_ = false;
      boost::beast::error_code ignored;
      self->socket_.cancel(ignored);
    });
  }

  void read_header() {
    phase_ = Phase::header;
    if (stopping_) return close_now();
    parser_.emplace();
    parser_->header_limit(static_cast<std::uint32_t>(options().max_header_bytes));
    // No cap while the header is read: the route's receiver judges Content-Length in
    // precheck() (its own 413), and its cap is set before the body is read. (Beast 1.74 reads
    // an empty optional here as a cap of 0, hence the largest value.)
    parser_->body_limit(std::numeric_limits<std::uint64_t>::max());
    request_ = {};
    route_ = nullptr;
    arm(options().header_timeout);
    if (buffer_.size() > 0) return parse_header();  // a request sent right after the last one
    read_header_bytes();
  }

  // The header is read by hand rather than with http::async_read_header: the parser only
  // starts once the whole header is in buffer_, and buffer_ is consumed only when it succeeds,
  // so that a refusal can quote the header's own fields.
  void read_header_bytes() {
    socket_.async_read_some(
        buffer_.prepare(8 * 1024),
        [self = shared_from_this()](const boost::beast::error_code& ec, std::size_t size) {
          self->buffer_.commit(size);
          self->on_header_bytes(ec);
        });
  }

  void on_header_bytes(const boost::beast::error_code& ec) {
    if (ec) {
      if (buffer_.size() == 0) return close_now();  // an idle connection, closed or timed out
      if (deadline_hit_) {
        return refuse({408, chathooks::Errc::timeout,
                       "the request header was not complete within " +
                           duration_text(options().header_timeout)});
      }
      if (ec == boost::asio::error::eof) {
        return refuse({400, chathooks::Errc::protocol,
                       "the connection ended before the request header was complete"});
      }
      return close_now();
    }
    parse_header();
  }

  void parse_header() {
    namespace http = boost::beast::http;
    boost::beast::error_code ec;
    const std::size_t used = parser_->put(buffer_.data(), ec);
    if (ec == http::error::need_more) {
      buffer_.consume(used);
      return read_header_bytes();
    }
    const auto data = buffer_.cdata();
    const std::string_view received(static_cast<const char*>(data.data()), data.size());
    if (ec) return refuse(refusal_for(ec, received, options()));
    // Beast accepts obs-fold (framing.hpp, has_obs_fold()): refused here, from the raw header.
    if (parser_->is_header_done() && has_obs_fold(received.substr(0, used)))
      return refuse(refusal_for(http::error::bad_obs_fold, {}, options()));
    buffer_.consume(used);
    if (!parser_->is_header_done()) return read_header_bytes();
    on_header();
  }

  void on_header() {
    const auto& header = parser_->get();
    request_ = to_request_head(header, remote_);
    if (auto refused = check_header(header, options())) return refuse(std::move(*refused));
    const auto target = header.target();
    route_ = state_->find(std::string_view(target.data(), target.size()));
    if (route_ == nullptr) {
      return refuse({404, chathooks::Errc::invalid_argument, "no receiver at this path"});
    }
    if (auto early = route_->receiver.precheck(request_)) {
      call_hook(route_->on_reply, *early);
      return answer(std::move(*early), !parser_->is_done());
    }
    parser_->body_limit(route_->receiver.max_body_bytes());
    if (parser_->is_done()) return handle();
    if (expects_continue(header)) return send_continue();
    read_body();
  }

  void send_continue() {
    static constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
    // The header is read: from here the connection is mid-request. (It stayed Phase::header
    // until read_body(), so a stop() that came while `100 Continue` was being written closed a
    // connection whose client had been told to send its body.)
    phase_ = Phase::body;
    arm(options().write_timeout);
    boost::asio::async_write(
        socket_, boost::asio::buffer(kContinue.data(), kContinue.size()),
        [self = shared_from_this()](const boost::beast::error_code& ec, std::size_t) {
          if (ec) return self->close_now();
          self->read_body();
        });
  }

  void read_body() {
    phase_ = Phase::body;
    arm(options().body_timeout);
    if (buffer_.size() > 0) {
      // The body (or its start) usually came with the header: parse it now, and skip the
      // asynchronous read (a composed operation and a trip through the loop) when it is whole.
      boost::beast::error_code ec;
      parser_->eager(true);
      buffer_.consume(parser_->put(buffer_.data(), ec));
      if (ec == boost::beast::http::error::need_more) ec = {};
      if (ec || parser_->is_done()) return on_body(ec);
    }
    boost::beast::http::async_read(socket_, buffer_, *parser_,
                                   [self = shared_from_this()](const boost::beast::error_code& ec,
                                                               std::size_t) { self->on_body(ec); });
  }

  void on_body(const boost::beast::error_code& ec) {
    if (ec) {
      // What arrived of the body, for the reason: "(7 of 20 bytes arrived)".
      std::string progress = " (" + std::to_string(parser_->get().body().size());
      if (const auto length = parser_->content_length())
        progress += " of " + std::to_string(*length);
      progress += " bytes arrived)";
      if (deadline_hit_) {
        return refuse_body({408, chathooks::Errc::timeout,
                            "the request body was not complete within " +
                                duration_text(options().body_timeout) + progress});
      }
      if (ec == boost::beast::http::error::partial_message) {
        return refuse_body(
            {400, chathooks::Errc::protocol,
             "the connection ended before the request body was complete" + progress});
      }
      if (ec == boost::beast::http::error::body_limit) {
        return refuse(refusal_for(ec, {}, options()));
      }
      if (is_parse_error(ec)) return refuse_body(refusal_for(ec, {}, options()));
      return close_now();
    }
    handle();
  }

  void handle() {
    phase_ = Phase::handling;
    disarm();
    request_.body = std::move(parser_->get().body());
    chathooks::receiver::Reply reply = route_->receiver.handle(request_);
    call_hook(route_->on_reply, reply);
    answer(std::move(reply), false);
  }

  // A request the edge answers itself: always followed by a lingering close.
  void refuse(EdgeRefusal refusal) {
    chathooks::receiver::Reply reply =
        chathooks::receiver::edge_refusal(refusal.status, refusal.code, refusal.detail);
    if (request_.remote_address.empty()) request_.remote_address = remote_;
    call_hook(state_->on_edge_refusal, reply);
    answer(std::move(reply), true);
  }

  // A body that did not arrive whole or well framed: the route's receiver answers it (and
  // counts it), so its hook sees it like any other reply. Followed by a lingering close.
  void refuse_body(const EdgeRefusal& refusal) {
    chathooks::receiver::Reply reply =
        route_->receiver.incomplete_body(refusal.detail, refusal.status == 408);
    call_hook(route_->on_reply, reply);
    answer(std::move(reply), true);
  }

  void call_hook(const ReplyHook& hook, chathooks::receiver::Reply& reply) {
    if (!hook) return;
    try {
      hook(request_, reply);
    } catch (...) {
      // A hook that throws must not take the server's thread down; the sender learns nothing of
      // it beyond a 500.
      reply = chathooks::receiver::edge_refusal(500, chathooks::Errc::internal,
                                                "the server failed while answering");
    }
  }

  // Writes `reply`. The connection stays open for the next request only when the request was
  // read whole, its sender keeps connections alive, the reply is not a refusal and the server
  // is not stopping.
  void answer(chathooks::receiver::Reply reply, bool body_unread) {
    phase_ = Phase::writing;
    const bool keep = !body_unread && !stopping_ && parser_ && parser_->is_done() &&
                      parser_->keep_alive() && reply.response.status < 400;
    response_ = {};
    // HTTP/1.0 is answered in kind, so that its keep-alive is spelled out.
    response_.version(parser_ && parser_->is_header_done() && parser_->get().version() == 10 ? 10
                                                                                             : 11);
    response_.result(static_cast<unsigned>(reply.response.status));
    for (const auto& [name, value] : reply.response.headers) response_.insert(name, value);
    response_.body() = std::move(reply.response.body);
    response_.keep_alive(keep);
    response_.prepare_payload();
    arm(options().write_timeout);
    boost::beast::http::async_write(
        socket_, response_,
        [self = shared_from_this(), keep](const boost::beast::error_code& ec, std::size_t) {
          if (ec) return self->close_now();
          if (keep) return self->read_header();
          self->linger();
        });
  }

  // Stops sending, then reads and drops what the client still sends until it closes, the
  // linger deadline passes or kMaxLingerBytes arrived, so that the client reads the answer
  // before the connection ends (closing with unread bytes would send a reset).
  void linger() {
    phase_ = Phase::lingering;
    if (stopping_) return close_now();
    boost::beast::error_code ignored;
    socket_.shutdown(boost::asio::ip::tcp::socket::shutdown_send, ignored);
    arm(options().linger_timeout);
    drain();
  }
  void drain() {
    socket_.async_read_some(
        buffer_.prepare(16 * 1024),
        [self = shared_from_this()](const boost::beast::error_code& ec, std::size_t size) {
          self->lingered_ += size;
          if (ec || self->deadline_hit_ || self->lingered_ > kMaxLingerBytes)
            return self->close_now();
          self->drain();
        });
  }

  void close_now() {
    phase_ = Phase::closed;
    disarm();
    timer_.cancel();
    boost::beast::error_code ignored;
    socket_.shutdown(boost::asio::ip::tcp::socket::shutdown_both, ignored);
    socket_.close(ignored);
  }

  boost::asio::ip::tcp::socket socket_;
  boost::asio::steady_timer timer_;
  std::shared_ptr<ServerState> state_;
  boost::beast::flat_buffer buffer_;
  std::optional<boost::beast::http::request_parser<boost::beast::http::string_body>> parser_;
  boost::beast::http::response<boost::beast::http::string_body> response_;
  chathooks::receiver::Request request_;
  const Route* route_ = nullptr;
  std::string remote_;
  Phase phase_ = Phase::header;
  std::chrono::steady_clock::time_point deadline_{};
  bool deadline_active_ = false;
  bool timer_waiting_ = false;
  std::size_t lingered_ = 0;
  bool deadline_hit_ = false;
  bool stopping_ = false;
};

}  // namespace detail
}  // namespace chathooks::beast_adapter
