"""From a loaded :class:`Source` to a validated :class:`Document`, or located diagnostics.

pydantic checks types and shapes; this module turns its errors into editor messages (file, line,
column, what was expected, a hint) and adds the checks that need the page grid: frames inside the
type area, modules that overlap, colours the palette knows, image files that exist inside the
page's folder. All problems of a file are reported at once.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import BaseModel, ValidationError

from layout.errors import Diagnostic, InputError
from layout.model.content import Article, Document, Frame, ImageAd, PublicServiceAd
from layout.model.geometry import GeometryError, Grid, resolve_grid
from layout.model.source import Source


@dataclass
class Validated:
    doc: Document
    grid: Grid
    source: Source
    warnings: list[Diagnostic] = field(default_factory=list)


def _fields_at(model: type[BaseModel], loc: tuple) -> list[str]:
    """Field names accepted at ``loc`` (for 'did you mean' hints on unknown keys)."""
    current: object = model
    for part in loc:
        if isinstance(part, int):
            continue
        fields = getattr(current, "model_fields", None)
        if not fields or part not in fields:
            return []
        ann = fields[part].annotation
        current = _model_in(ann)
        if current is None:
            return []
    fields = getattr(current, "model_fields", None)
    return list(fields) if fields else []


def _model_in(ann) -> type[BaseModel] | None:
    import typing

    if isinstance(ann, type) and issubclass(ann, BaseModel):
        return ann
    for arg in typing.get_args(ann):
        found = _model_in(arg)
        if found is not None:
            return found
    return None


def _clean_loc(loc: tuple) -> tuple:
    """pydantic puts union member names and tags into locations; keep only data keys."""
    out = []
    for part in loc:
        if isinstance(part, str) and (part in ("str", "SectionHead", "public-service", "image", "function-after[_no_empty(), list[union[str,SectionHead]]]")
                                      or part.startswith(("function-", "tuple[", "union[", "list["))):
            continue
        out.append(part)
    return tuple(out)


def _describe(err: dict) -> tuple[str, str]:
    kind = err["type"]
    msg = err["msg"]
    inp = err.get("input")
    if kind == "missing":
        return "this field is required", ""
    if kind == "extra_forbidden":
        return "unknown key", ""
    if kind in ("int_type", "int_parsing"):
        return f"expected a whole number, got {inp!r}", ""
    if kind in ("string_type",):
        return f"expected text, got {type(inp).__name__} {inp!r}", "quote the value if it should be text"
    if kind in ("model_type", "model_attributes_type", "dict_type"):
        return f"expected a mapping (key: value lines), got {type(inp).__name__}", ""
    if kind == "list_type":
        return f"expected a list (lines starting with '- '), got {type(inp).__name__}", ""
    if kind == "literal_error":
        return f"{msg[0].lower() + msg[1:]}, got {inp!r}", ""
    if kind == "union_tag_invalid":
        return f"unknown kind {err.get('ctx', {}).get('tag')!r}", "kind is public-service or image"
    if kind == "union_tag_not_found":
        return "this ad needs a `kind:` (public-service or image)", ""
    if kind == "value_error":
        text = msg.removeprefix("Value error, ")
        hint = ""
        if "did you mean" in text:
            text, hint = text.split("; did you mean", 1)
            hint = "did you mean" + hint
        return text, hint
    return msg, ""


def _pydantic_diagnostics(exc: ValidationError, source: Source) -> list[Diagnostic]:
    out: list[Diagnostic] = []
    seen: set = set()
    for err in exc.errors():
        loc = _clean_loc(tuple(err["loc"]))
        message, hint = _describe(err)
        where = ".".join(str(p) if not isinstance(p, int) else f"[{p}]" for p in loc).replace(".[", "[")
        if err["type"] == "extra_forbidden" and loc:
            key = loc[-1]
            accepted = _fields_at(Document, loc[:-1])
            near = difflib.get_close_matches(str(key), accepted, n=1, cutoff=0.5)
            hint = f"did you mean `{near[0]}`?" if near else (f"accepted here: {', '.join(accepted)}" if accepted else "")
            d = source.diagnostic(loc, f"unknown key `{key}`" + (f" in {'.'.join(str(p) for p in loc[:-1] if not isinstance(p, int))}" if len(loc) > 1 else ""),
                                  hint=hint, key=True, code="unknown-key")
        elif err["type"] == "missing":
            d = source.diagnostic(loc[:-1], f"`{loc[-1]}` is required" + (f" in {where.rsplit('.', 1)[0]}" if len(loc) > 1 else ""),
                                  hint=hint, code="missing-key")
        else:
            d = source.diagnostic(loc, f"{where}: {message}" if where else message, hint=hint, code=err["type"])
        sig = (d.line, d.column, d.message)
        if sig not in seen:
            seen.add(sig)
            out.append(d)
    out.sort(key=lambda d: (d.line, d.column))
    return out


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


def _overlap(a: Frame, b: Frame) -> bool:
    ax0, ax1, ay0, ay1 = _cells(a)
    bx0, bx1, by0, by1 = _cells(b)
    return ax0 < bx1 and bx0 < ax1 and ay0 < by1 and by0 < ay1


def _inside(inner: Frame, outer: Frame) -> bool:
    ix0, ix1, iy0, iy1 = _cells(inner)
    ox0, ox1, oy0, oy1 = _cells(outer)
    return ox0 <= ix0 and ix1 <= ox1 and oy0 <= iy0 and iy1 <= oy1


def resolve_file(name: str, source: Source, path: tuple, *, allow_outside: bool = False) -> tuple[Path | None, Diagnostic | None]:
    """An image path relative to the content file's folder; refused if it leaves the folder."""
    folder = source.folder
    p = (folder / name).resolve()
    if not allow_outside and folder not in p.parents and p != folder:
        return None, source.diagnostic(path, f"image path {name!r} leaves the page's folder",
                                       hint="copy the image into the page's images/ folder, or build with --allow-outside", code="path-outside")
    if not p.exists():
        near = []
        if p.parent.is_dir():
            near = difflib.get_close_matches(p.name, [c.name for c in p.parent.iterdir()], n=1, cutoff=0.5)
        hint = f"did you mean {str(Path(name).parent / near[0])!r}?" if near else "the path is relative to the content file's folder"
        return None, source.diagnostic(path, f"image file {name!r} not found", hint=hint, code="missing-image")
    if not p.is_file():
        return None, source.diagnostic(path, f"{name!r} is not a file", code="missing-image")
    return p, None


