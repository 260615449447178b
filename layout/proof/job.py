"""``broadsheet print``: a page, an edition or a PDF in; proof sheets on an office printer out.

Which PDF is printed: a content file is built as the **press** PDF (into a temporary folder,
not over the page's own output), because that is the file the plant gets: the same photos
separated for newsprint, the same fonts, the same slug. What the night desk checks on paper is
then what goes to press. ``--guides`` builds a proof instead (guides exist only on proofs, on
their non-printing layer) and prints the layer. An edition is built the same way, every page,
and its sheets are sent as one job in page order. A PDF is printed as it is (every page, or
``--pages``), its non-printing layers left out.

The order of work: the printer is asked first (a wrong name or a stopped printer is said before
anything is built), then the pages are built, the sheets imposed (layout.proof.impose) and sent
as one job (layout.proof.cups). ``--dry-run -o FILE`` writes exactly the sheets that would be
sent and asks no printer.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from msgspec import Struct, field

from layout.errors import Diagnostic, InputError, UsageError
from layout.proof.impose import OVERLAP, SHEETS, Imposed, impose, sheet_for_media, sheet_named
from layout.proof.pages import PageRef, read_pages, select

DEFAULT_SHEET = "a3"


class PrintRequest(Struct, kw_only=True):
    file: Path
    printer: str | None = None
    sheet: str | None = None  # None: the printer's default paper if it is one we know, else A3
    tile: bool = False
    copies: int = 1
    pages: str | None = None
    guides: bool = False
    dry_run: bool = False
    output: Path | None = None
    wait: bool = False
    timeout: float = 600.0
    server: str | None = None
    overlap_mm: float = OVERLAP * 25.4 / 72
    allow_outside: bool = False


class PrintOutcome(Struct, kw_only=True):
    imposed: Imposed
    pages: list[str] = field(default_factory=list)
    job: object = None  # layout.proof.cups.Job when sent
    printer: str = ""
    server: str = ""
    source: str = ""  # "press build", "proof build with guides", "PDF"

    def lines(self) -> list[str]:
        im = self.imposed
        n = im.sheets
        what = f"{n} {im.sheet.name} sheet{'s' if n != 1 else ''} of page{'s' if len(self.pages) != 1 else ''} " \
               f"{', '.join(self.pages)} (from the {self.source})"
        out = []
        if self.job is None:
            out.append(f"wrote {im.path}: {what}")
        else:
            out.append(f"sent to {self.printer!r} on {self.server} as job {self.job.id}: {what}")
        out += ["  " + s for s in im.summary()]
        if im.guides_removed:
            out.append(f"  non-printing layers (guides) left out: {im.guides_removed} operators")
        if self.job is not None and self.job.state == "completed":
            out.append(f"job {self.job.id} completed")
        return out


def _check(req: PrintRequest) -> None:
    if req.dry_run and req.output is None:
        raise UsageError("--dry-run writes the sheets instead of printing them: give the file with -o FILE")
    if req.output is not None and not req.dry_run:
        raise UsageError("-o goes with --dry-run (print writes no file when it prints)")
    if not 1 <= req.copies <= 999:
        raise UsageError(f"--copies {req.copies}: from 1 to 999")
    if not 0 <= req.overlap_mm <= 50:
        raise UsageError(f"--overlap {req.overlap_mm:g}: from 0 to 50 mm")
    if not req.file.exists():
        raise InputError([Diagnostic("no such file", str(req.file), code="missing-file",
                                     hint="print takes a page's content .yaml, an edition .yaml or a PDF")])


def _build(req: PrintRequest, folder: Path) -> tuple[list[PageRef], str]:
    """The pages to print, built into ``folder`` when the input is a content or edition file."""
    if req.file.suffix.lower() == ".pdf":
        return read_pages(req.file), "PDF"
    from layout.build import BuildOptions, build
    from layout.model.source import is_edition, load_file
    from layout.output import default_output

    proof = req.guides  # guides exist only on proofs
    kind = "proof build with guides" if proof else "press build"
    source = load_file(req.file)
    if not is_edition(source):
        out = folder / default_output(req.file, proof).name  # the name the slug line gives
        report = build(req.file, BuildOptions(output=out, proof=proof, guides=req.guides,
                                              allow_outside=req.allow_outside), source=source)
        return read_pages(report.output), kind
    from layout.edition import build_edition

    report = build_edition(req.file, BuildOptions(proof=proof, guides=req.guides, allow_outside=req.allow_outside),
                           out_dir=folder / "edition")
    failed = [p for p in report.pages if p.report is None]
    if failed:
        diags = []
        for p in failed:
            diags += p.diagnostics or [Diagnostic(f"page {p.page} did not build: {p.error}", p.file)]
        raise InputError(diags)
    refs = []
    for p in sorted(report.pages, key=lambda o: o.page):
        refs += read_pages(p.report.output, number=str(p.page))
    return refs, kind


def run(req: PrintRequest) -> PrintOutcome:
    """Build, impose and print (or, ``dry_run``, write) the sheets of ``req``."""
    _check(req)
    sheet = sheet_named(req.sheet) if req.sheet else None
    client = printer = None
    if not req.dry_run:
        from layout.proof.cups import Client

        client = Client(req.server)
        printer = client.printer(req.printer)
        if sheet is None:
            sheet = sheet_for_media(printer.media_default)
    sheet = sheet or SHEETS[DEFAULT_SHEET]
    with tempfile.TemporaryDirectory(prefix="broadsheet-print-") as tmp:
        folder = Path(tmp)
        refs, kind = _build(req, folder)
        refs = select(refs, req.pages)
        target = req.output if req.dry_run else folder / "sheets.pdf"
        numbers = [r.number for r in refs]
        mode = "tiles" if req.tile else "fit"
        title = f"broadsheet {refs[0].name if len(refs) == 1 else req.file.name} p{','.join(numbers)} {mode} {sheet.name}"
        try:
            imposed = impose(refs, sheet, target, tile=req.tile, overlap=req.overlap_mm * 72 / 25.4,
                             guides=req.guides, title=title)
        except OSError as exc:
            from layout.errors import OutputError

            raise OutputError(f"cannot write {target}: {exc.strerror or exc}") from None
        outcome = PrintOutcome(imposed=imposed, pages=numbers, source=kind)
        if client is None:
            return outcome
        job = client.submit(printer, str(target), title=title, media=sheet.media, copies=req.copies)
        outcome.job, outcome.printer, outcome.server = job, printer.name, client.server
        if req.wait:
            outcome.job = client.wait(job, req.timeout)
    return outcome
