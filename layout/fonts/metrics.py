"""Advance widths of one face for the line composer (the ``Metrics`` protocol of
:mod:`layout.text.api`).

The composer asks for the advance of every character of every paragraph, often more than once
while it tries breaks, so lookups are memoised per character in a plain dict on top of the flat
arrays of :class:`~layout.fonts.table.FontTable`.
"""

from __future__ import annotations

from .table import FontTable


class FaceMetrics:
    """``advance(ch)`` in em (font units / unitsPerEm, from hmtx through the cmap) and
    ``has(ch)`` (the face's cmap maps the character).

    A character the face lacks has the advance of ``.notdef`` (what a renderer would show: one
    em in the CJK faces), so a composer that does not check :meth:`has` still gets a plausible
    width; use :func:`layout.fonts.missing` to report such characters. A string of several
    characters gets the sum of their advances (``has``: all of them present) - no kerning.
    """

    __slots__ = ("_table", "_upm", "_memo", "_has")

    def __init__(self, table: FontTable) -> None:
        self._table = table
        self._upm = float(table.info["upm"])
        self._memo: dict[str, float] = {}
        self._has: dict[str, bool] = {}

    @property
    def key(self) -> str:
        """The face file's identity (path, index, mtime, size): equal keys, equal advances.
        The composer's paragraph memo (:mod:`layout.text.memo`) is keyed by it."""
        return self._table.key

    def advance(self, ch: str) -> float:
        a = self._memo.get(ch)
        if a is not None:
            return a
        if len(ch) != 1:
            return sum(self.advance(c) for c in ch)
        t = self._table
        a = t.advance_units(t.gid(ord(ch))) / self._upm
        self._memo[ch] = a
        return a

    def has(self, ch: str) -> bool:
        h = self._has.get(ch)
        if h is not None:
            return h
        if len(ch) != 1:
            return bool(ch) and all(self.has(c) for c in ch)
        h = self._table.gid(ord(ch)) != 0
        self._has[ch] = h
        return h

    def glyph_id(self, ch: str) -> int:
        """The face's glyph id for ``ch`` (0 = .notdef: not mapped)."""
        return self._table.gid(ord(ch))

    def advances(self, text: str, lang: str = "zh", ligatures: bool = True) -> list[float]:
        """Per character of ``text``, its advance in em after shaping in this one face (kerning,
        ligatures; see :meth:`layout.fonts.stack.FontStack.advances`, which builds pages)."""
        from .stack import NO_LIGATURES, script_of
        from .shaping import hb_language, shaper

        out = [0.0] * len(text)
        s = shaper(self._table.path, self._table.index)
        i = 0
        while i < len(text):
            sc = script_of(text[i])
            j = i + 1
            while j < len(text) and (text[j].isspace() or script_of(text[j]) == sc):
                j += 1
            shaped = s.shape(text[i:j], script=sc, language=hb_language(lang),
                             features=() if ligatures else NO_LIGATURES)
            for c, a in zip(shaped.clusters, shaped.advances):
                out[i + c] += a
            i = j
        return out

    def width(self, text: str) -> float:
        """Sum of the advances of ``text``, in em (no kerning, no compression)."""
        return sum(self.advance(c) for c in text)
