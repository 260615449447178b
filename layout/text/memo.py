"""Paragraphs composed once per text, measure, style and face: the rebuild loop's shortcut.

A night editor's `watch` rebuilds the page after every save, and a save changes one paragraph
of thirty; copyfit and automatic layout compose the same paragraphs at a few trial widths. Line
breaking is a pure function of (text, measure, style, face), so its result is kept here and
handed out again (a fresh list of the same frozen lines) while the face file is unchanged.

Faces without a stable ``key`` (test doubles) are never memoised. The memo is bounded: the
oldest entries go first once it holds ``LIMIT`` paragraphs.
"""

from __future__ import annotations

from collections import OrderedDict

LIMIT = 4096

_lines: OrderedDict = OrderedDict()
_audits: OrderedDict = OrderedDict()


def _remember(memo: OrderedDict, key, value) -> None:
    memo[key] = value
    if len(memo) > LIMIT:
        memo.popitem(last=False)


def composed(key, make):
    """``make()`` for ``key`` (a hashable tuple or None: no memo), once."""
    if key is None:
        return make()
    hit = _lines.get(key)
    if hit is None:
        hit = tuple(make())
        _remember(_lines, key, hit)
    else:
        _lines.move_to_end(key)
    return list(hit)


def audited(lines: list, key, make):
    """``make()`` for an audit of ``lines`` under ``key``; memoised only when the lines are the
    very objects a memoised composition returned (so equal keys mean equal lines)."""
    if key is None or not lines:
        return make()
    full = tuple(map(id, lines)) + key
    hit = _audits.get(full)
    if hit is not None and all(a is b for a, b in zip(hit[0], lines)):
        return dict(hit[1])
    result = make()
    _remember(_audits, full, (tuple(lines), result))  # held, so the ids stay theirs
    return dict(result)


def metrics_key(metrics) -> str | None:
    key = getattr(metrics, "key", None)
    return key if isinstance(key, str) else None


def clear() -> None:
    _lines.clear()
    _audits.clear()
