"""End to end: the seed page built through the CLI, read back with independent readers."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pdfplumber
import pikepdf
import pytest
import yaml

from layout.model.units import MM

PY = sys.executable


def run_cli(*args, cwd=None):
    return subprocess.run([PY, "-m", "layout", *args], capture_output=True, text=True, cwd=cwd)


@pytest.fixture(scope="module")
def seed_pdf(tmp_path_factory, root):
    out = tmp_path_factory.mktemp("seed") / "seed.pdf"
    r = run_cli("build", str(root / "content.yaml"), "-o", str(out), "--json")
    assert r.returncode == 0, r.stderr
    return out


@pytest.fixture(scope="module")
def seed_doc(root):
    return yaml.safe_load((root / "content.yaml").read_text(encoding="utf-8"))


def _squash(s: str) -> str:
    return re.sub(r"\s+", "", s)


def test_every_paragraph_in_reading_order(seed_pdf, seed_doc):
    """pdfplumber reads the body column by column; every sentence appears, in order."""
    art = seed_doc["articles"][0]
    with pdfplumber.open(seed_pdf) as pdf:
        page = pdf.pages[0]
        chars = [c for c in page.chars if abs(c["size"] - 9.0) < 0.05 and c["fontname"].split("+")[-1].startswith("NotoSerifCJKsc-Regular")]
        assert chars, "no body text found"
        # columns of the type area: group by column index, then top to bottom
        lefts = sorted({round(c["x0"]) for c in chars})
        col_w = (13 + 1) * 9.0
        x_min = min(c["x0"] for c in chars)
        def col(c):
            return int((c["x0"] - x_min + 5) // col_w)
        chars.sort(key=lambda c: (col(c), round(c["top"], 1), c["x0"]))
        text = "".join(c["text"] for c in chars)
    body = "".join(b for b in art["body"] if isinstance(b, str))
    assert _squash(text) == _squash(body)


def test_every_element_on_the_page(seed_pdf, seed_doc):
    with pdfplumber.open(seed_pdf) as pdf:
        text = _squash(pdf.pages[0].extract_text())
    art = seed_doc["articles"][0]
    ad = seed_doc["ads"][0]
    must = ["株洲日报", "2024年10月31日", "高新区·天元区", "实力高新", "出圈有道", art["subhead"], art["byline"],
            "产业名片求实向新", "服务体系提标增效", "文旅品牌新潮多彩", "万丰湖", "“厂BA”", "动力谷",
            "（图片由天元区融媒体中心提供）", ad["title"], ad["tagline"], ad["slogan"], ad["designer"], ad["label"], ad["sponsor"]]
    for s in must:
        assert _squash(s) in text, s
    for ch in ad["characters"]:
        assert ch in text


def test_three_images(seed_pdf):
    with pikepdf.open(seed_pdf) as pdf:
        images = list(pdf.pages[0].get_images())
    assert len(images) == 3


def test_fonts_embedded_and_subset(seed_pdf):
    out = subprocess.run(["pdffonts", str(seed_pdf)], capture_output=True, text=True, check=True).stdout
    rows = out.splitlines()[2:]
    assert len(rows) >= 5
    for row in rows:
        cols = row.split()
        # name type [type2] encoding emb sub uni objnum gen: check emb/sub columns from the end
        emb, sub = cols[-5], cols[-4]
        assert (emb, sub) == ("yes", "yes"), row
        assert re.match(r"^[A-Z]{6}\+", cols[0]), row
    assert "Helvetica" not in out


def test_trim_size_and_boxes(seed_pdf):
    with pikepdf.open(seed_pdf) as pdf:
        page = pdf.pages[0]
        trim = [float(v) for v in page.obj["/TrimBox"]]
        bleed = [float(v) for v in page.obj["/BleedBox"]]
        media = [float(v) for v in page.obj["/MediaBox"]]
    assert (trim[2] - trim[0]) / MM == pytest.approx(390, abs=0.01)
    assert (trim[3] - trim[1]) / MM == pytest.approx(545, abs=0.01)
    assert (trim[0] - bleed[0]) / MM == pytest.approx(3, abs=0.01)
    assert media[0] <= bleed[0] and media[2] >= bleed[2] and media[3] >= bleed[3]


def test_deterministic(tmp_path, root):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    # same file name: the slug line names the file
    a, b = tmp_path / "a" / "seed.pdf", tmp_path / "b" / "seed.pdf"
    assert run_cli("build", str(root / "content.yaml"), "-o", str(a), "-q").returncode == 0
    assert run_cli("build", str(root / "content.yaml"), "-o", str(b), "-q").returncode == 0
    assert a.read_bytes() == b.read_bytes()


def test_bad_input_no_traceback_no_pdf(tmp_path, root):
    page = tmp_path / "page"
    shutil.copytree(root / "images", page / "images")
    text = (root / "content.yaml").read_text(encoding="utf-8").replace("    byline:", "    bylin:")
    (page / "content.yaml").write_text(text, encoding="utf-8")
    out = page / "out.pdf"
    r = run_cli("build", str(page / "content.yaml"), "-o", str(out))
    assert r.returncode == 1
    assert "Traceback" not in r.stderr
    assert re.search(r"content\.yaml:\d+:5: error: unknown key `bylin`", r.stderr)
    assert "did you mean `byline`?" in r.stderr
    assert not out.exists()
    assert not list(page.glob(".*.tmp"))


def test_failed_build_keeps_previous_pdf(tmp_path, root):
    page = tmp_path / "page"
    shutil.copytree(root / "images", page / "images")
    (page / "content.yaml").write_text((root / "content.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    out = page / "out.pdf"
    assert run_cli("build", str(page / "content.yaml"), "-o", str(out), "-q").returncode == 0
    before = out.read_bytes()
    (page / "images" / "factory-ba.jpg").write_bytes(b"not a jpeg at all")
    r = run_cli("build", str(page / "content.yaml"), "-o", str(out))
    assert r.returncode == 1, r.stderr
    assert "Traceback" not in r.stderr and "factory-ba.jpg" in r.stderr
    assert out.read_bytes() == before
    assert not list(page.glob(".*.tmp"))


@pytest.mark.parametrize("args,status", [([], 2), (["frobnicate"], 2), (["build", "--no-such-flag"], 2), (["--help"], 0), (["build", "--help"], 0)])
def test_usage_exit_status(args, status):
    r = run_cli(*args)
    assert r.returncode == status
    assert "Traceback" not in r.stderr
