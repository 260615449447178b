"""--guides: columns, baseline grid and modules on a PDF layer that does not print; never in press output."""

import subprocess
import sys

import pikepdf


def _build(root, out, *flags):
    r = subprocess.run([sys.executable, "-m", "layout", "build", str(root / "content.yaml"), "-o", str(out), "-q", *flags],
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stderr


def test_guides_on_a_non_printing_layer(tmp_path, root):
    out = tmp_path / "g.pdf"
    _build(root, out, "--guides")
    with pikepdf.open(out) as pdf:
        ocgs = pdf.Root.OCProperties.OCGs
        assert len(ocgs) == 1 and str(ocgs[0].Name) == "Guides"
        assert ocgs[0].Usage.Print.PrintState == pikepdf.Name.OFF
        page = pdf.pages[0]
        assert "/bsGuides" in page.Resources.Properties
        ops = [op for _, op in pikepdf.parse_content_stream(page)]
        assert pikepdf.Operator("BDC") in ops and pikepdf.Operator("EMC") in ops
        assert "/TrimBox" not in page.obj  # a proof: no press boxes


def test_press_output_has_no_guides(tmp_path, root):
    out = tmp_path / "p.pdf"
    _build(root, out)
    with pikepdf.open(out) as pdf:
        assert "/OCProperties" not in pdf.Root
        assert "/Properties" not in pdf.pages[0].Resources
