// Symbol visibility for the chathooks library: CHATHOOKS_API marks what a shared build exports.
// A static build (the default) leaves it empty. Thread-safety: macros only.
#pragma once

#if defined(CHATHOOKS_SHARED)
#if defined(_WIN32)
#if defined(CHATHOOKS_BUILDING)
#define CHATHOOKS_API __declspec(dllexport)
#else
#define CHATHOOKS_API __declspec(dllimport)
#endif
#else
#define CHATHOOKS_API __attribute__((visibility("default")))
#endif
#else
#define CHATHOOKS_API
#endif
