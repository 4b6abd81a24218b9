// DeliveryTracker: waits for the pending deliveries of a Deliverer, then cancels the rest.
#include "delivery/delivery_tracker.hpp"

#include "delivery/async_delivery.hpp"

namespace chathooks::delivery::detail {

std::uint64_t DeliveryTracker::add(const std::shared_ptr<AsyncDelivery>& delivery) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (closed_) return 0;
  const std::uint64_t id = next_id_++;
  // Before drain() can see it: a drain that ends it at once must find the id to remove.
  delivery->track(id);
  pending_.emplace(id, delivery);
  return id;
}

void DeliveryTracker::remove(std::uint64_t id) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (pending_.erase(id) > 0 && pending_.empty()) ended_.notify_all();
}

std::size_t DeliveryTracker::drain(std::chrono::steady_clock::time_point deadline, bool wait) {
  std::vector<std::shared_ptr<AsyncDelivery>> left;
  {
    std::unique_lock<std::mutex> lock(mutex_);
    closed_ = true;
    if (wait) ended_.wait_until(lock, deadline, [&] { return pending_.empty(); });
    left.reserve(pending_.size());
    for (const auto& entry : pending_) {
      // A delivery being destroyed cannot be locked: its destructor ends it (see
      // ~AsyncDelivery) and removes it.
      if (auto delivery = entry.second.lock()) left.push_back(std::move(delivery));
    }
  }
  std::size_t cancelled = 0;
  for (const auto& delivery : left) {
    if (delivery->abandon()) ++cancelled;
  }
  left.clear();  // The deliveries may be destroyed here, unlocked.
  if (wait) {
    // What abandon() did not end was ending on another thread: its callback is running now.
    std::unique_lock<std::mutex> lock(mutex_);
    ended_.wait(lock, [&] { return pending_.empty(); });
  }
  return cancelled;
}

}  // namespace chathooks::delivery::detail
