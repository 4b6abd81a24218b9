// The library's compact writer (src/json/json_writer.hpp) against RapidJSON's Writer with its
// default flags, which it must match byte for byte: every escape, strings of each length with
// an escape at each place (the eight-byte blocks and the tails), every byte value at each place
// of a block and every pair of adjacent bytes, numbers at their limits, RapidJSON's double
// spellings, nesting and empty containers. And the precondition of Writer::KnownKey: no member
// name of a model struct's table needs escaping, read from the tables' sources.
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <limits>
#include <regex>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "catch.hpp"
#include "json/json_writer.hpp"

namespace {

using chathooks::detail::Writer;
namespace json_escape = chathooks::detail::json_escape;

// Both writers take these calls; RapidJSON's wants its SizeType for lengths.
template <class W>
void str(W& w, std::string_view s) {
  w.String(s.data(), static_cast<rapidjson::SizeType>(s.size()));
}
template <class W>
void key(W& w, std::string_view s) {
  w.Key(s.data(), static_cast<rapidjson::SizeType>(s.size()));
}

template <class F>
std::string theirs(F write) {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> w(buffer);
  write(w);
  return std::string(buffer.GetString(), buffer.GetSize());
}

template <class F>
std::string ours(F write) {
  Writer w;
  write(w);
  return std::string(w.view());
}

// The same document from both writers.
template <class F>
void require_same(F write) {
  const std::string expected = theirs(write);
  REQUIRE(ours(write) == expected);
}

// A string as a value, as a member name and inside an array, compared with RapidJSON; returns
// whether all agree, for loops that would otherwise record thousands of assertions.
bool same_string(std::string_view s) {
  const auto write = [&](auto& w) {
    w.StartObject();
    key(w, s);
    str(w, s);
    key(w, "k");
    w.StartArray();
    str(w, s);
    str(w, s);
    w.EndArray();
    w.EndObject();
  };
  return ours(write) == theirs(write);
}

}  // namespace

TEST_CASE("json writer: each control character, quote, backslash, slash and DEL",
          "[json][writer]") {
  for (int c = 0; c < 0x20; ++c) {
    INFO("byte " << c);
    const std::string s(1, static_cast<char>(c));
    REQUIRE(same_string(s));
  }
  REQUIRE(ours([](auto& w) { str(w, std::string_view("\x01\x1f", 2)); }) == R"("\u0001\u001F")");
  REQUIRE(ours([](auto& w) { str(w, std::string_view("\0", 1)); }) == R"("\u0000")");
  REQUIRE(ours([](auto& w) { str(w, "\b\f\n\r\t"); }) == R"("\b\f\n\r\t")");
  for (const char* s : {"\"", "\\", "/", "\x7f", "a\"b\\c/d\x7f"}) {
    INFO(s);
    REQUIRE(same_string(s));
  }
  REQUIRE(ours([](auto& w) { str(w, "\"\\/"); }) == R"("\"\\/")");
}

TEST_CASE("json writer: UTF-8 and other bytes from 0x80 are written as they are",
          "[json][writer]") {
  for (const char* s : {"\xc3\xa9t\xc3\xa9", "\xe2\x82\xac 5", "\xf0\x9f\x98\x80 smile",
                        "\x80\xff\xa2\xdc", "caf\xc3\xa9 \"quoted\" \xe2\x82\xac\n"}) {
    INFO(s);
    REQUIRE(same_string(s));
  }
}

TEST_CASE("json writer: strings of length 0 to 40 with an escape at every place",
          "[json][writer]") {
  const char escapes[] = {'"', '\\', '\n', '\x01', '\x1f', '\0'};
  for (std::size_t length = 0; length <= 40; ++length) {
    const std::string clean(length, 'x');
    INFO("length " << length);
    REQUIRE(same_string(clean));
    for (std::size_t at = 0; at < length; ++at) {
      for (const char e : escapes) {
        std::string s = clean;
        s[at] = e;
        INFO("escape " << static_cast<int>(e) << " at " << at);
        REQUIRE(same_string(s));
        s.back() = '"';  // and one more at the very end
        REQUIRE(same_string(s));
      }
    }
    REQUIRE(same_string(std::string(length, '\n')));
  }
}

TEST_CASE("json writer: every byte at every place of a block, every adjacent pair",
          "[json][writer]") {
  std::size_t differ = 0;
  for (int b = 0; b < 256; ++b) {
    for (std::size_t at = 0; at < 16; ++at) {
      std::string s(16, 'a');
      s[at] = static_cast<char>(b);
      if (!same_string(s)) ++differ;
    }
  }
  // Borrows between neighbouring bytes are where a word-at-a-time test could go wrong.
  for (int b1 = 0; b1 < 256; ++b1) {
    for (int b2 = 0; b2 < 256; ++b2) {
      std::string s(8, 'a');
      s[3] = static_cast<char>(b1);
      s[4] = static_cast<char>(b2);
      if (!same_string(s)) ++differ;
    }
  }
  REQUIRE(differ == 0);
}

TEST_CASE("json writer: long strings grow the buffer, escapes and all", "[json][writer]") {
  std::string s;
  for (int i = 0; i < 20000; ++i) s += (i % 97 == 0) ? "\x01\"" : "text ";
  REQUIRE(same_string(s));
  REQUIRE(same_string(std::string(5000, '\x02')));  // six bytes out for each byte in
}

