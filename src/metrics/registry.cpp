// Registry: the observers record each event into one series of a table (in this thread's shard
// of it), keyed by the event's full label set: an attempt by protocol, host, method, status and
// error type; a request by protocol, status and disposition. snapshot() folds those series into
// the families (the attempts and retries counters are sums over the attempt series, the dedupe
// hits over the request series, ...). So an event costs one map search under its shard's mutex
// (string views compared against the stored keys: nothing formatted, nothing allocated once the
// label set is known) and a few relaxed atomic additions. Series are never removed, so a
// reference to one stays valid after the mutex is released.
#include "chathooks/metrics/registry.hpp"

#include <algorithm>
#include <array>
#include <atomic>
#include <charconv>
#include <chrono>
#include <cmath>
#include <map>
#include <mutex>
#include <set>
#include <tuple>
#include <utility>

namespace chathooks::metrics {
namespace {

// What a label is reduced to when its value is outside the bounded set (OpenTelemetry's word).
constexpr std::string_view kOther = "_OTHER";

constexpr const char* kProtocol = "chathooks.protocol";
constexpr const char* kServerAddress = "server.address";
constexpr const char* kMethod = "http.request.method";
constexpr const char* kStatus = "http.response.status_code";
constexpr const char* kErrorType = "error.type";
constexpr const char* kOutcome = "outcome";
constexpr const char* kDisposition = "disposition";

constexpr const char* kClientDuration = "http.client.request.duration";
constexpr const char* kDeliveries = "chathooks.deliveries";
constexpr const char* kAttempts = "chathooks.delivery.attempts";
constexpr const char* kRetries = "chathooks.delivery.retries";
constexpr const char* kServerDuration = "http.server.request.duration";
constexpr const char* kReplies = "chathooks.receiver.replies";
constexpr const char* kDedupeHits = "chathooks.receiver.dedupe_hits";
constexpr const char* kConflicts = "chathooks.receiver.conflicts";
constexpr const char* kDecodeWarnings = "chathooks.receiver.decode_warnings";
constexpr const char* kHandlerDuration = "chathooks.receiver.handler.duration";

constexpr std::array<const char*, 10> kBuiltinNames{
    kClientDuration, kDeliveries, kAttempts,  kRetries,        kServerDuration,
    kReplies,        kDedupeHits, kConflicts, kDecodeWarnings, kHandlerDuration};

// The methods HTTP defines (RFC 9110 and PATCH): OpenTelemetry's known methods.
std::string_view known_method(std::string_view method) noexcept {
  static constexpr std::array<std::string_view, 9> kKnown{
      "CONNECT", "DELETE", "GET", "HEAD", "OPTIONS", "PATCH", "POST", "PUT", "TRACE"};
  for (const auto known : kKnown)
    if (method == known) return known;
  return kOther;
}

// A status code as label text, without allocating: "503", or "_OTHER" outside 100-599.
class StatusText {
 public:
  explicit StatusText(int status) noexcept {
    if (status < 100 || status > 599) {
      view_ = kOther;
      return;
    }
    const auto end = std::to_chars(buffer_.data(), buffer_.data() + buffer_.size(), status).ptr;
    view_ = std::string_view(buffer_.data(), static_cast<std::size_t>(end - buffer_.data()));
  }
  StatusText(const StatusText&) = delete;
  StatusText& operator=(const StatusText&) = delete;
  std::string_view view() const noexcept { return view_; }

 private:
  std::array<char, 4> buffer_{};
  std::string_view view_;
};

std::uint64_t load(const std::atomic<std::uint64_t>& value) noexcept {
  return value.load(std::memory_order_relaxed);
}
void add(std::atomic<std::uint64_t>& value, std::uint64_t n) noexcept {
  value.fetch_add(n, std::memory_order_relaxed);
}

// A histogram's totals, summed over series at snapshot time.
struct HistogramTotal {
  std::vector<std::uint64_t> buckets;
  std::uint64_t sum_ns = 0;

  std::uint64_t count() const noexcept {
    std::uint64_t n = 0;
    for (const auto b : buckets) n += b;
    return n;
  }
  HistogramTotal& operator+=(const HistogramTotal& other) {
    buckets.resize(std::max(buckets.size(), other.buckets.size()), 0);
    for (std::size_t i = 0; i < other.buckets.size(); ++i) buckets[i] += other.buckets[i];
    sum_ns += other.sum_ns;
    return *this;
  }
};

// One series of a duration histogram: lock-free buckets (not cumulative) and the sum in
// nanoseconds, so that a value equal to a bound lands in that bound's bucket exactly.
class Histogram {
 public:
  explicit Histogram(const std::vector<std::int64_t>& bounds_ns)
      : bounds_ns_(&bounds_ns), buckets_(new std::atomic<std::uint64_t>[bounds_ns.size() + 1]) {
    for (std::size_t i = 0; i <= bounds_ns.size(); ++i) buckets_[i].store(0);
  }

