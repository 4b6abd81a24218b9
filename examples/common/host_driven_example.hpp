// What the two host-driven examples (host_driven_poll, host_driven_asio) share, so that each
// main.cpp shows only its event loop: where the webhooks go (the URL of the command line, or an
// echo receiver of the example's own on 127.0.0.1, started with the chathooks::httplib
// component), the requests, and a tally of the outcomes that prints each one. Header-only.
// Thread-safety: call them from the main thread; a Tally is used by one thread at a time (the
// loop's).
#pragma once

#include <fmt/core.h>

#include <chrono>
#include <string>
#include <utility>

#include "chathooks/error.hpp"
#include "chathooks/http/curl_transport.hpp"
#include "chathooks/http/message.hpp"
#include "chathooks/http/transport.hpp"
#include "chathooks/httplib/background_server.hpp"

namespace host_driven_example {

/// Where the webhooks go: argv[1] when given (the destination guard stays on), else POST /hook
/// of an echo receiver on 127.0.0.1 (then `options` allow private addresses). Add routes of
/// your own to server() before start().
class Target {
 public:
  /// The receiver's server, for more routes.
  ::httplib::Server& server() { return receiver_.server(); }

  /// Starts the receiver unless a URL was given; false (with a message) if it cannot.
  bool start(int argc, char** argv, chathooks::http::CurlTransportOptions& options) {
    if (argc > 1) {
      url_ = argv[1];
      return true;
    }
    receiver_.server().Post("/hook", [](const ::httplib::Request& req, ::httplib::Response& res) {
      res.set_content(req.body, "application/json");  // Echoes the event back.
    });
    if (!receiver_.start("127.0.0.1", 0, std::chrono::seconds(10))) {
      fmt::print(stderr, "cannot start the loopback receiver\n");
      return false;
    }
    url_ = receiver_.url("/hook");
    options.allow_private_addresses = true;  // Our own receiver, on loopback.
    return true;
  }

  /// Whether the webhooks go to the example's own receiver.
  bool own_receiver() const { return receiver_.port() > 0; }
  /// The URL the webhooks go to.
  const std::string& url() const { return url_; }
  /// `path` on the example's own receiver.
  std::string url(const std::string& path) const { return receiver_.url(path); }

 private:
  chathooks::httplib_adapter::BackgroundServer receiver_;
  std::string url_;
};

/// A JSON webhook POST of `body` to `url`.
inline chathooks::http::HttpRequest webhook(const std::string& url, std::string body) {
  chathooks::http::HttpRequest request;
  request.url = url;
  request.body = std::move(body);
  (void)request.headers.set("Content-Type", "application/json");
  return request;
}

/// Sends four webhook events at once through `transport`; the first one's callback sends a fifth
/// (a follow-up, from inside a callback). `report(label)` makes the callback of each.
template <class Report>
void send_events(chathooks::http::HttpTransport& transport, const std::string& url, Report report) {
  transport.send_async(
      webhook(url, R"({"event":1})"),
      [&transport, url, report](chathooks::Result<chathooks::http::HttpResponse> result) {
        report("event 1")(std::move(result));
        transport.send_async(webhook(url, R"({"event":"1 follow-up"})"),
                             report("event 1 follow-up"));
      });
  for (int i = 2; i <= 4; ++i) {
    transport.send_async(webhook(url, fmt::format(R"({{"event":{}}})", i)),
                         report(fmt::format("event {}", i)));
  }
}

/// Counts and prints the outcome of each webhook: a 2xx is answered, anything else failed.
struct Tally {
  int answered = 0;
  int failed = 0;

  void record(const std::string& label,
              const chathooks::Result<chathooks::http::HttpResponse>& result) {
    if (result && result->status / 100 == 2) {
      ++answered;
      fmt::print("{}: {} {}\n", label, result->status, result->body);
    } else {
      ++failed;
      fmt::print("{}: FAILED {}\n", label,
                 result ? std::to_string(result->status) : result.error().message());
    }
  }
};

}  // namespace host_driven_example
