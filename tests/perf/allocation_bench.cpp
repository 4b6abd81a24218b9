// allocation_bench: the memory cost of the typed codecs. First, per documented payload, the bytes
// and allocations of one decode (tolerant, as codec_bench decodes) and one encode; then time and
// peak memory of parsing allocation-heavy documents near the default 16 MiB limit (a million-plus
// elements of each shape, 100,000 members, member names that collide in std::hash) and at the
// default value limit, with Json::parse and the typed decoders; each under the default ParseOptions
// (max_values 100,000) and with max_values raised to unlimited (what the default allowed before
// max_values existed).
//
//   allocation_bench                   the per-payload table, then every case
//   allocation_bench --per-payload     the per-payload table only
//   allocation_bench <case-substring>  the cases whose name contains it
//
// Per payload (codec_bench's payloads, files and decode/encode functions) it prints
// `<payload> bytes=<input> sdk_decode_alloc_bytes=<n> sdk_decode_allocs=<n>
// sdk_encode_alloc_bytes=<n> sdk_encode_allocs=<n> rapidjson_parse_alloc_bytes=<n>
// rapidjson_parse_allocs=<n> decode_bytes_vs_rapidjson=<sdk decode bytes / rapidjson bytes>`:
// the bytes requested from, and the number of calls to, operator new (every form) and malloc,
// calloc and realloc (RapidJSON allocates through std::malloc/std::realloc; a realloc counts as
// one allocation of its new size), per operation. Each figure is the mean of 100 calls after one
// warm-up call (the SDK reuses a thread-local reader and writer buffer across calls), so it is the
// steady state; freeing is not counted, nor is destroying the result. The SDK side is the typed
// decode of the bytes and the encode of its result; the reference is constructing a
// rapidjson::Document and Parse of the same bytes (its allocators, the pool's chunks and the parse
// stack), as codec_bench's reference does. RapidJSON's figure is mostly capacity, not use: its
// pool's first 64 KiB chunk and its 1 KiB document and 256-byte reader stacks, whatever the size
// of the payload (66,883 bytes in 7 allocations for each payload here).
//
// Each case runs once per mode in a forked child, so that its peak RSS (getrusage's ru_maxrss
// of the child) is its own. Prints, per case and mode, `<case> <mode> bytes=<input>
// ok|<errc> seconds=<parse> base_mib=<RSS peak before parsing> peak_rss_mib=<child peak>
// ratio=<peak / input>`. The peak includes the input text itself and the child's baseline
// (base_mib: the input, the program and its libraries).
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <limits>
#include <new>
#include <string>
#include <vector>

#include <rapidjson/document.h>

#include "chathooks/boticario/codec.hpp"
#include "chathooks/cliengo/codec.hpp"
#include "chathooks/flw/codec.hpp"
#include "chathooks/json.hpp"
#include "json/colliding_keys.hpp"

#include "bench_support.hpp"
#include "codec_payloads.hpp"

// Sanitizers replace malloc and operator new themselves (statically, with clang's runtimes, where
// a second definition does not link): sanitizer builds build this program without counting, and
// its per-payload table says so.
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define CHATHOOKS_COUNT_ALLOCATIONS 0
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer) || \
    __has_feature(memory_sanitizer)
#define CHATHOOKS_COUNT_ALLOCATIONS 0
#endif
#endif
#ifndef CHATHOOKS_COUNT_ALLOCATIONS
#define CHATHOOKS_COUNT_ALLOCATIONS 1
#endif

// Allocation counting for the per-payload table. The replacements below count every allocation
// made on a thread while its t_counting is set (only the main thread sets it, around one measured
// call; forked children never do). malloc, calloc and realloc forward to glibc's own functions
// (which it exports as __libc_*); operator new allocates with __libc_malloc, so that no allocation
// is counted twice.
namespace {
thread_local bool t_counting = false;
thread_local std::size_t t_bytes = 0;
thread_local std::size_t t_allocs = 0;

[[maybe_unused]] void note(std::size_t size) noexcept {
  if (!t_counting) return;
  t_bytes += size;
  ++t_allocs;
}
}  // namespace

#if CHATHOOKS_COUNT_ALLOCATIONS
extern "C" {
void* __libc_malloc(std::size_t size) noexcept;
void* __libc_calloc(std::size_t count, std::size_t size) noexcept;
void* __libc_realloc(void* p, std::size_t size) noexcept;
void __libc_free(void* p) noexcept;

void* malloc(std::size_t size) noexcept {
  note(size);
  return __libc_malloc(size);
}
void* calloc(std::size_t count, std::size_t size) noexcept {
  note(count * size);
  return __libc_calloc(count, size);
}
void* realloc(void* p, std::size_t size) noexcept {
  if (p == nullptr || size != 0) note(size);  // realloc(p, 0) frees
  return __libc_realloc(p, size);
}
void free(void* p) noexcept { __libc_free(p); }
}

