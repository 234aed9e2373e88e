"""Run jobs: each (variant, notebook) executed by papermill and exported to HTML and PDF, in a pool of
forked worker processes, published only when all three outputs succeeded.

- A job writes into <out>/.staging-*/ and moves ipynb, html and pdf into place only when all three
  succeeded; a failed executed notebook is kept at <out>/_failed/<notebook>.ipynb and the previous good
  outputs are untouched.
- SIGINT/SIGTERM stop the workers and their kernels, remove the staging folders and raise Interrupted.
- Progress lines ("started", "done in", "FAILED: ...") reach `echo` as they happen.
- Kernels are forked from a pre-imported template (haiti_mss.warm_kernel) in a worker with at least
  three notebooks to execute; jobs that would execute the same notebook with the same parameters
  execute it once (sharing.py).
"""

from __future__ import annotations

import os
import shutil
import signal
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import files, sharing
from .files import Echo
from .keys import KERNEL


class Interrupted(Exception):
    def __init__(self, signum: int):
        super().__init__(f"interrupted by signal {signum}")
        self.signum = signum


@dataclass
class Job:
    label: str            # the output folder's name, shown in progress lines
    notebook: str
    source: Path
    out_dir: Path
    parameters: dict[str, Any]   # checked, non-default values the notebook reads, JSON-ready (papermill's)
    key: str
    context: dict[str, Any]      # for export.report_context
    timeout: float | None = None
    staging: Path | None = None
    executed: Path | None = None   # another job's executed notebook to start from (sharing.py)


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
            return head + f"done in {self.seconds:.1f} s" + (f" ({self.message})" if self.message else "")
        if self.status == "skipped":
            return head + "skipped (up to date)"
        return head + f"FAILED: {self.message}"


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


def _worker_init(events, kernels_each: int = 0) -> None:
    global _EVENTS, _WARM
    _EVENTS = events
    signal.signal(signal.SIGINT, signal.SIG_IGN)   # the parent decides; it sends SIGTERM
    signal.signal(signal.SIGTERM, _worker_terminate)
    from .. import export, warm_kernel

    warm_kernel.expect_kernels(kernels_each)        # too few for a template to pay: cold kernels

    # Load fonts and compile templates while the first kernel runs (about 2 s saved per worker).
    _WARM = threading.Thread(target=export.warm_up, daemon=True)
    _WARM.start()


def flatten(text: Any) -> str:
    return " ".join(line.strip() for line in str(text).splitlines() if line.strip())


def _copied(source: Path, target: Path) -> bool:
    try:
        shutil.copyfile(source, target)
    except OSError:
        return False
    return True


def run_job(job: Job) -> JobResult:
    """Execute, export and publish one notebook (runs in a worker process)."""
    global _CURRENT_STAGING
    import nbformat
    import papermill
    from papermill.exceptions import PapermillExecutionError

    from .. import export, figures, warm_kernel

    started = time.monotonic()
    if _EVENTS is not None:
        _EVENTS.put(f"[{job.label}] {job.notebook}: started")
    staging = job.staging or files.staging_dir(job.out_dir, job.notebook)
    _CURRENT_STAGING = staging
    staging.mkdir(parents=True, exist_ok=True)
    executed = staging / f"{job.notebook}.ipynb"
    result = JobResult(job.label, job.notebook, "failed", job.out_dir)
    try:
        try:
            if job.executed is not None and _copied(job.executed, executed):   # sharing.py
                result.message = f"executed once, with {job.executed.parent.name}"
            else:
                papermill.execute_notebook(
                    str(job.source), str(executed), parameters=dict(job.parameters), kernel_name=KERNEL,
                    progress_bar=False, log_output=False, execution_timeout=job.timeout,
                    cwd=str(job.source.parent), **warm_kernel.papermill_options())
        except PapermillExecutionError as exc:
            result.message = f"cell {exc.exec_count} {exc.ename}: {flatten(exc.evalue)}"
            result.failed_notebook = files.keep_failed(job.out_dir, job.notebook, executed)
            return result
        except Exception as exc:  # kernel died, cell timeout, bad notebook file ...
            result.message = f"{type(exc).__name__}: {flatten(exc) or repr(exc)}"
            result.failed_notebook = files.keep_failed(job.out_dir, job.notebook, executed)
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
            result.message = f"export to HTML/PDF: {type(exc).__name__}: {flatten(exc)}"
            result.failed_notebook = files.keep_failed(job.out_dir, job.notebook, executed)
            return result
        # Everything succeeded: publish (each move is atomic) and forget an older failure.
        for ext in ("pdf", "html", "ipynb"):
            os.replace(staging / f"{job.notebook}.{ext}", job.out_dir / f"{job.notebook}.{ext}")
        files.forget_failure(job.out_dir, job.notebook)
        result.status = "built"
        return result
    finally:
        result.seconds = time.monotonic() - started
        shutil.rmtree(staging, ignore_errors=True)
        _CURRENT_STAGING = None
        if _EVENTS is not None:  # after this worker's "started" line, before its next one
            _EVENTS.put(result.line())


