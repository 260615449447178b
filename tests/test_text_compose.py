"""The line composer: compression, prohibitions, justification, indent, 孤字, hanging, alignment.

All lengths in the assertions are in em of the 9 pt size (``E``) unless noted.
"""

from __future__ import annotations

import pytest

from layout.text import compose_paragraph
from layout.text import rules_zh as R
from layout.text.api import ParagraphStyle
from layout.text.emergency import emergencies

from test_text_support import (
    METRICS,
    SIZE,
    TOL,
    compose_checked,
    is_orphan,
)

E = SIZE


def compose(text, measure_em, **kw):
    return compose_checked(text, measure_em, **kw)


def glyph(lines, ch, nth=0):
    """(line index, x, width) of the nth occurrence of ``ch`` in the set lines, in em."""
    seen = 0
    for k, ln in enumerate(lines):
        for c, x, w in zip(ln.text, ln.xs, ln.widths):
            if c == ch:
                if seen == nth:
                    return k, x / E, w / E
                seen += 1
    raise AssertionError(f"{ch!r} not found")


def approx(v):
    return pytest.approx(v, abs=1e-6)


# --- compression (clreq 3.1.6) -------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, a, b",
    [
        ("他说“好”。再见了吧", "”", "。"),
        ("他说（好），再见了吧", "）", "，"),
        ("他说好。“再见”了吧", "。", "“"),
        ("他说（甲）（乙）了吧", "）", "（"),
        ("他说《书》、《报》了吧", "、", "《"),
    ],
)
@pytest.mark.parametrize("adjacent", [1.5, 1.0])
def test_adjacent_marks_take_adjacent_punct_em(text, a, b, adjacent):
    lines = compose(text, 30, indent=0, adjacent_punct=adjacent)
    assert len(lines) == 1
    ln = lines[0]
    i = ln.text.index(a + b)
    xa, wa, xb, wb = (v / E for v in (ln.xs[i], ln.widths[i], ln.xs[i + 1], ln.widths[i + 1]))
    assert wa + wb == approx(adjacent)
    # ink of the first stays in its set box: closing marks and stops lose their right half
    if a in R.CLOSE + R.STOP + R.STOP2:
        assert wa == approx(0.5)
    # an opening mark that lost its left half is drawn half an em left of its slot
    slot_b = xa + wa if a not in R.OPEN else xa + 0.5 + wa
    if b in R.OPEN:
        assert xb == approx(slot_b - (1.0 - wb))
    else:
        assert xb == approx(slot_b)


def test_three_marks_in_a_row():
    lines = compose("他说：“好。”（完）", 30, indent=0)
    _, _, w1 = glyph(lines, "。")
    _, _, w2 = glyph(lines, "”")
    _, _, w3 = glyph(lines, "（")
    assert w1 + w2 + w3 == approx(2.0)  # 0.5 + 0.5 + 1: every touching pair takes 1.5


def test_marks_apart_stay_full_width():
    lines = compose("他说，好的。", 30, indent=0)
    assert glyph(lines, "，")[2] == approx(1.0)


def test_mark_at_line_end_is_half_width_and_line_ends_flush():
    text = "一二三四五六七八九，十一二三四五六七八九十。"
    lines = compose(text, 9.5, indent=0)
    assert lines[0].text == "一二三四五六七八九，"
    k, x, w = glyph(lines, "，")
    assert k == 0 and w == approx(0.5)
    assert lines[0].width == pytest.approx(9.5 * E, abs=TOL)


def test_paragraph_end_mark_is_half_width():
    lines = compose("好的。", 10, indent=0)
    assert lines[-1].widths[-1] == approx(0.5 * E)
    assert lines[-1].width == approx(2.5 * E)


def test_opening_mark_at_line_start_loses_its_half_em_in_half_style():
    # line 2 needs 1 em of push-in: the line-start “ (always half here) and the 、 give half an
    # em each
    text = "一二三四五六七八九十“一二三四、五六七八”，结束了。"
    lines = compose(text, 10, indent=0, open_at_start="half")
    assert lines[1].text == "“一二三四、五六七八”，"
    assert lines[1].xs[0] == approx(-0.5 * E)  # box drawn half an em before the line start
    assert lines[1].widths[0] == approx(0.5 * E)
    assert glyph(lines, "、")[2] == approx(0.5)


def test_han_never_squeezed():
    text = "一二三四五六七八九十，一二三四五六七八九十。" * 4
    for ln in compose(text, 10, indent=2):
        for c, w in zip(ln.text, ln.widths):
            if R.is_han(c):
                assert w == approx(E)


# --- prohibitions (clreq 3.1.7) ------------------------------------------------------------------

BASIC_NO_START = "、，。；：！？”’」』）］｝〕〗】》〉·～–／"
BASIC_NO_END = "“‘「『（［｛〔〖【《〈"


