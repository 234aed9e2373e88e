"""One execution for jobs that would execute the same notebook the same way.

Two variants' jobs for one notebook run the same cells on the same inputs when the notebook is passed the
same parameters (keys.parameters_for: only those it reads) in the same build (the same data, code and
tools): for example `latest` and `latest-fr` for a notebook that does not read `language`. Their cache
keys still differ, because a report page names its variant (title, description, re-run command), so
each job exports its own HTML and PDF; but only the first executes the notebook, and the others start
from its executed notebook (a copy of the published file; its papermill metadata tell truly when and
where it was executed). If the first one fails, the others execute on their own.

HAITI_MSS_SHARE_RUNS=off runs every job on its own (for comparisons).
"""

from __future__ import annotations

import json
import os
from typing import Any

ENV_SWITCH = "HAITI_MSS_SHARE_RUNS"


def enabled() -> bool:
    return os.environ.get(ENV_SWITCH, "on").strip().lower() != "off"


def execution_key(job: Any) -> tuple[str, str]:
    """What decides a job's executed notebook within one build: the notebook file and its parameters."""
    return str(job.source), json.dumps(job.parameters, sort_keys=True, default=str)


def group(jobs: list) -> tuple[list, dict[int, list]]:
    """(the jobs to start now, {id(job): the jobs that wait for its executed notebook})."""
    if not enabled():
        return list(jobs), {}
    first: dict[tuple[str, str], Any] = {}
    start, waiting = [], {}
    for job in jobs:
        key = execution_key(job)
        if key in first:
            waiting.setdefault(id(first[key]), []).append(job)
        else:
            first[key] = job
            start.append(job)
    return start, waiting
