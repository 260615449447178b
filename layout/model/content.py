"""The content model: everything content.yaml may say, defined once, as msgspec Structs.

Each class is one concept of the page (a frame, a photo, an article); each field carries its type,
its bounds and, in its metadata, the description and examples that the JSON Schema (``broadsheet
schema``, which editors get completion from) and the reference (docs/content.md) are made of.
:mod:`layout.model.read` turns the YAML data into these records with ``msgspec.convert``; when it
refuses a file, the same classes tell the editor every problem and where it is.

The records are what composition reads: frozen, so that data flows down and never back. Lengths
stay :class:`~layout.model.units.Length` (with their units) until the page grid is known; colours
are CMYK percentages or names from the page's palette.
"""

import datetime as _dt
from typing import Annotated, Any, Callable, ClassVar, Literal, Union

import msgspec
from msgspec import Meta, Struct

from layout.model import values
from layout.model.values import DEFAULT_COLORS, LengthMm, LengthPt, LengthZi, TypeSize


def meta(description: str, examples: list, **constraints) -> Meta:
    """A field's documentation (description, examples) and bounds, in one ``Meta``."""
    return Meta(description=description, examples=examples, **constraints)


#: a CMYK percentage; ``extra["message"]`` is how the reader words a value out of bounds
Percent = Annotated[float, Meta(ge=0, le=100, extra={"message": "CMYK percentages must lie between 0 and 100"})]
Color = Annotated[
    Union[str, tuple[Percent, Percent, Percent, Percent]],
    Meta(extra={"message": "expected a colour: [C, M, Y, K] percentages such as [0, 100, 100, 0], or a palette "
                           "name such as accent"}),
]
#: a paragraph of body text (blank ones are refused: the reader strips every text first)
Paragraph = Annotated[str, Meta(min_length=1, extra={"message": "empty paragraph"})]
#: a picture of a photo group written as its bare file name
PictureFile = Annotated[str, Meta(min_length=1, extra={"message": "empty file name"})]
#: a focal point's coordinate, a fraction of the picture
Fraction = Annotated[float, Meta(ge=0, le=1, extra={"message": "focus coordinates lie between 0 and 1"})]


class Strict(Struct, forbid_unknown_fields=True, kw_only=True, frozen=True):
    """Base of every record: unknown keys are errors (so a typo such as `bylin` is caught, not
    silently ignored), and records never change once read (composition makes new ones with
    ``msgspec.structs.replace``). ``checks`` names checks beyond each field's own type and bounds:
    (field, function) pairs, the field "" for a check of the whole record; each function raises
    :class:`ValueError` with the editor's message."""

    checks: ClassVar[tuple[tuple[str, Callable[[Any], None]], ...]] = ()

    def __post_init__(self) -> None:
        for name, check in self.checks:
            check(getattr(self, name) if name else self)


class Margins(Strict, kw_only=True):
    """Margins around the type area (版心). Any side left out is computed so the type area is centred."""

    top: Annotated[LengthMm | None, meta("Top margin: from the trim to the top of the type area, with the folio (报眉) set in it. A bare number is "
        "in mm. Default from the page size: 30mm broadsheet, 26mm berliner, 24mm tabloid, 20mm custom.", ["30mm", 26])] = None
    bottom: Annotated[LengthMm | None, meta("Bottom margin: from the bottom of the type area to the trim. A bare number is in mm. Default from the page "
        "size: 22mm broadsheet, 20mm berliner, 18mm tabloid, 20mm custom.", ["22mm", 20])] = None
    inner: Annotated[LengthMm | None, meta("The spine-side margin (订口): the left on odd (right-hand) pages, the right on even pages. A bare number is "
        "in mm. Left out, the type area is centred; when column_chars does not fix the column width, 15mm is "
        "assumed for the width of the type area.", ["15mm"])] = None
    outer: Annotated[LengthMm | None, meta("The fore-edge margin (切口), opposite the spine: the right on odd pages, the left on even pages. A bare "
        "number is in mm. Left out, the type area is centred (15mm is assumed when columns are not fixed by "
        "column_chars).", ["15mm"])] = None


