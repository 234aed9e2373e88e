"""The template ("zygote") of warm kernels: it imports the heavy modules once, then forks kernels.

    python -m haiti_mss.zygote --fd N --runtime-dir DIR --preload pandas,matplotlib.pyplot,...

Started by haiti_mss.warm_kernel (read its docstring first: why, how, limits), with the environment,
working directory and interpreter of the kernels it will serve. It talks JSON lines over the socket at
fd N: once imported it writes {"ready": pid} (or {"error": ...}); then for each request
{"argv": [...], "env": {...}, "cwd": ..., "parent": pid} it forks a kernel and answers {"pid": pid}
(or {"error": ...}; {"error": "stale"} when the project's code changed on disk since the import: it
then exits, and the launcher starts a new zygote). End of file on the socket: it exits.

Only the standard library is imported here before the preload list, so a kernel forked from this
process has the modules a cold kernel would have, plus the preloaded ones.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import sys
import threading
import time
from pathlib import Path
from typing import Any

INLINE_BACKEND = "module://matplotlib_inline.backend_inline"
# What every ipykernel imports while it starts, before it sets MPLBACKEND and runs user code (the
# debugger: debugpy, about 150 modules).
KERNEL_MODULES = ("ipykernel.kernelapp", "ipykernel.ipkernel", "ipykernel.debugger")
READY_TIMEOUT = 30.0     # seconds a forked kernel may take to report that it is in place


def _send(sock: socket.socket, message: dict[str, Any]) -> None:
    sock.sendall(json.dumps(message).encode() + b"\n")


def _preload(modules: list[str]) -> None:
    """What `python -m ipykernel_launcher` imports before running user code, then the preload list."""
    import importlib

    for name in KERNEL_MODULES:
        importlib.import_module(name)
    # A cold kernel sets this in IPKernelApp.init_gui_pylab, before the notebook imports matplotlib
    # (which reads it at import): set it the same way, so the preloaded matplotlib picks the inline backend.
    if not os.environ.get("MPLBACKEND"):
        os.environ["MPLBACKEND"] = INLINE_BACKEND
    for name in modules:
        importlib.import_module(name)


def _unsafe_to_fork() -> str | None:
    """Why forking this process would not give a clean kernel (None: it would)."""
    if threading.active_count() > 1:
        return f"Python threads are running: {[t.name for t in threading.enumerate()]}"
    zmq = sys.modules.get("zmq")
    if zmq is not None and getattr(zmq.Context, "_instance", None) is not None:
        return "a zmq context exists"
    if "matplotlib_inline.backend_inline" in sys.modules:
        # Its import registers the inline hooks with the IPython shell, which exists only in the kernel.
        return "matplotlib's inline backend is already loaded"
    return None


def _project_files() -> dict[str, tuple[int, int] | None]:
    """(mtime, size) of every imported module file outside the interpreter's prefixes: the project's code."""
    prefixes = tuple({sys.prefix, sys.base_prefix, sys.exec_prefix, sys.base_exec_prefix})
    found: dict[str, tuple[int, int] | None] = {}
    for module in list(sys.modules.values()):
        path = getattr(module, "__file__", None)
        if not isinstance(path, str) or path.startswith(prefixes):
            continue
        try:
            st = os.stat(path)
            found[path] = (st.st_mtime_ns, st.st_size)
        except OSError:
            found[path] = None
    return found


def _read_ready(fd: int, timeout: float) -> bytes:
    import select

    deadline = time.monotonic() + timeout
    data = b""
    while not data.endswith(b"\n"):
        left = deadline - time.monotonic()
        if left <= 0 or not select.select([fd], [], [], left)[0]:
            return b""
        chunk = os.read(fd, 64)
        if not chunk:
            return b""
        data += chunk
    return data


def _fork_kernel(sock: socket.socket, request: dict[str, Any]) -> dict[str, Any] | None:
    """Fork twice so the kernel's parent becomes the launcher (a child subreaper). Returns the request in
    the kernel process, None in the zygote (after answering the launcher)."""
    ready_r, ready_w = os.pipe()
    sys.stdout.flush()
    sys.stderr.flush()
    middle = os.fork()
    if middle == 0:  # the intermediate: fork the kernel, exit at once so the kernel is re-parented
        try:
            os.close(ready_r)
            if os.fork() == 0:
                sock.close()
                return dict(request, ready_fd=ready_w)
        except BaseException:
            os._exit(1)
        os._exit(0)
    os.close(ready_w)
    os.waitpid(middle, 0)
    line = _read_ready(ready_r, READY_TIMEOUT)
    os.close(ready_r)
    if line.strip().isdigit():
        _send(sock, {"pid": int(line)})
    else:
        _send(sock, {"error": "the forked kernel ended before it was in place"})
    return None


def serve(fd: int, runtime_dir: Path, preload: list[str]) -> int | dict[str, Any]:
    """The zygote's life: an exit code, or (in a forked kernel) the request to run the kernel with."""
    sock = socket.socket(fileno=fd)
    # As ipykernel_launcher: the working directory is not on sys.path while importing (IPython puts ''
    # back when the kernel starts).
    if sys.path and (sys.path[0] == "" or Path(sys.path[0]) == Path.cwd()):
        del sys.path[0]
    launch_env = dict(os.environ)
    try:
        _preload(preload)
    except BaseException as exc:  # noqa: BLE001 - reported to the launcher, which starts a cold kernel
        _send(sock, {"error": f"preload failed: {type(exc).__name__}: {exc}"})
        return 1
    problem = _unsafe_to_fork()
    if problem:
        _send(sock, {"error": problem})
        return 1
    imported = _project_files()
    # Variables the imports set (debugpy sets PYDEVD_USE_FRAME_EVAL): a cold kernel has them too.
    env_changes = {k: v for k, v in os.environ.items() if launch_env.get(k) != v}
    env_removed = sorted(set(launch_env) - set(os.environ))
    _send(sock, {"ready": os.getpid(), "modules": len(sys.modules)})
    reader = sock.makefile("rb")
    for line in reader:
        request = json.loads(line)
        connection = Path(request["argv"][request["argv"].index("-f") + 1])
        if connection.parent != runtime_dir:
            _send(sock, {"error": f"connection file {connection} is not in {runtime_dir}"})
            continue
        if _project_files() != imported:
            _send(sock, {"error": "stale"})
            return 0
        kernel = _fork_kernel(sock, request)
        if kernel is not None:
            reader.close()
            env = {k: v for k, v in request["env"].items() if k not in env_removed}
            return dict(kernel, env={**env, **env_changes})
    return 0


