"""The pages of a PDF as proofs name them: the folio's page number and the slug line.

A proof sheet says which page it shows ("p3 · tile 2/6"), ``--pages 3`` selects by that number
and an edition prints in its order, so the number must come from the page, not from where the
page happens to sit in a file. A press PDF says it in its slug line, drawn below the BleedBox
("seed.pdf   株洲日报   page 3   2024-10-31 00:00   C M Y K", layout.finish.marks); a proof has no
slug, but its Title says 第3版 (layout.finish.stage.title). A PDF from elsewhere gets its
position in the file. The slug is read with the content walk (layout.finish.pdfwalk), which
gives the text through the font's ToUnicode map.
"""

from __future__ import annotations

import re
from pathlib import Path

import pikepdf
from msgspec import Struct

from layout.errors import Diagnostic, InputError, UsageError
from layout.finish.pdfwalk import page_boxes, text_of, walk

#: the slug line is set at 6 pt (layout.finish.marks.SLUG_SIZE); text under this size is read
SLUG_TEXT_UNDER = 9.0


class PageRef(Struct, frozen=True):
    """One page to proof: where it is and what it is called."""

    pdf: str  # the file holding it
    index: int  # its position in that file, from 0
    number: str  # its folio page number ("3"), or its position in the file from 1
    name: str  # the file's name, for labels
    trim: tuple[float, float, float, float]  # the TrimBox (else CropBox, MediaBox), points
    slug: str = ""  # the slug line, parts joined with " · " ("" for a proof)
    title: str = ""


def _slugs(pdf: pikepdf.Pdf) -> dict[int, str]:
    """The text below each page's BleedBox (press marks: the slug line), parts joined by ' · '."""
    w = walk(pdf, small_text=SLUG_TEXT_UNDER)
    maps: dict = {}
    runs: dict[int, list] = {}
    for t in w.texts:
        boxes = page_boxes(pdf.pages[t.page - 1].obj)
        bleed = boxes["BleedBox"]
        if bleed is None or t.y >= bleed[1]:
            continue
        runs.setdefault(t.page, []).append((round(-t.y, 1), t.x, text_of(pdf, t, maps)))
    out = {}
    for page, items in runs.items():
        text = "".join(s for _, _, s in sorted(items))
        parts = [p.strip() for p in re.split(r"\s{2,}", text) if p.strip()]
        out[page] = " · ".join(parts)
    return out


def read_pages(path: str | Path, number: str | None = None) -> list[PageRef]:
    """The pages of the PDF at ``path``; ``number``: the page number of a one-page file when the
    caller knows it (an edition's build does)."""
    path = Path(path)
    if not path.is_file():
        raise InputError([Diagnostic("no such PDF", str(path), code="missing-file")])
    try:
        pdf = pikepdf.open(path)
    except (pikepdf.PdfError, pikepdf.PasswordError, OSError) as exc:
        raise InputError([Diagnostic(f"not a readable PDF ({exc})", str(path), code="not-pdf",
                                     hint="print takes a PDF, a page's content .yaml or an edition .yaml")]) from None
    with pdf:
        title = str(pdf.docinfo.get("/Title", "")) if pdf.docinfo is not None else ""
        slugs = _slugs(pdf)
        refs = []
        n = len(pdf.pages)
        for i, page in enumerate(pdf.pages):
            b = page_boxes(page.obj)
            trim = b["TrimBox"] or b["CropBox"] or b["MediaBox"] or (0.0, 0.0, 612.0, 792.0)
            slug = slugs.get(i + 1, "")
            found = re.search(r"\bpage (\S+)", slug) or (re.search(r"第\s*(\d+)\s*版", title) if n == 1 else None)
            no = number if (number is not None and n == 1) else (found.group(1) if found else str(i + 1))
            refs.append(PageRef(str(path), i, no, path.name, tuple(trim), slug, title))
    return refs


def _key(number: str) -> tuple:
    return (0, int(number), "") if number.isdigit() else (1, 0, number)


def in_page_order(refs: list[PageRef]) -> list[PageRef]:
    """Pages sorted by page number (numbers first, then named pages such as A1), stable."""
    return sorted(refs, key=lambda r: _key(r.number))


def parse_pages(spec: str) -> list[str]:
    """``--pages``: "3", "1,3-5", "A1" -> the page numbers it names, in the order given."""
    out: list[str] = []
    for part in (p.strip() for p in spec.split(",")):
        if not part:
            continue
        m = re.fullmatch(r"(\d+)\s*-\s*(\d+)", part)
        if m:
            lo, hi = int(m.group(1)), int(m.group(2))
            if lo > hi or hi - lo > 1000:
                raise UsageError(f"--pages: {part!r} is not a range of pages (write e.g. 2-5)")
            out += [str(i) for i in range(lo, hi + 1)]
        elif re.fullmatch(r"[0-9A-Za-z]+", part):
            out.append(str(int(part)) if part.isdigit() else part)
        else:
            raise UsageError(f"--pages: {part!r} is not a page number (write e.g. 3 or 1,3-5)")
    if not out:
        raise UsageError("--pages: no page given (write e.g. 3 or 1,3-5)")
    return out


def select(refs: list[PageRef], spec: str | None) -> list[PageRef]:
    """The pages ``spec`` (``--pages``) names, in page order; all of them without a spec."""
    if not spec:
        return in_page_order(refs)
    wanted = parse_pages(spec)
    have = {r.number for r in refs}
    missing = [n for n in wanted if n not in have]
    if missing:
        numbers = ", ".join(r.number for r in in_page_order(refs))
        raise UsageError(f"--pages: no page {', '.join(missing)} here (pages: {numbers})")
    return in_page_order([r for r in refs if r.number in set(wanted)])
