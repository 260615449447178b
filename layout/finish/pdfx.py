"""The rules of PDF/X-4 and PDF/X-1a:2003, checked on any PDF with pikepdf.

A press build writes its PDF/X identity in the same pass as its pages (``layout.finish.press``,
``layout.render.pdfx``); these checks read a file back as a RIP would and list every reason it
could not be tagged as the variant it claims: boxes, embedded fonts, colour spaces, transparency,
compression, transfer functions, annotations in the bleed, the output profile's version. They
serve ``build --verify`` (``layout.finish.stage.verify``) and ``broadsheet preflight``.
"""

from __future__ import annotations

from collections.abc import Sequence

import pikepdf

from layout.finish.pdfwalk import Walk, box, box_problems, page_boxes, walk
from layout.finish.press import Variant
from layout.finish.profile import ProfileInfo, icc_header

Box = Sequence[float]

# families allowed in PDF/X-1a (Separation/DeviceN/Indexed checked through their base)
_X1A_OK = {"DeviceCMYK", "DeviceGray", "Separation", "DeviceN", "Indexed", "Pattern"}
_X1A_BASE_OK = {"DeviceCMYK", "DeviceGray", ""}


def _annotation_problems(pdf: pikepdf.Pdf) -> list[str]:
    """PDF/X: no annotation may sit inside the BleedBox (PrinterMark and TrapNet excepted)."""
    out = []
    for i, page in enumerate(pdf.pages, start=1):
        bleed = box(page.obj.get("/BleedBox")) or box(page.obj.get("/TrimBox"))
        for annot in page.obj.get("/Annots", []) or []:
            sub = str(annot.get("/Subtype", "/?"))
            if sub in ("/PrinterMark", "/TrapNet") or bleed is None or "/Rect" not in annot:
                continue
            r = box(annot.Rect)
            if r[0] < bleed[2] and r[2] > bleed[0] and r[1] < bleed[3] and r[3] > bleed[1]:
                out.append(f"page {i}: {sub[1:]} annotation inside the BleedBox")
    return out


def check_pdfx(pdf: pikepdf.Pdf, variant: Variant, profile: ProfileInfo | None = None,
               w: Walk | None = None) -> list[str]:
    """Every reason ``pdf`` cannot be tagged as ``variant`` (empty list: it can). ``w`` is a
    walk of ``pdf`` already made (preflight shares its own)."""
    problems: list[str] = []
    if pdf.is_encrypted:
        problems.append("the file is encrypted")
    for i, page in enumerate(pdf.pages, start=1):
        problems += box_problems(page_boxes(page.obj), i)
    if w is None:
        w = walk(pdf)
    problems += w.problems
    for f in w.fonts.values():
        if not f.embedded:
            problems.append(f"font {f.name} ({f.subtype}) is not embedded (page(s) "
                            f"{_pages(f.pages)})")
    problems += variant_problems(pdf, variant, w, profile)
    return problems


def variant_problems(pdf: pikepdf.Pdf, variant: Variant, w: Walk,
                     profile: ProfileInfo | None = None) -> list[str]:
    """The rules that depend on the PDF/X flavour (colour, transparency, compression), plus the
    ones no other check covers (transfer functions, annotations in the bleed)."""
    problems = list(w.transfer) + _annotation_problems(pdf)
    if variant == "X-1a":
        problems += [f"transparency: {t}" for t in w.transparency]
        for label, cs in w.painted_cs.items():
            if cs.family not in _X1A_OK or cs.base not in _X1A_BASE_OK:
                problems.append(f"colour space {label} (page(s) {_pages(w.painted[label])}) is "
                                "not allowed in PDF/X-1a (DeviceCMYK, DeviceGray, Separation only)")
        for im in w.images:
            cs = im.colorspace
            if cs.family not in _X1A_OK or cs.base not in _X1A_BASE_OK:
                problems.append(f"image {im.name} on page {im.page} is {cs.label}: not allowed in PDF/X-1a")
        for flt in ("LZWDecode", "JPXDecode"):  # LZW is banned by X-1a, JPX needs PDF 1.5
            if flt in w.filters:
                problems.append(f"{flt} compression (page(s) {_pages(w.filters[flt])}) is not "
                                "allowed in PDF/X-1a")
        if profile is not None:
            major = icc_header(profile.data())["version"][0]
            if major > 2:
                problems.append(f"output profile is ICC v{major}: PDF/X-1a:2003 (PDF 1.4) needs v2")
    else:
        for label, cs in w.painted_cs.items():
            if cs.family == "DeviceRGB":
                problems.append(f"DeviceRGB colour (page(s) {_pages(w.painted[label])}) without "
                                "a DefaultRGB: not allowed in PDF/X-4")
        for im in w.images:
            if im.colorspace.family == "DeviceRGB":
                problems.append(f"image {im.name} on page {im.page} is DeviceRGB: not allowed in PDF/X-4")
    return problems


def _pages(pages) -> str:
    return ",".join(str(p) for p in sorted(pages))
