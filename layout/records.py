"""Cache entries in SQLite databases: the paragraph memo's records, the composed parts of pages
and the font subsets, each kind one database file in its cache folder.

They used to be one file each. On an ordinary ext4 disk creating a file (create, write, rename)
costs about a millisecond, and an edition of 24 new pages composes some 700 paragraphs and
writes some ten parts and subsets a page: about a second of system time, a third of the
edition's build. SQLite (in Python's standard library) writes a row in ~35 µs without a journal
on disk, a build's paragraph records in one transaction (~20 ms for 700), reads one in ~40 µs,
and its file locks let the edition's worker processes share one database.

What the file entries promised still holds:

* every entry is sealed (:func:`layout.cache.seal`: its length and the sha256 of its name and
  payload), so an entry that fails its check is a miss, deleted and noted (``cache-damaged``),
  never lines, a part or a font program from the wrong source;
* a database SQLite cannot read (cut short, emptied, overwritten by another file, a folder, FIFO
  or device in its place) is removed, noted and started afresh; if that fails too, the build
  goes on without it: a cache only saves time;
* entries nobody read for :data:`layout.cache.KEEP_DAYS` are pruned, at most once every
  :data:`layout.cache.PRUNE_EVERY` across processes (the time of the last pass is in the
  database).

The database never journals to disk (``journal_mode=MEMORY``, ``synchronous=OFF``): a machine
that dies mid-write may leave it damaged, which the next reader notices as above.
"""

from __future__ import annotations

import json
import os
import stat
import time
from pathlib import Path

import msgspec
import msgspec.json as _json

from layout import cache as _cache


#: seconds before a database that could not be opened is tried again
RETRY_AFTER = 60.0


