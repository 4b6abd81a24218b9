// Fuzz target: flw::decode_dispatch, under each duplicate-member policy, with the round trip of
// fuzz_support.hpp (decode(encode(decode(x))) encodes as decode(x) did, and is the input's JSON),
// and the tolerant-mode round trip (check_tolerant_round_trip: idempotent, the input's JSON).
#include <cstddef>
#include <cstdint>

#include "chathooks/flw/codec.hpp"
#include "fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto input = chathooks_fuzz::as_text(data, size);
  chathooks_fuzz::check_round_trips(input, &chathooks::flw::decode_dispatch);
  chathooks_fuzz::check_tolerant_round_trip(
      input, &chathooks::flw::decode_dispatch,
      [](const chathooks::flw::Dispatch& dispatch) { return chathooks::flw::encode(dispatch); });
  return 0;
}
