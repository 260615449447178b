"""A module imported on first use, for heavy libraries a build may not need at all.

A page whose photos are all prepared already needs no Pillow (its import costs ~20 ms, and
ImageCms another ~10 ms, of a build that should take well under a second); the modules that
use Pillow name it through :func:`lazy_module` and pay only when they decode a picture.
"""

from __future__ import annotations

import importlib


class _LazyModule:
    __slots__ = ("_name",)

    def __init__(self, name: str):
        self._name = name

    def __getattr__(self, attr: str):
        return getattr(importlib.import_module(self._name), attr)

    def __repr__(self) -> str:
        return f"<lazy module {self._name}>"


def lazy_module(name: str):
    """``name`` as an object whose attributes are the module's, imported at the first access."""
    return _LazyModule(name)
