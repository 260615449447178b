"""From a loaded :class:`Source` to a validated :class:`Document`, or located diagnostics.

pydantic checks types and shapes; this module turns its errors into editor messages (file, line,
column, what was expected, a hint) and adds the checks that need the page grid: frames inside the
type area, modules that overlap, colours the palette knows, image files that exist inside the
page's folder. All problems of a file are reported at once.
"""

from __future__ import annotations

import difflib
import math
import os
import typing
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import BaseModel, ValidationError

from layout.errors import Diagnostic, InputError
from layout.model import content as _content
from layout.model.content import Document, Frame, ImageAd, PublicServiceAd, frame_parts, notch_frame
from layout.model.geometry import GeometryError, Grid, resolve_grid
from layout.model.source import Source
from layout.model.units import MM, Length, UnitError

#: Limits on the page's own figures (beyond them a number is a typo, and the geometry would be absurd).
MAX_PAGE_MM = 2000.0
MAX_BLEED_MM = 25.0
MAX_SLUG_MM = 50.0
ABSOLUTE_UNITS = ("pt", "mm", "cm", "in")

_REPO_FONTS = Path(__file__).resolve().parents[2] / "fonts" / "fonts.yaml"


@dataclass
class Validated:
    doc: Document
    grid: Grid
    source: Source
    warnings: list[Diagnostic] = field(default_factory=list)


# ------------------------------------------------------------------------------------------------
# pydantic errors -> diagnostics
# ------------------------------------------------------------------------------------------------

_MODEL_NAMES = {name for name, obj in vars(_content).items()
                if isinstance(obj, type) and issubclass(obj, BaseModel)}
_AD_KINDS = ("public-service", "image")


def _is_branch(part) -> bool:
    """pydantic puts union member names (``str``, ``SectionHead``, ``function-after[...]``) and
    discriminator tags into error locations; they are not keys of the editor's data."""
    return isinstance(part, str) and (
        part in _MODEL_NAMES or part in _AD_KINDS or part in ("str", "constrained-str", "int", "float", "none")
        or part.startswith(("function-", "tuple[", "union[", "list[", "constrained-", "lax-", "nullable[", "json-or-python[")))


def _clean_loc(loc: tuple, data=None) -> tuple:
    """Keep only data keys and indexes of a pydantic location. Walking the editor's data tells a
    key that happens to look like a union member's name (an unknown key `image:`) from a member."""
    out = []
    node = data
    for part in loc:
        if _is_branch(part) and not (isinstance(node, dict) and part in node):
            continue
        out.append(part)
        try:
            node = node[part] if node is not None else None
        except (KeyError, IndexError, TypeError):
            node = None
    return tuple(out)


def _model_in(ann, value=None) -> type[BaseModel] | None:
    """The model class inside an annotation (``list[Article]``, ``Frame | None``, a union of ads);
    for a union of models, the one whose ``kind`` matches ``value``'s."""
    if isinstance(ann, type) and issubclass(ann, BaseModel):
        return ann
    found: list[type[BaseModel]] = []
    for arg in typing.get_args(ann):
        m = _model_in(arg, value)
        if m is not None:
            found.append(m)
    if len(found) > 1 and isinstance(value, dict):
        for m in found:
            kind = m.model_fields.get("kind")
            if kind is not None and value.get("kind") in typing.get_args(kind.annotation):
                return m
    return found[0] if found else None


def _value_at(data, path: tuple):
    for part in path:
        try:
            data = data[part]
        except (KeyError, IndexError, TypeError):
            return None
    return data


def _fields_at(model: type[BaseModel], loc: tuple, data=None) -> list[str]:
    """Field names accepted at ``loc`` (for 'did you mean' hints on unknown keys)."""
    current: object = model
    for i, part in enumerate(loc):
        if isinstance(part, int):
            continue
        fields = getattr(current, "model_fields", None)
        if not fields or part not in fields:
            return []
        value = _value_at(data, loc[: i + 1]) if data is not None else None
        if isinstance(value, list):
            nxt = loc[i + 1] if i + 1 < len(loc) and isinstance(loc[i + 1], int) else None
            value = value[nxt] if nxt is not None and nxt < len(value) else None
        current = _model_in(fields[part].annotation, value)
        if current is None:
            return []
    fields = getattr(current, "model_fields", None)
    return list(fields) if fields else []


