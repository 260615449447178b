"""Colour conversion of placed images for the press: RGB -> CMYK through the output profile.

Why it is done here and not left to the RIP: a PDF/X-1a file may contain no RGB at all, and even in
PDF/X-4 an RGB photo separated by an unknown RIP may land at 300 % ink on newsprint. Converting
once, through the same output profile the file's OutputIntent names, makes what the editor proofs
what the press prints.

Rules (one callable per output profile, from :func:`make_image_converter`):

* RGB (and palette/alpha images, flattened onto white paper first) is converted with the
  perceptual intent and black point compensation, from the image's embedded ICC profile or sRGB
  when it has none (cameras and the web assume sRGB).
* Greyscale stays one channel and is returned as mode 'L'. The renderer embeds an 'L' image as
  DeviceGray, which a PDF/X RIP prints on the K plate only (K = 1 - grey): a black-and-white photo
  then never picks up a cast from misregistered C, M, Y on newsprint. The grey values are
  re-mapped (``gray_to_k``) so that the printed K tone reproduces the original lightness through
  the output profile: newsprint's dot gain (about 26 %) would otherwise print mid-tones far too
  dark. The returned 'L' therefore holds ``255 - K`` per pixel, ready for DeviceGray.
* CMYK with an embedded profile is converted through it (a CMYK file made for coated stock needs
  re-separating for newsprint); CMYK without a profile is assumed to be made for this press and
  passed through.
* Every CMYK result then has its total area coverage limited per pixel: where C+M+Y+K exceeds the
  limit, C, M and Y are scaled down in proportion and K is kept (K carries the detail, and
  removing colour under black barely changes the printed tone). Interpolation in the profile's
  tables overshoots its own ink limit by a few percent, hence the hard clamp.

No numpy: Pillow's ImageMath does the per-pixel arithmetic in C.
"""

from __future__ import annotations

import hashlib
import threading
import warnings
from collections.abc import Callable
from typing import TYPE_CHECKING

from layout.lazy import lazy_module

Image = lazy_module("PIL.Image")  # imported when the first picture is converted
ImageCms = lazy_module("PIL.ImageCms")
ImageMath = lazy_module("PIL.ImageMath")

if TYPE_CHECKING:
    from layout.finish.profile import ProfileInfo

from layout.finish.ink import strips, tac_of  # noqa: E402 - (tac_of: part of this module's API)

Converter = Callable[["Image.Image"], "Image.Image"]

#: bump when the conversion changes, so cached converted images are redone
CONVERTER_VERSION = "1"
_INTENT = "perceptual"  # resolved to ImageCms.Intent.PERCEPTUAL when a transform is built


def limit_tac(img: Image.Image, tac_limit: float) -> Image.Image:
    """Scale C, M, Y down per pixel where C+M+Y+K > ``tac_limit`` (a fraction, 2.4 = 240 %),
    keeping K. Values are truncated, so no pixel ends above the limit."""
    if img.mode != "CMYK":
        return img
    limit = tac_limit * 255.0
    if tac_of(img) / 100 * 255 <= limit + 1e-9:
        return img
    out = Image.new("CMYK", img.size)
    for box in strips(img):
        out.paste(_limit_strip(img.crop(box), limit), box)
    out.info.update({k_: v for k_, v in img.info.items() if k_ != "icc_profile"})
    return out


def _limit_strip(img: Image.Image, limit: float) -> Image.Image:
    c, m, y, k = img.split()

    def scaled(a):
        s = a["float"](a["c"]) + a["m"] + a["y"]
        allowed = a["max"](limit - a["float"](a["k"]), 0.0)
        # ImageMath division by zero gives 0: a pixel without C, M, Y stays 0
        f = a["min"](allowed / s, 1.0)
        return f

    factor = ImageMath.lambda_eval(scaled, c=c, m=m, y=y, k=k)
    chans = [
        ImageMath.lambda_eval(lambda a: a["convert"](a["float"](a["x"]) * a["f"], "L"), x=ch, f=factor)
        for ch in (c, m, y)
    ]
    return Image.merge("CMYK", (*chans, k))


def _flatten(img: Image.Image) -> Image.Image:
    """Palette, alpha and 16-bit images to L/RGB/CMYK; transparency composited onto white paper
    (a press file has no alpha: what is transparent shows the paper)."""
    mode = img.mode
    if mode == "P":
        img = img.convert("RGBA" if "transparency" in img.info else "RGB")
        mode = img.mode
    if mode == "PA":
        img = img.convert("RGBA")
        mode = "RGBA"
    if mode in ("RGBA", "RGBa", "LA", "La"):
        base = "RGB" if mode.startswith("RGB") else "L"
        rgba = img.convert("RGBA") if base == "RGB" else img.convert("LA")
        paper = Image.new(rgba.mode, rgba.size, (255, 255, 255, 255) if base == "RGB" else (255, 255))
        paper.alpha_composite(rgba)
        out = paper.convert(base)
        if "icc_profile" in img.info:
            out.info["icc_profile"] = img.info["icc_profile"]
        return out
    if mode in ("I;16", "I;16B", "I;16L", "I;16N", "I"):
        hi = img.getextrema()[1] if mode == "I" else 65535
        scale = 255.0 / 65535 if hi > 255 else 1.0
        out = ImageMath.lambda_eval(lambda a: a["convert"](a["float"](a["x"]) * scale + 0.5, "L"), x=img)
        return out
    if mode == "F":
        return ImageMath.lambda_eval(lambda a: a["convert"](a["x"] + 0.5, "L"), x=img)
    if mode == "1":
        return img.convert("L")
    if mode == "YCbCr":
        return img.convert("RGB")
    return img