  void observe(std::chrono::nanoseconds elapsed) noexcept {
    const std::int64_t ns = std::max<std::int64_t>(0, static_cast<std::int64_t>(elapsed.count()));
    const auto at = std::lower_bound(bounds_ns_->begin(), bounds_ns_->end(), ns);
    add(buckets_[static_cast<std::size_t>(at - bounds_ns_->begin())], 1);
    add(sum_ns_, static_cast<std::uint64_t>(ns));
  }

  HistogramTotal read() const {
    HistogramTotal total;
    total.buckets.resize(bounds_ns_->size() + 1, 0);
    for (std::size_t i = 0; i < total.buckets.size(); ++i) total.buckets[i] = load(buckets_[i]);
    total.sum_ns = load(sum_ns_);
    return total;
  }

 private:
  const std::vector<std::int64_t>* bounds_ns_;
  std::unique_ptr<std::atomic<std::uint64_t>[]> buckets_;
  std::atomic<std::uint64_t> sum_ns_{0};
};

template <std::size_t N>
using KeyView = std::array<std::string_view, N>;
template <std::size_t N>
using Key = std::array<std::string, N>;

// Orders stored keys and looked-up views alike, so that a lookup allocates nothing.
struct KeyLess {
  using is_transparent = void;
  template <class A, class B>
  bool operator()(const A& a, const B& b) const noexcept {
    return std::lexicographical_compare(
        a.begin(), a.end(), b.begin(), b.end(),
        [](std::string_view x, std::string_view y) { return x < y; });
  }
};

// Which shard of a Table this thread uses: threads are numbered in the order they first record.
std::size_t this_thread_shard() noexcept {
  static std::atomic<std::size_t> next{0};
  thread_local const std::size_t index = next.fetch_add(1, std::memory_order_relaxed);
  return index;
}

// Series keyed by N label values, added on first use and never removed. Sharded by thread, so
// that threads recording at once seldom wait for one another's mutex nor share the cache lines
// of their counters; a snapshot sums the shards' series of the same key (the folds do).
template <std::size_t N, class Series>
class Table {
 public:
  // The series of `key` in this thread's shard, made from `args` when new; before a new series
  // is added, `admit` may rewrite the key's values (to bound their number).
  template <class Admit, class... Args>
  Series& at(KeyView<N> key, const Admit& admit, const Args&... args) {
    Shard& shard = shards_[this_thread_shard() % kShards];
    std::lock_guard<std::mutex> lock(shard.mutex);
    auto it = shard.series.find(key);
    if (it != shard.series.end()) return it->second;
    admit(key);
    it = shard.series.find(key);
    if (it != shard.series.end()) return it->second;
    Key<N> stored;
    for (std::size_t i = 0; i < N; ++i) stored[i] = std::string(key[i]);
    return shard.series
        .emplace(std::piecewise_construct, std::forward_as_tuple(std::move(stored)),
                 std::forward_as_tuple(args...))
        .first->second;
  }

  // Calls `visit(key, series)` for every series of every shard (a key may come once a shard).
  template <class Visit>
  void each(const Visit& visit) const {
    for (const Shard& shard : shards_) {
      std::lock_guard<std::mutex> lock(shard.mutex);
      for (const auto& [key, series] : shard.series) visit(key, series);
    }
  }

 private:
  static constexpr std::size_t kShards = 16;
  struct alignas(64) Shard {
    mutable std::mutex mutex;
    std::map<Key<N>, Series, KeyLess> series;
  };
  std::array<Shard, kShards> shards_;
};

// Admits every new key as it is (labels bounded by construction).
constexpr auto keep_all = [](auto&) {};

// The first `max` distinct hosts; later ones are "_OTHER".
class HostSet {
 public:
  explicit HostSet(std::size_t max) : max_(max) {}
  std::string_view admit(std::string_view host) {
    if (host.empty()) return host;
    std::lock_guard<std::mutex> lock(mutex_);
    if (hosts_.find(host) != hosts_.end()) return host;
    if (hosts_.size() >= max_) return kOther;
    hosts_.emplace(host);
    return host;
  }

