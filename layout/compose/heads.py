"""Heads (headlines, kickers, subheads, section heads): one line or a few balanced lines.

A head breaks where its text allows: at a space (a full-width space parts parallel phrases),
after a mark, or between two characters where no prohibition forbids it - never inside a Latin
word, a number with its unit (``2024年``) or a kept term, and only reluctantly inside a Chinese
word (神舟九号飞船 stays whole: :mod:`layout.text.hanwords`), before a particle (的 ends its
line) or after a conjunction (和 begins one), or inside brackets or quotes (a 「name」 stays
whole when it can). A Latin head's line ends with an article only as a last resort, and
reluctantly with a short preposition or conjunction. The lines are balanced, the upper one not
the shorter, and phrase boundaries are preferred to breaks inside a phrase.

Sizes follow the desk's rule: a head keeps its size and wraps; it shrinks only down to its
declared minimum (``min_size``) to stay on ``max_lines`` lines, and past that it wraps onto as
many lines as it needs (the build report says so); only a single unbreakable run wider than the
frame is set smaller than the minimum (a warning). With ``fit`` the head takes the largest size
between its minimum and maximum that fills the width on its allowed lines, as an editor does
with 方正飞腾's size slider.

Widths grow linearly with the size, so each way to break a head is measured once, at size 1,
and sizes then follow by division.
"""

from __future__ import annotations

from itertools import combinations

from msgspec import Struct

from layout.compose.textset import natural_width
from layout.text import hanwords
from layout.text import rules_zh as R
from layout.text.api import Metrics
from layout.text.languages import is_chinese
from layout.text.units import segment

SPACES = (" ", "\u3000")
MAX_PARTITIONS = 20000  # enough for 4 lines of a 40-character head
#: a head wraps onto at most this many lines before it is set smaller than its minimum
MAX_WRAP = 6
#: cost (em at size 1) of a break inside a phrase (between two characters), and inside
#: brackets or quotes; a break at a space or after a mark costs nothing
IN_PHRASE = 4.0
IN_BRACKETS = 12.0
#: cost (em) of a break inside a Chinese word (on top of IN_PHRASE), weighed only when no way
#: of breaking the head between words fits (see :func:`_fit_head`)
IN_WORD = 12.0
#: cost (em) of a break before a particle (的, 之, 了), which ends a line, or after a
#: conjunction (和, 及), which begins one (on top of IN_PHRASE); and of a Latin head's line
#: ending with a preposition or conjunction ("of", "and"; one ending with an article, "the",
#: costs IN_WORD: :attr:`layout.text.rules_en.LatinRules.head_articles`)
MISPLACED_WORD = 4.0
#: cost (em) of each line: a head takes one line more rather than break inside a phrase
LINE_COST = 3.0


class HeadFit(Struct, frozen=True):
    """How a head is set: its size, its lines, whether it wrapped past ``max_lines`` (at its
    minimum size) and whether it had to be set below its minimum (a run wider than the frame)."""

    size: float
    lines: list[str]
    wrapped: bool = False
    shrunk: bool = False


def _cuts(text: str, metrics: Metrics, lang: str, whole_words: bool) -> list[tuple[int, int, float]]:
    """Where the head may break: (end of the line before, start of the next, cost); with
    ``whole_words`` never inside a Chinese word. White space at a break is dropped."""
    # (an ideographic space parts phrases: a place to break, dropped there, like a space)
    atoms, gaps = segment(text.replace("\u3000", " "), metrics, (), lang)
    words = hanwords.marks(text.replace("\u3000", " "), lang)
    latin = None if is_chinese(lang) else _latin_rules(lang)
    out = []
    depth = 0
    for k, g in enumerate(gaps):
        a, b = atoms[k], atoms[k + 1]
        depth += sum(1 for c in text[a.start:a.end] if c in R.OPEN) - sum(1 for c in text[a.start:a.end] if c in R.CLOSE)
        if g.bound:
            continue
        last, first = text[a.end - 1], text[b.start]
        if not R.can_break(last, first, "basic"):
            continue
        if a.cls == "latin" and b.cls == "latin" and not g.has_space:
            continue  # (inside a word)
        if latin is not None and not g.has_space and last not in latin.head_break_after:
            continue  # (a Latin head breaks at a space or after a dash: not in "Iraq’s", "U.S.")
        phrase = g.has_space or a.cls in R.PUNCT_CLASSES or b.cls == "open"
        cost = 0.0 if phrase else IN_PHRASE
        if not phrase and words is not None:
            mark = words[a.end - 1]
            if mark == hanwords.INSIDE:
                if whole_words:
                    continue
                cost += IN_WORD
            elif mark in (hanwords.BEFORE_PARTICLE, hanwords.AFTER_CONJUNCTION):
                cost += MISPLACED_WORD
        elif latin is not None and g.has_space and a.cls == "latin":
            word = text[a.start:a.end].lower().strip(".,;:!?'\"‘’“”()")
            cost += IN_WORD if word in latin.head_articles else MISPLACED_WORD if word in latin.head_weak_ends else 0.0
            if last.isdigit() and b.cls == "latin":
                cost += IN_WORD  # (a number stays with what it counts: "$1.8 billion", "130 flights")
        if depth > 0:
            cost += IN_BRACKETS
        out.append((a.end, b.start, cost))
    return out


