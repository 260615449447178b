"""Normalisation of dirty copy to GB/T 15834 punctuation, before composition.

Reporters' copy and OCR mix ASCII punctuation into Chinese text. In *Chinese context* (a
neighbour, skipping ASCII spaces, is Han or a CJK mark) this module makes:

* ``, : ; ? !`` into ``，：；？！`` and a sentence-final ``.`` after Han into ``。``;
* ``( )`` into ``（）`` - as a pair when the pair encloses Chinese text or touches it
  (``(天元区)``, ``1126台(套)``, ``中南大学(株洲)``), else one by one by their neighbours;
* straight quotes ``"`` and ``'`` into ``“”`` / ``‘’`` by pairing (mixed with curly ones);
  an apostrophe between two Latin letters is left alone; Traditional Chinese asks for 「」 and
  『』 (``quotes``), which paired curly quotes in Chinese context become as well;
* ``...``, a lone ``…`` and ``。。。`` into ``……``; ``--`` into ``——``;
* ASCII spaces next to a mark made full-width are dropped (the mark carries its own blank);
* ``, ; : ! ?`` between two Latin words or numbers of Chinese text with no space after them
  (``68%,PDF``) into full-width marks, as clreq judges them (not ``1,000``, ``3:30``, ``http://``);
* zero-width spaces, byte-order marks and variation selectors (U+200B, U+2060, U+FEFF,
  U+FE00-FE0F, U+E0100-E01EF) dropped, in any language;
* line breaks and tabs (a CMS's or a YAML block's ``\\n``, ``\\r``, U+2028, U+2029, ``\\t``), which no
  font can set, made white space as CSS Text 3 does with segment breaks: a run of white space
  holding one is dropped at either end and next to a wide (CJK) character or mark (between two
  in Latin-script text), else one space
  (:func:`whitespace`; done even with ``typography.normalize`` off).

ASCII punctuation inside purely Latin runs (``Alpha Go``, ``3.5``, ``Z-1``, ``e.g.,``) is left
alone, and text that is already correct comes back unchanged with no changes. Every edit is a
:class:`~layout.text.api.Change` whose ``index`` is the offset in the *original* text.
"""

from __future__ import annotations

import re

from .api import Change, Normalized
from . import rules_zh as R

_SPACES = " \t"


#: characters dropped wherever they are: zero-width space, word joiner, byte-order mark, and the
#: variation selectors (an ideographic variation sequence, 葛 + U+E0100, that the body faces do
#: not map: the base character is set, as HarfBuzz would; the selector alone made the page fail
#: as a "missing character")
INVISIBLE = frozenset("\u200b\u2060\ufeff" + "".join(map(chr, range(0xFE00, 0xFE10)))
                      + "".join(map(chr, range(0xE0100, 0xE01F0))))
#: the quotes of Simplified Chinese (GB/T 15834): “ ” outside, ‘ ’ inside
GB_QUOTES = ("“", "”", "‘", "’")


#: the quotes of Latin-script languages: (primary open, close, nested open, close)
LATIN_QUOTES = {
    "en": ("“", "”", "‘", "’"), "nl": ("“", "”", "‘", "’"),
    "de": ("„", "“", "‚", "‘"),
    "fr": ("«\u202f", "\u202f»", "“", "”"),
    "es": ("«", "»", "“", "”"), "it": ("«", "»", "“", "”"),
}


def normalize(text: str, quotes: tuple[str, str, str, str] = GB_QUOTES, marks: bool = True,
              lang: str = "en") -> Normalized:
    """Return ``text`` with GB punctuation in Chinese context and the list of edits made.
    ``quotes``: the primary and nested quotes of the text's convention (Traditional Chinese:
    「」『』, which the curly quotes of Chinese context become too: ``quote-style``). With
    ``marks`` false the text is Latin-script in ``lang``: its typewriter marks become the
    language's (:func:`latin_marks`) and invisible characters are dropped."""
    if not marks:
        return latin_marks(text, lang)
    return _Normalizer(text, quotes).run(marks)


#: white space no font sets: line and paragraph separators, tabs and the other C0/C1 spaces
_BREAKING_SPACE = re.compile("[ \t\n\r\x0b\x0c\x85\u2028\u2029]*[\t\n\r\x0b\x0c\x85\u2028\u2029][ \t\n\r\x0b\x0c\x85\u2028\u2029]*")


def _wide(ch: str) -> bool:
    """A character of East Asian width W or F (CJK, kana, CJK marks, full-width forms), beside
    which a line break in Chinese copy is no space at all (CSS Text 3, segment breaks)."""
    o = ord(ch)
    return o >= 0x2E80 and not 0xFF61 <= o <= 0xFFDC and not 0xD800 <= o <= 0xDFFF


