"""A font role as composition sees it: its own face, then the faces that stand in for characters
it lacks (font fallback), measured and shaped together.

A page's copy brings characters no single face has: an English face meets 「」 and 。 in a quote,
the body's CJK face meets a rare ideograph of CJK Extension B, or a symbol. Each role therefore
has an ordered stack: the role's face, then, when a page overrides the role (an English page
sets ``body`` to a Latin face), the configuration's face for the role (the CJK face of the page's
script), then the configuration's ``fallback`` faces (a wider CJK face, faces for the rare
ideographs of the extensions). A character is set in the first face that has it; one that no
face has is reported by composition at its place in content.yaml, never dropped.

Fallback faces are opened only when a character needs them, so a page set entirely in its own
faces costs nothing more.
"""

from __future__ import annotations

import os
from pathlib import Path

from .face import Face
from .shaping import Shaped, hb_language, shaper

#: shaping features that keep every letter in its own box (tracked or letter-spaced text)
NO_LIGATURES = (("liga", False), ("clig", False))

#: shaped texts remembered per role (a page's lines and their trials); forgotten all at once past it
SHAPED_LIMIT = 16384

#: FontStack._run_memos by the stack's key
_MEMOS: dict[str, tuple[dict, set, dict]] = {}

#: Unicode scripts the shaper is told per run (others: the run's own, guessed by HarfBuzz)
_GREEK = range(0x0370, 0x0400)
_CYRILLIC = range(0x0400, 0x0530)


def script_of(ch: str) -> str:
    """The ISO 15924 script a character is shaped in: CJK characters and CJK punctuation as
    ``Hani`` (so runs of marks get their CJK forms), Greek and Cyrillic as themselves, anything
    else (Latin letters, digits, ASCII and general punctuation) as ``Latn``."""
    o = ord(ch)
    if o >= 0x2E80 and not (0xFB00 <= o <= 0xFB4F or 0xFE20 <= o <= 0xFE2F):
        return "Hani"
    if o in _GREEK:
        return "Grek"
    if o in _CYRILLIC:
        return "Cyrl"
    return "Latn"


class Run:
    """A stretch ``[start, end)`` of text set in one face of the stack, in one script."""

    __slots__ = ("face", "start", "end", "script")

    def __init__(self, face: int, start: int, end: int, script: str):
        self.face = face
        self.start = start
        self.end = end
        self.script = script


