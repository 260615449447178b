"""Vertical setting (竖排): which characters stand upright, which turn, and the advances the
line composer measures a vertical line with.

The composer does not know a line's direction: it places characters along the line by their
advances. A vertical line is measured with :class:`VerticalMetrics`, which gives each character
its advance *down* the line:

* **upright** characters (Han, kana, CJK marks - UAX #50's U, Tu, Tr: those whose vertical
  form the font's ``vert`` gives) advance by their vertical advance (one em for the ideographs;
  HarfBuzz shapes them top to bottom, so 「」（）——…… take their vertical forms and 。，、 sit in
  the upper right of the box);
* **sideways** characters (Latin letters, digits, ASCII marks - UAX #50's R) are set in
  horizontal runs turned 90° clockwise: a run advances by its horizontal width;
* **upright in pairs** (縱中橫, tate-chu-yoko): a number of at most ``tcy`` digits standing
  alone between upright characters is set horizontally inside one em, its first character
  taking the whole advance.

:func:`orientation_runs` cuts a line's text into these runs, for the glyph placement
(``layout.compose.textset``) to draw each one the right way.
"""

from __future__ import annotations

from typing import NamedTuple

#: numbers of at most this many digits stand upright side by side (CSS text-combine-upright:
#: digits 2); longer ones are turned with Latin words
TCY_DIGITS = 2

# characters below U+2E80 that stand upright all the same (UAX #50 U/Tu/Tr in the general
# punctuation and symbols blocks): dashes and ellipses that turn to vertical forms, the curly
# quotes Chinese text uses, the middle dot, ideographic symbols
_UPRIGHT_LOW = frozenset("—―‖…‥‘’“”·※〃°℃℉§¶†‡№™©®○●◎◇◆□■△▲▽▼☆★♀♂")


def orientation(ch: str) -> str:
    """``upright`` or ``sideways`` in vertical text."""
    o = ord(ch)
    if o >= 0x2E80:
        # CJK, kana, Hangul, CJK marks, full-width forms: upright (full-width Latin too);
        # half-width forms (U+FF61-FFDC) and the small form variants turn
        if 0xFF61 <= o <= 0xFFDC:
            return "sideways"
        return "upright"
    if ch in _UPRIGHT_LOW or 0x2460 <= o <= 0x24FF or 0x2500 <= o <= 0x27BF:
        return "upright"  # also circled numbers, box drawing, symbols and dingbats
    return "sideways"


class Run(NamedTuple):
    start: int
    end: int
    kind: str  # "upright", "sideways" or "tcy"


def orientation_runs(text: str, tcy: int = TCY_DIGITS) -> list[Run]:
    """``text`` cut into runs set upright, turned, or combined upright (short numbers)."""
    runs: list[Run] = []
    n = len(text)
    i = 0
    while i < n:
        kind = orientation(text[i])
        j = i + 1
        while j < n and orientation(text[j]) == kind and not (kind == "sideways" and text[j].isspace()):
            j += 1
        if kind == "sideways" and text[i].isspace():
            kind = "upright"  # a space between upright characters is a gap, not a turned run
        elif kind == "sideways" and text[i:j].isdigit() and j - i <= tcy and _alone(text, i, j):
            kind = "tcy"
        runs.append(Run(i, j, kind))
        i = j
    return runs


def _alone(text: str, i: int, j: int) -> bool:
    """A number is combined upright only between upright characters (not part of 12.5 or a
    Latin word)."""
    before = text[i - 1] if i else ""
    after = text[j] if j < len(text) else ""
    return (not before or orientation(before) == "upright" or before.isspace()) and \
           (not after or orientation(after) == "upright" or after.isspace())


class VerticalMetrics:
    """A face stack's metrics for vertical lines (see the module docstring). ``tcy``: the most
    digits a number combined upright may have (0: none)."""

    def __init__(self, metrics, tcy: int = TCY_DIGITS) -> None:
        self.metrics = metrics
        self.tcy = tcy
        self.vertical = True

    def has(self, ch: str) -> bool:
        return self.metrics.has(ch)

    def advance(self, ch: str) -> float:
        return self.advances(ch)[0] if ch else 0.0

    @property
    def key(self) -> str | None:
        """The memo key of these metrics: the face's, and the direction."""
        base = getattr(self.metrics, "key", None)
        return f"{base}|vertical:{self.tcy}" if isinstance(base, str) else None

    def __getattr__(self, name):  # the stack's other attributes (face files, font keys ...)
        return getattr(self.metrics, name)

    def advances(self, text: str, lang: str = "zh", ligatures: bool = True) -> list[float]:
        out: list[float] = []
        for run in orientation_runs(text, self.tcy):
            part = text[run.start:run.end]
            if run.kind == "tcy":
                out.extend([1.0] + [0.0] * (len(part) - 1))
            elif run.kind == "sideways":
                out.extend(self.metrics.advances(part, lang, ligatures=ligatures))
            else:
                out.extend(self._upright(part, lang))
        return out

    def _upright(self, text: str, lang: str) -> list[float]:
        shaped = getattr(self.metrics, "shaped_runs", None)
        if shaped is None:  # a face without shaping (test doubles): one em each
            return [1.0 if not c.isspace() else self.metrics.advance(c) for c in text]
        out: list[float] = []
        for run, s in shaped(text, lang, direction="ttb"):
            out.extend(s.char_advances(run.end - run.start))
        # white space is glue, as wide as across a line (a word space, an ideographic space)
        return [self.metrics.advance(c) if c.isspace() else a for c, a in zip(text, out)]
