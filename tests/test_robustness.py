"""The build under stress: two builds at once, SIGTERM/SIGINT mid-build, a hanging cell stopped by the
per-cell timeout, and a hostile variant title in the PDF. Builds run as subprocesses (a small driver
around haiti_mss.build.build) on the fixture project, each with its own JUPYTER_RUNTIME_DIR so its
kernels can be found afterwards. Every wait is bounded; nothing sleeps; nothing asserts a duration.

tests/fixtures/notebooks/99_slow.ipynb follows the notebook contract and then sleeps for
$HAITI_TEST_SLEEP seconds (default 0): 0 for the good build, long for the one that is interrupted.
"""

from __future__ import annotations

import io
import json
import os
import queue
import signal
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from conftest import FIXTURE_NOTEBOOKS, FIXTURES, HOSTILE_TITLE, Project

pytestmark = pytest.mark.notebooks

SLOW = "99_slow"
BUILD_TIMEOUT = 240          # seconds any one build subprocess may take before the test fails

DRIVER = r"""
import json, sys
from haiti_mss import build as b

spec = json.loads(sys.argv[1])
try:
    result = b.build(spec["variants"], None, reports_dir=spec["reports"], params_dir=spec["params"],
                     notebooks_dir=spec["notebooks_dir"], notebooks=spec["notebooks"], jobs=spec["jobs"],
                     force=spec["force"], timeout=spec["timeout"], echo=lambda line: print(line, flush=True))
except b.Interrupted as exc:
    print(f"interrupted by signal {exc.signum}", flush=True)
    sys.exit(128 + exc.signum)
for r in result.failed:
    print(f"FAILED-SUMMARY [{r.variant}] {r.notebook}: {r.message}", flush=True)
sys.exit(result.exit_code)
"""


class Build:
    """A build running in a subprocess; its output lines arrive on a queue (read by a thread)."""

    def __init__(self, project: Project, variants, *, notebooks, runtime: Path, force=False, timeout=600,
                 jobs=1, sleep: float = 0, notebooks_dir: Path = FIXTURES / "notebooks", env: dict | None = None):
        spec = {"variants": list(variants), "reports": str(project.reports), "params": str(project.params),
                "notebooks_dir": str(notebooks_dir), "notebooks": list(notebooks), "jobs": jobs,
                "force": force, "timeout": timeout}
        env = dict(os.environ, JUPYTER_RUNTIME_DIR=str(runtime), HAITI_TEST_SLEEP=str(sleep), PYTHONUNBUFFERED="1",
                   **(env or {}))
        self.runtime = runtime
        self.lines: list[str] = []
        self._queue: queue.Queue = queue.Queue()
        self.proc = subprocess.Popen([sys.executable, "-c", DRIVER, json.dumps(spec)], env=env, text=True,
                                     stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True)
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        for line in self.proc.stdout:
            self.lines.append(line.rstrip("\n"))
            self._queue.put(line.rstrip("\n"))
        self._queue.put(None)

    def wait_for_line(self, predicate, timeout: float = BUILD_TIMEOUT) -> str:
        """The first output line matching predicate (fails if the process ends or time runs out first)."""
        while True:
            try:
                line = self._queue.get(timeout=timeout)
            except queue.Empty:
                self.kill()
                pytest.fail(f"no matching line within {timeout} s; output so far:\n" + "\n".join(self.lines))
            if line is None:
                pytest.fail("the build ended before the expected line; output:\n" + "\n".join(self.lines))
            if predicate(line):
                return line

    def wait(self, timeout: float = BUILD_TIMEOUT) -> int:
        try:
            code = self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.kill()
            pytest.fail(f"the build did not finish within {timeout} s; output:\n" + "\n".join(self.lines))
        self._reader.join(timeout=10)
        return code

    def output(self) -> str:
        return "\n".join(self.lines)

    def kill(self) -> None:
        try:
            os.killpg(self.proc.pid, signal.SIGKILL)
        except OSError:
            pass


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def assert_complete(out: Path, notebooks) -> None:
    for nb in notebooks:
        for ext in ("ipynb", "html", "pdf"):
            path = out / f"{nb}.{ext}"
            assert path.is_file() and path.stat().st_size > 0, path
        json.loads((out / f"{nb}.ipynb").read_text(encoding="utf-8"))           # a whole notebook
        assert (out / f"{nb}.html").read_text(encoding="utf-8").rstrip().endswith("</html>")
        assert (out / f"{nb}.pdf").read_bytes().startswith(b"%PDF-")
        assert b"%%EOF" in (out / f"{nb}.pdf").read_bytes()[-1024:]
    doc = json.loads((out / "figures.json").read_text(encoding="utf-8"))
    assert set(notebooks) <= set(doc)
    assert not list(out.glob(".staging-*")), list(out.glob(".staging-*"))
    assert not (out / "_failed").exists()


