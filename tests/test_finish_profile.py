"""The built newsprint output profile: what it prints like, where it lives, and that a missing
or damaged one stops a press build instead of being replaced by another profile.

The measurements go through paths independent of the code that built the profile: argyll's
``xicclu`` (its own ICC reader, not lcms) for the colorimetry of the K ramp and the paper, and
Pillow's lcms (the path photos take in layout.finish.color) for the ink of separations.

Tone value increase (TVI) follows ISO 12647's Murray-Davies definition with densities relative
to the paper, D = -log10(Y / Y_paper), taking CIE Y as the reflectance (the visual filter, which
is what a densitometer uses for K):

    printed tone % = 100 * (1 - 10^-D_tint) / (1 - 10^-D_solid)
                   = 100 * (Y_paper - Y_tint) / (Y_paper - Y_solid)
    TVI = printed tone - nominal tone

with Y from L* by the CIE relation Y = ((L* + 16) / 116)^3 (for L* > 8).
"""

from __future__ import annotations

import json
import random
import shutil
import subprocess
from pathlib import Path

import pytest
from PIL import Image, ImageCms

import layout.finish.profile as prof
from layout.finish import FinishError
from layout.finish.color import tac_of

ROOT = Path(__file__).resolve().parent.parent


def _y(lstar: float) -> float:
    f = (lstar + 16) / 116
    return f ** 3 if lstar > 8 else lstar * 27 / 24389


def _xicclu_lab(path: Path, cmyks: list[tuple[float, ...]]) -> list[tuple[float, ...]]:
    """Absolute colorimetric Lab of CMYK percentages through the profile's A2B table, by argyll."""
    xicclu = shutil.which("xicclu")
    assert xicclu, "argyll's xicclu is missing (the set-up installs argyll)"
    stdin = "".join(" ".join(f"{v / 100:.6f}" for v in c) + "\n" for c in cmyks)
    out = subprocess.run([xicclu, "-ff", "-ia", "-pl", str(path)], input=stdin, capture_output=True,
                         text=True, check=True).stdout
    labs = []
    for line in out.splitlines():
        if "->" in line and "[Lab]" in line:
            labs.append(tuple(float(v) for v in line.split("->")[-1].split()[:3]))
    assert len(labs) == len(cmyks), out
    return labs


def test_k_tone_value_increase_is_newsprint(newsprint):
    """K 40 % prints at 64 % or more (TVI >= 24 %), as coldset newsprint does (ISO 12647-3: 26 %,
    CGATS TR 002 data: 25 %); uncoated offset (FOGRA29L, the data used before) gave 22 %."""
    paper, k40, solid = _xicclu_lab(newsprint.path, [(0, 0, 0, 0), (0, 0, 0, 40), (0, 0, 0, 100)])
    tvi = 100 * (_y(paper[0]) - _y(k40[0])) / (_y(paper[0]) - _y(solid[0])) - 40
    assert 24.0 <= tvi <= 30.0, (paper, k40, solid, tvi)
    # the same through lcms, the CMM the converter uses, and as the build record says
    summary = prof.profile_summary(newsprint.path)
    assert summary["k_tvi_40"] == pytest.approx(tvi, abs=1.0)
    record = json.loads(prof.build_record_path(newsprint.path).read_text())
    assert record["measured"]["k_tvi_40"] == pytest.approx(tvi, abs=1.0)


def test_paper_white_is_newsprint_grey(newsprint):
    """Absolute colorimetry of 0 % ink: newsprint grey (TR 002: L* 80, b* 3.5; ISO 12647-3: L* 82,
    b* 3), not the white of offset paper (L* 95-96)."""
    ((lstar, a, b),) = _xicclu_lab(newsprint.path, [(0, 0, 0, 0)])
    assert 75 <= lstar <= 90
    assert abs(a) <= 2 and 1 <= b <= 6  # near-neutral, slightly warm
    ((solid_l, _, _),) = _xicclu_lab(newsprint.path, [(0, 0, 0, 100)])
    assert 30 <= solid_l <= 42  # a newsprint solid black is weak (L* ~37), as the data say


@pytest.mark.parametrize("intent", [ImageCms.Intent.PERCEPTUAL, ImageCms.Intent.RELATIVE_COLORIMETRIC])
def test_separations_keep_the_ink_limit(newsprint, intent):
    """Random sRGB colours (and the corners of the cube) separated through the profile by lcms,
    as photos are, with no clamp afterwards: at most 222 % total ink (220 % plus table
    interpolation)."""
    rnd = random.Random(12647)
    px = [tuple(rnd.randrange(256) for _ in range(3)) for _ in range(20000)]
    px += [(r, g, b) for r in (0, 255) for g in (0, 255) for b in (0, 255)]
    im = Image.new("RGB", (len(px), 1))
    im.putdata(px)
    tr = ImageCms.buildTransform(ImageCms.createProfile("sRGB"), ImageCms.getOpenProfile(str(newsprint.path)),
                                 "RGB", "CMYK", renderingIntent=intent,
                                 flags=ImageCms.Flags.BLACKPOINTCOMPENSATION)
    out = ImageCms.applyTransform(im, tr)
    assert tac_of(out) <= 222.0
    assert tac_of(out) >= 200.0  # the limit is used: dark colours are not starved of ink


