"""The cache's SQLite databases (layout/records.py) shared by processes: an edition's workers
open a database nobody has made yet at the same moment, and write into it side by side."""

from __future__ import annotations

import multiprocessing
import sqlite3

from layout.cache import take_notes
from layout.records import BlobStore, RecordStore


def _worker(folder: str, k: int, out) -> None:
    """Open both kinds of store at once with the other workers, write, flush, read back."""
    from pathlib import Path

    take_notes()
    records = RecordStore(Path(folder) / "compose")
    blobs = BlobStore(Path(folder) / "parts", "parts")
    for i in range(20):
        records.write(f"{k:02d}{i:038d}", ".para", {"worker": k, "i": i})
        blobs.write(f"part-{k}-{i}", bytes([k, i]) * 500)
    written = records.flush()
    back = [records.read(f"{k:02d}{i:038d}", ".para") for i in range(20)]
    parts = [blobs.read(f"part-{k}-{i}") for i in range(20)]
    ok = written == 20 and all(b == {"worker": k, "i": i} for i, b in enumerate(back)) and \
        all(p == bytes([k, i]) * 500 for i, p in enumerate(parts))
    out.put((k, ok, [m for _, m in take_notes()]))


def test_workers_make_and_share_a_new_database(tmp_path):
    ctx = multiprocessing.get_context("fork")
    for round_ in range(6):
        folder = tmp_path / f"cache{round_}"
        out = ctx.Queue()
        procs = [ctx.Process(target=_worker, args=(str(folder), k, out)) for k in range(4)]
        for p in procs:
            p.start()
        results = [out.get(timeout=60) for _ in procs]
        for p in procs:
            p.join(timeout=60)
            assert p.exitcode == 0
        assert all(ok for _, ok, _ in results), results
        assert all(not notes for _, _, notes in results), results  # (no database taken for damaged)
        with sqlite3.connect(folder / "compose" / "records.sqlite") as db:
            assert db.execute("SELECT count(*) FROM entries").fetchone()[0] == 80
        with sqlite3.connect(folder / "parts" / "parts.sqlite") as db:
            assert db.execute("SELECT count(*) FROM entries").fetchone()[0] == 80
        assert not [f for f in folder.rglob("*.tmp")]  # (the temporary databases are gone)


def _child_writes(store, out) -> None:
    """In a forked process: write through the store object the parent made and used."""
    store.write("c" * 40, ".para", {"from": "child"})
    out.put(store.flush())


def test_a_store_inherited_across_a_fork_writes_the_childs_records(tmp_path):
    """An edition's workers are forked from a driver whose stores may already be open: a
    worker's records are written by the worker, over its own connection."""
    ctx = multiprocessing.get_context("fork")
    store = RecordStore(tmp_path / "compose")
    store.write("p" * 40, ".para", {"from": "parent"})
    assert store.flush() == 1  # (the parent's connection is open now)
    store.write("h" * 40, ".para", {"held": "by the parent, not the child's to write"})
    out = ctx.Queue()
    child = ctx.Process(target=_child_writes, args=(store, out))
    child.start()
    assert out.get(timeout=60) == 1
    child.join(timeout=60)
    assert child.exitcode == 0
    fresh = RecordStore(tmp_path / "compose")
    assert fresh.read("c" * 40, ".para") == {"from": "child"}
    assert fresh.read("p" * 40, ".para") == {"from": "parent"}
    assert fresh.read("h" * 40, ".para") is None  # (still only held by the parent)
    assert store.flush() == 1 and fresh.read("h" * 40, ".para") is not None


def test_records_keep_their_values_whatever_writes_them(tmp_path):
    """Records are written by msgspec's encoder, and by the json module when msgspec would blur
    a value (NaN and infinities become null there): each reads back as it was given, and a
    record an earlier build wrote with the json module reads too."""
    import json
    import math

    store = RecordStore(tmp_path)
    plain = {"lines": [["中文 text", [0.0, 10.5, 1e-05], [10.5, 9.25, 3.0], 123.4, True, 0.0, False, [0, 3],
                        False, 1.0]], "audit": {"lines": 1, "overlaps": 0}}
    odd = {"lines": [[float("nan"), float("inf"), -float("inf"), None, "null"]]}
    store.write("a" * 40, ".para", plain)
    store.write("b" * 40, ".para", odd)
    store.db.hold(f"{'c' * 40}.{RecordStore.FORMAT}.para", json.dumps(plain, ensure_ascii=True).encode())
    assert store.flush() == 3
    back = RecordStore(tmp_path)
    assert back.read("a" * 40, ".para") == plain
    got = back.read("b" * 40, ".para")["lines"][0]
    assert math.isnan(got[0]) and got[1:] == [float("inf"), -float("inf"), None, "null"]
    assert back.read("c" * 40, ".para") == plain
    assert back.read("d" * 40, ".para") is None


def test_the_collector_is_tuned_for_a_build_and_never_made_more_eager():
    import gc

    from layout.collector import YOUNG, tune

    saved = gc.get_threshold()
    try:
        gc.set_threshold(700, 10, 10)
        tune()
        assert gc.get_threshold() == (YOUNG, 10, 10)
        gc.set_threshold(YOUNG * 5, 3, 4)
        tune()
        assert gc.get_threshold() == (YOUNG * 5, 3, 4)  # a caller's own, lazier policy stays
        gc.set_threshold(0)  # (the collector switched off by threshold: left so)
        tune()
        assert gc.get_threshold()[0] == 0
    finally:
        gc.set_threshold(*saved)
