#!/usr/bin/env bash
# Sets everything up, builds the release preset, then runs the bundled Billagain sandbox
# (with the seed documents' sample data) and the blubridge gateway in front of it, in the
# foreground. Ctrl-C stops both gracefully.
set -euo pipefail
cd "$(dirname "$0")/.."

source scripts/lib/stack.sh
stack_build
bin=$stack_bin

export BILLAGAIN_API_KEY=${BILLAGAIN_API_KEY:-sandbox-api-key}
logs=$(mktemp -d)
trap stack_stop EXIT INT TERM

# The sandbox starts from its fixture every time: so does the gateway's customer directory
# (config/demo.yaml keeps it in build/demo-state), or it would remember customers of the
# previous run until its first refresh.
rm -rf build/demo-state

stack_start sandbox "$logs/sandbox.log" "$bin/sandbox/billagain-sandbox" --listen 127.0.0.1:8081 --account 1001 \
  --api-key "$BILLAGAIN_API_KEY" --fixture config/sandbox-fixture.json || exit 1
stack_start gateway "$logs/gateway.log" "$bin/gateway/blubridge" --config config/demo.yaml || exit 1
stack_wait_ready http://127.0.0.1:8080 60 "$logs/gateway.log" || exit 1  # the directory's first sync: references resolve

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
  curl -s 'http://127.0.0.1:9464/metrics' | grep blubridge_requests_total

Ctrl-C stops both.
INFO
tail -f "$logs/gateway.log" &
stack_pids+=($!)
wait "${stack_pids[1]}"