class PageSpec(Strict, kw_only=True):
    """Paper size and the grid: columns, gutters, body size and the baseline grid."""

    size: Annotated[Literal["broadsheet", "对开", "berliner", "tabloid", "四开", "custom"], meta("A page-size preset: broadsheet / 对开 390 x 545mm, 8 columns of 13 字; berliner 315 x 470mm, "
            "6 columns of 13 字; tabloid / 四开 275 x 390mm, 5 columns of 12 字; custom needs width and height "
            "(6 columns by default). Default broadsheet.", ["broadsheet", "berliner"])] = "broadsheet"
    width: Annotated[LengthMm | None, meta("Trim width (成品宽): required with size custom, or overrides a preset's width. A bare number is in mm. "
        "Giving a width without column_chars lets the columns fill the width between 15mm side margins.", ["390mm", 315])] = None
    height: Annotated[LengthMm | None, meta("Trim height (成品高): required with size custom, or overrides a preset's height. A bare number is in mm.", ["545mm", 470])] = None
    margins: Annotated[Margins, meta("Margins around the type area (版心): top, bottom, inner (订口), outer (切口). Left out, they come from the "
        "size preset and the type area is centred.", [{"top": "30mm", "bottom": "22mm"}])] = msgspec.field(default_factory=Margins)
    columns: Annotated[Annotated[int, Meta(ge=1, le=20)] | None, meta("Number of basic columns (栏) across the type area, 1-20. Default from the size: 8 broadsheet, 6 berliner, "
        "5 tabloid, 6 custom.", [8, 6])] = None
    column_chars: Annotated[Annotated[int, Meta(ge=4, le=60)] | None, meta("Body characters per column line (每栏字数), 4-60: fixes the column width to whole 字, as Chinese dailies "
        "set it. Default from the size: 13 broadsheet and berliner, 12 tabloid; none for custom or when a width "
        "is given.", [13, 12])] = None
    gutter: Annotated[LengthZi, meta("Space between two columns (栏空). A bare number is in 字 of body text. Default 1字.", ["1字", "3mm"])] = msgspec.field(default_factory=lambda: LengthZi(1.0, "zi"))
    body_size: Annotated[TypeSize, meta("Body text size (正文字号): pt or a Chinese size name. 字 lengths are measured in it. Default 9pt, i.e. "
        "小五, the size of most Chinese dailies.", ["小五", "五号", "9pt"])] = msgspec.field(default_factory=lambda: TypeSize(9.0))
    line_pitch: Annotated[LengthPt, meta("Baseline-grid pitch (行距, type size plus line gap): every body line of every column sits on this grid, "
        "and 行 lengths are measured in it. A bare number is in pt; at least the body size. Default 12pt, for "
        "9pt body text.", ["12pt", "4.25mm"])] = msgspec.field(default_factory=lambda: LengthPt(12.0, "pt"))
    bleed: Annotated[LengthMm, meta("Bleed (出血): how far pictures and backgrounds that run off the page extend past the trim. A bare number "
        "is in mm. Default 3mm.", ["3mm", 5])] = msgspec.field(default_factory=lambda: LengthMm(3.0, "mm"))
    slug: Annotated[LengthMm, meta("Room outside the bleed for crop marks (裁切线), registration marks and the slug line. A bare number is in "
        "mm. Default 10mm.", ["10mm"])] = msgspec.field(default_factory=lambda: LengthMm(10.0, "mm"))
    odd: Annotated[bool | None, meta("Whether this is an odd (right-hand, 单页) page: decides which side the spine margin and the folio's page "
        "number are on. Default from the folio's page number.", [True, False])] = None
    checks = (("", values.custom_needs_size),)


class Folio(Strict, kw_only=True):
    """The page header (报眉): paper name, date, page number and section label above a rule."""

    paper: Annotated[str, meta("The paper's name (报名), set in the headline face and the accent colour at the folio's outer edge.", ["株洲日报"])]
    date: Annotated[_dt.date, meta("Issue date (出版日期) as YYYY-MM-DD; printed with the weekday, as 2024年10月31日　星期四.", ["2024-10-31"])]
    page: Annotated[int, meta("Page number (版次), 1-999: printed as two digits in a black box at the inner edge. Odd numbers are "
        "right-hand pages.", [3], ge=1, le=999)]
    section: Annotated[str, meta("Section label (版名), centred in the folio. Empty for none.", ["高新区·天元区", "专版"])] = ""
    editor: Annotated[str, meta("Credits line (责任编辑, 美术编辑, 校对) set after the date. Empty for none.", ["责任编辑/李支国  美术编辑/盛荣  校对/谢慧"])] = ""
    show: Annotated[bool, meta("Whether to set the folio at all; false leaves it off (e.g. a 专版 with a header of its own). Default true.", [False])] = True


class Typography(Strict, kw_only=True):
    """Composition rules for Chinese text (W3C clreq)."""

    prohibition: Annotated[Literal["none", "basic", "gb", "strict"], meta("Line-break prohibition level (禁则, clreq): none; basic keeps closing marks and stops off the start of a "
        "line and opening marks off its end; gb also keeps slashes off line ends; strict also keeps dashes and "
        "ellipses (—— ……) off line starts. Default basic.", ["basic", "strict"])] = "basic"
    indent: Annotated[float, meta("First-line indent of paragraphs (首行缩进) in 字, 0-4. Default 2; 1 suits narrow columns.", [2, 1], ge=0, le=4)] = 2.0
    adjacent_punct: Annotated[float, meta("Width in 字 that two adjacent full-width marks such as ”。 or ）， take together (标点挤压), 1-2: "
        "1 sets them tight, 2 leaves both full width. Default 1.5.", [1.5, 1], ge=1.0, le=2.0)] = 1.5
    han_latin_space: Annotated[float, meta("Space between Han characters and Latin letters or digits (中西文间距), in 字, 0-1. Default 0.25.", [0.25, 0], ge=0, le=1)] = 0.25
    hanging: Annotated[bool, meta("Let 、，。 at the end of a line hang past the column edge (标点悬挂) rather than be squeezed in. "
        "Default false.", [True])] = False
    normalize: Annotated[bool, meta("Turn ASCII punctuation in Chinese text (, . ? : ( ) and straight quotes) into full-width marks "
        "(，。？：（）“”) before setting; the build report lists every change. Default true.", [True, False])] = True
    keep: Annotated[list[str], meta("Terms set as one unit: never broken across lines and with no Han–Latin space inside (词组不拆), "
        "e.g. coined words such as 厂BA or model names such as Z-1.", [["厂BA", "Z-1"]])] = []
    open_at_start: Annotated[Literal["full", "half"], meta("An opening mark （“《 at the start of a line keeps its full box (full, as most mainland papers set it) "
        "or loses its blank half (half, a clreq option).", ["full", "half"])] = "full"
    expansion: Annotated[float, meta("Latin text: how much wider or narrower glyphs may be drawn (font expansion, as TeX's microtype "
        "does), as a fraction, 0-0.05, after word spaces have done what they can: even word spacing in narrow "
        "columns without letter-spacing. Default 0.03 (3 %); 0 turns it off. Chinese text keeps its grid and is "
        "never expanded.", [0.03, 0], ge=0, le=0.05)] = 0.03
    letterspace: Annotated[float, meta("Latin text: the most letters may move apart or together, in em, after word spaces have done what "
        "they can (letter-spacing). 0 (the default) never spaces letters: narrow columns are justified by word "
        "spaces and hyphenation, as TeX does; letter-spaced text is set without ligatures.", [0, 0.02], ge=0, le=0.1)] = 0.0
    language: Annotated[Literal["zh", "zh-Hans", "zh-Hant", "zh-HK", "en", "de", "fr", "es", "it", "nl"], meta(
        "Language of the text: zh (or zh-Hans, Simplified Chinese, clreq rules; the default), zh-Hant (Traditional "
        "Chinese as Taiwan sets it) or zh-HK (Hong Kong), or a Latin-script language (en, de, fr, es, it, nl), "
        "set with word spaces and hyphenation. Traditional Chinese takes the font's Traditional forms (centred "
        "，。、 through its locl feature), full-width marks and 「」『』 quotes.", ["zh", "zh-Hant", "en"])] = "zh"
    compress: Annotated[bool | None, meta("Compress full-width punctuation (标点挤压): a mark at a line end, two adjacent marks and the "
        "marks of a tight line lose their blank half. Default: yes for Simplified Chinese (mainland GB style, "
        "the ink of ，。 sits in the corner of its box), no for zh-Hant and zh-HK (centred marks, every mark a "
        "full em).", [True, False])] = None


