"""Walk a PDF the way a RIP would: what colour spaces are painted, which images are placed at what
size, which fonts exist and whether they are embedded, where transparency is.

Shared by :mod:`layout.finish.pdfx` (which refuses to tag a file that breaks PDF/X) and
:mod:`layout.preflight` (which reports on any PDF, ours or an advertiser's). It works on the
content streams themselves rather than on resource dictionaries alone, because resources list what
*may* be used (and ReportLab-style writers share them), while the press cares about what is
painted, and an image's resolution only exists as pixels per *placed* inch: the current
transformation matrix at the ``Do`` that draws it, through any nesting of Form XObjects.

Text is followed the same way when asked (``walk(pdf, small_text=8)``): each text-showing
operator under that size, at its effective size (font size through the text and current
matrices), with its origin on the page and the inks it is filled with, so preflight can warn of
small text in several inks (misregistration blurs it) or reversed out of ink (white). Images
carry where they come from when broadsheet wrote them (``/BSFile``, ``/BSWhere``, ``/BSAt``).
"""

from __future__ import annotations

import math
import re

import pikepdf
from pikepdf import Array, Dictionary, Name, Stream

from msgspec import Struct, field

Matrix = tuple[float, float, float, float, float, float]
IDENTITY: Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
PROCESS = ("C", "M", "Y", "K")
SUBSET_RE = re.compile(r"^[A-Z]{6}\+")

# colour space families that put RGB on a press (a RIP converts them with a profile it chooses)
RGB_FAMILIES = {"DeviceRGB", "CalRGB", "ICCBased-RGB"}


def mul(m: Matrix, n: Matrix) -> Matrix:
    """m x n for PDF row-vector matrices: apply m first, then n (``cm`` sets CTM = M x CTM)."""
    a, b, c, d, e, f = m
    A, B, C, D, E, F = n
    return (a * A + b * C, a * B + b * D, c * A + d * C, c * B + d * D,
            e * A + f * C + E, e * B + f * D + F)


class ColorSpace(Struct, frozen=True):
    """A colour space reduced to what preflight needs.

    ``family``: DeviceGray, DeviceRGB, DeviceCMYK, CalGray, CalRGB, Lab, ICCBased-Gray,
    ICCBased-RGB, ICCBased-CMYK, Indexed, Separation, DeviceN, Pattern, or Unknown.
    ``base`` is the base (Indexed) or alternate (Separation/DeviceN) family; ``names`` the
    colorant names of a Separation/DeviceN.
    """

    family: str
    n: int = 0
    base: str = ""
    names: tuple[str, ...] = ()

    @property
    def is_rgb(self) -> bool:
        return self.family in RGB_FAMILIES or (self.family == "Indexed" and self.base in RGB_FAMILIES)

    @property
    def label(self) -> str:
        if self.family in ("Indexed", "Pattern") and self.base:
            return f"{self.family}({self.base})"
        if self.family in ("Separation", "DeviceN"):
            return f"{self.family}({','.join(self.names)}; alt {self.base})"
        return self.family

    def plates(self, values: tuple[float, ...] = ()) -> set[str]:
        """Plates that a colour with ``values`` in this space inks (empty values: all it can)."""
        f = self.family
        if f in ("DeviceGray", "CalGray", "ICCBased-Gray"):
            return {"K"} if not values or values[0] < 1 else set()
        if f in ("DeviceCMYK", "ICCBased-CMYK"):
            if not values:
                return set(PROCESS)
            return {p for p, v in zip(PROCESS, values) if v > 0}
        if f in ("Separation", "DeviceN"):
            out: set[str] = set()
            vals = values or (1.0,) * len(self.names)
            for nm, v in zip(self.names, vals):
                if v <= 0 or nm == "None":
                    continue
                if nm == "All":
                    out |= set(PROCESS)
                else:
                    out.add({"Cyan": "C", "Magenta": "M", "Yellow": "Y", "Black": "K"}.get(nm, nm))
            return out
        if self.is_rgb or f == "Lab":
            return {"RGB" if self.is_rgb else "Lab"}
        return {"?"}


