"""The fast reader (layout.model.fast) against pydantic, the model's definition.

The reader may decline any page (pydantic then decides); what it must never do is accept a page
pydantic refuses, or make a page other than the one pydantic makes. Checked on every example
page and on hypothesis-generated variations of the seed page: wrong types, numbers as text,
floats for whole numbers, true/false, text with surrounding or odd spaces, missing and unknown
keys, out-of-range values.
"""

from __future__ import annotations

import copy
import datetime as dt
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typing import Union

from pydantic import ConfigDict, Field, ValidationError, field_validator

from layout.model import fast, specgen, values
from layout.model.content import Document, Strict, TypeSize
from layout.model.messages import to_records
from layout.model.records import Frame, Photo
from layout.model.source import load_file

from test_data_support import data_paths

ROOT = Path(__file__).resolve().parent.parent
PAGES = [ROOT / "content.yaml"] + sorted(p for p in (ROOT / "examples").glob("*/content.yaml"))


def _pydantic(data):
    try:
        return to_records(Document.model_validate(data))
    except ValidationError:
        return None


def _same(a, b) -> bool:
    """Equal records, and equal sets of fields the editor wrote, all the way down."""
    if type(a) is not type(b):
        return False
    if hasattr(a, "_fields"):
        return a.model_fields_set == b.model_fields_set and all(_same(getattr(a, f), getattr(b, f)) for f in a._fields)
    if isinstance(a, (list, tuple)):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b))
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    return a == b


def test_spec_matches_the_model():
    committed = specgen.SPEC_FILE.read_text(encoding="utf-8")
    assert committed == specgen.render(), "layout/model/spec.py is stale: run `make spec`"


class _Scratch(Strict):
    a: int = 1


@pytest.mark.parametrize("make", [
    lambda: type("Lower", (_Scratch,), {"model_config": ConfigDict(extra="forbid", str_strip_whitespace=True,
                                                                   str_to_lower=True)}),
    lambda: type("AllFields", (_Scratch,), {"_v": field_validator("*")(staticmethod(values.focus))}),
    lambda: type("ByName", (_Scratch,), {"_focus": field_validator("a")(staticmethod(lambda v: v))}),
    lambda: type("Defaulted", (_Scratch,), {"__annotations__": {"b": int},
                                            "b": Field(1, validate_default=True)}),
], ids=["config", "star-validator", "validator-not-in-values", "validate-default"])
def test_the_generator_refuses_what_the_reader_would_not_interpret(make):
    """A model change the fast reader cannot follow fails at `make spec` (and in this module's
    staleness test), instead of giving a spec that reads pages differently from pydantic."""
    with pytest.raises(specgen.SpecError):
        specgen.model_spec(make())


def test_a_union_with_a_member_the_reader_cannot_judge_declines():
    class U(Strict):
        s: Union[TypeSize, str] = 9.0

    t = specgen.model_spec(U)["fields"][0][1]
    with pytest.raises(fast.Decline):
        fast._value(t, "9pt")
    assert U(s="9pt").s == 9.0  # (what pydantic makes of it: the reader must not guess otherwise)


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.parent.name if p.parent != ROOT else "seed")
def test_example_pages_read_fast_and_alike(page):
    data = load_file(page).data
    quick = fast.read(data)
    assert quick is not None, "the fast reader declined a valid example page"
    assert _same(quick, _pydantic(data))


def test_a_build_of_a_valid_page_loads_neither_pydantic_nor_a_composer_it_does_not_need(tmp_path):
    """The cold-process cost: a valid page is read without pydantic, and a page whose paragraphs
    are all in the memo (the second build) does not load the line breaker either."""
    code = ("import sys; from layout.build import build, BuildOptions; "
            f"build({str(ROOT / 'content.yaml')!r}, BuildOptions(output={str(tmp_path / 'p.pdf')!r})); "
            "print(sorted(m for m in ('pydantic', 'layout.text.breaker', 'layout.text.latin') if m in sys.modules))")
    for _ in range(2):
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=300)
        assert out.returncode == 0, out.stderr
    assert out.stdout.strip().splitlines()[-1] == "[]"


def test_a_page_with_a_mistake_still_gets_pydantic_messages(tmp_path):
    from layout.errors import InputError
    from layout.model.validate import validate

    page = tmp_path / "content.yaml"
    page.write_text((ROOT / "content.yaml").read_text(encoding="utf-8").replace("page: 3", 'page: "three"', 1),
                    encoding="utf-8")
    with pytest.raises(InputError) as err:
        validate(load_file(page))
    assert any("whole number" in d.message for d in err.value.diagnostics)


def test_records_behave_like_the_model():
    f = Frame(column=2, line=3, lines=4)
    assert f.columns == 1 and f.model_fields_set == {"column", "line", "lines"}
    g = f.model_copy(update={"columns": 3})
    assert (g.columns, f.columns) == (3, 1) and g != f and g == Frame(column=2, columns=3, line=3, lines=4)
    with pytest.raises(TypeError):
        Frame(column=1, line=1)  # lines is required
    p = Photo(file="images/a.jpg", caption="x", credit="y")
    assert p.reserved_lines == 3 and p.label == "images/a.jpg" and p.pictures[0].focus == (0.5, 0.5)


