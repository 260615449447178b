"""A photo module: the picture cropped to its grid frame, its caption and credit beneath.

The frame's last lines hold the caption (and the credit, when given) and a blank line, so body
text below starts a full line away. A caption too long for one line at its size is set justified
on the lines the frame keeps for it (``caption_lines``), one a grid line, and only when it does
not fit them is it set smaller (the build report says so, and how many lines it would need). The picture's top and bottom edges sit on the em box of the
grid lines they span, level with the text in neighbouring columns.

A photo group (组图) divides the same picture area into cells, ``across`` to a row, with the
column gutter between them both ways; each picture is cropped to its cell around its own focus,
and one caption and credit go under the group.

A photo without a frame is placed by the engine (:func:`place_photos`): the first at the top of
the body under the heads, across most of the article's columns, further ones lower down the
columns, alternately at the left and the right; each as tall as the picture's proportions ask on
its width, within bounds.
"""

from __future__ import annotations

import math
from layout.compose.context import Context
from layout.compose.textset import glyphs_from_line, natural_width, set_line
from layout.display import Image, Item
from layout.model.content import Article, Frame, Photo
from layout.text.languages import conventions
from layout.text.paragraphs import compose_paragraph

CAPTION_SIZE = 9.0
CREDIT_SIZE = 7.5
#: a caption set smaller than this to fit its lines is a warning (hard to read on newsprint); a
#: caption set smaller at all is a note
CAPTION_READABLE = 7.0
#: engine-placed photos: the smallest picture (lines above the caption), the largest share of the
#: column height a picture may take, and the proportions assumed for a picture that cannot be read
MIN_PICTURE_LINES = 3
MAX_PICTURE_SHARE = 0.55
DEFAULT_ASPECT = 1.5


def caption_lines(photo: Photo) -> int:
    """Lines under the picture (see ``Photo.reserved_lines``)."""
    return photo.reserved_lines


def photo_obstacle(photo: Photo) -> Frame:
    return photo.frame


def picture_area(photo: Photo, ctx: Context) -> tuple[float, float, float, float]:
    """x, y, w, h of the picture part of the frame (above the caption lines), without bleed."""
    g = ctx.grid
    f = photo.frame
    image_lines = f.lines - caption_lines(photo)
    inset = (g.pitch - g.body_size) / 2
    return g.column_x(f.column), g.line_top(f.line) + inset, g.span_width(f.columns), (image_lines - 1) * g.pitch + g.body_size


def _bleed(box: tuple[float, float, float, float], sides, ctx: Context) -> tuple[float, float, float, float]:
    """A box run past the trim into the bleed on the given sides."""
    g = ctx.grid
    x, y, w, h = box
    if "top" in sides:
        h += y + g.bleed
        y = -g.bleed
    if "bottom" in sides:
        h = g.height + g.bleed - y
    if "left" in sides:
        w += x + g.bleed
        x = -g.bleed
    if "right" in sides:
        w = g.width + g.bleed - x
    return x, y, w, h


def image_box(photo: Photo, ctx: Context) -> tuple[float, float, float, float]:
    """The picture's box; a bleeding picture runs past the trim on the sides the editor names."""
    return _bleed(picture_area(photo, ctx), photo.bleed, ctx)


def group_shape(count: int, across: int | None) -> tuple[int, int]:
    """(pictures per row, rows) of a group of ``count`` pictures."""
    a = max(1, min(across or count, count))
    return a, math.ceil(count / a)


def cell_boxes(photo: Photo, ctx: Context) -> list[tuple[float, float, float, float]]:
    """The boxes of a photo's pictures: its picture area for one picture; for a group, cells of
    equal size in rows of ``across`` with the column gutter between them both ways (a last row
    with fewer pictures is centred). A bleeding side bleeds the cells on that edge."""
    if photo.group is None:
        return [image_box(photo, ctx)]
    g = ctx.grid
    x0, y0, w, h = picture_area(photo, ctx)
    n = len(photo.group)
    across, rows = group_shape(n, photo.across)
    cw = (w - (across - 1) * g.gutter) / across
    ch = (h - (rows - 1) * g.gutter) / rows
    out = []
    for i in range(n):
        r, c = divmod(i, across)
        in_row = min(across, n - r * across)
        shift = (across - in_row) * (cw + g.gutter) / 2
        box = (x0 + shift + c * (cw + g.gutter), y0 + r * (ch + g.gutter), cw, ch)
        sides = [s for s in photo.bleed
                 if (s == "top" and r == 0) or (s == "bottom" and r == rows - 1)
                 or (s == "left" and c == 0 and shift == 0) or (s == "right" and c == in_row - 1 and shift == 0)]
        out.append(_bleed(box, sides, ctx))
    return out