#: marks Chinese text sets full-width though their East Asian width is ambiguous
_WIDE_IN_CHINESE = frozenset("“”‘’…—·")


def whitespace(text: str, chinese: bool = False, short: bool = False) -> Normalized:
    """``text`` with its line breaks and tabs made the white space they stand for: a run of
    white space holding one is dropped at either end of the text and, in Chinese text, next
    to a wide character or mark (the Han–Latin space is the composer's: ``AI\\n模型`` is
    ``AI模型``); in Latin-script text only between two wide characters; else it is one space.
    In a ``short`` text (a head, a kicker, a byline: one line, where a line break parts two
    phrases or two names) a break between two wide characters is an ideographic space."""
    if _BREAKING_SPACE.search(text) is None:
        return Normalized(text=text)
    out: list[str] = []
    changes: list[Change] = []
    last = 0
    for m in _BREAKING_SPACE.finditer(text):
        a, b = m.span()
        out.append(text[last:a])
        before = text[a - 1] if a else ""
        after = text[b] if b < len(text) else ""
        if chinese:
            gone = (_wide(before) or before in _WIDE_IN_CHINESE) or (_wide(after) or after in _WIDE_IN_CHINESE)
        else:
            gone = _wide(before) and _wide(after)
        joined = "" if not before or not after or gone else " "
        if joined == "" and short and before and after and _wide(before) and _wide(after):
            joined = "\u3000"
        kind = "tab" if "\t" in m.group() and not any(c in m.group() for c in "\n\r\u2028\u2029\x85") else "line-break"
        changes.append(Change(kind, a, m.group(), joined))
        out.append(joined)
        last = b
    out.append(text[last:])
    return Normalized(text="".join(out), changes=changes)


def _after(first: Normalized, second: Normalized) -> Normalized:
    """``second`` (made from ``first.text``) with its changes' indices moved back to the text
    ``first`` was made from, and ``first``'s changes before them."""
    if not first.changes:
        return second
    # where each character of first.text came from in the original text
    origin: list[int] = []
    pos = 0
    for ch in first.changes:
        while pos < ch.index:
            origin.append(pos)
            pos += 1
        origin.extend([ch.index] * len(ch.after))
        pos = ch.index + len(ch.before)
    n = len(first.text)
    while len(origin) < n:
        origin.append(pos)
        pos += 1
    moved = [Change(c.kind, origin[c.index] if c.index < n else pos, c.before, c.after) for c in second.changes]
    return Normalized(text=second.text, changes=sorted(first.changes + moved, key=lambda c: c.index))


def for_language(text: str, lang: str, short: bool = False) -> Normalized:
    """``text`` normalised as a page in ``lang`` (``typography.language``) sets it: GB/T 15834
    marks and the convention's quotes in Chinese text, typographic marks in Latin-script text.
    Composition (``Context.normalized``) and the e-paper's story text both take it from here.
    ``short``: a one-line text (:func:`whitespace`)."""
    hit = _NORMALIZED.get((text, lang, short))
    if hit is None:
        from .languages import conventions

        conv = conventions(lang)
        spaced = whitespace(text, chinese=conv.normalize_marks, short=short)
        hit = _after(spaced, normalize(spaced.text, conv.quotes, marks=conv.normalize_marks, lang=lang))
        if len(_NORMALIZED) >= 8192:
            _NORMALIZED.clear()
        _NORMALIZED[(text, lang, short)] = hit
    return Normalized(text=hit.text, changes=list(hit.changes))


#: texts normalised in this process (a rebuild normalises the same paragraphs again)
_NORMALIZED: dict = {}


_APOSTROPHE_AFTER = re.compile(r"\w")


def latin_marks(text: str, lang: str = "en") -> Normalized:
    """Typewriter marks in Latin-script text made typographic, as TeX's and every newsroom's
    conventions have it: straight quotes curled by their place (the language's quotes,
    :data:`LATIN_QUOTES`; an apostrophe ’ inside or at the end of a word, and before a
    number: ’90s), ``--`` into an em dash (an en dash between two numbers: 1990–2000),
    ``...`` into an ellipsis; zero-width spaces and byte-order marks dropped."""
    q = LATIN_QUOTES.get(lang.split("-")[0].lower(), LATIN_QUOTES["en"])
    out: list[str] = []
    changes: list[Change] = []
    n = len(text)
    i = 0
    double_open = False
    while i < n:
        c = text[i]
        prev = text[i - 1] if i else " "
        nxt = text[i + 1] if i + 1 < n else " "
        if c in INVISIBLE:
            changes.append(Change("invisible", i, c, ""))
            i += 1
            continue
        if c == "-" and nxt == "-":
            j = i
            while j < n and text[j] == "-":
                j += 1
            after = text[j] if j < n else " "
            dash = "–" if prev.isdigit() and after.isdigit() else "—"
            changes.append(Change("dash", i, text[i:j], dash))
            out.append(dash)
            i = j
            continue
        if c == "." and text.startswith("...", i):
            changes.append(Change("ellipsis", i, "...", "…"))
            out.append("…")
            i += 3
            continue
        if c == '"':
            opening = prev.isspace() or prev in "([{—–-/" or i == 0
            if not opening and not prev.isspace() and double_open is False and nxt.isalnum():
                opening = True  # "word (no space before, a word after): opens
            mark = q[0] if opening else q[1]
            double_open = opening
            changes.append(Change("straight-quotes", i, c, mark))
            out.append(mark)
            i += 1
            continue
        if c == "'":
            if prev.isalnum() or (nxt.isdigit() and (prev.isspace() or i == 0)):
                mark = "’"  # it's, the students', ’90s
            elif prev.isspace() or prev in "([{—–\"“„«" or i == 0:
                mark = q[2]
            else:
                mark = q[3]
            changes.append(Change("straight-quotes", i, c, mark))
            out.append(mark)
            i += 1
            continue
        out.append(c)
        i += 1
    return Normalized("".join(out), changes)


