"""PDF files placed as vector graphics (ads delivered as PDF): their page sizes before
composition, a check that each placed page can be embedded, and a press check of the file.

Composition needs only a page's size (its trim box, else its crop or media box) to keep its
proportions in the ad's frame (:func:`vector_sizes`); the renderer embeds the page as a form
XObject (``layout.render.forms``). What the press needs of an advertiser's file is what
``broadsheet preflight`` checks of any PDF: fonts embedded, no RGB, total ink under the limit
(:func:`press_problems`, cached by the file's content: Ghostscript's separations take a
fraction of a second).
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Iterable

from layout.errors import Problem


class VectorError(Exception):
    def __init__(self, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.message, self.hint = message, hint


def is_pdf(name: str) -> bool:
    return str(name).lower().endswith(".pdf")


def page_box(page) -> tuple[float, float, float, float]:
    """The box of a PDF page (pikepdf) that is placed: TrimBox, else CropBox, else MediaBox."""
    for key in ("/TrimBox", "/CropBox", "/MediaBox"):
        if key in page.obj:
            x0, y0, x1, y1 = (float(v) for v in page.obj[key])
            return (min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1))
    raise VectorError("the page has no MediaBox")


def pdf_page_size(path: Path, page: int = 1) -> tuple[float, float]:
    """Width and height in points of the placed box of ``page`` (from 1) of the PDF ``path``."""
    import pikepdf

    try:
        with pikepdf.open(path) as pdf:
            if not 1 <= page <= len(pdf.pages):
                raise VectorError(f"has {len(pdf.pages)} page(s), not a page {page}",
                                  hint=f"`page` counts from 1 up to {len(pdf.pages)}")
            p = pdf.pages[page - 1]
            if int(p.obj.get("/Rotate", 0) or 0) % 360:
                raise VectorError(f"page {page} is rotated (/Rotate {int(p.obj.get('/Rotate'))})",
                                  hint="ask for the ad upright, as it prints")
            x0, y0, x1, y1 = page_box(p)
    except pikepdf.PasswordError:
        raise VectorError("is encrypted", hint="ask the advertiser for an unprotected PDF") from None
    except (pikepdf.PdfError, OSError, ValueError) as exc:
        raise VectorError(f"is not a readable PDF ({exc})", hint="export the ad again as PDF/X") from None
    if x1 - x0 <= 0 or y1 - y0 <= 0:
        raise VectorError(f"page {page} has an empty box")
    return (x1 - x0, y1 - y0)


def vector_sizes(placed: Iterable[tuple[str, int]], folder: Path) -> dict[tuple[str, int], tuple[float, float]]:
    """(file, page) -> the page's size in points, for each PDF named on a page; files that
    cannot be read are left out (:func:`check_vectors` reports them, located)."""
    out: dict[tuple[str, int], tuple[float, float]] = {}
    for name, page in dict.fromkeys(placed):
        try:
            out[(name, page)] = pdf_page_size(folder / name, page)
        except VectorError:
            continue
    return out


def check_vectors(items, folder: Path) -> tuple[dict, list[Problem]]:
    """The file of each placed PDF page (``display.Vector`` items), or a problem at its place."""
    files: dict = {}
    problems: list[Problem] = []
    seen: set = set()
    for item in items:
        path = folder / item.file
        try:
            pdf_page_size(path, item.page)
        except VectorError as exc:
            if (item.at, item.file) not in seen:
                seen.add((item.at, item.file))
                problems.append(Problem(item.at, f"ad file {item.file!r} {exc.message}", hint=exc.hint, code="bad-ad-file"))
            continue
        files[item] = path
    return files, problems


#: the preflight checks a placed PDF must pass for press, and how the desk is told of a failure
PRESS_CHECKS = {"fonts embedded": "fonts not embedded", "colour": "RGB colour", "image colour": "RGB images",
                "ink coverage": "ink over the limit", "file": "unreadable", "encryption": "encrypted"}


def press_problems(path: Path, *, tac_limit: float = 240.0, cache: Path | None = None) -> list[str]:
    """What stops an advertiser's PDF from going to press as it is: one line per failed check
    of ``broadsheet preflight`` that concerns a placed file (fonts embedded, RGB colour or
    images, ink over ``tac_limit``, boxes), worded for the ad desk; [] when it passes. Cached by
    the file's content and the limit."""
    from layout.cache import read_sealed, write_sealed

    data = Path(path).read_bytes()
    key = hashlib.sha256(data + f"|{tac_limit:g}|3".encode()).hexdigest()  # (3: sealed records)
    record = cache / "adcheck" / f"{key}.json" if cache is not None else None
    raw = read_sealed(record) if record is not None else None  # (sealed: a damaged record is a miss)
    if raw is not None:
        try:
            found = json.loads(raw.decode("utf-8"))
            if isinstance(found, list) and all(isinstance(x, str) for x in found):
                return found
        except ValueError:
            pass
    from layout.preflight import preflight

    rep = preflight(path, tac_limit=tac_limit, dpi=36)
    out = []
    for c in rep.checks:
        if c.status == "fail" and c.name in PRESS_CHECKS:
            detail = c.detail.split("; cross-checked")[0]
            for lead in ("not embedded: ", "RGB colour in the page content (separated by the RIP, not by us): ",
                         "RGB images: "):
                detail = detail.removeprefix(lead)
            out.append(f"{PRESS_CHECKS[c.name]}: {detail}")
    if record is not None:
        write_sealed(record, json.dumps(out, ensure_ascii=False).encode("utf-8"))
    return out
