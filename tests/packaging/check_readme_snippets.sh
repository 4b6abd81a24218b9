#!/usr/bin/env bash
# Keeps the README's code true: every fenced code block that follows a line
#   <!-- quoted from examples/<path> -->
# must appear in that file, line for line and contiguous (indentation and blank lines aside).
# The examples are built and run by ctest and by CI against the installed package, so a quoted
# block is code that compiles and behaves. Also fails when the README quotes nothing at all, so
# the check cannot pass by losing its markers.
# Usage: check_readme_snippets.sh [README] (default: the repository's README.md).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
readme="${1:-$root/README.md}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# Splits the README into one file per quoted block: $work/<n>.source holds the quoted path,
# $work/<n>.block the block's lines.
awk -v dir="$work" '
  match($0, /^<!-- quoted from [^ ]+ -->$/) {
    n++; path = $4; print path > (dir "/" n ".source"); close(dir "/" n ".source")
    want = 1; next
  }
  want && /^```/ { want = 0; inside = 1; printf "" > (dir "/" n ".block"); next }
  inside && /^```/ { inside = 0; close(dir "/" n ".block"); next }
  inside { print > (dir "/" n ".block") }
' "$readme"

# Indentation and blank lines differ between a README block and its source; nothing else may.
normalize() { sed -e 's/^[[:space:]]*//' -e 's/[[:space:]]*$//' -e '/^$/d' "$1"; }

count=0
failed=0
for source_file in "$work"/*.source; do
  [ -e "$source_file" ] || break
  n="$(basename "$source_file" .source)"
  quoted="$(cat "$source_file")"
  count=$((count + 1))
  if [ ! -f "$work/$n.block" ]; then
    echo "README block $n (from $quoted): no code block after the marker"
    failed=1
    continue
  fi
  if [ ! -f "$root/$quoted" ]; then
    echo "README block $n: $quoted does not exist"
    failed=1
    continue
  fi
  normalize "$work/$n.block" >"$work/$n.want"
  normalize "$root/$quoted" >"$work/$n.have"
  # Contiguous match: the first line of the block at some line of the file, then all the rest.
  if ! awk -v want="$work/$n.want" '
        BEGIN { while ((getline line < want) > 0) w[++nw] = line }
        { h[++nh] = $0 }
        END {
          for (i = 1; i + nw - 1 <= nh; i++) {
            for (j = 1; j <= nw && h[i + j - 1] == w[j]; j++) {}
            if (j > nw) exit 0
          }
          exit 1
        }' "$work/$n.have"; then
    echo "README block $n is not in $quoted as written; the block:"
    sed 's/^/  | /' "$work/$n.block"
    failed=1
  fi
done
if [ "$count" -eq 0 ]; then
  echo "the README quotes no example (no '<!-- quoted from examples/... -->' markers)"
  exit 1
fi
[ "$failed" -eq 0 ] || exit 1
echo "all $count quoted blocks of the README are in their examples"
