#!/usr/bin/env bash
# The integration-test harness for users: the Billagain sandbox and the blubridge gateway in
# front of it, on free (or given) loopback ports, for testing a legacy BluBilling integration
# without a Billagain account. Prints the gateway's base URL and credentials and writes them to
# an env file; stays in the foreground (Ctrl-C stops it) or daemonises with a pid file.
#
#   scripts/harness.sh                                  # foreground, sample data, free ports
#   scripts/harness.sh --daemon --pid-file /tmp/h.pid   # background; prints, then returns
#   . "$(dirname /tmp/h.pid)/harness.env"               # BLUBRIDGE_URL, _USER, _PASSWORD, SANDBOX_URL
#   scripts/harness.sh --stop --pid-file /tmp/h.pid     # graceful stop of both
#
# Options:
#   --empty                 start the sandbox with no data (default: config/sandbox-fixture.json)
#   --fixture FILE          start the sandbox from FILE (the format: src/sandbox/README.md)
#   --customers N           add N generated customers before the gateway starts (sandbox bulk API)
#   --port P                the gateway's port (default 0: a free one)
#   --sandbox-port P        the sandbox's port (default 0: a free one)
#   --user U, --password P  the gateway client's credentials (default harness / a random password)
#   --state-dir DIR         configuration, logs, the directory's state and harness.env
#                           (default: a new temporary folder; with --pid-file F.pid, the folder F;
#                           one harness at a time per folder)
#   --daemon                run in the background; needs --pid-file
#   --pid-file FILE         where the background harness writes its pid
#   --stop                  stop the harness whose pid is in --pid-file, and wait for it
# The programs: $BLUBRIDGE_GATEWAY and $BILLAGAIN_SANDBOX when set, else the release build
# (built first, with what it needs installed, as scripts/demo.sh does).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
self=$root/scripts/harness.sh

usage() { sed -n "2,/^set -euo/p" "$self" | sed "\$d; s/^# \\{0,1\\}//"; exit "${1:-2}"; }

fixture=$root/config/sandbox-fixture.json customers=0 port=0 sandbox_port=0
user=harness password= state_dir= daemon=0 pid_file= stop=0
while (($#)); do
  case $1 in
    --empty) fixture= ;;
    --fixture) fixture=$(realpath "$2"); shift ;;
    --customers) customers=$2; shift ;;
    --port) port=$2; shift ;;
    --sandbox-port) sandbox_port=$2; shift ;;
    --user) user=$2; shift ;;
    --password) password=$2; shift ;;
    --state-dir) state_dir=$(realpath -m "$2"); shift ;;
    --daemon) daemon=1 ;;
    --pid-file) pid_file=$(realpath -m "$2"); shift ;;
    --stop) stop=1 ;;
    -h|--help) usage 0 ;;
    *) echo "harness: unknown option $1 (--help lists them)" >&2; exit 2 ;;
  esac
  shift
done
[[ $customers =~ ^[0-9]+$ ]] || { echo "harness: --customers needs a number" >&2; exit 2; }

if ((stop)); then
  [[ -n $pid_file ]] || { echo "harness: --stop needs --pid-file" >&2; exit 2; }
  pid=$(cat "$pid_file" 2>/dev/null) || { echo "harness: no pid file $pid_file" >&2; exit 1; }
  kill -TERM "$pid" 2>/dev/null || { echo "harness: $pid is not running" >&2; rm -f "$pid_file"; exit 1; }
  while kill -0 "$pid" 2>/dev/null; do sleep 0.1; done  # it removes the pid file as it ends
  exit 0
fi

if [[ -z $state_dir ]]; then
  # Named after the pid file, so harnesses with pid files side by side never share a folder.
  if [[ -n $pid_file ]]; then state_dir=${pid_file%.pid}; [[ $state_dir != "$pid_file" ]] || state_dir+=.d
  else state_dir=$(mktemp -d "${TMPDIR:-/tmp}/blubridge-harness.XXXXXX"); fi
fi
mkdir -p "$state_dir"
env_file=$state_dir/harness.env
cd "$root"

# One harness per state folder: a second one would overwrite the first's configuration,
# logs and harness.env while the first still serves. The running harness holds the lock.
in_use() { echo "harness: $state_dir is in use by a running harness (give another --state-dir or --pid-file)" >&2; exit 1; }
exec {lock_fd}>>"$state_dir/harness.lock"
if ((daemon)); then
  flock -n "$lock_fd" || in_use
  flock -u "$lock_fd"  # the foreground harness below takes it for as long as it runs
  exec {lock_fd}>&-
