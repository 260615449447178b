"""Write a page's logical structure into its PDF: the structure tree of a tagged PDF.

ReportLab has no structure-tree API. The renderer brackets every item it draws in a
marked-content sequence (``/P <</MCID 3>> BDC ... EMC``, or ``/Artifact BMC ... EMC``) as
:class:`layout.structure.Tagger` says; this post-step, like the guides layer's
(:mod:`layout.render.layers`), adds with pikepdf what refers to those sequences:

* ``/StructTreeRoot`` with the tree of structure elements (``/StructElem``: ``/S`` type,
  ``/P`` parent, ``/K`` kids: marked-content ids, or ``/MCR`` references when an element's
  content lies on several pages; ``/Lang``, ``/Alt``, ``/T`` where the tree says), a
  ``/RoleMap`` (none needed: standard types only) and the ``/ParentTree`` (page ->
  the element of each of its marked-content ids), each page's ``/StructParents``;
* ``/MarkInfo << /Marked true >>``, the document's ``/Lang`` and ``/ViewerPreferences
  << /DisplayDocTitle true >>``.

Streams are written as they are (nothing recompressed, the XMP packet stays uncompressed) and
no object streams are made, so a PDF/X file stays what it was; its ``/ID`` is made from the
content again (deterministic).
"""

from __future__ import annotations

from pathlib import Path

import pikepdf

from layout.structure import Element, Marked


def write_structure(path: Path, root: Element) -> None:
    """Add ``root`` (a Document element) to the PDF at ``path`` as its structure tree."""
    with pikepdf.open(path, allow_overwriting_input=True) as pdf:
        pages = list(pdf.pages)
        parents: dict[int, dict[int, pikepdf.Object]] = {}
        tree_root = pdf.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.StructTreeRoot))

        def make(el: Element, parent) -> pikepdf.Object:
            d = pdf.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.StructElem, S=pikepdf.Name("/" + el.type),
                                                     P=parent))
            if el.lang:
                d.Lang = pikepdf.String(el.lang)
            if el.alt:
                d.Alt = pikepdf.String(el.alt)
            if el.title:
                d.T = pikepdf.String(el.title)
            on = {k.page for k in el.kids if isinstance(k, Marked)}
            single = len(on) == 1
            if single:
                d.Pg = pages[next(iter(on))].obj
            kids = []
            for k in el.kids:
                if isinstance(k, Marked):
                    parents.setdefault(k.page, {})[k.mcid] = d
                    kids.append(k.mcid if single else pikepdf.Dictionary(Type=pikepdf.Name.MCR, Pg=pages[k.page].obj,
                                                                          MCID=k.mcid))
                else:
                    kids.append(make(k, d))
            d.K = pikepdf.Array(kids)
            return d

        top = make(root, tree_root)
        tree_root.K = pikepdf.Array([top])
        nums = []
        for i, page in enumerate(pages):
            page.obj.StructParents = i
            page.obj.Tabs = pikepdf.Name.S
            by_mcid = parents.get(i, {})
            nums += [i, pdf.make_indirect(pikepdf.Array([by_mcid[m] for m in range(len(by_mcid))]))]
        tree_root.ParentTree = pdf.make_indirect(pikepdf.Dictionary(Nums=pikepdf.Array(nums)))
        tree_root.ParentTreeNextKey = len(pages)
        pdf.Root.StructTreeRoot = tree_root
        pdf.Root.MarkInfo = pikepdf.Dictionary(Marked=True)
        if root.lang:
            pdf.Root.Lang = pikepdf.String(root.lang)
        prefs = pdf.Root.get("/ViewerPreferences", pikepdf.Dictionary())
        prefs.DisplayDocTitle = True
        pdf.Root.ViewerPreferences = prefs
        pdf.save(path, deterministic_id=True, compress_streams=False,
                 stream_decode_level=pikepdf.StreamDecodeLevel.none,
                 object_stream_mode=pikepdf.ObjectStreamMode.preserve)
