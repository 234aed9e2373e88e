"""Time `haiti-report build` against the usual alternatives on this machine; print a table.

    .venv/bin/python bench/run.py              # every approach, median of 5 runs each
    .venv/bin/python bench/run.py --quick      # one run each (a try-out; minutes, not an hour)
    .venv/bin/python bench/run.py --runs 3 --only ours,script --json /tmp/bench.json
    .venv/bin/python bench/run.py --quick --only ours --levers none     # our build without issue 13's levers
    .venv/bin/python bench/run.py --quick --only ours --lever-matrix    # ours with none, each alone, all

Everything runs in a scratch copy of src/, notebooks/, data/ and params/ (a temp folder; PYTHONPATH and
HAITI_MSS_ROOT point the package, the kernels and the CLI at it), so reports/ is never touched and an
edit to the working tree during a run does not change what is measured. The approaches:

  ours      haiti-report build --jobs N into an empty reports dir (cold), again (no-op), and after
            editing one variant's YAML (only that variant's 4 notebooks rebuild)
  script    a plain sequential script: per variant and notebook, the papermill CLI (-f with the
            variant's parameters), `jupyter nbconvert --to html --no-input`, `python -m weasyprint`
  nbconvert `jupyter nbconvert --execute --to html` per notebook (defaults only: 4 notebooks, no PDF)
  ploomber  `ploomber build` of bench/ploomber/pipeline.yaml (12 NotebookRunner tasks, parallel
            executor, the project's haiti_html/haiti_pdf exporters), cold and no-op. Ploomber lives in
            its own venv (default /tmp/bench-ploomber), created on first use from requirements.lock.
  floor     sum of metadata.papermill.duration (kernel start + cells) of the 12 notebooks our cold
            build executed, divided by os.cpu_count(): no build can beat it without faster notebooks

Levers (issue 13), on by default, each switched by an environment variable that every command of a
run gets (so Ploomber's haiti_pdf exporter follows --levers too; the plain script does not use them):
  warm      HAITI_MSS_KERNELS=auto|cold   kernels forked from a pre-imported template (warm_kernel.py)
  print     HAITI_MSS_PRINT=ready|plain   the page handed to WeasyPrint cheaper to lay out (print_ready.py)
  share     HAITI_MSS_SHARE_RUNS=on|off   one execution for jobs with the same notebook and parameters
                                          (build/sharing.py; e.g. latest and latest-fr but the brief)
--levers none|all|warm,print,... picks them for the whole run; --lever-matrix runs our build (cold,
no-op, one parameter) once per configuration: none, each lever alone, all.

CPU: "cpu s" is user + system time of the command's whole process tree (os.wait4 on the command: its
own time and that of every descendant it reaped, kernels and warm-kernel templates included). On a
machine shared with other work the CPU figures hold where wall times do not.

Peak memory: "largest process" is ru_maxrss from os.wait4 on the command (the biggest single process
in its tree: CLI, worker or kernel); "tree" is the largest sum of RSS over the whole process tree,
sampled every 0.25 s with psutil (forked workers share pages, so the sum over-counts somewhat).
Not a test: nothing is asserted; the goals are printed with the figures.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
VARIANTS = sorted(p.stem for p in (ROOT / "params").glob("*.yaml"))        # what `haiti-report build` builds
NOTEBOOKS = sorted(p.stem for p in (ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
LEVERS = {  # name: (environment variable, value when on, value when off)
    "warm": ("HAITI_MSS_KERNELS", "auto", "cold"),
    "print": ("HAITI_MSS_PRINT", "ready", "plain"),
    "share": ("HAITI_MSS_SHARE_RUNS", "on", "off"),
}
PLOOMBER_VERSION = "0.23.3"
APPROACHES = ("ours", "script", "nbconvert", "ploomber")


# ---------------------------------------------------------------- running and measuring commands

@dataclass
class Run:
    seconds: float
    maxrss_mb: float          # largest single process of the tree (ru_maxrss)
    tree_mb: float            # largest sampled sum of RSS over the tree
    code: int
    output: str = ""
    cpu: float = 0.0          # user + system seconds of the tree (the command and every descendant it reaped)


class TreeSampler(threading.Thread):
    """The largest sum of RSS over a process and its descendants, sampled every 0.25 s."""

    def __init__(self, pid: int):
        super().__init__(daemon=True)
        self.pid, self.peak, self._halt = pid, 0, threading.Event()

    def run(self) -> None:
        try:
            import psutil
        except ImportError:
            return
        try:
            root = psutil.Process(self.pid)
        except psutil.Error:
            return
        while not self._halt.is_set():
            total = 0
            try:
                for p in [root, *root.children(recursive=True)]:
                    try:
                        total += p.memory_info().rss
                    except psutil.Error:
                        pass
            except psutil.Error:
                return
            self.peak = max(self.peak, total)
            self._halt.wait(0.25)

    def stop(self) -> None:
        self._halt.set()
        self.join(timeout=2)


def run(cmd: list[str], env: dict, cwd: Path, timeout: float = 3600) -> Run:
    """Run one command; wall time, ru_maxrss of its tree (os.wait4), sampled tree RSS, output."""
    out = tempfile.TemporaryFile()
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, cwd=cwd, stdout=out, stderr=subprocess.STDOUT)
    sampler = TreeSampler(proc.pid)
    sampler.start()
    deadline = started + timeout
    while True:
        pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
        if pid:
            break
        if time.perf_counter() > deadline:
            proc.kill()
            pid, status, usage = os.wait4(proc.pid, 0)
            break
        time.sleep(0.02)
    seconds = time.perf_counter() - started
    proc.returncode = os.waitstatus_to_exitcode(status)   # keep Popen from waiting again
    sampler.stop()
    out.seek(0)
    text = out.read().decode(errors="replace")
    out.close()
    return Run(seconds, usage.ru_maxrss / 1024, sampler.peak / 2**20, proc.returncode, text,
               usage.ru_utime + usage.ru_stime)


def run_all(cmds: list[list[str]], env: dict, cwd: Path, log: list | None = None) -> Run:
    """A sequence of commands as one measurement (stops at the first failure)."""
    total, rss, tree, code, texts, cpu = 0.0, 0.0, 0.0, 0, [], 0.0
    for cmd in cmds:
        r = run(cmd, env, cwd)
        total += r.seconds
        cpu += r.cpu
        rss, tree = max(rss, r.maxrss_mb), max(tree, r.tree_mb)
        if log is not None:
            log.append((cmd, r))
        if r.code:
            code = r.code
            texts.append(f"$ {' '.join(cmd)}\n{r.output[-2000:]}")
            break
    return Run(total, rss, tree, code, "\n".join(texts), cpu)


# ---------------------------------------------------------------- the scratch project

def make_scratch(base: Path) -> tuple[Path, dict]:
    for name in ("src", "notebooks", "data", "params"):
        shutil.copytree(ROOT / name, base / name, ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
    cache = Path(tempfile.gettempdir()) / "haiti-bench-cache"   # matplotlib's font cache, kept between runs
    env = dict(os.environ)
    env.update({
        "PYTHONPATH": str(base / "src"),          # before the editable install's finder: the snapshot wins
        "HAITI_MSS_ROOT": str(base),              # paths.ROOT: data/, params/, notebooks/, reports/ of the copy
        "MPLCONFIGDIR": str(cache / "matplotlib"),
        "JUPYTER_RUNTIME_DIR": str(base / ".jupyter-runtime"),
        "PYDEVD_DISABLE_FILE_VALIDATION": "1",
        "PLOOMBER_STATS_ENABLED": "false",        # no telemetry, no version check over the network
        "PLOOMBER_VERSION_CHECK_DISABLED": "1",
        "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}",
    })
    return base, env


def set_yaml_parameter(path: Path, name: str, value) -> None:
    import yaml

    doc = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    doc.setdefault("parameters", {})
    doc["parameters"] = {**(doc["parameters"] or {}), name: value}
    path.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")


def parse_levers(text: str) -> set[str]:
    names = {t.strip() for t in text.split(",") if t.strip()}
    if names == {"all"}:
        return set(LEVERS)
    if names == {"none"}:
        return set()
    unknown = names - set(LEVERS)
    if unknown:
        raise ValueError(f"unknown lever {', '.join(sorted(unknown))}; known: {', '.join(LEVERS)}, all, none")
    return names


def with_levers(env: dict, levers: set[str]) -> dict:
    """The environment with each lever switched on (in `levers`) or off."""
    out = dict(env)
    for name, (variable, on, off) in LEVERS.items():
        out[variable] = on if name in levers else off
    return out


# ---------------------------------------------------------------- approaches

def ours(scratch: Path, env: dict, runs: int, jobs: int) -> dict[str, list[Run]]:
    reports = scratch / "reports"
    cli = [str(BIN / "haiti-report"), "build", "--jobs", str(jobs), "--reports-dir", str(reports)]
    gsf = scratch / "params" / "gsf-5550.yaml"
    original = gsf.read_text(encoding="utf-8")
    out: dict[str, list[Run]] = {"cold": [], "noop": [], "param": []}
    for i in range(runs):
        gsf.write_text(original, encoding="utf-8")
        shutil.rmtree(reports, ignore_errors=True)
        out["cold"].append(run(cli, env, scratch))
        out["noop"].append(run(cli, env, scratch))
        set_yaml_parameter(gsf, "planned_strength", 5551 + i)      # a new value each time: a real change
        out["param"].append(run(cli, env, scratch))
        note(f"ours run {i + 1}: cold {out['cold'][-1].seconds:.1f} s, no-op {out['noop'][-1].seconds:.2f} s, "
             f"one parameter {out['param'][-1].seconds:.1f} s")
    jobs_all, jobs_gsf = len(VARIANTS) * len(NOTEBOOKS), len(NOTEBOOKS)
    for kind, expect in (("noop", f"0 built, {jobs_all} up to date"),
                         ("param", f"{jobs_gsf} built, {jobs_all - jobs_gsf} up to date")):
        for r in out[kind]:
            if expect not in r.output:
                r.code = r.code or 99
                r.output += f"\n(bench) expected '{expect}' in the summary line"
    gsf.write_text(original, encoding="utf-8")
    return out


def lever_matrix(scratch: Path, env: dict, runs: int, jobs: int) -> dict[str, dict]:
    """Our build (cold, no-op, one parameter) with no lever, each lever alone and all of them."""
    configs = {"none": set(), **{name: {name} for name in LEVERS}, "all": set(LEVERS)}
    out = {}
    for label, levers in configs.items():
        note(f"lever matrix: {label}")
        out[label] = ours(scratch, with_levers(env, levers), runs, jobs)
        out[label]["floor"] = floor(scratch / "reports")
    return out


def script(scratch: Path, env: dict, runs: int, log: list) -> list[Run]:
    """The plain sequential script: 3 CLI calls per variant and notebook."""
    import yaml

    params = scratch / "script-params"
    params.mkdir(exist_ok=True)
    for v in VARIANTS:
        doc = yaml.safe_load((scratch / "params" / f"{v}.yaml").read_text(encoding="utf-8")) or {}
        (params / f"{v}.yaml").write_text(yaml.safe_dump(doc.get("parameters") or {}), encoding="utf-8")
    results = []
    for i in range(runs):
        out = scratch / "script-out"
        shutil.rmtree(out, ignore_errors=True)
        cmds = []
        for v in VARIANTS:
            (out / v).mkdir(parents=True)
            for nb in NOTEBOOKS:
                ipynb, html, pdf = (out / v / f"{nb}.{ext}" for ext in ("ipynb", "html", "pdf"))
                cmds += [
                    [str(BIN / "papermill"), str(scratch / "notebooks" / f"{nb}.ipynb"), str(ipynb),
                     "-f", str(params / f"{v}.yaml"), "--cwd", str(scratch / "notebooks"), "--no-progress-bar"],
                    [str(BIN / "jupyter"), "nbconvert", "--to", "html", "--no-input", str(ipynb)],
                    [sys.executable, "-m", "weasyprint", "-q", str(html), str(pdf)],
                ]
        this_log: list = []
        results.append(run_all(cmds, env, scratch, this_log))
        log[:] = this_log
        note(f"script run {i + 1}: {results[-1].seconds:.1f} s")
    return results


def nbconvert_alone(scratch: Path, env: dict, runs: int) -> list[Run]:
    results = []
    for i in range(runs):
        out = scratch / "nbconvert-out"
        shutil.rmtree(out, ignore_errors=True)
        cmds = [[str(BIN / "jupyter"), "nbconvert", "--execute", "--to", "html", "--output-dir", str(out),
                 str(scratch / "notebooks" / f"{nb}.ipynb")] for nb in NOTEBOOKS]
        results.append(run_all(cmds, env, scratch))
        note(f"nbconvert run {i + 1}: {results[-1].seconds:.1f} s")
    return results


def ploomber_venv(path: Path) -> Path:
    """Ploomber in a venv of its own (its dependencies must not leak into the project's)."""
    exe = path / "bin" / "ploomber"
    if exe.exists():
        return exe
    note(f"creating {path} (requirements.lock + ploomber=={PLOOMBER_VERSION}; a few minutes, once)")
    pip = [str(path / "bin" / "python"), "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
    steps = [[sys.executable, "-m", "venv", str(path)],
             pip + ["-r", str(ROOT / "requirements.lock")],
             pip + ["--no-deps", "--no-build-isolation", "-e", str(ROOT)],
             pip + [f"ploomber=={PLOOMBER_VERSION}"]]
    for step in steps:
        done = subprocess.run(step, capture_output=True, text=True)
        if done.returncode:
            raise RuntimeError(f"{' '.join(step)} failed: {(done.stderr or done.stdout).strip()[-800:]}")
    return exe


def ploomber(scratch: Path, env: dict, runs: int, venv: Path) -> dict[str, list[Run]]:
    exe = ploomber_venv(venv)
    work = scratch / "ploomber"
    (work / "notebooks").mkdir(parents=True, exist_ok=True)
    shutil.copy(ROOT / "bench" / "ploomber" / "pipeline.yaml", work / "pipeline.yaml")
    # Ploomber refuses a notebook whose parameters cell lacks `upstream`; and it injects `product`.
    for nb in NOTEBOOKS:
        doc = json.loads((scratch / "notebooks" / f"{nb}.ipynb").read_text(encoding="utf-8"))
        for cell in doc["cells"]:
            if "parameters" in cell.get("metadata", {}).get("tags", []):
                src = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
                cell["source"] = src.rstrip("\n") + "\nupstream = None  # Ploomber: no upstream task\nproduct = None\n"
        (work / "notebooks" / f"{nb}.ipynb").write_text(json.dumps(doc, indent=1), encoding="utf-8")
    cmd = [str(exe), "build", "--entry-point", "pipeline.yaml"]
    out: dict[str, list[Run]] = {"cold": [], "noop": []}
    for i in range(runs):
        shutil.rmtree(work / "out", ignore_errors=True)
        out["cold"].append(run(cmd, env, work))
        out["noop"].append(run(cmd, env, work))
        note(f"ploomber run {i + 1}: cold {out['cold'][-1].seconds:.1f} s, no-op {out['noop'][-1].seconds:.1f} s")
    return out


# ---------------------------------------------------------------- floor and per-notebook breakdown

def floor(reports: Path) -> dict:
    """Σ papermill duration of the notebooks the build executed. A notebook another variant's job executed
    for it (build/sharing.py: the same notebook and parameters) carries that run's metadata: counted once."""
    total, cells, n, seen, shared = 0.0, 0.0, 0, set(), 0
    for v in VARIANTS:
        for nb in NOTEBOOKS:
            path = reports / v / f"{nb}.ipynb"
            if not path.exists():
                continue
            doc = json.loads(path.read_text(encoding="utf-8"))
            run_id = (doc["metadata"]["papermill"].get("input_path"), doc["metadata"]["papermill"].get("start_time"))
            if run_id in seen:
                shared += 1
                continue
            seen.add(run_id)
            total += float(doc["metadata"]["papermill"]["duration"])
            cells += sum(float((c.get("metadata", {}).get("papermill", {}) or {}).get("duration") or 0)
                         for c in doc["cells"])
            n += 1
    cores = os.cpu_count() or 1
    return {"notebooks": n, "shared": shared, "papermill_sum": total, "cells_sum": cells, "cores": cores,
            "floor": total / cores}


_RENDER = r"""
import json, resource, sys, time
t = time.perf_counter()
import nbformat
from haiti_mss import export
imported = time.perf_counter() - t
t = time.perf_counter(); export.warm_up(); warm = time.perf_counter() - t
out = {"import": imported, "warm_up": warm, "notebooks": {}}
folder = sys.argv[1]
for name in sys.argv[2:]:
    nb = nbformat.read(f"{folder}/{name}.ipynb", as_version=4)
    t = time.perf_counter(); ctx = export.report_context(nb, notebook=name, variant="latest"); c = time.perf_counter() - t
    t = time.perf_counter(); page = export.render_html(nb, ctx, notebook=name); h = time.perf_counter() - t
    t = time.perf_counter(); export.render_pdf(page, base_url=folder); p = time.perf_counter() - t
    out["notebooks"][name] = {"context": c, "html": h, "pdf": p}
out["maxrss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps(out))
"""


def breakdown(scratch: Path, env: dict, script_log: list) -> dict:
    folder = scratch / "reports" / "latest"
    rows: dict[str, dict] = {}
    for nb in NOTEBOOKS:
        path = folder / f"{nb}.ipynb"
        if not path.exists():
            continue
        doc = json.loads(path.read_text(encoding="utf-8"))
        cells = sum(float((c.get("metadata", {}).get("papermill", {}) or {}).get("duration") or 0) for c in doc["cells"])
        rows[nb] = {"execute": float(doc["metadata"]["papermill"]["duration"]), "cells": cells,
                    "html_kb": (folder / f"{nb}.html").stat().st_size / 1024,
                    "pdf_kb": (folder / f"{nb}.pdf").stat().st_size / 1024}
    render = run([sys.executable, "-c", _RENDER, str(folder), *rows], env, scratch)
    extra = {}
    if render.code == 0:
        extra = json.loads(render.output.strip().splitlines()[-1])
        for nb, t in extra["notebooks"].items():
            rows[nb].update(t)
    # The sequential script ran each step as its own process: its per-step peak memory and time.
    for cmd, r in script_log:
        joined = " ".join(cmd)
        m = re.search(r"/latest/(\d\d_[a-z]+)\.(ipynb|html)", joined)
        if not m or m.group(1) not in rows:
            continue
        step = "papermill" if "papermill" in cmd[0] else "nbconvert" if "nbconvert" in cmd else "weasyprint"
        rows[m.group(1)][f"{step}_cli_s"] = r.seconds
        rows[m.group(1)][f"{step}_mb"] = r.maxrss_mb
    return {"rows": rows, "render": extra}


# ---------------------------------------------------------------- report

def note(text: str) -> None:
    print(f"# {text}", file=sys.stderr, flush=True)


def med(runs: list[Run]) -> float:
    return statistics.median(r.seconds for r in runs)


def fmt_s(x: float) -> str:
    return f"{x:.2f}" if x < 10 else f"{x:.1f}"


def table(headers: list[str], rows: list[list[str]]) -> str:
    widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(headers)]
    line = lambda cells: "| " + " | ".join(c.ljust(w) for c, w in zip(cells, widths)) + " |"  # noqa: E731
    return "\n".join([line(headers), "|" + "|".join("-" * (w + 2) for w in widths) + "|", *map(line, rows)])


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--runs", type=int, default=5, help="runs per figure (the median is shown; default 5)")
    ap.add_argument("--quick", action="store_true", help="one run per figure")
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="--jobs for our build (default: cores)")
    ap.add_argument("--only", default=",".join(APPROACHES), help=f"comma-separated subset of {','.join(APPROACHES)}")
    ap.add_argument("--ploomber-venv", type=Path, default=Path("/tmp/bench-ploomber"))
    ap.add_argument("--json", type=Path, help="also write the raw figures here")
    ap.add_argument("--keep", action="store_true", help="keep the scratch folder (its path is printed)")
    ap.add_argument("--levers", default="all",
                    help=f"issue 13's levers on in every command: all (default), none, or a subset of {','.join(LEVERS)}")
    ap.add_argument("--lever-matrix", action="store_true",
                    help="also run our build (cold, no-op, one parameter) with none, each lever alone, and all")
    args = ap.parse_args(argv)
    try:
        levers = parse_levers(args.levers)
    except ValueError as exc:
        ap.error(str(exc))
    runs = 1 if args.quick else max(1, args.runs)
    only = {a.strip() for a in args.only.split(",") if a.strip()}
    unknown = only - set(APPROACHES)
    if unknown:
        ap.error(f"unknown approach {', '.join(sorted(unknown))}; known: {', '.join(APPROACHES)}")

    base = Path(tempfile.mkdtemp(prefix="haiti-bench-"))
    scratch, env = make_scratch(base)
    env = with_levers(env, levers)
    load_before = os.getloadavg()
    note(f"scratch copy: {scratch}; {os.cpu_count()} cores; load average {load_before[0]:.2f}; {runs} run(s) each")
    # Untimed warm-up: matplotlib's font cache and the OS file cache (every approach then starts warm).
    run([sys.executable, "-c", "import matplotlib.pyplot, seaborn, pandas, weasyprint, papermill, nbconvert"],
        env, scratch)
    started = time.perf_counter()
    res: dict = {"runs": runs, "cores": os.cpu_count(), "jobs": args.jobs, "errors": {},
                 "levers": sorted(levers), "variants": VARIANTS, "notebooks": NOTEBOOKS}
    script_log: list = []
    try:
        if "ours" in only:
            res["ours"] = ours(scratch, env, runs, args.jobs)
            res["floor"] = floor(scratch / "reports")
        if args.lever_matrix:
            res["matrix"] = lever_matrix(scratch, env, runs, args.jobs)
        if "script" in only:
            res["script"] = script(scratch, env, runs, script_log)
        if "nbconvert" in only:
            res["nbconvert"] = nbconvert_alone(scratch, env, runs)
        if "ploomber" in only:
            try:
                res["ploomber"] = ploomber(scratch, env, runs, args.ploomber_venv)
            except Exception as exc:  # cannot install or run: say so, carry on
                res["errors"]["ploomber"] = f"{type(exc).__name__}: {exc}"
        if "ours" in only:
            res["breakdown"] = breakdown(scratch, env, script_log)
    finally:
        load_after = os.getloadavg()
        if not args.keep:
            shutil.rmtree(base, ignore_errors=True)
    elapsed = time.perf_counter() - started
    if args.json:   # first: the raw figures survive a bug in the table below
        args.json.write_text(json.dumps(res, default=lambda o: o.__dict__ | {"output": o.output[-500:]}, indent=2))
    print(report(res, load_before, load_after, elapsed, scratch if args.keep else None))
    return 0


