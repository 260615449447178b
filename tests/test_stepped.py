"""Stepped (L-shaped) modules: a frame less a notch at one corner that another article or an ad
fills. Checked on the display list: no text in the notch, baselines on the grid, heads over the
right columns, tint, rules and column rules following the L, the L in the guides, balanced
columns; and validation of the notch with located messages."""

from __future__ import annotations

import shutil
import subprocess
import sys

import pytest

from compose_support import composed
from layout.compose.guides import compose_guides
from layout.display import Glyphs, Image, Line, Polygon, Rect
from layout.errors import InputError
from layout.model.frames import frame_parts, head_frame, notch_frame
from layout.model.content import Frame, ModuleFrame, Notch
from layout.model.source import load_file
from layout.model.frames import inside as _inside, overlap as _overlap
from layout.model.validate import validate

PY = sys.executable
PARA = "城市品牌是城市特点、魅力的集中展现，更是城市对自我的认同和追求，必将持续汇聚凝聚力、吸引力和辐射力。"


def compose(root, folder, text: str):
    (folder / "images").mkdir(exist_ok=True)
    for name in ("wanfeng-lake.jpg", "power-valley.jpg", "factory-ba.jpg"):
        shutil.copy(root / "images" / name, folder / "images" / name)
    (folder / "content.yaml").write_text(text, encoding="utf-8")
    c = composed(folder / "content.yaml")
    return c.v, c.page, c.notes, c.faces


@pytest.fixture(scope="module")
def stepped(root):
    """The example page: the lead notched at the bottom right (a brief in the notch), the
    gallery notched at the top left (an ad in the notch)."""
    c = composed(root / "examples/stepped/content.yaml")
    return c.v, c.page, c.notes, c.faces


def _art(v, ident):
    return next(a for a in v.doc.articles if a.id == ident)


def _body(page, ident):
    return [i for i in page.items if isinstance(i, Glyphs) and i.role == "body" and i.source.startswith(ident + ":")]


def _box(g, f: Frame):
    x, y, w, h = g.rect(f.column, f.columns, f.line, f.lines)
    return x, y, x + w, y + h


def _inside_box(item: Glyphs, box, size) -> bool:
    x0, y0, x1, y1 = box
    return x0 - 0.01 <= item.x < x1 and y0 < item.y and item.y - size < y1


# ------------------------------------------------------------------------------------------------
# the shape as grid rectangles
# ------------------------------------------------------------------------------------------------


def _frame(corner, column=1, columns=6, line=10, lines=50, nc=2, nl=20):
    return ModuleFrame(column=column, columns=columns, line=line, lines=lines,
                       notch=Notch(corner=corner, columns=nc, lines=nl))


@pytest.mark.parametrize("corner,notch", [("top-left", (1, 2, 10, 20)), ("top-right", (5, 2, 10, 20)),
                                          ("bottom-left", (1, 2, 40, 20)), ("bottom-right", (5, 2, 40, 20))])
def test_notch_sits_at_its_corner_and_the_parts_cover_the_rest(corner, notch):
    f = _frame(corner)
    n = notch_frame(f)
    assert (n.column, n.columns, n.line, n.lines) == notch
    cells = {(c, ln) for p in frame_parts(f) for c in range(p.column, p.column + p.columns)
             for ln in range(p.line, p.line + p.lines)}
    notch_cells = {(c, ln) for c in range(n.column, n.column + n.columns) for ln in range(n.line, n.line + n.lines)}
    every = {(c, ln) for c in range(1, 7) for ln in range(10, 60)}
    assert cells == every - notch_cells
    assert sum(p.columns * p.lines for p in frame_parts(f)) == len(cells)  # the parts do not overlap


def test_head_spans_the_columns_beside_a_top_notch_only():
    assert (head_frame(_frame("top-left")).column, head_frame(_frame("top-left")).columns) == (3, 4)
    assert (head_frame(_frame("top-right")).column, head_frame(_frame("top-right")).columns) == (1, 4)
    assert (head_frame(_frame("bottom-right")).column, head_frame(_frame("bottom-right")).columns) == (1, 6)


