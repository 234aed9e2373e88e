"""Build the report: every (variant, notebook) executed with papermill, exported to HTML and PDF.

    result = build(["gsf-5550"], {"as_of": "2025-06-30"}, jobs=2)
    result.exit_code    # 0 all good, 1 some notebook failed

- Parameters (variant + overrides) are checked before any kernel starts: names, types and static
  ranges always; data-dependent ranges (as_of before the first figure, ...) whenever a notebook has
  to run. A bad value raises haiti_mss.parameters.ParameterError (one line).
- Incremental: each (variant, notebook) has a content-hash key (notebook bytes, parameters, the data
  files the notebook reads, the package's code and templates, tool versions), kept in
  <out>/.build-state.json; an unchanged key with all outputs present is skipped. Hashing reads raw
  bytes only: no data loading, no pandas-heavy work, no papermill/nbconvert import.
- Parallel: jobs run in a process pool (fork) of up to `jobs` workers.
- Safe: a job writes into <out>/.staging-*/ and moves ipynb, html and pdf into place only when all
  three succeeded; a failed executed notebook is kept at <out>/_failed/<notebook>.ipynb and the
  previous good outputs are untouched. figures.json, index.html and the state file are replaced
  atomically. One build at a time (flock on <reports>/.build.lock). SIGINT/SIGTERM stop the workers
  and their kernels and remove the staging folders.
"""

from __future__ import annotations

import fcntl
import hashlib
import html
import json
import os
import re
import secrets
import shutil
import signal
import sys
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, Mapping, Sequence
from urllib.parse import quote

from . import manifest, paths

FORMATS = ("ipynb", "html", "pdf")
STATE_FILE = ".build-state.json"
LOCK_FILE = ".build.lock"
FAILED_DIR = "_failed"
STAGING_PREFIX = ".staging-"
VARIANT_KEYS = {"title", "description", "parameters"}
KERNEL = "python3"
KEY_VERSION = "haiti-mss-build-1"
TOOLS = ("papermill", "nbclient", "ipykernel", "nbconvert", "nbformat", "weasyprint", "pandas", "matplotlib", "seaborn")
RESERVED_FIGURE_KEYS = {"variant", "folder", "title", "description", "parameters", "overrides"}

Echo = Callable[[str], None]


class BuildError(ValueError):
    """A usage problem found before anything ran (unknown variant, bad YAML, --out with two variants)."""


class Interrupted(Exception):
    def __init__(self, signum: int):
        super().__init__(f"interrupted by signal {signum}")
        self.signum = signum


# ---------------------------------------------------------------- variants

@dataclass(frozen=True)
class Variant:
    name: str
    title: str
    description: str
    parameters: dict[str, Any]
    path: Path | None = None


def variant_names(params_dir: Path | None = None) -> list[str]:
    return sorted(p.stem for p in Path(params_dir or paths.PARAMS_DIR).glob("*.yaml"))


def load_variant(path: Path) -> Variant:
    """Read params/<name>.yaml: title, description, parameters; anything else is an error."""
    import yaml

    path = Path(path)
    label = f"{path.parent.name}/{path.name}"
    try:
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise BuildError(f"{label}: not valid YAML ({' '.join(str(exc).split())})") from None
    if doc is None:
        doc = {}
    if not isinstance(doc, dict):
        raise BuildError(f"{label}: expected a mapping with keys title, description, parameters")
    unknown = sorted(set(map(str, doc)) - VARIANT_KEYS)
    if unknown:
        raise BuildError(f"{label}: unknown key{'s' if len(unknown) > 1 else ''} {', '.join(repr(k) for k in unknown)}; "
                         f"allowed: {', '.join(sorted(VARIANT_KEYS))}")
    params = doc.get("parameters") or {}
    if not isinstance(params, dict):
        raise BuildError(f"{label}: 'parameters' must be a mapping of NAME: VALUE")
    title = doc.get("title")
    if title is not None and not isinstance(title, str):
        raise BuildError(f"{label}: 'title' must be text")
    return Variant(path.stem, str(title or path.stem), str(doc.get("description") or ""), dict(params), path)


