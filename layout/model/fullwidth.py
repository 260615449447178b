"""Full-width punctuation typed as YAML syntax: its own diagnosis, with the caret on the mark.

A Chinese keyboard's input method types ，：｛｝［］ where YAML needs , : { } [ ]. YAML reads them
as text, so the parser (or the model) reports something far from the cause: ``{column: 1，columns:
8}`` is "expected ',' or '}'", ``column：1`` an unknown key ``column：1``. When a diagnostic's
line (or, for the parser, the line above it) has such a mark where YAML expects syntax, the
diagnostic is reworded to name the mark, point at it and give the line as it should be.

Full-width marks in text (``caption: 万丰湖，夜景``) are left alone: a mark counts only where
syntax stands: ，inside a ``{...}``/``[...]`` before a key or between ASCII values, ：right after
a key's name, ｛｝［］ anywhere
outside quotes on a line YAML could not read.
"""

from __future__ import annotations

import re

from msgspec.structs import replace

from layout.errors import Diagnostic

#: full-width mark -> (its name, the ASCII mark YAML needs, what follows it in the fix)
MARKS = {
    "，": ("comma", ",", " "),
    "：": ("colon", ":", " "),
    "｛": ("left brace", "{", ""),
    "｝": ("right brace", "}", ""),
    "［": ("left bracket", "[", ""),
    "］": ("right bracket", "]", ""),
}

_KEY_BEFORE = re.compile(r"(?:^|[\s{,\[｛，［-])[A-Za-z_][A-Za-z0-9_-]*$")
_KEY_AFTER = re.compile(r"\s*[A-Za-z_][A-Za-z0-9_-]*\s*[:：]")


def _separates(line: str, i: int) -> bool:
    """A ，in a flow collection separates entries when a key follows it (``1，columns: 8``) or
    it stands between ASCII values (``[1，2]``); between Chinese words it is text."""
    if _KEY_AFTER.match(line, i + 1):
        return True
    before = line[:i].rstrip()[-1:]
    after = line[i + 1:].lstrip()[:1]
    return bool(before and after and before.isascii() and after.isascii() and before not in "{[,")


def syntax_marks(line: str) -> list[int]:
    """Indexes of full-width marks that stand where YAML syntax does in ``line`` (outside quotes
    and comments)."""
    out: list[int] = []
    quote = ""
    depth = 0
    for i, ch in enumerate(line):
        if quote:
            if ch == quote:
                quote = ""
            continue
        if ch in "'\"" and (i == 0 or line[i - 1] in " \t{[,:-｛［，："):
            quote = ch
        elif ch == "#" and (i == 0 or line[i - 1] in " \t"):
            break
        elif ch in "{[｛［":
            depth += 1
            if ch in "｛［":
                out.append(i)
        elif ch in "}]｝］":
            depth = max(depth - 1, 0)
            if ch in "｝］":
                out.append(i)
        elif ch == "，" and depth > 0 and _separates(line, i):
            out.append(i)
        elif ch == "：" and _KEY_BEFORE.search(line[:i]):
            out.append(i)
    return out


def fixed(line: str) -> str:
    """``line`` with its syntax marks made ASCII (a space after a comma or colon)."""
    marks = set(syntax_marks(line))
    out = []
    for i, ch in enumerate(line):
        if i in marks:
            _, ascii_, after = MARKS[ch]
            out.append(ascii_ + (after if i + 1 < len(line) and line[i + 1] != " " else ""))
        else:
            out.append(ch)
    return "".join(out).rstrip()


def recognise(d: Diagnostic, line_above: str = "") -> Diagnostic:
    """``d`` reworded when its line (else ``line_above``, the parser's errors often come a line
    late) has a full-width mark as syntax; ``d`` itself otherwise."""
    for text, line in ((d.source_line, d.line), (line_above, d.line - 1)):
        if not text or line < 1:
            continue
        found = syntax_marks(text)
        if not found:
            continue
        i = found[0]
        ch = text[i]
        name, ascii_, after = MARKS[ch]
        more = len(found) - 1
        return replace(d, message=f"full-width {name} '{ch}' (U+{ord(ch):04X}) used as YAML syntax"
                                  + (f" (and {more} more on this line)" if more else ""),
                       line=line, column=i + 1, source_line=text, code="fullwidth-syntax",
                       hint=f"YAML needs the ASCII '{ascii_}'{' and a space' if after else ''}; switch the input "
                            f"method to half-width (English) punctuation for YAML's marks. The line should read: "
                            f"{fixed(text).strip()}")
    return d


#: what a line starts with when a full-width space or dash stands where YAML's indentation or list
#: marker should: ``　　byline: ...`` (U+3000 as indentation), ``－ 文`` (U+FF0D as a list's dash)
_IDEO_INDENT = re.compile(r"^[ ]*(\u3000+)[ \u3000]*(?:[A-Za-z_][A-Za-z0-9_-]*[ ]*:(?:\s|$)|-\s)")
_DASH_ITEM = re.compile(r"^[ ]*([－﹣—–])[ \u3000]")


def recognise_near(d: Diagnostic, lines: list[str], reach: int = 40) -> Diagnostic:
    """:func:`recognise`, then, when the parser's message still names no cause, the nearest line
    at or above ``d``'s (within ``reach`` lines) where a full-width mark, a full-width space used
    as indentation or a full-width dash used as a list's marker stands for YAML syntax: YAML
    read those as text and failed lines later."""
    found = recognise(d, lines[d.line - 2] if 1 < d.line <= len(lines) + 1 else "")
    if found is not d or not d.line:
        return found
    for n in range(min(d.line, len(lines)), max(d.line - reach, 0), -1):
        text = lines[n - 1]
        m = _IDEO_INDENT.match(text)
        if m:
            i = m.start(1)
            return replace(d, message="full-width space U+3000 used as indentation", line=n, column=i + 1,
                           source_line=text, code="fullwidth-syntax",
                           hint="YAML indents with ASCII spaces only; switch the input method to half-width (English) "
                                "for indentation (a full-width space inside text is fine)")
        m = _DASH_ITEM.match(text)
        if m:
            i = m.start(1)
            ch = text[i]
            return replace(d, message=f"full-width dash '{ch}' (U+{ord(ch):04X}) used as a list's '-'", line=n,
                           column=i + 1, source_line=text, code="fullwidth-syntax",
                           hint="a list item starts with the ASCII '-' and a space; switch the input method to half-width "
                                f"(English) punctuation. The line should read: {(text[:i] + '-' + text[i + 1:]).strip()}")
        marks = syntax_marks(text)
        if marks and n < d.line - 1:
            return recognise(replace(d, line=n, source_line=text))
    return d
