"""Chinese (GB / clreq) text rules as data: character classes, prohibitions, spacing, bindings.

Nothing here breaks lines. The generic breaker (:mod:`layout.text.breaker`) only sees widths and
break penalties; this module says what a character *is* and what may happen next to it, after
W3C clreq and GB/T 15834-2011 (see ``/work/shared/design/typography.md``).

Character classes (the strings are the class names used everywhere in ``layout.text``):

``han``      ideographs, kana, full-width letters/digits, other CJK symbols: one box each
``open``     opening brackets and quotes; GB style puts the ink in the *right* half of the em box
``close``    closing brackets and quotes; ink in the *left* half
``stop``     句读 、，。． ; ink in the left half
``stop2``    other stops ；：！？ ; ink in the left half (GB style)
``dot``      middle dot · ; ink centred
``dash``     —— (a pair is one unit)
``ellipsis`` …… (a pair is one unit)
``slash``    ／
``conn``     connectors ～ –
``latin``    Latin letters, digits and ASCII punctuation: words are runs of these
``space``    white space (glue: stretchable, breakable, dropped at line ends)
``fullspace`` U+3000 ideographic space: a blank one-em box
"""

from __future__ import annotations

import re
import unicodedata

# --- character classes ------------------------------------------------------------------------

OPEN = "“‘「『（［｛〔〖【《〈｟〘〚"
CLOSE = "”’」』）］｝〕〗】》〉｠〙〛"
STOP = "、，。．"
STOP2 = "；：！？"
DOT = "·・‧"
DASH = "—―⸺⸻"
ELLIPSIS = "…"
SLASH = "／"
CONN = "～–〜"
# Postfix / prefix symbols that behave like closing / opening marks at a break.
POSTFIX = "％‰℃°′″"
PREFIX = "￥＄£€"
#: operators and joining symbols (formulas, "无人+北斗", "1×2", "A=B", "5~10"): never at a line
#: start, where they would read as a sign of what follows
OPERATORS = "+＋=＝×÷±~/＜＞<>"

#: classes of full-width punctuation whose blank half may be removed (compression)
COMPRESSIBLE = frozenset({"open", "close", "stop", "stop2"})
#: classes counted as punctuation (not "characters") for the 孤字 rule
PUNCT_CLASSES = frozenset(
    {"open", "close", "stop", "stop2", "dot", "dash", "ellipsis", "slash", "conn"}
)
#: only these may hang past the measure (clreq: most publications don't hang at all)
HANGABLE = "、，。"

_CLASS_OF: dict[str, str] = {}
for _cls, _chars in (
    ("open", OPEN),
    ("close", CLOSE),
    ("stop", STOP),
    ("stop2", STOP2),
    ("dot", DOT),
    ("dash", DASH),
    ("ellipsis", ELLIPSIS),
    ("slash", SLASH),
    ("conn", CONN),
):
    for _c in _chars:
        _CLASS_OF[_c] = _cls
for _c in " \t\n\r\f\v\u00a0\u2002\u2003\u2009\u200a\u202f":
    _CLASS_OF[_c] = "space"
_CLASS_OF["\u3000"] = "fullspace"

_HAN_RANGES = (
    (0x3400, 0x4DBF),
    (0x4E00, 0x9FFF),
    (0xF900, 0xFAFF),
    (0x20000, 0x3FFFF),
    (0x3040, 0x30FF),  # kana
    (0x3005, 0x3007),  # 々〆〇
)


def is_han(ch: str) -> bool:
    """Ideograph (or kana): a character that takes one em box and may break on either side."""
    o = ord(ch)
    for lo, hi in _HAN_RANGES:
        if lo <= o <= hi:
            return True
    return False


def char_class(ch: str) -> str:
    """The clreq class of one character (see the module docstring)."""
    c = _CLASS_OF.get(ch)
    if c is None:
        c = _CLASS_OF[ch] = _classify(ch)  # memoised: the table only grows by what text uses
    return c


def char_classes(text: str) -> list[str]:
    """:func:`char_class` of each character of ``text`` (a paragraph's, at once)."""
    known = _CLASS_OF.get
    return [known(ch) or char_class(ch) for ch in text]


