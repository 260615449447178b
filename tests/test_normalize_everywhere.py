"""Normalisation wherever text is set (issue 14, point 8): heads, kickers, subheads, bylines,
section heads, captions, credits, ads and the folio get GB/T 15834 marks like the body, every
change is a ``Normalized`` finding at its data path, invisible characters (U+200B) are dropped in
any language, and ASCII marks between Latin words of Chinese text are judged as clreq does."""

from __future__ import annotations

from layout.display import Glyphs
from layout.text.normalize import normalize

from compose_support import composed

PAGE = """\
page: {size: tabloid}
folio: {paper: 样报, date: '2025-05-21', page: 7, section: 科技(网络)}
articles:
- id: a
  frame: {column: 1, columns: 3, line: 1, lines: 60}
  kicker: 数据速览(截至10月25日)
  headline: {text: "占比68%,PDF文件过半", size: 24pt}
  subhead: 调查显示:多数用户"满意"
  byline: 记者 张三(实习)
  photos:
  - {file: images/wanfeng-lake.jpg, frame: {column: 1, columns: 2, line: 30, lines: 20}, caption: 万丰湖(资料图), credit: 摄影:李四}
  body:
  - "\\u200b调查显示,占68%,PDF文件过半."
  - {number: "1", head: 产业(名片)}
  - 后文照常。
ads:
- kind: public-service
  id: forest
  frame: {column: 4, columns: 2, line: 1, lines: 40}
  title: 预防森林火灾!
  characters: [护, 林]
  tagline: 守护绿色家园(全民参与)
"""


def test_every_text_on_the_page_is_normalised(tmp_path, root):
    import shutil

    (tmp_path / "images").mkdir()
    shutil.copy(root / "images" / "wanfeng-lake.jpg", tmp_path / "images")
    (tmp_path / "c.yaml").write_text(PAGE, encoding="utf-8")
    c = composed(tmp_path / "c.yaml")
    drawn = {}
    for it in c.page.items:
        if isinstance(it, Glyphs):
            drawn.setdefault(it.role, "")
            drawn[it.role] += it.text
    assert "（截至10月25日）" in drawn["kicker"]
    assert "68%，PDF" in drawn["headline"]
    assert "调查显示：多数用户“满意”" in drawn["subhead"]
    assert "（实习）" in drawn["byline"]
    assert "万丰湖（资料图）" in drawn["caption"] and "摄影：李四" in drawn["credit"]
    assert "（名片）" in drawn["section-head"]
    assert "科技（网络）" in drawn["folio-section"]
    assert "预防森林火灾！" in drawn["ad-title"] and "（全民参与）" in drawn["ad-tagline"]
    assert "\u200b" not in "".join(drawn.values())
    assert "调查显示，占68%，PDF文件过半。" in drawn["body"]
    # every change is reported at its place in the data
    paths = {f.at[:3] if f.at and f.at[0] == "articles" else f.at[:2] for f in c.notes.findings
             if type(f).__name__ == "Normalized"}
    for want in [("articles", 0, "kicker"), ("articles", 0, "headline"), ("articles", 0, "subhead"),
                 ("articles", 0, "byline"), ("articles", 0, "photos"), ("articles", 0, "body"),
                 ("folio", "section"), ("ads", 0)]:
        assert any(p[:len(want)] == want for p in paths), (want, paths)
    kinds = {f.mark for f in c.notes.findings if type(f).__name__ == "Normalized"}
    assert {"ascii-paren", "ascii-comma", "ascii-colon", "invisible"} <= kinds


def test_ascii_marks_between_latin_words_of_chinese_text():
    assert normalize("占68%,PDF文件").text == "占68%，PDF文件"
    assert normalize("共1,000人").text == "共1,000人"  # a thousands separator
    assert normalize("在3:30开会").text == "在3:30开会"  # a time
    assert normalize("网址http://a.cn").text == "网址http://a.cn"
    assert normalize("用e.g., Alpha Go等").text == "用e.g., Alpha Go等"  # English, with its space


def test_latin_text_gets_typographic_marks_and_no_invisible_characters():
    r = normalize("Hello\u200b world\ufeff", marks=False)
    assert r.text == "Hello world" and {c.kind for c in r.changes} == {"invisible"}
    # the typewriter marks of Latin text become the language's
    assert normalize("It's \"fine\", she said.", marks=False).text == "It’s “fine”, she said."
    assert normalize("Er sagte \"ja\" -- gut...", marks=False, lang="de").text == "Er sagte „ja“ — gut…"
    assert normalize("in 1990--2000 the '90s", marks=False).text == "in 1990–2000 the ’90s"


LINES = """\
page: {size: tabloid}
folio: {paper: 样报, date: '2025-05-21', page: 7, section: 要闻}
typography: {normalize: NORMALIZE}
articles:
- id: a
  frame: {column: 1, columns: 3, line: 1, lines: 60}
  headline: {text: "实力高新\\n出圈有道", size: 24pt}
  byline: "记者 张三\\r\\n李四"
  photos:
  - {file: images/wanfeng-lake.jpg, frame: {column: 1, columns: 2, line: 30, lines: 20}, caption: "图说第一行\\n图说第二行"}
  body:
  - |
    第一段第一行，用字面块写的
    第二行在同一段里。AI
    模型和	Latin
    words.
"""


def test_line_breaks_and_tabs_in_copy_are_white_space_never_a_glyph(tmp_path, root):
    """A CMS's or a YAML block's line breaks and tabs (which no font sets: a .notdef box on the
    page before) are white space as CSS Text 3 makes segment breaks: gone inside Chinese copy,
    a 　 between two phrases of a one-line text, a space between Latin words; each is a
    Normalized finding, and so even with ``typography.normalize`` off."""
    import shutil

    (tmp_path / "images").mkdir()
    shutil.copy(root / "images" / "wanfeng-lake.jpg", tmp_path / "images")
    for normalize in ("true", "false"):
        (tmp_path / "c.yaml").write_text(LINES.replace("NORMALIZE", normalize), encoding="utf-8")
        c = composed(tmp_path / "c.yaml")
        drawn: dict[str, str] = {}
        for it in c.page.items:
            if isinstance(it, Glyphs):
                drawn[it.role] = drawn.get(it.role, "") + it.text
        text = "".join(drawn.values())
        assert not any(ch in text for ch in "\n\r\t"), normalize
        assert "实力高新\u3000出圈有道" in drawn["headline"]
        assert "张三\u3000李四" in drawn["byline"]
        assert "图说第一行图说第二行" in drawn["caption"]
        body = drawn["body"].replace(" ", "")  # (lines are drawn in runs; spaces are gaps)
        assert "用字面块写的第二行在同一段里。AI模型和Latinwords." in body
        kinds = [f.mark for f in c.notes.findings if type(f).__name__ == "Normalized"]
        assert kinds.count("line-break") >= 5 and kinds.count("tab") == 1, kinds
