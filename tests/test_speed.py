"""Warm kernels (haiti_mss.warm_kernel): each notebook gets a fresh kernel of its own, forked from a
template; it looks to the notebook exactly like a cold `python -m ipykernel_launcher`; a crash or a
timeout ends only that kernel; a template whose code changed on disk is replaced. And the speed work
changes nothing a reader gets: the same fixture build with and without it gives the same notebooks,
HTML and PDF text, apart from the build time.

Notebooks run through papermill in this process, so the forked kernels are this process's children.
Nothing sleeps and nothing is timed; every wait is bounded.
"""

from __future__ import annotations

import json
import os
import re
import signal
import sys
import textwrap
from pathlib import Path

import nbformat
import papermill
import psutil
import pytest

from haiti_mss import warm_kernel

pytestmark = [pytest.mark.notebooks,
              pytest.mark.skipif(not sys.platform.startswith("linux"), reason="warm kernels need Linux")]

PRELOAD = ["matplotlib.pyplot"]          # small, so a template starts quickly in the tests

PROBE = r"""
import json, os, re, signal, sys, threading
loaded = sorted(m for m in ("pandas", "matplotlib", "seaborn") if m in sys.modules)
import matplotlib
def disposition(s):
    h = signal.getsignal(s)
    return getattr(h, "__name__", str(h))
print(json.dumps({
    "argv": [a for a in sys.argv if not a.endswith(".json")], "orig_argv": [a for a in sys.orig_argv if not a.endswith(".json")],
    "path": sys.path, "cwd": os.getcwd(), "env": dict(os.environ), "name": __name__,
    "signals": {s.name: disposition(s) for s in (signal.SIGINT, signal.SIGTERM, signal.SIGCHLD, signal.SIGPIPE, signal.SIGHUP)},
    "session_leader": os.getsid(0) == os.getpid(), "group_leader": os.getpgid(0) == os.getpid(),
    "stdin": os.readlink("/proc/self/fd/0").split(":")[0], "parent": os.getppid(),
    "backend": matplotlib.get_backend(), "threads": sorted(re.sub(r"-\d+", "-N", t.name) for t in threading.enumerate()),
    "modules_loaded": loaded,
}))
"""


def notebook(path: Path, *cells: str) -> Path:
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(textwrap.dedent(c)) for c in cells])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, path)
    return path


def run(src: Path, *, warm: bool = True, **kw) -> nbformat.NotebookNode:
    out = src.with_name(src.stem + "-out.ipynb")
    if warm:
        kw["kernel_manager_class"] = warm_kernel.manager(PRELOAD)
    papermill.execute_notebook(str(src), str(out), kernel_name="python3", progress_bar=False,
                               cwd=str(src.parent), **kw)
    return nbformat.read(out, as_version=4)


def printed(nb, cell: int = -1):
    return json.loads("".join(o["text"] for o in nb.cells[cell].outputs if o.get("name") == "stdout"))


def forked(pid_info: dict) -> bool:
    return "haiti_mss.zygote" in " ".join(pid_info["cmdline"])


WHO = """
import json, os
print(json.dumps({"pid": os.getpid(), "ppid": os.getppid(), "cmdline": open("/proc/self/cmdline").read().split("\\0")}))
"""


@pytest.fixture
def folder(tmp_path, monkeypatch):
    monkeypatch.setenv(warm_kernel.ENV_SWITCH, "warm")
    return tmp_path


# ---------------------------------------------------------------- isolation

def test_each_notebook_gets_a_fresh_kernel_forked_from_the_template(folder):
    first = run(notebook(folder / "a.ipynb", """
        import matplotlib.pyplot as plt
        LEAK = "from notebook a"
        plt.rcParams["lines.linewidth"] = 7.0
        plt.figure()
        """, WHO))
    second = run(notebook(folder / "b.ipynb", """
        import json
        import matplotlib.pyplot as plt
        print(json.dumps({"leak": "LEAK" in globals(), "figures": plt.get_fignums(),
                          "linewidth": plt.rcParams["lines.linewidth"]}))
        """, WHO))
    a, b = printed(first), printed(second)
    assert forked(a) and forked(b), (a, b)
    assert a["pid"] != b["pid"]
    assert a["ppid"] == b["ppid"] == os.getpid()          # re-parented to the launcher, like a Popen'd kernel
    assert printed(second, 0) == {"leak": False, "figures": [], "linewidth": 1.5}   # matplotlib's default
    assert not psutil.pid_exists(a["pid"])                # the first kernel ended and was reaped
    assert warm_kernel.template_pid() is not None


