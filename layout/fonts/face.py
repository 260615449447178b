"""A font face as the rest of broadsheet sees it: identity, vertical metrics in em, metrics.

Everything here is in em (font units / unitsPerEm) with y growing *up* from the baseline, as in
the font: ``descent`` and ``em_bottom`` are negative. Page composition needs:

- ``ascent`` / ``descent`` / ``line_gap``: the OS/2 typo values (for Noto CJK these are the
  ideographic em box, 0.88 / -0.12); ``hhea_ascent`` / ``hhea_descent``: the extents renderers
  clip and PDF viewers select by (1.151 / -0.286 for Noto Serif CJK);
- ``em_top`` / ``em_bottom``: the ideographic em box, the square a Han character is designed
  in, so Han glyphs can be set on a grid (Noto CJK: 0.88 / -0.12). Taken from the BASE table's
  ``ideo`` (and ``idtp``) baselines, else the OS/2 typo box when it is one em tall, else one em
  centred on the typo box; ``em_source`` says which;
- ``face_top`` / ``face_bottom``: the ideographic character face (BASE ``icft``/``icfb``), the
  box the ink of Han characters keeps within (Noto Serif: 0.838 / -0.078), or None.
"""

from __future__ import annotations

from pathlib import Path

from msgspec import Struct

from .metrics import FaceMetrics
from .table import FontTable, load_table


class Face(Struct, frozen=True, eq=False):
    key: str  # stable id: the role name (``body``) or, opened directly, the file stem + index
    path: Path
    index: int
    ps_name: str
    family: str
    style: str
    units_per_em: int
    is_cff: bool  # CFF outlines (embedded as CIDFontType0C), else TrueType (CIDFontType2)
    ascent: float
    descent: float
    line_gap: float
    hhea_ascent: float
    hhea_descent: float
    em_top: float
    em_bottom: float
    em_source: str  # "BASE", "OS/2 typo" or "OS/2 typo centred"
    face_top: float | None
    face_bottom: float | None
    x_height: float | None
    cap_height: float | None
    metrics: FaceMetrics
    table: FontTable
    cache_dir: Path | None = None  # the cache root it was opened with

    def __repr__(self) -> str:  # (without the metrics, the tables and the cache: they are large)
        shown = ", ".join(f"{f}={getattr(self, f)!r}" for f in self.__struct_fields__
                          if f not in ("metrics", "table", "cache_dir"))
        return f"Face({shown})"

    @property
    def file_key(self) -> str:
        """Identity of the file as it is now (path, index, mtime, size): 16 hex digits."""
        return self.table.key

    def has(self, ch: str) -> bool:
        return self.metrics.has(ch)

    def advance(self, ch: str) -> float:
        return self.metrics.advance(ch)

    def missing(self, text: str) -> list[str]:
        """Characters of ``text`` this face lacks (see :func:`layout.fonts.coverage.missing`)."""
        from .coverage import missing

        return missing(self, text)


def open_face(
    path: str | Path,
    index: int = 0,
    *,
    key: str | None = None,
    cache_dir: str | Path | None = None,
) -> Face:
    """Open face ``index`` of a font file through the metrics cache (see :mod:`.table`).

    Raises :class:`~layout.fonts.config.FontConfigError` if it is not a usable face.
    """
    p = Path(path)
    table = load_table(p, index, cache_dir)
    info = table.info
    upm = float(info["upm"])
    os2 = info.get("os2", {})
    hhea = info["hhea"]
    base = info.get("base", {})

    typo_asc = os2.get("sTypoAscender")
    typo_desc = os2.get("sTypoDescender")
    if typo_asc is not None and typo_desc is not None and typo_asc - typo_desc > 0:
        asc, desc, gap = typo_asc, typo_desc, os2.get("sTypoLineGap", 0)
    else:
        asc, desc, gap = hhea["ascent"], hhea["descent"], hhea["lineGap"]

    if "ideo" in base:
        bottom = base["ideo"]
        top = base.get("idtp", bottom + upm)
        src = "BASE"
    elif asc - desc == upm:
        bottom, top, src = desc, asc, "OS/2 typo"
    else:
        mid = (asc + desc) / 2
        bottom, top, src = mid - upm / 2, mid + upm / 2, "OS/2 typo centred"

    def em(v: float | None) -> float | None:
        return None if v is None else v / upm

    return Face(
        key=key or f"{p.stem}-{index}",
        path=p,
        index=index,
        ps_name=info["ps_name"],
        family=info["family"],
        style=info["style"],
        units_per_em=int(upm),
        is_cff=bool(info["is_cff"]),
        ascent=asc / upm,
        descent=desc / upm,
        line_gap=gap / upm,
        hhea_ascent=hhea["ascent"] / upm,
        hhea_descent=hhea["descent"] / upm,
        em_top=top / upm,
        em_bottom=bottom / upm,
        em_source=src,
        face_top=em(base.get("icft")),
        face_bottom=em(base.get("icfb")),
        x_height=em(os2.get("sxHeight") or None),
        cap_height=em(os2.get("sCapHeight") or None),
        metrics=FaceMetrics(table),
        table=table,
        cache_dir=Path(cache_dir) if cache_dir is not None else None,
    )
