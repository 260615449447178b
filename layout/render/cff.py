"""CFF font programs cut to the glyphs a document uses, for ``/FontFile3 /Subtype /CIDFontType0C``.

Why by hand: fontTools' CFF subsetter parses the whole CharStrings INDEX of a 65,535-glyph Noto
CJK face and takes seconds; a page needs a few hundred glyphs of it. Here the CFF table is read
where it lies in the font file (memory-mapped, see :mod:`.sfnt`), each wanted glyph's Type 2
charstring is *desubroutinized* on its own (:meth:`CFFSource.charstring`: every ``callsubr`` /
``callgsubr`` replaced by the subroutine's bytes), and a new CFF is assembled from those pieces
(:func:`assemble`) without any subroutines. A desubroutinized glyph depends on nothing else, so
the pieces can be cached glyph by glyph and a new subset assembled from the cache without
opening the font (:mod:`.embed` keeps them).

Glyph numbering: the content stream's codes are CIDs.

- CID-keyed fonts (Noto CJK, Source Han): the subset keeps every glyph's CID (its charset lists
  them), so codes never need renumbering; for Noto CJK CID == glyph id.
- name-keyed fonts (a Latin .otf such as URW's Nimbus): PDF uses a CID as the glyph index in
  that case (ISO 32000-1, 9.7.4.2), so the subset keeps glyph ids: unused glyphs become empty
  charstrings (``endchar``) and the original charset is copied.

A charstring that builds an accented glyph from two others with ``endchar``'s ``seac`` form is
refused (:class:`CFFError`): none of the fonts broadsheet uses does that, and supporting it would
mean resolving glyph names through the Standard Encoding.
"""

from __future__ import annotations

import struct

#: Type 2 charstring of an empty glyph
ENDCHAR = b"\x0e"

# Top DICT operators (12 x -> 1200 + x)
_CHARSET, _ENCODING, _CHARSTRINGS, _PRIVATE, _UNIQUEID, _XUID = 15, 16, 17, 18, 13, 14
_ROS, _UIDBASE, _FDARRAY, _FDSELECT = 1230, 1235, 1236, 1237
_SUBRS, _STDVW = 19, 11
#: Top DICT entries that are offsets into the original file, or identify the original font
_DROPPED = {_CHARSET, _ENCODING, _CHARSTRINGS, _PRIVATE, _UNIQUEID, _XUID, _UIDBASE, _FDARRAY, _FDSELECT}


class CFFError(ValueError):
    """A CFF table this module cannot subset (CFF2, seac accents, a damaged structure)."""


# -- DICT data ------------------------------------------------------------------------------------

_NIBBLES = "0123456789.EE?-?"


def parse_dict(data: bytes) -> list[tuple[int, list, bytes]]:
    """A DICT as ``(operator, operands, raw bytes of operands and operator)`` in file order."""
    out: list[tuple[int, list, bytes]] = []
    operands: list = []
    i = start = 0
    n = len(data)
    while i < n:
        b0 = data[i]
        if b0 <= 21:
            if b0 == 12:
                op, i = 1200 + data[i + 1], i + 2
            else:
                op, i = b0, i + 1
            out.append((op, operands, bytes(data[start:i])))
            operands, start = [], i
        elif b0 == 28:
            operands.append(struct.unpack_from(">h", data, i + 1)[0])
            i += 3
        elif b0 == 29:
            operands.append(struct.unpack_from(">i", data, i + 1)[0])
            i += 5
        elif b0 == 30:
            s, i = "", i + 1
            while True:
                byte = data[i]
                i += 1
                hi, lo = byte >> 4, byte & 15
                if hi == 15:
                    break
                s += "E-" if hi == 12 else _NIBBLES[hi]
                if lo == 15:
                    break
                s += "E-" if lo == 12 else _NIBBLES[lo]
            operands.append(float(s))
        elif 32 <= b0 <= 246:
            operands.append(b0 - 139)
            i += 1
        elif 247 <= b0 <= 250:
            operands.append((b0 - 247) * 256 + data[i + 1] + 108)
            i += 2
        elif 251 <= b0 <= 254:
            operands.append(-(b0 - 251) * 256 - data[i + 1] - 108)
            i += 2
        else:
            raise CFFError(f"bad DICT byte {b0}")
    return out