def test_a_warm_kernel_looks_like_a_cold_one(folder):
    src = notebook(folder / "probe.ipynb", PROBE)
    cold, warm = printed(run(src, warm=False)), printed(run(src))
    assert cold["modules_loaded"] == [] and warm["modules_loaded"] == ["matplotlib"]   # preloaded
    for view in (cold, warm):
        view.pop("modules_loaded")
    assert warm == cold
    assert warm["argv"][1:] == ["-f", "--HistoryManager.hist_file=:memory:"]
    assert warm["orig_argv"][1:3] == ["-m", "ipykernel_launcher"]
    assert warm["env"]["JPY_PARENT_PID"] == str(os.getpid()) and warm["parent"] == os.getpid()
    assert warm["session_leader"] and warm["group_leader"] and warm["stdin"] == "pipe"
    assert warm["backend"] == "module://matplotlib_inline.backend_inline"


# ---------------------------------------------------------------- crash and timeout

def test_a_kernel_that_dies_fails_only_its_notebook(folder):
    run(notebook(folder / "warm-up.ipynb", "1"))
    template = warm_kernel.template_pid()
    with pytest.raises(Exception, match="(?i)kernel died"):
        run(notebook(folder / "crash.ipynb", "import os\nos._exit(3)", "print('never')"))
    after = printed(run(notebook(folder / "after.ipynb", WHO)))
    assert forked(after)
    assert warm_kernel.template_pid() == template           # the same template serves the next notebook


def test_the_cell_timeout_stops_a_hung_warm_kernel(folder):
    pid_file = folder / "pid"
    src = notebook(folder / "hang.ipynb", f"""
        import os, time
        open({str(pid_file)!r}, "w").write(str(os.getpid()))
        time.sleep(600)
        """)
    with pytest.raises(Exception, match="(?i)timed out"):
        run(src, execution_timeout=5)
    pid = int(pid_file.read_text())
    try:
        proc = psutil.Process(pid)
    except psutil.NoSuchProcess:
        return                                               # already gone and reaped
    gone, alive = psutil.wait_procs([proc], timeout=15)
    assert not alive or alive[0].status() == psutil.STATUS_ZOMBIE, alive


# ---------------------------------------------------------------- the project's code on disk

def test_a_template_whose_code_changed_on_disk_is_replaced(folder, monkeypatch):
    code = folder / "code"
    code.mkdir()
    (code / "speed_probe_module.py").write_text("VALUE = 1\n")
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join([str(code), os.environ.get("PYTHONPATH", "")]))
    monkeypatch.setattr(sys.modules[__name__], "PRELOAD", ["speed_probe_module"])
    src = notebook(folder / "value.ipynb", "import speed_probe_module\nprint(speed_probe_module.VALUE)")
    assert run(src).cells[0].outputs[0]["text"] == "1\n"
    first = warm_kernel.template_pid()
    (code / "speed_probe_module.py").write_text("VALUE = 22\n")      # another size: a change even within one mtime tick
    assert run(src).cells[0].outputs[0]["text"] == "22\n"
    assert warm_kernel.template_pid() not in (None, first)


# ---------------------------------------------------------------- switches and registration

def test_cold_switch_starts_cold_kernels(folder, monkeypatch):
    monkeypatch.setenv(warm_kernel.ENV_SWITCH, "cold")
    assert warm_kernel.papermill_options() == {}
    who = printed(run(notebook(folder / "who.ipynb", WHO)))   # even through WarmKernelManager
    assert not forked(who) and "ipykernel_launcher" in who["cmdline"]


