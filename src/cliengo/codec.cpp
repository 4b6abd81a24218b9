// Cliengo decode/encode entry points.
#include "chathooks/cliengo/codec.hpp"

#include "json/codec_ops.hpp"
#include "json/schemas.hpp"

namespace chathooks::cliengo {

Result<Memory> decode_memory(std::string_view json, const ParseOptions& options,
                             std::vector<DecodeWarning>* warnings) {
  return detail::decode_as<Memory>(json, options, warnings);
}
Result<Response> decode_response(std::string_view json, const ParseOptions& options,
                                 std::vector<DecodeWarning>* warnings) {
  return detail::decode_as<Response>(json, options, warnings);
}
std::string encode(const Memory& request) { return detail::encode_as(request); }
std::string encode(const Response& response) { return detail::encode_as(response); }

}  // namespace chathooks::cliengo
