"""English (and other Latin-script) text rules as data: spacing, hyphenation, punctuation.

Nothing here breaks lines: :mod:`layout.text.latin` turns these rules into boxes, glue and
breakpoints for the generic breaker (:mod:`layout.text.breaker`), as :mod:`rules_zh` does for
Chinese. One :class:`LatinRules` value per language; English is :data:`EN`, and any other
language pyphen has a dictionary for gets English rules with its own dictionary (German and
French also get their own quotation marks, see :func:`for_language`).

Units are words separated by white space. A word space is glue: natural width the face's space
advance, stretch 1/2 and shrink 1/3 of it (TeX's defaults for a roman face). Justification
changes word spaces first; as a last resort letters are spaced apart or closer, by at most
``ParagraphStyle.letterspace`` em (:data:`LETTERSPACE_FROM`, :data:`LETTERSPACE_BADNESS`); a
justified line with no word space in it is letter-spaced as much as it needs.

Breaks, and what each costs (demerits, on the breaker's scale: a good line costs ~100-500,
``(10 + badness)²``):

* at a word space: free, unless the next line would start with a closing mark, a stop or a
  dash (:attr:`LatinRules.no_start`) or this one end with an opening mark or a currency sign
  (:attr:`LatinRules.no_end`) - then not at all; not at a
  no-break space (U+00A0, U+202F, U+2007: "12 km", "£5 m"), nor between a number and its unit
  or a title and a name typed with an ordinary space (:data:`UNITS`, :data:`TITLES`);
* inside a word at a hyphenation point of pyphen's dictionary, at least :attr:`LatinRules.left`
  letters from the word's start and :attr:`LatinRules.right` from its end: a hyphen ``-`` is
  added to the line (:data:`HYPHEN_DEMERITS`). Words with digits, capitals-only acronyms
  (``NATO``), capitalised words (proper nouns), weekdays and months, a word right after a number
  ("14 November", "3 apartments"), e-mail addresses and URLs are never hyphenated;
* after an explicit hyphen (``well-|known``): no hyphen is added (:data:`EXPLICIT_DEMERITS`);
* after an em or en dash inside a word (``word—|word``), free.

Breaks at hyphens (added or explicit) are *flagged*: two in a row cost
:data:`CONSECUTIVE_HYPHEN_DEMERITS`, and a hyphen ending the paragraph's last-but-one line
:data:`FINAL_HYPHEN_DEMERITS` (TeX's doublehyphendemerits and finalhyphendemerits); a third
hyphenated line in a row costs :data:`HYPHEN_LADDER_DEMERITS` (a ladder: as much as an emergency
break, so in effect never).
"""

from __future__ import annotations

import re
from functools import lru_cache

from msgspec import Struct, field
from msgspec.structs import replace

# --- spacing (fractions of the face's space advance, and em) ------------------------------------

#: word-space stretch and shrink, as fractions of the space advance (TeX: 1/2 and 1/3)
SPACE_STRETCH = 0.5
SPACE_SHRINK = 1.0 / 3.0
#: ... but a word space never shrinks below this (em): 0.2 em, the tight end of a justified
#: column's spacing (TeX's 1/3 would take a 0.26 em space to 0.17 em)
MIN_SPACE = 0.2
#: the space advance when the face has no space glyph (em)
DEFAULT_SPACE = 0.25
#: shrinking a word space is as bad as stretching it by the same ratio (clreq's preference for
#: compression does not apply to word spaces)
SHRINK_WEIGHT = 1.0
#: the breaker tries lines up to this ratio first and looser ones only when nothing else fits:
#: the ratio where badness reaches its cap (below), so no line that costs less than the cap is
#: ever left out (word spaces have little stretch: in a narrow column the best path often runs
#: through a very loose line)
MAX_RATIO = 10.0
#: badness (100·ratio³) grows only logarithmically past ratio ~10 (word spaces at six times
#: their width): narrow columns often need loose lines, and a line at ratio 5 must still beat one
#: at ratio 40; one line at the cap costs ~1e10 demerits, a tenth of a runt
BADNESS_CAP = 1e5

# --- letter-spacing (``ParagraphStyle.letterspace``) ---------------------------------------------

#: letter-spacing is the last resort of justification: word spaces open to this ratio of their
#: stretch first (1.5 times their width), then letters open (up to ``style.letterspace`` em
#: each), then word spaces again; a line too long shrinks its word spaces to 2/3 first, then
#: sets its letters closer (as much)
LETTERSPACE_FROM = 1.0
#: badness of a line whose glyphs are expanded (or condensed) to the limit, ``style.expansion``
#: (on top of its word spaces'): a line at ratio ~0.6; expansion is used before word spaces open
EXPANSION_BADNESS = 25.0
#: badness of a line letter-spaced to the limit (on top of its word spaces'): about a line with
#: word spaces at ratio 1.3; a little letter-spacing costs relatively more (square root)
LETTERSPACE_BADNESS = 150.0

