// A Cliengo new-message (fulfillment) webhook on cpp-httplib: verifies Standard Webhooks
// signatures, decodes the chatbot's memory and answers with an override: what the bot says next,
// the answers it expects, memory to write. Without --serve it sends itself the Cliengo
// document's example request through cliengo::Client (libcurl, signed with the same
// secret), prints what both sides saw and exits 0 when all behaved.
//   cliengo_fulfillment [--port N] [--serve]   (secret: $CHATHOOKS_SECRET, whsec_...; else new)
#include <cstdio>
#include <optional>
#include <string>
#include <utility>

#include "chathooks/cliengo/client.hpp"
#include "chathooks/cliengo/codec.hpp"
#include "chathooks/cliengo/receiver.hpp"
#include "chathooks/cliengo/response_builder.hpp"
#include "common/receiver_example.hpp"

using namespace chathooks;

// The request of the Cliengo document, compacted (its obfuscated e-mail made ariel@example.com).
const char* const kRequest =
    R"({"channel":"WEB","visitorId":"ariel@example.com","websiteId":"5de12d55e4b096a8283b6ed8",
"companyId":"5de12d55e4b096a8283b6ed6","are_you_there":{"index":0},
"chat_log":[{"sender":"visitor","text":"Hi! I'm Ariel, my email is ariel@example.com"},
{"sender":"chatbot","text":"Ok. I need your phone number please"}],
"collected_data":{"intent":[],"entities":[],"custom":{"custom_field":"example"},
"name":{"value":"ariel"},"email":{"value":"ariel@example.com"},
"phone":{"national_format":"011 3815-2222","international_format":"+541138152222"}},
"fired_triggers":["11123d55e4b096a8283b6ed8"],"reactivated":false,"status":"ACTIVE",
"tags":["fired_new_lead"],
"visitorData":{"utms":"&utm_source=Instagram&utm_medium=IGAds&utm_campaign=Campaign1",
"url":"https://lw.cliengo.com/?companyId=5","visitorIp":"13.90.115.123"},
"visitor_status":"ONLINE","conversationId":"5f0cbe62162e0dec1910d197","softDisable":false,
"chatbotName":"Martín","flow":{"last_question_id":3,"retry_count":0},
"last_interaction_date":"2020-07-13T20:04:59.595Z",
"creation_date":"2020-07-13T20:04:51.904Z","lead_post_date":"2020-07-13T20:05:59.606Z"})";

int main(int argc, char** argv) {
  const auto args = chathooks_examples::parse_receiver_args(argc, argv, "cliengo_fulfillment");
  if (!args) return 2;

  // The receiver: your code is the lambda. It runs on the server's threads, so keep it
  // thread-safe; a retried delivery (same webhook-id) is answered without calling it again.
  // args->options: authenticator = receiver::standard_webhooks(a signing::Verifier of the
  // secret), so only deliveries signed with it get through.
  auto receiver = cliengo::make_receiver(
      [](const cliengo::Memory& memory,
         const receiver::Delivery& delivery) -> receiver::HandlerResult<cliengo::Response> {
        const cliengo::CollectedData* data = memory.collected_data.get();
        const cliengo::DetectedValue* name = data ? data->name.get() : nullptr;
        const std::string who = name && name->value ? name->value.value() : "there";
        std::printf("receiver: conversation %s, visitor %s, webhook-id %s\n",
                    memory.conversation_id ? memory.conversation_id.value().c_str() : "?",
                    who.c_str(), delivery.webhook_id.c_str());
        return cliengo::ResponseBuilder()
            .say("Thanks, " + who + "!")
            .say("Which model are you interested in?")
            .expect_list({"Model 3", "Model Y"})
            .set_custom("userType", "advanced")
            .build();
      },
      args->options);

  // Served on 127.0.0.1 until Ctrl-C with --serve; else it sends itself the request above,
  // which the handler must answer once.
  return chathooks_examples::run_receiver_example(
      std::move(receiver), "/webhook", *args, 1,
      [&args](const std::string& url) -> std::optional<bool> {
        // The sending side, as Cliengo's chatbot would run it: the SDK's fulfillment client over
        // libcurl, signing with the same secret.
        auto client = chathooks_examples::signing_client<cliengo::Client>(args->secret);
        auto memory = cliengo::decode_memory(kRequest);
        if (!client || !memory)
          return std::fprintf(stderr, "cannot set up the sender\n"), std::nullopt;
        const auto sent = client->send(*memory, url);
        if (!sent)
          return std::printf("sender: failed: %s\n", sent.error().to_string().c_str()), false;
        const std::optional<cliengo::Response>& response = sent.value().response;
        if (response) std::printf("sender: override %s\n", cliengo::encode(*response).c_str());
        return response && response->reply;
      });
}
