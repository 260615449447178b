"""Draw display-list pages into a PDF with ReportLab.

Every position comes from the display list; this module only converts coordinates (the display
list's y grows downwards from the trim's top-left, PDF's grows upwards from the MediaBox's
bottom-left) and writes operators. Text is written as one ``TJ`` array per run with explicit
adjustments, so the composer's spacing survives exactly and text extraction sees one run.
Colours are CMYK or Separation only; the PDF references no font it does not embed.
"""

from __future__ import annotations

import hashlib
import os
import threading
import zlib
from pathlib import Path
from typing import Protocol

from reportlab import rl_config
from reportlab.lib.colors import CMYKColor, CMYKColorSep
from reportlab.pdfbase import pdfdoc
from reportlab.pdfbase.pdfdoc import PDFImageXObject, PDFStream, PDFString
from reportlab.lib.rl_accel import fp_str
from reportlab.pdfgen.canvas import Canvas
from msgspec import Struct

from layout.display import Ellipse, Glyphs, Image, Line, Page, Polygon, Rect, Spot, Vector
from layout.render.embed import EmbeddedFace, Embedder, FontFiles, initial_font_name, run_pairs
from layout.render import segments
from layout.render.writer import save

rl_config.useA85 = 0  # JPEGs embedded as they are (DCT), smaller and faster

__all__ = ["FontFiles", "PictureFiles", "RenderOptions", "render"]


class PictureFiles(Protocol):
    """Where the renderer gets the prepared file of each picture of the display list."""

    def file_for(self, item: Image) -> Path: ...


class RenderOptions(Struct, frozen=True):
    press: bool = True  # False: proof (no marks, no bleed, MediaBox = trim)
    title: str = ""
    author: str = "broadsheet"
    identity: object | None = None  # a layout.finish.press.PressIdentity: write the file as PDF/X
    cache_dir: Path | None = None  # the cache root (layout.cache.usable_root); None: the default
    tagging: object | None = None  # a layout.structure.Tagger: a tagged PDF (each item marked, then the tree)


def _paint(canvas: Canvas, paint, fill: bool) -> None:
    if isinstance(paint, Spot):
        c, m, y, k = paint.cmyk
        col = CMYKColorSep(c, m, y, k, spotName=paint.name, density=paint.tint)
    else:
        c, m, y, k = paint
        col = CMYKColor(c, m, y, k)
    if fill:
        canvas.setFillColor(col)
    else:
        canvas.setStrokeColor(col)


#: a TJ adjustment smaller than this (1/1000 em) is left out: 0.05 units of a 9 pt face are
#: 0.00045 pt
_SLACK = 0.05


def _run_glyphs(run: Glyphs, face: EmbeddedFace):
    """(glyph ids, position of each along the line, offset of each across it, the text each
    stands for) of a run: the shaper's glyphs when it has them, else one glyph per character
    through the face's character map, at the character's place."""
    if run.glyphs:
        text, clusters = run.text, run.clusters
        n = len(clusters)
        if n and n == len(text) and n == len(set(clusters)) and min(clusters) == 0 and max(clusters) == n - 1:
            # (a glyph a character, CJK text: each glyph stands for its cluster's one character)
            return run.glyphs, run.gx, run.gy, [text[c] for c in clusters]
        starts = sorted(set(clusters))
        ends = dict(zip(starts, starts[1:] + [len(text)]))
        seen: set[int] = set()
        texts = []
        for c in clusters:  # the first glyph of a cluster carries its text, the others none
            texts.append("" if c in seen else text[c:ends[c]])
            seen.add(c)
        return run.glyphs, run.gx, run.gy, texts
    return face.gids(run.text), run.xs, (), run.text


