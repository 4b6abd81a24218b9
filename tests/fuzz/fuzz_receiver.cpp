// Fuzz target: a receiver's whole request handling. The input is an HTTP-like request: the
// method on the first line, then "Name: value" header lines up to an empty line, then the body.
// Each input goes to the three protocols' receivers, with and without Standard Webhooks
// verification (a fresh store each time, so that runs are reproducible). Checks:
// - handle() never throws and answers only the statuses the pipeline documents;
// - every error answer is a problem document: JSON whose `status` is the HTTP status;
// - a handled request answered with a body that decodes as the protocol's response, and the
//   same request again is answered the same way (a duplicate when it had a key);
// - the body signed by the right key is never refused as unauthentic.
#include <algorithm>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>

#include "chathooks/boticario/receiver.hpp"
#include "chathooks/cliengo/codec.hpp"
#include "chathooks/cliengo/receiver.hpp"
#include "chathooks/flw/codec.hpp"
#include "chathooks/flw/receiver.hpp"
#include "chathooks/flw/response_builder.hpp"
#include "chathooks/open_enum.hpp"
#include "chathooks/receiver/authenticator.hpp"
#include "chathooks/signing/signer.hpp"
#include "chathooks/signing/verifier.hpp"
#include "fuzz_support.hpp"

namespace {

namespace receiver = chathooks::receiver;
using chathooks_fuzz::require;

constexpr std::int64_t kNow = 1700000000;
const char* const kSecret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

receiver::Request parse_request(std::string_view input) {
  receiver::Request request;
  request.remote_address = "127.0.0.1";
  auto next_line = [&input]() {
    const auto newline = input.find('\n');
    std::string_view line = input.substr(0, newline);
    input = newline == std::string_view::npos ? std::string_view() : input.substr(newline + 1);
    return line;
  };
  request.method = std::string(next_line());
  while (!input.empty()) {
    const std::string_view line = next_line();
    if (line.empty()) break;
    const auto colon = line.find(':');
    std::string_view value = colon == std::string_view::npos ? "" : line.substr(colon + 1);
    while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
    request.headers.emplace_back(std::string(line.substr(0, colon)), std::string(value));
  }
  request.body = std::string(input);
  return request;
}

receiver::ReceiverOptions options(bool verify) {
  receiver::ReceiverOptions o;
  o.system_now = [] { return std::chrono::system_clock::time_point(std::chrono::seconds(kNow)); };
  o.max_body_bytes = 64 * 1024;  // small, so the fuzzer reaches the cap
  o.authenticator =
      verify ? receiver::standard_webhooks(chathooks::signing::Verifier::create({kSecret}).value())
             : receiver::allow_unauthenticated();
  return o;
}

receiver::Receiver make(int protocol, bool verify) {
  switch (protocol) {
    case 0:
      return chathooks::flw::make_receiver(
                 [](const chathooks::flw::Dispatch& dispatch, const receiver::Delivery&)
                     -> receiver::HandlerResult<chathooks::flw::Response> {
                   chathooks::flw::ResponseBuilder builder;
                   if (const auto* keys = dispatch.response_keys.get())
                     if (!keys->empty()) builder.branch(keys->front());
                   return builder.text("ok").build();
                 },
                 options(verify))
          .value();
    case 1:
      return chathooks::boticario::make_receiver(
                 [](const chathooks::boticario::Event&,
                    const receiver::Delivery&) -> receiver::HandlerResult<void> { return {}; },
                 options(verify))
          .value();
    default:
      return chathooks::cliengo::make_receiver(
                 [](const chathooks::cliengo::Memory&, const receiver::Delivery&)
                     -> receiver::HandlerResult<chathooks::cliengo::Response> {
                   return chathooks::cliengo::Response{};
                 },
                 options(verify))
          .value();
  }
}

void check_reply(int protocol, const receiver::Reply& reply) {
  const int status = reply.response.status;
  const std::string& body = reply.response.body;
  if (status == 200) {
    require(reply.disposition == receiver::Disposition::handled ||
                reply.disposition == receiver::Disposition::duplicate,
            "200 without being handled");
    if (protocol == 0) require(chathooks::flw::decode_response(body).ok(), "bad Flw answer", body);
    if (protocol == 1) require(body.empty(), "a Boticario acknowledgement with a body", body);
    if (protocol == 2)
      require(chathooks::cliengo::decode_response(body).ok(), "bad Cliengo answer", body);
    return;
  }
  require(status == 400 || status == 401 || status == 405 || status == 413 || status == 415,
          "an undocumented status", std::to_string(status));
  require(reply.error.has_value(), "an error answer without its error");
  require(reply.response.headers.get("Content-Type") == "application/problem+json",
          "an error answer that is not a problem document");
  auto problem = chathooks::Json::parse(body);
  require(problem.ok(), "a problem body that is not JSON", body);
  const chathooks::Json* member = problem->at_pointer("/status");
  require(member != nullptr && member->get_int64() == std::optional<std::int64_t>(status),
          "a problem body whose status differs", body);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const receiver::Request request = parse_request(chathooks_fuzz::as_text(data, size));
  for (int protocol = 0; protocol < 3; ++protocol) {
    for (const bool verify : {false, true}) {
      const receiver::Receiver r = make(protocol, verify);
      const receiver::Reply first = r.handle(request);
      check_reply(protocol, first);
      const receiver::Reply second = r.handle(request);
      check_reply(protocol, second);
      require(second.response.status == first.response.status, "a repeat answered differently");
      if (first.response.status == 200)
        require(second.response.body == first.response.body, "a repeat answered differently");
    }
    // The same request signed by the right key is never refused as unauthentic.
    receiver::Request signed_request = request;
    const auto signer = chathooks::signing::Signer::create({kSecret}).value();
    signed_request.headers.erase(
        std::remove_if(signed_request.headers.begin(), signed_request.headers.end(),
                       [](const auto& field) {
                         return chathooks::detail::ascii_iequal(field.first, "webhook-id") ||
                                chathooks::detail::ascii_iequal(field.first, "webhook-timestamp") ||
                                chathooks::detail::ascii_iequal(field.first, "webhook-signature");
                       }),
        signed_request.headers.end());
    signed_request.headers.emplace_back("webhook-id", "msg_fuzz");
    signed_request.headers.emplace_back("webhook-timestamp", std::to_string(kNow));
    signed_request.headers.emplace_back("webhook-signature",
                                        signer.sign("msg_fuzz", kNow, signed_request.body));
    const receiver::Reply reply = make(protocol, true).handle(signed_request);
    check_reply(protocol, reply);
    require(reply.response.status != 401, "a correctly signed request refused",
            reply.response.body);
  }
  return 0;
}
