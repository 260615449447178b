"""Bad input never crashes, never corrupts, never escapes the page's folder (issue 7).

Every file in ``tests/bad/`` is one bad page. Its header comment says what the build must do
(see ``tests/bad/README.md``); this module builds it through the real command line
(``python -m layout build FILE -o OUT`` in a subprocess) from a page folder that holds copies of
the seed's photos and a few damaged pictures, so only the intended defect is present, and checks:

* the exit status (1 input error, 2 usage, 0 with a warning, 3 a --strict failure),
* the diagnostic ``file:line:column: severity:`` (exact line and column where one exists), with a
  substring of its message and of its hint,
* no traceback and no "internal error" (exit 70 is a bug, whatever the input),
* no PDF and no temporary file (``.*.tmp``) left in the output folder when the build fails, and
  a PDF when it succeeds,
* optional: lines of the build report, a time limit, files that must not appear, text that must
  not be printed (the content of a file that is not a page).
"""

from __future__ import annotations

import io
import os
import shutil
import struct
import subprocess
import sys
import time
import zlib
from pathlib import Path

import pytest
import yaml

HERE = Path(__file__).resolve().parent
BAD = HERE / "bad"
ROOT = HERE.parent
PY = sys.executable

KNOWN_KEYS = {"status", "at", "severity", "message", "hint", "args", "input", "output", "report", "pdf",
              "max_seconds", "absent", "known_bug", "also", "hidden"}


# ------------------------------------------------------------------------------------------------
# the cases
# ------------------------------------------------------------------------------------------------


def read_case(path: Path) -> tuple[str, dict]:
    """(description, expectations) from the header comment of a case file."""
    raw = path.read_bytes()
    encoding = "utf-16" if raw[:2] in (b"\xff\xfe", b"\xfe\xff") else "utf-8"  # (the UTF-16 case)
    text = raw.decode(encoding, errors="replace").lstrip("\ufeff")
    header: list[str] = []
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        header.append(line[2:] if line.startswith("# ") else line[1:])
    try:
        at = next(i for i, line in enumerate(header) if line.rstrip() == "expect:")
    except StopIteration:
        raise AssertionError(f"{path.name}: the header has no `expect:` block") from None
    description = " ".join(line.strip() for line in header[:at]).strip()
    block = [header[at]]
    for line in header[at + 1:]:
        if not line.startswith(" "):
            break
        block.append(line)
    expect = yaml.safe_load("\n".join(block))["expect"]
    unknown = set(expect) - KNOWN_KEYS
    assert not unknown, f"{path.name}: unknown expectation keys {sorted(unknown)}"
    assert isinstance(expect.get("status"), int), f"{path.name}: `status:` is required"
    return description, expect


CASES = sorted(p for p in BAD.iterdir() if p.suffix == ".yaml")


def test_corpus_is_large_and_well_formed():
    assert len(CASES) >= 50
    names = [p.name for p in CASES]
    assert len(names) == len(set(names))
    for p in CASES:
        _, expect = read_case(p)
        if expect["status"] in (1, 2) and expect.get("at") != "none":
            assert expect.get("message"), f"{p.name}: an error case needs `message:`"


# ------------------------------------------------------------------------------------------------
# the page folder: the seed's photos, damaged pictures, a fake font
# ------------------------------------------------------------------------------------------------


