"""The display list: the contract between composition and rendering.

Everything here is pure data. Composition fills a :class:`Page` with positioned items; the
renderer draws them and makes no layout decision. Coordinates are PDF points with the origin at
the top-left corner of the *trim* box and y growing downwards (as a designer measures a page).
Text items carry their baseline. Colours are CMYK tuples in 0..1 so that press output never has
to guess a conversion.
"""

from __future__ import annotations

from typing import Union

from msgspec import Struct, field

CMYK = tuple[float, float, float, float]


class Spot(Struct, frozen=True):
    """A named separation. ``name='All'`` is registration colour (prints on every plate: marks);
    ``cmyk`` is the alternate used for display, ``tint`` 0..1."""

    name: str
    cmyk: CMYK
    tint: float = 1.0


Paint = Union[CMYK, Spot]

BLACK: CMYK = (0.0, 0.0, 0.0, 1.0)
WHITE: CMYK = (0.0, 0.0, 0.0, 0.0)
REGISTRATION = Spot("All", (1.0, 1.0, 1.0, 1.0))


class Glyphs(Struct, frozen=True):
    """A run of text in one face and size on one baseline (or, ``vertical``, one column).

    ``text`` is what a reader copies out; ``xs`` holds the x of every character's left edge (a
    vertical run: the y of its top) and ``widths`` its set width, so the composer decides every
    advance (punctuation compression, justification). ``glyphs`` are the face's glyph ids as
    shaping chose them (ligatures, ``locl``, ``vert`` forms), drawn at ``gx`` (x of each glyph's
    origin; a vertical run: y of its top) and offset by ``gy`` (marks, rotated Latin); each
    belongs to the cluster of ``text`` starting at index ``clusters[i]``, which is what text
    extraction gives back for it. A run without ``glyphs`` is drawn character by character
    through the face's character map. ``hscale`` is a horizontal scale of the glyphs (a line
    justified by font expansion), already in every position.
    """

    x: float
    y: float  # baseline (a vertical run: the x of its centre line)
    text: str
    font: str  # font key, resolved by the renderer through the font registry
    size: float
    xs: tuple[float, ...]
    widths: tuple[float, ...] = ()
    color: Paint = BLACK
    overprint: bool = False
    role: str = ""  # what the text is (body, headline, caption ...): for tests and reports
    source: str = ""  # where it came from (article id / paragraph index): for the report
    glyphs: tuple[int, ...] = ()
    gx: tuple[float, ...] = ()
    gy: tuple[float, ...] = ()
    clusters: tuple[int, ...] = ()
    vertical: bool = False
    at: tuple = ()  # where the text is in content.yaml (a data path): messages, click-to-source
    hscale: float = 1.0  # glyphs drawn this much wider (font expansion of a justified Latin line)
    angle: float = 0.0  # degrees clockwise the run is turned about (x, y): 90 for a Latin word in
    # a vertical line, its baseline running down the page from (x, y), xs and gx measured along it
    # from x as if it were horizontal

    @property
    def right(self) -> float:
        if not self.xs:
            return self.x
        w = self.widths[-1] if self.widths else self.size
        return self.xs[-1] + w


class Rect(Struct, frozen=True):
    """A rectangle: filled, stroked or both (rules are thin rectangles or lines)."""

    x: float
    y: float
    w: float
    h: float
    fill: Paint | None = None
    stroke: Paint | None = None
    line_width: float = 0.0
    radius: float = 0.0
    overprint: bool = False
    role: str = ""


class Line(Struct, frozen=True):
    x1: float
    y1: float
    x2: float
    y2: float
    color: Paint = BLACK
    width: float = 0.5
    dash: tuple[float, ...] = ()
    overprint: bool = False
    role: str = ""


class Ellipse(Struct, frozen=True):
    """A circle or ellipse given by its bounding box."""

    x: float
    y: float
    w: float
    h: float
    fill: Paint | None = None
    stroke: Paint | None = None
    line_width: float = 0.0
    role: str = ""


