"""Fonts embedded by glyph id (layout/render/embed.py, cff.py, glyf.py), read back with independent
tools: poppler (pdffonts, pdftotext), pdfplumber, pikepdf, qpdf, fontTools, pypdfium2.

- every page (the seed and each example) as a press file: each font embedded as a subset, CFF faces
  as ``CID Type 0C`` and TrueType faces as ``CID TrueType``; the text read back is the display
  list's, run by run; qpdf, preflight and the build's own PDF/X check (X-4 and X-1a) pass;
- a hand-made display list with shaped glyph runs: a ligature maps back to its two letters, a
  vertical run of ``vert`` forms reads top to bottom;
- the font programs hold exactly the original outlines of the glyphs used;
- the caches: a damaged entry is rebuilt, never embedded; builds are byte-identical whatever the
  cache folder; a warm build does not import fontTools.
"""

from __future__ import annotations

import re
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pdfplumber
import pikepdf
import pytest
from fontTools.pens.recordingPen import DecomposingRecordingPen, RecordingPen
from fontTools.ttLib import TTFont

from layout.build import BuildOptions, build, display_list
from layout.cache import read_sealed, write_sealed
from layout.display import Glyphs, Page
from layout.fonts.faces import page_fonts
from layout.render.cff import CFFSource, assemble
from layout.render.embed import tounicode
from layout.render.glyf import GlyfSource
from layout.render.pdf import RenderOptions, render
from layout.records import SubsetStore
from layout.render.sfnt import open_font, tables

PY = sys.executable
ROOT = Path(__file__).resolve().parent.parent
PAGES = {"seed": ROOT, **{name: ROOT / "examples" / name for name in ("berliner", "english", "stepped", "modules", "auto")}}
SERIF = Path("/usr/share/fonts/truetype/noto/NotoSerif-Regular.ttf")
CJK = Path("/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc")
NIMBUS = Path("/usr/share/fonts/opentype/urw-base35/NimbusRoman-Regular.otf")
KAI = Path("/usr/share/fonts/truetype/lxgw-wenkai/LXGWWenKai-Regular.ttf")


def _squash(s: str) -> str:
    return re.sub(r"\s+", "", s)


def _copy_page(name: str, folder: Path, pdfx: str = "X-4") -> Path:
    """The page's content file and pictures in a folder of their own (X-1a: with the press
    variant set)."""
    src = PAGES[name]
    shutil.copytree(src / "images", folder / "images")
    text = (src / "content.yaml").read_text(encoding="utf-8")
    if pdfx != "X-4":
        text += f"\npress: {{pdfx: {pdfx}}}\n"
    (folder / "content.yaml").write_text(text, encoding="utf-8")
    return folder / "content.yaml"


def _cli(*args):
    return subprocess.run([PY, "-m", "layout", *args], capture_output=True, text=True)


@pytest.fixture(scope="module", params=sorted(PAGES))
def press_page(request, tmp_path_factory, newsprint):
    """(name, content file, press PDF built with --verify) of every page."""
    name = request.param
    folder = tmp_path_factory.mktemp(name)
    content = _copy_page(name, folder)
    out = folder / f"{name}.pdf"
    r = _cli("build", str(content), "-o", str(out), "--verify", "-q")
    assert r.returncode == 0, r.stderr
    return name, content, out


def _pdffonts(pdf: Path) -> list[dict]:
    out = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    rows = []
    for line in out.splitlines()[2:]:
        m = re.match(r"^(\S+)\s+(.+?)\s+(Identity-[HV]|\S+)\s+(yes|no)\s+(yes|no)\s+(yes|no)\s+\d+\s+\d+$", line)
        assert m, line
        rows.append({"name": m[1], "type": m[2], "encoding": m[3], "emb": m[4], "sub": m[5], "uni": m[6]})
    return rows


