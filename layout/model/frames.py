"""Modules as rectangles of grid cells: the notch of a stepped module, its parts, where its
heads go, whether two modules overlap or one lies inside another, and whether a photo group's
cells are pictures. Validation, the automatic layout and copyfit ask the same questions of
records, so the answers live here, once, as plain functions."""

from __future__ import annotations

from layout.errors import Problem
from layout.model.content import Frame


def notch_frame(frame) -> Frame | None:
    """The notch of a stepped module as a grid rectangle (None for a plain rectangle)."""
    n = getattr(frame, "notch", None)
    if n is None or n.columns >= frame.columns or n.lines >= frame.lines:  # (a notch too big is reported by validation)
        return None
    column = frame.column if n.corner.endswith("left") else frame.column + frame.columns - n.columns
    line = frame.line if n.corner.startswith("top") else frame.line + frame.lines - n.lines
    return Frame(column=column, columns=n.columns, line=line, lines=n.lines)


def frame_parts(frame) -> list[Frame]:
    """A module as non-overlapping grid rectangles: the frame itself, or for a stepped module
    the full-width band and the part of the other band beside the notch."""
    n = notch_frame(frame)
    if n is None:
        return [Frame(column=frame.column, columns=frame.columns, line=frame.line, lines=frame.lines)]
    band_lines = frame.lines - n.lines
    band_line = frame.line + n.lines if n.line == frame.line else frame.line
    side_column = frame.column + n.columns if n.column == frame.column else frame.column
    return [Frame(column=frame.column, columns=frame.columns, line=band_line, lines=band_lines),
            Frame(column=side_column, columns=frame.columns - n.columns, line=n.line, lines=n.lines)]


def head_frame(frame) -> Frame:
    """Where the headline block goes: the whole width, or beside a notch at a top corner."""
    n = notch_frame(frame)
    if n is None or n.line != frame.line:
        return Frame(column=frame.column, columns=frame.columns, line=frame.line, lines=frame.lines)
    side_column = frame.column + n.columns if n.column == frame.column else frame.column
    return Frame(column=side_column, columns=frame.columns - n.columns, line=frame.line, lines=frame.lines)


def grid_cells(frame, columns: int, lines: int):
    """The grid cells (column, line) of a module, its notch left out, clipped to a grid of
    ``columns`` x ``lines`` (a frame beyond the grid is an error of its own)."""
    for part in _clipped_parts(frame, columns, lines):
        for ln in range(part.line, part.line + part.lines):
            for c in range(part.column, part.column + part.columns):
                yield (c, ln)


class Occupancy:
    """Which modules hold each grid cell, for finding overlaps in time linear in the modules'
    cells rather than in the square of their number (10,000 articles on one page are answered
    in a second, not a minute). Each cell keeps its first ``keep`` holders: on a page without
    overlaps a cell has at most two (an article and an ad set into it), so the check is exact
    where it matters; on a page full of overlaps each module still finds one it overlaps.

    A page holds a few dozen modules and mostly none overlaps (or only as allowed: an ad set
    into an article): while there are at most :attr:`FEW` of them, a module is first compared
    with the others as rectangles, and the cells are filled in (in the order the modules came)
    only when it overlaps one it may not or a cell is asked about: the same answers, without
    listing ~600 cells a module on every build."""

    FEW = 48

    def __init__(self, columns: int, lines: int, keep: int = 4) -> None:
        self.columns, self.lines, self.keep = columns, lines, keep
        self._held: dict[tuple[int, int], list] = {}
        self._waiting: list[tuple[list, object, object]] = []  # (parts, module, its frame), not yet in _held
        self._count = 0

    @property
    def held(self) -> dict[tuple[int, int], list]:
        """Cell -> its first ``keep`` holders."""
        for _, who, frame in self._waiting:
            self._fill(frame, who)
        self._waiting.clear()
        return self._held

    def first_clash(self, frame, allowed=lambda other: False):
        """The first module already added that shares a cell with ``frame`` and is not
        ``allowed`` beside it, or None."""
        if self._count <= self.FEW and not self._held:
            # no module it overlaps, or only ones allowed beside it: none of them is a clash in
            # any cell either (a cell holds some of the modules overlapping there, never others)
            parts = _clipped_parts(frame, self.columns, self.lines)
            if not any(not allowed(who) and any(rects_overlap(a, b) for a in others for b in parts)
                       for others, who, _ in self._waiting):
                return None
        held = self.held
        for cell in grid_cells(frame, self.columns, self.lines):
            for other in held.get(cell, ()):
                if not allowed(other):
                    return other
        return None

    def add(self, frame, who) -> None:
        self._count += 1
        if self._count <= self.FEW and not self._held:
            self._waiting.append((_clipped_parts(frame, self.columns, self.lines), who, frame))
            return
        self.held  # (the modules before it first, in their order)
        self._fill(frame, who)

    def _fill(self, frame, who) -> None:
        held, keep = self._held, self.keep
        for cell in grid_cells(frame, self.columns, self.lines):
            got = held.get(cell)
            if got is None:
                held[cell] = [who]
            elif len(got) < keep:
                got.append(who)

    def holds(self, cell: tuple[int, int]) -> bool:
        return cell in self.held


