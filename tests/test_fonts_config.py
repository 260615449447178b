"""Font roles: config parsing, resolution, the missing-file error and a paper's overrides."""

from __future__ import annotations

import pickle
import shutil
from pathlib import Path

import pytest

from layout.fonts import FontConfigError, FontRegistry, config_from_dict, load_config, resolve_role
from layout.fonts.config import DEFAULT_CONFIG, guess_package
from layout.fonts.registry import resolve_spec

SMILEY = Path("/usr/share/fonts/truetype/smiley-sans/SmileySans-Oblique.ttf")
NOTO_SERIF = Path("/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc")


def test_repository_config_resolves_every_role():
    config = load_config()
    assert config.source == DEFAULT_CONFIG.resolve()
    assert {"body", "headline", "kai", "display"} <= set(config.roles)
    assert config.roles["body"].index == 2 and config.roles["kai"].index == 0
    for role in config.roles:
        path, index = resolve_role(config, role)
        assert path.is_file(), role
        assert path.name == Path(config.roles[role].file).name
    assert resolve_role(config, "body") == (NOTO_SERIF, 2)


def test_missing_file_names_role_file_places_and_package(tmp_path):
    config = config_from_dict(
        {
            "search": [".", str(tmp_path / "elsewhere")],
            "packages": ["fonts-noto-cjk", "fonts-noto-cjk-extra", "fonts-lxgw-wenkai"],
            "roles": {"headline": {"file": "NotoSerifCJK-Black.ttc", "index": 2}},
        },
        folder=tmp_path,
    )
    with pytest.raises(FontConfigError) as info:
        resolve_role(config, "headline")
    e = info.value
    assert e.role == "headline" and e.file == "NotoSerifCJK-Black.ttc"
    assert e.looked_in == (tmp_path / "NotoSerifCJK-Black.ttc", tmp_path / "elsewhere" / "NotoSerifCJK-Black.ttc")
    assert "fonts-noto-cjk-extra" in e.hint  # Black is not in fonts-noto-cjk (Regular/Bold only)
    again = pickle.loads(pickle.dumps(e))  # survives a process pool
    assert (again.role, again.file, again.looked_in, again.hint, str(again)) == (e.role, e.file, e.looked_in, e.hint, str(e))
    text = str(e)
    assert "headline" in text and "NotoSerifCJK-Black.ttc" in text
    assert str(tmp_path / "elsewhere") in text and "apt-get install fonts-noto-cjk-extra" in text


def test_registry_face_raises_config_error_for_missing_file(tmp_path):
    config = load_config().with_overrides({"kai": "LXGWWenKai-Missing.ttf"})
    with pytest.raises(FontConfigError, match="fonts-lxgw-wenkai") as info:
        FontRegistry(config, cache_dir=tmp_path).face("kai")
    assert info.value.role == "kai"


def test_package_guess():
    listed = ("fonts-noto-cjk", "fonts-noto-cjk-extra", "fonts-lxgw-wenkai", "fonts-smiley-sans")
    assert guess_package("NotoSansCJK-Regular.ttc", listed) == "fonts-noto-cjk"
    assert guess_package("NotoSansCJK-Medium.ttc", listed) == "fonts-noto-cjk-extra"
    assert guess_package("LXGWWenKai-Bold.ttf", listed) == "fonts-lxgw-wenkai"
    assert guess_package("SmileySans-Oblique.ttf", listed) == "fonts-smiley-sans"
    assert guess_package("wenkai-extra.ttf", ("fonts-foo", "fonts-lxgw-wenkai")) == "fonts-lxgw-wenkai"
    assert guess_package("Unknown.ttf", listed) is None


def test_relative_files_config_folder_first_then_search(tmp_path):
    (tmp_path / "fonts").mkdir()
    shutil.copy(SMILEY, tmp_path / "fonts" / "Local.ttf")
    (tmp_path / "fonts.yaml").write_text(
        "search: [fonts, /usr/share/fonts/opentype/noto]\n"
        "roles:\n"
        "  display: {file: Local.ttf}\n"
        "  body: {file: NotoSerifCJK-Regular.ttc, index: 2}\n"
        "  own: {file: fonts/Local.ttf}\n",
        encoding="utf-8",
    )
    config = load_config(tmp_path / "fonts.yaml")
    assert resolve_role(config, "display") == (tmp_path / "fonts" / "Local.ttf", 0)
    assert resolve_role(config, "body") == (NOTO_SERIF, 2)
    assert resolve_role(config, "own") == (tmp_path / "fonts" / "Local.ttf", 0)


