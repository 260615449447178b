"""What the terminal shows: colour when it is a terminal (never under ``NO_COLOR``), and the
one-line ``--diagnostic-format short`` that editors' problem matchers read.

Only wording and escape codes live here: diagnostics and findings come worded from
:mod:`layout.errors` and :mod:`layout.report`.
"""

from __future__ import annotations

import os
import re
import sys

RESET = "\033[0m"
STYLES = {"error": "\033[1;31m", "warning": "\033[1;33m", "note": "\033[1;36m", "hint": "\033[32m",
          "caret": "\033[1;32m", "dim": "\033[2m", "bold": "\033[1m", "ok": "\033[1;32m"}


def use_color(stream=None) -> bool:
    """Colour for ``stream``: ``NO_COLOR`` (any value, https://no-color.org) turns it off,
    ``FORCE_COLOR`` on; otherwise only on a terminal that is not ``TERM=dumb``."""
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    stream = stream if stream is not None else sys.stderr
    try:
        tty = stream.isatty()
    except (AttributeError, ValueError):
        return False
    return tty and os.environ.get("TERM") != "dumb"


def paint(text: str, style: str, on: bool = True) -> str:
    return f"{STYLES[style]}{text}{RESET}" if on and text else text


_HEAD = re.compile(r"^(\S.*?: )(error|warning|note)(: )")
_FINDING = re.compile(r"^(\s*)(overset|underset|warning|emergency|jump|copyfit)(:)")


def colour_lines(text: str, on: bool = True) -> str:
    """A diagnostic or a report summary as :meth:`Diagnostic.format` and ``summary_lines`` word
    it, with its severity, caret and hint coloured."""
    if not on:
        return text
    out = []
    for line in text.split("\n"):
        m = _HEAD.match(line)
        if m:
            line = paint(m.group(1), "bold") + paint(m.group(2), m.group(2)) + m.group(3) + line[m.end():]
        elif line.lstrip().startswith("hint:"):
            pad = line[: len(line) - len(line.lstrip())]
            line = pad + paint("hint:", "hint") + line.lstrip()[5:]
        elif re.match(r"^\s*\| *\^$", line):
            line = line[:-1] + paint("^", "caret")
        else:
            f = _FINDING.match(line)
            if f:
                style = {"overset": "error", "underset": "note", "jump": "note", "copyfit": "note"}.get(f.group(2), "warning")
                line = f.group(1) + paint(f.group(2), style) + line[f.end(2):]
        out.append(line)
    return "\n".join(out)


def short(d) -> str:
    """A diagnostic on one line: ``file:line:col: severity: message [code]`` (the hint after
    `` -- ``), the shape gcc's and tsc's problem matchers read."""
    hint = f" -- hint: {d.hint}" if d.hint else ""
    code = f" [{d.code}]" if d.code else ""
    return f"{d.location()}: {d.severity}: {d.message}{code}{hint}".replace("\n", " ")


def short_finding(f, worded: str, input_file: str) -> str:
    """A finding of the report on one line, at its place in content.yaml when it has one."""
    where = f.where
    if where is not None:
        loc = str(where)
        if where.line and not where.column:
            loc += ":1"
    else:
        loc = input_file
    return f"{loc}: {f.severity}: {worded} [{f.kind if hasattr(f, 'kind') else type(f).__name__.lower()}]"
