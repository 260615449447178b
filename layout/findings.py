"""Typed findings: what a build noticed about a page, one record per thing, each with a stable
``kind``, the article or ad it concerns and, where there is one, its place in content.yaml.

Composition makes most of them (overset, underset, copyfit, jumps, normalised marks, notices)
with a data path (``at``); the build gives each its line and column (``where``) and adds its own
(low-resolution pictures, characters set in fallback faces). The terminal summary, ``--json`` and the build report
are all made from these records (:mod:`layout.report`); ``broadsheet schema --report`` prints
their JSON Schema. Adding a field is compatible; renaming or removing one bumps
``REPORT_VERSION``.
"""

from __future__ import annotations

from typing import Literal, Union

from msgspec import Struct, field


class Location(Struct, frozen=True):
    """A place in an input file: 1-based line and column as an editor shows them (0: unknown)."""

    file: str
    line: int = 0
    column: int = 0

    def __str__(self) -> str:
        return ":".join([self.file] + ([str(self.line)] if self.line else []) + ([str(self.column)] if self.column else []))


class Finding(Struct, frozen=True, kw_only=True, tag_field="kind"):
    """Base of every finding. ``severity``: a warning asks for the desk's attention (overset, a
    soft picture); a note is information (a jump, what copyfit changed). ``at`` is the data path
    composition knew (empty once the build has located it); ``where`` the line and column the
    build found for it. Every field is always written, so scripts need no defaults."""

    severity: Literal["warning", "note"] = "warning"
    article: str = ""
    ad: str = ""
    at: tuple[Union[str, int], ...] = ()
    where: Location | None = None

    def located(self, where: Location | None) -> "Finding":
        from msgspec.structs import replace

        return replace(self, where=where, at=())


class Overset(Finding, kw_only=True, tag="overset"):
    """Text of an article that does not fit its module (and does not jump elsewhere)."""

    lines: int
    characters: int
    first: str = ""  # where the overset text starts (the block's source, e.g. ``main:body[12]``)


class Underset(Finding, kw_only=True, tag="underset"):
    """Empty body lines at the end of an article's module, and about how many characters more
    would fill them (from the measure)."""

    severity: Literal["warning", "note"] = "note"
    lines: int
    characters: int = 0


class Jump(Finding, kw_only=True, tag="jump"):
    """An article that continues on another page (转版): how many lines go there."""

    severity: Literal["warning", "note"] = "note"
    to_page: int
    lines: int


class CopyfitChange(Struct, frozen=True):
    """One thing copyfit changed: body tracking (em), a photo's height (lines) or the head's
    size (pt); ``moved`` lists photos that moved with the headline block."""

    what: Literal["tracking", "photo", "headline"]
    before: float
    after: float
    unit: str
    photo: str = ""
    lines: int = 0  # headline: lines the headline block grew (+) or shrank (-)
    line: tuple[int, int] | None = None  # photo: its first line before and after
    moved: list[dict] = field(default_factory=list)


class FitState(Struct, frozen=True):
    overset: int
    underset: int


class Copyfit(Finding, kw_only=True, tag="copyfit"):
    """What ``fit: auto`` changed in an article, and the fit before and after."""

    severity: Literal["warning", "note"] = "note"
    changes: list[CopyfitChange] = field(default_factory=list)
    before: FitState
    after: FitState
    trials: int = 0
    note: str = ""


class Normalized(Finding, kw_only=True, tag="normalized"):
    """A mark normalisation changed (GB/T 15834: ASCII punctuation in Chinese text made
    full-width). ``mark`` is the kind of change (``ascii-comma``, ``straight-quotes`` ...),
    ``index`` the character offset in the editor's text, ``source`` the text it was in."""

    severity: Literal["warning", "note"] = "note"
    mark: str
    index: int
    before: str
    after: str
    source: str = ""


class LowResolution(Finding, kw_only=True, tag="low-resolution"):
    """A picture whose effective resolution in its frame is under the page's minimum."""

    file: str
    ppi: float
    min_ppi: float


class Fallback(Finding, kw_only=True, tag="fallback"):
    """Characters a role's own face lacks, set in a fallback face of its stack (a rare ideograph
    of a CJK extension, Chinese marks quoted in English text): worth a look in the proof."""

    severity: Literal["warning", "note"] = "note"
    font: str  # the role
    face: str  # the fallback face's file
    characters: str
    source: str = ""