class Frame(Strict, kw_only=True):
    """A rectangle on the page grid: columns are counted from 1 at the left, lines from 1 at the
    top of the type area."""

    column: Annotated[int, meta("First column (栏) of the frame; 1 is the leftmost.", [1, 3], ge=1)]
    columns: Annotated[int, meta("How many columns the frame spans, gutters included; all of them for a full-width (通栏) module. "
        "Default 1.", [8, 3], ge=1)] = 1
    line: Annotated[int, meta("First body line (行) of the frame; 1 is the top of the type area.", [1, 15], ge=1)]
    lines: Annotated[int, meta("Height of the frame in body lines (行) of the baseline grid.", [116, 40], ge=1)]


class Notch(Strict, kw_only=True):
    """The corner of a stepped (L-shaped, 刀把) module that belongs to another story or an ad: a
    rectangle of whole columns and lines cut out of the frame at one of its corners."""

    corner: Annotated[Literal["top-left", "top-right", "bottom-left", "bottom-right"], meta("Which corner of the frame is cut out: top-left, top-right, bottom-left or bottom-right. At a bottom "
        "corner the headline block still spans the whole frame; at a top corner it spans the columns beside "
        "the notch.", ["bottom-right", "top-left"])]
    columns: Annotated[int, meta("Width of the notch in columns (栏), counted from the frame's left or right edge; fewer than the "
        "frame's columns.", [3], ge=1)]
    lines: Annotated[int, meta("Height of the notch in body lines (行), counted from the frame's top or bottom edge; fewer than the "
        "frame's lines.", [40], ge=1)]


class ModuleFrame(Frame, kw_only=True):
    """An article's module on the grid: a frame, optionally stepped (L-shaped) by a notch at one
    corner that another article or an ad fills."""

    notch: Annotated[Notch | None, meta("Make the module stepped (L-shaped, 刀把型): the rectangle of `columns` x `lines` at `corner` is not "
        "part of it, so another article or an ad may sit there; the body text, tint, rules and column rules "
        "follow the L. Default none (a rectangle).", [{"corner": "bottom-right", "columns": 3, "lines": 40}])] = None


class Headline(Strict, kw_only=True):
    """The main head (主题) of an article: its text, size, face, alignment, colour and tracking. The
    kicker, subhead and byline are set with the same alignment."""

    text: Annotated[str, meta("The main head (主题); a full-width space 　 separates parallel phrases.", ["实力高新　出圈有道"], min_length=1)]
    size: Annotated[TypeSize, meta("Type size of the head: pt or a Chinese size name (初号 = 42pt). A head too long for its frame on "
        "max_lines lines is set smaller down to min_size, then wraps onto more balanced lines (the report says "
        "so); only a run with no place to break wider than the frame is set below min_size, with a warning.",
        ["90pt", "初号"])]
    font: Annotated[str, meta("Font role for the head, from fonts/fonts.yaml or `fonts`: headline (大标宋-style serif, the default), "
        "headline_sans (大黑-style sans), subhead (黑体), kai_bold (楷体).", ["headline", "headline_sans"])] = "headline"
    align: Annotated[Literal["left", "center", "right"], meta("Alignment of the head, and of the kicker, subhead and byline with it, across the frame. Default center.", ["center", "left"])] = "center"
    color: Annotated[Color, meta("Colour of the head: a palette name (black, white, accent, red, green, tint, or one from `colors`) or "
        "[C, M, Y, K] percentages. Default black.", ["accent", [0, 100, 100, 10]])] = "black"
    tracking: Annotated[float, meta("Extra space between the head's characters (字距), in em of the head, -0.3 to 1. Default 0.", [0.05, 0], ge=-0.3, le=1.0)] = 0.0
    fit: Annotated[bool, meta("Fit the head to its frame: the largest size between min_size and max_size at which it fills the "
        "frame's width on max_lines lines. Default false (size as given).", [True])] = False
    min_size: Annotated[TypeSize | None, meta("Smallest size the head may be set at to stay on max_lines lines before it wraps "
        "onto more; default: size (the head keeps its size and wraps), or half of size with `fit`.", ["36pt"])] = None
    max_size: Annotated[TypeSize | None, meta("Largest size `fit` may choose; default size.", ["96pt"])] = None
    vertical: Annotated[bool, meta("Set the head vertically (竖题) in a column at the right of a horizontal story's module, the "
        "story's columns beside it; the kicker and subhead stand in their own columns beside it. A vertical "
        "story's heads are always vertical. Default false.", [True])] = False
    max_lines: Annotated[int, meta("Lines the head should take. A head too long for one line breaks at a space or phrase boundary "
        "(never inside a word, a number with its unit, or a quoted name when it can help it), with the lines "
        "balanced (upper line not shorter). A Chinese head breaks between words of a dictionary (神舟九号飞船 / "
        "成功发射), a particle such as 的 ending its line and a conjunction such as 和 beginning one; rather than "
        "break inside a word it is set smaller (down to min_size) or takes a line more. An English head's line "
        "ends with an article (the) only as a last resort, and reluctantly with a short preposition or "
        "conjunction (of, and). Past min_size it takes more lines. Default 1.", [1, 2], ge=1, le=4)] = 1
    checks = (("", values.sizes_in_order),)


