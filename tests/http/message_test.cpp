// HttpHeaders validation and lookup, the base class's default send_async, FakeTransport.
#include <chathooks/http/message.hpp>
#include <chathooks/http/transport.hpp>
#include <chathooks/testing/fake_transport.hpp>

#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include "catch.hpp"

using chathooks::Errc;
using chathooks::Error;
using chathooks::Result;
using namespace chathooks::http;
using chathooks::testing::FakeTransport;

TEST_CASE("HttpHeaders looks names up case-insensitively and keeps order and repeats") {
  HttpHeaders headers;
  REQUIRE(headers.add("Content-Type", "application/json").ok());
  REQUIRE(headers.add("X-Tag", "a").ok());
  REQUIRE(headers.add("x-tag", "b").ok());
  CHECK(headers.get("content-type") == std::optional<std::string>("application/json"));
  CHECK(headers.get("X-TAG") == std::optional<std::string>("a"));
  CHECK(headers.get_all("X-Tag") == std::vector<std::string>{"a", "b"});
  CHECK_FALSE(headers.get("Missing").has_value());
  CHECK(headers.size() == 3);

  REQUIRE(headers.set("X-TAG", "c").ok());
  CHECK(headers.get_all("x-tag") == std::vector<std::string>{"c"});
  CHECK(headers.size() == 2);
  CHECK((headers.begin() + 1)->first == "X-TAG");  // Where the first X-Tag was.

  CHECK(headers.remove("CONTENT-type") == 1);
  CHECK_FALSE(headers.contains("Content-Type"));
  REQUIRE(headers.set("New", "").ok());
  CHECK(headers.get("new") == std::optional<std::string>(""));
}

TEST_CASE("HttpHeaders refuses CR, LF and NUL in values and non-token names") {
  HttpHeaders headers;
  for (const std::string& value : {std::string("a\r\nX-Injected: 1"), std::string("a\nb"),
                                   std::string("a\rb"), std::string("a\0b", 3)}) {
    auto added = headers.add("X-Value", value);
    REQUIRE_FALSE(added.ok());
    CHECK(added.error().code() == Errc::invalid_request);
    auto set = headers.set("X-Value", value);
    REQUIRE_FALSE(set.ok());
    CHECK(set.error().code() == Errc::invalid_request);
  }
  for (const std::string& name :
       {std::string(""), std::string("Bad Name"), std::string("X-A\r\nX-B"), std::string("Colon:"),
        std::string("Nul\0", 4)}) {
    auto added = headers.add(name, "v");
    REQUIRE_FALSE(added.ok());
    CHECK(added.error().code() == Errc::invalid_request);
  }
  CHECK(headers.empty());  // Nothing refused was stored.
  CHECK(headers.add("X-Tab", "a\tb, c;d=\"e\"").ok());
  CHECK(headers.add("!#$%&'*+-.^_`|~09azAZ", "token chars").ok());
}

namespace {

class EchoTransport : public HttpTransport {
 public:
  Result<HttpResponse> send(const HttpRequest& request) override {
    HttpResponse response;
    response.status = 200;
    response.body = request.body;
    return response;
  }
};

}  // namespace

TEST_CASE("The default send_async runs send on the calling thread, before returning") {
  EchoTransport transport;
  HttpRequest request;
  request.url = "http://example.invalid/";
  request.body = "hello";
  std::thread::id ran_on;
  int calls = 0;
  auto handle = transport.send_async(request, [&](Result<HttpResponse> result) {
    ++calls;
    ran_on = std::this_thread::get_id();
    REQUIRE(result.ok());
    CHECK(result->body == "hello");
  });
  CHECK(calls == 1);
  CHECK(ran_on == std::this_thread::get_id());
  CHECK_FALSE(handle);
  handle.cancel();  // Harmless.
  CHECK(calls == 1);
}

TEST_CASE("TransferHandle calls its canceller, copies share it") {
  int cancelled = 0;
  TransferHandle handle([&] { ++cancelled; });
  REQUIRE(handle);
  TransferHandle copy = handle;
  copy.cancel();
  handle.cancel();
  CHECK(cancelled == 2);
}

TEST_CASE("FakeTransport answers from its script, then its handler, and records requests") {
  FakeTransport fake;
  fake.push_response(201, "created");
  fake.push_error(Error(Errc::timeout, "scripted timeout"));
  HttpRequest request;
  request.url = "https://receiver.example/hook";
  request.body = "{}";

  auto first = fake.send(request);
  REQUIRE(first.ok());
  CHECK(first->status == 201);
  CHECK(first->body == "created");
  auto second = fake.send(request);
  REQUIRE_FALSE(second.ok());
  CHECK(second.error().code() == Errc::timeout);
  auto third = fake.send(request);  // Script exhausted, no handler.
  REQUIRE_FALSE(third.ok());
  CHECK(third.error().code() == Errc::invalid_argument);

  fake.set_handler([](const HttpRequest& r) -> Result<HttpResponse> {
    HttpResponse response;
    response.status = 503;
    response.body = r.method;
    return response;
  });
  auto fourth = fake.send(request);
  REQUIRE(fourth.ok());
  CHECK(fourth->status == 503);
  CHECK(fourth->body == "POST");

  REQUIRE(fake.request_count() == 4);
  CHECK(fake.requests()[0].url == "https://receiver.example/hook");
  CHECK(fake.scripted_left() == 0);
  fake.clear_requests();
  CHECK(fake.request_count() == 0);
}

TEST_CASE("FakeTransport is safe to share between threads") {
  FakeTransport fake([](const HttpRequest&) -> Result<HttpResponse> {
    HttpResponse response;
    response.status = 200;
    return response;
  });
  std::atomic<int> ok{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 100; ++i) {
        HttpRequest request;
        request.url = "http://x.invalid/";
        if (fake.send(request).ok()) ++ok;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  CHECK(ok == 400);
  CHECK(fake.request_count() == 400);
}
