"""The font-role configuration (``fonts/fonts.yaml``) and a paper's overrides of it.

Pages never name font files: they name *roles* (``body``, ``headline``, ``kai`` ...). The config
maps each role to a file and, for a ``.ttc`` collection, a face index. Keeping the mapping in
one small YAML file lets a paper swap a face without touching code, and lets a missing font be
reported in terms a person can act on (which role, which file, which Debian package).

A paper's ``content.yaml`` may carry ``fonts: {body: {file: ..., index: ...}}``; those overrides
are merged over the config role by role (:meth:`FontConfig.with_overrides`).
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from msgspec import Struct, field
from msgspec.structs import replace

#: The repository's role config (``<repo>/fonts/fonts.yaml``).
DEFAULT_CONFIG = Path(__file__).resolve().parents[2] / "fonts" / "fonts.yaml"


class FontConfigError(Exception):
    """A role cannot be resolved to a usable font face.

    ``role``, ``file`` and ``looked_in`` (the paths tried) say what went wrong and where;
    ``hint`` says how to fix it (usually: which Debian package to install).
    """

    def __init__(
        self,
        message: str,
        *,
        role: str | None = None,
        file: str | None = None,
        looked_in: Sequence[Path] = (),
        hint: str | None = None,
    ) -> None:
        self.role = role
        self.file = file
        self.looked_in = tuple(looked_in)
        self.hint = hint
        self.message = message
        super().__init__(self._text())

    def __reduce__(self):  # keep the fields when crossing a process pool
        kw = {"role": self.role, "file": self.file, "looked_in": self.looked_in, "hint": self.hint}
        return (_rebuild_error, (self.message, kw))

    def _text(self) -> str:
        lines = [self.message]
        if self.looked_in:
            lines.append("  looked in:")
            lines.extend(f"    {p}" for p in self.looked_in)
        if self.hint:
            lines.append(f"  hint: {self.hint}")
        return "\n".join(lines)


def _rebuild_error(message: str, kw: dict) -> FontConfigError:
    return FontConfigError(message, **kw)


class RoleSpec(Struct, frozen=True):
    """One role's face: ``file`` (a name or path), ``index`` in a collection (0 for a plain
    font file), optional ``package`` (the Debian package that ships the file, for the hint) and
    ``base`` (a folder searched before the config's folders: set for a paper's own overrides,
    whose relative paths are taken from the paper's folder)."""

    file: str
    index: int = 0
    package: str | None = None
    base: Path | None = None


class FontConfig(Struct, frozen=True):
    """The parsed config. ``source`` is the YAML file (None when built in code); ``search``
    the folders relative file names are looked up in, already made absolute."""

    roles: dict[str, RoleSpec]
    search: tuple[Path, ...] = ()
    packages: tuple[str, ...] = ()
    source: Path | None = None
    folder: Path = field(default_factory=Path.cwd)
    fallback: tuple[RoleSpec, ...] = ()  # faces for characters a role's face lacks, in order
    configured: dict[str, RoleSpec] = field(default_factory=dict)  # roles before a page's overrides

    def with_overrides(
        self, overrides: Mapping[str, Any] | None, base_dir: str | os.PathLike[str] | None = None
    ) -> FontConfig:
        """A copy with ``overrides`` (role -> ``{file, index}``, or just a file name) merged
        over the roles. A role not in the config is added.

        Merging is per key: ``{body: {index: 3}}`` keeps body's file and picks face 3 (TC);
        an override that names a new ``file`` without an ``index`` gets index 0, since the old
        index belongs to the old file. Relative files are looked up in ``base_dir`` (the
        paper's folder) first, then as usual.
        """
        if not overrides:
            return self
        if not isinstance(overrides, Mapping):
            raise FontConfigError(
                f"font overrides must be a mapping of role -> {{file, index}}, got {type(overrides).__name__}"
            )
        base = Path(base_dir).resolve() if base_dir is not None else None
        roles = dict(self.roles)
        for role, value in overrides.items():
            old = roles.get(str(role))
            raw = value if isinstance(value, Mapping) else {"file": value}
            new = _parse_role(str(role), value, where="font overrides", need_file=old is None)
            if old is not None and "file" not in raw:
                spec = replace(old, index=new.index if "index" in raw else old.index)
                if "package" in raw:
                    spec = replace(spec, package=new.package)
            else:
                spec = replace(new, base=base)
            roles[str(role)] = spec
        return replace(self, roles=roles, configured=self.configured or dict(self.roles))

    def package_hint(self, role: str, file: str) -> str:
        """How to get ``file``: the Debian package that ships it, if known."""
        spec = self.roles.get(role)
        pkg = (spec.package if spec else None) or guess_package(file, self.packages)
        if pkg:
            return (
                f"install the Debian package {pkg} (apt-get install {pkg}, or run "
                f"scripts/setup.sh), or point role '{role}' at another file"
            )
        listed = ", ".join(self.packages) if self.packages else "none listed"
        return (
            f"install the package that provides {file} (the config lists: {listed}), "
            f"or point role '{role}' at another file"
        )


def load_config(path: str | os.PathLike[str] | None = None) -> FontConfig:
    """Parse a role config (default: the repository's ``fonts/fonts.yaml``).

    Raises :class:`FontConfigError` for a missing or malformed file.
    """
    import yaml

    p = Path(path) if path is not None else DEFAULT_CONFIG
    try:
        text = p.read_text(encoding="utf-8")
        st = os.stat(p)
    except OSError as e:
        raise FontConfigError(f"cannot read font config {p}: {e.strerror or e}") from e
    key = (os.path.abspath(p), st.st_ino, st.st_dev, text)  # (the file's text, and which file it is)
    hit = _CONFIGS.get(key)
    if hit is not None:
        return hit
    try:
        # libyaml when the wheel has it: the role file is read on every build (~5 ms in pure Python)
        data = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)) or {}
    except yaml.YAMLError as e:
        raise FontConfigError(f"font config {p} is not valid YAML: {e}") from e
    config = config_from_dict(data, folder=p.resolve().parent, source=p.resolve())
    if len(_CONFIGS) >= 32:
        _CONFIGS.clear()
    _CONFIGS[key] = config
    return config


