"""Soft proof: the page on screen as it will look on newsprint.

The press PDF's inks (its composite CMYK, layout.proof.separate) go through the file's own output
profile, the one its OutputIntent embeds (the newsprint profile the set-up builds from CGATS TR
002 coldset data, or the printer's), to sRGB with the **absolute colorimetric** intent: the
profile's media white is kept, so unprinted paper shows as newsprint grey (L* about 80, a warm
grey near sRGB 200/198/191) instead of being mapped to screen white, and its A2B tables carry
the press's tone value increase (a 40 % tint prints like about 65 %), so mid-tones darken and
solid black is the weak black of coldset ink. A file without an OutputIntent is shown through
the set-up's newsprint profile, and says so.

Per article: each article's module and each ad's frame (the frames of the page's records, after
automatic placement where the page asks for it) is cropped out of the same picture, so a desk can
look at one story as it will print.
"""

from __future__ import annotations

from pathlib import Path

from layout.proof.separate import Separation, icc_profile

SRGB_NAME = "sRGB"


def soft_proof(sep: Separation):
    """The page as newsprint shows it: an sRGB PIL image at the separation's resolution, and the
    name of the profile used."""
    from PIL import ImageCms

    data, label = sep.profile, sep.condition or "the PDF's output intent"
    if data is None:
        from layout.finish.profile import output_profile

        prof = output_profile(None)
        data, label = prof.path.read_bytes(), f"{prof.path.name} (the PDF has no output intent)"
    transform = ImageCms.buildTransform(icc_profile(data), ImageCms.createProfile(SRGB_NAME), "CMYK", "RGB",
                                        renderingIntent=ImageCms.Intent.ABSOLUTE_COLORIMETRIC)
    return ImageCms.applyTransform(sep.composite, transform), label


def article_areas(content: Path) -> list[tuple[str, tuple[float, float, float, float]]]:
    """(name, (x, y, w, h) in points from the trim's top-left) of every article's module and every
    ad's frame on the page ``content`` describes, as composed (automatic placement included)."""
    from layout.build import BuildOptions, compose_file, flush_stores
    from layout.cache import usable_root
    from layout.model.source import load_file
    from layout.records import RecordStore, store_for
    from layout.text import memo

    cache, _ = usable_root(None)
    memo.use_store(store_for(RecordStore, cache / "compose"))
    try:
        c = compose_file(load_file(content), BuildOptions(write=False), cache)
    finally:
        flush_stores()
    grid, doc = c.v.grid, c.v.doc
    out = []
    for art in doc.articles:
        if art.frame is not None:
            f = art.frame
            out.append((f"article-{art.id}", grid.rect(f.column, f.columns, f.line, f.lines)))
    for ad in doc.ads:
        f = ad.frame
        out.append((f"ad-{ad.id}", grid.rect(f.column, f.columns, f.line, f.lines)))
    return out


def crop(image, dpi: float, area: tuple[float, float, float, float], pad: float = 6.0):
    """The part of a trim-cropped picture at ``dpi`` under ``area`` (points), with ``pad`` points
    of margin."""
    s = dpi / 72
    x, y, w, h = area
    box = (max(0, round((x - pad) * s)), max(0, round((y - pad) * s)),
           min(image.width, round((x + w + pad) * s)), min(image.height, round((y + h + pad) * s)))
    return image.crop(box)


def paper_colour(image) -> tuple[int, int, int]:
    """The most common colour of a soft proof: its paper."""
    colours = image.getcolors(image.width * image.height)
    return max(colours)[1] if colours else (0, 0, 0)
