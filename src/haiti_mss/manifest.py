"""Which notebooks make up the report, and which data tables and parameters each one reads.

The build uses this to rebuild only what changed: each notebook loads exactly these tables (plus the
tables they refer to, such as sources), and is passed, and keyed on, only the parameters it reads.
"""

from __future__ import annotations

DEPLOYMENT_TABLES = ["plans", "pledges", "arrivals", "strength_reports", "un_decisions", "expert_statements"]
DISPLACEMENT_TABLES = ["dtm_rounds", "dtm_departments", "dtm_origins", "dtm_areas", "displacement_other", "population", "arrivals",
                       "strength_reports", "plans"]
VIOLENCE_TABLES = ["violence", "arrivals", "strength_reports", "plans", "un_decisions", "population"]
# The brief states the money against the cost; the deployment report also quotes what the sources say about it.
MONEY_TABLES = ["funding", "funding_costs"]
FUNDING_TABLES = MONEY_TABLES + ["funding_statements"]
CLAIMS_TABLES = ["claims", "expert_statements", "pledges", "arrivals", "strength_reports", "plans", "un_decisions",
                 "dtm_rounds", "violence", "population"]

NOTEBOOKS: dict[str, dict] = {
    "00_brief": {"title": "Brief: the MSS deployment, displacement and the September 2024 claims",
                 "tables": sorted(set(CLAIMS_TABLES + DISPLACEMENT_TABLES + VIOLENCE_TABLES + MONEY_TABLES))},
    "01_deployment": {"title": "Deployment shortfall", "tables": DEPLOYMENT_TABLES + ["population"] + FUNDING_TABLES},
    "02_displacement": {"title": "Displacement", "tables": DISPLACEMENT_TABLES},
    "03_violence": {"title": "People killed and injured", "tables": VIOLENCE_TABLES},
}

# The parameters each notebook reads: every one in parameters.PARAMETERS, except those listed here with
# the only notebooks that read them (e.g. {"language": ["00_brief"]} for a parameter of the brief alone).
# The build passes a notebook only what it reads and keys its cache on that, so changing such a parameter
# rebuilds only its readers. tests/test_build.py checks this against each notebook's `parameters` cell.
READ_ONLY_BY: dict[str, list[str]] = {
    "language": ["00_brief"],  # the detailed reports are in English for now
    "planned_strength": ["00_brief", "01_deployment", "03_violence"],  # 02 counts IDPs per deployed officer, not per planned
    "population": ["00_brief", "02_displacement"],  # shares of the population
}

# Every notebook's default as_of is the newest figure across these tables, so all notebooks of a
# variant describe the same date.
AS_OF_TABLES = ["arrivals", "strength_reports", "dtm_rounds", "violence", "un_decisions", "plans", "pledges"]

# Read by start() for every notebook: the default as_of, planned strength and population, and the ledger.
START_TABLES = {"population", "plans", "sources"}


def tables_read(notebook: str) -> list[str]:
    """Every table a notebook loads: its own, those that set its defaults, and the sources ledger."""
    return sorted(set(NOTEBOOKS[notebook]["tables"]) | set(AS_OF_TABLES) | START_TABLES)


def notebook_tables(notebook: str) -> list[str] | None:
    """The tables a notebook reads (None: a notebook outside the manifest, so every table counts)."""
    if notebook not in NOTEBOOKS:
        return None
    return tables_read(notebook)


def parameters_read(notebook: str) -> list[str] | None:
    """The parameters a notebook reads (None: a notebook outside the manifest, so every parameter counts)."""
    from .parameters import PARAMETERS

    if notebook not in NOTEBOOKS:
        return None
    return [name for name in PARAMETERS if name not in READ_ONLY_BY or notebook in READ_ONLY_BY[name]]
