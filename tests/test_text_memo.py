"""The paragraph memo (layout.text.memo): a memoised composition is exactly the fresh one, it
is reused only for the same text, measure, style and face file, and callers cannot spoil it."""

from __future__ import annotations

import time

import pytest
from msgspec.structs import replace
from hypothesis import given, settings
from hypothesis import strategies as st

from layout.records import RecordStore
from layout.text import compose_paragraph, memo
from layout.text.api import ParagraphStyle
from layout.text.audit import audit_uncached
from layout.text.paragraphs import audit_lines
from layout.text.compose import compose_uncached

from test_text_support import SIZE, FakeMetrics


class KeyedMetrics(FakeMetrics):
    """Fake advances with a face identity, as FaceMetrics has (a font file's path+mtime+size)."""

    def __init__(self, key: str):
        super().__init__()
        self.key = key


FACE = KeyedMetrics("face-a")
STYLE = ParagraphStyle(size=SIZE)
TEXT = "城市品牌，也叫城市IP，是城市综合实力的体现。近来，株洲高新区坚定不移构建产业生态，深入实施“强链、延链、补链”工程。"

han = st.text(alphabet="株洲高新区天元城市品牌也叫创造吸引影响，。、“”（）AI 2024", min_size=1, max_size=120)


@settings(max_examples=60, deadline=None)
@given(text=han, width=st.integers(min_value=6, max_value=30))
def test_memoised_equals_fresh(text, width):
    measure = width * SIZE
    first = compose_paragraph(text, measure, STYLE, FACE)
    again = compose_paragraph(text, measure, STYLE, FACE)
    fresh = compose_uncached(text, measure, STYLE, FACE)
    assert first == fresh and again == fresh
    assert audit_lines(again, measure, STYLE, FACE) == audit_uncached(fresh, measure, STYLE, FACE)


def test_reused_only_for_the_same_key():
    memo.clear()
    a = compose_paragraph(TEXT, 20 * SIZE, STYLE, FACE)
    assert compose_paragraph(TEXT, 20 * SIZE, STYLE, FACE)[0] is a[0]  # the same frozen line: reused
    assert compose_paragraph(TEXT, 19 * SIZE, STYLE, FACE)[0] is not a[0]  # another measure
    assert compose_paragraph(TEXT, 20 * SIZE, replace(STYLE, indent=0), FACE)[0] is not a[0]  # another style
    assert compose_paragraph(TEXT, 20 * SIZE, STYLE, KeyedMetrics("face-a, edited"))[0] is not a[0]  # font changed
    assert compose_paragraph(TEXT + "。", 20 * SIZE, STYLE, FACE)[0] is not a[0]  # another text


def test_faces_without_identity_are_not_memoised():
    plain = FakeMetrics()
    a = compose_paragraph(TEXT, 20 * SIZE, STYLE, plain)
    b = compose_paragraph(TEXT, 20 * SIZE, STYLE, plain)
    assert a == b and a[0] is not b[0]


def test_callers_get_their_own_list_and_audit():
    lines = compose_paragraph(TEXT, 20 * SIZE, STYLE, FACE)
    lines.clear()  # a caller that edits its list
    assert compose_paragraph(TEXT, 20 * SIZE, STYLE, FACE)  # the memo still holds the lines
    lines = compose_paragraph(TEXT, 20 * SIZE, STYLE, FACE)
    counts = audit_lines(lines, 20 * SIZE, STYLE, FACE)
    counts["lines"] = -1
    assert audit_lines(lines, 20 * SIZE, STYLE, FACE)["lines"] == len(lines)


def test_bounded(monkeypatch):
    memo.clear()
    monkeypatch.setattr(memo, "LIMIT", 5)
    for i in range(12):
        compose_paragraph(TEXT[: 10 + i], 20 * SIZE, STYLE, FACE)
    assert memo.size() == 5


def _suffixes(folder) -> list[str]:
    """The kinds of record the store in ``folder`` holds (written by a flush)."""
    import sqlite3

    memo.flush()
    with sqlite3.connect(folder / "records.sqlite") as db:
        return sorted("." + name.rsplit(".", 1)[1] for (name,) in db.execute("SELECT name FROM entries"))


def test_disk_memo_serves_a_new_process(tmp_path, monkeypatch):
    """With a folder, composed lines and their audit outlive the process (here: a cleared memory
    memo); what comes back equals a fresh composition, and a changed composer (code digest)
    does not read old files."""
    memo.clear()
    memo.use_store(RecordStore(tmp_path))
    try:
        fresh = compose_paragraph(TEXT, 20 * SIZE, STYLE, FACE)
        audit = audit_lines(fresh, 20 * SIZE, STYLE, FACE)
        assert _suffixes(tmp_path) == [".audit", ".lines"]

        memo.clear()  # as a new process would start

        def refuse(*a, **k):
            raise AssertionError("composed again")

        monkeypatch.setattr("layout.text.compose.compose_uncached", refuse)
        monkeypatch.setattr("layout.text.audit.audit_uncached", refuse)
        again = compose_paragraph(TEXT, 20 * SIZE, STYLE, FACE)
        assert again == fresh
        assert audit_lines(again, 20 * SIZE, STYLE, FACE) == audit

        memo.clear()
        monkeypatch.setattr(memo, "_code", "another composer")
        with pytest.raises(AssertionError, match="composed again"):
            compose_paragraph(TEXT, 20 * SIZE, STYLE, FACE)
    finally:
        memo.use_store(None)
        memo.clear()