def matrix_table(matrix: dict[str, dict]) -> str:
    """Our build per lever configuration; the floors of the configuration without levers (cold kernels,
    the floor as measured before issue 13) and of each configuration's own cold build."""
    base = matrix.get("none")
    base_floor = base["floor"]["floor"] if base else None
    base_param = med(base["param"]) if base else None
    rows = []
    for label, r in matrix.items():
        cold, param = med(r["cold"]), med(r["param"])
        cpu = lambda runs: fmt_s(statistics.median(x.cpu for x in runs))  # noqa: E731
        bad = [x for kind in ("cold", "noop", "param") for x in r[kind] if x.code]
        rows.append([label, fmt_s(cold), cpu(r["cold"]), fmt_s(med(r["noop"])), fmt_s(param), cpu(r["param"]),
                     f"{r['floor']['floor']:.1f}", f"{cold / r['floor']['floor']:.2f}×",
                     f"{cold / base_floor:.2f}×" if base_floor else "",
                     f"{param / base_param:.0%}" if base_param else "", f"exit {bad[0].code}" if bad else "ok"])
    return ("\nlever matrix (our build; median of runs; cpu = user+sys of the whole tree; floor = Σ papermill "
            "duration ÷ cores of that configuration's cold build; 'none' = before issue 13):\n"
            + table(["levers", "cold s", "cold cpu s", "no-op s", "one param s", "one param cpu s", "floor s",
                     "cold ÷ own floor", "cold ÷ floor(none)", "param ÷ param(none)", "status"], rows))


