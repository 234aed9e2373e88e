"""Warm kernels: every notebook still gets a kernel of its own, forked from a template that has already
imported the heavy modules, instead of a new `python -m ipykernel_launcher` importing them again.

    papermill.execute_notebook(..., kernel_manager_class=warm_kernel.manager(PRELOAD))

Why: a cold kernel spends 1-2 s of CPU importing ipykernel, pandas, matplotlib, seaborn, geopandas and
haiti_mss before the notebook's first line of analysis; the build starts 12 or more of them. No
established library does this for jupyter_client (hotpot_km and enterprise gateway pools keep
*started* kernels, each still importing everything; jellycell and similar reuse one kernel across
notebooks with %reset, which shares state; sagecell's ForkingKernelManager forks from Sage for its own
server only; ipykernel's "fork kernel" pull requests #410 and #1261 were closed unmerged).

How:
- `WarmKernelManager` is jupyter_client's AsyncKernelManager (what nbclient and papermill use) with
  `WarmProvisioner`, a LocalProvisioner whose launch_kernel asks a template process for a fork instead
  of running Popen. The provisioner is also the `haiti-warm` entry point of
  `jupyter_client.kernel_provisioners`, so a kernelspec can name it.
- The template is haiti_mss.zygote, started on the first launch by the launching process (a build
  worker), with the same interpreter, working directory, environment and connection-file folder as the
  kernel; it imports what ipykernel_launcher imports, then the preload list, and waits. A launch
  with anything different starts a new template. The template exits when the launcher does (end of
  file on its socket), or when the project's code changed on disk since it imported it (checked before
  every fork; the next launch then starts a fresh template), so kernels always run the code on disk.
- Per kernel it forks twice; the middle process exits at once and the kernel is re-parented to the
  launcher, which made itself a child subreaper (prctl PR_SET_CHILD_SUBREAPER). The kernel is then the
  launcher's own child, as a Popen'd kernel is: waitpid gives its exit status, signals go to its own
  session (setsid, as jupyter_client does), and the build's SIGTERM handler, which kills the worker's
  children, kills it. In the kernel: stdin, cwd, environment, sys.argv and sys.orig_argv as for
  `python -m ipykernel_launcher -f CONN`, numpy's global random state reseeded, then ipykernel's own
  launch_new_instance: the IPython shell, the user's globals, matplotlib's figures and the inline
  backend's hooks are all created after the fork, in the kernel, as in a cold one.

Limits:
- Linux only. Any other case (another OS, a kernel command that is not `python -m ipykernel_launcher`,
  redirected stdio, a template that fails to import or is not safe to fork) starts a cold kernel
  (LocalProvisioner) after one warning per process. HAITI_MSS_KERNELS=cold turns warm kernels off.
- A template costs about two cold kernel starts (it imports everything any notebook needs): a build
  worker that will execute fewer than MIN_KERNELS notebooks starts cold kernels instead
  (expect_kernels; HAITI_MSS_KERNELS=warm forces warm ones).
- Preloaded modules are imported before the kernel app starts (in a cold kernel, in the first cell): a
  module that captures sys.stdout or sets warning filters at import would see the template's. Preload
  only modules without such effects; tests/test_speed.py checks that the executed notebooks are the
  same as with cold kernels.
- Kernels forked from one template share its hash seed (PYTHONHASHSEED); numpy's OpenBLAS thread pool
  is rebuilt by OpenBLAS's own fork handlers.
"""

from __future__ import annotations

import ctypes
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import uuid
from pathlib import Path
from typing import Any

from jupyter_client.manager import AsyncKernelManager
from jupyter_client.provisioning import LocalProvisioner
from traitlets import List, Unicode

ENTRY_POINT = "haiti-warm"
ENV_SWITCH = "HAITI_MSS_KERNELS"      # "cold": never warm; "warm": always; unset ("auto"): when they pay
MIN_KERNELS = 3                       # a template costs about two cold kernel starts: it pays from the third
START_TIMEOUT = 180.0                 # seconds for the template's imports (a loaded machine is slow)
FORK_TIMEOUT = 60.0
_PR_SET_CHILD_SUBREAPER = 36


