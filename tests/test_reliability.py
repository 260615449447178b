"""A build that is killed or interrupted never damages the previous PDF, and leaves nothing behind;
the same input gives the same bytes, dated by SOURCE_DATE_EPOCH."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pikepdf
import pytest

PY = sys.executable


@pytest.fixture()
def page(seed_copy):
    return seed_copy


def _build(page, out, env=None):
    return subprocess.run([PY, "-m", "layout", "build", str(page / "content.yaml"), "-o", str(out), "-q"],
                          capture_output=True, text=True, env=env)


@pytest.mark.parametrize("delay", [0.3, 0.6, 0.9])
@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGINT])
def test_interrupted_build_keeps_previous_pdf(page, sig, delay):
    out = page / "page.pdf"
    assert _build(page, out).returncode == 0
    before = out.read_bytes()
    # a different page now, so a finished build changes the file; what it would write:
    text = (page / "content.yaml").read_text(encoding="utf-8")
    (page / "content.yaml").write_text(text.replace("page: 3", "page: 5"), encoding="utf-8")
    (page / "ref").mkdir()
    assert _build(page, page / "ref" / out.name).returncode == 0
    new = (page / "ref" / out.name).read_bytes()
    proc = subprocess.Popen([PY, "-m", "layout", "build", str(page / "content.yaml"), "-o", str(out), "-q"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    time.sleep(delay)
    proc.send_signal(sig)
    _, err = proc.communicate(timeout=60)
    after = out.read_bytes()
    # the old file or the whole new one, never anything in between
    assert after in (before, new)
    if proc.returncode == 0:
        assert after == new
    else:
        assert "Traceback" not in err
        if sig == signal.SIGINT:
            assert proc.returncode in (130, -signal.SIGINT)
            assert not list(page.glob(".*.tmp"))
    # whatever a killed build left behind, the next build clears it
    assert _build(page, out).returncode == 0
    assert not list(page.glob(".*.tmp"))


def test_source_date_epoch_sets_the_dates(page):
    dates = []
    for epoch in ("1700000000", "1730332800"):
        out = page / f"p{epoch}.pdf"
        env = {**os.environ, "SOURCE_DATE_EPOCH": epoch}
        assert _build(page, page / "x.pdf", env=env).returncode == 0
        os.replace(page / "x.pdf", out)
        with pikepdf.open(out) as pdf:
            dates.append(str(pdf.docinfo["/CreationDate"]))
    assert dates[0].startswith("D:20231114") and dates[1].startswith("D:20241031")


def test_same_input_same_bytes_across_processes(page):
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1730332800", "PYTHONHASHSEED": "1"}
    assert _build(page, page / "a.pdf", env=env).returncode == 0
    first = (page / "a.pdf").read_bytes()
    env["PYTHONHASHSEED"] = "2"
    assert _build(page, page / "a.pdf", env=env).returncode == 0
    assert (page / "a.pdf").read_bytes() == first
