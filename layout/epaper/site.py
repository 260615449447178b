"""``broadsheet epaper EDITION|PAGE -o DIR``: the edition as a static web site.

Stages: the pages are built as tagged proof PDFs into ``DIR/pages`` (an edition through
:func:`layout.edition.build_edition`: in parallel, continued stories passed forward, a page
that fails listed as missing and the others built); each good page is composed again with its
guides (``layout.build.composed``: warm, a fraction of the build) for its stories' regions and
text (:mod:`layout.epaper.pages`); the page pictures are rendered in worker processes
(:mod:`layout.epaper.pictures`); stories that jump are joined to their continuations; then the
HTML (:mod:`layout.epaper.html`) and the JSON index (:mod:`layout.epaper.index`) are written.
Nothing is written outside ``DIR`` (besides the per-user cache every build uses).
"""

from __future__ import annotations

import os
import re
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Callable

from msgspec import Struct, field

from layout.errors import BroadsheetError, InputError, OutputError


class EpaperOptions(Struct, kw_only=True):
    out: Path
    jobs: int | None = None  # pages built (and pictures rendered) at once; default: one per core
    normalize: bool | None = None
    allow_outside: bool = False
    cache_dir: Path | None = None
    progress: Callable[[str], None] | None = None


class SitePage(Struct, kw_only=True):
    """One page of the site: built (its data, pictures, PDF) or missing (why)."""

    number: int
    file: Path
    written: str  # the page file as the edition names it
    folio: dict | None = None
    booked: tuple = ()  # the ads the edition's booking list puts on this page (as the build places them)
    section: str = ""
    error: str = ""
    diagnostics: list = field(default_factory=list)
    data: object = None  # layout.epaper.pages.PageData
    renditions: list = field(default_factory=list)
    thumb: object = None

    @property
    def ok(self) -> bool:
        return self.data is not None and bool(self.renditions)

    @property
    def stem(self) -> str:
        return f"p{self.number:02d}"


class Section(Struct):
    name: str
    pages: list


class SiteStory(Struct, kw_only=True):
    """A story of the site: an article with its photos, and the continuations joined to it."""

    key: str
    data: object  # StoryData
    page: SitePage  # where it starts
    pages: list = field(default_factory=list)  # every page it is printed on
    parts: list = field(default_factory=list)  # (page, continuation StoryData) joined to it
    photos: list = field(default_factory=list)  # (PhotoData, [renditions per picture])
    flow: list = field(default_factory=list)  # what the story page prints, in order
    prev: object = None
    next: object = None


class SiteReport(Struct, kw_only=True):
    out: str
    pages: int = 0
    missing: list = field(default_factory=list)  # SitePage of pages not made
    stories: int = 0
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return not self.missing

    def summary_lines(self) -> list[str]:
        out = [f"e-paper {self.out}: {self.pages} page(s), {self.stories} stories in {self.seconds:.1f} s; "
               f"open {Path(self.out) / 'index.html'}"]
        for p in self.missing:
            out.append(f"  page {p.number}: MISSING ({p.written})")
            out.extend("    " + line for line in p.error.splitlines()[:6])
        return out


def safe_id(text: str) -> str:
    """A story id as a file name: letters, digits, - and _ kept, anything else hex."""
    return re.sub(r"[^A-Za-z0-9_-]", lambda m: f"x{ord(m.group()):x}", text) or "story"


def build_site(src: Path, options: EpaperOptions) -> SiteReport:
    from layout.model.source import is_edition, load_file

    t0 = time.perf_counter()
    src = Path(src)
    source = load_file(src)
    out = Path(options.out)
    tell = options.progress or (lambda _: None)
    if is_edition(source):
        pages, combined = _edition_pages(src, source, out, options, tell)
    else:
        pages, combined = [_single_page(src, out, options)], ""
    tell("composing the pages")
    for p in pages:
        if not p.error:
            _read_page(p, options)
    tell("rendering the page pictures")
    _pictures(pages, out, options)
    site = Site(out, pages, combined)
    tell("writing the site")
    site.join_stories()
    site.write()
    return SiteReport(out=str(out), pages=sum(p.ok for p in pages), missing=[p for p in pages if not p.ok],
                      stories=len(site.stories), seconds=time.perf_counter() - t0)


