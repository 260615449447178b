"""The e-paper in a real browser (Debian's chromium driven by Playwright, never a browser of
Playwright's own): the example edition opened from file://, every page loading without a
console error or a failed request, every picture shown with its alt text; a click on a story's
region opens that story (with JavaScript off too: regions are plain links), a region lights up
under the pointer; the test edition served over HTTP on the loopback, where a click in a
stepped module's notch opens the story there and not the L's, and a continuation's region
opens its story where the page takes it up. Screenshots are kept (the path is printed; set
BROADSHEET_SCREENSHOTS to keep them in a folder of your own)."""

from __future__ import annotations

import contextlib
import functools
import http.server
import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from epaper_support import ROOT, epaper_site  # noqa: F401 - the session's site
from serve_support import chromium

from playwright import sync_api as playwright  # (the test extras: make setup; a missing one fails, never skips)


@pytest.fixture(scope="module")
def browser():
    with playwright.sync_playwright() as p:
        b = p.chromium.launch(executable_path=chromium(), args=["--no-sandbox", "--disable-gpu"])
        yield b
        b.close()


@pytest.fixture(scope="module")
def example_site(tmp_path_factory):
    """The README's command: the example edition's e-paper."""
    out = tmp_path_factory.mktemp("example") / "site"
    r = subprocess.run([sys.executable, "-m", "layout", "epaper", "examples/edition/edition.yaml", "-o", str(out)],
                       capture_output=True, text=True, cwd=ROOT)
    assert r.returncode == 0, r.stderr
    return out


@pytest.fixture(scope="module")
def shots(tmp_path_factory):
    folder = Path(os.environ["BROADSHEET_SCREENSHOTS"]) if os.environ.get("BROADSHEET_SCREENSHOTS") else \
        tmp_path_factory.mktemp("screenshots")
    folder.mkdir(parents=True, exist_ok=True)
    print(f"\ne-paper screenshots: {folder}")
    return folder


