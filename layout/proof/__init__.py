"""Proofs: what the newsroom looks at before the plant prints a page.

* :mod:`.pages` - which pages a PDF holds (folio number, slug line), read back from the PDF;
* :mod:`.impose` - sheets for an office printer: the trimmed page fitted to the sheet with crop
  marks, a scale note and the slug, or tiled 1:1 with overlaps and assembly marks;
* :mod:`.cups` - sending those sheets to a CUPS server over IPP (pycups), with one-line errors
  and exit statuses of their own;
* :mod:`.job` - ``broadsheet print``: a page, an edition or a PDF in, sheets out, in page order;
* :mod:`.separate` - Ghostscript separations of a press page (the composite CMYK and each plate);
* :mod:`.softproof` - the page as newsprint shows it, through the press file's output profile;
* :mod:`.plates` - the C, M, Y and K plates as greyscale pictures, with their ink coverage.

Nothing here changes a press file: proofs are read from the PDFs the build writes.
"""
