"""``broadsheet watch``: rebuild the page whenever its content file or images change.

The process stays alive between builds, so fonts (metrics tables; the embedded subsets are read
from the cache) and prepared images stay warm: a rebuild after a save costs only composition and
drawing. A failed build prints its diagnostics and keeps the last good PDF. Each rebuild's screen
(cleared first on a terminal) gives the time, the build's time, the page's warnings, overset and
underset, in lines and in characters.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Callable

from layout.build import BuildOptions, build
from layout.errors import BroadsheetError, InputError


CLEAR = "\033[H\033[2J\033[3J"  # cursor home, clear the screen and its scroll-back


def _rebuild(content: Path, options: BuildOptions, say: Callable[[str], None], *, clear: bool = False,
             short: bool = False) -> "object | None":
    """One build, told as a screen: the time, the build's time, its warnings and underset. The
    report, or None when the build failed (the last good PDF is kept)."""
    from layout.term import colour_lines, short as short_diag, short_finding, use_color
    from layout.report import describe
    from layout.findings import Copyfit, Normalized

    colour = use_color()
    if clear and _terminal():
        say(CLEAR)
    stamp = time.strftime("%H:%M:%S")
    t = time.perf_counter()
    try:
        report = build(content, options)
    except InputError as exc:
        for d in exc.diagnostics:
            say(short_diag(d) if short else colour_lines(d.format(), colour))
        n = len([d for d in exc.diagnostics if d.severity == "error"])
        say(f"[watch] {stamp} {n} error{'s' if n != 1 else ''}; kept the last good PDF")
        return None
    except BroadsheetError as exc:
        say(f"[watch] {stamp} error: {exc}")
        return None
    except Exception as exc:  # an engine bug: say so, keep watching, keep the last good PDF
        say(f"[watch] {stamp} internal error: {type(exc).__name__}: {exc}; kept the last good PDF")
        return None
    ms = (time.perf_counter() - t) * 1000
    for d in report.diagnostics:
        say(short_diag(d) if short else colour_lines(d.format(), colour))
    say(f"[watch] {stamp} built {report.output} in {ms:.0f} ms")
    if short:
        for f in report.findings:
            if not isinstance(f, (Normalized, Copyfit)):
                say(short_finding(f, describe(f), report.input))
    else:
        say(colour_lines("\n".join(report.summary_lines()[1:]), colour))
    return report


def _terminal() -> bool:
    import os
    import sys

    return sys.stdout.isatty() and os.environ.get("TERM") != "dumb"


def open_in_viewer(path: Path) -> str:
    """Open ``path`` with the desktop's viewer (xdg-open, open, start): the command used, or ''
    when there is none (a server without a desktop)."""
    import os
    import shutil
    import subprocess
    import sys

    if sys.platform == "win32":
        os.startfile(str(path))  # noqa: S606 (the user's own file)
        return "start"
    opener = "open" if sys.platform == "darwin" else "xdg-open"
    if not shutil.which(opener):
        return ""
    subprocess.Popen([opener, str(path)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    return opener


def watch(content: Path, options: BuildOptions, *, say: Callable[[str], None] = print,
          stop_after: int | None = None, clear: bool = False, open_viewer: bool = False, short: bool = False) -> int:
    """Build once, then on every change. ``stop_after`` ends after that many rebuilds (tests);
    ``clear`` starts each build's screen afresh; ``open_viewer`` opens the PDF once, after the
    first good build."""
    from watchfiles import watch as _watch

    content = content.resolve()
    folder = content.parent
    opened = not open_viewer

    def rebuild() -> None:
        nonlocal opened
        report = _rebuild(content, options, say, clear=clear, short=short)
        if report is not None and not opened and report.output:
            opened = True
            how = open_in_viewer(Path(report.output))
            say(f"[watch] opened {report.output} with {how}" if how else
                "[watch] no viewer to open the PDF with (xdg-open is missing)")
        say(f"[watch] watching {content.name} and {folder / 'images'}; Ctrl-C to stop")

    rebuild()
    rebuilds = 0

    def relevant(change, path: str) -> bool:
        p = Path(path)
        if p.name.startswith(".") or p.suffix in (".pdf", ".tmp", ".png"):
            return False  # our own output and temporaries
        return p == content or (folder / "images") in p.parents

    for _changes in _watch(folder, watch_filter=relevant, debounce=50, step=20, rust_timeout=0, yield_on_timeout=False):
        rebuild()
        rebuilds += 1
        if stop_after is not None and rebuilds >= stop_after:
            break
    return 0
