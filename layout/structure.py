"""The logical structure of pages for a tagged PDF, made from the display list alone.

A tagged PDF says what its marks are: which runs of text make a paragraph, a head, a caption,
which picture is a figure and what it shows, in which order a reader goes through them, in
which language. Everything that says so is already in the display list: each item's ``role``
(headline, body, caption ...) and ``source`` (``main:body[3]``, ``main:photo:wanfeng``,
``ad:forest-fire``). This module decides, item by item, what the renderer marks it as
(:meth:`Tagger.begin`: a structure type with a marked-content id, or an artifact: rules, tints,
the folio, press marks, guides), and afterwards builds the tree the PDF carries
(:meth:`Tagger.tree`):

    Document (/Lang of the page)
      Art per story (/Lang, /T its head), in the page's order of stories:
        P kicker, H1 head, P subhead, P byline, P jump line (continued from)
        Figure per photo (/Alt from its caption) and its Caption (caption and credit)
        H2 section heads and P paragraphs in the body's order: a paragraph's lines in the
        order they were poured, down one column and on into the next
        P jump line (continued on)
      Figure per ad (/Alt: its words)

A story that jumps (转版) ends with its jump line （下转第N版）, its continuation opens with
（上接第N版）: both are paragraphs where the page prints them. The renderer only wraps what it
draws; :mod:`layout.render.tagged` writes the tree into the file.
"""

from __future__ import annotations

import re

from msgspec import Struct, field

from layout.display import Glyphs, Image, story_of as story_key

#: roles whose text is part of a story's heads, in reading order, with their structure type
HEAD_ROLES = (("kicker", "P"), ("headline", "H1"), ("subhead", "P"), ("byline", "P"))
_BODY = re.compile(r"body\[(\d+)\]")
#: the word a picture without a caption is described by, per script
PHOTO_WORD = {"zh": "（图）", "en": "Photo: "}
AD_WORD = {"zh": "广告", "zh-Hant": "廣告", "en": "Advertisement"}


class Marked(Struct, frozen=True):
    """A marked-content sequence: the ``mcid``-th of page ``page`` (its index in the file)."""

    page: int
    mcid: int


class Element(Struct):
    """A structure element: its type (PDF's standard structure types), its kids (elements or
    marked content) in reading order, and what assistive software reads of it."""

    type: str
    kids: list = field(default_factory=list)
    lang: str = ""  # BCP 47, e.g. zh-Hans
    alt: str = ""  # a figure's replacement text
    title: str = ""  # /T: a story's head, for navigation

    def text_kids(self) -> list[Marked]:
        out: list[Marked] = []
        for k in self.kids:
            out.extend([k] if isinstance(k, Marked) else k.text_kids())
        return out


def structure_type(item) -> str:
    """What an item is marked as: a structure type, or "" for an artifact (decoration, the
    folio, marks, guides: what a reader of the text skips)."""
    if isinstance(item, Image):
        return "Figure" if item.role in ("photo", "group-photo", "ad-image") else ""
    if not isinstance(item, Glyphs) or not (item.text or item.glyphs):
        return ""
    role = item.role
    if role.startswith(("folio", "guide", "mark", "slug")):
        return ""
    key = story_key(item.source)
    if key is None:
        return "P" if role else ""
    if key[0] == "ad":
        return "Figure"
    if role == "headline":
        return "H1"
    if role in ("section-head", "section-number"):
        return "H2"
    if role in ("caption", "credit"):
        return "Caption"
    return "P"


def _script(lang: str) -> str:
    low = lang.lower()
    if low.startswith("zh"):
        return "zh-Hant" if "hant" in low else "zh"
    return "en"


def _joined(runs: list[Glyphs]) -> str:
    """The text of runs read in order: Chinese runs run on, Latin ones take a space."""
    out = ""
    for r in runs:
        t = r.text.strip()
        if out and t and (out[-1].isascii() and out[-1].isalnum()) and (t[0].isascii() and t[0].isalnum()):
            out += " "
        out += t
    return out


class _Story(Struct):
    kind: str
    id: str
    page: int
    heads: dict = field(default_factory=dict)  # role -> [Marked]
    head_runs: list = field(default_factory=list)
    jump_from: list = field(default_factory=list)
    jump_to: list = field(default_factory=list)
    figures: dict = field(default_factory=dict)  # photo source -> [Marked] (pictures)
    captions: dict = field(default_factory=dict)  # photo source -> [Marked] (caption and credit)
    caption_runs: dict = field(default_factory=dict)  # photo source -> [Glyphs] (the caption's)
    blocks: dict = field(default_factory=dict)  # body index -> (type, [Marked])
    other: list = field(default_factory=list)  # (type, [Marked]) in drawing order
    ad_runs: list = field(default_factory=list)


