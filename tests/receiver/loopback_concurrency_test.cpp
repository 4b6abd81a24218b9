// The receivers on a real loopback server (wired as the examples wire them) under concurrent
// requests from 8 libcurl threads: distinct webhook-ids are each handled exactly once, and one
// webhook-id sent by 8 threads at once reaches the handler once while the others are answered
// as duplicates (200, the same answer) or as in progress (409). Labelled "concurrency" so that
// the ThreadSanitizer build runs it.
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "catch.hpp"
#include "loopback_fixture.hpp"
#include "loopback_protocols.hpp"

using namespace chathooks_test;
using chathooks::receiver::Disposition;
using chathooks::receiver::Refusal;

namespace {

constexpr int kThreads = 8;

Protocol generated_protocol() {
  const auto index = GENERATE(0, 1, 2);
  return all_protocols().at(static_cast<std::size_t>(index));
}

// Holds threads until the test lets them all go at once; counts those that finished.
class StartLine {
 public:
  void wait_for_start() {
    std::unique_lock<std::mutex> lock(mutex_);
    cv_.wait(lock, [&] { return started_; });
  }
  void start() {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      started_ = true;
    }
    cv_.notify_all();
  }
  void finished() {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      ++finished_;
    }
    cv_.notify_all();
  }
  /// Whether `count` threads finished within `limit`.
  bool wait_finished(int count, std::chrono::seconds limit) {
    std::unique_lock<std::mutex> lock(mutex_);
    return cv_.wait_for(lock, limit, [&] { return finished_ >= count; });
  }

 private:
  std::mutex mutex_;
  std::condition_variable cv_;
  bool started_ = false;
  int finished_ = 0;
};

// A gate the handler blocks on until the test opens it.
class Gate {
 public:
  void open() {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      open_ = true;
    }
    cv_.notify_all();
  }
  /// Blocks until open or `limit` passes; returns whether it opened.
  bool wait(std::chrono::seconds limit) {
    std::unique_lock<std::mutex> lock(mutex_);
    return cv_.wait_for(lock, limit, [&] { return open_; });
  }

 private:
  std::mutex mutex_;
  std::condition_variable cv_;
  bool open_ = false;
};

Outgoing signed_post(const std::string& id, const std::string& body) {
  Outgoing out;
  out.headers = signed_headers(id, body);
  out.body = body;
  return out;
}

}  // namespace

TEST_CASE("loopback concurrency: 8 threads with distinct ids, each delivery handled once") {
  const Protocol protocol = generated_protocol();
  INFO(protocol.name);
  constexpr int kPerThread = 20;
  auto calls = std::make_shared<Calls>();
  auto receiver = protocol.make(calls, signed_options());
  REQUIRE(receiver);
  LoopbackServer server(std::move(*receiver));
  REQUIRE(server.ready());

  // Signed on this thread: Catch2's assertions (in signed_headers) are not thread-safe.
  std::vector<std::vector<Outgoing>> requests(kThreads);
  for (int t = 0; t < kThreads; ++t)
    for (int i = 0; i < kPerThread; ++i)
      requests[static_cast<std::size_t>(t)].push_back(
          signed_post("msg_t" + std::to_string(t) + "_" + std::to_string(i), protocol.body));

  std::vector<std::vector<Received>> results(kThreads);
  StartLine line;
  std::vector<std::thread> threads;
  for (std::size_t t = 0; t < kThreads; ++t)
    threads.emplace_back([&, t] {
      line.wait_for_start();
      for (const auto& request : requests[t]) results[t].push_back(server.send(request));
      line.finished();
    });
  line.start();
  for (auto& thread : threads) thread.join();

  for (const auto& per_thread : results) {
    REQUIRE(per_thread.size() == kPerThread);
    for (const auto& r : per_thread) {
      INFO("curl: " << r.error << ", body: " << r.body);
      REQUIRE(r.code == CURLE_OK);
      CHECK(r.status == 200);
      CHECK(r.body == protocol.answer);
    }
  }
  CHECK(calls->total() == kThreads * kPerThread);
  const auto by_key = calls->by_key();
  CHECK(by_key.size() == static_cast<std::size_t>(kThreads * kPerThread));
  for (const auto& [key, count] : by_key) {
    INFO(key);
    CHECK(count == 1);
  }
  for (const auto& seen : server.seen()) CHECK(seen.disposition == Disposition::handled);
}

