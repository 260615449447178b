"""place: auto on a real page: four articles, two photos, two ads tiled without gaps or overlaps,
nothing overset, the same layout every time."""

import json
import subprocess
import sys
from types import SimpleNamespace

import pytest

PY = sys.executable


@pytest.fixture(scope="module")
def report(root, tmp_path_factory):
    out = tmp_path_factory.mktemp("auto") / "auto.pdf"
    r = subprocess.run([PY, "-m", "layout", "build", str(root / "examples/auto/content.yaml"), "-o", str(out),
                        "--proof", "--json"], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    return json.loads(r.stdout)


def _kind(report, kind):
    return [f for f in report["findings"] if f["kind"] == kind]


def test_auto_page_builds_without_overset(report):
    assert _kind(report, "overset") == []
    # copyfitted: modules filled to within one line (Chinese text is fitted by whole lines of its
    # photo and head, not tracked: a story without a photo may keep up to its columns less one)
    assert all(u["lines"] <= 3 for u in _kind(report, "underset")), _kind(report, "underset")
    assert isinstance(report["layout"]["score"], int)
    assert len(report["images"]) == 3  # two photos and the image ad


def _placed(folder, edit=None):
    """The auto example's records with the frames the layout chose (checked as a hand-placed
    page's are: ``with_frames`` raises on an overlap), and the layout."""
    from compose_support import faces_for
    from layout.assets.photos import picture_sizes
    from layout.cache import cache_root
    from layout.compose.autopage import place_page, placed
    from layout.model.source import load_file
    from layout.model.validate import validate, with_frames

    src = load_file(folder / "content.yaml")
    if edit:
        edit(src.data)
    v = validate(src, layout=False)
    sizes = picture_sizes([p.file for a in v.doc.articles for p in a.photos], src.folder, cache_root() / "images")
    auto = place_page(v.doc, v.grid, faces_for(src.folder), sizes)
    return with_frames(v, placed(v.doc, auto)), auto


def test_auto_frames_tile_the_type_area(root):
    v, _ = _placed(root / "examples/auto")  # the placed page passes the hand-placed page's checks
    g = v.grid
    cells = set()
    frames = [a.frame for a in v.doc.articles] + [a.frame for a in v.doc.ads]
    for f in frames:
        for c in range(f.column, f.column + f.columns):
            for ln in range(f.line, f.line + f.lines):
                assert (c, ln) not in cells
                cells.add((c, ln))
    assert len(cells) == g.columns * g.lines  # no gaps
    lead = next(a for a in v.doc.articles if a.priority == 1)
    assert lead.frame.line == 1
    for a in v.doc.articles:
        for p in a.photos:
            assert a.frame.column <= p.frame.column and p.frame.column + p.frame.columns <= a.frame.column + a.frame.columns


def test_auto_layout_is_deterministic(root):
    import msgspec

    results = [msgspec.json.encode(_placed(root / "examples/auto")[1]) for _ in range(2)]
    assert results[0] == results[1]


def test_missing_frame_on_a_manual_page(tmp_path):
    (tmp_path / "c.yaml").write_text(
        "folio: {paper: x, date: 2024-10-31, page: 1}\narticles:\n  - id: a\n    headline: {text: 标题, size: 20pt}\n"
        "    body: [正文。]\n", encoding="utf-8")
    r = subprocess.run([PY, "-m", "layout", "check", str(tmp_path / "c.yaml")], capture_output=True, text=True)
    assert r.returncode == 1 and "has no frame" in r.stderr and "place: auto" in r.stderr


def _composed(root, edit=None):
    """The auto example placed and composed (as the build does), after ``edit(data)``."""
    from compose_support import composed
    from layout.model.source import load_file

    src = load_file(root / "examples/auto/content.yaml")
    if edit:
        edit(src.data)
    c = composed(src)
    return src, c.v, c.page, c.notes, c.layout


def test_auto_page_fills_every_module(root):
    """Every story on the automatic page is copyfitted: none overset, none with a whole line of
    its module empty (the example's text is a quarter short of its page: the layout's photo and
    module heights and copyfit take up the slack; Chinese text moves by whole lines only, so a
    story without a photo may keep fewer empty lines than it has columns), and the copyfit record
    says what was changed for each."""
    src, v, page, notes, auto = _composed(root)
    assert all(a.fit == "auto" for a in v.doc.articles)
    assert notes.overset == []
    columns = {a.id: a.frame.columns for a in v.doc.articles}
    assert all(u.lines < columns[u.article] for u in notes.underset), notes.underset
    assert sum(u.lines for u in notes.underset) <= 6, notes.underset
    assert {c.article for c in notes.copyfit} == {a.id for a in v.doc.articles}
    for c in notes.copyfit:
        assert c.after.overset == 0 and c.after.underset < columns[c.article]
        assert not any(x.what == "tracking" for x in c.changes)  # Chinese: the grid is kept
    assert notes.text_audit["overlaps"] == 0 and notes.text_audit["ragged"] == 0
    assert all(f <= 0 for f in auto.fit.values())


def test_fit_off_on_an_auto_page_is_kept(root):
    def edit(data):
        data["articles"][1]["fit"] = "off"

    src, v, page, notes, _ = _composed(root, edit)
    off = v.doc.articles[1].id
    assert v.doc.articles[1].fit == "off"
    assert off not in {c.article for c in notes.copyfit}
    assert all(a.fit == "auto" for i, a in enumerate(v.doc.articles) if i != 1)


def test_photo_heights_stay_within_range_of_their_proportions(root):
    """The layout bends a photo from its picture's proportions (within PHOTO_RANGE) and copyfit
    then adjusts it: together they stay within PHOTO_RANGE of the proportions."""
    from layout.compose.autoplace import round_half_up
    from layout.compose.copyfit import PHOTO_RANGE
    from layout.compose.photo import picture_aspect

    from layout.assets.photos import picture_sizes
    from layout.cache import cache_root

    src, v, page, notes, _ = _composed(root)
    g = v.grid
    sizes = picture_sizes([p.file for a in v.doc.articles for p in a.photos], v.source.folder, cache_root() / "images")
    ctx = SimpleNamespace(picture_sizes=sizes)  # what picture_aspect reads
    seen = 0
    for a in v.doc.articles:
        for p in a.photos:
            natural = round_half_up(g.span_width(p.frame.columns) / g.pitch / picture_aspect(p, ctx))
            flex = int(natural * PHOTO_RANGE)
            fitted = next((c for c in notes.copyfit if c.article == a.id), None)
            lines = next((c.after for c in (fitted.changes if fitted else []) if c.what == "photo"), p.frame.lines)
            assert natural - flex <= lines - p.reserved_lines <= natural + flex, (a.id, natural, lines)
            seen += 1
    assert seen == 2


def test_a_story_that_jumps_is_not_counted_on_for_copyfit(root, monkeypatch):
    """A story with jump_to is left alone by copyfit: the layout gives it no copyfit range, and
    no fit: auto is written into it; one that says fit: auto itself gets a warning."""
    import layout.compose.autopage as autopage

    seen = {}
    real = autopage.place

    def spy(stories, *a, **k):
        seen.update({s.id: s for s in stories})
        return real(stories, *a, **k)

    monkeypatch.setattr(autopage, "place", spy)

    def edit(data):
        data["articles"][1]["jump_to"] = 7

    src, v, page, notes, _ = _composed(root, edit)
    jumper = v.doc.articles[1]
    assert jumper.fit == "off" and seen[jumper.id].text_range is None and seen[jumper.id].photo_range == 0
    assert jumper.id not in {c.article for c in notes.copyfit}
    assert all(seen[a.id].text_range is not None for i, a in enumerate(v.doc.articles) if i != 1)

    def edit_auto(data):
        data["articles"][1]["jump_to"] = 7
        data["articles"][1]["fit"] = "auto"

    src, v, page, notes, _ = _composed(root, edit_auto)
    jid = v.doc.articles[1].id
    assert any(f"article {jid!r}: fit: auto is left alone" in w for w in notes.warnings), notes.warnings
    assert jid not in {c.article for c in notes.copyfit}


def test_a_photo_stored_sideways_is_laid_out_upright(root, tmp_path):
    """A camera portrait or landscape stored rotated with an EXIF orientation tag: the layout
    sizes its frame from the upright picture, as copyfit and the renderer see it."""
    import shutil

    from PIL import Image

    import msgspec

    def frames(folder):
        v, _ = _placed(folder)
        return msgspec.json.encode([p.frame for a in v.doc.articles for p in a.photos])

    upright = tmp_path / "upright"
    shutil.copytree(root / "examples/auto", upright, ignore=shutil.ignore_patterns("output"))
    sideways = tmp_path / "sideways"
    shutil.copytree(upright, sideways)
    for f in (sideways / "images").glob("*.jpg"):
        with Image.open(f) as im:
            stored = im.transpose(Image.Transpose.ROTATE_90)  # orientation 6 turns it back upright
            exif = Image.Exif()
            exif[0x0112] = 6
            stored.save(f, quality=90, exif=exif)
    assert frames(sideways) == frames(upright)
