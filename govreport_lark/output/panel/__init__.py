"""Panels across agencies and years: one key set for both templates (``keys``), the checks
between consecutive years of one agency (``cross_year``) and the panel export (``export``).

Imported by ``govreport batch``: nothing heavy at module level (pyarrow only when a Parquet
panel is written)."""

from __future__ import annotations

from .cross_year import (
    FINDING_COLUMNS,
    CrossYear,
    Finding,
    Snapshot,
    compare,
    cross_year_findings,
    snapshot,
    snapshot_of,
)
from .export import PANEL_FORMATS, PanelResult, findings_path, panel_schema, write_panel
from .keys import PANEL_COLUMNS, PanelKey, lookup, panel_keys, panel_rows

__all__ = ["FINDING_COLUMNS", "PANEL_COLUMNS", "PANEL_FORMATS", "CrossYear", "Finding",
           "PanelKey", "PanelResult", "Snapshot", "compare", "cross_year_findings",
           "findings_path", "lookup", "panel_keys", "panel_rows", "panel_schema", "snapshot",
           "snapshot_of", "write_panel"]
