"""The live preview's state: the page (or every page of an edition) built as a proof with its
guides, rebuilt when a file it reads changes, in this process.

Builds run one at a time on one thread, so fonts, converted faces, prepared pictures and the
paragraph memo stay warm between them, as in ``broadsheet watch``. Each build keeps its report,
its display list (for the overlays) and its PDF; the picture of a page at a zoom level is
rendered from that PDF when first asked for (pdfium, the guides layer hidden as in print) and
kept until the page is built again. Listeners (the server-sent events) hear of every build.
"""

from __future__ import annotations

import asyncio
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Callable

from msgspec import Struct, field

#: picture scales (pixels per point) the browser may ask for; tiles are cut from these
LEVELS = (0.5, 1.0, 2.0, 3.0)
TILE = 512


class Target(Struct, kw_only=True):
    """One page of the preview: its content file, and the folio an edition sets."""

    number: int
    file: Path
    folio: dict | None = None
    section: str = ""
    booked: tuple = ()  # the ads the edition's booking list puts on the page (layout.plan)


class Built(Struct, kw_only=True):
    """The last build of a page: good (report, display list, PDF) or refused (diagnostics)."""

    version: int
    ok: bool
    seconds: float
    at: float  # time.time() when it finished
    pdf: Path | None = None
    overlay: dict | None = None
    report: dict | None = None
    error: str = ""
    diagnostics: list = field(default_factory=list)
    pictures: dict = field(default_factory=dict)  # level -> PIL image (rendered on demand)
    tiles: dict = field(default_factory=dict)  # (level, x, y) -> PNG bytes
    drawn: object = None  # the display list's items and guides (a set), to find what the next build changed
    stamp: tuple = ()  # the picture files drawn, as (name, size, mtime): a changed photo changes every tile
    size: tuple = ()  # the page's (width, height) in points
    doc: object = None  # the PDF opened with pdfium for tiles (closed when the page is built again)
    page: object = None  # its page, loaded for tiles
    patches: dict = field(default_factory=dict)  # (level, x, y) -> (the last build's tile, the changed box in points)
    decoded: dict = field(default_factory=dict)  # (level, x, y) -> the patched tile's picture (PIL), for the next patch
    region: Path | None = None  # the items where this build changed the page, alone (layout.build.region_file)
    region_boxes: tuple = ()  # the boxes (points) the region file holds every item of
    region_doc: object = None  # that PDF opened with pdfium, for the patches
    region_page: object = None


