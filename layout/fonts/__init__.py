"""Fonts: roles -> files -> faces, and metrics for the line composer.

Usage::

    from layout.fonts import FontRegistry, missing

    fonts = FontRegistry.load(overrides=content.get("fonts"), base_dir=paper_dir)
    body = fonts.face("body")            # Face: vertical metrics in em, .metrics for the composer
    body.metrics.advance("中")           # 1.0 (em)
    missing(body, text)                  # characters the face lacks, for the build report
    body.path, body.index                # the file (and face in a collection) the renderer embeds

Modules, one job each: :mod:`.config` (fonts.yaml, overrides, errors), :mod:`.registry` (role
-> file -> face), :mod:`.table` (cached character map and advances), :mod:`.metrics` (the
``Metrics`` protocol), :mod:`.face` (Face), :mod:`.coverage` (missing characters), :mod:`.faces`
(what composition and rendering ask of a page's roles), :mod:`.cache` (where and how caches are
written).

Embedding is not done here: the renderer embeds each face's own outlines by glyph id, CFF as
``CIDFontType0C`` and TrueType as ``CIDFontType2`` (:mod:`layout.render.embed`), with its own
caches under ``<root>/fonts/embed/``.

Cache layout (root: the ``cache_dir`` argument, else ``$BROADSHEET_CACHE``, else the per-user
cache folder)::

    <root>/fonts/metrics/<file>-<index>-<key>.metrics   cmap + advances + header values (marshal)

``<key>`` hashes the font file's real path, face index, mtime and size (and the cache format),
so upgrading a font invalidates its entries. Everything may be deleted at any time.
"""

from .cache import cache_root
from .config import FontConfig, FontConfigError, RoleSpec, config_from_dict, load_config
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
    "load_config",
    "missing",
    "missing_positions",
    "needs_glyph",
    "open_face",
    "resolve_role",
]
