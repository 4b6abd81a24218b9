// Metrics of deliveries and receivers, in process: a Registry counts what its observers see
// (delivery_observer() for a Deliverer, a protocol client or an outbox Worker,
// receiver_observer() for a Receiver) and what its gauges read, and snapshot() hands it all back
// as plain values, which to_prometheus() writes in the Prometheus text format for a /metrics
// endpoint.
//
//   auto metrics = chathooks::metrics::Registry::create();
//   deliverer_options.observer = metrics->delivery_observer();
//   receiver_options.observer = metrics->receiver_observer();
//   ...
//   serve("/metrics", chathooks::metrics::kPrometheusContentType,
//         chathooks::metrics::to_prometheus(metrics->snapshot()));
//
// The metrics, named after the OpenTelemetry HTTP semantic conventions where one exists (label
// names in dotted OpenTelemetry form; to_prometheus() turns the dots into underscores):
//
//   http.client.request.duration (histogram, s): one observation per delivery attempt, from
//     handing the request to the transport to its outcome. Labels chathooks.protocol,
//     server.address, http.request.method, http.response.status_code (when the attempt got a
//     response), error.type (the Errc name of a transport error, or the status code for a
//     status >= 400).
//   chathooks.deliveries (counter): deliveries ended. Labels chathooks.protocol,
//     server.address, outcome (delivered, failed, cancelled), error.type (the Errc name, when
//     not delivered).
//   chathooks.delivery.attempts (counter): attempts ended. Labels chathooks.protocol,
//     server.address.
//   chathooks.delivery.retries (counter): attempts followed by another. Same labels.
//   http.server.request.duration (histogram, s): the time Receiver::handle() took, handler
//     included. Labels chathooks.protocol, http.response.status_code. Requests answered by
//     precheck() or incomplete_body() have no such time and are counted in
//     chathooks.receiver.replies only.
//   chathooks.receiver.replies (counter): requests answered. Labels chathooks.protocol,
//     http.response.status_code, disposition (receiver::to_string(Disposition)).
//   chathooks.receiver.dedupe_hits (counter): requests answered as duplicates. Label
//     chathooks.protocol.
//   chathooks.receiver.conflicts (counter): requests whose key was seen with another body.
//     Label chathooks.protocol.
//   chathooks.receiver.decode_warnings (counter): members the tolerant decode kept as they
//     came (Reply::warnings). Label chathooks.protocol.
//   chathooks.receiver.handler.duration (histogram, s): time in the host's handler, when it
//     ran. Labels chathooks.protocol, disposition.
//   plus the gauges added with add_gauge() (e.g. chathooks.outbox.depth, label state).
//
// Label cardinality is bounded: no label holds a message id, a URL, a path or a header value.
// The labels that come from a request are reduced to bounded sets: http.request.method to the
// methods HTTP defines (any other is "_OTHER", as OpenTelemetry says), status codes to 100-599
// (any other is "_OTHER"), and server.address to the first RegistryOptions::max_server_addresses
// distinct hosts seen (later ones are counted as "_OTHER"). chathooks.protocol is the
// protocol's name or DelivererOptions::label, chosen by code, not by data.
//
// Thread-safety: a Registry and its observers are thread-safe: any number of threads may feed
// the observers, call snapshot() and add_gauge() at once. An observer event costs a lookup of
// its label set in a short mutex-held map search (no formatting, no allocation once the label
// set has been seen) and a few relaxed atomic additions. Snapshot, Family and Sample are plain
// values; to_prometheus() is a pure function.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "chathooks/delivery/observer.hpp"
#include "chathooks/error.hpp"
#include "chathooks/export.hpp"
#include "chathooks/receiver/observer.hpp"

/// In-process metrics of deliveries and receivers (Registry) and their Prometheus text
/// (to_prometheus()).
namespace chathooks::metrics {

/// A label set: (name, value) pairs in a fixed order; names in dotted OpenTelemetry form.
using Labels = std::vector<std::pair<std::string, std::string>>;

/// What a metric family measures, as OpenTelemetry and Prometheus name the kinds.
enum class Kind {
  counter,    ///< A total that only grows (Prometheus `counter`, OpenTelemetry monotonic Sum).
  gauge,      ///< A value read when the snapshot is taken.
  histogram,  ///< A distribution of observations into fixed buckets, with sum and count.
};

/// "counter", "gauge" or "histogram".
CHATHOOKS_API std::string_view to_string(Kind kind) noexcept;

/// One series of a family: its labels and its value(s).
struct CHATHOOKS_API Sample {
  /// The labels, in the family's order; a label without a value (e.g. the status code of an
  /// attempt that got no response) is left out.
  Labels labels;
  /// The value of a counter or a gauge; for a histogram, the same as count.
  double value = 0;
  /// For a histogram: the number of observations in each bucket, NOT cumulative:
  /// bucket_counts[i] counts the observations v with bounds[i-1] < v <= bounds[i] (so a value
  /// equal to a bound is in that bound's bucket), and the last element (index bounds.size())
  /// those above the last bound. Empty for a counter or a gauge.
  std::vector<std::uint64_t> bucket_counts;
  /// For a histogram: the sum of the observations (seconds for the duration histograms).
  double sum = 0;
  /// For a histogram: the number of observations (the sum of bucket_counts).
  std::uint64_t count = 0;

