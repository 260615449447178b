"""The newsprint output profile and the image converter (layout.finish.profile / .color)."""

from __future__ import annotations

import io
import random

import pytest
from PIL import Image, ImageCms

from layout.finish import FinishError
from layout.finish.color import limit_tac, make_image_converter, tac_of
from layout.finish.profile import (
    BUILT_DESCRIPTION,
    build_newsprint_profile,
    icc_header,
    output_profile,
)


@pytest.fixture(scope="session")
def newsprint():
    """The built profile (about 35 s the first time, then kept in layout/finish/data/). Set-up
    installs argyll and icc-profiles-free, so their absence is a failure, not a skip."""
    try:
        build_newsprint_profile()
    except FinishError as e:
        pytest.fail(f"cannot build the newsprint profile (run scripts/setup.sh): {e}")
    return output_profile(None)


@pytest.fixture(scope="session")
def conv(newsprint):
    return make_image_converter(newsprint)


def test_built_profile_identity(newsprint):
    assert newsprint.source == "built"
    assert newsprint.description == BUILT_DESCRIPTION
    assert newsprint.tac_limit == 220
    assert newsprint.condition_id == "CGATS TR 002"  # the registered data it is made from
    assert newsprint.registry == "http://www.color.org"
    head = icc_header(newsprint.data())
    assert head["device_class"] == "prtr"
    assert head["color_space"] == "CMYK"
    assert head["version"][0] == 2  # usable in PDF/X-1a (PDF 1.4) as well as X-4


def test_srgb_black_stays_under_the_ink_limit(conv):
    out = conv(Image.new("RGB", (4, 4), (0, 0, 0)))
    assert out.mode == "CMYK"
    c, m, y, k = out.getpixel((0, 0))
    assert k > 200  # black is carried by K (maximum GCR)
    assert tac_of(out) <= 240
    # Ghostscript's SWOP profile would give ~298 %; the newsprint one stays near its 220 %
    assert tac_of(out) < 230


def test_random_colours_never_exceed_the_limit(newsprint):
    rnd = random.Random(7)
    im = Image.new("RGB", (64, 64))
    im.putdata([(rnd.randrange(256), rnd.randrange(256), rnd.randrange(256)) for _ in range(64 * 64)])
    for limit in (2.4, 2.0):
        out = make_image_converter(newsprint, limit)(im)
        assert tac_of(out) <= limit * 100 + 1e-6
    # percent is accepted too
    assert tac_of(make_image_converter(newsprint, 200)(im)) <= 200 + 1e-6


def test_grey_stays_single_channel_and_monotonic(conv):
    ramp = Image.new("L", (256, 1))
    ramp.putdata(list(range(256)))
    out = conv(ramp)
    assert out.mode == "L"
    vals = list(out.tobytes())
    assert vals[0] == 0 and vals[255] == 255  # solid black stays solid K, white stays paper
    assert all(b >= a for a, b in zip(vals, vals[1:]))  # tone order kept
    assert "icc_profile" not in out.info


def test_tac_enforced_per_pixel_keeping_k():
    px = [(255, 255, 255, 255), (230, 230, 230, 128), (100, 50, 0, 255), (10, 0, 0, 0), (0, 0, 0, 255)]
    im = Image.new("CMYK", (len(px), 1))
    im.putdata(px)
    assert tac_of(im) == pytest.approx(400.0)
    out = limit_tac(im, 2.4)
    got = list(zip(*[list(ch.tobytes()) for ch in out.split()]))
    for (c0, m0, y0, k0), (c, m, y, k) in zip(px, got):
        assert k == k0  # K is kept
        assert c + m + y + k <= 2.4 * 255 + 1e-9
        if c0 + m0 + y0 + k0 <= 612:
            assert (c, m, y) == (c0, m0, y0)  # under the limit: untouched
        else:
            # proportional: the C:M:Y ratios survive (up to truncation)
            assert abs(c / max(c0, 1) - m / max(m0, 1)) < 0.02
    assert tac_of(out) <= 240


def test_cmyk_without_profile_passes_through(conv):
    im = Image.new("CMYK", (2, 2), (10, 20, 30, 40))
    assert conv(im).getpixel((0, 0)) == (10, 20, 30, 40)


def test_cmyk_with_profile_is_reseparated(conv):
    swop = open("/usr/share/color/icc/ghostscript/default_cmyk.icc", "rb").read()
    im = Image.new("CMYK", (2, 2), (200, 190, 190, 230))  # a SWOP rich black, ~317 %
    im.info["icc_profile"] = swop
    out = conv(im)
    assert tac_of(out) <= 240
    assert "icc_profile" not in out.info


def test_alpha_is_flattened_onto_paper(conv):
    im = Image.new("RGBA", (2, 1), (0, 0, 0, 0))
    im.putpixel((1, 0), (0, 0, 0, 255))
    out = conv(im)
    assert out.mode == "CMYK"
    assert out.getpixel((0, 0)) == (0, 0, 0, 0)  # transparent = paper
    assert out.getpixel((1, 0))[3] > 200


