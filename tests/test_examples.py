"""The example pages build as press PDFs that pass preflight, with nothing overset."""

from __future__ import annotations

import json
import re
import subprocess
import sys

import pdfplumber
import pytest

from conftest import findings

PY = sys.executable
EXAMPLES = ["examples/berliner/content.yaml", "examples/english/content.yaml", "examples/modules/content.yaml",
            "examples/auto/content.yaml", "examples/stepped/content.yaml"]


@pytest.fixture(scope="module", params=EXAMPLES)
def built(request, tmp_path_factory, root):
    out = tmp_path_factory.mktemp("ex") / "page.pdf"
    r = subprocess.run([PY, "-m", "layout", "build", str(root / request.param), "-o", str(out), "--json"],
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    return request.param, out, json.loads(r.stdout)


def test_nothing_overset_and_clean_composition(built):
    _, _, report = built
    assert findings(report, "overset") == []
    audit = report["text_audit"]
    for key in ("prohibited_start", "prohibited_end", "ragged", "orphans", "overlaps", "ascii_punct"):
        assert audit[key] == 0, key
    assert findings(report, "missing-glyph") == []


def test_preflight_passes(built):
    _, out, _ = built
    r = subprocess.run([PY, "-m", "layout", "preflight", str(out)], capture_output=True, text=True)
    assert r.returncode == 0, r.stdout


def test_english_page_reads_as_english(root, tmp_path):
    out = tmp_path / "english.pdf"
    r = subprocess.run([PY, "-m", "layout", "build", str(root / "examples/english/content.yaml"), "-o", str(out),
                        "--proof", "--json"], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    report = json.loads(r.stdout)
    with pdfplumber.open(out) as pdf:
        text = pdf.pages[0].extract_text()
    assert "Footbridge plan approved" in text and "Friday, 1 November 2024" in text
    assert report["text_audit"].get("hyphens", 0) > 0  # justified narrow columns need hyphenation
    assert not re.search(r"[，。]", text)  # no Chinese marks forced into English