def test_a_module_in_the_notch_does_not_overlap_the_l():
    f = _frame("bottom-right")
    assert not _overlap(Frame(column=5, columns=2, line=40, lines=20), f)  # exactly the notch
    assert not _overlap(Frame(column=5, columns=2, line=45, lines=30), f)  # in it and below the frame
    assert _overlap(Frame(column=4, columns=2, line=40, lines=20), f)  # one column into the L
    assert _overlap(Frame(column=5, columns=2, line=39, lines=5), f)  # one line into the L
    assert _inside(Frame(column=1, columns=3, line=40, lines=10), f)  # beside the notch
    assert not _inside(Frame(column=4, columns=2, line=40, lines=10), f)  # half in the notch


# ------------------------------------------------------------------------------------------------
# the example page
# ------------------------------------------------------------------------------------------------


def test_no_text_line_in_a_notch(stepped):
    v, page, _, _ = stepped
    g = v.grid
    for ident in ("lead", "gallery"):
        art = _art(v, ident)
        n = _box(g, notch_frame(art.frame))
        lines = [i for i in page.items if isinstance(i, Glyphs) and i.source.startswith(ident + ":")]
        assert lines
        for it in lines:
            assert not _inside_box(it, n, it.size), (ident, it.text)


def test_text_stays_in_its_l(stepped):
    v, page, _, _ = stepped
    g = v.grid
    for ident in ("lead", "gallery"):
        parts = [_box(g, p) for p in frame_parts(_art(v, ident).frame)]
        for it in _body(page, ident):
            assert any(_inside_box(it, b, it.size) and it.right <= b[2] + 0.01 for b in parts), it.text


def test_no_text_line_inside_a_photo_or_ad(stepped):
    v, page, _, _ = stepped
    g = v.grid
    boxes = [(i.x, i.y, i.x + i.w, i.y + i.h) for i in page.items if isinstance(i, Image)]
    boxes += [_box(g, ad.frame) for ad in v.doc.ads]
    for it in (i for i in page.items if isinstance(i, Glyphs) and i.role == "body"):
        for x0, y0, x1, y1 in boxes:
            assert not (x0 < it.right and it.x < x1 and y0 < it.y and it.y - it.size < y1), it.text


def test_body_baselines_on_the_grid(stepped):
    v, page, _, faces = stepped
    g = v.grid
    em_top = faces.em_top("body")
    for it in _body(page, "lead") + _body(page, "gallery") + _body(page, "brief"):
        ln = (it.y - g.baseline(1, em_top)) / g.pitch
        assert abs(ln - round(ln)) < 1e-6, it.text
        assert g.column_x(round((it.x - g.left) / (g.column_width + g.gutter)) + 1) == pytest.approx(it.x)


def test_head_across_the_whole_frame_over_a_bottom_notch(stepped):
    v, page, _, _ = stepped
    g = v.grid
    head = next(i for i in page.items if isinstance(i, Glyphs) and i.role == "headline" and i.source == "lead:headline")
    centre = (head.xs[0] + head.right) / 2
    assert centre == pytest.approx(g.left + g.area_width / 2, abs=1.0)  # centred on all six columns
    assert head.right - head.xs[0] > g.span_width(4)


def test_head_beside_a_top_notch(stepped):
    v, page, _, _ = stepped
    g = v.grid
    art = _art(v, "gallery")
    n = notch_frame(art.frame)
    head = next(i for i in page.items if isinstance(i, Glyphs) and i.role == "headline" and i.source == "gallery:headline")
    assert head.xs[0] >= g.column_x(n.column + n.columns) - 0.01  # starts right of the ad
    assert head.y < g.line_top(n.line + n.lines)  # level with the notch, not under it


