"""Photo groups (组图): several pictures in one frame, side by side or in rows, with the column
gutter between them, each cropped around its own focus, under one caption and credit; text
wraps around the group's frame. Checked on the display list, and validation of groups."""

from __future__ import annotations

import pytest

from layout.display import Glyphs, Image
from layout.errors import InputError
from layout.model.source import load_file
from layout.model.validate import validate

from tests.test_stepped import PARA, compose

PAGE = """
page: {size: berliner}
folio: {paper: 示例日报, date: 2025-01-06, page: 2}
articles:
  - id: main
    frame: {column: 1, columns: 6, line: 1, lines: 70}
    headline: {text: 组图新闻的标题, size: 40pt}
    photos:
      - id: set
        group:
          - images/wanfeng-lake.jpg
          - {file: images/factory-ba.jpg, focus: [0.5, 0.3]}
          - images/power-valley.jpg
        ACROSS
        frame: FRAME
        caption: 高新区一日
        credit: 记者 摄
    body: [BODY]
"""


def _compose(root, tmp_path, frame="{column: 2, columns: 5, line: 10, lines: 20}", across="", body=30):
    text = PAGE.replace("FRAME", frame).replace("ACROSS", across).replace("BODY", ", ".join([PARA] * body))
    return compose(root, tmp_path, text)


def _frame_box(g, f):
    x, y, w, h = g.rect(f.column, f.columns, f.line, f.lines)
    return x, y, x + w, y + h


@pytest.fixture(scope="module")
def row(root, tmp_path_factory):
    return _compose(root, tmp_path_factory.mktemp("row"))


def test_every_picture_inside_the_group_frame(row):
    v, page, _, _ = row
    g = v.grid
    photo = v.doc.articles[0].photos[0]
    pics = [i for i in page.items if isinstance(i, Image)]
    assert [p.role for p in pics] == ["group-photo"] * 3
    assert [p.file for p in pics] == [p.file for p in photo.pictures]
    x0, y0, x1, y1 = _frame_box(g, photo.frame)
    for p in pics:
        assert x0 - 1e-6 <= p.x and p.x + p.w <= x1 + 1e-6 and y0 <= p.y and p.y + p.h <= y1
    # the row fills the frame's width, edge to edge
    assert pics[0].x == pytest.approx(x0) and pics[-1].x + pics[-1].w == pytest.approx(x1)


def test_equal_cells_with_the_gutter_between_them(row):
    v, page, _, _ = row
    g = v.grid
    pics = sorted((i for i in page.items if isinstance(i, Image)), key=lambda i: i.x)
    assert len({round(p.w, 6) for p in pics}) == 1 and len({round(p.h, 6) for p in pics}) == 1
    assert len({round(p.y, 6) for p in pics}) == 1
    gaps = [b.x - (a.x + a.w) for a, b in zip(pics, pics[1:])]
    assert gaps == [pytest.approx(g.gutter)] * 2


def test_pictures_sit_on_the_em_box_of_their_lines(row):
    v, page, _, _ = row
    g = v.grid
    photo = v.doc.articles[0].photos[0]
    pic = next(i for i in page.items if isinstance(i, Image))
    inset = (g.pitch - g.body_size) / 2
    assert pic.y == pytest.approx(g.line_top(photo.frame.line) + inset)
    last = photo.frame.line + photo.frame.lines - photo.reserved_lines - 1
    assert pic.y + pic.h == pytest.approx(g.line_top(last) + inset + g.body_size)


def test_one_caption_and_credit_under_the_group(row):
    v, page, _, _ = row
    g = v.grid
    photo = v.doc.articles[0].photos[0]
    captions = [i for i in page.items if isinstance(i, Glyphs) and i.role == "caption"]
    credits = [i for i in page.items if isinstance(i, Glyphs) and i.role == "credit"]
    assert len(captions) == 1 and len(credits) == 1
    bottom = max(i.y + i.h for i in page.items if isinstance(i, Image))
    x0, y0, x1, y1 = _frame_box(g, photo.frame)
    cap = captions[0]
    assert bottom < cap.y - cap.size * 0.8 and cap.y < y1 and cap.y < credits[0].y < y1
    assert (cap.xs[0] + cap.right) / 2 == pytest.approx((x0 + x1) / 2, abs=0.5)  # centred under the whole group
    assert credits[0].right == pytest.approx(x1, abs=0.5)


