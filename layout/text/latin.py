"""The line composer for Latin-script text (English first): words, word spaces, hyphenation.

Pipeline, as for Chinese (:mod:`layout.text.compose`): :class:`_Segmenter` cuts the paragraph into
*pieces* (boxes set whole: a word, or the part of a word between two places it may break) and
the *joints* between them (a word space, a hyphenation point, an explicit hyphen or dash, a
boundary inside a run of CJK characters); :class:`_Plan` turns them into cumulative widths and
breakpoints for the generic :func:`~layout.text.breaker.break_lines` with the rules of
:mod:`rules_en`; :func:`_set_line` places every glyph of the chosen lines.

* Word spaces are the glue that stretches or shrinks; a justified line ends on the measure by
  changing them, and as a last resort (:data:`rules_en.LETTERSPACE_FROM`) by letter-spacing, at
  most ``style.letterspace`` em between two glyphs of a word either way (the breaker's second
  stretch and shrink). A line with no word space (one long word) is letter-spaced as needed.
* A line broken at a hyphenation point gets a hyphen ``-`` appended to its ``text`` (its width
  was counted by the breaker: a penalty item with a width) and ``added_hyphen`` set. Explicit
  hyphens and dashes stay where they are and nothing is added after them.
* A run of CJK characters inside the text falls back to the Chinese unit rules: one box per
  character, a break allowed between two of them unless :func:`rules_zh.can_break` forbids it,
  Han–Latin spacing (``style.han_latin_space``) where a Han character touches a letter or digit.
* ``style.avoid_orphan`` avoids a *runt*: a last line holding one word (or the tail of a
  hyphenated word) of at most :data:`RUNT_LETTERS` letters and digits.

If no legal breaking avoids an overfull line, the paragraph is composed again with emergency
breakpoints: prohibited breaks and no-break spaces may break at a heavy penalty, and a word
wider than the line may be split between any two letters (no hyphen added).

Of :class:`~layout.text.api.ParagraphStyle` this composer uses ``size``, ``indent``, ``align``,
``last_line``, ``prohibition`` (``none`` turns the punctuation rules off; the level applies to
CJK runs), ``han_latin_space``, ``avoid_orphan``, ``tracking``, ``lang``, ``hyphenate``,
``letterspace`` and ``keep`` (a kept term never breaks, not even at a hyphenation point);
``hanging``, ``adjacent_punct`` and ``open_at_start`` are Chinese-only and ignored.
"""

from __future__ import annotations

import re

from . import rules_en as E
from . import rules_zh as Z
from .api import Metrics, ParagraphStyle, SetLine
from .breaker import EPS, Line, Problem, break_lines
from .units import kept_spans

#: demerits of an emergency break (a prohibited break, a no-break space, a split word); below
#: an overfull line (breaker.OVERFULL), above everything else
EMERGENCY = 1e12
#: demerits of a runt last line: above ten of the loosest lines (see rules_en.BADNESS_CAP)
RUNT = 1e11
#: a last line with one word of at most this many letters and digits is a runt
RUNT_LETTERS = 4
#: demerits of a justified line with no word space to stretch (one long word, a URL) when
#: letters may not be spaced: set flush left, the audit counts it; as bad as a runt, and ten
#: of them still better than splitting a word between two letters
UNSTRETCHABLE = 1e11
#: demerits of a hyphen between any two letters of a word, where the dictionary has no point:
#: only to fill a line that would otherwise hold one word and nothing to justify by
FILL_SPLIT = 5e10
#: a line holding one word narrower than this share of the measure, flush left, reads as a
#: paragraph's end: a capitalised word may then be hyphenated to fill it (see compose_latin)
SHORT_ALONE = 1 / 3
#: a word in capitals this short is an acronym (UNESCO, INTERPOL): never hyphenated, even so
ACRONYM_MAX = 8

_LETTERS = re.compile(r"[^\W\d_]+")
_BREAK_AFTER = re.compile("[" + re.escape("".join(sorted(E.EXPLICIT_HYPHENS | E.DASHES))) + "]")


