"""The report's parameters, declared once: name, type, default, allowed range and a one-line doc.

Notebooks, the build and the CLI all check values here, so a wrong value stops a run with one line
naming the parameter, the value and what is allowed. Defaults that depend on the data (the newest
date, the MSS plan, the latest UN population estimate) are resolved from data/, never typed.
"""

from __future__ import annotations

import difflib
import math
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pandas is imported lazily: a no-op build checks parameters without it
    import pandas as pd


class ParameterError(ValueError):
    """A parameter value is unknown, of the wrong type or out of range. The message is one line."""


@dataclass(frozen=True)
class Parameter:
    name: str
    kind: str  # "date", "int", "text", "path", "choice"
    doc: str
    default_doc: str
    minimum: Any = None
    maximum: Any = None
    choices: tuple[str, ...] = ()
    default: Any = None  # a static default (data-dependent defaults are resolved in resolve())
    also: str = ""  # a range that depends on the data, checked in resolve()

    def allowed(self) -> str:
        if self.kind == "date":
            return "an ISO date YYYY-MM-DD, not after today" + (
                "" if self.minimum is None else f" and not before {self.minimum}")
        if self.kind == "int":
            return f"a whole number from {self.minimum:,} to {self.maximum:,}" + (f", {self.also}" if self.also else "")
        if self.kind == "path":
            return "a folder path (absolute, or relative to the project root) holding datapackage.json"
        if self.kind == "choice":
            return "one of " + ", ".join(repr(c) for c in self.choices)
        return f"text of at most {self.maximum} characters"


PARAMETERS: dict[str, Parameter] = {
    p.name: p
    for p in (
        Parameter("as_of", "date", "The date the report describes: figures after it are ignored.",
                  "the date of the newest figure in data/"),
        Parameter("planned_strength", "int", "The planned strength the deployment is measured against (people).",
                  "the MSS planned strength in data/plans.csv", minimum=1, maximum=100_000),
        Parameter("population", "int", "Haiti's population, for shares and per-capita ratios (people).",
                  "the latest UN estimate in data/population.csv", minimum=1_000_000, maximum=100_000_000,
                  also="and not below the largest count of displaced people in a DTM round up to as_of (no share over 100%)"),
        Parameter("data_dir", "path", "The folder of data tables to read.", "data/ in the project"),
        Parameter("report_title", "text", "A title line for this variant of the report.",
                  "none (the notebook's own title)", maximum=200),
        # A language needs a catalog in src/haiti_mss/locale/ (README: "Adding a language").
        Parameter("language", "choice", "The report's language: en (English) or fr (French; for now the brief only).",
                  "en (English)", choices=("en", "fr"), default="en"),
    )
}


def suggest(name: str) -> str:
    match = difflib.get_close_matches(name, PARAMETERS, n=1, cutoff=0.4)
    return f" (did you mean '{match[0]}'?)" if match else ""


def _fail(param: Parameter, value: Any, extra: str = "") -> ParameterError:
    shown = value.isoformat() if isinstance(value, (date, datetime)) else value
    return ParameterError(f"parameter '{param.name}': got {shown!r}; expected {extra or param.allowed()}")


def coerce(name: str, value: Any, today: date | None = None) -> Any:
    """Check one value and return it in its canonical type (None means: use the default)."""
    if name not in PARAMETERS:
        raise ParameterError(f"unknown parameter {str(name)!r}{suggest(str(name))}; known: {', '.join(PARAMETERS)}")
    param = PARAMETERS[name]
    if value is None or (isinstance(value, str) and value.strip() == "" and param.kind != "text"):
        return None
    today = today or date.today()
    if param.kind == "date":
        if isinstance(value, datetime):
            value = value.date()
        if isinstance(value, str):
            try:
                parsed = date.fromisoformat(value.strip())
            except ValueError:
                raise _fail(param, value) from None
            if parsed.isoformat() != value.strip():  # fromisoformat also reads 2024-W38-5: only YYYY-MM-DD is allowed
                raise _fail(param, value)
            value = parsed
        if not isinstance(value, date):
            raise _fail(param, value)
        if value > today:
            raise _fail(param, value, f"a date not after today ({today.isoformat()})")
        return value
    if param.kind == "int":
        if isinstance(value, bool):
            raise _fail(param, value)
        if isinstance(value, float):
            if not math.isfinite(value) or value != int(value):
                raise _fail(param, value)
            value = int(value)
        if isinstance(value, str):
            text = value.strip().replace("_", "")
            if not text.lstrip("+-").isdigit():
                raise _fail(param, value)
            try:
                value = int(text)
            except ValueError:  # "+-5", or digits int() does not read ("²")
                raise _fail(param, value) from None
        if not isinstance(value, int):
            raise _fail(param, value)
        if not (param.minimum <= value <= param.maximum):
            raise _fail(param, value)
        return value
    if param.kind == "path":
        if not isinstance(value, (str, Path)):
            raise _fail(param, value)
        return str(value)
    if param.kind == "choice":
        if not isinstance(value, str) or value.strip() not in param.choices:
            raise _fail(param, value)
        return value.strip()
    if not isinstance(value, str) or len(value) > param.maximum:
        raise _fail(param, value)
    return value


