"""TrueType files ReportLab can embed, made from CFF faces for the characters a document uses.

ReportLab's ``TTFont`` reads glyf outlines only; Noto CJK is CFF. Converting a whole Noto face
takes 80 s and 860 MB; fontTools' CFF subsetter is the slow step even for a few hundred glyphs.
So :func:`truetype_for` draws just the glyphs needed through ``Cu2QuPen`` (cubic -> quadratic,
max error 1 font unit, contours reversed to TrueType's clockwise order) into a ``glyf`` table,
and writes a small font with the original advances and vertical metrics.

Two caches make repeated builds cheap (layout in :mod:`layout.fonts`):

- glyphs: every converted glyph is kept per face (:mod:`.glyphstore`), so a text change costs
  only its new characters;
- files: the produced font is kept under ``ttf/<name>.ttf`` where ``<name>`` is its PostScript
  name, ``<original PS name>-bs<10 hex digits>``, the digits hashing the face's identity and the
  sorted set of code points. Equal names mean equal files; different character sets get
  different names, because ReportLab silently reuses a face registered earlier under the same
  name. Register it as ``TTFont(path.stem, path)``.

TrueType faces (LXGW WenKai, Smiley Sans) go the same way without the curve conversion: their
glyphs are copied (composites decomposed) into a small font, because ReportLab parses the whole
file it is given, and a 20 MB face costs 0.1-0.3 s per build to parse where the subset costs ms.
"""

from __future__ import annotations

import gc
import hashlib
import io
import re
import struct
import threading
from collections.abc import Iterable
from pathlib import Path

from msgspec import Struct

from . import cache
from .config import FontConfigError
from .face import Face
from .glyphstore import GlyphStore, Record

#: Largest distance between a cubic curve and its quadratic approximation, in font units.
MAX_ERR = 1.0


class ConversionStats(Struct, dict=True):
    """Counters for this process (tests and the build report read them)."""

    glyphs_converted: int = 0  # CFF glyphs drawn through Cu2QuPen
    fonts_built: int = 0  # TrueType files written
    file_hits: int = 0  # requests answered by an existing produced file

    def reset(self) -> None:
        self.glyphs_converted = self.fonts_built = self.file_hits = 0


STATS = ConversionStats()
_lock = threading.Lock()


def truetype_for(face: Face, chars: Iterable[str], *, cache_dir: str | Path | None = None) -> Path:
    """A TrueType file usable by ``reportlab.pdfbase.ttfonts.TTFont`` that covers the
    characters of ``chars`` the face has (``chars`` may be a string or any iterable of strings;
    characters the face lacks are left out - see :func:`layout.fonts.missing`), plus
    ``.notdef`` and the space.

    For a TrueType face this is the face's own file (or, for a face inside a collection, that
    face extracted once into the cache). ``cache_dir`` defaults to the one the face was opened
    with.
    """
    cdir = cache_dir if cache_dir is not None else face.cache_dir
    info = face.table.info
    if not info["is_cff"] and not info.get("has_glyf"):
        raise FontConfigError(
            f"{face.path} (face {face.index}) has neither glyf nor CFF outlines", file=str(face.path)
        )

    table = face.table
    cmap: dict[int, int] = {}
    for s in chars:
        for ch in s:
            cp = ord(ch)
            if cp not in cmap:
                cmap[cp] = table.gid(cp)
    cmap[0x20] = table.gid(0x20)
    cmap = {cp: g for cp, g in cmap.items() if g}

    digest = hashlib.sha1((face.file_key + ":" + ",".join(f"{cp:x}" for cp in sorted(cmap))).encode()).hexdigest()
    ps = f"{_ps_safe(face.ps_name)}-bs{digest[:10]}"
    out = cache.fonts_cache(cdir, "ttf") / f"{ps}.ttf"
    if out.is_file():
        with _lock:
            STATS.file_hits += 1
        cache.touch(out)  # in use: kept by pruning
        return out

    store_path = cache.fonts_cache(cdir, "glyphs") / f"{face.path.stem}-{face.index}-{face.file_key}.glyphs"
    store = GlyphStore(store_path, face.file_key)
    gids = {0} | set(cmap.values())
    converted = store.ensure(gids, lambda need: _convert(face, need))
    with _lock:
        STATS.glyphs_converted += converted
    data = _build(face, cmap, {g: store.glyphs[g] for g in gids}, ps)
    cache.atomic_write(out, data)
    # a new character set per edit leaves old subsets (and ReportLab's .sub pieces) behind
    cache.prune_once(out.parent, "*.ttf")
    cache.prune_once(out.parent, "*.sub")
    with _lock:
        STATS.fonts_built += 1
    return out


