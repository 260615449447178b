"""What the e-paper knows of one built page: its stories' text as the page set it, their
regions on the page, their photos; read from the composed page (``layout.build.composed``).

Text comes from the validated records after the normalisation the page used
(:func:`layout.text.normalize.for_language`, as composition's ``Context.normalized``), never
from the PDF; regions come from the display list: each story's module as the proof's guides
outline it (a stepped module's L as its six corners), chosen as the module that holds the most
of the story's items, else the box around its items.
"""

from __future__ import annotations

from pathlib import Path

from msgspec import Struct, field

from layout.display import Glyphs, Image, Polygon, Rect, item_box, story_of
from layout.text.languages import language_tag
from layout.text.normalize import for_language

Point = tuple[float, float]


class Block(Struct, frozen=True):
    """A block of a story's body: a paragraph (``kind`` "p") or a section head ("h", with its
    number)."""

    kind: str
    text: str
    number: str = ""


class Picture(Struct, frozen=True):
    """One picture of a photo: the file as content.yaml names it, resolved in the page's
    folder."""

    file: str
    path: str


class PhotoData(Struct, frozen=True):
    id: str
    pictures: list[Picture]
    caption: str = ""
    credit: str = ""


class StoryData(Struct, kw_only=True):
    """An article or an ad of a page, as the site needs it."""

    id: str  # the article's or ad's id on its page
    kind: str  # "article" or "ad"
    region: list[Point] = field(default_factory=list)  # its area, points from the trim's top-left
    holes: list[list[Point]] = field(default_factory=list)  # other stories' areas inside it (an ad in its frame)
    lang: str = ""
    kicker: str = ""
    headline: str = ""
    subhead: str = ""
    byline: str = ""
    blocks: list[Block] = field(default_factory=list)  # the body as set on this page
    first_partial: bool = False  # a continuation opening with the rest of a cut paragraph
    photos: list[PhotoData] = field(default_factory=list)
    jump_to: int | None = None
    cut: tuple[int, int] | None = None  # (block, character) where this page cut the story (it jumps)
    continued_from: tuple[str, str, int] | None = None  # (content file, article id, page) it continues
    label: str = ""  # an ad's words


class PageData(Struct, kw_only=True):
    number: int
    file: str  # the content file, resolved
    section: str
    paper: str
    date: str  # ISO
    lang: str  # BCP 47
    language: str  # typography.language as written
    width: float
    height: float
    stories: list[StoryData] = field(default_factory=list)


def page_data(c, number: int, section: str) -> PageData:
    """The e-paper's view of a composed page ``c`` (:class:`layout.build.Composed`, composed
    with guides) printed as page ``number`` in ``section``."""
    doc = c.v.doc
    folder = Path(c.v.source.folder)
    language = doc.typography.language
    lang = language_tag(language)

    def text(s: str) -> str:
        return for_language(s, language).text if doc.typography.normalize and s else s

    regions = _regions(c.page)
    out = PageData(number=number, file=str(Path(c.v.source.file).resolve()), section=section, paper=doc.folio.paper,
                   date=doc.folio.date.isoformat(), lang=lang, language=language, width=c.page.width,
                   height=c.page.height)
    for art in doc.articles:
        s = StoryData(id=art.id, kind="article", region=regions.get(("article", art.id), []), lang=lang,
                      kicker=text(art.kicker), headline=text(art.headline.text), subhead=text(art.subhead),
                      byline=text(art.byline), jump_to=art.jump_to)
        if art.continued_from is not None:
            cont = art.continued_from
            s.continued_from = (str((folder / cont.file).resolve()), cont.article, cont.page)
            s.blocks, s.first_partial = _blocks(c.continued.get(art.id, []), text, normalized=True)
        else:
            s.blocks, _ = _blocks(art.body, text, normalized=False)
        rest = c.notes.rest.get(art.id)
        if rest:
            s.cut = _cut(s.blocks, rest)
        for i, photo in enumerate(art.photos):
            s.photos.append(PhotoData(id=photo.id or f"photo-{i + 1}", caption=text(photo.caption),
                                      credit=text(photo.credit),
                                      pictures=[Picture(file=p.file, path=str((folder / p.file).resolve()))
                                                for p in photo.pictures]))
        out.stories.append(s)
    for i, ad in enumerate(doc.ads):
        key = ("ad", ad.id or f"#{i}")
        words = [getattr(ad, k, "") for k in ("label", "title", "tagline", "slogan", "sponsor")]
        out.stories.append(StoryData(id=ad.id or f"ad-{i + 1}", kind="ad", region=regions.get(key, []), lang=lang,
                                     label=" ".join(text(w) for w in words if w)))
    for s in out.stories:  # another story's area inside this one (an ad set into its frame) is not this story's
        area = _area(s.region) if s.region else 0.0
        for t in out.stories:
            if t is not s and t.region and _area(t.region) < area and _inside(_centroid(t.region), s.region):
                s.holes.append(list(t.region))
    return out