class Unavailable(Exception):
    """A warm kernel cannot be had for this launch; a cold one is started instead."""


_EXPECTED: int | None = None          # how many kernels this process will start (expect_kernels), if known


def enabled() -> bool:
    """Warm kernels for this process's launches: not with HAITI_MSS_KERNELS=cold or off Linux; with
    HAITI_MSS_KERNELS=warm always; else unless this process expects fewer than MIN_KERNELS kernels."""
    mode = os.environ.get(ENV_SWITCH, "auto").strip().lower()
    if mode == "cold" or not sys.platform.startswith("linux"):
        return False
    return mode == "warm" or _EXPECTED is None or _EXPECTED >= MIN_KERNELS


def expect_kernels(count: int | None) -> None:
    """Tell this process how many kernels it will start (a build worker: its share of the notebooks)."""
    global _EXPECTED
    _EXPECTED = count


# ---------------------------------------------------------------- the kernel process, seen from its parent

class ForkedKernel:
    """Just enough of subprocess.Popen for LocalProvisioner: the forked kernel, a child of this process."""

    stdin = stdout = stderr = None

    def __init__(self, pid: int):
        self.pid = pid
        self.returncode: int | None = None

    def _reap(self, flags: int) -> int | None:
        if self.returncode is None:
            try:
                pid, status = os.waitpid(self.pid, flags)
            except ChildProcessError:   # reaped elsewhere: Popen reports 0 then too
                self.returncode = 0
            else:
                if pid:
                    self.returncode = os.waitstatus_to_exitcode(status)
        return self.returncode

    def poll(self) -> int | None:
        return self._reap(os.WNOHANG)

    def wait(self, timeout: float | None = None) -> int | None:
        return self._reap(0)

    def send_signal(self, signum: int) -> None:
        if self.poll() is None:
            os.kill(self.pid, signum)

    def terminate(self) -> None:
        self.send_signal(signal.SIGTERM)

    def kill(self) -> None:
        self.send_signal(signal.SIGKILL)


# ---------------------------------------------------------------- the template, seen from the launcher

class Template:
    """One haiti_mss.zygote process and the socket to it."""

    def __init__(self, key: tuple, python: str, env: dict[str, str], cwd: str, runtime_dir: str,
                 preload: list[str]):
        self.key = key
        ours, theirs = socket.socketpair()
        cmd = [python, "-m", "haiti_mss.zygote", "--fd", str(theirs.fileno()), "--runtime-dir", runtime_dir,
               "--preload", ",".join(preload)]
        try:
            self.proc = subprocess.Popen(cmd, env=env, cwd=cwd, stdin=subprocess.DEVNULL,
                                         pass_fds=(theirs.fileno(),), start_new_session=True)
        except OSError as exc:
            ours.close()
            raise Unavailable(f"cannot start the template: {exc}") from None
        finally:
            theirs.close()
        self.sock = ours
        self.reader = ours.makefile("rb")
        reply = self._receive(START_TIMEOUT)
        if "ready" not in reply:
            self.close()
            raise Unavailable(f"the template did not start: {reply.get('error', reply)}")

    def _receive(self, timeout: float) -> dict[str, Any]:
        self.sock.settimeout(timeout)
        try:
            line = self.reader.readline()
        except (TimeoutError, OSError) as exc:
            return {"error": f"no answer from the template ({type(exc).__name__})"}
        return json.loads(line) if line else {"error": "the template exited"}

    def fork(self, argv: list[str], env: dict[str, str], cwd: str) -> int:
        try:
            self.sock.sendall(json.dumps({"argv": argv, "env": env, "cwd": cwd, "parent": os.getpid()}).encode() + b"\n")
        except OSError as exc:
            raise Unavailable(f"the template is gone ({exc})") from None
        reply = self._receive(FORK_TIMEOUT)
        if "pid" not in reply:
            raise Unavailable(reply.get("error", str(reply)))
        return int(reply["pid"])

    def close(self) -> None:
        self.reader.close()
        self.sock.close()        # end of file: the template exits
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


