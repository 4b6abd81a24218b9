// One include for Catch2 v2 (Debian bookworm ships 2.13) and v3: tests include this file only.
#pragma once

#if defined(CHATHOOKS_CATCH2_V3)
#include <catch2/catch_all.hpp>
#else
#include <catch2/catch.hpp>
#endif
