"""The build of one page, stage by stage: read -> compose -> prepare assets -> render and finish
-> report.

Like WeasyPrint's document.py, this module only drives the stages; each lives in its own package
(``model``, ``compose``, ``assets``, ``render``, ``finish``) and data only flows down: the page
is read and validated once into records, composition is a pure function of those records (and
of the fonts' metrics and the pictures' sizes), pictures are prepared from what the display list
says, and the renderer draws the display list. A build either writes a complete PDF (atomically,
``layout.output``) or raises with located diagnostics and leaves the previous PDF untouched.
"""

from __future__ import annotations

import time
from pathlib import Path

from msgspec import Struct, field
from msgspec.structs import replace

from layout.errors import BroadsheetError, InputError, OutputError, Problem, ProblemsError, SetupError
from layout.findings import AdFile, Location, LowResolution, Notice
from layout.report import LayoutInfo, PageAd, Report


class BuildOptions(Struct, kw_only=True):
    output: Path | None = None
    proof: bool = False
    strict: bool = False
    normalize: bool | None = None  # None: as content.yaml says
    allow_outside: bool = False
    cache_dir: Path | None = None
    guides: bool = False  # proof only: columns, baseline grid, modules on a non-printing layer
    progress: object = None  # callable(stage: str) told as each stage starts (the CLI's status line)
    folio: dict | None = None  # folio values an edition sets (page number, paper, date, section)
    write: bool = True  # False: `check` (compose and prepare, no PDF)
    verify: bool = False  # press: read the written file back and check its PDF/X rules (`build --verify`)
    booked: tuple = ()  # ads an edition's booking list puts on the page (records with frames, layout.plan)
    tagged: bool = False  # a tagged PDF: structure tree (stories, heads, paragraphs, figures), /Lang (`build --tagged`)
    placed: object = None  # callable(path) told as soon as the PDF is in place (serve opens it while the build ends)
    regions: object = None  # callable(page) -> boxes (x0, y0, x1, y1, points): the items there also in <out>.region.pdf


class Composed(Struct, kw_only=True):
    """A page read, placed and composed: everything a build needs before assets."""

    v: object  # layout.model.validate.Validated
    faces: object  # layout.fonts.faces.FaceSet
    page: object  # layout.display.Page
    notes: object  # layout.compose.context.Notes
    layout: LayoutInfo | None = None
    continued: dict = field(default_factory=dict)  # article id -> blocks continued from another page


#: how deep continued stories may chain (page 1 -> 5 -> 9 ...) before it is called a circle
MAX_JUMP_DEPTH = 8