def test_rule_tables_hold_the_card():
    for ch in BASIC_NO_START:
        for level in ("basic", "gb", "strict"):
            assert ch in R.NO_START[level], (ch, level)
    for ch in BASIC_NO_END:
        for level in ("basic", "gb", "strict"):
            assert ch in R.NO_END[level], (ch, level)
    assert "／" in R.NO_END["gb"] and "／" not in R.NO_END["basic"]
    assert "—" in R.NO_START["strict"] and "…" in R.NO_START["strict"]
    assert "—" not in R.NO_START["gb"]
    assert not R.NO_START["none"] and not R.NO_END["none"]


@pytest.mark.parametrize("ch", list(BASIC_NO_START))
@pytest.mark.parametrize("level", ["basic", "gb", "strict"])
def test_never_start_a_line_with(ch, level):
    text = "一" * 10 + ch + "二" * 6
    lines = compose(text, 10, indent=0, prohibition=level)
    for ln in lines[1:]:
        assert ln.text[0] != ch


@pytest.mark.parametrize("ch", list(BASIC_NO_END))
@pytest.mark.parametrize("level", ["basic", "gb", "strict"])
def test_never_end_a_line_with(ch, level):
    text = "一" * 9 + ch + "二" * 6
    lines = compose(text, 10, indent=0, prohibition=level)
    for ln in lines[:-1]:
        assert ln.text[-1] != ch


def test_level_none_allows_what_basic_forbids():
    lines = compose("一" * 10 + "，" + "二" * 6, 10, indent=0, prohibition="none")
    assert lines[1].text.startswith("，")
    lines = compose("一" * 9 + "“" + "二" * 6, 10, indent=0, prohibition="none")
    assert lines[0].text.endswith("“")


def test_gb_adds_slash_at_line_end():
    text = "一" * 9 + "／" + "二" * 6
    assert compose(text, 10, indent=0, prohibition="basic")[0].text.endswith("／")
    assert not compose(text, 10, indent=0, prohibition="gb")[0].text.endswith("／")


@pytest.mark.parametrize("pair", ["——", "……"])
def test_strict_adds_dash_and_ellipsis_at_line_start(pair):
    text = "一" * 10 + pair + "二" * 6
    assert compose(text, 10, indent=0, prohibition="gb")[1].text.startswith(pair)
    assert not compose(text, 10, indent=0, prohibition="strict")[1].text.startswith(pair)


@pytest.mark.parametrize("pair", ["——", "……"])
@pytest.mark.parametrize("level", ["none", "basic", "gb", "strict"])
def test_dash_and_ellipsis_never_split(pair, level):
    for n in range(7, 12):
        text = "一" * n + pair + "二" * 6
        lines = compose(text, 10, indent=0, prohibition=level)
        for ln in lines:
            assert ln.text.count(pair[0]) in (0, 2), (n, [x.text for x in lines])


@pytest.mark.parametrize("unit", ["575亿元", "2024年", "12万人", "3.5%", "Z-1", "C位", "IP"])
def test_units_never_split(unit):
    for n in range(5, 12):
        text = "一" * n + unit + "二" * 8
        lines = compose(text, 10, indent=0)
        assert any(unit in ln.text for ln in lines), (n, [x.text for x in lines])


def test_latin_words_break_at_spaces_only():
    text = "上演继Deep Blue国际象棋、Alpha Go围棋赛后第三场人机对决"
    for m in range(8, 16):
        lines = compose(text, m, indent=0)
        for w in ("Deep", "Blue", "Alpha", "Go"):
            assert any(w in ln.text for ln in lines)


def test_long_latin_word_is_split_as_a_last_resort():
    text = "Supercalifragilisticexpialidocious株洲高新区天元区"
    lines = compose(text, 8, indent=0)
    assert "".join(ln.text for ln in lines) == text
    assert all(ln.width <= 8 * E + TOL for ln in lines)
    # split between letters, never letter-spaced: the pieces are named in the report
    found = emergencies(text, lines, ParagraphStyle(size=E, indent=0), False, 8 * E)
    assert {e.line for e in found if e.reason == "split"} == set(range(len(lines) - 1)) - {
        k for k, ln in enumerate(lines[:-1]) if not ln.text[-1].isascii()}
    for ln in lines:
        for i in range(len(ln.text) - 1):
            if ln.text[i].isascii() and ln.text[i + 1].isascii():
                assert ln.xs[i + 1] == approx(ln.xs[i] + ln.widths[i])


# --- justification and spacing -------------------------------------------------------------------


def test_every_line_but_the_last_is_justified_and_the_last_is_flush_left():
    text = "近年来，株洲高新区（天元区）坚定不移构建产业生态和人居生态，深入实施品牌创新战略。"
    lines = compose(text, 13, indent=2)
    for ln in lines[:-1]:
        assert ln.width == pytest.approx(13 * E, abs=TOL)
    last = lines[-1]
    assert last.xs[0] == approx(0.0)
    # natural spacing on the last line: Han characters one em apart
    for c1, x1, c2, x2 in zip(last.text, last.xs, last.text[1:], last.xs[1:]):
        if R.is_han(c1) and R.is_han(c2):
            assert x2 - x1 == approx(E)


