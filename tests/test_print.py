"""`broadsheet print`: proof sheets for the office printer, read back as a printer gets them.

The sheets are checked twice: as written (``--dry-run -o FILE``, exactly the PDF that would be
sent: its sheet sizes, the page's placement matrix, its labels, no guides), and as they arrive
at a printer: a private CUPS server (tests/cups_support.py) with a cups-pdf virtual printer
receives real jobs over IPP, runs CUPS's filters and writes the PDF the printer would have
printed, which is read with poppler (pdfinfo, pdftotext) and pikepdf.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pikepdf
import pytest

from cups_support import PrivateCups, can_run

from layout.build import BuildOptions, build
from layout.proof.cups import EXIT_NO_PRINTER, EXIT_NO_SERVER, EXIT_OFFLINE, EXIT_REFUSED
from layout.proof.impose import MM, OVERLAP, SHEETS, fit_layout, tile_layout

A3, A4 = SHEETS["a3"], SHEETS["a4"]
GUIDE_COLOURS = {(0.7, 0.0, 0.0, 0.0), (0.0, 0.7, 0.0, 0.0)}  # layout/compose/guides.py: CYAN, MAGENTA


def cli(*args, env=None, timeout=300) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "layout", "print", *map(str, args)], capture_output=True,
                          text=True, env=env, timeout=timeout)


def sheet_texts(path: Path) -> list[str]:
    """The text of each sheet (poppler), in order; in content-stream order, so that the sheet's
    labels, drawn last, are not interleaved with page text clipped away beside them."""
    n = int(re.search(r"Pages:\s+(\d+)", subprocess.run(["pdfinfo", str(path)], capture_output=True,
                                                          text=True, check=True).stdout).group(1))
    return [subprocess.run(["pdftotext", "-f", str(i), "-l", str(i), "-raw", str(path), "-"],
                           capture_output=True, text=True, check=True).stdout for i in range(1, n + 1)]


def sizes(path: Path) -> list[tuple[float, float]]:
    with pikepdf.open(path) as pdf:
        return [(float(p.mediabox[2] - p.mediabox[0]), float(p.mediabox[3] - p.mediabox[1])) for p in pdf.pages]


def is_sheet(size, sheet, tol=1.5) -> bool:
    w, h = size
    return (abs(w - sheet.width) < tol and abs(h - sheet.height) < tol) or \
        (abs(w - sheet.height) < tol and abs(h - sheet.width) < tol)


def stroke_colours(path: Path) -> dict[tuple, int]:
    """CMYK colours set in every content stream of the file (forms included), with their counts."""
    out: dict[tuple, int] = {}
    with pikepdf.open(path) as pdf:
        seen = set()

        def walk(obj, res):
            for operands, op in pikepdf.parse_content_stream(obj):
                if str(op) in ("K", "k"):
                    key = tuple(round(float(v), 2) for v in operands)
                    out[key] = out.get(key, 0) + 1
                elif str(op) == "Do" and res is not None and "/XObject" in res and operands[0] in res.XObject:
                    x = res.XObject[operands[0]]
                    if x.get("/Subtype") == pikepdf.Name.Form and x.objgen not in seen:
                        seen.add(x.objgen)
                        walk(x, x.get("/Resources", res))

        for page in pdf.pages:
            walk(page, page.get("/Resources"))
    return out


def guide_strokes(path: Path) -> int:
    return sum(n for c, n in stroke_colours(path).items() if c in GUIDE_COLOURS)


@pytest.fixture(scope="module")
def seed_press(tmp_path_factory, root, newsprint) -> Path:
    out = tmp_path_factory.mktemp("press") / "seed.pdf"
    build(root / "content.yaml", BuildOptions(output=out))
    return out


@pytest.fixture(scope="module")
def seed_guides(tmp_path_factory, root) -> Path:
    """A proof with its guides on the non-printing Guides layer (`build --guides`)."""
    out = tmp_path_factory.mktemp("guides") / "seed-guides.pdf"
    build(root / "content.yaml", BuildOptions(output=out, proof=True, guides=True))
    with pikepdf.open(out) as pdf:
        assert str(pdf.Root.OCProperties.OCGs[0].Name) == "Guides"
    assert guide_strokes(out) > 0
    return out


@pytest.fixture(scope="module")
def edition(tmp_path_factory, root) -> Path:
    """Four pages: the seed and the Berliner page, twice (folios number themselves 1-4)."""
    folder = tmp_path_factory.mktemp("edition")
    import shutil

    for name in ("seed", "berliner"):  # (an edition's pages lie in its folder: the example's copies)
        shutil.copytree(root / "examples" / "edition" / name, folder / name, ignore=shutil.ignore_patterns("output"))
    pages = "\n".join(f"  - {p}" for p in ["seed/content.yaml", "berliner/content.yaml"] * 2)
    (folder / "edition.yaml").write_text(f"paper: 株洲日报\ndate: 2024-10-31\ncombined: false\npages:\n{pages}\n",
                                         encoding="utf-8")
    return folder / "edition.yaml"


# -- the sheets, as written ------------------------------------------------------------------------


def test_fit_is_one_a3_sheet_with_scale_crop_marks_and_slug(tmp_path, root, newsprint):
    out = tmp_path / "fit.pdf"
    r = cli(root / "content.yaml", "--dry-run", "-o", out, "--sheet", "a3")
    assert r.returncode == 0, r.stderr
    assert "1 A3 sheet" in r.stdout and "scale 70 %" in r.stdout
    assert sizes(out) == [pytest.approx((A3.width, A3.height), abs=0.01)]
    (text,) = sheet_texts(out)
    assert "p3 · seed.pdf · fitted to A3" in text and "scale 70 %" in text and "trim 390 x 545 mm" in text
    assert re.search(r"slug: seed\.pdf · page 3 · 2024-10-31 00:00 · C M Y K", text)
    with pikepdf.open(out) as pdf:
        page = pdf.pages[0]
        form = page.Resources.XObject.P
        trim = [float(v) for v in form.BBox]
        assert (trim[2] - trim[0], trim[3] - trim[1]) == pytest.approx((390 * MM, 545 * MM), abs=0.01)
        ops = pikepdf.parse_content_stream(page)
        (cm,) = [[float(v) for v in o] for o, op in ops if str(op) == "cm"]
        assert cm[0] == cm[3] == 0.70 and cm[1] == cm[2] == 0  # proportional, as the note says
        x0, y0 = cm[0] * trim[0] + cm[4], cm[3] * trim[1] + cm[5]
        x1, y1 = x0 + 0.7 * (trim[2] - trim[0]), y0 + 0.7 * (trim[3] - trim[1])
        assert x0 >= 6 * MM and y0 >= 6 * MM and x1 <= A3.width - 6 * MM and y1 <= A3.height - 6 * MM
        lines = [[float(v) for v in o] for o, op in ops if str(op) in ("m", "l")]
        corners = {(round(x0, 1), round(y0, 1)), (round(x1, 1), round(y0, 1)), (round(x0, 1), round(y1, 1)),
                   (round(x1, 1), round(y1, 1))}
        ends = {(round(x, 1), round(y, 1)) for x, y in lines}
        # each corner has a horizontal and a vertical crop mark starting 1.5 mm away from it
        for cx, cy in corners:
            assert any(abs(abs(x - cx) - 1.5 * MM) < 0.2 and abs(y - cy) < 0.2 for x, y in ends), (cx, cy)
            assert any(abs(abs(y - cy) - 1.5 * MM) < 0.2 and abs(x - cx) < 0.2 for x, y in ends), (cx, cy)


def test_nine_point_body_prints_at_six(tmp_path):
    """What the scale means on the desk: the seed page's 9 pt body on A3 and A4."""
    assert fit_layout(390 * MM, 545 * MM, A3)[2] == 0.70  # 9 pt -> 6.3 pt
    assert fit_layout(390 * MM, 545 * MM, A4)[2] == 0.47  # 9 pt -> 4.2 pt: tile A4 instead
    assert tile_layout(390 * MM, 545 * MM, A4)[2:4] in ((3, 2), (2, 3))