def run_kernel(request: dict[str, Any]) -> None:
    """In the forked process: become what `python -m ipykernel_launcher -f CONN` would be, and run it."""
    import importlib.util

    os.setsid()                       # jupyter_client starts kernels in a new session too
    deadline = time.monotonic() + READY_TIMEOUT
    while os.getppid() != request["parent"]:   # the intermediate is exiting: wait to be re-parented
        if time.monotonic() > deadline:
            os._exit(70)
        time.sleep(0.001)
    stdin_r, stdin_w = os.pipe()      # stdin: a pipe nobody writes to, as jupyter_client's launcher gives
    os.dup2(stdin_r, 0)
    os.close(stdin_r)
    os.close(stdin_w)
    os.chdir(request["cwd"])
    os.environ.clear()
    os.environ.update(request["env"])
    argv = list(request["argv"])      # [python, -m, ipykernel_launcher, -f, CONN, ...]
    sys.orig_argv = argv
    sys.argv = [importlib.util.find_spec("ipykernel_launcher").origin, *argv[3:]]
    numpy_random = sys.modules.get("numpy.random")
    if numpy_random is not None:      # Python's `random` reseeds itself after fork; numpy's does not
        numpy_random.seed()
    os.write(request["ready_fd"], f"{os.getpid()}\n".encode())
    os.close(request["ready_fd"])
    from ipykernel import kernelapp

    kernelapp.launch_new_instance()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fd", type=int, required=True)
    parser.add_argument("--runtime-dir", required=True, help="where the kernels' connection files are")
    parser.add_argument("--preload", default="", help="comma-separated modules to import")
    args = parser.parse_args()
    outcome = serve(args.fd, Path(args.runtime_dir), [m for m in args.preload.split(",") if m])
    if isinstance(outcome, dict):
        run_kernel(outcome)           # only in a forked kernel; returns when the kernel shuts down
    else:
        sys.exit(outcome)


if __name__ == "__main__":
    main()
