"""The folio (报眉) of an inner page: page number, date, section label, paper name, over a rule.

Set in the top margin above the type area, like 人民日报's inner pages: the paper's name at the
outer edge (right on odd pages), the page number and date at the inner edge, the section label
centred in 黑体; a thin rule (眉线) under them spans the type area.
"""

from __future__ import annotations

from layout.compose.context import Context
from layout.compose.textset import natural_width, set_line
from layout.display import BLACK, WHITE, Item, Rect
from layout.text.languages import conventions

def date_text(d, language: str = "zh") -> str:
    """The folio's date as the paper's readers write it (language data: layout.text.wording)."""
    from layout.text.wording import date_text as spelled

    return spelled(d, language)


def compose_folio(ctx: Context) -> list[Item]:
    folio = ctx.doc.folio
    if not folio.show:
        return []
    g = ctx.grid
    f = ctx.fonts
    items: list[Item] = []
    conv = conventions(ctx.doc.typography.language)
    rule_y = g.top - 6.0 * 72 / 25.4  # the 眉线, 6 mm above the type area
    items.append(Rect(g.left, rule_y, g.area_width, 1.0, fill=BLACK, overprint=True, role="folio-rule"))
    items.append(Rect(g.left, rule_y + 2.0, g.area_width, 0.3, fill=BLACK, overprint=True, role="folio-rule"))
    base = rule_y - 5.0
    # paper name at the outer edge, in the headline face and the accent colour
    name_size = 22.0
    m = f.metrics("headline")
    paper = ctx.normalized_line(folio.paper, source="folio:paper", at=("folio", "paper"))
    name = set_line(paper, font="headline", metrics=m, size=name_size, x=g.left, baseline=base,
                    width=g.area_width, align="right" if g.odd else "left",
                    tracking=conv.folio_name_tracking,
                    color=ctx.color("accent"), role="folio-paper", lang=ctx.lang, at=("folio", "paper"))
    items.extend(name)
    # page number reversed out of a box at the inner edge, then the date
    num = f"{folio.page:02d}"
    nsize = 16.0
    nm = f.metrics("headline_sans")
    box_w = natural_width(num, nm, nsize, lang=ctx.lang) + 8.0
    box_h = nsize * 1.25
    box_x = g.left if g.odd else g.right - box_w
    items.append(Rect(box_x, base - box_h + 4.0, box_w, box_h, fill=BLACK, role="folio-number"))
    items.extend(set_line(num, font="headline_sans", metrics=nm, size=nsize, x=box_x, baseline=base,
                          width=box_w, align="center", color=WHITE, role="folio-number", lang=ctx.lang))
    small = 9.0
    fm = f.metrics("folio")
    info = f"{date_text(folio.date, ctx.doc.typography.language)}"
    if folio.editor:
        info += "　" + ctx.normalized_line(folio.editor, source="folio:editor", at=("folio", "editor"))
    if g.odd:
        items.extend(set_line(info, font="folio", metrics=fm, size=small, x=box_x + box_w + 6.0,
                              baseline=base, role="folio-date", lang=ctx.lang, at=("folio", "editor") if folio.editor else ("folio", "date")))
    else:
        w = natural_width(info, fm, small, lang=ctx.lang)
        items.extend(set_line(info, font="folio", metrics=fm, size=small, x=box_x - 6.0 - w,
                              baseline=base, role="folio-date", lang=ctx.lang, at=("folio", "editor") if folio.editor else ("folio", "date")))
    if folio.section:
        sm = f.metrics("subhead")
        ssize = 16.0
        section = ctx.normalized_line(folio.section, source="folio:section", at=("folio", "section"))
        items.extend(set_line(section, font="subhead", metrics=sm, size=ssize, x=g.left, baseline=base,
                              width=g.area_width, align="center", role="folio-section",
                              tracking=conv.folio_section_tracking, lang=ctx.lang, at=("folio", "section")))
    return items
