#!/usr/bin/env python3
"""Measures client-disconnect detection latency against the web benchmark app.

For each of N requests: open a raw TCP connection, send GET /block?id=..., wait until the server says the handler
is blocked, then close the socket (FIN) and note time.monotonic_ns(). The server records System.nanoTime() when the
request's context is cancelled; both are CLOCK_MONOTONIC on Linux, so the difference is the detection latency.
Prints JSON: {"n":..., "p50_ms":..., "p99_ms":..., "max_ms":..., "missed":...}.
"""
import json
import socket
import sys
import time
import urllib.request

port = int(sys.argv[1])
count = int(sys.argv[2]) if len(sys.argv) > 2 else 200
base = f"http://127.0.0.1:{port}"


def get(path):
    with urllib.request.urlopen(base + path, timeout=10) as response:
        return response.read().decode()


closed_at = {}
for i in range(count):
    rid = f"r{i}-{time.monotonic_ns()}"
    sock = socket.create_connection(("127.0.0.1", port))
    sock.sendall(f"GET /block?id={rid} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".encode())
    deadline = time.monotonic() + 10
    while get(f"/started?id={rid}") != "true":
        if time.monotonic() > deadline:
            raise SystemExit(f"request {rid} never started")
        time.sleep(0.005)
    # Past the watcher's grace period, as a slow query would be
    time.sleep(0.15)
    closed_at[rid] = time.monotonic_ns()
    sock.close()

time.sleep(1.5)
cancelled = json.loads(get("/cancelled"))
latencies = sorted((cancelled[rid] - t) / 1e6 for rid, t in closed_at.items() if rid in cancelled)
missed = count - len(latencies)


def percentile(values, p):
    if not values:
        return None
    k = max(0, min(len(values) - 1, int(round(p / 100.0 * len(values) + 0.5)) - 1))
    return round(values[k], 1)


print(json.dumps({"n": len(latencies), "missed": missed, "p50_ms": percentile(latencies, 50),
                  "p99_ms": percentile(latencies, 99), "max_ms": round(latencies[-1], 1) if latencies else None,
                  "min_ms": round(latencies[0], 1) if latencies else None}))
