"""Composing one page: folio, articles (with their photos), ads. The result is a display list.

Composition is a pure function of records: the page (``Document``) and its grid, the fonts'
metrics, the pictures' sizes and the text continued from other pages go in; the display list
and what composition noticed (``Notes``) come out. It reads no file, prepares no picture and
draws nothing: the build does those before and after (``layout.build``).
"""

from __future__ import annotations

from layout.compose.context import Context, Fonts, Notes
from layout.display import Page
from layout.model.content import Document
from layout.model.frames import overlap
from layout.model.geometry import Grid


def compose_ad(ad, ctx):
    from layout.compose.ad import compose_ad as compose  # (not loaded when the store has every part)

    return compose(ad, ctx)


def compose_article(art, ctx, obstacles):
    from layout.compose.article import compose_article as compose

    return compose(art, ctx, obstacles)


def compose_folio(ctx):
    from layout.compose.folio import compose_folio as compose

    return compose(ctx)


def compose_masthead(ctx):
    from layout.compose.masthead import compose_masthead as compose

    return compose(ctx)


def compose_page(doc: Document, grid: Grid, fonts: Fonts, *, picture_sizes: dict | None = None,
                 continuations: dict | None = None, name: str = "") -> tuple[Page, Notes]:
    """The page's display list and what composition noticed. ``picture_sizes`` holds each
    picture file's upright size in pixels (engine-placed photos and copyfit follow the
    picture's proportions); ``continuations`` holds, for an article continued from another
    page, the blocks that did not fit there."""
    notes = Notes()
    ctx = Context(doc=doc, grid=grid, fonts=fonts, notes=notes, picture_sizes=picture_sizes or {},
                  continuations=continuations or {})
    g = grid
    page = Page(width=g.width, height=g.height, bleed=g.bleed, slug=g.slug, name=name)
    parts = _Parts(ctx)
    page.extend(parts.get(("folio",), compose_folio))
    page.extend(parts.get(("masthead",), compose_masthead))
    # ads first in the painting order (backgrounds), articles flow around ads inside their frames
    ad_items = []
    for i, ad in enumerate(doc.ads):
        sized = {k: v for k, v in ctx.picture_sizes.items()  # (a PDF ad keeps its page's proportions)
                 if k == getattr(ad, "file", None) or (isinstance(k, tuple) and k[:1] == (getattr(ad, "file", None),))}
        ad_items.extend(parts.get(("ad", i, ad, sized), lambda c, ad=ad: compose_ad(ad, c)))
    for i, art in enumerate(doc.articles):
        obstacles = [ad.frame for ad in doc.ads if overlap(ad.frame, art.frame)]
        # fit: auto articles are copyfitted (layout.compose.copyfit), the others set as written
        if art.fit == "auto":
            from layout.compose.copyfit import compose_fitted  # only pages that copyfit load it

            make = lambda c, art=art, obstacles=obstacles: compose_fitted(art, c, obstacles)  # noqa: E731
        else:
            make = lambda c, art=art, obstacles=obstacles: compose_article(art, c, obstacles)  # noqa: E731
        files = [pic.file for ph in art.photos for pic in ph.pictures]
        page.extend(parts.get(("article", i, art, obstacles, {f: ctx.picture_sizes.get(f) for f in files},
                               ctx.continuations.get(art.id)), make))
    page.extend(ad_items)
    return page, notes


#: parts of pages composed in this process (see _Parts): key -> (items, notes)
_PARTS: dict = {}
#: how many parts are remembered (a page has a few dozen; `serve` may hold an edition)
PARTS_LIMIT = 512


class _Parts:
    """The folio, the masthead, each ad and each article of a page, each composed once per
    everything it depends on: its own record and place, the page's settings (the document less
    its articles and ads), the grid and the fonts. A rebuild after an edit (``watch``, ``serve``)
    composes again only the story that changed; the others' display items and what composing
    them noticed (findings, audit counts, rests, photo frames) are handed out again, as the
    paragraph memo hands out lines. Fonts without an identity (test doubles) are never memoised."""

    def __init__(self, ctx: Context):
        self.ctx = ctx
        fonts = getattr(ctx.fonts, "identity", None)
        self.common = None
        if isinstance(fonts, str):
            from msgspec.structs import replace

            doc = replace(ctx.doc, articles=[], ads=[])
            self.common = (doc, ctx.grid, dict(ctx.body), fonts)

    def get(self, what: tuple, make) -> list:
        ctx = self.ctx
        if self.common is None:
            return make(ctx)
        key = _digest((what, self.common))
        hit = _PARTS.get(key) if key is not None else None
        store = _store
        name = None
        if hit is None and key is not None and store is not None:
            name = (key + _code_version()).hex()[:48]
            hit = _decode(store.read(name))
        if hit is None:
            from msgspec.structs import replace

            sub = replace(ctx, notes=Notes())
            hit = (tuple(make(sub)), sub.notes)
            if name is not None:  # (written by flush(), when the build has put its PDF in place)
                _unwritten[name] = (store, hit)
        if key is not None:
            if len(_PARTS) >= PARTS_LIMIT:
                _PARTS.pop(next(iter(_PARTS)))
            _PARTS[key] = hit
        items, part = hit
        _merge(ctx.notes, part)
        return list(items)


_store = None  # where parts outlive the process: read(name) -> bytes | None, write(name, bytes)
_code: bytes | None = None


def use_store(store) -> None:
    """Keep composed parts in ``store`` too (None: memory only); the build gives it
    (:class:`layout.partstore.PartStore`): composition itself writes no file."""
    global _store
    if _store is not store:
        flush()
    _store = store


