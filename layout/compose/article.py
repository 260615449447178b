"""An article module: headline block across its frame, body flowing around its photos.

The headline block (kicker, main head, subhead, byline) is set top-down and rounded up to whole
grid lines, so the body below it starts on the grid. Photos are obstacles the body flows around;
each photo's frame holds the picture, its caption and a blank line. Photos without a frame are
placed here, once the headline block's height is known (:func:`layout.compose.photo.place_photos`).

A stepped module (a frame with a ``notch``) is an L: the heads span the frame, or only the
columns beside a notch at a top corner; each column's body runs as far as the L lets it; the
tint, the rules and the column rules follow its outline.
"""

from __future__ import annotations

import math

from msgspec import Struct
from msgspec.structs import replace

from layout.compose.context import Context
from layout.compose.heads import fit_head, wrap_head
from layout.compose.module import (BYLINE_SIZE, KICKER_SIZE, SECTION_SIZE, SUBHEAD_SIZE, has_rule_above,
                                   level_size, module_outline, tint_box)
from layout.compose.flow import HeadBlock, Slot, TextLine, column_spans, free_slots, pour, pour_balanced
from layout.compose.photo import (MIN_PICTURE_LINES, Region, compose_photo, photo_obstacle, picture_aspect,
                                  place_photos)
from layout.compose.textset import glyphs_from_line, natural_width, set_line
from layout.display import BLACK, WHITE, Item, Line, Rect
from layout.errors import Problem
from layout.findings import Emergency, Jump, Overset, Underset
from layout.model.frames import head_frame, notch_frame, overlap
from layout.model.content import Article, Frame, Photo, SectionHead
from layout.text.paragraphs import compose_audited, compose_paragraph
from layout.text.emergency import emergencies
from layout.text.languages import conventions, is_chinese
from layout.text.wording import jump_from, jump_to

def _display_lines(text: str, font: str, size: float, width: float, ctx: Context, align: str, x: float,
                   y: float, role: str, source: str, at: tuple, items: list, leading: float = 1.2,
                   tracking: float = 0.0, color=BLACK) -> float:
    """Set a head level (kicker, subhead, byline) at its one size, wrapped onto as many balanced
    lines as it needs; returns the y below its last line."""
    f = ctx.fonts
    m = f.metrics(font)
    fit = wrap_head(text, m, size, width, tracking, ctx.lang)
    if fit.shrunk:
        ctx.notes.notice("head-shrunk", source.split(":")[0], f"{role} {text!r} has a run wider than its "
                         f"{width * 25.4 / 72:.0f} mm frame at {size:g}pt; set at {fit.size:.1f}pt")
    for i, line in enumerate(fit.lines):
        if i:
            y += fit.size * leading
        items.extend(set_line(line, font=font, metrics=m, size=fit.size, x=x, baseline=y + f.em_top(font) * fit.size,
                              width=width, align=align, tracking=tracking, color=color, role=role, source=source,
                              lang=ctx.lang, at=at, trim_open=True))
    return y + fit.size


