"""Where composed parts of pages outlive the process: ``<cache>/parts/<digest>.part``.

:mod:`layout.compose.page` composes a page's folio, masthead, ads and articles each once per
everything they depend on, and hands a part's display items and findings out again when asked
for the same part (:func:`layout.compose.page.use_store`). Composition writes no file: the
build gives it this store, and a new process that builds an unchanged page reads each part
here instead of composing it (no line shaped, no paragraph read), as the paragraph memo's
records spare it the line breaking. Each entry is sealed (:func:`layout.cache.write_sealed`): a
damaged one is a miss, rebuilt, never a wrong part; entries nobody used for
:data:`layout.cache.KEEP_DAYS` go when the store next writes.
"""

from __future__ import annotations

from pathlib import Path

from layout.cache import prune_once, read_sealed, write_sealed


class PartStore:
    """Sealed blobs by digest in one folder."""

    def __init__(self, folder: Path):
        self.folder = Path(folder)

    def read(self, digest: str) -> bytes | None:
        return read_sealed(self.folder / f"{digest}.part")

    def write(self, digest: str, data: bytes) -> None:
        write_sealed(self.folder / f"{digest}.part", data)
        prune_once(self.folder, "*.part")
