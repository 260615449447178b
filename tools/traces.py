"""Rewrite the golden display-list traces in tests/golden/ (``make traces``).

Run it after an intended change of layout, then read ``git diff tests/golden/`` before
committing: the diff is the review of what moved. tests/test_traces.py fails while a trace is
stale. The pages and the way they are composed come from tests/trace_support.py, the same code
the test runs, so the files written here are exactly what the test compares with.

    .venv/bin/python tools/traces.py            # rewrite every trace, say which changed
    .venv/bin/python tools/traces.py --check    # write nothing; show what drifted, exit 1 if any did
    .venv/bin/python tools/traces.py stepped    # only the named traces
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from trace_support import CASES, GOLDEN, drift_message, trace_text  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("names", nargs="*", help="traces to rewrite (default: all): " + ", ".join(c.name for c in CASES))
    ap.add_argument("--check", action="store_true", help="write nothing; exit 1 if a trace is stale")
    args = ap.parse_args(argv)
    known = {c.name: c for c in CASES}
    unknown = [n for n in args.names if n not in known]
    if unknown:
        ap.error(f"unknown trace {', '.join(unknown)}; known: {', '.join(known)}")
    os.environ.setdefault("BROADSHEET_CACHE", str(ROOT / ".cache"))  # the cache the tests use
    GOLDEN.mkdir(parents=True, exist_ok=True)
    stale = 0
    for case in [known[n] for n in args.names] or CASES:
        text = trace_text(case)
        old = case.golden.read_text(encoding="utf-8") if case.golden.exists() else None
        rel = case.golden.relative_to(ROOT)
        if old == text:
            print(f"unchanged  {rel}")
            continue
        stale += 1
        if args.check:
            print(f"stale      {rel}")
            if old is not None:
                print(drift_message(str(rel), old, text, limit=40))
        else:
            case.golden.write_text(text, encoding="utf-8", newline="\n")
            print(f"{'written' if old is None else 'rewritten':<10} {rel}")
    return 1 if args.check and stale else 0


if __name__ == "__main__":
    sys.exit(main())
