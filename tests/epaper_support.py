"""A small edition for the e-paper's tests, built once per test session: a story that jumps
(the seed page, its 厂BA photo grown, continued on page 3), an English page, the continuation,
a page that does not build (listed as missing), a page of stepped modules and a Traditional
Chinese page; and the site ``broadsheet epaper`` writes of it."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

CONTINUATION = """\
folio: {paper: 株洲日报, date: 2024-10-31, page: 3}
articles:
  - id: cont
    frame: {column: 1, columns: 4, line: 1, lines: 116}
    headline: {text: 实力高新　出圈有道, size: 30pt, align: left}
    continued_from: {file: p01.yaml, article: main, page: 1}
    body: []
"""

EDITION = """\
paper: 株洲日报
date: 2024-10-31
pages:
  - p01.yaml
  - english/content.yaml
  - p03.yaml
  - {file: p04.yaml, section: 要闻}
  - stepped/content.yaml
  - taiwan/content.yaml
"""


def make_edition(folder: Path) -> Path:
    """Write the test edition into ``folder``; its edition file."""
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copytree(ROOT / "images", folder / "images")
    seed = (ROOT / "content.yaml").read_text(encoding="utf-8")
    seed = seed.replace("frame: {column: 3, columns: 3, line: 73, lines: 23}", "frame: {column: 3, columns: 3, line: 63, lines: 33}")
    seed = seed.replace("    byline:", "    jump_to: 3\n    byline:", 1)
    (folder / "p01.yaml").write_text(seed, encoding="utf-8")
    (folder / "p03.yaml").write_text(CONTINUATION, encoding="utf-8")
    (folder / "p04.yaml").write_text(seed.replace("    byline:", "    bylin:", 1), encoding="utf-8")  # refused
    for name, src in (("english", "examples/english"), ("stepped", "examples/stepped"),
                      ("taiwan", "examples/corpus/p6-taiwan-tabloid")):
        shutil.copytree(ROOT / src, folder / name)
    (folder / "edition.yaml").write_text(EDITION, encoding="utf-8")
    return folder / "edition.yaml"


def write_site(edition: Path, out: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "layout", "epaper", str(edition), "-o", str(out)],
                          capture_output=True, text=True, cwd=edition.parent)


@pytest.fixture(scope="session")
def epaper_site(tmp_path_factory):
    """The test edition's site, written once per session: {out, run, edition, before, after}
    (the edition's files' times before and after, to show nothing was written beside them)."""
    folder = tmp_path_factory.mktemp("epaper")
    edition = make_edition(folder / "edition")
    before = {p: p.stat().st_mtime_ns for p in (folder / "edition").rglob("*")}
    out = folder / "site"
    r = write_site(edition, out)
    after = {p: p.stat().st_mtime_ns for p in (folder / "edition").rglob("*")}
    return {"out": out, "run": r, "edition": edition, "before": before, "after": after}
