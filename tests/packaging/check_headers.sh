#!/usr/bin/env bash
# Checks that every header of a set (found now, so headers added later are covered) stands on
# its own. The set is either
#   - the library's public headers, under include/chathooks/ (the default), or
#   - with --httplib, the headers of the chathooks::httplib component, under
#     adapters/httplib/include/chathooks/httplib/ (check_adapter_headers.sh runs this form), or
#   - with --beast, the headers of the chathooks::beast component, under
#     adapters/beast/include/chathooks/beast/ (they may include Boost's headers too).
# Each header
#   1. includes only the C++ standard library and other chathooks headers, never a third-party
#      or system header (RapidJSON, curl, OpenSSL, fmt, POSIX, ...); a component header may also
#      include the component's own headers, cpp-httplib's <httplib.h> and the POSIX headers
#      <signal.h> and <pthread.h>;
#   2. compiles in a translation unit that includes only it, twice, with the library's include
#      directory (and the component's, and cpp-httplib's flags, for a component header) and
#      nothing else, under strict warnings as errors, both for a static and a shared
#      (CHATHOOKS_SHARED) build.
# Usage: check_headers.sh [compiler...]   (default: c++)
#        check_headers.sh --httplib <compiler> [cpp-httplib flags...]   (e.g. -DCPPHTTPLIB_...,
#        -isystem <dir>)
# Exit status 0 only when all pass.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
include_dir="$root/include"

if [ "${1:-}" = "--httplib" ]; then
  shift
  if [ "$#" -lt 1 ]; then
    echo "usage: $0 --httplib <compiler> [cpp-httplib flags...]" >&2
    exit 2
  fi
  name=check_adapter_headers
  what="headers of the httplib component"
  header_dir="$root/adapters/httplib/include"
  compilers=("$1")
  shift
  extra_flags=(-I "$header_dir" "$@")
  # The standard library headers a component header may use, and the others it may include.
  allowed_headers=" algorithm any array atomic bitset charconv chrono condition_variable cstddef
    cstdint cstdio cstdlib cstring deque exception functional future initializer_list iterator
    limits list map memory mutex new optional set shared_mutex stdexcept string string_view
    system_error thread tuple type_traits unordered_map unordered_set utility variant vector
    httplib.h signal.h pthread.h "
  not_allowed="only the standard library, chathooks, httplib.h, signal.h and pthread.h are expected"
  not_chathooks="which is neither a public header nor one of the component"
elif [ "${1:-}" = "--beast" ]; then
  shift
  if [ "$#" -lt 1 ]; then
    echo "usage: $0 --beast <compiler> [Boost flags...]" >&2
    exit 2
  fi
  name=check_beast_headers
  what="headers of the beast component"
  header_dir="$root/adapters/beast/include"
  compilers=("$1")
  shift
  extra_flags=(-I "$header_dir" "$@")
  # The standard library headers a component header may use; Boost's own headers (boost/...)
  # are allowed below.
  allowed_headers=" algorithm array atomic cctype chrono condition_variable cstddef cstdint
    exception functional limits memory mutex optional string string_view thread unordered_map
    utility variant vector "
  allow_boost=1
  not_allowed="only the standard library, chathooks and Boost are expected"
  not_chathooks="which is neither a public header nor one of the component"
else
  name=check_headers
  what="public headers"
  header_dir="$include_dir"
  compilers=("$@")
  if [ "${#compilers[@]}" -eq 0 ]; then compilers=(c++); fi
  extra_flags=()
  # The C++17 standard library (plus later headers a public header may use behind
  # __has_include), and the C library headers in both spellings.
  allowed_headers=" algorithm any array atomic barrier bit bitset charconv chrono codecvt compare
    complex concepts condition_variable coroutine deque exception execution filesystem format
    forward_list fstream functional future initializer_list iomanip ios iosfwd iostream istream
    iterator latch limits list locale map memory memory_resource mutex new numbers numeric
    optional ostream queue random ranges ratio regex scoped_allocator semaphore set shared_mutex
    source_location span sstream stack stdexcept stop_token streambuf string string_view
    syncstream system_error thread tuple type_traits typeindex typeinfo unordered_map
    unordered_set utility valarray variant vector version
    cassert cctype cerrno cfenv cfloat cinttypes climits clocale cmath csetjmp csignal cstdarg
    cstddef cstdint cstdio cstdlib cstring ctime cuchar cwchar cwctype
    assert.h ctype.h errno.h fenv.h float.h inttypes.h limits.h locale.h math.h setjmp.h
    signal.h stdarg.h stddef.h stdint.h stdio.h stdlib.h string.h time.h uchar.h wchar.h
    wctype.h "
  not_allowed="which is neither the standard library nor chathooks"
  not_chathooks="which is not a public header"
fi

declare -A allowed=()
for header_name in $allowed_headers; do allowed[$header_name]=1; done

mapfile -t headers < <(cd "$header_dir" && find chathooks -type f \( -name '*.hpp' -o -name '*.h' \) | LC_ALL=C sort)
if [ "${#headers[@]}" -eq 0 ]; then
  echo "$name: no $what found under $header_dir/chathooks" >&2
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
      included="${BASH_REMATCH[1]}"
      if [[ "$included" == chathooks/* ]]; then
        [ -f "$include_dir/$included" ] || [ -f "$header_dir/$included" ] ||
          fail "$header includes $included, $not_chathooks"
      elif [ -n "${allow_boost:-}" ] && [[ "$included" == boost/* ]]; then
        :
      elif [ -z "${allowed[$included]:-}" ]; then
        fail "$header includes <$included>, $not_allowed"
      fi
    else
      fail "$header: unrecognised include line: $line"
    fi
  done < <(grep -E '^[[:space:]]*#[[:space:]]*include' "$header_dir/$header" || true)
done

# 2. Each header compiles alone.
flags=(-std=c++17 -Wall -Wextra -Wpedantic -Wconversion -Wshadow -Werror -fsyntax-only
  -I "$include_dir" "${extra_flags[@]}")
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
  echo "$name: $compiler: checked ${#headers[@]} $what"
done

if [ "$failures" -ne 0 ]; then
  echo "$name: $failures failure(s)" >&2
  exit 1
fi
echo "$name: all ${#headers[@]} $what are self-contained"
