"""Copyfit (``fit: auto``): a story that over- or undersets is made to fill its module by small,
bounded changes of body tracking, photo height and head size; the report says what changed.
Geometry is checked on the display list."""

from __future__ import annotations

import shutil

import pytest
import yaml
from hypothesis import HealthCheck, given, settings, strategies as st

from layout.build import BuildOptions, FaceSet, ImagePreparer, _font_registry, cache_root
from layout.compose.copyfit import HEAD_BAND, PHOTO_RANGE, TRACKING_BOUNDS, tracking_bounds
from layout.compose.page import compose_page
from layout.display import Glyphs, Image
from layout.model.source import load_file
from layout.model.validate import validate
from layout.report import Report

PHOTO = {"file": "images/p.jpg", "frame": {"column": 2, "columns": 2, "line": 5, "lines": 14}, "caption": "动力谷"}
HEAD = {"text": "产业名片求实向新", "size": "30pt", "align": "left"}


@pytest.fixture(scope="module")
def paragraphs(root):
    src = yaml.safe_load((root / "examples/auto/content.yaml").read_text(encoding="utf-8"))
    return [p for a in src["articles"] for p in a["body"] if isinstance(p, str)]


@pytest.fixture(scope="module")
def make(tmp_path_factory, root):
    """compose(body, fit, ...) -> (validated page, display list, notes) for one 3-column article
    40 lines tall with a 2-column photo under its head, on a Berliner page."""
    folder = tmp_path_factory.mktemp("copyfit")
    (folder / "images").mkdir()
    shutil.copy(root / "images" / "power-valley.jpg", folder / "images" / "p.jpg")
    opts = BuildOptions()
    faces = FaceSet(_font_registry(folder, {}, cache_root(opts)))
    images = ImagePreparer(folder, cache_root(opts) / "images", opts)
    counter = iter(range(10 ** 6))

    def compose(body, fit="auto", photo=True, head=None, lines=40, **article):
        art = {"id": "a", "fit": fit, "frame": {"column": 1, "columns": 3, "line": 1, "lines": lines},
               "headline": head or HEAD, "body": body, **article}
        if photo:
            art["photos"] = [PHOTO]
        data = {"page": {"size": "berliner", "columns": 6, "column_chars": 12, "body_size": "小五",
                         "line_pitch": "12pt"},
                "folio": {"paper": "示例日报", "date": "2025-01-06", "page": 2}, "articles": [art]}
        path = folder / f"c{next(counter)}.yaml"
        path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
        v = validate(load_file(path))
        page, notes = compose_page(v, faces, images)
        return v, page, notes

    return compose


def _lines(notes, kind):
    return sum(x["lines"] for x in getattr(notes, kind) if x["article"] == "a")


def _bodies(paragraphs):
    """Bodies of growing length: whole paragraphs, then a cut last one."""
    for n in range(6, len(paragraphs)):
        for cut in (None, 60, 30):
            yield paragraphs[:n] if cut is None else paragraphs[:n - 1] + [paragraphs[n - 1][:cut]]


def _find(make, paragraphs, kind, lo, hi, **kw):
    for body in _bodies(paragraphs):
        _, _, notes = make(body, fit="off", **kw)
        if lo <= _lines(notes, kind) <= hi and not (kind == "underset" and notes.overset):
            return body, notes
    pytest.fail(f"no body {kind} by {lo}..{hi} lines")


def _entry(notes):
    (e,) = [c for c in notes.copyfit if c["article"] == "a"]
    return e


def _box(it):
    if isinstance(it, Glyphs):
        return (it.x, it.y - it.size * 0.88, it.right, it.y + it.size * 0.12)
    return (it.x, it.y, it.x + it.w, it.y + it.h)