def _prepare(out: Path) -> None:
    if out.exists() and not out.is_dir():
        raise OutputError(f"{out} is a file; the e-paper needs a folder (-o DIR)")
    try:
        for sub in ("pages", "images", "photos", "stories", "assets"):
            (out / sub).mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"cannot use {out} as the e-paper's folder: {exc.strerror or exc}") from None
    if not os.access(out, os.W_OK):
        raise OutputError(f"the e-paper's folder {out} is not writable")


def _build_options(options: EpaperOptions, **more):
    from layout.build import BuildOptions

    return BuildOptions(proof=True, normalize=options.normalize, allow_outside=options.allow_outside,
                        cache_dir=options.cache_dir, **more)


def _edition_pages(src: Path, source, out: Path, options: EpaperOptions, tell) -> tuple[list[SitePage], str]:
    from layout.edition import build_edition, plan_edition
    from layout.model.edition import page_file, page_overrides, validate_edition

    edition = validate_edition(source, files=False, allow_outside=options.allow_outside)
    pages = []
    for i, entry in enumerate(edition.entries()):
        folio = page_overrides(edition, i, entry)
        pages.append(SitePage(number=folio["page"], file=page_file(source, entry), written=entry.file, folio=folio))
    jobs = [(p.number, p.file, out / "pages" / f"{p.stem}.pdf", p.folio) for p in pages]
    booked = plan_edition(source, edition, jobs, _build_options(options))[0]  # (regions and text read as built)
    for p in pages:
        p.booked = booked.get(p.number, ())
    _prepare(out)
    tell(f"building {len(pages)} pages")
    report = build_edition(src, _build_options(options, tagged=True), out_dir=out / "pages", workers=options.jobs,
                           missing_ok=True)
    by_number = {o.page: o for o in report.pages}
    for p in pages:
        o = by_number.get(p.number)
        if o is None or o.report is None:
            p.error = (o.error if o is not None else "not built") or "not built"
            p.diagnostics = list(o.diagnostics) if o is not None else []
            continue
        built = Path(o.report.output)
        os.replace(built, out / "pages" / f"{p.stem}.pdf")
        built.with_suffix(".json").unlink(missing_ok=True)  # (diff's record: not for the public)
    (out / "pages" / "edition.json").unlink(missing_ok=True)  # (the build's report names machine paths)
    combined = ""
    if report.combined:
        name = Path(report.combined).name
        combined = f"pages/{name}"
    return pages, combined


def _single_page(src: Path, out: Path, options: EpaperOptions) -> SitePage:
    from layout.build import build, composed

    c = composed(src, _build_options(options))  # (refused here, before anything is written)
    number = c.v.doc.folio.page
    page = SitePage(number=number, file=src.resolve(), written=src.name)
    existed = out.exists()
    _prepare(out)
    try:
        build(src, _build_options(options, tagged=True, output=out / "pages" / f"{page.stem}.pdf"))
    except BaseException:
        _unprepare(out, existed)  # (a failed page leaves no empty site behind)
        raise
    return page


def _unprepare(out: Path, existed: bool) -> None:
    """Remove the folders :func:`_prepare` made that are still empty (and ``out`` itself when
    this run made it and nothing is in it)."""
    for sub in ("pages", "images", "photos", "stories", "assets"):
        try:
            (out / sub).rmdir()
        except OSError:
            pass  # (not empty, or not there: left as it is)
    if not existed:
        try:
            out.rmdir()
        except OSError:
            pass


