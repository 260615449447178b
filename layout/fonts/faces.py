"""A page's font roles as the stages use them: metrics and the em box for composition, font
files for the renderer, and what the page's text asked of each face for the report.

:class:`FaceSet` is the one adapter between the registry (roles -> files -> faces) and the
protocols composition (``compose.context.Fonts``) and rendering (``render.embed.FontFiles``)
declare; :func:`page_fonts` opens a page's roles, its own ``fonts/fonts.yaml`` first.
"""

from __future__ import annotations

from pathlib import Path

from layout.display import Glyphs, Page

#: the font roles of the repository (every page that brings no fonts/fonts.yaml of its own)
DEFAULT_CONFIG = Path(__file__).resolve().parents[2] / "fonts" / "fonts.yaml"


class FaceSet:
    """Font roles for composition (metrics, em box) and rendering (font files to embed)."""

    def __init__(self, registry):
        self.registry = registry
        self._identity: str | None = None

    @property
    def identity(self) -> str:
        """What the faces are, as a digest: the configuration (roles, fallbacks, folders) and the
        identity of every file it resolves to (path, size, modification time). Two builds with
        equal identities measure and shape alike: composition's memos are keyed by it."""
        if self._identity is None:
            import hashlib

            config = self.registry.config
            parts = [repr(config)]
            specs = [(role, config.roles[role]) for role in sorted(config.roles)]
            specs += [(f"fallback{i}", spec) for i, spec in enumerate(config.fallback)]
            for name, spec in specs:
                try:
                    found = _first_file(config, spec)
                    parts.append(f"{name}={found[0]}:{spec.index}:{found[1].st_size}:{found[1].st_mtime_ns}"
                                 if found else f"{name}=-")
                except Exception:  # noqa: BLE001 - a role that cannot be resolved (its build says why)
                    parts.append(f"{name}=?")
            self._identity = hashlib.sha1("\n".join(parts).encode("utf-8", "surrogatepass")).hexdigest()
        return self._identity

    def metrics(self, role: str):
        """The role's font stack (its face and fallbacks): advances, coverage, shaping."""
        return self.registry.stack(role)

    def em_top(self, role: str) -> float:
        return self.registry.face(role).em_top

    def face_file(self, key: str) -> tuple[Path, int]:
        """The font file and face index (in a collection) of a display-list font key: a role
        (``body``) or a face of its stack (``body#2``), for embedding."""
        role, _, k = key.partition("#")
        if k:
            return self.registry.stack(role).file_of(int(k))
        face = self.registry.face(role)
        return face.path, face.index

    def face_table(self, key: str):
        """(font file, face index, its :class:`~layout.fonts.table.FontTable`) of a display-list
        font key: the face composition measured with, for embedding."""
        face = self.face(key)
        return face.path, face.index, face.table

    def face(self, key: str):
        """The :class:`~layout.fonts.face.Face` of a display-list font key."""
        role, _, k = key.partition("#")
        return self.registry.stack(role).face(int(k)) if k else self.registry.face(role)


def _first_file(config, spec):
    """(path, its status) of the file a role or fallback resolves to, as
    :func:`layout.fonts.registry.resolve_role` finds it (the first candidate that is a regular
    file), or None: one ``stat`` a candidate and no path objects (every build asks it of
    every role)."""
    import os
    import stat

    f = os.path.expanduser(spec.file)
    if os.path.isabs(f):
        folders = [""]
    else:
        folders = ([str(spec.base)] if spec.base is not None else []) + [str(config.folder)]
        folders += [str(d) for d in config.search]
    for d in folders:
        p = os.path.join(d, f) if d else f
        try:
            st = os.stat(p)
        except (OSError, ValueError):
            continue
        if stat.S_ISREG(st.st_mode):
            return p, st
    return None


def page_fonts(folder: Path, overrides: dict | None, cache: Path, *, allow_outside: bool = False) -> FaceSet:
    """The font roles of a page in ``folder``: its own ``fonts/fonts.yaml`` when it has one (a
    regular file inside the folder unless ``allow_outside``, like every path of a page), else
    the repository's, with the page's ``fonts:`` overrides. Faces opened by an earlier build of
    this process are reused while their files are as they were."""
    import os

    from layout.fonts.config import FontConfigError
    from layout.fonts.registry import FontRegistry

    local = folder / "fonts" / "fonts.yaml"
    config = DEFAULT_CONFIG
    if local.exists() or local.is_symlink():
        from layout.files import PathProblem, checked_path

        try:
            config = checked_path("fonts/fonts.yaml", folder, allow_outside=allow_outside, what="font config")
        except PathProblem as exc:
            raise FontConfigError(exc.message, hint=exc.hint) from None
    try:
        st = os.stat(config)
        key = (str(config), st.st_mtime_ns, st.st_size, repr(overrides or None), str(folder), str(cache))
    except OSError:
        key = None
    kept = _KEPT.get(key) if key is not None else None
    if kept is not None:  # the faces opened by an earlier build of this process, if the files are as they were
        faces = FaceSet(kept[0])
        if faces.identity == kept[1]:
            return faces
    faces = FaceSet(FontRegistry.load(config, overrides or None, base_dir=folder, cache_dir=cache))
    if key is not None:
        if len(_KEPT) >= 16:
            _KEPT.clear()
        _KEPT[key] = (faces.registry, faces.identity)
    return faces


