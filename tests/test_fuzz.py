"""Fuzzing the loader and the validator (issue 7): whatever the bytes, ``load_text`` + ``validate``
either succeed or raise :class:`InputError` whose diagnostics point at a place in the file.

Three sources of documents: random YAML data (nested mappings, lists and scalars, dumped by PyYAML,
so they parse), random mutations of the seed's content.yaml (keys deleted, values replaced by
values of other types, lines deleted, duplicated or re-indented, garbage characters and lines
inserted), and random bytes through ``load_file``. Composition is out of scope here (another
suite fuzzes the composer with random text).
"""

from __future__ import annotations

import copy
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from layout.errors import Diagnostic, InputError
from layout.model.source import load_file, load_text
from layout.model.validate import validate

from test_data_support import data_paths

ROOT = Path(__file__).resolve().parent.parent
SEED_FILE = ROOT / "content.yaml"
SEED = SEED_FILE.read_text(encoding="utf-8")
SEED_DATA = yaml.safe_load(SEED)
SEED_DATA["folio"]["date"] = str(SEED_DATA["folio"]["date"])
# the seed's own folder, so that its image paths resolve (validate only looks at the files)
FILE = str(SEED_FILE)

FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

#: Diagnostics about the file as a whole may have no line (none exist from load_text today).
FILE_LEVEL = {"empty", "encoding", "too-large-file", "more"}  # ("more": the count of errors past the first 20 of a kind)


def check(text: str, file: str = FILE) -> None:
    """The property: success, or an InputError whose every diagnostic is located and printable."""
    try:
        v = validate(load_text(text, file))
    except InputError as e:
        diags = e.diagnostics
        assert diags, "an InputError without diagnostics"
        assert any(d.severity == "error" for d in diags), [d.format() for d in diags]
        n_lines = len(text.splitlines()) + 2
        for d in diags:
            _located(d, n_lines)
        return
    for d in v.warnings:
        _located(d, len(text.splitlines()) + 2)


def _located(d: Diagnostic, n_lines: int) -> None:
    assert isinstance(d, Diagnostic)
    assert d.message, d
    d.format()  # never raises (East Asian widths, long lines, odd characters)
    if d.code in FILE_LEVEL:
        return
    assert d.line >= 1 and d.column >= 1, f"diagnostic without a location: {d.format()} ({d.code})"
    assert d.line <= n_lines, f"line {d.line} beyond the end of the file: {d.format()}"


# ------------------------------------------------------------------------------------------------
# random YAML documents
# ------------------------------------------------------------------------------------------------

KEYS = ["page", "folio", "articles", "ads", "colors", "fonts", "typography", "press", "frame", "body", "id",
        "headline", "text", "size", "photos", "file", "kind", "column", "columns", "line", "lines", "date",
        "paper", "color", "caption", "characters", "margins", "bleed", "x", "<<", "", "0"]
WEIRD = st.sampled_from(["\t", "\u3000", "\ufeff", "\u200b", "\ue000", "\U0002A6A5", "𰻞", "\ud7ff", "\x85",
                         "\u2028", "'", '"', ":", "- ", "#", "&a", "*a", "!!", "%", "@", "`", "{", "}", "[", "]",
                         ",", "|", ">", "\\", "\n", "  ", "~", "null", "yes", "0x1F", "1e9", ".nan", "-.inf"])
SCALARS = st.one_of(
    st.none(), st.booleans(), st.integers(min_value=-10**30, max_value=10**30),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=20), st.text(alphabet=st.characters(codec="utf-8"), max_size=12),
    st.sampled_from(["12mm", "9pt", "小五", "2字", "3行", "2栏", "12 mn", "-3mm", "0", "2024-10-31", "2024-02-30",
                     "accent", "public-service", "image", "images/wanfeng-lake.jpg", "../x.jpg", "/etc/passwd",
                     "custom", "broadsheet", "headline", "body"]),
    WEIRD,
)
def garbage(max_size: int, min_size: int = 0):
    """Text made of single characters and YAML-significant fragments."""
    return st.lists(st.one_of(st.characters(), WEIRD, st.sampled_from(KEYS)), min_size=min_size, max_size=max_size).map("".join)


DATA = st.recursive(
    SCALARS,
    lambda children: st.one_of(
        st.lists(children, max_size=5),
        st.dictionaries(st.one_of(st.sampled_from(KEYS), st.text(max_size=8)), children, max_size=6),
    ),
    max_leaves=40,
)


