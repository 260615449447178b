"""make_pdfx (layout.finish.pdfx), checked with independent readers: qpdf, poppler (pdfinfo,
pdffonts, pdfimages), Ghostscript separations and pikepdf."""

from __future__ import annotations

import os
import re
import subprocess
from datetime import datetime, timezone
from pathlib import Path

import pikepdf
import pytest
from PIL import Image
from reportlab.lib.colors import CMYKColor, CMYKColorSep, Color
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

from layout.display import Ellipse, Glyphs, Line, Rect, Spot
from layout.finish import FinishError
from layout.finish.color import make_image_converter
from layout.finish.marks import SlugInfo, press_marks
from layout.finish.pdfx import make_pdfx

MM = 72 / 25.4
TRIM_W, TRIM_H = 150 * MM, 100 * MM
BLEED, SLUG = 3 * MM, 12 * MM
OFF = BLEED + SLUG
MEDIA_W, MEDIA_H = TRIM_W + 2 * OFF, TRIM_H + 2 * OFF
FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
WHEN = datetime(2024, 5, 1, 22, 30, tzinfo=timezone.utc)
TEXT = "Newsprint K"
TEXT_X, TEXT_BASE, TEXT_SIZE = 10 * MM, 30 * MM, 24  # trim-relative, y down

pdfmetrics.registerFont(TTFont("DejaVuSans", FONT))




# -- a miniature renderer: just enough of the lead's to draw text, images and marks -----------


def paint(p):
    if isinstance(p, Spot):
        return CMYKColorSep(*p.cmyk, spotName=p.name, density=p.tint)
    return CMYKColor(*p)


def draw_items(c, items):
    def X(x):
        return OFF + x

    def Y(y):
        return OFF + TRIM_H - y

    for it in items:
        if isinstance(it, Line):
            c.setStrokeColor(paint(it.color))
            c.setLineWidth(it.width)
            c.line(X(it.x1), Y(it.y1), X(it.x2), Y(it.y2))
        elif isinstance(it, Ellipse):
            if it.stroke is not None:
                c.setStrokeColor(paint(it.stroke))
            if it.fill is not None:
                c.setFillColor(paint(it.fill))
            c.setLineWidth(it.line_width)
            c.ellipse(X(it.x), Y(it.y), X(it.x + it.w), Y(it.y + it.h),
                      stroke=int(it.stroke is not None), fill=int(it.fill is not None))
        elif isinstance(it, Rect):
            if it.fill is not None:
                c.setFillColor(paint(it.fill))
            c.rect(X(it.x), Y(it.y + it.h), it.w, it.h, stroke=0, fill=1)
        elif isinstance(it, Glyphs):
            c.setFillColor(paint(it.color))
            c.setFont("DejaVuSans", it.size)
            for ch, x in zip(it.text, it.xs):
                c.drawString(X(x), Y(it.y), ch)


def make_page(path: Path, *, marks=True, boxes=True, helvetica=False, images=(), extra=None) -> Path:
    """A one-page press PDF the way the renderer makes one: MediaBox = trim + 2 (bleed + slug),
    TrimBox/BleedBox set, subset TrueType, CMYK colour only."""
    c = canvas.Canvas(str(path), pagesize=(MEDIA_W, MEDIA_H), invariant=1,
                      initialFontName="Helvetica" if helvetica else "DejaVuSans")
    if boxes:
        c.setTrimBox((OFF, OFF, OFF + TRIM_W, OFF + TRIM_H))
        c.setBleedBox((OFF - BLEED, OFF - BLEED, OFF + TRIM_W + BLEED, OFF + TRIM_H + BLEED))
    c.setFillColor(CMYKColor(0, 0, 0, 1))
    c.setFont("Helvetica" if helvetica else "DejaVuSans", TEXT_SIZE)
    c.drawString(OFF + TEXT_X, OFF + TRIM_H - TEXT_BASE, TEXT)
    for img, (x, y, w, h) in images:
        c.drawImage(ImageReader(img), OFF + x, OFF + TRIM_H - y - h, w, h)
    if extra:
        extra(c)
    if marks:
        info = SlugInfo("test.pdf", 1, WHEN)
        draw_items(c, press_marks(TRIM_W, TRIM_H, BLEED, SLUG, info))
    c.showPage()
    c.save()
    return path


def run(*cmd) -> str:
    proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
    assert proc.returncode == 0, f"{cmd}: {proc.stderr}"
    return proc.stdout