def test_every_font_is_an_embedded_subset_of_its_kind(press_page):
    name, content, pdf = press_page
    faces = page_fonts(content.parent, _fonts_overrides(content), ROOT / ".cache")
    kinds = {}
    for role in faces.registry.roles:  # every face of every role's stack (fallbacks too)
        stack = faces.registry.stack(role)
        for i in range(len(stack)):
            face = stack.face(i)
            kinds[face.ps_name] = "CID Type 0C" if face.is_cff else "CID TrueType"
    rows = _pdffonts(pdf)
    assert rows
    for row in rows:
        tag, _, base = row["name"].partition("+")
        assert re.fullmatch(r"[A-Z]{6}", tag), row
        assert (row["emb"], row["sub"], row["uni"]) == ("yes", "yes", "yes"), row
        ps = base.removesuffix("-Identity-H").removesuffix("-Identity-V")
        assert ps in kinds, (ps, sorted(kinds))
        assert row["type"] == kinds[ps], row
        assert row["encoding"] == "Identity-H", row
    # each face once, whatever the number of roles it serves
    assert len({r["name"] for r in rows}) == len(rows)
    with pikepdf.open(pdf) as doc:
        fonts = doc.pages[0].Resources.Font
        assert all(str(f.Subtype) == "/Type0" for _, f in fonts.items())
        assert "Helvetica" not in str(doc.pages[0].Contents.read_bytes()) and not any(
            "Helvetica" in str(f.BaseFont) for _, f in fonts.items())


def _fonts_overrides(content: Path):
    import yaml

    return yaml.safe_load(content.read_text(encoding="utf-8")).get("fonts")


def _runs(content: Path, out: Path) -> list[Glyphs]:
    page = display_list(content, BuildOptions(output=out))
    return [it for it in list(page.items) + list(page.marks) if isinstance(it, Glyphs) and it.text]


def test_text_reads_back_run_by_run(press_page):
    """pdfplumber's characters, in content-stream order, are the display list's text: every run,
    in painting order, nothing lost or added (one glyph, one character, for unshaped runs)."""
    name, content, pdf = press_page
    runs = _runs(content, pdf)
    with pdfplumber.open(pdf) as doc:
        got = "".join(c["text"] for c in doc.pages[0].chars)
    assert _squash(got) == _squash("".join(r.text for r in runs))


def test_pdftotext_reads_every_paragraph_in_order(press_page):
    """poppler in content-stream order (``-raw``: its default mode reads neighbouring columns
    across their one-character gutter, line by line, as it did before glyph ids): every body
    paragraph is there whole, and an article's paragraphs come in order."""
    name, content, pdf = press_page
    text = _squash(subprocess.run(["pdftotext", "-raw", str(pdf), "-"], capture_output=True, text=True,
                                  check=True).stdout)
    paragraphs: dict[str, str] = {}
    for r in _runs(content, pdf):
        if r.role == "body":
            paragraphs[r.source] = paragraphs.get(r.source, "") + r.text
    assert paragraphs
    last: dict[str, int] = {}
    for source, para in paragraphs.items():
        at = text.find(_squash(para))
        assert at >= 0, (source, para[:40])
        article = source.split(":", 1)[0]
        assert at > last.get(article, -1), source
        last[article] = at


def test_qpdf_and_preflight_pass(press_page):
    name, content, pdf = press_page
    q = subprocess.run(["qpdf", "--check", str(pdf)], capture_output=True, text=True)
    assert q.returncode == 0 and "No syntax or stream encoding errors" in q.stdout, q.stdout + q.stderr
    r = _cli("preflight", str(pdf))
    assert r.returncode == 0, r.stdout + r.stderr