class Polygon(Struct, frozen=True):
    points: tuple[tuple[float, float], ...]
    fill: Paint | None = None
    stroke: Paint | None = None
    line_width: float = 0.0
    role: str = ""


class Image(Struct, frozen=True):
    """A picture filling its box exactly: ``file`` (as the editor wrote it, relative to the page's
    folder) cropped to the box's proportions around ``focus``. Composition only says where and
    what; the assets stage (``layout.assets``) crops, scales and separates the pixels after
    composition, as Typst's exporters encode images, and the renderer draws the prepared file.
    ``at`` is where the file is named in content.yaml (a data path), so that a picture that cannot
    be used is reported at its line and column."""

    x: float
    y: float
    w: float
    h: float
    file: str
    focus: tuple[float, float] = (0.5, 0.5)
    role: str = "photo"
    source: str = ""  # what the picture belongs to (article id / photo, or ad), for the report
    at: tuple = ()


class Vector(Struct, frozen=True):
    """A page of a PDF file (an ad delivered as a PDF) placed as vector graphics: its trim box
    (else its media box) drawn exactly onto this box, nothing rasterised. Composition chose the
    box from the page's proportions (it keeps them); the renderer embeds the page as a form
    XObject and maps it onto the box. ``page`` counts from 1; ``at`` is where the file is named
    in content.yaml (a data path)."""

    x: float
    y: float
    w: float
    h: float
    file: str
    page: int = 1
    role: str = "ad-pdf"
    source: str = ""  # what it belongs to (the ad), for the report
    at: tuple = ()


Item = Union[Glyphs, Rect, Line, Ellipse, Polygon, Image, Vector]


class Page(Struct, dict=True):
    """One page of the display list: trim size and everything drawn on it, in painting order."""

    width: float
    height: float
    items: list[Item] = field(default_factory=list)
    bleed: float = 0.0
    slug: float = 0.0  # room outside the bleed for marks (press output)
    name: str = ""
    guides: list[Item] = field(default_factory=list)  # non-printing (columns, grid)
    marks: list[Item] = field(default_factory=list)  # press marks in the slug (crop, registration,
    # colour bar, slug line), trim-relative like the rest; drawn only on press output

    def add(self, item: Item) -> None:
        self.items.append(item)

    def extend(self, items) -> None:
        self.items.extend(items)


def story_of(source: str) -> tuple[str, str] | None:
    """(kind, id) of the story a display item belongs to, from its ``source``: ``main:body[3]``
    -> ("article", "main"), ``ad:forest-fire`` -> ("ad", "forest-fire"); the folio
    (``folio:paper``) and unsourced items belong to none."""
    if not source:
        return None
    head, _, rest = source.partition(":")
    if head == "folio":
        return None
    if head == "ad":
        return ("ad", rest.split(":")[0])  # (an ad without an id: "")
    return ("article", head)


def item_box(it) -> tuple[float, float, float, float] | None:
    """(x, y, width, height) an item covers, y down from the trim's top: a run of text from a
    little above its x-height to below its baseline (a vertical run: its column), a shape's or
    a picture's box; None for an empty run."""
    if isinstance(it, Glyphs):
        if not it.xs:
            return None
        if it.vertical:
            return (it.y - it.size / 2, it.x, it.size, it.right - it.x)
        if it.angle == 90.0:  # a Latin word turned into a vertical line: its baseline runs down from (x, y)
            return (it.x - it.size * 0.22, it.y, it.size * 1.1, it.right - it.x)
        return (it.x, it.y - it.size * 0.88, it.right - it.x, it.size * 1.1)
    if isinstance(it, (Rect, Image, Ellipse, Vector)):
        return (it.x, it.y, it.w, it.h)
    if isinstance(it, Line):
        return (min(it.x1, it.x2), min(it.y1, it.y2), abs(it.x2 - it.x1), abs(it.y2 - it.y1))
    if isinstance(it, Polygon) and it.points:
        xs = [p[0] for p in it.points]
        ys = [p[1] for p in it.points]
        return (min(xs), min(ys), max(xs) - min(xs), max(ys) - min(ys))
    return None

