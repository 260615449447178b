"""CFF -> TrueType conversion: caches, ReportLab, PDF embedding, outline fidelity, concurrency."""

from __future__ import annotations

import marshal
import multiprocessing
import shutil
import subprocess
import time
from pathlib import Path

import pytest
from fontTools.pens.areaPen import AreaPen
from fontTools.pens.boundsPen import BoundsPen
from fontTools.ttLib import TTFont

from layout.fonts import conversion_stats, open_face, truetype_for
from layout.fonts import convert as convert_module
from layout.fonts.face import Face

NOTO_SERIF = Path("/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc")
WENKAI = Path("/usr/share/fonts/truetype/lxgw-wenkai/LXGWWenKai-Regular.ttf")
SMILEY = Path("/usr/share/fonts/truetype/smiley-sans/SmileySans-Oblique.ttf")
SEED = Path("/work/shared/seed/zhuzhou-daily-page.txt")
if not SEED.exists():  # the seed also lives in the repository once the page is built from it
    SEED = Path(__file__).resolve().parents[1] / "content" / "zhuzhou-daily-page.txt"


def _seed_chars(n: int) -> str:
    """The first ``n`` distinct Han/punctuation/Latin characters of the seed page."""
    out: list[str] = []
    for ch in SEED.read_text(encoding="utf-8"):
        if not ch.isspace() and ch not in out:
            out.append(ch)
            if len(out) == n:
                break
    return "".join(out)