class SectionHead(Strict, kw_only=True):
    """A section head (小标题) within an article's body, written in the body list as
    {number: "1", head: ...}: the number reversed out of an accent square, the head in 黑体 beside it."""

    head: Annotated[str, meta("Text of the section head (小标题).", ["产业名片求实向新"], min_length=1)]
    number: Annotated[str, meta("A numeral or letter set large before the head; quote digits (\"1\") so YAML keeps them as text. Empty "
        "for none.", ["1", "A"])] = ""


#: an entry of an article's body: a paragraph, or a section head written as a mapping
Block = Union[Paragraph, SectionHead]

class Picture(Strict, kw_only=True):
    """One picture of a photo group (组图): its file and the point kept in view when it is cropped
    to its cell. Written as a mapping, or as the bare file name when the centre will do."""

    file: Annotated[str, meta("The image file, relative to the content file's folder.", ["images/wanfeng-lake.jpg"], min_length=1)]
    focus: Annotated[tuple[Fraction, Fraction], meta("Focal point [x, y] as fractions of the picture's width and height, 0-1, kept in view when the picture "
        "is cropped to its cell. Default [0.5, 0.5], the centre.", [[0.5, 0.3]])] = (0.5, 0.5)


class Photo(Strict, kw_only=True):
    """A photo (图片) in an article: the picture cropped to fill its grid frame, with the caption
    (图说) and credit set in the frame's last lines. The body text flows around it. With `group`
    instead of `file` it is a photo group (组图): several pictures side by side (or in rows) in
    the one frame, separated by the column gutter, under one caption and credit. Without a
    `frame` on a hand-placed page the engine places it (the first under the head, others lower
    down the columns), sized from the picture's shape."""

    id: Annotated[str, meta("A short name for messages and the build report, unique on the page. Optional.", ["wanfeng"])] = ""
    file: Annotated[Annotated[str, Meta(min_length=1)] | None, meta("The image file, relative to the content file's folder; converted to CMYK, cropped and downsampled for "
        "press. Required unless the photo is a `group`.", ["images/wanfeng-lake.jpg"])] = None
    group: Annotated[Annotated[list[Picture | PictureFile], Meta(min_length=2)] | None, meta("A photo group (组图) instead of one `file`: two or more pictures, each a file name or {file, focus}, "
        "set side by side in the frame (in rows of `across`) with the column gutter between them, each cropped "
        "to its cell around its own focus; one caption and credit under them all.", [["images/wanfeng-lake.jpg", {"file": "images/power-valley.jpg", "focus": [0.6, 0.5]}]])] = None
    across: Annotated[Annotated[int, Meta(ge=1, le=8)] | None, meta("For a `group`: pictures per row, 1-8; the rows share the picture area equally. Default: all the "
        "pictures in one row.", [2, 3])] = None
    frame: Annotated[Frame | None, meta("Where the photo sits on the grid, its caption lines included; it must lie inside the article's frame. "
        "Left out, the engine places it: the first photo without a frame at the top of the body, across most of "
        "the article's columns, further ones lower down, alternately left and right, their height from the "
        "picture's proportions (on a `place: auto` page the automatic layout places it).", [{"column": 3, "columns": 6, "line": 15, "lines": 40}])] = None
    caption: Annotated[str, meta("Caption (图说), set under the picture in bold 楷体 after a ▲. Empty for none.", ["万丰湖", "“厂BA”"])] = ""
    credit: Annotated[str, meta("Credit line (图片来源) set right-aligned under the caption. Empty for none.", ["（图片由天元区融媒体中心提供）"])] = ""
    focus: Annotated[tuple[Fraction, Fraction] | None, meta("Focal point [x, y] as fractions of the picture's width and height, 0-1, kept in view when the picture "
        "is cropped to its frame. Default [0.5, 0.5], the centre.", [[0.5, 0.3]])] = None
    caption_lines: Annotated[int, meta("Body lines at the foot of the frame kept for the caption, credit and a blank line, 1-6. Default 2; the "
        "frame must be at least one line taller than this (or than the caption and credit need). A caption too long for one "
        "line is set justified on the lines kept for it, and smaller only when it does not fit them (the report's "
        "caption-shrunk notice says how many lines to keep).", [2, 3], ge=1, le=6)] = 2
    bleed: Annotated[list[Literal["top", "bottom", "left", "right"]], meta("Sides on which the picture runs off the page (出血): on those sides it extends past the trim to the "
        "bleed box. Use on frames that touch the type area's edge. Default none.", [["top", "right"]])] = []

    @property
    def focus_point(self) -> tuple[float, float]:
        """The focal point of a single picture: as written, else the centre."""
        return self.focus if self.focus is not None else (0.5, 0.5)

    @property
    def reserved_lines(self) -> int:
        """Lines under the picture: caption, credit (if any) and a blank line, or more when the
        editor reserves more; composition and validation use this one figure."""
        return max(self.caption_lines, (1 if self.caption else 0) + (1 if self.credit else 0) + 1)

    @property
    def pictures(self) -> list[Picture]:
        """The photo's pictures: the one file, or the group's."""
        if self.group is not None:
            return [p if isinstance(p, Picture) else Picture(file=p) for p in self.group]
        return [Picture(file=self.file, focus=self.focus_point)]

    @property
    def label(self) -> str:
        """How messages name the photo: its id, else its (first) file."""
        return self.id or self.pictures[0].file


