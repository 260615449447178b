"""The e-paper's JSON index (``DIR/index.json``): every page and story of the site, for a CMS.

Defined once, as msgspec Structs, so that its JSON Schema (``broadsheet schema --epaper``,
``docs/epaper.schema.json``) and the file cannot disagree. Paths are relative to the site's
folder, with ``/``; positions are PDF points from the top-left corner of the page's trim, y
down, as the display list measures them (a region's points scale to a page picture by its
width over the page's ``width``).
"""

from __future__ import annotations

import os
from typing import Annotated, Literal

import msgspec
from msgspec import Meta, Struct

INDEX_VERSION = 1


def doc(text: str) -> Meta:
    return Meta(description=text)


class Picture(Struct, kw_only=True):
    """A picture at one width, as WebP and as JPEG."""

    width: Annotated[int, doc("Width in pixels.")]
    height: Annotated[int, doc("Height in pixels.")]
    webp: Annotated[str, doc("The WebP file, relative to the site's folder.")]
    jpeg: Annotated[str, doc("The JPEG file (the fallback), relative to the site's folder.")]


class Region(Struct, kw_only=True):
    """A story's area on a page: a polygon (4 corners, 6 for a stepped module), in points."""

    story: Annotated[str, doc("The key of the story it opens (an ad: none).")] = ""
    kind: Annotated[Literal["article", "continuation", "ad"], doc("An article, the continuation of one (转版), or an ad.")]
    id: Annotated[str, doc("The article's or ad's id in the page's content.yaml.")]
    href: Annotated[str, doc("The story page it opens (with #page-N for a continuation), relative to the site's folder; empty for an ad.")] = ""
    points: Annotated[list[tuple[float, float]], doc("Corners clockwise from the top left, points from the trim's top-left, y down.")]
    holes: Annotated[list[list[tuple[float, float]]], doc("Areas of other stories or ads inside this one (an ad set into its frame), not part of it.")] = []


class Page(Struct, kw_only=True):
    """One page of the edition: made (its view, pictures, PDF, regions) or missing."""

    page: Annotated[int, doc("The page number (版次).")]
    section: Annotated[str, doc("The section label (版名).")] = ""
    source: Annotated[str, doc("The page's content file as the edition names it.")]
    status: Annotated[Literal["ok", "missing"], doc("missing: the page failed to build; `error` says why.")]
    error: Annotated[str, doc("Why a missing page failed (the first lines of its diagnostics).")] = ""
    html: Annotated[str, doc("The page's view.")] = ""
    pdf: Annotated[str, doc("The page as a tagged PDF (proof: no marks, no bleed).")] = ""
    lang: Annotated[str, doc("The page's language (BCP 47: zh-Hans, zh-Hant, zh-Hant-HK, en ...).")] = ""
    width: Annotated[float, doc("Trim width in points.")] = 0.0
    height: Annotated[float, doc("Trim height in points.")] = 0.0
    images: Annotated[list[Picture], doc("The page picture at each width, narrowest first.")] = []
    thumbnail: Annotated[Picture | None, doc("The index's thumbnail.")] = None
    regions: Annotated[list[Region], doc("Each story's and ad's area on the page.")] = []


class Block(Struct, kw_only=True):
    """A block of a story's body."""

    kind: Annotated[Literal["paragraph", "section-head", "jump"], doc("A paragraph, a section head (小标题), or a jump line where the print continues on another page.")]
    text: Annotated[str, doc("The text as the page set it (normalised punctuation).")]
    number: Annotated[str, doc("A section head's number.")] = ""
    page: Annotated[int | None, doc("A jump line: the page the story continues on.")] = None


class Photo(Struct, kw_only=True):
    caption: Annotated[str, doc("The caption (图说).")] = ""
    credit: Annotated[str, doc("The credit line.")] = ""
    alt: Annotated[str, doc("The alt text the site gives it: the caption, else from the headline.")]
    pictures: Annotated[list[list[Picture]], doc("Each picture of the photo (several for a photo group), at each width.")]


class Story(Struct, kw_only=True):
    """An article, with its continuations on other pages joined to it."""

    key: Annotated[str, doc("The story's key: p03-main for article main starting on page 3.")]
    id: Annotated[str, doc("The article's id in its first page's content.yaml.")]
    page: Annotated[int, doc("The page it starts on.")]
    pages: Annotated[list[int], doc("Every page it is printed on, in order.")]
    html: Annotated[str, doc("The story's page.")]
    lang: Annotated[str, doc("Its language (BCP 47).")]
    kicker: str = ""
    headline: str
    subhead: str = ""
    byline: str = ""
    body: Annotated[list[Block], doc("The body in reading order, jump lines where the print cut it.")]
    photos: list[Photo] = []


