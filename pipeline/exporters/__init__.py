"""Export formats beyond json/csv, one module per format: md, html (the observatory's display
fragment), csl (CSL-JSON), bibtex and ris. Each takes an `ExportData` and gives text; the registry,
the order and the file writing live in `pipeline/export.py`."""

from .common import ExportData

__all__ = ["ExportData"]
