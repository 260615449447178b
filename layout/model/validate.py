"""From a loaded :class:`Source` to a validated page (records), or located diagnostics.

The reader (``layout.model.read``) turns the data into records of the content model, or words
every problem for the editor (file, line, column, what was expected, a hint). Then come the
checks that need the page grid: frames inside the type area, modules that overlap, colours the
palette knows, image files that exist inside the page's folder. All problems of a file are
reported at once.
"""

from __future__ import annotations

import difflib
import math
import os
from pathlib import Path

from msgspec import Struct, field
from msgspec.structs import replace

from layout.errors import MAX_PER_KIND, Diagnostic, InputError
from layout.files import is_page_name
from layout.model.content import Document, Frame, ImageAd, PublicServiceAd
from layout.model.frames import Occupancy, group_problems, inside, notch_frame
from layout.model.geometry import GeometryError, Grid, resolve_grid
from layout.model.hints import kind_of, path_text, short
from layout.model.read import Problem, read
from layout.model.source import Source
from layout.model.units import MM, Length, UnitError

#: Limits on the page's own figures (beyond them a number is a typo, and the geometry would be absurd).
MAX_PAGE_MM = 2000.0
MAX_BLEED_MM = 25.0
MAX_SLUG_MM = 50.0
ABSOLUTE_UNITS = ("pt", "mm", "cm", "in")

_REPO_FONTS = Path(__file__).resolve().parents[2] / "fonts" / "fonts.yaml"


class Validated(Struct, dict=True):
    doc: Document
    grid: Grid
    source: Source
    warnings: list[Diagnostic] = field(default_factory=list)


# ------------------------------------------------------------------------------------------------
# checks that need the page
# ------------------------------------------------------------------------------------------------


def _frame_checks(frame: Frame, path: tuple, grid: Grid, source: Source) -> list[Diagnostic]:
    out = []
    if frame.column + frame.columns - 1 > grid.columns:
        out.append(source.diagnostic(path + ("columns",) if frame.columns > 1 else path + ("column",),
                                     f"frame reaches column {frame.column + frame.columns - 1}, but the page has {grid.columns}",
                                     hint=f"column + columns - 1 must be at most {grid.columns}", code="frame-range"))
    if frame.line + frame.lines - 1 > grid.lines:
        out.append(source.diagnostic(path + ("lines",),
                                     f"frame reaches line {frame.line + frame.lines - 1}, but the type area has {grid.lines} lines",
                                     hint=f"line + lines - 1 must be at most {grid.lines}", code="frame-range"))
    return out


def _notch_checks(frame, path: tuple, source: Source) -> list[Diagnostic]:
    """A notch is a corner of its frame, smaller than the frame both ways."""
    n = getattr(frame, "notch", None)
    if n is None:
        return []
    out = []
    npath = path + ("notch",)
    if n.columns >= frame.columns:
        out.append(source.diagnostic(npath + ("columns",),
                                     f"a notch of {n.columns} columns leaves nothing of the frame's {frame.columns} beside it",
                                     hint=f"the notch must be narrower than the frame: at most {frame.columns - 1} columns; "
                                          "for a rectangle, leave `notch` out and shrink the frame",
                                     code="notch-range"))
    if n.lines >= frame.lines:
        out.append(source.diagnostic(npath + ("lines",),
                                     f"a notch of {n.lines} lines leaves nothing of the frame's {frame.lines} above or below it",
                                     hint=f"the notch must be shorter than the frame: at most {frame.lines - 1} lines; "
                                          "for a rectangle, leave `notch` out and shrink the frame",
                                     code="notch-range"))
    return out


