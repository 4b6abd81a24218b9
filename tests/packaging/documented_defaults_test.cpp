// The defaults README.md documents ("Defaults, and how to change them"), read from the README's
// tables and checked against the code, and the README's block that changes them, compiled and
// run (the README quotes it from here; tests/packaging/check_readme_snippets.sh checks the
// quote). Each table cell is compared with the text the code's value spells, so a default that
// changes fails here until its README cell changes, and a README cell edited alone fails too;
// a table row that no check reads fails as well.
#include <chrono>
#include <cstddef>
#include <fstream>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "catch.hpp"
#include "chathooks/delivery/deliverer.hpp"
#include "chathooks/delivery/retry_schedule.hpp"
#include "chathooks/http/curl_transport.hpp"
#include "chathooks/json.hpp"
#include "chathooks/receiver/authenticator.hpp"
#include "chathooks/receiver/idempotency_store.hpp"
#include "chathooks/receiver/options.hpp"
#include "chathooks/signing/keys.hpp"
#include "chathooks/signing/verifier.hpp"
#include "chathooks/version.hpp"

using namespace chathooks;
using std::chrono::milliseconds;
using std::chrono::seconds;

namespace {

// The rows of every table in the README section "Defaults, and how to change them": first
// cell -> second cell, without the header rows. Each lookup is counted, so that a test can
// require every row to have been read.
class DefaultsTables {
 public:
  DefaultsTables() {
    std::ifstream file(std::string(CHATHOOKS_SOURCE_DIR) + "/README.md");
    REQUIRE(file);
    std::string line;
    bool in_section = false;
    bool header_next = false;
    while (std::getline(file, line)) {
      if (line.rfind("## ", 0) == 0) in_section = line == "## Defaults, and how to change them";
      if (!in_section || line.rfind("| ", 0) != 0) {
        header_next = true;  // The next table row is a header row.
        continue;
      }
      if (line.rfind("| ---", 0) == 0) continue;
      const std::vector<std::string> cells = split(line);
      if (header_next) {
        header_next = false;
        continue;
      }
      REQUIRE(cells.size() == 2);
      rows_[cells[0]] = cells[1];
    }
    REQUIRE(rows_.size() >= 20);
  }

  // The second cell of the row whose first cell is `key`.
  std::string operator[](const std::string& key) {
    const auto found = rows_.find(key);
    INFO("README defaults row: " << key);
    REQUIRE(found != rows_.end());
    read_.insert(key);
    return found->second;
  }

  std::vector<std::string> unread() const {
    std::vector<std::string> keys;
    for (const auto& row : rows_) {
      if (read_.count(row.first) == 0) keys.push_back(row.first);
    }
    return keys;
  }

 private:
  static std::vector<std::string> split(const std::string& line) {
    std::vector<std::string> cells;
    std::size_t start = 2;  // After "| ".
    while (start < line.size()) {
      const std::size_t end = line.find(" |", start);
      if (end == std::string::npos) break;
      cells.push_back(line.substr(start, end - start));
      start = end + 3;  // After " | ".
    }
    return cells;
  }

  std::map<std::string, std::string> rows_;
  std::set<std::string> read_;
};

// "20 s", "500 ms": how the README spells a duration.
std::string spell(milliseconds duration) {
  if (duration.count() % 1000 == 0) return std::to_string(duration.count() / 1000) + " s";
  return std::to_string(duration.count()) + " ms";
}

// "1 MiB", "64 KiB", "16 MiB", "1 KiB".
std::string spell_bytes(std::size_t bytes) {
  if (bytes % (1024 * 1024) == 0) return std::to_string(bytes / (1024 * 1024)) + " MiB";
  REQUIRE(bytes % 1024 == 0);
  return std::to_string(bytes / 1024) + " KiB";
}

// "10,000", "100,000", "128".
std::string spell_count(std::size_t value) {
  std::string digits = std::to_string(value);
  for (std::size_t at = digits.size(); at > 3; at -= 3) digits.insert(at - 3, ",");
  return digits;
}

std::string on_off(bool value) { return value ? "on" : "off"; }

bool starts_with(const std::string& text, const std::string& prefix) {
  return text.rfind(prefix, 0) == 0;
}

}  // namespace

