// The documented example payloads the demo sends and answers with, embedded so that `chathooks
// demo` runs from any directory with no files around. Each is byte for byte the file of the
// same name in tests/data, the protocol documents' own examples (tests/cli/demo_test.cpp checks
// that they stay equal): change the file, then copy it here.
// Thread-safety: constants.
#pragma once

#include <string_view>

namespace chathooks_cli::demo_payloads {

/// The Flw document's dispatch ("Mensagem de disparo"). tests/data/flw_dispatch.json.
inline constexpr std::string_view kFlwDispatch = R"json({
    "responseKeys": [
        "CLIENTE_EXISTE",
        "CLIENTE_NAO_EXISTE"
    ],
    "sessionId": "567ca9b8-eaa9-4a33-8cf9-d2c67060af74",
    "session": {
      "id": "567ca9b8-eaa9-4a33-8cf9-d2c67060af74",
      "createdAt": "2024-06-02T12:00:10.38771Z",
      "departmentId": "07deebd3-dede-42d1-9169-75e00efdf088",
      "userId": null,
      "number": "2024062700164",
      "utm": {
        "clid": "asldkjasLKJASLKDJLKJASLDKJASGFui3HT7c7KUdBaB7lOHHxp5CxufCY0GjlvZcDRpsTaRbZMQ",
        "term": null,
        "medium": "REFERRAL",
        "source": "INSTAGRAM",
        "content": "Campanha de Natal Minas Gerais!",
        "campaign": "776107696326",
        "headline": "Converse conosco",
        "referralUrl": "https://www.instagram.com/p/x466u6s5ykjs/"
      }
    },
    "channel": {
        "id": "0a4ca3cd-b9fd-4523-a032-5a343bf7b209",
        "key": "551140037752",
        "platform": "WhatsApp",
        "displayName": "(11) 3000-0000"
    },
    "contact": {
        "id": "f8f43b22-2f20-42f3-be13-65bf90282143",
        "name": "David",
        "phonenumber": "+55|1199999999",
        "display-phonenumber": "(11) 99999-9999",
        "email": "email@gmail.com",
        "instagram": null,
        "tags": [
            "Lead"
        ],
        "cnpj": "00.000.000/0000-00",
        "metadata": { "cod-ext": "abcd" }
    },
    "questions": {
        "cb-ec36e3fe-qst-c0b0875a": {
            "text": "Qual seu CNPJ?",
            "answer": "00.000.000/0000-00"
        }
    },
    "menus": {
        "cb-ec36e3fe-mn-943b055a": {
            "text": "Qual opção você deseja?",
            "answer": "Comprar"
        }
    },
    "lastMessage": {
      "id": "152d4d13-0b13-49bb-bafc-3923434f204b",
      "createdAt": "2024-06-27T19:09:22.592061Z",
      "type": "IMAGE",
      "text": null,
      "fileId": "aa546fa6-ca68-4a8b-a57d-c031460fae69",
      "file": {
        "publicUrl": "https://cdn.flw.chat/upload/88fb5de-0cc2-4209-b456-47b454ee6e14/IMAGE/c40e85e_20240627190923197_436019626068697.jpg?AWSAccessKeyId=XXXX",
        "extension": ".jpg",
        "mimeType": "image/jpeg",
        "name": "436019626068697.jpg",
        "size": 233541
      }
    }
}
)json";

/// The Flw document's answer with messages ("Com disparo de mensagens"): a branch, a text, a file
/// and a template. tests/data/flw_response_messages.json.
inline constexpr std::string_view kFlwResponseMessages = R"json({
    "response": "CLIENTE_EXISTE",
    "messages": [
        {
            "text": "Segue seu boleto abaixo para pagamento. Vencimento dia 10/01"
        },
        {
            "fileUrl": "https://xyz.com/boleto.pdf"
        },
        {
            "template": {
                "id": "ab78cd_oferta",
                "parameters": {
                    "valor": "R$ 9,99"
                }
            }
        }
    ]
}
)json";

