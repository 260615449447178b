#!/usr/bin/env python3
"""Generate the stand-in photographs for the seed page's three pictures.

The seed page (株洲日报) carries three photos, captioned 万丰湖, “厂BA” and 动力谷, whose originals
are not available. This script paints plausible photographic stand-ins procedurally, with Pillow
only, so that a page proof looks like a newspaper page at a glance:

- ``images/wanfeng-lake.jpg``  万丰湖: a lake park on a hazy afternoon, hills and a far skyline,
  a shore of trees, a pavilion with a zigzag bridge, reflections and ripples, a willow in front.
- ``images/factory-ba.jpg``    “厂BA”: an outdoor basketball court at night, floodlight towers,
  packed stands, court lines, players as back-lit figures with multiple shadows.
- ``images/power-valley.jpg``  动力谷: an industrial/technology park, glass office towers and
  factory halls along a road, sky with clouds.

Everything is deterministic: all randomness comes from ``random.Random(seed)`` (never from
``Image.effect_noise``, whose C ``rand()`` state is shared process-wide), and the JPEG encoder
settings are fixed, so a run writes the same bytes every time on the same Pillow/libjpeg.

Usage: ``python tools/make_images.py [--out DIR] [--scale S] [--only NAME]`` (``make images``).
``--scale`` renders smaller copies (the tests use it to check determinism quickly).
"""

from __future__ import annotations

import argparse
import io
import math
import random
import sys
import time
from pathlib import Path
from typing import Callable, Sequence

from PIL import Image, ImageChops, ImageDraw, ImageFilter, ImageOps

RGB = tuple[int, int, int]
JPEG_QUALITY = 88
ROOT = Path(__file__).resolve().parent.parent


# --------------------------------------------------------------------------------------------
# Small procedural toolkit (Pillow only; no numpy)
# --------------------------------------------------------------------------------------------


def clamp8(v: float) -> int:
    return 0 if v < 0 else 255 if v > 255 else int(v + 0.5)


def mix(a: Sequence[float], b: Sequence[float], t: float) -> RGB:
    """Linear interpolation between two colours (t=0 gives a, t=1 gives b)."""
    return tuple(clamp8(x + (y - x) * t) for x, y in zip(a, b))  # type: ignore[return-value]


def scale_rgb(c: Sequence[float], k: float) -> RGB:
    return tuple(clamp8(x * k) for x in c)  # type: ignore[return-value]


def white_noise(size: tuple[int, int], seed: int) -> Image.Image:
    """Uniform 8-bit noise from a seeded Python RNG (deterministic, unlike effect_noise)."""
    w, h = size
    return Image.frombytes("L", (w, h), random.Random(seed).randbytes(w * h))


def value_noise(size: tuple[int, int], seed: int, cell: tuple[float, float]) -> Image.Image:
    """Smooth noise: a coarse random grid upsampled bicubically, then softened.

    ``cell`` is the feature size in pixels along x and y (different values stretch features,
    e.g. wide flat clouds or horizontal ripples)."""
    w, h = size
    cw, ch = max(cell[0], 1.0), max(cell[1], 1.0)
    gw, gh = int(w / cw) + 4, int(h / ch) + 4
    grid = white_noise((gw, gh), seed)
    big = grid.resize((int(gw * cw), int(gh * ch)), Image.Resampling.BICUBIC)
    big = big.crop((int(cw), int(ch), int(cw) + w, int(ch) + h))
    r = min(cw, ch) / 3.0
    return big.filter(ImageFilter.GaussianBlur(r)) if r >= 1 else big


def fbm(
    size: tuple[int, int],
    seed: int,
    cell: tuple[float, float],
    octaves: int = 5,
    gain: float = 0.5,
    stretch: bool = True,
) -> Image.Image:
    """Fractal noise: octaves of value noise, each half the feature size and ``gain`` weaker."""
    acc = value_noise(size, seed, cell)
    total, amp = 1.0, 1.0
    cx, cy = cell
    for i in range(1, octaves):
        amp *= gain
        cx, cy = cx / 2, cy / 2
        if cx < 1 and cy < 1:
            break
        layer = value_noise(size, seed * 31 + i, (max(cx, 1), max(cy, 1)))
        acc = Image.blend(acc, layer, amp / (total + amp))
        total += amp
    return ImageOps.autocontrast(acc, cutoff=0.5) if stretch else acc


def curve(img: Image.Image, fn: Callable[[float], float]) -> Image.Image:
    """Apply fn (0..1 -> 0..1) to an L image through a lookup table."""
    lut = [clamp8(255 * fn(i / 255)) for i in range(256)]
    return img.point(lut)


def smoothstep(e0: float, e1: float, x: float) -> float:
    t = min(max((x - e0) / (e1 - e0), 0.0), 1.0)
    return t * t * (3 - 2 * t)


def vgradient(size: tuple[int, int], stops: Sequence[tuple[float, Sequence[float]]]) -> Image.Image:
    """Vertical colour gradient through (position 0..1, colour) stops."""
    w, h = size
    col = []
    for y in range(h):
        t = y / max(h - 1, 1)
        for (p0, c0), (p1, c1) in zip(stops, stops[1:]):
            if t <= p1:
                col.append(mix(c0, c1, (t - p0) / max(p1 - p0, 1e-9)))
                break
        else:
            col.append(tuple(int(v) for v in stops[-1][1]))
    strip = Image.new("RGB", (1, h))
    strip.putdata(col)
    return strip.resize((w, h), Image.Resampling.NEAREST)


def colorize(mask: Image.Image, dark: Sequence[float], light: Sequence[float]) -> Image.Image:
    """Map an L image to a colour ramp dark->light."""
    return ImageOps.colorize(mask, tuple(dark), tuple(light))  # type: ignore[arg-type]


def radial_mask(diameter: tuple[int, int], falloff: Callable[[float], float]) -> Image.Image:
    """An elliptical L mask; falloff(d) maps normalised distance (0 centre, 1 rim) to 0..1."""
    base = Image.radial_gradient("L")  # value = distance from centre in a 256 grid
    lut = [clamp8(255 * falloff(min(i / 128.0, 2.0))) for i in range(256)]
    return base.point(lut).resize((max(diameter[0], 1), max(diameter[1], 1)), Image.Resampling.BILINEAR)


def add_light(img: Image.Image, center: tuple[float, float], radius: tuple[float, float],
              color: Sequence[float], falloff: Callable[[float], float]) -> None:
    """Additively paint an elliptical light (glow, bloom, pool of light) into img, in place."""
    rx, ry = max(int(radius[0]), 1), max(int(radius[1]), 1)
    x0, y0 = int(center[0]) - rx, int(center[1]) - ry
    box = (x0, y0, x0 + 2 * rx, y0 + 2 * ry)
    mask = radial_mask((2 * rx, 2 * ry), falloff)
    patch = Image.new("RGB", mask.size, (0, 0, 0))
    patch.paste(tuple(clamp8(c) for c in color), (0, 0), mask)
    region = img.crop(box)
    img.paste(ImageChops.add(region, patch), box)


def gauss_falloff(sigma: float) -> Callable[[float], float]:
    return lambda d: math.exp(-(d / sigma) ** 2) * (1.0 if d < 1 else max(0.0, 2 - d))


