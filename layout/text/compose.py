"""The Chinese line composer: paragraph text in, set lines out.

Pipeline: :func:`units.segment` cuts the text into atoms and gaps; :mod:`punct` settles the
compression of adjacent marks; this module turns atoms and gaps into boxes and glue with the
rules of :mod:`rules_zh` (spacing, prohibitions, 孤字) and hands cumulative sums to the generic
:func:`breaker.break_lines`; :func:`setline.set_line` places every glyph of the chosen lines.

Punctuation at line edges: a line ending in a mark drops the mark's blank right half, unless the
line would be spread otherwise (a mark that fits with its full box keeps it: the breaker gets
that blank as free stretch); an opening mark starting a line keeps its box or loses its blank
left half, always the same, by ``style.open_at_start``. A line that is too long is pushed in
tier by tier (:data:`rules_zh.SQUEEZE_TIERS`): the full stops 。？！ are the breaker's second
shrink, used only when no other breaking avoids it.

If no legal breaking avoids an overfull line (a run with no legal break wider than the line),
the paragraph is composed again with emergency breakpoints: prohibited breaks and breaks inside
number/unit bindings become possible at a heavy penalty, and a Latin word wider than the line
may be split between letters. Everything that is legal stays preferred.
"""

from __future__ import annotations

from . import hanwords
from . import rules_zh as R
from .api import Metrics, ParagraphStyle, SetLine
from .breaker import Problem, break_lines
from .languages import is_chinese, latin_rules
from .latin import compose_latin
from .punct import blanks, cap_open_blanks, compress_adjacent
from .setline import set_line, start_removal
from .units import Atom, Gap, segment, split_latin_words, split_word

#: demerits of an emergency break (a prohibited break or a split word)
EMERGENCY = 1e11
#: demerits of a last line holding one character (plus marks): 孤字
ORPHAN = 1e10
#: demerits of a justified line with nothing to stretch (a line of one Latin word or address
#: piece, no Han and no space beside it): set flush left, never letter-spaced; worse than an
#: emergency break, so a word wider than the line is split rather than left alone short
UNSTRETCHABLE = 5e11
#: demerits of breaking a Latin word at a hyphenation point (a hyphen is added), and after an
#: explicit hyphen or an address's separator: about a line opened by 0.1 em per gap
HYPHEN_DEMERITS = 50.0**2
JOINT_DEMERITS = 30.0**2
#: ... and between two letters of an address: the last resort before a line that cannot be
#: justified (a little less than a line opened as far as the cap allows)
ADDRESS_LETTER_DEMERITS = 5e5
#: the Latin language a Latin word in Chinese text is hyphenated by
LATIN_IN_CJK = "en"
#: demerits of breaking a ragged (unjustified) line inside a phrase, i.e. not at a space or
#: after a mark: headlines and captions break at their phrase boundaries when they can
RAGGED_IN_PHRASE = 3000.0
#: ... inside a Chinese word (:mod:`hanwords`: 飞 / 船), the last resort of a ragged line
RAGGED_IN_WORD = 10 * RAGGED_IN_PHRASE
#: ... before a particle (的 ends a line) or after a conjunction (和 begins one)
RAGGED_MISPLACED_WORD = 2 * RAGGED_IN_PHRASE


def compose_uncached(text: str, measure: float, style: ParagraphStyle, metrics: Metrics) -> list[SetLine]:
    if not is_chinese(style.lang):
        return compose_latin(text, measure, style, metrics, latin_rules(style.lang))
    atoms, gaps = prepare(text, style, metrics)
    if not atoms:
        return []
    plan = Plan(text, atoms, gaps, measure, style, metrics)
    result = break_lines(plan.problem)
    unfilled = _unstretchable(result, plan)
    if result.overfull or unfilled:
        # a word wider than the line, or one that leaves a line nothing to justify by: split
        # (the wide ones; every word, when a line could not be filled) as an emergency
        every = unfilled and not result.overfull
        atoms, gaps = _split_wide_words(text, atoms, gaps, measure, style, metrics, every=every)
        # (a line that could not be filled is no reason to break a prohibition: only split)
        plan = Plan(text, atoms, gaps, measure, style, metrics, emergency="split" if every else "any")
        result = break_lines(plan.problem)
    out = []
    n_lines = len(result.lines)
    for k, line in enumerate(result.lines):
        out.append(
            set_line(
                text,
                plan,
                line,
                first=k == 0,
                last=k == n_lines - 1,
                measure=measure,
                style=style,
            )
        )
    return out