def test_the_provisioner_is_registered_for_kernelspecs():
    from jupyter_client.kernelspec import KernelSpec
    from jupyter_client.provisioning import KernelProvisionerFactory

    spec = KernelSpec(argv=[sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
                      display_name="warm", language="python",
                      metadata={"kernel_provisioner": {"provisioner_name": warm_kernel.ENTRY_POINT,
                                                       "config": {"preload": ["pandas"]}}})
    provisioner = KernelProvisionerFactory.instance().create_provisioner_instance("k1", spec, parent=None)
    assert isinstance(provisioner, warm_kernel.WarmProvisioner)
    assert list(provisioner.preload) == ["pandas"]


# ---------------------------------------------------------------- the reader gets the same report

# The build time as the page writes it: "27 November 2026, 23:23 UTC" (the header) or "2026-11-27 23:23 UTC".
BUILT = re.compile(r"(\d{4}-\d{2}-\d{2}|\d{1,2}(?:er)?\s+\w+\s+\d{4},)\s+\d{2}:\d{2}\s+UTC")


def test_the_build_time_pattern_matches_what_the_page_writes():
    from datetime import datetime, timezone

    from haiti_mss import page_context

    nb = {"cells": [], "metadata": {}}
    when = datetime(2026, 11, 27, 23, 23, tzinfo=timezone.utc)
    built = page_context.report_context(nb, built_at=when)["built_at"]
    assert built == "27 November 2026, 23:23 UTC" and BUILT.fullmatch(built)


def normalised_notebook(path: Path) -> dict:
    nb = json.loads(path.read_text(encoding="utf-8"))
    nb["metadata"].pop("papermill", None)              # durations and timestamps
    for cell in nb["cells"]:
        cell.get("metadata", {}).pop("papermill", None)
        cell.get("metadata", {}).pop("execution", None)
        if "injected-parameters" in cell.get("metadata", {}).get("tags", []):
            cell.pop("id", None)                        # papermill gives it a new random id every run
    return nb


def pdf_content(path: Path) -> tuple[list[str], list[bytes]]:
    """Each page's text (build time masked) and the decoded pixels of every image, in page order."""
    import pikepdf
    from pypdf import PdfReader

    texts = [BUILT.sub("<built>", page.extract_text()) for page in PdfReader(path).pages]
    pixels = []
    with pikepdf.open(path) as pdf:
        for page in pdf.pages:
            found = []
            for image in page.get_images().values():
                pil = pikepdf.PdfImage(image).as_pil_image()
                found.append(pil.mode.encode() + repr(pil.size).encode() + pil.tobytes())
            pixels += sorted(found)                       # resource names may differ; the pictures may not
    return texts, pixels


def test_the_speed_work_changes_nothing_the_reader_gets(tmp_path, monkeypatch):
    """The fixture report built the old way (cold kernels, the page handed to WeasyPrint as it is) and
    the new way (warm kernels, print_ready): the same notebooks, the same HTML and the same PDF pages,
    text and images, apart from the build time."""
    from conftest import FIXTURE_NOTEBOOKS, HOSTILE_TITLE, make_project

    from haiti_mss import print_ready

    project = make_project(tmp_path / "project")
    project.variant("fixture", title=HOSTILE_TITLE)
    outputs = {}
    for label, kernels, printing in (("before", "cold", "plain"), ("after", "warm", "ready")):
        monkeypatch.setenv(warm_kernel.ENV_SWITCH, kernels)
        monkeypatch.setenv(print_ready.ENV_SWITCH, printing)
        project.reports = tmp_path / label
        result = project.build("fixture")
        assert result.exit_code == 0, [r.line() for r in result.results]
        outputs[label] = project.reports / "fixture"
    before, after = outputs["before"], outputs["after"]
    charts = 0
    for nb in FIXTURE_NOTEBOOKS:
        assert normalised_notebook(after / f"{nb}.ipynb") == normalised_notebook(before / f"{nb}.ipynb"), nb
        html_before = (before / f"{nb}.html").read_text(encoding="utf-8")
        html_after = (after / f"{nb}.html").read_text(encoding="utf-8")
        assert BUILT.sub("<built>", html_after) == BUILT.sub("<built>", html_before), nb
        texts_before, images_before = pdf_content(before / f"{nb}.pdf")
        texts_after, images_after = pdf_content(after / f"{nb}.pdf")
        assert len(texts_after) == len(texts_before), nb                    # the same pages
        assert texts_after == texts_before, nb
        assert images_after == images_before, nb                             # the same charts, same pixels
        charts += len(images_before)
    assert charts                                                            # 02_displacement draws one
    assert json.loads((after / "figures.json").read_text()) == json.loads((before / "figures.json").read_text())


def test_print_ready_shortens_only_image_data_uris():
    from haiti_mss import print_ready

    page = ('<img src="data:image/png;base64,iVBORw0KGgo="><a href="data:text/csv;base64,YSxi">CSV</a>'
            '<img src="chart.svg"><img src="data:image/png;base64,AAAA">')
    short, images = print_ready.shorten_images(page)
    assert short == ('<img src="haiti-print:0"><a href="data:text/csv;base64,YSxi">CSV</a>'
                     '<img src="chart.svg"><img src="haiti-print:1">')
    assert images == {"haiti-print:0": ("image/png", "iVBORw0KGgo="), "haiti-print:1": ("image/png", "AAAA")}


# ---------------------------------------------------------------- one execution for identical jobs

def test_variants_with_the_same_parameters_execute_each_notebook_once(project, monkeypatch):
    """Two variants that pass a notebook the same parameters: one execution, two reports, each naming
    its own variant (build/sharing.py)."""
    from conftest import FIXTURE_NOTEBOOKS

    from haiti_mss.build import sharing

    monkeypatch.setenv(sharing.ENV_SWITCH, "on")
    project.variant("first", title="First title", as_of="2025-06-30")
    project.variant("second", title="Second title", as_of="2025-06-30")
    lines: list[str] = []
    result = project.build("first", "second", echo=lines.append)
    assert result.exit_code == 0, lines
    shared = sorted(line.split(": done in")[0] for line in lines if line.endswith("(executed once, with first)"))
    assert shared == sorted(f"[second] {nb}" for nb in FIXTURE_NOTEBOOKS), lines   # every notebook of `second`
    first, second = project.reports / "first", project.reports / "second"
    for nb in FIXTURE_NOTEBOOKS:
        assert (second / f"{nb}.ipynb").read_bytes() == (first / f"{nb}.ipynb").read_bytes()
        page = (second / f"{nb}.html").read_text(encoding="utf-8")
        assert "Second title" in page and "First title" not in page
        assert "VARIANT=second" in page
    assert json.loads((second / "figures.json").read_text())["title"] == "Second title"
    for nb in FIXTURE_NOTEBOOKS:   # each figure as the first variant recorded it
        assert json.loads((second / "figures.json").read_text())[nb] == json.loads((first / "figures.json").read_text())[nb]


def test_execution_key_is_the_notebook_and_its_parameters(monkeypatch):
    from types import SimpleNamespace as Job

    from haiti_mss.build import sharing

    monkeypatch.setenv(sharing.ENV_SWITCH, "on")
    a = Job(source=Path("/n/01.ipynb"), parameters={"as_of": "2025-06-30", "planned_strength": 2500})
    b = Job(source=Path("/n/01.ipynb"), parameters={"planned_strength": 2500, "as_of": "2025-06-30"})
    c = Job(source=Path("/n/01.ipynb"), parameters={"as_of": "2025-06-30"})
    d = Job(source=Path("/n/02.ipynb"), parameters={"as_of": "2025-06-30"})
    start, waiting = sharing.group([a, c, b, d])
    assert start == [a, c, d] and waiting == {id(a): [b]}
    monkeypatch.setenv(sharing.ENV_SWITCH, "off")                  # every job on its own
    assert sharing.group([a, c, b, d]) == ([a, c, b, d], {})


def test_warm_kernels_only_where_a_template_pays(monkeypatch):
    """A template costs about two cold kernel starts: a worker expecting fewer than MIN_KERNELS (3)
    notebooks starts cold kernels, unless HAITI_MSS_KERNELS=warm; =cold always wins."""
    monkeypatch.delenv(warm_kernel.ENV_SWITCH, raising=False)
    try:
        for expected, warm in ((None, True), (1, False), (2, False), (3, True), (8, True)):
            warm_kernel.expect_kernels(expected)
            assert warm_kernel.enabled() is warm, expected
        warm_kernel.expect_kernels(1)
        monkeypatch.setenv(warm_kernel.ENV_SWITCH, "warm")
        assert warm_kernel.enabled()
        warm_kernel.expect_kernels(8)
        monkeypatch.setenv(warm_kernel.ENV_SWITCH, "cold")
        assert not warm_kernel.enabled() and warm_kernel.papermill_options() == {}
    finally:
        warm_kernel.expect_kernels(None)
