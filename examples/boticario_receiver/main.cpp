// A Grupo Boticario instant-message webhook receiver on cpp-httplib: verifies Standard Webhooks
// signatures, decodes each event (a customer's message, a delivery status) and acknowledges it.
// Without --serve it sends itself the Boticario document's message event and then a "read"
// status event for it through boticario::Client (libcurl, signed with the same secret),
// prints what both sides saw and exits 0 when all behaved.
//   boticario_receiver [--port N] [--serve]   (secret: $CHATHOOKS_SECRET, whsec_...; else new)
#include <cstdio>
#include <optional>
#include <string>
#include <utility>

#include "chathooks/boticario/client.hpp"
#include "chathooks/boticario/codec.hpp"
#include "chathooks/boticario/receiver.hpp"
#include "common/receiver_example.hpp"

using namespace chathooks;

// The Boticario document's examples ("Mensagem de resposta", "Status da mensagem"), compacted.
const char* const kMessageEvent =
    R"({"event":{"messageId":"i3i4321d","type":"response"},"clientData":{"number":"+5544999999999",
"name":"Maria da Silva","timeLastMessage":"2020-06-18T17:07:51.271Z"},
"message":{"messageId":"5e178088a88ad9001b6e1914","contextId":"5e1789d9e73be8001ba18830",
"interactionsId":"0398634d-5a10-4118-b44f-02d26f3a773a","mediaType":"document",
"message":"Mensagem de teste","mediaData":{"link":"http://linkteste.com/doc.pdf",
"caption":"Descrição da midia","filename":"nome-arquivo.pdf"},"to":"+5544999027914",
"from":"+554188956674","appId":"5e138ee5d53f5b001b96fa54","status":"stored",
"createdAt":"2020-01-09T19:35:36.639Z","updatedAt":"2020-01-09T20:19:44.942Z"}})";
const char* const kStatusEvent =
    R"({"event":{"messageId":"i3i4321d","type":"status","status":"read"},
"message":{"messageId":"5e178088a88ad9001b6e1914","contextId":"5e1789d9e73be8001ba18830",
"interactionsId":"0398634d-5a10-4118-b44f-02d26f3a773a","mediaType":"document",
"message":"Mensagem de teste","mediaData":{"link":"http://linkteste.com/doc.pdf",
"caption":"Descrição da midia","filename":"nome-arquivo.pdf"},"to":"+5544999027914",
"from":"+554188956674","appId":"5e138ee5d53f5b001b96fa54","status":"stored",
"createdAt":"2020-01-09T19:35:36.639Z","updatedAt":"2020-01-09T20:19:44.942Z"}})";

int main(int argc, char** argv) {
  const auto args = chathooks_examples::parse_receiver_args(argc, argv, "boticario_receiver");
  if (!args) return 2;

  // The receiver: your code is the lambda. It runs on the server's threads, so keep it
  // thread-safe; a retried delivery (same webhook-id) is answered without calling it again.
  // args->options: authenticator = receiver::standard_webhooks(a signing::Verifier of the
  // secret), so only deliveries signed with it get through.
  auto receiver = boticario::make_receiver(
      [](const boticario::Event& event,
         const receiver::Delivery& delivery) -> receiver::HandlerResult<void> {
        // The accessors read the common values; each is nullptr when the payload lacks it.
        const std::string* text = boticario::text(event);
        const std::string* from = boticario::sender_number(event);
        switch (boticario::event_type(event)) {
          case boticario::EventType::response:  // a customer's message
            std::printf("receiver: message \"%s\" from %s, webhook-id %s\n",
                        text ? text->c_str() : "", from ? from->c_str() : "?",
                        delivery.webhook_id.c_str());
            break;
          case boticario::EventType::status:  // sent, delivered or read
            std::printf("receiver: status \"%s\", webhook-id %s\n",
                        boticario::status(event).text().c_str(), delivery.webhook_id.c_str());
            break;
          case boticario::EventType::unknown: {  // a type no document lists: kept whole
            const std::string* type = boticario::type_name(event);
            std::printf("receiver: event of type \"%s\"\n", type ? type->c_str() : "");
            break;
          }
        }
        return {};  // 200; return a receiver::Refusal to have the event sent again later
      },
      args->options);

  // Served on 127.0.0.1 until Ctrl-C with --serve; else it sends itself the two events above,
  // which the handler must acknowledge once each.
  return chathooks_examples::run_receiver_example(
      std::move(receiver), "/webhook", *args, 2,
      [&args](const std::string& url) -> std::optional<bool> {
        // The sending side, as Boticario's platform would run it: the SDK's event sender over
        // libcurl, signing with the same secret.
        auto sender = chathooks_examples::signing_client<boticario::Client>(args->secret);
        if (!sender)
          return std::fprintf(stderr, "%s\n", sender.error().to_string().c_str()), std::nullopt;
        bool ok = true;
        for (const char* json : {kMessageEvent, kStatusEvent}) {
          auto event = boticario::decode_event(json);
          if (!event)
            return std::fprintf(stderr, "%s\n", event.error().to_string().c_str()), std::nullopt;
          const delivery::SendResult<void> sent = sender->send(*event, url);
          std::printf("sender: %s, webhook-id %s, %zu attempt(s), HTTP %d\n",
                      sent ? "delivered" : sent.error().to_string().c_str(),
                      sent.delivery.message_id.c_str(), sent.delivery.attempts.size(),
                      sent.delivery.response ? sent.delivery.response->status : 0);
          ok = ok && sent.ok();
        }
        return ok;
      });
}