_LOCK = threading.Lock()
_TEMPLATE: Template | None = None
_SUBREAPER: bool | None = None
_BROKEN: str | None = None     # why a template could not start in this process: do not try again
_WARNED = False
_EXIT_HOOKED = False


def _forget_after_fork() -> None:
    """A forked process (a build worker) must not share its parent's template or subreaper state."""
    global _TEMPLATE, _SUBREAPER, _BROKEN, _WARNED, _LOCK, _EXIT_HOOKED, _EXPECTED
    if _TEMPLATE is not None:   # close this process's copies of the socket; the parent keeps its own
        _TEMPLATE.reader.close()
        _TEMPLATE.sock.close()
    _LOCK = threading.Lock()
    _TEMPLATE, _SUBREAPER, _BROKEN, _WARNED, _EXIT_HOOKED, _EXPECTED = None, None, None, False, False, None


os.register_at_fork(after_in_child=_forget_after_fork)


def template_pid() -> int | None:
    """The pid of this process's running template (None: none yet, or stopped)."""
    return _TEMPLATE.proc.pid if _TEMPLATE is not None and _TEMPLATE.proc.poll() is None else None


def shutdown() -> None:
    """Stop this process's template and wait for it (also run at exit)."""
    global _TEMPLATE
    with _LOCK:
        if _TEMPLATE is not None:
            _TEMPLATE.close()
            _TEMPLATE = None


def _close_at_exit() -> None:
    """Reap the template when this process ends: atexit, and multiprocessing's finalizers for a pool
    worker (which ends with os._exit, skipping atexit)."""
    global _EXIT_HOOKED
    if _EXIT_HOOKED:
        return
    import atexit
    from multiprocessing import util

    atexit.register(shutdown)
    util.Finalize(None, shutdown, exitpriority=10)
    _EXIT_HOOKED = True


def _become_subreaper() -> bool:
    global _SUBREAPER
    if _SUBREAPER is None:
        try:
            libc = ctypes.CDLL(None, use_errno=True)
            _SUBREAPER = libc.prctl(_PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) == 0
        except (OSError, AttributeError):
            _SUBREAPER = False
    return _SUBREAPER


def _check_launch(cmd: list[str], kwargs: dict[str, Any]) -> tuple[str, str]:
    """The connection file and working directory of a launch a template can serve (else Unavailable)."""
    if not enabled():
        raise Unavailable(f"turned off ({ENV_SWITCH}=cold), not Linux, or too few kernels to pay for a template")
    if len(cmd) < 5 or cmd[1:3] != ["-m", "ipykernel_launcher"] or "-f" not in cmd[3:-1]:
        raise Unavailable(f"not an ipykernel command: {cmd}")
    extra = {k for k, v in kwargs.items() if k not in ("env", "cwd", "kernel_id", "extra_arguments") and v is not None}
    if extra:
        raise Unavailable(f"launch options a template does not handle: {sorted(extra)}")
    if not _become_subreaper():
        raise Unavailable("prctl(PR_SET_CHILD_SUBREAPER) failed")
    connection = cmd[cmd.index("-f", 3) + 1]
    return str(Path(connection).parent), str(kwargs.get("cwd") or os.getcwd())