TEST_CASE("the README's delivery defaults are the code's") {
  DefaultsTables readme;
  const delivery::RetryPolicy retry;
  std::string retried = "connection errors, timeouts";
  for (int status = 100; status < 600; ++status) {
    if (delivery::RetrySchedule::is_retryable_status(status)) {
      retried += ", " + std::to_string(status);
    }
  }
  CHECK(readme["retried"] == retried);
  CHECK_FALSE(delivery::RetrySchedule::is_retryable_error(Errc::tls));
  CHECK(readme["not retried"] == "other 4xx and 5xx (`Errc::http_status`), any 3xx, TLS errors");
  CHECK_FALSE(delivery::RetrySchedule::is_retryable_status(410));
  CHECK(starts_with(readme["410"], "`Errc::endpoint_gone`"));
  CHECK(retry.multiplier == 2.0);  // "doubling"
  CHECK(retry.jitter == 0.5);      // jitter that only shortens: up to half the backoff
  CHECK(readme["attempts / backoff"] ==
        std::to_string(retry.max_attempts) + " attempts; " + spell(retry.initial_delay) +
            " doubling up to " + spell(retry.max_delay) + ", with jitter that only shortens");
  CHECK(starts_with(readme["overall deadline"], spell(retry.deadline) + " "));
  CHECK(readme["`Retry-After`"] ==
        "both forms (seconds and HTTP-date), replaces the backoff, capped at " +
            spell(retry.retry_after_cap));
  const delivery::DelivererOptions options;
  CHECK(options.signing_keys.empty());
  CHECK_FALSE(options.signer.has_value());
}

TEST_CASE("the README's transport defaults are the code's") {
  DefaultsTables readme;
  const http::CurlTransportOptions options;
  CHECK(readme["`connect_timeout` / `timeout`"] ==
        spell(options.connect_timeout) + " / " + spell(options.timeout));
  CHECK(readme["low-speed cut"] ==
        "under " + spell_bytes(static_cast<std::size_t>(options.low_speed_limit_bytes)) +
            "/s for " + spell(options.low_speed_time) +
            " aborts (a trickling server cannot hold a transfer)");
  CHECK(starts_with(readme["`max_response_bytes`"], spell_bytes(options.max_response_bytes) + " "));
  CHECK(options.max_header_bytes == 64 * 1024);  // not in the README's table
  CHECK(readme["`max_connections_per_host` / `max_connections_total`"] ==
        std::to_string(options.max_connections_per_host) + " / " +
            std::to_string(options.max_connections_total));
  CHECK(readme["`max_queued` (async)"] ==
        spell_count(options.max_queued) + "; beyond it `Errc::queue_full`, never blocking");
  CHECK(readme["`follow_redirects`"] == on_off(options.follow_redirects));
  CHECK(starts_with(readme["`verify_tls`"], on_off(options.verify_tls) + " "));
  CHECK(options.proxy.empty());
  CHECK(starts_with(readme["`allow_private_addresses`"],
                    on_off(options.allow_private_addresses) + ": "));
  CHECK(options.user_agent == std::string("chathooks/") + CHATHOOKS_VERSION_STRING);
  CHECK(readme["User-Agent"] == "`chathooks/<version>`");
}

