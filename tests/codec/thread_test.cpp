// Decoding and encoding from many threads at once: the codecs' static tables (member
// descriptions, enum names, per-thread write buffers) must give every thread the same result.
// Each ctest test runs in its own process, so the threads here race to build the tables.
// Catch2 assertions are not thread-safe: the threads only record results, the main thread checks.
#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include "catch.hpp"
#include "chathooks/boticario/codec.hpp"
#include "chathooks/cliengo/codec.hpp"
#include "chathooks/flw/codec.hpp"
#include "codec_test_support.hpp"

namespace {

constexpr int kThreads = 8;
constexpr int kRounds = 50;

// What one thread saw: the encoding of every vector (or "error: ..."), for every round.
std::vector<std::string> run_all(
    const std::vector<std::pair<codec_test::RoundTripFn, std::string>>& inputs) {
  std::vector<std::string> out;
  for (int round = 0; round < kRounds; ++round) {
    for (const auto& [round_trip, input] : inputs) {
      auto encoded = round_trip(input);
      out.push_back(encoded ? *encoded : "error: " + encoded.error().to_string());
    }
  }
  return out;
}

}  // namespace

TEST_CASE("Decoding the same bytes from 8 threads gives identical results", "[codec][threads]") {
  // Inputs read on the main thread (load_vector asserts); the threads never touch Catch2.
  std::vector<std::pair<codec_test::RoundTripFn, std::string>> inputs;
  for (const auto& v : codec_test::all_vectors()) {
    inputs.emplace_back(v.round_trip, codec_test::load_vector(v.file));
  }
  // An unknown Boticario event, an error with a pointer, and an enum in another case.
  inputs.emplace_back(&codec_test::round_trip_boticario_event,
                      R"({"event":{"type":"reaction"},"x":[1,2]})");
  inputs.emplace_back(&codec_test::round_trip_cliengo_request,
                      R"({"chat_log":[{"sender":"visitor"},{"sender":7}]})");
  inputs.emplace_back(&codec_test::round_trip_flw_dispatch,
                      R"({"channel":{"platform":"whatsapp"},"contact":{"cnpj":"1"}})");

  std::atomic<int> ready{0};
  std::atomic<bool> go{false};
  std::vector<std::vector<std::string>> results(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      ready.fetch_add(1);
      while (!go.load()) std::this_thread::yield();  // start together: race the first use
      results[static_cast<std::size_t>(t)] = run_all(inputs);
    });
  }
  while (ready.load() != kThreads) std::this_thread::yield();
  go.store(true);
  for (auto& thread : threads) thread.join();

  // The reference, computed after the threads, on the main thread.
  const std::vector<std::string> expected = run_all(inputs);
  REQUIRE(expected.size() == inputs.size() * kRounds);
  for (std::size_t i = 0; i < inputs.size(); ++i) {
    INFO("input " << i << ": " << inputs[i].second.substr(0, 80));
    if (expected[i].rfind("error: ", 0) != 0) {
      codec_test::check_same_json(inputs[i].second, expected[i]);
    }
  }
  CHECK(expected[inputs.size() - 2] == "error: /chat_log/1/sender: expected string, got number");
  for (int t = 0; t < kThreads; ++t) {
    INFO("thread " << t);
    CHECK(results[static_cast<std::size_t>(t)] == expected);
  }
}
