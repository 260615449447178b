"""content.yaml validation: every problem located (file:line:column) with a useful message."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from layout.errors import InputError
from layout.model.geometry import resolve_grid
from layout.model.content import PageSpec
from layout.model.source import load_file, load_text
from layout.model.validate import validate
from layout.model.units import MM


def seed_text(root: Path) -> str:
    return (root / "content.yaml").read_text(encoding="utf-8")


def errors_for(text: str, folder: Path):
    p = folder / "content.yaml"
    p.write_text(text, encoding="utf-8")
    (folder / "images").mkdir(exist_ok=True)
    for name in ("wanfeng-lake.jpg", "factory-ba.jpg", "power-valley.jpg"):
        (folder / "images" / name).write_bytes(b"x")
    with pytest.raises(InputError) as e:
        validate(load_file(p))
    return e.value.diagnostics


def test_seed_validates(seed_yaml):
    v = validate(load_file(seed_yaml))
    doc = v.doc
    assert doc.folio.paper == "株洲日报"
    art = doc.articles[0]
    assert art.headline.text.replace("\u3000", " ") == "实力高新 出圈有道"
    heads = [b.head for b in art.body if not isinstance(b, str)]
    assert heads == ["产业名片求实向新", "服务体系提标增效", "文旅品牌新潮多彩"]
    assert [p.caption for p in art.photos] == ["万丰湖", "“厂BA”", "动力谷"]
    assert v.grid.columns == 8


def test_seed_text_has_no_ocr_artefacts(seed_yaml):
    text = seed_yaml.read_text(encoding="utf-8")
    body = "".join(b for b in yaml.safe_load(text)["articles"][0]["body"] if isinstance(b, str))
    assert "裂变扩产" in body and "Deep Blue" in body
    for ascii_mark in ",():?;":
        assert ascii_mark not in body, ascii_mark


def test_section_two_in_place(seed_yaml):
    body = yaml.safe_load(seed_yaml.read_text(encoding="utf-8"))["articles"][0]["body"]
    i2 = next(i for i, b in enumerate(body) if isinstance(b, dict) and b["number"] == "2")
    assert body[i2 + 1].startswith("建立以项目建设")
    i3 = next(i for i, b in enumerate(body) if isinstance(b, dict) and b["number"] == "3")
    assert body[i3 - 1].endswith("在发展一线跳动。")
    assert body[i3 + 1].startswith("10月25日")


def test_unknown_key_located_with_hint(root, tmp_path):
    text = seed_text(root).replace("    byline:", "    bylin:")
    [d] = errors_for(text, tmp_path)
    line = next(i for i, l in enumerate(text.splitlines(), 1) if "bylin:" in l)
    assert (d.line, d.column) == (line, 5)
    assert "bylin" in d.message and "byline" in d.hint
    assert "^" in d.format() and "content.yaml:%d:5: error" % line in d.format()


def test_wrong_type_located(root, tmp_path):
    text = seed_text(root).replace("page: 3", "page: three")
    [d] = errors_for(text, tmp_path)
    assert "whole number" in d.message
    assert d.source_line.strip() == "page: three"


def test_unit_typo_located(root, tmp_path):
    text = seed_text(root).replace("bleed: 3mm", "bleed: 3 mn")
    [d] = errors_for(text, tmp_path)
    assert "did you mean" in d.hint and "mm" in d.hint
    assert d.source_line.strip().startswith("bleed:")


def test_all_errors_reported_at_once(root, tmp_path):
    text = seed_text(root).replace("    byline:", "    bylin:").replace("page: 3", "page: x")
    diags = errors_for(text, tmp_path)
    assert len(diags) == 2
    assert diags[0].line < diags[1].line


def test_missing_image_named(root, tmp_path):
    text = seed_text(root).replace("images/wanfeng-lake.jpg", "images/wanfeng-lak.jpg")
    [d] = errors_for(text, tmp_path)
    assert "not found" in d.message and "wanfeng-lake.jpg" in d.hint


def test_image_outside_folder_refused(root, tmp_path):
    text = seed_text(root).replace("images/wanfeng-lake.jpg", "../../etc/passwd")
    [d] = errors_for(text, tmp_path)
    assert "leaves the page's folder" in d.message


def test_frame_out_of_range(root, tmp_path):
    text = seed_text(root).replace("{column: 6, columns: 3, line: 55, lines: 62}", "{column: 7, columns: 3, line: 55, lines: 62}")
    diags = errors_for(text, tmp_path)
    assert any("reaches column 9" in d.message for d in diags)


def test_malformed_yaml_located(tmp_path):
    with pytest.raises(InputError) as e:
        load_text("folio:\n  paper: x\n   date: y\n", "c.yaml")
    [d] = e.value.diagnostics
    assert d.line == 3 and d.file == "c.yaml" and "malformed YAML" in d.message


def test_tab_gets_hint(tmp_path):
    with pytest.raises(InputError) as e:
        load_text("folio:\n\tpaper: x\n", "c.yaml")
    [d] = e.value.diagnostics
    assert d.line == 2 and "tab" in d.message and "spaces" in d.hint


def test_alias_bomb_refused():
    bomb = "a: &a [x, x, x, x, x, x, x, x, x, x]\n"
    prev = "a"
    for i in range(12):
        name = f"b{i}"
        bomb += f"{name}: &{name} [*{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}]\n"
        prev = name
    with pytest.raises(InputError) as e:
        load_text(bomb, "bomb.yaml")  # (expanded, it would not end: the suite's timeout is the guard)
    assert "alias" in e.value.diagnostics[0].message


def test_not_utf8_located(tmp_path):
    p = tmp_path / "c.yaml"
    p.write_bytes("folio:\n  paper: 株洲日报\n".encode("gb18030"))
    with pytest.raises(InputError) as e:
        load_file(p)
    [d] = e.value.diagnostics
    assert d.line == 2 and "UTF-8" in d.message and "iconv" in d.hint


def test_bom_is_a_warning(tmp_path):
    src = load_text("\ufefffolio: {paper: x}\n", "c.yaml")
    assert src.data == {"folio": {"paper": "x"}}
    assert src.warnings[0].severity == "warning"


def test_python_tags_not_constructed():
    # never constructed, never read as something else: a located error
    with pytest.raises(InputError) as e:
        load_text("a: !!python/object/apply:os.system ['echo hi']\n", "c.yaml")
    [d] = e.value.diagnostics
    assert (d.line, d.column, d.code) == (1, 4, "yaml-tag") and "!!python/object/apply:os.system" in d.message


def test_broadsheet_grid():
    g = resolve_grid(PageSpec())
    assert g.width / MM == pytest.approx(390) and g.height / MM == pytest.approx(545)
    assert g.columns == 8 and g.column_width == pytest.approx(13 * 9)
    assert g.area_width == pytest.approx(111 * 9)
    assert g.area_height == pytest.approx(g.lines * g.pitch)
    assert g.left == pytest.approx((g.width - g.area_width) / 2)


@pytest.mark.parametrize("size,w,h,cols", [("berliner", 315, 470, 6), ("tabloid", 275, 390, 5), ("四开", 275, 390, 5)])
def test_presets(size, w, h, cols):
    g = resolve_grid(PageSpec(size=size))
    assert (round(g.width / MM), round(g.height / MM), g.columns) == (w, h, cols)
    assert g.right <= g.width and g.left >= 0


def test_custom_size_needs_dimensions():
    from layout.model.read import read

    with pytest.raises(ValueError):
        PageSpec(size="custom")
    spec, problems = read({"size": "custom"}, PageSpec)
    assert spec is None and "custom needs both width and height" in problems[0].message
    spec, problems = read({"size": "custom", "width": "300mm", "height": "400mm", "columns": 5}, PageSpec)
    g = resolve_grid(spec)
    assert g.columns == 5 and g.width / MM == pytest.approx(300)


@pytest.mark.parametrize("written, read", [("off", "off"), ("'off'", "off"), ("auto", "auto"), ("on", "auto")])
def test_fit_written_as_editors_write_it(root, written, read):
    """YAML 1.1 reads unquoted `off` as false: `fit: off`, as the docs spell it, still means off."""
    text = seed_text(root).replace("  - id: main\n", f"  - id: main\n    fit: {written}\n", 1)
    src = load_text(text, str(root / "content.yaml"))
    assert validate(src).doc.articles[0].fit == read


def test_fit_unknown_value_located(root, tmp_path):
    text = seed_text(root).replace("  - id: main\n", "  - id: main\n    fit: maybe\n", 1)
    (d,) = errors_for(text, tmp_path)
    assert d.line == 24 and "'off' or 'auto'" in d.message
