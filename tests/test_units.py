"""Lengths in editors' units: mm, pt, 字, 行, 栏 and Chinese size names."""

import pytest
from hypothesis import given, strategies as st

from layout.model.units import CHINESE_SIZES, MM, GridContext, Length, UnitError, parse_length, parse_size

CTX = GridContext(em=9.0, line=12.0, column=117.0, gutter=9.0)


@pytest.mark.parametrize("text,pt", [
    ("12mm", 12 * MM), ("9pt", 9.0), ("9 pt", 9.0), ("1.5cm", 15 * MM), ("1in", 72.0),
    ("2字", 18.0), ("2zi", 18.0), ("3行", 36.0), ("3 lines", 36.0), ("1栏", 117.0), ("2栏", 243.0),
    ("8栏", 8 * 117 + 7 * 9), (".5mm", 0.5 * MM), (7, 7.0), (7.5, 7.5),
])
def test_parse_and_resolve(text, pt):
    assert parse_length(text).resolve(CTX) == pytest.approx(pt)


def test_bare_number_takes_default_unit():
    assert parse_length(3, default_unit="mm").resolve() == pytest.approx(3 * MM)
    assert parse_length("2", default_unit="zi").resolve(CTX) == pytest.approx(18.0)


@pytest.mark.parametrize("name,pt", [("小五", 9.0), ("五号", 10.5), ("初号", 42.0), ("小初", 36.0), ("六号", 7.5)])
def test_chinese_size_names(name, pt):
    assert parse_size(name) == pt


def test_unit_typo_has_hint():
    with pytest.raises(UnitError) as e:
        parse_length("12 mn")
    assert "mm" in str(e.value) and "did you mean" in str(e.value)


@pytest.mark.parametrize("bad", ["", "mm", "twelve", True, None, [1], "12 mm mm"])
def test_rejects_garbage(bad):
    with pytest.raises(UnitError):
        parse_length(bad)


def test_relative_units_need_grid():
    with pytest.raises(UnitError):
        Length(2, "zi").resolve()


def test_type_size_must_be_absolute():
    with pytest.raises(UnitError):
        parse_size("2字")


@given(st.floats(min_value=0, max_value=2000, allow_nan=False), st.sampled_from(["mm", "pt", "字", "行", "栏", "cm"]))
def test_roundtrip(value, unit):
    length = parse_length(f"{value:.4f}{unit}")
    assert parse_length(str(length)).resolve(CTX) == pytest.approx(length.resolve(CTX))


def test_all_size_names_parse():
    for name, pt in CHINESE_SIZES.items():
        assert parse_size(name) == pt
