"""Printer's marks as display-list items: crop marks, registration targets, colour bar, slug line.

Why here and as data: ReportLab's own ``cropMarks=True`` draws RGB marks and sets no boxes, which
is useless on a CMYK press. Returning plain display items lets the renderer draw marks exactly
like page content (same colour handling, same fonts), lets tests inspect them without a PDF, and
keeps the decision of *whether* to draw marks (an ad delivered alone carries none) with the
caller.

Geometry: coordinates are relative to the top-left corner of the trim box, y downwards, as in
:mod:`layout.display`; marks lie outside the trim, so their x or y is negative or beyond the trim
size. The page is trim + 2 x (bleed + slug) wide; every mark stays in the slug band, outside the
bleed, so that nothing of it can print on the sheet once trimmed and nothing touches the bleed.
Elements that do not fit a small slug are left out rather than pushed into the bleed.

Colours: marks that must land on every plate (crop marks, targets, slug text) are in
registration colour (:data:`layout.display.REGISTRATION`, the separation "All"); the colour bar
patches are process CMYK. Nothing is RGB.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Sequence
from datetime import datetime

from msgspec import Struct, field

from layout.display import REGISTRATION, CMYK, Ellipse, Glyphs, Item, Line, Rect

#: hairline for crop marks and targets: thin enough to be precise, thick enough to image on plate
MARK_WIDTH = 0.25
SLUG_FONT = "folio"
SLUG_SIZE = 6.0

#: the colour bar, left to right: solids, K tints (dot gain check), a C+M+Y grey-balance patch
#: (50/40/40, which prints neutral grey on a balanced newspaper press), and a patch at 240 %
#: total ink (trapping / set-off check at the press limit)
COLOR_BAR: tuple[tuple[str, CMYK], ...] = (
    ("C", (1.0, 0.0, 0.0, 0.0)),
    ("M", (0.0, 1.0, 0.0, 0.0)),
    ("Y", (0.0, 0.0, 1.0, 0.0)),
    ("K", (0.0, 0.0, 0.0, 1.0)),
    ("K25", (0.0, 0.0, 0.0, 0.25)),
    ("K50", (0.0, 0.0, 0.0, 0.5)),
    ("K75", (0.0, 0.0, 0.0, 0.75)),
    ("CMY", (0.5, 0.4, 0.4, 0.0)),
    ("TAC240", (0.6, 0.6, 0.6, 0.6)),
)


class SlugInfo(Struct, frozen=True):
    """What the slug line says: enough for the plate room to identify a plate on sight."""

    file_name: str
    page: str | int
    when: datetime | str
    plates: tuple[str, ...] = ("C", "M", "Y", "K")
    edition: str = ""
    extra: tuple[str, ...] = field(default_factory=tuple)

    def text(self) -> str:
        when = self.when.strftime("%Y-%m-%d %H:%M") if isinstance(self.when, datetime) else str(self.when)
        parts = [self.file_name]
        if self.edition:
            parts.append(self.edition)
        parts += [f"page {self.page}", when, " ".join(self.plates), *self.extra]
        return "   ".join(p for p in parts if p)


def estimate_advances(text: str, size: float) -> list[float]:
    """Advance widths without font metrics: 1 em for wide (CJK) characters, 0.3 em for a space,
    0.56 em otherwise. The slug line is positioned per character (Glyphs.xs), so an estimate
    only affects spacing, never overlap with wider glyphs beyond a hair."""
    out = []
    for ch in text:
        if unicodedata.east_asian_width(ch) in ("W", "F"):
            out.append(size)
        elif ch == " ":
            out.append(0.3 * size)
        else:
            out.append(0.56 * size)
    return out


def press_marks(
    trim_w: float,
    trim_h: float,
    bleed: float,
    slug: float,
    info: SlugInfo,
    *,
    measure: Callable[[str, float], Sequence[float]] | None = None,
    slug_font: str = SLUG_FONT,
    slug_size: float = SLUG_SIZE,
) -> list[Item]:
    """The printer's marks of one page, in trim-relative coordinates (see the module doc).

    ``measure(text, size)`` may give real advance widths for the slug font (the renderer's font
    registry); without it they are estimated. Roles: "crop-mark", "reg-mark", "color-bar",
    "slug-line", so a report or test can find them.
    """
    w, h, b, s = float(trim_w), float(trim_h), float(bleed), float(slug)
    if s <= 0:
        return []
    outer = b + s  # distance from the trim edge to the media edge
    items: list[Item] = []

    # -- crop marks: the trim lines extended into the slug, starting 1 pt outside the bleed so
    # that a line cap or RIP rounding never puts registration colour into the bleed
    offset = max(b + 1.0, 6.0)
    length = min(20.0, outer - offset - 2.0)
    if length >= 4.0:
        for x in (0.0, w):
            items.append(Line(x, -offset, x, -offset - length, REGISTRATION, MARK_WIDTH, role="crop-mark"))
            items.append(Line(x, h + offset, x, h + offset + length, REGISTRATION, MARK_WIDTH, role="crop-mark"))
        for y in (0.0, h):
            items.append(Line(-offset, y, -offset - length, y, REGISTRATION, MARK_WIDTH, role="crop-mark"))
            items.append(Line(w + offset, y, w + offset + length, y, REGISTRATION, MARK_WIDTH, role="crop-mark"))

    # -- registration targets: circle + cross, centred on each side, in the middle of the slug
    mid = b + s / 2
    r = min(6.0, (s / 2 - 1.0) / 1.35)
    reach = 0.0
    if r >= 2.0:
        reach = 1.35 * r
        for cx, cy in ((w / 2, -mid), (w / 2, h + mid), (-mid, h / 2), (w + mid, h / 2)):
            items.append(Ellipse(cx - r, cy - r, 2 * r, 2 * r, stroke=REGISTRATION,
                                 line_width=MARK_WIDTH, role="reg-mark"))
            items.append(Ellipse(cx - r / 2, cy - r / 2, r, r, stroke=REGISTRATION,
                                 line_width=MARK_WIDTH, role="reg-mark"))
            items.append(Line(cx - reach, cy, cx + reach, cy, REGISTRATION, MARK_WIDTH, role="reg-mark"))
            items.append(Line(cx, cy - reach, cx, cy + reach, REGISTRATION, MARK_WIDTH, role="reg-mark"))

    # -- colour bar along the top edge, left of the centre target
    start = 12.0
    room = w / 2 - reach - 6.0 - start
    p = min(14.0, s - 4.0, room / len(COLOR_BAR) if room > 0 else 0.0)
    if p >= 4.0:
        y = -mid - p / 2
        for i, (name, cmyk) in enumerate(COLOR_BAR):
            items.append(Rect(start + i * p, y, p, p, fill=cmyk, role="color-bar"))

    # -- slug line along the bottom edge
    size = min(slug_size, s * 0.6)
    text = info.text()
    if size >= 3.0 and text:
        adv = list(measure(text, size) if measure else estimate_advances(text, size))
        width = sum(adv)
        x0 = start
        if x0 + width > w / 2 - reach - 4.0 and w / 2 + reach + 6.0 + width <= w - start:
            x0 = w / 2 + reach + 6.0  # too long for the left half: put it right of the target
        xs, x = [], x0
        for a in adv:
            xs.append(x)
            x += a
        baseline = h + mid + size * 0.35
        items.append(Glyphs(x0, baseline, text, slug_font, size, tuple(xs), tuple(adv),
                            color=REGISTRATION, role="slug-line"))
    return items