class _TransformCache:
    """lcms transforms are costly to build (tens of ms for a LUT profile) and every photo on a
    page usually shares one source profile: keep one per (source profile, modes)."""

    def __init__(self, out_profile: ImageCms.ImageCmsProfile):
        self.out = out_profile
        self._lock = threading.Lock()
        self._cache: dict[tuple, ImageCms.ImageCmsTransform] = {}

    def get(self, key: str, src_factory: Callable[[], ImageCms.ImageCmsProfile], in_mode: str,
            out_mode: str = "CMYK", out_profile=None, intent=_INTENT):
        """The transform from ``src_factory()`` (identified by ``key``) to the output profile,
        or to Lab when ``out_profile`` is given (only Lab is ever passed)."""
        ck = (key, in_mode, out_mode, intent, out_profile is not None)
        with self._lock:
            tr = self._cache.get(ck)
            if tr is None:
                tr = ImageCms.buildTransform(
                    src_factory(), out_profile or self.out, in_mode, out_mode,
                    renderingIntent=ImageCms.Intent.PERCEPTUAL if intent == _INTENT else intent,
                    flags=ImageCms.Flags.BLACKPOINTCOMPENSATION,
                )
                self._cache[ck] = tr
            return tr


def _gray_lut(cache: _TransformCache, src_icc: bytes | None) -> list[int]:
    """256-entry table from the image's grey value to the DeviceGray value (255 - K) whose K,
    printed through the output profile, has the same relative lightness.

    Lightness of the source greys: through the image's grey profile if it has one, else the sRGB
    tone curve (a grey JPEG from a camera or the web is sRGB-encoded). The K ramp's lightness is
    read from the output profile (relative colorimetric, so paper white is L* 100); the source
    range 0..100 is mapped onto paper..solid K (black point compensation) and inverted by linear
    interpolation on the monotonic ramp.
    """
    lab = ImageCms.createProfile("LAB")
    # lightness of K = 0..255 printed alone
    ramp = Image.new("CMYK", (256, 1))
    ramp.putdata([(0, 0, 0, k) for k in range(256)])
    to_lab = cache.get("k-ramp", lambda: cache.out, "CMYK", "LAB", out_profile=lab,
                       intent=ImageCms.Intent.RELATIVE_COLORIMETRIC)
    # the cache builds src -> dst; here the source is the output profile itself
    k_l = [px / 255 * 100 for px in ImageCms.applyTransform(ramp, to_lab).getchannel("L").tobytes()]
    # make it monotonic (decreasing in K) against tiny table noise
    for i in range(1, 256):
        k_l[i] = min(k_l[i], k_l[i - 1])
    paper, solid = k_l[0], k_l[255]

    src_l: list[float]
    grey = Image.new("L", (256, 1))
    grey.putdata(list(range(256)))
    if src_icc:
        try:
            key = "gray:" + hashlib.sha1(src_icc).hexdigest()
            src_prof = ImageCms.ImageCmsProfile(_bytes_io(src_icc))
            tr = cache.get(key, lambda: src_prof, "L", "LAB", out_profile=lab,
                           intent=ImageCms.Intent.RELATIVE_COLORIMETRIC)
            src_l = [v / 255 * 100 for v in ImageCms.applyTransform(grey, tr).getchannel("L").tobytes()]
        except (ImageCms.PyCMSError, OSError, ValueError):
            src_icc = None
    if not src_icc:
        src_l = [_srgb_lstar(v / 255) for v in range(256)]
    lo, hi = src_l[0], src_l[255]
    span = (hi - lo) or 1.0
    lut = []
    for v in range(256):
        rel = (src_l[v] - lo) / span  # 0 black .. 1 white
        target = solid + (paper - solid) * rel
        # find K with k_l[K] == target (k_l decreasing)
        if target >= paper:
            k = 0.0
        elif target <= solid:
            k = 255.0
        else:
            k = 255.0
            for i in range(1, 256):
                if k_l[i] <= target:
                    a, b = k_l[i - 1], k_l[i]
                    t = (a - target) / (a - b) if a != b else 0.0
                    k = i - 1 + t
                    break
        lut.append(255 - int(round(k)))
    return lut


