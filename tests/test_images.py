"""The image pipeline (layout/images.py): inspection and errors, crop geometry, EXIF orientation,
resampling and effective resolution, warnings, caching, determinism and the colour hook.

All pictures are made here, small, in tmp_path."""

from __future__ import annotations

import io
import struct
import time
import zlib
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image, ImageDraw, ImageStat

from layout.assets import images
from layout.assets.images import ImageError, inspect, plan_crop, prepare


# ------------------------------------------------------------------------------------------------
# helpers


def photo(path: Path, size: tuple[int, int] = (600, 400), fmt: str = "JPEG", **save) -> Path:
    """A small picture with structure (gradients and shapes), so resampling has work to do."""
    w, h = size
    img = Image.new("RGB", size)
    img.paste(Image.linear_gradient("L").resize(size).convert("RGB"))
    d = ImageDraw.Draw(img)
    d.ellipse((w * 0.1, h * 0.1, w * 0.5, h * 0.7), fill=(200, 40, 40))
    d.rectangle((w * 0.55, h * 0.2, w * 0.9, h * 0.9), fill=(30, 80, 200))
    d.line((0, h - 1, w - 1, 0), fill=(255, 255, 0), width=max(w // 100, 1))
    if fmt == "JPEG":
        save.setdefault("quality", 90)
    img.save(path, fmt, **save)
    return path


def png_header_only(path: Path, w: int, h: int) -> Path:
    """A tiny PNG whose header claims w x h pixels (a decompression bomb's calling card)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    ihdr = struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0)
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\0" * 64)) + chunk(b"IEND", b""))
    return path


def jpeg_claiming(path: Path, w: int, h: int) -> Path:
    """A real small JPEG whose SOF marker is patched to claim w x h pixels."""
    buf = io.BytesIO()
    Image.new("RGB", (16, 16), (90, 90, 90)).save(buf, "JPEG")
    data = bytearray(buf.getvalue())
    i = 2
    while i < len(data):
        marker, seglen = data[i + 1], struct.unpack(">H", data[i + 2:i + 4])[0]
        if marker in (0xC0, 0xC1, 0xC2):
            struct.pack_into(">HH", data, i + 5, h, w)
            break
        i += 2 + seglen
    path.write_bytes(bytes(data))
    return path


def mean_rgb(img: Image.Image, box: tuple[int, int, int, int]) -> tuple[float, ...]:
    return tuple(ImageStat.Stat(img.crop(box).convert("RGB")).mean)


# ------------------------------------------------------------------------------------------------
# inspect and its errors


def test_inspect_reads_header_and_hash(tmp_path):
    p = photo(tmp_path / "a.jpg", (640, 480), dpi=(300, 300))
    info = inspect(p)
    assert (info.width, info.height) == (640, 480)
    assert (info.stored_width, info.stored_height) == (640, 480)
    assert info.orientation == 1 and info.format == "JPEG" and info.mode == "RGB"
    assert info.dpi == pytest.approx((300, 300))
    assert info.file_size == p.stat().st_size
    import hashlib

    assert info.sha256 == hashlib.sha256(p.read_bytes()).hexdigest()


def test_missing_file(tmp_path):
    with pytest.raises(ImageError) as e:
        inspect(tmp_path / "nope.jpg")
    assert "not found" in e.value.message and e.value.hint


def test_empty_file(tmp_path):
    p = tmp_path / "empty.jpg"
    p.write_bytes(b"")
    with pytest.raises(ImageError, match="empty"):
        inspect(p)


def test_text_file_named_jpg(tmp_path):
    p = tmp_path / "notes.jpg"
    p.write_text("<html><body>404 Not Found</body></html>\n", encoding="utf-8")
    with pytest.raises(ImageError, match="not a supported image") as e:
        inspect(p)
    assert e.value.hint


def test_directory_is_not_a_file(tmp_path):
    with pytest.raises(ImageError, match="not a file"):
        inspect(tmp_path)


def test_truncated_jpeg(tmp_path):
    p = photo(tmp_path / "full.jpg", (800, 600))
    data = p.read_bytes()
    cut = tmp_path / "cut.jpg"
    cut.write_bytes(data[: len(data) // 2])
    with pytest.raises(ImageError, match="damaged"):
        inspect(cut)
    with pytest.raises(ImageError, match="damaged"):
        prepare(cut, 100, 75, cache_dir=tmp_path / "cache")
    # the header alone is still readable: without verify the size is reported
    assert inspect(cut, verify=False).width == 800


@pytest.mark.parametrize("maker", [png_header_only, jpeg_claiming])
def test_decompression_bomb_refused_fast(tmp_path, maker):
    p = maker(tmp_path / "bomb.img", 30000, 30000)
    from unittest import mock

    from PIL import Image

    def refuse(self, *a, **k):
        raise AssertionError("the picture's pixels were decoded")

    with mock.patch.object(Image.Image, "load", refuse):  # refused from the header alone
        with pytest.raises(ImageError, match="too large"):
            inspect(p)
        with pytest.raises(ImageError, match="too large"):
            prepare(p, 200, 200, cache_dir=tmp_path / "cache")
    assert not (tmp_path / "cache").exists() or not any((tmp_path / "cache").iterdir())


def test_pixel_limit_is_ours_not_only_pillows(tmp_path):
    # 120 MP: above our 100 MP limit, below the size at which Pillow itself refuses to open
    p = png_header_only(tmp_path / "big.png", 12000, 10000)
    with pytest.raises(ImageError, match="too large") as e:
        inspect(p)
    assert "100 megapixels" in e.value.hint
    # and the limit is a parameter
    small = photo(tmp_path / "s.png", (100, 100), "PNG")
    with pytest.raises(ImageError, match="too large"):
        inspect(small, max_pixels=5000)


def test_image_error_str_carries_hint():
    e = ImageError("image not found: x.jpg", "check the path")
    assert str(e) == "image not found: x.jpg (check the path)"


# ------------------------------------------------------------------------------------------------
# plan_crop


def test_crop_centre_wide_picture_square_frame():
    assert plan_crop(3000, 2000, 300, 300) == (500, 0, 2500, 2000)


def test_crop_centre_tall_picture_wide_frame():
    assert plan_crop(2000, 3000, 400, 200) == (0, 1000, 2000, 2000)


def test_crop_same_aspect_keeps_everything():
    assert plan_crop(1500, 1000, 360, 240) == (0, 0, 1500, 1000)


@pytest.mark.parametrize(
    "focus, expected",
    [
        ((0.0, 0.0), (0, 0, 2000, 2000)),  # top-left corner: box pushed to the left edge
        ((1.0, 1.0), (1000, 0, 3000, 2000)),  # bottom-right corner: to the right edge
        ((0.0, 1.0), (0, 0, 2000, 2000)),
        ((1.0, 0.0), (1000, 0, 3000, 2000)),
        ((0.1, 0.5), (0, 0, 2000, 2000)),  # near the left edge: cannot be centred, clamped
        ((0.6, 0.5), (800, 0, 2800, 2000)),  # room to centre: focal point exactly in the middle
        ((0.5, 0.0), (500, 0, 2500, 2000)),  # vertical focus irrelevant when the full height is kept
    ],
)
def test_crop_focus_corners_and_edges(focus, expected):
    assert plan_crop(3000, 2000, 100, 100, focus) == expected


def test_crop_focus_vertical():
    # a portrait photo in a landscape frame: the focus (a face near the top) picks the band
    assert plan_crop(2000, 3000, 400, 200, (0.5, 0.2)) == (0, 100, 2000, 1100)
    assert plan_crop(2000, 3000, 400, 200, (0.5, 0.95)) == (0, 2000, 2000, 3000)


def test_crop_rejects_bad_arguments():
    with pytest.raises(ValueError):
        plan_crop(100, 100, 0, 100)
    with pytest.raises(ValueError):
        plan_crop(100, 100, 100, float("nan"))
    with pytest.raises(ValueError):
        plan_crop(100, 100, 100, 100, (1.5, 0.5))
    with pytest.raises(ValueError):
        plan_crop(0, 100, 100, 100)


@settings(max_examples=400, deadline=None)
@given(
    src_w=st.integers(1, 8000),
    src_h=st.integers(1, 8000),
    fw=st.floats(5, 2000),
    fh=st.floats(5, 2000),
    fx=st.floats(0, 1),
    fy=st.floats(0, 1),
)
def test_crop_properties(src_w, src_h, fw, fh, fx, fy):
    left, top, right, bottom = plan_crop(src_w, src_h, fw, fh, (fx, fy))
    cw, ch = right - left, bottom - top
    # inside the picture, non-empty
    assert 0 <= left < right <= src_w and 0 <= top < bottom <= src_h
    # largest box: the full width or the full height is kept
    assert cw == src_w or ch == src_h
    # the frame's aspect, up to rounding of the cropped side to whole pixels
    if ch == src_h and cw < src_w:
        assert abs(cw - src_h * fw / fh) <= 0.5 + 1e-9 or cw == 1
    if cw == src_w and ch < src_h:
        assert abs(ch - src_w * fh / fw) <= 0.5 + 1e-9 or ch == 1
    # focal point centred when the picture allows it, else the box touches the nearer edge
    for f, length, start, size in ((fx, src_w, left, cw), (fy, src_h, top, ch)):
        ideal = f * length - size / 2
        if 0 <= ideal <= length - size:
            assert abs((start + size / 2) - f * length) <= 0.5 + 1e-9
        elif ideal < 0:
            assert start == 0
        else:
            assert start + size == length


# ------------------------------------------------------------------------------------------------
# prepare: orientation, resampling, ppi, warnings


def test_exif_orientation_6_is_applied(tmp_path):
    # stored landscape 60x40: left half red, right half blue; tag 6 = "rotate 90° clockwise to view"
    img = Image.new("RGB", (60, 40), (220, 20, 20))
    img.paste((20, 20, 220), (30, 0, 60, 40))
    exif = Image.Exif()
    exif[0x0112] = 6
    p = tmp_path / "portrait.jpg"
    img.save(p, "JPEG", quality=95, exif=exif.tobytes())

    info = inspect(p)
    assert info.orientation == 6
    assert (info.width, info.height) == (40, 60)  # upright: portrait
    assert (info.stored_width, info.stored_height) == (60, 40)

    # frame 40x60 pt at 72 ppi: the whole upright picture, no resampling
    r = prepare(p, 40, 60, target_ppi=72, cache_dir=tmp_path / "c")
    assert (r.pixel_width, r.pixel_height) == (40, 60)
    assert r.crop == (0, 0, 40, 60)
    with Image.open(r.path) as out:
        assert out.size == (40, 60)
        assert out.getexif().get(0x0112) in (None, 1)  # no tag left to rotate it twice
        top, bottom = mean_rgb(out, (5, 5, 35, 25)), mean_rgb(out, (5, 35, 35, 55))
    # rotating clockwise brings the stored left (red) edge to the top
    assert top[0] > 150 and top[2] < 90
    assert bottom[2] > 150 and bottom[0] < 90


def test_downsamples_to_target_ppi(tmp_path):
    p = photo(tmp_path / "big.jpg", (1200, 800))
    r = prepare(p, 144, 96, cache_dir=tmp_path / "c")  # 2 x 1.333 in at 300 ppi
    assert (r.pixel_width, r.pixel_height) == (600, 400)
    assert r.source_ppi == pytest.approx(600)
    assert r.ppi == pytest.approx(300)
    assert r.warnings == ()
    with Image.open(r.path) as out:
        assert out.format == "JPEG" and out.mode == "RGB" and out.size == (600, 400)
        assert out.info.get("dpi") == pytest.approx((300, 300))


def test_never_upscales(tmp_path):
    p = photo(tmp_path / "small.jpg", (300, 200))
    r = prepare(p, 144, 96, cache_dir=tmp_path / "c")  # would need 600x400 at 300 ppi
    assert (r.pixel_width, r.pixel_height) == (300, 200)
    assert r.source_ppi == pytest.approx(150) and r.ppi == pytest.approx(150)


def test_crop_then_scale_with_focus(tmp_path):
    p = photo(tmp_path / "wide.jpg", (1800, 600))
    r = prepare(p, 72, 72, focus=(1.0, 0.5), target_ppi=300, cache_dir=tmp_path / "c")
    assert r.crop == (1200, 0, 1800, 600)
    assert (r.pixel_width, r.pixel_height) == (300, 300)
    assert r.source_ppi == pytest.approx(600) and r.ppi == pytest.approx(300)
    assert any("keeps only 33%" in w for w in r.warnings)  # most of the picture is cut away


@pytest.mark.parametrize(
    "src_px, expect",
    [
        (250, None),  # 250 ppi in a 1-inch frame: fine
        (200, None),  # exactly the minimum
        (180, "200 ppi minimum"),  # under min_ppi, over 170: soft but usable
        (150, "under 170"),  # visibly soft
    ],
)
def test_effective_ppi_warnings(tmp_path, src_px, expect):
    p = photo(tmp_path / f"p{src_px}.png", (src_px, src_px), "PNG")
    r = prepare(p, 72, 72, cache_dir=tmp_path / "c")
    assert r.source_ppi == pytest.approx(src_px)
    if expect is None:
        assert r.warnings == ()
    else:
        assert len(r.warnings) == 1 and expect in r.warnings[0]
        assert p.name in r.warnings[0]


def test_min_ppi_is_a_parameter(tmp_path):
    p = photo(tmp_path / "p.png", (180, 180), "PNG")
    assert prepare(p, 72, 72, min_ppi=150, cache_dir=tmp_path / "c").warnings == ()


def test_png_with_transparency_becomes_rgb_on_white(tmp_path):
    img = Image.new("RGBA", (100, 100), (0, 0, 0, 0))
    ImageDraw.Draw(img).rectangle((0, 0, 49, 99), fill=(0, 0, 255, 255))
    p = tmp_path / "t.png"
    img.save(p)
    r = prepare(p, 72, 72, target_ppi=100, cache_dir=tmp_path / "c")
    with Image.open(r.path) as out:
        assert out.mode == "RGB"
        assert min(mean_rgb(out, (70, 10, 95, 90))) > 245  # transparent -> paper white
        assert mean_rgb(out, (5, 10, 40, 90))[2] > 200


def test_palette_and_16bit_grey_sources(tmp_path):
    pal = Image.new("P", (80, 80))
    pal.putpalette([255, 0, 0, 0, 255, 0] + [0] * 762)
    pal.paste(1, (40, 0, 80, 80))
    pal.save(tmp_path / "pal.png")
    r = prepare(tmp_path / "pal.png", 72, 72, target_ppi=80, cache_dir=tmp_path / "c")
    with Image.open(r.path) as out:
        assert out.mode == "RGB" and mean_rgb(out, (5, 5, 30, 75))[0] > 200

    grey = Image.new("I;16", (64, 64), 0)
    grey.paste(65535, (32, 0, 64, 64))
    grey.save(tmp_path / "g16.png")
    r = prepare(tmp_path / "g16.png", 72, 72, target_ppi=64, cache_dir=tmp_path / "c")
    with Image.open(r.path) as out:
        assert out.mode == "RGB"
        assert mean_rgb(out, (2, 2, 28, 60))[0] < 10 and mean_rgb(out, (36, 2, 62, 60))[0] > 245


def test_embedded_srgb_profile_is_accepted(tmp_path):
    from PIL import ImageCms

    icc = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    p = photo(tmp_path / "tagged.jpg", (300, 300), icc_profile=icc)
    assert inspect(p).has_icc
    r = prepare(p, 72, 72, target_ppi=300, cache_dir=tmp_path / "c")
    assert r.warnings == ()
    with Image.open(r.path) as out, Image.open(p) as src:
        a, b = mean_rgb(out, (60, 200, 120, 260)), mean_rgb(src, (60, 200, 120, 260))
        assert all(abs(x - y) < 6 for x, y in zip(a, b))


def test_bad_frame_arguments(tmp_path):
    p = photo(tmp_path / "a.jpg", (100, 100))
    with pytest.raises(ValueError):
        prepare(p, -5, 10, cache_dir=tmp_path / "c")
    with pytest.raises(ValueError):
        prepare(p, 10, 10, focus=(0.5, -0.1), cache_dir=tmp_path / "c")
    with pytest.raises(ValueError):
        prepare(p, 10, 10, target_ppi=0, cache_dir=tmp_path / "c")


# ------------------------------------------------------------------------------------------------
# prepare: cache, atomicity, determinism, hook


def test_cache_hit_does_not_rewrite(tmp_path, monkeypatch):
    p = photo(tmp_path / "a.jpg", (900, 600))
    cache = tmp_path / "cache"
    writes = []
    real_write = images.atomic_write_jpeg
    monkeypatch.setattr(images, "atomic_write_jpeg", lambda *a, **k: (writes.append(a[1]), real_write(*a, **k)))

    first = prepare(p, 144, 96, cache_dir=cache)
    assert not first.cached and len(writes) == 1
    mtime = first.path.stat().st_mtime_ns
    time.sleep(0.01)
    second = prepare(p, 144, 96, cache_dir=cache)
    assert second.cached and len(writes) == 1
    assert second.path == first.path and second.path.stat().st_mtime_ns == mtime
    assert (second.pixel_width, second.pixel_height, second.ppi) == (first.pixel_width, first.pixel_height, first.ppi)
    # nothing but the prepared file and its checksum (and the header index, and the stamps of the
    # last pruning) in the cache: no temporaries left behind
    assert sorted(f.name for f in cache.iterdir() if f.is_file() and not f.name.startswith(".pruned-")) == [
        first.path.name, first.path.name + ".seal"]
    assert [f.suffix for f in (cache / "index").iterdir() if not f.name.startswith(".pruned-")] == [".json"]

    # another crop or another frame size -> another file
    third = prepare(p, 144, 96, focus=(0.0, 0.5), cache_dir=cache)
    assert third.path == first.path  # same aspect: full picture, focus cannot move the crop
    fourth = prepare(p, 96, 96, cache_dir=cache)
    assert fourth.path != first.path and len(writes) == 2


def test_cache_key_follows_content_not_name(tmp_path):
    cache = tmp_path / "cache"
    p = photo(tmp_path / "a.jpg", (600, 400))
    r1 = prepare(p, 144, 96, cache_dir=cache)
    # same bytes under another name: same key (the name part of the file name aside)
    q = tmp_path / "copy.jpg"
    q.write_bytes(p.read_bytes())
    r2 = prepare(q, 144, 96, cache_dir=cache)
    assert r1.path.name.split("-")[-1] == r2.path.name.split("-")[-1]
    # the photo replaced by an edited one: a new file, not the stale one
    img = Image.open(p).convert("RGB")
    ImageDraw.Draw(img).rectangle((0, 0, 100, 100), fill=(0, 255, 0))
    img.save(p, "JPEG", quality=90)
    r3 = prepare(p, 144, 96, cache_dir=cache)
    assert r3.path != r1.path and not r3.cached


def test_deterministic_bytes(tmp_path):
    p = photo(tmp_path / "a.jpg", (1000, 700))
    a = prepare(p, 150, 100, focus=(0.3, 0.6), cache_dir=tmp_path / "c1")
    b = prepare(p, 150, 100, focus=(0.3, 0.6), cache_dir=tmp_path / "c2")
    assert a.path.name == b.path.name
    assert a.path.read_bytes() == b.path.read_bytes()


def test_failed_write_leaves_no_file(tmp_path, monkeypatch):
    p = photo(tmp_path / "a.jpg", (400, 300))
    cache = tmp_path / "cache"

    def boom(self, *a, **k):
        raise OSError("disk full")

    monkeypatch.setattr(Image.Image, "save", boom)
    with pytest.raises(OSError, match="disk full"):
        prepare(p, 72, 54, cache_dir=cache)
    assert [f for f in cache.rglob("*") if f.is_file() and f.suffix != ".json"] == []  # the header index may stay
    monkeypatch.undo()

    def no_rename(*a, **k):  # the disk fills up at the very last step
        raise OSError("rename failed")

    monkeypatch.setattr("layout.cache.os.replace", no_rename)
    with pytest.raises(OSError, match="rename failed"):
        prepare(p, 72, 54, cache_dir=cache)
    assert [f for f in cache.rglob("*") if f.is_file() and f.suffix != ".json"] == []  # no temporary left


def test_convert_hook(tmp_path):
    p = photo(tmp_path / "a.jpg", (600, 400))

    def to_cmyk(img: Image.Image) -> Image.Image:
        return img.convert("CMYK")

    to_cmyk.cache_key = "naive-cmyk-v1"  # type: ignore[attr-defined]
    rgb = prepare(p, 144, 96, cache_dir=tmp_path / "c")
    cmyk = prepare(p, 144, 96, cache_dir=tmp_path / "c", convert=to_cmyk)
    assert cmyk.path != rgb.path
    with Image.open(cmyk.path) as out:
        assert out.mode == "CMYK" and out.size == (600, 400)
    # an explicit key wins and is part of the cache key
    other = prepare(p, 144, 96, cache_dir=tmp_path / "c", convert=to_cmyk, convert_key="naive-cmyk-v2")
    assert other.path != cmyk.path
    # a hook without a key is refused: its output could not be told apart in the cache
    with pytest.raises(ValueError, match="cache key"):
        prepare(p, 144, 96, cache_dir=tmp_path / "c", convert=lambda im: im)
    # a hook must keep the size
    with pytest.raises(ValueError, match="pixel size"):
        prepare(p, 144, 96, cache_dir=tmp_path / "c2", convert=lambda im: im.resize((10, 10)), convert_key="bad")


def test_hook_sees_the_native_colour_space_and_profile(tmp_path):
    from PIL import ImageCms

    seen = []

    def hook(img: Image.Image) -> Image.Image:
        seen.append((img.mode, bool(img.info.get("icc_profile"))))
        return img

    hook.cache_key = "spy"  # type: ignore[attr-defined]
    grey = tmp_path / "grey.png"
    Image.linear_gradient("L").save(grey)
    r = prepare(grey, 72, 72, target_ppi=128, cache_dir=tmp_path / "c", convert=hook)
    with Image.open(r.path) as out:
        assert out.mode == "L"  # a greyscale photo can stay one channel (K only on press)
    icc = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    tagged = photo(tmp_path / "tagged.jpg", (200, 200), icc_profile=icc)
    prepare(tagged, 72, 72, target_ppi=100, cache_dir=tmp_path / "c", convert=hook)
    rgba = tmp_path / "alpha.png"
    Image.new("RGBA", (50, 50), (255, 0, 0, 0)).save(rgba)
    prepare(rgba, 72, 72, target_ppi=50, cache_dir=tmp_path / "c", convert=hook)
    assert seen == [("L", False), ("RGB", True), ("RGB", False)]


def test_hook_key_derived_from_attributes(tmp_path):
    p = photo(tmp_path / "a.jpg", (300, 200))

    class Profile:
        def __init__(self, blob: bytes):
            self.blob = blob

        def data(self) -> bytes:
            return self.blob

    def make(blob: bytes):
        def to_cmyk(img: Image.Image) -> Image.Image:
            return img.convert("CMYK")

        to_cmyk.profile = Profile(blob)  # type: ignore[attr-defined]
        to_cmyk.tac_limit = 2.4  # type: ignore[attr-defined]
        return to_cmyk

    a = prepare(p, 72, 48, cache_dir=tmp_path / "c", convert=make(b"profile one"))
    a2 = prepare(p, 72, 48, cache_dir=tmp_path / "c", convert=make(b"profile one"))
    b = prepare(p, 72, 48, cache_dir=tmp_path / "c", convert=make(b"profile two"))
    assert a2.path == a.path and a2.cached
    assert b.path != a.path  # another profile's content: another file


def test_effective_ppi_alias(tmp_path):
    p = photo(tmp_path / "a.jpg", (1200, 800))
    r = prepare(p, 144, 96, cache_dir=tmp_path / "c")
    assert r.effective_ppi == r.source_ppi == pytest.approx(600)


def test_unchanged_source_is_not_reopened(tmp_path, monkeypatch):
    """The header index: a second build of an unchanged photo neither hashes nor opens it; a
    changed file (new size or mtime) is inspected again and gets a new prepared file."""
    p = photo(tmp_path / "a.jpg", (900, 600))
    cache = tmp_path / "cache"
    first = prepare(p, 144, 96, cache_dir=cache)

    def refuse(*a, **k):
        raise AssertionError("source reopened")

    monkeypatch.setattr(images, "_open_header", refuse)
    monkeypatch.setattr(images, "_hash_file", refuse)
    again = prepare(p, 144, 96, cache_dir=cache)
    assert again.cached and again.path == first.path and again.source_sha256 == first.source_sha256
    monkeypatch.undo()

    photo(p, (600, 900))  # the editor replaces the picture under the same name
    changed = prepare(p, 144, 96, cache_dir=cache)
    assert not changed.cached and changed.source_sha256 != first.source_sha256


def test_upright_size_reads_no_pixels(tmp_path, monkeypatch):
    """Layout asks a picture's proportions on every trial: header (or header index) only."""
    from layout.assets.images import upright_size

    p = photo(tmp_path / "a.jpg", (900, 600))
    assert upright_size(p) == (900, 600)
    cache = tmp_path / "cache"
    prepare(p, 144, 96, cache_dir=cache)  # records the header index

    def refuse(*a, **k):
        raise AssertionError("file reopened")

    monkeypatch.setattr(images, "_open_header", refuse)
    monkeypatch.setattr(images, "_hash_file", refuse)
    assert upright_size(p, cache) == (900, 600)


def test_prepared_photos_of_long_ago_are_pruned(tmp_path, monkeypatch):
    """A photo prepared for a frame nobody has used for a month goes when the cache next writes;
    one in use is refreshed by being used and stays."""
    import os

    import layout.cache

    monkeypatch.setattr(layout.cache, "_pruned", set())
    monkeypatch.setattr(layout.cache, "PRUNE_EVERY", 0.0)  # (each "process" here may scan)
    p = photo(tmp_path / "a.jpg", (900, 600))
    cache = tmp_path / "cache"
    used = prepare(p, 144, 96, cache_dir=cache).path
    old = prepare(p, 100, 100, cache_dir=cache).path
    long_ago = time.time() - (layout.cache.KEEP_DAYS + 1) * 86400
    for f in (used, old):
        os.utime(f, (long_ago, long_ago))
    layout.cache._pruned.clear()  # a new process
    assert prepare(p, 144, 96, cache_dir=cache).cached  # in use: refreshed
    prepare(p, 120, 80, cache_dir=cache)  # a new frame: the cache writes, and prunes
    assert used.exists() and not old.exists()
