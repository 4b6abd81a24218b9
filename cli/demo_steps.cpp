// The sending side of the demo and its steps (demo_steps.hpp).
#include "demo_steps.hpp"

#include <fmt/format.h>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>
#include <utility>
#include <vector>

#include "chathooks/boticario/codec.hpp"
#include "chathooks/cliengo/codec.hpp"
#include "chathooks/delivery/deliverer.hpp"
#include "chathooks/flw/codec.hpp"
#include "chathooks/http/curl_transport.hpp"
#include "chathooks/json.hpp"
#include "demo_payloads.hpp"

namespace chathooks_cli::demo {
namespace {

namespace boticario = chathooks::boticario;
namespace cliengo = chathooks::cliengo;
namespace delivery = chathooks::delivery;
namespace flw = chathooks::flw;
namespace http = chathooks::http;
namespace signing = chathooks::signing;
using chathooks::Error;

// Every request's time limit: a receiver that does not answer makes the step fail, never hang.
constexpr std::chrono::milliseconds kRequestTimeout{std::chrono::seconds(5)};

std::string join(const std::vector<std::string>& parts, std::string_view separator) {
  std::string out;
  for (const std::string& part : parts) {
    if (!out.empty()) out += separator;
    out += part;
  }
  return out;
}

// "signature_mismatch: no signature matches (at /pointer)".
std::string describe(const Error& error) {
  std::string out = fmt::format("{}: {}", chathooks::to_string(error.code()), error.message());
  if (!error.pointer().empty()) out += " at " + error.pointer();
  return out;
}

// "1 attempt (200)", "2 attempts (503, 200)".
std::string describe_attempts(const delivery::DeliveryRecord& delivery) {
  std::vector<std::string> outcomes;
  for (const delivery::Attempt& attempt : delivery.attempts) {
    if (attempt.status) {
      outcomes.push_back(std::to_string(*attempt.status));
    } else {
      outcomes.push_back(attempt.error ? std::string(chathooks::to_string(attempt.error->code()))
                                       : std::string("no answer"));
    }
  }
  const std::size_t count = delivery.attempts.size();
  return fmt::format("{} attempt{} ({})", count, count == 1 ? "" : "s", join(outcomes, ", "));
}

// Why a delivery failed, with its attempts.
template <class T>
std::string delivery_failure(const delivery::SendResult<T>& sent) {
  return fmt::format("not delivered after {}: {}", describe_attempts(sent.delivery),
                     describe(sent.error()));
}

// The receiver's side of one request: its single handler call since `before`.
struct CallCheck {
  std::optional<HandlerCall> call;
  std::string problem;  // why there is no single, authenticated call of the protocol
};

CallCheck one_call(const Receivers& receivers, std::size_t before, std::string_view protocol) {
  const std::vector<HandlerCall> calls = receivers.observed().calls_since(before);
  if (calls.size() != 1)
    return {std::nullopt,
            fmt::format("the {} handler ran {} times, expected once", protocol, calls.size())};
  if (calls.front().protocol != protocol)
    return {std::nullopt, fmt::format("the {} handler ran instead of the {} one",
                                      calls.front().protocol, protocol)};
  if (!calls.front().authenticated)
    return {std::nullopt, "the handler ran without a verified signature"};
  return {calls.front(), {}};
}

// A POST of `body` to `url`, signed the way the Deliverer signs each attempt: the three
// Standard Webhooks headers over the exact body bytes.
http::HttpRequest signed_request(const std::string& url, std::string body,
                                 const signing::Signer& signer) {
  http::HttpRequest request;
  request.url = url;
  request.timeout = kRequestTimeout;
  request.body = std::move(body);
  const std::string id = signing::new_message_id();
  const std::int64_t timestamp = std::chrono::duration_cast<std::chrono::seconds>(
                                     std::chrono::system_clock::now().time_since_epoch())
                                     .count();
  // Constant names and values the SDK made: none can hold CR or LF, so these cannot fail.
  (void)request.headers.set("Content-Type", "application/json");
  (void)request.headers.set(std::string(signing::kIdHeader), id);
  (void)request.headers.set(std::string(signing::kTimestampHeader), std::to_string(timestamp));
  (void)request.headers.set(std::string(signing::kSignatureHeader),
                            signer.sign(id, timestamp, request.body));
  return request;
}

// "text "...", "file URL", "template ID {params}".
std::string describe_message(const flw::OutgoingMessage& message) {
  std::vector<std::string> parts;
  if (const std::string* text = message.text.get())
    parts.push_back(fmt::format("text \"{}\"", *text));
  if (const std::string* url = message.file_url.get()) parts.push_back("file " + *url);
  if (const flw::Template* model = message.message_template.get()) {
    std::string part = "template " + model->id.value_or(std::string("(no id)"));
    if (const chathooks::JsonObject* parameters = model->parameters.get())
      part += " " + chathooks::Json(*parameters).dump();
    parts.push_back(std::move(part));
  }
  return parts.empty() ? std::string("(empty)") : join(parts, ", ");
}

// "say "a" + "b", expect LIST [x, y], stop the chat, jump to question N".
std::string describe_override(const cliengo::BotReply& reply) {
  std::vector<std::string> parts;
  if (const auto* texts = reply.text.get()) {
    std::vector<std::string> quoted;
    for (const std::string& text : *texts) quoted.push_back("\"" + text + "\"");
    parts.push_back("say " + join(quoted, " + "));
  }
  if (const auto* type = reply.response_type.get()) {
    std::string part = "expect " + type->text();
    if (const auto* options = reply.response_options.get())
      part += " [" + join(*options, ", ") + "]";
    parts.push_back(std::move(part));
  }
  if (const bool* stop = reply.stop_chat.get(); stop != nullptr && *stop)
    parts.push_back("stop the chat");
  if (const std::int64_t* flow = reply.flow.get())
    parts.push_back(fmt::format("jump to question {}", *flow));
  return parts.empty() ? std::string("nothing") : join(parts, ", ");
}

// Sends a documented Boticario event to `url` and checks that the handler got it.
StepResult send_event(const Senders& senders, const Receivers& receivers, std::string_view json,
                      const std::string& url, std::string_view name) {
  auto event = boticario::decode_event(json);
  if (!event)
    return failed(fmt::format("boticario: the documented {} does not decode: {}", name,
                              describe(event.error())));
  const std::size_t before = receivers.observed().call_count();
  const delivery::SendResult<void> sent = senders.boticario.send(*event, url);
  if (!sent) return failed(fmt::format("boticario: {} {}", name, delivery_failure(sent)));
  const CallCheck check = one_call(receivers, before, "boticario");
  if (!check.call) return failed("boticario: " + check.problem);
  return passed(fmt::format("boticario: {} delivered in {}, the receiver got {}", name,
                            describe_attempts(sent.delivery), check.call->what));
}

}  // namespace

chathooks::Result<Senders> Senders::create(const std::string& secret) {
  http::CurlTransportOptions transport_options;
  transport_options.allow_private_addresses = true;  // every receiver is on 127.0.0.1
  transport_options.connect_timeout = kRequestTimeout;
  transport_options.timeout = kRequestTimeout;
  std::shared_ptr<http::HttpTransport> transport = http::make_curl_transport(transport_options);

  delivery::DelivererOptions options;
  options.signing_keys = {secret};
  options.retry.max_attempts = 3;
  options.retry.initial_delay = std::chrono::milliseconds(100);
  options.retry.max_delay = std::chrono::seconds(1);
  options.retry.retry_after_cap = std::chrono::seconds(1);
  options.retry.deadline = kRequestTimeout;
  auto deliverer = delivery::Deliverer::create(transport, std::move(options));
  if (!deliverer) return std::move(deliverer).error();
  auto signer = signing::Signer::create({secret});
  if (!signer) return std::move(signer).error();
  // One Deliverer, shared: the three senders follow the same policy over the same connections.
  return Senders{std::move(transport), flw::Client(*deliverer), cliengo::Client(*deliverer),
                 boticario::Client(*deliverer), std::move(*signer)};
}

StepResult flw_dispatch_step(const Senders& senders, const Receivers& receivers) {
  auto dispatch = flw::decode_dispatch(demo_payloads::kFlwDispatch);
  if (!dispatch)
    return failed("flw: the documented dispatch does not decode: " + describe(dispatch.error()));
  const std::size_t before = receivers.observed().call_count();
  const delivery::SendResult<flw::Answer> sent = senders.flw.send(*dispatch, receivers.flw_url());
  const std::string attempts = describe_attempts(sent.delivery);
  if (!sent)
    return failed(
        fmt::format("flw: dispatch failed after {}: {}", attempts, describe(sent.error())));
  const flw::Answer& answer = sent.value();
  const CallCheck check = one_call(receivers, before, "flw");
  if (!check.call) return failed("flw: " + check.problem);
  if (answer.flow != flw::Flow::branch || answer.branch != "CLIENTE_EXISTE")
    return failed(fmt::format("flw: expected the listed branch CLIENTE_EXISTE, got {} {}",
                              flw::to_string(answer.flow), answer.branch));
  if (answer.messages.size() != 3)
    return failed(
        fmt::format("flw: expected the 3 documented messages, got {}", answer.messages.size()));
  const flw::Contact* contact = answer.contact.get();
  const std::vector<std::string>* tags = contact != nullptr ? contact->tags.get() : nullptr;
  if (tags == nullptr) return failed("flw: the answer has no contact update with tags");

  std::vector<std::string> details;
  details.push_back("receiver: " + check.call->what + ", signature verified");
  details.push_back("contact update: tags " + join(*tags, " + "));
  for (std::size_t i = 0; i < answer.messages.size(); ++i)
    details.push_back(fmt::format("message {}: {}", i + 1, describe_message(answer.messages[i])));
  return passed(fmt::format("flw: dispatch delivered in {}, branch {}, {} messages", attempts,
                            answer.branch, answer.messages.size()),
                std::move(details));
}

StepResult cliengo_step(const Senders& senders, const Receivers& receivers) {
  auto memory = cliengo::decode_memory(demo_payloads::kCliengoRequest);
  if (!memory)
    return failed("cliengo: the documented memory does not decode: " + describe(memory.error()));
  const std::size_t before = receivers.observed().call_count();
  const delivery::SendResult<cliengo::Answer> sent =
      senders.cliengo.send(*memory, receivers.cliengo_url());
  if (!sent)
    return failed(fmt::format("cliengo: call failed after {}: {}", describe_attempts(sent.delivery),
                              describe(sent.error())));
  const std::optional<cliengo::Response>& response = sent.value().response;
  const CallCheck check = one_call(receivers, before, "cliengo");
  if (!check.call) return failed("cliengo: " + check.problem);
  const cliengo::BotReply* reply =
      response ? response->reply.get() : static_cast<const cliengo::BotReply*>(nullptr);
  if (reply == nullptr || !reply->text.has_value() || !reply->flow.has_value())
    return failed("cliengo: expected an override with texts and a jump, got none");
  return passed(fmt::format("cliengo: memory delivered in {}, override: {}",
                            describe_attempts(sent.delivery), describe_override(*reply)),
                {"receiver: " + check.call->what + ", signature verified"});
}

StepResult boticario_message_step(const Senders& senders, const Receivers& receivers) {
  return send_event(senders, receivers, demo_payloads::kBoticarioMessageEvent,
                    receivers.boticario_url(), "message event");
}

StepResult boticario_status_step(const Senders& senders, const Receivers& receivers) {
  return send_event(senders, receivers, demo_payloads::kBoticarioStatusDelivered,
                    receivers.boticario_url(), "status event");
}

StepResult retry_step(const Senders& senders, const Receivers& receivers) {
  auto event = boticario::decode_event(demo_payloads::kBoticarioStatusRead);
  if (!event)
    return failed("retry: the documented status event does not decode: " + describe(event.error()));
  const std::size_t before = receivers.observed().call_count();
  const delivery::SendResult<void> sent = senders.boticario.send(*event, receivers.flaky_url());
  if (!sent) return failed("retry: " + delivery_failure(sent));
  const auto& attempts = sent.delivery.attempts;
  if (attempts.size() != 2 || attempts[0].status != 503 || attempts[1].status != 200)
    return failed(fmt::format("retry: expected attempts 503 then 200, got {}",
                              describe_attempts(sent.delivery)));
  const std::vector<FlakyHit> hits = receivers.observed().flaky_hits();
  if (hits.size() != 2 || hits[0].webhook_id != sent.delivery.message_id ||
      hits[1].webhook_id != sent.delivery.message_id)
    return failed("retry: the flaky endpoint did not see the same webhook-id twice");
  const CallCheck check = one_call(receivers, before, "boticario");
  if (!check.call) return failed("retry: " + check.problem);
  return passed(
      fmt::format("retry: flaky endpoint, delivered in {}", describe_attempts(sent.delivery)),
      {fmt::format("attempt 1: 503 with Retry-After: 0 ({} ms)", attempts[0].duration.count()),
       fmt::format("attempt 2: 200 after waiting {} ms ({} ms), same webhook-id {}",
                   attempts[1].delay_before.count(), attempts[1].duration.count(),
                   sent.delivery.message_id),
       "receiver got " + check.call->what + ", handler ran once"});
}

StepResult tampered_step(const Senders& senders, const Receivers& receivers) {
  http::HttpRequest request =
      signed_request(receivers.boticario_url(), std::string(demo_payloads::kBoticarioMessageEvent),
                     senders.signer);
  // What an attacker in the middle would do: keep the valid headers, change the text.
  const std::string original = "Mensagem de teste";
  const std::size_t at = request.body.find(original);
  if (at == std::string::npos)
    return failed("tampered: the documented event has no text to change");
  request.body.replace(at, original.size(), "Pague o boleto falso");
  const std::size_t before = receivers.observed().call_count();
  const chathooks::Result<http::HttpResponse> response = senders.transport->send(request);
  if (!response) return failed("tampered: no answer: " + describe(response.error()));
  if (response->status != 401)
    return failed(fmt::format("tampered: expected 401, got {}", response->status));
  if (receivers.observed().call_count() != before)
    return failed("tampered: the handler ran for a request that should have been refused");
  const std::string type = response->headers.get("Content-Type").value_or("(none)");
  auto problem = chathooks::Json::parse(response->body);
  const chathooks::Json* detail = problem ? problem->at_pointer("/detail") : nullptr;
  if (detail == nullptr || !detail->is_string())
    return failed("tampered: the 401 has no problem body with a detail");
  return passed(fmt::format("tampered: body changed after signing, refused with {} ({})",
                            response->status, type),
                {fmt::format("detail: \"{}\"; the handler did not run", *detail->get_string())});
}

StepResult replay_step(const Senders& senders, const Receivers& receivers) {
  const http::HttpRequest request =
      signed_request(receivers.boticario_url(),
                     std::string(demo_payloads::kBoticarioStatusDelivered), senders.signer);
  const std::size_t before = receivers.observed().call_count();
  const std::size_t duplicates = receivers.observed().duplicate_count();
  std::vector<int> statuses;
  for (int i = 0; i < 2; ++i) {
    const chathooks::Result<http::HttpResponse> response = senders.transport->send(request);
    if (!response)
      return failed(
          fmt::format("replay: send {} got no answer: {}", i + 1, describe(response.error())));
    statuses.push_back(response->status);
  }
  if (statuses[0] != 200 || statuses[1] != 200)
    return failed(
        fmt::format("replay: expected 200 twice, got {} and {}", statuses[0], statuses[1]));
  const CallCheck check = one_call(receivers, before, "boticario");
  if (!check.call) return failed("replay: " + check.problem);
  if (receivers.observed().duplicate_count() != duplicates + 1)
    return failed("replay: the second request was not answered as a duplicate");
  return passed("replay: the same signed request sent twice, 200 both times, handler ran once",
                {"second delivery of " + check.call->webhook_id +
                 " answered as a duplicate without calling the handler"});
}

}  // namespace chathooks_cli::demo