def find_variant(name: str, params_dir: Path) -> Variant:
    path = Path(params_dir) / f"{name}.yaml"
    if not path.exists():
        import difflib

        known = variant_names(params_dir)
        close = difflib.get_close_matches(name, known, n=1, cutoff=0.5)
        hint = f" (did you mean '{close[0]}'?)" if close else ""
        raise BuildError(f"unknown variant '{name}'{hint}; known: {', '.join(known) or 'none'} (files in {params_dir})")
    return load_variant(path)


def override_slug(overrides: Mapping[str, Any]) -> str:
    """'planned_strength=5550' -> 'planned_strength-5550' (folder-safe, short)."""
    def text(value: Any) -> str:
        shown = "default" if value is None else str(_jsonable(value))
        return re.sub(r"[^A-Za-z0-9._]+", "-", shown).strip("-.")[:40] or "x"

    parts = [f"{k}-{text(v)}" for k, v in sorted(overrides.items())]
    slug = "+".join(parts)
    if len(slug) > 80:
        slug = slug[:60].rstrip("-+") + "-" + hashlib.sha256(slug.encode()).hexdigest()[:8]
    return slug


# ---------------------------------------------------------------- content-hash keys

def _jsonable(value: Any) -> Any:
    if isinstance(value, (date, datetime)):
        return value.isoformat()[:10]
    if isinstance(value, Path):
        return str(value)
    return value


def canonical(value: Any) -> bytes:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=_jsonable).encode()


def notebook_tables(notebook: str) -> list[str] | None:
    """The tables a notebook reads (None: a notebook outside the manifest, so every table counts)."""
    if notebook not in manifest.NOTEBOOKS:
        return None
    return manifest.tables_read(notebook)


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
        """All .py files and templates of the package."""
        if self._package is None:
            h = hashlib.sha256()
            root = paths.PACKAGE_DIR
            files = [p for p in root.rglob("*") if p.is_file() and "__pycache__" not in p.parts
                     and (p.suffix == ".py" or paths.TEMPLATES_DIR in p.parents)]
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
            "parameters": dict(parameters),
            "variant": dict(variant),
            "data": self.data(folder, notebook_tables(notebook)),
            "package": self.package(),
            "tools": self.tools(),
        }
        return hashlib.sha256(canonical(material)).hexdigest()


# ---------------------------------------------------------------- plan

@dataclass
class Job:
    label: str            # the output folder's name, shown in progress lines
    notebook: str
    source: Path
    out_dir: Path
    parameters: dict[str, Any]   # checked, non-default values, JSON-ready (what papermill passes)
    key: str
    context: dict[str, Any]      # for export.report_context
    timeout: float | None = None
    staging: Path | None = None


@dataclass
class JobResult:
    variant: str
    notebook: str
    status: str           # "built" | "skipped" | "failed"
    out_dir: Path
    seconds: float = 0.0
    message: str = ""
    figures: dict[str, Any] = field(default_factory=dict)
    failed_notebook: Path | None = None

    def line(self) -> str:
        head = f"[{self.variant}] {self.notebook}: "
        if self.status == "built":
            return head + f"done in {self.seconds:.1f} s"
        if self.status == "skipped":
            return head + "skipped (up to date)"
        return head + f"FAILED: {self.message}"


@dataclass
class BuildResult:
    results: list[JobResult]
    out_dirs: list[Path]
    index: Path | None

    def _with(self, status: str) -> list[JobResult]:
        return [r for r in self.results if r.status == status]

    @property
    def built(self) -> list[JobResult]:
        return self._with("built")

    @property
    def skipped(self) -> list[JobResult]:
        return self._with("skipped")

    @property
    def failed(self) -> list[JobResult]:
        return self._with("failed")

    @property
    def ok(self) -> bool:
        return not self.failed

    @property
    def exit_code(self) -> int:
        return 0 if self.ok else 1


@dataclass
class _Target:
    variant: Variant
    out_dir: Path
    checked: dict[str, Any]          # every passed parameter, canonical types
    passed: dict[str, Any]           # non-None values, JSON-ready
    overrides: dict[str, Any]
    sources: dict[str, str]


