#!/usr/bin/env python3
"""How fast `broadsheet diff` is, per page: medians of repeated runs on the sample edition.

Builds examples/night three times as proofs in a temporary folder: as it is, with one paragraph
of page 3 changed, and with the edition's date changed (every page's folio changes, so every page
is changed and gets a picture). Then times, each ``--rounds`` times:

- records, one page changed: the builds' records compared, one picture drawn;
- PDFs, one page changed: the same two builds compared page by page as plain PDFs (no records);
- records, every page changed: twelve pictures;
- identical builds: nothing to draw.

Prints the median seconds of each, and per compared page. The target (issue 17): under one
second a page.

    .venv/bin/python tools/bench_diff.py [--rounds 5]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def build(edition: Path, out: Path) -> None:
    r = subprocess.run([sys.executable, "-m", "layout", "build", str(edition), "--proof", "-o", str(out), "-q"],
                       capture_output=True, text=True, cwd=ROOT)
    if r.returncode != 0:
        raise SystemExit(f"build failed: {r.stderr}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rounds", type=int, default=5)
    args = ap.parse_args(argv)
    from layout.diff import diff

    with tempfile.TemporaryDirectory(prefix="bench-diff-") as tmp:
        tmp = Path(tmp)
        folder = tmp / "night"
        shutil.copytree(ROOT / "examples" / "night", folder, ignore=shutil.ignore_patterns("output"))
        edition = folder / "edition.yaml"
        text = edition.read_text(encoding="utf-8")
        text = text.replace("../../content.yaml", str(ROOT / "content.yaml")).replace(
            "../corpus/p3-constitution-10col/content.yaml",
            str(ROOT / "examples" / "corpus" / "p3-constitution-10col" / "content.yaml"))
        edition.write_text(text, encoding="utf-8")
        t0 = time.perf_counter()
        build(edition, tmp / "a")
        build(edition, tmp / "a2")
        page = folder / "p03.yaml"
        page.write_text(page.read_text(encoding="utf-8").replace("截至目前", "截至11月8日"), encoding="utf-8")
        build(edition, tmp / "b")
        edition.write_text(text.replace("date: 2024-11-09", "date: 2024-11-10"), encoding="utf-8")
        build(edition, tmp / "c")
        print(f"(four builds of the sample edition: {time.perf_counter() - t0:.1f} s)")

        pdfs_a, pdfs_b = tmp / "pa", tmp / "pb"
        for src, dst in ((tmp / "a", pdfs_a), (tmp / "b", pdfs_b)):  # the same PDFs without their records
            dst.mkdir()
            for f in src.glob("p*.pdf"):
                shutil.copy(f, dst / f.name)
        cases = [
            ("records, 1 of 12 pages changed", tmp / "a", tmp / "b"),
            ("PDFs only, 1 of 12 pages changed", pdfs_a, pdfs_b),
            ("records, 12 of 12 pages changed", tmp / "a", tmp / "c"),
            ("identical builds", tmp / "a", tmp / "a2"),
        ]
        print(f"{'case':36} {'median s':>9} {'per page':>9} {'changed':>8}")
        for name, old, new in cases:
            times, changed, pages = [], 0, 1
            for i in range(args.rounds):
                out = tmp / f"pictures-{i}"
                t = time.perf_counter()
                report = diff(old, new, out)
                times.append(time.perf_counter() - t)
                changed, pages = len(report.changed), report.pages
                shutil.rmtree(out, ignore_errors=True)
            med = statistics.median(times)
            print(f"{name:36} {med:9.3f} {med / pages:9.3f} {changed:8d}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