def is_cjk(ch: str) -> bool:
    """A character that is set by the Chinese unit rules inside Latin text: Han and kana, CJK
    symbols and punctuation (U+3000-303F) and full-width forms. Curly quotes, dashes and the
    ellipsis are Latin punctuation here."""
    o = ord(ch)
    if o < 0x2E80:
        return False
    return Z.is_han(ch) or 0x2E80 <= o <= 0x33FF or 0xFE30 <= o <= 0xFE4F or 0xFF00 <= o <= 0xFFEF


class Piece:
    """A box set whole: ``text[start:end]``, ``width`` in pt (tracking inside included)."""

    __slots__ = ("start", "end", "width")

    def __init__(self, start: int, end: int, width: float) -> None:
        self.start = start
        self.end = end
        self.width = width

    def __repr__(self) -> str:  # pragma: no cover - debugging aid
        return f"Piece({self.start}:{self.end} w={self.width:.2f})"


class Joint:
    """What lies between piece k and k+1: glue (pt) and whether and at what cost it breaks.

    ``kind``: ``space`` (white space ``text[start:end]``), ``hyphen`` (a hyphenation point: a
    hyphen is added at a break), ``explicit`` (after a hyphen in the text), ``dash`` (after an
    em/en dash), ``cjk`` (inside or at the edge of a CJK run), ``letter`` (an emergency split).
    """

    __slots__ = ("kind", "start", "end", "nat", "st", "sh", "breakable", "pen", "flagged")

    def __init__(self, kind: str, start: int, end: int, nat: float = 0.0, st: float = 0.0,
                 sh: float = 0.0, breakable: bool = True, pen: float = 0.0,
                 flagged: bool = False) -> None:
        self.kind = kind
        self.start = start
        self.end = end
        self.nat = nat
        self.st = st
        self.sh = sh
        self.breakable = breakable
        self.pen = pen
        self.flagged = flagged

    def __repr__(self) -> str:  # pragma: no cover - debugging aid
        return f"Joint({self.kind} {self.start}:{self.end} brk={self.breakable} pen={self.pen})"


def compose_latin(
    text: str, measure: float, style: ParagraphStyle, metrics: Metrics, rules: E.LatinRules
) -> list[SetLine]:
    """Break and set one paragraph of Latin-script text at ``measure`` pt."""
    seg = _Segmenter(text, style, metrics, rules)
    pieces, joints = seg.run()
    if not pieces:
        return []
    plan = _Plan(text, pieces, joints, measure, style, seg)
    result = break_lines(plan.problem)
    if result.overfull:
        limit = measure - max(style.indent, 0.0) * style.size - seg.hyphen_w
        pieces, joints = seg.emergency(pieces, joints, limit)
        plan = _Plan(text, pieces, joints, measure, style, seg)
        result = break_lines(plan.problem)
    elif style.align == "justify" and style.hyphenate and any(ln.stretch <= EPS and ln.natural < measure - EPS
                                          for ln in result.lines[:-1]):
        # a line with one word and nothing to justify by (a word in capitals, which is not
        # hyphenated, follows it): hyphenate a long word in capitals rather than leave the line
        # short (the report names the break); a capitalised word too when the line is a short
        # word alone ("The" above "Strategic Advisory Group of"), which reads as a paragraph's end
        alone = any(ln.stretch <= EPS and ln.natural < measure * SHORT_ALONE for ln in result.lines[:-1])
        pieces, joints = seg.fill_splits(pieces, joints, names=alone)
        plan = _Plan(text, pieces, joints, measure, style, seg)
        result = break_lines(plan.problem)
    n = len(result.lines)
    return [_set_line(text, plan, ln, k == 0, k == n - 1, measure, style)
            for k, ln in enumerate(result.lines)]


