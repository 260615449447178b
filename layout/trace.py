"""A readable text dump of a display-list page: the golden traces of ``tests/golden/``.

Why: the display list (:mod:`layout.display`) is the one contract between composition and
every output. A PDF is a poor thing to compare (compressed streams, font subsets, image bytes),
and the geometry tests each look at one property. A line-per-item dump, checked into the repo
beside the examples, turns any change of layout into a diff a reviewer can read: which run
moved, by how much, which photo got another frame. Like SILE's ``.expected`` files, it is a
regression net, not a specification: an intended change is accepted by rewriting the files
(``make traces``) and reviewing their diff in the commit.

Why this shape: one item per line so a change touches only the lines of the items it changes
(no item numbers, which would renumber everything after an inserted item); positions rounded to
0.01 pt so float noise between machines or Python versions is not drift; nothing that names a
place on this machine (the prepared image's cache path, the content file's absolute path), so
the same page dumps the same text everywhere. This module reads the display list only: no
ReportLab, no PDF, no file system.

How to read a trace (lines from tests/golden/stepped.trace, long ones cut here)::

    # broadsheet display-list trace, format 1
    # examples/stepped/content.yaml (press)
    page 892.91x1332.28 bleed=8.50 slug=28.35
    items 381
      rect folio-rule x=99.96 y=56.69 w=693.00 h=1.00 fill=0,0,0,1 overprint
      glyphs body lead:body[0] font=body size=9 x=99.96 y=455.12 color=0,0,0,1 overprint "城市品牌，也叫城市" xs=+18,+28.29,+38.57,... ws=9*9
      image group-photo lead:photo:group x=333.96 y=843.20 w=147.00 h=129.00 file=images/wanfeng-lake.jpg focus=0.5,0.5
      ...
    marks 34
      line crop-mark from=0.00,-9.50 to=0.00,-29.50 color=spot:All(1,1,1,1) width=0.25
      ...
    guides 0

The first line names the format, the second (optional) what the caller traced; then the trim
size, bleed and slug in pt, and the sections, each headed by its count and always present even
when empty, with one indented line per item. Sections come in painting order: the renderer
draws the items, then the marks on press output, then the guides on proofs. Within a line the
first word is the item's kind, the second its role (``-`` when it has none; a role, source or
spot name holding a space is written as a JSON string); then, by kind:

- ``glyphs``: the source (article and block, ``-`` if none), font role, size, baseline start
  ``x``/``y``, colour, ``overprint`` when set, the text as a JSON string, ``xs`` each
  character's left edge relative to the run's ``x`` (the first is ``+0`` unless the line is
  indented: ``+18`` above is a 2-em paragraph indent at 9 pt), and ``ws`` the set widths with
  repeats folded (``9*12`` is twelve widths of 9 pt). The slug line's text names the output
  file and the build date (SOURCE_DATE_EPOCH, fixed by whoever writes traces).
- ``rect``/``ellipse``: box ``x y w h``; ``fill``/``stroke`` when painted, ``lw`` the stroke
  width, ``r`` a corner radius, ``overprint``.
- ``line``: ``from``/``to`` end points, colour, ``width``, ``dash`` pattern, ``overprint``.
- ``polygon``: ``fill``/``stroke``/``lw``, then ``pts`` the corners, one ``x,y`` pair each.
- ``image``: role, what it belongs to, box, ``file`` the editor's file as written in content.yaml
  and ``focus`` the point kept in view. Pictures are prepared after composition, into a cache
  folder that varies by machine: nothing of that is in the display list.

Numbers: absolute positions and box sizes have two decimals (``141.20``); sizes, offsets, widths
and colour components are rounded (to 0.01 pt, colours to 0.001) and written without trailing
zeros (``9``, ``4.5``). A colour is CMYK ``c,m,y,k`` in 0..1, or ``spot:NAME(c,m,y,k)`` for a
separation with its alternate, ``spot:NAME@TINT(...)`` when tinted. The format's version is
:data:`FORMAT`, written on the first line; change it when the format changes.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable

from layout.display import Ellipse, Glyphs, Image, Item, Line, Page, Polygon, Rect, Spot

FORMAT = 1
HEADER = f"# broadsheet display-list trace, format {FORMAT}"

_PLAIN_NAME = re.compile(r"[A-Za-z0-9_.+-]+\Z")


def pt(v: float) -> str:
    """An absolute position or size: two decimals, never ``-0.00`` (a sign flip of float noise
    around zero would otherwise be drift)."""
    s = f"{v:.2f}"
    return "0.00" if s == "-0.00" else s


def num(v: float, places: int = 2) -> str:
    """A rounded quantity without trailing zeros: ``9``, ``4.5``, ``0.25``."""
    s = f"{v:.{places}f}".rstrip("0").rstrip(".")
    return "0" if s in ("-0", "") else s


def offset(v: float) -> str:
    """A signed offset: ``+0``, ``+9``, ``-1.5``."""
    s = num(v)
    return s if s.startswith("-") else "+" + s


def paint(p) -> str:
    """A colour: ``c,m,y,k`` or ``spot:NAME[@TINT](c,m,y,k)``."""
    if isinstance(p, Spot):
        name = p.name if _PLAIN_NAME.match(p.name) else json.dumps(p.name, ensure_ascii=False)
        tint = "" if p.tint == 1.0 else "@" + num(p.tint, 3)
        return f"spot:{name}{tint}({_cmyk(p.cmyk)})"
    return _cmyk(p)


def _cmyk(c) -> str:
    return ",".join(num(v, 3) for v in c)


def folded(values: Iterable[float]) -> str:
    """Widths with runs of equal (rounded) values folded: ``9*3,4.5,9``."""
    out: list[str] = []
    last, count = None, 0
    for v in values:
        s = num(v)
        if s == last:
            count += 1
            continue
        if last is not None:
            out.append(last if count == 1 else f"{last}*{count}")
        last, count = s, 1
    if last is not None:
        out.append(last if count == 1 else f"{last}*{count}")
    return ",".join(out)


def _word(s: str) -> str:
    """A role or source as one word: ``-`` when empty, JSON-quoted when it holds a space."""
    if not s:
        return "-"
    return json.dumps(s, ensure_ascii=False) if any(c.isspace() or c == '"' for c in s) else s


def _shape(it) -> list[str]:
    parts = []
    if it.fill is not None:
        parts.append(f"fill={paint(it.fill)}")
    if it.stroke is not None:
        parts.append(f"stroke={paint(it.stroke)} lw={num(it.line_width)}")
    return parts


def item_line(it: Item) -> str:
    """One item as one line (see the module doc)."""
    if isinstance(it, Glyphs):
        parts = ["glyphs", _word(it.role), _word(it.source), f"font={_word(it.font)}", f"size={num(it.size)}",
                 f"x={pt(it.x)}", f"y={pt(it.y)}", f"color={paint(it.color)}"]
        if it.overprint:
            parts.append("overprint")
        if it.vertical:
            parts.append("vertical")
        if it.angle:
            parts.append(f"angle={num(it.angle)}")
        if it.hscale != 1.0:
            parts.append(f"hscale={num(it.hscale, 4)}")
        parts.append(json.dumps(it.text, ensure_ascii=False))
        parts.append("xs=" + ",".join(offset(x - it.x) for x in it.xs))
        if it.widths:
            parts.append("ws=" + folded(it.widths))
        return " ".join(parts)
    if isinstance(it, Rect):
        parts = ["rect", _word(it.role), f"x={pt(it.x)}", f"y={pt(it.y)}", f"w={pt(it.w)}", f"h={pt(it.h)}",
                 *_shape(it)]
        if it.radius:
            parts.append(f"r={num(it.radius)}")
        if it.overprint:
            parts.append("overprint")
        return " ".join(parts)
    if isinstance(it, Line):
        parts = ["line", _word(it.role), f"from={pt(it.x1)},{pt(it.y1)}", f"to={pt(it.x2)},{pt(it.y2)}",
                 f"color={paint(it.color)}", f"width={num(it.width)}"]
        if it.dash:
            parts.append("dash=" + ",".join(num(d) for d in it.dash))
        if it.overprint:
            parts.append("overprint")
        return " ".join(parts)
    if isinstance(it, Ellipse):
        return " ".join(["ellipse", _word(it.role), f"x={pt(it.x)}", f"y={pt(it.y)}", f"w={pt(it.w)}",
                         f"h={pt(it.h)}", *_shape(it)])
    if isinstance(it, Polygon):
        pts = " ".join(f"{pt(x)},{pt(y)}" for x, y in it.points)
        return " ".join(["polygon", _word(it.role), *_shape(it), f"pts={pts}"])
    if isinstance(it, Image):
        # the file as the editor named it: pictures are prepared (in a cache folder) after composition
        return " ".join(["image", _word(it.role), _word(it.source), f"x={pt(it.x)}", f"y={pt(it.y)}", f"w={pt(it.w)}",
                         f"h={pt(it.h)}", f"file={_word(it.file)}", f"focus={num(it.focus[0])},{num(it.focus[1])}"])
    raise TypeError(f"cannot trace {type(it).__name__}")  # the display list is closed


def _section(name: str, items: list[Item]) -> list[str]:
    return [f"{name} {len(items)}", *("  " + item_line(it) for it in items)]


def dump(page: Page, title: str = "") -> str:
    """The page as trace text, ending in a newline. ``title`` (one line, e.g. which content file
    and mode) is written as a comment under the header; the page's own ``name`` is not written,
    as it is the content file's path as the build was given it (absolute in tests)."""
    lines = [HEADER]
    if title:
        lines.append("# " + " ".join(title.split()))
    lines.append(f"page {pt(page.width)}x{pt(page.height)} bleed={pt(page.bleed)} slug={pt(page.slug)}")
    lines += _section("items", page.items)
    lines += _section("marks", page.marks)
    lines += _section("guides", page.guides)
    return "\n".join(lines) + "\n"
