// TraceParent against the W3C Trace Context grammar: valid and invalid headers, later
// versions, generated and child values.
#include <chathooks/trace_context.hpp>

#include <set>
#include <string>

#include "catch.hpp"

using chathooks::TraceParent;

TEST_CASE("TraceParent: the specification's example parses and prints back") {
  const std::string text = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
  const auto parsed = TraceParent::parse(text);
  REQUIRE(parsed.has_value());
  CHECK(parsed->trace_id_hex() == "4bf92f3577b34da6a3ce929d0e0e4736");
  CHECK(parsed->parent_id_hex() == "00f067aa0ba902b7");
  CHECK(parsed->sampled());
  CHECK(parsed->to_string() == text);
  CHECK(TraceParent::parse(" \t" + text + " ") == parsed);
  const auto unsampled =
      TraceParent::parse("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00");
  REQUIRE(unsampled.has_value());
  CHECK_FALSE(unsampled->sampled());
}

TEST_CASE("TraceParent: what the specification says to ignore is not read") {
  const char* invalid[] = {
      "",
      "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7",      // no flags
      "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-",  // v00 with more
      "00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01",   // uppercase
      "00-00000000000000000000000000000000-00f067aa0ba902b7-01",   // zero trace id
      "00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01",   // zero parent id
      "ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",   // version ff
      "0g-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",   // bad version
      "00_4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",   // separator
      "00-4bf92f3577b34da6a3ce929d0e0e473-600f067aa0ba902b7-01",   // misplaced dash
      "01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01x",  // later version, no dash
      "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-0z",   // bad flags
  };
  for (const char* text : invalid) {
    INFO(text);
    CHECK_FALSE(TraceParent::parse(text).has_value());
  }
}

TEST_CASE("TraceParent: a later version is read by its first four fields") {
  const auto later =
      TraceParent::parse("cc-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-what-comes");
  REQUIRE(later.has_value());
  CHECK(later->to_string() == "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");
  CHECK(TraceParent::parse("cc-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"));
}

TEST_CASE(
    "TraceParent: generated values are valid, sampled and distinct; a child keeps the trace") {
  std::set<std::string> seen;
  for (int i = 0; i < 100; ++i) {
    const TraceParent made = TraceParent::generate();
    CHECK(made.sampled());
    CHECK(TraceParent::parse(made.to_string()) == made);
    seen.insert(made.trace_id_hex());
    const TraceParent child = made.child();
    CHECK(child.trace_id == made.trace_id);
    CHECK(child.parent_id != made.parent_id);
    CHECK(child.flags == made.flags);
  }
  CHECK(seen.size() == 100);
}
