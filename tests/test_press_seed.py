"""The seed page as a printing plant receives it: checked with Ghostscript, poppler, qpdf and the
project's own preflight."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys

import pdfplumber
import pytest
from PIL import Image

PY = sys.executable
MM = 72 / 25.4


def cli(*args):
    return subprocess.run([PY, "-m", "layout", *args], capture_output=True, text=True)


@pytest.fixture(scope="module")
def press_pdf(tmp_path_factory, root):
    out = tmp_path_factory.mktemp("press") / "seed.pdf"
    r = cli("build", str(root / "content.yaml"), "-o", str(out), "-q")
    assert r.returncode == 0, r.stderr
    return out


def test_preflight_passes(press_pdf):
    r = cli("preflight", str(press_pdf), "--json")
    assert r.returncode == 0, r.stdout
    report = json.loads(r.stdout)
    assert report["ok"] is True


def test_qpdf_check(press_pdf):
    r = subprocess.run(["qpdf", "--check", str(press_pdf)], capture_output=True, text=True)
    assert r.returncode == 0, r.stdout + r.stderr


def test_boxes_with_pdfinfo(press_pdf):
    out = subprocess.run(["pdfinfo", "-box", str(press_pdf)], capture_output=True, text=True, check=True).stdout
    boxes = {m.group(1): [float(v) for v in m.group(2).split()] for m in re.finditer(r"^(\w+Box):\s+([\d.\s]+)$", out, re.M)}
    trim, bleed, media = boxes["TrimBox"], boxes["BleedBox"], boxes["MediaBox"]
    assert (trim[2] - trim[0]) / MM == pytest.approx(390, abs=0.01)
    assert (trim[3] - trim[1]) / MM == pytest.approx(545, abs=0.01)
    assert (trim[0] - bleed[0]) / MM == pytest.approx(3, abs=0.01)
    assert media[0] <= bleed[0] < trim[0] and trim[2] < bleed[2] <= media[2]
    assert re.search(r"PDF version:\s+1\.6", out)


def test_images_are_cmyk_and_sharp(press_pdf):
    out = subprocess.run(["pdfimages", "-list", str(press_pdf)], capture_output=True, text=True, check=True).stdout
    rows = [r.split() for r in out.splitlines()[2:] if r.strip()]
    assert len(rows) == 3
    for r in rows:
        color, xppi = r[5], float(r[12])
        assert color == "cmyk", r
        assert 200 <= xppi <= 301, r


def test_body_text_only_on_the_black_plate(press_pdf, tmp_path):
    """Ghostscript's separations: every body character has ink on K and none on C, M or Y."""
    dpi = 72
    subprocess.run(["gs", "-q", "-dNOPAUSE", "-dBATCH", "-dSAFER", f"-r{dpi}", "-sDEVICE=tiffsep",
                    f"-sOutputFile={tmp_path}/p%d.tif", str(press_pdf)], check=True)
    plates = {name: Image.open(tmp_path / f"p1({name}).tif").convert("L") for name in ("Cyan", "Magenta", "Yellow", "Black")}
    with pdfplumber.open(press_pdf) as pdf:
        page = pdf.pages[0]
        body = [c for c in page.chars if abs(c["size"] - 9.0) < 0.01 and "NotoSerifCJKsc-Regular" in c["fontname"]]
    assert len(body) > 2000
    scale = dpi / 72.0
    k_hits = 0
    for c in body[::7]:
        box = tuple(int(v * scale) for v in (c["x0"] + 1, c["top"] + 2, c["x1"] - 1, c["bottom"] - 1))
        # tiffsep plates: 255 = no ink
        for name in ("Cyan", "Magenta", "Yellow"):
            assert plates[name].crop(box).getextrema()[0] == 255, (c["text"], name)
        k_hits += plates["Black"].crop(box).getextrema()[0] < 200
    assert k_hits > len(body[::7]) * 0.9


def test_x1a_on_request(tmp_path, root):
    page = tmp_path / "page"
    shutil.copytree(root / "images", page / "images")
    text = (root / "content.yaml").read_text(encoding="utf-8").replace("typography:", "press:\n  pdfx: X-1a\n\ntypography:", 1)
    (page / "content.yaml").write_text(text, encoding="utf-8")
    out = page / "x1a.pdf"
    r = cli("build", str(page / "content.yaml"), "-o", str(out), "-q")
    assert r.returncode == 0, r.stderr
    assert re.search(r"PDF version:\s+1\.4", subprocess.run(["pdfinfo", str(out)], capture_output=True, text=True).stdout)
    r = cli("preflight", str(out), "--variant", "X-1a")
    assert r.returncode == 0, r.stdout


def test_low_resolution_photo_fails_strict(tmp_path, root):
    page = tmp_path / "page"
    shutil.copytree(root / "images", page / "images")
    Image.open(root / "images" / "wanfeng-lake.jpg").resize((600, 400)).save(page / "images" / "wanfeng-lake.jpg", quality=90)
    (page / "content.yaml").write_text((root / "content.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    r = cli("build", str(page / "content.yaml"), "-o", str(page / "x.pdf"))
    assert r.returncode == 0 and "wanfeng-lake.jpg" in r.stdout and "LOW" in r.stdout
    r = cli("build", str(page / "content.yaml"), "-o", str(page / "y.pdf"), "--strict")
    assert r.returncode == 3
