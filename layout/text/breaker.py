"""A total-fit line breaker (Knuth–Plass dynamic programming) that knows nothing of any language.

The paragraph arrives as cumulative sums over a sequence of items (boxes and glue): natural
width, stretch and shrink at every item boundary. A *breakpoint* says where a line ending there
stops (``end``, a boundary), where the next line starts (``start``), how the ending line's width
and shrink change (``end_width``/``end_shrink``: e.g. a mark set half-width at line end, or a
hanging mark left out of the measure), how much the starting line gains (``start_width``: the
first-line indent) and what the break costs (``penalty``, in demerits). Breakpoint 0 is the
paragraph start and the last breakpoint its end; ``last_cost[i]`` is charged when the last line
starts at breakpoint ``i`` (the language's 孤字 or runt rule).

A break may add width to the line it ends: a positive ``end_width`` is a penalty item with a
width (the hyphen of a word broken at a hyphenation point). A break may be *flagged*
(``flagged[i]``, Knuth–Plass's flagged penalties): a line that both starts and ends at flagged
breaks costs ``flagged_demerits`` more (two hyphenated lines in a row). That depends only on the
line's two ends, so the search keeps one state per breakpoint. A limit on runs of flagged breaks
(``max_flagged_run``, e.g. at most two hyphenated lines in a row) needs more: each flagged
breakpoint then keeps its best path per run length, and a line that makes a run longer than the
limit costs ``flagged_run_demerits``.

``shrink_weight`` scales the badness of a shrunk line against a stretched one (scripts differ:
clreq compresses first), and ``badness_cap`` is where a stretched line's badness stops growing
as the cube of its ratio: past it, it grows only with the logarithm (so a looser line still
costs more, but no loose line outweighs the language's heavier faults: a runt, an emergency
break).

Two optional *second* resources sit behind the ordinary stretch and shrink (cumulative sums,
like them): ``stretch2`` is used only once the ordinary stretch has reached the ratio
``stretch2_from`` (Latin letter-spacing, after word spaces have opened to 1.5 times), and
``shrink2`` only once the ordinary shrink is exhausted (Chinese full stops squeezed mid-line,
Latin letters set closer): each costs up to ``stretch2_badness`` / ``shrink2_badness`` on top,
growing with the square root of the share used. A break may give its line *free* stretch
(``bp_end_free``: a full-width mark at the end of a line may keep its blank half instead of the
line being spread), may take some of the second shrink away (``bp_end_shrink2``: that mark's
blank is the line end's, not the line's) and a starting line may lose shrink
(``bp_start_shrink``: an opening mark at a line start keeps its box).

Demerits are lexicographic in effect, by magnitudes: an overfull line costs more than any number
of emergency breaks (``penalty``), which cost more than a bad last line, which costs more than
all ordinary demerits ((line penalty + badness)², badness = 100·|ratio|³, capped).

The search is bounded: a predecessor is dropped for good once the line from it cannot shrink to
the measure, and predecessors giving lines looser than ``max_ratio`` are not tried unless
nothing else is feasible. Work is linear in paragraph length.
"""

from __future__ import annotations

from math import log
from typing import Sequence

from msgspec import Struct

LINE_PENALTY = 10.0
BADNESS_CAP = 1000.0
SHRINK_WEIGHT = 0.1  # compression (push in) is clreq's first resort: much cheaper than spreading
OVERFULL = 1e13
OVERFULL_PER_PT = 1e10
EPS = 1e-6
VIRTUAL_STRETCH = 0.05


class Problem(Struct, dict=True):
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
    flagged: Sequence[bool] = ()  # per breakpoint: a flagged break (empty: none is)
    flagged_demerits: float = 0.0  # charged for a line between two flagged breaks
    shrink_weight: float = SHRINK_WEIGHT  # badness of shrinking relative to stretching
    badness_cap: float = BADNESS_CAP  # badness of a stretched line is capped here
    max_flagged_run: int = 0  # longest run of lines ending at flagged breaks (0: no limit) ...
    flagged_run_demerits: float = 0.0  # ... charged for each line that makes a run longer
    stretch2: Sequence[float] = ()  # cumulative second stretch (empty: none) ...
    stretch2_from: float = 1.0  # ... used once the ordinary stretch reaches this ratio ...
    stretch2_badness: float = 0.0  # ... at this badness when all of it is used
    shrink2: Sequence[float] = ()  # cumulative second shrink, used once the first is exhausted ...
    shrink2_badness: float = 0.0  # ... at this badness when all of it is used
    bp_end_free: Sequence[float] = ()  # per breakpoint: stretch the ending line gets for free
    bp_end_shrink2: Sequence[float] = ()  # per breakpoint: change of the ending line's shrink2
    bp_start_shrink: Sequence[float] = ()  # per breakpoint: change of the starting line's shrink
    unstretchable: float = 0.0  # demerits of a justified line with nothing to stretch (one long
    # word, a URL); 0: such a line is letter-spaced, judged against a virtual stretch