def test_tiles_are_one_to_one_with_overlaps_and_numbered(tmp_path, seed_press):
    out = tmp_path / "tiles.pdf"
    r = cli(seed_press, "--dry-run", "-o", out, "--sheet", "a4", "--tile")
    assert r.returncode == 0, r.stderr
    got = sizes(out)
    assert len(got) >= 6 and all(is_sheet(s, A4, 0.01) for s in got)
    texts = sheet_texts(out)
    labels = [re.search(r"p3 · tile (\d+)/(\d+) · row (\d+) col (\d+)", t).groups() for t in texts]
    n = len(labels)
    assert [int(t) for t, *_ in labels] == list(range(1, n + 1)) and {int(m) for _, m, _, _ in labels} == {n}
    cols = max(int(c) for *_, c in labels)
    assert f"right: tile 2, below: tile {cols + 1}" in texts[0]  # where the neighbours are
    with pikepdf.open(out) as pdf:
        moves = []
        for page in pdf.pages:
            (cm,) = [[float(v) for v in o] for o, op in pikepdf.parse_content_stream(page) if str(op) == "cm"]
            assert cm[:4] == [1, 0, 0, 1]  # 1:1
            moves.append(cm[4:])
        # neighbours in a row are shifted by the tile's width less the overlap
        (w, h) = got[0]
        assert moves[0][0] - moves[1][0] == pytest.approx(w - 12 * MM - OVERLAP, abs=0.01)
        assert moves[cols][1] - moves[0][1] == pytest.approx(h - 12 * MM - 4 * MM - OVERLAP, abs=0.01)
        # assembly marks: a dashed line on every inner edge
        dashes = [sum(1 for _, op in pikepdf.parse_content_stream(p) if str(op) == "d") for p in pdf.pages]
        assert all(d >= 2 for d in dashes)


