"""Where the font caches live, how a face is keyed, and how cache files are written safely.

The font caches sit under ``<cache root>/fonts/``: the metrics tables (see :mod:`layout.fonts`)
and the renderer's embedding caches in ``fonts/embed/`` (see :mod:`layout.render.embed`). They are
shared by every build on the machine, including page builds running in parallel, so:

- every write goes to a temporary file in the same folder and is moved into place with
  :func:`os.replace`, which is atomic: a reader sees the old file or the new one, never half a
  file;
- a writer that merges into an existing file (the renderer's per-face store of CFF charstrings)
  takes an advisory lock
  (:func:`locked`) so that two writers do not drop each other's additions. Readers never lock.

A face is keyed by its real path, collection index, modification time and size, plus the cache
format version: replacing a font file (a package upgrade) or changing what is read from it invalidates
its entries without anyone having to clear the cache.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
from collections.abc import Iterator
from pathlib import Path

#: Bump when anything stored in the font caches changes shape or meaning.
FORMAT = 2  # 2: sealed metrics (layout.cache.write_sealed)

from layout.cache import ENV_VAR, atomic_write, prune_once, touch  # noqa: F401 - one writer for every cache
from layout.cache import cache_root as _root


def cache_root(cache_dir: str | os.PathLike[str] | None = None) -> Path:
    """The cache root (:func:`layout.cache.cache_root`)."""
    return _root(cache_dir)


def fonts_cache(cache_dir: str | os.PathLike[str] | None = None, sub: str = "") -> Path:
    """``<cache root>/fonts[/sub]`` (not created here: writers create it when they write)."""
    p = cache_root(cache_dir) / "fonts"
    return p / sub if sub else p


#: what the set-up prepared for the configured faces (:mod:`layout.fonts.prepare`): metrics tables
#: and embedding entries under the names the caches use, read after a cache miss, never written
PREPARED = Path(__file__).resolve().parent / "data"


def prepared(sub: str) -> Path:
    """``layout/fonts/data/<sub>`` (``metrics``, ``embed``)."""
    return PREPARED / sub


def face_key(path: Path, index: int) -> str:
    """A short stable id of one face of one font file *as it is now* (16 hex digits)."""
    real = os.path.realpath(path)
    st = os.stat(real)
    raw = f"{FORMAT}\0{real}\0{index}\0{st.st_mtime_ns}\0{st.st_size}"
    return hashlib.sha1(raw.encode("utf-8", "surrogatepass")).hexdigest()[:16]


def read_bytes(path: Path) -> bytes | None:
    """The file's bytes, or None if it does not exist or cannot be read."""
    try:
        with open(path, "rb") as f:
            return f.read()
    except OSError:
        return None


@contextlib.contextmanager
def locked(path: Path) -> Iterator[None]:
    """Hold an exclusive advisory lock on ``path`` (a ``.lock`` file next to the data) while
    merging into a shared cache file. On systems without ``fcntl`` this is a no-op: writes stay
    atomic, concurrent writers may just redo each other's work."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - not on Linux
        yield
        return
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        f = open(path, "a+b")
    except OSError:  # a damaged or read-only cache folder (a file where the folder was, a folder
        yield        # where the lock was): no lock to take; the writes after it fail quietly
        return
    with f:
        fcntl.flock(f.fileno(), fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(f.fileno(), fcntl.LOCK_UN)