def _int5(v: int) -> bytes:
    """A DICT integer in its fixed 5-byte form: offsets are written before they are known."""
    return b"\x1d" + struct.pack(">i", v)


def _op(op: int) -> bytes:
    return bytes((12, op - 1200)) if op >= 1200 else bytes((op,))


def _bias(count: int) -> int:
    return 107 if count < 1240 else 1131 if count < 33900 else 32768


# -- INDEX data -----------------------------------------------------------------------------------

class _Index:
    """An INDEX read lazily: a 65,535-entry CharStrings INDEX is never turned into a list."""

    __slots__ = ("data", "count", "offsize", "at", "base", "end")

    def __init__(self, data, pos: int):
        self.data = data
        self.count = struct.unpack_from(">H", data, pos)[0]
        if self.count == 0:
            self.offsize = self.at = self.base = 0
            self.end = pos + 2
            return
        self.offsize = data[pos + 2]
        self.at = pos + 3
        self.base = self.at + (self.count + 1) * self.offsize - 1  # offsets count from 1
        self.end = self.base + self._offset(self.count)

    def _offset(self, i: int) -> int:
        p = self.at + i * self.offsize
        return int.from_bytes(self.data[p:p + self.offsize], "big")

    def span(self, i: int) -> tuple[int, int]:
        if not 0 <= i < self.count:
            raise CFFError(f"INDEX entry {i} out of range (count {self.count})")
        return self.base + self._offset(i), self.base + self._offset(i + 1)

    def item(self, i: int) -> bytes:
        s, e = self.span(i)
        return bytes(self.data[s:e])


def build_index(items: list[bytes]) -> bytes:
    if not items:
        return b"\0\0"
    total = sum(len(x) for x in items) + 1
    size = 1 if total < 0x100 else 2 if total < 0x10000 else 3 if total < 0x1000000 else 4
    offsets = bytearray()
    o = 1
    for x in items:
        offsets += o.to_bytes(size, "big")
        o += len(x)
    offsets += o.to_bytes(size, "big")
    return struct.pack(">HB", len(items), size) + bytes(offsets) + b"".join(items)


# -- reading a font's CFF table -------------------------------------------------------------------

