"""`broadsheet epaper`: the site's files, its HTML (parsed as browsers parse it, with every parse
error a failure; landmarks, headings in order, alt text, languages, links that resolve), the
regions against the display list, stories with their text as the page set it, a story that
jumps joined to its continuation, a page that fails listed as missing, nothing written outside
the site's folder, and the JSON index against its schema. The browser tests are in
test_epaper_browser.py."""

from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import unquote, urlparse

import html5lib
import jsonschema
import pytest

from epaper_support import epaper_site  # noqa: F401 - the session's site
from layout.build import BuildOptions, composed
from layout.epaper.index import index_schema


@pytest.fixture()
def site(epaper_site):
    return epaper_site


def _index(site) -> dict:
    return json.loads((site["out"] / "index.json").read_text(encoding="utf-8"))


def test_the_site_is_written_and_the_failed_page_listed_as_missing(site):
    r = site["run"]
    assert r.returncode == 1, r.stderr  # a page failed: said, with its diagnostic, and the rest written
    assert "unknown key `bylin`" in r.stderr and "page 4: MISSING" in r.stderr
    out = site["out"]
    index = _index(site)
    assert [p["page"] for p in index["pages"]] == [1, 2, 3, 4, 5, 6]
    assert index["missing"] == [4]
    missing = index["pages"][3]
    assert missing["status"] == "missing" and "unknown key `bylin`" in missing["error"]
    assert str(site["edition"].parent) not in missing["error"]  # no machine's folders in the published index
    assert "本版未能生成" in (out / "index.html").read_text(encoding="utf-8")
    for p in index["pages"]:
        if p["status"] != "ok":
            assert not (out / "pages" / f"p{p['page']:02d}.html").exists()
            continue
        for key in ("html", "pdf"):
            assert (out / p[key]).is_file()
        assert [i["width"] for i in p["images"]] == [640, 1280, 1920]
        for img in p["images"] + [p["thumbnail"]]:
            assert (out / img["webp"]).read_bytes()[8:12] == b"WEBP"
            assert (out / img["jpeg"]).read_bytes()[:3] == b"\xff\xd8\xff"


def test_nothing_is_written_outside_the_sites_folder(site):
    assert site["before"] == site["after"]  # the pages' folders as they were: no output/, no stray files
    assert not (site["edition"].parent / "output").exists()


def test_no_published_text_file_names_the_machines_folders(site):
    folder = str(site["edition"].parent)
    texts = [f for f in site["out"].rglob("*") if f.suffix in (".html", ".json", ".css", ".js", ".svg")]
    assert texts
    assert not [f.name for f in texts if folder in f.read_text(encoding="utf-8")]  # (the build's records stay out)


def test_the_index_follows_its_schema(site):
    jsonschema.validate(_index(site), index_schema())


def test_regions_are_the_stories_modules(site):
    """A region is its story's module as the proof's guides outline it: a stepped module's L has
    six corners; a plain one is its frame on the grid."""
    index = _index(site)
    pages = {p["page"]: p for p in index["pages"]}
    stepped = pages[5]
    lead = next(r for r in stepped["regions"] if r["id"] == "lead")
    assert len(lead["points"]) == 6 and lead["href"] == "stories/p05-lead.html"
    guides = composed(site["edition"].parent / "stepped" / "content.yaml",
                      BuildOptions(proof=True, guides=True, folio={"page": 5, "paper": "株洲日报"})).page.guides
    outlines = [[list(map(lambda v: round(v, 2), pt)) for pt in g.points] for g in guides
                if g.role == "guide-module" and hasattr(g, "points")]
    assert lead["points"] in outlines
    ad = next(r for r in stepped["regions"] if r["kind"] == "ad")
    assert ad["href"] == "" and len(ad["points"]) == 4
    # the continuation's region opens its story where page 3 takes it up
    cont = next(r for r in pages[3]["regions"] if r["id"] == "cont")
    assert cont["kind"] == "continuation" and cont["href"] == "stories/p01-main.html#page-3"


