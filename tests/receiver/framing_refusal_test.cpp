// receiver::framing_refusal(): the receivers' Content-Length / Transfer-Encoding rule as the
// HTTP edges apply it before a body is read, and edge_refusal()'s problem answer.
#include <string>
#include <utility>

#include "catch.hpp"
#include "chathooks/json.hpp"
#include "chathooks/receiver/edge_refusal.hpp"

using namespace chathooks;
using receiver::Request;

namespace {

Request head(std::initializer_list<std::pair<std::string, std::string>> fields) {
  Request request;
  request.method = "POST";
  for (const auto& field : fields) request.headers.emplace_back(field.first, field.second);
  return request;
}

void check(const std::optional<receiver::Reply>& reply, int status, const std::string& detail) {
  REQUIRE(reply.has_value());
  CHECK(reply->response.status == status);
  CHECK(reply->disposition == receiver::Disposition::rejected);
  REQUIRE(reply->error.has_value());
  CHECK(reply->error->code() == Errc::protocol);
  CHECK(reply->error->message() == detail);
  const auto body = Json::parse(reply->response.body);
  REQUIRE(body.ok());
  const Json* sent_detail = body->find("detail");
  REQUIRE(sent_detail != nullptr);
  REQUIRE(sent_detail->get_string() != nullptr);
  CHECK(*sent_detail->get_string() == detail);
  const Json* sent_status = body->find("status");
  REQUIRE(sent_status != nullptr);
  CHECK(sent_status->get_int64() == status);
}

}  // namespace

TEST_CASE("framing_refusal: sound framing passes") {
  CHECK_FALSE(receiver::framing_refusal(head({})));
  CHECK_FALSE(receiver::framing_refusal(head({{"Content-Length", "12"}})));
  CHECK_FALSE(receiver::framing_refusal(head({{"content-length", "012, 12"}})));
  CHECK_FALSE(receiver::framing_refusal(head({{"Transfer-Encoding", "chunked"}})));
  CHECK_FALSE(receiver::framing_refusal(head({{"transfer-encoding", " Chunked "}})));
}

TEST_CASE(
    "framing_refusal: Transfer-Encoding not ending in chunked is 400, a coding before it 501") {
  check(receiver::framing_refusal(head({{"Transfer-Encoding", "gzip"}})), 400,
        "Transfer-Encoding \"gzip\" does not end with chunked, so the body's length cannot be "
        "known");
  check(receiver::framing_refusal(head({{"Transfer-Encoding", "chunked, gzip"}})), 400,
        "Transfer-Encoding \"chunked, gzip\" does not end with chunked, so the body's length "
        "cannot be known");
  check(receiver::framing_refusal(head({{"Transfer-Encoding", "chunked, chunked"}})), 400,
        "Transfer-Encoding \"chunked, chunked\" applies chunked more than once");
  check(receiver::framing_refusal(
            head({{"Transfer-Encoding", "chunked"}, {"Transfer-Encoding", "chunked"}})),
        400, "Transfer-Encoding appears 2 times; send one field");
  check(receiver::framing_refusal(head({{"Transfer-Encoding", "gzip, chunked"}})), 501,
        "the transfer coding \"gzip\" is not implemented; only chunked is");
}

TEST_CASE("framing_refusal: conflicting or invalid Content-Length is 400") {
  check(
      receiver::framing_refusal(head({{"Content-Length", "2"}, {"Transfer-Encoding", "chunked"}})),
      400,
      "Content-Length and Transfer-Encoding are both present, so the body's length is "
      "ambiguous");
  check(receiver::framing_refusal(head({{"Content-Length", "-1"}})), 400,
        "Content-Length \"-1\" is not a number of bytes (digits only)");
  check(receiver::framing_refusal(head({{"Content-Length", "2"}, {"Content-Length", "3"}})), 400,
        "Content-Length has two different values, \"2\" and \"3\"");
}

TEST_CASE("edge_refusal: a problem answer with the status, or 400 outside 400-599") {
  const auto reply = receiver::edge_refusal(408, Errc::timeout, "the header took too long");
  CHECK(reply.response.status == 408);
  CHECK(reply.disposition == receiver::Disposition::rejected);
  REQUIRE(reply.error.has_value());
  CHECK(reply.error->code() == Errc::timeout);
  CHECK(reply.response.headers.get("Content-Type") == "application/problem+json");
  CHECK(reply.response.body.find("the header took too long") != std::string::npos);
  CHECK(receiver::edge_refusal(200, Errc::protocol, "x").response.status == 400);
}