def _kind_of(v) -> str:
    if v is None:
        return "nothing (an empty value)"
    if isinstance(v, bool):
        return f"true/false ({str(v).lower()})"
    if isinstance(v, int):
        return f"a number ({v})"
    if isinstance(v, float):
        return f"a number ({v:g})"
    if isinstance(v, str):
        return f"text ({_short(v)})"
    if isinstance(v, dict):
        return "a mapping (key: value lines)"
    if isinstance(v, (list, tuple)):
        return "a list"
    return type(v).__name__


def _short(v, n: int = 40) -> str:
    r = repr(v)
    return r if len(r) <= n else r[: n - 1] + "…"


def _describe(err: dict) -> tuple[str, str]:
    kind = err["type"]
    msg = err["msg"]
    inp = err.get("input")
    ctx = err.get("ctx") or {}
    if kind == "missing":
        return "this field is required", ""
    if kind == "extra_forbidden":
        return "unknown key", ""
    if kind in ("int_type", "int_parsing"):
        return f"expected a whole number, got {_kind_of(inp)}", ""
    if kind == "int_from_float":
        return f"expected a whole number, got {inp!r}", "columns, lines and page numbers are counted in whole numbers"
    if kind in ("float_type", "float_parsing"):
        return f"expected a number, got {_kind_of(inp)}", ""
    if kind == "finite_number":
        return f"expected a finite number, got {inp!r}", ""
    if kind in ("bool_type", "bool_parsing"):
        return f"expected true or false, got {_kind_of(inp)}", ""
    if kind == "string_type":
        return f"expected text, got {_kind_of(inp)}", "quote the value if it should be text" if not isinstance(inp, (dict, list)) else ""
    if kind == "string_unicode":
        return "the text contains characters that are not valid Unicode", "remove the \\ud800-style escapes"
    if kind == "string_too_short":
        return "must not be empty", ""
    if kind == "too_short":
        if ctx.get("min_length") == 1:
            return "needs at least one entry", ""
        return f"needs at least {ctx.get('min_length')} entries", ""
    if kind == "too_long":
        return f"has too many entries (at most {ctx.get('max_length')})", ""
    if kind in ("greater_than_equal", "greater_than", "less_than_equal", "less_than") and isinstance(inp, float) \
            and not math.isfinite(inp):
        return f"expected a finite number, got {inp!r}", ""
    if kind in ("greater_than_equal", "greater_than", "less_than_equal", "less_than"):
        bound = {"greater_than_equal": ("at least", "ge"), "greater_than": ("more than", "gt"),
                 "less_than_equal": ("at most", "le"), "less_than": ("less than", "lt")}[kind]
        return f"must be {bound[0]} {ctx.get(bound[1])}, got {inp!r}", ""
    if kind in ("model_type", "model_attributes_type", "dict_type"):
        return f"expected a mapping (key: value lines), got {_kind_of(inp)}", ""
    if kind in ("list_type", "tuple_type"):
        return f"expected a list (lines starting with '- ', or [a, b]), got {_kind_of(inp)}", ""
    if kind == "literal_error":
        expected = ctx.get("expected", "")
        return f"expected one of {expected}, got {_short(inp)}", ""
    if kind == "union_tag_invalid":
        tag = ctx.get("tag")
        near = difflib.get_close_matches(str(tag), list(_AD_KINDS), n=1, cutoff=0.5)
        return f"unknown kind {tag!r}", (f"did you mean `{near[0]}`? " if near else "") + "kind is public-service or image"
    if kind == "union_tag_not_found":
        return "this ad needs a `kind:` (public-service or image)", "add `kind: public-service` or `kind: image`"
    if kind.startswith(("date_", "datetime_")):
        return f"expected a date as YYYY-MM-DD, got {_short(inp)}", ""
    if kind == "value_error":
        text = msg.removeprefix("Value error, ")
        hint = ""
        if "did you mean" in text:
            text, hint = text.split("; did you mean", 1)
            hint = "did you mean" + hint
        return text, hint
    return msg, ""


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

