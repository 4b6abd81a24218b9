// Unit tests for the error model (Errc, Error, Result, BadResultAccess) and the two small
// value types every payload model uses: Field (absent / null / value) and OrderedMap.
#include <memory>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "catch.hpp"
#include "chathooks/error.hpp"
#include "chathooks/field.hpp"
#include "chathooks/ordered_map.hpp"

using chathooks::BadFieldAccess;
using chathooks::BadResultAccess;
using chathooks::Errc;
using chathooks::Error;
using chathooks::Field;
using chathooks::OrderedMap;
using chathooks::Result;

TEST_CASE("Errc names are the enumerators' names", "[error]") {
  CHECK(chathooks::to_string(Errc::syntax) == "syntax");
  CHECK(chathooks::to_string(Errc::type_mismatch) == "type_mismatch");
  CHECK(chathooks::to_string(Errc::invalid_value) == "invalid_value");
  CHECK(chathooks::to_string(Errc::connection_refused) == "connection_refused");
  CHECK(chathooks::to_string(Errc::signature_mismatch) == "signature_mismatch");
  CHECK(chathooks::to_string(Errc::internal) == "internal");
}

TEST_CASE("Every Errc has its own name", "[error]") {
  std::set<std::string_view> names;
  const int first = static_cast<int>(Errc::syntax);
  const int last = static_cast<int>(Errc::internal);
  for (int i = first; i <= last; ++i) {
    const std::string_view name = chathooks::to_string(static_cast<Errc>(i));
    INFO("Errc value " << i);
    CHECK(name != "unknown");
    CHECK_FALSE(name.empty());
    names.insert(name);
  }
  CHECK(names.size() == static_cast<std::size_t>(last - first + 1));
}

TEST_CASE("Error carries code, message, pointer and offset", "[error]") {
  const Error plain(Errc::timeout, "connect timed out after 5 s");
  CHECK(plain.code() == Errc::timeout);
  CHECK(plain.message() == "connect timed out after 5 s");
  CHECK(plain.pointer().empty());
  CHECK_FALSE(plain.offset().has_value());

  const Error at_member(Errc::type_mismatch, "expected string, got number", "/contact/tags/1");
  CHECK(at_member.pointer() == "/contact/tags/1");
  CHECK(at_member.to_string() == "/contact/tags/1: expected string, got number");

  const Error syntax(Errc::syntax, "missing ']'", "", 17);
  REQUIRE(syntax.offset().has_value());
  CHECK(*syntax.offset() == 17);
  // No pointer: the message alone, without a leading ": ".
  CHECK(syntax.to_string() == "missing ']'");
  CHECK(plain.to_string() == "connect timed out after 5 s");
}

TEST_CASE("Error equality compares every part", "[error]") {
  const Error a(Errc::syntax, "bad", "/a", 3);
  CHECK(a == Error(Errc::syntax, "bad", "/a", 3));
  CHECK(a != Error(Errc::too_deep, "bad", "/a", 3));
  CHECK(a != Error(Errc::syntax, "worse", "/a", 3));
  CHECK(a != Error(Errc::syntax, "bad", "/b", 3));
  CHECK(a != Error(Errc::syntax, "bad", "/a", 4));
  CHECK(a != Error(Errc::syntax, "bad", "/a"));
}

TEST_CASE("Result<T> holding a value", "[error][result]") {
  Result<int> r = 42;
  REQUIRE(r.ok());
  CHECK(static_cast<bool>(r));
  CHECK(r.value() == 42);
  CHECK(*r == 42);
  CHECK(r.value_or(7) == 42);
  r.value() = 43;
  CHECK(*r == 43);

  Result<std::string> s = std::string("hello");
  CHECK(s->size() == 5);
  const std::string moved = std::move(s).value();
  CHECK(moved == "hello");
}

TEST_CASE("Result<T> holding an error", "[error][result]") {
  const Result<int> r = Error(Errc::invalid_value, "month 13 out of range", "/created_at");
  REQUIRE_FALSE(r.ok());
  CHECK_FALSE(static_cast<bool>(r));
  CHECK(r.error().code() == Errc::invalid_value);
  CHECK(r.error().message() == "month 13 out of range");
  CHECK(r.value_or(7) == 7);
}

