"""Regenerate the documents derived from the content model:

- docs/content.schema.json: the JSON Schema editors validate content.yaml with
- docs/content.md: the content.yaml reference (every field, its type, default and description)
- docs/report.schema.json: the JSON Schema of `build --json` / `check --json` (docs/report.md)
- docs/epaper.schema.json: the JSON Schema of the e-paper's index.json (docs/epaper.md)

    .venv/bin/python tools/gen_docs.py          # write them
    .venv/bin/python tools/gen_docs.py --check  # exit 1 if they are out of date (the tests do this)
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from layout.model.reference import reference_markdown  # noqa: E402
from layout.model.schema import schema_json  # noqa: E402


def report_schema_json() -> str:
    import json

    from layout.report import report_schema

    return json.dumps(report_schema(), ensure_ascii=False, indent=2) + "\n"


def epaper_schema_json() -> str:
    import json

    from layout.epaper.index import index_schema

    return json.dumps(index_schema(), ensure_ascii=False, indent=2) + "\n"


TARGETS = {
    ROOT / "docs" / "content.schema.json": schema_json,
    ROOT / "docs" / "content.md": reference_markdown,
    ROOT / "docs" / "report.schema.json": report_schema_json,
    ROOT / "docs" / "epaper.schema.json": epaper_schema_json,
}


def main(argv: list[str]) -> int:
    check = "--check" in argv
    stale = []
    for path, make in TARGETS.items():
        text = make()
        if check:
            if not path.exists() or path.read_text(encoding="utf-8") != text:
                stale.append(path)
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
            print(f"wrote {path.relative_to(ROOT)}")
    if stale:
        print("out of date (run tools/gen_docs.py): " + ", ".join(str(p.relative_to(ROOT)) for p in stale))
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
