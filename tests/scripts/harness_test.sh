#!/usr/bin/env bash
# scripts/harness.sh as a user's CI runs it: --daemon with a pid file, a real request through
# the URL and with the credentials it printed, a fault injected and data reset through the
# sandbox's control API as the README shows, --customers bulk data, then --stop.
# Usage: harness_test.sh HARNESS   ($BLUBRIDGE_GATEWAY and $BILLAGAIN_SANDBOX: the programs)
set -euo pipefail
harness=$1
scratch=$(mktemp -d)
pids=()
cleanup() {
  for f in "$scratch"/*.pid; do [[ -e $f ]] && "$harness" --stop --pid-file "$f" 2>/dev/null || true; done
  rm -rf "$scratch"
}
trap cleanup EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

# start NAME ARGS...: a daemonised harness; sets url, user, password, sandbox from what it printed.
start() {
  local name=$1; shift
  "$harness" --daemon --pid-file "$scratch/$name.pid" "$@" >"$scratch/$name.out" || fail "harness $name did not start"
  cat "$scratch/$name.out"
  url=$(sed -n 's/^blubridge harness: the BluBilling customer API at \(http[^ ]*\)$/\1/p' "$scratch/$name.out")
  user=$(sed -n 's/^  client \([^,]*\), password .*/\1/p' "$scratch/$name.out")
  password=$(sed -n 's/^  client [^,]*, password \(.*\)$/\1/p' "$scratch/$name.out")
  sandbox=$(sed -n 's/^  in front of the Billagain sandbox at \(http[^ ]*\) .*/\1/p' "$scratch/$name.out")
  [[ -n $url && -n $user && -n $password && -n $sandbox ]] || fail "harness $name printed no URL or credentials"
  pids+=("$(cat "$scratch/$name.pid")")
}
# status TARGET: the gateway's HTTP status for GET TARGET with the printed credentials.
status() { curl -s -o "$scratch/body" -w '%{http_code}' -u "$user:$password" "$url$1"; }

start fixture
# A second harness in the first one's folder would overwrite its configuration and logs.
if "$harness" --daemon --pid-file "$scratch/second.pid" --state-dir "$scratch/fixture" >"$scratch/second.out" 2>&1; then
  fail "a second harness started in a folder in use"
fi
grep -q "in use by a running harness" "$scratch/second.out" || fail "no reason given: $(cat "$scratch/second.out")"
[[ $(status '/rest/customer/302?format=xml') == 200 ]] || fail "GET customer 302: $(cat "$scratch/body")"
grep -q '<customer id="302">' "$scratch/body" || fail "not customer 302: $(cat "$scratch/body")"
[[ $(curl -s -o /dev/null -w '%{http_code}' -u "$user:wrong" "$url/rest/customer/302") == 401 ]] ||
  fail "a wrong password was let in"

# The README's control-API examples, against the running harness.
curl -fsS -X POST "$sandbox/_sandbox/faults" -H 'Content-Type: application/json' \
  -d '{"kind":"status","status":503,"count":1,"path_prefix":"/v1/customers/302"}' >/dev/null
[[ $(status '/rest/customer/302?format=xml') == 502 ]] || fail "the injected 503 did not reach the client as 502"
[[ $(status '/rest/customer/302?format=xml') == 200 ]] || fail "the fault outlived its count"
[[ $(curl -s -o /dev/null -w '%{http_code}' -u "$user:$password" -X DELETE "$url/rest/customer/302?format=xml") == 200 ]] ||
  fail "DELETE customer 302"
[[ $(status '/rest/customer/302?format=xml') == 404 ]] || fail "customer 302 still there after DELETE"
curl -fsS -X POST "$sandbox/_sandbox/reset" >/dev/null
[[ $(status '/rest/customer/302?format=xml') == 200 ]] || fail "reset did not bring customer 302 back"

start bulk --empty --customers 3
[[ $(status '/rest/customers?format=xml&max=1000') == 200 ]] || fail "list: $(cat "$scratch/body")"
listed=$(grep -o '<customer id=' "$scratch/body" | wc -l)
[[ $listed == 3 ]] || fail "--empty --customers 3 lists $listed customers"

for name in fixture bulk; do
  "$harness" --stop --pid-file "$scratch/$name.pid" || fail "--stop $name"
  [[ ! -e $scratch/$name.pid ]] || fail "the pid file of $name outlived the harness"
done
for pid in "${pids[@]}"; do
  if kill -0 "$pid" 2>/dev/null; then fail "harness $pid still runs after --stop"; fi
done
echo "harness checked"
