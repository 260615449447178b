"""The sample edition examples/night/: twelve pages built as the press takes them with every booked
ad placed or reported, its flatplan, and `broadsheet diff` between two builds that differ in one
paragraph (exactly that page and that story) and between two identical builds (nothing)."""

import json
import shutil
import subprocess
import sys

import pikepdf
import pytest
from PIL import Image


def run(*args, cwd=None):
    return subprocess.run([sys.executable, "-m", "layout", *args], capture_output=True, text=True, cwd=cwd)


@pytest.fixture(scope="module")
def press(root, tmp_path_factory):
    """The night edition built once for press (PDF/X, ad files preflighted), with its report."""
    out = tmp_path_factory.mktemp("night") / "press"
    r = run("build", str(root / "examples" / "night" / "edition.yaml"), "-o", str(out), "--json")
    assert r.returncode == 0, r.stderr + r.stdout[-3000:]
    return out, json.loads(r.stdout)


def test_the_edition_builds_with_every_booked_ad_placed_or_reported(press, root):
    out, report = press
    pages = report["pages"]
    assert len(pages) == 12 and [p["page"] for p in pages] == list(range(1, 13))
    assert all(p["report"] is not None and p["report"]["ok"] for p in pages)
    assert not [p["page"] for p in pages if p["report"]["findings"] and
                any(f["kind"] in ("overset", "low-resolution", "ad-file") for f in p["report"]["findings"])]
    sections = [p["report"]["section"] for p in pages]
    assert sections[0] == "要闻" and sections[6] == "广告" and sections[9] == "副刊·宪法"
    ads = {a["id"]: a for a in report["ads"]}
    assert len(ads) >= 8 and len({a["size"] for a in ads.values()}) >= 6
    assert all(a["status"] in ("placed", "unplaced") for a in ads.values())
    unplaced = [a for a in ads.values() if a["status"] == "unplaced"]
    assert [a["id"] for a in unplaced] == ["late-sale"] and unplaced[0]["reason"] == "free"
    assert [f["ad"] for f in report["findings"]] == ["late-sale"]
    # every placed ad is on its page, as the page's report says
    on_pages = {(p["page"], a["id"]) for p in pages for a in p["report"]["ads"] if a["booked"]}
    assert on_pages == {(a["page"], a["id"]) for a in ads.values() if a["status"] == "placed"}
    # the rules: ears beside the masthead, the full page alone, the pyramid at the outer edge
    assert ads["ear-bank"]["page"] == 1 and ads["ear-bank"]["frame"][:3] == [1, 2, 1]
    assert ads["ear-telecom"]["frame"][0] + ads["ear-telecom"]["frame"][1] - 1 == 8
    assert ads["homes"]["page"] == 7 and ads["homes"]["frame"] == [1, 8, 1, 116]
    assert ads["cars"]["page"] == 4 and ads["cars"]["frame"] == [1, 4, 59, 58]  # an even page: the left
    files = sorted(f.name for f in out.glob("p*.pdf"))
    assert files == [f"p{n:02d}.pdf" for n in range(1, 13)]


def test_pdf_ads_go_to_press_as_vector(press):
    out, report = press
    with pikepdf.open(out / "p07.pdf") as pdf:  # the full-page ad: a form XObject, no picture
        xobjects = pdf.pages[0].obj.Resources.XObject
        forms = [x for x in xobjects.values() if x.Subtype == "/Form"]
        assert len(forms) == 1 and not [x for x in xobjects.values() if x.Subtype == "/Image"]
        assert any("LXGWWenKai" in str(f.BaseFont) for f in forms[0].Resources.Font.values())
        assert "/GTS_PDFX" in [str(i.S) for i in pdf.Root.OutputIntents]
    r = run("preflight", str(out / "p07.pdf"), "--json")
    checks = {c["name"]: c["status"] for c in json.loads(r.stdout)["checks"]}
    assert checks["fonts embedded"] == "pass" and checks["colour"] == "pass" and checks["PDF/X-4 rules"] == "pass"


