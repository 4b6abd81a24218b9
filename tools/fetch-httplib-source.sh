#!/usr/bin/env bash
# Fetches Debian's source package of cpp-httplib, at the version of the installed
# libcpp-httplib-dev, into DEST, and prints the folder that holds its single-file (header-only)
# httplib.h. libcpp-httplib-dev installs a split header whose definitions live in a prebuilt
# library; a sanitizer cannot instrument that library, so the ThreadSanitizer build compiles
# cpp-httplib from this header instead:
#
#   src=$(tools/fetch-httplib-source.sh /tmp/httplib)
#   cmake -S . -B build-tsan -DCHATHOOKS_SANITIZE=thread -DCHATHOOKS_CPP_HTTPLIB_SINGLE_HEADER_DIR="$src" ...
#
# Uses the Debian archives the machine's apt is configured with, as deb-src, through a private
# apt state under DEST: the machine's own apt configuration and lists are left as they are.
# Needs apt-get and dpkg-source (dpkg-dev); run it as root (CI) or with write access to DEST.
set -euo pipefail

if [ "$#" -ne 1 ]; then
  echo "usage: $0 DEST" >&2
  exit 2
fi
dest=$1
version=$(dpkg-query -W -f='${Version}' libcpp-httplib-dev 2>/dev/null) || {
  echo "fetch-httplib-source: libcpp-httplib-dev is not installed" >&2
  exit 1
}
mkdir -p "$dest"
dest=$(cd "$dest" && pwd)
state="$dest/apt"
mkdir -p "$state/sources.list.d" "$state/lists/partial" "$state/cache/archives/partial"

# The machine's Debian sources, as deb-src: one-line sources.list entries and deb822 .sources
# files that name a Debian archive (others, such as vendors' repositories, have no sources).
: >"$state/sources.list"
if [ -f /etc/apt/sources.list ]; then
  sed -n 's/^deb \(.*debian.*\)$/deb-src \1/p' /etc/apt/sources.list >>"$state/sources.list"
fi
for file in /etc/apt/sources.list.d/*.sources /etc/apt/sources.list.d/*.list; do
  [ -f "$file" ] && grep -q 'debian\.org' "$file" || continue
  case "$file" in
    *.sources) sed 's/^Types: deb$/Types: deb-src/' "$file" ;;
    *.list) sed -n 's/^deb \(.*\)$/deb-src \1/p' "$file" ;;
  esac >"$state/sources.list.d/$(basename "$file")"
done

apt_options=(
  -o "Dir::Etc::SourceList=$state/sources.list"
  -o "Dir::Etc::SourceParts=$state/sources.list.d"
  -o "Dir::State::Lists=$state/lists"
  -o "Dir::Cache=$state/cache"
  -o "APT::Sandbox::User=root"
)
apt-get "${apt_options[@]}" -qq update >&2 </dev/null
(cd "$dest" && apt-get "${apt_options[@]}" -qq source --only-source "cpp-httplib=$version" >&2 </dev/null)

header=$(find "$dest" -mindepth 2 -maxdepth 2 -name httplib.h -path '*/cpp-httplib-*' -print -quit)
if [ -z "$header" ]; then
  echo "fetch-httplib-source: no httplib.h in the unpacked source under $dest" >&2
  exit 1
fi
dirname "$header"
