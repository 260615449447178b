"""The e-paper's pictures: each page rendered from its PDF at several widths (WebP, and JPEG for
browsers without WebP), a thumbnail for the index, and the stories' photos for the web.

A page is rendered once, at the largest width, with pdfium (``layout.preview.page_picture``)
and scaled down for the others. Photos are read from the files content.yaml names (not from
the press-separated CMYK copies), turned upright by their EXIF orientation, made sRGB and
scaled to at most two widths; a photo used on several pages is written once (its name is its
content's hash). Files are written whole or not at all (a temporary file renamed).
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from msgspec import Struct

#: widths of the page images (pixels), and of the index's thumbnails
PAGE_WIDTHS = (640, 1280, 1920)
THUMB_WIDTH = 320
#: widths of a story's photos (never wider than the original)
PHOTO_WIDTHS = (600, 1200)
WEBP_QUALITY = 80
JPEG_QUALITY = 82


class Rendition(Struct, frozen=True):
    """A picture at one width, in both formats: paths relative to the site's folder."""

    width: int
    height: int
    webp: str
    jpeg: str


def _save(image, path: Path, fmt: str) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    if fmt == "WEBP":
        image.save(tmp, "WEBP", quality=WEBP_QUALITY, method=3)
    else:
        image.save(tmp, "JPEG", quality=JPEG_QUALITY, optimize=True, progressive=True)
    os.replace(tmp, path)


def _renditions(image, stem: str, widths, folder: Path, site: Path) -> list[Rendition]:
    from PIL import Image as PILImage

    out = []
    for w in widths:
        if w >= image.width:
            w, scaled = image.width, image
        else:
            scaled = image.resize((w, max(1, round(image.height * w / image.width))), PILImage.Resampling.LANCZOS)
        webp, jpeg = folder / f"{stem}-{w}.webp", folder / f"{stem}-{w}.jpg"
        _save(scaled, webp, "WEBP")
        _save(scaled, jpeg, "JPEG")
        out.append(Rendition(width=scaled.width, height=scaled.height, webp=webp.relative_to(site).as_posix(),
                             jpeg=jpeg.relative_to(site).as_posix()))
        if w == image.width:
            break
    return out


def page_pictures(pdf: str, stem: str, folder: str, site: str) -> tuple[list[Rendition], Rendition]:
    """Render the one-page ``pdf`` into ``folder`` as ``{stem}-{width}.webp/.jpg``: (the page's
    renditions, its thumbnail). Runs in a worker process of the site's build."""
    from layout.preview import page_picture

    folder_p, site_p = Path(folder), Path(site)
    folder_p.mkdir(parents=True, exist_ok=True)
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(pdf)
    try:
        width_pt = doc[0].get_width()
        image = page_picture(doc, 0, scale=max(PAGE_WIDTHS) / width_pt)
    finally:
        doc.close()
    pages = _renditions(image, stem, PAGE_WIDTHS, folder_p, site_p)
    thumb = _renditions(image, f"{stem}-thumb", (THUMB_WIDTH,), folder_p, site_p)[0]
    return pages, thumb


class Photos:
    """The stories' photos for the web, each file prepared once per site."""

    def __init__(self, site: Path, folder: Path):
        self.site = site
        self.folder = folder
        self.done: dict[str, list[Rendition]] = {}

    def renditions(self, path: str) -> list[Rendition]:
        """The web copies of the picture at ``path`` (empty when it cannot be read: the page's
        own build has said why)."""
        if path in self.done:
            return self.done[path]
        from PIL import Image as PILImage, ImageOps

        try:
            data = Path(path).read_bytes()
            with PILImage.open(path) as im:
                im = ImageOps.exif_transpose(im)
                image = im.convert("RGB")
        except (OSError, ValueError):
            self.done[path] = []
            return []
        self.folder.mkdir(parents=True, exist_ok=True)
        stem = hashlib.sha256(data).hexdigest()[:16]
        self.done[path] = _renditions(image, stem, PHOTO_WIDTHS, self.folder, self.site)
        return self.done[path]
