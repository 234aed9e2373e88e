"""No silent skips in CI: when the environment variable CI is set (to anything but "", 0, false or no),
a skipped test is reported as a failure that keeps its reason (Chromium, Playwright, frictionless or
anything else missing). Locally a skip stays a skip, and `-ra` lists each with its reason.

Loaded by tests/conftest.py; `pytest -p strict_skips` loads it alone (tests/test_ci.py does)."""

from __future__ import annotations

import os

import pytest


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def _fail_instead(report) -> None:
    if in_ci() and report.skipped and not hasattr(report, "wasxfail"):
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
        report.outcome = "failed"
        report.longrepr = f"CI is set, so this skip is a failure (CI must have every tool the tests use): {reason}"


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    _fail_instead(outcome.get_result())


@pytest.hookimpl(hookwrapper=True)
def pytest_make_collect_report(collector):
    outcome = yield
    _fail_instead(outcome.get_result())
