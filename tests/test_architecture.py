"""The architecture holds: data flows one way (model -> compose -> assets -> render -> finish), and
each layer imports only what its job needs. Checked on the source with ``ast``, so a change that
breaks a rule fails here with the file and line, before anyone reads the diff.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PKG = ROOT / "layout"

#: libraries that draw, decode pixels or write PDF: composition and the model never need them
DRAWING = ("reportlab", "PIL", "pikepdf", "pypdfium2", "fontTools.pens")


def _modules(*folders: str) -> list[Path]:
    out: list[Path] = []
    for f in folders:
        p = PKG / f
        out += sorted(p.rglob("*.py")) if p.is_dir() else [p]
    return out


def _imports(path: Path) -> list[tuple[int, str]]:
    """(line, module) of every import in a file, at any depth (function-level ones too)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out += [(node.lineno, a.name) for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:  # relative: resolve against the file's package
                pkg = path.relative_to(ROOT).with_suffix("").parts[:-node.level]
                base = ".".join(pkg + ((base,) if base else ()))
            out.append((node.lineno, base))
            out += [(node.lineno, f"{base}.{a.name}") for a in node.names]
    return out


def _violations(paths, banned) -> list[str]:
    bad = []
    for path in paths:
        for line, mod in _imports(path):
            if any(mod == b or mod.startswith(b + ".") for b in banned):
                bad.append(f"{path.relative_to(ROOT)}:{line}: imports {mod}")
    return bad


def test_composition_and_the_model_draw_nothing_and_decode_no_pixels():
    paths = _modules("compose", "text", "model", "display.py", "findings.py")
    assert _violations(paths, DRAWING + ("layout.render", "layout.finish", "layout.assets", "layout.build")) == []


def test_composition_reads_no_yaml_and_writes_no_file():
    bad = _violations(_modules("compose", "text"), ("yaml", "layout.model.source", "layout.cache"))
    for path in _modules("compose", "text"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            f = node.func
            writes = (isinstance(f, ast.Name) and f.id == "open") or (
                isinstance(f, ast.Attribute) and (f.attr in ("write_bytes", "write_text", "mkdir", "unlink", "rename")
                                                  or (f.attr in ("replace", "remove") and isinstance(f.value, ast.Name)
                                                      and f.value.id == "os")))
            if writes:
                bad.append(f"{path.relative_to(ROOT)}:{node.lineno}: calls {ast.unparse(f)}()")
    assert bad == []


def test_rendering_makes_no_layout_decision():
    """The renderer sees the display list and the files to embed, nothing of the content."""
    assert _violations(_modules("render"), ("layout.compose", "layout.model", "layout.text", "yaml")) == []


def test_only_the_model_reads_the_raw_data():
    """Outside layout/model, pages are records: nobody reaches into a Source's parsed YAML."""
    bad = []
    for path in sorted(PKG.rglob("*.py")):
        if path.is_relative_to(PKG / "model"):
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Attribute) and node.attr == "data" and isinstance(node.value, ast.Name) \
                    and node.value.id in ("source", "src", "other"):
                bad.append(f"{path.relative_to(ROOT)}:{node.lineno}: reads {node.value.id}.data")
    assert bad == []


def test_no_function_level_import_cycle_in_the_package():
    """Every import of a layout module from inside a function is lazy for speed only, never to
    dodge a cycle: the imported module does not import the importer back."""
    graph: dict[str, set[str]] = {}
    for path in sorted(PKG.rglob("*.py")):
        name = ".".join(path.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")
        graph[name] = {m for _, m in _imports(path) if m.startswith("layout")}
    known = set(graph)

    def module_of(m: str) -> str | None:
        while m and m not in known:
            m = m.rpartition(".")[0]
        return m or None

    edges = {a: {module_of(m) for m in ms} - {None, a} for a, ms in graph.items()}
    cycles = sorted(f"{a} <-> {b}" for a in edges for b in edges[a] if a < b and a in edges.get(b, set())
                    and not (a.startswith(b + ".") or b.startswith(a + ".")))
    assert cycles == []


def test_no_test_imports_a_private_name():
    """Tests use what the package offers; a helper a test needs is part of its interface."""
    bad = []
    for path in sorted((ROOT / "tests").glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        layout_aliases = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("layout"):
                for a in node.names:
                    if a.name.startswith("_") and not a.name.startswith("__"):
                        bad.append(f"{path.name}:{node.lineno}: from {node.module} import {a.name}")
                    layout_aliases.add(a.asname or a.name)
            elif isinstance(node, ast.Import):
                for a in node.names:
                    if a.name.startswith("layout"):
                        layout_aliases.add((a.asname or a.name).split(".")[0])
        for node in ast.walk(tree):
            if isinstance(node, ast.Attribute) and node.attr.startswith("_") and not node.attr.startswith("__") \
                    and isinstance(node.value, ast.Name) and node.value.id in layout_aliases:
                bad.append(f"{path.name}:{node.lineno}: {node.value.id}.{node.attr}")
    assert bad == []


@pytest.mark.parametrize("folder", ["compose", "text", "model", "assets", "render", "finish", "fonts"])
def test_every_module_says_why_it_exists(folder):
    missing = [str(p.relative_to(ROOT)) for p in _modules(folder) if not ast.get_docstring(ast.parse(p.read_text(encoding="utf-8")))]
    assert missing == []
