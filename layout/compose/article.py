"""An article module: headline block across its frame, body flowing around its photos.

The headline block (kicker, main head, subhead, byline) is set top-down and rounded up to whole
grid lines, so the body below it starts on the grid. Photos are obstacles the body flows around;
each photo's frame holds the picture, its caption and a blank line.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

from layout.compose.context import Context
from layout.compose.heads import fit_head
from layout.compose.flow import HeadBlock, Slot, TextLine, free_slots, pour, pour_balanced
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
        # the separating rule sits in the middle of the frame's first line, white above and
        # below it; the heads start on the next line
        items.append(Rect(x, top + g.pitch / 2 - 0.375, width, 0.75, fill=BLACK, overprint=True, role="article-rule"))
        y += g.pitch
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
    # subhead (黑体) and byline (楷体) under the main head: (text, font, size, space above, height)
    for text, font, fsize, above, height, role in (
            (art.subhead, "subhead", SUBHEAD_SIZE, 0.35, 1.0, "subhead"),
            (art.byline, "kai", BYLINE_SIZE, 0.9, 1.0, "byline")):
        if not text:
            continue
        y += fsize * above
        items.append(set_line(text, font=font, metrics=f.metrics(font), size=fsize, x=x,
                              baseline=y + f.em_top(font) * fsize, width=width,
                              align=h.align, role=role, source=f"{art.id}:{role}"))
        y += fsize * height
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


@dataclass(frozen=True)
class Rest:
    """What is left of a paragraph cut by a jump: it goes on, unindented, on the jump page."""

    text: str


def rest_of(overset: list, texts: dict[int, str]) -> list:
    """The blocks that did not fit, for the continuation on another page: whole paragraphs and
    heads as written, and the paragraph the cut fell in as its remaining text."""
    out: list = []
    seen: set[int] = set()
    for item in overset:
        if isinstance(item, HeadBlock):
            out.append(item.head)
            continue
        bi = item.paragraph
        if bi < 0 or bi in seen:
            continue
        seen.add(bi)
        if item.line.xs and item.line.xs[0] > 0.01 or bi not in texts:
            out.append(texts.get(bi, item.line.text))  # the paragraph's first line: it moves whole
            continue
        # the remaining lines of a paragraph: its text from this line on
        remaining = [i.line for i in overset if isinstance(i, TextLine) and i.paragraph == bi]
        out.append(Rest(_tail(texts[bi], remaining)))
    return out


def _tail(text: str, lines: list) -> str:
    """The end of ``text`` that ``lines`` hold (hyphens added at breaks are not in the text)."""
    held = "".join(ln.text[:-1] if getattr(ln, "added_hyphen", False) else ln.text for ln in lines)
    core = "".join(held.split())
    count, i = 0, len(text)
    while i > 0 and count < len(core):
        i -= 1
        if not text[i].isspace():
            count += 1
    return text[i:].lstrip()


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
    texts: dict[int, str] = {}
    blocks: list = list(art.body)
    if art.continued_from is not None:
        cont = art.continued_from
        blocks = list(ctx.continuations.get(art.id, []))
        jump = f"（上接第{cont.page}版）" if ctx.doc.typography.language == "zh" else f"(Continued from page {cont.page})"
        for ln in compose_paragraph(jump, g.column_width, replace(style, indent=0, align="left", avoid_orphan=False), metrics):
            flow_items.append(TextLine(ln, f"{art.id}:jump-from", -1))
    for bi, block in enumerate(blocks):
        src = f"{art.id}:body[{bi}]"
        if isinstance(block, SectionHead):
            flow_items.append(HeadBlock(block, lines=2, space_above=1, keep=2, source=src))
            continue
        partial = isinstance(block, Rest)
        text = block.text if partial else block
        if ctx.doc.typography.normalize and ctx.doc.typography.language == "zh" and not partial:  # GB/T 15834 marks
            result = normalize(text)
            for ch in result.changes:
                ctx.notes.normalized.append({"where": src, "index": ch.index, "kind": ch.kind,
                                             "before": ch.before, "after": ch.after})
            text = result.text
        texts[bi] = text
        # a paragraph cut by a jump goes on unindented; Latin-script news style sets the first
        # paragraph of a story and of each section flush left
        latin_first = ctx.doc.typography.language != "zh" and (bi == 0 or isinstance(blocks[bi - 1], SectionHead))
        pstyle = replace(style, indent=0) if partial or latin_first else style
        lines = compose_paragraph(text, g.column_width, pstyle, metrics)
        _add_audit(ctx.notes.text_audit, audit_lines(lines, g.column_width, pstyle, metrics))
        for ln in lines:
            flow_items.append(TextLine(ln, src, bi))
    result = pour_balanced(flow_items, slots)
    jump_line = None
    if result.overset_items and art.jump_to and slots:
        # keep the last line of the last column for the jump line （下转第N版）
        last = slots[-1]
        jump_line = (last.column, last.first + last.count - 1)
        result = pour(flow_items, slots[:-1] + ([Slot(last.column, last.first, last.count - 1)] if last.count > 1 else []))
    em_top = ctx.fonts.em_top("body")
    for p in result.placed:
        if isinstance(p.item, HeadBlock):
            items.extend(section_head_items(p.item, ctx, p.column, p.line))
        else:
            role = "jump" if p.item.paragraph < 0 else "body"
            items.append(glyphs_from_line(p.item.line, x=g.column_x(p.column), baseline=g.baseline(p.line, em_top),
                                          font="kai" if role == "jump" else "body", size=g.body_size, role=role,
                                          source=p.item.source))
    if result.overset_items:
        rest = rest_of(result.overset_items, texts)
        ctx.notes.rest[art.id] = rest
        if jump_line is not None:
            col, ln = jump_line
            text = f"（下转第{art.jump_to}版）" if ctx.doc.typography.language == "zh" else f"(Continued on page {art.jump_to})"
            items.append(set_line(text, font="kai", metrics=ctx.fonts.metrics("kai"), size=g.body_size, x=g.column_x(col),
                                  baseline=g.baseline(ln, ctx.fonts.em_top("kai")), width=g.column_width, align="right",
                                  role="jump", source=f"{art.id}:jump-to"))
            ctx.notes.jumps.append({"article": art.id, "to_page": art.jump_to,
                                    "lines": sum(1 if isinstance(i, TextLine) else i.lines for i in result.overset_items)})
        else:
            lines = sum(1 if isinstance(i, TextLine) else i.lines for i in result.overset_items)
            chars = sum(len(i.line.text) for i in result.overset_items if isinstance(i, TextLine))
            ctx.notes.overset.append({"article": art.id, "lines": lines, "characters": chars,
                                      "first": next((i.source for i in result.overset_items), "")})
    if result.free_lines and jump_line is None:
        ctx.notes.underset.append({"article": art.id, "lines": result.free_lines})
    return items
