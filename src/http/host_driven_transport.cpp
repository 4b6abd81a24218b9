// HostDrivenCurlTransport: curl's multi-socket interface driven by the host's event loop.
//
// The window: curl is handed no more transfers than it may open connections for (per origin
// and in total; for an origin seen to multiplex, HTTP/2 or later, its streams per connection
// too); the rest wait here, per origin, and start in the order accepted as others finish.
// libcurl 7.88 keeps the transfers beyond its connection limits on a pending list that
// curl_multi_remove_handle walks, so handing it everything at once made each completion cost
// O(transfers waiting). A waiting transfer's total timeout runs from its acceptance (the wait
// for a slot counts, CurlTransportOptions::timeout): it starts with what is left of it, or ends
// with Errc::timeout while it waits.
//
// Three locks, never taken in the other order: drive_mutex (held while curl is driven and the
// callbacks of what that completes run: on_socket/on_timer, or a drain/shutdown/destructor
// cancelling; it owns the multi handle, `active`, the window and `watched`), then mutex (the queue
// handed from send_async/cancel to the driver, and the counters drain waits on), then timer_mutex
// (what the host's one timer is set to; HostLoop::set_timer is called under it, so the last
// call always reflects the last state).
#include "chathooks/http/host_driven_transport.hpp"

#include <curl/curl.h>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <unordered_map>
#include <utility>
#include <vector>

#include "core/callback_scope.hpp"
#include "http/curl_request.hpp"
#include "http/curl_share.hpp"
#include "http/easy_pool.hpp"
#include "http/multi_transfer.hpp"

namespace chathooks::http {

HostLoop::~HostLoop() = default;

struct HostDrivenCurlTransport::Key {};

struct HostDrivenCurlTransport::Impl : std::enable_shared_from_this<Impl> {
  using Transfer = detail::MultiTransfer;
  using Clock = std::chrono::steady_clock;

  Impl(std::shared_ptr<HostLoop> host_loop, CurlTransportOptions o)
      : options(std::move(o)),
        loop(std::move(host_loop)),
        share(std::make_shared<detail::CurlShare>()),
        pool(options.max_connections_total, options.max_connections_per_host,
             [this](CURL* easy) { return detail::configure_handle(easy, options, share->get()); }),
        multi(detail::make_multi(options)),
        usable(multi != nullptr) {
    if (multi == nullptr) return;
    curl_multi_setopt(multi, CURLMOPT_SOCKETFUNCTION, &Impl::on_curl_socket);
    curl_multi_setopt(multi, CURLMOPT_SOCKETDATA, static_cast<void*>(this));
    curl_multi_setopt(multi, CURLMOPT_TIMERFUNCTION, &Impl::on_curl_timer);
    curl_multi_setopt(multi, CURLMOPT_TIMERDATA, static_cast<void*>(this));
  }

  ~Impl() {
    // stop() ran (the public destructor) unless construction failed half-way.
    if (multi != nullptr) curl_multi_cleanup(multi);
  }
  Impl(const Impl&) = delete;
  Impl& operator=(const Impl&) = delete;

  // --- Any thread -------------------------------------------------------------------------

  TransferHandle send_async(HttpRequest request, HttpCallback callback) {
    std::string origin;
    if (auto error = detail::check_async_request(request, options, usable, &origin)) {
      refuse(std::move(callback), std::move(*error));
      return TransferHandle();
    }
    auto transfer = std::make_unique<Transfer>(std::move(request), std::move(callback), options);
    transfer->origin = std::move(origin);
    std::optional<Error> refusal;
    std::uint64_t id = 0;
    {
      std::lock_guard<std::mutex> lock(mutex);
      if (stopping || closed) {
        refusal = detail::cancelled_error();
      } else if (outstanding >= std::max<std::size_t>(options.max_queued, 1)) {
        refusal = detail::queue_full_error(options);
      } else {
        id = next_id++;
        transfer->id = id;
        incoming.push_back(std::move(transfer));
        ++outstanding;
        ++unfinished;
      }
    }
    if (refusal) {
      refuse(std::move(transfer->callback), std::move(*refusal));
      return TransferHandle();
    }
    request_wake();
    return TransferHandle([weak = weak_from_this(), id] {
      if (auto impl = weak.lock()) impl->cancel(id);
    });
  }

