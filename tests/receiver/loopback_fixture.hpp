// Test helpers for the receiver's loopback tests: a cpp-httplib server on 127.0.0.1 (an
// ephemeral port) serving one Receiver through mount() of chathooks/httplib/receiver.hpp (the
// chathooks::httplib component), as adopters wire it, and a raw libcurl client that can send
// what the SDK's own transport never would (other methods, chunked bodies without
// Content-Length, any header).
// Thread-safety: LoopbackServer's accessors and send() may be used from any number of threads.
#pragma once

#include <curl/curl.h>
#include <httplib.h>
#include <sys/socket.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

#include "chathooks/http/message.hpp"
#include "chathooks/httplib/receiver.hpp"
#include "chathooks/open_enum.hpp"
#include "chathooks/receiver/receiver.hpp"
#include "chathooks/receiver/request.hpp"

namespace chathooks_test {

/// The path every loopback test mounts its receiver at.
inline constexpr const char* kHookPath = "/hook";

/// What the raw client sends.
struct Outgoing {
  std::string method = "POST";
  std::string path = kHookPath;
  /// Header lines "Name: value". curl's own Content-Type and Expect are suppressed unless set.
  std::vector<std::string> headers;
  std::string body;
  /// Sends `body` chunked (Transfer-Encoding: chunked, no Content-Length), in pieces of
  /// `chunk_bytes`.
  bool chunked = false;
  std::size_t chunk_bytes = 1024;
};

/// What the raw client got back.
struct Received {
  CURLcode code = CURLE_OK;
  std::string error;  ///< curl's error text when code is not CURLE_OK
  long status = 0;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;

  /// The value of the first header field named `name` (any case), if any.
  std::optional<std::string> header(std::string_view name) const {
    for (const auto& [n, v] : headers)
      if (chathooks::detail::ascii_iequal(n, name)) return v;
    return std::nullopt;
  }
};

namespace detail {

inline std::size_t collect_body(char* data, std::size_t size, std::size_t count, void* out) {
  static_cast<std::string*>(out)->append(data, size * count);
  return size * count;
}

inline std::size_t collect_header(char* data, std::size_t size, std::size_t count, void* out) {
  std::string_view line(data, size * count);
  while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) line.remove_suffix(1);
  const auto colon = line.find(':');
  if (colon != std::string_view::npos) {
    std::string_view value = line.substr(colon + 1);
    while (!value.empty() && (value.front() == ' ' || value.front() == '\t'))
      value.remove_prefix(1);
    static_cast<Received*>(out)->headers.emplace_back(std::string(line.substr(0, colon)),
                                                      std::string(value));
  } else if (line.rfind("HTTP/", 0) == 0) {
    static_cast<Received*>(out)->headers.clear();  // a new response (after 100 Continue)
  }
  return size * count;
}

struct Upload {
  std::string_view rest;
  std::size_t chunk = 1024;
};

inline std::size_t feed_upload(char* buffer, std::size_t size, std::size_t count, void* in) {
  auto* upload = static_cast<Upload*>(in);
  const std::size_t n = std::min({size * count, upload->chunk, upload->rest.size()});
  std::copy_n(upload->rest.data(), n, buffer);
  upload->rest.remove_prefix(n);
  return n;
}

}  // namespace detail

