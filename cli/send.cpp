// `chathooks send KIND URL [FILE] [--secret SECRET] [--timeout-ms N] [--attempts N]
// [--max-response-bytes N] [--allow-private-addresses]`: validates a request payload by
// decoding it, POSTs it through the SDK's protocol client (flw::Client, cliengo::Client,
// boticario::Client) over the libcurl transport with the delivery policy, and reports every
// attempt on stderr and the decoded answer on stdout.
#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "answer_json.hpp"
#include "args.hpp"
#include "chathooks/boticario/client.hpp"
#include "chathooks/boticario/codec.hpp"
#include "chathooks/cliengo/client.hpp"
#include "chathooks/cliengo/codec.hpp"
#include "chathooks/delivery/deliverer.hpp"
#include "chathooks/delivery/observer.hpp"
#include "chathooks/flw/client.hpp"
#include "chathooks/flw/codec.hpp"
#include "chathooks/http/curl_transport.hpp"
#include "chathooks/json.hpp"
#include "commands.hpp"
#include "io.hpp"
#include "kind.hpp"
#include "receiver_said.hpp"

namespace chathooks_cli {
namespace {

constexpr std::uint64_t kDefaultTimeoutMs = 10000;
constexpr std::uint64_t kMaxTimeoutMs = 24ULL * 3600 * 1000;
constexpr std::uint64_t kDefaultAttempts = 3;
constexpr std::uint64_t kMaxAttempts = 100;
constexpr std::uint64_t kDefaultMaxResponseBytes = 1024 * 1024;
constexpr std::uint64_t kMaxMaxResponseBytes = 1024ULL * 1024 * 1024;

const char* const kSendUsage =
    "usage: chathooks send KIND URL [FILE] [--secret SECRET] [--timeout-ms N] [--attempts N]\n"
    "                      [--max-response-bytes N] [--allow-private-addresses]\n"
    "\n"
    "Decodes the payload in FILE (standard input when FILE is omitted or -) to check it, then\n"
    "POSTs it as compact JSON to URL through the SDK's libcurl transport and delivery policy\n"
    "(retries on connection errors, timeouts, 408, 425, 429, 500, 502, 503, 504; backoff with\n"
    "jitter; Retry-After honoured), signed with Standard Webhooks headers when --secret is\n"
    "given.\n"
    "\n"
    "KIND: flw-dispatch, boticario-event, cliengo-request\n"
    "\n"
    "  --secret SECRET          sign every attempt: whsec_<base64>, bare base64 or whsk_<base64>\n"
    "  --timeout-ms N           time allowed for each attempt, in ms (default 10000)\n"
    "  --attempts N             attempts in all, the first included (default 3, at most 100)\n"
    "  --max-response-bytes N   largest answer body accepted (default 1048576)\n"
    "  --allow-private-addresses\n"
    "                           allow loopback, private and link-local destinations (refused\n"
    "                           by default)\n"
    "\n"
    "stderr: one line per attempt, 'attempt N: STATUS (D ms)' or\n"
    "'attempt N: ERROR_CODE: REASON (D ms)'; for flw-dispatch, then one\n"
    "'warning: <json-pointer>: <reason>' line for each thing wrong with a 2xx answer that was\n"
    "read anyway: a member of an unexpected type or format (kept as it came), or a body that\n"
    "is not a JSON object (the pointer empty; the main flow follows, as for an empty body).\n"
    "stdout, when delivered: one line of compact JSON:\n"
    "  flw-dispatch     the outcome: {\"branch\":\"main|response_key|unlisted_key\",\n"
    "                   \"response\":KEY|null,\"contact\":{...},\"metadata\":{...},\n"
    "                   \"messages\":[...]} (contact and metadata only when answered)\n"
    "  cliengo-request  the answer as decoded, or {} for an empty answer (no override)\n"
    "  boticario-event  {\"status\":STATUS}\n"
    "\n"
    "Exit status: 0 delivered (and, for flw-dispatch and cliengo-request, an answer that\n"
    "decodes); 1 not: an invalid payload ('error: <json-pointer>: <reason>'), a delivery that\n"
    "failed ('error: <code>: <reason>', followed by ' (the receiver said: DETAIL)' when the\n"
    "receiver explained its refusal) or an answer that does not decode\n"
    "('error: answer: <json-pointer>: <reason>'), the reason last on stderr; 2 usage error.\n";

// One stderr line per attempt as it ends: its status or error, and how long it took.
class AttemptPrinter final : public chathooks::delivery::DeliveryObserver {
 public:
  void on_attempt_end(const chathooks::delivery::AttemptEnd& event) override {
    const auto& attempt = event.attempt;
    std::string what;
    if (attempt.status) {
      what = std::to_string(*attempt.status);
    } else if (attempt.error) {
      what = fmt::format("{}: {}", chathooks::to_string(attempt.error->code()),
                         attempt.error->message());
    } else {
      what = "no outcome";
    }
    print_stderr_line(one_line(
        fmt::format("attempt {}: {} ({} ms)", attempt.number, what, attempt.duration.count())));
  }
};

// Whether the delivery ended on a 2xx: a failure after it is the answer's, not the delivery's.
bool delivered(const chathooks::delivery::DeliveryRecord& delivery) {
  return delivery.response && delivery.response->status >= 200 && delivery.response->status <= 299;
}

// The last stderr line of a delivery that failed, with what the receiver said when it said
// something: its problem+json `detail`, or the start of a text body.
void print_delivery_error(const chathooks::Error& error,
                          const chathooks::delivery::DeliveryRecord* delivery = nullptr) {
  // The library's hint names its option; a command-line user needs the flag.
  const bool blocked = error.code() == chathooks::Errc::blocked_destination;
  std::string said;
  if (delivery != nullptr && delivery->response) said = receiver_said(*delivery->response);
  print_error(fmt::format("{}: {}{}{}", chathooks::to_string(error.code()), error.message(),
                          blocked ? " (command line: --allow-private-addresses)" : "",
                          said.empty() ? "" : " (the receiver said: " + said + ")"));
}

// The last stderr line of a send that failed: the delivery's error, or the answer's when the
// delivery succeeded but its answer does not decode.
template <class T>
int report_failure(const chathooks::delivery::SendResult<T>& sent) {
  if (delivered(sent.delivery)) {
    const chathooks::Error& error = sent.error();
    print_error(error.pointer().empty() ? "answer: " + error.message()
                                        : "answer: " + error.to_string());
  } else {
    print_delivery_error(sent.error(), &sent.delivery);
  }
  return kExitFailure;
}

// Prints `line` on stdout: exit 0, or 1 when stdout cannot take it.
int print_answer(std::string_view line) { return print_stdout_line(line) ? kExitOk : kExitFailure; }

int send_flw(const chathooks::delivery::Deliverer& deliverer, std::string_view bytes,
             std::string url) {
  auto dispatch = chathooks::flw::decode_dispatch(bytes);
  if (!dispatch) {
    print_payload_error(dispatch.error());
    return kExitFailure;
  }
  const chathooks::flw::Client client(deliverer);
  const auto sent = client.send(*dispatch, std::move(url));
  if (!sent) return report_failure(sent);
  // What was off in an answer read anyway (a member kept as it came, a body that is not a JSON
  // object): after the attempt lines, before the outcome.
  print_warnings(sent.value().warnings);
  return print_answer(answer_json(sent.value()));
}

int send_cliengo(const chathooks::delivery::Deliverer& deliverer, std::string_view bytes,
                 std::string url) {
  auto memory = chathooks::cliengo::decode_memory(bytes);
  if (!memory) {
    print_payload_error(memory.error());
    return kExitFailure;
  }
  const chathooks::cliengo::Client client(deliverer);
  const auto sent = client.send(*memory, std::move(url));
  if (!sent) return report_failure(sent);
  // An empty answer overrides nothing, which is what `{}` says too.
  const auto& answer = sent.value();
  return print_answer(answer.response ? chathooks::cliengo::encode(*answer.response) : "{}");
}

int send_boticario(const chathooks::delivery::Deliverer& deliverer, std::string_view bytes,
                   std::string url) {
  auto event = chathooks::boticario::decode_event(bytes);
  if (!event) {
    print_payload_error(event.error());
    return kExitFailure;
  }
  const chathooks::boticario::Client client(deliverer);
  const auto sent = client.send(*event, std::move(url));
  if (!sent) return report_failure(sent);
  if (!sent.delivery.response) {
    print_delivery_error(
        chathooks::Error(chathooks::Errc::internal, "delivered without a response"));
    return kExitFailure;
  }
  return print_answer(fmt::format("{{\"status\":{}}}", sent.delivery.response->status));
}

}  // namespace

int run_send(const std::vector<std::string>& args) {
  const auto parsed = parse_args(args, {{"secret"},
                                        {"timeout-ms"},
                                        {"attempts"},
                                        {"max-response-bytes"},
                                        {"allow-private-addresses", false}});
  if (!parsed) return usage_error(parsed.error().message(), kSendUsage);
  if (parsed->help) return print_help(kSendUsage);

  const auto& positionals = parsed->positionals;
  if (positionals.empty()) return usage_error("missing KIND", kSendUsage);
  const auto kind = parse_kind(positionals[0]);
  if (!kind) return usage_error("unknown KIND " + positionals[0], kSendUsage);
  if (!is_request_kind(*kind)) {
    return usage_error(positionals[0] +
                           " is not a request kind: send flw-dispatch, "
                           "boticario-event or cliengo-request",
                       kSendUsage);
  }
  if (positionals.size() < 2) return usage_error("missing URL", kSendUsage);
  if (positionals.size() > 3)
    return usage_error("unexpected argument " + positionals[3], kSendUsage);
  const std::string& url = positionals[1];
  if (!is_http_url(url)) return usage_error("URL must start with http:// or https://", kSendUsage);
  const std::string path = positionals.size() == 3 ? positionals[2] : std::string("-");

  std::uint64_t timeout_ms = kDefaultTimeoutMs;
  if (const auto text = parsed->value("timeout-ms")) {
    const auto value = parse_count(*text, kMaxTimeoutMs);
    if (!value) {
      return usage_error(
          fmt::format("--timeout-ms must be a whole number from 1 to {}", kMaxTimeoutMs),
          kSendUsage);
    }
    timeout_ms = *value;
  }
  std::uint64_t attempts = kDefaultAttempts;
  if (const auto text = parsed->value("attempts")) {
    const auto value = parse_count(*text, kMaxAttempts);
    if (!value) {
      return usage_error(
          fmt::format("--attempts must be a whole number from 1 to {}", kMaxAttempts), kSendUsage);
    }
    attempts = *value;
  }
  std::uint64_t max_response_bytes = kDefaultMaxResponseBytes;
  if (const auto text = parsed->value("max-response-bytes")) {
    const auto value = parse_count(*text, kMaxMaxResponseBytes);
    if (!value) {
      return usage_error(fmt::format("--max-response-bytes must be a whole number from 1 to {}",
                                     kMaxMaxResponseBytes),
                         kSendUsage);
    }
    max_response_bytes = *value;
  }

  const chathooks::ParseOptions parse_options;
  const auto bytes = read_input(path, parse_options.max_bytes);
  if (!bytes) {
    print_read_error(bytes.error());
    return kExitFailure;
  }

  chathooks::http::CurlTransportOptions transport_options;
  const std::chrono::milliseconds timeout(static_cast<std::int64_t>(timeout_ms));
  transport_options.timeout = timeout;
  transport_options.connect_timeout = std::min(timeout, transport_options.connect_timeout);
  transport_options.max_response_bytes = static_cast<std::size_t>(max_response_bytes);
  transport_options.allow_private_addresses = parsed->has("allow-private-addresses");

  chathooks::delivery::DelivererOptions delivery_options;
  delivery_options.retry.max_attempts = static_cast<int>(attempts);
  // Each attempt has its own timeout; the whole run is bounded by attempts x (timeout + the
  // capped wait between attempts), so no overall deadline cuts an attempt the user asked for.
  delivery_options.retry.deadline = std::chrono::milliseconds(0);
  if (const auto secret = parsed->value("secret")) delivery_options.signing_keys = {*secret};
  delivery_options.observer = std::make_shared<AttemptPrinter>();

  auto deliverer = chathooks::delivery::Deliverer::create(
      chathooks::http::make_curl_transport(transport_options), std::move(delivery_options));
  if (!deliverer) {
    // The library's message names the key by position and never contains it.
    print_delivery_error(deliverer.error());
    return kExitFailure;
  }

  switch (*kind) {
    case Kind::flw_dispatch:
      return send_flw(*deliverer, *bytes, url);
    case Kind::cliengo_request:
      return send_cliengo(*deliverer, *bytes, url);
    case Kind::boticario_event:
      return send_boticario(*deliverer, *bytes, url);
    default:
      break;
  }
  return kExitUsage;
}

}  // namespace chathooks_cli
