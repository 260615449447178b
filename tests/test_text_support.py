"""Shared helpers for the text-composer tests: a fake face and independent line checks.

The checks here restate the rules from the typography card (not from the composer's own tables
where it matters: ink halves, extraction), so a composer bug cannot hide behind its own data.
"""

from __future__ import annotations

from layout.text import rules_zh as R

import re

from layout.text.api import SetLine

SIZE = 9.0
TOL = 0.05  # pt

# GB style: where the ink of a full-width mark lies in its em box (typography.md)
LEFT_HALF_INK = "、，。．；：！？”’」』）］｝〕〗】》〉"
RIGHT_HALF_INK = "“‘「『（［｛〔〖【《〈"
CENTRED_INK = "·"
PUNCT_NOT_CHARS = LEFT_HALF_INK + RIGHT_HALF_INK + CENTRED_INK + "—…／～–"


def is_han(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff"


def is_latin(ch: str) -> bool:
    return ord(ch) < 0x2000 and not ch.isspace() and ch not in CENTRED_INK


class FakeMetrics:
    """Han and CJK marks 1 em; Latin proportional (capitals 0.65, lower case 0.5, digits 0.55,
    ASCII punctuation 0.3); a space 0.25 em."""

    def advance(self, ch: str) -> float:
        if len(ch) != 1:
            return sum(self.advance(c) for c in ch)
        if ch.isspace() and ch != "\u3000":
            return 0.25
        if ord(ch) < 0x2000 and ch not in CENTRED_INK:
            if ch.isupper():
                return 0.65
            if ch.isdigit():
                return 0.55
            if ch.isalpha():
                return 0.5
            return 0.3
        return 1.0

    def has(self, ch: str) -> bool:
        return True

    def advances(self, text: str, lang: str = "zh", ligatures: bool = True) -> list[float]:
        """Unshaped: each character its own advance (no kerning, no ligatures)."""
        return [self.advance(c) for c in text]


METRICS = FakeMetrics()


def ink(ch: str, x: float, size: float = SIZE, metrics=METRICS):
    """Ink extent of ``ch`` drawn with its full box at ``x`` (None for white space)."""
    if ch.isspace():
        return None
    adv = metrics.advance(ch) * size
    if ch in LEFT_HALF_INK:
        return (x, x + adv / 2)
    if ch in RIGHT_HALF_INK:
        return (x + adv / 2, x + adv)
    if ch in CENTRED_INK:
        return (x + adv / 4, x + 3 * adv / 4)
    return (x, x + adv)


def check_geometry(lines: list[SetLine], size: float = SIZE) -> None:
    """xs never decrease, ink never overlaps and ink starts strictly increase on each line."""
    for ln in lines:
        assert len(ln.xs) == len(ln.text) == len(ln.widths), ln
        for a, b in zip(ln.xs, ln.xs[1:]):
            assert b >= a - 1e-6, f"xs decrease in {ln.text!r}: {ln.xs}"
        prev = None
        for ch, x in zip(ln.text, ln.xs):
            span = ink(ch, x, size)
            if span is None:
                continue
            if prev is not None:
                assert span[0] >= prev[1] - 1e-6, f"ink overlap at {ch!r} in {ln.text!r}"
                assert span[0] > prev[0], f"ink does not advance at {ch!r} in {ln.text!r}"
            prev = span
        for w in ln.widths:
            assert w >= -1e-9


def check_extraction(text: str, lines: list[SetLine]) -> None:
    """Lines are consecutive slices of the input (but the hyphen added to a Latin word broken at a
    hyphenation point); only white space between them is dropped."""
    pos = 0
    bodies = []
    for ln in lines:
        assert ln.text and not ln.text[0].isspace() and not ln.text[-1].isspace(), ln.text
        body = ln.text[:-1] if ln.added_hyphen else ln.text
        if ln.added_hyphen:
            assert ln.text[-1] == "-" and body[-1].isalpha() and text[pos:].lstrip()[len(body)].isalpha(), ln.text
        while pos < len(text) and text[pos].isspace():
            pos += 1
        assert text.startswith(body, pos), (text[pos:], ln.text)
        pos += len(body)
        bodies.append(body)
    assert text[pos:].strip() == ""
    assert re.sub(r"\s", "", "".join(bodies)) == re.sub(r"\s", "", text)
    if lines:
        assert [ln.last for ln in lines] == [False] * (len(lines) - 1) + [True]


def glyph_count(ln: SetLine) -> int:
    return sum(1 for c in ln.text if not c.isspace())


def check_justified(lines: list[SetLine], measure: float) -> None:
    """Every line but the last ends exactly on the measure (hanging marks aside)."""
    for ln in lines[:-1]:
        if glyph_count(ln) < 2 or ln.text in ("——", "……"):
            continue  # a lone glyph or a lone unbreakable pair cannot be justified
        if all(R.char_class(c) == "latin" for c in ln.text):
            continue  # Latin alone, nothing to justify by: flush left, never letter-spaced
        assert abs(ln.width - ln.hang - measure) <= TOL, (ln.text, ln.width, measure)


def compose_checked(text: str, measure_em: float, **style) -> list[SetLine]:
    """Set ``text`` at ``measure_em`` em of SIZE with the fake metrics, checking that the lines
    give the text back, that glyphs do not overlap, and that justified lines fill the measure."""
    from layout.text import compose_paragraph
    from layout.text.api import ParagraphStyle

    st = ParagraphStyle(size=SIZE, **style)
    lines = compose_paragraph(text, measure_em * SIZE, st, METRICS)
    check_extraction(text, lines)
    check_geometry(lines)
    if st.align == "justify":
        check_justified(lines, measure_em * SIZE)
    return lines


def chars_on(text: str) -> int:
    """Characters for the 孤字 rule: Han characters and the letters and digits of Latin words and
    numbers (a lone "A" is one character, "50" two); marks don't count."""
    n = 0
    for ch in text:
        if is_latin(ch):
            n += 1 if ch.isalnum() else 0
            continue
        if ch not in PUNCT_NOT_CHARS and not ch.isspace():
            n += 1
    return n


def is_orphan(lines: list[SetLine]) -> bool:
    return len(lines) > 1 and chars_on(lines[-1].text) <= 1


def test_fake_metrics():
    m = FakeMetrics()
    assert m.advance("字") == 1.0 and m.advance("，") == 1.0 and m.advance("a") == 0.5
