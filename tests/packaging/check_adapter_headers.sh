#!/usr/bin/env bash
# Checks that every header of the chathooks::httplib component stands on its own: what
# check_headers.sh --httplib does (see there).
# Usage: check_adapter_headers.sh <compiler> [cpp-httplib flags...]
exec bash "$(dirname "${BASH_SOURCE[0]}")/check_headers.sh" --httplib "$@"
