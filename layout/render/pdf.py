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
import zlib
from pathlib import Path
from typing import Iterable, Protocol

import reportlab
from reportlab import rl_config
from reportlab.lib.colors import CMYKColor, CMYKColorSep
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase import pdfdoc
from reportlab.pdfbase.pdfdoc import PDFArray, PDFImageXObject, PDFName, PDFStream, PDFString
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from msgspec import Struct

from layout.cache import touch, try_write
from layout.display import Ellipse, Glyphs, Image, Line, Page, Polygon, Rect, Spot

rl_config.useA85 = 0  # JPEGs embedded as they are (DCT), smaller and faster
_RL = reportlab.Version  # in the font-subset cache key: another ReportLab may cut subsets differently


class FontFiles(Protocol):
    """Where the renderer gets a TrueType file covering ``chars`` for a font key."""

    def truetype_for_key(self, key: str, chars: Iterable[str]) -> Path: ...


class PictureFiles(Protocol):
    """Where the renderer gets the prepared file of each picture of the display list."""

    def file_for(self, item: Image) -> Path: ...


class RenderOptions(Struct, frozen=True):
    press: bool = True  # False: proof (no marks, no bleed, MediaBox = trim)
    title: str = ""
    author: str = "broadsheet"
    identity: object | None = None  # a layout.finish.press.PressIdentity: write the file as PDF/X


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


_ASCII = frozenset(chr(c) for c in range(0x20, 0x7F))


class _Fonts:
    """Registers one ReportLab TTFont per font key, named after the file's content."""

    def __init__(self, files: FontFiles, page_items: list):
        chars: dict[str, set[str]] = {}
        for it in page_items:
            if isinstance(it, Glyphs):
                chars.setdefault(it.font, set()).update(it.text)
        self.names: dict[str, str] = {}
        for key in sorted(chars):
            # printable ASCII always: file names, dates and figures in slugs and folios then
            # reuse the cached font file instead of building one per new combination
            path = files.truetype_for_key(key, chars[key] | _ASCII)
            digest = hashlib.sha1(path.name.encode()).hexdigest()[:10]  # (the name is content-derived; the folder varies)
            name = f"bs-{key}-{digest}"
            try:
                if name not in pdfmetrics._fonts:
                    font = TTFont(name, str(path))
                    _cache_subsets(font.face, path)
                    pdfmetrics.registerFont(font)
            except Exception as exc:  # a broken font file is an input problem, reported by the caller
                raise RuntimeError(f"cannot load font file {path} for role {key!r}: {exc}") from exc
            self.names[key] = name

    def initial(self) -> str | None:
        return next(iter(self.names.values()), None)


def _cache_subsets(face, path: Path) -> None:
    """Keep the deflated font programs ReportLab embeds, beside the TrueType file they come from.

    ReportLab cuts a TrueType font into 256-glyph subsets and builds and compresses each one
    on every save (~20 ms a page). The file is named by its content and the subsets by the glyphs
    they hold, so a subset's bytes never change: they are written once and read after that."""
    make = face.makeSubset

    def cached_subset_objects(doc, fontname, subset, _orig=face.addSubsetObjects):
        if not doc.compression:
            return _orig(doc, fontname, subset)
        key = hashlib.sha1(f"{_RL}:{path.name}:{','.join(map(str, subset))}".encode()).hexdigest()[:20]
        store = path.with_name(f"{path.stem}.{key}.sub")
        packed = length = None
        try:
            blob = store.read_bytes()
            length, packed = int.from_bytes(blob[:4], "big"), blob[4:]
            touch(store)
        except OSError:
            raw = make(subset)
            length, packed = len(raw), zlib.compress(raw)
            try_write(store, length.to_bytes(4, "big") + packed)
        face.makeSubset = lambda _subset: packed
        try:
            ref = _orig(doc, fontname, subset)
        finally:
            face.makeSubset = make
        stream = doc.idToObject[ref.name].dict["FontFile2"]
        stream = doc.idToObject[stream.name]
        stream.dictionary["Length1"] = length
        stream.dictionary["Filter"] = PDFArray([PDFName("FlateDecode")])
        return ref

    face.addSubsetObjects = cached_subset_objects


def _codes(font, doc) -> dict:
    """Per document and font: character -> [(subset, escaped byte, subset font name)]. A
    character keeps its subset slot once ReportLab has given it one, so it is looked up once."""
    memo = doc.__dict__.setdefault("_broadsheet_codes", {})
    return memo.setdefault(font.fontName, {})


def _glyph_run(canvas: Canvas, run: Glyphs, fontname: str, ox: float, oy: float, page_h: float) -> None:
    """``BT .. [(a) n (b)] TJ .. ET`` with each character at the x the composer chose."""
    font = pdfmetrics.getFont(fontname)
    doc = canvas._doc
    size = run.size
    code: list[str] = ["BT"]
    x0 = run.xs[0] if run.xs else run.x
    code.append(f"1 0 0 1 {ox + x0:.3f} {oy + page_h - run.y:.3f} Tm")
    current_subset = None
    parts: list[str] = []
    expected = x0  # where the text cursor is after the previous glyph
    face_widths = font.face.charWidths  # unicode code point -> advance in 1/1000 em
    default_width = font.face.defaultWidth

    def flush():
        if parts:
            code.append("[" + " ".join(parts) + "] TJ")
            parts.clear()

    codes = _codes(font, doc)
    escape = canvas._escape
    for i, ch in enumerate(run.text):
        target = run.xs[i] if run.xs else expected
        coded = codes.get(ch)
        if coded is None:  # first use of ch in this document: ReportLab gives it a subset slot
            coded = codes[ch] = [(subset, escape(data), font.getSubsetInternalName(subset, doc))
                                 for subset, data in font.splitString(ch, doc)]
        for subset, data, internal in coded:
            if subset != current_subset:
                flush()
                code.append(f"{internal} {size:.3f} Tf")
                current_subset = subset
            adj = (target - expected) * 1000.0 / size
            if abs(adj) > 0.05:
                parts.append(f"{-adj:.1f}")
            parts.append(f"({data})")
        expected = target + face_widths.get(ord(ch), default_width) * size / 1000.0
    flush()
    code.append("ET")
    canvas._code.append("\n".join(code))


