// A Flw chatbot webhook receiver on cpp-httplib: verifies Standard Webhooks signatures, decodes
// each dispatch and answers with a branch (a response key) and messages. Without --serve it
// sends itself the Flw document's example dispatch through flw::Client (libcurl, signed
// with the same secret), prints what both sides saw and exits 0 when all behaved.
//   flw_receiver [--port N] [--serve]   (secret: $CHATHOOKS_SECRET, whsec_...; else a new one)
#include <cstdio>
#include <optional>
#include <string>
#include <utility>

#include "chathooks/flw/client.hpp"
#include "chathooks/flw/codec.hpp"
#include "chathooks/flw/receiver.hpp"
#include "chathooks/flw/response_builder.hpp"
#include "common/receiver_example.hpp"

using namespace chathooks;

// The dispatch of the Flw document ("Mensagem de disparo"), compacted.
const char* const kDispatch =
    R"({"responseKeys":["CLIENTE_EXISTE","CLIENTE_NAO_EXISTE"],
"sessionId":"567ca9b8-eaa9-4a33-8cf9-d2c67060af74","session":{"id":"567ca9b8-eaa9-4a33-8cf9-d2c67060af74",
"createdAt":"2024-06-02T12:00:10.38771Z","departmentId":"07deebd3-dede-42d1-9169-75e00efdf088",
"userId":null,"number":"2024062700164","utm":{"clid":"asldkjasLKJASLKDJLKJASLDKJASGFui3HT7c7KUdBaB7lOHHxp5CxufCY0GjlvZcDRpsTaRbZMQ",
"term":null,"medium":"REFERRAL","source":"INSTAGRAM","content":"Campanha de Natal Minas Gerais!",
"campaign":"776107696326","headline":"Converse conosco","referralUrl":"https://www.instagram.com/p/x466u6s5ykjs/"}},
"channel":{"id":"0a4ca3cd-b9fd-4523-a032-5a343bf7b209","key":"551140037752","platform":"WhatsApp",
"displayName":"(11) 3000-0000"},"contact":{"id":"f8f43b22-2f20-42f3-be13-65bf90282143","name":"David",
"phonenumber":"+55|1199999999","display-phonenumber":"(11) 99999-9999","email":"email@gmail.com",
"instagram":null,"tags":["Lead"],"cnpj":"00.000.000/0000-00","metadata":{"cod-ext":"abcd"}},
"questions":{"cb-ec36e3fe-qst-c0b0875a":{"text":"Qual seu CNPJ?","answer":"00.000.000/0000-00"}},
"menus":{"cb-ec36e3fe-mn-943b055a":{"text":"Qual opção você deseja?","answer":"Comprar"}},
"lastMessage":{"id":"152d4d13-0b13-49bb-bafc-3923434f204b","createdAt":"2024-06-27T19:09:22.592061Z",
"type":"IMAGE","text":null,"fileId":"aa546fa6-ca68-4a8b-a57d-c031460fae69","file":{"publicUrl":
"https://cdn.flw.chat/upload/88fb5de-0cc2-4209-b456-47b454ee6e14/IMAGE/c40e85e_20240627190923197_436019626068697.jpg?AWSAccessKeyId=XXXX",
"extension":".jpg","mimeType":"image/jpeg","name":"436019626068697.jpg","size":233541}}})";

int main(int argc, char** argv) {
  const auto args = chathooks_examples::parse_receiver_args(argc, argv, "flw_receiver");
  if (!args) return 2;

  // The receiver: your code is the lambda. It runs on the server's threads, so keep it
  // thread-safe; a retried delivery (same webhook-id) is answered without calling it again.
  // args->options: authenticator = receiver::standard_webhooks(a signing::Verifier of the
  // secret), so only deliveries signed with it get through.
  auto receiver = flw::make_receiver(
      [](const flw::Dispatch& dispatch,
         const receiver::Delivery& delivery) -> receiver::HandlerResult<flw::Response> {
        const flw::Contact* contact = dispatch.contact.get();
        const std::string name = contact && contact->name ? contact->name.value() : "there";
        std::printf("receiver: dispatch for %s, webhook-id %s\n", name.c_str(),
                    delivery.webhook_id.c_str());
        return flw::ResponseBuilder().branch("CLIENTE_EXISTE").text("Olá, " + name + "!").build();
      },
      args->options);

  // Served on 127.0.0.1 until Ctrl-C with --serve; else it sends itself the dispatch above,
  // which the handler must answer once.
  return chathooks_examples::run_receiver_example(
      std::move(receiver), "/webhook", *args, 1,
      [&args](const std::string& url) -> std::optional<bool> {
        // The sending side, as Flw's platform would run it: the SDK's dispatcher over libcurl,
        // signing with the same secret.
        auto client = chathooks_examples::signing_client<flw::Client>(args->secret);
        auto dispatch = flw::decode_dispatch(kDispatch);
        if (!client || !dispatch)
          return std::fprintf(stderr, "cannot set up the sender\n"), std::nullopt;
        const auto sent = client->send(*dispatch, url);
        if (!sent)
          return std::printf("sender: failed: %s\n", sent.error().to_string().c_str()), false;
        const flw::Answer& answer = sent.value();
        std::printf("sender: %s %s, %zu message(s)\n", std::string(to_string(answer.flow)).c_str(),
                    answer.branch.c_str(), answer.messages.size());
        return answer.flow == flw::Flow::branch && answer.branch == "CLIENTE_EXISTE" &&
               answer.messages.size() == 1;
      });
}
