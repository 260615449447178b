"""Full-width punctuation typed as YAML syntax gets its own diagnosis, with the caret on the mark."""

import pytest

from layout.errors import InputError
from layout.model.fullwidth import fixed, syntax_marks
from layout.model.source import load_text
from layout.model.validate import validate

PAGE = """\
page: {size: berliner}
folio: {paper: 示例日报, date: 2026-01-05, page: 2}
articles:
  - id: lead
    frame: {column: 1, columns: 6, line: 1, lines: 60}
    headline: {text: 标题，副题, size: 48pt}
    body:
      - 正文，有逗号：也有冒号。
"""


def _diagnose(text):
    with pytest.raises(InputError) as e:
        validate(load_text(text, "content.yaml"))
    return e.value.diagnostics


@pytest.mark.parametrize("before, after, mark, column", [
    ("{column: 1, columns: 6", "{column: 1，columns: 6", "，", 22),
    ("{column: 1, columns: 6", "{column：1, columns: 6", "：", 19),
    ("frame: {column", "frame：{column", "：", 10),
    ("{column: 1, columns: 6, line: 1, lines: 60}", "｛column: 1, columns: 6, line: 1, lines: 60｝", "｛", 12),
    ("  - id: lead", "  - id：lead", "：", 9),
])
def test_a_full_width_mark_as_syntax_is_named_and_pointed_at(before, after, mark, column):
    assert before in PAGE
    diags = _diagnose(PAGE.replace(before, after, 1))
    d = diags[0]
    assert d.code == "fullwidth-syntax", d.format()
    assert f"'{mark}'" in d.message
    line = PAGE.replace(before, after, 1).splitlines()[d.line - 1]
    assert line[d.column - 1] == mark
    assert "half-width" in d.hint and fixed(line).strip() in d.hint
    assert not syntax_marks(fixed(line))


def test_full_width_marks_in_text_are_text():
    assert validate(load_text(PAGE, "content.yaml")).doc.articles[0].headline.text == "标题，副题"
    assert syntax_marks("      - 正文，有逗号：也有冒号。") == []
    assert syntax_marks("    caption: 万丰湖，夜景：美") == []


def test_a_full_width_comma_between_chinese_words_in_a_flow_is_text():
    assert syntax_marks("    body: {text: 城市品牌，也叫城市IP。}") == []
    assert syntax_marks("    x: [1，2]") == [9]
