// send() of both curl transports (transport_kinds.hpp: CurlTransport, and HostDrivenCurlTransport,
// whose send() is the same pooled path) against a real cpp-httplib server on 127.0.0.1.
#include <sys/resource.h>
#include <chathooks/http/curl_transport.hpp>

#include <atomic>
#include <chrono>
#include <cstring>
#include <string>
#include <thread>
#include <vector>

#include "catch.hpp"
#include "test_server.hpp"
#include "transport_kinds.hpp"

using chathooks::Errc;
using chathooks::Result;
using chathooks_test::dev_options;
using chathooks_test::HostDrivenKind;
using chathooks_test::post;
using chathooks_test::RawServer;
using chathooks_test::TestServer;
using chathooks_test::ThreadedKind;
using namespace chathooks::http;
using Clock = std::chrono::steady_clock;

namespace {

void add_echo(TestServer& server) {
  server.server().Post("/echo", [](const httplib::Request& req, httplib::Response& res) {
    res.status = 201;
    res.set_header("X-Seen-Tag", req.get_header_value("X-Tag"));
    res.set_header("X-Seen-UA", req.get_header_value("User-Agent"));
    res.set_header("X-Seen-CT", req.get_header_value("Content-Type"));
    res.set_header("X-Seen-Expect", req.get_header_value("Expect"));
    res.headers.emplace("X-Multi", "one");
    res.headers.emplace("X-Multi", "two");
    res.set_content(req.body, "text/plain");
  });
}

long peak_rss_kb() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_maxrss;
}

}  // namespace

TEMPLATE_TEST_CASE("A request and its response round-trip headers and body", "", ThreadedKind,
                   HostDrivenKind) {
  TestServer server;
  add_echo(server);
  server.server().Get("/missing", [](const httplib::Request&, httplib::Response& res) {
    res.status = 404;
    res.set_content("nope", "text/plain");
  });
  server.start();
  TestType transport_fixture(dev_options());
  auto& transport = *transport_fixture;

  auto request = post(server.url("/echo"), std::string("{\"a\":1}\0tail", 12));
  REQUIRE(request.headers.add("X-Tag", "tag value").ok());
  REQUIRE(request.headers.add("Content-Type", "application/json").ok());
  auto result = transport.send(request);
  REQUIRE(result.ok());
  CHECK(result->status == 201);
  CHECK(result->body == request.body);  // Binary-safe, NUL included.
  CHECK(result->headers.get("x-seen-tag") == std::optional<std::string>("tag value"));
  CHECK(result->headers.get("X-Seen-UA") ==
        std::optional<std::string>(std::string("chathooks/") + CHATHOOKS_VERSION_STRING));
  CHECK(result->headers.get("X-Seen-CT") == std::optional<std::string>("application/json"));
  CHECK(result->headers.get("X-Seen-Expect") == std::optional<std::string>(""));
  CHECK(result->headers.get_all("x-multi") == std::vector<std::string>{"one", "two"});
  CHECK(result->headers.get("Content-Type") == std::optional<std::string>("text/plain"));

  // No Content-Type given: curl's form default is not sent.
  auto plain = transport.send(post(server.url("/echo"), "x"));
  REQUIRE(plain.ok());
  CHECK(plain->headers.get("X-Seen-CT") == std::optional<std::string>(""));

  // A 4xx is a response, not an error.
  HttpRequest get;
  get.method = "GET";
  get.url = server.url("/missing");
  auto missing = transport.send(get);
  REQUIRE(missing.ok());
  CHECK(missing->status == 404);
  CHECK(missing->body == "nope");
}

TEMPLATE_TEST_CASE("Sequential requests reuse one keep-alive connection", "", ThreadedKind,
                   HostDrivenKind) {
  TestServer server;
  add_echo(server);
  server.start();
  TestType transport_fixture(dev_options());
  auto& transport = *transport_fixture;
  for (int i = 0; i < 20; ++i) {
    auto result = transport.send(post(server.url("/echo"), std::to_string(i)));
    REQUIRE(result.ok());
    CHECK(result->body == std::to_string(i));
  }
  CHECK(server.requests() == 20);
  CHECK(server.connections() == 1);
}

