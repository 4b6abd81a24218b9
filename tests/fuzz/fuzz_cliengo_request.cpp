// Fuzz target: cliengo::decode_memory with the round trip of fuzz_support.hpp under each
// duplicate-member policy.
#include <cstddef>
#include <cstdint>

#include "chathooks/cliengo/codec.hpp"
#include "fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto input = chathooks_fuzz::as_text(data, size);
  for (const auto& options : chathooks_fuzz::every_duplicate_policy()) {
    chathooks_fuzz::check_round_trip(
        input, options,
        [](std::string_view text, const chathooks::ParseOptions& o) {
          return chathooks::cliengo::decode_memory(text, o);
        },
        [](const chathooks::cliengo::Memory& r) { return chathooks::cliengo::encode(r); });
  }
  return 0;
}
