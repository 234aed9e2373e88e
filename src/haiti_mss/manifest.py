"""Which notebooks make up the report, and which data tables each one reads.

The build uses this to rebuild only the notebooks whose tables changed; each notebook loads exactly
these tables (plus the tables they refer to, such as sources).
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

# Every notebook's default as_of is the newest figure across these tables, so all notebooks of a
# variant describe the same date.
AS_OF_TABLES = ["arrivals", "strength_reports", "dtm_rounds", "violence", "un_decisions", "plans", "pledges"]

# Read by start() for every notebook: the default as_of, planned strength and population, and the ledger.
START_TABLES = {"population", "plans", "sources"}


def tables_read(notebook: str) -> list[str]:
    """Every table a notebook loads: its own, those that set its defaults, and the sources ledger."""
    return sorted(set(NOTEBOOKS[notebook]["tables"]) | set(AS_OF_TABLES) | START_TABLES)
