"""Caches live where users expect them: the per-user cache folder (or $BROADSHEET_CACHE), never the
checkout, the page's folder or the current folder; and a press build without its output profile
stops with a clear message and its own exit status, never separating for another condition."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable


def _files(folder: Path) -> dict[str, int]:
    """Every file under the checkout (but the virtual environment, git's own and bytecode, which
    Python writes beside any module it imports), with its modification time."""
    out = {}
    for dirpath, dirnames, filenames in os.walk(folder):
        dirnames[:] = [d for d in dirnames if d not in (".venv", ".git", "__pycache__", ".hypothesis", ".pytest_cache")]
        for f in filenames:
            p = Path(dirpath) / f
            out[str(p.relative_to(folder))] = p.stat().st_mtime_ns
    return out


def test_a_page_built_in_its_own_folder_with_a_fresh_home_writes_only_its_pdf_and_the_user_cache(tmp_path):
    page = tmp_path / "p2"
    shutil.copytree(ROOT / "images", page / "images")
    shutil.copy(ROOT / "content.yaml", page / "content.yaml")
    home = tmp_path / "home"
    home.mkdir()
    env = {k: v for k, v in os.environ.items() if k not in ("BROADSHEET_CACHE", "XDG_CACHE_HOME")}
    env["HOME"] = str(home)
    before = _files(ROOT)
    r = subprocess.run([PY, "-m", "layout", "build", "-q"], cwd=page, env=env, capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    assert _files(ROOT) == before, "the build wrote into the checkout"
    assert sorted(p.name for p in page.iterdir()) == ["content.yaml", "images", "output"]
    assert [p.name for p in (page / "output").iterdir()] == ["p2.pdf"]
    assert (home / ".cache" / "broadsheet" / "fonts").is_dir()  # the per-user cache
    assert not list(page.rglob(".cache")) and not (tmp_path / ".cache").exists()


def test_the_environment_variable_moves_the_cache(tmp_path):
    env = {**os.environ, "BROADSHEET_CACHE": str(tmp_path / "cache")}
    r = subprocess.run([PY, "-m", "layout", "check", str(ROOT / "content.yaml"), "-q"], cwd=tmp_path, env=env,
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    assert (tmp_path / "cache" / "compose").is_dir()


def test_without_its_output_profile_a_press_build_stops(tmp_path, seed_copy, monkeypatch):
    """The built newsprint profile missing (or failing its build record): exit 4 with what to do;
    no PDF, and no other press condition in its place. A proof needs no profile."""
    from layout.build import BuildOptions, build
    from layout.errors import SetupError
    import layout.finish.profile as profile

    monkeypatch.setattr(profile, "built_profile_path", lambda *a, **k: tmp_path / "nowhere.icc")
    out = tmp_path / "p.pdf"
    with pytest.raises(SetupError) as err:
        build(seed_copy / "content.yaml", BuildOptions(output=out))
    assert err.value.exit_status == 4 and "make setup" in str(err.value) and "nowhere.icc" in str(err.value)
    assert not out.exists()
    build(seed_copy / "content.yaml", BuildOptions(output=out, proof=True))
    assert out.exists()


def test_a_page_profile_that_is_not_a_profile_is_a_located_error(seed_copy):
    (seed_copy / "printer.icc").write_bytes(b"not a profile")
    text = (seed_copy / "content.yaml").read_text(encoding="utf-8") + "\npress: {profile: printer.icc}\n"
    (seed_copy / "content.yaml").write_text(text, encoding="utf-8")
    r = subprocess.run([PY, "-m", "layout", "build", str(seed_copy / "content.yaml"), "-o", str(seed_copy / "x.pdf")],
                       capture_output=True, text=True)
    assert r.returncode == 1 and "content.yaml:" in r.stderr and "press.profile" in r.stderr
    assert not (seed_copy / "x.pdf").exists()
