"""The press stage of a build: what turns a rendered page into a file the plant takes.

The output profile and the photo converter made from it (:func:`press_colour`), the PDF/X
identity the renderer writes in the same pass as the pages (:func:`identity`), the printer's
marks as display items (:func:`marks`), and the independent read-back of ``build --verify``
(:func:`verify`). Each raises :class:`FinishError` with what is wrong; the build words it.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from layout.finish.errors import FinishError


def press_colour(press, folder: Path):
    """(profile, photo converter) of a press build; FinishError when the profile is unusable."""
    from layout.finish.color import make_image_converter
    from layout.finish.profile import output_profile

    path = (folder / press.profile) if press.profile else None
    profile = output_profile(path, condition_id=press.condition)
    return profile, make_image_converter(profile, press.tac_limit / 100.0)


#: output profiles compressed in this process: digest -> (the profile's bytes, compressed)
_DEFLATED: dict[str, tuple[bytes, bytes]] = {}


def _deflated(data: bytes, folder: Path) -> bytes:
    """``zlib.compress(data)``, kept in ``folder`` under the data's hash: the output profile is
    the same on every page and build, and compressing it costs ~10 ms each time."""
    import zlib

    from layout.cache import read_sealed, write_sealed

    from layout.finish.profile import sha256_of

    digest = sha256_of(data).hex()[:24]
    hit = _DEFLATED.get(digest)
    if hit is not None and hit[0] == data:  # (a rebuild in process: read, inflated and compared once)
        return hit[1]
    path = folder / f"{digest}-2.flate"  # (-2: sealed)
    packed = read_sealed(path)  # (sealed; and what it inflates to must be the profile itself)
    if packed is not None:
        try:
            if zlib.decompress(packed) == data:
                _DEFLATED[digest] = (data, packed)
                return packed
        except zlib.error:
            pass
        from layout.cache import damaged

        damaged(path, "it does not inflate to the output profile")
    packed = zlib.compress(data)
    write_sealed(path, packed)
    _DEFLATED[digest] = (data, packed)
    return packed


def identity(press, profile, title: str, when, cache: Path):
    """What the press file says about itself (PDF/X keys, output intent, XMP)."""
    from reportlab import Version as reportlab_version

    from layout import __version__
    from layout.finish.press import press_identity

    return press_identity(press.pdfx, profile, title=title, creation_date=when,
                          producer=f"broadsheet {__version__} (ReportLab {reportlab_version})",
                          deflate=lambda data: _deflated(data, cache / "icc"))


def verify(path: Path, variant: str, profile) -> None:
    """Read the written file back with an independent reader (pikepdf/qpdf) and refuse it if it
    breaks a PDF/X rule: ``build --verify``, and what the tests run on every example."""
    import pikepdf

    from layout.finish.pdfx import check_pdfx

    with pikepdf.open(path) as pdf:
        problems = check_pdfx(pdf, variant, profile)
        intents = [oi for oi in pdf.Root.get("/OutputIntents", []) if oi.get("/S") == pikepdf.Name.GTS_PDFX]
        if len(intents) != 1:
            problems.append(f"{len(intents)} GTS_PDFX output intents")
    if problems:
        raise FinishError("; ".join(problems))


def marks(page, name: str, doc, when, faces) -> list:
    """The press marks of ``page`` (``layout.finish.marks``) as display items, for the slug."""
    from layout.finish.marks import SlugInfo, press_marks

    metrics = faces.metrics("folio")
    info = SlugInfo(file_name=name, page=doc.folio.page, when=when, edition=doc.folio.paper)

    def measure(text: str, size: float):
        return [metrics.advance(c) * size for c in text]

    return press_marks(page.width, page.height, page.bleed, page.slug, info, measure=measure)


def title(doc) -> str:
    """The PDF's title: paper, date, page and the lead story's head."""
    parts = [doc.folio.paper, f"{doc.folio.date.isoformat()}", f"第{doc.folio.page}版"]
    if doc.articles:
        parts.append(doc.articles[0].headline.text)
    return " ".join(parts)


__all__ = ["FinishError", "identity", "marks", "press_colour", "title", "verify"]
