"""The pictures of composed pages, prepared for the renderer.

Composition says where each picture goes and what it shows (``display.Image``: the editor's
file, the box, the focus); this stage makes the file the renderer embeds: cropped to the box's
proportions, scaled to the target resolution, separated through the press profile when there is
one (:func:`layout.assets.images.prepare`, cached). It also reads the pictures' sizes before
composition (:func:`picture_sizes`), which is all composition needs of them.

A picture that cannot be used is a :class:`~layout.errors.Problem` at the place content.yaml
names it (``Image.at``); the build reports every one and writes no PDF.
"""

from __future__ import annotations

from pathlib import Path
from typing import Callable, Iterable

from msgspec import Struct, field

from layout.display import Image, Page, Vector
from layout.errors import Problem


class PlacedPicture(Struct, frozen=True):
    """One prepared picture, as the report lists it."""

    source: str  # the editor's file
    where: str  # what it belongs to (article / photo, or ad)
    ppi: float  # effective resolution in its box
    low: bool  # under the page's minimum
    pixels: tuple[int, int]
    frame_mm: tuple[float, float]


class Pictures(Struct):
    """The prepared file of each picture of the pages, and what the report says of them."""

    files: dict = field(default_factory=dict)  # display.Image -> prepared file (Path)
    placed: list[PlacedPicture] = field(default_factory=list)
    items: list[Image] = field(default_factory=list)  # the display item of each entry of ``placed``
    problems: list[Problem] = field(default_factory=list)

    def file_for(self, item: Image) -> Path:
        return self.files[item]


def picture_sizes(files: Iterable[str], folder: Path, cache: Path) -> dict[str, tuple[int, int]]:
    """Upright (width, height) in pixels of each picture file named on a page, from headers (a
    header index in ``cache`` saves even that); files that cannot be read are left out: the
    preparation reports them, at their place."""
    from layout.assets import images

    out: dict[str, tuple[int, int]] = {}
    for name in dict.fromkeys(files):
        try:
            out[name] = images.upright_size(folder / name, cache)
        except Exception:  # noqa: BLE001 - a bad file is reported by prepare_pictures, located
            continue
    return out


def prepare_pictures(pages: Iterable[Page], folder: Path, cache: Path, *, target_ppi: float, min_ppi: float,
                     convert: Callable | None = None) -> Pictures:
    """Prepare every picture of ``pages`` (each distinct one once)."""
    from layout.assets import images

    out = Pictures()
    reported: set[tuple] = set()
    pages = list(pages)
    vectors = [it for page in pages for it in page.items if isinstance(it, Vector)]
    if vectors:  # PDF pages placed as vector graphics: embedded as they are, only checked here
        from layout.assets.vectors import check_vectors

        files, problems = check_vectors(vectors, folder)
        out.files.update(files)
        out.problems.extend(problems)
    todo = list(dict.fromkeys(item for page in pages for item in page.items if isinstance(item, Image)))

    def prepare(item: Image):
        try:
            return images.prepare(folder / item.file, item.w, item.h, focus=tuple(item.focus),
                                  target_ppi=target_ppi, cache_dir=cache, convert=convert)
        except images.ImageError as exc:
            return exc

    results = [prepare(todo[0])] if todo else []
    if results and getattr(results[0], "cached", False):  # (prepared before: so, most likely, the others)
        results += [prepare(item) for item in todo[1:]]
    else:
        results += _in_threads(prepare, todo[1:])
    for item, prepared in zip(todo, results):
        if isinstance(prepared, images.ImageError):
            if (item.at, item.file) not in reported:
                reported.add((item.at, item.file))
                out.problems.append(Problem(item.at, f"image {item.file!r}: {prepared.message}", hint=prepared.hint,
                                            code="bad-image"))
            continue
        out.files[item] = prepared.path
        out.items.append(item)
        ppi = prepared.effective_ppi
        out.placed.append(PlacedPicture(source=item.file, where=item.source, ppi=ppi, low=ppi < min_ppi,
                                        pixels=(prepared.pixel_width, prepared.pixel_height),
                                        frame_mm=(round(item.w * 25.4 / 72, 1), round(item.h * 25.4 / 72, 1))))
    return out


def _in_threads(fn: Callable, items: list) -> list:
    """``[fn(x) for x in items]``, two or more at once when there are cores for it: decoding,
    scaling, colour conversion and JPEG encoding run in Pillow's C code without the interpreter
    lock, so the photos of a page are prepared side by side (a first build's longest stage)."""
    import os

    workers = min(len(items), os.cpu_count() or 1, 4)
    if workers < 2:
        return [fn(x) for x in items]
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="picture") as pool:
        return list(pool.map(fn, items))
