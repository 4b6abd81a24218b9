// Serving a chathooks receiver on a cpp-httplib server (the chathooks::httplib component):
// mount() routes every method of one path to the receiver, streams POST bodies so that no more
// than max_body_bytes() + 1 bytes are ever buffered, hands the handler only bodies that arrived
// whole, and writes the receiver's Reply back as it is; request_head() and write_reply() are
// the two conversions it is made of, for a host that routes requests itself. Header-only; it
// needs cpp-httplib's header and library (written against 0.11.4), built with the same
// CPPHTTPLIB_* definitions as the library (the CMake target chathooks::httplib passes them on).
// To serve a receiver on another server, do what mount() does: raw request in, Reply out.
//
// Framing (what cpp-httplib 0.11.4 does, and what mount() adds):
// - httplib reads the body by the first Transfer-Encoding field if its whole value is
//   `chunked`, else by the first Content-Length field (strtoull: "-5" is huge, "abc" is 0,
//   "5x" is 5), else until the peer closes; it ignores a second Content-Length, Content-Length
//   beside Transfer-Encoding, and any other transfer coding (the body then runs to the close).
//   Receiver::precheck() refuses all of these from the headers, before a byte of the body is
//   read (400, or 501 for a coding such as `gzip, chunked`), with a detail saying which.
// - The ContentReader returns false when the body ends early (the peer closed or the read
//   timed out before the Content-Length bytes; a chunk size that is not hexadecimal, a chunk
//   cut short, no last chunk) or when a Content-Encoding fails to decode; mount() then answers
//   Receiver::incomplete_body(): 400 with Errc::protocol, never 408, since httplib does not say
//   whether the read timed out. The handler never sees such a body.
// - A request with neither Content-Length nor Transfer-Encoding has no body (RFC 9112 section
//   6.3); mount() does not read one, where httplib would read until the peer closes.
// - Known leniencies of httplib's chunked decoder that no handler can see: a chunk size is read
//   with strtoul (so `0x5`, `+5` and `5zz` are 5), and a line other than CRLF after a chunk's
//   data ends the body as if the last chunk had come.
//
// Settings mount() makes on the server (server-wide; with several receivers on one server the
// last one mounted wins, and each receiver still enforces its own cap):
// - set_payload_max_length(max_body_bytes() + 1), for the methods httplib reads whole;
// - set_keep_alive_max_count(1): each connection closes after one request; do not raise it.
//   httplib 0.11.4 keeps reading requests from a connection until the request count runs out,
//   the request said `Connection: close` (or was HTTP/1.0), or writing the response failed. A
//   handler cannot end the loop: a `Connection: close` header it sets is sent but the server
//   reads on. So a body refused unread (413 from Content-Length, a chunked body cut at the cap,
//   a framing refusal) would stay on the connection and be parsed as the next request (request
//   smuggling). Draining the body would not make keep-alive sound either: the leniencies above
//   and httplib's header parsing (a header line ending in a bare LF is skipped, so a
//   `Transfer-Encoding` a front proxy honours can be invisible here) mean the adapter cannot
//   know that the bytes after a request start the next one. With one request per connection
//   whatever follows the first request is discarded when the connection closes. Webhook senders
//   rarely reuse connections.
//
// Thread-safety: the mounted handlers may run on all of the server's threads at once; the
// Receiver is made for that, and a ReplyHook must be thread-safe too. Call mount() before the
// server starts listening.
#pragma once

#include <httplib.h>

#include <algorithm>
#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
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

namespace detail {

/// What incomplete_body() says of a body whose read failed after `request.body` came.
inline std::string incomplete(const chathooks::receiver::Request& request, bool chunked,
                              std::optional<std::string_view> length) {
  const std::string got = std::to_string(request.body.size());
  std::string text =
      chunked ? "the chunked body is malformed or cut short after " + got +
                    " bytes: a chunk size that is not hexadecimal, a chunk shorter than its "
                    "size, or no last chunk before the connection closed or the read timed out"
              : "the body ended after " + got + " of the " + std::string(length.value_or("")) +
                    " bytes Content-Length announced: the connection closed or the read timed out";
  if (request.header("Content-Encoding")) text += ", or its Content-Encoding could not be decoded";
  return text;
}

}  // namespace detail

/// Serves `receiver` at `path` for every method (anything but POST gets the receiver's 405).
/// Also sets the server's payload cap and turns keep-alive off, as the header comment says.
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
    // Refuses a broken framing, a wrong method or type and a Content-Length over the cap.
    if (auto early = receiver.precheck(request)) return finish(request, std::move(*early), out);
    // The framing is sound now: Transfer-Encoding is `chunked` alone, or Content-Length has one
    // value, or neither is present and the body is empty.
    const bool chunked = request.header("Transfer-Encoding").has_value();
    const auto length = request.header("Content-Length");
    if (chunked || length) {
      // Reads at most one byte past the cap: enough for handle() to answer 413.
      const std::size_t limit = receiver.max_body_bytes() + 1;
      bool over_cap = false;
      const bool whole =
          read_body([&request, &over_cap, limit](const char* data, std::size_t size) {
            request.body.append(data, std::min(size, limit - request.body.size()));
            over_cap = request.body.size() >= limit;
            return !over_cap;
          });
      if (!whole && !over_cap)
        return finish(request,
                      receiver.incomplete_body(detail::incomplete(request, chunked, length)), out);
    }
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
