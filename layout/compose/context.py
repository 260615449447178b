"""What every composing module needs: the grid, fonts, palette, typography and the report sink."""

from __future__ import annotations

from typing import Protocol

from msgspec import Struct, field

from layout.display import CMYK
from layout.errors import Problem
from layout.findings import AnyFinding, Normalized, Notice, Overset, TextAudit, Underset
from layout.model.geometry import Grid
from layout.model.content import Document
from layout.text.languages import conventions
from layout.text.normalize import for_language, whitespace
from layout.text.api import Metrics, ParagraphStyle


class Fonts(Protocol):
    """Font roles as composition sees them: advance widths and the em box, nothing to draw."""

    def metrics(self, role: str) -> Metrics: ...

    def em_top(self, role: str) -> float: ...


class Notes(Struct, dict=True):
    """What composition tells the build: typed findings (overset, underset, copyfit, jumps,
    normalised marks, notices) at their data paths, errors that stop the build, the audit of
    the body text, and what other stages need (the rest of a story that jumps, where photos
    went)."""

    findings: list[AnyFinding] = field(default_factory=list)
    # problems that stop the build: a photo the engine has no room for (at its place in the data)
    errors: list[Problem] = field(default_factory=list)
    text_audit: TextAudit = field(default_factory=TextAudit)  # summed counts of the body text
    rest: dict = field(default_factory=dict)  # article id -> blocks that did not fit (for jumps)
    # where each photo went, (article id, index in its photos) -> Frame: the written frame, the engine's
    # choice, or copyfit's resized one (proof guides outline these)
    photo_frames: dict = field(default_factory=dict)

    def notice(self, code: str, article: str, message: str, at: tuple = (), severity: str = "warning") -> None:
        """A notice for the desk; ``code`` also tells copyfit what a trial had to give up."""
        self.once(Notice(code=code, article=article, message=message, at=at, severity=severity))

    def once(self, finding) -> None:
        """Add a finding unless the same one is there (a head measured again by a trial)."""
        if finding not in self.findings:
            self.findings.append(finding)

    @property
    def overset(self) -> list[Overset]:
        return [f for f in self.findings if isinstance(f, Overset)]

    @property
    def underset(self) -> list[Underset]:
        return [f for f in self.findings if isinstance(f, Underset)]

    @property
    def copyfit(self) -> list:
        """What copyfit changed, per fitted article (``layout.findings.Copyfit``)."""
        from layout.findings import Copyfit

        return [f for f in self.findings if isinstance(f, Copyfit)]

    @property
    def warnings(self) -> list[str]:
        """The notices' messages, as the terminal shows them."""
        return [f.message for f in self.findings if isinstance(f, Notice)]

    @property
    def problems(self) -> list[tuple[str, str]]:
        """(code, article id) of every notice: what composition had to give up, for code that
        weighs compositions (copyfit)."""
        return [(f.code, f.article) for f in self.findings if isinstance(f, Notice)]


class Context(Struct, dict=True):
    doc: Document
    grid: Grid
    fonts: Fonts
    notes: Notes
    picture_sizes: dict = field(default_factory=dict)  # image file as written -> upright (width, height) in pixels
    continuations: dict = field(default_factory=dict)  # article id -> blocks continued from another page
    body: dict = field(default_factory=dict)  # ParagraphStyle fields overriding the body style (copyfit's tracking)

    def article_path(self, art) -> tuple:
        """Where an article is in content.yaml (a data path; () for one the page does not hold)."""
        return next((("articles", i) for i, a in enumerate(self.doc.articles) if a.id == art.id), ())

    def photo_path(self, art, photo) -> tuple:
        """Where a photo of an article is in content.yaml: its article's place and its index
        (copyfit composes copies of the article, so photos are matched by position, not identity)."""
        at = self.article_path(art)
        index = next((i for i, p in enumerate(art.photos) if p is photo), None)
        if index is None:
            index = next((i for i, p in enumerate(art.photos) if p.label == photo.label), None)
        return at + ("photos", index) if at and index is not None else ()

    @property
    def lang(self) -> str:
        """The language text is shaped and set in (``typography.language``)."""
        return self.doc.typography.language

    def color(self, value) -> CMYK:
        """A model colour (palette name or CMYK percentages) as 0..1 CMYK."""
        if isinstance(value, str):
            value = self.doc.palette()[value]
        return tuple(v / 100.0 for v in value)  # type: ignore[return-value]

    def normalized(self, text: str, *, source: str, at: tuple = (), article: str = "", ad: str = "",
                   short: bool = False) -> str:
        """``text`` as it is set: with GB/T 15834 marks in Chinese text (the convention's quotes),
        invisible characters dropped in any language (unless ``typography.normalize`` is off;
        line breaks and tabs, which no font sets, are white space even then); every change a
        :class:`~layout.findings.Normalized` finding at ``at``. ``short``: a one-line text (a head,
        a kicker, a byline), where a line break between two Chinese characters is a 　."""
        t = self.doc.typography
        if not text:
            return text
        result = (for_language(text, t.language, short) if t.normalize
                  else whitespace(text, chinese=conventions(t.language).normalize_marks, short=short))
        for ch in result.changes:
            self.notes.once(Normalized(article=article, ad=ad, at=at, mark=ch.kind, index=ch.index,
                                       before=ch.before, after=ch.after, source=source))
        return result.text

    def normalized_line(self, text: str, **where) -> str:
        """A one-line text (a head, a kicker, a byline, a credit) as it is set."""
        return self.normalized(text, short=True, **where)

    def body_style(self, **overrides) -> ParagraphStyle:
        t = self.doc.typography
        base = dict(size=self.grid.body_size, indent=t.indent, prohibition=t.prohibition,
                    adjacent_punct=t.adjacent_punct, han_latin_space=t.han_latin_space,
                    hanging=t.hanging, lang=t.language, keep=tuple(t.keep),
                    open_at_start=t.open_at_start, letterspace=t.letterspace, expansion=t.expansion,
                    compress=(t.compress if t.compress is not None
                              else conventions(t.language).compress_punctuation))
        base.update(self.body)
        base.update(overrides)
        return ParagraphStyle(**base)
