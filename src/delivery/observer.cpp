// DeliveryObserver's do-nothing defaults and observe_all().
#include "chathooks/delivery/observer.hpp"

#include <utility>

namespace chathooks::delivery {

DeliveryObserver::~DeliveryObserver() = default;
void DeliveryObserver::on_attempt_start(const AttemptStart&) {}
void DeliveryObserver::on_attempt_end(const AttemptEnd&) {}
void DeliveryObserver::on_delivery_end(const DeliveryEnd&) {}
void DeliveryObserver::on_endpoint_state(const EndpointEvent&) {}

std::string_view to_string(EndpointState state) noexcept {
  switch (state) {
    case EndpointState::closed:
      return "closed";
    case EndpointState::open:
      return "open";
    case EndpointState::half_open:
      return "half_open";
    case EndpointState::disabled:
      return "disabled";
  }
  return "closed";
}

namespace {

// Calls each observer in turn; one that throws does not keep the others from their event.
class AllObservers final : public DeliveryObserver {
 public:
  explicit AllObservers(std::vector<std::shared_ptr<DeliveryObserver>> observers)
      : observers_(std::move(observers)) {}

  void on_attempt_start(const AttemptStart& event) override {
    each([&](DeliveryObserver& o) { o.on_attempt_start(event); });
  }
  void on_attempt_end(const AttemptEnd& event) override {
    each([&](DeliveryObserver& o) { o.on_attempt_end(event); });
  }
  void on_delivery_end(const DeliveryEnd& event) override {
    each([&](DeliveryObserver& o) { o.on_delivery_end(event); });
  }
  void on_endpoint_state(const EndpointEvent& event) override {
    each([&](DeliveryObserver& o) { o.on_endpoint_state(event); });
  }

 private:
  template <class Call>
  void each(const Call& call) {
    for (const auto& observer : observers_) {
      try {
        call(*observer);
      } catch (...) {
        // Documented: dropped.
      }
    }
  }

  std::vector<std::shared_ptr<DeliveryObserver>> observers_;
};

}  // namespace

std::shared_ptr<DeliveryObserver> observe_all(
    std::vector<std::shared_ptr<DeliveryObserver>> observers) {
  std::vector<std::shared_ptr<DeliveryObserver>> kept;
  for (auto& observer : observers)
    if (observer) kept.push_back(std::move(observer));
  return std::make_shared<AllObservers>(std::move(kept));
}

}  // namespace chathooks::delivery
