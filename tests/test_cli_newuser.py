"""The friction a new user hit, following the README literally (issue 19): `init` makes a page that
builds with no warning, has an ad and a schema line that works offline; `preview`, `fonts` and
`check` take a page or an edition and default to ./content.yaml; misspellings get a guess; colour
only on request or a terminal; one-line diagnostics for editors."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def run(*args, cwd=None, env=None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "layout", *map(str, args)], capture_output=True, text=True,
                          cwd=cwd or ROOT, env=env)


@pytest.mark.parametrize("size", ["broadsheet", "berliner", "tabloid"])
def test_init_makes_a_page_that_builds_with_no_warning_and_has_an_ad(tmp_path, size):
    r = run("init", tmp_path / "p2", "--size", size, "--paper", "湘江晚报", "--page", "7")
    assert r.returncode == 0, r.stderr
    content = tmp_path / "p2" / "content.yaml"
    first = content.read_text(encoding="utf-8").splitlines()[0]
    assert first == "# yaml-language-server: $schema=content.schema.json"  # relative: works offline
    schema = json.loads((tmp_path / "p2" / "content.schema.json").read_text(encoding="utf-8"))
    assert schema == json.loads(run("schema").stdout)  # the installed model's own schema
    r = run("check", "--json", cwd=tmp_path / "p2")  # ./content.yaml by default
    assert r.returncode == 0, r.stderr
    report = json.loads(r.stdout)
    assert report["diagnostics"] == []
    assert [f for f in report["findings"] if f["severity"] == "warning"] == []
    assert not [f for f in report["findings"] if f["kind"] == "overset"]
    assert all(f["lines"] <= 3 for f in report["findings"] if f["kind"] == "underset")
    r = run("build", "--proof", "--json", cwd=tmp_path / "p2")
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["output"].endswith("p2-proof.pdf")
    text = content.read_text(encoding="utf-8")
    assert "ads:" in text and "湘江晚报" in text and "page: 7" in text


def test_init_refuses_an_existing_page(tmp_path):
    assert run("init", tmp_path / "p").returncode == 0
    r = run("init", tmp_path / "p")
    assert r.returncode == 2 and "exists already" in r.stderr


def test_preview_fonts_and_check_default_to_the_page_in_the_folder(tmp_path):
    assert run("init", tmp_path / "p3").returncode == 0
    page = tmp_path / "p3"
    r = run("preview", "--dpi", "10", cwd=page)
    assert r.returncode == 0, r.stderr
    png = Path(r.stdout.strip())
    assert png.exists() and png.parent == page / "output"  # this page, not the project's seed page
    r = run("fonts", cwd=page)
    assert r.returncode == 0 and "chars" in r.stdout and "body" in r.stdout, r.stderr
    assert run("fonts", "--roles", cwd=page).stdout.startswith("body")
    r = run("check", cwd=tmp_path)  # no content.yaml here
    assert r.returncode == 1 and "content.yaml: error: no such file" in r.stderr


def test_preview_fonts_and_check_take_an_edition(tmp_path):
    (tmp_path / "p1").mkdir()
    assert run("init", tmp_path / "p1").returncode == 0
    (tmp_path / "edition.yaml").write_text("paper: 示例日报\ndate: 2026-01-05\npages: [p1/content.yaml, p1/content.yaml]\n",
                                           encoding="utf-8")
    r = run("check", "edition.yaml", cwd=tmp_path)
    assert r.returncode == 0 and "2 of 2 pages checked" in r.stdout, r.stderr
    assert not (tmp_path / "output").exists()  # check writes nothing
    r = run("fonts", "edition.yaml", "--json", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert set(json.loads(r.stdout)) == {"1", "2"}
    r = run("preview", "edition.yaml", "-o", tmp_path / "pngs", "--dpi", "10", cwd=tmp_path)
    assert r.returncode == 0 and "error" not in r.stderr, r.stderr
    assert sorted(p.name for p in (tmp_path / "pngs").iterdir()) == ["p01-proof.png", "p02-proof.png"]


def test_misspellings_get_a_guess():
    r = run("biuld")
    assert r.returncode == 2 and "did you mean `broadsheet build`?" in r.stderr
    r = run("check", "--jsn")
    assert r.returncode == 2 and "`--jsn`: did you mean `--json`?" in r.stderr
    r = run("serve", "--prot", "8000")
    assert r.returncode == 2 and "did you mean `--port`?" in r.stderr


def test_colour_on_request_and_never_under_no_color(tmp_path):
    bad = tmp_path / "content.yaml"
    bad.write_text("folio: {paper: x, date: 2024-10-31, page: three}\n", encoding="utf-8")
    plain = run("check", cwd=tmp_path, env={**os.environ, "NO_COLOR": "1", "FORCE_COLOR": "1"})
    forced = run("check", cwd=tmp_path, env={k: v for k, v in {**os.environ, "FORCE_COLOR": "1"}.items() if k != "NO_COLOR"})
    assert plain.returncode == forced.returncode == 1
    assert "\033[" not in plain.stderr and "\033[1;31merror\033[0m" in forced.stderr


def test_short_diagnostics_for_problem_matchers(tmp_path):
    bad = tmp_path / "content.yaml"
    bad.write_text("page: {size: berliner}\nfolio: {paper: x, date: 2024-10-31, page: 3}\narticles:\n"
                   "  - id: a\n    frame: {column: 1，columns: 6, line: 1, lines: 60}\n", encoding="utf-8")
    r = run("check", "--diagnostic-format", "short", cwd=tmp_path)
    assert r.returncode == 1
    first = r.stderr.splitlines()[0]
    assert first.startswith("content.yaml:5:22: error: full-width comma '，'") and "[fullwidth-syntax]" in first


def test_an_output_that_would_overwrite_the_content_or_is_no_pdf_is_refused(tmp_path):
    """`-o` naming the content file itself overwrote the editor's copy with the PDF, and
    `-o page.png` wrote a PDF under a picture's name; nonsense resolutions and counts reached
    pdfium ("internal error"). All are usage errors (2), with a hint, and nothing is written."""
    page = tmp_path / "copy.yaml"
    text = (ROOT / "examples" / "english" / "content.yaml").read_text(encoding="utf-8")
    page.write_text(text, encoding="utf-8")
    r = run("build", str(page), "-o", str(page), "--proof")
    assert r.returncode == 2 and "overwrite" in r.stderr and "hint:" in r.stderr, r.stderr
    assert page.read_text(encoding="utf-8") == text
    r = run("build", str(page), "-o", str(tmp_path / "page.png"), "--proof")
    assert r.returncode == 2 and "broadsheet preview" in r.stderr and not (tmp_path / "page.png").exists()
    for args in (("preview", str(page), "--dpi", "0"), ("preview", str(page), "--dpi", "-5"),
                 ("build", str(page), "-j", "0")):
        r = run(*args)
        assert r.returncode == 2 and "out of range" in r.stderr and "Traceback" not in r.stderr, (args, r.stderr)


@pytest.mark.parametrize("magic, what", [(b"%PDF-1.7\n%\xe2\xe3\n", "a PDF"), (b"\x89PNG\r\n\x1a\n\0\0", "a PNG picture")])
def test_a_pdf_or_a_picture_given_as_the_page_is_named_as_such(tmp_path, magic, what):
    """Not "not valid UTF-8 ... convert it from GB18030": the file is named as what it is."""
    for name in ("page.yaml", "page.pdf"):
        f = tmp_path / name
        f.write_bytes(magic + b"\0" * 64)
        r = run("check", str(f))
        assert r.returncode == 1 and f"is {what}" in r.stderr and "GB18030" not in r.stderr, r.stderr


def test_a_failed_preview_says_it_wrote_no_picture(tmp_path):
    r = run("build", ROOT / "examples" / "english" / "content.yaml", "-o", tmp_path / "p.pdf", "--proof", "-q")
    assert r.returncode == 0, r.stderr
    r = run("preview", tmp_path / "p.pdf", "--page", "99", "-o", tmp_path / "p.png")
    assert r.returncode == 1 and "no picture written" in r.stderr and "PDF written" not in r.stderr, r.stderr
    assert not (tmp_path / "p.png").exists()