  /// The value of the label named `name`, if the sample has it.
  std::optional<std::string_view> label(std::string_view name) const noexcept;
  /// Whether the sample's labels are exactly `labels`, in any order.
  bool has_labels(const Labels& labels) const;
};

/// One metric: its name, unit, help text, kind and samples.
struct CHATHOOKS_API Family {
  /// The name in dotted OpenTelemetry form ("http.client.request.duration").
  std::string name;
  /// The unit in UCUM form as OpenTelemetry writes it: "s" for seconds, "" when none.
  std::string unit;
  /// One sentence saying what it counts.
  std::string help;
  /// Counter, gauge or histogram.
  Kind kind = Kind::counter;
  /// For a histogram: the upper bounds of its buckets, ascending, without +Inf.
  std::vector<double> bounds;
  /// The series, sorted by labels.
  std::vector<Sample> samples;

  /// The sample whose labels are exactly `labels` (in any order), or nullptr.
  const Sample* find(const Labels& labels) const;
  /// The sum of the samples' values (for a histogram, of their counts): the total over all
  /// label sets.
  double total() const noexcept;
};

/// Every metric of a registry at one moment.
struct CHATHOOKS_API Snapshot {
  /// The families, sorted by name. Every built-in family is present, with no samples until
  /// something was observed.
  std::vector<Family> families;

  /// The family named `name` (dotted form), or nullptr.
  const Family* find(std::string_view name) const noexcept;
  /// The value of the sample of family `name` whose labels are exactly `labels` (in any order):
  /// a counter's or gauge's value, a histogram's count; empty when there is no such sample.
  std::optional<double> value(std::string_view name, const Labels& labels) const;
};

/// One value a gauge reads: its labels and the value.
struct GaugeValue {
  /// The labels ({"state", "pending"}); names in dotted or underscore form.
  Labels labels;
  /// The value.
  double value = 0;
};

/// How a Registry bounds and buckets what it records.
struct RegistryOptions {
  /// How many distinct server.address values are kept; deliveries to later hosts are counted
  /// under server.address="_OTHER". At least 1.
  std::size_t max_server_addresses = 100;
  /// The bucket bounds, in seconds and ascending, of the three duration histograms:
  /// OpenTelemetry's recommendation for HTTP durations by default.
  std::vector<double> duration_buckets{0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25,
                                       0.5,   0.75, 1,     2.5,  5,     7.5, 10};
};

/// Collects delivery and receiver metrics and gauges. Create with create(); share it.
class CHATHOOKS_API Registry : public std::enable_shared_from_this<Registry> {
 public:
  /// A new registry. Bounds not in ascending order are sorted, repeated and negative or
  /// non-finite ones dropped; max_server_addresses 0 is taken as 1.
  static std::shared_ptr<Registry> create(RegistryOptions options = {});

  /// Releases what the registry recorded (once its observers are gone too: they keep it).
  ~Registry();
  /// Not copyable: share the std::shared_ptr.
  Registry(const Registry&) = delete;
  /// Not copyable: share the std::shared_ptr.
  Registry& operator=(const Registry&) = delete;

  /// An observer that records attempts and deliveries here; it keeps this registry alive.
  std::shared_ptr<delivery::DeliveryObserver> delivery_observer();
  /// An observer that records received requests here; it keeps this registry alive.
  std::shared_ptr<receiver::ReceiverObserver> receiver_observer();

  /// Adds a gauge named `name` (dotted form, letters, digits, '_' and '.', not starting with a
  /// digit), whose values `read` returns at each snapshot(), e.g. the outbox depth by state.
  /// `read` is called on the thread that calls snapshot(), without the registry's locks held;
  /// it must be thread-safe, and what it throws makes the gauge have no samples in that
  /// snapshot. Errc::invalid_argument for a bad name, a name already taken (a built-in metric
  /// or another gauge) or an empty `read`.
  Result<void> add_gauge(std::string name, std::string help,
                         std::function<std::vector<GaugeValue>()> read);

  /// Every metric now: the built-in families and the gauges, sorted by name.
  Snapshot snapshot() const;

 private:
  struct Impl;
  explicit Registry(RegistryOptions options);
  std::unique_ptr<Impl> impl_;
};

/// The Content-Type of to_prometheus()'s text.
inline constexpr const char* kPrometheusContentType = "text/plain; version=0.0.4; charset=utf-8";

/// `snapshot` in the Prometheus text exposition format 0.0.4: for each family, `# HELP` and
/// `# TYPE` lines and its samples. Names have dots (and anything else Prometheus does not
/// allow) turned into underscores, the unit appended ("_seconds" for "s", "_bytes" for "By"),
/// and "_total" for counters; a histogram is written as cumulative `_bucket{le="..."}` lines
/// ending with `le="+Inf"`, then `_sum` and `_count`. Label values are escaped (backslash,
/// double quote, newline). Families are sorted by their Prometheus name and samples by labels,
/// so the same snapshot always gives the same text.
CHATHOOKS_API std::string to_prometheus(const Snapshot& snapshot);

}  // namespace chathooks::metrics
