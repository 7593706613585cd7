#!/usr/bin/env python3
"""bench/shared_state/run.py: what PostgreSQL shared state costs and buys (issue 13).

Starts a throwaway PostgreSQL 15 (initdb in a temporary folder, trust authentication on
127.0.0.1, a free port, default durability: fsync, synchronous_commit and full_page_writes
on), the sandbox with bulk customers, and gateways with the pieces of bench/run (imported,
not copied), then measures in interleaved rounds with wrk and reports medians:

  A  GET by extCustomerRef (bench/run's get_ref) through one blubridge with `state: backend:
     postgresql` against nginx load-balancing two such instances on the same database; a
     third row, nginx in front of the one instance, separates nginx's cost from the second
     instance's.
  B  POST create (bench/run's post, a unique reference per request) through one blubridge
     with the default SQLite state against one with PostgreSQL state; a supplementary row
     with synchronous_commit=off (a database of its own) shows how much of the difference is
     the WAL flush at each commit.

The second instance is stopped before B, so that it does not share the cores while it
follows the first one's creates. The databases are analyzed before the rounds (--no-analyze:
not), as autovacuum does a minute or two after the gateways first fill them. bench/README.md ("Shared state") says how to read it.

  bench/shared_state/run.py                 # release build, 5 rounds × 6 s of each (~5 min)
  bench/shared_state/run.py --quick         # one 1 s round at 8 connections: the script works
  bench/shared_state/run.py --no-build --rounds 3 --duration 4

Python 3 standard library only; needs wrk, nginx (nginx-light) and postgresql-15 (scripts/
setup.sh installs them). As root the server runs as the user postgres (setpriv).
"""

import argparse
import importlib.machinery
import importlib.util
import json
import os
import platform
import pwd
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))


def load_bench_run():
    loader = importlib.machinery.SourceFileLoader("bench_run", os.path.join(ROOT, "bench", "run"))
    spec = importlib.util.spec_from_loader("bench_run", loader)
    module = importlib.util.module_from_spec(spec)
    loader.exec_module(module)
    return module


br = load_bench_run()
say = br.say


def fail(msg):
    say("bench/shared_state: " + msg)
    sys.exit(1)


# --- PostgreSQL -----------------------------------------------------------------------------

