// Fuzz target: cliengo::decode_response (round trip under each duplicate-member policy),
// check_response() on what decodes, and decode_answer(), the client's reading of a 2xx body: no
// override for an empty or whitespace-only body, else exactly what decode_response says.
#include <cstddef>
#include <cstdint>

#include "chathooks/cliengo/codec.hpp"
#include "chathooks/cliengo/fulfillment_client.hpp"
#include "chathooks/cliengo/response_builder.hpp"
#include "fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto input = chathooks_fuzz::as_text(data, size);
  for (const auto& options : chathooks_fuzz::every_duplicate_policy()) {
    chathooks_fuzz::check_round_trip(
        input, options,
        [](std::string_view text, const chathooks::ParseOptions& o) {
          return chathooks::cliengo::decode_response(text, o);
        },
        [](const chathooks::cliengo::Response& r) { return chathooks::cliengo::encode(r); });
  }

  const auto decoded = chathooks::cliengo::decode_response(input);
  if (decoded) (void)chathooks::cliengo::check_response(*decoded);
  const auto answer = chathooks::cliengo::decode_answer(input);
  const bool blank = input.find_first_not_of(" \t\r\n") == std::string_view::npos;
  if (blank) {
    chathooks_fuzz::require(answer.ok() && !answer->has_value(),
                            "a blank answer is not 'no override'", input);
  } else {
    chathooks_fuzz::require(answer.ok() == decoded.ok(),
                            "decode_answer and decode_response disagree", input);
    if (decoded) {
      chathooks_fuzz::require(answer->has_value() && chathooks::cliengo::encode(**answer) ==
                                                         chathooks::cliengo::encode(*decoded),
                              "decode_answer decoded differently", input);
    }
  }
  return 0;
}