#: white space that never breaks: no-break space, narrow no-break space, figure space
NO_BREAK_SPACES = frozenset("\u00a0\u202f\u2007")
#: spaces of a fixed width (em) that neither stretch nor shrink, when the face lacks them
FIXED_SPACES = {"\u202f": 0.2, "\u2009": 0.2, "\u200a": 0.1, "\u2007": 0.5, "\u2002": 0.5,
                "\u2003": 1.0, "\u3000": 1.0}

# --- hyphenation --------------------------------------------------------------------------------

#: what is added at the end of a line broken inside a word
HYPHEN = "-"
#: characters after which a word may break with no hyphen added; ``flagged`` ones count as
#: hyphens for the consecutive-hyphen rule
EXPLICIT_HYPHENS = frozenset("-\u2010")  # hyphen-minus, hyphen
DASHES = frozenset("\u2014\u2013")  # em dash, en dash
#: a dash between digits is a range ("1990–2000", "10–12"): no break after it
RANGE_DASHES = frozenset("\u2013")
#: TeX's \hyphenpenalty, \exhyphenpenalty (50 each; demerits add the penalty squared)
HYPHEN_DEMERITS = 50.0**2
EXPLICIT_DEMERITS = 50.0**2
DASH_DEMERITS = 0.0
#: two hyphenated lines in a row; a hyphen on the last-but-one line (TeX's defaults)
CONSECUTIVE_HYPHEN_DEMERITS = 10000.0
FINAL_HYPHEN_DEMERITS = 5000.0
#: at most this many hyphenated lines in a row (a newspaper H&J limit) ...
MAX_HYPHEN_RUN = 2
#: ... unless keeping to it costs more than this: an emergency break (only a line word-spaced
#: beyond any reading costs as much)
HYPHEN_LADDER_DEMERITS = 1e12
#: an explicit hyphen breaks only with this many characters before it in the word ...
EXPLICIT_LEFT = 2
#: ... and this many after it (the rest of the word), starting with a letter
EXPLICIT_RIGHT = 3

_NO_HYPHENATION = re.compile(r"@|://|^www\.", re.IGNORECASE)
_DIGIT = re.compile(r"\d")
_LETTERS = re.compile(r"[^\W\d_]+")


#: names never broken at a hyphenation point, whatever their case
NEVER_BROKEN = frozenset(
    "monday tuesday wednesday thursday friday saturday sunday january february march april may "
    "june july august september october november december".split()
)


def hyphenatable(word: str, rules: "LatinRules | None" = None) -> bool:
    """May this word (letters between explicit hyphens, e.g. ``known`` of ``well-known``) be
    broken at dictionary points? Not with digits, not an all-capitals acronym (``NATO``); by the
    language's ``rules`` (English by default) not a capitalised word (a proper noun:
    ``Wendbury``, ``Riverside``) and not one of its names never broken (weekdays, months)."""
    if word.isupper() or _DIGIT.search(word) is not None:
        return False
    rules = EN if rules is None else rules
    letters = _LETTERS.search(word)
    if letters is None:
        return True
    first = letters.group()
    if rules.proper_nouns and first[0].isupper():
        return False
    return first.lower() not in rules.never_broken


def never_hyphenate(token: str) -> bool:
    """A whole token that is never broken inside: an e-mail address or a URL."""
    return bool(_NO_HYPHENATION.search(token))


# --- breaks between words -----------------------------------------------------------------------

#: a number and its unit typed with an ordinary space ("12 km", "5 per cent") never break
UNITS = frozenset(
    "km m cm mm kg g mg mph km/h kph ft mi yd lb lbs oz ha acres °C °F % kW MW GW kWh "
    "am pm a.m. p.m. bn million billion trillion per".split()
)
#: a title and the name after it ("Cllr Jones", "Dr. Patel") never break
TITLES = frozenset(
    "Mr Mrs Ms Mx Dr Prof Cllr Sgt Insp Supt Rev Sir Dame Lord Lady St Capt Lt Col Gen "
    "Mr. Mrs. Ms. Dr. Prof. Sgt. Insp. Supt. Rev. St. Capt. Lt. Col. Gen. No. no.".split()
)

#: the straight quotes: opening at a word's start, closing at its end; one standing alone
#: (with other marks only) binds to the word it opens or closes - a double quote by its parity
#: in the paragraph, a single one to both neighbours
AMBIGUOUS_QUOTES = frozenset("\"'")

