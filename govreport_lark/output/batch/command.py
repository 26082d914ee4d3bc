"""`govreport batch`: the run, its progress bar, its summary and its arguments."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from typing import Any

from .files import BatchError, collect_files, output_error, sha256_file
from .run import _import_distributed, is_error, run_dask, run_local
from .sinks import (
    OUT_FORMATS,
    SINKS,
    JsonlSink,
    ReportsSink,
    WideCsvSink,
    _has_findings,
    _import_pyarrow,
    iter_report_cells,
)


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
              max_bytes: int | None = None, panel: str | None = None,
              provenance: bool = False) -> dict[str, Any]:
    """The ``govreport batch`` run; returns the counts of the summary, the agencies whose
    reports have errors (``errors_by_agency``) and the cross-year findings over every record
    the output holds (``cross_year``, a ``PanelResult``).  ``panel`` also writes the panel
    export and its findings file.  Raises ``BatchError`` on bad arguments, no files or a
    missing optional extra."""
    from govreport_lark.output.panel import PANEL_FORMATS, findings_path, write_panel

    fmt = OUT_FORMATS.get(os.path.splitext(out)[1].lower())
    if fmt is None:
        raise BatchError(f"--out {out}: the extension must be one of {', '.join(OUT_FORMATS)}")
    if wide_csv and not wide_csv.lower().endswith(".csv"):
        raise BatchError(f"--wide-csv {wide_csv}: give a .csv file name")
    if panel and os.path.splitext(panel)[1].lower() not in PANEL_FORMATS:
        raise BatchError(f"--panel {panel}: give a .csv or .parquet file name")
    if panel and panel.lower().endswith(".parquet"):
        _import_pyarrow()
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
    tables = fmt in ("csv", "parquet")  # the reports table goes beside the cells
    outputs = [out, out + ".errors.csv", out + ".partial"] + ([wide_csv] if wide_csv else [])
    extra = ([out + ".reports.csv"] if tables else []) + (
        [panel, findings_path(panel)] if panel else [])
    files, problems = collect_files(paths, exclude=outputs + extra)
    for problem in problems:
        print(f"govreport batch: {problem}", file=sys.stderr)
    if not files:
        raise BatchError("no report files to parse")
    for target in outputs[:1] + outputs[3:] + ([panel] if panel else []):
        folder = os.path.dirname(os.path.abspath(target))
        if not os.path.isdir(folder):
            problem = "is not a folder" if os.path.exists(folder) else "does not exist"
            raise BatchError(f"{target}: the folder {folder} {problem}")

    main = JsonlSink(out, provenance) if fmt == "jsonl" else SINKS[fmt](out)
    sinks: list[Any] = [main] + ([WideCsvSink(wide_csv)] if wide_csv else [])
    # A write that fails (permission, read-only, disk full) names its file: the user's to fix.
    names = [out] + ([wide_csv] if wide_csv else [])
    reports = ReportsSink(out) if tables else None
    if reports is not None:
        sinks.append(reports)
        names.append(reports.file.path)
    skipped = 0
    todo = files
    if resume:
        # Each output drops a record an interrupted run cut, then says what it holds whole.
        for name, sink in zip(names, sinks, strict=True):
            try:
                sink.scan(repair=True)
            except OSError as exc:
                raise BatchError(f"{exc.filename or name}: cannot read the output to resume "
                                 f"({exc.strerror or exc})") from None

        # A file is done when its path and its bytes are (a copy under another name is
        # not), and every output that takes it has it: the wide CSV takes no failed file.
        def needed(key: tuple[str, str | None]) -> bool:
            if key not in main.done:
                return True
            return key not in main.failed and any(
                key not in s.done for s in sinks[1:] if getattr(s, "demanded", True))

        if main.done:  # else every file is new: no need to read them all for their sha256
            todo = [f for f in files if needed((f, sha256_file(f)))]
        skipped = len(files) - len(todo)

    # Each cell's provenance travels from the workers only where an output takes it: the
    # cells' status (CSV, Parquet, the panel) or the records themselves (--provenance).
    cells = provenance or tables or panel is not None
    if engine == "dask":
        records = run_dask(todo, scheduler, max_bytes, n_workers=jobs if jobs > 1 else None,
                           provenance=cells)
    else:
        records = run_local(todo, jobs, max_bytes, provenance=cells)

    counts: dict[str, Any] = {"files": len(files), "parsed": 0, "findings": 0, "failed": 0,
                              "skipped": skipped}
    errors_by_agency: dict[str, int] = {}
    opened: list[Any] = []
    bar = None
    completed = False
    try:
        for name, sink in zip(names, sinks, strict=True):
            try:
                sink.open(resume)
            except OSError as exc:
                raise output_error(exc.filename or name, exc) from None
            opened.append(sink)
        bar = _progress(len(todo)) if todo else None
        for record in records:
            # Each output gets the record in one write, flushed: whole or not at all.
            for name, sink in zip(names, sinks, strict=True):
                try:
                    sink.write(record)
                except OSError as exc:
                    raise output_error(exc.filename or name, exc) from None
            if is_error(record):
                counts["failed"] += 1
            else:
                counts["parsed"] += 1
                counts["findings"] += _has_findings(record)
                if reports is None and any(d.get("severity") == "error"
                                           for d in record.get("diagnostics", ())):
                    name = record.get("agency") or f"(no agency: {record['source']['path']})"
                    errors_by_agency[name] = errors_by_agency.get(name, 0) + 1
            if bar is not None:
                bar.update()
        completed = True
    finally:
        if hasattr(records, "close"):
            records.close()  # workers still running are stopped now
        if bar is not None:
            bar.close()
        failure = None
        for name, sink in zip(names, opened, strict=False):
            try:
                sink.close(completed)
            except OSError as exc:
                failure = failure or output_error(exc.filename or name, exc)
        if failure is not None and completed:
            raise failure
    counts["errors_by_agency"] = reports.with_errors if reports is not None else errors_by_agency
    # Over every record the output holds (a resumed run's earlier ones too), read back one
    # report at a time.
    try:
        cells = iter_report_cells(out, fmt, quality=panel is not None)
        counts["cross_year"] = write_panel(cells, panel)
    except OSError as exc:
        raise output_error(exc.filename or panel or out, exc) from None
    return counts


SHOWN = 10  # findings listed in the summary; the rest are in --panel's findings file


def summary(counts: dict[str, Any], resume: bool = False, panel: str | None = None) -> str:
    line = (f"{counts['files']} files: {counts['parsed']} parsed ({counts['findings']} with "
            f"warnings or errors), {counts['failed']} failed")
    if resume:
        line += f", {counts['skipped']} already in the output"
    lines = [line]
    by_agency = counts.get("errors_by_agency")
    if by_agency:
        names = sorted(by_agency)
        lines.append(f"reports with errors: {len(names)} agencies: " + ", ".join(
            f"{n} ({by_agency[n]})" for n in names[:50]) + (" …" if len(names) > 50 else ""))
    result = counts.get("cross_year")
    if result is not None:
        found = result.findings
        tally = {code: sum(f.code == code for f in found) for code in
                 ("CROSS_YEAR_MISMATCH", "DUPLICATE_REPORT", "IDENTITY_MISSING")}
        lines.append(f"cross-year: {result.pairs} pairs of consecutive years of "
                     f"{result.agencies} agencies compared: "
                     + ", ".join(f"{n} {code}" for code, n in tally.items()))
        for f in found[:SHOWN]:
            lines.append(f"  {f.code}: {f.message}")
        if len(found) > SHOWN:
            where = (f"all in {panel}.findings.csv" if panel
                     else "write them all with --panel FILE")
            lines.append(f"  … {len(found) - SHOWN} more; {where}")
    return "\n".join(lines)


def resume_command(args: argparse.Namespace) -> str:
    """The command that goes on with an interrupted run: its own arguments and --resume."""
    import shlex

    argv = ["govreport", "batch", *args.paths, "--out", args.out]
    if args.jobs != 1:
        argv += ["--jobs", str(args.jobs)]
    if args.wide_csv:
        argv += ["--wide-csv", args.wide_csv]
    if args.engine != "local":
        argv += ["--engine", args.engine]
    if args.scheduler:
        argv += ["--scheduler", args.scheduler]
    if args.max_bytes is not None:
        argv += ["--max-bytes", str(args.max_bytes)]
    if getattr(args, "panel", None):
        argv += ["--panel", args.panel]
    return shlex.join([*argv, "--resume"])


class _Stop:
    """SIGINT and SIGTERM stop the run as Ctrl-C does (``KeyboardInterrupt``): the workers
    are stopped, the outputs closed on whole records.  A second signal while that is done
    is not let to cut it short."""

    def __init__(self) -> None:
        self.signum: int | None = None
        self.saved: dict[int, Any] = {}

    def __enter__(self) -> _Stop:
        import signal
        import threading

        if threading.current_thread() is threading.main_thread():
            for signum in (signal.SIGINT, signal.SIGTERM):
                if signal.getsignal(signum) != signal.SIG_IGN:  # nohup, `cmd &`: left so
                    self.saved[signum] = signal.signal(signum, self.handle)
        return self

    def handle(self, signum: int, frame: Any) -> None:
        if self.signum is None:
            self.signum = signum
            raise KeyboardInterrupt

    def __exit__(self, *exc: object) -> None:
        import signal

        for signum, handler in self.saved.items():
            signal.signal(signum, handler)


def cmd_batch(args: argparse.Namespace) -> int:
    import signal

    with _Stop() as stop:
        try:
            counts = run_batch(args.paths, args.out, jobs=args.jobs, resume=args.resume,
                               wide_csv=args.wide_csv, engine=args.engine,
                               scheduler=args.scheduler, max_bytes=args.max_bytes,
                               panel=args.panel, provenance=args.provenance)
        except BatchError as exc:
            print(f"govreport batch: {exc}", file=sys.stderr)
            return 2
        except KeyboardInterrupt:
            what = "terminated" if stop.signum == signal.SIGTERM else "interrupted"
            print(f"govreport batch: {what}; the records written so far are kept whole; to "
                  f"go on: {resume_command(args)}", file=sys.stderr)
            return 128 + (stop.signum or signal.SIGINT)
    print(summary(counts, args.resume, args.panel), file=sys.stderr)
    return 0


EPILOG = """output by the --out extension:
  .jsonl    one output-contract object per report (as `govreport parse`), a failed file as
            {"source": {"path", "sha256"}, "error": {"code", "message"}}
  .csv      long format, one row per table cell: source, sha256, agency, year, template,
            table (active_disclosure/applications/review_litigation), row, column, value,
            cells (the report's number of rows), status (printed, blank, inferred,
            unresolved), codes (the diagnostics that touch the cell); failed files in
            <out>.errors.csv, one row per file (status, error and warning counts, codes) in
            <out>.reports.csv
  .parquet  the long format without cells (needs pyarrow); <out>.errors.csv and
            <out>.reports.csv as for .csv; rows are committed in <out>.parts/ as the run
            goes and merged into <out> at its end

