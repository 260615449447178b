"""What the browser draws over a page's picture, made from the display list and the report alone.

One JSON-ready dict per page: the guides (type area, columns, baselines, modules) as the display
list's ``guides`` hold them, each story (article or ad) with its module, its findings worded as
the terminal words them, its overset/underset badge in lines and characters, and where it starts
in content.yaml; each picture with its effective resolution; each line of text with its place in
content.yaml, for click-to-source. Coordinates are the display list's: points from the trim's
top-left, y down (the proof PDF the picture is rendered from has exactly the trim box).
"""

from __future__ import annotations

from pathlib import Path

from layout.display import Glyphs, Image, Page, Polygon, item_box as _box, story_of
from layout.findings import Overset, Underset
from layout.report import Report, describe, lines

Box = tuple[float, float, float, float]


def _r(v: float) -> float:
    return round(v, 2)


def _union(a: Box | None, b: Box | None) -> Box | None:
    if a is None:
        return b
    if b is None:
        return a
    x0, y0 = min(a[0], b[0]), min(a[1], b[1])
    x1, y1 = max(a[0] + a[2], b[0] + b[2]), max(a[1] + a[3], b[1] + b[3])
    return (x0, y0, x1 - x0, y1 - y0)


def _inside(box: Box, outer: Box, slack: float = 2.0) -> bool:
    return (box[0] >= outer[0] - slack and box[1] >= outer[1] - slack
            and box[0] + box[2] <= outer[0] + outer[2] + slack and box[1] + box[3] <= outer[1] + outer[3] + slack)


def _where(at: tuple, position) -> dict | None:
    if not at or position is None:
        return None
    line, column = position(at)
    return {"line": line, "column": column} if line else None


def badge(f) -> str:
    """The short text of an overset or underset badge: lines and characters."""
    if isinstance(f, Overset):
        return f"+{lines(f.lines)} · cut ~{f.characters} chars"
    return f"−{lines(f.lines, 'empty lines')}" + (f" · room for ~{f.characters} chars" if f.characters else "")


def page_overlay(page: Page, report: Report, *, position=None, content: str = "") -> dict:
    """The overlay of one built page. ``position`` maps a data path (a display item's ``at``) to
    (line, column) in ``content`` (``Source.position``); without it nothing is located."""
    guides: dict = {"area": None, "columns": [], "baselines": [], "modules": []}
    for g in page.guides:
        if g.role == "guide-area":
            guides["area"] = [_r(v) for v in _box(g)]
        elif g.role == "guide-column":
            guides["columns"].append([_r(v) for v in _box(g)])
        elif g.role == "guide-baseline":
            guides["baselines"].append(_r(g.y1))
        elif g.role == "guide-module":
            m: dict = {"box": [_r(v) for v in _box(g)], "photo": getattr(g, "line_width", 0) < 0.6}
            if isinstance(g, Polygon):
                m["points"] = [[_r(x), _r(y)] for x, y in g.points]
            guides["modules"].append(m)
    guides["baselines"].sort()

    stories: dict[tuple[str, str], dict] = {}
    texts: list[list] = []
    images: list[dict] = []
    for it in page.items:
        key = story_of(getattr(it, "source", ""))
        if key == ("ad", ""):  # an ad with no id: ads[i], from the items that know their place
            at = getattr(it, "at", ())
            key = ("ad", f"ads[{at[1]}]") if len(at) >= 2 and at[0] == "ads" else None
        box = _box(it)
        if key is not None and box is not None:
            s = stories.setdefault(key, {"kind": key[0], "id": key[1], "items_box": None, "at": ()})
            s["items_box"] = _union(s["items_box"], box)
            at = getattr(it, "at", ())
            if at and not s["at"] and len(at) >= 2:
                s["at"] = tuple(at[:2])
        if isinstance(it, Glyphs) and box is not None:
            where = _where(it.at, position)
            texts.append([_r(box[0]), _r(box[1]), _r(box[2]), _r(box[3]), key[1] if key else "",
                          where["line"] if where else 0, where["column"] if where else 0])
        elif isinstance(it, Image):
            images.append({"box": [_r(v) for v in box], "file": it.file, "source": it.source,
                           "story": key[1] if key else "", "where": _where(it.at, position)})

    by_source = {(p.where, p.source): p for p in report.images}
    for img in images:
        placed = by_source.get((img["source"], img["file"]))
        img["ppi"] = round(placed.ppi) if placed else None
        img["low"] = bool(placed and placed.low)

    modules = [m for m in guides["modules"] if not m["photo"]]
    out_stories = []
    for (kind, sid), s in stories.items():
        ib = s["items_box"]
        module = None
        if ib is not None:  # the smallest module that holds the story's middle
            cx, cy = ib[0] + ib[2] / 2, ib[1] + ib[3] / 2
            holding = [m for m in modules if m["box"][0] <= cx <= m["box"][0] + m["box"][2]
                       and m["box"][1] <= cy <= m["box"][1] + m["box"][3]]
            if holding:
                module = min(holding, key=lambda m: m["box"][2] * m["box"][3])
        found = [f for f in report.findings if (f.article == sid if kind == "article" else f.ad == sid)]
        out_stories.append({
            "kind": kind, "id": sid,
            "box": module["box"] if module else [_r(v) for v in ib],
            "points": module.get("points") if module else None,
            "where": _where(s["at"], position),
            "findings": [{"kind": type(f).__struct_config__.tag, "severity": f.severity, "text": describe(f),
                          "line": f.where.line if f.where else 0, "column": f.where.column if f.where else 0}
                         for f in found],
            "badges": [{"kind": type(f).__struct_config__.tag, "text": badge(f), "lines": f.lines,
                        "characters": f.characters} for f in found if isinstance(f, (Overset, Underset))],
        })
    return {
        "width": _r(page.width), "height": _r(page.height), "content": content,
        "guides": guides, "stories": out_stories, "images": images, "texts": texts,
        "diagnostics": [d.to_dict() | {"text": d.format()} for d in report.diagnostics],
        "summary": report.summary_lines(),
    }


def editor_links(file: str | Path, line: int, column: int, editor: str = "") -> dict:
    """How to open ``file`` at a place: a ``vscode://file/...`` link, and the command of
    ``$VISUAL``/``$EDITOR`` (``code -g file:line:col`` for VS Code, ``+line file`` otherwise)."""
    import shlex

    path = str(Path(file).resolve())
    line, column = max(line, 1), max(column, 1)
    out = {"vscode": f"vscode://file{path if path.startswith('/') else '/' + path}:{line}:{column}", "command": ""}
    if editor:
        name = Path(shlex.split(editor)[0]).name if shlex.split(editor) else ""
        if name in ("code", "codium", "code-insiders"):
            out["command"] = f"{editor} -g {shlex.quote(f'{path}:{line}:{column}')}"
        elif name in ("subl", "zed"):
            out["command"] = f"{editor} {shlex.quote(f'{path}:{line}:{column}')}"
        else:  # vi, vim, nvim, emacs, nano, micro, kak, helix...
            out["command"] = f"{editor} +{line} {shlex.quote(path)}"
    return out
