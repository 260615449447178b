"""Articles as modules: headline fitting and balancing, rules between stories, tints, column
rules, bleeding photos; checked on the display list."""

from __future__ import annotations

import shutil

import pytest
import yaml

from compose_support import composed
from layout.compose.heads import break_head, fit_head
from layout.compose.textset import natural_width
from layout.display import Glyphs, Image, Line, Rect
from layout.model.source import load_file
from layout.model.validate import validate


class HanMetrics:
    def advance(self, ch):
        return 1.0 if ord(ch) > 0x2E80 else 0.5

    def has(self, ch):
        return True

    def advances(self, text: str, lang: str = "zh", ligatures: bool = True) -> list[float]:
        """Unshaped: each character its own advance (no kerning, no ligatures)."""
        return [self.advance(c) for c in text]


M = HanMetrics()


def test_head_on_one_line_when_it_fits():
    assert break_head("实力高新　出圈有道", M, 40, 400, 2) == ["实力高新　出圈有道"]


def test_head_breaks_at_the_phrase_space_balanced():
    lines = break_head("实力高新　出圈有道", M, 40, 200, 2)
    assert lines == ["实力高新", "出圈有道"]


def test_head_without_spaces_balanced_upper_not_shorter():
    lines = break_head("株洲高新区高质量发展新篇章", M, 30, 220, 2)
    assert lines is not None and len(lines) == 2
    w = [natural_width(l, M, 30) for l in lines]
    assert w[0] >= w[1] and w[0] - w[1] <= 30


def test_head_never_starts_a_line_with_a_mark():
    for width in range(60, 400, 20):
        lines = break_head("服务体系，提标增效。文旅品牌，新潮多彩", M, 20, width, 3)
        if lines:
            assert all(l[0] not in "，。" for l in lines[1:])


def test_fit_takes_the_largest_size_that_fills_the_width():
    fit = fit_head("实力高新出圈有道", M, 800, size=60, fit=True, min_size=30, max_size=120, max_lines=1)
    assert not fit.shrunk and not fit.wrapped and fit.lines == ["实力高新出圈有道"]
    assert fit.size == 100  # 8 characters across 800 pt
    fixed = fit_head("实力高新出圈有道", M, 800, size=60, fit=False, min_size=None, max_size=None, max_lines=1)
    assert fixed.size == 60


def test_a_head_too_long_wraps_at_its_minimum_and_never_shrinks_below_it():
    fit = fit_head("很长的标题" * 4, M, 200, size=40, fit=True, min_size=30, max_size=40, max_lines=2)
    assert fit.size == 30 and fit.wrapped and not fit.shrunk and len(fit.lines) > 2
    assert all(natural_width(ln, M, fit.size) <= 200 for ln in fit.lines)
    assert "".join(fit.lines) == "很长的标题" * 4


def test_a_head_shrinks_to_its_minimum_before_it_wraps():
    text = "株洲高新区高质量发展新篇章"  # 13 em
    fit = fit_head(text, M, 380, size=40, fit=False, min_size=28, max_size=None, max_lines=1)
    assert fit.lines == [text] and fit.size == 29  # the largest half point that fits: 380 / 13
    assert not fit.wrapped and natural_width(text, M, fit.size) <= 380
    narrower = fit_head(text, M, 350, size=40, fit=False, min_size=28, max_size=None, max_lines=1)
    assert narrower.size == 28 and narrower.wrapped and len(narrower.lines) == 2  # then it wraps
    no_min = fit_head(text, M, 380, size=40, fit=False, min_size=None, max_size=None, max_lines=1)
    assert no_min.size == 40 and len(no_min.lines) == 2 and no_min.wrapped  # keeps its size, wraps


def test_a_head_breaks_between_words_not_inside_names_numbers_or_quotes():
    for width in range(120, 420, 15):
        for text in ("关于2024年「智慧株洲」建设的通知", "《规章制定程序条例（修订草案征求意见稿）》公开征求意见"):
            lines = break_head(text, M, 20, width, 4)
            if not lines:
                continue
            for a, b in zip(lines, lines[1:]):
                assert not (a[-1].isdigit() and b[0] in "0123456789年"), lines
            if "关于" in text and len(lines) == 2 and width >= natural_width("「智慧株洲」建设的通知", M, 20):
                assert "「智慧株洲」" in "".join(ln for ln in lines if "「" in ln), lines