def _clipped_parts(frame, columns: int, lines: int) -> list[Frame]:
    """A module's parts (:func:`frame_parts`) clipped to the grid (parts wholly outside it left out)."""
    out = []
    for part in frame_parts(frame):
        c0, c1 = max(part.column, 1), min(part.column + part.columns, columns + 1)
        l0, l1 = max(part.line, 1), min(part.line + part.lines, lines + 1)
        if c0 < c1 and l0 < l1:
            out.append(Frame(column=c0, columns=c1 - c0, line=l0, lines=l1 - l0))
    return out


def cells(frame: Frame) -> tuple[int, int, int, int]:
    return (frame.column, frame.column + frame.columns, frame.line, frame.line + frame.lines)


def rects_overlap(a: Frame, b: Frame) -> bool:
    ax0, ax1, ay0, ay1 = cells(a)
    bx0, bx1, by0, by1 = cells(b)
    return ax0 < bx1 and bx0 < ax1 and ay0 < by1 and by0 < ay1


def overlap(a: Frame, b: Frame) -> bool:
    """Whether two modules share a grid cell; a stepped module's notch is not part of it."""
    return any(rects_overlap(pa, pb) for pa in frame_parts(a) for pb in frame_parts(b))


def inside(inner: Frame, outer: Frame) -> bool:
    """Whether ``inner`` lies inside ``outer`` (inside its frame and clear of its notch)."""
    ix0, ix1, iy0, iy1 = cells(inner)
    ox0, ox1, oy0, oy1 = cells(outer)
    if not (ox0 <= ix0 and ix1 <= ox1 and oy0 <= iy0 and iy1 <= oy1):
        return False
    notch = notch_frame(outer)
    return notch is None or not any(rects_overlap(p, notch) for p in frame_parts(inner))


def group_problems(photo, path: tuple, grid) -> list[Problem]:
    """The cells of a photo group must be pictures, not slivers: at least 3 字 wide and high."""
    if photo.group is None or photo.frame is None:
        return []
    n = len(photo.group)
    across = min(photo.across or n, n)
    rows = -(-n // across)
    width = (grid.span_width(photo.frame.columns) - (across - 1) * grid.gutter) / across
    out = []
    if width < 3 * grid.body_size:
        out.append(Problem(path + (("across",) if photo.across else ("frame", "columns")),
                           f"photo {photo.label}: {across} pictures side by side in {photo.frame.columns} "
                           f"column{'s' if photo.frame.columns > 1 else ''} leave each {width / grid.body_size:.1f} 字 wide",
                           hint="widen the frame or set fewer pictures `across` (each needs at least 3 字)",
                           code="group-range"))
    picture_lines = photo.frame.lines - photo.reserved_lines
    height = (picture_lines - 1) * grid.pitch + grid.body_size - (rows - 1) * grid.gutter
    if picture_lines > 0 and height / rows < 3 * grid.body_size:
        out.append(Problem(path + ("frame", "lines"),
                           f"photo {photo.label}: {rows} rows of pictures in {picture_lines} lines leave each "
                           f"{height / rows / grid.body_size:.1f} 字 high",
                           hint="make the frame taller or set more pictures `across`", code="group-range"))
    return out