# ---------------------------------------------------------------- the pool, in the parent

def _preload() -> None:
    """Import the heavy tools once in the parent, so forked workers start with them loaded."""
    # jsonschema (via nbformat) imports rfc3987_syntax when installed, which compiles a grammar for
    # 1.5-3 s; it only serves the "iri" string formats, which no notebook schema uses.
    if "jsonschema" not in sys.modules:
        sys.modules.setdefault("rfc3987_syntax", None)  # type: ignore[arg-type]
    import nbformat  # noqa: F401
    import papermill  # noqa: F401

    from .. import export, figures  # noqa: F401


def run_jobs(jobs: list[Job], workers: int | None, echo: Echo) -> list[JobResult]:
    """Run the jobs in a fork pool of up to `workers` processes; return their results as they finish."""
    import multiprocessing
    from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait

    _preload()
    ctx = multiprocessing.get_context("fork")
    events = ctx.SimpleQueue()
    workers = max(1, min(workers or os.cpu_count() or 1, len(jobs)))
    out_dirs = {job.out_dir for job in jobs}
    for d in out_dirs:
        d.mkdir(parents=True, exist_ok=True)
    for job in jobs:
        job.staging = files.staging_dir(job.out_dir, job.notebook)

    def relay() -> None:
        while True:
            line = events.get()
            if line is None:
                return
            echo(line)

    relay_thread = threading.Thread(target=relay, daemon=True)
    relay_thread.start()
    results: list[JobResult] = []
    start, waiting = sharing.group(jobs)
    kernels_each = -(-len(start) // workers)        # the notebooks each worker will execute, about
    executor = ProcessPoolExecutor(max_workers=workers, mp_context=ctx, initializer=_worker_init,
                                   initargs=(events, kernels_each))
    previous = _install_signal_handlers()
    try:
        futures = {executor.submit(run_job, job): job for job in start}
        remaining = set(futures)
        while remaining:
            done, remaining = wait(remaining, timeout=0.5, return_when=FIRST_COMPLETED)
            for fut in done:
                job = futures[fut]
                try:
                    result = fut.result()
                except Exception as exc:  # a worker died
                    result = JobResult(job.label, job.notebook, "failed", job.out_dir,
                                       message=f"worker crashed: {type(exc).__name__}: {flatten(exc)}")
                    events.put(result.line())
                results.append(result)
                for follower in waiting.pop(id(job), []):   # its executed notebook serves them (or not)
                    if result.status == "built":
                        follower.executed = job.out_dir / f"{job.notebook}.ipynb"
                    new = executor.submit(run_job, follower)
                    futures[new] = follower
                    remaining.add(new)
        executor.shutdown(wait=True)
    except (Interrupted, KeyboardInterrupt):
        _terminate_workers(executor)
        files.clean_staging(out_dirs)
        raise
    else:
        # Only when every worker exited normally: a worker terminated mid-`put` can leave the queue's
        # lock held, and putting the stop mark would then block forever. The relay thread is a daemon.
        events.put(None)
        relay_thread.join(timeout=5)
    finally:
        _restore_signal_handlers(previous)
        files.clean_staging(out_dirs)
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
