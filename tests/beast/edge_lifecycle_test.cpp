// The chathooks::beast edge's connection lifecycle on a real socket: header and body deadlines
// (trickled headers and bodies get 408, an idle connection is closed without a byte), slowloris
// (200 trickling connections do not delay a normal request), keep-alive (sequential, 50 in a
// row, pipelined; closed after a refusal whose body looks like a second request, after
// `Connection: close` and after HTTP/1.0), `Expect: 100-continue`, max_connections (503, then
// served again once one closes), stop() and the destructor (idle, mid-request and in-handler
// connections) and a Server on a host's io_context.
#include <boost/asio/io_context.hpp>

#include <atomic>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "catch.hpp"
#include "edge_fixture.hpp"

using namespace edge_test;

namespace {

const std::string kJson = "Content-Type: application/json";

bool starts_with(const std::string& text, const std::string& prefix) {
  return text.rfind(prefix, 0) == 0;
}

// `e` got one answer with `status`, the last on its connection: the server then closed it.
void check_last_answer(const Exchange& e, int status) {
  REQUIRE(e.response);
  INFO(e.response->head);
  CHECK(e.response->status == status);
  CHECK(e.after.empty());
  CHECK(e.closed);
}

}  // namespace

TEST_CASE("deadlines: a header trickled byte by byte past header_timeout is 408") {
  Edge edge;
  Client client(edge.port());
  REQUIRE(client.connected());
  const auto start = Clock::now();
  const std::size_t sent = client.trickle(valid_request(), 1, 50ms);
  const auto response = client.read_response();
  const auto elapsed = since(start);
  REQUIRE(response);
  CHECK(response->status == 408);
  CHECK(response->problem("code") == "timeout");
  CHECK(response->problem("detail") == "the request header was not complete within 400 ms");
  CHECK(sent < valid_request().size());
  CHECK(elapsed >= 350ms);
  CHECK(client.read_to_close().empty());
  CHECK(edge.calls() == 0);
}

TEST_CASE("deadlines: a body trickled at 100 bytes a second past body_timeout is 408") {
  Edge edge;
  Client client(edge.port());
  REQUIRE(client.connected());
  const std::string request = valid_request();
  const std::size_t body_at = request.size() - event_body().size();
  REQUIRE(client.send(request.substr(0, body_at)));
  const auto start = Clock::now();
  const std::size_t sent = client.trickle(std::string_view(request).substr(body_at), 10, 100ms);
  const auto response = client.read_response();
  const auto elapsed = since(start);
  REQUIRE(response);
  const std::string detail = response->problem("detail");
  INFO(detail);
  CHECK(response->status == 408);
  CHECK(response->problem("code") == "timeout");
  CHECK(starts_with(detail, "the request body was not complete within 400 ms ("));
  CHECK(detail.find(" of " + std::to_string(event_body().size()) + " bytes arrived)") !=
        std::string::npos);
  CHECK(sent < event_body().size());
  CHECK(elapsed >= 350ms);
  CHECK(elapsed < 3s);
  CHECK(edge.calls() == 0);
}

TEST_CASE("deadlines: an idle connection is closed after header_timeout without a byte") {
  Edge edge;
  Client client(edge.port());
  REQUIRE(client.connected());
  const auto start = Clock::now();
  const std::string answer = client.read_to_close();
  const auto elapsed = since(start);
  CHECK(answer.empty());
  CHECK(client.closed());
  CHECK(elapsed >= 350ms);
  CHECK(elapsed < 3s);
  CHECK(edge.refusals() == 0);
}