TEMPLATE_TEST_CASE("A server slow to send its headers hits the request's timeout", "", ThreadedKind,
                   HostDrivenKind) {
  TestServer server;
  server.server().Post("/slow", [&](const httplib::Request&, httplib::Response& res) {
    server.gate().wait();  // Released when the test ends.
    res.set_content("late", "text/plain");
  });
  server.start();
  TestType transport_fixture(dev_options());
  auto& transport = *transport_fixture;
  auto request = post(server.url("/slow"));
  request.timeout = std::chrono::milliseconds(300);
  const auto started = Clock::now();
  auto result = transport.send(request);
  const auto elapsed = Clock::now() - started;
  REQUIRE_FALSE(result.ok());
  CHECK(result.error().code() == Errc::timeout);
  CHECK(elapsed >= std::chrono::milliseconds(250));
  CHECK(elapsed < std::chrono::seconds(20));
}

TEMPLATE_TEST_CASE("A trickling body is cut by the low-speed limit, well before the total timeout",
                   "", ThreadedKind, HostDrivenKind) {
  TestServer server;
  std::atomic<std::size_t> sent{0};
  server.server().Get("/trickle", [&](const httplib::Request&, httplib::Response& res) {
    res.set_chunked_content_provider("text/plain", [&](std::size_t, httplib::DataSink& sink) {
      if (server.gate().sleep_unless_open(std::chrono::milliseconds(200))) return false;
      ++sent;
      return sink.write("x", 1);
    });
  });
  server.start();
  auto options = dev_options();
  options.timeout = std::chrono::seconds(120);
  options.low_speed_limit_bytes = 1000;
  options.low_speed_time = std::chrono::seconds(1);
  TestType transport_fixture(options);
  auto& transport = *transport_fixture;
  HttpRequest request;
  request.method = "GET";
  request.url = server.url("/trickle");
  const auto started = Clock::now();
  auto result = transport.send(request);
  REQUIRE_FALSE(result.ok());
  CHECK(result.error().code() == Errc::timeout);
  CHECK(Clock::now() - started < std::chrono::seconds(60));
  CHECK(sent > 0);  // The body had started: it is the trickle that was cut.
}

TEMPLATE_TEST_CASE("A 200 MB body is cut at the 1 MiB default cap with bounded memory", "",
                   ThreadedKind, HostDrivenKind) {
  constexpr std::size_t kHuge = 200u * 1024 * 1024;
  TestServer server;
  std::atomic<std::size_t> sent{0};
  static const std::string chunk(64 * 1024, 'z');
  server.server().Get("/chunked", [&](const httplib::Request&, httplib::Response& res) {
    res.set_chunked_content_provider("text/plain", [&](std::size_t, httplib::DataSink& sink) {
      if (sent >= kHuge || server.gate().is_open()) {
        sink.done();
        return true;
      }
      sent += chunk.size();
      return sink.write(chunk.data(), chunk.size());
    });
  });
  server.server().Get("/sized", [&](const httplib::Request&, httplib::Response& res) {
    res.set_content_provider(kHuge, "text/plain",
                             [&](std::size_t, std::size_t length, httplib::DataSink& sink) {
                               if (server.gate().is_open()) return false;
                               return sink.write(chunk.data(), std::min(length, chunk.size()));
                             });
  });
  server.start();
  TestType transport_fixture(dev_options());
  auto& transport = *transport_fixture;
  CHECK(transport.options().max_response_bytes == 1024 * 1024);

  const long rss_before = peak_rss_kb();
  HttpRequest request;
  request.method = "GET";
  request.url = server.url("/chunked");  // No Content-Length: the write callback must cut it.
  auto result = transport.send(request);
  REQUIRE_FALSE(result.ok());
  CHECK(result.error().code() == Errc::response_too_large);
  CHECK(sent < kHuge / 4);                         // The transfer was aborted, not read to the end.
  CHECK(peak_rss_kb() - rss_before < 100 * 1024);  // Far less than the 200 MB offered.

  request.url = server.url("/sized");  // Content-Length announces 200 MB: refused at once.
  auto sized = transport.send(request);
  REQUIRE_FALSE(sized.ok());
  CHECK(sized.error().code() == Errc::response_too_large);

  // A body exactly at the cap is accepted.
  server.server().Get("/exact", [](const httplib::Request&, httplib::Response& res) {
    res.set_content(std::string(1024 * 1024, 'e'), "text/plain");
  });
  request.url = server.url("/exact");
  auto exact = transport.send(request);
  REQUIRE(exact.ok());
  CHECK(exact->body.size() == 1024 * 1024);
}

