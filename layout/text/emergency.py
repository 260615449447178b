"""Lines set as an emergency, named one by one in the build report.

The composer keeps Latin word spaces between 0.2 and 0.5 em and never splits a word except at a
hyphenation point or after a URL's ``/ . - _ ? & =``. When a paragraph leaves it no better
choice (a narrow measure, a word wider than the line), it still sets the line and this module
says which line and why, so that the desk can rewrite or refit it instead of finding it on the
plate:

* ``loose``: a justified line whose widest word space is over :data:`LOOSE_SPACE` em;
* ``split``: a word broken between two letters or digits without a hyphen (wider than the
  measure).

Cheap enough to run on every paragraph of a warm build (it reads the set lines only: no font,
no composer).
"""

from __future__ import annotations

from typing import Iterable, NamedTuple

from .api import ParagraphStyle, SetLine

#: a word space wider than this (em) makes a justified Latin line loose (the audit's count too)
LOOSE_SPACE = 0.5


class Emergency(NamedTuple):
    line: int  # index of the line in the paragraph
    reason: str  # "loose" | "split"
    value: float  # loose: the widest word space (em); split: 0


def word_spaces(ln: SetLine) -> list[float]:
    """The widths (pt) of the word spaces of a line (a run of spaces is one)."""
    out: list[float] = []
    cur = 0.0
    for i, ch in enumerate(ln.text):
        if ch == " ":
            cur += ln.widths[i]
        elif cur:
            out.append(cur)
            cur = 0.0
    return out


def _latin_letter(ch: str) -> bool:
    return ch.isalnum() and ord(ch) < 0x2E80


def emergencies(text: str, lines: Iterable[SetLine], style: ParagraphStyle, latin: bool) -> list[Emergency]:
    """The emergency lines of the paragraph ``text`` set as ``lines`` (``latin``: its word
    spaces are judged)."""
    lines = list(lines)
    out: list[Emergency] = []
    em = style.size
    pos = 0  # where the line starts in ``text``
    for k, ln in enumerate(lines):
        body = ln.text[:-1] if ln.added_hyphen else ln.text
        found = text.find(body, pos) if body else -1
        end = found + len(body) if found >= 0 else -1
        if latin and not ln.last and style.align == "justify":
            spaces = word_spaces(ln)
            if spaces and max(spaces) > LOOSE_SPACE * em + 1e-6:
                out.append(Emergency(k, "loose", round(max(spaces) / em, 3)))
        if 0 < end < len(text) and not ln.added_hyphen and k + 1 < len(lines):
            # the break fell inside a word: no white space in the input between the lines
            if _latin_letter(text[end - 1]) and _latin_letter(text[end]):
                out.append(Emergency(k, "split", 0.0))
        if end >= 0:
            pos = end
    return out