def test_rules_follow_the_l(stepped):
    v, page, _, _ = stepped
    g = v.grid
    art = _art(v, "gallery")
    n = notch_frame(art.frame)
    rules = [i for i in page.items if isinstance(i, Rect) and i.role == "article-rule"]
    top = [r for r in rules if r.y == pytest.approx(g.line_top(art.frame.line) + g.pitch / 2 - 0.375)
           and r.x == pytest.approx(g.column_x(n.column + n.columns))]
    assert len(top) == 1 and top[0].w == pytest.approx(g.span_width(art.frame.columns - n.columns))
    under = [r for r in rules if r.y == pytest.approx(g.line_top(n.line + n.lines) + g.pitch / 2 - 0.375)]
    assert len(under) == 1 and under[0].x == pytest.approx(g.column_x(n.column))
    assert under[0].w == pytest.approx(g.span_width(n.columns))
    # text in the columns under the notch starts on the line after that rule
    first = min(i.y for i in _body(page, "gallery") if i.x < g.column_x(n.column + n.columns))
    assert g.line_top(n.line + n.lines + 1) < first < g.line_top(n.line + n.lines + 2)


def test_column_rules_stay_out_of_the_notch(stepped):
    v, page, _, _ = stepped
    g = v.grid
    art = _art(v, "gallery")
    x0, y0, x1, y1 = _box(g, notch_frame(art.frame))
    rules = [i for i in page.items if isinstance(i, Line) and i.role == "column-rule"]
    assert rules
    for r in rules:
        assert not (x0 - g.gutter <= r.x1 <= x1 + g.gutter and r.y1 < y1 and y0 < r.y2)
        assert r.y2 - r.y1 >= g.pitch  # no one-line stubs


def test_guides_outline_the_l(stepped):
    v, page, notes, _ = stepped
    g = v.grid
    guides = compose_guides(g, v.doc)
    ls = [i for i in guides if isinstance(i, Polygon) and i.role == "guide-module"]
    assert len(ls) == 2 and all(len(p.points) == 6 for p in ls)
    lead = _art(v, "lead")
    x0, y0, x1, y1 = _box(g, lead.frame)
    xs = {round(x, 3) for x, _ in ls[0].points}
    ys = {round(y, 3) for _, y in ls[0].points}
    n = notch_frame(lead.frame)
    assert xs == {round(x0, 3), round(x1, 3), round(g.column_x(n.column), 3)}
    assert ys == {round(y0, 3), round(y1, 3), round(g.line_top(n.line), 3)}
    # the photo the engine placed is outlined where it went (composition records where)
    photo = lead.photos[0]
    assert photo.frame is None
    f = notes.photo_frames[("lead", 0)]
    x, y, w, h = g.rect(f.column, f.columns, f.line, f.lines)
    placed = compose_guides(g, v.doc, notes.photo_frames)
    assert any(isinstance(r, Rect) and r.role == "guide-module" and (r.x, r.y, r.w, r.h) == (x, y, w, h) for r in placed)
    assert not any(isinstance(r, Rect) and (r.x, r.y, r.w, r.h) == (x, y, w, h) for r in guides)


def test_nothing_overset_and_the_columns_end_together(stepped):
    v, page, notes, _ = stepped
    from layout.findings import Notice

    warnings = [f.message for f in notes.findings if isinstance(f, Notice) and f.severity == "warning"]
    assert notes.overset == [] and warnings == [] and v.warnings == []
    # the photo the engine placed (four columns, as large as the text wants) leaves column 4 one
    # line between it and the brief's notch: the desk is told, as a note
    stranded = [f for f in notes.findings if isinstance(f, Notice) and f.code == "line-stranded"]
    assert [(f.article, f.severity) for f in stranded] == [("lead", "note")], stranded
    assert all(u.lines <= 12 for u in notes.underset), notes.underset
    g = v.grid
    art = _art(v, "gallery")
    lows = {}
    for it in _body(page, "gallery"):
        col = round((it.x - g.left) / (g.column_width + g.gutter)) + 1
        lows[col] = max(lows.get(col, 0), it.y)
    assert len(lows) == art.frame.columns
    assert (max(lows.values()) - min(lows.values())) / g.pitch <= 1 + 1e-6


# ------------------------------------------------------------------------------------------------
# tint, balancing and the heads, on small pages
# ------------------------------------------------------------------------------------------------


