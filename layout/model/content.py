"""The content model: everything content.yaml may say, validated with pydantic.

Field descriptions and examples feed the JSON Schema (``broadsheet schema``) that editors get
autocompletion from. Lengths stay as :class:`~layout.model.units.Length` (with their units) until
the page grid is known; colours are CMYK percentages or names from the page's palette.
"""

from __future__ import annotations

import datetime as _dt
from typing import Annotated, Any, Literal, Union

from pydantic import (AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, PlainSerializer, WithJsonSchema,
                      field_validator, model_validator)

from layout.model import values
from layout.model.units import Length


_LENGTH_SCHEMA = {
    "anyOf": [
        {"type": "number"},
        {"type": "string", "pattern": r"^\s*[+-]?(\d+(\.\d*)?|\.\d+)\s*(mm|cm|pt|in|字|行|栏|zi|em|line|lines|col|cols)?\s*$"},
    ],
    "description": "A length: 12mm, 9pt, 2字 (em of body text), 3行 (body lines), 2栏 (columns, with the gutters "
                   "between them); a bare number is in points.",
    "examples": ["12mm", "9pt", "2字", "3行"],
}
_SIZE_SCHEMA = {
    "anyOf": [
        {"type": "number"},
        {"type": "string"},
    ],
    "description": "A type size (字号): points (9pt, 84) or a Chinese size name (初号 小初 一号 小一 二号 小二 三号 小三 "
                   "四号 小四 五号 小五 六号 小六 七号 八号; 小五 = 9pt, 初号 = 42pt).",
    "examples": ["小五", "84pt", "二号"],
}

LengthPt = Annotated[Length, BeforeValidator(values.length_pt), PlainSerializer(str), WithJsonSchema(_LENGTH_SCHEMA)]
LengthMm = Annotated[Length, BeforeValidator(values.length_mm), PlainSerializer(str),
                     WithJsonSchema({**_LENGTH_SCHEMA, "description": "A length; a bare number is in millimetres.",
                                     "examples": ["12mm", "3mm", "1.5cm"]})]
LengthZi = Annotated[Length, BeforeValidator(values.length_zi), PlainSerializer(str),
                     WithJsonSchema({**_LENGTH_SCHEMA, "description": "A length; a bare number is in 字 (em of the text's size).",
                                     "examples": ["1字", "0.5字", "3mm"]})]
TypeSize = Annotated[float, BeforeValidator(values.size), WithJsonSchema(_SIZE_SCHEMA)]


Color = Annotated[
    Union[str, tuple[float, float, float, float]],
    BeforeValidator(values.color),
    WithJsonSchema({
        "anyOf": [
            {"type": "string", "description": "a palette name: black, white, accent, red, green, tint or one from `colors`"},
            {"type": "array", "items": {"type": "number", "minimum": 0, "maximum": 100}, "minItems": 4, "maxItems": 4,
             "description": "[C, M, Y, K] in percent"},
        ],
        "description": "A colour: a palette name (black, white, accent, red, green, tint, or one from `colors`) or "
                       "[C, M, Y, K] percentages.",
        "examples": ["accent", [0, 100, 100, 10]],
    }),
]


class Strict(BaseModel):
    """Base of every model: unknown keys are errors (so a typo such as `bylin` is caught, not
    silently ignored), text is stripped of surrounding whitespace, and true/false is refused where
    a number is meant."""

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

    top: LengthMm | None = Field(None, description=(
        "Top margin: from the trim to the top of the type area, with the folio (报眉) set in it. A bare number is "
        "in mm. Default from the page size: 30mm broadsheet, 26mm berliner, 24mm tabloid, 20mm custom."),
        examples=["30mm", 26])
    bottom: LengthMm | None = Field(None, description=(
        "Bottom margin: from the bottom of the type area to the trim. A bare number is in mm. Default from the page "
        "size: 22mm broadsheet, 20mm berliner, 18mm tabloid, 20mm custom."),
        examples=["22mm", 20])
    inner: LengthMm | None = Field(None, description=(
        "The spine-side margin (订口): the left on odd (right-hand) pages, the right on even pages. A bare number is "
        "in mm. Left out, the type area is centred; when column_chars does not fix the column width, 15mm is "
        "assumed for the width of the type area."),
        examples=["15mm"])
    outer: LengthMm | None = Field(None, description=(
        "The fore-edge margin (切口), opposite the spine: the right on odd pages, the left on even pages. A bare "
        "number is in mm. Left out, the type area is centred (15mm is assumed when columns are not fixed by "
        "column_chars)."),
        examples=["15mm"])


