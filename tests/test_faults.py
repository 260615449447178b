"""Fault injection (issue 20): damaged caches, full disks, file-size limits, links, special files,
files outside the page, and inputs that once made the diagnostics explode.

Every cache entry is damaged in every way (cut short, bytes flipped, replaced by another entry's
file, emptied, a folder, a FIFO or a device in its place) and the next build must be the clean
build, byte for byte, with a note naming each entry it threw away; a full file system (a small
tmpfs in a private mount namespace, when the tests run as root), a file-size limit
(``RLIMIT_FSIZE``, ``ulimit -f``) and write errors injected into the writer's calls must end with
exit 74 (or a note, for a cache), the path named, the previous PDF intact and no temporary file
left. No timing is asserted: the limits are on what is printed and on what is written.
"""

from __future__ import annotations

import errno
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from ads_support import make_ad

PY = sys.executable
SEED_ADS = """ads:
  - kind: image
    id: cars
    frame: {column: 6, columns: 3, line: 55, lines: 30}
    file: ads/cars.pdf
  - kind: image
    id: dairy
    frame: {column: 6, columns: 3, line: 86, lines: 31}
    file: ads/dairy.jpg
"""


def run(*args, cache: Path, env: dict | None = None, preexec=None, cwd=None):
    e = {**os.environ, "BROADSHEET_CACHE": str(cache), "BROADSHEET_DEBUG": "", **(env or {})}
    return subprocess.run([PY, "-m", "layout", *map(str, args)], capture_output=True, text=True, env=e,
                          preexec_fn=preexec, cwd=cwd, timeout=600)


def notes(stdout: str, code: str = "cache-damaged") -> list[str]:
    return [f["message"] for f in json.loads(stdout)["findings"] if f.get("code") == code]


def clean(r) -> None:
    """No traceback, no internal error: whatever the fault, the user reads a sentence."""
    assert "Traceback" not in r.stderr and "internal error" not in r.stderr, r.stderr


@pytest.fixture(scope="module")
def adpage(tmp_path_factory, root):
    """The seed page with a picture ad and a PDF ad (a vector form: its objects are copied into
    the press file), so that every kind of cache entry is made, and its clean press PDF."""
    folder = tmp_path_factory.mktemp("adpage")
    shutil.copytree(root / "images", folder / "images")
    text = (root / "content.yaml").read_text(encoding="utf-8")
    (folder / "content.yaml").write_text(text[:text.index("ads:\n")] + SEED_ADS, encoding="utf-8")
    (folder / "ads").mkdir()
    make_ad(folder / "ads" / "cars.pdf", good=True, w_mm=100, h_mm=60)
    shutil.copy(root / "images" / "power-valley.jpg", folder / "ads" / "dairy.jpg")
    cache = folder.parent / "clean-cache"
    out = folder.parent / "ref" / "page.pdf"
    out.parent.mkdir()
    for _ in range(2):  # (cold, then warm: both the same bytes)
        r = run("build", folder / "content.yaml", "-o", out, "--json", cache=cache)
        assert r.returncode == 0, r.stderr
        assert not notes(r.stdout)
    return folder, cache, out.read_bytes()


def entries(cache: Path) -> dict[tuple[str, str], list[Path]]:
    """The cache's entries by kind (top folder, suffix), sidecars apart."""
    kinds: dict[tuple[str, str], list[Path]] = {}
    for f in sorted(cache.rglob("*")):
        if f.is_file() and not f.name.startswith(".") and not f.name.endswith(".lock"):
            suffix = ".jpg.seal" if f.name.endswith(".jpg.seal") else f.suffix
            kinds.setdefault((f.relative_to(cache).parts[0], suffix), []).append(f)
    return kinds


def test_every_kind_of_cache_entry_is_made(adpage):
    _, cache, _ = adpage
    kinds = set(entries(cache))
    # (the faces' metrics, embedding data and common glyphs come from what the set-up prepared,
    # layout/fonts/data, not from this cache: tests/test_faults.py's font-pack test damages those)
    assert {("compose", ".sqlite"), ("parts", ".sqlite"), ("fonts", ".sqlite"), ("images", ".jpg"),
            ("images", ".jpg.seal"), ("images", ".json"), ("icc", ".flate"), ("adcheck", ".json")} <= kinds, kinds