--panel FILE (.csv or .parquet) writes one row per agency, year, quantity and column in one
key set for both templates, and FILE.findings.csv the cross-year findings: 上年结转 against
last year's 结转下年度, 现行有效 (2021) and 上一年项目数量 (2019) against last year's
(CROSS_YEAR_MISMATCH), two reports of one agency and year (DUPLICATE_REPORT), a report
without agency or year (IDENTITY_MISSING).  The closing summary gives them with every run.

examples:
  govreport batch reports/ --out reports.jsonl --jobs 4
  govreport batch 'archive/**/*.html' --out cells.csv --wide-csv totals.csv
  govreport batch reports/ --out cells.csv --panel panel.parquet
  govreport batch reports/ --out reports.jsonl --resume        (only files not yet in it;
            a record an interrupted run cut is dropped with a warning and parsed again)
  govreport batch reports/ --out cells.parquet --engine dask --scheduler tcp://host:8786

Directories are searched recursively for .txt .md .html .htm .shtml .pdf .docx (hidden
entries and *.expected.json skipped).  With --engine dask the workers must see the files
under the same paths.  exit codes: 0 the run completed (failed files are in the output),
2 bad arguments or no files, 130 Ctrl-C and 143 SIGTERM (the workers are stopped, the
records written are kept whole, and the line printed is the command that goes on).
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
                   help="skip files already in --out (parsed or failed) under the same path "
                   "with the same sha256, and append the others")
    p.add_argument("--wide-csv", metavar="FILE",
                   help="also write one row per report with section 三's 总计 column")
    p.add_argument("--panel", metavar="FILE",
                   help="also write the panel (.csv or .parquet): one row per agency, year, "
                   "quantity and column in one key set for both templates, and the cross-year "
                   "findings in FILE.findings.csv")
    p.add_argument("--provenance", action="store_true",
                   help="JSON Lines: keep each cell's input line, page, printed text and "
                   "inferred/placed flags in the records (as parse --provenance)")
    p.add_argument("--engine", choices=("local", "dask"), default="local",
                   help="local processes (default) or a Dask cluster (needs dask[distributed])")
    p.add_argument("--scheduler", metavar="ADDR",
                   help="Dask scheduler address (default: start a local cluster)")
    p.add_argument("--max-bytes", type=int, default=None,
                   help="refuse files larger than this (default 50 MB)")
    p.set_defaults(func=cmd_batch)
    return p
