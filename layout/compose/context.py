"""What every composing module needs: the grid, fonts, palette, typography and the report sink."""

from __future__ import annotations

from typing import Protocol

from msgspec import Struct, field

from layout.display import CMYK
from layout.model.geometry import Grid
from layout.model.records import Document
from layout.text.api import Metrics, ParagraphStyle


class Fonts(Protocol):
    """Font roles as composition sees them: advance widths and the em box, nothing to draw."""

    def metrics(self, role: str) -> Metrics: ...

    def em_top(self, role: str) -> float: ...


class Notes(Struct, dict=True):
    """Things composition tells the build report: overset, underset, normalisation, warnings."""

    overset: list[dict] = field(default_factory=list)
    underset: list[dict] = field(default_factory=list)
    normalized: list[dict] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    images: list[dict] = field(default_factory=list)
    text_audit: dict = field(default_factory=dict)  # summed layout.text.audit counts of body text
    rest: dict = field(default_factory=dict)  # article id -> blocks that did not fit (for jumps)
    jumps: list[dict] = field(default_factory=list)  # stories continued on another page
    # what composition had to give up, by kind, for code that weighs compositions (copyfit):
    # "head-shrunk", "photo-unplaced", "photo-in-head", "head-in-notch"; each also has a warning
    problems: list[tuple[str, str]] = field(default_factory=list)  # (kind, article id)
    # where each photo went, (article id, index in its photos) -> Frame: the written frame, the engine's
    # choice, or copyfit's resized one (proof guides outline these)
    photo_frames: dict = field(default_factory=dict)
    copyfit: list[dict] = field(default_factory=list)  # fit: auto articles: what copyfit changed, and the result


class Context(Struct, dict=True):
    doc: Document
    grid: Grid
    fonts: Fonts
    notes: Notes
    images: object = None  # an ImagePreparer: frame size -> prepared file (layout.compose.photo)
    continuations: dict = field(default_factory=dict)  # article id -> blocks continued from another page
    body: dict = field(default_factory=dict)  # ParagraphStyle fields overriding the body style (copyfit's tracking)

    def color(self, value) -> CMYK:
        """A model colour (palette name or CMYK percentages) as 0..1 CMYK."""
        if isinstance(value, str):
            value = self.doc.palette()[value]
        return tuple(v / 100.0 for v in value)  # type: ignore[return-value]

    def body_style(self, **overrides) -> ParagraphStyle:
        t = self.doc.typography
        base = dict(size=self.grid.body_size, indent=t.indent, prohibition=t.prohibition,
                    adjacent_punct=t.adjacent_punct, han_latin_space=t.han_latin_space,
                    hanging=t.hanging, lang=t.language, keep=tuple(t.keep),
                    open_at_start=t.open_at_start, letterspace=t.letterspace)
        base.update(self.body)
        base.update(overrides)
        return ParagraphStyle(**base)