class PageSpec(Strict):
    """Paper size and the grid: columns, gutters, body size and the baseline grid."""

    size: Literal["broadsheet", "对开", "berliner", "tabloid", "四开", "custom"] = Field(
        "broadsheet", description=(
            "A page-size preset: broadsheet / 对开 390 x 545mm, 8 columns of 13 字; berliner 315 x 470mm, "
            "6 columns of 13 字; tabloid / 四开 275 x 390mm, 5 columns of 12 字; custom needs width and height "
            "(6 columns by default). Default broadsheet."),
        examples=["broadsheet", "berliner"])
    width: LengthMm | None = Field(None, description=(
        "Trim width (成品宽): required with size custom, or overrides a preset's width. A bare number is in mm. "
        "Giving a width without column_chars lets the columns fill the width between 15mm side margins."),
        examples=["390mm", 315])
    height: LengthMm | None = Field(None, description=(
        "Trim height (成品高): required with size custom, or overrides a preset's height. A bare number is in mm."),
        examples=["545mm", 470])
    margins: Margins = Field(default_factory=Margins, description=(
        "Margins around the type area (版心): top, bottom, inner (订口), outer (切口). Left out, they come from the "
        "size preset and the type area is centred."),
        examples=[{"top": "30mm", "bottom": "22mm"}])
    columns: int | None = Field(None, ge=1, le=20, description=(
        "Number of basic columns (栏) across the type area, 1-20. Default from the size: 8 broadsheet, 6 berliner, "
        "5 tabloid, 6 custom."),
        examples=[8, 6])
    column_chars: int | None = Field(None, ge=4, le=60, description=(
        "Body characters per column line (每栏字数), 4-60: fixes the column width to whole 字, as Chinese dailies "
        "set it. Default from the size: 13 broadsheet and berliner, 12 tabloid; none for custom or when a width "
        "is given."),
        examples=[13, 12])
    gutter: LengthZi = Field(default_factory=lambda: Length(1.0, "zi"), description=(
        "Space between two columns (栏空). A bare number is in 字 of body text. Default 1字."),
        examples=["1字", "3mm"])
    body_size: TypeSize = Field(9.0, description=(
        "Body text size (正文字号): pt or a Chinese size name. 字 lengths are measured in it. Default 9pt, i.e. "
        "小五, the size of most Chinese dailies."),
        examples=["小五", "五号", "9pt"])
    line_pitch: LengthPt = Field(default_factory=lambda: Length(12.0, "pt"), description=(
        "Baseline-grid pitch (行距, type size plus line gap): every body line of every column sits on this grid, "
        "and 行 lengths are measured in it. A bare number is in pt; at least the body size. Default 12pt, for "
        "9pt body text."),
        examples=["12pt", "4.25mm"])
    bleed: LengthMm = Field(default_factory=lambda: Length(3.0, "mm"), description=(
        "Bleed (出血): how far pictures and backgrounds that run off the page extend past the trim. A bare number "
        "is in mm. Default 3mm."),
        examples=["3mm", 5])
    slug: LengthMm = Field(default_factory=lambda: Length(10.0, "mm"), description=(
        "Room outside the bleed for crop marks (裁切线), registration marks and the slug line. A bare number is in "
        "mm. Default 10mm."),
        examples=["10mm"])
    odd: bool | None = Field(None, description=(
        "Whether this is an odd (right-hand, 单页) page: decides which side the spine margin and the folio's page "
        "number are on. Default from the folio's page number."),
        examples=[True, False])

    _custom_needs_size = model_validator(mode="after")(values.custom_needs_size)


class Folio(Strict):
    """The page header (报眉): paper name, date, page number and section label above a rule."""

    paper: str = Field(..., description=(
        "The paper's name (报名), set in the headline face and the accent colour at the folio's outer edge."),
        examples=["株洲日报"])
    date: _dt.date = Field(..., description=(
        "Issue date (出版日期) as YYYY-MM-DD; printed with the weekday, as 2024年10月31日　星期四."),
        examples=["2024-10-31"])
    page: int = Field(..., ge=1, le=999, description=(
        "Page number (版次), 1-999: printed as two digits in a black box at the inner edge. Odd numbers are "
        "right-hand pages."),
        examples=[3])
    section: str = Field("", description="Section label (版名), centred in the folio. Empty for none.",
                         examples=["高新区·天元区", "专版"])
    editor: str = Field("", description=(
        "Credits line (责任编辑, 美术编辑, 校对) set after the date. Empty for none."),
        examples=["责任编辑/李支国  美术编辑/盛荣  校对/谢慧"])
    show: bool = Field(True, description=(
        "Whether to set the folio at all; false leaves it off (e.g. a 专版 with a header of its own). Default true."),
        examples=[False])

    _date = field_validator("date", mode="before")(staticmethod(values.date))


