"""build(): plan the jobs, check the data once, run what changed, then write figures.json, the
comparison pages and reports/index.html.

    result = build(["gsf-5550"], {"as_of": "2025-06-30"}, jobs=2)
    result.exit_code    # 0 all good, 1 some notebook failed

Order, so that a mistake costs nothing: parameters (names, types, static ranges) and --out are checked
first (ParameterError, BuildError); then each (variant, notebook) gets its cache key and up-to-date ones
are skipped; if anything is left to build, the data is validated once (DataError) and parameters are
checked against it, all before the lock is taken, any file is written or any kernel starts.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Mapping, Sequence

from .. import manifest, paths
from . import compare, files
from .collect import write_figures
from .files import Echo
from .index import write_index
from .keys import Hasher, parameters_for
from .preflight import Preflight
from .runner import Job, JobResult, run_jobs
from .variants import BuildError, Target, plan_targets


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


def _default_echo(line: str) -> None:
    print(line, flush=True)


def _out_label(out_dir: Path, reports_dir: Path) -> str:
    try:
        return out_dir.relative_to(reports_dir).as_posix()
    except ValueError:
        return str(out_dir)


def plan_jobs(targets: list[Target], names: Sequence[str], sources: Mapping[str, Path], hasher: Hasher,
              force: bool, timeout: float | None, reports_dir: Path, explicit_out: bool
              ) -> tuple[list[JobResult], list[tuple[Target, Job]]]:
    """(the up-to-date notebooks, as skipped results; the jobs to run). Reads state files only."""
    skipped: list[JobResult] = []
    pending: list[tuple[Target, Job]] = []
    for target in targets:
        state = files.read_state(target.out_dir)
        identity = {"title": target.variant.title, "description": target.variant.description}
        for nb in names:
            passed = parameters_for(nb, target.passed)
            key = hasher.key(sources[nb], nb, passed, identity)
            entry = state["notebooks"].get(nb) or {}
            if not force and entry.get("key") == key and files.outputs_present(target.out_dir, nb):
                skipped.append(JobResult(target.out_dir.name, nb, "skipped", target.out_dir,
                                         figures=entry.get("figures") or {}))
                continue
            context = {"variant": target.variant.name, "variant_title": target.variant.title,
                       "variant_description": target.variant.description, "sources": target.sources,
                       "overrides": target.overrides,
                       "out": _out_label(target.out_dir, reports_dir) if (explicit_out or target.overrides) else None}
            pending.append((target, Job(target.out_dir.name, nb, sources[nb], target.out_dir, passed, key,
                                        context, timeout)))
    return skipped, pending


def _preflight(check: Preflight, pending: list[tuple[Target, Job]]) -> None:
    """Validate the data of every target with work (once per folder), then its parameters against it."""
    with_work = list({id(t): t for t, _ in pending}.values())
    check.check_data(sorted({paths.data_dir(t.checked.get("data_dir")) for t in with_work}))
    for target in with_work:
        check.resolve(target.checked)


def build(variants: Sequence[str] | None = None, overrides: Mapping[str, Any] | Sequence[str] | None = None, *,
          out: str | Path | None = None, jobs: int | None = None, force: bool = False,
          timeout: float | None = 600, reports_dir: str | Path | None = None,
          params_dir: str | Path | None = None, notebooks_dir: str | Path | None = None,
          notebooks: Sequence[str] | None = None, echo: Echo | None = None) -> BuildResult:
    """Build the named variants (all params/*.yaml when None) with overrides {name: value} or
    ["name=value", ...]. Raises ParameterError / BuildError / DataError before any kernel starts and
    before anything is written; returns a BuildResult (exit_code 1 when a notebook failed).
    Interrupted is raised on SIGINT/SIGTERM."""
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
    hasher, check = Hasher(), Preflight()

    def plan() -> tuple[list[JobResult], list[tuple[Target, Job]]]:
        return plan_jobs(targets, names, sources, hasher, force, timeout, reports_dir, out is not None)

    _, pending = plan()
    if pending:
        _preflight(check, pending)     # DataError / ParameterError: nothing written, no kernel
    with files.build_lock(reports_dir, echo):
        results, pending = plan()      # again: another build may have finished while this one waited
        if pending:                    # (folders already checked are not read again; none: no pandas)
            _preflight(check, pending)
        for r in results:
            files.forget_failure(r.out_dir, r.notebook)
            echo(r.line())
        if pending:
            results += run_jobs([job for _, job in pending], jobs, echo)
        keys = {(job.out_dir, job.notebook): job.key for _, job in pending}
        for target in {t.out_dir: t for t in targets}.values():
            files.update_state(target.out_dir, [(r.notebook, keys[(r.out_dir, r.notebook)], r.figures, r.seconds)
                                                for r in results if r.out_dir == target.out_dir and r.status == "built"])
            write_figures(target, names)
        compare.refresh(reports_dir)
        index = write_index(reports_dir)
    order = {(t.out_dir, nb): i for i, (t, nb) in enumerate((t, nb) for t in targets for nb in names)}
    results.sort(key=lambda r: order.get((r.out_dir, r.notebook), 0))
    return BuildResult(results, [t.out_dir for t in targets], index)
