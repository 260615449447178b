"""How messages name values and places of content.yaml: the kind of a value, a data path, and
the hint for a field. Shared by the page checks and by the reader's wording of refused values
(``layout.model.read``)."""

from __future__ import annotations


def kind_of(v) -> str:
    if v is None:
        return "nothing (an empty value)"
    if isinstance(v, bool):
        return f"true/false ({str(v).lower()})"
    if isinstance(v, int):
        return f"a number ({v})"
    if isinstance(v, float):
        return f"a number ({v:g})"
    if isinstance(v, str):
        return f"text ({short(v)})"
    if isinstance(v, dict):
        return "a mapping (key: value lines)"
    if isinstance(v, (list, tuple)):
        return "a list"
    return type(v).__name__


def short(v, n: int = 40) -> str:
    r = repr(v)
    return r if len(r) <= n else r[: n - 1] + "…"



#: Hints by the name of the field a diagnostic is about, for messages that carry none of their own.
FIELD_HINTS = {
    "size": "a type size: points (42pt) or a Chinese size name (小五, 初号)",
    "body_size": "a type size: 9pt or 小五 in most dailies",
    "line_pitch": "the baseline-grid pitch must be at least the body size; 12pt for 9pt text",
    "bleed": "the bleed is printed beyond the trim; 3mm is usual",
    "slug": "room outside the bleed for the marks; 10mm is usual",
    "gutter": "the space between columns; 1字 is usual",
    "width": "the trim width, e.g. 390mm",
    "height": "the trim height, e.g. 545mm",
    "top": "a margin such as 30mm", "bottom": "a margin such as 22mm",
    "inner": "a margin such as 15mm", "outer": "a margin such as 15mm",
    "column": "columns are counted from 1 at the type area's left",
    "line": "lines are counted from 1 at the type area's top",
    "columns": "how many columns a frame spans, from 1",
    "page.columns": "the number of columns (栏) on the page, 1-20",
    "page.size": "broadsheet (对开), berliner, tabloid (四开) or custom",
    "ads.size": "a named size (通栏, 半版, 1/4版, 报眼 ...) or columns x lines such as 4栏x30行",
    "ads.page": "the page's folio number (版次), 1-999",
    "ads.at": "the top-left corner on the page's grid: {column: 1, line: 90}",
    "folio.page": "the page number (版次), 1-999",
    "lines": "how many body lines a frame spans, from 1",
    "page": "the page number (版次), 1-999",
    "date": "the issue date, e.g. 2024-10-31",
    "paper": "the paper's name, e.g. 株洲日报",
    "text": "write the text, in quotes if it starts with a digit or a special character",
    "head": "a section head's text, e.g. {number: \"1\", head: 产业名片求实向新}",
    "body": "a list of paragraphs (each a '- ' line) and section heads ({head: ...})",
    "color": "a palette name (black, white, accent, red, green, tint) or [C, M, Y, K] percentages",
    "characters": "one character per entry, e.g. [护, 林]",
    "focus": "[x, y] fractions of the picture, 0 to 1 (0.5, 0.5 is the centre)",
    "file": "a path relative to the content file's folder, e.g. images/photo.jpg",
    "id": "a short name, unique on the page",
    "kind": "kind is public-service or image",
    "caption_lines": "body lines under the photo for its caption, 1-6",
    "head_lines": "body lines for the headline block, from 1",
    "indent": "first-line indent in 字, 0-4",
    "tracking": "extra space between the head's characters, in em, -0.3 to 1",
}


def field_hint(loc: tuple) -> str:
    names = [p for p in loc if isinstance(p, str)]
    if not names:
        return ""
    if names[-1] == "body" and len(loc) and loc[-1] == "body":
        return "an article needs at least one paragraph"
    if isinstance(loc[-1], int) and names[-1] == "body":
        return "delete the empty '- ' line, or write the paragraph"
    if len(names) >= 2 and f"{names[-2]}.{names[-1]}" in FIELD_HINTS:
        return FIELD_HINTS[f"{names[-2]}.{names[-1]}"]
    return FIELD_HINTS.get(names[-1], "")


def path_text(loc: tuple) -> str:
    return ".".join(str(p) if not isinstance(p, int) else f"[{p}]" for p in loc).replace(".[", "[")

