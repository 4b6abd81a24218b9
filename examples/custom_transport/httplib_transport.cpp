// HttplibTransport: see httplib_transport.hpp for the choices made and why.
#include "custom_transport/httplib_transport.hpp"

#include <httplib.h>

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <ctime>
#include <memory>
#include <optional>
#include <string_view>
#include <system_error>
#include <thread>
#include <utility>

using chathooks::Errc;
using chathooks::Error;
using chathooks::Result;
using chathooks::http::HttpCallback;
using chathooks::http::HttpRequest;
using chathooks::http::HttpResponse;
using chathooks::http::TransferHandle;

namespace chathooks_examples {
namespace {

/// Where a request goes, from its URL.
struct Target {
  bool https = false;
  std::string host;  // without the brackets of an IPv6 literal
  int port = 0;
  std::string path;  // path and query, never empty
};

Error bad_request(std::string message) { return Error(Errc::invalid_request, std::move(message)); }

/// Splits an absolute http(s) URL. Strict on purpose: httplib's own URL parsing falls back to
/// treating an unparsed string as a host name, and percent-encodes some characters again.
Result<Target> parse_url(std::string_view url) {
  for (const char c : url) {
    const auto u = static_cast<unsigned char>(c);
    if (u <= 0x20 || u >= 0x7f) return bad_request("the URL holds a space or a non-ASCII byte");
  }
  Target target;
  const auto scheme_end = url.find("://");
  std::string scheme(url.substr(0, scheme_end == std::string_view::npos ? 0 : scheme_end));
  std::transform(scheme.begin(), scheme.end(), scheme.begin(),
                 [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c; });
  if (scheme != "http" && scheme != "https") return bad_request("the URL is not http(s)://");
  target.https = scheme == "https";
  const std::string_view rest = url.substr(scheme_end + 3);
  const auto authority_end = std::min(rest.find_first_of("/?#"), rest.size());
  const std::string_view authority = rest.substr(0, authority_end);
  if (authority.find('@') != std::string_view::npos)
    return bad_request("credentials in the URL are not supported");

  std::string_view port;
  if (!authority.empty() && authority.front() == '[') {  // [IPv6]:port
    const auto close = authority.find(']');
    if (close == std::string_view::npos) return bad_request("unterminated IPv6 address");
    target.host = std::string(authority.substr(1, close - 1));
    if (close + 1 < authority.size() && authority[close + 1] != ':')
      return bad_request("unexpected text after the IPv6 address");
    if (close + 1 < authority.size()) port = authority.substr(close + 2);
  } else {
    const auto colon = authority.find(':');
    target.host = std::string(authority.substr(0, colon));
    if (colon != std::string_view::npos) port = authority.substr(colon + 1);
  }
  if (target.host.empty()) return bad_request("the URL has no host");
  target.port = target.https ? 443 : 80;
  if (!port.empty()) {
    if (port.size() > 5 || port.find_first_not_of("0123456789") != std::string_view::npos)
      return bad_request("the URL's port is not a number");
    target.port = std::stoi(std::string(port));
    if (target.port < 1 || target.port > 65535)
      return bad_request("the URL's port is out of range");
  }
  std::string_view path = rest.substr(authority_end);
  path = path.substr(0, path.find('#'));  // a fragment is never sent
  target.path = path.empty() || path.front() != '/' ? "/" + std::string(path) : std::string(path);
  return target;
}

/// A std::chrono duration as httplib's (seconds, microseconds) pair.
template <class Set>
void set_timeout(std::chrono::milliseconds timeout, Set&& set) {
  const auto seconds = std::chrono::duration_cast<std::chrono::seconds>(timeout);
  set(static_cast<time_t>(seconds.count()),
      static_cast<time_t>(std::chrono::microseconds(timeout - seconds).count()));
}

/// httplib's failure as the SDK's error. `waited_timeout`: the request ran for its whole
/// timeout, so a failed read or write is httplib's per-operation timeout expiring.
Error map_error(httplib::Error error, const Target& target, bool waited_timeout) {
  std::string message = "cpp-httplib: " + httplib::to_string(error) + " (" + target.host + ":" +
                        std::to_string(target.port) + ")";
  switch (error) {
    case httplib::Error::Connection:  // DNS, refused, unreachable: httplib does not say
    case httplib::Error::BindIPAddress:
      return Error(Errc::connection_failed, std::move(message));
    case httplib::Error::ConnectionTimeout:
      return Error(Errc::timeout, std::move(message));
    case httplib::Error::Read:
    case httplib::Error::Write:
      return Error(waited_timeout ? Errc::timeout : Errc::connection_failed, std::move(message));
    case httplib::Error::SSLConnection:
    case httplib::Error::SSLLoadingCerts:
    case httplib::Error::SSLServerVerification:
      return Error(Errc::tls, std::move(message));
    case httplib::Error::Compression:
      return Error(Errc::protocol, std::move(message));
    case httplib::Error::Canceled:  // only our callbacks cancel, and they say why first
      return Error(Errc::cancelled, std::move(message));
    default:
      return Error(Errc::connection_failed, std::move(message));
  }
}

/// One request, on the calling thread. `cancel_requested`, when given, is polled as the answer
/// arrives.
Result<HttpResponse> perform(const HttplibTransportOptions& options, const HttpRequest& request,
                             const std::atomic<bool>* cancel_requested) {
  // The checks every transport makes before sending anything (http/message.hpp): a method is
  // a token, which HttpHeaders::validate checks for names; the body framing is ours to write.
  if (!chathooks::http::HttpHeaders::validate(request.method, "").ok())
    return bad_request("the method is not an HTTP token");
  if (request.headers.contains("Content-Length") || request.headers.contains("Transfer-Encoding"))
    return bad_request("Content-Length and Transfer-Encoding are the transport's to set");
  auto target = parse_url(request.url);
  if (!target) return target.error();

  std::unique_ptr<httplib::ClientImpl> client;
  if (target->https) {
#ifdef CPPHTTPLIB_OPENSSL_SUPPORT
    auto tls = std::make_unique<httplib::SSLClient>(target->host, target->port);
    tls->enable_server_certificate_verification(true);
    client = std::move(tls);
#else
    return bad_request("this cpp-httplib was built without TLS: https is not available");
#endif
  } else {
    client = std::make_unique<httplib::ClientImpl>(target->host, target->port);
  }
  using std::chrono::milliseconds;
  const milliseconds timeout =
      request.timeout > milliseconds(0) ? request.timeout : options.timeout;
  set_timeout(std::min(options.connect_timeout, timeout),
              [&](time_t s, time_t us) { client->set_connection_timeout(s, us); });
  set_timeout(timeout, [&](time_t s, time_t us) { client->set_read_timeout(s, us); });
  set_timeout(timeout, [&](time_t s, time_t us) { client->set_write_timeout(s, us); });
  client->set_follow_location(false);
  client->set_url_encode(false);  // the URL goes out as given (parse_url refused spaces)
  client->set_keep_alive(false);

  httplib::Request out;
  out.method = request.method;
  out.path = target->path;
  out.body = request.body;
  for (const auto& [name, value] : request.headers) out.headers.emplace(name, value);
  if (!request.headers.contains("User-Agent"))
    out.headers.emplace("User-Agent", options.user_agent);

  // httplib reports only "Canceled" when a callback stops the transfer: remember why.
  enum class Stop { none, cancelled, too_large, timed_out } stop = Stop::none;
  const auto start = std::chrono::steady_clock::now();
  const auto keep_going = [&] {
    if (stop == Stop::none && cancel_requested != nullptr && cancel_requested->load())
      stop = Stop::cancelled;
    if (stop == Stop::none && std::chrono::steady_clock::now() - start >= timeout)
      stop = Stop::timed_out;
    return stop == Stop::none;
  };
  HttpResponse response;
  out.response_handler = [&](const httplib::Response&) { return keep_going(); };
  out.content_receiver = [&](const char* data, std::size_t size, std::uint64_t, std::uint64_t) {
    if (size > options.max_response_bytes - response.body.size()) stop = Stop::too_large;
    if (!keep_going()) return false;
    response.body.append(data, size);
    return true;
  };

  const httplib::Result result = client->send(out);
  if (!result) {
    switch (stop) {
      case Stop::cancelled:
        return Error(Errc::cancelled, "the transfer was cancelled");
      case Stop::too_large:
        return Error(
            Errc::response_too_large,
            "the response body exceeds " + std::to_string(options.max_response_bytes) + " bytes");
      case Stop::timed_out:
        return Error(Errc::timeout,
                     "no complete answer within " + std::to_string(timeout.count()) + " ms");
      case Stop::none:
        break;
    }
    // Poll wakes on whole milliseconds: a read that failed this late is the timeout expiring.
    const bool waited = std::chrono::steady_clock::now() - start >= timeout * 9 / 10;
    return map_error(result.error(), *target, waited);
  }
  response.status = result->status;
  for (const auto& [name, value] : result->headers) {
    if (!response.headers.add(name, value).ok())
      return Error(Errc::protocol, "the response has a header field HTTP does not allow");
  }
  return response;
}

}  // namespace

/// One asynchronous transfer: its request, its callback and the thread running it.
struct HttplibTransport::Transfer {
  HttpRequest request;
  HttpCallback callback;
  std::atomic<bool> cancel_requested{false};
  std::atomic<bool> completed{false};  // the callback has been claimed
  std::atomic<bool> finished{false};   // the thread is about to end: join() returns at once
  std::thread thread;

