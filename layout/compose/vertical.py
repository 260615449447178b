"""Vertical setting (竖排) of a story: vertical heads, and a vertical module set in tiers.

How the grid reads for a vertical module (docs/content.md says the same for editors): the frame
is given on the page grid like any other (栏 columns, 行 lines). Inside it, text runs in
*vertical lines* top to bottom, one body-line pitch (行距) wide, following each other right to
left; a line is as long as its *tier* (段): the body is cut into tiers one above the other, each
a whole number of 字 tall, one 行 apart, read from the top tier down (and, in each tier, from the
right). The heads stand in columns at the module's right edge, before the body in reading
order: kicker, main head, subhead, byline, right to left. Photos keep their frames on the page
grid; the vertical lines they cross are left out, and their captions stand vertically at their
left edge.

A vertical head beside a horizontal story (``headline.vertical``) takes whole columns at the
right of the story's module; the story's body is set horizontally in the others.

The line composer is the same as for horizontal text: it measures a vertical line with
:class:`~layout.text.vertical.VerticalMetrics` (upright characters by their vertical advance,
Latin and long numbers turned, short numbers combined upright), so prohibitions, compression,
justification and the audit run unchanged along the vertical axis.
"""

from __future__ import annotations

import math

from msgspec.structs import replace

from layout.compose.context import Context
from layout.compose.heads import fit_head, wrap_head
from layout.compose.module import BYLINE_SIZE, KICKER_SIZE, SUBHEAD_SIZE, has_rule_above, level_size, tint_box
from layout.compose.textset import glyphs_from_vertical_line
from layout.display import BLACK, Image, Item, Rect
from layout.findings import Emergency, Jump, Overset, Underset
from layout.model.content import Article, Photo, SectionHead
from layout.text.emergency import emergencies
from layout.text.languages import conventions
from layout.text.paragraphs import compose_audited, compose_paragraph
from layout.text.vertical import VerticalMetrics
from layout.text.wording import jump_to

#: space between two columns of a head (em of the head), and after the head block (pt, before
#: the body or the story beside it)
HEAD_LEADING = 1.2
#: the ideographic em box below the baseline in the CJK faces (em): centres turned Latin
EM_BOTTOM = 0.12


def vertical_metrics(ctx: Context, role: str, art: Article | None = None) -> VerticalMetrics:
    return VerticalMetrics(ctx.fonts.metrics(role), tcy=art.numbers_upright if art is not None else 2)


def head_columns(art: Article, ctx: Context, right: float, top: float, length: float,
                 items: list[Item]) -> float:
    """Set the story's heads as vertical columns from ``right`` leftwards, each as long as
    ``length`` at most, from ``top``; return the x where they end (their left edge)."""
    g = ctx.grid
    h = art.headline
    at = ctx.article_path(art)
    src = f"{art.id}:headline"
    x = right
    levels = []
    if art.kicker:
        levels.append(("kicker", "kai_bold", level_size(KICKER_SIZE, h.size, g.body_size),
                       ctx.normalized_line(art.kicker, source=src, article=art.id, at=at + ("kicker",) if at else ())))
    head_text = ctx.normalized_line(h.text, source=src, article=art.id, at=at + ("headline", "text") if at else ())
    levels.append(("headline", h.font, None, head_text))
    if art.subhead:
        levels.append(("subhead", "subhead", level_size(SUBHEAD_SIZE, h.size, g.body_size),
                       ctx.normalized_line(art.subhead, source=f"{art.id}:subhead", article=art.id,
                                      at=at + ("subhead",) if at else ())))
    if art.byline:
        levels.append(("byline", "kai", min(BYLINE_SIZE, level_size(BYLINE_SIZE, h.size, g.body_size)),
                       ctx.normalized_line(art.byline, source=f"{art.id}:byline", article=art.id,
                                      at=at + ("byline",) if at else ())))
    for role, font, size, text in levels:
        m = vertical_metrics(ctx, font, art)
        if role == "headline":
            fit = fit_head(text, m, length, size=h.size, fit=h.fit, min_size=h.min_size, max_size=h.max_size,
                           max_lines=h.max_lines, tracking=h.tracking, lang=ctx.lang)
            if fit.shrunk:
                ctx.notes.notice("head-shrunk", art.id, f"article {art.id!r}: the vertical headline does not fit its "
                                 f"{length * 25.4 / 72:.0f} mm column at {h.size:g}pt; set at {fit.size:.1f}pt")
            color = ctx.color(h.color)
        else:
            fit = wrap_head(text, m, size, length, lang=ctx.lang)
            color = BLACK
        for line in fit.lines:
            centre = x - fit.size / 2
            items.extend(_vertical_text(line, m, fit.size, centre, top, length,
                                        "center" if h.align == "center" else "left", font, color, role,
                                        f"{art.id}:{role}" if role not in ("kicker", "headline") else src,
                                        at + ((role,) if role != "headline" else ("headline", "text")) if at else (),
                                        ctx))
            x -= fit.size * HEAD_LEADING
        x -= fit.size * (0.3 if role != "byline" else 0.0)
    return x