def render(pages: list[Page], out: Path, fonts: FontFiles, pictures: PictureFiles, options: RenderOptions) -> None:
    """Write ``pages`` to ``out`` (the caller makes the write atomic)."""
    all_items = [it for p in pages for it in p.items]
    first = pages[0]
    marks_by_page = [p.marks if options.press else [] for p in pages]
    all_items += [it for ms in marks_by_page for it in ms]
    registry = _Fonts(fonts, all_items)
    offset = (first.bleed + getattr(first, "slug", 0.0)) if options.press else 0.0
    identity = options.identity if options.press else None
    canvas = Canvas(str(out), pagesize=(first.width + 2 * offset, first.height + 2 * offset),
                    invariant=1, pageCompression=1, initialFontName=registry.initial(),
                    initialFontSize=9, pdfVersion=identity.pdf_version if identity else None)
    canvas.setTitle(options.title)
    canvas.setAuthor(options.author)
    canvas.setCreator("broadsheet")
    canvas.setProducer("broadsheet (ReportLab)")
    content = hashlib.sha256()  # the pages' operators: the file's identity, when it is a press file
    for page, marks in zip(pages, marks_by_page):
        off = (page.bleed + getattr(page, "slug", 0.0)) if options.press else 0.0
        mw, mh = page.width + 2 * off, page.height + 2 * off
        canvas.setPageSize((mw, mh))
        if options.press:
            canvas.setTrimBox((off, off, off + page.width, off + page.height))
            b = page.bleed
            canvas.setBleedBox((off - b, off - b, off + page.width + b, off + page.height + b))
        for item in list(page.items) + list(marks):
            _draw(canvas, item, off, off, page.height, registry, pictures)
        if page.guides and not options.press:
            from layout.render.layers import TAG

            canvas._code.append(f"/OC /{TAG} BDC")
            for item in page.guides:
                _draw(canvas, item, off, off, page.height, registry, pictures)
            canvas._code.append("EMC")
        if identity is not None:
            content.update("\n".join(canvas._code).encode("utf-8", "surrogatepass"))
        canvas.showPage()
    if identity is not None:
        from layout.render.pdfx import write_identity

        content.update("\n".join(sorted(registry.names.values())).encode())
        write_identity(canvas, identity, content.digest())
    canvas.save()
    if not options.press and any(p.guides for p in pages):
        from layout.render.layers import declare_guides_layer

        declare_guides_layer(out)


class _ImageName(str):
    """An image path that ReportLab names by its file name only. drawImage names the image
    XObject after ``'%s' % path``; prepared files are named by their content already, so the
    folder they sit in (the cache) must not change the PDF's bytes."""

    def __str__(self) -> str:
        return os.path.basename(self)


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


def _draw(canvas: Canvas, it, ox: float, oy: float, page_h: float, fonts: _Fonts, pictures: PictureFiles) -> None:
    Y = lambda y: oy + page_h - y  # noqa: E731
    if isinstance(it, Image):
        drawn = {"imgObj": None}
        canvas.drawImage(_ImageName(str(pictures.file_for(it))), ox + it.x, Y(it.y + it.h), it.w, it.h, extraReturn=drawn)
        _TaggedImage.tag(drawn["imgObj"], it)
        return
    canvas.saveState()
    if isinstance(it, Glyphs):
        _paint(canvas, it.color, fill=True)
        if it.overprint:
            canvas._setFillOverprint(True)
            canvas._setOverprintMask(True)
        if it.text:
            _glyph_run(canvas, it, fonts.names[it.font], ox, oy, page_h)
    elif isinstance(it, Rect):
        flags = _shape_paint(canvas, it)
        if it.radius:
            canvas.roundRect(ox + it.x, Y(it.y + it.h), it.w, it.h, it.radius, **flags)
        else:
            canvas.rect(ox + it.x, Y(it.y + it.h), it.w, it.h, **flags)
    elif isinstance(it, Line):
        _paint(canvas, it.color, fill=False)
        canvas.setLineWidth(it.width)
        if it.dash:
            canvas.setDash(list(it.dash))
        if it.overprint:
            canvas._setStrokeOverprint(True)
            canvas._setOverprintMask(True)
        canvas.line(ox + it.x1, Y(it.y1), ox + it.x2, Y(it.y2))
    elif isinstance(it, Ellipse):
        flags = _shape_paint(canvas, it)
        canvas.ellipse(ox + it.x, Y(it.y + it.h), ox + it.x + it.w, Y(it.y), **flags)
    elif isinstance(it, Polygon):
        flags = _shape_paint(canvas, it)
        path = canvas.beginPath()
        (x0, y0), *rest = it.points
        path.moveTo(ox + x0, Y(y0))
        for x, y in rest:
            path.lineTo(ox + x, Y(y))
        path.close()
        canvas.drawPath(path, **flags)
    else:  # pragma: no cover - the display list is closed
        canvas.restoreState()
        raise TypeError(f"cannot draw {type(it).__name__}")
    canvas.restoreState()