def test_the_flatplan_shows_the_edition(root, tmp_path):
    target = tmp_path / "night.png"
    r = run("plan", str(root / "examples" / "night" / "edition.yaml"), "-o", str(target), "--json")
    assert r.returncode == 0, r.stderr
    report = json.loads(r.stdout)
    assert report["flatplan"] == {"png": str(target), "pdf": str(target.with_suffix(".pdf"))}
    with Image.open(target) as im:
        assert im.width > 1500 and im.height > 900
        colours = im.convert("RGB").resize((200, 120)).getcolors(20000)
    assert len(colours) > 500  # thumbnails, not a blank sheet
    import pdfplumber

    with pdfplumber.open(target.with_suffix(".pdf")) as pdf:
        text = pdf.pages[0].extract_text()
    for word in ("株洲日报", "2024-11-09", "要闻", "副刊·宪法", "late-sale", "closed to ads", "ear-bank", "homes",
                 "underset"):
        assert word in text, word
    for n in range(1, 13):
        assert f"{n:02d}" in text


def _night_copy(root, tmp_path):
    """examples/night in a folder of its own (every page and ad of it lies in its folder)."""
    folder = tmp_path / "night"
    shutil.copytree(root / "examples" / "night", folder, ignore=shutil.ignore_patterns("output"))
    return folder


def test_diff_names_the_page_and_the_story_that_changed(root, tmp_path):
    folder = _night_copy(root, tmp_path)
    a, b, c = tmp_path / "2200", tmp_path / "2200-again", tmp_path / "2330"
    for out in (a, b):
        r = run("build", str(folder / "edition.yaml"), "--proof", "-o", str(out), "-q")
        assert r.returncode == 0, r.stderr
    r = run("diff", str(a), str(b))
    assert r.returncode == 0 and r.stdout == "", r.stdout + r.stderr  # two identical builds: nothing
    page = folder / "p03.yaml"
    text = page.read_text(encoding="utf-8")
    old = "截至目前，全区拥有省级以上专精特新企业186家"
    assert old in text
    page.write_text(text.replace(old, "截至11月8日，全区拥有省级以上专精特新企业188家"), encoding="utf-8")
    r = run("build", str(folder / "edition.yaml"), "--proof", "-o", str(c), "-q")
    assert r.returncode == 0, r.stderr
    r = run("diff", str(a), str(c), "-o", str(tmp_path / "pictures"), "--json")
    assert r.returncode == 1, r.stderr
    report = json.loads(r.stdout)
    assert [p["page"] for p in report["changed"]] == [3] and report["basis"] == "records"
    changes = report["changed"][0]["changes"]
    assert {ch["story"] for ch in changes} == {"brief"}
    text = [ch for ch in changes if ch["what"] == "text"][0]
    assert "11月8日" in "".join(text["added"]) and "8" in "".join(text["added"])
    assert "目前" in "".join(text["removed"])
    picture = tmp_path / "pictures" / "diff-p03.png"
    assert report["changed"][0]["picture"] == str(picture) and picture.exists()
    with Image.open(picture) as im:
        data = im.convert("RGB").tobytes()
    red = sum(1 for i in range(0, len(data), 3) if data[i] > 200 and data[i + 1] < 40 and data[i + 2] < 40)
    assert red > 100  # the changed lines are outlined
    r = run("diff", str(a), str(c))
    assert "page 3: changed" in r.stdout and "story 'brief': text changed" in r.stdout and "+ " in r.stdout
    # the same comparison from the PDFs alone (no records): the page, and the text added
    r = run("diff", str(a / "p03-proof.pdf"), str(c / "p03-proof.pdf"), "--no-pictures")
    assert r.returncode == 1 and "text changed" in r.stdout and "11月8日" in r.stdout
    r = run("diff", str(a / "p02-proof.pdf"), str(c / "p02-proof.pdf"))
    assert r.returncode == 0 and r.stdout == ""
