// `chathooks serve KIND [--port P] [--bind ADDR] [--secret SECRET] [--reply FILE] [--store STORE]
// [--claim-timeout S] [--strict] [--metrics-port P]`: a real HTTP receiver for one request kind,
// built from the SDK's receiver on the event-driven HTTP edge of the chathooks::beast component
// (deadlines, framing checks, connection caps: see chathooks/beast/server.hpp). Accepted payloads
// go to stdout, one compact JSON line each (decoded tolerantly unless --strict: a member kept as it
// came is a warning line on stderr); rejected requests get their 4xx and a line on stderr. Several
// `serve` processes given one --store handle each webhook-id once between them. SIGINT or SIGTERM
// stops it.
#include <fmt/format.h>
#include <pthread.h>
#include <signal.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <cstring>
#include <ctime>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "args.hpp"
#include "chathooks/beast/server.hpp"
#include "chathooks/boticario/codec.hpp"
#include "chathooks/boticario/receiver.hpp"
#include "chathooks/cliengo/codec.hpp"
#include "chathooks/cliengo/receiver.hpp"
#include "chathooks/flw/codec.hpp"
#include "chathooks/flw/receiver.hpp"
#include "chathooks/json.hpp"
#include "chathooks/receiver/authenticator.hpp"
#include "chathooks/signing/verifier.hpp"
#include "commands.hpp"
#include "io.hpp"
#include "kind.hpp"
#include "metrics_server.hpp"
#include "signal_watch.hpp"
#include "stores.hpp"

