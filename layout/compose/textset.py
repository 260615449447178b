"""Setting short text (heads, captions, folio, ad lines) and turning composed lines into glyph runs.

Body paragraphs go through the line composer; a single line of display text is measured here
from the role's shaped advances, with optional tracking, and aligned in a box. Either way the
characters' positions come from composition, and the glyphs drawn at them from shaping
(:func:`shaped_runs`): a run of text becomes the glyph ids its font stack gives it (ligatures,
the language's forms of CJK marks, a fallback face's glyphs for characters the role's face
lacks), one display item per face.
"""

from __future__ import annotations

from layout.display import BLACK, CMYK, Glyphs
from layout.text.api import Metrics, SetLine
from layout.text.rules_zh import OPEN as OPENING


def natural_width(text: str, metrics: Metrics, size: float, tracking: float = 0.0, lang: str = "zh") -> float:
    """Width of ``text`` set solid at ``size`` with ``tracking`` em between characters."""
    if not text:
        return 0.0
    return sum(_advances(text, metrics, tracking, lang)) * size + tracking * size * (len(text) - 1)


def _advances(text: str, metrics: Metrics, tracking: float, lang: str) -> list[float]:
    """Per character, its shaped advance (em); tracked text is set without ligatures, each
    letter keeping its own box."""
    return metrics.advances(text, lang, ligatures=not tracking)


def set_line(text: str, *, font: str, metrics: Metrics, size: float, x: float, baseline: float,
             width: float | None = None, align: str = "left", tracking: float = 0.0,
             color: CMYK = BLACK, role: str = "", source: str = "", overprint: bool | None = None,
             lang: str = "zh", at: tuple = (), trim_open: bool = False) -> list[Glyphs]:
    """One line of display text in a box ``[x, x + width]``; its glyph runs (one per face).
    ``trim_open``: a full-width opening mark starting the line gives up its blank left half, so
    a head beginning with 《 or “ is not indented by it (aligned by its ink)."""
    xs: list[float] = []
    widths: list[float] = []
    pos = 0.0
    for adv in _advances(text, metrics, tracking, lang):
        adv *= size
        xs.append(pos)
        widths.append(adv)
        pos += adv + tracking * size
    total = pos - tracking * size if text else 0.0
    if trim_open and text and text[0] in OPENING and widths[0] >= 0.9 * size:
        lead = widths[0] / 2
        xs = [v - lead for v in xs]
        total -= lead
    if width is not None:
        if align == "center":
            x += (width - total) / 2
        elif align == "right":
            x += width - total
    if overprint is None:
        overprint = color == BLACK
    return shaped_runs(text, tuple(x + v for v in xs), tuple(widths), (), origin=x, font=font, metrics=metrics, size=size,
                       baseline=baseline, color=color, overprint=overprint, role=role, source=source, lang=lang,
                       ligatures=not tracking, at=at)


def glyphs_from_line(line: SetLine, *, x: float, baseline: float, font: str, metrics: Metrics, size: float,
                     color: CMYK = BLACK, role: str = "body", source: str = "", lang: str = "zh",
                     at: tuple = ()) -> list[Glyphs]:
    """A composed line (offsets from its start) placed at ``x`` on ``baseline``: its glyph runs.
    Remembered for a line the paragraph memo handed out (the same object), placed the same way:
    a rebuild after an edit makes runs only for the lines that moved or changed."""
    face = getattr(metrics, "key", None)
    key = (id(line), x, baseline, font, face, size, color, role, source, lang, at) if isinstance(face, str) else None
    hit = _RUNS.get(key) if key is not None else None
    if hit is not None and hit[0] is line:
        return list(hit[1])
    runs = shaped_runs(line.text, tuple(x + v for v in line.xs), tuple(line.widths), line.units, origin=x, font=font,
                       metrics=metrics, size=size, baseline=baseline, color=color, overprint=color == BLACK,
                       role=role, source=source, lang=lang, ligatures=not line.spaced, at=at, hscale=line.scale)
    if key is not None:
        if len(_RUNS) >= RUNS_LIMIT:
            _RUNS.pop(next(iter(_RUNS)))
        _RUNS[key] = (line, tuple(runs))  # (the line is held, so its id stays its own)
    return runs


#: glyph runs of placed lines: (id(line), placement ...) -> (line, runs)
_RUNS: dict = {}
RUNS_LIMIT = 4096  # (a broadsheet page sets ~250 lines: an edition of a dozen pages in `serve`)


