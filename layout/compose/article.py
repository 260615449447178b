"""An article module: headline block across its frame, body flowing around its photos.

The headline block (kicker, main head, subhead, byline) is set top-down and rounded up to whole
grid lines, so the body below it starts on the grid. Photos are obstacles the body flows around;
each photo's frame holds the picture, its caption and a blank line.
"""

from __future__ import annotations

import math

from layout.compose.context import Context
from layout.compose.heads import fit_head
from layout.compose.flow import HeadBlock, TextLine, free_slots, pour_balanced
from layout.compose.photo import compose_photo, photo_obstacle
from layout.compose.textset import glyphs_from_line, natural_width, set_line
from layout.display import BLACK, WHITE, Item, Line, Rect
from layout.model.content import Article, Frame, SectionHead
from layout.text.api import ParagraphStyle
from layout.text.audit import audit_lines
from layout.text.compose import compose_paragraph
from layout.text.normalize import normalize

SUBHEAD_SIZE = 20.0
BYLINE_SIZE = 12.0
KICKER_SIZE = 22.0


def compose_headblock(art: Article, ctx: Context, items: list[Item]) -> int:
    """Set the headline block; return how many grid lines it takes (including the space below)."""
    g = ctx.grid
    x, top, width, _ = g.rect(art.frame.column, art.frame.columns, art.frame.line, art.frame.lines)
    y = top
    if has_rule_above(art):
        # the separating rule sits at the frame's top; the heads start below it
        items.append(Rect(x, top + 1.0, width, 0.75, fill=BLACK, overprint=True, role="article-rule"))
        y += g.pitch * 0.75
    f = ctx.fonts
    src = f"{art.id}:headline"
    if art.kicker:
        m = f.metrics("kai_bold")
        items.append(set_line(art.kicker, font="kai_bold", metrics=m, size=KICKER_SIZE, x=x,
                              baseline=y + f.em_top("kai_bold") * KICKER_SIZE, width=width,
                              align=art.headline.align, role="kicker", source=src))
        y += KICKER_SIZE * 1.5
    h = art.headline
    m = f.metrics(h.font)
    size, lines, shrunk = fit_head(h.text, m, width, size=h.size, fit=h.fit, min_size=h.min_size,
                                   max_size=h.max_size, max_lines=h.max_lines, tracking=h.tracking)
    if shrunk:
        ctx.notes.warnings.append(f"article {art.id!r}: headline does not fit {width:.0f}pt as asked; set at {size:.1f}pt")
    y += size * 0.1
    for i, text in enumerate(lines):
        if i:
            y += size * 1.12
        items.append(set_line(text, font=h.font, metrics=m, size=size, x=x,
                              baseline=y + f.em_top(h.font) * size, width=width, align=h.align,
                              tracking=h.tracking, color=ctx.color(h.color), role="headline", source=src))
    y += size * 1.05
    if art.subhead:
        y += SUBHEAD_SIZE * 0.35
        m = f.metrics("subhead")
        items.append(set_line(art.subhead, font="subhead", metrics=m, size=SUBHEAD_SIZE, x=x,
                              baseline=y + f.em_top("subhead") * SUBHEAD_SIZE, width=width,
                              align=h.align, role="subhead", source=f"{art.id}:subhead"))
        y += SUBHEAD_SIZE * 1.0
    if art.byline:
        y += BYLINE_SIZE * 0.9
        m = f.metrics("kai")
        items.append(set_line(art.byline, font="kai", metrics=m, size=BYLINE_SIZE, x=x,
                              baseline=y + f.em_top("kai") * BYLINE_SIZE, width=width,
                              align=h.align, role="byline", source=f"{art.id}:byline"))
        y += BYLINE_SIZE
    used = math.ceil((y - top) / g.pitch - 1e-6) + 1  # one blank line before the body
    return art.head_lines or used


def section_head_items(block: HeadBlock, ctx: Context, column: int, line: int) -> list[Item]:
    """A numbered section head (小标题) over ``block.lines`` grid lines of one column: the number
    reversed out of an accent square, the head in 黑体 beside it."""
    g = ctx.grid
    head: SectionHead = block.head
    x = g.column_x(column)
    top = g.line_top(line) + (g.pitch - g.body_size) / 2
    height = (block.lines - 1) * g.pitch + g.body_size
    out: list[Item] = []
    text_x = x
    if head.number:
        box = height
        out.append(Rect(x, top, box, box, fill=ctx.color("accent"), role="section-number"))
        nsize = box * 0.78
        nm = ctx.fonts.metrics("headline_sans")
        out.append(set_line(head.number, font="headline_sans", metrics=nm, size=nsize, x=x,
                            baseline=top + box / 2 + nsize * 0.36, width=box, align="center",
                            color=WHITE, role="section-number", source=block.source))
        text_x = x + box + g.body_size * 0.4
    avail = x + g.column_width - text_x
    m = ctx.fonts.metrics("section")
    size = min(12.0, avail / max(natural_width(head.head, m, 1.0), 1e-6))
    out.append(set_line(head.head, font="section", metrics=m, size=size, x=text_x,
                        baseline=top + height / 2 + size * 0.36, color=BLACK, role="section-head",
                        source=block.source))
    # a hairline under the head across the column ties it to its text
    out.append(Rect(text_x, top + height - 0.5, x + g.column_width - text_x, 0.5, fill=BLACK, role="section-rule",
                    overprint=True))
    return out


