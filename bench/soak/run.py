#!/usr/bin/env python3
"""Fault soak: mixed reads and writes through blubridge while billagain-sandbox is killed.

Loopback only; a benchmark, not a CI test. Starts billagain-sandbox on a free port and the
gateway in front of it (configuration in a temporary folder), then for SECONDS runs WORKERS
threads, each on its own keep-alive connection, doing a mix of:

  GET  /rest/customer/302?format=xml
  GET  /rest/customer?format=xml&extCustomerRef=REF   (a customer this soak created)
  GET  /rest/customers?format=xml&max=50
  POST /rest/customers?format=xml                     (unique extCustomerRef, Idempotency-Key)
  PUT  /rest/customer?format=xml&extCustomerRef=REF   (<customer><name>..</name></customer>)

A POST answered with a 5xx is sent again later with the same body and Idempotency-Key (up to
POST_RETRIES times), as a careful client would. At each --kill time the sandbox is SIGKILLed,
left down for --down seconds and started again on the same port (from its fixture: what was
created before is gone from Billagain).

Checks, each one a non-zero exit when it fails:
  - every answer parses as XML and has a status in EXPECTED; a connection error, a timeout or
    a non-XML body is a failure (printed, first few with their body);
  - the gateway is alive at the end (and did not print an AddressSanitizer report);
  - no Reference appears twice among the sandbox's customers at the end (/v1/customers pages);
  - the gateway's VmRSS over the last 10 s is within --plateau of its value before the first
    kill (reported; a miss is a failure only with --strict-rss, because an ASan build keeps
    freed memory in quarantine and grows for reasons that are not leaks).

  bench/soak/run.py [--gateway PATH] [--sandbox PATH] [--seconds 60] [--workers 32]
"""
import argparse, base64, collections, http.client, json, os, random, signal, socket, subprocess
import sys, tempfile, threading, time, uuid
import xml.etree.ElementTree as ET

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
EXPECTED = {200, 201, 400, 404, 409, 422, 502, 503, 504}
ACCOUNT, API_KEY = "1001", "soak-api-key-" + uuid.uuid4().hex[:8]
USER, PASSWORD = "soak", "soak-password-" + uuid.uuid4().hex[:8]
POST_RETRIES = 4
RETRY_AFTER = 1.0   # seconds before a 5xx POST is sent again

CUSTOMER_XML = """<customer>
<name>Soak Customer</name>
<status>Active</status>
<extCustomerRef>{ref}</extCustomerRef>
<locale>en_US</locale>
<isBusinessAccount>false</isBusinessAccount>
<paymentTermsValue>30</paymentTermsValue>
<paymentTermsUnits>Days</paymentTermsUnits>
<currency id="USD"/>
<billingContact>
<username>{ref}</username>
<passwd>Soak-Pass-001</passwd>
<firstName>Soak</firstName>
<lastName>Customer</lastName>
<emailPrimary>soak@example.com</emailPrimary>
<workPhone>324 555 879</workPhone>
<address>
<street1>43 Main Av</street1>
<city>Chicago</city>
<state>IL</state>
<zip>12345</zip>
<country>United States</country>
<countryCode>usa</countryCode>
</address>
</billingContact>
</customer>"""


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_line(path, needle, proc, timeout=30):
    """The first line of the file at `path` containing `needle`, once the process wrote it."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        with open(path, errors="replace") as f:
            for line in f:
                if needle in line:
                    return line.strip()
        if proc.poll() is not None:
            raise RuntimeError(f"{path}: exited with {proc.returncode} before '{needle}'")
        time.sleep(0.02)
    raise RuntimeError(f"{path}: no '{needle}' within {timeout} s")


class Sandbox:
    def __init__(self, binary, port, folder):
        self.binary, self.port, self.folder, self.starts, self.proc = binary, port, folder, 0, None

    def start(self):
        self.starts += 1
        log = os.path.join(self.folder, f"sandbox-{self.starts}.log")
        for attempt in range(50):   # the port may take a moment to be free again after a kill
            with open(log, "w") as out:
                self.proc = subprocess.Popen(
                    [self.binary, "--listen", f"127.0.0.1:{self.port}", "--account", ACCOUNT,
                     "--api-key", API_KEY, "--fixture", os.path.join(REPO, "config", "sandbox-fixture.json"),
                     "--threads", "2"], stdout=out, stderr=subprocess.STDOUT)
            try:
                return wait_for_line(log, "billagain-sandbox listening on", self.proc)
            except RuntimeError:
                if self.proc.poll() is None:
                    raise
                time.sleep(0.1)
        raise RuntimeError("the sandbox could not be started again on its port")

    def kill(self):
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait()


def write_config(folder, gateway, sandbox_port):
    with open(os.path.join(folder, "billagain.key"), "w") as f:
        f.write(API_KEY + "\n")
    digest = subprocess.run([gateway, "--hash-password"], input=PASSWORD + "\n", capture_output=True,
                            text=True, check=True).stdout.strip()
    path = os.path.join(folder, "gateway.yaml")
    with open(path, "w") as f:
        f.write(f"""listen: 127.0.0.1:0
