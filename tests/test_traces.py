"""Golden display-list traces: every example page composes to the trace checked in under
tests/golden/ (see layout/trace.py for the format, tests/golden/README.md for when to refresh).

Why: the geometry tests each check one property; these catch any unintended change of layout
anywhere on a page, and say what moved in a diff a person can read. The second half checks that
the net has no holes: a 0.1 pt move is seen, float noise is not, and nothing machine-specific
(the prepared images' cache paths, the content file's absolute path) gets into a trace.
"""

from __future__ import annotations

import msgspec
import pytest
from trace_support import CASES, ROOT, display_pages, drift_message, trace_text

from layout.display import BLACK, REGISTRATION, Ellipse, Glyphs, Image, Line, Page, Polygon, Rect, Spot
from layout.trace import HEADER, dump


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_page_matches_its_golden_trace(case):
    actual = trace_text(case)
    rel = case.golden.relative_to(ROOT)
    if not case.golden.exists():
        pytest.fail(f"{rel} is missing: `make traces` writes it", pytrace=False)
    expected = case.golden.read_text(encoding="utf-8")
    if actual != expected:
        pytest.fail(drift_message(str(rel), expected, actual), pytrace=False)


def test_every_golden_file_has_a_case():
    """A trace left behind by a removed or renamed case would never be checked again."""
    golden = {p.name for p in (ROOT / "tests" / "golden").glob("*.trace")}
    assert golden == {c.golden.name for c in CASES}


# -- the net has no holes ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def seed_page() -> Page:
    (page,) = display_pages(ROOT / "content.yaml")
    return page


def _changed_lines(a: str, b: str) -> list[tuple[str, str]]:
    la, lb = a.splitlines(), b.splitlines()
    assert len(la) == len(lb)
    return [(x, y) for x, y in zip(la, lb) if x != y]


def _with_item(page: Page, index: int, item) -> Page:
    items = list(page.items)
    items[index] = item
    return msgspec.structs.replace(page, items=items)


def test_a_glyph_moved_by_a_tenth_of_a_point_changes_exactly_one_line(seed_page):
    i, run = next((i, it) for i, it in enumerate(seed_page.items)
                  if isinstance(it, Glyphs) and it.role == "body" and len(it.xs) > 5)
    xs = list(run.xs)
    xs[3] += 0.1
    moved = _with_item(seed_page, i, msgspec.structs.replace(run, xs=tuple(xs)))
    changed = _changed_lines(dump(seed_page), dump(moved))
    assert len(changed) == 1
    before, after = changed[0]
    offsets = lambda line: line.split(" xs=")[1].split(" ")[0].split(",")  # noqa: E731
    assert [n for n, (p, q) in enumerate(zip(offsets(before), offsets(after))) if p != q] == [3]


def test_a_run_moved_by_a_tenth_of_a_point_changes_exactly_one_line(seed_page):
    i, run = next((i, it) for i, it in enumerate(seed_page.items) if isinstance(it, Glyphs))
    moved = msgspec.structs.replace(run, y=run.y + 0.1)
    assert len(_changed_lines(dump(seed_page), dump(_with_item(seed_page, i, moved)))) == 1


def test_float_noise_is_not_drift(seed_page):
    i, run = next((i, it) for i, it in enumerate(seed_page.items) if isinstance(it, Glyphs))
    noisy = msgspec.structs.replace(run, x=run.x + 1e-9, xs=tuple(x + 1e-9 for x in run.xs))
    assert dump(_with_item(seed_page, i, noisy)) == dump(seed_page)


def test_no_machine_specific_path_in_a_trace(seed_page):
    """Pictures are named as the editor wrote them; the prepared files (in a cache folder) are
    not part of the display list, and neither is the checkout's path."""
    text = dump(seed_page)
    images = [it for it in seed_page.items if isinstance(it, Image)]
    assert images and all(not it.file.startswith("/") for it in images)
    for it in images:
        assert f"file={it.file} " in text
    assert str(ROOT) not in text and ".cache" not in text and "broadsheet/images" not in text


def test_a_stale_golden_file_fails_with_a_short_readable_diff():
    expected = "".join(f"line {n}\n" for n in range(300))
    actual = expected.replace("line 7\n", "line 7 moved\n")
    msg = drift_message("tests/golden/x.trace", expected, actual)
    assert "1 line(s) removed, 1 added" in msg and "make traces" in msg
    assert "-line 7\n+line 7 moved" in msg
    everything = "".join(f"line {n} moved\n" for n in range(300))
    long = drift_message("tests/golden/x.trace", expected, everything)
    assert "300 line(s) removed, 300 added" in long
    assert len(long.splitlines()) < 90 and "more diff lines not shown" in long


def test_the_format_of_each_kind():
    """The documented format, line by line (layout/trace.py's docstring)."""
    page = Page(width=600.0, height=800.004, bleed=8.5, slug=0.0)
    page.add(Glyphs(10.0, 20.0, '城市"a"', "body", 9.0, (10.0, 19.0, 23.5, 28.0), (9.0, 4.5, 4.5, 4.5),
                    overprint=True, role="body", source="main:body[0]"))
    page.add(Rect(1.0, -0.001, 10.0, 0.3, fill=(0.1, 0.0, 0.0, 0.25), stroke=Spot("PANTONE 185 C", (0, 0.91, 0.76, 0), 0.5),
                  line_width=0.75, radius=2.0, role="rule"))
    page.add(Line(0.0, 1.0, 5.0, 1.0, BLACK, 0.5, dash=(3.0, 1.5), role="column-rule"))
    page.add(Ellipse(1.0, 2.0, 3.0, 4.0, stroke=REGISTRATION, line_width=0.25))
    page.add(Polygon(((0.0, 0.0), (1.0, 0.0), (0.5, 1.0)), fill=(0, 1, 1, 0.1), role="ad-art"))
    page.add(Image(5.0, 6.0, 70.0, 80.0, "images/lake.jpg", (0.5, 0.3), source="main:photo:lake"))
    page.marks.append(Line(0.0, -9.5, 0.0, -29.5, REGISTRATION, 0.25, role="crop-mark"))
    assert dump(page, title="demo  page\n(press)").splitlines() == [
        HEADER,
        "# demo page (press)",
        "page 600.00x800.00 bleed=8.50 slug=0.00",
        "items 6",
        '  glyphs body main:body[0] font=body size=9 x=10.00 y=20.00 color=0,0,0,1 overprint "城市\\"a\\"" '
        "xs=+0,+9,+13.5,+18 ws=9,4.5*3",
        '  rect rule x=1.00 y=0.00 w=10.00 h=0.30 fill=0.1,0,0,0.25 stroke=spot:"PANTONE 185 C"@0.5(0,0.91,0.76,0) '
        "lw=0.75 r=2",
        "  line column-rule from=0.00,1.00 to=5.00,1.00 color=0,0,0,1 width=0.5 dash=3,1.5",
        "  ellipse - x=1.00 y=2.00 w=3.00 h=4.00 stroke=spot:All(1,1,1,1) lw=0.25",
        "  polygon ad-art fill=0,1,1,0.1 pts=0.00,0.00 1.00,0.00 0.50,1.00",
        "  image photo main:photo:lake x=5.00 y=6.00 w=70.00 h=80.00 file=images/lake.jpg focus=0.5,0.3",
        "marks 1",
        "  line crop-mark from=0.00,-9.50 to=0.00,-29.50 color=spot:All(1,1,1,1) width=0.25",
        "guides 0",
    ]
