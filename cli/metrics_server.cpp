// MetricsServer on cpp-httplib: one listening thread, GET /metrics only.
#include "metrics_server.hpp"

#include <fmt/format.h>
#include <httplib.h>

#include <chrono>
#include <thread>
#include <utility>

#include "io.hpp"

namespace chathooks_cli {

chathooks::Result<std::optional<std::uint16_t>> metrics_port(const ParsedArgs& parsed) {
  const auto text = parsed.value("metrics-port");
  if (!text) return std::optional<std::uint16_t>();
  const auto value = parse_digits(*text, 65535);
  if (!value) {
    return chathooks::Error(chathooks::Errc::invalid_argument,
                            "--metrics-port must be a number from 0 to 65535");
  }
  return std::optional<std::uint16_t>(static_cast<std::uint16_t>(*value));
}

struct MetricsServer::State {
  httplib::Server server;
  std::thread thread;
};

MetricsServer::MetricsServer() : state_(std::make_unique<State>()) {}

MetricsServer::~MetricsServer() { stop(); }

chathooks::Result<std::uint16_t> MetricsServer::start(
    std::uint16_t port, std::shared_ptr<chathooks::metrics::Registry> registry) {
  state_->server.Get("/metrics", [registry = std::move(registry)](const httplib::Request&,
                                                                  httplib::Response& response) {
    response.set_content(chathooks::metrics::to_prometheus(registry->snapshot()),
                         chathooks::metrics::kPrometheusContentType);
  });
  const char* const host = "127.0.0.1";
  int bound = port;
  if (port == 0) {
    bound = state_->server.bind_to_any_port(host);
  } else if (!state_->server.bind_to_port(host, port)) {
    bound = -1;
  }
  if (bound <= 0) {
    return chathooks::Error(chathooks::Errc::connection_failed,
                            fmt::format("cannot listen on {}:{} for metrics", host, port));
  }
  // The socket listens already: requests wait in its backlog until the thread accepts them.
  state_->thread = std::thread([this] { state_->server.listen_after_bind(); });
  print_stderr_line(fmt::format("metrics on http://{}:{}/metrics", host, bound));
  return static_cast<std::uint16_t>(bound);
}

void MetricsServer::stop() {
  if (!state_->thread.joinable()) return;
  // stop() only reaches a server that has started listening: wait for that first (it is
  // at once, unless stop comes right after start).
  for (int i = 0; i < 5000 && !state_->server.is_running(); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  state_->server.stop();
  state_->thread.join();
}

}  // namespace chathooks_cli
