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


def validate_edition(source: Source, *, files: bool = True, allow_outside: bool = False):
    """The edition as a record (:class:`layout.model.content.Edition`), read as a page is.
    Every page file follows the rule of every path (:func:`layout.files.checked_path`): a
    content file (.yaml) inside the edition's folder unless ``allow_outside``, never a special
    file; ``files``: every page file must exist (else each one that fails its build says so)."""
    from layout.files import PathProblem, checked_path, is_page_name
    from layout.model.content import Edition
    from layout.model.read import read
    from layout.model.validate import located

    edition, refused = read(source.data, Edition)
    if refused:
        raise InputError(located(refused, source))
    problems = []
    for i, entry in enumerate(edition.entries()):
        try:
            checked_path(entry.file, source.folder, allow_outside=allow_outside, what="page",
                         whose="the edition's", into="the edition's folder")
        except PathProblem as exc:
            if exc.code == "missing-file" and not files:
                continue
            message = f"page file {entry.file!r} not found" if exc.message.startswith("page file") else exc.message
            problems.append(source.diagnostic(("pages", i), message,
                                              hint=exc.hint or "paths are relative to the edition file", code=exc.code))
            continue
        if not is_page_name(entry.file):  # (no other file is read, or quoted, as a page)
            problems.append(source.diagnostic(("pages", i), f"page file {entry.file!r} is not a content file (.yaml)",
                                              hint="an edition lists the pages' content files", code="not-a-page"))
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
