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

Every cache entry carries a check, verified when it is read: a sealed header (length and the
sha256 of the entry's name and bytes, :func:`write_sealed`), or for a file another program opens
by name (a prepared JPEG) a sealed sidecar with its length and sha256 (:func:`write_checked`).
An entry that fails its check (cut short by a full disk, a flipped bit, another entry's file
copied over it, a folder, a FIFO or a device in its place) is removed and rebuilt from its
source, and the build's report says so (a ``cache-damaged`` note, :func:`take_notes`): a
damaged cache never reaches a PDF, and never stops a build.
"""

from __future__ import annotations

import contextlib
import errno
import os
import tempfile
from pathlib import Path

from layout.files import put_in_place

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
    root = cache_root(explicit)
    try:
        root.mkdir(parents=True, exist_ok=True)
        probe = root / f".probe-{os.getpid()}"
        probe.write_bytes(b"")
        probe.unlink()
        return root, ""
    except OSError as exc:
        return fallback_root(), (f"cache folder {root} is not writable ({exc.strerror or exc}); using a temporary one, "
                           "so this build is slower")


def atomic_write(path: Path, data: bytes, *, durable: bool = False) -> None:
    """Write ``data`` to ``path`` through a temporary file put in its place atomically
    (:func:`layout.files.put_in_place`). ``durable``
    also fsyncs before the rename (for files that are expensive to rebuild)."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as exc:
        raise _named(exc, path) from None
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            if durable:
                f.flush()
                os.fsync(f.fileno())
        os.chmod(tmp, 0o644)
        if put_in_place(tmp, path):  # (tmp holds the previous file now)
            os.unlink(tmp)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        if isinstance(exc, OSError):
            raise _named(exc, path) from None
        raise


def _named(exc: OSError, path: Path) -> OSError:
    """``exc`` naming the file meant (a write into a temporary file names nothing, or the
    temporary): the message the user reads must name the path they can act on."""
    if exc.errno is None:
        return exc
    return type(exc)(exc.errno, exc.strerror or os.strerror(exc.errno), str(path))


def try_write(path: Path, data: bytes) -> bool:
    """:func:`atomic_write`, for a cache that only saves time: a failure (read-only folder,
    full disk) is not an error. Returns whether the file was written."""
    try:
        atomic_write(path, data)
        return True
    except OSError:
        return False


#: the header of a sealed cache file: this magic, the payload's length (8 bytes, big-endian) and
#: the sha256 of the file's name and the payload (so an entry moved or copied over another's name
#: is as wrong as a damaged one)
_SEAL = b"bsSEAL2\n"
_SEAL_HEAD = len(_SEAL) + 8 + 32
_OLD_SEALS = (b"bsSEAL1\n",)  # written by an earlier version: rebuilt without a word


def _seal_digest(name: str, payload: bytes) -> bytes:
    import hashlib

    return hashlib.sha256(name.encode("utf-8", "surrogateescape") + b"\0" + payload).digest()


def seal(name: str, payload: bytes) -> bytes:
    """``payload`` behind the header :func:`unseal` checks, bound to the file name ``name``."""
    return _SEAL + len(payload).to_bytes(8, "big") + _seal_digest(name, payload) + payload


def unseal(name: str, data: bytes) -> tuple[bytes | None, str]:
    """(the payload, "") of a sealed file's bytes, or (None, what is wrong): "" for a file an
    earlier version wrote (not damage: it is rebuilt quietly)."""
    if data.startswith(_OLD_SEALS):
        return None, ""
    if len(data) < _SEAL_HEAD or not data.startswith(_SEAL):
        return None, f"not a sealed cache file ({len(data)} bytes{', cut short' if _SEAL.startswith(data[:len(_SEAL)]) else ''})"
    n = int.from_bytes(data[len(_SEAL):len(_SEAL) + 8], "big")
    payload = data[_SEAL_HEAD:]
    if len(payload) != n:
        return None, f"{len(payload)} bytes where its seal says {n} ({'cut short' if len(payload) < n else 'too long'})"
    if _seal_digest(name, payload) != data[len(_SEAL) + 8:_SEAL_HEAD]:
        return None, "its checksum does not match (changed on disk, or another entry's file)"
    return payload, ""


def write_sealed(path: Path, payload: bytes) -> bool:
    """:func:`try_write` ``payload`` behind a header that :func:`read_sealed` checks.

    Every cache entry is sealed this way (or, for a file another program reads as it is, has a
    sealed sidecar: :func:`write_checked`): a file cut short by a full disk, changed on disk, or
    another entry's file copied over it is noticed and rebuilt, never used."""
    return try_write(path, seal(path.name, payload))


def _read_entry(path: Path) -> bytes | None:
    """A cache file's bytes, or None: missing (quietly), or unreadable (removed and recorded)."""
    try:
        return read_regular(path)
    except FileNotFoundError:
        return None
    except OSError as exc:
        damaged(path, f"cannot be read ({exc.strerror or exc})")
        return None


def read_sealed(path: Path) -> bytes | None:
    """The payload of a file :func:`write_sealed` wrote, or None when it is missing or bad. A bad
    one (truncated, longer than it should be, its checksum not matching) is removed and recorded
    (:func:`take_notes`) so the build can say so; the caller rebuilds it. A good file is marked
    as used (:func:`touch`)."""
    data = _read_entry(path)
    if data is None:
        return None
    payload, why = unseal(path.name, data)
    if payload is None:
        if why:
            damaged(path, why)
        return None
    touch(path)
    return payload


def write_checked(path: Path, data: bytes, *, durable: bool = False) -> None:
    """Write a cache file that another program reads as it is (a prepared JPEG, which the PDF
    writer opens by name), and beside it a sealed sidecar (``NAME.seal``) holding its length and
    sha256, which :func:`read_checked` compares. Raises OSError like :func:`atomic_write` (the
    caller needs the file)."""
    import hashlib

    atomic_write(path, data, durable=durable)
    atomic_write(_sidecar(path), seal(path.name, len(data).to_bytes(8, "big") + hashlib.sha256(data).digest()))


def _sidecar(path: Path) -> Path:
    return path.with_name(path.name + ".seal")


def read_checked(path: Path) -> bytes | None:
    """The bytes of a file :func:`write_checked` wrote, if they are what was written: None when
    it is missing, or when it or its sidecar is damaged (both removed and recorded, as
    :func:`read_sealed` does)."""
    import hashlib

    seen = _checked_stat(path)
    data = _read_entry(path)
    if data is None:
        return None
    side = _sidecar(path)
    try:
        record = read_regular(side)
    except FileNotFoundError:  # (written by an earlier version, or its check deleted: rebuilt quietly)
        return None
    except OSError as exc:
        damaged(path, f"its checksum file {side.name} cannot be read ({exc.strerror or exc})")
        return None
    payload, why = unseal(side.name.removesuffix(".seal"), record)
    if payload is None or len(payload) != 40:
        damaged(path, f"its checksum file {side.name} is damaged ({why or 'wrong length'})")
        return None
    if int.from_bytes(payload[:8], "big") != len(data) or hashlib.sha256(data).digest() != payload[8:]:
        n = int.from_bytes(payload[:8], "big")
        damaged(path, f"{len(data)} bytes where {n} were written" if n != len(data)
                else "its sha256 does not match what was written")
        return None
    touch(path)
    touch(side)
    if seen is not None:
        _checked[str(path)] = seen
    return data


#: files :func:`read_checked` found good in this process, by path: their (inode, size, mtime,
#: ctime) then. A rebuild in process (``watch``, ``serve``, an edition's worker) does not read and
#: hash its unchanged photos again (~1.5 ms each); any write or replacement changes the stat.
_checked: dict[str, tuple] = {}


def is_checked(path: Path) -> bool:
    """Whether a file :func:`write_checked` wrote is what was written (:func:`read_checked`),
    without reading it again when this process found it good and its stat has not changed."""
    seen = _checked_stat(path)
    if seen is not None and _checked.get(str(path)) == seen:
        touch(path)
        return True
    return read_checked(path) is not None


def _checked_stat(path: Path) -> tuple | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return (st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns)


def read_regular(path: Path) -> bytes:
    """The bytes of ``path`` if it is a regular file; OSError otherwise. Opened without blocking,
    so a FIFO put where a cache file was does not hang the build, and checked before reading,
    so a device (``/dev/zero``) is not read without end."""
    import stat

    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise OSError(errno.EINVAL, "not a regular file", str(path))
        with os.fdopen(fd, "rb", closefd=False) as f:
            return f.read()
    finally:
        os.close(fd)


#: what this process noticed about the cache since the last :func:`take_notes`: (code, message)
_notes: list[tuple[str, str]] = []


def damaged(path: Path, why: str) -> None:
    """Record a damaged cache entry and remove it (and its sidecar, and a file standing where
    one of its folders should be), so the next reader rebuilds it: a cache only saves time, and
    one that lies must not be believed twice."""
    import shutil

    note_damaged(path, why)
    for p in (Path(path), _sidecar(Path(path))):
        with contextlib.suppress(OSError):
            if p.is_dir() and not p.is_symlink():
                shutil.rmtree(p)  # (a folder where an entry should be: the cache's own path)
            elif p.exists() or p.is_symlink():
                p.unlink()
    for parent in Path(path).parents:  # (entries' folders are the cache's own: a file there is damage)
        if parent.is_dir():
            break
        if parent.is_symlink() or parent.is_file():
            with contextlib.suppress(OSError):
                parent.unlink()
            break


def note_damaged(path: Path, why: str) -> None:
    """Record a damaged cache entry that its owner removes itself (a record inside a database,
    :mod:`layout.records`): the note :func:`damaged` makes, without removing ``path``."""
    _notes.append(("cache-damaged", f"cache entry {path} was damaged ({why}); discarded and rebuilt from its source"))


def note_unwritable(path: Path, why: str) -> None:
    """Record that a cache database could not be used where it belongs (a full or read-only
    disk): this build goes on without it."""
    _notes.append(("cache-unwritable", f"cannot write the cache file {path} ({why}); this build goes on without it"))


def fell_back(path: Path, exc: OSError, instead: Path) -> None:
    """Record that a cache file could not be written where it belongs (full disk, read-only
    folder) and was written to a private temporary folder instead."""
    _notes.append(("cache-unwritable", f"cannot write the cache file {path} ({exc.strerror or exc}); "
                                       f"used {instead} for this build"))


def take_notes() -> list[tuple[str, str]]:
    """(code, message) of what was noticed since the last call, oldest first (and forget them):
    the build turns each into a note in its report (``cache-damaged``, ``cache-unwritable``)."""
    out = list(_notes)
    del _notes[:len(out)]
    return out


def fallback_root() -> Path:
    """A private temporary folder for this process's cache files, removed at exit."""
    global _FALLBACK
    if _FALLBACK is None:
        import atexit
        import shutil

        _FALLBACK = Path(tempfile.mkdtemp(prefix="broadsheet-cache-"))
        atexit.register(shutil.rmtree, _FALLBACK, True)
    return _FALLBACK


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