def prepare(text: str, style: ParagraphStyle, metrics: Metrics) -> tuple[list[Atom], list[Gap]]:
    """Atoms and gaps of ``text`` with punctuation compression settled (before breaking)."""
    atoms, gaps = segment(text, metrics, tuple(style.keep), style.lang)
    if atoms:
        atoms, gaps = split_latin_words(text, atoms, gaps, metrics, LATIN_IN_CJK, style.hyphenate,
                                        tuple(style.keep))
        if style.compress:  # (Taiwan and Hong Kong set every mark a full em)
            blanks(atoms)
            cap_open_blanks(atoms, gaps)
            compress_adjacent(atoms, gaps, style.adjacent_punct)
    return atoms, gaps


def _unstretchable(result, plan: Plan) -> bool:
    """Does a justified line of ``result`` have nothing to stretch by (set flush left)?"""
    if plan.style.align != "justify":
        return False
    measure = plan.problem.measure
    return any(ln.stretch <= 1e-6 and ln.natural < measure - 1e-6 for ln in result.lines[:-1])


def _split_wide_words(
    text: str, atoms: list[Atom], gaps: list[Gap], measure: float, style: ParagraphStyle, metrics: Metrics,
    every: bool = False,
) -> tuple[list[Atom], list[Gap]]:
    """Last resort: a Latin word (or piece of one) wider than the shortest line - with ``every``,
    any - becomes one atom per letter (each measured on its own: a split word has no ligatures),
    the letters bound: the breaker splits between them only as an emergency."""
    limit = 0.0 if every else (measure - max(style.indent, 0.0) * style.size) / style.size
    new_atoms: list[Atom] = []
    new_gaps: list[Gap] = []
    for k, a in enumerate(atoms):
        if k:
            new_gaps.append(gaps[k - 1])
        if a.cls == "latin" and len(a.advs) > 1 and a.adv > limit:
            parts = split_word(a, [metrics.advance(c) for c in text[a.start:a.end]])
            new_atoms.append(parts[0])
            for part in parts[1:]:
                g = Gap(part.start, part.start, bound=True, inner="split")
                new_gaps.append(g)
                new_atoms.append(part)
        else:
            new_atoms.append(a)
    return new_atoms, new_gaps


def is_reserve(atom: Atom, text: str) -> bool:
    """Is this mark's blank the last resort of squeezing (a full stop 。？！)?"""
    return atom.mark and R.squeeze_tier(atom.cls, text[atom.start]) == 3


#: marks whose blank right half a line may keep at its end rather than be spread: ink on the left
KEEP_BLANK_AT_END = frozenset({"close", "stop", "stop2"})


