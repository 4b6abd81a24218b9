// The limits of the chathooks::beast HTTP edge: deadlines, connection and header caps, threads.
// The defaults follow nginx's spirit (a client gets a bounded time to send its header and its
// body; idle and slow connections cost a socket, never a thread). Header-only.
// Thread-safety: a plain value type.
#pragma once

#include <algorithm>
#include <chrono>
#include <cstddef>
#include <thread>

namespace chathooks::beast_adapter {

/// How long and how much the edge waits for and keeps of each connection.
struct EdgeOptions {
  /// From a connection's opening (or the end of its previous response) to the end of the
  /// request header. A connection that sent part of a header by then gets 408 and is closed;
  /// one that sent nothing (an idle keep-alive connection) is closed without an answer.
  std::chrono::milliseconds header_timeout{std::chrono::seconds(10)};
  /// From the end of the header to the end of the body: 408 and close when it passes.
  std::chrono::milliseconds body_timeout{std::chrono::seconds(10)};
  /// For writing one response: the connection is closed when it passes.
  std::chrono::milliseconds write_timeout{std::chrono::seconds(10)};
  /// After a refusal the edge stops writing and reads (and drops) what the client still sends,
  /// for at most this long, before it closes: the client then reads the refusal instead of a
  /// connection reset (nginx's lingering close).
  std::chrono::milliseconds linger_timeout{std::chrono::seconds(2)};
  /// Connections open at once; one more is answered 503 and closed at once.
  std::size_t max_connections = 1024;
  /// Bytes of request line plus header fields; more is answered 431.
  std::size_t max_header_bytes = 16 * 1024;
  /// Header fields in one request; more is answered 431.
  std::size_t max_header_fields = 100;
  /// Threads that run the server's event loop and the receivers' handlers (a Server that owns
  /// its loop). Reading and writing never tie a thread to a connection; a handler runs on one
  /// of these threads from its start to its end, so a handler that waits (on a database, say)
  /// holds one: size this for the handlers' waits, not for the number of clients.
  std::size_t threads = std::max<std::size_t>(4, std::thread::hardware_concurrency());
  /// How long stop() lets requests being handled finish before it closes everything.
  std::chrono::milliseconds shutdown_grace{std::chrono::seconds(5)};
};

}  // namespace chathooks::beast_adapter
