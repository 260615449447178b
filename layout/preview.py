"""PNG previews of built pages through pypdfium2 (no Ghostscript needed)."""

from __future__ import annotations

from pathlib import Path

from layout.errors import InputError, Diagnostic


def page_picture(pdf, index: int = 0, *, scale: float = 1.0, printing: bool = False):
    """Page ``index`` of an open pypdfium2 document (or a PDF's path) as an RGB PIL image at
    ``scale`` pixels per point; ``printing``: as printed (layers marked not to print, such as
    the guides, left out). Previews, `serve`'s tiles and the e-paper's page images."""
    import pypdfium2 as pdfium

    own = not isinstance(pdf, pdfium.PdfDocument)
    doc = pdfium.PdfDocument(str(pdf)) if own else pdf
    try:
        bitmap = doc[index].render(scale=scale, optimize_mode="print" if printing else None)
        return bitmap.to_pil().convert("RGB")
    finally:
        if own:
            doc.close()


def preview(src: Path | None, out: Path | None, *, page: int = 1, dpi: float = 50) -> Path:
    import pypdfium2 as pdfium

    from layout.build import BuildOptions, build
    from layout.output import REPO_ROOT, default_output

    if src is None:
        src = default_output(REPO_ROOT / "content.yaml", False)
        if not src.exists():
            build(REPO_ROOT / "content.yaml", BuildOptions())
    elif src.suffix.lower() in (".yaml", ".yml"):
        report = build(src, BuildOptions(proof=True))
        src = Path(report.output)
    if not src.exists():
        raise InputError([Diagnostic("no such PDF", str(src), code="missing-file")])
    out = out or src.with_suffix(".png")
    try:
        pdf = pdfium.PdfDocument(str(src))
    except pdfium.PdfiumError as exc:
        raise InputError([Diagnostic(f"not a readable PDF ({exc})", str(src), code="not-pdf",
                                     hint="preview takes a PDF, or a content .yaml to build first")]) from None
    try:
        if not 1 <= page <= len(pdf):
            raise InputError([Diagnostic(f"page {page} out of range (the PDF has {len(pdf)})", str(src), code="page-range")])
        image = page_picture(pdf, page - 1, scale=dpi / 72.0)
        try:
            image.save(out)
        except OSError as exc:
            from layout.errors import OutputError

            raise OutputError(f"cannot write {out}: {exc.strerror or exc}") from None
    finally:
        pdf.close()
    return out
