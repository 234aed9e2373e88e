"""Content-hash cache keys: what a (variant, notebook) report depends on, as one sha256.

A key covers the notebook's bytes, the parameters it reads (manifest.parameters_read), the variant's
title and description, the descriptor entries and raw bytes of the tables it reads (and the tables
those refer to), every file of the package (code, templates, catalogs) and the tool versions.
Hashing reads raw bytes only: no data loading, no pandas, no papermill or nbconvert import, so an
up-to-date build stays fast.
"""

from __future__ import annotations

import hashlib
import json
import sys
from datetime import date, datetime
from pathlib import Path
from typing import Any, Iterable, Mapping

from .. import manifest, paths

KERNEL = "python3"
KEY_VERSION = "haiti-mss-build-2"
TOOLS = ("papermill", "nbclient", "ipykernel", "nbconvert", "nbformat", "weasyprint", "pandas", "matplotlib", "seaborn")


def jsonable(value: Any) -> Any:
    if isinstance(value, (date, datetime)):
        return value.isoformat()[:10]
    if isinstance(value, Path):
        return str(value)
    return value


def canonical(value: Any) -> bytes:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=jsonable).encode()


def parameters_for(notebook: str, passed: Mapping[str, Any]) -> dict[str, Any]:
    """The passed parameters this notebook reads: what papermill gives it, and what its key covers."""
    reads = manifest.parameters_read(notebook)
    return {k: v for k, v in passed.items() if reads is None or k in reads}


class Hasher:
    """Digests of files, cached for one build (each file is read once)."""

    def __init__(self) -> None:
        self._files: dict[Path, str] = {}
        self._package: str | None = None
        self._tools: dict[str, str] | None = None

    def file(self, path: Path) -> str:
        path = Path(path)
        if path not in self._files:
            try:
                self._files[path] = hashlib.sha256(path.read_bytes()).hexdigest()
            except OSError:
                self._files[path] = "missing"
        return self._files[path]

    def package(self) -> str:
        """Every file of the package: .py files, templates, message catalogs (not caches)."""
        if self._package is None:
            h = hashlib.sha256()
            root = Path(paths.PACKAGE_DIR)
            files = [p for p in root.rglob("*") if p.is_file() and "__pycache__" not in p.parts and p.suffix != ".pyc"]
            for p in sorted(files):
                h.update(p.relative_to(root).as_posix().encode() + b"\0" + self.file(p).encode() + b"\n")
            self._package = h.hexdigest()
        return self._package

    def tools(self) -> dict[str, str]:
        if self._tools is None:
            from importlib import metadata

            out = {"python": sys.version.split()[0], "kernel": KERNEL}
            for name in TOOLS:
                try:
                    out[name] = metadata.version(name)
                except metadata.PackageNotFoundError:
                    out[name] = "missing"
            self._tools = out
        return self._tools

    def data(self, folder: Path, tables: Iterable[str] | None) -> str:
        """The descriptor entries and raw bytes of the tables read (plus the tables they refer to)."""
        h = hashlib.sha256()
        try:
            descriptor = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
            resources = {r["name"]: r for r in descriptor.get("resources", [])}
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            return "unreadable:" + self.file(folder / "datapackage.json")
        h.update(canonical({k: v for k, v in descriptor.items() if k != "resources"}))
        closure = list(resources) if tables is None else list(tables)
        for name in closure:
            for fk in (resources.get(name) or {}).get("schema", {}).get("foreignKeys", []):
                target = (fk.get("reference") or {}).get("resource")
                if target and target not in closure:
                    closure.append(target)
        for name in sorted(closure):
            res = resources.get(name)
            if res is None:
                h.update(f"\0missing table {name}".encode())
                continue
            h.update(b"\0" + canonical(res) + b"\0" + self.file(folder / res.get("path", "")).encode())
        return h.hexdigest()

    def key(self, notebook_path: Path, notebook: str, parameters: Mapping[str, Any], variant: Mapping[str, Any]) -> str:
        folder = paths.data_dir(parameters.get("data_dir"))
        material = {
            "version": KEY_VERSION,
            "notebook": self.file(notebook_path),
            "parameters": parameters_for(notebook, parameters),
            "variant": dict(variant),
            "data": self.data(folder, manifest.notebook_tables(notebook)),
            "package": self.package(),
            "tools": self.tools(),
        }
        return hashlib.sha256(canonical(material)).hexdigest()