threads: 2
mappings: {os.path.join(REPO, "mappings")}
state_dir: {os.path.join(folder, "state")}
limits:
  drain_timeout: 5s
upstream:
  base_url: http://127.0.0.1:{sandbox_port}
  connect_timeout: 1s
  request_timeout: 2s
clients:
  - username: {USER}
    password_hash: "{digest}"
    billagain:
      account: "{ACCOUNT}"
      api_key_file: billagain.key
""")
    return path


def vm_rss_kb(pid):
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        return None


class Stats:
    def __init__(self):
        self.lock = threading.Lock()
        self.by_status = collections.Counter()     # (operation, status) -> count
        self.failures = []                         # (time, operation, what)
        self.created = []                          # references the gateway said it created
        self.post_outcomes = collections.Counter()  # created / refused / gave-up after retries
        self.post_retries = 0
        self.timeline = collections.Counter()      # (5-second bucket, status) -> count

    def record(self, op, status, t):
        with self.lock:
            self.by_status[(op, status)] += 1
            self.timeline[(int(t // 5) * 5, status)] += 1

    def fail(self, t, op, what):
        with self.lock:
            self.failures.append((t, op, what))


class Worker:
    def __init__(self, index, host, port, stats, t0, stop):
        self.index, self.host, self.port, self.stats, self.t0, self.stop = index, host, port, stats, t0, stop
        self.auth = "Basic " + base64.b64encode(f"{USER}:{PASSWORD}".encode()).decode()
        self.conn = None
        self.pending = []   # [due, ref, key, body, attempts] of POSTs answered with a 5xx
        self.serial = 0
        self.rng = random.Random(index)

    def request(self, op, method, target, body=None, headers=None):
        """Sends one request; returns the status, or None after recording a failure."""
        h = {"Authorization": self.auth}
        if body is not None:
            h["Content-Type"] = "application/xml"
        h.update(headers or {})
        now = time.time() - self.t0
        try:
            if self.conn is None:
                self.conn = http.client.HTTPConnection(self.host, self.port, timeout=20)
            self.conn.request(method, target, body=body, headers=h)
            r = self.conn.getresponse()
            data = r.read()
            if r.getheader("Connection", "").lower() == "close":
                self.conn.close(); self.conn = None
        except Exception as e:   # a connection error or timeout from the gateway is a failure
            if self.conn:
                self.conn.close()
            self.conn = None
            self.stats.record(op, "conn-error", now)
            self.stats.fail(now, op, f"{method} {target}: {type(e).__name__}: {e}")
            return None, None
        self.stats.record(op, r.status, now)
        try:
            root = ET.fromstring(data)
        except ET.ParseError as e:
            self.stats.fail(now, op, f"{method} {target}: {r.status}, not XML ({e}): {data[:200]!r}")
            return None, None
        if r.status not in EXPECTED:
            self.stats.fail(now, op, f"{method} {target}: unexpected status {r.status}: {data[:200]!r}")
            return None, None
        return r.status, root

    def post(self, ref, key, body, attempts):
        status, _ = self.request("POST create" if attempts == 0 else "POST retry", "POST",
                                 "/rest/customers?format=xml", body, {"Idempotency-Key": key})
        if status is not None and status >= 500:
            if attempts < POST_RETRIES:
                self.pending.append([time.time() + RETRY_AFTER, ref, key, body, attempts + 1])
                with self.stats.lock:
                    self.stats.post_retries += 1
            else:
                with self.stats.lock:
                    self.stats.post_outcomes["gave up after 5xx retries"] += 1
            return
        with self.stats.lock:
            if status in (200, 201):
                self.stats.created.append(ref)
                self.stats.post_outcomes["created"] += 1
            elif status is None:
                self.stats.post_outcomes["failed (see failures)"] += 1
            else:
                self.stats.post_outcomes[f"refused {status}"] += 1

    def new_post(self):
        self.serial += 1
        ref = f"SOAK-{self.index}-{self.serial}-{uuid.uuid4().hex[:6]}"
        self.post(ref, uuid.uuid4().hex, CUSTOMER_XML.format(ref=ref), 0)

    def some_created(self):
        with self.stats.lock:
            return self.rng.choice(self.stats.created) if self.stats.created else None

    def step(self):
        now = time.time()
        for p in self.pending:
            if p[0] <= now:
                self.pending.remove(p)
                self.post(p[1], p[2], p[3], p[4])
                return
        x = self.rng.random()
        if x < 0.25:
            self.request("GET by id", "GET", "/rest/customer/302?format=xml")
        elif x < 0.45:
            ref = self.some_created()
            if ref:
                self.request("GET by ref", "GET", f"/rest/customer?format=xml&extCustomerRef={ref}")
            else:
                self.new_post()
        elif x < 0.55:
            self.request("GET list", "GET", "/rest/customers?format=xml&max=50")
        elif x < 0.80:
            self.new_post()
        else:
            ref = self.some_created()
            if ref:
                self.request("PUT by ref", "PUT", f"/rest/customer?format=xml&extCustomerRef={ref}",
                             f"<customer><name>Soak Renamed {self.serial}</name></customer>")
            else:
                self.new_post()

    def run(self):
        while not self.stop.is_set():
            self.step()
        # After the soak: the POSTs still owed a retry get them, without waiting.
        while self.pending:
            p = self.pending.pop(0)
            self.post(p[1], p[2], p[3], POST_RETRIES)
        if self.conn:
            self.conn.close()


def sandbox_references(port):
    """Every Reference in the sandbox, page by page (Basic account:key)."""
    auth = "Basic " + base64.b64encode(f"{ACCOUNT}:{API_KEY}".encode()).decode()
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    refs, page = [], 1
    while True:
        conn.request("GET", f"/v1/customers?page={page}&page_size=200", headers={"Authorization": auth})
        r = conn.getresponse()
        body = r.read()
        if r.status != 200:
            raise RuntimeError(f"sandbox list page {page}: {r.status} {body[:200]!r}")
        items = json.loads(body)
        if not items:
            return refs
        refs += [c.get("Reference") for c in items]
        page += 1


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--gateway", default="/work/main/build/dev/src/gateway/blubridge")
    ap.add_argument("--sandbox", default="/work/main/build/dev/src/sandbox/billagain-sandbox")
    ap.add_argument("--seconds", type=float, default=60)
    ap.add_argument("--workers", type=int, default=32)
    ap.add_argument("--kill", type=float, action="append", help="seconds into the soak (default 15 and 35)")
    ap.add_argument("--down", type=float, default=3, help="seconds the sandbox stays down")
    ap.add_argument("--plateau", type=float, default=0.10, help="allowed RSS growth over the pre-kill value")
    ap.add_argument("--strict-rss", action="store_true", help="a missed plateau fails the run")
    ap.add_argument("--keep", action="store_true", help="keep the temporary folder (logs, config, state)")
    args = ap.parse_args()
    kills = sorted(args.kill or [15, 35])

    folder = tempfile.mkdtemp(prefix="blubridge-soak-")
    sandbox = Sandbox(args.sandbox, free_port(), folder)
    gateway = None
    try:
        print(sandbox.start(), flush=True)
        fixture_refs = sandbox_references(sandbox.port)
        config = write_config(folder, args.gateway, sandbox.port)
        gateway_log = os.path.join(folder, "gateway.log")
        with open(gateway_log, "w") as out:
            gateway = subprocess.Popen([args.gateway, "--config", config], stdout=out, stderr=subprocess.STDOUT)
        line = wait_for_line(gateway_log, "blubridge listening on", gateway, timeout=60)
        print(line, flush=True)
        host, port = line.rsplit("//", 1)[1].rsplit(":", 1)
        port = int(port)
        deadline = time.time() + 60
        while True:
            try:
                c = http.client.HTTPConnection(host, port, timeout=5)
                c.request("GET", "/readyz"); r = c.getresponse(); r.read(); c.close()
                if r.status == 200:
                    break
            except OSError:
                pass
            if time.time() > deadline:
                raise RuntimeError("gateway never became ready")
            time.sleep(0.05)

        # Warm-up: one authenticated request, so the gateway has verified (PBKDF2) and remembered
        # the password before 32 connections arrive at once. Until then its failure limiter counts
        # checks in flight against the address's allowance and answers the burst 429.
        auth = "Basic " + base64.b64encode(f"{USER}:{PASSWORD}".encode()).decode()
        warm_429 = 0
        while True:
            c = http.client.HTTPConnection(host, port, timeout=30)
            c.request("GET", "/rest/customer/302?format=xml", headers={"Authorization": auth})
            r = c.getresponse(); r.read(); c.close()
            if r.status == 200:
                break
            if r.status != 429 or time.time() > deadline:
                raise RuntimeError(f"warm-up request answered {r.status}")
            warm_429 += 1
            time.sleep(0.2)

        stats, stop = Stats(), threading.Event()
        t0 = time.time()
        rss = []   # (seconds into the soak, KiB)
        rss_stop = threading.Event()

        def sample():
            while not rss_stop.is_set():
                kb = vm_rss_kb(gateway.pid)
                if kb is not None:
                    rss.append((time.time() - t0, kb))
                rss_stop.wait(1.0)

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        workers = [Worker(i, host, port, stats, t0, stop) for i in range(args.workers)]
        threads = [threading.Thread(target=w.run, daemon=True) for w in workers]
        for t in threads:
            t.start()
        events = []
        for k in kills:
            time.sleep(max(0, t0 + k - time.time()))
            sandbox.kill()
            events.append(f"{time.time() - t0:5.1f} s  sandbox SIGKILLed")
            print(events[-1], flush=True)
            time.sleep(args.down)
            sandbox.start()
            events.append(f"{time.time() - t0:5.1f} s  sandbox listening again on port {sandbox.port}")
            print(events[-1], flush=True)
        time.sleep(max(0, t0 + args.seconds - time.time()))
        stop.set()
        for t in threads:
            t.join(60)
        soak_seconds = time.time() - t0
        stuck = sum(t.is_alive() for t in threads)
        rss_stop.set()
        sampler.join()

        alive = gateway.poll() is None
        ready_after = None
        if alive:
            try:
                c = http.client.HTTPConnection(host, port, timeout=5)
                c.request("GET", "/readyz"); r = c.getresponse(); r.read(); ready_after = r.status
            except OSError as e:
                ready_after = f"{type(e).__name__}"
        end_refs = sandbox_references(sandbox.port)
        soak_refs = [r for r in end_refs if r and r.startswith("SOAK-")]
        dupes = {r: n for r, n in collections.Counter(soak_refs).items() if n > 1}
        fixture_dupes = {r: n for r, n in collections.Counter(fixture_refs).items() if n > 1 and r}

        # Stop the gateway the way an operator would; its exit (and ASan's verdict) is part of the result.
        exit_code = None
        if alive:
            gateway.send_signal(signal.SIGTERM)
            try:
                exit_code = gateway.wait(30)
            except subprocess.TimeoutExpired:
                gateway.kill(); exit_code = "did not stop within 30 s (killed)"
        with open(gateway_log, errors="replace") as f:
            log_text = f.read()
        asan = [l for l in log_text.splitlines() if "AddressSanitizer" in l or "LeakSanitizer" in l]

        # Figures.
        total = sum(stats.by_status.values())
        ops = sorted({op for op, _ in stats.by_status})
        statuses = sorted({s for _, s in stats.by_status}, key=str)
        print()
        print(f"soak {soak_seconds:.1f} s, {args.workers} workers, kills at {kills} s, down {args.down} s each")
        for e in events:
            print("  " + e)
        print()
        print("| operation | " + " | ".join(str(s) for s in statuses) + " | total |")
        print("| --- | " + " | ".join("---" for _ in statuses) + " | --- |")
        for op in ops:
            row = [stats.by_status.get((op, s), 0) for s in statuses]
            print(f"| {op} | " + " | ".join(str(n) for n in row) + f" | {sum(row)} |")
        col = [sum(stats.by_status.get((op, s), 0) for op in ops) for s in statuses]
        print("| **all** | " + " | ".join(str(n) for n in col) + f" | {total} |")
        print()
        first_kill = kills[0] if kills else args.seconds
        before = [kb for t, kb in rss if first_kill - 5 <= t < first_kill] or [kb for t, kb in rss if t < first_kill]
        last = [kb for t, kb in rss if t >= soak_seconds - 10]
        plateau = sum(before) / len(before) if before else None
        end_avg = sum(last) / len(last) if last else None
        growth = (end_avg - plateau) / plateau if plateau and end_avg else None
        rss_ok = growth is not None and growth <= args.plateau
        print("| seconds | " + " | ".join(str(s) for s in statuses) + " |")
        print("| --- | " + " | ".join("---" for _ in statuses) + " |")
        for b in sorted({b for b, _ in stats.timeline}):
            print(f"| {b}-{b + 5} | " + " | ".join(str(stats.timeline.get((b, s), 0)) for s in statuses) + " |")
        print()
        print("| figure | value |")
        print("| --- | --- |")
        print(f"| warm-up 429 answers before the soak | {warm_429} |")
        print(f"| requests | {total} ({total / soak_seconds:.0f}/s) |")
        print(f"| failures (non-XML, unexpected status, connection error) | {len(stats.failures)} |")
        print(f"| POST outcomes | {dict(stats.post_outcomes)}; retries sent {stats.post_retries} |")
        print(f"| SOAK- customers in the sandbox at the end | {len(soak_refs)} ({len(set(soak_refs))} distinct) |")
        print(f"| duplicate references at the end | {len(dupes)} |")
        print(f"| gateway alive at the end / /readyz | {alive} / {ready_after} |")
        print(f"| gateway exit after SIGTERM | {exit_code} |")
        print(f"| AddressSanitizer/LeakSanitizer lines in the gateway log | {len(asan)} |")
        print(f"| worker threads still stuck after the soak | {stuck} |")
        if rss:
            print(f"| gateway VmRSS at start | {rss[0][1]} KiB |")
            print(f"| gateway VmRSS peak | {max(kb for _, kb in rss)} KiB |")
            print(f"| gateway VmRSS 5 s before the first kill (mean) | {plateau:.0f} KiB |")
            print(f"| gateway VmRSS last 10 s (mean) | {end_avg:.0f} KiB ({growth * 100:+.1f} %, "
                  f"{'within' if rss_ok else 'NOT within'} {args.plateau * 100:.0f} %) |")
            print("RSS samples (s: KiB): " + ", ".join(f"{t:.0f}:{kb}" for t, kb in rss))
        if fixture_dupes:
            print(f"(the fixture itself repeats {len(fixture_dupes)} references; not counted)")
        for t, op, what in stats.failures[:20]:
            print(f"FAIL {t:5.1f} s {op}: {what}")
        if len(stats.failures) > 20:
            print(f"... and {len(stats.failures) - 20} more failures")
        for r, n in list(dupes.items())[:20]:
            print(f"DUPLICATE {r} x{n}")
        for l in asan[:10]:
            print(f"ASAN {l}")
        print(f"logs: {folder}" if args.keep else "")

        bad = (stats.failures or dupes or not alive or asan or stuck or ready_after != 200
               or (exit_code not in (0, None)) or (args.strict_rss and not rss_ok))
        return 1 if bad else 0
    finally:
        if gateway and gateway.poll() is None:
            gateway.kill()
        if sandbox.proc and sandbox.proc.poll() is None:
            sandbox.kill()
        if not args.keep:
            import shutil
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