def compose_headblock(art: Article, ctx: Context, items: list[Item]) -> int:
    """Set the headline block; return how many grid lines it takes (including the space below)."""
    g = ctx.grid
    hf = head_frame(art.frame)
    x, top, width, _ = g.rect(hf.column, hf.columns, hf.line, hf.lines)
    y = top
    if has_rule_above(art):
        # the separating rule sits in the middle of the frame's first line, white above and
        # below it; the heads start on the next line
        items.append(Rect(x, top + g.pitch / 2 - 0.375, width, 0.75, fill=BLACK, overprint=True, role="article-rule"))
        y += g.pitch
    f = ctx.fonts
    src = f"{art.id}:headline"
    at = ctx.article_path(art)
    h = art.headline
    m = f.metrics(h.font)
    head_text = ctx.normalized_line(h.text, source=src, article=art.id, at=at + ("headline", "text") if at else ())
    head = fit_head(head_text, m, width, size=h.size, fit=h.fit, min_size=h.min_size, max_size=h.max_size,
                    max_lines=h.max_lines, tracking=h.tracking, lang=ctx.lang)
    size = head.size
    if head.shrunk:
        ctx.notes.notice("head-shrunk", art.id, f"article {art.id!r}: headline does not fit its {width * 25.4 / 72:.0f} mm width at "
                                  f"{h.size:g}pt; set at {size:.1f}pt")
    elif head.wrapped:
        ctx.notes.notice("head-wrapped", art.id, f"article {art.id!r}: headline takes {len(head.lines)} lines at "
                         f"{size:g}pt (max_lines {h.max_lines}); shorten it or give it a smaller min_size")
    if art.kicker:
        kicker = ctx.normalized_line(art.kicker, source=src, article=art.id, at=at + ("kicker",) if at else ())
        y = _display_lines(kicker, "kai_bold", level_size(KICKER_SIZE, h.size, g.body_size), width, ctx,
                           h.align, x, y, "kicker", src, at + ("kicker",) if at else (), items)
        y += level_size(KICKER_SIZE, h.size, g.body_size) * 0.5
    y += size * 0.1
    for i, text in enumerate(head.lines):
        if i:
            y += size * 1.12
        items.extend(set_line(text, font=h.font, metrics=m, size=size, x=x,
                              baseline=y + f.em_top(h.font) * size, width=width, align=h.align,
                              tracking=h.tracking, color=ctx.color(h.color), role="headline", source=src,
                              lang=ctx.lang, at=at + ("headline", "text") if at else (), trim_open=True))
    y += size * 1.05
    # subhead (黑体) and byline (楷体) under the main head: (text, font, size, space above)
    for text, font, fsize, above, role in (
            (art.subhead, "subhead", level_size(SUBHEAD_SIZE, h.size, g.body_size), 0.35, "subhead"),
            (art.byline, "kai", min(BYLINE_SIZE, level_size(BYLINE_SIZE, h.size, g.body_size)), 0.9, "byline")):
        if not text:
            continue
        text = ctx.normalized_line(text, source=f"{art.id}:{role}", article=art.id, at=at + (role,) if at else ())
        y += fsize * above
        y = _display_lines(text, font, fsize, width, ctx, h.align, x, y, role, f"{art.id}:{role}",
                           at + (role,) if at else (), items)
    used = math.ceil((y - top) / g.pitch - 1e-6) + 1  # one blank line before the body
    if art.head_lines is None and used >= art.frame.lines:
        ctx.notes.notice("head-overset", art.id, f"article {art.id!r}: the headline block takes {used} lines, all of "
                         f"its {art.frame.lines}-line module: no room for the body; shorten the heads or make the "
                         f"module taller")
    return art.head_lines or used


def section_head_lines(head: SectionHead, ctx: Context) -> tuple[float, list[str], float]:
    """(size, lines, x offset of the text) of a section head in a column: the page's one section
    head size, wrapped onto balanced lines beside its number square."""
    g = ctx.grid
    size = g.body_size * SECTION_SIZE
    offset = 0.0
    if head.number:
        offset = (g.pitch + g.body_size) + g.body_size * 0.4  # the square of a two-line block
    fit = wrap_head(head.head, ctx.fonts.metrics("section"), size, g.column_width - offset, lang=ctx.lang)
    return fit.size, fit.lines, offset


def section_head_block_lines(head: SectionHead, ctx: Context) -> int:
    """Grid lines a section head takes: one per line of text, at least two (the number square),
    the last one holding its rule."""
    size, lines, _ = section_head_lines(head, ctx)
    g = ctx.grid
    text_h = size * 1.25 * (len(lines) - 1) + size
    # the block is (lines - 1) pitches and a body line high: enough for its text
    return max(2, 1 + math.ceil((text_h - g.body_size) / g.pitch - 1e-6))


#: a section number set smaller than this share of its square is named in the report
NUMBER_SMALLEST = 0.4


