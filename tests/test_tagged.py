"""`build --tagged`: a structure tree (Document, an Art per story with /Lang, H1, P, Figure with
/Alt, Caption, H2), MarkInfo, the ParentTree pointing each marked-content id back at its
element, reading order down the columns, read back with pikepdf and with poppler's pdfinfo
(an independent reader); press files stay PDF/X (X-4 and X-1a, `--verify`) with and without
tagging; an untagged build has no structure."""

from __future__ import annotations

import re
import subprocess
import sys

import pikepdf
import pytest

PY = sys.executable


def _build(content, out, *args):
    r = subprocess.run([PY, "-m", "layout", "build", str(content), "-o", str(out), "-q", *args],
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    return out


@pytest.fixture(scope="module")
def tagged(tmp_path_factory, root):
    return _build(root / "content.yaml", tmp_path_factory.mktemp("tagged") / "seed.pdf", "--tagged", "--proof")


def _elements(el, out=None):
    out = [] if out is None else out
    out.append(el)
    for k in el.get("/K", []):
        if isinstance(k, pikepdf.Dictionary) and k.get("/Type") == "/StructElem":
            _elements(k, out)
    return out


def test_the_structure_tree(tagged):
    with pikepdf.open(tagged) as pdf:
        root = pdf.Root
        assert root.MarkInfo.Marked is True
        assert str(root.Lang) == "zh-Hans"
        doc = root.StructTreeRoot.K[0]
        assert doc.S == "/Document"
        kids = list(doc.K)
        assert [str(k.S) for k in kids] == ["/Art", "/Figure"]  # the story, then the ad
        art, ad = kids
        assert str(art.Lang) == "zh-Hans" and str(art.T) == "实力高新　出圈有道"
        types = [str(k.S) for k in art.K]
        assert types[:3] == ["/H1", "/P", "/P"]  # head, subhead, byline
        assert types.count("/Figure") == 3 and types.count("/Caption") == 3 and types.count("/H2") == 3
        alts = [str(k.Alt) for k in art.K if k.S == "/Figure"]
        assert alts == ["万丰湖", "“厂BA”", "动力谷"]  # from the captions
        assert "预防森林火灾" in str(ad.Alt)
        # every marked-content id of the page is in the ParentTree, pointing at its element
        page = pdf.pages[0]
        parents = dict(zip(list(root.StructTreeRoot.ParentTree.Nums)[::2], list(root.StructTreeRoot.ParentTree.Nums)[1::2]))
        table = parents[int(page.obj.StructParents)]
        content = pikepdf.unparse_content_stream(pikepdf.parse_content_stream(page))
        mcids = [int(m) for m in re.findall(rb"/MCID (\d+)", content)]
        assert mcids == list(range(len(mcids))) and len(table) == len(mcids)
        for el in _elements(doc):
            for k in el.get("/K", []):
                if isinstance(k, int):
                    assert table[k].objgen == el.objgen


def test_reading_order_with_an_independent_reader(tagged):
    """poppler's pdfinfo reads the tree's text: the head first, paragraphs in the body's
    order, down the first column and on into the next."""
    # (pdfinfo prints an element's /T as its raw UTF-16 bytes: read leniently)
    out = subprocess.run(["pdfinfo", "-struct-text", str(tagged)], capture_output=True, check=True).stdout.decode("utf-8", "replace")
    text = "".join(re.findall(r'"([^"]*)"', out))
    assert text.index("实力高新　出圈有道") < text.index("城市品牌，也叫城市IP")
    first = text.index("城市品牌，也叫城市IP，亦或者套用流行用语称之为")  # one paragraph over several lines
    assert first < text.index("产业名片求实向新") < text.index("服务体系提标增效") < text.index("文旅品牌新潮多彩")
    assert text.rindex("潮男高新，可咸可甜") > text.index("文旅品牌新潮多彩")


def test_languages_per_story(tmp_path, root):
    english = _build(root / "examples" / "english" / "content.yaml", tmp_path / "en.pdf", "--tagged", "--proof")
    with pikepdf.open(english) as pdf:
        arts = [k for k in pdf.Root.StructTreeRoot.K[0].K if k.S == "/Art"]
        assert arts and all(str(a.Lang) == "en" for a in arts)
        assert str(pdf.Root.Lang) == "en"
    taiwan = _build(root / "examples" / "corpus" / "p6-taiwan-tabloid" / "content.yaml", tmp_path / "tw.pdf", "--tagged", "--proof")
    with pikepdf.open(taiwan) as pdf:
        assert {str(a.Lang) for a in pdf.Root.StructTreeRoot.K[0].K if a.S == "/Art"} == {"zh-Hant"}


@pytest.mark.parametrize("variant", ["X-4", "X-1a"])
def test_press_files_stay_pdfx_with_and_without_tags(tmp_path, seed_copy, newsprint, variant):
    content = seed_copy / "content.yaml"
    content.write_text(f"press: {{pdfx: {variant}}}\n" + content.read_text(encoding="utf-8"), encoding="utf-8")
    plain = _build(content, tmp_path / "plain.pdf", "--verify")
    tagged = _build(content, tmp_path / "tagged.pdf", "--verify", "--tagged")
    with pikepdf.open(plain) as pdf:
        assert "/StructTreeRoot" not in pdf.Root and "/MarkInfo" not in pdf.Root
    with pikepdf.open(tagged) as pdf:
        assert "/StructTreeRoot" in pdf.Root and pdf.Root.MarkInfo.Marked is True
        assert len(pdf.Root.OutputIntents) == 1
        assert pdf.Root.Metadata.get("/Filter") is None  # the XMP packet left uncompressed
    r = subprocess.run([PY, "-m", "layout", "preflight", str(tagged)], capture_output=True, text=True)
    assert r.returncode == 0, r.stdout + r.stderr
    r = subprocess.run(["qpdf", "--check", str(tagged)], capture_output=True, text=True)
    assert r.returncode == 0, r.stdout
