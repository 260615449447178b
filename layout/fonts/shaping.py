"""Shaping through HarfBuzz: a run of text in one face becomes glyph ids and positions, with the
face's own OpenType features for the run's script and language.

What shaping brings that a character map cannot: kerning and standard ligatures in Latin text
(``kern``, ``liga``), the regional forms of a CJK face (``locl``: Traditional Chinese centres
its ，。、 and draws some ideographs differently from Simplified, in the same font file) and, for
vertical setting, the vertical forms of brackets and marks (``vert``). The composer measures
with shaped advances and the display list carries the shaped glyph ids, so what is measured is
what is drawn.

Runs are shaped with their script and language set explicitly: left to guess, HarfBuzz takes a
run of CJK punctuation for "Common" script and picks forms (—— as one ``U+2E3A`` glyph) that
have no vertical variant. Results are memoised per face (a paragraph is measured once, its
lines shaped again when their glyph runs are made).

Positions are in em (font units / unitsPerEm); ``y_offsets`` grow *down* (display-list
coordinates), unlike the font's.
"""

from __future__ import annotations

from collections import OrderedDict
from pathlib import Path

from msgspec import Struct

#: OpenType language systems of the language codes pages use (BCP 47 -> what HarfBuzz reads)
LANGUAGES = {
    "zh": "zh-Hans", "zh-hans": "zh-Hans", "zh-cn": "zh-Hans", "zh-sg": "zh-Hans",
    "zh-hant": "zh-Hant", "zh-tw": "zh-Hant", "zh-hk": "zh-HK", "zh-mo": "zh-HK",
    "ja": "ja", "ko": "ko",
}

#: memoised shapes per face: enough for every run of a broadsheet page and its trials
LIMIT = 8192


class Shaped(Struct, frozen=True):
    """A shaped run: per glyph, its id, the index (into the run's text) of the first character
    of its cluster, its advance along the run and its offsets, in em."""

    gids: tuple[int, ...]
    clusters: tuple[int, ...]
    advances: tuple[float, ...]
    x_offsets: tuple[float, ...]
    y_offsets: tuple[float, ...]

    def char_advances(self, n: int) -> list[float]:
        """Per character of the ``n``-character text: the advance of the cluster it starts, 0
        for the other characters of a cluster (the second letter of a ligature)."""
        out = [0.0] * n
        for c, a in zip(self.clusters, self.advances):
            out[c] += a
        return out


def hb_language(lang: str) -> str:
    """The language tag HarfBuzz is given for a page's language code."""
    return LANGUAGES.get(lang.lower(), lang)


class Shaper:
    """One face (file, index in a collection) ready to shape; opened once per process."""

    def __init__(self, path: Path, index: int = 0):
        import uharfbuzz as hb  # (only a paragraph or a line not yet composed needs it)

        self._hb = hb
        blob = hb.Blob.from_file_path(str(path))
        self._face = hb.Face(blob, index)
        self._font = hb.Font(self._face)
        self.upem = float(self._face.upem)
        self._memo: OrderedDict = OrderedDict()

    def shape(self, text: str, *, script: str, language: str, direction: str = "ltr",
              features: tuple[tuple[str, bool], ...] = ()) -> Shaped:
        """The shaped ``text``. ``script`` is an ISO 15924 tag (``Hani``, ``Latn``), ``language``
        a BCP 47 tag, ``features`` (name, on) pairs besides the shaper's defaults."""
        key = (text, script, language, direction, features)
        hit = self._memo.get(key)
        if hit is not None:
            self._memo.move_to_end(key)
            return hit
        hb = self._hb
        buf = hb.Buffer()
        buf.add_str(text)
        buf.direction = direction
        buf.script = script
        buf.language = language
        buf.cluster_level = hb.BufferClusterLevel.MONOTONE_CHARACTERS
        hb.shape(self._font, buf, dict(features))
        infos, positions = buf.glyph_infos, buf.glyph_positions
        upem = self.upem
        # (each glyph's fields read once, in list comprehensions: reading HarfBuzz's glyph
        # objects was most of a short run's time; offsets are mostly all zero in CJK text)
        if direction in ("ttb", "btt"):
            advances = [-p.y_advance / upem for p in positions]
        else:
            advances = [p.x_advance / upem for p in positions]
        dx = [p.x_offset for p in positions]
        dy = [p.y_offset for p in positions]
        zeros = (0.0,) * len(dx)
        # clusters come in UTF-32 code points from add_str, i.e. Python string indices
        shaped = Shaped(
            gids=tuple([i.codepoint for i in infos]),
            clusters=tuple([i.cluster for i in infos]),
            advances=tuple(advances),
            x_offsets=tuple([v / upem for v in dx]) if any(dx) else zeros,
            y_offsets=tuple([-v / upem for v in dy]) if any(dy) else zeros,
        )
        self._memo[key] = shaped
        if len(self._memo) > LIMIT:
            self._memo.popitem(last=False)
        return shaped


_SHAPERS: dict[tuple[str, int], Shaper] = {}


def shaper(path: Path, index: int = 0) -> Shaper:
    """The process's shaper for a face (HarfBuzz maps the file; opening it again costs ~0.2 ms,
    but its memo is per object)."""
    key = (str(path), index)
    s = _SHAPERS.get(key)
    if s is None:
        s = _SHAPERS[key] = Shaper(Path(path), index)
    return s
