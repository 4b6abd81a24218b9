// codec_bench: the SDK's typed decode and encode of each documented payload, timed side by side
// with RapidJSON building and writing its own DOM from the same bytes. The SDK decodes as
// receivers do: tolerantly, collecting warnings (perf::bench_parse_options()), keeping member
// order and number spellings.
//
//   codec_bench [--rounds N] [--millis M]
//   codec_bench --count <payload> <sdk_decode|rapidjson_parse|sdk_encode|rapidjson_write> <K>
//
// For each payload it prints `<payload> bytes=<n> decode_ratio=<sdk/rapidjson>
// encode_ratio=<sdk/rapidjson>` and the nanoseconds per message of each side. A ratio <= 1.0
// means the typed codec costs no more than RapidJSON's DOM. Each figure is the median of N
// rounds (default 7); in each round the two sides alternate in short slices so that machine
// noise hits both alike. RapidJSON writes through its Writer into a reused
// StringBuffer, the SDK through its own writer (src/json/json_writer.hpp) into a reused
// buffer; both copy the text out into a std::string (see ReusedWriter).
//
// --count runs one operation on one payload K times and prints nothing, for callgrind to count
// its instructions, which machine load does not change (tests/perf/report.sh --callgrind):
//   valgrind --tool=callgrind --toggle-collect='*counted_loop*' --callgrind-out-file=/dev/null
//            codec_bench --count flw_dispatch sdk_encode 2000
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <functional>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "chathooks/boticario/codec.hpp"
#include "chathooks/cliengo/codec.hpp"
#include "chathooks/flw/codec.hpp"

#include "bench_support.hpp"
#include "codec_payloads.hpp"

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

// The four measured operations on one payload. Each closure owns what it needs (the bytes, the
// SDK's decoded value, RapidJSON's Document, the reference's writer), so they can run in any
// order, timed or counted.
struct Ops {
  std::function<void()> sdk_decode;
  std::function<void()> ref_decode;
  std::function<void()> sdk_encode;
  std::function<void()> ref_encode;
};

// RapidJSON's writer reused as the SDK's encode reuses its own (src/json/writer.hpp,
// write_compact): one StringBuffer and Writer reused across calls, the text copied out into a
// std::string. A fresh StringBuffer per call would cost the reference a malloc, several reallocs
// and a free per message that the SDK does not pay, and the price of those differs between
// machines.
struct ReusedWriter {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> writer;
};

template <class Decode, class Encode>
std::optional<Ops> make_ops(const char* name, const std::string& text, Decode decode,
                            Encode encode) {
  auto bytes = std::make_shared<const std::string>(text);
  auto decoded = decode(*bytes);
  if (!decoded) {
    std::fprintf(stderr, "%s: does not decode: %s\n", name, decoded.error().to_string().c_str());
    return std::nullopt;
  }
  auto value =
      std::make_shared<const typename decltype(decoded)::value_type>(std::move(decoded).value());
  auto doc = std::make_shared<rapidjson::Document>();
  doc->Parse(bytes->data(), bytes->size());
  auto ref_writer = std::make_shared<ReusedWriter>();
  Ops ops;
  ops.sdk_decode = [bytes, decode] {
    auto r = decode(*bytes);
    g_sink = g_sink + (r ? 1u : 0u);
  };
  ops.ref_decode = [bytes] {
    rapidjson::Document d;
    d.Parse(bytes->data(), bytes->size());
    g_sink = g_sink + (d.HasParseError() ? 0u : 1u);
  };
  ops.sdk_encode = [value, encode] {
    std::string out = encode(*value);
    g_sink = g_sink + out.size();
  };
  ops.ref_encode = [doc, ref_writer] {
    ref_writer->buffer.Clear();
    ref_writer->writer.Reset(ref_writer->buffer);
    doc->Accept(ref_writer->writer);
    std::string out(ref_writer->buffer.GetString(), ref_writer->buffer.GetSize());
    g_sink = g_sink + out.size();
  };
  return ops;
}

void print_times(const char* name, std::size_t size, const Ops& ops, int rounds, int millis) {
  const Pair dec = compare(ops.sdk_decode, ops.ref_decode, rounds, millis);
  const Pair enc = compare(ops.sdk_encode, ops.ref_encode, rounds, millis);
  std::printf(
      "%s bytes=%zu decode_ratio=%.3f encode_ratio=%.3f sdk_decode_ns=%.0f "
      "rapidjson_parse_ns=%.0f sdk_encode_ns=%.0f rapidjson_write_ns=%.0f\n",
      name, size, dec.sdk_ns / dec.ref_ns, enc.sdk_ns / enc.ref_ns, dec.sdk_ns, dec.ref_ns,
      enc.sdk_ns, enc.ref_ns);
  std::fflush(stdout);
}

// Runs `op` `count` times. Never inlined, so that callgrind can count the instructions of
// exactly this loop: valgrind --tool=callgrind --toggle-collect='*counted_loop*'.
[[gnu::noinline]] void counted_loop(const std::function<void()>& op, long count) {
  for (long i = 0; i < count; ++i) op();
}

// --count mode: `op` (sdk_decode, rapidjson_parse, sdk_encode or rapidjson_write) run `count`
// times in counted_loop, after a warm-up outside it (first-call allocations, thread_local
// buffers). Prints nothing: the figure is callgrind's count.
bool run_counted(const Ops& ops, const std::string& op, long count) {
  const std::function<void()>* chosen = op == "sdk_decode"        ? &ops.sdk_decode
                                        : op == "rapidjson_parse" ? &ops.ref_decode
                                        : op == "sdk_encode"      ? &ops.sdk_encode
                                        : op == "rapidjson_write" ? &ops.ref_encode
                                                                  : nullptr;
  if (chosen == nullptr) {
    std::fprintf(stderr, "error: unknown operation %s\n", op.c_str());
    return false;
  }
  for (int i = 0; i < 16; ++i) (*chosen)();
  counted_loop(*chosen, count);
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  // Payload name -> its operations, built on demand (only the counted one in --count mode).
  using Maker = std::function<std::optional<Ops>(const char*, const std::string&)>;
  const auto maker = [](auto decode, auto encode) -> Maker {
    return [=](const char* name, const std::string& text) {
      return make_ops(name, text, decode, encode);
    };
  };
  std::vector<std::pair<const char*, Maker>> payloads;
  perf::for_each_codec_payload([&](const char* name, auto decode, auto encode) {
    payloads.emplace_back(name, maker(decode, encode));
  });

  if (argc == 5 && std::strcmp(argv[1], "--count") == 0) {
    for (const auto& [name, make] : payloads) {
      if (std::strcmp(name, argv[2]) != 0) continue;
      const auto ops = make(name, perf::load(std::string(name) + ".json"));
      return ops && run_counted(*ops, argv[3], std::max(1L, std::atol(argv[4]))) ? 0 : 1;
    }
    std::fprintf(stderr, "error: unknown payload %s\n", argv[2]);
    return 1;
  }

  const perf::Args args = perf::parse_args(argc, argv);
  bool ok = true;
  for (const auto& [name, make] : payloads) {
    const std::string text = perf::load(std::string(name) + ".json");
    const auto ops = make(name, text);
    ok = ok && ops;
    if (ops) print_times(name, text.size(), *ops, args.rounds, args.millis);
  }
  return ok ? 0 : 1;
}
