"""Building an edition: every page in its own process (pages are independent), one PDF per page
plus an optional combined proof, and one report for the whole issue.

A page that fails does not stop the others: a night desk wants every good page out, and the
report names the bad ones with their diagnostics.
"""

from __future__ import annotations

import os
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from pathlib import Path
from typing import Callable

from msgspec import Struct, field

from layout.build import BuildOptions, build
from layout.errors import BroadsheetError, InputError, OutputError


class EditionReport(Struct, dict=True):
    input: str
    pages: list[dict] = field(default_factory=list)  # per page: report dict or {"error": ...}
    combined: str = ""
    seconds: float = 0.0
    workers: int = 1

    @property
    def ok(self) -> bool:
        return all(p.get("ok", False) for p in self.pages)

    def to_dict(self) -> dict:
        return {"input": self.input, "ok": self.ok, "seconds": round(self.seconds, 3), "workers": self.workers,
                "combined": self.combined, "pages": self.pages}

    def summary_lines(self) -> list[str]:
        good = sum(1 for p in self.pages if p.get("ok"))
        out = [f"edition {self.input}: {good} of {len(self.pages)} pages built in {self.seconds:.2f} s "
               f"({self.workers} worker{'s' if self.workers != 1 else ''})"]
        for p in self.pages:
            if "error" in p:
                out.append(f"  page {p['page']}: FAILED {p['file']}")
                out.extend("    " + line for line in p["error"].splitlines())
            else:
                extra = []
                if p.get("overset"):
                    extra.append("overset " + ", ".join(f"{o['article']} {o['lines']} lines" for o in p["overset"]))
                if p.get("warnings"):
                    extra.append(f"{len(p['warnings'])} warnings")
                out.append(f"  page {p['page']}: {p['output']} ({p['seconds']:.2f} s)" + (f"; {'; '.join(extra)}" if extra else ""))
        if self.combined:
            out.append(f"  combined: {self.combined}")
        return out


def _build_one(args) -> dict:
    page_no, file, out, folio, options = args
    opts = BuildOptions(**{**options, "output": Path(out), "folio": folio})
    try:
        report = build(file, opts)
        d = report.to_dict()
        d["page"] = page_no
        d["file"] = str(file)
        return d
    except InputError as exc:
        return {"page": page_no, "file": str(file), "ok": False, "error": str(exc),
                "diagnostics": [x.to_dict() for x in exc.diagnostics]}
    except BroadsheetError as exc:
        return {"page": page_no, "file": str(file), "ok": False, "error": str(exc)}
    except Exception as exc:  # an engine bug on one page must not take the others down
        return {"page": page_no, "file": str(file), "ok": False,
                "error": f"internal error: {type(exc).__name__}: {exc} (a bug in broadsheet)"}


def build_edition(path: Path, options: BuildOptions, *, out_dir: Path | None = None, workers: int | None = None,
                  on_page: Callable[[dict], None] | None = None) -> EditionReport:
    from layout.model.edition import page_file, page_overrides, validate_edition
    from layout.model.source import load_file

    t0 = time.perf_counter()
    source = load_file(path)
    edition = validate_edition(source)
    entries = edition.entries()
    out_dir = out_dir or (source.folder / "output" / Path(path).stem)
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"cannot use {out_dir} as the edition's output folder: {exc.strerror or exc}") from None
    if not os.access(out_dir, os.W_OK):
        raise OutputError(f"output folder {out_dir} is not writable")
    suffix = "-proof" if options.proof else ""
    plain = {k: getattr(options, k) for k in ("proof", "strict", "normalize", "allow_outside", "cache_dir", "guides")}
    jobs = []
    for i, entry in enumerate(entries):
        overrides = page_overrides(edition, i, entry)
        no = overrides["page"]
        jobs.append((no, page_file(source, entry), out_dir / f"p{no:02d}{suffix}.pdf", overrides, plain))
    workers = max(1, min(workers or os.cpu_count() or 1, len(jobs)))
    report = EditionReport(input=str(path), workers=workers)
    results: list[dict] = []
    if workers == 1:
        for job in jobs:
            r = _build_one(job)
            results.append(r)
            if on_page:
                on_page(r)
    else:
        with ProcessPoolExecutor(max_workers=workers) as pool:
            futures = [pool.submit(_build_one, job) for job in jobs]
            for f in as_completed(futures):
                r = f.result()
                results.append(r)
                if on_page:
                    on_page(r)
    report.pages = sorted(results, key=lambda r: r["page"])
    if edition.combined and report.ok:
        report.combined = str(_combine([Path(p["output"]) for p in report.pages], out_dir / f"{Path(path).stem}-combined{suffix}.pdf"))
    report.seconds = time.perf_counter() - t0
    return report


def _combine(files: list[Path], out: Path) -> Path:
    """One PDF with every page, for proofing on screen (the press takes the single pages)."""
    import pikepdf

    combined = pikepdf.Pdf.new()
    for i, f in enumerate(files):
        with pikepdf.open(f) as src:
            combined.pages.extend(src.pages)
            if i == 0 and "/OutputIntents" in src.Root:
                combined.Root.OutputIntents = combined.copy_foreign(src.Root.OutputIntents)
    tmp = out.with_name(f".{out.name}.{os.getpid()}.tmp")
    combined.save(tmp, deterministic_id=True)
    os.replace(tmp, out)
    return out
