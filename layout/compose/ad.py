"""Ads. A public-service ad (公益广告) is laid out by the engine from its parts as a designed
poster: label tag, display title, an illustration (forest and a crossed-out flame, drawn as
vector shapes), the slogan characters each reversed out of a circle, tagline, slogan band,
designer credit and the sponsor. An image ad is placed to fill its frame.

Positions are proportions of the frame, so the same design fits other frame sizes.
"""

from __future__ import annotations

import math

from layout.compose.context import Context
from layout.compose.textset import natural_width, set_line
from layout.display import CMYK, WHITE, Ellipse, Image, Item, Line, Polygon, Rect, Vector
from layout.model.content import ImageAd, PublicServiceAd

RED: CMYK = (0.0, 1.0, 1.0, 0.0)
SMALL_TYPE: CMYK = (0.0, 0.0, 0.0, 0.85)  # text under 9 pt: black ink only (the plant's register tolerance)


MAX_INK = 2.2  # newsprint: keep flat colours within 220 % total coverage


def _darker(c: CMYK, k: float = 0.35) -> CMYK:
    """A darker shade: more black, with C, M and Y eased so the total stays printable."""
    black = min(1.0, c[3] + k)
    cmy = c[0] + c[1] + c[2]
    room = MAX_INK - black
    scale = min(1.0, room / cmy) if cmy > 0 else 1.0
    return (c[0] * scale, c[1] * scale, c[2] * scale, black)


def _tint(c: CMYK, t: float) -> CMYK:
    return tuple(v * t for v in c)  # type: ignore[return-value]


#: the slogan's circles may be set this much smaller than the frame's width allows, to keep
#: their rows of six in the frame, before a row takes more characters
CIRCLES_SHRINK = 0.6


def ad_box(frame, ctx: Context) -> tuple[float, float, float, float]:
    """The ad's box: its grid frame, from the em top of its first line to the em bottom of its
    last; an ad below other modules starts half a line lower, so white parts it from the text."""
    g = ctx.grid
    inset = (g.pitch - g.body_size) / 2
    x = g.column_x(frame.column)
    y = g.line_top(frame.line) + inset
    h = (frame.lines - 1) * g.pitch + g.body_size
    if frame.line > 1:
        y += g.pitch / 2
        h -= g.pitch / 2
    return x, y, g.span_width(frame.columns), h


def _pine(cx: float, base: float, h: float, color: CMYK) -> list[Item]:
    """A stylised pine: three stacked triangles on a trunk."""
    out: list[Item] = []
    w = h * 0.55
    trunk_h = h * 0.15
    out.append(Rect(cx - w * 0.06, base - trunk_h, w * 0.12, trunk_h, fill=(0.3, 0.55, 0.8, 0.4), role="ad-art"))
    for i, (tw, ty) in enumerate(((1.0, 0.15), (0.8, 0.42), (0.58, 0.66))):
        top = base - h
        y0 = base - h * ty
        tip = top + h * (0.0 if i == 2 else 0.25 * (2 - i) * 0.5)
        out.append(Polygon(((cx - w * tw / 2, y0), (cx + w * tw / 2, y0), (cx, tip)), fill=color, role="ad-art"))
    return out


def _flame(cx: float, cy: float, r: float, color: CMYK, tilt: float = 0.0) -> Polygon:
    """A tongue of flame: a teardrop with its point up, leaning by ``tilt`` radians."""
    pts = []
    ct, st = math.cos(tilt), math.sin(tilt)
    for i in range(48):
        t = 2 * math.pi * i / 48
        dx, dy = r * 0.75 * math.sin(t) * abs(math.sin(t / 2)) ** 0.9, -r * math.cos(t)
        pts.append((cx + dx * ct - dy * st, cy + dx * st + dy * ct))
    return Polygon(tuple(pts), fill=color, role="ad-art")