def test_a_story_that_jumps_reads_on_into_its_continuation(site):
    index = _index(site)
    main = next(s for s in index["stories"] if s["key"] == "p01-main")
    assert main["pages"] == [1, 3] and main["headline"] == "实力高新　出圈有道"
    assert "p03-cont" not in {s["key"] for s in index["stories"]}  # one story, not two
    jumps = [b for b in main["body"] if b["kind"] == "jump"]
    assert jumps == [{"kind": "jump", "text": "（下转第3版）", "number": "", "page": 3}]
    # every character of the written story, once, in order (the cut paragraph in two parts)
    written = "".join(b for b in json.loads(json.dumps(_body_of(site["edition"].parent / "p01.yaml"))))
    read = "".join(b["text"] for b in main["body"] if b["kind"] != "jump")
    assert read.replace("（", "(").replace("）", ")") == written.replace("（", "(").replace("）", ")")
    html = (site["out"] / "stories" / "p01-main.html").read_text(encoding="utf-8")
    assert '<p class="jump" id="page-3"><a href="../pages/p03.html">（下转第3版）</a></p>' in html


def _body_of(file: Path) -> list[str]:
    c = composed(file, BuildOptions(proof=True))
    art = c.v.doc.articles[0]
    from layout.text.normalize import for_language

    return [for_language(b if isinstance(b, str) else b.head, "zh").text for b in art.body]


def test_story_pages_have_the_heads_photos_and_body(site):
    out = site["out"]
    doc = _parse(out / "stories" / "p01-main.html")
    article = doc.find(".//article")
    assert article.get("lang") == "zh-Hans"
    assert _text(article.find(".//h1")) == "实力高新　出圈有道"
    assert _text(article.find(".//*[@class='subhead']")) == "——从城市品牌塑造看株洲高新区高质量发展"
    assert "潘东晓" in _text(article.find(".//*[@class='byline']"))
    heads = [_text(h) for h in article.iter("h2")]
    assert heads[0].startswith("1") and "产业名片求实向新" in heads[0]
    figures = list(article.iter("figure"))
    assert len(figures) == 3
    captions = [_text(f.find("figcaption")) for f in figures]
    assert any("万丰湖" in c for c in captions) and any("图片由天元区融媒体中心提供" in c for c in captions)
    for f in figures:  # alt text from the caption
        img = f.find(".//img")
        assert img.get("alt") and img.get("alt") in _text(f.find("figcaption"))
    # the English page's story: lang en, typographic quotes as the page set them
    english = _parse(out / "stories" / "p02-library.html").find(".//article")
    assert english.get("lang") == "en"
    taiwan = next(p for p in (out / "stories").glob("p06-*.html"))
    assert _parse(taiwan).find(".//article").get("lang") == "zh-Hant"


# -- the HTML itself ------------------------------------------------------------------------

def _parse(path: Path):
    parser = html5lib.HTMLParser(strict=True, namespaceHTMLElements=False)
    try:
        return parser.parse(path.read_bytes())
    except html5lib.html5parser.ParseError as exc:
        pytest.fail(f"{path.name}: HTML parse error: {exc}")


def _text(el) -> str:
    return "".join(el.itertext()).strip() if el is not None else ""


def _html_files(site) -> list[Path]:
    out = site["out"]
    return [out / "index.html", *sorted((out / "pages").glob("*.html")), *sorted((out / "stories").glob("*.html"))]


