// Helpers of the lossless codec tests (roundtrip_exact_test.cpp, order_edit_test.cpp,
// tolerant_test.cpp), independent of the library's own JSON code so that they cannot hide its
// order or number bugs: compacting a text, normalizing string escapes, a tiny JSON tree that
// keeps every token as written (to shuffle members and insert unknown ones), and the
// round-trip entry points of every payload kind with their options and warnings.
// Thread-safety: pure functions; call them from the test's main thread (they may throw).
#pragma once

#include <cstddef>
#include <cstdint>
#include <random>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "chathooks/boticario/codec.hpp"
#include "chathooks/cliengo/codec.hpp"
#include "chathooks/error.hpp"
#include "chathooks/flw/codec.hpp"
#include "chathooks/json.hpp"
#include "fuzz/utf8_append.hpp"

namespace lossless {

/// `text` without the whitespace outside strings (JSON's insignificant whitespace).
inline std::string compact(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  bool in_string = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (in_string) {
      out += c;
      if (c == '\\' && i + 1 < text.size()) {
        out += text[++i];
      } else if (c == '"') {
        in_string = false;
      }
    } else if (c == '"') {
      in_string = true;
      out += c;
    } else if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
      out += c;
    }
  }
  return out;
}

using chathooks_test::append_utf8;

inline std::uint32_t hex4(std::string_view s, std::size_t at) {
  if (at + 4 > s.size()) throw std::invalid_argument("short \\u escape");
  std::uint32_t v = 0;
  for (std::size_t k = at; k < at + 4; ++k) {
    const char c = s[k];
    v <<= 4;
    if (c >= '0' && c <= '9') {
      v |= static_cast<std::uint32_t>(c - '0');
    } else if (c >= 'a' && c <= 'f') {
      v |= static_cast<std::uint32_t>(c - 'a' + 10);
    } else if (c >= 'A' && c <= 'F') {
      v |= static_cast<std::uint32_t>(c - 'A' + 10);
    } else {
      throw std::invalid_argument("bad \\u escape");
    }
  }
  return v;
}

/// `text` (JSON) with the string escapes a writer may normalize written in one form: `\/` as
/// `/`, `\uXXXX` (surrogate pairs included) of a printable code point as its UTF-8 bytes, and
/// of a control character, quote or backslash as the short escape or `\u00XX` (upper case).
inline std::string normalize_escapes(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  bool in_string = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (!in_string) {
      out += c;
      in_string = c == '"';
      continue;
    }
    if (c == '"') {
      out += c;
      in_string = false;
      continue;
    }
    if (c != '\\' || i + 1 >= text.size()) {
      out += c;
      continue;
    }
    const char n = text[++i];
    if (n == '/') {
      out += '/';
      continue;
    }
    if (n != 'u') {
      out += '\\';
      out += n;
      continue;
    }
    std::uint32_t cp = hex4(text, i + 1);
    i += 4;
    if (cp >= 0xD800 && cp < 0xDC00 && i + 6 < text.size() && text[i + 1] == '\\' &&
        text[i + 2] == 'u') {
      const std::uint32_t low = hex4(text, i + 3);
      if (low >= 0xDC00 && low < 0xE000) {
        cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
        i += 6;
      }
    }
    switch (cp) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\b':
        out += "\\b";
        break;
      case '\f':
        out += "\\f";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (cp < 0x20) {
          static const char digits[] = "0123456789ABCDEF";
          out += "\\u00";
          out += digits[cp >> 4];
          out += digits[cp & 0xF];
        } else {
          append_utf8(out, cp);
        }
    }
  }
  return out;
}

/// A JSON value with every token kept as written.
struct Node {
  enum class Kind { scalar, object, array };
  Kind kind = Kind::scalar;
  std::string text;                                   // scalar: the token as written
  std::vector<std::pair<std::string, Node>> members;  // object: key token (quoted), value
  std::vector<Node> items;                            // array
};

class TreeParser {
 public:
  explicit TreeParser(std::string_view text) : s_(text) {}
  Node parse() {
    Node root = value();
    ws();
    if (i_ != s_.size()) throw std::invalid_argument("trailing text");
    return root;
  }