def _vertical_text(text: str, m: VerticalMetrics, size: float, centre: float, top: float, length: float,
                   align: str, font: str, color, role: str, source: str, at: tuple, ctx: Context) -> list[Item]:
    """One column of display text set solid, at the top of ``length`` or centred in it."""
    from layout.text.api import SetLine

    advs = m.advances(text, ctx.lang)
    ys, pos = [], 0.0
    for a in advs:
        ys.append(pos)
        pos += a * size
    offset = (length - pos) / 2 if align == "center" and pos < length else 0.0
    line = SetLine(text=text, xs=tuple(y + offset for y in ys), widths=tuple(a * size for a in advs), width=pos,
                   last=True)
    return glyphs_from_vertical_line(line, centre=centre, top=top, font=font, metrics=m, size=size, color=color,
                                     role=role, source=source, lang=ctx.lang, at=at, em_bottom=EM_BOTTOM)


def vertical_head_beside(art: Article, ctx: Context, items: list[Item]) -> Article:
    """A horizontal story with a vertical head (竖题): the heads in whole columns at the right of
    its module, a hairline between them and the body; the story as the body is set, in the
    columns left of them, with no head block of its own."""
    g = ctx.grid
    f = art.frame
    x, top, w, h = g.rect(f.column, f.columns, f.line, f.lines)
    rule = 0.0
    if has_rule_above(art):
        items.append(Rect(x, top + g.pitch / 2 - 0.375, w, 0.75, fill=BLACK, overprint=True, role="article-rule"))
        rule = g.pitch
    scratch: list[Item] = []
    left = head_columns(art, ctx, x + w, top + rule + g.pitch * 0.5, h - rule - g.pitch, scratch)
    used = x + w - left
    step = g.column_width + g.gutter
    cols = min(f.columns - 1, max(1, math.ceil((used + g.gutter) / step - 1e-6)))
    # centre the heads in the columns they take
    shift = -((cols * step - g.gutter) - used) / 2
    for it in scratch:
        items.append(_moved(it, shift))
    gx = x + w - cols * step + g.gutter / 2  # the gutter before the heads: a hairline
    items.append(Rect(gx - 0.25, top + rule, 0.5, h - rule, fill=BLACK, overprint=True, role="head-rule"))
    body_frame = replace(f, columns=f.columns - cols)
    return replace(art, frame=body_frame, kicker="", subhead="", byline="")


def _moved(it, dx: float):
    """A display item moved ``dx`` across (the heads, once the columns they take are known)."""
    from layout.display import Glyphs

    if isinstance(it, Glyphs):
        if it.vertical:
            return replace(it, x=it.x + dx, y=it.y + dx)
        return replace(it, x=it.x + dx, xs=tuple(v + dx for v in it.xs), gx=tuple(v + dx for v in it.gx))
    return replace(it, x=it.x + dx)


# ------------------------------------------------------------------------------------------------
# a vertical module
# ------------------------------------------------------------------------------------------------


def tier_layout(height: float, size: float, gap: float, tiers: int | None, tier_chars: int) -> tuple[int, int]:
    """(tiers, 字 per vertical line) for a body ``height`` pt high."""
    if tiers is None:
        tiers = max(1, math.ceil((height + gap) / (tier_chars * size + gap) - 1e-9))
    chars = int((height - (tiers - 1) * gap) / tiers / size + 1e-9)
    return tiers, chars


