// What the receiver examples (flw_receiver, boticario_receiver, cliengo_fulfillment) share, so
// that each main.cpp shows only its protocol: the options `[--port N] [--serve]`, the secret and
// the receiver options that verify it (parse_receiver_args()), the server around a receiver
// (run_receiver_example()): serve it on 127.0.0.1 with the chathooks::httplib component, then
// either wait for Ctrl-C or send it the example's own test deliveries and print the verdict,
// and the client those deliveries go through (signing_client()). Header-only.
// Thread-safety: call them from the main thread, before it starts any other thread (a
// signing_client() may be made and used on any thread).
#pragma once

#include <signal.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <optional>
#include <string>
#include <utility>

#include "chathooks/delivery/deliverer.hpp"
#include "chathooks/error.hpp"
#include "chathooks/http/curl_transport.hpp"
#include "chathooks/httplib/background_server.hpp"
#include "chathooks/httplib/receiver.hpp"
#include "chathooks/receiver/authenticator.hpp"
#include "chathooks/receiver/options.hpp"
#include "chathooks/receiver/receiver.hpp"
#include "chathooks/receiver/request.hpp"
#include "chathooks/signing/keys.hpp"
#include "chathooks/signing/verifier.hpp"

namespace chathooks_examples {

/// The command line of a receiver example, and the secret its deliveries are signed with.
struct ReceiverArgs {
  int port = 0;                  ///< --port N; 0: any free port
  bool serve = false;            ///< --serve: serve until SIGINT/SIGTERM instead of testing itself
  std::string secret;            ///< $CHATHOOKS_SECRET (whsec_...), else a new one
  bool secret_from_env = false;  ///< false: `secret` is new, and --serve prints it
  /// The receiver's options: only deliveries signed with `secret` get through (authenticator
  /// receiver::standard_webhooks() with a signing::Verifier of it), the rest default.
  chathooks::receiver::ReceiverOptions options;
};

/// Parses `[--port N] [--serve]`, takes the secret and makes the options that verify it. On a
/// bad argument prints the usage line of `program` to stderr, on a $CHATHOOKS_SECRET that is
/// not a secret says why, and returns nothing (exit status 2).
inline std::optional<ReceiverArgs> parse_receiver_args(int argc, char** argv, const char* program) {
  ReceiverArgs args;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    char* end = nullptr;
    const long value = arg == "--port" && i + 1 < argc ? std::strtol(argv[++i], &end, 10) : -1;
    if (arg == "--serve") {
      args.serve = true;
    } else if (end != nullptr && end != argv[i] && *end == '\0' && value >= 0 && value <= 65535) {
      args.port = static_cast<int>(value);
    } else {
      return std::fprintf(stderr, "usage: %s [--port N] [--serve]\n", program), std::nullopt;
    }
  }
  const char* env_secret = std::getenv("CHATHOOKS_SECRET");
  args.secret_from_env = env_secret != nullptr;
  args.secret = env_secret ? env_secret : chathooks::signing::generate_secret().value();
  auto verifier = chathooks::signing::Verifier::create({args.secret});
  if (!verifier) {
    return std::fprintf(stderr, "CHATHOOKS_SECRET: %s\n", verifier.error().to_string().c_str()),
           std::nullopt;
  }
  args.options.authenticator = chathooks::receiver::standard_webhooks(*verifier);
  return args;
}

/// The sending side of a self test, as the platform would run it: a `Client` (flw::Client,
/// boticario::Client, cliengo::Client) over libcurl that signs with `secret` and may reach
/// loopback (the transport's guard refuses private addresses by default).
template <class Client>
chathooks::Result<Client> signing_client(const std::string& secret) {
  chathooks::http::CurlTransportOptions transport;
  transport.allow_private_addresses = true;
  chathooks::delivery::DelivererOptions delivery;
  delivery.signing_keys = {secret};
  return Client::create(chathooks::http::make_curl_transport(transport), delivery);
}

/// The sending side of an example: delivers its test payload(s) to `url`, prints what it saw,
/// and returns whether all behaved; nothing when it could not even set up (it said why on
/// stderr).
using SelfTest = std::function<std::optional<bool>(const std::string& url)>;

/// Serves `receiver` at `path` on 127.0.0.1 (printing each reply and the URL), then with --serve
/// waits for SIGINT/SIGTERM, else runs `self_test` against it, which passes when it says so and
/// the handler answered exactly `handled` deliveries (a repeated delivery is answered without
/// calling it again); stops the server and prints "ok" or "FAILED". Returns the exit status: 0
/// when all behaved, else 1 (also when `receiver` is an error, which it prints).
inline int run_receiver_example(chathooks::Result<chathooks::receiver::Receiver> receiver,
                                const std::string& path, const ReceiverArgs& args, int handled,
                                const SelfTest& self_test) {
  namespace adapter = chathooks::httplib_adapter;
  if (!receiver) return std::fprintf(stderr, "%s\n", receiver.error().to_string().c_str()), 1;
  // Blocked before any thread starts, so that only wait_for_stop_signal() takes them.
  const sigset_t signals = adapter::block_stop_signals();
  std::atomic<int> answered_by_handler{0};
  adapter::BackgroundServer server;
  adapter::mount(server.server(), path, std::move(*receiver),
                 [&answered_by_handler](const chathooks::receiver::Request&,
                                        const chathooks::receiver::Reply& reply) {
                   if (reply.disposition == chathooks::receiver::Disposition::handled)
                     ++answered_by_handler;
                   std::printf(
                       "receiver: answered %d (%s)\n", reply.response.status,
                       std::string(chathooks::receiver::to_string(reply.disposition)).c_str());
                 });
  if (!server.start("127.0.0.1", args.port, std::chrono::seconds(30)))
    return std::fprintf(stderr, "cannot listen on 127.0.0.1\n"), 1;
  const std::string url = server.url(path);
  std::printf("listening on %s\n", url.c_str());
  std::fflush(stdout);

  bool ok = true;
  if (args.serve) {
    if (!args.secret_from_env)
      std::printf("secret (set CHATHOOKS_SECRET to choose): %s\n", args.secret.c_str());
    std::fflush(stdout);
    adapter::wait_for_stop_signal(signals);
  } else {
    const std::optional<bool> passed = self_test(url);
    if (!passed) return 1;  // the server stops on the way out
    ok = *passed && answered_by_handler == handled;
  }
  server.stop();  // before the verdict: no handler prints after it
  std::printf("%s\n", ok ? "ok" : "FAILED");
  return ok ? 0 : 1;
}

}  // namespace chathooks_examples
