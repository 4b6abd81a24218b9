// Fuzz target: the decoder's tokenizer (src/json/reader.hpp) against RapidJSON's Reader as the
// decoder used it before, validating UTF-8: on every input without NUL bytes (which RapidJSON's
// in-situ reader takes for the end of the text), the same events with the same text and the
// same error code at the same byte offset, run to the end and stopped by the handler at the
// first, a middle and the last event. Aborts on any difference (the one difference by design,
// numbers RapidJSON calls too big, is skipped).
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>

#include "json/reader_compare.hpp"

namespace {

void require_same(std::string_view text, std::size_t stop_at) {
  const reader_compare::Outcome expected = reader_compare::with_rapidjson(text, stop_at);
  if (!reader_compare::comparable(expected)) return;
  const reader_compare::Outcome got = reader_compare::with_tokenizer(text, stop_at);
  if (reader_compare::same(expected, got)) return;
  std::fprintf(stderr, "tokenizer and RapidJSON differ (stop at %zu): code %d/%d offset %zu/%zu\n",
               stop_at, static_cast<int>(got.code), static_cast<int>(expected.code), got.offset,
               expected.offset);
  std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  if (!reader_compare::eligible(text)) return 0;
  const reader_compare::Outcome whole =
      reader_compare::with_rapidjson(text, static_cast<std::size_t>(-1));
  require_same(text, static_cast<std::size_t>(-1));
  const std::size_t events = whole.events.size();
  if (events > 0) {
    require_same(text, 1);
    require_same(text, (events + 1) / 2);
    require_same(text, events);
  }
  return 0;
}
