"""Property tests: random English text at random measures keeps every composer promise.

Text mixes common and long words, capitalised words and acronyms, numbers (with units, no-break
spaces, currency, ranges), hyphenated compounds, quotes, brackets, dashes, stray spaced marks
and a few CJK runs; measures run from 10 to 32 em at 9 pt with random indents, hyphenation on
or off and the runt rule on or off. For every paragraph:

* the lines concatenate to the input once the hyphens the composer added are dropped, and a
  line breaks only at white space, after an explicit hyphen or dash, next to a CJK character,
  or inside a word at one of pyphen's points at least 2 letters from its start and 3 from its
  end (never in a word with digits or an all-capitals acronym);
* every non-final line ends on the measure (0.05 pt) by word spaces alone (a line with no word
  space is letter-spaced evenly), no word space shrinks below 2/3 of its width, glyphs keep their
  advance, xs increase and nothing overlaps;
* when no run of text without a legal break is wider than the line (an independent,
  conservative estimate): no line starts with , . ; : ! ? ) ] } ’ ” or ends with ( [ { ‘ “,
  nothing is overfull, and no runt (one word of at most four letters on the last line) is
  left where moving the last word of the line above down would avoid it.
"""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from layout.text import compose_paragraph
from layout.text.api import ParagraphStyle

from test_text_en_support import (
    METRICS,
    NO_END,
    NO_START,
    SIZE,
    TOL,
    breaks,
    check_breaks,
    check_geometry,
    check_justified,
    check_prohibitions,
    check_spacing,
    runt,
)

COMMON = (
    "the of and to in is was for on that with as by at from it an be this have are which "
    "council said town river bridge would plans new work people school road local years after "
    "residents meeting market water station library street week public money homes police"
).split()
LONG = [
    "internationalisation", "counterproductive", "incomprehensibility", "telecommunications",
    "disproportionately", "responsibilities", "administration", "infrastructure",
    "characteristically", "establishment", "neighbourhood", "extraordinary", "Northamptonshire",
    "accommodation", "representatives", "environmental",
]
CAPITALISED = ["Millbrook", "Wendbury", "Tuesday", "November", "Penhallow", "Ashford"]
ACRONYMS = ["NATO", "UNESCO", "BBC", "NHS", "COVID", "INTERPOL"]
NUMBERS = ["12", "3.5", "1,400", "£5m", "£4.2m", "18%", "1960s", "78–74", "12\u00a0km",
           "2.4\u00a0m", "10\u202fkg", "12 km", "5 pm"]
COMPOUNDS = ["well-known", "long-term", "state-of-the-art", "three-hour", "e-mail", "COVID-19",
             "twelve-metre", "home-made", "knit-and-natter", "X-ray", "under-16s"]
CJK = ["株洲", "高新区", "株洲市高新区"]

word = st.one_of(
    st.sampled_from(COMMON), st.sampled_from(COMMON), st.sampled_from(COMMON),
    st.sampled_from(LONG), st.sampled_from(CAPITALISED), st.sampled_from(ACRONYMS),
    st.sampled_from(NUMBERS), st.sampled_from(COMPOUNDS),
)
suffix = st.sampled_from(["", "", "", "", ",", ".", ";", ":", "!", "?", "’s", ".”", ",”"])
wrap = st.sampled_from([("", ""), ("", ""), ("", ""), ("“", "”"), ("‘", "’"), ("(", ")"),
                        ("[", "]")])
token = st.one_of(
    st.builds(lambda w, s: w + s, word, suffix),
    st.builds(lambda w, p: p[0] + w + p[1], word, wrap),
    st.builds(lambda a, b: a + "—" + b, word, word),
    st.sampled_from(["—", "(", ")", ",", "“", "”", '"', "…"]),  # stray spaced marks
    st.sampled_from(CJK),
)
separator = st.sampled_from([" ", " ", " ", " ", " ", "  ", "\u00a0"])


@st.composite
def paragraphs(draw):
    tokens = draw(st.lists(token, min_size=1, max_size=45))
    seps = draw(st.lists(separator, min_size=len(tokens), max_size=len(tokens)))
    text = "".join(t + s for t, s in zip(tokens, seps)).strip(" \u00a0")
    return draw(st.sampled_from(["", " "])) + text if text else "x"


styles = st.builds(
    lambda indent, hyphenate, avoid, letterspace: ParagraphStyle(
        size=SIZE, lang="en", indent=indent, hyphenate=hyphenate, avoid_orphan=avoid,
        letterspace=letterspace),
    st.sampled_from([0.0, 1.0, 2.0]),
    st.sampled_from([True, True, False]),
    st.sampled_from([True, True, False]),
    st.sampled_from([0.03, 0.03, 0.0, 0.05]),
)
measures = st.floats(10.0, 32.0)

# --- an independent, conservative estimate of the widest run with no legal break -------------

_NEVER_START = NO_START + "—–…%‰"
_NEVER_END = NO_END + "£$€¥#"


def width(s: str) -> float:
    return sum(METRICS.advance(c) for c in s)


def surely_breakable(a: str, b: str, white: str) -> bool:
    """A break at the white space between tokens a and b is certainly legal (it may be legal in
    more cases: this errs towards 'no')."""
    if any(c in white for c in "\u00a0\u202f\u2007"):
        return False
    if a[-1] in _NEVER_END or b[0] in _NEVER_START:
        return False
    if not any(c.isalnum() for c in a) or not any(c.isalnum() for c in b):
        return False  # a stray mark binds to its neighbours
    if any(c.isdigit() for c in a) or (a[0].isupper() and len(a) <= 5):
        return False  # a number and its unit, a title and a name
    return True


