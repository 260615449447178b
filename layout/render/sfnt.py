"""The OpenType container, read and written by hand: table directories (collections too) and the
bytes of a new font file.

Embedding needs a few tables of a face (``CFF ``, ``glyf``/``loca``, ``head``, ``vmtx`` ...), and
only parts of them. fontTools would parse what it is asked for, but importing it costs ~0.1 s
and its table objects hold much more than the bytes wanted, so the font file is mapped into
memory (:func:`open_font`) and its tables are sliced where the directory says they are: the
pages of a 20 MB collection that are never touched are never read.
"""

from __future__ import annotations

import mmap
import struct
from pathlib import Path


class FontFileError(ValueError):
    """A font file whose structure cannot be read (truncated, not OpenType, no such face)."""


def open_font(path: Path) -> mmap.mmap:
    """The font file mapped read-only (the caller closes it)."""
    with open(path, "rb") as f:
        return mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ)


def tables(buf, index: int = 0) -> dict[str, tuple[int, int]]:
    """tag -> (offset from the file's start, length) for face ``index`` of a font file or
    collection (``ttcf``). Offsets are absolute in both cases, as the format defines them."""
    try:
        start = 0
        if buf[:4] == b"ttcf":
            count = struct.unpack_from(">I", buf, 8)[0]
            if not 0 <= index < count:
                raise FontFileError(f"the collection has {count} faces, not a face {index}")
            start = struct.unpack_from(">I", buf, 12 + 4 * index)[0]
        elif index:
            raise FontFileError(f"a single font has no face {index}")
        num = struct.unpack_from(">H", buf, start + 4)[0]
        out = {}
        for i in range(num):
            tag, _, off, length = struct.unpack_from(">4sIII", buf, start + 12 + 16 * i)
            if off + length > len(buf):
                raise FontFileError(f"table {tag!r} runs past the end of the file")
            out[tag.decode("latin-1")] = (off, length)
        return out
    except struct.error as exc:
        raise FontFileError(f"not an OpenType font: {exc}") from None


def table_bytes(buf, directory: dict[str, tuple[int, int]], tag: str) -> bytes | None:
    """The bytes of one table, or None when the face has no such table."""
    at = directory.get(tag)
    if at is None:
        return None
    return bytes(buf[at[0]:at[0] + at[1]])


def checksum(data: bytes) -> int:
    """The OpenType table checksum: the sum of big-endian uint32s, zero-padded, modulo 2**32."""
    data = data + b"\0" * (-len(data) % 4)
    return sum(struct.unpack(f">{len(data) // 4}I", data)) & 0xFFFFFFFF


def build(tables: dict[str, bytes]) -> bytes:
    """A TrueType-flavoured font file of ``tables`` (tag -> bytes), sorted by tag, each padded to
    four bytes, with ``head.checkSumAdjustment`` set as the format requires."""
    tags = sorted(tables)
    n = len(tags)
    pow2 = 1 << (n.bit_length() - 1)
    out = bytearray(struct.pack(">IHHHH", 0x00010000, n, pow2 * 16, pow2.bit_length() - 1, n * 16 - pow2 * 16))
    offset = 12 + 16 * n
    body = bytearray()
    head_at = None
    for tag in tags:
        data = tables[tag]
        if tag == "head":
            data = data[:8] + b"\0\0\0\0" + data[12:]  # the adjustment counts as zero while summing
            head_at = offset + len(body)
        out += struct.pack(">4sIII", tag.encode("latin-1"), checksum(data), offset + len(body), len(data))
        body += data + b"\0" * (-len(data) % 4)
    out += body
    if head_at is not None:
        struct.pack_into(">I", out, head_at + 8, (0xB1B0AFBA - checksum(bytes(out))) & 0xFFFFFFFF)
    return bytes(out)
