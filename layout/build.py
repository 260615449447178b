"""The build pipeline, in one place: load -> validate -> compose -> render -> finish -> report.

Like WeasyPrint's document.py, this module only drives the stages; each stage lives in its own
package. A build either writes a complete PDF (atomically: a temporary file renamed into place)
or raises with diagnostics and leaves the previous PDF untouched.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
import time
from pathlib import Path

from msgspec import Struct

from layout.errors import Diagnostic, InputError, OutputError
from layout.report import Report

REPO_ROOT = Path(__file__).resolve().parent.parent


class BuildOptions(Struct, dict=True):
    output: Path | None = None
    proof: bool = False
    strict: bool = False
    normalize: bool | None = None  # None: as content.yaml says
    allow_outside: bool = False
    target_ppi: float = 300.0
    min_ppi: float = 170.0
    cache_dir: Path | None = None
    pdfx: str = "X-4"
    guides: bool = False  # proof only: columns, baseline grid, modules on a non-printing layer
    progress: object = None  # callable(stage: str) told as each stage starts (the CLI's status line)
    folio: dict | None = None  # folio values an edition sets (page number, paper, date, section)
    write: bool = True  # False: `check` (compose, no PDF)
    verify: bool = False  # press: read the written file back and check its PDF/X rules (`build --verify`)


def default_output(content: Path, proof: bool) -> Path:
    stem = content.stem if content.stem != "content" else content.resolve().parent.name or "page"
    if content.resolve() == (REPO_ROOT / "content.yaml").resolve():
        stem = "seed"
    folder = content.resolve().parent / "output"
    return folder / (f"{stem}-proof.pdf" if proof else f"{stem}.pdf")


def cache_root(options: BuildOptions) -> Path:
    from layout.cache import cache_root as root

    return root(options.cache_dir)


class FaceSet:
    """Font roles for composition (metrics, em box) and rendering (TrueType files)."""

    def __init__(self, registry):
        self.registry = registry

    def metrics(self, role: str):
        return self.registry.face(role).metrics

    def em_top(self, role: str) -> float:
        return self.registry.face(role).em_top

    def truetype_for_key(self, key: str, chars) -> Path:
        return self.registry.face(key).truetype(chars)


class ImagePreparer:
    """Photos cropped and scaled for their frames, once per (file, frame); figures for the report."""

    def __init__(self, folder: Path, cache: Path, options: BuildOptions, convert=None, source=None):
        self.folder = folder
        self.cache = cache
        self.options = options
        self.convert = convert
        self.source = source  # for locating errors in content.yaml
        self.placed: list[dict] = []
        self.errors: list[Diagnostic] = []
        self.measure_only = False  # True: return frames only, prepare no pixels

    def _yaml_path(self, name: str) -> tuple:
        data = self.source.data if self.source is not None else {}
        for ai, art in enumerate(data.get("articles") or []):
            for pi, photo in enumerate((art or {}).get("photos") or []):
                if isinstance(photo, dict) and photo.get("file") == name:
                    return ("articles", ai, "photos", pi, "file")
                for gi, pic in enumerate((photo or {}).get("group") or [] if isinstance(photo, dict) else []):
                    if pic == name:  # a photo group's picture: a file name ...
                        return ("articles", ai, "photos", pi, "group", gi)
                    if isinstance(pic, dict) and pic.get("file") == name:  # ... or {file, focus}
                        return ("articles", ai, "photos", pi, "group", gi, "file")
        for di, ad in enumerate(data.get("ads") or []):
            if isinstance(ad, dict) and ad.get("file") == name:
                return ("ads", di, "file")
        return ()

    def prepare(self, name: str, w: float, h: float, focus, where: str):
        if self.measure_only:  # composing a page only to measure its text: no pixels needed
            return _NoImage()
        from layout import images

        try:
            prepared = images.prepare(self.folder / name, w, h, focus=tuple(focus),
                                      target_ppi=self.options.target_ppi, cache_dir=self.cache,
                                      convert=self.convert)
        except images.ImageError as exc:
            path = self._yaml_path(name)
            msg = f"image {name!r}: {exc.message}"
            if self.source is not None:
                self.errors.append(self.source.diagnostic(path, msg, hint=exc.hint, code="bad-image"))
            else:
                self.errors.append(Diagnostic(msg, hint=exc.hint, code="bad-image"))
            return _NoImage()
        ppi = prepared.effective_ppi
        self.placed.append({"source": name, "where": where, "ppi": ppi,
                            "low": ppi < self.options.min_ppi,
                            "pixels": [prepared.pixel_width, prepared.pixel_height],
                            "frame_mm": [round(w * 25.4 / 72, 1), round(h * 25.4 / 72, 1)]})
        return prepared


class _NoImage:
    """Stands in for an image that failed, so composition can go on and report every problem."""

    path = ""
    pixel_width = 1
    pixel_height = 1
    effective_ppi = 0.0
    warnings = ()


def _font_registry(content_dir: Path, overrides: dict, cache: Path):
    from layout.fonts.registry import FontRegistry

    local = content_dir / "fonts" / "fonts.yaml"
    config = local if local.exists() else REPO_ROOT / "fonts" / "fonts.yaml"
    return FontRegistry.load(config, overrides or None, base_dir=content_dir, cache_dir=cache)


def _chars_by_font(page) -> tuple[list, dict[str, set]]:
    """The page's glyph runs, and the distinct characters set in each font role."""
    from layout.display import Glyphs

    runs = [it for it in page.items if isinstance(it, Glyphs)]
    chars: dict[str, set] = {}
    for it in runs:
        chars.setdefault(it.font, set()).update(it.text)
    return runs, chars


