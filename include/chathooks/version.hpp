// The chathooks version: the one place it is written (CMake reads it from here).
// Thread-safety: constants only.
#pragma once

#define CHATHOOKS_VERSION_MAJOR 0
#define CHATHOOKS_VERSION_MINOR 1
#define CHATHOOKS_VERSION_PATCH 0

#define CHATHOOKS_VERSION_STRING_(a, b, c) #a "." #b "." #c
#define CHATHOOKS_VERSION_STRING_X_(a, b, c) CHATHOOKS_VERSION_STRING_(a, b, c)
#define CHATHOOKS_VERSION_STRING                                                \
  CHATHOOKS_VERSION_STRING_X_(CHATHOOKS_VERSION_MAJOR, CHATHOOKS_VERSION_MINOR, \
                              CHATHOOKS_VERSION_PATCH)

namespace chathooks {

/// The library version as "MAJOR.MINOR.PATCH", e.g. for a User-Agent.
inline constexpr const char* version_string = CHATHOOKS_VERSION_STRING;

}  // namespace chathooks
