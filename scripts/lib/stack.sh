# Sourced by scripts/demo.sh and scripts/harness.sh: starting the sandbox and the gateway as
# background processes, waiting for them, stopping them. Needs bash; sets no shell options.

stack_pids=()

# stack_build: installs what is missing, builds the release preset's two programs and sets
# stack_bin to the folder above them (from the repository's root).
stack_build() {
  scripts/setup.sh
  cmake --preset release >/dev/null
  cmake --build --preset release -j"$(nproc)" --target blubridge billagain-sandbox
  stack_bin=build/release/src
}

# stack_start NAME LOG COMMAND...: starts COMMAND in the background (output to LOG) and waits
# for its "listening on http://HOST:PORT" line; sets stack_url to that address. On failure
# prints the log and returns 1.
stack_start() {
  local name=$1 log=$2; shift 2
  "$@" >"$log" 2>&1 &
  stack_pids+=($!)
  local line
  for _ in $(seq 1 300); do
    line=$(grep -m1 -o "listening on http://[^ ]*" "$log" 2>/dev/null) && {
      stack_url=${line#listening on }
      return 0
    }
    kill -0 "${stack_pids[-1]}" 2>/dev/null || break
    sleep 0.1
  done
  echo "$name did not start:" >&2
  cat "$log" >&2
  return 1
}

# stack_wait_ready URL [SECONDS] [LOG]: waits (default up to 60 s) until the gateway at URL
# answers /readyz with 200, i.e. its customer directory has completed its first sync. If it
# does not, says what /readyz answered and shows the end of LOG (the gateway's), so the
# failure can be understood from its output alone.
stack_wait_ready() {
  for _ in $(seq 1 $((${2:-60} * 10))); do
    curl -fs "$1/readyz" >/dev/null && return 0
    sleep 0.1
  done
  echo "the gateway at $1 never became ready; /readyz answers: $(curl -s "$1/readyz" 2>&1)" >&2
  if [[ -n ${3:-} ]]; then
    echo "the end of $3:" >&2
    tail -n 30 "$3" >&2
  fi
  return 1
}

# stack_stop: SIGTERM to everything stack_start started (a graceful drain), then waits.
stack_stop() {
  local pid
  for pid in "${stack_pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${stack_pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  stack_pids=()
}
