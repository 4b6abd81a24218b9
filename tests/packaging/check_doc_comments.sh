#!/usr/bin/env bash
# Checks that the public headers document what they declare (found now, so headers added later
# are covered):
#   1. doxygen, with doc_comments.doxyfile (WARN_IF_UNDOCUMENTED, WARN_IF_DOC_ERROR), reports no
#      warning at all: every public class, function, variable, typedef and enum has a doc comment
#      and no doc comment is malformed;
#   2. what that warning does not cover in doxygen 1.9 is found in doxygen's XML output: each
#      public or protected enumerator, macro, and defaulted or deleted function has a doc comment
#      too;
#   3. every header's first comment block mentions thread safety (the word "thread", any case),
#      next to what the header is for.
# Only `detail` namespaces are exempt. Usage: check_doc_comments.sh <include dir> [doxygen]
# where <include dir> holds chathooks/ (or is the chathooks/ folder itself). Exit status 0 only
# when all pass; otherwise every finding is printed.
set -euo pipefail

if [ "$#" -lt 1 ] || [ "$#" -gt 2 ]; then
  echo "usage: $0 <include dir> [doxygen]" >&2
  exit 2
fi
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
dir="$(cd "$1" && pwd)"
if [ -d "$dir/chathooks" ]; then dir="$dir/chathooks"; fi
doxygen="${2:-doxygen}"

mapfile -t headers < <(cd "$dir" && find . -type f \( -name '*.hpp' -o -name '*.h' \) | LC_ALL=C sort)
if [ "${#headers[@]}" -eq 0 ]; then
  echo "check_doc_comments: no headers found under $dir" >&2
  exit 1
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
failures=0

# 1. Doxygen's own warnings. The run-dependent settings are appended to the shared ones; a later
# setting wins in a doxygen configuration.
if ! (
  cat "$here/doc_comments.doxyfile"
  printf 'INPUT = "%s"\nOUTPUT_DIRECTORY = "%s"\nXML_OUTPUT = "%s"\nWARN_LOGFILE = "%s"\n' \
    "$dir" "$work" "$work/xml" "$work/warnings.txt"
) | (cd "$work" && "$doxygen" -) >"$work/doxygen.out" 2>&1; then
  cat "$work/doxygen.out" >&2
  echo "check_doc_comments: doxygen failed" >&2
  exit 1
fi
# Doxygen reports problems with the configuration itself on its own output, the rest in the log.
grep -i 'warning\|error' "$work/doxygen.out" >>"$work/warnings.txt" || true
if [ -s "$work/warnings.txt" ]; then
  cat "$work/warnings.txt" >&2
  echo >&2
  warnings="$(grep -ci 'warning\|error' "$work/warnings.txt" || true)"
  if [ "${warnings:-0}" -eq 0 ]; then warnings=1; fi
  failures=$((failures + warnings))
fi

# 2. Undocumented declarations doxygen does not warn about, read from its XML. A memberdef or
# enumvalue is documented when its brief or detailed description holds any text; enumerators are
# reported with their enum's location, which follows them in the XML.
shopt -s nullglob
xml_files=("$work"/xml/*.xml)
shopt -u nullglob
if [ "${#xml_files[@]}" -eq 0 ]; then
  echo "check_doc_comments: doxygen wrote no XML under $work/xml" >&2
  exit 1
fi
awk '
  function attr(line, key,    s) {
    if (!match(line, key "=\"[^\"]*\"")) return ""
    s = substr(line, RSTART + length(key) + 2, RLENGTH - length(key) - 3)
    return s
  }
  function push(k, p) {
    depth++
    kind[depth] = k; prot[depth] = p; name[depth] = ""; doc[depth] = 0
    file[depth] = ""; line[depth] = ""; pending[depth] = ""
  }
  FNR == 1 { depth = 0; in_desc = 0; scope = "" }
  /<compoundname>/ {
    scope = $0; sub(/.*<compoundname>/, "", scope); sub(/<\/compoundname>.*/, "", scope)
  }
  /<memberdef / { push(attr($0, "kind"), attr($0, "prot")); next }
  /<enumvalue / { push("enumerator", attr($0, "prot")); next }
  depth > 0 && name[depth] == "" && /<name>/ {
    n = $0; sub(/.*<name>/, "", n); sub(/<\/name>.*/, "", n); name[depth] = n
  }
  depth > 0 && /<location / { file[depth] = attr($0, "file"); line[depth] = attr($0, "line") }
  depth > 0 && /<(brief|detailed)description>/ { in_desc = 1 }
  depth > 0 && in_desc {
    text = $0; gsub(/<[^>]*>/, "", text); gsub(/[ \t\r]/, "", text)
    if (text != "") doc[depth] = 1
  }
  /<\/(brief|detailed)description>/ { in_desc = 0 }
  /<\/enumvalue>/ && depth > 0 {
    if (!doc[depth] && prot[depth] != "private")
      pending[depth - 1] = pending[depth - 1] "\t" name[depth]
    depth--
    next
  }
  /<\/memberdef>/ && depth > 0 {
    where = file[depth] ":" line[depth] ": "
    if (prot[depth] != "private" && scope !~ /(^|::)detail(::|$)/) {
      if (!doc[depth])
        print where prot[depth] " " kind[depth] " " scope "::" name[depth] " has no doc comment"
      count = split(substr(pending[depth], 2), names, "\t")
      for (i = 1; i <= count; i++)
        print where "enumerator " scope "::" name[depth] "::" names[i] " has no doc comment"
    }
    depth--
  }
' "${xml_files[@]}" | LC_ALL=C sort -u >"$work/found.txt"
# What doxygen already warned about (same file and line) is not repeated.
awk '
  FNR == NR { if (match($0, /^[^:]*:[0-9]+:/)) seen[substr($0, 1, RLENGTH)] = 1; next }
  !(match($0, /^[^:]*:[0-9]+:/) && (substr($0, 1, RLENGTH) in seen))
' "$work/warnings.txt" "$work/found.txt" >"$work/undocumented.txt"
if [ -s "$work/undocumented.txt" ]; then
  cat "$work/undocumented.txt" >&2
  echo >&2
  failures=$((failures + $(wc -l <"$work/undocumented.txt")))
fi

# 3. The first comment block of each header: the leading `//` lines, or a leading /* ... */.
for header in "${headers[@]}"; do
  first_comment="$(awk '
    !started && /^[[:space:]]*$/ { next }
    !started && /^[[:space:]]*\/\*/ { started = 1; block = 1 }
    !started && /^[[:space:]]*\/\// { started = 1 }
    !started { exit }
    block { print; if (/\*\//) exit; next }
    /^[[:space:]]*\/\// { print; next }
    { exit }
  ' "$dir/$header")"
  if [ -z "$first_comment" ]; then
    echo "$dir/${header#./}:1: the header does not begin with a comment saying what it is for" \
      "and whether it is thread-safe" >&2
    failures=$((failures + 1))
  elif ! grep -qi 'thread' <<<"$first_comment"; then
    echo "$dir/${header#./}:1: the header's first comment does not say whether it is" \
      "thread-safe (no \"thread\" in it)" >&2
    failures=$((failures + 1))
  fi
done

if [ "$failures" -ne 0 ]; then
  echo "check_doc_comments: $failures finding(s) in ${#headers[@]} headers" >&2
  exit 1
fi
echo "check_doc_comments: all ${#headers[@]} headers document every public declaration"