def _latin_rules(lang: str):
    from layout.text.languages import latin_rules

    try:
        return latin_rules(lang)
    except ValueError:  # (a language with no rules: its heads break by balance alone)
        return None


def _layouts(text: str, metrics: Metrics, max_lines: int, tracking: float, lang: str = "zh",
             whole_words: bool = False):
    """Every way to set the head on 1..max_lines lines, as (lines, widths at size 1, cost)."""
    text = text.strip()
    if not text:
        return
    yield [text], [natural_width(text, metrics, 1.0, tracking, lang)], 0.0
    if max_lines < 2:
        return
    cuts = _cuts(text, metrics, lang, whole_words)  # (only for a head that may take more lines)
    count = 0
    for n in range(2, min(max_lines, len(cuts) + 1) + 1):
        for chosen in combinations(cuts, n - 1):
            count += 1
            if count > MAX_PARTITIONS:
                return
            starts = [0] + [c[1] for c in chosen]
            ends = [c[0] for c in chosen] + [len(text)]
            lines = [text[s:e] for s, e in zip(starts, ends)]
            yield (lines, [natural_width(ln, metrics, 1.0, tracking, lang) for ln in lines],
                   sum(c[2] for c in chosen))


def _cost(widths: list[float], breaks: float) -> float:
    """Balance: the spread of line widths, an upper line shorter than the next costing extra,
    plus the cost of where the lines break."""
    spread = max(widths) - min(widths)
    return spread + sum(0.5 * (b - a) for a, b in zip(widths, widths[1:]) if b > a) + breaks


def break_head(text: str, metrics: Metrics, size: float, width: float, max_lines: int,
               tracking: float = 0.0, lang: str = "zh", whole_words: bool = False) -> list[str] | None:
    """The head's lines at ``size`` within ``width`` on at most ``max_lines`` lines, or None:
    one line when it fits, else the best balanced lines breaking at phrases (a line more rather
    than a break inside a phrase; with ``whole_words`` never inside a Chinese word)."""
    limit = width / size + 1e-9
    best: tuple[int, float, list[str]] | None = None
    for lines, widths, breaks in _layouts(text, metrics, max_lines, tracking, lang, whole_words):
        if len(lines) == 1 and widths[0] <= limit:
            return lines  # (one line that fits beats any other: no break is weighed)
        if max(widths) > limit:
            continue
        key = (len(lines) > 1, _cost(widths, breaks) + LINE_COST * len(lines))  # one line if it fits
        if best is None or key < best[:2]:
            best = (*key, lines)
    return best[2] if best else None


def _largest(text: str, metrics: Metrics, width: float, lo: float, hi: float, max_lines: int,
             tracking: float, lang: str, whole_words: bool = False) -> tuple[float, list[str]] | None:
    """The largest half-point size in [lo, hi] at which the head fits on ``max_lines`` lines
    (fewer lines, then better balance, win a tie), or None."""
    best: tuple[float, int, float, list[str]] | None = None
    for lines, widths, breaks in _layouts(text, metrics, max_lines, tracking, lang, whole_words):
        s = min(hi, width / max(max(widths), 1e-9))
        s = int(s * 2 + 1e-9) / 2  # half-point steps, as editors size heads
        key = (-s, len(lines), _cost(widths, breaks))
        if best is None or key < best[:3]:
            best = (*key, lines)
    if best is not None and -best[0] >= lo - 1e-6:
        return -best[0], best[3]
    return None


