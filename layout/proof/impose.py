"""Sheets for an office printer: a newspaper page fitted to the sheet, or tiled 1:1.

Why broadsheet makes the sheets itself: a 对开 page is 390 x 545 mm trimmed and its press PDF
416 x 571 mm with the slug; ``lp`` shrinks that whole press sheet, marks and all, to 47 % on A4
(9 pt body text prints at 4.3 pt) and 69 % on A3, CUPS offers no tiling, and CUPS's filters print
a layer marked not to print (they ignore optional content's print usage). So the page is placed
on new sheets here, with pikepdf, from the press (or proof) PDF:

* each page becomes a Form XObject whose BBox is its TrimBox (qpdf's page-to-form), so only
  the trimmed page shows, never the bleed or the press marks; the sheet's marks are vector
  operators and its labels Helvetica (a standard font: this goes to an office printer, not to a
  press, and Ghostscript and every printer have it);
* **fit** (default): the trimmed page scaled to the sheet's printable area keeping proportions,
  the scale rounded down to a whole percent so that the note on the sheet ("scale 69 %") is
  exact, portrait or landscape whichever gives the larger scale; crop marks at the trim's
  corners, the page number, file and scale above, the slug line below;
* **tile**: 1:1 pieces of the trimmed page, neighbours overlapping by ``overlap`` (10 mm), in
  rows from the top-left, portrait or landscape whichever needs fewer sheets; on every overlap a
  dashed line where the neighbour's piece begins and three targets that lie on the same spot of
  the page on both pieces (lay one piece over the other until the targets meet); each tile
  labelled "p3 · tile 2/6 · row 1 col 2" with its neighbours;
* optional content the page marks as not printing (the ``Guides`` layer of ``build --guides``,
  layout.render.layers) is cut out of the page's content before it is placed; ``guides=True``
  keeps the Guides layer and prints it as ordinary content.

A margin of :data:`MARGIN` on every side stays empty: office printers cannot print the sheet's
edge, and the sheets are sent at 100 % (CUPS ``print-scaling=none``), so nothing is shrunk to
make room for it and a tile stays 1:1.

Each tile draws the page's content clipped to its piece, less the photos that lie wholly outside
it. Photos are resampled to :data:`PROOF_PPI` (150 ppi) at their size on the sheet, in the sheets
only (the press file is read, never changed): an office printer's halftone cannot show more,
and a press photo at 300 ppi, placed whole on every tile and turned into PostScript by CUPS for
each sheet, made a job of 200 MB for one page's six tiles. Pictures already at or under that
resolution, with masks, or in colour spaces other than Gray, RGB and CMYK are left as they are.
"""

from __future__ import annotations

import math
import re
from pathlib import Path

import pikepdf
from msgspec import Struct, field
from pikepdf import Array, Dictionary, Name

from layout.errors import UsageError
from layout.proof.pages import PageRef

MM = 72 / 25.4
MARGIN = 6 * MM  # the edge an office printer cannot print (4-5 mm), and a little more
MARK_GAP = 1.5 * MM  # crop marks start this far outside the trim corner
MARK_LEN = 4 * MM
BAND = MARK_GAP + MARK_LEN + 0.5 * MM  # room around a fitted page for its crop marks
LINE = 4 * MM  # one label line
LABEL_SIZE = 7.0
OVERLAP = 10 * MM
PROOF_PPI = 150  # photos on the sheets (see the module doc)
HAIRLINE = 0.3
TARGET_R = 2 * MM


class Sheet(Struct, frozen=True):
    """A sheet size: ``width`` x ``height`` in points (portrait) and its IPP media name."""

    name: str
    width: float
    height: float
    media: str


def _mm_sheet(name: str, w_mm: float, h_mm: float, media: str) -> Sheet:
    return Sheet(name, w_mm * MM, h_mm * MM, media)


SHEETS: dict[str, Sheet] = {
    "a4": _mm_sheet("A4", 210, 297, "iso_a4_210x297mm"),
    "a3": _mm_sheet("A3", 297, 420, "iso_a3_297x420mm"),
    "a2": _mm_sheet("A2", 420, 594, "iso_a2_420x594mm"),
    "letter": Sheet("Letter", 612, 792, "na_letter_8.5x11in"),
    "legal": Sheet("Legal", 612, 1008, "na_legal_8.5x14in"),
    "tabloid": Sheet("Tabloid", 792, 1224, "na_ledger_11x17in"),
    "ledger": Sheet("Tabloid", 792, 1224, "na_ledger_11x17in"),
}


