#!/usr/bin/env bash
# Checks that every public header under include/chathooks/ (found now, so headers added later are
# covered) stands on its own:
#   1. it includes only the C++ standard library and other chathooks headers, never a
#      third-party or system header (RapidJSON, curl, OpenSSL, fmt, POSIX, ...);
#   2. a translation unit that includes only it, twice, compiles with -I include and nothing else
#      under strict warnings as errors, both for a static and a shared (CHATHOOKS_SHARED) build.
# Usage: check_headers.sh [compiler...]   (default: c++). Exit status 0 only when all pass.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
include_dir="$root/include"
compilers=("$@")
if [ "${#compilers[@]}" -eq 0 ]; then compilers=(c++); fi

# The C++17 standard library (plus later headers a public header may use behind
# __has_include), and the C library headers in both spellings.
std_headers=" algorithm any array atomic barrier bit bitset charconv chrono codecvt compare
  complex concepts condition_variable coroutine deque exception execution filesystem format
  forward_list fstream functional future initializer_list iomanip ios iosfwd iostream istream
  iterator latch limits list locale map memory memory_resource mutex new numbers numeric optional
  ostream queue random ranges ratio regex scoped_allocator semaphore set shared_mutex
  source_location span sstream stack stdexcept stop_token streambuf string string_view
  syncstream system_error thread tuple type_traits typeindex typeinfo unordered_map
  unordered_set utility valarray variant vector version
  cassert cctype cerrno cfenv cfloat cinttypes climits clocale cmath csetjmp csignal cstdarg
  cstddef cstdint cstdio cstdlib cstring ctime cuchar cwchar cwctype
  assert.h ctype.h errno.h fenv.h float.h inttypes.h limits.h locale.h math.h setjmp.h signal.h
  stdarg.h stddef.h stdint.h stdio.h stdlib.h string.h time.h uchar.h wchar.h wctype.h "

declare -A is_std=()
for name in $std_headers; do is_std[$name]=1; done

mapfile -t headers < <(cd "$include_dir" && find chathooks -type f \( -name '*.hpp' -o -name '*.h' \) | LC_ALL=C sort)
if [ "${#headers[@]}" -eq 0 ]; then
  echo "check_headers: no public headers found under $include_dir/chathooks" >&2
  exit 1
fi

failures=0
fail() {
  echo "FAIL: $*" >&2
  failures=$((failures + 1))
}

# 1. What each header includes.
for header in "${headers[@]}"; do
  while IFS= read -r line; do
    # Anything after '#include' that is not a plain <name> or "name" (a macro) is refused too.
    if [[ "$line" =~ ^[[:space:]]*#[[:space:]]*include[[:space:]]*[\<\"]([^\>\"]+)[\>\"] ]]; then
      name="${BASH_REMATCH[1]}"
      if [[ "$name" == chathooks/* ]]; then
        [ -f "$include_dir/$name" ] || fail "$header includes $name, which is not a public header"
      elif [ -z "${is_std[$name]:-}" ]; then
        fail "$header includes <$name>, which is neither the standard library nor chathooks"
      fi
    else
      fail "$header: unrecognised include line: $line"
    fi
  done < <(grep -E '^[[:space:]]*#[[:space:]]*include' "$include_dir/$header" || true)
done

# 2. Each header compiles alone.
flags=(-std=c++17 -Wall -Wextra -Wpedantic -Wconversion -Wshadow -Werror -fsyntax-only
  -I "$include_dir")
for compiler in "${compilers[@]}"; do
  for header in "${headers[@]}"; do
    for defines in "" "-DCHATHOOKS_SHARED"; do
      # Included twice: the second inclusion must be a no-op (include guard / #pragma once).
      # shellcheck disable=SC2086  # $defines is empty or one word
      if ! printf '#include "%s"\n#include "%s"\n' "$header" "$header" |
        "$compiler" "${flags[@]}" $defines -x c++ -; then
        fail "$header does not compile on its own with $compiler ${defines:-(static)}"
      fi
    done
  done
  echo "check_headers: $compiler: checked ${#headers[@]} headers"
done

if [ "$failures" -ne 0 ]; then
  echo "check_headers: $failures failure(s)" >&2
  exit 1
fi
echo "check_headers: all ${#headers[@]} public headers are self-contained"