def _photo_shape(photo, ppath: tuple, source: Source) -> list[Diagnostic]:
    """A photo is one picture (`file`) or a group (`group`), and the group's keys go with a group."""
    name = photo.id or f"{ppath[-1] + 1}"
    if photo.file is None and photo.group is None:
        return [source.diagnostic(ppath, f"`file` is required in {path_text(ppath)} (or `group`, for a photo group)",
                                  hint="add `file:` with the picture's path, or `group:` listing several pictures",
                                  code="missing-key")]
    if photo.file is not None and photo.group is not None:
        return [source.diagnostic(ppath + ("group",), f"photo {name} has both `file` and `group`",
                                  hint="a group lists every picture under `group`; remove `file` (or `group`)",
                                  key=True, code="photo-shape")]
    if photo.group is None and photo.across is not None:
        return [source.diagnostic(ppath + ("across",), f"photo {name}: `across` is for a photo `group`",
                                  hint="list the pictures under `group`, or remove `across`", key=True,
                                  code="photo-shape")]
    if photo.group is not None and photo.focus is not None:
        return [source.diagnostic(ppath + ("focus",), f"photo {name}: a group's pictures each have their own focus",
                                  hint="write it on the picture: - {file: images/a.jpg, focus: [0.5, 0.3]}", key=True,
                                  code="photo-shape")]
    return []


#: the smallest picture the engine makes, in lines above the caption
MIN_PICTURE_LINES = 3


def group_checks(photo, ppath: tuple, grid: Grid, source: Source) -> list[Diagnostic]:
    """The cells of a photo group must be pictures, not slivers (:func:`frames.group_problems`),
    at their line and column."""
    return located(group_problems(photo, ppath, grid), source)


def _uncovered_notch(art, held) -> int:
    """How many grid cells of an article's notch no other module fills (``held``: the page's
    :class:`~layout.model.frames.Occupancy`; the notch is no cell of the article's own)."""
    n = notch_frame(art.frame)
    if n is None:
        return 0
    return sum(1 for c in range(n.column, n.column + n.columns) for ln in range(n.line, n.line + n.lines)
               if not held.holds((c, ln)))


def _bad_path_chars(name: str) -> str | None:
    for ch in name:
        if ord(ch) < 0x20 or ord(ch) == 0x7F:
            return f"U+{ord(ch):04X}"
    return None


def _near_file(p: Path) -> str | None:
    """The file in ``p``'s folder whose name is closest to ``p``'s (a typo, or .jpeg for .jpg)."""
    try:
        if not p.parent.is_dir():
            return None
        files = sorted(c.name for c in p.parent.iterdir() if not c.name.startswith("."))[:2000]
    except OSError:
        return None
    stems: dict[str, str] = {}
    for f in files:
        stems.setdefault(Path(f).stem, f)
    near = difflib.get_close_matches(p.stem, list(stems), n=1, cutoff=0.75)
    return stems[near[0]] if near else None


def resolve_file(name: str, source: Source, path: tuple, *, allow_outside: bool = False,
                 what: str = "image") -> tuple[Path | None, Diagnostic | None]:
    """A file path relative to the content file's folder, checked by the one rule for every path
    a page names (:func:`layout.files.checked_path`): a regular file, inside the page's folder
    unless ``allow_outside``; else a located diagnostic."""
    from layout.files import PathProblem, checked_path

    bad = _bad_path_chars(name)
    if bad:
        return None, source.diagnostic(path, f"{what} path {name!r} contains a control character ({bad})",
                                       hint="retype the file name", code="bad-path")
    into = {"image": "the page's images/ folder", "font": "the page's fonts/ folder",
            "page": "this page's folder"}.get(what, "the page's folder")
    try:
        return checked_path(name, source.folder, allow_outside=allow_outside, what=what, into=into), None
    except PathProblem as exc:
        hint, code = exc.hint, exc.code
        if code == "missing-file":
            code = "missing-image"  # (the code scripts know for a file a page names that is not there)
            budget = getattr(source, "_near_budget", MAX_PER_KIND)  # (a near name for the ones shown only)
            source._near_budget = budget - 1
            if not hint:
                p = source.folder / name
                near = _near_file(p) if budget > 0 else None
                hint = f"did you mean {str(Path(name).parent / near)!r}?" if near else "the path is relative to the content file's folder"
        elif code == "not-a-file":
            code, hint = "missing-image", f"name the {what} file inside it, e.g. {name.rstrip('/')}/photo.jpg"
        return None, source.diagnostic(path, exc.message if len(name) <= 200 else exc.message.replace(repr(name), short(name, 60)),
                                       hint=hint, code=code)


