// Fuzz target: boticario::decode_event (message, status and unknown events alike) with the
// round trip of fuzz_support.hpp under each duplicate-member policy.
#include <cstddef>
#include <cstdint>

#include "chathooks/boticario/codec.hpp"
#include "fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto input = chathooks_fuzz::as_text(data, size);
  chathooks_fuzz::check_round_trips(input, &chathooks::boticario::decode_event);
  return 0;
}