def font_usage(page, faces: FaceSet) -> dict:
    """Per font role: the file it resolved to, how many distinct characters the page sets, and
    which of them the face lacks (each character asked of its face once)."""
    _, chars = _chars_by_font(page)
    out = {}
    for role in sorted(chars):
        face = faces.registry.face(role)
        out[role] = {"file": str(face.path), "index": face.index, "name": face.ps_name,
                     "outlines": "CFF (converted)" if face.is_cff else "TrueType",
                     "characters": len(chars[role] - {" "}),
                     "missing": face.missing("".join(sorted(chars[role])))}
    return out


def missing_glyphs(page, usage: dict) -> list[dict]:
    """Characters a run's face lacks, named with their place, never silently dropped.
    ``usage`` is :func:`font_usage` of the page (which asked each face once)."""
    out: list[dict] = []
    seen: set = set()
    runs, _ = _chars_by_font(page)
    lacking = {role: set(u["missing"]) for role, u in usage.items()}
    for it in runs:
        if lacking[it.font] and not lacking[it.font].isdisjoint(it.text):
            for ch in dict.fromkeys(c for c in it.text if c in lacking[it.font]):
                key = (ch, it.font, it.source)
                if key not in seen:
                    seen.add(key)
                    out.append({"char": ch, "font": it.font, "where": it.source or it.role})
    return out


