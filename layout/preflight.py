"""Preflight: check any PDF (ours, or an advertiser's) against what a newspaper press needs.

Why its own module and not part of finishing: the press room receives PDFs from other tools
(ads, supplements) and must judge them the same way, and our own output deserves an independent
second look rather than trusting the code that wrote it. So this reads the file as found, walks
its content streams (:mod:`layout.finish.pdfwalk`), asks Ghostscript to separate it, and
cross-checks fonts with poppler's ``pdffonts`` when installed.

Checks (each pass / warn / fail with a detail):

* file and encryption; structure (``qpdf --check`` when installed);
* page boxes: a TrimBox on every page (fail without), Trim <= Bleed <= Media;
* fonts: every font embedded (fail), subset (warn: a full CJK font is megabytes);
* colour: anything painted or placed in RGB (DeviceRGB, CalRGB, ICC with 3 channels, RGB
  palettes) fails: its separation would be left to the RIP; spot plates other than registration
  warn (a newspaper prints four plates);
* images: colour space and effective resolution at the placed size (warn under ``min_ppi``),
  each named by its file, its article or ad and its place in content.yaml when broadsheet wrote
  the PDF (the image's ``/BSFile``, ``/BSWhere`` and ``/BSAt`` keys), else by its object, and
  always by page and position (mm from the trim's top-left corner);
* small text: text under 8 pt in two or more inks (it blurs with the slightest misregister) and
  reversed small text (filled with no ink, knocked out of the ink beneath: it fills in on
  newsprint) inside the printed area warn, with page, position and the text itself;
* ink: the maximum total area coverage of any pixel inside the BleedBox, from Ghostscript's
  ``tiffsep`` separations at ``dpi`` (fail over ``tac_limit``), and the average per plate from
  Ghostscript's ``inkcov``; marks in the slug are outside the BleedBox and do not count;
* PDF/X: the GTS_PDFX OutputIntent, GTS_PDFXVersion in Info and XMP, Trapped, /ID, and the
  rules of the variant (``variant`` given, or the one the file declares).

``main(argv)`` is the command-line front end (table or ``--json``). Exit statuses: 0 the checks
pass (warnings allowed); 1 the file is missing, not a PDF, or cannot be read (encrypted, broken);
3 the file was read and a check failed.
"""

from __future__ import annotations

import argparse
import glob
import json
import math
import os
import re
import shutil
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path
from typing import Literal

import pikepdf
from pikepdf import Name
from msgspec import Struct, field
from msgspec.structs import asdict

from layout.finish.pdfwalk import Walk, box_problems, page_boxes, walk

Status = Literal["pass", "warn", "fail"]
MM = 25.4 / 72
#: 8-bit separations round each plate to 1/255: allow this much (percent) over the limit
TAC_TOLERANCE = 1.0
#: text under this size (points) in two or more inks, or reversed, is warned of
SMALL_TEXT = 8.0
#: exit statuses of ``main``
EXIT_PASS, EXIT_UNREADABLE, EXIT_FAILED = 0, 1, 3


class Check(Struct, dict=True):
    name: str
    status: Status
    detail: str = ""


