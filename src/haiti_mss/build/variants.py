"""What to build and where: variant files (params/*.yaml), --set overrides, and output folders.

Everything here is a static check (no data, no kernel): a bad variant file, an unknown variant or a bad
--out raises BuildError, a bad value raises haiti_mss.parameters.ParameterError; both are one line.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Mapping, Sequence

from .. import paths
from .keys import canonical, jsonable

VARIANT_KEYS = {"title", "description", "parameters"}
COMPARE_DIR = "compare"     # reports/compare/: comparison pages, never a variant's folder


class BuildError(ValueError):
    """A usage problem found before anything ran (unknown variant, bad YAML, a bad --out)."""


@dataclass(frozen=True)
class Variant:
    name: str
    title: str
    description: str
    parameters: dict[str, Any]
    path: Path | None = None


@dataclass
class Target:
    """One variant to build: its checked parameters and its output folder."""

    variant: Variant
    out_dir: Path
    checked: dict[str, Any]          # every passed parameter, canonical types
    passed: dict[str, Any]           # non-None values, JSON-ready
    overrides: dict[str, Any]
    sources: dict[str, str]          # how each passed parameter was set ("variant latest", "--set")


def variant_names(params_dir: Path | None = None) -> list[str]:
    return sorted(p.stem for p in Path(params_dir or paths.PARAMS_DIR).glob("*.yaml"))


def load_variant(path: Path) -> Variant:
    """Read params/<name>.yaml: title, description, parameters; anything else is an error."""
    import yaml

    path = Path(path)
    label = f"{path.parent.name}/{path.name}"
    try:
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise BuildError(f"{label}: not valid YAML ({' '.join(str(exc).split())})") from None
    if doc is None:
        doc = {}
    if not isinstance(doc, dict):
        raise BuildError(f"{label}: expected a mapping with keys title, description, parameters")
    unknown = sorted(set(map(str, doc)) - VARIANT_KEYS)
    if unknown:
        raise BuildError(f"{label}: unknown key{'s' if len(unknown) > 1 else ''} {', '.join(repr(k) for k in unknown)}; "
                         f"allowed: {', '.join(sorted(VARIANT_KEYS))}")
    params = doc.get("parameters") or {}
    if not isinstance(params, dict):
        raise BuildError(f"{label}: 'parameters' must be a mapping of NAME: VALUE")
    title = doc.get("title")
    if title is not None and not isinstance(title, str):
        raise BuildError(f"{label}: 'title' must be text")
    return Variant(path.stem, str(title or path.stem), str(doc.get("description") or ""), dict(params), path)


def find_variant(name: str, params_dir: Path) -> Variant:
    if name == COMPARE_DIR:
        raise BuildError(f"'{COMPARE_DIR}' cannot be a variant name: reports/{COMPARE_DIR}/ holds the comparison pages")
    path = Path(params_dir) / f"{name}.yaml"
    if not path.exists():
        import difflib

        known = variant_names(params_dir)
        close = difflib.get_close_matches(name, known, n=1, cutoff=0.5)
        hint = f" (did you mean '{close[0]}'?)" if close else ""
        raise BuildError(f"unknown variant '{name}'{hint}; known: {', '.join(known) or 'none'} (files in {params_dir})")
    return load_variant(path)


def override_slug(overrides: Mapping[str, Any]) -> str:
    """A folder name for a set of overrides: readable, plus a short hash of the exact values.

    'planned_strength=5550' -> 'planned_strength-5550-<8 hex>'. The slug alone loses punctuation
    ("a b", "a-b" and "a/b" all read 'a-b'); the hash keeps every distinct set of values apart.
    """
    def text(value: Any) -> str:
        shown = "default" if value is None else str(jsonable(value))
        return re.sub(r"[^A-Za-z0-9._]+", "-", shown).strip("-.")[:40] or "x"

    slug = "+".join(f"{k}-{text(v)}" for k, v in sorted(overrides.items()))
    if len(slug) > 60:
        slug = slug[:60].rstrip("-+.")
    digest = hashlib.sha256(canonical({k: jsonable(v) for k, v in overrides.items()})).hexdigest()[:8]
    return f"{slug}-{digest}"


def check_out(out: str | Path, variant: str, overrides: Mapping[str, Any], reports_dir: Path, params_dir: Path) -> Path:
    """The --out folder, refused when it is reports/ itself (or holds it), reports/compare, or inside a
    named variant's folder (only `--out reports/NAME` for variant NAME without overrides is the same as
    no --out, and allowed)."""
    out_dir = Path(out).resolve()
    reports = Path(reports_dir).resolve()
    if out_dir == reports or out_dir in reports.parents:
        what = "that is the reports folder itself" if out_dir == reports else f"that folder holds {reports}"
        raise BuildError(f"--out {out}: {what}; name a folder inside it, e.g. {reports / 'my-run'}")
    if reports not in out_dir.parents:
        return out_dir
    top = out_dir.relative_to(reports).parts[0]
    if top == COMPARE_DIR:
        raise BuildError(f"--out {out}: reports/{COMPARE_DIR}/ holds the comparison pages; choose another folder")
    if top in variant_names(params_dir) and not (top == variant and not overrides and out_dir == reports / top):
        raise BuildError(f"--out {out}: inside the folder of variant '{top}' (reports/{top}/), whose reports it would "
                         f"overwrite; choose another folder, e.g. {reports / 'my-run'}")
    return out_dir


def parse_overrides(overrides: Mapping[str, Any] | Sequence[str] | None) -> dict[str, Any]:
    """{name: value} or ["name=value", ...] -> {name: checked value}."""
    from .. import parameters

    if not overrides:
        return {}
    if isinstance(overrides, Mapping):
        return {name: parameters.coerce(name, value) for name, value in overrides.items()}
    out: dict[str, Any] = {}
    for text in overrides:
        name, value = parameters.parse_override(text)
        out[name] = value
    return out


def plan_targets(variants: Sequence[str] | None, overrides: Mapping[str, Any] | Sequence[str] | None,
                 out: str | Path | None, reports_dir: Path, params_dir: Path) -> list[Target]:
    """Variants with their checked parameters and output folders (static checks only: no data)."""
    from .. import parameters

    names = list(variants) if variants else variant_names(params_dir)
    if not names:
        raise BuildError(f"no variants: {params_dir} has no *.yaml file")
    if len(set(names)) != len(names):
        raise BuildError("a variant is named twice")
    if out is not None and len(names) != 1:
        raise BuildError("--out needs exactly one variant")
    extra = parse_overrides(overrides)
    targets = []
    for name in names:
        variant = find_variant(name, params_dir)
        try:
            checked = parameters.check({**variant.parameters, **extra})
        except parameters.ParameterError as exc:
            label = f"{variant.path.parent.name}/{variant.path.name}" if variant.path else name
            raise parameters.ParameterError(f"{label}: {exc}") from None
        if out is not None:
            out_dir = check_out(out, name, extra, reports_dir, params_dir)
        elif extra:
            out_dir = reports_dir / f"{name}+{override_slug(extra)}"
        else:
            out_dir = reports_dir / name
        passed = {k: jsonable(v) for k, v in checked.items() if v is not None}
        sources = {k: f"variant {name}" for k in variant.parameters}
        sources.update({k: "--set" for k in extra})
        targets.append(Target(variant, out_dir, checked, passed, extra, sources))
    return targets
