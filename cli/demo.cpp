// `chathooks demo`: the whole SDK end to end on loopback, with nothing to configure. The SDK's
// receivers for the three protocols run on cpp-httplib servers on 127.0.0.1 (demo_receivers),
// the SDK's senders reach them through the libcurl transport with Standard Webhooks signing
// (demo_steps), and each step prints one line of trace (demo_trace). Reading order for a new
// user: demo_receivers.cpp (the receiving side), then demo_steps.cpp (the sending side).
#include <fmt/format.h>

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "args.hpp"
#include "chathooks/signing/keys.hpp"
#include "commands.hpp"
#include "demo_receivers.hpp"
#include "demo_steps.hpp"
#include "demo_trace.hpp"
#include "io.hpp"

namespace chathooks_cli {
namespace {

const char* const kDemoUsage =
    "usage: chathooks demo\n"
    "\n"
    "Runs the SDK end to end on 127.0.0.1 with nothing to configure. Starts the SDK's receivers\n"
    "for Flw, Cliengo and Boticario on local servers (Standard Webhooks signatures checked with\n"
    "a secret generated for the run), sends them the documents' example payloads through the\n"
    "libcurl transport with signing, and shows: a Flw branch decision with its messages, a\n"
    "Cliengo override, Boticario message and status events, a retry against a flaky endpoint\n"
    "(503, then delivered), a tampered request refused with 401, and a replayed request\n"
    "answered as a duplicate. Takes well under a second; every request times out after 5 s.\n"
    "\n"
    "stdout: one line per step, '[  ELAPSED ms] STEP: WHAT HAPPENED', with indented details,\n"
    "then 'all N steps behaved as expected'.\n"
    "stderr: 'error: STEP: REASON' for each step that did not.\n"
    "\n"
    "Exit status: 0 every step behaved as expected; 1 one did not; 2 usage error.\n";

// How long a server may take to start accepting.
constexpr std::chrono::milliseconds kStartLimit{std::chrono::seconds(5)};

using demo::StepResult;

// Runs the steps after the receivers are up. The senders (and the transport's connections)
// end here, before the servers stop.
void run_steps(demo::Trace& trace, const demo::Receivers& receivers, const std::string& secret) {
  auto senders = demo::Senders::create(secret);
  if (!senders) {
    trace.report(demo::failed("senders: " + senders.error().message()));
    return;
  }
  using Step = StepResult (*)(const demo::Senders&, const demo::Receivers&);
  for (Step step :
       {demo::flw_dispatch_step, demo::cliengo_step, demo::boticario_message_step,
        demo::boticario_status_step, demo::retry_step, demo::tampered_step, demo::replay_step}) {
    trace.report(step(*senders, receivers));
  }
}

}  // namespace

int run_demo(const std::vector<std::string>& args) {
  auto parsed = parse_args(args, {});
  if (!parsed) return usage_error(parsed.error().message(), kDemoUsage);
  if (parsed->help) return print_help(kDemoUsage);
  if (!parsed->positionals.empty())
    return usage_error("unexpected argument " + parsed->positionals.front(), kDemoUsage);

  demo::Trace trace;
  auto secret = chathooks::signing::generate_secret();
  if (!secret) {
    print_error("cannot generate a secret: " + secret.error().message());
    return kExitFailure;
  }
  auto receivers = demo::Receivers::start(*secret, kStartLimit);
  if (!receivers) {
    trace.report(demo::failed("receivers: " + receivers.error().message()));
    return kExitFailure;
  }
  trace.report(demo::passed(
      "receivers: flw, cliengo and boticario listening, verifying Standard Webhooks signatures",
      {(*receivers)->flw_url(), (*receivers)->cliengo_url(), (*receivers)->boticario_url(),
       (*receivers)->flaky_url() + " (503 the first time, then the boticario receiver)"}));
  run_steps(trace, **receivers, *secret);
  receivers->reset();  // stops and joins the servers

  if (trace.failures() > 0) {
    print_error(
        fmt::format("{} of {} steps did not behave as expected", trace.failures(), trace.steps()));
    return kExitFailure;
  }
  if (!trace.stdout_ok()) return kExitFailure;
  return print_stdout_line(fmt::format("[{:>4} ms] all {} steps behaved as expected",
                                       trace.elapsed_ms(), trace.steps()))
             ? kExitOk
             : kExitFailure;
}

}  // namespace chathooks_cli