 private:
  const std::size_t max_;
  std::mutex mutex_;
  std::set<std::string, std::less<>> hosts_;
};

// protocol, server.address, http.request.method, http.response.status_code, error.type.
struct AttemptSeries {
  explicit AttemptSeries(const std::vector<std::int64_t>& bounds_ns) : duration(bounds_ns) {}
  Histogram duration;
  std::atomic<std::uint64_t> retries{0};
};
// protocol, server.address, outcome, error.type.
struct DeliverySeries {
  std::atomic<std::uint64_t> count{0};
};
// protocol, http.response.status_code, disposition.
struct RequestSeries {
  explicit RequestSeries(const std::vector<std::int64_t>& bounds_ns)
      : total(bounds_ns), handler(bounds_ns) {}
  Histogram total;
  Histogram handler;
  std::atomic<std::uint64_t> replies{0};
  std::atomic<std::uint64_t> warnings{0};
};

// A label set from (name, value) pairs, leaving out those without a value.
Labels labels_of(std::initializer_list<std::pair<const char*, std::string_view>> pairs) {
  Labels labels;
  for (const auto& [name, value] : pairs)
    if (!value.empty()) labels.emplace_back(name, std::string(value));
  return labels;
}

Family family(const char* name, const char* unit, const char* help, Kind kind) {
  Family f;
  f.name = name;
  f.unit = unit;
  f.help = help;
  f.kind = kind;
  return f;
}

template <class Totals>
void add_counters(Family& f, const Totals& totals) {
  for (const auto& [labels, n] : totals) {
    Sample s;
    s.labels = labels;
    s.value = static_cast<double>(n);
    f.samples.push_back(std::move(s));
  }
}

// Histogram samples; label sets that saw no observation are left out.
void add_histograms(Family& f, const std::vector<double>& bounds,
                    const std::map<Labels, HistogramTotal>& totals) {
  f.bounds = bounds;
  for (const auto& [labels, total] : totals) {
    Sample s;
    s.labels = labels;
    s.count = total.count();
    if (s.count == 0) continue;
    s.value = static_cast<double>(s.count);
    s.bucket_counts = total.buckets;
    s.sum = static_cast<double>(total.sum_ns) / 1e9;
    f.samples.push_back(std::move(s));
  }
}

bool valid_gauge_name(std::string_view name) noexcept {
  if (name.empty() || (name[0] >= '0' && name[0] <= '9')) return false;
  for (const char c : name) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '_' || c == '.';
    if (!ok) return false;
  }
  return true;
}

std::string underscored(std::string_view name) {
  std::string out(name);
  std::replace(out.begin(), out.end(), '.', '_');
  return out;
}

struct Gauge {
  std::string name;
  std::string help;
  std::function<std::vector<GaugeValue>()> read;
};

}  // namespace

std::string_view to_string(Kind kind) noexcept {
  switch (kind) {
    case Kind::counter:
      return "counter";
    case Kind::gauge:
      return "gauge";
    case Kind::histogram:
      return "histogram";
  }
  return "counter";
}

struct Registry::Impl {
  explicit Impl(RegistryOptions options)
      : hosts(std::max<std::size_t>(1, options.max_server_addresses)) {
    for (const double b : options.duration_buckets)
      if (std::isfinite(b) && b >= 0) bounds_ns.push_back(std::llround(b * 1e9));
    std::sort(bounds_ns.begin(), bounds_ns.end());
    bounds_ns.erase(std::unique(bounds_ns.begin(), bounds_ns.end()), bounds_ns.end());
    for (const auto ns : bounds_ns) bounds.push_back(static_cast<double>(ns) / 1e9);
  }

  std::vector<std::int64_t> bounds_ns;
  std::vector<double> bounds;
  HostSet hosts;
  Table<5, AttemptSeries> attempts;
  Table<4, DeliverySeries> deliveries;
  Table<3, RequestSeries> requests;
  mutable std::mutex gauges_mutex;
  std::vector<std::shared_ptr<const Gauge>> gauges;

  // Rewrites a new key's server.address (at `index`) to a bounded one.
  auto admit_host(std::size_t index) {
    return [this, index](auto& key) { key[index] = hosts.admit(key[index]); };
  }

  void record(const delivery::AttemptEnd& event) {
    const auto& a = event.attempt;
    const StatusText status(a.status.value_or(0));
    std::string_view error_type;
    if (a.error)
      error_type = chathooks::to_string(a.error->code());
    else if (a.status && *a.status >= 400)
      error_type = status.view();
    const KeyView<5> key{event.delivery.protocol, event.delivery.host,
                         known_method(event.delivery.method), a.status ? status.view() : "",
                         error_type};
    auto& series = attempts.at(key, admit_host(1), bounds_ns);
    series.duration.observe(event.elapsed);
    if (event.next_delay) add(series.retries, 1);
  }

