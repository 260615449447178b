"""Roles -> font files -> faces.

:func:`resolve_role` finds a role's file: an absolute path is taken as it is; a relative one is
looked up in the paper's folder (for a paper's own overrides), then the config file's folder,
then each ``search`` folder, in order. The first existing file wins. When none exists the
:class:`FontConfigError` lists every place tried and names the Debian package to install, so a
fresh machine's first build says exactly what to do.

:class:`FontRegistry` opens faces lazily (a page that never sets an ad does not need the
display face) and keeps them for the process.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from .config import FontConfig, FontConfigError, load_config
from .face import Face, open_face


def candidates(config: FontConfig, role: str) -> list[Path]:
    """The paths tried for ``role``, in order (no filesystem access)."""
    spec = _spec(config, role)
    f = Path(os.path.expanduser(spec.file))
    if f.is_absolute():
        return [f]
    folders: list[Path] = []
    if spec.base is not None:
        folders.append(spec.base)
    folders.append(config.folder)
    folders.extend(config.search)
    seen: set[Path] = set()
    out: list[Path] = []
    for d in folders:
        p = d / f
        if p not in seen:
            seen.add(p)
            out.append(p)
    return out


def resolve_spec(config: FontConfig, spec) -> tuple[Path, int] | None:
    """``(path, index)`` of a face spec (a fallback entry), or None when no candidate exists."""
    f = Path(os.path.expanduser(spec.file))
    folders = [f] if f.is_absolute() else [d / f for d in ([spec.base] if spec.base else []) + [config.folder,
                                                                                                *config.search]]
    for p in folders:
        if p.is_file():
            return p, spec.index
    return None


def resolve_role(config: FontConfig, role: str) -> tuple[Path, int]:
    """``(path, index)`` of ``role``'s face; :class:`FontConfigError` if no candidate exists."""
    spec = _spec(config, role)
    tried = candidates(config, role)
    for p in tried:
        if p.is_file():
            return p, spec.index
    raise FontConfigError(
        f"font role '{role}': file {spec.file} not found",
        role=role,
        file=spec.file,
        looked_in=tried,
        hint=config.package_hint(role, spec.file),
    )


def _spec(config: FontConfig, role: str):
    try:
        return config.roles[role]
    except KeyError:
        known = ", ".join(sorted(config.roles)) or "none"
        where = f" in {config.source}" if config.source else ""
        raise FontConfigError(
            f"unknown font role '{role}'{where} (known roles: {known})", role=role
        ) from None


class FontRegistry:
    """The faces of one build: ``registry.face('body')``.

    ``cache_dir`` is the cache root (default ``$BROADSHEET_CACHE`` or ``./.cache``); font
    caches go to ``<root>/fonts/``.
    """

    def __init__(self, config: FontConfig | None = None, *, cache_dir: str | Path | None = None):
        self.config = config if config is not None else load_config()
        self.cache_dir = Path(cache_dir) if cache_dir is not None else None
        self._faces: dict[str, Face] = {}
        self._lock = threading.Lock()

    @classmethod
    def load(
        cls,
        config_path: str | Path | None = None,
        overrides: Mapping[str, Any] | None = None,
        *,
        base_dir: str | Path | None = None,
        cache_dir: str | Path | None = None,
    ) -> FontRegistry:
        """Read the config (default ``fonts/fonts.yaml``) and merge a paper's ``fonts:``
        overrides over it; relative override paths are taken from ``base_dir`` first."""
        config = load_config(config_path).with_overrides(overrides, base_dir)
        return cls(config, cache_dir=cache_dir)

    @property
    def roles(self) -> list[str]:
        return list(self.config.roles)

    def resolve(self, role: str) -> tuple[Path, int]:
        return resolve_role(self.config, role)

    def face(self, role: str) -> Face:
        """The face of ``role`` (opened once). :class:`FontConfigError` names the role when the
        file is missing or is not a usable face (e.g. an index past the collection's end)."""
        face = self._faces.get(role)
        if face is not None:
            return face
        path, index = self.resolve(role)
        try:
            face = open_face(path, index, key=role, cache_dir=self.cache_dir)
        except FontConfigError as e:
            raise FontConfigError(
                f"font role '{role}': {e.message}",
                role=role,
                file=str(path),
                hint=e.hint or f"check 'file' and 'index' of role '{role}'",
            ) from e
        with self._lock:
            return self._faces.setdefault(role, face)

    def stack(self, role: str):
        """The role's :class:`~layout.fonts.stack.FontStack`: its face, then (when a page
        overrides the role) the configured face, then the configuration's fallbacks that exist
        on this machine; fallbacks are opened only when a character needs them."""
        stacks = self.__dict__.setdefault("_stacks", {})
        st = stacks.get(role)
        if st is not None:
            return st
        from .stack import FontStack

        primary = self.face(role)
        entries: list = [primary]
        seen = {(str(primary.path), primary.index)}
        specs = []
        configured = self.config.configured.get(role)
        if configured is not None and configured != self.config.roles.get(role):
            specs.append(configured)
        specs.extend(self.config.fallback)
        for spec in specs:
            found = resolve_spec(self.config, spec)
            if found is not None and (str(found[0]), found[1]) not in seen:
                seen.add((str(found[0]), found[1]))
                entries.append(found)
        st = stacks[role] = FontStack(role, entries, lambda path, index: open_face(path, index, cache_dir=self.cache_dir))
        return st

    def problems(self) -> list[FontConfigError]:
        """Every role that cannot be opened, as errors (empty when all is well): for a set-up
        check or the build report. Opens every face (cheap once the metrics cache is warm)."""
        out = []
        for role in self.config.roles:
            try:
                self.face(role)
            except FontConfigError as e:
                out.append(e)
        return out