def test_an_opening_mark_at_a_head_start_does_not_indent_it():
    from layout.compose.textset import set_line
    runs = set_line("《规章》", font="h", metrics=M, size=20, x=100, baseline=50, width=300, align="left",
                    trim_open=True)
    assert runs[0].xs[0] == pytest.approx(90)  # its blank half hangs out of the box


PAGE = """
page: {size: berliner}
folio: {paper: 示例日报, date: 2025-01-06, page: 2}
articles:
  - id: top
    frame: {column: 1, columns: 6, line: 1, lines: 50}
    headline: {text: 头条标题自动适应宽度, size: 40pt, fit: true, max_size: 80pt}
    column_rules: true
    photos:
      - {file: images/p.jpg, frame: {column: 1, columns: 3, line: 28, lines: 20}, caption: 图, bleed: [left]}
    body: [PARA]
  - id: side
    frame: {column: 1, columns: 3, line: 51, lines: 40}
    tint: tint
    headline: {text: 侧栏, size: 24pt, align: left}
    body: [PARA]
  - id: third
    frame: {column: 4, columns: 3, line: 51, lines: 40}
    rule_above: false
    headline: {text: 第三条, size: 24pt, align: left}
    photos:
      - {file: images/p.jpg, frame: {column: 5, columns: 2, line: 51, lines: 12}, caption: 压住标题的图}
    body: [PARA]
"""


@pytest.fixture(scope="module")
def modules_page(tmp_path_factory, root):
    folder = tmp_path_factory.mktemp("modules")
    (folder / "images").mkdir()
    shutil.copy(root / "images" / "power-valley.jpg", folder / "images" / "p.jpg")
    para = "城市品牌是城市特点、魅力的集中展现，更是城市对自我的认同和追求，必将持续汇聚凝聚力、吸引力和辐射力。" * 3
    (folder / "content.yaml").write_text(PAGE.replace("PARA", para), encoding="utf-8")
    c = composed(folder / "content.yaml")
    return c.v, c.page, c.notes


def test_fitted_head_fills_the_frame(modules_page):
    v, page, _ = modules_page
    head = next(i for i in page.items if isinstance(i, Glyphs) and i.role == "headline" and i.source == "top:headline")
    width = v.grid.span_width(6)
    assert 40 < head.size <= 80
    assert head.right - head.xs[0] <= width + 0.01
    assert head.size == 80 or head.right - head.xs[0] > width - head.size


def test_rule_above_second_row_only(modules_page):
    v, page, _ = modules_page
    rules = [i for i in page.items if getattr(i, "role", "") == "article-rule"]
    assert len(rules) == 1  # `side` (line 51) gets one; `top` starts the page; `third` opted out
    assert rules[0].y == pytest.approx(v.grid.line_top(51) + v.grid.pitch / 2 - 0.375)  # mid-line


def test_tint_behind_the_sidebar(modules_page):
    v, page, _ = modules_page
    tint = next(i for i in page.items if getattr(i, "role", "") == "article-tint")
    assert tint.fill == (0.0, 0.0, 0.0, 0.1)
    idx = page.items.index(tint)
    side_text = [j for j, i in enumerate(page.items) if isinstance(i, Glyphs) and i.source.startswith("side:")]
    assert side_text and all(j > idx for j in side_text)  # painted first, text on top
    for j in side_text:
        it = page.items[j]
        assert tint.x <= it.x and it.right <= tint.x + tint.w


def test_column_rules_skip_the_photo(modules_page):
    v, page, _ = modules_page
    rules = [i for i in page.items if isinstance(i, Line) and i.role == "column-rule"]
    assert rules
    photo = next(i for i in page.items if isinstance(i, Image))
    for r in rules:
        inside_x = photo.x < r.x1 < photo.x + photo.w
        overlaps_y = r.y1 < photo.y + photo.h and photo.y < r.y2
        assert not (inside_x and overlaps_y)