def launch(cmd: list[str], kwargs: dict[str, Any], preload: list[str]) -> ForkedKernel:
    """Fork a kernel for this launch from a template (started or replaced as needed)."""
    global _TEMPLATE, _BROKEN
    runtime_dir, cwd = _check_launch(cmd, kwargs)
    if _BROKEN:
        raise Unavailable(_BROKEN)
    env = dict(kwargs.get("env") or os.environ)
    env["JPY_PARENT_PID"] = str(os.getpid())   # what jupyter_client's launcher sets for a cold kernel
    key = (cmd[0], cwd, runtime_dir, tuple(sorted(env.items())), tuple(preload))
    with _LOCK:
        for _ in range(2):   # a stale template (code changed on disk) is replaced once
            if _TEMPLATE is not None and _TEMPLATE.key != key:
                _TEMPLATE.close()
                _TEMPLATE = None
            if _TEMPLATE is None:
                try:
                    _TEMPLATE = Template(key, cmd[0], env, cwd, runtime_dir, preload)
                except Unavailable as exc:
                    _BROKEN = str(exc)
                    raise
                _close_at_exit()
            try:
                return ForkedKernel(_TEMPLATE.fork(list(cmd), env, cwd))
            except Unavailable as exc:
                _TEMPLATE.close()
                _TEMPLATE = None
                if str(exc) != "stale":
                    raise
        raise Unavailable("the template went stale twice")


# ---------------------------------------------------------------- jupyter_client's side

class WarmProvisioner(LocalProvisioner):
    """LocalProvisioner, but the kernel is forked from a template that has imported `preload`."""

    preload = List(Unicode(), help="Modules the template imports before forking kernels.").tag(config=True)

    async def launch_kernel(self, cmd: list[str], **kwargs: Any):
        global _WARNED
        try:
            kernel = launch(cmd, kwargs, list(self.preload))
        except Unavailable as exc:
            if not _WARNED and enabled():
                _WARNED = True
                self.log.warning("warm kernels unavailable, starting cold kernels: %s", exc)
            return await super().launch_kernel(cmd, **kwargs)
        self.process = kernel
        self.pid = self.pgid = kernel.pid   # the kernel leads its own session and process group
        self.cwd = kwargs.get("cwd") or os.getcwd()
        return self.connection_info


class WarmKernelManager(AsyncKernelManager):
    """AsyncKernelManager whose kernels come from WarmProvisioner (give it to papermill or nbclient as
    kernel_manager_class)."""

    preload = List(Unicode(), help="Modules the template imports before forking kernels.").tag(config=True)

    async def _async_pre_start_kernel(self, **kw: Any):
        if self.provisioner is None:
            self.kernel_id = self.kernel_id or kw.pop("kernel_id", str(uuid.uuid4()))
            self.provisioner = WarmProvisioner(kernel_id=self.kernel_id, kernel_spec=self.kernel_spec,
                                               parent=self, preload=list(self.preload))
        return await super()._async_pre_start_kernel(**kw)


_MANAGERS: dict[tuple[str, ...], type[WarmKernelManager]] = {}


def manager(preload: list[str] | tuple[str, ...]) -> type[WarmKernelManager]:
    """A WarmKernelManager class whose template imports `preload`."""
    key = tuple(preload)
    if key not in _MANAGERS:
        _MANAGERS[key] = type("WarmKernelManager", (WarmKernelManager,), {
            "preload": List(Unicode(), default_value=list(key)).tag(config=True)})
    return _MANAGERS[key]


# ---------------------------------------------------------------- the project's kernels

# What the report's notebooks import (see notebooks/*.ipynb): the template imports them once per worker.
PRELOAD = (
    "pandas", "matplotlib.pyplot", "seaborn", "geopandas",
    "haiti_mss.notebook", "haiti_mss.text", "haiti_mss.charts", "haiti_mss.maps", "haiti_mss.deployment",
    "haiti_mss.displacement", "haiti_mss.violence", "haiti_mss.claims", "haiti_mss.departments",
    "haiti_mss.department_text", "haiti_mss.funding",
)


def papermill_options() -> dict[str, Any]:
    """Extra papermill.execute_notebook arguments: warm kernels, unless HAITI_MSS_KERNELS=cold."""
    return {"kernel_manager_class": manager(PRELOAD)} if enabled() else {}
