"""Build the report: every (variant, notebook) executed with papermill, exported to HTML and PDF.

    from haiti_mss import build
    result = build.build(["gsf-5550"], {"as_of": "2025-06-30"}, jobs=2)
    result.exit_code    # 0 all good, 1 some notebook failed

The modules, in the order a build uses them:
- variants:  params/*.yaml, --set overrides, output folders (and what --out may not be)
- keys:      content-hash cache keys (notebook, parameters it reads, data it reads, package, tools)
- preflight: the data validated once, parameters checked against it, before any kernel starts
- pipeline:  build() itself: plan, check, run what changed, write what the reports share
- runner:    the job runner: papermill -> nbconvert -> WeasyPrint in a process pool, staging, signals
- files:     atomic writes, the state file, the lock, staging and _failed folders
- collect:   each variant's headline figures into figures.json
- headlines: the figures in words (one table of labels and formats)
- index, compare, page: reports/index.html, reports/compare/A--B.html, and the look they share
"""

from __future__ import annotations

from .collect import RESERVED_FIGURE_KEYS, write_figures
from .compare import CompareError
from .compare import write as write_comparison
from .files import FAILED_DIR, FORMATS, LOCK_FILE, STAGING_PREFIX, STATE_FILE, read_state, write_atomic
from .headlines import headline_items
from .index import render_index, write_index
from .keys import KERNEL, Hasher, canonical, parameters_for
from .pipeline import BuildResult, build
from .preflight import DataError
from .runner import Interrupted, Job, JobResult, run_job
from .variants import (BuildError, Target, Variant, check_out, find_variant, load_variant, override_slug,
                       plan_targets, variant_names)
from ..manifest import notebook_tables

__all__ = [
    "BuildError", "BuildResult", "CompareError", "DataError", "FAILED_DIR", "FORMATS", "Hasher", "Interrupted",
    "Job", "JobResult", "KERNEL", "LOCK_FILE", "RESERVED_FIGURE_KEYS", "STAGING_PREFIX", "STATE_FILE", "Target",
    "Variant", "build", "canonical", "check_out", "find_variant", "headline_items", "load_variant", "notebook_tables",
    "override_slug", "parameters_for", "plan_targets", "read_state", "render_index", "run_job", "variant_names",
    "write_atomic", "write_comparison", "write_figures", "write_index",
]