def test_photo_over_the_heads_is_warned(modules_page):
    _, _, notes = modules_page
    warned = [w for w in notes.warnings if "headline block" in w]
    assert len(warned) == 1 and "'third'" in warned[0]


def test_bleeding_photo_reaches_the_bleed_box(modules_page):
    v, page, _ = modules_page
    photo = next(i for i in page.items if isinstance(i, Image))
    assert photo.x == pytest.approx(-v.grid.bleed)
    assert photo.x + photo.w == pytest.approx(v.grid.column_x(3) + v.grid.column_width)
    caption = next(i for i in page.items if isinstance(i, Glyphs) and i.role == "caption")
    assert caption.xs[0] >= v.grid.left - 0.01  # the caption stays in the column


@pytest.mark.parametrize("photo_line, stranded", [(14, True), (15, False)])
def test_a_line_alone_above_a_photo_is_noted(tmp_path, root, photo_line, stranded):
    """The corpus's p7: the head block of 'federalist-2' takes three lines, so the photo framed
    at line 14 leaves its two columns one line above it; a line lower, two."""
    from layout.findings import Notice

    src = root / "examples" / "corpus" / "p7-english-berliner"
    shutil.copytree(src, tmp_path / "p", symlinks=True)
    data = yaml.safe_load((src / "content.yaml").read_text(encoding="utf-8"))
    art = next(a for a in data["articles"] if a["id"] == "federalist-2")
    art["photos"][0]["frame"]["line"] = photo_line
    (tmp_path / "p" / "content.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    c = composed(tmp_path / "p" / "content.yaml")
    notes = [f for f in c.notes.findings if isinstance(f, Notice) and f.code == "line-stranded"]
    assert bool(notes) == stranded, notes
    assert all(f.article == "federalist-2" and f.severity == "note" for f in notes)
    if stranded:  # one line in each of the photo's two columns
        assert len(notes) == 2 and all("line 12" in f.message for f in notes), notes


CAPTION_PAGE = """
page: {size: berliner}
folio: {paper: 示例日报, date: 2025-01-06, page: 2}
articles:
  - id: grain
    frame: {column: 1, columns: 6, line: 1, lines: 60}
    headline: {text: 全国粮食总产量再创新高, size: 30pt}
    photos:
      - {file: images/p.jpg, frame: {column: 1, columns: 2, line: 8, lines: 24}, caption: CAPTION RESERVE}
    body: [PARA]
"""
#: a real caption's length (新华社's captions run to two or three lines of a two-column photo)
LONG_CAPTION = "国家统计局发布数据显示，全国粮食总产量再创历史新高，农业农村现代化扎实推进。图为农民在田间收割小麦"


def _captions(tmp_path, root, reserve: str):
    from layout.findings import Notice

    (tmp_path / "images").mkdir(parents=True, exist_ok=True)
    shutil.copy(root / "images" / "power-valley.jpg", tmp_path / "images" / "p.jpg")
    para = "城市品牌是城市特点、魅力的集中展现，更是城市对自我的认同和追求。" * 6
    text = CAPTION_PAGE.replace("PARA", para).replace("CAPTION", LONG_CAPTION).replace(" RESERVE", reserve)
    (tmp_path / "content.yaml").write_text(text, encoding="utf-8")
    c = composed(tmp_path / "content.yaml")
    runs = [i for i in c.page.items if isinstance(i, Glyphs) and i.role == "caption"]
    notes = [f for f in c.notes.findings if isinstance(f, Notice) and f.code == "caption-shrunk"]
    return c, runs, notes


def test_a_long_caption_wraps_onto_the_lines_kept_for_it(tmp_path, root):
    c, runs, notes = _captions(tmp_path, root, ", caption_lines: 4")
    g = c.v.grid
    baselines = sorted({round(r.y, 2) for r in runs})
    assert len(baselines) >= 2 and notes == []
    assert all(r.size == 9.0 for r in runs)
    assert all(abs((b - a) - g.pitch) < 0.01 for a, b in zip(baselines, baselines[1:]))  # a grid line each
    x0, w = g.column_x(1), g.span_width(2)
    for r in runs:  # every character inside the photo's width
        assert min(r.xs) >= x0 - 0.01 and max(x + wd for x, wd in zip(r.xs, r.widths)) <= x0 + w + 0.01
    assert "".join(r.text for r in sorted(runs, key=lambda r: (r.y, r.x))).replace("▲", "") == LONG_CAPTION


def test_a_caption_without_room_is_set_smaller_and_the_desk_is_told(tmp_path, root):
    _, roomy, _ = _captions(tmp_path / "roomy", root, ", caption_lines: 6")
    wanted = len({round(r.y, 2) for r in roomy})  # lines the caption takes at its size
    c, runs, notes = _captions(tmp_path / "tight", root, "")
    assert len({round(r.y, 2) for r in runs}) == 1 and runs[0].size < 7.0
    assert [(n.article, n.severity) for n in notes] == [("grain", "warning")]
    assert f"caption_lines: {wanted + 1}" in notes[0].message  # (its lines and the blank line)


def test_a_section_number_stays_inside_its_square(tmp_path):
    """"123" spilled out of its accent square and "第十一" lost two characters; a number wider
    than the square is set smaller, and one that has to shrink far is named in the report."""
    page = """\
page: {size: tabloid}
folio: {paper: 样报, date: '2025-05-21', page: 7, section: 要闻}
articles:
- id: a
  frame: {column: 1, columns: 3, line: 1, lines: 60}
  headline: {text: 小标题序号, size: 24pt}
  body:
  - {number: "1", head: 一位数}
  - 正文一段。
  - {number: "123", head: 三位数}
  - 正文一段。
  - {number: "第十一", head: 中文序号}
  - 正文一段。
"""
    (tmp_path / "c.yaml").write_text(page, encoding="utf-8")
    c = composed(tmp_path / "c.yaml")
    squares = [it for it in c.page.items if isinstance(it, Rect) and it.role == "section-number"]
    numbers = [it for it in c.page.items if isinstance(it, Glyphs) and it.role == "section-number"]
    assert len(squares) == 3 and "".join(n.text for n in numbers) == "1123第十一"
    for n in numbers:  # (a run's xs are page positions)
        left, right = n.xs[0], n.xs[-1] + n.widths[-1]
        sq = min(squares, key=lambda s: abs(s.y + s.h / 2 - n.y) + abs(s.x + s.w / 2 - (left + right) / 2))
        assert sq.x - 0.01 <= left and right <= sq.x + sq.w + 0.01, (n.text, left, right, sq)
    notes = [f for f in c.notes.findings if getattr(f, "code", "") == "section-number-long"]
    assert [f.message.split("'")[1] for f in notes] == ["第十一"]


@pytest.mark.parametrize("count", [2, 12, 60])
def test_a_public_service_ads_circles_stay_in_its_frame(tmp_path, count):
    """60 slogan characters in a 10-line frame ran 17 lines below it, over the story under the
    ad; the rows of six shrink, then take more characters a row, inside the frame."""
    chars = ", ".join(("护林常抓不懈防火警钟长鸣" * 5)[:count])
    page = f"""\
page: {{size: tabloid}}
folio: {{paper: 样报, date: '2025-05-21', page: 7, section: 要闻}}
articles:
- id: a
  frame: {{column: 1, columns: 3, line: 1, lines: 60}}
  headline: {{text: 公益广告, size: 24pt}}
  body: [正文一段。]
ads:
- kind: public-service
  id: psa
  frame: {{column: 4, columns: 2, line: 1, lines: 10}}
  title: 预防森林火灾
  characters: [{chars}]
  tagline: 守护绿色家园
  slogan: 森林防火　人人有责
"""
    (tmp_path / "c.yaml").write_text(page, encoding="utf-8")
    c = composed(tmp_path / "c.yaml")
    border = next(it for it in c.page.items if getattr(it, "role", "") == "ad-border")
    circles = [it for it in c.page.items if getattr(it, "role", "") == "ad-circle"]
    assert len(circles) == count
    for e in circles:
        assert border.y <= e.y and e.y + e.h <= border.y + border.h + 0.01, (e, border)