TEST_CASE("Reading the value of an error Result throws BadResultAccess", "[error][result]") {
  const Error error(Errc::missing_member, "member is required", "/id");
  Result<int> r = error;
  CHECK_THROWS_AS(r.value(), BadResultAccess);
  CHECK_THROWS_AS(*r, BadResultAccess);
  try {
    (void)r.value();
    FAIL("value() did not throw");
  } catch (const BadResultAccess& e) {
    CHECK(e.error() == error);
    CHECK(std::string(e.what()).find("/id: member is required") != std::string::npos);
  }
  // BadResultAccess is a logic_error: a bug in the caller, not bad input.
  CHECK_THROWS_AS(r.value(), std::logic_error);

  Result<std::string> s = Error(Errc::internal, "boom");
  CHECK_THROWS_AS(s->size(), BadResultAccess);
  CHECK_THROWS_AS(std::move(s).value(), BadResultAccess);
}

TEST_CASE("Reading the error of a Result that holds a value throws BadResultAccess",
          "[error][result]") {
  const Error expected(Errc::invalid_argument, "error() called on a Result that holds a value");
  auto check = [&expected](auto&& read) {
    try {
      read();
      FAIL("error() did not throw");
    } catch (const BadResultAccess& e) {
      CHECK(e.error() == expected);
      CHECK(std::string(e.what()).find("error() called on a Result that holds a value") !=
            std::string::npos);
    }
  };

  const Result<int> value = 42;
  check([&] { (void)value.error(); });
  Result<std::string> moved = std::string("hello");
  check([&] { (void)std::move(moved).error(); });
  CHECK(moved.ok());  // nothing was moved out
  CHECK(*moved == "hello");
  CHECK_THROWS_AS(value.error(), std::logic_error);

  const Result<void> done;
  check([&] { (void)done.error(); });
  Result<void> moved_void;
  check([&] { (void)std::move(moved_void).error(); });
  CHECK(moved_void.ok());
  CHECK_THROWS_AS(done.error(), std::logic_error);
}

TEST_CASE("Result<T> holds move-only values", "[error][result]") {
  Result<std::unique_ptr<int>> r = std::make_unique<int>(5);
  REQUIRE(r.ok());
  CHECK(**r == 5);
  std::unique_ptr<int> taken = std::move(r).value();
  REQUIRE(taken != nullptr);
  CHECK(*taken == 5);
}

TEST_CASE("Result<T> built in place: value-initialized, or default-initialized on request",
          "[error][result]") {
  // std::in_place without arguments value-initializes, as std::variant and std::optional do.
  const Result<int> zero(std::in_place);
  REQUIRE(zero.ok());
  CHECK(*zero == 0);
  const Result<std::vector<int>> three(std::in_place, 3u, 7);
  CHECK(*three == std::vector<int>{7, 7, 7});
  // The decoders' tag default-initializes: a type whose members all have initializers is built
  // by its default constructor alone.
  struct Built {
    std::string text = "initial";
    Field<int> number;
    std::vector<int> items{1, 2};
  };
  const Result<Built> built(chathooks::detail::DefaultInitTag{});
  REQUIRE(built.ok());
  CHECK(built->text == "initial");
  CHECK(built->number.is_absent());
  CHECK(built->items == std::vector<int>{1, 2});
}

TEST_CASE("Result<T> copies and assigns across value and error", "[error][result]") {
  Result<std::string> a = std::string("value");
  Result<std::string> b = Error(Errc::timeout, "slow");
  Result<std::string> copy = a;
  CHECK(*copy == "value");
  copy = b;
  REQUIRE_FALSE(copy.ok());
  CHECK(copy.error().code() == Errc::timeout);
  copy = a;
  CHECK(*copy == "value");
  copy = std::move(b);
  CHECK(copy.error().message() == "slow");
  CHECK(a.value_or("other") == "value");
  CHECK(copy.value_or("other") == "other");
}

TEST_CASE("Error can be moved out of a Result", "[error][result]") {
  Result<int> r = Error(Errc::tls, "certificate verify failed");
  Error e = std::move(r).error();
  CHECK(e.code() == Errc::tls);
  CHECK(e.message() == "certificate verify failed");
}

TEST_CASE("Result<void>", "[error][result]") {
  const Result<void> ok;
  CHECK(ok.ok());
  CHECK(static_cast<bool>(ok));
  CHECK_NOTHROW(ok.value());

  const Result<void> failed = Error(Errc::queue_full, "queue at capacity 64");
  CHECK_FALSE(failed.ok());
  CHECK_FALSE(static_cast<bool>(failed));
  CHECK(failed.error().code() == Errc::queue_full);
  CHECK(failed.error().message() == "queue at capacity 64");
  CHECK_THROWS_AS(failed.value(), BadResultAccess);
}

