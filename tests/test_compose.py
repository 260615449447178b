"""Composition geometry, checked on the display list (no PDF involved)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings, strategies as st

from compose_support import composed
from layout.compose.flow import HeadBlock, TextLine, free_slots, pour
from layout.display import Glyphs, Image, Rect
from layout.model.content import Frame, SectionHead
from layout.model.source import load_file
from layout.model.validate import validate


@pytest.fixture(scope="module")
def seed(seed_yaml):
    c = composed(seed_yaml)
    return c.v, c.page, c.notes


def _box(it):
    if isinstance(it, Glyphs):
        return (it.x, it.y - it.size * 0.88, it.right, it.y + it.size * 0.12)
    return (it.x, it.y, it.x + it.w, it.y + it.h)


def test_everything_inside_the_type_area(seed):
    v, page, _ = seed
    g = v.grid
    eps = 0.01
    for it in page.items:
        if getattr(it, "role", "").startswith("folio"):
            continue  # the folio lives in the top margin by design
        if isinstance(it, (Glyphs, Rect, Image)):
            x0, y0, x1, y1 = _box(it)
            assert g.left - eps <= x0 and x1 <= g.right + eps, (it.role, x0, x1)
            assert g.top - eps <= y0 and y1 <= g.bottom + eps, (it.role, y0, y1)


def test_folio_above_the_type_area(seed):
    v, page, _ = seed
    folio = [it for it in page.items if getattr(it, "role", "").startswith("folio")]
    assert folio and all(_box(it)[3] <= v.grid.top for it in folio)
    texts = "".join(it.text for it in folio if isinstance(it, Glyphs))
    assert "株洲日报" in texts and "2024年10月31日" in texts and "星期四" in texts and "高新区·天元区" in texts


def test_body_lines_do_not_overlap_photos_ads_or_each_other(seed):
    _, page, _ = seed
    body = [it for it in page.items if isinstance(it, Glyphs) and it.role == "body"]
    blocks = [it for it in page.items if isinstance(it, Image) or getattr(it, "role", "") == "ad-background"]
    assert len(blocks) == 4
    for line in body:
        bx = _box(line)
        for b in blocks:
            ox = _box(b)
            assert bx[2] <= ox[0] or ox[2] <= bx[0] or bx[3] <= ox[1] or ox[3] <= bx[1], (line.text, b.role)
    boxes = sorted(_box(l) for l in body)
    for a, b in zip(boxes, boxes[1:]):
        assert a[2] <= b[0] + 0.01 or a[3] <= b[1] or b[3] <= a[1]


def test_body_on_the_baseline_grid(seed):
    v, page, _ = seed
    g = v.grid
    first = g.baseline(1, em_top=0.88)
    for it in page.items:
        if isinstance(it, Glyphs) and it.role == "body":
            k = (it.y - first) / g.pitch
            assert abs(k - round(k)) < 1e-6, it.text


def test_text_order_preserved(seed):
    """Reading the body lines column by column gives every paragraph, in order."""
    v, page, notes = seed
    assert not notes.overset, notes.overset
    g = v.grid
    body = [it for it in page.items if isinstance(it, Glyphs) and it.role == "body"]
    order = sorted(body, key=lambda it: (round((it.x - g.left) / (g.column_width + g.gutter)), it.y))
    text = "".join(it.text for it in order)
    expected = "".join(b for b in v.doc.articles[0].body if isinstance(b, str))
    # a space where a line breaks is dropped (Deep / Blue); nothing else may differ
    assert text.replace(" ", "") == expected.replace(" ", "")
    assert expected.count(" ") - text.count(" ") <= sum(1 for a, b in zip(order, order[1:]) if a.text and b.text)


def test_three_photos_with_captions(seed):
    _, page, _ = seed
    assert len([it for it in page.items if isinstance(it, Image)]) == 3
    captions = [it.text for it in page.items if isinstance(it, Glyphs) and it.role == "caption"]
    assert [c.lstrip("▲") for c in captions] == ["万丰湖", "“厂BA”", "动力谷"]
    credits = [it.text for it in page.items if isinstance(it, Glyphs) and it.role == "credit"]
    assert credits == ["（图片由天元区融媒体中心提供）"]


def test_ad_elements(seed):
    _, page, _ = seed
    chars = [it.text for it in page.items if isinstance(it, Glyphs) and it.role == "ad-character"]
    assert "".join(chars) == "护林常抓不懈防火警钟长鸣"
    circles = [it for it in page.items if getattr(it, "role", "") == "ad-circle"]
    assert len(circles) == 12
    for ch_run in (it for it in page.items if isinstance(it, Glyphs) and it.role == "ad-character"):
        assert any(c.x <= ch_run.x and ch_run.right <= c.x + c.w for c in circles)
    texts = {it.text for it in page.items if isinstance(it, Glyphs)}
    for s in ("预防森林火灾", "守护绿色家园", "森林防火　人人有责", "设计/王莹", "公益广告", "株洲日报"):
        assert s in texts, s


def test_headline_block(seed):
    v, page, _ = seed
    by_role = {it.role: it for it in page.items if isinstance(it, Glyphs)}
    head, sub, by = by_role["headline"], by_role["subhead"], by_role["byline"]
    assert head.text == "实力高新　出圈有道"
    assert head.y < sub.y < by.y
    g = v.grid
    centre = (g.left + g.right) / 2
    assert abs((head.xs[0] + head.right) / 2 - centre) < 1.0


# --- the flow on its own: random frames and obstacles -------------------------------------

@settings(max_examples=60, deadline=None)
@given(st.integers(1, 4), st.integers(10, 60), st.lists(st.tuples(st.integers(0, 3), st.integers(0, 50), st.integers(2, 20)), max_size=3),
       st.integers(0, 200), st.lists(st.integers(0, 200), max_size=4))
def test_pour_respects_slots(columns, lines, obstacles, n_lines, head_at):
    frame = Frame(column=1, columns=columns, line=1, lines=lines)
    obs = [Frame(column=1 + (c % columns), columns=1, line=1 + (l % lines), lines=min(h, lines - (l % lines)))
           for c, l, h in obstacles]
    slots = free_slots(frame, 1, obs)
    items = [TextLine(line=None, source="", paragraph=i) for i in range(n_lines)]
    for pos in sorted(set(head_at), reverse=True):
        if pos <= len(items):
            items.insert(pos, HeadBlock(SectionHead(head="小标题"), lines=2))
    res = pour(items, slots)
    used = set()
    for p in res.placed:
        for ln in range(p.line, p.line + p.lines):
            assert (p.column, ln) not in used
            used.add((p.column, ln))
            assert any(s.column == p.column and s.first <= ln < s.first + s.count for s in slots)
    placed_items = [p.item for p in res.placed]
    assert placed_items + list(res.overset_items) == items  # order kept, nothing lost
    capacity = sum(s.count for s in slots)
    assert len(used) <= capacity


def test_short_article_is_balanced():
    """Text that does not fill its frame ends level across the columns (within a line)."""
    from layout.compose.flow import pour_balanced

    frame = Frame(column=1, columns=4, line=1, lines=50)
    slots = free_slots(frame, 1, [])
    items = [TextLine(line=None, source="", paragraph=0) for _ in range(101)]
    res = pour_balanced(items, slots)
    assert not res.overset_items
    bottoms = {}
    for p in res.placed:
        bottoms[p.column] = max(bottoms.get(p.column, 0), p.line)
    assert len(bottoms) == 4
    assert max(bottoms.values()) - min(bottoms.values()) <= 1
    assert max(bottoms.values()) == 26  # ceil(101 / 4)
    assert res.free_lines == 200 - 101


@settings(max_examples=60, deadline=None)
@given(st.integers(1, 5), st.integers(5, 40), st.integers(0, 250))
def test_balanced_pour_never_loses_text(columns, lines, n):
    from layout.compose.flow import pour_balanced

    slots = free_slots(Frame(column=1, columns=columns, line=1, lines=lines), 1, [])
    items = [TextLine(line=None, source="", paragraph=i) for i in range(n)]
    plain, balanced = pour(items, slots), pour_balanced(items, slots)
    assert [p.item for p in balanced.placed] + list(balanced.overset_items) == items
    assert len(balanced.overset_items) == len(plain.overset_items)
    if not plain.overset_items and balanced.placed:
        bottoms = {}
        for p in balanced.placed:
            bottoms[p.column] = max(bottoms.get(p.column, 0), p.line)
        assert max(bottoms.values()) - min(bottoms.values()) <= 1 or len(bottoms) < columns


def test_a_picture_across_the_story_is_read_as_a_divide():
    """A photo crossing every column in the middle of a story: the band above it is read across
    its columns, then the band below (down column 1 into the lower half and back up to column
    2's upper half is a jump the reader does not expect). A band of a line or two above the
    picture (a line left between heads and picture) keeps the reading down the columns, and so
    does a photo that leaves a column free."""
    frame = Frame(column=1, columns=3, line=1, lines=40)
    across = [Frame(column=1, columns=3, line=12, lines=10)]
    slots = free_slots(frame, 1, across)
    assert [(s.column, s.first) for s in slots] == [(1, 1), (2, 1), (3, 1), (1, 22), (2, 22), (3, 22)]
    # pouring fills the upper band first: line 10 of column 3 is read before line 22 of column 1
    lines = [TextLine(line=None, source="a", paragraph=0) for _ in range(40)]
    placed = pour(lines, slots).placed
    assert [(p.column, p.line) for p in placed[:31]][29:] == [(3, 10), (1, 22)]
    thin = [Frame(column=1, columns=3, line=3, lines=10)]
    assert [s.column for s in free_slots(frame, 1, thin)] == [1, 1, 2, 2, 3, 3]
    part = [Frame(column=1, columns=2, line=12, lines=10)]
    assert [s.column for s in free_slots(frame, 1, part)] == [1, 1, 2, 2, 3]