class Section(Struct, kw_only=True):
    name: Annotated[str, doc("The section label.")]
    pages: Annotated[list[int], doc("Its pages, in order.")]


class SiteIndex(Struct, kw_only=True):
    """The whole e-paper: pages (made or missing), sections, stories."""

    version: Annotated[int, doc("The index's format version.")] = INDEX_VERSION
    paper: Annotated[str, doc("The paper's name.")]
    date: Annotated[str, doc("The issue date, YYYY-MM-DD.")]
    lang: Annotated[str, doc("The site's language (most pages').")]
    index: Annotated[str, doc("The site's first page.")] = "index.html"
    combined: Annotated[str, doc("The whole edition as one PDF, when the edition asks for it.")] = ""
    sections: list[Section]
    pages: list[Page]
    missing: Annotated[list[int], doc("Pages that failed to build.")] = []
    stories: list[Story]


def _picture(r) -> Picture:
    return Picture(width=r.width, height=r.height, webp=r.webp, jpeg=r.jpeg)


def site_index(site) -> dict:
    """The index of a written site (``layout.epaper.site.Site``) as JSON-ready data."""
    pages = []
    for p in site.pages:
        if not p.ok:
            error = p.error.replace(f"{p.file.parent}{os.sep}", "")  # (no machine's folders in a published index)
            pages.append(Page(page=p.number, section=p.section, source=p.written, status="missing",
                              error="\n".join(error.splitlines()[:6])))
            continue
        regions = []
        for s in p.data.stories:
            owner = site.owner.get((p.number, s.id)) if s.kind == "article" else None
            kind = "ad" if s.kind == "ad" else ("continuation" if owner and owner[1] else "article")
            key = owner[0].key if owner else ""
            href = (f"stories/{key}.html" + (f"#{owner[1]}" if owner[1] else "")) if owner else ""
            regions.append(Region(story=key, kind=kind, id=s.id, href=href,
                                  points=[(round(x, 2), round(y, 2)) for x, y in s.region],
                                  holes=[[(round(x, 2), round(y, 2)) for x, y in h] for h in s.holes]))
        pages.append(Page(page=p.number, section=p.section, source=p.written, status="ok", html=f"pages/{p.stem}.html",
                          pdf=f"pages/{p.stem}.pdf", lang=p.data.lang, width=round(p.data.width, 2),
                          height=round(p.data.height, 2), images=[_picture(r) for r in p.renditions],
                          thumbnail=_picture(p.thumb), regions=regions))
    stories = []
    for st in site.stories.values():
        s = st.data
        body = []
        for kind, item in st.flow:
            if kind == "p":
                body.append(Block(kind="paragraph", text=item[0]))
            elif kind == "h":
                body.append(Block(kind="section-head", text=item.text, number=item.number))
            else:
                text, _, _, target = item
                body.append(Block(kind="jump", text=text, page=target))
        photos = []
        for ph, renditions in st.photos:
            alt = ph.caption or (f"{s.headline}{site.words['photo']}" if site.words["photo"].startswith("（")
                                 else f"{site.words['photo']}{s.headline}")
            photos.append(Photo(caption=ph.caption, credit=ph.credit, alt=alt,
                                pictures=[[_picture(r) for r in rs] for rs in renditions]))
        stories.append(Story(key=st.key, id=s.id, page=st.page.number, pages=[p.number for p in st.pages],
                             html=f"stories/{st.key}.html", lang=s.lang, kicker=s.kicker, headline=s.headline,
                             subhead=s.subhead, byline=s.byline, body=body, photos=photos))
    index = SiteIndex(paper=site.paper, date=site.date, lang=site.lang, combined=site.combined,
                      sections=[Section(name=sec.name, pages=[p.number for p in sec.pages]) for sec in site.sections],
                      pages=pages, missing=[p.number for p in site.pages if not p.ok], stories=stories)
    return msgspec.to_builtins(index)


def index_schema() -> dict:
    """The JSON Schema of ``index.json``."""
    return msgspec.json.schema(SiteIndex)
