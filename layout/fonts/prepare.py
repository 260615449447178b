"""What the set-up prepares once for the configured faces, so that the first build after an
install (empty per-user caches) does not do it: ``python -m layout.fonts.prepare``, run by
``scripts/setup.sh``.

Into ``layout/fonts/data/`` (beside the package, like the newsprint profile in
``layout/finish/data/``), under the same names the per-user font caches use, keyed by each font
file's identity (real path, index, mtime, size: :func:`layout.fonts.cache.face_key`), so a
prepared entry is only ever read for the very file it was made from:

- ``metrics/``: the metrics table of every face a role or a fallback names (character map,
  advances, header values: :mod:`layout.fonts.table`), which fontTools takes ~0.1-0.3 s a face
  to read;
- ``embed/``: each face's embedding metadata and vertical metrics (:mod:`layout.render.embed`),
  and, for the CFF faces of the roles, the desubroutinized charstrings of a common repertoire:
  every character of GB 2312 and Big5 (for the body faces) or GB 2312 (the other roles), ASCII,
  Latin-1, the CJK marks, and the glyphs HarfBuzz gives the marks in vertical and Traditional
  setting. A page set from that repertoire cuts its font subsets without opening a CFF table.

Readers look in the per-user cache first and then here; nothing here is ever written by a build
(the folder may be read-only). A font file upgraded since leaves its entries unused (its key
changed) until the set-up runs again, which replaces the folder's contents.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

from .cache import PREPARED as DATA

#: roles whose faces get the larger repertoire (GB 2312 and Big5): running text
BODY_ROLES = ("body", "body_bold")

#: what the prepared folder holds, written into it (``VERSION``): another one is prepared again
VERSION = "2 metrics, embed meta/vert, cffpack"


def _repertoire(big5: bool) -> list[str]:
    """The characters of GB 2312 (and Big5), ASCII, Latin-1 and the CJK marks."""
    chars: set[str] = set(chr(c) for c in range(0x20, 0x7F)) | set(chr(c) for c in range(0xA0, 0x100))
    chars |= set(chr(c) for c in range(0x3000, 0x3040)) | set(chr(c) for c in range(0xFF01, 0xFF61))
    chars |= set(chr(c) for c in range(0x2010, 0x2070))  # dashes, quotes, ellipsis, primes
    encodings = [("gb2312", 0xA1, 0xF7, 0xA1, 0xFE)]
    if big5:
        encodings.append(("big5", 0xA1, 0xF9, 0x40, 0xFE))
    for name, lo1, hi1, lo2, hi2 in encodings:
        for b1 in range(lo1, hi1 + 1):
            for b2 in range(lo2, hi2 + 1):
                try:
                    chars.add(bytes((b1, b2)).decode(name))
                except UnicodeDecodeError:
                    pass
    return sorted(c for c in chars if len(c) == 1)


def _variant_glyphs(path: Path, index: int, chars: list[str]) -> set[int]:
    """Glyphs HarfBuzz sets for the marks and symbols of ``chars`` (not Han) in vertical lines
    and in Traditional Chinese (``vert``, ``locl``), which no character maps to."""
    from .shaping import shaper

    sh = shaper(path, index)
    out: set[int] = set()
    marks = [c for c in chars if not ("\u4e00" <= c <= "\u9fff") and not c.isspace()]
    for c in marks:
        for lang in ("zh-Hans", "zh-Hant", "zh-HK"):
            for direction in ("ltr", "ttb"):
                out.update(sh.shape(c, script="Hani", language=lang, direction=direction).gids)
    for pair in ("——", "……", "──"):
        for direction in ("ltr", "ttb"):
            out.update(sh.shape(pair, script="Hani", language="zh-Hans", direction=direction).gids)
    return out


def faces() -> list[tuple[Path, int, str]]:
    """(file, index, role or "fallback") of every face the default configuration names that
    exists on this machine, each once."""
    from .config import load_config
    from .registry import resolve_role, resolve_spec

    config = load_config()
    out: list[tuple[Path, int, str]] = []
    seen: set[tuple[str, int]] = set()
    for role in config.roles:
        try:
            path, index = resolve_role(config, role)
        except Exception:  # noqa: BLE001 - a role whose package is missing: the build says so
            continue
        if (str(path.resolve()), index) not in seen:
            seen.add((str(path.resolve()), index))
            out.append((path, index, role))
    for spec in config.fallback:
        found = resolve_spec(config, spec)
        if found is not None and (str(found[0].resolve()), found[1]) not in seen:
            seen.add((str(found[0].resolve()), found[1]))
            out.append((found[0], found[1], "fallback"))
    return out


def prepare(data: Path = DATA, *, say=print) -> int:
    """Prepare every configured face into ``data`` (replacing what is there); returns how many
    faces."""
    import shutil
    import tempfile

    from layout.render import embed
    from layout.render.embed import EmbeddedFace, _cache_dir, _stem, face_meta, vertical_metrics

    from . import cache as cache_mod
    from . import table as table_mod
    from .cache import fonts_cache

    data.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=".prepare-", dir=data.parent))
    saved = cache_mod.PREPARED
    cache_mod.PREPARED = work / "none"  # (made from the font files, not from what is prepared now)
    try:
        todo = faces()
        body_files = set()
        from .config import load_config
        from .registry import resolve_role

        config = load_config()
        for role in BODY_ROLES:
            try:
                body_files.add(tuple(map(str, resolve_role(config, role))))
            except Exception:  # noqa: BLE001
                pass
        for path, index, role in todo:
            t = time.perf_counter()
            table_mod.clear_memo()
            tab = table_mod.load_table(path, index, work)  # -> work/fonts/metrics/
            meta = face_meta(path, index, tab, work)  # -> work/fonts/embed/
            vertical_metrics(path, index, tab, work)
            glyphs = 0
            if meta["kind"] == "cff" and role != "fallback":
                chars = _repertoire(big5=(str(path), str(index)) in body_files)
                gids = {tab.gid(ord(c)) for c in chars} | _variant_glyphs(path, index, chars)
                gids.discard(0)
                gids.add(0)
                face = EmbeddedFace("G1", path, index, tab, meta, work)
                embed.write_pack(_cache_dir(work) / f"{_stem(path, index, tab.key)}.cffpack",
                                 face._desubroutinize(sorted(gids)), meta["num_glyphs"])
                glyphs = len(gids)
            say(f"  {path.name} ({index}) for {role}: {glyphs} glyphs ready, {time.perf_counter() - t:.1f} s")
        table_mod.clear_memo()
        out = Path(tempfile.mkdtemp(prefix=".prepared-", dir=data.parent))
        os.chmod(out, 0o755)  # (mkdtemp makes it 0700: every user of the installation reads it)
        (out / "VERSION").write_text(VERSION + "\n", encoding="utf-8")
        for sub in ("metrics", "embed"):
            src = fonts_cache(work, sub)
            (out / sub).mkdir()
            if src.is_dir():
                for f in src.iterdir():
                    if f.is_file() and not f.name.startswith(".") and not f.name.endswith(".lock"):
                        shutil.copy2(f, out / sub / f.name)
        old = data.with_name(data.name + ".old")
        shutil.rmtree(old, ignore_errors=True)
        if data.exists():
            data.rename(old)
        out.rename(data)
        shutil.rmtree(old, ignore_errors=True)
        return len(todo)
    finally:
        cache_mod.PREPARED = saved
        shutil.rmtree(work, ignore_errors=True)


def up_to_date(data: Path = DATA) -> bool:
    """Is every configured face prepared (its metrics table there under its current key)?"""
    from .cache import face_key

    try:
        if (data / "VERSION").read_text(encoding="utf-8").strip() != VERSION:
            return False
        for path, index, _ in faces():
            if not (data / "metrics" / f"{path.stem}-{index}-{face_key(path, index)}.metrics").is_file():
                return False
    except OSError:
        return False
    return (data / "embed").is_dir()


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m layout.fonts.prepare", description=__doc__.split("\n\n")[0])
    ap.add_argument("--force", action="store_true", help="prepare again even when every face is prepared")
    args = ap.parse_args(argv)
    if not args.force and up_to_date():
        print(f"fonts: prepared already ({DATA})")
        return 0
    t = time.perf_counter()
    print(f"fonts: preparing the configured faces into {DATA}")
    n = prepare()
    print(f"fonts: {n} faces prepared in {time.perf_counter() - t:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
