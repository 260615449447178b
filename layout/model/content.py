"""The content model: everything content.yaml may say, validated with pydantic.

Field descriptions and examples feed the JSON Schema (``broadsheet schema``) that editors get
autocompletion from. Lengths stay as :class:`~layout.model.units.Length` (with their units) until
the page grid is known; colours are CMYK percentages or names from the page's palette.
"""

from __future__ import annotations

import datetime as _dt
from typing import Annotated, Any, Literal, Union

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, PlainSerializer, WithJsonSchema, field_validator, model_validator

from layout.model.units import Length, UnitError, parse_length, parse_size


def _length(default_unit: str):
    def convert(v: Any) -> Length:
        if isinstance(v, Length):
            return v
        try:
            return parse_length(v, default_unit=default_unit)
        except UnitError as exc:
            raise ValueError(str(exc)) from None

    return convert


def _size(v: Any) -> float:
    try:
        return parse_size(v)
    except UnitError as exc:
        raise ValueError(str(exc)) from None


_LENGTH_SCHEMA = {
    "anyOf": [
        {"type": "number"},
        {"type": "string", "pattern": r"^\s*[+-]?(\d+(\.\d*)?|\.\d+)\s*(mm|cm|pt|in|字|行|栏|zi|em|line|lines|col|cols)?\s*$"},
    ],
    "description": "A length: 12mm, 9pt, 2字 (em of body text), 3行 (body lines), 2栏 (columns); a bare number is in points.",
    "examples": ["12mm", "9pt", "2字", "3行"],
}
_SIZE_SCHEMA = {
    "anyOf": [
        {"type": "number"},
        {"type": "string"},
    ],
    "description": "A type size: points (9pt, 84) or a Chinese size name (初号 小初 一号 小一 二号 小二 三号 小三 四号 小四 五号 小五 六号 小六 七号).",
    "examples": ["小五", "84pt", "二号"],
}

LengthPt = Annotated[Length, BeforeValidator(_length("pt")), PlainSerializer(str), WithJsonSchema(_LENGTH_SCHEMA)]
LengthMm = Annotated[Length, BeforeValidator(_length("mm")), PlainSerializer(str),
                     WithJsonSchema({**_LENGTH_SCHEMA, "description": "A length; a bare number is in millimetres."})]
LengthZi = Annotated[Length, BeforeValidator(_length("zi")), PlainSerializer(str),
                     WithJsonSchema({**_LENGTH_SCHEMA, "description": "A length; a bare number is in 字 (em of the text's size)."})]
TypeSize = Annotated[float, BeforeValidator(_size), WithJsonSchema(_SIZE_SCHEMA)]


def _color(v: Any) -> Any:
    if isinstance(v, str):
        s = v.strip()
        if not s:
            raise ValueError("empty colour name")
        return s
    if isinstance(v, (list, tuple)) and len(v) == 4 and all(isinstance(x, (int, float)) and not isinstance(x, bool) for x in v):
        if not all(0 <= x <= 100 for x in v):  # (written so that NaN fails too)
            raise ValueError("CMYK percentages must lie between 0 and 100")
        return tuple(float(x) for x in v)
    raise ValueError("expected a colour: [C, M, Y, K] percentages such as [0, 100, 100, 0], or a palette name such as accent")


Color = Annotated[
    Union[str, tuple[float, float, float, float]],
    BeforeValidator(_color),
    WithJsonSchema({
        "anyOf": [
            {"type": "string", "description": "a name from `colors`"},
            {"type": "array", "items": {"type": "number", "minimum": 0, "maximum": 100}, "minItems": 4, "maxItems": 4,
             "description": "[C, M, Y, K] in percent"},
        ],
        "examples": ["accent", [0, 100, 100, 0]],
    }),
]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    @field_validator("page", "column", "columns", "line", "lines", "column_chars", "caption_lines", "head_lines",
                     "indent", "adjacent_punct", "han_latin_space", "tracking", mode="before", check_fields=False)
    @classmethod
    def _no_bool_for_numbers(cls, v, info):
        # pydantic's lax mode reads true/false as 1/0; in content.yaml that is always a mistake
        if isinstance(v, bool) and info.field_name:
            ann = cls.model_fields[info.field_name].annotation
            if ann in (int, float, int | None, float | None):
                raise ValueError(f"expected a {'whole number' if int in (ann, *getattr(ann, '__args__', ())) else 'number'}, got {str(v).lower()}")
        return v


class Margins(Strict):
    """Margins around the type area (版心). Any side left out is computed so the type area is centred."""

    top: LengthMm | None = None
    bottom: LengthMm | None = None
    inner: LengthMm | None = Field(None, description="the spine side (left on odd pages)")
    outer: LengthMm | None = None


