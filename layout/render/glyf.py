"""TrueType (glyf) font programs cut to the glyphs a document uses, for ``/FontFile2``.

The subset keeps every glyph id (a ``CIDFontType2`` with ``/CIDToGIDMap /Identity`` draws code
*n* with glyph *n*), so the content stream's codes are the face's own glyph ids and never need
renumbering: the glyphs not used are left empty (zero-length in ``loca``) and their metrics
zero, which Flate squeezes to almost nothing. A composite glyph brings its components.

Only what a PDF consumer reads is kept: ``head hhea maxp hmtx loca glyf``. The font's own
cmap, names and layout tables are not needed: the PDF says which glyph to draw, and its
ToUnicode what text it stands for. Hinting is left out too (``cvt fpgm prep`` and each glyph's
instructions): a platesetter's RIP at 2,400 dpi does not use it, the press file gets smaller, and
screen proofs look as they did when broadsheet embedded TrueType through ReportLab (whose subsets
had no instructions), so a change of embedding does not show as a change of the page. Slicing
``glyf`` by ``loca`` takes milliseconds where fontTools' subsetter parses every glyph it keeps.
"""

from __future__ import annotations

import struct

from .sfnt import FontFileError, build

_REQUIRED = ("head", "hhea", "maxp", "hmtx", "loca", "glyf")


class GlyfSource:
    """The glyf outlines of a face, read in place from the mapped file (see :mod:`.sfnt`)."""

    def __init__(self, buf, directory: dict[str, tuple[int, int]]):
        missing = [t for t in _REQUIRED if t not in directory]
        if missing:
            raise FontFileError(f"no {', '.join(missing)} table")
        self.buf = buf
        self.dir = directory
        head = self._table("head")
        self.head = head
        self.long_loca = struct.unpack_from(">h", head, 50)[0] == 1
        self.maxp = self._table("maxp")
        self.nglyphs = struct.unpack_from(">H", self.maxp, 4)[0]
        self.hhea = self._table("hhea")
        self.nmetrics = max(1, struct.unpack_from(">H", self.hhea, 34)[0])
        self.glyf_at = directory["glyf"][0]
        self.loca_at, loca_len = directory["loca"]
        need = (self.nglyphs + 1) * (4 if self.long_loca else 2)
        if loca_len < need:
            raise FontFileError("loca table shorter than the glyph count")

    def _table(self, tag: str) -> bytes:
        off, length = self.dir[tag]
        return bytes(self.buf[off:off + length])

    def _span(self, gid: int) -> tuple[int, int]:
        if self.long_loca:
            a, b = struct.unpack_from(">II", self.buf, self.loca_at + 4 * gid)
        else:
            a, b = struct.unpack_from(">HH", self.buf, self.loca_at + 2 * gid)
            a, b = 2 * a, 2 * b
        return self.glyf_at + a, self.glyf_at + b

    def glyph(self, gid: int) -> bytes:
        s, e = self._span(gid)
        return bytes(self.buf[s:e])

    def tops(self) -> dict[int, int]:
        """yMax of every glyph that has an outline (vertical origins of fonts without VORG)."""
        out = {}
        for g in range(self.nglyphs):
            s, e = self._span(g)
            if e - s >= 10:
                out[g] = struct.unpack_from(">h", self.buf, s + 8)[0]
        return out

    def components(self, data: bytes) -> list[int]:
        """The glyph ids a composite glyph refers to (none for a simple glyph)."""
        if len(data) < 10 or struct.unpack_from(">h", data, 0)[0] >= 0:
            return []
        out, p = [], 10
        while True:
            flags, gid = struct.unpack_from(">HH", data, p)
            out.append(gid)
            p += 4 + (4 if flags & 0x0001 else 2)  # ARG_1_AND_2_ARE_WORDS
            if flags & 0x0008:  # WE_HAVE_A_SCALE
                p += 2
            elif flags & 0x0040:  # WE_HAVE_AN_X_AND_Y_SCALE
                p += 4
            elif flags & 0x0080:  # WE_HAVE_A_TWO_BY_TWO
                p += 8
            if not flags & 0x0020:  # MORE_COMPONENTS
                return out

    def closure(self, gids) -> set[int]:
        """``gids``, glyph 0, and every component they use, at any depth."""
        keep: set[int] = set()
        todo = [0, *gids]
        while todo:
            g = todo.pop()
            if g in keep or not 0 <= g < self.nglyphs:
                continue
            keep.add(g)
            todo.extend(self.components(self.glyph(g)))
        return keep

    def subset(self, gids) -> bytes:
        """The font file holding ``gids`` (and what they need) at their own glyph ids."""
        keep = self.closure(gids)
        glyf = bytearray()
        loca = []
        for g in range(self.nglyphs):
            loca.append(len(glyf))
            if g in keep:
                data = unhinted(self.glyph(g))
                glyf += data + b"\0" * (-len(data) % 4)
        loca.append(len(glyf))
        hmtx_at, hmtx_len = self.dir["hmtx"]
        metrics = bytearray(4 * self.nglyphs)
        last = self.nmetrics - 1
        for g in keep:
            if g < self.nmetrics:
                metrics[4 * g:4 * g + 4] = self.buf[hmtx_at + 4 * g:hmtx_at + 4 * g + 4]
            else:  # past the long metrics: the last advance, a bearing of its own
                at = hmtx_at + 4 * self.nmetrics + 2 * (g - self.nmetrics)
                metrics[4 * g:4 * g + 4] = bytes(self.buf[hmtx_at + 4 * last:hmtx_at + 4 * last + 2]) \
                    + bytes(self.buf[at:at + 2])
        head = bytearray(self.head)
        struct.pack_into(">h", head, 50, 1)  # long loca offsets
        hhea = bytearray(self.hhea)
        struct.pack_into(">H", hhea, 34, self.nglyphs)  # every glyph has a long metric now
        tables = {"head": bytes(head), "hhea": bytes(hhea), "maxp": self.maxp, "hmtx": bytes(metrics),
                  "loca": struct.pack(f">{len(loca)}I", *loca), "glyf": bytes(glyf)}
        return build(tables)


