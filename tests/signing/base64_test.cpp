// Tests of the strict base64 codec used for keys and signatures: RFC 4648 vectors both ways,
// and refusal of every non-canonical or foreign text.
#include <string>

#include "catch.hpp"
#include "signing/base64.hpp"

using chathooks::signing::detail::base64_decode;
using chathooks::signing::detail::base64_encode;

TEST_CASE("base64 encodes and decodes the RFC 4648 vectors") {
  const std::pair<const char*, const char*> vectors[] = {
      {"", ""},
      {"f", "Zg=="},
      {"fo", "Zm8="},
      {"foo", "Zm9v"},
      {"foob", "Zm9vYg=="},
      {"fooba", "Zm9vYmE="},
      {"foobar", "Zm9vYmFy"},
  };
  for (const auto& [plain, encoded] : vectors) {
    INFO(plain);
    CHECK(base64_encode(plain) == encoded);
    const auto decoded = base64_decode(encoded);
    REQUIRE(decoded);
    CHECK(*decoded == plain);
  }
}

TEST_CASE("base64 round-trips every byte value") {
  std::string bytes;
  for (int i = 0; i < 256; ++i) bytes += static_cast<char>(i);
  for (std::size_t len = 0; len <= bytes.size(); len += 17) {
    const std::string part = bytes.substr(0, len);
    const auto decoded = base64_decode(base64_encode(part));
    REQUIRE(decoded);
    CHECK(*decoded == part);
  }
  CHECK(base64_encode(std::string("\xff\xfe\xfd", 3)) == "//79");
  CHECK(base64_encode(std::string("\xfb\xff", 2)) == "+/8=");
}

TEST_CASE("base64 decoding refuses anything that is not strict canonical base64") {
  const char* bad[] = {
      "Zg",        // no padding
      "Zg=",       // short padding
      "Zm9",       // length not a multiple of 4
      "Zg==Zg==",  // padding in the middle
      "=Zg=",      // padding first
      "====",      // padding only
      "A===",      // three padding characters
      "Zm9v\n",    // whitespace
      " Zm9v",     // leading space
      "Zm 9v",     // inner space
      "Zm9v!A==",  // character outside the alphabet
      "Zm-_",      // URL-safe alphabet
      "Zh==",      // non-zero unused bits (canonical form is Zg==)
      "Zm9=",      // non-zero unused bits (canonical form is Zm8=)
  };
  for (const char* text : bad) {
    INFO(text);
    CHECK_FALSE(base64_decode(text));
  }
  CHECK_FALSE(base64_decode(std::string("Zm9v\0AAA", 8)));
  CHECK_FALSE(base64_decode(std::string("Zm\x80v", 4)));
}