def _ps_safe(name: str) -> str:
    """PostScript names: printable ASCII without delimiters; keep room for the suffix."""
    return (re.sub(r"[^A-Za-z0-9_.-]", "", name) or "Font")[:48]


def _convert(face: Face, gids: set[int]) -> dict[int, Record]:
    """Draw glyphs ``gids`` into compiled glyf records: CFF through Cu2QuPen (cubic ->
    quadratic, contours reversed), glyf outlines as they are (composites decomposed)."""
    from fontTools.pens.cu2quPen import Cu2QuPen
    from fontTools.pens.ttGlyphPen import TTGlyphPen
    from fontTools.ttLib import TTFont

    font = TTFont(str(face.path), fontNumber=face.index, lazy=True)
    source = None
    try:
        source = _outline_source(font)
        cubic = face.is_cff
        glyphset = None if cubic else font.getGlyphSet()
        out: dict[int, Record] = {}
        for gid in sorted(gids):
            pen = TTGlyphPen(None)
            if cubic:
                source(gid).draw(Cu2QuPen(pen, MAX_ERR, reverse_direction=True))
            else:
                # composites (accented Latin letters) are drawn out in full: the subset keeps
                # no component glyphs under their old names
                from fontTools.pens.recordingPen import DecomposingRecordingPen

                rec = DecomposingRecordingPen(glyphset)
                source(gid).draw(rec)
                rec.replay(pen)
            glyph = pen.glyph(dropImpliedOnCurves=True)
            data = glyph.compile(None) if glyph.numberOfContours else b""
            out[gid] = (face.table.advance_units(gid), data)
        return out
    finally:
        font.close()
        del font, source
        # fontTools' table objects hold reference cycles: without a collection each CJK face's
        # CFF parse (~35 MB) stays until the collector happens to run, and a first build of a
        # page with five CFF faces peaked at 400 MB instead of ~100 MB
        gc.collect()


def _outline_source(font):
    """gid -> something with ``draw(pen)``. For CFF, straight from the CharStrings INDEX by
    glyph id: skips the glyph set's hmtx parse and name lookups (65,535 entries each in Noto),
    which made adding a few characters cost 0.2 s instead of 0.06 s. CFF2 goes through the
    generic glyph set."""
    if "CFF " in font:
        charstrings = font["CFF "].cff.topDictIndex[0].CharStrings
        if getattr(charstrings, "charStringsAreIndexed", False):
            return charstrings.charStringsIndex.__getitem__
        order = font.getGlyphOrder()
        return lambda gid: charstrings[order[gid]]
    glyphset = font.getGlyphSet()
    order = font.getGlyphOrder()
    return lambda gid: glyphset[order[gid]]


def _glyph_stats(data: bytes) -> tuple[int, int, int, int, int, int] | None:
    """(contours, points, xMin, yMin, xMax, yMax) of a compiled simple glyph; None if empty."""
    if not data:
        return None
    n, x0, y0, x1, y1 = struct.unpack_from(">hhhhh", data)
    last_end = struct.unpack_from(">H", data, 10 + 2 * (n - 1))[0] if n > 0 else -1
    return n, last_end + 1, x0, y0, x1, y1