def compose_photo(photo: Photo, art: Article, ctx: Context) -> list[Item]:
    g = ctx.grid
    items: list[Item] = []
    g_x, g_w = g.column_x(photo.frame.column), g.span_width(photo.frame.columns)
    src = f"{art.id}:photo:{photo.label}"
    at = ctx.photo_path(art, photo)
    for gi, (pic, (x, y, w, h)) in enumerate(zip(photo.pictures, cell_boxes(photo, ctx))):
        where = at + (("file",) if photo.group is None else ("group", gi) + (() if isinstance(photo.group[gi], str) else ("file",)))
        items.append(Image(x=x, y=y, w=w, h=h, file=pic.file, focus=tuple(pic.focus),
                           role="photo" if photo.group is None else "group-photo", source=src, at=where if at else ()))
    line = photo.frame.line + photo.frame.lines - caption_lines(photo)
    em_top = ctx.fonts.em_top("kai_bold")
    if photo.caption:
        m = ctx.fonts.metrics("kai_bold")
        caption = ctx.normalized(photo.caption, source=src, article=art.id, at=at + ("caption",) if at else ())
        # (a marker pointing at the picture, as the language's papers have it: ▲ in Chinese ones)
        marker = conventions(ctx.lang).caption_marker
        text = marker + caption if marker and m.has(marker) else caption
        cat = at + ("caption",) if at else ()
        room = max(1, photo.reserved_lines - (1 if photo.credit else 0) - 1)
        one_line = min(CAPTION_SIZE, g_w / max(natural_width(text, m, 1.0, lang=ctx.lang), 1e-6))
        wrapped = _wrapped_caption(text, g_w, room, m, ctx) if one_line < CAPTION_SIZE and room > 1 else None
        if wrapped is None:
            size = one_line
            items.extend(set_line(text, font="kai_bold", metrics=m, size=size, x=g_x,
                                  baseline=g.baseline(line, em_top, size), width=g_w, align="center",
                                  role="caption", source=src, lang=ctx.lang, at=cat))
            line += 1
        else:
            size, lines = wrapped
            for ln in lines:
                items.extend(glyphs_from_line(ln, x=g_x, baseline=g.baseline(line, em_top, size), font="kai_bold",
                                              metrics=m, size=size, role="caption", source=src, lang=ctx.lang, at=cat))
                line += 1
        if size < CAPTION_SIZE - 1e-6:
            wants = len(_caption_lines(text, g_w, CAPTION_SIZE, m, ctx))
            need = wants + (1 if photo.credit else 0) + 1
            parts = f"{wants} for the caption" + (", 1 for the credit" if photo.credit else "") + " and a blank one"
            ctx.notes.notice("caption-shrunk", art.id, f"photo {photo.label}: its caption is set at {size:.1f}pt "
                             f"(captions are {CAPTION_SIZE:g}pt) to fit {room} line{'s' if room > 1 else ''}; give the "
                             f"photo caption_lines: {need} ({parts}) or shorten the caption", cat,
                             severity="warning" if size < CAPTION_READABLE else "note")
    if photo.credit:
        m = ctx.fonts.metrics("kai")
        credit = ctx.normalized_line(photo.credit, source=src, article=art.id, at=at + ("credit",) if at else ())
        size = min(CREDIT_SIZE, g_w / max(natural_width(credit, m, 1.0, lang=ctx.lang), 1e-6))
        items.extend(set_line(credit, font="kai", metrics=m, size=size, x=g_x,
                              baseline=g.baseline(line, ctx.fonts.em_top("kai"), g.body_size), width=g_w,
                              align="right", role="credit", source=src, lang=ctx.lang,
                              at=at + ("credit",) if at else ()))
    return items


def _caption_lines(text: str, width: float, size: float, m, ctx: Context) -> list:
    """The caption composed as a paragraph at ``size``: justified, no indent, on the grid."""
    style = ctx.body_style(size=size, indent=0.0, avoid_orphan=False, hanging=False)
    return compose_paragraph(text, width, style, m)


def _wrapped_caption(text: str, width: float, room: int, m, ctx: Context) -> tuple[float, list] | None:
    """The caption on at most ``room`` lines: at its size, or the largest half-point size down
    to :data:`CAPTION_READABLE` at which it fits; None when it fits none (it is then set on one
    line, as small as it must be)."""
    size = CAPTION_SIZE
    while size >= CAPTION_READABLE - 1e-6:
        lines = _caption_lines(text, width, size, m, ctx)
        if len(lines) <= room:
            return size, lines
        size -= 0.5
    return None


# ------------------------------------------------------------------------------------------------
# photos left to the engine
# ------------------------------------------------------------------------------------------------


