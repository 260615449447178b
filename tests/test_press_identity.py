"""The PDF/X identity written in the render pass (layout.finish.press + layout.render.pdfx), read
back with pikepdf; and `build --verify`, which refuses a file whose identity is broken."""

from __future__ import annotations

from pathlib import Path

import pikepdf
import pytest

from layout.build import BuildOptions, build
from layout.errors import OutputError
from layout.finish.press import identity_ids


@pytest.fixture(scope="module")
def seed_pdf(tmp_path_factory, root) -> Path:
    out = tmp_path_factory.mktemp("identity") / "seed.pdf"
    report = build(root / "content.yaml", BuildOptions(output=out, verify=True))
    assert report.ok and out.exists()
    return out


def test_one_output_intent_with_the_profile(seed_pdf, newsprint):
    with pikepdf.open(seed_pdf) as pdf:
        intents = list(pdf.Root.OutputIntents)
        assert len(intents) == 1
        oi = intents[0]
        assert oi.S == pikepdf.Name.GTS_PDFX
        profile = oi.DestOutputProfile
        assert int(profile.N) == 4 and profile.Alternate == pikepdf.Name.DeviceCMYK
        assert profile.read_bytes()[36:40] == b"acsp"  # an ICC profile, decompressed intact
        assert profile.read_bytes()[16:20] == b"CMYK"


def test_info_and_xmp_agree(seed_pdf):
    with pikepdf.open(seed_pdf) as pdf:
        info = pdf.trailer.Info
        assert str(info.GTS_PDFXVersion) == "PDF/X-4"
        assert info.Trapped == pikepdf.Name("/False")
        assert "Author" not in info  # nothing the XMP does not also say
        assert "ReportLab" in str(info.Producer)
        meta = pdf.open_metadata()
        assert meta["pdfxid:GTS_PDFXVersion"] == "PDF/X-4"
        assert meta["dc:title"] == str(info.Title)
        assert meta["pdf:Producer"] == str(info.Producer)
        # the trailer ID and the XMP DocumentID come from one digest
        first = bytes(pdf.trailer.ID[0])
        doc_id = str(pdf.Root.Metadata.read_bytes().decode()).split("<xmpMM:DocumentID>")[1].split("<")[0]
        assert first == bytes(pdf.trailer.ID[1]) and len(first) == 16
        assert doc_id.replace("uuid:", "").replace("-", "")[:12] == first.hex()[:12]


def test_identity_follows_content(seed_copy):
    """Same input, same ID; one changed character, another ID."""
    page = seed_copy
    text = (page / "content.yaml").read_text(encoding="utf-8")
    ids, files = [], []
    for _ in range(2):  # the slug names the file, so the same output name both times
        build(page / "content.yaml", BuildOptions(output=page / "p.pdf"))
        files.append((page / "p.pdf").read_bytes())
        with pikepdf.open(page / "p.pdf") as pdf:
            ids.append(bytes(pdf.trailer.ID[0]))
    assert ids[0] == ids[1] and files[0] == files[1]
    (page / "content.yaml").write_text(text.replace("万丰湖", "万峰湖", 1), encoding="utf-8")
    build(page / "content.yaml", BuildOptions(output=page / "p.pdf"))
    with pikepdf.open(page / "p.pdf") as pdf:
        assert bytes(pdf.trailer.ID[0]) != ids[0]


def test_identity_ids_are_uuids():
    doc, inst = identity_ids(bytes(range(32)))
    assert doc.startswith("uuid:") and inst.startswith("uuid:") and doc != inst


def test_verify_refuses_a_file_without_identity(tmp_path, root, monkeypatch):
    """`--verify` reads the file back: a renderer that forgot the output intent is caught, and
    neither the PDF nor a temporary is left behind."""
    import layout.render.pdfx as native

    monkeypatch.setattr(native, "write_identity", lambda canvas, identity, digest: None)
    out = tmp_path / "x.pdf"
    with pytest.raises(OutputError) as exc:
        build(root / "content.yaml", BuildOptions(output=out, verify=True))
    assert "output intent" in str(exc.value) or "PDF/X" in str(exc.value)
    assert not out.exists()
    assert list(tmp_path.iterdir()) == []


def test_verify_from_the_command_line(tmp_path, root):
    import subprocess
    import sys

    out = tmp_path / "v.pdf"
    r = subprocess.run([sys.executable, "-m", "layout", "build", str(root / "content.yaml"), "-o", str(out),
                        "--verify", "--json"], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    import json

    assert "verify" in json.loads(r.stdout)["timings"]
    assert out.exists()