def _read_page(p: SitePage, options: EpaperOptions) -> None:
    from layout.build import composed
    from layout.epaper.pages import page_data

    try:
        c = composed(p.file, _build_options(options, guides=True, folio=p.folio, booked=p.booked))
        p.section = c.v.doc.folio.section
        p.data = page_data(c, p.number, p.section)
    except InputError as exc:
        p.error, p.diagnostics = str(exc), list(exc.diagnostics)
    except BroadsheetError as exc:
        p.error = str(exc)


def _pictures(pages: list[SitePage], out: Path, options: EpaperOptions) -> None:
    from layout.epaper.pictures import page_pictures

    todo = [p for p in pages if p.data is not None]
    args = [(str(out / "pages" / f"{p.stem}.pdf"), p.stem, str(out / "images"), str(out)) for p in todo]
    workers = max(1, min(options.jobs or os.cpu_count() or 1, len(todo)))
    if workers > 1:
        with ProcessPoolExecutor(max_workers=workers) as pool:
            results = list(pool.map(page_pictures, *zip(*args)))
    else:
        results = [page_pictures(*a) for a in args]
    for p, (renditions, thumb) in zip(todo, results):
        p.renditions, p.thumb = renditions, thumb


class Site:
    """The site as the HTML and the index see it."""

    def __init__(self, out: Path, pages: list[SitePage], combined: str):
        from layout.epaper.html import words_for

        self.out = out
        self.pages = pages
        self.combined = combined
        first = next((p.data for p in pages if p.data is not None), None)
        langs = [p.data.lang for p in pages if p.data is not None]
        self.lang = max(set(langs), key=langs.count) if langs else "zh-Hans"
        self.words = words_for(self.lang)
        self.paper = first.paper if first else ""
        self.date = first.date if first else ""
        self.date_text = ""
        if first is not None:
            import datetime as dt

            from layout.text.wording import date_text

            self.date_text = date_text(dt.date.fromisoformat(first.date), first.language)
        self.sections: list[Section] = []
        for p in pages:
            name = p.section if p.data is not None else (p.folio or {}).get("section", "")
            if p.data is None and not name and self.sections:  # a missing page of unknown section: with the one before
                name = self.sections[-1].name
            p.section = name
            if self.sections and self.sections[-1].name == name:
                self.sections[-1].pages.append(p)
            else:
                same = next((s for s in self.sections if s.name == name), None)
                (same.pages.append(p) if same is not None else self.sections.append(Section(name, [p])))
        self.stories: dict[str, SiteStory] = {}
        self.owner: dict[tuple[int, str], tuple[SiteStory, str]] = {}  # (page, article) -> (story, anchor)

    # -- stories -------------------------------------------------------------------------
    def join_stories(self) -> None:
        """Each article a story; a continuation whose first part is in the site joined to it."""
        from layout.epaper.pictures import Photos

        photos = Photos(self.out, self.out / "photos")
        good = [p for p in self.pages if p.ok]
        conts = []
        for p in good:
            for s in p.data.stories:
                if s.kind != "article":
                    continue
                if s.continued_from is not None and self._source_of(p, s) is not None:
                    conts.append((p, s))
                    continue
                story = SiteStory(key=f"{p.stem}-{safe_id(s.id)}", data=s, page=p, pages=[p])
                story.photos = [(ph, [photos.renditions(pic.path) for pic in ph.pictures]) for ph in s.photos]
                self.stories[story.key] = story
                self.owner[(p.number, s.id)] = (story, "")
        for p, s in sorted(conts, key=lambda c: c[0].number):
            first_page, first = self._source_of(p, s)
            owner = self.owner.get((first_page.number, first.id))
            if owner is None:
                continue
            story = owner[0]
            story.parts.append((p, s))
            story.pages.append(p)
            self.owner[(p.number, s.id)] = (story, f"page-{p.number}")
        keys = list(self.stories)
        for i, key in enumerate(keys):
            story = self.stories[key]
            story.flow = self._flow(story)
            same = [k for k in keys if self.stories[k].page is story.page]
            j = same.index(key)
            story.prev = self.stories[same[j - 1]] if j > 0 else None
            story.next = self.stories[same[j + 1]] if j + 1 < len(same) else None

    def _source_of(self, page: SitePage, s):
        """(page, story) of the site where the continuation ``s`` starts: the page its
        ``continued_from`` names (by file and article), the one numbered as it says if several."""
        file, article, number = s.continued_from
        found = [(p, t) for p in self.pages if p.ok and p.data.file == file and p.number != page.number
                 for t in p.data.stories if t.kind == "article" and t.id == article]
        if not found:
            return None
        exact = [f for f in found if f[0].number == number]
        before = [f for f in found if f[0].number < page.number]
        return (exact or before or found)[0]

    def _flow(self, story: SiteStory) -> list:
        """The story page's body: its blocks, and each place the print cut it (a jump line, a
        link to the page it goes on on, the continuation's region pointing back here)."""
        from layout.text.wording import jump_from, jump_to

        s = story.data
        lang = story.page.data.language
        cuts: list[tuple[int, int, tuple]] = []  # (block, char, jump line: text, link, anchor, page)
        base = (0, 0)  # where the part being read starts, in the story's blocks
        parts = [(story.page, s)] + story.parts
        for i, (page, part) in enumerate(parts):
            if part.cut is None:
                break
            b, c = part.cut
            at = (base[0] + b, (base[1] + c) if b == 0 else c) if i else (b, c)
            following = parts[i + 1][0] if i + 1 < len(parts) else None
            target = following.number if following else part.jump_to
            if target is None:
                break
            href = f"../pages/{following.stem}.html" if following else ""
            cuts.append((at[0], at[1], (jump_to(target, lang), href, f"page-{following.number}" if following else "", target)))
            base = at
        flow: list = []
        if s.continued_from is not None:  # a continuation whose start is not in the site
            flow.append(("jump", (jump_from(s.continued_from[2], lang), "", "", s.continued_from[2])))
        for bi, block in enumerate(s.blocks):
            here = sorted(((c, j) for b, c, j in cuts if b == bi), key=lambda x: x[0])
            if block.kind == "h":
                flow.extend(("jump", j) for _, j in here)
                flow.append(("h", block))
                continue
            start = 0
            cont = bi == 0 and s.first_partial
            for c, j in here:
                if c > start:
                    flow.append(("p", (block.text[start:c], cont)))
                    cont = True
                flow.append(("jump", j))
                start = max(start, c)
            if start < len(block.text):
                flow.append(("p", (block.text[start:], cont or bool(here))))
        flow.extend(("jump", j) for b, _, j in cuts if b >= len(s.blocks))
        return flow

    def page_links(self, page: SitePage) -> list[tuple[str, str, str, list, list]]:
        """(story key, link, label, region, holes) of each story printed on ``page``."""
        out = []
        for s in page.data.stories:
            if s.kind != "article":
                continue
            owner = self.owner.get((page.number, s.id))
            if owner is None:
                continue
            story, anchor = owner
            href = f"../stories/{story.key}.html" + (f"#{anchor}" if anchor else "")
            out.append((story.key, href, story.data.headline or s.headline, s.region, s.holes))
        return out

    # -- writing -------------------------------------------------------------------------
    def write(self) -> None:
        from importlib.resources import files

        from layout.epaper import html
        from layout.epaper.index import site_index

        _write(self.out / "assets" / "epaper.css", files("layout.epaper").joinpath("static/epaper.css").read_text("utf-8"))
        for p in self.pages:
            if p.ok:
                _write(self.out / "pages" / f"{p.stem}.html", html.page_html(self, p))
        for story in self.stories.values():
            _write(self.out / "stories" / f"{story.key}.html", html.story_html(self, story))
        import json

        _write(self.out / "index.json", json.dumps(site_index(self), ensure_ascii=False, indent=1) + "\n")
        _write(self.out / "index.html", html.index_html(self))  # last: the site is whole when it appears


def _write(path: Path, text: str) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)
