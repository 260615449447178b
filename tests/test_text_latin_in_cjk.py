"""Latin inside Chinese columns (issue 14, point 3), set with the page's real body face: long
words are hyphenated by their language, URLs, e-mail addresses and paths break after
``/ . - _ ? & =`` without a hyphen, Latin letters are never spaced apart, and a line that could
not be filled or opens its gaps past the stated limit is named (``layout.text.emergency``)."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings, strategies as st

from layout.fonts.registry import FontRegistry
from layout.text import compose_paragraph
from layout.text.api import ParagraphStyle
from layout.text.emergency import SLACK_LIMIT, emergencies, widest_opening
from layout.text.wordbreaks import address_breaks, is_address, word_breaks

SIZE = 9.0


@pytest.fixture(scope="module")
def body():
    return FontRegistry.load().stack("body")


def _set(text, measure_em, body, **kw):
    kw.setdefault("indent", 0.0)
    style = ParagraphStyle(size=SIZE, prohibition=kw.pop("prohibition", "basic"), **kw)
    lines = compose_paragraph(text, measure_em * SIZE, style, body)
    return style, lines


def _source(lines):
    return "".join(ln.text[:-1] if ln.added_hyphen else ln.text for ln in lines)


def _no_letter_spacing(lines, body):
    """Two Latin characters side by side stand exactly their shaped advance apart (kerning
    included), times the line's scale: never opened."""
    for ln in lines:
        for i in range(len(ln.text) - 1):
            a, b = ln.text[i], ln.text[i + 1]
            if a.isascii() and b.isascii() and a.isalnum() and b.isalnum():
                assert ln.xs[i + 1] - ln.xs[i] == pytest.approx(ln.widths[i], abs=0.01), (ln.text, a, b)


URL = "https://www.gov.cn/zhengce/content/2024-01/15/content_6926047.htm"
MAIL = "gzzdextl@chinalaw.gov.cn"


@pytest.mark.parametrize("measure", [10, 12, 13])
def test_an_address_breaks_after_its_separators_without_a_hyphen(body, measure):
    text = f"全文请访问{URL}查看，意见请发送至{MAIL}，截止日期为本月底。"
    style, lines = _set(text, measure, body)
    assert _source(lines) == text
    assert not any(ln.added_hyphen for ln in lines)  # an address never gets a hyphen
    found = emergencies(text, lines, style, False, measure * SIZE)
    split = {e.line for e in found if e.reason == "split"}
    for k, ln in enumerate(lines[:-1]):
        nxt = lines[k + 1].text
        if ln.text[-1].isascii() and nxt[0].isascii():  # a break inside the address
            # after a separator, or a last resort between letters that the report names
            assert ln.text[-1] in "/.-_?&=@" or k in split, (ln.text, nxt)
    _no_letter_spacing(lines, body)
    # every line but the last fills the measure
    for ln in lines[:-1]:
        assert ln.width == pytest.approx(measure * SIZE, abs=0.05), ln.text


def test_address_breaks_are_after_the_separators():
    assert is_address(URL) and is_address(MAIL) and is_address("www.example.org")
    assert not is_address("12.0.5.315") and not is_address("IPv6")
    pieces = [URL[a:b] for a, b in zip([0, *address_breaks(URL)], [*address_breaks(URL), len(URL)])]
    assert pieces[0] == "https://"  # "://" stays whole
    assert all(p[-1] in "/.-_?&=@" for p in pieces[:-1])
    # the scheme and "www" are never cut between letters
    assert all(off > len("https://www.") for off, kind in word_breaks(URL) if kind == "letter")


def test_a_long_english_word_in_chinese_is_hyphenated(body):
    text = "联合国教科文组织的internationalization工作组今天发布了新的标准草案，各国专家参与讨论。"
    style, lines = _set(text, 10, body)
    assert _source(lines) == text
    broken = [ln for ln in lines if ln.added_hyphen]
    assert broken, [ln.text for ln in lines]
    for ln in broken:
        assert ln.text.endswith("-") and ln.text[-2].isalpha()
        # at a dictionary point of the word
        word = "internationalization"
        head = re.search(r"[A-Za-z]+-$", ln.text).group()[:-1]
        assert head in {word[:p] for p, kind in word_breaks(word) if kind == "hyphen"}
    _no_letter_spacing(lines, body)
    assert not {e.reason for e in emergencies(text, lines, style, False, 10 * SIZE)} & {"split", "unfilled"}


@pytest.mark.parametrize("word", ["FULLWIDTH", "IDEOGRAPHIC", "iPhone", "IPv6", "COVID19"])
def test_acronyms_and_names_are_never_hyphenated(word):
    assert not any(kind == "hyphen" for _, kind in word_breaks(word))


def test_a_word_wider_than_the_column_is_split_and_named_never_letter_spaced(body):
    text = "标准中的IDEOGRAPHICDESCRIPTIONCHARACTERS一节说明了结构"
    style, lines = _set(text, 6, body)
    assert _source(lines) == text
    _no_letter_spacing(lines, body)
    found = emergencies(text, lines, style, False, 6 * SIZE)
    assert any(e.reason == "split" for e in found)


def test_the_audit_counts_slack_and_letter_spacing(body):
    from layout.text import audit_lines

    # a long number bound to its unit in a narrow column: the line before it cannot be filled
    # without opening its gaps past the limit
    text = "一、全国粮食播种面积119319千公顷（178979万亩），比2023年增加351千公顷（526万亩），增长0.3%。"
    style, lines = _set(text, 13, body, indent=2.0)
    audit = audit_lines(lines, 13 * SIZE, style, body)
    slack = [ln for ln in lines[:-1] if widest_opening(ln) > SLACK_LIMIT * SIZE + 1e-6]
    assert audit["slack"] == len(slack)
    named = {e.line for e in emergencies(text, lines, style, False, 13 * SIZE) if e.reason == "slack"}
    assert named == {lines.index(ln) for ln in slack}
    assert audit["letterspaced"] == 0


latin_word = st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=3, max_size=24)
han = st.text(alphabet="株洲高新区天元城市品牌创造吸引影响综合体现坚定不移构建产业生态", min_size=1, max_size=8)
address = st.builds(lambda a, b, c: f"https://{a}.{b}.cn/{c}", latin_word, latin_word, latin_word)


@settings(max_examples=60, deadline=None)
@given(parts=st.lists(st.one_of(han, han, latin_word, address), min_size=2, max_size=10),
       measure=st.integers(8, 16))
def test_latin_in_chinese_is_never_letter_spaced_nor_silently_split(body, parts, measure):
    text = "".join(parts)
    style, lines = _set(text, measure, body)
    assert _source(lines) == text
    _no_letter_spacing(lines, body)
    found = emergencies(text, lines, style, False, measure * SIZE)
    split = {e.line for e in found if e.reason == "split"}
    unfilled = {e.line for e in found if e.reason == "unfilled"}
    for k, ln in enumerate(lines[:-1]):
        if k in unfilled:  # only Latin alone may be left unfilled
            assert all(c.isascii() for c in ln.text), ln.text
        else:
            assert ln.width == pytest.approx(measure * SIZE, abs=0.05), ln.text
        nxt = lines[k + 1].text
        if ln.text[-1].isascii() and ln.text[-1].isalnum() and nxt[0].isascii() and nxt[0].isalnum() \
                and not ln.added_hyphen:
            assert k in split, (ln.text, nxt)
