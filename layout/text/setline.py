"""Placing the glyphs of one chosen line: compression, justification, alignment.

Conventions of :class:`~layout.text.api.SetLine` as this module fills them (all in pt, from the
line's start):

* ``xs[i]`` is where the *full em box* of ``text[i]`` is drawn and ``widths[i]`` its set width.
  For a mark whose right blank half was removed (closing marks and stops: ink in the left half)
  the box simply extends past the set width over blank space. For an *opening* mark whose left
  blank was removed by ``d`` the box is drawn at ``slot start - d``, so its ink (right half)
  lands in the slot it was given: the box overlaps the previous slot only with blank space. So
  ``xs`` never decrease, and ink never overlaps.
* The first line's ``xs`` start at the indent (``style.indent * size``): the indent is leading
  space, not a character (an indented paragraph's first mark keeps its full box). On other
  lines an opening mark whose left blank was removed has ``xs[0]`` below 0.
* White space inside a line is kept in ``text`` with its glue width shared among the spaces;
  white space at a break belongs to no line.
* ``width`` is the right edge of the last glyph's set width: the measure for a justified line;
  a hanging mark (``style.hanging``) sits after the measure and ``hang`` says how far it reaches.

Justification: a line too long is pushed in tier by tier (:data:`rules_zh.SQUEEZE_TIERS`): the
Han–Latin and word spaces first, then the blank halves of brackets and quotes, then those of
、，；：, and the full stops 。？！ last; each tier by one ratio over the line, so the spaces on the
two sides of a Latin word lose the same. A line too short first lets a mark at its end keep its
blank right half (the full-width end, when that meets the measure), then stretches (gaps between
characters, Latin word spaces and Han–Latin spaces, all with the same share). An opening mark
starting a line is set as ``style.open_at_start`` says, never squeezed. Latin letters
are never spaced apart: a justified line with no stretchable gap at all is spread, as a last
resort, at the gaps beside its CJK boxes (marks that would hug), and a line of a lone Latin word
or address piece is set flush left; the breaker avoids both at the cost of an emergency break
(:data:`compose.UNSTRETCHABLE`) and the report names them. A Latin word broken at a hyphenation point
ends its line with an added hyphen (``added_hyphen``).
"""

from __future__ import annotations

from . import rules_zh as R
from .api import ParagraphStyle, SetLine
from .breaker import EPS, Line
from .units import Atom


def start_removal(atom: Atom, style: ParagraphStyle) -> float | None:
    """How much of its left an atom starting a line loses (em), or None when the ordinary rules
    apply: an opening mark keeps its box (``open_at_start`` "full") or loses its blank half
    ("half"), whatever the line needs."""
    if atom.mark and atom.cls == "open":
        return atom.adv / 2.0 if style.open_at_start == "half" else 0.0
    return None