  void record(const delivery::DeliveryEnd& event) {
    std::string_view outcome = "delivered";
    std::string_view error_type;
    if (event.error) {
      outcome = event.error->code() == Errc::cancelled ? "cancelled" : "failed";
      error_type = chathooks::to_string(event.error->code());
    }
    const KeyView<4> key{event.delivery.protocol, event.delivery.host, outcome, error_type};
    add(deliveries.at(key, admit_host(1)).count, 1);
  }

  void record(const receiver::RequestEvent& event) {
    const StatusText status(event.reply.response.status);
    const KeyView<3> key{event.protocol, status.view(),
                         receiver::to_string(event.reply.disposition)};
    auto& series = requests.at(key, keep_all, bounds_ns);
    add(series.replies, 1);
    if (!event.reply.warnings.empty()) add(series.warnings, event.reply.warnings.size());
    if (event.total_time.count() > 0) series.total.observe(event.total_time);
    if (event.handler_time.count() > 0) series.handler.observe(event.handler_time);
  }

  void fold_deliveries(std::vector<Family>& out) const {
    std::map<Labels, HistogramTotal> durations;
    std::map<Labels, std::uint64_t> attempt_counts;
    std::map<Labels, std::uint64_t> retry_counts;
    attempts.each([&](const Key<5>& k, const AttemptSeries& s) {
      const HistogramTotal own = s.duration.read();
      durations[labels_of({{kProtocol, k[0]},
                           {kServerAddress, k[1]},
                           {kMethod, k[2]},
                           {kStatus, k[3]},
                           {kErrorType, k[4]}})] += own;
      const auto by_host = labels_of({{kProtocol, k[0]}, {kServerAddress, k[1]}});
      attempt_counts[by_host] += own.count();
      retry_counts[by_host] += load(s.retries);
    });
    std::map<Labels, std::uint64_t> delivery_counts;
    deliveries.each([&](const Key<4>& k, const DeliverySeries& s) {
      delivery_counts[labels_of(
          {{kProtocol, k[0]}, {kServerAddress, k[1]}, {kOutcome, k[2]}, {kErrorType, k[3]}})] +=
          load(s.count);
    });

    out.push_back(family(kClientDuration, "s",
                         "Duration of delivery attempts, from handing the request to the "
                         "transport to its outcome.",
                         Kind::histogram));
    add_histograms(out.back(), bounds, durations);
    out.push_back(family(kDeliveries, "", "Deliveries ended, by outcome.", Kind::counter));
    add_counters(out.back(), delivery_counts);
    out.push_back(family(kAttempts, "", "Delivery attempts ended.", Kind::counter));
    add_counters(out.back(), attempt_counts);
    out.push_back(
        family(kRetries, "", "Delivery attempts followed by another attempt.", Kind::counter));
    add_counters(out.back(), retry_counts);
  }

  void fold_requests(std::vector<Family>& out) const {
    std::map<Labels, HistogramTotal> totals;
    std::map<Labels, HistogramTotal> handlers;
    std::map<Labels, std::uint64_t> replies;
    std::map<Labels, std::uint64_t> dedupe_hits;
    std::map<Labels, std::uint64_t> conflicts;
    std::map<Labels, std::uint64_t> warnings;
    requests.each([&](const Key<3>& k, const RequestSeries& s) {
      const auto n = load(s.replies);
      replies[labels_of({{kProtocol, k[0]}, {kStatus, k[1]}, {kDisposition, k[2]}})] += n;
      totals[labels_of({{kProtocol, k[0]}, {kStatus, k[1]}})] += s.total.read();
      handlers[labels_of({{kProtocol, k[0]}, {kDisposition, k[2]}})] += s.handler.read();
      const auto by_protocol = labels_of({{kProtocol, k[0]}});
      dedupe_hits[by_protocol] +=
          k[2] == receiver::to_string(receiver::Disposition::duplicate) ? n : 0;
      conflicts[by_protocol] +=
          k[2] == receiver::to_string(receiver::Disposition::conflict) ? n : 0;
      warnings[by_protocol] += load(s.warnings);
    });

    out.push_back(family(kServerDuration, "s",
                         "Duration of Receiver::handle(), the handler included.", Kind::histogram));
    add_histograms(out.back(), bounds, totals);
    out.push_back(family(kReplies, "", "Requests a receiver answered.", Kind::counter));
    add_counters(out.back(), replies);
    out.push_back(family(kDedupeHits, "",
                         "Requests answered as duplicates of a delivery already handled.",
                         Kind::counter));
    add_counters(out.back(), dedupe_hits);
    out.push_back(family(kConflicts, "",
                         "Requests whose idempotency key was seen before with another body.",
                         Kind::counter));
    add_counters(out.back(), conflicts);
    out.push_back(family(kDecodeWarnings, "",
                         "Payload members the tolerant decode kept as they came.", Kind::counter));
    add_counters(out.back(), warnings);
    out.push_back(
        family(kHandlerDuration, "s", "Time spent in the host's handler.", Kind::histogram));
    add_histograms(out.back(), bounds, handlers);
  }

