#!/usr/bin/env bash
# Issue #5's scale targets for the customer directory, measured end to end on release
# builds of the real gateway and the Billagain sandbox (bench/README.md, "Customer
# directory", records a run and says how to read it):
#   1. first full sync of COUNT customers: gateway start → /readyz 200, and the pass's ms=
#   2. directory memory: gateway RSS after that sync minus the RSS of the same gateway
#      synced against an empty sandbox, per customer (plus the library's own figure from
#      tests/directory/memory_budget_test.cpp)
#   3. restart to ready from SQLite: SIGTERM, start again on the same state_dir → /readyz 200
#   4. GET by extCustomerRef vs GET by id: upstream requests per call, wrk throughput
#   5. list pages (search, deep offset): upstream requests per call, wrk throughput
#
# Environment (defaults):
#   COUNT=100000          bulk customers in the sandbox
#   BUILD_DIR=build/release   configured with the release preset (another folder: -B)
#   SKIP_BUILD=0          1: use the binaries already in BUILD_DIR
#   DURATION=10s CONNECTIONS=32 WRK_THREADS=1   each wrk run (keep-alive, Basic auth)
#   GATEWAY_THREADS=2 SANDBOX_THREADS=2 PARALLEL_PAGES=4
#   RESTARTS=3            restarts timed (the median is reported)
#   SEARCH='customer 42'  the search of the list benchmark; OFFSET=COUNT/2 the deep page's
#   KEEP=0                1: keep the scratch folder (logs, configs, SQLite files)
#   HEAP_STATS=1          0: no gdb (on 2026-12-05 a gdb call into the gateway made it
#                         abort, "The futex facility returned an unexpected error code")
set -euo pipefail
cd "$(dirname "$0")/../.."

COUNT=${COUNT:-100000}
BUILD_DIR=${BUILD_DIR:-build/release}
SKIP_BUILD=${SKIP_BUILD:-0}
DURATION=${DURATION:-10s}
CONNECTIONS=${CONNECTIONS:-32}
WRK_THREADS=${WRK_THREADS:-1}
GATEWAY_THREADS=${GATEWAY_THREADS:-2}
SANDBOX_THREADS=${SANDBOX_THREADS:-2}
PARALLEL_PAGES=${PARALLEL_PAGES:-4}
RESTARTS=${RESTARTS:-3}
SEARCH=${SEARCH:-customer 42}
OFFSET=${OFFSET:-$((COUNT / 2))}
KEEP=${KEEP:-0}
HEAP_STATS=${HEAP_STATS:-1}
(( COUNT >= 1 && RESTARTS >= 1 )) || { echo "bench/directory: COUNT and RESTARTS must be at least 1" >&2; exit 2; }

readonly account=1001 api_key=bench-api-key user=bench password=bench-password
readonly settle_seconds=1  # after readiness, before reading RSS (the last pages' buffers freed)

say() { printf '%s\n' "$*" >&2; }
fail() { say "bench/directory: $*"; exit 1; }
for tool in curl wrk jq awk; do command -v "$tool" >/dev/null || fail "needs $tool (apt-get install $tool)"; done

# --- build -------------------------------------------------------------------------------
if [[ $SKIP_BUILD != 1 ]]; then
  if [[ $BUILD_DIR == build/release ]]; then
    cmake --preset release >/dev/null
  else
    cmake --preset release -B "$BUILD_DIR" >/dev/null
  fi
  cmake --build "$BUILD_DIR" -j2 --target blubridge billagain-sandbox directory_memory_budget_test
fi
gateway_bin=$BUILD_DIR/src/gateway/blubridge
sandbox_bin=$BUILD_DIR/src/sandbox/billagain-sandbox
budget_test=$BUILD_DIR/tests/directory/directory_memory_budget_test
[[ -x $gateway_bin && -x $sandbox_bin ]] || fail "no binaries in $BUILD_DIR (run without SKIP_BUILD=1)"

