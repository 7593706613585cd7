#!/usr/bin/env bash
# Socket activation as systemd does it (systemd-socket-activate: LISTEN_FDS/LISTEN_PID and the
# socket as descriptor 3): the gateway serves on the passed socket, not on `listen:`, and the
# connection that arrived before the gateway ran (the one that started it) is answered; one
# bound off loopback is refused without tls:.
# Usage: socket_activation.sh BLUBRIDGE MAPPINGS_DIR
set -euo pipefail
exe=$1 mappings=$2
scratch=$(mktemp -d)
activator=
cleanup() {
  if [[ -n $activator ]]; then kill -TERM "$activator" 2>/dev/null || true; wait "$activator" 2>/dev/null || true; fi
  rm -rf "$scratch"
}
trap cleanup EXIT
fail() { echo "FAIL: $*" >&2; cat "$scratch/gateway.log" >&2 2>/dev/null || true; exit 1; }

echo key >"$scratch/billagain.key"
hash=$("$exe" --hash-password <<<"a password")
cat >"$scratch/gateway.yaml" <<CONFIG
listen: 127.0.0.1:0   # not used: the passed socket wins
mappings: $mappings
state_dir: state
upstream:
  base_url: http://127.0.0.1:9
clients:
  - username: someone
    password_hash: "$hash"
    billagain:
      account: "1"
      api_key_file: billagain.key
CONFIG

# systemd-socket-activate takes no port 0: try free-looking ports until one binds on HOST.
# Sets port and activator.
activate() {
  local host=$1
  for _ in $(seq 1 20); do
    port=$((20000 + RANDOM % 40000))
    systemd-socket-activate -l "$host:$port" "$exe" --config "$scratch/gateway.yaml" >"$scratch/gateway.log" 2>&1 &
    activator=$!
    for _ in $(seq 1 50); do
      grep -q "Listening on" "$scratch/gateway.log" && return 0
      kill -0 "$activator" 2>/dev/null || break
      sleep 0.1
    done
    wait "$activator" 2>/dev/null || true
    activator=
  done
  fail "systemd-socket-activate could not bind a port"
}

activate 127.0.0.1
# This connection waits in the backlog until the gateway has started and adopted the socket.
status=$(curl -s -m 60 -o "$scratch/body" -w '%{http_code}' "http://127.0.0.1:$port/healthz") || true
[[ $status == 200 ]] || fail "GET /healthz on the passed socket answered '$status'"
grep -q "blubridge listening on http://127.0.0.1:$port" "$scratch/gateway.log" || fail "the gateway did not serve the passed socket"
kill -TERM "$activator"
wait "$activator" || fail "the gateway did not stop cleanly"
activator=
echo "served on the passed socket 127.0.0.1:$port"

# A passed socket off loopback is held to the rule `listen:` is held to at load: without
# tls: (or allow_plain_http: true) the gateway refuses to serve plain HTTP on it.
activate 0.0.0.0
status=$(curl -s -m 60 -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/healthz") || true
[[ $status != 200 ]] || fail "plain HTTP was served on a passed socket bound to 0.0.0.0"
for _ in $(seq 1 100); do grep -q "refusing plain HTTP on 0.0.0.0" "$scratch/gateway.log" && break; sleep 0.1; done
grep -q "refusing plain HTTP on 0.0.0.0" "$scratch/gateway.log" || fail "the gateway did not say why it refused"
kill -TERM "$activator" 2>/dev/null || true
wait "$activator" 2>/dev/null || true
activator=
echo "refused plain HTTP on a passed socket bound to 0.0.0.0"