def leftover_processes(*markers: Path) -> list:
    """Processes (kernels, workers, warm-kernel templates) whose command line or environment names one
    of these unique folders. The environment matters: a kernel's command line names its connection
    file, which jupyter_client puts in the system's temp folder, but it inherits the build's
    JUPYTER_RUNTIME_DIR."""
    import psutil

    found = []
    for p in psutil.process_iter(["cmdline"]):
        cmdline = " ".join(p.info.get("cmdline") or [])
        try:
            environ = " ".join(f"{k}={v}" for k, v in p.environ().items())
        except psutil.Error:
            environ = ""
        if any(str(m) in cmdline or str(m) in environ for m in markers):
            found.append(p)
    return found


def assert_no_leftover_processes(*markers: Path) -> None:
    import psutil

    def running(p) -> bool:
        try:
            return p.is_running() and p.status() != psutil.STATUS_ZOMBIE
        except psutil.Error:
            return False

    def describe(p) -> str:
        try:
            return f"{p.pid} {' '.join(p.cmdline())}"
        except psutil.Error:
            return str(p.pid)

    procs = leftover_processes(*markers)
    _, alive = psutil.wait_procs(procs, timeout=15)      # bounded: kernels may take a moment to exit
    alive = [p for p in alive if running(p)]
    shown = [describe(p) for p in alive]
    for p in alive:
        try:
            p.kill()
        except psutil.Error:
            pass
    assert not alive, shown


# ---------------------------------------------------------------- two builds at once

def test_two_builds_at_once_on_the_same_reports_dir(project, tmp_path):
    project.variant("a", title="A")
    project.variant("b", title="B")
    first = Build(project, ["a"], notebooks=FIXTURE_NOTEBOOKS, runtime=tmp_path / "rt-a", jobs=2)
    second = Build(project, ["b"], notebooks=FIXTURE_NOTEBOOKS, runtime=tmp_path / "rt-b", jobs=2)
    codes = (first.wait(), second.wait())
    assert codes == (0, 0), first.output() + "\n----\n" + second.output()
    for name in ("a", "b"):
        assert_complete(project.reports / name, FIXTURE_NOTEBOOKS)
    # The second build to take the lock wrote index.html last; it must list both variants.
    index = (project.reports / "index.html").read_text(encoding="utf-8")
    for name in ("a", "b"):
        for nb in FIXTURE_NOTEBOOKS:
            assert f'href="{name}/{nb}.html"' in index
    assert not list(project.reports.glob(".*.tmp")) and not list(project.reports.glob("*/.*.tmp"))
    assert_no_leftover_processes(tmp_path / "rt-a", tmp_path / "rt-b", project.root)


# ---------------------------------------------------------------- interrupted builds

def good_slow_build(project: Project, tmp_path: Path) -> dict[str, bytes]:
    project.variant("slow", title="Slow")
    good = Build(project, ["slow"], notebooks=[SLOW], runtime=tmp_path / "rt-good")
    assert good.wait() == 0, good.output()
    assert_complete(project.reports / "slow", [SLOW])
    return snapshot(project.reports)


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_interrupting_a_build_keeps_the_previous_report(project, tmp_path, signum):
    before = good_slow_build(project, tmp_path)
    runtime = tmp_path / "rt-interrupted"
    build = Build(project, ["slow"], notebooks=[SLOW], runtime=runtime, force=True, sleep=600)
    build.wait_for_line(lambda line: line == f"[slow] {SLOW}: started")
    build.proc.send_signal(signum)
    code = build.wait()
    assert code != 0, build.output()
    assert code == 128 + signum, build.output()
    assert f"interrupted by signal {int(signum)}" in build.output()
    assert snapshot(project.reports) == before              # byte-identical, state and index included
    assert not list((project.reports / "slow").glob(".staging-*"))
    assert_no_leftover_processes(runtime, project.root)


# ---------------------------------------------------------------- a hanging cell

def test_a_hanging_cell_is_stopped_by_the_timeout(project, tmp_path):
    before = good_slow_build(project, tmp_path)
    runtime = tmp_path / "rt-hang"
    # 8 s per cell: well above what the fixture's other cells need (under 2 s), far below the 600 s sleep.
    build = Build(project, ["slow"], notebooks=[SLOW], runtime=runtime, force=True, sleep=600, timeout=8)
    code = build.wait()
    out = build.output()
    assert code == 1, out
    line = next((x for x in build.lines if x.startswith(f"[slow] {SLOW}: FAILED:")), None)
    assert line is not None, out
    assert "timed out" in line and "8 seconds" in line, line     # names the notebook and the timeout
    for name in ("99_slow.ipynb", "99_slow.html", "99_slow.pdf", "figures.json", ".build-state.json"):
        assert (project.reports / "slow" / name).read_bytes() == before[f"slow/{name}"], name
    assert not list((project.reports / "slow").glob(".staging-*"))
    kept = project.reports / "slow" / "_failed" / f"{SLOW}.ipynb"
    assert kept.is_file()                                      # the partial run, for reading
    assert_no_leftover_processes(runtime, project.root)