class Plan:
    """Boxes and glue for one paragraph, as the breaker wants them, plus what set_line needs.

    Items alternate: item 2k is atom k, item 2k+1 the glue after it. Breakpoint 0 is the
    paragraph start; a break at gap k ends a line at boundary 2k+1 and starts one at 2k+2.
    """

    def __init__(
        self,
        text: str,
        atoms: list[Atom],
        gaps: list[Gap],
        measure: float,
        style: ParagraphStyle,
        metrics: Metrics,
        emergency: str = "",
    ) -> None:
        size = style.size
        self.text = text
        self.style = style
        self.atoms = atoms
        self.gaps = gaps
        n = len(atoms)
        space = metrics.advance(" ") or R.DEFAULT_SPACE
        track = style.tracking * size
        level = style.prohibition
        hl_space = style.han_latin_space

        # glue of each gap (pt)
        g_nat = [0.0] * len(gaps)
        g_st = [0.0] * len(gaps)
        g_sh = [0.0] * len(gaps)
        gap_st = R.GAP_STRETCH * size
        for k, g in enumerate(gaps):
            a, b = atoms[k], atoms[k + 1]
            ac, bc = a.cls, b.cls
            if g.tight:
                g_nat[k] = track  # inside a kept term: set as one word
                continue
            if ac != "latin" and bc != "latin" and g.end == g.start:
                # the common case: two CJK boxes side by side
                g_nat[k] = track
                if ac != "open" and bc not in R.HUGS_PRECEDING:
                    g_st[k] = gap_st
                continue
            if ac == "latin" and bc == "latin" and g.end == g.start:
                if g.inner == "address":  # after an address's separator: a line of an address
                    g_st[k] = 0.5 * gap_st  # opens there, reluctantly (never between letters)
                continue  # letters of a split word
            a_last, b_first = text[a.end - 1], text[b.start]
            hl = R.han_latin(ac, a_last, bc, b_first)
            if hl:
                w = hl_space if (hl_space > 0 or g.end == g.start) else space
                g_nat[k] = w * size + track
                g_st[k] = gap_st
                g_sh[k] = w * R.HAN_LATIN_SHRINK * size
            elif g.end > g.start:
                g_nat[k] = space * size + track
                g_st[k] = gap_st
                g_sh[k] = space * R.WORD_SPACE_SHRINK * size
            else:
                g_nat[k] = track
                if R.gap_stretches(ac, bc):
                    g_st[k] = gap_st
            if g.end > g.start and not (hl and hl_space > 0):
                # white space is drawn as space glyphs: their boxes must fit in the glue, so it
                # never shrinks below one space advance per character (typed space between Han
                # and Latin is set as the Han–Latin space, the same on both sides of a word)
                floor = (g.end - g.start) * space * size
                g_nat[k] = max(g_nat[k], floor)
                g_sh[k] = max(0.0, min(g_sh[k], g_nat[k] - floor))
        self.glue = (g_nat, g_st, g_sh)

        # cumulative sums over items; the full stops' blanks are the second shrink
        reserve = [a.mark and is_reserve(a, text) for a in atoms]
        self.reserve = reserve
        W = [0.0] * (2 * n)
        S = [0.0] * (2 * n)
        K = [0.0] * (2 * n)
        K2 = [0.0] * (2 * n)
        w = st = sh = sh2 = 0.0
        for k, a in enumerate(atoms):
            w += (a.adv - a.lfix - a.rfix) * size  # (Atom.width, inlined: once per atom)
            if reserve[k]:
                sh2 += (a.lshr + a.rshr) * size
            else:
                sh += (a.lshr + a.rshr) * size
            W[2 * k + 1], S[2 * k + 1], K[2 * k + 1], K2[2 * k + 1] = w, st, sh, sh2
            if k < n - 1:
                w += g_nat[k]
                st += g_st[k]
                sh += g_sh[k]
                W[2 * k + 2], S[2 * k + 2], K[2 * k + 2], K2[2 * k + 2] = w, st, sh, sh2

        # breakpoints
        hanging = style.hanging
        bp_end = [0]
        bp_start = [0]
        bp_ew = [0.0]
        bp_es = [0.0]
        bp_es2 = [0.0]
        bp_free = [0.0]
        sw0, ss0 = self._start(atoms[0], size)
        bp_sw = [style.indent * size + sw0]
        bp_ss = [ss0]
        bp_pen = [0.0]
        self.bp_hang = [False]
        self.bp_hyphen = [False]  # the line ending there ends with an added hyphen
        slack = 0.0
        hyphen_w = self.hyphen_w = metrics.advance("-") * size

        def add(end_atom: int, pen: float, hyphen: bool = False) -> None:
            nonlocal slack
            a = atoms[end_atom]
            trim = a.rshr * size
            res = reserve[end_atom]
            nxt = atoms[end_atom + 1] if end_atom + 1 < n else None
            # (only an opening mark starts a line differently: see _start)
            sw, ss = self._start(nxt, size) if nxt is not None and nxt.mark else (0.0, 0.0)
            bp_end.append(2 * end_atom + 1)
            bp_start.append(2 * end_atom + 2)
            bp_ew.append(hyphen_w if hyphen else -trim)
            self.bp_hyphen.append(hyphen)
            bp_es.append(0.0 if res else -trim)
            bp_es2.append(-trim if res else 0.0)
            # a mark that fits with its full box keeps it rather than have the line spread
            bp_free.append((a.rshr + a.rfix) * size if a.mark and a.cls in KEEP_BLANK_AT_END
                           else 0.0)
            bp_sw.append(sw)
            bp_ss.append(ss)
            bp_pen.append(pen)
            self.bp_hang.append(False)
            if hanging and a.cls == "stop" and text[a.start] in R.HANGABLE:
                hang_w = (a.width - a.rshr) * size  # the half-width mark, outside the measure
                blank = (a.lshr + a.rshr) * size
                before = g_sh[end_atom - 1] if end_atom else 0.0
                bp_end.append(2 * end_atom + 1)
                bp_start.append(2 * end_atom + 2)
                bp_ew.append(-a.width * size - (g_nat[end_atom - 1] if end_atom else 0.0))
                bp_es.append(-before - (0.0 if res else blank))
                bp_es2.append(-blank if res else 0.0)
                bp_free.append(0.0)
                bp_sw.append(sw)
                bp_ss.append(ss)
                bp_pen.append(pen)
                self.bp_hang.append(True)
                self.bp_hyphen.append(False)
                slack = max(slack, hang_w + size)
            slack = max(slack, trim)

        justify = style.align == "justify"
        # a ragged paragraph that wraps (a caption) breaks between words: their places, asked
        # only then (the segmenter loads once a process; a one-line caption never needs it)
        words = None
        if not justify and size * sum(a.width for a in atoms) + sum(g_nat) > measure:
            words = hanwords.marks(text, style.lang)
        for k, g in enumerate(gaps):
            a, b = atoms[k], atoms[k + 1]
            if g.inner == "split":  # between two letters of a word split as an emergency
                if emergency and R.can_break(text[a.end - 1], text[b.start], level):
                    add(k, EMERGENCY)
                elif emergency == "any":
                    add(k, EMERGENCY)
                continue
            if g.inner:  # inside a Latin word, where wordbreaks allows it
                hy = g.inner == "hyphen"
                add(k, HYPHEN_DEMERITS if hy else ADDRESS_LETTER_DEMERITS if g.inner == "letter" else JOINT_DEMERITS,
                    hyphen=hy)
                continue
            legal = not g.bound and R.can_break(text[a.end - 1], text[b.start], level)
            if legal:
                if justify:
                    add(k, 0.0)
                    continue
                phrase = g.has_space or a.cls in R.PUNCT_CLASSES or b.cls in R.PUNCT_CLASSES
                if phrase:
                    add(k, 0.0)
                elif words is None:
                    add(k, RAGGED_IN_PHRASE)
                else:
                    mark = words[a.end - 1]
                    add(k, RAGGED_IN_WORD if mark == hanwords.INSIDE else RAGGED_IN_PHRASE if mark == hanwords.BETWEEN
                        else RAGGED_MISPLACED_WORD)
            elif emergency == "any":
                add(k, EMERGENCY)
        add(n - 1, 0.0)
        # a hanging variant of the paragraph's end is pointless: keep only the plain end
        if self.bp_hang[-1]:
            for arr in (bp_end, bp_start, bp_ew, bp_es, bp_es2, bp_free, bp_sw, bp_ss, bp_pen,
                        self.bp_hang, self.bp_hyphen):
                arr.pop()

        # 孤字: the last line holds at most one character (marks do not count)
        chars_after = [0] * (n + 1)
        for k in range(n - 1, -1, -1):
            # (a Latin word of two letters or digits or more is not a lone character)
            a = atoms[k]
            weight = 1 if a.is_char else 0
            if a.cls == "latin" and sum(c.isalnum() for c in text[a.start:a.end]) >= 2:
                weight = 2
            chars_after[k] = chars_after[k + 1] + weight
        last_cost = [0.0] * len(bp_end)
        if style.avoid_orphan:
            for i in range(1, len(bp_end)):
                if chars_after[bp_start[i] // 2] <= 1:
                    last_cost[i] = ORPHAN

        any_reserve = sh2 > 0.0
        self.problem = Problem(
            measure=measure,
            width=W,
            stretch=S,
            shrink=K,
            bp_end=bp_end,
            bp_start=bp_start,
            bp_end_width=bp_ew,
            bp_end_shrink=bp_es,
            bp_start_width=bp_sw,
            bp_penalty=bp_pen,
            last_cost=last_cost,
            last_justified=justify and style.last_line == "justify",
            max_ratio=R.MAX_GAP_OPENING / R.GAP_STRETCH,
            slack=slack + size,
            ragged=not justify,
            shrink2=K2 if any_reserve else (),
            shrink2_badness=R.STOP_SQUEEZE_BADNESS,
            bp_end_free=bp_free,
            bp_end_shrink2=bp_es2 if any_reserve else (),
            bp_start_shrink=bp_ss,
            unstretchable=UNSTRETCHABLE,
        )

    def _start(self, atom: Atom, size: float) -> tuple[float, float]:
        """Width and shrink a line starting with ``atom`` gains (pt): an opening mark's left
        blank is what ``style.open_at_start`` says, not squeezable and not fixed by a pair
        with the mark that ended the line before."""
        target = start_removal(atom, self.style)
        if target is None:
            return 0.0, 0.0
        return (atom.lfix - target) * size, -atom.lshr * size
