"""Photos left to the engine: a photo without a frame on a hand-placed page is placed inside its
article (the first at the top of the body, further ones lower down), sized from the picture's
proportions on the grid; when none fits, the build says where."""

from __future__ import annotations

import shutil
import subprocess
import sys

import pytest

from layout.compose.guides import compose_guides
from layout.display import Glyphs, Image, Rect
from layout.errors import InputError
from layout.model.frames import notch_frame
from layout.model.source import load_file
from layout.model.frames import inside as _inside, overlap as _overlap
from layout.model.validate import validate

from tests.test_stepped import PARA, compose

PY = sys.executable

PAGE = """
page: {size: berliner}
folio: {paper: 示例日报, date: 2025-01-06, page: 2}
articles:
  - id: main
    frame: FRAME
    headline: {text: 引擎排图的新闻标题, size: 40pt}
    photos:
PHOTOS
    body: [BODY]
"""
THREE = """      - {file: images/wanfeng-lake.jpg, caption: 万丰湖}
      - {file: images/power-valley.jpg, caption: 动力谷}
      - {file: images/factory-ba.jpg, caption: 厂BA, credit: 记者 摄}"""


def _page(frame="{column: 1, columns: 6, line: 1, lines: 100}", photos=THREE, body=70):
    return PAGE.replace("FRAME", frame).replace("PHOTOS", photos).replace("BODY", ", ".join([PARA] * body))


def _photo_frames(notes, v):
    """The grid frames the photos got: where composition says each went (picture top to caption
    foot), the editor's frame or the engine's choice."""
    art = v.doc.articles[0]
    return [notes.photo_frames.get((art.id, i)) or p.frame for i, p in enumerate(art.photos)]


@pytest.fixture(scope="module")
def three(root, tmp_path_factory):
    return compose(root, tmp_path_factory.mktemp("three"), _page())


def test_every_photo_is_placed_inside_the_article_below_the_head(three):
    v, page, notes, _ = three
    art = v.doc.articles[0]
    frames = _photo_frames(notes, v)
    assert all(f is not None for f in frames) and all(p.frame is None for p in art.photos)
    images = [i for i in page.items if isinstance(i, Image)]
    assert len(images) == 3
    head = max(i.y for i in page.items if isinstance(i, Glyphs) and i.role == "headline")
    for f in frames:
        assert _inside(f, art.frame)
        assert v.grid.line_top(f.line) > head
    for i in range(3):
        for j in range(i + 1, 3):
            assert not _overlap(frames[i], frames[j])