class PreflightReport(Struct, dict=True):
    path: str
    checks: list[Check] = field(default_factory=list)
    figures: dict = field(default_factory=dict)
    readable: bool = True  # False: missing, not a PDF, or unreadable (nothing else was checked)

    @property
    def ok(self) -> bool:
        return not any(c.status == "fail" for c in self.checks)

    def add(self, name: str, status: Status, detail: str = "") -> Check:
        c = Check(name, status, detail)
        self.checks.append(c)
        return c

    def check(self, name: str) -> Check | None:
        return next((c for c in self.checks if c.name == name), None)

    @property
    def failures(self) -> list[Check]:
        return [c for c in self.checks if c.status == "fail"]

    def to_dict(self) -> dict:
        return {
            "path": self.path,
            "ok": self.ok,
            "readable": self.readable,
            "checks": [asdict(c) for c in self.checks],
            "figures": self.figures,
        }

    def format_table(self, width: int = 100) -> str:
        f = self.figures
        head = f"Preflight: {self.path}"
        bits = []
        if f.get("pdf_version"):
            bits.append(f"PDF {f['pdf_version']}")
        if f.get("pages") is not None:
            bits.append(f"{f['pages']} page(s)")
        if f.get("variant"):
            bits.append(f"checked as PDF/{f['variant']}")
        if bits:
            head += "  (" + ", ".join(bits) + ")"
        lines = [head, ""]
        name_w = max([len(c.name) for c in self.checks] + [5])
        lines.append(f"{'STATUS':<6}  {'CHECK':<{name_w}}  DETAIL")
        for c in self.checks:
            wrap = textwrap.wrap(c.detail, max(30, width - name_w - 10)) or [""]
            lines.append(f"{c.status.upper():<6}  {c.name:<{name_w}}  {wrap[0]}")
            lines += [f"{'':<6}  {'':<{name_w}}  {w}" for w in wrap[1:]]
        if f.get("boxes"):
            lines += ["", "Pages (mm):"]
            for b in f["boxes"]:
                t = b.get("trim_mm")
                trim = f"trim {t[0]:.1f} x {t[1]:.1f}" if t else "no trim"
                bl = b.get("bleed_mm")
                bleed = ("bleed " + "/".join(f"{v:.1f}" for v in bl)) if bl else "no bleed box"
                m = b["media_mm"]
                lines.append(f"  {b['page']}: media {m[0]:.1f} x {m[1]:.1f}, {trim}, {bleed}")
        if f.get("fonts"):
            lines += ["", "Fonts:"]
            for ft in f["fonts"]:
                lines.append(f"  {ft['name']:<40} {ft['type']:<16} emb {'yes' if ft['embedded'] else 'NO':<3} "
                             f"sub {'yes' if ft['subset'] else 'no'}")
        if f.get("images"):
            lines += ["", "Images:"]
            for im in f["images"]:
                lines.append(f"  p{im['page']} {im['label']}")
                lines.append(f"     {im['colorspace']}  {im['width']}x{im['height']} px  "
                             f"{im['ppi'][0]:.0f}x{im['ppi'][1]:.0f} ppi  {_place(im)}")
        if f.get("max_tac") is not None:
            lines += ["", f"Ink: max total coverage {f['max_tac']:.0f}% (limit {f['tac_limit']:.0f}%)"]
        for ic in f.get("ink_coverage") or []:
            lines.append("  p{page}: C {C:.1f}%  M {M:.1f}%  Y {Y:.1f}%  K {K:.1f}% (page average)".format(**ic))
        if f.get("text_plates"):
            lines.append(f"Text on plates: {' '.join(f['text_plates'])}")
        nf = len(self.failures)
        nw = sum(c.status == "warn" for c in self.checks)
        lines += ["", f"Result: {'OK' if self.ok else 'FAILED'} ({nf} failure(s), {nw} warning(s))"]
        return "\n".join(lines)


# --------------------------------------------------------------------------------------------


def _mm(b) -> list[float]:
    return [round((b[2] - b[0]) * MM, 2), round((b[3] - b[1]) * MM, 2)]


def _pages(pages) -> str:
    pages = sorted(pages)
    return ",".join(map(str, pages[:12])) + (",..." if len(pages) > 12 else "")


def _where_label(where: str) -> str:
    """``main:photo:wanfeng`` -> ``article main, photo wanfeng``; ``ad:fire`` -> ``ad fire``."""
    parts = []
    for one in where.split("; "):
        bits = one.split(":")
        if bits[0] == "ad" and len(bits) > 1:
            parts.append(f"ad {bits[1]}")
        elif len(bits) >= 3:
            parts.append(f"article {bits[0]}, {bits[1]} {':'.join(bits[2:])}")
        elif one:
            parts.append(one)
    return "; ".join(parts)


def image_label(im) -> str:
    """How a report names an image: its file, article or ad and place in content.yaml when the
    PDF says (broadsheet's press files do), else its resource name and object number."""
    if im.file:
        bits = [_where_label(im.where)] if im.where else []
        if im.at:
            bits.append(f"content.yaml {im.at}")
        return im.file + (f" ({'; '.join(bits)})" if bits else "")
    obj = f", object {im.objgen[0]} {im.objgen[1]}" if im.objgen and im.objgen != (0, 0) else ""
    return f"image {im.name}{obj}"


def _place(im: dict) -> str:
    x, y, w, h = im["position_mm"]
    return f"at {x:.1f}, {y:.1f} mm, {w:.1f} x {h:.1f} mm"