def _page(body_lead: str, notch: str, tint: bool = True, lead_lines: int = 60) -> str:
    return f"""
page: {{size: berliner}}
folio: {{paper: 示例日报, date: 2025-01-06, page: 2}}
articles:
  - id: lead
    frame: {{column: 1, columns: 6, line: 1, lines: {lead_lines}, notch: {notch}}}
    headline: {{text: 阶梯形版块的头条, size: 40pt}}
    {"tint: tint" if tint else ""}
    column_rules: true
    body: [{body_lead}]
ads:
  - {{kind: image, id: box, frame: {{column: 5, columns: 2, line: 41, lines: 20}}, file: images/power-valley.jpg}}
"""


def test_tint_is_an_l_reaching_into_the_gutters(root, tmp_path):
    v, page, notes, _ = compose(root, tmp_path, _page(", ".join([PARA] * 90), "{corner: bottom-right, columns: 2, lines: 20}"))
    assert notes.overset  # more text than room: every column runs full
    g = v.grid
    tint = next(i for i in page.items if getattr(i, "role", "") == "article-tint")
    assert isinstance(tint, Polygon) and len(tint.points) == 6
    pad = g.gutter / 2
    nx = g.column_x(5) - pad  # the middle of the gutter beside the notch
    ny = g.line_top(41)
    assert (nx, ny) in [(pytest.approx(x), pytest.approx(y)) for x, y in tint.points]
    assert min(x for x, _ in tint.points) == pytest.approx(g.left - pad)
    assert max(x for x, _ in tint.points) == pytest.approx(g.right + pad)
    # the ad in the notch is no obstacle for the lead: its columns run to the line above the notch
    col5 = [i for i in _body(page, "lead") if i.x == pytest.approx(g.column_x(5))]
    assert col5 and g.line_top(40) < max(i.y for i in col5) < g.line_top(41)


