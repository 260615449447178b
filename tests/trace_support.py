"""The pages whose display lists are traced (tests/golden/), and how to get a page's display list.

Used by tests/test_traces.py and tools/traces.py (``make traces``), so both compose exactly the
same pages the same way.

:func:`display_pages` is the one place that reaches into the build: there is no API yet that
returns a page's display list without writing a PDF, and ``layout/build.py`` is about to be
restructured, so instead of changing it we run a real build and catch the pages on their way to
the renderer. When the build offers such an API, only this function changes.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
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
    """The display-list page(s) a build of ``content_path`` would draw, without drawing them.

    Runs :func:`layout.build.build` with ``layout.render.pdf.render`` replaced by a catcher.
    build.py imports the renderer inside ``build()`` (``from layout.render.pdf import ...
    render``), so the module attribute is what it calls; the catcher is put back afterwards.
    The output file is given the name a real build would write (``seed.pdf``, ...), since
    press marks print it in the slug line, and SOURCE_DATE_EPOCH is fixed for the slug's date.
    Press mode (``proof=False``) includes the marks; ``guides`` applies to proofs only.
    """
    import layout.render.pdf as pdf
    from layout.build import BuildOptions, build, default_output

    content_path = Path(content_path)
    caught: list = []

    def catch(pages, out, fonts, options):
        caught.extend(pages)

    real = pdf.render
    with tempfile.TemporaryDirectory(prefix="broadsheet-trace-") as tmp, _env("SOURCE_DATE_EPOCH", SOURCE_DATE_EPOCH):
        out = Path(tmp) / default_output(content_path, proof).name
        pdf.render = catch
        try:
            build(content_path, BuildOptions(output=out, proof=proof, guides=guides))
        finally:
            pdf.render = real
    if not caught:
        raise AssertionError(f"building {content_path} drew no page (a failed --strict build?)")
    return caught


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