def build(content: str | Path, options: BuildOptions | None = None, *, source=None) -> Report:
    """Build one page. Raises :class:`BroadsheetError` (with diagnostics) on bad input.
    ``source``: the content file already parsed (layout.model.source.load_file), not re-read."""
    from layout.model.source import load_file
    from layout.model.validate import validate

    options = options or BuildOptions()
    t0 = time.perf_counter()
    content = Path(content)
    report = Report(input=str(content), mode="proof" if options.proof else "press")
    timings: dict[str, float] = {}

    stages = {"load": "composing the page", "setup": "composing the page", "compose": "drawing the PDF",
              "render": "writing PDF/X"}

    def lap(name: str, start: float) -> float:
        now = time.perf_counter()
        timings[name] = round(now - start, 4)
        if options.progress and name in stages:
            options.progress(stages[name])
        return now

    if options.progress:
        options.progress(f"reading {content.name}")

    source_date_epoch()  # refuse a malformed one before any work
    if source is None or Path(source.file).resolve() != content.resolve():
        source = load_file(content)
    if options.folio and isinstance(source.data, dict) and isinstance(source.data.get("folio"), dict):
        source.data["folio"].update(options.folio)
    cache = _usable_cache(cache_root(options), report)
    from layout.text import memo

    memo.use_folder(cache / "compose")  # composed paragraphs, across builds and processes
    auto = None
    if isinstance(source.data, dict) and source.data.get("place") == "auto":
        from layout.compose.autopage import place_page

        fonts_data = source.data.get("fonts") if isinstance(source.data.get("fonts"), dict) else {}
        auto_faces = FaceSet(_font_registry(source.folder, fonts_data, cache))
        auto = place_page(source, auto_faces, allow_outside=options.allow_outside)
    v = validate(source, allow_outside=options.allow_outside)
    if options.normalize is not None:
        v.doc.typography.normalize = options.normalize
    report.diagnostics.extend(v.warnings)
    t = lap("load", t0)

    try:
        registry = _font_registry(source.folder, v.doc.fonts, cache)
    except Exception as exc:
        raise InputError([source.diagnostic(("fonts",), f"fonts: {exc}", code="font")]) from None
    faces = FaceSet(registry)
    from layout.fonts import FontConfigError

    for role in v.doc.fonts:  # a page's own font files are opened now, so a bad one is located
        try:
            registry.face(role)
        except FontConfigError as exc:
            raise InputError([source.diagnostic(("fonts", role, "file"), exc.message, hint=exc.hint or "",
                                                code="font")]) from None
    press = v.doc.press
    options.target_ppi, options.min_ppi = press.target_ppi, press.min_ppi
    profile = converter = None
    if not options.proof:
        profile, converter = _press_colour(press, source, report)
    t = lap("setup", t)
    images = ImagePreparer(source.folder, cache / "images", options, convert=converter, source=source)
    from layout.compose.page import compose_page

    try:
        continuations = _continuations(v, cache, options)
        page, notes = compose_page(v, faces, images, continuations)
    except FontConfigError as exc:  # a configured font that cannot be opened (missing package, bad file)
        raise InputError([source.diagnostic(("fonts", exc.role) if exc.role in v.doc.fonts else (), exc.message,
                                            hint=exc.hint or "", code="font")]) from None
    if images.errors:
        raise InputError(images.errors)
    if options.guides and options.proof:
        from layout.compose.guides import compose_guides

        page.guides = compose_guides(v.grid, v.doc, notes.photo_frames)
    t = lap("compose", t)
    report.overset, report.underset = notes.overset, notes.underset
    report.normalized = notes.normalized
    report.warnings.extend(notes.warnings)
    report.images = images.placed
    report.text_audit = notes.text_audit
    if auto is not None:
        report.layout = auto
    report.jumps = notes.jumps
    report.copyfit = notes.copyfit  # what fit: auto changed, per article
    for art in v.doc.articles:
        if art.continued_from is not None and not continuations.get(art.id):
            report.warnings.append(f"article {art.id!r}: nothing of {art.continued_from.article!r} on page "
                                   f"{art.continued_from.page} is left over to continue here")
    report.fonts = font_usage(page, faces)
    report.missing_glyphs = missing_glyphs(page, report.fonts)
    for img in report.images:
        if img["low"]:
            report.warnings.append(f"image {img['source']} has only {img['ppi']:.0f} ppi in its frame")
    report.pages = 1
    if options.strict and (report.overset or any(i["low"] for i in report.images) or report.missing_glyphs):
        report.ok = False
    if not options.write or not report.ok:  # a failed --strict build leaves the previous PDF alone
        report.seconds = time.perf_counter() - t0
        report.timings = timings
        return report

    out = Path(options.output) if options.output else default_output(content, options.proof)
    report.output = str(out)
    if not options.output and not out.parent.exists():
        out.parent.mkdir(parents=True, exist_ok=True)  # the page's own output/ folder, made on first build
    if out.is_dir():
        raise OutputError(f"{out} is a folder; give the PDF's file name, e.g. {out / default_output(content, options.proof).name}")
    if out.parent.exists() and not out.parent.is_dir():
        raise OutputError(f"output folder {out.parent} is a file, not a folder")
    if not out.parent.is_dir():
        raise OutputError(f"output folder {out.parent} does not exist")
    if not os.access(out.parent, os.W_OK):
        raise OutputError(f"output folder {out.parent} is not writable")
    from layout.render.pdf import RenderOptions, render

    _remove_stale_temporaries(out)
    when = _build_time(content)
    if not options.proof:
        page.marks = _marks_for(page, out.name, v.doc, when, faces)
    identity = None
    if not options.proof:
        identity = _press_identity(press, profile, _title(v.doc), when, cache)
    temporaries = []
    try:
        try:
            tmp = _temporary(out)
        except OSError as exc:  # root passes os.access; a read-only or special file system does not
            raise OutputError(f"output folder {out.parent} is not writable ({exc.strerror or exc})") from None
        temporaries.append(tmp)
        render([page], tmp, faces, RenderOptions(press=not options.proof, title=_title(v.doc),
                                                 identity=identity))
        t = lap("render", t)
        if options.verify and not options.proof:
            _verify_press_file(tmp, press.pdfx, profile)
            t = lap("verify", t)
        try:
            os.replace(tmp, out)
        except OSError as exc:
            raise OutputError(f"cannot write {out}: {exc.strerror or exc}") from None
    finally:
        for p in temporaries:
            p.unlink(missing_ok=True)
    report.seconds = time.perf_counter() - t0
    report.timings = timings
    return report


