// ReceiverObserver's destructor and observe_all().
#include "chathooks/receiver/observer.hpp"

#include <utility>

namespace chathooks::receiver {

ReceiverObserver::~ReceiverObserver() = default;

namespace {

// Calls each observer in turn; one that throws does not keep the others from the event.
class AllObservers final : public ReceiverObserver {
 public:
  explicit AllObservers(std::vector<std::shared_ptr<ReceiverObserver>> observers)
      : observers_(std::move(observers)) {}

  void on_request(const RequestEvent& event) override {
    for (const auto& observer : observers_) {
      try {
        observer->on_request(event);
      } catch (...) {
        // Documented: dropped.
      }
    }
  }

 private:
  std::vector<std::shared_ptr<ReceiverObserver>> observers_;
};

}  // namespace

std::shared_ptr<ReceiverObserver> observe_all(
    std::vector<std::shared_ptr<ReceiverObserver>> observers) {
  std::vector<std::shared_ptr<ReceiverObserver>> kept;
  for (auto& observer : observers)
    if (observer) kept.push_back(std::move(observer));
  return std::make_shared<AllObservers>(std::move(kept));
}

}  // namespace chathooks::receiver
