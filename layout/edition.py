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
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from pathlib import Path
from typing import Callable

from layout.build import BuildOptions, build
from layout.errors import BroadsheetError, InputError, OutputError
from layout.files import put_in_place
from layout.report import EditionReport, PageOutcome


def _build_one(args) -> tuple[PageOutcome, dict]:
    """Build one page (in a worker process): its outcome, and its stories' rests."""
    page_no, file, out, folio, options, resume, booked, progress = args
    opts = BuildOptions(**{**options, "output": Path(out), "folio": folio, "booked": booked})
    if progress is not None:  # a queue to the driver's process (or, built here, a function)
        tell = progress.put if hasattr(progress, "put") else progress
        opts.progress = lambda stage: tell((page_no, stage))
    rests: dict = {}
    try:
        drawn: list = []
        report = build(file, opts, resume=resume, rests=rests, pages=drawn)
        if report.output and drawn:  # what `broadsheet diff` compares, beside the PDF
            from layout.diff import page_record, write_record

            try:
                write_record(page_record(drawn[0], report, Path(file).parent), Path(report.output))
            except OSError:
                pass  # (a record only saves diff work: it falls back to the PDFs)
        return PageOutcome(page=page_no, file=str(file), report=report), rests
    except InputError as exc:
        return PageOutcome(page=page_no, file=str(file), error=str(exc), diagnostics=exc.diagnostics,
                           status=exc.exit_status), {}
    except BroadsheetError as exc:
        return PageOutcome(page=page_no, file=str(file), error=str(exc), status=exc.exit_status), {}
    except OSError as exc:  # a full disk, a file-size limit, a path that cannot be used: named
        from layout.errors import fault

        named = fault(exc, doing=None)
        return PageOutcome(page=page_no, file=str(file), error=str(named), status=named.exit_status), {}
    except Exception as exc:  # an engine bug on one page must not take the others down
        return PageOutcome(page=page_no, file=str(file),
                           error=f"internal error: {type(exc).__name__}: {exc} (a bug in broadsheet)", status=1), {}


def _sources(file: Path) -> list[tuple[str, Path, str]]:
    """(article id, source page file, source article) of each story a page continues."""
    from layout.model.read import read
    from layout.model.source import load_file

    try:
        if b"continued_from" not in file.read_bytes():  # (most pages continue nothing: not parsed here)
            return []
    except OSError:
        return []
    try:
        doc, problems = read(load_file(file).data)
    except BroadsheetError:
        return []
    if doc is None:
        return []  # (the page's own build reports what is wrong with it)
    return [(art.id, (file.parent / art.continued_from.file).resolve(), art.continued_from.article)
            for art in doc.articles if art.continued_from is not None]


def build_edition(path: Path, options: BuildOptions, *, out_dir: Path | None = None, workers: int | None = None,
                  on_page: Callable[[PageOutcome], None] | None = None,
                  on_stage: Callable[[int, str], None] | None = None, missing_ok: bool = False) -> EditionReport:
    """Build (or check) every page of the edition at ``path``. ``on_page`` hears of each page
    as it is done; ``on_stage`` of each page's stages as they start ((page, "waiting"), then
    the build's own stage names: "reading ...", "composing the page", "preparing photos",
    "drawing the PDF"), from the worker processes through a queue. ``missing_ok``: a page file
    that does not exist fails that page only (the e-paper lists it as missing), instead of
    refusing the edition."""
    from layout.model.edition import page_file, page_overrides, validate_edition
    from layout.model.source import load_file

    t0 = time.perf_counter()
    source = load_file(path)
    edition = validate_edition(source, files=not missing_ok, allow_outside=options.allow_outside)
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
    booked, report_ads, bookings_file, ad_findings = plan_edition(source, edition, jobs, options)
    from layout.build import damage_notes

    ad_findings = [*ad_findings, *damage_notes()]  # (cache entries the ad checks found damaged)
    in_edition = {file for _, file, _, _ in jobs}
    # a page waits for the pages of this edition its stories continue from
    needs = {file: [s for s in _sources(file) if s[1] in in_edition and s[1] != file] for _, file, _, _ in jobs}
    workers = max(1, min(workers or os.cpu_count() or 1, len(jobs)))
    report = EditionReport(input=str(path), workers=workers, bookings=bookings_file, ads=report_ads,
                           findings=ad_findings)
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
    manager = queue = None
    if on_stage is not None:
        for no, *_ in jobs:
            on_stage(no, "waiting")
        if pool is not None:
            import multiprocessing

            manager = multiprocessing.Manager()
            queue = manager.Queue()
        else:
            queue = lambda event: on_stage(*event)  # noqa: E731

    def drain() -> None:
        if manager is not None:
            while not queue.empty():
                on_stage(*queue.get())

    def finished(futures):
        """The futures' results as they finish, with the stages heard meanwhile."""
        left = set(futures)
        while left:
            done, left = wait(left, timeout=0.1, return_when=FIRST_COMPLETED)
            drain()
            for f in done:
                yield f.result()

    try:
        while pending:
            wave = [j for j in pending if all(src in rests or src in failed for _, src, _ in needs[j[1]])]
            if not wave:  # continuations in a circle: each page finds out for itself, and says so
                wave = pending
            pending = [j for j in pending if j not in wave]
            args = [(no, file, out, folio, plain, resume_for(file), booked.get(no, ()), queue)
                    for no, file, out, folio in wave]
            results = (map(_build_one, args) if pool is None
                       else finished([pool.submit(_build_one, a) for a in args]))
            for outcome, page_rests in results:
                file = Path(outcome.file)
                (rests.__setitem__(file, page_rests) if outcome.report is not None else failed.add(file))
                outcomes.append(outcome)
                if on_page:
                    on_page(outcome)
    finally:
        if pool is not None:
            pool.shutdown()
        if manager is not None:
            manager.shutdown()
    report.pages = sorted(outcomes, key=lambda o: o.page)
    _final_frames(report)
    report.ok = all(p.ok for p in report.pages) and not (options.strict and report.findings)
    if edition.combined and report.ok and options.write:
        report.combined = str(_combine([Path(p.report.output) for p in report.pages],
                                       out_dir / f"{Path(path).stem}-combined{suffix}.pdf"))
    report.seconds = time.perf_counter() - t0
    if options.write and any(p.report is not None and p.report.output for p in report.pages):
        import json

        from layout.cache import atomic_write

        try:  # the build's report beside its pages, for `broadsheet diff` and the desk's scripts
            atomic_write(out_dir / "edition.json", json.dumps(report.to_dict(), ensure_ascii=False, indent=1).encode())
        except OSError:
            pass
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
    if put_in_place(tmp, out):
        from layout.output import remove_later

        remove_later(tmp)
    return out


