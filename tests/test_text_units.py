"""Units of text: what is set whole and what may never split (issue 3, requirement 1)."""

from __future__ import annotations

import pytest

from layout.text import rules_zh as R
from layout.text.units import segment

from test_text_support import METRICS


def atoms_of(text: str) -> list[str]:
    atoms, _ = segment(text, METRICS)
    return [text[a.start : a.end] for a in atoms]


def units_of(text: str) -> list[str]:
    """Atoms joined across bound gaps: the pieces a line may break between."""
    atoms, gaps = segment(text, METRICS)
    out = [text[atoms[0].start : atoms[0].end]]
    for k, g in enumerate(gaps):
        piece = text[g.start : atoms[k + 1].end]
        if g.bound:
            out[-1] += piece
        else:
            out.append(piece.strip())
    return out


def test_han_characters_are_each_a_unit():
    assert atoms_of("株洲高新区") == list("株洲高新区")


@pytest.mark.parametrize(
    "text, unit",
    [
        ("基金规模575亿元，", "575亿元"),
        ("9月28日，2024年株洲", "2024年"),
        ("就有12万人前来", "12万人"),
        ("增加到500余万人次。", "500余万人次"),
        ("增长3.5%，", "3.5%"),
        ("打造“Z-1”智能", "Z-1"),
        ("在发展“C位”", "C位"),
        ("城市IP越来越", "IP"),
        ("累计上线设备1126台（套）", "1126台"),
        ("40余场活动", "40余场"),
    ],
)
def test_numbers_and_words_never_split(text, unit):
    assert unit in units_of(text)


def test_number_itself_is_one_atom():
    assert "575" in atoms_of("基金规模575亿元")
    assert "3.5%" in atoms_of("增长3.5%")


def test_latin_words_and_spaces():
    atoms, gaps = segment("继Deep Blue国际象棋", METRICS)
    words = ["继Deep Blue国际象棋"[a.start : a.end] for a in atoms]
    assert words[:3] == ["继", "Deep", "Blue"]
    assert gaps[1].has_space and not gaps[1].bound  # the word space is a break opportunity
    assert not gaps[0].bound and not gaps[2].bound  # Han–Latin may break


def test_two_em_dash_and_ellipsis_are_one_unit():
    assert atoms_of("工业软件园——天元") == list("工业软件园") + ["——"] + list("天元")
    assert atoms_of("宾客……株洲") == ["宾", "客", "……", "株", "洲"]
    assert atoms_of("甲————乙") == ["甲", "——", "——", "乙"]


@pytest.mark.parametrize(
    "ch, cls",
    [
        ("“", "open"), ("《", "open"), ("（", "open"), ("【", "open"), ("〈", "open"),
        ("”", "close"), ("》", "close"), ("）", "close"), ("〗", "close"), ("〉", "close"),
        ("、", "stop"), ("，", "stop"), ("。", "stop"), ("．", "stop"),
        ("；", "stop2"), ("：", "stop2"), ("！", "stop2"), ("？", "stop2"),
        ("·", "dot"), ("—", "dash"), ("…", "ellipsis"), ("／", "slash"),
        ("～", "conn"), ("–", "conn"), ("字", "han"), ("a", "latin"), ("5", "latin"),
        (" ", "space"),
    ],
)
def test_character_classes(ch, cls):
    assert R.char_class(ch) == cls


def test_leading_and_trailing_space_belong_to_no_atom():
    atoms, gaps = segment("  字 字  ", METRICS)
    assert len(atoms) == 2 and len(gaps) == 1 and gaps[0].has_space
