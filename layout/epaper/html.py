"""The e-paper's HTML: the index of pages by section, a view per page, a page per story.

Plain HTML5 that reads without JavaScript: a page's story regions are SVG links over its
picture (a link highlights on hover and on keyboard focus), with the same stories listed as
ordinary links beside it. Every page has the landmarks (banner, navigation, main, content
info), headings in order (h1, then h2), alt text on every picture and ``lang`` on the document
(the site's language) and on each story (its page's). The words the site itself prints come
from :data:`WORDS`, per script; the jump lines are the page's own (``layout.text.wording``).
"""

from __future__ import annotations

from html import escape

#: what the site prints, per script of its pages (zh-Hans, zh-Hant, and English for the rest)
WORDS = {
    "zh-Hans": dict(epaper="数字报", page="第{n}版", skip="跳到正文", pages_nav="版面导航", prev="上一版",
                    next="下一版", contents="版面目录", sections="版块", all_pages="全部版面", stories="本版稿件",
                    pdf="下载本版 PDF", page_image="第{n}版版面图", regions="本版稿件热区", missing="本版未能生成",
                    back="返回第{n}版", story_nav="稿件导航", prev_story="上一篇", next_story="下一篇",
                    printed="见报版面", photo="（图）", ad="广告", index_json="版面与稿件索引（JSON）",
                    made="broadsheet 生成", edition_pdf="整期 PDF"),
    "zh-Hant": dict(epaper="數字報", page="第{n}版", skip="跳到正文", pages_nav="版面導航", prev="上一版",
                    next="下一版", contents="版面目錄", sections="版塊", all_pages="全部版面", stories="本版稿件",
                    pdf="下載本版 PDF", page_image="第{n}版版面圖", regions="本版稿件熱區", missing="本版未能生成",
                    back="返回第{n}版", story_nav="稿件導覽", prev_story="上一篇", next_story="下一篇",
                    printed="見報版面", photo="（圖）", ad="廣告", index_json="版面與稿件索引（JSON）",
                    made="broadsheet 生成", edition_pdf="整期 PDF"),
    "en": dict(epaper="e-paper", page="Page {n}", skip="Skip to content", pages_nav="Pages", prev="Previous page",
               next="Next page", contents="Contents", sections="Sections", all_pages="All pages",
               stories="Stories on this page", pdf="Download this page (PDF)", page_image="Page {n}",
               regions="Stories on the page", missing="this page could not be made", back="Back to page {n}",
               story_nav="Story", prev_story="Previous story", next_story="Next story", printed="In print",
               photo="Photo: ", ad="Advertisement", index_json="Index of pages and stories (JSON)",
               made="made by broadsheet", edition_pdf="Whole edition (PDF)"),
}


def words_for(lang: str) -> dict:
    """The site's words for a BCP 47 tag."""
    if lang.startswith("zh-Hant"):
        return WORDS["zh-Hant"]
    return WORDS["zh-Hans"] if lang.startswith("zh") else WORDS["en"]


def e(text) -> str:
    return escape(str(text), quote=True)


def _document(lang: str, title: str, body_class: str, up: str, body: str, w: dict, skip_to: str = "main") -> str:
    return (f'<!DOCTYPE html>\n<html lang="{e(lang)}">\n<head>\n<meta charset="utf-8">\n'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">\n<title>{e(title)}</title>\n'
            f'<link rel="stylesheet" href="{up}assets/epaper.css">\n<link rel="icon" href="data:,">\n'
            f'<link rel="alternate" type="application/json" href="{up}index.json">\n</head>\n'
            f'<body class="{body_class}">\n<a class="skip" href="#{skip_to}">{e(w["skip"])}</a>\n{body}'
            f'<footer class="colophon">\n<p><a href="{up}index.json">{e(w["index_json"])}</a> · {e(w["made"])}</p>\n'
            '</footer>\n</body>\n</html>\n')


def _masthead(site, up: str) -> str:
    return (f'<header class="masthead">\n<p class="paper"><a href="{up}index.html">{e(site.paper)}</a>'
            f' <span class="kind">{e(site.words["epaper"])}</span></p>\n<p class="date">{e(site.date_text)}</p>\n</header>\n')


def _srcset(renditions, fmt: str, up: str) -> str:
    return ", ".join(f"{up}{getattr(r, fmt)} {r.width}w" for r in renditions)


def picture(renditions, alt: str, up: str, sizes: str, cls: str = "") -> str:
    """A ``<picture>``: WebP sources, a JPEG ``<img>`` (with its own srcset) for the rest."""
    default = renditions[min(1, len(renditions) - 1)]
    c = f' class="{cls}"' if cls else ""
    return (f'<picture{c}><source type="image/webp" srcset="{_srcset(renditions, "webp", up)}" sizes="{sizes}">'
            f'<img src="{up}{default.jpeg}" srcset="{_srcset(renditions, "jpeg", up)}" sizes="{sizes}" '
            f'width="{default.width}" height="{default.height}" alt="{e(alt)}" decoding="async"></picture>')


def page_name(site, number: int) -> str:
    return site.words["page"].format(n=number)


