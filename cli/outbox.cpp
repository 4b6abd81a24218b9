// `chathooks outbox add|run|status|retry-dead|endpoints|enable --store STORE`: durable delivery
// through the SDK's
// outbox (chathooks/outbox/). STORE is `sqlite:PATH` or a libpq URI `postgresql://...` (or
// `postgres://...`), whose tables live in the schema "chathooks".
#include <fmt/format.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <ctime>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "args.hpp"
#include "chathooks/http/curl_transport.hpp"
#include "chathooks/json.hpp"
#include "chathooks/metrics/watch.hpp"
#include "chathooks/outbox/worker.hpp"
#include "commands.hpp"
#include "io.hpp"
#include "kind.hpp"
#include "metrics_server.hpp"
#include "signal_watch.hpp"
#include "stores.hpp"

namespace chathooks_cli {
namespace {

namespace outbox = chathooks::outbox;

constexpr std::uint64_t kDefaultTimeoutMs = 10000;
constexpr std::uint64_t kMaxTimeoutMs = 24ULL * 3600 * 1000;
// The lease outlives the attempt's timeout by this much (a worker must settle in time).
constexpr std::uint64_t kLeaseMarginMs = 5000;

const char* const kOutboxUsage =
    "usage: chathooks outbox add KIND URL [FILE] --store STORE\n"
    "       chathooks outbox run --store STORE [--secret SECRET ...] [--timeout-ms N]\n"
    "                            [--lease-ms N] [--allow-private-addresses] [--until-empty]\n"
    "                            [--metrics-port P]\n"
    "       chathooks outbox status --store STORE\n"
    "       chathooks outbox retry-dead --store STORE\n"
    "       chathooks outbox endpoints --store STORE\n"
    "       chathooks outbox enable URL --store STORE\n"
    "\n"
    "Durable delivery. STORE is sqlite:PATH (the file is created when missing) or a\n"
    "PostgreSQL URI postgresql://USER:PASSWORD@HOST:PORT/DB?... (tables in schema chathooks,\n"
    "created when missing; several machines may share it).\n"
    "\n"
    "add         decodes the payload in FILE (standard input when omitted or -) as KIND\n"
    "            (flw-dispatch, boticario-event, cliengo-request), stores it for delivery to\n"
    "            URL and prints its webhook-id on stdout; exit 0 only once it is stored.\n"
    "run         delivers what is due: one attempt per message at a time, the same webhook-id\n"
    "            on every attempt, retries after 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h (or\n"
    "            the receiver's Retry-After), then dead. One stderr line per attempt:\n"
    "            'WEBHOOK_ID attempt N: STATUS|ERROR (D ms): delivered|retry in WAIT|dead: WHY'.\n"
    "            Runs until SIGINT or SIGTERM (finishes the attempts under way, exits 0), or\n"
    "            with --until-empty until nothing is pending or in flight (exit 0; 1 if a\n"
    "            message ended dead). Several runs may share one store; killed at any moment,\n"
    "            nothing is lost: a later run delivers what was pending.\n"
    "status      prints {\"pending\":N,\"in_flight\":N,\"delivered\":N,\"dead\":N}.\n"
    "retry-dead  makes every dead message pending again; prints how many.\n"
    "endpoints   prints the circuit-breaker states that workers with an endpoint policy saved,\n"
    "            one JSON object per line: endpoint, state (closed, open, disabled),\n"
    "            consecutive_failures, paused_until_ms and updated_at_ms (Unix ms).\n"
    "enable      closes the breaker of URL's endpoint and re-enables it after a 410, for every\n"
    "            worker sharing the store (they apply it on their next read).\n"
    "\n"
    "  --store STORE            sqlite:PATH or postgresql://...\n"
    "  --secret SECRET          sign every attempt (repeat for several keys)\n"
    "  --timeout-ms N           time allowed for each attempt, in ms (default 10000)\n"
    "  --lease-ms N             how long a run holds a message it is attempting before another\n"
    "                           run may take it (default: the timeout + 5000)\n"
    "  --allow-private-addresses\n"
    "                           allow loopback, private and link-local destinations\n"
    "  --until-empty            stop once nothing is pending or in flight\n"
    "  --metrics-port P         serve GET /metrics (Prometheus text: attempts, deliveries,\n"
    "                           retries, outbox depth by state) on 127.0.0.1:P (0: a free\n"
    "                           port); 'metrics on http://127.0.0.1:PORT/metrics' on stderr\n"
    "\n"
    "Exit status: 0 success; 1 a store, payload or delivery failure (the reason on stderr);\n"
    "2 usage error.\n";

// "1 h", "5 min", "30 s", "250 ms": a wait for people. Waits of a second or more are rounded to
// whole seconds first (the wait is measured a few ms after the settlement chose it).
std::string describe_wait(std::chrono::milliseconds wait) {
  auto ms = wait.count();
  if (ms >= 1000) ms = (ms + 500) / 1000 * 1000;
  if (ms >= 3600000 && ms % 3600000 == 0) return fmt::format("{} h", ms / 3600000);
  if (ms >= 60000 && ms % 60000 == 0) return fmt::format("{} min", ms / 60000);
  if (ms >= 1000) return fmt::format("{} s", ms / 1000);
  return fmt::format("{} ms", ms);
}

void print_attempt(const outbox::AttemptEvent& event, std::chrono::system_clock::time_point now) {
  const auto& attempt = event.attempt;
  const std::string what = attempt.error.empty() ? std::to_string(attempt.status) : attempt.error;
  std::string then;
  if (!event.settled) {
    then = "lease lost (another run may attempt it again)";
  } else if (event.settlement.kind == outbox::Settlement::Kind::delivered) {
    then = "delivered";
  } else if (event.settlement.kind == outbox::Settlement::Kind::retry) {
    const auto wait = std::chrono::duration_cast<std::chrono::milliseconds>(
        event.settlement.next_attempt_at - now);
    then = "retry in " + describe_wait(std::max(wait, std::chrono::milliseconds(0)));
  } else {
    then = "dead: " + event.settlement.reason;
  }
  print_stderr_line(one_line(fmt::format("{} attempt {}: {} ({} ms): {}", event.message.id,
                                         attempt.number, what, attempt.duration.count(), then)));
}

int outbox_add(const ParsedArgs& parsed, outbox::OutboxStore& store) {
  const auto& positionals = parsed.positionals;
  if (positionals.size() < 2) return usage_error("missing KIND", kOutboxUsage);
  const auto kind = parse_kind(positionals[1]);
  if (!kind) return usage_error("unknown KIND " + positionals[1], kOutboxUsage);
  if (!is_request_kind(*kind)) {
    return usage_error(positionals[1] + " is not a request kind", kOutboxUsage);
  }
  if (positionals.size() < 3) return usage_error("missing URL", kOutboxUsage);
  if (positionals.size() > 4) {
    return usage_error("unexpected argument " + positionals[4], kOutboxUsage);
  }
  const std::string& url = positionals[2];
  if (!is_http_url(url)) {
    return usage_error("URL must start with http:// or https://", kOutboxUsage);
  }
  const chathooks::ParseOptions parse_options;
  const auto bytes =
      read_input(positionals.size() == 4 ? positionals[3] : "-", parse_options.max_bytes);
  if (!bytes) {
    print_read_error(bytes.error());
    return kExitFailure;
  }
  // The bytes sent are the SDK's encoding of the decoded payload, as `send` sends them.
  auto body = reencode(*kind, *bytes, parse_options);
  if (!body) {
    print_payload_error(body.error());
    return kExitFailure;
  }
  chathooks::http::HttpRequest request;
  request.url = url;
  request.body = std::move(body).value();
  if (auto set = request.headers.set("Content-Type", "application/json"); !set) {
    print_store_error(set.error());
    return kExitFailure;
  }
  outbox::EnqueueOptions options;
  options.kind = std::string(kind_name(*kind));
  const auto id = outbox::enqueue(store, std::move(request), std::move(options));
  if (!id) {
    print_store_error(id.error());
    return kExitFailure;
  }
  return print_stdout_line(*id) ? kExitOk : kExitFailure;
}

int outbox_run(const ParsedArgs& parsed, std::shared_ptr<outbox::OutboxStore> store) {
  if (parsed.positionals.size() > 1) {
    return usage_error("unexpected argument " + parsed.positionals[1], kOutboxUsage);
  }
  std::uint64_t timeout_ms = kDefaultTimeoutMs;
  if (const auto text = parsed.value("timeout-ms")) {
    const auto value = parse_count(*text, kMaxTimeoutMs);
    if (!value) {
      return usage_error(
          fmt::format("--timeout-ms must be a whole number from 1 to {}", kMaxTimeoutMs),
          kOutboxUsage);
    }
    timeout_ms = *value;
  }
  std::uint64_t lease_ms = timeout_ms + kLeaseMarginMs;
  if (const auto text = parsed.value("lease-ms")) {
    const auto value = parse_count(*text, kMaxTimeoutMs + kLeaseMarginMs);
    if (!value) {
      return usage_error(fmt::format("--lease-ms must be a whole number from 1 to {}",
                                     kMaxTimeoutMs + kLeaseMarginMs),
                         kOutboxUsage);
    }
    lease_ms = *value;
  }

  const auto wanted_metrics = metrics_port(parsed);
  if (!wanted_metrics) return usage_error(wanted_metrics.error().message(), kOutboxUsage);

  // Before any thread starts (the transport's, the worker's): they inherit the blocked signals.
  std::atomic<bool> stop{false};
  SignalWatch watch([&stop](const std::atomic<bool>&) { stop.store(true); });

  chathooks::http::CurlTransportOptions transport_options;
  const std::chrono::milliseconds timeout(static_cast<std::int64_t>(timeout_ms));
  transport_options.timeout = timeout;
  transport_options.connect_timeout = std::min(timeout, transport_options.connect_timeout);
  transport_options.allow_private_addresses = parsed.has("allow-private-addresses");

  outbox::WorkerOptions options;
  options.signing_keys = parsed.values("secret");
  options.lease = std::chrono::milliseconds(static_cast<std::int64_t>(lease_ms));
  options.on_attempt = [](const outbox::AttemptEvent& event) {
    print_attempt(event, std::chrono::system_clock::now());
  };
  MetricsServer metrics_server;
  if (*wanted_metrics) {
    auto metrics = chathooks::metrics::Registry::create();
    options.observer = metrics->delivery_observer();
    (void)chathooks::metrics::watch_outbox(*metrics, store);  // a new registry: cannot clash
    if (auto serving = metrics_server.start(**wanted_metrics, metrics); !serving) {
      print_error(serving.error().message());
      return kExitFailure;
    }
  }
  auto worker = outbox::Worker::create(std::move(store),
                                       chathooks::http::make_curl_transport(transport_options),
                                       std::move(options));
  if (!worker) {
    print_store_error(worker.error());  // The library's message names a key by position only.
    return kExitFailure;
  }

  const bool until_empty = parsed.has("until-empty");
  const auto summary = until_empty ? worker->run_until_empty(stop) : worker->run(stop);
  if (!summary) {
    print_store_error(summary.error());
    return kExitFailure;
  }
  return until_empty && summary->dead > 0 ? kExitFailure : kExitOk;
}

int outbox_status(const ParsedArgs& parsed, outbox::OutboxStore& store) {
  if (parsed.positionals.size() > 1) {
    return usage_error("unexpected argument " + parsed.positionals[1], kOutboxUsage);
  }
  const auto counts = store.counts();
  if (!counts) {
    print_store_error(counts.error());
    return kExitFailure;
  }
  return print_stdout_line(
             fmt::format(R"({{"pending":{},"in_flight":{},"delivered":{},"dead":{}}})",
                         counts->pending, counts->in_flight, counts->delivered, counts->dead))
             ? kExitOk
             : kExitFailure;
}

int outbox_retry_dead(const ParsedArgs& parsed, outbox::OutboxStore& store) {
  if (parsed.positionals.size() > 1) {
    return usage_error("unexpected argument " + parsed.positionals[1], kOutboxUsage);
  }
  const auto retried = store.retry_dead(std::chrono::system_clock::now());
  if (!retried) {
    print_store_error(retried.error());
    return kExitFailure;
  }
  return print_stdout_line(std::to_string(*retried)) ? kExitOk : kExitFailure;
}

int outbox_endpoints(const ParsedArgs& parsed, outbox::OutboxStore& store) {
  if (parsed.positionals.size() > 1) {
    return usage_error("unexpected argument " + parsed.positionals[1], kOutboxUsage);
  }
  const auto records = store.endpoint_records();
  if (!records) {
    print_store_error(records.error());
    return kExitFailure;
  }
  const auto ms = [](std::chrono::system_clock::time_point at) {
    return std::chrono::duration_cast<std::chrono::milliseconds>(at.time_since_epoch()).count();
  };
  for (const outbox::EndpointRecord& record : *records) {
    chathooks::Json line = chathooks::Json::object();
    line["endpoint"] = record.endpoint;
    line["state"] = std::string(to_string(record.state));
    line["consecutive_failures"] = record.consecutive_failures;
    line["paused_until_ms"] = static_cast<std::int64_t>(ms(record.paused_until));
    line["updated_at_ms"] = static_cast<std::int64_t>(ms(record.updated_at));
    if (!print_stdout_line(line.dump())) return kExitFailure;
  }
  return kExitOk;
}

int outbox_enable(const ParsedArgs& parsed, outbox::OutboxStore& store) {
  if (parsed.positionals.size() != 2) {
    return usage_error(parsed.positionals.size() < 2
                           ? "missing URL"
                           : "unexpected argument " + parsed.positionals[2],
                       kOutboxUsage);
  }
  const auto enabled = outbox::enable_endpoint(store, parsed.positionals[1]);
  if (!enabled) {
    if (enabled.error().code() == chathooks::Errc::invalid_argument) {
      return usage_error(enabled.error().message(), kOutboxUsage);
    }
    print_store_error(enabled.error());
    return kExitFailure;
  }
  return kExitOk;
}

}  // namespace

int run_outbox(const std::vector<std::string>& args) {
  const auto parsed = parse_args(args, {{"store"},
                                        {"secret", true, true},
                                        {"timeout-ms"},
                                        {"lease-ms"},
                                        {"allow-private-addresses", false},
                                        {"until-empty", false},
                                        {"metrics-port"}});
  if (!parsed) return usage_error(parsed.error().message(), kOutboxUsage);
  if (parsed->help) return print_help(kOutboxUsage);
  if (parsed->positionals.empty())
    return usage_error("missing add, run, status, retry-dead, endpoints or enable", kOutboxUsage);
  const std::string& verb = parsed->positionals[0];
  if (verb != "add" && verb != "run" && verb != "status" && verb != "retry-dead" &&
      verb != "endpoints" && verb != "enable") {
    return usage_error("unknown outbox command " + verb, kOutboxUsage);
  }
  // Flags that only `run` takes.
  if (verb != "run") {
    for (const char* flag : {"secret", "timeout-ms", "lease-ms", "allow-private-addresses",
                             "until-empty", "metrics-port"}) {
      if (parsed->has(flag)) {
        return usage_error(fmt::format("--{} is for outbox run only", flag), kOutboxUsage);
      }
    }
  }
  const auto uri = parsed->value("store");
  if (!uri) return usage_error("missing --store STORE", kOutboxUsage);
  auto store = open_outbox_store(*uri);
  if (!store) {
    if (store.error().code() == chathooks::Errc::invalid_argument) {
      return usage_error(store.error().message(), kOutboxUsage);
    }
    print_store_error(store.error());
    return kExitFailure;
  }
  if (verb == "add") return outbox_add(*parsed, **store);
  if (verb == "run") return outbox_run(*parsed, std::move(store).value());
  if (verb == "status") return outbox_status(*parsed, **store);
  if (verb == "endpoints") return outbox_endpoints(*parsed, **store);
  if (verb == "enable") return outbox_enable(*parsed, **store);
  return outbox_retry_dead(*parsed, **store);
}

}  // namespace chathooks_cli