namespace {
void* counted_new(std::size_t size, std::align_val_t align, bool nothrow) {
  note(size);
  const auto a = static_cast<std::size_t>(align);
  void* p = a <= __STDCPP_DEFAULT_NEW_ALIGNMENT__
                ? __libc_malloc(size == 0 ? 1 : size)
                : std::aligned_alloc(a, (size + a - 1) / a * a);  // not replaced: counted once
  if (p == nullptr && !nothrow) throw std::bad_alloc();
  return p;
}
constexpr auto kPlain = std::align_val_t(__STDCPP_DEFAULT_NEW_ALIGNMENT__);
}  // namespace

// clang-format off
void* operator new(std::size_t n) { return counted_new(n, kPlain, false); }
void* operator new[](std::size_t n) { return counted_new(n, kPlain, false); }
void* operator new(std::size_t n, const std::nothrow_t&) noexcept { return counted_new(n, kPlain, true); }
void* operator new[](std::size_t n, const std::nothrow_t&) noexcept { return counted_new(n, kPlain, true); }
void* operator new(std::size_t n, std::align_val_t a) { return counted_new(n, a, false); }
void* operator new[](std::size_t n, std::align_val_t a) { return counted_new(n, a, false); }
void* operator new(std::size_t n, std::align_val_t a, const std::nothrow_t&) noexcept { return counted_new(n, a, true); }
void* operator new[](std::size_t n, std::align_val_t a, const std::nothrow_t&) noexcept { return counted_new(n, a, true); }
void operator delete(void* p) noexcept { free(p); }
void operator delete[](void* p) noexcept { free(p); }
void operator delete(void* p, std::size_t) noexcept { free(p); }
void operator delete[](void* p, std::size_t) noexcept { free(p); }
void operator delete(void* p, const std::nothrow_t&) noexcept { free(p); }
void operator delete[](void* p, const std::nothrow_t&) noexcept { free(p); }
void operator delete(void* p, std::align_val_t) noexcept { free(p); }
void operator delete[](void* p, std::align_val_t) noexcept { free(p); }
void operator delete(void* p, std::size_t, std::align_val_t) noexcept { free(p); }
void operator delete[](void* p, std::size_t, std::align_val_t) noexcept { free(p); }
void operator delete(void* p, std::align_val_t, const std::nothrow_t&) noexcept { free(p); }
void operator delete[](void* p, std::align_val_t, const std::nothrow_t&) noexcept { free(p); }
// clang-format on
#endif  // CHATHOOKS_COUNT_ALLOCATIONS