def vignette(img: Image.Image, strength: float, power: float = 2.2) -> Image.Image:
    """Darken toward the corners like a real lens (cos^4-ish falloff)."""
    w, h = img.size
    diag = math.hypot(w, h)
    m = radial_mask((int(diag), int(diag)), lambda d: 1 - strength * min(d / 1.0, 1.0) ** power)
    m = m.crop(((m.width - w) // 2, (m.height - h) // 2, (m.width - w) // 2 + w, (m.height - h) // 2 + h))
    return ImageChops.multiply(img, Image.merge("RGB", (m, m, m)))


def grain(img: Image.Image, seed: int, amount: float, chroma: float = 0.0, soft: float = 0.6) -> Image.Image:
    """Film/sensor grain: luminance noise (and a little chroma noise), slightly soft like real grain."""
    w, h = img.size

    def layer(s: int, amt: float) -> Image.Image:
        n = white_noise((w, h), s)
        if soft > 0:
            n = n.filter(ImageFilter.GaussianBlur(soft))
            n = ImageOps.autocontrast(n, cutoff=0.1)
        return curve(n, lambda v: 0.5 + (v - 0.5) * amt / 128.0 * 2)

    lum = layer(seed, amount)
    if chroma > 0:
        chans = [ImageChops.add(lum, layer(seed + 1 + i, chroma), 1, -128) for i in range(3)]
        g = Image.merge("RGB", chans)
    else:
        g = Image.merge("RGB", (lum, lum, lum))
    return ImageChops.add(img, g, 1, -128)


def tone(img: Image.Image, lift: float = 0.0, gamma: float = 1.0, gain: float = 1.0,
         channel_gain: Sequence[float] = (1.0, 1.0, 1.0), contrast: float = 0.0) -> Image.Image:
    """A simple grade: per-channel gain, gamma, S-curve contrast and black lift."""
    bands = []
    for g_c, band in zip(channel_gain, img.split()):
        def f(v: float, g_c: float = g_c) -> float:
            v = min(max(v * gain * g_c, 0.0), 1.0) ** gamma
            if contrast:
                s = v * v * (3 - 2 * v)
                v = v + (s - v) * contrast
            return lift + v * (1 - lift)
        bands.append(curve(band, f))
    return Image.merge("RGB", bands)


def lerp_img(a: Image.Image, b: Image.Image, mask: Image.Image) -> Image.Image:
    """Composite b over a through mask (255 = b)."""
    return Image.composite(b, a, mask)


def ridge_line(width: int, seed: int, base: float, amp: float, cells: Sequence[float]) -> list[float]:
    """A 1-D fractal profile (mountain ridge, treeline, rooftop line), one y value per column."""
    rnd = random.Random(seed)
    ys = [base] * width
    a = amp
    for cell in cells:
        n = int(width / cell) + 3
        pts = [rnd.uniform(-1, 1) for _ in range(n)]
        for x in range(width):
            u = x / cell
            i = int(u)
            t = u - i
            t = t * t * (3 - 2 * t)
            ys[x] += a * (pts[i] * (1 - t) + pts[i + 1] * t)
        a *= 0.5
    return ys


def fill_profile(draw: ImageDraw.ImageDraw, ys: Sequence[float], bottom: float, fill) -> None:
    pts = [(x, y) for x, y in enumerate(ys)] + [(len(ys) - 1, bottom), (0, bottom)]
    draw.polygon(pts, fill=fill)


def textured(size: tuple[int, int], seed: int, dark: Sequence[float], light: Sequence[float],
             cell: float, octaves: int = 5) -> Image.Image:
    return colorize(fbm(size, seed, (cell, cell), octaves), dark, light)


def mottle(img: Image.Image, seed: int, S: float, amount: float = 0.06) -> Image.Image:
    """Low-amplitude large and fine luminance variation: nothing in a photo is one flat colour."""
    m = fbm(img.size, seed, (90 * S, 90 * S), 6, 0.6)
    m = curve(m, lambda v: 1 - amount + amount * 1.2 * v)
    return ImageChops.multiply(img, Image.merge("RGB", (m, m, m)))


def save_jpeg(img: Image.Image, path: Path, comment: str) -> int:
    """Write a baseline JFIF JPEG (no EXIF, 72 dpi like a camera file) atomically; return bytes."""
    buf = io.BytesIO()
    img.convert("RGB").save(buf, "JPEG", quality=JPEG_QUALITY, optimize=True, dpi=(72, 72),
                            comment=comment.encode("utf-8"))
    data = buf.getvalue()
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(path.suffix + ".tmp")
    tmp.write_bytes(data)
    tmp.replace(path)
    return len(data)


# --------------------------------------------------------------------------------------------
# 万丰湖: lake park
# --------------------------------------------------------------------------------------------



def paint_canopies(size: tuple[int, int], blobs: Sequence[tuple[float, float, float]], seed: int,
                   dark: RGB, mid: RGB, light: RGB, S: float, leaf_cell: float = 9.0) -> tuple[Image.Image, Image.Image]:
    """Tree crowns lit from the upper right: each crown is a dark blob overlaid with smaller,
    lighter leaf clusters shifted toward the light; edges are frayed by noise.
    Returns (colour, mask)."""
    rnd = random.Random(seed)
    col = Image.new("RGB", size, dark)
    mask = Image.new("L", size, 0)
    dc, dm = ImageDraw.Draw(col), ImageDraw.Draw(mask)
    for (x, y, r) in sorted(blobs, key=lambda b: b[1]):
        # the crown's silhouette: a few overlapping lobes rather than one disc
        for k in range(5):
            a = rnd.uniform(0, 2 * math.pi)
            rr = r * rnd.uniform(0.55, 0.8)
            cx, cy = x + math.cos(a) * r * 0.35, y + math.sin(a) * r * 0.3
            dm.ellipse((cx - rr, cy - rr, cx + rr, cy + rr), fill=255)
            dc.ellipse((cx - rr, cy - rr, cx + rr, cy + rr), fill=dark)
        n = 8 + int(r / (3 * S + 1))
        for k in range(n):  # leaf masses, lighter toward the light (upper right)
            a = rnd.uniform(0, 2 * math.pi)
            dist = rnd.uniform(0.1, 0.8) * r
            cx, cy = x + math.cos(a) * dist, y + math.sin(a) * dist * 0.85
            rr = r * rnd.uniform(0.12, 0.3)
            lightness = 0.5 + 0.5 * (math.cos(a + 0.8)) * dist / r + rnd.uniform(-0.25, 0.25)
            if lightness < 0.5:
                c = mix(dark, mid, max(lightness, 0) * 2)
            else:
                c = mix(mid, light, min(lightness, 1) * 2 - 1)
            dc.ellipse((cx - rr, cy - rr, cx + rr, cy + rr), fill=c)
    col = col.filter(ImageFilter.GaussianBlur(max(1.8 * S, 0.8)))
    leaf = fbm(size, seed + 1, (leaf_cell * S * 0.45, leaf_cell * S * 0.45), 2)
    col = ImageChops.multiply(col, Image.merge("RGB", [curve(leaf, lambda v: 0.5 + 0.75 * v)] * 3))
    fray = fbm(size, seed + 2, (14 * S, 14 * S), 3)
    mask = mask.filter(ImageFilter.GaussianBlur(4 * S))
    mask = ImageChops.multiply(mask, curve(fray, lambda v: min(1.0, 0.45 + v)))
    mask = curve(mask, lambda v: smoothstep(0.35, 0.55, v))
    return col, mask.filter(ImageFilter.GaussianBlur(0.6 * S))


def scene_lake(W: int, H: int, seed: int = 11) -> Image.Image:
    S = W / 2400.0  # all hand-placed sizes below are for a 2400 px wide frame
    rnd = random.Random(seed)
    horizon = int(0.535 * H)  # far shoreline / water line

    # Sky: deep blue at the top to a warm haze at the horizon; sun glow top right.
    img = vgradient((W, H), [(0.0, (58, 102, 160)), (0.22, (96, 140, 188)), (0.42, (170, 190, 208)),
                             (0.54, (214, 212, 204)), (1.0, (214, 212, 204))])
    add_light(img, (0.86 * W, -0.05 * H), (0.75 * W, 0.6 * H), (70, 58, 36), gauss_falloff(0.65))

    # Clouds: stretched fractal noise, thresholded and blurred, brighter on top, greyer below.
    cl = fbm((W, horizon), seed + 1, (520 * S, 170 * S), 6, 0.55)
    fade = vgradient((1, horizon), [(0, (255,) * 3), (0.55, (235,) * 3), (1.0, (60,) * 3)]).convert("L").resize((W, horizon))
    cl = ImageChops.multiply(cl, fade)
    cmask = curve(cl, lambda v: smoothstep(0.38, 0.78, v) * 0.92)
    cmask = cmask.filter(ImageFilter.GaussianBlur(3 * S))
    shade = fbm((W, horizon), seed + 2, (260 * S, 120 * S), 5)
    ccol = colorize(shade, (150, 158, 172), (252, 251, 248))
    sky = img.crop((0, 0, W, horizon))
    sky = lerp_img(sky, ccol, cmask)
    img.paste(sky, (0, 0))

    d = ImageDraw.Draw(img)
    # Far hills (atmospheric perspective: the farther, the paler and bluer).
    far = ridge_line(W, seed + 3, horizon - 0.085 * H, 0.05 * H, [600 * S, 240 * S, 90 * S, 30 * S])
    fill_profile(d, far, horizon + 2, (150, 166, 180))
    # A distant skyline (天元区 high-rises) in the haze.
    x = int(0.04 * W)
    while x < 0.52 * W:
        bw = int(rnd.uniform(40, 95) * S)
        bh = rnd.uniform(0.035, 0.10) * H * (1.2 if 0.15 * W < x < 0.35 * W else 0.75)
        tone_v = rnd.uniform(-6, 6)
        col = tuple(clamp8(c + tone_v) for c in (172, 183, 194))
        d.rectangle((x, horizon - 0.035 * H - bh, x + bw, horizon), fill=col)
        if rnd.random() < 0.5:  # a setback crown or a rooftop mast
            d.rectangle((x + bw * 0.25, horizon - 0.035 * H - bh - 14 * S, x + bw * 0.75, horizon), fill=col)
        if rnd.random() < 0.3:
            d.line((x + bw * 0.5, horizon - 0.035 * H - bh - 14 * S, x + bw * 0.5, horizon - 0.035 * H - bh - 40 * S),
                   fill=col, width=max(int(3 * S), 1))
        # faint rows of windows
        for yy in range(int(horizon - 0.035 * H - bh + 8 * S), int(horizon - 0.03 * H), max(int(9 * S), 2)):
            d.line((x + 4 * S, yy, x + bw - 4 * S, yy), fill=tuple(clamp8(c - 5) for c in col), width=max(int(2 * S), 1))
        x += bw + int(rnd.uniform(10, 90) * S)
    near_hill = ridge_line(W, seed + 4, horizon - 0.035 * H, 0.03 * H, [420 * S, 160 * S, 60 * S, 20 * S])
    near_hill = [y + 0.02 * H * max(0.0, 1 - i / (0.5 * W)) for i, y in enumerate(near_hill)]
    fill_profile(d, near_hill, horizon + 2, (112, 132, 140))

    # Far-shore trees: a continuous band of small crowns, slightly soft and hazy.
    blobs = []
    x = -20.0
    while x < W + 20:
        r = rnd.uniform(12, 30) * S * (1.7 if rnd.random() < 0.12 else 1.0)
        blobs.append((x, horizon - rnd.uniform(0.3, 1.1) * r, r))
        x += r * rnd.uniform(0.6, 1.2)
    tcol, tmask = paint_canopies((W, H), blobs, seed + 5, (44, 64, 52), (88, 108, 84), (132, 146, 112), S * 0.7)
    ImageDraw.Draw(tmask).rectangle((0, horizon - 0.01 * H, W, horizon + 1), fill=255)
    tcol = Image.blend(tcol, Image.new("RGB", (W, H), (150, 164, 172)), 0.22)  # haze
    img = lerp_img(img, tcol, tmask)

    # Pavilion (亭) on a stone platform by the water, reached by a zigzag bridge.
    d = ImageDraw.Draw(img)
    px, base = 0.70 * W, horizon + 0.004 * H
    pw = 250 * S  # width of the column bay
    # columns (red lacquer) and a railing
    col_top = base - 150 * S
    for k, cx in enumerate((px - pw / 2, px - pw / 6, px + pw / 6, px + pw / 2)):
        shade_k = 0.8 if k in (1, 2) else 1.0
        d.rectangle((cx - 8 * S, col_top, cx + 8 * S, base - 6 * S), fill=scale_rgb((150, 40, 32), shade_k))
        d.line((cx + 4 * S, col_top, cx + 4 * S, base - 6 * S), fill=scale_rgb((186, 66, 50), shade_k), width=max(int(3 * S), 1))
    d.rectangle((px - pw / 2, base - 52 * S, px + pw / 2, base - 46 * S), fill=(120, 36, 30))
    for k in range(13):
        xx = px - pw / 2 + k * pw / 12
        d.line((xx, base - 48 * S, xx, base - 8 * S), fill=(120, 36, 30), width=max(int(3 * S), 1))
    # dark interior shadow under the roof
    d.rectangle((px - pw / 2 + 8 * S, col_top, px + pw / 2 - 8 * S, col_top + 30 * S), fill=(58, 36, 32))
    # lintel with a painted band
    d.rectangle((px - pw / 2 - 12 * S, col_top - 16 * S, px + pw / 2 + 12 * S, col_top + 2 * S), fill=(44, 78, 84))
    d.rectangle((px - pw / 2 - 12 * S, col_top - 16 * S, px + pw / 2 + 12 * S, col_top - 11 * S), fill=(170, 130, 60))

    def roof(y_eave: float, half: float, height: float, lift: float, fill: RGB, under: RGB) -> None:
        """A curved hip roof with up-swept eaves: concave flanks sampled from a quadratic curve."""
        apex = (px, y_eave - height)
        left = (px - half, y_eave - lift)
        right = (px + half, y_eave - lift)
        pts = []
        for k in range(21):  # left flank, concave
            t = k / 20
            cx, cy = px - half * 0.35, y_eave - height * 0.15
            pts.append(((1 - t) ** 2 * left[0] + 2 * (1 - t) * t * cx + t * t * apex[0],
                        (1 - t) ** 2 * left[1] + 2 * (1 - t) * t * cy + t * t * apex[1]))
        for k in range(1, 21):
            t = k / 20
            cx, cy = px + half * 0.35, y_eave - height * 0.15
            pts.append(((1 - t) ** 2 * apex[0] + 2 * (1 - t) * t * cx + t * t * right[0],
                        (1 - t) ** 2 * apex[1] + 2 * (1 - t) * t * cy + t * t * right[1]))
        # eave line sagging between the swept-up corners
        for k in range(1, 20):
            t = k / 20
            pts.append((right[0] + (left[0] - right[0]) * t, y_eave - lift + lift * 1.0 * math.sin(math.pi * t) ** 0.5))
        d.polygon(pts, fill=fill)
        # underside (soffit) strip and tile ridges catching light
        d.line([(left[0] + 6 * S, y_eave - lift + 4 * S), (px, y_eave + 2 * S), (right[0] - 6 * S, y_eave - lift + 4 * S)],
               fill=under, width=max(int(7 * S), 1))
        for k in range(-7, 8):
            x_t = px + k * half / 8.5
            d.line((x_t, y_eave - 4 * S, px + (x_t - px) * 0.12, apex[1] + height * 0.12),
                   fill=scale_rgb(fill, 1.22), width=max(int(2 * S), 1))

    roof(col_top - 12 * S, pw * 0.95, 95 * S, 26 * S, (66, 70, 76), (34, 36, 40))
    roof(col_top - 88 * S, pw * 0.55, 78 * S, 18 * S, (70, 74, 80), (36, 38, 42))
    d.line((px, col_top - 170 * S, px, col_top - 196 * S), fill=(60, 60, 62), width=max(int(6 * S), 1))
    d.ellipse((px - 7 * S, col_top - 204 * S, px + 7 * S, col_top - 190 * S), fill=(150, 120, 60))

    # Nearer clumps of trees right and left of the pavilion (bigger, darker, more saturated).
    blobs = []
    for cx0, cx1, height in ((0.80 * W, 1.03 * W, 0.21 * H), (-0.03 * W, 0.15 * W, 0.16 * H)):
        for _ in range(70):
            x = rnd.uniform(cx0, cx1)
            r = rnd.uniform(26, 62) * S
            edge = min(x - cx0, cx1 - x) / (cx1 - cx0)
            top = horizon - height * (0.25 + 1.6 * edge) * rnd.uniform(0.7, 1.0)
            blobs.append((x, rnd.uniform(top, horizon - r * 0.4), r))
    ccol, cmask2 = paint_canopies((W, H), blobs, seed + 6, (22, 40, 28), (62, 92, 50), (128, 150, 84), S)
    img = lerp_img(img, ccol, cmask2)
    # trunks under the clumps
    d = ImageDraw.Draw(img)
    for _ in range(16):
        x = rnd.choice((rnd.uniform(0.82 * W, 0.99 * W), rnd.uniform(0.0, 0.12 * W)))
        d.line((x, horizon - 0.03 * H, x + rnd.uniform(-4, 4) * S, horizon + 2 * S), fill=(44, 40, 36), width=max(int(5 * S), 1))

    # Water: the scene above the shoreline, mirrored, darkened, tinted and broken by ripples.
    wh = H - horizon
    src = img.crop((0, max(horizon - wh, 0), W, horizon)).transpose(Image.Transpose.FLIP_TOP_BOTTOM)
    if src.height < wh:
        src = src.resize((W, wh))
    src = src.filter(ImageFilter.GaussianBlur((0.5 * S, 3 * S)))
    # per-row horizontal displacement (waves grow toward the viewer)
    wave = ridge_line(wh, seed + 7, 0.0, 1.0, [23 * S, 9 * S, 4 * S])
    refl = Image.new("RGB", (W, wh))
    for y in range(wh):
        depth = (y + 6 * S) / wh
        dx = int(wave[y] * (2 + 34 * depth) * S)
        row = src.crop((0, y, W, y + 1))
        refl.paste(row, (dx, y))
        if dx > 0:
            refl.paste(row.crop((0, 0, dx, 1)), (0, y))
        elif dx < 0:
            refl.paste(row.crop((W + dx, 0, W, 1)), (W + dx, y))
    water_col = vgradient((W, wh), [(0, (150, 164, 170)), (0.35, (86, 108, 116)), (1, (40, 62, 70))])
    depth_mask = vgradient((W, wh), [(0, (60,) * 3), (1, (150,) * 3)]).convert("L")
    refl = ImageChops.multiply(refl, Image.new("RGB", (W, wh), (218, 222, 224)))
    water = lerp_img(refl, water_col, depth_mask)
    # ripples: horizontal streaks, compressed toward the horizon (perspective)
    tex_h = int(wh * 2.2)
    streak = fbm((W, tex_h), seed + 8, (150 * S, 6 * S), 4, 0.6)
    rip = Image.new("L", (W, wh))
    for y in range(wh):
        z = ((y + 10 * S) / wh) ** 0.55  # perspective: near rows show wider texture rows
        ty = min(int(z * (tex_h - 1)), tex_h - 1)
        rip.paste(streak.crop((0, ty, W, ty + 1)), (0, y))
    ramp = vgradient((W, wh), [(0, (70,) * 3), (0.3, (150,) * 3), (1, (255,) * 3)]).convert("L")
    hi = ImageChops.multiply(curve(rip, lambda v: smoothstep(0.68, 0.97, v) * 0.5), ramp)
    lo = ImageChops.invert(ImageChops.multiply(curve(rip, lambda v: smoothstep(0.55, 0.0, v) * 0.32), ramp))
    water = ImageChops.multiply(water, Image.merge("RGB", (lo, lo, lo)))
    water = lerp_img(water, Image.new("RGB", (W, wh), (206, 214, 220)), hi)
    img.paste(water, (0, horizon))
    d = ImageDraw.Draw(img)
    # shoreline: a thin bright edge and a darker band of rocks at the water line
    d.line((0, horizon, W, horizon), fill=(70, 84, 78), width=max(int(3 * S), 1))
    # the pavilion's stone platform and its zigzag bridge stand in the water, in front
    # bridge (九曲桥): pale stone deck with rail posts, zigzagging to the left shore
    deck = [(0.40 * W, horizon + 0.003 * H), (0.50 * W, horizon + 0.020 * H), (0.56 * W, horizon + 0.010 * H),
            (px - pw * 0.6, base + 0.002 * H)]
    for (x0, y0), (x1, y1) in zip(deck, deck[1:]):
        d.polygon([(x0, y0 - 5 * S), (x1, y1 - 5 * S), (x1, y1 + 7 * S), (x0, y0 + 7 * S)], fill=(196, 192, 182))
        d.line((x0, y0 + 7 * S, x1, y1 + 7 * S), fill=(120, 118, 112), width=max(int(3 * S), 1))
        n = int(abs(x1 - x0) / (18 * S)) + 1
        for k in range(n + 1):
            t = k / n
            xx, yy = x0 + (x1 - x0) * t, y0 + (y1 - y0) * t
            d.line((xx, yy - 5 * S, xx, yy - 20 * S), fill=(214, 210, 200), width=max(int(3 * S), 1))
        d.line((x0, y0 - 19 * S, x1, y1 - 19 * S), fill=(214, 210, 200), width=max(int(3 * S), 1))
    d.polygon([(px - pw * 0.75, base), (px + pw * 0.75, base), (px + pw * 0.72, base + 18 * S), (px - pw * 0.72, base + 18 * S)],
              fill=(138, 136, 128))
    d.rectangle((px - pw * 0.75, base - 5 * S, px + pw * 0.75, base), fill=(172, 168, 158))
    d.rectangle((px - pw * 0.72, base + 18 * S, px + pw * 0.72, base + 30 * S), fill=(60, 70, 72))

    # A pedal boat on the water, with its own broken reflection.
    bx, by = 0.30 * W, horizon + 0.11 * H
    d.polygon([(bx - 44 * S, by), (bx + 46 * S, by), (bx + 36 * S, by + 14 * S), (bx - 38 * S, by + 14 * S)], fill=(228, 226, 220))
    d.polygon([(bx - 24 * S, by), (bx + 26 * S, by), (bx + 20 * S, by - 26 * S), (bx - 18 * S, by - 26 * S)], fill=(236, 190, 60))
    d.rectangle((bx - 30 * S, by - 32 * S, bx + 30 * S, by - 24 * S), fill=(210, 70, 50))
    d.ellipse((bx - 8 * S, by - 22 * S, bx + 6 * S, by - 8 * S), fill=(40, 36, 38))
    for k in range(6):
        yy = by + 16 * S + k * 5 * S
        d.line((bx - 34 * S + rnd.uniform(-6, 6) * S, yy, bx + 34 * S + rnd.uniform(-6, 6) * S, yy),
               fill=(150 + 10 * (k % 2), 150, 140), width=max(int(2 * S), 1))

    # Foreground: a grassy bank bottom-left and an out-of-focus willow hanging from the top-left.
    fg = Image.new("L", (W, H), 0)
    fd = ImageDraw.Draw(fg)
    bank = ridge_line(int(0.42 * W), seed + 9, 0.90 * H, 0.02 * H, [120 * S, 40 * S, 12 * S])
    bank = [y + (0.18 * H) * (x / (0.42 * W)) ** 2.2 for x, y in enumerate(bank)]
    fd.polygon([(x, y) for x, y in enumerate(bank)] + [(0.42 * W, H), (0, H)], fill=255)
    # grass blades along the bank edge
    for _ in range(900):
        x = rnd.uniform(0, 0.42 * W)
        y0 = bank[min(int(x), len(bank) - 1)] + 6 * S
        L = rnd.uniform(10, 40) * S
        fd.line((x, y0, x + rnd.uniform(-8, 8) * S, y0 - L), fill=255, width=max(int(2 * S), 1))
    grass = textured((W, H), seed + 10, (22, 40, 18), (96, 118, 54), 14 * S)
    img = lerp_img(img, grass, fg.filter(ImageFilter.GaussianBlur(1.2 * S)))

    # Lotus pads floating in the near water, bottom right (slightly out of focus).
    pads = Image.new("RGB", (W, H), (0, 0, 0))
    pmask = Image.new("L", (W, H), 0)
    pd, pm = ImageDraw.Draw(pads), ImageDraw.Draw(pmask)
    for _ in range(150):
        y = rnd.uniform(0.80, 1.02) * H
        t = (y - 0.80 * H) / (0.22 * H)
        x = rnd.uniform(0.58, 1.02) * W + (1 - t) * rnd.uniform(0, 0.2) * W
        r = (22 + 50 * t) * S * rnd.uniform(0.7, 1.2)
        box = (x - r, y - r * 0.38, x + r, y + r * 0.38)
        pm.ellipse(box, fill=255)
        pd.ellipse(box, fill=mix((40, 74, 36), (96, 128, 58), rnd.uniform(0, 1)))
        pd.ellipse((x - r * 0.8, y - r * 0.34, x + r * 0.75, y + r * 0.2), fill=mix((70, 104, 48), (130, 158, 84), rnd.uniform(0, 1)))
        pd.line((x, y, x + r * 0.9, y - r * 0.1), fill=(40, 66, 34), width=max(int(2 * S), 1))  # the notch
    pads = pads.filter(ImageFilter.GaussianBlur(2 * S))
    img = lerp_img(img, pads, pmask.filter(ImageFilter.GaussianBlur(2 * S)))

    willow = Image.new("L", (W, H), 0)
    wd = ImageDraw.Draw(willow)
    wd.line((-10 * S, 0.02 * H, 0.33 * W, -0.02 * H), fill=255, width=int(26 * S))
    for _ in range(70):
        x0 = rnd.uniform(-0.02 * W, 0.34 * W)
        y0 = -0.02 * H + rnd.uniform(0, 0.02) * H
        length = rnd.uniform(0.12, 0.42) * H * (1.0 - 0.55 * x0 / (0.34 * W))
        sway = rnd.uniform(-0.02, 0.035) * W
        pts = []
        for k in range(41):
            t = k / 40
            pts.append((x0 + sway * t * t, y0 + length * t))
        wd.line(pts, fill=255, width=max(int(3 * S), 1))
        for k in range(4, 41, 2):  # leaves: short slanted strokes along the strand
            lx, ly = pts[k]
            side = 1 if k % 4 == 0 else -1
            wd.line((lx, ly, lx + side * 9 * S, ly + 14 * S), fill=255, width=max(int(5 * S), 1))
    willow = willow.filter(ImageFilter.GaussianBlur(5 * S))  # shallow depth of field
    willow = curve(willow, lambda v: min(v * 1.5, 1.0))
    wcol = textured((W, H), seed + 11, (48, 68, 28), (150, 170, 78), 30 * S)
    img = lerp_img(img, wcol, willow)

    # Photographic finish: uneven light, soft optics, warm grade, vignette, grain.
    img = mottle(img, seed + 13, S)
    img = img.filter(ImageFilter.GaussianBlur(0.6 * S))
    img = img.filter(ImageFilter.UnsharpMask(radius=2 * S, percent=60, threshold=2))
    img = tone(img, lift=0.03, gamma=1.02, channel_gain=(1.03, 1.0, 0.96), contrast=0.15)
    img = vignette(img, 0.38)
    return grain(img, seed + 12, 7 * max(S, 0.5), chroma=2.0)


# --------------------------------------------------------------------------------------------
# “厂BA”: night basketball in a factory yard
# --------------------------------------------------------------------------------------------


class Camera:
    """A pinhole camera looking horizontally along +Z; world Y is up, ground at Y=0."""

    def __init__(self, f: float, cx: float, cy: float, height: float, x: float = 0.0):
        self.f, self.cx, self.cy, self.h, self.x = f, cx, cy, height, x

    def __call__(self, X: float, Y: float, Z: float) -> tuple[float, float]:
        return (self.cx + self.f * (X - self.x) / Z, self.cy + self.f * (self.h - Y) / Z)

    def scale(self, Z: float) -> float:
        """Pixels per metre at depth Z."""
        return self.f / Z


def scene_court(W: int, H: int, seed: int = 23) -> Image.Image:
    S = W / 2400.0
    rnd = random.Random(seed)
    cam = Camera(f=1.0 * H, cx=0.5 * W, cy=0.28 * H, height=8.0, x=3.0)
    Z0, CW, CL = 13.0, 15.0, 28.0  # near sideline depth, court width, court length

    # Night sky: deep blue-black, lit from below by the floodlights' haze.
    img = vgradient((W, H), [(0, (6, 9, 20)), (0.25, (16, 22, 40)), (0.42, (40, 40, 52)), (1, (40, 40, 52))])
    d = ImageDraw.Draw(img)
    # Factory buildings behind the stands: dark blocks, a chimney, a gantry crane, lit windows.
    x = 0.0
    while x < W:
        bw = rnd.uniform(140, 420) * S
        top = rnd.uniform(0.16, 0.28) * H
        col = mix((18, 20, 28), (34, 34, 42), rnd.random())
        d.rectangle((x, top, x + bw, 0.45 * H), fill=col)
        if rnd.random() < 0.5:  # saw-tooth factory roof
            n = int(bw / (60 * S)) + 1
            for k in range(n):
                x0 = x + k * bw / n
                d.polygon([(x0, top), (x0 + bw / n, top), (x0 + bw / n, top - 26 * S)], fill=col)
        for _ in range(int(bw / (30 * S))):  # a few lit windows
            wx, wy = rnd.uniform(x + 8 * S, x + bw - 20 * S), rnd.uniform(top + 10 * S, 0.40 * H)
            d.rectangle((wx, wy, wx + 14 * S, wy + 8 * S), fill=mix((120, 100, 60), (200, 180, 120), rnd.random()))
        x += bw + rnd.uniform(-20, 40) * S
    d.rectangle((0.12 * W, 0.06 * H, 0.135 * W, 0.3 * H), fill=(24, 24, 30))  # chimney
    for k in range(5):
        d.line((0.12 * W, 0.08 * H + k * 0.04 * H, 0.135 * W, 0.08 * H + k * 0.04 * H), fill=(90, 30, 30), width=max(int(4 * S), 1))
    d.line((0.55 * W, 0.12 * H, 0.95 * W, 0.12 * H), fill=(30, 32, 40), width=int(14 * S))  # gantry
    for gx in (0.58 * W, 0.92 * W):
        d.line((gx, 0.12 * H, gx, 0.32 * H), fill=(30, 32, 40), width=int(12 * S))

    # Stands behind the far sideline: tiers rising away from the court, packed with people.
    rows = 16
    far_side = Z0 + CW
    for r_i in range(rows, -1, -1):
        Zr = far_side + 2.5 + r_i * 0.85
        Yr = 0.6 + r_i * 0.48
        x0, y0 = cam(-26, Yr, Zr)
        x1, y1 = cam(26, Yr, Zr)
        d.rectangle((x0, y0, x1, cam(0, Yr - 0.48, Zr)[1] + 1), fill=mix((30, 30, 36), (58, 56, 60), 1 - r_i / rows))
    crowd = Image.new("RGB", (W, H), (0, 0, 0))
    cmask = Image.new("L", (W, H), 0)
    cd, cm = ImageDraw.Draw(crowd), ImageDraw.Draw(cmask)
    clothes = [(20, 20, 24), (36, 36, 40), (50, 48, 46), (200, 200, 204), (150, 150, 156), (160, 36, 36),
               (40, 56, 100), (80, 80, 86), (190, 150, 50), (26, 30, 44), (110, 40, 40), (60, 80, 60)]

    def person(X: float, Yfeet: float, Z: float, height: float, shirt: RGB, lit: float, standing: bool) -> None:
        k = cam.scale(Z)
        fx, fy = cam(X, Yfeet, Z)
        body_h = height * (0.62 if standing else 0.42) * k
        sw = 0.24 * k * rnd.uniform(0.9, 1.15)
        head = 0.12 * k
        top = fy - body_h
        shirt_c = scale_rgb(shirt, lit)
        cm.rounded_rectangle((fx - sw, top + head * 1.6, fx + sw, fy), radius=max(sw * 0.6, 1), fill=255)
        cd.rounded_rectangle((fx - sw, top + head * 1.6, fx + sw, fy), radius=max(sw * 0.6, 1), fill=shirt_c)
        skin = scale_rgb(mix((190, 150, 120), (120, 86, 64), rnd.random()), lit)
        hair = scale_rgb((22, 18, 16), lit)
        cm.ellipse((fx - head, top, fx + head, top + head * 2.1), fill=255)
        cd.ellipse((fx - head, top, fx + head, top + head * 2.1), fill=skin)
        cd.chord((fx - head, top - head * 0.1, fx + head, top + head * 1.6), 180, 360, fill=hair)
        if rnd.random() < 0.12:  # arms up / waving
            cd.line((fx + sw * 0.7, top + head * 2, fx + sw * 1.3, top - head * 1.2), fill=skin, width=max(int(0.07 * k), 1))
            cm.line((fx + sw * 0.7, top + head * 2, fx + sw * 1.3, top - head * 1.2), fill=255, width=max(int(0.07 * k), 1))

    for r_i in range(rows, -1, -1):
        Zr = far_side + 2.5 + r_i * 0.85
        Yr = 0.6 + r_i * 0.48
        lit = 0.8 - 0.035 * r_i
        X = -26 + rnd.uniform(0, 0.3)
        while X < 26:
            if rnd.random() > 0.05:
                person(X + rnd.uniform(-0.1, 0.1), Yr, Zr + rnd.uniform(-0.1, 0.1), rnd.uniform(1.55, 1.8),
                       rnd.choice(clothes), lit * rnd.uniform(0.75, 1.05), rnd.random() < 0.45)
            X += rnd.uniform(0.42, 0.6)
    # people standing along the far sideline and the baseline, in front of the stands
    for _ in range(90):
        X = rnd.uniform(-24, 24)
        if abs(X - 3) < 1.2:
            continue
        person(X, 0.0, far_side + rnd.uniform(1.2, 2.4), rnd.uniform(1.6, 1.8), rnd.choice(clothes), 1.0, True)
    crowd = crowd.filter(ImageFilter.GaussianBlur(1.3 * S))
    crowd = ImageChops.multiply(crowd, Image.merge("RGB", [curve(fbm((W, H), seed + 9, (300 * S, 120 * S), 3), lambda v: 0.55 + 0.6 * v)] * 3))
    img = lerp_img(img, crowd, cmask.filter(ImageFilter.GaussianBlur(0.7 * S)))
    d = ImageDraw.Draw(img)
    # phone screens and camera flashes in the crowd
    for _ in range(70):
        X, r_i = rnd.uniform(-24, 24), rnd.randint(0, rows)
        px_, py_ = cam(X, 0.6 + r_i * 0.48 + 1.1, far_side + 2.5 + r_i * 0.85)
        add_light(img, (px_, py_), (9 * S, 9 * S), (255, 250, 240), gauss_falloff(0.35))

    # The court: green apron, blue playing area, red keys, white lines; glossy acrylic surface.
    def quad(xs: tuple[float, float], zs: tuple[float, float]) -> list[tuple[float, float]]:
        return [cam(xs[0], 0, zs[0]), cam(xs[1], 0, zs[0]), cam(xs[1], 0, zs[1]), cam(xs[0], 0, zs[1])]

    d.polygon(quad((-40, 40), (6, far_side + 2.4)), fill=(36, 74, 62))
    d.polygon(quad((-CL / 2, CL / 2), (Z0, far_side)), fill=(40, 78, 124))
    mid = Z0 + CW / 2
    for end in (-1, 1):
        xb = end * CL / 2
        d.polygon(quad(tuple(sorted((xb, xb - end * 5.8))), (mid - 2.45, mid + 2.45)), fill=(140, 48, 46))
    # ad boards along the far sideline (LED banners glowing red and yellow)
    for k in range(10):
        X0 = -24 + k * 4.8
        p0, p1 = cam(X0, 1.0, far_side + 1.0), cam(X0 + 4.6, 0.0, far_side + 1.0)
        colr = [(176, 32, 30), (200, 150, 34), (176, 32, 30), (34, 80, 166)][k % 4]
        d.rectangle((p0[0], p0[1], p1[0], p1[1]), fill=colr)
        bw_, bh_ = p1[0] - p0[0], p1[1] - p0[1]
        for j in range(8):  # a line of characters: small glyph-like strokes, not blocks
            cx0 = p0[0] + bw_ * (0.1 + j * 0.1)
            ink = (236, 228, 204)
            d.line((cx0, p0[1] + bh_ * 0.35, cx0 + bw_ * 0.07, p0[1] + bh_ * 0.35), fill=ink, width=max(int(bh_ * 0.07), 1))
            d.line((cx0 + bw_ * 0.035, p0[1] + bh_ * 0.3, cx0 + bw_ * 0.035, p0[1] + bh_ * 0.72), fill=ink, width=max(int(bh_ * 0.07), 1))
            d.line((cx0, p0[1] + bh_ * 0.55, cx0 + bw_ * 0.07, p0[1] + bh_ * (0.5 + 0.2 * (j % 2))), fill=ink, width=max(int(bh_ * 0.06), 1))
            d.line((cx0 + bw_ * 0.01, p0[1] + bh_ * 0.7, cx0 + bw_ * 0.06, p0[1] + bh_ * 0.7), fill=ink, width=max(int(bh_ * 0.06), 1))

    # lighting on the floor: pools of light under the towers, darker toward the edges
    light = Image.new("RGB", (W, H), (0, 0, 0))
    for X in (-18, 18):
        for Z in (Z0 - 2, far_side + 3):
            cx_, cy_ = cam(X, 0, Z)
            add_light(light, (cx_, cy_), (0.55 * W, 0.2 * H), (60, 58, 52), gauss_falloff(0.8))
    floor_mask = Image.new("L", (W, H), 0)
    ImageDraw.Draw(floor_mask).polygon(quad((-40, 40), (6, far_side + 2.4)), fill=255)
    dim = Image.new("RGB", (W, H), (0, 0, 0))
    for X in (-6, 8):
        cx_, cy_ = cam(X, 0, Z0 + CW / 2)
        add_light(dim, (cx_, cy_), (0.75 * W, 0.42 * H), (255, 255, 255), lambda dd: 0.45 + 0.55 * math.exp(-(dd / 0.7) ** 2) if dd < 1 else 0.45 * max(0.0, 2 - dd))
    lit_floor = ImageChops.add(ImageChops.multiply(img, dim), light)
    img = Image.composite(lit_floor, img, floor_mask)
    d = ImageDraw.Draw(img)

    def gline(pts: list[tuple[float, float]], width_m: float = 0.06, fill: RGB = (236, 236, 232)) -> None:
        """A painted line on the ground, its width foreshortened with depth."""
        for (X0, Zs0), (X1, Zs1) in zip(pts, pts[1:]):
            w = max(cam.scale((Zs0 + Zs1) / 2) * width_m, 1)
            d.line((cam(X0, 0, Zs0), cam(X1, 0, Zs1)), fill=fill, width=int(w + 0.5))

    gline([(-CL / 2, Z0), (CL / 2, Z0), (CL / 2, far_side), (-CL / 2, far_side), (-CL / 2, Z0)])
    gline([(0, Z0), (0, far_side)])
    gline([(1.8 * math.cos(a * math.pi / 32), mid + 1.8 * math.sin(a * math.pi / 32)) for a in range(65)])
    for end in (-1, 1):
        xb = end * CL / 2
        gline([(xb, mid - 2.45), (xb - end * 5.8, mid - 2.45), (xb - end * 5.8, mid + 2.45), (xb, mid + 2.45)])
        gline([(xb - end * 5.8 + 1.8 * math.cos(a * math.pi / 32) * -end, mid + 1.8 * math.sin(a * math.pi / 32))
               for a in range(-16, 17)])
        hoop = xb - end * 1.575
        arc = [(xb, mid - 6.6)] + [(hoop - end * 6.75 * math.cos(a), mid + 6.75 * math.sin(a))
                                     for a in [i * math.pi / 60 - 1.35 for i in range(0, 163)] if abs(math.sin(a)) * 6.75 <= 6.6]
        arc.append((xb, mid + 6.6))
        gline(arc)

    # Floodlight reflections in the glossy floor (vertical smears under the lamps, mirrored).
    towers = [(-19.0, far_side + 13.0), (26.0, far_side + 13.0)]
    refl = Image.new("RGB", (W, H), (0, 0, 0))
    for X, Z in towers:
        tx, ty = cam(X, 19, Z)
        gx, gy = cam(X, 0, Z)
        mx, my = gx, gy + (gy - ty) * 0.35
        add_light(refl, (mx, my), (60 * S, 160 * S), (120, 116, 100), gauss_falloff(0.6))
    refl = refl.filter(ImageFilter.GaussianBlur((4 * S, 16 * S)))
    img = Image.composite(ImageChops.add(img, refl), img, floor_mask)
    d = ImageDraw.Draw(img)

    # Hoop on the right: stanchion, padded arm, glass backboard, orange rim and net.
    xb = CL / 2
    base_p = cam(xb + 1.3, 0, mid)
    arm = cam(xb - 0.9, 3.5, mid)
    d.line((base_p, cam(xb + 1.3, 3.6, mid)), fill=(30, 30, 36), width=int(cam.scale(mid) * 0.2))
    d.line((cam(xb + 1.3, 3.4, mid), arm), fill=(30, 30, 36), width=int(cam.scale(mid) * 0.14))
    d.polygon([cam(xb + 1.0, 0, mid - 1.0), cam(xb + 2.2, 0, mid - 1.0), cam(xb + 2.2, 0, mid + 1.0), cam(xb + 1.0, 0, mid + 1.0)],
              fill=(24, 24, 30))
    bb = [cam(xb - 1.2, 2.9, mid - 0.9), cam(xb - 1.2, 2.9, mid + 0.9), cam(xb - 1.2, 3.95, mid + 0.9), cam(xb - 1.2, 3.95, mid - 0.9)]
    bb_layer = img.copy()
    ImageDraw.Draw(bb_layer).polygon(bb, fill=(200, 210, 220))
    img = Image.blend(img, bb_layer, 0.35)
    d = ImageDraw.Draw(img)
    d.line(bb + [bb[0]], fill=(240, 240, 240), width=max(int(3 * S), 1))
    r0, r1 = cam(xb - 1.2, 3.05, mid - 0.23), cam(xb - 1.2, 3.25, mid + 0.23)
    inner = (cam(xb - 1.2, 3.05, mid)[0] - 0.13 * cam.scale(mid), cam(xb - 1.2, 3.3, mid)[1])
    d.rectangle((inner[0], inner[1], inner[0] + 0.3 * cam.scale(mid), inner[1] + 0.22 * cam.scale(mid)), outline=(240, 240, 240),
                width=max(int(2 * S), 1))
    rim_c = cam(xb - 1.575, 3.05, mid)
    rx, ry = 0.23 * cam.scale(mid), 0.23 * cam.scale(mid) * 0.22
    d.ellipse((rim_c[0] - rx, rim_c[1] - ry, rim_c[0] + rx, rim_c[1] + ry), outline=(230, 90, 30), width=max(int(3 * S), 1))
    for k in range(7):
        t = k / 6
        x_top = rim_c[0] - rx + 2 * rx * t
        d.line((x_top, rim_c[1], rim_c[0] - rx * 0.5 + rx * t, rim_c[1] + 0.4 * cam.scale(mid)), fill=(225, 225, 225), width=1)

    # Players: back-lit figures in two teams' jerseys, each with a fan of shadows (one per tower).
    jerseys = [(200, 30, 36)] * 5 + [(235, 235, 235)] * 5
    spots = [(3.2, 19.0), (5.5, 22.5), (8.8, 17.5), (10.0, 21.0), (11.2, 19.8),
             (4.1, 17.0), (6.8, 20.6), (9.4, 23.0), (12.0, 18.5), (1.0, 21.8)]
    order = sorted(range(10), key=lambda i: -spots[i][1])
    shadows = Image.new("L", (W, H), 0)
    sd = ImageDraw.Draw(shadows)
    for i in order:
        X, Z = spots[i]
        fx, fy = cam(X, 0, Z)
        k = cam.scale(Z)
        for Xl, Zl in [(-19.0, far_side + 13.0), (26.0, far_side + 13.0), (-19.0, Z0 - 12.0), (26.0, Z0 - 12.0)]:
            dx, dz = X - Xl, Z - Zl
            n = math.hypot(dx, dz)
            L = 3.2 if Zl > Z0 else 1.6
            tip = cam(X + dx / n * L, 0, Z + dz / n * L)
            sd.line((fx, fy, tip[0], tip[1]), fill=85 if Zl > Z0 else 55, width=max(int(0.3 * k), 1))
    shadows = shadows.filter(ImageFilter.GaussianBlur(5 * S))
    img = ImageChops.subtract(img, Image.merge("RGB", [curve(shadows, lambda v: v * 0.45)] * 3))
    d = ImageDraw.Draw(img)
    for n_i, i in enumerate(order):
        X, Z = spots[i]
        k = cam.scale(Z)
        fx, fy = cam(X, 0, Z)
        jump = 0.5 * k if i == 4 else 0
        hgt = rnd.uniform(1.85, 2.0) * k
        fy -= jump
        skin = mix((100, 72, 56), (60, 42, 34), rnd.random())
        jc = scale_rgb(jerseys[i], 0.62)
        shorts = scale_rgb(jc, 0.8)
        ph = rnd.uniform(0, 2 * math.pi)
        # legs (running stride)
        hip = (fx, fy - 0.5 * hgt)
        for sgn in (-1, 1):
            kx = fx + sgn * math.sin(ph) * 0.18 * hgt
            d.line((hip, (kx, fy - 0.25 * hgt), (kx + sgn * 0.05 * hgt, fy)), fill=skin, width=int(0.06 * hgt))
            d.ellipse((kx + sgn * 0.05 * hgt - 0.05 * hgt, fy - 0.03 * hgt, kx + sgn * 0.05 * hgt + 0.06 * hgt, fy + 0.01 * hgt),
                      fill=(200, 200, 200))
        d.rectangle((fx - 0.12 * hgt, fy - 0.55 * hgt, fx + 0.12 * hgt, fy - 0.40 * hgt), fill=shorts)
        d.polygon([(fx - 0.15 * hgt, fy - 0.80 * hgt), (fx + 0.15 * hgt, fy - 0.80 * hgt), (fx + 0.11 * hgt, fy - 0.52 * hgt),
                   (fx - 0.11 * hgt, fy - 0.52 * hgt)], fill=jc)
        d.ellipse((fx - 0.16 * hgt, fy - 0.83 * hgt, fx + 0.16 * hgt, fy - 0.74 * hgt), fill=jc)
        d.line((fx - 0.025 * hgt, fy - 0.8 * hgt, fx + 0.025 * hgt, fy - 0.8 * hgt), fill=skin, width=max(int(0.03 * hgt), 1))
        # arms: raised for the jumper and the defender nearest him, else swinging
        for sgn in (-1, 1):
            sh = (fx + sgn * 0.12 * hgt, fy - 0.78 * hgt)
            if i in (4, 8):
                hand = (sh[0] + sgn * 0.05 * hgt, sh[1] - 0.42 * hgt)
            else:
                hand = (sh[0] + sgn * 0.1 * hgt + math.cos(ph) * 0.1 * hgt, sh[1] + 0.33 * hgt)
            d.line((sh, hand), fill=skin, width=int(0.05 * hgt))
        d.ellipse((fx - 0.065 * hgt, fy - 0.95 * hgt, fx + 0.065 * hgt, fy - 0.81 * hgt), fill=skin)
        d.chord((fx - 0.067 * hgt, fy - 0.955 * hgt, fx + 0.067 * hgt, fy - 0.86 * hgt), 180, 360, fill=(20, 16, 14))
        # rim light from the towers behind: a bright edge on one side of the figure
        d.line(((fx + 0.14 * hgt, fy - 0.79 * hgt), (fx + 0.105 * hgt, fy - 0.53 * hgt)), fill=mix(jc, (250, 236, 210), 0.6),
               width=max(int(0.012 * hgt), 1))
    # the ball, in the air above the jumper
    bx, by = cam(11.8, 3.6, 19.6)
    br = 0.12 * cam.scale(19.6)
    d.ellipse((bx - br, by - br, bx + br, by + br), fill=(206, 100, 36))
    d.arc((bx - br, by - br, bx + br, by + br), 200, 340, fill=(60, 30, 20), width=max(int(2 * S), 1))

    # Floodlight towers: lattice masts with banks of lamps, bloom, haze beams and star flares.
    glow = Image.new("RGB", (W, H), (0, 0, 0))
    beams = Image.new("L", (W, H), 0)
    bd = ImageDraw.Draw(beams)
    for X, Z in towers:
        top = cam(X, 19, Z)
        foot = cam(X, 0, Z)
        wmast = 0.5 * cam.scale(Z)
        d.polygon([(top[0] - wmast * 0.4, top[1]), (top[0] + wmast * 0.4, top[1]), (foot[0] + wmast, foot[1]), (foot[0] - wmast, foot[1])],
                  fill=(26, 26, 32))
        pw_, ph_ = 3.6 * cam.scale(Z), 2.0 * cam.scale(Z)
        x0, y0 = top[0] - pw_ / 2, top[1] - ph_
        d.rectangle((x0, y0, x0 + pw_, y0 + ph_), fill=(40, 40, 46))
        for a in range(4):
            for b in range(3):
                lx, ly = x0 + (a + 0.5) * pw_ / 4, y0 + (b + 0.5) * ph_ / 3
                d.ellipse((lx - pw_ / 10, ly - ph_ / 8, lx + pw_ / 10, ly + ph_ / 8), fill=(255, 252, 236))
                add_light(glow, (lx, ly), (pw_ * 0.35, pw_ * 0.35), (255, 240, 200), gauss_falloff(0.45))
        cxl, cyl = top[0], top[1] - ph_ / 2
        add_light(glow, (cxl, cyl), (0.2 * W, 0.2 * W), (150, 130, 90), gauss_falloff(0.5))
        add_light(glow, (cxl, cyl), (0.5 * W, 0.5 * W), (50, 44, 34), gauss_falloff(0.6))
        for ang in (0.0, math.pi / 2, math.pi / 4, -math.pi / 4):  # diffraction spikes
            L = (0.12 if ang in (0.0, math.pi / 2) else 0.06) * W
            ImageDraw.Draw(glow).line((cxl - math.cos(ang) * L, cyl - math.sin(ang) * L, cxl + math.cos(ang) * L, cyl + math.sin(ang) * L),
                                      fill=(110, 104, 90), width=max(int(3 * S), 1))
        # light beams fanning down to the court through the haze
        for tx in (-10, 0, 10):
            p = cam(tx, 0, mid)
            bd.polygon([(cxl - pw_ * 0.4, cyl), (cxl + pw_ * 0.4, cyl), (p[0] + 0.25 * W, p[1]), (p[0] - 0.25 * W, p[1])], fill=18)
    glow = glow.filter(ImageFilter.GaussianBlur(2 * S))
    beams = beams.filter(ImageFilter.GaussianBlur(40 * S))
    img = ImageChops.add(img, glow)
    img = ImageChops.add(img, Image.merge("RGB", (beams, beams, curve(beams, lambda v: v * 0.85))))

    # Heads of spectators in the very front, far out of focus (depth).
    fg = Image.new("L", (W, H), 0)
    fd = ImageDraw.Draw(fg)
    for _ in range(9):
        x = rnd.choice((rnd.uniform(-0.05, 0.25), rnd.uniform(0.78, 1.05))) * W
        r = rnd.uniform(80, 140) * S
        y = H - rnd.uniform(0.0, 0.4) * r
        fd.ellipse((x - r, y - r * 1.15, x + r, y + r * 1.15), fill=255)
        fd.ellipse((x - 2.4 * r, y + 0.8 * r, x + 2.4 * r, y + 4 * r), fill=255)
    fg = fg.filter(ImageFilter.GaussianBlur(22 * S))
    img = lerp_img(img, Image.new("RGB", (W, H), (10, 10, 14)), curve(fg, lambda v: min(v * 1.4, 0.96)))

    img = mottle(img, seed + 5, S, 0.05)
    img = img.filter(ImageFilter.GaussianBlur(0.7 * S))
    img = img.filter(ImageFilter.UnsharpMask(radius=2 * S, percent=50, threshold=2))
    img = tone(img, lift=0.02, gamma=1.05, channel_gain=(1.04, 1.0, 0.94), contrast=0.2)
    img = vignette(img, 0.45)
    return grain(img, seed + 6, 11 * max(S, 0.5), chroma=4.0)


# --------------------------------------------------------------------------------------------
# 动力谷: technology park / industrial valley
# --------------------------------------------------------------------------------------------


def _solve(a: list[list[float]], b: list[float]) -> list[float]:
    """Gaussian elimination with partial pivoting (8x8 systems for perspective warps)."""
    n = len(b)
    m = [row[:] + [b[i]] for i, row in enumerate(a)]
    for c in range(n):
        p = max(range(c, n), key=lambda r: abs(m[r][c]))
        m[c], m[p] = m[p], m[c]
        for r in range(n):
            if r != c:
                f = m[r][c] / m[c][c]
                for k in range(c, n + 1):
                    m[r][k] -= f * m[c][k]
    return [m[i][n] / m[i][i] for i in range(n)]


def warp_onto(canvas: Image.Image, tex: Image.Image, quad: Sequence[tuple[float, float]]) -> Image.Image:
    """Paint texture tex onto canvas inside quad (tex corners TL, TR, BR, BL -> quad), in perspective."""
    tw, th = tex.size
    src = [(0, 0), (tw, 0), (tw, th), (0, th)]
    A, B = [], []
    for (x, y), (u, v) in zip(quad, src):  # output (x, y) -> input (u, v)
        A.append([x, y, 1, 0, 0, 0, -u * x, -u * y]); B.append(u)
        A.append([0, 0, 0, x, y, 1, -v * x, -v * y]); B.append(v)
    coeffs = _solve(A, B)
    xs, ys = [p[0] for p in quad], [p[1] for p in quad]
    x0, y0 = max(int(min(xs)) - 2, 0), max(int(min(ys)) - 2, 0)
    x1, y1 = min(int(max(xs)) + 3, canvas.width), min(int(max(ys)) + 3, canvas.height)
    if x1 <= x0 or y1 <= y0:
        return canvas
    # warp only the bounding box: shift the output coordinates by (x0, y0)
    a, b, c, d_, e, f, g, h = coeffs
    local = (a, b, c + a * x0 + b * y0, d_, e, f + d_ * x0 + e * y0, g, h)
    den = 1 + g * x0 + h * y0
    local = tuple(v / den for v in local[:6]) + (g / den, h / den)
    warped = tex.transform((x1 - x0, y1 - y0), Image.Transform.PERSPECTIVE, local, Image.Resampling.BICUBIC)
    mask = Image.new("L", (x1 - x0, y1 - y0), 0)
    ImageDraw.Draw(mask).polygon([(x - x0, y - y0) for x, y in quad], fill=255)
    canvas.paste(warped, (x0, y0), mask)
    return canvas


def facade(kind: str, size: tuple[int, int], floors: int, bays: int, seed: int, sky_tex: Image.Image | None = None) -> Image.Image:
    """A building face as a flat texture: glass curtain wall, ribbon-window office, or factory hall."""
    w, h = size
    rnd = random.Random(seed)
    fh, bw = h / floors, w / bays
    if kind == "glass":
        img = vgradient(size, [(0, (150, 186, 214)), (0.5, (92, 138, 170)), (1, (52, 88, 110))])
        if sky_tex is not None:  # the sky's clouds mirrored in the glass
            refl = sky_tex.resize(size).transpose(Image.Transpose.FLIP_LEFT_RIGHT).filter(ImageFilter.GaussianBlur(2))
            img = Image.blend(img, ImageChops.multiply(refl, Image.new("RGB", size, (170, 200, 215))), 0.45)
        d = ImageDraw.Draw(img)
        for fl in range(floors):
            for b in range(bays):
                if rnd.random() < 0.35:
                    k = rnd.uniform(0.82, 1.12)
                    box = (b * bw, fl * fh, (b + 1) * bw, (fl + 1) * fh)
                    img.paste(img.crop(tuple(int(v) for v in box)).point(lambda v, k=k: min(255, int(v * k))), (int(box[0]), int(box[1])))
            y = fl * fh
            d.rectangle((0, y + fh * 0.82, w, y + fh), fill=(60, 84, 100))  # spandrel
        for b in range(bays + 1):
            d.line((b * bw, 0, b * bw, h), fill=(196, 204, 210), width=max(int(bw * 0.05), 1))
        for fl in range(floors + 1):
            d.line((0, fl * fh, w, fl * fh), fill=(180, 190, 198), width=max(int(fh * 0.05), 1))
    elif kind == "ribbon":
        img = Image.new("RGB", size, (226, 226, 222))
        d = ImageDraw.Draw(img)
        for fl in range(floors):
            y = fl * fh
            d.rectangle((0, y + fh * 0.3, w, y + fh * 0.85), fill=mix((40, 66, 92), (80, 110, 136), rnd.random()))
            for b in range(bays + 1):
                d.line((b * bw, y + fh * 0.3, b * bw, y + fh * 0.85), fill=(200, 204, 206), width=max(int(bw * 0.06), 1))
            for b in range(bays):
                if rnd.random() < 0.25:  # blinds drawn
                    d.rectangle((b * bw + bw * 0.08, y + fh * 0.3, (b + 1) * bw - bw * 0.08, y + fh * 0.55), fill=(200, 196, 184))
        d.rectangle((0, 0, w, fh * 0.3), fill=(236, 236, 232))
    else:  # factory hall: ribbed metal cladding, a blue band, high windows, roller doors
        img = Image.new("RGB", size, (214, 218, 220))
        d = ImageDraw.Draw(img)
        step = max(w / 160, 2)
        x = 0.0
        while x < w:
            d.line((x, 0, x, h), fill=(192, 198, 202), width=max(int(step * 0.35), 1))
            x += step
        d.rectangle((0, 0, w, h * 0.12), fill=(28, 84, 160))
        d.rectangle((0, h * 0.12, w, h * 0.14), fill=(240, 240, 240))
        for b in range(bays):
            d.rectangle((b * bw + bw * 0.1, h * 0.24, b * bw + bw * 0.9, h * 0.38), fill=(70, 96, 120))
        for b in range(0, bays, 3):
            d.rectangle((b * bw + bw * 0.2, h * 0.6, b * bw + bw * 1.6, h), fill=(150, 156, 160))
            for k in range(12):
                yy = h * 0.6 + k * h * 0.4 / 12
                d.line((b * bw + bw * 0.2, yy, b * bw + bw * 1.6, yy), fill=(128, 134, 140), width=1)
    grime = fbm(size, seed + 7, (max(w / 6, 8), max(h / 10, 8)), 4)
    img = ImageChops.multiply(img, Image.merge("RGB", [curve(grime, lambda v: 0.88 + 0.14 * v)] * 3))
    return img


def scene_valley(W: int, H: int, seed: int = 37) -> Image.Image:
    S = W / 2400.0
    rnd = random.Random(seed)
    cam = Camera(f=0.95 * H, cx=0.42 * W, cy=0.60 * H, height=4.0, x=0.0)
    horizon = int(cam.cy)
    haze = (196, 208, 220)

    def fog(c: Sequence[float], Z: float, k: float = 700.0) -> RGB:
        return mix(c, haze, 1 - math.exp(-Z / k))

    # Sky and clouds.
    img = vgradient((W, H), [(0, (44, 98, 176)), (0.3, (84, 138, 204)), (0.52, (176, 200, 222)), (0.58, haze), (1, haze)])
    add_light(img, (-0.1 * W, 0.05 * H), (0.7 * W, 0.6 * H), (60, 56, 40), gauss_falloff(0.6))
    cl = fbm((W, horizon), seed + 1, (600 * S, 200 * S), 6, 0.55)
    fade = vgradient((1, horizon), [(0, (235,) * 3), (0.7, (255,) * 3), (1.0, (120,) * 3)]).convert("L").resize((W, horizon))
    cmask = curve(ImageChops.multiply(cl, fade), lambda v: smoothstep(0.45, 0.8, v) * 0.95).filter(ImageFilter.GaussianBlur(3 * S))
    ccol = colorize(fbm((W, horizon), seed + 2, (240 * S, 110 * S), 5), (150, 162, 180), (255, 255, 252))
    sky = lerp_img(img.crop((0, 0, W, horizon)), ccol, cmask)
    img.paste(sky, (0, 0))
    sky_tex = sky.copy()
    d = ImageDraw.Draw(img)

    # Distant hills and the far end of the valley.
    hills = ridge_line(W, seed + 3, horizon - 0.05 * H, 0.035 * H, [500 * S, 200 * S, 70 * S, 25 * S])
    fill_profile(d, hills, horizon + 5, (150, 170, 178))

    # Buildings: (kind, x0, x1, z0, z1, height, floors-per-metre, bay width)
    blds = [
        ("glass", -70, 40, 420, 440, 58, 4.2, 3.0),
        ("factory", 16, 60, 150, 260, 20, 20.0, 6.0),
        ("ribbon", -60, -20, 180, 230, 24, 4.0, 3.0),
        ("glass", -46, -20, 70, 110, 78, 4.0, 2.6),
        ("glass", 20, 64, 42, 95, 46, 3.8, 2.4),
        ("ribbon", -52, -17, 26, 58, 17, 4.0, 2.2),
        ("factory", 22, 60, 110, 140, 16, 16.0, 5.0),
    ]
    for kind, x0, x1, z0, z1, hgt, fpm, bay in sorted(blds, key=lambda b: -b[3]):
        floors = max(int(hgt / fpm), 1)
        bays_front = max(int((x1 - x0) / bay), 1)
        bays_side = max(int((z1 - z0) / bay), 1)
        side_x = x1 if x1 < 0 else x0
        faces = []
        if x0 > cam.x or x1 < cam.x:  # the side facing the road is visible
            q = [cam(side_x, hgt, z1), cam(side_x, hgt, z0), cam(side_x, 0, z0), cam(side_x, 0, z1)] if x1 < 0 else \
                [cam(side_x, hgt, z0), cam(side_x, hgt, z1), cam(side_x, 0, z1), cam(side_x, 0, z0)]
            faces.append((q, (max(int(min((z1 - z0) * 18, 2400) * S), 8), max(int(min(hgt * 18, 2400) * S), 8)), bays_side,
                          0.72 if x1 < 0 else 1.05, (z0 + z1) / 2))
        tl, br = cam(x0, hgt, z0), cam(x1, 0, z0)
        faces.append(([tl, (br[0], tl[1]), br, (tl[0], br[1])], (max(int(min((x1 - x0) * 18, 2400) * S), 8), max(int(min(hgt * 18, 2400) * S), 8)),
                      bays_front, 0.9, z0))
        for q, tsize, bays, light, zmid in faces:
            tex = facade(kind, tsize, floors, bays, rnd.randrange(1 << 30), sky_tex)
            tex = tex.point(lambda v, k=light: clamp8(v * k))
            t = 1 - math.exp(-zmid / 700.0)
            tex = Image.blend(tex, Image.new("RGB", tex.size, haze), t)
            img = warp_onto(img, tex, q)
        d = ImageDraw.Draw(img)
        # roof edge / parapet
        d.line((cam(x0, hgt, z0), cam(x1, hgt, z0)), fill=fog((236, 238, 238), z0), width=max(int(cam.scale(z0) * 0.5), 1))
    d = ImageDraw.Draw(img)

    # Ground: lawns either side, pavements, kerbs, the asphalt road with markings.
    def gquad(xa: float, xb: float, za: float, zb: float, fill) -> None:
        d.polygon([cam(xa, 0, za), cam(xb, 0, za), cam(xb, 0, zb), cam(xa, 0, zb)], fill=fill)

    ground = Image.new("RGB", (W, H), (0, 0, 0))
    gmask = Image.new("L", (W, H), 0)
    ImageDraw.Draw(gmask).rectangle((0, horizon + 3, W, H), fill=255)
    d2 = ImageDraw.Draw(ground)
    d2.rectangle((0, 0, W, H), fill=(100, 122, 70))
    for xa, xb, col in ((-200, -14, (96, 120, 68)), (14, 200, (100, 122, 70)), (-14, -10, (178, 172, 160)),
                        (10, 14, (180, 174, 162)), (-10, 10, (78, 80, 84))):
        d2.polygon([cam(xa, 0, 2.0), cam(xb, 0, 2.0), cam(xb, 0, 2000), cam(xa, 0, 2000)], fill=col)
    ground = ImageChops.multiply(ground, Image.merge("RGB", [curve(fbm((W, H), seed + 4, (5 * S, 2 * S), 3), lambda v: 0.8 + 0.3 * v)] * 3))
    patches = fbm((W, H), seed + 5, (260 * S, 60 * S), 5)  # repairs, wear, damp
    ground = ImageChops.multiply(ground, Image.merge("RGB", [curve(patches, lambda v: 0.86 + 0.2 * v)] * 3))
    ground_far = vgradient((W, H), [(0, haze), (horizon / H, haze), (horizon / H + 0.06, (150, 160, 160)), (1, (150, 160, 160))])
    fog_m = vgradient((W, H), [(0, (255,) * 3), (horizon / H + 0.005, (255,) * 3), (horizon / H + 0.08, (40,) * 3), (1, (0,) * 3)]).convert("L")
    ground = lerp_img(ground, ground_far, fog_m)
    # keep buildings standing on the ground: only paint ground below each column's lowest building pixel
    img = Image.composite(ground, img, ImageChops.multiply(gmask, ground_cover(img, horizon, cam, blds)))
    d = ImageDraw.Draw(img)

    def gline(X: float, za: float, zb: float, width_m: float, fill) -> None:
        a, b = cam(X, 0, za), cam(X, 0, zb)
        wa, wb = cam.scale(za) * width_m / 2, cam.scale(zb) * width_m / 2
        d.polygon([(a[0] - wa, a[1]), (a[0] + wa, a[1]), (b[0] + wb, b[1]), (b[0] - wb, b[1])], fill=fill)

    for X in (-10, 10):
        gline(X, 2.0, 1500, 0.25, (200, 198, 190))  # kerbs
    gline(-9.4, 2.0, 1500, 0.15, (214, 214, 210))
    gline(9.4, 2.0, 1500, 0.15, (214, 214, 210))
    gline(-0.12, 18.4, 1500, 0.12, (214, 176, 60))  # double yellow centre line, from the stop line on
    gline(0.12, 18.4, 1500, 0.12, (214, 176, 60))
    for X in (-4.7, 4.7):
        z = 20.0
        while z < 900:
            gline(X, z, z + 6, 0.15, fog((222, 222, 218), z, 500))
            z += 15
    for k in range(-9, 9):  # zebra crossing
        a = k * 1.0 + 0.25
        d.polygon([cam(a, 0, 12.0), cam(a + 0.5, 0, 12.0), cam(a + 0.5, 0, 16.0), cam(a, 0, 16.0)], fill=(220, 220, 214))
    d.polygon([cam(-9.2, 0, 18.0), cam(-0.3, 0, 18.0), cam(-0.3, 0, 18.4), cam(-9.2, 0, 18.4)], fill=(220, 220, 214))  # stop line

    # Cars: going away on the right lanes, coming toward us on the left.
    cars = [(2.6, 40, 1, (200, 200, 204)), (7.0, 70, 1, (30, 34, 40)), (-3.0, 55, -1, (150, 30, 30)),
            (-6.8, 120, -1, (230, 230, 228)), (3.2, 160, 1, (60, 80, 110)), (6.6, 24, 1, (120, 124, 130))]
    for X, Z, dirn, col in sorted(cars, key=lambda c: -c[1]):
        col = fog(col, Z)
        k = cam.scale(Z)
        cx_, cy_ = cam(X, 0, Z)
        w2 = 0.9 * k
        sh = 0.25 * k
        d.ellipse((cx_ - w2 * 1.15, cy_ - sh * 0.6, cx_ + w2 * 1.15, cy_ + sh * 0.5), fill=(40, 42, 44))
        d.rounded_rectangle((cx_ - w2, cy_ - 0.75 * k, cx_ + w2, cy_ - 0.12 * k), radius=max(int(0.12 * k), 1), fill=col)
        d.polygon([(cx_ - w2 * 0.8, cy_ - 0.75 * k), (cx_ + w2 * 0.8, cy_ - 0.75 * k), (cx_ + w2 * 0.62, cy_ - 1.35 * k),
                   (cx_ - w2 * 0.62, cy_ - 1.35 * k)], fill=scale_rgb(col, 0.9))
        d.polygon([(cx_ - w2 * 0.7, cy_ - 0.8 * k), (cx_ + w2 * 0.7, cy_ - 0.8 * k), (cx_ + w2 * 0.56, cy_ - 1.28 * k),
                   (cx_ - w2 * 0.56, cy_ - 1.28 * k)], fill=fog((36, 44, 54), Z))
        lamp = (200, 30, 30) if dirn > 0 else (236, 236, 226)
        for sgn in (-1, 1):
            d.rectangle((cx_ + sgn * w2 * 0.88 - 0.12 * k, cy_ - 0.62 * k, cx_ + sgn * w2 * 0.88 + 0.12 * k, cy_ - 0.5 * k), fill=fog(lamp, Z))
        d.rectangle((cx_ - 0.22 * k, cy_ - 0.42 * k, cx_ + 0.22 * k, cy_ - 0.3 * k), fill=(230, 230, 230))  # plate
        d.rectangle((cx_ - w2 * 0.95, cy_ - 0.2 * k, cx_ + w2 * 0.95, cy_ - 0.05 * k), fill=(22, 22, 24))

    # Street trees (camphor) and lamps along both pavements, far to near.
    blobs_all = []
    lamps = []
    for side in (-1, 1):
        z = 5.0
        while z < 400:
            X = side * 12.2 + rnd.uniform(-0.3, 0.3)
            blobs_all.append((X, z))
            z += rnd.uniform(8.5, 11)
        for z in range(9, 300, 24):
            lamps.append((side * 10.4, float(z)))
    tree_layer = img.copy()
    tmask_all = Image.new("L", (W, H), 0)
    for X, Z in sorted(blobs_all, key=lambda b: -b[1]):
        k = cam.scale(Z)
        bx, by = cam(X, 0, Z)
        d3 = ImageDraw.Draw(tree_layer)
        d3.line((bx, by, bx, by - 3.0 * k), fill=fog((60, 50, 42), Z), width=max(int(0.3 * k), 1))
        ImageDraw.Draw(tmask_all).line((bx, by, bx, by - 3.0 * k), fill=255, width=max(int(0.3 * k), 1))
    img = Image.composite(tree_layer, img, tmask_all)
    # crowns in three depth slices, so the far ones get haze and near ones soft focus
    for zlo, zhi in ((80, 400), (25, 80), (0, 25)):
        blobs = []
        for X, Z in blobs_all:
            if zlo <= Z < zhi:
                k = cam.scale(Z)
                bx, by = cam(X, 0, Z)
                r = 2.6 * k
                cx_, cy_ = bx, by - 5.0 * k
                for _ in range(3):
                    blobs.append((cx_ + rnd.uniform(-0.5, 0.5) * r, cy_ + rnd.uniform(-0.4, 0.3) * r, r * rnd.uniform(0.6, 0.8)))
        if not blobs:
            continue
        zm = (zlo + zhi) / 2
        col, m = paint_canopies((W, H), blobs, seed + zlo, fog((26, 50, 26), zm), fog((64, 96, 44), zm), fog((140, 164, 84), zm),
                                S * (1.6 if zlo == 0 else 1.0), 10)
        img = lerp_img(img, col, m)
    d = ImageDraw.Draw(img)
    for X, Z in sorted(lamps, key=lambda l: -l[1]):
        k = cam.scale(Z)
        b = cam(X, 0, Z)
        t_ = cam(X, 9.0, Z)
        arm = cam(X - math.copysign(1.8, X), 8.8, Z)
        c = fog((70, 74, 80), Z)
        d.line((b, t_), fill=c, width=max(int(0.18 * k), 1))
        d.line((t_, arm), fill=c, width=max(int(0.1 * k), 1))
        d.ellipse((arm[0] - 0.35 * k, arm[1] - 0.08 * k, arm[0] + 0.35 * k, arm[1] + 0.12 * k), fill=fog((200, 200, 196), Z))

    img = mottle(img, seed + 8, S, 0.05)
    img = img.filter(ImageFilter.GaussianBlur(0.6 * S))
    img = img.filter(ImageFilter.UnsharpMask(radius=2 * S, percent=60, threshold=2))
    img = tone(img, lift=0.03, gamma=1.02, channel_gain=(1.03, 1.0, 0.96), contrast=0.15)
    img = Image.blend(img, ImageOps.grayscale(img).convert("RGB"), 0.18)  # less saturated, like a real exposure
    img = vignette(img, 0.32)
    return grain(img, seed + 9, 6 * max(S, 0.5), chroma=2.0)


def ground_cover(img: Image.Image, horizon: int, cam: Camera, blds) -> Image.Image:
    """Mask of where the ground shows: everywhere below the horizon except the buildings' bases
    that stand above the horizon line (their walls reach down to the ground line)."""
    W, H = img.size
    m = Image.new("L", (W, H), 255)
    d = ImageDraw.Draw(m)
    for kind, x0, x1, z0, z1, hgt, *_ in blds:
        pts = [cam(x, 0, z) for x in (x0, x1) for z in (z0, z1)] + [cam(x, hgt, z) for x in (x0, x1) for z in (z0, z1)]
        # the building's silhouette between the horizon and its ground line
        xs = [p[0] for p in pts]
        d.polygon([cam(x0, 0, z0), cam(x1, 0, z0)] + ([cam(x1, 0, z1)] if x1 < 0 else []) + ([cam(x0, 0, z1)] if x0 > 0 else []) +
                  [(max(xs), horizon - 1), (min(xs), horizon - 1)], fill=0)
    return m


# --------------------------------------------------------------------------------------------
# Entry point
# --------------------------------------------------------------------------------------------

SCENES: dict[str, tuple[str, Callable[[int, int], Image.Image], tuple[int, int], str]] = {
    "wanfeng-lake": ("wanfeng-lake.jpg", scene_lake, (2400, 1600), "万丰湖 (stand-in)"),
    "factory-ba": ("factory-ba.jpg", scene_court, (2400, 1600), "“厂BA” (stand-in)"),
    "power-valley": ("power-valley.jpg", scene_valley, (2400, 1800), "动力谷 (stand-in)"),
}


def render(name: str, scale: float = 1.0) -> Image.Image:
    _, fn, (w, h), _ = SCENES[name]
    return fn(max(int(w * scale), 16), max(int(h * scale), 16))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=ROOT / "images", help="output folder (default: images/)")
    ap.add_argument("--scale", type=float, default=1.0, help="render at this fraction of full size")
    ap.add_argument("--only", choices=sorted(SCENES), action="append", help="render only these")
    args = ap.parse_args(argv)
    t_all = time.perf_counter()
    for name in args.only or list(SCENES):
        t0 = time.perf_counter()
        fname, _, _, caption = SCENES[name]
        img = render(name, args.scale)
        n = save_jpeg(img, args.out / fname,
                      f"broadsheet stand-in photograph: {caption}; generated by tools/make_images.py")
        print(f"{args.out / fname}: {img.width}x{img.height}, {n / 1e6:.2f} MB, {time.perf_counter() - t0:.1f} s")
    print(f"total {time.perf_counter() - t_all:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
