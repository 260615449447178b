"""The cached metrics table of one face: character map, advances and header values.

Parsing a 20 MB Noto CJK collection with fontTools to learn its character map and advances
takes about a quarter of a second per face, and a page uses half a dozen faces. Everything the
line composer and the renderer need from a face is small, so it is parsed once and stored in
``<cache>/fonts/metrics/<file>-<index>-<key>.metrics`` as flat arrays that load in well under a
millisecond:

- ``bmp``: 65,536 glyph ids, one per BMP code point (0 = not mapped),
- ``supp_cps`` / ``supp_gids``: the mapped code points above U+FFFF, sorted, and their glyph ids,
- ``adv``: the advance width of every glyph id, in font units,
- ``info``: header values (names, vertical metrics, BASE baselines, OS/2 fields) in font units.

The key covers the file's real path, face index, mtime and size (:func:`cache.face_key`), so an
upgraded font file is re-read on its own. fontTools is imported only on a cache miss.
"""

from __future__ import annotations

import bisect
import marshal
import struct
import sys
import threading
from array import array
from pathlib import Path
from typing import Any

from msgspec import Struct

from layout.cache import read_sealed, write_sealed

from . import cache
from .config import FontConfigError

_MAGIC = "broadsheet-font-metrics"

# OS/2 fields kept in the table (values of the face, font units): vertical metrics for composition,
# descriptor values for embedding (layout.render.embed).
_OS2_FIELDS = (
    "version", "xAvgCharWidth", "usWeightClass", "usWidthClass", "fsType",
    "ySubscriptXSize", "ySubscriptYSize", "ySubscriptXOffset", "ySubscriptYOffset",
    "ySuperscriptXSize", "ySuperscriptYSize", "ySuperscriptXOffset", "ySuperscriptYOffset",
    "yStrikeoutSize", "yStrikeoutPosition", "sFamilyClass",
    "ulUnicodeRange1", "ulUnicodeRange2", "ulUnicodeRange3", "ulUnicodeRange4",
    "achVendID", "fsSelection", "sTypoAscender", "sTypoDescender", "sTypoLineGap",
    "usWinAscent", "usWinDescent", "ulCodePageRange1", "ulCodePageRange2",
    "sxHeight", "sCapHeight", "usDefaultChar", "usBreakChar", "usMaxContext",
    "usLowerOpticalPointSize", "usUpperOpticalPointSize",
)  # fmt: skip
_PANOSE_FIELDS = (
    "bFamilyType", "bSerifStyle", "bWeight", "bProportion", "bContrast",
    "bStrokeVariation", "bArmStyle", "bLetterForm", "bMidline", "bXHeight",
)  # fmt: skip


class FontTable(Struct, eq=False, dict=True):
    """Character map, advances and header values of one face (see the module docstring).

    ``info`` holds plain values in font units; its keys are documented in :func:`_read_info`.
    """

    key: str  # cache.face_key(path, index)
    path: Path
    index: int
    info: dict[str, Any]
    bmp: array  # 'H' x 65536: glyph id per BMP code point
    supp_cps: array  # 'I': sorted code points > U+FFFF
    supp_gids: array  # 'H'
    adv: array  # 'H': advance per glyph id (font units)
    from_cache: bool = False

    def gid(self, cp: int) -> int:
        """Glyph id of code point ``cp`` (0 when the face does not map it)."""
        if cp < 0x10000:
            return self.bmp[cp] if cp >= 0 else 0
        i = bisect.bisect_left(self.supp_cps, cp)
        if i < len(self.supp_cps) and self.supp_cps[i] == cp:
            return self.supp_gids[i]
        return 0

    def advance_units(self, gid: int) -> int:
        return self.adv[gid] if 0 <= gid < len(self.adv) else self.adv[0]

    def codepoints(self) -> list[int]:
        """Every mapped code point, ascending (for coverage reports; not fast)."""
        return [cp for cp, g in enumerate(self.bmp) if g] + list(self.supp_cps)