#: parts composed since the last flush, for the store: name -> (store, (items, notes))
_unwritten: dict = {}


def flush() -> None:
    """Write the parts composed since the last call to their store. A build calls it when its
    PDF is in place: encoding a story's items and writing them (~0.7 ms) is no part of the
    wait for the page after an edit."""
    pending = list(_unwritten.items())
    _unwritten.clear()
    for name, (store, hit) in pending:
        data = _encode(*hit)
        if data is not None:
            store.write(name, data)


def _code_version() -> bytes:
    """What a part depends on besides its key: the code that composes and shapes (this package,
    the text composer, the fonts' readers and stacks, the display list, the records, HarfBuzz),
    by each file's name, size and modification time (as the paragraph memo judges its code)."""
    global _code
    if _code is None:
        import hashlib
        import importlib.util
        from pathlib import Path

        here = Path(__file__).resolve().parent.parent
        files = [f for sub in ("compose", "text", "fonts", "model") for f in sorted((here / sub).glob("*.py"))]
        files += [here / "display.py", here / "findings.py", here / "errors.py"]
        for mod in ("uharfbuzz", "pyphen", "uniseg", "rjieba"):
            spec = importlib.util.find_spec(mod)
            if spec is not None and spec.origin:
                files.append(Path(spec.origin))
                files += sorted(Path(spec.origin).parent.glob("*.so"))
        h = hashlib.sha1()
        for f in files:
            try:
                st = f.stat()
                h.update(f"{f}:{st.st_size}:{st.st_mtime_ns}\n".encode())
            except OSError:
                h.update(f"{f}:-\n".encode())
        _code = h.digest()
    return _code


_KINDS: dict | None = None


def _kinds() -> dict:
    """The display items a part may hold, by name, with a decoder for each (nothing else is ever
    made from a stored part)."""
    global _KINDS
    if _KINDS is None:
        from msgspec.msgpack import Decoder

        from layout import display

        _KINDS = {c.__name__: (c, Decoder(c)) for c in (display.Glyphs, display.Rect, display.Line, display.Ellipse,
                                                        display.Polygon, display.Image, display.Vector)}
    return _KINDS


def _float(v):
    if isinstance(v, float):  # (a type size read from content.yaml is a float of its own class)
        return float(v)
    raise TypeError(f"cannot store {type(v).__name__}")


def _encode(items: tuple, notes: Notes) -> bytes | None:
    """A part as bytes (msgpack): each item by kind, the findings, errors and audit counts, the
    photo frames; None for a part that cannot be kept faithfully (a story's rest for a jump, a
    frame of another type)."""
    from msgspec.msgpack import Encoder

    from layout.model.content import Frame

    kinds = _kinds()
    if notes.rest or any(type(f) is not Frame or not (isinstance(k, tuple) and len(k) == 2)
                         for k, f in notes.photo_frames.items()):
        return None
    if any(type(it).__name__ not in kinds for it in items):
        return None
    enc = Encoder(enc_hook=_float)
    try:
        return enc.encode((
            [(type(it).__name__, enc.encode(it)) for it in items],
            notes.findings, notes.errors, notes.text_audit,
            [(k[0], k[1], f) for k, f in notes.photo_frames.items()],
        ))
    except (TypeError, ValueError, OverflowError):
        return None


def _decode(data: bytes | None) -> tuple | None:
    """The (items, notes) of a stored part, or None when there is none or it does not read."""
    if data is None:
        return None
    import msgspec

    from layout.errors import Problem
    from layout.findings import AnyFinding, TextAudit
    from layout.model.content import Frame

    kinds = _kinds()
    try:
        raw, findings, errors, audit, frames = msgspec.msgpack.decode(
            data, type=tuple[list[tuple[str, bytes]], list[AnyFinding], list[Problem], TextAudit,
                             list[tuple[str, int, Frame]]])
        items = tuple(kinds[kind][1].decode(b) for kind, b in raw)
    except (msgspec.DecodeError, msgspec.ValidationError, KeyError, ValueError, TypeError):
        return None
    notes = Notes(findings=findings, errors=errors, text_audit=audit,
                  photo_frames={(a, i): f for a, i, f in frames})
    return items, notes


def _merge(notes: Notes, part: Notes) -> None:
    """What composing one part noticed, added to the page's notes as composing it there would
    have added it (a notice or a normalised mark once; the same photo-fit error once)."""
    from msgspec.structs import asdict

    from layout.findings import Normalized, Notice

    for f in part.findings:
        if isinstance(f, (Notice, Normalized)):
            notes.once(f)
        else:
            notes.findings.append(f)
    for e in part.errors:
        if not (e.code == "photo-fit" and any(x.message == e.message for x in notes.errors)):
            notes.errors.append(e)
    notes.text_audit.add(asdict(part.text_audit))
    notes.rest.update(part.rest)
    notes.photo_frames.update(part.photo_frames)


_ENCODER = None


def _encode_other(v):
    if isinstance(v, float):
        return ("float", float(v))
    if isinstance(v, (set, frozenset)):
        return ("set", sorted(map(repr, v)))
    return (type(v).__name__, repr(v))


def _digest(value) -> bytes | None:
    """A digest of ``value`` (records, numbers, text, paths), or None when it holds something
    that cannot be encoded faithfully."""
    global _ENCODER
    import hashlib

    if _ENCODER is None:
        from msgspec.msgpack import Encoder

        _ENCODER = Encoder(enc_hook=_encode_other)
    try:
        return hashlib.sha1(_ENCODER.encode(value)).digest()
    except (TypeError, ValueError, OverflowError):
        return None