def _column_feet(page, g, article):
    """Column number -> the grid line of the article's last body line in that column."""
    lows = {}
    for it in _body(page, article):
        col = round((it.x - g.left) / (g.column_width + g.gutter)) + 1
        lows[col] = max(lows.get(col, 0), int((it.y - g.top) // g.pitch) + 1)
    return lows


def test_balanced_columns_in_an_l(root, tmp_path):
    # little text in a large L: the columns end together, the short ones above the notch included
    v, page, notes, _ = compose(root, tmp_path, _page(", ".join([PARA] * 7), "{corner: bottom-right, columns: 2, lines: 20}",
                                                      tint=False))
    assert notes.overset == [] and notes.underset
    g = v.grid
    lows = _column_feet(page, g, "lead")
    assert len(lows) == 6
    assert max(lows.values()) - min(lows.values()) <= 1, lows
    assert max(lows.values()) < 40  # balanced above the notch, well short of the frame's foot


def test_balanced_columns_longer_than_the_short_side(root, tmp_path):
    # more text: the columns above the notch fill to it, the others end together lower down
    v, page, notes, _ = compose(root, tmp_path, _page(", ".join([PARA] * 58), "{corner: bottom-right, columns: 2, lines: 20}",
                                                      tint=False))
    assert notes.overset == [] and notes.underset
    g = v.grid
    lows = _column_feet(page, g, "lead")
    long_cols = [lows[c] for c in range(1, 5)]
    assert max(long_cols) - min(long_cols) <= 1 and max(long_cols) > 40, lows
    assert lows[5] <= 40 and lows[6] <= 40


def test_head_running_into_a_bottom_notch_is_warned(root, tmp_path):
    _, _, notes, _ = compose(root, tmp_path, _page(PARA, "{corner: bottom-right, columns: 2, lines: 57}", tint=False,
                                                   lead_lines=60).replace("line: 41, lines: 20", "line: 4, lines: 57"))
    assert any("runs into the notch" in w for w in notes.warnings)


# ------------------------------------------------------------------------------------------------
# validation
# ------------------------------------------------------------------------------------------------

BASE = """folio: {paper: 株洲日报, date: 2024-10-31, page: 3}
articles:
  - id: main
    frame:
      column: 1
      columns: 6
      line: 1
      lines: 60
      notch: NOTCH
    headline: {text: 标题, size: 30pt}
    body: [正文。]
  - id: side
    frame: SIDE
    headline: {text: 侧栏, size: 20pt}
    body: [正文。]
"""


def _errors(tmp_path, notch: str, side: str = "{column: 5, columns: 2, line: 41, lines: 20}"):
    (tmp_path / "c.yaml").write_text(BASE.replace("NOTCH", notch).replace("SIDE", side), encoding="utf-8")
    try:
        v = validate(load_file(tmp_path / "c.yaml"))
    except InputError as exc:
        return [d for d in exc.diagnostics if d.severity == "error"], []
    return [], [d for d in v.warnings if d.severity == "warning"]


def test_an_article_in_the_notch_validates(tmp_path):
    errors, warnings = _errors(tmp_path, "{corner: bottom-right, columns: 2, lines: 20}")
    assert errors == [] and warnings == []


def test_notch_as_wide_as_the_frame_is_located(tmp_path):
    errors, _ = _errors(tmp_path, "{corner: bottom-right, columns: 6, lines: 20}")
    d = next(d for d in errors if d.code == "notch-range")
    assert (d.line, d.column) == (9, 46) and "leaves nothing" in d.message and "at most 5 columns" in d.hint


def test_notch_as_tall_as_the_frame_is_located(tmp_path):
    errors, _ = _errors(tmp_path, "{corner: top-left, columns: 2, lines: 60}")
    d = next(d for d in errors if d.code == "notch-range")
    assert (d.line, d.column) == (9, 52) and "at most 59 lines" in d.hint


def test_unknown_corner_is_located(tmp_path):
    errors, _ = _errors(tmp_path, "{corner: bottom-middle, columns: 2, lines: 20}")
    assert errors and (errors[0].line, errors[0].column) == (9, 23) and "bottom-right" in errors[0].message


def test_module_reaching_into_the_l_overlaps(tmp_path):
    errors, _ = _errors(tmp_path, "{corner: bottom-right, columns: 2, lines: 20}", "{column: 4, columns: 3, line: 41, lines: 20}")
    d = next(d for d in errors if d.code == "overlap")
    assert d.line == 13 and "overlaps article 'main'" in d.message


def test_an_unfilled_notch_is_warned(tmp_path):
    errors, warnings = _errors(tmp_path, "{corner: bottom-right, columns: 2, lines: 20}", "{column: 5, columns: 2, line: 41, lines: 10}")
    assert errors == []
    d = next(d for d in warnings if d.code == "notch-empty")
    assert d.line == 9 and "20 of its 40 grid cells" in d.message


def test_photo_in_the_notch_is_located(tmp_path):
    text = BASE.replace("NOTCH", "{corner: bottom-right, columns: 2, lines: 20}").replace(
        "SIDE", "{column: 5, columns: 2, line: 41, lines: 20}").replace(
        "    body: [正文。]\n  - id: side",
        "    photos:\n      - {file: images/p.jpg, frame: {column: 4, columns: 2, line: 30, lines: 20}}\n"
        "    body: [正文。]\n  - id: side", 1)
    (tmp_path / "images").mkdir()
    (tmp_path / "images" / "p.jpg").write_bytes(b"")
    (tmp_path / "c.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as exc:
        validate(load_file(tmp_path / "c.yaml"))
    d = next(d for d in exc.value.diagnostics if d.code == "frame-outside")
    assert (d.line, d.column) == (12, 37) and "notch" in d.message and "clear of its notch" in d.hint


def test_cli_prints_file_line_column(tmp_path):
    (tmp_path / "c.yaml").write_text(BASE.replace("NOTCH", "{corner: bottom-right, columns: 7, lines: 20}").replace(
        "SIDE", "{column: 5, columns: 2, line: 41, lines: 20}"), encoding="utf-8")
    r = subprocess.run([PY, "-m", "layout", "check", str(tmp_path / "c.yaml")], capture_output=True, text=True)
    assert r.returncode == 1
    assert "overlap" not in r.stderr  # a notch too big is one error, not an overlap too
    assert "c.yaml:9:46: error: a notch of 7 columns leaves nothing" in r.stderr