namespace chathooks_cli {
namespace {

namespace receiver = chathooks::receiver;

constexpr std::uint64_t kDefaultPort = 8080;
constexpr std::size_t kMaxReplyBytes = 1024 * 1024;

const char* const kServeUsage =
    "usage: chathooks serve KIND [--port P] [--bind ADDR] [--secret SECRET ...] [--reply FILE]\n"
    "                            [--store STORE] [--claim-timeout S] [--strict]\n"
    "                            [--metrics-port P]\n"
    "\n"
    "Runs an HTTP receiver for one request kind until SIGINT or SIGTERM. Every path accepts\n"
    "POST; other methods get 405. Each request is checked in order: method (405), body size,\n"
    "1 MiB at most (413), Content-Type JSON when present (415), the Standard Webhooks signature\n"
    "when --secret is given (401), the payload (400, with its JSON Pointer). A webhook-id seen\n"
    "in the last 10 minutes is answered again without being printed (409 if its body differs,\n"
    "409 with Retry-After: 1 while another request with it is being handled). The 2xx is sent\n"
    "only once the payload line is written to stdout; when it cannot be (a full disk, a closed\n"
    "pipe), the answer is 503 with Retry-After: 5 and the sender's retry is handled as new.\n"
    "\n"
    "KIND: flw-dispatch, boticario-event, cliengo-request\n"
    "\n"
    "  --port P          TCP port (default 8080; 0 picks a free one)\n"
    "  --bind ADDR       address to listen on (default 127.0.0.1)\n"
    "  --secret SECRET   verify signatures: whsec_<base64>, bare base64 (v1) or whpk_<base64>\n"
    "                    (v1a); repeat for rotation. Without it, unsigned requests are accepted\n"
    "  --reply FILE      the JSON to answer accepted requests with (for flw-dispatch a Flw\n"
    "                    response, for cliengo-request a Cliengo response); default: an empty\n"
    "                    200\n"
    "  --store STORE     where webhook-ids are remembered (default: in this process's memory):\n"
    "                    sqlite:PATH, postgresql://... or redis://HOST:PORT. Several serve\n"
    "                    processes given the same STORE handle each webhook-id once between\n"
    "                    them; a store that cannot be reached makes the answer 503\n"
    "  --claim-timeout S how long a webhook-id being handled stays claimed (default 60): when a\n"
    "                    serve process dies while handling it, another takes it after S seconds\n"
    "  --strict          refuse (400) a payload with a known member of an unexpected type or\n"
    "                    format. By default such a member is kept as it came, printed\n"
    "                    unchanged, and named on stderr: 'warning: <json-pointer>: <reason>'\n"
    "  --metrics-port P  serve GET /metrics (Prometheus text: replies by status, durations,\n"
    "                    duplicates, decode warnings) on 127.0.0.1:P (0: a free port);\n"
    "                    'metrics on http://127.0.0.1:PORT/metrics' on stderr\n"
    "\n"
    "Each client has 10 s for its request header and 10 s for its body (408); bad body framing\n"
    "is refused with 400 (which framing, in the problem's detail) and the connection closed.\n"
    "\n"
    "stdout: each accepted payload, decoded and re-encoded as one line of compact JSON.\n"
    "stderr: without --secret a warning that requests are not authenticated; 'listening on\n"
    "http://ADDR:PORT/' once the port is bound, then one line per request\n"
    "not accepted: 'rejected: STATUS CODE: REASON' (or 'duplicate: 200 KEY'),\n"
    "'warning: <json-pointer>: <reason>' for each member of an accepted payload kept as it\n"
    "came (not with --strict), and 'warning: store: REASON' when the store could not record\n"
    "how a request ended.\n"
    "\n"
    "Exit status: 0 stopped by a signal; 1 invalid --reply or --secret, a store that cannot be\n"
    "opened, or the address cannot be bound; 2 usage error.\n";

// The --reply file checked as the kind's answer and re-encoded compactly; "" without one.
chathooks::Result<std::string> load_reply(Kind kind, const std::optional<std::string>& path) {
  if (!path) return std::string();
  auto bytes = read_input(*path, kMaxReplyBytes);
  if (!bytes) return std::move(bytes).error();
  switch (kind) {
    case Kind::flw_dispatch:
      return reencode(Kind::flw_response, *bytes);
    case Kind::cliengo_request:
      return reencode(Kind::cliengo_response, *bytes);
    default: {
      auto json = chathooks::Json::parse(*bytes);
      if (!json) return std::move(json).error();
      return json->dump();
    }
  }
}

// Writes one line to stdout or stderr whole, even when server threads print at once. A payload
// line goes to stdout's descriptor directly: out() returns only once the kernel has it, so the
// sender is answered 2xx only after that, and a failed write leaves nothing buffered. Where the
// kernel writes a line whole anyway (stdout_line_is_atomic), no lock is taken: at full speed the
// server's threads queued on it.
class LinePrinter {
 public:
  // 0, or the errno of a failed write.
  int out(std::string_view line) {
    if (stdout_line_is_atomic(line)) return write_stdout_line_unbuffered(line);
    std::lock_guard<std::mutex> lock(mutex_);
    return write_stdout_line_unbuffered(line);
  }
  void err(std::string_view line) {
    std::lock_guard<std::mutex> lock(mutex_);
    std::fprintf(stderr, "%s\n", one_line(line).c_str());
    std::fflush(stderr);
  }

