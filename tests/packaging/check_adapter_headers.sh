#!/usr/bin/env bash
# Checks that every header of the chathooks::httplib component (adapters/httplib/include/chathooks/
# httplib/, found now, so headers added later are covered) stands on its own, as
# check_headers.sh does for the library's public headers, except that cpp-httplib is available:
#   1. it includes only the C++ standard library, chathooks headers (public or of the component),
#      cpp-httplib's <httplib.h> and the POSIX headers <signal.h> and <pthread.h>;
#   2. a translation unit that includes only it, twice, compiles with the library's and the
#      component's include directories, cpp-httplib's flags and nothing else, under strict
#      warnings as errors, both for a static and a shared (CHATHOOKS_SHARED) build.
# Usage: check_adapter_headers.sh <compiler> [cpp-httplib flags...]   (e.g. -DCPPHTTPLIB_...,
# -isystem <dir>). Exit status 0 only when all pass.
set -euo pipefail

if [ "$#" -lt 1 ]; then
  echo "usage: $0 <compiler> [cpp-httplib flags...]" >&2
  exit 2
fi
compiler=$1
shift
httplib_flags=("$@")

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
include_dir="$root/include"
adapter_dir="$root/adapters/httplib/include"

std_headers=" algorithm any array atomic bitset charconv chrono condition_variable cstddef
  cstdint cstdio cstdlib cstring deque exception functional future initializer_list iterator
  limits list map memory mutex new optional set shared_mutex stdexcept string string_view
  system_error thread tuple type_traits unordered_map unordered_set utility variant vector "
other_headers=" httplib.h signal.h pthread.h "
declare -A allowed=()
for name in $std_headers $other_headers; do allowed[$name]=1; done

mapfile -t headers < <(cd "$adapter_dir" && find chathooks -type f \( -name '*.hpp' -o -name '*.h' \) | LC_ALL=C sort)
if [ "${#headers[@]}" -eq 0 ]; then
  echo "check_adapter_headers: no headers found under $adapter_dir/chathooks" >&2
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
    if [[ "$line" =~ ^[[:space:]]*#[[:space:]]*include[[:space:]]*[\<\"]([^\>\"]+)[\>\"] ]]; then
      name="${BASH_REMATCH[1]}"
      if [[ "$name" == chathooks/* ]]; then
        [ -f "$include_dir/$name" ] || [ -f "$adapter_dir/$name" ] ||
          fail "$header includes $name, which is neither a public header nor one of the component"
      elif [ -z "${allowed[$name]:-}" ]; then
        fail "$header includes <$name>: only the standard library, chathooks, httplib.h, signal.h and pthread.h are expected"
      fi
    else
      fail "$header: unrecognised include line: $line"
    fi
  done < <(grep -E '^[[:space:]]*#[[:space:]]*include' "$adapter_dir/$header" || true)
done

# 2. Each header compiles alone.
flags=(-std=c++17 -Wall -Wextra -Wpedantic -Wconversion -Wshadow -Werror -fsyntax-only
  -I "$include_dir" -I "$adapter_dir" "${httplib_flags[@]}")
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

if [ "$failures" -ne 0 ]; then
  echo "check_adapter_headers: $failures failure(s)" >&2
  exit 1
fi
echo "check_adapter_headers: $compiler: all ${#headers[@]} headers of the httplib component are self-contained"