def _page_checks(doc: Document, source: Source) -> list[Diagnostic]:
    """The page's own figures, before the grid is worked out from them."""
    out: list[Diagnostic] = []
    spec = doc.page

    def check(name: str, length: Length | None, path: tuple, *, units=ABSOLUTE_UNITS, lo=0.0, lo_ok=True,
              hi_mm: float | None = None, why: str = ""):
        if length is None:
            return
        if length.unit not in units:
            shown = {"zi": "字", "line": "行", "col": "栏"}.get(length.unit, length.unit)
            allowed = ", ".join({"zi": "字", "line": "行"}.get(u, u) for u in units)
            out.append(source.diagnostic(path, f"{name} cannot be given in {shown}" + (f" ({why})" if why else ""),
                                         hint=f"use {allowed}", code="unit"))
            return
        if length.unit in ABSOLUTE_UNITS:
            pt = length.resolve()
            if pt < lo or (pt == lo and not lo_ok) or not math.isfinite(pt):
                out.append(source.diagnostic(path, f"{name} must be {'at least 0' if lo_ok else 'larger than 0'}, got {length}",
                                             code="range"))
            elif hi_mm is not None and pt > hi_mm * MM:
                out.append(source.diagnostic(path, f"{name} of {pt / MM:.0f} mm is implausibly large (at most {hi_mm:g} mm)",
                                             code="range"))
        elif length.value < 0:
            out.append(source.diagnostic(path, f"{name} must be at least 0, got {length}", code="range"))

    check("the page width", spec.width, ("page", "width"), lo_ok=False, hi_mm=MAX_PAGE_MM, why="the grid is made from it")
    check("the page height", spec.height, ("page", "height"), lo_ok=False, hi_mm=MAX_PAGE_MM, why="the grid is made from it")
    check("bleed", spec.bleed, ("page", "bleed"), hi_mm=MAX_BLEED_MM, why="it lies outside the grid")
    check("slug", spec.slug, ("page", "slug"), hi_mm=MAX_SLUG_MM, why="it lies outside the grid")
    for side in ("top", "bottom", "inner", "outer"):
        check(f"the {side} margin", getattr(spec.margins, side), ("page", "margins", side),
              units=ABSOLUTE_UNITS + ("zi", "line"), hi_mm=MAX_PAGE_MM, why="columns are measured inside the margins")
    check("gutter", spec.gutter, ("page", "gutter"), units=ABSOLUTE_UNITS + ("zi",), why="columns are measured with it")
    check("line_pitch", spec.line_pitch, ("page", "line_pitch"), units=ABSOLUTE_UNITS + ("zi",), lo_ok=False,
          why="行 and 栏 are measured with it")
    return out


def _font_roles(source: Source) -> set[str] | None:
    """Role names of the page's font config (its own fonts/fonts.yaml, else the repository's)."""
    try:
        from layout.fonts.config import load_config

        local = source.folder / "fonts" / "fonts.yaml"
        if local.exists() or local.is_symlink():  # (read only if the build may: the rule of every path)
            from layout.files import checked_path

            return set(load_config(checked_path("fonts/fonts.yaml", source.folder, what="font config")).roles)
        return set(load_config(_REPO_FONTS).roles)
    except Exception:  # the build reports an unusable config; here it only feeds hints
        return None


