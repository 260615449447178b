"""Where a Latin word may break inside, whatever the script around it.

A Latin word set in a Chinese column (or a long one in an English column) must not be
letter-spaced across a line nor broken between arbitrary letters. It may break:

* **an address** (a URL, an e-mail address, a path): after one of :data:`ADDRESS_BREAK_AFTER`
  (``/ . - _ ? & = @``), never inside a run of them (``://`` stays whole), no hyphen added - a
  hyphen would read as part of the address; as a last resort between two of its letters (a
  narrow column may hold no piece whole and no Han to justify by);
* **a word**: after an explicit hyphen (``IPv6-only``), and at the dictionary's hyphenation
  points of its letters (pyphen, by the word's language; a hyphen is added), unless the word may
  not be hyphenated (digits, all capitals, a proper noun: :func:`rules_en.hyphenatable`).

Language-blind data and one function per kind; the composers decide what a break costs.
"""

from __future__ import annotations

import re

from . import rules_en as E

#: an address breaks after these characters (and after the @ of an e-mail address)
ADDRESS_BREAK_AFTER = frozenset("/.-_?&=@")
#: the shortest piece an address is cut into (characters): no "c" alone on a line
ADDRESS_MIN_PIECE = 2
#: a last-resort break between letters of an address keeps this many letters or digits on
#: each side ("ch|inalaw", never "w|ww")
LETTER_MIN_RUN = 2

_ADDRESS = re.compile(r"://|^www\.|^[^@\s]+@[^@\s]+\.[^@\s]+$|^/?[\w.-]+/[\w./-]+$", re.IGNORECASE)
_LETTERS = re.compile(r"[^\W\d_]+")
_HEAD = re.compile(r"(?:[a-z][a-z0-9+.-]*://)?(?:www\.)?", re.IGNORECASE)
_EXPLICIT = frozenset("-\u2010")  # hyphen-minus, hyphen


def is_address(word: str) -> bool:
    """A URL, an e-mail address or a path (``a/b``): broken only after its separators."""
    return _ADDRESS.search(word) is not None


def address_breaks(word: str) -> list[int]:
    """Offsets inside ``word`` (an address) after which a line may break."""
    out = []
    n = len(word)
    last = 0
    for i in range(1, n):
        if word[i - 1] in ADDRESS_BREAK_AFTER and word[i] not in ADDRESS_BREAK_AFTER:
            if i - last >= ADDRESS_MIN_PIECE and n - i >= ADDRESS_MIN_PIECE:
                out.append(i)
                last = i
    return out


def word_breaks(word: str, lang: str = "en", hyphenate: bool = True) -> list[tuple[int, str]]:
    """Offsets inside ``word`` where a line may break, each with its kind: ``joint`` after an
    explicit hyphen, ``address`` after an address's separator (nothing added either), ``hyphen`` at a hyphenation point
    of the language ``lang`` (with ``hyphenate``; a hyphen is added), ``letter`` between two
    letters or digits of an address (nothing added: the last resort before a line that cannot be
    justified; the report names it)."""
    if is_address(word):
        joints = set(address_breaks(word))
        out = []
        # never between the letters of the scheme or of "www" (``ht|tp://``, ``w|ww``)
        m = _HEAD.match(word)
        head = m.end() if m else 0
        for i in range(ADDRESS_MIN_PIECE, len(word) - ADDRESS_MIN_PIECE + 1):
            if i in joints:
                out.append((i, "address"))
            elif i > head and word[i - LETTER_MIN_RUN:i].isalnum() and word[i:i + LETTER_MIN_RUN].isalnum():
                out.append((i, "letter"))
        return out
    rules = E.for_language(lang) or E.EN
    out: dict[int, str] = {}
    comp = 0
    marks = [i + 1 for i, c in enumerate(word) if c in _EXPLICIT]
    for end in marks + [len(word)]:
        component = word[comp:end]
        core = component.strip("-\u2010")
        # (a capital inside a word - iPhone, eBay, IPv6 - is a name: never hyphenated)
        if hyphenate and E.hyphenatable(core, rules) and not any(c.isupper() for c in core[1:]):
            for m in _LETTERS.finditer(component):
                run = m.group()
                if run.isupper():
                    continue
                for p in rules.hyphenation_points(run):
                    out[comp + m.start() + p] = "hyphen"
        if end < len(word) and end >= E.EXPLICIT_LEFT and len(word) - end >= E.EXPLICIT_RIGHT \
                and word[end].isalpha():
            out[end] = "joint"
        comp = end
    return sorted(out.items())
