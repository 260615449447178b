"""Optional content (PDF layers): the guides layer a viewer can switch off.

ReportLab has no optional-content API; the renderer brackets the guides with
``/OC /bsGuides BDC … EMC`` and this post-step declares the layer (an OCG in the catalog's
/OCProperties, the page's /Properties resource) with pikepdf. The layer is marked not to print.
"""

from __future__ import annotations

from pathlib import Path

import pikepdf

TAG = "bsGuides"


def declare_guides_layer(path: Path, name: str = "Guides") -> None:
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