_INLINE_ABBREV = {"G": "DeviceGray", "RGB": "DeviceRGB", "CMYK": "DeviceCMYK", "I": "Indexed"}
_ICC_FAMILY = {1: "ICCBased-Gray", 3: "ICCBased-RGB", 4: "ICCBased-CMYK"}
_NCOMP = {"DeviceGray": 1, "DeviceRGB": 3, "DeviceCMYK": 4, "CalGray": 1, "CalRGB": 3, "Lab": 3}


def describe_cs(obj, resources=None, _depth: int = 0) -> ColorSpace:
    """Resolve a colour space operand/entry (a name, a resource name or an array)."""
    if obj is None or _depth > 8:
        return ColorSpace("Unknown")
    if isinstance(obj, Name):
        s = str(obj)[1:]
        s = _INLINE_ABBREV.get(s, s)
        if s in ("DeviceGray", "DeviceRGB", "DeviceCMYK"):
            # a Default* colour space in the resources re-characterises device colour
            if resources is not None and "/ColorSpace" in resources:
                dflt = resources.ColorSpace.get("/Default" + s[6:])
                if dflt is not None:
                    inner = describe_cs(dflt, None, _depth + 1)
                    return inner
            return ColorSpace(s, _NCOMP[s])
        if s == "Pattern":
            return ColorSpace("Pattern")
        if resources is not None and "/ColorSpace" in resources and obj in resources.ColorSpace:
            return describe_cs(resources.ColorSpace[obj], resources, _depth + 1)
        return ColorSpace("Unknown", 0, s)
    if isinstance(obj, Array) and len(obj) > 0:
        kind = str(obj[0])[1:]
        if kind == "ICCBased":
            n = int(obj[1].get("/N", 0))
            return ColorSpace(_ICC_FAMILY.get(n, f"ICCBased-{n}"), n)
        if kind in ("CalRGB", "CalGray", "Lab"):
            return ColorSpace(kind, _NCOMP[kind])
        if kind in ("Indexed", "I"):
            base = describe_cs(obj[1], resources, _depth + 1)
            return ColorSpace("Indexed", 1, base.family)
        if kind == "Separation":
            alt = describe_cs(obj[2], resources, _depth + 1)
            return ColorSpace("Separation", 1, alt.family, (str(obj[1])[1:],))
        if kind == "DeviceN":
            names = tuple(str(x)[1:] for x in obj[1])
            alt = describe_cs(obj[2], resources, _depth + 1)
            return ColorSpace("DeviceN", len(names), alt.family, names)
        if kind == "Pattern":
            base = describe_cs(obj[1], resources, _depth + 1) if len(obj) > 1 else ColorSpace("")
            return ColorSpace("Pattern", 0, base.family)
        if len(obj) == 1:
            return describe_cs(obj[0], resources, _depth + 1)
    return ColorSpace("Unknown")


class ImageUse(Struct, dict=True):
    """One placement of an image (the same XObject drawn twice is two uses)."""

    page: int  # 1-based
    name: str
    width: int
    height: int
    bpc: int
    colorspace: ColorSpace
    ctm: Matrix
    filters: tuple[str, ...] = ()
    image_mask: bool = False
    smask: bool = False
    inline: bool = False
    objgen: tuple[int, int] | None = None
    file: str = ""  # /BSFile: the picture's file as content.yaml names it (broadsheet's files)
    where: str = ""  # /BSWhere: the article and photo, or the ad
    at: str = ""  # /BSAt: the data path in content.yaml

    @property
    def bbox(self) -> tuple[float, float, float, float]:
        """The placed image's bounding box in the page's default user space (points)."""
        return _unit_box(self.ctm)

    @property
    def placed_size(self) -> tuple[float, float]:
        """Width and height in points of the unit square under the CTM."""
        a, b, c, d, _, _ = self.ctm
        return math.hypot(a, b), math.hypot(c, d)

    @property
    def ppi(self) -> tuple[float, float]:
        w, h = self.placed_size
        return (self.width * 72 / w if w else 0.0, self.height * 72 / h if h else 0.0)


def _unit_box(m: Matrix) -> tuple[float, float, float, float]:
    a, b, c, d, e, f = m
    xs, ys = (e, e + a, e + c, e + a + c), (f, f + b, f + d, f + b + d)
    return min(xs), min(ys), max(xs), max(ys)