# --- the rules of one language ------------------------------------------------------------------

_NO_START_EN = ",.;:!?)]}’”%‰…—–"
_NO_END_EN = "([{‘“£$€¥#"
#: a head's line never ends with an article when it can help it ("An Illustrated Book of the /
#: Story"), and ends reluctantly with a short preposition or conjunction: they belong to the
#: words after them (the display-type rule of English news desks)
_HEAD_ARTICLES_EN = frozenset("a an the".split())
_HEAD_WEAK_EN = frozenset("of to in on at by for with from into onto upon and or but nor as".split())


class LatinRules(Struct, frozen=True):
    """Punctuation and hyphenation of one Latin-script language."""

    lang: str  # the code asked for ("en", "de", "en-GB")
    dictionary: str | None  # pyphen's dictionary (None: no hyphenation)
    left: int = 2  # letters kept before a hyphenation point
    right: int = 3  # letters carried after it
    #: characters no line may start with (closing marks, stops, dashes)
    no_start: frozenset[str] = field(default_factory=lambda: frozenset(_NO_START_EN))
    #: characters no line may end with (opening marks, currency signs)
    no_end: frozenset[str] = field(default_factory=lambda: frozenset(_NO_END_EN))
    #: a capitalised word is a proper noun, never hyphenated (not so in German: every noun is)
    proper_nouns: bool = True
    #: words never hyphenated (lower case): English weekdays and months
    never_broken: frozenset[str] = NEVER_BROKEN
    #: words (lower case) a head's line should not end with: articles, and (weaker) short
    #: prepositions and conjunctions (English only; other languages: none known)
    head_articles: frozenset[str] = _HEAD_ARTICLES_EN
    head_weak_ends: frozenset[str] = _HEAD_WEAK_EN
    #: where a head in this script may break with no space: after a hyphen, a dash or a slash
    #: (never after the apostrophe of "Iraq’s" or inside "U.S.")
    head_break_after: frozenset[str] = frozenset("-\u2010\u2013\u2014/")

    def hyphenation_points(self, run: str) -> list[int]:
        """Offsets in ``run`` (a run of letters) where pyphen may break it, within the minimums."""
        if self.dictionary is None or len(run) < self.left + self.right:
            return []
        return _points(self.dictionary, self.left, self.right, run)


#: English: the reference rules (pyphen's en_US patterns, TeX's hyphenation minimums 2 and 3)
EN = LatinRules("en", "en_US")


@lru_cache(maxsize=None)
def _pyphen(dictionary: str, left: int, right: int):
    import pyphen

    return pyphen.Pyphen(lang=dictionary, left=left, right=right)


def _points(dictionary: str, left: int, right: int, run: str) -> list[int]:
    hy = _pyphen(dictionary, left, right)
    # a point with data is a non-standard break (letters change, old German "ck" -> "k-k"):
    # not supported, skipped
    return [int(p) for p in hy.positions(run) if getattr(p, "data", None) is None]


@lru_cache(maxsize=None)
def for_language(lang: str) -> LatinRules | None:
    """The rules for a language code ("en", "en-GB", "de", "fr", ...), or None when pyphen has
    no dictionary for it (then it is not a Latin-script language this module knows)."""
    code = lang.replace("-", "_")
    primary = code.split("_")[0].lower()
    if primary == "en" and "_" not in code:  # (pyphen loads when a word is hyphenated, not before)
        return replace(EN, lang=lang, dictionary="en_US")
    import pyphen

    if primary == "en":
        dic = pyphen.language_fallback(code) if "_" in code else "en_US"
        dic = dic if dic and dic.startswith("en") else "en_US"
        return replace(EN, lang=lang, dictionary=dic)
    dic = pyphen.language_fallback(code)
    if dic is None:
        return None
    rules = replace(EN, lang=lang, dictionary=dic, never_broken=frozenset(), head_articles=frozenset(),
                    head_weak_ends=frozenset())
    if primary == "de":
        # German quotes: „…“ and ‚…‘ (and »…«): “ ‘ « close, „ ‚ » open
        rules = replace(
            rules,
            proper_nouns=False,
            no_start=frozenset(_NO_START_EN + "“‘«"),
            no_end=frozenset(_NO_END_EN.replace("‘", "").replace("“", "") + "„‚»"),
        )
    elif primary == "fr":
        # guillemets « … » (spaced with a narrow no-break space, which never breaks anyway)
        rules = replace(rules, no_start=rules.no_start | frozenset("»›"),
                        no_end=rules.no_end | frozenset("«‹"))
    return rules
