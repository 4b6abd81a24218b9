// The encoding order after edits (include/chathooks/extra_members.hpp): a decoded struct is
// written in the order its members came; members set after decoding that did not come are
// written after those that did, known ones in the documented order, then new unknown ones in
// insertion order; removed members are not written; removing an unknown member moves the
// unknown members after it up by one place; a struct built in code is written with its known
// members in the documented order, then its unknown ones.
// Flw's Contact documents: id, name, phonenumber, display-phonenumber, email, instagram, tags,
// metadata.
#include <string>
#include <vector>

#include "catch.hpp"
#include "chathooks/cliengo/codec.hpp"
#include "chathooks/flw/codec.hpp"
#include "chathooks/json.hpp"
#include "lossless_support.hpp"

namespace {

using chathooks::Json;
using chathooks::flw::Contact;
using chathooks::flw::Dispatch;

Dispatch decode(const std::string& text,
                const chathooks::ParseOptions& options = chathooks::ParseOptions{}) {
  INFO("input: " << text);
  auto decoded = chathooks::flw::decode_dispatch(text, options);
  if (!decoded) FAIL("decode failed: " << decoded.error().to_string());
  return std::move(decoded).value();
}

Contact& contact_of(Dispatch& d) {
  REQUIRE(d.contact.has_value());
  return *d.contact.get();
}

std::string wrap(const std::string& contact) { return "{\"contact\":" + contact + "}"; }

// Members out of the documented order, unknown ones interleaved.
const std::string kShuffled = R"({"tags":["a"],"zeta":1.50,"name":"D","alpha":-0,"id":"1"})";

}  // namespace

TEST_CASE("An unchanged decoded struct encodes in the order its members came",
          "[codec][lossless][order]") {
  Dispatch d = decode(wrap(kShuffled));
  CHECK(chathooks::flw::encode(d) == wrap(kShuffled));
}

TEST_CASE("Edits to a struct decoded out of the documented order", "[codec][lossless][order]") {
  Dispatch d = decode(wrap(kShuffled));
  Contact& c = contact_of(d);

  SECTION("a changed value stays in its place") {
    c.name = std::string("E");
    CHECK(chathooks::flw::encode(d) ==
          wrap(R"({"tags":["a"],"zeta":1.50,"name":"E","alpha":-0,"id":"1"})"));
  }
  SECTION("a value set to null stays in its place") {
    c.name.set_null();
    CHECK(chathooks::flw::encode(d) ==
          wrap(R"({"tags":["a"],"zeta":1.50,"name":null,"alpha":-0,"id":"1"})"));
  }
  SECTION("a changed unknown member stays in its place") {
    c.extra.insert_or_assign("zeta", Json(2));
    CHECK(chathooks::flw::encode(d) ==
          wrap(R"({"tags":["a"],"zeta":2,"name":"D","alpha":-0,"id":"1"})"));
  }
  SECTION("a known member that was absent goes after those that came") {
    c.email = std::string("e@x");
    CHECK(chathooks::flw::encode(d) ==
          wrap(R"({"tags":["a"],"zeta":1.50,"name":"D","alpha":-0,"id":"1","email":"e@x"})"));
  }
  SECTION("new known members go in the documented order, whatever order code set them in") {
    c.metadata = chathooks::JsonObject{};
    c.instagram = std::string("@d");
    c.email = std::string("e@x");
    CHECK(chathooks::flw::encode(d) ==
          wrap(R"({"tags":["a"],"zeta":1.50,"name":"D","alpha":-0,"id":"1","email":"e@x",)"
               R"("instagram":"@d","metadata":{}})"));
  }
  SECTION("a new unknown member goes last, after new known ones") {
    c.extra.append("new", Json(1));
    c.email = std::string("e@x");
    CHECK(chathooks::flw::encode(d) ==
          wrap(R"({"tags":["a"],"zeta":1.50,"name":"D","alpha":-0,"id":"1","email":"e@x",)"
               R"("new":1})"));
  }
  SECTION("a removed known member is not written") {
    c.name.reset();
    CHECK(chathooks::flw::encode(d) == wrap(R"({"tags":["a"],"zeta":1.50,"alpha":-0,"id":"1"})"));
  }
  SECTION("a removed unknown member moves the unknown members after it up by one place") {
    REQUIRE(c.extra.erase("zeta"));
    CHECK(chathooks::flw::encode(d) == wrap(R"({"tags":["a"],"alpha":-0,"name":"D","id":"1"})"));
  }
  SECTION("after a removed unknown member, the unknown members after it move up, a new one too") {
    // Unknown members' places are kept by position (extra_members.hpp): with `zeta` gone,
    // `alpha` takes its place and the new member takes `alpha`'s. A new known member still
    // goes after those that came.
    REQUIRE(c.extra.erase("zeta"));
    c.extra.append("new", Json(1));
    c.email = std::string("e@x");
    CHECK(chathooks::flw::encode(d) ==
          wrap(R"({"tags":["a"],"alpha":-0,"name":"D","new":1,"id":"1","email":"e@x"})"));
  }
  SECTION("a copy encodes as the original") {
    const Dispatch copy = d;
    CHECK(chathooks::flw::encode(copy) == wrap(kShuffled));
  }
}