def test_guides_are_left_out_unless_asked(tmp_path, seed_guides):
    plain, asked = tmp_path / "plain.pdf", tmp_path / "asked.pdf"
    r = cli(seed_guides, "--dry-run", "-o", plain, "--sheet", "a3")
    assert r.returncode == 0, r.stderr
    assert "guides) left out" in r.stdout
    assert guide_strokes(plain) == 0
    with pikepdf.open(plain) as pdf:
        body = pdf.pages[0].Resources.XObject.P.read_bytes()
    assert b"/OC" not in body and b"BDC" not in body
    r = cli(seed_guides, "--dry-run", "-o", asked, "--sheet", "a3", "--guides")
    assert r.returncode == 0, r.stderr
    assert guide_strokes(asked) == guide_strokes(seed_guides)  # all of them, as ordinary content
    with pikepdf.open(asked) as pdf:
        assert b"/OC" not in pdf.pages[0].Resources.XObject.P.read_bytes()


def test_pages_and_usage_errors(tmp_path, seed_press):
    r = cli(seed_press, "--dry-run", "-o", tmp_path / "x.pdf", "--pages", "3")
    assert r.returncode == 0 and "page 3 " in r.stdout
    for args, words in [(["--pages", "7"], "no page 7 here (pages: 3)"), (["--sheet", "b7"], "unknown sheet"),
                        (["--pages", "x-"], "not a page number"), (["--copies", "0"], "from 1 to 999")]:
        r = cli(seed_press, "--dry-run", "-o", tmp_path / "x.pdf", *args)
        assert r.returncode == 2 and words in r.stderr, (args, r.stderr)
    r = cli(seed_press, "--dry-run")
    assert r.returncode == 2 and "-o FILE" in r.stderr
    junk = tmp_path / "junk.pdf"
    junk.write_bytes(b"not a pdf")
    r = cli(junk, "--dry-run", "-o", tmp_path / "x.pdf")
    assert r.returncode == 1 and "not a readable PDF" in r.stderr


# -- through a CUPS server ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def cups_server():
    why = can_run()
    if why:
        pytest.fail(f"cannot run a private CUPS server: {why}")
    server = PrivateCups().start()
    try:
        server.add_pdf_printer("proofs")
        server.add_pdf_printer("stopped")
        server.connection().disablePrinter("stopped", reason="paper jam (test)")
        server.add_pdf_printer("closed")
        server.connection().rejectJobs("closed", reason="closed for the night (test)")
        yield server
    finally:
        server.stop()


