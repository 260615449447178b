"""The Latin-script composer (``ParagraphStyle.lang = "en"``): hyphenation, explicit hyphens and
dashes, punctuation at line edges, no-break spaces, runts, justification by word spaces only,
letter-spacing of a line with no space, CJK runs in English text, other languages, the audit,
the breaker's flagged breaks, a real font and speed."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from layout.text import audit_lines, compose_paragraph
from layout.text.api import ParagraphStyle
from layout.text.breaker import Problem, break_lines

from test_text_en_support import (
    HYPHENATOR,
    METRICS,
    SIZE,
    TOL,
    body,
    breaks,
    check_breaks,
    check_geometry,
    check_justified,
    check_prohibitions,
    check_spacing,
    runt,
)

E = SIZE
NOTO_SERIF = Path("/usr/share/fonts/truetype/noto/NotoSerif-Regular.ttf")


def compose(text, measure_em, metrics=METRICS, emergency_ok=False, hyphenator=HYPHENATOR, **kw):
    kw.setdefault("lang", "en")
    kw.setdefault("indent", 0.0)
    kw.setdefault("expansion", 0.0)  # (these tests check exact advances; tests/test_text_expansion.py the rest)
    style = ParagraphStyle(size=SIZE, **kw)
    lines = compose_paragraph(text, measure_em * E, style, metrics)
    check_breaks(text, lines, emergency_ok, hyphenator)
    check_geometry(lines, metrics, letterspace=style.letterspace)
    if style.align == "justify":
        check_justified(lines, measure_em * E, style.letterspace)
        check_spacing(lines, metrics, letterspace=style.letterspace)
    return lines


def texts(lines):
    return [ln.text for ln in lines]


# --- hyphenation ---------------------------------------------------------------------------------

def test_a_word_breaks_at_a_pyphen_point_with_a_hyphen_added():
    lines = compose("antidisestablishmentarianism is long", 10, letterspace=0.0)
    assert texts(lines) == ["antidisestablishmentari-", "anism is long"]
    first = lines[0]
    assert first.added_hyphen and not lines[1].added_hyphen
    assert first.widths[-1] == pytest.approx(METRICS.advance("-") * E)
    # no word space to stretch and no letter-spacing: flush left, as full as the word allows
    assert 9 * E < first.width <= 10 * E + TOL
    assert body(first) + body(lines[1]) == "antidisestablishmentarianism is long"


def test_hyphenation_points_are_pyphens_and_respect_the_minimums():
    text = ("Extraordinary international cooperation characterised the administration of "
            "considerable infrastructure investments throughout the metropolitan region.")
    seen = 0
    for m in range(8, 22):
        lines = compose(text, m)  # check_breaks: pyphen's points, 2 before and 3 after
        seen += sum(ln.added_hyphen for ln in lines)
    assert seen > 0


def test_hyphenate_false_adds_no_hyphens():
    text = "Extraordinary international cooperation characterised the administration."
    for m in range(8, 20):
        lines = compose(text, m, hyphenate=False, emergency_ok=True)
        assert not any(ln.added_hyphen for ln in lines)


@pytest.mark.parametrize("word", ["UNESCO", "INTERPOL", "COVID19abcdef", "ABCDEFGH", "route66alpha"])
def test_acronyms_and_words_with_digits_are_not_hyphenated(word):
    text = f"the {word} report"
    for m in range(4, 12):
        lines = compose(text, m, emergency_ok=True)
        # (a word wider than the line is split without a hyphen; "report" may be hyphenated)
        for a, b in zip(lines, lines[1:]):
            if a.added_hyphen:
                assert a.text.split()[-1][:-1] + b.text.split()[0] == "report", texts(lines)


def test_capitalised_words_are_not_hyphenated():
    # proper nouns keep whole (they may still be split as an emergency: a word wider than the
    # line; here they fit)
    text = "Manchester Northamptonshire"
    lines = compose(text, 9, emergency_ok=True)
    assert not any(ln.added_hyphen for ln in lines)
    assert texts(lines) == ["Manchester", "Northamptonshire"]


def ladders(lines):
    run = count = 0
    for ln in lines:
        run = run + 1 if ln.added_hyphen else 0
        count += run >= 3
    return count


def test_no_hyphen_ladders_in_news_text():
    for m in range(12, 26):
        lines = compose(ARTICLE * 2, m, indent=1.0)
        assert ladders(lines) == 0, (m, texts(lines))


def test_hyphen_ladder_limit_and_demerits_reduce_ladders(monkeypatch):
    from layout.text import rules_en

    def count():
        total_ladders = total_pairs = 0
        for m in range(10, 26):
            lines = compose(ARTICLE * 2, m, indent=1.0)
            total_ladders += ladders(lines)
            total_pairs += sum(a.added_hyphen and b.added_hyphen for a, b in zip(lines, lines[1:]))
        return total_ladders, total_pairs

    ladders_on, pairs_on = count()
    monkeypatch.setattr(rules_en, "CONSECUTIVE_HYPHEN_DEMERITS", 0.0)
    monkeypatch.setattr(rules_en, "HYPHEN_LADDER_DEMERITS", 0.0)
    ladders_off, pairs_off = count()
    assert ladders_on < ladders_off and pairs_on <= pairs_off


# --- explicit hyphens, dashes, no-break spaces ---------------------------------------------------

def test_explicit_hyphen_breaks_without_adding_one():
    text = "the restaurant is a well-known local favourite among residents of the town"
    seen = 0
    for m in range(6, 20):
        lines = compose(text, m)
        for k, ln in enumerate(lines[:-1]):
            if ln.text.endswith("well-"):
                assert not ln.added_hyphen
                assert lines[k + 1].text.startswith("known")
                assert breaks(text, lines)[k] == text.index("known")
                seen += 1
    assert seen


@pytest.mark.parametrize("word", ["e-mail", "X-ray", "COVID-19", "1990-2000", "pages 10–12"])
def test_short_or_numeric_hyphenations_do_not_break(word):
    text = f"an {word} item"
    for m in range(5, 12):
        lines = compose(text, m, emergency_ok=True)
        assert any(word.split()[-1] in ln.text for ln in lines), (m, texts(lines))


def test_em_dash_may_break_after_but_never_starts_a_line():
    text = "long diversions—some as far as twelve kilometres—and worse"
    seen = 0
    for m in range(6, 20):
        lines = compose(text, m)
        for ln in lines[1:]:
            assert not ln.text.startswith("—")
        seen += any(ln.text.endswith(("diversions—", "kilometres—")) for ln in lines[:-1])
    assert seen


def test_spaced_dash_stays_on_the_line_before():
    text = "the council — which met on Monday — agreed"
    for m in range(5, 14):
        lines = compose(text, m)
        assert all(not ln.text.startswith("—") for ln in lines[1:]), texts(lines)


@pytest.mark.parametrize("unit", ["12\u00a0km", "£5\u00a0m", "£5m", "3.5%", "10\u202fkg"])
def test_no_break_spaces_and_numbers_keep_together(unit):
    for n in range(1, 12):
        text = "word " * n + unit + " and more words here"
        lines = compose(text, 6)
        assert any(unit in ln.text for ln in lines), texts(lines)


def test_number_and_unit_with_an_ordinary_space_never_break():
    text = "the road is 12 km long and the bridge is 40 m wide at the point where it crosses"
    for m in range(8, 20):
        lines = compose(text, m)
        ends = [ln.text.split()[-1] for ln in lines[:-1]]
        assert "12" not in ends and "40" not in ends, texts(lines)


# --- punctuation at line edges ---------------------------------------------------------------------

def test_spaced_marks_never_start_or_end_a_line():
    text = "He said ( really ) that “ quotes ” are fine , mostly ; or so [ they ] say !"
    for m in range(4, 20):
        lines = compose(text, m)
        check_prohibitions(lines)


def test_straight_quotes_alone_bind_to_their_neighbours():
    text = 'she said " hello there " and left'
    for m in range(4, 14):
        lines = compose(text, m, emergency_ok=True)
        for ln in lines:
            assert not ln.text.endswith(' "') or ln.text.endswith('there "'), texts(lines)
            assert not ln.text.startswith('" ') or ln.text.startswith('" hello'), texts(lines)


# --- runts ---------------------------------------------------------------------------------------

@pytest.mark.parametrize(
    "text, m",
    [
        ("its mill soon the not plan lane was yet plan near plan would plan lane new.", 10),
        ("soon not monday not yet its mill council was near ready yet.", 12),
        ("new new soon that mill ready for.", 12),
    ],
)
def test_no_runt_where_avoidable(text, m):
    loose = compose(text, m, avoid_orphan=False, letterspace=0.0)
    assert runt(loose), texts(loose)  # the case is real: without the rule there is a runt
    lines = compose(text, m, letterspace=0.0)
    assert not runt(lines), texts(lines)


def test_long_last_word_is_not_a_runt():
    lines = compose("new new soon that mill ready for information.", 12)
    assert len(lines) == 2


# --- justification, indent, alignment --------------------------------------------------------------

def test_lines_justified_by_word_spaces_and_last_line_flush_left():
    text = ("The council said on Tuesday that the bridge over the river, closed since March "
            "for repairs, would reopen to traffic by the end of the month.")
    lines = compose(text, 16, indent=1.0)
    assert lines[0].xs[0] == pytest.approx(1.0 * E)
    assert lines[1].xs[0] == pytest.approx(0.0)
    last = lines[-1]
    assert last.xs[0] == 0.0
    space = METRICS.advance(" ") * E
    for c, w in zip(last.text, last.widths):
        if c == " ":
            assert w == pytest.approx(space)  # natural spacing on the last line


def test_a_line_with_no_spaces_stays_flush_left_unless_letters_may_be_spaced():
    text = "antidisestablishmentarianism is long"
    plain = compose(text, 12)[0]
    assert " " not in plain.text and plain.width < 12 * E - TOL and not plain.spaced
    steps = [plain.xs[i + 1] - plain.xs[i] - plain.widths[i] for i in range(len(plain.text) - 1)]
    assert max(abs(s) for s in steps) < 1e-9  # not a letter spaced
    lines = compose(text, 12, letterspace=0.03)
    first = lines[0]
    assert " " not in first.text
    assert first.width == pytest.approx(12 * E, abs=TOL)
    steps = [first.xs[i + 1] - first.xs[i] - first.widths[i] for i in range(len(first.text) - 1)]
    assert min(steps) > 0 and max(steps) - min(steps) < 1e-6


def test_word_spaces_shrink_at_most_a_third():
    text = ("The council said on Tuesday that the bridge over the river would reopen soon "
            "after the repairs were finished and inspected by the engineers.")
    for m in range(8, 30):
        compose(text, m)  # check_spacing: no word space below 2/3 of its natural width


@pytest.mark.parametrize("align", ["left", "center", "right"])
def test_unjustified_alignments(align):
    lines = compose("the council met on Monday and agreed the plan", 10, align=align)
    for ln in lines:
        assert ln.width <= 10 * E + TOL
        if align == "right":
            assert ln.width == pytest.approx(10 * E)


def test_empty_paragraph():
    assert compose_paragraph("  ", 100, ParagraphStyle(size=9, lang="en"), METRICS) == []


# --- CJK inside English text ------------------------------------------------------------------

def test_cjk_runs_break_by_the_chinese_rules():
    text = "the city of 株洲市高新区 in Hunan province is twinned with 株洲，a city"
    for m in range(4, 14):
        lines = compose(text, m)
        for ln in lines[1:]:
            assert ln.text[0] != "，"
    lines = compose(text, 6)
    assert any(ln.text.endswith(("株", "洲", "市", "高", "新")) for ln in lines[:-1])


# --- languages ----------------------------------------------------------------------------------

def test_german_uses_its_dictionary():
    import pyphen

    lines = compose("Die Donaudampfschifffahrtsgesellschaft", 8, lang="de",
                    hyphenator=pyphen.Pyphen(lang="de"))
    assert len(lines) > 1 and lines[0].added_hyphen


def test_unknown_language_is_an_error():
    with pytest.raises(ValueError):
        compose_paragraph("hello", 100, ParagraphStyle(size=9, lang="tlh"), METRICS)


def test_default_language_is_chinese():
    from test_text_support import METRICS as ZH_METRICS

    text = "城市品牌也叫城市形象，是城市竞争力的综合体现"
    a = compose_paragraph(text, 90, ParagraphStyle(size=9), ZH_METRICS)
    b = compose_paragraph(text, 90, ParagraphStyle(size=9, lang="zh"), ZH_METRICS)
    assert a == b and all(not ln.added_hyphen for ln in a)


# --- audit ------------------------------------------------------------------------------------

def test_audit_of_english_lines():
    text = ("The council said on Tuesday that the well-known bridge over the river, closed "
            "since March for repairs costing £5m, would reopen to traffic by the end of the "
            "month. Residents have complained about long diversions.")
    style = ParagraphStyle(size=SIZE, lang="en", indent=1.0)
    lines = compose_paragraph(text, 14 * E, style, METRICS)
    c = audit_lines(lines, 14 * E, style, METRICS)
    assert c["paragraphs"] == 1 and c["lines"] == len(lines)
    for key in ("prohibited_start", "prohibited_end", "ragged", "overfull", "orphans",
                "overlaps", "ascii_punct", "hyphen_ladders"):
        assert c[key] == 0, (key, c)
    assert c["hyphens"] == sum(ln.added_hyphen for ln in lines)
    runty = compose("new new soon that mill ready for.", 12, avoid_orphan=False)
    assert audit_lines(runty, 12 * E, style, METRICS)["orphans"] == 1


# --- the breaker's flagged breaks (language-neutral) ---------------------------------------------

def test_flagged_breaks_cost_extra_in_a_row():
    # three boxes of 10 pt with breakpoints after each; measure 10: lines are forced, but two
    # alternative breakpoints (flagged and not) end each line at the same place
    W = [0.0, 10.0, 10.0, 20.0, 20.0, 30.0]
    zero = [0.0] * 6

    def problem(flags, demerits):
        return Problem(
            measure=10.0, width=W, stretch=zero, shrink=zero,
            bp_end=[0, 1, 1, 3, 3, 5], bp_start=[0, 2, 2, 4, 4, 6],
            bp_end_width=[0.0] * 6, bp_end_shrink=[0.0] * 6, bp_start_width=[0.0] * 6,
            bp_penalty=[0.0, 0.0, 1.0, 0.0, 1.0, 0.0], last_cost=[0.0] * 6,
            flagged=flags, flagged_demerits=demerits,
        )

    flags = [False, True, False, True, False, False]
    plain = break_lines(problem(flags, 0.0))
    assert [ln.end_bp for ln in plain.lines] == [1, 3, 5]  # the free (flagged) breaks
    costly = break_lines(problem(flags, 100.0))
    assert [ln.end_bp for ln in costly.lines] in ([1, 4, 5], [2, 3, 5])


def test_a_penalty_item_with_width_counts_in_the_line():
    W = [0.0, 10.0, 10.0, 20.0]
    p = Problem(measure=11.0, width=W, stretch=[0.0] * 4, shrink=[0.0] * 4,
                bp_end=[0, 1, 3], bp_start=[0, 2, 4], bp_end_width=[0.0, 2.0, 0.0],
                bp_end_shrink=[0.0] * 3, bp_start_width=[0.0] * 3, bp_penalty=[0.0] * 3,
                last_cost=[0.0] * 3)
    r = break_lines(p)
    assert r.overfull  # 10 + 2 > 11
    assert r.lines[0].natural == pytest.approx(12.0)


# --- a real font and speed -------------------------------------------------------------------------

ARTICLE = (
    "Plans to rebuild the footbridge over the River Wend at Millbrook were approved on "
    "Thursday evening after a three-hour meeting of the borough council’s planning committee, "
    "ending a dispute that has divided the town for almost two years. The £4.2m scheme will "
    "replace the 1960s concrete span, closed since storm damage in February, with a steel "
    "structure wide enough for cyclists and wheelchair users. Councillors voted seven to two "
    "in favour. “This is the right decision for Millbrook,” said the committee’s chair. "
    "“People have waited far too long for a safe crossing — some have been walking an extra "
    "3\u00a0km each day to reach the station.” Opponents had argued that the design, with its "
    "twelve-metre arch, was out of keeping with the conservation area and would overshadow "
    "the towpath. A petition against it gathered more than 1,400 signatures. "
)


def article_800() -> str:
    words = (ARTICLE * 6).split()
    assert len(words) >= 800
    return " ".join(words[:800])


def test_real_font_noto_serif():
    if not NOTO_SERIF.exists():
        pytest.skip("fonts-noto-core is not installed")
    from layout.fonts import open_face

    metrics = open_face(NOTO_SERIF).metrics
    assert metrics.has("a") and metrics.advance(" ") > 0
    text = ARTICLE * 2
    for m in (14, 18, 20, 24):
        lines = compose(text, m, metrics=metrics, indent=1.0)
        check_prohibitions(lines)
        assert not runt(lines)
        assert sum(ln.added_hyphen for ln in lines) <= len(lines) // 2


def test_800_words_at_20_em_in_well_under_50_ms():
    text = article_800()
    style = ParagraphStyle(size=SIZE, lang="en", indent=1.0)
    compose_paragraph(text, 20 * E, style, METRICS)  # warm the dictionary
    best = min(_timed(lambda: compose_paragraph(text, 20 * E, style, METRICS)) for _ in range(3))
    assert best < 0.05, best
    paragraphs = [" ".join(text.split()[i:i + 80]) for i in range(0, 800, 80)]
    best = min(_timed(lambda: [compose_paragraph(p, 20 * E, style, METRICS) for p in paragraphs])
               for _ in range(3))
    assert best < 0.05, best


def _timed(fn) -> float:
    t = time.perf_counter()
    fn()
    return time.perf_counter() - t


def test_hyphenator_sanity():
    assert 4 in HYPHENATOR.positions("newspaper")


def test_a_short_word_is_never_left_alone_on_a_justified_line():
    """"The" alone on a paragraph's first line above "Strategic Advisory Group of" (a capitalised
    word, not hyphenated, comes next): the line with nothing to justify by is flush left and
    looks like a paragraph's end. A capitalised word is hyphenated at its dictionary points
    rather than that (or a loose line of two words is set)."""
    text = ("The Strategic Advisory Group of Experts on Immunization, or SAGE, which met in "
            "extraordinary session August 11, issued its updated guidance Thursday.")
    for k in range(20, 60):
        lines = compose(text, k / 2, indent=1.0)
        for ln in lines[:-1]:
            assert not (len(ln.text.split()) == 1 and len(ln.text.strip("-")) <= 4), (k / 2, texts(lines))


def test_the_emergency_report_reads_each_split_line_near_its_break(monkeypatch):
    """A run of copy with no space (a pasted blob) is split into many lines; naming each split
    walked the whole run again for every line (10,000 letters took 17 s, 100,000 never ended).
    Within reach of its break the work per split line is bounded: a run ten times longer asks
    about as many characters' classes per split line, not ten times as many."""
    from layout.text import emergency, rules_zh

    calls = {"n": 0}
    real = rules_zh.char_class

    def counted(ch):
        calls["n"] += 1
        return real(ch)

    style = ParagraphStyle(size=SIZE, lang="en", indent=0.0, expansion=0.0)
    per_line = []
    for n in (2000, 20000):
        text = "0123456789" * (n // 10)  # (no hyphenation point: split between digits)
        lines = compose_paragraph(text, 20 * E, style, METRICS)
        calls["n"] = 0
        with monkeypatch.context() as m:
            m.setattr(rules_zh, "char_class", counted)
            found = emergency.emergencies(text, lines, style, True, 20 * E)
        assert sum(1 for f in found if f.reason == "split") >= len(lines) // 2
        per_line.append(calls["n"] / len(lines))
    assert per_line[1] < 2 * per_line[0], per_line