class _Normalizer:
    def __init__(self, text: str, quotes: tuple[str, str, str, str] = GB_QUOTES) -> None:
        self.text = text
        self.quote_marks = quotes
        self.out: list[str] = list(text)  # replacement for each original index ("" = deleted)
        self.changes: list[Change] = []

    # --- helpers -------------------------------------------------------------------------------

    def replace(self, i: int, j: int, new: str, kind: str) -> None:
        """Replace original ``text[i:j]`` by ``new`` (recorded as one change)."""
        self.changes.append(Change(kind, i, self.text[i:j], new))
        self.out[i] = new
        for k in range(i + 1, j):
            self.out[k] = ""

    def prev_char(self, i: int, skip_space: bool = True) -> str:
        """The current character before original index ``i`` (skipping ASCII spaces)."""
        k = i - 1
        while k >= 0:
            s = self.out[k]
            if s and not (skip_space and s in _SPACES):
                return s[-1]
            k -= 1
        return ""

    def next_char(self, i: int, skip_space: bool = True) -> str:
        k = i + 1
        n = len(self.out)
        while k < n:
            s = self.out[k]
            if s and not (skip_space and s in _SPACES):
                return s[0]
            k += 1
        return ""

    def chinese_around(self, i: int, j: int | None = None) -> bool:
        """Is a neighbour of ``text[i]`` (or of the span ``i..j``) Chinese?"""
        j = i if j is None else j
        p, n = self.prev_char(i), self.next_char(j)
        return (bool(p) and R.is_chinese(p)) or (bool(n) and R.is_chinese(n))

    def drop_spaces_around(self, i: int) -> None:
        """Drop ASCII spaces between a mark made full-width and its neighbours."""
        for step in (-1, 1):
            k = i + step
            run = []
            while 0 <= k < len(self.out) and self.out[k] and self.out[k] in _SPACES:
                run.append(k)
                k += step
            if run and 0 <= k < len(self.out):  # not at the paragraph's edge
                for s in run:
                    self.replace(s, s + 1, "", "space")

    # --- passes --------------------------------------------------------------------------------

    def run(self, marks: bool = True) -> Normalized:
        self.invisible()
        self.has_han = any(R.is_han(c) for c in self.text)
        if not any(R.is_chinese(c) for c in self.text):
            self.changes.sort(key=lambda c: c.index)
            return Normalized("".join(self.out), self.changes)
        self.ellipses()
        self.dashes()
        handled = self.parens()
        q = self.quote_marks
        self.quotes('"', "“", "”", q[0], q[1])
        self.quotes("'", "‘", "’", q[2], q[3])
        self.marks(handled)
        self.changes.sort(key=lambda c: c.index)
        return Normalized("".join(self.out), self.changes)

    def invisible(self) -> None:
        """Characters that print nothing but a box: a zero-width space (U+200B) or a byte-order
        mark (U+FEFF) pasted in from a web page or a PDF."""
        for k, c in enumerate(self.text):
            if c in INVISIBLE:
                self.replace(k, k + 1, "", "invisible")

    def runs(self, ch: str):
        t, i, n = self.text, 0, len(self.text)
        if ch not in t:  # most passes find nothing: one scan in C instead of one in Python
            return
        i = t.index(ch)
        while i < n:
            if t[i] == ch:
                j = i
                while j < n and t[j] == ch:
                    j += 1
                yield i, j
                i = j
            else:
                i += 1

    def ellipses(self) -> None:
        for i, j in list(self.runs(".")):
            if j - i >= 3 and self.chinese_around(i, j - 1):
                self.replace(i, j, "……", "ellipsis")
        for ch in "。．":
            for i, j in list(self.runs(ch)):
                if j - i >= 3:
                    self.replace(i, j, "……", "ellipsis")
        for i, j in list(self.runs("…")):
            if j - i == 1 and self.chinese_around(i):
                self.replace(i, j, "……", "ellipsis")

    def dashes(self) -> None:
        for i, j in list(self.runs("-")):
            if j - i >= 2 and self.chinese_around(i, j - 1):
                self.replace(i, j, "——", "dash")
        for i, j in list(self.runs("－")):
            if j - i >= 2:
                self.replace(i, j, "——", "dash")

    def parens(self) -> set[int]:
        """Convert matched ASCII parenthesis pairs; return the indices decided here."""
        t = self.text
        if "(" not in t:
            return set()
        stack: list[int] = []
        pairs: list[tuple[int, int]] = []
        for k, c in enumerate(t):
            if c == "(":
                stack.append(k)
            elif c == ")" and stack:
                pairs.append((stack.pop(), k))
        handled: set[int] = set()
        for i, j in sorted(pairs):
            inner = any(R.is_chinese(c) for c in t[i + 1 : j])
            if inner or self.chinese_around(i, j):
                self.replace(i, i + 1, "（", "ascii-paren")
                self.replace(j, j + 1, "）", "ascii-paren")
                self.drop_spaces_around(i)
                self.drop_spaces_around(j)
            handled.update((i, j))
        return handled

    def quotes(self, straight: str, left: str, right: str, to_left: str, to_right: str) -> None:
        """Pair straight quotes (with any curly ones of the same kind) and make them the
        convention's quotes ``to_left``/``to_right`` (curly ones too, when those differ)."""
        t = self.text
        if straight not in t and left not in t and right not in t:
            return
        seq: list[int] = []
        for k, c in enumerate(t):
            if c == straight:
                if straight == "'" and 0 < k < len(t) - 1 and t[k - 1].isalpha() and t[k + 1].isalpha() \
                        and not R.is_han(t[k - 1]) and not R.is_han(t[k + 1]):
                    continue  # an apostrophe: it's
                seq.append(k)
            elif c in (left, right):
                seq.append(k)
        is_open = False
        open_at = -1
        for k in seq:
            c = t[k]
            if c == left:
                is_open, open_at = True, k
            elif c == right:
                if is_open and open_at >= 0:
                    self.curl_pair(open_at, k, left, right, to_left, to_right)
                is_open = False
            elif not is_open:
                is_open, open_at = True, k
            else:
                self.curl_pair(open_at, k, left, right, to_left, to_right)
                is_open = False
        if is_open and t[open_at] == straight:
            nxt = self.next_char(open_at, skip_space=False)
            mark = to_left if nxt and nxt not in _SPACES else to_right
            if self.chinese_around(open_at):
                self.replace(open_at, open_at + 1, mark, "straight-quotes")

    def curl_pair(self, i: int, j: int, left: str, right: str, to_left: str, to_right: str) -> None:
        t = self.text
        if not (any(R.is_chinese(c) for c in t[i + 1 : j]) or self.chinese_around(i, j)):
            return
        for k, target in ((i, to_left), (j, to_right)):
            if t[k] == target:
                continue
            kind = "quote-style" if t[k] in (left, right) else "straight-quotes"
            self.replace(k, k + 1, target, kind)

    def tight_in_chinese(self, i: int, c: str) -> bool:
        """A mark between two Latin words or numbers of Chinese text, with no space after it
        (``68%,PDF``): Chinese punctuation typed in ASCII, as clreq judges it - an English comma
        is followed by a space; ``1,000``, ``3:30`` and ``http://`` are not marks."""
        if c not in ",;:!?":
            return False
        t = self.text
        if i + 1 >= len(t) or t[i + 1] in _SPACES or i == 0 or t[i - 1] in _SPACES:
            return False
        p, n = t[i - 1], t[i + 1]
        if p.isdigit() and n.isdigit():
            return False  # 1,000 and 3:30
        if c == ":" and n == "/":
            return False  # http://
        return self.has_han

    def marks(self, handled: set[int]) -> None:
        t = self.text
        if not any(c in t for c in R.ASCII_TO_FULL):
            return
        for i, c in enumerate(t):
            if c not in R.ASCII_TO_FULL or i in handled or self.out[i] != c:
                continue
            full, kind = R.ASCII_TO_FULL[c]
            if c == ".":
                p = self.prev_char(i, skip_space=False)
                n = self.next_char(i, skip_space=False)
                ok = bool(p) and (R.is_han(p) or p in R.CLOSE) and (not n or R.is_chinese(n))
                if n == "." or (i + 1 < len(t) and t[i + 1] == "."):
                    ok = False
            else:
                ok = self.chinese_around(i) or self.tight_in_chinese(i, c)
            if ok:
                self.replace(i, i + 1, full, kind)
                self.drop_spaces_around(i)