def _parse_overrides(overrides: Mapping[str, Any] | Sequence[str] | None) -> dict[str, Any]:
    from . import parameters

    if not overrides:
        return {}
    if isinstance(overrides, Mapping):
        return {name: parameters.coerce(name, value) for name, value in overrides.items()}
    out: dict[str, Any] = {}
    for text in overrides:
        name, value = parameters.parse_override(text)
        out[name] = value
    return out


def plan_targets(variants: Sequence[str] | None, overrides: Mapping[str, Any] | Sequence[str] | None,
                 out: str | Path | None, reports_dir: Path, params_dir: Path) -> list[_Target]:
    """Variants with their checked parameters and output folders (static checks only: no data)."""
    from . import parameters

    names = list(variants) if variants else variant_names(params_dir)
    if not names:
        raise BuildError(f"no variants: {params_dir} has no *.yaml file")
    if len(set(names)) != len(names):
        raise BuildError("a variant is named twice")
    if out is not None and len(names) != 1:
        raise BuildError("--out needs exactly one variant")
    extra = _parse_overrides(overrides)
    targets = []
    for name in names:
        variant = find_variant(name, params_dir)
        try:
            checked = parameters.check({**variant.parameters, **extra})
        except parameters.ParameterError as exc:
            label = f"{variant.path.parent.name}/{variant.path.name}" if variant.path else name
            raise parameters.ParameterError(f"{label}: {exc}") from None
        if out is not None:
            out_dir = Path(out).resolve()
        elif extra:
            out_dir = reports_dir / f"{name}+{override_slug(extra)}"
        else:
            out_dir = reports_dir / name
        passed = {k: _jsonable(v) for k, v in checked.items() if v is not None}
        sources = {k: f"variant {name}" for k in variant.parameters}
        sources.update({k: "--set" for k in extra})
        targets.append(_Target(variant, out_dir, checked, passed, extra, sources))
    return targets


def resolve_against_data(checked: Mapping[str, Any], cache: dict) -> dict[str, Any] | None:
    """parameters.resolve against the data (as_of not before the first figure, defaults exist).

    Returns None when the data itself does not validate: the notebooks then fail with the data's
    own message, the usual way (kept in _failed/, exit 1).
    """
    from . import data, parameters
    from .validation import DataValidationError

    folder = paths.data_dir(checked.get("data_dir"))
    if folder not in cache:
        names = sorted(set(manifest.AS_OF_TABLES) | {"plans", "population"})
        try:
            tables = data.load_tables(names, folder)
        except DataValidationError as exc:
            cache[folder] = exc
        else:
            earliest, newest = data.date_span(tables, manifest.AS_OF_TABLES)
            cache[folder] = (tables, newest, earliest)
    found = cache[folder]
    if isinstance(found, Exception):
        return None
    tables, newest, earliest = found
    return parameters.resolve(dict(checked), tables, newest, earliest)


# ---------------------------------------------------------------- files

def write_atomic(path: Path, data: bytes | str) -> bool:
    """Write via a temp file + os.replace; skip (return False) when the content is unchanged."""
    path = Path(path)
    raw = data.encode("utf-8") if isinstance(data, str) else data
    try:
        if path.read_bytes() == raw:
            return False
    except OSError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    try:
        with open(tmp, "wb") as fh:
            fh.write(raw)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    finally:
        if tmp.exists():
            tmp.unlink()
    return True


def read_state(out_dir: Path) -> dict[str, Any]:
    try:
        state = json.loads((out_dir / STATE_FILE).read_text(encoding="utf-8"))
        if isinstance(state, dict) and isinstance(state.get("notebooks"), dict):
            return state
    except (OSError, ValueError):
        pass
    return {"notebooks": {}}


def outputs_present(out_dir: Path, notebook: str) -> bool:
    return all((out_dir / f"{notebook}.{ext}").is_file() for ext in FORMATS)


