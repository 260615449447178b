"""Which rules set a paragraph: ``ParagraphStyle.lang`` to a composer and its language data.

``zh`` (the default) is the Chinese composer (:mod:`layout.text.compose` with
:mod:`rules_zh`). ``en`` and any other language pyphen has a hyphenation dictionary for
(``en-GB``, ``de``, ``fr``, ``es``, ``nl``, ...) are set by the Latin-script composer
(:mod:`layout.text.latin`) with :mod:`rules_en`'s rules and that language's dictionary.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from msgspec import Struct

if TYPE_CHECKING:
    from . import rules_en

#: language codes set by the Chinese composer
CJK = frozenset({"zh", "zh-cn", "zh-hans", "zh_cn", "zh_hans"})


def is_chinese(lang: str) -> bool:
    return lang.lower() in CJK or lang.lower().startswith(("zh-", "zh_"))


def latin_rules(lang: str) -> rules_en.LatinRules:
    """The Latin-script rules for ``lang``; ValueError for a language with none."""
    from . import rules_en  # (only Latin-script text needs them, and pyphen)

    rules = rules_en.for_language(lang) if lang else None
    if rules is None:
        raise ValueError(f"no composition rules for language {lang!r} (known: zh, en, and the "
                         f"Latin-script languages pyphen has dictionaries for, e.g. de, fr)")
    return rules


class Conventions(Struct, frozen=True):
    """How a paper in this script sets things besides line breaking, as data for composition:
    Chinese papers indent every paragraph and space out short display lines (folio name,
    section label); Latin-script news style sets a story's first paragraph, and the first after
    each section head, flush left, and letterspaces no display line."""

    normalize_marks: bool  # ASCII punctuation in running text made GB/T 15834 marks
    indent_first_paragraph: bool  # the story's first paragraph (and each after a section head)
    folio_name_tracking: float  # em, the paper's name in the folio
    folio_section_tracking: float  # em, the section label in the folio
    characters_per_em: float  # characters of running text an em of measure holds, about (for
    # "room for about N more characters": one per em for Han, about two for Latin text)
    compress_punctuation: bool = False  # full-width marks lose blank halves (mainland GB style)
    quotes: tuple[str, str, str, str] = ("“", "”", "‘", "’")  # primary and nested quotes
    caption_marker: str = ""  # before a caption, pointing at its picture (Chinese papers: ▲)

    def characters_per_line(self, measure: float, size: float) -> int:
        """About how many characters of body text a line of ``measure`` pt holds."""
        return max(1, round(measure / size * self.characters_per_em))


CHINESE = Conventions(normalize_marks=True, indent_first_paragraph=True,
                      folio_name_tracking=0.05, folio_section_tracking=0.15, characters_per_em=1.0,
                      compress_punctuation=True, caption_marker="▲")
#: Traditional Chinese (Taiwan, Hong Kong): every mark a full em, centred ，。、 (the font's
#: locl forms), 「」 as the primary quotes and 『』 inside them
TRADITIONAL = Conventions(normalize_marks=True, indent_first_paragraph=True,
                          folio_name_tracking=0.05, folio_section_tracking=0.15, characters_per_em=1.0,
                          compress_punctuation=False, quotes=("「", "」", "『", "』"), caption_marker="▲")
LATIN = Conventions(normalize_marks=False, indent_first_paragraph=False,
                    folio_name_tracking=0.0, folio_section_tracking=0.0, characters_per_em=2.0)


#: language codes of Traditional Chinese
TRADITIONAL_CODES = frozenset({"zh-hant", "zh-tw", "zh-hk", "zh-mo", "zh_hant", "zh_tw", "zh_hk"})


def is_traditional(lang: str) -> bool:
    return lang.lower() in TRADITIONAL_CODES or lang.lower().startswith(("zh-hant", "zh_hant"))


def conventions(lang: str) -> Conventions:
    if is_traditional(lang):
        return TRADITIONAL
    return CHINESE if is_chinese(lang) else LATIN


def language_tag(lang: str) -> str:
    """The BCP 47 tag readers' software expects for a page's ``typography.language``: the
    script said for Chinese (``zh`` -> ``zh-Hans``, ``zh-Hant``, ``zh-HK`` -> ``zh-Hant-HK``),
    a Latin-script code as it is (``en``). HTML's ``lang`` and a tagged PDF's ``/Lang`` take it."""
    key = (lang or "zh").replace("_", "-")
    low = key.lower()
    if low in ("zh-hk", "zh-mo"):
        return f"zh-Hant-{key[-2:].upper()}"
    if low == "zh-tw":
        return "zh-Hant-TW"
    if is_traditional(low):
        return "zh-Hant"
    if is_chinese(low):
        return "zh-Hans"
    return key

