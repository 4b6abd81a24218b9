// The lookups of Snapshot, Family and Sample.
#include "chathooks/metrics/registry.hpp"

#include <algorithm>

namespace chathooks::metrics {

std::optional<std::string_view> Sample::label(std::string_view name) const noexcept {
  for (const auto& [label_name, label_value] : labels)
    if (label_name == name) return std::string_view(label_value);
  return std::nullopt;
}

bool Sample::has_labels(const Labels& wanted) const {
  if (wanted.size() != labels.size()) return false;
  return std::all_of(wanted.begin(), wanted.end(), [&](const auto& pair) {
    const auto found = label(pair.first);
    return found && *found == pair.second;
  });
}

const Sample* Family::find(const Labels& wanted) const {
  for (const auto& sample : samples)
    if (sample.has_labels(wanted)) return &sample;
  return nullptr;
}

double Family::total() const noexcept {
  double sum = 0;
  for (const auto& sample : samples) sum += sample.value;
  return sum;
}

const Family* Snapshot::find(std::string_view name) const noexcept {
  for (const auto& family : families)
    if (family.name == name) return &family;
  return nullptr;
}

std::optional<double> Snapshot::value(std::string_view name, const Labels& labels) const {
  const Family* family = find(name);
  const Sample* sample = family ? family->find(labels) : nullptr;
  if (!sample) return std::nullopt;
  return family->kind == Kind::histogram ? static_cast<double>(sample->count) : sample->value;
}

}  // namespace chathooks::metrics