def unhinted(data: bytes) -> bytes:
    """A glyph without its TrueType instructions (see the module docstring)."""
    if len(data) < 10:
        return data
    contours = struct.unpack_from(">h", data, 0)[0]
    if contours >= 0:  # simple: instructions follow the contours' end points
        at = 10 + 2 * contours
        n = struct.unpack_from(">H", data, at)[0]
        points = struct.unpack_from(">H", data, at - 2)[0] + 1 if contours else 0
        p = at + 2 + n  # the flags, then x and y coordinates (lengths given by the flags)
        size = 0
        done = 0
        while done < points:
            flag = data[p]
            repeat = data[p + 1] + 1 if flag & 0x08 else 1
            p += 2 if flag & 0x08 else 1
            x = 1 if flag & 0x02 else 0 if flag & 0x10 else 2
            y = 1 if flag & 0x04 else 0 if flag & 0x20 else 2
            size += (x + y) * repeat
            done += repeat
        return data[:at] + b"\0\0" + data[at + 2 + n:p + size]  # (the font's own padding dropped)
    p = 10
    while True:  # composite: instructions, if any, follow the last component
        flags = struct.unpack_from(">H", data, p)[0]
        last = p
        p += 4 + (4 if flags & 0x0001 else 2)
        p += 2 if flags & 0x0008 else 4 if flags & 0x0040 else 8 if flags & 0x0080 else 0
        if not flags & 0x0020:
            break
    if not flags & 0x0100:  # WE_HAVE_INSTRUCTIONS
        return data[:p]
    out = bytearray(data[:p])
    struct.pack_into(">H", out, last, flags & ~0x0100)
    return bytes(out)