def _glyph_run(run: Glyphs, face: EmbeddedFace, ox: float, oy: float, page_h: float) -> tuple[str, tuple, tuple, tuple]:
    """The operators of one run: ``BT /G1 9 Tf x y Tm [<codes> adj <codes>] TJ ET`` (with the
    glyphs drawn, the text each stands for and their :func:`run_pairs`).

    Every glyph goes where the display list puts it: a TJ adjustment moves the pen from where the
    previous glyph's advance left it to the next glyph's place (the pen is followed exactly, so
    rounded adjustments do not add up along a line). Horizontal: ``y`` is the baseline, positions
    are x of each glyph's origin, an offset (``gy``) moves a glyph down (text rise). Vertical
    (``Identity-V``): ``y`` is the x of the column's centre line, positions are y of each glyph's
    top down the column, an offset moves a glyph right of the centre line; each glyph hangs from
    its vertical origin (``DW2``/``W2``), centred on the line. ``hscale`` (font expansion)
    becomes horizontal scaling (``Tz``)."""
    gids, pos, offsets, texts = _run_glyphs(run, face)
    if run.glyphs and not (len(gids) == len(pos) and (not offsets or len(offsets) == len(gids))
                           and len(run.clusters) == len(gids)):
        raise ValueError(f"glyph run {run.text!r}: glyphs, gx, gy and clusters differ in length")
    gids, texts = tuple(gids), tuple(texts)
    pairs = run_pairs(gids, texts)
    faithful = face.record(gids, texts, pairs)
    size = run.size
    per_unit = size / 1000.0
    vertical = run.vertical
    if vertical:
        face.vertical = True
    else:
        face.horizontal = True
    code = [f"BT\n/{face.vname if vertical else face.name} {fp_str(size)} Tf"]
    # a line set with font expansion (Latin justification) draws its glyphs that much wider:
    # horizontal scaling (Tz) scales advances and TJ adjustments alike
    hscale = 1.0 if vertical else run.hscale
    turned = not vertical and run.angle != 0.0
    if turned and abs(run.angle - 90.0) > 1e-9:
        raise ValueError(f"glyph run {run.text!r}: only runs turned 90° clockwise are drawn (angle {run.angle})")
    if hscale != 1.0:
        code.append(f"{fp_str(hscale * 100.0)} Tz")
        per_unit *= hscale
    parts: list[str] = []  # the current TJ array
    codes: list[str] = []  # glyph codes since the last adjustment

    def flush_codes():
        if codes:
            parts.append("<" + "".join(codes) + ">")
            codes.clear()

    def flush():
        flush_codes()
        if parts:
            code.append("[" + " ".join(parts) + "] TJ")
            parts.clear()

    pen = None
    shift = None  # the current offset across the line
    hexes, widths = face.hex, face.widths
    for i, g in enumerate(gids):
        target = pos[i] if pos else (run.x if pen is None else pen)
        off = offsets[i] if offsets else 0.0
        if off != shift:  # a new offset (and the first glyph): place the text matrix
            flush()
            if vertical:
                code.append(f"1 0 0 1 {ox + run.y + off:.3f} {oy + page_h - target:.3f} Tm")
            elif shift is None and turned:
                # turned 90° clockwise about (x, y): the baseline runs down the page
                code.append(f"0 -1 1 0 {ox + run.x:.3f} {oy + page_h - run.y - (target - run.x):.3f} Tm")
                if off:
                    code.append(f"{fp_str(-off)} Ts")
            elif shift is None:
                code.append(f"1 0 0 1 {ox + target:.3f} {oy + page_h - run.y:.3f} Tm")
                if off:
                    code.append(f"{fp_str(-off)} Ts")
            else:
                code.append(f"{fp_str(-off)} Ts")
            if vertical or pen is None:
                pen = target
            shift = off
        hexcode = hexes.get(g)
        if hexcode is None:
            hexcode = face.glyph(g)[0]
        d = (target - pen) / per_unit
        if d > _SLACK or d < -_SLACK:
            flush_codes()
            n = round(d if vertical else -d, 1)
            parts.append(fp_str(n))
            pen += (n if vertical else -n) * per_unit
        codes.append(hexcode)
        pen += (face.vmetrics(g)[0] if vertical else widths[g]) * per_unit
    flush()
    code.append("ET")
    if not faithful:  # extraction would misread a glyph: say what the run's text is
        code.insert(0, f"/Span <</ActualText <FEFF{run.text.encode('utf-16-be').hex().upper()}>>> BDC")
        code.append("EMC")
    return "\n".join(code), gids, texts, pairs