def section_head_items(block: HeadBlock, ctx: Context, column: int, line: int) -> list[Item]:
    """A numbered section head (小标题) over ``block.lines`` grid lines of one column: the number
    reversed out of an accent square, the head in 黑体 beside it, on as many lines as it needs."""
    g = ctx.grid
    head: SectionHead = block.head
    x = g.column_x(column)
    top = g.line_top(line) + (g.pitch - g.body_size) / 2
    height = (block.lines - 1) * g.pitch + g.body_size
    out: list[Item] = []
    size, lines, offset = section_head_lines(head, ctx)
    if head.number:
        box = g.pitch + g.body_size
        out.append(Rect(x, top, box, box, fill=ctx.color("accent"), role="section-number"))
        nm = ctx.fonts.metrics("headline_sans")
        # (a number wider than its square, "123" or "第十一", is set smaller to stay inside it)
        nsize = min(box * 0.78, box * 0.88 / max(natural_width(head.number, nm, 1.0, lang=ctx.lang), 1e-6))
        if nsize < box * NUMBER_SMALLEST:
            ctx.notes.notice("section-number-long", block.source.split(":")[0],
                             f"section number {head.number!r} is set at {nsize:.1f}pt to fit its square; "
                             "give a shorter number (up to three digits, or one or two characters)", block.at + ("number",) if block.at else ())
        out.extend(set_line(head.number, font="headline_sans", metrics=nm, size=nsize, x=x,
                            baseline=top + box / 2 + nsize * 0.36, width=box, align="center",
                            color=WHITE, role="section-number", source=block.source, lang=ctx.lang,
                            at=block.at + ("number",) if block.at else ()))
    text_x = x + offset
    m = ctx.fonts.metrics("section")
    step = size * 1.25
    first = top + height / 2 - step * (len(lines) - 1) / 2 + size * 0.36
    for i, text in enumerate(lines):
        out.extend(set_line(text, font="section", metrics=m, size=size, x=text_x, baseline=first + i * step,
                            color=BLACK, role="section-head", source=block.source, lang=ctx.lang,
                            at=block.at + ("head",) if block.at else ()))
    # a hairline under the head across the column ties it to its text
    out.append(Rect(text_x, top + height - 0.5, x + g.column_width - text_x, 0.5, fill=BLACK, role="section-rule",
                    overprint=True))
    return out


def notch_rule(art: Article, ctx: Context) -> Rect | None:
    """Under a notch at a top corner, the rule that parts the story in the notch from this one's
    columns below it, in the middle of the first line under the notch (as ``rule_above`` is)."""
    n = notch_frame(art.frame)
    if n is None or n.line != art.frame.line or art.rule_above is False:
        return None
    g = ctx.grid
    y = g.line_top(n.line + n.lines) + g.pitch / 2 - 0.375
    return Rect(g.column_x(n.column), y, g.span_width(n.columns), 0.75, fill=BLACK, overprint=True, role="article-rule")


def column_rule_items(art: Article, body_top: int, obstacles: list[Frame], ctx: Context,
                      spans: dict[int, tuple[int, int]] | None = None) -> list[Item]:
    """Hairlines in the middle of the gutters between the article's columns, broken where a photo
    or ad spans the gutter (no stub shorter than two lines); in a stepped module only where both
    columns are the module's."""
    g = ctx.grid
    f = art.frame
    out: list[Item] = []
    if spans is None:
        spans = column_spans(f, body_top)
    for c in range(f.column, f.column + f.columns - 1):
        x = g.column_x(c) + g.column_width + g.gutter / 2
        first = max(spans[c][0], spans[c + 1][0])
        last = min(spans[c][1], spans[c + 1][1])

        def covered(ln: int) -> bool:
            return any(o.column <= c and c + 1 < o.column + o.columns and o.line <= ln < o.line + o.lines for o in obstacles)

        run = None
        for ln in range(first, last + 2):
            free = ln <= last and not covered(ln)
            if free and run is None:
                run = ln
            elif not free and run is not None:
                y0 = g.line_top(run) + (g.pitch - g.body_size) / 2
                y1 = g.line_top(ln - 1) + (g.pitch - g.body_size) / 2 + g.body_size
                if ln - run >= 2:  # a one-line stub (between the heads and a photo) reads as a tick
                    out.append(Line(x, y0, x, y1, width=0.3, overprint=True, role="column-rule"))
                run = None
    return out


class Rest(Struct, frozen=True):
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


def _unplaced(art: Article, index: int, ctx: Context, message: str, hint: str) -> None:
    """A photo the engine found no room for: an error at the photo's place in content.yaml (the
    build writes no PDF), or, for an article the page does not hold as such (a copyfit trial),
    a warning that weighs against the trial."""
    at = ctx.article_path(art)
    if at:
        if not any(e.message == message for e in ctx.notes.errors):  # (a story composed twice)
            ctx.notes.errors.append(Problem(at + ("photos", index), message, hint=hint, code="photo-fit"))
    else:
        ctx.notes.notice("photo-unplaced", art.id, f"{message} ({hint})")
        return
    ctx.notes.notice("photo-unplaced", art.id, message, at + ("photos", index))