class Session:
    """The preview of a page or an edition file."""

    def __init__(self, file: Path, *, cache_dir: Path | None = None):
        from layout.errors import InputError
        from layout.model.source import is_edition, load_file

        self.file = Path(file).resolve()
        try:
            self.edition = is_edition(load_file(self.file))
        except InputError:  # a page that does not read yet: its build shows why, and the next save is watched
            self.edition = False
        self.cache_dir = cache_dir
        self.out = Path(tempfile.mkdtemp(prefix="broadsheet-serve-"))
        self.pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="preview-build")
        self.lock = threading.Lock()  # guards pictures and tiles (the event loop's threads render)
        self.pdfium = threading.Lock()  # pdfium is used by one thread at a time (taken after `lock`, if both)
        self.targets: list[Target] = []
        self.error = ""  # the edition file itself refused
        self.error_diagnostics: list = []
        self.built: dict[int, Built] = {}
        self.version = 0
        self.building = False
        self.listeners: set[Callable[[dict], None]] = set()
        self._opening: dict[Path, threading.Thread] = {}  # PDFs being opened in pdfium as their build ends
        self._opened: dict[Path, tuple] = {}  # PDF -> (pdfium document, its page), not yet taken by its build
        self._read_targets()

    # -- what to build -------------------------------------------------------------------
    def _read_targets(self) -> None:
        from layout.errors import InputError

        if not self.edition:
            self.targets = [Target(number=1, file=self.file)]
            return
        from layout.model.edition import page_file, page_overrides, validate_edition
        from layout.model.source import load_file

        try:
            source = load_file(self.file)
            edition = validate_edition(source)
        except InputError as exc:
            self.error = str(exc)
            self.error_diagnostics = [d.to_dict() | {"text": d.format()} for d in exc.diagnostics]
            return
        self.error, self.error_diagnostics = "", []
        self.targets = []
        for i, entry in enumerate(edition.entries()):
            folio = page_overrides(edition, i, entry)
            self.targets.append(Target(number=folio["page"], file=page_file(source, entry), folio=folio,
                                       section=folio.get("section", "")))
        self.bookings = None
        try:  # booked ads, placed as a proof build of the edition places them
            from layout.build import BuildOptions
            from layout.edition import booking_file, plan_edition

            self.bookings = booking_file(source, edition)
            jobs = [(t.number, t.file, None, t.folio) for t in self.targets]
            booked, _, _, _ = plan_edition(source, edition, jobs, BuildOptions(proof=True, cache_dir=self.cache_dir))
        except InputError as exc:
            self.error = str(exc)
            self.error_diagnostics = [d.to_dict() | {"text": d.format()} for d in exc.diagnostics]
            return
        for t in self.targets:
            t.booked = booked.get(t.number, ())

    def folders(self) -> set[Path]:
        """Folders whose files the pages read: each content file's folder and its ``images/``
        and ``fonts/`` (watched one level deep: a page's folder may hold a whole project), and
        the folders of the booked ads' files."""
        out = {self.file.parent}
        out.update((t.file.parent / ad.file).resolve().parent for t in self.targets for ad in t.booked)
        for t in self.targets:
            out.add(t.file.parent)
            out.update(sub for name in ("images", "fonts") if (sub := t.file.parent / name).is_dir())
        return out

    def affected(self, paths: set[Path]) -> list[Target]:
        """The pages a change to ``paths`` touches: a page whose folder holds a changed file
        (its content file, its images), all of them when the edition file changed."""
        bookings = getattr(self, "bookings", None)
        if self.edition and (self.file in paths or (bookings is not None and (
                bookings in paths or any(bookings.parent in p.parents and p.parent != bookings.parent for p in paths)))):
            self._read_targets()  # the edition, its booking list or an ad's file changed: plan again
            return list(self.targets)
        hit = []
        for t in self.targets:
            folder = t.file.parent
            if any(p == t.file or (p.parent != folder and folder in p.parents) or
                   (p.parent == folder and p.suffix.lower() in (".yaml", ".yml", ".jpg", ".jpeg", ".png", ".tif", ".tiff",
                                                               ".ttf", ".otf", ".ttc", ".icc"))
                   for p in paths):
                hit.append(t)
        return hit

    # -- building ------------------------------------------------------------------------
    def build_now(self, targets: list[Target]) -> None:
        """Build ``targets`` one after the other (on the build thread)."""
        for t in targets:
            new = self._build_one(t)
            shown = self.built.get(t.number)  # (this thread alone replaces a page's build)
            opening = self._opening.pop(shown.pdf, None) if shown is not None and shown.pdf != new.pdf else None
            if opening is not None:
                opening.join()  # (the version shown until now was never asked for a tile)
            with self.lock:
                old = self.built.get(t.number)
                if old is not None and new.ok:
                    _keep_unchanged_tiles(old, new)
                self.built[t.number] = new
            self._tell({"type": "page", "page": t.number, **self.page_state(t.number)})
            if old is not None and old is not new:  # (after the event: the next version may be opening meanwhile)
                with self.lock, self.pdfium:
                    if old.doc is not None:
                        _close(old)
                    if old.pdf is not None and old.pdf != new.pdf:
                        self._drop_opened(old.pdf)
            for level, x, y in list(new.patches):  # (drawn before the browser asks for them)
                self.tile(t.number, new.version, level, x, y)
            if new.ok and new.pdf is not None and new.doc is None and new.pdf not in self._opening:
                self._open_soon(new.pdf)  # (for the tiles not kept or patched, e.g. at another zoom)

    def _build_one(self, t: Target) -> Built:
        from layout.build import BuildOptions, build, region_file
        from layout.errors import BroadsheetError, InputError
        from layout.model.source import load_file
        from layout.serve.overlay import page_overlay

        self.version += 1
        t0 = time.perf_counter()
        last = self.built.get(t.number)

        def refused(error: str, diagnostics: list) -> Built:  # the last good page stays on show, under the errors
            keep = last if last is not None and last.pdf is not None else None
            return Built(version=self.version, ok=False, seconds=time.perf_counter() - t0, at=time.time(),
                         error=error, diagnostics=diagnostics, pdf=keep.pdf if keep else None,
                         overlay=keep.overlay if keep else None, report=keep.report if keep else None)

        out = self.out / f"p{t.number:02d}-v{self.version}.pdf"
        pages: list = []
        asked: list = []

        def regions(page) -> list:  # (where the last version's tiles will be patched)
            asked[:] = _changed_boxes(last, page, t.file.parent)
            return asked

        try:
            source = load_file(t.file)
            report = build(t.file, BuildOptions(output=out, proof=True, guides=True, folio=t.folio, booked=t.booked,
                                                cache_dir=self.cache_dir, regions=regions,
                                                # (with a region the edited tiles need no page: opened after them)
                                                placed=lambda pdf: None if asked else self._open_soon(pdf)),
                           source=source, pages=pages)
        except InputError as exc:
            return refused(str(exc), [d.to_dict() | {"text": d.format()} for d in exc.diagnostics])
        except BroadsheetError as exc:
            return refused(str(exc), [])
        except Exception as exc:  # an engine bug: shown, and the server keeps serving
            return refused(f"internal error: {type(exc).__name__}: {exc} (a bug in broadsheet)", [])
        if last is not None and last.pdf is not None and last.pdf != out:
            from layout.output import remove_later

            remove_later(last.pdf)  # (freeing a 7 MB file took ~5 ms: not before the page's event)
            if last.region is not None:
                remove_later(last.region)
        overlay = page_overlay(pages[0], report, position=source.position, content=str(t.file))
        page = pages[0]
        region = region_file(out)
        return Built(version=self.version, ok=True, seconds=time.perf_counter() - t0, at=time.time(), pdf=out,
                     region=region if region.exists() else None, region_boxes=tuple(asked),
                     overlay=overlay, report=report.to_dict(), drawn=set(page.items) | set(page.guides),
                     stamp=_picture_stamp(page, t.file.parent), size=(page.width, page.height))

    def _open_soon(self, pdf: Path) -> None:
        """Open a PDF just put in place in pdfium, in a thread, while the build finishes and the
        page's event goes out (loading a page parses every glyph of it: ~15 ms, which pdfium
        spends without the interpreter's lock); the first tile of that version takes it."""
        def run() -> None:
            import pypdfium2 as pdfium

            with self.pdfium:  # (not `lock`: the page's event and its kept tiles go out meanwhile)
                try:
                    doc = pdfium.PdfDocument(str(pdf))
                    self._opened[pdf] = (doc, doc[0])
                except (pdfium.PdfiumError, OSError):  # (a tile opens it again, or says why not)
                    pass

        thread = threading.Thread(target=run, name="preview-open", daemon=True)
        thread.start()
        self._opening[pdf] = thread  # (a tile asked for before this line opens the PDF itself)

    def _take_opened(self, b: Built) -> None:
        """Give ``b`` its PDF as opened ahead (call holding both locks)."""
        if b.doc is None and b.pdf in self._opened:
            b.doc, b.page = self._opened.pop(b.pdf)
        self._drop_opened(b.pdf)

    def _drop_opened(self, pdf: Path | None) -> None:
        """Close what was opened ahead of ``pdf`` (None: of every PDF) and no build took
        (call holding both locks)."""
        for p in [p for p in self._opened if pdf is None or p == pdf]:
            doc, page = self._opened.pop(p)
            page.close()
            doc.close()

    def _tell(self, event: dict) -> None:
        for listener in list(self.listeners):
            listener(event)

    async def rebuild(self, targets: list[Target] | None = None) -> None:
        loop = asyncio.get_running_loop()
        targets = self.targets if targets is None else targets
        self.building = True
        self._tell({"type": "building", "pages": [t.number for t in targets]})
        try:
            await loop.run_in_executor(self.pool, self.build_now, targets)
        finally:
            self.building = False
        self._tell({"type": "built", "pages": [t.number for t in targets], "state": self.state()})

    async def watch(self, stop: asyncio.Event) -> None:
        """Rebuild the pages a change touches, until ``stop`` is set."""
        from watchfiles import awatch

        def relevant(change, path: str) -> bool:
            p = Path(path)
            return not (p.name.startswith(".") or p.suffix in (".pdf", ".tmp") or "output" in p.parts[-2:-1])

        async for changes in awatch(*sorted(self.folders()), watch_filter=relevant, debounce=50, step=10,
                                    stop_event=stop, rust_timeout=500, yield_on_timeout=False, recursive=False):
            paths = {Path(p).resolve() for _, p in changes}
            targets = self.affected(paths)
            if targets:
                await self.rebuild(targets)

    # -- what the browser asks -----------------------------------------------------------
    def page_state(self, number: int) -> dict:
        b = self.built.get(number)
        if b is None:
            return {"version": 0, "ok": None}
        out = {"version": b.version, "ok": b.ok, "seconds": round(b.seconds, 3), "at": b.at, "error": b.error}
        if b.report is not None:
            findings = b.report["findings"]
            out["overset"] = [{"article": f["article"], "lines": f["lines"], "characters": f["characters"]}
                              for f in findings if f["kind"] == "overset"]
            out["underset"] = [{"article": f["article"], "lines": f["lines"], "characters": f["characters"]}
                               for f in findings if f["kind"] == "underset"]
            out["warnings"] = sum(1 for f in findings if f["severity"] == "warning") + len(b.report["diagnostics"])
        return out

    def state(self) -> dict:
        pages = []
        for t in self.targets:
            b = self.built.get(t.number)
            entry = {"page": t.number, "file": str(t.file), "section": t.section, **self.page_state(t.number)}
            if b is not None and b.overlay is not None:
                entry["width"], entry["height"] = b.overlay["width"], b.overlay["height"]
                entry["ads"] = [s["box"] for s in b.overlay["stories"] if s["kind"] == "ad"]
            pages.append(entry)
        return {"mode": "edition" if self.edition else "page", "file": str(self.file), "building": self.building,
                "error": self.error, "diagnostics": self.error_diagnostics, "pages": pages}

    def overlay(self, number: int) -> dict | None:
        b = self.built.get(number)
        if b is None:
            return None
        out = {"page": number, **self.page_state(number), "diagnostics": b.diagnostics}
        if b.overlay is not None:
            out.update(b.overlay)
            out["levels"] = list(LEVELS)
            out["tile"] = TILE
        return out

    def picture(self, number: int, version: int, level: float):
        """The page rendered at ``level`` pixels per point (PIL image), or None when that version
        is not the current one."""
        import pypdfium2 as pdfium

        from layout.preview import page_picture

        b = self.built.get(number)
        if b is None or b.version != version or b.pdf is None or level not in LEVELS:
            return None
        with self.lock, self.pdfium:
            if level in b.pictures:
                return b.pictures[level]
            try:
                pdf = pdfium.PdfDocument(str(b.pdf))
            except (pdfium.PdfiumError, OSError):  # replaced by a newer build meanwhile
                return None
            try:
                # print mode: the guides layer is marked not to print, so the picture is the page alone
                image = page_picture(pdf, 0, scale=level, printing=True)
            finally:
                pdf.close()
            b.pictures[level] = image
            return image

    def tile(self, number: int, version: int, level: float, x: int, y: int) -> bytes | None:
        """The PNG of one tile of the page at ``level``: the tile's own region rendered by pdfium
        (not the whole page, the page loaded once a version), the previous build's tile when
        nothing drawn in it changed, or that tile with only the changed box drawn again."""
        import io
        import math

        b = self.built.get(number)
        if b is None or b.version != version or b.pdf is None or level not in LEVELS:
            return None
        key = (level, x, y)
        kept = b.tiles.get(key)
        if kept is not None:  # (kept from the last version, or drawn already)
            return kept
        if not self._from_region(b, key):  # (an edited tile is drawn from the region file alone)
            opening = self._opening.get(b.pdf)
            if opening is not None:
                opening.join()  # (the PDF opened ahead: taken below)
        with self.lock, self.pdfium:
            if key in b.tiles:
                return b.tiles[key]
            if self.built.get(number) is not b:  # built again meanwhile
                return None
            per = TILE / level  # points per tile
            patch = b.patches.get(key)
            region = self._region_page(b) if patch is not None and self._from_region(b, key) else None
            if region is not None:
                del b.patches[key]
                piece = _patched(region, level, x, y, per, *patch)
                if piece is not None:
                    return self._edited_tile(b, key, piece)
                patch = None  # (rounding: the whole tile from the page)
            self._take_opened(b)
            if b.doc is None:
                import pypdfium2 as pdfium

                try:
                    b.doc = pdfium.PdfDocument(str(b.pdf))
                except (pdfium.PdfiumError, OSError):
                    return None
            if b.page is None:
                b.page = b.doc[0]  # (loaded once a version: parsing a page's content takes ~15 ms)
            page = b.page
            w, h = page.get_size()
            width, height = math.ceil(w * level), math.ceil(h * level)
            if x < 0 or y < 0 or x * TILE >= width or y * TILE >= height:
                return None
            patch = b.patches.pop(key, None)
            if patch is not None:  # the last build's tile with the changed box drawn again
                piece = _patched(page, level, x, y, per, *patch)
                if piece is not None:
                    return self._edited_tile(b, key, piece)
            crop = (x * per, max(0.0, h - (y + 1) * per), max(0.0, w - (x + 1) * per), y * per)
            # print mode: the guides layer is marked not to print, so the picture is the page alone
            piece = page.render(scale=level, crop=crop, optimize_mode="print").to_pil().convert("RGB")
            buf = io.BytesIO()
            piece.save(buf, "PNG", compress_level=1)
            b.tiles[key] = buf.getvalue()
            return b.tiles[key]

    @staticmethod
    def _from_region(b: Built, key: tuple) -> bool:
        """Whether the patch of tile ``key`` lies inside the boxes ``b``'s region file holds (a
        tile first asked for while ``b`` was built has a patch but no region)."""
        patch = b.patches.get(key)
        if patch is None or b.region is None:
            return False
        box = patch[1]
        return any(r[0] <= box[0] and r[1] <= box[1] and box[2] <= r[2] and box[3] <= r[3] for r in b.region_boxes)

    @staticmethod
    def _edited_tile(b: Built, key: tuple, piece) -> bytes:
        """An edited tile: stored without compression (~1.5 ms, not ~11: it is the one the desk
        waits for, on a loopback connection), and kept decoded for the next edit."""
        b.decoded[key] = piece
        b.tiles[key] = stored_png(piece)
        return b.tiles[key]

    def _region_page(self, b: Built):
        """The page of ``b``'s region file (the items where it changed the page), opened once;
        None without one (call holding both locks)."""
        if b.region_page is None and b.region is not None:
            import pypdfium2 as pdfium

            try:
                b.region_doc = pdfium.PdfDocument(str(b.region))
                b.region_page = b.region_doc[0]
            except (pdfium.PdfiumError, OSError):
                b.region = None
        return b.region_page

    def thumbnail(self, number: int, version: int, width: int = 240) -> bytes | None:
        import io

        image = self.picture(number, version, LEVELS[0])
        if image is None:
            return None
        small = image.copy()
        small.thumbnail((width, width * 2))
        buf = io.BytesIO()
        small.save(buf, "PNG")
        return buf.getvalue()

    def pdf(self, number: int) -> Path | None:
        b = self.built.get(number)
        return b.pdf if b is not None and b.pdf is not None and b.pdf.exists() else None

    def close(self) -> None:
        import shutil

        self.pool.shutdown(wait=True, cancel_futures=True)
        for thread in list(self._opening.values()):
            thread.join()
        with self.lock, self.pdfium:
            for b in self.built.values():
                if b.doc is not None:
                    _close(b)
            self._drop_opened(None)
        shutil.rmtree(self.out, ignore_errors=True)


