"""What every story's module shares, horizontal or vertical: the sizes of its heads' levels, the
rule above it, its outline and its tint."""

from __future__ import annotations

from layout.compose.context import Context
from layout.display import Polygon, Rect
from layout.model.content import Article
from layout.model.frames import notch_frame


#: the sizes of a headline block's levels, for a main head of at least SMALL_HEAD_FROM pt; below
#: it the kicker and subhead are set at SMALL_HEAD_RATIO of the head (never as large as the head)
SUBHEAD_SIZE = 20.0
BYLINE_SIZE = 12.0
KICKER_SIZE = 22.0
SMALL_HEAD_FROM = 36.0
SMALL_HEAD_RATIO = 0.6
#: a section head's size, in body sizes: one size for every section head of a page
SECTION_SIZE = 1.25


def level_size(level: float, head: float, body: float) -> float:
    """The size of a kicker or subhead (``level``) under a main head of ``head`` pt: as designed
    for a large head, in proportion under a small one, never under the body size."""
    return max(body, min(level, head * SMALL_HEAD_RATIO)) if head < SMALL_HEAD_FROM else level


def has_rule_above(art: Article) -> bool:
    """A story below another is parted from it by a rule unless the editor says otherwise."""
    return art.rule_above if art.rule_above is not None else art.frame.line > 1


def module_outline(frame, grid, pad: float) -> tuple[tuple[float, float], ...]:
    """The corners of a module's outline in points, clockwise from the top left, its sides
    ``pad`` out into the gutters around it (and beside a notch); six corners for a stepped
    module."""
    g = grid
    x0 = g.column_x(frame.column) - pad
    x1 = g.column_x(frame.column + frame.columns - 1) + g.column_width + pad
    y0, y1 = g.line_top(frame.line), g.line_top(frame.line + frame.lines)
    n = notch_frame(frame)
    corners = {"top-left": (x0, y0), "top-right": (x1, y0), "bottom-right": (x1, y1), "bottom-left": (x0, y1)}
    if n is None:
        return tuple(corners.values())
    corner = frame.notch.corner
    nx = g.column_x(n.column) - pad if corner.endswith("right") else g.column_x(n.column + n.columns - 1) + g.column_width + pad
    ny = g.line_top(n.line + n.lines) if corner.startswith("top") else g.line_top(n.line)
    steps = {"top-left": ((x0, ny), (nx, ny), (nx, y0)), "top-right": ((nx, y0), (nx, ny), (x1, ny)),
             "bottom-right": ((x1, ny), (nx, ny), (nx, y1)), "bottom-left": ((nx, y1), (nx, ny), (x0, ny))}
    points: list[tuple[float, float]] = []
    for name, point in corners.items():
        points.extend(steps[name] if name == corner else (point,))
    return tuple(points)


def tint_box(art: Article, ctx: Context) -> Rect | Polygon:
    """The module's background: its frame, reaching half a gutter into the gutters around it; an
    L for a stepped module."""
    g = ctx.grid
    pad = g.gutter / 2
    if notch_frame(art.frame) is not None:
        return Polygon(module_outline(art.frame, g, pad), fill=ctx.color(art.tint), role="article-tint")
    x, y, w, h = g.rect(art.frame.column, art.frame.columns, art.frame.line, art.frame.lines)
    return Rect(x - pad, y, w + 2 * pad, h, fill=ctx.color(art.tint), role="article-tint")


