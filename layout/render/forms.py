"""A page of another PDF (an ad delivered as PDF) embedded as a form XObject: vector, fonts and
images as the advertiser made them, nothing rasterised.

ReportLab cannot read PDFs; pikepdf can. The page's content streams become the form's stream,
its resources (fonts, images, colour spaces, patterns, nested forms) are copied object by object
into ReportLab's document: dictionaries and arrays as ReportLab's own objects, streams with their
bytes as they are (still compressed, with their filters), scalars as the PDF syntax pikepdf
writes. An object shared inside the file stays shared (one copy per file and object), so a font
used by several ads of one file is embedded once. The form's bounding box is the page's trim
box (else crop, else media box), which also clips it; the renderer maps that box onto the
display item's box, which composition chose.
"""

from __future__ import annotations

import zlib
from decimal import Decimal
from pathlib import Path

from reportlab.pdfbase.pdfdoc import PDFArray, PDFDictionary, PDFObject, PDFStream


class _Raw(PDFObject):
    """A token written as it is (a name, a string, a number, true, false, null)."""

    def __init__(self, data: bytes) -> None:
        self.data = data

    def format(self, document) -> bytes:
        return self.data


class _Stream(PDFStream):
    """A stream whose bytes (and /Filter) are copied as they are."""

    def format(self, document) -> bytes:
        d = PDFDictionary(dict(self.dictionary.dict))
        d["Length"] = len(self.content)
        from reportlab.pdfbase.pdfdoc import format as fmt

        return fmt(d, document) + b"\nstream\n" + self.content + b"\nendstream\n"


#: stream keys ReportLab writes itself (or that no longer hold once the bytes are copied)
_STREAM_SKIP = {"/Length"}


class FormImporter:
    """Copies PDF pages into one ReportLab document, each once (per file, page)."""

    def __init__(self, doc) -> None:
        self.doc = doc
        self.pdfs: dict[Path, object] = {}
        self.forms: dict[tuple[Path, int], tuple[str, tuple[float, float, float, float]]] = {}
        self.memo: dict[tuple, object] = {}
        self.count = 0

    def form(self, path: Path, page: int) -> tuple[str, tuple[float, float, float, float]]:
        """(the form's name for ``canvas.doForm``, its bounding box) of ``page`` (from 1) of ``path``."""
        import pikepdf

        key = (Path(path), page)
        if key in self.forms:
            return self.forms[key]
        pdf = self.pdfs.get(key[0])
        if pdf is None:
            pdf = self.pdfs[key[0]] = pikepdf.open(path)
        p = pdf.pages[page - 1]
        from layout.assets.vectors import page_box  # (the same box composition measured)

        bbox = page_box(p)
        contents = p.obj.get("/Contents")
        parts = [contents] if isinstance(contents, pikepdf.Stream) else list(contents or [])
        data = b"\n".join(bytes(s.read_bytes()) for s in parts)
        fid = len(self.forms) + 1
        self.count = fid
        d: dict = {"Type": _Raw(b"/XObject"), "Subtype": _Raw(b"/Form"), "FormType": 1,
                   "BBox": PDFArray([_Raw(_number(v)) for v in bbox]), "Filter": _Raw(b"/FlateDecode")}
        if "/Resources" in p.obj:
            d["Resources"] = self._copy(p.obj.Resources, key[0], fid)
        if "/Group" in p.obj:
            d["Group"] = self._copy(p.obj.Group, key[0], fid)
        name = f"BSForm{fid}"
        self.doc.addForm(name, _Stream(PDFDictionary(d), zlib.compress(data, 6)))
        self.forms[key] = (name, bbox)
        return self.forms[key]

    def _copy(self, obj, file: Path, fid: int):
        import pikepdf

        if isinstance(obj, pikepdf.Object) and obj.is_indirect:
            key = (file, obj.objgen)
            if key in self.memo:
                return self.memo[key]
            if isinstance(obj, pikepdf.Stream):
                d = PDFDictionary({})
                target = _Stream(d, bytes(obj.read_raw_bytes()))
            elif isinstance(obj, pikepdf.Dictionary):
                d = PDFDictionary({})
                target = d
            elif isinstance(obj, pikepdf.Array):
                target = PDFArray([])
            else:
                return self._direct(obj, file, fid)
            ref = self.doc.Reference(target, f"BSForm{fid}.{obj.objgen[0]}.{obj.objgen[1]}")
            self.memo[key] = ref  # before the contents: a cycle refers back to it
            if isinstance(obj, pikepdf.Array):
                target.sequence = [self._copy(v, file, fid) for v in obj]
            else:
                for k in sorted(obj.keys()):  # (pikepdf gives a set: its order changes with the hash seed)
                    if isinstance(obj, pikepdf.Stream) and k in _STREAM_SKIP:
                        continue
                    d.dict[k[1:]] = self._copy(obj[k], file, fid)
            return ref
        return self._direct(obj, file, fid)

    def _direct(self, obj, file: Path, fid: int):
        import pikepdf

        if isinstance(obj, pikepdf.Dictionary):
            return PDFDictionary({k[1:]: self._copy(obj[k], file, fid) for k in sorted(obj.keys())})
        if isinstance(obj, pikepdf.Array):
            return PDFArray([self._copy(v, file, fid) for v in obj])
        if isinstance(obj, bool):
            return _Raw(b"true" if obj else b"false")
        if obj is None:
            return _Raw(b"null")
        if isinstance(obj, int):
            return _Raw(str(obj).encode())
        if isinstance(obj, (float, Decimal)):
            return _Raw(_number(obj))
        if isinstance(obj, pikepdf.Object):
            return _Raw(bytes(obj.unparse()))
        return _Raw(bytes(pikepdf.Object.parse(str(obj).encode()).unparse()))  # pragma: no cover

    def close(self) -> None:
        for pdf in self.pdfs.values():
            pdf.close()
        self.pdfs.clear()


def _number(v) -> bytes:
    d = Decimal(str(v))
    text = format(d.normalize(), "f") if d != d.to_integral_value() else str(int(d))
    return text.encode()