def _close(b: Built) -> None:
    """Close a build's pages and PDFs in pdfium (a page before its document)."""
    for page, doc in (("page", "doc"), ("region_page", "region_doc")):
        if getattr(b, page) is not None:
            getattr(b, page).close()
            setattr(b, page, None)
        if getattr(b, doc) is not None:
            getattr(b, doc).close()
            setattr(b, doc, None)


def _picture_stamp(page, folder: Path) -> tuple:
    """(file, size, mtime) of every picture the page draws: the display list names a photo by its
    file, so a photo replaced under the same name changes no item, only this."""
    import os

    from layout.display import Image, Vector

    out = []
    for it in page.items:
        if isinstance(it, (Image, Vector)):
            try:
                st = os.stat(folder / it.file)
                out.append((it.file, st.st_size, st.st_mtime_ns))
            except OSError:
                out.append((it.file, -1, -1))
    return tuple(sorted(set(out)))


#: False: the edited tiles drawn from the whole new page, never from a region file (what a tile
#: first asked for while its version was built gets)
REGIONS = True

#: points around a changed item whose pixels may change (antialiasing, strokes, glyphs past their boxes)
_MARGIN = 6.0


def _keep_unchanged_tiles(old: Built, new: Built) -> None:
    """Hand the new build the old build's tiles that nothing changed in: the items drawn by one
    build and not the other mark the regions that changed (with a margin), and a tile outside all
    of them is the same picture. Nothing is kept when the page's size or its photos changed."""
    if old.drawn is None or new.drawn is None or old.size != new.size or old.stamp != new.stamp or not old.tiles:
        return
    boxes = _boxes(old.drawn ^ new.drawn)
    if boxes is None:
        return
    patches = _patch_boxes(old.tiles, boxes)
    for key, png in old.tiles.items():
        if key not in patches:
            new.tiles[key] = png
        else:  # drawn again only where something changed (a photo elsewhere in the tile is not decoded again)
            new.patches[key] = (old.decoded.get(key, png), patches[key])


