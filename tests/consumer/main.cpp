// The consumer's program: parses a JSON document with chathooks, prints the library version and
// the document dumped back, and exits non-zero if anything is not as expected. It links real
// symbols of the library (Json::parse, Json::dump, Error), so it fails to build or link when the
// package is broken, and fails at run time when a shared library is not found.
#include <chathooks/json.hpp>
#include <chathooks/version.hpp>

#include <cstdio>
#include <string>

int main() {
  // Member order, a uint64 beyond int64 and a string with an escape must all survive.
  const std::string text = R"({"b":1,"a":[true,null,"x\n"],"n":18446744073709551615})";
  const chathooks::Result<chathooks::Json> doc = chathooks::Json::parse(text);
  if (!doc) {
    std::fprintf(stderr, "consumer: parse failed: %s\n", doc.error().to_string().c_str());
    return 1;
  }
  const std::string dumped = doc->dump();
  std::printf("chathooks %s\n%s\n", chathooks::version_string, dumped.c_str());
  if (dumped != text) {
    std::fprintf(stderr, "consumer: expected %s\n", text.c_str());
    return 1;
  }

  // Bad input is an error value, not an exception or a crash.
  const chathooks::Result<chathooks::Json> bad = chathooks::Json::parse("[1,");
  if (bad) {
    std::fprintf(stderr, "consumer: truncated JSON was accepted\n");
    return 1;
  }
  std::printf("truncated input: %s\n", bad.error().to_string().c_str());
  return 0;
}