  void cancel(std::uint64_t id) {
    {
      std::lock_guard<std::mutex> lock(mutex);
      if (stopping) return;  // The destructor cancels everything anyway.
      cancels.push_back(id);
    }
    request_wake();
  }

  std::size_t pending() const {
    std::lock_guard<std::mutex> lock(mutex);
    return unfinished;
  }

  std::size_t drain(Clock::time_point deadline) {
    const auto me = std::this_thread::get_id();
    {
      std::unique_lock<std::mutex> lock(mutex);
      closed = true;  // From now on send_async() refuses.
      if (driving.load() == me) {
        // Inside a callback this thread runs while driving: the driver cancels the rest right
        // after the callback returns.
        cancel_requested = true;
        return unfinished > 0 ? unfinished - 1 : 0;
      }
      // The loop's own thread cannot wait: the transfers need it to progress.
      const bool wait = !chathooks::detail::in_callback() && loop_thread.load() != me;
      if (wait) finished.wait_until(lock, deadline, [&] { return unfinished == 0; });
      if (unfinished == 0) return 0;
    }
    std::lock_guard<std::mutex> drive_lock(drive_mutex);  // After the loop's current turn.
    const auto cancelled = cancel_all();
    sync_timer(false);
    return cancelled;
  }

  // --- The loop's thread --------------------------------------------------------------------

  void drive(curl_socket_t fd, int mask, bool timer_fired) {
    std::lock_guard<std::mutex> drive_lock(drive_mutex);
    const Driving driving_scope(*this, true);
    if (timer_fired) {
      std::lock_guard<std::mutex> lock(timer_mutex);
      armed.reset();  // The host's timer is one-shot: it is disarmed now.
    }
    wake.store(false);  // Whatever asked for it is in the queue, taken below.
    take_queue();
    if (timer_fired) expire_waiting();
    if (!cancel_wanted() && multi != nullptr) {
      int running = 0;
      curl_multi_socket_action(multi, fd, mask, &running);
      // What finishes frees room in the window: start the next waiting transfers, and let curl
      // begin them now (their timers are due at once) rather than on the loop's next turn.
      while (finish_transfers() && !cancel_wanted() && fill_window()) {
        curl_multi_socket_action(multi, CURL_SOCKET_TIMEOUT, 0, &running);
      }
    }
    if (cancel_wanted()) cancel_all();
    // After a timer, ask curl for its deadline: the timer callback only tells of changes.
    sync_timer(timer_fired);
  }

  // --- Destruction --------------------------------------------------------------------------

  void stop() {
    {
      std::lock_guard<std::mutex> lock(mutex);
      stopping = true;
      closed = true;
    }
    std::lock_guard<std::mutex> drive_lock(drive_mutex);
    cancel_all();
    if (multi != nullptr) {
      // Closes the cached connections; curl may say REMOVE for their sockets.
      curl_multi_cleanup(multi);
      multi = nullptr;
    }
    for (const int fd : watched) loop->watch(fd, false, false);
    watched.clear();
    std::lock_guard<std::mutex> lock(timer_mutex);
    wake.store(false);
    curl_deadline.reset();
    armed.reset();
    loop->set_timer(std::nullopt);
  }

  // --- Internals ----------------------------------------------------------------------------

  /// Marks the thread that holds drive_mutex and runs callbacks (a drain() there must not
  /// wait for the lock it holds); `loop` also records it as the loop's thread.
  class Driving {
   public:
    Driving(Impl& impl, bool loop) : impl_(impl), previous_(impl.driving.load()) {
      const auto me = std::this_thread::get_id();
      impl_.driving.store(me);
      if (loop) impl_.loop_thread.store(me);
    }
    ~Driving() { impl_.driving.store(previous_); }
    Driving(const Driving&) = delete;
    Driving& operator=(const Driving&) = delete;