class Line(Struct, dict=True):
    start_bp: int
    end_bp: int
    natural: float  # natural width (pt) with the break adjustments
    stretch: float
    shrink: float
    overfull: bool
    stretch2: float = 0.0  # the line's second stretch and shrink (see Problem)
    shrink2: float = 0.0
    free: float = 0.0  # free stretch at its end (bp_end_free)


class Result(Struct, dict=True):
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
    shrink_weight: float = SHRINK_WEIGHT,
    badness_cap: float = BADNESS_CAP,
    stretch2: float = 0.0,
    shrink2: float = 0.0,
    free: float = 0.0,
    stretch2_from: float = 1.0,
    stretch2_badness: float = 0.0,
    shrink2_badness: float = 0.0,
    unstretchable: float = 0.0,
) -> tuple[float, bool]:
    """Demerits of one line and whether it is overfull.

    A line to be justified with nothing to stretch costs ``unstretchable`` demerits, or, when that
    is 0, is judged against a virtual stretch of :data:`VIRTUAL_STRETCH` of the measure (it will
    be letter-spaced); a ragged line by its shortfall relative to the measure, quadratically
    (``ragged``). See :class:`Problem` for the second stretch and shrink and the free stretch.
    """
    diff = measure - natural
    if diff >= -EPS:
        if not justify or diff <= free + EPS:
            b = 0.0
        elif unstretchable and stretch <= EPS and not ragged and diff - free - stretch2 > EPS:
            # nothing to stretch (the second resource, if any, does not reach): set flush left,
            # the fuller the better, its shortfall judged as if it could be letter-spaced
            b = stretch_badness(diff - free - stretch2, 0.0, 0.0, measure, badness_cap, 1.0, 0.0)
            return unstretchable + (LINE_PENALTY + b) ** 2, False
        elif ragged:
            r = 2.0 * diff / measure
            b = min(100.0 * r * r, badness_cap)
        else:
            b = stretch_badness(diff - free, stretch, stretch2, measure, badness_cap,
                                stretch2_from, stretch2_badness)
        return (LINE_PENALTY + b) ** 2, False
    b, over = shrink_badness(-diff, shrink, shrink2, shrink_weight, shrink2_badness)
    if over > EPS:
        return OVERFULL + over * OVERFULL_PER_PT, True
    return (LINE_PENALTY + b) ** 2, False


def stretch_badness(d: float, st: float, st2: float, measure: float, cap: float,
                    st2_from: float, st2_badness: float) -> float:
    """Badness of stretching a line by ``d`` > 0 with ordinary stretch ``st`` and second
    stretch ``st2`` (used from ratio ``st2_from`` on)."""
    extra = 0.0
    if st2 > EPS:
        if st > EPS:
            first = st2_from * st
            if d > first:
                used = min(d - first, st2)
                extra = st2_badness * (used / st2) ** 0.5
                d -= used
        else:
            used = min(d, st2)
            extra = st2_badness * (used / st2) ** 0.5
            d -= used
            if d <= EPS:
                return extra
    r = d / (st if st > EPS else VIRTUAL_STRETCH * measure)
    b = 100.0 * r * r * r
    if b > cap:
        b = cap * (1.0 + log(b / cap))
    return b + extra


