"""The dependency lists do not drift: pyproject.toml, requirements.lock and environment.yml agree."""

import re
import tomllib
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]


def canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def declared() -> set[str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    names = project["dependencies"] + project["optional-dependencies"]["test"]
    return {canonical(re.split(r"[<>=!~\[ ;]", n)[0]) for n in names}


def locked() -> dict[str, str]:
    pins = {}
    for line in (ROOT / "requirements.lock").read_text().splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            name, version = line.split("==")
            pins[canonical(name)] = version
    return pins


def conda() -> dict[str, str]:
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    pins = {}
    for dep in env["dependencies"]:
        if isinstance(dep, str) and "=" in dep:
            name, version = dep.split("=", 1)
            pins[canonical(name)] = version
        elif isinstance(dep, dict):  # the pip: section, for packages conda-forge does not carry
            for line in dep.get("pip", []):
                name, version = line.split("==", 1)
                pins[canonical(name)] = version
    return pins


def test_required_packages_are_declared():
    assert {"jupyterlab", "pandas", "seaborn", "nbconvert", "papermill"} <= declared()


def test_every_declared_package_is_pinned():
    pins = locked()
    missing = declared() - set(pins)
    assert not missing, f"declared in pyproject.toml but not pinned in requirements.lock: {missing}"


def test_environment_yml_lists_the_same_packages_at_the_same_versions():
    env, pins = conda(), locked()
    assert env.pop("python") == "3.11"
    assert set(env) == declared(), "environment.yml and pyproject.toml list different packages"
    drift = {n: (v, pins[n]) for n, v in env.items() if pins[n] != v}
    assert not drift, f"environment.yml version differs from requirements.lock: {drift}"
