"""Paragraphs composed once per text, measure, style and face: the rebuild loop's shortcut.

A night editor's `watch` rebuilds the page after every save, and a save changes one paragraph
of thirty; copyfit and automatic layout compose the same paragraphs at a few trial widths; a
fresh `broadsheet build` of an unchanged page composes every paragraph it composed last time.
Line breaking is a pure function of (text, measure, style, face, composer code), so its result
is kept:

* in memory, handed out again as a fresh list of the same frozen lines (``LIMIT`` paragraphs,
  oldest dropped first), with the audit of those lines;
* in a store the build hands over (:func:`use_store`; ``layout.records.RecordStore``: one small
  JSON record per paragraph under a digest of the key, in one SQLite database, written once per
  build by :func:`flush`), so a new process skips composition of
  every paragraph it has seen. This module never touches a file itself: composition stays a
  pure function, and where records live is the build's business. The key includes a digest of
  the composer's own source files, so a changed composer never reads old lines.

Faces without a stable ``key`` (test doubles) are never memoised.
"""

from __future__ import annotations

import hashlib
from collections import OrderedDict
from pathlib import Path

LIMIT = 4096

_lines: OrderedDict = OrderedDict()
_audits: OrderedDict = OrderedDict()
_values: OrderedDict = OrderedDict()  # remembered(): key -> a JSON value
_handed: dict[int, tuple[str, tuple]] = {}  # id(first line) -> (disk digest, the lines), for audits
_store = None  # where records outlive the process: read(digest, suffix), write(digest, suffix, data)
_code: str | None = None


def use_store(store) -> None:
    """Keep composed paragraphs in ``store`` too (None: memory only); what the store it replaces
    holds is written first."""
    global _store
    if _store is not None and _store is not store:
        flush()
    _store = store


def flush() -> None:
    """Have the store write the records it holds (a build calls this when it has composed)."""
    if _store is not None and hasattr(_store, "flush"):
        _store.flush()


def _code_version() -> str:
    """Digest of everything a composition depends on besides its key: the composer's source
    (layout/text/*.py), the font metrics readers, and the installed pyphen and rjieba (their
    hyphenation and word dictionaries), each by name, size and modification time (as Python's
    bytecode cache judges a module; reading the sources cost ~5 ms a build). Old lines die
    with old code."""
    global _code
    if _code is None:
        import importlib.util

        here = Path(__file__).parent
        h = hashlib.sha1()
        files = sorted(here.glob("*.py")) + [here.parent / "fonts" / "metrics.py", here.parent / "fonts" / "table.py"]
        spec = importlib.util.find_spec("pyphen")
        if spec is not None and spec.origin:  # its version, without importing it
            folder = Path(spec.origin).parent
            files += [f for f in (Path(spec.origin), folder / "dictionaries") if f.exists()]
        spec = importlib.util.find_spec("rjieba")  # (its dictionary: heads' word boundaries)
        if spec is not None and spec.origin:
            files += sorted(Path(spec.origin).parent.glob("*.so"))
        for f in files:
            st = f.stat()
            h.update(f"{f.name}:{st.st_size}:{st.st_mtime_ns}\n".encode())
        _code = h.hexdigest()[:16]
    return _code


def _remember(memo: OrderedDict, key, value) -> None:
    memo[key] = value
    if len(memo) > LIMIT:
        memo.popitem(last=False)


def _to_json(lines) -> list:
    return [[ln.text, ln.xs, ln.widths, ln.width, ln.last, ln.hang, ln.added_hyphen, ln.units, ln.spaced,
             ln.scale] for ln in lines]


def _from_json(rows) -> tuple:
    from .api import SetLine

    return tuple(SetLine(text=r[0], xs=tuple(r[1]), widths=tuple(r[2]), width=r[3], last=r[4], hang=r[5],
                         added_hyphen=r[6], units=tuple(r[7]), spaced=r[8], scale=r[9]) for r in rows)