def _srgb_lstar(v: float) -> float:
    y = v / 12.92 if v <= 0.04045 else ((v + 0.055) / 1.055) ** 2.4
    return 116 * y ** (1 / 3) - 16 if y > 216 / 24389 else y * 24389 / 27


def _bytes_io(data: bytes):
    import io

    return io.BytesIO(data)


def _profile_mode(data: bytes) -> str | None:
    """The colour space signature of an ICC profile ('RGB', 'GRAY', 'CMYK', 'Lab' ...)."""
    if len(data) < 20:
        return None
    return data[16:20].decode("latin-1").strip()


def make_image_converter(profile: "ProfileInfo", tac_limit: float = 2.4, *,
                         gray_to_k: bool = True) -> Converter:
    """A callable converting a Pillow image for press through ``profile`` (see the module doc).

    ``tac_limit`` is the total ink limit as a fraction (2.4 = 240 %); a value above 4 is read as
    percent. Returns a new image: 'CMYK' for colour input, 'L' (= 255 - K, for DeviceGray) for
    greyscale input. The returned image carries no ICC profile (its values are device values for
    the output condition named by the PDF's OutputIntent).
    """
    limit = tac_limit / 100 if tac_limit > 4 else tac_limit
    gray_luts: dict[str, list[int]] = {}
    lut_lock = threading.Lock()
    state: dict = {}  # the output profile and transforms, opened at the first picture converted

    def _cms():
        with lut_lock:
            if not state:
                # from the checked bytes (ProfileInfo.data), not the file again: what separates
                # the photos is what the PDF embeds
                state["cache"] = _TransformCache(ImageCms.ImageCmsProfile(_bytes_io(profile.data())))
                state["srgb"] = ImageCms.createProfile("sRGB")
        return state["cache"], state["srgb"]

    def _src(img: Image.Image, want: str):
        """(cache key, profile factory) of the image's own profile if it fits ``want``."""
        data = img.info.get("icc_profile")
        if data and _profile_mode(data) == want:
            return "icc:" + hashlib.sha1(data).hexdigest(), (
                lambda: ImageCms.ImageCmsProfile(_bytes_io(data))
            )
        if data:
            warnings.warn(
                f"image ICC profile is {_profile_mode(data)!r}, image is {img.mode}: ignored",
                stacklevel=3,
            )
        return None, None

    def convert(img: Image.Image) -> Image.Image:
        cache, srgb = _cms()
        img = _flatten(img)
        mode = img.mode
        if mode == "L":
            if not gray_to_k:
                return _strip(img.copy())
            data = img.info.get("icc_profile")
            if data and _profile_mode(data) != "GRAY":
                data = None
            key = hashlib.sha1(data).hexdigest() if data else "sgray"
            with lut_lock:
                lut = gray_luts.get(key)
                if lut is None:
                    lut = gray_luts[key] = _gray_lut(cache, data)
            return _strip(img.point(lut))
        if mode == "CMYK":
            key, fac = _src(img, "CMYK")
            if key:
                try:
                    img = ImageCms.applyTransform(img, cache.get(key, fac, "CMYK"))
                except (ImageCms.PyCMSError, OSError, ValueError) as e:  # a broken embedded profile
                    warnings.warn(f"CMYK image profile unusable ({e}): passed through", stacklevel=2)
            return _strip(limit_tac(img, limit))
        if mode == "LAB":
            tr = cache.get("lab", lambda: ImageCms.createProfile("LAB"), "LAB")
            return _strip(limit_tac(ImageCms.applyTransform(img, tr), limit))
        if mode != "RGB":
            img = img.convert("RGB")
        key, fac = _src(img, "RGB")
        if key is None:
            key, fac = "sRGB", (lambda: srgb)
        try:
            tr = cache.get(key, fac, "RGB")
        except (ImageCms.PyCMSError, OSError, ValueError) as e:  # a broken embedded profile
            warnings.warn(f"RGB image profile unusable ({e}): assuming sRGB", stacklevel=2)
            tr = cache.get("sRGB", lambda: srgb, "RGB")
        return _strip(limit_tac(ImageCms.applyTransform(img, tr), limit))

    convert.profile = profile  # type: ignore[attr-defined]
    convert.tac_limit = limit  # type: ignore[attr-defined]
    from layout.finish.profile import sha256_of

    # the image pipeline caches converted files under this key: it changes with the profile's
    # content, the limit, the grey handling and this module's algorithm
    convert.cache_key = (  # type: ignore[attr-defined]
        f"broadsheet-press:{CONVERTER_VERSION}:{sha256_of(profile.data()).hex()[:20]}"
        f":tac{limit:.3f}:gray{int(gray_to_k)}"
    )
    return convert


def _strip(img: Image.Image) -> Image.Image:
    img.info.pop("icc_profile", None)
    img.info.pop("transparency", None)
    return img