@FUZZ
@given(DATA)
def test_random_documents(data):
    try:
        text = yaml.safe_dump(data, allow_unicode=True)
    except yaml.YAMLError:
        return
    check(text)


@FUZZ
@given(st.dictionaries(st.sampled_from(KEYS), DATA, max_size=8))
def test_random_top_level_mappings(data):
    check(yaml.safe_dump(data, allow_unicode=True, default_flow_style=False))


@FUZZ
@given(garbage(120))
def test_random_text(text):
    check(text)


# ------------------------------------------------------------------------------------------------
# mutations of the seed
# ------------------------------------------------------------------------------------------------


SEED_PATHS = [p for p in data_paths(SEED_DATA) if p]


def _get(node, path):
    for p in path:
        node = node[p]
    return node


@st.composite
def mutated_data(draw):
    data = copy.deepcopy(SEED_DATA)
    for _ in range(draw(st.integers(min_value=1, max_value=4))):
        paths = [p for p in data_paths(data) if p]
        if not paths:
            break
        path = draw(st.sampled_from(paths))
        parent = _get(data, path[:-1])
        action = draw(st.sampled_from(["delete", "replace", "rename", "wrap", "duplicate"]))
        if action == "delete":
            del parent[path[-1]]
        elif action == "replace":
            parent[path[-1]] = draw(DATA)
        elif action == "rename" and isinstance(parent, dict):
            value = parent.pop(path[-1])
            parent[draw(st.one_of(st.sampled_from(KEYS), st.text(min_size=1, max_size=8)))] = value
        elif action == "wrap":
            parent[path[-1]] = draw(st.sampled_from([lambda v: [v], lambda v: {"x": v}, lambda v: str(v)]))(parent[path[-1]])
        elif action == "duplicate" and isinstance(parent, list):
            parent.insert(path[-1], copy.deepcopy(parent[path[-1]]))
    return data


@FUZZ
@given(mutated_data())
def test_seed_with_mutated_values(data):
    try:
        text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    except yaml.YAMLError:
        return
    check(text)


SEED_LINES = SEED.splitlines(keepends=True)


@st.composite
def mutated_text(draw):
    lines = list(SEED_LINES)
    for _ in range(draw(st.integers(min_value=1, max_value=3))):
        i = draw(st.integers(min_value=0, max_value=max(len(lines) - 1, 0)))
        action = draw(st.sampled_from(["delete", "duplicate", "indent", "dedent", "garbage-line", "garbage-chars",
                                       "truncate", "swap"]))
        if not lines:
            break
        if action == "delete":
            del lines[i]
        elif action == "duplicate":
            lines.insert(i, lines[i])
        elif action == "indent":
            lines[i] = draw(st.sampled_from([" ", "  ", "\t", "    "])) + lines[i]
        elif action == "dedent":
            lines[i] = lines[i][draw(st.integers(min_value=1, max_value=6)):] or "\n"
        elif action == "garbage-line":
            lines.insert(i, draw(garbage(15)) + "\n")
        elif action == "garbage-chars":
            line = lines[i]
            at = draw(st.integers(min_value=0, max_value=len(line)))
            lines[i] = line[:at] + draw(garbage(4, min_size=1)) + line[at:]
        elif action == "truncate":
            lines = lines[:i]
        elif action == "swap" and i + 1 < len(lines):
            lines[i], lines[i + 1] = lines[i + 1], lines[i]
    return "".join(lines)


@FUZZ
@given(mutated_text())
def test_seed_with_mutated_text(text):
    check(text)


# ------------------------------------------------------------------------------------------------
# bytes from the disk
# ------------------------------------------------------------------------------------------------


@settings(max_examples=100, deadline=None)
@given(st.one_of(st.binary(max_size=300),
                 st.builds(lambda a, b, c: a + b + c, st.sampled_from([SEED.encode()[:400], b"", b"\xef\xbb\xbf"]),
                           st.binary(max_size=20), st.sampled_from([b"", SEED.encode("gb18030")[:200]]))))
def test_random_bytes(tmp_path_factory, raw):
    p = tmp_path_factory.mktemp("bytes") / "content.yaml"
    p.write_bytes(raw)
    try:
        source = load_file(p)
    except InputError as e:
        for d in e.diagnostics:
            assert d.message and d.file == str(p)
            if d.code == "encoding":
                assert d.line >= 1 and d.column >= 1
        return
    check(source.text, str(p))