def _font_checks(doc: Document, source: Source, allow_outside: bool) -> tuple[list[Diagnostic], list[Diagnostic]]:
    errors: list[Diagnostic] = []
    warnings: list[Diagnostic] = []
    for role, spec in doc.fonts.items():
        file = spec.get("file") if isinstance(spec, dict) else None
        if isinstance(file, str) and file:
            # a bare name is looked up in the configured font folders; a path must stay in the page's folder
            if "/" in file or "\\" in file or file.startswith("~"):
                _, d = resolve_file(file, source, ("fonts", role, "file"), allow_outside=allow_outside, what="font")
                if d is not None and d.code in ("path-outside", "bad-path", "special-file"):
                    errors.append(d)
        elif "file" in spec and not isinstance(file, str):
            errors.append(source.diagnostic(("fonts", role, "file"), f"fonts.{role}.file: expected a file name, got {kind_of(file)}",
                                            code="font"))
        index = spec.get("index", 0)
        if isinstance(index, bool) or not isinstance(index, int) or index < 0:
            errors.append(source.diagnostic(("fonts", role, "index"), f"fonts.{role}.index: expected a whole number from 0, got {short(index)}",
                                            hint="the face's number inside a .ttc collection (Noto CJK: 2 = Simplified Chinese)", code="font"))
    roles = _font_roles(source)
    if roles is None:
        return errors, warnings
    known = roles | set(doc.fonts)
    used = set()
    for ai, art in enumerate(doc.articles):
        used.add(art.headline.font)
        if art.headline.font not in known:
            near = difflib.get_close_matches(art.headline.font, sorted(known), n=1, cutoff=0.5)
            errors.append(source.diagnostic(("articles", ai, "headline", "font"), f"unknown font role {art.headline.font!r}",
                                            hint=(f"did you mean `{near[0]}`? " if near else "") + f"roles: {', '.join(sorted(known))}",
                                            code="font"))
    for role in doc.fonts:
        if role not in roles and role not in used:
            near = difflib.get_close_matches(role, sorted(roles), n=1, cutoff=0.5)
            warnings.append(source.diagnostic(("fonts", role), f"font role {role!r} is not a role of this page's fonts; the override is not used",
                                              hint=f"did you mean `{near[0]}`?" if near else f"roles: {', '.join(sorted(roles))}",
                                              key=True, severity="warning", code="font-role"))
    return errors, warnings


def located(problems: list[Problem], source: Source) -> list[Diagnostic]:
    """The reader's problems at their line and column in the editor's file (each once)."""
    from layout.model.fullwidth import recognise

    out: list[Diagnostic] = []
    seen: set = set()
    for p in problems:
        d = recognise(source.diagnostic(p.path, p.message, hint=p.hint, key=p.key, code=p.code))
        if (d.line, d.column, d.message) not in seen:
            seen.add((d.line, d.column, d.message))
            out.append(d)
    return out


def _path_of(d: Diagnostic, source: Source) -> tuple:
    """The data path whose value sits at a diagnostic's position (for a field hint)."""
    for path, pos in source.values.items():
        if pos == (d.line, d.column) and path:
            return path
    return ()


def _caption_lines(photo) -> int:
    return photo.reserved_lines


def _with_warnings(problems: list[Diagnostic], source: Source, extra: list[Diagnostic] = ()) -> InputError:
    """The errors, with the loader's warnings (a duplicate key often explains an error), in file order."""
    from layout.errors import capped

    problems = sorted(problems, key=lambda d: (d.line, d.column))
    problems = capped(problems)  # (in file order; and before the hints: finding a field's hint reads every value)
    for d in problems:
        if not d.hint and d.code in ("range", "geometry"):
            from layout.model.hints import field_hint

            d.hint = field_hint(_path_of(d, source))
    shown = set(map(id, problems))
    diags = list(problems) + [w for w in list(source.warnings) + list(extra) if id(w) not in shown]
    diags.sort(key=lambda d: (d.line or float("inf"), d.column, d.severity != "error"))
    return InputError(diags)


