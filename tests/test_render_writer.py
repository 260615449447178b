"""The PDF written object by object (layout.render.writer) is the file ReportLab's own
``Canvas.save`` writes, byte for byte: press and proof, with photos, fonts, the output intent
and its metadata; a tagged page; a vertical page."""

from __future__ import annotations

import pytest

import layout.render.pdf as pdf
from layout.build import BuildOptions, build


def _reportlab_save(canvas, out):
    canvas.save()


@pytest.mark.parametrize("page,options", [
    ("content.yaml", {}),
    ("content.yaml", {"proof": True}),
    ("content.yaml", {"proof": True, "tagged": True}),
    ("examples/vertical-taiwan/content.yaml", {}),
])
def test_written_object_by_object_is_reportlabs_file(root, tmp_path, monkeypatch, page, options):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    ours = tmp_path / "ours" / "page.pdf"  # (the same name: the press file's slug line names it)
    ours.parent.mkdir()
    build(root / page, BuildOptions(output=ours, **options))
    monkeypatch.setattr(pdf, "save", _reportlab_save)
    theirs = tmp_path / "theirs" / "page.pdf"
    theirs.parent.mkdir()
    build(root / page, BuildOptions(output=theirs, **options))
    data = ours.read_bytes()
    assert data[:5] == b"%PDF-" and b"/Image" in data or "vertical" in page
    assert data == theirs.read_bytes()


def test_a_document_is_saved_once(tmp_path):
    from reportlab.pdfgen.canvas import Canvas

    from layout.render.writer import save

    canvas = Canvas(str(tmp_path / "a.pdf"), invariant=1)
    canvas.drawString(72, 72, "one")
    save(canvas, tmp_path / "a.pdf")
    with pytest.raises(RuntimeError):
        save(canvas, tmp_path / "b.pdf")
    assert (tmp_path / "a.pdf").read_bytes().rstrip().endswith(b"%%EOF")