def compose_file(source, options: BuildOptions, cache: Path, *, resume: dict | None = None, depth: int = 0) -> Composed:
    """Read, place (``place: auto``) and compose a loaded page. ``resume`` holds, for articles
    continued from another page, the blocks that did not fit there (an edition passes them
    forward); without it, each such page is composed here to find them."""
    from layout.assets.photos import picture_sizes
    from layout.compose.page import compose_page
    from layout.fonts import FontConfigError
    from layout.fonts.faces import page_fonts
    from layout.model.validate import validate, with_frames

    v = validate(source, allow_outside=options.allow_outside, layout=None, folio=options.folio)
    if options.booked:
        v = with_booked(v, options.booked)
    if not v.doc.articles and not v.doc.ads:  # (after the edition's booked ads: an ad page is not empty)
        v.warnings.append(source.diagnostic(
            ("articles",), "the page has nothing on it: no articles and no ads (it would print blank but for "
                           "the folio" + (" and the masthead)" if v.doc.masthead is not None else ")"),
            hint="add the page's stories under `articles:`, or its ads under `ads:` (an edition's booking list "
                 "may put ads on it)", key=True, severity="warning", code="empty-page"))
    if options.normalize is not None:
        v.doc = replace(v.doc, typography=replace(v.doc.typography, normalize=options.normalize))
    try:
        faces = page_fonts(source.folder, v.doc.fonts, cache, allow_outside=options.allow_outside)
        for role in v.doc.fonts:  # a page's own font files are opened now, so a bad one is located
            faces.registry.face(role)
    except FontConfigError as exc:
        path = ("fonts", exc.role, "file") if exc.role in v.doc.fonts else ("fonts",)
        raise InputError([source.diagnostic(path, exc.message, hint=exc.hint or "", code="font")]) from None
    sizes: dict = picture_sizes([pic.file for art in v.doc.articles for ph in art.photos for pic in ph.pictures],
                                source.folder, cache / "images")
    pdf_ads = [(ad.file, ad.page) for ad in v.doc.ads if getattr(ad, "file", "").lower().endswith(".pdf")]
    if pdf_ads:  # ads delivered as PDF keep their proportions: their pages' sizes, in points
        from layout.assets.vectors import vector_sizes

        sizes.update(vector_sizes(pdf_ads, source.folder))
    layout = None
    try:
        if v.doc.place == "auto":
            from layout.compose.autopage import place_page, placed

            placement = place_page(v.doc, v.grid, faces, sizes)
            v = with_frames(v, placed(v.doc, placement), allow_outside=options.allow_outside)
            layout = LayoutInfo(**placement.report())
        continued = resume if resume is not None else _continued(v, options, cache, depth)
        page, notes = compose_page(v.doc, v.grid, faces, picture_sizes=sizes, continuations=continued,
                                   name=source.file)
    except ProblemsError as exc:
        raise InputError(located(exc.problems, source)) from None
    except FontConfigError as exc:  # a configured font that cannot be opened (missing package, bad file)
        path = ("fonts", exc.role) if exc.role in v.doc.fonts else ()
        raise InputError([source.diagnostic(path, exc.message, hint=exc.hint or "", code="font")]) from None
    if notes.errors:
        raise InputError(located(notes.errors, source))
    _refuse_unset_characters(page, faces, source)
    return Composed(v=v, faces=faces, page=page, notes=notes, layout=layout, continued=continued)


def with_booked(v, booked) -> object:
    """The page with the ads an edition's booking list puts on it (their frames chosen by
    :mod:`layout.plan`; on a ``place: auto`` page the layout places them again, by the same rules).
    On a hand-placed page the editor's frames are checked against them: an article may hold a
    booked ad inside its frame (the text flows around it), but not cut across one."""
    from layout.model.frames import inside, overlap

    doc = v.doc
    problems = []
    if doc.place != "auto":
        for ai, art in enumerate(doc.articles):
            if art.frame is None:
                continue
            for ad in booked:
                if overlap(ad.frame, art.frame) and not inside(ad.frame, art.frame):
                    f = ad.frame
                    problems.append(v.source.diagnostic(
                        ("articles", ai, "frame"),
                        f"article {art.id!r} cuts across booked ad {ad.id!r} (columns {f.column}-{f.column + f.columns - 1}, "
                        f"lines {f.line}-{f.line + f.lines - 1})",
                        hint="the booking list puts the ad there (`broadsheet plan` shows the edition): move or shrink the "
                             "article's frame, make it hold the ad whole, or let the page place its stories (place: auto)",
                        code="booked-ad"))
    if problems:
        raise InputError(problems)
    return replace(v, doc=replace(doc, ads=[*doc.ads, *booked]))


def page_ads(v, booked: set[str]) -> list[PageAd]:
    """Every ad of a composed page, with its frame and its module's box in points."""
    g = v.grid
    out = []
    for i, ad in enumerate(v.doc.ads):
        f = ad.frame
        file = getattr(ad, "file", "")
        kind = "public-service" if not file else "pdf" if file.lower().endswith(".pdf") else "image"
        box = (g.column_x(f.column), g.line_top(f.line), g.span_width(f.columns), f.lines * g.pitch)
        out.append(PageAd(id=ad.id or f"ads[{i}]", kind=kind, frame=(f.column, f.columns, f.line, f.lines),
                          box=tuple(round(x, 2) for x in box), booked=bool(ad.id) and ad.id in booked, file=file))
    return out