def widest_unbreakable(text: str) -> float:
    """Natural width (em) of the widest run of text with no certainly legal break, ignoring
    hyphenation and breaks after hyphens and dashes (so an upper bound)."""
    import re

    spans = [(m.start(), m.end()) for m in re.finditer(r"\S+", text)]
    widest = run = 0.0
    for k, (s, e) in enumerate(spans):
        run += width(text[s:e])
        if k + 1 < len(spans):
            ns, ne = spans[k + 1]
            if surely_breakable(text[s:e], text[ns:ne], text[e:ns]):
                widest = max(widest, run)
                run = 0.0
            else:
                run += 0.25
    return max(widest, run)


def check_runt_avoided(text: str, lines, measure: float, style: ParagraphStyle) -> None:
    """A runt is acceptable only if the last word of the line above cannot come down: checked
    for the one plainly possible way (a certainly legal word space inside the line above
    leaving a new last line inside the measure, and the line above a word space to justify
    by: a justified line of one word cannot be filled and is worse than a runt, as is a line
    whose word spaces would open past 0.75 em)."""
    if not style.avoid_orphan or not runt(lines) or len(lines) < 2:
        return
    ends = breaks(text, lines)
    above_end = ends[-1]
    above_start = ends[-2] if len(ends) > 1 else 0
    while text[above_start].isspace():
        above_start += 1
    import re

    spans = [(m.start(), m.end()) for m in re.finditer(r"\S+", text[above_start:above_end])]
    for k in range(1, len(spans)):
        ps, pe = spans[k - 1]
        ns, ne = spans[k]
        a = text[above_start + ps:above_start + pe]
        b = text[above_start + ns:above_start + ne]
        if not surely_breakable(a, b, text[above_start + pe:above_start + ns]):
            continue
        if not b[0].isalpha() or not a[-1].isalpha():
            continue
        if k < 2:  # the line above would keep one word and no space to justify by: worse
            continue
        tail = " ".join(text[above_start + ns:].split())
        # the line above keeps its first k words: it must still fill the measure with word
        # spaces of at most 0.75 em (a looser line is a worse fault than a runt)
        head = text[above_start:above_start + pe].split()
        head_w = sum(width(w) for w in head) * SIZE + (len(head) - 1) * 0.75 * SIZE
        if head_w < measure - (SIZE if above_start == 0 else 0.0):
            continue
        if width(tail) * SIZE <= measure - TOL and len(tail.split()) > 1:
            raise AssertionError(f"avoidable runt: {[ln.text for ln in lines[-3:]]}")


def check_not_hyphenated(text: str, lines) -> None:
    """No hyphen added inside a capitalised word, a weekday or month, or a word after a number."""
    import re

    for end, ln in zip(breaks(text, lines), lines):
        if not ln.added_hyphen:
            continue
        s = end
        while s > 0 and not text[s - 1].isspace():
            s -= 1
        token = text[s:end]
        comp = re.split("[-\u2010—–]", token)[-1]  # the component broken
        letters = re.sub(r"[^\w]", "", comp)
        assert letters and not letters[0].isupper(), token
        assert letters.lower() not in {"tuesday", "november"}, token
        before = text[:s].rstrip()
        assert not (before and before[-1].isdigit() and text[s - 1].isspace()), token


def check_no_ladder(lines) -> None:
    """At most two hyphenated lines in a row."""
    run = 0
    for ln in lines:
        run = run + 1 if ln.added_hyphen else 0
        assert run <= 2, [x.text for x in lines]


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=paragraphs(), measure_em=measures, style=styles)
def test_english_composer_properties(text, measure_em, style):
    check_paragraph(text, measure_em, style)


def check_paragraph(text: str, measure_em: float, style: ParagraphStyle) -> None:
    measure = measure_em * SIZE
    lines = compose_paragraph(text, measure, style, METRICS)
    if not text.strip():
        assert lines == []
        return
    fits = widest_unbreakable(text) + 0.4 <= measure_em - style.indent
    check_breaks(text, lines, emergency_ok=not fits)
    check_geometry(lines, letterspace=style.letterspace)
    check_justified(lines, measure)
    check_spacing(lines, letterspace=style.letterspace)
    assert abs(lines[0].xs[0] - style.indent * SIZE) < 1e-6  # the indent is leading space
    if not style.hyphenate:
        assert not any(ln.added_hyphen for ln in lines)
    check_not_hyphenated(text, lines)
    if fits:
        check_prohibitions(lines)
        check_no_ladder(lines)
        for ln in lines:
            assert ln.width <= measure + TOL, (ln.text, ln.width, measure)
        check_runt_avoided(text, lines, measure, style)


@settings(max_examples=150, deadline=None)
@given(
    words=st.lists(st.sampled_from(COMMON + LONG), min_size=3, max_size=60),
    measure_em=st.integers(10, 30),
)
def test_plain_prose_never_overfull_nor_prohibited(words, measure_em):
    text = " ".join(words) + "."
    style = ParagraphStyle(size=SIZE, lang="en", indent=1.0)
    lines = compose_paragraph(text, measure_em * SIZE, style, METRICS)
    fits = max(width(w) for w in words) + 0.4 <= measure_em - 1.0
    check_breaks(text, lines, emergency_ok=not fits)
    check_justified(lines, measure_em * SIZE)
    check_spacing(lines)
    if fits:
        check_runt_avoided(text, lines, measure_em * SIZE, style)
