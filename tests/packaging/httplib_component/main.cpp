// The httplib component's consumer: serves a Boticario receiver with mount() on a
// BackgroundServer at 127.0.0.1 (any free port), posts it one status event with cpp-httplib's
// client, and exits non-zero unless the event was handled once and acknowledged with 200, and a
// GET was refused with 405. It links cpp-httplib and chathooks through chathooks::httplib alone.
#include <httplib.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <string>

#include "chathooks/boticario/receiver.hpp"
#include "chathooks/httplib/background_server.hpp"
#include "chathooks/httplib/receiver.hpp"
#include "chathooks/receiver/authenticator.hpp"

namespace {

constexpr const char* kEvent =
    R"({"event":{"messageId":"i3i4321d","type":"status","status":"delivered"}})";

int fail(const char* what) {
  std::fprintf(stderr, "httplib_consumer: %s\n", what);
  return 1;
}

}  // namespace

int main() {
  namespace adapter = chathooks::httplib_adapter;
  namespace receiver = chathooks::receiver;
  std::atomic<int> handled{0};
  receiver::ReceiverOptions options;
  options.authenticator = receiver::allow_unauthenticated();
  auto made = chathooks::boticario::make_receiver(
      [&handled](const chathooks::boticario::Event&,
                 const receiver::Delivery&) -> receiver::HandlerResult<void> {
        ++handled;
        return {};
      },
      options);
  if (!made) return fail(made.error().to_string().c_str());

  adapter::BackgroundServer server;
  adapter::mount(server.server(), "/hook", *made);
  if (!server.start("127.0.0.1", 0, std::chrono::seconds(30))) return fail("cannot listen");

  httplib::Client client("127.0.0.1", server.port());
  const auto posted = client.Post("/hook", kEvent, "application/json");
  if (!posted || posted->status != 200) return fail("the event was not acknowledged with 200");
  const auto got = client.Get("/hook");
  if (!got || got->status != 405) return fail("a GET was not refused with 405");
  server.stop();
  if (handled.load() != 1) return fail("the handler did not run exactly once");
  std::printf("httplib component: event acknowledged (200), GET refused (405)\n");
  return 0;
}