_TYPE_HINTS = {
    "model_type": "write `key: value` lines indented under it (or {key: value, ...})",
    "dict_type": "write `key: value` lines indented under it (or {key: value, ...})",
    "list_type": "start each entry with '- ' on its own line (or write [a, b])",
    "tuple_type": "write it as a list: [a, b]",
    "int_parsing": "write digits only, e.g. 3",
    "int_type": "write digits only, e.g. 3",
    "float_parsing": "write a number, e.g. 1.5",
    "string_too_short": "write some text, or leave the key out if it is optional",
}


def _union_summary(value, branches: set) -> tuple[str, str]:
    """One message for a value that matches no member of a union."""
    if "Picture" in branches:
        return (f"expected a picture: a file name or {{file: ..., focus: [x, y]}}, got {_kind_of(value)}",
                "e.g. - images/photo.jpg")
    if "SectionHead" in branches:
        return (f"expected a paragraph (text) or a section head ({{head: ..., number: ...}}), got {_kind_of(value)}",
                "quote the paragraph if it is text" if isinstance(value, (int, float))
                else "write the paragraph's text after '- ', or delete the line")
    return f"expected text or a mapping, got {_kind_of(value)}", ""


def _is_key(data, path: tuple, part) -> bool:
    node = _value_at(data, path)
    return isinstance(node, dict) and part in node


def _select_union_errors(errors: list[dict], data) -> tuple[list[dict], list[tuple[tuple, str, str]]]:
    """Of the errors of each union member, keep those of the member the editor evidently meant
    (a mapping -> the model, text -> the text member); a value that fits no member gets one
    summary message instead of one per member."""
    groups: dict[tuple, list[tuple[str, dict]]] = {}
    plain: list[dict] = []
    for err in errors:
        loc = tuple(err["loc"])
        i = next((k for k, p in enumerate(loc) if _is_branch(p) and (p in _MODEL_NAMES or "str" in p)
                  and not _is_key(data, _clean_loc(loc[:k], data), p)), None)
        if i is None:
            plain.append(err)
            continue
        groups.setdefault(_clean_loc(loc[:i], data), []).append((str(loc[i]), err))
    summaries: list[tuple[tuple, str, str]] = []
    for where, members in groups.items():
        value = _value_at(data, where)
        branches = {b for b, _ in members}
        if isinstance(value, dict):
            keep = [e for b, e in members if b in _MODEL_NAMES]
        elif isinstance(value, str):
            keep = [e for b, e in members if "str" in b]
        else:
            keep = []
        if keep:
            plain.extend(keep)
        else:
            msg, hint = _union_summary(value, branches)
            summaries.append((where, msg, hint))
    return plain, summaries


def _field_hint(loc: tuple) -> str:
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


def _where(loc: tuple) -> str:
    return ".".join(str(p) if not isinstance(p, int) else f"[{p}]" for p in loc).replace(".[", "[")


def _pydantic_diagnostics(exc: ValidationError, source: Source) -> list[Diagnostic]:
    out: list[Diagnostic] = []
    seen: set = set()
    errors, summaries = _select_union_errors(exc.errors(), source.data)
    diags: list[Diagnostic] = []
    for where, message, hint in summaries:
        diags.append(source.diagnostic(where, f"{_where(where)}: {message}", hint=hint, code="type"))
    # a misspelt required key gives "unknown key `bylin`" and "`byline` is required": say it once
    missing = {_clean_loc(tuple(e["loc"]), source.data) for e in errors if e["type"] == "missing"}
    explained: set[tuple] = set()
    for err in errors:
        loc = _clean_loc(tuple(err["loc"]), source.data)
        if err["type"] == "extra_forbidden" and loc:
            accepted = _fields_at(Document, loc[:-1], source.data)
            for near in difflib.get_close_matches(str(loc[-1]), accepted, n=3, cutoff=0.5):
                if loc[:-1] + (near,) in missing:
                    explained.add(loc[:-1] + (near,))
                    break
    for err in errors:
        loc = _clean_loc(tuple(err["loc"]), source.data)
        if err["type"] == "missing" and loc in explained:
            continue
        message, hint = _describe(err)
        where = _where(loc)
        if err["type"] == "extra_forbidden" and loc:
            key = loc[-1]
            accepted = _fields_at(Document, loc[:-1], source.data)
            near = [n for n in difflib.get_close_matches(str(key), accepted, n=3, cutoff=0.5) if loc[:-1] + (n,) in explained]
            near = near or difflib.get_close_matches(str(key), accepted, n=1, cutoff=0.5)
            hint = f"did you mean `{near[0]}`?" if near else (f"accepted here: {', '.join(accepted)}" if accepted else "")
            parent = ".".join(str(p) for p in loc[:-1] if not isinstance(p, int))
            d = source.diagnostic(loc, f"unknown key `{key}`" + (f" in {parent}" if parent else ""),
                                  hint=hint, key=True, code="unknown-key")
        elif err["type"] == "missing" and loc and isinstance(loc[-1], int):  # a pair given one value
            parent = _where(loc[:-1])
            d = source.diagnostic(loc[:-1], f"{parent}: too few values (value {loc[-1] + 1} is missing)",
                                  hint=_field_hint(loc[:-1]), code="missing-key")
        elif err["type"] == "missing" and loc:
            parent = _where(loc[:-1])
            d = source.diagnostic(loc[:-1], f"`{loc[-1]}` is required" + (f" in {parent}" if parent else ""),
                                  hint=hint or f"add `{loc[-1]}:` here", code="missing-key")
        else:
            if not hint:
                hint = _TYPE_HINTS.get(err["type"]) or _field_hint(loc)
            d = source.diagnostic(loc, f"{where}: {message}" if where else message, hint=hint, code=err["type"])
        diags.append(d)
    for d in diags:
        sig = (d.line, d.column, d.message)
        if sig not in seen:
            seen.add(sig)
            out.append(d)
    return out


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