# --- processes -----------------------------------------------------------------------------
work=$(mktemp -d "${TMPDIR:-/tmp}/blubridge-directory-bench.XXXXXX")
pids=()
cleanup() {
  local pid
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  if [[ $KEEP == 1 ]]; then say "scratch folder kept: $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

now_ns() { date +%s%N; }
ms_since() { echo $(( ($(now_ns) - $1) / 1000000 )); }

# Starts "$@" in the background, output in log file $1; sets started_pid.
launch() {
  local log=$1; shift
  "$@" >"$log" 2>&1 &
  started_pid=$!
  pids+=("$started_pid")
}

# The port of the "… listening on http://HOST:PORT" line in log $1 of process $2, waited for.
listening_port() {
  local log=$1 pid=$2 line
  for _ in $(seq 1 6000); do
    line=$(grep -m1 -o 'listening on http://[^ ]*' "$log" || true)
    if [[ -n $line ]]; then echo "${line##*:}"; return 0; fi
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.01
  done
  cat "$log" >&2
  fail "$(basename "$log" .log) did not start"
}

# Polls /readyz on port $1 every 10 ms until it answers 200 (give up after $2 seconds).
await_ready() {
  local port=$1 deadline=$(( $(date +%s) + $2 ))
  until [[ $(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/readyz") == 200 ]]; do
    (( $(date +%s) < deadline )) || fail "gateway on port $port not ready after $2 s"
    sleep 0.01
  done
}

# SIGTERM, then wait for the exit; sets stopped_ms (how long the stop took). Not in a
# subshell: only this shell can wait for its children.
stop_process() {
  local pid=$1 t0 kept=() p
  t0=$(now_ns)
  kill -TERM "$pid"
  wait "$pid" 2>/dev/null || true
  stopped_ms=$(ms_since "$t0")
  for p in "${pids[@]}"; do [[ $p == "$pid" ]] || kept+=("$p"); done
  pids=("${kept[@]}")
}

kib() { awk -v f="$2:" '$1 == f { print $2 }' "/proc/$1/status"; }   # a /proc status field, KiB
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }           # user + system
ticks_per_second=$(getconf CLK_TCK)
ticks_ms() { echo $(( $1 * 1000 / ticks_per_second )); }

# Inside the process, through gdb (the process idle): glibc's malloc_stats() — printed
# on the process's stderr, its log $2 — and sqlite3_memory_used(). Prints "heap held
# sqlite" in KiB: the heap in use (SQLite's included), what glibc holds from the system
# for it, what SQLite has allocated (its page cache mostly). "- - -" without gdb.
heap_stats() {
  local pid=$1 log=$2 before sqlite
  [[ $HEAP_STATS == 1 ]] && command -v gdb >/dev/null || { echo "- - -"; return; }
  before=$(wc -l <"$log")
  sqlite=$(timeout 60 gdb -p "$pid" -batch -ex 'call (void) malloc_stats()' \
    -ex 'print (long long) sqlite3_memory_used()' 2>/dev/null | awk '/^\$1 = / { printf "%d", $3 / 1024 }') || true
  tail -n +"$((before + 1))" "$log" | awk -v sqlite="${sqlite:--}" '
    /^Total \(incl. mmap\):/ { total = 1; next }
    total && /^system bytes/ { held = $NF }
    total && /^in use bytes/ { used = $NF }
    END { if (used == "") print "- -", sqlite; else printf "%d %d %s\n", used / 1024, held / 1024, sqlite }'
}

declare -A mem
readonly memory_fields="VmRSS RssAnon RssFile heap held sqlite"
# Reads gateway $2's memory (log $3) into mem[$1.<field>] (KiB), after it settled.
measure_memory() {
  local phase=$1 pid=$2 log=$3 field
  sleep "$settle_seconds"
  for field in VmRSS RssAnon RssFile; do mem[$phase.$field]=$(kib "$pid" "$field"); done
  read -r "mem[$phase.heap]" "mem[$phase.held]" "mem[$phase.sqlite]" < <(heap_stats "$pid" "$log")
}
# (KiB $1 − KiB $2) per customer, in bytes.
per_customer() { awk -v a="$1" -v b="$2" -v n="$COUNT" 'BEGIN { if (a == "-" || b == "-") print "-"; else printf "%.0f", (a - b) * 1024 / n }'; }
# A row of the memory table: phase $1's fields, or with $2 their growth per customer over $2.
memory_row() {
  local field
  for field in $memory_fields; do
    if [[ -n ${2:-} ]]; then
      printf ' %s |' "$(per_customer "${mem[$1.$field]}" "${mem[$2.$field]}")"
    else
      printf ' %s |' "${mem[$1.$field]}"
    fi
  done
}

# --- the sandbox (empty), the gateway's configuration ---------------------------------------
launch "$work/sandbox.log" "$sandbox_bin" --listen 127.0.0.1:0 --account "$account" --api-key "$api_key" \
  --threads "$SANDBOX_THREADS"
sandbox_pid=$started_pid
sandbox_port=$(listening_port "$work/sandbox.log" "$sandbox_pid")
sandbox=http://127.0.0.1:$sandbox_port

password_hash=$("$gateway_bin" --hash-password <<<"$password")
printf '%s\n' "$api_key" >"$work/billagain.key"
# A gateway configuration in folder $1 (its state_dir is $1/state).
write_config() {
  mkdir -p "$1"
  cat >"$1/gateway.yaml" <<YAML
listen: 127.0.0.1:0
threads: $GATEWAY_THREADS
mappings: $PWD/mappings
state_dir: state
directory:
  refresh_interval: 60m   # one pass at start, none during the measurements
  parallel_pages: $PARALLEL_PAGES
limits:
  drain_timeout: 10s
upstream:
  base_url: $sandbox
  connect_timeout: 2s
  request_timeout: 30s
clients:
  - username: $user
    password_hash: "$password_hash"
    billagain:
      account: "$account"
      api_key_file: $work/billagain.key
YAML
}

# Starts a gateway on configuration folder $1, log $2, and waits for /readyz 200;
# sets gateway_pid, gateway_port, listen_ms (the "listening" line: configuration, mappings
# and the directory loaded) and ready_ms, both from just before the exec, and listen_ticks
# (CPU used up to the listening line; the directory's first pass starts after it).
start_gateway() {
  local t0
  t0=$(now_ns)
  launch "$2" "$gateway_bin" --config "$1/gateway.yaml"
  gateway_pid=$started_pid
  gateway_port=$(listening_port "$2" "$gateway_pid")
  listen_ms=$(ms_since "$t0") listen_ticks=$(cpu_ticks "$gateway_pid")
  await_ready "$gateway_port" 600
  ready_ms=$(ms_since "$t0")
}

# The gateway's JSON log line of a finished directory pass (README.md, "Logs").
pass_pattern='"event":"directory_pass"'
# Waits until log $1 holds $2 pass lines; prints the last one.
await_pass() {
  for _ in $(seq 1 60000); do
    if (( $(grep -c "$pass_pattern" "$1") >= $2 )); then grep "$pass_pattern" "$1" | tail -1; return 0; fi
    sleep 0.01
  done
  fail "no directory pass line in $1"
}
field() { grep -o "\"$1\":[0-9]*" <<<"$2" | cut -d: -f2; }  # a number of a pass line

stats() { curl -s "$sandbox/_sandbox/stats"; }
reset_stats() { curl -s -X DELETE "$sandbox/_sandbox/stats" >/dev/null; }
# Upstream requests since reset_stats, not counting the directory's own list pages.
requests_since_reset() { stats | jq '.total - (.routes["GET /v1/customers"] // 0)'; }

say "== load average at start: $(cut -d' ' -f1-3 /proc/loadavg), $(nproc) CPUs"
load_start=$(cut -d' ' -f1-3 /proc/loadavg)

# --- 2a. the same gateway against the empty sandbox: the memory baseline --------------------
write_config "$work/empty"
start_gateway "$work/empty" "$work/gateway-empty.log"
measure_memory empty "$gateway_pid" "$work/gateway-empty.log"
stop_process "$gateway_pid"
say "empty sandbox: gateway ready in ${ready_ms} ms, VmRSS ${mem[empty.VmRSS]} KiB"

# --- the customers ------------------------------------------------------------------------
t0=$(now_ns)
bulk=$(curl -sf -X POST "$sandbox/_sandbox/customers/bulk?count=$COUNT") || fail "bulk create refused"
bulk_ms=$(ms_since "$t0")
first_id=$(jq .firstCustomerID <<<"$bulk")
last_id=$(jq .lastCustomerID <<<"$bulk")
say "sandbox: $COUNT customers ($first_id..$last_id) created in $bulk_ms ms"

# --- 1. first full sync --------------------------------------------------------------------
write_config "$work/main"
reset_stats
sandbox_ticks0=$(cpu_ticks "$sandbox_pid")
start_gateway "$work/main" "$work/gateway-sync.log"
sync_ready_ms=$ready_ms sync_listen_ms=$listen_ms
sync_line=$(await_pass "$work/gateway-sync.log" 1)
sandbox_sync_cpu_ms=$(ticks_ms $(( $(cpu_ticks "$sandbox_pid") - sandbox_ticks0 )))
gateway_sync_cpu_ms=$(ticks_ms $(( $(cpu_ticks "$gateway_pid") - listen_ticks )))
sync_ms=$(field ms "$sync_line")
sync_pages=$(stats | jq '.routes["GET /v1/customers"] // 0')
say "first sync: ready in ${sync_ready_ms} ms; $sync_line"
[[ $(field customers "$sync_line") == "$COUNT" ]] || fail "the directory holds $(field customers "$sync_line") customers, not $COUNT"

# --- 2b. memory after the sync -------------------------------------------------------------
measure_memory synced "$gateway_pid" "$work/gateway-sync.log"
db_kib=$(du -k "$work/main/state/directory-$account.sqlite3" | cut -f1)
wal_kib=$(du -k "$work/main/state/directory-$account.sqlite3-wal" 2>/dev/null | cut -f1 || echo 0)
rss_per_customer=$(per_customer "${mem[synced.VmRSS]}" "${mem[empty.VmRSS]}")

# --- 3. restarts from SQLite -----------------------------------------------------------------
restart_ms=() restart_listen_ms=() restart_load_cpu_ms=() resync_ms=() resync_cpu_ms=() stop_ms=()
sync_hwm_kib=$(kib "$gateway_pid" VmHWM)  # the first-sync gateway's peak
for i in $(seq 1 "$RESTARTS"); do
  stop_process "$gateway_pid"
  stop_ms+=("$stopped_ms")
  log=$work/gateway-restart-$i.log
  start_gateway "$work/main" "$log"
  restart_ms+=("$ready_ms") restart_listen_ms+=("$listen_ms") restart_load_cpu_ms+=("$(ticks_ms "$listen_ticks")")
  rss_at_ready=$(kib "$gateway_pid" VmRSS)
  # A restarted gateway also pages Billagain once at start, in the background: let that
  # unchanged-data pass finish before the next stop (and before the load tests).
  resync_line=$(await_pass "$log" 1)
  gateway_log=$log
  resync_ms+=("$(field ms "$resync_line")")
  resync_cpu_ms+=("$(ticks_ms $(( $(cpu_ticks "$gateway_pid") - listen_ticks )))")
  say "restart $i: ready in ${ready_ms} ms (VmRSS ${rss_at_ready} KiB); background $resync_line"
done
median() { printf '%s\n' "$@" | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
measure_memory restarted "$gateway_pid" "$gateway_log"

# --- 4, 5. upstream requests per call, then throughput ---------------------------------------
gateway=http://127.0.0.1:$gateway_port
auth="Authorization: Basic $(printf '%s:%s' "$user" "$password" | base64 -w0)"
search_query=$(jq -rn --arg s "$SEARCH" '$s | @uri')
mid_id=$(( (first_id + last_id) / 2 ))
declare -A path=(
  [id]="/rest/customer/$mid_id?format=xml"
  [ref]="/rest/customer?format=xml&extCustomerRef=BULK-$mid_id"
  [search]="/rest/customers?format=xml&search=$search_query&max=50"
  [offset]="/rest/customers?format=xml&offset=$OFFSET&max=50"
)
declare -A upstream_per_call listed
for kind in id ref search offset; do
  curl -s -H "$auth" "$gateway${path[$kind]}" >/dev/null  # the first call pays PBKDF2 and connects
  reset_stats
  body=$(curl -s -H "$auth" -w '\n%{http_code}' "$gateway${path[$kind]}")
  [[ ${body##*$'\n'} == 200 ]] || fail "GET ${path[$kind]} answered ${body##*$'\n'}"
  upstream_per_call[$kind]=$(requests_since_reset)
  listed[$kind]=$(awk '{ n += gsub(/<customer id="/, "") } END { print n + 0 }' <<<"$body")
done

# Upstream calls of the requests the gateway logged after line $1 of its log: "mean (min–max)".
upstream_calls_after() {
  tail -n +"$(($1 + 1))" "$gateway_log" | awk '
    /"event":"request"/ {
      v = gsub(/\{"method":/, "")  # one object per Billagain call in "upstream"
      n++; sum += v
      if (n == 1 || v < lo) lo = v
      if (n == 1 || v > hi) hi = v
    }
    END { if (n == 0) print "-"; else printf "%.3f (%d–%d)\n", sum / n, lo, hi }'
}

# One wrk run of $DURATION on target kind $1; sets run_rps run_p50 run_p99 run_errors,
# run_upstream (upstream calls per request, from the gateway's request log) and run_gw_cpu
# run_sb_cpu (% of one core).
run_wrk() {
  local kind=$1 out gw0 sb0 t0 wall_ms lines0 non2xx socket_errors
  local args=(-t"$WRK_THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency -H "$auth")
  case $kind in
    id | ref) args+=(-s bench/directory/customer.lua "$gateway/") ;;
    *) args+=("$gateway${path[$kind]}") ;;
  esac
  lines0=$(wc -l <"$gateway_log")
  gw0=$(cpu_ticks "$gateway_pid") sb0=$(cpu_ticks "$sandbox_pid") t0=$(now_ns)
  out=$(FIRST_ID=$first_id LAST_ID=$last_id BY=$kind wrk "${args[@]}")
  wall_ms=$(ms_since "$t0")
  run_gw_cpu=$(( $(ticks_ms $(( $(cpu_ticks "$gateway_pid") - gw0 ))) * 100 / wall_ms ))
  run_sb_cpu=$(( $(ticks_ms $(( $(cpu_ticks "$sandbox_pid") - sb0 ))) * 100 / wall_ms ))
  printf '%s\n' "$out" >>"$work/wrk.log"
  run_rps=$(awk '/^Requests\/sec:/ { printf "%.0f", $2 }' <<<"$out")
  run_p50=$(awk '$1 == "50%" { print $2 }' <<<"$out")
  run_p99=$(awk '$1 == "99%" { print $2 }' <<<"$out")
  non2xx=$(awk '/Non-2xx/ { print $NF }' <<<"$out")
  socket_errors=$(grep -o 'Socket errors:.*' <<<"$out" || true)
  run_errors="${non2xx:-0}${socket_errors:+ ($socket_errors)}"
  sleep 0.5  # the requests in flight when wrk stopped are logged too
  run_upstream=$(upstream_calls_after "$lines0")
}

declare -A rps p50 p99 errors upstream_per_request gw_cpu sb_cpu
for kind in id ref search offset; do
  say "wrk: $kind ($DURATION, $CONNECTIONS connections)"
  run_wrk "$kind"
  rps[$kind]=$run_rps p50[$kind]=$run_p50 p99[$kind]=$run_p99 errors[$kind]=$run_errors
  upstream_per_request[$kind]=$run_upstream gw_cpu[$kind]=$run_gw_cpu sb_cpu[$kind]=$run_sb_cpu
done
measure_memory loaded "$gateway_pid" "$gateway_log"
loaded_hwm_kib=$(kib "$gateway_pid" VmHWM)

# --- the library's own figure (tests/directory/memory_budget_test.cpp) -----------------------
library_line="(not built)"
if [[ -x $budget_test ]]; then
  library_line=$("$budget_test" --log_level=message --color_output=false 2>&1 | grep -E 'heap per customer|search over' | paste -sd';' -)
fi
load_end=$(cut -d' ' -f1-3 /proc/loadavg)

# --- report --------------------------------------------------------------------------------
verdict() { awk -v v="$1" -v t="$2" 'BEGIN { print (v < t ? "met" : "MISSED") }'; }
restart_median=$(median "${restart_ms[@]}")
cat <<REPORT

Customer directory, $COUNT customers — $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) CPUs, load average $load_start at start, $load_end at end
gateway threads $GATEWAY_THREADS, sandbox threads $SANDBOX_THREADS, parallel_pages $PARALLEL_PAGES, wrk -t$WRK_THREADS -c$CONNECTIONS -d$DURATION

| target | measured | issue 5 | |
| --- | --- | --- | --- |
| 1. first full sync, start → /readyz 200 | ${sync_ready_ms} ms (pass ms=${sync_ms}, ${sync_pages} pages) | < 30,000 ms | $(verdict "$sync_ready_ms" 30000) |
| 2. gateway RSS per customer (full − empty) | ${rss_per_customer} B | < 200 B | $(verdict "$rss_per_customer" 200) |
| 3. restart → /readyz 200 (median of $RESTARTS) | ${restart_median} ms (${restart_ms[*]}) | < 2,000 ms | $(verdict "$restart_median" 2000) |
| 4. upstream requests: GET by ref / by id | ${upstream_per_call[ref]} / ${upstream_per_call[id]} | equal | $([[ ${upstream_per_call[ref]} == "${upstream_per_call[id]}" ]] && echo met || echo MISSED) |
| 5. upstream requests: search / offset page | ${upstream_per_call[search]} / ${upstream_per_call[offset]} | 1 | $([[ ${upstream_per_call[search]} == 1 && ${upstream_per_call[offset]} == 1 ]] && echo met || echo MISSED) |

| wrk | requests/s | p50 | p99 | non-2xx | upstream calls/request | gateway CPU | sandbox CPU |
| --- | --- | --- | --- | --- | --- | --- | --- |
| GET /rest/customer/{id} (random) | ${rps[id]} | ${p50[id]} | ${p99[id]} | ${errors[id]} | ${upstream_per_request[id]} | ${gw_cpu[id]}% | ${sb_cpu[id]}% |
| GET ?extCustomerRef=BULK-{id} (random) | ${rps[ref]} | ${p50[ref]} | ${p99[ref]} | ${errors[ref]} | ${upstream_per_request[ref]} | ${gw_cpu[ref]}% | ${sb_cpu[ref]}% |
| GET /rest/customers?search=$search_query&max=50 (${listed[search]} listed) | ${rps[search]} | ${p50[search]} | ${p99[search]} | ${errors[search]} | ${upstream_per_request[search]} | ${gw_cpu[search]}% | ${sb_cpu[search]}% |
| GET /rest/customers?offset=$OFFSET&max=50 (${listed[offset]} listed) | ${rps[offset]} | ${p50[offset]} | ${p99[offset]} | ${errors[offset]} | ${upstream_per_request[offset]} | ${gw_cpu[offset]}% | ${sb_cpu[offset]}% |

first sync: $sync_line (listening line after ${sync_listen_ms} ms)
  CPU during it: gateway ${gateway_sync_cpu_ms} ms (from its listening line), sandbox ${sandbox_sync_cpu_ms} ms; $(awk -v ms="$sync_ms" -v p="$sync_pages" 'BEGIN { printf "%.1f", ms / p }') pass ms per page
  (sandbox bulk create of $COUNT: ${bulk_ms} ms)
restarts: ready ${restart_ms[*]} ms (listening line ${restart_listen_ms[*]} ms, CPU to it ${restart_load_cpu_ms[*]} ms); SIGTERM → exit ${stop_ms[*]} ms
  background re-pass (nothing changed): ms= ${resync_ms[*]}, gateway CPU ${resync_cpu_ms[*]} ms
memory, KiB (per customer: bytes over the empty-sandbox gateway):
| gateway | VmRSS | RssAnon | RssFile | heap in use | heap held | SQLite |
| --- | --- | --- | --- | --- | --- | --- |
| empty sandbox, ready |$(memory_row empty)
| $COUNT customers, after the first sync |$(memory_row synced)
| per customer |$(memory_row synced empty)
| restarted, after its re-pass |$(memory_row restarted)
| per customer |$(memory_row restarted empty)
| after the wrk runs |$(memory_row loaded)
  peak (VmHWM): first-sync gateway $sync_hwm_kib KiB, restarted gateway after the wrk runs $loaded_hwm_kib KiB
  SQLite: database $db_kib KiB, WAL $wal_kib KiB
library (memory_budget_test): $library_line
REPORT