#: registries of earlier builds in this process (watch, serve, an edition's workers), with the
#: identity of their faces: (config file and state, overrides, folder, cache) -> (registry, identity)
_KEPT: dict = {}


def characters_by_font(pages: list[Page]) -> dict[str, set]:
    """The distinct characters set in each font role."""
    chars: dict[str, set] = {}
    for page in pages:
        for it in page.items:
            if isinstance(it, Glyphs):
                chars.setdefault(it.font, set()).update(it.text)
    return chars


def font_usage(page: Page, faces: FaceSet) -> dict:
    """Per font role: the file it resolved to, how many distinct characters the page sets, and
    which of them the face lacks (each character asked of its face once)."""
    from layout.report import FontUsage

    from layout.fonts.coverage import needs_glyph

    chars = characters_by_font([page])
    out = {}
    for role in sorted(chars):
        face = faces.face(role)
        # (each character asked of a face once in the process: a rebuild sets the same ones)
        present = _PRESENT.setdefault((face.table.key, face.index), set())
        lacking = []
        for ch in sorted(chars[role] - present):
            if needs_glyph(ch) and not face.has(ch):
                lacking.append(ch)
            else:
                present.add(ch)
        out[role] = FontUsage(file=str(face.path), index=face.index, name=face.ps_name,
                              outlines="CFF (embedded as CIDFontType0C)" if face.is_cff else "TrueType",
                              characters=len(chars[role] - {" "}), missing=lacking)
    if len(_PRESENT) > 64:
        _PRESENT.clear()
    return out


#: (font file's content key, face index) -> characters found in the face (or needing no glyph)
_PRESENT: dict[tuple[str, int], set[str]] = {}


def unset_characters(page: Page, faces: FaceSet) -> list[tuple[Glyphs, str]]:
    """Characters no face of their role's stack has (each with the run it is in, once per run):
    they would print as nothing, so the build refuses the page and names them."""
    out: list[tuple[Glyphs, str]] = []
    identity = getattr(faces, "identity", None)
    for it in page.items:
        if not isinstance(it, Glyphs) or "#" in it.font:
            continue
        hit = _UNSET.get(id(it))  # (a rebuild draws the same runs with the same faces)
        if hit is not None and hit[0] is it and hit[1] == identity and identity is not None:
            out.extend((it, ch) for ch in hit[2])
            continue
        stack = faces.metrics(it.font)
        if not hasattr(stack, "face_index"):
            continue
        lacking = [ch for ch in dict.fromkeys(it.text) if not ch.isspace() and stack.face_index(ch) < 0]
        out.extend((it, ch) for ch in lacking)
        if len(_UNSET) >= 16384:
            _UNSET.clear()
        _UNSET[id(it)] = (it, identity, lacking)
    return out


#: id(run) -> (run, faces' identity, the characters no face has)
_UNSET: dict = {}


def fallback_findings(page: Page, faces: FaceSet) -> list:
    """What a fallback face set (a role's own face lacking the characters), by role and face."""
    from layout.findings import Fallback

    seen: dict[tuple[str, str], dict] = {}
    for it in page.items:
        if isinstance(it, Glyphs) and "#" in it.font and it.text.strip():
            role = it.font.partition("#")[0]
            face = faces.face(it.font)
            entry = seen.setdefault((role, it.font), {"face": f"{Path(face.path).name}", "chars": {}, "at": it.at,
                                                      "source": it.source})
            entry["chars"].update(dict.fromkeys(c for c in it.text if not c.isspace()))
    return [Fallback(font=role, face=e["face"], characters="".join(e["chars"]), source=e["source"], at=e["at"],
                     article=e["source"].split(":", 1)[0] if ":" in e["source"] and not e["source"].startswith("ad:") else "")
            for (role, _), e in sorted(seen.items())]
