"""Preflight (layout.preflight) on deliberately bad PDFs, each caught, and on a good one."""

from __future__ import annotations

import json
import subprocess
from datetime import datetime, timezone
from pathlib import Path

import pikepdf
import pytest
from PIL import Image
from reportlab.lib.colors import CMYKColor, CMYKColorSep
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

from layout.finish.color import make_image_converter
from layout.preflight import main, preflight

MM = 72 / 25.4
TRIM_W, TRIM_H = 120 * MM, 90 * MM
BLEED, SLUG = 3 * MM, 10 * MM
OFF = BLEED + SLUG
FONT = "/usr/share/fonts/truetype/lxgw-wenkai/LXGWWenKai-Regular.ttf"
WHEN = datetime(2024, 5, 1, 6, 0, tzinfo=timezone.utc)

pdfmetrics.registerFont(TTFont("WenKai", FONT))




def page(path: Path, *, boxes=True, font="WenKai", images=(), draw=None) -> Path:
    """One page as the renderer makes it; ``images`` are (PIL image, x, y, w, h) in points from
    the trim's bottom-left; ``draw(c)`` adds anything else."""
    c = canvas.Canvas(str(path), pagesize=(TRIM_W + 2 * OFF, TRIM_H + 2 * OFF), invariant=1,
                      initialFontName=font)
    if boxes:
        c.setTrimBox((OFF, OFF, OFF + TRIM_W, OFF + TRIM_H))
        c.setBleedBox((OFF - BLEED, OFF - BLEED, OFF + TRIM_W + BLEED, OFF + TRIM_H + BLEED))
    c.setFillColor(CMYKColor(0, 0, 0, 1))
    c.setFont(font, 14)
    c.drawString(OFF + 20, OFF + TRIM_H - 30, "城市日报 Daily 第一版")
    for img, x, y, w, h in images:
        c.drawImage(ImageReader(img), OFF + x, OFF + y, w, h)
    if draw:
        draw(c)
    c.showPage()
    c.save()
    return path


def status(rep, name):
    chk = rep.check(name)
    assert chk is not None, f"no check {name!r}: {[c.name for c in rep.checks]}"
    return chk.status