 private:
  void ws() {
    while (i_ < s_.size() && (s_[i_] == ' ' || s_[i_] == '\t' || s_[i_] == '\n' || s_[i_] == '\r'))
      ++i_;
  }
  void expect(char c) {
    ws();
    if (i_ >= s_.size() || s_[i_] != c) throw std::invalid_argument("unexpected character");
    ++i_;
  }
  std::string string_token() {
    ws();
    const std::size_t start = i_;
    if (i_ >= s_.size() || s_[i_] != '"') throw std::invalid_argument("string expected");
    ++i_;
    while (i_ < s_.size() && s_[i_] != '"') i_ += s_[i_] == '\\' ? 2 : 1;
    if (i_ >= s_.size()) throw std::invalid_argument("unterminated string");
    ++i_;
    return std::string(s_.substr(start, i_ - start));
  }
  Node value() {
    ws();
    if (i_ >= s_.size()) throw std::invalid_argument("value expected");
    Node n;
    if (s_[i_] == '{') {
      n.kind = Node::Kind::object;
      ++i_;
      ws();
      if (i_ < s_.size() && s_[i_] == '}') {
        ++i_;
        return n;
      }
      for (;;) {
        std::string key = string_token();
        expect(':');
        n.members.emplace_back(std::move(key), value());
        ws();
        if (i_ < s_.size() && s_[i_] == ',') {
          ++i_;
          continue;
        }
        expect('}');
        return n;
      }
    }
    if (s_[i_] == '[') {
      n.kind = Node::Kind::array;
      ++i_;
      ws();
      if (i_ < s_.size() && s_[i_] == ']') {
        ++i_;
        return n;
      }
      for (;;) {
        n.items.push_back(value());
        ws();
        if (i_ < s_.size() && s_[i_] == ',') {
          ++i_;
          continue;
        }
        expect(']');
        return n;
      }
    }
    if (s_[i_] == '"') {
      n.text = string_token();
      return n;
    }
    const std::size_t start = i_;
    while (i_ < s_.size() && s_[i_] != ',' && s_[i_] != '}' && s_[i_] != ']' && s_[i_] != ' ' &&
           s_[i_] != '\n' && s_[i_] != '\t' && s_[i_] != '\r')
      ++i_;
    n.text = std::string(s_.substr(start, i_ - start));
    if (n.text.empty()) throw std::invalid_argument("empty token");
    return n;
  }

  std::string_view s_;
  std::size_t i_ = 0;
};

/// `text` (valid JSON) as a Node; throws std::invalid_argument otherwise.
inline Node parse_tree(std::string_view text) { return TreeParser(text).parse(); }

inline void write_tree(const Node& n, std::string& out) {
  switch (n.kind) {
    case Node::Kind::scalar:
      out += n.text;
      return;
    case Node::Kind::object:
      out += '{';
      for (std::size_t k = 0; k < n.members.size(); ++k) {
        if (k != 0) out += ',';
        out += n.members[k].first;
        out += ':';
        write_tree(n.members[k].second, out);
      }
      out += '}';
      return;
    case Node::Kind::array:
      out += '[';
      for (std::size_t k = 0; k < n.items.size(); ++k) {
        if (k != 0) out += ',';
        write_tree(n.items[k], out);
      }
      out += ']';
      return;
  }
}

/// Compact text of `n`, tokens as written.
inline std::string write_tree(const Node& n) {
  std::string out;
  write_tree(n, out);
  return out;
}

/// The node at `pointer` (plain tokens: no ~0/~1 escapes); throws when nothing is there.
inline Node& at(Node& root, std::string_view pointer) {
  Node* current = &root;
  std::size_t i = 0;
  while (i < pointer.size()) {
    const std::size_t next = pointer.find('/', i + 1);
    const std::string token(pointer.substr(
        i + 1, next == std::string_view::npos ? std::string_view::npos : next - i - 1));
    Node* child = nullptr;
    if (current->kind == Node::Kind::array) {
      const std::size_t index = std::stoul(token);
      if (index < current->items.size()) child = &current->items[index];
    } else if (current->kind == Node::Kind::object) {
      for (auto& [key, value] : current->members)
        if (key == "\"" + token + "\"") child = &value;
    }
    if (child == nullptr) throw std::invalid_argument("no value at " + std::string(pointer));
    current = child;
    i = next == std::string_view::npos ? pointer.size() : next;
  }
  return *current;
}

