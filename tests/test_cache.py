"""The cache's housekeeping (layout.cache): whole-file writes, and pruning of what nobody used."""

from __future__ import annotations

import os
import time

import pytest

import layout.cache as cache


@pytest.fixture(autouse=True)
def fresh(monkeypatch):
    monkeypatch.setattr(cache, "_pruned", set())
    monkeypatch.setattr(cache, "PRUNE_EVERY", 0.0)  # (each "process" of a test may scan)


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


def test_a_folder_is_scanned_once_a_day_whatever_the_processes(tmp_path, monkeypatch):
    """A rebuild writes to the memo every time an editor changes a paragraph; scanning a folder
    of thousands of files each time would cost more than the rebuild, so a stamp in the folder
    spaces the scans."""
    monkeypatch.setattr(cache, "PRUNE_EVERY", 86400.0)
    first, later = tmp_path / "a.ttf", tmp_path / "b.ttf"
    first.write_bytes(b"x")
    _age(first, cache.KEEP_DAYS + 1)
    assert cache.prune_once(tmp_path, "*.ttf") == 1  # the first scan
    later.write_bytes(b"x")
    _age(later, cache.KEEP_DAYS + 1)
    cache.forget_pruned()  # another process, the same day
    assert cache.prune_once(tmp_path, "*.ttf") == 0 and later.exists()
    for stamp in tmp_path.glob(".pruned-*"):
        _age(stamp, 1.01)  # a day later
    cache.forget_pruned()
    assert cache.prune_once(tmp_path, "*.ttf") == 1 and not later.exists()


def test_a_stamp_from_the_future_does_not_stop_pruning(tmp_path, monkeypatch):
    """A cache restored with its dates, or a clock set back, must not leave old files forever;
    and a folder that does not exist is not made just to hold a stamp."""
    monkeypatch.setattr(cache, "PRUNE_EVERY", 86400.0)
    old = tmp_path / "a.ttf"
    old.write_bytes(b"x")
    _age(old, cache.KEEP_DAYS + 1)
    stamp = tmp_path / f".pruned-{__import__('zlib').crc32(b'*.ttf'):08x}"
    stamp.write_bytes(b"*.ttf")
    _age(stamp, -10)  # ten days ahead
    assert cache.prune_once(tmp_path, "*.ttf") == 1 and not old.exists()
    assert cache.prune_once(tmp_path / "nowhere", "*.ttf") == 0 and not (tmp_path / "nowhere").exists()


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
