"""Punctuation compression (clreq 3.1.6 / 3.2): which blank half of each full-width mark goes.

GB style puts the ink of 。，、；：？！ and of closing brackets/quotes in the *left* half of the
em box, and the ink of opening brackets/quotes in the *right* half. A mark's other half is
blank and is what compression removes:

* two adjacent marks (”。 ），  。“  ）（ ...) together take ``style.adjacent_punct`` em
  (1.5, or 1 in tight styles): the blank halves between them go first, then outer ones, and
  the pair is not squeezed further mid-line (so boxes never reach past one removed half);
* a mark at line end loses its right blank (set half-width, so the line ends flush) unless the
  line would have to be spread: then it keeps what the line needs of it, up to its full box
  (``Atom.rshr`` plus a pair's ``rfix``; the breaker applies this per break);
* an opening mark at a line start keeps its box or loses its left half, always the same, by
  ``ParagraphStyle.open_at_start`` (compose applies this per break: never squeezed there);
* any remaining blank half may be squeezed mid-line when the breaker pushes a character in, in
  the order of :data:`rules_zh.SQUEEZE_TIERS` (brackets, then 、，；：, then 。？！ last).

Marks the face sets narrower than :data:`rules_zh.FULL_WIDTH_MIN` em are proportional glyphs
with no blank half: they are never compressed.
"""

from __future__ import annotations

from . import rules_zh as R
from .units import Atom, Gap


def blanks(atoms: list[Atom]) -> None:
    """Give each full-width mark its removable blank half (``lshr`` or ``rshr``)."""
    for a in atoms:
        if a.cls in R.COMPRESSIBLE and a.adv >= R.FULL_WIDTH_MIN:
            half = a.adv / 2.0
            a.mark = True
            if a.cls == "open":
                a.lshr = half
            else:
                a.rshr = half


def compress_adjacent(atoms: list[Atom], gaps: list[Gap], adjacent: float) -> None:
    """Make every pair of touching full-width marks take ``adjacent`` em (times their size).

    ``adjacent`` is given for two 1-em marks; with other advances it scales. Blank halves are
    taken in the order: first's right, second's left, first's left, second's right.
    """
    for k in range(len(atoms) - 1):
        a, b = atoms[k], atoms[k + 1]
        if not (a.mark and b.mark) or gaps[k].has_space:
            continue
        target = adjacent * (a.adv + b.adv) / 2.0
        need = a.width + b.width - target
        if need <= 1e-9:
            continue
        for atom, side in ((a, "r"), (b, "l"), (a, "l"), (b, "r")):
            if need <= 1e-9:
                break
            avail = atom.rshr if side == "r" else atom.lshr
            take = min(avail, need)
            if take <= 0:
                continue
            if side == "r":
                atom.rshr -= take
                atom.rfix += take
            else:
                atom.lshr -= take
                atom.lfix += take
            need -= take
        # the pair now takes exactly ``adjacent`` em: what blank is left between the two inks
        # (”“ keeps “'s left half at 1.5) is not squeezed further mid-line
        if a.rfix:
            b.lshr = 0.0
        if b.lfix:
            a.rshr = 0.0


def cap_open_blanks(atoms: list[Atom], gaps: list[Gap]) -> None:
    """Keep ``xs`` non-decreasing: an opening mark may lose no more of its left blank than the
    glyph before it is wide (at its narrowest), and none after a space.

    Its box is drawn ``removed`` em left of its slot, so after a narrow glyph (``i“``, ``·（``)
    or a thin space it would otherwise start before the previous glyph's box. At a line start
    nothing precedes it, but a blank kept for that case only is a small loss.
    """
    for k in range(1, len(atoms)):
        a = atoms[k]
        if not a.lshr:
            continue
        if gaps[k - 1].has_space:
            a.lshr = 0.0
            continue
        prev = atoms[k - 1]
        narrowest = prev.advs[-1]
        if len(prev.advs) == 1:
            narrowest -= prev.lshr + prev.rshr + prev.lfix + prev.rfix
        a.lshr = max(0.0, min(a.lshr, narrowest))