def _page_frames(pdf: pikepdf.Pdf) -> list[tuple[tuple, tuple]]:
    """Per page: (origin box, printed area) in points: positions are given from the top-left of
    the origin box (the TrimBox, else the MediaBox); the printed area is the BleedBox, else the
    TrimBox, else the MediaBox (marks in the slug lie outside it)."""
    out = []
    for page in pdf.pages:
        b = page_boxes(page.obj)
        media = b["MediaBox"] or (0.0, 0.0, 612.0, 792.0)
        out.append((b["TrimBox"] or media, b["BleedBox"] or b["TrimBox"] or media))
    return out


def _mm_from_top_left(origin: tuple, x: float, y: float) -> tuple[float, float]:
    return round((x - origin[0]) * MM, 1), round((origin[3] - y) * MM, 1)


def _declared_variant(pdf: pikepdf.Pdf, xmp: dict) -> str | None:
    vals = [str(pdf.docinfo.get("/GTS_PDFXVersion", "")), xmp.get("pdfxid", ""), xmp.get("pdfx", "")]
    for v in vals:
        if v.startswith("PDF/X-4"):
            return "X-4"
        if v.startswith("PDF/X-1"):
            return "X-1a"
    return None


def _xmp_keys(pdf: pikepdf.Pdf) -> dict:
    out = {}
    try:
        meta = pdf.open_metadata()
        out["pdfxid"] = str(meta.get("pdfxid:GTS_PDFXVersion", "") or "")
        out["pdfx"] = str(meta.get("pdfx:GTS_PDFXVersion", "") or "")
        out["trapped"] = str(meta.get("pdf:Trapped", "") or "")
        out["title"] = str(meta.get("dc:title", "") or "")
    except Exception as e:  # noqa: BLE001 - broken XMP is reported, not fatal
        out["error"] = str(e)
    return out


def _run(cmd: list[str], timeout: float = 300) -> subprocess.CompletedProcess | None:
    try:
        return subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return None


def pdffonts(path: str) -> list[dict] | None:
    """poppler's view of the fonts: name, type, emb, sub, object number (None if unavailable)."""
    exe = shutil.which("pdffonts")
    if not exe:
        return None
    proc = _run([exe, path])
    if proc is None or proc.returncode != 0:
        return None
    out = []
    for line in proc.stdout.splitlines()[2:]:
        parts = line.split()
        if len(parts) < 7:
            continue
        try:
            num, gen = int(parts[-2]), int(parts[-1])
        except ValueError:
            continue
        out.append({"name": parts[0], "type": " ".join(parts[1:-6]) if len(parts) > 7 else "",
                    "emb": parts[-5] == "yes", "sub": parts[-4] == "yes", "objgen": (num, gen)})
    return out


def ink_coverage(path: str, dpi: int = 50) -> list[dict] | None:
    """Ghostscript inkcov: average coverage per process plate and page, in percent."""
    gs = shutil.which("gs")
    if not gs:
        return None
    proc = _run([gs, "-q", "-dNOPAUSE", "-dBATCH", "-dSAFER", f"-r{dpi}", "-o", "-",
                 "-sDEVICE=inkcov", path])
    if proc is None or proc.returncode != 0:
        return None
    out = []
    for line in proc.stdout.splitlines():
        m = re.match(r"\s*([\d.]+)\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)\s+CMYK OK", line)
        if m:
            c, mg, y, k = (float(v) * 100 for v in m.groups())
            out.append({"page": len(out) + 1, "C": round(c, 2), "M": round(mg, 2),
                        "Y": round(y, 2), "K": round(k, 2)})
    return out


