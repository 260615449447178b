"""The renderer's short ways of drawing common items write the operators ReportLab's canvas
state machinery writes (saveState, the colour and line setters, restoreState), byte for byte,
and leave the canvas's state as it was; a face notes a run's glyphs as noting them one by one
would; runs of items drawn before are written again only where the document names their faces
alike."""

from __future__ import annotations

import io

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from reportlab.pdfgen.canvas import Canvas

import layout.render.pdf as pdf
from layout.display import Ellipse, Line, Polygon, Rect, Spot

CYAN, BLACK = (1.0, 0.0, 0.0, 0.0), (0.0, 0.0, 0.0, 1.0)
ALL = Spot(name="All", cmyk=(1.0, 1.0, 1.0, 1.0))  # (registration: on every plate)
PANTONE = Spot(name="PANTONE 485 C", cmyk=(0.0, 0.95, 1.0, 0.0), tint=0.4)

SHAPES = [
    Rect(x=10, y=20, w=30.5, h=4, fill=CYAN),
    Rect(x=10, y=20, w=30, h=40, stroke=BLACK, line_width=0.25),
    Rect(x=10, y=20, w=30, h=40, fill=(0.0, 0.3, 0.91, 0.0), stroke=BLACK, line_width=1.5, radius=3),
    Rect(x=1, y=2, w=3, h=4),  # (neither fill nor stroke: a path ended without painting)
    Line(x1=5, y1=6, x2=105.25, y2=6, color=BLACK, width=0.3),
    Line(x1=5, y1=6, x2=5, y2=80, color=CYAN, width=0.5, dash=(2, 1.5)),
    Ellipse(x=50, y=60, w=20, h=10, fill=CYAN),
    Ellipse(x=50, y=60, w=20, h=20, stroke=BLACK, line_width=0.7),
    Polygon(points=((0, 0), (10, 0), (5, 8.66)), fill=BLACK),
    Polygon(points=((0, 0), (10, 0), (10, 10), (0, 10)), fill=CYAN, stroke=BLACK, line_width=2),
    Line(x1=0, y1=3, x2=20, y2=3, color=ALL, width=0.25),
    Ellipse(x=5, y=5, w=8, h=8, stroke=ALL, line_width=0.25),
    Rect(x=3, y=4, w=9, h=2, fill=PANTONE, stroke=ALL, line_width=0.1),
]


def _drawn(items, *, short: bool) -> tuple[list[str], dict]:
    canvas = Canvas(io.BytesIO(), pagesize=(400, 300))
    before = dict(canvas.__dict__)
    real = pdf.SHORT_WAYS
    pdf.SHORT_WAYS = short  # (False: the canvas's own way, which every shape took before)
    try:
        for it in items:
            pdf.draw(canvas, it, 7.0, 9.0, 300.0, None, None)
    finally:
        pdf.SHORT_WAYS = real
    state = {k: v for k, v in canvas.__dict__.items() if k != "_code" and not callable(v)}
    assert {k: v for k, v in before.items() if k != "_code" and not callable(v)} == state
    return list(canvas._code), state


@pytest.mark.parametrize("shape", SHAPES, ids=lambda s: type(s).__name__)
def test_a_process_colour_shape_is_drawn_as_the_canvas_draws_it(shape):
    assert _drawn([shape], short=True)[0] == _drawn([shape], short=False)[0]


def test_a_page_of_shapes_writes_the_same_operators():
    ours, _ = _drawn(SHAPES * 2, short=True)
    theirs, _ = _drawn(SHAPES * 2, short=False)
    assert ours == theirs
    text = "\n".join(ours)
    assert text.count("q") == text.count("Q") == 2 * len(SHAPES)
    assert "1 0 0 0 k" in text and "0 0 0 1 K" in text and "[2 1.5] 0 d" in text
    assert " CS 1 SCN" in text and " cs .4 scn" in text


def _noted_one_by_one(used: set, tu: dict, gids, texts) -> bool:
    """What recording a run meant before the short way: each glyph in turn."""
    faithful = True
    for g, t in zip(gids, texts):
        used.add(g)
        if g == 0:
            faithful = False
        elif t:
            if tu.setdefault(g, t) != t:
                faithful = False
        elif g in tu:
            faithful = False
    return faithful


_runs = st.lists(st.lists(st.tuples(st.integers(0, 6), st.sampled_from(["", "a", "b", "fi", "\u6f22"])), max_size=8),
                 max_size=6)


@settings(max_examples=400, deadline=None)
@given(runs=_runs)
def test_glyphs_noted_run_by_run_as_one_by_one(runs):
    """The glyphs and texts a face notes for its subset and ToUnicode map, and whether each run
    reads back as its text, are what noting them one glyph at a time gives."""
    from layout.render.embed import EmbeddedFace

    face = EmbeddedFace.__new__(EmbeddedFace)
    face.used, face.tounicode = {0}, {}
    used, tu = {0}, {}
    for run in runs:
        gids, texts = [g for g, _ in run], [t for _, t in run]
        assert face.record(gids, texts) == _noted_one_by_one(used, tu, gids, texts)
        assert face.used == used and face.tounicode == tu


def test_a_segment_drawn_before_is_written_again_only_where_it_fits(root, tmp_path):
    """Runs of items drawn by an earlier document are written again as they were only when the
    new document names their faces alike; drawn after a run in another face (so the same faces
    get other names), they are drawn anew. Each file is what a render that remembers nothing
    writes."""
    from layout.build import composed
    from layout.display import Glyphs, Page
    from layout.render.pdf import RenderOptions, forget, render

    c = composed(root / "content.yaml")
    runs = [it for it in c.page.items if type(it) is Glyphs]
    para = max({it.source for it in runs if it.font == "body"}, key=lambda src: sum(it.source == src for it in runs))
    body = [it for it in runs if it.font == "body" and it.source == para][:6]  # (one paragraph: one segment)
    other = next(it for it in runs if it.font == "display_heavy")
    assert len(body) >= 3

    def pdf(items, name, remember=True) -> bytes:
        if not remember:
            forget()
        out = tmp_path / name
        render([Page(width=c.page.width, height=c.page.height, items=list(items))], out, c.faces, None,
               RenderOptions(press=False, title="t", cache_dir=tmp_path / "cache"))
        return out.read_bytes()

    first = pdf(body, "a.pdf")
    replayed = pdf(body, "b.pdf")  # (every segment written again)
    renamed = pdf([other] + body, "c.pdf")  # (the body face is G2 here: its segment is drawn anew)
    assert replayed == pdf(body, "b0.pdf", remember=False) == first
    assert renamed == pdf([other] + body, "c0.pdf", remember=False)
    assert b"/G2" in renamed and b"/G2" not in first