class Postgres:
    """A throwaway server: initdb in a temporary folder, postgres on a free loopback port.

    Default durability (only initdb skips its own fsync: the cluster is thrown away, and the
    server's settings are what the measurement sees). Stopped and removed by stop()."""

    def __init__(self, bindir, parent, settings=()):
        self.bindir, self.settings = bindir, list(settings)
        self.folder = tempfile.mkdtemp(prefix="blubridge-bench-pg.", dir=parent)
        self.proc = None
        self.as_postgres = os.geteuid() == 0
        if self.as_postgres:
            pw = pwd.getpwnam("postgres")
            os.chown(self.folder, pw.pw_uid, pw.pw_gid)
        self.data = os.path.join(self.folder, "data")
        r = subprocess.run(self.line("initdb", "-D", self.data, "-U", "blubridge", "-A", "trust", "-E", "UTF8",
                                     "--locale=C", "--no-sync", "--no-instructions"),
                           cwd=self.folder, capture_output=True, text=True)
        if r.returncode != 0:
            self.stop()
            fail("initdb failed:\n" + r.stdout + r.stderr)
        for _ in range(5):  # another process may take the free port first
            if self.start():
                break
        else:
            self.stop()
            fail("postgres: every port picked was taken")

    def line(self, program, *args):
        argv = [os.path.join(self.bindir, program), *args]
        if self.as_postgres:  # setpriv execs in place: the child's pid is the postmaster's
            argv = ["setpriv", "--reuid=postgres", "--regid=postgres", "--init-groups", "--"] + argv
        return argv

    def start(self):
        self.port = br.free_port()
        log = os.path.join(self.folder, "postgres.log")
        # track_wal_io_timing only adds timing to pg_stat_wal; durability stays the default.
        self.proc = br.Proc("postgres", self.line(
            "postgres", "-D", self.data, "-p", str(self.port), "-c", "listen_addresses=127.0.0.1",
            "-c", "unix_socket_directories=" + self.folder, "-c", "track_wal_io_timing=on", *self.settings), log)
        deadline = time.time() + 30
        while time.time() < deadline:
            if self.proc.p.poll() is not None:
                with open(log, errors="replace") as f:
                    text = f.read()
                br.Proc.running.remove(self.proc)
                self.proc.out.close()
                self.proc = None
                if "could not bind" in text:
                    return False
                self.stop()
                fail("postgres exited during start:\n" + text[-3000:])
            if subprocess.run([os.path.join(self.bindir, "pg_isready"), "-q", "-h", "127.0.0.1",
                               "-p", str(self.port)]).returncode == 0:
                return True
            time.sleep(0.05)
        self.stop()
        fail("postgres not ready after 30 s")

    def conninfo(self, dbname):
        return f"host=127.0.0.1 port={self.port} dbname={dbname} user=blubridge"

    def sql(self, statement, dbname="postgres"):
        r = subprocess.run([os.path.join(self.bindir, "psql"), "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1",
                            "-d", self.conninfo(dbname), "-c", statement], capture_output=True, text=True)
        if r.returncode != 0:
            fail(f"psql: {statement}: {r.stderr.strip()}")
        return r.stdout.strip()

    def wal(self):
        """Cluster-wide WAL counters: records, bytes, flushes (wal_sync) and their time (ms)."""
        row = self.sql("SELECT wal_records, wal_bytes, wal_sync, wal_sync_time FROM pg_stat_wal")
        return [float(x) for x in row.split("|")]

    def stop(self):
        if self.proc:
            self.proc.stop()  # SIGTERM: smart shutdown; the gateways have gone by then
            if self.proc in br.Proc.running:
                br.Proc.running.remove(self.proc)
            self.proc = None
        shutil.rmtree(self.folder, ignore_errors=True)


def tree_ticks(pid):
    """CPU ticks of pid and its children, the ones it has reaped included (cutime, cstime):
    PostgreSQL's backends and autovacuum workers, nginx's workers."""
    def stat(p):
        with open(f"/proc/{p}/stat") as f:
            s = f.read()
        return s[s.rindex(")") + 2:].split()
    fields = stat(pid)
    total = sum(int(fields[i]) for i in (11, 12, 13, 14))  # utime, stime, cutime, cstime
    for child in br.children(pid):
        try:
            fields = stat(child)
        except OSError:
            continue  # gone meanwhile: its time is in cutime next time
        total += int(fields[11]) + int(fields[12])
    return total


# --- the gateways ---------------------------------------------------------------------------

def pg_state(conninfo):
    return f"""state:
  backend: postgresql
  postgresql:
    conninfo: "{conninfo}"
"""


class Row:
    """A target of bench/run (url, API, auth, the gateways' pids as its front) and the other
    processes whose CPU this benchmark reports: nginx and PostgreSQL."""

    def __init__(self, name, url, auth, gateways, nginx=None, pg=None):
        self.target = br.Target(name, url, "gateway", auth, lambda: [g.pid for g in gateways])
        self.name, self.nginx, self.pg = name, nginx, pg


