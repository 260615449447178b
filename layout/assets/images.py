"""The image pipeline: an editor's photo in, a print-ready file for one frame out.

Pure data in, a prepared file out; nothing here knows about ReportLab or the page. The renderer
places ``PreparedImage.path`` to fill its frame exactly, so everything that changes pixels
happens here, once, and is cached:

1. ``inspect`` reads the header (size, EXIF orientation, mode, format, dpi) and hashes the file,
   refusing missing, empty, non-image and corrupt files and decompression bombs with an
   ``ImageError`` that says what is wrong and what to do about it.
2. ``plan_crop`` picks the "fill" crop: the largest box with the frame's aspect ratio, centred on
   the editor's focal point as far as the picture allows.
3. ``prepare`` applies EXIF orientation, crops, scales down to the frame at ``target_ppi``
   (never up), converts to RGB (or through a ``convert`` hook, e.g. to CMYK via an ICC output
   profile), and writes a JPEG into a content-addressed cache, atomically.

Coordinates: crop boxes are ``(left, top, right, bottom)`` in pixels of the *upright* picture,
i.e. after EXIF orientation, because that is the picture the editor sees and sets a focus on.
Frame sizes are in PostScript points (1/72 inch); "effective ppi" is pixels per inch of the
picture as printed in the frame: ``pixels / (frame_pt / 72)``.
"""

from __future__ import annotations

import hashlib
import io
import json
import math
import os
import warnings
from pathlib import Path
from typing import Callable

from msgspec import Struct, field

from layout.cache import is_checked, prune_once, read_sealed, write_checked, write_sealed
from layout.lazy import lazy_module

Image = lazy_module("PIL.Image")  # Pillow is imported when a picture is decoded, not before
ImageOps = lazy_module("PIL.ImageOps")

__all__ = [
    "ImageError",
    "ImageInfo",
    "PreparedImage",
    "inspect",
    "plan_crop",
    "prepare",
    "MAX_PIXELS",
    "LOW_PPI",
    "PIPELINE_VERSION",
]

#: Refuse pictures with more pixels than this (width x height, ~100 MP). Decoding a 100 MP RGB
#: picture takes 300 MB; a bigger "photo" is far more likely a mistake or a hostile file (a tiny
#: file whose header claims 30000x30000 pixels) than anything a newspaper frame needs.
MAX_PIXELS = 100_000_000

#: Refuse picture files larger than this (1 GiB) before reading them: a 100-megapixel CMYK TIFF
#: is 400 MB; a bigger file is a mistake (or a sparse file of a hundred gigabytes), and it would
#: be read whole to hash it.
MAX_FILE_BYTES = 1 << 30

#: Under this effective resolution a photo prints visibly soft or blocky, even on newsprint
#: (a coarse 85-100 lpi halftone screen wants ~1.7-2x its line count in ppi).
LOW_PPI = 170.0

#: Bumped whenever the processing below changes what the pixels of a prepared file would be, so
#: that caches made by an older version are not reused.
PIPELINE_VERSION = 1

#: Formats accepted for photos. Anything else (EPS, which would run Ghostscript; icons; PDF) is
#: refused as "not a supported image" instead of being handed to an arbitrary Pillow plugin.
#: (Multi-picture camera JPEGs are opened by the JPEG plugin and report format "MPO".)
FORMATS = ("JPEG", "PNG", "TIFF", "WEBP", "GIF", "BMP")

JPEG_QUALITY = 92
PAPER_WHITE = (255, 255, 255)  # what transparent areas become: the page is paper, not black

Box = tuple[int, int, int, int]
Converter = Callable[["Image.Image"], "Image.Image"]


