"""Page composition: from the validated model to a display list. Knows nothing of PDF.

``page.compose_page`` is the entry point; each module sets one kind of block (folio, headline
block, body flow, photos, ads) on the page grid.
"""
