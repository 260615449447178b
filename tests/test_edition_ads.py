"""An edition's booking list: every booked ad placed or reported with its reason, bad bookings
located in the list, the editor's frames checked against booked ads, and the other pages built
whatever one booking or one page gets wrong."""

import json
import shutil
import subprocess
import sys

import pdfplumber
from ads_support import make_ad

EDITION = """\
paper: 测试日报
date: 2024-11-08
pages:
  - {file: auto.yaml, section: 要闻}
  - {file: auto.yaml, section: 要闻}
  - {file: auto.yaml, section: 经济}
  - {file: manual.yaml, section: 经济}
  - {file: auto.yaml, section: 副刊, free: true}
"""

MANUAL = """\
folio: {paper: 测试日报, date: 2024-11-08, page: 4}
page: {size: berliner}
articles:
  - id: story
    frame: {column: 1, columns: 6, line: 1, lines: 50}
    headline: {text: 手工排版的稿件, size: 36pt}
    body: [这是一段测试正文，用来检查预订广告与编辑所画的框是否冲突。]
"""


def edition(tmp_path, root, bookings: str):
    folder = tmp_path / "ed"
    shutil.copytree(root / "examples" / "auto" / "images", folder / "images")
    (folder / "auto.yaml").write_text((root / "examples" / "auto" / "content.yaml").read_text(encoding="utf-8"),
                                      encoding="utf-8")
    (folder / "manual.yaml").write_text(MANUAL, encoding="utf-8")
    (folder / "ads").mkdir()
    make_ad(folder / "ads" / "bank.pdf", good=True, w_mm=80, h_mm=60)
    make_ad(folder / "ads" / "sale.pdf", good=False)
    shutil.copy(root / "images" / "factory-ba.jpg", folder / "ads" / "mall.jpg")
    (folder / "edition.yaml").write_text(EDITION, encoding="utf-8")
    (folder / "ads.yaml").write_text(bookings, encoding="utf-8")
    return folder


def run(*args):
    return subprocess.run([sys.executable, "-m", "layout", *args], capture_output=True, text=True)


BOOKINGS = """\
ads:
  - {id: bank, advertiser: 湘江银行, size: 2栏x30行, page: 3, file: ads/bank.pdf, category: bank}
  - {id: bank2, advertiser: 农商银行, size: 2栏x30行, page: 2, file: ads/bank.pdf, category: bank}
  - {id: mall, advertiser: 神农商场, size: 半通栏, section: 要闻, file: ads/mall.jpg}
  - {id: sale, advertiser: 某商店, size: 2栏x20行, page: 1, file: ads/sale.pdf}
  - {id: gone, advertiser: 某公司, size: 1/8版, section: 经济, file: ads/nope.pdf}
  - {id: sport, advertiser: 体育用品, size: 通栏, section: 体育, file: ads/mall.jpg}
  - {id: huge, advertiser: 大客户, size: 7栏x20行, section: 经济, file: ads/mall.jpg}
  - {id: free, advertiser: 某学校, size: 1/8版, page: 5, file: ads/mall.jpg}
  - {id: here, advertiser: 甲, size: 2x20, page: 4, at: {column: 1, line: 60}, file: ads/mall.jpg}
  - {id: there, advertiser: 乙, size: 2x20, page: 4, at: {column: 2, line: 70}, file: ads/mall.jpg}
"""


def test_every_booked_ad_is_placed_or_reported(tmp_path, root):
    folder = edition(tmp_path, root, BOOKINGS)
    r = run("build", str(folder / "edition.yaml"), "--json")
    assert r.returncode == 0, r.stderr
    report = json.loads(r.stdout)
    assert all(p["report"] is not None and p["report"]["ok"] for p in report["pages"])
    rows = {a["id"]: a for a in report["ads"]}
    assert len(rows) == 10
    status = {k: (a["status"], a["reason"]) for k, a in rows.items()}
    assert status == {
        "bank": ("placed", ""), "bank2": ("unplaced", "facing"), "mall": ("placed", ""),
        "sale": ("unplaced", "preflight"), "gone": ("unplaced", "file"), "sport": ("unplaced", "section"),
        "huge": ("unplaced", "size"), "free": ("unplaced", "free"), "here": ("placed", ""),
        "there": ("unplaced", "collision")}, status
    # the findings name the booking's line in ads.yaml
    found = {f["ad"]: f for f in report["findings"]}
    assert found["sale"]["where"]["line"] == 5 and "Helvetica" in found["sale"]["message"]
    assert found["there"]["where"]["line"] == 11 and "taken by ad 'here'" in found["there"]["message"]
    # placed ads are on their pages: the vector ad's text, on page 3's outer (right) edge
    assert rows["bank"]["page"] == 3 and rows["bank"]["frame"][0] + rows["bank"]["frame"][1] - 1 == 6
    page3 = next(p for p in report["pages"] if p["page"] == 3)["report"]
    assert any(a["id"] == "bank" and a["booked"] and a["kind"] == "pdf" for a in page3["ads"])
    with pdfplumber.open(page3["output"]) as pdf:
        assert "湘江银行理财" in pdf.pages[0].extract_text().replace(" ", "")
    page4 = next(p for p in report["pages"] if p["page"] == 4)["report"]
    assert [a["frame"] for a in page4["ads"] if a["id"] == "here"] == [[1, 2, 60, 20]]
    r = run("build", str(folder / "edition.yaml"), "--strict", "-q")
    assert r.returncode == 3


