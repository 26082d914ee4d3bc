"""``govreport batch``: many reports into one JSON Lines, CSV or Parquet file.

Every file is parsed by the same function, :func:`parse_one`, whichever engine runs it
(this process, a process pool with ``--jobs``, or a Dask cluster with ``--engine dask``),
and gives either the output-contract object of ``report_to_dict`` or an error record::

    {"source": {"path": ..., "sha256": ...}, "error": {"code": ..., "message": ...}}

A failing file is recorded and the run goes on.  Results are written in input order.

This module is imported by ``govreport --help``: it must import nothing heavy at module
level (no lark, opencc, tqdm, pyarrow, pandas or dask).
"""

from __future__ import annotations

import argparse
import csv
import glob
import hashlib
import json
import os
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

REPORT_SUFFIXES = (".txt", ".md", ".html", ".htm", ".shtml", ".pdf", ".docx")
TABLES = ("active_disclosure", "applications", "review_litigation")
LONG_COLUMNS = ("source", "sha256", "agency", "year", "template", "table", "row", "column",
                "value")
ERROR_COLUMNS = ("source", "sha256", "code", "message")
WIDE_META = ("source", "sha256", "agency", "year", "template")
OUT_FORMATS = {".jsonl": "jsonl", ".csv": "csv", ".parquet": "parquet"}

# LocalCluster started by ``--engine dask`` without ``--scheduler`` (tests make it lighter).
LOCAL_CLUSTER_KWARGS: dict[str, Any] = {"processes": True, "threads_per_worker": 1,
                                        "dashboard_address": None}


class BatchError(Exception):
    """A bad argument or a missing optional dependency: the run does not start (exit 2)."""


# --------------------------------------------------------------------------- files


def _is_glob(text: str) -> bool:
    return any(ch in text for ch in "*?[")


def _is_report_name(name: str) -> bool:
    lower = name.lower()
    return lower.endswith(REPORT_SUFFIXES) and not lower.endswith(".expected.json")


def _walk(directory: str) -> Iterator[str]:
    """Report files under ``directory``, recursively, in sorted order; hidden entries
    (``.git``, ``.ipynb_checkpoints``…) are skipped."""
    for root, dirs, names in os.walk(directory):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(names):
            if not name.startswith(".") and _is_report_name(name):
                yield os.path.join(root, name)


def collect_files(paths: Iterable[str | os.PathLike[str]], *,
                  exclude: Iterable[str | os.PathLike[str]] = ()) -> tuple[list[str], list[str]]:
    """Expand files, directories (recursive) and globs into report files.

    A file named explicitly is taken whatever its name; directories and globs give files
    with a report suffix (``.txt .md .html .htm .shtml .pdf .docx``), never
    ``*.expected.json``.  Returns ``(files, problems)``, ``problems`` being messages for
    paths that matched nothing.  Duplicates (same real path) are kept once.
    """
    skip = {os.path.realpath(p) for p in exclude}
    seen: set[str] = set()
    files: list[str] = []
    problems: list[str] = []

    def add(path: str) -> None:
        real = os.path.realpath(path)
        if real in seen or real in skip:
            return
        seen.add(real)
        files.append(str(Path(path)))

    for raw in paths:
        path = os.fspath(raw)
        if os.path.isdir(path):
            found = list(_walk(path))
            if not found:
                problems.append(f"{path}: no report files ({' '.join(REPORT_SUFFIXES)}) in this "
                                "directory")
            for name in found:
                add(name)
        elif os.path.exists(path):
            add(path)
        elif _is_glob(path):
            matches = sorted(glob.glob(path, recursive=True))
            found = []
            for match in matches:
                if os.path.isdir(match):
                    found.extend(_walk(match))
                elif _is_report_name(match):
                    found.append(match)
            if not found:
                problems.append(f"{path}: the pattern matches no report file")
            for name in found:
                add(name)
        else:
            problems.append(f"{path}: no such file or directory")
    return files, problems