class Typography(Strict):
    """Composition rules for Chinese text (W3C clreq)."""

    prohibition: Literal["none", "basic", "gb", "strict"] = Field("basic", description=(
        "Line-break prohibition level (禁则, clreq): none; basic keeps closing marks and stops off the start of a "
        "line and opening marks off its end; gb also keeps slashes off line ends; strict also keeps dashes and "
        "ellipses (—— ……) off line starts. Default basic."),
        examples=["basic", "strict"])
    indent: float = Field(2.0, ge=0, le=4, description=(
        "First-line indent of paragraphs (首行缩进) in 字, 0-4. Default 2; 1 suits narrow columns."),
        examples=[2, 1])
    adjacent_punct: float = Field(1.5, ge=1.0, le=2.0, description=(
        "Width in 字 that two adjacent full-width marks such as ”。 or ）， take together (标点挤压), 1-2: "
        "1 sets them tight, 2 leaves both full width. Default 1.5."),
        examples=[1.5, 1])
    han_latin_space: float = Field(0.25, ge=0, le=1, description=(
        "Space between Han characters and Latin letters or digits (中西文间距), in 字, 0-1. Default 0.25."),
        examples=[0.25, 0])
    hanging: bool = Field(False, description=(
        "Let 、，。 at the end of a line hang past the column edge (标点悬挂) rather than be squeezed in. "
        "Default false."),
        examples=[True])
    normalize: bool = Field(True, description=(
        "Turn ASCII punctuation in Chinese text (, . ? : ( ) and straight quotes) into full-width marks "
        "(，。？：（）“”) before setting; the build report lists every change. Default true."),
        examples=[True, False])
    keep: list[str] = Field(default_factory=list, description=(
        "Terms set as one unit: never broken across lines and with no Han–Latin space inside (词组不拆), "
        "e.g. coined words such as 厂BA or model names such as Z-1."),
        examples=[["厂BA", "Z-1"]])
    open_at_start: Literal["full", "half"] = Field("full", description=(
        "An opening mark （“《 at the start of a line keeps its full box (full, as most mainland papers set it) "
        "or loses its blank half (half, a clreq option)."),
        examples=["full", "half"])
    letterspace: float = Field(0.03, ge=0, le=0.1, description=(
        "Latin text: the most letters may move apart or together, in em, after word spaces have done what "
        "they can, so narrow columns need no gaping word spaces. 0 turns it off. Default 0.03."),
        examples=[0.03, 0])
    language: Literal["zh", "en", "de", "fr", "es", "it", "nl"] = Field("zh", description=(
        "Language of the body text: zh (Chinese, clreq rules; the default) or a Latin-script language "
        "(en, de, fr, es, it, nl), set with word spaces and hyphenation."),
        examples=["zh", "en"])


class Frame(Strict):
    """A rectangle on the page grid: columns are counted from 1 at the left, lines from 1 at the
    top of the type area."""

    column: int = Field(..., ge=1, description="First column (栏) of the frame; 1 is the leftmost.",
                        examples=[1, 3])
    columns: int = Field(1, ge=1, description=(
        "How many columns the frame spans, gutters included; all of them for a full-width (通栏) module. "
        "Default 1."),
        examples=[8, 3])
    line: int = Field(..., ge=1, description="First body line (行) of the frame; 1 is the top of the type area.",
                      examples=[1, 15])
    lines: int = Field(..., ge=1, description="Height of the frame in body lines (行) of the baseline grid.",
                       examples=[116, 40])


class Notch(Strict):
    """The corner of a stepped (L-shaped, 刀把) module that belongs to another story or an ad: a
    rectangle of whole columns and lines cut out of the frame at one of its corners."""

    corner: Literal["top-left", "top-right", "bottom-left", "bottom-right"] = Field(..., description=(
        "Which corner of the frame is cut out: top-left, top-right, bottom-left or bottom-right. At a bottom "
        "corner the headline block still spans the whole frame; at a top corner it spans the columns beside "
        "the notch."),
        examples=["bottom-right", "top-left"])
    columns: int = Field(..., ge=1, description=(
        "Width of the notch in columns (栏), counted from the frame's left or right edge; fewer than the "
        "frame's columns."),
        examples=[3])
    lines: int = Field(..., ge=1, description=(
        "Height of the notch in body lines (行), counted from the frame's top or bottom edge; fewer than the "
        "frame's lines."),
        examples=[40])


