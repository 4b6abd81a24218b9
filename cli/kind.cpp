// Payload kinds: their command-line names and their codecs.
#include "kind.hpp"

#include <array>
#include <utility>
#include <vector>

#include "chathooks/boticario/codec.hpp"
#include "chathooks/cliengo/codec.hpp"
#include "chathooks/flw/codec.hpp"

namespace chathooks_cli {
namespace {

constexpr std::array<std::pair<Kind, std::string_view>, 5> kKinds{{
    {Kind::flw_dispatch, "flw-dispatch"},
    {Kind::flw_response, "flw-response"},
    {Kind::boticario_event, "boticario-event"},
    {Kind::cliengo_request, "cliengo-request"},
    {Kind::cliengo_response, "cliengo-response"},
}};

// Decodes with `decode` and encodes the value again, passing a decoding error through.
template <class Decode, class Encode>
chathooks::Result<std::string> decode_then_encode(Decode decode, Encode encode,
                                                  std::string_view bytes,
                                                  const chathooks::ParseOptions& options,
                                                  std::vector<chathooks::DecodeWarning>* warnings) {
  auto decoded = decode(bytes, options, warnings);
  if (!decoded) return std::move(decoded).error();
  return encode(*decoded);
}

}  // namespace

std::optional<Kind> parse_kind(std::string_view name) {
  for (const auto& [kind, kind_text] : kKinds) {
    if (kind_text == name) return kind;
  }
  return std::nullopt;
}

bool is_request_kind(Kind kind) {
  return kind == Kind::flw_dispatch || kind == Kind::boticario_event ||
         kind == Kind::cliengo_request;
}

std::string_view kind_name(Kind kind) {
  for (const auto& [known, kind_text] : kKinds) {
    if (known == kind) return kind_text;
  }
  return "unknown";
}

std::string kind_names() {
  std::string out;
  for (const auto& entry : kKinds) {
    if (!out.empty()) out += ", ";
    out += entry.second;
  }
  return out;
}

chathooks::Result<std::string> reencode(Kind kind, std::string_view bytes,
                                        const chathooks::ParseOptions& options,
                                        std::vector<chathooks::DecodeWarning>* warnings) {
  namespace flw = chathooks::flw;
  namespace boticario = chathooks::boticario;
  namespace cliengo = chathooks::cliengo;
  switch (kind) {
    case Kind::flw_dispatch:
      return decode_then_encode(
          flw::decode_dispatch, [](const flw::Dispatch& v) { return flw::encode(v); }, bytes,
          options, warnings);
    case Kind::flw_response:
      return decode_then_encode(
          flw::decode_response, [](const flw::Response& v) { return flw::encode(v); }, bytes,
          options, warnings);
    case Kind::boticario_event:
      return decode_then_encode(
          boticario::decode_event, [](const boticario::Event& v) { return boticario::encode(v); },
          bytes, options, warnings);
    case Kind::cliengo_request:
      return decode_then_encode(
          cliengo::decode_memory, [](const cliengo::Memory& v) { return cliengo::encode(v); },
          bytes, options, warnings);
    case Kind::cliengo_response:
      return decode_then_encode(
          cliengo::decode_response, [](const cliengo::Response& v) { return cliengo::encode(v); },
          bytes, options, warnings);
  }
  return chathooks::Error(chathooks::Errc::internal, "unhandled payload kind");
}

}  // namespace chathooks_cli
