// The documented payloads the codec benchmarks use (codec_bench, allocation_bench --per-payload),
// each by its file name in tests/data (without ".json") with the SDK's decoder and encoder for it.
// Thread-safety: stateless.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "chathooks/boticario/codec.hpp"
#include "chathooks/cliengo/codec.hpp"
#include "chathooks/flw/codec.hpp"

namespace perf {

/// The options the benchmarks decode with: the defaults, tolerant as receivers decode
/// (ReceiverOptions::parse_options), which is what issue 17's targets are set for.
inline const chathooks::ParseOptions& bench_parse_options() {
  static const chathooks::ParseOptions options = [] {
    chathooks::ParseOptions o;
    o.mode = chathooks::DecodeMode::tolerant;
    return o;
  }();
  return options;
}

/// `decode` (a typed decoder) taking the text alone, decoding with bench_parse_options() and a
/// warnings list.
template <class Result>
auto tolerant(Result (*decode)(std::string_view, const chathooks::ParseOptions&,
                               std::vector<chathooks::DecodeWarning>*)) {
  return [decode](const std::string& text) {
    std::vector<chathooks::DecodeWarning> warnings;
    return decode(text, bench_parse_options(), &warnings);
  };
}

/// Calls `f(name, decode, encode)` for each payload, in the benchmarks' order: `decode` takes the
/// text (a std::string) and returns the decoder's Result, decoding tolerantly and collecting
/// warnings as receivers do; `encode` takes the decoded value.
template <class F>
void for_each_codec_payload(F&& f) {
  using namespace chathooks;
  const auto flw_dispatch = tolerant(&flw::decode_dispatch);
  const auto flw_response = tolerant(&flw::decode_response);
  const auto bot_event = tolerant(&boticario::decode_event);
  const auto cl_request = tolerant(&cliengo::decode_memory);
  const auto cl_response = tolerant(&cliengo::decode_response);
  const auto enc_flw_d = [](const flw::Dispatch& v) { return flw::encode(v); };
  const auto enc_flw_r = [](const flw::Response& v) { return flw::encode(v); };
  const auto enc_bot = [](const boticario::Event& v) { return boticario::encode(v); };
  const auto enc_cl_q = [](const cliengo::Memory& v) { return cliengo::encode(v); };
  const auto enc_cl_r = [](const cliengo::Response& v) { return cliengo::encode(v); };
  f("flw_dispatch", flw_dispatch, enc_flw_d);
  f("flw_response_simple", flw_response, enc_flw_r);
  f("flw_response_contact", flw_response, enc_flw_r);
  f("flw_response_messages", flw_response, enc_flw_r);
  f("boticario_message_event", bot_event, enc_bot);
  f("boticario_status_delivered", bot_event, enc_bot);
  f("cliengo_request", cl_request, enc_cl_q);
  f("cliengo_response", cl_response, enc_cl_r);
}

}  // namespace perf
