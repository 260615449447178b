"""Where the paragraph memo's records outlive the process: one SQLite database per cache folder.

:mod:`layout.text.memo` keeps each composed paragraph (its lines and their audit) as a small
JSON record named by a digest of everything the lines depend on. They used to be one file each;
on an ordinary ext4 disk creating a file (create, write, rename) costs about a millisecond, and an
edition of 24 new pages composes some 700 paragraphs: 0.7 s of system time, a third of the
edition's build. SQLite (in Python's standard library) writes a build's new records in one
transaction (~20 ms for 700) and reads one in ~40 µs, and its file locks let the edition's
worker processes share one database.

What the file store promised still holds:

* every record is sealed (:func:`layout.cache.seal`: its length and the sha256 of its name and
  payload), so a record that fails its check is a miss, deleted and noted (``cache-damaged``),
  never lines set from the wrong text;
* a database SQLite cannot read (cut short, overwritten by another file, a folder, FIFO or
  device in its place) is removed, noted and started afresh; if that fails too, the build goes
  on with the memo in memory only: a cache only saves time;
* records nobody read for :data:`layout.cache.KEEP_DAYS` are pruned, at most once every
  :data:`layout.cache.PRUNE_EVERY` across processes.

Writes are buffered: :meth:`RecordStore.write` holds a record in memory until
:meth:`RecordStore.flush` (the build calls it once composition is done; replacing the memo's
store flushes the old one), so a build is one transaction. The database never journals to disk
(``journal_mode=MEMORY``, ``synchronous=OFF``): a machine that dies mid-commit may leave it
damaged, which the next reader notices as above.
"""

from __future__ import annotations

import json
import os
import stat
import time
from pathlib import Path

from layout import cache as _cache

#: the database's file name in the memo's folder
NAME = "records.sqlite"


def _today() -> int:
    return int(time.time() // 86400)


class RecordStore:
    """Sealed JSON records by (digest, suffix) in ``folder/records.sqlite``: ``read`` and
    ``write`` as the paragraph memo asks (:func:`layout.text.memo.use_store`), ``flush`` to
    write what is held."""

    #: in every record's name, so records of an earlier format are never read (they are pruned
    #: as they age); 3: in SQLite
    FORMAT = 3

    def __init__(self, folder: Path):
        self.folder = Path(folder)
        self.path = self.folder / NAME
        self._db = None
        self._pid = 0
        self._off = False  # (the database could not be used: memory only, for this store's life)
        self._pending: dict[str, bytes] = {}
        self._used: set[str] = set()

    # -- the memo's side --------------------------------------------------------------------

    def read(self, digest: str, suffix: str):
        """The record's data, or None (missing, damaged, or no database)."""
        name = f"{digest}.{self.FORMAT}{suffix}"
        held = self._pending.get(name)
        if held is not None:
            return json.loads(held)
        db = self._connect()
        if db is None:
            return None
        try:
            row = db.execute("SELECT body, used FROM records WHERE name = ?", (name,)).fetchone()
        except self._sqlite.DatabaseError as exc:
            self._broken(exc)
            return None
        if row is None:
            return None
        payload, why = _cache.unseal(name, bytes(row[0]))
        if payload is None:
            _cache.note_damaged(self.path, f"record {name}: {why or 'an earlier format'}")
            self._execute("DELETE FROM records WHERE name = ?", (name,))
            return None
        if row[1] < _today():
            self._used.add(name)
        try:
            return json.loads(payload.decode("utf-8"))
        except ValueError:  # (sealed, so written so: a bug, not damage; rebuilt all the same)
            return None

    def write(self, digest: str, suffix: str, data) -> None:
        """Hold the record until :meth:`flush`."""
        name = f"{digest}.{self.FORMAT}{suffix}"
        self._pending[name] = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")

    def flush(self) -> int:
        """Write the records held (one transaction), mark the ones read as used today, and prune
        now and then. Returns how many records were written."""
        if os.getpid() != self._pid and self._pid:  # (held by the process this one was forked from)
            self._pending.clear()
            self._used.clear()
        if not self._pending and not self._used:
            return 0
        db = self._connect()
        pending, used = self._pending, self._used
        self._pending, self._used = {}, set()
        if db is None:
            return 0
        today = _today()
        rows = [(name, _cache.seal(name, payload), today) for name, payload in sorted(pending.items())]
        try:
            db.execute("BEGIN IMMEDIATE")
            try:
                db.executemany("INSERT OR REPLACE INTO records (name, body, used) VALUES (?, ?, ?)", rows)
                if used:
                    db.executemany("UPDATE records SET used = ? WHERE name = ?", [(today, n) for n in sorted(used)])
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
        if self._off:
            return None
        if self._db is not None and self._pid == os.getpid():
            return self._db
        self._db = None  # (a connection is never used across a fork)
        sqlite3 = self._sqlite
        for attempt in (1, 2):
            why = self._unusable_path()
            if why:
                _cache.damaged(self.path, why)  # (removes what stands there)
                continue
            try:
                self.folder.mkdir(parents=True, exist_ok=True)
                db = sqlite3.connect(self.path, timeout=30, isolation_level=None, check_same_thread=False)
                try:
                    db.execute("PRAGMA journal_mode = MEMORY")
                    db.execute("PRAGMA synchronous = OFF")
                    if not db.execute("SELECT 1 FROM sqlite_master WHERE name = 'records'").fetchone():
                        db.execute("PRAGMA auto_vacuum = INCREMENTAL")  # (before the first table)
                        db.execute("CREATE TABLE IF NOT EXISTS records (name TEXT PRIMARY KEY, body BLOB NOT NULL,"
                                   " used INTEGER NOT NULL) WITHOUT ROWID")
                        db.execute("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value) WITHOUT ROWID")
                except BaseException:
                    db.close()
                    raise
            except sqlite3.DatabaseError as exc:
                if attempt == 2 or not self.path.exists():  # (not the file's fault: a folder we cannot write)
                    break
                _cache.damaged(self.path, f"SQLite: {exc}")
                continue
            except OSError:
                break
            self._db, self._pid = db, os.getpid()
            return db
        self._off = True
        return None

    def _unusable_path(self) -> str:
        """Why the database's path cannot hold a database ("" when it can, or is free)."""
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
        return ""

    def _execute(self, sql: str, args=()) -> None:
        try:
            self._db.execute(sql, args)
        except self._sqlite.DatabaseError as exc:
            self._broken(exc)

    def _broken(self, exc) -> None:
        """SQLite found the database damaged (or could not use it): noted, removed, and this
        store's records kept in memory only from now on."""
        if self._db is not None:
            try:
                self._db.close()
            except Exception:
                pass
        self._db = None
        if isinstance(exc, self._sqlite.OperationalError) and "locked" in str(exc):
            return  # (another build held it too long: not damage; the next connection retries)
        _cache.damaged(self.path, f"SQLite: {exc}")

    def _prune(self, db) -> None:
        """Within the flush's transaction: records unread for KEEP_DAYS go, at most every
        PRUNE_EVERY seconds (the time of the last pass is in the database)."""
        now = time.time()
        row = db.execute("SELECT value FROM meta WHERE key = 'pruned'").fetchone()
        if row is not None and 0 <= now - float(row[0]) < _cache.PRUNE_EVERY:
            return
        db.execute("DELETE FROM records WHERE used < ?", (_today() - int(_cache.KEEP_DAYS),))
        db.execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('pruned', ?)", (now,))
        db.execute("PRAGMA incremental_vacuum")