_memo: dict[tuple[str, str], FontTable] = {}
_memo_lock = threading.Lock()


def load_table(path: str | Path, index: int = 0, cache_dir: str | Path | None = None) -> FontTable:
    """The face's table: from this process's memory, else the disk cache, else parsed from the
    font file (and then written to the disk cache; a cache that cannot be written is skipped).

    Raises :class:`FontConfigError` if the file is missing or not a usable font face.
    """
    p = Path(path)
    try:
        key = cache.face_key(p, index)
    except OSError as e:
        raise FontConfigError(f"cannot read font file {p}: {e.strerror or e}", file=str(p)) from e
    folder = cache.fonts_cache(cache_dir, "metrics")
    memo_key = (key, str(folder))
    table = _memo.get(memo_key)
    if table is not None:
        return table
    file = folder / f"{p.stem}-{index}-{key}.metrics"
    table = _load_cached(file, key, p, index)
    if table is None:  # what the set-up prepared for this very file (layout.fonts.prepare)
        table = _load_cached(cache.prepared("metrics") / file.name, key, p, index)
    if table is None:
        table = _parse(p, index, key)
        write_sealed(file, _dump(table))  # (sealed; a cache that cannot be written only costs speed)
    with _memo_lock:
        _memo[memo_key] = table
    return table


def clear_memo() -> None:
    """Forget tables loaded in this process (tests use it to force a disk-cache load)."""
    with _memo_lock:
        _memo.clear()


def _dump(t: FontTable) -> bytes:
    return marshal.dumps(
        (
            _MAGIC,
            cache.FORMAT,
            sys.byteorder,
            t.key,
            t.info,
            t.bmp.tobytes(),
            t.supp_cps.tobytes(),
            t.supp_gids.tobytes(),
            t.adv.tobytes(),
        )
    )


def _load_cached(file: Path, key: str, path: Path, index: int) -> FontTable | None:
    data = read_sealed(file)  # (None when missing, or damaged: then removed, noted, and parsed again)
    if data is None:
        return None
    try:
        magic, fmt, order, k, info, bmp, scp, sgid, adv = marshal.loads(data)
        if (magic, fmt, order, k) != (_MAGIC, cache.FORMAT, sys.byteorder, key):
            return None
        arrays = []
        for code, raw in (("H", bmp), ("I", scp), ("H", sgid), ("H", adv)):
            a = array(code)
            a.frombytes(raw)
            arrays.append(a)
    except (ValueError, EOFError, TypeError):
        return None  # a file of another format or machine: rebuild it
    if len(arrays[0]) != 0x10000 or len(arrays[1]) != len(arrays[2]):
        return None
    return FontTable(key, path, index, info, *arrays, from_cache=True)


def _parse(path: Path, index: int, key: str) -> FontTable:
    from fontTools.ttLib import TTFont  # looked up at call time: tests monkeypatch it

    if index:
        with open(path, "rb") as f:
            if f.read(4) != b"ttcf":  # fontTools would quietly read face 0
                raise FontConfigError(
                    f"{path} is a single font, not a collection: face index {index} does not exist (use 0)",
                    file=str(path),
                )
    try:
        font = TTFont(str(path), fontNumber=index, lazy=True)
    except Exception as e:  # fontTools raises several types for bad files / indices
        raise FontConfigError(
            f"{path} (face index {index}) is not a usable font: {e}", file=str(path)
        ) from e
    try:
        if "cmap" not in font or "hmtx" not in font or "head" not in font:
            raise FontConfigError(f"{path} (face index {index}) lacks cmap/hmtx/head tables", file=str(path))
        # cmap and hmtx straight from the table bytes, by glyph id: fontTools' objects for them
        # go through 65,535 glyph names (and a CFF charset parse) and cost ~40 MB per CJK face
        num_glyphs = struct.unpack_from(">H", font.reader["maxp"], 4)[0]
        bmp, supp = raw_cmap(font.reader["cmap"], num_glyphs)
        adv = raw_advances(font.reader["hmtx"], struct.unpack_from(">H", font.reader["hhea"], 34)[0], num_glyphs)
        info = _read_info(font, path)
        info["num_glyphs"] = num_glyphs
    except FontConfigError:
        raise
    except Exception as e:  # lazy loading: a damaged table shows only when it is read
        raise FontConfigError(f"{path} (face index {index}) is not a usable font: {e}", file=str(path)) from e
    finally:
        font.close()
    return FontTable(
        key,
        path,
        index,
        info,
        bmp,
        array("I", (c for c, _ in supp)),
        array("H", (g for _, g in supp)),
        adv,
    )


