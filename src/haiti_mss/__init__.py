"""Haiti MSS and displacement: data loading, analysis, charts and the report build."""

__version__ = "0.1.0"