def _patch_boxes(tiles, boxes: list) -> dict:
    """For each tile (level, x, y) that one of ``boxes`` touches: the box (points) around all
    of them inside it, which a patch draws again."""
    out = {}
    for level, tx, ty in tiles:
        per = TILE / level
        x0, y0, x1, y1 = tx * per, ty * per, (tx + 1) * per, (ty + 1) * per
        hits = [(max(bx0, x0), max(by0, y0), min(bx1, x1), min(by1, y1))
                for bx0, by0, bx1, by1 in boxes if bx0 < x1 and x0 < bx1 and by0 < y1 and y0 < by1]
        if hits:
            out[(level, tx, ty)] = (min(b[0] for b in hits), min(b[1] for b in hits),
                                    max(b[2] for b in hits), max(b[3] for b in hits))
    return out


def stored_png(image) -> bytes:
    """An RGB picture as a PNG whose data is stored, not compressed: ~1.5 ms for a 512 px tile
    where Pillow's fastest compression takes ~11 ms (it filters every row and deflates), and
    decoded again in ~0.5 ms. For the tiles an edit changed, on the way to a browser on the
    same machine."""
    import struct
    import zlib

    if image.mode != "RGB":
        image = image.convert("RGB")
    width, height = image.size
    raw = image.tobytes()
    stride = width * 3
    rows = b"".join(b"\0" + raw[i:i + stride] for i in range(0, len(raw), stride))  # (filter: none)

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows, 0)) + chunk(b"IEND", b""))


