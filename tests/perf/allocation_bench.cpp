// allocation_bench: time and peak memory of parsing allocation-heavy documents near the default
// 16 MiB limit (a million-plus elements of each shape, 100,000 members, member names that
// collide in std::hash) and at the default value limit, with Json::parse and the typed
// decoders; each under the default ParseOptions (max_values 100,000) and with max_values
// raised to unlimited (what the default allowed before max_values existed).
//
//   allocation_bench [case-substring]
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
#include <string>
#include <vector>

#include "chathooks/boticario/codec.hpp"
#include "chathooks/cliengo/codec.hpp"
#include "chathooks/flw/codec.hpp"
#include "chathooks/json.hpp"
#include "json/colliding_keys.hpp"

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

}  // namespace

int main(int argc, char** argv) {
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
  return 0;
}
