"""The package's shape: no import cycle between its modules (imports inside functions count too: a lazy
cycle is still two modules that cannot be understood apart), and no module longer than about 400 lines.
Walks the source with ast; imports nothing from the package."""

from __future__ import annotations

import ast
from pathlib import Path

from haiti_mss import paths

PACKAGE = "haiti_mss"
MAX_LINES = 450


def modules(root: Path) -> dict[str, Path]:
    """{'haiti_mss.build.keys': path, 'haiti_mss.build': path/__init__.py, ...}"""
    found = {}
    for path in sorted(root.rglob("*.py")):
        parts = [PACKAGE, *path.relative_to(root).with_suffix("").parts]
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = path
    return found


def _type_checking_only(node: ast.AST) -> bool:
    return isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test)


def imported(name: str, path: Path, known: set[str]) -> set[str]:
    """The package modules `name` imports, anywhere in the file (not under `if TYPE_CHECKING:`)."""
    is_package = path.name == "__init__.py"
    here = name if is_package else name.rsplit(".", 1)[0]     # what "." means in this file
    out: set[str] = set()
    skip: set[int] = set()
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if _type_checking_only(node):
            skip |= {id(n) for n in ast.walk(node)}
    for node in ast.walk(tree):
        if id(node) in skip:
            continue
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = here.rsplit(".", node.level - 1)[0] if node.level > 1 else here
                base = f"{anchor}.{base}" if base else anchor
            targets = [f"{base}.{alias.name}" if f"{base}.{alias.name}" in known else base for alias in node.names]
        else:
            continue
        for target in targets:
            while target and target not in known:       # "haiti_mss.build.keys.Hasher" -> the module
                target = target.rpartition(".")[0]
            if not target or target == name:
                continue
            out.add(target)
            # Importing a.b.c runs a/__init__ and a/b/__init__ first, unless this module is inside them.
            parent = target.rpartition(".")[0]
            while parent and not (name == parent or name.startswith(parent + ".")):
                out.add(parent)
                parent = parent.rpartition(".")[0]
    return out


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components with more than one module (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


def graph_of(root: Path) -> dict[str, set[str]]:
    mods = modules(root)
    return {name: imported(name, path, set(mods)) for name, path in mods.items()}


def test_the_package_has_no_import_cycle():
    graph = graph_of(paths.PACKAGE_DIR)
    assert "haiti_mss.manifest" in graph["haiti_mss.export"]          # the walk sees lazy imports
    assert "haiti_mss.export" in graph["haiti_mss.build.runner"]
    assert cycles(graph) == []


def test_the_cycle_finder_finds_cycles(tmp_path):
    """The checker itself, on a throwaway package: the old build <-> export cycle (a lazy import), a cycle
    through a package's __init__, and relative imports two levels up."""
    root = tmp_path / PACKAGE
    (root / "sub").mkdir(parents=True)
    files = {
        "__init__.py": "",
        "export.py": "def f():\n    from .build import notebook_tables\n",
        "build.py": "from . import export\n",
        "sub/__init__.py": "from .leaf import x\n",
        "sub/leaf.py": "x = 1\ndef g():\n    from ..other import y\n",
        "other.py": "from .sub import leaf\ny = 2\n",
        "typed.py": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from .build import z\n",
    }
    for name, text in files.items():
        (root / name).write_text(text)
    graph = graph_of(root)
    assert graph["haiti_mss.sub.leaf"] == {"haiti_mss.other"}        # its own package is not an edge
    assert graph["haiti_mss.other"] == {"haiti_mss.sub", "haiti_mss.sub.leaf"}
    assert graph["haiti_mss.typed"] == set()
    assert cycles(graph) == [["haiti_mss.build", "haiti_mss.export"],
                             ["haiti_mss.other", "haiti_mss.sub", "haiti_mss.sub.leaf"]]


def test_no_module_is_too_long():
    lengths = {path.relative_to(paths.PACKAGE_DIR.parent).as_posix(): len(path.read_text(encoding="utf-8").splitlines())
               for path in sorted(paths.PACKAGE_DIR.rglob("*.py"))}
    assert lengths["haiti_mss/build/pipeline.py"] > 50                 # the walk sees the sub-package
    too_long = {name: n for name, n in lengths.items() if n > MAX_LINES}
    assert too_long == {}, f"split these modules (at most {MAX_LINES} lines; aim for 400): {too_long}"