def _classify(ch: str) -> str:
    if is_han(ch):
        return "han"
    if ord(ch) < 0x2E80:
        # Latin, Greek, Cyrillic letters, digits, ASCII punctuation and symbols: word material,
        # except a few symbols that are really CJK-context boxes.
        if ch in POSTFIX or ch in PREFIX:
            return "han"
        return "latin"
    return "han"  # CJK symbols, full-width forms, circled numbers ...: one box each


def is_cjk_punct(ch: str) -> bool:
    """A full-width / CJK punctuation mark (used by normalisation to detect Chinese context)."""
    return _CLASS_OF.get(ch, "") in PUNCT_CLASSES or 0x3000 < ord(ch) <= 0x303F or (
        0xFF01 <= ord(ch) <= 0xFF0F
        or 0xFF1A <= ord(ch) <= 0xFF20
        or 0xFF3B <= ord(ch) <= 0xFF40
        or 0xFF5B <= ord(ch) <= 0xFF65
    )


def is_chinese(ch: str) -> bool:
    """Han or CJK punctuation: what makes the neighbourhood 'Chinese text'."""
    return is_han(ch) or is_cjk_punct(ch)


def is_alnum_latin(ch: str) -> bool:
    """A Latin letter or digit (what Han–Latin spacing applies to; not ``/`` or ``-``)."""
    return ord(ch) < 0x2E80 and (ch.isalnum() or unicodedata.category(ch).startswith("L"))


# --- ink: where the visible glyph lies inside its full em box ----------------------------------

#: fraction (left, right) of the full advance that holds ink, for full-width marks (GB style)
INK_FRACTION = {
    "open": (0.5, 1.0),
    "close": (0.0, 0.5),
    "stop": (0.0, 0.5),
    "stop2": (0.0, 0.5),
    "dot": (0.25, 0.75),
}
#: a mark narrower than this (em) is proportional in the face: not compressed, ink = advance
FULL_WIDTH_MIN = 0.9

# --- prohibitions (clreq 3.1.7, four levels) ----------------------------------------------------

_NO_START_BASIC = CLOSE + STOP + STOP2 + DOT + CONN + SLASH + POSTFIX + OPERATORS + "ゝゞヽヾ々ー"
_NO_END_BASIC = OPEN + PREFIX

NO_START: dict[str, frozenset[str]] = {
    "none": frozenset(),
    "basic": frozenset(_NO_START_BASIC),
    "gb": frozenset(_NO_START_BASIC),
    "strict": frozenset(_NO_START_BASIC + DASH + ELLIPSIS),
}
NO_END: dict[str, frozenset[str]] = {
    "none": frozenset(),
    "basic": frozenset(_NO_END_BASIC),
    "gb": frozenset(_NO_END_BASIC + SLASH),
    "strict": frozenset(_NO_END_BASIC + SLASH),
}
#: ASCII marks that cannot begin / end a line when they begin / end a Latin word
LATIN_NO_START = frozenset(",.;:!?)]}%'\"")
LATIN_NO_END = frozenset("([{")

# The tables above are clreq's tailoring; every other character takes its prohibitions from its
# Unicode line-break class (UAX #14, read through uniseg), so that nothing falls into a class by
# default: ‼ ⁇ ⁉ and 々 are nonstarters (NS), ⋯ ‥ inseparable (IN), ℉ ﹪ postfixes (PO),
# ASCII ( [ { open (OP) and ) ] } close (CP) like their full-width forms.