class ModuleFrame(Frame):
    """An article's module on the grid: a frame, optionally stepped (L-shaped) by a notch at one
    corner that another article or an ad fills."""

    notch: Notch | None = Field(None, description=(
        "Make the module stepped (L-shaped, 刀把型): the rectangle of `columns` x `lines` at `corner` is not "
        "part of it, so another article or an ad may sit there; the body text, tint, rules and column rules "
        "follow the L. Default none (a rectangle)."),
        examples=[{"corner": "bottom-right", "columns": 3, "lines": 40}])


class Headline(Strict):
    """The main head (主题) of an article: its text, size, face, alignment, colour and tracking. The
    kicker, subhead and byline are set with the same alignment."""

    text: str = Field(..., min_length=1, description=(
        "The main head (主题); a full-width space 　 separates parallel phrases."),
        examples=["实力高新　出圈有道"])
    size: TypeSize = Field(..., description=(
        "Type size of the head: pt or a Chinese size name (初号 = 42pt). A head too wide for its frame is set "
        "smaller, with a warning."),
        examples=["90pt", "初号"])
    font: str = Field("headline", description=(
        "Font role for the head, from fonts/fonts.yaml or `fonts`: headline (大标宋-style serif, the default), "
        "headline_sans (大黑-style sans), subhead (黑体), kai_bold (楷体)."),
        examples=["headline", "headline_sans"])
    align: Literal["left", "center", "right"] = Field("center", description=(
        "Alignment of the head, and of the kicker, subhead and byline with it, across the frame. Default center."),
        examples=["center", "left"])
    color: Color = Field("black", description=(
        "Colour of the head: a palette name (black, white, accent, red, green, tint, or one from `colors`) or "
        "[C, M, Y, K] percentages. Default black."),
        examples=["accent", [0, 100, 100, 10]])
    tracking: float = Field(0.0, ge=-0.3, le=1.0, description=(
        "Extra space between the head's characters (字距), in em of the head, -0.3 to 1. Default 0."),
        examples=[0.05, 0])
    fit: bool = Field(False, description=(
        "Fit the head to its frame: the largest size between min_size and max_size at which it fills the "
        "frame's width on max_lines lines. Default false (size as given)."),
        examples=[True])
    min_size: TypeSize | None = Field(None, description="Smallest size `fit` may choose; default half of size.",
                                      examples=["36pt"])
    max_size: TypeSize | None = Field(None, description="Largest size `fit` may choose; default size.",
                                      examples=["96pt"])
    max_lines: int = Field(1, ge=1, le=4, description=(
        "Lines the head may take. A head too long for one line breaks at a space or phrase boundary, "
        "with the lines balanced (upper line not shorter). Default 1."),
        examples=[1, 2])

    _sizes_in_order = model_validator(mode="after")(values.sizes_in_order)


class SectionHead(Strict):
    """A section head (小标题) within an article's body, written in the body list as
    {number: "1", head: ...}: the number reversed out of an accent square, the head in 黑体 beside it."""

    head: str = Field(..., min_length=1, description="Text of the section head (小标题).",
                      examples=["产业名片求实向新"])
    number: str = Field("", description=(
        "A numeral or letter set large before the head; quote digits (\"1\") so YAML keeps them as text. Empty "
        "for none."),
        examples=["1", "A"])


Paragraph = Annotated[str, AfterValidator(values.paragraph)]
Block = Union[Paragraph, SectionHead]


class Picture(Strict):
    """One picture of a photo group (组图): its file and the point kept in view when it is cropped
    to its cell. Written as a mapping, or as the bare file name when the centre will do."""

    file: str = Field(..., min_length=1, description=(
        "The image file, relative to the content file's folder."),
        examples=["images/wanfeng-lake.jpg"])
    focus: tuple[float, float] = Field((0.5, 0.5), description=(
        "Focal point [x, y] as fractions of the picture's width and height, 0-1, kept in view when the picture "
        "is cropped to its cell. Default [0.5, 0.5], the centre."),
        examples=[[0.5, 0.3]])

    _focus = field_validator("focus")(staticmethod(values.focus))