def test_text_wraps_around_the_group(row):
    v, page, notes, _ = row
    g = v.grid
    photo = v.doc.articles[0].photos[0]
    x0, y0, x1, y1 = _frame_box(g, photo.frame)
    body = [i for i in page.items if isinstance(i, Glyphs) and i.role == "body"]
    assert body and notes.overset == []
    for it in body:
        assert not (x0 < it.right and it.x < x1 and y0 < it.y and it.y - it.size < y1), it.text
    # ... and runs beside it in column 1, and below it
    assert any(it.x == pytest.approx(g.column_x(1)) and y0 < it.y < y1 for it in body)
    assert any(it.x == pytest.approx(g.column_x(2)) and it.y > y1 for it in body)


def test_each_picture_is_prepared_for_its_cell_with_its_focus(row):
    from layout.assets.photos import prepare_pictures
    from layout.cache import cache_root

    v, page, _, _ = row
    pics = [i for i in page.items if isinstance(i, Image)]
    assert [p.focus for p in pics] == [tuple(p.focus) for p in v.doc.articles[0].photos[0].pictures]
    prepared = prepare_pictures([page], v.source.folder, cache_root() / "images", target_ppi=300, min_ppi=170)
    assert prepared.problems == [] and prepared.items == pics
    # each cropped to its cell's proportions (within a pixel)
    for p, placed in zip(prepared.items, prepared.placed):
        w, h = placed.pixels
        assert w / h == pytest.approx(p.w / p.h, rel=0.01)


def test_rows_of_across_with_the_last_row_centred(root, tmp_path):
    v, page, _, _ = _compose(root, tmp_path, frame="{column: 1, columns: 4, line: 10, lines: 30}", across="across: 2")
    g = v.grid
    pics = [i for i in page.items if isinstance(i, Image)]
    assert len({round(p.y, 6) for p in pics}) == 2
    a, b, c = pics
    assert a.y == pytest.approx(b.y) and c.y - (a.y + a.h) == pytest.approx(g.gutter)  # equal gutters down, too
    assert b.x - (a.x + a.w) == pytest.approx(g.gutter)
    x0, _, x1, _ = _frame_box(g, v.doc.articles[0].photos[0].frame)
    assert (c.x + c.x + c.w) / 2 == pytest.approx((x0 + x1) / 2)  # the lone picture of the last row is centred


def test_group_bleeds_on_its_outer_edge_only(root, tmp_path):
    v, page, _, _ = _compose(root, tmp_path, frame="{column: 1, columns: 6, line: 10, lines: 20}\n        bleed: [left]")
    g = v.grid
    pics = sorted((i for i in page.items if isinstance(i, Image)), key=lambda i: i.x)
    assert pics[0].x == pytest.approx(-g.bleed)
    assert pics[1].x > g.left and pics[2].x + pics[2].w == pytest.approx(g.right)


# ------------------------------------------------------------------------------------------------
# validation
# ------------------------------------------------------------------------------------------------


