"""`broadsheet serve` in a real browser (Debian's chromium driven by Playwright): the page appears,
an edit on disk shows without a reload, the overlays are the display list's, a click on a story
shows its findings and its place in content.yaml, an edition shows its flatplan."""

from __future__ import annotations

import time

import pytest
from PIL import Image

from layout.build import BuildOptions, display_list
from serve_support import chromium, served

from playwright import sync_api as playwright  # (the test extras: make setup; a missing one fails, never skips)


@pytest.fixture(scope="module")
def browser():
    with playwright.sync_playwright() as p:
        b = p.chromium.launch(executable_path=chromium(), args=["--no-sandbox", "--disable-gpu"])
        yield b
        b.close()


def _version(page) -> int:
    return int(page.evaluate("document.body.dataset.version || 0"))


def test_the_page_its_overlays_an_edit_and_a_click(browser, seed_copy, tmp_path):
    small = seed_copy / "images" / "factory-ba.jpg"  # a photo too small for its frame: a low-resolution badge
    Image.open(small).resize((160, 100)).save(small)
    content = seed_copy / "content.yaml"
    with served(str(content)) as url:
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.goto(url)
        page.wait_for_function("document.body.dataset.version > 0", timeout=60_000)
        loaded = page.evaluate("[...document.querySelectorAll('#tiles img')].filter(i => i.naturalWidth > 0).length")
        assert loaded > 0  # the page's picture is there
        page.screenshot(path=str(tmp_path / "page.png"))

        # the overlays are the display list's
        guides = display_list(content, BuildOptions(proof=True, guides=True)).guides
        modules = [g for g in guides if g.role == "guide-module"]
        assert page.locator("#overlay .module").count() == len(modules)
        columns = [g for g in guides if g.role == "guide-column"]
        assert page.locator("#overlay .column").count() == len(columns)
        assert page.locator("#overlay .baseline").count() == sum(g.role == "guide-baseline" for g in guides)
        main = page.locator('#overlay .story[data-story="main"]')
        box = [float(main.get_attribute(k)) for k in ("x", "y", "width", "height")]
        frame = modules[0]  # the first module is the first article's frame
        assert box == pytest.approx([frame.x, frame.y, frame.w, frame.h], abs=0.01)
        first = [float(page.locator("#overlay .column").nth(0).get_attribute(k)) for k in ("x", "width")]
        assert first == pytest.approx([columns[0].x, columns[0].w], abs=0.01)
        low = page.locator("#overlay .photo-frame.low")
        assert low.count() == 1 and low.get_attribute("data-file") == "images/factory-ba.jpg"
        assert "ppi: low resolution" in page.locator("#overlay .badge.low").text_content()
        badge = page.locator('#overlay .badge.fit[data-story="main"]')
        assert "room for ~" in badge.text_content() and "chars" in badge.text_content()

        # a click on a story: its findings, its place in content.yaml
        main.click(position={"x": 60, "y": 300})
        page.wait_for_selector("#story:not([hidden])")
        assert page.locator("#story-title").inner_text() == "article main"
        findings = page.locator("#story-findings").inner_text()
        assert "underset: article 'main'" in findings and "more characters" in findings
        assert "low resolution" not in findings or "factory-ba" in findings
        href = page.locator("#open-vscode").get_attribute("href")
        assert href.startswith(f"vscode://file{content.resolve()}:")
        line = int(href.rsplit(":", 2)[1])
        assert page.locator("#overlay .clicked").count() == 1  # the line of text clicked on, and its own place:
        assert "the clicked line's text is at content.yaml:" in page.locator("#story-source").inner_text()
        written = content.read_text(encoding="utf-8").splitlines()[line - 1].strip()
        assert written.startswith("- ") and "id:" not in written  # a body paragraph, not the story's first line
        page.screenshot(path=str(tmp_path / "clicked.png"))

        # an edit on disk shows, without a reload
        before = _version(page)
        text = content.read_text(encoding="utf-8")
        t0 = time.monotonic()
        content.write_text(text.replace("实力高新　出圈有道", "实力高新　再出圈", 1), encoding="utf-8")
        page.wait_for_function(f"document.body.dataset.version > {before}", timeout=30_000)
        seconds = time.monotonic() - t0
        print(f"\nserve: an edit on disk shown in the browser after {seconds * 1000:.0f} ms")
        assert page.locator("#status").get_attribute("data-state") in ("ok", "warn")

        # a bad save: the errors over the last good page
        content.write_text(text.replace("    byline:", "    bylin:", 1), encoding="utf-8")
        page.wait_for_selector("#errors:not([hidden])", timeout=30_000)
        assert "unknown key `bylin`" in page.locator("#errors").inner_text()
        assert page.locator("#status").get_attribute("data-state") == "error"
        page.close()


def test_an_editions_flatplan(browser, seed_copy, tmp_path):
    (seed_copy / "edition.yaml").write_text(
        "paper: 株洲日报\ndate: 2024-10-31\npages:\n  - content.yaml\n  - {file: content.yaml, section: 要闻}\n"
        "  - content.yaml\n", encoding="utf-8")
    with served(str(seed_copy / "edition.yaml")) as url:
        page = browser.new_page(viewport={"width": 1200, "height": 900})
        page.goto(url)
        page.wait_for_function("document.querySelectorAll('.thumb img').length === 3 && "
                               "[...document.querySelectorAll('.thumb img')].every(i => i.naturalWidth > 0)",
                               timeout=120_000)
        assert page.locator(".spread").count() == 2  # page 1 alone, then 2-3
        assert page.locator(".thumb svg rect").count() == 3  # each page's ad
        assert "要闻" in page.locator('.thumb[data-page="2"]').inner_text()
        page.screenshot(path=str(tmp_path / "flatplan.png"))
        page.locator('.thumb[data-page="2"]').click()
        page.wait_for_function("document.body.dataset.version > 0", timeout=60_000)
        assert page.locator("#page-number").inner_text().strip() == "p2"
        page.close()