def validate(source: Source, *, allow_outside: bool = False) -> Validated:
    """Validate a loaded source; raise :class:`InputError` listing every problem found."""
    if not isinstance(source.data, dict):
        raise InputError([source.diagnostic((), "the top level must be a mapping (folio:, articles:, ...)",
                                            hint="see `broadsheet schema` or the seed page's content.yaml", code="not-mapping")])
    try:
        doc = Document.model_validate(source.data)
    except ValidationError as exc:
        raise InputError(_pydantic_diagnostics(exc, source)) from None
    problems: list[Diagnostic] = []
    try:
        grid = resolve_grid(doc.page, page_number=doc.folio.page)
    except GeometryError as exc:
        raise InputError([source.diagnostic(exc.field, str(exc), code="geometry")]) from None

    palette = doc.palette()

    def color_ok(value, path):
        if isinstance(value, str) and value not in palette:
            near = difflib.get_close_matches(value, list(palette), n=1)
            problems.append(source.diagnostic(path, f"unknown colour {value!r}",
                                              hint=(f"did you mean {near[0]!r}? " if near else "") + "define it under `colors:` as [C, M, Y, K]",
                                              code="unknown-color"))

    modules: list[tuple[str, Frame, tuple]] = []
    for ai, art in enumerate(doc.articles):
        apath = ("articles", ai)
        problems += _frame_checks(art.frame, apath + ("frame",), grid, source)
        color_ok(art.headline.color, apath + ("headline", "color"))
        modules.append((f"article {art.id!r}", art.frame, apath + ("frame",)))
        for pi, photo in enumerate(art.photos):
            ppath = apath + ("photos", pi)
            problems += _frame_checks(photo.frame, ppath + ("frame",), grid, source)
            if not _inside(photo.frame, art.frame):
                problems.append(source.diagnostic(ppath + ("frame",), f"photo {photo.id or pi + 1} lies outside its article's frame",
                                                  hint="a photo's frame must sit inside the article's frame", code="frame-outside"))
            if photo.caption_lines >= photo.frame.lines:
                problems.append(source.diagnostic(ppath + ("caption_lines",), "caption takes the whole frame", code="frame-range"))
            _, d = resolve_file(photo.file, source, ppath + ("file",), allow_outside=allow_outside)
            if d:
                problems.append(d)
    for di, ad in enumerate(doc.ads):
        dpath = ("ads", di)
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
    if problems:
        problems.sort(key=lambda d: (d.line, d.column))
        raise InputError(problems)
    return Validated(doc=doc, grid=grid, source=source, warnings=list(source.warnings))
