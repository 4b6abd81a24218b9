// UTF-8 validation (RFC 3629: no overlong forms, no surrogates, nothing above U+10FFFF): of
// one sequence, for the tokenizer, which validates the non-ASCII bytes of strings as it scans
// them; and of a whole text, sixteen bytes at a time over ASCII runs, for the decoder's error
// path and the stores. Private. Thread-safety: pure functions.
#pragma once

#include <cstddef>
#include <string_view>

namespace chathooks::detail {

/// The offset of the first byte that does not start a valid UTF-8 sequence, or npos.
std::size_t find_invalid_utf8(std::string_view text) noexcept;
/// The length of the valid UTF-8 sequence whose lead byte (above 0x7F) is at `p`, or 0 when
/// the bytes from `p` to `end` do not start one: the tokenizer's check of a string's non-ASCII
/// bytes.
std::size_t utf8_sequence_length(const char* p, const char* end) noexcept;
/// The offset of the first byte that is NUL or does not start a valid UTF-8 sequence, or npos:
/// the decoder's look at a text whose parse failed.
std::size_t find_invalid_utf8_or_nul(std::string_view text) noexcept;

}  // namespace chathooks::detail