TEMPLATE_TEST_CASE("A redirect is returned as the response, not followed", "", ThreadedKind,
                   HostDrivenKind) {
  TestServer server;
  std::atomic<int> target_hits{0};
  server.server().Post("/redirect", [&](const httplib::Request&, httplib::Response& res) {
    res.set_redirect(server.url("/target"), 302);
  });
  // curl turns a POST into a GET on a followed 302, as browsers do.
  server.server().Get("/target", [&](const httplib::Request&, httplib::Response& res) {
    ++target_hits;
    res.set_content("target", "text/plain");
  });
  server.start();
  TestType transport_fixture(dev_options());
  auto& transport = *transport_fixture;
  auto result = transport.send(post(server.url("/redirect")));
  REQUIRE(result.ok());
  CHECK(result->status == 302);
  CHECK(result->headers.get("Location") == std::optional<std::string>(server.url("/target")));
  CHECK(target_hits == 0);

  auto options = dev_options();
  options.follow_redirects = true;  // Opt-in.
  TestType following_fixture(options);
  auto& following = *following_fixture;
  auto followed = following.send(post(server.url("/redirect")));
  REQUIRE(followed.ok());
  CHECK(followed->status == 200);
  CHECK(target_hits == 1);
}

TEMPLATE_TEST_CASE("A connection reset mid-response is connection_failed", "", ThreadedKind,
                   HostDrivenKind) {
  RawServer raw([](int socket) {
    RawServer::read_request(socket);
    const char partial[] = "HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\nonly a few bytes";
    ::send(socket, partial, sizeof(partial) - 1, MSG_NOSIGNAL);
    RawServer::reset(socket);
  });
  TestType transport_fixture(dev_options());
  auto& transport = *transport_fixture;
  auto result = transport.send(post(raw.url("/reset")));
  REQUIRE_FALSE(result.ok());
  CHECK(result.error().code() == Errc::connection_failed);
}

TEMPLATE_TEST_CASE("A connection closed before any response is connection_failed", "", ThreadedKind,
                   HostDrivenKind) {
  RawServer raw([](int socket) {
    RawServer::read_request(socket);
    ::close(socket);
  });
  TestType transport_fixture(dev_options());
  auto& transport = *transport_fixture;
  auto result = transport.send(post(raw.url("/nothing")));
  REQUIRE_FALSE(result.ok());
  CHECK(result.error().code() == Errc::connection_failed);
}

TEMPLATE_TEST_CASE("Nothing listening is connection_refused", "", ThreadedKind, HostDrivenKind) {
  // An ephemeral port, bound then closed: nothing listens there any more.
  const int port = chathooks_test::closed_port();
  TestType transport_fixture(dev_options());
  auto& transport = *transport_fixture;
  auto result = transport.send(post("http://127.0.0.1:" + std::to_string(port) + "/"));
  REQUIRE_FALSE(result.ok());
  CHECK(result.error().code() == Errc::connection_refused);
}

