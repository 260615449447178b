"""The ``broadsheet`` command: subcommands in the manner of Typst, Vivliostyle and git.

Exit statuses: 0 success; 1 input error (the content file, an image, a font) or an output that
cannot be written there (permission, read-only, links that loop); 2 usage error; 3 overset text,
low-resolution images or a preflight failure under ``--strict``; 4 the installation lacks
something (the newsprint output profile: run ``make setup``); 74 the machine refused a write (disk
full, file-size limit, I/O error); 130 interrupted. 70 is an engine bug, never an input's fault.
Imports are lazy so ``--help`` and ``schema`` answer at once.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

EXIT_OK, EXIT_INPUT, EXIT_USAGE, EXIT_STRICT, EXIT_INTERRUPT = 0, 1, 2, 3, 130

EPILOG = """\
examples:
  broadsheet build                      build content.yaml into output/ (press PDF)
  broadsheet build page.yaml -o p3.pdf  build another page to a given file
  broadsheet build --proof              a light proof: no marks, no bleed
  broadsheet build edition.yaml         every page of an edition, in parallel, one PDF each
  broadsheet check content.yaml         validate and compose; report overset, write nothing
  broadsheet preview -o page.png        render the built page to PNG
  broadsheet preview --soft-proof       the page (and each article) as newsprint shows it
  broadsheet preview --plates -o plates/  the C, M, Y and K plates with their ink coverage
  broadsheet print --sheet a3           the seed page fitted to A3 on the default printer
  broadsheet print edition.yaml --sheet a4 --tile   an edition in 1:1 A4 tiles, in page order
  broadsheet plan edition.yaml          the flatplan: every page in spreads, state and ads (PNG, PDF)
  broadsheet diff old/ new/             what changed between two builds (pictures and a list)
  broadsheet serve                      a live preview in the browser, and the CMS's HTTP API
  broadsheet init pages/p2 --size tabloid   a new page folder that builds with no warning
  broadsheet schema > content.schema.json

exit status: 0 ok, 1 input error (or an output path that cannot be written), 2 usage error,
             3 overset/preflight failure with --strict, 4 set-up incomplete (run `make setup`),
             74 disk full, file-size limit (ulimit -f) or I/O error; print: 5-9 (see `broadsheet print --help`)
"""

PLAN_EPILOG = """\
examples:
  broadsheet plan                                   ./edition.yaml -> output/edition/edition-flatplan.png and .pdf
  broadsheet plan examples/night/edition.yaml -o night.png
  broadsheet plan edition.yaml --press --strict     as the press would take it: exit 3 if an ad is left out

exit status: 0 sheet written, 1 input error (the edition, its booking list; a page that fails is shown
             on the sheet as failed and gives 1), 2 usage error, 3 with --strict: overset text or an
             ad not placed
"""

DIFF_EPILOG = """\
examples:
  broadsheet build edition.yaml -o output/2200      the 22:00 proof
  broadsheet build edition.yaml -o output/2330      the 23:30 proof, after the late changes
  broadsheet diff output/2200 output/2330           which pages, which stories, what text; pictures
  broadsheet diff old.pdf new.pdf --json

exit status (as diff): 0 nothing changed, 1 something changed, 2 trouble (a missing or unreadable
             input, a usage error)
"""

PRINT_EPILOG = """\
examples:
  broadsheet print                                  content.yaml, fitted to the printer's paper
  broadsheet print content.yaml --printer Proofs --sheet a3
  broadsheet print content.yaml --sheet a4 --tile   1:1 tiles, 10 mm overlaps, assembly marks
  broadsheet print edition.yaml --pages 1-4 --copies 2
  broadsheet print output/seed.pdf --dry-run -o sheets.pdf   write what would be sent
  CUPS_SERVER=printhost:631 broadsheet print --printer Proofs --wait

A content file is built as the press PDF (the file the plant gets; --guides: a proof with its
guides), into a temporary folder; a PDF is printed as it is. Layers marked not to print (the
guides of `build --guides`) are always left out unless --guides is given.

exit status: 0 sent (with --wait: printed), 1 input error, 2 usage error, 4 pycups missing
             (run `make setup`), 5 no CUPS server answers, 6 no such printer (or no default),
             7 the server refused the job (queue not accepting, forbidden), 8 the printer is
             stopped/offline, or with --wait the job stopped or was held, cancelled, aborted,
             9 --wait timed out
