"""Words the engine prints itself, per language: the folio's date and the jump lines.

Language data, like the line-breaking rules beside it (as SILE keeps such strings in its
``languages/``), so that composition never spells a language: a German page gets
"Donnerstag, 31. Oktober 2024" and "Fortsetzung auf Seite 5" without a branch in the folio or
article code. Dates are spelled from these tables, never from the process's locale (whose
``strftime`` would print English or Chinese depending on the machine).

A language without its own entry gets English (and the build still works); add an entry here
to print a paper's own words.
"""

from __future__ import annotations

import datetime as _dt
from typing import Callable

from msgspec import Struct


class Wording(Struct, frozen=True):
    date: Callable[[_dt.date], str]  # the folio's date line
    jump_to: str  # end of a story continued elsewhere; {page} is the page number
    jump_from: str  # start of its continuation


def _names(s: str) -> list[str]:
    return s.split()


_EN_DAYS = _names("Monday Tuesday Wednesday Thursday Friday Saturday Sunday")
_EN_MONTHS = _names("January February March April May June July August September October November December")
_DE_DAYS = _names("Montag Dienstag Mittwoch Donnerstag Freitag Samstag Sonntag")
_DE_MONTHS = _names("Januar Februar März April Mai Juni Juli August September Oktober November Dezember")
_FR_DAYS = _names("lundi mardi mercredi jeudi vendredi samedi dimanche")
_FR_MONTHS = _names("janvier février mars avril mai juin juillet août septembre octobre novembre décembre")
_ES_DAYS = _names("lunes martes miércoles jueves viernes sábado domingo")
_ES_MONTHS = _names("enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre diciembre")
_IT_DAYS = _names("lunedì martedì mercoledì giovedì venerdì sabato domenica")
_IT_MONTHS = _names("gennaio febbraio marzo aprile maggio giugno luglio agosto settembre ottobre novembre dicembre")
_NL_DAYS = _names("maandag dinsdag woensdag donderdag vrijdag zaterdag zondag")
_NL_MONTHS = _names("januari februari maart april mei juni juli augustus september oktober november december")
_ZH_DAYS = "一二三四五六日"

WORDING: dict[str, Wording] = {
    "zh": Wording(lambda d: f"{d.year}年{d.month}月{d.day}日　星期{_ZH_DAYS[d.weekday()]}",
                  "（下转第{page}版）", "（上接第{page}版）"),
    # British style, as the English example page: Thursday, 31 October 2024
    "en": Wording(lambda d: f"{_EN_DAYS[d.weekday()]}, {d.day} {_EN_MONTHS[d.month - 1]} {d.year}",
                  "(Continued on page {page})", "(Continued from page {page})"),
    "en-us": Wording(lambda d: f"{_EN_DAYS[d.weekday()]}, {_EN_MONTHS[d.month - 1]} {d.day}, {d.year}",
                     "(Continued on page {page})", "(Continued from page {page})"),
    "de": Wording(lambda d: f"{_DE_DAYS[d.weekday()]}, {d.day}. {_DE_MONTHS[d.month - 1]} {d.year}",
                  "(Fortsetzung auf Seite {page})", "(Fortsetzung von Seite {page})"),
    "fr": Wording(lambda d: f"{_FR_DAYS[d.weekday()]} {'1er' if d.day == 1 else d.day} {_FR_MONTHS[d.month - 1]} {d.year}",
                  "(Suite page {page})", "(Suite de la page {page})"),
    "es": Wording(lambda d: f"{_ES_DAYS[d.weekday()]}, {d.day} de {_ES_MONTHS[d.month - 1]} de {d.year}",
                  "(Continúa en la página {page})", "(Viene de la página {page})"),
    "it": Wording(lambda d: f"{_IT_DAYS[d.weekday()]} {d.day} {_IT_MONTHS[d.month - 1]} {d.year}",
                  "(Continua a pagina {page})", "(Segue da pagina {page})"),
    "nl": Wording(lambda d: f"{_NL_DAYS[d.weekday()]} {d.day} {_NL_MONTHS[d.month - 1]} {d.year}",
                  "(Lees verder op pagina {page})", "(Vervolg van pagina {page})"),
}


def wording(lang: str) -> Wording:
    """The printed words for ``lang`` (``zh-Hans`` -> ``zh``, ``de-AT`` -> ``de``, unknown ->
    ``en``)."""
    key = (lang or "zh").lower().replace("_", "-")
    if key in WORDING:
        return WORDING[key]
    from .languages import is_chinese

    if is_chinese(key):
        return WORDING["zh"]
    return WORDING.get(key.split("-")[0], WORDING["en"])


def date_text(d: _dt.date, lang: str) -> str:
    return wording(lang).date(d)


def jump_to(page: int, lang: str) -> str:
    return wording(lang).jump_to.format(page=page)


def jump_from(page: int, lang: str) -> str:
    return wording(lang).jump_from.format(page=page)