   private:
    Impl& impl_;
    std::thread::id previous_;
  };

  /// Reports a refusal at the next on_timer() (or in drain/shutdown/destruction).
  void refuse(HttpCallback callback, Error error) {
    {
      std::lock_guard<std::mutex> lock(mutex);
      ++unfinished;
      refused.emplace_back(std::move(callback), std::move(error));
    }
    request_wake();
  }

  /// Asks the host for a zero timer, unless that is already asked for. The queue is written
  /// before: the driver clears `wake` before it takes the queue.
  void request_wake() {
    if (wake.exchange(true)) return;
    std::lock_guard<std::mutex> lock(timer_mutex);
    apply_timer();
  }

  /// Sets the host's timer to what is wanted now (timer_mutex held): zero for a wake, else
  /// curl's deadline; skips the call when the timer is armed that way already, or to fire less
  /// than a millisecond earlier (never later: a late timer would hold transfers up).
  void apply_timer() {
    const auto now = Clock::now();
    const std::optional<Clock::time_point> want = wake.load() ? std::optional(now) : curl_deadline;
    if (want && armed) {
      if (*armed <= *want && *want - *armed < std::chrono::milliseconds(1)) return;
    } else if (!want && !armed) {
      return;
    }
    armed = want;
    if (!want) {
      loop->set_timer(std::nullopt);
      return;
    }
    // Rounded up: a timer that fires early finds nothing due and is armed again.
    auto after = std::chrono::ceil<std::chrono::milliseconds>(*want - now);
    loop->set_timer(std::max(after, std::chrono::milliseconds(0)));
  }

  /// After a turn (drive_mutex held): sets the host's timer to the earlier of curl's deadline
  /// and the first waiting transfer's timeout, if the timer callback changed the first or the
  /// window the second; with `query` (after a timer), asks curl_multi_timeout and sets it
  /// anyway.
  void sync_timer(bool query) {
    if (query && multi != nullptr) {
      curl_multi_timeout(multi, &curl_timeout_ms);
      curl_timer_changed = true;
    }
    const bool force = query || curl_timer_changed;
    if (curl_timer_changed) {
      curl_timer_changed = false;
      curl_due.reset();
      if (curl_timeout_ms >= 0) {
        curl_due = Clock::now() + std::chrono::milliseconds(curl_timeout_ms);
      }
    }
    auto due = curl_due;
    if (!waiting_deadlines.empty() && (!due || *waiting_deadlines.begin() < *due)) {
      due = *waiting_deadlines.begin();
    }
    if (!force && due == synced_due) return;
    synced_due = due;
    std::lock_guard<std::mutex> lock(timer_mutex);
    curl_deadline = due;
    apply_timer();
  }

  bool cancel_wanted() const { return cancel_requested.load() || stopping.load(); }

  /// Starts what send_async queued, applies cancellations, reports refusals (drive_mutex held).
  void take_queue() {
    // Buffers kept between turns: most turns find the queue empty and allocate nothing.
    auto& starting = starting_buffer;
    auto& cancelling = cancelling_buffer;
    std::vector<std::pair<HttpCallback, Error>> refusing;
    {
      std::lock_guard<std::mutex> lock(mutex);
      if (incoming.empty() && cancels.empty() && refused.empty()) return;
      starting.swap(incoming);
      cancelling.swap(cancels);
      refusing.swap(refused);
    }
    for (auto& transfer : starting) enqueue(std::move(transfer));
    starting.clear();
    for (const auto id : cancelling) {
      auto it = active.find(id);
      if (it == active.end()) {
        // Waiting in the window, or already completed: cancel() lost the race.
        if (auto waiting_transfer = take_waiting(id)) {
          complete(std::move(waiting_transfer), detail::cancelled_error());
        }
        continue;
      }
      auto transfer = std::move(it->second);
      active.erase(it);
      curl_multi_remove_handle(multi, transfer->easy);
      leave_window(*transfer);
      complete(std::move(transfer), detail::cancelled_error());
    }
    cancelling.clear();
    for (auto& [callback, error] : refusing) finish(std::move(callback), std::move(error), false);
    fill_window();
  }

