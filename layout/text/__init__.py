"""Text composition: language rules as data, a generic line breaker, no knowledge of PDF.

The contract (msgspec structs) is :mod:`layout.text.api`. Entry points:
:func:`compose_paragraph` (set one paragraph), :func:`normalize` (GB punctuation for dirty
copy, run it first) and :func:`audit_lines` (count typographic faults in set lines).

Modules, one job each: ``rules_zh`` (Chinese rules as data), ``units`` (segmentation),
``punct`` (compression of marks), ``breaker`` (generic total-fit breaking), ``setline``
(placing glyphs), ``compose`` (the pipeline), ``normalize``, ``ink`` (ink model), ``audit``.

Latin-script text (``ParagraphStyle.lang`` "en", "de", "fr" ...; see ``languages``) goes
through the same breaker: ``rules_en`` (English rules as data: word spaces, pyphen
hyphenation, punctuation at line edges) and ``latin`` (words and hyphenation points into boxes,
glue and breakpoints; placing glyphs, with the hyphen added at a hyphenated break).

``paragraphs`` is the front door: it serves set lines and audits from the memo and loads the
composer only for a paragraph the memo does not hold.
"""

from .normalize import normalize  # (the function, not the submodule of the same name)
from .paragraphs import audit_lines, compose_paragraph

__all__ = ["compose_paragraph", "normalize", "audit_lines"]