class PageSpec(Strict):
    """Paper size and the grid: columns, gutters, body size and the baseline grid."""

    size: Literal["broadsheet", "对开", "berliner", "tabloid", "四开", "custom"] = Field(
        "broadsheet", description="a preset: broadsheet/对开 390x545mm 8 columns; berliner 315x470mm 6 columns; tabloid/四开 275x390mm 5 columns; custom needs width and height")
    width: LengthMm | None = Field(None, description="trim width (custom size, or to override a preset)")
    height: LengthMm | None = None
    margins: Margins = Field(default_factory=Margins)
    columns: int | None = Field(None, ge=1, le=20, description="number of basic columns (栏)")
    column_chars: int | None = Field(None, ge=4, le=60, description="characters per column line; fixes the column width to whole 字")
    gutter: LengthZi = Field(default_factory=lambda: Length(1.0, "zi"), description="space between columns (栏空); default 1字")
    body_size: TypeSize = Field(9.0, description="body text size; 小五 (9pt) in most Chinese dailies")
    line_pitch: LengthPt = Field(default_factory=lambda: Length(12.0, "pt"), description="baseline-grid pitch (size + line gap); default 12pt for 9pt text")
    bleed: LengthMm = Field(default_factory=lambda: Length(3.0, "mm"))
    slug: LengthMm = Field(default_factory=lambda: Length(10.0, "mm"), description="room outside the bleed for crop marks and the slug line")
    odd: bool | None = Field(None, description="odd (right-hand) page; default from the folio's page number")

    @model_validator(mode="after")
    def _custom_needs_size(self):
        if self.size == "custom" and (self.width is None or self.height is None):
            raise ValueError("size: custom needs both width and height")
        return self


class Folio(Strict):
    """The page header (报眉): paper name, date, page number and section label above a rule."""

    paper: str = Field(..., description="the paper's name", examples=["株洲日报"])
    date: _dt.date = Field(..., description="issue date, YYYY-MM-DD; printed with the weekday", examples=["2024-10-31"])
    page: int = Field(..., ge=1, le=999, description="page number (版次)")
    section: str = Field("", description="section label (版名)", examples=["专版"])
    editor: str = Field("", description="credits line, e.g. 责任编辑/××  美术编辑/××")
    show: bool = True

    @field_validator("date", mode="before")
    @classmethod
    def _date(cls, v):
        if isinstance(v, (int, float)):  # 20241031 would otherwise be read as seconds since 1970
            raise ValueError(f"expected a date as YYYY-MM-DD, got {v!r}")
        if isinstance(v, str):
            try:
                return _dt.date.fromisoformat(v.strip())
            except ValueError:
                raise ValueError(f"expected a date as YYYY-MM-DD, got {v!r}") from None
        return v


class Typography(Strict):
    """Composition rules for Chinese text (W3C clreq)."""

    prohibition: Literal["none", "basic", "gb", "strict"] = Field("basic", description="line-start/line-end prohibition level (clreq)")
    indent: float = Field(2.0, ge=0, le=4, description="first-line indent in 字 (2; 1 for narrow columns)")
    adjacent_punct: float = Field(1.5, ge=1.0, le=2.0, description="width in 字 of two adjacent full-width marks")
    han_latin_space: float = Field(0.25, ge=0, le=1, description="space between Han and Latin/digits, in 字")
    hanging: bool = Field(False, description="let 、，。 hang past the column edge")
    normalize: bool = Field(True, description="turn ASCII punctuation in Chinese text into full-width marks (reported)")


class Frame(Strict):
    """A rectangle on the page grid: columns are counted from 1 at the left, lines from 1 at the
    top of the type area."""

    column: int = Field(..., ge=1, description="first column (1 = leftmost)")
    columns: int = Field(1, ge=1, description="how many columns it spans")
    line: int = Field(..., ge=1, description="first body line (1 = top of the type area)")
    lines: int = Field(..., ge=1, description="height in body lines (行)")


class Headline(Strict):
    text: str = Field(..., min_length=1, description="the head; a full-width space 　 separates parallel phrases")
    size: TypeSize = Field(..., description="type size")
    font: str = Field("headline", description="font role")
    align: Literal["left", "center", "right"] = "center"
    color: Color = "black"
    tracking: float = Field(0.0, ge=-0.3, le=1.0, description="extra space between characters, in em of the head")


class SectionHead(Strict):
    head: str = Field(..., min_length=1, description="section head (小标题)")
    number: str = Field("", description="a numeral or letter set large before the head", examples=["1", "A"])


def _paragraph(v: str) -> str:
    if not v.strip():
        raise ValueError("empty paragraph")
    return v


Paragraph = Annotated[str, AfterValidator(_paragraph)]
Block = Union[Paragraph, SectionHead]