@pytest.fixture(scope="module")
def finished(tmp_path_factory, newsprint):
    """A page with K text, a colour photo (converted) and a grey photo, finished as PDF/X-4."""
    tmp = tmp_path_factory.mktemp("pdfx")
    conv = make_image_converter(newsprint)
    photo = Image.new("RGB", (400, 300))
    photo.putdata([(x % 256, (x * 7) % 256, 128) for x in range(400 * 300)])
    grey = Image.new("L", (200, 200), 128)
    imgs = [(conv(photo), (10 * MM, 40 * MM, 50 * MM, 37.5 * MM)),   # 400 px on 50 mm: 203 ppi
            (conv(grey), (80 * MM, 40 * MM, 25.4 * MM, 25.4 * MM))]  # 200 px on 1 in: 200 ppi
    src = make_page(tmp / "render.pdf", images=imgs)
    dst = tmp / "page.pdf"
    with pytest.MonkeyPatch.context() as mp:  # the session may set SOURCE_DATE_EPOCH
        mp.delenv("SOURCE_DATE_EPOCH", raising=False)
        make_pdfx(src, dst, profile=newsprint, title="测试 Daily – page 1", creation_date=WHEN)
    return dst


def test_qpdf_check(finished):
    out = run("qpdf", "--check", str(finished))
    assert "No syntax or stream encoding errors" in out


def test_pdfinfo_boxes_and_version(finished):
    out = run("pdfinfo", "-box", str(finished))
    assert re.search(r"PDF version:\s+1\.6", out)
    assert re.search(r"PDF subtype:\s+PDF/X-4", out)

    def boxline(name):
        m = re.search(rf"{name}:\s+([-\d.]+)\s+([-\d.]+)\s+([-\d.]+)\s+([-\d.]+)", out)
        return tuple(float(v) for v in m.groups())

    assert boxline("TrimBox") == pytest.approx((OFF, OFF, OFF + TRIM_W, OFF + TRIM_H), abs=0.01)
    assert boxline("BleedBox") == pytest.approx(
        (OFF - BLEED, OFF - BLEED, OFF + TRIM_W + BLEED, OFF + TRIM_H + BLEED), abs=0.01)
    assert boxline("MediaBox") == pytest.approx((0, 0, MEDIA_W, MEDIA_H), abs=0.01)
    assert "Encrypted:       no" in out


def test_pdffonts_embedded_subset(finished):
    lines = run("pdffonts", str(finished)).splitlines()[2:]
    assert lines
    for ln in lines:
        parts = ln.split()
        assert parts[-5:-3] == ["yes", "yes"], ln
        assert "Helvetica" not in ln


def test_pdfimages_cmyk_and_gray_with_ppi(finished):
    rows = [ln.split() for ln in run("pdfimages", "-list", str(finished)).splitlines()[2:]]
    colours = sorted(r[5] for r in rows)
    assert colours == ["cmyk", "gray"]
    ppi = {r[5]: (int(r[12]), int(r[13])) for r in rows}
    assert ppi["cmyk"] == (203, 203)
    assert ppi["gray"] == (200, 200)


def test_output_intent_info_and_xmp(finished, newsprint):
    with pikepdf.open(finished) as pdf:
        assert pdf.pdf_version == "1.6"
        assert not pdf.is_encrypted
        intents = pdf.Root.OutputIntents
        assert len(intents) == 1
        oi = intents[0]
        assert oi.S == "/GTS_PDFX"
        assert str(oi.OutputConditionIdentifier) == newsprint.condition_id
        prof = oi.DestOutputProfile
        assert prof.N == 4 and prof.Alternate == "/DeviceCMYK"
        assert prof.read_bytes() == newsprint.data()
        info = pdf.docinfo
        assert str(info.Title) == "测试 Daily – page 1"
        assert info.Trapped == "/False"
        assert str(info.GTS_PDFXVersion) == "PDF/X-4"
        assert str(info.CreationDate).startswith("D:20240501223000")
        assert "/ModDate" in info and "/Producer" in info
        assert len(pdf.trailer.ID) == 2
        meta = pdf.open_metadata()
        assert meta["pdfxid:GTS_PDFXVersion"] == "PDF/X-4"
        assert meta["dc:title"] == "测试 Daily – page 1"
        assert meta["pdf:Trapped"] == "False"
        assert meta["xmpMM:DocumentID"].startswith("uuid:")
        assert meta["xmpMM:InstanceID"].startswith("uuid:")
        assert meta["xmp:CreateDate"].startswith("2024-05-01T22:30:00")
        raw = pdf.Root.Metadata.read_raw_bytes()
        assert b"http://www.npes.org/pdfx/ns/id/" in raw  # XMP left unfiltered and readable