class ImageError(Exception):
    """A picture that cannot be used, with a message saying what is wrong and a hint saying
    what the editor can do about it (both plain sentences, for the build report)."""

    def __init__(self, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return f"{self.message} ({self.hint})" if self.hint else self.message


class ImageInfo(Struct, frozen=True):
    """What the file is, read from its header (and, if asked, checked by decoding it).

    ``width``/``height`` are the upright size, after EXIF orientation; ``stored_width``/
    ``stored_height`` are as stored in the file (they differ for orientations 5-8)."""

    path: Path
    width: int
    height: int
    stored_width: int
    stored_height: int
    orientation: int  # EXIF orientation tag, 1 (upright) if absent
    mode: str  # Pillow mode as stored: "RGB", "L", "CMYK", "P", "RGBA", "I;16", ...
    format: str  # "JPEG", "PNG", ...
    dpi: tuple[float, float] | None  # as recorded in the file; not used for sizing
    has_icc: bool  # an embedded ICC profile (e.g. Adobe RGB); honoured by prepare()
    file_size: int
    sha256: str  # of the file's bytes: the cache key for everything derived from it

    @property
    def pixels(self) -> int:
        return self.width * self.height


class PreparedImage(Struct, frozen=True):
    """A picture made ready for one frame.

    ``ppi`` is the prepared file's effective resolution in the frame, ``source_ppi`` that of the
    source crop (before any downsampling): the honest measure of the photo's quality at this
    size. ``warnings`` are sentences for the build report."""

    path: Path  # the prepared JPEG in the cache
    source: Path  # the editor's file
    source_sha256: str
    pixel_width: int
    pixel_height: int
    crop: Box  # in upright source pixels
    frame_w_pt: float
    frame_h_pt: float
    source_ppi: float
    ppi: float
    warnings: tuple[str, ...] = field(default_factory=tuple)
    cached: bool = False  # True when the file was already in the cache (nothing was written)

    @property
    def effective_ppi(self) -> float:
        """The photo's resolution as printed in its frame: ``source_ppi`` (the prepared file has
        the same, or ``target_ppi`` when it was downsampled). What "low resolution" is judged on."""
        return self.source_ppi


# ----------------------------------------------------------------------------------------------
# inspect
# ----------------------------------------------------------------------------------------------


def _hash_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


_PLUGINS = {"JPEG": "Jpeg", "PNG": "Png", "TIFF": "Tiff", "WEBP": "WebP", "GIF": "Gif", "BMP": "Bmp"}


def _available_formats() -> list[str]:
    """The formats we accept that this Pillow can open. Only their plugins are loaded:
    ``Image.init()`` would import every plugin Pillow has (~70 ms, a tenth of a build)."""
    import importlib
    for fmt in FORMATS:
        if fmt not in Image.OPEN:
            try:
                importlib.import_module(f"PIL.{_PLUGINS[fmt]}ImagePlugin")
            except ImportError:  # a Pillow built without this codec
                pass
    return [f for f in FORMATS if f in Image.OPEN]


def _open_header(path: Path, max_pixels: int) -> Image.Image:
    """Open a picture reading only its header, and refuse it before any pixel is decoded if it
    is missing, empty, not an image, or claims more than ``max_pixels`` pixels.

    Pillow's ``Image.open`` is lazy: it parses the header and stops, so a 30000x30000 bomb costs
    microseconds here. Our own limit is checked on the header's size; Pillow's built-in bomb
    check (which raises for > 2x its own default) is mapped onto the same error."""
    if not path.exists():
        raise ImageError(f"image not found: {path}", "check the path in content.yaml (relative paths are relative to it)")
    if not path.is_file():
        raise ImageError(f"not a file: {path}", "the image path must name a JPEG or PNG file")
    size = path.stat().st_size
    if size == 0:
        raise ImageError(f"empty file: {path}", "the file has 0 bytes; copy the photo again")
    if size > MAX_FILE_BYTES:  # (it would be read whole to hash it)
        raise ImageError(f"image file too large: {path} has {size / 2**30:.1f} GiB",
                         f"the limit is {MAX_FILE_BYTES // 2**30} GiB; export the photo again at its size in print")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            img = Image.open(path, formats=_available_formats())
    except Image.DecompressionBombError as e:
        raise ImageError(f"image too large: {path}: {e}",
                         f"the limit is {max_pixels / 1e6:.0f} megapixels; scale the photo down before using it") from None
    except Image.UnidentifiedImageError:
        raise ImageError(f"not a supported image: {path}",
                         "the file is not a JPEG, PNG, TIFF, WebP, GIF or BMP picture (is it a document or a web page saved under an image name?)") from None
    except OSError as e:
        raise ImageError(f"cannot read image {path}: {e}", "the file may be damaged; export or copy it again") from None
    w, h = img.size
    if w <= 0 or h <= 0:
        img.close()
        raise ImageError(f"image has no pixels: {path} ({w}x{h})", "the file is damaged; export it again")
    if w * h > max_pixels:
        img.close()
        raise ImageError(f"image too large: {path} claims {w}x{h} = {w * h / 1e6:.0f} megapixels",
                         f"the limit is {max_pixels / 1e6:.0f} megapixels; scale the photo down before using it")
    return img


def _orientation(img: Image.Image) -> int:
    try:
        o = int(img.getexif().get(0x0112, 1))
    except Exception:  # a damaged EXIF block must not make a good photo unusable
        return 1
    return o if 1 <= o <= 8 else 1


def _decode(img: Image.Image, path: Path) -> None:
    """Decode all pixel data, turning truncation and corruption into an ImageError."""
    try:
        img.load()
    except (OSError, SyntaxError, ValueError) as e:
        raise ImageError(f"damaged image: {path}: {e}",
                         "the file is truncated or corrupt (an interrupted download or copy?); copy it again") from None


def _info(img: Image.Image, path: Path, digest: str) -> ImageInfo:
    o = _orientation(img)
    sw, sh = img.size
    w, h = (sh, sw) if o in (5, 6, 7, 8) else (sw, sh)
    dpi = img.info.get("dpi")
    try:
        dpi_t = (float(dpi[0]), float(dpi[1])) if dpi else None
    except (TypeError, ValueError, IndexError):
        dpi_t = None
    return ImageInfo(path=path, width=w, height=h, stored_width=sw, stored_height=sh, orientation=o, mode=img.mode,
                     format=img.format or "", dpi=dpi_t, has_icc=bool(img.info.get("icc_profile")),
                     file_size=path.stat().st_size, sha256=digest)


def upright_size(path: str | os.PathLike[str], cache_dir: str | os.PathLike[str] | None = None,
                 max_pixels: int = MAX_PIXELS) -> tuple[int, int]:
    """The picture's (width, height) as it stands (EXIF orientation applied), from the header
    index when ``cache_dir`` has it, else from the header alone: no hashing, no decoding.
    Layout asks this for every trial composition; ImageError as :func:`inspect`."""
    p = Path(path)
    if cache_dir is not None:
        known = _known(p, Path(cache_dir), max_pixels)
        if known is not None:
            return known.width, known.height
    with _open_header(p, max_pixels) as img:
        o = _orientation(img)
        w, h = img.size
    return (h, w) if o in (5, 6, 7, 8) else (w, h)


def inspect(path: str | os.PathLike[str], *, verify: bool = True, max_pixels: int = MAX_PIXELS) -> ImageInfo:
    """Describe a picture file, or raise ``ImageError`` saying why it cannot be used.

    The header is checked first (existence, emptiness, format, pixel count), so bombs are
    refused before decoding. With ``verify`` (the default) the pixels are then decoded once, so
    a truncated or corrupt file is reported now, at content-checking time, rather than halfway
    through a build."""
    p = Path(path)
    with _open_header(p, max_pixels) as img:
        if verify:
            _decode(img, p)
        return _info(img, p, _hash_file(p))


# ----------------------------------------------------------------------------------------------
# plan_crop
# ----------------------------------------------------------------------------------------------


def _check_frame(frame_w_pt: float, frame_h_pt: float) -> None:
    for name, v in (("frame_w_pt", frame_w_pt), ("frame_h_pt", frame_h_pt)):
        if not (isinstance(v, (int, float)) and math.isfinite(v) and v > 0):
            raise ValueError(f"{name} must be a positive number of points, got {v!r}")


def _check_focus(focus: tuple[float, float]) -> tuple[float, float]:
    try:
        fx, fy = float(focus[0]), float(focus[1])
    except (TypeError, ValueError, IndexError):
        raise ValueError(f"focus must be a pair (x, y) of fractions 0..1, got {focus!r}") from None
    if not (0.0 <= fx <= 1.0 and 0.0 <= fy <= 1.0):
        raise ValueError(f"focus must be fractions of the picture in 0..1 (0,0 = top left), got {focus!r}")
    return fx, fy


def plan_crop(src_w: int, src_h: int, frame_w_pt: float, frame_h_pt: float,
              focus: tuple[float, float] = (0.5, 0.5)) -> Box:
    """The "fill" crop of a ``src_w`` x ``src_h`` picture for a frame: ``(left, top, right, bottom)``.

    Newspaper frames are filled edge to edge (no letterboxing), so the picture is cropped to the
    frame's aspect ratio, keeping as much of it as possible: the full width or the full height.
    Along the other axis the box is placed so that the focal point ``focus`` (fractions of the
    upright picture, (0, 0) = top left) is as near the box's centre as the picture allows; a
    focus near an edge pushes the box against that edge rather than off the picture.

    The box is in whole pixels: its aspect matches the frame's to within rounding (the cropped
    side is the nearest integer to the exact size), and it always lies inside the picture."""
    if src_w <= 0 or src_h <= 0:
        raise ValueError(f"picture size must be positive, got {src_w}x{src_h}")
    _check_frame(frame_w_pt, frame_h_pt)
    fx, fy = _check_focus(focus)
    aspect = frame_w_pt / frame_h_pt
    if src_w / src_h > aspect:  # picture wider than the frame: keep the full height
        crop_h = src_h
        crop_w = min(src_w, max(1, round(src_h * aspect)))
    else:  # taller (or equal): keep the full width
        crop_w = src_w
        crop_h = min(src_h, max(1, round(src_w / aspect)))

    def place(length: int, crop: int, f: float) -> int:
        start = round(f * length - crop / 2)
        return min(max(start, 0), length - crop)

    left, top = place(src_w, crop_w, fx), place(src_h, crop_h, fy)
    return (left, top, left + crop_w, top + crop_h)


# ----------------------------------------------------------------------------------------------
# prepare
# ----------------------------------------------------------------------------------------------


def _ppi(px_w: int, px_h: int, frame_w_pt: float, frame_h_pt: float) -> float:
    """Effective ppi in the frame: the lower of the two axes (they agree up to rounding)."""
    return min(px_w / (frame_w_pt / 72.0), px_h / (frame_h_pt / 72.0))


def _output_size(crop: Box, frame_w_pt: float, frame_h_pt: float, target_ppi: float) -> tuple[int, int]:
    """Pixel size of the prepared image: the frame at ``target_ppi`` if the crop has more pixels
    than that, else the crop's own size (never upscale: that adds bytes, not detail)."""
    cw, ch = crop[2] - crop[0], crop[3] - crop[1]
    tw, th = frame_w_pt / 72.0 * target_ppi, frame_h_pt / 72.0 * target_ppi
    scale = min(tw / cw, th / ch)
    if scale >= 1.0:
        return cw, ch
    return max(1, round(cw * scale)), max(1, round(ch * scale))


def _normalise(img: Image.Image) -> Image.Image:
    """Bring any supported mode to one that resamples correctly and prints: 8-bit L, RGB or CMYK.

    Transparency is flattened onto paper white (a PDF viewer would show it black or white
    depending on the renderer; the page is paper); palette images are expanded; 16/32-bit
    greyscale is scaled to 8 bits, not clipped. The embedded ICC profile, if any, is kept in
    ``info`` so that colour management downstream still knows what the numbers mean."""
    icc = img.info.get("icc_profile")
    if img.mode.startswith("I") or img.mode == "F":  # 16/32-bit greyscale (e.g. 16-bit PNG scans)
        wide = img.convert("I") if img.mode != "F" else img
        hi = wide.getextrema()[1]
        img = (wide.point(lambda v: v * (1 / 256.0)) if hi > 255 else wide).convert("L")
    if img.mode in ("P", "PA"):
        img = img.convert("RGBA")
    elif img.mode == "1":
        img = img.convert("L")
    if img.mode in ("RGBA", "LA", "La", "RGBa"):
        base = "L" if img.mode in ("LA", "La") else "RGB"
        rgba = img.convert("RGBA")
        bg = Image.new("RGB", img.size, PAPER_WHITE)
        bg.paste(rgba, (0, 0), rgba)
        img = bg.convert(base) if base == "L" else bg
    if img.mode not in ("L", "RGB", "CMYK"):
        img = img.convert("RGB")
    if icc and not img.info.get("icc_profile"):
        img.info["icc_profile"] = icc
    return img


def _to_srgb(img: Image.Image, path: Path, notes: list[str]) -> Image.Image:
    """8-bit sRGB for the RGB pipeline (no ``convert`` hook).

    An embedded ICC profile (Adobe RGB from a camera, a CMYK profile from an agency) is honoured,
    so colours do not shift; without one, the numbers are taken as sRGB (what cameras and the
    web assume)."""
    icc = img.info.get("icc_profile")
    if icc:
        try:
            from PIL import ImageCms

            src_profile = ImageCms.ImageCmsProfile(io.BytesIO(icc))
            desc = (ImageCms.getProfileDescription(src_profile) or "").strip()
            if not (img.mode == "RGB" and "srgb" in desc.lower()):
                srgb = ImageCms.createProfile("sRGB")
                img = ImageCms.profileToProfile(img, src_profile, srgb, renderingIntent=ImageCms.Intent.PERCEPTUAL,
                                                outputMode="RGB")
        except Exception as e:  # a broken or mismatched profile: fall back to the numbers as they are
            notes.append(f"{path.name}: embedded colour profile could not be used ({e}); colours taken as sRGB")
    if img.mode != "RGB":
        img = img.convert("RGB")
    img.info.pop("icc_profile", None)
    return img


def _fingerprint(value: object) -> str:
    """A stable description of a hook attribute for the cache key: file-like things by content."""
    data = getattr(value, "data", None)
    if callable(data):
        try:
            blob = data()
            if isinstance(blob, (bytes, bytearray)):
                return "sha256:" + hashlib.sha256(blob).hexdigest()
        except Exception:
            pass
    if isinstance(value, (str, os.PathLike)) and Path(value).is_file():
        return "sha256:" + _hash_file(Path(value))
    return repr(value)


def _hook_key(convert: Converter | None, convert_key: str | None) -> str:
    """The part of the cache key that identifies the colour hook.

    In order: ``convert_key``; the hook's ``cache_key`` attribute; else a key derived from the
    hook's qualified name, its code, and its public attributes (files and objects with a
    ``data()`` method such as an ICC profile are identified by content). A hook with none of
    these cannot be told apart from another one in the cache and is refused."""
    if convert is None:
        return "rgb"
    if convert_key is not None:
        return "key:" + str(convert_key)
    key = getattr(convert, "cache_key", None)
    if callable(key):
        key = key()
    if key:
        return "key:" + str(key)
    attrs = {k: v for k, v in sorted(getattr(convert, "__dict__", {}).items()) if not k.startswith("_")}
    if not attrs:
        raise ValueError(
            "a convert hook needs a cache key (convert_key=... or a .cache_key attribute) that changes whenever its "
            "output would, e.g. the output ICC profile's hash and the rendering intent; otherwise stale files would be reused")
    code = getattr(convert, "__code__", None)
    parts = [f"{getattr(convert, '__module__', '')}.{getattr(convert, '__qualname__', type(convert).__qualname__)}"]
    if code is not None:
        parts.append(hashlib.sha256(code.co_code).hexdigest()[:16])
    parts += [f"{k}={_fingerprint(v)}" for k, v in attrs.items()]
    return "derived:" + hashlib.sha256("|".join(parts).encode()).hexdigest()


def atomic_write_jpeg(img: Image.Image, dest: Path, dpi: float) -> None:
    """Write to a temporary file in the same folder, then rename over the destination: readers
    (a parallel build, an interrupted one) never see a half-written file."""
    buf = io.BytesIO()
    img.save(buf, "JPEG", quality=JPEG_QUALITY, subsampling=0, optimize=True, dpi=(dpi, dpi))
    write_checked(dest, buf.getvalue(), durable=True)  # (with its checksum: a damaged one is never placed)


#: The header index: what a source file's header and hash said, keyed by its path and
#: stamped with its size, mtime and inode, so an unchanged photo is neither re-read (hashing a
#: 5 MB file costs ~10 ms) nor opened with Pillow on a build whose prepared files are cached.
_INDEX_VERSION = 2  # 2: sealed records, the version in their names


def _index_file(src: Path, cache: Path) -> Path:
    digest = hashlib.sha1(str(src.resolve()).encode("utf-8", "surrogateescape")).hexdigest()
    return cache / "index" / f"{digest}.{_INDEX_VERSION}.json"  # (an older version's record is never read)


def _stamp(src: Path) -> list[int] | None:
    try:
        st = src.stat()
    except OSError:
        return None
    return [_INDEX_VERSION, st.st_size, st.st_mtime_ns, st.st_ino]


def _known(src: Path, cache: Path, max_pixels: int) -> ImageInfo | None:
    """The ImageInfo recorded for ``src`` if the file is unchanged since (else None: inspect it)."""
    stamp = _stamp(src)
    if stamp is None or stamp[1] == 0:
        return None
    raw = read_sealed(_index_file(src, cache))  # (sealed: a damaged record is a miss, and noted)
    if raw is None:
        return None
    try:
        rec = json.loads(raw.decode("utf-8"))
        if rec["stamp"] != stamp:
            return None
        d = rec["info"]
        info = ImageInfo(path=src, width=d["width"], height=d["height"], stored_width=d["stored_width"],
                         stored_height=d["stored_height"], orientation=d["orientation"], mode=d["mode"],
                         format=d["format"], dpi=tuple(d["dpi"]) if d["dpi"] else None, has_icc=d["has_icc"],
                         file_size=d["file_size"], sha256=d["sha256"])
    except (OSError, ValueError, KeyError, TypeError):
        return None
    if info.stored_width * info.stored_height > max_pixels:
        return None  # let the header check say why
    return info


def _remember(src: Path, cache: Path, info: ImageInfo) -> None:
    stamp = _stamp(src)
    if stamp is None:
        return
    d = {k: getattr(info, k) for k in ("width", "height", "stored_width", "stored_height", "orientation", "mode",
                                        "format", "dpi", "has_icc", "file_size", "sha256")}
    write_sealed(_index_file(src, cache), json.dumps({"stamp": stamp, "info": d}).encode("utf-8"))


def prepare(
    path: str | os.PathLike[str],
    frame_w_pt: float,
    frame_h_pt: float,
    *,
    focus: tuple[float, float] = (0.5, 0.5),
    target_ppi: float = 300,
    min_ppi: float = 200,
    cache_dir: str | os.PathLike[str],
    convert: Converter | None = None,
    convert_key: str | None = None,
    max_pixels: int = MAX_PIXELS,
) -> PreparedImage:
    """Make the file a frame of ``frame_w_pt`` x ``frame_h_pt`` points will show.

    Steps: EXIF orientation (cameras store portraits sideways and set a tag; PDF viewers ignore
    the tag, so it is applied to the pixels), flattening of transparency onto paper white, fill
    crop around ``focus`` (``plan_crop``), Lanczos downsampling to ``target_ppi`` in the frame
    (never upscaling: that adds bytes, not detail), then the colour step, then a JPEG at quality
    92 with 4:4:4 chroma (no subsampling: saturated edges and thin lines stay clean).

    Colour step: without ``convert``, the image becomes 8-bit sRGB (an embedded ICC profile is
    honoured). ``convert`` is the hook for print finishing (e.g. to CMYK through the newsprint
    output profile, greyscale to K only): it receives the cropped, scaled image in its *own*
    colour space, 8-bit "L", "RGB" or "CMYK", with the file's ICC profile (if any) still in
    ``info["icc_profile"]``, so a one-step conversion source profile -> press profile is
    possible; it must return an "L", "RGB" or "CMYK" image of the same size. Because its result
    is cached, the hook needs an identity that changes when its output would: ``convert_key``,
    a ``cache_key`` attribute, or public attributes from which one is derived (see ``_hook_key``).

    The result is cached in ``cache_dir`` under a name derived from the source file's content
    hash, the crop box, the output pixel size, the hook's key and ``PIPELINE_VERSION``: the same
    photo in the same frame is processed once, a changed photo or frame gets a new file, and
    moving or renaming the source does not invalidate anything. Writes are atomic. Output bytes
    are deterministic for the same input.

    Warnings (for the report): effective ppi of the source crop under ``min_ppi`` (soft but
    usable), or under ``LOW_PPI`` = 170 (will print visibly soft), and crops that throw away
    more than half the picture.
    """
    src = Path(path)
    _check_frame(frame_w_pt, frame_h_pt)
    fx, fy = _check_focus(focus)
    if not (math.isfinite(target_ppi) and target_ppi > 0):
        raise ValueError(f"target_ppi must be positive, got {target_ppi!r}")
    hook = _hook_key(convert, convert_key)
    cache = Path(cache_dir)

    info = _known(src, cache, max_pixels)
    if info is None:
        with _open_header(src, max_pixels) as img:
            info = _info(img, src, _hash_file(src))
        _remember(src, cache, info)
    digest = info.sha256
    crop = plan_crop(info.width, info.height, frame_w_pt, frame_h_pt, (fx, fy))
    out_w, out_h = _output_size(crop, frame_w_pt, frame_h_pt, target_ppi)
    cw, ch = crop[2] - crop[0], crop[3] - crop[1]
    source_ppi = _ppi(cw, ch, frame_w_pt, frame_h_pt)
    ppi = _ppi(out_w, out_h, frame_w_pt, frame_h_pt)

    notes: list[str] = []
    if source_ppi < LOW_PPI:
        notes.append(f"{src.name}: only {source_ppi:.0f} ppi in a {frame_w_pt / 72 * 25.4:.0f}x{frame_h_pt / 72 * 25.4:.0f} mm "
                     f"frame (under {LOW_PPI:.0f}): it will print visibly soft; use a larger original or a smaller frame")
    elif source_ppi < min_ppi:
        notes.append(f"{src.name}: {source_ppi:.0f} ppi in the frame, under the {min_ppi:.0f} ppi minimum: "
                     f"acceptable on newsprint but soft")
    kept = (cw * ch) / (info.width * info.height)
    if kept < 0.5:
        notes.append(f"{src.name}: the frame's shape keeps only {kept:.0%} of the picture; check the focus point")

    key_src = "|".join(str(v) for v in (PIPELINE_VERSION, digest, crop, (out_w, out_h), JPEG_QUALITY, hook))
    key = hashlib.sha256(key_src.encode()).hexdigest()[:20]
    stem = "".join(c if c.isalnum() or c in "-_" else "_" for c in src.stem)[:40] or "image"
    dest = cache / f"{stem}-{key}.jpg"
    cached = is_checked(dest)  # (checked against what was written, once per process; marks it used)
    if not cached:
        with _open_header(src, max_pixels) as img:
            _decode(img, src)
            work = ImageOps.exif_transpose(img) if info.orientation != 1 else img
            work = _normalise(work)
            if convert is None:
                work = _to_srgb(work, src, notes)
            if (out_w, out_h) == (cw, ch):
                work = work.crop(crop)
            else:
                work = work.resize((out_w, out_h), Image.Resampling.LANCZOS, box=crop)
            if convert is not None:
                work = convert(work)
                if not isinstance(work, Image.Image):
                    raise TypeError(f"convert hook returned {type(work).__name__}, not a PIL Image")
                if work.size != (out_w, out_h):
                    raise ValueError(f"convert hook changed the pixel size from {(out_w, out_h)} to {work.size}")
                if work.mode not in ("RGB", "CMYK", "L"):
                    raise ValueError(f"convert hook returned mode {work.mode}; JPEG needs RGB, CMYK or L")
            work.info.pop("exif", None)
            try:
                atomic_write_jpeg(work, dest, round(ppi))
            except OSError as exc:  # a full or read-only cache: this build's own folder, and a note
                from layout.cache import fallback_root, fell_back

                instead = fallback_root() / "images" / dest.name
                try:
                    atomic_write_jpeg(work, instead, round(ppi))
                except OSError:
                    raise exc from None
                fell_back(dest, exc, instead)
                dest = instead
        prune_once(cache, "*.jpg")  # photos and frames of a month ago
        prune_once(cache, "*.jpg.seal")
        prune_once(cache / "index", "*.json")

    return PreparedImage(path=dest, source=src, source_sha256=digest, pixel_width=out_w, pixel_height=out_h, crop=crop,
                         frame_w_pt=float(frame_w_pt), frame_h_pt=float(frame_h_pt), source_ppi=source_ppi, ppi=ppi,
                         warnings=tuple(notes), cached=cached)