class _Segmenter:
    """Pieces and joints of one paragraph (see the module docstring)."""

    def __init__(self, text: str, style: ParagraphStyle, metrics: Metrics,
                 rules: E.LatinRules) -> None:
        self.text = text
        self.style = style
        self.rules = rules
        self.size = size = style.size
        self.track = style.tracking * size
        self.metrics = metrics
        self.ligatures = not style.tracking and style.letterspace <= 0  # (expansion keeps them)
        self.adv = adv = {c: metrics.advance(c) * size for c in set(text)}  # unshaped, per character
        self.pos = [adv[c] for c in text]  # per position: shaped within each piece (see piece())
        space = metrics.advance(" ") or E.DEFAULT_SPACE
        self.space = space * size
        self.hyphen_w = metrics.advance(E.HYPHEN) * size
        adv.setdefault(E.HYPHEN, self.hyphen_w)
        self.fixed = {
            c: (metrics.advance(c) if metrics.has(c) else w) * size
            for c, w in E.FIXED_SPACES.items() if c in adv
        }
        self.level = style.prohibition
        self.prohibit = style.prohibition != "none"

    def width(self, s: int, e: int) -> float:
        """Width of ``text[s:e]`` (pt) as set: shaped as one unit (kerning; a ligature only when
        it lies inside the piece), tracking between its characters. The shaped advances are
        kept per position for setting (:attr:`pos`)."""
        size = self.size
        # text whose letters may be spaced (tracking, letter-spacing) is set without ligatures
        advs = self.metrics.advances(self.text[s:e], self.style.lang, ligatures=self.ligatures)
        pos = self.pos
        w = 0.0
        for k, a in enumerate(advs):
            pos[s + k] = a * size
            w += a * size
        if self.track and e - s > 1:
            w += self.track * (e - s - 1)
        return w

    # --- may a line end with ``a`` and the next start with ``b``? ----------------------------

    def can_break(self, a: str, b: str) -> bool:
        if not self.prohibit:
            return True
        if b in self.rules.no_start or a in self.rules.no_end:
            return False
        if (a >= "\u2e80" and is_cjk(a)) or (b >= "\u2e80" and is_cjk(b)):
            return Z.can_break(a, b, self.level)
        return True

    # --- segmentation ------------------------------------------------------------------------

    def run(self) -> tuple[list[Piece], list[Joint]]:
        text = self.text
        tokens = [(m.start(), m.end()) for m in re.finditer(r"\S+", text)]
        pieces: list[Piece] = []
        joints: list[Joint] = []
        for t, (s, e) in enumerate(tokens):
            after_number = False
            if t:
                joints.append(self.space_joint(tokens[t - 1], (s, e)))
                after_number = text[tokens[t - 1][1] - 1].isdigit()
            self.token(s, e, pieces, joints, after_number)
        if self.style.keep:
            self.keep(pieces, joints)
        return pieces, joints

    def keep(self, pieces: list[Piece], joints: list[Joint]) -> None:
        """No break, no Han–Latin space inside a kept term (``style.keep``)."""
        spans = kept_spans(self.text, tuple(self.style.keep))
        k = 0
        n = len(pieces)
        for s, e in spans:
            while k < n - 1 and pieces[k].end <= s:
                k += 1
            j = k
            while j < n - 1 and pieces[j + 1].start < e and pieces[j].end > s:
                jt = joints[j]
                jt.breakable = False
                if jt.kind == "cjk":
                    jt.nat, jt.sh = self.track, 0.0
                j += 1

    def space_joint(self, prev: tuple[int, int], nxt: tuple[int, int]) -> Joint:
        text = self.text
        gs, ge = prev[1], nxt[0]
        ws = text[gs:ge]
        nat = st = sh = 0.0
        fixed = 0.0
        ordinary = False
        for c in ws:
            w = self.fixed.get(c)
            if w is None:
                ordinary = True
            else:
                fixed += w
        if ordinary:  # a run of ordinary spaces is one word space
            nat, st = self.space, self.space * E.SPACE_STRETCH
            sh = max(0.0, min(self.space * E.SPACE_SHRINK, self.space - E.MIN_SPACE * self.size))
        nat += fixed + self.track
        breakable = not any(c in E.NO_BREAK_SPACES for c in ws)
        a, b = text[gs - 1], text[ge]
        if breakable and self.prohibit:
            breakable = self.can_break(a, b)
            if breakable and (a in E.AMBIGUOUS_QUOTES or b in E.AMBIGUOUS_QUOTES):
                # a straight quote standing alone (with other marks only): a double one opens
                # or closes by its parity in the paragraph, a single one binds both ways
                if a in E.AMBIGUOUS_QUOTES and not _has_alnum(text, prev[0], prev[1]):
                    if a == "'" or text.count('"', 0, gs - 1) % 2 == 0:  # an opening quote
                        breakable = False
                if b in E.AMBIGUOUS_QUOTES and not _has_alnum(text, nxt[0], nxt[1]):
                    if b == "'" or text.count('"', 0, ge) % 2 == 1:  # a closing quote
                        breakable = False
        if breakable and _binds(text[prev[0]:prev[1]], text[nxt[0]:nxt[1]]):
            breakable = False  # a number and its unit, a title and a name
        return Joint("space", gs, ge, nat, st, sh, breakable)

    def token(self, s: int, e: int, pieces: list[Piece], joints: list[Joint],
              after_number: bool = False) -> None:
        """Pieces and joints inside the word ``text[s:e]`` (``after_number``: it follows a number,
        "14 November", and is not hyphenated)."""
        text = self.text
        word = text[s:e]
        cuts: dict[int, Joint] = {}
        if max(word) >= "\u2e80" and any(is_cjk(c) for c in word):
            # CJK characters: one box each; Latin runs between them are handled below
            runs = []
            i = s
            while i < e:
                j = i + 1
                if not is_cjk(text[i]):
                    while j < e and not is_cjk(text[j]):
                        j += 1
                    runs.append((i, j))
                i = j
            for i in range(s + 1, e):
                a, b = text[i - 1], text[i]
                if is_cjk(a) or is_cjk(b):
                    cuts[i] = self.cjk_joint(i, a, b)
        else:
            runs = [(s, e)]
        if not E.never_hyphenate(word):
            for rs, re_ in runs:
                self.latin_cuts(rs, re_, cuts, dictionary=not after_number)
        prev = s
        for i in sorted(cuts):
            pieces.append(Piece(prev, i, self.width(prev, i)))
            joints.append(cuts[i])
            prev = i
        pieces.append(Piece(prev, e, self.width(prev, e)))

    def cjk_joint(self, i: int, a: str, b: str) -> Joint:
        nat = sh = 0.0
        hl = self.style.han_latin_space * self.size
        if hl and ((Z.is_han(a) and Z.is_alnum_latin(b)) or (Z.is_alnum_latin(a) and Z.is_han(b))):
            nat, sh = hl, hl * Z.HAN_LATIN_SHRINK
        return Joint("cjk", i, i, nat + self.track, 0.0, sh, self.can_break(a, b))

    def latin_cuts(self, s: int, e: int, cuts: dict[int, Joint], dictionary: bool = True) -> None:
        """Explicit hyphens, dashes and (with ``dictionary``) hyphenation points of the Latin run
        ``text[s:e]``."""
        text, rules = self.text, self.rules
        track = self.track
        hyphenate = dictionary and self.style.hyphenate and rules.dictionary is not None
        shortest = rules.left + rules.right
        comp = s  # start of the current component (text between explicit hyphens / dashes)
        marks = [m.start() for m in _BREAK_AFTER.finditer(text, s, e)]
        for i in marks + [e]:
            if hyphenate and i - comp >= shortest:
                component = text[comp:i]
                if E.hyphenatable(component, rules):
                    for m in _LETTERS.finditer(component):
                        run = m.group()
                        if len(run) < shortest or run.isupper():
                            continue
                        base = comp + m.start()
                        for p in rules.hyphenation_points(run):
                            cuts[base + p] = Joint("hyphen", base + p, base + p, track,
                                                   pen=E.HYPHEN_DEMERITS, flagged=True)
            comp = i + 1
            if i + 1 >= e:
                continue
            c, nxt = text[i], text[i + 1]
            if c in E.EXPLICIT_HYPHENS:
                ok = (i > s and text[i - 1].isalnum() and nxt.isalpha()
                      and _alnum_count(text, s, i) >= E.EXPLICIT_LEFT
                      and _alnum_count(text, i + 1, e) >= E.EXPLICIT_RIGHT)
                if ok:
                    cuts[i + 1] = Joint("explicit", i + 1, i + 1, track,
                                        pen=E.EXPLICIT_DEMERITS, flagged=True)
            elif (self.can_break(c, nxt) and nxt not in E.DASHES
                  and not (c in E.RANGE_DASHES
                           and (nxt.isdigit() or (i > s and text[i - 1].isdigit())))):
                cuts[i + 1] = Joint("dash", i + 1, i + 1, track, pen=E.DASH_DEMERITS)

    # --- emergency ----------------------------------------------------------------------------

    def fill_splits(self, pieces: list[Piece], joints: list[Joint],
                    names: bool = False) -> tuple[list[Piece], list[Joint]]:
        """Hyphenation points in a long word set in capitals (its dictionary points first, else
        between any two letters, two kept before and three after) and a capitalised word's
        dictionary points (with ``names``; never inside a kept term), at :data:`FILL_SPLIT`:
        what a line that cannot be filled otherwise breaks at."""
        text, rules = self.text, self.rules
        kept = kept_spans(text, tuple(self.style.keep)) if names else ()
        new_p: list[Piece] = []
        new_j: list[Joint] = []
        for k, p in enumerate(pieces):
            if k:
                new_j.append(joints[k - 1])
            run = text[p.start:p.end]
            # a long word set in capitals (which the dictionary rules leave whole, as they do an
            # acronym): a heading or a quotation in capitals; never a name or a word it may not break
            caps = run.isupper() and len(run) > ACRONYM_MAX and run.lower() not in rules.never_broken
            if len(run) >= rules.left + rules.right and run.isalpha() and caps:
                cuts = range(p.start + rules.left, p.end - rules.right + 1)
            elif (names and len(run) >= rules.left + rules.right and run.isalpha() and run[0].isupper()
                  and not run.isupper() and rules.dictionary is not None and self.style.hyphenate
                  and run.lower() not in rules.never_broken
                  and not any(a < p.end and p.start < b for a, b in kept)):
                # a capitalised word (a proper noun, which the dictionary rules leave whole) at
                # its dictionary points: "The Strategic Advi- / sory Group" rather than "The"
                # alone on a line or a line of two words four spaces apart
                cuts = [p.start + q for q in rules.hyphenation_points(run.lower())]
            else:
                cuts = ()
            prev = p.start
            for i in cuts:
                new_p.append(Piece(prev, i, self.width(prev, i)))
                new_j.append(Joint("hyphen", i, i, self.track, pen=FILL_SPLIT, flagged=True))
                prev = i
            new_p.append(p if prev == p.start else Piece(prev, p.end, self.width(prev, p.end)))
        return new_p, new_j

    def emergency(self, pieces: list[Piece], joints: list[Joint],
                  limit: float) -> tuple[list[Piece], list[Joint]]:
        """Every joint may break (prohibited ones at :data:`EMERGENCY`), and a piece wider than
        ``limit`` pt is split between any two characters."""
        new_p: list[Piece] = []
        new_j: list[Joint] = []
        for k, p in enumerate(pieces):
            if k:
                j = joints[k - 1]
                if not j.breakable:
                    j = Joint(j.kind, j.start, j.end, j.nat, j.st, j.sh, True, EMERGENCY,
                              j.flagged)
                new_j.append(j)
            if p.width > limit and p.end - p.start > 1:
                for i in range(p.start, p.end):
                    if i > p.start:
                        new_j.append(Joint("letter", i, i, self.track, pen=EMERGENCY))
                    new_p.append(Piece(i, i + 1, self.width(i, i + 1)))
            else:
                new_p.append(p)
        return new_p, new_j


