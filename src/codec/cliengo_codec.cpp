// Cliengo decode/encode entry points.
#include "chathooks/cliengo/codec.hpp"

#include "codec/schemas.hpp"
#include "json/codec_ops.hpp"

namespace chathooks::cliengo {

Result<Request> decode_request(std::string_view json, const ParseOptions& options) {
  return detail::decode_as<Request>(json, options);
}
Result<Response> decode_response(std::string_view json, const ParseOptions& options) {
  return detail::decode_as<Response>(json, options);
}
std::string encode(const Request& request) { return detail::encode_as(request); }
std::string encode(const Response& response) { return detail::encode_as(response); }

}  // namespace chathooks::cliengo
