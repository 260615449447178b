"""The press file's colour as a proof shows it: the output profile the press PDF embeds measures
as newsprint, the soft proof shows newsprint paper, and the plates are the four inks.

The profile is read back from the press PDF's OutputIntent (pikepdf), not from the set-up's file,
and measured twice, by argyll's ``xicclu`` (its own ICC reader) and by Pillow's lcms, with the
Murray-Davies tone value of tests/test_finish_profile.py: TVI = 100 (Y_paper - Y_tint) /
(Y_paper - Y_solid) - nominal, Y from L*.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pikepdf
import pytest
from PIL import Image, ImageChops, ImageCms, ImageStat

from layout.build import BuildOptions, build

MM = 72 / 25.4


def _y(lstar: float) -> float:
    f = (lstar + 16) / 116
    return f ** 3 if lstar > 8 else lstar * 27 / 24389


def tvi(paper: float, tint: float, solid: float, nominal: float = 40) -> float:
    return 100 * (_y(paper) - _y(tint)) / (_y(paper) - _y(solid)) - nominal


@pytest.fixture(scope="module")
def seed_press(tmp_path_factory, root, newsprint) -> Path:
    out = tmp_path_factory.mktemp("press") / "seed.pdf"
    build(root / "content.yaml", BuildOptions(output=out))
    return out


@pytest.fixture(scope="module")
def embedded_profile(seed_press, tmp_path_factory) -> Path:
    with pikepdf.open(seed_press) as pdf:
        (oi,) = [o for o in pdf.Root.OutputIntents if o.S == pikepdf.Name.GTS_PDFX]
        assert str(oi.OutputConditionIdentifier) == "CGATS TR 002"
        data = oi.DestOutputProfile.read_bytes()
    path = tmp_path_factory.mktemp("icc") / "embedded.icc"
    path.write_bytes(data)
    return path


K_RAMP = [(0, 0, 0, 0), (0, 0, 0, 40), (0, 0, 0, 100)]


def test_press_pdf_output_profile_measures_as_newsprint_with_xicclu(embedded_profile):
    xicclu = shutil.which("xicclu")
    assert xicclu, "argyll's xicclu is missing (the set-up installs argyll)"
    stdin = "".join(" ".join(f"{v / 100:.6f}" for v in c) + "\n" for c in K_RAMP)
    out = subprocess.run([xicclu, "-ff", "-ia", "-pl", str(embedded_profile)], input=stdin, capture_output=True,
                         text=True, check=True).stdout
    (paper, _, _), (k40, _, _), (solid, _, _) = [tuple(float(v) for v in line.split("->")[-1].split()[:3])
                                                  for line in out.splitlines() if "[Lab]" in line]
    assert tvi(paper, k40, solid) >= 24.0, (paper, k40, solid)  # coldset newsprint: ~25 % at 40 %
    assert paper <= 90  # newsprint grey, not offset white (L* 95)


def test_press_pdf_output_profile_measures_as_newsprint_with_lcms(embedded_profile):
    lab = ImageCms.createProfile("LAB", colorTemp=5000)
    tr = ImageCms.buildTransform(ImageCms.getOpenProfile(str(embedded_profile)), lab, "CMYK", "LAB",
                                 renderingIntent=ImageCms.Intent.ABSOLUTE_COLORIMETRIC)
    im = Image.new("CMYK", (3, 1))
    for i, c in enumerate(K_RAMP):
        im.putpixel((i, 0), tuple(round(v * 2.55) for v in c))
    out = ImageCms.applyTransform(im, tr)
    paper, k40, solid = (out.getpixel((i, 0))[0] * 100 / 255 for i in range(3))
    assert tvi(paper, k40, solid) >= 24.0, (paper, k40, solid)
    assert paper <= 90


def preview(*args) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "layout", "preview", *map(str, args)], capture_output=True, text=True)


def test_soft_proof_shows_newsprint_paper_and_each_article(seed_copy, newsprint):
    out = seed_copy / "soft.png"
    r = preview(seed_copy / "content.yaml", "--soft-proof", "-o", out, "--dpi", "30")
    assert r.returncode == 0, r.stderr
    assert "through CGATS TR 002, absolute colorimetric" in r.stdout
    page = Image.open(out).convert("RGB")
    assert page.size == pytest.approx((390 / 25.4 * 30, 545 / 25.4 * 30), abs=2)  # the trimmed page
    colours = page.getcolors(page.width * page.height)
    count, paper = max(colours)
    assert count > 0.2 * page.width * page.height
    r_, g_, b_ = paper
    assert 185 <= b_ <= g_ <= r_ <= 215, paper  # a warm grey, not white: newsprint (L* ~80)
    assert min(ImageStat.Stat(page.convert("L")).extrema[0]) > 15  # coldset black is not screen black
    # each article's module and each ad, cut out of the same picture
    main, ad = seed_copy / "soft-article-main.png", seed_copy / "soft-ad-forest-fire.png"
    assert main.exists() and ad.exists()
    w, h = Image.open(ad).size
    assert w == pytest.approx((3 * 13 * 9 + 2 * 8 + 2 * 6) / 72 * 30, abs=12)  # three columns, 6 pt around
    assert w < h < page.height


def test_soft_proof_of_a_pdf_without_its_content_file(seed_press, tmp_path):
    out = tmp_path / "p.png"
    r = preview(seed_press, "--soft-proof", "-o", out, "--dpi", "20")
    assert r.returncode == 0, r.stderr
    assert out.exists() and "per-article soft proofs need the page's content file" in r.stdout


def test_plates_are_four_greyscale_pictures_with_their_coverage(seed_press, tmp_path):
    folder = tmp_path / "plates"
    r = preview(seed_press, "--plates", "-o", folder, "--dpi", "30")
    assert r.returncode == 0, r.stderr
    names = sorted(p.name for p in folder.iterdir())
    assert names == ["p03-C.png", "p03-K.png", "p03-M.png", "p03-Y.png", "p03-plates.json"]
    record = json.loads((folder / "p03-plates.json").read_text())
    assert record["page"] == "3" and list(record["plates"]) == ["C", "M", "Y", "K"]
    for plate, c in record["plates"].items():
        im = Image.open(folder / c["png"])
        assert im.mode == "L" and im.size == pytest.approx((390 / 25.4 * 30, 545 / 25.4 * 30), abs=2)
        mean = ImageStat.Stat(ImageChops.invert(im)).mean[0] / 255 * 100
        assert mean == pytest.approx(c["mean_ink_percent"], abs=1.0), plate  # the picture and its figure agree
        assert 0 < c["mean_ink_percent"] <= c["inked_area_percent"] <= 100 and c["max_ink_percent"] <= 100
        assert f"{plate}: ink on {c['inked_area_percent']:.1f} % of the page" in r.stdout
    assert record["max_total_ink_percent"] <= 240
    # body text is on K alone: a column of body text is dark on K and empty on C, M and Y
    k = Image.open(folder / "p03-K.png")
    s = 30 / 25.4
    column = (round(15 * s), round(100 * s), round(60 * s), round(180 * s))
    inks = {p: ImageStat.Stat(ImageChops.invert(Image.open(folder / f"p03-{p}.png").crop(column))).mean[0]
            for p in "CMYK"}
    assert inks["K"] > 20 and inks["C"] < 1 and inks["M"] < 1 and inks["Y"] < 1, inks
    assert k.getextrema()[0] == 0  # somewhere a solid


def test_preview_usage_errors(seed_press):
    r = preview(seed_press, "--plates")
    assert r.returncode == 2 and "-o DIR" in r.stderr
    r = preview(seed_press, "--plates", "--soft-proof", "-o", "x")
    assert r.returncode == 2
