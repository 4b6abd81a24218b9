// The sending side of the Flw chatbot webhook, as the chatbot platform runs it: build a dispatch
// in code, POST it to the customer's webhook through flw::Client (libcurl, Standard Webhooks
// signature, retries) and follow the branch the answer picks, with its contact update and
// messages. Run with no arguments, it first starts a stand-in for the customer's webhook on
// 127.0.0.1 (the SDK's own Flw receiver, checking the signature) and sends to it; given a URL it
// sends there instead, signed with --secret (unsigned without one). It prints what happened and
// exits 0 when the webhook answered usably.
//   flw_dispatch [URL [--secret whsec_...]]
#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

#include "chathooks/flw/client.hpp"
#include "chathooks/flw/receiver.hpp"
#include "chathooks/flw/response_builder.hpp"
#include "chathooks/http/curl_transport.hpp"
#include "chathooks/httplib/background_server.hpp"
#include "chathooks/httplib/receiver.hpp"
#include "chathooks/signing/keys.hpp"
#include "chathooks/signing/verifier.hpp"

using namespace chathooks;

namespace {

// "code: message", and where in a payload when the error is about one.
std::string describe(const Error& error) {
  std::string text = std::string(to_string(error.code())) + ": " + error.message();
  return error.pointer().empty() ? text : text + " (at " + error.pointer() + ")";
}

int fail(const Error& error) {
  std::fprintf(stderr, "error: %s\n", describe(error).c_str());
  return 1;
}

// The customer's webhook, for the run without a URL: recognises the contact by their custom
// field "cnpj", picks a branch, updates the contact and sends two messages.
Result<receiver::Receiver> make_customer_webhook(const std::string& secret) {
  auto verifier = signing::Verifier::create({secret});
  if (!verifier) return verifier.error();
  receiver::ReceiverOptions options;
  options.authenticator = receiver::standard_webhooks(*verifier);
  return flw::make_receiver(
      [](const flw::Dispatch& dispatch,
         const receiver::Delivery&) -> receiver::HandlerResult<flw::Response> {
        const flw::Contact* contact = dispatch.contact.get();
        const Json* cnpj = contact ? contact->custom_field("cnpj") : nullptr;
        if (cnpj == nullptr) return flw::ResponseBuilder().branch("CLIENTE_NAO_EXISTE").build();
        return flw::ResponseBuilder()
            .branch("CLIENTE_EXISTE")
            .contact_field("email", "david@example.com")
            .contact_field("cliente-desde", "2019")
            .clear_contact_field("instagram")
            .text("Olá, " + contact->name.value_or("cliente") + "! Encontramos seu cadastro.")
            .text_with_file("Segue seu boleto.", "https://example.com/boleto.pdf")
            .build();
      },
      options);
}

// A client for the customer's webhook. `loopback`: the stand-in is on 127.0.0.1, which the
// libcurl transport's destination guard refuses by default.
Result<flw::Client> make_client(const std::string& secret, bool loopback) {
  http::CurlTransportOptions transport;
  transport.allow_private_addresses = loopback;
  delivery::DelivererOptions options;
  if (!secret.empty()) options.signing_keys = {secret};  // Standard Webhooks signature
  options.retry.max_attempts = 4;                        // retries within 10 s at most
  options.retry.deadline = std::chrono::seconds(10);
  return flw::Client::create(http::make_curl_transport(transport), options);
}

// The core: build a dispatch, send it, follow the flow the answer picks.
delivery::SendResult<flw::Answer> send_dispatch(const flw::Client& client, const std::string& url) {
  flw::Dispatch dispatch;  // typed fields; absent ones are not sent
  dispatch.response_keys = std::vector<std::string>{"CLIENTE_EXISTE", "CLIENTE_NAO_EXISTE"};
  dispatch.session_id = "567ca9b8-eaa9-4a33-8cf9-d2c67060af74";
  flw::Contact& contact = dispatch.contact.emplace();
  contact.name = "David";
  contact.phonenumber = "+55|1199999999";
  contact.extra.insert_or_assign("cnpj", "00.000.000/0000-00");  // a custom field, by slug

  auto sent = client.send(dispatch, url);
  if (!sent) {  // not delivered, or an answer that does not decode: the error says why
    std::printf("failure: %s\n", describe(sent.error()).c_str());
    return sent;
  }
  const flw::Answer& answer = sent.value();
  switch (answer.flow) {
    case flw::Flow::branch:           // one of the dispatch's keys: follow that branch
    case flw::Flow::unlisted_branch:  // a key it did not offer: the host decides
      std::printf("branch: %s (%s)\n", answer.branch.c_str(),
                  std::string(to_string(answer.flow)).c_str());
      break;
    case flw::Flow::main:  // no key: the main success flow
      std::printf("branch: main flow\n");
      break;
  }
  return sent;
}

// The rest of the answer: the contact update (an absent member is left alone, a null one is
// cleared) and the messages to send in order.
void print_answer(const flw::Answer& answer) {
  if (const flw::Contact* update = answer.contact.get()) {
    const auto member = [](const char* name, const Field<std::string>& field) {
      if (field.is_null()) std::printf("  contact: clear %s\n", name);
      if (field.has_value()) std::printf("  contact: %s = %s\n", name, field->c_str());
    };
    member("name", update->name);
    member("email", update->email);
    member("phonenumber", update->phonenumber);
    member("instagram", update->instagram);
    for (const auto& [slug, value] : update->extra)
      std::printf("  contact: %s = %s (custom field)\n", slug.c_str(), value.dump().c_str());
  }
  for (const flw::OutgoingMessage& message : answer.messages) {
    std::string line = message.text.value_or("");
    if (message.file_url) line += (line.empty() ? "file " : " + file ") + *message.file_url;
    if (const flw::Template* pattern = message.message_template.get())
      line += (line.empty() ? "template " : " + template ") + pattern->id.value_or("?");
    std::printf("  message: %s\n", line.c_str());
  }
}

// The delivery's attempts, whatever the outcome.
void print_attempts(const delivery::DeliveryRecord& record) {
  for (const delivery::Attempt& attempt : record.attempts) {
    const std::string result = attempt.status  ? "HTTP " + std::to_string(*attempt.status)
                               : attempt.error ? std::string(to_string(attempt.error->code()))
                                               : "no answer";
    std::printf("  attempt %d: %s in %lld ms\n", attempt.number, result.c_str(),
                static_cast<long long>(attempt.duration.count()));
  }
}

// Sends, prints, and times the whole exchange.
Result<flw::Answer> run(const std::string& url, const std::string& secret, bool loopback) {
  auto client = make_client(secret, loopback);
  if (!client) return client.error();
  const auto start = std::chrono::steady_clock::now();
  auto sent = send_dispatch(*client, url);
  const auto elapsed = std::chrono::steady_clock::now() - start;
  if (sent) print_answer(sent.value());
  print_attempts(sent.delivery);
  std::printf("%zu attempt(s), %lld ms in all\n", sent.delivery.attempts.size(),
              static_cast<long long>(
                  std::chrono::duration_cast<std::chrono::milliseconds>(elapsed).count()));
  return std::move(sent.result);
}

}  // namespace