class TextUse(Struct, dict=True):
    """One text-showing operator (``Tj``, ``TJ``, ``'``, ``"``) under the walk's size limit."""

    page: int
    x: float  # origin of its first glyph, in the page's default user space (points)
    y: float
    size: float  # effective size in points: the font size through the text and current matrices
    inks: tuple[str, ...]  # plates the text is painted on (C, M, Y, K, spot names), in plate order
    reversed: bool  # filled with no ink at all: white, knocked out of whatever lies beneath
    font: tuple[int, int] | None  # the font's object (for :func:`text_of`)
    raw: bytes = b""  # the string operands as written (codes of the font's encoding)


class FontInfo(Struct, dict=True):
    name: str
    subtype: str
    embedded: bool
    subset: bool
    objgen: tuple[int, int]
    pages: set[int] = field(default_factory=set)
    used: bool = False


class Walk(Struct, dict=True):
    """Everything the walk found, per file."""

    pages: int = 0
    images: list[ImageUse] = field(default_factory=list)
    fonts: dict[tuple[int, int], FontInfo] = field(default_factory=dict)
    # colour space label -> pages on which something was painted in it
    painted: dict[str, set[int]] = field(default_factory=dict)
    painted_cs: dict[str, ColorSpace] = field(default_factory=dict)
    text_plates: set[str] = field(default_factory=set)
    transparency: list[str] = field(default_factory=list)
    transfer: list[str] = field(default_factory=list)
    filters: dict[str, set[int]] = field(default_factory=dict)
    spots: set[str] = field(default_factory=set)
    problems: list[str] = field(default_factory=list)  # streams that could not be parsed
    texts: list[TextUse] = field(default_factory=list)  # text under ``small_text`` pt, when asked

    @property
    def rgb_uses(self) -> list[str]:
        out = []
        for label, cs in self.painted_cs.items():
            if cs.is_rgb:
                out.append(f"{label} painted on page(s) {_pages(self.painted[label])}")
        for im in self.images:
            if im.colorspace.is_rgb:
                out.append(f"image {im.name} on page {im.page} is {im.colorspace.label}")
        return out


def _pages(pages) -> str:
    return ",".join(str(p) for p in sorted(pages))


def inherited(page_obj, key: str):
    """A page attribute, looked up through the /Parent chain (MediaBox, CropBox, Resources)."""
    node, depth = page_obj, 0
    while node is not None and depth < 64:
        if key in node:
            return node[key]
        node = node.get("/Parent")
        depth += 1
    return None


def font_info(font) -> FontInfo:
    subtype = str(font.get("/Subtype", "/?"))[1:]
    base = str(font.get("/BaseFont", "/[none]"))[1:]
    desc = None
    if subtype == "Type0":
        desc_fonts = font.get("/DescendantFonts")
        if desc_fonts is not None and len(desc_fonts):
            desc = desc_fonts[0].get("/FontDescriptor")
            subtype = "Type0/" + str(desc_fonts[0].get("/Subtype", "/?"))[1:]
    else:
        desc = font.get("/FontDescriptor")
    if subtype == "Type3":
        embedded = True
    else:
        embedded = desc is not None and any(k in desc for k in ("/FontFile", "/FontFile2", "/FontFile3"))
    return FontInfo(base, subtype, embedded, bool(SUBSET_RE.match(base)), font.objgen)


class _State:
    __slots__ = ("ctm", "fill_cs", "fill", "stroke_cs", "stroke", "tr", "font", "font_size", "leading")

    def __init__(self):
        self.ctm = IDENTITY
        self.fill_cs = ColorSpace("DeviceGray", 1)
        self.fill: tuple[float, ...] = (0.0,)
        self.stroke_cs = ColorSpace("DeviceGray", 1)
        self.stroke: tuple[float, ...] = (0.0,)
        self.tr = 0
        self.font = None  # the font dictionary of the last Tf
        self.font_size = 0.0
        self.leading = 0.0

    def copy(self) -> "_State":
        s = _State()
        s.ctm, s.fill_cs, s.fill = self.ctm, self.fill_cs, self.fill
        s.stroke_cs, s.stroke, s.tr = self.stroke_cs, self.stroke, self.tr
        s.font, s.font_size, s.leading = self.font, self.font_size, self.leading
        return s