def separations(pdf: Path, tmp: Path, dpi: int = 72) -> dict[str, Image.Image]:
    tmp.mkdir(exist_ok=True)
    run("gs", "-q", "-dNOPAUSE", "-dBATCH", "-dSAFER", f"-r{dpi}", "-sDEVICE=tiffsep",
        f"-sOutputFile={tmp}/p%d.tif", str(pdf))
    out = {}
    for plate in ("Cyan", "Magenta", "Yellow", "Black"):
        with Image.open(tmp / f"p1({plate}).tif") as im:
            out[plate] = im.convert("L")
    return out


def ink_in(im: Image.Image, box_pt) -> int:
    """Maximum ink (0..255) of a separation inside a box given in points from the top-left of
    the MediaBox (72 dpi: one pixel per point)."""
    x0, y0, x1, y1 = (int(round(v)) for v in box_pt)
    return 255 - im.crop((x0, y0, x1, y1)).getextrema()[0]


def test_k_text_only_on_k_plate_and_marks_on_all(finished, tmp_path):
    seps = separations(finished, tmp_path / "sep")
    width = pdfmetrics.stringWidth(TEXT, "DejaVuSans", TEXT_SIZE)
    text_box = (OFF + TEXT_X, OFF + TEXT_BASE - TEXT_SIZE * 0.75, OFF + TEXT_X + width, OFF + TEXT_BASE)
    assert ink_in(seps["Black"], text_box) == 255
    for plate in ("Cyan", "Magenta", "Yellow"):
        assert ink_in(seps[plate], text_box) == 0, plate
    # the top-left crop mark (the trim's left edge extended into the slug, outside the bleed)
    # is in registration colour: it inks every plate
    crop = (OFF - 2, 0, OFF + 2, OFF - BLEED)
    for plate, im in seps.items():
        assert ink_in(im, crop) > 200, plate
    # the grey photo is on K only
    grey_box = (OFF + 82 * MM, OFF + 42 * MM, OFF + 103 * MM, OFF + 63 * MM)
    assert ink_in(seps["Black"], grey_box) > 0
    for plate in ("Cyan", "Magenta", "Yellow"):
        assert ink_in(seps[plate], grey_box) == 0, plate


