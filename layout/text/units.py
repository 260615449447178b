"""Segmentation of a paragraph into atoms (boxes that are set whole) and the gaps between them.

An *atom* is one Han character, one punctuation mark, one —— or …… pair, or one Latin word /
number (a maximal run of Latin letters, digits and ASCII punctuation). White space is not an
atom: it lives in the *gap* between two atoms, which becomes glue. A gap is *bound* when the two
atoms belong to one unit that must not split even though they are set as separate boxes: a
number and its unit (``575亿元``, ``12万人``, ``2024年``) and a capital letter glued to a Han
character (``C位``). The terms of ``ParagraphStyle.keep`` (``厂BA``, ``Z-1``) are bound too, and
*tight*: no Han–Latin space and no justification space inside them. Whether a free gap may
actually break is decided later by the prohibition rules; this module only knows what the text
is made of.
"""

from __future__ import annotations

from .api import Metrics
from . import rules_zh as R


class Atom:
    """A box set whole. Widths are in em of the paragraph's size.

    ``lfix``/``rfix`` are blank halves removed for good (adjacent marks); ``lshr``/``rshr`` are
    blank halves still removable (mid-line compression; ``rshr`` is always removed at line end).
    ``mark`` is set for full-width marks, the ones compression applies to.
    """

    __slots__ = (
        "start", "end", "cls", "advs", "adv", "lfix", "rfix", "lshr", "rshr", "is_char", "mark"
    )

    def __init__(self, start: int, end: int, cls: str, advs: tuple[float, ...]) -> None:
        self.start = start
        self.end = end
        self.cls = cls
        self.advs = advs
        self.adv = sum(advs)
        self.lfix = self.rfix = self.lshr = self.rshr = 0.0
        self.is_char = cls not in _NOT_CHARS
        self.mark = False  # a full-width mark with a blank half (set by punct.blanks)

    @property
    def width(self) -> float:
        """Natural set width after fixed compression (em)."""
        return self.adv - self.lfix - self.rfix

    def __repr__(self) -> str:  # pragma: no cover - debugging aid
        return f"Atom({self.start}:{self.end} {self.cls} w={self.width:.2f})"


#: classes of atoms that are not characters for the 孤字 rule
_NOT_CHARS = R.PUNCT_CLASSES | {"fullspace"}


class Gap:
    """What lies between atom k and k+1: the text span of white space (maybe empty)."""

    __slots__ = ("start", "end", "bound", "tight", "inner")

    def __init__(self, start: int, end: int, bound: bool = False, inner: str = "") -> None:
        self.start = start
        self.end = end
        self.bound = bound
        self.tight = False  # inside a kept term: no spacing added, never opened
        #: a break inside a Latin word (:mod:`wordbreaks`): "hyphen" (a hyphen is added at the
        #: break), "joint" (after an explicit hyphen: nothing added), "address" (after an
        #: address's separator: nothing added; the only place a line of an address may open),
        #: "letter" (between two letters of an address: a last resort), "split" (between two
        #: letters of a word split as an emergency), "" (not inside a word)
        self.inner = inner

    @property
    def has_space(self) -> bool:
        return self.end > self.start


def segment(
    text: str, metrics: Metrics, keep: tuple[str, ...] = (), lang: str = "zh"
) -> tuple[list[Atom], list[Gap]]:
    """Split ``text`` into atoms and the ``len(atoms) - 1`` gaps between them.

    White space before the first and after the last atom belongs to no line and is dropped.
    Every occurrence of a string of ``keep`` is one unit: the gaps inside it are bound, and
    tight where no white space is typed. Advances are the shaped ones (``metrics.advances``:
    kerning and ligatures in Latin words, the language's forms of CJK marks).
    """
    advs = metrics.advances(text, lang)
    atoms: list[Atom] = []
    classes = R.char_classes(text)
    n = len(text)
    i = 0
    while i < n:
        cls = classes[i]
        if cls == "space":
            i += 1
            continue
        j = i + 1
        if cls == "latin":
            while j < n and classes[j] == "latin":
                j += 1
        elif cls in ("dash", "ellipsis"):
            # a pair of the same mark is one unit (——, ……); never split inside it
            if j < n and text[j] == text[i]:
                j += 1
        atoms.append(Atom(i, j, cls, (advs[i],) if j == i + 1 else tuple(advs[i:j])))
        i = j

    gaps = [Gap(a.end, b.start) for a, b in zip(atoms, atoms[1:])]
    _bind(text, atoms, gaps)
    if keep:
        bind_kept(text, [(a.start, a.end) for a in atoms], gaps, keep)
    return atoms, gaps