def test_the_first_is_at_the_top_of_the_body_across_most_columns(three):
    v, page, notes, _ = three
    g = v.grid
    first = _photo_frames(notes, v)[0]
    body_top = min(int((i.y - g.top) // g.pitch) + 1 for i in page.items if isinstance(i, Glyphs) and i.role == "body")
    assert first.line == body_top
    assert first.columns == 4 and first.column + first.columns - 1 == 6  # two thirds, at the right
    later = _photo_frames(notes, v)[1:]
    assert all(f.line > first.line + first.lines for f in later)  # further ones lower down
    assert later[0].column == 1  # ... the second at the left


def test_height_follows_the_picture(three):
    v, page, notes, _ = three
    g = v.grid
    for photo, f in zip(v.doc.articles[0].photos, _photo_frames(notes, v)):
        img = next(i for i in page.items if isinstance(i, Image) and i.file == photo.file)
        aspect = 1.5 if "power" not in photo.file else 4 / 3
        picture_lines = f.lines - photo.reserved_lines
        natural = (g.span_width(f.columns) / aspect - g.body_size) / g.pitch + 1
        assert abs(picture_lines - natural) <= 0.5 or picture_lines < natural  # as tall as asked, or capped
        assert img.w == pytest.approx(g.span_width(f.columns))


def test_no_text_in_any_photo_and_baselines_on_the_grid(three):
    v, page, notes, faces = three
    g = v.grid
    assert notes.overset == []
    frames = _photo_frames(notes, v)
    em_top = faces.em_top("body")
    for it in (i for i in page.items if isinstance(i, Glyphs) and i.role == "body"):
        ln = (it.y - g.baseline(1, em_top)) / g.pitch
        assert abs(ln - round(ln)) < 1e-6
        for f in frames:
            x, y, w, h = g.rect(f.column, f.columns, f.line, f.lines)
            assert not (x < it.right and it.x < x + w and y < it.y and it.y - it.size < y + h), it.text


def test_guides_outline_engine_photos(three):
    v, page, notes, _ = three
    g = v.grid
    guides = compose_guides(g, v.doc, notes.photo_frames)  # where composition put the photos
    boxes = {(round(r.x, 3), round(r.y, 3)) for r in guides if isinstance(r, Rect) and r.role == "guide-module"}
    for f in _photo_frames(notes, v):
        assert (round(g.column_x(f.column), 3), round(g.line_top(f.line), 3)) in boxes


def test_placement_is_deterministic(root, tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    a = compose(root, tmp_path / "a", _page())
    b = compose(root, tmp_path / "b", _page())
    assert _photo_frames(a[2], a[0]) == _photo_frames(b[2], b[0])


def test_an_editor_placed_photo_is_kept_clear_of(root, tmp_path):
    photos = ("      - {file: images/wanfeng-lake.jpg, caption: 万丰湖, frame: {column: 3, columns: 4, line: 9, lines: 24}}\n"
              "      - {file: images/power-valley.jpg, caption: 动力谷}")
    v, page, notes, _ = compose(root, tmp_path, _page(photos=photos))
    given, placed = _photo_frames(notes, v)
    assert placed is not None and not _overlap(given, placed)


def test_in_a_stepped_module_the_notch_is_avoided(root, tmp_path):
    frame = "{column: 1, columns: 6, line: 1, lines: 60, notch: {corner: top-right, columns: 3, lines: 30}}"
    text = _page(frame=frame, body=45) + """ads:
  - {kind: image, id: box, frame: {column: 4, columns: 3, line: 1, lines: 30}, file: images/power-valley.jpg}
"""
    v, page, notes, _ = compose(root, tmp_path, text)
    art = v.doc.articles[0]
    n = notch_frame(art.frame)
    for f in _photo_frames(notes, v):
        assert f is not None and _inside(f, art.frame) and not _overlap(f, n)


def test_no_room_is_a_located_error(root, tmp_path):
    # a narrow module with a tall head: validation passes (it cannot know the head), the build says why
    folder = tmp_path / "page"
    (folder / "images").mkdir(parents=True)
    shutil.copy(root / "images" / "wanfeng-lake.jpg", folder / "images")
    text = PAGE.replace("FRAME", "{column: 1, columns: 2, line: 1, lines: 12}").replace(
        "PHOTOS", "      - {file: images/wanfeng-lake.jpg, caption: 万丰湖}").replace("BODY", PARA)
    text = text.replace("size: 40pt}", "size: 40pt, max_lines: 3}")
    (folder / "content.yaml").write_text(text, encoding="utf-8")
    r = subprocess.run([PY, "-m", "layout", "build", str(folder / "content.yaml"), "-o", str(tmp_path / "x.pdf")],
                       capture_output=True, text=True)
    assert r.returncode == 1, r.stderr
    assert "content.yaml:9:9: error: photo images/wanfeng-lake.jpg: no room to place it in article 'main'" in r.stderr
    assert "give the photo a `frame`" in r.stderr
    assert not (tmp_path / "x.pdf").exists()


def test_a_module_too_short_is_refused_by_validation(root, tmp_path):
    (tmp_path / "images").mkdir()
    shutil.copy(root / "images" / "wanfeng-lake.jpg", tmp_path / "images")
    text = PAGE.replace("FRAME", "{column: 1, columns: 6, line: 1, lines: 6}").replace(
        "PHOTOS", "      - {file: images/wanfeng-lake.jpg, caption: 万丰湖}").replace("BODY", PARA)
    (tmp_path / "c.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as exc:
        validate(load_file(tmp_path / "c.yaml"))
    d = next(d for d in exc.value.diagnostics if d.code == "photo-fit")
    assert (d.line, d.column) == (9, 9) and "no room to place it" in d.message and "give the photo a `frame`" in d.hint


def test_guides_outline_two_photos_of_the_same_file(root, tmp_path):
    """Photos are told apart by their place in the list, not by file name: two pictures of one
    file get two outlines, each where it went."""
    same = """      - {file: images/wanfeng-lake.jpg, caption: 万丰湖}
      - {file: images/wanfeng-lake.jpg, caption: 万丰湖夜景}"""
    v, page, notes, _ = compose(root, tmp_path, _page(photos=same))
    frames = [notes.photo_frames[("main", i)] for i in range(2)]
    assert frames[0] != frames[1]
    g = v.grid
    boxes = {(round(r.x, 3), round(r.y, 3)) for r in compose_guides(g, v.doc, notes.photo_frames)
             if isinstance(r, Rect) and r.role == "guide-module"}
    for f in frames:
        assert (round(g.column_x(f.column), 3), round(g.line_top(f.line), 3)) in boxes