def measure(args, setup, row, scenario, nonce):
    ng0 = tree_ticks(row.nginx.pid) if row.nginx else None
    pg0 = tree_ticks(row.pg.proc.pid) if row.pg else None
    wal0 = row.pg.wal() if row.pg else None
    r = br.run_wrk(args, setup, row.target, scenario, args.connections, args.duration, nonce)
    n = r["requests"]
    per = (lambda ticks: ticks * 1e6 / br.TICKS / n) if n else (lambda ticks: None)
    r["nginx_cpu_us"] = per(tree_ticks(row.nginx.pid) - ng0) if row.nginx else None
    r["pg_cpu_us"] = per(tree_ticks(row.pg.proc.pid) - pg0) if row.pg else None
    if row.pg:
        wal1 = row.pg.wal()
        d = [b - a for a, b in zip(wal0, wal1)]
        # Cluster-wide, so the few psql calls around the run are counted too (a handful
        # of records against thousands of requests).
        r["wal_records"], r["wal_bytes"] = (d[0] / n, d[1] / n) if n else (None, None)
        r["wal_flushes"] = d[2] / n if n else None
        r["wal_flush_ms"] = d[3] / d[2] if d[2] else None
    return r


# --- report ---------------------------------------------------------------------------------

def med(rs, key):
    return br.med([r.get(key) for r in rs if r["requests"]])


def table(results, rows, scenario):
    head = ("| target | req/s | p50 ms | p99 ms | p99.9 ms | errors | gateway CPU µs/req | nginx CPU µs/req "
            "| PostgreSQL CPU µs/req | sandbox CPU µs/req |")
    lines = [head, "| --- |" + " ---: |" * 9]
    for row in rows:
        rs = results[(scenario, row.name)]
        lines.append("| {} | {} | {} | {} | {} | {} | {} | {} | {} | {} |".format(
            row.name, br.num(br.med([r["rps"] for r in rs])), br.fmt_ms(med(rs, "p50_us")),
            br.fmt_ms(med(rs, "p99_us")), br.fmt_ms(med(rs, "p999_us")), sum(r["errors"] for r in rs),
            br.num(med(rs, "cpu_us")), br.num(med(rs, "nginx_cpu_us")), br.num(med(rs, "pg_cpu_us")),
            br.num(med(rs, "sandbox_cpu_us"))))
    return "\n".join(lines)


def per_round(results, scenario, a, b, key, op):
    ra, rb = results[(scenario, a)], results[(scenario, b)]
    vals = [op(x[key], y[key]) for x, y in zip(ra, rb)
            if x["requests"] and y["requests"] and x.get(key) is not None and y.get(key) is not None]
    return br.med(vals)


