"""Writing a drawn ReportLab document to its file object by object.

ReportLab's ``Canvas.save`` formats every object into one list of byte strings, joins them into
one string the size of the file, and writes that: a press page carries its photos (~4 MB), so
each build copied the photos' bytes twice more than it writes them (an indirect object is its
header, its body and ``endobj`` concatenated; the file is the objects concatenated). Here the
same objects, in the same order, with the same cross-reference table and trailer, go to the
file as they are formatted, each body written as it comes (a photo's bytes, formatted once per
process by :class:`layout.render.pdf._TaggedImage`, are handed to the file as they are). The
bytes are ReportLab's own, byte for byte (tests compare both ways of saving).

Only what broadsheet's documents use is supported: no encryption, no digital signatures (a
document with either is saved by ReportLab itself).
"""

from __future__ import annotations

from pathlib import Path

from reportlab import rl_config
from reportlab.pdfbase import pdfdoc


def save(canvas, path: Path) -> None:
    """What ``canvas.save()`` writes to ``path``, written object by object."""
    if len(canvas._code):
        canvas.showPage()
    doc = canvas._doc
    if doc.encrypt.info() or getattr(doc, "_digiSigs", None):
        doc.SaveToFile(str(path), canvas)  # (never drawn by broadsheet: ReportLab's own way)
        return
    if getattr(doc, "_savedToFile", False):
        raise RuntimeError("a document can only be saved once")
    doc._savedToFile = True
    # (what PDFDocument.GetPDFData prepares before formatting)
    for font in doc.delayedFonts:
        font.addObjects(doc)
    doc.info.invariant = doc.invariant
    doc.info.digest(doc.signature)
    doc.Reference(doc.Catalog)
    doc.Reference(doc.info)
    doc.Outlines.prepare(doc, canvas)
    if doc.Outlines.ready < 0:
        doc.Catalog.Outlines = None
    with open(path, "wb") as f:
        _write(doc, f)


def _write(doc, f) -> None:
    """PDFDocument.format, writing as it goes (see the module's docstring)."""
    doc.encrypt.prepare(doc)
    cat, info = doc.Catalog, doc.info
    doc.Reference(cat)
    doc.Reference(info)
    out = pdfdoc.PDFFile(doc._pdfVersion)  # (its header, then every piece straight to the file)
    for piece in out.strings:
        f.write(piece)
    out.strings = None
    out.write = f.write
    doc.__accum__ = out
    number_to_id, id_to_nv = doc.numberToId, doc.idToObjectNumberAndVersion
    id_to_object, id_to_offset = doc.idToObject, doc.idToOffset
    comments = not rl_config.invariant and rl_config.pdfComments
    ids = []
    counter = 0
    while True:  # (objects may be added while others are formatted: numbered as they come)
        counter += 1
        if counter not in number_to_id:
            break
        oid = number_to_id[counter]
        obj = id_to_object[oid]
        n, v = id_to_nv[oid]
        doc.encrypt.register(n, v)
        body = pdfdoc.format(obj, doc, toplevel=1)
        if comments:
            out.add("%% %s: class %s \n" % (ascii(oid), type(obj).__name__[:50]))
        id_to_offset[oid] = out.add(b"%d %d obj\n" % (n, v))
        out.add(body)
        out.add(b"endobj\n" if body.endswith(b"\n") else b"\nendobj\n")
        ids.append(oid)
    del doc.__accum__
    if counter - 1 != len(number_to_id):
        raise ValueError(f"object {counter} does not match the {len(number_to_id)} objects numbered")
    xref = pdfdoc.PDFCrossReferenceTable()
    xref.addsection(0, ids)
    at = out.add(xref.format(doc))
    trailer = pdfdoc.PDFTrailer(startxref=at, Size=len(number_to_id) + 1, Root=doc.Reference(cat),
                                Info=doc.Reference(info), Encrypt=None, ID=doc.ID())
    out.add(trailer.format(doc))
