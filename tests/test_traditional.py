"""Traditional Chinese (issue 14, point 5): ``language: zh-Hant`` / ``zh-HK`` take the face's
Traditional forms through ``locl`` (centred ，。、, no TTC-index juggling), every mark a full em
(no compression by default), 「」『』 as the quotes normalisation makes, and the same audit."""

from __future__ import annotations

import pytest

from layout.display import Glyphs
from layout.fonts.registry import FontRegistry
from layout.text import audit_lines, compose_paragraph
from layout.text.api import ParagraphStyle
from layout.text.languages import conventions
from layout.text.normalize import normalize

from compose_support import composed

SIZE = 9.0
TEXT = "強烈颱風「樺加沙」（國際命名RAGASA）中心目前位在鵝鑾鼻東南方海面，正逐漸向西轉西北西方向移動。其暴風圈已逐漸進入臺灣東南部近海，對臺灣本島及周邊海域構成顯著威脅。"


@pytest.fixture(scope="module")
def body():
    return FontRegistry.load().stack("body")


@pytest.mark.parametrize("lang", ["zh-Hant", "zh-HK"])
def test_traditional_marks_are_the_faces_centred_forms(body, lang):
    hans = [s.gids for _, s in body.shaped_runs("，。、", "zh")]
    hant = [s.gids for _, s in body.shaped_runs("，。、", lang)]
    assert hans != hant  # the same face, other glyphs: locl for the language


def test_traditional_marks_are_never_compressed(body):
    style = ParagraphStyle(size=SIZE, lang="zh-Hant", compress=False)
    lines = compose_paragraph(TEXT, 13 * SIZE, style, body)
    for ln in lines:
        for i, ch in enumerate(ln.text):
            if ch in "，。、「」（）":
                assert ln.widths[i] == pytest.approx(SIZE), (ln.text, ch)  # a full em, always
    audit = audit_lines(lines, 13 * SIZE, style, body)
    assert all(audit[k] == 0 for k in ("prohibited_start", "prohibited_end", "ragged", "overlaps",
                                       "ascii_punct", "letterspaced")), audit
    # the mainland setting of the same text does compress (a mark at a line end, pairs)
    gb = compose_paragraph(TEXT, 13 * SIZE, ParagraphStyle(size=SIZE), body)
    assert any(ln.widths[i] < SIZE - 0.01 for ln in gb for i, ch in enumerate(ln.text) if ch in "，。、「」（）")


def test_normalisation_makes_corner_quotes_for_traditional():
    q = conventions("zh-Hant").quotes
    r = normalize('他說"我們要\'努力\'工作"。', q)
    assert r.text == "他說「我們要『努力』工作」。"
    r = normalize("他說“好”。", q)
    assert r.text == "他說「好」。" and {c.kind for c in r.changes} == {"quote-style"}
    assert normalize('他说"好"。').text == "他说“好”。"  # Simplified keeps GB quotes


def _page(tmp_path, lang, compress=None):
    typography = f"typography: {{language: {lang}" + (f", compress: {str(compress).lower()}" if compress is not None else "") + "}\n"
    (tmp_path / "c.yaml").write_text(
        "page: {size: tabloid}\n"
        "folio: {paper: 語料樣報, date: '2025-09-23', page: 3, section: 數位}\n" + typography +
        "articles:\n"
        "- id: a\n"
        "  frame: {column: 1, columns: 2, line: 1, lines: 30}\n"
        "  headline: {text: 強烈颱風「樺加沙」來襲, size: 22pt}\n"
        f"  body: ['{TEXT}', '他說\"務必注意安全\"。']\n", encoding="utf-8")
    return composed(tmp_path / "c.yaml")


def test_a_zh_hant_page_draws_traditional_glyphs_and_corner_quotes(tmp_path, body):
    c = _page(tmp_path, "zh-Hant")
    runs = [it for it in c.page.items if isinstance(it, Glyphs) and it.role == "body"]
    text = "".join(r.text for r in runs)
    assert "「務必注意安全」" in text  # normalised to the primary quotes
    centred = dict(zip("，。、", [g for _, s in body.shaped_runs("，。、", "zh-Hant") for g in s.gids]))
    seen = 0
    for r in runs:
        for gid, cl in zip(r.glyphs, r.clusters):
            ch = r.text[cl]
            if ch in centred:
                assert gid == centred[ch]
                seen += 1
    assert seen > 3
    assert c.notes.text_audit["ascii_punct"] == 0 and c.notes.text_audit["prohibited_start"] == 0


def test_compression_can_be_asked_for_on_a_traditional_page(tmp_path):
    full = _page(tmp_path, "zh-Hant")
    squeezed = _page(tmp_path, "zh-Hant", compress=True)

    def mark_widths(c):
        return [w for it in c.page.items if isinstance(it, Glyphs) and it.role == "body"
                for ch, w in zip(it.text, it.widths) if ch in "，。、"]

    assert min(mark_widths(full)) == pytest.approx(max(mark_widths(full)))
    assert min(mark_widths(squeezed)) < max(mark_widths(squeezed)) - 0.01
