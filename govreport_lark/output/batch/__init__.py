"""``govreport batch``: many reports into one JSON Lines, CSV or Parquet file.

Every file is parsed by the same function, :func:`parse_one`, whichever engine runs it
(this process, a process pool with ``--jobs``, or a Dask cluster with ``--engine dask``),
and gives either the output-contract object of ``report_to_dict`` or an error record::

    {"source": {"path": ..., "sha256": ...}, "error": {"code": ..., "message": ...}}

A failing file is recorded and the run goes on.  Results are written in input order.

This module is imported by ``govreport --help``: it must import nothing heavy at module
level (no lark, opencc, tqdm, pyarrow, pandas or dask)."""

from __future__ import annotations

from .command import EPILOG, add_parser, cmd_batch, run_batch, summary
from .files import REPORT_SUFFIXES, BatchError, collect_files, sha256_file
from .run import LOCAL_CLUSTER_KWARGS, error_record, is_error, parse_one, run_dask, run_local
from .sinks import (
    CELLS_COLUMNS,
    CSV_COLUMNS,
    ERROR_COLUMNS,
    LONG_COLUMNS,
    OUT_FORMATS,
    QUALITY_COLUMNS,
    SINKS,
    TABLES,
    WIDE_META,
    CsvSink,
    JsonlSink,
    ParquetSink,
    ReportsSink,
    WideCsvSink,
    cell_rows,
    done_hashes,
    done_keys,
    iter_report_cells,
    long_rows,
    parquet_schema,
    wide_columns,
)

__all__ = ['BatchError', 'CELLS_COLUMNS', 'CSV_COLUMNS', 'CsvSink', 'EPILOG', 'ERROR_COLUMNS', 'JsonlSink', 'LOCAL_CLUSTER_KWARGS', 'LONG_COLUMNS', 'OUT_FORMATS', 'ParquetSink', 'QUALITY_COLUMNS', 'ReportsSink', 'REPORT_SUFFIXES', 'SINKS', 'TABLES', 'WIDE_META', 'WideCsvSink', 'add_parser', 'cell_rows', 'cmd_batch', 'collect_files', 'done_hashes', 'done_keys', 'error_record', 'is_error', 'iter_report_cells', 'long_rows', 'parquet_schema', 'parse_one', 'run_batch', 'run_dask', 'run_local', 'sha256_file', 'summary', 'wide_columns']