class Continuation(Strict, kw_only=True):
    """Where a continued story (转版稿) comes from: the page's content file, the article, its page."""

    file: Annotated[str, meta("The content file of the page the story starts on, relative to this one.", ["p01.yaml"], min_length=1)]
    article: Annotated[str, meta("The id of the article there.", ["main"], min_length=1)]
    page: Annotated[int, meta("That page's number, for the jump line （上接第N版）.", [1], ge=1, le=999)]


class Article(Strict, kw_only=True):
    """A story (稿件) in its module on the grid: the headline block (引题, 主题, 副题, byline) across
    the top of its frame, then the body flowing down the columns and around its photos."""

    id: Annotated[str, meta("A short name, unique on the page, used in messages and the build report (e.g. overset text).", ["main"], min_length=1)]
    frame: Annotated[ModuleFrame | None, meta("The article's module on the grid; its heads, body and photos all stay inside it. A `notch` makes it "
        "stepped (L-shaped). Required unless the page says `place: auto`.", [{"column": 1, "columns": 8, "line": 1, "lines": 116}])] = None
    priority: Annotated[int, meta("For `place: auto`: 1 is the lead (top of the page, widest), larger numbers matter less and sit lower. "
        "Default 2.", [1, 3], ge=1, le=9)] = 2
    min_columns: Annotated[Annotated[int, Meta(ge=1, le=20)] | None, meta("For `place: auto`: the narrowest module the story may take, in columns. Default 2.", [2])] = None
    max_columns: Annotated[Annotated[int, Meta(ge=1, le=20)] | None, meta("For `place: auto`: the widest module the story may take, in columns. Default: the page's columns.", [6])] = None
    kicker: Annotated[str, meta("Kicker (引题), set in bold 楷体 above the main head. Empty for none.", ["从城市品牌塑造看株洲高新区高质量发展之一"])] = ""
    headline: Annotated[Headline, meta("The main head (主题): text and size, optionally font, align, color and tracking.", [{"text": "实力高新　出圈有道", "size": "90pt", "font": "headline", "color": "accent"}])]
    subhead: Annotated[str, meta("Subhead (副题), set in 黑体 under the main head. Empty for none.", ["——从城市品牌塑造看株洲高新区高质量发展"])] = ""
    byline: Annotated[str, meta("Byline (署名) of reporters and correspondents, set in 楷体 under the heads. Empty for none.", ["株洲日报全媒体记者/潘东晓 杨如　通讯员/张弥郁"])] = ""
    body: Annotated[list[Block], meta("The body text (正文): a list of paragraphs (text) and section heads (小标题, {number: ..., head: ...}), "
        "set on the baseline grid with a first-line indent, column after column.", [["城市品牌，也叫城市IP……", {"number": "1", "head": "产业名片求实向新"}]])]
    photos: Annotated[list[Photo], meta("Photos (图片) inside the article's frame; the body text flows around them. Default none.", [[{"id": "wanfeng", "file": "images/wanfeng-lake.jpg",
                    "frame": {"column": 3, "columns": 6, "line": 15, "lines": 40}, "caption": "万丰湖"}]])] = []
    head_lines: Annotated[Annotated[int, Meta(ge=1)] | None, meta("Body lines (行) the headline block takes at the top of the frame, a blank line before the body "
        "included. Computed from the heads when left out.", [14])] = None
    rule_above: Annotated[bool | None, meta("A thin rule across the top of the module, separating it from the story above (报线). Default: drawn "
        "when the frame does not start at the type area's top.", [True, False])] = None
    tint: Annotated[Color | None, meta("Background tint of the whole module (底纹), e.g. tint (10 % black) for a sidebar; body text stays "
        "100 % black. Default none.", ["tint", [0, 0, 0, 10]])] = None
    column_rules: Annotated[bool, meta("Hairlines in the gutters between the article's text columns (栏线). Default false: white gutters.", [True])] = False
    jump_to: Annotated[Annotated[int, Meta(ge=1, le=999)] | None, meta("Page the story continues on (转版): text that does not fit ends with a jump line （下转第N版） "
        "instead of being overset. The continuation names this article in `continued_from`.", [5])] = None
    fit: Annotated[Literal["off", "auto"] | bool | None, meta("Copyfit (自动调整): `auto` lets the engine make the story fill its module exactly by adjusting, within "
        "bounds, the height of its photos, the size of its main head and, on Latin-script pages, the body's "
        "tracking (Chinese body text keeps its character grid); the build report says what changed. `off`: text "
        "that does not fit is reported as overset. Default `off` on a hand-placed page; on a `place: auto` page "
        "`auto`, unless the story jumps to another page. (`off` may be written unquoted.)", ["auto"])] = None
    continued_from: Annotated[Continuation | None, meta("This article continues a story from another page (上接): its body is what did not fit there, "
        "opened by a jump line （上接第N版）. Its own `body` is then left empty ([]).", [{"file": "p01.yaml", "article": "main", "page": 1}])] = None
    direction: Annotated[Literal["horizontal", "vertical"], meta("How the story is set: horizontal (横排, the default) or vertical (竖排): lines run top to "
        "bottom and follow each other right to left, the heads stand in columns at the right of the module, and "
        "the body is set in tiers (段) one above the other, read from the top one down. The frame is given on the "
        "page grid like any other (栏 and 行); a vertical line is one 行 pitch wide and as long as its tier.",
        ["vertical"])] = "horizontal"
    tiers: Annotated[Annotated[int, Meta(ge=1, le=12)] | None, meta("A vertical story: how many tiers (段) its body is set in. Default: as few as keep each "
        "vertical line at most `tier_chars` 字 long.", [3])] = None
    tier_chars: Annotated[Annotated[int, Meta(ge=4, le=60)], meta("A vertical story without `tiers`: the longest a vertical line may be, in 字. Default 20.",
        [14])] = 20
    numbers_upright: Annotated[Annotated[int, Meta(ge=0, le=4)], meta("A vertical story: numbers of at most this many digits stand upright side by side in one "
        "字 (縱中橫); longer numbers and Latin words are turned 90° clockwise. Default 2; 0 turns every number.",
        [2, 3])] = 2

    def __post_init__(self) -> None:
        if isinstance(self.fit, bool):  # YAML 1.1 reads an unquoted `off`/`on` as false/true
            msgspec.structs.force_setattr(self, "fit", "auto" if self.fit else "off")
        super().__post_init__()