TEMPLATE_TEST_CASE("The destination guard refuses 127.0.0.1 by default, before sending anything",
                   "", ThreadedKind, HostDrivenKind) {
  TestServer server;
  add_echo(server);
  server.start();
  TestType transport_fixture(CurlTransportOptions{});  // Default options: guard on.
  auto& transport = *transport_fixture;
  CHECK_FALSE(transport.options().allow_private_addresses);
  auto result = transport.send(post(server.url("/echo")));
  REQUIRE_FALSE(result.ok());
  CHECK(result.error().code() == Errc::blocked_destination);

  // A name that resolves to loopback is judged by the address connected to.
  auto named = transport.send(post("http://localhost:" + std::to_string(server.port()) + "/echo"));
  REQUIRE_FALSE(named.ok());
  CHECK(named.error().code() == Errc::blocked_destination);
  CHECK(server.requests() == 0);

  // Through a proxy the guard judges literal hosts (no proxy is contacted here).
  CurlTransportOptions proxied;
  proxied.proxy = "http://127.0.0.1:9";
  TestType via_proxy_fixture(proxied);
  auto& via_proxy = *via_proxy_fixture;
  auto literal = via_proxy.send(post("http://[::1]:8080/"));
  REQUIRE_FALSE(literal.ok());
  CHECK(literal.error().code() == Errc::blocked_destination);
}

TEMPLATE_TEST_CASE("Malformed requests are refused with invalid_request and never sent", "",
                   ThreadedKind, HostDrivenKind) {
  TestServer server;
  add_echo(server);
  server.start();
  TestType transport_fixture(dev_options());
  auto& transport = *transport_fixture;
  std::vector<HttpRequest> bad;
  bad.push_back(post(server.url("/echo\r\nX-Injected: 1")));
  bad.push_back(post("ftp://127.0.0.1/file"));
  bad.push_back(post("not a url"));
  bad.push_back(post(""));
  bad.push_back(post("/relative/only"));
  bad.push_back(post(server.url("/echo")));
  bad.back().method = "POST /x HTTP/1.1\r\n";
  bad.push_back(post(server.url("/echo")));
  bad.back().method = "";
  bad.push_back(post(server.url("/echo")));
  REQUIRE(bad.back().headers.add("Content-Length", "0").ok());
  for (const auto& request : bad) {
    INFO(request.method << " " << request.url);
    auto result = transport.send(request);
    REQUIRE_FALSE(result.ok());
    CHECK(result.error().code() == Errc::invalid_request);
  }
  // Header injection cannot even be expressed: HttpHeaders refuses it.
  HttpRequest request = post(server.url("/echo"));
  CHECK(request.headers.add("X-Tag", "a\r\nX-Injected: 1").error().code() == Errc::invalid_request);
  CHECK(server.requests() == 0);
}

