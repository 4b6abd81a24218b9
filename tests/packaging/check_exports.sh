#!/usr/bin/env bash
# Checks what a shared libchathooks exports: built with hidden visibility, it must export only
# what the public headers declare (CHATHOOKS_API), never RapidJSON, {fmt}, curl or OpenSSL code,
# anonymous-namespace code, or helpers that only src/ declares.
#   - Every strong symbol (T, D, B, R) must be in namespace chathooks, and each component of its
#     qualified name (chathooks::flw::decode -> chathooks, flw, decode) must be a word of some
#     public header.
#   - Weak symbols (inline functions and template instantiations such as std::vector<Json>) may
#     be anything except third-party or anonymous-namespace code.
# Usage: check_exports.sh <libchathooks.so> [include dir]   (default: the repo's include/)
set -euo pipefail

lib="${1:?usage: check_exports.sh <libchathooks.so> [include dir]}"
include_dir="${2:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)/include}"

declare -A public_words=()
while IFS= read -r word; do public_words[$word]=1; done < <(
  find "$include_dir/chathooks" -type f \( -name '*.hpp' -o -name '*.h' \) -exec cat {} + |
    grep -oE '[A-Za-z_][A-Za-z0-9_]*' | LC_ALL=C sort -u)

failures=0
strong=0
weak=0
fail() {
  echo "FAIL: $*" >&2
  failures=$((failures + 1))
}

# "<address> <type> <demangled name...>" for each defined dynamic symbol.
while read -r _ type name; do
  case "$name" in
    # C libraries (curl_*, EVP_*) export strong, unnamespaced symbols: the rule below catches them.
    *rapidjson::* | *fmt::* | *httplib::* | *\(anonymous\ namespace\)*)
      fail "third-party or internal symbol exported: $type $name"
      continue
      ;;
  esac
  case "$type" in
    W | w | V | v | u)
      weak=$((weak + 1))
      continue
      ;;
  esac
  strong=$((strong + 1))
  # Strip the special-symbol prefixes, then the parameter list, then template arguments.
  qualified="$name"
  for prefix in "vtable for " "VTT for " "construction vtable for " "typeinfo for " \
    "typeinfo name for " "non-virtual thunk to " "virtual thunk to " "guard variable for "; do
    qualified="${qualified#"$prefix"}"
  done
  qualified="${qualified%%(*}"
  qualified="$(sed -e 's/\[abi:[^]]*\]//g' -e ':a' -e 's/<[^<>]*>//g' -e 'ta' <<<"$qualified")"
  # A template function's name starts with its return type: "void chathooks::f".
  if [[ "$qualified" != chathooks::* && "$qualified" == *" chathooks::"* ]]; then
    qualified="chathooks::${qualified#* chathooks::}"
  fi
  if [[ "$qualified" != chathooks::* ]]; then
    fail "strong symbol outside namespace chathooks exported: $type $name"
    continue
  fi
  IFS=':' read -r -a parts <<<"${qualified//::/:}"
  for part in "${parts[@]}"; do
    part="${part#\~}"
    [[ "$part" == operator* ]] && part=operator
    if [ -n "$part" ] && [ -z "${public_words[$part]:-}" ]; then
      fail "exported symbol not declared by any public header ($part): $type $name"
      break
    fi
  done
done < <(nm -D --defined-only "$lib" | c++filt)

if [ "$strong" -eq 0 ]; then
  fail "$lib exports no chathooks symbols at all"
fi
if [ "$failures" -ne 0 ]; then
  echo "check_exports: $failures failure(s) in $lib" >&2
  exit 1
fi
echo "check_exports: $lib exports $strong chathooks symbols and $weak weak instantiations, all public"