# ---------------------------------------------------------------- hostile title, PDF side

def test_hostile_variant_title_is_text_in_the_pdf(built):
    """tests/test_build.py checks the HTML and index.html escape it; here: the PDF shows it as text."""
    from pypdf import PdfReader

    proj, result, _ = built
    assert result.exit_code == 0
    for nb in FIXTURE_NOTEBOOKS:
        reader = PdfReader(io.BytesIO((proj.reports / "fixture" / f"{nb}.pdf").read_bytes()))
        text = " ".join(" ".join(page.extract_text().split()) for page in reader.pages)
        # Shown literally (the print style sets the header in capitals): it was escaped, not run.
        assert HOSTILE_TITLE.casefold() in text.casefold(), text[:600]
        assert "&lt;" not in text and "&amp;" not in text       # and not escaped twice


# ---------------------------------------------------------------- warm kernels (haiti_mss.warm_kernel)

def contract_notebook(path: Path, code: str) -> None:
    """A notebook outside the manifest: the fixtures' parameters cell, then `code`."""
    import nbformat

    slow = nbformat.read(FIXTURES / "notebooks" / f"{SLOW}.ipynb", as_version=4)
    nb = nbformat.v4.new_notebook(cells=[slow.cells[0], nbformat.v4.new_code_cell(code)], metadata=slow.metadata)
    nbformat.write(nb, path)


def read_line(fifo: Path, timeout: float = BUILD_TIMEOUT) -> str:
    """One line written to a named pipe (bounded wait: select, no sleep)."""
    import select

    fd = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)
    try:
        data = b""
        while not data.endswith(b"\n"):
            if not select.select([fd], [], [], timeout)[0]:
                pytest.fail(f"nothing written to {fifo} within {timeout} s")
            chunk = os.read(fd, 64)
            data += chunk
        return data.decode().strip()
    finally:
        os.close(fd)


def test_sigterm_stops_a_running_warm_kernel_and_its_template(project, tmp_path):
    """The running kernel is forked (from the template, re-parented to the worker), so the worker's
    SIGTERM handler kills it; the leftover check can see it (its environment names the runtime dir)."""
    import psutil

    notebooks = tmp_path / "notebooks"
    notebooks.mkdir()
    fifo = tmp_path / "kernel-pid"
    os.mkfifo(fifo)
    contract_notebook(notebooks / "96_pid.ipynb",
                      "import os, time\nwith open(os.environ['HAITI_TEST_FIFO'], 'w') as f:\n"
                      "    f.write(f'{os.getpid()}\\n')\ntime.sleep(600)")
    project.variant("pid", title="Pid")
    runtime = tmp_path / "rt-warm"
    build = Build(project, ["pid"], notebooks=["96_pid"], runtime=runtime, notebooks_dir=notebooks,
                  env={"HAITI_TEST_FIFO": str(fifo), "HAITI_MSS_KERNELS": "warm"})
    kernel = psutil.Process(int(read_line(fifo)))
    assert "haiti_mss.zygote" in " ".join(kernel.cmdline()), kernel.cmdline()
    assert kernel in leftover_processes(runtime)        # the check below would see it
    workers = [p.pid for p in psutil.Process(build.proc.pid).children()]
    assert kernel.ppid() in workers
    build.proc.send_signal(signal.SIGTERM)
    assert build.wait() == 128 + signal.SIGTERM, build.output()
    gone, alive = psutil.wait_procs([kernel], timeout=15)
    assert not [p for p in alive if p.status() != psutil.STATUS_ZOMBIE]
    assert_no_leftover_processes(runtime, project.root)


def test_a_kernel_that_dies_fails_only_its_notebook(project, tmp_path):
    """One worker (jobs=1) runs a notebook whose kernel exits mid-cell, then a good one: only the first fails."""
    import shutil

    notebooks = tmp_path / "notebooks"
    notebooks.mkdir()
    contract_notebook(notebooks / "97_crash.ipynb", "import os\nos._exit(3)")
    shutil.copy(FIXTURES / "notebooks" / "01_deployment.ipynb", notebooks)
    project.variant("crash", title="Crash")
    runtime = tmp_path / "rt-crash"
    build = Build(project, ["crash"], notebooks=["97_crash", "01_deployment"], runtime=runtime,
                  notebooks_dir=notebooks, env={"HAITI_MSS_KERNELS": "warm"})
    assert build.wait() == 1, build.output()
    failed = [line for line in build.lines if line.startswith("[crash] 97_crash: FAILED:")]
    assert failed and "died" in failed[0].lower(), build.output()
    assert any(line.startswith("[crash] 01_deployment: done in") for line in build.lines), build.output()
    for ext in ("ipynb", "html", "pdf"):
        assert (project.reports / "crash" / f"01_deployment.{ext}").is_file()
    assert (project.reports / "crash" / "_failed" / "97_crash.ipynb").is_file()
    assert_no_leftover_processes(runtime, project.root)