def sheet_named(name: str) -> Sheet:
    """``a3``, ``letter``, ``tabloid`` ... or a size ``330x482mm`` (portrait or not)."""
    key = name.strip().lower()
    if key in SHEETS:
        return SHEETS[key]
    m = re.fullmatch(r"(\d+(?:\.\d+)?)\s*x\s*(\d+(?:\.\d+)?)\s*mm", key)
    if m:
        w, h = sorted((float(m.group(1)), float(m.group(2))))
        if w < 50 or h > 2000:
            raise UsageError(f"--sheet {name}: a sheet from 50 mm to 2 m, please")
        size = f"{w:g}x{h:g}mm"
        return _mm_sheet(size, w, h, f"custom_{size}_{size}")
    names = ", ".join(sorted(set(SHEETS) - {"ledger"}))
    raise UsageError(f"--sheet {name}: unknown sheet (known: {names}, or a size such as 330x482mm)")


def sheet_for_media(media: str) -> Sheet | None:
    """The sheet of an IPP media name (a printer's media-default), if it is one of ours."""
    return next((s for s in SHEETS.values() if s.media == media), None)


class Placement(Struct, frozen=True):
    """One sheet made: which page, how (fit or tile) and, for a tile, where."""

    number: str  # the page's number
    mode: str  # "fit" or "tile"
    width: float  # the sheet as made (landscape when wider than high), points
    height: float
    scale: float = 1.0  # fit: the scale of the page on the sheet
    tile: int = 0  # tile: 1-based, row by row
    tiles: int = 0
    row: int = 0
    col: int = 0
    rows: int = 0
    cols: int = 0
    label: str = ""


class Imposed(Struct):
    """What :func:`impose` wrote."""

    path: str
    sheet: Sheet
    placements: list[Placement] = field(default_factory=list)
    guides_removed: int = 0  # operators of non-printing layers cut out
    images_resampled: int = 0  # photos brought down to PROOF_PPI

    @property
    def sheets(self) -> int:
        return len(self.placements)

    def summary(self) -> list[str]:
        """One line per page: what it became."""
        out: list[str] = []
        for p in self.placements:
            if p.mode == "fit":
                out.append(f"p{p.number}: 1 {self.sheet.name} sheet, fitted at scale {round(p.scale * 100)} %")
            elif p.tile == 1:
                out.append(f"p{p.number}: {p.tiles} {self.sheet.name} tiles at 1:1 "
                           f"({p.rows} row{'s' if p.rows != 1 else ''} x {p.cols} column{'s' if p.cols != 1 else ''})")
        return out


# -- geometry ------------------------------------------------------------------------------------


def fit_layout(trim_w: float, trim_h: float, sheet: Sheet) -> tuple[float, float, float]:
    """(sheet width, sheet height, scale) of the fit: the orientation giving the larger scale,
    the scale rounded down to a whole percent."""
    best = None
    for w, h in ((sheet.width, sheet.height), (sheet.height, sheet.width)):
        aw = w - 2 * (MARGIN + BAND)
        ah = h - 2 * (MARGIN + BAND + LINE)
        s = math.floor(min(aw / trim_w, ah / trim_h) * 100 + 1e-9) / 100
        if best is None or s > best[2] + 1e-9:
            best = (w, h, s)
    assert best is not None
    if best[2] <= 0:
        raise UsageError(f"the {sheet.name} sheet is too small for a proof")
    return best


def tile_layout(trim_w: float, trim_h: float, sheet: Sheet, overlap: float = OVERLAP
                ) -> tuple[float, float, int, int, float, float]:
    """(sheet width, sheet height, columns, rows, tile width, tile height) of the tiling: the
    orientation needing fewer sheets (portrait on a tie)."""
    best = None
    for w, h in ((sheet.width, sheet.height), (sheet.height, sheet.width)):
        cw, ch = w - 2 * MARGIN, h - 2 * MARGIN - LINE
        if cw <= overlap * 2 or ch <= overlap * 2:
            continue
        cols = max(1, math.ceil((trim_w - overlap) / (cw - overlap) - 1e-9))
        rows = max(1, math.ceil((trim_h - overlap) / (ch - overlap) - 1e-9))
        if best is None or cols * rows < best[2] * best[3]:
            best = (w, h, cols, rows, cw, ch)
    if best is None:
        raise UsageError(f"the {sheet.name} sheet is too small for tiles with {overlap / MM:g} mm overlaps")
    return best


