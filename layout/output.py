"""Writing a build's PDF where the editor expects it, whole or not at all.

A PDF is rendered into a temporary file beside its destination and put in its place only when
complete (:func:`written`), so a failed or killed build leaves the previous PDF as it was and
no half-written file; temporaries of builds killed outright (SIGKILL gives no chance to clean
up) are removed by the next build to the same place.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import os
import tempfile
import threading
from pathlib import Path
from typing import Iterator

from layout.errors import OutputError, UsageError, fault
from layout.files import put_in_place, special_file

REPO_ROOT = Path(__file__).resolve().parent.parent


def default_output(content: Path, proof: bool) -> Path:
    """``output/<name>.pdf`` beside the content file (``<name>``: the file's stem, or its
    folder's name for a ``content.yaml``; the repository's own page is ``seed``)."""
    stem = content.stem if content.stem != "content" else content.resolve().parent.name or "page"
    if content.resolve() == (REPO_ROOT / "content.yaml").resolve():
        stem = "seed"
    folder = content.resolve().parent / "output"
    return folder / (f"{stem}-proof.pdf" if proof else f"{stem}.pdf")


def destination(content: Path, output: Path | None, proof: bool) -> Path:
    """Where the PDF goes, checked before any work is spent on it: the given file, or the page's
    own ``output/`` folder (made on first build)."""
    out = Path(output) if output else default_output(content, proof)
    if not output and not out.parent.exists():
        out.parent.mkdir(parents=True, exist_ok=True)
    if out.is_dir():
        raise OutputError(f"{out} is a folder; give the PDF's file name, e.g. {out / default_output(content, proof).name}")
    special = special_file(out)
    if special:  # (renaming over /dev/null or a FIFO would replace it, not write into it)
        raise OutputError(f"{out} is {special}, not a file; give the PDF's file name")
    if out.parent.exists() and not out.parent.is_dir():
        raise OutputError(f"output folder {out.parent} is a file, not a folder")
    if not out.parent.is_dir():
        if special_file(out.parent):  # (a loop of links, a device: named as what it is)
            raise OutputError(f"output folder {out.parent} is {special_file(out.parent)}, not a folder")
        if out.parent.is_symlink():
            raise OutputError(f"output folder {out.parent} is a symbolic link that leads nowhere")
        raise OutputError(f"output folder {out.parent} does not exist")
    if not os.access(out.parent, os.W_OK):
        try:
            read_only = bool(os.statvfs(out.parent).f_flag & os.ST_RDONLY)
        except (OSError, AttributeError):
            read_only = False
        raise OutputError(f"output folder {out.parent} is not writable "
                          + ("(Read-only file system)\nhint: the file system is mounted read-only: write elsewhere with -o"
                             if read_only else "(Permission denied)\nhint: check the folder's permissions, or write elsewhere with -o"))
    return out


@contextlib.contextmanager
def written(out: Path) -> Iterator[Path]:
    """A temporary file beside ``out`` to write into; put in the place of ``out`` atomically
    (:func:`layout.files.put_in_place`) when the block ends without an exception, removed
    otherwise."""
    remove_stale_temporaries(out)
    try:
        tmp = _temporary(out)
    except OSError as exc:  # root passes os.access; a read-only, full or special file system does not
        if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
            raise OutputError(f"output folder {out.parent} is not writable ({exc.strerror or exc})") from None
        raise fault(exc, out.parent, "write into the output folder") from None
    swapped = False
    try:
        try:
            yield tmp
        except OSError as exc:  # the writer's own (a full disk, `ulimit -f`): named by the PDF meant
            if exc.filename in (None, str(tmp)):
                raise fault(exc, out) from None
            raise
        try:
            swapped = put_in_place(tmp, out)
        except OSError as exc:
            raise fault(exc, out) from None
        if swapped:  # tmp holds the previous PDF now: its blocks are freed in a thread (~5 ms for 7 MB)
            remove_later(tmp)
    finally:
        if not swapped:
            tmp.unlink(missing_ok=True)


def remove_later(old: Path) -> None:
    """Remove ``old`` in a thread, as freeing a large file's blocks is slow (not a daemon: the
    process waits for it before it exits; a process killed first leaves a replaced output's
    second name to :func:`remove_stale_temporaries` of the next build)."""
    threading.Thread(target=old.unlink, kwargs={"missing_ok": True}, name="remove-old-output").start()


def _temporary(out: Path) -> Path:
    """A temporary file beside ``out``, readable like any file the user writes: mkstemp makes
    0600, which a shared output folder cannot read. Its name carries the writer's pid."""
    fd, tmp = tempfile.mkstemp(prefix=f".{out.name}.{os.getpid()}.", suffix=".tmp", dir=out.parent)
    os.close(fd)
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(tmp, 0o666 & ~umask)
    return Path(tmp)


def remove_stale_temporaries(out: Path) -> None:
    """Temporaries of builds that were killed: their names carry the writer's pid; remove those
    whose process is gone."""
    for tmp in out.parent.glob(f".{out.name}.*.tmp"):
        parts = tmp.name[len(out.name) + 2:].split(".")
        try:
            pid = int(parts[0])
        except (ValueError, IndexError):
            continue
        if pid == os.getpid():
            continue
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            tmp.unlink(missing_ok=True)
        except PermissionError:
            pass


def source_date_epoch() -> int | None:
    """SOURCE_DATE_EPOCH as a whole number of seconds; a malformed value is a usage error (the
    PDF writers read it too, and would fail less clearly)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if not epoch:
        return None
    try:
        return int(epoch)
    except ValueError:
        raise UsageError(f"SOURCE_DATE_EPOCH must be a whole number of seconds, got {epoch!r}") from None


def build_time(content: Path) -> dt.datetime:
    """The date written into the PDF: SOURCE_DATE_EPOCH when set (reproducible builds), else the
    content file's modification time, so the same input gives the same bytes."""
    epoch = source_date_epoch()
    stamp = epoch if epoch is not None else int(content.stat().st_mtime)
    return dt.datetime.fromtimestamp(stamp, tz=dt.timezone.utc)