def test_overrides_merge_over_config(tmp_path):
    paper = tmp_path / "paper"
    paper.mkdir()
    shutil.copy(SMILEY, paper / "PaperBody.ttf")
    base = load_config()
    config = base.with_overrides(
        {
            "body": {"file": "PaperBody.ttf"},  # new file: index back to 0
            "headline": {"index": 3},  # index only: keeps the file (TC face)
            "caption": "LXGWWenKai-Light.ttf",  # a new role, plain file name
        },
        base_dir=paper,
    )
    assert base.roles["body"].index == 2  # the original is untouched
    assert resolve_role(config, "body") == (paper / "PaperBody.ttf", 0)
    assert config.roles["headline"].file == base.roles["headline"].file
    assert config.roles["headline"].index == 3
    assert resolve_role(config, "caption")[0].name == "LXGWWenKai-Light.ttf"
    assert config.roles["kai"] == base.roles["kai"]
    registry = FontRegistry(config, cache_dir=tmp_path / "cache")
    assert registry.face("body").ps_name == "SmileySans-Oblique"
    assert registry.face("headline").ps_name == "NotoSerifCJKtc-Black"


def test_registry_load_with_overrides(tmp_path):
    registry = FontRegistry.load(None, {"body": {"index": 3}}, base_dir=tmp_path, cache_dir=tmp_path)
    assert registry.resolve("body") == (NOTO_SERIF, 3)
    assert "body" in registry.roles


def test_bad_configs_are_reported():
    with pytest.raises(FontConfigError, match="index"):
        config_from_dict({"roles": {"body": {"file": "x.ttc", "index": -1}}})
    with pytest.raises(FontConfigError, match="no 'file'"):
        config_from_dict({"roles": {"body": {"index": 2}}})
    with pytest.raises(FontConfigError, match="unknown keys"):
        config_from_dict({"roles": {"body": {"file": "x.ttc", "weight": 700}}})
    with pytest.raises(FontConfigError, match="no 'file'"):
        load_config().with_overrides({"brand_new": {"index": 1}})
    with pytest.raises(FontConfigError, match="known roles"):
        resolve_role(load_config(), "no_such_role")
    with pytest.raises(FontConfigError, match="cannot read"):
        load_config("/nonexistent/fonts.yaml")


def test_unusable_faces_name_the_role(tmp_path):
    reg = FontRegistry(load_config().with_overrides({"body": {"index": 9}}), cache_dir=tmp_path)
    with pytest.raises(FontConfigError, match="font role 'body'.*between 0 and 4") as info:
        reg.face("body")
    assert info.value.role == "body"
    reg = FontRegistry(load_config().with_overrides({"kai": {"index": 1}}), cache_dir=tmp_path)
    with pytest.raises(FontConfigError, match="not a collection"):
        reg.face("kai")
    (tmp_path / "notafont.ttf").write_bytes(b"hello")
    reg = FontRegistry(
        config_from_dict({"roles": {"ok": str(SMILEY), "bad": str(tmp_path / "notafont.ttf")}}), cache_dir=tmp_path
    )
    assert [e.role for e in reg.problems()] == ["bad"]


def test_the_set_up_installs_every_font_package_fonts_yaml_names():
    """scripts/setup.sh takes its font packages from fonts/fonts.yaml's `packages:` (a second list
    in the script once left fonts-hanazono out, and the rare ideographs had no face on a new
    machine): each is installed, and each fallback face's file is found."""
    import subprocess

    import yaml

    if shutil.which("dpkg-query") is None:
        pytest.skip("not a Debian system")
    packages = yaml.safe_load(DEFAULT_CONFIG.read_text(encoding="utf-8"))["packages"]
    assert "fonts-hanazono" in packages
    for name in packages:
        r = subprocess.run(["dpkg-query", "-W", "-f=${Status}", name], capture_output=True, text=True)
        assert "install ok installed" in r.stdout, f"{name} (named in fonts/fonts.yaml) is not installed by the set-up"
    config = load_config(DEFAULT_CONFIG)
    missing = [spec.file for spec in config.fallback if resolve_spec(config, spec) is None]
    assert not missing, f"fallback faces not found: {missing}"
