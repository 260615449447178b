"""Page geometry as a model: paper presets, the type area, columns and the baseline grid.

Everything on a page is placed on this grid: columns (栏) with gutters (栏空) across, body lines
(行) down. Column widths are whole characters of body text when ``column_chars`` is given (as
Chinese dailies set them: 8 columns of 13 小五 characters on a 对开 page), and the type area's
height is a whole number of lines, so body lines of every column share one set of baselines.
"""

from __future__ import annotations

from msgspec import Struct

from layout.model.content import PageSpec
from layout.model.units import MM, GridContext, Length


class Preset(Struct, frozen=True):
    width_mm: float
    height_mm: float
    columns: int
    column_chars: int | None
    margins_mm: tuple[float, float]  # top, bottom (sides are centred)


PRESETS: dict[str, Preset] = {
    # 对开: 390 x 545 mm, 8 columns x 13 characters at 小五 (design/print.md)
    "broadsheet": Preset(390, 545, 8, 13, (30, 22)),
    "berliner": Preset(315, 470, 6, 13, (26, 20)),
    "tabloid": Preset(275, 390, 5, 12, (24, 18)),
    "custom": Preset(0, 0, 6, None, (20, 20)),
}
PRESETS["对开"] = PRESETS["broadsheet"]
PRESETS["四开"] = PRESETS["tabloid"]


class GeometryError(ValueError):
    """The page's numbers do not make a usable grid (e.g. columns wider than the paper)."""

    def __init__(self, message: str, field: tuple = (), hint: str = ""):
        super().__init__(message)
        self.field = field
        self.hint = hint


class Grid(Struct, frozen=True):
    """The resolved page: all figures in points, origin at the trim's top-left, y down."""

    width: float
    height: float
    left: float  # type area
    top: float
    area_width: float
    area_height: float
    columns: int
    column_width: float
    gutter: float
    body_size: float
    pitch: float
    lines: int
    bleed: float
    slug: float
    odd: bool

    @property
    def right(self) -> float:
        return self.left + self.area_width

    @property
    def bottom(self) -> float:
        return self.top + self.area_height

    @property
    def context(self) -> GridContext:
        return GridContext(em=self.body_size, line=self.pitch, column=self.column_width, gutter=self.gutter)

    def column_x(self, column: int) -> float:
        """Left edge of a column, 1-based."""
        return self.left + (column - 1) * (self.column_width + self.gutter)

    def span_width(self, columns: int) -> float:
        return columns * self.column_width + (columns - 1) * self.gutter

    def line_top(self, line: int) -> float:
        """Top of a line slot, 1-based (line ``lines + 1`` is the type area's bottom)."""
        return self.top + (line - 1) * self.pitch

    def baseline(self, line: int, em_top: float = 0.88, size: float | None = None) -> float:
        """Baseline of body line ``line`` (1-based): the body em box centred in the slot."""
        size = size or self.body_size
        return self.line_top(line) + (self.pitch - size) / 2 + em_top * size

    def rect(self, column: int, columns: int, line: int, lines: int) -> tuple[float, float, float, float]:
        """x, y, w, h of a grid frame."""
        return (self.column_x(column), self.line_top(line), self.span_width(columns), lines * self.pitch)


def resolve_grid(spec: PageSpec, *, page_number: int = 1) -> Grid:
    preset = PRESETS[spec.size]
    width = spec.width.resolve() if spec.width else preset.width_mm * MM
    height = spec.height.resolve() if spec.height else preset.height_mm * MM
    if width <= 0 or height <= 0:
        raise GeometryError("page width and height must be positive", ("page", "width"))
    columns = spec.columns or preset.columns
    body = spec.body_size
    if body <= 0:
        raise GeometryError("body_size must be positive", ("page", "body_size"))
    # the gutter may be in 字, which needs the body size only
    ctx0 = GridContext(em=body, line=body, column=0, gutter=0)
    gutter = spec.gutter.resolve(ctx0)
    pitch = spec.line_pitch.resolve(GridContext(em=body, line=body * 4 / 3, column=0, gutter=0))
    if pitch < body:
        raise GeometryError(f"line_pitch ({pitch:g}pt) is smaller than the body size ({body:g}pt)", ("page", "line_pitch"))
    if gutter < 0:
        raise GeometryError("gutter must not be negative", ("page", "gutter"))
    m = spec.margins
    side_ctx = GridContext(em=body, line=pitch, column=0, gutter=gutter)
    top = m.top.resolve(side_ctx) if m.top else preset.margins_mm[0] * MM
    bottom = m.bottom.resolve(side_ctx) if m.bottom else preset.margins_mm[1] * MM
    column_chars = spec.column_chars if spec.column_chars is not None else (preset.column_chars if not spec.width else None)
    odd = spec.odd if spec.odd is not None else page_number % 2 == 1
    inner = m.inner.resolve(side_ctx) if m.inner else None
    outer = m.outer.resolve(side_ctx) if m.outer else None
    if column_chars:
        column_width = column_chars * body
        area_width = columns * column_width + (columns - 1) * gutter
    else:
        i = inner if inner is not None else 15 * MM
        o = outer if outer is not None else 15 * MM
        area_width = width - i - o
        column_width = (area_width - (columns - 1) * gutter) / columns
    if column_width <= body * 2 or area_width > width:
        if column_chars and area_width > width:
            # (the type area is columns x column_chars x body size: any of the three may be at fault)
            fit = int((width + gutter) / (column_chars * body + gutter))
            raise GeometryError(
                f"{columns} columns of {column_chars} characters at {body:g}pt (type area "
                f"{area_width / MM:.0f} mm) do not fit a {width / MM:.0f} mm wide page",
                ("page", "columns"), hint=(f"{fit} such column{'s fit' if fit > 1 else ' fits'}; or give fewer column_chars or a smaller "
                                           "body_size" if fit else "give fewer column_chars or a smaller body_size"))
        raise GeometryError(
            f"{columns} columns do not fit a {width / MM:.0f} mm wide page "
            f"(type area {area_width / MM:.0f} mm)", ("page", "columns"))
    # horizontal position: given margins win; else centre the type area
    if inner is not None and outer is None:
        left = inner if odd else width - inner - area_width
    elif outer is not None and inner is None:
        left = width - outer - area_width if odd else outer
    elif inner is not None and outer is not None and not column_chars:
        left = inner if odd else outer
    else:
        left = (width - area_width) / 2
    if left < -0.01 or left + area_width > width + 0.01:
        raise GeometryError(
            f"the type area ({area_width / MM:.0f} mm wide) does not fit between the margins of a "
            f"{width / MM:.0f} mm page: it would run from {left / MM:.0f} to {(left + area_width) / MM:.0f} mm",
            ("page", "margins"))
    if column_chars and inner is not None and outer is not None:
        raise GeometryError("with column_chars the type area's width is fixed: give inner or outer, not both",
                            ("page", "margins"))
    lines = int((height - top - bottom) // pitch)
    if lines < 4:
        raise GeometryError("the margins leave no room for text", ("page", "margins"))
    area_height = lines * pitch
    bleed = spec.bleed.resolve()
    slug = spec.slug.resolve()
    if bleed < 0 or slug < 0:
        raise GeometryError("bleed and slug must not be negative", ("page", "bleed"))
    return Grid(width=width, height=height, left=left, top=top, area_width=area_width,
                area_height=area_height, columns=columns, column_width=column_width, gutter=gutter,
                body_size=body, pitch=pitch, lines=lines, bleed=bleed, slug=slug, odd=odd)
