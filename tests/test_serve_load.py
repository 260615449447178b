"""A short load test of the API (tools/loadtest.py; `make loadtest` runs the long one and prints
its figures): concurrent clients for a few seconds, and no build failed or lost. Latency and
memory are printed, never asserted."""

import sys

from serve_support import ROOT

sys.path.insert(0, str(ROOT / "tools"))

import loadtest  # noqa: E402


def test_concurrent_clients_lose_no_build():
    result = loadtest.run(clients=4, seconds=8, jobs=2, queue=2, quiet=True)
    print(f"\nshort load test: {result}")
    assert result["failed"] == 0 and result["lost"] == 0, result
    assert result["built"] >= 4, result
    assert result["server"]["failed"] == 0 and result["server"]["timeouts"] == 0
