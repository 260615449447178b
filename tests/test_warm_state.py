"""What a build keeps for the next one (issue 21): composed parts of pages stored for the next
process (layout/partstore.py), parts and glyph runs kept in the process for `watch`, and the
preview's tiles kept across builds where nothing changed. Each must give exactly what a build
from nothing gives."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from layout.build import BuildOptions, build

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def page(tmp_path) -> Path:
    folder = tmp_path / "page"
    folder.mkdir()
    shutil.copytree(ROOT / "images", folder / "images")
    shutil.copy(ROOT / "content.yaml", folder / "content.yaml")
    return folder / "content.yaml"


def _forget_the_process(monkeypatch) -> None:
    """As a new process would start: no part, run or paragraph remembered in memory."""
    import layout.compose.page as page_mod
    from layout.text import memo

    monkeypatch.setattr(page_mod, "_PARTS", {})
    memo.clear()


def _report(r) -> dict:
    d = r.to_dict()
    for k in ("seconds", "timings", "output"):
        d.pop(k, None)
    return d


def test_stored_parts_give_the_same_pdf_and_report(page, tmp_path, monkeypatch):
    """A second process reads every part of the unchanged page from the store, composes nothing,
    and writes the same bytes and the same report; damaged part files are passed over."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    cache = tmp_path / "cache"
    outs = [tmp_path / d / "page.pdf" for d in "abc"]
    for o in outs:
        o.parent.mkdir()
    _forget_the_process(monkeypatch)
    first = build(page, BuildOptions(output=outs[0], cache_dir=cache))
    store = cache / "parts" / "parts.sqlite"
    with sqlite3.connect(store) as db:
        parts = [name for (name,) in db.execute("SELECT name FROM entries")]
    assert len(parts) >= 3  # (the folio, the stories, the ad)

    _forget_the_process(monkeypatch)
    import layout.compose.article

    def refuse(*a, **k):
        raise AssertionError("composed although the part was stored")

    with monkeypatch.context() as m:
        m.setattr(layout.compose.article, "compose_article", refuse)
        second = build(page, BuildOptions(output=outs[1], cache_dir=cache))
    assert outs[1].read_bytes() == outs[0].read_bytes()
    assert _report(second) == _report(first)

    with sqlite3.connect(store) as db:  # every part cut short: thrown away with a note, composed again
        db.execute("UPDATE entries SET body = substr(body, 1, length(body) - 7)")
    _forget_the_process(monkeypatch)
    third = build(page, BuildOptions(output=outs[2], cache_dir=cache))
    assert outs[2].read_bytes() == outs[0].read_bytes()
    report = _report(third)
    damaged = [f for f in report["findings"] if f.get("code") == "cache-damaged"]
    assert sorted(parts) == sorted(next(p for p in parts if f"entry {p}:" in f["message"]) for f in damaged)
    assert all(str(store) in f["message"] for f in damaged)
    report["findings"] = [f for f in report["findings"] if f.get("code") != "cache-damaged"]
    assert report == _report(first)