class PublicServiceAd(Strict, kw_only=True, tag_field="kind", tag="public-service"):
    """A boxed public-service ad (公益广告) laid out by the engine from its parts."""

    kind: ClassVar[str] = "public-service"

    id: Annotated[str, meta("A short name for messages and the build report, unique on the page. Optional.", ["forest-fire"])] = ""
    frame: Annotated[Frame, meta("The ad's module on the grid.", [{"column": 6, "columns": 3, "line": 55, "lines": 62}])]
    title: Annotated[str, meta("Display title across the top of the ad, in a heavy sans sized to the frame.", ["预防森林火灾"], min_length=1)]
    characters: Annotated[list[str], meta("Single characters, each reversed out of its own circle, up to six a row.", [["护", "林", "常", "抓", "不", "懈", "防", "火", "警", "钟", "长", "鸣"]], min_length=1)]
    tagline: Annotated[str, meta("A line in bold 楷体 under the circles. Empty for none.", ["守护绿色家园"])] = ""
    slogan: Annotated[str, meta("A slogan reversed out of a band in the ad's colour. Empty for none.", ["森林防火　人人有责"])] = ""
    designer: Annotated[str, meta("Designer credit, set small at the bottom right. Empty for none.", ["设计/王莹"])] = ""
    label: Annotated[str, meta("The tag in the top-left corner that marks it as an ad. Default 公益广告; empty for none.", ["公益广告"])] = "公益广告"
    sponsor: Annotated[str, meta("Sponsor (出品单位), set under a rule at the foot. Empty for none.", ["株洲日报"])] = ""
    color: Annotated[Color, meta("The ad's colour, for the border, label, circles and band, with tints of it behind: a palette name or "
        "[C, M, Y, K] percentages. Default green.", ["green", [85, 10, 100, 10]])] = "green"
    side: Annotated[Literal["right", "left", "any"], meta("On a `place: auto` page: the edge of the type area the ad keeps to (it stands on the foot or on other "
        "ads). Default right.", ["left"])] = "right"
    checks = (("characters", values.single_characters),)


class ImageAd(Strict, kw_only=True, tag_field="kind", tag="image"):
    """An ad delivered as a file: a picture, placed to fill its frame, or a PDF, placed as vector
    graphics (nothing rasterised) at its proportions."""

    kind: ClassVar[str] = "image"

    id: Annotated[str, meta("A short name for messages and the build report, unique on the page. Optional.", ["bank-ad"])] = ""
    frame: Annotated[Frame, meta("The ad's module on the grid; a picture is cropped about its centre to fill it, a PDF's trim box "
        "is scaled to fit it (proportions kept, centred).", [{"column": 1, "columns": 4, "line": 90, "lines": 27}])]
    file: Annotated[str, meta("The ad's file, relative to the content file's folder: a picture (JPEG, PNG, TIFF) or a PDF "
        "(its fonts embedded, CMYK: `broadsheet preflight` checks it; the press build reports a file that fails).", ["images/ad-bank.jpg", "ads/bank.pdf"])]
    page: Annotated[int, meta("For a PDF: which of its pages to place, from 1. Default 1.", [1], ge=1)] = 1
    side: Annotated[Literal["right", "left", "any"], meta("On a `place: auto` page: the edge of the type area the ad keeps to (it stands on the foot or on other "
        "ads). Default right.", ["left"])] = "right"
    label: Annotated[str, meta("What marks it as an ad (广告标识). Default 广告. Not printed for image ads: the file should carry its "
        "own.", ["广告"])] = "广告"


#: an ad, told apart by its ``kind:`` (public-service or image)
Ad = Union[PublicServiceAd, ImageAd]

class Masthead(Strict, kw_only=True):
    """The front page's nameplate (报头): the paper's name in large type in its own module at the
    top, the issue's line (date and weekday, what the edition says of itself) under a rule. The
    room beside it on the top lines is the ears (报眼), where booked ear ads go."""

    frame: Annotated[Frame, meta("The nameplate's module on the grid, usually at the top (line 1) and centred or at the left; the "
        "columns beside it on its lines are the ears.", [{"column": 3, "columns": 4, "line": 1, "lines": 14}])]
    title: Annotated[str, meta("The name set large. Default: the folio's paper.", ["株洲日报"])] = ""
    color: Annotated[Color, meta("Colour of the name: a palette name or [C, M, Y, K]. Default accent (red).", ["accent", "black"])] = "accent"
    lines: Annotated[list[str], meta("Lines set small under the rule after the date, e.g. the serial number and the day's page count. "
        "Default none.", [["国内统一刊号 CN43-0001", "今日12版"]])] = []