def shaped_runs(text: str, xs: tuple[float, ...], widths: tuple[float, ...], units: tuple[int, ...], *,
                origin: float, font: str, metrics: Metrics, size: float, baseline: float, color: CMYK, overprint: bool,
                role: str, source: str, lang: str, ligatures: bool = True, at: tuple = (),
                hscale: float = 1.0) -> list[Glyphs]:
    """The glyph runs of ``text`` whose characters the composer placed at ``xs``: shaped in the
    same units it was measured in (``units``: indices where shaping starts afresh, such as the
    pieces of a word cut at its hyphenation points), each glyph at the x of its cluster's first
    character plus its place inside the cluster (``hscale``: the line's font expansion); a new
    run wherever the face changes. Every run's ``x`` is the line's ``origin`` (the column edge:
    an indent or a centring offset lies in ``xs``)."""
    if not text:
        return [Glyphs(x=origin, y=baseline, text="", font=font, size=size, xs=(), widths=(),
                       color=color, overprint=overprint, role=role, source=source, at=at)]
    shape = getattr(metrics, "shaped_runs", None)
    if shape is None:  # a face without shaping (test doubles): drawn by character map
        return [Glyphs(x=origin, y=baseline, text=text, font=font, size=size, xs=xs, widths=widths, color=color,
                       overprint=overprint, role=role, source=source, at=at)]
    cuts = sorted({0, len(text), *(u for u in units if 0 < u < len(text))})
    # the shaped glyphs as parallel lists (no tuple per glyph): face, glyph id, x, y offset and
    # the index of the character it comes from
    faces: list[int] = []
    gids: list[int] = []
    gxs: list[float] = []
    gys: list[float] = []
    chars: list[int] = []
    for a, b in zip(cuts, cuts[1:]):
        for run, shaped in metrics.shaped_runs(text[a:b], lang, ligatures=ligatures):
            start = a + run.start
            clusters = shaped.clusters
            if not any(shaped.x_offsets) and len(set(clusters)) == len(clusters):
                # the common case (CJK text): one glyph per cluster, none moved, so each glyph is
                # at its character's x (plus the 0.0 the general formula below adds)
                idx = [start + c for c in clusters]
                gxs.extend([xs[i] + 0.0 for i in idx])
                chars.extend(idx)
            else:
                pen = 0.0
                last = -1
                for c, adv, dx in zip(clusters, shaped.advances, shaped.x_offsets):
                    if c != last:
                        pen, last = 0.0, c
                    i = start + c
                    gxs.append(xs[i] + (pen + dx) * size * hscale)
                    chars.append(i)
                    pen += adv
            gids.extend(shaped.gids)
            gys.extend([dy * size for dy in shaped.y_offsets])
            faces.extend([run.face] * len(shaped.gids))
    out: list[Glyphs] = []
    for face, k, j, first, end in _face_runs(faces, chars, len(text)):
        gy = gys[k:j]
        out.append(Glyphs(x=origin, y=baseline, text=text[first:end], font=metrics.font_key(face), size=size,
                          xs=xs[first:end], widths=widths[first:end], color=color, overprint=overprint, role=role,
                          source=source, glyphs=tuple(gids[k:j]), gx=tuple(gxs[k:j]),
                          gy=tuple(gy) if any(gy) else (), clusters=tuple([i - first for i in chars[k:j]]), at=at,
                          hscale=hscale))
    return out


def _face_runs(faces: list[int], chars: list[int], n_chars: int):
    """Shaped glyphs (their faces and the characters they come from, in parallel lists) cut into
    runs of one face: (face, first glyph, glyph after the last, first character, character after
    the last); a run reaches at least past the last character its glyphs come from."""
    n = len(faces)
    if n and faces.count(faces[0]) == n:  # (the common case: one face)
        yield faces[0], 0, n, chars[0], max(n_chars, max(chars) + 1)
        return
    k = 0
    while k < n:
        face = faces[k]
        j = k
        while j < n and faces[j] == face:
            j += 1
        end = chars[j] if j < n else n_chars
        yield face, k, j, chars[k], max(end, max(chars[k:j]) + 1)
        k = j