  void read_gauges(std::vector<Family>& out) const {
    std::vector<std::shared_ptr<const Gauge>> all;
    {
      std::lock_guard<std::mutex> lock(gauges_mutex);
      all = gauges;
    }
    for (const auto& gauge : all) {
      Family f;
      f.name = gauge->name;
      f.help = gauge->help;
      f.kind = Kind::gauge;
      try {
        for (auto& v : gauge->read()) {
          Sample s;
          s.labels = std::move(v.labels);
          s.value = v.value;
          f.samples.push_back(std::move(s));
        }
      } catch (...) {
        f.samples.clear();  // Documented: a gauge that throws has no samples.
      }
      std::sort(f.samples.begin(), f.samples.end(),
                [](const Sample& a, const Sample& b) { return a.labels < b.labels; });
      out.push_back(std::move(f));
    }
  }

  class DeliveryFeed;
  class RequestFeed;
};

class Registry::Impl::DeliveryFeed final : public delivery::DeliveryObserver {
 public:
  explicit DeliveryFeed(std::shared_ptr<Registry> registry) : registry_(std::move(registry)) {}
  void on_attempt_end(const delivery::AttemptEnd& event) override {
    registry_->impl_->record(event);
  }
  void on_delivery_end(const delivery::DeliveryEnd& event) override {
    registry_->impl_->record(event);
  }

 private:
  std::shared_ptr<Registry> registry_;
};

class Registry::Impl::RequestFeed final : public receiver::ReceiverObserver {
 public:
  explicit RequestFeed(std::shared_ptr<Registry> registry) : registry_(std::move(registry)) {}
  void on_request(const receiver::RequestEvent& event) override { registry_->impl_->record(event); }

 private:
  std::shared_ptr<Registry> registry_;
};

Registry::Registry(RegistryOptions options) : impl_(std::make_unique<Impl>(std::move(options))) {}
Registry::~Registry() = default;

std::shared_ptr<Registry> Registry::create(RegistryOptions options) {
  return std::shared_ptr<Registry>(new Registry(std::move(options)));
}

std::shared_ptr<delivery::DeliveryObserver> Registry::delivery_observer() {
  return std::make_shared<Impl::DeliveryFeed>(shared_from_this());
}

std::shared_ptr<receiver::ReceiverObserver> Registry::receiver_observer() {
  return std::make_shared<Impl::RequestFeed>(shared_from_this());
}

Result<void> Registry::add_gauge(std::string name, std::string help,
                                 std::function<std::vector<GaugeValue>()> read) {
  if (!valid_gauge_name(name))
    return Error(Errc::invalid_argument,
                 "gauge name \"" + name + "\" is not letters, digits, '_' and '.'");
  if (!read) return Error(Errc::invalid_argument, "gauge " + name + " has no read function");
  const auto exported = underscored(name);
  std::lock_guard<std::mutex> lock(impl_->gauges_mutex);
  bool taken = std::any_of(kBuiltinNames.begin(), kBuiltinNames.end(),
                           [&](const char* b) { return underscored(b) == exported; });
  for (const auto& gauge : impl_->gauges) taken = taken || underscored(gauge->name) == exported;
  if (taken) return Error(Errc::invalid_argument, "metric name " + name + " is already taken");
  impl_->gauges.push_back(
      std::make_shared<const Gauge>(Gauge{std::move(name), std::move(help), std::move(read)}));
  return {};
}

Snapshot Registry::snapshot() const {
  Snapshot snapshot;
  impl_->fold_deliveries(snapshot.families);
  impl_->fold_requests(snapshot.families);
  impl_->read_gauges(snapshot.families);
  std::sort(snapshot.families.begin(), snapshot.families.end(),
            [](const Family& a, const Family& b) { return a.name < b.name; });
  return snapshot;
}

}  // namespace chathooks::metrics
