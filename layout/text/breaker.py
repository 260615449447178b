"""A total-fit line breaker (Knuth–Plass dynamic programming) that knows nothing of any language.

The paragraph arrives as cumulative sums over a sequence of items (boxes and glue): natural
width, stretch and shrink at every item boundary. A *breakpoint* says where a line ending there
stops (``end``, a boundary), where the next line starts (``start``), how the ending line's width
and shrink change (``end_width``/``end_shrink``: e.g. a mark set half-width at line end, or a
hanging mark left out of the measure), how much the starting line gains (``start_width``: the
first-line indent) and what the break costs (``penalty``). Breakpoint 0 is the paragraph start
and the last breakpoint its end; ``last_cost[i]`` is charged when the last line starts at
breakpoint ``i`` (the language's 孤字 rule).

Demerits are lexicographic in effect, by magnitudes: an overfull line costs more than any number
of emergency breaks (``penalty``), which cost more than a bad last line, which costs more than
all ordinary demerits ((line penalty + badness)², badness = 100·|ratio|³, capped).

The search is bounded: a predecessor is dropped for good once the line from it cannot shrink to
the measure, and predecessors giving lines looser than ``max_ratio`` are not tried unless
nothing else is feasible. Work is linear in paragraph length.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

LINE_PENALTY = 10.0
BADNESS_CAP = 1000.0
SHRINK_WEIGHT = 0.1  # compression (push in) is clreq's first resort: much cheaper than spreading
OVERFULL = 1e13
OVERFULL_PER_PT = 1e10
EPS = 1e-6
VIRTUAL_STRETCH = 0.05


@dataclass
class Problem:
    measure: float
    width: Sequence[float]  # cumulative natural width at item boundaries 0..N
    stretch: Sequence[float]
    shrink: Sequence[float]
    bp_end: Sequence[int]
    bp_start: Sequence[int]
    bp_end_width: Sequence[float]
    bp_end_shrink: Sequence[float]
    bp_start_width: Sequence[float]
    bp_penalty: Sequence[float]
    last_cost: Sequence[float]
    last_justified: bool = False  # is the last line stretched to the measure too?
    max_ratio: float = 2.0  # lines looser than this are tried only as a fallback
    slack: float = 0.0  # how much the end adjustments may shorten a line (>= 0), for pruning
    ragged: bool = False  # lines are not stretched: judge a short line by its gap to the measure


@dataclass
class Line:
    start_bp: int
    end_bp: int
    natural: float  # natural width (pt) with the break adjustments
    stretch: float
    shrink: float
    overfull: bool


@dataclass
class Result:
    lines: list[Line]
    overfull: bool
    demerits: float


def line_demerits(
    natural: float,
    stretch: float,
    shrink: float,
    measure: float,
    justify: bool,
    ragged: bool = False,
) -> tuple[float, bool]:
    """Demerits of one line and whether it is overfull.

    A line to be justified with nothing to stretch is judged against a virtual stretch of
    :data:`VIRTUAL_STRETCH` of the measure (it will be letter-spaced); a ragged line by its
    shortfall relative to the measure, quadratically (``ragged``).
    """
    diff = measure - natural
    if diff >= -EPS:
        if not justify or diff <= EPS:
            b = 0.0
        elif ragged:
            r = 2.0 * diff / measure
            b = min(100.0 * r * r, BADNESS_CAP)
        else:
            r = diff / (stretch if stretch > EPS else VIRTUAL_STRETCH * measure)
            b = min(100.0 * r * r * r, BADNESS_CAP)
        return (LINE_PENALTY + b) ** 2, False
    over = -diff - shrink
    if over > EPS:
        return OVERFULL + over * OVERFULL_PER_PT, True
    r = -diff / shrink
    b = SHRINK_WEIGHT * 100.0 * r * r * r
    return (LINE_PENALTY + b) ** 2, False


def break_lines(p: Problem) -> Result:
    """Choose breakpoints minimising total demerits; returns the lines in order."""
    W, S, K = p.width, p.stretch, p.shrink
    e_, s_ = p.bp_end, p.bp_start
    ew, es, sw, pen = p.bp_end_width, p.bp_end_shrink, p.bp_start_width, p.bp_penalty
    measure = p.measure
    m = len(e_)
    R = p.max_ratio
    ragged = p.ragged
    inf = float("inf")
    best = [inf] * m
    prev = [-1] * m
    best[0] = 0.0
    lo = 0  # first predecessor that may still fit
    hi = 0  # first predecessor whose line is too loose (too short) for the current break
    prune = measure + p.slack + EPS
    virtual = VIRTUAL_STRETCH * measure

    def cost(i: int, j: int, final: bool) -> float:
        s, e = s_[i], e_[j]
        nat = W[e] - W[s] + sw[i] + ew[j]
        st = S[e] - S[s]
        sh = K[e] - K[s] + es[j]
        d, _ = line_demerits(nat, st, sh, measure, p.last_justified or not final, ragged)
        d += pen[j]
        if final:
            d += p.last_cost[i]
        return best[i] + d

    for j in range(1, m):
        e = e_[j]
        final = j == m - 1
        minw_e = W[e] - K[e]
        while lo < j and minw_e - (W[s_[lo]] - K[s_[lo]]) + sw[lo] > prune:
            lo += 1
        maxw_e = W[e] + R * S[e]
        if hi < lo:
            hi = lo
        while hi < j and maxw_e - (W[s_[hi]] + R * S[s_[hi]]) + sw[hi] >= measure:
            hi += 1
        top = j if final else hi
        bd = inf
        bi = -1
        if lo >= top and lo < j:
            top = lo + 1  # keep at least one candidate: the loosest line that might fit
        if final or ragged:
            for i in range(lo, top):
                if s_[i] < e:
                    d = cost(i, j, final)
                    if d < bd:
                        bd, bi = d, i
        else:
            # line_demerits inlined for the common case (justified, not the last line)
            room = measure - W[e] - ew[j]
            Se, Ke, pj = S[e], K[e] + es[j], pen[j]
            for i in range(lo, top):
                s = s_[i]
                if s >= e:
                    continue
                diff = room + W[s] - sw[i]
                if diff >= -EPS:
                    if diff <= EPS:
                        b = 0.0
                    else:
                        st = Se - S[s]
                        r = diff / (st if st > EPS else virtual)
                        b = 100.0 * r * r * r
                        if b > BADNESS_CAP:
                            b = BADNESS_CAP
                else:
                    sh = Ke - K[s]
                    over = -diff - sh
                    if over > EPS:
                        d = best[i] + OVERFULL + over * OVERFULL_PER_PT + pj
                        if d < bd:
                            bd, bi = d, i
                        continue
                    r = -diff / sh
                    b = SHRINK_WEIGHT * 100.0 * r * r * r
                b += LINE_PENALTY
                d = best[i] + b * b + pj
                if d < bd:
                    bd, bi = d, i
        if bi < 0 or bd - best[bi] >= OVERFULL:
            # nothing fits among the usual candidates: try the loose ones, then the least
            # overfull one, then anything before
            for i in range(top, j):
                if s_[i] < e:
                    d = cost(i, j, final)
                    if d < bd:
                        bd, bi = d, i
            if bi < 0:
                i = min(lo, j) - 1
                while i >= 0 and not s_[i] < e:
                    i -= 1
                if i < 0:
                    continue
                bd, bi = cost(i, j, final), i
        best[j] = bd
        prev[j] = bi

    # walk back
    path = [m - 1]
    while path[-1] != 0:
        q = prev[path[-1]]
        if q < 0:
            break
        path.append(q)
    path.reverse()
    lines = []
    any_over = False
    for a, b in zip(path, path[1:]):
        s, e = s_[a], e_[b]
        nat = W[e] - W[s] + sw[a] + ew[b]
        st = S[e] - S[s]
        sh = K[e] - K[s] + es[b]
        over = nat - sh > measure + EPS
        any_over = any_over or over
        lines.append(Line(a, b, nat, st, sh, over))
    return Result(lines, any_over, best[m - 1])
