// The receiving side of the demo (demo_receivers.hpp).
#include "demo_receivers.hpp"

#include <fmt/format.h>

#include <atomic>
#include <utility>
#include <variant>

#include "chathooks/boticario/receiver.hpp"
#include "chathooks/cliengo/receiver.hpp"
#include "chathooks/cliengo/response_builder.hpp"
#include "chathooks/flw/codec.hpp"
#include "chathooks/flw/receiver.hpp"
#include "chathooks/httplib/receiver.hpp"
#include "chathooks/receiver/authenticator.hpp"
#include "chathooks/signing/verifier.hpp"
#include "demo_payloads.hpp"

namespace chathooks_cli::demo {
namespace {

namespace boticario = chathooks::boticario;
namespace cliengo = chathooks::cliengo;
namespace flw = chathooks::flw;
namespace httplib_adapter = chathooks::httplib_adapter;
namespace receiver = chathooks::receiver;
using chathooks::Errc;
using chathooks::Error;

// The Flw host: a contact with a CNPJ is a known customer (branch CLIENTE_EXISTE, else
// CLIENTE_NAO_EXISTE); the answer is the Flw document's example with messages, plus a contact
// update that tags the contact as a customer.
flw::DispatchHandler flw_handler(Observed& observed, flw::Response documented) {
  return [&observed, documented](
             const flw::Dispatch& dispatch,
             const receiver::Delivery& delivery) -> receiver::HandlerResult<flw::Response> {
    const flw::Contact* contact = dispatch.contact.get();
    const chathooks::Json* cnpj = contact != nullptr ? contact->custom_field("cnpj") : nullptr;
    const bool known = cnpj != nullptr && cnpj->is_string();
    flw::Response response = documented;
    response.branch = std::string(known ? "CLIENTE_EXISTE" : "CLIENTE_NAO_EXISTE");
    flw::Contact update;
    std::vector<std::string> tags;
    if (contact != nullptr && contact->tags.has_value()) tags = *contact->tags;
    tags.push_back(known ? "Cliente" : "Prospect");
    update.tags = std::move(tags);
    response.contact = std::move(update);

    const std::string name = contact != nullptr ? contact->name.value_or(std::string("?")) : "?";
    observed.add_call({"flw",
                       fmt::format("dispatch for {}, CNPJ {}", name,
                                   known ? *cnpj->get_string() : std::string("none")),
                       delivery.webhook_id, delivery.authenticated});
    return response;
  };
}

// The Cliengo host: the memory already holds the visitor's phone, which the bot is asking for,
// so the answer thanks the visitor and jumps past that question.
cliengo::MemoryHandler cliengo_handler(Observed& observed) {
  return [&observed](
             const cliengo::Memory& memory,
             const receiver::Delivery& delivery) -> receiver::HandlerResult<cliengo::Response> {
    std::string name = "there";
    std::string phone;
    if (const cliengo::CollectedData* data = memory.collected_data.get()) {
      if (const cliengo::DetectedValue* value = data->name.get())
        name = value->value.value_or(name);
      if (const cliengo::Phone* value = data->phone.get())
        phone = value->international_format.value_or(std::string());
    }
    std::int64_t last_question = 0;
    if (const cliengo::FlowPosition* flow = memory.flow.get())
      last_question = flow->last_question_id.value_or(std::int64_t{0});

    cliengo::ResponseBuilder answer;
    answer.say("Thanks, " + name + "!");
    if (!phone.empty()) {
      answer.say("We will call you at " + phone + ".").jump_to(last_question + 1);
    }
    observed.add_call({"cliengo",
                       fmt::format("memory of {}, phone {}, at question {}", name,
                                   phone.empty() ? std::string("unknown") : phone, last_question),
                       delivery.webhook_id, delivery.authenticated});
    return std::move(answer).build();
  };
}

// "text" or "status" with what the event says.
std::string describe_event(const boticario::Event& event) {
  if (const auto* message = std::get_if<boticario::MessageEvent>(&event)) {
    const boticario::Message* body = message->message.get();
    return fmt::format("type response, text \"{}\"",
                       body != nullptr ? body->text.value_or(std::string()) : std::string());
  }
  if (const auto* status = std::get_if<boticario::StatusEvent>(&event))
    return fmt::format("type status, status {}", status->status().text());
  return fmt::format("type {} (undocumented)", std::get<boticario::UnknownEvent>(event).type());
}

// The Boticario host: records the event and acknowledges it.
boticario::EventHandler boticario_handler(Observed& observed) {
  return [&observed](const boticario::Event& event,
                     const receiver::Delivery& delivery) -> receiver::HandlerResult<void> {
    observed.add_call(
        {"boticario", describe_event(event), delivery.webhook_id, delivery.authenticated});
    return {};
  };
}

// Counts the deliveries answered again without their handler.
httplib_adapter::ReplyHook count_duplicates(Observed& observed) {
  return [&observed](const receiver::Request&, const receiver::Reply& reply) {
    if (reply.disposition == receiver::Disposition::duplicate) observed.add_duplicate();
  };
}

// An endpoint that is down the first time it is called (503 with Retry-After: 0, so that the
// sender retries at once) and then hands every request to `boticario`, as a load balancer in
// front of a restarting receiver would.
void add_flaky_route(httplib::Server& server, receiver::Receiver boticario, Observed& observed) {
  auto calls = std::make_shared<std::atomic<int>>(0);
  server.Post("/flaky",
              [boticario, &observed, calls](const httplib::Request& in, httplib::Response& out) {
                const std::string webhook_id = in.get_header_value("webhook-id");
                if (calls->fetch_add(1) == 0) {
                  out.status = 503;
                  out.set_header("Retry-After", "0");
                  out.set_content("restarting\n", "text/plain");
                  observed.add_flaky_hit({out.status, webhook_id});
                  return;
                }
                receiver::Request request = httplib_adapter::request_head(in);
                request.body = in.body;
                const receiver::Reply reply = boticario.handle(request);
                if (reply.disposition == receiver::Disposition::duplicate) observed.add_duplicate();
                observed.add_flaky_hit({reply.response.status, webhook_id});
                httplib_adapter::write_reply(reply, out);
              });
}

}  // namespace

void Observed::add_call(HandlerCall call) {
  std::lock_guard<std::mutex> lock(mutex_);
  calls_.push_back(std::move(call));
}

void Observed::add_duplicate() {
  std::lock_guard<std::mutex> lock(mutex_);
  ++duplicates_;
}

void Observed::add_flaky_hit(FlakyHit hit) {
  std::lock_guard<std::mutex> lock(mutex_);
  flaky_hits_.push_back(std::move(hit));
}

std::vector<HandlerCall> Observed::calls_since(std::size_t from) const {
  std::lock_guard<std::mutex> lock(mutex_);
  if (from >= calls_.size()) return {};
  return std::vector<HandlerCall>(calls_.begin() + static_cast<std::ptrdiff_t>(from), calls_.end());
}

std::size_t Observed::call_count() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return calls_.size();
}