# -- content -------------------------------------------------------------------------------------


def _num(v: float) -> str:
    s = f"{v:.3f}".rstrip("0").rstrip(".")
    return "0" if s in ("-0", "") else s


def _latin(text: str) -> bytes:
    """The text in Helvetica's WinAnsi encoding; characters it lacks are left out."""
    return text.encode("cp1252", errors="ignore")


def _width(text: str, size: float, bold: bool = False) -> float:
    from reportlab.pdfbase.pdfmetrics import stringWidth

    return stringWidth(_latin(text).decode("cp1252"), "Helvetica-Bold" if bold else "Helvetica", size)


class _Ops:
    """A sheet's content stream, written as text."""

    def __init__(self):
        self.out: list[str] = []

    def text(self, x: float, y: float, text: str, *, size: float = LABEL_SIZE, bold: bool = False,
             align: str = "left") -> None:
        if align == "right":
            x -= _width(text, size, bold)
        elif align == "center":
            x -= _width(text, size, bold) / 2
        self.out.append(f"BT /{'FB' if bold else 'F'} {_num(size)} Tf 1 0 0 1 {_num(x)} {_num(y)} Tm "
                        f"<{_latin(text).hex()}> Tj ET")

    def line(self, x1: float, y1: float, x2: float, y2: float, *, width: float = HAIRLINE, dash: str = "",
             halo: bool = False) -> None:
        path = f"{_num(x1)} {_num(y1)} m {_num(x2)} {_num(y2)} l S"
        under = f"1 G {_num(width + 1)} w {path} 0 G " if halo else ""  # white under it: seen on dark photos
        self.out.append(f"q {under}{_num(width)} w {dash + ' d ' if dash else ''}{path} Q")

    def rect(self, x: float, y: float, w: float, h: float, *, width: float = HAIRLINE, grey: float = 0.0) -> None:
        self.out.append(f"q {_num(grey)} G {_num(width)} w {_num(x)} {_num(y)} {_num(w)} {_num(h)} re S Q")

    def target(self, x: float, y: float, r: float = TARGET_R) -> None:
        """A registration target: a circle and a cross through it."""
        k = 0.5523 * r
        path = (
            f"{_num(x + r)} {_num(y)} m "
            f"{_num(x + r)} {_num(y + k)} {_num(x + k)} {_num(y + r)} {_num(x)} {_num(y + r)} c "
            f"{_num(x - k)} {_num(y + r)} {_num(x - r)} {_num(y + k)} {_num(x - r)} {_num(y)} c "
            f"{_num(x - r)} {_num(y - k)} {_num(x - k)} {_num(y - r)} {_num(x)} {_num(y - r)} c "
            f"{_num(x + k)} {_num(y - r)} {_num(x + r)} {_num(y - k)} {_num(x + r)} {_num(y)} c S "
            f"{_num(x - 1.5 * r)} {_num(y)} m {_num(x + 1.5 * r)} {_num(y)} l "
            f"{_num(x)} {_num(y - 1.5 * r)} m {_num(x)} {_num(y + 1.5 * r)} l S"
        )
        self.out.append(f"q 1 G {_num(HAIRLINE + 1)} w {path} 0 G {_num(HAIRLINE)} w {path} Q")

    def place(self, matrix: tuple[float, ...], clip: tuple[float, float, float, float] | None = None) -> None:
        c = f"{_num(clip[0])} {_num(clip[1])} {_num(clip[2])} {_num(clip[3])} re W n " if clip else ""
        self.out.append(f"q {c}{' '.join(_num(v) for v in matrix)} cm /P Do Q")

    def bytes(self) -> bytes:
        return ("0 G 0 g\n" + "\n".join(self.out) + "\n").encode("ascii")


# -- non-printing optional content ---------------------------------------------------------------


