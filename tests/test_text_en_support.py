"""Shared helpers for the Latin-script composer tests: a fake proportional face and independent
line checks.

The checks restate the rules of the brief (line-start and line-end marks, pyphen's points and
the 2/3 minimums, word spaces as the only stretch), not the composer's own tables, so a bug in
``rules_en`` cannot hide behind itself.
"""

from __future__ import annotations

import re

import pyphen

from layout.text.api import SetLine

SIZE = 9.0
TOL = 0.05  # pt

#: the brief's prohibitions
NO_START = ",.;:!?)]}’”"
NO_END = "([{‘“"
HYPHENS = "-\u2010"
DASHES = "—–"
NBSP = "\u00a0\u202f\u2007"

# Times-like advance widths (em) for a fake face
_LOWER = dict(zip("abcdefghijklmnopqrstuvwxyz",
                  [0.44, 0.5, 0.44, 0.5, 0.44, 0.33, 0.5, 0.5, 0.28, 0.28, 0.5, 0.28, 0.78,
                   0.5, 0.5, 0.5, 0.5, 0.33, 0.39, 0.28, 0.5, 0.5, 0.72, 0.5, 0.5, 0.44]))
_UPPER = dict(zip("ABCDEFGHIJKLMNOPQRSTUVWXYZ",
                  [0.72, 0.67, 0.67, 0.72, 0.61, 0.56, 0.72, 0.72, 0.33, 0.39, 0.72, 0.61, 0.89,
                   0.72, 0.72, 0.56, 0.72, 0.67, 0.56, 0.61, 0.72, 0.72, 0.94, 0.72, 0.72, 0.61]))
_PUNCT = {
    ",": 0.25, ".": 0.25, ";": 0.28, ":": 0.28, "!": 0.33, "?": 0.44, "'": 0.18, '"': 0.41,
    "(": 0.33, ")": 0.33, "[": 0.33, "]": 0.33, "{": 0.48, "}": 0.48, "-": 0.33,
    "‘": 0.33, "’": 0.33, "“": 0.44, "”": 0.44, "—": 1.0, "–": 0.5, "…": 1.0, "£": 0.5,
    "$": 0.5, "%": 0.83, "&": 0.78, "/": 0.28, "€": 0.5, "·": 0.25, "\u2010": 0.33,
}


class FakeLatinMetrics:
    """Proportional widths from a small Times-like table; digits 0.5 em, a space 0.25 em, a
    no-break space the same, CJK characters 1 em, anything else 0.5 em."""

    def advance(self, ch: str) -> float:
        if len(ch) != 1:
            return sum(self.advance(c) for c in ch)
        for table in (_LOWER, _UPPER, _PUNCT):
            if ch in table:
                return table[ch]
        if ch.isdigit():
            return 0.5
        if ch in " \u00a0\t\n":
            return 0.25
        if ch == "\u202f":
            return 0.17
        if ord(ch) >= 0x2E80:
            return 1.0
        return 0.5

    def has(self, ch: str) -> bool:
        return True

    def advances(self, text: str, lang: str = "zh", ligatures: bool = True) -> list[float]:
        """Unshaped: each character its own advance (no kerning, no ligatures)."""
        return [self.advance(c) for c in text]


METRICS = FakeLatinMetrics()
HYPHENATOR = pyphen.Pyphen(lang="en_US")


def body(ln: SetLine) -> str:
    """A line's text without the hyphen the composer added."""
    if ln.added_hyphen:
        assert ln.text.endswith("-"), ln
        return ln.text[:-1]
    return ln.text


def breaks(text: str, lines: list[SetLine]) -> list[int]:
    """Input offsets where each line but the last ends; checks lines are consecutive slices
    of the input (hyphens added at breaks dropped) with only white space between them."""
    pos = 0
    ends = []
    for ln in lines:
        b = body(ln)
        assert b and not b[0].isspace() and not b[-1].isspace(), repr(ln.text)
        while pos < len(text) and text[pos].isspace():
            pos += 1
        assert text.startswith(b, pos), (text[pos:pos + 40], b)
        pos += len(b)
        ends.append(pos)
    assert text[pos:].strip() == ""
    assert [ln.last for ln in lines] == [False] * (len(lines) - 1) + [True]
    joined = "".join(body(ln) for ln in lines)
    assert re.sub(r"\s", "", joined) == re.sub(r"\s", "", text)
    return ends[:-1]


def is_cjk(ch: str) -> bool:
    return ord(ch) >= 0x2E80


def check_breaks(text: str, lines: list[SetLine], emergency_ok: bool = False,
                 hyphenator=HYPHENATOR) -> None:
    """Each break is at white space, at a pyphen point (hyphen added, within the 2/3
    minimums), after an explicit hyphen or dash, or next to a CJK character."""
    for ln, end in zip(lines, breaks(text, lines)):
        before, after = text[end - 1], text[end]
        if ln.added_hyphen:
            assert before.isalpha() and after.isalpha(), (ln.text, text[end:end + 10])
            s = end
            while s > 0 and text[s - 1].isalpha():
                s -= 1
            e = end
            while e < len(text) and text[e].isalpha():
                e += 1
            word = text[s:e]
            offset = end - s
            assert offset >= 2 and len(word) - offset >= 3, (word, offset)
            assert offset in hyphenator.positions(word), (word, offset)
            # never inside a word with digits or a capitals-only acronym
            ws, we = s, e
            while ws > 0 and not text[ws - 1].isspace() and text[ws - 1] not in HYPHENS + DASHES:
                ws -= 1
            while we < len(text) and not text[we].isspace() and text[we] not in HYPHENS + DASHES:
                we += 1
            component = text[ws:we]
            assert not any(c.isdigit() for c in component), component
            assert not word.isupper(), word
        elif after.isspace():
            pass
        elif before in HYPHENS + DASHES or is_cjk(before) or is_cjk(after):
            pass
        else:
            assert emergency_ok, ("break inside a word", ln.text, text[end:end + 10])


