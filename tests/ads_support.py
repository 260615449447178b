"""Ad files for the tests, as an ad agency's tool writes them (ReportLab): a vector PDF in CMYK
with an embedded subset font, or a bad one in RGB with the standard Helvetica (not embedded)."""

MM = 72 / 25.4
KAI = "/usr/share/fonts/truetype/lxgw-wenkai/LXGWWenKai-Bold.ttf"


def make_ad(path, *, good=True, w_mm=100, h_mm=60):
    """A vector ad as an ad agency's tool writes one: CMYK and an embedded subset font (good),
    or RGB with the standard Helvetica, which is not embedded (bad)."""
    from reportlab.lib.colors import CMYKColor, Color
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen.canvas import Canvas

    w, h = w_mm * MM, h_mm * MM
    if good:
        pdfmetrics.registerFont(TTFont("AdKai", KAI))
        c = Canvas(str(path), pagesize=(w, h), initialFontName="AdKai")
        c.setFillColor(CMYKColor(1, 0.3, 0, 0.1))
        c.rect(0, 0, w, h, fill=1, stroke=0)
        c.setFillColor(CMYKColor(0, 0, 0, 0))
        c.setFont("AdKai", 30)
        c.drawCentredString(w / 2, h / 2, "湘江银行理财")
    else:
        c = Canvas(str(path), pagesize=(w, h))
        c.setFillColor(Color(0.9, 0.1, 0.1))
        c.rect(0, 0, w, h, fill=1, stroke=0)
        c.setFillColor(Color(1, 1, 1))
        c.setFont("Helvetica-Bold", 30)
        c.drawCentredString(w / 2, h / 2, "BIG SALE")
    c.showPage()
    c.save()