def png_bomb(width: int = 40_000, height: int = 40_000) -> bytes:
    """A 100-byte PNG whose header claims ``width`` x ``height`` RGB pixels."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(b"\0" * 64)) + chunk(b"IEND", b""))


def jpeg_bomb(width: int = 40_000, height: int = 40_000) -> bytes:
    """A small JPEG whose frame header (SOF0) is patched to claim ``width`` x ``height``."""
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (16, 16), (200, 30, 30)).save(buf, "JPEG")
    data = bytearray(buf.getvalue())
    sof = data.find(b"\xff\xc0")
    data[sof + 5: sof + 9] = struct.pack(">HH", height, width)
    return bytes(data)


@pytest.fixture(scope="module")
def page(tmp_path_factory) -> Path:
    """One page folder shared by all cases (the photos are copied once)."""
    folder = tmp_path_factory.mktemp("page")
    images = folder / "images"
    images.mkdir()
    for name in ("wanfeng-lake.jpg", "factory-ba.jpg", "power-valley.jpg"):
        shutil.copyfile(ROOT / "images" / name, images / name)
    good = (images / "wanfeng-lake.jpg").read_bytes()
    (images / "truncated.jpg").write_bytes(good[: len(good) // 3])
    (images / "empty.jpg").write_bytes(b"")
    (images / "not-a-picture.jpg").write_text("<html><body>404 Not Found</body></html>\n", encoding="utf-8")
    (images / "bomb.png").write_bytes(png_bomb())
    (images / "bomb.jpg").write_bytes(jpeg_bomb())
    (folder / "fonts").mkdir()
    (folder / "fonts" / "not-a-font.ttf").write_text("this is not a font\n", encoding="utf-8")
    # special files and links (issue 20): never opened, named as what they are
    os.mkfifo(images / "fifo.jpg")
    os.mkfifo(folder / "fonts" / "fifo.ttf")
    os.symlink("loop-b.jpg", images / "loop-a.jpg")
    os.symlink("loop-a.jpg", images / "loop-b.jpg")
    os.symlink("nowhere.jpg", images / "dangling.jpg")
    os.symlink("/etc/passwd", images / "passwd.jpg")
    os.symlink("/etc/passwd", folder / "passwd.yaml")
    (folder / "notes.txt").write_text("SECRET-NOTE: not a page\n", encoding="utf-8")
    (folder / "list.yaml").write_text("- SECRET-ITEM\n- another\n", encoding="utf-8")
    return folder


def _unwritable_folder(base: Path) -> Path | None:
    """A folder the build cannot write in: read-only for an ordinary user; as root (who may write
    anywhere on a normal file system) sysfs, where nobody may create files."""
    if os.geteuid() != 0:
        d = base / "read-only"
        d.mkdir()
        d.chmod(0o555)
        return d
    sys_ = Path("/sys/kernel")
    return sys_ if sys_.is_dir() else None


# ------------------------------------------------------------------------------------------------
# running one case
# ------------------------------------------------------------------------------------------------


def _blocks(stderr: str) -> list[list[str]]:
    """stderr split into diagnostics: a block starts at an unindented line."""
    blocks: list[list[str]] = []
    for line in stderr.splitlines():
        if line and not line[0].isspace():
            blocks.append([line])
        elif blocks:
            blocks[-1].append(line)
    return blocks


def _check_diagnostic(blocks, shown: str, want: dict, case: str) -> None:
    at = str(want.get("at", "file"))
    severity = want.get("severity") or ("warning" if want.get("status", 1) == 0 else "error")
    message = want.get("message", "")
    if at == "none":  # not about a place in the file (usage, output folder): "broadsheet: error: ..."
        hits = [b for b in blocks if message in b[0]]
    else:
        prefix = f"{shown}: {severity}: " if at == "file" else f"{shown}:{at}: {severity}: "
        hits = [b for b in blocks if b[0].startswith(prefix) and message in b[0]]
    assert hits, (f"{case}: no diagnostic `{shown}:{at}: {severity}: ...{message}...`; got:\n"
                  + "\n".join(b[0] for b in blocks))
    if want.get("hint"):
        hints = [line.strip() for b in hits for line in b[1:] if line.strip().startswith("hint:")]
        hints += [b[0] for b in blocks if b[0].startswith("hint:")]  # usage errors print it unindented
        assert any(want["hint"] in h for h in hints), f"{case}: hint {want['hint']!r} not in {hints}"


def run_case(path: Path, page: Path, tmp_path: Path) -> None:
    _, expect = read_case(path)
    name = path.name
    shutil.copyfile(path, page / name)
    shown = name
    kind = expect.get("input")
    if kind == "zero-bytes":
        shown = f"{path.stem}.empty.yaml"
        (page / shown).write_bytes(b"")
    elif kind == "directory":
        shown = f"{path.stem}.d"
        (page / shown).mkdir(exist_ok=True)
    elif kind == "missing":
        shown = f"{path.stem}.not-there.yaml"
    elif kind == "fifo":
        shown = f"{path.stem}.fifo.yaml"
        if not (page / shown).exists():
            os.mkfifo(page / shown)
    elif kind == "device":
        shown = "/dev/zero"
    else:
        assert kind is None, f"{name}: unknown input kind {kind!r}"

    out_dir = tmp_path / "out"
    out_dir.mkdir()
    out = out_dir / "page.pdf"
    where = expect.get("output")
    if where == "missing-folder":
        out = out_dir / "no-such-folder" / "page.pdf"
    elif where == "parent-is-a-file":
        (out_dir / "a-file").write_text("x")
        out = out_dir / "a-file" / "page.pdf"
    elif where == "is-a-folder":
        out = out_dir / "page.pdf"
        out.mkdir()
    elif where == "fifo":  # (renaming over it would replace it; writing into it would block)
        out = out_dir / "page.pdf"
        os.mkfifo(out)
    elif where == "unwritable-folder":
        d = _unwritable_folder(tmp_path)
        if d is None:
            pytest.skip("no unwritable folder on this machine")
        out = d / "page.pdf"
    else:
        assert where is None, f"{name}: unknown output kind {where!r}"

    before = set(page.iterdir())
    t0 = time.perf_counter()
    r = subprocess.run([PY, "-m", "layout", "build", shown, "-o", str(out), *map(str, expect.get("args", []))],
                       capture_output=True, text=True, cwd=page, timeout=120,
                       env={**os.environ, "BROADSHEET_DEBUG": ""})
    seconds = time.perf_counter() - t0

    problems: list[str] = []

    def check(ok: bool, what: str):
        if not ok:
            problems.append(what)

    check("Traceback" not in r.stderr and "Traceback" not in r.stdout, "a traceback was printed")
    check("internal error" not in r.stderr, "an internal error (exit 70) was reported")
    check(r.returncode == expect["status"], f"exit status {r.returncode}, expected {expect['status']}")
    blocks = _blocks(r.stderr)
    for want in [expect] + list(expect.get("also", [])):
        if want is expect and "message" not in expect:
            continue
        try:
            _check_diagnostic(blocks, shown, {"status": expect["status"], **want}, name)
        except AssertionError as e:
            problems.append(str(e))
    for line in expect.get("report", []):
        check(line in r.stdout, f"report line {line!r} not in stdout")
    for text in expect.get("hidden", []):  # (a file that is not a page is never quoted)
        check(text not in r.stdout and text not in r.stderr, f"{text!r} was printed")
    if "max_seconds" in expect:  # (reported, not asserted: a busy machine is slow; a hang meets the timeout)
        print(f"{name}: {seconds:.1f} s (expected well under {expect['max_seconds']} s)")
    for absent in expect.get("absent", []):
        check(not (page / absent).exists(), f"{absent} was created")
    # nothing half-written, ever; a PDF only from a build that succeeded
    if where != "unwritable-folder":
        leftovers = sorted(p.name for p in out_dir.rglob(".*.tmp")) + sorted(p.name for p in page.glob(".*.tmp"))
        check(not leftovers, f"temporary files left behind: {leftovers}")
        want_pdf = expect.get("pdf", expect["status"] == 0)
        if want_pdf:
            check(out.is_file() and out.read_bytes()[:5] == b"%PDF-", "no PDF was written")
        else:
            written = sorted(str(p.relative_to(out_dir)) for p in out_dir.rglob("*")
                             if p.is_file() and p.name != "a-file")  # (a FIFO is no file: not counted)
            check(not written, f"files written despite the failure: {written}")
    check(set(page.iterdir()) - before <= {page / shown}, f"files appeared in the page folder: "
          f"{sorted(p.name for p in set(page.iterdir()) - before)}")

    report = f"{name}: " + "; ".join(problems) + f"\n--- stderr ---\n{r.stderr}\n--- stdout ---\n{r.stdout[-2000:]}"
    if expect.get("known_bug"):
        if problems:
            pytest.xfail(f"known bug: {expect['known_bug']} ({problems[0][:160]})")
        pytest.fail(f"{name}: the known bug is fixed; remove `known_bug:` from the case ({expect['known_bug']})")
    assert not problems, report


@pytest.mark.parametrize("case", CASES, ids=[p.stem for p in CASES])
def test_bad_input(case: Path, page: Path, tmp_path: Path):
    run_case(case, page, tmp_path)


# ------------------------------------------------------------------------------------------------
# bombs refused before they go off (from the header; before the aliases are expanded)
# ------------------------------------------------------------------------------------------------


def _no_decoding():
    """A context in which decoding any picture's pixels fails the test: refused from the header."""
    from unittest import mock

    from PIL import Image

    def refuse(self, *a, **k):
        raise AssertionError("the picture's pixels were decoded")

    return mock.patch.object(Image.Image, "load", refuse)


@pytest.mark.parametrize("make", [png_bomb, jpeg_bomb], ids=["png", "jpeg"])
def test_image_bombs_refused_from_the_header(make, tmp_path):
    from layout.assets.images import ImageError, inspect

    p = tmp_path / ("bomb.png" if make is png_bomb else "bomb.jpg")
    p.write_bytes(make())
    with _no_decoding(), pytest.raises(ImageError) as e:
        inspect(p)
    assert "too large" in e.value.message


def test_alias_bomb_refused():
    from layout.errors import InputError
    from layout.model.source import load_text

    text = (BAD / "safety-billion-laughs.yaml").read_text(encoding="utf-8")
    with pytest.raises(InputError) as e:
        load_text(text, "bomb.yaml")  # (expanded, it would not end: the suite's timeout is the guard)
    assert "alias bomb" in e.value.diagnostics[0].message