_FILL_OPS = {"f", "F", "f*"}
_STROKE_OPS = {"S", "s"}
_BOTH_OPS = {"B", "B*", "b", "b*"}
_TEXT_OPS = {"Tj", "TJ", "'", '"'}


def _nums(operands) -> tuple[float, ...]:
    out = []
    for o in operands:
        try:
            out.append(float(o))
        except (TypeError, ValueError):
            pass
    return tuple(out)


def _filters(stream) -> tuple[str, ...]:
    f = stream.get("/Filter")
    if f is None:
        return ()
    if isinstance(f, Array):
        return tuple(str(x)[1:] for x in f)
    return (str(f)[1:],)


class Walker:
    def __init__(self, pdf: pikepdf.Pdf, small_text: float = 0.0):
        self.pdf = pdf
        self.small_text = small_text
        self.w = Walk()
        self._seen_gs: set = set()
        self._seen_tiling: set = set()

    # -- resources -------------------------------------------------------------------------
    def _scan_resources(self, res, page_no: int) -> None:
        """Fonts and graphics states declared in a resource dictionary (each font and indirect
        graphics state is recorded once)."""
        if res is None:
            return
        fonts = res.get("/Font")
        if fonts is not None:
            for _, font in fonts.items():
                if not isinstance(font, Dictionary):
                    continue
                og = font.objgen
                info = self.w.fonts.get(og) if og != (0, 0) else None
                if info is None:
                    info = font_info(font)
                    self.w.fonts[og if og != (0, 0) else (-len(self.w.fonts) - 1, 0)] = info
                    if info.subtype == "Type3" and "/Resources" in font:
                        self._scan_resources(font.Resources, page_no)
                info.pages.add(page_no)
        gstates = res.get("/ExtGState")
        if gstates is not None:
            for nm, gs in gstates.items():
                self._check_gs(nm, gs, page_no)

    def _check_gs(self, nm, gs, page_no: int) -> None:
        if not isinstance(gs, Dictionary):
            return
        key = gs.objgen if gs.is_indirect else (nm, page_no)
        if key in self._seen_gs:
            return
        self._seen_gs.add(key)
        where = f"ExtGState {nm} (page {page_no})"
        sm = gs.get("/SMask")
        if sm is not None and not (isinstance(sm, Name) and sm == Name("/None")):
            self.w.transparency.append(f"{where}: soft mask /SMask")
        for k in ("/CA", "/ca"):
            if k in gs and float(gs[k]) < 1:
                self.w.transparency.append(f"{where}: {k[1:]}={float(gs[k]):g}")
        bm = gs.get("/BM")
        if bm is not None:
            modes = [str(x) for x in bm] if isinstance(bm, Array) else [str(bm)]
            if any(m not in ("/Normal", "/Compatible") for m in modes):
                self.w.transparency.append(f"{where}: blend mode {','.join(modes)}")
        for k in ("/TR", "/TR2"):
            if k in gs and not (isinstance(gs[k], Name) and gs[k] == Name("/Default")):
                self.w.transfer.append(f"{where}: transfer function {k[1:]}")

    # -- painting records -------------------------------------------------------------------
    def _paint(self, cs: ColorSpace, page_no: int, values=()) -> None:
        label = cs.label
        self.w.painted.setdefault(label, set()).add(page_no)
        self.w.painted_cs.setdefault(label, cs)
        if cs.family in ("Separation", "DeviceN"):
            for nm in cs.names:
                if nm not in ("All", "None", "Cyan", "Magenta", "Yellow", "Black"):
                    self.w.spots.add(nm)

    def _paint_with(self, cs: ColorSpace, values, page_no: int, res, st: _State, fill: bool) -> None:
        if cs.family == "Pattern" and values is not None:
            self._paint_pattern(values, page_no, res, st)
            return
        self._paint(cs, page_no, values)

    def _paint_pattern(self, values, page_no, res, st: _State) -> None:
        name = values[-1] if values and isinstance(values[-1], Name) else None
        pats = res.get("/Pattern") if res is not None else None
        if name is None or pats is None or name not in pats:
            self._paint(ColorSpace("Pattern"), page_no)
            return
        pat = pats[name]
        if int(pat.get("/PatternType", 0)) == 2:
            sh = pat.get("/Shading")
            if sh is not None:
                self._paint(describe_cs(sh.get("/ColorSpace"), res), page_no)
            gs = pat.get("/ExtGState")
            if gs is not None:
                self._check_gs(name, gs, page_no)
        elif isinstance(pat, Stream) and pat.objgen not in self._seen_tiling:
            self._seen_tiling.add(pat.objgen)
            m = tuple(float(x) for x in pat.get("/Matrix", [1, 0, 0, 1, 0, 0]))
            self._walk_stream(pat, pat.get("/Resources", res), page_no, mul(m, IDENTITY), [pat.objgen])

    def _text(self, st: _State, page_no: int, res, tm: Matrix = IDENTITY, operands=()) -> None:
        if st.tr in (3, 7):
            return
        if self.small_text > 0:
            self._text_use(st, page_no, tm, operands)
        if st.tr in (0, 2, 4, 6):
            self.w.text_plates |= st.fill_cs.plates(st.fill)
            self._paint_with(st.fill_cs, st.fill, page_no, res, st, True)
        if st.tr in (1, 2, 5, 6):
            self.w.text_plates |= st.stroke_cs.plates(st.stroke)
            self._paint_with(st.stroke_cs, st.stroke, page_no, res, st, False)

    def _text_use(self, st: _State, page_no: int, tm: Matrix, operands) -> None:
        m = mul(tm, st.ctm)
        size = abs(st.font_size) * math.hypot(m[2], m[3])
        if not 0 < size < self.small_text:
            return
        inks: set[str] = set()
        fills = st.tr in (0, 2, 4, 6)
        if fills:
            inks |= st.fill_cs.plates(st.fill)
        if st.tr in (1, 2, 5, 6):
            inks |= st.stroke_cs.plates(st.stroke)
        raw = b""
        for o in operands:
            if isinstance(o, pikepdf.String):
                raw += bytes(o)
            elif isinstance(o, Array):
                raw += b"".join(bytes(x) for x in o if isinstance(x, pikepdf.String))
        font = st.font.objgen if isinstance(st.font, Dictionary) else None
        order = {p: i for i, p in enumerate(PROCESS)}
        self.w.texts.append(TextUse(page_no, m[4], m[5], round(size, 3),
                                    tuple(sorted(inks, key=lambda p: (order.get(p, 9), p))),
                                    fills and not inks and st.fill_cs.family != "Pattern", font, raw))

    # -- images -----------------------------------------------------------------------------
    def _image(self, name: str, xobj, st: _State, page_no: int, res) -> None:
        mask = bool(xobj.get("/ImageMask", False))
        cs = ColorSpace("DeviceGray", 1) if mask else describe_cs(xobj.get("/ColorSpace"), res)
        filters = _filters(xobj)
        if "JPXDecode" in filters and "/ColorSpace" not in xobj:
            cs = ColorSpace("JPX-embedded")
        smask = "/SMask" in xobj or int(xobj.get("/SMaskInData", 0)) > 0
        use = ImageUse(page_no, name, int(xobj.get("/Width", 0)), int(xobj.get("/Height", 0)),
                       int(xobj.get("/BitsPerComponent", 1 if mask else 8)), cs, st.ctm, filters,
                       mask, smask, False, xobj.objgen, _text_key(xobj, "/BSFile"),
                       _text_key(xobj, "/BSWhere"), _text_key(xobj, "/BSAt"))
        self.w.images.append(use)
        for f in filters:
            self.w.filters.setdefault(f, set()).add(page_no)
        if smask:
            self.w.transparency.append(f"image {name} on page {page_no}: soft mask")
        if mask:
            self._paint_with(st.fill_cs, st.fill, page_no, res, st, True)
        elif cs.family in ("Separation", "DeviceN"):
            self._paint(cs, page_no)

    def _inline_image(self, iimage, st: _State, page_no: int, res) -> None:
        try:
            mask = bool(iimage.image_mask)
            cs_obj = iimage.obj.get("/ColorSpace", iimage.obj.get("/CS"))
            cs = ColorSpace("DeviceGray", 1) if mask else describe_cs(cs_obj, res)
            filters = tuple(str(f)[1:] for f in (iimage.filters or []))
            use = ImageUse(page_no, "(inline)", int(iimage.width), int(iimage.height),
                           int(iimage.bits_per_component or 8), cs, st.ctm, filters, mask,
                           False, True)
        except Exception as e:  # noqa: BLE001 - a broken inline image is reported, not fatal
            self.w.problems.append(f"inline image on page {page_no}: {e}")
            return
        self.w.images.append(use)
        if mask:
            self._paint_with(st.fill_cs, st.fill, page_no, res, st, True)

    # -- content streams --------------------------------------------------------------------
    def _walk_stream(self, stream, res, page_no: int, ctm: Matrix, stack: list) -> None:
        self._scan_resources(res, page_no)
        try:
            ops = pikepdf.parse_content_stream(stream)
        except Exception as e:  # noqa: BLE001
            self.w.problems.append(f"page {page_no}: content stream unreadable: {e}")
            return
        st = _State()
        st.ctm = ctm
        stack_st: list[_State] = []
        tm = tlm = IDENTITY  # the text and text line matrices (not part of the graphics state)
        for operands, op in ops:
            op = str(op)
            if op == "q":
                stack_st.append(st.copy())
            elif op == "Q":
                if stack_st:
                    st = stack_st.pop()
            elif op == "cm":
                m = _nums(operands)
                if len(m) == 6:
                    st.ctm = mul(m, st.ctm)  # type: ignore[arg-type]
            elif op in ("g", "G", "rg", "RG", "k", "K"):
                fam = {"g": "DeviceGray", "rg": "DeviceRGB", "k": "DeviceCMYK"}[op.lower()]
                cs = ColorSpace(fam, _NCOMP[fam])
                if op.islower():
                    st.fill_cs, st.fill = cs, _nums(operands)
                else:
                    st.stroke_cs, st.stroke = cs, _nums(operands)
            elif op in ("cs", "CS"):
                cs = describe_cs(operands[0] if operands else None, res)
                init = (0.0,) * max(cs.n, 1) if cs.family not in ("DeviceCMYK", "ICCBased-CMYK") else (0, 0, 0, 1.0)
                if cs.family in ("Separation", "DeviceN"):
                    init = (1.0,) * max(cs.n, 1)
                if op == "cs":
                    st.fill_cs, st.fill = cs, init
                else:
                    st.stroke_cs, st.stroke = cs, init
            elif op in ("sc", "scn"):
                st.fill = tuple(operands) if st.fill_cs.family == "Pattern" else _nums(operands)
            elif op in ("SC", "SCN"):
                st.stroke = tuple(operands) if st.stroke_cs.family == "Pattern" else _nums(operands)
            elif op in _FILL_OPS:
                self._paint_with(st.fill_cs, st.fill, page_no, res, st, True)
            elif op in _STROKE_OPS:
                self._paint_with(st.stroke_cs, st.stroke, page_no, res, st, False)
            elif op in _BOTH_OPS:
                self._paint_with(st.fill_cs, st.fill, page_no, res, st, True)
                self._paint_with(st.stroke_cs, st.stroke, page_no, res, st, False)
            elif op == "Tr":
                n = _nums(operands)
                st.tr = int(n[0]) if n else 0
            elif op in _TEXT_OPS:
                if op in ("'", '"'):  # move to the next line first
                    tm = tlm = mul((1, 0, 0, 1, 0, -st.leading), tlm)
                self._text(st, page_no, res, tm, operands[-1:] if op in ("'", '"') else operands)
            elif op == "BT":
                tm = tlm = IDENTITY
            elif op == "Tm":
                m = _nums(operands)
                if len(m) == 6:
                    tm = tlm = m  # type: ignore[assignment]
            elif op in ("Td", "TD"):
                m = _nums(operands)
                if len(m) == 2:
                    if op == "TD":
                        st.leading = -m[1]
                    tm = tlm = mul((1, 0, 0, 1, m[0], m[1]), tlm)
            elif op == "T*":
                tm = tlm = mul((1, 0, 0, 1, 0, -st.leading), tlm)
            elif op == "TL":
                m = _nums(operands)
                st.leading = m[0] if m else st.leading
            elif op == "Tf":
                if len(operands) > 1:
                    m = _nums(operands[1:])
                    st.font_size = m[0] if m else st.font_size
                if operands and res is not None and "/Font" in res and operands[0] in res.Font:
                    f = res.Font[operands[0]]
                    st.font = f
                    info = self.w.fonts.get(f.objgen)
                    if info is not None:
                        info.used = True
            elif op == "gs":
                if operands and res is not None and "/ExtGState" in res and operands[0] in res.ExtGState:
                    self._check_gs(operands[0], res.ExtGState[operands[0]], page_no)
            elif op == "sh":
                shs = res.get("/Shading") if res is not None else None
                if operands and shs is not None and operands[0] in shs:
                    self._paint(describe_cs(shs[operands[0]].get("/ColorSpace"), res), page_no)
            elif op == "Do":
                xobjs = res.get("/XObject") if res is not None else None
                if not operands or xobjs is None or operands[0] not in xobjs:
                    continue
                nm = operands[0]
                xobj = xobjs[nm]
                sub = xobj.get("/Subtype")
                if sub == Name.Image:
                    self._image(str(nm)[1:], xobj, st, page_no, res)
                elif sub == Name.Form:
                    if xobj.objgen in stack or len(stack) > 32:
                        continue
                    grp = xobj.get("/Group")
                    if grp is not None and grp.get("/S") == Name.Transparency:
                        self.w.transparency.append(f"form {nm} on page {page_no}: transparency group")
                    m = tuple(float(x) for x in xobj.get("/Matrix", [1, 0, 0, 1, 0, 0]))
                    self._walk_stream(xobj, xobj.get("/Resources", res), page_no,
                                      mul(m, st.ctm), stack + [xobj.objgen])  # type: ignore[arg-type]
            elif op == "INLINE IMAGE":
                self._inline_image(operands[0], st, page_no, res)

    def walk(self) -> Walk:
        for i, page in enumerate(self.pdf.pages, start=1):
            self.w.pages = i
            obj = page.obj
            res = inherited(obj, "/Resources")
            grp = obj.get("/Group")
            if grp is not None and grp.get("/S") == Name.Transparency:
                self.w.transparency.append(f"page {i}: page transparency group")
            if "/Contents" in obj:
                self._walk_stream(page, res, i, IDENTITY, [])
            else:
                self._scan_resources(res, i)
            for annot in obj.get("/Annots", []) or []:
                ap = annot.get("/AP") if isinstance(annot, Dictionary) else None
                normal = ap.get("/N") if ap is not None else None
                if isinstance(normal, Stream):
                    self._scan_resources(normal.get("/Resources"), i)
        return self.w