/// `text` with the value at `pointer` replaced by `raw` (JSON text), compacted.
inline std::string with_value(std::string_view text, std::string_view pointer,
                              std::string_view raw) {
  Node root = parse_tree(text);
  at(root, pointer) = parse_tree(raw);
  return write_tree(root);
}

// ---- Generated variants ----

/// Number spellings that a lossless codec must write back unchanged.
inline const std::vector<std::string>& number_spellings() {
  static const std::vector<std::string> all = {"18446744073709551616",
                                               "-9223372036854775809",
                                               "1e-400",
                                               "-0",
                                               "1.0",
                                               "1E+2",
                                               "1.50",
                                               "-0.0",
                                               "0.1e1",
                                               "5e-324",
                                               "123456789012345678901234567890.5",
                                               "-1E-7",
                                               "9223372036854775808",
                                               "-9223372036854775808",
                                               "0",
                                               "42",
                                               "2.5E+300",
                                               "1e+0",
                                               "1e0",
                                               "100000000000000000000000000000",
                                               "0.000000000000000000001",
                                               "-1.25e-10"};
  return all;
}

/// Strings in raw UTF-8 (and the short escapes every writer keeps): byte equality must hold.
inline const std::vector<std::string>& raw_strings() {
  static const std::vector<std::string> all = {"\"Descri\xC3\xA7\xC3\xA3o \xC3\xBC\"",
                                               "\"\xF0\x9F\x98\x80 emoji\"",
                                               "\"\xE6\x97\xA5\xE6\x9C\xAC\xE8\xAA\x9E\"",
                                               "\"\"",
                                               "\"tab\\tnew\\nline \\\" q \\\\ b\"",
                                               "\"caf\xC3\xA9 \xF0\x9F\x91\x8D\xF0\x9F\x8F\xBD\""};
  return all;
}

/// Strings with escapes a writer may normalize: compared after normalize_escapes().
inline const std::vector<std::string>& escaped_strings() {
  static const std::vector<std::string> all = {
      "\"\\u00e9t\\u00e9\"", "\"\\ud83d\\ude00\"",
      "\"a\\/b\"",           "\"\\u00C9cole\"",
      "\"\\u0041\\u0042\"",  "\"mix \\u00e9 \xC3\xA9 \\ud83d\\ude00 \xF0\x9F\x98\x80\""};
  return all;
}

struct VariantOptions {
  bool shuffle = true;
  bool insert = false;   // insert unknown members
  bool escapes = false;  // unknown members' strings and names may hold \u escapes
  /// Objects whose members are typed values (maps of structs): nothing is inserted there.
  std::vector<std::string> no_insert;
};

class VariantMaker {
 public:
  VariantMaker(unsigned seed, VariantOptions options) : rng_(seed), options_(std::move(options)) {}

  std::string make(std::string_view text) {
    Node root = parse_tree(text);
    walk(root, "");
    return write_tree(root);
  }

 private:
  std::size_t pick(std::size_t n) {
    return std::uniform_int_distribution<std::size_t>(0, n - 1)(rng_);
  }

  std::string string_value() {
    if (options_.escapes && pick(2) == 0) return escaped_strings()[pick(escaped_strings().size())];
    return raw_strings()[pick(raw_strings().size())];
  }
  std::string name() {
    const std::string n = std::to_string(counter_++);
    switch (pick(options_.escapes ? 3 : 2)) {
      case 0:
        return "\"x_unknown_" + n + "\"";
      case 1:
        return "\"cl\xC3\xA9_" + n + "\xF0\x9F\x98\x80\"";
      default:
        return "\"cl\\u00e9_" + n + "\\ud83d\\ude00\"";
    }
  }
  Node scalar() {
    Node n;
    switch (pick(6)) {
      case 0:
      case 1:
      case 2:
        n.text = number_spellings()[pick(number_spellings().size())];
        break;
      case 3:
        n.text = string_value();
        break;
      case 4:
        n.text = pick(2) == 0 ? "true" : "false";
        break;
      default:
        n.text = "null";
    }
    return n;
  }
  Node unknown_value(int depth) {
    const std::size_t choice = depth > 2 ? 0 : pick(4);
    if (choice <= 1) return scalar();
    Node n;
    const std::size_t count = pick(4);
    if (choice == 2) {
      n.kind = Node::Kind::array;
      for (std::size_t k = 0; k < count; ++k) n.items.push_back(unknown_value(depth + 1));
    } else {
      n.kind = Node::Kind::object;
      for (std::size_t k = 0; k < count; ++k)
        n.members.emplace_back(name(), unknown_value(depth + 1));
    }
    return n;
  }
  void walk(Node& n, const std::string& pointer) {
    if (n.kind == Node::Kind::array) {
      for (std::size_t k = 0; k < n.items.size(); ++k)
        walk(n.items[k], pointer + "/" + std::to_string(k));
      return;
    }
    if (n.kind != Node::Kind::object) return;
    for (auto& [key, value] : n.members) walk(value, pointer + "/" + key.substr(1, key.size() - 2));
    if (options_.shuffle) std::shuffle(n.members.begin(), n.members.end(), rng_);
    if (!options_.insert) return;
    for (const auto& skip : options_.no_insert)
      if (skip == pointer) return;
    const std::size_t inserts = pick(3);
    for (std::size_t k = 0; k < inserts; ++k) {
      const auto position = static_cast<std::ptrdiff_t>(pick(n.members.size() + 1));
      n.members.insert(n.members.begin() + position, {name(), unknown_value(0)});
    }
  }