def test_disk_memo_survives_damaged_records(tmp_path):
    """A record changed in the database is a miss and a cache-damaged note, never the lines it
    claims to hold; the next store composes and writes it again."""
    import sqlite3

    from layout.cache import take_notes

    memo.clear()
    memo.use_store(RecordStore(tmp_path))
    try:
        fresh = compose_paragraph(TEXT, 20 * SIZE, STYLE, FACE)
        memo.flush()
        with sqlite3.connect(tmp_path / "records.sqlite") as db:
            db.execute("UPDATE entries SET body = substr(body, 1, 60) || '{not json'")
        take_notes()
        memo.clear()
        memo.use_store(RecordStore(tmp_path))
        assert compose_paragraph(TEXT, 20 * SIZE, STYLE, FACE) == fresh
        notes = [m for code, m in take_notes() if code == "cache-damaged"]
        assert notes and all("records.sqlite" in m for m in notes), notes
        assert memo.flush() is None and _suffixes(tmp_path) == [".lines"]  # (written again)
    finally:
        memo.use_store(None)
        memo.clear()


@pytest.mark.parametrize("what", ["garbage", "empty", "folder", "fifo"])
def test_disk_memo_survives_a_damaged_database(tmp_path, what):
    """Whatever stands where the database should be (another file's bytes, a folder, a FIFO that
    would block a reader), composition goes on and a later store has a working database."""
    import os

    from layout.cache import take_notes

    db = tmp_path / "records.sqlite"
    if what == "garbage":
        db.write_bytes(b"not a database at all " * 200)
    elif what == "empty":  # (SQLite would take it for a new database)
        db.write_bytes(b"")
    elif what == "folder":
        (db / "x").mkdir(parents=True)
    else:
        os.mkfifo(db)
    memo.clear()
    take_notes()
    memo.use_store(RecordStore(tmp_path))
    try:
        fresh = compose_paragraph(TEXT, 20 * SIZE, STYLE, FACE)
        memo.flush()
        assert any(code == "cache-damaged" and "records.sqlite" in m for code, m in take_notes())
        assert db.is_file() and _suffixes(tmp_path) == [".lines"]
        memo.clear()
        memo.use_store(RecordStore(tmp_path))
        assert compose_paragraph(TEXT, 20 * SIZE, STYLE, FACE) == fresh
        assert take_notes() == []
    finally:
        memo.use_store(None)
        memo.clear()


def test_disk_memo_prunes_what_is_not_used(tmp_path, monkeypatch):
    """Records unread for KEEP_DAYS go at a flush; a record read since is kept (its day renewed)."""
    import sqlite3

    import layout.cache

    monkeypatch.setattr(layout.cache, "PRUNE_EVERY", 0.0)  # (each flush here may prune)
    memo.clear()
    memo.use_store(RecordStore(tmp_path))
    try:
        compose_paragraph(TEXT, 20 * SIZE, STYLE, FACE)
        compose_paragraph(TEXT + "另一段。", 20 * SIZE, STYLE, FACE)
        memo.flush()
        long_ago = int(time.time() // 86400) - layout.cache.KEEP_DAYS - 1
        with sqlite3.connect(tmp_path / "records.sqlite") as db:
            db.execute("UPDATE entries SET used = ?", (long_ago,))
        memo.clear()
        memo.use_store(RecordStore(tmp_path))
        compose_paragraph(TEXT, 20 * SIZE, STYLE, FACE)  # a read: renews its record's day
        compose_paragraph(TEXT + "第三段。", 20 * SIZE, STYLE, FACE)  # a write
        memo.flush()  # (prunes)
        with sqlite3.connect(tmp_path / "records.sqlite") as db:
            days = sorted(used for (used,) in db.execute("SELECT used FROM entries"))
        assert len(days) == 2 and long_ago not in days  # (the unread one went)
    finally:
        memo.use_store(None)
        memo.clear()


def test_a_paragraph_composed_and_audited_is_one_record(tmp_path, monkeypatch):
    """compose_audited (what an article does with each paragraph) keeps the lines and their audit
    in one record; a new process gets both from it without composing or auditing."""
    from layout.text.paragraphs import compose_audited

    memo.clear()
    memo.use_store(RecordStore(tmp_path))
    try:
        lines, audit = compose_audited(TEXT, 20 * SIZE, STYLE, FACE)
        assert lines == compose_paragraph(TEXT, 20 * SIZE, STYLE, FACE)
        assert audit == audit_lines(lines, 20 * SIZE, STYLE, FACE)
        assert _suffixes(tmp_path) == [".para"]
        memo.clear()

        def refuse(*a, **k):
            raise AssertionError("composed again")

        monkeypatch.setattr("layout.text.compose.compose_uncached", refuse)
        monkeypatch.setattr("layout.text.audit.audit_uncached", refuse)
        again, audit_again = compose_audited(TEXT, 20 * SIZE, STYLE, FACE)
        assert (again, audit_again) == (lines, audit)
        assert audit_lines(again, 20 * SIZE, STYLE, FACE) == audit  # (the lines handed out: audited already)
    finally:
        memo.use_store(None)
        memo.clear()