/// Sends `outgoing` to 127.0.0.1:`port` on a new connection with a fresh curl easy handle.
inline Received send(int port, const Outgoing& outgoing) {
  // Once per process, before any thread makes a handle (curl_global_init is not thread-safe
  // in every libcurl build).
  static const CURLcode global = curl_global_init(CURL_GLOBAL_DEFAULT);
  Received received;
  if (global != CURLE_OK) {
    received.code = global;
    return received;
  }
  CURL* curl = curl_easy_init();
  if (curl == nullptr) {
    received.code = CURLE_FAILED_INIT;
    return received;
  }
  const std::string url = "http://127.0.0.1:" + std::to_string(port) + outgoing.path;
  char error[CURL_ERROR_SIZE] = {};
  curl_slist* headers = nullptr;
  bool has_content_type = false;
  for (const auto& line : outgoing.headers) {
    headers = curl_slist_append(headers, line.c_str());
    if (chathooks::detail::ascii_iequal(line.substr(0, line.find(':')), "Content-Type"))
      has_content_type = true;
  }
  // "Name:" with nothing after it removes a header curl would add on its own.
  if (!has_content_type) headers = curl_slist_append(headers, "Content-Type:");
  headers = curl_slist_append(headers, "Expect:");
  detail::Upload upload{outgoing.body, std::max<std::size_t>(outgoing.chunk_bytes, 1)};
  if (outgoing.chunked) {
    headers = curl_slist_append(headers, "Transfer-Encoding: chunked");
    curl_easy_setopt(curl, CURLOPT_POST, 1L);
    curl_easy_setopt(curl, CURLOPT_READFUNCTION, &detail::feed_upload);
    curl_easy_setopt(curl, CURLOPT_READDATA, &upload);
  } else if (outgoing.method != "GET" || !outgoing.body.empty()) {
    curl_easy_setopt(curl, CURLOPT_POSTFIELDS, outgoing.body.data());
    curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE,
                     static_cast<curl_off_t>(outgoing.body.size()));
  }
  curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, outgoing.method.c_str());
  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt(curl, CURLOPT_NOPROXY, "*");
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl, CURLOPT_FORBID_REUSE, 1L);
  // Generous: a loaded two-core machine under a sanitizer.
  curl_easy_setopt(curl, CURLOPT_TIMEOUT, 120L);
  curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, error);
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, &detail::collect_body);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &received.body);
  curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, &detail::collect_header);
  curl_easy_setopt(curl, CURLOPT_HEADERDATA, &received);
  received.code = curl_easy_perform(curl);
  if (received.code != CURLE_OK)
    received.error = error[0] != '\0' ? error : curl_easy_strerror(received.code);
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &received.status);
  curl_slist_free_all(headers);
  curl_easy_cleanup(curl);
  return received;
}

/// What the server saw of one request, recorded by mount()'s reply observer.
struct Seen {
  int status = 0;
  chathooks::receiver::Disposition disposition = chathooks::receiver::Disposition::rejected;
  std::size_t body_bytes = 0;  ///< how much of the body the adapter buffered
  std::string error;           ///< Reply::error, for the host's logs
};

/// A cpp-httplib server on 127.0.0.1 serving one receiver at kHookPath, running from
/// construction to destruction.
class LoopbackServer {
 public:
  /// `configure`, when set, is called with the server after mount() and before it listens
  /// (e.g. to shorten its read timeout).
  explicit LoopbackServer(chathooks::receiver::Receiver receiver,
                          const std::function<void(httplib::Server&)>& configure = {}) {
    // httplib listens with a backlog of 5; the concurrency tests connect from 8 threads at once,
    // which would stall on SYN retransmission (1 s). Linux lets listen() raise it afterwards.
    int listener = -1;
    server_.set_socket_options([&listener](int fd) {
      httplib::default_socket_options(fd);
      listener = fd;
    });
    chathooks::httplib_adapter::mount(
        server_, kHookPath, std::move(receiver),
        [this](const chathooks::receiver::Request& request,
               const chathooks::receiver::Reply& reply) {
          std::lock_guard<std::mutex> lock(mutex_);
          seen_.push_back(Seen{reply.response.status, reply.disposition, request.body.size(),
                               reply.error ? reply.error->to_string() : ""});
        });
    if (configure) configure(server_);
    port_ = server_.bind_to_any_port("127.0.0.1");
    if (listener >= 0) ::listen(listener, 128);
    if (port_ <= 0) return;
    thread_ = std::thread([this] { server_.listen_after_bind(); });
    // httplib 0.11 has no wait_until_ready(), and stop() before the accept loop runs would be
    // lost. A request answered proves the loop runs: the connection waits in the backlog until
    // then (404: nothing is mounted there, and the receiver does not see it).
    ready_ = chathooks_test::send(port_, Outgoing{"GET", "/ready", {}, "", false, 1}).status == 404;
  }
  ~LoopbackServer() {
    if (thread_.joinable()) {
      server_.stop();
      thread_.join();
    }
  }
  LoopbackServer(const LoopbackServer&) = delete;
  LoopbackServer& operator=(const LoopbackServer&) = delete;

  /// Whether the server answered its readiness request (tests REQUIRE it).
  bool ready() const { return ready_; }
  int port() const { return port_; }

  /// Sends on a new connection.
  Received send(const Outgoing& outgoing) const { return chathooks_test::send(port_, outgoing); }

  /// Every reply written so far, in the order they were written.
  std::vector<Seen> seen() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return seen_;
  }

 private:
  httplib::Server server_;
  int port_ = -1;
  bool ready_ = false;
  std::thread thread_;
  mutable std::mutex mutex_;
  std::vector<Seen> seen_;
};

}  // namespace chathooks_test
