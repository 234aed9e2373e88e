"""Which notebooks make up the report, and which data tables and parameters each one reads.

The build uses this to rebuild only what changed: each notebook loads exactly these tables (plus the
tables they refer to, such as sources), and is passed, and keyed on, only the parameters it reads.
"""

from __future__ import annotations

DEPLOYMENT_TABLES = ["plans", "pledges", "arrivals", "strength_reports", "un_decisions", "expert_statements"]
DISPLACEMENT_TABLES = ["dtm_rounds", "dtm_areas", "displacement_other", "population", "arrivals", "strength_reports", "plans"]
VIOLENCE_TABLES = ["violence", "arrivals", "strength_reports", "plans", "un_decisions", "population"]
CLAIMS_TABLES = ["claims", "expert_statements", "pledges", "arrivals", "strength_reports", "plans", "un_decisions",
                 "dtm_rounds", "violence", "population"]

# The names assigned in a notebook's `parameters` cell (tests/test_build.py checks that they agree). A
# parameter only some notebooks read (e.g. one for the brief's language) goes in those notebooks' lists.
COMMON_PARAMETERS = ["as_of", "planned_strength", "population", "data_dir", "report_title"]

NOTEBOOKS: dict[str, dict] = {
    "00_brief": {"title": "Brief: the MSS deployment, displacement and the September 2024 claims",
                 "tables": sorted(set(CLAIMS_TABLES + DISPLACEMENT_TABLES + VIOLENCE_TABLES)),
                 "parameters": COMMON_PARAMETERS},
    "01_deployment": {"title": "Deployment shortfall", "tables": DEPLOYMENT_TABLES + ["population"],
                      "parameters": COMMON_PARAMETERS},
    "02_displacement": {"title": "Displacement", "tables": DISPLACEMENT_TABLES, "parameters": COMMON_PARAMETERS},
    "03_violence": {"title": "People killed and injured", "tables": VIOLENCE_TABLES, "parameters": COMMON_PARAMETERS},
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
    if notebook not in NOTEBOOKS:
        return None
    return list(NOTEBOOKS[notebook]["parameters"])