PictureFile = Annotated[str, AfterValidator(values.file_name)]


class Photo(Strict):
    """A photo (图片) in an article: the picture cropped to fill its grid frame, with the caption
    (图说) and credit set in the frame's last lines. The body text flows around it. With `group`
    instead of `file` it is a photo group (组图): several pictures side by side (or in rows) in
    the one frame, separated by the column gutter, under one caption and credit. Without a
    `frame` on a hand-placed page the engine places it (the first under the head, others lower
    down the columns), sized from the picture's shape."""

    # one of file and group (checked, with the editor's line and column, in layout.model.validate)
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True,
                              json_schema_extra={"oneOf": [{"required": ["file"]}, {"required": ["group"]}]})

    id: str = Field("", description=(
        "A short name for messages and the build report, unique on the page. Optional."),
        examples=["wanfeng"])
    file: str | None = Field(None, min_length=1, description=(
        "The image file, relative to the content file's folder; converted to CMYK, cropped and downsampled for "
        "press. Required unless the photo is a `group`."),
        examples=["images/wanfeng-lake.jpg"])
    group: list[Picture | PictureFile] | None = Field(None, min_length=2, description=(
        "A photo group (组图) instead of one `file`: two or more pictures, each a file name or {file, focus}, "
        "set side by side in the frame (in rows of `across`) with the column gutter between them, each cropped "
        "to its cell around its own focus; one caption and credit under them all."),
        examples=[["images/wanfeng-lake.jpg", {"file": "images/power-valley.jpg", "focus": [0.6, 0.5]}]])
    across: int | None = Field(None, ge=1, le=8, description=(
        "For a `group`: pictures per row, 1-8; the rows share the picture area equally. Default: all the "
        "pictures in one row."),
        examples=[2, 3])
    frame: Frame | None = Field(None, description=(
        "Where the photo sits on the grid, its caption lines included; it must lie inside the article's frame. "
        "Left out, the engine places it: the first photo without a frame at the top of the body, across most of "
        "the article's columns, further ones lower down, alternately left and right, their height from the "
        "picture's proportions (on a `place: auto` page the automatic layout places it)."),
        examples=[{"column": 3, "columns": 6, "line": 15, "lines": 40}])
    caption: str = Field("", description=(
        "Caption (图说), set under the picture in bold 楷体 after a ▲. Empty for none."),
        examples=["万丰湖", "“厂BA”"])
    credit: str = Field("", description=(
        "Credit line (图片来源) set right-aligned under the caption. Empty for none."),
        examples=["（图片由天元区融媒体中心提供）"])
    focus: tuple[float, float] = Field((0.5, 0.5), description=(
        "Focal point [x, y] as fractions of the picture's width and height, 0-1, kept in view when the picture "
        "is cropped to its frame. Default [0.5, 0.5], the centre."),
        examples=[[0.5, 0.3]])
    caption_lines: int = Field(2, ge=1, le=6, description=(
        "Body lines at the foot of the frame kept for the caption, credit and a blank line, 1-6. Default 2; the "
        "frame must be at least one line taller than this (or than the caption and credit need)."),
        examples=[2, 3])
    bleed: list[Literal["top", "bottom", "left", "right"]] = Field(default_factory=list, description=(
        "Sides on which the picture runs off the page (出血): on those sides it extends past the trim to the "
        "bleed box. Use on frames that touch the type area's edge. Default none."),
        examples=[["top", "right"]])

    _focus = field_validator("focus")(staticmethod(values.focus))


class Continuation(Strict):
    """Where a continued story (转版稿) comes from: the page's content file, the article, its page."""

    file: str = Field(..., min_length=1, description="The content file of the page the story starts on, relative to this one.",
                      examples=["p01.yaml"])
    article: str = Field(..., min_length=1, description="The id of the article there.", examples=["main"])
    page: int = Field(..., ge=1, le=999, description="That page's number, for the jump line （上接第N版）.", examples=[1])