# ------------------------------------------------------------------------------------------------
# generated variations of the seed page
# ------------------------------------------------------------------------------------------------

SEED = load_file(ROOT / "content.yaml").data


PATHS = [p for p in data_paths(SEED) if p] + [("colors", "brand"), ("press", "tac_limit"), ("fonts", "body", "index"),
                                          ("articles", 0, "frame", "notch", "columns"),
                                          ("articles", 0, "photos", 0, "group", 1, "focus")]

ODD_VALUES = st.one_of(
    st.integers(-3, 1000), st.floats(allow_nan=True, allow_infinity=True), st.booleans(), st.none(),
    st.sampled_from(["3", "3.0", " 3 ", "", "  ", "abc", " x ", "\x1cx", "x\x1f", "\u3000字\u3000", "12mm", "小五", "2字",
                     "auto", "off", "on", "accent", " accent", "2024-10-31", "20241031", "top", "center", "full",
                     "image", "public-service", "basic", "zh", "custom", "images/wanfeng-lake.jpg"]),
    st.just(3.0), st.just(2.5), st.just(10 ** 400), st.just(dt.date(2024, 10, 31)),
    st.just(dt.datetime(2024, 10, 31, 0, 0)), st.just([]), st.just({}), st.just([0, 100, 100, 10]),
    st.just([0.5, 0.5]), st.just([1, 2]), st.just(["a", "b"]), st.just({"x": 1}),
    st.just({"column": 1, "line": 1, "lines": 3}), st.just({"head": "小标题", "number": "1"}),
    st.just({"file": "images/wanfeng-lake.jpg"}), st.just((0.2, 0.3)),
)


SAME_KIND = {
    int: st.integers(-2, 1001),
    float: st.floats(-1, 5, allow_nan=False),
    bool: st.booleans(),
    str: st.text(max_size=6),  # (any code point: odd spaces, lone surrogates)
}

#: optional parts of a page the seed does not use, so that variations reach them too
EXTRAS = {
    (): [("colors", {"brand": [100, 60, 0, 0], " x": "accent"}), ("fonts", {"body": {"file": "x.ttf", "index": 2}}),
         ("press", {"pdfx": "X-1a", "tac_limit": 220, "min_ppi": 150.5}), ("place", "auto"),
         ("page", {"size": "custom", "width": "300mm", "height": 400, "margins": {"top": "20mm"}})],
    ("articles", 0): [("tint", "tint"), ("tint", [0, 0, 0, 10.5]), ("fit", False), ("jump_to", 5),
                      ("continued_from", {"file": "p01.yaml", "article": "main", "page": 1}),
                      ("frame", {"column": 1, "columns": 8, "line": 1, "lines": 116,
                                 "notch": {"corner": "bottom-right", "columns": 3, "lines": 40}})],
    ("articles", 0, "photos", 0): [("group", ["images/a.jpg", {"file": "images/b.jpg", "focus": [0.2, 1]}]),
                                   ("across", 2), ("bleed", ["top", "left"]), ("focus", [1, 0.5])],
    ("ads", 0): [("kind", "image"), ("file", "images/ad.jpg")],
}


@st.composite
def variations(draw):
    data = copy.deepcopy(SEED)
    for where, options in EXTRAS.items():
        if draw(st.booleans()):
            key, value = draw(st.sampled_from(options))
            node = data
            for part in where:
                node = node[part]
            node[key] = copy.deepcopy(value)
    for _ in range(draw(st.integers(0, 3))):
        path = draw(st.sampled_from(PATHS))
        parent = data
        try:
            for part in path[:-1]:
                parent = parent[part]
            key = path[-1]
            parent[key]  # noqa: B018  (the path may be gone after an earlier change)
        except (KeyError, IndexError, TypeError):
            continue
        op = draw(st.sampled_from(["replace", "replace", "same-kind", "same-kind", "delete", "unknown", "space-key"]))
        old = parent[key]
        if op == "same-kind" and type(old) in SAME_KIND:  # near the limits of the field, of the type it has
            parent[key] = draw(SAME_KIND[type(old)])
        elif op in ("replace", "same-kind"):
            parent[key] = draw(ODD_VALUES)
        elif op == "delete":
            del parent[key]
        elif op == "unknown" and isinstance(parent, dict):
            parent[draw(st.sampled_from(["bylin", "colour", "x", "kind", "notch", "group", "focus"]))] = draw(ODD_VALUES)
        elif op == "space-key" and isinstance(parent, dict) and isinstance(key, str):
            parent[f" {key}"] = parent.pop(key)
    return data


@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(variations())
def test_fast_reader_never_disagrees_with_pydantic(data):
    quick = fast.read(copy.deepcopy(data))
    if quick is None:
        return
    slow = _pydantic(copy.deepcopy(data))
    assert slow is not None, "the fast reader accepted a page pydantic refuses"
    assert _same(quick, slow)
