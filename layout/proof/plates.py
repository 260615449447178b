"""The plates of a press page: one greyscale picture per printing plate, with its ink coverage.

A newspaper page is printed from four plates, C, M, Y and K. Seeing each one shows what the
press will lay down: body text on K alone, photos in four inks, a tint that was meant to be K
but carries cyan. The pictures are Ghostscript's separations (layout.proof.separate) cropped to
the trimmed page, black where the plate carries ink (100 % = black, 0 % = white, as a plate
proof shows it).

Coverage per plate, over the trimmed page, from the separations at twice the picture's
resolution: the share of the page's area the plate inks at all (``inked_area_percent``), its
mean ink over the whole page (``mean_ink_percent``, what an ink-key preset or an inkcov
reading gives) and its heaviest ink (``max_ink_percent``); and the heaviest total of all plates
on one spot (``max_total_ink_percent``, against the 220 % limit of newsprint).
"""

from __future__ import annotations

import json
from pathlib import Path

from layout.proof.separate import SUPERSAMPLE, Separation


def coverage(sep: Separation) -> dict:
    """Per plate: inked area, mean and maximum ink, in percent of the trimmed page."""
    from PIL import ImageChops, ImageStat

    out: dict = {}
    total = None
    for name, im in sep.fine.items():
        ink = ImageChops.invert(im)  # 255 = solid ink
        hist = ink.histogram()
        n = im.width * im.height or 1
        mean = ImageStat.Stat(ink).mean[0] / 255 * 100
        top = max((v for v in range(256) if hist[v]), default=0) / 255 * 100
        out[name] = {"inked_area_percent": round(100 * (n - hist[0]) / n, 2),
                     "mean_ink_percent": round(mean, 2), "max_ink_percent": round(top, 1)}
        if name in ("C", "M", "Y", "K"):
            total = ink.convert("I") if total is None else _add(total, ink.convert("I"))
    top_total = total.getextrema()[1] / 255 * 100 if total is not None else 0.0
    return {"plates": out, "max_total_ink_percent": round(top_total, 1)}


def _add(a, b):
    from PIL import ImageMath

    return ImageMath.lambda_eval(lambda m: m["a"] + m["b"], a=a, b=b)


def page_label(number: str) -> str:
    """``3`` -> ``p03``; a named page (``A1``) as it is."""
    return f"p{int(number):02d}" if number.isdigit() else f"p{number}"


def write_plates(sep: Separation, folder: Path, number: str) -> tuple[list[Path], Path, dict]:
    """Write ``p03-C.png`` ... and ``p03-plates.json`` into ``folder``; return the PNGs, the
    JSON file and the coverage."""
    folder.mkdir(parents=True, exist_ok=True)
    label = page_label(number)
    figures = coverage(sep)
    pngs = []
    for name, im in sep.plates.items():
        path = folder / f"{label}-{name}.png"
        im.save(path)
        pngs.append(path)
        figures["plates"][name]["png"] = path.name
    record = {"pdf": sep.pdf, "page": number, "pdf_page": sep.index + 1, "dpi": sep.dpi,
              "measured_dpi": sep.dpi * SUPERSAMPLE, "area": f"the trimmed page, {sep.trim_mm[0]:g} x {sep.trim_mm[1]:g} mm",
              **figures}
    js = folder / f"{label}-plates.json"
    js.write_text(json.dumps(record, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return pngs, js, record