else
  flock -n "$lock_fd" || in_use
fi

if ((daemon)); then
  [[ -n $pid_file ]] || { echo "harness: --daemon needs --pid-file" >&2; exit 2; }
  rm -f "$env_file"
  # The same script in the foreground, detached; it writes harness.env once serving.
  args=(--port "$port" --sandbox-port "$sandbox_port" --user "$user" --customers "$customers"
        --state-dir "$state_dir" --pid-file "$pid_file")
  if [[ -n $fixture ]]; then args+=(--fixture "$fixture"); else args+=(--empty); fi
  if [[ -n $password ]]; then args+=(--password "$password"); fi
  setsid "$self" "${args[@]}" </dev/null >"$state_dir/harness.log" 2>&1 &
  child=$!
  until [[ -s $env_file ]]; do
    if ! kill -0 "$child" 2>/dev/null; then
      echo "harness: it did not start:" >&2
      cat "$state_dir/harness.log" >&2
      exit 1
    fi
    sleep 0.1
  done
  sed -n '/^blubridge harness/,$p' "$state_dir/harness.log"
  exit 0
fi

source scripts/lib/stack.sh
gateway=${BLUBRIDGE_GATEWAY:-} sandbox=${BILLAGAIN_SANDBOX:-}
if [[ -z $gateway || -z $sandbox ]]; then
  stack_build >&2
  gateway=$root/$stack_bin/gateway/blubridge sandbox=$root/$stack_bin/sandbox/billagain-sandbox
fi

finish() {
  stack_stop
  if [[ -n $pid_file && $(cat "$pid_file" 2>/dev/null) == "$$" ]]; then rm -f "$pid_file"; fi
  rm -f "$env_file"
}
trap finish EXIT
trap 'exit 0' INT TERM
if [[ -n $pid_file ]]; then echo $$ >"$pid_file"; fi

# Fresh every run: the sandbox holds its data in memory, so the gateway's directory must too.
rm -rf "$state_dir/state"
[[ -n $password ]] || password=$(head -c 18 /dev/urandom | base64 | tr '+/' '-_')
api_key=$(head -c 18 /dev/urandom | base64 | tr '+/' '-_')
account=1000
(umask 077; echo "$api_key" >"$state_dir/billagain.key")

sandbox_args=(--listen "127.0.0.1:$sandbox_port" --account "$account" --api-key-file "$state_dir/billagain.key")
if [[ -n $fixture ]]; then sandbox_args+=(--fixture "$fixture"); fi
stack_start billagain-sandbox "$state_dir/sandbox.log" "$sandbox" "${sandbox_args[@]}"
sandbox_url=$stack_url
if ((customers > 0)); then
  curl -fsS -X POST "$sandbox_url/_sandbox/customers/bulk?count=$customers" >/dev/null
fi

hash=$("$gateway" --hash-password <<<"$password")
cat >"$state_dir/gateway.yaml" <<CONFIG
# Written by scripts/harness.sh.
listen: 127.0.0.1:$port
threads: 2
mappings: $root/mappings
state_dir: state
upstream:
  base_url: $sandbox_url
clients:
  - username: $user
    password_hash: "$hash"
    billagain:
      account: "$account"
      api_key_file: billagain.key
CONFIG
stack_start blubridge "$state_dir/gateway.log" "$gateway" --config "$state_dir/gateway.yaml"
gateway_url=$stack_url
stack_wait_ready "$gateway_url" $((60 + customers / 1000)) "$state_dir/gateway.log"  # the directory's first sync

cat <<INFO
blubridge harness: the BluBilling customer API at $gateway_url
  client $user, password $password
  in front of the Billagain sandbox at $sandbox_url (control API: $sandbox_url/_sandbox/)
  the same as shell variables: . $env_file
  logs, configuration and state: $state_dir
  try: curl -s -u '$user:$password' '$gateway_url/rest/customers?format=xml'
INFO
cat >"$env_file.tmp" <<ENV
BLUBRIDGE_URL=$gateway_url
BLUBRIDGE_USER=$user
BLUBRIDGE_PASSWORD=$password
SANDBOX_URL=$sandbox_url
ENV
mv "$env_file.tmp" "$env_file"  # whole, so a reader never sees half of it: the daemon's "ready"
wait "${stack_pids[1]}"