@pytest.mark.parametrize("name", sorted(PAGES))
def test_pdfx_1a_build_verifies(name, tmp_path, newsprint):
    content = _copy_page(name, tmp_path, "X-1a")
    out = tmp_path / f"{name}.pdf"
    r = _cli("build", str(content), "-o", str(out), "--verify", "-q")
    assert r.returncode == 0, r.stderr
    with pikepdf.open(out) as doc:
        assert doc.pdf_version <= "1.4"
        for _, font in doc.pages[0].Resources.Font.items():
            descriptor = font.DescendantFonts[0].FontDescriptor
            if "/FontFile3" in descriptor:
                assert descriptor.FontFile3.Subtype == "/CIDFontType0C"  # PDF 1.3, not /OpenType
    rows = _pdffonts(out)
    assert rows and all(r["emb"] == "yes" and r["sub"] == "yes" for r in rows)


# -- shaped glyph runs ----------------------------------------------------------------------------

def _gsub_single(font: TTFont, feature: str, glyph: str) -> str:
    gsub = font["GSUB"].table
    lookups = {i for fr in gsub.FeatureList.FeatureRecord if fr.FeatureTag == feature for i in fr.Feature.LookupListIndex}
    for i in sorted(lookups):
        lookup = gsub.LookupList.Lookup[i]
        for st in lookup.SubTable:
            st = st.ExtSubTable if lookup.LookupType == 7 else st
            if glyph in getattr(st, "mapping", {}):
                return st.mapping[glyph]
    raise LookupError(f"no {feature} form of {glyph}")


def _ligature(font: TTFont, first: str, rest: list[str]) -> str:
    gsub = font["GSUB"].table
    for lookup in gsub.LookupList.Lookup:
        for st in lookup.SubTable:
            st = st.ExtSubTable if lookup.LookupType == 7 else st
            for lig in getattr(st, "ligatures", {}).get(first, []):
                if lig.Component == rest:
                    return lig.LigGlyph
    raise LookupError(f"no ligature of {first} + {rest}")


class _Files:
    def __init__(self, faces: dict):
        self.faces = faces

    def face_file(self, key: str):
        return self.faces[key]


class _NoPictures:
    def file_for(self, item):
        raise AssertionError("no pictures here")


@pytest.fixture(scope="module")
def shaped(tmp_path_factory):
    """A page with a ligature (Noto Serif's ``fi``, a TrueType face) and a vertical run of Noto
    Serif CJK SC (CFF) whose brackets are the ``vert`` forms, as a shaper would hand them over, and
    a horizontal run of the same face."""
    folder = tmp_path_factory.mktemp("shaped")
    serif = TTFont(SERIF)
    cmap = serif.getBestCmap()
    fi = serif.getGlyphID(_ligature(serif, cmap[ord("f")], [cmap[ord("i")]]))
    s, h = serif.getGlyphID(cmap[ord("s")]), serif.getGlyphID(cmap[ord("h")])
    assert fi not in {serif.getGlyphID(cmap[ord(c)]) for c in "fi"}
    size = 24.0
    adv = [serif["hmtx"][serif.getGlyphName(g)][0] / 1000 * size for g in (fi, s, h)]
    gx = (72.0, 72.0 + adv[0], 72.0 + adv[0] + adv[1])
    latin = Glyphs(x=72.0, y=100.0, text="fish", font="latin", size=size, xs=(), glyphs=(fi, s, h), gx=gx,
                   clusters=(0, 2, 3))
    cjk = TTFont(CJK, fontNumber=2, lazy=True)
    ccmap = cjk.getBestCmap()
    names = [_gsub_single(cjk, "vert", ccmap[ord("「")]), ccmap[ord("中")], ccmap[ord("文")],
             _gsub_single(cjk, "vert", ccmap[ord("」")])]
    gids = tuple(cjk.getGlyphID(n) for n in names)
    assert gids[0] != cjk.getGlyphID(ccmap[ord("「")])
    vsize = 30.0
    vertical = Glyphs(x=300.0, y=300.0, text="「中文」", font="cjk", size=vsize, xs=(), glyphs=gids,
                      gx=tuple(150.0 + k * vsize for k in range(4)), clusters=(0, 1, 2, 3), vertical=True)
    across = Glyphs(x=72.0, y=360.0, text="中文", font="cjk", size=12.0, xs=(72.0, 84.0))
    pdf = folder / "shaped.pdf"
    files = _Files({"latin": (SERIF, 0), "cjk": (CJK, 2)})
    render([Page(width=400, height=400, items=[latin, vertical, across])], pdf, files, _NoPictures(),
           RenderOptions(press=False, cache_dir=folder / "cache"))
    return {"pdf": pdf, "fi": fi, "vert": gids, "files": files, "latin": latin, "vertical": vertical, "folder": folder}