  // --- The window (drive_mutex held) --------------------------------------------------------

  /// A transfer's origin: how many of its transfers curl has, and those waiting for room.
  struct Origin {
    std::deque<std::unique_ptr<Transfer>> waiting;
    std::size_t in_curl = 0;
    bool multiplexed = false;  // a transfer there completed over HTTP/2 or later
  };

  /// curl's default for CURLMOPT_MAX_CONCURRENT_STREAMS: streams on one multiplexed connection.
  static constexpr std::size_t kStreamsPerConnection = 100;

  std::size_t origin_window(const Origin& origin) const {
    const auto per_host = std::max<std::size_t>(options.max_connections_per_host, 1);
    return origin.multiplexed ? per_host * kStreamsPerConnection : per_host;
  }

  bool total_room() const {
    return in_total_window < std::max<std::size_t>(options.max_connections_total, 1);
  }

  /// Puts an accepted transfer in its origin's line; fill_window() starts it when there is room.
  void enqueue(std::unique_ptr<Transfer> transfer) {
    auto& origin = origins[transfer->origin];
    if (origin.waiting.empty()) ++origins_waiting;
    if (transfer->deadline) waiting_deadlines.insert(*transfer->deadline);
    origin.waiting.push_back(std::move(transfer));
  }

  /// Takes the first waiting transfer off its origin's line (`origin` named `key`).
  std::unique_ptr<Transfer> pop_waiting(const std::string& key, Origin& origin) {
    auto transfer = std::move(origin.waiting.front());
    origin.waiting.pop_front();
    unlisted(*transfer, key, origin);
    return transfer;
  }

  /// Bookkeeping for a transfer just taken off `origin`'s line (it may erase `origin`).
  void unlisted(const Transfer& transfer, const std::string& key, Origin& origin) {
    if (transfer.deadline) waiting_deadlines.erase(waiting_deadlines.find(*transfer.deadline));
    if (origin.waiting.empty()) {
      --origins_waiting;
      if (origin.in_curl == 0) origins.erase(key);
    }
  }

  /// Starts waiting transfers while the window has room, oldest first across origins. Returns
  /// whether it handed curl any.
  bool fill_window() {
    bool added = false;
    while (origins_waiting > 0) {
      // The origin whose first waiting transfer is the oldest among those with room. Scans the
      // origins, not the transfers.
      Origin* best = nullptr;
      const std::string* best_key = nullptr;
      for (auto& [key, origin] : origins) {
        if (origin.waiting.empty() || origin.in_curl >= origin_window(origin)) continue;
        if (!origin.multiplexed && !total_room()) continue;
        if (best == nullptr || origin.waiting.front()->id < best->waiting.front()->id) {
          best = &origin;
          best_key = &key;
        }
      }
      if (best == nullptr) break;
      const std::string key = *best_key;
      auto transfer = pop_waiting(key, *best);
      added = start(std::move(transfer)) || added;
    }
    return added;
  }

  /// Hands one transfer to curl, with what is left of its timeout. Returns whether it did.
  bool start(std::unique_ptr<Transfer> transfer) {
    const auto timeout = detail::time_left(*transfer);
    if (timeout && timeout->count() <= 0) {
      complete(std::move(transfer), detail::waited_too_long_error());
      return false;
    }
    auto added = detail::add_to_multi(multi, *transfer, options, share->get(), timeout);
    if (!added) {
      complete(std::move(transfer), added.error());
      return false;
    }
    auto& origin = origins[transfer->origin];
    ++origin.in_curl;
    transfer->in_total_window = !origin.multiplexed;
    if (transfer->in_total_window) ++in_total_window;
    const auto id = transfer->id;
    active.emplace(id, std::move(transfer));
    return true;
  }

