// Internal to the outbox Worker: keeps an EndpointPolicy's breakers and an OutboxStore's endpoint
// records in step, so that a breaker opened or an endpoint disabled by one worker holds for its
// next run and for the fleet's other workers, and an endpoint enabled in the store (by an
// operator, enable_endpoint()) is enabled in every worker.
//
// Rules: a local change of state (EndpointStatus::version moved since the last sync) is saved,
// stamped now; a stored record saved after what this worker last saved or applied for that
// endpoint is applied (EndpointPolicy::restore). Failure counts travel with the state but do not
// cause saves of their own.
// Thread-safety: sync() may be called from several threads; calls are serialized.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "chathooks/delivery/endpoint_policy.hpp"
#include "chathooks/error.hpp"
#include "chathooks/outbox/store.hpp"

namespace chathooks::outbox::detail {

class EndpointSync {
 public:
  EndpointSync(std::shared_ptr<delivery::EndpointPolicy> policy,
               std::function<std::chrono::system_clock::time_point()> now,
               std::chrono::milliseconds read_every);

  /// Saves the policy's changes of state since the last call; reads the store's records and
  /// applies the newer ones on the first call and once `read_every` has passed since the last
  /// read. Returns the store's first failure.
  Result<void> sync(OutboxStore& store);

 private:
  struct Known {
    std::uint64_t version = 0;                      // the policy's, when last saved or applied
    std::chrono::system_clock::time_point stamp{};  // updated_at of that save or record
  };

  Result<void> save_changes(OutboxStore& store, std::chrono::system_clock::time_point at);
  Result<void> apply_newer(OutboxStore& store, std::chrono::system_clock::time_point at);

  const std::shared_ptr<delivery::EndpointPolicy> policy_;
  const std::function<std::chrono::system_clock::time_point()> now_;
  const std::chrono::milliseconds read_every_;
  std::mutex mutex_;
  std::map<std::string, Known, std::less<>> known_;
  std::chrono::system_clock::time_point last_read_{};
  bool read_once_ = false;
};

}  // namespace chathooks::outbox::detail
