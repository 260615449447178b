"""``broadsheet watch``: rebuild the page whenever its content file or images change.

The process stays alive between builds, so fonts (metrics tables; the embedded subsets are read
from the cache) and prepared images stay warm: a rebuild after a save costs only composition and
drawing. A failed build prints its diagnostics and keeps the last good PDF.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Callable

from layout.build import BuildOptions, build
from layout.errors import BroadsheetError, InputError


def _rebuild(content: Path, options: BuildOptions, say: Callable[[str], None]) -> bool:
    t = time.perf_counter()
    try:
        report = build(content, options)
    except InputError as exc:
        for d in exc.diagnostics:
            say(d.format())
        say(f"[watch] {len([d for d in exc.diagnostics if d.severity == 'error'])} error(s); kept the last good PDF")
        return False
    except BroadsheetError as exc:
        say(f"[watch] error: {exc}")
        return False
    except Exception as exc:  # an engine bug: say so, keep watching, keep the last good PDF
        say(f"[watch] internal error: {type(exc).__name__}: {exc}; kept the last good PDF")
        return False
    ms = (time.perf_counter() - t) * 1000
    extra = ""
    if report.overset:
        extra = "; overset: " + ", ".join(f"{o.article} {o.lines} lines" for o in report.overset)
    say(f"[watch] built {report.output} in {ms:.0f} ms{extra}")
    return True


def watch(content: Path, options: BuildOptions, *, say: Callable[[str], None] = print,
          stop_after: int | None = None) -> int:
    """Build once, then on every change. ``stop_after`` ends after that many rebuilds (tests)."""
    from watchfiles import watch as _watch

    content = content.resolve()
    folder = content.parent
    _rebuild(content, options, say)
    say(f"[watch] watching {content.name} and {folder / 'images'}; Ctrl-C to stop")
    rebuilds = 0
    def relevant(change, path: str) -> bool:
        p = Path(path)
        if p.name.startswith(".") or p.suffix in (".pdf", ".tmp", ".png"):
            return False  # our own output and temporaries
        return p == content or (folder / "images") in p.parents

    for _changes in _watch(folder, watch_filter=relevant, debounce=50, step=20, rust_timeout=0, yield_on_timeout=False):
        _rebuild(content, options, say)
        rebuilds += 1
        if stop_after is not None and rebuilds >= stop_after:
            break
    return 0