def sha256_file(path: str) -> str | None:
    """The file's SHA-256, or ``None`` when it cannot be read."""
    digest = hashlib.sha256()
    try:
        with open(path, "rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
    except OSError:
        return None
    return digest.hexdigest()


# --------------------------------------------------------------------------- one file


def error_record(path: str, sha256: str | None, code: str, message: str) -> dict[str, Any]:
    return {"source": {"path": path, "sha256": sha256}, "error": {"code": code, "message": message}}


def is_error(record: dict[str, Any]) -> bool:
    return "error" in record


def parse_one(path: str | os.PathLike[str], max_bytes: int | None = None) -> dict[str, Any]:
    """Parse one file: its output-contract dict, or an error record; never raises
    (except ``KeyboardInterrupt``/``SystemExit``).  The unit of work of every engine."""
    from .emit import report_to_dict
    from .errors import InputError
    from .parse import DEFAULT_MAX_BYTES, parse_file

    name = str(Path(path))
    try:
        report = parse_file(name, max_bytes=max_bytes or DEFAULT_MAX_BYTES)
        return report_to_dict(report)
    except InputError as exc:
        code, message = exc.code, exc.message
    except Exception as exc:  # one bad file must not end a run of thousands
        code, message = "INTERNAL_ERROR", f"{type(exc).__name__}: {exc}"
    return error_record(name, sha256_file(name), code, message)


def _parse_chunk(paths: Sequence[str], max_bytes: int | None) -> list[dict[str, Any]]:
    return [parse_one(path, max_bytes) for path in paths]


def _warm() -> None:
    """Load the table grammars once (before forking, or once per worker)."""
    from .grammar import TABLE_GRAMMARS, parser

    for name in TABLE_GRAMMARS:
        parser(name, rows=True)


# --------------------------------------------------------------------------- engines


def _pool_context() -> Any:
    """``fork`` (workers inherit the loaded grammars) when this process runs no other
    thread; otherwise ``forkserver``/``spawn``, which are safe with threads."""
    import multiprocessing
    import threading

    methods = multiprocessing.get_all_start_methods()
    if "fork" in methods and threading.active_count() == 1:
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")


def run_local(files: Sequence[str], jobs: int = 1,
              max_bytes: int | None = None) -> Iterator[dict[str, Any]]:
    """Records for ``files`` in input order: in this process, or on ``jobs`` processes
    (``concurrent.futures``, files sent in chunks)."""
    if jobs <= 1 or len(files) <= 1:
        for path in files:
            yield parse_one(path, max_bytes)
        return
    from concurrent.futures import ProcessPoolExecutor

    context = _pool_context()
    if context.get_start_method() == "fork":
        _warm()
    size = max(1, min(16, -(-len(files) // (jobs * 8))))
    chunks = [list(files[i : i + size]) for i in range(0, len(files), size)]
    pool = ProcessPoolExecutor(max_workers=jobs, mp_context=context, initializer=_warm)
    try:
        futures = [pool.submit(_parse_chunk, chunk, max_bytes) for chunk in chunks]
        for chunk, future in zip(chunks, futures, strict=True):
            try:
                records = future.result()
            except Exception as exc:  # a worker died (BrokenProcessPool, MemoryError…)
                records = [error_record(p, sha256_file(p), "WORKER_ERROR",
                                        f"the worker process failed ({type(exc).__name__}: "
                                        f"{exc})") for p in chunk]
            yield from records
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _import_distributed() -> Any:
    try:
        import distributed
    except ImportError:
        raise BatchError("--engine dask needs the optional extra dask[distributed]: "
                         "pip install 'govreport-lark[dask]'") from None
    return distributed


def run_dask(files: Sequence[str], scheduler: str | None = None, max_bytes: int | None = None,
             *, n_workers: int | None = None, window: int = 5000) -> Iterator[dict[str, Any]]:
    """Records for ``files`` in input order, ``parse_one`` mapped over a Dask cluster:
    ``distributed.Client(scheduler)``, or a ``LocalCluster`` when ``scheduler`` is None.
    The workers must see the files under the same paths (a shared filesystem).
    At most two windows of ``window`` files are in flight."""
    distributed = _import_distributed()
    import logging

    cluster = None
    if scheduler:
        client = distributed.Client(scheduler)
    else:
        kwargs = {"silence_logs": logging.ERROR, **LOCAL_CLUSTER_KWARGS}
        if n_workers:
            kwargs["n_workers"] = n_workers
        cluster = distributed.LocalCluster(**kwargs)
        client = distributed.Client(cluster)
    try:
        def submit(start: int) -> tuple[list[str], list[Any]]:
            part = list(files[start : start + window])
            return part, client.map(parse_one, part, max_bytes=max_bytes, pure=False)

        pending = submit(0) if files else ([], [])
        for start in range(0, len(files), window):
            part, futures = pending
            pending = submit(start + window) if start + window < len(files) else ([], [])
            for path, future in zip(part, futures, strict=True):
                try:
                    record = future.result()
                except Exception as exc:  # KilledWorker, lost connection…
                    record = error_record(path, sha256_file(path), "WORKER_ERROR",
                                          f"the Dask task failed ({type(exc).__name__}: {exc})")
                future.release()
                yield record
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


# --------------------------------------------------------------------------- formats


def long_rows(record: dict[str, Any], tables: Iterable[str] = TABLES) -> Iterator[tuple]:
    """One tuple per table cell of a contract dict, as ``LONG_COLUMNS``.

    Section 二's rows are ``item.row`` (``art20_1.rules``); its extra rows (labels the
    template does not have) ``item.extra.label``.  The text ``amount_raw`` is not a cell
    and is left out; ``value`` is a number or ``None``.  Error records give no rows.
    """
    if is_error(record):
        return
    source = record["source"]
    head = (source["path"], source["sha256"], record.get("agency"), record.get("year"),
            record.get("template"))
    for table in tables:
        data = record.get(table)
        if not data:
            continue
        if table == "active_disclosure":
            for item, rows in data.items():
                for key, cells in rows.items():
                    if key == "extra":
                        for label, extra_cells in cells.items():
                            for column, value in extra_cells.items():
                                if column != "amount_raw":
                                    yield (*head, table, f"{item}.extra.{label}", column, value)
                        continue
                    for column, value in cells.items():
                        if column != "amount_raw":
                            yield (*head, table, f"{item}.{key}", column, value)
        elif table == "applications":
            columns = data["columns"]
            for key, values in data["rows"].items():
                for column, value in zip(columns, values, strict=False):
                    yield (*head, table, key, column, value)
        elif table == "review_litigation":
            for group, cells in data.items():
                for column, value in cells.items():
                    yield (*head, table, group, column, value)
        else:
            raise ValueError(f"unknown table {table!r}; choose one of {', '.join(TABLES)}")


def wide_columns() -> tuple[str, ...]:
    """Section 三's row keys of both templates, in the template's order."""
    from .applications import row_keys

    keys: list[str] = []
    for template in ("2021", "2019"):
        for key in row_keys(template):
            if key not in keys:
                keys.append(key)
    order = {k: i for i, k in enumerate(row_keys("2021"))}
    # 2019's single （六） row sits where 2021's three are.
    order["other"] = order["other.overdue_correction"] - 0.5
    return tuple(sorted(keys, key=order.__getitem__))


def _csv_value(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return repr(value)
    return str(value)


def _has_findings(record: dict[str, Any]) -> bool:
    return any(d.get("severity") in ("warning", "error") for d in record.get("diagnostics", ()))


def _open_csv(path: str, columns: Sequence[str], append: bool) -> tuple[Any, Any]:
    new = not (append and os.path.exists(path) and os.path.getsize(path) > 0)
    handle = open(path, "w" if new else "a", encoding="utf-8", newline="")
    writer = csv.writer(handle)
    if new:
        writer.writerow(columns)
    return handle, writer


class _ErrorSidecar:
    """``<out>.errors.csv``: the failed files of a CSV or Parquet run (created on the
    first failure; a stale one is removed when not resuming)."""

    def __init__(self, out: str, append: bool):
        self.path = out + ".errors.csv"
        self.append = append
        self.handle = None
        self.writer = None
        if not append and os.path.exists(self.path):
            os.remove(self.path)

    def write(self, record: dict[str, Any]) -> None:
        if self.handle is None:
            self.handle, self.writer = _open_csv(self.path, ERROR_COLUMNS, self.append)
        source, error = record["source"], record["error"]
        self.writer.writerow((source["path"], source["sha256"] or "", error["code"],
                              error["message"]))

    def close(self) -> None:
        if self.handle is not None:
            self.handle.close()


class JsonlSink:
    def __init__(self, out: str, append: bool):
        mode = "a" if append else "w"
        if append and os.path.exists(out) and os.path.getsize(out) > 0:
            with open(out, "rb") as handle:  # an interrupted run may have cut the last line
                handle.seek(-1, os.SEEK_END)
                needs_newline = handle.read(1) != b"\n"
        else:
            needs_newline = False
        self.handle = open(out, mode, encoding="utf-8")
        if needs_newline:
            self.handle.write("\n")

    def write(self, record: dict[str, Any]) -> None:
        self.handle.write(json.dumps(record, ensure_ascii=False) + "\n")

    def close(self) -> None:
        self.handle.close()


class CsvSink:
    def __init__(self, out: str, append: bool):
        self.handle, self.writer = _open_csv(out, LONG_COLUMNS, append)
        self.errors = _ErrorSidecar(out, append)

    def write(self, record: dict[str, Any]) -> None:
        if is_error(record):
            self.errors.write(record)
            return
        self.writer.writerows(long_rows(record))  # csv writes None as an empty field

    def close(self) -> None:
        self.handle.close()
        self.errors.close()


def _import_pyarrow() -> tuple[Any, Any]:
    try:
        import pyarrow
        import pyarrow.parquet
    except ImportError:
        raise BatchError("Parquet output needs the optional extra pyarrow: "
                         "pip install 'govreport-lark[parquet]' (or write .jsonl/.csv)") from None
    return pyarrow, pyarrow.parquet


def parquet_schema() -> Any:
    pa, _ = _import_pyarrow()
    return pa.schema([
        ("source", pa.string()), ("sha256", pa.string()), ("agency", pa.string()),
        ("year", pa.int64()), ("template", pa.string()), ("table", pa.string()),
        ("row", pa.string()), ("column", pa.string()), ("value", pa.float64()),
    ])


class ParquetSink:
    """The long format in row groups of ``batch_rows``.  Parquet cannot be appended to:
    with ``--resume`` the old rows are copied into a new file that replaces the old one
    when the run ends."""

    def __init__(self, out: str, append: bool, batch_rows: int = 100_000):
        self.pa, self.pq = _import_pyarrow()
        self.schema = parquet_schema()
        self.out = out
        self.tmp = out + ".partial"
        self.writer = self.pq.ParquetWriter(self.tmp, self.schema)
        if append and os.path.exists(out):
            old = self.pq.ParquetFile(out)
            for i in range(old.num_row_groups):
                self.writer.write_table(old.read_row_group(i).cast(self.schema))
        self.rows: list[tuple] = []
        self.batch_rows = batch_rows
        self.errors = _ErrorSidecar(out, append)

    def write(self, record: dict[str, Any]) -> None:
        if is_error(record):
            self.errors.write(record)
            return
        self.rows.extend(long_rows(record))
        if len(self.rows) >= self.batch_rows:
            self._flush()

    def _flush(self) -> None:
        if not self.rows:
            return
        columns = list(zip(*self.rows, strict=True))
        arrays = [self.pa.array(col, type=field.type) for col, field in
                  zip(columns, self.schema, strict=True)]
        self.writer.write_table(self.pa.Table.from_arrays(arrays, schema=self.schema))
        self.rows = []

    def close(self) -> None:
        self._flush()
        self.writer.close()
        os.replace(self.tmp, self.out)
        self.errors.close()


class WideCsvSink:
    """One row per parsed report: section 三's 总计 column for every row key."""

    def __init__(self, path: str, append: bool):
        self.keys = wide_columns()
        self.handle, self.writer = _open_csv(path, (*WIDE_META, *self.keys), append)

    def write(self, record: dict[str, Any]) -> None:
        if is_error(record):
            return
        rows = record["applications"]["rows"]
        total = record["applications"]["columns"].index("total")
        source = record["source"]
        self.writer.writerow((
            source["path"], source["sha256"], record.get("agency") or "",
            "" if record.get("year") is None else record["year"], record.get("template") or "",
            *(_csv_value(rows[k][total]) if k in rows else "" for k in self.keys),
        ))

    def close(self) -> None:
        self.handle.close()


SINKS: dict[str, Callable[[str, bool], Any]] = {
    "jsonl": JsonlSink, "csv": CsvSink, "parquet": ParquetSink,
}


def done_hashes(out: str, fmt: str) -> set[str]:
    """SHA-256 of the files an earlier run already wrote (parsed or failed)."""
    hashes: set[str] = set()

    def from_csv(path: str) -> None:
        if os.path.exists(path):
            with open(path, encoding="utf-8", newline="") as handle:
                hashes.update(row.get("sha256") or "" for row in csv.DictReader(handle))

    if fmt == "jsonl" and os.path.exists(out):
        with open(out, encoding="utf-8") as handle:
            for line in handle:
                try:
                    hashes.add(json.loads(line)["source"]["sha256"] or "")
                except (ValueError, KeyError, TypeError):
                    continue  # a line cut by an interrupted run
    elif fmt == "csv":
        from_csv(out)
        from_csv(out + ".errors.csv")
    elif fmt == "parquet":
        if os.path.exists(out):
            _, pq = _import_pyarrow()
            hashes.update(pq.read_table(out, columns=["sha256"]).column(0).unique().to_pylist())
        from_csv(out + ".errors.csv")
    hashes.discard("")
    hashes.discard(None)  # type: ignore[arg-type]
    return hashes


# --------------------------------------------------------------------------- the command


def _progress(total: int) -> Any:
    if not sys.stderr.isatty():
        return None
    try:
        from tqdm import tqdm
    except ImportError:
        return None
    tqdm.monitor_interval = 0  # no monitor thread: the process pool may fork
    return tqdm(total=total, unit="file", file=sys.stderr, dynamic_ncols=True, mininterval=0.2,
                desc="govreport batch")


def run_batch(paths: Sequence[str], out: str, *, jobs: int = 1, resume: bool = False,
              wide_csv: str | None = None, engine: str = "local", scheduler: str | None = None,
              max_bytes: int | None = None) -> dict[str, int]:
    """The ``govreport batch`` run; returns the counts of the summary line.
    Raises ``BatchError`` on bad arguments, no files or a missing optional extra."""
    fmt = OUT_FORMATS.get(os.path.splitext(out)[1].lower())
    if fmt is None:
        raise BatchError(f"--out {out}: the extension must be one of {', '.join(OUT_FORMATS)}")
    if wide_csv and not wide_csv.lower().endswith(".csv"):
        raise BatchError(f"--wide-csv {wide_csv}: give a .csv file name")
    if jobs < 1:
        raise BatchError("--jobs must be 1 or more")
    if engine not in ("local", "dask"):
        raise BatchError(f"--engine {engine}: choose local or dask")
    if scheduler and engine != "dask":
        raise BatchError("--scheduler needs --engine dask")
    if fmt == "parquet":
        _import_pyarrow()
    if engine == "dask":
        _import_distributed()
    outputs = [out, out + ".errors.csv", out + ".partial"] + ([wide_csv] if wide_csv else [])
    files, problems = collect_files(paths, exclude=outputs)
    for problem in problems:
        print(f"govreport batch: {problem}", file=sys.stderr)
    if not files:
        raise BatchError("no report files to parse")
    for target in outputs[:1] + outputs[3:]:
        folder = os.path.dirname(os.path.abspath(target))
        if not os.path.isdir(folder):
            raise BatchError(f"{target}: the folder {folder} does not exist")

    skipped = 0
    if resume:
        done = done_hashes(out, fmt)
        todo = [f for f in files if sha256_file(f) not in done] if done else files
        skipped = len(files) - len(todo)
    else:
        todo = files

    if engine == "dask":
        records = run_dask(todo, scheduler, max_bytes, n_workers=jobs if jobs > 1 else None)
    else:
        records = run_local(todo, jobs, max_bytes)

    counts = {"files": len(files), "parsed": 0, "findings": 0, "failed": 0, "skipped": skipped}
    sinks = [SINKS[fmt](out, resume)]
    if wide_csv:
        sinks.append(WideCsvSink(wide_csv, resume))
    bar = _progress(len(todo)) if todo else None
    try:
        for record in records:
            for sink in sinks:
                sink.write(record)
            if is_error(record):
                counts["failed"] += 1
            else:
                counts["parsed"] += 1
                counts["findings"] += _has_findings(record)
            if bar is not None:
                bar.update()
    finally:
        if hasattr(records, "close"):
            records.close()
        if bar is not None:
            bar.close()
        for sink in sinks:
            sink.close()
    return counts


def summary(counts: dict[str, int], resume: bool = False) -> str:
    line = (f"{counts['files']} files: {counts['parsed']} parsed ({counts['findings']} with "
            f"warnings or errors), {counts['failed']} failed")
    if resume:
        line += f", {counts['skipped']} already in the output"
    return line


def cmd_batch(args: argparse.Namespace) -> int:
    try:
        counts = run_batch(args.paths, args.out, jobs=args.jobs, resume=args.resume,
                           wide_csv=args.wide_csv, engine=args.engine,
                           scheduler=args.scheduler, max_bytes=args.max_bytes)
    except BatchError as exc:
        print(f"govreport batch: {exc}", file=sys.stderr)
        return 2
    print(summary(counts, args.resume), file=sys.stderr)
    return 0


EPILOG = """output by the --out extension:
  .jsonl    one output-contract object per report (as `govreport parse`), a failed file as
            {"source": {"path", "sha256"}, "error": {"code", "message"}}
  .csv      long format, one row per table cell: source, sha256, agency, year, template,
            table (active_disclosure/applications/review_litigation), row, column, value;
            failed files in <out>.errors.csv
  .parquet  the long format (needs pyarrow); failed files in <out>.errors.csv

examples:
  govreport batch reports/ --out reports.jsonl --jobs 4
  govreport batch 'archive/**/*.html' --out cells.csv --wide-csv totals.csv
  govreport batch reports/ --out reports.jsonl --resume        (only files not yet in it)
  govreport batch reports/ --out cells.parquet --engine dask --scheduler tcp://host:8786

Directories are searched recursively for .txt .md .html .htm .shtml .pdf .docx (hidden
entries and *.expected.json skipped).  With --engine dask the workers must see the files
under the same paths.  exit codes: 0 the run completed (failed files are in the output),
2 bad arguments or no files.
"""


def add_parser(subparsers: Any) -> argparse.ArgumentParser:
    p = subparsers.add_parser(
        "batch", help="parse many reports into one .jsonl, .csv or .parquet file",
        description="Parse many reports (files, directories, globs) into one file; a failing "
        "file is recorded and the run goes on.",
        epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("paths", nargs="+", metavar="PATH", help="report files, directories or globs")
    p.add_argument("--out", required=True, metavar="FILE",
                   help="output file: .jsonl, .csv or .parquet")
    p.add_argument("--jobs", type=int, default=1, metavar="N",
                   help="worker processes (default 1; with --engine dask and no --scheduler, "
                   "the local cluster's workers)")
    p.add_argument("--resume", action="store_true",
                   help="skip files whose sha256 is already in --out (parsed or failed) and "
                   "append the others")
    p.add_argument("--wide-csv", metavar="FILE",
                   help="also write one row per report with section 三's 总计 column")
    p.add_argument("--engine", choices=("local", "dask"), default="local",
                   help="local processes (default) or a Dask cluster (needs dask[distributed])")
    p.add_argument("--scheduler", metavar="ADDR",
                   help="Dask scheduler address (default: start a local cluster)")
    p.add_argument("--max-bytes", type=int, default=None,
                   help="refuse files larger than this (default 50 MB)")
    p.set_defaults(func=cmd_batch)
    return p