class FontStack:
    """The faces of one role, first the role's own. Offers composition what
    ``layout.text.api.Metrics`` asks (``advance``, ``has``, ``advances``, ``key``) and the glyph
    runs of a line (:meth:`runs`, :meth:`shape`)."""

    def __init__(self, role: str, faces: list, opener):
        """``faces``: the primary :class:`Face` followed by fallback entries, each a Face or a
        ``(path, index)`` to open with ``opener(path, index) -> Face`` when first needed."""
        self.role = role
        self._entries = list(faces)
        self._open = opener
        self._memo_face: dict[str, int] = {}
        self._key: str | None = None
        self._memos: tuple | None = None

    # --- the faces -------------------------------------------------------------------------------

    def face(self, i: int) -> Face:
        e = self._entries[i]
        if not isinstance(e, Face):
            e = self._entries[i] = self._open(*e)
        return e

    @property
    def primary(self) -> Face:
        return self.face(0)

    def __len__(self) -> int:
        return len(self._entries)

    def file_of(self, i: int) -> tuple[Path, int]:
        e = self._entries[i]
        return (e.path, e.index) if isinstance(e, Face) else (Path(e[0]), e[1])

    def face_index(self, ch: str) -> int:
        """The first face that has ``ch`` (-1: none). White space belongs to the primary face."""
        i = self._memo_face.get(ch)
        if i is not None:
            return i
        i = 0 if ch.isspace() else -1
        if i < 0:
            for k in range(len(self._entries)):
                try:
                    if self.face(k).has(ch):
                        i = k
                        break
                except Exception:  # noqa: BLE001 - a fallback face that cannot be opened is skipped
                    continue
        self._memo_face[ch] = i
        return i

    @property
    def key(self) -> str:
        """Identity of the stack as it is now: the primary face's file key and the fallbacks'
        files (by path, size and modification time, without opening them). The paragraph memo
        is keyed by it."""
        if self._key is None:
            parts = [self.primary.metrics.key]
            for e in self._entries[1:]:
                path, index = (e.path, e.index) if isinstance(e, Face) else e
                try:
                    st = os.stat(path)
                    parts.append(f"{Path(path).name}:{index}:{st.st_size}:{st.st_mtime_ns}")
                except OSError:
                    parts.append(f"{Path(path).name}:{index}:missing")
            self._key = "|".join(parts)
        return self._key

    # --- the Metrics protocol --------------------------------------------------------------------

    def has(self, ch: str) -> bool:
        if len(ch) != 1:
            return bool(ch) and all(self.has(c) for c in ch)
        return self.face_index(ch) >= 0

    def advance(self, ch: str) -> float:
        """Advance of one character (em) in the face that sets it, unshaped; a character no face
        has gets the primary face's (.notdef) advance, a plausible width for what is reported."""
        if len(ch) != 1:
            return sum(self.advance(c) for c in ch)
        i = self.face_index(ch)
        return self.face(max(i, 0)).metrics.advance(ch)

    def advances(self, text: str, lang: str = "zh", ligatures: bool = True) -> list[float]:
        """Per character of ``text``, its advance in em after shaping (kerning, ligatures: a
        ligature's advance goes to its first character, 0 to the others; ``ligatures=False``
        for text whose letters may be spaced)."""
        memo = self._run_memos()[2]
        key = (None, text, lang, ligatures)
        hit = memo.get(key)
        if hit is not None:
            return list(hit)
        out = [0.0] * len(text)
        for run, shaped in self.shaped_runs(text, lang, ligatures=ligatures):
            start = run.start
            for c, a in zip(shaped.clusters, shaped.advances):
                out[start + c] += a
        memo[key] = tuple(out)
        return out

    # --- runs ----------------------------------------------------------------------------------

    def _run_memos(self) -> tuple[dict, set, dict]:
        """This stack's memos, shared by every stack of the same faces in the process (a build
        makes its own stacks; `watch`, `serve` and an edition's workers build again and again):
        character -> (face, script; None for white space), the characters set in the role's own
        face as Hani, and shaped texts."""
        if self._memos is None:
            self._memos = _MEMOS.get(self.key)
            if self._memos is None:
                if len(_MEMOS) >= 64:
                    _MEMOS.clear()
                self._memos = _MEMOS[self.key] = ({}, set(), {})
        return self._memos

    def _face_script(self, ch: str) -> tuple[int, str | None]:
        by_char, hani0, _ = self._run_memos()
        fs = by_char.get(ch)
        if fs is None:
            fs = by_char[ch] = (0, None) if ch.isspace() else (max(self.face_index(ch), 0), script_of(ch))
            if fs == (0, "Hani"):
                hani0.add(ch)
        return fs

    def runs(self, text: str) -> list[Run]:
        """``text`` cut where the face or the script changes (white space joins its
        neighbours' run)."""
        memo, hani0, _ = self._run_memos()
        if text and hani0.issuperset(text):  # (the common case: Han and CJK marks of the role's face)
            return [Run(0, 0, len(text), "Hani")]
        out: list[Run] = []
        last = None
        for i, ch in enumerate(text):
            fs = memo.get(ch)
            if fs is None:
                fs = self._face_script(ch)
            f, s = fs
            if s is None:  # white space
                if last is not None:
                    last.end = i + 1
                    continue
                s = "Latn"
            if last is not None and last.face == f and last.script == s:
                last.end = i + 1
            else:
                last = Run(f, i, i + 1, s)
                out.append(last)
        return out

    def shaped_runs(self, text: str, lang: str, direction: str = "ltr",
                    ligatures: bool = True) -> list[tuple[Run, Shaped]]:
        """Each run of ``text`` with its shape in its face (``ligatures=False``: every letter in
        its own box, for tracked or letter-spaced text). Remembered: a line is measured when it is
        audited and shaped again when its glyph runs are made. The list is shared: read it only."""
        key = (text, lang, direction, ligatures)
        memo = self._run_memos()[2]
        out = memo.get(key)
        if out is not None:
            return out
        language = hb_language(lang)
        features = () if ligatures else NO_LIGATURES
        out = []
        for run in self.runs(text):
            path, index = self.file_of(run.face)
            s = shaper(path, index).shape(text[run.start:run.end], script=run.script, language=language,
                                          direction=direction, features=features)
            out.append((run, s))
        if len(memo) >= SHAPED_LIMIT:
            memo.clear()
        memo[key] = out
        return out

    def font_key(self, i: int) -> str:
        """The display list's font key of face ``i`` of the stack (``body``, ``body#1`` ...)."""
        return self.role if i == 0 else f"{self.role}#{i}"