# -- the booking list ----------------------------------------------------------------------------


def booking_file(source, edition, allow_outside: bool = False) -> Path | None:
    """The edition's booking list: the file ``ads:`` names, else ads.yaml or ads.csv beside the
    edition file, else None. Inside the edition's folder (unless ``allow_outside``), a YAML or
    CSV file, never a special file; a named file that does not exist is a located error."""
    from layout.files import PathProblem, checked_path

    names = [edition.ads] if edition.ads else [n for n in ("ads.yaml", "ads.yml", "ads.csv")
                                               if (source.folder / n).exists() or (source.folder / n).is_symlink()]
    if not names:
        return None
    name = names[0]
    try:
        path = checked_path(name, source.folder, allow_outside=allow_outside, what="booking list",
                            whose="the edition's", into="the edition's folder")
    except PathProblem as exc:
        message = f"booking list {name!r} not found" if exc.code == "missing-file" and not exc.hint else exc.message
        raise InputError([source.diagnostic(("ads",) if edition.ads else (), message,
                                            hint=exc.hint or "paths are relative to the edition file",
                                            code=exc.code)]) from None
    if path.suffix.lower() not in (".yaml", ".yml", ".csv"):  # (no other file is read, or quoted, as one)
        raise InputError([source.diagnostic(("ads",), f"booking list {name!r} is not a YAML or CSV file",
                                            hint="name the booking list's .yaml or .csv file", code="not-a-page")])
    return path


def _slot(no: int, file: Path, folio: dict, entry) -> tuple:
    """The planner's view of a page (layout.plan.place.Slot), and the page's folder."""
    from layout.model.source import load_file
    from layout.model.validate import validate
    from layout.plan.place import Slot

    section = folio.get("section", "")
    try:
        v = validate(load_file(file), layout=False, folio=folio)
    except BroadsheetError:
        return Slot(number=no, columns=1, lines=1, odd=bool(no % 2), section=section, ok=False)
    doc, g = v.doc, v.grid
    mh = doc.masthead.frame if doc.masthead is not None else None
    band = mh.line + mh.lines - 1 if mh is not None and mh.line == 1 else 0
    taken, stacked = [], []
    for i, ad in enumerate(doc.ads):
        f = ad.frame
        what = f"the page's ad {ad.id or i + 1!r}"
        # on an automatic page only ads in the masthead's band keep their place: the layout
        # stacks the others from the foot (by the same rules), with the booked ones
        if doc.place != "auto" or f.line + f.lines - 1 <= band:
            taken.append((what, (f.column, f.columns, f.line, f.lines)))
        else:
            stacked.append((what, f.columns, f.lines))
    return Slot(number=no, columns=g.columns, lines=g.lines, odd=g.odd, section=section or doc.folio.section,
                free=entry.free, mono=entry.mono, stories=len(doc.articles),
                masthead=(mh.column, mh.columns, mh.line, mh.lines) if mh is not None else None, taken=tuple(taken),
                stacked=tuple(stacked))