class CFFSource:
    """The CFF table of a face, read in place (``data`` is the table's bytes or a view of them)."""

    def __init__(self, data):
        self.data = data
        try:
            if data[0] != 1:
                raise CFFError(f"CFF major version {data[0]} (CFF2 is not supported)")
            names = _Index(data, data[2])
            tops = _Index(data, names.end)
            strings = _Index(data, tops.end)
            self.strings = strings
            self.strings_raw = bytes(data[tops.end:strings.end])
            self.gsubrs = _Index(data, strings.end)
            self.top = parse_dict(tops.item(0))
            top = {op: args for op, args, _ in self.top}
            if top.get(1206, [2])[0] != 2:
                raise CFFError("charstrings are not Type 2")
            self.charstrings = _Index(data, top[_CHARSTRINGS][0])
            self.nglyphs = self.charstrings.count
            self.is_cid = _ROS in top
            self.privates: list[bytes] = []  # Private DICT bytes without Subrs, per Font DICT
            self.local_subrs: list[_Index | None] = []
            self.std_vw: list[float | None] = []
            if self.is_cid:
                self.ros = tuple(top[_ROS])
                self.fd_dicts = []  # Font DICTs without their Private entry
                for i in range(_Index(data, top[_FDARRAY][0]).count):
                    fd = parse_dict(_Index(data, top[_FDARRAY][0]).item(i))
                    self.fd_dicts.append(b"".join(raw for op, _, raw in fd if op != _PRIVATE))
                    self._read_private({op: args for op, args, _ in fd}.get(_PRIVATE))
                self.fd_of = self._read_fdselect(top[_FDSELECT][0])
                self.gid2cid = self._read_charset(top[_CHARSET][0]) if top.get(_CHARSET, [0])[0] > 2 else None
                self.charset_raw = None
            else:
                self.ros = None
                self.fd_dicts = []
                self._read_private(top.get(_PRIVATE))
                self.fd_of = None
                self.gid2cid = None
                self.charset_raw = self._charset_bytes(top.get(_CHARSET, [0])[0])
        except (IndexError, KeyError, struct.error) as exc:
            raise CFFError(f"damaged CFF table: {exc!r}") from None

    def _read_private(self, entry) -> None:
        if not entry:
            self.privates.append(b"")
            self.local_subrs.append(None)
            self.std_vw.append(None)
            return
        size, off = entry
        private = parse_dict(bytes(self.data[off:off + size]))
        values = {op: args for op, args, _ in private}
        self.privates.append(b"".join(raw for op, _, raw in private if op != _SUBRS))
        self.local_subrs.append(_Index(self.data, off + values[_SUBRS][0]) if _SUBRS in values else None)
        self.std_vw.append(values[_STDVW][0] if _STDVW in values else None)

    def _read_fdselect(self, pos: int) -> bytearray:
        data, n = self.data, self.nglyphs
        fmt = data[pos]
        if fmt == 0:
            return bytearray(data[pos + 1:pos + 1 + n])
        if fmt != 3:
            raise CFFError(f"FDSelect format {fmt}")
        out = bytearray(n)
        ranges = struct.unpack_from(">H", data, pos + 1)[0]
        for r in range(ranges):
            first, fd, nxt = struct.unpack_from(">HBH", data, pos + 3 + 3 * r)
            out[first:nxt] = bytes((fd,)) * (nxt - first)
        return out

    def _read_charset(self, pos: int) -> list[int] | None:
        """gid -> CID, or None when every glyph's CID is its glyph id."""
        data, n = self.data, self.nglyphs
        fmt = data[pos]
        p = pos + 1
        cids = [0]
        while len(cids) < n:
            if fmt == 0:
                cids.append(struct.unpack_from(">H", data, p)[0])
                p += 2
            elif fmt in (1, 2):
                first = struct.unpack_from(">H", data, p)[0]
                left = data[p + 2] if fmt == 1 else struct.unpack_from(">H", data, p + 2)[0]
                p += 3 if fmt == 1 else 4
                cids.extend(range(first, first + left + 1))
            else:
                raise CFFError(f"charset format {fmt}")
        cids = cids[:n]
        return None if all(c == g for g, c in enumerate(cids)) else cids

    def _charset_bytes(self, pos: int) -> bytes | int:
        """A name-keyed font's charset as it is (kept whole: glyph ids do not change), or the
        number of a predefined one."""
        if pos <= 2:
            return pos
        data, n = self.data, self.nglyphs
        fmt = data[pos]
        p, covered = pos + 1, 1
        while covered < n:
            if fmt == 0:
                p += 2
                covered += 1
            elif fmt in (1, 2):
                left = data[p + 2] if fmt == 1 else struct.unpack_from(">H", data, p + 2)[0]
                p += 3 if fmt == 1 else 4
                covered += left + 1
            else:
                raise CFFError(f"charset format {fmt}")
        return bytes(data[pos:p])

    def string(self, sid: int) -> str | None:
        """A custom string by its SID (None for the 391 standard strings: not needed here)."""
        if sid < 391 or sid - 391 >= self.strings.count:
            return None
        return self.strings.item(sid - 391).decode("latin-1")

    def main_stem(self) -> float | None:
        """StdVW of the Private DICT most glyphs use (the ideographs' in a CJK face): the
        FontDescriptor's StemV."""
        if self.fd_of is not None and self.fd_of:
            counts = [0] * len(self.privates)
            for fd in set(self.fd_of):
                counts[fd] = self.fd_of.count(fd)
            order = sorted(range(len(counts)), key=lambda k: -counts[k])
        else:
            order = [0]
        for k in order:
            if self.std_vw[k] is not None:
                return self.std_vw[k]
        return None

    def skeleton(self) -> dict:
        """Everything :func:`assemble` needs besides the glyphs, as plain data (it is cached with
        the face's metadata, so a subset of cached glyphs is made without opening the font)."""
        return {
            "cid": self.is_cid,
            "top": [(op, raw) for op, _, raw in self.top if op not in _DROPPED],
            "strings": self.strings_raw,
            "fds": list(self.fd_dicts),
            "privates": list(self.privates),
            "charset": self.charset_raw,
            "gid2cid": self.gid2cid,
            "nglyphs": self.nglyphs,
        }

    # -- one glyph, desubroutinized -----------------------------------------------------------

    def charstring(self, gid: int) -> tuple[int, bytes]:
        """(Font DICT index, the glyph's charstring with every subroutine call inlined)."""
        if not 0 <= gid < self.nglyphs:
            raise CFFError(f"glyph {gid} out of range ({self.nglyphs} glyphs)")
        fd = self.fd_of[gid] if self.fd_of is not None else 0
        local = self.local_subrs[fd] if fd < len(self.local_subrs) else None
        state = _State()
        out = bytearray()
        s, e = self.charstrings.span(gid)
        try:
            self._inline(s, e, local, out, state, 0)
        except (IndexError, struct.error) as exc:
            raise CFFError(f"glyph {gid}: damaged charstring ({exc!r})") from None
        return fd, bytes(out)

    def _inline(self, i: int, end: int, local, out: bytearray, st: "_State", depth: int) -> None:
        """Copy charstring bytes ``i:end`` to ``out``, replacing each subroutine call by the
        subroutine. Only what changes meaning when moved is interpreted: a call's operand (its
        bytes are removed), ``return`` and ``endchar``, and the stem hints, because the byte
        length of a ``hintmask``/``cntrmask`` depends on how many stems came before."""
        if depth > 10:  # the format's nesting limit
            raise CFFError("subroutines nested too deeply")
        data = self.data
        while i < end:
            b0 = data[i]
            if b0 >= 32 or b0 == 28:  # a number
                n = 1 if 32 <= b0 <= 246 else 2 if 247 <= b0 <= 254 else 5 if b0 == 255 else 3
                st.last = (len(out), i, n)
                out += data[i:i + n]
                st.nargs += 1
                i += n
            elif b0 == 10 or b0 == 29:  # callsubr / callgsubr: inline the subroutine
                pos, at, n = st.last
                del out[pos:]
                st.nargs -= 1
                subrs = local if b0 == 10 else self.gsubrs
                if subrs is None:
                    raise CFFError("call to a missing subroutine INDEX")
                s, e = subrs.span(_number(data, at, n) + _bias(subrs.count))
                self._inline(s, e, local, out, st, depth + 1)
                if st.done:
                    return
                i += 1
            elif b0 == 11:  # return
                return
            elif b0 == 14:  # endchar
                if st.nargs >= 4:
                    raise CFFError("an accented glyph built with seac (endchar with 4 operands)")
                out.append(14)
                st.done = True
                return
            elif b0 in (1, 3, 18, 23):  # hstem vstem hstemhm vstemhm
                st.stems += st.nargs // 2
                st.nargs = 0
                out.append(b0)
                i += 1
            elif b0 == 19 or b0 == 20:  # hintmask cntrmask (an implied vstem before the first)
                st.stems += st.nargs // 2
                st.nargs = 0
                n = 1 + (st.stems + 7) // 8
                out += data[i:i + n]
                i += n
            elif b0 == 12:
                out += data[i:i + 2]
                st.nargs = 0
                i += 2
            else:
                out.append(b0)
                st.nargs = 0
                i += 1