def test_deterministic_with_source_date_epoch(tmp_path, newsprint, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1714600000")
    src = make_page(tmp_path / "r.pdf")
    a, b = tmp_path / "a.pdf", tmp_path / "b.pdf"
    make_pdfx(src, a, profile=newsprint, title="t", creation_date=datetime.now())
    make_pdfx(src, b, profile=newsprint, title="t", creation_date=datetime(1999, 1, 1))
    assert a.read_bytes() == b.read_bytes()
    with pikepdf.open(a) as pdf:
        assert str(pdf.docinfo.CreationDate).startswith("D:20240501214640")
    c = tmp_path / "c.pdf"
    make_pdfx(src, c, profile=newsprint, title="other", creation_date=datetime.now())
    with pikepdf.open(a) as pa, pikepdf.open(c) as pc:
        # ID[0] is the renderer's permanent identifier, ID[1] changes with the content
        assert bytes(pa.trailer.ID[1]) != bytes(pc.trailer.ID[1])


def test_deterministic_without_epoch(tmp_path, newsprint, monkeypatch):
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    src = make_page(tmp_path / "r.pdf")
    outs = []
    for name in ("a.pdf", "b.pdf"):
        make_pdfx(src, tmp_path / name, profile=newsprint, title="t", creation_date=WHEN)
        outs.append((tmp_path / name).read_bytes())
    assert outs[0] == outs[1]


def test_x1a(tmp_path, newsprint):
    src = make_page(tmp_path / "r.pdf")
    dst = tmp_path / "x1a.pdf"
    make_pdfx(src, dst, variant="X-1a", profile=newsprint, title="t", creation_date=WHEN, trapped=True)
    assert dst.read_bytes().startswith(b"%PDF-1.4")
    run("qpdf", "--check", str(dst))
    with pikepdf.open(dst) as pdf:
        assert str(pdf.docinfo.GTS_PDFXVersion) == "PDF/X-1:2003"
        assert str(pdf.docinfo.GTS_PDFXConformance) == "PDF/X-1a:2003"
        assert pdf.docinfo.Trapped == "/True"
        assert len(pdf.Root.OutputIntents) == 1
        assert pdf.open_metadata()["pdfx:GTS_PDFXConformance"] == "PDF/X-1a:2003"
        assert pdf.open_metadata()["pdf:Trapped"] == "True"


def test_x1a_rejects_transparency_and_rgb(tmp_path, newsprint):
    def extra(c):
        c.setFillColor(Color(1, 0, 0))  # RGB
        c.rect(OFF + 5, OFF + 5, 20, 20, stroke=0, fill=1)
        c.setFillAlpha(0.5)
        c.setFillColor(CMYKColor(1, 0, 0, 0))
        c.rect(OFF + 30, OFF + 5, 20, 20, stroke=0, fill=1)

    src = make_page(tmp_path / "r.pdf", extra=extra)
    with pytest.raises(FinishError) as ei:
        make_pdfx(src, tmp_path / "x.pdf", variant="X-1a", profile=newsprint, title="t", creation_date=WHEN)
    text = str(ei.value)
    assert "transparency" in text and "ca=0.5" in text
    assert "DeviceRGB" in text
    assert not (tmp_path / "x.pdf").exists()
    # X-4 allows the transparency but not uncharacterised RGB
    with pytest.raises(FinishError, match="DeviceRGB"):
        make_pdfx(src, tmp_path / "x.pdf", profile=newsprint, title="t", creation_date=WHEN)


def test_rgb_image_rejected_in_x4(tmp_path, newsprint):
    src = make_page(tmp_path / "r.pdf", images=[(Image.new("RGB", (50, 50), "red"), (5, 5, 50, 50))])
    with pytest.raises(FinishError, match="image .* DeviceRGB"):
        make_pdfx(src, tmp_path / "x.pdf", profile=newsprint, title="t", creation_date=WHEN)


def test_unembedded_font_rejected(tmp_path, newsprint):
    src = make_page(tmp_path / "r.pdf", helvetica=True)
    with pytest.raises(FinishError, match="Helvetica.*not embedded"):
        make_pdfx(src, tmp_path / "x.pdf", profile=newsprint, title="t", creation_date=WHEN)


def test_missing_trimbox_rejected_or_set(tmp_path, newsprint):
    src = make_page(tmp_path / "r.pdf", boxes=False)
    with pytest.raises(FinishError, match="no TrimBox"):
        make_pdfx(src, tmp_path / "x.pdf", profile=newsprint, title="t", creation_date=WHEN)
    trim = (OFF, OFF, OFF + TRIM_W, OFF + TRIM_H)
    bleed = (OFF - BLEED, OFF - BLEED, OFF + TRIM_W + BLEED, OFF + TRIM_H + BLEED)
    dst = tmp_path / "x.pdf"
    make_pdfx(src, dst, profile=newsprint, title="t", creation_date=WHEN, trim_box=trim, bleed_box=bleed)
    with pikepdf.open(dst) as pdf:
        assert [float(v) for v in pdf.pages[0].obj.TrimBox] == pytest.approx(trim)
        assert [float(v) for v in pdf.pages[0].obj.BleedBox] == pytest.approx(bleed)


def test_box_outside_media_rejected(tmp_path, newsprint):
    src = make_page(tmp_path / "r.pdf")
    with pytest.raises(FinishError, match="not inside the MediaBox"):
        make_pdfx(src, tmp_path / "x.pdf", profile=newsprint, title="t", creation_date=WHEN,
                  trim_box=(-5, 0, 100, 100))


def test_failure_leaves_previous_output_untouched(tmp_path, newsprint):
    dst = tmp_path / "page.pdf"
    dst.write_bytes(b"previous good file")
    src = make_page(tmp_path / "r.pdf", helvetica=True)
    with pytest.raises(FinishError):
        make_pdfx(src, dst, profile=newsprint, title="t", creation_date=WHEN)
    assert dst.read_bytes() == b"previous good file"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["page.pdf", "r.pdf"]


def test_encrypted_input_rejected(tmp_path, newsprint):
    src = make_page(tmp_path / "r.pdf")
    enc = tmp_path / "enc.pdf"
    with pikepdf.open(src) as pdf:
        pdf.save(enc, encryption=pikepdf.Encryption(owner="secret", user=""))
    with pytest.raises(FinishError, match="encrypted"):
        make_pdfx(enc, tmp_path / "x.pdf", profile=newsprint, title="t", creation_date=WHEN)


def test_unknown_variant(tmp_path, newsprint):
    with pytest.raises(FinishError, match="variant"):
        make_pdfx(tmp_path / "nope.pdf", tmp_path / "x.pdf", variant="X-3",  # type: ignore[arg-type]
                  profile=newsprint, title="t", creation_date=WHEN)


def test_no_temp_files_left_on_success(finished):
    assert not [p for p in os.listdir(finished.parent) if p.endswith(".part")]