def test_proof_places_a_flagged_file_and_says_so(tmp_path, root):
    folder = edition(tmp_path, root, BOOKINGS)
    r = run("check", str(folder / "edition.yaml"), "--json")
    assert r.returncode == 0, r.stderr
    report = json.loads(r.stdout)
    rows = {a["id"]: a for a in report["ads"]}
    assert rows["sale"]["status"] == "unplaced"  # check composes as press: the file would not go to press
    r = run("build", str(folder / "edition.yaml"), "--proof", "--json")
    rows = {a["id"]: a for a in json.loads(r.stdout)["ads"]}
    assert rows["sale"]["status"] == "flagged" and rows["sale"]["page"] == 1
    r = run("build", str(folder / "edition.yaml"), "--proof")
    assert "ad 'sale': ads/sale.pdf is not ready for press: fonts not embedded: Helvetica" in r.stdout
    assert "ad not placed: 'gone' (某公司, 1/8版): its file 'ads/nope.pdf' is missing" in r.stdout


def test_an_editors_frame_across_a_booked_ad_is_located_and_the_other_pages_build(tmp_path, root):
    folder = edition(tmp_path, root, "ads:\n  - {id: strip, size: 通栏, page: 4, file: ads/mall.jpg}\n")
    (folder / "manual.yaml").write_text(MANUAL.replace("lines: 50", "lines: 90"), encoding="utf-8")
    r = run("build", str(folder / "edition.yaml"), "--proof")
    assert r.returncode == 1
    assert "page 4: FAILED" in r.stdout and "manual.yaml:5:12: error: article 'story' cuts across booked ad 'strip'" in r.stdout
    assert (folder / "output" / "edition" / "p03-proof.pdf").exists()


def test_a_bad_booking_list_is_located(tmp_path, root):
    folder = edition(tmp_path, root, "ads:\n  - {id: x, size: 通栏, fiel: ads/mall.jpg}\n")
    r = run("check", str(folder / "edition.yaml"))
    assert r.returncode == 1 and "ads.yaml:2:" in r.stderr and "fiel" in r.stderr
    (folder / "edition.yaml").write_text(EDITION + "ads: bookings.csv\n", encoding="utf-8")
    r = run("check", str(folder / "edition.yaml"))
    assert r.returncode == 1 and "edition.yaml:9:6: error: booking list 'bookings.csv' not found" in r.stderr


def test_each_page_tells_its_stages(tmp_path, root):
    from pathlib import Path

    from layout.build import BuildOptions
    from layout.edition import build_edition

    folder = edition(tmp_path, root, "ads:\n  - {id: mall, size: 通栏, page: 2, file: ads/mall.jpg}\n")
    heard: list = []
    report = build_edition(Path(folder / "edition.yaml"), BuildOptions(proof=True), workers=2,
                           on_stage=lambda page, stage: heard.append((page, stage)),
                           on_page=lambda outcome: heard.append((outcome.page, "done")))
    assert report.ok or all(p.report is not None for p in report.pages)
    for n in range(1, 6):
        stages = [s.split()[0] for p, s in heard if p == n]
        assert stages[0] == "waiting" and stages[-1] == "done", stages
        assert stages[1:-1] == ["reading", "composing", "preparing", "drawing"], stages


def test_the_preview_places_booked_ads_and_plans_again_when_the_list_changes(tmp_path, root):
    from layout.serve.session import Session

    folder = edition(tmp_path, root, "ads:\n  - {id: mall, size: 通栏, page: 2, file: ads/mall.jpg}\n")
    session = Session(folder / "edition.yaml")
    try:
        assert [a.id for a in session.targets[1].booked] == ["mall"] and not session.targets[0].booked
        (folder / "ads.yaml").write_text("ads:\n  - {id: mall, size: 通栏, page: 3, file: ads/mall.jpg}\n",
                                         encoding="utf-8")
        hit = session.affected({(folder / "ads.yaml").resolve()})
        assert len(hit) == 5 and [a.id for a in session.targets[2].booked] == ["mall"]
        session.build_now(session.targets[2:3])
        assert session.state()["pages"][2]["ads"] and session.state()["pages"][2]["ok"]
    finally:
        session.close()


def test_diff_of_records_names_overset_photos_and_ads():
    from layout.diff import compare_records

    old = {"digest": "a", "stories": {"main": {"box": [0, 0, 100, 100], "text": {"main:body[0]": "旧的正文"}}},
           "photos": {"main:photo:p": {"file": "images/a.jpg", "sha256": "1", "box": [0, 0, 10, 10]}},
           "ads": {"bank": {"box": [0, 200, 50, 50], "file": "ads/bank.pdf", "kind": "pdf", "booked": True}},
           "overset": {}, "underset": {}}
    new = {"digest": "b", "stories": {"main": {"box": [0, 0, 100, 100], "text": {"main:body[0]": "旧的正文"}},
                                      "side": {"box": [0, 120, 50, 50], "text": {"side:headline": "新稿"}}},
           "photos": {"main:photo:p": {"file": "images/b.jpg", "sha256": "2", "box": [0, 0, 10, 10]}},
           "ads": {"mall": {"box": [0, 300, 50, 50], "file": "ads/mall.jpg", "kind": "image", "booked": True}},
           "overset": {"main": 3}, "underset": {}}
    got = {(c.what, c.story) for c in compare_records(old, new)}
    assert got == {("story-added", "side"), ("photo-replaced", "main"), ("overset", "main"),
                   ("ad-removed", "ad:bank"), ("ad-added", "ad:mall")}
    assert compare_records(old, old) == []


def test_plan_refuses_a_page(tmp_path, root):
    r = run("plan", str(root / "content.yaml"))
    assert r.returncode == 2 and "is a page, not an edition" in r.stderr
    r = run("diff", str(tmp_path / "nope"), str(tmp_path))
    assert r.returncode == 2 and "no such file" in r.stderr