def _refuse_unset_characters(page, faces, source) -> None:
    """A character no face of its role has would print as nothing: an input error at the text it
    is in (each character once per place), never a silent hole."""
    from layout.fonts.faces import unset_characters

    problems: list[Problem] = []
    seen: set = set()
    for run, ch in unset_characters(page, faces):
        if (run.at, ch) in seen:
            continue
        seen.add((run.at, ch))
        name = f"'{ch}'" if ch.isprintable() else repr(ch)
        problems.append(Problem(run.at, f"no font has the character {name} (U+{ord(ch):04X})",
                                hint=f"font role {run.font!r} and its fallbacks lack it: replace the character, or give "
                                     f"the role a font that has it (fonts: in content.yaml)", code="missing-glyph"))
    if problems:
        raise InputError(located(problems, source))


def _continued(v, options: BuildOptions, cache: Path, depth: int) -> dict:
    """For each article continued from another page (转版), the blocks that did not fit there:
    that page is composed (no pictures, no PDF) to find where its story was cut."""
    from layout.model.source import load_file

    out: dict = {}
    for ai, art in enumerate(v.doc.articles):
        cont = art.continued_from
        if cont is None:
            continue
        if depth >= MAX_JUMP_DEPTH:
            raise InputError([v.source.diagnostic(("articles", ai, "continued_from"), "continuations run in a circle",
                                                  code="jump-loop")])
        other_source = load_file((v.source.folder / cont.file).resolve())
        if not (isinstance(other_source.data, dict) and ("folio" in other_source.data or "articles" in other_source.data)):
            raise InputError([v.source.diagnostic(("articles", ai, "continued_from", "file"),
                                                  f"{cont.file} is not a content page (it has no folio: or articles:)",
                                                  hint="name the content file of the page the story starts on",
                                                  code="jump-file")])  # (nothing of it quoted)
        other = compose_file(other_source, BuildOptions(allow_outside=options.allow_outside, cache_dir=options.cache_dir),
                             cache, depth=depth + 1)
        if cont.article not in {a.id for a in other.v.doc.articles}:
            ids = ", ".join(a.id for a in other.v.doc.articles)
            raise InputError([v.source.diagnostic(("articles", ai, "continued_from", "article"),
                                                  f"{cont.file} has no article {cont.article!r}", hint=f"its articles: {ids}",
                                                  code="jump-article")])
        out[art.id] = other.notes.rest.get(cont.article, [])
    return out


def located(problems: list[Problem], source) -> list:
    from layout.model.validate import located as locate

    return locate(problems, source)


def _where(source, at: tuple) -> Location | None:
    if not at:
        return None
    line, column = source.position(at)
    return Location(source.file, line, column)


