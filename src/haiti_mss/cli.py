"""`haiti-report`: build the report, list its parameters, check and hash the data.

    haiti-report build [VARIANT ...] [--set NAME=VALUE ...] [--sets "NAME=VALUE ..."] [--out DIR]
                       [--notebook NAME ...] [--jobs N] [--force] [--timeout SECONDS] [--reports-dir DIR]
    haiti-report compare A B [--reports-dir DIR]
    haiti-report params
    haiti-report check-data [--data-dir DIR]
    haiti-report hash-data [--data-dir DIR]
    haiti-report update-data dtm [--dry-run] [--data-dir DIR]

Exit status: 0 success; 1 a notebook failed or the data does not validate (then nothing runs); 2 a
usage or parameter error (found before any kernel starts); 130/143 interrupted. Heavy libraries are
imported only when a command needs them, so a no-op build returns quickly.
"""

from __future__ import annotations

import argparse
import os
import shlex
import sys
from typing import Sequence


def _error(message: str, code: int) -> int:
    print(f"error: {' '.join(str(message).split())}", file=sys.stderr, flush=True)
    return code


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="haiti-report", description="Build and check the Haiti MSS report.")
    sub = parser.add_subparsers(dest="command", required=True)

    b = sub.add_parser("build", help="execute the notebooks of each variant into reports/ (HTML, PDF, figures.json)")
    b.add_argument("variants", nargs="*", metavar="VARIANT", help="names of params/*.yaml (default: all of them)")
    b.add_argument("--set", dest="overrides", action="append", default=[], metavar="NAME=VALUE",
                   help="override a parameter (repeatable); output goes to reports/VARIANT+NAME-VALUE-HASH unless --out")
    b.add_argument("--sets", metavar="'NAME=VALUE ...'", default="",
                   help="several overrides in one argument, split like a shell line (no shell involved): "
                        "quote a value with spaces, e.g. --sets 'planned_strength=5550 report_title=\"My title\"' "
                        "(what `make report SET=...` passes)")
    b.add_argument("--out", metavar="DIR", help="output folder (one variant only; not reports/ itself, not "
                                                 "another variant's folder)")
    b.add_argument("--notebook", dest="notebooks", action="append", default=[], metavar="NAME",
                   help="build only this notebook (repeatable; default: all of them)")
    b.add_argument("--jobs", "-j", type=int, default=None, metavar="N", help="parallel notebooks (default: CPU count)")
    b.add_argument("--force", action="store_true", help="rebuild even when up to date")
    b.add_argument("--timeout", type=float, default=600, metavar="SECONDS", help="per-cell timeout (default 600)")
    b.add_argument("--reports-dir", metavar="DIR", help="where reports go (default: reports/ in the project)")

    c = sub.add_parser("compare", help="two reports' headline figures side by side: reports/compare/A--B.html")
    c.add_argument("a", metavar="A", help="the first report's folder in reports/ (e.g. 2024-09-article)")
    c.add_argument("b", metavar="B", help="the second report's folder in reports/ (e.g. latest)")
    c.add_argument("--reports-dir", metavar="DIR", help="where reports are (default: reports/ in the project)")

    sub.add_parser("params", help="list every report parameter: type, default, allowed values")

    for name, text in (("check-data", "validate every table (schema, invariants, hashes)"),
                       ("hash-data", "refresh sha256 and byte counts in datapackage.json")):
        c = sub.add_parser(name, help=text)
        c.add_argument("--data-dir", metavar="DIR", help="data folder (default: data/ in the project)")

    # update-data: new rounds from IOM's DTM API (dtm_refresh.py)
    u = sub.add_parser("update-data", help="append IOM's new DTM rounds from the DTM API (key in DTMAPI_SUBSCRIPTION_KEY)")
    u.add_argument("source", choices=["dtm"], help="dtm: IOM's Displacement Tracking Matrix API, Haiti")
    u.add_argument("--dry-run", action="store_true", help="print what would change and write nothing")
    u.add_argument("--data-dir", metavar="DIR", help="data folder (default: data/ in the project)")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.command == "build":
        return _build(args)
    if args.command == "compare":
        return _compare(args)
    if args.command == "params":
        return _params()
    if args.command == "check-data":
        return _check_data(args.data_dir)
    if args.command == "update-data":
        return _update_data(args)
    return _hash_data(args.data_dir)


