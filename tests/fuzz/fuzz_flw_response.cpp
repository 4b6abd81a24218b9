// Fuzz target: flw::decode_response (round trip under each duplicate-member policy), then what
// a sender does with an answer: check_response() on the decoded value, and read_answer() on the
// raw body for a 2xx, a 5xx and a 410, whose Result must hold together: never a throw, an error
// with a known code and text that serialises to JSON, or an Answer whose flow and branch agree
// with the decoded answer (tolerantly decoded; a 2xx body that is not a JSON object is the bare
// main flow with one warning).
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "chathooks/flw/answer.hpp"
#include "chathooks/flw/codec.hpp"
#include "chathooks/flw/response_builder.hpp"
#include "fuzz_support.hpp"

namespace {

// Whether `text` survives a trip through JSON: dumped as a string, it parses back to itself
// (false for text that is not UTF-8).
bool json_safe(const std::string& text) {
  const auto parsed = chathooks::Json::parse(chathooks::Json(text).dump());
  return parsed.ok() && *parsed == chathooks::Json(text);
}

// read_answer's properties for one status (the caller catches nothing: a throw is a crash).
void check_answer(const chathooks::Field<std::vector<std::string>>& keys, int status,
                  std::string_view body) {
  using chathooks::flw::Flow;
  const chathooks::Result<chathooks::flw::Answer> read =
      chathooks::flw::read_answer(keys, status, body);

  // The Result<HttpResponse> overload reads the same.
  chathooks::http::HttpResponse response;
  response.status = status;
  response.body = std::string(body);
  chathooks::flw::Dispatch dispatch;
  dispatch.response_keys = keys;
  const auto same = chathooks::flw::read_answer(
      dispatch, chathooks::Result<chathooks::http::HttpResponse>(std::move(response)));
  chathooks_fuzz::require(same.ok() == read.ok(), "the two read_answer overloads disagree", body);

  if (!read.ok()) {
    const chathooks::Error& error = read.error();
    chathooks_fuzz::require(same.error() == error, "the two read_answer overloads disagree", body);
    const std::string_view code = chathooks::to_string(error.code());
    chathooks_fuzz::require(!code.empty() && error.code() != chathooks::Errc::internal,
                            "read_answer failed with no known code", body);
    chathooks_fuzz::require(!error.message().empty(), "an error without a message", body);
    chathooks_fuzz::require(json_safe(error.message()), "an error message that is not UTF-8",
                            error.message());
    chathooks_fuzz::require(json_safe(error.pointer()), "an error pointer that is not UTF-8",
                            error.pointer());
    if (status == 410) {
      chathooks_fuzz::require(error.code() == chathooks::Errc::endpoint_gone,
                              "a 410 answer is not endpoint_gone", body);
    } else if (status < 200 || status > 299) {
      chathooks_fuzz::require(error.code() == chathooks::Errc::http_status,
                              "a non-2xx answer is not http_status", body);
    }
    return;
  }

  chathooks_fuzz::require(status >= 200 && status <= 299, "a non-2xx answer was understood", body);
  const chathooks::flw::Answer& answer = read.value();
  chathooks_fuzz::require(same.value().flow == answer.flow && same.value().branch == answer.branch,
                          "the two read_answer overloads disagree", body);
  chathooks_fuzz::require(json_safe(answer.branch), "a branch that is not UTF-8", answer.branch);
  if (!answer.response) {
    // Only a blank body (no warning) or one that is not a JSON object (one warning about the
    // whole body) has no decoded answer: the main flow and nothing else.
    const bool blank = body.find_first_not_of(" \t\r\n") == std::string_view::npos;
    chathooks_fuzz::require(blank ? answer.warnings.empty()
                                  : answer.warnings.size() == 1 &&
                                        answer.warnings[0].pointer.empty() &&
                                        !chathooks::flw::decode_response(body).ok(),
                            "an answer without its decoded response", body);
    chathooks_fuzz::require(answer.flow == Flow::main && answer.branch.empty() &&
                                answer.contact.is_absent() && answer.metadata.is_absent() &&
                                answer.messages.empty(),
                            "an unread answer is not the bare main flow", body);
    return;
  }
  for (const auto& warning : answer.warnings) {
    chathooks_fuzz::require(json_safe(warning.pointer) && json_safe(warning.reason),
                            "a warning that is not UTF-8", warning.pointer);
  }
  const chathooks::flw::Response& decoded = *answer.response;
  // The flow follows the decoded `response` member: none (absent or null) is the main flow
  // with an empty branch, a string is its branch, listed or not.
  if (const std::string* key = decoded.branch.get()) {
    chathooks_fuzz::require(answer.flow != Flow::main, "a key taken for the main flow", body);
    chathooks_fuzz::require(answer.branch == *key, "the branch is not the answer's key", body);
    const std::vector<std::string>* offered = keys.get();
    const bool listed =
        offered != nullptr && std::find(offered->begin(), offered->end(), *key) != offered->end();
    chathooks_fuzz::require((answer.flow == Flow::branch) == listed,
                            "listed and unlisted keys confused", body);
  } else {
    chathooks_fuzz::require(answer.flow == Flow::main && answer.branch.empty(),
                            "no key, yet not the main flow with an empty branch", body);
  }
  // Contact, metadata and messages are the decoded answer's, member for member.
  chathooks::flw::Response expected = decoded;
  expected.branch.reset();
  expected.extra = chathooks::JsonObject();
  chathooks::flw::Response parts;
  parts.contact = answer.contact;
  parts.metadata = answer.metadata;
  if (decoded.messages.has_value()) {
    parts.messages = answer.messages;
  } else {
    chathooks_fuzz::require(answer.messages.empty(), "messages out of nowhere", body);
    parts.messages = decoded.messages;
  }
  chathooks_fuzz::require(chathooks::flw::encode(parts) == chathooks::flw::encode(expected),
                          "contact, metadata or messages differ from the decoded answer", body);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto input = chathooks_fuzz::as_text(data, size);
  chathooks_fuzz::check_round_trips(input, &chathooks::flw::decode_response);
  if (auto decoded = chathooks::flw::decode_response(input)) {
    (void)chathooks::flw::check_response(*decoded);
    chathooks::flw::Dispatch dispatch;
    dispatch.response_keys = std::vector<std::string>{"CLIENTE_EXISTE", "NAO_EXISTE"};
    (void)chathooks::flw::check_response(*decoded, &dispatch);
  }
  const chathooks::Field<std::vector<std::string>> keys =
      std::vector<std::string>{"CLIENTE_EXISTE", "NAO_EXISTE"};
  check_answer(keys, 200, input);
  check_answer(chathooks::Field<std::vector<std::string>>{}, 200, input);
  check_answer(keys, 503, input);
  check_answer(keys, 410, input);
  return 0;
}