def _cells(frame: Frame) -> tuple[int, int, int, int]:
    return (frame.column, frame.column + frame.columns, frame.line, frame.line + frame.lines)


def _rects_overlap(a: Frame, b: Frame) -> bool:
    ax0, ax1, ay0, ay1 = _cells(a)
    bx0, bx1, by0, by1 = _cells(b)
    return ax0 < bx1 and bx0 < ax1 and ay0 < by1 and by0 < ay1


def _overlap(a: Frame, b: Frame) -> bool:
    """Whether two modules share a grid cell; a stepped module's notch is not part of it."""
    return any(_rects_overlap(pa, pb) for pa in frame_parts(a) for pb in frame_parts(b))


def _inside(inner: Frame, outer: Frame) -> bool:
    """Whether ``inner`` lies inside ``outer`` (inside its frame and clear of its notch)."""
    ix0, ix1, iy0, iy1 = _cells(inner)
    ox0, ox1, oy0, oy1 = _cells(outer)
    if not (ox0 <= ix0 and ix1 <= ox1 and oy0 <= iy0 and iy1 <= oy1):
        return False
    notch = notch_frame(outer)
    return notch is None or not any(_rects_overlap(p, notch) for p in frame_parts(inner))


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
        return [source.diagnostic(ppath, f"`file` is required in {_where(ppath)} (or `group`, for a photo group)",
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
    if photo.group is not None and "focus" in photo.model_fields_set:
        return [source.diagnostic(ppath + ("focus",), f"photo {name}: a group's pictures each have their own focus",
                                  hint="write it on the picture: - {file: images/a.jpg, focus: [0.5, 0.3]}", key=True,
                                  code="photo-shape")]
    return []


#: the smallest picture the engine makes, in lines above the caption
MIN_PICTURE_LINES = 3


def _group_checks(photo, ppath: tuple, grid: Grid, source: Source) -> list[Diagnostic]:
    """The cells of a photo group must be pictures, not slivers."""
    if photo.group is None or photo.frame is None:
        return []
    n = len(photo.group)
    across = min(photo.across or n, n)
    rows = -(-n // across)
    width = (grid.span_width(photo.frame.columns) - (across - 1) * grid.gutter) / across
    out = []
    if width < 3 * grid.body_size:
        out.append(source.diagnostic(ppath + (("across",) if photo.across else ("frame", "columns")),
                                     f"photo {photo.label}: {across} pictures side by side in {photo.frame.columns} "
                                     f"column{'s' if photo.frame.columns > 1 else ''} leave each {width / grid.body_size:.1f} 字 wide",
                                     hint="widen the frame or set fewer pictures `across` (each needs at least 3 字)",
                                     code="group-range"))
    picture_lines = photo.frame.lines - photo.reserved_lines
    height = (picture_lines - 1) * grid.pitch + grid.body_size - (rows - 1) * grid.gutter
    if picture_lines > 0 and height / rows < 3 * grid.body_size:
        out.append(source.diagnostic(ppath + ("frame", "lines"),
                                     f"photo {photo.label}: {rows} rows of pictures in {picture_lines} lines leave each "
                                     f"{height / rows / grid.body_size:.1f} 字 high",
                                     hint="make the frame taller or set more pictures `across`", code="group-range"))
    return out


def _uncovered_notch(art, modules: list[tuple[str, Frame, tuple]]) -> int:
    """How many grid cells of an article's notch no other module fills."""
    n = notch_frame(art.frame)
    if n is None:
        return 0
    others = [f for name, f, _ in modules if f is not art.frame]
    empty = 0
    for c in range(n.column, n.column + n.columns):
        for ln in range(n.line, n.line + n.lines):
            cell = Frame(column=c, columns=1, line=ln, lines=1)
            if not any(_overlap(cell, f) for f in others):
                empty += 1
    return empty


def _bad_path_chars(name: str) -> str | None:
    for ch in name:
        if ord(ch) < 0x20 or ord(ch) == 0x7F:
            return f"U+{ord(ch):04X}"
    return None


def _near_file(p: Path) -> str | None:
    """The file in ``p``'s folder whose name is closest to ``p``'s (a typo, or .jpeg for .jpg)."""
    if not p.parent.is_dir():
        return None
    files = sorted(c.name for c in p.parent.iterdir() if not c.name.startswith("."))[:2000]
    stems: dict[str, str] = {}
    for f in files:
        stems.setdefault(Path(f).stem, f)
    near = difflib.get_close_matches(p.stem, list(stems), n=1, cutoff=0.75)
    return stems[near[0]] if near else None


def resolve_file(name: str, source: Source, path: tuple, *, allow_outside: bool = False,
                 what: str = "image") -> tuple[Path | None, Diagnostic | None]:
    """A file path relative to the content file's folder; refused if it leaves the folder."""
    folder = source.folder
    bad = _bad_path_chars(name)
    if bad:
        return None, source.diagnostic(path, f"{what} path {name!r} contains a control character ({bad})",
                                       hint="retype the file name", code="bad-path")
    try:
        p = (folder / os.path.expanduser(name) if name.startswith("~") else folder / name).resolve()
        if not allow_outside and folder not in p.parents and p != folder:
            into = {"image": "the page's images/ folder", "font": "the page's fonts/ folder"}.get(what, "the page's folder")
            return None, source.diagnostic(path, f"{what} path {name!r} leaves the page's folder",
                                           hint=f"copy the {what} into {into}, or build with --allow-outside",
                                           code="path-outside")
        if not p.exists():
            near = _near_file(p)
            hint = f"did you mean {str(Path(name).parent / near)!r}?" if near else "the path is relative to the content file's folder"
            return None, source.diagnostic(path, f"{what} file {name!r} not found", hint=hint, code="missing-image")
        if not p.is_file():
            return None, source.diagnostic(path, f"{what} path {name!r} is a folder, not a file",
                                           hint=f"name the {what} file inside it, e.g. {name.rstrip('/')}/photo.jpg", code="missing-image")
    except OSError as exc:  # a name too long for the file system, a loop of links, ...
        return None, source.diagnostic(path, f"{what} path {_short(name, 60)} cannot be used: {exc.strerror or exc}",
                                       code="bad-path")
    return p, None


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
        return set(load_config(local if local.is_file() else _REPO_FONTS).roles)
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
                if d is not None and d.code in ("path-outside", "bad-path"):
                    errors.append(d)
        elif "file" in spec and not isinstance(file, str):
            errors.append(source.diagnostic(("fonts", role, "file"), f"fonts.{role}.file: expected a file name, got {_kind_of(file)}",
                                            code="font"))
        index = spec.get("index", 0)
        if isinstance(index, bool) or not isinstance(index, int) or index < 0:
            errors.append(source.diagnostic(("fonts", role, "index"), f"fonts.{role}.index: expected a whole number from 0, got {_short(index)}",
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
    for d in problems:
        if not d.hint and d.code in ("range", "geometry"):
            d.hint = _field_hint(_path_of(d, source))
    diags = list(problems) + [w for w in list(source.warnings) + list(extra) if w not in problems]
    diags.sort(key=lambda d: (d.line, d.column, d.severity != "error"))
    return InputError(diags)


def validate(source: Source, *, allow_outside: bool = False, layout: bool = True) -> Validated:
    """Validate a loaded source; raise :class:`InputError` listing every problem found.

    ``layout=False`` skips the checks of frames (placement, overlaps): the automatic layout
    validates a page that way before it has placed anything."""
    if not isinstance(source.data, dict):
        raise _with_warnings([source.diagnostic((), f"the top level must be a mapping (folio:, articles:, ...), got {_kind_of(source.data)}",
                                                hint="see `broadsheet schema` or the seed page's content.yaml", code="not-mapping")], source)
    try:
        doc = Document.model_validate(source.data)
    except ValidationError as exc:
        raise _with_warnings(_pydantic_diagnostics(exc, source), source) from None
    problems: list[Diagnostic] = _page_checks(doc, source)
    if problems:
        raise _with_warnings(problems, source)
    try:
        grid = resolve_grid(doc.page, page_number=doc.folio.page)
    except GeometryError as exc:
        raise _with_warnings([source.diagnostic(exc.field, str(exc), code="geometry")], source) from None
    except (UnitError, ValueError, ArithmeticError) as exc:
        raise _with_warnings([source.diagnostic(("page",), f"the page's figures do not make a grid: {exc}", code="geometry")], source) from None

    palette = doc.palette()
    for name, value in doc.colors.items():
        if not isinstance(value, tuple):
            problems.append(source.diagnostic(("colors", name), f"colour {name!r} must be [C, M, Y, K] percentages, got {_short(value)}",
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
        if d is not None and d.code in ("path-outside", "bad-path"):
            problems.append(d)

    modules: list[tuple[str, Frame, tuple]] = []
    for ai, art in enumerate(doc.articles):
        apath = ("articles", ai)
        if not art.body and art.continued_from is None:
            problems.append(source.diagnostic(apath + ("body",), f"articles[{ai}].body: needs at least one entry",
                                              hint="an article needs at least one paragraph (or `continued_from` another page)",
                                              code="too_short"))
        if art.continued_from is not None:
            cont = art.continued_from
            # another page's content file: YAML read safely, so it may live beside this page's folder
            _, d = resolve_file(cont.file, source, apath + ("continued_from", "file"), allow_outside=True, what="page")
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
            if not _inside(photo.frame, art.frame):
                where = "outside its article's frame" if notch_frame(art.frame) is None or not _inside(
                    photo.frame, art.frame.model_copy(update={"notch": None})) else "in its article's notch"
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
            problems += _group_checks(photo, ppath, grid, source)
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
    for di, ad in enumerate(doc.ads):
        dpath = ("ads", di)
        unique("ad", ad.id, dpath + ("id",))
        if layout:
            problems += _frame_checks(ad.frame, dpath + ("frame",), grid, source)
            modules.append((f"ad {ad.id or di + 1}", ad.frame, dpath + ("frame",)))
        if isinstance(ad, PublicServiceAd):
            color_ok(ad.color, dpath + ("color",))
        if isinstance(ad, ImageAd):
            _, d = resolve_file(ad.file, source, dpath + ("file",), allow_outside=allow_outside)
            if d:
                problems.append(d)
    # modules must not overlap, except that an ad may sit inside an article's frame (text wraps)
    for i in range(len(modules)):
        for j in range(i + 1, len(modules)):
            (na, fa, pa), (nb, fb, pb) = modules[i], modules[j]
            a_is_art, b_is_art = na.startswith("article"), nb.startswith("article")
            if a_is_art != b_is_art and (_inside(fb, fa) or _inside(fa, fb)):
                continue
            if _overlap(fa, fb):
                problems.append(source.diagnostic(pb, f"{nb} overlaps {na}",
                                                  hint="move or shrink one of the frames (column/line/columns/lines)", code="overlap"))
    warnings = list(font_warnings)
    if layout:
        for ai, art in enumerate(doc.articles):
            if art.frame is not None and notch_frame(art.frame) is not None:
                empty = _uncovered_notch(art, modules)
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
    return Validated(doc=doc, grid=grid, source=source, warnings=list(source.warnings) + warnings)