 private:
  std::mutex mutex_;
};

// The refusal for a payload that could not be written: 503 with Retry-After, so the sender
// tries again (the receiver releases the claim on its webhook-id, so the retry is handled).
receiver::Refusal unwritten(int error) {
  return receiver::Refusal(
      503,
      fmt::format("the payload could not be written to standard output: {}", std::strerror(error)),
      std::chrono::seconds(5));
}

// The receiver for `kind`: each payload printed, answered with an empty body (replaced by the
// --reply JSON before it is written).
chathooks::Result<receiver::Receiver> make_kind_receiver(Kind kind,
                                                         receiver::ReceiverOptions options,
                                                         LinePrinter& printer) {
  switch (kind) {
    case Kind::flw_dispatch:
      return chathooks::flw::make_receiver(
          [&printer](const chathooks::flw::Dispatch& dispatch, const receiver::Delivery&)
              -> receiver::HandlerResult<chathooks::flw::Response> {
            if (const int error = printer.out(chathooks::flw::encode(dispatch))) {
              return unwritten(error);
            }
            return chathooks::flw::Response{};
          },
          std::move(options));
    case Kind::cliengo_request:
      return chathooks::cliengo::make_receiver(
          [&printer](const chathooks::cliengo::Memory& request, const receiver::Delivery&)
              -> receiver::HandlerResult<chathooks::cliengo::Response> {
            if (const int error = printer.out(chathooks::cliengo::encode(request))) {
              return unwritten(error);
            }
            return chathooks::cliengo::Response{};
          },
          std::move(options));
    default:
      return chathooks::boticario::make_receiver(
          [&printer](const chathooks::boticario::Event& event,
                     const receiver::Delivery&) -> receiver::HandlerResult<void> {
            if (const int error = printer.out(chathooks::boticario::encode(event))) {
              return unwritten(error);
            }
            return {};
          },
          std::move(options));
  }
}

// The stderr line for a request not accepted: "rejected: STATUS CODE: REASON".
void print_rejected(LinePrinter& printer, const receiver::Reply& reply) {
  printer.err(fmt::format("rejected: {} {}: {}", reply.response.status,
                          reply.error ? chathooks::to_string(reply.error->code()) : "unknown",
                          reply.error ? reply.error->message() : ""));
}

}  // namespace

int run_serve(const std::vector<std::string>& args) {
  auto parsed = parse_args(args, {{"port"},
                                  {"bind"},
                                  {"secret", true, true},
                                  {"reply"},
                                  {"store"},
                                  {"claim-timeout"},
                                  {"strict", false},
                                  {"metrics-port"}});
  if (!parsed) return usage_error(parsed.error().message(), kServeUsage);
  if (parsed->help) return print_help(kServeUsage);
  if (parsed->positionals.empty()) return usage_error("missing KIND", kServeUsage);
  if (parsed->positionals.size() > 1)
    return usage_error("unexpected argument " + parsed->positionals[1], kServeUsage);
  const auto kind = parse_kind(parsed->positionals[0]);
  if (!kind || (*kind != Kind::flw_dispatch && *kind != Kind::boticario_event &&
                *kind != Kind::cliengo_request))
    return usage_error("KIND must be flw-dispatch, boticario-event or cliengo-request",
                       kServeUsage);
  std::uint64_t port = kDefaultPort;
  if (const auto text = parsed->value("port")) {
    const auto value = parse_digits(*text, 65535);
    if (!value) return usage_error("--port must be a number from 0 to 65535", kServeUsage);
    port = *value;
  }
  const std::string bind = parsed->value("bind").value_or("127.0.0.1");
  const auto wanted_metrics = metrics_port(*parsed);
  if (!wanted_metrics) return usage_error(wanted_metrics.error().message(), kServeUsage);
  receiver::ReceiverOptions options;
  std::shared_ptr<chathooks::metrics::Registry> metrics;
  if (*wanted_metrics) {
    metrics = chathooks::metrics::Registry::create();
    options.observer = metrics->receiver_observer();
  }
  // Tolerant by default (the receivers' default); --strict refuses off-type members with 400.
  if (parsed->has("strict")) options.parse_options.mode = chathooks::DecodeMode::strict;
  if (const auto text = parsed->value("claim-timeout")) {
    const auto value = parse_digits(*text, 600);
    if (!value || *value == 0)
      return usage_error("--claim-timeout must be a number of seconds from 1 to 600", kServeUsage);
    options.claim_timeout = std::chrono::seconds(*value);
  }

  const auto reply_json = load_reply(*kind, parsed->value("reply"));
  if (!reply_json) {
    const chathooks::Error& error = reply_json.error();
    // A file that cannot be read names itself; a payload error names its member.
    print_error("--reply: " + (error.code() == chathooks::Errc::invalid_argument
                                   ? error.message()
                                   : error.to_string()));
    return kExitFailure;
  }

  const std::vector<std::string> secrets = parsed->values("secret");
  if (secrets.empty()) {
    options.authenticator = receiver::allow_unauthenticated();
  } else {
    auto verifier = chathooks::signing::Verifier::create(secrets);
    if (!verifier) {
      print_error(fmt::format("{}: {}", chathooks::to_string(verifier.error().code()),
                              verifier.error().message()));
      return kExitFailure;
    }
    options.authenticator = receiver::standard_webhooks(std::move(*verifier));
  }

  if (const auto store_name = parsed->value("store")) {
    auto store = open_idempotency_store(*store_name);
    if (!store) {
      if (store.error().code() == chathooks::Errc::invalid_argument)
        return usage_error(store.error().message(), kServeUsage);
      print_store_error(store.error());
      return kExitFailure;
    }
    options.idempotency_store = std::move(*store);
  }

  LinePrinter printer;
  auto made = make_kind_receiver(*kind, std::move(options), printer);
  if (!made) {
    print_error(made.error().message());
    return kExitFailure;
  }

  // A payload line written to a closed pipe must fail with EPIPE (answered 503), not kill the
  // server with SIGPIPE.
  ::signal(SIGPIPE, SIG_IGN);
  // Stop signals are blocked before the server's threads start (they inherit the mask) and
  // taken by the watch's thread, which wakes the main thread up.
  std::mutex stop_mutex;
  std::condition_variable stop_wanted;
  bool stop_requested = false;
  SignalWatch stopper([&](const std::atomic<bool>&) {
    std::lock_guard<std::mutex> lock(stop_mutex);
    stop_requested = true;
    stop_wanted.notify_all();
  });

  chathooks::beast_adapter::EdgeOptions edge;
  chathooks::beast_adapter::Server server(edge);
  const std::string answer = *reply_json;
  server.mount("*", std::move(*made),
               [&printer, &answer](const receiver::Request&, receiver::Reply& reply) {
                 if (reply.store_error)
                   printer.err("warning: store: " + reply.store_error->message());
                 switch (reply.disposition) {
                   case receiver::Disposition::handled:
                     // The payload's line is out: name what the tolerant decode kept as it came.
                     for (const auto& warning : reply.warnings) printer.err(warning_line(warning));
                     [[fallthrough]];
                   case receiver::Disposition::duplicate:
                     reply.response.body = answer;
                     reply.response.headers.remove("Content-Type");
                     if (!answer.empty())
                       (void)reply.response.headers.set("Content-Type", "application/json");
                     if (reply.disposition == receiver::Disposition::duplicate)
                       printer.err("duplicate: 200 " + reply.idempotency_key);
                     break;
                   default:
                     print_rejected(printer, reply);
                 }
               });
  server.on_edge_refusal([&printer](const receiver::Request&, receiver::Reply& reply) {
    print_rejected(printer, reply);
  });
  const auto bound = server.listen(bind, static_cast<std::uint16_t>(port));
  if (!bound) {
    print_error(fmt::format("cannot listen on {}:{}: {}", bind, port, bound.error().message()));
    return kExitFailure;
  }
  const bool v6 = bind.find(':') != std::string::npos;
  if (secrets.empty()) {
    printer.err(
        "warning: no --secret: requests are not authenticated, so anyone who can reach this "
        "port can send payloads and choose their webhook-ids");
  }
  MetricsServer metrics_server;
  if (metrics) {
    if (auto serving = metrics_server.start(**wanted_metrics, metrics); !serving) {
      print_error(serving.error().message());
      return kExitFailure;
    }
  }
  printer.err(
      fmt::format("listening on http://{}{}{}:{}/", v6 ? "[" : "", bind, v6 ? "]" : "", *bound));
  server.start();
  {
    std::unique_lock<std::mutex> lock(stop_mutex);
    stop_wanted.wait(lock, [&] { return stop_requested; });
  }
  server.stop();
  metrics_server.stop();
  return kExitOk;
}

}  // namespace chathooks_cli
