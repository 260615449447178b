"""An edition's booking list read and checked: ``ads.yaml`` (a mapping with ``ads:``) or a CSV
file whose header names the same columns (one booking a row), into
:class:`layout.model.content.BookingList` records, or located diagnostics.

A CSV file is read into the same data a YAML list gives, with the line and column of every
cell, so one reader (``layout.model.read``) checks both and words every problem at its cell.
Cells left empty are left out (the field's default); ``page`` is a number, ``at`` is written
``column,line`` (``5,90``).
"""

from __future__ import annotations

from pathlib import Path

from layout.errors import Diagnostic, InputError
from layout.model.source import Source, load_file

#: the CSV columns that are numbers, and those written as "column,line"
_NUMBERS = ("page",)


def load_bookings(path: Path):
    """The booking list at ``path`` (YAML or CSV) as records, and its source (for positions)."""
    from layout.model.content import BookingList
    from layout.model.read import read
    from layout.model.validate import located

    path = Path(path)
    source = _load_csv(path) if path.suffix.lower() == ".csv" else load_file(path)
    if isinstance(source.data, list):  # a bare list of bookings is read as `ads:`
        source.data = {"ads": source.data}
        source.values = {("ads",) + k: v for k, v in source.values.items()}
        source.keys = {("ads",) + k: v for k, v in source.keys.items()}
    if not isinstance(source.data, dict):
        raise InputError([source.diagnostic((), "a booking list is a mapping with `ads:` (a list of bookings)",
                                            hint="ads:\n  - {id: bank, size: 通栏, file: ads/bank.pdf}", code="not-mapping")])
    bookings, refused = read(source.data, BookingList)
    if refused:
        raise InputError(located(refused, source))
    problems = []
    seen: dict[str, int] = {}
    for i, b in enumerate(bookings.ads):
        if b.id in seen:
            line = source.position(("ads", seen[b.id], "id"))[0]
            problems.append(source.diagnostic(("ads", i, "id"), f"booking id {b.id!r} is used twice (first at line {line})",
                                              hint="give each booking its own id", code="duplicate-id"))
        seen.setdefault(b.id, i)
        if b.at is not None and b.page is None:
            problems.append(source.diagnostic(("ads", i, "at"), f"booking {b.id!r}: `at` fixes a place on a page, but which page?",
                                              hint="give its `page` too", key=True, code="missing-key"))
    if problems:
        raise InputError(problems)
    return bookings, source


def _load_csv(path: Path) -> Source:
    import csv
    import io

    from layout.model.source import MAX_BYTES

    try:
        if path.stat().st_size > MAX_BYTES:
            raise InputError([Diagnostic(f"the booking list is larger than {MAX_BYTES // 1024 // 1024} MiB", str(path),
                                         code="too-large")])
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise InputError([Diagnostic("no such file", str(path), code="missing-file")]) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError([Diagnostic(f"cannot read the booking list ({exc})", str(path), code="unreadable",
                                     hint="save it as UTF-8 CSV")]) from None
    lines = text.splitlines()
    rows = list(csv.reader(io.StringIO(text)))
    source = Source(file=str(path), text=text, data={"ads": []})
    if not rows:
        return source
    header = [h.strip() for h in rows[0]]
    head_starts = _cell_starts(lines[0]) if lines else []
    data = []
    line_no = 0
    for row in rows:
        line_no += 1
        while line_no <= len(lines) and not lines[line_no - 1].strip():
            line_no += 1  # (csv skips blank lines)
        if row is rows[0] or not any(c.strip() for c in row):
            continue
        starts = _cell_starts(lines[line_no - 1] if line_no <= len(lines) else "")
        i = len(data)
        entry: dict = {}
        for k, (name, cell) in enumerate(zip(header, row)):
            cell = cell.strip()
            if not name or not cell:
                continue
            col = starts[k] + 1 if k < len(starts) else 1
            value: object = cell
            if name in _NUMBERS and cell.isdigit():
                value = int(cell)
            elif name == "at" and "," in cell:
                c, _, ln = cell.partition(",")
                value = {"column": int(c) if c.strip().isdigit() else c.strip(),
                         "line": int(ln) if ln.strip().isdigit() else ln.strip()}
                source.values[("ads", i, "at", "column")] = (line_no, col)
                source.values[("ads", i, "at", "line")] = (line_no, col)
            entry[name] = value
            source.values[("ads", i, name)] = (line_no, col)
            source.keys[("ads", i, name)] = (1, head_starts[k] + 1 if k < len(head_starts) else 1)  # its column's name
        source.values[("ads", i)] = (line_no, 1)
        data.append(entry)
    source.data = {"ads": data}
    source.values[("ads",)] = (1, 1)
    return source


def _cell_starts(line: str) -> list[int]:
    """The offset of each cell of one CSV line (quotes respected)."""
    starts = [0]
    quoted = False
    for i, ch in enumerate(line):
        if ch == '"':
            quoted = not quoted
        elif ch == "," and not quoted:
            starts.append(i + 1)
    return starts