TEST_CASE("slowloris: 200 trickling connections do not delay a normal request and get 408") {
  edge::EdgeOptions options = fast_options();
  options.header_timeout = 1500ms;
  Edge edge(options);
  constexpr std::size_t kSlow = 200;
  const std::string slow_head =
      "POST /hook HTTP/1.1\r\nHost: x\r\nX-Slow: " + std::string(100, 'a') + "\r\n\r\n";
  std::atomic<int> rounds{0};
  std::vector<int> statuses(kSlow, 0);
  std::vector<std::string> details(kSlow);
  std::thread slow([&] {
    std::vector<std::unique_ptr<Client>> clients;
    for (std::size_t i = 0; i < kSlow; ++i)
      clients.push_back(std::make_unique<Client>(edge.port(), 5s));
    std::vector<bool> answered(kSlow, false);
    const auto deadline = Clock::now() + 6s;
    for (std::size_t at = 0; at < slow_head.size() && Clock::now() < deadline; ++at) {
      bool all = true;
      for (std::size_t i = 0; i < kSlow; ++i) {
        if (!clients[i]->connected() || answered[i]) continue;
        if (clients[i]->readable_within(0ms)) {
          answered[i] = true;
          continue;
        }
        all = false;
        clients[i]->send(slow_head.substr(at, 1));
      }
      rounds.fetch_add(1);
      if (all) break;
      std::this_thread::sleep_for(100ms);  // the attack's pace, not synchronisation
    }
    for (std::size_t i = 0; i < kSlow; ++i) {
      if (!clients[i]->connected()) continue;
      if (const auto response = clients[i]->read_response()) {
        statuses[i] = response->status;
        details[i] = response->problem("detail");
      }
    }
  });
  // The valid request goes while every slow connection is open and trickling.
  const bool trickling = eventually([&] { return rounds.load() >= 3; });
  const auto start = Clock::now();
  const Exchange normal = round_trip(edge.port(), valid_request({"Connection: close"}));
  const auto elapsed = since(start);
  const int rounds_at_answer = rounds.load();
  slow.join();
  CHECK(trickling);
  REQUIRE(normal.response);
  CHECK(normal.response->status == 200);
  CHECK(elapsed < 1s);
  CHECK(rounds_at_answer < 12);  // answered before the slow ones' header deadline
  std::size_t timed_out = 0;
  for (std::size_t i = 0; i < kSlow; ++i) {
    if (statuses[i] == 408 && details[i] == "the request header was not complete within 1500 ms")
      ++timed_out;
  }
  CHECK(timed_out == kSlow);
  CHECK(edge.calls() == 1);
}

TEST_CASE("keep-alive: sequential requests on one connection are all answered 200 in order") {
  Edge edge;
  Client client(edge.port());
  REQUIRE(client.connected());
  std::vector<int> statuses;
  // Sends `count` requests one after the other, each after the answer to the one before.
  const auto send_in_turn = [&](int count) {
    for (int i = 0; i < count; ++i) {
      client.send(valid_request());
      const auto response = client.read_response();
      statuses.push_back(response ? response->status : 0);
    }
  };
  send_in_turn(2);
  CHECK(statuses == std::vector<int>(2, 200));
  CHECK(edge.calls() == 2);
  send_in_turn(50);
  CHECK(statuses == std::vector<int>(52, 200));
  CHECK(edge.calls() == 52);
  CHECK(edge.refusals() == 0);
}

TEST_CASE("keep-alive: two requests written at once (pipelined) are both answered") {
  Edge edge;
  Client client(edge.port());
  REQUIRE(client.connected());
  REQUIRE(client.send(valid_request() + valid_request({"Connection: close"})));
  const auto first = client.read_response();
  const auto second = client.read_response();
  REQUIRE(first);
  REQUIRE(second);
  CHECK(first->status == 200);
  CHECK(first->header("Connection") != "close");
  CHECK(second->status == 200);
  CHECK(second->header("Connection") == "close");
  CHECK(client.read_to_close().empty());
  CHECK(client.closed());
  CHECK(edge.calls() == 2);
}