def _built(folder, root, pdfx: str = "X-4") -> "Path":
    """A press PDF as the build writes it (the seed page, PDF/X-4 or X-1a)."""
    import shutil
    import subprocess
    import sys

    shutil.copytree(root / "images", folder / "images")
    text = (root / "content.yaml").read_text(encoding="utf-8")
    if pdfx != "X-4":
        text += f"\npress: {{pdfx: {pdfx}}}\n"
    (folder / "content.yaml").write_text(text, encoding="utf-8")
    out = folder / "page.pdf"
    r = subprocess.run([sys.executable, "-m", "layout", "build", str(folder / "content.yaml"), "-o", str(out), "-q"],
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    return out


@pytest.fixture(scope="module")
def good(tmp_path_factory, root, newsprint):
    return _built(tmp_path_factory.mktemp("good"), root)


def test_good_file_passes(good):
    rep = preflight(good)
    assert rep.ok, rep.format_table()
    # no warning: the public-service ad's 7.5 pt designer credit is set in black only
    # (layout/compose/ad.py); a four-ink credit would be warned (test below)
    assert [c.name for c in rep.checks if c.status == "warn"] == [], rep.format_table()
    assert rep.figures["small_text"]["multi_ink"] == []
    f = rep.figures
    assert f["variant"] == "X-4"
    assert f["max_tac"] <= 240
    assert f["boxes"][0]["trim_mm"] == pytest.approx([390, 545], abs=0.01)
    assert f["boxes"][0]["bleed_mm"] == pytest.approx([3, 3, 3, 3], abs=0.01)
    assert f["fonts"] and all(ft["embedded"] and ft["subset"] for ft in f["fonts"])
    assert len(f["images"]) == 3
    assert all(img["colorspace"] == "DeviceCMYK" and min(img["ppi"]) >= 170 for img in f["images"])
    assert "K" in f["text_plates"]  # (body text on K alone: tests/test_press_seed.py reads the plates)
    assert f["output_intents"][0]["profile_n"] == 4
    assert f["ink_coverage"][0]["K"] > 0


def test_rgb_image_fails(tmp_path):
    pdf = page(tmp_path / "rgb.pdf", images=[(Image.new("RGB", (400, 400), (200, 30, 30)), 10, 10, 144, 144)])
    rep = preflight(pdf)
    assert status(rep, "image colour") == "fail"
    assert "DeviceRGB" in rep.check("image colour").detail
    assert not rep.ok


def test_unembedded_font_fails(tmp_path):
    pdf = page(tmp_path / "helv.pdf", font="Helvetica")
    rep = preflight(pdf)
    assert status(rep, "fonts embedded") == "fail"
    assert "Helvetica" in rep.check("fonts embedded").detail


def test_missing_trimbox_fails(tmp_path):
    rep = preflight(page(tmp_path / "nobox.pdf", boxes=False))
    assert status(rep, "page boxes") == "fail"
    assert "no TrimBox" in rep.check("page boxes").detail


def test_heavy_ink_fails(tmp_path):
    def patch(c):
        c.setFillColor(CMYKColor(0.9, 0.9, 0.9, 0.5))  # 320 %
        c.rect(OFF + 100, OFF + 40, 60, 60, stroke=0, fill=1)

    rep = preflight(page(tmp_path / "ink.pdf", draw=patch))
    assert status(rep, "ink coverage") == "fail"
    assert rep.figures["max_tac"] == pytest.approx(320, abs=1.5)
    assert rep.figures["text_plates"] == ["K"]


def test_low_resolution_warns_and_form_placement_counts(tmp_path):
    img = Image.new("CMYK", (100, 100), (0, 0, 0, 128))

    def form(c):
        c.beginForm("logo")
        c.drawImage(ImageReader(img), 0, 0, 72, 72)  # 100 ppi inside the form
        c.endForm()
        c.saveState()
        c.translate(OFF + 150, OFF + 20)
        c.scale(0.5, 0.5)  # placed at half size: 200 ppi
        c.doForm("logo")
        c.restoreState()

    low = page(tmp_path / "low.pdf", images=[(img, 10, 10, 144, 144)], draw=form)  # 50 ppi
    rep = preflight(low, min_ppi=170)
    assert status(rep, "image resolution") == "warn"
    ppis = sorted(round(i["ppi"][0]) for i in rep.figures["images"])
    assert ppis == [50, 200]
    # poppler agrees on the placement through the form
    out = subprocess.run(["pdfimages", "-list", str(low)], capture_output=True, text=True).stdout
    assert sorted(int(r.split()[12]) for r in out.splitlines()[2:]) == [50, 200]


def test_spot_colour_warns(tmp_path):
    def spot(c):
        c.setFillColor(CMYKColorSep(0, 0.8, 1, 0, spotName="PANTONE 021 C"))
        c.rect(OFF + 10, OFF + 10, 30, 30, stroke=0, fill=1)

    rep = preflight(page(tmp_path / "spot.pdf", draw=spot))
    assert status(rep, "spot colours") == "warn"
    assert "PANTONE 021 C" in rep.figures["spots"]


def test_declared_x1a_with_transparency_fails(tmp_path, root, newsprint):
    dst = _built(tmp_path, root, "X-1a")
    assert preflight(dst).ok
    # add a soft-masked graphics state afterwards, as a careless tool might
    with pikepdf.open(dst, allow_overwriting_input=True) as pdf:
        pg = pdf.pages[0]
        gs = pikepdf.Dictionary(Type=pikepdf.Name.ExtGState, ca=0.4)
        pg.add_resource(gs, pikepdf.Name.ExtGState, pikepdf.Name("/GSx"))
        pg.contents_add(pikepdf.Stream(pdf, b"q /GSx gs 0 0 1 0 k 50 50 20 20 re f Q"))
        pdf.save(dst)
    rep = preflight(dst)
    assert rep.figures["variant"] == "X-1a"
    assert status(rep, "transparency") == "fail"


def test_variant_demanded_but_missing(tmp_path):
    rep = preflight(page(tmp_path / "plain.pdf"), variant="X-4")
    assert status(rep, "output intent") == "fail"
    assert status(rep, "PDF/X identification") == "fail"
    plain = preflight(tmp_path / "plain.pdf")
    assert status(plain, "output intent") == "warn"
    assert plain.ok


def test_encrypted_and_unreadable(tmp_path):
    src = page(tmp_path / "r.pdf")
    enc = tmp_path / "enc.pdf"
    with pikepdf.open(src) as pdf:
        pdf.save(enc, encryption=pikepdf.Encryption(owner="o", user=""))
    assert status(preflight(enc), "encryption") == "fail"
    locked = tmp_path / "locked.pdf"
    with pikepdf.open(src) as pdf:
        pdf.save(locked, encryption=pikepdf.Encryption(owner="o", user="u"))
    assert not preflight(locked).ok
    junk = tmp_path / "junk.pdf"
    junk.write_bytes(b"not a pdf at all")
    assert status(preflight(junk), "file") == "fail"
    assert status(preflight(tmp_path / "missing.pdf"), "file") == "fail"


def test_main_table_json_and_exit_status(good, tmp_path, capsys):
    assert main([str(good)]) == 0
    table = capsys.readouterr().out
    assert "Result: OK" in table and "ink coverage" in table and "Fonts:" in table
    bad = page(tmp_path / "bad.pdf", boxes=False)
    assert main([str(bad), "--json"]) == 3
    data = json.loads(capsys.readouterr().out)
    assert data["ok"] is False
    assert any(c["name"] == "page boxes" and c["status"] == "fail" for c in data["checks"])
    assert json.dumps(preflight(good).to_dict())  # serialisable


def test_rgb_colour_space_families_are_recognised():
    from layout.finish.pdfwalk import describe_cs

    pdf = pikepdf.new()
    icc3 = pikepdf.Stream(pdf, b"")
    icc3.N = 3
    icc4 = pikepdf.Stream(pdf, b"")
    icc4.N = 4
    N = pikepdf.Name
    A = pikepdf.Array
    assert describe_cs(N.DeviceRGB).is_rgb
    assert describe_cs(A([N.ICCBased, icc3])).is_rgb
    assert describe_cs(A([N.CalRGB, pikepdf.Dictionary()])).is_rgb
    assert describe_cs(A([N.Indexed, N.DeviceRGB, 1, b"\0\0\0\xff\xff\xff"])).is_rgb
    assert not describe_cs(A([N.ICCBased, icc4])).is_rgb
    assert not describe_cs(N.DeviceCMYK).is_rgb
    sep = describe_cs(A([N.Separation, N.All, N.DeviceCMYK, pikepdf.Dictionary()]))
    assert not sep.is_rgb and sep.plates((1.0,)) == {"C", "M", "Y", "K"}
    # a DefaultRGB in the resources characterises DeviceRGB (still RGB for the press)
    res = pikepdf.Dictionary(ColorSpace=pikepdf.Dictionary(DefaultRGB=A([N.ICCBased, icc3])))
    assert describe_cs(N.DeviceRGB, res).family == "ICCBased-RGB"


# -- findings a plant can act on -------------------------------------------------------------------


def test_seed_images_are_named_by_file_article_and_place(good):
    """broadsheet's press file says where each picture comes from (the image XObject's /BSFile,
    /BSWhere, /BSAt), and preflight names it so: file, article, content.yaml path, position."""
    rep = preflight(good)
    imgs = {i["file"]: i for i in rep.figures["images"]}
    assert set(imgs) == {"images/wanfeng-lake.jpg", "images/factory-ba.jpg", "images/power-valley.jpg"}
    lake = imgs["images/wanfeng-lake.jpg"]
    assert lake["where"] == "main:photo:wanfeng" and lake["at"] == "articles[0].photos[0].file"
    assert lake["label"].startswith("images/wanfeng-lake.jpg (article main, photo wanfeng")
    x, y, w, h = lake["position_mm"]  # the frame from the trim's top-left, as the display list says
    assert (x, y) == pytest.approx((305.26 / MM, 254.54 / MM), abs=0.2)
    assert (w, h) == pytest.approx((747 / MM, 453 / MM), abs=0.2)
    table = rep.format_table()
    assert "images/wanfeng-lake.jpg (article main, photo wanfeng; content.yaml articles[0].photos[0].file)" in table
    assert "FormXob" not in table
    assert "images/wanfeng-lake.jpg" in rep.check("image resolution").detail


def test_foreign_images_are_named_by_object_page_and_position(tmp_path):
    low = page(tmp_path / "low.pdf", images=[(Image.new("CMYK", (100, 100), (0, 0, 0, 128)), 10, 20, 144, 144)])
    rep = preflight(low)
    (img,) = rep.figures["images"]
    assert img["file"] == "" and img["label"].startswith("image ") and ", object " in img["label"]
    assert img["position_mm"] == pytest.approx([10 / MM, (TRIM_H - 20 - 144) / MM, 144 / MM, 144 / MM], abs=0.1)
    detail = rep.check("image resolution").detail
    assert "page 1 at 3.5, 32.1 mm, 50.8 x 50.8 mm" in detail and "50 ppi" in detail


def test_small_text_in_several_inks_and_reversed_is_warned(tmp_path):
    def text(c):
        c.setFont("WenKai", 6)
        c.setFillColor(CMYKColor(0.2, 1, 1, 0))  # a red in three inks
        c.drawString(OFF + 20, OFF + 40, "小字三色 small red")
        c.setFillColor(CMYKColor(0, 0, 0, 1))
        c.drawString(OFF + 20, OFF + 30, "小字单色 black")  # one ink: fine
        c.rect(OFF + 150, OFF + 20, 120, 30, stroke=0, fill=1)
        c.setFillColor(CMYKColor(0, 0, 0, 0))
        c.drawString(OFF + 155, OFF + 30, "反白小字 reversed")  # white on black
        c.setFont("WenKai", 9)
        c.setFillColor(CMYKColor(0.2, 1, 1, 0))
        c.drawString(OFF + 20, OFF + 55, "九磅三色")  # 9 pt: large enough
        c.setFont("WenKai", 5)
        c.setFillColor(CMYKColorSep(1, 1, 1, 1, spotName="All"))
        c.drawString(OFF + 20, OFF - BLEED - 12, "slug line, outside the printed area")

    rep = preflight(page(tmp_path / "small.pdf", draw=text))
    assert status(rep, "small text inks") == "warn"
    assert status(rep, "reversed small text") == "warn"
    multi = rep.figures["small_text"]["multi_ink"]
    assert [(t["text"], t["inks"], t["size"]) for t in multi] == [("小字三色 small red", ["C", "M", "Y"], 6)]
    assert multi[0]["x_mm"] == pytest.approx(20 / MM, abs=0.05) and multi[0]["y_mm"] == pytest.approx((TRIM_H - 40) / MM, abs=0.05)
    assert [t["text"] for t in rep.figures["small_text"]["reversed"]] == ["反白小字 reversed"]
    assert "'小字三色 small red'" in rep.check("small text inks").detail
    assert rep.ok  # warnings, not failures


def test_text_size_follows_the_matrices(tmp_path):
    """A 12 pt font drawn at half scale is 6 pt on the page."""
    def scaled(c):
        c.saveState()
        c.translate(OFF + 20, OFF + 40)
        c.scale(0.5, 0.5)
        c.setFont("WenKai", 12)
        c.setFillColor(CMYKColor(1, 1, 0, 0))
        c.drawString(0, 0, "缩小")
        c.restoreState()

    rep = preflight(page(tmp_path / "scaled.pdf", draw=scaled))
    assert [(t["text"], t["size"]) for t in rep.figures["small_text"]["multi_ink"]] == [("缩小", 6)]


def test_exit_statuses(good, tmp_path, capsys):
    """0 pass, 1 not a PDF / unreadable / missing, 3 a check failed: documented in the module."""
    junk = tmp_path / "junk.pdf"
    junk.write_bytes(b"GIF89a not a pdf at all")
    assert main([str(junk)]) == 1
    assert main([str(tmp_path / "missing.pdf")]) == 1
    assert main([str(page(tmp_path / "nobox.pdf", boxes=False))]) == 3
    assert main([str(good)]) == 0
    capsys.readouterr()
    import sys

    r = subprocess.run([sys.executable, "-m", "layout", "preflight", str(junk)], capture_output=True, text=True)
    assert r.returncode == 1 and "not a readable PDF" in r.stdout