def _build(args) -> int:
    from . import build
    from .parameters import ParameterError

    if args.jobs is not None and args.jobs < 1:
        return _error("--jobs must be at least 1", 2)
    if args.timeout is not None and args.timeout <= 0:
        return _error("--timeout must be positive", 2)
    try:
        overrides = args.overrides + shlex.split(args.sets)
    except ValueError as exc:
        return _error(f"--sets {args.sets!r}: {exc} (close the quote around a value with spaces)", 2)
    try:
        result = build.build(args.variants or None, overrides, out=args.out, jobs=args.jobs, force=args.force,
                             timeout=args.timeout, reports_dir=args.reports_dir, notebooks=args.notebooks or None)
    except (ParameterError, build.BuildError) as exc:
        return _error(str(exc), 2)
    except build.DataError as exc:
        print(f"error: the data does not validate, so nothing was built and no report was touched "
              f"(after fixing a file, `make hash-data`, then `make check-data`):\n{exc}", file=sys.stderr, flush=True)
        return 1
    except build.Interrupted as exc:
        print("interrupted: staging folders removed, kernels stopped; previous reports untouched",
              file=sys.stderr, flush=True)
        return 128 + exc.signum
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr, flush=True)
        return 130
    counts = f"{len(result.built)} built, {len(result.skipped)} up to date, {len(result.failed)} failed"
    if result.failed:
        lines = [f"error: {len(result.failed)} notebook{'s' if len(result.failed) != 1 else ''} failed ({counts}):"]
        for r in result.failed:
            kept = f" (executed notebook kept at {_rel(r.failed_notebook)})" if r.failed_notebook else ""
            lines.append(f"  [{r.variant}] {r.notebook}: {r.message}{kept}")
        lines.append("  the previous outputs of the failed notebooks were left as they were")
        print("\n".join(lines), file=sys.stderr, flush=True)
        return 1
    print(f"{counts}; index: {_rel(result.index)}", flush=True)
    return 0


def _compare(args) -> int:
    from . import build, paths

    reports = args.reports_dir or paths.REPORTS_DIR
    try:
        path = build.write_comparison(reports, args.a, args.b)
    except build.CompareError as exc:
        return _error(str(exc), 2)
    build.write_index(reports)
    print(f"comparison: {_rel(path)}", flush=True)
    return 0


def _rel(path) -> str:
    rel = os.path.relpath(path)
    return str(path) if rel.startswith("..") else rel


def _params() -> int:
    from .parameters import describe

    rows = describe()
    cols = ["name", "type", "default", "allowed", "doc"]
    widths = {c: max(len(c), *(len(r[c]) for r in rows)) for c in cols[:-1]}
    head = "  ".join(c.ljust(widths[c]) for c in cols[:-1]) + "  doc"
    print(head)
    print("  ".join("-" * widths[c] for c in cols[:-1]) + "  " + "-" * 3)
    for r in rows:
        print("  ".join(r[c].ljust(widths[c]) for c in cols[:-1]) + "  " + r["doc"])
    print("\nSet them in params/*.yaml (parameters:) or per run: haiti-report build VARIANT --set NAME=VALUE")
    return 0


def _check_data(data_dir: str | None) -> int:
    from . import data, paths
    from .validation import DataValidationError

    folder = paths.data_dir(data_dir)
    try:
        tables = data.load_tables(None, folder)
    except DataValidationError as exc:
        print(str(exc), file=sys.stderr, flush=True)
        return 1
    rows = sum(len(t) for t in tables.values())
    print(f"{folder}: {len(tables)} tables, {rows:,} rows, all valid; all hashes match")
    return 0


def _hash_data(data_dir: str | None) -> int:
    from . import paths
    from .validation import DataValidationError, refresh_hashes

    folder = paths.data_dir(data_dir)
    try:
        changed = refresh_hashes(folder)
    except (OSError, ValueError, KeyError, DataValidationError) as exc:
        return _error(f"{folder}: {exc}", 1)
    if changed:
        print(f"updated the hash of {len(changed)} table{'s' if len(changed) != 1 else ''}: {', '.join(changed)}")
    else:
        print("all hashes were already up to date")
    return 0


def _update_data(args) -> int:
    from .dtm_refresh import RefreshError, refresh

    try:
        outcome = refresh(args.data_dir, dry_run=args.dry_run)
    except RefreshError as exc:
        return _error(str(exc), 1)
    except KeyboardInterrupt:
        print("interrupted: data/ was left as it was", file=sys.stderr, flush=True)
        return 130
    print("\n".join(outcome.lines), flush=True)
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
