"""A script-free quality check of composed lines, for PDF-level tests and the build report.

:func:`layout.text.paragraphs.audit_lines` (memoised; this module counts on a miss) counts, over the lines of one or more paragraphs (a paragraph ends at a line
with ``last`` set): breaks that start or end a line with a prohibited mark at the style's level,
—— / …… pairs split across lines, justified non-final lines that miss the measure, lines
overfull past the measure, orphan (孤字) last lines, visible ink overlaps, and ASCII punctuation
still standing in Chinese text (what :func:`~layout.text.normalize.normalize` would change).

For a Latin-script paragraph (``style.lang`` not Chinese) the same keys count by that
language's rules (:mod:`layout.text.rules_en`): prohibited starts and ends by its tables, a
*runt* (one word of at most four letters on the last line) as an orphan, no split pairs and no
ASCII marks; two more keys count ``hyphens`` (lines ending in an added hyphen) and
``hyphen_ladders`` (hyphenated lines following two hyphenated lines).
"""

from __future__ import annotations

from typing import Iterable

from . import rules_zh as R
from .api import Metrics, ParagraphStyle, SetLine
from .languages import conventions, is_chinese, latin_rules
from .ink import overlaps

#: a glyph's box may reach this much (em) into the next one's before the audit counts an overlap
OVERLAP_TOLERANCE = 0.01
from .normalize import normalize
from .emergency import LOOSE_SPACE, SLACK_LIMIT, widest_opening, word_spaces

TOLERANCE = 0.05  # pt


def audit_uncached(
    lines: Iterable[SetLine],
    measure: float,
    style: ParagraphStyle,
    metrics: Metrics | None = None,
) -> dict:
    """Count typographic faults in ``lines`` (see the module docstring).

    Without ``metrics`` a character's full advance is taken as its set width, except full-width
    marks (classes open/close/stop/stop2/dot), taken as one em of ``style.size``.
    """
    lines = list(lines)
    if not is_chinese(style.lang):
        return _audit_latin(lines, measure, style, metrics)
    level = style.prohibition
    counts = dict(
        lines=len(lines),
        paragraphs=0,
        prohibited_start=0,
        prohibited_end=0,
        split_pairs=0,
        ragged=0,
        overfull=0,
        orphans=0,
        overlaps=0,
        ascii_punct=0,
        letterspaced=0,
        slack=0,
        hyphens=0,
    )
    paragraphs = _paragraphs(lines)
    counts["paragraphs"] = len(paragraphs)
    quotes = conventions(style.lang).quotes

    for para in paragraphs:
        for k, ln in enumerate(para):
            t = ln.text.strip()
            if not t:
                continue
            final = k == len(para) - 1
            if k > 0 and level != "none":
                if R.no_start(t[0], level) or (R.char_class(t[0]) == "latin" and t[0] in R.LATIN_NO_START):
                    counts["prohibited_start"] += 1
            if not final:
                nxt = para[k + 1].text.strip()
                if level != "none" and (R.no_end(t[-1], level) or t[-1] in R.LATIN_NO_END):
                    counts["prohibited_end"] += 1
                if nxt and t[-1] == nxt[0] and t[-1] in R.DASH + R.ELLIPSIS:
                    if _run_len(t, from_end=True) % 2 == 1:
                        counts["split_pairs"] += 1
                if style.align == "justify" and abs(ln.width - ln.hang - measure) > TOLERANCE:
                    counts["ragged"] += 1
            if ln.width - ln.hang > measure + TOLERANCE:
                counts["overfull"] += 1
            advances = _advances(ln, style, metrics)
            # (a glyph box overlapping the next by a hundredth of an em or less - digits of an
            # address 0.07 pt closer at 9 pt than shaped alone - is no ink anyone can see)
            counts["overlaps"] += overlaps(ln.text, ln.xs, advances, tol=OVERLAP_TOLERANCE * style.size)
            if ln.added_hyphen:
                counts["hyphens"] += 1
            # Latin letters inside a Chinese line are never spaced apart
            if metrics is not None and _letter_gaps(ln, advances) > (LETTERSPACED + style.tracking) * style.size:
                counts["letterspaced"] += 1
            if not final and style.align == "justify" and widest_opening(ln) > SLACK_LIMIT * style.size + 1e-6:
                counts["slack"] += 1
        if len(para) > 1:
            tail = para[-1].text
            chars = _count_chars(tail)
            if chars <= 1:
                counts["orphans"] += 1
        joined = "".join(ln.text for ln in para)
        counts["ascii_punct"] += sum(1 for c in normalize(joined, quotes).changes
                                     if c.kind not in ("space", "quote-style"))
    return counts


def _run_len(t: str, from_end: bool) -> int:
    s = t[::-1] if from_end else t
    n = 1
    while n < len(s) and s[n] == s[0]:
        n += 1
    return n