@contextmanager
def build_lock(reports_dir: Path, echo: Echo) -> Iterator[None]:
    """An exclusive flock on <reports>/.build.lock: concurrent builds wait for each other."""
    reports_dir.mkdir(parents=True, exist_ok=True)
    fd = os.open(reports_dir / LOCK_FILE, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            echo(f"waiting for another build to finish ({reports_dir / LOCK_FILE}) ...")
            fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # releases the lock


def clean_staging(out_dirs: Iterable[Path]) -> None:
    for out_dir in out_dirs:
        if out_dir.is_dir():
            for staged in out_dir.glob(STAGING_PREFIX + "*"):
                shutil.rmtree(staged, ignore_errors=True)


# ---------------------------------------------------------------- one job, in a worker process

_EVENTS = None          # a multiprocessing queue for "started" lines (set in each worker)
_CURRENT_STAGING: Path | None = None
_WARM: threading.Thread | None = None


def _child_pids() -> list[int]:
    me, found = os.getpid(), []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat", "rb") as fh:
                    stat = fh.read().decode(errors="replace")
                if int(stat.rsplit(")", 1)[1].split()[1]) == me:
                    found.append(int(entry))
            except (OSError, ValueError, IndexError):
                continue
    return found


def _worker_terminate(signum, frame) -> None:  # pragma: no cover - exercised by signals
    """SIGTERM from the parent: kill this worker's kernels, drop its staging folder, exit now."""
    for pid in _child_pids():
        try:
            os.kill(pid, signal.SIGKILL)
        except OSError:
            pass
    if _CURRENT_STAGING is not None:
        shutil.rmtree(_CURRENT_STAGING, ignore_errors=True)
    os._exit(128 + signum)


def _worker_init(events) -> None:
    global _EVENTS, _WARM
    _EVENTS = events
    signal.signal(signal.SIGINT, signal.SIG_IGN)   # the parent decides; it sends SIGTERM
    signal.signal(signal.SIGTERM, _worker_terminate)
    from . import export

    # Load fonts and compile templates while the first kernel runs (about 2 s saved per worker).
    _WARM = threading.Thread(target=export.warm_up, daemon=True)
    _WARM.start()


def _flatten(text: str) -> str:
    return " ".join(line.strip() for line in str(text).splitlines() if line.strip())


def run_job(job: Job) -> JobResult:
    """Execute, export and publish one notebook (runs in a worker process)."""
    global _CURRENT_STAGING
    import nbformat
    import papermill
    from papermill.exceptions import PapermillExecutionError

    from . import export, figures, warm_kernel

    started = time.monotonic()
    if _EVENTS is not None:
        _EVENTS.put(f"[{job.label}] {job.notebook}: started")
    staging = job.staging or job.out_dir / f"{STAGING_PREFIX}{job.notebook}-{secrets.token_hex(4)}"
    _CURRENT_STAGING = staging
    staging.mkdir(parents=True, exist_ok=True)
    executed = staging / f"{job.notebook}.ipynb"
    result = JobResult(job.label, job.notebook, "failed", job.out_dir)
    try:
        try:
            papermill.execute_notebook(
                str(job.source), str(executed), parameters=dict(job.parameters), kernel_name=KERNEL,
                progress_bar=False, log_output=False, execution_timeout=job.timeout,
                cwd=str(job.source.parent), **warm_kernel.papermill_options())
        except PapermillExecutionError as exc:
            result.message = f"cell {exc.exec_count} {exc.ename}: {_flatten(exc.evalue)}"
            result.failed_notebook = _keep_failed(job, executed)
            return result
        except Exception as exc:  # kernel died, cell timeout, bad notebook file ...
            result.message = f"{type(exc).__name__}: {_flatten(exc) or repr(exc)}"
            result.failed_notebook = _keep_failed(job, executed)
            return result
        try:
            nb = nbformat.read(executed, as_version=4)
            result.figures = figures.extract(nb)
            if _WARM is not None:
                _WARM.join()
            context = export.report_context(nb, notebook=job.notebook, **job.context)
            page = export.render_html(nb, context, notebook=job.notebook)
            (staging / f"{job.notebook}.html").write_text(page, encoding="utf-8")
            (staging / f"{job.notebook}.pdf").write_bytes(export.render_pdf(page, base_url=staging))
        except Exception as exc:
            result.message = f"export to HTML/PDF: {type(exc).__name__}: {_flatten(exc)}"
            result.failed_notebook = _keep_failed(job, executed)
            return result
        # Everything succeeded: publish (each move is atomic) and forget an older failure.
        for ext in ("pdf", "html", "ipynb"):
            os.replace(staging / f"{job.notebook}.{ext}", job.out_dir / f"{job.notebook}.{ext}")
        _forget_failure(job.out_dir, job.notebook)
        result.status = "built"
        return result
    finally:
        result.seconds = time.monotonic() - started
        shutil.rmtree(staging, ignore_errors=True)
        _CURRENT_STAGING = None
        if _EVENTS is not None:  # after this worker's "started" line, before its next one
            _EVENTS.put(result.line())


def _forget_failure(out_dir: Path, notebook: str) -> None:
    """The outputs are current: an older failed run of this notebook is no longer news."""
    stale = out_dir / FAILED_DIR / f"{notebook}.ipynb"
    if stale.exists():
        stale.unlink()
        try:
            stale.parent.rmdir()
        except OSError:
            pass


def _keep_failed(job: Job, executed: Path) -> Path | None:
    if not executed.exists():
        return None
    target = job.out_dir / FAILED_DIR / f"{job.notebook}.ipynb"
    target.parent.mkdir(parents=True, exist_ok=True)
    os.replace(executed, target)
    return target


# ---------------------------------------------------------------- the build

def _preload() -> None:
    """Import the heavy tools once in the parent, so forked workers start with them loaded."""
    # jsonschema (via nbformat) imports rfc3987_syntax when installed, which compiles a grammar for
    # 1.5-3 s; it only serves the "iri" string formats, which no notebook schema uses.
    if "jsonschema" not in sys.modules:
        sys.modules.setdefault("rfc3987_syntax", None)  # type: ignore[arg-type]
    import nbformat  # noqa: F401
    import papermill  # noqa: F401

    from . import export, figures  # noqa: F401


def _default_echo(line: str) -> None:
    print(line, flush=True)


def build(variants: Sequence[str] | None = None, overrides: Mapping[str, Any] | Sequence[str] | None = None, *,
          out: str | Path | None = None, jobs: int | None = None, force: bool = False,
          timeout: float | None = 600, reports_dir: str | Path | None = None,
          params_dir: str | Path | None = None, notebooks_dir: str | Path | None = None,
          notebooks: Sequence[str] | None = None, echo: Echo | None = None) -> BuildResult:
    """Build the named variants (all params/*.yaml when None) with overrides {name: value} or
    ["name=value", ...]. Raises ParameterError / BuildError before any kernel starts; returns a
    BuildResult (exit_code 1 when a notebook failed). Interrupted is raised on SIGINT/SIGTERM."""
    echo = echo or _default_echo
    reports_dir = Path(reports_dir or paths.REPORTS_DIR).resolve()
    params_dir = Path(params_dir or paths.PARAMS_DIR)
    notebooks_dir = Path(notebooks_dir or paths.NOTEBOOKS_DIR).resolve()
    targets = plan_targets(variants, overrides, out, reports_dir, params_dir)
    names = list(notebooks) if notebooks else list(manifest.NOTEBOOKS)
    sources = {}
    for nb in names:
        source = notebooks_dir / f"{nb}.ipynb"
        if not source.is_file():
            raise BuildError(f"notebook {nb}: {source} not found")
        sources[nb] = source
    hasher = Hasher()
    with build_lock(reports_dir, echo):
        results: list[JobResult] = []
        pending: list[tuple[_Target, Job]] = []
        for target in targets:
            state = read_state(target.out_dir)
            identity = {"title": target.variant.title, "description": target.variant.description}
            for nb in names:
                key = hasher.key(sources[nb], nb, target.passed, identity)
                entry = state["notebooks"].get(nb) or {}
                if not force and entry.get("key") == key and outputs_present(target.out_dir, nb):
                    _forget_failure(target.out_dir, nb)
                    results.append(JobResult(target.out_dir.name, nb, "skipped", target.out_dir,
                                             figures=entry.get("figures") or {}))
                    continue
                context = {"variant": target.variant.name, "variant_title": target.variant.title,
                           "variant_description": target.variant.description, "sources": target.sources,
                           "overrides": target.overrides,
                           "out": _out_label(target.out_dir, reports_dir) if (out or target.overrides) else None}
                pending.append((target, Job(target.out_dir.name, nb, sources[nb], target.out_dir, target.passed,
                                            key, context, timeout)))
        # Data-dependent checks, only for the variants that have work (they were checked when their
        # current keys were written).
        cache: dict = {}
        for target in {id(t): t for t, _ in pending}.values():
            if resolve_against_data(target.checked, cache) is None:
                folder = paths.data_dir(target.checked.get("data_dir"))
                echo(f"warning: the data in {folder} does not validate (run `haiti-report check-data`); "
                     f"its notebooks will fail")
        for r in results:
            echo(r.line())
        if pending:
            results += _run(pending, jobs, echo, reports_dir)
        by_dir: dict[Path, _Target] = {t.out_dir: t for t in targets}
        for out_dir, target in by_dir.items():
            _update_state(out_dir, [r for r in results if r.out_dir == out_dir], {j.notebook: j.key for t, j in pending if t is target})
            _write_figures(target, names)
        index = write_index(reports_dir)
    order = {(t.out_dir, nb): i for i, (t, nb) in enumerate((t, nb) for t in targets for nb in names)}
    results.sort(key=lambda r: order.get((r.out_dir, r.notebook), 0))
    return BuildResult(results, [t.out_dir for t in targets], index)


def _out_label(out_dir: Path, reports_dir: Path) -> str:
    try:
        return out_dir.relative_to(reports_dir).as_posix()
    except ValueError:
        return str(out_dir)


def _run(pending: list[tuple[_Target, Job]], jobs: int | None, echo: Echo, reports_dir: Path) -> list[JobResult]:
    import multiprocessing
    from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait

    _preload()
    ctx = multiprocessing.get_context("fork")
    events = ctx.SimpleQueue()
    workers = max(1, min(jobs or os.cpu_count() or 1, len(pending)))
    out_dirs = {job.out_dir for _, job in pending}
    for d in out_dirs:
        d.mkdir(parents=True, exist_ok=True)
    for _, job in pending:
        job.staging = job.out_dir / f"{STAGING_PREFIX}{job.notebook}-{secrets.token_hex(4)}"

    def relay() -> None:
        while True:
            line = events.get()
            if line is None:
                return
            echo(line)

    relay_thread = threading.Thread(target=relay, daemon=True)
    relay_thread.start()
    results: list[JobResult] = []
    executor = ProcessPoolExecutor(max_workers=workers, mp_context=ctx, initializer=_worker_init, initargs=(events,))
    previous = _install_signal_handlers()
    try:
        futures = {executor.submit(run_job, job): job for _, job in pending}
        remaining = set(futures)
        while remaining:
            done, remaining = wait(remaining, timeout=0.5, return_when=FIRST_COMPLETED)
            for fut in done:
                job = futures[fut]
                try:
                    result = fut.result()
                except Exception as exc:  # a worker died
                    result = JobResult(job.label, job.notebook, "failed", job.out_dir,
                                       message=f"worker crashed: {type(exc).__name__}: {_flatten(exc)}")
                    events.put(result.line())
                results.append(result)
        executor.shutdown(wait=True)
    except (Interrupted, KeyboardInterrupt):
        _terminate_workers(executor)
        clean_staging(out_dirs)
        raise
    else:
        # Only when every worker exited normally: a worker terminated mid-`put` can leave the queue's
        # lock held, and putting the stop mark would then block forever. The relay thread is a daemon.
        events.put(None)
        relay_thread.join(timeout=5)
    finally:
        _restore_signal_handlers(previous)
        clean_staging(out_dirs)
    return results


def _install_signal_handlers() -> dict:
    if threading.current_thread() is not threading.main_thread():
        return {}

    def handler(signum, frame):
        raise Interrupted(signum)

    return {s: signal.signal(s, handler) for s in (signal.SIGINT, signal.SIGTERM)}


def _restore_signal_handlers(previous: dict) -> None:
    for s, h in previous.items():
        signal.signal(s, h)


def _terminate_workers(executor) -> None:
    processes = list(getattr(executor, "_processes", {}).values())
    for p in processes:
        if p.is_alive():
            p.terminate()   # SIGTERM: the worker kills its kernel and removes its staging folder
    deadline = time.monotonic() + 10
    for p in processes:
        p.join(timeout=max(0.1, deadline - time.monotonic()))
        if p.is_alive():
            p.kill()
    executor.shutdown(wait=False, cancel_futures=True)


def _update_state(out_dir: Path, results: list[JobResult], keys: dict[str, str]) -> None:
    if not any(r.status == "built" for r in results):
        return
    state = read_state(out_dir)
    now = datetime.now(timezone.utc).isoformat(timespec="seconds")
    for r in results:
        if r.status == "built":
            state["notebooks"][r.notebook] = {"key": keys[r.notebook], "figures": r.figures, "built_at": now,
                                              "seconds": round(r.seconds, 2)}
    write_atomic(out_dir / STATE_FILE, json.dumps(state, indent=2, sort_keys=True) + "\n")


def _write_figures(target: _Target, names: Sequence[str]) -> None:
    """<out>/figures.json: headline figures per notebook (those with outputs), parameters, variant."""
    out_dir = target.out_dir
    if not out_dir.is_dir():
        return
    state = read_state(out_dir)
    per_notebook = {nb: (state["notebooks"].get(nb) or {}).get("figures") or {}
                    for nb in names if outputs_present(out_dir, nb)}
    if not per_notebook:
        return
    from . import parameters as _p  # already imported by the checks

    used = {name: _jsonable(target.checked.get(name)) for name in _p.PARAMETERS}
    for figs in per_notebook.values():
        for name in ("as_of", "planned_strength", "population"):
            if used.get(name) is None and figs.get(name) is not None:
                used[name] = figs[name]
    doc = {"variant": target.variant.name, "folder": out_dir.name, "title": target.variant.title,
           "description": target.variant.description, "parameters": used,
           "overrides": {k: _jsonable(v) for k, v in target.overrides.items()}}
    doc.update(per_notebook)
    write_atomic(out_dir / "figures.json", json.dumps(doc, indent=2, ensure_ascii=False, default=_jsonable) + "\n")


# ---------------------------------------------------------------- reports/index.html

_INDEX_CSS = """
body { font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, Arial, "Liberation Sans", sans-serif;
  color: #1a1a1a; margin: 0; }
main { max-width: 60rem; margin: 0 auto; padding: 1.5rem 1.25rem 3rem; }
h1 { font-size: 1.7rem; } h2 { font-size: 1.3rem; margin-top: 2rem; border-bottom: 1px solid #ddd; }
.meta { color: #444; font-size: 0.92rem; }
table { border-collapse: collapse; width: 100%; font-size: 0.9rem; margin: 0.5rem 0 1rem; }
th, td { text-align: left; padding: 0.3rem 0.5rem; border-bottom: 1px solid #e3e3e3; vertical-align: top; }
th { border-bottom: 2px solid #bbb; }
ul.figures { margin: 0; padding-left: 1.1rem; } code { font-size: 0.85rem; }
"""


def _fmt(value: Any) -> str:
    if isinstance(value, bool) or value is None:
        return str(value)
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, float):
        return f"{value:,.4g}"
    if isinstance(value, (list, dict)):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def _pct(v: Any) -> str:
    return f"{100 * v:.1f}%" if isinstance(v, (int, float)) and not isinstance(v, bool) else str(v)