def compose_public_service(ad: PublicServiceAd, ctx: Context) -> list[Item]:
    x, y, w, h = ad_box(ad.frame, ctx)
    f = ctx.fonts
    green = ctx.color(ad.color)
    dark = _darker(green)
    pale = _tint(green, 0.12)
    pad = max(8.0, w * 0.05)
    items: list[Item] = [Rect(x, y, w, h, fill=pale, role="ad-background"),
                         Rect(x, y, w, h, stroke=green, line_width=1.5, role="ad-border")]
    src = f"ad:{ad.id}"
    here = next((("ads", i) for i, a in enumerate(ctx.doc.ads) if a is ad), ())

    def text(s, font, size, top, color, align="center", tracking=0.0, box_x=None, box_w=None, role="ad-text",
             field=None):
        at = here + (field or role.removeprefix("ad-"),) if here else ()
        s = ctx.normalized(s, source=src, ad=ad.id, at=at)
        m = f.metrics(font)
        bw = box_w if box_w is not None else w - 2 * pad
        natural = natural_width(s, m, size, tracking, lang=ctx.lang)
        if natural > bw:
            size *= bw / natural
        items.extend(set_line(s, font=font, metrics=m, size=size, x=box_x if box_x is not None else x + pad,
                              baseline=top + f.em_top(font) * size, width=bw, align=align, tracking=tracking,
                              color=color, role=role, source=src, lang=ctx.lang, at=at))
        return size

    # label tag in the top-left corner
    if ad.label:
        ls = 9.0
        lw = natural_width(ad.label, f.metrics("subhead"), ls, lang=ctx.lang) + 10
        items.append(Rect(x, y, lw, ls + 8, fill=green, role="ad-label"))
        text(ad.label, "subhead", ls, y + 4, WHITE, box_x=x, box_w=lw, role="ad-label")
    # display title
    ty = y + h * 0.05
    tsize = min(h * 0.075, (w - 2 * pad) / max(len(ad.title), 1))
    text(ad.title, "display_heavy", tsize, ty, dark, role="ad-title")
    # illustration: hills, a row of pines, a flame struck through
    art_top = ty + tsize * 1.35
    art_h = h * 0.34
    base = art_top + art_h
    items.append(Polygon(((x + 1, base), (x + 1, base - art_h * 0.35), (x + w * 0.3, base - art_h * 0.62),
                          (x + w * 0.55, base - art_h * 0.4), (x + w * 0.8, base - art_h * 0.7),
                          (x + w - 1, base - art_h * 0.45), (x + w - 1, base)), fill=_tint(green, 0.35), role="ad-art"))
    items.append(Polygon(((x + 1, base), (x + 1, base - art_h * 0.18), (x + w * 0.4, base - art_h * 0.3),
                          (x + w * 0.7, base - art_h * 0.22), (x + w - 1, base - art_h * 0.3), (x + w - 1, base)),
                         fill=_tint(green, 0.6), role="ad-art"))
    n_trees = 7
    for i in range(n_trees):
        th = art_h * (0.42 + 0.12 * ((i * 37) % 5) / 4)
        # trees stay inside the border: centres spread over the width less a tree's half-width
        half = th * 0.55 / 2 + 2.0
        cx = x + half + (w - 2 * half) * i / (n_trees - 1)
        items.extend(_pine(cx, base - art_h * 0.02, th, dark if i % 2 else green))
    fcx, fcy, fr = x + w / 2, art_top + art_h * 0.38, art_h * 0.26
    items.append(Ellipse(fcx - fr * 1.25, fcy - fr * 1.25, fr * 2.5, fr * 2.5, fill=WHITE, role="ad-art"))
    # the GB 2894 prohibition sign (禁止烟火): a black flame under the red ring and bar
    black = (0.0, 0.0, 0.0, 1.0)
    items.append(_flame(fcx - fr * 0.32, fcy + fr * 0.3, fr * 0.55, black, tilt=-0.35))
    items.append(_flame(fcx + fr * 0.32, fcy + fr * 0.3, fr * 0.55, black, tilt=0.35))
    items.append(_flame(fcx, fcy + fr * 0.1, fr * 0.85, black))
    items.append(Ellipse(fcx - fr * 1.25, fcy - fr * 1.25, fr * 2.5, fr * 2.5, stroke=RED, line_width=fr * 0.18, role="ad-art"))
    d = fr * 1.25 * math.cos(math.pi / 4)
    items.append(Line(fcx - d, fcy - d, fcx + d, fcy + d, color=RED, width=fr * 0.18, role="ad-art"))
    # the slogan characters, each reversed out of a circle, in rows of at most six
    chars = ad.characters
    gap = w * 0.02
    cy = base + h * 0.03
    # the foot (sponsor, designer) and the tagline and slogan band above it
    foot = y + h - h * 0.085
    tag_size = min(h * 0.045, 34.0)
    band_h = h * 0.065
    block = (tag_size * 1.5 if ad.tagline else 0.0) + (band_h if ad.slogan else 0.0)
    # (rows of six, or more to a row when the rows would run past the tagline, band and foot:
    # the circles stay inside the frame however many characters the slogan has)
    room = (foot - 14.0) - cy - block
    # (the rows of six stay, smaller, down to CIRCLES_SHRINK of their size; past that, more
    # characters go to a row)
    per_row, dia = 1, 0.0
    for n in range(min(6, len(chars)), len(chars) + 1):
        rows_n = math.ceil(len(chars) / n)
        full = min((w - 2 * pad - (n - 1) * gap) / n, h * 0.08)
        d = min(full, (room - (rows_n - 1) * gap * 1.5) / rows_n)
        if d > dia:
            per_row, dia = n, d
        if d >= CIRCLES_SHRINK * full - 1e-9:
            break
    dia = max(dia, 1.0)
    rows = math.ceil(len(chars) / per_row)
    for r in range(rows):
        row = chars[r * per_row:(r + 1) * per_row]
        row_w = len(row) * dia + (len(row) - 1) * gap
        cx = x + (w - row_w) / 2
        fill = green if r % 2 == 0 else RED
        for ch in row:
            items.append(Ellipse(cx, cy, dia, dia, fill=fill, role="ad-circle"))
            cs = dia * 0.6
            items.extend(set_line(ch, font="display_heavy", metrics=f.metrics("display_heavy"), size=cs, x=cx,
                                  baseline=cy + dia / 2 + cs * 0.36, width=dia, align="center", color=WHITE,
                                  role="ad-character", source=src, lang=ctx.lang,
                                  at=here + ("characters",) if here else ()))
            cx += dia + gap
        cy += dia + gap * 1.5
    # tagline and slogan band centred in the room left above the foot; designer, sponsor
    y_tag = cy + max(h * 0.02, (foot - 14.0 - cy - block) / 2)
    if ad.tagline:
        s = text(ad.tagline, "kai_bold", tag_size, y_tag, dark, tracking=0.1, role="ad-tagline")
        y_tag += s * 1.5
    if ad.slogan:
        items.append(Rect(x, y_tag, w, band_h, fill=green, role="ad-band"))
        ss = band_h * 0.58
        text(ad.slogan, "display_heavy", ss, y_tag + (band_h - ss) / 2, WHITE, role="ad-slogan")
        y_tag += band_h
    if ad.designer:
        # small type in one ink: a 7.5 pt credit in four inks would blur with the slightest misregister
        text(ad.designer, "kai", 7.5, foot - 12.0, SMALL_TYPE, align="right", role="ad-designer")
    if ad.sponsor:
        items.append(Line(x + pad, foot, x + w - pad, foot, color=green, width=0.6, role="ad-rule"))
        text(ad.sponsor, "headline", min(h * 0.035, 22.0), foot + h * 0.018, dark, tracking=0.2, role="ad-sponsor")
    return items


def compose_image_ad(ad: ImageAd, ctx: Context) -> list[Item]:
    x, y, w, h = ad_box(ad.frame, ctx)
    at = next((("ads", i, "file") for i, a in enumerate(ctx.doc.ads) if a is ad), ())
    if ad.file.lower().endswith(".pdf"):
        # a PDF ad keeps its proportions: scaled to fit the frame, centred (its size read before
        # composition; an unreadable file is reported when the assets are prepared)
        pw, ph = ctx.picture_sizes.get((ad.file, ad.page), (w, h))
        s = min(w / pw, h / ph)
        vw, vh = pw * s, ph * s
        return [Vector(x=x + (w - vw) / 2, y=y + (h - vh) / 2, w=vw, h=vh, file=ad.file, page=ad.page,
                       source=f"ad:{ad.id}", at=at)]
    return [Image(x=x, y=y, w=w, h=h, file=ad.file, role="ad-image", source=f"ad:{ad.id}", at=at)]


def compose_ad(ad, ctx: Context) -> list[Item]:
    if isinstance(ad, PublicServiceAd):
        return compose_public_service(ad, ctx)
    return compose_image_ad(ad, ctx)