  /// A transfer leaves curl (taken out of `multi`): its room in the window is free again.
  void leave_window(const Transfer& transfer) {
    if (transfer.in_total_window) --in_total_window;
    const auto it = origins.find(transfer.origin);
    if (it == origins.end()) return;
    if (transfer.easy != nullptr && !it->second.multiplexed) {
      long version = 0;
      if (curl_easy_getinfo(transfer.easy, CURLINFO_HTTP_VERSION, &version) == CURLE_OK &&
          version >= CURL_HTTP_VERSION_2_0) {
        it->second.multiplexed = true;
      }
    }
    if (--it->second.in_curl == 0 && it->second.waiting.empty()) origins.erase(it);
  }

  /// Completes what curl reports finished. Returns whether anything finished.
  bool finish_transfers() {
    auto done = detail::take_finished(multi, active);
    for (auto& entry : done) leave_window(*entry.first);
    for (auto& [transfer, result] : done) complete(std::move(transfer), std::move(result));
    return !done.empty();
  }

  /// The waiting transfer `id`, taken off its line; nullptr if none waits.
  std::unique_ptr<Transfer> take_waiting(std::uint64_t id) {
    if (origins_waiting == 0) return nullptr;
    for (auto& [key, origin] : origins) {
      for (auto it = origin.waiting.begin(); it != origin.waiting.end(); ++it) {
        if ((*it)->id != id) continue;
        auto transfer = std::move(*it);
        origin.waiting.erase(it);
        unlisted(*transfer, key, origin);
        return transfer;
      }
    }
    return nullptr;
  }

  /// Ends, with Errc::timeout, the waiting transfers whose total timeout has passed.
  void expire_waiting() {
    if (waiting_deadlines.empty() || *waiting_deadlines.begin() > Clock::now()) return;
    const auto now = Clock::now();
    std::vector<std::unique_ptr<Transfer>> expired;
    for (auto it = origins.begin(); it != origins.end();) {
      auto& origin = it->second;
      const bool had_waiting = !origin.waiting.empty();
      for (auto at = origin.waiting.begin(); at != origin.waiting.end();) {
        if ((*at)->deadline && *(*at)->deadline <= now) {
          waiting_deadlines.erase(waiting_deadlines.find(*(*at)->deadline));
          expired.push_back(std::move(*at));
          at = origin.waiting.erase(at);
        } else {
          ++at;
        }
      }
      if (had_waiting && origin.waiting.empty()) --origins_waiting;
      if (origin.waiting.empty() && origin.in_curl == 0) {
        it = origins.erase(it);
      } else {
        ++it;
      }
    }
    std::sort(expired.begin(), expired.end(),
              [](const auto& a, const auto& b) { return a->id < b->id; });
    for (auto& transfer : expired) complete(std::move(transfer), detail::waited_too_long_error());
  }

  /// Takes every waiting transfer off its line (to be cancelled), oldest first.
  std::vector<std::unique_ptr<Transfer>> take_all_waiting() {
    std::vector<std::unique_ptr<Transfer>> all;
    for (auto it = origins.begin(); it != origins.end();) {
      for (auto& transfer : it->second.waiting) all.push_back(std::move(transfer));
      it->second.waiting.clear();
      if (it->second.in_curl == 0) {
        it = origins.erase(it);
      } else {
        ++it;
      }
    }
    origins_waiting = 0;
    waiting_deadlines.clear();
    std::sort(all.begin(), all.end(), [](const auto& a, const auto& b) { return a->id < b->id; });
    return all;
  }