def _boxes(changed) -> list | None:
    """The boxes (x0, y0, x1, y1, points, with a margin) of the items one build drew and the
    other did not; None when one of them has no box (nothing can be kept then)."""
    from layout.display import item_box

    boxes = []
    for it in changed:
        box = item_box(it)
        if box is None:
            if getattr(it, "xs", None) == ():  # an empty run draws nothing
                continue
            return None
        x, y, w, h = box
        boxes.append((x - _MARGIN, y - _MARGIN, x + w + _MARGIN, y + h + _MARGIN))
    return boxes


def _changed_boxes(last: Built | None, page, folder: Path) -> list:
    """The boxes the patches of ``last``'s tiles will draw again from ``page`` (as
    :func:`_keep_unchanged_tiles` will find them), when its tiles can be kept (the same size and
    photos); else none. The build writes the items there in a region file."""
    if not REGIONS or last is None or last.drawn is None or not last.tiles or last.size != (page.width, page.height):
        return []
    if last.stamp != _picture_stamp(page, folder):
        return []
    boxes = _boxes(last.drawn ^ (set(page.items) | set(page.guides)))
    return sorted(set(_patch_boxes(last.tiles, boxes).values())) if boxes else []


def _patched(page, level: float, tx: int, ty: int, per: float, png, box: tuple):
    """The tile (tx, ty) at ``level``: the last build's picture ``png`` (its PNG, or the picture
    itself when that build patched it) with ``box`` (points, inside the tile) rendered again
    from the new page, pixel for pixel as a whole tile renders it (the same transform; only the
    region drawn is smaller). None when it cannot be done."""
    import io
    import math

    from PIL import Image

    w, h = page.get_size()
    left, top = tx * TILE, ty * TILE  # the tile's pixels in the page's picture
    px0, py0 = max(left, math.floor(box[0] * level)), max(top, math.floor(box[1] * level))
    px1 = min(left + TILE, math.ceil(w * level), math.ceil(box[2] * level))
    py1 = min(top + TILE, math.ceil(h * level), math.ceil(box[3] * level))
    if px1 <= px0 or py1 <= py0:
        return None
    if isinstance(png, Image.Image):
        old = png.copy()
    else:
        try:
            old = Image.open(io.BytesIO(png)).convert("RGB")
        except OSError:
            return None
    full_w, full_h = math.ceil(w * level), math.ceil(h * level)
    # crop in the page's pixels, as pypdfium2 takes it (ceil(points * level) per side)
    crop = (px0 / level, (full_h - py1) / level, (full_w - px1) / level, py0 / level)
    piece = page.render(scale=level, crop=crop, optimize_mode="print").to_pil().convert("RGB")
    if piece.size != (px1 - px0, py1 - py0):
        return None  # (rounding: draw the whole tile instead)
    old.paste(piece, (px0 - left, py0 - top))
    return old