def build(content: str | Path, options: BuildOptions | None = None, *, source=None, resume: dict | None = None,
          rests: dict | None = None, pages: list | None = None) -> Report:
    """Build one page. Raises :class:`BroadsheetError` (with diagnostics) on bad input.
    ``source``: the content file already parsed (``layout.model.source.load_file``), not re-read;
    ``resume``: blocks continued from other pages (an edition's driver passes them); ``rests``,
    when given, receives this page's stories' rests (article id -> blocks) for the driver;
    ``pages``, when given, receives the display list drawn (with its guides: `serve` overlays
    them on the page's picture)."""
    from layout.cache import take_notes, usable_root
    from layout.model.source import load_file
    from layout.output import destination, source_date_epoch
    from layout.records import RecordStore, store_for
    from layout.text import memo

    options = options or BuildOptions()
    t0 = time.perf_counter()
    content = Path(content)
    report = Report(input=str(content), mode="proof" if options.proof else "press")
    timings: dict[str, float] = {}

    def lap(name: str, start: float, next_stage: str = "") -> float:
        now = time.perf_counter()
        timings[name] = round(now - start, 4)
        if options.progress and next_stage:
            options.progress(next_stage)
        return now

    if options.progress:
        options.progress(f"reading {content.name}")
    source_date_epoch()  # refuse a malformed one before any work
    if source is None or Path(source.file).resolve() != content.resolve():
        source = load_file(content)
    cache, cache_note = usable_root(options.cache_dir)
    take_notes()  # (what an earlier build in this process found is its own report's business)
    if cache_note:
        report.findings.append(Notice(code="cache-unwritable", message=cache_note))
    memo.use_store(store_for(RecordStore, cache / "compose"))  # composed paragraphs, across builds and processes
    _use_part_store(cache)
    out = destination(content, options.output, options.proof) if options.write else None
    t = lap("load", t0, "composing the page")

    try:
        return _build(options, source, cache, out, report, timings, lap, t0, t, resume=resume, rests=rests,
                      pages=pages)
    finally:
        flush_stores()  # (the paragraphs and parts composed: written when the PDF is in place)


def flush_stores() -> None:
    """Write what composition left for the stores: the paragraphs composed (one transaction)
    and the parts of the page."""
    from layout.compose import page
    from layout.text import memo

    memo.flush()
    page.flush()


def _build(options: BuildOptions, source, cache: Path, out, report: Report, timings: dict, lap, t0: float, t: float,
           *, resume, rests, pages) -> Report:
    """The build after reading: compose, prepare the pictures, draw and put the PDF in place."""
    c = compose_file(source, options, cache, resume=resume)
    v, page, notes = c.v, c.page, c.notes
    if rests is not None:
        rests.update(notes.rest)
    report.diagnostics.extend(v.warnings)
    if options.guides and options.proof:
        from layout.compose.guides import compose_guides

        page.guides = compose_guides(v.grid, v.doc, notes.photo_frames)
    if pages is not None:
        pages.append(page)
    report.findings.extend(f.located(_where(source, f.at)) for f in notes.findings)
    report.text_audit = notes.text_audit
    report.layout = c.layout
    report.ads = page_ads(v, {ad.id for ad in options.booked})
    report.section = v.doc.folio.section
    for art in v.doc.articles:
        if art.continued_from is not None and not c.continued.get(art.id):
            report.findings.append(Notice(code="continuation-empty", article=art.id, message=(
                f"article {art.id!r}: nothing of {art.continued_from.article!r} on page {art.continued_from.page} "
                "is left over to continue here")))
    t = lap("compose", t, "preparing photos")

    press = v.doc.press
    profile = converter = None
    if not options.proof:
        from layout.finish.stage import FinishError, press_colour

        try:
            profile, converter = press_colour(press, source.folder)
        except FinishError as exc:
            if not press.profile:  # the set-up's newsprint profile: not the page's fault
                raise SetupError(f"no usable output profile for a press build: {exc}",
                                 hint="run `make setup` (or `python -m layout.finish.profile`), or name the "
                                      "printer's profile in press.profile; `--proof` needs none") from None
            raise InputError([source.diagnostic(("press", "profile"), str(exc), code="profile",
                                                hint="point press.profile at the printer's CMYK output profile "
                                                     "(.icc), or leave it out for the newsprint profile")]) from None
    pictures = _pictures(page, source, cache, press, converter)
    report.images = pictures.placed
    for img, item in zip(pictures.placed, pictures.items):
        if img.low:
            report.findings.append(LowResolution(file=img.source, ppi=img.ppi, min_ppi=press.min_ppi,
                                                 article=img.where.split(":", 1)[0] if not img.where.startswith("ad:") else "",
                                                 ad=img.where[3:] if img.where.startswith("ad:") else "",
                                                 where=_where(source, item.at)))
    if not options.proof:  # an advertiser's PDF goes to press as it is: it must pass what the press needs
        report.findings.extend(_ad_file_findings(page, source, cache, press))
    from layout.fonts.faces import fallback_findings, font_usage

    report.fonts = font_usage(page, c.faces)
    report.findings.extend(f.located(_where(source, f.at)) for f in fallback_findings(page, c.faces))
    report.pages = 1
    t = lap("assets", t, "drawing the PDF")
    if options.strict and (report.overset or any(i.low for i in report.images) or report.of(AdFile)):
        report.ok = False
    if out is None or not report.ok:  # a failed --strict build leaves the previous PDF alone
        return _done(report, t0, timings)

    verify_seconds = _write(page, out, c, source, options, cache, profile, pictures)
    if options.regions is not None and options.proof:
        _write_region(page, out, options.regions(page), c, cache, pictures)
    if options.placed is not None:
        options.placed(out)
    report.output = str(out)
    lap("render", t)
    if verify_seconds is not None:
        timings["verify"] = round(verify_seconds, 4)  # (part of render's time)
    return _done(report, t0, timings)


