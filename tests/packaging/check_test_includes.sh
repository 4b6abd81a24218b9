#!/usr/bin/env bash
# Keeps the tests' includes unambiguous: a quoted include in tests/ must name exactly one file
# among the folders a test may search (its own folder, tests/, src/, cli/, include/ and the
# adapters' include folders). A test helper and a library source with the same relative path
# would otherwise depend on the order of include directories.
# Usage: check_test_includes.sh (from anywhere; it finds the repository itself).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
roots=(tests src cli include)
for adapter in adapters/*/include; do
  [ -d "$adapter" ] && roots+=("$adapter")
done

ambiguous=0
checked=0
while IFS= read -r file; do
  dir="$(dirname "$file")"
  while IFS= read -r header; do
    checked=$((checked + 1))
    found=()
    for search in "$dir" "${roots[@]}"; do
      [ -f "$search/$header" ] && found+=("$search/$header")
    done
    if [ "${#found[@]}" -gt 1 ]; then
      echo "$file: \"$header\" names ${found[*]}"
      ambiguous=1
    fi
  done < <(sed -n 's/^[[:space:]]*#[[:space:]]*include[[:space:]]*"\([^"]*\)".*/\1/p' "$file")
done < <(find tests -name '*.cpp' -o -name '*.hpp' | LC_ALL=C sort)

[ "$checked" -gt 0 ] || { echo "no quoted includes found under tests/: wrong folder?"; exit 1; }
if [ "$ambiguous" -ne 0 ]; then
  echo "rename the test helper (or include it by a longer path) so that each include names one file"
  exit 1
fi
echo "all $checked quoted includes of the tests name one file each"