TEST_CASE("Field starts absent", "[field]") {
  const Field<int> f;
  CHECK(f.is_absent());
  CHECK_FALSE(f.is_null());
  CHECK_FALSE(f.is_present());
  CHECK_FALSE(f.has_value());
  CHECK_FALSE(static_cast<bool>(f));
  CHECK(f.get() == nullptr);
  CHECK(f.value_or(9) == 9);
  CHECK_THROWS_AS(f.value(), BadFieldAccess);
}

TEST_CASE("Field null", "[field]") {
  const Field<int> a = nullptr;
  const Field<int> b = Field<int>::null();
  for (const Field<int>* f : {&a, &b}) {
    CHECK(f->is_null());
    CHECK_FALSE(f->is_absent());
    CHECK(f->is_present());
    CHECK_FALSE(f->has_value());
    CHECK(f->get() == nullptr);
    CHECK(f->value_or(9) == 9);
    CHECK_THROWS_AS(f->value(), BadFieldAccess);
    CHECK_THROWS_AS(**f, BadFieldAccess);
  }
}

TEST_CASE("Field with a value", "[field]") {
  Field<std::string> f = "hola";  // converting constructor from const char*
  CHECK(f.has_value());
  CHECK(f.is_present());
  CHECK_FALSE(f.is_null());
  CHECK_FALSE(f.is_absent());
  CHECK(f.value() == "hola");
  CHECK(f->size() == 4);
  REQUIRE(f.get() != nullptr);
  CHECK(*f.get() == "hola");
  CHECK(f.value_or("x") == "hola");
  *f += "!";
  CHECK(*f == "hola!");
  const std::string taken = std::move(f).value();
  CHECK(taken == "hola!");
}

TEST_CASE("Field transitions: emplace, set_null, reset", "[field]") {
  Field<std::string> f;
  std::string& stored = f.emplace(3, 'x');
  CHECK(stored == "xxx");
  CHECK(f.has_value());

  f.set_null();
  CHECK(f.is_null());
  CHECK_FALSE(f.has_value());

  f.emplace("back");  // from null to a value: no longer null
  CHECK(f.has_value());
  CHECK_FALSE(f.is_null());
  CHECK(*f == "back");

  f.reset();
  CHECK(f.is_absent());
  CHECK_FALSE(f.is_null());

  f.set_null();
  f.reset();  // from null to absent
  CHECK(f.is_absent());
}

TEST_CASE("Field equality keeps absent, null and value apart", "[field]") {
  const Field<int> absent;
  const Field<int> null = nullptr;
  const Field<int> one = 1;
  CHECK(absent == Field<int>());
  CHECK(null == Field<int>::null());
  CHECK(one == Field<int>(1));
  CHECK(absent != null);
  CHECK(absent != one);
  CHECK(null != one);
  CHECK(one != Field<int>(2));
  // 0 is a value, not null.
  CHECK(Field<int>(0) != null);
  CHECK(Field<int>(0).has_value());
}

namespace {

// A value that counts how many of it are alive, to see that Field makes and destroys each
// value exactly once whatever it is copied, moved or assigned across.
struct Counted {
  static int alive;
  std::string text;
  explicit Counted(std::string t) : text(std::move(t)) { ++alive; }
  Counted(const Counted& other) : text(other.text) { ++alive; }
  Counted(Counted&& other) noexcept : text(std::move(other.text)) { ++alive; }
  Counted& operator=(const Counted&) = default;
  Counted& operator=(Counted&&) noexcept = default;
  ~Counted() { --alive; }
  friend bool operator==(const Counted& a, const Counted& b) { return a.text == b.text; }
};
int Counted::alive = 0;

// The four states a Field can be in; "value" holds `text`.
std::vector<Field<Counted>> field_states(const std::string& text) {
  std::vector<Field<Counted>> out(4);
  out[1].set_null();
  out[2].set_unreadable();
  out[3].emplace(text);
  return out;
}

}  // namespace

TEST_CASE("Field copies, moves and assigns across every state, each value made and destroyed once",
          "[field]") {
  {
    const std::vector<Field<Counted>> from = field_states("from");
    for (std::size_t a = 0; a < 4; ++a) {
      INFO("from state " << a);
      const Field<Counted> copied(from[a]);
      CHECK(copied == from[a]);
      Field<Counted> source(from[a]);
      const Field<Counted> moved(std::move(source));
      CHECK(moved == from[a]);
      for (std::size_t b = 0; b < 4; ++b) {
        INFO("onto state " << b);
        std::vector<Field<Counted>> onto = field_states("onto");
        onto[b] = from[a];
        CHECK(onto[b] == from[a]);
        CHECK(onto[b].is_absent() == from[a].is_absent());
        CHECK(onto[b].is_null() == from[a].is_null());
        CHECK(onto[b].is_unreadable() == from[a].is_unreadable());
        std::vector<Field<Counted>> again = field_states("again");
        Field<Counted> moving(from[a]);
        again[b] = std::move(moving);
        CHECK(again[b] == from[a]);
        Field<Counted>& self = again[b];
        again[b] = self;  // assigning a Field to itself leaves it as it was
        CHECK(again[b] == from[a]);
      }
    }
    CHECK(Counted::alive > 0);
  }
  CHECK(Counted::alive == 0);
}

