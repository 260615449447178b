"""The separations of a press page: what the platesetter will image, as pictures.

Ghostscript's ``tiffsep`` device renders a page as a CMYK device does (overprint included, the
registration colour of the marks on every plate) and writes the composite CMYK picture and one
greyscale picture per plate (0 = solid ink, 255 = no ink), spot plates included. DeviceCMYK is
passed through unconverted, so the pictures hold the file's own ink values. The page is
rendered at twice the asked resolution and reduced (a box filter), so text edges are smooth
without anti-aliasing in the separation device, and cropped to the TrimBox: the page as the
reader gets it.

Both the soft proof (layout.proof.softproof) and the plates (layout.proof.plates) start here, from
the press PDF's own output profile (its GTS_PDFX OutputIntent) when it has one.
"""

from __future__ import annotations

import glob
import io
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pikepdf
from msgspec import Struct, field

from layout.errors import Diagnostic, InputError, SetupError
from layout.finish.pdfwalk import page_boxes

SUPERSAMPLE = 2
PROCESS_NAMES = {"Cyan": "C", "Magenta": "M", "Yellow": "Y", "Black": "K"}


class Separation(Struct):
    """One page separated: pictures cropped to the trim, at ``dpi``."""

    pdf: str
    index: int
    dpi: float
    composite: object  # PIL Image, mode CMYK, at dpi
    plates: dict = field(default_factory=dict)  # plate (C, M, Y, K, spot name) -> PIL Image "L" at dpi (255 = no ink)
    fine: dict = field(default_factory=dict)  # the same at dpi x SUPERSAMPLE (for coverage figures)
    trim_mm: tuple[float, float] = (0.0, 0.0)
    origin: tuple[float, float] = (0.0, 0.0)  # the trim's top-left in PDF points (x, y of the top edge)
    profile: bytes | None = None  # the OutputIntent's profile, if any
    condition: str = ""  # its OutputConditionIdentifier


def output_intent(pdf: pikepdf.Pdf) -> tuple[bytes | None, str]:
    """The GTS_PDFX output profile of ``pdf`` and its condition, or (None, "")."""
    for oi in pdf.Root.get("/OutputIntents", []) or []:
        if oi.get("/S") == pikepdf.Name.GTS_PDFX and "/DestOutputProfile" in oi:
            return oi.DestOutputProfile.read_bytes(), str(oi.get("/OutputConditionIdentifier", ""))
    return None, ""


def separate(path: str | Path, index: int = 0, dpi: float = 50) -> Separation:
    """Separate page ``index`` (from 0) of the PDF at ``path`` (see the module doc)."""
    from PIL import Image

    gs = shutil.which("gs")
    if not gs:
        raise SetupError("Ghostscript (gs) is missing: separations need it", hint="run `make setup`")
    path = Path(path)
    try:
        pdf = pikepdf.open(path)
    except (pikepdf.PdfError, pikepdf.PasswordError, OSError) as exc:
        raise InputError([Diagnostic(f"not a readable PDF ({exc})", str(path), code="not-pdf")]) from None
    with pdf:
        if not 0 <= index < len(pdf.pages):
            raise InputError([Diagnostic(f"page {index + 1} out of range (the PDF has {len(pdf.pages)})", str(path),
                                         code="page-range")])
        boxes = page_boxes(pdf.pages[index].obj)
        media = boxes["MediaBox"] or (0.0, 0.0, 612.0, 792.0)
        trim = boxes["TrimBox"] or boxes["CropBox"] or media
        profile, condition = output_intent(pdf)
    res = dpi * SUPERSAMPLE
    with tempfile.TemporaryDirectory(prefix="broadsheet-sep-") as tmp:
        proc = subprocess.run([gs, "-q", "-dNOPAUSE", "-dBATCH", "-dSAFER", f"-r{res:g}", "-sDEVICE=tiffsep",
                               "-dMaxSpots=16", f"-dFirstPage={index + 1}", f"-dLastPage={index + 1}",
                               f"-sOutputFile={tmp}/p.tif", str(path)], capture_output=True, text=True, timeout=600)
        if proc.returncode != 0:
            raise InputError([Diagnostic(f"Ghostscript could not separate the page: {proc.stderr.strip()[:300]}",
                                         str(path), code="separation")])
        s = res / 72
        box = (round((trim[0] - media[0]) * s), round((media[3] - trim[3]) * s),
               round((trim[2] - media[0]) * s), round((media[3] - trim[1]) * s))

        def load(file: str):
            with Image.open(file) as im:
                im.load()
                return im.crop(box)

        composite = load(os.path.join(tmp, "p.tif"))
        fine = {}
        for f in sorted(glob.glob(os.path.join(glob.escape(tmp), "p(*).tif"))):
            name = Path(f).name[2:-5]
            fine[PROCESS_NAMES.get(name, name)] = load(f).convert("L")
    order = {p: i for i, p in enumerate("CMYK")}
    fine = dict(sorted(fine.items(), key=lambda kv: (order.get(kv[0], 9), kv[0])))
    if composite.mode != "CMYK":
        composite = composite.convert("CMYK")
    small = composite.reduce(SUPERSAMPLE)
    plates = {k: v.reduce(SUPERSAMPLE) for k, v in fine.items()}
    mm = 25.4 / 72
    return Separation(str(path), index, dpi, small, plates, fine,
                      (round((trim[2] - trim[0]) * mm, 1), round((trim[3] - trim[1]) * mm, 1)),
                      (trim[0], trim[3]), profile, condition)


def icc_profile(data: bytes):
    """A Pillow ImageCms profile from ICC bytes."""
    from PIL import ImageCms

    return ImageCms.ImageCmsProfile(io.BytesIO(data))
