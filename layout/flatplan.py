"""The flatplan (版面总览): the whole edition on one sheet, as the night desk reads it.

``broadsheet plan EDITION`` builds the edition as proofs (booked ads placed, layout.plan), then
lays out one sheet: every page as a thumbnail in spread order (page 1 alone, then 2-3, 4-5 ...
with facing pages side by side, the last even page alone), each with its number and section
above it, a state badge (green built, amber warnings, red overset or failed) and, under it, what
the editor must know: overset and underset per story, low-resolution photos, missing glyphs,
its booked ads. Ads are outlined on the thumbnails in the colour of their kind (legend at the
foot); flagged ad files are outlined in red; the ads that could not be placed are listed under
the spreads with their reasons.

The sheet is a display list (:mod:`layout.display`) drawn by the same renderer as the pages
(vector text in the PDF, the thumbnails as pictures), and the PNG is that PDF rendered with
pdfium: one drawing, two files.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from msgspec import Struct

from layout.display import BLACK, WHITE, Glyphs, Image, Line, Page, Rect
from layout.report import EditionReport, describe, lines as counted

MM = 72 / 25.4
#: ad kinds -> outline colour (CMYK) and the legend's word
KINDS: dict[str, tuple[tuple[float, float, float, float], str]] = {
    "display": ((1.0, 0.45, 0.0, 0.0), "display ad (booked)"),
    "classified": ((0.0, 0.45, 1.0, 0.0), "classified (booked)"),
    "public-service": ((0.8, 0.0, 1.0, 0.1), "public-service"),
    "house": ((0.55, 0.85, 0.0, 0.0), "house ad"),
    "own": ((0.0, 0.0, 0.0, 0.55), "the page's own ad"),
    "flagged": ((0.0, 1.0, 1.0, 0.0), "file fails the press checks"),
}
GREEN = (0.75, 0.0, 0.9, 0.1)
AMBER = (0.0, 0.35, 1.0, 0.0)
RED = (0.0, 1.0, 1.0, 0.05)
GREY = (0.0, 0.0, 0.0, 0.45)

THUMB_H = 250.0  # pt: a page's thumbnail height on the sheet
SPREAD_GAP = 26.0
FOLD = 8.0  # between facing pages
ROW_GAP = 34.0
MARGIN = 30.0
INFO_LINES = 7  # status lines under each thumbnail
SMALL = 7.5


class Flatplan(Struct):
    png: Path
    pdf: Path
    report: EditionReport


def spreads(numbers: list[int]) -> list[list[int]]:
    """Pages in reading spreads: page 1 alone, then even-odd pairs (2-3, 4-5 ...), a last even
    page alone."""
    out: list[list[int]] = []
    for n in sorted(numbers):
        if n % 2 == 0 or not out or len(out[-1]) == 2 or out[-1][0] % 2 == 1:
            out.append([n])
        else:
            out[-1].append(n)
    return out


def status_lines(outcome) -> tuple[str, tuple, list[str]]:
    """(badge word, badge colour, lines) of a page for the sheet."""
    r = outcome.report
    if r is None:
        diags = outcome.diagnostics
        first = diags[0].message if diags else outcome.error.splitlines()[0] if outcome.error else "failed"
        glyphs = [d for d in diags if d.code == "missing-glyph"]
        lines = [f"missing glyph: {d.message.split('character ')[-1]}" for d in glyphs[:3]] or [first]
        return "FAILED", RED, lines
    lines = []
    for o in r.overset:
        lines.append(f"overset {o.article}: {counted(o.lines)} (cut ~{o.characters} chars)")
    for u in r.underset:
        lines.append(f"underset {u.article}: {counted(u.lines, 'empty lines')}")
    low = [i for i in r.images if i.low]
    for i in low:
        lines.append(f"low-res photo {Path(i.source).name}: {i.ppi:.0f} ppi")
    missing = "".join(c for f in r.fonts.values() for c in f.missing)
    if missing:
        lines.append(f"missing glyphs: {missing[:12]}")
    fallback = [f for f in r.findings if type(f).__name__ == "Fallback"]
    if fallback:
        lines.append(f"fallback faces: {''.join(f.characters for f in fallback)[:12]}")
    others = [f for f in r.findings if type(f).__name__ in ("Notice", "AdFile")]
    for f in others[:2]:
        lines.append(describe(f).removeprefix("warning: "))
    booked = [a.id for a in r.ads if a.booked]
    if booked:
        lines.append("ads: " + ", ".join(booked))
    if r.overset:
        return "overset", RED, lines
    if low or missing or others:
        return "warnings", AMBER, lines
    return "built", GREEN, lines


def _fit(text: str, metrics, size: float, width: float) -> str:
    from layout.compose.textset import natural_width

    if natural_width(text, metrics, size) <= width:
        return text
    while text and natural_width(text + "…", metrics, size) > width:
        text = text[:-1]
    return text + "…"


def sheet(report: EditionReport, thumbs: dict[int, tuple[Path, float, float]], faces, *, title: str = "",
          columns: int = 4) -> tuple[Page, dict]:
    """The flatplan's display list, and the thumbnails' picture files (``Image`` -> path).
    ``thumbs``: page number -> (PNG, the page's trim width and height in points)."""
    from layout.compose.textset import set_line

    sans = faces.metrics("subhead")
    heavy = faces.metrics("headline_sans")
    outcomes = {p.page: p for p in report.pages}
    groups = spreads(list(outcomes))
    # every page at one height: the thumbnails' widths follow their pages' proportions
    widths = {n: (THUMB_H * thumbs[n][1] / thumbs[n][2]) if n in thumbs else THUMB_H * 0.72 for n in outcomes}
    columns = max(1, min(columns, len(groups)))
    rows = [groups[i:i + columns] for i in range(0, len(groups), columns)]
    cell_w = max(widths.values()) if widths else THUMB_H * 0.72
    pair = 2 * cell_w + FOLD
    row_w = columns * pair + (columns - 1) * SPREAD_GAP
    head_h, info_h = 34.0, INFO_LINES * SMALL * 1.35 + 6
    row_h = head_h + THUMB_H + info_h
    unplaced = [f for f in report.findings if type(f).__name__ == "AdUnplaced"]
    flagged = [f for f in report.findings if type(f).__name__ == "AdFile"]
    foot_lines = len(unplaced) + len(flagged) + (2 if unplaced or flagged else 0)
    W = row_w + 2 * MARGIN
    H = MARGIN + 40 + len(rows) * (row_h + ROW_GAP) + foot_lines * 11 + 40 + MARGIN
    page = Page(width=W, height=H, name="flatplan")
    items = page.items
    files: dict = {}
    items.extend(set_line(title or f"flatplan: {Path(report.input).name}", font="headline_sans", metrics=heavy,
                          size=18, x=MARGIN, baseline=MARGIN + 18, role="plan-title"))
    good = sum(1 for p in report.pages if p.ok)
    placed = sum(1 for a in report.ads if a.status != "unplaced")
    summary = f"{len(report.pages)} pages, {good} built without problems"
    if report.ads:
        summary += f"; {placed} of {len(report.ads)} booked ads placed"
    items.extend(set_line(summary, font="subhead", metrics=sans, size=10, x=MARGIN, baseline=MARGIN + 34,
                          role="plan-summary"))
    booked_by_id = {a.id: a for a in report.ads}
    y = MARGIN + 52
    for row in rows:
        x = MARGIN
        for group in row:
            gx = x if len(group) == 2 or group[0] % 2 == 0 else x + cell_w + FOLD  # a lone odd page stands on the right
            for n in group:
                o = outcomes[n]
                w = widths[n]
                tx = gx + (cell_w - w if n % 2 == 0 and len(group) == 2 else 0)
                word, colour, lines = status_lines(o)
                section = (o.report.section if o.report else "") or ""
                items.extend(set_line(f"{n:02d}", font="headline_sans", metrics=heavy, size=18, x=tx,
                                      baseline=y + 20, role="plan-page"))
                items.extend(set_line(_fit(section, sans, 11, w - 90), font="subhead", metrics=sans, size=11, x=tx + 30,
                                      baseline=y + 19, role="plan-section"))
                badge_w = 58.0
                items.append(Rect(tx + w - badge_w, y + 8, badge_w, 15, fill=colour, role="plan-badge"))
                items.extend(set_line(word, font="subhead", metrics=sans, size=8.5, x=tx + w - badge_w, baseline=y + 19,
                                      width=badge_w, align="center", color=WHITE, role="plan-badge"))
                ty = y + head_h
                if n in thumbs:
                    img = Image(x=tx, y=ty, w=w, h=THUMB_H, file=str(thumbs[n][0]), role="plan-thumb", source=f"page:{n}")
                    items.append(img)
                    files[img] = thumbs[n][0]
                    items.append(Rect(tx, ty, w, THUMB_H, stroke=GREY, line_width=0.5, role="plan-frame"))
                    scale = w / thumbs[n][1]
                    for ad in (o.report.ads if o.report else []):
                        b = booked_by_id.get(ad.id) if ad.booked else None
                        kind = ("flagged" if b is not None and b.status == "flagged" else b.kind) if b is not None else \
                            ("public-service" if ad.kind == "public-service" else "own")
                        col = KINDS.get(kind, KINDS["display"])[0]
                        ax, ay, aw, ah = (v * scale for v in ad.box)
                        items.append(Rect(tx + ax, ty + ay, aw, ah, stroke=col, line_width=1.8, role="plan-ad"))
                        tag = _fit(ad.id, sans, 6.5, max(aw - 2, 8))
                        items.append(Rect(tx + ax, ty + ay, min(aw, 6.5 * 0.62 * max(len(tag), 2) + 4), 9, fill=col,
                                          role="plan-ad-tag"))
                        items.extend(set_line(tag, font="subhead", metrics=sans, size=6.5, x=tx + ax + 1.5,
                                              baseline=ty + ay + 7, color=WHITE, role="plan-ad-tag"))
                else:
                    items.append(Rect(tx, ty, w, THUMB_H, fill=(0, 0, 0, 0.08), stroke=RED, line_width=1.5,
                                      role="plan-missing"))
                    items.extend(set_line("no page", font="subhead", metrics=sans, size=12, x=tx, baseline=ty + THUMB_H / 2,
                                          width=w, align="center", color=RED, role="plan-missing"))
                ly = ty + THUMB_H + SMALL * 1.5
                shown = lines[:INFO_LINES] if len(lines) <= INFO_LINES else lines[:INFO_LINES - 1] + [
                    f"... and {len(lines) - INFO_LINES + 1} more (--json lists all)"]
                for line in shown:
                    colour_line = RED if line.startswith(("overset", "missing")) else BLACK
                    items.extend(set_line(_fit(line, sans, SMALL, w), font="subhead", metrics=sans, size=SMALL, x=tx,
                                          baseline=ly, color=colour_line, role="plan-status"))
                    ly += SMALL * 1.35
                gx += cell_w + FOLD
            if len(group) == 2:  # the fold between facing pages
                items.append(Line(x + cell_w + FOLD / 2, y + head_h - 4, x + cell_w + FOLD / 2, y + head_h + THUMB_H + 4,
                                  color=GREY, width=0.6, dash=(2, 2), role="plan-spine"))
            x += pair + SPREAD_GAP
        y += row_h + ROW_GAP
    if unplaced or flagged:
        items.extend(set_line(f"ads not placed ({len(unplaced)}) and ad files flagged ({len(flagged)})",
                              font="headline_sans", metrics=heavy, size=11, x=MARGIN, baseline=y, role="plan-foot"))
        y += 15
        for f in unplaced + flagged:
            text = describe(f).removeprefix("warning: ")
            if f.where is not None:
                text += f"  [{Path(f.where.file).name}:{f.where.line}]"
            items.extend(set_line(_fit(text, sans, 8.5, row_w), font="subhead", metrics=sans, size=8.5, x=MARGIN,
                                  baseline=y, color=RED if type(f).__name__ == "AdUnplaced" else BLACK,
                                  role="plan-foot"))
            y += 11
        y += 10
    # legend: the ads' outlines, then the states' badges, wrapped to the sheet's width
    from layout.compose.textset import natural_width

    lx = MARGIN
    keys = [(word, col, False) for col, word in KINDS.values()] + [
        (word, col, True) for word, col in (("built", GREEN), ("warnings", AMBER), ("overset / failed", RED))]
    for word, col, filled in keys:
        step = 20 + natural_width(word, sans, 8) + 18
        if lx + step - 18 > W - MARGIN and lx > MARGIN:
            lx, y = MARGIN, y + 14
        items.append(Rect(lx, y, 16, 9, fill=col if filled else None, stroke=None if filled else col,
                          line_width=0 if filled else 1.8, role="plan-legend"))
        items.extend(set_line(word, font="subhead", metrics=sans, size=8, x=lx + 20, baseline=y + 8, role="plan-legend"))
        lx += step
    page.height = y + 9 + MARGIN
    return page, files


class _Files:
    def __init__(self, files: dict):
        self.files = files

    def file_for(self, item) -> Path:
        return self.files[item]


def thumbnails(report: EditionReport, folder: Path, *, px_high: int = 520) -> dict[int, tuple[Path, float, float]]:
    """A PNG of each built page (its trim box, rendered with pdfium) in ``folder``: page ->
    (file, trim width, trim height in points)."""
    import pypdfium2 as pdfium

    out = {}
    for p in report.pages:
        if p.report is None or not p.report.output:
            continue
        pdf = pdfium.PdfDocument(p.report.output)
        try:
            page = pdf[0]
            left, bottom, right, top = page.get_trimbox()
            w, h = right - left, top - bottom
            scale = px_high / h
            crop = (left - page.get_mediabox()[0], bottom - page.get_mediabox()[1],
                    page.get_mediabox()[2] - right, page.get_mediabox()[3] - top)
            image = page.render(scale=scale, crop=crop, optimize_mode="print").to_pil().convert("RGB")
        finally:
            pdf.close()
        file = folder / f"thumb-p{p.page:02d}.png"
        image.save(file, optimize=False, compress_level=3)
        out[p.page] = (file, w, h)
    return out


def flatplan(edition: Path, out: Path | None = None, *, workers: int | None = None, on_page=None, on_stage=None,
             options=None, dpi: float = 72.0) -> Flatplan:
    """Build the edition as proofs and write its flatplan: ``out`` (a .png or .pdf name, the
    other written beside it; default output/<edition>/<edition>-flatplan.png)."""
    from layout.build import BuildOptions
    from layout.cache import usable_root
    from layout.edition import build_edition
    from layout.fonts.faces import page_fonts
    from layout.output import written
    from layout.render.pdf import RenderOptions, render

    edition = Path(edition)
    options = options or BuildOptions(proof=True)
    report = build_edition(edition, options, workers=workers, on_page=on_page, on_stage=on_stage)
    built = [p.report.output for p in report.pages if p.report is not None and p.report.output]
    folder = Path(built[0]).parent if built else edition.parent / "output" / edition.stem
    base = Path(out) if out is not None else folder / f"{edition.stem}-flatplan.png"
    png, pdf = base.with_suffix(".png"), base.with_suffix(".pdf")
    png.parent.mkdir(parents=True, exist_ok=True)
    cache, _ = usable_root(options.cache_dir)
    faces = page_fonts(edition.parent, {}, cache)
    from layout.model.edition import validate_edition
    from layout.model.source import load_file

    ed = validate_edition(load_file(edition), allow_outside=options.allow_outside)
    with tempfile.TemporaryDirectory(prefix="broadsheet-plan-") as tmp:
        thumbs = thumbnails(report, Path(tmp))
        title = "  ".join(x for x in (ed.paper or "", str(ed.date or ""), f"flatplan of {edition.name}") if x)
        page, files = sheet(report, thumbs, faces, title=title)
        with written(pdf) as target:
            render([page], target, faces, _Files(files), RenderOptions(press=False, title=title, cache_dir=cache))
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(str(pdf))
    try:
        image = doc[0].render(scale=dpi / 72.0, optimize_mode="print").to_pil().convert("RGB")
    finally:
        doc.close()
    with written(png) as target:
        image.save(target, format="PNG", optimize=False, compress_level=6)
    return Flatplan(png=png, pdf=pdf, report=report)
