"""A page's font roles as the stages use them: metrics and the em box for composition, font
files for the renderer, and what the page's text asked of each face for the report.

:class:`FaceSet` is the one adapter between the registry (roles -> files -> faces) and the
protocols composition (``compose.context.Fonts``) and rendering (``render.embed.FontFiles``)
declare; :func:`page_fonts` opens a page's roles, its own ``fonts/fonts.yaml`` first.
"""

from __future__ import annotations

from pathlib import Path

from layout.display import Glyphs, Page
from layout.findings import MissingGlyph

#: the font roles of the repository (every page that brings no fonts/fonts.yaml of its own)
DEFAULT_CONFIG = Path(__file__).resolve().parents[2] / "fonts" / "fonts.yaml"


class FaceSet:
    """Font roles for composition (metrics, em box) and rendering (font files to embed)."""

    def __init__(self, registry):
        self.registry = registry

    def metrics(self, role: str):
        return self.registry.face(role).metrics

    def em_top(self, role: str) -> float:
        return self.registry.face(role).em_top

    def face_file(self, key: str) -> tuple[Path, int]:
        """The font file and face index (in a collection) of a font key, for embedding."""
        face = self.registry.face(key)
        return face.path, face.index


def page_fonts(folder: Path, overrides: dict | None, cache: Path) -> FaceSet:
    """The font roles of a page in ``folder``: its own ``fonts/fonts.yaml`` when it has one,
    else the repository's, with the page's ``fonts:`` overrides."""
    from layout.fonts.registry import FontRegistry

    local = folder / "fonts" / "fonts.yaml"
    config = local if local.exists() else DEFAULT_CONFIG
    return FaceSet(FontRegistry.load(config, overrides or None, base_dir=folder, cache_dir=cache))


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

    chars = characters_by_font([page])
    out = {}
    for role in sorted(chars):
        face = faces.registry.face(role)
        out[role] = FontUsage(file=str(face.path), index=face.index, name=face.ps_name,
                              outlines="CFF (embedded as CIDFontType0C)" if face.is_cff else "TrueType",
                              characters=len(chars[role] - {" "}),
                              missing=face.missing("".join(sorted(chars[role]))))
    return out


def missing_glyphs(page: Page, usage: dict) -> list[MissingGlyph]:
    """Characters a run's face lacks, named with their place, never silently dropped.
    ``usage`` is :func:`font_usage` of the page (which asked each face once)."""
    out: list[MissingGlyph] = []
    seen: set = set()
    lacking = {role: set(u.missing) for role, u in usage.items()}
    for it in page.items:
        if not isinstance(it, Glyphs) or not lacking.get(it.font) or lacking[it.font].isdisjoint(it.text):
            continue
        for ch in dict.fromkeys(c for c in it.text if c in lacking[it.font]):
            key = (ch, it.font, it.source)
            if key not in seen:
                seen.add(key)
                article = it.source.split(":", 1)[0] if ":" in it.source else ""
                out.append(MissingGlyph(char=ch, codepoint=f"U+{ord(ch):04X}", font=it.font,
                                        source=it.source or it.role, article=article))
    return out