def _errors(root, tmp_path, photo: str):
    (tmp_path / "images").mkdir(exist_ok=True)
    for name in ("wanfeng-lake.jpg", "power-valley.jpg"):
        (tmp_path / "images" / name).write_bytes((root / "images" / name).read_bytes())
    text = ("folio: {paper: 株洲日报, date: 2024-10-31, page: 3}\n"
            "articles:\n"
            "  - id: main\n"
            "    frame: {column: 1, columns: 6, line: 1, lines: 60}\n"
            "    headline: {text: 标题, size: 30pt}\n"
            "    body: [正文。]\n"
            "    photos:\n" + photo)
    (tmp_path / "c.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as exc:
        validate(load_file(tmp_path / "c.yaml"))
    return exc.value.diagnostics


def test_group_of_one_picture(root, tmp_path):
    d = _errors(root, tmp_path, "      - group: [images/wanfeng-lake.jpg]\n        frame: {column: 1, columns: 2, line: 10, lines: 10}\n")[0]
    assert (d.line, d.column) == (8, 16) and "at least 2" in d.message


def test_group_and_file_together(root, tmp_path):
    d = _errors(root, tmp_path, "      - file: images/wanfeng-lake.jpg\n"
                                "        group: [images/wanfeng-lake.jpg, images/power-valley.jpg]\n")[0]
    assert (d.line, d.column) == (9, 9) and "both `file` and `group`" in d.message


def test_missing_picture_of_a_group_is_located(root, tmp_path):
    d = _errors(root, tmp_path, "      - group:\n          - images/wanfeng-lake.jpg\n          - {file: images/power-vally.jpg}\n"
                                "        frame: {column: 1, columns: 2, line: 10, lines: 10}\n")[0]
    assert (d.line, d.column) == (10, 20) and "not found" in d.message and "power-valley.jpg" in d.hint


def test_a_picture_that_is_a_number(root, tmp_path):
    d = _errors(root, tmp_path, "      - group: [images/wanfeng-lake.jpg, 3]\n")[0]
    assert (d.line, d.column) == (8, 42) and "a file name or {file: ..., focus: [x, y]}" in d.message


def test_focus_belongs_to_the_pictures(root, tmp_path):
    d = _errors(root, tmp_path, "      - group: [images/wanfeng-lake.jpg, images/power-valley.jpg]\n        focus: [0.5, 0.2]\n")[0]
    assert (d.line, d.column) == (9, 9) and "own focus" in d.message


def test_across_more_than_pictures(root, tmp_path):
    d = _errors(root, tmp_path, "      - group: [images/wanfeng-lake.jpg, images/power-valley.jpg]\n        across: 3\n"
                                "        frame: {column: 1, columns: 4, line: 10, lines: 10}\n")[0]
    assert (d.line, d.column) == (9, 17) and "across 3" in d.message and "at most 2" in d.hint


def test_across_on_a_single_photo(root, tmp_path):
    d = _errors(root, tmp_path, "      - file: images/wanfeng-lake.jpg\n        across: 2\n")[0]
    assert (d.line, d.column) == (9, 9) and "`across` is for a photo `group`" in d.message


def test_slivers_are_refused(root, tmp_path):
    d = _errors(root, tmp_path, "      - group: [images/wanfeng-lake.jpg, images/power-valley.jpg, images/wanfeng-lake.jpg,"
                                " images/power-valley.jpg]\n        frame: {column: 1, columns: 1, line: 10, lines: 10}\n")[0]
    assert d.code == "group-range" and (d.line, d.column) == (9, 37) and "3 字" in d.hint


def test_a_broken_picture_in_a_group_is_located(root, tmp_path):
    """A group's picture that cannot be read is named at its own line and column in the group
    list (the build's image errors look inside `group`, not only at `file`)."""
    import shutil

    from layout.build import BuildOptions, build

    page = tmp_path / "page"
    shutil.copytree(root / "examples" / "stepped", page, ignore=shutil.ignore_patterns("output"))
    (page / "images" / "broken.jpg").write_bytes(b"\xff\xd8\xff\xe0 not a jpeg")
    text = (page / "content.yaml").read_text(encoding="utf-8")
    assert "          - images/power-valley.jpg\n" in text
    text = text.replace("          - images/power-valley.jpg\n", "          - images/broken.jpg\n", 1)
    (page / "content.yaml").write_text(text, encoding="utf-8")
    line = text.splitlines().index("          - images/broken.jpg") + 1
    with pytest.raises(InputError) as exc:
        build(page / "content.yaml", BuildOptions(output=tmp_path / "x.pdf"))
    d = exc.value.diagnostics[0]
    assert (d.line, d.column) == (line, 13) and "broken.jpg" in d.message
    assert not (tmp_path / "x.pdf").exists()