def test_greys_are_carried_by_black(newsprint):
    """Maximum GCR: a mid grey is mostly K, with at most a trace of C, M, Y; CMY appear only in
    the darkest tones, under the 95 % black limit."""
    tr = ImageCms.buildTransform(ImageCms.createProfile("sRGB"), ImageCms.getOpenProfile(str(newsprint.path)),
                                 "RGB", "CMYK", renderingIntent=ImageCms.Intent.PERCEPTUAL,
                                 flags=ImageCms.Flags.BLACKPOINTCOMPENSATION)
    greys = Image.new("RGB", (3, 1))
    greys.putdata([(200, 200, 200), (128, 128, 128), (0, 0, 0)])
    out = ImageCms.applyTransform(greys, tr)
    light, mid, black = (out.getpixel((i, 0)) for i in range(3))
    assert mid[3] >= 0.5 * 255 and sum(mid[:3]) <= 0.15 * 255
    assert light[3] > 0 and sum(light[:3]) <= 0.05 * 255
    assert black[3] <= 0.95 * 255 + 2


def test_built_profile_lives_in_the_package(newsprint, tmp_path, monkeypatch):
    """Package data beside the module, not the cache: another cache folder or HOME finds the same
    file."""
    assert newsprint.path == (ROOT / "layout" / "finish" / "data" / newsprint.path.name).resolve()
    monkeypatch.setenv("BROADSHEET_CACHE", str(tmp_path / "cache"))
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    again = prof.output_profile(None)
    assert again.path == newsprint.path and again.source == "built"


def test_build_record_describes_the_file(newsprint):
    import hashlib

    data = newsprint.data()
    record = json.loads(prof.build_record_path(newsprint.path).read_text())
    assert record["size"] == len(data) and record["sha256"] == hashlib.sha256(data).hexdigest()
    assert record["description"] == newsprint.description == prof.BUILT_DESCRIPTION
    assert record["source"]["file"].endswith("TR002.ti3")
    assert record["source"]["measured"]["paper_lab"][0] == pytest.approx(80.1, abs=0.5)
    assert record["parameters"]["total_ink_limit"] == 220 and "-kx" in record["parameters"]["arguments"]


def test_output_intent_names_the_condition(newsprint):
    """The built profile is made from the registered CGATS TR 002 data, so the OutputIntent
    names that registered condition; Info is the profile's own description."""
    assert newsprint.condition_id == "CGATS TR 002"
    assert newsprint.registry == "http://www.color.org"
    assert "newsprint" in newsprint.condition.lower() and "TR 002" in newsprint.condition
    assert "CGATS TR 002" in newsprint.description and "220% TAC" in newsprint.description
    other = prof.output_profile(None, condition_id="OurPlant-2024")
    assert other.condition_id == "OurPlant-2024" and other.registry is None  # no longer the registered one


@pytest.mark.parametrize("desc, ident", [
    ("WAN-IFRAnewspaper26v5", "IFRA26"),
    ("ISOnewspaper26v4", "IFRA26"),
    ("SNAP 2007", "CGATS TR 002"),
    ("Coldset newsprint CGATS TR 002", "CGATS TR 002"),
    ("Coated FOGRA39 (ISO 12647-2:2004)", "FOGRA39"),
    ("Our press, 2019 fingerprint", "Custom"),
])
def test_registered_conditions_are_recognised(desc, ident):
    assert prof.condition_for(desc)[0] == ident


# --------------------------------------------------------------------------------------------
# no fallback: a missing or damaged built profile is an error naming the path and the fix


@pytest.fixture()
def elsewhere(tmp_path, monkeypatch, newsprint):
    """The built-profile location moved to a temporary folder, with a copy of the real profile
    and record there (the real ones are never touched)."""
    dest = tmp_path / "data" / newsprint.path.name
    dest.parent.mkdir()
    shutil.copyfile(newsprint.path, dest)
    shutil.copyfile(prof.build_record_path(newsprint.path), prof.build_record_path(dest))
    monkeypatch.setattr(prof, "built_profile_path", lambda tac=prof.BUILT_TAC: dest)
    assert prof.output_profile(None).path == dest.resolve()  # the copy itself is valid
    return dest


def _fails(match: str, path: Path):
    with pytest.raises(FinishError, match=match) as caught:
        prof.output_profile(None)
    text = str(caught.value)
    assert str(path) in text
    assert "make setup" in text and "python -m layout.finish.profile" in text
    return text


def test_missing_profile_raises(elsewhere):
    elsewhere.unlink()
    _fails("not built", elsewhere)


def test_missing_record_raises(elsewhere):
    prof.build_record_path(elsewhere).unlink()
    _fails("build record", elsewhere)


def test_unreadable_record_raises(elsewhere):
    prof.build_record_path(elsewhere).write_text("{not json")
    _fails("build record", elsewhere)


def test_changed_byte_raises(elsewhere):
    data = bytearray(elsewhere.read_bytes())
    data[5000] ^= 0xFF
    elsewhere.write_bytes(bytes(data))
    assert "sha256" in _fails("not usable", elsewhere)


def test_truncated_profile_raises(elsewhere):
    elsewhere.write_bytes(elsewhere.read_bytes()[:4000])
    text = _fails("not usable", elsewhere)
    assert "size" in text and "sha256" in text


def test_rgb_profile_with_a_matching_record_raises(elsewhere):
    """Even a record that matches cannot make a non-press profile acceptable."""
    import hashlib

    rgb = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    elsewhere.write_bytes(rgb)
    rec_path = prof.build_record_path(elsewhere)
    record = json.loads(rec_path.read_text())
    record.update(size=len(rgb), sha256=hashlib.sha256(rgb).hexdigest())
    rec_path.write_text(json.dumps(record))
    assert "not CMYK" in _fails("not usable", elsewhere)


def test_check_command_reports_a_damaged_profile(elsewhere, capsys):
    assert prof.main(["--check"]) == 0
    assert capsys.readouterr().out.strip() == str(elsewhere)
    elsewhere.write_bytes(elsewhere.read_bytes()[:-1])
    assert prof.main(["--check"]) == 1
    assert "not usable" in capsys.readouterr().err

