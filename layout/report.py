"""The build report: what a production desk needs to know before the page goes to press.

Overset and underset text, low-resolution images, characters no font has, what normalisation
changed, warnings, and timings. Printed as a short summary, or whole as JSON (``--json``).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

from layout.errors import Diagnostic


@dataclass
class Report:
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
    layout: dict | None = None  # place: auto — the layout's score and notes
    timings: dict = field(default_factory=dict)
    preflight: dict | None = None

    def to_dict(self) -> dict:
        d = asdict(self)
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
            out.append(f"  overset: article {o['article']!r}: {o['lines']} lines, {o['characters']} characters do not fit")
        if self.layout is not None:
            out.append(f"  automatic layout: score {self.layout['score']}" +
                       "".join(f"; {n}" for n in self.layout.get("notes", [])))
        for j in self.jumps:
            out.append(f"  jump: article {j['article']!r} continues on page {j['to_page']} ({j['lines']} lines)")
        for u in self.underset:
            out.append(f"  underset: article {u['article']!r}: {u['lines']} empty lines")
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