def check(values: dict[str, Any], today: date | None = None) -> dict[str, Any]:
    """Check every value (names, types, static ranges); return the canonical values."""
    return {name: coerce(name, value, today) for name, value in values.items()}


def parse_override(text: str) -> tuple[str, Any]:
    """Turn 'planned_strength=5550' into ('planned_strength', 5550), checked."""
    if "=" not in text:
        raise ParameterError(f"override {text!r}: expected NAME=VALUE, e.g. planned_strength=5550")
    name, raw = text.split("=", 1)
    name = name.strip()
    return name, coerce(name, raw)


# ---------------------------------------------------------------- defaults that come from data

def default_planned_strength(plans: pd.DataFrame) -> int:
    rows = plans[(plans["mission"] == "MSS") & (plans["kind"] == "planned_strength")]
    if rows.empty:
        raise ParameterError("parameter 'planned_strength': no default, since data/plans.csv has no MSS planned_strength row; pass a value")
    values = rows["personnel"].dropna().unique()
    if len(values) != 1:
        raise ParameterError(f"parameter 'planned_strength': data/plans.csv gives several MSS planned strengths {sorted(int(v) for v in values)}; pass one")
    return int(values[0])


def default_population(population: pd.DataFrame) -> int:
    un = population[population["is_un_estimate"].fillna(False).astype(bool)].sort_values("reference_year")
    if un.empty:
        raise ParameterError("parameter 'population': no default, since data/population.csv has no UN estimate; pass a value")
    return int(un.iloc[-1]["population"])


def resolve(values: dict[str, Any], tables: dict[str, pd.DataFrame], newest: pd.Timestamp,
            earliest: pd.Timestamp, today: date | None = None) -> dict[str, Any]:
    """Fill data-dependent defaults and apply the data-dependent range of as_of."""
    import pandas as pd

    out = check(values, today)
    if out.get("as_of") is None:
        out["as_of"] = newest.date()
    elif pd.Timestamp(out["as_of"]) < earliest:
        raise _fail(PARAMETERS["as_of"], out["as_of"],
                    f"a date not before the first figure in the data ({earliest.date().isoformat()}) and not after today")
    if out.get("planned_strength") is None:
        out["planned_strength"] = default_planned_strength(tables["plans"])
    if out.get("population") is None:
        out["population"] = default_population(tables["population"])
    if "dtm_rounds" in tables:
        _population_holds_the_displaced(out["population"], tables["dtm_rounds"], pd.Timestamp(out["as_of"]))
    for param in PARAMETERS.values():
        if param.default is not None and out.get(param.name) is None:
            out[param.name] = param.default
    return out


def _population_holds_the_displaced(population: int, dtm_rounds: pd.DataFrame, as_of: pd.Timestamp) -> None:
    """A population smaller than a DTM round's count of displaced people would make a share over 100%."""
    known = dtm_rounds[dtm_rounds["reference_date"] <= as_of]
    figures = known[[c for c in ("idps", "idps_alt") if c in known]].max(axis=1)
    if known.empty or population >= figures.max():
        return
    row, largest = known.loc[figures.idxmax()], int(figures.max())
    raise _fail(PARAMETERS["population"], population,
                f"a whole number from {largest:,} to {PARAMETERS['population'].maximum:,}, since {row['round_label']} "
                f"counted {largest:,} displaced people (the largest figure in data/dtm_rounds.csv up to as_of, "
                f"{as_of.date().isoformat()})")


def describe() -> list[dict[str, str]]:
    """Rows for `haiti-report params`."""
    return [
        {"name": p.name, "type": p.kind, "default": p.default_doc, "allowed": p.allowed(), "doc": p.doc}
        for p in PARAMETERS.values()
    ]
