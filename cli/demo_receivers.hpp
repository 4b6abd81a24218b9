// The receiving side of the demo: the SDK's receivers for the three protocols, each on its own
// loopback server and verifying Standard Webhooks signatures, with handlers that answer as a
// host would and record what they got (Observed). The Boticario server also has /flaky, an
// endpoint that answers 503 the first time and then hands requests to the same receiver.
// Thread-safety: Observed may be read from any thread while the handlers write it; Receivers is
// built, started and destroyed on one thread.
#pragma once

#include <chrono>
#include <cstddef>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "chathooks/error.hpp"
#include "chathooks/httplib/background_server.hpp"
#include "chathooks/receiver/request.hpp"

namespace chathooks_cli::demo {

/// One call of a receiver's handler.
struct HandlerCall {
  std::string protocol;    ///< "flw", "cliengo" or "boticario"
  std::string what;        ///< what the handler got, for the trace
  std::string webhook_id;  ///< the delivery's webhook-id
  bool authenticated = false;
};

/// One hit of the flaky endpoint.
struct FlakyHit {
  int status = 0;          ///< what it answered
  std::string webhook_id;  ///< the request's webhook-id
};

/// What the receiving side saw, in order.
class Observed {
 public:
  void add_call(HandlerCall call);
  void add_duplicate();
  void add_flaky_hit(FlakyHit hit);

  /// The handler calls from index `from` on.
  std::vector<HandlerCall> calls_since(std::size_t from) const;
  std::size_t call_count() const;
  /// Deliveries answered again without calling the handler (Disposition::duplicate).
  std::size_t duplicate_count() const;
  std::vector<FlakyHit> flaky_hits() const;

 private:
  mutable std::mutex mutex_;
  std::vector<HandlerCall> calls_;
  std::size_t duplicates_ = 0;
  std::vector<FlakyHit> flaky_hits_;
};

/// The three receivers on their servers. Destruction stops and joins the servers.
class Receivers {
 public:
  /// Builds the receivers, verifying with `secret`, and starts their servers. An Error when a
  /// receiver cannot be made or a server cannot listen within `limit`; whatever started is
  /// stopped again when the returned pointer (or the error path) lets go of it.
  static chathooks::Result<std::unique_ptr<Receivers>> start(const std::string& secret,
                                                             std::chrono::milliseconds limit);

  const Observed& observed() const noexcept { return observed_; }

  std::string flw_url() const { return flw_.url("/flw"); }
  std::string cliengo_url() const { return cliengo_.url("/cliengo"); }
  std::string boticario_url() const { return boticario_.url("/boticario"); }
  std::string flaky_url() const { return boticario_.url("/flaky"); }

  Receivers() = default;
  Receivers(const Receivers&) = delete;
  Receivers& operator=(const Receivers&) = delete;

 private:
  // Declared before the servers: the servers' threads use it until the servers are destroyed.
  Observed observed_;
  chathooks::httplib_adapter::BackgroundServer flw_;
  chathooks::httplib_adapter::BackgroundServer cliengo_;
  chathooks::httplib_adapter::BackgroundServer boticario_;
};

}  // namespace chathooks_cli::demo