#: operators of glyph runs drawn in this process: (id(run), face, origin) -> (run, glyphs, texts,
#: faithful, operators). A rebuild after an edit (``watch``, ``serve``) draws the same run
#: objects (composition hands them out again) with the same faces: their operators are reused,
#: and only the glyphs they use are noted again for the font subset and its ToUnicode map.
_RUNS: dict = {}
RUNS_LIMIT = 8192  # (a page draws ~300 runs)


def forget() -> None:
    """Drop the glyph runs and segments this process drew (as a new process starts)."""
    _RUNS.clear()
    segments.forget()


def _glyph_run_once(run: Glyphs, face: EmbeddedFace, ox: float, oy: float, page_h: float) -> str:
    key = (id(run), face.table.key, face.index, face.name, ox, oy, page_h)  # (the face by its content)
    hit = _RUNS.get(key)
    if hit is not None and hit[0] is run:
        _, gids, texts, pairs, faithful, code = hit
        if face.record(gids, texts, pairs) == faithful:  # (the same glyphs, the same text: the same operators)
            if run.vertical:
                face.vertical = True
            else:
                face.horizontal = True
            collect = getattr(_drawing, "runs", None)
            if collect is not None:
                collect.append((run.font, face, *pairs, faithful, run.vertical))
            return code
    code, gids, texts, pairs = _glyph_run(run, face, ox, oy, page_h)
    if len(_RUNS) >= RUNS_LIMIT:
        _RUNS.pop(next(iter(_RUNS)))
    faithful = not code.startswith("/Span")
    _RUNS[key] = (run, gids, texts, pairs, faithful, code)
    collect = getattr(_drawing, "runs", None)
    if collect is not None:
        collect.append((run.font, face, *pairs, faithful, run.vertical))
    return code


#: ``runs``, while a segment is drawn on this thread: what each of its glyph runs noted (see
#: layout.render.segments)
_drawing = threading.local()


def _segmentable(it, canvas) -> bool:
    """Whether drawing ``it`` writes operators only (no resource registered, no canvas state
    changed): a glyph run or a shape in process colours, overprinted only once the page has
    its overprint operators."""
    t = type(it)
    if t is Glyphs:
        return type(it.color) is tuple and (not it.overprint or getattr(canvas, "_bs_overprint_ops", None) is not None)
    return t in _SHAPES and not getattr(it, "overprint", False) and _paints_in(it, _PROCESS)


def _draw_items(canvas: Canvas, items: list, off: float, page_h: float, fonts: Embedder, pictures: PictureFiles,
                forms) -> None:
    """Draw a page's items, a segment drawn before as it was drawn then (layout.render.segments)."""
    code = canvas._code
    for plain, group in segments.cut(items, lambda it: _segmentable(it, canvas)):
        if not plain:
            _draw(canvas, group[0], off, off, page_h, fonts, pictures, forms)
            continue
        k = segments.key(group, off, off, page_h, getattr(canvas, "_bs_overprint_ops", None))
        if segments.replay(k, code, fonts):
            continue
        start = len(code)
        _drawing.runs = runs = []
        try:
            for it in group:
                _draw(canvas, it, off, off, page_h, fonts, pictures, forms)
        finally:
            _drawing.runs = None
        segments.remember(k, group, tuple(code[start:]), runs)