def section_name(site, sec) -> str:
    """A section's label: its name, else its first page's (a page with no section label)."""
    return sec.name or page_name(site, sec.pages[0].number)


def _pager(site, page, up: str) -> str:
    w = site.words
    ok = [p for p in site.pages if p.ok]
    at = next((i for i, p in enumerate(ok) if p.number == page.number), None)
    prev = ok[at - 1] if at is not None and at > 0 else None
    nxt = ok[at + 1] if at is not None and at + 1 < len(ok) else None

    def link(p, label, rel):
        if p is None:
            return f'<li><span class="off">{e(label)}</span></li>'
        return f'<li><a href="{up}pages/{p.stem}.html" rel="{rel}">{e(label)}</a></li>'

    parts = [f'<nav class="pager" aria-label="{e(w["pages_nav"])}">\n<ul class="steps">',
             link(prev, w["prev"], "prev"), f'<li><a href="{up}index.html">{e(w["contents"])}</a></li>',
             link(nxt, w["next"], "next"), "</ul>"]
    if len(site.sections) > 1:
        parts.append(f'<ul class="sections" aria-label="{e(w["sections"])}">')
        for sec in site.sections:
            first = next((p for p in sec.pages if p.ok), None)
            current = ' aria-current="true"' if page.section == sec.name else ""
            if first is not None:
                parts.append(f'<li><a href="{up}pages/{first.stem}.html"{current}>{e(section_name(site, sec))}</a></li>')
        parts.append("</ul>")
    parts.append(f'<ul class="numbers" aria-label="{e(w["all_pages"])}">')
    for p in site.pages:
        label = str(p.number)
        if not p.ok:
            parts.append(f'<li><span class="off" title="{e(w["missing"])}">{e(label)}</span></li>')
        elif p.number == page.number:
            parts.append(f'<li><a href="{up}pages/{p.stem}.html" aria-current="page">{e(label)}</a></li>')
        else:
            parts.append(f'<li><a href="{up}pages/{p.stem}.html">{e(label)}</a></li>')
    parts.append("</ul>\n</nav>\n")
    return "\n".join(parts)


def index_html(site) -> str:
    w = site.words
    body = [_masthead(site, ""), f'<nav class="pager" aria-label="{e(w["sections"])}">\n<ul class="sections">']
    for i, sec in enumerate(site.sections):
        body.append(f'<li><a href="#section-{i + 1}">{e(section_name(site, sec))}</a></li>')
    body.append("</ul>\n</nav>\n")
    body.append(f'<main id="main">\n<h1>{e(site.paper)} {e(site.date_text)} {e(w["epaper"])}</h1>\n')
    for i, sec in enumerate(site.sections):
        body.append(f'<section class="section" aria-labelledby="section-{i + 1}">\n'
                    f'<h2 id="section-{i + 1}">{e(section_name(site, sec))}</h2>\n<ul class="thumbs">')
        for p in sec.pages:
            name = page_name(site, p.number)
            if not p.ok:
                body.append(f'<li class="missing" data-page="{p.number}"><div class="thumb-missing">'
                            f'<span class="number">{e(name)}</span><span class="why">{e(w["missing"])}</span></div></li>')
                continue
            heads = "、".join(s.headline for s in p.data.stories if s.kind == "article" and s.headline and not s.continued_from)
            body.append(f'<li data-page="{p.number}"><a href="pages/{p.stem}.html">'
                        + picture([p.thumb], f'{w["page_image"].format(n=p.number)}' + (f'：{heads}' if heads else ""),
                                  "", f"{p.thumb.width}px")
                        + f'<span class="number">{e(name)}</span></a></li>')
        body.append("</ul>\n</section>\n")
    if site.combined:
        body.append(f'<p class="download"><a href="{e(site.combined)}" type="application/pdf">{e(w["edition_pdf"])}</a></p>\n')
    body.append("</main>\n")
    return _document(site.lang, f"{site.paper} {site.date_text} {w['epaper']}", "index", "", "".join(body), w)


def page_html(site, page) -> str:
    w = site.words
    up = "../"
    d = page.data
    name = page_name(site, page.number)
    title = f"{name}　{page.section}" if page.section else name
    sizes = "(min-width: 64em) 62vw, 96vw"
    links = site.page_links(page)  # [(story entry, href, label, region)]
    main = [f'<main id="main">\n<h1>{e(title)}</h1>\n<div class="spread">\n'
            f'<div class="sheet" style="aspect-ratio: {d.width:.2f} / {d.height:.2f}">\n',
            picture(page.renditions, f'{w["page_image"].format(n=page.number)}' + (f"（{page.section}）" if page.section else ""),
                    up, sizes, "page-image"),
            f'\n<svg class="regions" viewBox="0 0 {d.width:.2f} {d.height:.2f}" preserveAspectRatio="none" '
            f'role="group" aria-label="{e(w["regions"])}">\n']
    for story_key, href, label, region, holes in links:
        if not region:
            continue
        d = " ".join("M" + " L".join(f"{x:.2f},{y:.2f}" for x, y in ring) + " Z" for ring in [region, *holes])
        main.append(f'<a class="region" href="{e(href)}" data-story="{e(story_key)}" aria-label="{e(label)}">'
                    f'<title>{e(label)}</title><path d="{d}" fill-rule="evenodd"/></a>\n')
    main.append('</svg>\n</div>\n')
    main.append(f'<section class="toc" aria-labelledby="toc-title">\n<h2 id="toc-title">{e(w["stories"])}</h2>\n<ol>\n')
    for story_key, href, label, _, _ in links:
        main.append(f'<li><a href="{e(href)}" data-story="{e(story_key)}">{e(label)}</a></li>\n')
    main.append(f'</ol>\n<p class="download"><a href="{page.stem}.pdf" type="application/pdf">{e(w["pdf"])}</a></p>\n'
                '</section>\n</div>\n</main>\n')
    body = _masthead(site, up) + _pager(site, page, up) + "".join(main)
    return _document(site.lang, f"{title} — {site.paper} {site.date_text}", "view", up, body, w)