class Press(Strict, kw_only=True):
    """What the printing plant takes: PDF/X variant, output profile, ink and image limits."""

    pdfx: Annotated[Literal["X-4", "X-1a"], meta("PDF/X variant of the press PDF: X-4 (the default) or X-1a, as the printing plant asks.", ["X-4", "X-1a"])] = "X-4"
    profile: Annotated[str | None, meta("The printer's CMYK output profile (.icc), relative to the content file. Default: the newsprint profile the "
        "set-up builds (CGATS TR 002 coldset newsprint data, 220%).", ["profiles/WAN-IFRAnewspaper26v5.icc"])] = None
    condition: Annotated[str | None, meta("The output condition identifier named in the PDF/X OutputIntent, e.g. IFRA26. Derived from the profile "
        "when left out.", ["IFRA26"])] = None
    tac_limit: Annotated[float, meta("Total area coverage (总墨量) limit in percent, 100-400: enforced on photos and checked by preflight. "
        "Default 240.", [240, 220], ge=100, le=400)] = 240.0
    target_ppi: Annotated[float, meta("Resolution in pixels per inch at printed size that photos are downsampled to, 72-1200. Default 200, "
        "twice the 100 lpi screen of coldset newsprint (ISO 12647-3); 300 for a heatset or sheetfed job.", [200, 300], ge=72, le=1200)] = 200.0
    min_ppi: Annotated[float, meta("Lowest acceptable effective resolution of a photo in pixels per inch, 50-600: below it the build warns "
        "(fails with --strict). Default 170.", [170, 150], ge=50, le=600)] = 170.0


class Document(Strict, kw_only=True):
    """A page: paper, grid, folio, typography, articles and ads."""

    page: Annotated[PageSpec, meta("Paper size and grid (版式): size preset, columns, body size, baseline grid, margins and bleed. Default: "
        "a broadsheet (对开) of 8 columns of 13 小五 characters.", [{"size": "broadsheet", "body_size": "小五", "line_pitch": "12pt", "bleed": "3mm"}])] = msgspec.field(default_factory=PageSpec)
    folio: Annotated[Folio, meta("The page header (报眉): paper name, date, page number, section and credits. Required.", [{"paper": "株洲日报", "date": "2024-10-31", "page": 3, "section": "高新区·天元区"}])]
    masthead: Annotated[Masthead | None, meta("A front page's nameplate (报头) in its own module; the room beside it is the ears (报眼). "
        "Default none (an inner page: the folio alone).", [{"frame": {"column": 3, "columns": 4, "line": 1, "lines": 14}, "lines": ["今日12版"]}])] = None
    typography: Annotated[Typography, meta("Rules for setting Chinese text: line-break prohibitions (禁则), indent, punctuation and Han-Latin "
        "spacing. The defaults suit a Chinese daily.", [{"prohibition": "basic", "indent": 2, "han_latin_space": 0.25}])] = msgspec.field(default_factory=Typography)
    fonts: Annotated[dict[str, dict[str, Any]], meta("Font role overrides for this page, {role: {file: ..., index: ...}}, with the roles of fonts/fonts.yaml "
        "(body, headline, headline_sans, subhead, kai, ...); index picks a face in a .ttc collection.", [{"body": {"file": "NotoSerifCJK-Regular.ttc", "index": 2}}])] = {}
    colors: Annotated[dict[str, Color], meta("Palette additions or overrides, name -> [C, M, Y, K] percentages, usable wherever a colour is asked "
        "for. Built in: black, white, accent [0, 100, 100, 10], red, green, tint.", [{"accent": [0, 100, 100, 10], "brand": [100, 60, 0, 0]}])] = {}
    place: Annotated[Literal["manual", "auto"], meta("manual: every article and photo has its frame. auto: the engine tiles the type area with the articles "
        "(by priority and length) and the ads (keeping their size, stacked from the bottom), and places one photo "
        "per article; it reports the layout's score.", ["auto"])] = "manual"
    press: Annotated[Press, meta("What the printing plant takes: PDF/X variant, output profile, ink limit and photo resolution. The "
        "defaults suit newsprint.", [{"pdfx": "X-1a", "tac_limit": 220}])] = msgspec.field(default_factory=Press)
    articles: Annotated[list[Article], meta("The stories (稿件) on the page, each in its own module on the grid.", [[{"id": "main", "frame": {"column": 1, "columns": 8, "line": 1, "lines": 116},
                    "headline": {"text": "实力高新　出圈有道", "size": "90pt", "color": "accent"},
                    "body": ["城市品牌，也叫城市IP……"]}]])] = []
    ads: Annotated[list[Ad], meta("Ads (广告) on the page: kind public-service (drawn by the engine) or kind image (a supplied file).", [[{"kind": "public-service", "id": "forest-fire",
                    "frame": {"column": 6, "columns": 3, "line": 55, "lines": 62}, "title": "预防森林火灾",
                    "characters": ["护", "林", "常", "抓"], "slogan": "森林防火　人人有责"}]])] = []

    def palette(self) -> dict[str, tuple[float, float, float, float]]:
        """Colour names this page knows: the built-in ones and its own ``colors``."""
        p = dict(DEFAULT_COLORS)
        for k, v in self.colors.items():
            if isinstance(v, tuple):
                p[k] = v
        return p