def engine_photos(art: Article, ctx: Context, spans: dict[int, tuple[int, int]],
                  obstacles: list[Frame]) -> list[tuple[int, Photo]]:
    """The article's photos with their index in ``art.photos``, those without a frame given one
    by the engine (or left out, with an error, when none fits)."""
    loose = [(i, p) for i, p in enumerate(art.photos) if p.frame is None]
    if not loose:
        return list(enumerate(art.photos))
    taken = {(c, ln) for o in obstacles + [p.frame for p in art.photos if p.frame is not None]
             for c in range(o.column, o.column + o.columns) for ln in range(o.line, o.line + o.lines)}
    frames = place_photos([p for _, p in loose], [picture_aspect(p, ctx) for _, p in loose], Region(spans, taken), ctx)
    placed = dict(zip((i for i, _ in loose), frames))
    out: list[tuple[int, Photo]] = []
    for i, photo in enumerate(art.photos):
        if photo.frame is not None:
            out.append((i, photo))
            continue
        frame = placed[i]
        if frame is None:
            _unplaced(art, i, ctx, f"photo {photo.label}: no room to place it in article {art.id!r}",
                      f"at least {MIN_PICTURE_LINES + photo.reserved_lines} free lines in a column are needed; give the "
                      "photo a `frame`, make the article larger, or move other photos")
            continue
        out.append((i, replace(photo, frame=frame)))
    return out