def _damage(f: Path, mode: str, others: list[Path]) -> None:
    data = f.read_bytes()
    if mode == "truncate":
        f.write_bytes(data[: len(data) // 2])
    elif mode == "flip":
        b = bytearray(data)
        for i in range(len(b) // 2, min(len(b), len(b) // 2 + 4)):
            b[i] ^= 0x5A
        f.write_bytes(bytes(b))
    elif mode == "swap":  # another entry's file (and its checksum) under this one's name
        other = next(o for o in others if o != f and o.read_bytes() != data)
        f.write_bytes(other.read_bytes())
        side = other.with_name(other.name + ".seal")
        if f.suffix == ".jpg" and side.exists():
            f.with_name(f.name + ".seal").write_bytes(side.read_bytes())
    elif mode == "empty":
        f.write_bytes(b"")
    elif mode == "folder":
        f.unlink()
        f.mkdir()
        (f / "x").write_text("x")
    elif mode == "fifo":
        f.unlink()
        os.mkfifo(f)
    elif mode == "device":
        f.unlink()
        f.symlink_to("/dev/zero")


@pytest.mark.parametrize("mode", ["truncate", "flip", "swap", "empty", "folder", "fifo", "device"])
def test_a_damaged_cache_never_reaches_the_pdf(adpage, tmp_path, mode):
    """One entry of every kind damaged at once: the next build is the clean build, byte for byte
    (the cache also sits at another path: the bytes do not depend on it), with a note for each
    entry thrown away; the build after it finds nothing wrong."""
    page, clean_cache, ref = adpage
    cache = tmp_path / "some" / "other" / "cache"
    shutil.copytree(clean_cache, cache, symlinks=True)
    kinds = entries(cache)
    every = [f for fs in kinds.values() for f in fs]
    damaged = set()
    for (top, suffix), files in kinds.items():
        if mode == "swap" and suffix == ".jpg.seal":
            continue  # (swapped with their pictures)
        same = [o for o in files if o != files[0]] or [o for o in every if o.suffix != files[0].suffix]
        _damage(files[0], mode, same)
        damaged.add(str(files[0]))
    out = tmp_path / "out" / "page.pdf"
    out.parent.mkdir()
    r = run("build", page / "content.yaml", "-o", out, "--json", cache=cache)
    clean(r)
    assert r.returncode == 0, r.stderr
    assert out.read_bytes() == ref
    noted = {re.match(r"cache entry (.+?) was damaged", m).group(1) for m in notes(r.stdout)}
    assert noted, "no cache-damaged note"
    for p in noted:  # (a picture's note names it when its checksum file was the damaged one)
        assert p in damaged or p + ".seal" in damaged, p
    # (a paragraph is read only when its story's stored part is not: the damaged part is one story's)
    read_always = {k for k in kinds if k not in {("compose", ".sqlite")}}
    for kind in read_always:
        f = str(kinds[kind][0])
        assert f in noted or f.removesuffix(".seal") in noted, f"{kind}: {f} damaged but not noted"
    r = run("build", page / "content.yaml", "-o", out, "--json", cache=cache)
    assert r.returncode == 0 and out.read_bytes() == ref
    assert notes(r.stdout) == []


def test_files_where_the_cache_folders_should_be(adpage, tmp_path):
    page, clean_cache, ref = adpage
    cache = tmp_path / "cache"
    shutil.copytree(clean_cache, cache)
    for sub in ("images", "fonts", "compose", "icc", "adcheck"):
        shutil.rmtree(cache / sub)
        (cache / sub).write_text("not a folder\n")
    out = tmp_path / "page.pdf"
    r = run("build", page / "content.yaml", "-o", out, "--json", cache=cache)
    clean(r)
    assert r.returncode == 0 and out.read_bytes() == ref, r.stderr
    r = run("build", page / "content.yaml", "-o", out, "--json", cache=cache)  # (repaired)
    assert r.returncode == 0 and out.read_bytes() == ref and notes(r.stdout) == []


def test_the_press_file_depends_on_content_and_options_only(adpage, tmp_path):
    """Cold and warm caches at different paths, different hash seeds: the same bytes, so the same
    document ID (the objects of a PDF ad were once copied in the order of a Python set)."""
    page, _, ref = adpage
    out = tmp_path / "page.pdf"
    for cache, seed in ((tmp_path / "a", "1"), (tmp_path / "b" / "deeper" / "cache", "2"), (tmp_path / "a", "3")):
        r = run("build", page / "content.yaml", "-o", out, "-q", cache=cache, env={"PYTHONHASHSEED": seed})
        assert r.returncode == 0, r.stderr
        assert out.read_bytes() == ref
    ids = re.findall(rb"<xmpMM:DocumentID>([^<]+)<", ref)
    assert len(ids) == 1 and ids[0].startswith(b"uuid:")


# ------------------------------------------------------------------------------------------------
# the output profile
# ------------------------------------------------------------------------------------------------


def test_a_damaged_output_profile_is_refused(newsprint, tmp_path, seed_copy):
    from layout.finish.errors import FinishError
    from layout.finish.profile import build_record_path, output_profile, verify_built_profile

    icc = tmp_path / "p.icc"
    shutil.copy(newsprint.path, icc)
    shutil.copy(build_record_path(newsprint.path), build_record_path(icc))
    verify_built_profile(icc)  # (the copy is good)
    data = icc.read_bytes()
    icc.write_bytes(data[: len(data) // 2])
    with pytest.raises(FinishError) as e:
        verify_built_profile(icc)
    assert "size is" in str(e.value) and "sha256 differs" in str(e.value)
    flipped = bytearray(data)
    flipped[len(data) // 2] ^= 0xFF
    icc.write_bytes(bytes(flipped))
    with pytest.raises(FinishError) as e:
        verify_built_profile(icc)
    assert "sha256 differs" in str(e.value)
    # a page's own profile has no record: its header's size, and lcms reading it
    icc.write_bytes(data[:90_000])
    with pytest.raises(FinishError) as e:
        output_profile(icc)
    assert "cut short" in str(e.value)
    (seed_copy / "cut.icc").write_bytes(data[:90_000])
    with (seed_copy / "content.yaml").open("a", encoding="utf-8") as f:
        f.write("press:\n  profile: cut.icc\n")
    r = run("build", seed_copy / "content.yaml", "-o", tmp_path / "x.pdf", cache=tmp_path / "c")
    clean(r)
    assert r.returncode == 1 and "cut short" in r.stderr and not (tmp_path / "x.pdf").exists()
    # a profile changed between its check and its embedding is refused, not embedded
    icc.write_bytes(data)
    profile = output_profile(icc, tac_limit=220)
    icc.write_bytes(bytes(flipped))
    with pytest.raises(FinishError, match="changed since it was checked"):
        profile.data()


# ------------------------------------------------------------------------------------------------
# full disks and file-size limits
# ------------------------------------------------------------------------------------------------


def _limit(nbytes: int):
    def set_limit():
        import resource

        resource.setrlimit(resource.RLIMIT_FSIZE, (nbytes, nbytes))
    return set_limit


@pytest.mark.parametrize("how", ["setrlimit", "ulimit"])
def test_a_file_size_limit_is_exit_74_and_the_previous_pdf_stays(adpage, tmp_path, how):
    page, clean_cache, _ = adpage
    cache = tmp_path / "cache"
    shutil.copytree(clean_cache, cache)  # (warm: the PDF is the file that hits the limit)
    out = tmp_path / "out" / "page.pdf"
    out.parent.mkdir()
    out.write_bytes(b"%PDF- the previous one")
    if how == "setrlimit":
        r = run("build", page / "content.yaml", "-o", out, cache=cache, preexec=_limit(1_000_000))
    else:
        e = {**os.environ, "BROADSHEET_CACHE": str(cache)}
        r = subprocess.run(["sh", "-c", f'ulimit -f 1000 && exec "{PY}" -m layout build "{page / "content.yaml"}" -o "{out}"'],
                           capture_output=True, text=True, env=e, timeout=600)
    clean(r)
    assert r.returncode == 74, r.stderr
    assert str(out) in r.stderr and "file-size limit" in r.stderr and "ulimit -f" in r.stderr
    assert out.read_bytes() == b"%PDF- the previous one"
    assert [p.name for p in out.parent.iterdir()] == ["page.pdf"]  # (no temporary left)


def test_a_file_size_limit_on_a_cold_cache(adpage, tmp_path):
    """The prepared photos hit the limit first: exit 74, a cache file named, no temporaries."""
    page, _, _ = adpage
    cache = tmp_path / "cache"
    out = tmp_path / "page.pdf"
    r = run("build", page / "content.yaml", "-o", out, cache=cache, preexec=_limit(1_000_000))
    clean(r)
    assert r.returncode == 74 and "file-size limit" in r.stderr, r.stderr
    assert not out.exists()
    assert not [p for p in cache.rglob("*") if p.name.endswith(".tmp")]


def _disk_full_at(prefix: Path, code: int = errno.ENOSPC):
    """os.replace and mkstemp raising ``code`` (ENOSPC: as a full disk would) for files under
    ``prefix``."""
    real_replace, real_mkstemp = os.replace, __import__("tempfile").mkstemp

    def replace(src, dst, *a, **k):
        if str(dst).startswith(str(prefix)):
            raise OSError(code, os.strerror(code))
        return real_replace(src, dst, *a, **k)

    def mkstemp(*a, dir=None, **k):  # noqa: A002 - tempfile's own name
        if dir is not None and str(dir).startswith(str(prefix)):
            raise OSError(code, os.strerror(code))
        return real_mkstemp(*a, dir=dir, **k)

    return replace, mkstemp


def _previous_pdf_on_a_failing_disk(adpage, tmp_path, monkeypatch, code: int):
    """The ad page with a copy of its clean cache, a previous PDF at its output, and the rename
    that would replace that PDF failing with ``code``: (the page's folder, the output)."""
    page, clean_cache, _ = adpage
    cache = tmp_path / "cache"
    shutil.copytree(clean_cache, cache)
    out = tmp_path / "out" / "page.pdf"
    out.parent.mkdir()
    out.write_bytes(b"%PDF- the previous one")
    replace, _ = _disk_full_at(out, code)
    monkeypatch.setenv("BROADSHEET_CACHE", str(cache))
    monkeypatch.setattr(os, "replace", replace)
    import ctypes

    import layout.files as files

    real_exchange = files.renameat2()

    def exchange(fd, src, fd2, dst, flags):  # (where the names are exchanged: the same failure)
        if real_exchange and not os.fsdecode(dst).startswith(str(out)):
            return real_exchange(fd, src, fd2, dst, flags)
        ctypes.set_errno(code if os.fsdecode(dst).startswith(str(out)) else errno.ENOSYS)
        return -1

    monkeypatch.setattr(files, "_exchange_call", exchange)
    return page, out


def test_a_full_disk_under_the_pdf_is_exit_74(adpage, tmp_path, monkeypatch, capsys):
    import tempfile

    from layout.cli import main

    page, out = _previous_pdf_on_a_failing_disk(adpage, tmp_path, monkeypatch, errno.ENOSPC)
    assert main(["build", str(page / "content.yaml"), "-o", str(out)]) == 74
    err = capsys.readouterr().err
    assert f"cannot write {out}: no space left on the device" in err and "free some space" in err
    assert out.read_bytes() == b"%PDF- the previous one"
    assert [p.name for p in out.parent.iterdir()] == ["page.pdf"]
    # the output folder full before anything is written into it
    _, mkstemp = _disk_full_at(out.parent)
    monkeypatch.setattr(tempfile, "mkstemp", mkstemp)
    assert main(["build", str(page / "content.yaml"), "-o", str(out), "--json"]) == 74
    failure = json.loads(capsys.readouterr().out)
    assert failure["type"] == "failure" and "no space left" in failure["error"]


@pytest.mark.parametrize("code,status,words", [
    (errno.EDQUOT, 74, "the disk quota is used up"), (errno.EFBIG, 74, "file-size limit (ulimit -f)"),
    (errno.EIO, 74, "an input/output error"), (errno.EACCES, 1, "Permission denied"),
    (errno.EROFS, 1, "Read-only file system")])
def test_each_write_error_has_its_status_and_words(adpage, tmp_path, monkeypatch, capsys, code, status, words):
    from layout.cli import main

    page, out = _previous_pdf_on_a_failing_disk(adpage, tmp_path, monkeypatch, code)
    assert main(["build", str(page / "content.yaml"), "-o", str(out)]) == status
    err = capsys.readouterr().err
    assert f"cannot write {out}: " in err and words in err and "hint:" in err and "internal error" not in err
    assert out.read_bytes() == b"%PDF- the previous one"
    assert [p.name for p in out.parent.iterdir()] == ["page.pdf"]


def test_a_full_cache_disk_costs_a_note_not_the_build(adpage, tmp_path, monkeypatch):
    """Nothing can be written to the cache: the photos go to a private temporary folder, the
    PDF is the clean build's, and the report says so."""
    import tempfile

    from layout.build import BuildOptions, build

    page, _, ref = adpage
    cache = tmp_path / "cache"
    cache.mkdir()
    replace, mkstemp = _disk_full_at(cache)
    monkeypatch.setattr(os, "replace", replace)
    monkeypatch.setattr(tempfile, "mkstemp", mkstemp)
    out = tmp_path / "out" / "page.pdf"
    out.parent.mkdir()
    report = build(page / "content.yaml", BuildOptions(output=out, cache_dir=cache))
    assert out.read_bytes() == ref
    unwritable = [f.message for f in report.findings if getattr(f, "code", "") == "cache-unwritable"]
    assert unwritable and all("No space left on device" in m for m in unwritable)
    # (empty lock files only; the SQLite databases are written by SQLite itself, which the patched
    # functions cannot fail: test_a_small_full_tmpfs fills a real disk)
    assert not [p for p in cache.rglob("*") if p.is_file() and p.stat().st_size and p.suffix != ".sqlite"]


def _can_mount() -> bool:
    if os.geteuid() != 0 or not shutil.which("unshare"):
        return False
    return subprocess.run(["unshare", "-m", "sh", "-c", "mount -t tmpfs -o size=64k tmpfs /mnt"],
                          capture_output=True).returncode == 0


@pytest.mark.skipif(not _can_mount(), reason="needs root and mount namespaces for a private tmpfs")
def test_a_small_full_tmpfs(adpage, tmp_path):
    """A real full file system (a 1 MB tmpfs in a private mount namespace): the PDF there is exit
    74 with the previous file intact and nothing left beside it; the cache there costs notes."""
    page, clean_cache, ref = adpage
    disk, ro = tmp_path / "disk", tmp_path / "ro"
    disk.mkdir()
    ro.mkdir()
    cache = tmp_path / "cache"
    shutil.copytree(clean_cache, cache)
    out = disk / "page.pdf"
    build = f'"{PY}" -m layout build "{page / "content.yaml"}"'
    script = (f'mount -t tmpfs -o size=1m tmpfs "{disk}" && printf old > "{out}" && '
              f'BROADSHEET_CACHE="{cache}" {build} -o "{out}" 2>"{tmp_path}/err"; '
              f'echo "status=$?"; cat "{out}"; echo; ls -A "{disk}"; '
              f'BROADSHEET_CACHE="{disk}/cache" {build} -o "{tmp_path}/ok/page.pdf" --json > "{tmp_path}/report.json"; '
              f'echo "second=$?"; '
              f'mount -t tmpfs -o size=1m,ro tmpfs "{ro}" && BROADSHEET_CACHE="{cache}" {build} -o "{ro}/page.pdf" '
              f'2>"{tmp_path}/err-ro"; echo "read-only=$?"')
    (tmp_path / "ok").mkdir()
    r = subprocess.run(["unshare", "-m", "sh", "-c", script], capture_output=True, text=True, timeout=600)
    lines = r.stdout.splitlines()
    err = (tmp_path / "err").read_text()
    assert lines[0] == "status=74", (r.stdout, err)
    assert f"cannot write {out}: no space left on the device" in err and "Traceback" not in err
    assert lines[1] == "old" and lines[2:4] == ["page.pdf", "second=0"], r.stdout
    assert (tmp_path / "ok" / "page.pdf").read_bytes() == ref
    assert notes((tmp_path / "report.json").read_text(), "cache-unwritable")
    # a read-only file system: exit 1, the folder named
    assert lines[4] == "read-only=1", r.stdout
    assert f"output folder {ro} is not writable (Read-only file system)" in (tmp_path / "err-ro").read_text()


@pytest.mark.skipif(not _can_mount(), reason="needs root and mount namespaces for a private tmpfs")
def test_an_edition_on_a_full_disk_exits_74(root, tmp_path):
    """An edition whose pages cannot be written (a 1 MB tmpfs) fails with 74, as one page does,
    not with the status of a page's bad input; each page's outcome carries its status."""
    ed = tmp_path / "ed"
    ed.mkdir()
    shutil.copytree(root / "images", ed / "images")
    shutil.copy(root / "content.yaml", ed / "p1.yaml")
    shutil.copy(root / "content.yaml", ed / "p2.yaml")
    (ed / "edition.yaml").write_text("paper: 株洲日报\ndate: 2024-10-31\npages: [p1.yaml, p2.yaml]\n", encoding="utf-8")
    disk = tmp_path / "disk"
    disk.mkdir()
    script = (f'mount -t tmpfs -o size=1m tmpfs "{disk}" && BROADSHEET_CACHE="{tmp_path}/cache" '
              f'"{PY}" -m layout build "{ed / "edition.yaml"}" --proof -o "{disk}/out" --json > "{tmp_path}/report.json"; '
              f'echo "status=$?"')
    r = subprocess.run(["unshare", "-m", "sh", "-c", script], capture_output=True, text=True, timeout=600)
    assert r.stdout.splitlines()[-1] == "status=74", (r.stdout, r.stderr)
    pages = json.loads((tmp_path / "report.json").read_text(encoding="utf-8"))["pages"]
    assert [p["status"] for p in pages] == [74, 74], pages
    assert all("no space left on the device" in p["error"] for p in pages), pages


# ------------------------------------------------------------------------------------------------
# paths: outside, special, links (the page's own cases are in tests/bad)
# ------------------------------------------------------------------------------------------------


def test_the_content_file_of_proc_is_never_quoted(tmp_path):
    env = {"BS_SECRET_MARKER": "do-not-print-me", **os.environ, "BROADSHEET_CACHE": str(tmp_path / "c")}
    r = subprocess.run([PY, "-m", "layout", "build", "/proc/self/environ", "-o", str(tmp_path / "x.pdf")],
                       capture_output=True, text=True, env=env, timeout=120)  # (the marker first in the file)
    clean(r)
    assert r.returncode == 1
    assert "do-not-print-me" not in r.stderr + r.stdout and "BS_SECRET_MARKER" not in r.stderr + r.stdout


def test_an_edition_reads_only_its_own_folder(tmp_path, root):
    ed = tmp_path / "ed"
    shutil.copytree(root / "images", ed / "images")
    shutil.copy(root / "content.yaml", ed / "p1.yaml")
    os.symlink("/etc/passwd", ed / "linked.yaml")
    os.mkfifo(ed / "fifo.yaml")
    (ed / "edition.yaml").write_text("paper: x\npages:\n  - p1.yaml\n  - /etc/passwd\n  - linked.yaml\n  - fifo.yaml\n"
                                     "  - images/factory-ba.jpg\n  - ../elsewhere.yaml\n", encoding="utf-8")
    r = run("build", ed / "edition.yaml", "--proof", cache=tmp_path / "c")
    clean(r)
    assert r.returncode == 1 and "root:x:0:0" not in r.stderr
    found = re.findall(r"edition.yaml:(\d+):5: error: (.*)", r.stderr)
    assert found == [("4", "page path '/etc/passwd' leaves the edition's folder"),
                     ("5", "page path 'linked.yaml' leaves the edition's folder"),
                     ("6", "page path 'fifo.yaml' is a FIFO (named pipe), not a file"),
                     ("7", "page file 'images/factory-ba.jpg' is not a content file (.yaml)"),
                     ("8", "page path '../elsewhere.yaml' leaves the edition's folder")], r.stderr
    # the booking list, and the files it books, follow the same rule
    (ed / "edition.yaml").write_text("paper: x\npages: [p1.yaml]\nads: /etc/passwd\n", encoding="utf-8")
    r = run("build", ed / "edition.yaml", "--proof", cache=tmp_path / "c")
    assert r.returncode == 1 and "booking list path '/etc/passwd' leaves the edition's folder" in r.stderr
    (ed / "edition.yaml").write_text("paper: x\npages: [p1.yaml]\n", encoding="utf-8")
    (ed / "ads.yaml").write_text("ads:\n  - {id: a, advertiser: x, size: 通栏, page: 1, file: /etc/passwd}\n"
                                 "  - {id: b, advertiser: y, size: 通栏, page: 1, file: fifo.yaml}\n", encoding="utf-8")
    r = run("build", ed / "edition.yaml", "--proof", "--json", cache=tmp_path / "c")
    clean(r)
    assert r.returncode == 0, r.stderr
    rows = {a["id"]: a for a in json.loads(r.stdout)["ads"]}
    assert rows["a"]["reason"] == "file" and "leaves the edition's folder" in rows["a"]["message"]
    assert rows["b"]["reason"] == "file" and "FIFO" in rows["b"]["message"]


# ------------------------------------------------------------------------------------------------
# diagnostics that once exploded
# ------------------------------------------------------------------------------------------------


def _overlapping(page: Path, n: int) -> Path:
    text = (page / "content.yaml").read_text(encoding="utf-8")
    arts = "".join(f"  - id: a{i}\n    frame: {{column: 1, columns: 4, line: 1, lines: 20}}\n"
                   f"    headline: {{text: 标题{i}, size: 20pt}}\n    body: [文]\n" for i in range(n))
    f = page / f"over{n}.yaml"
    f.write_text(text[:text.index("articles:")] + "articles:\n" + arts, encoding="utf-8")
    return f


@pytest.mark.parametrize("n", [200, 10_000])
def test_overlapping_articles_give_bounded_diagnostics(seed_copy, tmp_path, n):
    """Every article overlaps the first: 20 are shown and the rest counted (200 articles once gave
    19,900 errors; 10,000 ran past a minute and 6 GB)."""
    f = _overlapping(seed_copy, n)
    r = run("check", f, "--json", cache=tmp_path / "c")
    assert r.returncode == 1
    diags = json.loads(r.stdout)["diagnostics"]
    shown = [d for d in diags if d["code"] == "overlap"]
    assert len(shown) == 20 and shown[0]["message"] == "article 'a1' overlaps article 'a0'"
    [more] = [d for d in diags if d["code"] == "more"]
    assert f"and {n - 21:,} more errors of this kind (overlap)" in more["message"]
    r = run("check", f, cache=tmp_path / "c")
    assert f"broadsheet: {n - 1} errors; no PDF written" in r.stderr
    assert r.stderr.count(": error: article '") == 20


def test_place_auto_refuses_a_hundred_stories_at_once(seed_copy, tmp_path):
    text = (seed_copy / "content.yaml").read_text(encoding="utf-8")
    arts = "".join(f"  - id: a{i}\n    headline: {{text: 标题{i}, size: 20pt}}\n    body: [文文文文文文文文]\n"
                   for i in range(100))
    f = seed_copy / "many.yaml"
    f.write_text("place: auto\n" + text[:text.index("articles:")] + "articles:\n" + arts, encoding="utf-8")
    r = run("check", f, cache=tmp_path / "c")
    clean(r)
    assert r.returncode == 1 and "place: auto lays out at most 60 stories on a page; this page has 100" in r.stderr


@pytest.mark.parametrize("where,words", [("loop/page.pdf", "is a loop of symbolic links"),
                                         ("dangling/page.pdf", "is a symbolic link that leads nowhere"),
                                         ("loop", "is a loop of symbolic links, not a file")])
def test_an_output_path_through_bad_links_is_named(seed_copy, tmp_path, where, words):
    (tmp_path / "loop").symlink_to(tmp_path / "loop2")
    (tmp_path / "loop2").symlink_to(tmp_path / "loop")
    (tmp_path / "dangling").symlink_to(tmp_path / "nowhere")
    r = run("build", seed_copy / "content.yaml", "-o", tmp_path / where, cache=tmp_path / "c")
    clean(r)
    assert r.returncode == 1 and words in r.stderr, r.stderr
    assert not (tmp_path / "nowhere").exists()


@pytest.mark.parametrize("command", ["build", "check", "preview", "preflight", "plan", "diff"])
def test_a_fifo_on_the_command_line_is_refused_not_opened(tmp_path, command):
    fifo = tmp_path / "in.pdf"
    os.mkfifo(fifo)
    args = [command, fifo] + ([fifo] if command == "diff" else [])
    r = run(*args, cache=tmp_path / "c")  # (opened, it would block until the timeout)
    clean(r)
    assert r.returncode == (2 if command == "diff" else 1)
    assert "is a FIFO (named pipe), not a file" in r.stderr, r.stderr


def test_a_page_fonts_config_that_is_special_or_outside(seed_copy, tmp_path):
    (seed_copy / "fonts").mkdir()
    os.mkfifo(seed_copy / "fonts" / "fonts.yaml")
    r = run("check", seed_copy / "content.yaml", cache=tmp_path / "c")
    clean(r)
    assert r.returncode == 1 and "font config path 'fonts/fonts.yaml' is a FIFO" in r.stderr
    (seed_copy / "fonts" / "fonts.yaml").unlink()
    (seed_copy / "fonts" / "fonts.yaml").symlink_to("/etc/passwd")
    r = run("check", seed_copy / "content.yaml", cache=tmp_path / "c")
    assert r.returncode == 1 and "leaves the page's folder" in r.stderr and "root:x" not in r.stderr


def test_a_damaged_font_pack_gives_no_glyph_from_it(tmp_path):
    """The set-up's prepared outlines (layout/fonts/data): a pack whose index is damaged is not
    used at all, a glyph whose bytes are damaged is made from the font instead (never embedded)."""
    from layout.render.embed import Pack, write_pack

    glyphs = {1: (0, b"\x8b\x8b\x15\x0e"), 2: (0, b"\x8b\xf7\x00\x15\x0e"), 5: (1, b"\x0e")}
    pack = tmp_path / "face.pack"
    write_pack(pack, glyphs, 8)
    good = Pack(pack)
    assert [good.get(g) for g in (1, 2, 5)] == [glyphs[1], glyphs[2], glyphs[5]]
    assert good.get(3) is None and good.get(99) is None

    data = bytearray(pack.read_bytes())
    data[-1] ^= 0xFF  # the last glyph's charstring
    pack.write_bytes(bytes(data))
    flipped = Pack(pack)
    assert flipped.get(5) is None and flipped.get(1) == glyphs[1]

    data = bytearray(pack.read_bytes())
    data[50] ^= 0xFF  # inside the index
    pack.write_bytes(bytes(data))
    with pytest.raises(ValueError):
        Pack(pack)