def _today() -> int:
    return int(time.time() // 86400)


class SealedDatabase:
    """Sealed entries by name in one SQLite file: :meth:`get` and :meth:`put` (at once) or
    :meth:`hold` and :meth:`flush` (in one transaction)."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self.folder = self.path.parent
        self._db = None
        self._pid = 0
        self._off = 0.0  # (the database could not be used: nothing kept until this monotonic time)
        self._held: dict[str, bytes] = {}
        self._used: set[str] = set()
        self._pruned = False
        self._inode: tuple = ()

    # -- entries ----------------------------------------------------------------------------

    def _own(self) -> None:
        """Forget what a process this one was forked from held and opened (an edition's workers
        inherit the driver's stores): its entries are its own to write, its connection never
        crosses a fork."""
        if self._pid and self._pid != os.getpid():
            self._held.clear()
            self._used.clear()
            self._db = None
            self._pid = 0

    def get(self, name: str) -> bytes | None:
        """The entry's payload, or None (missing, damaged, or no database)."""
        self._own()
        held = self._held.get(name)
        if held is not None:
            return held
        db = self._connect()
        if db is None:
            return None
        try:
            row = db.execute("SELECT body, used FROM entries WHERE name = ?", (name,)).fetchone()
        except self._sqlite.DatabaseError as exc:
            self._broken(exc)
            return None
        if row is None:
            return None
        payload, why = _cache.unseal(name, bytes(row[0]))
        if payload is None:
            _cache.note_damaged(self.path, f"entry {name}: {why or 'an earlier format'}")
            self._execute("DELETE FROM entries WHERE name = ?", (name,))
            return None
        if row[1] < _today():
            self._used.add(name)
            if not self._held:
                self.flush()  # (marked as used now: a reader that writes nothing holds nothing)
        return payload

    def put(self, name: str, payload: bytes) -> None:
        """Write the entry now (and, at the first write of this object, prune now and then)."""
        self._own()
        db = self._connect()
        if db is None:
            return
        try:
            db.execute("INSERT OR REPLACE INTO entries (name, body, used) VALUES (?, ?, ?)",
                       (name, _cache.seal(name, payload), _today()))
            if not self._pruned:
                self._pruned = True
                db.execute("BEGIN IMMEDIATE")
                try:
                    self._prune(db)
                    db.execute("COMMIT")
                except BaseException:
                    db.execute("ROLLBACK")
                    raise
        except self._sqlite.DatabaseError as exc:
            self._broken(exc)

    def hold(self, name: str, payload: bytes) -> None:
        """Keep the entry until :meth:`flush`."""
        self._own()
        self._held[name] = payload

    def flush(self) -> int:
        """Write the entries held (one transaction), mark the ones read as used today, and prune
        now and then. Returns how many entries were written."""
        self._own()
        if not self._held and not self._used:
            return 0
        db = self._connect()
        held, used = self._held, self._used
        self._held, self._used = {}, set()
        if db is None:
            return 0
        today = _today()
        rows = [(name, _cache.seal(name, payload), today) for name, payload in sorted(held.items())]
        try:
            db.execute("BEGIN IMMEDIATE")
            try:
                db.executemany("INSERT OR REPLACE INTO entries (name, body, used) VALUES (?, ?, ?)", rows)
                if used:
                    db.executemany("UPDATE entries SET used = ? WHERE name = ?", [(today, n) for n in sorted(used)])
                if rows and not self._pruned:
                    self._pruned = True
                    self._prune(db)
                db.execute("COMMIT")
            except BaseException:
                db.execute("ROLLBACK")
                raise
        except self._sqlite.DatabaseError as exc:  # (OperationalError too: a full disk, a lock held too long)
            self._broken(exc)
            return 0
        return len(rows)

    def close(self) -> None:
        self.flush()
        if self._db is not None and self._pid == os.getpid():
            self._db.close()
        self._db = None

    # -- the database -----------------------------------------------------------------------

    @property
    def _sqlite(self):
        import sqlite3

        return sqlite3

    def _connect(self):
        """The open database (made if need be), or None when it cannot be used."""
        if self._off and time.monotonic() < self._off:
            return None
        if self._db is not None and self._pid == os.getpid():
            try:
                st = os.stat(self.path)
                if (st.st_dev, st.st_ino) == self._inode:
                    return self._db
            except OSError:
                pass
            try:  # (removed or replaced since: a new process would not see what this one writes)
                self._db.close()
            except Exception:
                pass
        self._db = None  # (a connection is never used across a fork)
        sqlite3 = self._sqlite
        for attempt in (1, 2):
            why = self._unusable_path()
            if why:
                _cache.damaged(self.path, why)  # (removes what stands there)
                continue
            try:
                if not os.path.lexists(self.path):
                    self._create()
                db = sqlite3.connect(self.path, timeout=30, isolation_level=None, check_same_thread=False)
                try:
                    db.execute("PRAGMA journal_mode = MEMORY")
                    db.execute("PRAGMA synchronous = OFF")
                    # (another database's file copied over this one is as wrong as a damaged one)
                    row = db.execute("SELECT value FROM meta WHERE key = 'kind'").fetchone()
                    if row is None or row[0] != self.path.name:
                        raise sqlite3.DatabaseError(f"the database of {row[0] if row else 'another kind'}")
                    st = os.stat(self.path)
                except BaseException:
                    db.close()
                    raise
            except sqlite3.DatabaseError as exc:
                if attempt == 2 or not self.path.exists():  # (not the file's fault: a folder we cannot write)
                    _cache.note_unwritable(self.path, str(exc))
                    break
                _cache.damaged(self.path, f"SQLite: {exc}")
                continue
            except OSError as exc:
                if attempt == 1 and isinstance(exc, FileNotFoundError):
                    continue  # (removed by another process meanwhile: made again)
                _cache.note_unwritable(self.path, exc.strerror or str(exc))
                break
            self._db, self._pid, self._inode = db, os.getpid(), (st.st_dev, st.st_ino)
            return db
        self._off = time.monotonic() + RETRY_AFTER  # (a server runs for days: the disk may be freed)
        return None

    def _create(self) -> None:
        """A new database, made whole under a temporary name and linked into place: another
        process (an edition's other worker) never sees it empty or without its tables, and of
        two processes making it at once one wins."""
        sqlite3 = self._sqlite
        self.folder.mkdir(parents=True, exist_ok=True)
        tmp = self.folder / f".{self.path.name}.{os.getpid()}.tmp"
        try:
            db = sqlite3.connect(tmp, isolation_level=None)
            try:
                db.execute("PRAGMA journal_mode = MEMORY")  # (no journal file, and no fsync: each
                db.execute("PRAGMA synchronous = OFF")  # statement's commit cost ~8 ms of waiting)
                db.execute("PRAGMA auto_vacuum = INCREMENTAL")  # (before the first table)
                db.execute("BEGIN")
                db.execute("CREATE TABLE entries (name TEXT PRIMARY KEY, body BLOB NOT NULL, used INTEGER NOT NULL)")
                db.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value)")
                db.execute("INSERT INTO meta (key, value) VALUES ('kind', ?)", (self.path.name,))
                db.execute("INSERT INTO meta (key, value) VALUES ('pruned', ?)", (time.time(),))  # (nothing to prune yet)
                db.execute("COMMIT")
            finally:
                db.close()
            os.chmod(tmp, 0o644)
            try:
                os.link(tmp, self.path)
            except FileExistsError:
                pass
        finally:
            try:
                os.unlink(tmp)
            except OSError:
                pass

    def _unusable_path(self) -> str:
        """Why the database's path cannot hold this database ("" when it can, or is free)."""
        for p in (self.folder, *self.folder.parents):
            if p.exists():
                if not p.is_dir():
                    return "a file where the cache's folder should be"
                break
        try:
            st = os.stat(self.path)
        except FileNotFoundError:
            return "" if not os.path.islink(self.path) else "a broken link"
        except OSError as exc:
            return f"cannot be read ({exc.strerror or exc})"
        if not stat.S_ISREG(st.st_mode) or os.path.islink(self.path):
            return "not a regular file"
        if st.st_size == 0:  # (SQLite would take it for a new database: this one never leaves it empty)
            return "an empty file"
        return ""

    def _execute(self, sql: str, args=()) -> None:
        try:
            self._db.execute(sql, args)
        except self._sqlite.DatabaseError as exc:
            self._broken(exc)

    def _broken(self, exc) -> None:
        """SQLite found the database damaged (or could not use it): noted and removed; the next
        use makes a new one."""
        if self._db is not None:
            try:
                self._db.close()
            except Exception:
                pass
        self._db = None
        words = str(exc)
        if isinstance(exc, self._sqlite.OperationalError):
            if "locked" in words:
                return  # (another build held it too long: not damage; the next use retries)
            if "full" in words or "readonly" in words or "unable to open" in words or "disk I/O" in words:
                _cache.note_unwritable(self.path, words)  # (a full or read-only disk: not the file's fault)
                return
        _cache.damaged(self.path, f"SQLite: {words}")

    def _prune(self, db) -> None:
        """Within a flush's transaction: entries unread for KEEP_DAYS go, at most every
        PRUNE_EVERY seconds."""
        now = time.time()
        row = db.execute("SELECT value FROM meta WHERE key = 'pruned'").fetchone()
        if row is not None and 0 <= now - float(row[0]) < _cache.PRUNE_EVERY:
            return
        db.execute("DELETE FROM entries WHERE used < ?", (_today() - int(_cache.KEEP_DAYS),))
        db.execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('pruned', ?)", (now,))
        db.execute("PRAGMA incremental_vacuum")


class RecordStore:
    """The paragraph memo's JSON records by (digest, suffix) in ``folder/records.sqlite``:
    ``read`` and ``write`` as :func:`layout.text.memo.use_store` asks, ``flush`` to write the
    records held (one transaction a build)."""

    #: in every record's name, so records of an earlier format are never read (they are pruned
    #: as they age); 3: in SQLite
    FORMAT = 3

    def __init__(self, folder: Path):
        self.folder = Path(folder)
        self.db = SealedDatabase(self.folder / "records.sqlite")

    def read(self, digest: str, suffix: str):
        raw = self.db.get(f"{digest}.{self.FORMAT}{suffix}")
        if raw is None:
            return None
        try:
            return _json.decode(raw)
        except msgspec.DecodeError:  # (a record with NaN or infinity, written by the json module)
            pass
        try:
            return json.loads(raw.decode("utf-8"))
        except ValueError:  # (sealed, so written so: a bug, not damage; rebuilt all the same)
            return None

    def write(self, digest: str, suffix: str, data) -> None:
        """Hold the record as JSON (msgspec's encoder: a fifth of the json module's time, ~2 % of
        an edition's). msgspec writes NaN and infinities as null, and a record may hold None of
        its own: a record with a null is written by the json module, which keeps them apart."""
        raw = _json.encode(data)
        if b"null" in raw:
            raw = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        self.db.hold(f"{digest}.{self.FORMAT}{suffix}", raw)

    def flush(self) -> int:
        return self.db.flush()


class BlobStore:
    """Sealed bytes by name in ``folder/NAME.sqlite``, written at once: the composed parts of
    pages (:func:`layout.compose.page.use_store`) and the font subsets
    (:mod:`layout.render.embed`)."""

    def __init__(self, folder: Path, name: str):
        self.folder = Path(folder)
        self.db = SealedDatabase(self.folder / f"{name}.sqlite")

    def read(self, name: str) -> bytes | None:
        return self.db.get(name)

    def write(self, name: str, data: bytes) -> None:
        self.db.put(name, data)


class SubsetStore(BlobStore):
    """Finished font subsets by digest (:mod:`layout.render.embed`), in ``folder/subsets.sqlite``."""

    def __init__(self, folder: Path):
        super().__init__(folder, "subsets")


#: the stores of this process by (kind, folder): a rebuild in process (``watch``, ``serve``, an
#: edition's worker) keeps its connections (opening one costs ~1 ms)
_OPEN: dict = {}


def store_for(kind: type, folder: Path):
    """The process's store of class ``kind`` (:class:`RecordStore`, :class:`SubsetStore`,
    :class:`layout.partstore.PartStore`: made from a folder) for ``folder``."""
    key = (kind, str(folder))
    store = _OPEN.get(key)
    if store is None:
        if len(_OPEN) >= 32:
            _OPEN.clear()
        store = _OPEN[key] = kind(Path(folder))
    return store