std::size_t Observed::duplicate_count() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return duplicates_;
}

std::vector<FlakyHit> Observed::flaky_hits() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return flaky_hits_;
}

chathooks::Result<std::unique_ptr<Receivers>> Receivers::start(const std::string& secret,
                                                               std::chrono::milliseconds limit) {
  auto verifier = chathooks::signing::Verifier::create({secret});
  if (!verifier) return std::move(verifier).error();
  auto documented = flw::decode_response(demo_payloads::kFlwResponseMessages);
  if (!documented) return std::move(documented).error();

  auto made = std::make_unique<Receivers>();
  Observed& observed = made->observed_;
  // One options value for the three: the same secret, and each receiver makes its own store
  // of recent webhook-ids for deduplication.
  receiver::ReceiverOptions options;
  options.authenticator = receiver::standard_webhooks(std::move(*verifier));

  auto flw_receiver = flw::make_receiver(flw_handler(observed, std::move(*documented)), options);
  if (!flw_receiver) return std::move(flw_receiver).error();
  auto cliengo_receiver = cliengo::make_receiver(cliengo_handler(observed), options);
  if (!cliengo_receiver) return std::move(cliengo_receiver).error();
  auto boticario_receiver = boticario::make_receiver(boticario_handler(observed), options);
  if (!boticario_receiver) return std::move(boticario_receiver).error();

  httplib_adapter::mount(made->flw_.server(), "/flw", std::move(*flw_receiver),
                         count_duplicates(observed));
  httplib_adapter::mount(made->cliengo_.server(), "/cliengo", std::move(*cliengo_receiver),
                         count_duplicates(observed));
  add_flaky_route(made->boticario_.server(), *boticario_receiver, observed);
  httplib_adapter::mount(made->boticario_.server(), "/boticario", std::move(*boticario_receiver),
                         count_duplicates(observed));

  for (httplib_adapter::BackgroundServer* server :
       {&made->flw_, &made->cliengo_, &made->boticario_}) {
    if (!server->start("127.0.0.1", 0, limit))
      return Error(Errc::connection_failed, "cannot listen on 127.0.0.1 (no free port?)");
  }
  return made;
}

}  // namespace chathooks_cli::demo
