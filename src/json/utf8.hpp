// Whole-input UTF-8 validation (RFC 3629: no overlong forms, no surrogates, nothing above
// U+10FFFF), sixteen bytes at a time over ASCII runs. The decoder validates the whole document
// once with this instead of asking RapidJSON to validate string by string, which costs more than
// RapidJSON's own parse (see tests/perf/codec_bench). Private. Thread-safety: pure function.
#pragma once

#include <cstddef>
#include <string_view>

namespace chathooks::detail {

/// The offset of the first byte that does not start a valid UTF-8 sequence, or npos.
std::size_t find_invalid_utf8(std::string_view text) noexcept;
/// The offset of the first byte that is NUL or does not start a valid UTF-8 sequence, or npos:
/// the decoder's one pass over its input.
std::size_t find_invalid_utf8_or_nul(std::string_view text) noexcept;

}  // namespace chathooks::detail