def _hidden_groups(pdf: pikepdf.Pdf, keep_guides: bool) -> tuple[set, set]:
    """(hidden, kept) optional content groups of ``pdf`` by object: hidden = marked not to print
    (Usage /Print /PrintState /OFF) or off by default; kept = the Guides group when asked."""
    hidden, kept = set(), set()
    ocp = pdf.Root.get("/OCProperties")
    if not isinstance(ocp, Dictionary):
        return hidden, kept
    d = ocp.get("/D")
    off = {o.objgen for o in (d.get("/OFF", []) if isinstance(d, Dictionary) else [])
           if isinstance(o, Dictionary)}
    for g in ocp.get("/OCGs", []) or []:
        if not isinstance(g, Dictionary):
            continue
        usage = g.get("/Usage")
        pr = usage.get("/Print") if isinstance(usage, Dictionary) else None
        no_print = isinstance(pr, Dictionary) and pr.get("/PrintState") == Name.OFF
        if no_print or g.objgen in off:
            if keep_guides and str(g.get("/Name", "")) == "Guides":
                kept.add(g.objgen)
            else:
                hidden.add(g.objgen)
    return hidden, kept


def _group_state(obj, hidden: set, kept: set) -> str:
    """'drop', 'unwrap' or 'keep' for content marked with optional content ``obj`` (an OCG, or
    an OCMD: hidden when all its groups are)."""
    if not isinstance(obj, Dictionary):
        return "keep"
    if obj.get("/Type") == Name.OCMD:
        groups = obj.get("/OCGs")
        groups = [groups] if isinstance(groups, Dictionary) else list(groups or [])
        if groups and all(isinstance(g, Dictionary) and g.objgen in hidden for g in groups):
            return "drop"
        return "keep"
    if obj.objgen in hidden:
        return "drop"
    if obj.objgen in kept:
        return "unwrap"
    return "keep"


def strip_hidden(form: pikepdf.Stream, hidden: set, kept: set) -> int:
    """Cut the content of hidden optional content groups out of ``form`` (a page's content as a
    Form XObject): marked content ``/OC /name BDC ... EMC`` and XObjects drawn with an /OC of
    their own; a kept group's content stays, unmarked. Returns the operators removed."""
    if not hidden and not kept:
        return 0
    res = form.get("/Resources")
    props = res.get("/Properties") if isinstance(res, Dictionary) else None
    xobjs = res.get("/XObject") if isinstance(res, Dictionary) else None
    ops = pikepdf.parse_content_stream(form)
    out: list = []
    stack: list[str] = []
    dropping = removed = 0
    for operands, op in ops:
        name = str(op)
        if name in ("BDC", "BMC"):
            state = "keep"
            if name == "BDC" and len(operands) == 2 and operands[0] == Name.OC:
                ref = operands[1]
                obj = props.get(ref) if isinstance(ref, Name) and isinstance(props, Dictionary) else ref
                state = _group_state(obj, hidden, kept)
            if dropping:
                state = "drop"
            stack.append(state)
            if state == "drop":
                dropping += 1
                removed += 1
            elif state == "keep":
                out.append((operands, op))
            continue
        if name == "EMC":
            state = stack.pop() if stack else "keep"
            if state == "drop":
                dropping -= 1
                removed += 1
            elif state == "keep":
                out.append((operands, op))
            continue
        if dropping:
            removed += 1
            continue
        if name == "Do" and operands and isinstance(xobjs, Dictionary) and operands[0] in xobjs:
            oc = xobjs[operands[0]].get("/OC")
            if oc is not None and _group_state(oc, hidden, kept) == "drop":
                removed += 1
                continue
        out.append((operands, op))
    if removed or kept:
        form.write(pikepdf.unparse_content_stream(out))
    return removed


# -- photos at proof resolution ------------------------------------------------------------------

#: colour space families whose pictures are resampled, and the Pillow mode of their pixels
_MODES = {"DeviceCMYK": "CMYK", "ICCBased-CMYK": "CMYK", "DeviceRGB": "RGB", "ICCBased-RGB": "RGB",
          "DeviceGray": "L", "ICCBased-Gray": "L"}


