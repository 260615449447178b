"""Rendering: the display list drawn with ReportLab. No layout decisions are made here.

ReportLab's utilities import Pillow as they load (~8 ms: it can decode pictures itself); the
renderer hands it prepared JPEGs only, so Pillow's ``PIL.Image`` is put off here until someone
uses it (:func:`_defer_pillow`), as the rest of broadsheet puts it off (:mod:`layout.lazy`).
ReportLab's TrueType module also imports HarfBuzz for a shaping of its own that broadsheet never
asks for (it shapes with HarfBuzz itself and writes glyph ids): ~11 ms of every process that
draws a PDF, put off until a line is shaped (:func:`_hide_harfbuzz_from_reportlab`).
"""

from __future__ import annotations


def _defer_pillow() -> None:
    """Stand a module in for ``PIL.Image`` that imports the real one at the first attribute
    asked of it (under a lock: the build prepares photos in threads); code that imported the
    stand-in (ReportLab) goes on through it, code that imports ``PIL.Image`` later gets the real
    module."""
    import importlib
    import sys
    import threading
    import types

    if "PIL.Image" in sys.modules or "reportlab" in sys.modules:
        return
    try:
        import PIL
    except ImportError:
        return

    class _Deferred(types.ModuleType):
        def __getattr__(self, attr):
            d = self.__dict__
            real = d.get("_bs_real")
            if real is None:
                with d["_bs_lock"]:
                    real = d.get("_bs_real")
                    if real is None:
                        if sys.modules.get("PIL.Image") is self:
                            del sys.modules["PIL.Image"]
                        real = importlib.import_module("PIL.Image")
                        d["_bs_real"] = real
            return getattr(real, attr)

    stand_in = _Deferred("PIL.Image")
    stand_in.__dict__["_bs_lock"] = threading.Lock()
    stand_in.__dict__["_bs_real"] = None
    sys.modules["PIL.Image"] = stand_in
    if not hasattr(PIL, "Image"):
        PIL.Image = stand_in


_defer_pillow()


def _hide_harfbuzz_from_reportlab() -> None:
    """Import ReportLab's TrueType module with ``uharfbuzz`` hidden (it then leaves its own
    shaping off, which broadsheet never uses), then let the module be imported normally again:
    :mod:`layout.fonts.shaping` imports it when a paragraph or a line is shaped."""
    import sys

    if "uharfbuzz" in sys.modules or "reportlab.pdfbase.ttfonts" in sys.modules:
        return
    sys.modules["uharfbuzz"] = None  # (an import of it raises ImportError)
    try:
        import reportlab.pdfbase.ttfonts  # noqa: F401
    except ImportError:
        pass
    finally:
        if "uharfbuzz" in sys.modules and sys.modules["uharfbuzz"] is None:
            del sys.modules["uharfbuzz"]


_hide_harfbuzz_from_reportlab()