namespace {

using chathooks::ParseOptions;
using Clock = std::chrono::steady_clock;
constexpr std::size_t kLimit = 16 * 1024 * 1024;

/// As many copies of `element` as fit the default byte limit, as an array.
std::string fill_array(const std::string& element, const std::string& open = "[",
                       const std::string& close = "]") {
  const std::size_t count = (kLimit - open.size() - close.size()) / (element.size() + 1);
  std::string out = open;
  out.reserve(kLimit);
  for (std::size_t i = 0; i < count; ++i) {
    if (i != 0) out += ',';
    out += element;
  }
  out += close;  // not `out + close`: a copy would raise base_mib
  return out;
}

/// `count` copies of `element` as an array between `open` and `close`.
std::string array_of(std::size_t count, const std::string& element, const std::string& open = "[",
                     const std::string& close = "]") {
  std::string out = open;
  out.reserve(open.size() + count * (element.size() + 1) + close.size());
  for (std::size_t i = 0; i < count; ++i) {
    if (i != 0) out += ',';
    out += element;
  }
  out += close;  // not `out + close`: a copy would raise base_mib
  return out;
}

std::string members(std::size_t count) {
  std::string out = "{";
  for (std::size_t i = 0; i < count; ++i) {
    if (i != 0) out += ',';
    out += "\"member-" + std::to_string(i) + "\":" + std::to_string(i);
  }
  out += '}';
  return out;
}

using Parse = std::function<std::string(const std::string&, const ParseOptions&)>;

struct Case {
  std::string name;
  std::function<std::string()> make;
  Parse parse;  // "ok" or the error code
};

struct Mode {
  const char* name;
  ParseOptions options;
};

template <class T>
std::string verdict(const chathooks::Result<T>& result) {
  return result.ok() ? std::string("ok") : std::string(chathooks::to_string(result.error().code()));
}

/// The process's peak resident set so far (VmHWM), in MiB.
double peak_so_far_mib() {
  std::FILE* status = std::fopen("/proc/self/status", "r");
  if (status == nullptr) return 0.0;
  char line[256];
  double kib = 0.0;
  while (std::fgets(line, sizeof(line), status) != nullptr) {
    if (std::strncmp(line, "VmHWM:", 6) == 0) kib = std::strtod(line + 6, nullptr);
  }
  std::fclose(status);
  return kib / 1024.0;
}

void run(const Case& c, const Mode& mode) {
  int sizes[2];
  if (pipe(sizes) != 0) return;
  std::fflush(stdout);  // Or the child inherits, and prints again, what is still buffered.
  const pid_t child = fork();
  if (child == 0) {
    close(sizes[0]);
    const std::string input = c.make();
    const double base = peak_so_far_mib();
    const auto started = Clock::now();
    const std::string outcome = c.parse(input, mode.options);
    const double seconds = std::chrono::duration<double>(Clock::now() - started).count();
    std::printf("%-38s %-9s bytes=%-9zu %-9s seconds=%-7.3f base_mib=%-6.1f", c.name.c_str(),
                mode.name, input.size(), outcome.c_str(), seconds, base);
    std::fflush(stdout);
    const std::size_t size = input.size();
    const bool sent = write(sizes[1], &size, sizeof(size)) == static_cast<ssize_t>(sizeof(size));
    _exit(sent ? 0 : 1);
  }
  close(sizes[1]);
  std::size_t input_bytes = 0;
  if (child < 0 || read(sizes[0], &input_bytes, sizeof(input_bytes)) !=
                       static_cast<ssize_t>(sizeof(input_bytes))) {
    input_bytes = 0;
  }
  close(sizes[0]);
  if (child < 0) return;
  int status = 0;
  rusage usage{};
  wait4(child, &status, 0, &usage);
  const double peak_mib = static_cast<double>(usage.ru_maxrss) / 1024.0;
  const double input_mib = static_cast<double>(input_bytes) / (1024.0 * 1024.0);
  std::printf(" peak_rss_mib=%-7.1f ratio=%.1f%s\n", peak_mib,
              input_mib > 0 ? peak_mib / input_mib : 0.0,
              WIFEXITED(status) && WEXITSTATUS(status) == 0 ? "" : " (child failed)");
}

template <class T>
Parse typed(chathooks::Result<T> (*decode)(std::string_view, const ParseOptions&,
                                           std::vector<chathooks::DecodeWarning>*)) {
  return [decode](const std::string& text, const ParseOptions& options) {
    return verdict(decode(text, options, nullptr));
  };
}

struct Cost {
  double bytes;
  double allocs;
};

/// The allocations of one call of `op`: the mean over 100 calls after one warm-up call. What
/// `op` returns is destroyed after counting stops.
template <class Op>
Cost allocations_of(const Op& op) {
  constexpr int kCalls = 100;
  { const auto warm_up = op(); }
  t_bytes = 0;
  t_allocs = 0;
  for (int i = 0; i < kCalls; ++i) {
    t_counting = true;
    const auto kept = op();
    t_counting = false;
  }
  return {static_cast<double>(t_bytes) / kCalls, static_cast<double>(t_allocs) / kCalls};
}

/// `x` without decimals when it is whole (the steady state should be), else with two.
std::string number(double x) {
  char out[32];
  std::snprintf(out, sizeof(out),
                x == static_cast<double>(static_cast<long long>(x)) ? "%.0f" : "%.2f", x);
  return out;
}

template <class Decode, class Encode>
bool print_allocations(const char* name, Decode decode, Encode encode) {
  const std::string text = perf::load(std::string(name) + ".json");
  const auto decoded = decode(text);
  if (!decoded) {
    std::fprintf(stderr, "%s: does not decode: %s\n", name, decoded.error().to_string().c_str());
    return false;
  }
  const Cost dec = allocations_of([&] { return decode(text); });
  const Cost enc = allocations_of([&] { return encode(*decoded); });
  const Cost ref = allocations_of([&] {
    rapidjson::Document doc;
    doc.Parse(text.data(), text.size());
    return doc;
  });
  std::printf(
      "%s bytes=%zu sdk_decode_alloc_bytes=%s sdk_decode_allocs=%s sdk_encode_alloc_bytes=%s "
      "sdk_encode_allocs=%s rapidjson_parse_alloc_bytes=%s rapidjson_parse_allocs=%s "
      "decode_bytes_vs_rapidjson=%.3f\n",
      name, text.size(), number(dec.bytes).c_str(), number(dec.allocs).c_str(),
      number(enc.bytes).c_str(), number(enc.allocs).c_str(), number(ref.bytes).c_str(),
      number(ref.allocs).c_str(), ref.bytes > 0 ? dec.bytes / ref.bytes : 0.0);
  std::fflush(stdout);
  return true;
}

/// The per-payload table: codec_bench's payloads with its decode and encode functions.
bool print_per_payload() {
  if (!CHATHOOKS_COUNT_ALLOCATIONS) {
    std::printf("per-payload allocations: not counted in a sanitizer build\n");
    return true;
  }
  bool ok = true;
  perf::for_each_codec_payload([&](const char* name, auto decode, auto encode) {
    ok = print_allocations(name, decode, encode) && ok;
  });
  return ok;
}

}  // namespace