def max_tac(path: str, regions: list[tuple | None], dpi: int = 50) -> tuple[list[float | None], list[str]] | None:
    """Maximum total ink (percent) per page inside ``regions`` (per page: (x0, y0, x1, y1) in
    pixels from the top-left of the rendered MediaBox, or None for the whole page), from
    Ghostscript's tiffsep separations: each plate is a greyscale TIFF with 0 = full ink; the
    plates are summed per pixel with Pillow's ImageMath. Also returns the plate names seen."""
    gs = shutil.which("gs")
    if not gs:
        return None
    from PIL import Image, ImageMath

    with tempfile.TemporaryDirectory(prefix="broadsheet-sep-") as tmp:
        proc = _run([gs, "-q", "-dNOPAUSE", "-dBATCH", "-dSAFER", f"-r{dpi}", "-sDEVICE=tiffsep",
                     "-dMaxSpots=40", f"-sOutputFile={tmp}/p%d.tif", path])
        if proc is None or proc.returncode != 0:
            return None
        results: list[float | None] = []
        plates: set[str] = set()
        for page_no, region in enumerate(regions, start=1):
            seps = sorted(glob.glob(os.path.join(glob.escape(tmp), f"p{page_no}(*).tif")))
            if not seps:
                results.append(None)
                continue
            total = None
            for sep in seps:
                plates.add(Path(sep).name[len(f"p{page_no}("):-len(").tif")])
                with Image.open(sep) as im:
                    im = im.convert("L")
                    if region is not None:
                        x0, y0, x1, y1 = region
                        x0, y0 = max(0, x0), max(0, y0)
                        x1, y1 = min(im.width, x1), min(im.height, y1)
                        if x1 > x0 and y1 > y0:
                            im = im.crop((x0, y0, x1, y1))
                    ink = ImageMath.lambda_eval(lambda a: 255 - a["int"](a["v"]), v=im)
                    total = ink if total is None else ImageMath.lambda_eval(
                        lambda a: a["t"] + a["i"], t=total, i=ink)
            hi = total.getextrema()[1] if total is not None else 0
            results.append(round(hi / 255 * 100, 1))
        return results, sorted(plates)


# --------------------------------------------------------------------------------------------


def preflight(path, *, tac_limit: float = 240, min_ppi: float = 170, variant: str | None = None,
              dpi: int = 50) -> PreflightReport:
    """Check ``path`` for press (see the module doc). ``variant`` ("X-4"/"X-1a") demands that
    PDF/X conformance; None checks the variant the file declares, if any, and otherwise only
    warns about missing PDF/X identification."""
    path = str(path)
    rep = PreflightReport(path)
    rep.figures["tac_limit"] = float(tac_limit)
    if variant not in (None, "X-4", "X-1a"):
        raise ValueError(f"variant must be None, 'X-4' or 'X-1a', not {variant!r}")
    if not os.path.isfile(path):
        rep.readable = False
        rep.add("file", "fail", "no such file")
        return rep
    try:
        pdf = pikepdf.open(path)
    except pikepdf.PasswordError:
        rep.readable = False
        rep.add("file", "fail", "encrypted with a password: cannot be read")
        rep.add("encryption", "fail", "the file is encrypted")
        return rep
    except (pikepdf.PdfError, OSError, ValueError) as e:
        rep.readable = False
        rep.add("file", "fail", f"not a readable PDF: {e}")
        return rep
    with pdf:
        _preflight_open(pdf, rep, path, tac_limit=tac_limit, min_ppi=min_ppi, variant=variant, dpi=dpi)
    return rep


