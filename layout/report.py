"""The build report: what a production desk needs to know before the page goes to press.

One typed record per build (:class:`Report`), per edition (:class:`EditionReport`) or per
refused input (:class:`Failure`), made of typed findings (:mod:`layout.findings`): overset and
underset text, what copyfit changed, jumps, low-resolution pictures, characters set in a
fallback face, what normalisation changed, the audit of the body text. ``--json`` writes the record as it is
(``msgspec.json``); the terminal summary is worded from the same fields; ``broadsheet schema
--report`` prints the JSON Schema of all three (docs/report.md).
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal, Union

import msgspec
from msgspec import Struct, field

from layout.assets.photos import PlacedPicture
from layout.errors import Diagnostic
from layout.findings import (AdFile, AdUnplaced, AnyFinding, Copyfit, Emergency, Fallback, Jump, LowResolution, Normalized,
                             Notice, Overset, TextAudit, Underset)

#: bumped when a field of the JSON output is renamed or removed (adding one is compatible)
REPORT_VERSION = 1


def lines(n: int, what: str = "lines") -> str:
    """``1 empty line``, ``3 empty lines``: counts as an editor reads them."""
    return f"{n} {what[:-1] if n == 1 and what.endswith('s') else what}"


def describe_copyfit(c: Copyfit) -> str:
    """One line for a copyfitted article."""
    parts = []
    for ch in c.changes:
        if ch.what == "tracking":
            parts.append(f"body tracking {ch.before:+.3f} → {ch.after:+.3f} em")
        elif ch.what == "photo":
            parts.append(f"photo {ch.photo} {ch.before:g} → {ch.after:g} lines")
        elif ch.what == "headline":
            parts.append(f"head {ch.before:g} → {ch.after:g} pt")

    def state(x) -> str:
        return lines(x.overset, "lines") + " overset" if x.overset else lines(x.underset, "empty lines")

    if c.note:
        what = c.note
    elif parts:
        what = ", ".join(parts)
    elif c.after.overset or c.after.underset:
        what = "nothing it may change improves the fit"
    else:
        what = "set as written"
    return f"article {c.article!r}: {what} ({state(c.before)} → {state(c.after)})"


def describe(f: AnyFinding) -> str:
    """A finding in one line, as the terminal and the preview show it."""
    if isinstance(f, Overset):
        return (f"overset: article {f.article!r}: {lines(f.lines)}, {f.characters} characters do not fit "
                f"(cut about {f.characters} characters)")
    if isinstance(f, Underset):
        room = f" (room for about {f.characters} more characters)" if f.characters else ""
        return f"underset: article {f.article!r}: {lines(f.lines, 'empty lines')}{room}"
    if isinstance(f, Jump):
        return f"jump: article {f.article!r} continues on page {f.to_page} ({lines(f.lines)})"
    if isinstance(f, Copyfit):
        return f"copyfit: {describe_copyfit(f)}"
    if isinstance(f, LowResolution):
        return f"warning: image {f.file} has only {f.ppi:.0f} ppi in its frame (minimum {f.min_ppi:.0f})"
    if isinstance(f, Fallback):
        chars = ", ".join(f"'{c}' (U+{ord(c):04X})" for c in f.characters[:12]) + (" ..." if len(f.characters) > 12 else "")
        return f"fallback: {chars} set in {f.face} (font role {f.font!r} lacks them)"
    if isinstance(f, Normalized):
        return f"normalised {f.before!r} → {f.after!r} ({f.mark}) in {f.source}"
    if isinstance(f, Emergency):
        why = (f"word spaces of {f.value:.2f} em (over 0.5)" if f.reason == "loose"
               else f"gaps opened to {f.value:.2f} em (over 0.25)" if f.reason == "slack"
               else f"set flush left, {f.value:.2f} em short (nothing to justify by)" if f.reason == "unfilled"
               else "a word split between two letters without a hyphen")
        return f"emergency: {f.source} line {f.line + 1} \"{f.text}\": {why}"
    if isinstance(f, AdFile):
        return f"ad {f.ad!r}: {f.file} is not ready for press: " + "; ".join(f.problems)
    if isinstance(f, AdUnplaced):
        what = ", ".join(x for x in (f.advertiser, f.size) if x)
        return f"ad not placed: {f.ad!r}" + (f" ({what})" if what else "") + f": {f.message}"
    if isinstance(f, Notice):
        return f"{f.severity}: {f.message}"
    return str(f)


class FontUsage(Struct, frozen=True):
    """A font role as the page used it: the file, how many distinct characters it set, which
    of them the face lacks."""

    file: str
    index: int
    name: str
    outlines: str
    characters: int
    missing: list[str] = field(default_factory=list)


class LayoutInfo(Struct, frozen=True):
    """What ``place: auto`` chose: the layout's score (lower is better), how well each story
    fills its module (lines over, +, or under, -, before copyfit), and notes."""

    score: int
    fit: dict[str, int] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)


class PageAd(Struct, frozen=True):
    """An ad as the page carries it: its id, what it is (public-service, an image file, a PDF
    placed as vector), its frame on the grid (column, columns, line, lines), its box in points
    from the trim's top-left (x, y, w, h), and whether the edition's booking list put it there."""

    id: str
    kind: Literal["public-service", "image", "pdf"]
    frame: tuple[int, int, int, int]
    box: tuple[float, float, float, float]
    booked: bool = False
    file: str = ""


class Report(Struct, kw_only=True, tag_field="type", tag="page"):
    """The report of one page's build (or check)."""

    version: int = REPORT_VERSION
    input: str = ""
    output: str = ""  # the PDF written; empty for `check` or a refused --strict build
    ok: bool = True
    pages: int = 0
    seconds: float = 0.0
    mode: Literal["press", "proof"] = "press"
    section: str = ""  # the folio's section (版名), as the page was built
    findings: list[AnyFinding] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)  # located warnings about the input
    images: list[PlacedPicture] = field(default_factory=list)
    fonts: dict[str, FontUsage] = field(default_factory=dict)
    text_audit: TextAudit = field(default_factory=TextAudit)
    layout: LayoutInfo | None = None
    ads: list[PageAd] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)

    def of(self, kind: type) -> list:
        return [f for f in self.findings if isinstance(f, kind)]

    @property
    def overset(self) -> list[Overset]:
        return self.of(Overset)

    @property
    def underset(self) -> list[Underset]:
        return self.of(Underset)

    @property
    def jumps(self) -> list[Jump]:
        return self.of(Jump)

    @property
    def copyfit(self) -> list[Copyfit]:
        return self.of(Copyfit)

    @property
    def normalized(self) -> list[Normalized]:
        return self.of(Normalized)

    def to_dict(self) -> dict:
        return msgspec.to_builtins(self)

    def summary_lines(self) -> list[str]:
        out = []
        if not self.output:
            status = "checked" if self.ok else "check failed"
            out.append(f"{status} {self.input}: {self.pages} page(s) composed in {self.seconds:.2f} s, no PDF written")
        else:
            status = "built" if self.ok else "built with problems"
            out.append(f"{status} {self.output}: {self.pages} page(s) in {self.seconds:.2f} s ({self.mode})")
        for o in self.overset:
            out.append(f"  {describe(o)}")
        if self.layout is not None:
            out.append(f"  automatic layout: score {self.layout.score}" + "".join(f"; {n}" for n in self.layout.notes))
        for c in self.copyfit:
            if c.changes or c.after != c.before or c.after.overset or c.after.underset:
                out.append(f"  {describe(c)}")
        for j in self.jumps:
            out.append(f"  {describe(j)}")
        for u in self.underset:
            out.append(f"  {describe(u)}")
        for img in self.images:
            flag = " LOW" if img.low else ""
            out.append(f"  image {img.source}: {img.ppi:.0f} ppi effective{flag}")
        for f in self.findings:
            if isinstance(f, (LowResolution, Fallback, AdFile, AdUnplaced, Notice)):
                out.append(f"  {describe(f)}")
        emergencies = self.of(Emergency)
        if emergencies:
            by_reason: dict[str, int] = {}
            for e in emergencies:
                by_reason[e.reason] = by_reason.get(e.reason, 0) + 1
            kinds = ", ".join(f"{v} {k}" for k, v in sorted(by_reason.items()))
            out.append(f"  emergency lines: {kinds} (the first: {describe(emergencies[0])[11:]}; --json lists all)")
        if self.normalized:
            by_kind: dict[str, int] = {}
            for n in self.normalized:
                by_kind[n.mark] = by_kind.get(n.mark, 0) + 1
            kinds = ", ".join(f"{k} {v}" for k, v in sorted(by_kind.items()))
            out.append(f"  normalised {len(self.normalized)} marks ({kinds})")
        a = self.text_audit
        if a.lines:
            out.append(f"  composition: {a.lines} body lines, {a.prohibited_start} prohibited starts, "
                       f"{a.prohibited_end} prohibited ends, {a.ragged} ragged, {a.orphans} orphans, "
                       f"{a.overlaps} overlaps, {a.ascii_punct} ASCII marks"
                       + (f", {a.loose} loose, {a.tight} tight, {a.letterspaced} letter-spaced, {a.hyphens} hyphens"
                          if a.hyphens or a.loose or a.tight or a.letterspaced else "")
                       + (f", {a.slack} slack" if a.slack else ""))
        return out


