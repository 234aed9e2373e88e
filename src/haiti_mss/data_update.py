"""Append rows to data/ tables as one atomic change: all tables and datapackage.json, or none of them.

    stage -> every new file is written into a staging folder inside data/ (same file system, so the
             final moves are renames), on a full copy of data/, whose hashes are refreshed and which
             is validated with the project's own validation;
    commit -> the originals are copied aside, a journal is written, the staged files are renamed over
             the originals with SIGINT/SIGTERM held back, and any failure puts the originals back.

A process killed during the few renames (power cut, SIGKILL) leaves the journal behind: the next update
(`recover`) restores the originals from it, so data/ goes back to its bytes before the interrupted
update. Existing bytes are never rewritten: new rows are appended after them.
"""

from __future__ import annotations

import contextlib
import csv
import fcntl
import io
import os
import shutil
import signal
import tempfile
from datetime import date
from pathlib import Path
from typing import Iterator, Mapping, Sequence

from .validation import DataValidationError, refresh_hashes, validate

STAGING_PREFIX = ".update-"
JOURNAL = "COMMITTING"
DESCRIPTOR = "datapackage.json"


class UpdateError(RuntimeError):
    """The update could not be applied; data/ is as it was."""


def appended(path: Path, rows: Sequence[Mapping[str, object]]) -> bytes:
    """The file's bytes with rows appended, in its header's column order (csv module, '\\n' endings)."""
    raw = Path(path).read_bytes()
    header = next(csv.reader(io.StringIO(raw.decode("utf-8"), newline="")))
    unknown = sorted({k for row in rows for k in row} - set(header))
    if unknown:
        raise UpdateError(f"{path.parent.name}/{path.name} has no column {', '.join(unknown)}")
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\n")
    for row in rows:
        writer.writerow(["" if row.get(c) is None else str(row.get(c)) for c in header])
    if raw and not raw.endswith(b"\n"):
        raw += b"\n"
    return raw + out.getvalue().encode("utf-8")


@contextlib.contextmanager
def locked(folder: Path) -> Iterator[None]:
    """One update of a data folder at a time (an flock on the folder itself: no lock file left behind)."""
    fd = os.open(folder, os.O_RDONLY)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise UpdateError(f"another update of {folder} is running; try again when it has finished") from None
        yield
    finally:
        os.close(fd)


def leftovers(folder: Path) -> list[Path]:
    return sorted(p for p in Path(folder).glob(STAGING_PREFIX + "*") if p.is_dir())


def interrupted(folder: Path) -> list[Path]:
    """Staging folders of an update killed while it was replacing files (their journal is still there)."""
    return [p for p in leftovers(folder) if (p / JOURNAL).exists()]


def recover(folder: Path) -> list[str]:
    """Undo an update that was killed mid-commit; remove stale staging folders. Returns what was done."""
    done = []
    for staging in leftovers(folder):
        journal = staging / JOURNAL
        if journal.exists():
            names = journal.read_text(encoding="utf-8").split()
            _restore(staging / "backup", folder, names)
            journal.unlink()
            done.append(f"restored {', '.join(names)} from an update that was interrupted ({staging.name})")
        shutil.rmtree(staging, ignore_errors=True)
    return done


def apply(folder: Path, contents: Mapping[str, bytes], today: date | None = None) -> list[str]:
    """Replace the named files of folder with contents (and refresh datapackage.json), atomically.

    The result is validated on a copy first; a DataValidationError becomes an UpdateError whose message
    is one line. Returns the names of the files replaced."""
    folder = Path(folder)
    staging = Path(tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=folder))
    try:
        copy = staging / "data"
        shutil.copytree(folder, copy, ignore=lambda d, names: [n for n in names if n.startswith(STAGING_PREFIX)])
        for name, data in contents.items():
            (copy / name).write_bytes(data)
        refresh_hashes(copy)
        try:
            validate(copy, today=today)
        except DataValidationError as exc:
            first = str(exc.problems[0]).replace(f"{copy.name}/", f"{folder.name}/")
            more = len(exc.problems) - 1
            raise UpdateError(f"the updated data would not validate: {first}"
                              + (f" (and {more} more problem{'s' if more != 1 else ''})" if more else "")) from None
        names = [n for n in [*contents, DESCRIPTOR] if (copy / n).read_bytes() != (folder / n).read_bytes()]
        _commit(copy, folder, staging, names)
        return names
    finally:
        if not (staging / JOURNAL).exists():
            shutil.rmtree(staging, ignore_errors=True)


def _commit(copy: Path, folder: Path, staging: Path, names: list[str]) -> None:
    backup = staging / "backup"
    backup.mkdir()
    for name in names:
        shutil.copyfile(folder / name, backup / name)
    journal = staging / JOURNAL
    with open(journal, "w", encoding="utf-8") as fh:
        fh.write("\n".join(names) + "\n")
        fh.flush()
        os.fsync(fh.fileno())
    held = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT, signal.SIGTERM})
    try:
        try:
            for name in names:
                _replace(copy / name, folder / name)
        except BaseException as exc:
            _restore(backup, folder, names)
            journal.unlink()
            raise UpdateError(f"could not replace the files in {folder} ({type(exc).__name__}: {exc}); "
                              "the originals were put back") from None
        journal.unlink()
        # An interrupt that arrived during the renames came too late to stop them: the update is whole,
        # so it is consumed here rather than reported as "interrupted" after the fact.
        for signum in signal.sigpending() & {signal.SIGINT, signal.SIGTERM}:
            signal.sigtimedwait({signum}, 0)
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, held)


def _replace(src: Path, dst: Path) -> None:
    os.replace(src, dst)


def _restore(backup: Path, folder: Path, names: list[str]) -> None:
    """Put the originals back, each by a rename (the backup stays until the staging folder goes)."""
    for name in names:
        if (backup / name).exists():
            spare = backup / f"{name}.restore"
            shutil.copyfile(backup / name, spare)
            os.replace(spare, folder / name)
