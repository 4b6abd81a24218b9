// watch_outbox() and watch_endpoints(): gauges over a store's counts and a policy's endpoints.
#include "chathooks/metrics/watch.hpp"

#include <string>
#include <utility>
#include <vector>

namespace chathooks::metrics {

Result<void> watch_outbox(Registry& registry, std::shared_ptr<outbox::OutboxStore> store) {
  if (!store) return Error(Errc::invalid_argument, "watch_outbox needs a store");
  return registry.add_gauge(
      "chathooks.outbox.depth", "Outbox messages by state.", [store = std::move(store)] {
        std::vector<GaugeValue> values;
        const auto counts = store->counts();
        if (!counts) return values;
        const std::pair<const char*, std::uint64_t> states[] = {{"pending", counts->pending},
                                                                {"in_flight", counts->in_flight},
                                                                {"delivered", counts->delivered},
                                                                {"dead", counts->dead}};
        for (const auto& [state, count] : states)
          values.push_back(GaugeValue{{{"state", state}}, static_cast<double>(count)});
        return values;
      });
}

Result<void> watch_endpoints(Registry& registry, std::shared_ptr<delivery::EndpointPolicy> policy) {
  if (!policy) return Error(Errc::invalid_argument, "watch_endpoints needs a policy");
  // Weak: a policy commonly holds this registry's observer (EndpointPolicyOptions::observer), so
  // a strong reference here would make a cycle that is never freed.
  const std::weak_ptr<delivery::EndpointPolicy> weak = policy;
  auto added = registry.add_gauge(
      "chathooks.endpoint.state",
      "Circuit breaker state of each endpoint (1 for the current state).", [weak] {
        std::vector<GaugeValue> values;
        const auto alive = weak.lock();
        if (!alive) return values;
        const delivery::EndpointState states[] = {
            delivery::EndpointState::closed, delivery::EndpointState::open,
            delivery::EndpointState::half_open, delivery::EndpointState::disabled};
        for (const auto& endpoint : alive->endpoints()) {
          for (const auto state : states) {
            values.push_back(GaugeValue{
                {{"endpoint", endpoint.endpoint}, {"state", std::string(to_string(state))}},
                endpoint.state == state ? 1.0 : 0.0});
          }
        }
        return values;
      });
  if (!added) return added;
  return registry.add_gauge(
      "chathooks.endpoint.consecutive_failures",
      "Consecutive failed attempts counted by each endpoint's breaker.", [weak] {
        std::vector<GaugeValue> values;
        const auto alive = weak.lock();
        if (!alive) return values;
        for (const auto& endpoint : alive->endpoints()) {
          values.push_back(GaugeValue{{{"endpoint", endpoint.endpoint}},
                                      static_cast<double>(endpoint.consecutive_failures)});
        }
        return values;
      });
}

}  // namespace chathooks::metrics
