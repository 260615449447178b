"""Runs of display items drawn again as they were drawn before.

A rebuild after an edit (``watch``, ``serve``) draws a page whose items are mostly the very
objects the previous build drew: composition hands out an unchanged story's items again, and
an edited paragraph changes only its own lines. The page's items are cut into segments (a
paragraph's lines, a photo's caption, an ad's shapes: consecutive items of one source, at most
:data:`SEGMENT` of them); a segment whose items are the same objects as a segment drawn before
writes the operators it wrote then, and notes the glyphs it drew then for the font subsets, in
one step per face instead of one per run (a page has ~350 items; drawing them one by one cost
~3 ms of every rebuild).

What a segment writes depends only on its items, where the page is (offsets and height), the
names the document gives its faces (in order of first use: the segment asks for its faces in
the order its items did), and the overprint operators of the page: all part of the key or
checked on use. Its glyphs are noted only when each stood for one text throughout the segment
and every run read back as its text; else (and whenever the faces' ToUnicode maps disagree
with the segment) the items are drawn one by one, as without this module.
"""

from __future__ import annotations

#: at most this many items make one segment
SEGMENT = 48
#: segments remembered (a page has ~100; `serve` may redraw an edition's pages)
SEGMENTS_LIMIT = 4096

#: (ids of the items, ox, oy, page height, overprint operators) -> Segment
_SEGMENTS: dict = {}


class Segment:
    """What drawing some items wrote and noted."""

    __slots__ = ("items", "code", "fonts", "faces", "notes")

    def __init__(self, items: tuple, code: tuple, fonts: tuple, faces: tuple, notes: tuple):
        self.items = items  # (held: the key's ids stay theirs)
        self.code = code  # the strings appended to the canvas's code
        self.fonts = fonts  # font keys in order of first use
        self.faces = faces  # (content key, index, resource name) of each, as the document named it
        self.notes = notes  # per face: (glyphs, glyph -> text, horizontal, vertical)


def forget() -> None:
    """Drop every segment remembered (as a new process starts)."""
    _SEGMENTS.clear()


def cut(items: list, cacheable):
    """The items in order as (cacheable, items) groups: runs of cacheable items of one source
    (at most SEGMENT), and single items that are not. A generator: ``cacheable`` is asked of
    an item once the groups before it are drawn (drawing the first overprinted run gives the
    page its overprint operators)."""
    current: list = []
    source = object()
    for it in items:
        if not cacheable(it):
            if current:
                yield True, current
                current = []
            yield False, [it]
            source = object()
            continue
        s = getattr(it, "source", None)
        if current and (s != source or len(current) >= SEGMENT):
            yield True, current
            current = []
        source = s
        current.append(it)
    if current:
        yield True, current


def key(items: list, ox: float, oy: float, page_h: float, overprint) -> tuple:
    return (tuple(map(id, items)), ox, oy, page_h, overprint)


def replay(k: tuple, code: list, fonts) -> bool:
    """Write the segment remembered under ``k`` (and note its glyphs); False when there is none
    or it does not fit the document as it is now (no operator written then; glyphs it noted
    are the ones drawing its items one by one notes)."""
    seg = _SEGMENTS.get(k)
    if seg is None:
        return False
    faces = [fonts.face(f) for f in seg.fonts]
    if tuple((f.table.key, f.index, f.name) for f in faces) != seg.faces:
        return False
    fits = True
    for face, (keys, pairs, _, _) in zip(faces, seg.notes):
        if keys is None:
            continue
        # the glyphs not noted yet take the segment's texts, as its first run with each would
        # have set them; it reads back as its text when every pair is then in the map. (When
        # not, the items are drawn one by one, which notes the same: nothing is undone.)
        tu = face.tounicode
        face.used |= keys
        new = keys.difference(tu)  # (a set less a dict: looks up the segment's glyphs only)
        if new:
            tu.update(zip(new, map(pairs.__getitem__, new)))
        fits = fits and pairs.items() <= tu.items()
    if not fits:
        return False
    for face, (keys, _, horizontal, vertical) in zip(faces, seg.notes):
        face.horizontal |= horizontal
        face.vertical |= vertical
    code.extend(seg.code)
    return True


def remember(k: tuple, items: list, code: tuple, runs: list) -> None:
    """Keep what drawing ``items`` wrote (``code``) and noted (``runs``: (font key, face, glyphs,
    glyph -> text or None, read back faithfully, vertical) of each glyph run, in order)."""
    fonts: list = []
    faces: list = []
    merged: dict = {}
    for font, face, keys, pairs, faithful, vertical in runs:
        if pairs is None or not faithful:
            return  # (noted glyph by glyph: drawn one by one next time too)
        if font not in fonts:
            fonts.append(font)
        if face not in faces:
            faces.append(face)
        entry = merged.setdefault(id(face), [set(), {}, False, False])
        for g in keys:
            t = entry[1].setdefault(g, pairs[g])
            if t != pairs[g]:
                return  # (one glyph for two texts in the segment)
        entry[0] |= keys
        entry[2] |= not vertical
        entry[3] |= vertical
    # each font key's face, in order of first use (two keys may share a face)
    by_font = [next(face for f, face, *_ in runs if f == font) for font in fonts]
    notes = []
    for face in by_font:
        e = merged.pop(id(face), None)
        notes.append((frozenset(e[0]), e[1], e[2], e[3]) if e is not None else (None, None, False, False))
    if len(_SEGMENTS) >= SEGMENTS_LIMIT:
        _SEGMENTS.pop(next(iter(_SEGMENTS)))
    _SEGMENTS[k] = Segment(tuple(items), code, tuple(fonts),
                           tuple((f.table.key, f.index, f.name) for f in by_font), tuple(notes))
