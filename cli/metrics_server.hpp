// `--metrics-port P` of `serve` and `outbox run`: GET /metrics answers the Prometheus text of a
// metrics::Registry, on 127.0.0.1:P (P 0 picks a free port), from a thread of its own.
// Thread-safety: start() and stop() from one thread; the registry is read from the server's.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "args.hpp"
#include "chathooks/error.hpp"
#include "chathooks/metrics/registry.hpp"

namespace chathooks_cli {

/// The port `--metrics-port` asks for: nullopt when the flag is absent, an error message when
/// its value is not a port.
chathooks::Result<std::optional<std::uint16_t>> metrics_port(const ParsedArgs& parsed);

/// Serves GET /metrics until stopped (or destroyed).
class MetricsServer {
 public:
  MetricsServer();
  ~MetricsServer();
  MetricsServer(const MetricsServer&) = delete;
  MetricsServer& operator=(const MetricsServer&) = delete;

  /// Listens on 127.0.0.1:`port` and starts serving `registry`; prints
  /// "metrics on http://127.0.0.1:PORT/metrics" on stderr. The bound port, or why not.
  chathooks::Result<std::uint16_t> start(std::uint16_t port,
                                         std::shared_ptr<chathooks::metrics::Registry> registry);
  /// Stops serving and joins the thread; nothing when not started.
  void stop();

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace chathooks_cli