class Article(Strict):
    """A story (稿件) in its module on the grid: the headline block (引题, 主题, 副题, byline) across
    the top of its frame, then the body flowing down the columns and around its photos."""

    id: str = Field(..., min_length=1, description=(
        "A short name, unique on the page, used in messages and the build report (e.g. overset text)."),
        examples=["main"])
    frame: ModuleFrame | None = Field(None, description=(
        "The article's module on the grid; its heads, body and photos all stay inside it. A `notch` makes it "
        "stepped (L-shaped). Required unless the page says `place: auto`."),
        examples=[{"column": 1, "columns": 8, "line": 1, "lines": 116}])
    priority: int = Field(2, ge=1, le=9, description=(
        "For `place: auto`: 1 is the lead (top of the page, widest), larger numbers matter less and sit lower. "
        "Default 2."),
        examples=[1, 3])
    min_columns: int | None = Field(None, ge=1, le=20, description=(
        "For `place: auto`: the narrowest module the story may take, in columns. Default 2."),
        examples=[2])
    max_columns: int | None = Field(None, ge=1, le=20, description=(
        "For `place: auto`: the widest module the story may take, in columns. Default: the page's columns."),
        examples=[6])
    kicker: str = Field("", description="Kicker (引题), set in bold 楷体 above the main head. Empty for none.",
                        examples=["从城市品牌塑造看株洲高新区高质量发展之一"])
    headline: Headline = Field(..., description=(
        "The main head (主题): text and size, optionally font, align, color and tracking."),
        examples=[{"text": "实力高新　出圈有道", "size": "90pt", "font": "headline", "color": "accent"}])
    subhead: str = Field("", description="Subhead (副题), set in 黑体 under the main head. Empty for none.",
                         examples=["——从城市品牌塑造看株洲高新区高质量发展"])
    byline: str = Field("", description=(
        "Byline (署名) of reporters and correspondents, set in 楷体 under the heads. Empty for none."),
        examples=["株洲日报全媒体记者/潘东晓 杨如　通讯员/张弥郁"])
    body: list[Block] = Field(..., description=(
        "The body text (正文): a list of paragraphs (text) and section heads (小标题, {number: ..., head: ...}), "
        "set on the baseline grid with a first-line indent, column after column."),
        examples=[["城市品牌，也叫城市IP……", {"number": "1", "head": "产业名片求实向新"}]])
    photos: list[Photo] = Field(default_factory=list, description=(
        "Photos (图片) inside the article's frame; the body text flows around them. Default none."),
        examples=[[{"id": "wanfeng", "file": "images/wanfeng-lake.jpg",
                    "frame": {"column": 3, "columns": 6, "line": 15, "lines": 40}, "caption": "万丰湖"}]])
    head_lines: int | None = Field(None, ge=1, description=(
        "Body lines (行) the headline block takes at the top of the frame, a blank line before the body "
        "included. Computed from the heads when left out."),
        examples=[14])
    rule_above: bool | None = Field(None, description=(
        "A thin rule across the top of the module, separating it from the story above (报线). Default: drawn "
        "when the frame does not start at the type area's top."),
        examples=[True, False])
    tint: Color | None = Field(None, description=(
        "Background tint of the whole module (底纹), e.g. tint (10 % black) for a sidebar; body text stays "
        "100 % black. Default none."),
        examples=["tint", [0, 0, 0, 10]])
    column_rules: bool = Field(False, description=(
        "Hairlines in the gutters between the article's text columns (栏线). Default false: white gutters."),
        examples=[True])
    jump_to: int | None = Field(None, ge=1, le=999, description=(
        "Page the story continues on (转版): text that does not fit ends with a jump line （下转第N版） "
        "instead of being overset. The continuation names this article in `continued_from`."),
        examples=[5])
    fit: Annotated[Literal["off", "auto"], BeforeValidator(values.on_off)] = Field("off", description=(
        "Copyfit (自动调整): `auto` lets the engine make the story fill its module exactly by adjusting, within "
        "bounds, the height of its photos, the size of its main head and, on Latin-script pages, the body's "
        "tracking (Chinese body text keeps its character grid); the build report says what changed. Default "
        "`off`: text that does not fit is reported as overset. (`off` may be written unquoted.)"),
        examples=["auto"])
    continued_from: Continuation | None = Field(None, description=(
        "This article continues a story from another page (上接): its body is what did not fit there, "
        "opened by a jump line （上接第N版）. Its own `body` is then left empty ([])."),
        examples=[{"file": "p01.yaml", "article": "main", "page": 1}])

    _no_empty = field_validator("body")(staticmethod(values.no_empty))