TEST_CASE("Edits to a struct decoded in the documented order", "[codec][lossless][order]") {
  SECTION("a known member that was absent goes after the known ones that came") {
    // name is documented between id and email, but it did not come.
    Dispatch d = decode(wrap(R"({"id":"1","email":"e@x"})"));
    contact_of(d).name = std::string("D");
    CHECK(chathooks::flw::encode(d) == wrap(R"({"id":"1","email":"e@x","name":"D"})"));
  }
  SECTION("a known member that was absent goes after the unknown ones that came") {
    Dispatch d = decode(wrap(R"({"id":"1","name":"D","cnpj":"00"})"));
    contact_of(d).email = std::string("e@x");
    CHECK(chathooks::flw::encode(d) == wrap(R"({"id":"1","name":"D","cnpj":"00","email":"e@x"})"));
  }
  SECTION("at the root too") {
    auto r = chathooks::flw::decode_response(R"({"response":"A","x":1})");
    REQUIRE(r.ok());
    r->metadata = chathooks::JsonObject{};
    CHECK(chathooks::flw::encode(*r) == R"({"response":"A","x":1,"metadata":{}})");
  }
  SECTION("new unknown ones go after new known ones") {
    Dispatch d = decode(wrap(R"({"id":"1","name":"D"})"));
    contact_of(d).extra.append("new", Json(1));
    contact_of(d).email = std::string("e@x");
    CHECK(chathooks::flw::encode(d) == wrap(R"({"id":"1","name":"D","email":"e@x","new":1})"));
  }
}

TEST_CASE("A struct built in code is written known members first, in the documented order",
          "[codec][lossless][order]") {
  Dispatch d;
  Contact c;
  c.extra.append("z", Json(1));
  c.tags = std::vector<std::string>{"t"};
  c.id = std::string("1");
  d.contact = c;
  CHECK(chathooks::flw::encode(d) == wrap(R"({"id":"1","tags":["t"],"z":1})"));
}

TEST_CASE("An unreadable member given a value, null or reset after a tolerant decode",
          "[codec][lossless][order][tolerant]") {
  const std::string input = wrap(R"({"tags":["a"],"x":1.0,"name":{"first":1E+2},"id":"1"})");
  Dispatch d = decode(input, lossless::tolerant_options());
  Contact& c = contact_of(d);
  REQUIRE(c.name.is_unreadable());
  REQUIRE(c.extra.unreadable("name") != nullptr);
  CHECK(c.extra.unreadable("name")->dump() == R"({"first":1E+2})");
  CHECK(chathooks::flw::encode(d) == input);

  SECTION("a value is written in the member's place") {
    c.name = std::string("D");
    CHECK_FALSE(c.name.is_unreadable());
    // extra.unreadable(name) keeps returning the value that came (documented); the Field is
    // what is written.
    REQUIRE(c.extra.unreadable("name") != nullptr);
    CHECK(c.extra.unreadable("name")->dump() == R"({"first":1E+2})");
    CHECK(chathooks::flw::encode(d) == wrap(R"({"tags":["a"],"x":1.0,"name":"D","id":"1"})"));
  }
  SECTION("null is written in the member's place") {
    c.name.set_null();
    CHECK(chathooks::flw::encode(d) == wrap(R"({"tags":["a"],"x":1.0,"name":null,"id":"1"})"));
  }
  SECTION("a reset member is not written") {
    c.name.reset();
    CHECK(chathooks::flw::encode(d) == wrap(R"({"tags":["a"],"x":1.0,"id":"1"})"));
  }
}

TEST_CASE("Nested structs in arrays keep their own order after edits elsewhere",
          "[codec][lossless][order]") {
  const std::string input =
      R"({"messages":[{"fileUrl":"u","k":-0.0,"text":"t"},)"
      R"({"template":{"parameters":{"b":1E+2,"a":1},"q":[],"id":"x"}}],"response":"R"})";
  auto r = chathooks::flw::decode_response(input);
  REQUIRE(r.ok());
  CHECK(chathooks::flw::encode(*r) == input);
  r->branch = std::string("S");
  CHECK(chathooks::flw::encode(*r) ==
        R"({"messages":[{"fileUrl":"u","k":-0.0,"text":"t"},)"
        R"({"template":{"parameters":{"b":1E+2,"a":1},"q":[],"id":"x"}}],"response":"S"})");
}