def _resample(obj: pikepdf.Stream, size: tuple[int, int], family: str) -> bool:
    """Replace the pixels of image ``obj`` by a ``size`` version (JPEG); False if not possible."""
    import io

    from PIL import Image

    mode = _MODES.get(family)
    if mode is None or "/SMask" in obj or "/Mask" in obj or int(obj.get("/BitsPerComponent", 8)) != 8:
        return False
    try:
        pil = pikepdf.PdfImage(obj).as_pil_image()
    except Exception:  # noqa: BLE001 - an encoding pikepdf cannot decode: leave the picture alone
        return False
    if pil.mode != mode:
        return False
    buf = io.BytesIO()
    pil.resize(size, Image.Resampling.LANCZOS).save(buf, "JPEG", quality=88)
    obj.write(buf.getvalue(), filter=Name.DCTDecode)
    obj.Width, obj.Height, obj.BitsPerComponent = size[0], size[1], 8
    if mode == "CMYK":  # Pillow writes Adobe (inverted) CMYK JPEGs, as ReportLab's press files do
        obj.Decode = Array([1, 0, 1, 0, 1, 0, 1, 0])
    elif "/Decode" in obj:
        del obj.Decode
    for key in ("/DecodeParms", "/Interpolate"):
        if key in obj:
            del obj[key]
    return True


def _proof_images(src: pikepdf.Pdf, scales: dict[int, float]) -> int:
    """Resample the photos of ``src``'s pages (index -> scale on the sheet) to PROOF_PPI at their
    largest size on the sheets; returns how many were resampled."""
    from layout.finish.pdfwalk import walk

    want: dict[tuple[int, int], tuple[int, int, str]] = {}
    for use in walk(src).images:
        scale = scales.get(use.page - 1)
        if scale is None or use.inline or use.image_mask or not use.objgen or use.objgen == (0, 0):
            continue
        pw, ph = use.placed_size
        w = max(1, math.ceil(pw * scale / 72 * PROOF_PPI))
        h = max(1, math.ceil(ph * scale / 72 * PROOF_PPI))
        have = want.get(use.objgen)
        if have is None or w > have[0]:
            want[use.objgen] = (w, h, use.colorspace.family)
    done = 0
    for objgen, (w, h, family) in want.items():
        obj = src.get_object(objgen)
        if int(obj.get("/Width", 0)) > w * 1.2 and _resample(obj, (w, h), family):
            done += 1
    return done


def _images_outside(ops: list, res, region: tuple[float, float, float, float]) -> set[int]:
    """Indexes in ``ops`` (a page's parsed content) of the ``Do`` operators drawing an image that
    lies wholly outside ``region`` (x0, y0, x1, y1 in the page's space)."""
    from layout.finish.pdfwalk import IDENTITY, mul

    xobjs = res.get("/XObject") if isinstance(res, Dictionary) else None
    if not isinstance(xobjs, Dictionary):
        return set()
    out: set[int] = set()
    ctm, stack = IDENTITY, []
    for i, (operands, op) in enumerate(ops):
        name = str(op)
        if name == "q":
            stack.append(ctm)
        elif name == "Q":
            ctm = stack.pop() if stack else IDENTITY
        elif name == "cm" and len(operands) == 6:
            ctm = mul(tuple(float(v) for v in operands), ctm)
        elif name == "Do" and operands and operands[0] in xobjs and xobjs[operands[0]].get("/Subtype") == Name.Image:
            a, b, c, d, e, f = ctm
            xs, ys = (e, e + a, e + c, e + a + c), (f, f + b, f + d, f + b + d)
            if max(xs) < region[0] or min(xs) > region[2] or max(ys) < region[1] or min(ys) > region[3]:
                out.add(i)
    return out


# -- sheets --------------------------------------------------------------------------------------


def _crop_marks(ops: _Ops, x0: float, y0: float, x1: float, y1: float) -> None:
    for x, sx in ((x0, -1), (x1, 1)):
        for y, sy in ((y0, -1), (y1, 1)):
            ops.line(x + sx * MARK_GAP, y, x + sx * (MARK_GAP + MARK_LEN), y)
            ops.line(x, y + sy * MARK_GAP, x, y + sy * (MARK_GAP + MARK_LEN))