TEST_CASE("keep-alive: a refused body that holds a second request gets no second answer") {
  Edge edge;
  const std::string hidden = valid_request();
  SECTION("Content-Length over the receiver's cap (413 before the body)") {
    const Exchange e = round_trip(
        edge.port(), head({kJson, "Content-Length: " + std::to_string(kBodyCap + 1)}) + hidden);
    check_last_answer(e, 413);
    CHECK(e.response->problem("code") == "payload_too_large");
    CHECK(e.response->problem("detail") == "the body exceeds the limit of 4096 bytes");
  }
  SECTION("a chunked body over the cap (413 while reading it)") {
    char size[16];
    std::snprintf(size, sizeof size, "%zx", kBodyCap + 1);
    const Exchange e =
        round_trip(edge.port(), head({kJson, "Transfer-Encoding: chunked"}) + size + "\r\n" +
                                    std::string(kBodyCap + 1, ' ') + "\r\n0\r\n\r\n" + hidden);
    check_last_answer(e, 413);
    CHECK(e.response->problem("detail") == "the request body is larger than the receiver accepts");
  }
  SECTION("a 415 answered by precheck") {
    const Exchange e = round_trip(
        edge.port(),
        head({"Content-Type: text/plain", "Content-Length: " + std::to_string(hidden.size())}) +
            hidden);
    check_last_answer(e, 415);
  }
  CHECK(edge.calls() == 0);
}

TEST_CASE("keep-alive: Connection: close and HTTP/1.0 without keep-alive close after 200") {
  Edge edge;
  SECTION("Connection: close") {
    const Exchange e = round_trip(edge.port(), valid_request({"Connection: close"}));
    check_last_answer(e, 200);
    CHECK(e.response->header("Connection") == "close");
  }
  SECTION("HTTP/1.0") {
    const Exchange e = round_trip(
        edge.port(), head({kJson, "Content-Length: " + std::to_string(event_body().size())},
                          "/hook", "HTTP/1.0") +
                         event_body());
    check_last_answer(e, 200);
    CHECK(e.elapsed < 300ms + 1s);
  }
  CHECK(edge.calls() == 1);
}

TEST_CASE("expect: 100-continue is answered before the body is sent and then 200") {
  Edge edge;
  Client client(edge.port());
  REQUIRE(client.connected());
  REQUIRE(client.send(head(
      {kJson, "Content-Length: " + std::to_string(event_body().size()), "Expect: 100-continue"})));
  const auto interim = client.read_response();
  REQUIRE(interim);
  CHECK(interim->head == "HTTP/1.1 100 Continue");
  CHECK(edge.calls() == 0);
  REQUIRE(client.send(event_body()));
  const auto final_response = client.read_response();
  REQUIRE(final_response);
  CHECK(final_response->status == 200);
  CHECK(edge.calls() == 1);

  SECTION("a body over the cap is refused without 100 Continue") {
    Client big(edge.port());
    REQUIRE(big.send(head({kJson, "Content-Length: 99999", "Expect: 100-continue"})));
    const auto refused = big.read_response();
    REQUIRE(refused);
    CHECK(refused->status == 413);
    CHECK(edge.calls() == 1);
  }
}

TEST_CASE("max_connections: one more is 503 and served again once one closes") {
  edge::EdgeOptions options = fast_options();
  options.max_connections = 4;
  options.header_timeout = 5s;
  Edge edge(options);
  std::vector<std::unique_ptr<Client>> idle;
  for (int i = 0; i < 4; ++i) {
    idle.push_back(std::make_unique<Client>(edge.port()));
    // A request answered proves the server holds this connection (idle again afterwards).
    idle.back()->send(valid_request());
    const auto response = idle.back()->read_response();
    REQUIRE(response);
    CHECK(response->status == 200);
  }
  const Exchange fifth = round_trip(edge.port(), "");
  REQUIRE(fifth.response);
  CHECK(fifth.response->status == 503);
  CHECK(fifth.response->problem("code") == "queue_full");
  CHECK(fifth.response->problem("detail") == "too many connections are open; try again later");
  CHECK(fifth.response->header("Retry-After") == "1");
  CHECK(fifth.closed);
  CHECK(edge.calls() == 4);

  idle.front()->close();
  int status = 0;
  const bool served = eventually([&] {
    const Exchange next = round_trip(edge.port(), valid_request({"Connection: close"}));
    status = next.response ? next.response->status : 0;
    return status == 200;
  });
  CHECK(served);
  CHECK(status == 200);
  CHECK(edge.calls() == 5);
}

