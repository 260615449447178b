"""What a path names, before anything is read from it: a regular file, a folder, or a special
file (a FIFO, a device, a socket) that must never be opened as a page, a picture or a font (a
FIFO blocks the build for ever; ``/dev/zero`` never ends; ``/proc`` files change as they are
read). And the one rule for every path a page names: inside the page's folder (the edition's,
for an edition's pages and booking list), unless ``--allow-outside``.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path


def special_file(path: str | os.PathLike[str]) -> str:
    """"" for a regular file, a folder or nothing at all; else what it is, in words ("a FIFO (named
    pipe)", "a character device", ...). Links are followed; a loop of links is "a loop of
    symbolic links"."""
    try:
        mode = os.stat(path).st_mode
    except OSError as exc:
        import errno

        return "a loop of symbolic links" if exc.errno == errno.ELOOP else ""
    if stat.S_ISREG(mode) or stat.S_ISDIR(mode):
        return ""
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISCHR(mode):
        return "a character device"
    if stat.S_ISBLK(mode):
        return "a block device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "a special file"


def inside(folder: Path, path: Path) -> bool:
    """Whether ``path`` (resolved: links followed) lies in ``folder`` (resolved) or below it."""
    return path == folder or folder in path.parents
