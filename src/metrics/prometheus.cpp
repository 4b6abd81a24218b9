// to_prometheus(): the Prometheus text exposition format 0.0.4
// (https://prometheus.io/docs/instrumenting/exposition_formats/), with OpenTelemetry's rules for
// turning a metric's name and unit into a Prometheus name.
#include "chathooks/metrics/registry.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

namespace chathooks::metrics {
namespace {

bool is_alpha(char c) noexcept { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool is_digit(char c) noexcept { return c >= '0' && c <= '9'; }

// `name` with every character Prometheus does not allow there turned into '_' (':' only in
// metric names), and '_' before a leading digit.
std::string sanitized(std::string_view name, bool colon_allowed) {
  std::string out;
  if (name.empty() || is_digit(name[0])) out += '_';
  for (const char c : name)
    out += is_alpha(c) || is_digit(c) || c == '_' || (colon_allowed && c == ':') ? c : '_';
  return out;
}

bool ends_with(std::string_view text, std::string_view suffix) noexcept {
  return text.size() >= suffix.size() && text.substr(text.size() - suffix.size()) == suffix;
}

// The word a UCUM unit adds to the name: "seconds" for "s"; none for a dimensionless unit
// ("1") or an annotation ("{message}").
std::string unit_word(std::string_view unit) {
  if (unit.empty() || unit == "1" || unit.front() == '{') return {};
  if (unit == "s") return "seconds";
  if (unit == "ms") return "milliseconds";
  if (unit == "By") return "bytes";
  return sanitized(unit, false);
}

std::string metric_name(const Family& family) {
  std::string name = sanitized(family.name, true);
  const std::string unit = unit_word(family.unit);
  if (!unit.empty() && !ends_with(name, "_" + unit)) name += "_" + unit;
  if (family.kind == Kind::counter && !ends_with(name, "_total")) name += "_total";
  return name;
}

std::string number(double value) {
  if (std::isnan(value)) return "NaN";
  if (std::isinf(value)) return value > 0 ? "+Inf" : "-Inf";
  return fmt::format("{}", value);
}

void append_escaped(std::string& out, std::string_view text, bool quotes) {
  for (const char c : text) {
    if (c == '\\')
      out += "\\\\";
    else if (c == '\n')
      out += "\\n";
    else if (quotes && c == '"')
      out += "\\\"";
    else
      out += c;
  }
}

// `{a="x",b="y"}`, with `le` last when given; nothing for no labels.
void append_labels(std::string& out, const Labels& labels, const std::string* le = nullptr) {
  if (labels.empty() && !le) return;
  out += '{';
  bool first = true;
  const auto pair = [&](std::string_view name, std::string_view value) {
    if (!first) out += ',';
    first = false;
    out += name;
    out += "=\"";
    append_escaped(out, value, true);
    out += '"';
  };
  for (const auto& [name, value] : labels) pair(sanitized(name, false), value);
  if (le) pair("le", *le);
  out += '}';
}

void append_line(std::string& out, std::string_view name, const Labels& labels,
                 std::string_view value, const std::string* le = nullptr) {
  out += name;
  append_labels(out, labels, le);
  out += ' ';
  out += value;
  out += '\n';
}

void append_histogram(std::string& out, const std::string& name, const Family& family,
                      const Sample& sample) {
  std::uint64_t cumulative = 0;
  for (std::size_t i = 0; i <= family.bounds.size(); ++i) {
    if (i < sample.bucket_counts.size()) cumulative += sample.bucket_counts[i];
    const std::string le = i < family.bounds.size() ? number(family.bounds[i]) : "+Inf";
    append_line(out, name + "_bucket", sample.labels, std::to_string(cumulative), &le);
  }
  append_line(out, name + "_sum", sample.labels, number(sample.sum));
  append_line(out, name + "_count", sample.labels, std::to_string(sample.count));
}

}  // namespace

std::string to_prometheus(const Snapshot& snapshot) {
  std::vector<std::pair<std::string, const Family*>> families;
  for (const auto& family : snapshot.families) families.emplace_back(metric_name(family), &family);
  std::stable_sort(families.begin(), families.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });

  std::string out;
  for (const auto& [name, family] : families) {
    out += "# HELP " + name + ' ';
    append_escaped(out, family->help, false);
    out += "\n# TYPE " + name + ' ';
    out += to_string(family->kind);
    out += '\n';
    std::vector<const Sample*> samples;
    for (const auto& sample : family->samples) samples.push_back(&sample);
    std::stable_sort(samples.begin(), samples.end(),
                     [](const Sample* a, const Sample* b) { return a->labels < b->labels; });
    for (const Sample* sample : samples) {
      if (family->kind == Kind::histogram)
        append_histogram(out, name, *family, *sample);
      else
        append_line(out, name, sample->labels, number(sample->value));
    }
  }
  return out;
}

}  // namespace chathooks::metrics