def _preflight_open(pdf: pikepdf.Pdf, rep: PreflightReport, path: str, *, tac_limit, min_ppi,
                    variant, dpi) -> None:
    fig = rep.figures
    n = len(pdf.pages)
    fig["pdf_version"] = pdf.pdf_version
    fig["pages"] = n
    rep.add("file", "pass" if n else "fail", f"PDF {pdf.pdf_version}, {n} page(s)")
    rep.add("encryption", "fail" if pdf.is_encrypted else "pass",
            "the file is encrypted" if pdf.is_encrypted else "not encrypted")

    qpdf = shutil.which("qpdf")
    if qpdf:
        proc = _run([qpdf, "--check", path])
        if proc is None:
            rep.add("structure", "warn", "qpdf --check did not finish")
        else:
            boiler = ("No syntax or stream encoding errors", "errors that qpdf cannot detect",
                      "checking ", "PDF Version:", "File is not encrypted", "File is not linearized")
            msgs = [ln.strip() for ln in (proc.stdout + proc.stderr).splitlines()
                    if ln.strip() and not any(b in ln for b in boiler)]
            status: Status = {0: "pass", 3: "warn"}.get(proc.returncode, "fail")
            rep.add("structure", status, "qpdf --check: " + ("; ".join(msgs[:5]) if msgs and status != "pass" else "no errors"))

    xmp = _xmp_keys(pdf)
    declared = _declared_variant(pdf, xmp)
    eff = variant or declared
    fig["variant"] = eff
    fig["declared_variant"] = declared

    # -- boxes
    box_fail: list[str] = []
    no_bleed: list[int] = []
    boxes_fig = []
    regions: list[tuple | None] = []
    trims = set()
    for i, page in enumerate(pdf.pages, start=1):
        b = page_boxes(page.obj)
        box_fail += box_problems(b, i, require_bleed=False)
        media, trim, bleed = b["MediaBox"], b["TrimBox"], b["BleedBox"]
        if bleed is None:
            no_bleed.append(i)
        entry = {"page": i, "media_mm": _mm(media) if media else None,
                 "trim_mm": _mm(trim) if trim else None, "bleed_mm": None}
        if trim:
            trims.add(tuple(entry["trim_mm"]))
        if trim and bleed:
            entry["bleed_mm"] = [round((trim[0] - bleed[0]) * MM, 2), round((trim[1] - bleed[1]) * MM, 2),
                                 round((bleed[2] - trim[2]) * MM, 2), round((bleed[3] - trim[3]) * MM, 2)]
        boxes_fig.append(entry)
        # region for ink: BleedBox, else TrimBox, in pixels of the rendered MediaBox
        area = bleed or trim
        rot = int(page.obj.get("/Rotate", 0) or 0) % 360
        if media and area and rot == 0:
            s = dpi / 72
            # pixels wholly inside the area only: a hairline mark just outside the bleed edge
            # must not count
            regions.append((math.ceil((area[0] - media[0]) * s), math.ceil((media[3] - area[3]) * s),
                            math.floor((area[2] - media[0]) * s), math.floor((media[3] - area[1]) * s)))
        else:
            regions.append(None)
    fig["boxes"] = boxes_fig
    if box_fail:
        rep.add("page boxes", "fail", "; ".join(box_fail))
    elif no_bleed:
        rep.add("page boxes", "warn", f"no BleedBox on page(s) {_pages(no_bleed)} (bleed defaults to the CropBox)")
    else:
        rep.add("page boxes", "pass", "TrimBox and BleedBox on every page, nested in the MediaBox")
    if len(trims) > 1:
        rep.add("page size", "warn", f"{len(trims)} different trim sizes: " +
                ", ".join(f"{w:.1f}x{h:.1f} mm" for w, h in sorted(trims)))

    # -- content walk
    w: Walk = walk(pdf, small_text=SMALL_TEXT)
    frames = _page_frames(pdf)
    if w.problems:
        rep.add("content", "warn", "; ".join(w.problems[:5]))

    # -- fonts
    fonts = sorted(w.fonts.values(), key=lambda f: f.name)
    fig["fonts"] = [{"name": f.name, "type": f.subtype, "embedded": f.embedded, "subset": f.subset,
                     "used": f.used, "pages": sorted(f.pages)} for f in fonts]
    unemb = [f"{f.name} ({f.subtype}{'' if f.used else ', unused'})" for f in fonts if not f.embedded]
    poppler = pdffonts(path)
    cross = ""
    if poppler is not None:
        ours = {f.objgen: f for f in fonts}
        for pf in poppler:
            mine = ours.get(pf["objgen"])
            if not pf["emb"] and (mine is None or mine.embedded) and pf["type"] != "Type 3":
                unemb.append(f"{pf['name']} (pdffonts: not embedded)")
        cross = f"; cross-checked with pdffonts ({len(poppler)} font(s))"
    if unemb:
        rep.add("fonts embedded", "fail", "not embedded: " + ", ".join(unemb) + cross)
    else:
        rep.add("fonts embedded", "pass", f"{len(fonts)} font(s), all embedded{cross}")
    full = [f.name for f in fonts if f.embedded and not f.subset and f.subtype != "Type3"]
    if full:
        rep.add("fonts subset", "warn", "embedded in full (large files): " + ", ".join(full))
    elif fonts:
        rep.add("fonts subset", "pass", "all embedded fonts are subsets")

    # -- colour
    fig["color_spaces"] = {label: sorted(pages) for label, pages in sorted(w.painted.items())}
    rgb = [f"{label} on page(s) {_pages(w.painted[label])}" for label, cs in w.painted_cs.items() if cs.is_rgb]
    if rgb:
        rep.add("colour", "fail", "RGB colour in the page content (separated by the RIP, not by us): " + "; ".join(rgb))
    else:
        used = ", ".join(sorted(w.painted)) or "none"
        rep.add("colour", "pass", f"colour spaces painted: {used}")
    fig["spots"] = sorted(w.spots)
    if w.spots:
        rep.add("spot colours", "warn", "extra plate(s) beyond CMYK: " + ", ".join(sorted(w.spots)))
    fig["text_plates"] = sorted(w.text_plates, key=lambda p: ("CMYK".find(p) if p in "CMYK" else 9, p))

    # -- images
    imgs = []
    low, rgb_imgs = [], []
    for im in w.images:
        px, py = im.ppi
        pw, ph = im.placed_size
        origin = frames[im.page - 1][0]
        x0, y0, x1, y1 = im.bbox
        left, top = _mm_from_top_left(origin, x0, y1)
        label = image_label(im)
        entry = {"page": im.page, "name": im.name, "label": label, "file": im.file, "where": im.where,
                 "at": im.at, "colorspace": im.colorspace.label,
                 "width": im.width, "height": im.height, "bpc": im.bpc,
                 "ppi": [round(px, 1), round(py, 1)], "placed_mm": [round(pw * MM, 1), round(ph * MM, 1)],
                 "position_mm": [left, top, round((x1 - x0) * MM, 1), round((y1 - y0) * MM, 1)],
                 "image_mask": im.image_mask, "smask": im.smask, "inline": im.inline}
        imgs.append(entry)
        place = f"page {im.page} {_place(entry)}"
        if im.colorspace.is_rgb:
            rgb_imgs.append(f"{label} ({place}, {im.colorspace.label})")
        if not im.image_mask and im.bpc > 1 and min(px, py) < min_ppi and pw > 1 and ph > 1:
            low.append(f"{label} ({place}): {min(px, py):.0f} ppi")
    fig["images"] = imgs
    if rgb_imgs:
        rep.add("image colour", "fail", "RGB images: " + ", ".join(rgb_imgs))
    elif imgs:
        rep.add("image colour", "pass", f"{len(imgs)} image placement(s), none RGB")
    if low:
        rep.add("image resolution", "warn", f"under {min_ppi:g} ppi: " + ", ".join(low))
    elif imgs:
        pictures = [i for i in imgs if not i["image_mask"]]
        lowest = min(pictures, key=lambda i: min(i["ppi"]), default=None)
        lo = f"lowest {min(lowest['ppi']):.0f} ppi, {lowest['label']}" if lowest else "no pictures"
        rep.add("image resolution", "pass", f"{lo} (minimum {min_ppi:g})")

    # -- small text: several inks, or reversed out of ink, inside the printed area
    _check_small_text(pdf, rep, w, frames)

    # -- transparency and transfer functions
    if w.transparency:
        status = "fail" if eff == "X-1a" else "pass"
        rep.add("transparency", status, ("not allowed in PDF/X-1a: " if status == "fail" else "present (allowed): ")
                + "; ".join(w.transparency[:6]))
    else:
        rep.add("transparency", "pass", "none")
    if w.transfer:
        rep.add("transfer functions", "fail" if eff else "warn", "; ".join(w.transfer[:6]))

    # -- ink
    measured = max_tac(path, regions, dpi)
    if measured is None:
        rep.add("ink coverage", "warn", "not measured (Ghostscript not available or failed)")
        fig["max_tac"] = None
    else:
        per_page, plates = measured
        fig["max_tac_per_page"] = per_page
        fig["plates"] = plates
        vals = [v for v in per_page if v is not None]
        top = max(vals) if vals else 0.0
        fig["max_tac"] = top
        over = [f"page {i}: {v:.0f}%" for i, v in enumerate(per_page, start=1)
                if v is not None and v > tac_limit + TAC_TOLERANCE]
        if over:
            rep.add("ink coverage", "fail", f"total ink over {tac_limit:g}% inside the bleed: " + ", ".join(over))
        else:
            rep.add("ink coverage", "pass", f"max {top:.0f}% inside the bleed (limit {tac_limit:g}%, {dpi} dpi)")
    fig["ink_coverage"] = ink_coverage(path, dpi)

    # -- PDF/X identification
    _check_pdfx_keys(pdf, rep, xmp, eff, declared, variant)
    if eff:
        from layout.finish.pdfx import variant_problems

        probs = variant_problems(pdf, eff, w)  # colour/transparency rules of the variant
        probs = [p for p in probs if not p.startswith("transparency:")]  # reported above
        if probs:
            rep.add(f"PDF/{eff} rules", "fail", "; ".join(probs[:8]) + (" ..." if len(probs) > 8 else ""))
        else:
            rep.add(f"PDF/{eff} rules", "pass", "colour spaces, compression and annotations conform")