def _centroid(poly: list[Point]) -> Point:
    return (sum(x for x, _ in poly) / len(poly), sum(y for _, y in poly) / len(poly))


def _blocks(body, text, *, normalized: bool) -> tuple[list[Block], bool]:
    """A body as blocks: paragraphs (strings, or the rest of a cut one: a record with ``text``)
    and section heads (``head``, ``number``). Blocks continued from another page were set
    (and normalised) there; ``normalized`` says so."""
    out: list[Block] = []
    first_partial = False
    for i, b in enumerate(body):
        if hasattr(b, "head"):
            out.append(Block("h", b.head if normalized else text(b.head), b.number))
        elif isinstance(b, str):
            out.append(Block("p", b if normalized else text(b)))
        else:  # the rest of a paragraph cut by a jump
            out.append(Block("p", b.text))
            first_partial = first_partial or i == 0
    return out, first_partial


def _cut(blocks: list[Block], rest: list) -> tuple[int, int]:
    """Where the page cut the story, as (block, character) of ``blocks``: the rest's first
    block starts there (whole, or inside the paragraph the cut fell in)."""
    index = max(0, len(blocks) - len(rest))
    first = rest[0]
    if hasattr(first, "text") and not isinstance(first, str) and index < len(blocks):
        whole = blocks[index].text
        tail = first.text
        at = whole.rfind(tail) if tail else len(whole)
        return index, at if at >= 0 else max(0, len(whole) - len(tail))
    return index, 0


def _regions(page) -> dict[tuple[str, str], list[Point]]:
    """Each story's region: the module (a guide, from the proof's guides) holding most of its
    items, else the box around them."""
    modules: list[tuple[list[Point], float]] = []
    for g in page.guides:
        if g.role != "guide-module" or getattr(g, "line_width", 0) < 0.6:  # (thin ones: photo frames)
            continue
        if isinstance(g, Polygon):
            pts = [(float(x), float(y)) for x, y in g.points]
        elif isinstance(g, Rect):
            pts = [(g.x, g.y), (g.x + g.w, g.y), (g.x + g.w, g.y + g.h), (g.x, g.y + g.h)]
        else:
            continue
        modules.append((pts, _area(pts)))
    centres: dict[tuple[str, str], list[Point]] = {}
    boxes: dict[tuple[str, str], tuple[float, float, float, float]] = {}
    for it in page.items:
        if not isinstance(it, (Glyphs, Image)):
            continue
        key = story_of(it.source)
        if key == ("ad", "") and len(it.at) >= 2 and it.at[0] == "ads":  # an ad without an id: by its place
            key = ("ad", f"#{it.at[1]}")
        box = item_box(it)
        if key is None or box is None:
            continue
        x, y, w, h = box
        centres.setdefault(key, []).append((x + w / 2, y + h / 2))
        b = boxes.get(key)
        boxes[key] = (x, y, x + w, y + h) if b is None else (min(b[0], x), min(b[1], y), max(b[2], x + w), max(b[3], y + h))
    out: dict[tuple[str, str], list[Point]] = {}
    for key, pts in centres.items():
        best = None
        for poly, area in modules:
            n = sum(_inside(p, poly) for p in pts)
            if n and (best is None or (n, -area) > (best[0], -best[1])):
                best = (n, area, poly)
        if best is not None:
            out[key] = [(round(x, 2), round(y, 2)) for x, y in best[2]]
        else:
            x0, y0, x1, y1 = boxes[key]
            out[key] = [(round(x0, 2), round(y0, 2)), (round(x1, 2), round(y0, 2)), (round(x1, 2), round(y1, 2)),
                        (round(x0, 2), round(y1, 2))]
    return out


def _area(poly: list[Point]) -> float:
    return abs(sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in zip(poly, poly[1:] + poly[:1]))) / 2


def _inside(p: Point, poly: list[Point]) -> bool:
    """Whether ``p`` lies inside ``poly`` (even-odd rule)."""
    x, y = p
    inside = False
    for (x0, y0), (x1, y1) in zip(poly, poly[1:] + poly[:1]):
        if (y0 > y) != (y1 > y) and x < x0 + (y - y0) * (x1 - x0) / (y1 - y0):
            inside = not inside
    return inside