def composed(key, make):
    """``make()`` for ``key`` (a hashable tuple or None: no memo), once."""
    if key is None:
        return make()
    hit = _lines.get(key)
    if hit is not None:
        _lines.move_to_end(key)
        return list(hit)
    digest = None
    store = _store
    if store is not None:
        digest = hashlib.sha1(repr((_code_version(),) + key).encode("utf-8", "surrogatepass")).hexdigest()
        rows = store.read(digest, ".lines")
        if isinstance(rows, list):
            try:
                hit = _from_json(rows)
            except (TypeError, IndexError, ValueError):
                hit = None
    if hit is None:
        hit = tuple(make())
        if digest is not None:
            store.write(digest, ".lines", _to_json(hit))
    _remember(_lines, key, hit)
    if digest is not None and hit:
        _handed[id(hit[0])] = (digest, hit)
        if len(_handed) > LIMIT:
            _handed.pop(next(iter(_handed)))
    return list(hit)


def composed_audited(key, make, audit_key, make_audit) -> tuple[list, dict]:
    """``(make(), make_audit(lines))`` for ``key``, once: a paragraph composed and audited at
    once is one record (``.para``: its lines and their audit) in the store, not two files."""
    if key is None or audit_key is None:
        lines = make()
        return lines, make_audit(list(lines))
    hit = _lines.get(key)
    if hit is not None:
        _lines.move_to_end(key)
        lines = list(hit)
        return lines, audited(lines, audit_key, lambda: make_audit(list(lines)))
    store = _store
    digest = None
    result = None
    if store is not None:
        digest = hashlib.sha1(repr((_code_version(),) + key).encode("utf-8", "surrogatepass")).hexdigest()
        rec = store.read(digest, ".para")
        if isinstance(rec, dict) and isinstance(rec.get("audit"), dict):
            try:
                hit = _from_json(rec["lines"])
                result = rec["audit"]
            except (TypeError, IndexError, ValueError, KeyError):
                hit = None
    if hit is None:
        hit = tuple(make())
        result = make_audit(list(hit))
        if digest is not None:
            store.write(digest, ".para", {"lines": _to_json(hit), "audit": result})
    _remember(_lines, key, hit)
    if digest is not None and hit:
        _handed[id(hit[0])] = (digest, hit)
        if len(_handed) > LIMIT:
            _handed.pop(next(iter(_handed)))
    if hit:
        _remember(_audits, tuple(map(id, hit)) + audit_key, (hit, result))  # (held, so the ids stay theirs)
    return list(hit), dict(result)


def remembered(suffix: str, key: tuple, make):
    """``make()`` for ``key``, once: a small JSON value (a string, numbers, lists) kept in
    memory and in the store under ``suffix`` (e.g. a head's word boundaries, ``.words``)."""
    hit = _values.get(key)
    if hit is not None:
        _values.move_to_end(key)
        return hit
    store = _store
    digest = None
    if store is not None:
        digest = hashlib.sha1(repr((_code_version(),) + key).encode("utf-8", "surrogatepass")).hexdigest()
        hit = store.read(digest, suffix)
    if hit is None:
        hit = make()
        if digest is not None:
            store.write(digest, suffix, hit)
    _remember(_values, key, hit)
    return hit


def audited(lines: list, key, make):
    """``make()`` for an audit of ``lines`` under ``key``; memoised only when the lines are the
    very objects a memoised composition returned (so equal keys mean equal lines)."""
    if key is None or not lines:
        return make()
    full = tuple(map(id, lines)) + key
    hit = _audits.get(full)
    if hit is not None and all(a is b for a, b in zip(hit[0], lines)):
        return dict(hit[1])
    handed = _handed.get(id(lines[0]))
    digest = None
    store = _store
    if store is not None and handed is not None and len(handed[1]) == len(lines) and all(
            a is b for a, b in zip(handed[1], lines)):
        digest = hashlib.sha1(repr((handed[0],) + key).encode("utf-8", "surrogatepass")).hexdigest()
        result = store.read(digest, ".audit")
        if isinstance(result, dict):
            _remember(_audits, full, (tuple(lines), result))
            return dict(result)
    result = make()
    if digest is not None:
        store.write(digest, ".audit", result)
    _remember(_audits, full, (tuple(lines), result))  # held, so the ids stay theirs
    return dict(result)


def metrics_key(metrics) -> str | None:
    key = getattr(metrics, "key", None)
    return key if isinstance(key, str) else None


def size() -> int:
    """How many paragraphs memory holds."""
    return len(_lines)


def clear() -> None:
    """Forget what memory holds (the folder stays)."""
    _lines.clear()
    _audits.clear()
    _values.clear()
    _handed.clear()
