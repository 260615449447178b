"""The contract between page composition and the line composer.

Page composition (``layout.compose``) hands a paragraph, a measure and a style to
:func:`compose_paragraph` and gets back set lines: every character with its x offset and set
width, in points, relative to the line's start. It never looks inside the breaker; the breaker
never knows about pages, columns or PDF.
"""

from __future__ import annotations

from typing import Literal, Protocol

from msgspec import Struct, field
from msgspec.structs import force_setattr


class Metrics(Protocol):
    """Advance widths of a font role, in em (font units / unitsPerEm): one character's
    (``advance``), or every character's of a text after shaping (``advances``: kerning,
    ligatures), and whether any face of the role has a character."""

    def advance(self, ch: str) -> float: ...

    def advances(self, text: str, lang: str, ligatures: bool = True) -> list[float]: ...

    def has(self, ch: str) -> bool: ...


Prohibition = Literal["none", "basic", "gb", "strict"]
Align = Literal["justify", "left", "center", "right"]
OpenAtStart = Literal["full", "half"]


class ParagraphStyle(Struct, frozen=True):
    size: float  # pt
    indent: float = 2.0  # first-line indent, em of this size
    align: Align = "justify"
    last_line: Align = "left"  # alignment of a justified paragraph's last line
    prohibition: Prohibition = "basic"
    adjacent_punct: float = 1.5  # em taken by two adjacent full-width marks (1.5, or 1 tight)
    han_latin_space: float = 0.25  # em between Han and Latin/digits (0 allowed)
    hanging: bool = False  # let 、，。 hang past the measure at line end
    avoid_orphan: bool = True  # no 孤字: last line never one char, or one char plus a mark
    tracking: float = 0.0  # em added between characters (headlines may use negative)
    lang: str = "zh"  # language of the text: picks the rules (see layout.text.languages)
    hyphenate: bool = True  # Latin-script languages: break words at dictionary points
    keep: tuple[str, ...] = ()  # terms set as one unit wherever they occur: never broken, no
    # Han–Latin space or justification space inside ("厂BA", "Z-1", "C位")
    open_at_start: OpenAtStart = "full"  # an opening bracket or quote starting a line (also a
    # paragraph, after the indent): "full" keeps its em box (mainland GB practice), "half" sets
    # it half-width (its blank left half removed), always, whether the line is tight or not
    expansion: float = 0.03  # Latin-script languages: glyphs may be this much wider or narrower
    # (horizontal scale, as TeX's microtype expands fonts) once word spaces have opened to 1.5
    # times: even word spacing without letter-spacing (0: off)
    compress: bool = True  # Chinese: full-width marks lose blank halves (at line ends, in pairs,
    # in tight lines: mainland GB style); False sets every mark a full em (Taiwan, Hong Kong)
    letterspace: float = 0.0  # Latin-script languages: letter-spacing allowed as a last resort
    # to justify a line, at most this many em between two letters either way (0: none)

    def __post_init__(self) -> None:
        if not isinstance(self.keep, tuple):  # a list from YAML: keep the style hashable
            force_setattr(self, "keep", tuple(self.keep))


class SetLine(Struct, frozen=True):
    """One composed line. ``xs[i]`` is the left edge of ``text[i]`` from the line's start (pt),
    ``widths[i]`` its set width (pt); ``width`` is the distance from the line start to the
    right edge of its last character (== measure for justified lines, modulo hanging).

    ``text`` is a slice of the paragraph's input, except that a line of a word broken at a
    hyphenation point ends with a hyphen the composer added (``added_hyphen``). The input
    comes back as the lines' texts, each without its added hyphen, joined with the white space
    that stood at each break (none inside a broken word or after an explicit hyphen or dash)."""

    text: str
    xs: tuple[float, ...]
    widths: tuple[float, ...]
    width: float
    last: bool  # the paragraph's last line
    hang: float = 0.0  # how far a hanging mark sticks out past the measure (pt)
    added_hyphen: bool = False  # the composer added the trailing "-" of ``text`` (a word broken
    # at a hyphenation point): drop it to get the input back; a hyphen that was in the input
    # ("well-|known") is not added and stays
    units: tuple[int, ...] = ()  # indices of ``text`` where the composer measured a new shaping
    # unit (the pieces of a word between its hyphenation points): glyphs are shaped in the same
    # units, so no ligature or kerning is drawn that was not measured
    spaced: bool = False  # letters are spaced apart or together (letter-spacing, tracking): set
    # without ligatures, each letter in its own box
    scale: float = 1.0  # horizontal scale of the line's glyphs (font expansion: 0.98-1.02),
    # already in ``xs`` and ``widths``; the renderer draws the glyphs that much wider


class Change(Struct, dict=True):
    """One normalisation made to the input text (for the build report)."""

    kind: str  # e.g. "ascii-comma", "straight-quotes", "ellipsis", "dash"
    index: int  # character offset in the *original* text
    before: str
    after: str


class Normalized(Struct, dict=True):
    text: str
    changes: list[Change] = field(default_factory=list)