def compose_vertical_article(art: Article, ctx: Context, extra_obstacles: list) -> list[Item]:
    g = ctx.grid
    f = art.frame
    items: list[Item] = []
    if art.tint is not None:
        items.append(tint_box(art, ctx))
    x, top, w, h = g.rect(f.column, f.columns, f.line, f.lines)
    rule = 0.0
    if has_rule_above(art):
        items.append(Rect(x, top + g.pitch / 2 - 0.375, w, 0.75, fill=BLACK, overprint=True, role="article-rule"))
        rule = g.pitch
    if f.column + f.columns - 1 < g.columns:
        # a story stands to its right (read before it): a rule in the gutter between them
        gx = x + w + g.gutter / 2
        items.append(Rect(gx - 0.375, top + rule, 0.75, h - rule, fill=BLACK, overprint=True, role="article-rule"))
    body_top = top + rule + (g.pitch - g.body_size) / 2
    body_h = h - rule - (g.pitch - g.body_size)
    # the heads in columns at the right, then the body from a whole number of pitches left of them
    heads_left = head_columns(art, ctx, x + w, body_top, body_h, items)
    size, pitch = g.body_size, g.pitch
    right = x + w - math.ceil((x + w - heads_left) / pitch - 1e-6) * pitch - (pitch - size)
    lines_per_tier = int((right - x + (pitch - size)) / pitch + 1e-9)
    gap = pitch
    tiers, chars = tier_layout(body_h, size, gap, art.tiers, art.tier_chars)
    if lines_per_tier < 1 or chars < 2:
        ctx.notes.errors.append(_too_small(art, ctx, lines_per_tier, chars))
        return items
    measure = chars * size
    tier_tops = [body_top + t * (measure + gap) for t in range(tiers)]
    centres = [right - size / 2 - k * pitch for k in range(lines_per_tier)]
    # photos: their frames on the page grid; the vertical lines they cross are left out
    blocked: set[tuple[int, int]] = set()
    at = ctx.article_path(art)
    for index, photo in enumerate(art.photos):
        if photo.frame is None:
            continue
        px, py, pw, ph = g.rect(photo.frame.column, photo.frame.columns, photo.frame.line, photo.frame.lines)
        items.extend(_vertical_photo(photo, art, ctx, (px, py, pw, ph), index))
        ctx.notes.photo_frames[(art.id, index)] = photo.frame
        for t, tt in enumerate(tier_tops):
            for k, c in enumerate(centres):
                if c + pitch / 2 > px and c - pitch / 2 < px + pw and tt < py + ph and tt + measure > py:
                    blocked.add((t, k))
    # rules between the tiers, across the body (not through photos)
    for t in range(1, tiers):
        y = tier_tops[t] - gap / 2
        items.append(Rect(x, y - 0.25, right - x, 0.5, fill=BLACK, overprint=True, role="tier-rule"))
    slots = [(t, k) for t in range(tiers) for k in range(lines_per_tier) if (t, k) not in blocked]
    # the body, composed with vertical metrics, poured into the slots in reading order
    style = ctx.body_style()
    metrics = vertical_metrics(ctx, "body", art)
    section = vertical_metrics(ctx, "section", art)
    conv = conventions(ctx.doc.typography.language)
    flow: list[tuple] = []  # ("line", SetLine, source, at) or ("head", lines, size, source, at)
    written = 0
    for bi, block in enumerate(art.body):
        src = f"{art.id}:body[{bi}]"
        where = at + ("body", bi) if at else ()
        if isinstance(block, SectionHead):
            head = ctx.normalized_line(block.head, source=src, article=art.id, at=where + ("head",) if where else ())
            hsize = size * 1.25
            fit = wrap_head(head, section, hsize, measure, lang=ctx.lang)
            flow.append(("head", fit.lines, fit.size, src, where))
            continue
        text = ctx.normalized(block, source=src, article=art.id, at=where)
        written += len(text)
        lines, audit = compose_audited(text, measure, style, metrics)
        ctx.notes.text_audit.add(audit)
        for e in emergencies(text, lines, style, latin=False, measure=measure):
            ctx.notes.findings.append(Emergency(article=art.id, at=where, reason=e.reason, line=e.line,
                                                text=lines[e.line].text, value=e.value, source=src))
        for ln in lines:
            flow.append(("line", ln, src, where))
    i = 0  # next slot
    overset: list[tuple] = []
    for n, entry in enumerate(flow):
        if entry[0] == "head":
            need = len(entry[1]) + (1 if i and slots[i - 1][0] == slots[min(i, len(slots) - 1)][0] else 0)
            # the head, its lines and a blank before it, in one tier, followed by a body line
            j = i
            while j < len(slots):
                run = slots[j:j + need + 1]
                if len(run) == need + 1 and all(s[0] == run[0][0] and s[1] == run[0][1] + d for d, s in enumerate(run)):
                    break
                j += 1
            if j >= len(slots):
                overset.extend(flow[n:])
                break
            i = j + need - len(entry[1])
            hm_size = entry[2]
            for line in entry[1]:
                t, k = slots[i]
                items.extend(_vertical_text(line, section, hm_size, centres[k], tier_tops[t], measure, "left",
                                            "section", BLACK, "section-head", entry[3],
                                            entry[4] + ("head",) if entry[4] else (), ctx))
                i += 1
            continue
        if i >= len(slots):
            overset.extend(flow[n:])
            break
        t, k = slots[i]
        _, ln, src, where = entry
        items.extend(glyphs_from_vertical_line(ln, centre=centres[k], top=tier_tops[t], font="body", metrics=metrics,
                                               size=size, role="body", source=src, lang=ctx.lang, at=where,
                                               em_bottom=EM_BOTTOM))
        i += 1
    body_lines = [e for e in overset if e[0] == "line"]
    if body_lines:
        if art.jump_to and i > 0:
            t, k = slots[-1]
            jm = vertical_metrics(ctx, "kai", art)
            text = jump_to(art.jump_to, ctx.doc.typography.language)
            items.extend(_vertical_text(text, jm, size, centres[k], tier_tops[t], measure, "left", "kai", BLACK,
                                        "jump", f"{art.id}:jump-to", (), ctx))
            ctx.notes.findings.append(Jump(article=art.id, to_page=art.jump_to, lines=len(body_lines), at=at))
        else:
            chars = sum(len(e[1].text) for e in body_lines)
            ctx.notes.findings.append(Overset(article=art.id, lines=len(body_lines), characters=chars, at=at,
                                              first=body_lines[0][2]))
    elif i < len(slots):
        free = len(slots) - i
        ctx.notes.findings.append(Underset(article=art.id, lines=free,
                                           characters=conv.characters_per_line(measure, size) * free, at=at))
    return items