def _range(figs: dict, low: str, high: str, fmt) -> str | None:
    if low not in figs or figs[low] is None:
        return None
    a, b = figs[low], figs.get(high, figs[low])
    return fmt(a) if a == b else f"{fmt(a)}–{fmt(b)}"


def headline_items(figs: dict[str, Any]) -> list[tuple[str, str]]:
    """The figures a reader of the index wants, in words; the full set stays in figures.json."""
    items: list[tuple[str, str]] = []
    pairs = [("deployed", "deployed_low", "deployed_high", _fmt), ("share of the plan", "deployed_share_low", "deployed_share_high", _pct),
             ("shortfall", "shortfall_low", "shortfall_high", _fmt)]
    for label, low, high, fmt in pairs:
        text = _range(figs, low, high, fmt)
        if text:
            items.append((label, text))
    if figs.get("idps_latest") is not None:
        more = "more than " if figs.get("idps_latest_qualifier") == "more_than" else ""
        when = f" ({figs['idps_latest_date']})" if figs.get("idps_latest_date") else ""
        items.append((f"displaced{when}", more + _fmt(figs["idps_latest"])))
    if figs.get("children_share_latest") is not None:
        more = "more than " if figs.get("children_share_qualifier") == "more_than" else ""
        items.append(("children among the displaced", more + _pct(figs["children_share_latest"])))
    if figs.get("killed_last_four_quarters") is not None:
        items.append(("killed, last four quarters", _fmt(figs["killed_last_four_quarters"])))
    if isinstance(figs.get("claims"), list):
        tally: dict[str, int] = {}
        for claim in figs["claims"]:
            tally[claim.get("verdict", "?")] = tally.get(claim.get("verdict", "?"), 0) + 1
        items.append(("claims checked", ", ".join(f"{n} {v}" for v, n in sorted(tally.items(), key=lambda x: -x[1]))))
    if len(items) <= 1:  # a notebook outside the usual set: show its other plain figures as recorded
        skip = {"as_of", "planned_strength", "population", "newest_figure", "idps_latest", "idps_latest_date",
                "idps_latest_qualifier"}
        items += [(k.replace("_", " "), _fmt(v)) for k, v in figs.items()
                  if k not in skip and not isinstance(v, (list, dict)) and v is not None]
    return items