def _use_part_store(cache: Path) -> None:
    """Composed parts of pages (stories, folio, ads) across builds and processes."""
    from layout.compose import page
    from layout.partstore import PartStore
    from layout.records import store_for

    page.use_store(store_for(PartStore, cache / "parts"))


def composed(content: str | Path, options: BuildOptions | None = None) -> Composed:
    """``content`` read, placed and composed as a build with ``options`` composes it (the
    edition's folio, continued stories found on their pages), with its guides for a proof with
    ``guides``: the validated records, the display list and the notes; no picture prepared,
    nothing drawn. The e-paper reads pages this way."""
    from layout.cache import usable_root
    from layout.model.source import load_file
    from layout.records import RecordStore, store_for
    from layout.text import memo

    options = options or BuildOptions()
    source = load_file(Path(content))
    cache, _ = usable_root(options.cache_dir)
    memo.use_store(store_for(RecordStore, cache / "compose"))
    _use_part_store(cache)
    try:
        c = compose_file(source, options, cache)
    finally:
        flush_stores()
    if options.guides and options.proof:
        from layout.compose.guides import compose_guides

        c.page.guides = compose_guides(c.v.grid, c.v.doc, c.notes.photo_frames)
    return c


def display_list(content: str | Path, options: BuildOptions | None = None):
    """The display list a build of ``content`` would draw, with its guides (a proof with
    ``guides``) and press marks (press mode; the slug names ``options.output`` or the default
    file): composed, but no picture prepared and nothing drawn. Golden traces, previews and
    diffs read pages this way."""
    from layout.finish import stage
    from layout.output import build_time, default_output

    options = options or BuildOptions()
    content = Path(content)
    c = composed(content, options)
    if not options.proof:
        name = (Path(options.output) if options.output else default_output(content, False)).name
        c.page.marks = stage.marks(c.page, name, c.v.doc, build_time(content), c.faces)
    return c.page


def _ad_file_findings(page, source, cache: Path, press) -> list:
    """A warning for each PDF ad that fails the press checks (fonts, RGB, ink), at its file."""
    from layout.assets.vectors import press_problems
    from layout.display import Vector

    out = []
    seen: set = set()
    for it in page.items:
        if not isinstance(it, Vector) or it.file in seen:
            continue
        seen.add(it.file)
        problems = press_problems(source.folder / it.file, tac_limit=press.tac_limit, cache=cache)
        if problems:
            out.append(AdFile(ad=it.source.removeprefix("ad:"), file=it.file, problems=problems,
                              where=_where(source, it.at)))
    return out


def _pictures(page, source, cache: Path, press, converter):
    from layout.assets.photos import prepare_pictures

    pictures = prepare_pictures([page], source.folder, cache / "images", target_ppi=press.target_ppi,
                                min_ppi=press.min_ppi, convert=converter)
    if pictures.problems:
        raise InputError(located(pictures.problems, source))
    return pictures


