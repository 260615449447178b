"""The build report: what a production desk needs to know before the page goes to press.

Overset and underset text, low-resolution images, characters no font has, what normalisation
changed, warnings, and timings. Printed as a short summary, or whole as JSON (``--json``).
"""

from __future__ import annotations

import copy

from msgspec import Struct, field
from msgspec.structs import asdict

from layout.errors import Diagnostic


def lines(n: int, what: str = "lines") -> str:
    """``1 empty line``, ``3 empty lines``: counts as an editor reads them."""
    return f"{n} {what[:-1] if n == 1 and what.endswith('s') else what}"


def describe_copyfit(entry: dict) -> str:
    """One line for a copyfitted article (``layout.compose.copyfit`` makes the entries)."""
    parts = []
    for c in entry.get("changes", []):
        if c["what"] == "tracking":
            parts.append(f"body tracking {c['from']:+.3f} → {c['to']:+.3f} em")
        elif c["what"] == "photo":
            parts.append(f"photo {c['photo']} {c['from']} → {c['to']} lines")
        elif c["what"] == "headline":
            parts.append(f"head {c['from']:g} → {c['to']:g} pt")

    def state(x: dict) -> str:
        return lines(x["overset"], "lines") + " overset" if x["overset"] else lines(x["underset"], "empty lines")

    after = entry.get("after", {})
    if entry.get("note"):
        what = entry["note"]
    elif parts:
        what = ", ".join(parts)
    elif after.get("overset") or after.get("underset"):
        what = "nothing it may change improves the fit"
    else:
        what = "set as written"
    return f"article {entry['article']!r}: {what} ({state(entry['before'])} → {state(entry['after'])})"


class Report(Struct, dict=True):
    input: str = ""
    output: str = ""
    ok: bool = True
    pages: int = 0
    seconds: float = 0.0
    mode: str = "press"
    overset: list[dict] = field(default_factory=list)
    underset: list[dict] = field(default_factory=list)
    images: list[dict] = field(default_factory=list)
    missing_glyphs: list[dict] = field(default_factory=list)
    normalized: list[dict] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    text_audit: dict = field(default_factory=dict)
    fonts: dict = field(default_factory=dict)
    jumps: list[dict] = field(default_factory=list)
    copyfit: list[dict] = field(default_factory=list)  # fit: auto articles: what changed, overset/underset after
    layout: dict | None = None  # place: auto — the layout's score and notes
    timings: dict = field(default_factory=dict)
    preflight: dict | None = None

    def to_dict(self) -> dict:
        d = copy.deepcopy(asdict(self))  # (asdict is shallow: the dict must not share the report's lists)
        d["diagnostics"] = [x.to_dict() for x in self.diagnostics]
        d["normalized_count"] = len(self.normalized)
        by_kind: dict[str, int] = {}
        for n in self.normalized:
            by_kind[n["kind"]] = by_kind.get(n["kind"], 0) + 1
        d["normalized_by_kind"] = by_kind
        return d

    def summary_lines(self) -> list[str]:
        out = []
        if not self.output:
            status = "checked" if self.ok else "check failed"
            out.append(f"{status} {self.input}: {self.pages} page(s) composed in {self.seconds:.2f} s, no PDF written")
        else:
            status = "built" if self.ok else "built with problems"
            out.append(f"{status} {self.output}: {self.pages} page(s) in {self.seconds:.2f} s ({self.mode})")
        for o in self.overset:
            out.append(f"  overset: article {o['article']!r}: {lines(o['lines'])}, {o['characters']} characters do not fit")
        if self.layout is not None:
            out.append(f"  automatic layout: score {self.layout['score']}" +
                       "".join(f"; {n}" for n in self.layout.get("notes", [])))
        for c in self.copyfit:
            if c.get("changes") or c["after"] != c["before"] or c["after"].get("overset") or c["after"].get("underset"):
                out.append(f"  copyfit: {describe_copyfit(c)}")
        for j in self.jumps:
            out.append(f"  jump: article {j['article']!r} continues on page {j['to_page']} ({lines(j['lines'])})")
        for u in self.underset:
            out.append(f"  underset: article {u['article']!r}: {lines(u['lines'], 'empty lines')}")
        for img in self.images:
            flag = " LOW" if img.get("low") else ""
            out.append(f"  image {img['source']}: {img['ppi']:.0f} ppi effective{flag}")
        for m in self.missing_glyphs:
            out.append(f"  warning: missing glyph {m['char']!r} (U+{ord(m['char']):04X}) in font role {m['font']!r} at {m['where']}")
        if self.normalized:
            by_kind: dict[str, int] = {}
            for n in self.normalized:
                by_kind[n["kind"]] = by_kind.get(n["kind"], 0) + 1
            kinds = ", ".join(f"{k} {v}" for k, v in sorted(by_kind.items()))
            out.append(f"  normalised {len(self.normalized)} marks ({kinds})")
        a = self.text_audit
        if a:
            out.append(f"  composition: {a.get('lines', 0)} body lines, {a.get('prohibited_start', 0)} prohibited starts, "
                       f"{a.get('prohibited_end', 0)} prohibited ends, {a.get('ragged', 0)} ragged, "
                       f"{a.get('orphans', 0)} orphans, {a.get('overlaps', 0)} overlaps, {a.get('ascii_punct', 0)} ASCII marks")
        for w in self.warnings:
            out.append(f"  warning: {w}")
        return out
