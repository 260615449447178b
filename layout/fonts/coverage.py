"""Which characters of a text a face cannot show.

ReportLab drops a character its font lacks without a word, so a name such as 堃 or 镕 in a
display face that only covers GB 2312 would silently vanish from the page. The build checks
every run of text against its face and reports what is missing and where.

Not checked, because no glyph is drawn for them: whitespace (spaces, line and paragraph breaks:
the composer sets space as distance, not as a glyph), control characters (Cc), format
characters (Cf: zero-width space/joiners, soft hyphen, BOM, bidi marks) and variation
selectors (they select a glyph of the character before; the base character is what is checked).
"""

from __future__ import annotations

import unicodedata
from typing import Protocol


class _HasChars(Protocol):
    def has(self, ch: str) -> bool: ...


def needs_glyph(ch: str) -> bool:
    """Whether ``ch`` is drawn as a glyph (and must therefore be in the face)."""
    if ch.isspace():
        return False
    cp = ord(ch)
    if 0xFE00 <= cp <= 0xFE0F or 0xE0100 <= cp <= 0xE01EF:  # variation selectors
        return False
    return unicodedata.category(ch) not in ("Cc", "Cf")


def missing(face: _HasChars, text: str) -> list[str]:
    """The distinct characters of ``text`` that ``face`` lacks, in order of first appearance.

    ``face`` is a :class:`~layout.fonts.face.Face` or anything with ``has(ch)`` (a metrics
    object)."""
    seen: set[str] = set()
    out: list[str] = []
    for ch in text:
        if ch in seen:
            continue
        seen.add(ch)
        if needs_glyph(ch) and not face.has(ch):
            out.append(ch)
    return out


def missing_positions(face: _HasChars, text: str) -> list[tuple[int, str]]:
    """Every ``(offset, character)`` of ``text`` that ``face`` lacks, so a report can point
    at each occurrence."""
    verdict: dict[str, bool] = {}
    out: list[tuple[int, str]] = []
    for i, ch in enumerate(text):
        bad = verdict.get(ch)
        if bad is None:
            bad = verdict[ch] = needs_glyph(ch) and not face.has(ch)
        if bad:
            out.append((i, ch))
    return out
