"""Printed words per language (layout.text.wording): dates spelled from tables, not the locale."""

from __future__ import annotations

import datetime as dt
import locale

import pytest

from layout.text.wording import date_text, jump_from, jump_to

D = dt.date(2024, 10, 31)  # a Thursday


@pytest.mark.parametrize("lang, want", [
    ("zh", "2024年10月31日　星期四"),
    ("zh-Hans", "2024年10月31日　星期四"),
    ("en", "Thursday, 31 October 2024"),
    ("en-GB", "Thursday, 31 October 2024"),
    ("en-US", "Thursday, October 31, 2024"),
    ("de", "Donnerstag, 31. Oktober 2024"),
    ("de-AT", "Donnerstag, 31. Oktober 2024"),
    ("fr", "jeudi 31 octobre 2024"),
    ("es", "jueves, 31 de octubre de 2024"),
    ("it", "giovedì 31 ottobre 2024"),
    ("nl", "donderdag 31 oktober 2024"),
    ("sv", "Thursday, 31 October 2024"),  # no entry yet: English
])
def test_dates(lang, want):
    assert date_text(D, lang) == want


def test_french_first_of_month():
    assert date_text(dt.date(2024, 11, 1), "fr") == "vendredi 1er novembre 2024"


def test_jump_lines():
    assert jump_to(5, "zh") == "（下转第5版）" and jump_from(1, "zh") == "（上接第1版）"
    assert jump_to(5, "en") == "(Continued on page 5)"
    assert jump_from(12, "de") == "(Fortsetzung von Seite 12)"


def test_not_the_process_locale(monkeypatch):
    for name in ("de_DE.UTF-8", "C.UTF-8"):
        try:
            locale.setlocale(locale.LC_TIME, name)
        except locale.Error:
            continue
        try:
            assert date_text(D, "en") == "Thursday, 31 October 2024"
        finally:
            locale.setlocale(locale.LC_TIME, "C")


def test_conventions_by_script():
    """Per-script choices composition reads as data (layout.text.languages.conventions)."""
    from layout.text.languages import conventions

    zh, en, de = conventions("zh"), conventions("en"), conventions("de")
    assert zh.indent_first_paragraph and zh.normalize_marks and zh.folio_section_tracking > 0
    assert en == de and not en.indent_first_paragraph and not en.normalize_marks
    assert conventions("zh-Hans") == zh