#: UAX #14 classes that may not start a line, per level: closing punctuation (CL, CP),
#: exclamation/interrogation (EX), infix separators (IS), nonstarters (NS), postfixes (PO),
#: inseparable leaders (IN: ⋯ ‥, UAX #14's "no break before"); strict adds dashes (B2) and small
#: kana (CJ). (The ellipsis …… and the dash —— themselves are in the tables above, by level.)
NO_START_CLASSES: dict[str, frozenset[str]] = {
    "none": frozenset(),
    "basic": frozenset({"CL", "CP", "EX", "IS", "NS", "PO", "IN"}),
    "gb": frozenset({"CL", "CP", "EX", "IS", "NS", "PO", "IN"}),
    "strict": frozenset({"CL", "CP", "EX", "IS", "NS", "PO", "IN", "B2", "CJ"}),
}
#: UAX #14 classes that may not end a line: opening punctuation (OP), prefixes (PR: currency
#: signs, plus and minus, numero)
NO_END_CLASSES: dict[str, frozenset[str]] = {
    "none": frozenset(),
    "basic": frozenset({"OP", "PR"}),
    "gb": frozenset({"OP", "PR"}),
    "strict": frozenset({"OP", "PR"}),
}
#: quotation marks whose direction the character does not tell (UAX #14 QU: ' " « » ‹ ›, not the
#: curly quotes, which the tables above place): no line starts or ends next to one
AMBIGUOUS_QUOTES = frozenset("'\"«»‹›")

_BREAK_CLASS: dict[str, str] = {}


def break_class(ch: str) -> str:
    """The UAX #14 line-break class of one character (``ID``, ``AL``, ``CL`` ...), memoised."""
    c = _BREAK_CLASS.get(ch)
    if c is None:
        from uniseg.linebreak import line_break

        c = _BREAK_CLASS[ch] = str(line_break(ch))
    return c


#: characters the tables above place, whatever their Unicode class: the common case needs no
#: lookup (uniseg's data costs ~60 ms to load; a warm build seldom meets a character outside these)
_TABLED = frozenset(OPEN + CLOSE + STOP + STOP2 + DOT + DASH + ELLIPSIS + SLASH + CONN + POSTFIX + PREFIX
                    + OPERATORS + " \u3000" + "ゝゞヽヾ々ー")


def _decided(ch: str) -> bool:
    return ch in _TABLED or ch.isalnum() or ch.isspace() or is_han(ch)


def no_start(ch: str, level: str) -> bool:
    """May ``ch`` not begin a line at ``level`` (clreq's tables, then its Unicode class)?"""
    if level == "none":
        return False
    if ch in NO_START[level] or ch in AMBIGUOUS_QUOTES:
        return True
    if _decided(ch):  # (the common case: no lookup)
        return False
    return break_class(ch) in NO_START_CLASSES[level]


def no_end(ch: str, level: str) -> bool:
    """May ``ch`` not end a line at ``level``?"""
    if level == "none":
        return False
    if ch in NO_END[level] or ch in AMBIGUOUS_QUOTES:
        return True
    if _decided(ch):
        return False
    return break_class(ch) in NO_END_CLASSES[level]


def can_break(prev_last: str, next_first: str, level: str) -> bool:
    """May a line end after ``prev_last`` and the next begin with ``next_first``? (Remembered
    per pair: a paragraph asks it at every gap, and pairs repeat.)"""
    key = (prev_last, next_first, level)
    hit = _BREAKS.get(key)
    if hit is None:
        if len(_BREAKS) >= BREAKS_LIMIT:
            _BREAKS.clear()
        hit = _BREAKS[key] = _can_break(prev_last, next_first, level)
    return hit


#: can_break's answers by (character before, character after, level)
_BREAKS: dict[tuple[str, str, str], bool] = {}
BREAKS_LIMIT = 1 << 16


def _can_break(prev_last: str, next_first: str, level: str) -> bool:
    if level == "none":
        return True
    if no_start(next_first, level) or no_end(prev_last, level):
        return False
    if next_first in LATIN_NO_START or prev_last in LATIN_NO_END:
        return False
    return True


# --- units that never split --------------------------------------------------------------------

