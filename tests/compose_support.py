"""Composing a page in a test the way a build does (read, place, compose), without assets or a
PDF: :func:`layout.build.compose_file`, and the page's font roles."""

from __future__ import annotations

from pathlib import Path

from layout.build import BuildOptions, Composed, compose_file
from layout.cache import cache_root
from layout.fonts.faces import FaceSet, page_fonts
from layout.model.source import Source, load_file


def composed(page: str | Path | Source, **options) -> Composed:
    """A page (a content file or a loaded source) read, placed and composed."""
    source = page if isinstance(page, Source) else load_file(page)
    opts = BuildOptions(**options)
    return compose_file(source, opts, cache_root(opts.cache_dir))


def faces_for(folder: str | Path, overrides: dict | None = None) -> FaceSet:
    """The font roles of a page in ``folder``, as a build opens them."""
    return page_fonts(Path(folder), overrides or {}, cache_root())