def _fit_sheet(ref: PageRef, sheet: Sheet) -> tuple[float, float, _Ops, Placement]:
    tx0, ty0, tx1, ty1 = ref.trim
    tw, th = tx1 - tx0, ty1 - ty0
    w, h, s = fit_layout(tw, th, sheet)
    pw, ph = tw * s, th * s
    x0 = (w - pw) / 2
    y0 = MARGIN + LINE + BAND + (h - 2 * (MARGIN + LINE + BAND) - ph) / 2
    ops = _Ops()
    ops.place((s, 0, 0, s, x0 - s * tx0, y0 - s * ty0))
    _crop_marks(ops, x0, y0, x0 + pw, y0 + ph)
    pct = round(s * 100)
    head = f"p{ref.number} · {ref.name} · fitted to {sheet.name}"
    ops.text(MARGIN, h - MARGIN - LABEL_SIZE, head, bold=True)
    ops.text(w - MARGIN, h - MARGIN - LABEL_SIZE, f"scale {pct} % · trim {tw / MM:.0f} x {th / MM:.0f} mm",
             bold=True, align="right")
    # the slug's parts Helvetica can set (a Chinese paper name is on the page itself)
    slug = " · ".join(p for p in (ref.slug or f"{ref.name} · page {ref.number}").split(" · ") if _latin(p).strip())
    ops.text(MARGIN, MARGIN + 1 * MM, "slug: " + slug)
    ops.text(w - MARGIN, MARGIN + 1 * MM, "broadsheet proof, not for press", align="right")
    return w, h, ops, Placement(ref.number, "fit", w, h, scale=s, label=f"{head} · scale {pct} %"), None


def _tile_sheets(ref: PageRef, sheet: Sheet, overlap: float) -> list[tuple[float, float, _Ops, Placement, tuple]]:
    tx0, ty0, tx1, ty1 = ref.trim
    tw, th = tx1 - tx0, ty1 - ty0
    w, h, cols, rows, cw, ch = tile_layout(tw, th, sheet, overlap)
    n = cols * rows
    cx0, cy1 = MARGIN, h - MARGIN - LINE  # the tile area's top-left on the sheet
    out = []
    for r in range(rows):
        for c in range(cols):
            i = r * cols + c + 1
            px0, py0 = c * (cw - overlap), r * (ch - overlap)  # the piece, from the trim's top-left, y down

            def sx(X: float) -> float:
                return cx0 + X - px0

            def sy(Y: float) -> float:
                return cy1 - (Y - py0)

            ops = _Ops()
            clip = (cx0, cy1 - ch, cw, ch)
            ops.place((1, 0, 0, 1, sx(0) - tx0, sy(0) - ty1), clip)
            # the trim's edges where they cross this piece
            ops.out.append(f"q {' '.join(_num(v) for v in clip)} re W n")
            ops.rect(sx(0), sy(th), tw, th, grey=0.5)
            # overlaps: where the neighbour's piece begins (dashed) and targets on the same spot
            # of the page on both pieces
            if c + 1 < cols:  # right neighbour: it begins at X = (c+1)(cw-o)
                xb = (c + 1) * (cw - overlap)
                ops.line(sx(xb), sy(py0), sx(xb), sy(py0 + ch), dash="[3 2] 0", halo=True)
                for f in (0.2, 0.5, 0.8):
                    ops.target(sx(xb + overlap / 2), sy(py0 + ch * f))
            if c > 0:  # left neighbour: it ends at X = c(cw-o) + o
                xe = c * (cw - overlap) + overlap
                ops.line(sx(xe), sy(py0), sx(xe), sy(py0 + ch), dash="[3 2] 0", halo=True)
                for f in (0.2, 0.5, 0.8):
                    ops.target(sx(xe - overlap / 2), sy(py0 + ch * f))
            if r + 1 < rows:
                yb = (r + 1) * (ch - overlap)
                ops.line(sx(px0), sy(yb), sx(px0 + cw), sy(yb), dash="[3 2] 0", halo=True)
                for f in (0.2, 0.5, 0.8):
                    ops.target(sx(px0 + cw * f), sy(yb + overlap / 2))
            if r > 0:
                ye = r * (ch - overlap) + overlap
                ops.line(sx(px0), sy(ye), sx(px0 + cw), sy(ye), dash="[3 2] 0", halo=True)
                for f in (0.2, 0.5, 0.8):
                    ops.target(sx(px0 + cw * f), sy(ye - overlap / 2))
            ops.out.append("Q")
            label = f"p{ref.number} · tile {i}/{n} · row {r + 1} col {c + 1}"
            ops.text(MARGIN, h - MARGIN - LABEL_SIZE, label, bold=True)
            joins = [f"{side} tile {j}" for side, j, ok in (
                ("left:", i - 1, c > 0), ("right:", i + 1, c + 1 < cols),
                ("above:", i - cols, r > 0), ("below:", i + cols, r + 1 < rows)) if ok]
            right = f"{ref.name} · {sheet.name} 1:1 · {overlap / MM:g} mm overlaps" + (" · " + ", ".join(joins) if joins else "")
            ops.text(w - MARGIN, h - MARGIN - LABEL_SIZE, right, align="right")
            region = (tx0 + px0, ty1 - py0 - ch, tx0 + px0 + cw, ty1 - py0)  # the piece, in the page's space
            out.append((w, h, ops, Placement(ref.number, "tile", w, h, tile=i, tiles=n, row=r + 1, col=c + 1,
                                             rows=rows, cols=cols, label=label), region))
    return out