#: a number binds to what follows it: 余/多, magnitudes, then one measure word (575亿元, 12万人,
#: 500余万人次, 2024年). The number and its unit are one unit for breaking.
_MEASURE_MULTI = "人次|平方公里|平方米|公里|千米|千克|公斤|小时|分钟|立方米|周年|年级|万元"
MEASURE_CHARS = (
    "年月日时分秒号点个人名位次家台套件条场届项所元角岁天周倍米克吨亩户辆架艘座栋层度期批股"
    "支只本部辆间张篇份处种类元斤升寸尺里度号楼栋车票户例起宗笔首级码"
)
NUMBER_SUFFIX = re.compile(
    rf"(?:[余多])?[十百千万亿兆]{{0,2}}(?:{_MEASURE_MULTI}|[{MEASURE_CHARS}])?"
)
#: a single capital letter glued to the Han character after it is one word (C位, X光, A股, T恤)
LETTER_PREFIX = re.compile(r"[A-Z]")

# --- spacing, in em -----------------------------------------------------------------------------

#: stretch of every gap between characters: expansion is spread evenly (clreq 3.8). A gap
#: opened by this much is a line at ratio 1 (badness 100): past ~10 % of an em per gap a line
#: costs more than pushing in and is avoided when another breaking allows
GAP_STRETCH = 0.1
#: lines opened up to this much per gap (em) are candidates; looser ones only as a fallback
MAX_GAP_OPENING = 0.5

# --- squeezing (全身式 setting: clreq 3.1.6 / 3.2) ------------------------------------------------

#: the order in which a line that is too long is pushed in: first the Han–Latin spaces (and
#: word spaces widened by tracking), then the blank halves of brackets and quotes, then those of
#: the pause marks 、，；：, and only as a last resort those of the full stops 。．？！ (the
#: breaker prefers any other breaking: :data:`STOP_SQUEEZE_BADNESS`)
SQUEEZE_TIERS = ("space", "bracket", "pause", "stop")
#: the full stops: squeezed mid-line only when nothing else lets the paragraph set
FULL_STOPS = "。．？！"
#: badness (breaker scale: a line stretched to ratio 1 costs 100) of a line that needs to
#: squeeze its full stops: about a line opened by 0.15 em per gap
STOP_SQUEEZE_BADNESS = 300.0


def squeeze_tier(cls: str, ch: str) -> int:
    """Index in :data:`SQUEEZE_TIERS` of a full-width mark's blank (``cls`` its class)."""
    if cls in ("open", "close"):
        return 1
    if ch in FULL_STOPS:
        return 3
    return 2
#: a word space may shrink by this fraction of its natural width - but never below the advance
#: of the space glyphs it holds (their boxes must not overlap the next glyph), so in practice
#: only space widened by tracking or Han–Latin spacing shrinks
WORD_SPACE_SHRINK = 1.0 / 3.0
#: Han–Latin spacing may shrink to this fraction of style.han_latin_space
HAN_LATIN_SHRINK = 0.5
#: natural width of a space when the face has none
DEFAULT_SPACE = 0.25


#: classes that hug the box before them (no justification space is put before them)
HUGS_PRECEDING = frozenset({"close", "stop", "stop2"})


def gap_stretches(prev_cls: str, next_cls: str) -> bool:
    """Whether justification may open the gap between two boxes.

    Marks hug the text they belong to: no space is added inside an opening mark or before a
    closing mark or stop, so expansion lands on their blank side.
    """
    return prev_cls != "open" and next_cls not in HUGS_PRECEDING


def han_latin(prev_cls: str, prev_last: str, next_cls: str, next_first: str) -> bool:
    """Is this a Han–Latin (or Han–digit) boundary that takes style.han_latin_space?"""
    if prev_cls == "han" and next_cls == "latin":
        return is_alnum_latin(next_first) and is_han(prev_last)
    if prev_cls == "latin" and next_cls == "han":
        return is_alnum_latin(prev_last) and is_han(next_first)
    return False


# --- normalisation tables (GB/T 15834 wants full-width marks in Chinese text) --------------------

ASCII_TO_FULL = {
    ",": ("，", "ascii-comma"),
    ":": ("：", "ascii-colon"),
    ";": ("；", "ascii-semicolon"),
    "?": ("？", "ascii-question"),
    "!": ("！", "ascii-exclamation"),
    "(": ("（", "ascii-paren"),
    ")": ("）", "ascii-paren"),
    ".": ("。", "ascii-period"),
}
