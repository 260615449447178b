"""Where Chinese text may break between words: a dictionary's word boundaries, for heads.

Unicode gives Han text no word boundaries (UAX #14 and #29 let it break between any two
characters), and for running text clreq asks for none: a justified Chinese line breaks wherever
the grid ends. A head is different. It is set ragged on one to four lines an editor reads as
phrases, and one broken inside a word reads as a typo: 神舟九号飞 / 船成功发射 for
神舟九号飞船 / 成功发射; so is a line that begins with a structural particle (的, 之, 了), which
belongs to the word before it (人体器官 / 的获取 for 人体器官的 / 获取), or a line that ends
with a conjunction (和, 及), which belongs to the word after it (演进和 / 应用 for 演进 /
和应用). Newsroom tools segment the text with a dictionary; so does this module, with jieba's
dictionary and its part-of-speech tags (rjieba: the Rust port, its dictionary built in, MIT).
The dictionary is Simplified Chinese: Traditional text is segmented as its Simplified form
(OpenCC's ``t2s``, character for character, so the places stay the same; 颱風 is a word only
so).

:func:`marks` hands the head composer one mark per place between two characters, language
data beside a breaker that knows no words:

* :data:`BETWEEN`: between two words (a break costs what a break between characters always did);
* :data:`INSIDE`: inside a word of the dictionary, or one the segmenter's model found (names);
* :data:`BEFORE_PARTICLE`: before an auxiliary (jieba's ``u`` tags: 的 地 得 着 了 过 之);
* :data:`AFTER_CONJUNCTION`: after a one-character conjunction (jieba's ``c``: 和 及 或 并).

Loading the dictionary costs ~100 ms, so it is loaded only when a head does not fit on one
line, once per process; each text's marks are remembered in memory and, through the paragraph
memo's store, across builds (:func:`layout.text.memo.remembered`), so composition stays a pure
function of its inputs.
"""

from __future__ import annotations

from . import memo
from .languages import is_chinese, is_traditional

BETWEEN = "|"
INSIDE = "-"
BEFORE_PARTICLE = "^"
AFTER_CONJUNCTION = "&"

#: jieba's part-of-speech tags of auxiliaries (助词): 的 uj, 了 ul, 着 uz, 过 ug, 地 uv, 得 ud, 之 u
PARTICLE_TAG = "u"
#: jieba's tag of conjunctions (连词): 和 及 与 或 并 而
CONJUNCTION_TAG = "c"

_segmenter = None
_to_simplified = None


def _tagged(text: str) -> list[tuple[str, str]]:
    global _segmenter
    if _segmenter is None:
        import rjieba  # (its dictionary is built when it is imported: ~100 ms)

        _segmenter = rjieba
    return _segmenter.tag(text)


def _simplified(text: str) -> str:
    """``text`` in Simplified characters, or as it is when the conversion would move a place."""
    global _to_simplified
    if _to_simplified is None:
        import opencc  # (~20 ms to load its tables)

        _to_simplified = opencc.OpenCC("t2s")
    out = _to_simplified.convert(text)
    return out if len(out) == len(text) else text


def _marks_of(text: str, traditional: bool) -> str:
    words = _tagged(_simplified(text) if traditional else text)
    if sum(len(w) for w, _ in words) != len(text):
        return ""  # (the segmenter lost or added a character: no word is known)
    out = []
    for k, (word, tag) in enumerate(words):
        if k:
            before, before_tag = words[k - 1]
            out.append(BEFORE_PARTICLE if len(word) == 1 and tag.startswith(PARTICLE_TAG)
                       else AFTER_CONJUNCTION if len(before) == 1 and before_tag == CONJUNCTION_TAG
                       else BETWEEN)
        out.append(INSIDE * (len(word) - 1))
    return "".join(out)


def marks(text: str, lang: str) -> str | None:
    """For each place between two characters of ``text`` (``len(text) - 1`` of them; place
    ``i`` is between ``text[i]`` and ``text[i + 1]``), whether it lies between words, inside
    one, before a particle or after a conjunction; None for a language this module has no
    dictionary for."""
    if not is_chinese(lang) or len(text) < 2:
        return None
    traditional = is_traditional(lang)
    got = memo.remembered(".words", ("hanwords", text, traditional), lambda: _marks_of(text, traditional))
    return got if isinstance(got, str) and len(got) == len(text) - 1 else None
