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


# putting a finished file in place (layout.files.put_in_place): atomic, and cheap over an old file


def test_put_in_place_over_an_old_file_hands_back_the_old_one(tmp_path):
    from layout.files import put_in_place

    dest, tmp = tmp_path / "p01.pdf", tmp_path / ".p01.pdf.tmp"
    dest.write_bytes(b"old")
    tmp.write_bytes(b"new")
    swapped = put_in_place(tmp, dest)
    assert dest.read_bytes() == b"new"
    if swapped:  # (exchanged: the old file is under the temporary name, for the caller to remove)
        assert tmp.read_bytes() == b"old"
    else:
        assert not tmp.exists()


def test_put_in_place_of_a_new_file_and_without_exchange(tmp_path, monkeypatch):
    import layout.files as files

    dest, tmp = tmp_path / "new.pdf", tmp_path / ".new.pdf.tmp"
    tmp.write_bytes(b"first")
    assert files.put_in_place(tmp, dest) is False  # (nothing to exchange with)
    assert dest.read_bytes() == b"first" and not tmp.exists()
    monkeypatch.setattr(files, "_exchange_call", False)  # a C library or system without renameat2
    tmp.write_bytes(b"second")
    assert files.put_in_place(tmp, dest) is False
    assert dest.read_bytes() == b"second" and not tmp.exists()


def test_put_in_place_never_lets_a_reader_miss_the_file(tmp_path):
    """A reader opening the output while it is replaced again and again always finds a whole
    file, the old or the new (never no file, never a mixture)."""
    import threading

    from layout.files import put_in_place

    dest = tmp_path / "p.pdf"
    dest.write_bytes(b"A" * 4096)
    stop = threading.Event()
    seen: list = []

    def read():
        while not stop.is_set():
            try:
                data = dest.read_bytes()
            except FileNotFoundError:
                seen.append("missing")
                continue
            seen.append("whole" if data in (b"A" * 4096, b"B" * 4096) else "mixed")

    reader = threading.Thread(target=read)
    reader.start()
    try:
        for i in range(300):
            tmp = tmp_path / f".p.pdf.{i}.tmp"
            tmp.write_bytes((b"B" if i % 2 == 0 else b"A") * 4096)
            if put_in_place(tmp, dest):
                tmp.unlink()
    finally:
        stop.set()
        reader.join()
    assert seen and set(seen) == {"whole"}
    assert [p.name for p in tmp_path.iterdir()] == ["p.pdf"]


def test_a_pdf_written_over_the_last_one_leaves_no_second_name(tmp_path):
    """``written``: the previous PDF's blocks are freed in a thread, under the temporary name;
    nothing of it is left beside the output once the build's threads are done."""
    import threading

    from layout.output import written

    out = tmp_path / "page.pdf"
    for content in (b"%PDF-first", b"%PDF-second", b"%PDF-third"):
        with written(out) as tmp:
            tmp.write_bytes(content)
        assert out.read_bytes() == content
    for t in threading.enumerate():
        if t.name == "remove-old-output":
            t.join()
    assert [p.name for p in tmp_path.iterdir()] == ["page.pdf"]