def render(pages: list[Page], out: Path, fonts: FontFiles, pictures: PictureFiles, options: RenderOptions) -> None:
    """Write ``pages`` to ``out`` (the caller makes the write atomic)."""
    first = pages[0]
    marks_by_page = [p.marks if options.press else [] for p in pages]
    if options.cache_dir is not None:
        root = Path(options.cache_dir)
    else:
        from layout.cache import usable_root

        root, _ = usable_root()
    embedder = Embedder(fonts, root)
    offset = (first.bleed + getattr(first, "slug", 0.0)) if options.press else 0.0
    identity = options.identity if options.press else None
    canvas = Canvas(str(out), pagesize=(first.width + 2 * offset, first.height + 2 * offset),
                    invariant=1, pageCompression=1, initialFontName=initial_font_name(),
                    initialFontSize=9, pdfVersion=identity.pdf_version if identity else None)
    canvas.setTitle(options.title)
    canvas.setAuthor(options.author)
    canvas.setCreator("broadsheet")
    canvas.setProducer("broadsheet (ReportLab)")
    embedder.attach(canvas)
    forms = None
    if any(isinstance(it, Vector) for p in pages for it in p.items):
        from layout.render.forms import FormImporter

        forms = FormImporter(canvas._doc)
    content = hashlib.sha256()  # the pages' operators: the file's identity, when it is a press file
    layer = None
    if not options.press and any(p.guides for p in pages):
        from layout.render.layers import declare_guides

        layer = declare_guides(canvas)
    for index, (page, marks) in enumerate(zip(pages, marks_by_page)):
        off = (page.bleed + getattr(page, "slug", 0.0)) if options.press else 0.0
        mw, mh = page.width + 2 * off, page.height + 2 * off
        canvas.setPageSize((mw, mh))
        if options.press:
            canvas.setTrimBox((off, off, off + page.width, off + page.height))
            b = page.bleed
            canvas.setBleedBox((off - b, off - b, off + page.width + b, off + page.height + b))
        tagging = options.tagging
        if tagging is None:
            _draw_items(canvas, list(page.items) + list(marks), off, page.height, embedder, pictures, forms)
        for item in list(page.items) + list(marks) if tagging is not None else ():
            # (a tagged PDF: each item in its marked-content sequence)
            canvas._code.append(tagging.begin(index, item))
            _draw(canvas, item, off, off, page.height, embedder, pictures, forms)
            canvas._code.append("EMC")
        if page.guides and not options.press:
            from layout.render.layers import TAG

            canvas._code.append(f"/OC /{TAG} BDC" + (f"\n{tagging.artifact()}" if tagging is not None else ""))
            for item in page.guides:
                _draw(canvas, item, off, off, page.height, embedder, pictures, forms)
            canvas._code.append("EMC\nEMC" if tagging is not None else "EMC")
        if identity is not None:
            content.update("\n".join(canvas._code).encode("utf-8", "surrogatepass"))
        canvas.showPage()
        _deflate_aside(canvas._doc)
        if layer is not None and page.guides:
            layer(canvas._doc.Pages.pages[-1])
    if identity is not None:
        from layout.render.pdfx import write_identity

        content.update("\n".join(embedder.font_names()).encode())
        write_identity(canvas, identity, content.digest())
    save(canvas, out)
    if forms is not None:
        forms.close()
    if options.tagging is not None:
        from layout.render.tagged import write_structure

        write_structure(out, options.tagging.tree())


class _ImageName(str):
    """An image path that ReportLab names by its file name only. drawImage names the image
    XObject after ``'%s' % path``; prepared files are named by their content already, so the
    folder they sit in (the cache) must not change the PDF's bytes.

    ReportLab reads a JPEG through ``jpeg_fh()`` when its source has one: the bytes come from
    :data:`_JPEGS`, read once per file state in the process (an edition's pages and a rebuild
    place the same prepared photos again)."""

    def __str__(self) -> str:
        return os.path.basename(self)

    def jpeg_fh(self):
        import io

        return io.BytesIO(_jpeg_bytes(str.__str__(self))[1])


class _PlainName(str):
    """An image path named by its file name only (as :class:`_ImageName`), read by ReportLab."""

    def __str__(self) -> str:
        return os.path.basename(self)


#: prepared JPEGs read in this process: path -> ((mtime, size, inode), bytes); at most _JPEG_BYTES in all
_JPEGS: dict = {}
_JPEG_BYTES = 96 * 1024 * 1024
#: image XObjects formatted in this process: (file state, its keys, ...) -> the object's bytes
_FORMATTED: dict = {}


def _jpeg_bytes(path: str) -> tuple[tuple, bytes]:
    st = os.stat(path)
    state = (st.st_mtime_ns, st.st_size, st.st_ino)
    hit = _JPEGS.get(path)
    if hit is not None and hit[0] == state:
        return hit
    with open(path, "rb") as f:
        data = f.read()
    while _JPEGS and sum(len(v[1]) for v in _JPEGS.values()) + len(data) > _JPEG_BYTES:
        gone = next(iter(_JPEGS))
        _JPEGS.pop(gone)
        for k in [k for k in _FORMATTED if k[0] == gone]:
            _FORMATTED.pop(k)
    _JPEGS[path] = (state, data)
    return state, data


