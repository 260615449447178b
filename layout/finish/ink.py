"""Ink coverage of separated images: the total area coverage (TAC) a press would lay down.

Shared by the photo converter (``layout.finish.color``, which holds photos under the ink limit)
and the output profile (``layout.finish.profile``, which measures a profile's effective limit),
so neither needs the other.
"""

from __future__ import annotations

from layout.lazy import lazy_module

Image = lazy_module("PIL.Image")
ImageMath = lazy_module("PIL.ImageMath")

#: Rows per strip: the arithmetic runs in 32-bit float images, several alive at once, so a
#: whole 6-megapixel photo would take ~150 MB; a strip of 256 rows takes a few MB.
STRIP_ROWS = 256


def strips(img: "Image.Image"):
    """Boxes of horizontal strips of ``img`` (arithmetic on a whole photo would take ~150 MB)."""
    for top in range(0, img.height, STRIP_ROWS):
        yield (0, top, img.width, min(top + STRIP_ROWS, img.height))


def tac_of(img: "Image.Image") -> float:
    """The maximum total area coverage of an image in percent.

    CMYK: the largest C+M+Y+K of any pixel (400 % at most). 'L' (and '1'): as printed through
    DeviceGray, i.e. the largest K = 255 - value. Other modes have no ink and raise ValueError.
    """
    if img.mode == "CMYK":
        hi = 0
        for box in strips(img):
            c, m, y, k = img.crop(box).split()
            total = ImageMath.lambda_eval(
                lambda a: a["int"](a["c"]) + a["m"] + a["y"] + a["k"], c=c, m=m, y=y, k=k
            )
            hi = max(hi, total.getextrema()[1])
        return hi / 255 * 100
    if img.mode in ("L", "1"):
        lo = img.convert("L").getextrema()[0]
        return (255 - lo) / 255 * 100
    raise ValueError(f"tac_of: mode {img.mode!r} is not an ink image (CMYK or L)")
