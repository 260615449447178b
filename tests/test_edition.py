"""Editions: pages built in parallel, folios numbered from the list, a bad page reported alone."""

import shutil
import subprocess
import sys

import pdfplumber
import pikepdf


def _page_folder(tmp_path, root):
    folder = tmp_path / "ed"
    shutil.copytree(root / "images", folder / "images")
    (folder / "page.yaml").write_text((root / "content.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    return folder


def run(*args):
    return subprocess.run([sys.executable, "-m", "layout", *args], capture_output=True, text=True)


def test_edition_numbers_pages_and_combines(tmp_path, root):
    folder = _page_folder(tmp_path, root)
    (folder / "edition.yaml").write_text(
        "paper: 示例日报\ndate: 2025-01-06\nfirst_page: 5\ncombined: true\n"
        "pages:\n  - page.yaml\n  - {file: page.yaml, section: 要闻}\n  - page.yaml\n", encoding="utf-8")
    r = run("build", str(folder / "edition.yaml"), "--proof", "-j", "2")
    assert r.returncode == 0, r.stderr + r.stdout
    out = folder / "output" / "edition"
    files = sorted(out.glob("p*-proof.pdf"))
    assert [f.name for f in files] == ["p05-proof.pdf", "p06-proof.pdf", "p07-proof.pdf"]
    for f, no in zip(files, (5, 6, 7)):
        with pdfplumber.open(f) as pdf:
            text = pdf.pages[0].extract_text()
        assert f"{no:02d}" in text and "示例日报" in text and "2025年1月6日" in text and "星期一" in text
    with pdfplumber.open(files[1]) as pdf:
        assert "要闻" in pdf.pages[0].extract_text()
    with pikepdf.open(out / "edition-combined-proof.pdf") as pdf:
        assert len(pdf.pages) == 3


def test_bad_page_does_not_stop_the_others(tmp_path, root):
    folder = _page_folder(tmp_path, root)
    bad = (folder / "page.yaml").read_text(encoding="utf-8").replace("    byline:", "    bylin:")
    (folder / "bad.yaml").write_text(bad, encoding="utf-8")
    (folder / "edition.yaml").write_text("pages: [page.yaml, bad.yaml, page.yaml]\n", encoding="utf-8")
    r = run("build", str(folder / "edition.yaml"), "--proof", "--json")
    assert r.returncode == 1
    import json

    report = json.loads(r.stdout)
    assert [p["report"] is not None and p["report"]["ok"] for p in report["pages"]] == [True, False, True]
    assert "unknown key `bylin`" in report["pages"][1]["error"]
    assert [p["status"] for p in report["pages"]] == [0, 1, 0]
    assert (folder / "output" / "edition" / "p01-proof.pdf").exists()
    assert not (folder / "output" / "edition" / "p02-proof.pdf").exists()
    # quiet drops the summary, not why a page failed
    r = run("build", str(folder / "edition.yaml"), "--proof", "-q")
    assert r.returncode == 1 and r.stdout == ""
    assert "page 2 (" in r.stderr and "failed" in r.stderr and "unknown key `bylin`" in r.stderr, r.stderr


def test_missing_page_file_located(tmp_path):
    (tmp_path / "edition.yaml").write_text("pages:\n  - nope.yaml\n", encoding="utf-8")
    r = run("build", str(tmp_path / "edition.yaml"))
    assert r.returncode == 1
    assert "edition.yaml:2:5: error: page file 'nope.yaml' not found" in r.stderr
