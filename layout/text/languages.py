"""Which rules set a paragraph: ``ParagraphStyle.lang`` to a composer and its language data.

``zh`` (the default) is the Chinese composer (:mod:`layout.text.compose` with
:mod:`rules_zh`). ``en`` and any other language pyphen has a hyphenation dictionary for
(``en-GB``, ``de``, ``fr``, ``es``, ``nl``, ...) are set by the Latin-script composer
(:mod:`layout.text.latin`) with :mod:`rules_en`'s rules and that language's dictionary.
"""

from __future__ import annotations

from . import rules_en

#: language codes set by the Chinese composer
CJK = frozenset({"zh", "zh-cn", "zh-hans", "zh_cn", "zh_hans"})


def is_chinese(lang: str) -> bool:
    return lang.lower() in CJK or lang.lower().startswith(("zh-", "zh_"))


def latin_rules(lang: str) -> rules_en.LatinRules:
    """The Latin-script rules for ``lang``; ValueError for a language with none."""
    rules = rules_en.for_language(lang) if lang else None
    if rules is None:
        raise ValueError(f"no composition rules for language {lang!r} (known: zh, en, and the "
                         f"Latin-script languages pyphen has dictionaries for, e.g. de, fr)")
    return rules