class Photo(Strict):
    id: str = ""
    file: str = Field(..., min_length=1, description="image path, relative to the content file's folder")
    frame: Frame
    caption: str = ""
    credit: str = Field("", description="credit line set under the caption, e.g. （图片由××提供）")
    focus: tuple[float, float] = Field((0.5, 0.5), description="focal point (x, y) in 0..1 kept in view when cropping")
    caption_lines: int = Field(2, ge=1, le=6, description="body lines reserved under the photo for caption and credit")

    @field_validator("focus")
    @classmethod
    def _focus(cls, v):
        if not all(0.0 <= c <= 1.0 for c in v):
            raise ValueError("focus coordinates lie between 0 and 1")
        return v


class Article(Strict):
    id: str = Field(..., min_length=1)
    frame: Frame = Field(..., description="the article's module on the grid")
    kicker: str = Field("", description="引题, set above the main head")
    headline: Headline
    subhead: str = Field("", description="副题, under the main head")
    byline: str = Field("", description="e.g. 株洲日报全媒体记者/潘东晓 杨如 通讯员/张弥郁")
    body: list[Block] = Field(..., min_length=1, description="paragraphs (text) and section heads ({head: ...})")
    photos: list[Photo] = Field(default_factory=list)
    head_lines: int | None = Field(None, ge=1, description="body lines the headline block takes; computed when left out")

    @field_validator("body")
    @classmethod
    def _no_empty(cls, v):
        for i, block in enumerate(v):
            if isinstance(block, str) and not block.strip():
                raise ValueError(f"paragraph {i + 1} is empty")
        return v


class PublicServiceAd(Strict):
    """A boxed public-service ad (公益广告) laid out by the engine from its parts."""

    kind: Literal["public-service"]
    id: str = ""
    frame: Frame
    title: str = Field(..., min_length=1, examples=["预防森林火灾"])
    characters: list[str] = Field(..., min_length=1, description="single characters, each set in its own circle")
    tagline: str = ""
    slogan: str = ""
    designer: str = ""
    label: str = "公益广告"
    sponsor: str = ""
    color: Color = "green"

    @field_validator("characters")
    @classmethod
    def _single(cls, v):
        for ch in v:
            if len(ch.strip()) != 1:
                raise ValueError(f"each entry must be one character, got {ch!r}")
        return [c.strip() for c in v]


class ImageAd(Strict):
    """An ad delivered as an image file, placed to fill its frame."""

    kind: Literal["image"]
    id: str = ""
    frame: Frame
    file: str
    label: str = "广告"


Ad = Annotated[Union[PublicServiceAd, ImageAd], Field(discriminator="kind")]

class Press(Strict):
    """What the printing plant takes: PDF/X variant, output profile, ink and image limits."""

    pdfx: Literal["X-4", "X-1a"] = Field("X-4", description="PDF/X variant of the press PDF")
    profile: str | None = Field(None, description="the printer's CMYK output profile (.icc), relative to the content file; default: the newsprint profile the set-up builds (FOGRA29L, 220%)")
    condition: str | None = Field(None, description="OutputConditionIdentifier, e.g. IFRA26; derived from the profile when left out")
    tac_limit: float = Field(240.0, ge=100, le=400, description="total area coverage limit in percent, enforced on photos and checked by preflight")
    target_ppi: float = Field(300.0, ge=72, le=1200, description="photos are downsampled to this resolution")
    min_ppi: float = Field(170.0, ge=50, le=600, description="warn (error with --strict) when a photo's effective resolution is lower")


DEFAULT_COLORS: dict[str, tuple[float, float, float, float]] = {
    "black": (0, 0, 0, 100),
    "white": (0, 0, 0, 0),
    "accent": (0, 100, 100, 10),
    "red": (0, 100, 100, 0),
    "green": (85, 10, 100, 10),
    "tint": (0, 0, 0, 10),
}


class Document(Strict):
    """A page: paper, grid, folio, typography, articles and ads."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, title="broadsheet content.yaml",
                              json_schema_extra={"$id": "https://broadsheet.invalid/content.schema.json"})

    page: PageSpec = Field(default_factory=PageSpec)
    folio: Folio
    typography: Typography = Field(default_factory=Typography)
    fonts: dict[str, dict[str, Any]] = Field(default_factory=dict, description="font role overrides: {role: {file: ..., index: ...}}")
    colors: dict[str, Color] = Field(default_factory=dict, description="palette: name -> [C, M, Y, K]")
    press: Press = Field(default_factory=Press)
    articles: list[Article] = Field(default_factory=list)
    ads: list[Ad] = Field(default_factory=list)

    def palette(self) -> dict[str, tuple[float, float, float, float]]:
        p = dict(DEFAULT_COLORS)
        for k, v in self.colors.items():
            if isinstance(v, tuple):
                p[k] = v
        return p