def _cmap_of(font) -> dict[int, str]:
    data = font.ToUnicode.read_bytes().decode("ascii")
    out = {}
    for block in re.findall(r"beginbfchar\n(.*?)\nendbfchar", data, re.S):
        lines = block.splitlines()
        assert len(lines) <= 100
        for line in lines:
            code, text = re.fullmatch(r"<([0-9A-F]{4})> <([0-9A-F]+)>", line).groups()
            out[int(code, 16)] = bytes.fromhex(text).decode("utf-16-be")
    return out


def test_tounicode_gives_back_the_clusters(shaped):
    with pikepdf.open(shaped["pdf"]) as doc:
        fonts = {str(f.BaseFont): f for _, f in doc.pages[0].Resources.Font.items()}
        latin = next(f for n, f in fonts.items() if n.endswith("+NotoSerif-Regular"))
        assert _cmap_of(latin)[shaped["fi"]] == "fi"  # code = glyph id (CIDToGIDMap /Identity)
        assert latin.DescendantFonts[0].CIDToGIDMap == "/Identity"
        vertical = next(f for n, f in fonts.items() if n.endswith("-Identity-V"))
        assert vertical.Encoding == "/Identity-V"
        cids = _cmap_of(vertical)
        assert [cids[g] for g in shaped["vert"]] == list("「中文」")
        cidfont = vertical.DescendantFonts[0]
        assert list(cidfont.DW2) == [880, -1000]
        horizontal = next(f for n, f in fonts.items() if n.endswith("NotoSerifCJKsc-Regular-Identity-H"))
        assert horizontal.DescendantFonts[0].objgen == cidfont.objgen  # one CIDFont, two encodings
        # W2 only for glyphs whose vertical metrics differ, in the `c [w1y vx vy]` form
        w2 = list(cidfont.get("/W2", []))
        for k in range(0, len(w2), 2):
            assert isinstance(w2[k], int) and len(w2[k + 1]) == 3
    with pdfplumber.open(shaped["pdf"]) as doc:
        texts = "".join(c["text"] for c in doc.pages[0].chars)
    assert texts.startswith("fish")


def test_pdftotext_reads_the_vertical_run_top_to_bottom(shaped):
    text = subprocess.run(["pdftotext", str(shaped["pdf"]), "-"], capture_output=True, text=True, check=True).stdout
    lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
    assert lines == ["fish", "「中文」", "中文"]


def test_the_shaped_page_renders(shaped):
    """pypdfium2 draws it: ink where the ligature and each vertical glyph are, none elsewhere;
    the PNG is kept beside the PDF for a look."""
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(str(shaped["pdf"]))
    image = pdf[0].render(scale=200 / 72).to_pil().convert("L")
    pdf.close()
    image.save(shaped["pdf"].with_suffix(".png"))
    px = 200 / 72

    def ink(box):  # box in points, top-left origin
        x0, y0, x1, y1 = (round(v * px) for v in box)
        return 255 - image.crop((x0, y0, x1, y1)).getextrema()[0]

    latin, vertical = shaped["latin"], shaped["vertical"]
    assert ink((latin.gx[0], latin.y - 18, latin.gx[1], latin.y + 1)) > 128  # the fi ligature
    for k in range(4):  # each glyph of the column in its own em square
        top = vertical.gx[k]
        assert ink((vertical.y - 15, top, vertical.y + 15, top + 30)) > 128, k
    assert ink((150, 200, 250, 300)) == 0  # nothing between the two runs
    # the vertical brackets sit as vertical text wants them: 「 low in its square, 」 high
    top = vertical.gx[0]
    assert ink((vertical.y - 15, top, vertical.y + 15, top + 10)) == 0
    top = vertical.gx[3]
    assert ink((vertical.y - 15, top + 20, vertical.y + 15, top + 30)) == 0


