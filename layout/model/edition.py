"""An edition file read and checked (its model is ``Edition`` in ``layout.model.content``): the
pages of one issue, built together (one PDF per page, as printing plants
take them, and optionally one combined PDF for proofing).

``edition.yaml`` lists page files; folios number themselves from the list's order, and the
paper's name and date given once here apply to every page.
"""

from __future__ import annotations

from pathlib import Path

from layout.errors import InputError
from layout.model.source import Source, is_edition  # noqa: F401 - is_edition: also asked of this module


def validate_edition(source: Source, *, files: bool = True):
    """The edition as a record (:class:`layout.model.content.Edition`), read as a page is;
    ``files``: every page file must exist (else each one that fails its build says so)."""
    from layout.model.content import Edition
    from layout.model.read import read
    from layout.model.validate import located

    edition, refused = read(source.data, Edition)
    if refused:
        raise InputError(located(refused, source))
    problems = []
    for i, entry in enumerate(edition.entries() if files else []):
        path = (source.folder / entry.file).resolve()
        if not path.is_file():
            problems.append(source.diagnostic(("pages", i), f"page file {entry.file!r} not found",
                                              hint="paths are relative to the edition file", code="missing-file"))
    if problems:
        raise InputError(problems)
    return edition


def page_overrides(edition, index: int, entry) -> dict:
    """What the edition sets in a page's folio: its number, and the paper, date and section."""
    folio: dict = {"page": edition.first_page + index}
    if edition.paper:
        folio["paper"] = edition.paper
    if edition.date:
        folio["date"] = edition.date
    if entry.section:
        folio["section"] = entry.section
    return folio


def page_file(source: Source, entry) -> Path:
    return (source.folder / entry.file).resolve()