def impose(pages: list[PageRef], sheet: Sheet, out: Path, *, tile: bool = False, overlap: float = OVERLAP,
           guides: bool = False, title: str = "") -> Imposed:
    """Write the sheets for ``pages`` (in the order given) to ``out``: one fitted sheet per page,
    or its tiles. Non-printing layers are cut out unless ``guides`` (which keeps Guides)."""
    dst = pikepdf.new()
    font = dst.make_indirect(Dictionary(Type=Name.Font, Subtype=Name.Type1, BaseFont=Name.Helvetica,
                                        Encoding=Name.WinAnsiEncoding))
    bold = dst.make_indirect(Dictionary(Type=Name.Font, Subtype=Name.Type1, BaseFont=Name("/Helvetica-Bold"),
                                        Encoding=Name.WinAnsiEncoding))
    result = Imposed(str(out), sheet)
    opened: dict[str, pikepdf.Pdf] = {}
    try:
        scales: dict[str, dict[int, float]] = {}
        for ref in pages:  # the sources, opened once each (read, never saved), photos at proof resolution
            if ref.pdf not in opened:
                opened[ref.pdf] = pikepdf.open(ref.pdf)
            tw, th = ref.trim[2] - ref.trim[0], ref.trim[3] - ref.trim[1]
            scale = 1.0 if tile else fit_layout(tw, th, sheet)[2]
            by_page = scales.setdefault(ref.pdf, {})
            by_page[ref.index] = max(scale, by_page.get(ref.index, 0.0))
        for path, by_page in scales.items():
            result.images_resampled += _proof_images(opened[path], by_page)
        for ref in pages:
            src = opened[ref.pdf]
            hidden, kept = _hidden_groups(src, guides)
            form = src.pages[ref.index].as_form_xobject()  # BBox: the TrimBox
            form.BBox = Array(list(ref.trim))
            result.guides_removed += strip_hidden(form, hidden, kept)
            form = dst.copy_foreign(form)
            made = _tile_sheets(ref, sheet, overlap) if tile else [_fit_sheet(ref, sheet)]
            content = pikepdf.parse_content_stream(form) if tile else None
            for w, h, ops, placement, region in made:
                drawn = form
                if region is not None:  # a tile: the page less the photos wholly outside its piece
                    skip = _images_outside(content, form.get("/Resources"), region)
                    if skip:
                        drawn = dst.make_stream(pikepdf.unparse_content_stream(
                            [o for i, o in enumerate(content) if i not in skip]))
                        for key in ("/Type", "/Subtype", "/BBox", "/Matrix", "/Resources", "/Group"):
                            if key in form:
                                drawn[key] = form[key]
                pg = dst.add_blank_page(page_size=(w, h))
                pg.obj.Resources = Dictionary(XObject=Dictionary(P=drawn), Font=Dictionary(F=font, FB=bold))
                pg.obj.Contents = dst.make_stream(ops.bytes())
                result.placements.append(placement)
        dst.docinfo[Name.Title] = title or "broadsheet proof"
        dst.docinfo[Name.Creator] = "broadsheet print"
        dst.save(out, deterministic_id=True)
    finally:
        for pdf in opened.values():
            pdf.close()
    return result