def _data_path(at: tuple) -> str:
    """A data path as an editor reads it: ("articles", 0, "photos", 1, "file") ->
    ``articles[0].photos[1].file``."""
    out = ""
    for part in at:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


class _TaggedImage(PDFImageXObject):
    """An image XObject that says where it comes from, for preflight: private keys ``/BSFile``
    (the picture's file as content.yaml names it), ``/BSWhere`` (the article and photo, or the
    ad: display.Image.source) and ``/BSAt`` (the data path in content.yaml). A picture drawn in
    two places names both (``; ``). Extra keys in an image dictionary are allowed by PDF and
    PDF/X; ReportLab's dictionary is written as it writes it, these are added to it."""

    bs_keys: dict

    @classmethod
    def tag(cls, obj, it: Image) -> None:
        if obj is None:
            return
        keys = {"BSFile": it.file, "BSWhere": it.source, "BSAt": _data_path(it.at)}
        if isinstance(obj, cls):  # the same prepared file placed again
            for k, v in keys.items():
                have = obj.bs_keys.get(k, "").split("; ")
                if v and v not in have:
                    obj.bs_keys[k] = "; ".join([*filter(None, have), v])
            return
        obj.__class__ = cls
        obj.bs_keys = {k: v for k, v in keys.items() if v}

    def format(self, document):
        path = getattr(self, "bs_path", None)
        hit = _JPEGS.get(path) if path else None
        key = None
        if hit is not None and getattr(self, "streamContent", None) is hit[1]:  # (the bytes of that file state)
            key = (path, hit[0], tuple(sorted(self.bs_keys.items())), self.width, self.height, self.colorSpace,
                   tuple(self._filters), getattr(self, "_dotrans", 0), self.mask, getattr(self, "smask", None) is None)
            done = _FORMATTED.get(key)
            if done is not None:
                return done
        done = self._format(document)
        if key is not None and getattr(self, "smask", None) is None:
            while len(_FORMATTED) >= 24:  # (each holds a photo's bytes: a page's photos, a few pages' worth)
                _FORMATTED.pop(next(iter(_FORMATTED)))
            _FORMATTED[key] = done
        return done

    def _format(self, document):
        # ReportLab's PDFImageXObject.format builds a PDFStream and formats it at once; the
        # stream's dictionary is reached by formatting through a PDFStream that adds the keys
        keys = {k: PDFString(v) for k, v in self.bs_keys.items()}

        class _Stream(PDFStream):
            def format(self, document):
                for k, v in keys.items():
                    self.dictionary[k] = v
                return super().format(document)

        saved = pdfdoc.PDFStream
        pdfdoc.PDFStream = _Stream
        try:
            return super().format(document)
        finally:
            pdfdoc.PDFStream = saved


#: the fill operator of each process colour (c, m, y, k) drawn in this process
_FILLS: dict[tuple, str] = {}


_SHAPES = (Rect, Line, Ellipse, Polygon)
#: False: every shape through the canvas's state machinery (the way the short one is checked against)
SHORT_WAYS = True


_PROCESS = (tuple,)
_PROCESS_OR_SPOT = (tuple, Spot)


def _paints_in(it, kinds: tuple) -> bool:
    """Whether a shape's paints are all of ``kinds``: process colours (``_PROCESS``: nothing to
    register with the document), or spot colours too (their colour spaces registered as the
    canvas registers them)."""
    if type(it) is Line:
        return type(it.color) in kinds
    return (it.fill is None or type(it.fill) in kinds) and (it.stroke is None or type(it.stroke) in kinds)


def _paint_op(canvas: Canvas, paint, fill: bool) -> str:
    """The operator ReportLab's colour setters write for ``paint``: ``c m y k k`` (``K``), or
    for a spot colour its separation, registered with the document, and its tint."""
    if type(paint) is tuple:
        return "%s %s" % (fp_str(*paint), "k" if fill else "K")
    c, m, y, k = paint.cmyk
    name = canvas._checkSeparation(CMYKColorSep(c, m, y, k, spotName=paint.name, density=paint.tint))
    return ("/%s cs %s scn" if fill else "/%s CS %s SCN") % (name, fp_str(paint.tint))


