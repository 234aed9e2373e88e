"""The build's files on disk: atomic writes, the state file, the lock, staging and _failed folders.

Nothing a reader relies on is ever half-written: published files are replaced with os.replace, one
build runs at a time (an flock on <reports>/.build.lock), and each job works in its own staging folder.
"""

from __future__ import annotations

import fcntl
import json
import os
import secrets
import shutil
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator

FORMATS = ("ipynb", "html", "pdf")
STATE_FILE = ".build-state.json"
LOCK_FILE = ".build.lock"
FAILED_DIR = "_failed"
STAGING_PREFIX = ".staging-"

Echo = Callable[[str], None]


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
    """<out>/.build-state.json: per notebook, the key it was built with and its recorded figures."""
    try:
        state = json.loads((out_dir / STATE_FILE).read_text(encoding="utf-8"))
        if isinstance(state, dict) and isinstance(state.get("notebooks"), dict):
            return state
    except (OSError, ValueError):
        pass
    return {"notebooks": {}}


def update_state(out_dir: Path, built: list[tuple[str, str, dict[str, Any], float]]) -> None:
    """Record (notebook, key, figures, seconds) of each notebook just built."""
    if not built:
        return
    state = read_state(out_dir)
    now = datetime.now(timezone.utc).isoformat(timespec="seconds")
    for notebook, key, figures, seconds in built:
        state["notebooks"][notebook] = {"key": key, "figures": figures, "built_at": now, "seconds": round(seconds, 2)}
    write_atomic(out_dir / STATE_FILE, json.dumps(state, indent=2, sort_keys=True) + "\n")


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


def staging_dir(out_dir: Path, notebook: str) -> Path:
    return out_dir / f"{STAGING_PREFIX}{notebook}-{secrets.token_hex(4)}"


def clean_staging(out_dirs: Iterable[Path]) -> None:
    for out_dir in out_dirs:
        if out_dir.is_dir():
            for staged in out_dir.glob(STAGING_PREFIX + "*"):
                shutil.rmtree(staged, ignore_errors=True)


def forget_failure(out_dir: Path, notebook: str) -> None:
    """The outputs are current: an older failed run of this notebook is no longer news."""
    stale = out_dir / FAILED_DIR / f"{notebook}.ipynb"
    if stale.exists():
        stale.unlink()
        try:
            stale.parent.rmdir()
        except OSError:
            pass


def keep_failed(out_dir: Path, notebook: str, executed: Path) -> Path | None:
    """Move a failed executed notebook to <out>/_failed/ for reading (the published outputs stay)."""
    if not executed.exists():
        return None
    target = out_dir / FAILED_DIR / f"{notebook}.ipynb"
    target.parent.mkdir(parents=True, exist_ok=True)
    os.replace(executed, target)
    return target