def validate(source: Source, *, allow_outside: bool = False, layout: bool | None = True,
             folio: dict | None = None) -> Validated:
    """Validate a loaded source; raise :class:`InputError` listing every problem found.

    ``layout=False`` skips the checks of frames (placement, overlaps): the automatic layout
    validates a page that way before it has placed anything, then :func:`with_frames` checks the
    frames it chose; ``layout=None`` checks them unless the page says ``place: auto``. ``folio`` replaces folio fields (an edition numbers its pages and names
    their paper, date and section), before the grid is made: the page number decides which
    side the spine margin is on."""
    if not isinstance(source.data, dict):
        if is_page_name(source.file):
            d = source.diagnostic((), f"the top level must be a mapping (folio:, articles:, ...), got {kind_of(source.data)}",
                                  hint="see `broadsheet schema` or the seed page's content.yaml", code="not-mapping")
        else:  # not a content file by its name either: nothing of it is quoted
            d = Diagnostic(f"not a content page: the top level must be a mapping (folio:, articles:, ...), got "
                           f"{kind_of(source.data).split(' (')[0]}", source.file, code="not-mapping",
                           hint="a page is a YAML file (.yaml); see `broadsheet schema` or the seed page's content.yaml")
        raise _with_warnings([d], source)
    doc, refused = read(source.data)
    if refused:
        raise _with_warnings(located(refused, source), source)
    if folio:
        doc = replace(doc, folio=replace(doc.folio, **folio))
    problems: list[Diagnostic] = _page_checks(doc, source)
    if problems:
        raise _with_warnings(problems, source)
    try:
        grid = resolve_grid(doc.page, page_number=doc.folio.page)
    except GeometryError as exc:
        raise _with_warnings([source.diagnostic(exc.field, str(exc), hint=exc.hint, code="geometry")], source) from None
    except (UnitError, ValueError, ArithmeticError) as exc:
        raise _with_warnings([source.diagnostic(("page",), f"the page's figures do not make a grid: {exc}", code="geometry")], source) from None
    if layout is None:
        layout = doc.place != "auto"
    warnings = _checked(doc, grid, source, allow_outside=allow_outside, layout=layout)
    return Validated(doc=doc, grid=grid, source=source, warnings=list(source.warnings) + warnings)


def with_frames(v: Validated, doc: Document, *, allow_outside: bool = False) -> Validated:
    """``v`` with the records ``doc`` (the same page with frames the automatic layout chose),
    checked as a hand-placed page's frames are."""
    warnings = _checked(doc, v.grid, v.source, allow_outside=allow_outside, layout=True)
    return Validated(doc=doc, grid=v.grid, source=v.source, warnings=list(v.source.warnings) + warnings)


