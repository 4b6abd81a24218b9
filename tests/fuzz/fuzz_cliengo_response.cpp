// Fuzz target: cliengo::decode_response (round trip under each duplicate-member policy),
// check_response() on what decodes, and read_answer(), the client's reading of an answer: for a
// 2xx, no override for an empty or whitespace-only body, else exactly what decode_response says;
// for any other status an error (endpoint_gone for a 410, http_status otherwise), whatever the
// body; the same through the overload that takes what a transport returned.
#include <cstddef>
#include <cstdint>
#include <string>

#include "chathooks/cliengo/answer.hpp"
#include "chathooks/cliengo/codec.hpp"
#include "chathooks/cliengo/response_builder.hpp"
#include "fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto input = chathooks_fuzz::as_text(data, size);
  chathooks_fuzz::check_round_trips(input, &chathooks::cliengo::decode_response);

  const auto decoded = chathooks::cliengo::decode_response(input);
  if (decoded) (void)chathooks::cliengo::check_response(*decoded);
  const auto answer = chathooks::cliengo::read_answer(200, input);
  const bool blank = input.find_first_not_of(" \t\r\n") == std::string_view::npos;
  if (blank) {
    chathooks_fuzz::require(answer.ok() && !answer->has_response(),
                            "a blank answer is not 'no override'", input);
  } else {
    chathooks_fuzz::require(answer.ok() == decoded.ok(), "read_answer and decode_response disagree",
                            input);
    if (decoded) {
      chathooks_fuzz::require(
          answer->has_response() &&
              chathooks::cliengo::encode(*answer->response) == chathooks::cliengo::encode(*decoded),
          "read_answer decoded differently", input);
    } else {
      chathooks_fuzz::require(answer.error() == decoded.error(),
                              "read_answer and decode_response fail differently", input);
    }
  }

  // What a transport returned reads the same.
  chathooks::http::HttpResponse response;
  response.status = 200;
  response.body = std::string(input);
  const auto same =
      chathooks::cliengo::read_answer(chathooks::Result<chathooks::http::HttpResponse>(response));
  chathooks_fuzz::require(same.ok() == answer.ok(), "the two read_answer overloads disagree",
                          input);
  if (!same.ok()) {
    chathooks_fuzz::require(same.error() == answer.error(),
                            "the two read_answer overloads disagree", input);
  }

  // A status outside 2xx is an error whatever the body.
  for (const int status : {404, 410, 503}) {
    const auto refused = chathooks::cliengo::read_answer(status, input);
    chathooks_fuzz::require(!refused.ok(), "a non-2xx answer was understood", input);
    chathooks_fuzz::require(
        refused.error().code() ==
            (status == 410 ? chathooks::Errc::endpoint_gone : chathooks::Errc::http_status),
        "a non-2xx answer has the wrong error code", input);
  }
  return 0;
}
