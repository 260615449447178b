"""PNG previews of built pages through pypdfium2 (no Ghostscript needed)."""

from __future__ import annotations

from pathlib import Path

from layout.errors import InputError, Diagnostic


def preview(src: Path | None, out: Path | None, *, page: int = 1, dpi: float = 50) -> Path:
    import pypdfium2 as pdfium

    from layout.build import REPO_ROOT, BuildOptions, build, default_output

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
    pdf = pdfium.PdfDocument(str(src))
    if not 1 <= page <= len(pdf):
        raise InputError([Diagnostic(f"page {page} out of range (the PDF has {len(pdf)})", str(src), code="page-range")])
    bitmap = pdf[page - 1].render(scale=dpi / 72.0)
    bitmap.to_pil().save(out)
    return out
