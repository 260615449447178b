"""The corpus (issue 14, point 9): pages set from real public texts the engine was not tuned on
(``examples/corpus/``: 6, 8, 10 columns; Simplified and Traditional Chinese; heavy Latin, numbers
and URLs; English, and English quoting Chinese). Each is built as the press would get it and:

* audited by the build's own audit with every fault count 0: prohibited line starts and ends,
  split pairs, ragged and overfull lines, single-character last lines (孤字, runts), overlapping
  glyphs, ASCII marks left in Chinese text, letter-spaced Latin; no story overset;
* read back with pdfplumber, in the order the page draws its text: every paragraph of every story
  is there whole (as normalisation set it; hyphens and white space aside), in order within its
  story - no character lost;
* composed again: every Chinese head that wraps breaks between words.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pdfplumber
import pytest

from layout.model.content import SectionHead
from layout.model.source import load_file
from layout.model.validate import validate
from layout.text.languages import conventions
from layout.text.normalize import normalize

ROOT = Path(__file__).resolve().parents[1]
PAGES = sorted(p.parent.name for p in (ROOT / "examples" / "corpus").glob("*/content.yaml"))
FAULTS = ("prohibited_start", "prohibited_end", "split_pairs", "ragged", "overfull", "orphans", "overlaps",
          "ascii_punct", "letterspaced")


def test_the_corpus_is_varied():
    """At least six pages, at 6, 8 and 10 columns, in zh, zh-Hant and en."""
    assert len(PAGES) >= 6
    columns, languages = set(), set()
    for name in PAGES:
        v = validate(load_file(ROOT / "examples" / "corpus" / name / "content.yaml"))
        columns.add(v.grid.columns)
        languages.add(v.doc.typography.language)
    assert {6, 8, 10} <= columns, columns
    assert {"zh", "zh-Hant", "en"} <= languages, languages


@pytest.fixture(scope="module", params=PAGES)
def built(request, tmp_path_factory):
    name = request.param
    content = ROOT / "examples" / "corpus" / name / "content.yaml"
    out = tmp_path_factory.mktemp(name) / f"{name}.pdf"
    r = subprocess.run([sys.executable, "-m", "layout", "build", str(content), "-o", str(out), "--json"],
                       capture_output=True, text=True, cwd=ROOT)
    assert r.returncode == 0, r.stderr
    return name, content, out, json.loads(r.stdout)


def test_the_audit_finds_no_fault(built):
    name, _, _, report = built
    audit = report["text_audit"]
    assert audit["lines"] > 100
    assert {k: audit[k] for k in FAULTS if audit[k]} == {}, name
    overset = [f for f in report["findings"] if f["kind"] == "overset"]
    assert overset == [], overset
    # what the composer could only set as an emergency is named, line by line
    emergencies = [f for f in report["findings"] if f["kind"] == "emergency"]
    assert all(f["text"] and f["source"] for f in emergencies)
    assert audit["loose"] == sum(1 for f in emergencies if f["reason"] == "loose")


def _squash(s: str) -> str:
    """Text compared: no white space, no hyphens (the composer adds some at line ends)."""
    return re.sub(r"[\s\-\u2010\u00ad]", "", s)


def test_every_paragraph_reads_back_in_order(built):
    name, content, pdf, _ = built
    v = validate(load_file(content))
    conv = conventions(v.doc.typography.language)
    with pdfplumber.open(pdf) as doc:
        drawn = _squash("".join(c["text"] for c in doc.pages[0].chars))
    checked = 0
    for art in v.doc.articles:
        pos = -1
        for block in art.body:
            text = block.head if isinstance(block, SectionHead) else block
            if v.doc.typography.normalize:
                text = normalize(text, conv.quotes, marks=conv.normalize_marks).text
            want = _squash(text)
            if not want:
                continue
            at = drawn.find(want, pos + 1)
            assert at > pos, (name, art.id, text[:40])
            pos = at
            checked += 1
    assert checked >= 10


def _head_lines(items) -> dict[tuple[str, str], list[str]]:
    """Each head's lines as drawn, in reading order: (role, source) -> lines."""
    from collections import defaultdict

    from layout.display import Glyphs

    runs = defaultdict(list)
    for it in items:
        if isinstance(it, Glyphs) and it.role in ("headline", "kicker", "subhead", "section-head") and it.text:
            runs[(it.role, it.source)].append(it)
    heads = {}
    for key, rs in runs.items():
        lines = defaultdict(list)
        for r in rs:  # a line is a baseline (a column, set vertically), its runs in order along it
            lines[(round(-r.x if r.vertical else r.y, 1))].append((r.y if r.vertical else r.x, r.text))
        heads[key] = ["".join(t for _, t in sorted(parts)) for _, parts in sorted(lines.items())]
    return heads


def test_chinese_heads_break_between_words(built, tmp_path):
    """A wrapped Chinese head never breaks inside a word of the dictionary (these heads all have
    a way between words), e.g. 2025年IPv6活跃 / 用户数要达到8.5亿, not 活跃用 / 户数."""
    from layout.build import BuildOptions, compose_file
    from layout.text import hanwords, rules_zh
    from layout.text.languages import is_chinese

    name, content, _, _ = built
    source = load_file(content)
    lang = validate(source).doc.typography.language
    if not is_chinese(lang):
        pytest.skip("a Latin-script page")
    page = compose_file(source, BuildOptions(output=tmp_path / "p.pdf"), tmp_path).page
    wrapped = {k: v for k, v in _head_lines(page.items).items() if len(v) > 1}
    assert wrapped or name not in ("p1-decree-berliner", "p4-latin-tabloid", "p5-taiwan-broadsheet"), name
    for (role, src), lines in wrapped.items():
        text = "".join(lines)
        marks = hanwords.marks(text, lang)
        pos = 0
        for ln in lines[:-1]:
            pos += len(ln)
            if rules_zh.char_class(text[pos - 1]) == "han" and rules_zh.char_class(text[pos]) == "han":
                assert marks[pos - 1] != hanwords.INSIDE, (role, src, lines)