def _alnum_count(text: str, s: int, e: int) -> int:
    return sum(1 for c in text[s:e] if c.isalnum())


def _has_alnum(text: str, s: int, e: int) -> bool:
    return any(c.isalnum() for c in text[s:e])


def _binds(prev: str, nxt: str) -> bool:
    """A number and its unit, or a title and a name, typed with an ordinary space."""
    p = prev.strip("“‘\"'([")
    if p in E.TITLES:
        return True
    n = nxt.rstrip(",;:”’\"')]")
    if n.endswith(".") and n not in E.UNITS:
        n = n[:-1]
    return bool(p) and p[-1].isdigit() and n in E.UNITS


class _Plan:
    """Boxes and glue for the breaker (item 2k is piece k, item 2k+1 the joint after it; a break
    at joint k ends a line at boundary 2k+1 and starts one at 2k+2), and what setting needs."""

    def __init__(self, text: str, pieces: list[Piece], joints: list[Joint], measure: float,
                 style: ParagraphStyle, seg: _Segmenter) -> None:
        self.pieces = pieces
        self.joints = joints
        self.seg = seg
        size = style.size
        n = len(pieces)
        W = [0.0] * (2 * n)
        S = [0.0] * (2 * n)
        K = [0.0] * (2 * n)
        # the second resource, either way: font expansion (glyphs a little wider or narrower, as
        # microtype does for TeX) and letter-spacing (gaps inside words), if the page allows it
        G = [0.0] * (2 * n)
        ls = max(style.letterspace, 0.0) * size
        ex = max(style.expansion, 0.0)
        self.letterspace = ls
        self.expansion = ex
        w = st = sh = g = 0.0
        for k, p in enumerate(pieces):
            w += p.width
            g += (p.end - p.start - 1) * ls + (p.width - seg.track * (p.end - p.start - 1)) * ex
            W[2 * k + 1], S[2 * k + 1], K[2 * k + 1], G[2 * k + 1] = w, st, sh, g
            if k < n - 1:
                j = joints[k]
                w += j.nat
                st += j.st
                sh += j.sh
                if j.kind != "space":
                    g += ls
                W[2 * k + 2], S[2 * k + 2], K[2 * k + 2], G[2 * k + 2] = w, st, sh, g
        second = ls > 0 or ex > 0
        # expansion alone is nearly invisible: it goes first, before word spaces open; when the
        # page allows letter-spacing, the mixed resource waits until word spaces are at ratio 1
        self.second_from = E.LETTERSPACE_FROM if ls > 0 else 0.0
        second_badness = E.LETTERSPACE_BADNESS if ls > 0 else E.EXPANSION_BADNESS

        hyphen = seg.hyphen_w
        bp_end = [0]
        bp_start = [0]
        bp_ew = [0.0]
        bp_sw = [style.indent * size]
        bp_pen = [0.0]
        flagged = [False]
        self.bp_joint = [-1]  # the joint each breakpoint breaks at (-1: paragraph start / end)
        for k, j in enumerate(joints):
            if not j.breakable:
                continue
            bp_end.append(2 * k + 1)
            bp_start.append(2 * k + 2)
            bp_ew.append(hyphen + j.nat if j.kind == "hyphen" else 0.0)
            bp_sw.append(0.0)
            bp_pen.append(j.pen)
            flagged.append(j.flagged)
            self.bp_joint.append(k)
        bp_end.append(2 * n - 1)
        bp_start.append(2 * n)
        bp_ew.append(0.0)
        bp_sw.append(0.0)
        bp_pen.append(0.0)
        flagged.append(False)
        self.bp_joint.append(-1)
        m = len(bp_end)

        # the last line: a runt, or the tail of a word hyphenated on the line above
        last_cost = [0.0] * m
        space_after = [False] * (n + 1)  # is there a word space at or after joint k?
        for k in range(n - 2, -1, -1):
            space_after[k] = space_after[k + 1] or joints[k].kind == "space"
        for i in range(1, m - 1):
            if flagged[i]:
                last_cost[i] += E.FINAL_HYPHEN_DEMERITS
            if style.avoid_orphan:
                first = bp_start[i] // 2
                if not space_after[first] and _runt(text, pieces[first].start):
                    last_cost[i] += RUNT

        justify = style.align == "justify"
        self.problem = Problem(
            measure=measure,
            width=W,
            stretch=S,
            shrink=K,
            bp_end=bp_end,
            bp_start=bp_start,
            bp_end_width=bp_ew,
            bp_end_shrink=[0.0] * m,
            bp_start_width=bp_sw,
            bp_penalty=bp_pen,
            last_cost=last_cost,
            last_justified=justify and style.last_line == "justify",
            slack=size,
            ragged=not justify,
            flagged=flagged,
            flagged_demerits=E.CONSECUTIVE_HYPHEN_DEMERITS,
            max_flagged_run=E.MAX_HYPHEN_RUN,
            flagged_run_demerits=E.HYPHEN_LADDER_DEMERITS,
            shrink_weight=E.SHRINK_WEIGHT,
            badness_cap=E.BADNESS_CAP,
            max_ratio=E.MAX_RATIO,
            stretch2=G if second else (),
            stretch2_from=self.second_from,
            stretch2_badness=second_badness,
            shrink2=G if second else (),
            shrink2_badness=second_badness,
            unstretchable=0.0 if ls > 0 else UNSTRETCHABLE,
        )


