"""Where composed parts of pages outlive the process: ``<cache>/parts/parts.sqlite``.

:mod:`layout.compose.page` composes a page's folio, masthead, ads and articles each once per
everything they depend on, and hands a part's display items and findings out again when asked
for the same part (:func:`layout.compose.page.use_store`). Composition writes no file: the
build gives it this store, and a new process that builds an unchanged page reads each part
here instead of composing it (no line shaped, no paragraph read), as the paragraph memo's
records spare it the line breaking. Each entry is sealed (:mod:`layout.records`): a damaged
one is a miss, rebuilt, never a wrong part; entries nobody used for
:data:`layout.cache.KEEP_DAYS` are pruned.
"""

from __future__ import annotations

from pathlib import Path

from layout.records import BlobStore


class PartStore(BlobStore):
    """Sealed parts by digest in one database in ``folder``."""

    def __init__(self, folder: Path):
        super().__init__(folder, "parts")
