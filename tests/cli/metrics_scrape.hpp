// Reading a running CLI's `--metrics-port` endpoint: the port from its stderr line, the text of
// GET /metrics, and one sample's value from that text.
// Thread-safety: plain functions.
#pragma once

#include <httplib.h>

#include <chrono>
#include <optional>
#include <regex>
#include <sstream>
#include <string>

#include "catch.hpp"
#include "subprocess.hpp"

namespace chathooks_test {

// Waits for "metrics on http://127.0.0.1:PORT/metrics" on the process's stderr.
inline int wait_for_metrics_port(BackgroundProcess& process) {
  const std::regex line(R"(metrics on http://127\.0\.0\.1:([0-9]+)/metrics)");
  const auto found = process.wait_for_err_line(line, std::chrono::seconds(30));
  INFO("stderr: " << process.err());
  REQUIRE(found.has_value());
  std::smatch match;
  REQUIRE(std::regex_match(*found, match, line));
  return std::stoi(match[1].str());
}

// GET /metrics: its body, after checking the status and content type.
inline std::string scrape_metrics(int port) {
  httplib::Client client("127.0.0.1", port);
  client.set_connection_timeout(30, 0);
  client.set_read_timeout(30, 0);
  const auto response = client.Get("/metrics");
  REQUIRE(response);
  CHECK(response->status == 200);
  CHECK(response->get_header_value("Content-Type").rfind("text/plain; version=0.0.4", 0) == 0);
  return response->body;
}

// The value of the sample line that starts with `series` (name and labels, as written), or
// nullopt when there is none.
inline std::optional<double> sample_value(const std::string& text, const std::string& series) {
  std::istringstream lines(text);
  std::string line;
  while (std::getline(lines, line)) {
    if (line.size() > series.size() && line.compare(0, series.size(), series) == 0 &&
        line[series.size()] == ' ')
      return std::stod(line.substr(series.size() + 1));
  }
  return std::nullopt;
}

}  // namespace chathooks_test
