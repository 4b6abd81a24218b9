// Shared helpers of the `chathooks serve` tests: a serve process running on an ephemeral
// 127.0.0.1 port (Serving), a run to completion for the cases that never listen, Standard
// Webhooks headers signed with the tests' secret, and counting stderr lines.
// Thread-safety: a Serving is used from one thread, but its client() may be called from several.
#pragma once

#include <httplib.h>

#include <chrono>
#include <cstdint>
#include <ctime>
#include <regex>
#include <string>
#include <vector>

#include "catch.hpp"
#include "chathooks/signing/signer.hpp"
#include "cli_test_support.hpp"

namespace chathooks_test {

constexpr const char* kSecret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

// Generous: the machine is small and shared, and the sanitizer build is slow to start.
constexpr std::chrono::seconds kStartTimeout{60};
constexpr std::chrono::seconds kStopTimeout{30};

// How many lines of `text` start with `prefix`.
inline std::size_t count_prefixed(const std::string& text, const std::string& prefix) {
  std::size_t n = 0;
  for (const std::string& line : lines(text)) n += line.rfind(prefix, 0) == 0 ? 1 : 0;
  return n;
}

// Runs `chathooks serve ARGS` to completion (the cases that must not start a server).
inline ProcessResult run_serve(std::vector<std::string> args) {
  args.insert(args.begin(), {CHATHOOKS_CLI_PATH, "serve"});
  return run_process(args, {}, std::chrono::seconds(60));
}

// `chathooks serve ARGS --port 0` running, once it has said where it listens.
class Serving {
 public:
  explicit Serving(std::vector<std::string> args) : process_(command(std::move(args))) {
    const std::regex listening(R"(listening on http://127\.0\.0\.1:([0-9]+)/)");
    const auto line = process_.wait_for_err_line(listening, kStartTimeout);
    INFO("stdout: " << process_.out() << "\nstderr: " << process_.err());
    REQUIRE(line.has_value());
    std::smatch match;
    REQUIRE(std::regex_match(*line, match, listening));
    port_ = std::stoi(match[1].str());
    REQUIRE(port_ > 0);
    REQUIRE(port_ <= 65535);
  }

  BackgroundProcess& process() { return process_; }

  // A client of the server, with timeouts far past anything a healthy server needs.
  httplib::Client client() const {
    httplib::Client client("127.0.0.1", port_);
    client.set_connection_timeout(30, 0);
    client.set_read_timeout(60, 0);
    client.set_write_timeout(60, 0);
    return client;
  }

  // Sends `signal` and waits for the process to end.
  ProcessResult stop(int signal) {
    process_.send_signal(signal);
    return process_.wait(kStopTimeout);
  }

 private:
  static std::vector<std::string> command(std::vector<std::string> args) {
    args.insert(args.begin(), {CHATHOOKS_CLI_PATH, "serve"});
    args.insert(args.end(), {"--port", "0"});
    return args;
  }

  BackgroundProcess process_;
  int port_ = 0;
};

// The Standard Webhooks headers of `body` signed with kSecret under `id`, timestamped now.
inline httplib::Headers signed_headers(const std::string& id, const std::string& body) {
  const auto signer = chathooks::signing::Signer::create({kSecret});
  REQUIRE(signer.ok());
  const std::int64_t now = static_cast<std::int64_t>(std::time(nullptr));
  return {{"webhook-id", id},
          {"webhook-timestamp", std::to_string(now)},
          {"webhook-signature", signer->sign(id, now, body)}};
}

}  // namespace chathooks_test