def _check_small_text(pdf: pikepdf.Pdf, rep: PreflightReport, w: Walk, frames) -> None:
    """Warn of text under SMALL_TEXT pt in two or more inks, and of reversed small text, whose
    origin lies in the printed area (the slug line's registration text is outside it)."""
    from layout.finish.pdfwalk import text_of

    maps: dict = {}
    multi, reverse = [], []
    for t in w.texts:
        origin, area = frames[t.page - 1]
        if not (area[0] <= t.x <= area[2] and area[1] <= t.y <= area[3]):
            continue
        if len(t.inks) >= 2 or t.reversed:
            x, y = _mm_from_top_left(origin, t.x, t.y)
            text = text_of(pdf, t, maps).strip()
            text = text if len(text) <= 24 else text[:23] + "…"
            entry = {"page": t.page, "x_mm": x, "y_mm": y, "size": round(t.size, 1), "inks": list(t.inks),
                     "text": text}
            (reverse if t.reversed else multi).append(entry)
    rep.figures["small_text"] = {"multi_ink": multi, "reversed": reverse, "limit_pt": SMALL_TEXT}

    def listed(entries, inks: bool) -> str:
        shown = [f"page {e['page']} at {e['x_mm']:.1f}, {e['y_mm']:.1f} mm: {e['size']:g} pt"
                 + (f" in {'+'.join(e['inks'])}" if inks else "") + f" {e['text']!r}" for e in entries[:8]]
        return "; ".join(shown) + (f"; and {len(entries) - 8} more" if len(entries) > 8 else "")

    if multi:
        rep.add("small text inks", "warn", f"{len(multi)} text run(s) under {SMALL_TEXT:g} pt in two or more inks "
                "(misregister blurs them; set them in one ink, e.g. 100 % K): " + listed(multi, True))
    else:
        rep.add("small text inks", "pass", f"no text under {SMALL_TEXT:g} pt in two or more inks")
    if reverse:
        rep.add("reversed small text", "warn", f"{len(reverse)} text run(s) under {SMALL_TEXT:g} pt reversed out "
                "(white on ink: fills in on newsprint; make it larger or bolder): " + listed(reverse, False))
    else:
        rep.add("reversed small text", "pass", f"no reversed text under {SMALL_TEXT:g} pt")


