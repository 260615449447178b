"""The content model's reader (layout.model.read): msgspec reads a valid page in one call; when
it refuses one, the reader walks the same model and words every problem.

The walk must agree with msgspec: it finds a problem exactly when msgspec refuses the data, and
when both accept, they make the same records. Checked on every example page and on
hypothesis-generated variations of the seed page: wrong types, numbers as text, floats for
whole numbers, true/false, text with surrounding or odd spaces, missing and unknown keys,
out-of-range values.
"""

from __future__ import annotations

import copy
import datetime as dt
import subprocess
import sys
from pathlib import Path

import msgspec
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from msgspec.structs import replace

from layout.model.content import Document, Frame, Photo
from layout.model.read import Reader, read, stripped
from layout.model.source import load_file
from layout.model.values import dec_hook

from test_data_support import data_paths

ROOT = Path(__file__).resolve().parent.parent
PAGES = [ROOT / "content.yaml"] + sorted(p for p in (ROOT / "examples").glob("*/content.yaml"))


def _msgspec(data):
    try:
        return msgspec.convert(stripped(data), Document, dec_hook=dec_hook, strict=False)
    except msgspec.ValidationError:
        return None


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.parent.name if p.parent != ROOT else "seed")
def test_example_pages_read_without_problems(page):
    record, problems = read(load_file(page).data)
    assert problems == [] and isinstance(record, Document)
    walked = Reader()
    assert walked.value(stripped(load_file(page).data), Document, ()) == record  # the walk makes the same page
    assert walked.problems == []


def test_a_build_loads_no_composer_it_does_not_need(tmp_path):
    """The cold-process cost: a page whose paragraphs are all in the memo (the second build)
    does not load the line breaker; no pydantic anywhere."""
    code = ("import sys; from layout.build import build, BuildOptions; "
            f"build({str(ROOT / 'content.yaml')!r}, BuildOptions(output={str(tmp_path / 'p.pdf')!r})); "
            "print(sorted(m for m in ('pydantic', 'layout.text.breaker', 'layout.text.latin') if m in sys.modules))")
    for _ in range(2):
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=300)
        assert out.returncode == 0, out.stderr
    assert out.stdout.strip().splitlines()[-1] == "[]"


def test_every_problem_of_a_file_is_reported(tmp_path):
    data = copy.deepcopy(load_file(ROOT / "content.yaml").data)
    data["folio"]["page"] = "three"
    data["articles"][0]["headline"]["size"] = "42 mn"
    data["articles"][0]["bylin"] = data["articles"][0].pop("byline")
    data["ads"][0]["frame"]["lines"] = 0
    record, problems = read(data)
    assert record is None
    where = {p.path: p.message for p in problems}
    assert "whole number" in where[("folio", "page")]
    assert "unknown unit 'mn'" in where[("articles", 0, "headline", "size")]
    assert where[("articles", 0, "bylin")] == "unknown key `bylin` in articles"  # (not also "`byline` is required")
    assert "must be at least 1, got 0" in where[("ads", 0, "frame", "lines")]
    assert len(problems) == 4


def test_records_are_frozen_and_replaced():
    f = Frame(column=2, line=3, lines=4)
    assert f.columns == 1
    g = replace(f, columns=3)
    assert (g.columns, f.columns) == (3, 1) and g != f and g == Frame(column=2, columns=3, line=3, lines=4)
    with pytest.raises(AttributeError):
        f.columns = 2  # type: ignore[misc]
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
        if not isinstance(parent, (dict, list)):  # an earlier change made it text: text[0] reads, but cannot be set
            continue
        op = draw(st.sampled_from(["replace", "replace", "same-kind", "same-kind", "delete", "unknown", "space-key"]))
        old = parent[key]
        if op == "same-kind" and type(old) in SAME_KIND:  # near the limits of the field, of the type it has
            parent[key] = draw(SAME_KIND[type(old)])
        elif op in ("replace", "same-kind"):
            # (a copy: st.just hands out one object, which a later change could put inside itself)
            parent[key] = copy.deepcopy(draw(ODD_VALUES))
        elif op == "delete":
            del parent[key]
        elif op == "unknown" and isinstance(parent, dict):
            parent[draw(st.sampled_from(["bylin", "colour", "x", "kind", "notch", "group", "focus"]))] = copy.deepcopy(
                draw(ODD_VALUES))
        elif op == "space-key" and isinstance(parent, dict) and isinstance(key, str):
            parent[f" {key}"] = parent.pop(key)
    return data


@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(variations())
def test_the_walk_agrees_with_msgspec(data):
    """A problem exactly when msgspec refuses the page, and the same page when it accepts."""
    direct = _msgspec(copy.deepcopy(data))
    walked = Reader()
    result = walked.value(stripped(copy.deepcopy(data)), Document, ())
    if direct is None:
        assert walked.problems, "msgspec refused a page the walk found nothing wrong with"
        record, problems = read(copy.deepcopy(data))
        assert record is None and problems and all(p.message for p in problems)
    else:
        assert walked.problems == [], f"the walk refused a page msgspec accepts: {walked.problems}"
        assert result == direct