def test_a_rebuild_after_an_edit_is_the_build_of_the_edited_page(page, tmp_path, monkeypatch):
    """In one process (watch), a rebuild after an edit reuses the unchanged stories and the
    runs it drew before: its PDF and report are those of a fresh build of the edited page."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    (tmp_path / "live").mkdir()
    (tmp_path / "fresh").mkdir()
    _forget_the_process(monkeypatch)
    build(page, BuildOptions(output=tmp_path / "live" / "page.pdf", cache_dir=tmp_path / "cache"))
    text = page.read_text(encoding="utf-8")
    page.write_text(text.replace("天元区发布", "天元区发布株洲高新区", 1), encoding="utf-8")
    live = build(page, BuildOptions(output=tmp_path / "live" / "page.pdf", cache_dir=tmp_path / "cache"))
    _forget_the_process(monkeypatch)
    fresh = build(page, BuildOptions(output=tmp_path / "fresh" / "page.pdf", cache_dir=tmp_path / "other-cache"))
    assert (tmp_path / "live" / "page.pdf").read_bytes() == (tmp_path / "fresh" / "page.pdf").read_bytes()
    assert _report(live) == _report(fresh)


def test_edits_in_one_process_give_the_files_of_a_new_process(page, tmp_path, monkeypatch):
    """Press and proof builds in turn in one process, after edits that lengthen a paragraph,
    shorten another and bring Latin words (the runs drawn before replayed by segment, faces
    named in another order by the other mode): each PDF is byte for byte what a new process
    writes from the same page."""
    import os
    import subprocess
    import sys

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    (tmp_path / "here").mkdir()
    (tmp_path / "new").mkdir()
    text = page.read_text(encoding="utf-8")
    edits = [("天元区发布", "天元区发布" + "新增内容" * 7), ("近年来，", ""), ("城市品牌", "城市品牌 Alpha Go 和 ChatGPT")]
    for old, new in edits:
        assert old in text
        text = text.replace(old, new, 1)
        page.write_text(text, encoding="utf-8")
        for proof in (False, True):
            build(page, BuildOptions(output=tmp_path / "here" / "page.pdf", proof=proof, cache_dir=tmp_path / "cache"))
            subprocess.run([sys.executable, "-m", "layout", "build", str(page), "-o", str(tmp_path / "new" / "page.pdf"),
                            "-q"] + (["--proof"] if proof else []), cwd=ROOT, check=True,
                           env={**os.environ, "BROADSHEET_CACHE": str(tmp_path / "other-cache")})
            assert (tmp_path / "here" / "page.pdf").read_bytes() == (tmp_path / "new" / "page.pdf").read_bytes(), \
                (old, proof)


@pytest.mark.parametrize("region", [True, False])
def test_the_preview_keeps_the_tiles_nothing_changed_in(page, tmp_path, monkeypatch, region):
    """After an edit the preview's new version holds every tile the last version had: those
    away from the edited story kept, the others drawn again where the edit changed them (from
    the build's region file with only the items there, or without one from the whole page, as
    for a tile first asked for while the version was built); each is the picture a fresh
    rendering of the new PDF gives."""
    from layout.serve import session
    from layout.serve.session import Session

    if not region:
        monkeypatch.setattr(session, "REGIONS", False)
    s = Session(page, cache_dir=tmp_path / "cache")
    try:
        s.build_now(s.targets)
        b = s.built[1]
        import math

        from layout.serve.session import TILE

        level = 0.5
        w, h = b.overlay["width"], b.overlay["height"]
        grid = [(x, y) for x in range(math.ceil(w * level / TILE)) for y in range(math.ceil(h * level / TILE))]
        for x, y in grid:
            assert s.tile(1, b.version, level, x, y)
        text = page.read_text(encoding="utf-8")
        page.write_text(text.replace("天元区发布", "天元区发布株洲", 1), encoding="utf-8")
        s.build_now(s.targets)
        new = s.built[1]
        assert new.version > b.version and new.ok
        kept = dict(new.tiles)  # (the others kept; those the edit touched drawn again where it changed)
        assert set(kept) == {(level, x, y) for x, y in grid}
        assert (new.region is not None and new.region.exists()) == region
        assert new.decoded  # (at least one tile was patched)
        other = Session(page, cache_dir=tmp_path / "cache2")
        try:
            other.build_now(other.targets)
            for (lv, x, y), png in kept.items():  # (an edited tile is stored uncompressed: the same pixels)
                assert _pixels(png) == _pixels(other.tile(1, other.built[1].version, lv, x, y)), (x, y)
        finally:
            other.close()
    finally:
        s.close()


def _pixels(png: bytes) -> tuple:
    import io

    from PIL import Image

    image = Image.open(io.BytesIO(png))
    return image.size, image.convert("RGB").tobytes()


def test_a_stored_png_is_the_picture():
    """An edited tile's PNG, stored without compression, reads back as the same picture (RGB,
    any size, an odd width too) in Pillow."""
    from PIL import Image, ImageDraw

    from layout.serve.session import stored_png

    for size in ((512, 512), (83, 17)):
        image = Image.new("RGB", size, (250, 248, 240))
        ImageDraw.Draw(image).text((3, 2), "株洲 Zhuzhou", fill=(10, 20, 30))
        data = stored_png(image)
        assert data.startswith(b"\x89PNG\r\n\x1a\n") and len(data) > size[0] * size[1] * 3
        assert _pixels(data) == (size, image.tobytes())
