// Gauges a Registry reads at each snapshot, for the state that lives outside the observers:
// the outbox's depth by message state and the endpoints' circuit breakers.
//
//   auto metrics = chathooks::metrics::Registry::create();
//   chathooks::metrics::watch_outbox(*metrics, store);
//   chathooks::metrics::watch_endpoints(*metrics, policy);
//
// Thread-safety: call them while setting up; the gauges they add are read by snapshot(), from
// any thread (the store and the policy are thread-safe).
#pragma once

#include <memory>

#include "chathooks/delivery/endpoint_policy.hpp"
#include "chathooks/error.hpp"
#include "chathooks/export.hpp"
#include "chathooks/metrics/registry.hpp"
#include "chathooks/outbox/store.hpp"

namespace chathooks::metrics {

/// Adds `chathooks.outbox.depth` (gauge, label `state`: pending, in_flight, delivered, dead),
/// read from `store`'s counts() at each snapshot (a store that fails to count gives no
/// samples). The registry keeps `store` alive. Errc::invalid_argument for a null store or a
/// registry that has the gauge already.
CHATHOOKS_API Result<void> watch_outbox(Registry& registry,
                                        std::shared_ptr<outbox::OutboxStore> store);

/// Adds `chathooks.endpoint.state` (gauge, labels `endpoint` and `state`: 1 for each known
/// endpoint's current state of closed, open, half_open and disabled, 0 for the others) and
/// `chathooks.endpoint.consecutive_failures` (gauge, label `endpoint`), read from `policy` at
/// each snapshot while `policy` lives. The registry does not keep `policy` alive (the policy
/// usually holds the registry's observer: that would be a cycle); once it is gone the gauges
/// have no samples. Errc::invalid_argument for a null policy
/// or a registry that has the gauges already.
CHATHOOKS_API Result<void> watch_endpoints(Registry& registry,
                                           std::shared_ptr<delivery::EndpointPolicy> policy);

}  // namespace chathooks::metrics
