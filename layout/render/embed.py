"""Fonts embedded by glyph id: one ``Type0`` font per face, its codes the face's own glyphs.

ReportLab's ``TTFont`` takes text, finds glyphs through the font's character map and reads
TrueType outlines only. A shaped run names glyphs that no character maps to (an ``fi``
ligature, a ``locl`` form, a ``vert`` form), and the CJK faces are CFF. So the renderer writes
glyph codes itself and this module provides, per PDF document, what those codes need:

- :meth:`Embedder.face` registers a face by (font file, face index) under a resource name the
  content stream uses (``/G1``); the same face asked for by two roles is one font. A vertical run
  uses a second resource (``/G1V``) on the same CIDFont with ``Identity-V``.
- :meth:`EmbeddedFace.record` notes each glyph drawn and the text it stands for, for the
  ToUnicode CMap: the first text given for a glyph wins, and a glyph standing for a cluster of
  characters (a ligature) maps to the whole cluster. When a glyph's mapping cannot say what a
  run's text is (a glyph shared by two characters, ``.notdef``), the renderer wraps that run in an
  ``/ActualText`` span.
- at save time (:meth:`Embedder.addObjects`, ReportLab's ``delayedFonts`` hook, so the glyph
  sets are complete) each face becomes a ``CIDFontType0`` with ``/FontFile3 /Subtype
  /CIDFontType0C`` (CFF; PDF 1.3, allowed by PDF/X-1a and X-4) or a ``CIDFontType2`` with
  ``/FontFile2`` and ``/CIDToGIDMap /Identity`` (TrueType), under ``Type0`` fonts with
  ``Identity-H`` (and ``Identity-V``), ``W`` widths of the glyphs used, ``DW2``/``W2`` for vertical
  use, a ToUnicode CMap and a complete FontDescriptor. The subset's name has a six-letter tag
  derived from the glyph set, so equal pages give equal bytes.

Codes are CIDs: for CFF the face's CIDs (Noto CJK: CID == glyph id), for TrueType the glyph ids.

Caches (``<cache root>/fonts/embed/``), so a warm build neither imports fontTools nor opens a
font file; every file is sealed (:func:`layout.cache.write_sealed`: length + sha256), and one that
fails the check is rebuilt, never embedded:

- ``<file>-<index>-<key>.meta``: descriptor values, glyph-to-CID map and the CFF skeleton;
- ``<file>-<index>-<key>.vert``: vertical metrics (read only when a run is vertical);
- ``<file>-<index>-<key>.cffglyphs``: desubroutinized charstrings by glyph id, merged under a
  lock by parallel builds (:mod:`.cff`);
- ``subsets/subsets.sqlite``: finished font programs per (face identity, glyph set), stored
  Flate-compressed as they go into the PDF (:mod:`layout.records`: a file each cost ~1 ms).

After a miss, the entries the set-up prepared (:mod:`layout.fonts.prepare`) are read from
``layout/fonts/data/embed/`` under the same names; there the charstrings of a face's common
repertoire are a ``.cffpack`` (:func:`write_pack`), of which a build maps the file and takes only
the glyphs its page needs.

``<key>`` is the face's file identity (real path, index, mtime, size:
:func:`layout.fonts.cache.face_key`), so a changed font file gets new entries.
"""

from __future__ import annotations

import contextlib
import hashlib
import marshal
import struct
import zlib
from collections import Counter
from pathlib import Path
from typing import Protocol

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.pdfdoc import (DummyDoc, PDFArray, PDFDictionary, PDFName, PDFObject, PDFStream, PDFString,
                                      PDFZCompress)

from layout.cache import read_sealed, write_sealed

#: bump when anything cached here changes shape or meaning, or the subsetters (cff.py, glyf.py)
#: cut different bytes: a cached subset must be what a build from an empty cache would make
FORMAT = 2
#: default vertical metrics of the CIDFonts (``DW2``): vertical origin 880 above the baseline,
#: advance one em down, as in the CJK faces; ``W2`` lists only the glyphs that differ
DW2 = (880, -1000)
#: default width (``DW``); ``W`` lists only the glyphs that differ
DW = 1000


class FontFiles(Protocol):
    """Where the renderer finds the font of a font key: (font file, face index in a collection).
    One that also has ``face_table(key) -> (file, index, FontTable)`` hands over the table it
    measured with (registering a face then reads nothing)."""

    def face_file(self, key: str) -> tuple[Path, int]: ...


class EmbedError(ValueError):
    """A face that cannot be embedded (unreadable file, CFF2, no outlines, a glyph id past the
    face's last glyph)."""


class _NoFont:
    """What ReportLab's canvas takes as its initial font. The canvas writes its initial font into
    every page's preamble unless the font is 'dynamic' (a TrueType font that only exists once used);
    this stand-in is dynamic and never used, so the PDF names no font it does not embed (Helvetica
    by default)."""

    _dynamicFont = 1
    _multiByte = 0
    fontName = "broadsheet-glyph-runs"

    class face:  # noqa: N801 - the attribute ReportLab reads
        name = "broadsheet-glyph-runs"


