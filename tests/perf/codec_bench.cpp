// codec_bench: the SDK's typed decode and encode of each documented payload, timed side by side
// with RapidJSON building and writing its own DOM from the same bytes.
//
//   codec_bench [--rounds N] [--millis M]
//
// For each payload it prints `<payload> decode_ratio=<sdk/rapidjson> encode_ratio=<sdk/rapidjson>`
// and the nanoseconds per message of each side. A ratio <= 1.0 means the typed codec costs no
// more than RapidJSON's DOM. Each figure is the median of N rounds (default 7); in each round
// the two sides alternate in short slices so that machine noise hits both alike.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <functional>
#include <sstream>
#include <string>
#include <vector>

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "chathooks/boticario/codec.hpp"
#include "chathooks/cliengo/codec.hpp"
#include "chathooks/flw/codec.hpp"

#include "bench_support.hpp"

namespace {

using Clock = std::chrono::steady_clock;

// Keeps results alive so the optimiser cannot drop the work.
volatile std::size_t g_sink = 0;

// Nanoseconds per call of `fn`, timed over `iterations` calls.
double time_ns(const std::function<void()>& fn, long iterations) {
  const auto start = Clock::now();
  for (long i = 0; i < iterations; ++i) fn();
  const auto elapsed = std::chrono::duration<double, std::nano>(Clock::now() - start).count();
  return elapsed / static_cast<double>(iterations);
}

struct Pair {
  double sdk_ns;
  double ref_ns;
};

// Median over `rounds` of each side's time per call, the two sides interleaved in each round.
Pair compare(const std::function<void()>& sdk, const std::function<void()>& ref, int rounds,
             int millis) {
  // Calibrate iterations to roughly `millis` per side per round.
  long iterations = 64;
  while (time_ns(ref, iterations) * static_cast<double>(iterations) < millis * 1e6 / 4) {
    iterations *= 2;
  }
  std::vector<double> sdk_times;
  std::vector<double> ref_times;
  for (int r = 0; r < rounds; ++r) {
    for (int slice = 0; slice < 4; ++slice) {  // alternate in slices within the round
      if (slice % 2 == 0) {
        sdk_times.push_back(time_ns(sdk, iterations));
        ref_times.push_back(time_ns(ref, iterations));
      } else {
        ref_times.push_back(time_ns(ref, iterations));
        sdk_times.push_back(time_ns(sdk, iterations));
      }
    }
  }
  return {perf::median(sdk_times), perf::median(ref_times)};
}

template <class Decode, class Encode>
bool bench(const char* name, const std::string& bytes, Decode decode, Encode encode, int rounds,
           int millis) {
  auto decoded = decode(bytes);
  if (!decoded) {
    std::fprintf(stderr, "%s: does not decode: %s\n", name, decoded.error().to_string().c_str());
    return false;
  }
  const auto value = std::move(decoded).value();

  const Pair dec = compare(
      [&] {
        auto r = decode(bytes);
        g_sink = g_sink + (r ? 1u : 0u);
      },
      [&] {
        rapidjson::Document doc;
        doc.Parse(bytes.data(), bytes.size());
        g_sink = g_sink + (doc.HasParseError() ? 0u : 1u);
      },
      rounds, millis);

  rapidjson::Document doc;
  doc.Parse(bytes.data(), bytes.size());
  const Pair enc = compare(
      [&] {
        std::string out = encode(value);
        g_sink = g_sink + out.size();
      },
      [&] {
        rapidjson::StringBuffer buffer;
        rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
        doc.Accept(writer);
        g_sink = g_sink + buffer.GetSize();
      },
      rounds, millis);

  std::printf(
      "%s decode_ratio=%.3f encode_ratio=%.3f sdk_decode_ns=%.0f rapidjson_parse_ns=%.0f "
      "sdk_encode_ns=%.0f rapidjson_write_ns=%.0f\n",
      name, dec.sdk_ns / dec.ref_ns, enc.sdk_ns / enc.ref_ns, dec.sdk_ns, dec.ref_ns, enc.sdk_ns,
      enc.ref_ns);
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  const perf::Args args = perf::parse_args(argc, argv);
  const int rounds = args.rounds;
  const int millis = args.millis;
  using namespace chathooks;
  bool ok = true;
  const auto flw_dispatch = [](const std::string& b) { return flw::decode_dispatch(b); };
  const auto flw_response = [](const std::string& b) { return flw::decode_response(b); };
  const auto bot_event = [](const std::string& b) { return boticario::decode_event(b); };
  const auto cl_request = [](const std::string& b) { return cliengo::decode_memory(b); };
  const auto cl_response = [](const std::string& b) { return cliengo::decode_response(b); };
  const auto enc_flw_d = [](const flw::Dispatch& v) { return flw::encode(v); };
  const auto enc_flw_r = [](const flw::Response& v) { return flw::encode(v); };
  const auto enc_bot = [](const boticario::Event& v) { return boticario::encode(v); };
  const auto enc_cl_q = [](const cliengo::Memory& v) { return cliengo::encode(v); };
  const auto enc_cl_r = [](const cliengo::Response& v) { return cliengo::encode(v); };

  ok &= bench("flw_dispatch", perf::load("flw_dispatch.json"), flw_dispatch, enc_flw_d, rounds,
              millis);
  ok &= bench("flw_response_simple", perf::load("flw_response_simple.json"), flw_response,
              enc_flw_r, rounds, millis);
  ok &= bench("flw_response_contact", perf::load("flw_response_contact.json"), flw_response,
              enc_flw_r, rounds, millis);
  ok &= bench("flw_response_messages", perf::load("flw_response_messages.json"), flw_response,
              enc_flw_r, rounds, millis);
  ok &= bench("boticario_message_event", perf::load("boticario_message_event.json"), bot_event,
              enc_bot, rounds, millis);
  ok &= bench("boticario_status_delivered", perf::load("boticario_status_delivered.json"),
              bot_event, enc_bot, rounds, millis);
  ok &= bench("cliengo_request", perf::load("cliengo_request.json"), cl_request, enc_cl_q, rounds,
              millis);
  ok &= bench("cliengo_response", perf::load("cliengo_response.json"), cl_response, enc_cl_r,
              rounds, millis);
  return ok ? 0 : 1;
}