def _checked(doc: Document, grid: Grid, source: Source, *, allow_outside: bool, layout: bool) -> list[Diagnostic]:
    """The checks of a page's records that need its grid; raises every error, returns warnings."""
    problems: list[Diagnostic] = []
    palette = doc.palette()
    for name, value in doc.colors.items():
        if not isinstance(value, tuple):
            problems.append(source.diagnostic(("colors", name), f"colour {name!r} must be [C, M, Y, K] percentages, got {short(value)}",
                                              hint="e.g. brand: [0, 100, 100, 0]", code="unknown-color"))

    def color_ok(value, path):
        if isinstance(value, str) and value not in palette:
            near = difflib.get_close_matches(value, list(palette), n=1)
            problems.append(source.diagnostic(path, f"unknown colour {value!r}",
                                              hint=(f"did you mean {near[0]!r}? " if near else "") + "define it under `colors:` as [C, M, Y, K]",
                                              code="unknown-color"))

    ids: dict[str, tuple] = {}

    def unique(kind: str, ident: str, path: tuple):
        if not ident:
            return
        if ident in ids:
            line = source.position(ids[ident])[0]
            problems.append(source.diagnostic(path, f"id {ident!r} is used twice (first at line {line})",
                                              hint=f"give this {kind} its own id", code="duplicate-id"))
        else:
            ids[ident] = path

    font_errors, font_warnings = _font_checks(doc, source, allow_outside)
    problems += font_errors
    if doc.press.profile:
        _, d = resolve_file(doc.press.profile, source, ("press", "profile"), allow_outside=allow_outside, what="profile")
        if d is not None and d.code in ("path-outside", "bad-path", "special-file"):
            problems.append(d)

    modules: list[tuple[str, Frame, tuple]] = []
    photos_held = Occupancy(grid.columns, grid.lines)  # the photos' frames, which must not overlap
    for ai, art in enumerate(doc.articles):
        apath = ("articles", ai)
        if not art.body and art.continued_from is None:
            problems.append(source.diagnostic(apath + ("body",), f"articles[{ai}].body: needs at least one entry",
                                              hint="an article needs at least one paragraph (or `continued_from` another page)",
                                              code="too_short"))
        if art.continued_from is not None:
            cont = art.continued_from
            # another page's content file: inside this page's folder (unless --allow-outside), and a
            # content file by its name, so no other file is ever read (or quoted) as a page
            _, d = resolve_file(cont.file, source, apath + ("continued_from", "file"), allow_outside=allow_outside,
                                what="page")
            if d is None and not is_page_name(cont.file):
                d = source.diagnostic(apath + ("continued_from", "file"),
                                      f"continued_from names {short(cont.file, 60)}, which is not a content file (.yaml)",
                                      hint="name the content file (.yaml) of the page the story starts on", code="jump-file")
            if d:
                problems.append(d)
        unique("article", art.id, apath + ("id",))
        color_ok(art.headline.color, apath + ("headline", "color"))
        placed = layout and art.frame is not None
        if layout and not placed:
            problems.append(source.diagnostic(apath, f"article {art.id!r} has no frame",
                                              hint="give each article a `frame`, or set `place: auto` at the top "
                                                   "and let the engine place them", code="missing-frame"))
        if placed:
            problems += _frame_checks(art.frame, apath + ("frame",), grid, source)
            notch_problems = _notch_checks(art.frame, apath + ("frame",), source)
            problems += notch_problems
            if not notch_problems:  # (with a notch too big, any overlap would be a consequence)
                modules.append((f"article {art.id!r}", art.frame, apath + ("frame",)))
        if doc.place == "auto" and any(p.group is not None for p in art.photos):
            gi = next(i for i, p in enumerate(art.photos) if p.group is not None)
            problems.append(source.diagnostic(apath + ("photos", gi, "group"), "place: auto sets single photos, not photo groups",
                                              hint="give the group's article and the group frames on a hand-placed page",
                                              code="auto-photos"))
        engine_lines = 0  # lines the photos the engine places need at least
        for pi, photo in enumerate(art.photos):
            ppath = apath + ("photos", pi)
            unique("photo", photo.id, ppath + ("id",))
            shape = _photo_shape(photo, ppath, source)
            if shape:
                problems += shape
                continue
            if photo.group is None:
                _, d = resolve_file(photo.file, source, ppath + ("file",), allow_outside=allow_outside)
                if d:
                    problems.append(d)
            else:
                for gi, pic in enumerate(photo.group):
                    gpath = ppath + ("group", gi) + (() if isinstance(pic, str) else ("file",))
                    _, d = resolve_file(pic if isinstance(pic, str) else pic.file, source, gpath,
                                        allow_outside=allow_outside)
                    if d:
                        problems.append(d)
                if photo.across is not None and photo.across > len(photo.group):
                    problems.append(source.diagnostic(ppath + ("across",),
                                                      f"photo {photo.label}: across {photo.across}, but the group has "
                                                      f"{len(photo.group)} pictures",
                                                      hint=f"at most {len(photo.group)}; leave `across` out for one row",
                                                      code="group-range"))
            if not placed:
                continue
            need = _caption_lines(photo)
            if photo.frame is None:
                engine_lines = max(engine_lines, need + MIN_PICTURE_LINES)
                continue
            problems += _frame_checks(photo.frame, ppath + ("frame",), grid, source)
            clash = photos_held.first_clash(photo.frame)
            if clash is not None:  # (two pictures in one place: one would print over the other)
                problems.append(source.diagnostic(ppath + ("frame",), f"photo {photo.label!r} overlaps photo {clash[1]!r} "
                                                  f"in article {art.id!r}",
                                                  hint="move or shrink one of the two photos' frames", code="overlap"))
            else:
                photos_held.add(photo.frame, (art.id, photo.label, art.frame))
            if not inside(photo.frame, art.frame):
                where = "outside its article's frame" if notch_frame(art.frame) is None or not inside(
                    photo.frame, replace(art.frame, notch=None)) else "in its article's notch"
                problems.append(source.diagnostic(ppath + ("frame",), f"photo {photo.id or pi + 1} lies {where}",
                                                  hint="a photo's frame must sit inside the article's frame"
                                                       + (", clear of its notch" if notch_frame(art.frame) else ""),
                                                  code="frame-outside"))
            if need >= photo.frame.lines:
                problems.append(source.diagnostic(
                    ppath + ("frame", "lines"),
                    f"photo {photo.id or pi + 1}: a frame of {photo.frame.lines} lines leaves no room for the picture "
                    f"(caption, credit and a blank line take {need})",
                    hint=f"make the frame at least {need + 1} lines high", code="frame-range"))
            problems += group_checks(photo, ppath, grid, source)
        if placed and engine_lines:
            # the engine needs, besides the headline block, room for the tallest photo it places
            head = art.head_lines or 2
            n = notch_frame(art.frame)
            room = art.frame.lines - head
            if n is not None and n.line == art.frame.line:  # columns under a top notch have no heads
                room = max(room, art.frame.lines - n.lines - 1)
            if engine_lines > room:
                pi = next(i for i, p in enumerate(art.photos) if p.frame is None)
                problems.append(source.diagnostic(
                    apath + ("photos", pi),
                    f"photo {art.photos[pi].label}: no room to place it in article {art.id!r} "
                    f"({room} lines below the heads; the smallest picture and its caption need {engine_lines})",
                    hint="make the article's frame taller, or give the photo a `frame`", code="photo-fit"))
    if doc.masthead is not None:
        color_ok(doc.masthead.color, ("masthead", "color"))
        if layout:
            problems += _frame_checks(doc.masthead.frame, ("masthead", "frame"), grid, source)
            modules.append(("the masthead", doc.masthead.frame, ("masthead", "frame")))
    for di, ad in enumerate(doc.ads):
        dpath = ("ads", di)
        unique("ad", ad.id, dpath + ("id",))
        if layout:
            problems += _frame_checks(ad.frame, dpath + ("frame",), grid, source)
            modules.append((f"ad {ad.id or di + 1}", ad.frame, dpath + ("frame",)))
            clash = photos_held.first_clash(ad.frame)
            if clash is not None:  # (an ad set into an article's frame must keep clear of its photos)
                problems.append(source.diagnostic(dpath + ("frame",), f"ad {ad.id or di + 1} overlaps photo {clash[1]!r} "
                                                  f"of article {clash[0]!r}",
                                                  hint="move the ad or the photo; an ad may sit inside an article's frame, "
                                                       "clear of its photos", code="overlap"))
        if isinstance(ad, PublicServiceAd):
            color_ok(ad.color, dpath + ("color",))
        if isinstance(ad, ImageAd):
            _, d = resolve_file(ad.file, source, dpath + ("file",), allow_outside=allow_outside)
            if d:
                problems.append(d)
    # modules must not overlap, except that an ad may sit inside an article's frame (text wraps):
    # each module against the modules before it that hold one of its grid cells (Occupancy), so
    # 10,000 overlapping articles cost 10,000 checks, not 50 million pairs
    held = Occupancy(grid.columns, grid.lines)
    for nb, fb, pb in modules:
        kind_b = nb.split()[0]

        def allowed(other, kind_b=kind_b, fb=fb) -> bool:
            na, fa, _ = other
            return {na.split()[0], kind_b} == {"article", "ad"} and (inside(fb, fa) or inside(fa, fb))

        clash = held.first_clash(fb, allowed)
        if clash is not None:
            problems.append(source.diagnostic(pb, f"{nb} overlaps {clash[0]}",
                                              hint="move or shrink one of the frames (column/line/columns/lines)", code="overlap"))
        else:  # (a module that overlaps one is reported; the ones after it are checked against the others)
            held.add(fb, (nb, fb, pb))
    warnings = list(font_warnings)
    if layout:
        for ai, art in enumerate(doc.articles):
            if art.frame is not None and notch_frame(art.frame) is not None:
                empty = _uncovered_notch(art, held)
                if empty:
                    n = notch_frame(art.frame)
                    warnings.append(source.diagnostic(
                        ("articles", ai, "frame", "notch"),
                        f"the notch of article {art.id!r} (columns {n.column}-{n.column + n.columns - 1}, lines "
                        f"{n.line}-{n.line + n.lines - 1}) is not filled: {empty} of its {n.columns * n.lines} grid "
                        f"cells hold no article or ad", hint="put another article or an ad in the notch, or shrink it",
                        key=True, severity="warning", code="notch-empty"))
    if problems:
        raise _with_warnings(problems, source, warnings)
    return warnings
