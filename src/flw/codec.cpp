// Flw decode/encode entry points.
#include "chathooks/flw/codec.hpp"

#include "json/codec_ops.hpp"
#include "json/schemas.hpp"

namespace chathooks::flw {

Result<Dispatch> decode_dispatch(std::string_view json, const ParseOptions& options,
                                 std::vector<DecodeWarning>* warnings) {
  return detail::decode_as<Dispatch>(json, options, warnings);
}
Result<Response> decode_response(std::string_view json, const ParseOptions& options,
                                 std::vector<DecodeWarning>* warnings) {
  return detail::decode_as<Response>(json, options, warnings);
}
std::string encode(const Dispatch& dispatch) { return detail::encode_as(dispatch); }
std::string encode(const Response& response) { return detail::encode_as(response); }

}  // namespace chathooks::flw
