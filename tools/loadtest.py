"""Load test of `broadsheet serve`'s API: concurrent clients POST the seed page for a while.

Starts `broadsheet serve --api-only` on 127.0.0.1 (a free port), runs CLIENTS clients for
SECONDS, each posting the seed page (content.yaml and its three photos, the folio's page number
varied) and asking for the PDF, retrying after a 429 as its Retry-After says. Prints the latency
of answered builds (median, p90, p99, max, from the request's first try), how many were built,
refused as busy, failed or lost (no answer), and the server's memory (its process and its
workers, resident) sampled through the run. Nothing here is asserted except by the caller:
`make loadtest` prints the figures, tests/test_serve_load.py runs a short one and checks that no
build failed or was lost.

    python tools/loadtest.py [--clients 6] [--seconds 60] [--jobs N] [--format pdf|json|png]
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _rss_kib(pid: int) -> int:
    """Resident memory of a process and all its descendants (KiB), from /proc."""
    total, todo, seen = 0, [pid], set()
    while todo:
        p = todo.pop()
        if p in seen:
            continue
        seen.add(p)
        try:
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
            for task in Path(f"/proc/{p}/task").iterdir():
                todo += [int(c) for c in (task / "children").read_text().split()]
        except (FileNotFoundError, ProcessLookupError, PermissionError):
            continue
    return total


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    s = sorted(values)
    k = max(0, min(len(s) - 1, round(q / 100 * (len(s) - 1))))
    return s[k]


def run(clients: int = 6, seconds: float = 60.0, jobs: int | None = None, fmt: str = "pdf", queue: int = 8,
        quiet: bool = False) -> dict:
    port = _port()
    url = f"http://127.0.0.1:{port}"
    args = [sys.executable, "-m", "layout", "serve", "--api-only", "--port", str(port), "--queue", str(queue)]
    if jobs:
        args += ["--jobs", str(jobs)]
    server = subprocess.Popen(args, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    text = (ROOT / "content.yaml").read_text(encoding="utf-8")
    images = [(f"images/{p.name}", (p.name, p.read_bytes(), "image/jpeg")) for p in sorted((ROOT / "images").glob("*.jpg"))]
    latencies: list[float] = []
    counts = {"built": 0, "busy": 0, "failed": 0, "lost": 0, "refused": 0}
    memory: list[int] = []
    lock = threading.Lock()
    stop = threading.Event()
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                health = httpx.get(url + "/health", timeout=2)
                if health.status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if server.poll() is not None or time.monotonic() > deadline:
                raise SystemExit(f"the server did not start: {server.stderr.read().decode() if server.stderr else ''}")
            time.sleep(0.1)
        # one build first, so that workers' first-build costs do not count as load
        warm = httpx.post(url + "/build", files=[("content", ("content.yaml", text.encode(), "text/yaml"))] + images,
                          params={"format": fmt}, timeout=300)
        if warm.status_code != 200:
            raise SystemExit(f"the warm-up build failed: {warm.status_code} {warm.text[:500]}")
        memory.append(_rss_kib(server.pid))
        t_end = time.monotonic() + seconds

        def client(n: int) -> None:
            with httpx.Client(timeout=120) as http:
                i = 0
                while time.monotonic() < t_end:
                    i += 1
                    page = text.replace("page: 3", f"page: {(n * 1000 + i) % 99 + 1}", 1)
                    files = [("content", ("content.yaml", page.encode(), "text/yaml"))] + images
                    t0 = time.monotonic()
                    while True:
                        try:
                            r = http.post(url + "/build", files=files, params={"format": fmt})
                        except httpx.HTTPError:
                            with lock:
                                counts["lost"] += 1
                            break
                        if r.status_code == 429:
                            with lock:
                                counts["busy"] += 1
                            time.sleep(min(float(r.headers.get("retry-after", "1")), 2.0))
                            continue
                        with lock:
                            if r.status_code == 200 and (fmt != "pdf" or r.content[:5] == b"%PDF-"):
                                counts["built"] += 1
                                latencies.append(time.monotonic() - t0)
                            elif r.status_code == 422:
                                counts["refused"] += 1
                            else:
                                counts["failed"] += 1
                        break

        def sample() -> None:
            while not stop.wait(1.0):
                memory.append(_rss_kib(server.pid))

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
        t0 = time.monotonic()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        elapsed = time.monotonic() - t0
        stop.set()
        sampler.join()
        memory.append(_rss_kib(server.pid))
        health = httpx.get(url + "/health", timeout=5).json()
    finally:
        stop.set()
        if server.poll() is None:
            server.send_signal(signal.SIGINT)
            try:
                server.wait(20)
            except subprocess.TimeoutExpired:
                server.kill()
    third = max(1, len(memory) // 3)
    result = {
        "clients": clients, "seconds": round(elapsed, 1), "jobs": health["jobs"], "format": fmt, **counts,
        "builds_per_second": round(counts["built"] / elapsed, 2),
        "latency_ms": {"p50": round(percentile(latencies, 50) * 1000), "p90": round(percentile(latencies, 90) * 1000),
                       "p99": round(percentile(latencies, 99) * 1000),
                       "max": round(max(latencies) * 1000) if latencies else None,
                       "mean": round(statistics.fmean(latencies) * 1000) if latencies else None},
        "memory_mib": {"start": round(memory[0] / 1024), "end": round(memory[-1] / 1024),
                       "max": round(max(memory) / 1024),
                       "first_third_median": round(statistics.median(memory[:third]) / 1024),
                       "last_third_median": round(statistics.median(memory[-third:]) / 1024)},
        "server": {k: health[k] for k in ("done", "failed", "timeouts", "restarts")},
    }
    if not quiet:
        lat, mem = result["latency_ms"], result["memory_mib"]
        print(f"load test: {clients} clients for {result['seconds']} s against {result['jobs']} build workers "
              f"(POST /build?format={fmt}, the seed page and its 3 photos)")
        print(f"  builds: {counts['built']} built ({result['builds_per_second']}/s), {counts['busy']} answered 429 and "
              f"retried, {counts['failed']} failed, {counts['lost']} lost, {counts['refused']} refused")
        print(f"  latency: p50 {lat['p50']} ms, p90 {lat['p90']} ms, p99 {lat['p99']} ms, max {lat['max']} ms")
        print(f"  memory (server and workers, resident): start {mem['start']} MiB, end {mem['end']} MiB, max {mem['max']} MiB; "
              f"median of the first third {mem['first_third_median']} MiB, of the last third {mem['last_third_median']} MiB")
    return result


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--clients", type=int, default=6)
    ap.add_argument("--seconds", type=float, default=60)
    ap.add_argument("--jobs", type=int, default=None)
    ap.add_argument("--queue", type=int, default=8)
    ap.add_argument("--format", default="pdf", choices=["pdf", "json", "png"])
    ap.add_argument("--json", action="store_true", help="print the figures as JSON too")
    a = ap.parse_args(argv)
    result = run(a.clients, a.seconds, a.jobs, a.format, a.queue)
    if a.json:
        print(json.dumps(result, indent=2))
    return 0 if result["failed"] == 0 and result["lost"] == 0 else 1


if __name__ == "__main__":
    os.environ.setdefault("SOURCE_DATE_EPOCH", "1730332800")
    sys.exit(main())
