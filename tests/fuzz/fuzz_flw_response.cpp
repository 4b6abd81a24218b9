// Fuzz target: flw::decode_response (round trip under each duplicate-member policy), then what
// a sender does with an answer: check_response() on the decoded value, and interpret_response()
// on the raw body for a 2xx and a 5xx, whose Outcome must serialise to JSON.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "chathooks/flw/codec.hpp"
#include "chathooks/flw/outcome.hpp"
#include "chathooks/flw/response_builder.hpp"
#include "fuzz_support.hpp"

namespace {

// interpret_response's properties for one status: never throws, and to_json() is JSON.
void check_outcome(const chathooks::Field<std::vector<std::string>>& keys, int status,
                   std::string_view body) {
  const auto outcome = chathooks::flw::interpret_response(keys, status, body);
  const std::string json = chathooks::flw::to_json(outcome);
  chathooks_fuzz::require(chathooks::Json::parse(json).ok(), "to_json(Outcome) is not JSON", json);
  if (status >= 500) {
    chathooks_fuzz::require(outcome.branch == chathooks::flw::Branch::failure,
                            "a 5xx answer is not a failure", body);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto input = chathooks_fuzz::as_text(data, size);
  for (const auto& options : chathooks_fuzz::every_duplicate_policy()) {
    chathooks_fuzz::check_round_trip(
        input, options,
        [](std::string_view text, const chathooks::ParseOptions& o) {
          return chathooks::flw::decode_response(text, o);
        },
        [](const chathooks::flw::Response& r) { return chathooks::flw::encode(r); });
  }
  if (auto decoded = chathooks::flw::decode_response(input)) {
    (void)chathooks::flw::check_response(*decoded);
    chathooks::flw::Dispatch dispatch;
    dispatch.response_keys = std::vector<std::string>{"CLIENTE_EXISTE", "NAO_EXISTE"};
    (void)chathooks::flw::check_response(*decoded, &dispatch);
  }
  const chathooks::Field<std::vector<std::string>> keys =
      std::vector<std::string>{"CLIENTE_EXISTE", "NAO_EXISTE"};
  check_outcome(keys, 200, input);
  check_outcome(chathooks::Field<std::vector<std::string>>{}, 200, input);
  check_outcome(keys, 503, input);
  return 0;
}
