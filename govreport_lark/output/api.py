"""Python API for many reports: parse them in order, and turn them into a DataFrame.

>>> from govreport_lark import iter_parse, to_dataframe
>>> df = to_dataframe(iter_parse(["a.txt", "b.html"]), table="applications")

Imports nothing heavy at module level (``import govreport_lark`` stays cheap); pandas
is needed only by ``to_dataframe``.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from typing import Any

from govreport_lark.output.batch import LONG_COLUMNS, TABLES, run_local
from govreport_lark.output.batch.sinks import QUALITY_COLUMNS, cell_rows

__all__ = ["iter_parse", "to_dataframe"]


def iter_parse(paths: str | os.PathLike[str] | Iterable[str | os.PathLike[str]],
               jobs: int = 1, *, max_bytes: int | None = None) -> Iterator[dict[str, Any]]:
    """Parse report files and yield, in input order, one dict per file: the output-contract
    object (as ``report_to_dict`` with ``provenance``, from which ``to_dataframe`` takes each
    cell's status) or an error record
    ``{"source": {"path", "sha256"}, "error": {"code", "message"}}``.  Never raises for a bad
    file.  ``jobs > 1`` parses on that many processes.  ``paths`` are files; expand
    directories and globs with ``govreport_lark.output.batch.collect_files``."""
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    files = [os.fspath(p) for p in paths]
    return run_local(files, jobs, max_bytes)


def to_dataframe(reports: Iterable[Any], table: str | None = "applications") -> Any:
    """A long-format ``pandas.DataFrame`` (the columns of ``govreport batch --out x.csv``
    but ``cells``: source, sha256, agency, year, template, table, row, column, value, status,
    codes), one row per cell of ``table`` (``active_disclosure``, ``applications``,
    ``review_litigation``; ``None`` for all three).  ``reports`` holds contract dicts or
    ``Report`` objects; error records are skipped.  ``value`` is float (NaN for a blank
    cell), ``year`` and ``template`` nullable integers (as a CSV reader and Parquet give them); ``status`` is printed, blank, inferred or unresolved
    and ``codes`` the diagnostics that touch the cell (``|``-joined)."""
    try:
        import pandas as pd
    except ImportError:
        raise ImportError("to_dataframe needs pandas, an optional dependency: "
                          "pip install pandas") from None
    if table is not None and table not in TABLES:
        raise ValueError(f"unknown table {table!r}; choose one of {', '.join(TABLES)} or None")
    tables = TABLES if table is None else (table,)
    rows: list[tuple] = []
    for report in reports:
        if not isinstance(report, dict):
            from govreport_lark.output.emit import report_to_dict

            report = report_to_dict(report, provenance=True)  # each cell's own status
        rows.extend(cell_rows(report, tables))
    frame = pd.DataFrame.from_records(rows, columns=[*LONG_COLUMNS, *QUALITY_COLUMNS])
    frame["year"] = frame["year"].astype("Int64")
    frame["template"] = pd.to_numeric(frame["template"]).astype("Int64")  # as year, as Parquet
    frame["value"] = pd.to_numeric(frame["value"]).astype("float64")
    return frame
