"""Checks that need the data, made once before any kernel starts.

Each data folder the build reads is validated once (every table: schema, invariants, hashes, the same
checks as `haiti-report check-data`). On failure DataError lists each problem once and nothing runs:
no kernel, no file written under reports/. Then each variant's parameters are checked against the data
(as_of not before the first figure, data-dependent defaults exist): a bad value is a ParameterError.

Only a build with work to do gets here: a notebook whose key is unchanged read the same bytes when it
was built, and validated them then.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Mapping

from .. import manifest, paths


class DataError(Exception):
    """The data does not validate: one line per problem, each folder's problems listed once."""

    def __init__(self, failures: Mapping[Path, Exception]):
        self.failures = dict(failures)
        parts = []
        for folder, exc in self.failures.items():
            problems = getattr(exc, "problems", None) or [exc]
            count = len(problems)
            parts.append(f"{count} problem{'s' if count != 1 else ''} in the data in {folder}:\n"
                         + "\n".join(f"  {p}" for p in problems))
        super().__init__("\n".join(parts))


class Preflight:
    """Validates each data folder once per build and resolves parameters against it."""

    def __init__(self) -> None:
        self._tables: dict[Path, dict] = {}
        self._failures: dict[Path, Exception] = {}
        self._spans: dict[Path, tuple] = {}

    def check_data(self, folders) -> None:
        """Validate every folder not yet seen; raise DataError naming every problem of every folder."""
        from .. import data
        from ..validation import DataValidationError

        for folder in folders:
            folder = Path(folder)
            if folder in self._tables or folder in self._failures:
                continue
            try:
                self._tables[folder] = data.load_tables(None, folder)
            except DataValidationError as exc:
                self._failures[folder] = exc
        failed = {f: e for f, e in self._failures.items() if f in {Path(x) for x in folders}}
        if failed:
            raise DataError(failed)

    def resolve(self, checked: Mapping[str, Any]) -> dict[str, Any]:
        """parameters.resolve against the (validated) data: raises ParameterError for a bad value."""
        from .. import data, parameters

        folder = paths.data_dir(checked.get("data_dir"))
        self.check_data([folder])
        tables = self._tables[folder]
        if folder not in self._spans:
            self._spans[folder] = data.date_span(tables, manifest.AS_OF_TABLES)
        earliest, newest = self._spans[folder]
        return parameters.resolve(dict(checked), tables, newest, earliest)