def compose_article(art: Article, ctx: Context, extra_obstacles: list[Frame]) -> list[Item]:
    if art.direction == "vertical":  # set in tiers of vertical lines (layout.compose.vertical)
        from layout.compose.vertical import compose_vertical_article

        return compose_vertical_article(art, ctx, extra_obstacles)
    g = ctx.grid
    items: list[Item] = []
    notch = notch_frame(art.frame)
    if notch is not None:  # what sits in the notch is another module, not an obstacle in this one
        extra_obstacles = [o for o in extra_obstacles if overlap(o, art.frame)]
    if art.tint is not None:
        items.append(tint_box(art, ctx))
    if art.headline.vertical:
        # a vertical head (竖题) in columns at the right; the body in the others, from the top
        from layout.compose.vertical import vertical_head_beside

        art = vertical_head_beside(art, ctx, items)
        head_lines = 1 if has_rule_above(art) else 0
    else:
        head_lines = compose_headblock(art, ctx, items)
    body_top = art.frame.line + head_lines
    rule = notch_rule(art, ctx)
    if rule is not None:
        items.append(rule)
    if notch is not None and notch.line > art.frame.line and body_top > notch.line:
        ctx.notes.notice("head-in-notch", art.id, f"article {art.id!r}: the headline block (lines {art.frame.line}-{body_top - 1}) runs "
                                  f"into the notch (from line {notch.line}); make the notch shorter or the heads smaller")
    spans = column_spans(art.frame, body_top, notch_gap=1 if rule is not None else 0)
    obstacles = list(extra_obstacles)
    hf = head_frame(art.frame)
    for index, photo in engine_photos(art, ctx, spans, obstacles):
        pf = photo.frame
        if pf.line < body_top and pf.column < hf.column + hf.columns and hf.column < pf.column + pf.columns:
            ctx.notes.notice("photo-in-head", art.id, f"article {art.id!r}: photo {photo.label} starts on line "
                                      f"{photo.frame.line}, inside the headline block (lines {art.frame.line}-{body_top - 1})")
        items.extend(compose_photo(photo, art, ctx))
        ctx.notes.photo_frames[(art.id, index)] = photo.frame
        obstacles.append(photo_obstacle(photo))
    if art.column_rules:
        items.extend(column_rule_items(art, body_top, obstacles, ctx, spans))
    slots = free_slots(art.frame, body_top, obstacles, spans=spans)
    style = ctx.body_style()
    metrics = ctx.fonts.metrics("body")
    flow_items: list[object] = []
    texts: dict[int, str] = {}
    blocks: list = list(art.body)
    if art.continued_from is not None:
        cont = art.continued_from
        blocks = list(ctx.continuations.get(art.id, []))
        jump = jump_from(cont.page, ctx.doc.typography.language)  # （上接第N版）, language data
        for ln in compose_paragraph(jump, g.column_width, replace(style, indent=0, align="left", avoid_orphan=False), metrics):
            flow_items.append(TextLine(ln, f"{art.id}:jump-from", -1))
    conv = conventions(ctx.doc.typography.language)
    at = ctx.article_path(art) if art.continued_from is None else ()  # (continued blocks are the other page's)
    for bi, block in enumerate(blocks):
        src = f"{art.id}:body[{bi}]"
        if isinstance(block, SectionHead):
            block = replace(block, head=ctx.normalized_line(block.head, source=src, article=art.id,
                                                        at=at + ("body", bi, "head") if at else ()))
            flow_items.append(HeadBlock(block, lines=section_head_block_lines(block, ctx), space_above=1, keep=2, source=src,
                                        at=at + ("body", bi) if at else ()))
            continue
        partial = isinstance(block, Rest)
        text = block.text if partial else block
        if not partial:  # GB/T 15834 marks (a continued paragraph was normalised on its first page)
            text = ctx.normalized(text, source=src, at=at + ("body", bi) if at else (), article=art.id)
        texts[bi] = text
        # a paragraph cut by a jump goes on unindented; Latin-script news style sets the first
        # paragraph of a story and of each section flush left
        latin_first = not conv.indent_first_paragraph and (bi == 0 or isinstance(blocks[bi - 1], SectionHead))
        pstyle = replace(style, indent=0) if partial or latin_first else style
        lines, audit = compose_audited(text, g.column_width, pstyle, metrics)
        ctx.notes.text_audit.add(audit)
        for e in emergencies(text, lines, pstyle, latin=not is_chinese(pstyle.lang), measure=g.column_width):
            ctx.notes.findings.append(Emergency(article=art.id, at=at + ("body", bi) if at else (), reason=e.reason,
                                                line=e.line, text=lines[e.line].text, value=e.value, source=src))
        for ln in lines:
            flow_items.append(TextLine(ln, src, bi, at + ("body", bi) if at else ()))
    result = pour_balanced(flow_items, slots)
    jump_line = None
    if result.overset_items and art.jump_to and slots:
        # keep the last line of the last column for the jump line （下转第N版）
        last = slots[-1]
        jump_line = (last.column, last.first + last.count - 1)
        result = pour(flow_items, slots[:-1] + ([Slot(last.column, last.first, last.count - 1)] if last.count > 1 else []))
    # a free run of one grid line (above a photo, between a head block and an ad) that got a
    # line of text: it stands alone, cut off from the lines before and after it - the desk moves
    # the photo a line or gives the head block a line less
    lone = {(s.column, s.first) for s in slots if s.count == 1}
    for p in result.placed:
        if isinstance(p.item, TextLine) and (p.column, p.line) in lone:
            ctx.notes.notice("line-stranded", art.id, f"article {art.id!r}: one line of text stands alone in column "
                             f"{p.column}, line {p.line}, between an obstacle and the lines around it; move the photo "
                             f"(or ad) a line, or give the headline block a line less", p.item.at, severity="note")
    em_top = ctx.fonts.em_top("body")
    for p in result.placed:
        if isinstance(p.item, HeadBlock):
            items.extend(section_head_items(p.item, ctx, p.column, p.line))
        else:
            role = "jump" if p.item.paragraph < 0 else "body"
            font = "kai" if role == "jump" else "body"
            items.extend(glyphs_from_line(p.item.line, x=g.column_x(p.column), baseline=g.baseline(p.line, em_top),
                                          font=font, metrics=ctx.fonts.metrics(font), size=g.body_size, role=role,
                                          source=p.item.source, lang=ctx.lang, at=p.item.at))
    if result.overset_items:
        rest = rest_of(result.overset_items, texts)
        ctx.notes.rest[art.id] = rest
        if jump_line is not None:
            col, ln = jump_line
            text = jump_to(art.jump_to, ctx.doc.typography.language)  # （下转第N版）
            items.extend(set_line(text, font="kai", metrics=ctx.fonts.metrics("kai"), size=g.body_size, x=g.column_x(col),
                                  baseline=g.baseline(ln, ctx.fonts.em_top("kai")), width=g.column_width, align="right",
                                  role="jump", source=f"{art.id}:jump-to", lang=ctx.lang))
            ctx.notes.findings.append(Jump(article=art.id, to_page=art.jump_to,
                                           lines=sum(1 if isinstance(i, TextLine) else i.lines for i in result.overset_items)))
        else:
            lines = sum(1 if isinstance(i, TextLine) else i.lines for i in result.overset_items)
            chars = sum(len(i.line.text) for i in result.overset_items if isinstance(i, TextLine))
            ctx.notes.findings.append(Overset(article=art.id, at=ctx.article_path(art), lines=lines, characters=chars,
                                              first=next((i.source for i in result.overset_items), "")))
    if result.free_lines and jump_line is None:
        ctx.notes.findings.append(Underset(article=art.id, at=ctx.article_path(art), lines=result.free_lines,
                                           characters=result.free_lines * conv.characters_per_line(g.column_width, g.body_size)))
    return items
