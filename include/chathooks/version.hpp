// The chathooks version: the one place it is written (CMake reads it from here).
// Thread-safety: constants only.
#pragma once

/// The X of version X.Y.Z, an integer usable in `#if` (CMake's project version reads it too).
#define CHATHOOKS_VERSION_MAJOR 0
/// The Y of version X.Y.Z, an integer usable in `#if`.
#define CHATHOOKS_VERSION_MINOR 2
/// The Z of version X.Y.Z, an integer usable in `#if`.
#define CHATHOOKS_VERSION_PATCH 0

/// Helper of CHATHOOKS_VERSION_STRING: turns its arguments, already expanded, into "a.b.c".
#define CHATHOOKS_VERSION_STRING_(a, b, c) #a "." #b "." #c
/// Helper of CHATHOOKS_VERSION_STRING: expands the three macros before they are stringised.
#define CHATHOOKS_VERSION_STRING_X_(a, b, c) CHATHOOKS_VERSION_STRING_(a, b, c)
/// The version as a string literal, "X.Y.Z", for preprocessor-time use (the User-Agent default).
#define CHATHOOKS_VERSION_STRING                                                \
  CHATHOOKS_VERSION_STRING_X_(CHATHOOKS_VERSION_MAJOR, CHATHOOKS_VERSION_MINOR, \
                              CHATHOOKS_VERSION_PATCH)

namespace chathooks {

/// The library version as "MAJOR.MINOR.PATCH", e.g. for a User-Agent.
inline constexpr const char* version_string = CHATHOOKS_VERSION_STRING;

}  // namespace chathooks