def glyphs_from_vertical_line(line: SetLine, *, centre: float, top: float, font: str, metrics, size: float,
                              color: CMYK = BLACK, role: str = "body", source: str = "", lang: str = "zh",
                              at: tuple = (), em_bottom: float = 0.12) -> list[Glyphs]:
    """A line composed with vertical metrics (``layout.text.vertical.VerticalMetrics``) set
    down a column whose centre line is at x ``centre``, from ``top``: upright runs as vertical
    glyph runs (the face's ``vert`` forms, each glyph hanging from its top on the centre line),
    Latin words and long numbers turned 90° clockwise about the centre of the column's em box
    (``em_bottom``: the face's ideographic em box below the baseline, in em), short numbers
    upright side by side in one em (縱中橫)."""
    from layout.text.vertical import orientation_runs

    base = metrics.metrics if hasattr(metrics, "metrics") else metrics  # the horizontal face stack
    tcy = getattr(metrics, "tcy", 2)
    text = line.text
    ys = tuple(top + v for v in line.xs)
    out: list[Glyphs] = []
    overprint = color == BLACK
    for run in orientation_runs(text, tcy):
        a, b = run.start, run.end
        part = text[a:b]
        if not part.strip():
            continue
        if run.kind == "upright":
            out.extend(_vertical_runs(part, ys[a:b], line.widths[a:b], centre=centre, font=font, metrics=base,
                                      size=size, color=color, overprint=overprint, role=role, source=source,
                                      lang=lang, at=at))
            continue
        advs = base.advances(part, lang)
        width = sum(advs) * size
        if run.kind == "tcy":
            # upright, side by side, narrowed to fit one em if wider; the ideographic baseline
            scale = min(1.0, size / max(width, 1e-9))
            x0 = centre - width * scale / 2
            xs, pos = [], x0
            for adv in advs:
                xs.append(pos)
                pos += adv * size * scale
            out.extend(shaped_runs(part, tuple(xs), tuple(adv * size * scale for adv in advs), (), origin=x0,
                                   font=font, metrics=base, size=size, baseline=ys[a] + (1.0 - em_bottom) * size,
                                   color=color, overprint=overprint, role=role, source=source, lang=lang, at=at,
                                   hscale=scale))
            continue
        # turned: a horizontal run whose baseline runs down the page; its em box centred on
        # the column's centre line (the baseline em_bottom below the box's left edge)
        origin = ys[a]
        baseline_x = centre - (0.5 - em_bottom) * size
        xs = tuple(origin + (y - ys[a]) for y in ys[a:b])
        for g in shaped_runs(part, xs, tuple(line.widths[a:b]), (), origin=origin, font=font, metrics=base,
                             size=size, baseline=0.0, color=color, overprint=overprint, role=role, source=source,
                             lang=lang, at=at):
            out.append(_turned(g, baseline_x))
    return out


def _turned(g: Glyphs, baseline_x: float) -> Glyphs:
    """A horizontal run made turned 90° clockwise: its origin (x, y) is where its baseline starts
    on the page - ``x`` across, ``y`` down: positions along the run stay measured from ``x``."""
    from msgspec.structs import replace

    shift = baseline_x - g.x
    return replace(g, x=baseline_x, y=g.x, xs=tuple(v + shift for v in g.xs), gx=tuple(v + shift for v in g.gx),
                   angle=90.0)


def _vertical_runs(text: str, ys: tuple[float, ...], widths: tuple[float, ...], *, centre: float, font: str, metrics,
                   size: float, color: CMYK, overprint: bool, role: str, source: str, lang: str,
                   at: tuple) -> list[Glyphs]:
    """Upright characters shaped top to bottom: one vertical glyph run per face."""
    faces: list[int] = []
    gids: list[int] = []
    tops: list[float] = []
    chars: list[int] = []
    for run, shaped in metrics.shaped_runs(text, lang, direction="ttb"):
        pen, last = 0.0, -1
        for gid, c, adv in zip(shaped.gids, shaped.clusters, shaped.advances):
            if c != last:
                pen, last = 0.0, c
            i = run.start + c
            if not text[i].isspace():
                faces.append(run.face)
                gids.append(gid)
                tops.append(ys[i] + pen * size)
                chars.append(i)
            pen += adv
    out: list[Glyphs] = []
    for face, k, j, first, end in _face_runs(faces, chars, len(text)):
        out.append(Glyphs(x=centre, y=centre, text=text[first:end], font=metrics.font_key(face), size=size,
                          xs=ys[first:end], widths=widths[first:end], color=color, overprint=overprint, role=role,
                          source=source, glyphs=tuple(gids[k:j]), gx=tuple(tops[k:j]),
                          clusters=tuple([i - first for i in chars[k:j]]), vertical=True, at=at))
    return out
