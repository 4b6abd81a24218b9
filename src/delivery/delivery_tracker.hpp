// Internal to the Deliverer: the asynchronous deliveries of one Deliverer and its copies that
// have not ended (callback returned), so that drain() can wait for them and cancel the rest, and
// whether the Deliverer still accepts new ones.
// Thread-safety: every member function is thread-safe.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <unordered_map>
#include <vector>

namespace chathooks::delivery::detail {

class AsyncDelivery;

class DeliveryTracker {
 public:
  /// Registers `delivery` and gives it its id (AsyncDelivery::track); 0 (not registered) once
  /// closed.
  std::uint64_t add(const std::shared_ptr<AsyncDelivery>& delivery);
  /// The delivery with this id has ended: its callback has returned (or it had none).
  void remove(std::uint64_t id);

  /// Refuses new deliveries from now on, waits until none is pending or `deadline` passes
  /// (not at all when `wait` is false), cancels what remains (each callback runs on this
  /// thread) and, when `wait`, waits for callbacks running on other threads to return.
  /// Returns how many deliveries it cancelled.
  std::size_t drain(std::chrono::steady_clock::time_point deadline, bool wait);

 private:
  std::mutex mutex_;
  std::condition_variable ended_;
  bool closed_ = false;
  std::uint64_t next_id_ = 1;
  std::unordered_map<std::uint64_t, std::weak_ptr<AsyncDelivery>> pending_;
};

}  // namespace chathooks::delivery::detail