def kept_spans(text: str, keep: tuple[str, ...]) -> list[tuple[int, int]]:
    """The text spans of every occurrence of the ``keep`` terms, overlapping ones merged."""
    spans = []
    for term in keep:
        if not term:
            continue
        i = text.find(term)
        while i >= 0:
            spans.append((i, i + len(term)))
            i = text.find(term, i + 1)
    spans.sort()
    merged: list[tuple[int, int]] = []
    for s, e in spans:
        if merged and s < merged[-1][1]:
            merged[-1] = (merged[-1][0], max(e, merged[-1][1]))
        else:
            merged.append((s, e))
    return merged


def bind_kept(text: str, boxes: list[tuple[int, int]], gaps: list, keep: tuple[str, ...]) -> None:
    """Bind (and tighten) the gaps between boxes ``(start, end)`` that lie inside one kept term.

    ``gaps[k]`` lies between ``boxes[k]`` and ``boxes[k + 1]``; a gap is inside a term when the
    boxes on both sides overlap it."""
    spans = kept_spans(text, keep)
    if not spans:
        return
    k = 0
    n = len(boxes)
    for s, e in spans:
        while k < n - 1 and boxes[k][1] <= s:
            k += 1
        j = k
        while j < n - 1 and boxes[j + 1][0] < e and boxes[j][1] > s:
            g = gaps[j]
            g.bound = True
            if g.start == g.end:
                g.tight = True
            j += 1


def _bind(text: str, atoms: list[Atom], gaps: list[Gap]) -> None:
    """Mark the gaps inside number+unit and letter+Han units as bound."""
    for k in range(len(atoms) - 1):
        a = atoms[k]
        if a.cls != "latin" or gaps[k].has_space or atoms[k + 1].cls != "han":
            continue
        word = text[a.start : a.end]
        if word[-1].isdigit():
            m = R.NUMBER_SUFFIX.match(text, a.end)
            length = m.end() - a.end if m else 0
        elif len(word) == 1 and R.LETTER_PREFIX.fullmatch(word):
            length = 1
        else:
            continue
        # bind the gaps inside the unit, as long as each character is its own Han atom
        kk = k
        while length > 0 and kk + 1 < len(atoms):
            nxt = atoms[kk + 1]
            if nxt.cls != "han" or gaps[kk].has_space:
                break
            gaps[kk].bound = True
            length -= nxt.end - nxt.start
            kk += 1


def split_latin_words(text: str, atoms: list[Atom], gaps: list[Gap], metrics: Metrics, lang: str,
                      hyphenate: bool, keep: tuple[str, ...] = ()) -> tuple[list[Atom], list[Gap]]:
    """Latin words cut at the places a line may break inside them (:func:`wordbreaks.word_breaks`:
    an address after its separators, a word after an explicit hyphen and at its hyphenation
    points): one atom per piece, each piece measured on its own (as it is shaped when set), the
    gaps between them ``inner``. Words bound to a unit (``12万``) or kept are not cut."""
    from .wordbreaks import word_breaks

    new_atoms: list[Atom] = []
    new_gaps: list[Gap] = []
    kept = kept_spans(text, keep) if keep else []
    for k, a in enumerate(atoms):
        if k:
            new_gaps.append(gaps[k - 1])
        cuts = []
        if a.cls == "latin" and a.end - a.start >= 4:
            bound = (k and gaps[k - 1].bound) or (k < len(gaps) and gaps[k].bound) \
                or any(s < a.end and a.start < e for s, e in kept)
            if not bound:
                cuts = word_breaks(text[a.start:a.end], lang, hyphenate)
        if not cuts:
            new_atoms.append(a)
            continue
        prev = a.start
        for off, kind in cuts:
            cut = a.start + off
            new_atoms.append(Atom(prev, cut, "latin", tuple(metrics.advances(text[prev:cut], lang))))
            new_gaps.append(Gap(cut, cut, inner=kind))
            prev = cut
        new_atoms.append(Atom(prev, a.end, "latin", tuple(metrics.advances(text[prev:a.end], lang))))
    return new_atoms, new_gaps


def split_word(atom: Atom, advs: list[float] | None = None) -> list[Atom]:
    """A Latin word as one atom per character: the last resort for a word wider than the line.
    ``advs``: each letter's own advance (a shaped word's ligature would give its letters none)."""
    out = []
    for i, a in enumerate(advs if advs is not None else atom.advs):
        out.append(Atom(atom.start + i, atom.start + i + 1, "latin", (a,)))
    return out