def test_every_file_is_valid_html_with_landmarks_headings_alt_text_and_languages(site):
    files = _html_files(site)
    assert len(files) == 1 + 5 + 13
    for path in files:
        doc = _parse(path)
        root = doc.getroot() if hasattr(doc, "getroot") else doc
        assert root.get("lang") in ("zh-Hans", "en", "zh-Hant"), path.name
        assert root.find(".//head/meta[@charset='utf-8']") is not None
        assert _text(root.find(".//head/title")), path.name
        body = root.find("body")
        assert body.find("header") is not None and body.find("main") is not None and body.find("footer") is not None
        assert body.findall(".//nav") and all(n.get("aria-label") for n in body.iter("nav")), path.name
        levels = [int(h.tag[1]) for h in body.iter() if isinstance(h.tag, str) and re.fullmatch(r"h[1-6]", h.tag)]
        assert levels and levels[0] == 1 and levels.count(1) == 1, path.name
        assert all(b - a <= 1 for a, b in zip(levels, levels[1:])), (path.name, levels)
        ids = [el.get("id") for el in body.iter() if el.get("id")]
        assert len(ids) == len(set(ids)), path.name
        for img in body.iter("img"):
            assert img.get("alt"), (path.name, img.get("src"))
            assert img.get("width") and img.get("height")
        for a in body.iter("a"):
            assert _text(a) or a.get("aria-label") or a.find(".//img") is not None, path.name


def test_every_link_resolves(site):
    """Links, pictures and stylesheets point at files of the site (and anchors at ids)."""
    out = site["out"]
    ids: dict[Path, set] = {}
    for path in _html_files(site):
        doc = _parse(path)
        ids[path.resolve()] = {el.get("id") for el in doc.iter() if isinstance(el.tag, str) and el.get("id")}
    for path in _html_files(site):
        doc = _parse(path)
        for el in doc.iter():
            if not isinstance(el.tag, str):
                continue
            refs = [el.get("href"), el.get("src")] + [part.strip().split(" ")[0] for part in (el.get("srcset") or "").split(",") if part.strip()]
            for ref in filter(None, refs):
                if ref == "data:,":  # (the empty icon: no request for /favicon.ico)
                    continue
                if ref.startswith("#"):
                    assert ref[1:] in ids[path.resolve()], (path.name, ref)
                    continue
                u = urlparse(ref)
                assert not u.scheme and not u.netloc, (path.name, ref)
                target = (path.parent / unquote(u.path)).resolve()
                assert target.is_file() and target.is_relative_to(out.resolve()), (path.name, ref)
                if u.fragment:
                    assert u.fragment in ids.get(target, set()), (path.name, ref)


def test_a_single_page_and_a_page_that_does_not_read(tmp_path, seed_copy):
    import subprocess
    import sys

    out = tmp_path / "one"
    r = subprocess.run([sys.executable, "-m", "layout", "epaper", str(seed_copy / "content.yaml"), "-o", str(out)],
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    index = json.loads((out / "index.json").read_text(encoding="utf-8"))
    assert [p["page"] for p in index["pages"]] == [3] and index["stories"][0]["key"] == "p03-main"
    assert (out / "stories" / "p03-main.html").is_file() and (out / "pages" / "p03.pdf").is_file()
    bad = seed_copy / "bad.yaml"
    bad.write_text((seed_copy / "content.yaml").read_text(encoding="utf-8").replace("    byline:", "    bylin:", 1),
                   encoding="utf-8")
    r = subprocess.run([sys.executable, "-m", "layout", "epaper", str(bad), "-o", str(tmp_path / "none")],
                       capture_output=True, text=True)
    assert r.returncode == 1 and "unknown key `bylin`" in r.stderr
    assert not (tmp_path / "none").exists()  # refused before anything was written


def test_a_page_that_fails_leaves_no_empty_site(tmp_path, root):
    """A photo cut short fails the page's build: the e-paper's folder, made for it, is gone
    again (an empty skeleton of pages/, images/, photos/, stories/, assets/ was left)."""
    import shutil
    import subprocess
    import sys

    page = tmp_path / "page"
    shutil.copytree(root / "examples" / "english", page, ignore=shutil.ignore_patterns("output"))
    pic = page / "images" / "riverside-park.jpg"
    pic.write_bytes(pic.read_bytes()[:4000])
    out = tmp_path / "site"
    r = subprocess.run([sys.executable, "-m", "layout", "epaper", str(page / "content.yaml"), "-o", str(out)],
                       capture_output=True, text=True, cwd=root)
    assert r.returncode == 1 and "truncated" in r.stderr, r.stderr
    assert not out.exists(), sorted(p.name for p in out.rglob("*"))