def test_a_glyph_shared_by_two_texts_gets_actual_text(tmp_path):
    """U+2026 … and U+22EF ⋯ are one glyph in Noto CJK: the ToUnicode keeps the first, and the run
    with the other says what it is with /ActualText, which poppler reads; a character the face
    lacks (drawn as .notdef) gets one too."""
    runs = [Glyphs(x=72, y=100, text="等\u2026", font="cjk", size=12, xs=(72, 84)),
            Glyphs(x=72, y=130, text="等\u22ef", font="cjk", size=12, xs=(72, 84)),
            Glyphs(x=72, y=160, text="等\ue000", font="cjk", size=12, xs=(72, 84))]
    pdf = tmp_path / "shared.pdf"
    render([Page(width=300, height=300, items=runs)], pdf, _Files({"cjk": (CJK, 2)}), _NoPictures(),
           RenderOptions(press=False, cache_dir=tmp_path / "cache"))
    with pikepdf.open(pdf) as doc:
        content = doc.pages[0].Contents.read_bytes().decode("latin-1")
    assert content.count("/ActualText") == 2
    assert "<FEFF7B4922EF>" in content and "<FEFF7B49E000>" in content
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert [ln for ln in text.splitlines() if ln.strip()][:3] == ["等\u2026", "等\u22ef", "等\ue000"]


# -- the font programs ----------------------------------------------------------------------------

def _outlines(font: TTFont, names) -> dict[str, list]:
    glyphs = font.getGlyphSet()
    out = {}
    for n in names:
        pen = DecomposingRecordingPen(glyphs)
        glyphs[n].draw(pen)
        out[n] = pen.value
    return out


@pytest.mark.parametrize("path,index", [(CJK, 2), (NIMBUS, 0)], ids=["cid-keyed", "name-keyed"])
def test_cff_subset_holds_the_original_outlines(path, index, tmp_path):
    """Desubroutinized and reassembled, every glyph draws exactly as in the font (same pen
    commands, same numbers), keeps its glyph id's CID and its advance."""
    original = TTFont(path, fontNumber=index, lazy=True)
    order = original.getGlyphOrder()
    cmap = original.getBestCmap()
    text = "株洲高新区天元区「」，。ABCfiQ&1" if index else "Hamburgefonstiv & Quartz 0123"
    gids = sorted({0} | {original.getGlyphID(cmap[ord(c)]) for c in text if ord(c) in cmap})
    buf = open_font(path)
    off, length = tables(buf, index)["CFF "]
    view = memoryview(buf)[off:off + length]
    src = CFFSource(view)
    data = assemble(src.skeleton(), {g: src.charstring(g) for g in gids}, "ABCDEF+Test")
    del src
    view.release()
    buf.close()
    (tmp_path / "sub.cff").write_bytes(data)
    from fontTools.cffLib import CFFFontSet

    sub = CFFFontSet()
    import io

    sub.decompile(io.BytesIO(data), None)
    assert sub.fontNames == ["ABCDEF+Test"]
    top = sub[sub.fontNames[0]]
    charstrings = top.CharStrings
    orig_cs = original["CFF "].cff[original["CFF "].cff.fontNames[0]].CharStrings
    for g in gids:
        name = order[g]
        sub_name = name  # CID-keyed: names are made of CIDs, which the subset keeps; name-keyed: the charset is kept
        a, b = RecordingPen(), RecordingPen()
        orig_cs[name].draw(a)
        charstrings[sub_name].draw(b)
        assert a.value == b.value, name
        assert orig_cs[name].width == charstrings[sub_name].width, name
    assert len(data) < 200_000


