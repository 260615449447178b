"""Diagnostics: what went wrong, where in the editor's file, and a hint how to fix it.

Every input problem becomes a :class:`Diagnostic` with a file, line and column (1-based, as an
editor shows them), formatted like a compiler message (``content.yaml:12:5: error: ...`` with the
source line and a caret), so a night editor can find it without reading a traceback.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from msgspec import Struct

Severity = Literal["error", "warning", "note"]


class Diagnostic(Struct, dict=True):
    message: str
    file: str = ""
    line: int = 0  # 1-based; 0 = unknown
    column: int = 0  # 1-based; 0 = unknown
    severity: Severity = "error"
    hint: str = ""
    source_line: str = ""
    code: str = ""  # short machine-readable kind, e.g. "unknown-key"

    def location(self) -> str:
        parts = [self.file or "<input>"]
        if self.line:
            parts.append(str(self.line))
            if self.column:
                parts.append(str(self.column))
        return ":".join(parts)

    def format(self) -> str:
        out = [f"{self.location()}: {self.severity}: {self.message}"]
        if self.source_line and self.line:
            gutter = f"{self.line:>4} | "
            shown, pad = _excerpt(self.source_line.rstrip("\n"), self.column)
            out.append(gutter + shown)
            if self.column:
                out.append(" " * (len(gutter) - 2) + "| " + " " * pad + "^")
        if self.hint:
            out.append(f"  hint: {self.hint}")
        return "\n".join(out)

    def to_dict(self) -> dict:
        return {
            "severity": self.severity,
            "file": self.file,
            "line": self.line,
            "column": self.column,
            "message": self.message,
            "hint": self.hint,
            "code": self.code,
        }


def _wide(ch: str) -> bool:
    import unicodedata

    return unicodedata.east_asian_width(ch) in ("W", "F")


def _cells(text: str) -> int:
    """Terminal cells ``text`` takes: East Asian wide characters take two."""
    return sum(2 if _wide(c) else 1 for c in text)


#: characters shown as U+FFFD under a message: they would show as nothing, or break the line
_UNSEEN = frozenset("\u2028\u2029\ufeff\u200b" + "".join(map(chr, range(0x202A, 0x202F))) +
                    "".join(map(chr, range(0x2066, 0x206A))))

SHOWN_CELLS = 100  # a source line longer than this is shown as an excerpt around the column


def _excerpt(line: str, column: int) -> tuple[str, int]:
    """The source line as shown under a message, and the caret's offset in cells. Tabs are shown
    as → (a tab is often the problem, and its width varies); control characters as �; a long
    line (a 5000-digit number, a bracket bomb) is cut to an excerpt around the column."""
    line = "".join("→" if c == "\t" else "\ufffd" if ord(c) < 0x20 or 0x7F <= ord(c) <= 0x9F or c in _UNSEEN else c
                   for c in line)
    col = max(column, 1) - 1
    if _cells(line) <= SHOWN_CELLS:
        return line, _cells(line[:col])
    start = col
    while start > 0 and _cells(line[start - 1: col]) <= SHOWN_CELLS // 3:
        start -= 1
    end = start
    while end < len(line) and _cells(line[start: end + 1]) <= SHOWN_CELLS:
        end += 1
    head = "…" if start > 0 else ""
    tail = "…" if end < len(line) else ""
    return head + line[start:end] + tail, len(head) + _cells(line[start:col])


class Problem(Struct, frozen=True):
    """A problem at a place in the editor's data, before anyone has turned the place into a line
    and a column: ``path`` is a data path (``("articles", 0, "byline")``). Layers that never see
    the file (the model's reader, composition) report these; the build locates them
    (``Source.diagnostic``). ``key``: point at the key rather than its value."""

    path: tuple
    message: str
    hint: str = ""
    code: str = ""
    key: bool = False
    severity: Severity = "error"


class BroadsheetError(Exception):
    """Base of every error the CLI reports without a traceback."""

    exit_status = 1


#: at most this many diagnostics of one kind (severity and code) are shown; the rest are counted
MAX_PER_KIND = 20


def capped(diagnostics: list[Diagnostic], per_kind: int = MAX_PER_KIND) -> list[Diagnostic]:
    """``diagnostics`` with at most ``per_kind`` of each kind (severity and code), in their
    order, each kind cut short followed by one note that counts the rest: 10,000 overlapping
    articles are 20 messages and "9,980 more", not a screenful for every pair."""
    seen: dict[tuple, int] = {}
    for d in diagnostics:
        if d.code != "more":
            k = (d.severity, d.code or d.message)
            seen[k] = seen.get(k, 0) + 1
    if all(n <= per_kind for n in seen.values()):
        return list(diagnostics)
    out: list[Diagnostic] = []
    shown: dict[tuple, int] = {}
    for d in diagnostics:
        if d.code == "more":  # (a count of the rest, from an earlier cut: kept as it is)
            out.append(d)
            continue
        k = (d.severity, d.code or d.message)
        n = shown.get(k, 0)
        if n < per_kind:
            out.append(d)
        shown[k] = n + 1
        if n + 1 == per_kind and seen[k] > per_kind:
            more = seen[k] - per_kind
            word = {"error": "error", "warning": "warning"}.get(d.severity, "note")
            out.append(Diagnostic(f"... and {more:,} more {word}{'s' if more != 1 else ''} of this kind"
                                  + (f" ({d.code})" if d.code else "") + " not shown",
                                  d.file, severity=d.severity, code="more",
                                  hint="fix the ones shown (they often share one cause) and check again"))
    return out


@dataclass
class InputError(BroadsheetError):
    """One or more problems in the editor's input; the build stops and writes nothing. At most
    :data:`MAX_PER_KIND` diagnostics of a kind are kept, with a count of the rest (:func:`capped`)."""

    diagnostics: list[Diagnostic] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.diagnostics = capped(self.diagnostics)

    def __str__(self) -> str:
        return "\n".join(d.format() for d in self.diagnostics)


class ProblemsError(BroadsheetError):
    """Problems found where the file is not known (composition, automatic layout); the build
    turns them into an :class:`InputError` at their lines and columns."""

    def __init__(self, problems: list[Problem]):
        super().__init__("; ".join(p.message for p in problems))
        self.problems = problems


class UsageError(BroadsheetError):
    exit_status = 2


class SetupError(BroadsheetError):
    """The installation lacks something a build needs (the newsprint output profile the set-up
    builds): no page can fix it, so it has an exit status of its own."""

    exit_status = 4

    def __init__(self, message: str, hint: str = ""):
        super().__init__(message + (f"\nhint: {hint}" if hint else ""))


class OutputError(BroadsheetError):
    """The PDF could not be written (folder missing or not writable)."""

    exit_status = 1


class SystemFault(BroadsheetError):
    """The machine refused a read or a write that the input did not cause: the disk (or the
    user's quota) is full, a file is larger than the file system or the process's file-size
    limit (``ulimit -f``) allows, an I/O error. Nothing in the page can fix it, so it has an
    exit status of its own (74, EX_IOERR of sysexits.h); the previous PDF is left as it was."""

    exit_status = 74


#: errno values that are the machine's fault (SystemFault, exit 74) rather than a path's (exit 1)
_MACHINE = {"ENOSPC": "no space left on the device", "EDQUOT": "the disk quota is used up",
            "EFBIG": "the file would be larger than the file system or this process's file-size limit (ulimit -f) allows",
            "EIO": "an input/output error (a failing disk or network file system?)"}
_HINTS = {"ENOSPC": "free some space on that disk (or write the PDF, or point BROADSHEET_CACHE, elsewhere) and build again",
          "EDQUOT": "free some space within your quota and build again",
          "EFBIG": "raise the file-size limit (`ulimit -f unlimited`) or write to another file system",
          "EIO": "check the disk (dmesg) and build again",
          "EACCES": "check the folder's permissions, or write elsewhere with -o",
          "EPERM": "check the folder's permissions, or write elsewhere with -o",
          "EROFS": "the file system is mounted read-only: write elsewhere with -o",
          "ELOOP": "a symbolic link on the path leads back to itself: fix or remove the link",
          "ENOENT": "a folder on the path does not exist (or a symbolic link leads nowhere)",
          "ENOTDIR": "a part of the path is a file, not a folder",
          "ENAMETOOLONG": "shorten the path"}


def fault(exc: OSError, path=None, doing: str | None = "write") -> BroadsheetError:
    """An OSError worded for the user: the path (``path``, else the one the error names), what
    went wrong in words, a hint, and the exit status of its kind (:class:`SystemFault`, 74, for
    a full disk, a file-size limit or an I/O error; :class:`OutputError`, 1, for a path that
    cannot be written: permission, read-only, links that loop or lead nowhere)."""
    import errno as _errno

    name = _errno.errorcode.get(exc.errno or 0, "")
    where = path if path is not None else (exc.filename or "")
    what = _MACHINE.get(name) or (exc.strerror or str(exc)).rstrip(".")
    if name == "ELOOP":
        what = "too many levels of symbolic links (a loop of links)"
    if doing:
        message = f"cannot {doing} {where}: {what}" if where else f"cannot {doing}: {what}"
    else:
        message = f"{where}: {what}" if where else what
    hint = _HINTS.get(name, "")
    cls = SystemFault if name in _MACHINE else OutputError
    return cls(message + (f"\nhint: {hint}" if hint else ""))