def initial_font_name() -> str:
    """The name to give ``Canvas(initialFontName=...)`` (see :class:`_NoFont`)."""
    pdfmetrics.registerFont(_NoFont())  # (a second registration under the same name is a no-op)
    return _NoFont.fontName


# -- face metadata --------------------------------------------------------------------------------

def _cache_dir(root: Path) -> Path:
    return Path(root) / "fonts" / "embed"


def _subsets(root: Path):
    """The finished subsets' database under the cache root (:mod:`layout.records`), opened once
    in the process."""
    from layout.records import SubsetStore, store_for

    return store_for(SubsetStore, _cache_dir(root) / "subsets")


def _stem(path: Path, index: int, key: str) -> str:
    return f"{path.stem}-{index}-{key}"


def _prepared(file: Path) -> Path:
    """The entry the set-up prepared under the name of cache entry ``file``
    (:mod:`layout.fonts.prepare`): read after a cache miss, never written."""
    from layout.fonts.cache import prepared

    return prepared("embed") / file.name


def _load_sealed(file: Path, magic: str, *, or_prepared: bool = True):
    """A marshalled ``(magic, FORMAT, value)`` from a sealed file (else from the set-up's
    prepared entry of the same name), or None."""
    raw = read_sealed(file)
    if raw is None and or_prepared:
        raw = read_sealed(_prepared(file))
    if raw is None:
        return None
    try:
        m, fmt, value = marshal.loads(raw)
    except (ValueError, EOFError, TypeError):
        return None
    return value if (m, fmt) == (magic, FORMAT) else None


def _store_sealed(file: Path, magic: str, value) -> None:
    write_sealed(file, marshal.dumps((magic, FORMAT, value)))


def face_meta(path: Path, index: int, table, root: Path) -> dict:
    """What embedding a face needs besides its glyphs, from the cache or read from the file.

    ``table`` is the face's :class:`layout.fonts.table.FontTable` (character map, advances,
    header values): its ``key`` is the file identity, its ``info`` gives most descriptor values;
    the rest (bounding box, CFF structure) is read here from the raw tables."""
    file = _cache_dir(root) / f"{_stem(path, index, table.key)}.meta"
    meta = _SEALED.get(str(file))  # (the name holds the file's content key: a changed font is another name)
    if meta is None:
        meta = _load_sealed(file, "meta")
        if meta is None:
            meta = _read_meta(path, index, table)
            _store_sealed(file, "meta", meta)
        _remember(str(file), meta)
    return meta


#: what this process read of the sealed per-face files (``.meta``, ``.vert``), by file name: a
#: rebuild registers the same faces again (unmarshalling a face's metadata cost ~0.1 ms a face
#: a build). The values are read, never changed.
_SEALED: dict[str, dict] = {}


def _remember(name: str, value: dict) -> None:
    if len(_SEALED) >= 64:
        _SEALED.pop(next(iter(_SEALED)))
    _SEALED[name] = value


@contextlib.contextmanager
def _mapped(path: Path, index: int):
    """(mapped file, table directory) of a face; the mapping is closed on leaving."""
    from .sfnt import FontFileError, open_font, tables

    try:
        buf = open_font(path)
    except (OSError, ValueError) as exc:
        raise EmbedError(f"cannot read {path}: {exc}") from None
    try:
        yield buf, tables(buf, index)
    except (FontFileError, struct.error) as exc:
        raise EmbedError(f"{path} (face {index}): {exc}") from None
    finally:
        with contextlib.suppress(BufferError):  # (a view still alive: the collector closes it)
            buf.close()


@contextlib.contextmanager
def _cff_source(path: Path, index: int):
    """The face's CFF table, read in place (:class:`.cff.CFFSource`)."""
    from .cff import CFFError, CFFSource

    with _mapped(path, index) as (buf, directory):
        off, length = directory["CFF "]
        view = memoryview(buf)[off:off + length]
        try:
            yield CFFSource(view)
        except CFFError as exc:
            raise EmbedError(f"{path} (face {index}): {exc}") from None
        finally:
            view.release()


def _read_meta(path: Path, index: int, table) -> dict:
    info = table.info
    upm = float(info["upm"])
    meta: dict = {"ps_name": info["ps_name"], "upm": upm, "num_glyphs": int(info.get("num_glyphs", len(table.adv)))}
    stem = None
    with _mapped(path, index) as (buf, directory):
        bbox = struct.unpack_from(">hhhh", buf, directory["head"][0] + 36) if "head" in directory else (0, 0, 0, 0)
        kind = "cff" if "CFF " in directory else "glyf" if "glyf" in directory and "loca" in directory else None
        if kind is None and "CFF2" in directory:
            raise EmbedError(f"{path} (face {index}) has CFF2 outlines (a variable font): not supported")
        if kind is None:
            raise EmbedError(f"{path} (face {index}) has neither CFF nor glyf outlines")
    if kind == "cff":
        with _cff_source(path, index) as src:
            ros = src.ros
            meta.update(kind="cff", skeleton=src.skeleton(), gid2cid=src.gid2cid,
                        ros=(src.string(ros[0]) or "Adobe", src.string(ros[1]) or "Identity", int(ros[2])) if ros
                        else ("Adobe", "Identity", 0))
            stem = src.main_stem()
    else:
        meta.update(kind="glyf", skeleton=None, gid2cid=None, ros=("Adobe", "Identity", 0))
    meta["descriptor"] = _descriptor(info, bbox, upm, stem)
    return meta


