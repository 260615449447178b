"""The e-paper (数字报 / 电子版): an edition, or a page, as a static web site.

``broadsheet epaper EDITION|PAGE -o DIR`` writes an index of the pages by section, a view per
page (its picture at several sizes, each story's area a link), a page per story (heads,
photos with captions and credits, body with section heads, jump lines linked to where the
story goes on), a tagged PDF per page and a JSON index for a CMS. It consumes the display list
and the validated records; it makes no layout decision. See docs/epaper.md.
"""

from layout.epaper.site import EpaperOptions, SiteReport, build_site

__all__ = ["EpaperOptions", "SiteReport", "build_site"]