def send(server: PrivateCups, *args) -> tuple[subprocess.CompletedProcess, Path]:
    before = server.arrivals()
    r = cli(*args, "--printer", "proofs", "--wait", "--timeout", "120", env=server.env())
    assert r.returncode == 0, r.stdout + r.stderr + server.log()
    return r, server.arrived_after(before)


def test_seed_tiles_arrive_on_a4_in_order(cups_server, root, newsprint):
    r, arrived = send(cups_server, root / "content.yaml", "--sheet", "a4", "--tile")
    assert "job" in r.stdout and "completed" in r.stdout
    got = sizes(arrived)
    assert len(got) == 6 and all(is_sheet(s, A4) for s in got), got
    labels = [re.search(r"p3 · tile (\d+)/6 · row (\d) col (\d)", t) for t in sheet_texts(arrived)]
    assert all(labels), sheet_texts(arrived)
    assert [int(m.group(1)) for m in labels] == [1, 2, 3, 4, 5, 6]


def test_edition_arrives_fitted_to_a3_in_page_order(cups_server, edition):
    r, arrived = send(cups_server, edition, "--sheet", "a3")
    assert "4 A3 sheets of pages 1, 2, 3, 4" in r.stdout
    got = sizes(arrived)
    assert len(got) == 4 and all(is_sheet(s, A3) for s in got), got
    heads = [re.search(r"p(\d+) · (p\d+)\.pdf · fitted to A3", t) for t in sheet_texts(arrived)]
    assert [h.group(1) for h in heads] == ["1", "2", "3", "4"]
    assert [h.group(2) for h in heads] == ["p01", "p02", "p03", "p04"]
    scales = [int(m) for m in re.findall(r"scale (\d+) %", " ".join(sheet_texts(arrived)))]
    assert scales == [70, 82, 70, 82]  # 390 x 545 mm broadsheet and 315 x 470 mm Berliner pages


def test_guides_never_reach_the_printer_unless_asked(cups_server, seed_guides):
    _, plain = send(cups_server, seed_guides, "--sheet", "a3")
    r, asked = send(cups_server, seed_guides, "--sheet", "a3", "--guides", "--copies", "2")
    assert guide_strokes(plain) == 0
    assert guide_strokes(asked) > 0  # the same reading finds them when they were sent
    job = int(re.search(r"as job (\d+)", r.stdout).group(1))
    attrs = cups_server.connection().getJobAttributes(job)
    assert attrs["copies"] == 2 and attrs["media"] == A3.media and attrs["job-state"] == 9  # completed


def test_print_errors_are_one_line_with_their_exit_status(cups_server, seed_press, tmp_path):
    cases = [
        ({"--printer": "nowhere"}, cups_server.env(), EXIT_NO_PRINTER, "no printer 'nowhere'"),
        ({"--printer": "closed"}, cups_server.env(), EXIT_REFUSED, "not accepting jobs"),
        ({"--printer": "stopped"}, cups_server.env(), EXIT_OFFLINE, "is stopped or offline (paused; paper jam (test)); nothing sent"),
        ({"--printer": "proofs", "--server": "127.0.0.1:9"}, None, EXIT_NO_SERVER, "no CUPS server answers at 127.0.0.1:9"),
    ]
    before = cups_server.arrivals()
    for opts, env, status, words in cases:
        args = [x for kv in opts.items() for x in kv]
        r = cli(seed_press, *args, env=env)
        assert r.returncode == status, (opts, r.returncode, r.stderr)
        assert words in r.stderr and r.stderr.count("\n") == 1, r.stderr  # one line
        assert r.stdout == ""
    assert cups_server.arrivals() == before  # nothing was printed
    r = cli(seed_press, "--printer", "proofs", env={k: v for k, v in cups_server.env().items() if k != "CUPS_SERVER"}
            | {"CUPS_SERVER": "127.0.0.1:9"})
    assert r.returncode == EXIT_NO_SERVER


def test_readme_documents_the_exit_statuses(root):
    text = (root / "README.md").read_text(encoding="utf-8")
    for status in (EXIT_NO_SERVER, EXIT_NO_PRINTER, EXIT_REFUSED, EXIT_OFFLINE):
        assert re.search(rf"\b{status}\b", text.split("## Proofs and printing")[1].split("\n## ")[0])