def _add_audit(total: dict, one: dict) -> None:
    for k, v in one.items():
        if isinstance(v, (int, float)):
            total[k] = total.get(k, 0) + v


def has_rule_above(art: Article) -> bool:
    """A story below another is parted from it by a rule unless the editor says otherwise."""
    return art.rule_above if art.rule_above is not None else art.frame.line > 1


def tint_box(art: Article, ctx: Context) -> Rect:
    """The module's background: its frame, reaching half a gutter into the gutters around it."""
    g = ctx.grid
    x, y, w, h = g.rect(art.frame.column, art.frame.columns, art.frame.line, art.frame.lines)
    pad = g.gutter / 2
    return Rect(x - pad, y, w + 2 * pad, h, fill=ctx.color(art.tint), role="article-tint")


def column_rule_items(art: Article, body_top: int, obstacles: list[Frame], ctx: Context) -> list[Item]:
    """Hairlines in the middle of the gutters between the article's columns, broken where a photo
    or ad spans the gutter."""
    g = ctx.grid
    f = art.frame
    out: list[Item] = []
    last = f.line + f.lines - 1
    for c in range(f.column, f.column + f.columns - 1):
        x = g.column_x(c) + g.column_width + g.gutter / 2

        def covered(ln: int) -> bool:
            return any(o.column <= c and c + 1 < o.column + o.columns and o.line <= ln < o.line + o.lines for o in obstacles)

        run = None
        for ln in range(body_top, last + 2):
            free = ln <= last and not covered(ln)
            if free and run is None:
                run = ln
            elif not free and run is not None:
                y0 = g.line_top(run) + (g.pitch - g.body_size) / 2
                y1 = g.line_top(ln - 1) + (g.pitch - g.body_size) / 2 + g.body_size
                out.append(Line(x, y0, x, y1, width=0.3, overprint=True, role="column-rule"))
                run = None
    return out


def compose_article(art: Article, ctx: Context, extra_obstacles: list[Frame]) -> list[Item]:
    g = ctx.grid
    items: list[Item] = []
    if art.tint is not None:
        items.append(tint_box(art, ctx))
    head_lines = compose_headblock(art, ctx, items)
    body_top = art.frame.line + head_lines
    obstacles = list(extra_obstacles)
    for photo in art.photos:
        if photo.frame.line < body_top:
            ctx.notes.warnings.append(f"article {art.id!r}: photo {photo.id or photo.file} starts on line "
                                      f"{photo.frame.line}, inside the headline block (lines {art.frame.line}-{body_top - 1})")
        items.extend(compose_photo(photo, art, ctx))
        obstacles.append(photo_obstacle(photo))
    if art.column_rules:
        items.extend(column_rule_items(art, body_top, obstacles, ctx))
    slots = free_slots(art.frame, body_top, obstacles)
    style = ctx.body_style()
    metrics = ctx.fonts.metrics("body")
    flow_items: list[object] = []
    for bi, block in enumerate(art.body):
        src = f"{art.id}:body[{bi}]"
        if isinstance(block, SectionHead):
            flow_items.append(HeadBlock(block, lines=2, space_above=1, keep=2, source=src))
            continue
        text = block
        if ctx.doc.typography.normalize and ctx.doc.typography.language == "zh":  # GB/T 15834 marks
            result = normalize(text)
            for ch in result.changes:
                ctx.notes.normalized.append({"where": src, "index": ch.index, "kind": ch.kind,
                                             "before": ch.before, "after": ch.after})
            text = result.text
        lines = compose_paragraph(text, g.column_width, style, metrics)
        _add_audit(ctx.notes.text_audit, audit_lines(lines, g.column_width, style, metrics))
        for ln in lines:
            flow_items.append(TextLine(ln, src, bi))
    result = pour_balanced(flow_items, slots)
    em_top = ctx.fonts.em_top("body")
    for p in result.placed:
        if isinstance(p.item, HeadBlock):
            items.extend(section_head_items(p.item, ctx, p.column, p.line))
        else:
            items.append(glyphs_from_line(p.item.line, x=g.column_x(p.column), baseline=g.baseline(p.line, em_top),
                                          font="body", size=g.body_size, role="body", source=p.item.source))
    if result.overset_items:
        lines = sum(1 if isinstance(i, TextLine) else i.lines for i in result.overset_items)
        chars = sum(len(i.line.text) for i in result.overset_items if isinstance(i, TextLine))
        ctx.notes.overset.append({"article": art.id, "lines": lines, "characters": chars,
                                  "first": next((i.source for i in result.overset_items), "")})
    if result.free_lines:
        ctx.notes.underset.append({"article": art.id, "lines": result.free_lines})
    return items
