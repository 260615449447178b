"""Reading content.yaml safely, keeping where every value came from.

PyYAML's safe composer gives a node tree with marks (line, column). We build plain Python data
from it ourselves, never constructing objects from tags, and record a path -> position map so that
a validation error on ``articles[0].byline`` can point at the editor's line and column. Alias
expansion is budgeted, so a "billion laughs" document is refused at once instead of eating memory.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from layout.errors import Diagnostic, InputError

MAX_NODES = 200_000  # values after alias expansion; the seed page has a few hundred
MAX_BYTES = 8 * 1024 * 1024

Path_ = tuple  # a path into the data: ("articles", 0, "byline")


@dataclass
class Source:
    """A loaded YAML document: its data, its text and the position of every value and key."""

    file: str
    text: str
    data: Any
    values: dict[Path_, tuple[int, int]] = field(default_factory=dict)
    keys: dict[Path_, tuple[int, int]] = field(default_factory=dict)
    warnings: list[Diagnostic] = field(default_factory=list)

    @property
    def folder(self) -> Path:
        return Path(self.file).resolve().parent

    def line_text(self, line: int) -> str:
        lines = self.text.splitlines()
        return lines[line - 1] if 0 < line <= len(lines) else ""

    def position(self, path: Path_, *, key: bool = False) -> tuple[int, int]:
        """1-based (line, column) of the value (or key) at ``path``, or of its nearest parent."""
        p = tuple(path)
        while True:
            if key and p in self.keys:
                return self.keys[p]
            if p in self.values:
                return self.values[p]
            if not p:
                return (0, 0)
            p = p[:-1]

    def diagnostic(self, path: Path_, message: str, *, hint: str = "", key: bool = False,
                   severity: str = "error", code: str = "") -> Diagnostic:
        line, col = self.position(path, key=key)
        return Diagnostic(message=message, file=self.file, line=line, column=col,
                          severity=severity, hint=hint, source_line=self.line_text(line), code=code)


def _mark(node: yaml.Node) -> tuple[int, int]:
    return (node.start_mark.line + 1, node.start_mark.column + 1)


class _Builder:
    """Turns composed YAML nodes into dicts, lists and scalars (safe: no tags honoured)."""

    def __init__(self, source: Source):
        self.source = source
        self.count = 0
        self.constructor = yaml.SafeLoader.__new__(yaml.SafeLoader)
        yaml.constructor.SafeConstructor.__init__(self.constructor)

    def build(self, node: yaml.Node, path: Path_) -> Any:
        self.count += 1
        if self.count > MAX_NODES:
            line, col = _mark(node)
            raise InputError([Diagnostic(
                "document expands to too many values (alias bomb?)", self.source.file, line, col,
                hint=f"a page needs far fewer than {MAX_NODES:,} values; remove the repeated aliases (*name)",
                source_line=self.source.line_text(line), code="too-large")])
        self.source.values.setdefault(path, _mark(node))
        if isinstance(node, yaml.MappingNode):
            out: dict = {}
            for key_node, value_node in node.value:
                if not isinstance(key_node, yaml.ScalarNode):
                    line, col = _mark(key_node)
                    raise InputError([Diagnostic("a key must be a plain name", self.source.file, line, col,
                                                 source_line=self.source.line_text(line), code="bad-key")])
                if key_node.tag == "tag:yaml.org,2002:merge":
                    merged = self.build(value_node, path)
                    for item in merged if isinstance(merged, list) else [merged]:
                        if isinstance(item, dict):
                            for k, v in item.items():
                                out.setdefault(k, v)
                    continue
                key = key_node.value
                if key in out:
                    line, col = _mark(key_node)
                    self.source.warnings.append(Diagnostic(
                        f"key {key!r} appears twice; the later value wins", self.source.file, line, col,
                        severity="warning", source_line=self.source.line_text(line), code="duplicate-key"))
                self.source.keys[path + (key,)] = _mark(key_node)
                out[key] = self.build(value_node, path + (key,))
            return out
        if isinstance(node, yaml.SequenceNode):
            return [self.build(item, path + (i,)) for i, item in enumerate(node.value)]
        # scalars: resolve only the YAML core types (str, int, float, bool, null)
        tag = node.tag
        if tag in ("tag:yaml.org,2002:int", "tag:yaml.org,2002:float", "tag:yaml.org,2002:bool",
                   "tag:yaml.org,2002:null"):
            return self.constructor.construct_object(node, deep=True)
        if tag == "tag:yaml.org,2002:timestamp":
            return node.value  # dates stay text; the model reads them
        return node.value


def _problem_diag(file: str, text: str, exc: yaml.MarkedYAMLError) -> Diagnostic:
    mark = exc.problem_mark or exc.context_mark
    line = mark.line + 1 if mark else 0
    col = mark.column + 1 if mark else 0
    lines = text.splitlines()
    src = lines[line - 1] if 0 < line <= len(lines) else ""
    problem = (exc.problem or "malformed YAML").strip()
    hint = ""
    if "\t" in src[: max(col, 1)] or "'\\t'" in problem:
        hint = "YAML indents with spaces only; replace the tab characters with spaces"
        problem = "tab character where YAML expects spaces"
    elif "mapping values are not allowed" in problem:
        hint = "a value containing ': ' must be quoted, or a key is indented wrongly"
    elif "could not find expected ':'" in problem:
        hint = "every line in a mapping needs 'key: value'; check the indentation of the line above"
    elif "found undefined alias" in problem:
        hint = "an alias (*name) needs an anchor (&name) earlier in the file"
    elif "expected <block end>" in problem:
        hint = "check the indentation: items of one list or mapping must line up"
    return Diagnostic(f"malformed YAML: {problem}", file, line, col, hint=hint, source_line=src,
                      code="yaml-syntax")


def load_text(text: str, file: str = "content.yaml") -> Source:
    """Parse YAML text into a :class:`Source`; raise :class:`InputError` with a location."""
    source = Source(file=file, text=text, data=None)
    if text.startswith("\ufeff"):
        source.warnings.append(Diagnostic("file starts with a byte-order mark; ignored", file, 1, 1,
                                          severity="warning", code="bom",
                                          hint="save the file as UTF-8 without BOM"))
        text = text[1:]
        source.text = text
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        raise InputError([_problem_diag(file, text, exc)]) from None
    except yaml.YAMLError as exc:  # e.g. reader errors on control characters
        raise InputError([Diagnostic(f"malformed YAML: {exc}", file, code="yaml-syntax")]) from None
    if node is None:
        raise InputError([Diagnostic("the file is empty", file, 1, 1, code="empty",
                                     hint="start from `broadsheet init` or the seed page's content.yaml")])
    source.data = _Builder(source).build(node, ())
    return source


def load_file(path: str | Path) -> Source:
    """Read a content file as strict UTF-8 (a byte-order mark is tolerated with a warning)."""
    p = Path(path)
    shown = str(path)
    try:
        if p.stat().st_size > MAX_BYTES:
            raise InputError([Diagnostic(f"file is larger than {MAX_BYTES // 1024 // 1024} MiB", shown,
                                         code="too-large")])
        raw = p.read_bytes()
    except FileNotFoundError:
        raise InputError([Diagnostic("no such file", shown, code="missing-file",
                                     hint="give the path of a content.yaml, or run `broadsheet init DIR`")]) from None
    except IsADirectoryError:
        raise InputError([Diagnostic("is a folder, not a file", shown, code="missing-file",
                                     hint=f"did you mean {Path(shown) / 'content.yaml'}?")]) from None
    except PermissionError:
        raise InputError([Diagnostic("cannot read the file (permission denied)", shown, code="unreadable")]) from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = raw[: exc.start]
        line = before.count(b"\n") + 1
        col = len(before.rsplit(b"\n", 1)[-1].decode("utf-8", "replace")) + 1
        raise InputError([Diagnostic(
            f"the file is not valid UTF-8 (byte 0x{raw[exc.start]:02x})", shown, line, col,
            hint="save the file as UTF-8; GBK/GB18030 files can be converted with `iconv -f GB18030 -t UTF-8`",
            code="encoding")]) from None
    return load_text(text, shown)