/// The Cliengo document's request: the chatbot memory. tests/data/cliengo_request.json.
inline constexpr std::string_view kCliengoRequest = R"json({
   "channel":"WEB",
   "visitorId":"[email protected]",
   "websiteId":"5de12d55e4b096a8283b6ed8",
   "companyId":"5de12d55e4b096a8283b6ed6",
   "are_you_there":{
      "index":0
   },
   "chat_log":[
      {
         "sender":"visitor",
         "text":"Hi! I'm Ariel, my email is [email protected]"
      },
      {
         "sender":"chatbot",
         "text":"Ok. I need your phone number please"
      }
   ],
   "collected_data":{
      "intent":[

      ],
      "entities":[

      ],
      "custom":{
        "custom_field": "example"
      },
      "name":{
        "value":"ariel"
      },
      "email":{
        "value":"[email protected]"
      },
      "phone":{
        "national_format":"011 3815-2222",
        "international_format":"+541138152222"
      }
   },
   "fired_triggers":[
     "11123d55e4b096a8283b6ed8"
   ],
   "reactivated":false,
   "status":"ACTIVE",
   "tags":[
      "fired_new_lead"
   ],
   "visitorData":{
      "utms": "&utm_source=Instagram&utm_medium=IGAds&utm_campaign=Campaign1",
      "url":"https://lw.cliengo.com/?companyId=5",
      "visitorIp":"13.90.115.123"
   },
   "visitor_status":"ONLINE",
   "conversationId":"5f0cbe62162e0dec1910d197",
   "softDisable":false,
   "chatbotName":"Martín",
   "flow":{
      "last_question_id":3,
      "retry_count":0
   },
   "last_interaction_date":"2020-07-13T20:04:59.595Z",
   "creation_date":"2020-07-13T20:04:51.904Z",
   "lead_post_date":"2020-07-13T20:05:59.606Z"
}
)json";

/// The Boticario document's message event ("Mensagem de resposta").
/// tests/data/boticario_message_event.json.
inline constexpr std::string_view kBoticarioMessageEvent = R"json({
  "event": {
    "messageId": "i3i4321d",
    "type": "response"
  },
  "clientData": {
    "number": "+5544999999999",
    "name": "Maria da Silva",
    "timeLastMessage": "2020-06-18T17:07:51.271Z"
  },
  "message": {
    "messageId": "5e178088a88ad9001b6e1914",
    "contextId": "5e1789d9e73be8001ba18830",
    "interactionsId": "0398634d-5a10-4118-b44f-02d26f3a773a",
    "mediaType": "document",
    "message": "Mensagem de teste",
    "mediaData": {
      "link": "http://linkteste.com/doc.pdf",
      "caption": "Descrição da midia",
      "filename": "nome-arquivo.pdf"
    },
    "to": "+5544999027914",
    "from": "+554188956674",
    "appId": "5e138ee5d53f5b001b96fa54",
    "status": "stored",
    "createdAt": "2020-01-09T19:35:36.639Z",
    "updatedAt": "2020-01-09T20:19:44.942Z"
  }
}
)json";

/// The Boticario document's status event, with status "delivered".
/// tests/data/boticario_status_delivered.json.
inline constexpr std::string_view kBoticarioStatusDelivered = R"json({
  "event": {
    "messageId": "i3i4321d",
    "type": "status",
    "status": "delivered"
  },
  "message": {
    "messageId": "5e178088a88ad9001b6e1914",
    "contextId": "5e1789d9e73be8001ba18830",
    "interactionsId": "0398634d-5a10-4118-b44f-02d26f3a773a",
    "mediaType": "document",
    "message": "Mensagem de teste",
    "mediaData": {
      "link": "http://linkteste.com/doc.pdf",
      "caption": "Descrição da midia",
      "filename": "nome-arquivo.pdf"
    },
    "to": "+5544999027914",
    "from": "+554188956674",
    "appId": "5e138ee5d53f5b001b96fa54",
    "status": "stored",
    "createdAt": "2020-01-09T19:35:36.639Z",
    "updatedAt": "2020-01-09T20:19:44.942Z"
  }
}
)json";

/// The Boticario document's status event, with status "read".
/// tests/data/boticario_status_read.json.
inline constexpr std::string_view kBoticarioStatusRead = R"json({
  "event": {
    "messageId": "i3i4321d",
    "type": "status",
    "status": "read"
  },
  "message": {
    "messageId": "5e178088a88ad9001b6e1914",
    "contextId": "5e1789d9e73be8001ba18830",
    "interactionsId": "0398634d-5a10-4118-b44f-02d26f3a773a",
    "mediaType": "document",
    "message": "Mensagem de teste",
    "mediaData": {
      "link": "http://linkteste.com/doc.pdf",
      "caption": "Descrição da midia",
      "filename": "nome-arquivo.pdf"
    },
    "to": "+5544999027914",
    "from": "+554188956674",
    "appId": "5e138ee5d53f5b001b96fa54",
    "status": "stored",
    "createdAt": "2020-01-09T19:35:36.639Z",
    "updatedAt": "2020-01-09T20:19:44.942Z"
  }
}
)json";

}  // namespace chathooks_cli::demo_payloads
