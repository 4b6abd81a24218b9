// A host's own HTTP client behind chathooks: HttplibTransport (httplib_transport.hpp) implements
// http::HttpTransport over cpp-httplib, and a boticario::Client sends through it, signing
// and retries included. Run with no arguments, it starts a Boticario receiver on 127.0.0.1
// whose first answer is a 503 (a receiver still starting), then:
//   1. sends an event synchronously: the Deliverer retries the 503 through the custom transport;
//   2. sends one with send_async(): the callback runs on the transport's thread;
//   3. shows the transport's own error mapping: a request timeout, then a cancelled transfer.
// It prints what happened and exits 0 when all behaved.
//   custom_transport
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <future>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "chathooks/boticario/client.hpp"
#include "chathooks/boticario/codec.hpp"
#include "chathooks/boticario/receiver.hpp"
#include "chathooks/httplib/background_server.hpp"
#include "chathooks/httplib/receiver.hpp"
#include "chathooks/signing/keys.hpp"
#include "chathooks/signing/verifier.hpp"
#include "custom_transport/httplib_transport.hpp"

using namespace chathooks;
using std::chrono::milliseconds;

// A Boticario status event, as the document shows one.
const char* const kStatusEvent =
    R"({"event":{"messageId":"i3i4321d","type":"status","status":"read"},
"message":{"messageId":"5e178088a88ad9001b6e1914","to":"+5544999027914","from":"+554188956674",
"mediaType":"text","message":"Mensagem de teste","status":"stored"}})";

// A route that answers only when released (or after 30 s): a stand-in for a stuck server.
struct StuckRoute {
  std::mutex mutex;
  std::condition_variable changed;
  int arrived = 0;
  bool released = false;

  void serve(httplib::Response& out) {
    std::unique_lock<std::mutex> lock(mutex);
    ++arrived;
    changed.notify_all();
    changed.wait_for(lock, std::chrono::seconds(30), [this] { return released; });
    out.status = 200;
  }
  int arrivals() {
    std::lock_guard<std::mutex> lock(mutex);
    return arrived;
  }
  bool wait_arrivals(int count) {
    std::unique_lock<std::mutex> lock(mutex);
    return changed.wait_for(lock, std::chrono::seconds(30), [&] { return arrived >= count; });
  }
  void release() {
    std::lock_guard<std::mutex> lock(mutex);
    released = true;
    changed.notify_all();
  }
};

// "HTTP 200", or the Errc name of a transport failure.
std::string describe(const Result<http::HttpResponse>& outcome) {
  if (outcome) return "HTTP " + std::to_string(outcome->status);
  return std::string(to_string(outcome.error().code()));
}

long long ms_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration_cast<milliseconds>(std::chrono::steady_clock::now() - start).count();
}

int main() {
  const std::string secret = signing::generate_secret().value();
  auto verifier = signing::Verifier::create({secret});
  if (!verifier) return std::fprintf(stderr, "error: %s\n", verifier.error().message().c_str()), 1;

  // The receiver: refuses its first delivery with 503, acknowledges the others.
  receiver::ReceiverOptions options;
  options.authenticator = receiver::standard_webhooks(*verifier);
  std::atomic<int> calls{0};
  auto receiver = boticario::make_receiver(
      [&calls](const boticario::Event&,
               const receiver::Delivery&) -> receiver::HandlerResult<void> {
        if (++calls == 1) return receiver::Refusal(503, "starting up");
        return {};
      },
      options);
  if (!receiver) return std::fprintf(stderr, "error: %s\n", receiver.error().message().c_str()), 1;
  httplib_adapter::BackgroundServer server;
  httplib_adapter::mount(server.server(), "/webhook", *receiver,
                         [](const receiver::Request&, const receiver::Reply& reply) {
                           std::printf("  receiver: answered %d\n", reply.response.status);
                         });
  StuckRoute stuck;
  server.server().Post(
      "/stuck", [&stuck](const httplib::Request&, httplib::Response& out) { stuck.serve(out); });
  if (!server.start("127.0.0.1", 0, std::chrono::seconds(30)))
    return std::fprintf(stderr, "error: cannot listen on 127.0.0.1\n"), 1;

  bool ok = true;
  {
    // The host's client, plugged in where http::make_curl_transport() would go.
    auto transport = std::make_shared<chathooks_examples::HttplibTransport>();
    delivery::DelivererOptions delivery;
    delivery.signing_keys = {secret};
    delivery.retry.initial_delay = milliseconds(100);
    auto sender = boticario::Client::create(transport, delivery);
    auto event = boticario::decode_event(kStatusEvent);
    if (!sender || !event) return std::fprintf(stderr, "error: cannot set up the sender\n"), 1;

    std::printf("1. send() through HttplibTransport, to a receiver that first answers 503\n");
    const delivery::SendResult<void> sent = sender->send(*event, server.url("/webhook"));
    for (const delivery::Attempt& attempt : sent.delivery.attempts)
      std::printf("  attempt %d: HTTP %d after waiting %lld ms\n", attempt.number,
                  attempt.status.value_or(0), static_cast<long long>(attempt.delay_before.count()));
    std::printf("  %s\n", sent.ok() ? "delivered" : sent.error().message().c_str());
    ok = ok && sent.ok() && sent.delivery.attempts.size() == 2 &&
         sent.delivery.attempts[0].status == 503;

    std::printf("2. send_async() through HttplibTransport\n");
    std::promise<std::pair<delivery::SendResult<void>, bool>> async_done;
    const auto main_thread = std::this_thread::get_id();
    sender->send_async(*event, server.url("/webhook"), [&](delivery::SendResult<void> result) {
      async_done.set_value({std::move(result), std::this_thread::get_id() != main_thread});
    });
    const auto [async_result, off_main] = async_done.get_future().get();
    std::printf("  %s, %zu attempt(s), callback on %s\n",
                async_result.ok() ? "delivered" : async_result.error().message().c_str(),
                async_result.delivery.attempts.size(),
                off_main ? "the transport's thread" : "main");
    ok = ok && async_result.ok() && off_main;

    std::printf("3. the transport's own errors, as Errc values\n");
    http::HttpRequest request;
    request.url = server.url("/stuck");
    request.timeout = milliseconds(300);
    auto start = std::chrono::steady_clock::now();
    const Result<http::HttpResponse> timed_out = transport->send(request);
    std::printf("  a server stuck past the 300 ms timeout: %s after %lld ms\n",
                describe(timed_out).c_str(), ms_since(start));
    ok = ok && !timed_out && timed_out.error().code() == Errc::timeout;

    request.timeout = std::chrono::seconds(30);
    const int arrived = stuck.arrivals();
    std::promise<Result<http::HttpResponse>> cancelled;
    const http::TransferHandle handle = transport->send_async(
        request, [&](Result<http::HttpResponse> outcome) { cancelled.set_value(outcome); });
    ok = ok && stuck.wait_arrivals(arrived + 1);  // in flight: the server holds it
    start = std::chrono::steady_clock::now();
    handle.cancel();
    const Result<http::HttpResponse> outcome = cancelled.get_future().get();
    std::printf("  a transfer cancelled in flight: %s after %lld ms\n", describe(outcome).c_str(),
                ms_since(start));
    ok = ok && !outcome && outcome.error().code() == Errc::cancelled;
    // Its thread now reads the answer and drops it; leaving the block destroys the transport,
    // which joins that thread.
    stuck.release();
  }
  server.stop();
  if (!ok) return std::fprintf(stderr, "error: something did not behave as expected\n"), 1;
  std::printf("ok\n");
  return 0;
}
