// OrderedMap<T>: string keys to values, kept in insertion order. JSON objects in chathooks keep
// member order, and the maps in webhook payloads are small, so lookup is a linear scan: cheap
// for tens of members, O(n) for large objects (documented, not hidden).
// Thread-safety: a plain value type.
#pragma once

#include <algorithm>
#include <cstddef>
#include <string>
#include <string_view>
#include <tuple>
#include <utility>
#include <vector>

namespace chathooks {

/// String keys to T in insertion order, backed by a std::vector of pairs; see the header
/// comment. Iterators, pointers and references are invalidated as a std::vector's are (by any
/// insertion that reallocates, and by erase() from the erased position on).
template <class T>
class OrderedMap {
 public:
  using key_type = std::string;                    ///< Keys are owned strings.
  using mapped_type = T;                           ///< The value type.
  using value_type = std::pair<std::string, T>;    ///< One entry: key and value.
  using container_type = std::vector<value_type>;  ///< The storage, in insertion order.
  /// Iterates the entries in order; the key may be changed through it (keep it unique).
  using iterator = typename container_type::iterator;
  /// Iterates the entries in order, read-only.
  using const_iterator = typename container_type::const_iterator;
  using size_type = std::size_t;  ///< Entry counts.

  /// Empty.
  OrderedMap() = default;
  /// The entries of `items`, in order, as given: repeated keys are kept, not merged.
  OrderedMap(std::initializer_list<value_type> items) : items_(items) {}

  /// The first entry (insertion order).
  iterator begin() noexcept { return items_.begin(); }
  /// Past the last entry.
  iterator end() noexcept { return items_.end(); }
  /// The first entry (insertion order).
  const_iterator begin() const noexcept { return items_.begin(); }
  /// Past the last entry.
  const_iterator end() const noexcept { return items_.end(); }
  /// How many entries (repeated keys each count).
  size_type size() const noexcept { return items_.size(); }
  /// Whether there are no entries.
  bool empty() const noexcept { return items_.empty(); }
  /// Reserves room for `n` entries, like std::vector::reserve.
  void reserve(size_type n) { items_.reserve(n); }
  /// Removes every entry.
  void clear() noexcept { items_.clear(); }

  /// The value under `key`, or nullptr. With repeated keys (possible only through append() and
  /// the initializer-list constructor), the first one.
  T* find(std::string_view key) noexcept {
    for (auto& item : items_)
      if (item.first == key) return &item.second;
    return nullptr;
  }
  /// The value under `key`, read-only, or nullptr (the first one, with repeated keys).
  const T* find(std::string_view key) const noexcept {
    for (const auto& item : items_)
      if (item.first == key) return &item.second;
    return nullptr;
  }
  /// Whether an entry has `key`.
  bool contains(std::string_view key) const noexcept { return find(key) != nullptr; }

  /// The value under `key`, inserted default-constructed at the end when missing.
  T& operator[](std::string_view key) {
    if (T* found = find(key)) return *found;
    return items_.emplace_back(std::string(key), T{}).second;
  }

  /// Sets `key` to `value`, keeping its position when it exists; returns the stored value.
  template <class V>
  T& insert_or_assign(std::string_view key, V&& value) {
    if (T* found = find(key)) {
      *found = std::forward<V>(value);
      return *found;
    }
    return items_.emplace_back(std::string(key), std::forward<V>(value)).second;
  }

  /// Appends without looking for an existing key (the decoder checks duplicates itself).
  template <class V>
  T& append(std::string key, V&& value) {
    return items_.emplace_back(std::move(key), std::forward<V>(value)).second;
  }

  /// Appends `key` with a default-constructed value, built in place, without looking for an
  /// existing key; returns the value.
  T& append(std::string_view key) {
    return items_
        .emplace_back(std::piecewise_construct, std::forward_as_tuple(key.data(), key.size()),
                      std::forward_as_tuple())
        .second;
  }

  /// Removes the first entry with `key`; returns whether there was one.
  bool erase(std::string_view key) {
    auto it = std::find_if(items_.begin(), items_.end(),
                           [&](const value_type& item) { return item.first == key; });
    if (it == items_.end()) return false;
    items_.erase(it);
    return true;
  }

  /// The last entry inserted. Precondition: !empty() (otherwise the behaviour is undefined).
  value_type& back() { return items_.back(); }
  /// The last entry inserted. Precondition: !empty() (otherwise the behaviour is undefined).
  const value_type& back() const { return items_.back(); }

  /// Equal when both hold the same keys with equal values, in any order (JSON object
  /// semantics). Checked both ways, so that repeated keys (see find()) cannot make the
  /// comparison one-sided; yet each pair of values is compared once, since comparing it from
  /// both sides would double the work at every level of nested maps (2^depth).
  friend bool operator==(const OrderedMap& a, const OrderedMap& b) {
    if (a.size() != b.size()) return false;
    // Every member of `a` against the first member of `b` with its key.
    for (const auto& item : a.items_) {
      const T* theirs = b.find(item.first);
      if (theirs == nullptr || !(item.second == *theirs)) return false;
    }
    // Every member of `b` against the first member of `a` with its key: for the first member
    // of `b` with a key, the loop above compared that very pair already.
    for (const auto& item : b.items_) {
      const T* mine = a.find(item.first);
      if (mine == nullptr) return false;
      if (b.find(item.first) != &item.second && !(*mine == item.second)) return false;
    }
    return true;
  }
  /// !(a == b).
  friend bool operator!=(const OrderedMap& a, const OrderedMap& b) { return !(a == b); }

 private:
  container_type items_;
};

}  // namespace chathooks