def _check_pdfx_keys(pdf: pikepdf.Pdf, rep: PreflightReport, xmp: dict, eff, declared, variant) -> None:
    fig = rep.figures
    intents = [oi for oi in pdf.Root.get("/OutputIntents", []) or [] if oi.get("/S") == Name.GTS_PDFX]
    oi_fig = []
    problems = []
    for oi in intents:
        prof = oi.get("/DestOutputProfile")
        entry = {"condition_id": str(oi.get("/OutputConditionIdentifier", "")),
                 "condition": str(oi.get("/OutputCondition", "")),
                 "registry": str(oi.get("/RegistryName", "")),
                 "info": str(oi.get("/Info", "")),
                 "profile_n": int(prof.get("/N", 0)) if prof is not None else None}
        if prof is not None:
            try:
                from layout.finish.profile import icc_header

                head = icc_header(prof.read_bytes())
                entry["profile_class"] = head["device_class"]
                entry["profile_space"] = head["color_space"]
                entry["profile_version"] = "%d.%d" % head["version"]
            except Exception as e:  # noqa: BLE001
                problems.append(f"output profile unreadable: {e}")
        oi_fig.append(entry)
        if not entry["condition_id"]:
            problems.append("OutputIntent without OutputConditionIdentifier")
        if prof is None and not entry["registry"]:
            problems.append("OutputIntent with neither an embedded profile nor a RegistryName")
        if prof is not None and entry["profile_n"] != 4:
            problems.append(f"output profile has {entry['profile_n']} channels, not CMYK")
    fig["output_intents"] = oi_fig
    demanded = eff is not None
    if len(intents) == 1 and not problems:
        rep.add("output intent", "pass", f"GTS_PDFX: {oi_fig[0]['condition_id']} ({oi_fig[0]['info'] or oi_fig[0]['condition']})")
    elif not intents:
        rep.add("output intent", "fail" if demanded else "warn",
                "no GTS_PDFX OutputIntent: the printing condition is not stated")
    else:
        if len(intents) > 1:
            problems.append(f"{len(intents)} GTS_PDFX OutputIntents (exactly one allowed)")
        rep.add("output intent", "fail" if demanded else "warn", "; ".join(problems))

    info = pdf.docinfo
    keys = {
        "Info GTS_PDFXVersion": str(info.get("/GTS_PDFXVersion", "")),
        "Info GTS_PDFXConformance": str(info.get("/GTS_PDFXConformance", "")),
        "XMP pdfxid:GTS_PDFXVersion": xmp.get("pdfxid", ""),
        "XMP pdfx:GTS_PDFXVersion": xmp.get("pdfx", ""),
        "Trapped": str(info.get("/Trapped", "")),
        "XMP pdf:Trapped": xmp.get("trapped", ""),
        "Title": str(info.get("/Title", "")),
    }
    fig["pdfx_keys"] = keys
    if not demanded:
        rep.add("PDF/X identification", "warn", "the file does not declare PDF/X")
        return
    miss = []
    if not keys["Info GTS_PDFXVersion"]:
        miss.append("Info GTS_PDFXVersion")
    if eff == "X-4":
        if not keys["XMP pdfxid:GTS_PDFXVersion"].startswith("PDF/X-4"):
            miss.append("XMP pdfxid:GTS_PDFXVersion PDF/X-4")
        if pdf.pdf_version > "1.6":
            miss.append(f"PDF version {pdf.pdf_version} (X-4 allows up to 1.6)")
    else:
        if not keys["Info GTS_PDFXConformance"].startswith("PDF/X-1a"):
            miss.append("Info GTS_PDFXConformance PDF/X-1a")
        if pdf.pdf_version > "1.4":
            miss.append(f"PDF version {pdf.pdf_version} (X-1a:2003 allows up to 1.4)")
    if keys["Trapped"] not in ("/True", "/False"):
        miss.append(f"Trapped must be True or False (is {keys['Trapped'] or 'missing'})")
    if not keys["Title"]:
        miss.append("Title")
    for k in ("/CreationDate", "/ModDate"):
        if k not in info:
            miss.append(f"Info {k[1:]}")
    if "/ID" not in pdf.trailer:
        miss.append("trailer /ID")
    if declared and variant and declared != variant:
        miss.append(f"the file declares PDF/{declared}, checked as PDF/{variant}")
    if miss:
        rep.add("PDF/X identification", "fail", "missing or wrong: " + "; ".join(miss))
    else:
        rep.add("PDF/X identification", "pass",
                f"{keys['Info GTS_PDFXVersion']} in Info and XMP, Trapped {keys['Trapped'][1:]}")