def walk(pdf: pikepdf.Pdf, *, small_text: float = 0.0) -> Walk:
    """Walk every page. ``small_text``: also record text under that effective size (points)."""
    return Walker(pdf, small_text).walk()


def _text_key(obj, key: str) -> str:
    v = obj.get(key)
    return str(v) if isinstance(v, pikepdf.String) else ""


# -- text ------------------------------------------------------------------------------------------

_HEX = r"<([0-9A-Fa-f\s]*)>"


def _hex(s: str) -> bytes:
    return bytes.fromhex("".join(s.split()))


def _utf16(b: bytes) -> str:
    return b.decode("utf-16-be", "replace") if len(b) % 2 == 0 else b.decode("latin-1")


def to_unicode_map(cmap: bytes) -> tuple[dict[bytes, str], int]:
    """A ToUnicode CMap's bfchar and bfrange entries (code bytes -> text) and its code length."""
    data = cmap.decode("latin-1")
    out: dict[bytes, str] = {}
    lens = [len(_hex(lo)) for block in re.findall(r"begincodespacerange(.*?)endcodespacerange", data, re.S)
            for lo, _ in re.findall(_HEX + r"\s*" + _HEX, block)]
    for block in re.findall(r"beginbfchar(.*?)endbfchar", data, re.S):
        for src, dst in re.findall(_HEX + r"\s*" + _HEX, block):
            out[_hex(src)] = _utf16(_hex(dst))
    for block in re.findall(r"beginbfrange(.*?)endbfrange", data, re.S):
        for lo, hi, dst in re.findall(_HEX + r"\s*" + _HEX + r"\s*(\[[^\]]*\]|<[0-9A-Fa-f\s]*>)", block):
            lo_b, n = _hex(lo), len(_hex(lo))
            first, last = int.from_bytes(lo_b, "big"), int.from_bytes(_hex(hi), "big")
            if dst.startswith("["):
                for i, d in enumerate(re.findall(_HEX, dst)):
                    out[(first + i).to_bytes(n, "big")] = _utf16(_hex(d))
            else:
                base = _hex(dst[1:-1])
                start = int.from_bytes(base[-2:], "big") if len(base) >= 2 else 0
                for i in range(min(last - first + 1, 0x10000)):
                    out[(first + i).to_bytes(n, "big")] = _utf16(base[:-2] + ((start + i) & 0xFFFF).to_bytes(2, "big"))
    return out, (min(lens) if lens else 1)


