"""Reading content.yaml safely, keeping where every value came from.

PyYAML's safe composer gives a node tree with marks (line, column). We build plain Python data
from it ourselves, never constructing objects from tags, and record a path -> position map so that
a validation error on ``articles[0].byline`` can point at the editor's line and column. Alias
expansion is budgeted, so a "billion laughs" document is refused at once instead of eating memory.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml
from msgspec import Struct, field

from layout.errors import Diagnostic, InputError
from layout.files import is_page_name, special_file

MAX_NODES = 200_000  # values after alias expansion; the seed page has a few hundred
MAX_BYTES = 8 * 1024 * 1024
MAX_DEPTH = 64  # nesting of lists and mappings; the seed page goes 5 deep

#: Tags the loader understands (those YAML gives plain values, and their explicit spellings such as
#: ``!!str``); any other tag (``!!binary``, ``!!set``, ``!!python/object/apply:os.system``,
#: ``!include``) is refused with a located error: never constructed, never read as something else.
CORE_TAGS = {f"tag:yaml.org,2002:{t}" for t in
             ("str", "int", "float", "bool", "null", "timestamp", "map", "seq", "merge", "value")}

#: characters that are invisible, or break YAML's lines where an editor shows none: refused where
#: they stand (a line separator in a paragraph made YAML misread the rest of the file)
INVISIBLE = {"\u0085": "NEXT LINE (NEL)", "\u2028": "LINE SEPARATOR", "\u2029": "PARAGRAPH SEPARATOR",
             "\ufeff": "ZERO WIDTH NO-BREAK SPACE (a byte-order mark inside the file)",
             **{chr(c): "a bidirectional text control (it reorders how text shows)" for c in
                (*range(0x202A, 0x202F), *range(0x2066, 0x206A))}}

Path_ = tuple  # a path into the data: ("articles", 0, "byline")


class Source(Struct, dict=True):
    """A loaded YAML document: its data, its text and the position of every value and key."""

    file: str
    text: str
    data: Any
    values: dict[Path_, tuple[int, int]] = field(default_factory=dict)
    keys: dict[Path_, tuple[int, int]] = field(default_factory=dict)
    warnings: list[Diagnostic] = field(default_factory=list)
    quote: bool = True  # False: a file not named as a content file; its lines are never shown

    @property
    def folder(self) -> Path:
        """The folder of the file, symbolic links resolved (once a loaded source: every stage
        asks for it, and resolving walks the path's every component)."""
        got = self.__dict__.get("_folder")
        if got is None or got[0] != self.file:
            got = self._folder = (self.file, Path(self.file).resolve().parent)
        return got[1]

    def line_text(self, line: int) -> str:
        if not self.quote:
            return ""
        if getattr(self, "_lines_of", None) is not self.text:  # split once per text, not per message
            # (at "\n" only, as YAML and editors count lines: str.splitlines also breaks at U+2028,
            # U+0085 and form feeds, and the lines shown would drift from the numbers)
            self._lines = [ln.removesuffix("\r") for ln in self.text.split("\n")]
            self._lines_of = self.text
        lines = self._lines
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
        self.errors: list[Diagnostic] = []
        self.built: set[int] = set()  # ids of nodes built once: meeting one again means an alias
        self.reused: list[Path_] = []  # paths where aliased nodes are being expanded, outermost first
        self.duplicates: set[tuple[int, int]] = set()
        self.aliased = False  # whether an alias repeated a list or mapping
        self.merging = 0  # > 0 while building the value of a merge key (<<): explicit keys keep their positions
        self.constructor = yaml.SafeLoader.__new__(yaml.SafeLoader)
        yaml.constructor.SafeConstructor.__init__(self.constructor)

    def _diag(self, node: yaml.Node, message: str, hint: str = "", code: str = "", severity: str = "error") -> Diagnostic:
        line, col = _mark(node)
        return Diagnostic(message, self.source.file, line, col, severity=severity, hint=hint,
                          source_line=self.source.line_text(line), code=code)

    def build(self, node: yaml.Node, path: Path_) -> Any:
        self.count += 1
        if self.count > MAX_NODES:
            raise InputError([self._too_many(node)])
        if len(path) + 1 > MAX_DEPTH:
            raise InputError([self._diag(
                node, f"lists and mappings are nested more than {MAX_DEPTH} deep",
                hint="a page needs only a few levels; check for unbalanced brackets", code="too-deep")])
        if node.tag not in CORE_TAGS and not getattr(node, "_bs_warned", False):
            shown = node.tag.replace("tag:yaml.org,2002:", "!!")
            self.errors.append(self._diag(
                node, f"YAML tag `{shown}` is not supported",
                hint="content.yaml needs no tags: remove it (the value is then read as text, a number, a list "
                     "or a mapping, as it is written); a picture is named by its file, never embedded", code="yaml-tag"))
            node._bs_warned = True  # an aliased node is built again for each alias; say it once
        if self.merging:
            self.source.values.setdefault(path, _mark(node))
        else:  # (a duplicate key's later value wins, in the data and in the positions)
            self.source.values[path] = _mark(node)
        if isinstance(node, (yaml.MappingNode, yaml.SequenceNode)):
            again = id(node) in self.built
            self.built.add(id(node))
            if again:
                self.aliased = True
                self.reused.append(path)
                try:
                    return self._collection(node, path)
                finally:
                    self.reused.pop()
            return self._collection(node, path)
        return self._scalar(node)

    def _too_many(self, node: yaml.Node) -> Diagnostic:
        """Point at the key whose value is an alias that explodes (the outermost one), since the
        alias's own position is not kept by the YAML composer."""
        hint = f"a page needs far fewer than {MAX_NODES:,} values; remove the repeated aliases (*name)"
        where = self.reused[0] if self.reused else ()
        for i in range(len(where), 0, -1):
            if where[:i] in self.source.keys:
                line, col = self.source.keys[where[:i]]
                return Diagnostic(f"the value of `{where[i - 1]}` expands to too many values (alias bomb?)",
                                  self.source.file, line, col, hint=hint, source_line=self.source.line_text(line),
                                  code="too-large")
        if not self.aliased:  # (no alias repeated anything: the file itself is that large)
            return self._diag(node, f"the file has more than {MAX_NODES:,} values; a page has a few hundred",
                              hint="split it into pages (an edition lists them)", code="too-large")
        return self._diag(node, "document expands to too many values (alias bomb?)", hint=hint, code="too-large")

    def _collection(self, node: yaml.Node, path: Path_) -> Any:
        if isinstance(node, yaml.MappingNode):
            out: dict = {}
            for key_node, value_node in node.value:
                if not isinstance(key_node, yaml.ScalarNode):
                    raise InputError([self._diag(key_node, "a key must be a plain name",
                                                 hint="a key is a word before ':', not a list or mapping", code="bad-key")])
                if key_node.tag == "tag:yaml.org,2002:merge":
                    own = self.source.values.get(path)
                    self.merging += 1
                    try:
                        merged = self.build(value_node, path)
                    finally:
                        self.merging -= 1
                    if own is not None:
                        self.source.values[path] = own
                    for item in merged if isinstance(merged, list) else [merged]:
                        if isinstance(item, dict):
                            for k, v in item.items():
                                out.setdefault(k, v)
                    continue
                key = key_node.value
                self._check_text(key_node, key)
                if key in out and _mark(key_node) not in self.duplicates:  # (once, however often it is aliased)
                    self.duplicates.add(_mark(key_node))
                    line, col = _mark(key_node)
                    self.source.warnings.append(Diagnostic(
                        f"key {key!r} appears twice; the later value wins", self.source.file, line, col,
                        severity="warning", source_line=self.source.line_text(line), code="duplicate-key",
                        hint=f"delete one of the two `{key}:` lines (the first is at line {self.source.keys[path + (key,)][0]})"))
                if self.merging:
                    self.source.keys.setdefault(path + (key,), _mark(key_node))
                else:
                    self.source.keys[path + (key,)] = _mark(key_node)
                out[key] = self.build(value_node, path + (key,))
            return out
        return [self.build(item, path + (i,)) for i, item in enumerate(node.value)]

    def _scalar(self, node: yaml.Node) -> Any:
        # scalars: resolve only the YAML core types (str, int, float, bool, null)
        tag = node.tag
        if tag in ("tag:yaml.org,2002:int", "tag:yaml.org,2002:float", "tag:yaml.org,2002:bool",
                   "tag:yaml.org,2002:null"):
            try:
                return self.constructor.construct_object(node, deep=True)
            except (ValueError, KeyError, TypeError, OverflowError, yaml.YAMLError):
                # an explicit !!int on text, or an integer too long to convert
                kind = {"bool": "true or false"}.get(tag.rsplit(":", 1)[-1], "a number")
                too_long = sum(c.isdigit() for c in node.value) > 1000
                self.errors.append(self._diag(
                    node, f"a number of {len(node.value)} digits is too long" if too_long else f"cannot read {_shorten(node.value)} as {kind}",
                    hint="write a plain number of a few digits" if too_long else "remove the !!tag, or quote the value as text",
                    code="yaml-value"))
                return node.value
        if tag == "tag:yaml.org,2002:timestamp":
            return node.value  # dates stay text; the model reads them
        self._check_text(node, node.value)
        return node.value

    def _check_text(self, node: yaml.Node, text: str) -> None:
        """Text may not carry control characters (a NUL would reach the PDF) nor lone surrogates
        (not characters at all); both can only come from escapes in double-quoted strings."""
        bad = _BAD_TEXT.search(text)
        if bad is None:
            return
        for i, ch in enumerate(text[bad.start():], bad.start()):
            o = ord(ch)
            if (o < 0x20 and ch not in "\t\n\r") or 0x7F <= o <= 0x9F or 0xD800 <= o <= 0xDFFF:
                what = "half of a surrogate pair, not a character" if o >= 0xD800 else "a control character"
                self.errors.append(self._diag(
                    node, f"the text contains U+{o:04X} ({what}) at character {i + 1}",
                    hint="remove the escape (\\0, \\x.., \\u....) from the quoted text", code="bad-character"))
                return


#: what _Builder._check_text refuses, found at C speed (most text has none)
_BAD_TEXT = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")


#: files a content file is sometimes mistaken for, by their first bytes: (what, hint)
_MAGIC = (
    (b"%PDF-", ("a PDF", "give the content file (.yaml) the PDF was built from; `broadsheet preflight` checks a PDF")),
    (b"\x89PNG", ("a PNG picture", "give the content file (.yaml); pictures go under images/ and are named in it")),
    (b"\xff\xd8\xff", ("a JPEG picture", "give the content file (.yaml); pictures go under images/ and are named in it")),
    (b"PK\x03\x04", ("a ZIP archive (a .docx or .zip?)", "save the copy as text in a content file (.yaml)")),
    (b"\xff\xfe", ("UTF-16 text (little-endian)", "save the file as UTF-8: `iconv -f UTF-16 -t UTF-8`")),
    (b"\xfe\xff", ("UTF-16 text (big-endian)", "save the file as UTF-8: `iconv -f UTF-16 -t UTF-8`")),
)


def _not_text(raw: bytes) -> tuple[str, str] | None:
    """What the file is when its first bytes say it is no UTF-8 text (a PDF, a picture, UTF-16
    with its byte-order mark): the UTF-8 error would blame GBK."""
    for magic, what in _MAGIC:
        if raw.startswith(magic):
            return what
    return None


def _shorten(text: str, n: int = 30) -> str:
    return repr(text if len(text) <= n else text[: n - 1] + "…")


_OPENERS = {
    "while parsing a flow sequence": ("the list opened with '[' here is not closed",
                                      "add the closing ']'; text containing '[', ',' or ']' must be quoted"),
    "while parsing a flow mapping": ("the mapping opened with '{' here is not closed",
                                     "add the closing '}'; text containing '{', ',', ':' or '}' must be quoted"),
    "while scanning a quoted scalar": ("the quoted text starting here is not closed",
                                       "add the closing quote mark; a quote inside the text is written \\\" (or '' in single quotes)"),
}


def _problem_diag(file: str, text: str, exc: yaml.MarkedYAMLError) -> Diagnostic:
    mark = exc.problem_mark or exc.context_mark
    problem = (exc.problem or "malformed YAML").strip()
    context = (exc.context or "").strip()
    opener = _OPENERS.get(context)
    at_end = "<stream end>" in problem or "end of stream" in problem
    if opener and exc.context_mark is not None and at_end:
        # the parser ran to the end of the file looking for the closing mark: point at the opening
        mark = exc.context_mark
    line = mark.line + 1 if mark else 0
    col = mark.column + 1 if mark else 0
    lines = text.splitlines()
    src = lines[line - 1] if 0 < line <= len(lines) else ""
    if opener and at_end:
        return Diagnostic(f"malformed YAML: {opener[0]}", file, line, col, hint=opener[1], source_line=src,
                          code="yaml-syntax")
    hint = ""
    if opener and exc.context_mark is not None:
        hint = (f"the {'list' if '[' in opener[0] else 'mapping' if '{' in opener[0] else 'quoted text'} opened at line "
                f"{exc.context_mark.line + 1}, column {exc.context_mark.column + 1} is not closed before this; {opener[1]}")
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
    elif "cannot start any token" in problem:
        hint = "text starting with @, ` or % must be quoted"
    elif "found duplicate anchor" in problem:
        hint = "each anchor (&name) may be defined once"
    runaway = _runaway_quote(text, mark) if mark is not None else None
    if runaway is not None and not opener:
        hint = (f"the quoted text at line {runaway[0]}, column {runaway[1]} runs on to line {runaway[2]}: "
                "is its closing quote missing?")
    if not hint:
        hint = "look at this line and the one above it: quotes, brackets and indentation must match"
    return Diagnostic(f"malformed YAML: {problem}", file, line, col, hint=hint, source_line=src,
                      code="yaml-syntax")


def _runaway_quote(text: str, mark) -> tuple[int, int, int] | None:
    """(line, column, end line) of the last quoted text before ``mark`` that spans lines: an
    unclosed quote runs on to the next quote mark, and the parser fails only after it."""
    last = None
    try:
        for tok in yaml.scan(text, Loader=yaml.SafeLoader):
            if tok.start_mark.index >= mark.index:
                break
            if isinstance(tok, yaml.ScalarToken) and tok.style in ('"', "'") and tok.end_mark.line > tok.start_mark.line:
                last = (tok.start_mark.line + 1, tok.start_mark.column + 1, tok.end_mark.line + 1)
    except yaml.YAMLError:
        pass
    return last


def load_text(text: str, file: str = "content.yaml") -> Source:
    """Parse YAML text into a :class:`Source`; raise :class:`InputError` with a location."""
    source = Source(file=file, text=text, data=None)
    if text.startswith("\ufeff"):
        source.warnings.append(Diagnostic("file starts with a byte-order mark; ignored", file, 1, 1,
                                          severity="warning", code="bom",
                                          hint="save the file as UTF-8 without BOM"))
        text = text[1:]
        source.text = text
    invisible = _invisible(file, text)
    if invisible:
        raise InputError(invisible)
    node, composed = _compose_fast(text)
    try:
        if not composed:
            node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        from layout.model.fullwidth import recognise_near

        d = _problem_diag(file, text, exc)
        raise InputError([recognise_near(d, text.split("\n"))]) from None
    except yaml.reader.ReaderError as exc:  # a control character in the file
        raise InputError([_reader_diag(file, text, exc)]) from None
    except yaml.YAMLError as exc:
        raise InputError([Diagnostic(f"malformed YAML: {exc}", file, code="yaml-syntax")]) from None
    except RecursionError:
        raise InputError([_too_deep(file, text)]) from None
    if node is None:
        raise InputError([Diagnostic("the file is empty", file, 1, 1, code="empty",
                                     hint="start from `broadsheet init` or the seed page's content.yaml")])
    builder = _Builder(source)
    try:
        source.data = builder.build(node, ())
    except RecursionError:
        raise InputError([_too_deep(file, text)]) from None
    if builder.errors:
        raise InputError(builder.errors)
    return source


def _invisible(file: str, text: str) -> list[Diagnostic]:
    """An error at each invisible character of :data:`INVISIBLE` (line and column counted in
    ``\\n`` lines, as editors count them; YAML would have counted a line separator as a break)."""
    import re

    found = []
    for m in re.finditer("[" + "".join(INVISIBLE) + "]", text):
        ch, pos = m.group(), m.start()
        line = text.count("\n", 0, pos) + 1
        start = text.rfind("\n", 0, pos) + 1
        end = text.find("\n", pos)
        src = text[start:end if end >= 0 else len(text)].rstrip("\r")
        found.append(Diagnostic(
            f"invisible character U+{ord(ch):04X} {INVISIBLE[ch]}", file, line, pos - start + 1, source_line=src,
            hint="delete it: it shows as nothing in most editors (it comes from copying out of Word, a PDF or a web "
                 "page); for a new paragraph start a new item of the list", code="invisible-character"))
        if len(found) > 1000:  # (the rest are counted as they come; a file of them is one mistake)
            break
    return found


def _compose_fast(text: str):
    """(node, True) from libyaml's composer when PyYAML has it (five times faster than the pure
    Python one: a 10,000-article file is read in two seconds, not ten; the same nodes and marks),
    else (None, False): then the pure-Python composer reads the file, and words any refusal as
    it always has (libyaml's own messages are never shown)."""
    loader = getattr(yaml, "CSafeLoader", None)
    if loader is None:
        return None, False
    try:
        return yaml.compose(text, Loader=loader), True
    except Exception:  # noqa: BLE001 - whatever libyaml refuses, the Python composer explains
        return None, False


def _reader_diag(file: str, text: str, exc: yaml.reader.ReaderError) -> Diagnostic:
    pos = exc.position if isinstance(exc.position, int) and 0 <= exc.position <= len(text) else 0
    before = text[:pos]
    line = before.count("\n") + 1
    col = pos - (before.rfind("\n") + 1) + 1
    lines = text.split("\n")
    src = lines[line - 1] if 0 < line <= len(lines) else ""
    ch = exc.character if isinstance(exc.character, str) else chr(exc.character) if isinstance(exc.character, int) else "?"
    return Diagnostic(f"the file contains a control character (U+{ord(ch[:1] or '?'):04X}) that YAML does not allow",
                      file, line, col, hint="delete it (it is invisible in most editors; it often comes from copying out of a PDF or a web page)",
                      source_line=src.replace(ch, "\ufffd") if ch else src, code="bad-character")


def _too_deep(file: str, text: str) -> Diagnostic:
    """Locate nesting too deep for the composer, from the parser's events (which do not recurse)."""
    depth, line, col = 0, 0, 0
    try:
        for event in yaml.parse(text, Loader=yaml.SafeLoader):
            if isinstance(event, (yaml.SequenceStartEvent, yaml.MappingStartEvent)):
                depth += 1
                if depth > MAX_DEPTH:
                    line, col = event.start_mark.line + 1, event.start_mark.column + 1
                    break
            elif isinstance(event, (yaml.SequenceEndEvent, yaml.MappingEndEvent)):
                depth -= 1
    except yaml.YAMLError:
        pass
    lines = text.splitlines()
    src = lines[line - 1] if 0 < line <= len(lines) else ""
    return Diagnostic(f"lists and mappings are nested more than {MAX_DEPTH} deep", file, line, col,
                      hint="a page needs only a few levels; check for unbalanced brackets", source_line=src,
                      code="too-deep")


def load_file(path: str | Path) -> Source:
    """Read a content file as strict UTF-8 (a byte-order mark is tolerated with a warning)."""
    p = Path(path)
    shown = str(path)
    special = special_file(p)
    if special:  # (a FIFO would block the build for ever, a device never end: never opened)
        if special.startswith("a loop"):
            raise InputError([Diagnostic("cannot read the file: it is a loop of symbolic links", shown, code="unreadable",
                                         hint="a link on the path leads back to itself: fix or remove it")])
        raise InputError([Diagnostic(f"is {special}, not a file", shown, code="special-file",
                                     hint="give the path of a content file (.yaml)")])
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
    except OSError as exc:  # a path through a file, a name too long, a broken link ...
        raise InputError([Diagnostic(f"cannot read the file ({exc.strerror or exc})", shown, code="unreadable")]) from None
    what = _not_text(raw)
    if what:
        raise InputError([Diagnostic(f"the file is {what[0]}, not a content file (UTF-8 text)", shown, 1, 1,
                                     code="encoding", hint=what[1])])
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
    if is_page_name(shown):
        return load_text(text, shown)
    try:  # a file not named as a content file: located messages, but never a line of it
        source = load_text(text, shown)
    except InputError as exc:
        raise InputError([_unquoted(d) for d in exc.diagnostics]) from None
    source.quote = False
    source.warnings = [_unquoted(d) for d in source.warnings]
    return source


def _unquoted(d: Diagnostic) -> Diagnostic:
    from msgspec.structs import replace

    hint = d.hint.split(" The line should read:")[0]
    return replace(d, source_line="", hint=hint)


def is_edition(source: Source) -> bool:
    """An edition file (a list of pages) rather than a page: decided on the parsed data alone,
    so the CLI can tell them apart before reading either into records."""
    return isinstance(source.data, dict) and "pages" in source.data and "folio" not in source.data
