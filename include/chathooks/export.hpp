// Symbol visibility for the chathooks library: CHATHOOKS_API marks what a shared build exports.
// A static build (the default) leaves it empty. CHATHOOKS_SHARED is defined for a shared build
// (the CMake target passes it on to its users), CHATHOOKS_BUILDING while the library itself is
// compiled. Thread-safety: macros only, nothing to share.
#pragma once

#if defined(CHATHOOKS_SHARED)
#if defined(_WIN32)
#if defined(CHATHOOKS_BUILDING)
/// Marks the public API: the DLL being built exports it.
#define CHATHOOKS_API __declspec(dllexport)
#else
/// Marks the public API: code using the DLL imports it.
#define CHATHOOKS_API __declspec(dllimport)
#endif
#else
/// Marks the public API: visible from the shared library even under -fvisibility=hidden.
#define CHATHOOKS_API __attribute__((visibility("default")))
#endif
#else
/// Marks the public API: nothing to do in a static library.
#define CHATHOOKS_API
#endif