def shrink_badness(d: float, sh: float, sh2: float, weight: float,
                   sh2_badness: float) -> tuple[float, float]:
    """Badness of shrinking a line by ``d`` > 0, and how far it stays overfull."""
    if d <= sh + EPS:
        r = d / sh if sh > EPS else 0.0
        return weight * 100.0 * r * r * r, 0.0
    over = d - sh
    b = weight * 100.0 if sh > EPS else 0.0
    if sh2 > EPS:
        used = min(over, sh2)
        b += sh2_badness * (used / sh2) ** 0.5
        over -= used
    return b, over


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
    unstretchable = p.unstretchable
    shrink_weight = p.shrink_weight
    cap = p.badness_cap
    flagged = list(p.flagged) if p.flagged else [False] * m
    fd = p.flagged_demerits
    # runs of flagged breaks: a flagged breakpoint keeps one best path per run length 1..L
    L = p.max_flagged_run if p.flagged else 0
    run_cost = p.flagged_run_demerits
    runs: list = [None] * m  # flagged j: best total with the run ending at j of length k+1
    run_prev: list = [None] * m  # ... and (predecessor, run length at the predecessor)
    # the second resources and the per-break adjustments (zeros when not given)
    n_items = len(W)
    S2 = p.stretch2 if p.stretch2 else None
    K2 = p.shrink2 if p.shrink2 else None
    zeros_bp = [0.0] * m
    free_ = p.bp_end_free if p.bp_end_free else zeros_bp
    es2 = p.bp_end_shrink2 if p.bp_end_shrink2 else zeros_bp
    ss = p.bp_start_shrink if p.bp_start_shrink else zeros_bp
    st2_from, st2_bad, sh2_bad = p.stretch2_from, p.stretch2_badness, p.shrink2_badness
    # narrowest width at every boundary (all shrink used): for pruning
    if K2 is not None:
        MW = [W[x] - K[x] - K2[x] for x in range(n_items)]
    else:
        MW = [W[x] - K[x] for x in range(n_items)]

    def parts(i: int, j: int) -> tuple[float, float, float, float, float]:
        s, e = s_[i], e_[j]
        nat = W[e] - W[s] + sw[i] + ew[j]
        st = S[e] - S[s]
        sh = K[e] - K[s] + es[j] + ss[i]
        st2 = S2[e] - S2[s] if S2 is not None else 0.0
        sh2 = K2[e] - K2[s] + es2[j] if K2 is not None else 0.0
        return nat, st, sh, st2, sh2

    def line_cost(i: int, j: int, final: bool) -> float:
        """Demerits of the line from breakpoint i to j, its break and the last-line rule."""
        nat, st, sh, st2, sh2 = parts(i, j)
        d, _ = line_demerits(nat, st, sh, measure, p.last_justified or not final, ragged,
                             shrink_weight, cap, st2, sh2, free_[j], st2_from, st2_bad, sh2_bad,
                             p.unstretchable)
        d += pen[j]
        if final:
            d += p.last_cost[i]
        return d

    def offer(i: int, j: int, d: float, acc: list, cur: list | None, cur_prev: list) -> None:
        """The path through i with a line costing d: keep it if best (``acc`` = [total,
        predecessor, line cost]); with run states (``cur``) per run length."""
        fi = flagged[i]
        if cur is None:
            t = best[i] + d
            if fi and flagged[j]:
                t += fd
            if t < acc[0]:
                acc[0], acc[1], acc[2] = t, i, d
            return
        if not fi:
            t = best[i] + d
            if t < cur[0]:
                cur[0], cur_prev[0] = t, (i, 0)
            if t < acc[0]:
                acc[0], acc[1], acc[2] = t, i, d
            return
        at_i = runs[i]
        for k in range(L):
            v = at_i[k]
            if v == inf:
                continue
            t = v + d + fd
            r = k + 1  # index of run length k + 2
            if r >= L:
                t += run_cost
                r = L - 1
            if t < cur[r]:
                cur[r], cur_prev[r] = t, (i, k + 1)
            if t < acc[0]:
                acc[0], acc[1], acc[2] = t, i, d

    for j in range(1, m):
        e = e_[j]
        final = j == m - 1
        minw_e = MW[e]
        while lo < j and minw_e - MW[s_[lo]] + sw[lo] > prune:
            lo += 1
        ext = W[e] + (ew[j] if ew[j] > 0.0 else 0.0)  # a hyphen lengthens the line
        fj_free = free_[j]
        if hi < lo:
            hi = lo
        while hi < j:
            # a line with no stretch is judged by the virtual stretch (it will be letter-spaced)
            s = s_[hi]
            st = S[e] - S[s]
            room2 = fj_free + (S2[e] - S2[s] if S2 is not None else 0.0)
            if ext - W[s] + sw[hi] + R * (st if st > EPS else virtual) + room2 < measure:
                break
            hi += 1
        # (a ragged line may fall short of the measure by any amount: every start is a candidate,
        # judged by its shortfall, so a caption can break at a phrase rather than inside a word)
        top = j if final or ragged else hi
        stateful = L > 0 and flagged[j]
        cur = [inf] * L if stateful else None
        cur_prev: list = [(-1, 0)] * L if stateful else []
        acc = [inf, -1, inf]
        if lo >= top and lo < j:
            top = lo + 1  # keep at least one candidate: the loosest line that might fit
        if final or ragged:
            for i in range(lo, top):
                if s_[i] < e:
                    offer(i, j, line_cost(i, j, final), acc, cur, cur_prev)
            bd, bi = acc[0], acc[1]
        else:
            # line_demerits inlined for the common case (justified, not the last line)
            bd = inf
            bi = -1
            room = measure - W[e] - ew[j]
            Se, Ke, pj = S[e], K[e] + es[j], pen[j]
            S2e = S2[e] if S2 is not None else 0.0
            K2e = K2[e] + es2[j] if K2 is not None else 0.0
            fj = fd if flagged[j] else 0.0
            for i in range(lo, top):
                s = s_[i]
                if s >= e:
                    continue
                diff = room + W[s] - sw[i]
                pj_u = 0.0  # an unstretchable line's own demerits (see Problem.unstretchable)
                if diff >= -EPS:
                    if diff <= fj_free + EPS:
                        b = 0.0
                    else:
                        d = diff - fj_free
                        st = Se - S[s]
                        extra = 0.0
                        if S2 is not None:
                            st2 = S2e - S2[s]
                            if st2 > EPS:
                                used = d - st2_from * st if st > EPS else d
                                if used > 0.0:
                                    if used > st2:
                                        used = st2
                                    extra = st2_bad * (used / st2) ** 0.5
                                    d -= used
                        if d <= EPS:
                            b = extra
                        elif st <= EPS and unstretchable:
                            # flush left: the fuller the better (judged against the virtual stretch)
                            r = d / virtual
                            b = 100.0 * r * r * r
                            if b > cap:
                                b = cap * (1.0 + log(b / cap))
                            pj_u = unstretchable
                        else:
                            r = d / (st if st > EPS else virtual)
                            b = 100.0 * r * r * r
                            if b > cap:
                                b = cap * (1.0 + log(b / cap))
                            b += extra
                else:
                    sh = Ke - K[s] + ss[i]
                    over = -diff - sh
                    if over > EPS:
                        if K2 is not None:
                            sh2 = K2e - K2[s]
                            if over <= sh2 + EPS:
                                b = (shrink_weight * 100.0 if sh > EPS else 0.0) + \
                                    sh2_bad * (over / sh2) ** 0.5
                                over = 0.0
                            else:
                                over -= sh2
                    if over > EPS:
                        if stateful:
                            offer(i, j, OVERFULL + over * OVERFULL_PER_PT + pj, acc, cur, cur_prev)
                            continue
                        d = best[i] + OVERFULL + over * OVERFULL_PER_PT + pj
                        if d < bd:
                            bd, bi = d, i
                        continue
                    if over <= EPS and -diff <= sh + EPS:
                        r = -diff / sh if sh > EPS else 0.0
                        b = shrink_weight * 100.0 * r * r * r
                b += LINE_PENALTY
                if stateful:
                    offer(i, j, b * b + pj + pj_u, acc, cur, cur_prev)
                    continue
                d = best[i] + b * b + pj + pj_u
                if fj and flagged[i]:
                    d += fj
                if d < bd:
                    bd, bi = d, i
            if stateful:
                bd, bi = acc[0], acc[1]
            elif bi >= 0:
                acc[0], acc[1], acc[2] = bd, bi, bd - best[bi]
        if bi < 0 or acc[2] >= OVERFULL or (unstretchable and acc[2] >= unstretchable):
            # nothing fits among the usual candidates (or only a line with nothing to stretch,
            # flush left: "The" alone above "Strategic Advisory Group of", where a loose line
            # "The Strategic" costs less): try the loose ones, then the least overfull one,
            # then anything before
            for i in range(top, j):
                if s_[i] < e:
                    offer(i, j, line_cost(i, j, final), acc, cur, cur_prev)
            bd, bi = acc[0], acc[1]
            if bi < 0:
                i = min(lo, j) - 1
                while i >= 0 and not s_[i] < e:
                    i -= 1
                if i < 0:
                    if stateful:
                        runs[j], run_prev[j] = cur, cur_prev
                    continue
                acc = [inf, -1, inf]
                if stateful:
                    cur = [inf] * L
                    cur_prev = [(-1, 0)] * L
                offer(i, j, line_cost(i, j, final), acc, cur, cur_prev)
                bd, bi = acc[0], acc[1]
        best[j] = bd
        prev[j] = bi
        if stateful:
            runs[j], run_prev[j] = cur, cur_prev

    # walk back (with run states: through the run length each chosen line came from)
    path = [m - 1]
    j = m - 1
    run = _argmin(runs[j]) + 1 if runs[j] is not None else 0
    while j != 0:
        if runs[j] is not None and run > 0:
            q, run = run_prev[j][run - 1]
        else:
            q = prev[j]
            run = _argmin(runs[q]) + 1 if q >= 0 and runs[q] is not None else 0
        if q < 0:
            break
        path.append(q)
        j = q
    path.reverse()
    lines = []
    any_over = False
    for a, b in zip(path, path[1:]):
        nat, st, sh, st2, sh2 = parts(a, b)
        over = nat - sh - sh2 > measure + EPS
        any_over = any_over or over
        lines.append(Line(a, b, nat, st, sh, over, st2, sh2, free_[b]))
    return Result(lines, any_over, best[m - 1])


def _argmin(values: list) -> int:
    k = 0
    for i, v in enumerate(values):
        if v < values[k]:
            k = i
    return k