class PageOutcome(Struct, kw_only=True):
    """One page of an edition: its report, or why it failed (``status``: the exit status the
    page's own build would have given, 1 for its input, 74 for a write the machine refused)."""

    page: int
    file: str
    report: Report | None = None
    error: str = ""
    diagnostics: list[Diagnostic] = field(default_factory=list)
    status: int = 0

    @property
    def ok(self) -> bool:
        return self.report is not None and self.report.ok


class BookedAd(Struct, kw_only=True):
    """One booking of the edition's booking list and what became of it: ``placed`` on ``page``
    at ``frame`` (column, columns, line, lines; on a ``place: auto`` page as its layout placed
    it), ``flagged`` (placed, but its file fails the press checks: a proof only), or
    ``unplaced`` (``reason`` and ``message`` as the ``ad-unplaced`` finding words them)."""

    id: str
    advertiser: str = ""
    size: str = ""
    kind: str = "display"
    category: str = ""
    color: str = "colour"
    file: str = ""
    status: Literal["placed", "flagged", "unplaced"] = "placed"
    page: int = 0
    frame: tuple[int, int, int, int] | None = None
    how: str = ""  # the rule that placed it: fixed, ear, full, stack
    reason: str = ""
    message: str = ""


class EditionReport(Struct, kw_only=True, tag_field="type", tag="edition"):
    """The report of an edition's build: one outcome per page, in page order; the booked ads
    and what became of each; the edition's own findings (ads it could not place, ad files that
    fail the press checks)."""

    version: int = REPORT_VERSION
    input: str
    pages: list[PageOutcome] = field(default_factory=list)
    combined: str = ""
    seconds: float = 0.0
    workers: int = 1
    ok: bool = True
    bookings: str = ""  # the booking list read, if any
    ads: list[BookedAd] = field(default_factory=list)
    findings: list[AnyFinding] = field(default_factory=list)

    def to_dict(self) -> dict:
        return msgspec.to_builtins(self)

    def summary_lines(self) -> list[str]:
        """The first line, a table of the pages (page, section, state, seconds, overset and
        underset per story, warnings, ads), the failed pages' errors, then the ads."""
        good = sum(1 for p in self.pages if p.ok)
        done = "built" if any(p.report is not None and p.report.output for p in self.pages) else "checked"
        out = [f"edition {self.input}: {good} of {len(self.pages)} pages {done} in {self.seconds:.2f} s "
               f"({self.workers} worker{'s' if self.workers != 1 else ''})"]
        rows = [("page", "section", "state", "s", "overset", "underset", "warnings", "ads")]
        for p in self.pages:
            r = p.report
            if r is None:
                rows.append((str(p.page), "", "FAILED", "", "", "", "", ""))
                continue
            over = ", ".join(f"{o.article} +{o.lines} (~{o.characters} chars)" for o in r.overset)
            under = ", ".join(f"{u.article} -{u.lines}" for u in r.underset)
            warnings = [f for f in r.findings if isinstance(f, (Notice, LowResolution, AdFile))]
            ads = ", ".join(a.id for a in r.ads if a.booked)
            rows.append((str(p.page), r.section, "ok" if r.ok else "problems", f"{r.seconds:.2f}", over or "-",
                         under or "-", str(len(warnings)) if warnings else "-", ads or "-"))
        out.extend("  " + line for line in table(rows))
        for p in self.pages:
            if p.report is None:
                out.append(f"  page {p.page}: FAILED {p.file}")
                out.extend("    " + line for line in p.error.splitlines())
        written = [p.report.output for p in self.pages if p.report is not None and p.report.output]
        if written:
            out.append(f"  PDFs: {Path(written[0]).parent}/")
        if self.combined:
            out.append(f"  combined: {self.combined}")
        if self.ads:
            placed = sum(1 for a in self.ads if a.status != "unplaced")
            out.append(f"  ads: {placed} of {len(self.ads)} booked ads placed ({Path(self.bookings).name})")
        for f in self.findings:
            out.append(f"  {describe(f)}" + (f" [{f.where}]" if f.where is not None else ""))
        return out