int main(int argc, char** argv) {
  std::string url;
  std::string secret;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--secret" && i + 1 < argc) {
      secret = argv[++i];
    } else if (url.empty() && arg.rfind("--", 0) != 0) {
      url = arg;
    } else {
      return std::fprintf(stderr, "usage: flw_dispatch [URL [--secret whsec_...]]\n"), 2;
    }
  }
  if (!url.empty()) {
    if (secret.empty()) std::printf("no --secret: sending unsigned\n");
    const auto answer = run(url, secret, false);
    return answer ? 0 : fail(answer.error());
  }

  // No URL: the customer's webhook on loopback, with a secret made for this run.
  secret = signing::generate_secret().value();
  auto webhook = make_customer_webhook(secret);
  if (!webhook) return fail(webhook.error());
  httplib_adapter::BackgroundServer server;
  httplib_adapter::mount(server.server(), "/flw", *webhook);
  if (!server.start("127.0.0.1", 0, std::chrono::seconds(30)))
    return std::fprintf(stderr, "error: cannot listen on 127.0.0.1\n"), 1;
  std::printf("stand-in webhook on %s\n", server.url("/flw").c_str());
  const auto result = run(server.url("/flw"), secret, true);
  server.stop();
  if (!result) return fail(result.error());
  const flw::Answer& answer = *result;
  // The stand-in recognised the contact: this branch, its contact update and two messages.
  const bool expected = answer.flow == flw::Flow::branch && answer.branch == "CLIENTE_EXISTE" &&
                        answer.contact.has_value() && answer.messages.size() == 2;
  if (!expected) return std::fprintf(stderr, "error: not the stand-in's answer\n"), 1;
  std::printf("ok\n");
  return 0;
}