def story_html(site, story) -> str:
    """A story's page: its heads, photos and body; where the printed story jumps, its jump line
    as a link to the page it continues on (the text goes on below it)."""
    w = site.words
    up = "../"
    s = story.data
    home = story.page
    nav = [f'<nav class="pager" aria-label="{e(w["story_nav"])}">\n<ul class="steps">']
    if story.prev is not None:
        nav.append(f'<li><a href="{story.prev.key}.html" rel="prev">{e(w["prev_story"])}</a></li>')
    nav.append(f'<li><a href="{up}pages/{home.stem}.html">{e(w["back"].format(n=home.number))}</a></li>')
    nav.append(f'<li><a href="{up}index.html">{e(w["contents"])}</a></li>')
    if story.next is not None:
        nav.append(f'<li><a href="{story.next.key}.html" rel="next">{e(w["next_story"])}</a></li>')
    nav.append("</ul>\n</nav>\n")
    heads = ['<header class="heads">\n']
    if s.kicker:
        heads.append(f'<p class="kicker">{e(s.kicker)}</p>\n')
    heads.append(f'<h1>{e(s.headline)}</h1>\n')
    if s.subhead:
        heads.append(f'<p class="subhead">{e(s.subhead)}</p>\n')
    if s.byline:
        heads.append(f'<p class="byline">{e(s.byline)}</p>\n')
    printed = " · ".join(f'<a href="{up}pages/{p.stem}.html">{e(page_name(site, p.number))}</a>' for p in story.pages)
    heads.append(f'<p class="printed">{e(w["printed"])}：{printed}</p>\n</header>\n')
    figures = []
    for photo, renditions in story.photos:
        alt = photo.caption or (f"{s.headline}{w['photo']}" if w["photo"].startswith("（") else f"{w['photo']}{s.headline}")
        pics = [picture(r, alt if len(renditions) == 1 else f"{alt} ({i + 1}/{len(renditions)})", up,
                        "(min-width: 48em) 44em, 96vw") for i, r in enumerate(renditions) if r]
        if not pics:
            continue
        cap = ""
        if photo.caption or photo.credit:
            cap = (f'<figcaption>{e(photo.caption)}'
                   + (f' <span class="credit">{e(photo.credit)}</span>' if photo.credit else "") + "</figcaption>")
        figures.append(f'<figure class="photo">{"".join(pics)}{cap}</figure>\n')
    body = []
    for kind, item in story.flow:
        if kind == "p":
            cls = ' class="continues"' if item[1] else ""
            body.append(f"<p{cls}>{e(item[0])}</p>\n")
        elif kind == "h":
            number = f'<span class="number">{e(item.number)}</span> ' if item.number else ""
            body.append(f'<h2>{number}{e(item.text)}</h2>\n')
        else:  # a jump line: (text, link or "", anchor id or "", page)
            text, href, anchor, _ = item
            ident = f' id="{anchor}"' if anchor else ""
            inner = f'<a href="{e(href)}">{e(text)}</a>' if href else e(text)
            body.append(f'<p class="jump"{ident}>{inner}</p>\n')
    # the first photo under the heads, the others spread through the body (before a paragraph)
    paragraphs = [i for i, (kind, _) in enumerate(story.flow) if kind == "p"]
    places = {}
    for i, fig in enumerate(figures[1:], start=1):
        at = paragraphs[min(len(paragraphs) - 1, i * len(paragraphs) // len(figures))] if paragraphs else len(body)
        places.setdefault(at, []).append(fig)
    text = "".join("".join(places.get(i, [])) + b for i, b in enumerate(body))
    text += "".join(f for at, figs in places.items() if at >= len(body) for f in figs)
    article = (f'<article lang="{e(s.lang)}">\n' + "".join(heads) + "".join(figures[:1]) + '<div class="body">\n'
               + text + "</div>\n</article>\n")
    main = f'<main id="main">\n{article}</main>\n'
    return _document(site.lang, f"{s.headline} — {site.paper} {site.date_text}", "story", up,
                     _masthead(site, up) + "".join(nav) + main, w)
