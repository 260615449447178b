"""Diagnostics: what went wrong, where in the editor's file, and a hint how to fix it.

Every input problem becomes a :class:`Diagnostic` with a file, line and column (1-based, as an
editor shows them), formatted like a compiler message (``content.yaml:12:5: error: ...`` with the
source line and a caret), so a night editor can find it without reading a traceback.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

Severity = Literal["error", "warning", "note"]


@dataclass
class Diagnostic:
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
            out.append(gutter + self.source_line.rstrip("\n"))
            if self.column:
                # East Asian wide characters take two cells in a terminal
                prefix = self.source_line[: self.column - 1]
                pad = sum(2 if _wide(c) else 1 for c in prefix)
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


class BroadsheetError(Exception):
    """Base of every error the CLI reports without a traceback."""

    exit_status = 1


@dataclass
class InputError(BroadsheetError):
    """One or more problems in the editor's input; the build stops and writes nothing."""

    diagnostics: list[Diagnostic] = field(default_factory=list)

    def __str__(self) -> str:
        return "\n".join(d.format() for d in self.diagnostics)


class UsageError(BroadsheetError):
    exit_status = 2


class OutputError(BroadsheetError):
    """The PDF could not be written (folder missing or not writable)."""

    exit_status = 1
