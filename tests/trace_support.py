"""The pages whose display lists are traced (tests/golden/), and how to get a page's display list.

Used by tests/test_traces.py and tools/traces.py (``make traces``), so both compose exactly the
same pages the same way.

:func:`display_pages` gets a page's display list from the build's own entry point for it
(``layout.build.display_list``): composed, with guides and marks, but nothing prepared or drawn.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

from msgspec import Struct

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = ROOT / "tests" / "golden"

#: the slug line shows the build date: fixed, as the tests' conftest fixes it
SOURCE_DATE_EPOCH = "1730332800"


class Case(Struct, frozen=True):
    """One golden trace: which content file, which mode, which file in tests/golden/."""

    name: str  # tests/golden/<name>.trace
    content: str  # relative to the repo root
    proof: bool = False
    guides: bool = False

    @property
    def golden(self) -> Path:
        return GOLDEN / f"{self.name}.trace"

    @property
    def title(self) -> str:
        mode = "proof with guides" if self.guides else "proof" if self.proof else "press"
        return f"{self.content} ({mode})"


CASES: tuple[Case, ...] = (
    Case("seed", "content.yaml"),
    Case("auto", "examples/auto/content.yaml"),
    Case("berliner", "examples/berliner/content.yaml"),
    Case("english", "examples/english/content.yaml"),
    Case("modules", "examples/modules/content.yaml"),
    Case("stepped", "examples/stepped/content.yaml"),
    Case("stepped-proof-guides", "examples/stepped/content.yaml", proof=True, guides=True),
)


@contextlib.contextmanager
def _env(name: str, value: str):
    old = os.environ.get(name)
    os.environ[name] = value
    try:
        yield
    finally:
        if old is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = old


def display_pages(content_path: str | Path, proof: bool = False, guides: bool = False) -> list:
    """The display-list page(s) a build of ``content_path`` would draw, without drawing them
    (:func:`layout.build.display_list`). The output file is given the name a real build would
    write (``seed.pdf``, ...), since press marks print it in the slug line, and
    SOURCE_DATE_EPOCH is fixed for the slug's date. Press mode (``proof=False``) includes the
    marks; ``guides`` applies to proofs only."""
    from layout.build import BuildOptions, display_list
    from layout.output import default_output

    content_path = Path(content_path)
    with _env("SOURCE_DATE_EPOCH", SOURCE_DATE_EPOCH):
        out = Path(default_output(content_path, proof).name)
        return [display_list(content_path, BuildOptions(output=out, proof=proof, guides=guides))]


def trace_text(case: Case) -> str:
    """The trace of ``case`` as the golden file should hold it."""
    from layout.trace import dump

    pages = display_pages(ROOT / case.content, proof=case.proof, guides=case.guides)
    assert len(pages) == 1, f"{case.content}: {len(pages)} pages, one trace file holds one"
    return dump(pages[0], title=case.title)


def drift_message(label: str, expected: str, actual: str, limit: int = 80) -> str:
    """Why a trace differs from its golden file, for a test failure: how many lines changed,
    how to accept the change, and a unified diff cut to ``limit`` lines."""
    import difflib

    diff = list(difflib.unified_diff(expected.splitlines(), actual.splitlines(),
                                     f"{label} (checked in)", f"{label} (composed now)", lineterm="", n=1))
    body = [d for d in diff if not d.startswith(("---", "+++", "@@"))]
    removed = sum(d.startswith("-") for d in body)
    added = sum(d.startswith("+") for d in body)
    shown = diff[:limit]
    if len(diff) > limit:
        shown.append(f"... {len(diff) - limit} more diff lines not shown")
    return "\n".join([
        f"{label}: the display list drifted: {removed} line(s) removed, {added} added.",
        "If the change is intended, `make traces` rewrites tests/golden/; review `git diff tests/golden/` "
        "and commit the files with the change.",
        *shown,
    ])
