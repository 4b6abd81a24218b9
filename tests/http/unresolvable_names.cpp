// getaddrinfo() for the transport's failure-mode tests, so that they never ask the system
// resolver anything: a definition in the test program comes before libc's in symbol lookup, so
// libcurl's resolver thread calls this one. Names ending in kUnresolvableSuffix fail at once
// with EAI_NONAME, as an unknown name does, and are counted; any other name goes on to the next
// getaddrinfo in lookup order (the sanitizer's interceptor, or libc's), though these tests use
// numeric addresses only, which libcurl does not resolve.
// Thread-safety: callable from any thread (libcurl resolves on threads of its own).
#ifndef _GNU_SOURCE
#define _GNU_SOURCE  // RTLD_NEXT
#endif
#include "unresolvable_names.hpp"

#include <dlfcn.h>
#include <netdb.h>
#include <sys/socket.h>
#include <sys/types.h>

#include <atomic>
#include <cstring>

namespace {

std::atomic<int> refused_lookups{0};

bool ends_with_suffix(const char* name) {
  if (name == nullptr) return false;
  const std::size_t length = std::strlen(name);
  const std::size_t suffix = std::strlen(unresolvable_names::kSuffix);
  return length >= suffix && std::strcmp(name + length - suffix, unresolvable_names::kSuffix) == 0;
}

using GetAddrInfo = int (*)(const char*, const char*, const struct addrinfo*, struct addrinfo**);

}  // namespace

namespace unresolvable_names {

int lookups() { return refused_lookups.load(); }

}  // namespace unresolvable_names

extern "C" int getaddrinfo(const char* node, const char* service, const struct addrinfo* hints,
                           struct addrinfo** result) {
  if (ends_with_suffix(node)) {
    refused_lookups.fetch_add(1);
    return EAI_NONAME;
  }
  static const auto next = reinterpret_cast<GetAddrInfo>(::dlsym(RTLD_NEXT, "getaddrinfo"));
  if (next == nullptr) return EAI_FAIL;
  return next(node, service, hints, result);
}
