"""Where broadsheet keeps what it can rebuild, and how it writes there.

One cache root for everything (font metrics and embedded font subsets, prepared photos, composed
paragraphs, the compressed output profile): an explicit folder (``BuildOptions.cache_dir``),
else ``$BROADSHEET_CACHE``, else the user's cache folder (``platformdirs.user_cache_dir``:
``~/.cache/broadsheet`` on Linux). Never the checkout, the page's folder or the current
folder: a CMS calling the tool from many folders must not leave caches behind it. When the
root cannot be written, a build uses a private temporary folder for its life and says so
(:func:`usable_root`): a cache only saves time.

Every cache file is written whole or not at all (:func:`atomic_write`): a temporary file in
the same folder, then :func:`os.replace`, so a parallel build or one killed mid-write never
leaves half a file for the next reader. Permissions are 0644, not mkstemp's 0600, so a cache
shared between users stays readable.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

ENV_VAR = "BROADSHEET_CACHE"


def cache_root(explicit: str | os.PathLike[str] | None = None) -> Path:
    """The cache root (see the module doc)."""
    if explicit:
        return Path(explicit)
    env = os.environ.get(ENV_VAR)
    if env:
        return Path(env)
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("broadsheet", appauthor=False))


_FALLBACK: Path | None = None


def usable_root(explicit: str | os.PathLike[str] | None = None) -> tuple[Path, str]:
    """The cache root, made if need be, and "" — or, when it cannot be written (read-only, not a
    folder), a private temporary folder removed at exit, and a note saying so."""
    global _FALLBACK
    root = cache_root(explicit)
    try:
        root.mkdir(parents=True, exist_ok=True)
        probe = root / f".probe-{os.getpid()}"
        probe.write_bytes(b"")
        probe.unlink()
        return root, ""
    except OSError as exc:
        if _FALLBACK is None:
            import atexit
            import shutil

            _FALLBACK = Path(tempfile.mkdtemp(prefix="broadsheet-cache-"))
            atexit.register(shutil.rmtree, _FALLBACK, True)
        return _FALLBACK, (f"cache folder {root} is not writable ({exc.strerror or exc}); using a temporary one, "
                           "so this build is slower")


def atomic_write(path: Path, data: bytes, *, durable: bool = False) -> None:
    """Write ``data`` to ``path`` through a temporary file and :func:`os.replace`. ``durable``
    also fsyncs before the rename (for files that are expensive to rebuild)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            if durable:
                f.flush()
                os.fsync(f.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def try_write(path: Path, data: bytes) -> bool:
    """:func:`atomic_write`, for a cache that only saves time: a failure (read-only folder,
    full disk) is not an error. Returns whether the file was written."""
    try:
        atomic_write(path, data)
        return True
    except OSError:
        return False


#: the header of a sealed cache file: this magic, the payload's length (8 bytes, big-endian) and
#: its sha256
_SEAL = b"bsSEAL1\n"
_SEAL_HEAD = len(_SEAL) + 8 + 32


def write_sealed(path: Path, payload: bytes) -> bool:
    """:func:`try_write` ``payload`` behind a header that :func:`read_sealed` checks.

    For cache entries whose bytes go into the output as they are (font programs): a file cut
    short by a full disk, or changed on disk, must be noticed and rebuilt, never embedded."""
    import hashlib

    head = _SEAL + len(payload).to_bytes(8, "big") + hashlib.sha256(payload).digest()
    return try_write(path, head + payload)


def read_sealed(path: Path) -> bytes | None:
    """The payload of a file :func:`write_sealed` wrote, or None when it is missing, truncated,
    longer than it should be, or its sha256 does not match (the caller rebuilds it; its next
    write replaces the damaged file). A good file is marked as used (:func:`touch`)."""
    import hashlib

    try:
        with open(path, "rb") as f:
            data = f.read()
    except OSError:
        return None
    if len(data) < _SEAL_HEAD or not data.startswith(_SEAL):
        return None
    n = int.from_bytes(data[len(_SEAL):len(_SEAL) + 8], "big")
    payload = data[_SEAL_HEAD:]
    if len(payload) != n or hashlib.sha256(payload).digest() != data[len(_SEAL) + 8:_SEAL_HEAD]:
        return None
    touch(path)
    return payload


#: cache files nobody used for this long are removed (an edit leaves the old versions of a
#: paragraph, a font subset or a prepared photo behind)
KEEP_DAYS = 30
_DAY = 86400.0
#: a folder is scanned for old files at most this often (seconds), whatever the number of
#: processes: a stamp file in the folder records the last scan (a memo of a few thousand
#: paragraphs takes ~0.1 s to scan, more than the rest of a rebuild's cache work)
PRUNE_EVERY = _DAY
_pruned: set[tuple[str, str]] = set()


def touch(path: Path) -> None:
    """Mark a cache file as used (at most once a day: its mtime, as many disks are mounted
    noatime), so pruning keeps it."""
    import time

    try:
        if path.stat().st_mtime < time.time() - _DAY:
            os.utime(path)
    except OSError:
        pass


def forget_pruned() -> None:
    """Forget which folders this process has pruned, as a new process would (tests, a server
    that runs for days)."""
    _pruned.clear()


def prune_once(folder: Path, pattern: str, keep_days: float | None = None) -> int:
    """Once per process and folder, and at most every :data:`PRUNE_EVERY` seconds across
    processes: remove files matching ``pattern`` untouched for ``keep_days`` (default
    :data:`KEEP_DAYS`). Called where a cache writes, so a build that only reads pays nothing.
    Returns how many files went."""
    import time
    import zlib

    key = (str(folder), pattern)
    if key in _pruned:
        return 0
    _pruned.add(key)
    now = time.time()
    folder = Path(folder)
    if not folder.is_dir():
        return 0
    stamp = folder / f".pruned-{zlib.crc32(pattern.encode()):08x}"
    try:
        if 0 <= now - stamp.stat().st_mtime < PRUNE_EVERY:  # (a stamp from the future does not count)
            return 0
    except OSError:
        pass
    cutoff = now - (KEEP_DAYS if keep_days is None else keep_days) * _DAY
    gone = 0
    for f in folder.glob(pattern):
        try:
            if f.is_file() and f.stat().st_mtime < cutoff:
                f.unlink()
                gone += 1
        except OSError:
            pass
    try_write(stamp, pattern.encode())  # (after the scan: one cut short is done again next time)
    return gone


class RecordStore:
    """Small JSON records under a folder, each named by a digest of what it stands for (two
    levels: ``ab/abcdef....lines``): the paragraph memo's records outlive the process here
    (``layout.text.memo.use_store``). JSON, not pickle: a cache file is data, never executed. A
    record that cannot be read is a miss; the first write of a process prunes records nobody used
    for :data:`KEEP_DAYS` (an edited paragraph leaves its old versions behind, ~7 KB each)."""

    def __init__(self, folder: Path):
        self.folder = Path(folder)

    def _path(self, digest: str, suffix: str) -> Path:
        return self.folder / digest[:2] / f"{digest}{suffix}"

    def read(self, digest: str, suffix: str):
        import json

        path = self._path(digest, suffix)
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        touch(path)  # in use: kept by pruning
        return data

    def write(self, digest: str, suffix: str, data) -> None:
        import json

        try_write(self._path(digest, suffix), json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8"))
        prune_once(self.folder, "*/*")
