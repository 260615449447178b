"""Fonts: roles -> files -> faces, metrics for the line composer, TrueType files for ReportLab.

Usage::

    from layout.fonts import FontRegistry, truetype_for, missing

    fonts = FontRegistry.load(overrides=content.get("fonts"), base_dir=paper_dir)
    body = fonts.face("body")            # Face: vertical metrics in em, .metrics for the composer
    body.metrics.advance("中")           # 1.0 (em)
    missing(body, text)                  # characters the face lacks, for the build report
    ttf = truetype_for(body, text)       # a TrueType file ReportLab can embed; name = ttf.stem

Modules, one job each: :mod:`.config` (fonts.yaml, overrides, errors), :mod:`.registry` (role
-> file -> face), :mod:`.table` (cached character map and advances), :mod:`.metrics` (the
``Metrics`` protocol), :mod:`.face` (Face), :mod:`.coverage` (missing characters),
:mod:`.glyphstore` and :mod:`.convert` (CFF -> TrueType), :mod:`.cache` (where and how caches are
written).

Cache layout (root: the ``cache_dir`` argument, else ``$BROADSHEET_CACHE``, else ``./.cache``)::

    <root>/fonts/metrics/<file>-<index>-<key>.metrics   cmap + advances + header values (marshal)
    <root>/fonts/glyphs/<file>-<index>-<key>.glyphs     converted glyphs of one CFF face (marshal)
    <root>/fonts/glyphs/<...>.glyphs.lock               lock taken while merging new glyphs
    <root>/fonts/ttf/<PSname>-bs<hash>.ttf              produced TrueType file per character set
    <root>/fonts/ttf/<PSname>-<key>.ttf                 a glyf face extracted from a collection

``<key>`` hashes the font file's real path, face index, mtime and size (and the cache format),
so upgrading a font invalidates its entries. Everything may be deleted at any time.
"""

from .cache import cache_root
from .config import FontConfig, FontConfigError, RoleSpec, config_from_dict, load_config
from .convert import STATS as conversion_stats
from .convert import truetype_for
from .coverage import missing, missing_positions, needs_glyph
from .face import Face, open_face
from .metrics import FaceMetrics
from .registry import FontRegistry, resolve_role
from .table import clear_memo


def clear_caches() -> None:
    """Forget faces and tables loaded in this process (the disk caches stay)."""
    clear_memo()


__all__ = [
    "Face",
    "FaceMetrics",
    "FontConfig",
    "FontConfigError",
    "FontRegistry",
    "RoleSpec",
    "cache_root",
    "clear_caches",
    "config_from_dict",
    "conversion_stats",
    "load_config",
    "missing",
    "missing_positions",
    "needs_glyph",
    "open_face",
    "resolve_role",
    "truetype_for",
]