def check_prohibitions(lines: list[SetLine]) -> None:
    for prev, ln in zip(lines, lines[1:]):
        assert ln.text[0] not in NO_START, (prev.text, ln.text)
        assert prev.text[-1] not in NO_END, (prev.text, ln.text)


#: the default ParagraphStyle.letterspace (em): how far glyphs of a word may move either way
#: (0: never; a page may allow a little)
LETTERSPACE = 0.0


def check_geometry(lines: list[SetLine], metrics=METRICS, size: float = SIZE,
                   letterspace: float = LETTERSPACE) -> None:
    """Glyphs at their own advance, xs increasing, no two glyphs overlapping (letter-spacing
    may set them closer by at most ``letterspace`` em)."""
    from layout.text.api import ParagraphStyle
    from layout.text.audit import shaped_line_advances

    closer = letterspace * size
    style = ParagraphStyle(size=size, lang="en", letterspace=letterspace)
    for ln in lines:
        assert len(ln.xs) == len(ln.text) == len(ln.widths), ln
        prev = None
        natural = shaped_line_advances(ln, style, metrics)  # (kerned: a real face's own pairs)
        for ch, x, w, a in zip(ln.text, ln.xs, ln.widths, natural):
            if ch.isspace():
                assert w > 0, ln
                continue
            assert abs(w - a) < 1e-9, (ch, w, a)
            if prev is not None:
                assert x > prev[0], f"x does not increase at {ch!r} in {ln.text!r}"
                assert x >= prev[0] + prev[1] - closer - 1e-6, f"overlap at {ch!r} in {ln.text!r}"
            prev = (x, w)
        assert abs(ln.width - (ln.xs[-1] + ln.widths[-1])) < 1e-6


def check_spacing(lines: list[SetLine], metrics=METRICS, size: float = SIZE,
                  letterspace: float = LETTERSPACE) -> None:
    """Word spaces carry the justification: glyphs of a word are letter-spaced evenly by at most
    ``letterspace`` em either way, and only once word spaces are at their limit (shrunk to 2/3,
    or opened to 1.5 times), unless the line has no word space at all (then it is letter-spaced
    evenly, as much as needed); a word space never shrinks below 2/3 of the space advance."""
    space = metrics.advance(" ") * size
    floor = min(space, max(space * 2 / 3, 0.2 * size))  # (rules_en: 1/3 of shrink, never under 0.2 em)
    limit = letterspace * size
    for ln in lines:
        has_space = any(c in " \u00a0\t\n" for c in ln.text)
        gaps = []
        word_space = 0.0
        for i in range(len(ln.text) - 1):
            a, b = ln.text[i], ln.text[i + 1]
            if a.isspace():
                word_space += ln.widths[i]
                if not b.isspace():
                    if a not in "\u202f\u2009\u200a\u2007\u3000":
                        assert word_space >= floor - 1e-6, (ln.text, word_space)
                    word_space = 0.0
                continue
            if b.isspace():
                continue
            gap = ln.xs[i + 1] - (ln.xs[i] + ln.widths[i])
            if is_cjk(a) or is_cjk(b):
                continue  # Han–Latin spacing
            gaps.append(gap)
        if gaps:
            assert max(gaps) - min(gaps) < 1e-6, (ln.text, gaps)
        if has_space and gaps and abs(gaps[0]) > 1e-6:
            assert abs(gaps[0]) <= limit + 1e-6, (ln.text, gaps[0])
            spaces = _word_spaces(ln)
            if gaps[0] < 0:  # letters closer only once word spaces are at their floor
                assert all(w <= floor + 1e-6 for w in spaces), (ln.text, spaces)
            else:  # letters apart only once word spaces are at 1.5 times
                assert all(w >= space * 1.5 - 1e-6 for w in spaces), (ln.text, spaces)


def _word_spaces(ln: SetLine) -> list[float]:
    """Widths of the ordinary word spaces of a line (runs of spaces summed)."""
    out = []
    run = 0.0
    for c, w in zip(ln.text, ln.widths):
        if c in " \t\n":
            run += w
        elif run:
            out.append(run)
            run = 0.0
    return out


def check_justified(lines: list[SetLine], measure: float, letterspace: float = LETTERSPACE) -> None:
    """Every line but the last ends on the measure; a line with no word space to stretch stays
    flush left unless letters may be spaced (an emergency the audit counts), never beyond."""
    for ln in lines[:-1]:
        if sum(1 for c in ln.text if not c.isspace()) < 2:
            continue
        if letterspace == 0 and not any(c in " \u00a0\t\n" for c in ln.text):
            assert ln.width <= measure + TOL, (ln.text, ln.width, measure)
            continue
        assert abs(ln.width - measure) <= TOL, (ln.text, ln.width, measure)


def runt(lines: list[SetLine]) -> bool:
    """The last line is one word of at most four letters and digits (a paragraph of one line
    has no runt)."""
    if len(lines) < 2:
        return False
    words = lines[-1].text.split()
    return len(words) == 1 and sum(c.isalnum() for c in words[0]) <= 4


def test_fake_latin_metrics():
    m = FakeLatinMetrics()
    assert m.advance("m") == 0.78 and m.advance(" ") == 0.25 and m.advance("株") == 1.0
    assert m.advance("ab") == 0.94