# --------------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    """``broadsheet preflight FILE``: print the report; exit status 0 if it passes, 1 if the file
    is missing, not a PDF or unreadable, 3 if a check fails."""
    ap = argparse.ArgumentParser(prog="broadsheet preflight", description="Check a PDF for the newspaper press.",
                                 epilog="exit status: 0 pass, 1 not a PDF / unreadable, 3 checks failed")
    ap.add_argument("pdf", help="the PDF to check")
    ap.add_argument("--json", action="store_true", help="print the report as JSON")
    ap.add_argument("--tac-limit", type=float, default=240, help="maximum total ink in %% (default 240)")
    ap.add_argument("--min-ppi", type=float, default=170, help="warn under this image resolution (default 170)")
    ap.add_argument("--variant", choices=["X-4", "X-1a"], default=None,
                    help="demand this PDF/X variant (default: the one the file declares)")
    ap.add_argument("--dpi", type=int, default=50, help="resolution of the ink separation (default 50)")
    args = ap.parse_args(argv)
    rep = preflight(args.pdf, tac_limit=args.tac_limit, min_ppi=args.min_ppi, variant=args.variant, dpi=args.dpi)
    if args.json:
        print(json.dumps(rep.to_dict(), ensure_ascii=False, indent=2))
    else:
        print(rep.format_table())
    sys.stdout.flush()
    if not rep.readable:
        return EXIT_UNREADABLE
    return EXIT_PASS if rep.ok else EXIT_FAILED


if __name__ == "__main__":
    raise SystemExit(main())
