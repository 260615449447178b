"""The composer's front door: a paragraph's set lines and their audit, from the memo when it
has them, and from the composer only on a miss.

A rebuild finds nearly every paragraph in the memo (:mod:`layout.text.memo`), so this module
loads the composer (segmentation, the breaker, the Latin composer, glyph placement) and the
auditor only when a paragraph is new: a process that builds an unchanged page never imports
them.
"""

from __future__ import annotations

from typing import Iterable

from . import memo
from .api import Metrics, ParagraphStyle, SetLine


def compose_paragraph(text: str, measure: float, style: ParagraphStyle, metrics: Metrics) -> list[SetLine]:
    """Break and set one paragraph at ``measure`` pt (see :func:`layout.text.compose.compose_uncached`);
    memoised per (text, measure, style, face file). No lines for empty or blank text."""
    face = memo.metrics_key(metrics)
    key = None if face is None else (text, measure, style, face)
    return memo.composed(key, lambda: _composer()(text, measure, style, metrics))


def compose_audited(text: str, measure: float, style: ParagraphStyle, metrics: Metrics) -> tuple[list[SetLine], dict]:
    """:func:`compose_paragraph` and :func:`audit_lines` of its lines, memoised together (one
    record in the store for both)."""
    face = memo.metrics_key(metrics)
    key = None if face is None else (text, measure, style, face)
    return memo.composed_audited(key, lambda: _composer()(text, measure, style, metrics),
                                 None if face is None else (measure, style, face),
                                 lambda lines: _auditor()(lines, measure, style, metrics))


def audit_lines(lines: Iterable[SetLine], measure: float, style: ParagraphStyle, metrics: Metrics | None = None) -> dict:
    """Count typographic faults in ``lines`` (see :mod:`layout.text.audit`); memoised for lines
    that come from the paragraph memo."""
    lines = list(lines)
    face = memo.metrics_key(metrics)
    key = None if face is None else (measure, style, face)
    return memo.audited(lines, key, lambda: _auditor()(lines, measure, style, metrics))


def _composer():
    from .compose import compose_uncached

    return compose_uncached


def _auditor():
    from .audit import audit_uncached

    return audit_uncached