def raw_cmap(data: bytes, num_glyphs: int) -> tuple[array, list[tuple[int, int]]]:
    """(BMP glyph ids, sorted (code point, glyph id) above U+FFFF) from a raw 'cmap' table: the
    Unicode subtable fontTools' getBestCmap would pick (3,10)/(0,6)/(0,4) format 12 first, then
    (3,1)/(0,3)/(0,...) format 4."""
    count = struct.unpack_from(">H", data, 2)[0]
    subtables = {}
    for i in range(count):
        pid, eid, off = struct.unpack_from(">HHI", data, 4 + 8 * i)
        subtables[(pid, eid)] = off
    bmp = array("H", bytes(0x20000))
    supp: list[tuple[int, int]] = []
    for key in ((3, 10), (0, 6), (0, 4), (3, 1), (0, 3), (0, 2), (0, 1), (0, 0)):
        off = subtables.get(key)
        if off is None:
            continue
        fmt = struct.unpack_from(">H", data, off)[0]
        if fmt == 12:
            ngroups = struct.unpack_from(">I", data, off + 12)[0]
            for k in range(ngroups):
                start, end, g0 = struct.unpack_from(">III", data, off + 16 + 12 * k)
                for cp in range(start, min(end, 0x10FFFF) + 1):
                    g = g0 + cp - start
                    if 0 < g < num_glyphs:
                        if cp < 0x10000:
                            bmp[cp] = g
                        else:
                            supp.append((cp, g))
            break
        if fmt == 4:
            segx2 = struct.unpack_from(">H", data, off + 6)[0]
            n = segx2 // 2
            ends = struct.unpack_from(f">{n}H", data, off + 14)
            starts = struct.unpack_from(f">{n}H", data, off + 16 + segx2)
            deltas = struct.unpack_from(f">{n}h", data, off + 16 + 2 * segx2)
            ro_at = off + 16 + 3 * segx2
            ranges = struct.unpack_from(f">{n}H", data, ro_at)
            for k in range(n):
                start, end, delta, ro = starts[k], ends[k], deltas[k], ranges[k]
                if start == 0xFFFF:
                    continue
                for cp in range(start, end + 1):
                    if ro == 0:
                        g = (cp + delta) & 0xFFFF
                    else:
                        at = ro_at + 2 * k + ro + 2 * (cp - start)
                        g = struct.unpack_from(">H", data, at)[0]
                        if g:
                            g = (g + delta) & 0xFFFF
                    if 0 < g < num_glyphs:
                        bmp[cp] = g
            break
    supp.sort()
    return bmp, supp


def raw_advances(data: bytes, num_metrics: int, num_glyphs: int) -> array:
    """Advance widths by glyph id from a raw 'hmtx' table (glyphs past the long metrics take the
    last advance, as the spec says)."""
    n = max(1, min(num_metrics, num_glyphs))
    longs = array("H", data[: 4 * n])
    if sys.byteorder == "little":
        longs.byteswap()
    adv = longs[0::2]
    if num_glyphs > n:
        adv.extend([adv[-1]] * (num_glyphs - n))
    return adv