def plan_edition(source, edition, jobs, options: BuildOptions):
    """Read the edition's booking list, check every ad's file, place the ads (layout.plan) and
    make each page's ad records. Returns (page number -> ad records, the bookings as the report
    lists them, the booking list's path or "", findings: ads not placed, files flagged)."""
    import os.path

    from layout.assets.vectors import VectorError, is_pdf, pdf_page_size, press_problems
    from layout.cache import usable_root
    from layout.findings import AdFile, Location
    from layout.model.bookings import load_bookings
    from layout.model.content import Frame, ImageAd
    from layout.plan.place import plan_ads
    from layout.report import BookedAd

    from layout.files import PathProblem, checked_path

    path = booking_file(source, edition, options.allow_outside)
    if path is None:
        return {}, [], "", []
    bookings, bsource = load_bookings(path)
    entries = edition.entries()
    slots, folders = [], {}
    for i, (no, file, _, folio) in enumerate(jobs):
        slots.append(_slot(no, file, folio, entries[i]))
        folders[no] = file.parent
    where = {}
    for i, b in enumerate(bookings.ads):
        line, col = bsource.position(("ads", i))
        where[b.id] = Location(bsource.file, line, col)
    refused: dict[str, tuple[str, str]] = {}
    flagged: dict[str, list[str]] = {}
    cache, _ = usable_root(options.cache_dir)
    tac = 240.0
    for i, b in enumerate(bookings.ads):
        try:  # (the rule of every path: inside the edition's folder, a regular file)
            ad_path = checked_path(b.file, path.parent, allow_outside=options.allow_outside, what="ad",
                                   whose="the edition's", within=source.folder)
        except PathProblem as exc:
            refused[b.id] = ("file", f"its file {b.file!r} is missing (paths are relative to {path.name})"
                             if exc.code == "missing-file" and not exc.hint else f"its file: {exc.message}")
            continue
        try:
            if is_pdf(b.file):
                pdf_page_size(ad_path)
                problems = press_problems(ad_path, tac_limit=tac, cache=cache)
                if problems and not options.proof:
                    refused[b.id] = ("preflight", f"its file {b.file} is not ready for press: " + "; ".join(problems))
                elif problems:
                    flagged[b.id] = problems
            else:
                from layout.assets.images import ImageError, upright_size

                try:
                    upright_size(ad_path, cache / "images")
                except ImageError as exc:
                    raise VectorError(f"is not a picture broadsheet can place ({exc.message})") from None
        except VectorError as exc:
            refused[b.id] = ("file", f"its file {b.file!r} {exc.message}")
    plan = plan_ads(bookings.ads, slots, refused=refused, where=where)
    by_id = {b.id: b for b in bookings.ads}
    slot_of = {s.number: s for s in slots}
    booked: dict[int, tuple] = {}
    placed = {}
    for pl in plan.placed:
        b = by_id[pl.id]
        c, cs, ln, ls = pl.frame
        rel = os.path.relpath((path.parent / b.file).resolve(), folders[pl.page])
        s = slot_of[pl.page]
        # an automatic page places its ads again by the same rules: each keeps to the edge the plan
        # put it on, or, standing in the stack, toward the outer edge the stack pyramids to (the
        # automatic layout lets an ad keep to its side against ads only: side-by-side ads stay so)
        outer = "right" if s.odd else "left"
        side = outer if cs == s.columns else "right" if c + cs - 1 == s.columns else "left" if c == 1 else outer
        ad = ImageAd(id=b.id, frame=Frame(column=c, columns=cs, line=ln, lines=ls), file=rel, side=side)
        booked[pl.page] = booked.get(pl.page, ()) + (ad,)
        placed[pl.id] = pl
    lost = {f.ad: f for f in plan.unplaced}
    rows = []
    findings: list = []
    for b in bookings.ads:
        row = BookedAd(id=b.id, advertiser=b.advertiser, size=b.size, kind=b.kind, category=b.category, color=b.color,
                       file=b.file)
        if b.id in placed:
            pl = placed[b.id]
            row.page, row.frame, row.how = pl.page, pl.frame, pl.how
            row.status = "flagged" if b.id in flagged else "placed"
        else:
            f = lost[b.id]
            row.status, row.reason, row.message, row.page = "unplaced", f.reason, f.message, b.page or 0
        rows.append(row)
    for b in bookings.ads:  # in the list's order: the ad desk reads them top to bottom
        if b.id in lost:
            findings.append(lost[b.id])
        elif b.id in flagged:
            findings.append(AdFile(ad=b.id, file=b.file, problems=flagged[b.id], where=where[b.id]))
    return booked, rows, str(path), findings


def _final_frames(report: EditionReport) -> None:
    """Booked ads on automatic pages as the pages' layouts placed them (the plan chose their
    page and checked they fit; the layout moved them by the same rules)."""
    where = {}
    for p in report.pages:
        if p.report is not None:
            for ad in p.report.ads:
                if ad.booked:
                    where[ad.id] = (p.page, ad.frame)
    for row in report.ads:
        if row.status != "unplaced" and row.id in where and where[row.id][0] == row.page:
            row.frame = where[row.id][1]
