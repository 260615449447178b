"""Inputs and environments a newsroom meets that once crashed a build or changed its bytes."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from PIL import Image

PY = sys.executable


def run(*args, env=None, cwd=None):
    return subprocess.run([PY, "-m", "layout", *args], capture_output=True, text=True, env=env, cwd=cwd)


@pytest.fixture()
def page(seed_copy):
    return seed_copy


def test_same_bytes_whatever_the_cache_folder(page, tmp_path):
    outs = []
    for name in ("ca", "cb"):
        env = {**os.environ, "BROADSHEET_CACHE": str(tmp_path / name), "SOURCE_DATE_EPOCH": "1730332800"}
        (tmp_path / name / "out").mkdir(parents=True)
        out = tmp_path / name / "out" / "seed.pdf"
        r = run("build", str(page / "content.yaml"), "-o", str(out), "--proof", "-q", env=env)
        assert r.returncode == 0, r.stderr
        outs.append(out.read_bytes())
    assert outs[0] == outs[1]


def test_photo_with_a_broken_colour_profile_still_builds(page):
    img = Image.open(page / "images" / "factory-ba.jpg")
    img.save(page / "images" / "factory-ba.jpg", icc_profile=b"\0\0\0\x80" + b"junk" * 40, quality=85)
    r = run("build", str(page / "content.yaml"), "-o", str(page / "x.pdf"), "-q")
    assert r.returncode == 0, r.stderr
    assert "Traceback" not in r.stderr


def test_corrupt_font_override_is_located(page):
    (page / "fonts").mkdir()
    good = "/usr/share/fonts/truetype/lxgw-wenkai/LXGWWenKai-Regular.ttf"
    (page / "fonts" / "broken.ttf").write_bytes(open(good, "rb").read()[:5000])
    text = (page / "content.yaml").read_text(encoding="utf-8").replace("typography:", "fonts:\n  kai: {file: fonts/broken.ttf}\n\ntypography:", 1)
    (page / "content.yaml").write_text(text, encoding="utf-8")
    r = run("build", str(page / "content.yaml"), "-o", str(page / "x.pdf"))
    assert r.returncode == 1, r.stderr
    assert "content.yaml:" in r.stderr and "not a usable font" in r.stderr and "Traceback" not in r.stderr


def test_unwritable_cache_falls_back(page, tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    env = {**os.environ, "BROADSHEET_CACHE": str(blocker / "cache")}
    r = run("build", str(page / "content.yaml"), "-o", str(page / "x.pdf"), "--proof", env=env)
    assert r.returncode == 0, r.stderr
    assert "not writable" in r.stdout and (page / "x.pdf").exists()


def test_margins_that_push_the_type_area_off_the_page(page):
    text = (page / "content.yaml").read_text(encoding="utf-8").replace("  bleed: 3mm", "  bleed: 3mm\n  margins: {inner: 100mm}", 1)
    (page / "content.yaml").write_text(text, encoding="utf-8")
    r = run("check", str(page / "content.yaml"))
    assert r.returncode == 1 and "does not fit between the margins" in r.stderr


def test_headline_sizes_out_of_order(page):
    text = (page / "content.yaml").read_text(encoding="utf-8").replace("      size: 90pt", "      size: 90pt\n      min_size: 80pt\n      max_size: 40pt", 1)
    (page / "content.yaml").write_text(text, encoding="utf-8")
    r = run("check", str(page / "content.yaml"))
    assert r.returncode == 1 and "min_size (80pt) is larger than max_size (40pt)" in r.stderr


def test_check_on_an_edition_checks_its_pages(tmp_path):
    (tmp_path / "e.yaml").write_text("pages: [a.yaml]\n", encoding="utf-8")
    r = run("check", str(tmp_path / "e.yaml"))
    assert r.returncode == 1 and "page file 'a.yaml' not found" in r.stderr


def test_malformed_source_date_epoch(page):
    r = run("build", str(page / "content.yaml"), "-q", env={**os.environ, "SOURCE_DATE_EPOCH": "yesterday"})
    assert r.returncode == 2 and "SOURCE_DATE_EPOCH" in r.stderr


def test_output_files_are_readable_by_others(page):
    old = os.umask(0o022)
    try:
        r = run("build", str(page / "content.yaml"), "-o", str(page / "x.pdf"), "--proof", "-q")
    finally:
        os.umask(old)
    assert r.returncode == 0
    assert (page / "x.pdf").stat().st_mode & 0o044 == 0o044


@pytest.mark.parametrize("args", [["schema", "-o", "/nonexistent/dir/s.json"], ["preview", "content.yaml.nope.pdf"]])
def test_cli_paths_without_tracebacks(args, page):
    r = run(*args, cwd=page)
    assert r.returncode in (1, 2) and "Traceback" not in r.stderr and "internal error" not in r.stderr
