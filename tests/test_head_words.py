"""Heads break between Chinese words: never 神舟九号飞 / 船成功发射 when a break between words
fits, a particle (的) ends its line, a conjunction (和) begins one, Traditional text is
segmented as well, and the word boundaries are remembered across builds."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from layout.compose.heads import break_head, fit_head
from layout.compose.textset import natural_width
from layout.text import hanwords, memo

from test_modules import M

#: real heads (the corpus's and the night edition's, and wire heads of the same kind)
HEADS = [
    "神舟九号飞船成功发射",
    "2011年全国粮食总产量达到57121万吨",
    "第三章 人体器官的获取和移植",
    "2025年IPv6活跃用户数要达到8.5亿",
    "八部门印发《推进IPv6技术演进和应用创新发展的实施意见》",
    "中国第一个飞向太空的女性刘洋随飞船升空",
    "株洲高新区高质量发展新篇章",
    "国务院常务会议部署进一步扩大内需促进经济平稳增长",
    "全国人民代表大会常务委员会关于修改法律的决定",
]


def words_of(text: str, lang: str = "zh") -> list[str]:
    marks = hanwords.marks(text, lang)
    assert marks is not None and len(marks) == len(text) - 1
    out, start = [], 0
    for i, m in enumerate(marks):
        if m != hanwords.INSIDE:
            out.append(text[start:i + 1])
            start = i + 1
    return out + [text[start:]]


def inside_a_word(lines: list[str], text: str, lang: str = "zh") -> list[int]:
    """The places where ``lines`` break ``text`` inside a word."""
    marks = hanwords.marks(text, lang)
    out, pos = [], 0
    for ln in lines[:-1]:
        pos = text.index(ln, pos) + len(ln)
        while pos < len(text) and text[pos] in " \u3000":
            pos += 1
        if marks[pos - 1] == hanwords.INSIDE:
            out.append(pos)
    return out


def test_words_places_and_particles():
    assert words_of("神舟九号飞船成功发射") == ["神舟", "九号", "飞船", "成功", "发射"]
    marks = hanwords.marks("人体器官的获取和移植", "zh")
    assert marks[3] == hanwords.BEFORE_PARTICLE  # 器官|的
    assert marks[7] == hanwords.AFTER_CONJUNCTION  # 和|移植
    assert marks[6] == hanwords.BETWEEN  # 获取|和
    assert marks[0] == hanwords.INSIDE  # 人|体
    assert hanwords.marks("Parking charges frozen", "en") is None
    assert hanwords.marks("字", "zh") is None


def test_traditional_text_is_segmented_as_its_simplified_form():
    assert "颱風" in words_of("強烈颱風來襲", "zh-hant")
    assert "財產權" in words_of("著作財產權之存續期間", "zh-Hant")


def test_the_front_page_head_breaks_between_words():
    text = "神舟九号飞船成功发射"
    # a width that holds 6 of its 10 characters: balance alone would cut it 5 / 5 (飞 / 船)
    lines = break_head(text, M, 40, 6 * 40, 2)
    assert lines == ["神舟九号飞船", "成功发射"]


def test_a_particle_ends_its_line_and_a_conjunction_begins_one():
    lines = break_head("第三章 人体器官的获取和移植", M, 20, 9 * 20, 2)
    assert lines == ["第三章 人体器官的", "获取和移植"]
    lines = break_head("推进技术演进和应用创新发展", M, 20, 8 * 20, 2)
    assert lines is not None and not lines[0].endswith("和") and not lines[1].startswith("的")


def test_a_head_takes_a_smaller_size_rather_than_break_a_word():
    text = "神舟九号飞船成功发射"
    # at 40 pt only a 5 / 5 cut fits 200 pt; at 33 pt 神舟九号飞船 (6 em) fits
    fit = fit_head(text, M, 200, size=40, fit=False, min_size=30, max_size=None, max_lines=2)
    assert fit.lines == ["神舟九号飞船", "成功发射"] and fit.size == 33 and not fit.wrapped


def test_a_word_wider_than_any_line_is_broken_all_the_same():
    text = "中华人民共和国"  # one word of the dictionary
    assert words_of(text) == [text]
    fit = fit_head(text, M, 100, size=40, fit=False, min_size=None, max_size=None, max_lines=2)
    assert "".join(fit.lines) == text and all(natural_width(ln, M, fit.size) <= 100 for ln in fit.lines)


@settings(max_examples=150, deadline=None)
@given(text=st.sampled_from(HEADS), chars=st.integers(min_value=4, max_value=24),
       max_lines=st.integers(min_value=1, max_value=4), size=st.sampled_from([16.0, 24.0, 40.0]))
def test_no_head_breaks_inside_a_word_when_a_break_between_words_fits(text, chars, max_lines, size):
    width = chars * size
    fit = fit_head(text, M, width, size=size, fit=False, min_size=None, max_size=None, max_lines=max_lines)
    assert "".join(fit.lines).replace(" ", "") == text.replace(" ", "")
    assert all(natural_width(ln, M, fit.size) <= width + 1e-6 for ln in fit.lines)
    if inside_a_word(fit.lines, text):
        # only when no way of breaking between words fits on as many lines as the head may take
        assert break_head(text, M, fit.size, width, 6, whole_words=True) is None, fit.lines


def test_word_places_are_remembered_in_the_store(monkeypatch):
    class Store:
        def __init__(self):
            self.rows = {}

        def read(self, digest, suffix):
            return self.rows.get((digest, suffix))

        def write(self, digest, suffix, data):
            self.rows[(digest, suffix)] = data

    store = Store()
    memo.use_store(store)
    try:
        memo.clear()
        text = "国务院常务会议部署进一步扩大内需"
        first = hanwords.marks(text, "zh")
        assert any(suffix == ".words" for _, suffix in store.rows)
        memo.clear()  # (a new process: memory empty, the store kept)

        def no_segmenter(_text):
            raise AssertionError("segmented again")

        monkeypatch.setattr(hanwords, "_tagged", no_segmenter)
        assert hanwords.marks(text, "zh") == first
    finally:
        memo.use_store(None)  # (a build hands over its own store)
        memo.clear()


CAPTIONS = [
    "神舟九号飞船成功发射后航天员在轨道舱内向全国人民问好",
    "国务院常务会议部署进一步扩大内需促进经济平稳增长",
    "强烈台风来袭前渔船回港避风群众转移安置工作有序展开",
]


@settings(max_examples=60, deadline=None)
@given(text=st.sampled_from(CAPTIONS), chars=st.integers(min_value=5, max_value=14),
       align=st.sampled_from(["left", "center"]))
def test_a_ragged_caption_breaks_between_words(text, chars, align):
    from layout.text.api import ParagraphStyle
    from layout.text.paragraphs import compose_paragraph

    style = ParagraphStyle(size=10.0, indent=0.0, align=align, avoid_orphan=False)
    lines = [ln.text for ln in compose_paragraph(text, chars * 10.0, style, M)]
    assert "".join(lines) == text and len(lines) > 1
    assert not inside_a_word(lines, text), lines  # (these captions' words are all shorter than a line)


class LatinMetrics:
    """Every letter half an em, a space a quarter (no shaping)."""

    def advance(self, ch):
        return 0.25 if ch == " " else 0.5

    def has(self, ch):
        return True

    def advances(self, text: str, lang: str = "en", ligatures: bool = True) -> list[float]:
        return [self.advance(c) for c in text]


@settings(max_examples=80, deadline=None)
@given(chars=st.integers(min_value=12, max_value=40), max_lines=st.integers(min_value=2, max_value=3))
def test_an_english_head_line_never_ends_with_an_article_when_it_can_help_it(chars, max_lines):
    m = LatinMetrics()
    text = "An Illustrated Book of the Story of Three Kingdoms"
    width = chars * 0.5 * 20
    lines = break_head(text, m, 20, width, max_lines, lang="en")
    if lines is None or len(lines) == 1:
        return
    ends = [ln.split()[-1].lower() for ln in lines[:-1]]
    if any(e in ("a", "an", "the") for e in ends):
        # only when every other way to break it on these lines is wider than the frame
        widths = [natural_width(ln, m, 20, lang="en") for ln in lines]
        assert max(widths) <= width
        from itertools import combinations
        words = text.split()
        for n in range(2, max_lines + 1):
            for cut in combinations(range(1, len(words)), n - 1):
                parts = [" ".join(words[a:b]) for a, b in zip((0, *cut), (*cut, len(words)))]
                if all(p.split()[-1].lower() not in ("a", "an", "the") for p in parts[:-1]):
                    assert max(natural_width(p, m, 20, lang="en") for p in parts) > width, (lines, parts)


def test_the_english_corpus_head_keeps_of_the_with_its_noun():
    lines = break_head("An Illustrated Book of the Story of Three Kingdoms", LatinMetrics(), 20, 200, 3, lang="en")
    assert lines is not None and not any(ln.split()[-1] in ("the", "of") for ln in lines[:-1]), lines


@settings(max_examples=60, deadline=None)
@given(chars=st.integers(min_value=10, max_value=40), max_lines=st.integers(min_value=2, max_value=3))
def test_an_english_head_breaks_only_at_spaces_and_dashes(chars, max_lines):
    """Latin heads break between words (or after a dash): never after the apostrophe of
    "Iraq’s" nor inside "U.S." (Chinese rules allow a break after a closing mark)."""
    text = "130 flights carry Iraq’s U.S.-made ballots to the polls"
    lines = break_head(text, LatinMetrics(), 20, chars * 0.5 * 20, max_lines, lang="en")
    if lines is None:
        return
    words = set(text.replace("-", "- ").split())
    for ln in lines:
        for w in ln.replace("-", "- ").split():
            assert w in words, (lines, w)


def test_a_number_stays_with_what_it_counts_in_an_english_head():
    text = "Bloomberg donates ‘unprecedented’ $1.8 billion to Johns Hopkins"
    m = LatinMetrics()
    for chars in range(29, 40):  # (from the width of "‘unprecedented’ $1.8 billion")
        lines = break_head(text, m, 20, chars * 0.5 * 20, 3, lang="en")
        if lines and len(lines) > 1:
            assert not any(ln.endswith("$1.8") for ln in lines[:-1]), lines