TEST_CASE("the README's receiving and parsing defaults are the code's") {
  DefaultsTables readme;
  const receiver::ReceiverOptions options;
  CHECK(options.authenticator == nullptr);  // none: make_receiver refuses to build without one
  CHECK(starts_with(readme["`authenticator`"], "none, "));
  CHECK(readme["signature timestamp `tolerance` (`signing::VerifierOptions`)"] ==
        spell(signing::VerifierOptions{}.tolerance) + ", both directions");
  CHECK(starts_with(readme["`max_body_bytes`"], spell_bytes(options.max_body_bytes) + ", "));
  CHECK(starts_with(readme["`require_content_type`"], on_off(options.require_content_type) + ":"));
  CHECK(readme["`deduplicate` / `dedupe_window`"] == on_off(options.deduplicate) + " / " +
                                                         spell(options.dedupe_window) +
                                                         " (twice the signature tolerance)");
  CHECK(options.dedupe_window == 2 * signing::VerifierOptions{}.tolerance);
  CHECK(starts_with(readme["`claim_timeout`"], spell(options.claim_timeout) + ": "));
  CHECK_FALSE(options.system_now);              // empty: std::chrono::system_clock::now
  CHECK(options.idempotency_store == nullptr);  // a MemoryIdempotencyStore is made
  const receiver::MemoryIdempotencyStoreOptions store;
  CHECK(readme["`idempotency_store`"] ==
        "a `MemoryIdempotencyStore`: " + spell_count(store.max_entries) + " keys, " +
            spell_bytes(store.max_bytes));
  CHECK_FALSE(store.steady_now);  // empty: std::chrono::steady_clock::now
  const ParseOptions parse;
  CHECK(parse.duplicate_keys == DuplicateKeys::reject);
  CHECK(readme["`ParseOptions`"] ==
        spell_bytes(parse.max_bytes) + ", depth " + std::to_string(parse.max_depth) + ", " +
            spell_count(parse.max_values) + " values, duplicate member names refused");
  CHECK(parse.allow_bom);
}

TEST_CASE("every row of the README's defaults tables is checked") {
  DefaultsTables readme;
  // The rows the three cases above read, read again here to find any the README has beyond.
  for (const char* key : {"retried",
                          "not retried",
                          "410",
                          "attempts / backoff",
                          "overall deadline",
                          "`Retry-After`",
                          "`connect_timeout` / `timeout`",
                          "low-speed cut",
                          "`max_response_bytes`",
                          "`max_connections_per_host` / `max_connections_total`",
                          "`max_queued` (async)",
                          "`follow_redirects`",
                          "`verify_tls`",
                          "`allow_private_addresses`",
                          "User-Agent",
                          "`authenticator`",
                          "signature timestamp `tolerance` (`signing::VerifierOptions`)",
                          "`max_body_bytes`",
                          "`require_content_type`",
                          "`deduplicate` / `dedupe_window`",
                          "`claim_timeout`",
                          "`idempotency_store`",
                          "`ParseOptions`"}) {
    (void)readme[key];
  }
  CHECK(readme.unread() == std::vector<std::string>{});
}

TEST_CASE("the README's block that changes the defaults builds working objects") {
  const std::string secret = signing::generate_secret().value();
  const std::string previous_secret = signing::generate_secret().value();

  // Sending: a slower, more patient policy, over a transport for a private network.
  http::CurlTransportOptions transport_options;
  transport_options.timeout = std::chrono::seconds(10);
  transport_options.max_connections_per_host = 4;
  transport_options.allow_private_addresses = true;  // the endpoints are on your own network
  auto transport = http::make_curl_transport(transport_options);

  delivery::DelivererOptions delivery_options;
  delivery_options.retry.max_attempts = 5;
  delivery_options.retry.deadline = std::chrono::minutes(2);
  delivery_options.signing_keys = {secret};
  auto deliverer = delivery::Deliverer::create(transport, delivery_options);

  // Receiving: a smaller body cap, a required JSON Content-Type, a shorter replay window.
  signing::VerifierOptions verifier_options;
  verifier_options.tolerance = std::chrono::seconds(120);
  auto verifier = signing::Verifier::create({secret, previous_secret}, verifier_options);
  receiver::ReceiverOptions receiver_options;
  receiver_options.authenticator = receiver::standard_webhooks(verifier.value());
  receiver_options.max_body_bytes = 256 * 1024;
  receiver_options.require_content_type = true;
  receiver_options.dedupe_window = std::chrono::seconds(240);

  REQUIRE(transport != nullptr);
  REQUIRE(deliverer.ok());
  REQUIRE(verifier.ok());
  CHECK(receiver_options.authenticator != nullptr);
}