def _descriptor(info: dict, bbox, upm: float, stem: float | None) -> dict:
    """FontDescriptor values in glyph space (1/1000 em), as ReportLab wrote them for TrueType
    (typographic ascender and descender, cap height, a StemV estimated from the weight when the
    font does not say), plus the CFF's own StdVW where it has one."""
    s = 1000.0 / upm
    os2, hhea, post = info.get("os2", {}), info["hhea"], info.get("post", {})
    if "sTypoAscender" in os2:
        ascent, descent = os2["sTypoAscender"] * s, os2["sTypoDescender"] * s
    else:
        ascent, descent = hhea["ascent"] * s, hhea["descent"] * s
    cap = os2.get("sCapHeight") or 0
    weight = os2.get("usWeightClass", 400) or 400
    angle = float(post.get("italicAngle", 0.0))
    flags = 4  # symbolic: the glyphs lie outside the standard Latin set
    if post.get("isFixedPitch"):
        flags |= 1
    if (os2.get("sFamilyClass", 0) >> 8) in (1, 2, 3, 4, 5, 7):
        flags |= 2  # serif
    if angle:
        flags |= 64
    if weight >= 600:
        flags |= 1 << 18  # ForceBold
    return {
        "Flags": flags,
        "FontBBox": [round(v * s) for v in bbox],
        "ItalicAngle": angle,
        "Ascent": round(ascent),
        "Descent": round(descent),
        "CapHeight": round(cap * s) if cap else round(ascent),
        "StemV": round(stem * s) if stem else 50 + int((weight / 65.0) ** 2),
    }


def vertical_metrics(path: Path, index: int, table, root: Path) -> dict:
    """``{"adv": (default, {gid: advance}), "vy": (default, {gid: origin y})}`` in font units:
    the vertical advance (vmtx) and vertical origin (VORG; else top side bearing + the glyph's
    top; else the ascender) of every glyph, as HarfBuzz positions vertical text."""
    file = _cache_dir(root) / f"{_stem(path, index, table.key)}.vert"
    vert = _SEALED.get(str(file))
    if vert is None:
        vert = _load_sealed(file, "vert")
        if vert is None:
            vert = _read_vertical(path, index, table)
            _store_sealed(file, "vert", vert)
        _remember(str(file), vert)
    return vert