def _plain_shape(canvas: Canvas, it, ox: float, Y) -> None:
    """A shape in process or spot colours without overprint: the operators saveState, the colour and
    line width setters and restoreState would write (``q``, ``k``/``K``, ``w``, ``Q``), without
    the canvas's state objects (a page has ~100 such shapes: rules, boxes, an ad's artwork);
    the path itself is ReportLab's. The canvas's state is as it was before and after, as the
    ``q``/``Q`` pair leaves the page's."""
    code = canvas._code
    code.append("q")
    if type(it) is Line:
        code.append(_paint_op(canvas, it.color, False))
        code.append("%s w" % fp_str(it.width))
        if it.dash:
            canvas.setDash(list(it.dash))
        canvas.line(ox + it.x1, Y(it.y1), ox + it.x2, Y(it.y2))
        code.append("Q")
        return
    if it.fill is not None:
        code.append(_paint_op(canvas, it.fill, True))
    if it.stroke is not None:
        code.append(_paint_op(canvas, it.stroke, False))
        code.append("%s w" % fp_str(it.line_width))
    _shape_path(canvas, it, ox, Y, stroke=int(it.stroke is not None), fill=int(it.fill is not None))
    code.append("Q")


def _shape_path(canvas: Canvas, it, ox: float, Y, stroke: int, fill: int) -> None:
    """A rectangle's, an ellipse's or a polygon's path, stroked and filled as asked (ReportLab's
    operators; the paints are set before)."""
    if type(it) is Rect:
        if it.radius:
            canvas.roundRect(ox + it.x, Y(it.y + it.h), it.w, it.h, it.radius, stroke=stroke, fill=fill)
        else:
            canvas.rect(ox + it.x, Y(it.y + it.h), it.w, it.h, stroke=stroke, fill=fill)
    elif type(it) is Ellipse:
        canvas.ellipse(ox + it.x, Y(it.y + it.h), ox + it.x + it.w, Y(it.y), stroke=stroke, fill=fill)
    else:
        path = canvas.beginPath()
        (x0, y0), *rest = it.points
        path.moveTo(ox + x0, Y(y0))
        for x, y in rest:
            path.lineTo(ox + x, Y(y))
        path.close()
        canvas.drawPath(path, stroke=stroke, fill=fill)


class _DeflatedAside:
    """A page's content stream compressed in a thread while the rest of the document is made
    (``zlib`` lets go of the interpreter while it compresses: ~1 ms a page, on the other core);
    the filter ReportLab applies when it writes the stream takes the result: the same bytes as
    its own ``FlateDecode`` filter."""

    pdfname = "FlateDecode"

    def __init__(self, data: bytes) -> None:
        self.data = data
        self.packed: bytes | None = None
        self.thread = threading.Thread(target=self._run, name="broadsheet-deflate", daemon=True)
        self.thread.start()

    def _run(self) -> None:
        self.packed = zlib.compress(self.data)

    def encode(self, text) -> bytes:
        self.thread.join()
        if self.packed is None:  # (the thread failed: compress here)
            self.packed = zlib.compress(self.data)
        return self.packed


def _deflate_aside(doc) -> None:
    """Start compressing the content stream of the page just shown (see :class:`_DeflatedAside`)."""
    page = doc.Pages.pages[-1]
    if not doc.compression or not getattr(page, "stream", None) or page.Contents or rl_config.useA85:
        return
    stream = PDFStream()
    stream.filters = [_DeflatedAside(page.stream.encode("utf8"))]
    stream.content = page.stream
    stream.__Comment__ = "page stream"
    page.Contents = stream


def _shape_paint(canvas: Canvas, it) -> dict:
    """Set a shape's fill, stroke and overprint; return the draw flags for ReportLab."""
    if it.fill is not None:
        _paint(canvas, it.fill, fill=True)
    if it.stroke is not None:
        _paint(canvas, it.stroke, fill=False)
        canvas.setLineWidth(it.line_width)
    if getattr(it, "overprint", False):
        canvas._setFillOverprint(True)
        canvas._setStrokeOverprint(True)
        canvas._setOverprintMask(True)
    return {"stroke": int(it.stroke is not None), "fill": int(it.fill is not None)}