_FALLBACK_CACHE: Path | None = None


def _usable_cache(cache: Path, report) -> Path:
    """The cache folder, or, when it cannot be written (read-only, not a folder), a private
    temporary one: a cache only saves time, so its absence must not stop a build."""
    global _FALLBACK_CACHE
    try:
        cache.mkdir(parents=True, exist_ok=True)
        probe = cache / f".probe-{os.getpid()}"
        probe.write_bytes(b"")
        probe.unlink()
        return cache
    except OSError as exc:
        if _FALLBACK_CACHE is None:
            import atexit
            import shutil

            _FALLBACK_CACHE = Path(tempfile.mkdtemp(prefix="broadsheet-cache-"))
            atexit.register(shutil.rmtree, _FALLBACK_CACHE, True)
        report.warnings.append(f"cache folder {cache} is not writable ({exc.strerror or exc}); "
                               f"using a temporary one, so this build is slower")
        return _FALLBACK_CACHE


def _continuations(v, cache: Path, options: BuildOptions, depth: int = 0) -> dict:
    """For each article continued from another page (转版), the blocks that did not fit there:
    that page is composed (not drawn) to find where its story was cut."""
    from layout.compose.page import compose_page
    from layout.model.source import load_file
    from layout.model.validate import validate

    out: dict = {}
    for ai, art in enumerate(v.doc.articles):
        cont = art.continued_from
        if cont is None:
            continue
        if depth > 8:
            raise InputError([v.source.diagnostic(("articles", ai, "continued_from"), "continuations run in a circle",
                                                  code="jump-loop")])
        other = load_file((v.source.folder / cont.file).resolve())
        if isinstance(other.data, dict) and other.data.get("place") == "auto":  # its frames come from the layout
            from layout.compose.autopage import place_page

            fonts_data = other.data.get("fonts") if isinstance(other.data.get("fonts"), dict) else {}
            place_page(other, FaceSet(_font_registry(other.folder, fonts_data, cache)),
                       allow_outside=options.allow_outside)
        v2 = validate(other, allow_outside=options.allow_outside)
        if cont.article not in {a.id for a in v2.doc.articles}:
            ids = ", ".join(a.id for a in v2.doc.articles)
            raise InputError([v.source.diagnostic(("articles", ai, "continued_from", "article"),
                                                  f"{cont.file} has no article {cont.article!r}", hint=f"its articles: {ids}",
                                                  code="jump-article")])
        faces2 = FaceSet(_font_registry(other.folder, v2.doc.fonts, cache))
        images2 = ImagePreparer(other.folder, cache / "images", BuildOptions(proof=True), source=other)
        images2.measure_only = True  # that page is composed to find the cut, never drawn
        _, notes2 = compose_page(v2, faces2, images2, _continuations(v2, cache, options, depth + 1))
        out[art.id] = notes2.rest.get(cont.article, [])
    return out


def _temporary(out: Path) -> Path:
    """A temporary file beside ``out`` (renamed over it when complete), readable like any file
    the user writes: mkstemp makes 0600, which a shared output folder cannot read."""
    fd, tmp = tempfile.mkstemp(prefix=f".{out.name}.{os.getpid()}.", suffix=".tmp", dir=out.parent)
    os.close(fd)
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(tmp, 0o666 & ~umask)
    return Path(tmp)


def _build_time(content: Path):
    """The date written into the PDF: SOURCE_DATE_EPOCH when set (reproducible builds), else the
    content file's modification time, so the same input gives the same bytes."""
    import datetime as dt

    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    stamp = source_date_epoch() if epoch else int(content.stat().st_mtime)
    return dt.datetime.fromtimestamp(stamp, tz=dt.timezone.utc)