def _too_small(art: Article, ctx: Context, lines: int, chars: int):
    from layout.errors import Problem

    at = ctx.article_path(art)
    return Problem(path=at + ("frame",) if at else (), message=(
        f"article {art.id!r}: the vertical module is too small for its body ({max(lines, 0)} vertical lines of "
        f"{max(chars, 0)} 字 beside its heads)"), hint="give the module more columns or lines, or smaller heads")


def _vertical_photo(photo: Photo, art: Article, ctx: Context, box: tuple[float, float, float, float],
                    index: int) -> list[Item]:
    """A photo in a vertical story: the picture in its frame but for a column at its left, where
    its caption stands vertically (and its credit at the foot of the picture)."""
    g = ctx.grid
    px, py, pw, ph = box
    at = ctx.photo_path(art, photo)
    src = f"{art.id}:photo:{photo.label}"
    cap_w = g.pitch * 1.5 if photo.caption else 0.0
    items: list[Item] = []
    for pic in photo.pictures[:1]:
        items.append(Image(x=px + cap_w, y=py, w=pw - cap_w, h=ph, file=pic.file, focus=tuple(pic.focus),
                           role="photo", source=src, at=at + ("file",) if at else ()))
    if photo.caption:
        caption = ctx.normalized(photo.caption, source=src, article=art.id, at=at + ("caption",) if at else ())
        m = vertical_metrics(ctx, "kai_bold", art)
        size = g.body_size
        fit = wrap_head(caption, m, size, ph, lang=ctx.lang)
        centre = px + cap_w - g.pitch / 2
        for line in fit.lines:
            items.extend(_vertical_text(line, m, fit.size, centre, py, ph, "left", "kai_bold", BLACK, "caption",
                                        src, at + ("caption",) if at else (), ctx))
            centre -= fit.size * HEAD_LEADING
    return items
