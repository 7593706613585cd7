#!/usr/bin/env bash
# Sets everything up, builds the release preset, then runs the bundled Billagain sandbox
# (with the seed documents' sample data) and the blubridge gateway in front of it, in the
# foreground. Ctrl-C stops both gracefully.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/setup.sh
cmake --preset release >/dev/null
cmake --build --preset release -j"$(nproc)" --target blubridge billagain-sandbox

export BILLAGAIN_API_KEY=${BILLAGAIN_API_KEY:-sandbox-api-key}
bin=build/release/src
logs=$(mktemp -d)
pids=()
stop() {
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap stop EXIT INT TERM

# Starts a program in the background and waits for its "listening on" line.
start() {
  local name=$1; shift
  "$@" >"$logs/$name.log" 2>&1 &
  pids+=($!)
  for _ in $(seq 1 100); do
    grep -q "listening on" "$logs/$name.log" && return 0
    kill -0 "${pids[-1]}" 2>/dev/null || break
    sleep 0.1
  done
  echo "demo: $name did not start:" >&2
  cat "$logs/$name.log" >&2
  exit 1
}

# The sandbox starts from its fixture every time: so does the gateway's customer directory
# (config/demo.yaml keeps it in build/demo-state), or it would remember customers of the
# previous run until its first refresh.
rm -rf build/demo-state

start sandbox "$bin/sandbox/billagain-sandbox" --listen 127.0.0.1:8081 --account 1001 \
  --api-key "$BILLAGAIN_API_KEY" --fixture config/sandbox-fixture.json
start gateway "$bin/gateway/blubridge" --config config/demo.yaml
for _ in $(seq 1 100); do  # the customer directory's first sync: ready to serve references
  curl -fs http://127.0.0.1:8080/readyz >/dev/null && break
  sleep 0.1
done

cat <<INFO

blubridge is serving the BluBilling customer API on http://127.0.0.1:8080
in front of the Billagain sandbox on http://127.0.0.1:8081 (logs in $logs).
Client "demo", password "demo-password". From another terminal, try:

  curl -s -u demo:demo-password 'http://127.0.0.1:8080/rest/customer/302?format=xml'
  curl -s -u demo:demo-password -X POST --data-binary @config/samples/create-customer.xml \\
       'http://127.0.0.1:8080/rest/customers?format=xml'
  curl -s -u demo:demo-password 'http://127.0.0.1:8080/rest/customer?format=xml&extCustomerRef=bj444'
  curl -s -u demo:demo-password -X PUT --data-binary @config/samples/autopay-credit-card.xml \\
       'http://127.0.0.1:8080/rest/customer/autopay?format=xml&extCustomerRef=bj444'
  curl -s -u demo:demo-password -X POST 'http://127.0.0.1:8080/rest/customer?format=xml&extCustomerRef=bj444&actionName=suspend'
  curl -s -u demo:demo-password 'http://127.0.0.1:8080/rest/customers/transitions?format=xml'

Ctrl-C stops both.
INFO
tail -f "$logs/gateway.log" &
pids+=($!)
wait "${pids[1]}"
