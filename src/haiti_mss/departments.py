"""Displacement by department: IOM DTM figures per round and department (admin 1), and where the
displaced came from. Pure functions over the tables dtm_rounds, dtm_departments and dtm_origins; no I/O.

Departments are joined on their pcode (HT01-HT10) and shown with their French names, as IOM and
Haitian readers write them.
"""

from __future__ import annotations

# The French names, as Haitian readers and IOM's reports write them (IOM's API drops the hyphens, the
# boundary file is in English): join on the pcode, show these.
DEPARTMENT_NAMES = {
    "HT01": "Ouest", "HT02": "Sud-Est", "HT03": "Nord", "HT04": "Nord-Est", "HT05": "Artibonite",
    "HT06": "Centre", "HT07": "Sud", "HT08": "Grand'Anse", "HT09": "Nord-Ouest", "HT10": "Nippes",
}
OUEST = "HT01"
NOT_AVAILABLE = "Not available"
