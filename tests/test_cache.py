"""The cache's housekeeping (layout.cache): whole-file writes, and pruning of what nobody used."""

from __future__ import annotations

import os
import time

import pytest

import layout.cache as cache


@pytest.fixture(autouse=True)
def fresh(monkeypatch):
    monkeypatch.setattr(cache, "_pruned", set())


def _age(path, days):
    t = time.time() - days * 86400
    os.utime(path, (t, t))


def test_prune_once_removes_only_old_matching_files(tmp_path):
    old, new, other = tmp_path / "a.ttf", tmp_path / "b.ttf", tmp_path / "c.sub"
    for f in (old, new, other):
        f.write_bytes(b"x")
    _age(old, cache.KEEP_DAYS + 1)
    _age(other, cache.KEEP_DAYS + 1)
    assert cache.prune_once(tmp_path, "*.ttf") == 1
    assert not old.exists() and new.exists() and other.exists()
    _age(new, cache.KEEP_DAYS + 1)
    assert cache.prune_once(tmp_path, "*.ttf") == 0  # once per process and folder
    assert new.exists()


def test_touch_refreshes_a_day_old_file_only(tmp_path):
    f = tmp_path / "x"
    f.write_bytes(b"x")
    _age(f, 0.5)
    before = f.stat().st_mtime
    cache.touch(f)
    assert f.stat().st_mtime == before  # used today already: no write
    _age(f, 3)
    cache.touch(f)
    assert f.stat().st_mtime > time.time() - 60
    cache.touch(tmp_path / "missing")  # nothing to do, no error


def test_atomic_write_leaves_no_temporary_on_failure(tmp_path, monkeypatch):
    def fail(*a, **k):
        raise OSError("disk full")

    monkeypatch.setattr(cache.os, "replace", fail)
    with pytest.raises(OSError):
        cache.atomic_write(tmp_path / "f.bin", b"data")
    assert list(tmp_path.iterdir()) == []
    assert cache.try_write(tmp_path / "f.bin", b"data") is False