def check_geometry(v, page, notes, photo_lines=14):
    """Bounds and geometry of a copyfitted article on the display list."""
    g = v.grid
    art = v.doc.articles[0]
    x0, y0, w, h = g.rect(art.frame.column, art.frame.columns, art.frame.line, art.frame.lines)
    entry = _entry(notes)
    lo, hi = TRACKING_BOUNDS["zh"]
    for c in entry["changes"]:
        if c["what"] == "tracking":
            assert lo - 1e-9 <= c["to"] <= hi + 1e-9
        if c["what"] == "photo":
            picture = photo_lines - 2
            assert abs(c["to"] - c["from"]) <= int(picture * PHOTO_RANGE)
    body = [it for it in page.items if isinstance(it, Glyphs) and it.role == "body"]
    pics = [it for it in page.items if isinstance(it, Image)]
    for it in body + pics:  # everything inside the module
        bx = _box(it)
        assert x0 - 0.01 <= bx[0] and bx[2] <= x0 + w + 0.01 and y0 - 0.01 <= bx[1] and bx[3] <= y0 + h + 0.01
    for pic in pics:  # the picture on the grid: its top and foot on the em box of grid lines
        inset = (g.pitch - g.body_size) / 2
        top = (pic.y - inset - g.top) / g.pitch
        span = (pic.h - g.body_size) / g.pitch
        assert abs(top - round(top)) < 1e-6 and abs(span - round(span)) < 1e-6
        for line in body:  # no text on the picture
            a, b = _box(line), _box(pic)
            assert a[2] <= b[0] + 0.01 or b[2] <= a[0] + 0.01 or a[3] <= b[1] + 0.01 or b[3] <= a[1] + 0.01
    boxes = sorted(_box(it) for it in body)
    for a, b in zip(boxes, boxes[1:]):  # body lines never overlap
        assert a[2] <= b[0] + 0.01 or a[3] <= b[1] + 0.01 or b[3] <= a[1] + 0.01
    first = g.baseline(1, em_top=0.88)
    for it in body:  # still on the baseline grid
        k = (it.y - first) / g.pitch
        assert abs(k - round(k)) < 1e-6
    heads = [it for it in page.items if isinstance(it, Glyphs) and it.role == "headline"]
    for it in heads:
        assert 30 * (1 - HEAD_BAND) - 1e-6 <= it.size <= 30 * (1 + HEAD_BAND) + 1e-6


def test_overset_story_fits_and_the_report_says_how(make, paragraphs):
    body, off = _find(make, paragraphs, "overset", 2, 6)
    over = _lines(off, "overset")
    v, page, notes = make(body, fit="auto")
    assert notes.overset == []
    assert _lines(notes, "underset") <= 2
    e = _entry(notes)
    assert e["before"] == {"overset": over, "underset": 0}
    assert e["after"]["overset"] == 0 and e["after"]["underset"] == _lines(notes, "underset")
    assert e["changes"] and {c["what"] for c in e["changes"]} <= {"tracking", "photo", "headline"}
    # the room was made by shrinking: a smaller photo, a smaller head or tighter tracking
    for c in e["changes"]:
        assert c["to"] < c["from"] or c["what"] == "headline" and c["lines"] < 0
    check_geometry(v, page, notes)
    # and the build report shows it (JSON and terminal)
    r = Report(copyfit=notes.copyfit)
    assert r.to_dict()["copyfit"] == notes.copyfit
    line = next(x for x in r.summary_lines() if x.startswith("  copyfit: article 'a'"))
    assert (f"{over} lines overset → " if over > 1 else "1 line overset → ") in line


def test_underset_story_is_filled(make, paragraphs):
    body, off = _find(make, paragraphs, "underset", 3, 8)
    empty = _lines(off, "underset")
    v, page, notes = make(body, fit="auto")
    assert notes.overset == []
    assert _lines(notes, "underset") <= 1 < empty
    e = _entry(notes)
    assert e["before"]["underset"] == empty and e["after"]["underset"] == _lines(notes, "underset")
    for c in e["changes"]:  # filled by growing: a taller photo, a larger head or looser tracking
        assert c["to"] > c["from"]
    check_geometry(v, page, notes)


def test_story_without_photo_uses_tracking_and_head(make, paragraphs):
    body, off = _find(make, paragraphs, "underset", 3, 10, photo=False)
    v, page, notes = make(body, fit="auto", photo=False)
    e = _entry(notes)
    assert notes.overset == [] and _lines(notes, "underset") < _lines(off, "underset")
    assert {c["what"] for c in e["changes"]} <= {"tracking", "headline"}
    check_geometry(v, page, notes)


