"""Turn the renderer's PDF into a PDF/X-4 or PDF/X-1a:2003 file for the press, with pikepdf.

Why a post-processing step: ReportLab writes no OutputIntent, no GTS keys and no XMP (see the
design note), and it cannot check what it was given. This step adds the identification a RIP
looks for, and first checks the rules a RIP would reject the file for, so that a broken page
fails here, at build time, with every reason listed, rather than at the printer at night.

What it writes:

* exactly one ``/OutputIntents`` entry, ``/S /GTS_PDFX``, with the output profile embedded as
  ``/DestOutputProfile`` (``/N 4``, ``/Alternate /DeviceCMYK``), its OutputConditionIdentifier,
  OutputCondition, Info and, for a registered condition, RegistryName;
* Info: Title, Creator, Producer, CreationDate, ModDate, Trapped, GTS_PDFXVersion (and
  GTS_PDFXConformance for X-1a); the renderer's other Info entries are dropped, because PDF/X-4
  requires Info and XMP to agree and an "anonymous" Author helps nobody;
* XMP with the same facts plus ``pdfxid:GTS_PDFXVersion`` (namespace
  http://www.npes.org/pdfx/ns/id/), ``xmpMM:DocumentID``/``InstanceID``;
* a trailer ``/ID`` computed from the content (pikepdf ``deterministic_id``), and dates taken from
  the caller or ``SOURCE_DATE_EPOCH``: the same input gives byte-identical output, so builds can
  be compared and cached;
* PDF 1.6 for X-4, 1.4 for X-1a:2003, without object streams (a 1.4 file cannot have them, and
  older RIPs choke on them in any file); never encrypted.

The file is written to a temporary name beside ``dst`` and moved over it with os.replace, so a
failed or interrupted run never leaves a half-written press file where a previous good one was.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
import uuid
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

import pikepdf
from pikepdf import Array, Dictionary, Name, String

from layout.finish.errors import FinishError
from layout.finish.pdfwalk import Walk, box, box_problems, page_boxes, walk
from layout.finish.press import VERSION_KEYS, Variant, effective_dates, pdf_date, xmp as _xmp, xmp_date
from layout.finish.profile import ProfileInfo, icc_header

Box = Sequence[float]

# families allowed in PDF/X-1a (Separation/DeviceN/Indexed checked through their base)
_X1A_OK = {"DeviceCMYK", "DeviceGray", "Separation", "DeviceN", "Indexed", "Pattern"}
_X1A_BASE_OK = {"DeviceCMYK", "DeviceGray", ""}


def _producer() -> str:
    from layout import __version__

    return f"broadsheet {__version__} (pikepdf {pikepdf.__version__})"


def _per_page(value, n: int, what: str) -> list:
    """One box for all pages, or one per page."""
    if value is None:
        return [None] * n
    if len(value) == 4 and all(isinstance(v, (int, float)) for v in value):
        return [tuple(float(v) for v in value)] * n
    if len(value) != n:
        raise FinishError(f"{what}: {len(value)} boxes given for {n} pages")
    return [tuple(float(v) for v in b) if b is not None else None for b in value]


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


def make_pdfx(
    src: Path,
    dst: Path,
    *,
    variant: Variant = "X-4",
    profile: ProfileInfo,
    title: str,
    creation_date: datetime,
    trapped: bool = False,
    trim_box: Box | Sequence[Box | None] | None = None,
    bleed_box: Box | Sequence[Box | None] | None = None,
) -> None:
    """Finish ``src`` into a PDF/X file at ``dst`` (see the module doc).

    ``trim_box``/``bleed_box`` (PDF user space: x0 y0 x1 y1, origin bottom-left of the MediaBox),
    one box for every page or a list with one per page, are set exactly when given; otherwise the
    boxes the renderer set are used. Raises :class:`FinishError` listing every problem when the
    file cannot be PDF/X (boxes missing or not nested, a font not embedded, transparency or
    non-CMYK colour in X-1a, RGB in X-4, encryption ...); ``dst`` is then left untouched.
    """
    if variant not in VERSION_KEYS:
        raise FinishError(f"unknown PDF/X variant {variant!r} (X-4 or X-1a)")
    src, dst = Path(src), Path(dst)
    raw = src.read_bytes()
    profile_data = profile.data()
    head = icc_header(profile_data)
    if head["color_space"] != "CMYK" or head["device_class"] != "prtr":
        raise FinishError(f"{profile.path} is not a CMYK output profile")
    created, modified = effective_dates(creation_date)
    version, conformance, pdf_version = VERSION_KEYS[variant]
    producer = _producer()

    try:
        pdf = pikepdf.open(src)
    except pikepdf.PasswordError as e:
        raise FinishError(f"{src} is encrypted: a press file must not be") from e
    except pikepdf.PdfError as e:
        raise FinishError(f"{src} is not a readable PDF: {e}") from e
    with pdf:
        n = len(pdf.pages)
        for i, (tb, bb) in enumerate(zip(_per_page(trim_box, n, "trim_box"),
                                         _per_page(bleed_box, n, "bleed_box"))):
            if tb is not None:
                pdf.pages[i].obj.TrimBox = Array(tb)
            if bb is not None:
                pdf.pages[i].obj.BleedBox = Array(bb)
        problems = check_pdfx(pdf, variant, profile)
        if problems:
            raise FinishError(f"{src.name} cannot be PDF/{variant}", problems)

        # -- identity: derived from content, so the same input gives the same file
        h = hashlib.sha256()
        for part in (raw, profile_data, variant.encode(), title.encode("utf-8"),
                     xmp_date(created).encode(), b"T" if trapped else b"F", producer.encode()):
            h.update(hashlib.sha256(part).digest())
        digest = h.digest()
        doc_id = f"uuid:{uuid.UUID(bytes=digest[:16], version=4)}"
        instance_id = f"uuid:{uuid.UUID(bytes=digest[16:32], version=4)}"

        # -- output intent
        icc = pikepdf.Stream(pdf, profile_data)
        icc.N = 4
        icc.Alternate = Name.DeviceCMYK
        intent = Dictionary(
            Type=Name.OutputIntent,
            S=Name.GTS_PDFX,
            OutputConditionIdentifier=String(profile.condition_id),
            OutputCondition=String(profile.condition or profile.description),
            Info=String(profile.description),
            DestOutputProfile=icc,
        )
        if profile.registry:
            intent.RegistryName = String(profile.registry)
        pdf.Root.OutputIntents = Array([pdf.make_indirect(intent)])
        for page in pdf.pages:
            if "/OutputIntents" in page.obj:
                del page.obj["/OutputIntents"]

        # -- Info (rebuilt: PDF/X-4 wants Info and XMP to agree)
        info = Dictionary(
            Title=String(title),
            Creator=String("broadsheet"),
            Producer=String(producer),
            CreationDate=String(pdf_date(created)),
            ModDate=String(pdf_date(modified)),
            Trapped=Name("/True") if trapped else Name("/False"),
            GTS_PDFXVersion=String(version),
        )
        if conformance:
            info.GTS_PDFXConformance = String(conformance)
        pdf.trailer.Info = pdf.make_indirect(info)

        # -- XMP
        meta = pikepdf.Stream(pdf, _xmp(title=title, created=created, modified=modified,
                                        producer=producer, trapped=trapped, variant=variant,
                                        doc_id=doc_id, instance_id=instance_id))
        meta.Type = Name.Metadata
        meta.Subtype = Name.XML
        pdf.Root.Metadata = pdf.make_indirect(meta)

        dst.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=dst.parent, prefix=f".{dst.name}.", suffix=".part")
        os.close(fd)
        try:
            pdf.save(
                tmp,
                deterministic_id=True,
                force_version=pdf_version,
                object_stream_mode=pikepdf.ObjectStreamMode.disable,
                compress_streams=True,
                encryption=False,
                fix_metadata_version=False,
                linearize=False,
            )
            _verify_written(Path(tmp), variant, pdf_version)
            with open(tmp, "rb") as fh:
                os.fsync(fh.fileno())
            os.chmod(tmp, 0o644)
            os.replace(tmp, dst)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise


def _verify_written(path: Path, variant: Variant, pdf_version: str) -> None:
    """Re-read what was written: the header version and the single output intent."""
    with pikepdf.open(path) as out:
        problems = []
        if out.pdf_version != pdf_version:
            problems.append(f"written as PDF {out.pdf_version}, expected {pdf_version}")
        intents = [oi for oi in out.Root.get("/OutputIntents", []) if oi.get("/S") == Name.GTS_PDFX]
        if len(intents) != 1:
            problems.append(f"{len(intents)} GTS_PDFX output intents")
        if out.is_encrypted:
            problems.append("written encrypted")
        if problems:
            raise FinishError(f"PDF/{variant} output failed its own check", problems)
