"""Ads delivered as PDF are placed as vector graphics (a form XObject with the advertiser's own
fonts and shapes, nothing rasterised), keep their proportions in the frame, and a file that
fails the press checks (RGB, fonts not embedded) is named in a press build's report."""

import json
import subprocess
import sys

import pdfplumber
import pikepdf
import pytest
from ads_support import make_ad


PAGE = """\
folio: {paper: 测试日报, date: 2024-11-08, page: 2}
articles:
  - id: a
    frame: {column: 1, columns: 8, line: 1, lines: 60}
    headline: {text: 测试标题, size: 40pt}
    body: [这是一段测试正文。]
ads:
  - {kind: image, id: bank, frame: {column: 5, columns: 4, line: 80, lines: 30}, file: FILE}
"""


@pytest.fixture
def page(tmp_path):
    make_ad(tmp_path / "good.pdf", good=True)
    make_ad(tmp_path / "bad.pdf", good=False)
    return tmp_path


def build(page, file, *args):
    (page / "content.yaml").write_text(PAGE.replace("FILE", file), encoding="utf-8")
    return subprocess.run([sys.executable, "-m", "layout", "build", str(page / "content.yaml"), "-o",
                           str(page / "out.pdf"), "--json", *args], capture_output=True, text=True)


def test_a_pdf_ad_is_placed_as_vector_with_its_own_font(page):
    r = build(page, "good.pdf", "--proof")
    assert r.returncode == 0, r.stderr
    with pikepdf.open(page / "out.pdf") as pdf:
        xobjects = pdf.pages[0].obj.Resources.XObject
        forms = [x for x in xobjects.values() if x.Subtype == "/Form"]
        assert len(forms) == 1 and not [x for x in xobjects.values() if x.Subtype == "/Image"]
        fonts = [str(f.BaseFont) for f in forms[0].Resources.Font.values()]
        assert any("LXGWWenKai-Bold" in f for f in fonts)
        assert forms[0].Resources.Font[list(forms[0].Resources.Font.keys())[0]].FontDescriptor.get("/FontFile2")
    with pdfplumber.open(page / "out.pdf") as pdf:
        p = pdf.pages[0]
        assert "湘江银行理财" in p.extract_text().replace(" ", "")
        # the ad keeps its 100 x 60 mm proportions inside the 4-column frame, centred
        chars = [c for c in p.chars if c["text"] in "湘财"]
        assert chars
    report = json.loads(r.stdout)
    assert not [f for f in report["findings"] if f["kind"] == "ad-file"]


def test_press_build_names_an_ad_file_that_is_not_ready(page):
    r = build(page, "bad.pdf")
    assert r.returncode == 0, r.stderr
    report = json.loads(r.stdout)
    found = [f for f in report["findings"] if f["kind"] == "ad-file"]
    assert len(found) == 1 and found[0]["ad"] == "bank" and found[0]["where"]["line"] == 8
    text = " ".join(found[0]["problems"])
    assert "Helvetica" in text and "RGB" in text
    r = build(page, "bad.pdf", "--strict")
    assert r.returncode == 3
    good = build(page, "good.pdf")
    assert not [f for f in json.loads(good.stdout)["findings"] if f["kind"] == "ad-file"]


def test_a_pdf_ad_that_is_not_a_pdf_is_located(page):
    (page / "broken.pdf").write_bytes(b"not a pdf at all")
    r = build(page, "broken.pdf", "--proof")
    assert r.returncode == 1
    report = json.loads(r.stdout)
    d = report["diagnostics"][0]
    assert d["line"] == 8 and "broken.pdf" in d["message"] and "not a readable PDF" in d["message"]


def test_the_trace_names_the_vector_item(page):
    from layout.build import BuildOptions, display_list
    from layout.trace import dump

    (page / "content.yaml").write_text(PAGE.replace("FILE", "good.pdf"), encoding="utf-8")
    text = dump(display_list(page / "content.yaml", BuildOptions(proof=True)))
    line = next(x for x in text.splitlines() if x.strip().startswith("vector"))
    assert "file=good.pdf" in line and "page=1" in line and "ad:bank" in line
