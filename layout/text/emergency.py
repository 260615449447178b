"""Lines set as an emergency, named one by one in the build report.

The composer keeps Latin word spaces between 0.2 and 0.5 em and never splits a word except at a
hyphenation point or after a URL's ``/ . - _ ? & =``. When a paragraph leaves it no better
choice (a narrow measure, a word wider than the line), it still sets the line and this module
says which line and why, so that the desk can rewrite or refit it instead of finding it on the
plate:

* ``loose``: a justified line whose widest word space is over :data:`LOOSE_SPACE` em;
* ``split``: a word broken between two letters or digits without a hyphen (wider than the
  measure, or a piece of an address in a narrow column);
* ``unfilled``: a justified line that could not be filled and is set flush left: Latin alone
  (one word or a piece of an address) with nothing to justify by - letters never open;
* ``slack``: a justified Chinese line whose gaps (between two Han characters, or after a
  separator of an address) open wider than :data:`SLACK_LIMIT` em - the stated limit of
  justification by spacing: a line that needs more could not be filled by better breaking
  (a long number with its unit, an address in a narrow column).

Cheap enough to run on every paragraph of a warm build (it reads the set lines only: no font,
no composer).
"""

from __future__ import annotations

from typing import Iterable, NamedTuple

from . import rules_zh as _R
from .api import ParagraphStyle, SetLine

#: a word space wider than this (em) makes a justified Latin line loose (the audit's count too)
LOOSE_SPACE = 0.5
#: a gap of a justified Chinese line opened wider than this (em) makes it slack (the audit's
#: count too): a quarter em, where the spacing starts to read as a pause
SLACK_LIMIT = 0.25


#: a justified line this much (pt) short of the measure is unfilled
UNFILLED_TOLERANCE = 0.05


class Emergency(NamedTuple):
    line: int  # index of the line in the paragraph
    reason: str  # "loose" | "split" | "unfilled" | "slack"
    value: float  # loose, slack: the widest space or gap (em); unfilled: the shortfall (em)


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


def _in_word(ch: str) -> bool:
    """A character of a Latin word (letters, digits, ASCII marks; not curly quotes or dashes,
    which Chinese text uses as its own marks)."""
    return not ch.isspace() and _R.char_class(ch) == "latin"


#: characters looked at either side of a break to find its word (a web address is rarely longer)
WORD_REACH = 256


def _word_break(text: str, at: int, style: ParagraphStyle) -> bool:
    """Is ``at`` a place the Latin word around it may break (not a last resort)?"""
    from .wordbreaks import word_breaks

    # (a "word" longer than WORD_REACH either way is no word of a dictionary: judged within
    # that reach, so a 100,000-letter run of copy is not walked again for each of its lines)
    s = at
    while s > 0 and at - s < WORD_REACH and _in_word(text[s - 1]):
        s -= 1
    e = at
    while e < len(text) and e - at < WORD_REACH and _in_word(text[e]):
        e += 1
    lang = style.lang if not style.lang.startswith("zh") else "en"
    if any(off == at - s and kind != "letter" for off, kind in word_breaks(text[s:e], lang, style.hyphenate)):
        return True
    if not style.lang.startswith("zh"):
        # the Latin composer's own points: its language's dictionary, within a word's pieces
        from .languages import latin_rules

        rules = latin_rules(style.lang)
        m_start = at
        while m_start > s and text[m_start - 1].isalpha():
            m_start -= 1
        m_end = at
        while m_end < e and text[m_end].isalpha():
            m_end += 1
        return (at - m_start) in rules.hyphenation_points(text[m_start:m_end])
    return False


def _han(ch: str) -> bool:
    o = ord(ch)
    return 0x4E00 <= o <= 0x9FFF or 0x3400 <= o <= 0x4DBF or 0x20000 <= o <= 0x3FFFF or 0xF900 <= o <= 0xFAFF


def widest_opening(ln: SetLine) -> float:
    """The widest gap (pt) a justified Chinese line opened: between two Han characters, or
    after a separator of an address (between two Latin characters set with nothing between).
    Remembered per line object (the audit and the emergency check both ask; a rebuild asks again
    of the lines the paragraph memo hands out)."""
    hit = _WIDEST.get(id(ln))
    if hit is not None and hit[0] is ln:
        return hit[1]
    widest = _widest_opening(ln)
    if len(_WIDEST) >= 16384:
        _WIDEST.clear()
    _WIDEST[id(ln)] = (ln, widest)  # (the line is held, so its id stays its own)
    return widest


_WIDEST: dict[int, tuple] = {}


def _widest_opening(ln: SetLine) -> float:
    widest = 0.0
    t, xs, widths = ln.text, ln.xs, ln.widths
    for i in range(len(t) - 1):
        a, b = t[i], t[i + 1]
        if (_han(a) and _han(b)) or (a.isascii() and b.isascii() and not a.isspace() and not b.isspace()):
            gap = xs[i + 1] - xs[i] - widths[i]
            if gap > widest:
                widest = gap
    return widest


def emergencies(text: str, lines: Iterable[SetLine], style: ParagraphStyle, latin: bool,
                measure: float) -> list[Emergency]:
    """The emergency lines of the paragraph ``text`` set as ``lines`` at ``measure`` pt
    (``latin``: its word spaces are judged). Remembered for lines the paragraph memo handed
    out (the same line objects: a rebuild after an edit judges every unchanged paragraph again)."""
    lines = list(lines)
    key = (text, style, latin, measure, tuple(map(id, lines)))
    hit = _JUDGED.get(key)
    if hit is not None:
        return list(hit[1])
    out = _emergencies(text, lines, style, latin, measure)
    if len(_JUDGED) >= 4096:
        _JUDGED.pop(next(iter(_JUDGED)))
    _JUDGED[key] = (lines, tuple(out))  # (the lines held: their ids stay theirs)
    return out


#: (text, style, latin, measure, ids of the lines) -> (the lines, their emergencies)
_JUDGED: dict[tuple, tuple] = {}


def _emergencies(text: str, lines: list, style: ParagraphStyle, latin: bool, measure: float) -> list[Emergency]:
    out: list[Emergency] = []
    em = style.size
    pos = 0  # where the line starts in ``text``
    for k, ln in enumerate(lines):
        body = ln.text[:-1] if ln.added_hyphen else ln.text
        found = text.find(body, pos) if body else -1
        end = found + len(body) if found >= 0 else -1
        if not ln.last and style.align == "justify" and ln.width - ln.hang < measure - UNFILLED_TOLERANCE:
            out.append(Emergency(k, "unfilled", round((measure - ln.width + ln.hang) / em, 3)))
        elif latin and not ln.last and style.align == "justify":
            spaces = word_spaces(ln)
            if spaces and max(spaces) > LOOSE_SPACE * em + 1e-6:
                out.append(Emergency(k, "loose", round(max(spaces) / em, 3)))
        elif not latin and not ln.last and style.align == "justify":
            widest = widest_opening(ln)
            if widest > SLACK_LIMIT * em + 1e-6:
                out.append(Emergency(k, "slack", round(widest / em, 3)))
        if 0 < end < len(text) and k + 1 < len(lines):
            # the break fell inside a Latin word (no white space in the input between the
            # lines) at no place the word may break (wordbreaks): a hyphen added where the
            # dictionary has no point is an emergency too
            if _in_word(text[end - 1]) and _in_word(text[end]) and not _word_break(text, end, style):
                out.append(Emergency(k, "split", 0.0))
        if end >= 0:
            pos = end
    return out