class PublicServiceAd(Strict):
    """A boxed public-service ad (公益广告) laid out by the engine from its parts."""

    kind: Literal["public-service"] = Field(..., description=(
        "The kind of ad: public-service, drawn by the engine from the parts below."),
        examples=["public-service"])
    id: str = Field("", description=(
        "A short name for messages and the build report, unique on the page. Optional."),
        examples=["forest-fire"])
    frame: Frame = Field(..., description="The ad's module on the grid.",
                         examples=[{"column": 6, "columns": 3, "line": 55, "lines": 62}])
    title: str = Field(..., min_length=1, description=(
        "Display title across the top of the ad, in a heavy sans sized to the frame."),
        examples=["预防森林火灾"])
    characters: list[str] = Field(..., min_length=1, description=(
        "Single characters, each reversed out of its own circle, up to six a row."),
        examples=[["护", "林", "常", "抓", "不", "懈", "防", "火", "警", "钟", "长", "鸣"]])
    tagline: str = Field("", description="A line in bold 楷体 under the circles. Empty for none.",
                         examples=["守护绿色家园"])
    slogan: str = Field("", description="A slogan reversed out of a band in the ad's colour. Empty for none.",
                        examples=["森林防火　人人有责"])
    designer: str = Field("", description="Designer credit, set small at the bottom right. Empty for none.",
                          examples=["设计/王莹"])
    label: str = Field("公益广告", description=(
        "The tag in the top-left corner that marks it as an ad. Default 公益广告; empty for none."),
        examples=["公益广告"])
    sponsor: str = Field("", description="Sponsor (出品单位), set under a rule at the foot. Empty for none.",
                         examples=["株洲日报"])
    color: Color = Field("green", description=(
        "The ad's colour, for the border, label, circles and band, with tints of it behind: a palette name or "
        "[C, M, Y, K] percentages. Default green."),
        examples=["green", [85, 10, 100, 10]])

    _single = field_validator("characters")(staticmethod(values.single))


class ImageAd(Strict):
    """An ad delivered as an image file, placed to fill its frame."""

    kind: Literal["image"] = Field(..., description=(
        "The kind of ad: image, a finished file supplied by the advertiser."),
        examples=["image"])
    id: str = Field("", description=(
        "A short name for messages and the build report, unique on the page. Optional."),
        examples=["bank-ad"])
    frame: Frame = Field(..., description=(
        "The ad's module on the grid; the image is cropped about its centre to fill it."),
        examples=[{"column": 1, "columns": 4, "line": 90, "lines": 27}])
    file: str = Field(..., description="The ad's image file, relative to the content file's folder.",
                      examples=["images/ad-bank.jpg"])
    label: str = Field("广告", description=(
        "What marks it as an ad (广告标识). Default 广告. Not printed for image ads: the file should carry its "
        "own."),
        examples=["广告"])


Ad = Annotated[Union[PublicServiceAd, ImageAd], Field(discriminator="kind")]

class Press(Strict):
    """What the printing plant takes: PDF/X variant, output profile, ink and image limits."""

    pdfx: Literal["X-4", "X-1a"] = Field("X-4", description=(
        "PDF/X variant of the press PDF: X-4 (the default) or X-1a, as the printing plant asks."),
        examples=["X-4", "X-1a"])
    profile: str | None = Field(None, description=(
        "The printer's CMYK output profile (.icc), relative to the content file. Default: the newsprint profile the "
        "set-up builds (FOGRA29L, 220%)."),
        examples=["profiles/WAN-IFRAnewspaper26v5.icc"])
    condition: str | None = Field(None, description=(
        "The output condition identifier named in the PDF/X OutputIntent, e.g. IFRA26. Derived from the profile "
        "when left out."),
        examples=["IFRA26"])
    tac_limit: float = Field(240.0, ge=100, le=400, description=(
        "Total area coverage (总墨量) limit in percent, 100-400: enforced on photos and checked by preflight. "
        "Default 240."),
        examples=[240, 220])
    target_ppi: float = Field(300.0, ge=72, le=1200, description=(
        "Resolution in pixels per inch at printed size that photos are downsampled to, 72-1200. Default 300."),
        examples=[300, 200])
    min_ppi: float = Field(170.0, ge=50, le=600, description=(
        "Lowest acceptable effective resolution of a photo in pixels per inch, 50-600: below it the build warns "
        "(fails with --strict). Default 170."),
        examples=[170, 150])


