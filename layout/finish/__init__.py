"""Finishing: the renderer's PDF becomes a press file.

* :mod:`.profile` - the CMYK output profile (built at set-up from CGATS TR 002 coldset newsprint
  data into ``data/``, or the printer's own);
* :mod:`.color` - image conversion to CMYK/K through that profile, with an ink limit;
* :mod:`.marks` - printer's marks as display-list items (the renderer draws them);
* :mod:`.press` - what a press file says about itself (PDF/X keys, output intent, XMP);
* :mod:`.pdfx` - the PDF/X-4 and X-1a rules, checked with pikepdf (``build --verify``, preflight);
* :mod:`.stage` - the press stage of a build;
* :mod:`.pdfwalk` - the content-stream walk shared with :mod:`layout.preflight`.

Names are imported lazily so that ``import layout.finish`` stays cheap.
"""

from __future__ import annotations

from layout.finish.errors import FinishError

__all__ = [
    "FinishError",
    "ProfileInfo",
    "output_profile",
    "build_newsprint_profile",
    "make_image_converter",
    "tac_of",
    "press_marks",
    "SlugInfo",
]

_LAZY = {
    "ProfileInfo": "layout.finish.profile",
    "output_profile": "layout.finish.profile",
    "build_newsprint_profile": "layout.finish.profile",
    "make_image_converter": "layout.finish.color",
    "tac_of": "layout.finish.ink",
    "press_marks": "layout.finish.marks",
    "SlugInfo": "layout.finish.marks",
}


def __getattr__(name: str):
    mod = _LAZY.get(name)
    if mod is None:
        raise AttributeError(f"module 'layout.finish' has no attribute {name!r}")
    import importlib

    return getattr(importlib.import_module(mod), name)
