#!/usr/bin/env bash
# Installs the Debian 12 packages chathooks needs to build, test and run its examples, when
# missing; extra package names may be given as arguments (CI adds clang). With --test-servers
# first, also the servers the test suite starts in temporary directories of its own: PostgreSQL
# and Redis (Debian's packages may also start default servers on ports 5432 and 6379, which the
# tests never touch). Uses sudo when not root. Does nothing when everything is present.
set -euo pipefail

servers=()
if [ "${1:-}" = "--test-servers" ]; then
  shift
  servers=(postgresql redis-server)
fi
packages=(g++ cmake ninja-build libcurl4-openssl-dev rapidjson-dev libssl-dev libfmt-dev catch2
  libcpp-httplib-dev libboost-dev libsqlite3-dev libpq-dev libhiredis-dev "${servers[@]}" "$@")
missing=()
for package in "${packages[@]}"; do
  if [ "$(dpkg-query -W -f='${Status}' "$package" 2>/dev/null || true)" != "install ok installed" ]; then
    missing+=("$package")
  fi
done
if [ "${#missing[@]}" -eq 0 ]; then
  echo "install-deps: all present"
  exit 0
fi
echo "install-deps: installing ${missing[*]}"
as_root=()
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { echo "install-deps: run as root, or install sudo" >&2; exit 1; }
  as_root=(sudo)
fi
export DEBIAN_FRONTEND=noninteractive
"${as_root[@]}" apt-get update </dev/null
"${as_root[@]}" apt-get install -y --no-install-recommends "${missing[@]}" </dev/null
