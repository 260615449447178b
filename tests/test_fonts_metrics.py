"""Faces and their metrics: advances in em, coverage, the em box, the metrics cache."""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

import fontTools.ttLib
import pytest

from layout.fonts import FontRegistry, clear_caches, missing, missing_positions, open_face
from layout.fonts.face import Face
from layout.text.api import Metrics

NOTO_SERIF = Path("/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc")
WENKAI = Path("/usr/share/fonts/truetype/lxgw-wenkai/LXGWWenKai-Regular.ttf")
SMILEY = Path("/usr/share/fonts/truetype/smiley-sans/SmileySans-Oblique.ttf")


@pytest.fixture(scope="module")
def cache(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("font-cache")


@pytest.fixture(scope="module")
def body(cache) -> Face:
    return open_face(NOTO_SERIF, 2, key="body", cache_dir=cache)


@pytest.fixture(autouse=True)
def nothing_prepared(tmp_path_factory, monkeypatch):
    """These tests are about the cache: what the set-up prepared (layout.fonts.prepare) is out of
    the way, so a face missing from the cache is parsed from its file."""
    import layout.fonts.cache

    monkeypatch.setattr(layout.fonts.cache, "PREPARED", tmp_path_factory.mktemp("nothing-prepared"))


def _refuse(*args, **kwargs):
    raise AssertionError("the font file was parsed although its metrics are cached")


def test_han_is_one_em_and_latin_is_proportional(body):
    m: Metrics = body.metrics  # the composer's protocol (advance, has)
    assert callable(m.advance) and callable(m.has)
    for ch in "中国株洲日报鑫，。、“”：（）":
        assert m.advance(ch) == 1.0, ch
    assert 0.2 < m.advance("i") < m.advance("n") < m.advance("M") < 1.0
    assert m.advance("A") == pytest.approx(0.718)
    assert m.advance(" ") == pytest.approx(0.256)
    assert m.width("IP") == pytest.approx(m.advance("I") + m.advance("P"))
    assert m.advance("株洲") == 2.0


def test_has_follows_the_cmap(body):
    m = body.metrics
    assert m.has("中") and m.has("A") and m.has("堃") and m.has(" ")
    assert not m.has("\ue000")  # private use
    assert not m.has("\U0010fffd")
    assert m.advance("\ue000") == 1.0  # .notdef's advance: a placeholder one em wide
    assert m.glyph_id("中") > 0 and m.glyph_id("\ue000") == 0


def test_face_identity_and_vertical_metrics(body):
    assert body.key == "body" and body.path == NOTO_SERIF and body.index == 2
    assert body.ps_name == "NotoSerifCJKsc-Regular" and body.family == "Noto Serif CJK SC"
    assert body.units_per_em == 1000 and body.is_cff
    assert (body.em_bottom, body.em_top) == (-0.12, 0.88)  # the ideographic em box, BASE 'ideo'
    assert body.em_source == "BASE"
    assert body.em_top - body.em_bottom == pytest.approx(1.0)
    assert (body.ascent, body.descent) == (0.88, -0.12)  # OS/2 typo
    assert (body.hhea_ascent, body.hhea_descent) == (1.151, -0.286)
    assert body.face_bottom == pytest.approx(-0.078) and body.face_top == pytest.approx(0.838)
    assert len(body.file_key) == 16


def test_truetype_faces(cache):
    kai = open_face(WENKAI, cache_dir=cache)
    assert not kai.is_cff and kai.key == "LXGWWenKai-Regular-0"
    assert kai.metrics.advance("楷") == 1.0 and kai.metrics.advance("i") < 0.5
    assert (kai.em_bottom, kai.em_top) == (-0.12, 0.88)
    display = open_face(SMILEY, cache_dir=cache)
    assert display.metrics.advance("中") == 0.8  # a condensed display face
    assert display.em_source == "OS/2 typo centred"
    assert display.em_top - display.em_bottom == pytest.approx(1.0)


def test_missing_characters(cache, body):
    display = open_face(SMILEY, cache_dir=cache)
    text = "张堃 A\n犇犇\t镕\u3000中\u200b\ufe0f\x00"
    assert missing(display, text) == ["堃", "犇", "镕"]
    assert missing_positions(display, text) == [(1, "堃"), (5, "犇"), (6, "犇"), (8, "镕")]
    assert display.missing(text) == ["堃", "犇", "镕"]
    assert missing(body, text) == []
    assert missing(body, "a\ue000b") == ["\ue000"]
    assert missing(body.metrics, "\ue000") == ["\ue000"]  # any object with has()


def test_metrics_cache_is_written_and_used_without_parsing(tmp_path, monkeypatch):
    t = time.perf_counter()
    cold = open_face(NOTO_SERIF, 2, cache_dir=tmp_path)
    cold_s = time.perf_counter() - t
    files = list((tmp_path / "fonts" / "metrics").glob("NotoSerifCJK-Regular-2-*.metrics"))
    assert len(files) == 1 and not cold.table.from_cache

    clear_caches()
    monkeypatch.setattr(fontTools.ttLib, "TTFont", _refuse)
    t = time.perf_counter()
    warm = open_face(NOTO_SERIF, 2, cache_dir=tmp_path)
    warm_s = time.perf_counter() - t
    assert warm.table.from_cache
    assert warm.metrics.advance("中") == 1.0 and warm.metrics.advance("A") == cold.metrics.advance("A")
    assert warm.em_top == cold.em_top and warm.ps_name == cold.ps_name
    assert all(warm.metrics.has(ch) == cold.metrics.has(ch) for ch in "中A堃\ue000\U00020000")
    print(f"\nmetrics: cold {cold_s * 1e3:.0f} ms, warm {warm_s * 1e3:.2f} ms")
    assert warm_s < 0.05 and warm_s < cold_s  # cold parses a 26 MB collection


def test_changed_font_file_invalidates_its_cache(tmp_path):
    font = tmp_path / "Display.ttf"
    shutil.copy(SMILEY, font)
    first = open_face(font, cache_dir=tmp_path)
    clear_caches()
    assert open_face(font, cache_dir=tmp_path).table.from_cache
    os.utime(font, ns=(time.time_ns(), time.time_ns() + 10**9))
    clear_caches()
    again = open_face(font, cache_dir=tmp_path)
    assert not again.table.from_cache and again.file_key != first.file_key


def test_damaged_cache_file_is_rebuilt(tmp_path):
    open_face(SMILEY, cache_dir=tmp_path)
    (file,) = (tmp_path / "fonts" / "metrics").glob("*.metrics")
    file.write_bytes(b"not marshal data")
    clear_caches()
    face = open_face(SMILEY, cache_dir=tmp_path)
    assert not face.table.from_cache and face.metrics.advance("中") == 0.8


def test_cache_dir_from_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("BROADSHEET_CACHE", str(tmp_path / "env-cache"))
    monkeypatch.chdir(tmp_path)
    open_face(SMILEY)
    assert list((tmp_path / "env-cache" / "fonts" / "metrics").glob("SmileySans-Oblique-0-*.metrics"))
    monkeypatch.delenv("BROADSHEET_CACHE")
    # without the variable: the user's cache folder (XDG_CACHE_HOME, else ~/.cache), never the
    # checkout or the current folder
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    clear_caches()
    open_face(SMILEY)
    assert list((tmp_path / "xdg" / "broadsheet" / "fonts" / "metrics").glob("*.metrics"))
    assert not (tmp_path / ".cache").exists()


def test_registry_faces_are_opened_once(cache):
    registry = FontRegistry.load(cache_dir=cache)
    body = registry.face("body")
    assert registry.face("body") is body
    assert body.key == "body" and body.metrics.advance("报") == 1.0
    assert registry.face("kai").metrics.has("楷")


@pytest.mark.parametrize("path, index", [(NOTO_SERIF, 2), (WENKAI, 0), (SMILEY, 0)])
def test_raw_tables_agree_with_fonttools(path, index):
    """The metrics table reads cmap and hmtx from the raw bytes (by glyph id, no glyph names):
    the same map and advances as fontTools' getBestCmap and hmtx give through names."""
    from array import array

    from layout.fonts.table import raw_advances, raw_cmap

    font = fontTools.ttLib.TTFont(str(path), fontNumber=index, lazy=True)
    try:
        order = font.getGlyphOrder()
        gid = {n: i for i, n in enumerate(order)}
        want = {cp: gid[n] for cp, n in font.getBestCmap().items() if gid.get(n)}
        num = len(order)
        bmp, supp = raw_cmap(font.reader["cmap"], num)
        got = {cp: g for cp, g in enumerate(bmp) if g}
        got.update(supp)
        assert got == want
        hm = font["hmtx"].metrics
        assert raw_advances(font.reader["hmtx"], font["hhea"].numberOfHMetrics, num) == array(
            "H", (hm[n][0] for n in order))
    finally:
        font.close()