  /// Runs the callback if nobody has: the first caller wins, later outcomes are dropped.
  void complete(Result<HttpResponse> outcome) {
    if (completed.exchange(true)) return;
    HttpCallback run = std::move(callback);  // released once run, with what it captured
    try {
      run(std::move(outcome));
    } catch (...) {
      // Allowed by HttpTransport::send_async: what a callback throws is dropped.
    }
  }
};

HttplibTransport::HttplibTransport(HttplibTransportOptions options)
    : options_(std::move(options)) {}

HttplibTransport::~HttplibTransport() {
  std::vector<std::shared_ptr<Transfer>> transfers;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    closing_ = true;
    transfers.swap(transfers_);
  }
  for (const auto& transfer : transfers) {
    transfer->cancel_requested = true;
    transfer->complete(Error(Errc::cancelled, "the transport was destroyed"));
  }
  for (const auto& transfer : transfers) {
    // Released from inside one of its own callbacks: that thread ends on its own.
    if (transfer->thread.get_id() == std::this_thread::get_id()) {
      transfer->thread.detach();
    } else {
      transfer->thread.join();
    }
  }
}

Result<HttpResponse> HttplibTransport::send(const HttpRequest& request) {
  return perform(options_, request, nullptr);
}

TransferHandle HttplibTransport::send_async(HttpRequest request, HttpCallback callback) {
  auto transfer = std::make_shared<Transfer>();
  transfer->request = std::move(request);
  transfer->callback = std::move(callback);
  std::optional<Error> refused;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    // Join the threads that have finished, so that they do not pile up.
    auto done = std::partition(transfers_.begin(), transfers_.end(),
                               [](const auto& t) { return !t->finished.load(); });
    for (auto it = done; it != transfers_.end(); ++it) (*it)->thread.join();
    transfers_.erase(done, transfers_.end());

    if (closing_) {
      refused = Error(Errc::cancelled, "the transport is being destroyed");
    } else if (transfers_.size() >= std::max<std::size_t>(options_.max_in_flight, 1)) {
      refused = Error(Errc::queue_full, std::to_string(transfers_.size()) + " transfers in flight");
    } else {
      transfers_.push_back(transfer);
      try {
        transfer->thread = std::thread([transfer, options = options_] {
          transfer->complete(perform(options, transfer->request, &transfer->cancel_requested));
          transfer->finished = true;
        });
      } catch (const std::system_error& e) {
        transfers_.pop_back();
        refused = Error(Errc::queue_full, std::string("cannot start a thread: ") + e.what());
      }
    }
  }
  if (refused) {  // completed here, outside the lock: the callback may call send_async()
    transfer->complete(std::move(*refused));
    return {};
  }
  std::weak_ptr<Transfer> weak = transfer;
  return TransferHandle([weak] {
    if (auto alive = weak.lock()) {
      alive->cancel_requested = true;  // the thread stops reading at its next chunk
      alive->complete(Error(Errc::cancelled, "the transfer was cancelled"));
    }
  });
}

}  // namespace chathooks_examples