int main(int argc, char** argv) {
  const bool per_payload_only = argc > 1 && std::strcmp(argv[1], "--per-payload") == 0;
  const bool per_payload_ok = argc == 1 || per_payload_only ? print_per_payload() : true;
  if (per_payload_only) return per_payload_ok ? 0 : 1;
  using chathooks::Json;
  const Parse json = [](const std::string& text, const ParseOptions& options) {
    return verdict(Json::parse(text, options));
  };
  const Parse dispatch = typed(&chathooks::flw::decode_dispatch);
  const Parse response = typed(&chathooks::flw::decode_response);
  const Parse request = typed(&chathooks::cliengo::decode_memory);
  const Parse event = typed(&chathooks::boticario::decode_event);
  const std::vector<Case> cases = {
      {"json: [0,0,...]", [] { return fill_array("0"); }, json},
      {"json: [[],[],...]", [] { return fill_array("[]"); }, json},
      {"json: [{},{},...]", [] { return fill_array("{}"); }, json},
      {"json: [\"\",...]", [] { return fill_array("\"\""); }, json},
      {"json: [[0],...]", [] { return fill_array("[0]"); }, json},
      {"json: [{\"k\":0},...]", [] { return fill_array("{\"k\":0}"); }, json},
      {"json: 100,000 members", [] { return members(100000); }, json},
      {"json: 500,000 members", [] { return members(500000); }, json},
      {"json: 8,192 colliding names",
       [] { return colliding_keys::object(colliding_keys::names(13)); }, json},
      {"json: 16,384 colliding names",
       [] { return colliding_keys::object(colliding_keys::names(14)); }, json},
      {"flw: contact 500,000 custom fields", [] { return "{\"contact\":" + members(500000) + "}"; },
       dispatch},
      {"flw: contact 16,384 colliding",
       [] { return "{\"contact\":" + colliding_keys::object(colliding_keys::names(14)) + "}"; },
       dispatch},
      {"flw: responseKeys [\"\",...]",
       [] { return fill_array("\"\"", "{\"responseKeys\":[", "]}"); }, dispatch},
      {"flw: messages [{},...]", [] { return fill_array("{}", "{\"messages\":[", "]}"); },
       response},
      {"cliengo: chat_log [{},...]", [] { return fill_array("{}", "{\"chat_log\":[", "]}"); },
       request},
      {"cliengo: intent [[],...]",
       [] { return fill_array("[]", "{\"collected_data\":{\"intent\":[", "]}}"); }, request},
      {"boticario: unknown [{},...]",
       [] { return fill_array("{}", "{\"event\":{\"type\":\"x\"},\"a\":[", "]}"); }, event},
      // The most values the default max_values accepts (100,000, the root and containers
      // included), in the shapes that cost the most per value.
      {"at limit json: 99,999 x {}", [] { return array_of(99999, "{}"); }, json},
      {"at limit flw: 99,998 messages {}",
       [] { return array_of(99998, "{}", "{\"messages\":[", "]}"); }, response},
      {"at limit cliengo: 99,998 chat_log {}",
       [] { return array_of(99998, "{}", "{\"chat_log\":[", "]}"); }, request},
      {"at limit boticario: unknown 99,996 {}",
       [] { return array_of(99996, "{}", "{\"event\":{\"type\":\"x\"},\"a\":[", "]}"); }, event},
  };
  ParseOptions unlimited;
  unlimited.max_values = std::numeric_limits<std::size_t>::max();
  const std::vector<Mode> modes = {{"default", ParseOptions{}}, {"unlimited", unlimited}};
  for (const auto& c : cases) {
    if (argc > 1 && c.name.find(argv[1]) == std::string::npos) continue;
    for (const Mode& mode : modes) run(c, mode);
  }
  return per_payload_ok ? 0 : 1;
}
