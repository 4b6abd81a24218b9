// The peers of the async_fanout example, on 127.0.0.1: three Boticario receivers built with the
// SDK (signatures verified, retries deduplicated) that behave differently, and one endpoint that
// hangs. Each runs its own cpp-httplib server, so one peer's threads never wait on another's.
//   steady  acknowledges each status event at once;
//   flaky   answers the first attempt of every event with 503 and `Retry-After: 0`, then
//           acknowledges the retry (a receiver shedding load, or restarting);
//   slow    takes kSlowWork per event (a receiver doing real work, e.g. a database write);
//   hung    accepts each request and answers nothing until the example lets go: the requests
//           the sender cancels. It never hands them to a receiver, so they are never handled.
// The Ledger counts what the receivers handled, by `event.messageId`, for the final check.
// Thread-safety: the handlers run on the servers' threads and take the Ledger's and the Gate's
// locks; construct, start and destroy LoopbackReceivers from one thread.
#pragma once

#include <chrono>
#include <condition_variable>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <variant>

#include "chathooks/boticario/receiver.hpp"
#include "chathooks/httplib/background_server.hpp"
#include "chathooks/httplib/receiver.hpp"
#include "chathooks/receiver/authenticator.hpp"
#include "chathooks/signing/verifier.hpp"

namespace async_fanout {

namespace httplib_adapter = chathooks::httplib_adapter;

/// What each receiver handled, by event id; and which webhook-ids the flaky one has seen.
class Ledger {
 public:
  /// Records that the handler acknowledged the event `id`.
  void handled(const std::string& id) {
    std::lock_guard<std::mutex> lock(mutex_);
    ++handled_[id];
  }
  /// True the first time `webhook_id` is seen (the id is the same on every attempt).
  bool first_attempt(const std::string& webhook_id) {
    std::lock_guard<std::mutex> lock(mutex_);
    return seen_.insert(webhook_id).second;
  }
  /// How many times the event `id` was handled.
  int times_handled(const std::string& id) const {
    std::lock_guard<std::mutex> lock(mutex_);
    const auto it = handled_.find(id);
    return it == handled_.end() ? 0 : it->second;
  }
  /// How many events were handled, repeats included.
  int total() const {
    std::lock_guard<std::mutex> lock(mutex_);
    int sum = 0;
    for (const auto& entry : handled_) sum += entry.second;
    return sum;
  }

 private:
  mutable std::mutex mutex_;
  std::map<std::string, int> handled_;
  std::set<std::string> seen_;
};

/// Holds the hung endpoint's requests until opened; tells the sender how many it holds.
class Gate {
 public:
  /// Called by each request: waits until open (at most `limit`, so a mistake cannot hang the
  /// program).
  void hold(std::chrono::seconds limit) {
    std::unique_lock<std::mutex> lock(mutex_);
    ++held_;
    changed_.notify_all();
    changed_.wait_for(lock, limit, [this] { return open_; });
  }
  /// Waits until `count` requests are held; false if that takes longer than `limit`.
  bool wait_held(int count, std::chrono::seconds limit) {
    std::unique_lock<std::mutex> lock(mutex_);
    return changed_.wait_for(lock, limit, [&] { return held_ >= count; });
  }
  /// Lets every request go, now and later.
  void open() {
    std::lock_guard<std::mutex> lock(mutex_);
    open_ = true;
    changed_.notify_all();
  }

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
  int held_ = 0;
  bool open_ = false;
};

/// How long the slow receiver works on each event.
inline constexpr std::chrono::milliseconds kSlowWork{20};

enum class Behaviour { steady, flaky, slow };

/// A Boticario receiver that verifies signatures and records each status event in `ledger`.
inline chathooks::Result<chathooks::receiver::Receiver> make_receiver(
    const chathooks::signing::Verifier& verifier, Ledger& ledger, Behaviour behaviour) {
  using namespace chathooks;
  receiver::ReceiverOptions options;
  options.authenticator = receiver::standard_webhooks(verifier);
  return boticario::make_receiver(
      [&ledger, behaviour](const boticario::Event& event,
                           const receiver::Delivery& delivery) -> receiver::HandlerResult<void> {
        const auto* status = std::get_if<boticario::StatusEvent>(&event);
        const boticario::EventInfo* info = status ? status->event.get() : nullptr;
        if (info == nullptr || !info->message_id)
          return receiver::Refusal(422, "expected a status event with event.messageId");
        // A refused delivery is forgotten by the receiver's deduplication, so the retry (same
        // webhook-id) reaches this handler again.
        if (behaviour == Behaviour::flaky && ledger.first_attempt(delivery.webhook_id))
          return receiver::Refusal(503, "warming up", std::chrono::seconds(0));
        if (behaviour == Behaviour::slow) std::this_thread::sleep_for(kSlowWork);
        ledger.handled(*info->message_id);
        return {};
      },
      options);
}

/// The four peers, each on its own server and port.
class LoopbackReceivers {
 public:
  /// Starts the four servers; false (with the reason in `error`) if one cannot start.
  bool start(const chathooks::signing::Verifier& verifier, std::string& error) {
    const std::pair<httplib_adapter::BackgroundServer*, Behaviour> receivers[] = {
        {&steady_, Behaviour::steady}, {&flaky_, Behaviour::flaky}, {&slow_, Behaviour::slow}};
    for (const auto& [server, behaviour] : receivers) {
      auto receiver = make_receiver(verifier, ledger, behaviour);
      if (!receiver) return error = receiver.error().to_string(), false;
      httplib_adapter::mount(server->server(), "/events", *receiver);
    }
    hung_.server().Post("/events", [this](const httplib::Request&, httplib::Response& out) {
      gate.hold(std::chrono::seconds(30));
      out.status = 503;  // Long after the sender gave up on it.
    });
    for (auto* server : {&steady_, &flaky_, &slow_, &hung_}) {
      if (!server->start("127.0.0.1", 0, std::chrono::seconds(30)))
        return error = "cannot listen on 127.0.0.1", false;
    }
    return true;
  }
  // The hung server's threads wait at the gate, and stopping a server waits for its threads:
  // open it before the servers (members declared after it) are stopped.
  ~LoopbackReceivers() { gate.open(); }

  std::string steady_url() const { return steady_.url("/events"); }
  std::string flaky_url() const { return flaky_.url("/events"); }
  std::string slow_url() const { return slow_.url("/events"); }
  std::string hung_url() const { return hung_.url("/events"); }

  /// What the receivers handled.
  Ledger ledger;
  /// The hung endpoint's requests.
  Gate gate;

 private:
  httplib_adapter::BackgroundServer steady_, flaky_, slow_, hung_;
};

}  // namespace async_fanout