def _read_vertical(path: Path, index: int, table) -> dict:
    from .sfnt import table_bytes

    info = table.info
    n = len(table.adv)
    upm, ascender = int(info["upm"]), info["hhea"]["ascent"]
    with _mapped(path, index) as (buf, d):
        vhea, vmtx, vorg = (table_bytes(buf, d, t) for t in ("vhea", "vmtx", "VORG"))
        if not (vhea and vmtx):
            return {"adv": (upm, {}), "vy": (ascender, {})}
        nlong = min(n, max(1, struct.unpack_from(">H", vhea, 34)[0]))
        longs = struct.unpack_from(">" + "Hh" * nlong, vmtx, 0)
        adv, tsb = list(longs[0::2]), list(longs[1::2])
        extra = max(0, min(n - nlong, (len(vmtx) - 4 * nlong) // 2))
        tsb += struct.unpack_from(f">{extra}h", vmtx, 4 * nlong)
        adv += [adv[-1]] * (n - nlong)
        tsb += [0] * (n - len(tsb))
        if vorg:
            default, count = struct.unpack_from(">hH", vorg, 4)
            vy = dict(struct.unpack_from(">Hh", vorg, 8 + 4 * k) for k in range(count))
        elif "glyf" in d:  # no VORG: the glyph's top side bearing above its top
            from .glyf import GlyfSource

            tops = GlyfSource(buf, d).tops()
            default, vy = ascender, {g: tsb[g] + top for g, top in tops.items()}
        else:
            default, vy = ascender, {}
    common = Counter(adv).most_common(1)[0][0]
    return {"adv": (common, {g: a for g, a in enumerate(adv) if a != common}),
            "vy": (default, {g: y for g, y in vy.items() if y != default})}


# -- one face in one document ---------------------------------------------------------------------

def run_pairs(gids, texts) -> tuple[frozenset | None, dict | None]:
    """(the glyphs, glyph -> text) of a run for :meth:`EmbeddedFace.record`'s short way: a run
    with no ``.notdef``, no glyph continuing a cluster ("" text) and no glyph standing for two
    texts; (None, None) for any other run (noted glyph by glyph)."""
    pairs = dict(zip(gids, texts))
    if 0 in pairs or len(pairs) != len(set(zip(gids, texts))) or "" in pairs.values():
        return None, None
    return frozenset(pairs), pairs


class EmbeddedFace:
    """A face as one document uses it: resource names, the glyphs drawn and their text."""

    def __init__(self, name: str, path: Path, index: int, table, meta: dict, root: Path):
        self.name = name  # resource name of the horizontal font; ``name + "V"``: vertical
        self.path = path
        self.index = index
        self.table = table
        self.meta = meta
        self.root = root
        self.scale = 1000.0 / meta["upm"]
        self.num_glyphs = meta["num_glyphs"]
        self.used: set[int] = {0}
        self._glyph_set: tuple[int, ...] | None = None
        self.tounicode: dict[int, str] = {}
        self.horizontal = False  # which of the two Type0 fonts the content uses
        self.vertical = False
        self._vert: dict | None = None
        gid2cid = meta["gid2cid"]
        self._cid = (lambda g: gid2cid[g]) if gid2cid is not None else (lambda g: g)
        self.widths: dict[int, float] = {}  # gid -> advance in 1/1000 em
        self.hex: dict[int, str] = {}  # gid -> the code as the content stream writes it
        self._char_gid: dict[str, int] = {}

    @property
    def vname(self) -> str:
        return self.name + "V"

    def glyph(self, gid: int) -> tuple[str, float]:
        """(hex code, advance in 1/1000 em) of a glyph, remembered for the next use."""
        h = self.hex.get(gid)
        if h is None:
            if not 0 <= gid < self.num_glyphs:
                raise EmbedError(f"glyph id {gid} is past the last glyph ({self.num_glyphs - 1}) of {self.path}")
            h = self.hex[gid] = "%04X" % self._cid(gid)
            self.widths[gid] = self.table.advance_units(gid) * self.scale
        return h, self.widths[gid]

    def gids(self, text: str) -> list[int]:
        """The glyph of each character through the face's character map (0: not mapped)."""
        memo = self._char_gid
        out = []
        for ch in text:
            g = memo.get(ch)
            if g is None:
                g = memo[ch] = self.table.gid(ord(ch))
            out.append(g)
        return out

    def record(self, gids, texts, pairs=None) -> bool:
        """Note glyphs drawn with the text each stands for ("" for the second glyph of a
        cluster); True when the ToUnicode CMap reads them back as ``texts``, False when the run
        needs an ``/ActualText`` (a glyph already mapped to another text, ``.notdef``).
        ``pairs``: :func:`run_pairs` of the same glyphs and texts, made earlier."""
        used, tu = self.used, self.tounicode
        keys, pairs = pairs if pairs is not None else run_pairs(gids, texts)
        if pairs is not None:
            # the common run in a few C loops over the run: its glyphs not noted yet take their
            # texts, and it reads back as its text when every pair is then in the map
            used |= keys
            new = keys.difference(tu)  # (a set less a dict: looks up the run's glyphs only)
            if new:
                tu.update({g: pairs[g] for g in new})
            return pairs.items() <= tu.items()
        faithful = True
        for g, t in zip(gids, texts):
            used.add(g)
            if g == 0:
                faithful = False
            elif t:
                have = tu.setdefault(g, t)
                if have != t:
                    faithful = False
            elif g in tu:
                faithful = False
        return faithful

    def vmetrics(self, gid: int) -> tuple[float, float]:
        """(vertical advance, vertical origin y) in 1/1000 em; the advance is positive down."""
        if self._vert is None:
            self._vert = vertical_metrics(self.path, self.index, self.table, self.root)
        (adv0, advs), (vy0, vys) = self._vert["adv"], self._vert["vy"]
        return advs.get(gid, adv0) * self.scale, vys.get(gid, vy0) * self.scale

    # -- at save time -----------------------------------------------------------------------------

    def glyph_set(self) -> tuple[int, ...]:
        """The glyphs used, sorted (made again only when glyphs were added since: a set of used
        glyphs only grows; the press file's identity and the font objects both ask for it)."""
        if self._glyph_set is None or len(self._glyph_set) != len(self.used):
            self._glyph_set = tuple(sorted(self.used))
        return self._glyph_set

    def base_name(self) -> str:
        """``TAG+PostScriptName``: the tag is six capitals derived from the glyph set."""
        gids = self.glyph_set()
        digest = hashlib.sha256(self.meta["ps_name"].encode() + b"\0" + _gid_bytes(gids)).digest()
        tag = "".join(chr(65 + b % 26) for b in digest[:6])
        return f"{tag}+{_ps_safe(self.meta['ps_name'])}"

    def program(self, base: str) -> tuple[bytes, int]:
        """(the Flate-compressed font program, its uncompressed length), from the subset cache
        or made now."""
        gids = self.glyph_set()
        digest = hashlib.sha256(b"\0".join([str(FORMAT).encode(), self.table.key.encode(), base.encode(),
                                            _gid_bytes(gids)])).hexdigest()[:40]
        hit = _PROGRAMS.get((str(self.root), digest))
        if hit is not None:
            return hit
        store = _subsets(self.root)
        raw = store.read(digest)
        if raw is not None and len(raw) > 8:
            found = raw[8:], int.from_bytes(raw[:8], "big")
        else:
            data = self._cff(gids, base) if self.meta["kind"] == "cff" else self._glyf(gids)
            found = zlib.compress(data, 6), len(data)
            store.write(digest, len(data).to_bytes(8, "big") + found[0])  # (pruned as they age: an edit leaves old ones)
        _keep_program((str(self.root), digest), found)
        return found

    def _glyf(self, gids: list[int]) -> bytes:
        from .glyf import GlyfSource

        with _mapped(self.path, self.index) as (buf, directory):
            return GlyfSource(buf, directory).subset(gids)

    def _cff(self, gids: list[int], base: str) -> bytes:
        from .cff import CFFError, assemble

        pieces = _CharstringStore(_cache_dir(self.root) / f"{_stem(self.path, self.index, self.table.key)}.cffglyphs")
        have = pieces.ensure(gids, self._desubroutinize)
        try:
            return assemble(self.meta["skeleton"], {g: have[g] for g in gids}, base)
        except CFFError as exc:
            raise EmbedError(f"{self.path} (face {self.index}): {exc}") from None

    def _desubroutinize(self, gids) -> dict[int, tuple[int, bytes]]:
        from .cff import CFFError

        with _cff_source(self.path, self.index) as src:
            try:
                return {g: src.charstring(g) for g in sorted(gids)}
            except CFFError as exc:
                raise EmbedError(f"{self.path} (face {self.index}): {exc}") from None


class _CharstringStore:
    """Desubroutinized charstrings of one CFF face by glyph id, kept across builds: a page's
    new characters cost only their own glyphs. Writers merge under the face's lock (parallel
    page builds of an edition add glyphs at once) and replace the file atomically."""

    def __init__(self, file: Path):
        self.file = file

    def ensure(self, gids, make) -> dict[int, tuple[int, bytes]]:
        """Every glyph of ``gids``: from this store, else from the set-up's prepared store of the
        face, else made now (``make``) and added to this store."""
        from layout.fonts.cache import locked

        have = self._read(self.file)
        if all(g in have for g in gids):
            return have
        pack = _pack(_prepared(self.file).with_suffix(".cffpack"))
        prepared = {}
        if pack is not None:
            for g in gids:
                if g not in have:
                    got = pack.get(g)
                    if got is not None:
                        prepared[g] = got
        if all(g in have or g in prepared for g in gids):
            return {**have, **prepared}
        with locked(self.file.with_name(self.file.name + ".lock")):
            have = self._read(self.file, again=True)
            need = [g for g in gids if g not in have and g not in prepared]
            if need:
                have = {**have, **make(need)}
                _store_sealed(self.file, "cffglyphs", have)
                _STORES[str(self.file)] = (_state(self.file), have)
        return {**have, **prepared}

    @staticmethod
    def _read(file: Path, again: bool = False) -> dict:
        """A store's glyphs, remembered per file state in this process (a store of thousands of
        glyphs takes ~10 ms to read and check)."""
        state = _state(file)
        if state is None:
            return {}
        hit = _STORES.get(str(file))
        if hit is not None and hit[0] == state and not again:
            return hit[1]
        have = _load_sealed(file, "cffglyphs", or_prepared=False) or {}
        _STORES[str(file)] = (state, have)
        return have


#: charstring stores read in this process: file -> ((mtime, size, inode), glyphs)
_STORES: dict[str, tuple] = {}

_PACK_MAGIC = b"bsCFFPK1"


def write_pack(path: Path, glyphs: dict[int, tuple[int, bytes]], num_glyphs: int) -> None:
    """Write desubroutinized charstrings as a pack (:class:`Pack`): an index of every glyph id
    (Font DICT, offset, length, crc32) sealed by its sha256, then the charstrings; a reader
    takes only the glyphs a page needs (the set-up's prepared repertoire: megabytes a face)."""
    from array import array

    from layout.cache import atomic_write

    fds = array("H", [0xFFFF]) * num_glyphs
    offs = array("I", [0]) * (num_glyphs + 1)
    crcs = array("I", [0]) * num_glyphs
    data = bytearray()
    for g in range(num_glyphs):
        offs[g] = len(data)
        got = glyphs.get(g)
        if got is not None:
            fds[g] = got[0]
            data += got[1]
            crcs[g] = zlib.crc32(got[1])
    offs[num_glyphs] = len(data)
    index = struct.pack(">II", FORMAT, num_glyphs) + fds.tobytes() + offs.tobytes() + crcs.tobytes()
    head = _PACK_MAGIC + struct.pack(">I", len(index)) + hashlib.sha256(index).digest()
    atomic_write(path, head + index + bytes(data))


class Pack:
    """A pack of charstrings read in place (mapped): the index is checked whole when opened, each
    glyph against its crc32 when taken; a glyph that fails is missing (made from the font)."""

    def __init__(self, path: Path):
        import mmap
        from array import array

        with open(path, "rb") as f:
            self.map = mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ)
        m = self.map
        if m[:8] != _PACK_MAGIC:
            raise ValueError("not a pack")
        (n_index,) = struct.unpack_from(">I", m, 8)
        index = m[44:44 + n_index]
        if hashlib.sha256(index).digest() != m[12:44]:
            raise ValueError("index damaged")
        fmt, n = struct.unpack_from(">II", index, 0)
        if fmt != FORMAT or len(index) != 8 + 2 * n + 4 * (n + 1) + 4 * n:
            raise ValueError("another format")
        self.fds, self.offs, self.crcs = array("H"), array("I"), array("I")
        self.fds.frombytes(index[8:8 + 2 * n])
        self.offs.frombytes(index[8 + 2 * n:8 + 2 * n + 4 * (n + 1)])
        self.crcs.frombytes(index[8 + 6 * n + 4:])
        self.n = n
        self.base = 44 + n_index

    def get(self, gid: int) -> tuple[int, bytes] | None:
        if not 0 <= gid < self.n or self.fds[gid] == 0xFFFF:
            return None
        a, b = self.offs[gid], self.offs[gid + 1]
        cs = self.map[self.base + a:self.base + b]
        if len(cs) != b - a or zlib.crc32(cs) != self.crcs[gid]:
            return None
        return self.fds[gid], cs


_PACKS: dict[str, tuple] = {}


def _pack(path: Path) -> Pack | None:
    """The set-up's pack of a face (remembered per file state), or None (none, or damaged)."""
    state = _state(path)
    if state is None:
        return None
    hit = _PACKS.get(str(path))
    if hit is not None and hit[0] == state:
        return hit[1]
    try:
        pack = Pack(path)
    except (OSError, ValueError, struct.error):
        pack = None
    _PACKS[str(path)] = (state, pack)
    return pack


def _state(file: Path):
    import os

    try:
        st = os.stat(file)
    except OSError:
        return None
    return (st.st_mtime_ns, st.st_size, st.st_ino)


#: font programs this process embedded, by cache root and subset digest (the font's content key,
#: the subset's name and glyphs): a rebuild after an edit mostly draws the glyphs it drew before,
#: and the database read and its check cost ~0.15 ms a face. At most PROGRAMS_BYTES of them.
_PROGRAMS: dict[tuple[str, str], tuple[bytes, int]] = {}
PROGRAMS_BYTES = 48 << 20


def _keep_program(key: tuple[str, str], value: tuple[bytes, int]) -> None:
    held = sum(len(v[0]) for v in _PROGRAMS.values()) + len(value[0])
    while _PROGRAMS and held > PROGRAMS_BYTES:
        held -= len(_PROGRAMS.pop(next(iter(_PROGRAMS)))[0])
    if len(value[0]) <= PROGRAMS_BYTES:
        _PROGRAMS[key] = value


def forget() -> None:
    """Drop what this process remembers of the cache's font files and subsets (as a new process
    starts: the next build reads them from the cache again)."""
    _SEALED.clear()
    _PROGRAMS.clear()


def _gid_bytes(gids) -> bytes:
    return struct.pack(f">{len(gids)}H", *gids)


def _ps_safe(name: str) -> str:
    """A PostScript name as a PDF name and CFF FontName may hold it: printable ASCII, no
    delimiters, short enough for the tag and a ``-Identity-H`` suffix."""
    out = "".join(c for c in name if c.isascii() and c.isalnum() or c in "-_.")
    return (out or "Font")[:100]


# -- the document ---------------------------------------------------------------------------------

class Embedder:
    """The faces one PDF document uses. ``attach`` it to a canvas before drawing; ReportLab
    calls :meth:`addObjects` when the document is saved."""

    def __init__(self, files: FontFiles, root: Path):
        self.files = files
        self.root = Path(root)
        self.by_key: dict[str, EmbeddedFace] = {}
        self.by_file: dict[tuple[str, int], EmbeddedFace] = {}
        self.order: list[EmbeddedFace] = []

    def attach(self, canvas) -> None:
        canvas._doc.delayedFonts.append(self)

    def face(self, key: str) -> EmbeddedFace:
        """The face of a font key, registered on first use (resource names in order of use)."""
        face = self.by_key.get(key)
        if face is not None:
            return face
        opened = getattr(self.files, "face_table", None)  # (the table composition measured with, if offered)
        table = None
        if opened is not None:
            path, index, table = opened(key)
        else:
            path, index = self.files.face_file(key)
        path = Path(path)
        ident = (str(path), int(index))
        face = self.by_file.get(ident)
        if face is None:
            from layout.fonts.config import FontConfigError
            from layout.fonts.table import load_table

            try:
                if table is None:
                    table = load_table(path, index, self.root)  # (in memory already: composition opened it)
            except FontConfigError as exc:  # not a usable font
                raise EmbedError(f"font {key!r}: {exc}") from None
            meta = face_meta(path, index, table, self.root)
            face = EmbeddedFace(f"G{len(self.order) + 1}", path, index, table, meta, self.root)
            self.by_file[ident] = face
            self.order.append(face)
        self.by_key[key] = face
        return face

    def font_names(self) -> list[str]:
        """The embedded fonts' names (the subset tags say which glyphs): part of the press
        file's identity. Call when every page is drawn."""
        return [f.base_name() for f in self.order]

    def addObjects(self, doc) -> None:  # noqa: N802 - ReportLab's name for the hook
        """Write every face's font objects into ``doc`` and name them in the pages' font
        resources (ReportLab's shared ``BasicFonts`` dictionary)."""
        fonts = doc.idToObject["BasicFonts"].dict
        for face in self.order:
            for name, ref in _font_objects(doc, face).items():
                fonts[name] = ref


def _font_objects(doc, face: EmbeddedFace) -> dict:
    """The PDF objects of one face; returns resource name -> reference of its Type0 font(s).
    The descriptor and font dictionaries are formatted once per process for what they say and
    the numbers of the objects they name (:class:`_Formatted`)."""
    meta = face.meta
    cff = meta["kind"] == "cff"
    gids = face.glyph_set()
    base = face.base_name()
    packed, length = face.program(base)
    tag = f"bsFont.{face.name}"
    ident = (face.table.key, face.index, base, cff)

    file_dict = {"Filter": PDFArray([PDFName("FlateDecode")])}  # compressed once, in the cache
    if cff:
        file_dict["Subtype"] = PDFName("CIDFontType0C")
    else:
        file_dict["Length1"] = length
    program = doc.Reference(PDFStream(PDFDictionary(file_dict), packed), f"{tag}.file")

    def descriptor():
        d = meta["descriptor"]
        return PDFDictionary({
            "Type": PDFName("FontDescriptor"),
            "FontName": PDFName(base),
            "Flags": d["Flags"],
            "FontBBox": PDFArray(d["FontBBox"]),
            "ItalicAngle": d["ItalicAngle"],
            "Ascent": d["Ascent"],
            "Descent": d["Descent"],
            "CapHeight": d["CapHeight"],
            "StemV": d["StemV"],
            ("FontFile3" if cff else "FontFile2"): program,
        })

    descref = doc.Reference(_Formatted(("descriptor",) + ident, descriptor, [program.name]), f"{tag}.descriptor")
    vertical = face.vertical

    def cidfont():
        registry, ordering, supplement = meta["ros"]
        out = {
            "Type": PDFName("Font"),
            "Subtype": PDFName("CIDFontType0" if cff else "CIDFontType2"),
            "BaseFont": PDFName(base),
            "CIDSystemInfo": PDFDictionary({"Registry": PDFString(registry), "Ordering": PDFString(ordering),
                                            "Supplement": supplement}),
            "FontDescriptor": descref,
            "DW": DW,
        }
        w, w2 = _metrics_arrays(face, gids)
        if w:
            out["W"] = w
        if not cff:
            out["CIDToGIDMap"] = PDFName("Identity")
        if vertical:
            out["DW2"] = PDFArray(list(DW2))
            if w2:
                out["W2"] = w2
        return PDFDictionary(out)

    cidref = doc.Reference(_Formatted(("cidfont", gids, vertical) + ident, cidfont, [descref.name]),
                           f"{tag}.cidfont")

    cid = face._cid
    cmap = _tounicode_stream(tuple(sorted((cid(g), t) for g, t in face.tounicode.items())), doc.compression)
    cmapref = doc.Reference(cmap, f"{tag}.tounicode")

    out = {}
    for name, encoding, used in ((face.name, "Identity-H", face.horizontal), (face.vname, "Identity-V", face.vertical)):
        if not used:
            continue

        def type0(encoding=encoding):
            return PDFDictionary({
                "Type": PDFName("Font"),
                "Subtype": PDFName("Type0"),
                "BaseFont": PDFName(f"{base}-{encoding}" if cff else base),
                "Encoding": PDFName(encoding),
                "DescendantFonts": PDFArray([cidref]),
                "ToUnicode": cmapref,
            })

        out[name] = doc.Reference(_Formatted(("type0", encoding) + ident, type0, [cidref.name, cmapref.name]),
                                  f"{tag}.{encoding}")
    return out


class _Formatted(PDFObject):
    """A dictionary of a font whose formatted bytes are made once per process for ``key`` (what
    it says) and the numbers the document gave the objects it names (``refs``): a rebuild
    writes the same fonts' dictionaries with the same numbers (~35 dictionaries a page)."""

    def __init__(self, key: tuple, make, refs: list[str]) -> None:
        self.key, self.make, self.refs = key, make, refs

    def format(self, document) -> bytes:
        numbers = tuple(document.idToObjectNumberAndVersion[r] for r in self.refs)
        k = (self.key, numbers)
        hit = _FORMATTED.get(k)
        if hit is None:
            hit = self.make().format(document)
            if len(_FORMATTED) >= 512:
                _FORMATTED.pop(next(iter(_FORMATTED)))
            _FORMATTED[k] = hit
        return hit


#: (what a font dictionary says, the numbers of the objects it names) -> its bytes
_FORMATTED: dict[tuple, bytes] = {}


def _num(v: float):
    """An integer when the value is one (widths in 1/1000 em are, for 1000-unit fonts)."""
    r = _NUMS.get(v)
    if r is None:
        r = round(v, 3)
        r = int(r) if r == int(r) else r
        if len(_NUMS) < 65536:  # (a page's faces have a few hundred distinct widths)
            _NUMS[v] = r
    return r


_NUMS: dict[float, float] = {}


def _w_array(widths: list[tuple[int, float]]) -> list:
    """``W`` in its ``c [w1 w2 ...]`` form, one array per run of consecutive codes."""
    out: list = []
    run: list = []
    first = None
    for c, v in widths:
        if run and c == first + len(run):
            run.append(v)
            continue
        if run:
            out += [first, PDFArray(run)]
        first, run = c, [v]
    if run:
        out += [first, PDFArray(run)]
    return out


#: ToUnicode CMaps written in this process, by their (code, text) pairs, compressed: a rebuild's
#: faces mostly keep their glyph sets
_CMAPS: dict[tuple, bytes] = {}


def _tounicode_stream(pairs: tuple, compress: bool) -> PDFStream:
    """The ToUnicode stream of ``pairs``, as ReportLab writes it with its Flate filter (the
    compressed bytes made once per process)."""
    if not compress:
        return PDFStream(content=tounicode(dict(pairs)))
    hit = _CMAPS.get(pairs)
    if hit is None:
        if len(_CMAPS) >= 256:
            _CMAPS.pop(next(iter(_CMAPS)))
        hit = _CMAPS[pairs] = PDFZCompress.encode(tounicode(dict(pairs)))
    return PDFStream(PDFDictionary({"Filter": PDFArray([PDFName(PDFZCompress.pdfname)])}), hit)


#: a face's ``W`` and ``W2`` arrays formatted in this process, by face and glyph set
_METRICS: dict[tuple, tuple] = {}


def _metrics_arrays(face: EmbeddedFace, gids: tuple) -> tuple[bytes | None, bytes | None]:
    """(``W``, ``W2`` when the face is set vertically) of a glyph set, formatted: a rebuild
    draws the same glyphs with the same faces (its ~1000 widths were formatted again each
    time). None where the array would be empty."""
    key = (face.table.key, face.index, face.vertical, gids)  # (the face by its content: a font file replaced
    # under the same name while `serve` runs is another face)
    hit = _METRICS.get(key)
    if hit is not None:
        return hit
    for g in gids:
        face.glyph(g)
    cid = face._cid
    widths = sorted((cid(g), _num(face.widths[g])) for g in gids)
    w = _w_array([(c, v) for c, v in widths if v != DW])
    w2: list = []
    if face.vertical:
        for c, g in sorted((cid(g), g) for g in gids):
            adv, vy = face.vmetrics(g)
            if (round(vy, 3), round(-adv, 3)) != DW2:
                w2 += [c, PDFArray([_num(-adv), _num(face.widths[g] / 2), _num(vy)])]
    doc = DummyDoc()  # (numbers only: nothing refers to the document)
    hit = (PDFArray(w).format(doc) if w else None, PDFArray(w2).format(doc) if w2 else None)
    if len(_METRICS) >= 64:
        _METRICS.pop(next(iter(_METRICS)))
    _METRICS[key] = hit
    return hit


def tounicode(mapping: dict[int, str]) -> bytes:
    """A ToUnicode CMap of 2-byte codes: each code to its text in UTF-16BE (a cluster such as
    ``fi`` to all its characters), in ``bfchar`` blocks of at most 100 as the format allows."""
    lines = ["/CIDInit /ProcSet findresource begin", "12 dict begin", "begincmap",
             "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def",
             "/CMapName /Adobe-Identity-UCS def", "/CMapType 2 def",
             "1 begincodespacerange", "<0000> <FFFF>", "endcodespacerange"]
    items = sorted(mapping.items())
    for k in range(0, len(items), 100):
        block = items[k:k + 100]
        lines.append(f"{len(block)} beginbfchar")
        lines += [f"<{c:04X}> <{t.encode('utf-16-be').hex().upper()}>" for c, t in block]
        lines.append("endbfchar")
    lines += ["endcmap", "CMapName currentdict /CMap defineresource pop", "end", "end", ""]
    return "\n".join(lines).encode("ascii")
