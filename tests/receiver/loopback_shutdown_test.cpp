// Shutting a server down while a receiver's handler runs: the server's stop() waits for the
// handler, the handler's answer still reaches the sender, the receiver (shared with the
// server's handlers) outlives it, and nothing is left running. Labelled "concurrency" so that
// the ThreadSanitizer build runs it.
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <thread>

#include "catch.hpp"
#include "chathooks/flw/receiver.hpp"
#include "chathooks/flw/response_builder.hpp"
#include "codec/codec_test_support.hpp"
#include "loopback_fixture.hpp"

namespace {

// A latch the test and the handler signal each other through.
class Signal {
 public:
  void raise() {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      raised_ = true;
    }
    cv_.notify_all();
  }
  bool wait(std::chrono::seconds limit) {
    std::unique_lock<std::mutex> lock(mutex_);
    return cv_.wait_for(lock, limit, [this] { return raised_; });
  }
  bool raised() {
    std::lock_guard<std::mutex> lock(mutex_);
    return raised_;
  }

 private:
  std::mutex mutex_;
  std::condition_variable cv_;
  bool raised_ = false;
};

}  // namespace

TEST_CASE("shutdown: stopping the server while a handler runs waits for it and answers") {
  auto entered = std::make_shared<Signal>();
  auto release = std::make_shared<Signal>();
  auto calls = std::make_shared<std::atomic<int>>(0);
  chathooks::receiver::ReceiverOptions options;
  options.authenticator = chathooks::receiver::allow_unauthenticated();
  auto receiver = chathooks::flw::make_receiver(
                      [entered, release, calls](const chathooks::flw::Dispatch&,
                                                const chathooks::receiver::Delivery&)
                          -> chathooks::receiver::HandlerResult<chathooks::flw::Response> {
                        ++*calls;
                        entered->raise();
                        // Bounded, so that a broken test cannot hang: the test opens it long
                        // before.
                        release->wait(std::chrono::seconds(60));
                        return chathooks::flw::ResponseBuilder().branch("CLIENTE_EXISTE").build();
                      },
                      options)
                      .value();

  auto server = std::make_unique<chathooks_test::LoopbackServer>(std::move(receiver));
  REQUIRE(server->ready());
  const int port = server->port();

  chathooks_test::Received received;
  std::thread client([&received, port] {
    chathooks_test::Outgoing request;
    request.headers = {"Content-Type: application/json"};
    request.body = codec_test::load_vector("flw_dispatch.json");
    received = chathooks_test::send(port, request);
  });
  REQUIRE(entered->wait(std::chrono::seconds(60)));

  // Destroying the server stops it and joins its threads; it must wait for the handler.
  Signal stopped;
  std::thread stopper([&server, &stopped] {
    server.reset();
    stopped.raise();
  });
  CHECK_FALSE(stopped.wait(std::chrono::seconds(1)));  // still waiting for the handler
  release->raise();
  CHECK(stopped.wait(std::chrono::seconds(60)));
  stopper.join();
  client.join();

  CHECK(*calls == 1);
  INFO(received.error);
  CHECK(received.code == CURLE_OK);
  CHECK(received.status == 200);
  CHECK(received.body == R"({"response":"CLIENTE_EXISTE"})");
}