def test_head_stays_within_its_min_and_max(make, paragraphs):
    body, _ = _find(make, paragraphs, "underset", 6, 14)
    head = {**HEAD, "min_size": "29pt", "max_size": "32pt"}
    _, page, notes = make(body, fit="auto", head=head)
    sizes = {it.size for it in page.items if isinstance(it, Glyphs) and it.role == "headline"}
    assert sizes and all(29 - 1e-6 <= s <= 32 + 1e-6 for s in sizes)
    for c in _entry(notes)["changes"]:
        if c["what"] == "headline":
            assert 29 <= c["to"] <= 32


def test_too_long_is_still_overset_with_its_numbers(make, paragraphs):
    body = paragraphs[:14]
    _, _, off = make(body, fit="off")
    v, page, notes = make(body, fit="auto")
    over = _lines(notes, "overset")
    assert over > 0 and over < _lines(off, "overset")  # less over, but still over: reported
    (o,) = notes.overset
    assert o["characters"] > 0
    e = _entry(notes)
    assert e["before"]["overset"] == _lines(off, "overset") and e["after"] == {"overset": over, "underset": 0}
    changes = {c["what"]: c for c in e["changes"]}
    # all it could: the photo at its least, tracking tightened (to the least that does as well
    # as the limit)
    assert TRACKING_BOUNDS["zh"][0] - 1e-9 <= changes["tracking"]["to"] < 0
    assert changes["photo"]["to"] == 14 - int(12 * PHOTO_RANGE)
    assert e["trials"] <= 14
    check_geometry(v, page, notes)


def test_fit_off_is_set_as_written(make, paragraphs):
    body, off = _find(make, paragraphs, "overset", 1, 10)
    assert off.copyfit == [] and _lines(off, "overset") > 0
    assert not any("copyfit" in x for x in Report().summary_lines())


def test_a_story_that_fits_is_left_alone(make, paragraphs):
    for body in _bodies(paragraphs):
        _, _, off = make(body, fit="off", photo=False)
        empty = _lines(off, "underset")
        if not off.overset and empty % 3 == 0:
            break
    else:
        pytest.fail("no body found")
    lines = 40 - empty // 3  # the module the text fills exactly (balanced, three columns)
    _, _, off = make(body, fit="off", photo=False, lines=lines)
    assert off.overset == [] and off.underset == []
    _, _, notes = make(body, fit="auto", photo=False, lines=lines)
    e = _entry(notes)
    assert e["changes"] == [] and e["trials"] == 1 and e["after"] == {"overset": 0, "underset": 0}


def test_copyfit_is_deterministic(make, paragraphs):
    body, _ = _find(make, paragraphs, "underset", 3, 8)
    runs = [make(body, fit="auto") for _ in range(2)]
    assert runs[0][2].copyfit == runs[1][2].copyfit
    assert [repr(it) for it in runs[0][1].items] == [repr(it) for it in runs[1][1].items]


def test_latin_tracking_bounds_are_narrower():
    zh, en = tracking_bounds("zh"), tracking_bounds("en")
    assert en[0] >= zh[0] and en[1] <= zh[1] and en[0] < 0 < en[1]


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(chars=st.integers(200, 3200), photo=st.booleans())
def test_any_length_stays_in_bounds_without_overlap(make, paragraphs, chars, photo):
    text = "".join(paragraphs)[:chars]
    body = [text[i:i + 400] for i in range(0, len(text), 400)]
    v, page, notes = make(body, fit="auto", photo=photo)
    check_geometry(v, page, notes)
    e = _entry(notes)
    over = _lines(notes, "overset")
    assert e["after"] == {"overset": over, "underset": 0 if over else _lines(notes, "underset")}
    # never worse than as written
    b, a = e["before"], e["after"]
    assert a["overset"] <= b["overset"]
    if b["overset"] == 0:
        assert a["overset"] == 0 and a["underset"] <= b["underset"]