def test_truetype_subset_keeps_glyph_ids_and_outlines(tmp_path):
    text = "株洲日报全媒体记者"
    original = TTFont(KAI)
    cmap = original.getBestCmap()
    gids = [original.getGlyphID(cmap[ord(c)]) for c in text]
    buf = open_font(KAI)
    data = GlyfSource(buf, tables(buf, 0)).subset(gids)
    buf.close()
    (tmp_path / "sub.ttf").write_bytes(data)
    sub = TTFont(tmp_path / "sub.ttf")
    assert sub["maxp"].numGlyphs == original["maxp"].numGlyphs  # glyph ids kept
    assert len(data) < KAI.stat().st_size / 20
    names = [original.getGlyphName(g) for g in gids]
    sub.setGlyphOrder(original.getGlyphOrder())
    assert _outlines(sub, names) == _outlines(original, names)
    for n in names:
        assert sub["hmtx"][n] == original["hmtx"][n]


def test_tounicode_blocks_hold_at_most_100_entries():
    cmap = tounicode({k: chr(0x4E00 + k) for k in range(250)} | {300: "fi", 301: "\U00020000"}).decode()
    assert [int(n) for n in re.findall(r"(\d+) beginbfchar", cmap)] == [100, 100, 52]
    assert "<012C> <00660069>" in cmap and "<012D> <D840DC00>" in cmap


# -- caches ---------------------------------------------------------------------------------------

def _seed_build(cache: Path, out: Path) -> bytes:
    report = build(ROOT / "content.yaml", BuildOptions(output=out, cache_dir=cache))
    assert report.ok, report
    return out.read_bytes()


