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


def is_page_name(name: str | os.PathLike[str]) -> bool:
    """Whether a file's name says it is a content file (a page, an edition, a booking list):
    .yaml or .yml. A file named otherwise is never quoted in a message (``/etc/passwd``,
    ``/proc/self/environ`` given as a page are refused without a word of their content)."""
    return Path(str(name)).suffix.lower() in (".yaml", ".yml")


def inside(folder: Path, path: Path) -> bool:
    """Whether ``path`` (resolved: links followed) lies in ``folder`` (resolved) or below it."""
    return path == folder or folder in path.parents


class PathProblem(Exception):
    """Why a path a page names cannot be used: ``message`` and ``hint`` for the editor, ``code``
    for scripts (``path-outside``, ``missing-file``, ``not-a-file``, ``special-file``,
    ``bad-path``)."""

    def __init__(self, message: str, hint: str = "", code: str = "bad-path") -> None:
        super().__init__(message)
        self.message, self.hint, self.code = message, hint, code


def checked_path(name: str, folder: Path, *, allow_outside: bool = False, what: str = "image",
                 whose: str = "the page's", into: str = "", within: Path | None = None) -> Path:
    """The file ``name`` (relative to ``folder``, or absolute, or ``~/...``) names, resolved, if
    it is a regular file inside ``within`` (default ``folder``; anywhere, with
    ``allow_outside``); else :class:`PathProblem`. Nothing is opened: a FIFO, a device, a
    folder, a loop of links or a link that leads nowhere is named as what it is."""
    import errno

    raw = folder / os.path.expanduser(name) if name.startswith("~") else folder / name
    try:
        p = raw.resolve()
    except RuntimeError:  # (Python < 3.13 says a loop of links so)
        raise PathProblem(f"{what} path {name!r} is a loop of symbolic links",
                          hint="a link on the path leads back to itself: fix or remove it", code="bad-path") from None
    except OSError as exc:
        raise PathProblem(f"{what} path {name!r} cannot be used: {exc.strerror or exc}", code="bad-path") from None
    if not allow_outside and not inside(Path(within or folder).resolve(), p):
        raise PathProblem(f"{what} path {name!r} leaves {whose} folder",
                          hint=f"copy the {what} into {into or whose + ' folder'}, or build with --allow-outside",
                          code="path-outside")
    try:
        st = os.stat(p)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise PathProblem(f"{what} path {name!r} is a loop of symbolic links",
                              hint="a link on the path leads back to itself: fix or remove it", code="bad-path") from None
        if exc.errno in (errno.ENOENT, errno.ENOTDIR):
            link = next((q for q in [raw, *raw.parents] if q.is_symlink()), None) if raw != p else None
            if link is not None:
                raise PathProblem(f"{what} path {name!r} is a symbolic link that leads nowhere",
                                  hint=f"{link.name} points to {os.readlink(link)!r}, which does not exist",
                                  code="missing-file") from None
            raise PathProblem(f"{what} file {name!r} not found", code="missing-file") from None
        raise PathProblem(f"{what} path {name!r} cannot be used: {exc.strerror or exc}", code="bad-path") from None
    if stat.S_ISDIR(st.st_mode):
        raise PathProblem(f"{what} path {name!r} is a folder, not a file", code="not-a-file")
    if not stat.S_ISREG(st.st_mode):
        raise PathProblem(f"{what} path {name!r} is {special_file(p) or 'a special file'}, not a file",
                          hint=f"name a regular {what} file; special files are never read", code="special-file")
    return p


_AT_FDCWD = -100
_RENAME_EXCHANGE = 2
_exchange_call = None  # (libc's renameat2, resolved once; False where the C library has none)


def renameat2():
    """The C library's renameat2 (False where it has none), resolved once."""
    global _exchange_call
    if _exchange_call is None:
        try:
            import ctypes

            call = ctypes.CDLL(None, use_errno=True).renameat2
            call.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
            call.restype = ctypes.c_int
            _exchange_call = call
        except (OSError, AttributeError):
            _exchange_call = False
    return _exchange_call


def put_in_place(tmp: str | os.PathLike[str], dest: str | os.PathLike[str]) -> bool:
    """Rename the finished file ``tmp`` over ``dest``, atomically (a reader sees the old file or
    the new one). Returns True when ``tmp`` now holds ``dest``'s previous file, for the caller to
    remove (in a thread if it is large), False when ``dest`` was simply replaced.

    Where the system can (Linux's ``renameat2``), the two names are exchanged rather than one
    renamed over the other: ext4 treats a rename over an existing file as "replace via rename"
    and writes the new file's data out before the rename returns (``auto_da_alloc``); rebuilding
    an edition over its previous pages paid 6-12 ms a file for it, exchanging pays ~0.05 ms."""
    import errno

    call = renameat2()
    if call:
        import ctypes

        if call(_AT_FDCWD, os.fsencode(tmp), _AT_FDCWD, os.fsencode(dest), _RENAME_EXCHANGE) == 0:
            return True
        err = ctypes.get_errno()
        # nothing to exchange with (a first build), or a file system or kernel without exchange
        if err not in (errno.ENOENT, errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP, errno.ENOTSUP, errno.EXDEV):
            raise OSError(err, os.strerror(err), os.fspath(dest))
    os.replace(tmp, dest)
    return False