def test_embedded_rgb_profile_is_used(conv):
    srgb = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    a = Image.new("RGB", (1, 1), (200, 40, 40))
    b = a.copy()
    b.info["icc_profile"] = srgb
    assert conv(a).getpixel((0, 0)) == pytest.approx(conv(b).getpixel((0, 0)), abs=2)


def test_tac_of_grey_and_rgb():
    assert tac_of(Image.new("L", (1, 1), 0)) == pytest.approx(100)
    assert tac_of(Image.new("L", (1, 1), 255)) == pytest.approx(0)
    with pytest.raises(ValueError):
        tac_of(Image.new("RGB", (1, 1)))


def test_configured_profile_must_exist_and_be_cmyk(tmp_path):
    with pytest.raises(FinishError, match="not found"):
        output_profile(tmp_path / "missing.icc")
    rgb = tmp_path / "srgb.icc"
    rgb.write_bytes(ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes())
    with pytest.raises(FinishError, match="not CMYK"):
        output_profile(rgb)


def test_configured_profile_is_used_and_measured():
    info = output_profile("/usr/share/color/icc/ghostscript/default_cmyk.icc")
    assert info.source == "config"
    assert "SWOP" in info.description
    assert 280 <= info.tac_limit <= 320  # SWOP puts ~300 % in the shadows


def test_unbuilt_profile_is_an_error_not_a_fallback(tmp_path, monkeypatch):
    """Without a configured or a built profile there is no press separation (no SWOP stand-in):
    FinishError, naming the path and the fix. (Details: tests/test_finish_profile.py.)"""
    import layout.finish.profile as prof

    monkeypatch.setattr(prof, "built_profile_path", lambda tac=220: tmp_path / "none.icc")
    with pytest.raises(FinishError, match="not built") as caught:
        output_profile(None)
    assert str(tmp_path / "none.icc") in str(caught.value) and "make setup" in str(caught.value)


def test_converter_output_embeds_as_cmyk_jpeg(conv):
    """What the image pipeline does next: save the converted image. CMYK JPEG round trip keeps
    the values (Pillow writes Adobe-inverted CMYK, as the renderer expects)."""
    out = conv(Image.new("RGB", (8, 8), (30, 90, 160)))
    buf = io.BytesIO()
    out.save(buf, "JPEG", quality=95)
    back = Image.open(io.BytesIO(buf.getvalue()))
    assert back.mode == "CMYK"
    assert back.getpixel((4, 4)) == pytest.approx(out.getpixel((4, 4)), abs=3)


def test_profile_build_is_reproducible(newsprint):
    """colprof's only run-to-run difference, the header date, is pinned."""
    prof = ImageCms.getOpenProfile(str(newsprint.path))
    assert prof.profile.creation_date.year == 2000
    assert newsprint.data()[24:36] == bytes.fromhex("07d0000100010000 00000000".replace(" ", ""))


def test_profile_module_main_prints_the_path(newsprint, capsys):
    from layout.finish.profile import main

    assert main([]) == 0
    assert capsys.readouterr().out.strip() == str(newsprint.path)


def test_converter_cache_key_tracks_its_settings(newsprint, conv):
    assert conv.cache_key == make_image_converter(newsprint).cache_key
    assert conv.cache_key != make_image_converter(newsprint, 2.2).cache_key
    assert conv.cache_key != make_image_converter(newsprint, gray_to_k=False).cache_key


def test_profile_description_without_lcms(newsprint):
    """The ICC 'desc' tag read from the tag table (v2 'desc' and v4 'mluc' types) says what
    lcms says, for the built profile and the profiles Ghostscript ships."""
    import glob
    from pathlib import Path

    from PIL import ImageCms

    from layout.finish.profile import description_tag

    files = [str(newsprint.path)] + sorted(glob.glob("/usr/share/ghostscript/*/iccprofiles/*.icc"))[:12]
    for f in files:
        data = Path(f).read_bytes()
        want = (ImageCms.getProfileDescription(ImageCms.getOpenProfile(f)) or "").strip()
        assert (description_tag(data) or "").strip() == want, f
    assert description_tag(b"\0" * 200) is None  # no tag table: lcms is asked instead


def test_ink_limit_in_strips_equals_whole_image(monkeypatch):
    """limit_tac and tac_of work in strips of rows (bounded memory); the result is the same
    pixel for pixel as one pass over the whole picture."""
    import random

    from PIL import Image

    import layout.finish.ink as ink

    rnd = random.Random(7)
    im = Image.new("CMYK", (37, 53))
    im.putdata([tuple(rnd.randrange(256) for _ in range(4)) for _ in range(37 * 53)])
    monkeypatch.setattr(ink, "STRIP_ROWS", 10_000)
    whole, whole_tac = limit_tac(im, 2.4).tobytes(), tac_of(im)
    monkeypatch.setattr(ink, "STRIP_ROWS", 5)
    assert limit_tac(im, 2.4).tobytes() == whole
    assert tac_of(im) == whole_tac
    assert tac_of(limit_tac(im, 2.4)) <= 240.0 + 1e-9
