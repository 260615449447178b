"""Python's cyclic garbage collector set for the way a build allocates.

A page's composition makes hundreds of thousands of short-lived small objects (atoms, gaps,
break candidates, glyph tuples) that reference counting frees, and almost no reference cycles;
what lives on (font tables, shapers, the memos of paragraphs and runs) grows with every page.
With CPython's default thresholds (a young collection every 700 objects of net growth) a worker
of an edition collected its young objects some 17 times a page and walked every long-lived
object (~14 ms each time, measured in a warm worker) every eight pages: about 5 % of an
edition's time. A young generation of 10,000 objects keeps the few cycles collected (a
document's objects, an exception's frames) within a page, at a few megabytes more at most.
"""

from __future__ import annotations

import gc

#: objects of net growth before a young collection (CPython's default: 700)
YOUNG = 10_000


def tune() -> None:
    """Set the thresholds for a build (the other two generations keep their ratios). For the
    command line and for a server's build workers: a library caller keeps its own policy."""
    young, middle, old = gc.get_threshold()
    if 0 < young < YOUNG:
        gc.set_threshold(YOUNG, middle, old)