def _runt(text: str, start: int) -> bool:
    count = 0
    for c in text[start:]:
        if c.isalnum():
            count += 1
            if count > RUNT_LETTERS:
                return False
    return True


def _set_line(text: str, plan: _Plan, line: Line, first: bool, last: bool, measure: float,
              style: ParagraphStyle) -> SetLine:
    seg = plan.seg
    pieces, joints = plan.pieces, plan.joints
    p = plan.problem
    a0 = p.bp_start[line.start_bp] // 2
    a1 = (p.bp_end[line.end_bp] - 1) // 2
    jk = plan.bp_joint[line.end_bp]
    hyphen = jk >= 0 and joints[jk].kind == "hyphen"
    if style.align == "justify":
        align = style.last_line if last else "justify"
    else:
        align = style.align

    nat, st, sh = line.natural, line.stretch, line.shrink
    diff = measure - nat
    r = 0.0
    f = 0.0  # share of the second resource used, -1..1: letters closer / narrower .. wider apart
    spaced = False  # the line has no word space: every gap is letter-spaced alike
    offset = 0.0
    ls, ex = plan.letterspace, plan.expansion
    # glyph gaps inside words on this line (and before an added hyphen), and the letters' width
    count = sum(pieces[k].end - pieces[k].start - 1 for k in range(a0, a1 + 1))
    count += sum(1 for k in range(a0, a1) if joints[k].kind != "space")
    count += 1 if hyphen else 0
    # expansion widens the glyphs, not the tracking between them
    letters = sum(pieces[k].width - seg.track * (pieces[k].end - pieces[k].start - 1)
                  for k in range(a0, a1 + 1)) + (seg.hyphen_w if hyphen else 0.0)
    second = count * ls + letters * ex  # what letter-spacing and expansion may give either way
    if diff < -EPS:
        need = -diff
        if sh > EPS:
            r = -min(1.0, need / sh)
            need -= min(need, sh)
        if need > EPS and second > EPS:
            f = -min(need / second, 1.0)  # the last resort: letters closer, glyphs narrower
    elif diff > EPS:
        if align == "justify":
            if st > EPS:
                extra = diff - plan.second_from * st
                if extra > EPS and second > EPS:
                    f = min(extra / second, 1.0)
                    diff -= f * second
                r = diff / st
            elif second > EPS:
                # no word space to stretch: expansion and letter-spacing as far as they go (all
                # the way for letter-spacing: a page that allows it spreads such a line evenly)
                f = min(diff / second, 1.0)
                if ls > 0 and diff - f * second > EPS:
                    count = sum(pieces[k].end - pieces[k].start for k in range(a0, a1 + 1)) - 1
                    count += 1 if hyphen else 0
                    if count > 0:
                        f = 1.0
                        spaced = True
                        ls = (diff - letters * ex) / count / 1.0
        elif align == "center":
            offset = diff / 2.0
        elif align == "right":
            offset = diff

    letter = f * ls if not spaced else ls
    scale = 1.0 + f * ex
    adv = seg.pos
    step = seg.track + letter
    x = (style.indent * style.size if first else 0.0) + offset
    xs: list[float] = []
    ws: list[float] = []
    for k in range(a0, a1 + 1):
        pc = pieces[k]
        for i in range(pc.start, pc.end):
            if i > pc.start:
                x += step
            w = adv[i] * scale
            xs.append(x)
            ws.append(w)
            x += w
        if k < a1:
            j = joints[k]
            gw = j.nat + r * (j.st if r > 0 else j.sh)
            if spaced or j.kind != "space":
                gw += letter
            n_sp = j.end - j.start
            for i in range(n_sp):
                xs.append(x + gw * i / n_sp)
                ws.append(gw / n_sp)
            x += gw
    line_start = pieces[a0].start
    body = text[line_start : pieces[a1].end]
    units = tuple(pieces[k].start - line_start for k in range(a0 + 1, a1 + 1)
                  if joints[k - 1].kind != "space")  # (a word space ends a unit anyway)
    if hyphen:
        x += step
        xs.append(x)
        ws.append(seg.hyphen_w * scale)
        x += seg.hyphen_w * scale
        body += E.HYPHEN
        units += (len(body) - 1,)
    return SetLine(text=body, xs=tuple(xs), widths=tuple(ws), width=x, last=last,
                   added_hyphen=hyphen, units=units, spaced=not seg.ligatures, scale=scale)