def render_index(reports_dir: Path) -> str:
    e = lambda v: html.escape(str(v), quote=True)  # noqa: E731
    sections = []
    for fig_file in sorted(Path(reports_dir).glob("*/figures.json")):
        folder = fig_file.parent
        try:
            doc = json.loads(fig_file.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        params = doc.get("parameters") or {}
        overrides = doc.get("overrides") or {}
        rows = []
        for nb, figs in doc.items():
            if nb in RESERVED_FIGURE_KEYS or not isinstance(figs, dict):
                continue
            links = " · ".join(f'<a href="{e(quote(folder.name))}/{e(quote(f"{nb}.{ext}"))}">{ext.upper()}</a>'
                               for ext in ("html", "pdf", "ipynb") if (folder / f"{nb}.{ext}").is_file())
            items = "".join(f"<li>{e(k)}: <strong>{e(v)}</strong></li>" for k, v in headline_items(figs))
            rows.append(f"<tr><td>{e(nb)}</td><td>{links}</td><td><ul class=\"figures\">{items}</ul></td></tr>")
        param_text = ", ".join(f"{e(k)} = {e(_fmt(v))}{' (override)' if k in overrides else ''}"
                               for k, v in params.items() if v is not None)
        sections.append(
            f'<section><h2 id="{e(folder.name)}">{e(doc.get("title") or folder.name)}</h2>'
            f'<p class="meta">Folder <code>{e(folder.name)}/</code> · variant <code>{e(doc.get("variant", ""))}</code>'
            + (f" · {e(doc['description'])}" if doc.get("description") else "")
            + f'</p><p class="meta">Parameters: {param_text or "all defaults"}</p>'
            f'<p class="meta"><a href="{e(quote(folder.name))}/figures.json">figures.json</a></p>'
            f"<table><thead><tr><th>notebook</th><th>files</th><th>headline figures</th></tr></thead>"
            f"<tbody>{''.join(rows)}</tbody></table></section>")
    body = "".join(sections) or "<p>No report has been built yet: run <code>make reports</code>.</p>"
    return ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
            f"<title>Haiti MSS report: every variant</title><style>{_INDEX_CSS}</style></head><body><main>"
            "<h1>Haiti MSS report: every variant</h1>"
            "<p class=\"meta\">Each variant is the same notebooks run with other parameters "
            "(params/*.yaml, or <code>--set</code> overrides). Rebuild with <code>make reports</code>.</p>"
            f"{body}</main></body></html>\n")


def write_index(reports_dir: Path) -> Path:
    path = Path(reports_dir) / "index.html"
    write_atomic(path, render_index(reports_dir))
    return path