TEST_CASE("Field emplace replaces a value and value-initializes one made from nothing", "[field]") {
  Field<int> number = 7;
  CHECK(number.emplace() == 0);
  Field<Counted> counted(Counted("first"));
  counted.emplace("second");
  CHECK(counted->text == "second");
  CHECK(Counted::alive == 1);
  counted.reset();
  CHECK(Counted::alive == 0);
}

TEST_CASE("OrderedMap keeps insertion order", "[ordered_map]") {
  OrderedMap<int> m;
  CHECK(m.empty());
  m.insert_or_assign("zeta", 1);
  m.insert_or_assign("alpha", 2);
  m.insert_or_assign("mu", 3);
  REQUIRE(m.size() == 3);

  std::vector<std::string> keys;
  for (const auto& item : m) keys.push_back(item.first);
  CHECK(keys == std::vector<std::string>{"zeta", "alpha", "mu"});
  CHECK(m.back().first == "mu");
}

TEST_CASE("OrderedMap operator[] finds or appends a default value", "[ordered_map]") {
  OrderedMap<int> m{{"a", 1}};
  CHECK(m["a"] == 1);
  CHECK(m.size() == 1);
  CHECK(m["b"] == 0);  // inserted
  CHECK(m.size() == 2);
  m["b"] = 5;
  CHECK(m.back().first == "b");
  CHECK(m.back().second == 5);
}

TEST_CASE("OrderedMap insert_or_assign keeps the position of an existing key", "[ordered_map]") {
  OrderedMap<std::string> m{{"a", "1"}, {"b", "2"}, {"c", "3"}};
  std::string& stored = m.insert_or_assign("a", std::string("one"));
  CHECK(stored == "one");
  REQUIRE(m.size() == 3);
  auto it = m.begin();
  CHECK(it->first == "a");
  CHECK(it->second == "one");
  ++it;
  CHECK(it->first == "b");
}

TEST_CASE("OrderedMap find, contains and erase", "[ordered_map]") {
  OrderedMap<int> m{{"a", 1}, {"b", 2}, {"c", 3}};
  REQUIRE(m.find("b") != nullptr);
  CHECK(*m.find("b") == 2);
  CHECK(m.find("B") == nullptr);  // keys are case-sensitive
  CHECK(m.contains("c"));

  CHECK(m.erase("b"));
  CHECK_FALSE(m.erase("b"));
  CHECK_FALSE(m.contains("b"));
  std::vector<std::string> keys;
  for (const auto& item : m) keys.push_back(item.first);
  CHECK(keys == std::vector<std::string>{"a", "c"});

  m.clear();
  CHECK(m.empty());
}

TEST_CASE("OrderedMap append allows duplicates and find returns the first", "[ordered_map]") {
  OrderedMap<int> m;
  m.append("k", 1);
  m.append("k", 2);
  CHECK(m.size() == 2);
  CHECK(*m.find("k") == 1);
}

TEST_CASE("OrderedMap keys may hold NUL and non-ASCII bytes", "[ordered_map]") {
  OrderedMap<int> m;
  const std::string with_nul("a\0b", 3);
  m.insert_or_assign(with_nul, 1);
  m.insert_or_assign("a", 2);
  m.insert_or_assign("\xC3\xB1", 3);
  CHECK(m.size() == 3);
  CHECK(*m.find(with_nul) == 1);
  CHECK(*m.find("a") == 2);
  CHECK(*m.find("\xC3\xB1") == 3);
}

TEST_CASE("OrderedMap equality ignores order but not keys or values", "[ordered_map]") {
  const OrderedMap<int> a{{"x", 1}, {"y", 2}};
  CHECK(a == OrderedMap<int>{{"y", 2}, {"x", 1}});
  CHECK(a != OrderedMap<int>{{"x", 1}, {"y", 3}});
  CHECK(a != OrderedMap<int>{{"x", 1}, {"z", 2}});
  CHECK(a != OrderedMap<int>{{"x", 1}});
  CHECK(a != OrderedMap<int>{{"x", 1}, {"y", 2}, {"z", 3}});
  CHECK(OrderedMap<int>() == OrderedMap<int>());
}