class _State:
    __slots__ = ("nargs", "stems", "done", "last")

    def __init__(self):
        self.nargs = self.stems = 0
        self.done = False
        self.last = (0, 0, 1)


def _number(data, at: int, n: int) -> int:
    b0 = data[at]
    if n == 1:
        return b0 - 139
    if n == 2:
        return (b0 - 247) * 256 + data[at + 1] + 108 if b0 <= 250 else -(b0 - 251) * 256 - data[at + 1] - 108
    if n == 3:
        return struct.unpack_from(">h", data, at + 1)[0]
    return struct.unpack_from(">i", data, at + 1)[0] >> 16  # 16.16 fixed: its integer part


# -- assembling a subset --------------------------------------------------------------------------

def assemble(skeleton: dict, pieces: dict[int, tuple[int, bytes]], fontname: str) -> bytes:
    """A CFF font named ``fontname`` holding ``pieces`` (glyph id -> (Font DICT, charstring),
    glyph 0 included), with no subroutines. CID-keyed: glyphs in glyph-id order, each keeping
    its CID. Name-keyed: every glyph id kept, the unused ones empty."""
    gids = sorted(pieces)
    if not gids or gids[0] != 0:
        raise CFFError("a subset must hold glyph 0 (.notdef)")
    cid = skeleton["cid"]
    if cid:
        gid2cid = skeleton["gid2cid"]
        cids = gids if gid2cid is None else [gid2cid[g] for g in gids]
        charset = bytearray(b"\x02")
        k = 1
        while k < len(cids):
            j = k
            while j + 1 < len(cids) and cids[j + 1] == cids[j] + 1 and j - k < 65535:
                j += 1
            charset += struct.pack(">HH", cids[k], j - k)
            k = j + 1
        ranges: list[tuple[int, int]] = []
        for new, g in enumerate(gids):
            if not ranges or ranges[-1][1] != pieces[g][0]:
                ranges.append((new, pieces[g][0]))
        fdselect = struct.pack(">BH", 3, len(ranges)) + b"".join(struct.pack(">HB", a, b) for a, b in ranges) \
            + struct.pack(">H", len(gids))
        charstrings = build_index([pieces[g][1] for g in gids])
        charset_bytes: bytes | None = bytes(charset)
        privates = skeleton["privates"]
    else:
        fdselect = b""
        charstrings = build_index([pieces[g][1] if g in pieces else ENDCHAR for g in range(skeleton["nglyphs"])])
        charset_bytes = skeleton["charset"] if isinstance(skeleton["charset"], bytes) else None
        privates = skeleton["privates"][:1]

    def top_dict(o_charset: int, o_fdselect: int, o_charstrings: int, o_fdarray: int, o_private: int) -> bytes:
        parts = [raw for _, raw in skeleton["top"]]
        charset_value = o_charset if charset_bytes is not None else skeleton["charset"]
        parts += [_int5(charset_value), _op(_CHARSET), _int5(o_charstrings), _op(_CHARSTRINGS)]
        if cid:
            parts += [_int5(o_fdselect), _op(_FDSELECT), _int5(o_fdarray), _op(_FDARRAY)]
        else:
            parts += [_int5(len(privates[0])), _int5(o_private), _op(_PRIVATE)]
        return b"".join(parts)

    def fd_array(private_offsets: list[int]) -> bytes:
        return build_index([fd + _int5(len(pr)) + _int5(po) + _op(_PRIVATE)
                            for fd, pr, po in zip(skeleton["fds"], privates, private_offsets)])

    header = b"\x01\x00\x04\x04"
    name_index = build_index([fontname.encode("latin-1")])
    top_len = len(build_index([top_dict(0, 0, 0, 0, 0)]))  # fixed-size offsets: same length later
    gsubrs = b"\0\0"
    pos = len(header) + len(name_index) + top_len + len(skeleton["strings"]) + len(gsubrs)
    o_charset = pos
    pos += len(charset_bytes or b"")
    o_fdselect = pos
    pos += len(fdselect)
    o_charstrings = pos
    pos += len(charstrings)
    o_fdarray = pos
    fdarray_len = len(fd_array([0] * len(privates))) if cid else 0
    pos += fdarray_len
    private_offsets = []
    for pr in privates:
        private_offsets.append(pos)
        pos += len(pr)
    top = build_index([top_dict(o_charset, o_fdselect, o_charstrings, o_fdarray,
                                private_offsets[0] if private_offsets else 0)])
    out = b"".join([header, name_index, top, skeleton["strings"], gsubrs, charset_bytes or b"", fdselect,
                    charstrings, fd_array(private_offsets) if cid else b"", *privates])
    if len(out) != pos:  # pragma: no cover - a bug in the layout above
        raise CFFError("CFF assembly: offsets do not add up")
    return out