def _write(page, out: Path, c: Composed, source, options: BuildOptions, cache: Path, profile, pictures) -> float | None:
    """Render (and, for press, finish) the page into ``out``, whole or not at all; the seconds
    ``--verify`` took, when it ran."""
    from layout.finish import stage
    from layout.output import build_time, written
    from layout.render.embed import EmbedError
    from layout.render.pdf import RenderOptions, render

    doc = c.v.doc
    when = build_time(Path(source.file))
    identity = None
    if not options.proof:
        page.marks = stage.marks(page, out.name, doc, when, c.faces)
        try:
            identity = stage.identity(doc.press, profile, stage.title(doc), when, cache)
        except stage.FinishError as exc:
            raise OutputError(f"the page is not press-ready: {exc}") from None
    tagging = None
    if options.tagged:
        from layout.structure import Tagger
        from layout.text.languages import language_tag

        tagging = Tagger([language_tag(doc.typography.language)])
    with written(out) as tmp:
        try:
            render([page], tmp, c.faces, pictures, RenderOptions(press=not options.proof, title=stage.title(doc),
                                                                 identity=identity, cache_dir=cache, tagging=tagging))
        except EmbedError as exc:
            raise OutputError(f"cannot embed a font: {exc}") from None
        if options.verify and not options.proof:
            t = time.perf_counter()
            try:
                stage.verify(tmp, doc.press.pdfx, profile)
            except stage.FinishError as exc:
                raise OutputError(f"the page is not press-ready: {exc}") from None
            return time.perf_counter() - t
    return None


#: points around a region within which an item's ink may reach into it (strokes, glyphs past
#: their boxes, antialiasing)
REGION_MARGIN = 12.0


def region_file(out: Path) -> Path:
    """Where :func:`build` writes the items of the regions ``BuildOptions.regions`` names."""
    return out.with_name(out.stem + ".region.pdf")


def _write_region(page, out: Path, boxes, c: Composed, cache: Path, pictures) -> None:
    """A proof of the same page size with only the items that may paint inside ``boxes``, in
    their order: what `serve` draws an edited tile's changed box from (a viewer loading it
    reads a few hundred glyphs, not the page's thousands). No boxes: no file."""
    from msgspec.structs import replace

    from layout.display import item_box
    from layout.output import written
    from layout.render.embed import EmbedError
    from layout.render.pdf import RenderOptions, render

    target = region_file(out)
    if not boxes:
        target.unlink(missing_ok=True)
        return
    m = REGION_MARGIN

    def reaches(it) -> bool:
        box = item_box(it)
        if box is None:
            return bool(getattr(it, "xs", True))  # (an empty run draws nothing; a shape without a box may)
        x, y, w, h = box
        return any(x - m < x1 and x0 < x + w + m and y - m < y1 and y0 < y + h + m for x0, y0, x1, y1 in boxes)

    sub = replace(page, items=[it for it in page.items if reaches(it)], guides=[], marks=[])
    try:
        with written(target) as tmp:
            render([sub], tmp, c.faces, pictures, RenderOptions(press=False, title="region", cache_dir=cache))
    except (BroadsheetError, EmbedError):  # (an aid to the preview: without it the page itself is drawn)
        target.unlink(missing_ok=True)


def damage_notes() -> list[Notice]:
    """A note for each thing the cache reported since the last call: ``cache-damaged`` (an entry
    failed its check, was discarded and rebuilt from its source: nothing of it reached the
    PDF), ``cache-unwritable`` (a file the build needs went to a temporary folder instead)."""
    from layout.cache import take_notes

    return [Notice(code=code, severity="note", message=message) for code, message in take_notes()]


def _done(report: Report, t0: float, timings: dict) -> Report:
    report.findings.extend(damage_notes())
    report.seconds = time.perf_counter() - t0
    report.timings = timings
    return report
