"""Building an edition: every page in its own process (pages are independent), one PDF per page
plus an optional combined proof, and one report for the whole issue.

Continued stories (转版) are the one dependency between pages: the page a story starts on is
built first, and the part of the story that did not fit there (its *rest*) is passed forward to
the page it continues on, instead of that page reading and composing the other one again. So
pages are built in waves: each wave holds the pages whose sources are built.

A page that fails does not stop the others: a night desk wants every good page out, and the
report names the bad ones with their diagnostics.
"""

from __future__ import annotations

import os
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from pathlib import Path
from typing import Callable

from layout.build import BuildOptions, build
from layout.errors import BroadsheetError, InputError, OutputError
from layout.report import EditionReport, PageOutcome


def _build_one(args) -> tuple[PageOutcome, dict]:
    """Build one page (in a worker process): its outcome, and its stories' rests."""
    page_no, file, out, folio, options, resume = args
    opts = BuildOptions(**{**options, "output": Path(out), "folio": folio})
    rests: dict = {}
    try:
        report = build(file, opts, resume=resume, rests=rests)
        return PageOutcome(page=page_no, file=str(file), report=report), rests
    except InputError as exc:
        return PageOutcome(page=page_no, file=str(file), error=str(exc), diagnostics=exc.diagnostics), {}
    except BroadsheetError as exc:
        return PageOutcome(page=page_no, file=str(file), error=str(exc)), {}
    except Exception as exc:  # an engine bug on one page must not take the others down
        return PageOutcome(page=page_no, file=str(file),
                           error=f"internal error: {type(exc).__name__}: {exc} (a bug in broadsheet)"), {}


def _sources(file: Path) -> list[tuple[str, Path, str]]:
    """(article id, source page file, source article) of each story a page continues."""
    from layout.model.read import read
    from layout.model.source import load_file

    try:
        doc, problems = read(load_file(file).data)
    except BroadsheetError:
        return []
    if doc is None:
        return []  # (the page's own build reports what is wrong with it)
    return [(art.id, (file.parent / art.continued_from.file).resolve(), art.continued_from.article)
            for art in doc.articles if art.continued_from is not None]


def build_edition(path: Path, options: BuildOptions, *, out_dir: Path | None = None, workers: int | None = None,
                  on_page: Callable[[PageOutcome], None] | None = None, missing_ok: bool = False) -> EditionReport:
    """Build every page of the edition at ``path``; ``missing_ok``: a page file that does not
    exist fails that page only (the e-paper lists it as missing), instead of refusing the
    edition."""
    from layout.model.edition import page_file, page_overrides, validate_edition
    from layout.model.source import load_file

    t0 = time.perf_counter()
    source = load_file(path)
    edition = validate_edition(source, files=not missing_ok)
    entries = edition.entries()
    out_dir = out_dir or (source.folder / "output" / Path(path).stem)
    if options.write:  # (`check` of an edition composes every page and writes nothing)
        try:
            out_dir.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise OutputError(f"cannot use {out_dir} as the edition's output folder: {exc.strerror or exc}") from None
        if not os.access(out_dir, os.W_OK):
            raise OutputError(f"output folder {out_dir} is not writable")
    suffix = "-proof" if options.proof else ""
    plain = {k: getattr(options, k) for k in ("proof", "strict", "normalize", "allow_outside", "cache_dir", "guides",
                                               "verify", "write", "tagged")}
    jobs = []
    for i, entry in enumerate(entries):
        overrides = page_overrides(edition, i, entry)
        no = overrides["page"]
        jobs.append((no, page_file(source, entry), out_dir / f"p{no:02d}{suffix}.pdf", overrides))
    in_edition = {file for _, file, _, _ in jobs}
    # a page waits for the pages of this edition its stories continue from
    needs = {file: [s for s in _sources(file) if s[1] in in_edition and s[1] != file] for _, file, _, _ in jobs}
    workers = max(1, min(workers or os.cpu_count() or 1, len(jobs)))
    report = EditionReport(input=str(path), workers=workers)
    outcomes: list[PageOutcome] = []
    rests: dict[Path, dict] = {}  # built page -> its stories' rests
    failed: set[Path] = set()
    pending = list(jobs)

    def resume_for(file: Path) -> dict | None:
        """The rests a page continues, from the pages built before it (None: it composes its
        sources itself, as a single page does, e.g. when one of them failed)."""
        if not needs[file] or any(src not in rests for _, src, _ in needs[file]):
            return None
        return {art: rests[src].get(article, []) for art, src, article in needs[file]}

    pool = ProcessPoolExecutor(max_workers=workers) if workers > 1 and len(jobs) > 1 else None
    try:
        while pending:
            wave = [j for j in pending if all(src in rests or src in failed for _, src, _ in needs[j[1]])]
            if not wave:  # continuations in a circle: each page finds out for itself, and says so
                wave = pending
            pending = [j for j in pending if j not in wave]
            args = [(no, file, out, folio, plain, resume_for(file)) for no, file, out, folio in wave]
            results = (map(_build_one, args) if pool is None
                       else (f.result() for f in as_completed([pool.submit(_build_one, a) for a in args])))
            for outcome, page_rests in results:
                file = Path(outcome.file)
                (rests.__setitem__(file, page_rests) if outcome.report is not None else failed.add(file))
                outcomes.append(outcome)
                if on_page:
                    on_page(outcome)
    finally:
        if pool is not None:
            pool.shutdown()
    report.pages = sorted(outcomes, key=lambda o: o.page)
    report.ok = all(p.ok for p in report.pages)
    if edition.combined and report.ok and options.write:
        report.combined = str(_combine([Path(p.report.output) for p in report.pages],
                                       out_dir / f"{Path(path).stem}-combined{suffix}.pdf"))
    report.seconds = time.perf_counter() - t0
    return report


def _combine(files: list[Path], out: Path) -> Path:
    """One PDF with every page, for proofing on screen (the press takes the single pages)."""
    import pikepdf

    combined = pikepdf.Pdf.new()
    for i, f in enumerate(files):
        with pikepdf.open(f) as src:
            combined.pages.extend(src.pages)
            if i == 0 and "/OutputIntents" in src.Root:
                combined.Root.OutputIntents = combined.copy_foreign(src.Root.OutputIntents)
    tmp = out.with_name(f".{out.name}.{os.getpid()}.tmp")
    combined.save(tmp, deterministic_id=True)
    os.replace(tmp, out)
    return out
