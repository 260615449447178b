"""`broadsheet watch` rebuilds after a save and keeps the last good PDF after a bad one."""

import os
import re
import shutil
import threading
import time

from layout.build import BuildOptions
from layout.watch import watch


def test_watch_rebuilds_after_save(tmp_path, root):
    page = tmp_path / "page"
    shutil.copytree(root / "images", page / "images")
    content = page / "content.yaml"
    text = (root / "content.yaml").read_text(encoding="utf-8")
    content.write_text(text, encoding="utf-8")
    out = page / "out.pdf"
    messages: list[str] = []
    t = threading.Thread(target=watch, args=(content, BuildOptions(output=out, proof=True)),
                         kwargs={"say": messages.append, "stop_after": 2}, daemon=True)
    t.start()
    deadline = time.time() + 60
    while not any("watching" in m for m in messages) and time.time() < deadline:
        time.sleep(0.05)
    first = out.read_bytes()
    time.sleep(0.3)
    content.write_text(text.replace("page: 3", "page: 5"), encoding="utf-8")  # a save
    while sum("built" in m for m in messages) < 2 and time.time() < deadline:
        time.sleep(0.05)
    assert sum("built" in m for m in messages) == 2, messages
    built = next(m for m in messages if "built" in m)
    assert re.match(r"\[watch\] \d\d:\d\d:\d\d built .* in \d+ ms", built), built  # the time and the build's time
    assert any("underset: article 'main'" in m and "more characters" in m for m in messages), messages
    second = out.read_bytes()
    assert second != first
    time.sleep(0.3)
    content.write_text(text.replace("    byline:", "    bylin:"), encoding="utf-8")  # a bad save
    t.join(timeout=60)
    assert not t.is_alive()
    assert any("unknown key `bylin`" in m for m in messages), messages
    assert out.read_bytes() == second


def test_watch_open_opens_the_pdf_once(tmp_path, root, monkeypatch):
    page = tmp_path / "page"
    shutil.copytree(root / "images", page / "images")
    content = page / "content.yaml"
    text = (root / "content.yaml").read_text(encoding="utf-8")
    content.write_text(text, encoding="utf-8")
    bin_ = tmp_path / "bin"
    bin_.mkdir()
    opened = tmp_path / "opened.txt"
    fake = bin_ / "xdg-open"  # the desktop's opener, standing in
    fake.write_text(f"#!/bin/sh\necho \"$1\" >> {opened}\n", encoding="utf-8")
    fake.chmod(0o755)
    monkeypatch.setenv("PATH", f"{bin_}:{os.environ['PATH']}")
    out = page / "out.pdf"
    messages: list[str] = []
    t = threading.Thread(target=watch, args=(content, BuildOptions(output=out, proof=True)),
                         kwargs={"say": messages.append, "stop_after": 1, "open_viewer": True}, daemon=True)
    t.start()
    deadline = time.time() + 60
    while not any("watching" in m for m in messages) and time.time() < deadline:
        time.sleep(0.05)
    time.sleep(0.3)
    content.write_text(text.replace("page: 3", "page: 5"), encoding="utf-8")
    t.join(timeout=60)
    assert not t.is_alive()
    while not opened.exists() and time.time() < deadline:
        time.sleep(0.05)
    assert opened.read_text().split() == [str(out)]  # once, after the first build only
    assert any(m.startswith(f"[watch] opened {out} with xdg-open") for m in messages), messages
