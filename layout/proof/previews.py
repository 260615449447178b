"""``broadsheet preview --soft-proof`` and ``--plates``: the press page as newsprint shows it,
and its plates.

Both need the press PDF (its inks and its output profile): a content file is built as a press
page first (into its usual ``output/`` file, as ``preview`` builds a proof), no file means the
seed page, and a PDF is used as it is. Per-article soft proofs need the page's frames, so they
are made when the content file is known (a content file given, or the seed).
"""

from __future__ import annotations

from pathlib import Path

from layout.errors import Diagnostic, InputError, UsageError


def _press_pdf(src: Path | None) -> tuple[Path, Path | None]:
    """(the press PDF, the content file it comes from, when known)."""
    from layout.build import BuildOptions, build
    from layout.output import REPO_ROOT

    if src is None:
        src = REPO_ROOT / "content.yaml"
    if src.suffix.lower() in (".yaml", ".yml"):
        from layout.model.source import is_edition, load_file

        source = load_file(src)
        if is_edition(source):
            raise UsageError(f"{src} is an edition; preview one of its pages (its content file or its PDF)")
        report = build(src, BuildOptions(), source=source)
        return Path(report.output), src
    if not src.exists():
        raise InputError([Diagnostic("no such PDF", str(src), code="missing-file")])
    return src, None


def preview_press(src: Path | None, out: Path | None, *, page: int = 1, dpi: float = 50,
                  plates: bool = False) -> list[str]:
    """Write the soft proof (``out``: the page's PNG; articles beside it) or the plates (``out``:
    a folder); return what to print, one line per file."""
    from layout.proof.pages import read_pages
    from layout.proof.separate import separate

    pdf, content = _press_pdf(src)
    refs = read_pages(pdf)
    if not 1 <= page <= len(refs):
        raise InputError([Diagnostic(f"page {page} out of range (the PDF has {len(refs)})", str(pdf), code="page-range")])
    number = refs[page - 1].number
    sep = separate(pdf, page - 1, dpi)
    lines: list[str] = []
    if plates:
        from layout.proof.plates import write_plates

        assert out is not None
        try:
            pngs, js, record = write_plates(sep, out, number)
        except OSError as exc:
            from layout.errors import OutputError

            raise OutputError(f"cannot write the plates into {out}: {exc.strerror or exc}") from None
        for path in pngs:
            name = path.stem.rsplit("-", 1)[-1]
            c = record["plates"][name]
            lines.append(f"{path}  {name}: ink on {c['inked_area_percent']:.1f} % of the page, "
                         f"mean {c['mean_ink_percent']:.1f} %, max {c['max_ink_percent']:.0f} %")
        lines.append(f"{js}  coverage of page {number} ({record['area']}); heaviest total ink "
                     f"{record['max_total_ink_percent']:.0f} %")
        return lines
    from layout.proof.softproof import article_areas, crop, paper_colour, soft_proof

    image, label = soft_proof(sep)
    out = out or pdf.with_name(f"{pdf.stem}-softproof.png")
    try:
        image.save(out)
        paper = paper_colour(image)
        lines.append(f"{out}  page {number} through {label}, absolute colorimetric (paper: sRGB {paper[0]} {paper[1]} {paper[2]})")
        if content is None:
            lines.append("(per-article soft proofs need the page's content file: give its .yaml instead of the PDF)")
            return lines
        for name, area in article_areas(content):
            path = out.with_name(f"{out.stem}-{name}.png")
            crop(image, dpi, area).save(path)
            lines.append(f"{path}  {name.replace('-', ' ', 1)}")
    except OSError as exc:
        from layout.errors import OutputError

        raise OutputError(f"cannot write {out}: {exc.strerror or exc}") from None
    return lines