def report(res: dict, load_before, load_after, elapsed: float, kept: Path | None) -> str:
    rows, out = [], []
    fl = res.get("floor", {}).get("floor")
    cold = med(res["ours"]["cold"]) if "ours" in res else None

    def add(name: str, what: str, runs: list[Run]) -> None:
        secs = [r.seconds for r in runs]
        m = statistics.median(secs)
        bad = [r for r in runs if r.code]
        rows.append([name, what, fmt_s(m), f"{fmt_s(min(secs))}–{fmt_s(max(secs))}", str(len(runs)),
                     fmt_s(statistics.median(r.cpu for r in runs)),
                     f"{max(r.maxrss_mb for r in runs):.0f}", f"{max(r.tree_mb for r in runs):.0f}",
                     f"{m / fl:.2f}×" if fl else "", f"{m / cold:.2f}×" if cold and what.startswith("cold") else "",
                     f"exit {bad[0].code}" if bad else "ok"])

    nv, nn = len(res["variants"]), len(res["notebooks"])
    if "ours" in res:
        add("ours", f"cold: {nv} variants × {nn} notebooks, html+pdf", res["ours"]["cold"])
        add("ours", "no-op rebuild", res["ours"]["noop"])
        add("ours", f"one parameter changed ({nn} notebooks)", res["ours"]["param"])
    if "script" in res:
        add("(a) sequential script", f"cold: {nv * nn} × papermill + nbconvert + weasyprint", res["script"])
    if "nbconvert" in res:
        add("(b) nbconvert --execute", f"{nn} notebooks, defaults, html only", res["nbconvert"])
    if "ploomber" in res:
        add("(c) Ploomber", "cold: 12 tasks, parallel, ipynb+html+pdf", res["ploomber"]["cold"])
        add("(c) Ploomber", "no-op rebuild", res["ploomber"]["noop"])
    out.append(f"levers on: {', '.join(res['levers']) or 'none'}")
    out.append(table(["approach", "what", "median s", "min–max", "runs", "cpu s", "largest proc MB", "tree MB",
                      "÷ floor", "÷ ours cold", "status"], rows))
    if "floor" in res:
        f = res["floor"]
        out.append(f"\nfloor: {f['notebooks']} notebooks executed"
                   + (f" ({f['shared']} more shared another's run)" if f.get("shared") else "")
                   + f", papermill duration (kernel start + cells) {f['papermill_sum']:.1f} s "
                   f"(cells alone {f['cells_sum']:.1f} s) / {f['cores']} cores = {f['floor']:.1f} s")
    if cold and fl:
        goals = [f"cold / floor = {cold / fl:.2f} (issue 13: ≤ 1.3)"]
        if "script" in res:
            goals.append(f"script / cold = {med(res['script']) / cold:.2f} (goal ≥ 2)")
        goals.append(f"no-op = {med(res['ours']['noop']):.2f} s (issue 13: < 0.2)")
        out.append("goals: " + "; ".join(goals))
    if res.get("matrix"):
        out.append(matrix_table(res["matrix"]))
    bd = res.get("breakdown")
    if bd and bd["rows"]:
        r0 = bd["render"]
        brow = []
        for nb, r in bd["rows"].items():
            g = lambda k, f="{:.2f}": f.format(r[k]) if k in r else "–"  # noqa: E731
            brow.append([nb, g("execute"), g("cells"), g("context"), g("html"), g("pdf"), g("html_kb", "{:.0f}"),
                         g("pdf_kb", "{:.0f}"), g("papermill_mb", "{:.0f}"), g("weasyprint_mb", "{:.0f}"),
                         g("papermill_cli_s"), g("nbconvert_cli_s"), g("weasyprint_cli_s")])
        out.append("\nper notebook (variant latest): execute = papermill duration in our build (kernel start + cells); "
                   "context/html/pdf = export.report_context/render_html/render_pdf in one warm process; "
                   "*_cli = the sequential script's separate processes (s, peak MB)")
        out.append(table(["notebook", "execute s", "cells s", "context s", "html s", "pdf s", "HTML KB", "PDF KB",
                          "papermill MB", "weasyprint MB", "papermill cli s", "nbconvert cli s", "weasyprint cli s"], brow))
        if r0:
            out.append(f"export process: import {r0['import']:.2f} s, warm_up {r0['warm_up']:.2f} s, "
                       f"peak {r0['maxrss_mb']:.0f} MB")
    for name, err in res["errors"].items():
        out.append(f"\n{name}: could not run: {err}")
    for group in ("ours", "ploomber"):
        for kind, runs in (res.get(group) or {}).items():
            for r in runs:
                if r.code:
                    out.append(f"\n{group} {kind} failed (exit {r.code}):\n{r.output[-1500:]}")
    for group in ("script", "nbconvert"):
        for r in res.get(group) or []:
            if r.code:
                out.append(f"\n{group} failed (exit {r.code}):\n{r.output[-1500:]}")
    out.append(f"\n{res['cores']} cores, our build with --jobs {res['jobs']}; load average {load_before[0]:.2f} before, "
               f"{load_after[0]:.2f} after; bench took {elapsed / 60:.1f} min"
               + (f"; scratch kept at {kept}" if kept else ""))
    return "\n".join(out)


if __name__ == "__main__":
    sys.exit(main())
