"""Overlap checks of modules on the grid (layout.model.frames.Occupancy): comparing a page's few
modules as rectangles first gives the answers the grid cells give, for any sequence of modules
(stepped ones, ones past the grid's edge, overlapping ones, more than a few)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from layout.model.content import ModuleFrame, Notch
from layout.model.frames import Occupancy, grid_cells

COLUMNS, LINES = 8, 60


@st.composite
def modules(draw):
    column = draw(st.integers(1, COLUMNS + 1))
    line = draw(st.integers(1, LINES + 1))
    columns = draw(st.integers(1, 5))
    lines = draw(st.integers(1, 40))
    notch = None
    if columns > 1 and lines > 1 and draw(st.booleans()):
        notch = Notch(corner=draw(st.sampled_from(["top-left", "top-right", "bottom-left", "bottom-right"])),
                      columns=draw(st.integers(1, columns - 1)), lines=draw(st.integers(1, lines - 1)))
    return ModuleFrame(column=column, columns=columns, line=line, lines=lines, notch=notch)


def _by_cells(frames, allowed):
    """What the cells alone answer: each module's first clash with those before it (None: it is
    added), then which cells are held."""
    held: dict = {}
    answers = []
    for k, f in enumerate(frames):
        clash = None
        for cell in grid_cells(f, COLUMNS, LINES):
            clash = next((o for o in held.get(cell, ()) if not allowed(k, o)), None)
            if clash is not None:
                break
        answers.append(clash)
        if clash is None:
            for cell in grid_cells(f, COLUMNS, LINES):
                got = held.setdefault(cell, [])
                if len(got) < 4:
                    got.append(k)
    return answers, set(held)


@settings(max_examples=300, deadline=None)
@given(frames=st.lists(modules(), max_size=Occupancy.FEW + 12), parity=st.booleans())
def test_rectangles_first_give_the_cells_answers(frames, parity):
    allowed = (lambda k, other: (k + other) % 2 == 0) if parity else (lambda k, other: False)
    want, cells = _by_cells(frames, allowed)
    occ = Occupancy(COLUMNS, LINES)
    got = []
    for k, f in enumerate(frames):
        clash = occ.first_clash(f, lambda other, k=k: allowed(k, other))
        got.append(clash)
        if clash is None:
            occ.add(f, k)
    assert got == want
    assert {c for c in ((col, ln) for col in range(COLUMNS + 2) for ln in range(LINES + 2)) if occ.holds(c)} == cells


def test_a_page_without_overlaps_lists_no_cell_until_asked():
    occ = Occupancy(COLUMNS, LINES)
    for k in range(COLUMNS):
        f = ModuleFrame(column=k + 1, columns=1, line=1, lines=LINES)
        assert occ.first_clash(f) is None
        occ.add(f, k)
    assert occ._held == {}  # (rectangles were enough)
    assert occ.first_clash(ModuleFrame(column=3, columns=2, line=10, lines=2)) == 2
    assert occ.holds((8, LINES)) and not occ.holds((9, 1))