@pytest.fixture(scope="module")
def cache(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("font-cache")


@pytest.fixture(scope="module")
def body(cache) -> Face:
    return open_face(NOTO_SERIF, 2, key="body", cache_dir=cache)


@pytest.fixture(scope="module")
def seed200() -> str:
    if not SEED.exists():
        pytest.skip("seed page text not available")
    chars = _seed_chars(200)
    assert len(chars) == 200
    return chars


@pytest.fixture(scope="module")
def seed_ttf(body, seed200) -> Path:
    conversion_stats.reset()
    t = time.perf_counter()
    path = truetype_for(body, seed200)
    cold = time.perf_counter() - t
    assert conversion_stats.glyphs_converted == len(set(seed200)) + 2  # + .notdef and space
    assert conversion_stats.fonts_built == 1
    t = time.perf_counter()
    assert truetype_for(body, seed200) == path
    warm = time.perf_counter() - t
    assert conversion_stats.file_hits == 1 and conversion_stats.fonts_built == 1
    print(f"\nconvert 200 seed characters: cold {cold:.2f} s, warm (file cached) {warm * 1e3:.1f} ms")
    assert cold < 10 and warm < 0.05
    return path


def test_produced_font_covers_the_characters(seed_ttf, seed200, body):
    assert seed_ttf.parent.name == "ttf" and seed_ttf.suffix == ".ttf"
    font = TTFont(seed_ttf)
    assert "glyf" in font and "CFF " not in font
    cmap = font.getBestCmap()
    assert {ord(c) for c in seed200} | {0x20} == set(cmap)
    assert font.getGlyphOrder()[0] == ".notdef"
    ps = font["name"].getDebugName(6)
    assert ps == seed_ttf.stem and ps.startswith("NotoSerifCJKsc-Regular-bs")
    assert font["OS/2"].sTypoAscender == 880 and font["OS/2"].sTypoDescender == -120
    assert font["hhea"].ascent == 1151 and font["head"].unitsPerEm == 1000


def test_converted_glyphs_match_the_original(seed_ttf, body):
    ours = TTFont(seed_ttf)
    orig = TTFont(NOTO_SERIF, fontNumber=2, lazy=True)
    ocmap, cmap = orig.getBestCmap(), ours.getBestCmap()
    ogs, gs = orig.getGlyphSet(), ours.getGlyphSet()
    glyf = ours["glyf"]
    area_errors = []
    for cp, name in cmap.items():
        oname = ocmap[cp]
        assert ours["hmtx"][name][0] == orig["hmtx"][oname][0], chr(cp)
        pen, ours_pen = BoundsPen(ogs), BoundsPen(gs)
        ogs[oname].draw(pen)
        gs[name].draw(ours_pen)
        g = glyf[name]
        if pen.bounds is None:
            assert g.numberOfContours == 0 and ours_pen.bounds is None, chr(cp)
            continue
        # the ink: the curves' true extents agree within a couple of units
        assert max(abs(a - b) for a, b in zip(pen.bounds, ours_pen.bounds)) <= 2, chr(cp)
        # the glyf header box (all points, off-curve ones too) encloses the ink
        x0, y0, x1, y1 = ours_pen.bounds
        assert g.xMin <= x0 + 0.5 and g.yMin <= y0 + 0.5 and g.xMax >= x1 - 0.5 and g.yMax >= y1 - 0.5
        assert ours["hmtx"][name][1] == g.xMin  # lsb == xMin, as head.flags bit 1 promises
        a, b = AreaPen(ogs), AreaPen(gs)
        ogs[oname].draw(a)
        gs[name].draw(b)
        assert a.value * b.value < 0, chr(cp)  # contours reversed: CFF counter-clockwise, TT clockwise
        area_errors.append(abs(abs(a.value) - abs(b.value)) / abs(a.value))
    assert sum(area_errors) / len(area_errors) < 0.002 and max(area_errors) < 0.01


def test_header_values_match_a_full_recalculation(seed_ttf, tmp_path):
    """The builder computes bbox/maxp/hhea itself (fontTools' recalculation is slow): check it."""
    ours = TTFont(seed_ttf)
    again = TTFont(seed_ttf)
    again.recalcBBoxes = True
    again.save(tmp_path / "recalc.ttf")
    ref = TTFont(tmp_path / "recalc.ttf")
    for tag, fields in {
        "head": ("xMin", "yMin", "xMax", "yMax"),
        "hhea": ("advanceWidthMax", "minLeftSideBearing", "minRightSideBearing", "xMaxExtent"),
        "maxp": ("numGlyphs", "maxPoints", "maxContours"),
    }.items():
        for f in fields:
            assert getattr(ours[tag], f) == getattr(ref[tag], f), (tag, f)


def test_reportlab_embeds_it_as_a_subset(seed_ttf, seed200, tmp_path):
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont as RLFont
    from reportlab.pdfgen import canvas

    name = seed_ttf.stem
    pdfmetrics.registerFont(RLFont(name, str(seed_ttf)))
    pdf = tmp_path / "page.pdf"
    c = canvas.Canvas(str(pdf))
    c.setFont(name, 12)
    line = seed200[:30]
    c.drawString(40, 700, line)
    c.save()
    if shutil.which("pdffonts") is None:
        pytest.skip("poppler-utils not installed")
    out = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    rows = [r.split() for r in out.splitlines() if name in r]
    assert rows, out
    row = rows[0]
    assert row[0].split("+")[1] == name and len(row[0].split("+")[0]) == 6  # subset tag
    assert row[1] == "TrueType" and row[-5:-2] == ["yes", "yes", "yes"]  # emb sub uni
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert text.strip() == line.strip()


def test_adding_five_characters_converts_only_those(body, seed_ttf, seed200):
    extra = "鑫淼焱垚犇"
    assert not set(extra) & set(seed200)
    conversion_stats.reset()
    t = time.perf_counter()
    path = truetype_for(body, [seed200, extra])
    took = time.perf_counter() - t
    assert conversion_stats.glyphs_converted == 5 and conversion_stats.fonts_built == 1
    assert path != seed_ttf  # another character set, another name
    assert {ord(c) for c in extra} <= set(TTFont(path).getBestCmap())
    # a subset of cached glyphs converts nothing and does not open the CFF at all
    conversion_stats.reset()
    t2 = time.perf_counter()
    sub = truetype_for(body, seed200[:50] + extra)
    took_cached = time.perf_counter() - t2
    assert conversion_stats.glyphs_converted == 0 and conversion_stats.fonts_built == 1
    assert len(TTFont(sub).getBestCmap()) == 56
    print(f"\nincremental +5 characters: {took * 1e3:.0f} ms; new set from cached glyphs: {took_cached * 1e3:.0f} ms")


def test_cached_glyphs_need_no_font_parsing(body, seed_ttf, seed200, monkeypatch):
    def refuse(face, gids):
        raise AssertionError(f"converted {sorted(gids)} although they are cached")

    monkeypatch.setattr(convert_module, "_convert", refuse)
    assert truetype_for(body, seed200[::2]).is_file()


def test_characters_the_face_lacks_are_left_out(body, seed_ttf, seed200):
    assert truetype_for(body, seed200 + "\ue000\ue001") == seed_ttf  # same set it can cover


def test_truetype_faces_are_subset_not_converted(cache):
    """glyf faces are copied glyph by glyph into a small file (ReportLab parses whole files):
    same outlines and advances, only the characters asked for."""
    from reportlab.pdfbase.ttfonts import TTFont as RLFont

    kai = open_face(WENKAI, cache_dir=cache)
    text = "株洲日报全媒体记者"
    path = truetype_for(kai, text)
    assert path != WENKAI and path.stat().st_size < WENKAI.stat().st_size / 20
    sub, orig = TTFont(str(path)), TTFont(str(WENKAI), lazy=True)
    assert set(sub.getBestCmap()) == {ord(c) for c in text} | {0x20}
    for ch in "株日":
        a = sub["glyf"][sub.getBestCmap()[ord(ch)]]
        b = orig["glyf"][orig.getBestCmap()[ord(ch)]]
        if b.isComposite():
            continue
        assert list(a.getCoordinates(sub["glyf"])[0]) == list(b.getCoordinates(orig["glyf"])[0])
        assert sub["hmtx"][sub.getBestCmap()[ord(ch)]][0] == orig["hmtx"][orig.getBestCmap()[ord(ch)]][0]
    display = open_face(SMILEY, cache_dir=cache)
    RLFont("smiley-test", str(truetype_for(display, "预防森林火灾")))


def test_glyph_store_layout(body, seed_ttf, cache):
    (store,) = (cache / "fonts" / "glyphs").glob("NotoSerifCJK-Regular-2-*.glyphs")
    magic, fmt, key, glyphs = marshal.loads(store.read_bytes())
    assert key == body.file_key and 0 in glyphs
    adv, data = glyphs[body.metrics.glyph_id("实")]
    assert adv == 1000 and isinstance(data, bytes) and len(data) > 10


def _build_in_child(args):
    cache, chars = args
    from layout.fonts import conversion_stats as stats
    from layout.fonts import open_face as of
    from layout.fonts import truetype_for as tf

    stats.reset()
    face = of(NOTO_SERIF, 2, cache_dir=cache)
    path = tf(face, chars)
    return str(path), stats.glyphs_converted


def test_parallel_builds_share_the_glyph_store_safely(tmp_path, seed200):
    """Four processes build overlapping character sets into one cache at the same time: every
    file is complete, the store holds every glyph, and shared glyphs were converted once."""
    common = seed200[:40]
    sets = [common + seed200[40 + 15 * i : 55 + 15 * i] for i in range(4)]
    open_face(NOTO_SERIF, 2, cache_dir=tmp_path)  # metrics cache first: children start equal
    ctx = multiprocessing.get_context("fork")
    with ctx.Pool(4) as pool:
        results = pool.map(_build_in_child, [(tmp_path, s) for s in sets])
    union = set("".join(sets)) | {" "}
    assert sum(n for _, n in results) == len(union) + 1  # each glyph once, + .notdef
    for (path, _), chars in zip(results, sets):
        assert {ord(c) for c in chars} <= set(TTFont(path).getBestCmap())
    (store,) = (tmp_path / "fonts" / "glyphs").glob("*.glyphs")
    assert len(marshal.loads(store.read_bytes())[3]) == len(union) + 1
    assert not list((tmp_path / "fonts").rglob("*.tmp"))  # no temporary files left behind


def test_truetype_face_inside_a_collection_is_extracted(tmp_path):
    from fontTools.ttLib import TTCollection
    from reportlab.pdfbase.ttfonts import TTFont as RLFont

    ttc = TTCollection()
    ttc.fonts = [TTFont(SMILEY), TTFont(SMILEY)]
    ttc.save(tmp_path / "pair.ttc")
    face = open_face(tmp_path / "pair.ttc", 1, cache_dir=tmp_path)
    path = truetype_for(face, "预防")
    assert path.parent == tmp_path / "fonts" / "ttf" and path.read_bytes()[:4] != b"ttcf"
    assert truetype_for(face, "预防") == path  # built once per character set
    RLFont("pair-test", str(path))