  /// Cancels everything accepted and reports every refusal owed, again until nothing is left
  /// (their callbacks may submit more, refused now). Returns how many it cancelled.
  /// drive_mutex held.
  std::size_t cancel_all() {
    const Driving driving_scope(*this, false);
    std::size_t count = 0;
    for (;;) {
      auto in_flight = multi != nullptr ? detail::take_all(multi, active)
                                        : std::vector<std::unique_ptr<Transfer>>();
      for (const auto& transfer : in_flight) leave_window(*transfer);
      auto waiting = take_all_waiting();
      std::deque<std::unique_ptr<Transfer>> queued;
      std::vector<std::pair<HttpCallback, Error>> refusing;
      {
        std::lock_guard<std::mutex> lock(mutex);
        queued.swap(incoming);
        refusing.swap(refused);
        cancels.clear();
        cancel_requested = false;
      }
      if (in_flight.empty() && waiting.empty() && queued.empty() && refusing.empty()) {
        return count;
      }
      count += in_flight.size() + waiting.size() + queued.size();
      for (auto& transfer : in_flight) complete(std::move(transfer), detail::cancelled_error());
      for (auto& transfer : waiting) complete(std::move(transfer), detail::cancelled_error());
      for (auto& transfer : queued) complete(std::move(transfer), detail::cancelled_error());
      for (auto& [callback, error] : refusing) finish(std::move(callback), std::move(error), false);
    }
  }

  void complete(std::unique_ptr<Transfer> transfer, Result<HttpResponse> result) {
    // Declared first, so it covers the callback's destruction too: what the callback captured
    // may be the last owner of something whose destructor drains (it must not wait here).
    const chathooks::detail::CallbackScope scope;
    HttpCallback callback = std::move(transfer->callback);
    transfer.reset();  // Frees the easy handle (already out of the multi handle).
    finish(std::move(callback), std::move(result), true);
  }

  /// Runs a callback and counts it finished; `accepted`: it held a max_queued slot.
  void finish(HttpCallback callback, Result<HttpResponse> result, bool accepted) {
    const chathooks::detail::CallbackScope scope;
    if (accepted) {
      std::lock_guard<std::mutex> lock(mutex);
      --outstanding;
    }
    detail::invoke_callback(callback, std::move(result));
    callback = nullptr;  // What it captured goes before drain() is told it ended.
    std::lock_guard<std::mutex> lock(mutex);
    if (--unfinished == 0) finished.notify_all();
  }

  static int on_curl_socket(CURL*, curl_socket_t fd, int what, void* self_pointer, void*) {
    auto& impl = *static_cast<Impl*>(self_pointer);
    const int socket = static_cast<int>(fd);
    const auto at = std::lower_bound(impl.watched.begin(), impl.watched.end(), socket);
    const bool known = at != impl.watched.end() && *at == socket;
    if (what == CURL_POLL_REMOVE) {
      if (known) impl.watched.erase(at);
      impl.loop->watch(socket, false, false);
      return 0;
    }
    if (!known) impl.watched.insert(at, socket);
    impl.loop->watch(socket, what == CURL_POLL_IN || what == CURL_POLL_INOUT,
                     what == CURL_POLL_OUT || what == CURL_POLL_INOUT);
    return 0;
  }

  static int on_curl_timer(CURLM*, long timeout_ms, void* self_pointer) {
    // Called inside curl calls, all made with drive_mutex held: recorded here, given to the
    // host when the turn ends (sync_timer).
    auto& impl = *static_cast<Impl*>(self_pointer);
    impl.curl_timeout_ms = timeout_ms;
    impl.curl_timer_changed = true;
    return 0;
  }

  const CurlTransportOptions options;
  const std::shared_ptr<HostLoop> loop;
  const std::shared_ptr<detail::CurlShare> share;
  detail::EasyPool pool;
  std::weak_ptr<HostDrivenCurlTransport> self;  // set by create(), then read only

  // drive_mutex: the multi handle and what is on it.
  std::mutex drive_mutex;
  CURLM* multi = nullptr;          // reset by stop()
  const bool usable;               // libcurl gave a multi handle (read by send_async on any thread)
  detail::ActiveTransfers active;  // the transfers on `multi`
  std::unordered_map<std::string, Origin> origins;  // with transfers in curl or waiting
  std::size_t origins_waiting = 0;                  // origins with transfers waiting
  std::size_t in_total_window = 0;  // transfers in curl counted against the total window
  std::multiset<Clock::time_point> waiting_deadlines;  // of the waiting transfers
  std::vector<int> watched;                     // the sockets the host watches for us, sorted
  long curl_timeout_ms = -1;                    // what the timer callback asked for last
  bool curl_timer_changed = false;              // since the host's timer was last set
  std::optional<Clock::time_point> curl_due;    // curl's deadline, from curl_timeout_ms
  std::optional<Clock::time_point> synced_due;  // what sync_timer last gave curl_deadline
  std::deque<std::unique_ptr<Transfer>> starting_buffer;
  std::vector<std::uint64_t> cancelling_buffer;