"""


class _Parser(argparse.ArgumentParser):
    def error(self, message):  # usage errors: exit 2 with a hint, as git does (and a guess, when one is near)
        import re

        hint = f"see `{self.prog} --help`"
        m = re.search(r"invalid choice: '([^']*)' \(choose from (.*)\)", message)
        if m:
            near = _near(m.group(1), re.findall(r"'([^']*)'", m.group(2)))
            if near:
                hint = f"did you mean `{self.prog} {near}`? (see `{self.prog} --help`)"
        self.print_usage(sys.stderr)
        print(f"{self.prog}: error: {message}\nhint: {hint}", file=sys.stderr)
        raise SystemExit(EXIT_USAGE)


def _refuse_special_files(args) -> None:
    """A FIFO, a device or a loop of links named on the command line is refused as what it is
    before anything opens it (a FIFO would block the command for ever, /dev/zero never end)."""
    from layout.errors import Diagnostic, InputError
    from layout.files import special_file

    for name in ("file", "old", "new"):
        value = getattr(args, name, None)
        if isinstance(value, str) and value:
            what = special_file(value)
            if what and getattr(args, "command", "") == "diff":  # (diff's "trouble" is 2)
                from layout.errors import UsageError

                raise UsageError(f"{value} is {what}, not a file or folder")
            if what:
                raise InputError([Diagnostic(f"is {what}, not a file", value, code="special-file",
                                             hint="give the path of a regular file")])


#: what ``-o`` of a page build may not name: the build writes a PDF there
_NOT_A_PDF = (".yaml", ".yml", ".json", ".png", ".jpg", ".jpeg", ".tif", ".tiff", ".svg", ".html")


def _refuse_bad_output(args) -> None:
    """``-o`` naming the content file itself (the PDF would overwrite the editor's copy), or, for
    a build, a file whose suffix says it is no PDF (``-o page.png`` wrote a PDF under that
    name); nonsense resolutions and job counts. Usage errors, before anything is read."""
    from layout.errors import UsageError

    out, src = getattr(args, "output", None), getattr(args, "file", None)
    if isinstance(out, str) and out and isinstance(src, str) and src:
        o, f = Path(out), Path(src)
        if o.exists() and f.exists() and o.resolve() == f.resolve():
            raise UsageError(f"-o {out} is the content file itself: the output would overwrite it\n"
                             "hint: name another file, or leave -o out (output/<name>.pdf beside the content file)")
        if args.command in ("build", "check") and o.suffix.lower() in _NOT_A_PDF:
            hint = ("`broadsheet preview -o " + out + "` renders a picture"
                    if o.suffix.lower() in (".png", ".jpg", ".jpeg", ".tif", ".tiff", ".svg") else "name a .pdf file")
            raise UsageError(f"-o {out}: a build writes a PDF (or, for an edition, a folder), not a {o.suffix} file\n"
                             f"hint: {hint}")
    for name, low, high in (("dpi", 1, 2400), ("jobs", 1, 256)):
        v = getattr(args, name, None)
        if v is not None and not (low <= v <= high):
            raise UsageError(f"--{name} {v:g} is out of range: give {low} to {high}")


def _more(d) -> int:
    """How many diagnostics a "... and N more" note stands for."""
    import re

    m = re.search(r"and ([\d,]+) more", d.message)
    return int(m.group(1).replace(",", "")) if m else 0


def _near(word: str, choices, cutoff: float = 0.6) -> str:
    import difflib

    found = difflib.get_close_matches(word, list(choices), n=1, cutoff=cutoff)
    return found[0] if found else ""


def _unknown_options(parser: argparse.ArgumentParser, args, extras: list[str]) -> None:
    """Arguments nobody took: a usage error from the subcommand's own parser, with the option
    it most likely means."""
    sub = parser
    for action in parser._actions:  # (argparse keeps its subparsers here; there is no public accessor)
        if isinstance(action, argparse._SubParsersAction) and getattr(args, "command", None) in action.choices:
            sub = action.choices[args.command]
    options = [o for a in sub._actions for o in a.option_strings if o.startswith("--")]
    guesses = []
    for extra in extras:
        name = extra.split("=", 1)[0]
        near = _near(name, options, 0.75) if name.startswith("-") else ""  # (options share their "--")
        if near:
            guesses.append(f"`{extra}`: did you mean `{near}`?")
    message = f"unrecognized arguments: {' '.join(extras)}"
    if guesses:
        sub.print_usage(sys.stderr)
        print(f"{sub.prog}: error: {message}\nhint: {'; '.join(guesses)} (see `{sub.prog} --help`)", file=sys.stderr)
        raise SystemExit(EXIT_USAGE)
    sub.error(message)


def _parser() -> argparse.ArgumentParser:
    p = _Parser(prog="broadsheet", description="Typeset a newspaper page from content.yaml into a print-ready PDF.",
                epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    from layout import __version__

    p.add_argument("--version", action="version", version=f"broadsheet {__version__}")
    sub = p.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    def common(sp, with_file=True):
        if with_file:
            sp.add_argument("file", nargs="?", default="content.yaml",
                            help="the page's content file, or an edition (default: ./content.yaml)")
        sp.add_argument("--json", action="store_true", help="print the report as JSON for scripts")
        sp.add_argument("-q", "--quiet", action="store_true", help="print errors only")
        sp.add_argument("--no-normalize", action="store_true", help="keep punctuation as written (no ASCII -> full-width)")
        sp.add_argument("--allow-outside", action="store_true", help="allow image, font and profile paths outside the page's folder")
        sp.add_argument("--strict", action="store_true", help="overset text or low-resolution images fail the build (exit 3)")
        diagnostic_format(sp)

    def diagnostic_format(sp):
        sp.add_argument("--diagnostic-format", choices=["human", "short"], default="human",
                        help="human: the line and a caret under the problem (default); short: one line each, "
                             "file:line:col: severity: message, for editors' problem matchers")

    b = sub.add_parser("build", help="build the page PDF", formatter_class=argparse.RawDescriptionHelpFormatter,
                       description="Compose the page and write a press-ready PDF (or a proof).",
                       epilog="examples:\n  broadsheet build\n  broadsheet build content.yaml -o output/p3.pdf --strict\n  broadsheet build --verify        # read the press PDF back and check its PDF/X rules\n  broadsheet build --tagged        # a tagged PDF (structure tree, alt text, /Lang)\n  broadsheet build --proof --json")
    common(b)
    b.add_argument("-o", "--output", help="PDF to write (default: output/<name>.pdf beside the content file); for an edition, the folder")
    b.add_argument("-j", "--jobs", type=int, default=None, help="pages built at once for an edition (default: one per core)")
    b.add_argument("--proof", action="store_true", help="screen/office proof: no marks, no bleed")
    b.add_argument("--verify", action="store_true",
                   help="read the press PDF back with qpdf/pikepdf and check its PDF/X rules before keeping it")
    b.add_argument("--guides", action="store_true", help="draw columns, baseline grid and modules on a non-printing PDF layer (implies --proof)")
    b.add_argument("--tagged", action="store_true",
                   help="a tagged PDF: structure tree of stories, heads, paragraphs and figures (alt text) in reading "
                        "order, /Lang per story, for screen readers and text mining (press files stay PDF/X)")

    c = sub.add_parser("check", help="validate and compose without writing a PDF",
                       formatter_class=argparse.RawDescriptionHelpFormatter,
                       epilog="examples:\n  broadsheet check\n  broadsheet check page.yaml --json\n"
                              "  broadsheet check edition.yaml          every page of an edition, nothing written\n"
                              "  broadsheet check --diagnostic-format short   one line per problem, for an editor")
    common(c)

    s = sub.add_parser("schema", help="print the JSON Schema of content.yaml (or of the --json report)",
                       epilog="examples:\n  broadsheet schema > docs/content.schema.json\n"
                              "  broadsheet schema --report      what `build --json` and `check --json` print\n"
                              "  broadsheet schema --epaper      the e-paper's index.json",
                       formatter_class=argparse.RawDescriptionHelpFormatter)
    s.add_argument("-o", "--output", help="write to this file instead of standard output")
    s.add_argument("--report", action="store_true",
                   help="the schema of the --json output (page, edition or failure; see docs/report.md)")
    s.add_argument("--epaper", action="store_true",
                   help="the schema of the e-paper's index.json (see docs/epaper.md)")

    pv = sub.add_parser("preview", help="render a page (or an edition, or a PDF) to PNG",
                        epilog="examples:\n  broadsheet preview                 ./content.yaml -> output/<name>-proof.png\n"
                               "  broadsheet preview out.pdf -o p.png --dpi 40\n"
                               "  broadsheet preview edition.yaml -o pngs/   one PNG per page of an edition",
                        formatter_class=argparse.RawDescriptionHelpFormatter)
    pv.add_argument("file", nargs="?", default="content.yaml",
                    help="a content file (built as a proof first), an edition, or a PDF (default: ./content.yaml)")
    pv.add_argument("-o", "--output", help="PNG to write (an edition: the folder)")
    pv.add_argument("--page", type=int, default=1, help="page number (default 1)")
    pv.add_argument("--dpi", type=float, default=50, help="resolution (default 50)")
    pv.add_argument("--soft-proof", action="store_true",
                    help="render through the press PDF's output profile (newsprint paper and dot gain, absolute "
                         "colorimetric): the whole page, and each article and ad when the content file is known")
    pv.add_argument("--plates", action="store_true",
                    help="write the C, M, Y and K plates as greyscale PNGs into the folder -o names, with each "
                         "plate's ink coverage (printed, and as JSON beside them)")
    pr = sub.add_parser("print", help="print a page or an edition on an office printer (CUPS): fitted or tiled 1:1",
                        description="Print proof sheets of a page, an edition or a PDF through a CUPS server (IPP).",
                        epilog=PRINT_EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    pr.add_argument("file", nargs="?", default="content.yaml",
                    help="a page's content file, an edition, or a PDF (default: content.yaml)")
    pr.add_argument("--printer", help="the CUPS queue (default: the server's default printer)")
    pr.add_argument("--sheet", help="paper: a4, a3, a2, letter, legal, tabloid or a size such as 330x482mm "
                                    "(default: the printer's default paper if one of these, else a3)")
    pr.add_argument("--tile", action="store_true", help="1:1 tiles with overlaps and assembly marks, numbered")
    pr.add_argument("--overlap", type=float, default=10.0, metavar="MM", help="tiles' overlap in mm (default 10)")
    pr.add_argument("--copies", type=int, default=1, help="copies of every sheet (default 1)")
    pr.add_argument("--pages", metavar="LIST", help="page numbers to print, e.g. 3 or 1,3-5 (default: all)")
    pr.add_argument("--guides", action="store_true", help="print the guides too (builds a proof with its guides)")
    pr.add_argument("--dry-run", action="store_true", help="write the PDF that would be sent (-o FILE), print nothing")
    pr.add_argument("-o", "--output", help="with --dry-run: the PDF to write")
    pr.add_argument("--wait", action="store_true", help="wait until the printer has printed the job")
    pr.add_argument("--timeout", type=float, default=600, metavar="SECONDS", help="with --wait: how long (default 600)")
    pr.add_argument("--server", help="CUPS server, HOST[:PORT] or a socket path (default: $CUPS_SERVER, else the local one)")
    pr.add_argument("--allow-outside", action="store_true", help="allow image, font and profile paths outside the page's folder")
    pr.add_argument("-q", "--quiet", action="store_true", help="print errors only")
    pl = sub.add_parser("plan", help="the flatplan: every page of an edition on one sheet (PNG and PDF)",
                        description="Build an edition as proofs (booked ads placed) and write its flatplan: every page "
                                    "as a thumbnail in spreads, with its number, section, state (overset and underset "
                                    "per story, low-resolution photos, missing glyphs, booked ads) and its ads coloured "
                                    "by kind; the ads that could not be placed listed with their reasons.",
                        epilog=PLAN_EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    pl.add_argument("file", nargs="?", default="edition.yaml", help="the edition file (default: ./edition.yaml)")
    pl.add_argument("-o", "--output", help="the sheet to write, .png or .pdf (the other is written beside it; default "
                                           "output/<edition>/<edition>-flatplan.png beside the edition)")
    pl.add_argument("-j", "--jobs", type=int, default=None, help="pages built at once (default: one per core)")
    pl.add_argument("--dpi", type=float, default=110, help="resolution of the PNG (default 110)")
    pl.add_argument("--press", action="store_true",
                    help="build the press files, not proofs: ad files that fail the press checks are left out, as at press time")
    pl.add_argument("--strict", action="store_true", help="exit 3 when a page has overset text or an ad is not placed")
    pl.add_argument("--json", action="store_true", help="print the edition's report (with the sheet's files) as JSON")
    pl.add_argument("-q", "--quiet", action="store_true", help="print errors only")
    pl.add_argument("--allow-outside", action="store_true", help="allow image, font and profile paths outside the page's folder")

    df = sub.add_parser("diff", help="what changed between two proofs: two PDFs or two builds of an edition",
                        description="Compare two builds of an edition (their output folders) or two PDFs: for each "
                                    "changed page a picture (old and new side by side, changes outlined) and a list: "
                                    "the story that changed, text added and removed, overset that changed, photos "
                                    "replaced, ads added, moved or removed (from the builds' records where they exist, "
                                    "from the PDFs otherwise).",
                        epilog=DIFF_EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    df.add_argument("old", help="the earlier build: an edition's output folder, or a PDF")
    df.add_argument("new", help="the later build: an edition's output folder, or a PDF")
    df.add_argument("-o", "--output", help="folder for the pictures (default: <new>-diff beside the new build)")
    df.add_argument("--dpi", type=float, default=40, help="resolution of the pictures (default 40)")
    df.add_argument("--no-pictures", action="store_true", help="list the changes only")
    df.add_argument("--json", action="store_true", help="print the changes as JSON")
    df.add_argument("-q", "--quiet", action="store_true", help="print nothing; the exit status says")

    fo = sub.add_parser("fonts", help="a page's fonts: each role's file, the characters it sets, missing glyphs",
                        epilog="examples:\n  broadsheet fonts                   ./content.yaml: characters per role, missing glyphs\n"
                               "  broadsheet fonts edition.yaml      the same for every page of an edition\n"
                               "  broadsheet fonts --roles           the configured roles and their files, no page",
                        formatter_class=argparse.RawDescriptionHelpFormatter)
    fo.add_argument("file", nargs="?", default="content.yaml",
                    help="a content file, or an edition, whose characters to check (default: ./content.yaml)")
    fo.add_argument("--roles", action="store_true", help="list the configured font roles and their files (no page)")
    fo.add_argument("--json", action="store_true", help="print as JSON")
    diagnostic_format(fo)

    w = sub.add_parser("watch", help="rebuild on every save (fonts and images stay warm)",
                       epilog="example:\n  broadsheet watch content.yaml --proof",
                       formatter_class=argparse.RawDescriptionHelpFormatter)
    w.add_argument("file", nargs="?", default="content.yaml", help="the page's content file (default: ./content.yaml)")
    w.add_argument("-o", "--output", help="PDF to write")
    w.add_argument("--proof", action="store_true", help="write proofs (no marks, no bleed)")
    w.add_argument("--open", action="store_true", help="open the PDF in the system's viewer after the first build")
    w.add_argument("--no-clear", action="store_true", help="do not clear the screen before each rebuild")
    diagnostic_format(w)

    sv = sub.add_parser("serve", help="a live preview in the browser, and the HTTP API a CMS builds through",
                        description="Serve a page (or an edition) as a live preview that redraws on every save, "
                                    "with overlays and click-to-source; the same server answers POST /build "
                                    "(docs/api.md).",
                        epilog="examples:\n  broadsheet serve                        ./content.yaml on http://127.0.0.1:8000/\n"
                               "  broadsheet serve edition.yaml --port 8080   the flatplan, each page a click away\n"
                               "  broadsheet serve --host 0.0.0.0 --token SECRET   the CMS API for other machines",
                        formatter_class=argparse.RawDescriptionHelpFormatter)
    sv.add_argument("file", nargs="?", default="content.yaml",
                    help="the page's content file, or an edition (default: ./content.yaml; `--api-only`: none)")
    sv.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1, this machine only)")
    sv.add_argument("--port", type=int, default=8000, help="port (default 8000; 0: any free port)")
    sv.add_argument("--token", default=None,
                    help="bearer token that requests not from loopback must carry (default: $BROADSHEET_TOKEN); "
                         "required with a --host other than loopback")
    sv.add_argument("--jobs", type=int, default=None, help="API builds at once (default: one per core)")
    sv.add_argument("--queue", type=int, default=8, help="API builds waiting at most; more get 429 (default 8)")
    sv.add_argument("--timeout", type=float, default=60, metavar="SECONDS", help="time limit of one API build (default 60)")
    sv.add_argument("--max-upload", type=float, default=64, metavar="MB", help="largest request to POST /build (default 64 MB)")
    sv.add_argument("--api-only", action="store_true", help="no page to preview: only the API")
    sv.add_argument("--open", action="store_true", help="open the preview in the system's browser")

    ep = sub.add_parser("epaper", help="the edition (or a page) as a web site: page pictures with clickable stories, "
                                       "a page per story, tagged PDFs, a JSON index",
                        description="Write the e-paper (数字报): an index of the pages by section, a view of each page "
                                    "whose stories are links, a page per story, each page's tagged PDF and index.json "
                                    "(docs/epaper.md). A page that fails to build is listed as missing; the rest is "
                                    "written. Nothing is written outside DIR.",
                        epilog="examples:\n  broadsheet epaper examples/edition/edition.yaml -o site\n"
                               "  broadsheet epaper content.yaml -o site     one page\n"
                               "  xdg-open site/index.html                   no server needed",
                        formatter_class=argparse.RawDescriptionHelpFormatter)
    ep.add_argument("file", nargs="?", default="content.yaml", help="an edition or a page's content file (default: ./content.yaml)")
    ep.add_argument("-o", "--output", required=True, metavar="DIR", help="the folder to write the site into")
    ep.add_argument("-j", "--jobs", type=int, default=None, help="pages built at once (default: one per core)")
    ep.add_argument("--no-normalize", action="store_true", help="keep punctuation as written (no ASCII -> full-width)")
    ep.add_argument("--allow-outside", action="store_true", help="allow image, font and profile paths outside the page's folder")
    ep.add_argument("-q", "--quiet", action="store_true", help="print errors only")
    diagnostic_format(ep)

    pf = sub.add_parser("preflight", help="check a PDF (any PDF) for press: boxes, fonts, colour, images, ink, PDF/X",
                        epilog="examples:\n  broadsheet preflight output/seed.pdf\n  broadsheet preflight ad.pdf --json --tac-limit 220",
                        formatter_class=argparse.RawDescriptionHelpFormatter)
    pf.add_argument("file", help="the PDF to check")
    pf.add_argument("--json", action="store_true", help="print the report as JSON")
    pf.add_argument("--tac-limit", type=float, default=240, help="maximum total ink in percent (default 240)")
    pf.add_argument("--min-ppi", type=float, default=170, help="lowest acceptable effective image resolution (default 170)")
    pf.add_argument("--variant", choices=["X-4", "X-1a"], help="check against this PDF/X variant (default: what the file declares)")
    pf.add_argument("--dpi", type=float, default=50, help="resolution of the ink-coverage separations (default 50)")

    it = sub.add_parser("init", help="start a new page folder from a template",
                        epilog="example:\n  broadsheet init pages/p2 && broadsheet build pages/p2/content.yaml",
                        formatter_class=argparse.RawDescriptionHelpFormatter)
    it.add_argument("dir", help="folder to create (must not hold a content.yaml yet)")
    it.add_argument("--size", default="berliner", choices=["broadsheet", "berliner", "tabloid"],
                    help="paper size: broadsheet (对开, 8 columns), berliner (6 columns, default), tabloid (四开, 5 columns)")
    it.add_argument("--paper", default="示例日报", help="the newspaper's name in the folio (default 示例日报)")
    it.add_argument("--page", type=int, default=2, help="the page number in the folio (default 2)")
    return p


def _cmd_fonts(args) -> int:
    """The fonts a page (or every page of an edition) sets, per role; ``--roles``: the configured
    roles and their files, with no page."""
    if args.roles:
        return _font_roles(args)
    from layout.build import BuildOptions, build
    from layout.model.source import is_edition, load_file

    source = load_file(args.file)
    if is_edition(source):
        from layout.edition import build_edition

        report = build_edition(Path(args.file), BuildOptions(write=False, proof=True))
        if args.json:
            import msgspec

            print(json.dumps({str(p.page): ({"file": p.file, "fonts": msgspec.to_builtins(p.report.fonts)} if p.report
                                            else {"file": p.file, "error": p.error})
                              for p in report.pages}, ensure_ascii=False, indent=2))
        else:
            for p in report.pages:
                print(f"page {p.page}: {p.file}")
                if p.report is None:
                    _print_diagnostics(p.diagnostics, False, sys.stdout)
                    if not p.diagnostics:
                        print(f"  error: {p.error}")
                    continue
                _font_rows(p.report.fonts, "  ")
        return EXIT_OK if all(p.report is not None for p in report.pages) else EXIT_INPUT
    report = build(args.file, BuildOptions(write=False, proof=True), source=source)
    if args.json:
        import msgspec

        print(json.dumps(msgspec.to_builtins(report.fonts), ensure_ascii=False, indent=2))
        return EXIT_OK
    _font_rows(report.fonts)
    return EXIT_OK


def _font_rows(rows, pad: str = "") -> None:
    for role, info in rows.items():
        miss = "".join(info.missing)
        print(f"{pad}{role:14} {info.characters:5} chars  {info.name} ({info.outlines})"
              + (f"  MISSING: {miss}" if miss else ""))
        print(f"{pad}{'':14} {info.file}" + (f" #{info.index}" if info.index else ""))


def _font_roles(args) -> int:
    from layout.fonts import FontConfigError
    from layout.fonts.faces import DEFAULT_CONFIG
    from layout.fonts.registry import FontRegistry

    registry = FontRegistry.load(DEFAULT_CONFIG)
    rows = {}
    status = EXIT_OK
    for role in registry.roles:
        try:
            path, index = registry.resolve(role)
            rows[role] = {"file": str(path), "index": index}
        except FontConfigError as exc:
            rows[role] = {"error": str(exc), "hint": getattr(exc, "hint", "")}
            status = EXIT_INPUT
    if args.json:
        print(json.dumps(rows, ensure_ascii=False, indent=2))
    else:
        for role, info in rows.items():
            if "error" in info:
                print(f"{role:14} ERROR {info['error']}" + (f"\n{'':14} hint: {info['hint']}" if info["hint"] else ""))
            else:
                print(f"{role:14} {info['file']}" + (f" #{info['index']}" if info["index"] else ""))
    return status


def _cmd_init(args) -> int:
    from layout.newpage import create
    from layout.output import REPO_ROOT

    photos = [REPO_ROOT / "images" / "power-valley.jpg", REPO_ROOT / "images" / "wanfeng-lake.jpg"]
    content = create(Path(args.dir), size=args.size, paper=args.paper, page=args.page, photos=photos)
    print(f"created {content} (a {args.size} page) and content.schema.json beside it\n"
          f"next: cd {content.parent} && broadsheet build   (or `broadsheet serve` for a live preview)")
    return EXIT_OK


#: how diagnostics are shown (set by main from --diagnostic-format and the terminal)
_SHOW = {"short": False}


def _print_diagnostics(diags, as_json: bool, stream=None) -> None:
    from layout.term import colour_lines, short, use_color

    if as_json:
        return
    stream = stream or sys.stderr
    colour = use_color(stream)
    for d in diags:
        print(short(d) if _SHOW["short"] else colour_lines(d.format(), colour), file=stream)


def _print_summary(report) -> None:
    """A report's summary lines (coloured on a terminal); under --diagnostic-format short, its
    findings one line each at their place in content.yaml, then its first line."""
    from layout.term import colour_lines, short_finding, use_color

    lines = report.summary_lines()
    if _SHOW["short"] and hasattr(report, "findings"):
        from layout.findings import Copyfit, Normalized
        from layout.report import describe

        for f in report.findings:
            if not isinstance(f, (Normalized, Copyfit)):
                print(short_finding(f, describe(f), report.input))
        print(lines[0])
        return
    print(colour_lines("\n".join(lines), use_color(sys.stdout)))


def _print_report(report, args, *, diagnostics: bool = False) -> None:
    """The report of a page or an edition: whole as JSON (``--json``), else its summary (its
    warnings first for a page), nothing under ``--quiet``."""
    if args.json:
        print(json.dumps(report.to_dict(), ensure_ascii=False, indent=2))  # (the schema: `broadsheet schema --report`)
    elif not args.quiet:
        if diagnostics:
            _print_diagnostics(report.diagnostics, False)
        _print_summary(report)


def _cmd_edition(args) -> int:
    from layout.build import BuildOptions
    from layout.edition import build_edition

    opts = BuildOptions(proof=getattr(args, "proof", False), strict=args.strict,
                        normalize=False if args.no_normalize else None, allow_outside=args.allow_outside,
                        verify=getattr(args, "verify", False), write=getattr(args, "command", "build") != "check",
                        tagged=getattr(args, "tagged", False))
    bars = EditionProgress() if not args.json and not args.quiet and sys.stderr.isatty() else None
    try:
        report = build_edition(Path(args.file), opts, out_dir=Path(args.output) if getattr(args, "output", None) else None,
                               workers=getattr(args, "jobs", None), on_page=bars.page if bars else None,
                               on_stage=bars.stage if bars else None)
    finally:
        if bars is not None:
            bars.stop()
    _print_report(report, args)
    if args.quiet and not args.json:  # (quiet drops the summary, never why a page failed)
        for p in report.pages:
            if p.report is None:
                print(f"broadsheet: page {p.page} ({p.file}) failed: {p.error}", file=sys.stderr)
    if not report.ok:
        failed = [p.status or EXIT_INPUT for p in report.pages if p.report is None]
        if not failed:
            return EXIT_STRICT
        # a write the machine refused (74) outranks a page's own input: the night desk must
        # hear that the disk is full, not that one page has a typo
        return max(failed) if any(s != EXIT_INPUT for s in failed) else EXIT_INPUT
    return EXIT_OK


class EditionProgress:
    """A progress bar per page of an edition on the terminal (standard error, so that standard
    output stays the report): waiting, then each stage of the page's build, then its outcome."""

    STEPS = {"waiting": 0, "reading": 1, "composing": 2, "preparing": 3, "drawing": 4}

    def __init__(self) -> None:
        from rich.console import Console
        from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

        self.progress = Progress(TextColumn("{task.fields[page]:>7}"), BarColumn(bar_width=24),
                                 TextColumn("{task.description}"), TimeElapsedColumn(),
                                 console=Console(stderr=True), transient=True)
        self.tasks: dict[int, int] = {}
        self.progress.start()

    def _task(self, page: int) -> int:
        if page not in self.tasks:
            self.tasks[page] = self.progress.add_task("waiting", total=5, page=f"page {page}")
        return self.tasks[page]

    def stage(self, page: int, stage: str) -> None:
        step = self.STEPS.get(stage.split()[0], 0)
        self.progress.update(self._task(page), completed=step, description=stage)

    def page(self, outcome) -> None:
        r = outcome.report
        state = "[red]FAILED[/red]" if r is None else "[yellow]built, overset[/yellow]" if r.overset else "[green]done[/green]"
        self.progress.update(self._task(outcome.page), completed=5, description=state)

    def stop(self) -> None:
        self.progress.stop()


def _cmd_diff(args) -> int:
    import msgspec

    from layout.diff import diff

    try:
        report = diff(Path(args.old), Path(args.new), Path(args.output) if args.output else None, dpi=args.dpi,
                      pictures=not args.no_pictures)
    except (FileNotFoundError, OSError) as exc:
        print(f"broadsheet diff: {exc}", file=sys.stderr)
        return EXIT_USAGE  # (diff's trouble status)
    if args.json:
        print(json.dumps({**msgspec.to_builtins(report), "same": report.same}, ensure_ascii=False, indent=2))
    elif not args.quiet:
        for line in report.lines():
            print(line)
        if not report.same:
            n = len(report.changed)
            basis = "the builds' records" if report.basis == "records" else "the PDFs"
            print(f"{n} of {report.pages} page{'s' if report.pages != 1 else ''} changed "
                  f"(compared on {basis}, {report.seconds:.2f} s)")
    return EXIT_OK if report.same else 1


def _cmd_plan(args) -> int:
    from layout.build import BuildOptions
    from layout.errors import UsageError
    from layout.flatplan import flatplan
    from layout.model.source import is_edition, load_file

    if not is_edition(load_file(args.file)):
        raise UsageError(f"{args.file} is a page, not an edition: a flatplan shows an edition's pages "
                         "(`broadsheet preview` draws one page)")
    out = Path(args.output) if args.output else None
    if out is not None and out.suffix.lower() not in (".png", ".pdf"):
        raise UsageError(f"-o {args.output}: name a .png or .pdf file (the other is written beside it)")
    bars = EditionProgress() if not args.json and not args.quiet and sys.stderr.isatty() else None
    opts = BuildOptions(proof=not args.press, strict=args.strict, allow_outside=args.allow_outside)
    try:
        result = flatplan(Path(args.file), out, workers=args.jobs, on_page=bars.page if bars else None,
                          on_stage=bars.stage if bars else None, options=opts, dpi=args.dpi)
    finally:
        if bars is not None:
            bars.stop()
    report = result.report
    if args.json:
        print(json.dumps({**report.to_dict(), "flatplan": {"png": str(result.png), "pdf": str(result.pdf)}},
                         ensure_ascii=False, indent=2))
    elif not args.quiet:
        _print_summary(report)
        print(f"flatplan: {result.png}\n          {result.pdf}")
    if any(p.report is None for p in report.pages):
        return EXIT_INPUT
    if args.strict and (not report.ok or any(p.report.overset for p in report.pages)):
        return EXIT_STRICT
    return EXIT_OK


def _cmd_build(args, write: bool) -> int:
    from layout.build import BuildOptions, build
    from layout.model.source import is_edition, load_file

    source = load_file(args.file)  # parsed once: the page build takes it from here
    if is_edition(source):
        if getattr(args, "guides", False):
            args.proof = True  # guides never go to press
        return _cmd_edition(args)

    progress, status = None, None
    if not args.json and not args.quiet and sys.stderr.isatty():
        from rich.console import Console

        status = Console(stderr=True).status("starting", spinner="dots")
        status.start()
        progress = lambda stage: status.update(stage)  # noqa: E731
    opts = BuildOptions(output=Path(args.output) if getattr(args, "output", None) else None,
                        proof=getattr(args, "proof", False) or getattr(args, "guides", False), strict=args.strict,
                        guides=getattr(args, "guides", False),
                        normalize=False if args.no_normalize else None, allow_outside=args.allow_outside,
                        write=write, progress=progress, verify=getattr(args, "verify", False),
                        tagged=getattr(args, "tagged", False))
    try:
        report = build(args.file, opts, source=source)
    finally:
        if status is not None:
            status.stop()
    _print_report(report, args, diagnostics=True)
    if args.strict and not report.ok:
        if not args.json:
            print("broadsheet: --strict: the page has overset text or low-resolution images", file=sys.stderr)
        return EXIT_STRICT
    return EXIT_OK


def _cmd_schema(args) -> int:
    if args.report:
        from layout.report import report_schema

        text = json.dumps(report_schema(), ensure_ascii=False, indent=2) + "\n"
    elif args.epaper:
        from layout.epaper.index import index_schema

        text = json.dumps(index_schema(), ensure_ascii=False, indent=2) + "\n"
    else:
        from layout.model.schema import schema_json

        text = schema_json()
    if args.output:
        from layout.errors import OutputError

        try:
            Path(args.output).write_text(text, encoding="utf-8")
        except OSError as exc:
            raise OutputError(f"cannot write {args.output}: {exc.strerror or exc}") from None
    else:
        sys.stdout.write(text)
    return EXIT_OK


def _cmd_preview(args) -> int:
    src = Path(args.file)
    if src.suffix.lower() in (".yaml", ".yml") and not (args.soft_proof or args.plates):
        from layout.model.source import is_edition, load_file

        if is_edition(load_file(src)):
            return _preview_edition(args, src)
    if args.soft_proof or args.plates:
        from layout.errors import UsageError

        if args.soft_proof and args.plates:
            raise UsageError("--soft-proof and --plates are two previews: ask for one at a time")
        if args.plates and not args.output:
            raise UsageError("--plates writes one PNG per plate: name the folder with -o DIR")
        from layout.proof.previews import preview_press

        for line in preview_press(src, Path(args.output) if args.output else None, page=args.page, dpi=args.dpi,
                                  plates=args.plates):
            print(line)
        return EXIT_OK
    from layout.preview import preview

    out = preview(src, Path(args.output) if args.output else None, page=args.page, dpi=args.dpi)
    print(out)
    return EXIT_OK


def _preview_edition(args, src: Path) -> int:
    """Every page of an edition built as a proof, and each rendered to PNG (into -o DIR, else
    beside its PDF)."""
    from layout.build import BuildOptions
    from layout.edition import build_edition
    from layout.preview import preview

    report = build_edition(src, BuildOptions(proof=True))
    out_dir = Path(args.output) if args.output else None
    if out_dir is not None:
        out_dir.mkdir(parents=True, exist_ok=True)
    status = EXIT_OK
    for p in report.pages:
        if p.report is None:
            print(f"page {p.page}: FAILED {p.file}", file=sys.stderr)
            _print_diagnostics(p.diagnostics, False)
            status = EXIT_INPUT
            continue
        pdf = Path(p.report.output)
        png = (out_dir / pdf.with_suffix(".png").name) if out_dir else pdf.with_suffix(".png")
        print(preview(pdf, png, dpi=args.dpi))
    return status


def _cmd_epaper(args) -> int:
    from layout.epaper import EpaperOptions, build_site

    status = None
    if not args.quiet and sys.stderr.isatty():
        from rich.console import Console

        status = Console(stderr=True).status("starting", spinner="dots")
        status.start()
    try:
        report = build_site(Path(args.file), EpaperOptions(
            out=Path(args.output), jobs=args.jobs, normalize=False if args.no_normalize else None,
            allow_outside=args.allow_outside, progress=(lambda stage: status.update(stage)) if status else None))
    finally:
        if status is not None:
            status.stop()
    for p in report.missing:
        _print_diagnostics(p.diagnostics, False)
    if not args.quiet or report.missing:
        for line in report.summary_lines():
            print(line, file=sys.stdout if report.ok else sys.stderr)
    return EXIT_OK if report.ok else EXIT_INPUT


def _cmd_print(args) -> int:
    from layout.proof.job import PrintRequest, run

    outcome = run(PrintRequest(file=Path(args.file), printer=args.printer, sheet=args.sheet, tile=args.tile,
                               copies=args.copies, pages=args.pages, guides=args.guides, dry_run=args.dry_run,
                               output=Path(args.output) if args.output else None, wait=args.wait,
                               timeout=args.timeout, server=args.server, overlap_mm=args.overlap,
                               allow_outside=args.allow_outside))
    if not args.quiet:
        for line in outcome.lines():
            print(line)
    return EXIT_OK


def main(argv: list[str] | None = None) -> int:
    from layout.collector import tune
    from layout.errors import BroadsheetError, InputError

    tune()
    parser = _parser()
    args, extras = parser.parse_known_args(argv)
    if extras:
        _unknown_options(parser, args, extras)
    _SHOW["short"] = getattr(args, "diagnostic_format", "human") == "short"
    if not args.command:
        parser.print_help()
        return EXIT_USAGE
    as_json = getattr(args, "json", False)
    try:
        _refuse_special_files(args)
        _refuse_bad_output(args)
        if args.command == "build":
            return _cmd_build(args, write=True)
        if args.command == "check":
            return _cmd_build(args, write=False)
        if args.command == "schema":
            return _cmd_schema(args)
        if args.command == "preview":
            return _cmd_preview(args)
        if args.command == "print":
            return _cmd_print(args)
        if args.command == "epaper":
            return _cmd_epaper(args)
        if args.command == "watch":
            from layout.build import BuildOptions
            from layout.watch import watch

            return watch(Path(args.file), BuildOptions(output=Path(args.output) if args.output else None, proof=args.proof),
                         clear=not args.no_clear, open_viewer=args.open, short=_SHOW["short"])
        if args.command == "serve":
            from layout.serve import ServeOptions, serve

            return serve(ServeOptions(file=None if args.api_only else Path(args.file), host=args.host, port=args.port,
                                      token=args.token if args.token is not None else os.environ.get("BROADSHEET_TOKEN"),
                                      jobs=args.jobs, queue=args.queue, timeout=args.timeout,
                                      max_upload=int(args.max_upload * 1024 * 1024), open_browser=args.open))
        if args.command == "preflight":
            from layout.preflight import main as preflight_main

            argv2 = [args.file, "--tac-limit", str(args.tac_limit), "--min-ppi", str(args.min_ppi), "--dpi", str(args.dpi)]
            if args.json:
                argv2.append("--json")
            if args.variant:
                argv2 += ["--variant", args.variant]
            return preflight_main(argv2)
        if args.command == "fonts":
            return _cmd_fonts(args)
        if args.command == "plan":
            return _cmd_plan(args)
        if args.command == "diff":
            return _cmd_diff(args)
        if args.command == "init":
            return _cmd_init(args)
        parser.error(f"unknown command {args.command!r}")
    except InputError as exc:
        if as_json:
            from layout.report import Failure

            print(json.dumps(Failure(diagnostics=exc.diagnostics).to_dict(), ensure_ascii=False, indent=2))
        else:
            _print_diagnostics(exc.diagnostics, False)
            n = sum(1 for d in exc.diagnostics if d.severity == "error" and d.code != "more")
            n += sum(_more(d) for d in exc.diagnostics if d.severity == "error" and d.code == "more")
            # (what was not written: the PDF of a build, the picture of a preview, the site ...)
            nothing = {"build": "no PDF written", "check": "no PDF written", "preview": "no picture written",
                       "epaper": "no site written", "plan": "no flatplan written", "print": "nothing sent"}
            print(f"broadsheet: {n} error{'s' if n != 1 else ''}; {nothing.get(args.command, 'nothing written')}",
                  file=sys.stderr)
        return exc.exit_status
    except BroadsheetError as exc:
        if as_json:
            from layout.report import Failure

            print(json.dumps(Failure(error=str(exc)).to_dict(), ensure_ascii=False, indent=2))
        else:
            from layout.term import colour_lines, use_color

            print(colour_lines(f"broadsheet: error: {exc}", use_color(sys.stderr)), file=sys.stderr)
        return exc.exit_status
    except KeyboardInterrupt:
        print("broadsheet: interrupted; nothing written", file=sys.stderr)
        return EXIT_INTERRUPT
    except BrokenPipeError:
        return EXIT_OK
    except OSError as exc:  # the machine's or a path's fault, not the engine's: named, with its own status
        from layout.errors import fault

        err = fault(exc, doing=None)
        if as_json:
            from layout.report import Failure

            print(json.dumps(Failure(error=str(err)).to_dict(), ensure_ascii=False, indent=2))
        else:
            print(f"broadsheet: error: {err}", file=sys.stderr)
        return err.exit_status
    except Exception as exc:  # an engine bug: a short message, the traceback only on request
        if os.environ.get("BROADSHEET_DEBUG"):
            raise
        print(f"broadsheet: internal error: {type(exc).__name__}: {exc}\n"
              "hint: this is a bug in broadsheet; run with BROADSHEET_DEBUG=1 for the traceback", file=sys.stderr)
        return 70
    return EXIT_OK
