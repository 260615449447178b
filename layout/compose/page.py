"""Composing one page: folio, articles (with their photos), ads. The result is a display list."""

from __future__ import annotations

from layout.compose.ad import compose_ad
from layout.compose.article import compose_article
from layout.compose.context import Context, Fonts, Notes
from layout.compose.folio import compose_folio
from layout.display import Page
from layout.model.frames import overlap
from layout.model.validate import Validated


def compose_page(v: Validated, fonts: Fonts, images, continuations: dict | None = None) -> tuple[Page, Notes]:
    """The page's display list and what composition noticed. ``continuations`` holds, for an
    article continued from another page, the blocks that did not fit there."""
    notes = Notes()
    ctx = Context(doc=v.doc, grid=v.grid, fonts=fonts, notes=notes, images=images,
                  continuations=continuations or {})
    g = v.grid
    page = Page(width=g.width, height=g.height, bleed=g.bleed, slug=g.slug, name=v.source.file)
    page.extend(compose_folio(ctx))
    # ads first in the painting order (backgrounds), articles flow around ads inside their frames
    ad_items = []
    for ad in v.doc.ads:
        ad_items.extend(compose_ad(ad, ctx))
    for art in v.doc.articles:
        obstacles = [ad.frame for ad in v.doc.ads if overlap(ad.frame, art.frame)]
        # fit: auto articles are copyfitted (layout.compose.copyfit), the others set as written
        if art.fit == "auto":
            from layout.compose.copyfit import compose_fitted  # only pages that copyfit load it

            page.extend(compose_fitted(art, ctx, obstacles))
        else:
            page.extend(compose_article(art, ctx, obstacles))
    page.extend(ad_items)
    return page, notes