TEST_CASE("json writer: integers at their limits", "[json][writer]") {
  require_same([](auto& w) {
    w.StartArray();
    w.Int64(std::numeric_limits<std::int64_t>::min());
    w.Int64(std::numeric_limits<std::int64_t>::max());
    w.Int64(0);
    w.Int64(-1);
    w.Uint64(std::numeric_limits<std::uint64_t>::max());
    w.Uint64(0);
    w.Bool(true);
    w.Bool(false);
    w.Null();
    w.EndArray();
  });
  REQUIRE(ours([](auto& w) { w.Int64(std::numeric_limits<std::int64_t>::min()); }) ==
          "-9223372036854775808");
}

TEST_CASE("json writer: doubles spelled as RapidJSON spells them", "[json][writer]") {
  const double values[] = {0.0,        -0.0, 1.0,  1e100, 1e-7, 0.1, 5e-324, 1.7976931348623157e308,
                           123456.789, -2.5, 1e21, 100.0};
  for (const double d : values) {
    INFO(d);
    require_same([&](auto& w) { w.Double(d); });
  }
  REQUIRE(ours([](auto& w) {
            w.StartArray();
            w.Double(1.0);
            w.Double(1e100);
            w.Double(-0.0);
            w.EndArray();
          }) == "[1.0,1e100,-0.0]");
  // JSON has no NaN or infinity.
  REQUIRE(ours([](auto& w) {
            w.StartArray();
            w.Double(std::numeric_limits<double>::quiet_NaN());
            w.Double(-std::numeric_limits<double>::infinity());
            w.EndArray();
          }) == "[null,null]");
}

TEST_CASE("json writer: nesting, empty containers and raw values", "[json][writer]") {
  require_same([](auto& w) {
    w.StartObject();
    key(w, "a");
    w.StartArray();
    w.StartArray();
    w.EndArray();
    w.StartObject();
    w.EndObject();
    w.StartArray();
    w.StartObject();
    key(w, "deep");
    w.StartArray();
    w.Int64(1);
    str(w, "two");
    w.EndArray();
    w.EndObject();
    w.EndArray();
    w.EndArray();
    key(w, "");
    w.StartObject();
    w.EndObject();
    key(w, "raw");
    w.RawValue("-0", 2, rapidjson::kNumberType);
    key(w, "n");
    w.Null();
    w.EndObject();
  });
  require_same([](auto& w) {
    w.StartArray();
    w.EndArray();
  });
  require_same([](auto& w) {
    w.StartObject();
    w.EndObject();
  });
}

TEST_CASE("json writer: KnownKey writes what Key writes", "[json][writer]") {
  const auto with_key = [](auto& w) {
    w.StartObject();
    key(w, "publicUrl");
    w.Int64(1);
    key(w, "display-phonenumber");
    str(w, "x");
    w.EndObject();
  };
  const auto with_known = [](Writer& w) {
    w.StartObject();
    w.KnownKey("publicUrl");
    w.Int64(1);
    w.KnownKey("display-phonenumber");
    str(w, "x");
    w.EndObject();
  };
  REQUIRE(ours(with_known) == theirs(with_key));
}

TEST_CASE("json writer: rewinding a value, reuse after Reset", "[json][writer]") {
  Writer w;
  w.StartObject();
  w.KnownKey("a");
  w.Int64(1);
  w.KnownKey("b");
  const Writer::Mark start = w.mark();
  w.Int64(0);
  REQUIRE(w.since(start) == "0");
  w.rewind(start);
  w.RawValue("-0", 2, rapidjson::kNumberType);
  w.KnownKey("c");
  w.Null();
  w.EndObject();
  REQUIRE(w.view() == R"({"a":1,"b":-0,"c":null})");
  w.Reset();
  w.StartArray();
  w.EndArray();
  REQUIRE(w.view() == "[]");
  w.ReleaseIfOver(0);
  REQUIRE(w.capacity() == 0);
  w.Null();
  REQUIRE(w.view() == "null");
}

TEST_CASE("json writer: no member name of a model struct needs escaping", "[json][writer]") {
  REQUIRE(json_escape::is_plain("publicUrl"));
  REQUIRE(json_escape::is_plain("display-phonenumber"));
  REQUIRE_FALSE(json_escape::is_plain("a\"b"));
  REQUIRE_FALSE(json_escape::is_plain("a\\b"));
  REQUIRE_FALSE(json_escape::is_plain("a\nb"));

  // Every member table: member<&S::m>("name") in the library's sources. The names are read as
  // written in C++, so a backslash escape there counts as needing one in JSON too.
  const std::regex one_member(R"re(member<&[^>]*>\("((?:[^"\\]|\\.)*)"\))re");
  std::size_t tables = 0;
  std::size_t names = 0;
  const std::filesystem::path src = std::filesystem::path(CHATHOOKS_SOURCE_DIR) / "src";
  for (const auto& entry : std::filesystem::recursive_directory_iterator(src)) {
    if (entry.path().extension() != ".cpp") continue;
    std::ifstream in(entry.path());
    std::stringstream text;
    text << in.rdbuf();
    const std::string source = text.str();
    std::size_t declared = 0;
    for (std::size_t at = source.find("member<&"); at != std::string::npos;
         at = source.find("member<&", at + 1))
      ++declared;
    if (declared == 0) continue;
    ++tables;
    std::size_t found = 0;
    for (auto it = std::sregex_iterator(source.begin(), source.end(), one_member);
         it != std::sregex_iterator(); ++it, ++found) {
      const std::string name = (*it)[1];
      INFO(entry.path().string() << ": member name " << name);
      CHECK(json_escape::is_plain(name));
    }
    INFO(entry.path().string());
    REQUIRE(found == declared);  // each one read: a name spelled otherwise would slip past
    names += found;
  }
  REQUIRE(tables >= 3);  // flw, boticario, cliengo
  REQUIRE(names >= 100);
}