def cells(text: str) -> int:
    """Terminal cells a text takes (East Asian wide characters take two)."""
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(c) in ("W", "F") else 1 for c in text)


def table(rows: list[tuple[str, ...]]) -> list[str]:
    """Rows as aligned columns (numbers right, text left), the first row the header."""
    widths = [max(cells(r[k]) for r in rows) for k in range(len(rows[0]))]
    out = []
    for i, r in enumerate(rows):
        parts = []
        for k, (cell, w) in enumerate(zip(r, widths)):
            pad = " " * (w - cells(cell))
            numeric = i > 0 and cell.replace(".", "", 1).isdigit()
            parts.append(pad + cell if numeric else cell + pad)
        out.append("  ".join(parts).rstrip())
    return out


class Failure(Struct, kw_only=True, tag_field="type", tag="failure"):
    """What ``--json`` prints when the input is refused: the located diagnostics, or the error."""

    version: int = REPORT_VERSION
    ok: bool = False
    error: str = ""
    diagnostics: list[Diagnostic] = field(default_factory=list)

    def to_dict(self) -> dict:
        return msgspec.to_builtins(self)


#: what ``--json`` prints: one of these, told apart by ``type``
Output = Union[Report, EditionReport, Failure]


def report_schema() -> dict:
    """The JSON Schema of ``--json`` output (``broadsheet schema --report``)."""
    schema = msgspec.json.schema(Output)
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", "title": "broadsheet --json output",
            "description": f"What `broadsheet build|check --json` prints: a page report, an edition report or a "
                           f"failure, told apart by `type`. Report format version {REPORT_VERSION}.", **schema}