class EditionPage(Strict, kw_only=True):
    """One page of an edition: its content file, the section label for its folio, and what the
    ad desk may put on it."""

    file: Annotated[str, meta("The page's content file, relative to the edition file.", ["pages/p01.yaml"], min_length=1)]
    section: Annotated[str | None, meta("Section label (版名) for this page's folio, replacing the page's own. Default: the page's.", ["要闻"])] = None
    free: Annotated[bool, meta("The page is closed to ads (无广告版): no booked ad is placed on it. Default false.", [True])] = False
    mono: Annotated[bool, meta("The page prints in black only (黑白版): colour ads are not placed on it. Default false.", [True])] = False


class GridPoint(Strict, kw_only=True):
    """A place on a page's grid: the column (from 1 at the left) and line (from 1 at the top) of a
    module's top-left corner."""

    column: Annotated[int, meta("Column (栏) of the top-left corner, from 1.", [5], ge=1)]
    line: Annotated[int, meta("Line (行) of the top-left corner, from 1.", [90], ge=1)]


class Booking(Strict, kw_only=True):
    """One booked ad of an edition's booking list (ads.yaml under `ads:`, or a row of a CSV file
    with these columns): who, how big, where it may go, and its file."""

    id: Annotated[str, meta("A short name, unique in the list: the ad's id on its page and in the report.", ["bank-ear"], min_length=1)]
    advertiser: Annotated[str, meta("The advertiser (广告客户), for the ad desk's lists and the flatplan.", ["湘江银行"])] = ""
    size: Annotated[str, meta("A named size (整版 full, 半版 half, 通栏 strip, 半通栏 half-strip, 1/4版 quarter, 1/8版 eighth, 报眼 "
        "ear: measured on the page's grid, docs/cookbook.md) or columns x lines as 4栏x30行 (or 4x30).",
        ["通栏", "1/4版", "4栏x30行"], min_length=1)]
    file: Annotated[str, meta("The ad's file, relative to the booking list: a PDF (placed as vector, preflighted) or a picture.",
        ["ads/bank.pdf", "ads/mall.jpg"], min_length=1)]
    page: Annotated[Annotated[int, Meta(ge=1, le=999)] | None, meta("The page it is booked for (its folio number). Default: any page of its section (or of the edition).", [3])] = None
    section: Annotated[str | None, meta("The section (版名) it is booked in, as the edition names its pages' sections. Default: any.", ["要闻"])] = None
    position: Annotated[Literal["foot", "ear"] | None, meta("foot: stacked from the foot of the page, pyramid to the outer edge; ear: beside the masthead (报眼). "
        "Default: ear for the ear size, foot otherwise.", ["foot", "ear"])] = None
    side: Annotated[Literal["outer", "inner", "left", "right"], meta("For an ear ad, which ear: left, right, outer (the page's outer edge) or inner. Stacked ads keep to the "
        "outer edge. Default outer.", ["left"])] = "outer"
    at: Annotated[GridPoint | None, meta("A fixed place on its page (top-left corner on the grid); needs `page`. Default: placed by the rules.",
        [{"column": 1, "line": 90}])] = None
    color: Annotated[Literal["colour", "mono"], meta("colour or mono (black only): a colour ad is not placed on a page marked `mono`. Default colour.", ["mono"])] = "colour"
    category: Annotated[str, meta("The trade (银行, 汽车, 房产 ...): two ads of one category never face each other (nor share a page). "
        "Default none.", ["bank"])] = ""
    kind: Annotated[Literal["display", "classified", "public-service", "house"], meta("What kind of ad it is, as the flatplan colours it: display (商业广告), classified (分类广告), "
        "public-service (公益广告) or house (自我推广). Default display.", ["classified"])] = "display"
    checks = (("size", values.ad_size),)


class BookingList(Strict, kw_only=True):
    """A booking list (ads.yaml): the edition's booked ads, placed in the order of the list when
    two compete for one place (fixed places first, then the largest)."""

    ads: Annotated[list[Booking], meta("The booked ads.", [[{"id": "bank-ear", "advertiser": "湘江银行", "size": "报眼", "page": 1,
                                                              "file": "ads/bank-ear.pdf", "category": "bank"}]])] = []


class Edition(Strict, kw_only=True):
    """An edition file (edition.yaml): the paper, date and pages of one issue, in order. Folios
    number themselves from the list's order; the paper and date given here apply to every page."""

    paper: Annotated[str | None, meta("The paper's name for every folio. Default: each page's own.", ["株洲日报"])] = None
    date: Annotated[_dt.date | None, meta("Issue date for every folio, as YYYY-MM-DD. Default: each page's own.", ["2024-10-31"])] = None
    first_page: Annotated[int, meta("Number of the first page, 1-999; the others follow in order. Default 1.", [1, 5], ge=1, le=999)] = 1
    combined: Annotated[bool, meta("Also write one PDF holding every page, for proofing. Default false.", [True])] = False
    ads: Annotated[str | None, meta("The booking list of the edition's ads (ads.yaml, or a CSV with the same columns), relative to the "
        "edition file; the edition places every booked ad by the ad desk's rules and reports those it cannot. "
        "Default: ads.yaml or ads.csv beside the edition file, when there is one.", ["ads.yaml", "bookings/2024-11-08.csv"])] = None
    pages: Annotated[list[EditionPage | str], meta("The pages in order: each a content file (relative to the edition file) or "
        "{file, section}.", [["pages/p01.yaml", {"file": "pages/p02.yaml", "section": "要闻"}]], min_length=1)]

    def entries(self) -> list[EditionPage]:
        """The pages as records, a bare file name read as {file: ...}."""
        return [p if isinstance(p, EditionPage) else EditionPage(file=p) for p in self.pages]