def shaped_line_advances(ln: SetLine, style: ParagraphStyle, metrics: Metrics) -> list[float]:
    """Each character's natural advance (pt) as its glyph is drawn: shaped in the line's units
    (kerning, ligatures: a ligature's advance on its first character; a line whose letters may
    be spaced is drawn without ligatures)."""
    out: list[float] = []
    cuts = sorted({0, len(ln.text), *(u for u in ln.units if 0 < u < len(ln.text))})
    size = style.size
    for a, b in zip(cuts, cuts[1:]):
        seg = ln.text[a:b]
        out.extend(adv * size * (1.0 if ch.isspace() else ln.scale)
                   for ch, adv in zip(seg, metrics.advances(seg, style.lang, ligatures=not ln.spaced)))
    return out


def _advances(ln: SetLine, style: ParagraphStyle, metrics: Metrics | None) -> list[float]:
    if metrics is not None:
        return shaped_line_advances(ln, style, metrics)
    return [style.size if R.char_class(ch) in R.INK_FRACTION else w for ch, w in zip(ln.text, ln.widths)]


def _count_chars(text: str) -> int:
    """Characters for the 孤字 rule: Han characters, and the letters and digits of Latin words
    and numbers (a one-letter word is a lone character, "50" or "cn" is not), not marks."""
    n = 0
    for ch in text:
        cls = R.char_class(ch)
        if cls == "han" or (cls == "latin" and ch.isalnum()):
            n += 1
    return n


def _paragraphs(lines: list[SetLine]) -> list[list[SetLine]]:
    paragraphs: list[list[SetLine]] = []
    cur: list[SetLine] = []
    for ln in lines:
        cur.append(ln)
        if ln.last:
            paragraphs.append(cur)
            cur = []
    if cur:
        paragraphs.append(cur)
    return paragraphs


#: word spaces outside these bounds (em) make a line loose or tight (TeX's standard for a justified
#: column; the report names every such line: layout.text.emergency)
TIGHT_SPACE = 0.2
#: a gap between two letters of a word wider than this (em) is letter-spacing
LETTERSPACED = 0.005


def _letter_gaps(ln: SetLine, advances: list[float]) -> float:
    """The widest gap (pt) between two Latin letters of one word beyond their drawn advances."""
    widest = 0.0
    for i in range(len(ln.text) - 1):
        a, b = ln.text[i], ln.text[i + 1]
        if a.isalnum() and b.isalnum() and a < "\u2e80" and b < "\u2e80" and advances[i] > 0:
            widest = max(widest, ln.xs[i + 1] - ln.xs[i] - advances[i])
    return widest


def _audit_latin(lines: list[SetLine], measure: float, style: ParagraphStyle,
                 metrics: Metrics | None) -> dict:
    from .latin import RUNT_LETTERS

    rules = latin_rules(style.lang)
    check = style.prohibition != "none"
    counts = dict(lines=len(lines), paragraphs=0, prohibited_start=0, prohibited_end=0,
                  split_pairs=0, ragged=0, overfull=0, orphans=0, overlaps=0, ascii_punct=0,
                  hyphens=0, hyphen_ladders=0, loose=0, tight=0, letterspaced=0)
    paragraphs = _paragraphs(lines)
    counts["paragraphs"] = len(paragraphs)
    em = style.size
    # letters may stand closer than their advances by the justification's letter-spacing and by
    # negative tracking (copyfit tightens Latin text by up to 0.01 em): neither is a fault
    closer = (max(style.letterspace, 0.0) + max(-style.tracking, 0.0)) * style.size
    for para in paragraphs:
        run = 0
        for k, ln in enumerate(para):
            t = ln.text.strip()
            if not t:
                continue
            final = k == len(para) - 1
            if check and k > 0 and t[0] in rules.no_start:
                counts["prohibited_start"] += 1
            if not final:
                if check and t[-1] in rules.no_end:
                    counts["prohibited_end"] += 1
                if style.align == "justify" and abs(ln.width - ln.hang - measure) > TOLERANCE:
                    counts["ragged"] += 1
            if ln.added_hyphen:
                counts["hyphens"] += 1
                run += 1
                if run > 2:
                    counts["hyphen_ladders"] += 1
            else:
                run = 0
            if ln.width - ln.hang > measure + TOLERANCE:
                counts["overfull"] += 1
            if not final and style.align == "justify":
                spaces = word_spaces(ln)
                if spaces and max(spaces) > LOOSE_SPACE * em + 1e-6:
                    counts["loose"] += 1
                if spaces and min(spaces) < TIGHT_SPACE * em - 1e-6:
                    counts["tight"] += 1
            advances = ln.widths if metrics is None else shaped_line_advances(ln, style, metrics)
            # (tracking is the paragraph's letter spacing, chosen by the editor or copyfit)
            if metrics is not None and _letter_gaps(ln, advances) > (LETTERSPACED + style.tracking) * em:
                counts["letterspaced"] += 1
            # letters set closer by letter-spacing or negative tracking are not faults
            counts["overlaps"] += overlaps(ln.text, ln.xs, advances, tol=closer + 1e-6)
        if len(para) > 1:
            words = para[-1].text.split()
            if len(words) == 1 and sum(c.isalnum() for c in words[0]) <= RUNT_LETTERS:
                counts["orphans"] += 1
    return counts
