"""CI fails where a local run skips: the strict_skips plugin on a throwaway test file, with and without
CI set; and .ci/run stops when Chromium cannot be installed."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

TESTS = Path(__file__).parent
SAMPLE = '''
import pytest

def test_needs_a_browser():
    pytest.skip("/usr/bin/chromium not found: `apt-get install chromium` to run the browser tests")

def test_needs_frictionless():
    pytest.importorskip("a_module_that_is_not_installed")

@pytest.mark.xfail(reason="a known bug")
def test_known_bug():
    assert False

def test_fine():
    pass
'''


def run_sample(tmp_path: Path, ci: str | None) -> subprocess.CompletedProcess:
    (tmp_path / "test_sample.py").write_text(SAMPLE)
    env = {k: v for k, v in os.environ.items() if k not in ("CI", "PYTEST_ADDOPTS", "PYTEST_XDIST_WORKER")}
    if ci is not None:
        env["CI"] = ci
    env["PYTHONPATH"] = os.pathsep.join([str(TESTS), env.get("PYTHONPATH", "")])
    return subprocess.run([sys.executable, "-m", "pytest", "-q", "-ra", "-p", "strict_skips", "-p", "no:cacheprovider",
                           "-p", "no:xdist", "--rootdir", str(tmp_path), str(tmp_path / "test_sample.py")],
                          capture_output=True, text=True, timeout=120, cwd=tmp_path, env=env)


@pytest.mark.parametrize("ci", ["true"])
def test_in_ci_a_skip_is_a_failure_with_its_reason(tmp_path, ci):
    run = run_sample(tmp_path, ci)
    assert run.returncode == 1, run.stdout + run.stderr
    assert "2 failed, 1 passed, 1 xfailed" in run.stdout
    assert "CI is set, so this skip is a failure" in run.stdout
    assert "/usr/bin/chromium not found: `apt-get install chromium`" in run.stdout
    assert "could not import 'a_module_that_is_not_installed'" in run.stdout


@pytest.mark.parametrize("ci", [None, "0"])
def test_locally_a_skip_stays_a_skip_with_its_reason(tmp_path, ci):
    run = run_sample(tmp_path, ci)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "1 passed, 2 skipped, 1 xfailed" in run.stdout
    assert "SKIPPED [1] test_sample.py:5: /usr/bin/chromium not found" in run.stdout


def ci_run(tmp_path: Path, chromium: str, apt_get_status: int) -> tuple[subprocess.CompletedProcess, Path]:
    """.ci/run with stand-ins for apt-get and make on PATH (nothing is installed, no test is run)."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    marker = tmp_path / "make-was-run"
    for name, body in {"apt-get": f"exit {apt_get_status}", "make": f'echo "$@" > {marker}'}.items():
        (bin_dir / name).write_text(f"#!/bin/bash\n{body}\n")
        (bin_dir / name).chmod(0o755)
    for tool in ("dirname", "bash"):
        (bin_dir / tool).symlink_to(f"/usr/bin/{tool}" if Path(f"/usr/bin/{tool}").exists() else f"/bin/{tool}")
    env = {"PATH": str(bin_dir), "CHROMIUM": chromium, "HOME": str(tmp_path)}
    run = subprocess.run(["/bin/bash", str(TESTS.parent / ".ci" / "run")], capture_output=True, text=True,
                         timeout=60, env=env)
    return run, marker


def test_ci_stops_when_chromium_cannot_be_installed(tmp_path):
    run, marker = ci_run(tmp_path, str(tmp_path / "no-chromium"), apt_get_status=100)
    assert run.returncode == 1, run.stdout + run.stderr
    assert run.stderr == "error: could not install chromium (apt-get install chromium); the browser tests need it\n"
    assert not marker.exists()                        # the tests never ran


def test_ci_runs_the_tests_when_chromium_is_there(tmp_path):
    chromium = tmp_path / "chromium"
    chromium.write_text("#!/bin/bash\necho 'Chromium 1.2.3 stand-in'\n")
    chromium.chmod(0o755)
    run, marker = ci_run(tmp_path, str(chromium), apt_get_status=100)
    assert run.returncode == 0, run.stdout + run.stderr
    assert run.stdout == "browser: Chromium 1.2.3 stand-in\n" and marker.read_text() == "test\n"