def test_expansion_is_spread_evenly():
    lines = compose("字" * 12 + "字字", 13, indent=2)  # 10 + 4: the first line is loose
    first = lines[0]
    steps = [b - a for a, b in zip(first.xs, first.xs[1:])]
    assert max(steps) - min(steps) < 1e-6


def test_word_spaces_take_their_share():
    lines = compose("我们 Deep Blue and Alpha Go 都是计算机程序的名字啊", 12, indent=0)
    first = lines[0]
    assert first.width == pytest.approx(12 * E, abs=TOL)


@pytest.mark.parametrize("space", [0.25, 0.0])
def test_han_latin_spacing(space):
    lines = compose("城市IP越来越闪亮", 30, indent=0, han_latin_space=space)
    _, x_shi, _ = glyph(lines, "市")
    _, x_i, _ = glyph(lines, "I")
    _, x_p, _ = glyph(lines, "P")
    _, x_yue, _ = glyph(lines, "越")
    assert x_i - (x_shi + 1) == approx(space)
    assert x_yue - (x_p + 0.65) == approx(space)


def test_han_digit_spacing():
    lines = compose("基金规模575亿元", 30, indent=0)
    _, x_mo, _ = glyph(lines, "模")
    _, x_5, _ = glyph(lines, "5")
    assert x_5 - (x_mo + 1) == approx(0.25)


@pytest.mark.parametrize("indent", [2.0, 1.0, 0.0])
def test_first_line_indent(indent):
    lines = compose("城市品牌也叫城市形象是城市竞争力创造力吸引力和影响力的综合体现", 13, indent=indent)
    assert lines[0].xs[0] == approx(indent * E)
    assert lines[1].xs[0] == approx(0.0)
    assert lines[0].text[0] == "城"  # the indent is not a character


@pytest.mark.parametrize("align", ["left", "center", "right"])
def test_unjustified_alignments(align):
    lines = compose("实力高新 出圈有道", 6, indent=0, align=align)
    assert [ln.text for ln in lines] == ["实力高新", "出圈有道"]
    x0 = {"left": 0.0, "center": 1.0, "right": 2.0}[align]
    for ln in lines:
        assert ln.xs[0] == approx(x0 * E)
        assert ln.width == approx((x0 + 4) * E)


def test_last_line_alignment_option():
    lines = compose("城市品牌也叫城市形象，是城市竞争力的综合体现", 10, indent=0, last_line="right")
    assert lines[-1].width == pytest.approx(10 * E, abs=TOL)


# --- 孤字 -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "一" * 11 + "二。",
        "一" * 11 + "二",
        "一" * 11 + "二”。",
        "株洲高新区天元区就像一名潮男，一次又一次出圈，城市越来越闪亮的。",
    ],
)
def test_no_orphan_last_line(text):
    lines = compose(text, 13, indent=2)
    assert not is_orphan(lines), [ln.text for ln in lines]


def test_orphan_allowed_when_the_rule_is_off():
    lines = compose("一" * 11 + "二。", 13, indent=2, avoid_orphan=False)
    assert [ln.text for ln in lines] == ["一" * 11, "二。"]


def test_single_line_paragraph_is_exempt():
    assert [ln.text for ln in compose("好。", 13, indent=2)] == ["好。"]


# --- hanging punctuation -------------------------------------------------------------------------


def test_hanging_only_for_pause_marks():
    text = "一二三四五六七八九十一二三，四五六七八九十一二三四五六七，一二三四五六七八九十。"
    lines = compose(text, 13, indent=0, hanging=True)
    assert lines[0].text.endswith("，")
    assert lines[0].hang == approx(0.5 * E)
    assert lines[0].width == approx(13.5 * E)
    plain = compose(text, 13, indent=0)
    assert all(ln.hang == 0 for ln in plain)
    semi = compose(text.replace("，", "；"), 13, indent=0, hanging=True)
    assert all(ln.hang == 0 for ln in semi)


# --- odds and ends -------------------------------------------------------------------------------


def test_empty_and_blank_paragraphs():
    assert compose_paragraph("", 117, ParagraphStyle(size=9), METRICS) == []
    assert compose_paragraph("   ", 117, ParagraphStyle(size=9), METRICS) == []


def test_spaces_inside_lines_are_kept_and_dropped_at_breaks():
    text = "森林防火 人人有责 护林常抓不懈 防火警钟长鸣"
    lines = compose(text, 7, indent=0)
    assert all(not ln.text.startswith(" ") and not ln.text.endswith(" ") for ln in lines)


def test_tracking_opens_gaps():
    lines = compose("守护绿色家园", 30, indent=0, tracking=0.1, align="left")
    steps = [b - a for a, b in zip(lines[0].xs, lines[0].xs[1:])]
    assert all(s == approx(1.1 * E) for s in steps)