class Document(Strict):
    """A page: paper, grid, folio, typography, articles and ads."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, title="broadsheet content.yaml",
                              json_schema_extra={"$id": "https://broadsheet.invalid/content.schema.json"})

    page: PageSpec = Field(default_factory=PageSpec, description=(
        "Paper size and grid (版式): size preset, columns, body size, baseline grid, margins and bleed. Default: "
        "a broadsheet (对开) of 8 columns of 13 小五 characters."),
        examples=[{"size": "broadsheet", "body_size": "小五", "line_pitch": "12pt", "bleed": "3mm"}])
    folio: Folio = Field(..., description=(
        "The page header (报眉): paper name, date, page number, section and credits. Required."),
        examples=[{"paper": "株洲日报", "date": "2024-10-31", "page": 3, "section": "高新区·天元区"}])
    typography: Typography = Field(default_factory=Typography, description=(
        "Rules for setting Chinese text: line-break prohibitions (禁则), indent, punctuation and Han-Latin "
        "spacing. The defaults suit a Chinese daily."),
        examples=[{"prohibition": "basic", "indent": 2, "han_latin_space": 0.25}])
    fonts: dict[str, dict[str, Any]] = Field(default_factory=dict, description=(
        "Font role overrides for this page, {role: {file: ..., index: ...}}, with the roles of fonts/fonts.yaml "
        "(body, headline, headline_sans, subhead, kai, ...); index picks a face in a .ttc collection."),
        examples=[{"body": {"file": "NotoSerifCJK-Regular.ttc", "index": 2}}])
    colors: dict[str, Color] = Field(default_factory=dict, description=(
        "Palette additions or overrides, name -> [C, M, Y, K] percentages, usable wherever a colour is asked "
        "for. Built in: black, white, accent [0, 100, 100, 10], red, green, tint."),
        examples=[{"accent": [0, 100, 100, 10], "brand": [100, 60, 0, 0]}])
    place: Literal["manual", "auto"] = Field("manual", description=(
        "manual: every article and photo has its frame. auto: the engine tiles the type area with the articles "
        "(by priority and length) and the ads (keeping their size, stacked from the bottom), and places one photo "
        "per article; it reports the layout's score."),
        examples=["auto"])
    press: Press = Field(default_factory=Press, description=(
        "What the printing plant takes: PDF/X variant, output profile, ink limit and photo resolution. The "
        "defaults suit newsprint."),
        examples=[{"pdfx": "X-1a", "tac_limit": 220}])
    articles: list[Article] = Field(default_factory=list, description=(
        "The stories (稿件) on the page, each in its own module on the grid."),
        examples=[[{"id": "main", "frame": {"column": 1, "columns": 8, "line": 1, "lines": 116},
                    "headline": {"text": "实力高新　出圈有道", "size": "90pt", "color": "accent"},
                    "body": ["城市品牌，也叫城市IP……"]}]])
    ads: list[Ad] = Field(default_factory=list, description=(
        "Ads (广告) on the page: kind public-service (drawn by the engine) or kind image (a supplied file)."),
        examples=[[{"kind": "public-service", "id": "forest-fire",
                    "frame": {"column": 6, "columns": 3, "line": 55, "lines": 62}, "title": "预防森林火灾",
                    "characters": ["护", "林", "常", "抓"], "slogan": "森林防火　人人有责"}]])


class EditionPage(Strict):
    """One page of an edition: its content file, and the section label for its folio."""

    file: str = Field(..., min_length=1, description=(
        "The page's content file, relative to the edition file."),
        examples=["pages/p01.yaml"])
    section: str | None = Field(None, description=(
        "Section label (版名) for this page's folio, replacing the page's own. Default: the page's."),
        examples=["要闻"])


class Edition(Strict):
    """An edition file (edition.yaml): the paper, date and pages of one issue, in order. Folios
    number themselves from the list's order; the paper and date given here apply to every page."""

    paper: str | None = Field(None, description=(
        "The paper's name for every folio. Default: each page's own."),
        examples=["株洲日报"])
    date: _dt.date | None = Field(None, description=(
        "Issue date for every folio, as YYYY-MM-DD. Default: each page's own."),
        examples=["2024-10-31"])
    first_page: int = Field(1, ge=1, le=999, description=(
        "Number of the first page, 1-999; the others follow in order. Default 1."),
        examples=[1, 5])
    combined: bool = Field(False, description=(
        "Also write one PDF holding every page, for proofing. Default false."),
        examples=[True])
    pages: list[EditionPage | str] = Field(..., min_length=1, description=(
        "The pages in order: each a content file (relative to the edition file) or "
        "{file, section}."),
        examples=[["pages/p01.yaml", {"file": "pages/p02.yaml", "section": "要闻"}]])

    _date = field_validator("date", mode="before")(staticmethod(values.date))
