"""Printer's marks as display items (layout.finish.marks): pure data, checked without a PDF."""

from __future__ import annotations

from datetime import datetime

import pytest

from layout.display import REGISTRATION, Ellipse, Glyphs, Line, Rect, Spot
from layout.finish.marks import COLOR_BAR, SlugInfo, press_marks

MM = 72 / 25.4
W, H = 390 * MM, 550 * MM  # 对开 broadsheet trim
BLEED, SLUG = 3 * MM, 12 * MM
INFO = SlugInfo("daily-2024-05-01.pdf", "A1", datetime(2024, 5, 1, 22, 30), edition="城市版")


def bbox(item):
    if isinstance(item, Line):
        pad = item.width / 2
        return (min(item.x1, item.x2) - pad, min(item.y1, item.y2) - pad,
                max(item.x1, item.x2) + pad, max(item.y1, item.y2) + pad)
    if isinstance(item, (Rect, Ellipse)):
        pad = item.line_width / 2
        return (item.x - pad, item.y - pad, item.x + item.w + pad, item.y + item.h + pad)
    if isinstance(item, Glyphs):
        return (item.x, item.y - item.size, item.right, item.y + item.size * 0.3)
    raise AssertionError(item)


def paints(item):
    if isinstance(item, Line):
        return [item.color]
    if isinstance(item, Glyphs):
        return [item.color]
    return [p for p in (item.fill, item.stroke) if p is not None]


@pytest.fixture(scope="module")
def marks():
    return press_marks(W, H, BLEED, SLUG, INFO)


def test_every_mark_is_in_the_slug_outside_the_bleed(marks):
    outer = BLEED + SLUG
    for it in marks:
        x0, y0, x1, y1 = bbox(it)
        # inside the media box
        assert x0 >= -outer - 1e-6 and y0 >= -outer - 1e-6, it
        assert x1 <= W + outer + 1e-6 and y1 <= H + outer + 1e-6, it
        # and entirely outside the bleed box
        outside = x1 <= -BLEED or y1 <= -BLEED or x0 >= W + BLEED or y0 >= H + BLEED
        assert outside, it


def test_colours_are_registration_or_cmyk(marks):
    for it in marks:
        for p in paints(it):
            if isinstance(p, Spot):
                assert p == REGISTRATION
            else:
                assert len(p) == 4 and all(0 <= v <= 1 for v in p)


def test_crop_marks_at_four_corners(marks):
    crops = [m for m in marks if m.role == "crop-mark"]
    assert len(crops) == 8
    for ln in crops:
        assert ln.color == REGISTRATION
        assert ln.width <= 0.3
        # each lies on a trim line extended: x in {0, W} (vertical) or y in {0, H}
        if ln.x1 == ln.x2:
            assert ln.x1 in (0, W)
            assert min(abs(ln.y1), abs(ln.y2), abs(ln.y1 - H), abs(ln.y2 - H)) >= BLEED - 1e-9
        else:
            assert ln.y1 in (0, H)


def test_registration_targets_centred_on_each_side(marks):
    circles = [m for m in marks if isinstance(m, Ellipse) and m.role == "reg-mark"]
    centres = {(round(c.x + c.w / 2, 3), round(c.y + c.h / 2, 3)) for c in circles}
    mid = BLEED + SLUG / 2
    expected = {(round(W / 2, 3), round(-mid, 3)), (round(W / 2, 3), round(H + mid, 3)),
                (round(-mid, 3), round(H / 2, 3)), (round(W + mid, 3), round(H / 2, 3))}
    assert centres == expected
    crosses = [m for m in marks if isinstance(m, Line) and m.role == "reg-mark"]
    assert len(crosses) == 8


def test_colour_bar(marks):
    bar = [m for m in marks if m.role == "color-bar"]
    assert [r.fill for r in bar] == [c for _, c in COLOR_BAR]
    fills = [r.fill for r in bar]
    assert (0, 0, 0, 0.25) in fills and (0, 0, 0, 0.5) in fills and (0, 0, 0, 0.75) in fills
    assert (0.5, 0.4, 0.4, 0) in fills  # grey balance
    assert any(abs(sum(f) - 2.4) < 1e-9 for f in fills)
    assert all(r.y + r.h <= -BLEED for r in bar)  # top slug


def test_slug_line(marks):
    (slug,) = [m for m in marks if m.role == "slug-line"]
    assert slug.font == "folio"
    assert slug.color == REGISTRATION
    assert 5 <= slug.size <= 7
    for part in ("daily-2024-05-01.pdf", "A1", "2024-05-01 22:30", "C M Y K", "城市版"):
        assert part in slug.text
    assert len(slug.xs) == len(slug.text) == len(slug.widths)
    assert list(slug.xs) == sorted(slug.xs)
    assert slug.y > H + BLEED


def test_measure_callback_is_used():
    marks = press_marks(W, H, BLEED, SLUG, INFO, measure=lambda t, s: [s] * len(t))
    (slug,) = [m for m in marks if m.role == "slug-line"]
    assert set(slug.widths) == {slug.size}


def test_no_slug_no_marks():
    assert press_marks(W, H, BLEED, 0, INFO) == []


def test_small_slug_drops_what_does_not_fit():
    marks = press_marks(200, 300, 0, 6, INFO)
    assert all(m.role != "color-bar" for m in marks)  # 6 pt is too small for patches
    for it in marks:
        x0, y0, x1, y1 = bbox(it)
        assert x1 <= 0 or y1 <= 0 or x0 >= 200 or y0 >= 300