def text_of(pdf: pikepdf.Pdf, use: TextUse, _maps: dict | None = None) -> str:
    """The text of a run, through its font's ToUnicode map (else the codes as Latin-1 for a
    simple font); unmapped codes become U+FFFD. ``_maps`` caches the parsed maps per font."""
    font = pdf.get_object(use.font) if use.font else None
    maps = _maps if _maps is not None else {}
    if use.font not in maps:
        table, n = {}, 1
        if font is not None and str(font.get("/Subtype", "")) == "/Type0":
            n = 2
        tu = font.get("/ToUnicode") if font is not None else None
        if isinstance(tu, Stream):
            try:
                table, n = to_unicode_map(tu.read_bytes())
            except Exception:  # noqa: BLE001 - a broken map: codes as they are
                table = {}
        maps[use.font] = (table, n)
    table, n = maps[use.font]
    out = []
    for i in range(0, len(use.raw), n):
        code = use.raw[i:i + n]
        out.append(table.get(code, code.decode("latin-1") if n == 1 and not table else "\ufffd"))
    return "".join(out)


# -- checks shared by the PDF/X rules and preflight ------------------------------------------------

BOX_TOL = 0.01


def box(obj) -> tuple[float, float, float, float] | None:
    if obj is None:
        return None
    x0, y0, x1, y1 = (float(v) for v in obj)
    return (min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1))