def ratios(results, scenario, pairs, keys):
    """Per pair: the median over rounds of each round's ratio (or difference, for CPU)."""
    head = "| | " + " | ".join(label for label, _, _ in keys) + " |"
    lines = [head, "| --- |" + " ---: |" * len(keys)]
    for a, b in pairs:
        cells = []
        for label, key, kind in keys:
            if kind == "ratio":
                v = per_round(results, scenario, a, b, key, lambda x, y: x / y if y else None)
                cells.append("-" if v is None else f"{v:.2f}×")
            else:
                v = per_round(results, scenario, a, b, key, lambda x, y: x - y)
                cells.append("-" if v is None else f"{v:+,.0f}")
        lines.append(f"| {a} against {b} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def wal_lines(results, rows, scenario):
    out = []
    for row in rows:
        rs = results[(scenario, row.name)]
        if row.pg and med(rs, "wal_records") is not None:
            flush = med(rs, "wal_flush_ms")
            out.append(f"- {row.name}: {med(rs, 'wal_records'):.1f} WAL records, {med(rs, 'wal_bytes'):,.0f} bytes and "
                       f"{med(rs, 'wal_flushes'):.2f} WAL flushes per request"
                       + (f", {flush * 1000:,.0f} µs per flush" if flush is not None else ""))
    return out


def statement_lines(pg, results, rows):
    """The statements B's creates ran, most time first, per create of their gateway's row."""
    creates = {"blubridge": sum(r["requests"] for r in results[("post", "pg-1")])}
    if ("post", "pg-1-async") in results:
        creates["blubridge_async"] = sum(r["requests"] for r in results[("post", "pg-1-async")])
    out = pg.sql("SELECT d.datname, s.calls, s.total_exec_time, regexp_replace(s.query, '\\s+', ' ', 'g') "
                 "FROM pg_stat_statements s JOIN pg_database d ON d.oid = s.dbid "
                 "WHERE d.datname IN ('blubridge', 'blubridge_async') ORDER BY s.total_exec_time DESC LIMIT 16",
                 "blubridge")
    lines = ["| database | calls per create | µs per create | statement |", "| --- | ---: | ---: | --- |"]
    for line in out.splitlines():
        db, calls, ms, query = line.split("|", 3)
        n = max(creates.get(db, 0), 1)
        query = query if len(query) <= 110 else query[:107] + "..."
        lines.append(f"| {db} | {int(calls) / n:.2f} | {float(ms) * 1000 / n:,.0f} | `{query.replace('|', '¦')}` |")
    return lines


# --- main -----------------------------------------------------------------------------------

def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="one 1 s round at 8 connections, 200 bulk customers")
    ap.add_argument("--rounds", type=int, help="interleaved rounds (default 5)")
    ap.add_argument("--duration", type=float, help="seconds per wrk run (default 6)")
    ap.add_argument("--connections", type=int, help="wrk -c (default 64; 8 with --quick)")
    ap.add_argument("--threads", type=int, default=2, help="wrk -t (default 2)")
    ap.add_argument("--customers", type=int, help="bulk customers in the sandbox (default 10000)")
    ap.add_argument("--server-threads", type=int, default=2,
                    help="threads of each gateway and of the sandbox, nginx workers (default 2)")
    ap.add_argument("--no-analyze", action="store_true",
                    help="measure without ANALYZE first: until autovacuum analyzes the tables the gateways "
                         "filled (a minute or two), a create's row lock scans every customer of the account")
    ap.add_argument("--no-async-row", action="store_true", help="B without the synchronous_commit=off row")
    ap.add_argument("--statements", action="store_true",
                    help="diagnosis: pg_stat_statements loaded, the statements of B's creates listed (adds a little "
                         "PostgreSQL CPU to every row)")
    ap.add_argument("--pg-bindir", default="/usr/lib/postgresql/15/bin", help="PostgreSQL's programs")
    ap.add_argument("--pg-parent", default=tempfile.gettempdir(),
                    help="where the temporary cluster is made (default the temp folder; on a disk, not tmpfs, "
                         "for the create figure)")
    ap.add_argument("--gateway", help="the blubridge binary (default: the build dir's)")
    ap.add_argument("--sandbox", help="the billagain-sandbox binary (default: the build dir's)")
    ap.add_argument("--build-dir", default="build/release", help="default build/release (the release preset)")
    ap.add_argument("--no-build", action="store_true", help="use the build dir's binaries as they are")
    ap.add_argument("--jobs", type=int, default=2, help="build jobs (default 2)")
    ap.add_argument("--out", default=os.path.join(ROOT, "build", "bench-shared-state"),
                    help="folder for results.md and results.json (default build/bench-shared-state)")
    args = ap.parse_args()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # runs the finally below

    q = args.quick
    args.rounds = args.rounds or (1 if q else 5)
    args.duration = args.duration or (1 if q else 6)
    args.connections = args.connections or (8 if q else 64)
    args.customers = args.customers if args.customers is not None else (200 if q else 10000)
    args.scenario_list = ["get_ref", "post"]
    args.search = "Customer 11"  # bench/run's Setup reads one list page
    for tool in ("wrk", "nginx"):
        if not shutil.which(tool):
            if os.access("/usr/sbin/" + tool, os.X_OK):
                os.environ["PATH"] += ":/usr/sbin"
            else:
                fail(f"needs {tool} (scripts/setup.sh installs it)")
    if not os.access(os.path.join(args.pg_bindir, "initdb"), os.X_OK):
        fail(f"no initdb in {args.pg_bindir} (apt-get install postgresql-15)")

    br.build(args)
    bin_dir = os.path.join(ROOT, args.build_dir, "src")
    gateway_bin = os.path.abspath(args.gateway or os.path.join(bin_dir, "gateway", "blubridge"))
    sandbox_bin = os.path.abspath(args.sandbox or os.path.join(bin_dir, "sandbox", "billagain-sandbox"))
    for b in (gateway_bin, sandbox_bin):
        if not os.access(b, os.X_OK):
            fail(f"no program {b}")

    os.makedirs(args.out, exist_ok=True)
    work = tempfile.mkdtemp(prefix="blubridge-bench-shared.")
    started = time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime())
    loads = [br.loadavg()]
    pg = None
    info = {}
    statements = []
    try:
        pg = Postgres(args.pg_bindir, args.pg_parent, ["-c", "shared_preload_libraries=pg_stat_statements",
                                                       "-c", "pg_stat_statements.track=all"] if args.statements else [])
        pg.sql("CREATE DATABASE blubridge")
        if args.statements:
            pg.sql("CREATE EXTENSION pg_stat_statements", "blubridge")
        if not args.no_async_row:
            pg.sql("CREATE DATABASE blubridge_async")
            pg.sql("ALTER DATABASE blubridge_async SET synchronous_commit = off")
        fs = subprocess.run(["findmnt", "-n", "-o", "FSTYPE", "-T", pg.folder], capture_output=True,
                            text=True).stdout.strip() or "?"
        info["postgres"] = pg.sql("SHOW server_version")
        info["settings"] = ", ".join(f"{k}={pg.sql('SHOW ' + k)}" for k in (
            "fsync", "synchronous_commit", "full_page_writes", "wal_sync_method", "shared_buffers"))
        info["data_fs"] = fs
        if fs in ("tmpfs", "ramfs"):
            say(f"bench/shared_state: the cluster is on {fs}: its fsync costs nothing (--pg-parent a disk folder)")

        # The sandbox: fixture plus bulk customers.
        api_key = secrets.token_urlsafe(12)
        key_file = os.path.join(work, "billagain.key")
        with open(key_file, "w") as f:
            f.write(api_key + "\n")
        sb = br.Proc("billagain-sandbox", [sandbox_bin, "--listen", "127.0.0.1:0", "--account", br.ACCOUNT,
                                           "--api-key-file", key_file, "--fixture",
                                           os.path.join(ROOT, "config", "sandbox-fixture.json"),
                                           "--threads", str(args.server_threads)], os.path.join(work, "sandbox.log"))
        sandbox_url = "http://127.0.0.1:" + sb.wait_line(r"listening on http://([0-9.]+):(\d+)").group(2)
        st, body = br.http("POST", f"{sandbox_url}/_sandbox/customers/bulk?count={max(args.customers, 1)}")
        if st != 201:
            fail(f"bulk create answered {st}: {body!r}")
        b = json.loads(body)
        bulk = (b["firstCustomerID"], b["lastCustomerID"])
        sandbox_auth = br.basic(br.ACCOUNT, api_key)

        # The gateways, one after the other (each syncs the directory at start).
        password = secrets.token_urlsafe(12)
        auth = br.basic(br.USER, password)

        def gateway(name, state=""):
            t0 = time.time()
            p, url = br.start_gateway(name, gateway_bin, work, sandbox_url, password, key_file,
                                      args.server_threads, state)
            info[f"ready_{name}"] = time.time() - t0
            return p, url

        pg1, pg1_url = gateway("pg-1", pg_state(pg.conninfo("blubridge")))
        pg2, pg2_url = gateway("pg-2", pg_state(pg.conninfo("blubridge")))
        lite, lite_url = gateway("sqlite-1")
        if not args.no_async_row:
            pga, pga_url = gateway("pg-1-async", pg_state(pg.conninfo("blubridge_async")))
        port = lambda url: int(url.rsplit(":", 1)[1])
        ng1, ng1_url = br.start_nginx("nginx-1", work, [port(pg1_url)], args.server_threads, "/readyz")
        ng2, ng2_url = br.start_nginx("nginx-2", work, [port(pg1_url), port(pg2_url)], args.server_threads, "/readyz")

        rows_a = [Row("pg-1", pg1_url, auth, [pg1], pg=pg),
                  Row("nginx→pg-1", ng1_url, auth, [pg1], nginx=ng1, pg=pg),
                  Row("nginx→pg-1+pg-2", ng2_url, auth, [pg1, pg2], nginx=ng2, pg=pg)]
        rows_b = [Row("sqlite-1", lite_url, auth, [lite]), Row("pg-1", pg1_url, auth, [pg1], pg=pg)]
        if not args.no_async_row:
            rows_b.append(Row("pg-1-async", pga_url, auth, [pga], pg=pg))

        setup = br.Setup(args, work, pg1_url, auth, sandbox_url, sandbox_auth, bulk)
        setup.sandbox_pid = sb.pid
        for row in rows_a:
            br.probe(setup, row.target, "get_ref")
        for row in rows_b:
            br.probe(setup, row.target, "post")

        # Shared state at work: a create through pg-1 is found by reference through pg-2 (after
        # one GET through pg-2, so that its first password check, PBKDF2, is not timed).
        br.http("GET", f"{pg2_url}/rest/customer?extCustomerRef={br.FIXTURE_REF}&format=xml", auth=auth)
        ref = "SHARED-" + secrets.token_hex(4)
        st, got = br.http("POST", pg1_url + "/rest/customers?format=xml",
                          br.customer_xml(ref).encode(), auth, "application/xml")
        if st != 200:
            fail(f"create through pg-1 answered {st}: {got[:300]!r}")
        # Polled every 5 ms from pg-1's answer; each GET's own time kept (a miss may cost more).
        t0, gets = time.time(), []
        while True:
            t1 = time.time()
            st, got = br.http("GET", f"{pg2_url}/rest/customer?extCustomerRef={ref}&format=xml", auth=auth)
            gets.append((st, (time.time() - t1) * 1000))
            if st == 200 or time.time() - t0 > 10:
                break
            time.sleep(0.005)
        t1 = time.time()
        again = br.http("GET", f"{pg2_url}/rest/customer?extCustomerRef={ref}&format=xml", auth=auth)[0]
        again_ms = (time.time() - t1) * 1000
        tried = ", ".join(f"{s} in {ms:.0f} ms" for s, ms in gets[:3]) + (f" … ({len(gets)} GETs)" if len(gets) > 3 else "")
        info["cross_instance"] = (
            f"found through pg-2 {(time.time() - t0) * 1000 - again_ms:.0f} ms after pg-1's answer; GETs through pg-2: "
            f"{tried}; the next one {again} in {again_ms:.0f} ms" if st == 200 else
            f"NOT found through pg-2 within 10 s: {tried}")
        say("bench/shared_state: a create through pg-1: " + info["cross_instance"])

        # Steady state: the statistics autovacuum's first ANALYZE would give. Before it, the
        # plan the gateway cached for lock_customers on the empty table scans the account.
        if not args.no_analyze:
            for db in ["blubridge"] + ([] if args.no_async_row else ["blubridge_async"]):
                pg.sql("ANALYZE", db)
        info["analyze"] = "no ANALYZE before the rounds (--no-analyze)" if args.no_analyze else \
            "ANALYZE of the databases after the gateways filled them, before the rounds"

        results = {}
        nonce = secrets.token_hex(3)
        phases = [("A", "get_ref", rows_a), ("B", "post", rows_b)]
        say(f"bench/shared_state: {args.rounds} round(s) per phase, wrk -t{args.threads} -c{args.connections} "
            f"-d{args.duration:g}s")
        for phase, scenario, rows in phases:
            if phase == "B":
                # pg-2 would follow pg-1's creates on the same two cores.
                pg2.stop()
                br.Proc.running.remove(pg2)
                if args.statements:
                    pg.sql("SELECT pg_stat_statements_reset()", "blubridge")
            for rnd in range(args.rounds):
                order = rows[rnd % len(rows):] + rows[:rnd % len(rows)]  # interleaved, rotated
                for row in order:
                    r = measure(args, setup, row, scenario, f"{nonce}{phase}{rnd}{rows.index(row)}")
                    results.setdefault((scenario, row.name), []).append(r)
                    say(f"  {phase} round {rnd + 1} {row.name:16} {r['rps']:8,.0f} req/s  p50 {br.fmt_ms(r['p50_us'])}"
                        f"  p99 {br.fmt_ms(r['p99_us'])} ms  errors {r['errors']}  gateway {br.num(r['cpu_us'])}"
                        f"  pg {br.num(r['pg_cpu_us'])} µs/req  load {r['load']:.2f}")
                loads.append(br.loadavg())
        if args.statements:
            statements = statement_lines(pg, results, rows_b)
    finally:
        br.stop_all()
        if pg:
            pg.stop()
        shutil.rmtree(work, ignore_errors=True)

    cmd = "bench/shared_state/run.py " + " ".join(sys.argv[1:])
    report = [f"# bench/shared_state/run.py, {started}", "",
              f"- command: `{cmd.strip()}`",
              f"- machine: {br.machine()}",
              "- load average (1 min) at the start and after each round: " + ", ".join(f"{x:.2f}" for x in loads),
              f"- wrk -t{args.threads} -c{args.connections} -d{args.duration:g}s, {args.rounds} interleaved rounds "
              f"(order rotated each round), medians; {args.server_threads} threads per gateway and sandbox, "
              f"{args.server_threads} nginx workers; sandbox: fixture + {args.customers} bulk customers",
              f"- PostgreSQL {info['postgres']} on {info['data_fs']}: {info['settings']} (the defaults; "
              "track_wal_io_timing=on for the flush times); one database shared by pg-1 and pg-2"
              + ("; pg-1-async: its own database with synchronous_commit=off" if not args.no_async_row else ""),
              "- start to ready (s): " + ", ".join(f"{k[6:]} {v:.1f}" for k, v in info.items() if k.startswith("ready_")),
              f"- {info['analyze']}",
              f"- a create through pg-1: {info['cross_instance']}", "",
              "## A: GET by extCustomerRef", "", table(results, rows_a, "get_ref"), "",
              ratios(results, "get_ref", [("nginx→pg-1+pg-2", "pg-1"), ("nginx→pg-1+pg-2", "nginx→pg-1"),
                                          ("nginx→pg-1", "pg-1")],
                     [("req/s", "rps", "ratio"), ("p99", "p99_us", "ratio")]), "",
              "## B: POST create (pg-2 stopped)", "", table(results, rows_b, "post"), ""]
    keys_b = [("req/s", "rps", "ratio"), ("p50", "p50_us", "ratio"), ("p99", "p99_us", "ratio"),
              ("gateway CPU µs/req", "cpu_us", "diff"), ("p50 µs", "p50_us", "diff")]
    report += [ratios(results, "post", [(r.name, "sqlite-1") for r in rows_b[1:]], keys_b), ""]
    report += wal_lines(results, rows_b, "post") + [""]
    if statements:
        report += ["PostgreSQL statements during B (pg_stat_statements, --statements): calls and execution time "
                   "per create, by database", ""] + statements + [""]
    text = "\n".join(report)
    print(text)
    with open(os.path.join(args.out, "results.md"), "w") as f:
        f.write(text + "\n")
    with open(os.path.join(args.out, "results.json"), "w") as f:
        json.dump({"started": started, "command": cmd, "machine": br.machine(), "platform": platform.platform(),
                   "loads": loads, "info": info,
                   "results": {f"{k[0]} {k[1]}": v for k, v in results.items()}}, f, indent=1)
    errors = sum(r["errors"] for rs in results.values() for r in rs)
    if errors:
        say(f"bench/shared_state: {errors} errors (non-2xx answers or socket errors) in the wrk runs: see the tables")


if __name__ == "__main__":
    main()