  // mutex: the queue handed to the driver, the counters.
  mutable std::mutex mutex;
  std::condition_variable finished;                     // unfinished reached 0
  std::deque<std::unique_ptr<Transfer>> incoming;       // accepted, not started
  std::vector<std::uint64_t> cancels;                   // cancel() asked, not applied
  std::vector<std::pair<HttpCallback, Error>> refused;  // refusals not reported yet
  std::size_t outstanding = 0;                          // accepted, not completed (max_queued)
  std::size_t unfinished = 0;                           // accepted or refused, callback not done
  std::uint64_t next_id = 1;
  bool closed = false;                         // drain() began: refuse
  std::atomic<bool> stopping{false};           // the destructor began
  std::atomic<bool> cancel_requested{false};   // a drain() from a callback while driving
  std::atomic<std::thread::id> driving{};      // holds drive_mutex and runs callbacks
  std::atomic<std::thread::id> loop_thread{};  // last to call on_socket()/on_timer()

  // timer_mutex: the host's timer.
  std::mutex timer_mutex;
  std::atomic<bool> wake{false};                   // a zero timer asked for the queue
  std::optional<Clock::time_point> curl_deadline;  // curl's or a waiting transfer's timeout
  std::optional<Clock::time_point> armed;          // what the host's timer is set to
};

std::shared_ptr<HostDrivenCurlTransport> HostDrivenCurlTransport::create(
    std::shared_ptr<HostLoop> loop, CurlTransportOptions options) {
  auto transport =
      std::make_shared<HostDrivenCurlTransport>(Key{}, std::move(loop), std::move(options));
  transport->impl_->self = transport;
  return transport;
}

HostDrivenCurlTransport::HostDrivenCurlTransport(const Key&, std::shared_ptr<HostLoop> loop,
                                                 CurlTransportOptions options)
    : impl_(std::make_shared<Impl>(std::move(loop), std::move(options))) {}

HostDrivenCurlTransport::~HostDrivenCurlTransport() { impl_->stop(); }

Result<HttpResponse> HostDrivenCurlTransport::send(const HttpRequest& request) {
  return detail::send_pooled(impl_->pool, request, impl_->options);
}

TransferHandle HostDrivenCurlTransport::send_async(HttpRequest request, HttpCallback callback) {
  return impl_->send_async(std::move(request), std::move(callback));
}

std::size_t HostDrivenCurlTransport::drain(std::chrono::steady_clock::time_point deadline) {
  // A callback this cancels may release the last reference: destroy after, not inside.
  const auto keep = impl_->self.lock();
  return impl_->drain(deadline);
}

void HostDrivenCurlTransport::on_socket(int fd, bool readable, bool writable, bool error) {
  const int mask = (readable ? CURL_CSELECT_IN : 0) | (writable ? CURL_CSELECT_OUT : 0) |
                   (error ? CURL_CSELECT_ERR : 0);
  // A callback may release the last reference: the destructor runs after this turn.
  const auto keep = impl_->self.lock();
  impl_->drive(static_cast<curl_socket_t>(fd), mask, false);
}

void HostDrivenCurlTransport::on_timer() {
  const auto keep = impl_->self.lock();
  impl_->drive(CURL_SOCKET_TIMEOUT, 0, true);
}

std::size_t HostDrivenCurlTransport::pending() const { return impl_->pending(); }

const CurlTransportOptions& HostDrivenCurlTransport::options() const noexcept {
  return impl_->options;
}

}  // namespace chathooks::http