def source_date_epoch() -> int | None:
    """SOURCE_DATE_EPOCH as a whole number of seconds; a malformed value is a usage error (the
    PDF writers read it too, and would fail less clearly)."""
    from layout.errors import UsageError

    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if not epoch:
        return None
    try:
        return int(epoch)
    except ValueError:
        raise UsageError(f"SOURCE_DATE_EPOCH must be a whole number of seconds, got {epoch!r}") from None


def _press_colour(press, source, report):
    """The output profile and the photo converter of a press build."""
    from layout.finish.color import make_image_converter
    from layout.finish.errors import FinishError
    from layout.finish.profile import output_profile

    path = (source.folder / press.profile) if press.profile else None
    try:
        profile = output_profile(path, condition_id=press.condition)
    except FinishError as exc:
        raise InputError([source.diagnostic(("press", "profile"), str(exc), code="profile",
                                            hint="point press.profile at the printer's CMYK .icc, or leave it out")]) from None
    if profile.warning:
        report.warnings.append(profile.warning)
    return profile, make_image_converter(profile, press.tac_limit / 100.0)


def _deflated(data: bytes, folder: Path) -> bytes:
    """``zlib.compress(data)``, kept in ``folder`` under the data's hash: the output profile is
    the same on every page and build, and compressing it costs ~10 ms each time."""
    import zlib

    path = folder / f"{hashlib.sha256(data).hexdigest()[:24]}.flate"
    try:
        packed = path.read_bytes()
        if zlib.decompress(packed) == data:
            return packed
    except (OSError, zlib.error):
        pass
    from layout.cache import try_write

    packed = zlib.compress(data)
    try_write(path, packed)
    return packed


def _press_identity(press, profile, title: str, when, cache: Path):
    """What the press file says about itself (PDF/X keys, output intent, XMP)."""
    from reportlab import Version as reportlab_version

    from layout import __version__
    from layout.finish.errors import FinishError
    from layout.finish.press import press_identity

    try:
        return press_identity(press.pdfx, profile, title=title, creation_date=when,
                              producer=f"broadsheet {__version__} (ReportLab {reportlab_version})",
                              deflate=lambda data: _deflated(data, cache / "icc"))
    except FinishError as exc:
        raise OutputError(f"the page is not press-ready: {exc}") from None


def _verify_press_file(path: Path, variant: str, profile) -> None:
    """Read the written file back with an independent reader (pikepdf/qpdf) and refuse it if it
    breaks a PDF/X rule: ``build --verify``, and what the tests run on every example."""
    import pikepdf

    from layout.finish.pdfx import check_pdfx

    with pikepdf.open(path) as pdf:
        problems = check_pdfx(pdf, variant, profile)
        intents = [oi for oi in pdf.Root.get("/OutputIntents", []) if oi.get("/S") == pikepdf.Name.GTS_PDFX]
        if len(intents) != 1:
            problems.append(f"{len(intents)} GTS_PDFX output intents")
    if problems:
        raise OutputError("the page is not press-ready: " + "; ".join(problems))


def _marks_for(page, name: str, doc, when, faces) -> list:
    """The press marks of ``page`` (finish.marks) as display items, for the slug."""
    from layout.finish.marks import SlugInfo, press_marks

    metrics = faces.metrics("folio")
    info = SlugInfo(file_name=name, page=doc.folio.page, when=when, edition=doc.folio.paper)

    def measure(text: str, size: float):
        return [metrics.advance(c) * size for c in text]

    return press_marks(page.width, page.height, page.bleed, page.slug, info, measure=measure)


def _remove_stale_temporaries(out: Path) -> None:
    """Temporaries of builds that were killed (SIGKILL leaves no chance to clean up): their
    names carry the writer's pid; remove those whose process is gone."""
    for tmp in out.parent.glob(f".{out.name}.*.tmp"):
        parts = tmp.name[len(out.name) + 2:].split(".")
        try:
            pid = int(parts[0])
        except (ValueError, IndexError):
            continue
        if pid == os.getpid():
            continue
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            tmp.unlink(missing_ok=True)
        except PermissionError:
            pass


def _title(doc) -> str:
    parts = [doc.folio.paper, f"{doc.folio.date.isoformat()}", f"第{doc.folio.page}版"]
    if doc.articles:
        parts.append(doc.articles[0].headline.text)
    return " ".join(parts)