def test_damaged_cache_entries_are_rebuilt(tmp_path, newsprint, monkeypatch):
    """Truncate or flip a bit of every font cache entry: the build notices, rebuilds them and
    writes the same bytes as a build from an empty cache."""
    import layout.fonts.cache

    monkeypatch.setattr(layout.fonts.cache, "PREPARED", tmp_path / "nothing-prepared")  # (every entry in the cache)
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    clean = _seed_build(tmp_path / "cache", tmp_path / "a" / "seed.pdf")
    entries = sorted(p for p in (tmp_path / "cache" / "fonts" / "embed").rglob("*")
                     if p.is_file() and p.suffix in (".meta", ".cffglyphs"))
    assert {p.suffix for p in entries} == {".meta", ".cffglyphs"}
    subsets = tmp_path / "cache" / "fonts" / "embed" / "subsets"
    with sqlite3.connect(subsets / "subsets.sqlite") as db:  # the finished subsets: rows of a database
        names = [n for (n,) in db.execute("SELECT name FROM entries ORDER BY name")]
        assert len(names) >= 5
        for k, n in enumerate(names):
            (body,) = db.execute("SELECT body FROM entries WHERE name = ?", (n,)).fetchone()
            body = bytearray(body)
            if k % 2:
                body = body[: len(body) // 2]
            else:
                body[len(body) * 2 // 3] ^= 0x10
            db.execute("UPDATE entries SET body = ? WHERE name = ?", (bytes(body), n))
    assert all(SubsetStore(subsets).read(n) is None for n in names)
    for k, p in enumerate(entries):
        data = bytearray(p.read_bytes())
        if k % 2:
            data = data[: len(data) // 2]  # cut short
        else:
            data[len(data) * 2 // 3] ^= 0x10  # one bit flipped inside the payload
        p.write_bytes(bytes(data))
        assert read_sealed(p) is None
    from layout.render.embed import forget

    forget()  # (as a new process: the cache is read again)
    again = _seed_build(tmp_path / "cache", tmp_path / "b" / "seed.pdf")
    assert again == clean
    assert all(read_sealed(p) is not None for p in entries)  # rewritten whole
    assert all(SubsetStore(subsets).read(n) is not None for n in names)


def test_what_the_setup_prepared_gives_the_same_bytes(tmp_path, newsprint, monkeypatch):
    """The set-up's prepared faces (layout.fonts.prepare; here the body face with a small
    repertoire, the page's other glyphs desubroutinized as usual) spare a build from an empty
    cache the body's metrics and CFF work, and change no byte of the PDF; a damaged prepared
    entry is passed over."""
    import layout.fonts.cache
    import layout.fonts.prepare as prep
    from layout.fonts.registry import resolve_role
    from layout.fonts.config import load_config

    body = resolve_role(load_config(), "body")
    monkeypatch.setattr(prep, "faces", lambda: [(body[0], body[1], "body")])
    monkeypatch.setattr(prep, "_repertoire", lambda big5: list("城市品牌，也叫IP。株洲高新区"))
    data = tmp_path / "prepared"
    assert prep.prepare(data, say=lambda line: None) == 1
    assert {p.suffix for p in (data / "embed").iterdir()} == {".meta", ".vert", ".cffpack"}
    for k in "abc":
        (tmp_path / k).mkdir()
    monkeypatch.setattr(layout.fonts.cache, "PREPARED", tmp_path / "none")
    clean = _seed_build(tmp_path / "cache-a", tmp_path / "a" / "seed.pdf")
    monkeypatch.setattr(layout.fonts.cache, "PREPARED", data)
    assert _seed_build(tmp_path / "cache-b", tmp_path / "b" / "seed.pdf") == clean
    made = {p.name for p in (tmp_path / "cache-b" / "fonts").rglob("*") if p.is_file()}
    assert not any(n.startswith(body[0].stem) and n.endswith((".meta", ".metrics")) for n in made)
    for p in (data / "embed").iterdir():  # damaged: passed over, the build makes its own
        p.write_bytes(p.read_bytes()[:-10])
    assert _seed_build(tmp_path / "cache-c", tmp_path / "c" / "seed.pdf") == clean


def test_sealed_files_refuse_foreign_or_extended_bytes(tmp_path):
    p = tmp_path / "x.sub"
    assert write_sealed(p, b"payload")
    assert read_sealed(p) == b"payload"
    p.write_bytes(p.read_bytes() + b"tail")
    assert read_sealed(p) is None
    p.write_bytes(b"payload")
    assert read_sealed(p) is None


def test_builds_are_byte_identical_whatever_the_cache(tmp_path, newsprint):
    """Two builds from empty caches in different folders, and a warm rebuild, give equal bytes."""
    outs = []
    for k, cache in enumerate(("one", "two", "one")):
        (tmp_path / str(k)).mkdir()
        outs.append(_seed_build(tmp_path / cache, tmp_path / str(k) / "seed.pdf"))
    assert outs[0] == outs[1] == outs[2]


def test_a_warm_build_does_not_import_fonttools(tmp_path, newsprint):
    cache = tmp_path / "cache"
    script = ("import sys; from pathlib import Path; from layout.build import build, BuildOptions; "
              f"r = build(Path({str(ROOT / 'content.yaml')!r}), BuildOptions(output=Path({str(tmp_path / 'seed.pdf')!r}), "
              f"cache_dir=Path({str(cache)!r}))); assert r.ok; print('fontTools' in sys.modules)")
    first = subprocess.run([PY, "-c", script], capture_output=True, text=True)
    assert first.returncode == 0, first.stderr
    warm = subprocess.run([PY, "-c", script], capture_output=True, text=True)
    assert warm.returncode == 0, warm.stderr
    assert warm.stdout.strip() == "False"


def test_a_new_character_costs_only_its_glyph(tmp_path, monkeypatch):
    """The charstrings of a face are cached glyph by glyph: a second page with one more character
    adds that one glyph to the store, and a page of cached glyphs opens no font file."""
    import marshal

    import layout.fonts.cache
    from layout.render import sfnt

    monkeypatch.setattr(layout.fonts.cache, "PREPARED", tmp_path / "nothing-prepared")  # (the cache's own store)
    files = _Files({"cjk": (CJK, 2)})

    def page(k: int, text: str) -> None:
        run = Glyphs(x=72, y=100, text=text, font="cjk", size=12, xs=tuple(72 + 12 * i for i in range(len(text))))
        render([Page(width=300, height=300, items=[run])], tmp_path / f"{k}.pdf", files, _NoPictures(),
               RenderOptions(press=False, cache_dir=tmp_path / "cache"))

    def stored() -> int:
        (store,) = (tmp_path / "cache" / "fonts" / "embed").glob("*.cffglyphs")
        return len(marshal.loads(read_sealed(store))[2])

    page(0, "株洲高新")
    assert stored() == 5  # .notdef and four characters
    page(1, "株洲高新区")
    assert stored() == 6

    def refuse(path):
        raise AssertionError(f"opened {path}")

    monkeypatch.setattr(sfnt, "open_font", refuse)
    page(2, "株洲区")  # a new glyph set, every glyph cached: assembled without the font
    assert stored() == 6


def test_w2_gives_the_glyphs_whose_vertical_metrics_differ(tmp_path):
    """〱 is two ems tall in Noto CJK (vmtx), ℃ hangs from 873 instead of 880 (VORG): W2 lists
    them as ``c [w1y vx vy]``, nothing else, and the glyph after 〱 lands two ems down."""
    import pypdfium2 as pdfium

    text = "〱℃中"
    size = 30.0
    tops = (100.0, 160.0, 190.0)  # 〱 takes two ems
    run = Glyphs(x=150.0, y=150.0, text=text, font="cjk", size=size, xs=tops, vertical=True)
    pdf = tmp_path / "w2.pdf"
    render([Page(width=300, height=300, items=[run])], pdf, _Files({"cjk": (CJK, 2)}), _NoPictures(),
           RenderOptions(press=False, cache_dir=tmp_path / "cache"))
    cjk = TTFont(CJK, fontNumber=2, lazy=True)
    cmap = cjk.getBestCmap()
    gid = {c: cjk.getGlyphID(cmap[ord(c)]) for c in text}
    with pikepdf.open(pdf) as doc:
        (font,) = [f for _, f in doc.pages[0].Resources.Font.items()]
        assert font.Encoding == "/Identity-V"
        w2 = list(font.DescendantFonts[0].W2)
        content = doc.pages[0].Contents.read_bytes().decode("latin-1")
    entries = {int(w2[k]): [float(v) for v in w2[k + 1]] for k in range(0, len(w2), 2)}
    origins = cjk["VORG"].VOriginRecords
    assert origins[cmap[ord("〱")]] != 880 and cjk["vmtx"][cmap[ord("〱")]][0] == 2000
    assert entries == {gid["〱"]: [-2000.0, 500.0, float(origins[cmap[ord("〱")]])],
                       gid["℃"]: [-1000.0, 500.0, float(origins[cmap[ord("℃")]])]}
    assert "] TJ" in content and content.count(" Tm") == 1  # one run, the advances do the rest
    image = pdfium.PdfDocument(str(pdf))[0].render(scale=4).to_pil().convert("L")

    def ink_rows(y0, y1):  # the rows (points) with ink in the column between two heights
        rows = [y for y in range(round(y0 * 4), round(y1 * 4))
                if image.crop((round(135 * 4), y, round(165 * 4), y + 1)).getextrema()[0] < 128]
        return (rows[0] / 4, rows[-1] / 4) if rows else None

    top, bottom = ink_rows(tops[2], tops[2] + size + 5)  # 中 in its own em square, two ems below 〱's top
    assert top <= tops[2] + 4 and bottom <= tops[2] + size
    assert ink_rows(tops[1] + 0.5, tops[2] - 0.5) is not None  # ℃ where it belongs
    text_out = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert text in text_out.replace("\n", "")