TEST_CASE("stop: idle and mid-header and mid-body connections are closed within shutdown_grace") {
  edge::EdgeOptions options = fast_options();
  options.header_timeout = 10s;
  options.body_timeout = 10s;
  options.shutdown_grace = 500ms;
  Edge edge(options);
  Client idle(edge.port());
  REQUIRE(idle.send(valid_request()));
  REQUIRE(idle.read_response());
  Client mid_header(edge.port());
  REQUIRE(mid_header.send("POST /hook HTTP/1.1\r\nHo"));
  Client mid_body(edge.port());
  // The 100 Continue proves the server is reading this body.
  REQUIRE(mid_body.send(head({kJson, "Content-Length: 20", "Expect: 100-continue"})));
  REQUIRE(mid_body.read_response());
  REQUIRE(mid_body.send("1234567"));

  const auto start = Clock::now();
  edge.server().stop();
  const auto elapsed = since(start);
  // The mid-body request had the whole grace to finish (it did not: it is closed after it).
  CHECK(elapsed >= 450ms);
  CHECK(elapsed < 500ms + 1s);
  for (Client* client : {&idle, &mid_header, &mid_body}) {
    client->set_receive_timeout(2s);
    const std::string rest = client->read_to_close();
    CHECK(client->closed());
    CHECK(rest.find("200") == std::string::npos);
  }
  CHECK(edge.calls() == 1);
  CHECK(Client(edge.port()).connected() == false);
}

TEST_CASE("stop: a request in its handler completes and is answered") {
  edge::EdgeOptions options = fast_options();
  options.shutdown_grace = 3s;
  std::atomic<bool> entered{false};
  std::atomic<bool> finished{false};
  Edge edge(options, unsigned_options(), [&] {
    entered = true;
    std::this_thread::sleep_for(300ms);  // the handler's own work
    finished = true;
  });
  Client client(edge.port());
  REQUIRE(client.send(valid_request()));
  REQUIRE(eventually([&] { return entered.load(); }));
  const auto start = Clock::now();
  edge.server().stop();
  const auto elapsed = since(start);
  CHECK(finished);
  CHECK(elapsed < 3s);
  const auto response = client.read_response();
  REQUIRE(response);
  CHECK(response->status == 200);
  CHECK(client.read_to_close().empty());
  CHECK(client.closed());
}

TEST_CASE("stop: the destructor alone stops the server and closes its connections") {
  Edge edge;
  Client idle(edge.port());
  REQUIRE(idle.send(valid_request()));
  REQUIRE(idle.read_response());
  const auto start = Clock::now();
  edge.destroy();
  CHECK(since(start) < 2s);
  idle.set_receive_timeout(2s);
  CHECK(idle.read_to_close().empty());
  CHECK(idle.closed());
}

TEST_CASE("host loop: a Server on the host's io_context serves and the loop ends after stop()") {
  boost::asio::io_context io;
  auto handled = std::make_shared<Handled>();
  std::atomic<bool> returned{false};
  std::thread loop;
  {
    edge::Server server(io, fast_options());
    server.mount("*", boticario_receiver(handled, unsigned_options()));
    const auto port = server.listen("127.0.0.1", 0);
    REQUIRE(port);
    CHECK(server.port() == *port);
    loop = std::thread([&] {
      io.run();
      returned = true;
    });
    const Exchange e = round_trip(*port, valid_request({"Connection: close"}));
    // No REQUIRE while the loop's thread runs: it would leave the thread unjoined.
    CHECK((e.response && e.response->status == 200));
    CHECK(handled->calls.load() == 1);
    server.stop();
  }
  const bool ended = eventually([&] { return returned.load(); }, 3s);
  if (!ended) io.stop();
  loop.join();
  CHECK(ended);
}
