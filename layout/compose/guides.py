"""Non-printing guides for proofs: the type area, columns, the baseline grid and module frames
(a stepped module's L, photos the engine placed where it placed them).

They go into the display list's ``guides`` (not ``items``) so the renderer can put them on an
optional-content layer that a viewer switches off, and press output never carries them.
"""

from __future__ import annotations

from layout.compose.module import module_outline
from layout.display import CMYK, Line, Polygon, Rect
from layout.model.frames import notch_frame
from layout.model.content import Document
from layout.model.geometry import Grid

CYAN: CMYK = (0.7, 0.0, 0.0, 0.0)
MAGENTA: CMYK = (0.0, 0.7, 0.0, 0.0)


def compose_guides(grid: Grid, doc: Document, placed: dict | None = None) -> list:
    """Non-printing guides: type area, columns, baselines, modules and photo frames. ``placed``
    (Notes.photo_frames of the composition) says where each photo actually went."""
    placed = placed or {}
    out: list = [Rect(grid.left, grid.top, grid.area_width, grid.area_height, stroke=MAGENTA, line_width=0.5, role="guide-area")]
    for c in range(1, grid.columns + 1):
        out.append(Rect(grid.column_x(c), grid.top, grid.column_width, grid.area_height, stroke=CYAN,
                        line_width=0.3, role="guide-column"))
    for ln in range(1, grid.lines + 1):
        y = grid.baseline(ln)
        out.append(Line(grid.left, y, grid.right, y, color=CYAN, width=0.1, role="guide-baseline"))
    for art in doc.articles:
        if art.frame is None:
            continue
        if notch_frame(art.frame) is not None:  # a stepped module: its L
            out.append(Polygon(module_outline(art.frame, grid, 0.0), stroke=MAGENTA, line_width=0.8, role="guide-module"))
        else:
            x, y, w, h = grid.rect(art.frame.column, art.frame.columns, art.frame.line, art.frame.lines)
            out.append(Rect(x, y, w, h, stroke=MAGENTA, line_width=0.8, role="guide-module"))
        for i, p in enumerate(art.photos):
            # where it went: copyfit may have resized it, the engine placed it when it had no frame
            f = placed.get((art.id, i)) or p.frame
            if f is None:
                continue
            x, y, w, h = grid.rect(f.column, f.columns, f.line, f.lines)
            out.append(Rect(x, y, w, h, stroke=MAGENTA, line_width=0.4, role="guide-module"))
    for ad in doc.ads:
        x, y, w, h = grid.rect(ad.frame.column, ad.frame.columns, ad.frame.line, ad.frame.lines)
        out.append(Rect(x, y, w, h, stroke=MAGENTA, line_width=0.8, role="guide-module"))
    return out
