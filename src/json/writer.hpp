// JSON output for the whole library: the compact Writer (json_writer.hpp) into a reusable
// per-thread buffer, RapidJSON's PrettyWriter for indented output, helpers that serve both, and
// an iterative Json writer (no recursion, so any depth a Json can hold can be written).
// Private to the library. Thread-safety: the buffer is thread_local.
#pragma once

#include <cmath>
#include <string>
#include <utility>
#include <vector>

#include <rapidjson/prettywriter.h>
#include <rapidjson/stringbuffer.h>

#include "chathooks/json.hpp"
#include "json/json_writer.hpp"

namespace chathooks::detail {

using PrettyWriter = rapidjson::PrettyWriter<rapidjson::StringBuffer>;

template <class W>
void write_string(W& w, std::string_view s) {
  w.String(s.data(), static_cast<rapidjson::SizeType>(s.size()));
}
inline void write_string(Writer& w, std::string_view s) { w.String(s.data(), s.size()); }
template <class W>
void write_key(W& w, std::string_view s) {
  w.Key(s.data(), static_cast<rapidjson::SizeType>(s.size()));
}
inline void write_key(Writer& w, std::string_view s) { w.Key(s.data(), s.size()); }
template <class W>
void write_double(W& w, double d) {
  // JSON has no NaN or infinity; RapidJSON would leave a dangling separator.
  if (std::isfinite(d)) {
    w.Double(d);
  } else {
    w.Null();
  }
}

/// Writes `text`, a valid JSON number, as it is.
template <class W>
void write_raw_number(W& w, std::string_view text) {
  w.RawValue(text.data(), text.size(), rapidjson::kNumberType);
}

/// Writes `root` without recursion.
template <class W>
void write_json(const Json& root, W& w) {
  struct Level {
    const Json* container;
    std::size_t next;
  };
  std::vector<Level> stack;
  const Json* current = &root;
  for (;;) {
    if (current != nullptr) {
      switch (current->type()) {
        case Json::Type::null:
          w.Null();
          break;
        case Json::Type::boolean:
          w.Bool(*current->get_bool());
          break;
        // Each getter reads the alternative that type() says is held.
        case Json::Type::int64:
          if (const std::string* text = current->number_text()) {
            write_raw_number(w, *text);
          } else {
            w.Int64(*current->get_int64());
          }
          break;
        case Json::Type::uint64:
          w.Uint64(*current->get_uint64());
          break;
        case Json::Type::double_:
          if (const std::string* text = current->number_text()) {
            write_raw_number(w, *text);
          } else {
            write_double(w, *current->get_double());
          }
          break;
        case Json::Type::string:
          write_string(w, *current->get_string());
          break;
        case Json::Type::array:
          w.StartArray();
          stack.push_back({current, 0});
          break;
        case Json::Type::object:
          w.StartObject();
          stack.push_back({current, 0});
          break;
      }
      current = nullptr;
    }
    if (stack.empty()) return;
    Level& top = stack.back();
    if (const auto* array = top.container->get_array()) {
      if (top.next < array->size()) {
        current = &(*array)[top.next++];
      } else {
        w.EndArray();
        stack.pop_back();
      }
    } else {
      const auto& object = *top.container->get_object();
      if (top.next < object.size()) {
        const auto& member = *(object.begin() + static_cast<std::ptrdiff_t>(top.next++));
        write_key(w, member.first);
        current = &member.second;
      } else {
        w.EndObject();
        stack.pop_back();
      }
    }
  }
}

/// Runs `write(Writer&)` into a per-thread reusable buffer and returns the text.
template <class F>
std::string write_compact(F&& write) {
  // One writer per thread and call site (each F is its own instantiation), so that a
  // write_compact inside another's `write` never shares its buffer.
  thread_local Writer writer;
  writer.Reset();
  std::forward<F>(write)(writer);
  std::string out(writer.view());
  // Keep the buffer warm for typical payloads, but do not pin a huge one to the thread.
  writer.ReleaseIfOver(1024 * 1024);
  return out;
}

}  // namespace chathooks::detail