def fit_head(text: str, metrics: Metrics, width: float, *, size: float, fit: bool, min_size: float | None,
             max_size: float | None, max_lines: int, tracking: float = 0.0, lang: str = "zh") -> HeadFit:
    """How to set a head in ``width`` pt (see the module docstring). Remembered in the process
    for faces with a key (the paragraph memo's): a story composed again after an edit to its
    body sets the same heads (trying every way to break a head costs ~0.1 ms)."""
    from layout.text.memo import metrics_key

    face = metrics_key(metrics)
    key = None if face is None else (text, face, width, size, fit, min_size, max_size, max_lines, tracking, lang)
    hit = _FITTED.get(key) if key is not None else None
    if hit is None:
        hit = _fit_head(text, metrics, width, size=size, fit=fit, min_size=min_size, max_size=max_size,
                        max_lines=max_lines, tracking=tracking, lang=lang)
        if key is not None:
            if len(_FITTED) >= 2048:
                _FITTED.pop(next(iter(_FITTED)))
            _FITTED[key] = hit
    return HeadFit(hit.size, list(hit.lines), hit.wrapped, hit.shrunk)  # (its own list of lines)


#: heads fitted in this process: (text, face key, width, size, fit, sizes, lines, tracking, lang) -> HeadFit
_FITTED: dict[tuple, HeadFit] = {}


def _fit_head(text: str, metrics: Metrics, width: float, *, size: float, fit: bool, min_size: float | None,
              max_size: float | None, max_lines: int, tracking: float = 0.0, lang: str = "zh") -> HeadFit:
    if fit:
        hi = max_size or size
        lo = min_size or size / 2
    else:
        hi = size
        lo = min_size or size
    # Chinese words whole first, at every step (a smaller size, a line more past max_lines, which
    # the build report notes): a head broken inside a word (飞 / 船) is an error on the desk's
    # proof; it breaks so only when no way between words fits at all
    for whole in (True, False) if is_chinese(lang) else (False,):
        if not fit:
            lines = break_head(text, metrics, size, width, max_lines, tracking, lang, whole)
            if lines is not None:
                return HeadFit(size, lines)
        found = _largest(text, metrics, width, lo, hi, max_lines, tracking, lang, whole)
        if found is not None:
            return HeadFit(found[0], found[1])
        # past its minimum: wrap onto more lines at the minimum size
        for n in range(max_lines + 1, MAX_WRAP + 1):
            lines = break_head(text, metrics, lo, width, n, tracking, lang, whole)
            if lines is not None:
                # the fewest lines it fits on, or one more if that lets it break at its phrases
                lines = break_head(text, metrics, lo, width, min(n + 1, MAX_WRAP), tracking, lang, whole) or lines
                return HeadFit(lo, lines, wrapped=True)
    # a run with no break wider than the frame: the largest size that fits, below the minimum
    # (words whole at the largest size they allow, if any)
    found = (_largest(text, metrics, width, 1.0, lo, MAX_WRAP, tracking, lang, True)
             or _largest(text, metrics, width, 1.0, lo, MAX_WRAP, tracking, lang))
    if found is not None:
        return HeadFit(found[0], found[1], wrapped=len(found[1]) > max_lines, shrunk=True)
    natural = natural_width(text, metrics, 1.0, tracking, lang)
    return HeadFit(min(lo, width / max(natural, 1e-9) * 0.995), [text], shrunk=True)


def wrap_head(text: str, metrics: Metrics, size: float, width: float, tracking: float = 0.0,
              lang: str = "zh") -> HeadFit:
    """A kicker, subhead or section head at its level's one size: as many balanced lines as it
    needs (smaller only when a run wider than the frame leaves no other way)."""
    return fit_head(text, metrics, width, size=size, fit=False, min_size=None, max_size=None,
                    max_lines=1, tracking=tracking, lang=lang)
