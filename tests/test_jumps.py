"""Stories continued on another page (转版): a jump line where the text is cut, the rest opening
the continuation with （上接第N版）, and no character lost or repeated between the two."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys

import pdfplumber
import pytest
import yaml

from conftest import findings

PY = sys.executable

CONT = """
folio: {paper: 株洲日报, date: 2024-10-31, page: 7}
articles:
  - id: cont
    frame: {column: 1, columns: 4, line: 1, lines: 116}
    headline: {text: 实力高新　出圈有道, size: 30pt, align: left}
    continued_from: {file: p01.yaml, article: main, page: 3}
    body: []
"""


@pytest.fixture(scope="module")
def pages(tmp_path_factory, root):
    folder = tmp_path_factory.mktemp("jump")
    shutil.copytree(root / "images", folder / "images")
    seed = (root / "content.yaml").read_text(encoding="utf-8")
    # the 厂BA photo grows, so the story no longer fits: it jumps to page 7
    seed = seed.replace("frame: {column: 3, columns: 3, line: 73, lines: 23}", "frame: {column: 3, columns: 3, line: 63, lines: 33}")
    seed = seed.replace("    byline:", "    jump_to: 7\n    byline:", 1)
    (folder / "p01.yaml").write_text(seed, encoding="utf-8")
    (folder / "p07.yaml").write_text(CONT, encoding="utf-8")
    out = {}
    for name in ("p01", "p07"):
        r = subprocess.run([PY, "-m", "layout", "build", str(folder / f"{name}.yaml"), "-o", str(folder / f"{name}.pdf"),
                            "--proof", "--json"], capture_output=True, text=True)
        assert r.returncode == 0, r.stderr
        out[name] = (folder / f"{name}.pdf", json.loads(r.stdout))
    return folder, out


def _body_text(pdf_path, col_chars=13):
    with pdfplumber.open(pdf_path) as pdf:
        page = pdf.pages[0]
        chars = [c for c in page.chars if abs(c["size"] - 9.0) < 0.01 and "NotoSerifCJKsc-Regular" in c["fontname"]]
        x0 = min(c["x0"] for c in chars)
        step = (col_chars + 1) * 9.0
        chars.sort(key=lambda c: (int((c["x0"] - x0 + 4.5) // step), round(c["top"], 1), c["x0"]))
        return "".join(c["text"] for c in chars), page.extract_text()


def test_source_page_ends_with_a_jump_line(pages):
    folder, out = pages
    _, report = out["p01"]
    assert findings(report, "overset") == []
    assert [j["to_page"] for j in findings(report, "jump")] == [7]
    _, text = _body_text(out["p01"][0])
    assert "（下转第7版）" in text


def test_continuation_holds_exactly_the_rest(pages, root):
    folder, out = pages
    first, _ = _body_text(out["p01"][0])
    rest, text = _body_text(out["p07"][0], col_chars=13)
    assert "（上接第3版）" in text
    body = "".join(b for b in yaml.safe_load((folder / "p01.yaml").read_text(encoding="utf-8"))["articles"][0]["body"]
                   if isinstance(b, str))
    squash = lambda s: re.sub(r"\s+", "", s)  # noqa: E731
    assert squash(first) + squash(rest) == squash(body)
    assert findings(out["p07"][1], "overset") == []


def test_continuation_naming_a_missing_article(tmp_path, pages):
    folder, _ = pages
    (folder / "bad.yaml").write_text(CONT.replace("article: main", "article: nope"), encoding="utf-8")
    r = subprocess.run([PY, "-m", "layout", "build", str(folder / "bad.yaml"), "-o", str(tmp_path / "x.pdf")],
                       capture_output=True, text=True)
    assert r.returncode == 1
    assert "has no article 'nope'" in r.stderr and "its articles: main" in r.stderr


def test_continuation_of_an_auto_page(tmp_path, root):
    """The page a story starts on may be laid out by the engine (place: auto): its frames come
    from the layout, so the continuation composes it the same way to find the cut."""
    folder = tmp_path / "auto"
    shutil.copytree(root / "examples" / "auto", folder, ignore=shutil.ignore_patterns("output"))
    src = yaml.safe_load((folder / "content.yaml").read_text(encoding="utf-8"))
    art = src["articles"][1]
    art["jump_to"] = 6
    (folder / "p05.yaml").write_text(yaml.safe_dump(src, allow_unicode=True), encoding="utf-8")
    cont = CONT.replace("p01.yaml", "p05.yaml").replace("article: main", f"article: {art['id']}").replace("page: 3}", "page: 5}")
    (folder / "p06.yaml").write_text(cont, encoding="utf-8")
    r = subprocess.run([PY, "-m", "layout", "check", str(folder / "p06.yaml"), "--json"], capture_output=True, text=True)
    assert r.returncode == 0, r.stdout + r.stderr
    assert "has no frame" not in r.stdout + r.stderr