def set_line(
    text: str,
    plan,  # compose.Plan (not imported: avoids a cycle)
    line: Line,
    *,
    first: bool,
    last: bool,
    measure: float,
    style: ParagraphStyle,
) -> SetLine:

    size = style.size
    atoms, gaps = plan.atoms, plan.gaps
    g_nat, g_st, g_sh = plan.glue
    p = plan.problem
    a0 = p.bp_start[line.start_bp] // 2
    a1 = (p.bp_end[line.end_bp] - 1) // 2
    hanging = plan.bp_hang[line.end_bp]
    if style.align == "justify":
        align = style.last_line if last else "justify"
    else:
        align = style.align
    start_rem = start_removal(atoms[a0], style)

    nat, st = line.natural, line.stretch
    diff = measure - nat
    r = 0.0
    spread = 0.0  # the last resort's opening of each gap beside a CJK box
    offset = 0.0
    keep_end = 0.0  # blank (em) the mark ending the line keeps
    squeeze = [0.0, 0.0, 0.0, 0.0]  # ratio of each squeeze tier
    if diff < -EPS:
        squeeze = _squeeze(text, plan, a0, a1, hanging, start_rem is not None, -diff, size)
    elif diff > EPS:
        if align == "justify":
            if line.free > EPS:
                keep = min(line.free, diff)
                keep_end = keep / size
                diff -= keep
            if diff <= EPS:
                pass
            elif st > EPS:
                r = diff / st
            else:
                # nothing may open by the rules (marks that hug, a lone word): the last resort
                # spreads the gaps beside CJK boxes; Latin letters never open, so a line of
                # Latin alone is set flush left (the breaker avoids both; the report names them)
                count = sum(1 for k in range(a0, a1) if not _latin_pair(atoms[k], atoms[k + 1], gaps[k])
                            and not (hanging and k == a1 - 1))
                if count:
                    spread = diff / count
        elif align == "center":
            offset = diff / 2.0
        elif align == "right":
            offset = diff

    x = (style.indent * size if first else 0.0) + offset
    xs: list[float] = []
    ws: list[float] = []
    space_ratio = squeeze[0]
    for k in range(a0, a1 + 1):
        atom = atoms[k]
        end_here = k == a1
        if len(atom.advs) == 1:
            q = squeeze[_tier(text, atom)] if atom.mark else 0.0
            if k == a0 and start_rem is not None:
                lrem = start_rem
            else:
                lrem = atom.lfix + q * atom.lshr
            if end_here:
                rrem = atom.rfix + atom.rshr - keep_end
            else:
                rrem = atom.rfix + q * atom.rshr
            w = (atom.adv - lrem - rrem) * size
            xs.append(x - lrem * size)
            ws.append(w)
            x += w
        else:
            for adv in atom.advs:  # a word, a —— or ……: never opened up
                xs.append(x)
                ws.append(adv * size)
                x += adv * size
        if not end_here:
            gw = g_nat[k] + (r * g_st[k] if r > 0 else -space_ratio * g_sh[k])
            if spread and not _latin_pair(atom, atoms[k + 1], gaps[k]) and not (hanging and k == a1 - 1):
                gw += spread
            gap = gaps[k]
            n_sp = gap.end - gap.start
            for i in range(n_sp):
                xs.append(x + gw * i / n_sp)
                ws.append(gw / n_sp)
            x += gw

    hang = 0.0
    if hanging:
        hang = max(0.0, x - measure)
    line_start = atoms[a0].start
    body = text[line_start : atoms[a1].end]
    hyphen = plan.bp_hyphen[line.end_bp]
    if hyphen:  # a Latin word broken at a hyphenation point: the hyphen the composer adds
        w = plan.hyphen_w
        xs.append(x)
        ws.append(w)
        x += w
        body += "-"
    # a Latin word cut into pieces (letters of a split word) was measured piece by piece
    units = tuple(atoms[k + 1].start - line_start for k in range(a0, a1)
                  if atoms[k].cls == "latin" and atoms[k + 1].cls == "latin" and not gaps[k].has_space)
    if hyphen:
        units += (len(body) - 1,)
    return SetLine(
        text=body,
        xs=tuple(xs),
        widths=tuple(ws),
        width=x,
        last=last,
        hang=hang,
        units=units,
        spaced=bool(style.tracking),
        added_hyphen=hyphen,
    )


def _latin_pair(a: Atom, b: Atom, gap) -> bool:
    """Two pieces of one Latin word (nothing between them): a gap that never opens."""
    return a.cls == "latin" and b.cls == "latin" and not gap.has_space


def _tier(text: str, atom) -> int:
    return R.squeeze_tier(atom.cls, text[atom.start])


def _squeeze(text: str, plan, a0: int, a1: int, hanging: bool, fixed_start: bool, need: float,
             size: float) -> list[float]:
    """Ratios of the squeeze tiers that take ``need`` pt out of the line, in tier order."""
    atoms, gaps = plan.atoms, plan.gaps
    g_sh = plan.glue[2]
    caps = [0.0, 0.0, 0.0, 0.0]
    for k in range(a0, a1 + 1):
        atom = atoms[k]
        if atom.mark:
            t = _tier(text, atom)
            if atom.lshr and not (k == a0 and fixed_start):
                caps[t] += atom.lshr * size
            if atom.rshr and k != a1:
                caps[t] += atom.rshr * size
        if k < a1 and not (hanging and k == a1 - 1):
            caps[0] += g_sh[k]
    ratios = [0.0, 0.0, 0.0, 0.0]
    for t in range(4):
        if need <= EPS:
            break
        if caps[t] > EPS:
            take = min(need, caps[t])
            ratios[t] = take / caps[t]
            need -= take
    return ratios