def _read_info(font: Any, path: Path) -> dict[str, Any]:
    """Header values, plain types, font units:

    ``upm``, ``is_cff``, ``has_glyf``; ``ps_name``, ``family``, ``style``, ``full_name``,
    ``version``, ``copyright``, ``license``, ``license_url``; ``hhea`` (ascent, descent,
    lineGap), ``os2`` (the :data:`_OS2_FIELDS` present, ``panose`` as 10 ints), ``post``
    (italicAngle, underlinePosition, underlineThickness, isFixedPitch), ``head`` (macStyle,
    fontRevision, created, modified, lowestRecPPEM); ``base``: the default horizontal baselines of
    the Han script from the BASE table (tag -> coordinate, e.g. ``ideo``, ``icfb``, ``icft``).
    """
    head = font["head"]
    info: dict[str, Any] = {
        "upm": int(head.unitsPerEm),
        "is_cff": "CFF " in font or "CFF2" in font,
        "has_glyf": "glyf" in font,
        "head": {
            "macStyle": int(head.macStyle),
            "fontRevision": float(head.fontRevision),
            "created": int(head.created),
            "modified": int(head.modified),
            "lowestRecPPEM": int(head.lowestRecPPEM),
        },
    }
    name = font["name"] if "name" in font else None

    def nm(*ids: int) -> str:
        if name is None:
            return ""
        for i in ids:
            s = name.getDebugName(i)
            if s:
                return str(s)
        return ""

    info.update(
        ps_name=nm(6) or path.stem,
        family=nm(16, 1),
        style=nm(17, 2) or "Regular",
        full_name=nm(4),
        version=nm(5),
        copyright=nm(0),
        license=nm(13),
        license_url=nm(14),
    )
    if "hhea" in font:
        h = font["hhea"]
        info["hhea"] = {"ascent": int(h.ascent), "descent": int(h.descent), "lineGap": int(h.lineGap)}
    else:
        info["hhea"] = {"ascent": info["upm"], "descent": 0, "lineGap": 0}
    os2: dict[str, Any] = {}
    if "OS/2" in font:
        t = font["OS/2"]
        for f in _OS2_FIELDS:
            if hasattr(t, f):
                v = getattr(t, f)
                os2[f] = v if isinstance(v, str) else int(v)
        if hasattr(t, "panose"):
            os2["panose"] = [int(getattr(t.panose, f, 0)) for f in _PANOSE_FIELDS]
    info["os2"] = os2
    if "post" in font:
        # the header's fields straight from the table's bytes: fontTools' post table decodes every
        # glyph name too (0.1 s for LXGW WenKai's 29,000), which nothing here needs
        angle, position, thickness, fixed = struct.unpack_from(">ihhI", font.reader["post"], 4)
        info["post"] = {
            "italicAngle": angle / 65536.0,
            "underlinePosition": position,
            "underlineThickness": thickness,
            "isFixedPitch": fixed,
        }
    else:
        info["post"] = {}
    info["base"] = _base_values(font)
    return info


def _base_values(font: Any) -> dict[str, int]:
    """Default horizontal baseline coordinates for Han (``hani``, else ``DFLT``) from BASE."""
    if "BASE" not in font:
        return {}
    try:
        axis = font["BASE"].table.HorizAxis
        if axis is None or axis.BaseTagList is None or axis.BaseScriptList is None:
            return {}
        tags = [str(t) for t in axis.BaseTagList.BaselineTag]
        records = {r.BaseScriptTag: r for r in axis.BaseScriptList.BaseScriptRecord}
        rec = records.get("hani") or records.get("DFLT")
        if rec is None or rec.BaseScript.BaseValues is None:
            return {}
        coords = rec.BaseScript.BaseValues.BaseCoord
        return {tag: int(c.Coordinate) for tag, c in zip(tags, coords)}
    except (AttributeError, TypeError):
        return {}  # an unusual BASE table is not worth failing a build over