def draw(canvas: Canvas, it, ox: float, oy: float, page_h: float, fonts: Embedder, pictures: PictureFiles,
         forms=None) -> None:
    """Draw one display item on ``canvas``, the page's trim box at (``ox``, ``oy``) from the
    MediaBox's corner, the page ``page_h`` high."""
    _draw(canvas, it, ox, oy, page_h, fonts, pictures, forms)


def _draw(canvas: Canvas, it, ox: float, oy: float, page_h: float, fonts: Embedder, pictures: PictureFiles,
          forms=None) -> None:
    overprint = None
    if type(it) is Glyphs and type(it.color) is tuple and (
            not it.overprint or (overprint := getattr(canvas, "_bs_overprint_ops", None)) is not None):
        # the common case, ~90 % of a page's items: what saveState, setFillColor (a process
        # colour: no resource, alpha unchanged), the overprint settings (their graphics states'
        # names, as the first such run drew them: every item starts from the page's own state)
        # and restoreState would write, without the canvas's state objects (a tenth of a
        # rebuild's drawing)
        code = canvas._code
        code.append("q")
        fill = _FILLS.get(it.color)
        if fill is None:
            fill = _FILLS[it.color] = "%s k" % fp_str(*it.color)
        code.append(fill)
        if overprint:
            code.extend(overprint)
        if it.text or it.glyphs:
            code.append(_glyph_run_once(it, fonts.face(it.font), ox, oy, page_h))
        code.append("Q")
        return
    Y = lambda y: oy + page_h - y  # noqa: E731
    if isinstance(it, Image):
        drawn = {"imgObj": None}
        path = str(pictures.file_for(it))
        name = _ImageName(path)
        if not path.lower().endswith((".jpg", ".jpeg")):
            name = _PlainName(path)
        canvas.drawImage(name, ox + it.x, Y(it.y + it.h), it.w, it.h, extraReturn=drawn)
        if drawn["imgObj"] is not None and getattr(drawn["imgObj"], "bs_path", None) is None:
            drawn["imgObj"].bs_path = path if isinstance(name, _ImageName) else ""
        _TaggedImage.tag(drawn["imgObj"], it)
        return
    if isinstance(it, Vector):  # a PDF page as a form XObject, its box mapped onto the item's
        name, (bx0, by0, bx1, by1) = forms.form(pictures.file_for(it), it.page)
        sx, sy = it.w / (bx1 - bx0), it.h / (by1 - by0)
        tx, ty = ox + it.x - bx0 * sx, Y(it.y + it.h) - by0 * sy
        canvas._code.append(f"q {fp_str(sx)} 0 0 {fp_str(sy)} {fp_str(tx)} {fp_str(ty)} cm")
        canvas.doForm(name)
        canvas._code.append("Q")
        return
    if SHORT_WAYS and type(it) in _SHAPES and not getattr(it, "overprint", False) and _paints_in(it, _PROCESS_OR_SPOT):
        _plain_shape(canvas, it, ox, Y)
        return
    canvas.saveState()
    if isinstance(it, Glyphs):
        _paint(canvas, it.color, fill=True)
        if it.overprint:
            start = len(canvas._code)
            canvas._setFillOverprint(True)
            canvas._setOverprintMask(True)
            canvas._bs_overprint_ops = tuple(canvas._code[start:])
        if it.text or it.glyphs:
            canvas._code.append(_glyph_run_once(it, fonts.face(it.font), ox, oy, page_h))
    elif isinstance(it, (Rect, Ellipse, Polygon)):
        _shape_path(canvas, it, ox, Y, **_shape_paint(canvas, it))
    elif isinstance(it, Line):
        _paint(canvas, it.color, fill=False)
        canvas.setLineWidth(it.width)
        if it.dash:
            canvas.setDash(list(it.dash))
        if it.overprint:
            canvas._setStrokeOverprint(True)
            canvas._setOverprintMask(True)
        canvas.line(ox + it.x1, Y(it.y1), ox + it.x2, Y(it.y2))
    else:  # pragma: no cover - the display list is closed
        canvas.restoreState()
        raise TypeError(f"cannot draw {type(it).__name__}")
    canvas.restoreState()