TEST_CASE("loopback concurrency: one id from 8 threads while it is handled: 1 call, 7 409s") {
  const Protocol protocol = generated_protocol();
  INFO(protocol.name);
  // The handler holds the first delivery until the other seven have been answered, so each of
  // them finds it in progress.
  auto gate = std::make_shared<Gate>();
  auto calls = std::make_shared<Calls>();
  calls->before = [gate](const std::string&) -> std::optional<Refusal> {
    if (!gate->wait(std::chrono::seconds(120)))
      return Refusal{500, "the test's gate never opened", std::nullopt};
    return std::nullopt;
  };
  auto receiver = protocol.make(calls, signed_options());
  REQUIRE(receiver);
  LoopbackServer server(std::move(*receiver));
  REQUIRE(server.ready());

  const Outgoing request = signed_post("msg_same", protocol.body);
  std::vector<Received> results(kThreads);
  StartLine line;
  std::vector<std::thread> threads;
  for (std::size_t t = 0; t < kThreads; ++t)
    threads.emplace_back([&, t] {
      line.wait_for_start();
      results[t] = server.send(request);
      line.finished();
    });
  line.start();
  const bool others_answered = line.wait_finished(kThreads - 1, std::chrono::seconds(120));
  gate->open();
  for (auto& thread : threads) thread.join();
  REQUIRE(others_answered);

  int handled = 0;
  int in_progress = 0;
  for (const auto& r : results) {
    INFO("curl: " << r.error << ", body: " << r.body);
    REQUIRE(r.code == CURLE_OK);
    if (r.status == 200) {
      ++handled;
      CHECK(r.body == protocol.answer);
    } else {
      CHECK(r.status == 409);
      CHECK(r.header("Retry-After").has_value());
      CHECK(r.body.find("\"code\":\"in_progress\"") != std::string::npos);
      ++in_progress;
    }
  }
  CHECK(handled == 1);
  CHECK(in_progress == kThreads - 1);
  CHECK(calls->total() == 1);

  // Once handled, the same id is a duplicate: the stored answer, no call.
  const Received again = server.send(request);
  CHECK(again.status == 200);
  CHECK(again.body == protocol.answer);
  CHECK(calls->total() == 1);
}

TEST_CASE("loopback concurrency: one id from 8 threads at once, free-running: 1 call") {
  const Protocol protocol = generated_protocol();
  INFO(protocol.name);
  constexpr int kRounds = 10;
  auto calls = std::make_shared<Calls>();
  auto receiver = protocol.make(calls, signed_options());
  REQUIRE(receiver);
  LoopbackServer server(std::move(*receiver));
  REQUIRE(server.ready());

  for (int round = 0; round < kRounds; ++round) {
    INFO("round " << round);
    const Outgoing request = signed_post("msg_round_" + std::to_string(round), protocol.body);
    std::vector<Received> results(kThreads);
    StartLine line;
    std::vector<std::thread> threads;
    for (std::size_t t = 0; t < kThreads; ++t)
      threads.emplace_back([&, t] {
        line.wait_for_start();
        results[t] = server.send(request);
      });
    line.start();
    for (auto& thread : threads) thread.join();

    for (const auto& r : results) {
      INFO("curl: " << r.error << ", body: " << r.body);
      REQUIRE(r.code == CURLE_OK);
      const bool answered = r.status == 200 && r.body == protocol.answer;
      CHECK((answered || r.status == 409));
    }
    CHECK(calls->total() == round + 1);
  }
  // Every round: one delivery handled, the others duplicates or in progress.
  const auto seen = server.seen();
  REQUIRE(seen.size() == static_cast<std::size_t>(kRounds * kThreads));
  int handled = 0;
  for (const auto& s : seen) {
    if (s.disposition == Disposition::handled)
      ++handled;
    else
      CHECK((s.disposition == Disposition::duplicate ||
             (s.disposition == Disposition::rejected && s.status == 409)));
  }
  CHECK(handled == kRounds);
}