TEMPLATE_TEST_CASE("1,000 requests from 8 threads share one transport and its connections", "",
                   ThreadedKind, HostDrivenKind) {
  TestServer server;
  add_echo(server);
  server.start();
  TestType fixture(dev_options());
  HttpTransport* transport = &*fixture;
  std::atomic<int> good{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 125; ++i) {
        const std::string body = std::to_string(t) + ":" + std::to_string(i);
        auto result = transport->send(post(server.url("/echo"), body));
        if (result.ok() && result->status == 201 && result->body == body) ++good;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  CHECK(good == 1000);
  CHECK(server.requests() == 1000);
  CHECK(server.connections() <= 8);  // At most one per concurrent sender, all reused.
}

TEMPLATE_TEST_CASE("Synchronous sends respect the per-host connection limit", "", ThreadedKind,
                   HostDrivenKind) {
  TestServer server;
  std::atomic<int> inside{0};
  std::atomic<int> most{0};
  server.server().Post("/hold", [&](const httplib::Request&, httplib::Response& res) {
    const int now = ++inside;
    int seen = most.load();
    while (now > seen && !most.compare_exchange_weak(seen, now)) {
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));  // Hold the slot a while.
    --inside;
    res.set_content("ok", "text/plain");
  });
  server.start();
  auto options = dev_options();
  options.max_connections_per_host = 2;
  TestType transport_fixture(options);
  auto& transport = *transport_fixture;
  std::atomic<int> good{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 6; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 5; ++i) {
        if (transport.send(post(server.url("/hold"))).ok()) ++good;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  CHECK(good == 30);
  CHECK(most <= 2);
  CHECK(server.connections() <= 2);
}

TEMPLATE_TEST_CASE("Folded and repeated response headers are kept, oversized headers are refused",
                   "", ThreadedKind, HostDrivenKind) {
  RawServer folded([](int socket) {
    RawServer::read_request(socket);
    const std::string response =
        "HTTP/1.1 200 OK\r\nX-Fold: first\r\n  second\r\nX-Multi: 1\r\nX-Multi: 2\r\n"
        "Content-Length: 2\r\nConnection: close\r\n\r\nok";
    ::send(socket, response.data(), response.size(), MSG_NOSIGNAL);
    ::close(socket);
  });
  TestType transport_fixture(dev_options());
  auto& transport = *transport_fixture;
  auto result = transport.send(post(folded.url("/")));
  REQUIRE(result.ok());
  CHECK(result->headers.get("x-fold") == std::optional<std::string>("first second"));
  CHECK(result->headers.get_all("X-Multi") == std::vector<std::string>{"1", "2"});
  CHECK(result->body == "ok");

  RawServer bloated([](int socket) {
    RawServer::read_request(socket);
    std::string response = "HTTP/1.1 200 OK\r\n";
    for (int i = 0; i < 2000; ++i)
      response += "X-Filler-" + std::to_string(i) + ": " + std::string(60, 'f') + "\r\n";
    response += "Content-Length: 0\r\n\r\n";
    ::send(socket, response.data(), response.size(), MSG_NOSIGNAL);
    ::close(socket);
  });
  auto too_big = transport.send(post(bloated.url("/")));
  REQUIRE_FALSE(too_big.ok());
  CHECK(too_big.error().code() == Errc::response_too_large);
}

TEMPLATE_TEST_CASE("A pooled handle carries nothing over: methods, bodies and URL credentials", "",
                   ThreadedKind, HostDrivenKind) {
  TestServer server;
  auto record = [](const httplib::Request& req, httplib::Response& res) {
    res.set_content(req.method + " body=" + req.body +
                        " auth=" + req.get_header_value("Authorization") +
                        " x=" + req.get_header_value("X-Once"),
                    "text/plain");
  };
  server.server().Post("/m", record);
  server.server().Get("/m", record);
  server.server().Put("/m", record);
  server.server().Delete("/m", record);
  server.start();
  TestType transport_fixture(dev_options());
  auto& transport = *transport_fixture;
  auto send = [&](const std::string& method, const std::string& url, const std::string& body) {
    HttpRequest request;
    request.method = method;
    request.url = url;
    request.body = body;
    auto result = transport.send(request);
    REQUIRE(result.ok());
    CHECK(result->status == 200);
    return result->body;
  };
  HttpRequest first = post(server.url("/m"), "one");
  REQUIRE(first.headers.add("X-Once", "yes").ok());
  auto answer = transport.send(first);
  REQUIRE(answer.ok());
  CHECK(answer->body == "POST body=one auth= x=yes");
  CHECK(send("GET", server.url("/m"), "") == "GET body= auth= x=");
  CHECK(send("PUT", server.url("/m"), "two") == "PUT body=two auth= x=");
  CHECK(send("DELETE", server.url("/m"), "") == "DELETE body= auth= x=");
  HttpRequest head;
  head.method = "HEAD";
  head.url = server.url("/m");
  auto head_result = transport.send(head);
  REQUIRE(head_result.ok());
  CHECK(head_result->body.empty());
  CHECK(send("POST", server.url("/m"), "three") == "POST body=three auth= x=");
  const std::string with_credentials =
      "http://user:secret@127.0.0.1:" + std::to_string(server.port()) + "/m";
  CHECK(send("POST", with_credentials, "four") == "POST body=four auth=Basic dXNlcjpzZWNyZXQ= x=");
  CHECK(send("POST", server.url("/m"), "five") == "POST body=five auth= x=");
  CHECK(server.connections() == 1);
}
