"""Optional content (PDF layers): the guides layer a viewer can switch off.

ReportLab has no optional-content API; the renderer brackets the guides with
``/OC /bsGuides BDC … EMC`` and declares the layer in the document it writes
(:func:`declare_guides`: an OCG in the catalog's /OCProperties, each page's /Properties
resource), before ReportLab formats it: no second pass over the written file. The layer is
marked not to print. (:func:`declare_guides_layer` does the same to a written PDF, with pikepdf.)
"""

from __future__ import annotations

from pathlib import Path

TAG = "bsGuides"


def declare_guides(canvas, name: str = "Guides"):
    """Declare the guides layer in ``canvas``'s document; returns a function that makes a page
    object (``canvas._doc.Pages.pages[i]``) name it among its resources."""
    from reportlab.pdfbase.pdfdoc import PDFArray, PDFDictionary, PDFName, PDFString

    doc = canvas._doc
    ocg = doc.Reference(PDFDictionary({
        "Type": PDFName("OCG"), "Name": PDFString(name),
        "Usage": PDFDictionary({"Print": PDFDictionary({"PrintState": PDFName("OFF")}),
                                "View": PDFDictionary({"ViewState": PDFName("ON")})})}))
    catalog = doc.Catalog
    catalog.OCProperties = PDFDictionary({
        "OCGs": PDFArray([ocg]),
        "D": PDFDictionary({"Order": PDFArray([ocg]), "ON": PDFArray([ocg]),
                            "AS": PDFArray([PDFDictionary({"Event": PDFName("Print"), "Category": PDFArray([PDFName("Print")]),
                                                           "OCGs": PDFArray([ocg])})])})})
    catalog.__NoDefault__ = list(catalog.__NoDefault__) + ["OCProperties"]

    def on_page(page) -> None:
        check = page.check_format

        def check_format(document):  # (ReportLab makes the page's resources here)
            check(document)
            page.Resources.Properties[TAG] = ocg

        page.check_format = check_format

    return on_page


def declare_guides_layer(path: Path, name: str = "Guides") -> None:
    import pikepdf

    with pikepdf.open(path, allow_overwriting_input=True) as pdf:
        ocg = pdf.make_indirect(pikepdf.Dictionary(
            Type=pikepdf.Name.OCG, Name=pikepdf.String(name),
            Usage=pikepdf.Dictionary(Print=pikepdf.Dictionary(PrintState=pikepdf.Name.OFF),
                                     View=pikepdf.Dictionary(ViewState=pikepdf.Name.ON))))
        pdf.Root.OCProperties = pikepdf.Dictionary(
            OCGs=pikepdf.Array([ocg]),
            D=pikepdf.Dictionary(Order=pikepdf.Array([ocg]), ON=pikepdf.Array([ocg]),
                                 AS=pikepdf.Array([pikepdf.Dictionary(Event=pikepdf.Name.Print, Category=pikepdf.Array([pikepdf.Name.Print]),
                                                                      OCGs=pikepdf.Array([ocg]))])))
        for page in pdf.pages:
            if pikepdf.Name.Resources not in page.obj:
                page.obj.Resources = pikepdf.Dictionary()
            res = page.obj.Resources
            if pikepdf.Name.Properties not in res:
                res.Properties = pikepdf.Dictionary()
            res.Properties[pikepdf.Name("/" + TAG)] = ocg
        pdf.save(path, deterministic_id=True)
