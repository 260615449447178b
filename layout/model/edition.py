"""An edition: the pages of one issue, built together (one PDF per page, as printing plants
take them, and optionally one combined PDF for proofing).

``edition.yaml`` lists page files; folios number themselves from the list's order, and the
paper's name and date given once here apply to every page.
"""

from __future__ import annotations

import datetime as _dt
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from layout.errors import InputError
from layout.model.values import date as parse_date
from layout.model.source import Source, is_edition  # noqa: F401 - is_edition: also asked of this module


class EditionPage(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    file: str = Field(..., min_length=1, description="the page's content file, relative to the edition file", examples=["pages/p01.yaml"])
    section: str | None = Field(None, description="section label for this page's folio (版名)", examples=["要闻"])


class Edition(BaseModel):
    """An issue: its paper, date and pages in order."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    paper: str | None = Field(None, description="paper name for every folio", examples=["株洲日报"])
    date: _dt.date | None = Field(None, description="issue date for every folio", examples=["2024-10-31"])
    first_page: int = Field(1, ge=1, le=999, description="number of the first page")
    combined: bool = Field(False, description="also write one PDF holding every page (for proofing)")
    pages: list[EditionPage | str] = Field(..., min_length=1, description="page files in order")

    @field_validator("date", mode="before")
    @classmethod
    def _date(cls, v):
        return parse_date(v)

    def entries(self) -> list[EditionPage]:
        return [p if isinstance(p, EditionPage) else EditionPage(file=p) for p in self.pages]


def validate_edition(source: Source) -> Edition:
    from layout.model.messages import _pydantic_diagnostics

    try:
        edition = Edition.model_validate(source.data)
    except ValidationError as exc:
        raise InputError(_pydantic_diagnostics(exc, source)) from None
    problems = []
    for i, entry in enumerate(edition.entries()):
        path = (source.folder / entry.file).resolve()
        if not path.is_file():
            problems.append(source.diagnostic(("pages", i), f"page file {entry.file!r} not found",
                                              hint="paths are relative to the edition file", code="missing-file"))
    if problems:
        raise InputError(problems)
    return edition


def page_overrides(edition: Edition, index: int, entry: EditionPage) -> dict:
    """What the edition sets in a page's folio: its number, and the paper, date and section."""
    folio: dict = {"page": edition.first_page + index}
    if edition.paper:
        folio["paper"] = edition.paper
    if edition.date:
        folio["date"] = edition.date.isoformat()
    if entry.section:
        folio["section"] = entry.section
    return folio


def page_file(source: Source, entry: EditionPage) -> Path:
    return (source.folder / entry.file).resolve()