def _open(page, url: str) -> list[str]:
    """Go to ``url``; the console errors, page errors and failed requests seen until every
    picture is decoded."""
    problems: list[str] = []
    page.on("console", lambda m: problems.append(f"console {m.type}: {m.text}") if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
    page.on("requestfailed", lambda r: problems.append(f"failed: {r.url} {r.failure}"))
    page.goto(url)
    page.wait_for_load_state("load")
    page.evaluate("Promise.all([...document.images].map(i => i.decode()))")
    return problems


#: the story whose region is at a point of the page (in points from the trim's top-left), scrolled into view
STORY_AT = """([x, y]) => {
  const svg = document.querySelector('svg.regions'), vb = svg.viewBox.baseVal;
  let r = svg.getBoundingClientRect();
  window.scrollBy(0, r.top + y * r.height / vb.height - innerHeight / 2);
  r = svg.getBoundingClientRect();
  const el = document.elementFromPoint(r.left + x * r.width / vb.width, r.top + y * r.height / vb.height);
  const a = el && el.closest('a');
  return a ? a.dataset.story : '';
}"""


def _story_at(page, x: float, y: float) -> str:
    return page.evaluate(STORY_AT, [x, y])


def _html_files(site: Path) -> list[Path]:
    return [site / "index.html", *sorted((site / "pages").glob("*.html")), *sorted((site / "stories").glob("*.html"))]


def test_every_page_of_the_example_edition_loads_with_its_pictures_and_alt_text(browser, example_site, shots):
    files = _html_files(example_site)
    assert len(files) == 1 + 24 + 36
    assert (example_site / "stories" / "p01-main.html").is_file()
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    for path in files:
        problems = _open(page, path.as_uri())
        assert problems == [], (path.name, problems)
        pictures = page.evaluate("[...document.images].map(i => [i.currentSrc, i.naturalWidth, i.alt])")
        assert pictures or path.parent.name == "stories", path.name
        for src, width, alt in pictures:
            assert width > 0, (path.name, src)
            assert alt.strip(), (path.name, src)
        assert page.evaluate("document.documentElement.lang") == "zh-Hans"
    page.goto((example_site / "index.html").as_uri())
    page.evaluate("Promise.all([...document.images].map(i => i.decode()))")
    page.screenshot(path=str(shots / "index.png"), full_page=True)
    page.close()


def test_a_click_on_a_story_region_opens_the_story(browser, example_site, shots):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    assert _open(page, (example_site / "pages" / "p01.html").as_uri()) == []
    region = page.locator('svg.regions a[data-story="p01-main"]')
    assert region.count() == 1
    polygon = region.locator("path")
    before = polygon.evaluate("p => getComputedStyle(p).fill")
    region.hover(position={"x": 200, "y": 400})
    lit = polygon.evaluate("p => getComputedStyle(p).fill")
    assert lit != before and lit != "rgba(0, 0, 0, 0)"  # the region lights up under the pointer
    page.screenshot(path=str(shots / "page-hover.png"))
    assert _story_at(page, 900, 1000) == ""  # the ad set into the story's frame is not the story's
    assert _story_at(page, 200, 400) == "p01-main"
    region.click(position={"x": 200, "y": 400})
    page.wait_for_url("**/stories/p01-main.html")
    assert page.locator("main article h1").inner_text() == "实力高新　出圈有道"
    assert page.locator("main article").get_attribute("lang") == "zh-Hans"
    page.evaluate("Promise.all([...document.images].map(i => i.decode()))")
    page.screenshot(path=str(shots / "story.png"), full_page=True)
    # back to the page through the story's navigation, on to the next page
    page.get_by_role("link", name="返回第1版").click()
    page.wait_for_url("**/pages/p01.html")
    page.get_by_role("link", name="下一版").click()
    page.wait_for_url("**/pages/p02.html")
    page.close()


def test_regions_are_plain_links_without_javascript(browser, example_site):
    context = browser.new_context(java_script_enabled=False, viewport={"width": 1000, "height": 800})
    page = context.new_page()
    page.goto((example_site / "pages" / "p02.html").as_uri())
    region = page.locator("svg.regions a").first
    key = region.get_attribute("data-story")
    region.click()
    page.wait_for_url(f"**/stories/{key}.html")
    assert page.locator("main article h1").inner_text()
    context.close()


@contextlib.contextmanager
def _http(folder: Path):
    """The site served on 127.0.0.1 (a free port) for the test's length."""
    class Handler(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    class Quiet(http.server.ThreadingHTTPServer):
        def handle_error(self, request, client_address):  # (a browser closing a connection early)
            pass

    server = Quiet(("127.0.0.1", 0), functools.partial(Handler, directory=str(folder)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def test_stepped_modules_continuations_and_languages_over_http(browser, epaper_site, shots):
    out = epaper_site["out"]
    with _http(out) as url:
        page = browser.new_page(viewport={"width": 1280, "height": 1000})
        for path in _html_files(out):
            rel = path.relative_to(out).as_posix()
            assert _open(page, f"{url}/{rel}") == [], rel
        # the stepped page: a click in the L opens the lead, one in its notch the story there
        assert _open(page, f"{url}/pages/p05.html") == []
        page.screenshot(path=str(shots / "stepped.png"))
        assert _story_at(page, 200, 300) == "p05-lead"  # the top of the L
        assert _story_at(page, 600, 600) == "p05-brief"  # the notch beside its foot holds the brief
        assert _story_at(page, 200, 600) == "p05-lead"  # the L's foot
        page.locator('svg.regions a[data-story="p05-brief"]').click()
        page.wait_for_url("**/stories/p05-brief.html")
        # a continuation's region opens its story where page 3 takes it up
        assert _open(page, f"{url}/pages/p03.html") == []
        page.locator('svg.regions a[data-story="p01-main"]').click(position={"x": 100, "y": 200})
        page.wait_for_url("**/stories/p01-main.html#page-3")
        jump = page.locator("#page-3")
        assert jump.inner_text() == "（下转第3版）"
        assert jump.evaluate("e => { const r = e.getBoundingClientRect(); return r.top >= 0 && r.top < innerHeight }")
        page.screenshot(path=str(shots / "continued.png"))
        # each story in its page's language: English and Traditional Chinese
        _open(page, f"{url}/stories/p02-library.html")
        assert page.locator("main article").get_attribute("lang") == "en"
        taiwan = next((out / "stories").glob("p06-*.html")).name
        _open(page, f"{url}/stories/{taiwan}")
        assert page.locator("main article").get_attribute("lang") == "zh-Hant"
        page.screenshot(path=str(shots / "traditional.png"), full_page=True)
        # the missing page: in the index, not a link
        _open(page, f"{url}/index.html")
        assert page.locator('li.missing[data-page="4"]').count() == 1
        assert page.locator('li.missing[data-page="4"] a').count() == 0
        page.close()
