"""Rendering: the display list drawn with ReportLab. No layout decisions are made here.

ReportLab's utilities import Pillow as they load (~8 ms: it can decode pictures itself); the
renderer hands it prepared JPEGs only, so Pillow's ``PIL.Image`` is put off here until someone
uses it (:func:`_defer_pillow`), as the rest of broadsheet puts it off (:mod:`layout.lazy`).
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
