// Json::parse and dump() from several threads at once (their per-thread scratch buffers). Its
// own test program, labelled "concurrency", so that CI runs it under ThreadSanitizer.
#include <cstddef>
#include <string>
#include <thread>
#include <vector>

#include "catch.hpp"
#include "chathooks/json.hpp"
#include "json_test_util.hpp"

using chathooks::Json;
using json_test::parse_ok;

TEST_CASE("Parsing and dumping from several threads at once", "[json][parse][threads]") {
  // The parser and dump() keep per-thread scratch buffers; threads must not see each other's.
  std::vector<std::string> texts;
  std::vector<std::string> expected;
  for (const auto& name : json_test::vector_files()) {
    texts.push_back(json_test::read_test_data(name));
    expected.push_back(parse_ok(texts.back()).dump());
  }
  constexpr int kThreads = 4;
  std::vector<int> mismatches(kThreads, 0);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int round = 0; round < 50; ++round) {
        for (std::size_t i = 0; i < texts.size(); ++i) {
          const std::size_t k = (i + static_cast<std::size_t>(t)) % texts.size();
          auto result = Json::parse(texts[k]);
          if (!result || result->dump() != expected[k]) ++mismatches[static_cast<std::size_t>(t)];
          if (Json::parse(texts[k].substr(0, texts[k].size() / 2)).ok()) {
            ++mismatches[static_cast<std::size_t>(t)];
          }
        }
      }
    });
  }
  for (auto& thread : threads) thread.join();
  for (int t = 0; t < kThreads; ++t) {
    INFO("thread " << t);
    CHECK(mismatches[static_cast<std::size_t>(t)] == 0);
  }
}
