#!/usr/bin/env bash
# Every long option `blubridge --help` lists is documented in the man page, and the man page
# documents no option the program does not have.
# Usage: man_page_lists_options.sh BLUBRIDGE MAN_PAGE
set -euo pipefail
exe=$1 page=$2
help_options=$("$exe" --help | grep -o -- '--[a-z][a-z-]*' | sort -u)
# roff writes a dash in an option as \-.
man_options=$(sed 's/\\-/-/g' "$page" | grep -o -- '--[a-z][a-z-]*' | sort -u)
if [[ $help_options != "$man_options" ]]; then
  echo "FAIL: --help and $page list different options:" >&2
  diff <(echo "$help_options") <(echo "$man_options") >&2 || true
  exit 1
fi
echo "$(wc -l <<<"$help_options") options, documented alike"
if warnings=$(groff -man -ww -z "$page" 2>&1) && [[ -z $warnings ]]; then exit 0; fi
echo "FAIL: groff: $warnings" >&2
exit 1