#: role configs parsed in this process, by file and text: every build reads the page's roles
#: (validation for its hints, the registry for its faces); parsing the YAML and resolving its
#: folders cost ~0.4 ms each time. A config is frozen; what a page overrides is a copy.
_CONFIGS: dict[tuple, FontConfig] = {}


def config_from_dict(
    data: Mapping[str, Any], folder: str | os.PathLike[str] | None = None, source: Path | None = None
) -> FontConfig:
    """Build a :class:`FontConfig` from already-parsed YAML. Relative ``search`` entries are
    taken from ``folder`` (the config file's folder)."""
    where = str(source) if source else "font config"
    if not isinstance(data, Mapping):
        raise FontConfigError(f"{where}: expected a mapping at the top level")
    base = Path(folder).resolve() if folder is not None else Path.cwd()
    roles_raw = data.get("roles") or {}
    if not isinstance(roles_raw, Mapping):
        raise FontConfigError(f"{where}: 'roles' must be a mapping of role -> {{file, index}}")
    roles = {str(k): _parse_role(str(k), v, where=where, need_file=True) for k, v in roles_raw.items()}
    search_raw = data.get("search") or []
    packages_raw = data.get("packages") or []
    if isinstance(search_raw, str):
        search_raw = [search_raw]
    if isinstance(packages_raw, str):
        packages_raw = [packages_raw]
    search = tuple(_absolute(Path(os.path.expanduser(str(s))), base) for s in search_raw)
    fallback_raw = data.get("fallback") or []
    if not isinstance(fallback_raw, Sequence) or isinstance(fallback_raw, str):
        raise FontConfigError(f"{where}: 'fallback' must be a list of {{file, index}}")
    fallback = tuple(_parse_role(f"fallback {i + 1}", v, where=where, need_file=True)
                     for i, v in enumerate(fallback_raw))
    return FontConfig(
        roles=roles,
        search=search,
        packages=tuple(str(p) for p in packages_raw),
        source=source,
        folder=base,
        fallback=fallback,
        configured=dict(roles),
    )


def _absolute(p: Path, base: Path) -> Path:
    return p if p.is_absolute() else (base / p).resolve()


def _parse_role(role: str, value: Any, where: str, need_file: bool) -> RoleSpec:
    if isinstance(value, (str, os.PathLike)):
        return RoleSpec(file=str(value))
    if not isinstance(value, Mapping):
        raise FontConfigError(
            f"{where}: role '{role}' must be a file name or {{file, index}}, got {value!r}",
            role=role,
        )
    file = value.get("file")
    index = value.get("index", 0)
    if file is not None and not isinstance(file, (str, os.PathLike)):
        raise FontConfigError(f"{where}: role '{role}': 'file' must be a string", role=role)
    if need_file and not file:
        raise FontConfigError(f"{where}: role '{role}' gives no 'file'", role=role)
    if isinstance(index, bool) or not isinstance(index, int) or index < 0:
        raise FontConfigError(
            f"{where}: role '{role}': 'index' must be a non-negative integer, got {index!r}",
            role=role,
        )
    unknown = set(value) - {"file", "index", "package"}
    if unknown:
        raise FontConfigError(
            f"{where}: role '{role}': unknown keys {sorted(unknown)} (expected file, index, package)",
            role=role,
        )
    return RoleSpec(file=str(file) if file is not None else "", index=index, package=value.get("package"))


# File-name patterns of the Debian packages the project knows (docs: shared/design/fonts.md).
# Checked in order; the first match wins. Used only for the hint of a missing-file error.
_KNOWN_PACKAGES: tuple[tuple[str, str], ...] = (
    (r"^Noto(Sans|Serif)CJK(sc|tc|jp|kr|hk)?-(Regular|Bold)\.tt[cf]$", "fonts-noto-cjk"),
    (r"^Noto(Sans|Serif)CJK", "fonts-noto-cjk-extra"),
    (r"^LXGWWenKai", "fonts-lxgw-wenkai"),
    (r"^SmileySans", "fonts-smiley-sans"),
    (r"^gbsn00lp", "fonts-arphic-gbsn00lp"),
    (r"^uming", "fonts-arphic-uming"),
    (r"^wqy-zenhei", "fonts-wqy-zenhei"),
)


def guess_package(file: str, packages: Sequence[str] = ()) -> str | None:
    """The Debian package that probably ships ``file``.

    Known families first (restricted to ``packages`` when the config lists any); otherwise the
    listed package whose name shares the most words with the file name (``fonts-lxgw-wenkai``
    for ``LXGWWenKai-Regular.ttf``).
    """
    name = Path(file).name
    for pattern, pkg in _KNOWN_PACKAGES:
        if re.search(pattern, name) and (not packages or pkg in packages):
            return pkg
    squashed = re.sub(r"[^a-z0-9]", "", name.lower())
    best, best_score = None, 0
    for pkg in packages:
        words = [w for w in re.split(r"[-_.]", pkg.lower()) if w and w not in ("fonts", "font", "ttf", "otf")]
        score = sum(len(w) for w in words if w in squashed)
        if words and score > best_score:
            best, best_score = pkg, score
    return best
