"""Composing one page: folio, articles (with their photos), ads. The result is a display list.

Composition is a pure function of records: the page (``Document``) and its grid, the fonts'
metrics, the pictures' sizes and the text continued from other pages go in; the display list
and what composition noticed (``Notes``) come out. It reads no file, prepares no picture and
draws nothing: the build does those before and after (``layout.build``).
"""

from __future__ import annotations

from layout.compose.ad import compose_ad
from layout.compose.article import compose_article
from layout.compose.context import Context, Fonts, Notes
from layout.compose.folio import compose_folio
from layout.compose.masthead import compose_masthead
from layout.display import Page
from layout.model.content import Document
from layout.model.frames import overlap
from layout.model.geometry import Grid


def compose_page(doc: Document, grid: Grid, fonts: Fonts, *, picture_sizes: dict | None = None,
                 continuations: dict | None = None, name: str = "") -> tuple[Page, Notes]:
    """The page's display list and what composition noticed. ``picture_sizes`` holds each
    picture file's upright size in pixels (engine-placed photos and copyfit follow the
    picture's proportions); ``continuations`` holds, for an article continued from another
    page, the blocks that did not fit there."""
    notes = Notes()
    ctx = Context(doc=doc, grid=grid, fonts=fonts, notes=notes, picture_sizes=picture_sizes or {},
                  continuations=continuations or {})
    g = grid
    page = Page(width=g.width, height=g.height, bleed=g.bleed, slug=g.slug, name=name)
    page.extend(compose_folio(ctx))
    page.extend(compose_masthead(ctx))
    # ads first in the painting order (backgrounds), articles flow around ads inside their frames
    ad_items = []
    for ad in doc.ads:
        ad_items.extend(compose_ad(ad, ctx))
    for art in doc.articles:
        obstacles = [ad.frame for ad in doc.ads if overlap(ad.frame, art.frame)]
        # fit: auto articles are copyfitted (layout.compose.copyfit), the others set as written
        if art.fit == "auto":
            from layout.compose.copyfit import compose_fitted  # only pages that copyfit load it

            page.extend(compose_fitted(art, ctx, obstacles))
        else:
            page.extend(compose_article(art, ctx, obstacles))
    page.extend(ad_items)
    return page, notes
