// What the same-process benchmarks (codec_bench, receiver_bench) share: reading a test vector,
// the median of timings, and their `--rounds N --millis M` command line.
// Thread-safety: plain functions, called from the benchmark's main thread.
#pragma once

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace perf {

/// The bytes of tests/data/<name>; exits with an error when it cannot be read.
inline std::string load(const std::string& name) {
  std::ifstream in(std::string(CHATHOOKS_TEST_DATA_DIR) + "/" + name, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  if (s.str().empty()) {
    std::fprintf(stderr, "error: cannot read %s\n", name.c_str());
    std::exit(1);
  }
  return s.str();
}

/// The median of `v` (the upper one of an even count). `v` must not be empty.
inline double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

/// `--rounds N` (default 7) and `--millis M` (default 200), each at least 1.
struct Args {
  int rounds = 7;
  int millis = 200;
};
inline Args parse_args(int argc, char** argv) {
  Args args;
  for (int i = 1; i + 1 < argc; i += 2) {
    if (std::strcmp(argv[i], "--rounds") == 0) args.rounds = std::max(1, std::atoi(argv[i + 1]));
    if (std::strcmp(argv[i], "--millis") == 0) args.millis = std::max(1, std::atoi(argv[i + 1]));
  }
  return args;
}

}  // namespace perf
