// The three clients sharing one CurlTransport and one Deliverer from several threads at once,
// synchronously and asynchronously, against one loopback server. Each thread records what it
// got; the assertions run on the test thread (Catch2 is not thread-safe).
#include <chathooks/boticario/client.hpp>
#include <chathooks/boticario/codec.hpp>
#include <chathooks/cliengo/client.hpp>
#include <chathooks/cliengo/codec.hpp>
#include <chathooks/flw/client.hpp>
#include <chathooks/flw/codec.hpp>

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "catch.hpp"
#include "clients_test_support.hpp"
#include "http/test_server.hpp"

using chathooks_test::TestServer;

TEST_CASE("Clients: one transport and one Deliverer shared by every client and thread") {
  TestServer server;
  server.server().Post("/flw", [](const httplib::Request& request, httplib::Response& response) {
    response.status = chathooks::flw::decode_dispatch(request.body).ok() ? 200 : 400;
    response.set_content(R"({"response":"CLIENTE_EXISTE"})", "application/json");
  });
  server.server().Post(
      "/cliengo", [](const httplib::Request& request, httplib::Response& response) {
        response.status = chathooks::cliengo::decode_memory(request.body).ok() ? 200 : 400;
      });
  server.server().Post(
      "/boticario", [](const httplib::Request& request, httplib::Response& response) {
        response.status = chathooks::boticario::decode_event(request.body).ok() ? 204 : 400;
      });
  server.start();

  auto deliverer = chathooks::delivery::Deliverer::create(clients_test::loopback_transport(),
                                                          clients_test::quick_options());
  REQUIRE(deliverer.ok());
  const chathooks::flw::Client flw_client(*deliverer);
  const chathooks::cliengo::Client cliengo_client(*deliverer);
  const chathooks::boticario::Client boticario_client(*deliverer);

  auto dispatch = chathooks::flw::decode_dispatch(clients_test::load_vector("flw_dispatch.json"));
  auto memory =
      chathooks::cliengo::decode_memory(clients_test::load_vector("cliengo_request.json"));
  auto event =
      chathooks::boticario::decode_event(clients_test::load_vector("boticario_status_sent.json"));
  REQUIRE(dispatch.ok());
  REQUIRE(memory.ok());
  REQUIRE(event.ok());

  constexpr int kThreads = 4;
  constexpr int kRounds = 10;
  std::atomic<int> good{0};
  std::atomic<int> bad{0};
  std::mutex mutex;
  std::condition_variable done;
  int async_pending = kThreads * kRounds * 3;

  auto finish_async = [&](bool ok) {
    (ok ? good : bad)++;
    std::lock_guard<std::mutex> lock(mutex);
    if (--async_pending == 0) done.notify_all();
  };

  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&] {
      for (int round = 0; round < kRounds; ++round) {
        const auto sent = flw_client.send(*dispatch, server.url("/flw"));
        (sent.ok() && sent.value().flow == chathooks::flw::Flow::branch ? good : bad)++;
        const auto answer = cliengo_client.send(*memory, server.url("/cliengo"));
        (answer.ok() && !answer.value().response ? good : bad)++;
        (boticario_client.send(*event, server.url("/boticario")).ok() ? good : bad)++;

        flw_client.send_async(
            *dispatch, server.url("/flw"),
            [&](chathooks::delivery::SendResult<chathooks::flw::Answer> result) {
              finish_async(result.ok() && result.value().branch == "CLIENTE_EXISTE");
            });
        cliengo_client.send_async(
            *memory, server.url("/cliengo"),
            [&](chathooks::delivery::SendResult<chathooks::cliengo::Answer> result) {
              finish_async(result.ok());
            });
        boticario_client.send_async(
            *event, server.url("/boticario"),
            [&](chathooks::delivery::SendResult<void> result) { finish_async(result.ok()); });
      }
    });
  }
  for (auto& thread : threads) thread.join();
  {
    std::unique_lock<std::mutex> lock(mutex);
    REQUIRE(done.wait_for(lock, std::chrono::seconds(120), [&] { return async_pending == 0; }));
  }
  CHECK(bad == 0);
  CHECK(good == kThreads * kRounds * 6);
  CHECK(server.requests() == static_cast<std::size_t>(kThreads * kRounds * 6));
}