class Emergency(Finding, kw_only=True, tag="emergency"):
    """A line the composer could only set as an emergency (:mod:`layout.text.emergency`):
    ``loose`` (a justified Latin line with a word space of ``value`` em, over 0.5 em),
    ``split`` (a word broken between two letters without a hyphen: wider than the measure, or
    an address in a narrow column), ``unfilled`` (a justified line of Latin alone with nothing
    to justify by, set flush left ``value`` em short: letters never open) or ``slack`` (a
    Chinese line whose gaps open ``value`` em, over the stated limit of 0.25 em).
    ``line`` counts from 0 in the paragraph ``source``; ``text`` is the line as set."""

    severity: Literal["warning", "note"] = "note"
    reason: Literal["loose", "split", "unfilled", "slack"]
    line: int
    text: str
    value: float = 0.0
    source: str = ""


class AdFile(Finding, kw_only=True, tag="ad-file"):
    """An ad delivered as a PDF that fails what the press needs of it (``broadsheet preflight``:
    fonts not embedded, RGB colour or images, ink over the limit): ``problems`` words each."""

    file: str
    problems: list[str] = field(default_factory=list)


class AdUnplaced(Finding, kw_only=True, tag="ad-unplaced"):
    """A booked ad (``ads.yaml``) the edition could not place, and why: ``reason`` is a stable
    code (``size``: fits no page; ``section``: no such section; ``page``: no such page;
    ``free``: the page is closed to ads; ``colour``: a colour ad for pages printed in black;
    ``file``: its file is missing or unreadable;
    ``preflight``: its PDF fails the press checks (press builds); ``collision``: its forced place
    is taken; ``facing``: only beside an ad of its category; ``room``: no room left),
    ``message`` the sentence for the ad desk. ``where`` is the booking's line."""

    advertiser: str = ""
    size: str = ""
    reason: Literal["size", "section", "page", "free", "colour", "file", "preflight", "collision", "facing", "room"]
    message: str
    page: int = 0  # the page it was booked for, or 0


class Notice(Finding, kw_only=True, tag="notice"):
    """Anything else the desk should know, with a stable ``code``: ``head-shrunk``,
    ``head-wrapped``, ``head-overset``, ``photo-in-head``, ``head-in-notch``, ``photo-unplaced``,
    ``jump-not-fitted``, ``line-stranded`` (a note: a line of body text alone in a one-line gap,
    above a photo or between a head block and an obstacle), ``caption-shrunk`` (a caption set
    below its size to fit the lines its photo keeps for it: a warning below 7 pt, else a note),
    ``continuation-empty``, ``cache-unwritable`` (the cache, or a file of it, could not be written:
    a temporary folder served this build), ``cache-damaged`` (a cache entry failed its check: it
    was discarded and rebuilt from its source, so nothing of it reached the PDF)."""

    code: str
    message: str


AnyFinding = Union[Overset, Underset, Jump, Copyfit, Normalized, LowResolution, Fallback, Emergency, AdFile,
                   AdUnplaced, Notice]


class TextAudit(Struct):
    """Counts of typographic faults in the body text (``layout.text.audit``), summed over a page:
    prohibited line starts and ends, ragged and overfull lines, orphans (孤字), overlapping
    glyphs, ASCII marks left in Chinese text, hyphenation, loose and tight word spacing and
    letter-spacing in Latin text."""

    lines: int = 0
    paragraphs: int = 0
    prohibited_start: int = 0
    prohibited_end: int = 0
    split_pairs: int = 0
    ragged: int = 0
    overfull: int = 0
    orphans: int = 0
    overlaps: int = 0
    ascii_punct: int = 0
    hyphens: int = 0
    hyphen_ladders: int = 0
    loose: int = 0  # Latin lines with a word space over 0.5 em
    tight: int = 0  # Latin lines with a word space under 0.2 em
    letterspaced: int = 0  # lines whose letters stand apart (never, unless a page allows it)
    slack: int = 0  # Chinese lines whose gaps open over 0.25 em (layout.text.emergency)

    def add(self, counts: dict) -> None:
        for k, v in counts.items():
            if hasattr(self, k):
                setattr(self, k, getattr(self, k) + v)

    def __getitem__(self, key: str) -> int:  # (audit counts read like the auditor's dicts)
        return getattr(self, key)

    def get(self, key: str, default: int = 0) -> int:
        return getattr(self, key, default)
