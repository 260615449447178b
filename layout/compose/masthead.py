"""The front page's nameplate (报头): the paper's name, large, in the headline face and the
accent colour, centred in its module; under it a double rule and the issue's line: the date
with its weekday and what the edition says of itself (serial number, the day's page count).

The name is sized to the module: as wide as 86 % of it at most and as tall as 58 % of it, with
a little tracking, as Chinese papers set a calligraphic or heavy Song nameplate. The room beside
the module on its lines is the ears (报眼): booked ear ads go there (``layout.plan``).
"""

from __future__ import annotations

from layout.compose.context import Context
from layout.compose.folio import date_text
from layout.compose.textset import natural_width, set_line
from layout.display import BLACK, Item, Rect


def compose_masthead(ctx: Context) -> list[Item]:
    mh = ctx.doc.masthead
    if mh is None:
        return []
    g = ctx.grid
    f = ctx.fonts
    fr = mh.frame
    x, w = g.column_x(fr.column), g.span_width(fr.columns)
    top = g.line_top(fr.line) + (g.pitch - g.body_size) / 2
    h = (fr.lines - 1) * g.pitch + g.body_size
    items: list[Item] = []
    title = ctx.normalized_line(mh.title or ctx.doc.folio.paper, source="masthead:title",
                           at=("masthead", "title") if mh.title else ("folio", "paper"))
    m = f.metrics("headline")
    tracking = 0.08
    natural = natural_width(title, m, 100.0, tracking, lang=ctx.lang) / 100.0 or 1.0
    size = min(w * 0.86 / natural, h * 0.58)
    base = top + f.em_top("headline") * size + h * 0.04
    items.extend(set_line(title, font="headline", metrics=m, size=size, x=x, baseline=base, width=w, align="center",
                          tracking=tracking, color=ctx.color(mh.color), role="masthead-title", lang=ctx.lang,
                          at=("masthead", "title") if mh.title else ("folio", "paper")))
    rule_y = base + size * 0.22
    items.append(Rect(x, rule_y, w, 1.2, fill=BLACK, overprint=True, role="masthead-rule"))
    items.append(Rect(x, rule_y + 2.4, w, 0.4, fill=BLACK, overprint=True, role="masthead-rule"))
    info = [date_text(ctx.doc.folio.date, ctx.doc.typography.language)]
    info += [ctx.normalized_line(t, source=f"masthead:lines[{i}]", at=("masthead", "lines", i)) for i, t in enumerate(mh.lines)]
    fm = f.metrics("folio")
    small = max(7.5, min(11.0, h * 0.06))
    line = "　".join(info)
    if natural_width(line, fm, small, lang=ctx.lang) > w:  # two lines when one is too long
        rows = [info[0], "　".join(info[1:])] if len(info) > 1 else info
    else:
        rows = [line]
    y = rule_y + 2.8 + small * 1.35
    for row in rows:
        items.extend(set_line(row, font="folio", metrics=fm, size=small, x=x, baseline=y, width=w, align="center",
                              role="masthead-info", lang=ctx.lang, at=("masthead",)))
        y += small * 1.4
    return items