def inside(inner, outer, tol: float = BOX_TOL) -> bool:
    return (inner[0] >= outer[0] - tol and inner[1] >= outer[1] - tol
            and inner[2] <= outer[2] + tol and inner[3] <= outer[3] + tol)


def page_boxes(page_obj) -> dict[str, tuple[float, float, float, float] | None]:
    return {
        "MediaBox": box(inherited(page_obj, "/MediaBox")),
        "CropBox": box(inherited(page_obj, "/CropBox")),
        "BleedBox": box(page_obj.get("/BleedBox")),
        "TrimBox": box(page_obj.get("/TrimBox")),
        "ArtBox": box(page_obj.get("/ArtBox")),
    }


def box_problems(boxes: dict, page_no: int, *, require_bleed: bool = True) -> list[str]:
    """PDF/X box rules: a TrimBox, nested Trim <= Bleed <= Media (and within a CropBox)."""
    p = []
    media = boxes["MediaBox"]
    if media is None:
        return [f"page {page_no}: no MediaBox"]
    trim, bleed, crop = boxes["TrimBox"], boxes["BleedBox"], boxes["CropBox"]
    if trim is None:
        p.append(f"page {page_no}: no TrimBox")
    if bleed is None and require_bleed:
        p.append(f"page {page_no}: no BleedBox")
    if trim is not None and not inside(trim, media):
        p.append(f"page {page_no}: TrimBox {_fmt(trim)} is not inside the MediaBox {_fmt(media)}")
    if bleed is not None and not inside(bleed, media):
        p.append(f"page {page_no}: BleedBox {_fmt(bleed)} is not inside the MediaBox {_fmt(media)}")
    if trim is not None and bleed is not None and not inside(trim, bleed):
        p.append(f"page {page_no}: TrimBox {_fmt(trim)} is not inside the BleedBox {_fmt(bleed)}")
    if crop is not None and trim is not None and not inside(trim, crop):
        p.append(f"page {page_no}: TrimBox is not inside the CropBox {_fmt(crop)}")
    if trim is not None and boxes["ArtBox"] is not None:
        p.append(f"page {page_no}: both TrimBox and ArtBox")
    return p


def _fmt(b) -> str:
    return "[" + " ".join(f"{v:g}" for v in b) + "]"
