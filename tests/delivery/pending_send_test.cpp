// The future overloads of deliver_async() and the clients' send_async(): 1,000 sends over the
// curl transport to a loopback receiver, each future ready exactly once; a cancelled send's
// future holds Errc::cancelled.
#include <chathooks/boticario/client.hpp>
#include <chathooks/delivery/deliverer.hpp>
#include <chathooks/http/curl_transport.hpp>

#include <atomic>
#include <chrono>
#include <future>
#include <string>
#include <vector>

#include "catch.hpp"
#include "delivery_test_support.hpp"
#include "http/test_server.hpp"

using chathooks::Errc;
using chathooks::delivery::Deliverer;
using chathooks::delivery::PendingSend;

TEST_CASE("PendingSend: 1,000 asynchronous sends waited for through their futures") {
  chathooks_test::TestServer server;
  std::atomic<int> calls{0};
  server.server().Post("/hook", [&calls](const httplib::Request&, httplib::Response& response) {
    ++calls;
    response.status = 204;
  });
  server.start();
  auto deliverer = Deliverer::create(chathooks_test::loopback_transport());
  REQUIRE(deliverer.ok());
  std::vector<PendingSend<void>> sends;
  for (int i = 0; i < 1000; ++i) {
    sends.push_back(deliverer->deliver_async(
        chathooks_test::json_post(server.url("/hook"), "{\"n\":" + std::to_string(i) + "}")));
  }
  int delivered = 0;
  for (auto& send : sends) {
    REQUIRE(send.result.wait_for(std::chrono::seconds(60)) == std::future_status::ready);
    if (send.result.get().ok()) ++delivered;
  }
  CHECK(delivered == 1000);
  CHECK(calls == 1000);
}

TEST_CASE("PendingSend: the clients' overloads, and a cancelled send's future") {
  chathooks_test::TestServer server;
  server.server().Post("/b", [](const httplib::Request&, httplib::Response& response) {
    response.status = 503;  // retried until cancelled
  });
  server.start();
  chathooks::delivery::DelivererOptions options;
  options.retry.initial_delay = std::chrono::seconds(30);
  auto client = chathooks::boticario::Client::create(chathooks_test::loopback_transport(), options);
  REQUIRE(client.ok());
  auto send = client->send_async(chathooks::boticario::StatusEvent{}, server.url("/b"));
  // The first attempt's 503 comes, then the 30 s wait: cancel it.
  const auto limit = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (send.result.wait_for(std::chrono::milliseconds(20)) != std::future_status::ready &&
         std::chrono::steady_clock::now() < limit) {
    send.handle.cancel();
  }
  REQUIRE(send.result.wait_for(std::chrono::seconds(0)) == std::future_status::ready);
  const auto result = send.result.get();
  REQUIRE_FALSE(result.ok());
  CHECK(result.error().code() == Errc::cancelled);
}
