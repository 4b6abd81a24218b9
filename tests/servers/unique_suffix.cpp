// test_servers::unique_suffix() (unique_suffix.hpp).
#include "unique_suffix.hpp"

#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>

namespace test_servers {

std::string unique_suffix(char separator) {
  static std::atomic<unsigned long> counter{0};
  const auto micros = std::chrono::duration_cast<std::chrono::microseconds>(
                          std::chrono::system_clock::now().time_since_epoch())
                          .count();
  char suffix[64];
  std::snprintf(suffix, sizeof suffix, "%c%ld%c%lu%c%08llx", separator, static_cast<long>(getpid()),
                separator, counter.fetch_add(1), separator,
                static_cast<unsigned long long>(micros) & 0xffffffffULL);
  return suffix;
}

}  // namespace test_servers