class Tagger:
    """What the renderer asks while it draws (:meth:`begin` before each item, ``EMC`` after),
    and the tree it writes afterwards (:meth:`tree`). ``langs`` is each page's language
    (BCP 47)."""

    def __init__(self, langs: list[str]):
        self.langs = langs
        self.next_mcid: dict[int, int] = {}
        self.stories: dict[tuple[int, str, str], _Story] = {}
        self.loose: dict[int, list] = {}  # page -> [Element] of text that belongs to no story

    def lang(self, page: int) -> str:
        return self.langs[page] if page < len(self.langs) else (self.langs[-1] if self.langs else "")

    def begin(self, page: int, item) -> str:
        """The operator that opens the marked-content sequence of ``item`` on page ``page``
        (the renderer closes it with ``EMC`` once the item is drawn)."""
        kind = structure_type(item)
        if not kind:
            return "/Artifact BMC"
        mcid = self.next_mcid.get(page, 0)
        self.next_mcid[page] = mcid + 1
        self._collect(page, Marked(page, mcid), item, kind)
        return f"/{kind} <</MCID {mcid}>> BDC"

    def artifact(self) -> str:
        """The operator that opens a block of decoration (guides on their layer)."""
        return "/Artifact BMC"

    # -- collecting ------------------------------------------------------------------------
    def _collect(self, page: int, m: Marked, item, kind: str) -> None:
        key = story_key(getattr(item, "source", ""))
        if key is None:
            self.loose.setdefault(page, []).append(Element(kind, [m]))
            return
        s = self.stories.setdefault((page, *key), _Story(kind=key[0], id=key[1], page=page))
        role = item.role
        source = item.source
        if key[0] == "ad":
            s.other.append(("Figure", [m]))
            if isinstance(item, Glyphs):
                s.ad_runs.append(item)
            return
        if isinstance(item, Image):
            s.figures.setdefault(source, []).append(m)
            return
        if role in dict(HEAD_ROLES):
            s.heads.setdefault(role, []).append(m)
            if role == "headline":
                s.head_runs.append(item)
            return
        if role == "jump":
            (s.jump_from if source.endswith(":jump-from") else s.jump_to).append(m)
            return
        if role in ("caption", "credit"):
            s.captions.setdefault(source, []).append(m)
            s.figures.setdefault(source, [])
            if role == "caption":
                s.caption_runs.setdefault(source, []).append(item)
            return
        found = _BODY.search(source)
        if found:
            index = int(found.group(1))
            kind_now, marks = s.blocks.get(index, (kind, []))
            s.blocks[index] = ("H2" if "H2" in (kind, kind_now) else kind_now, marks + [m])
            return
        s.other.append((kind, [m]))

    # -- the tree --------------------------------------------------------------------------
    def tree(self) -> Element:
        """The document's structure: one Document holding each page's stories in order."""
        root = Element("Document", lang=self.lang(0))
        pages = sorted({k[0] for k in self.stories} | set(self.loose))
        for page in pages:
            keys = [k for k in self.stories if k[0] == page]
            # articles first (in the order they were drawn: the page's order), then ads
            for key in sorted(keys, key=lambda k: k[1] == "ad"):
                s = self.stories[key]
                root.kids.append(self._article(s) if s.kind == "article" else self._ad(s))
            root.kids.extend(self.loose.get(page, []))
        return root

    def _article(self, s: _Story) -> Element:
        lang = self.lang(s.page)
        title = _joined(s.head_runs)
        art = Element("Art", lang=lang, title=title)
        for role, kind in HEAD_ROLES:
            if s.heads.get(role):
                art.kids.append(Element(kind, list(s.heads[role])))
        if s.jump_from:
            art.kids.append(Element("P", list(s.jump_from)))
        word = PHOTO_WORD["zh" if _script(lang).startswith("zh") else "en"]
        for source, pictures in s.figures.items():
            caption = _joined(s.caption_runs.get(source, [])).lstrip("▲").strip()
            if not caption:
                caption = f"{title}{word}" if word.startswith("（") else f"{word}{title}"
            if pictures:
                art.kids.append(Element("Figure", list(pictures), alt=caption))
            if s.captions.get(source):
                art.kids.append(Element("Caption", list(s.captions[source])))
        for index in sorted(s.blocks):
            kind, marks = s.blocks[index]
            art.kids.append(Element(kind, list(marks)))
        for kind, marks in s.other:
            art.kids.append(Element(kind, list(marks)))
        if s.jump_to:
            art.kids.append(Element("P", list(s.jump_to)))
        return art

    def _ad(self, s: _Story) -> Element:
        marks = [m for _, ms in s.other for m in ms]
        parts: list[list[Glyphs]] = []  # the ad's words, a space between its parts (label, title, ...)
        for run in s.ad_runs:
            if parts and parts[-1][-1].role == run.role:
                parts[-1].append(run)
            else:
                parts.append([run])
        words = " ".join(_joined(p) for p in parts) or AD_WORD.get(_script(self.lang(s.page)), AD_WORD["en"])
        return Element("Figure", marks, lang=self.lang(s.page), alt=words)