def _build(face: Face, cmap: dict[int, int], glyphs: dict[int, Record], ps: str) -> bytes:
    """Assemble the font from compiled glyph records without re-parsing them (fontTools'
    bounding-box recalculation would expand every glyph: 0.2 s for a page; the header values
    are computed here from the records instead)."""
    from fontTools.fontBuilder import FontBuilder
    from fontTools.ttLib import newTable
    from fontTools.ttLib.tables._g_l_y_f import Glyph
    from fontTools.ttLib.tables.O_S_2f_2 import Panose

    info = face.table.info
    upm = int(info["upm"])
    gids = sorted(glyphs)  # gid 0 (.notdef) first
    names = {g: (".notdef" if g == 0 else f"g{g}") for g in gids}
    order = [names[g] for g in gids]

    fb = FontBuilder(upm, isTTF=True)
    font = fb.font
    font.recalcBBoxes = False
    font.recalcTimestamp = False
    fb.setupGlyphOrder(order)
    fb.setupCharacterMap({cp: names[g] for cp, g in cmap.items()})

    font["loca"] = newTable("loca")
    glyf = newTable("glyf")
    glyf.glyphOrder = order
    glyf.glyphs = {names[g]: Glyph(glyphs[g][1]) for g in gids}
    font["glyf"] = glyf

    hmtx: dict[str, tuple[int, int]] = {}
    max_points = max_contours = 0
    bx0 = by0 = bx1 = by1 = None
    min_lsb = min_rsb = max_extent = None
    for g in gids:
        adv, data = glyphs[g]
        st = _glyph_stats(data)
        if st is None:
            hmtx[names[g]] = (adv, 0)
            continue
        n, pts, x0, y0, x1, y1 = st
        hmtx[names[g]] = (adv, x0)
        max_points, max_contours = max(max_points, pts), max(max_contours, n)
        bx0 = x0 if bx0 is None else min(bx0, x0)
        by0 = y0 if by0 is None else min(by0, y0)
        bx1 = x1 if bx1 is None else max(bx1, x1)
        by1 = y1 if by1 is None else max(by1, y1)
        min_lsb = x0 if min_lsb is None else min(min_lsb, x0)
        min_rsb = adv - x1 if min_rsb is None else min(min_rsb, adv - x1)
        max_extent = x1 if max_extent is None else max(max_extent, x1)
    fb.setupHorizontalMetrics(hmtx)

    h = info["head"]
    fb.updateHead(
        xMin=bx0 or 0,
        yMin=by0 or 0,
        xMax=bx1 or 0,
        yMax=by1 or 0,
        macStyle=h["macStyle"],
        fontRevision=h["fontRevision"],
        created=h["created"],
        modified=h["modified"],
        lowestRecPPEM=h["lowestRecPPEM"],
    )
    hh = info["hhea"]
    fb.setupHorizontalHeader(
        ascent=hh["ascent"],
        descent=hh["descent"],
        lineGap=hh["lineGap"],
        advanceWidthMax=max(a for a, _ in hmtx.values()),
        minLeftSideBearing=min_lsb or 0,
        minRightSideBearing=min_rsb or 0,
        xMaxExtent=max_extent or 0,
    )
    tag = ps.rsplit("-", 1)[-1]
    names_table = {
        "familyName": f"{info['family'] or face.ps_name} {info['style']} {tag}".strip(),
        "styleName": "Regular",
        "uniqueFontIdentifier": ps,
        "fullName": f"{info['full_name'] or face.ps_name} {tag}",
        "psName": ps,
        "version": info["version"] or "Version 1.000",
    }
    for k, src in (("copyright", "copyright"), ("licenseDescription", "license"), ("licenseInfoURL", "license_url")):
        if info.get(src):
            names_table[k] = info[src]
    fb.setupNameTable(names_table)

    os2 = dict(info.get("os2", {}))
    panose = os2.pop("panose", None)
    if panose is not None:
        p = Panose()
        for field, v in zip(
            ("bFamilyType", "bSerifStyle", "bWeight", "bProportion", "bContrast",
             "bStrokeVariation", "bArmStyle", "bLetterForm", "bMidline", "bXHeight"),
            panose,
        ):  # fmt: skip
            setattr(p, field, v)
        os2["panose"] = p
    os2.setdefault("version", 4)
    os2.setdefault("sTypoAscender", hh["ascent"])
    os2.setdefault("sTypoDescender", hh["descent"])
    os2.setdefault("usWinAscent", max(hh["ascent"], 0))
    os2.setdefault("usWinDescent", max(-hh["descent"], 0))
    fb.setupOS2(**os2)
    fb.setupPost(keepGlyphNames=False, **info.get("post", {}))
    fb.setupMaxp()
    font["maxp"].maxPoints = max_points
    font["maxp"].maxContours = max_contours

    buf = io.BytesIO()
    font.save(buf)
    return buf.getvalue()