def picture_aspect(photo: Photo, ctx: Context) -> float:
    """Width over height of the photo's picture area as its pictures ask: the picture's own
    proportions (``ctx.picture_sizes``, upright), or for a group the cells' average side by side
    in rows. A file whose size is not known counts as 3:2 (the build reports the file itself)."""
    aspects = []
    for pic in photo.pictures:
        w, h = ctx.picture_sizes.get(pic.file, (0, 0))
        aspects.append(w / h if w > 0 and h > 0 else DEFAULT_ASPECT)
    if photo.group is None:
        return aspects[0]
    across, rows = group_shape(len(aspects), photo.across)
    return across * (sum(aspects) / len(aspects)) / rows


class Region:
    """Where the engine may put photos: each column's first and last body line, and grid cells
    already taken (photos with frames, ads, photos placed before)."""

    def __init__(self, spans: dict[int, tuple[int, int]], taken: set[tuple[int, int]] = frozenset()):
        self.spans = dict(spans)
        self.taken = set(taken)
        self._sums: dict[int, list[int]] = {}
        for c, (first, last) in self.spans.items():
            sums = [0]
            for ln in range(0, last + 2):
                sums.append(sums[-1] + ((c, ln) in self.taken))
            self._sums[c] = sums

    def free(self, column: int, columns: int, line: int, lines: int) -> bool:
        end = line + lines - 1
        for c in range(column, column + columns):
            span = self.spans.get(c)
            if span is None or line < span[0] or end > span[1]:
                return False
            sums = self._sums[c]
            if sums[end + 1] - sums[line]:
                return False
        return True

    def with_frame(self, f: Frame) -> Region:
        cells = {(c, ln) for c in range(f.column, f.column + f.columns) for ln in range(f.line, f.line + f.lines)}
        return Region(self.spans, self.taken | cells)


def _picture_lines(width_pt: float, aspect: float, ctx: Context) -> int:
    g = ctx.grid
    height = width_pt / max(aspect, 1e-6)
    return max(MIN_PICTURE_LINES, round((height - g.body_size) / g.pitch) + 1)


def place_photos(photos: list[Photo], aspects: list[float], region: Region, ctx: Context) -> list[Frame | None]:
    """Frames for photos the editor left without one (None where none fits), in order.

    The k-th of m photos aims at a line k/m of the way down the body (the first at its top) and
    at the right edge for even k, the left for odd k; the first spans about two thirds of the
    columns, later ones half. Its height follows the picture's proportions, at most
    ``MAX_PICTURE_SHARE`` of the column. Positions that leave one or two lines of text stranded
    above or below it in a column come last; a photo that does not fit its width is tried
    shorter, then narrower."""
    g = ctx.grid
    columns = sorted(region.spans)
    n = len(columns)
    out: list[Frame | None] = []
    m = len(photos)
    top = min(first for first, _ in region.spans.values())
    bottom = max(last for _, last in region.spans.values())
    tall = max(last - first + 1 for first, last in region.spans.values())
    for k, (photo, aspect) in enumerate(zip(photos, aspects)):
        reserved = caption_lines(photo)
        want = (n if n <= 2 else math.ceil(2 * n / 3)) if k == 0 else max(1, math.ceil(n / 2))
        target = top + round(k * (bottom - top + 1) / m) if m else top
        right = k % 2 == 0
        max_lines = max(MIN_PICTURE_LINES, int(MAX_PICTURE_SHARE * tall) - reserved)
        widths = [want] + [w for w in range(want - 1, 0, -1)] + [w for w in range(want + 1, n + 1)]
        chosen = None
        for w in widths:
            lines = min(_picture_lines(g.span_width(w), aspect, ctx), max_lines)
            heights = sorted({lines, max(MIN_PICTURE_LINES, lines * 3 // 4), max(MIN_PICTURE_LINES, lines // 2),
                              MIN_PICTURE_LINES}, reverse=True)
            for pic_lines in heights:
                h = pic_lines + reserved
                best = None
                for ci in range(n - w + 1):
                    col = columns[ci]
                    if columns[ci + w - 1] != col + w - 1:
                        continue
                    side = (n - w - ci) if right else ci
                    for ln in range(top, bottom - h + 2):
                        if not region.free(col, w, ln, h):
                            continue
                        stranded = 0
                        for c in range(col, col + w):
                            first, last = region.spans[c]
                            above, below = ln - first, last - (ln + h - 1)
                            # (text stops a line above a photo; the frame ends in a blank line)
                            stranded += (0 < above < 4) + (0 < below < 3)
                        key = (stranded, abs(ln - target), side, ln)
                        if best is None or key < best[0]:
                            best = (key, Frame(column=col, columns=w, line=ln, lines=h))
                if best is not None:
                    chosen = best[1]
                    break
            if chosen is not None:
                break
        out.append(chosen)
        if chosen is not None:
            region = region.with_frame(chosen)
    return out
