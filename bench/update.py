"""Time a DTM refresh and the rebuild it causes, on replayed real API responses; print the figures.

    .venv/bin/python bench/update.py

In a scratch copy of the project (as bench/run.py makes it): build every report, then replay IOM's
recorded DTM API answers (tests/fixtures/dtm-api, relabelled as a Round 12 exactly as
tests/test_refresh.py does: no network, no key), time `update-data dtm --dry-run` and the real update
in process, then time `haiti-report build` again: only the notebooks that read the DTM tables rebuild.
Not a test: nothing is asserted beyond the build's own summary line being printed.
"""

from __future__ import annotations

import os
import re
import shutil
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parent / "tests")]

import run as bench  # noqa: E402  (bench/run.py: scratch copy, timed commands)


def main() -> int:
    import responses
    import test_refresh as replay  # the recorded answers and their Round 12 relabelling

    from haiti_mss import cli, dtm_api

    base = Path(tempfile.mkdtemp(prefix="haiti-update-bench-"))
    try:
        scratch, env = bench.make_scratch(base)
        build = [str(bench.BIN / "haiti-report"), "build", "--jobs", str(os.cpu_count() or 1),
                 "--reports-dir", str(scratch / "reports")]
        cold = bench.run(build, env, scratch)
        bench.note(f"cold build: {cold.seconds:.1f} s, {cold.cpu:.1f} CPU s")
        os.environ[dtm_api.KEY_ENV] = replay.KEY
        dtm_api.RETRY_DELAY = 0
        timings = {}
        for label, extra in (("dry run", ["--dry-run"]), ("update", [])):
            with responses.RequestsMock(assert_all_requests_are_fired=False) as rsps:
                replay.serve_round_12(rsps)
                started = time.perf_counter()
                code = cli.main(["update-data", "dtm", "--data-dir", str(scratch / "data"), *extra])
                timings[label] = time.perf_counter() - started
            bench.note(f"update-data dtm {' '.join(extra)}: exit {code}, {timings[label]:.2f} s in process")
        rebuild = bench.run(build, env, scratch)
        summary = re.findall(r"\d+ built, \d+ up to date, \d+ failed", rebuild.output)
        print(f"\ncold build {cold.seconds:.1f} s ({cold.cpu:.1f} CPU s); update-data --dry-run "
              f"{timings['dry run']:.2f} s; update {timings['update']:.2f} s; rebuild after the update "
              f"{rebuild.seconds:.1f} s ({rebuild.cpu:.1f} CPU s): {summary[-1] if summary else rebuild.output[-500:]}")
        return rebuild.code
    finally:
        shutil.rmtree(base, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
