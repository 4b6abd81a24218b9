// Serving a chathooks receiver on a cpp-httplib server (the chathooks::httplib component):
// mount() routes every method of one path to the receiver, streams POST bodies so that no more
// than max_body_bytes() + 1 bytes are ever buffered, and writes the receiver's Reply back as it
// is; request_head() and write_reply() are the two conversions it is made of, for a host that
// routes requests itself. Header-only; it needs cpp-httplib's header and library, built with the
// same CPPHTTPLIB_* definitions as the library (the CMake target chathooks::httplib passes them
// on). To serve a receiver on another server, do what mount() does: raw request in, Reply out.
// Thread-safety: the mounted handlers may run on all of the server's threads at once; the
// Receiver is made for that, and a ReplyHook must be thread-safe too. Call mount() before the
// server starts listening.
#pragma once

#include <httplib.h>

#include <algorithm>
#include <cstddef>
#include <functional>
#include <string>
#include <utility>

#include "chathooks/http/message.hpp"
#include "chathooks/receiver/receiver.hpp"
#include "chathooks/receiver/request.hpp"

namespace chathooks::httplib_adapter {

/// Called with each reply just before it is written: to log it, or to adjust it.
using ReplyHook =
    std::function<void(const chathooks::receiver::Request&, chathooks::receiver::Reply&)>;

/// The request's method, headers and peer address (no body).
inline chathooks::receiver::Request request_head(const ::httplib::Request& in) {
  chathooks::receiver::Request out;
  out.method = in.method;
  out.headers.reserve(in.headers.size());
  for (const auto& [name, value] : in.headers) out.headers.emplace_back(name, value);
  out.remote_address = in.remote_addr;
  return out;
}

/// Writes `reply` to `out` as it is: status, header fields and body (no Content-Type is added
/// when the reply has none, e.g. Boticario's empty acknowledgement).
inline void write_reply(const chathooks::receiver::Reply& reply, ::httplib::Response& out) {
  out.status = reply.response.status;
  for (const auto& [name, value] : reply.response.headers) out.set_header(name.c_str(), value);
  out.body = reply.response.body;
}

/// Serves `receiver` at `path` for every method (anything but POST gets the receiver's 405).
/// Also sets two server-wide options:
/// - the server's own body reading is capped at max_body_bytes() + 1 for the methods httplib
///   reads whole (with several receivers on one server the last one mounted sets that cap; each
///   receiver still enforces its own);
/// - each connection closes after one request. A body refused unread (413 from Content-Length,
///   a chunked body cut at the cap) is still on the connection, and a server that kept the
///   connection would parse its bytes as the next request: request smuggling. httplib 0.11
///   offers no way to close a single connection from a handler, so keep-alive is off. Webhook
///   senders rarely reuse connections; a host whose server can close one connection (or drain
///   the body) should do that instead.
inline void mount(::httplib::Server& server, const std::string& path,
                  chathooks::receiver::Receiver receiver, ReplyHook on_reply = {}) {
  server.set_payload_max_length(receiver.max_body_bytes() + 1);
  server.set_keep_alive_max_count(1);
  auto finish = [on_reply](const chathooks::receiver::Request& request,
                           chathooks::receiver::Reply reply, ::httplib::Response& out) {
    if (on_reply) on_reply(request, reply);
    write_reply(reply, out);
  };
  auto streamed = [receiver, finish](const ::httplib::Request& in, ::httplib::Response& out,
                                     const ::httplib::ContentReader& read_body) {
    chathooks::receiver::Request request = request_head(in);
    if (auto early = receiver.precheck(request)) return finish(request, std::move(*early), out);
    // Reads at most one byte past the cap: enough for handle() to answer 413.
    const std::size_t limit = receiver.max_body_bytes() + 1;
    read_body([&request, limit](const char* data, std::size_t size) {
      request.body.append(data, std::min(size, limit - request.body.size()));
      return request.body.size() < limit;
    });
    finish(request, receiver.handle(request), out);
  };
  auto whole = [receiver, finish](const ::httplib::Request& in, ::httplib::Response& out) {
    chathooks::receiver::Request request = request_head(in);
    request.body = in.body;
    finish(request, receiver.handle(request), out);
  };
  server.Post(path, streamed);
  server.Put(path, streamed);
  server.Patch(path, streamed);
  server.Get(path, whole);
  server.Delete(path, whole);
  server.Options(path, whole);
}

}  // namespace chathooks::httplib_adapter
