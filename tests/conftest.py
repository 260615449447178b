"""Shared fixtures: the repository root, the seed content, a per-session cache folder."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT


@pytest.fixture(scope="session")
def seed_yaml() -> Path:
    return ROOT / "content.yaml"


@pytest.fixture(scope="session", autouse=True)
def _cache_env():
    # the tests share the project's cache (fonts converted once per machine)
    os.environ.setdefault("BROADSHEET_CACHE", str(ROOT / ".cache"))
    os.environ.setdefault("SOURCE_DATE_EPOCH", "1730332800")
    yield


@pytest.fixture(scope="session")
def newsprint():
    """The newsprint output profile the set-up builds (built here if missing)."""
    from layout.finish.errors import FinishError
    from layout.finish.profile import build_newsprint_profile, output_profile

    try:
        build_newsprint_profile()
    except FinishError as e:
        pytest.fail(f"cannot build the newsprint profile (run scripts/setup.sh): {e}")
    return output_profile(None)


@pytest.fixture()
def seed_copy(tmp_path, root):
    """A private copy of the seed page (content.yaml and its images) to edit or build in."""
    import shutil

    folder = tmp_path / "page"
    shutil.copytree(root / "images", folder / "images")
    (folder / "content.yaml").write_text((root / "content.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    return folder


def findings(report: dict, kind: str) -> list[dict]:
    """The findings of one kind in a report as ``--json`` prints it."""
    return [f for f in report["findings"] if f["kind"] == kind]
