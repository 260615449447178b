"""Starting `broadsheet serve` for a test: on 127.0.0.1, on a free port, as a process of its own
that the test stops (by its pid); and the chromium the set-up installs, for Playwright."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = ("/usr/bin/chromium", "/usr/bin/chromium-browser")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def served(*args: str, cwd: Path | None = None, env: dict | None = None, wait: float = 120.0):
    """``broadsheet serve ARGS --port P`` running; yields its base URL; stopped afterwards."""
    port = free_port()
    log = open(Path(os.environ.get("TMPDIR", "/tmp")) / f"broadsheet-serve-{port}.log", "w+")
    proc = subprocess.Popen([sys.executable, "-m", "layout", "serve", *args, "--port", str(port)],
                            cwd=cwd or ROOT, stdout=log, stderr=subprocess.STDOUT, env=env or os.environ.copy())
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + wait
        while True:
            if proc.poll() is not None:
                log.seek(0)
                pytest.fail(f"broadsheet serve exited with {proc.returncode}:\n{log.read()}")
            try:
                if httpx.get(url + "/health", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                pytest.fail("broadsheet serve did not answer /health in time")
            time.sleep(0.1)
        yield url
    finally:
        if proc.poll() is None:
            proc.send_signal(signal.SIGINT)
            try:
                proc.wait(15)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(5)
        log.close()


def chromium() -> str:
    """Debian's chromium, which scripts/setup.sh installs: a test that needs it fails (never
    skips) when it is missing."""
    for path in CHROMIUM:
        if Path(path).exists():
            return path
    found = shutil.which("chromium")
    if found:
        return found
    pytest.fail("chromium is missing: run `make setup` (scripts/setup.sh installs Debian's chromium for the browser tests)")


def wait_until(condition, timeout: float = 30.0, step: float = 0.05):
    """Poll ``condition`` until it returns something true (returned), or fail after ``timeout``."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(step)
    pytest.fail(f"condition not met within {timeout} s")


def page_form(folder: Path, content: str | None = None) -> list:
    """The multipart files of a page folder for POST /build: `content` and its images by path."""
    files = [("content", ("content.yaml", (content if content is not None else (folder / "content.yaml").read_text(encoding="utf-8")).encode("utf-8"), "application/x-yaml"))]
    for img in sorted((folder / "images").glob("*.jpg")):
        files.append((f"images/{img.name}", (img.name, img.read_bytes(), "image/jpeg")))
    return files
