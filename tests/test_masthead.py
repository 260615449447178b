"""A front page's nameplate (报头): the paper's name set large in its module, the date line under
it; the ears beside it hold ads, on a hand-placed page and on an automatic one."""

import shutil

import pdfplumber

from layout.build import BuildOptions, build, display_list

FRONT = """\
folio: {paper: 株洲日报, date: 2024-11-08, page: 1, show: false}
masthead: {frame: {column: 3, columns: 4, line: 1, lines: 14}, lines: [国内统一刊号 CN43-0001, 今日12版]}
PLACE
articles:
  - id: a
    FRAME
    headline: {text: 头版头条新闻标题, size: 40pt}
    body: [这是一段测试正文，说明头版的报头和报眼。]
ads:
  - {kind: image, id: ear-l, frame: {column: 1, columns: 2, line: 1, lines: 14}, file: images/factory-ba.jpg}
  - {kind: image, id: ear-r, frame: {column: 7, columns: 2, line: 1, lines: 14}, file: images/power-valley.jpg}
"""


def write(tmp_path, root, *, auto: bool):
    shutil.copytree(root / "images", tmp_path / "images")
    text = FRONT.replace("PLACE", "place: auto" if auto else "").replace(
        "FRAME", "" if auto else "frame: {column: 1, columns: 8, line: 15, lines: 100}")
    (tmp_path / "front.yaml").write_text(text, encoding="utf-8")
    return tmp_path / "front.yaml"


def test_the_nameplate_is_set_large_with_its_date_line(tmp_path, root):
    page = display_list(write(tmp_path, root, auto=False), BuildOptions(proof=True))
    title = [it for it in page.items if getattr(it, "role", "") == "masthead-title"]
    assert title and "".join(t.text for t in title) == "株洲日报" and title[0].size > 60
    info = "".join(it.text for it in page.items if getattr(it, "role", "") == "masthead-info")
    assert "2024年11月8日" in info and "星期五" in info and "今日12版" in info
    assert not [it for it in page.items if getattr(it, "role", "").startswith("folio")]


def test_the_ears_stay_beside_the_nameplate_on_an_automatic_page(tmp_path, root):
    file = write(tmp_path, root, auto=True)
    report = build(file, BuildOptions(proof=True, output=tmp_path / "front.pdf"))
    assert report.ok and report.layout is not None
    page = display_list(file, BuildOptions(proof=True))
    ears = {it.source: it for it in page.items if getattr(it, "source", "").startswith("ad:ear")}
    title = next(it for it in page.items if getattr(it, "role", "") == "masthead-title")
    assert ears["ad:ear-l"].x < title.x < ears["ad:ear-r"].x
    assert abs(ears["ad:ear-l"].y - ears["ad:ear-r"].y) < 0.01
    head = next(it for it in page.items if getattr(it, "role", "") == "headline")
    assert head.y > ears["ad:ear-l"].y + ears["ad:ear-l"].h  # the story starts under the band
    with pdfplumber.open(tmp_path / "front.pdf") as pdf:
        assert "株洲日报" in pdf.pages[0].extract_text().replace(" ", "")


def test_a_story_over_the_nameplate_is_located(tmp_path, root):
    file = write(tmp_path, root, auto=False)
    file.write_text(file.read_text(encoding="utf-8").replace("line: 15, lines: 100", "line: 10, lines: 100"),
                    encoding="utf-8")
    import subprocess
    import sys

    r = subprocess.run([sys.executable, "-m", "layout", "check", str(file)], capture_output=True, text=True)
    assert r.returncode == 1 and "the masthead overlaps article 'a'" in r.stderr
