#!/usr/bin/env bash
# Checks a systemd service unit as CI must: `systemd-analyze verify` passes (for its .socket
# unit beside it too, if there is one) and `systemd-analyze security --offline=true` rates its
# exposure at most MAX.
# Usage: check_unit.sh UNIT.service MAX [BIN_DIR MAN_DIR]
# verify needs the unit's executables and its man: page to exist: BIN_DIR replaces /usr/bin
# in a scratch copy of the unit, and MAN_DIR (a man tree) is searched for the page.
set -euo pipefail
unit=$1 max=$2 bin_dir=${3:+$(realpath "$3")} man_dir=${4:+$(realpath "$4")}

scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
copy=$scratch/$(basename "$unit")
if [[ -n $bin_dir ]]; then
  sed "s|/usr/bin/|$bin_dir/|g" "$unit" >"$copy"
else
  cp "$unit" "$copy"
fi
if [[ -n $man_dir ]]; then export MANPATH=$man_dir; fi
units=("$copy")
socket=${unit%.service}.socket
if [[ -e $socket ]]; then
  cp "$socket" "$scratch/"
  units+=("$scratch/$(basename "$socket")")
fi

echo "systemd-analyze verify ${units[*]##*/}"
if ! out=$(systemd-analyze verify "${units[@]}" 2>&1) || [[ -n $out ]]; then
  echo "$out" >&2
  echo "FAIL: systemd-analyze verify reported problems" >&2
  exit 1
fi

report=$(systemd-analyze security --offline=true "$unit" 2>&1)
exposure=$(sed -n 's/.*Overall exposure level for [^:]*: \([0-9.]*\).*/\1/p' <<<"$report")
if [[ -z $exposure ]]; then
  echo "$report" >&2
  echo "FAIL: no exposure level in systemd-analyze security's report" >&2
  exit 1
fi
echo "exposure $exposure (at most $max)"
if awk -v e="$exposure" -v m="$max" 'BEGIN { exit !(e > m) }'; then
  grep '✗' <<<"$report" >&2 || true
  echo "FAIL: exposure $exposure is above $max" >&2
  exit 1
fi
