// A check shared by each engine's threaded store tests: several store objects open a new, empty
// place at the same instant (as processes starting together would), and all succeed and see
// one another's writes. Thread-safety: call from the test's thread; it starts and joins its own.
#pragma once

#include <atomic>
#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "catch.hpp"
#include "chathooks/error.hpp"
#include "chathooks/outbox/store.hpp"

namespace outbox_test {

/// Opens `openers` stores with `open` on as many threads released together, then checks that
/// each opened, and that a message one enqueues is counted by all.
inline void check_open_at_once(
    std::size_t openers,
    const std::function<chathooks::Result<std::shared_ptr<chathooks::outbox::OutboxStore>>()>&
        open) {
  std::atomic<bool> go{false};
  std::vector<std::shared_ptr<chathooks::outbox::OutboxStore>> stores(openers);
  std::vector<std::string> errors(openers);
  std::vector<std::thread> threads;
  for (std::size_t i = 0; i < openers; ++i) {
    threads.emplace_back([&, i] {
      while (!go.load()) std::this_thread::yield();
      auto store = open();
      if (store) {
        stores[i] = *store;
      } else {
        errors[i] = store.error().message();
      }
    });
  }
  go.store(true);
  for (auto& thread : threads) thread.join();
  for (std::size_t i = 0; i < openers; ++i) {
    INFO("opener " << i << ": " << errors[i]);
    REQUIRE(stores[i]);
  }
  chathooks::outbox::StoredMessage m;
  m.id = "msg_1";
  m.request.url = "https://example.com/hooks";
  REQUIRE(stores[0]->enqueue(m));
  for (const auto& store : stores) {
    auto counts = store->counts();
    REQUIRE(counts);
    CHECK(counts->pending == 1);
  }
}

}  // namespace outbox_test
