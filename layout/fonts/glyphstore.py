"""The persistent per-face store of converted (TrueType) glyphs.

Converting a CFF glyph to quadratic outlines costs about 0.6 ms; a page uses some 700 glyphs
per face and the next edition of the page mostly the same ones. So every converted glyph is
kept, per face, in ``<cache>/fonts/glyphs/<file>-<index>-<key>.glyphs``: a marshal'd dict
``glyph id -> (advance, compiled glyf record)``. A changed text then costs only its new glyphs.

Writers merge under the face's lock (``.lock`` next to the store) and replace the file
atomically; readers never lock and always see a complete store.
"""

from __future__ import annotations

import marshal
from collections.abc import Callable, Iterable
from pathlib import Path

from . import cache

_MAGIC = "broadsheet-glyph-store"

Record = tuple[int, bytes]  # (advance in font units, compiled glyf data; b"" = empty glyph)


class GlyphStore:
    def __init__(self, path: Path, face_key: str) -> None:
        self.path = path
        self.face_key = face_key
        self.lock_path = path.with_name(path.name + ".lock")
        self.glyphs: dict[int, Record] = self._read()

    def _read(self) -> dict[int, Record]:
        data = cache.read_bytes(self.path)
        if data is None:
            return {}
        try:
            magic, fmt, key, glyphs = marshal.loads(data)
        except (ValueError, EOFError, TypeError):
            return {}  # damaged: start again (the next write replaces it)
        if (magic, fmt, key) != (_MAGIC, cache.FORMAT, self.face_key) or not isinstance(glyphs, dict):
            return {}
        return glyphs

    def missing(self, gids: Iterable[int]) -> set[int]:
        return {g for g in gids if g not in self.glyphs}

    def ensure(self, gids: Iterable[int], convert: Callable[[set[int]], dict[int, Record]]) -> int:
        """Make every glyph of ``gids`` present, calling ``convert(missing_gids)`` for those
        that are not; returns how many glyphs this call converted.

        The conversion runs under the face's lock, after re-reading the store, so parallel
        builds wanting the same new glyphs convert them once and never lose each other's
        additions.
        """
        want = set(gids)
        if not self.missing(want):
            return 0
        with cache.locked(self.lock_path):
            self.glyphs = self._read()
            need = self.missing(want)
            if not need:
                return 0
            new = convert(need)
            merged = dict(self.glyphs)
            merged.update(new)
            try:
                cache.atomic_write(self.path, marshal.dumps((_MAGIC, cache.FORMAT, self.face_key, merged)))
            except OSError:
                pass  # read-only cache: keep the glyphs for this process only
            self.glyphs = merged
            return len(new)
