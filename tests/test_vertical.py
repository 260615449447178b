"""Vertical setting (issue 15): which characters turn, the composer along the vertical axis, the
two vertical example pages built and read back from their PDFs (reading order, vertical lines on
the grid, nothing outside its frame, no prohibited character at a vertical line's top or
bottom), and bad input."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

import pdfplumber
import pytest

from layout.display import Glyphs
from layout.fonts.registry import FontRegistry
from layout.model.content import SectionHead
from layout.model.source import load_file
from layout.model.validate import validate
from layout.text import audit_lines, compose_paragraph
from layout.text import rules_zh as R
from layout.text.api import ParagraphStyle
from layout.text.languages import conventions
from layout.text.normalize import normalize
from layout.text.vertical import VerticalMetrics, orientation, orientation_runs

from compose_support import composed

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ["vertical", "vertical-taiwan"]
SIZE = 9.0
#: never at the top / bottom of a vertical line (written out here, not read from the rules)
NEVER_TOP = "，。、；：！？」』）》〉】”’"
NEVER_BOTTOM = "「『（《〈【“‘"


def test_what_stands_upright_and_what_turns():
    assert all(orientation(c) == "upright" for c in "中文。，、「」（）——……“”々〇")
    assert all(orientation(c) == "sideways" for c in "AZaz09.-/%")
    runs = orientation_runs("2024年9月28日发布IPv6，增长12.5%，共3家")
    kinds = {("2024年9月28日发布IPv6，增长12.5%，共3家"[r.start:r.end], r.kind) for r in runs}
    assert ("2024", "sideways") in kinds and ("9", "tcy") in kinds and ("28", "tcy") in kinds
    assert ("IPv6", "sideways") in kinds and ("12.5%", "sideways") in kinds and ("3", "tcy") in kinds
    assert ("123", "sideways") in {(t, k) for t, k in {("123", r.kind) for r in orientation_runs("共123家")}}
    assert [r.kind for r in orientation_runs("第123條", tcy=3)][1] == "tcy"


@pytest.fixture(scope="module")
def vmetrics():
    return VerticalMetrics(FontRegistry.load().stack("body"))


def test_vertical_advances(vmetrics):
    advs = vmetrics.advances("中28日AI", "zh")
    assert advs[0] == 1.0 and advs[1:3] == [1.0, 0.0] and advs[3] == 1.0  # 28 combined in one em
    latin = FontRegistry.load().stack("body").advances("AI", "zh")
    assert advs[4:] == pytest.approx(latin)  # turned: its horizontal width runs down the line


@pytest.mark.parametrize("lang", ["zh", "zh-Hant"])
def test_the_same_composer_sets_a_vertical_line(vmetrics, lang):
    text = ("9月28日，2024年株洲高新区企业大会召开，近1000名企业家代表欢聚一堂。大会主题为“共建服务能力，"
            "共享产业生态”，是株洲高新区连续第2年召开企业大会。AI系统、IPv6网络（第5代）……都在其中。")
    style = ParagraphStyle(size=SIZE, lang=lang, compress=lang == "zh")
    for chars in (10, 14, 20, 27):
        lines = compose_paragraph(text, chars * SIZE, style, vmetrics)
        for prev, ln in zip(lines, lines[1:]):
            assert ln.text[0] not in NEVER_TOP and prev.text[-1] not in NEVER_BOTTOM, (prev.text, ln.text)
        for ln in lines[:-1]:
            assert ln.width == pytest.approx(chars * SIZE, abs=0.05), ln.text  # every line fills its tier
        audit = audit_lines(lines, chars * SIZE, style, vmetrics)
        assert all(audit[k] == 0 for k in ("prohibited_start", "prohibited_end", "ragged", "overlaps",
                                           "letterspaced")), audit


@pytest.fixture(scope="module", params=EXAMPLES)
def built(request, tmp_path_factory):
    name = request.param
    content = ROOT / "examples" / name / "content.yaml"
    out = tmp_path_factory.mktemp(name) / f"{name}.pdf"
    r = subprocess.run([sys.executable, "-m", "layout", "build", str(content), "-o", str(out), "--json"],
                       capture_output=True, text=True, cwd=ROOT)
    assert r.returncode == 0, r.stderr
    return name, content, out, json.loads(r.stdout)


def _squash(s: str) -> str:
    return re.sub(r"[\s\-]", "", s)


def test_the_vertical_pages_read_back_in_order(built):
    """pdfplumber in the order the page draws (top to bottom, right to left), and poppler's
    ``-raw`` mode: every paragraph whole, in order within its story."""
    name, content, pdf, report = built
    assert report["text_audit"]["prohibited_start"] == 0 and report["text_audit"]["prohibited_end"] == 0
    assert [f for f in report["findings"] if f["kind"] == "overset"] == []
    v = validate(load_file(content))
    conv = conventions(v.doc.typography.language)
    with pdfplumber.open(pdf) as doc:
        drawn = _squash("".join(c["text"] for c in doc.pages[0].chars))
    raw = _squash(subprocess.run(["pdftotext", "-raw", str(pdf), "-"], capture_output=True, text=True,
                                 check=True).stdout)
    for art in v.doc.articles:
        if art.direction != "vertical":
            continue
        pos = rpos = -1
        for block in art.body:
            text = block.head if isinstance(block, SectionHead) else block
            want = _squash(normalize(text, conv.quotes).text)
            at = drawn.find(want, pos + 1)
            assert at > pos, (art.id, text[:30])
            pos = at
            rat = raw.find(want, rpos + 1)
            assert rat > rpos, ("pdftotext -raw", art.id, text[:30])
            rpos = rat


def _vertical_lines(chars):
    """Upright characters of vertical text grouped into vertical lines: same column centre,
    consecutive one under the other."""
    by_column = defaultdict(list)
    for c in chars:
        if c["upright"] and abs((c["x1"] - c["x0"]) - (c["bottom"] - c["top"])) < 0.5:
            by_column[(round((c["x0"] + c["x1"]) / 2, 1), round(c["x1"] - c["x0"], 1))].append(c)
    lines = []
    for key, cs in by_column.items():
        cs.sort(key=lambda c: c["top"])
        run = [cs[0]]
        for c in cs[1:]:
            if c["top"] - run[-1]["bottom"] > c["x1"] - c["x0"] + 1:  # a gap: another tier
                lines.append(run)
                run = []
            run.append(c)
        lines.append(run)
    return lines


def test_vertical_lines_have_no_prohibited_top_or_bottom(built):
    name, _, pdf, _ = built
    with pdfplumber.open(pdf) as doc:
        chars = doc.pages[0].chars
    # vertical glyphs: drawn with a vertical (Identity-V) font, their advance runs down the page
    vchars = [c for c in chars if c["adv"] < 0]
    assert len(vchars) > 500, len(vchars)
    lines = [ln for ln in _vertical_lines(vchars) if len(ln) > 3]
    assert len(lines) > 40
    for ln in lines:
        text = "".join(c["text"] for c in ln)
        assert text[0] not in NEVER_TOP, text
        assert text[-1] not in NEVER_BOTTOM, text


def test_vertical_text_sits_on_the_grid_inside_its_frames(built):
    name, content, _, _ = built
    c = composed(content)
    g = c.v.grid
    for art in c.v.doc.articles:
        if art.direction != "vertical":
            continue
        x, top, w, h = g.rect(art.frame.column, art.frame.columns, art.frame.line, art.frame.lines)
        runs = [it for it in c.page.items if isinstance(it, Glyphs) and it.source.startswith(art.id + ":")]
        body = [r for r in runs if r.role == "body" and r.vertical]
        assert body
        centres = {round(r.y, 3) for r in body}
        right = max(centres)
        for cx in centres:  # one body-line pitch apart, from the rightmost line
            steps = (right - cx) / g.pitch
            assert abs(steps - round(steps)) < 1e-6, (art.id, cx)
        for r in runs:
            if r.vertical:
                assert x - 0.01 <= r.y - r.size / 2 and r.y + r.size / 2 <= x + w + 0.01, (art.id, r.text)
                assert top - 0.01 <= min(r.xs) and max(r.xs) + r.size <= top + h + 0.01, (art.id, r.text)
            elif r.angle:  # turned Latin: its em box across the column, inside the frame
                assert x - 0.01 <= r.x <= x + w and top <= r.y <= top + h, (art.id, r.text)


def test_a_horizontal_story_with_a_vertical_head(tmp_path):
    c = composed(ROOT / "examples" / "vertical" / "content.yaml")
    head = [it for it in c.page.items if isinstance(it, Glyphs) and it.source == "lead:headline" and it.role == "headline"]
    assert head and all(h.vertical for h in head)
    body = [it for it in c.page.items if isinstance(it, Glyphs) and it.source.startswith("lead:body")]
    assert body and not any(b.vertical for b in body)
    # the heads stand right of the body
    assert min(h.y - h.size / 2 for h in head) > max(b.right for b in body)


BAD = """\
page: {size: tabloid}
folio: {paper: 样报, date: '2025-05-21', page: 7}
articles:
- id: a
  frame: {column: 1, columns: 1, line: 1, lines: 6}
  direction: vertical
  headline: {text: 一个很长很长的竖排标题放不下, size: 40pt}
  body: [正文一段。]
"""


def test_a_vertical_module_too_small_is_a_located_error(tmp_path):
    (tmp_path / "c.yaml").write_text(BAD, encoding="utf-8")
    r = subprocess.run([sys.executable, "-m", "layout", "build", str(tmp_path / "c.yaml"), "-o",
                        str(tmp_path / "c.pdf")], capture_output=True, text=True, cwd=ROOT)
    assert r.returncode == 1, r.stdout + r.stderr
    assert "c.yaml:5:" in r.stderr and "vertical" in r.stderr and "Traceback" not in r.stderr
    assert not (tmp_path / "c.pdf").exists()


def test_an_unknown_direction_is_a_located_error(tmp_path):
    (tmp_path / "c.yaml").write_text(BAD.replace("direction: vertical", "direction: sideways"), encoding="utf-8")
    r = subprocess.run([sys.executable, "-m", "layout", "check", str(tmp_path / "c.yaml")], capture_output=True,
                       text=True, cwd=ROOT)
    assert r.returncode == 1 and "c.yaml:6:" in r.stderr and "vertical" in r.stderr, r.stderr
