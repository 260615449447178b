"""The stand-in photographs in images/ (made by tools/make_images.py) look like photos, not
flat placeholders, and the generator is deterministic."""

from __future__ import annotations

import importlib.util
import io
from pathlib import Path

import pytest
from PIL import Image, ImageStat

from layout.assets.images import inspect, prepare

ROOT = Path(__file__).resolve().parent.parent
STANDINS = ["wanfeng-lake.jpg", "factory-ba.jpg", "power-valley.jpg"]


def load_generator():
    spec = importlib.util.spec_from_file_location("make_images", ROOT / "tools" / "make_images.py")
    mod = importlib.util.module_from_spec(spec)
    assert spec.loader is not None
    spec.loader.exec_module(mod)
    return mod


@pytest.mark.parametrize("name", STANDINS)
def test_standin_is_a_photographic_rgb_jpeg(name):
    path = ROOT / "images" / name
    assert path.is_file(), f"{path} missing: run `make images`"
    assert path.stat().st_size < 1_500_000
    with Image.open(path) as img:
        assert img.format == "JPEG" and img.mode == "RGB"
        w, h = img.size
        assert 2000 <= w <= 3000
        assert 1.3 <= w / h <= 1.55  # about 4:3 or 3:2
        assert not img.getexif()  # EXIF-free: nothing to rotate, nothing private
        img.load()
        # not flat: wide tonal range in every channel ...
        assert all(sd > 25 for sd in ImageStat.Stat(img).stddev)
        # ... and many distinct colours even at proof size (gradients, texture, grain)
        small = img.resize((600, round(600 * h / w)), Image.Resampling.BILINEAR)
        assert len(small.getcolors(1 << 20) or []) > 20000
        # texture everywhere: most 40x40 tiles are not a single flat colour
        tiles = [small.crop((x, y, x + 40, y + 40)) for x in range(0, 560, 40) for y in range(0, small.height - 40, 40)]
        textured = sum(1 for t in tiles if max(ImageStat.Stat(t).stddev) > 1.5)
        assert textured / len(tiles) > 0.95


@pytest.mark.parametrize("name", STANDINS)
def test_standin_goes_through_the_pipeline(tmp_path, name):
    info = inspect(ROOT / "images" / name)
    assert info.width >= 2000
    # a two-column photo on a broadsheet page, about 90 x 60 mm
    r = prepare(ROOT / "images" / name, 255, 170, cache_dir=tmp_path)
    assert r.warnings == () and r.ppi == pytest.approx(300, abs=1)


def test_generator_is_deterministic_and_fast_at_small_scale():
    gen = load_generator()
    for name in gen.SCENES:
        a, b = gen.render(name, 0.12), gen.render(name, 0.12)
        assert a.tobytes() == b.tobytes(), name
        buf1, buf2 = io.BytesIO(), io.BytesIO()
        a.save(buf1, "JPEG", quality=88)
        b.save(buf2, "JPEG", quality=88)
        assert buf1.getvalue() == buf2.getvalue()