  std::mt19937 rng_;
  VariantOptions options_;
  int counter_ = 0;
};

// ---- The payload kinds ----

using RoundTrip = chathooks::Result<std::string> (*)(std::string_view,
                                                     const chathooks::ParseOptions&,
                                                     std::vector<chathooks::DecodeWarning>*);

template <class Decoded>
chathooks::Result<std::string> encoded(const chathooks::Result<Decoded>& decoded) {
  if (!decoded) return decoded.error();
  return encode(*decoded);
}

inline chathooks::Result<std::string> flw_dispatch(std::string_view text,
                                                   const chathooks::ParseOptions& options,
                                                   std::vector<chathooks::DecodeWarning>* w) {
  return encoded(chathooks::flw::decode_dispatch(text, options, w));
}
inline chathooks::Result<std::string> flw_response(std::string_view text,
                                                   const chathooks::ParseOptions& options,
                                                   std::vector<chathooks::DecodeWarning>* w) {
  return encoded(chathooks::flw::decode_response(text, options, w));
}
inline chathooks::Result<std::string> boticario_event(std::string_view text,
                                                      const chathooks::ParseOptions& options,
                                                      std::vector<chathooks::DecodeWarning>* w) {
  return encoded(chathooks::boticario::decode_event(text, options, w));
}
inline chathooks::Result<std::string> cliengo_memory(std::string_view text,
                                                     const chathooks::ParseOptions& options,
                                                     std::vector<chathooks::DecodeWarning>* w) {
  return encoded(chathooks::cliengo::decode_memory(text, options, w));
}
inline chathooks::Result<std::string> cliengo_response(std::string_view text,
                                                       const chathooks::ParseOptions& options,
                                                       std::vector<chathooks::DecodeWarning>* w) {
  return encoded(chathooks::cliengo::decode_response(text, options, w));
}

/// A payload kind: its decoder and encoder, its vectors (tests/data), and the objects whose
/// members must be structs (maps of structs).
struct Kind {
  const char* name;
  RoundTrip round_trip;
  std::vector<const char*> files;
  std::vector<std::string> no_insert;
};

inline const std::vector<Kind>& kinds() {
  static const std::vector<Kind> all = {
      {"flw dispatch", &flw_dispatch, {"flw_dispatch.json"}, {"/questions", "/menus"}},
      {"flw response",
       &flw_response,
       {"flw_response_simple.json", "flw_response_contact.json", "flw_response_messages.json"},
       {}},
      {"boticario event",
       &boticario_event,
       {"boticario_message_event.json", "boticario_status_sent.json",
        "boticario_status_delivered.json", "boticario_status_read.json"},
       {}},
      {"cliengo memory", &cliengo_memory, {"cliengo_request.json"}, {}},
      {"cliengo response", &cliengo_response, {"cliengo_response.json"}, {}},
  };
  return all;
}

inline chathooks::ParseOptions tolerant_options() {
  chathooks::ParseOptions options;
  options.mode = chathooks::DecodeMode::tolerant;
  return options;
}

}  // namespace lossless
