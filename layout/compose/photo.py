"""A photo module: the picture cropped to its grid frame, its caption and credit beneath.

The frame's last lines hold the caption (and the credit, when given) and a blank line, so body
text below starts a full line away. The picture's top and bottom edges sit on the em box of the
grid lines they span, level with the text in neighbouring columns.
"""

from __future__ import annotations

from layout.compose.context import Context
from layout.compose.textset import natural_width, set_line
from layout.display import Image, Item
from layout.model.content import Article, Frame, Photo

CAPTION_SIZE = 9.0
CREDIT_SIZE = 7.5


def caption_lines(photo: Photo) -> int:
    """Lines under the picture (see ``Photo.reserved_lines``)."""
    return photo.reserved_lines


def photo_obstacle(photo: Photo) -> Frame:
    return photo.frame


def image_box(photo: Photo, ctx: Context) -> tuple[float, float, float, float]:
    g = ctx.grid
    f = photo.frame
    image_lines = f.lines - caption_lines(photo)
    inset = (g.pitch - g.body_size) / 2
    x = g.column_x(f.column)
    y = g.line_top(f.line) + inset
    h = (image_lines - 1) * g.pitch + g.body_size
    w = g.span_width(f.columns)
    # a bleeding picture runs past the trim into the bleed on the sides the editor names
    if "top" in photo.bleed:
        h += y + g.bleed
        y = -g.bleed
    if "bottom" in photo.bleed:
        h = g.height + g.bleed - y
    if "left" in photo.bleed:
        w += x + g.bleed
        x = -g.bleed
    if "right" in photo.bleed:
        w = g.width + g.bleed - x
    return x, y, w, h


def compose_photo(photo: Photo, art: Article, ctx: Context) -> list[Item]:
    g = ctx.grid
    x, y, w, h = image_box(photo, ctx)
    items: list[Item] = []
    g_x, g_w = g.column_x(photo.frame.column), g.span_width(photo.frame.columns)
    src = f"{art.id}:photo:{photo.id or photo.file}"
    prepared = ctx.images.prepare(photo.file, w, h, photo.focus, src)
    items.append(Image(x=x, y=y, w=w, h=h, path=str(prepared.path), pixel_width=prepared.pixel_width,
                       pixel_height=prepared.pixel_height, source=photo.file, role="photo"))
    line = photo.frame.line + photo.frame.lines - caption_lines(photo)
    em_top = ctx.fonts.em_top("kai_bold")
    if photo.caption:
        m = ctx.fonts.metrics("kai_bold")
        text = "▲" + photo.caption if ctx.fonts.metrics("kai_bold").has("▲") else photo.caption
        size = min(CAPTION_SIZE, g_w / max(natural_width(text, m, 1.0), 1e-6))
        items.append(set_line(text, font="kai_bold", metrics=m, size=size, x=g_x,
                              baseline=g.baseline(line, em_top, size), width=g_w, align="center",
                              role="caption", source=src))
        line += 1
    if photo.credit:
        m = ctx.fonts.metrics("kai")
        size = min(CREDIT_SIZE, g_w / max(natural_width(photo.credit, m, 1.0), 1e-6))
        items.append(set_line(photo.credit, font="kai", metrics=m, size=size, x=g_x,
                              baseline=g.baseline(line, ctx.fonts.em_top("kai"), g.body_size), width=g_w,
                              align="right", role="credit", source=src))
    return items
