"""The panel export: one row per agency × year × quantity × column (``PANEL_COLUMNS``) as
CSV or Parquet, and the cross-year findings beside it (``<panel>.findings.csv``).

``year`` and ``template`` are integers in both formats (a CSV reader and a Parquet reader
give the same dtypes); ``value`` a number, empty (CSV) or null (Parquet) for a blank cell."""

from __future__ import annotations

import csv
import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from .cross_year import FINDING_COLUMNS, CrossYear, Finding, snapshot
from .keys import PANEL_COLUMNS, panel_rows

PANEL_FORMATS = (".csv", ".parquet")


def findings_path(panel: str) -> str:
    return panel + ".findings.csv"


def _csv_value(value: Any) -> Any:
    if isinstance(value, float) and value.is_integer():
        return int(value)  # a count read back from Parquet as 3.0 prints as 3, as in the CSV
    return value


@dataclass
class PanelResult:
    reports: int = 0
    rows: int = 0
    agencies: int = 0
    pairs: int = 0
    findings: list[Finding] = field(default_factory=list)


class _CsvPanel:
    def __init__(self, path: str) -> None:
        self.handle = open(path, "w", encoding="utf-8", newline="")
        self.writer = csv.writer(self.handle)
        self.writer.writerow(PANEL_COLUMNS)

    def write(self, rows: list[tuple]) -> None:
        self.writer.writerows((*r[:7], _csv_value(r[7]), *r[8:]) for r in rows)

    def close(self) -> None:
        self.handle.close()


def panel_schema() -> Any:
    import pyarrow as pa

    types = {"year": pa.int64(), "template": pa.int64(), "value": pa.float64()}
    return pa.schema([(name, types.get(name, pa.string())) for name in PANEL_COLUMNS])


class _ParquetPanel:
    BATCH = 100_000

    def __init__(self, path: str) -> None:
        import pyarrow as pa
        import pyarrow.parquet as pq

        self.pa, self.schema = pa, panel_schema()
        self.writer = pq.ParquetWriter(path, self.schema)
        self.rows: list[tuple] = []

    def write(self, rows: list[tuple]) -> None:
        self.rows.extend(rows)
        if len(self.rows) >= self.BATCH:
            self._flush()

    def _flush(self) -> None:
        if not self.rows:
            return
        columns = list(zip(*self.rows, strict=True))
        arrays = [self.pa.array([None if v is None else float(v) for v in col]
                                if f.name == "value" else col, type=f.type)
                  for col, f in zip(columns, self.schema, strict=True)]
        self.writer.write_table(self.pa.Table.from_arrays(arrays, schema=self.schema))
        self.rows = []

    def close(self) -> None:
        self._flush()
        self.writer.close()


def write_panel(reports: Iterable[list[tuple]], panel: str | None) -> PanelResult:
    """Each report's cells (as ``cell_rows`` gives them) into the panel file (None: the
    cross-year checks only) and its findings file; returns the counts and the findings.
    Only the cells the checks read are kept per report."""
    result = PanelResult()
    checks = CrossYear()
    sink: Any = None
    if panel is not None:
        sink = _ParquetPanel(panel) if panel.lower().endswith(".parquet") else _CsvPanel(panel)
    try:
        for cells in reports:
            checks.add(snapshot(cells))
            result.reports += 1
            if sink is not None:
                rows = list(panel_rows(cells))
                result.rows += len(rows)
                sink.write(rows)
    finally:
        if sink is not None:
            sink.close()
    result.findings = checks.findings()
    result.pairs, result.agencies = checks.pairs, len(checks.by_agency)
    if panel is not None:
        write_findings(result.findings, findings_path(panel))
    return result


def write_findings(findings: Iterable[Finding], path: str) -> None:
    tmp = path + ".tmp"
    with open(tmp, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(FINDING_COLUMNS)
        writer.writerows(f.row_tuple() for f in findings)
    os.replace(tmp, path)
