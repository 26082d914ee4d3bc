"""Where a batch writes: JSON Lines, long CSV, Parquet and the wide CSV, and what a
resumed run has done already."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any

from govreport_lark.output.quality import (
    REPORT_COLUMNS,
    CellIndex,
    cell_flags,
    cell_status,
    codes_of,
    summarise,
)

from .files import BatchError
from .run import is_error

TABLES = ("active_disclosure", "applications", "review_litigation")


LONG_COLUMNS = ("source", "sha256", "agency", "year", "template", "table", "row", "column",
                "value")


# Per cell: printed, blank, inferred or unresolved, and the codes of the diagnostics that
# touch it (quality.py).
QUALITY_COLUMNS = ("status", "codes")


# The long CSV adds to every row its report's number of rows: a resumed run counts them.
# The quality columns come after it; files of earlier versions keep their own columns.
CELLS_COLUMNS = (*LONG_COLUMNS, "cells")
CSV_COLUMNS = (*CELLS_COLUMNS, *QUALITY_COLUMNS)
CSV_VERSIONS = (CSV_COLUMNS, CELLS_COLUMNS, LONG_COLUMNS)


ERROR_COLUMNS = ("source", "sha256", "code", "message")


WIDE_META = ("source", "sha256", "agency", "year", "template")


OUT_FORMATS = {".jsonl": "jsonl", ".csv": "csv", ".parquet": "parquet"}


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


def cell_rows(record: dict[str, Any], tables: Iterable[str] = TABLES) -> Iterator[tuple]:
    """``long_rows`` with ``QUALITY_COLUMNS`` added: each cell's status and the codes of the
    diagnostics that touch it.  The status is the cell's own where the record carries its
    ``provenance`` (a batch's records do, and ``to_dataframe``'s), else it is worked out from
    the diagnostics (``cell_status``)."""
    if is_error(record):
        return
    index = CellIndex(record.get("diagnostics") or ())
    provenance = record.get("provenance")
    columns = (record.get("applications") or {}).get("columns")
    for row in long_rows(record, tables):
        touching = index.touching(row[5], row[6], row[7])
        flags = cell_flags(provenance, row[5], row[6], row[7], columns)
        yield (*row, cell_status(row[8], touching, flags), codes_of(touching))


def wide_columns() -> tuple[str, ...]:
    """Section 三's row keys of both templates, in the template's order."""
    from govreport_lark.fit.applications import row_keys

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


Key = tuple[str, str | None]


def record_key(record: dict[str, Any]) -> Key:
    """``(path, sha256)`` of a record; ``sha256`` is None where the file could not be read."""
    source = record["source"]
    return source["path"], source.get("sha256") or None


def _warn(message: str) -> None:
    print(f"govreport batch: {message}", file=sys.stderr)


def _truncate(path: str, offset: int) -> None:
    with open(path, "r+b") as handle:
        handle.truncate(offset)


# ------------------------------------------------------------------ CSV files
#
# Every CSV output is appended a record at a time: the record's rows are formatted first,
# then written in one call and flushed.  An interrupted run can leave only the last record
# cut; ``--resume`` finds it and drops it with one warning line, so that its file is parsed
# again.  A row is whole when its line end is there; the rows of a report in the long CSV
# are whole when there are as many as their ``cells`` column says.


class _CsvRow:
    __slots__ = ("fields", "start", "end", "whole")

    def __init__(self, fields: list[str], start: int, end: int, whole: bool) -> None:
        self.fields, self.start, self.end, self.whole = fields, start, end, whole


def _csv_rows(path: str) -> Iterator[_CsvRow]:
    """The rows of a CSV file with their byte offsets.  Only the last row can be not
    ``whole``: cut before its line end or inside a quoted field."""
    with open(path, "rb") as handle:
        size = os.fstat(handle.fileno()).st_size
        pos, ends_line = 0, True

        def lines() -> Iterator[str]:
            nonlocal pos, ends_line
            for line in handle:
                pos += len(line)
                ends_line = line.endswith(b"\n")
                # "replace": a line cut inside a character is dropped, never read as a name
                yield line.decode("utf-8", "replace")

        reader = csv.reader(lines(), strict=True)
        start = 0
        while True:
            try:
                fields = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                if pos < size:
                    raise BatchError(f"{path}: line {reader.line_num} is not CSV ({exc}); this "
                                     "file was not written by govreport batch, or was changed "
                                     "since: write to another file or start without --resume"
                                     ) from None
                yield _CsvRow([], start, pos, False)  # a quoted field cut at the end
                return
            yield _CsvRow(fields, start, pos, ends_line)
            start = pos


def _foreign(path: str, what: str) -> BatchError:
    return BatchError(f"{path}: {what}; this file was not written by govreport batch with these "
                      "options, or was changed since: write to another file or start without "
                      "--resume")


def _format_rows(rows: Iterable[Sequence[Any]]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)  # csv writes None as an empty field
    return buffer.getvalue()


class _CsvFile:
    """A CSV output of one row per record (the error sidecar, the wide CSV): a cut last
    row is dropped on resume."""

    def __init__(self, path: str, columns: Sequence[str], lazy: bool = False) -> None:
        self.path, self.columns = path, tuple(columns)
        self.lazy = lazy  # created at the first row (the error sidecar)
        self.handle: Any = None
        self.append = False
        self.done: set[Key] = set()

    def scan(self, repair: bool) -> None:
        """Read the records it holds into ``done``; ``repair`` drops a cut last row."""
        self.done = set()
        if not os.path.exists(self.path):
            return
        header: tuple[str, ...] | None = None
        for row in _csv_rows(self.path):
            if header is None:
                if not row.whole:  # the header itself was cut: nothing was written after it
                    if repair:
                        _truncate(self.path, 0)
                    return
                header = tuple(row.fields)
                if header != self.columns:
                    raise _foreign(self.path, f"its columns are not {', '.join(self.columns)}")
                continue
            if not row.whole or len(row.fields) != len(self.columns):
                if row.whole:
                    raise _foreign(self.path, f"a row ends at byte {row.end:,} with "
                                   f"{len(row.fields)} fields, not {len(self.columns)}")
                if repair:
                    _truncate(self.path, row.start)
                    _warn(f"{self.path}: dropped its last row, cut by an interrupted run "
                          f"({row.end - row.start:,} bytes); its file is parsed again")
                return
            self.done.add((row.fields[0], row.fields[1] or None))

    def open(self, append: bool) -> None:
        self.append = append
        if not append and os.path.exists(self.path) and self.lazy:
            os.remove(self.path)  # a stale one from an earlier run
        if not self.lazy:
            self._open()

    def _open(self) -> None:
        new = not (self.append and os.path.exists(self.path) and os.path.getsize(self.path) > 0)
        self.handle = open(self.path, "w" if new else "a", encoding="utf-8", newline="")
        if new:
            self.handle.write(_format_rows([self.columns]))
            self.handle.flush()

    def write_rows(self, rows: Sequence[Sequence[Any]]) -> None:
        """The rows of one record, in one write, flushed."""
        if self.handle is None:
            self._open()
        self.handle.write(_format_rows(rows))
        self.handle.flush()

    def close(self) -> None:
        if self.handle is not None:
            self.handle.close()
            self.handle = None


class _ErrorSidecar(_CsvFile):
    """``<out>.errors.csv``: the failed files of a CSV or Parquet run (created on the
    first failure; a stale one is removed when not resuming)."""

    def __init__(self, out: str) -> None:
        super().__init__(out + ".errors.csv", ERROR_COLUMNS, lazy=True)

    def write(self, record: dict[str, Any]) -> None:
        source, error = record["source"], record["error"]
        self.write_rows([(source["path"], source["sha256"] or "", error["code"],
                          error["message"])])


def _last_line_start(handle: Any, size: int, block: int = 1 << 16) -> int:
    """The offset where the file's last line starts (after its last newline)."""
    end = size
    while end > 0:
        start = max(0, end - block)
        handle.seek(start)
        found = handle.read(end - start).rfind(b"\n")
        if found >= 0:
            return start + found + 1
        end = start
    return 0


def drop_torn_tail(out: str) -> bool:
    """Make a JSON Lines file end with a whole record: a last line that an interrupted run
    cut inside its record (even inside a UTF-8 character) is removed with a warning, so that
    its file is parsed again; a whole last record without its newline gets one.  True when
    a line was dropped."""
    if not os.path.exists(out):
        return False
    with open(out, "r+b") as handle:
        size = handle.seek(0, os.SEEK_END)
        start = _last_line_start(handle, size)
        if start == size:
            return False
        handle.seek(start)
        tail = handle.read()
        try:
            json.loads(tail)
        except ValueError:  # UnicodeDecodeError too: a cut inside a character
            handle.truncate(start)
            line = 1 + (_count_lines(handle, start) if start else 0)
            _warn(f"{out}: dropped line {line}, a record cut by an interrupted run "
                  f"({len(tail):,} bytes); its file is parsed again")
            return True
        handle.seek(size)
        handle.write(b"\n")
    return False


def _count_lines(handle: Any, end: int, block: int = 1 << 20) -> int:
    handle.seek(0)
    count, left = 0, end
    while left > 0:
        chunk = handle.read(min(block, left))
        count += chunk.count(b"\n")
        left -= len(chunk)
    return count


# ------------------------------------------------------------------ the sinks
#
# A sink is one output of a run: ``scan(repair)`` reads what an earlier run wrote into
# ``done`` (every record, parsed or failed) and ``failed`` (the failed ones), ``repair``
# dropping a record cut by an interruption; ``open(append)``; ``write(record)`` skips a
# record it holds already; ``close(complete)``, ``complete`` False when the run was cut short.


class JsonlSink:
    def __init__(self, out: str, provenance: bool = False) -> None:
        self.out = out
        self.provenance = provenance  # keep each cell's line, page and flags in the records
        self.handle: Any = None
        self.done: set[Key] = set()
        self.failed: set[Key] = set()

    def scan(self, repair: bool) -> None:
        self.done, self.failed = set(), set()
        if repair:
            drop_torn_tail(self.out)
        if not os.path.exists(self.out):
            return
        with open(self.out, "rb") as handle:
            for line in handle:
                try:
                    record = json.loads(line)
                    key = record_key(record)
                except (ValueError, KeyError, TypeError, AttributeError):
                    continue  # a line cut by an interrupted run (even inside a character)
                self.done.add(key)
                if is_error(record):
                    self.failed.add(key)

    def open(self, append: bool) -> None:
        self.handle = open(self.out, "a" if append else "w", encoding="utf-8")

    def write(self, record: dict[str, Any]) -> None:
        if record_key(record) in self.done:
            return
        if not self.provenance and "provenance" in record:
            record = {k: v for k, v in record.items() if k != "provenance"}
        self.handle.write(json.dumps(record, ensure_ascii=False) + "\n")
        self.handle.flush()

    def close(self, complete: bool = True) -> None:
        if self.handle is not None:
            self.handle.close()


def _new_cells(record: dict[str, Any], done: set[Key], errors: _ErrorSidecar) -> list[tuple]:
    """The cell rows of a record the output does not hold yet, built whole; a failed file's
    record goes to the error sidecar instead (none when it is held already)."""
    if record_key(record) in done:
        return []
    if is_error(record):
        errors.write(record)
        return []
    return list(cell_rows(record))


class CsvSink:
    """The long CSV, ``CSV_COLUMNS``: the cells of ``long_rows`` and, on every row, the
    number of rows of its report (``cells``), by which a resumed run knows that the last
    report's rows are all there."""

    def __init__(self, out: str) -> None:
        self.out = out
        self.errors = _ErrorSidecar(out)
        self.file = _CsvFile(out, CSV_COLUMNS)
        self.done: set[Key] = set()
        self.failed: set[Key] = set()

    def scan(self, repair: bool) -> None:
        self.errors.scan(repair)
        self.failed = set(self.errors.done)
        self.done = self._scan(repair) | self.failed

    def _scan(self, repair: bool) -> set[Key]:
        done: set[Key] = set()
        if not os.path.exists(self.out):
            return done
        header: tuple[str, ...] | None = None
        key: Key | None = None  # the report of the rows read last
        start = rows = 0
        declared = ""
        torn: _CsvRow | None = None
        for row in _csv_rows(self.out):
            if header is None:
                if not row.whole:
                    if repair:
                        _truncate(self.out, 0)
                    return done
                header = tuple(row.fields)
                if header not in CSV_VERSIONS:
                    raise _foreign(self.out, f"its columns are not {', '.join(CSV_COLUMNS)}")
                self.file.columns = header  # a file of an earlier version keeps its columns
                at = header.index("cells") if "cells" in header else -1
                continue
            if not row.whole:
                torn = row
                break
            if len(row.fields) != len(header):
                raise _foreign(self.out, f"a row ends at byte {row.end:,} with "
                               f"{len(row.fields)} fields, not {len(header)}")
            here = (row.fields[0], row.fields[1] or None)
            if here != key:
                if key is not None:
                    self._check(key, rows, declared)
                    done.add(key)
                key, start, rows, declared = here, row.start, 0, row.fields[at]
            rows += 1
        if key is None:
            if torn is not None and repair:
                _truncate(self.out, torn.start)
                _warn(f"{self.out}: dropped its last line, cut by an interrupted run "
                      f"({torn.end - torn.start:,} bytes); its file is parsed again")
            return done
        counted = "cells" in header
        if counted and declared == str(rows):
            done.add(key)
            if torn is not None and repair:
                _truncate(self.out, torn.start)
                _warn(f"{self.out}: dropped its last line, the start of a report cut by an "
                      f"interrupted run ({torn.end - torn.start:,} bytes); its file is parsed "
                      "again")
        elif repair:
            _truncate(self.out, start)
            cut = " and a cut line" if torn is not None else ""
            if counted:
                _warn(f"{self.out}: dropped the last {rows} of {declared} rows{cut} of "
                      f"{key[0]}, a report cut by an interrupted run; it is parsed again")
            else:
                _warn(f"{self.out}: dropped the {rows} rows{cut} of its last report {key[0]}: "
                      "a file without the cells column cannot show they are all there; it "
                      "is parsed again")
        return done

    def _check(self, key: Key, rows: int, declared: str) -> None:
        """A report before the last one must be whole: only the last can be cut."""
        if "cells" in self.file.columns and declared != str(rows):
            raise _foreign(self.out, f"the report {key[0]} has {rows} rows, not the "
                           f"{declared} of its cells column, and is not the last")

    def open(self, append: bool) -> None:
        self.file.open(append)
        self.errors.open(append)

    def write(self, record: dict[str, Any]) -> None:
        cells = _new_cells(record, self.done, self.errors)
        if not cells:
            return
        columns = self.file.columns
        n = len(LONG_COLUMNS)
        if columns == CSV_COLUMNS:
            rows = [(*row[:n], len(cells), *row[n:]) for row in cells]
        elif columns == CELLS_COLUMNS:
            rows = [(*row[:n], len(cells)) for row in cells]
        else:
            rows = [row[:n] for row in cells]
        self.file.write_rows(rows)

    def close(self, complete: bool = True) -> None:
        try:
            self.file.close()
        finally:
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
        # template an integer, as year: what a CSV reader makes of the long CSV's column
        ("year", pa.int64()), ("template", pa.int64()), ("table", pa.string()),
        ("row", pa.string()), ("column", pa.string()), ("value", pa.float64()),
        ("status", pa.string()), ("codes", pa.string()),
    ])


PART_ROWS = 100_000
_MERGED = b"govreport.merged_parts"
_PART = re.compile(r"part-(\d{6,})\.parquet")


class ParquetSink:
    """The long format.  Parquet cannot be appended to, so a run commits its rows as whole
    files, ``<out>.parts/part-NNNNNN.parquet`` of ``part_rows`` rows or more (written under a
    temporary name, then renamed), and merges them into ``<out>`` when it ends.  An
    interrupted run loses at most the rows of the part it was filling; ``--resume`` keeps
    the committed parts and merges them with the new ones.  ``<out>`` records the last part
    it holds (schema metadata ``govreport.merged_parts``), so that a run cut between the
    merge and the removal of the parts never counts a part twice.  ``part_rows`` defaults to
    ``GOVREPORT_PARQUET_PART_ROWS`` from the environment, else 100,000."""

    def __init__(self, out: str, part_rows: int | None = None) -> None:
        self.pa, self.pq = _import_pyarrow()
        self.schema = parquet_schema()
        self.out = out
        self.tmp = out + ".partial"
        self.parts = out + ".parts"
        self.part_rows = part_rows or int(os.environ.get("GOVREPORT_PARQUET_PART_ROWS")
                                          or PART_ROWS)
        self.rows: list[tuple] = []
        self.seq = 0  # the last part committed (or merged)
        self.errors = _ErrorSidecar(out)
        self.done: set[Key] = set()
        self.failed: set[Key] = set()

    def _merged(self) -> int:
        """The last part ``out`` holds (0 when none or no ``out``)."""
        if not os.path.exists(self.out):
            return 0
        metadata = self._read(self.out, self.pq.read_schema).metadata or {}
        value = metadata.get(_MERGED, b"0")
        return int(value) if value.isdigit() else 0

    def _read(self, path: str, read: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        try:
            return read(path, *args, **kwargs)
        except OSError:
            raise
        except Exception as exc:  # pyarrow.ArrowInvalid: not Parquet, or damaged
            raise _foreign(path, f"cannot be read as Parquet ({exc})") from None

    def _part_files(self) -> list[tuple[int, str]]:
        if not os.path.isdir(self.parts):
            return []
        found = []
        for name in os.listdir(self.parts):
            match = _PART.fullmatch(name)
            if match:
                found.append((int(match.group(1)), os.path.join(self.parts, name)))
        return sorted(found)

    def scan(self, repair: bool) -> None:
        self.errors.scan(repair)
        self.failed = set(self.errors.done)
        self.done = set(self.failed)
        if repair and os.path.exists(self.tmp):
            os.remove(self.tmp)  # a merge cut short: its parts are all still there
        merged = self._merged()
        self.seq = merged
        sources = [self.out] if os.path.exists(self.out) else []
        if os.path.isdir(self.parts):
            for name in sorted(os.listdir(self.parts)):
                if name.endswith(".tmp") and repair:
                    path = os.path.join(self.parts, name)
                    size = os.path.getsize(path)
                    os.remove(path)
                    _warn(f"{path}: dropped a part an interrupted run did not finish "
                          f"({size:,} bytes); its files are parsed again")
        for seq, path in self._part_files():
            if seq <= merged:  # already in out: a run ended between the merge and the cleanup
                if repair:
                    os.remove(path)
                continue
            self.seq = max(self.seq, seq)
            sources.append(path)
        for path in sources:
            pairs = self._read(path, self.pq.read_table, columns=["source", "sha256"]).group_by(
                ["source", "sha256"]).aggregate([])
            self.done.update(zip(pairs.column("source").to_pylist(),
                                 (sha or None for sha in pairs.column("sha256").to_pylist()),
                                 strict=True))

    def open(self, append: bool) -> None:
        if not append:  # a new run: nothing of an earlier one is kept (as .jsonl and .csv)
            for path in (self.out, self.tmp):
                if os.path.exists(path):
                    os.remove(path)
            if os.path.isdir(self.parts):
                shutil.rmtree(self.parts)
            self.seq = 0
        self.errors.open(append)

    def write(self, record: dict[str, Any]) -> None:
        # Built whole before it joins the part: a signal while its rows are worked out must
        # not leave half a report to be committed by close().
        self.rows.extend(_new_cells(record, self.done, self.errors))
        if len(self.rows) >= self.part_rows:
            self._commit()

    def _table(self, rows: list[tuple]) -> Any:
        columns = list(zip(*rows, strict=True))
        at = self.schema.names.index("template")
        columns[at] = tuple(None if t is None else int(t) for t in columns[at])
        arrays = [self.pa.array(col, type=field.type) for col, field in
                  zip(columns, self.schema, strict=True)]
        return self.pa.Table.from_arrays(arrays, schema=self.schema)

    def _commit(self) -> None:
        """The rows so far as one part: whole or not there."""
        if not self.rows:
            return
        os.makedirs(self.parts, exist_ok=True)
        path = os.path.join(self.parts, f"part-{self.seq + 1:06d}.parquet")
        self.pq.write_table(self._table(self.rows), path + ".tmp")
        os.replace(path + ".tmp", path)
        self.seq += 1
        self.rows = []

    def _merge(self) -> None:
        """``out`` and the parts into one file that replaces ``out``, then the parts go."""
        parts = [path for seq, path in self._part_files() if seq > self._merged()]
        if parts or not os.path.exists(self.out):
            schema = self.schema.with_metadata({_MERGED: str(self.seq).encode()})
            writer = self.pq.ParquetWriter(self.tmp, schema)
            try:
                if os.path.exists(self.out):
                    old = self.pq.ParquetFile(self.out)
                    for i in range(old.num_row_groups):
                        writer.write_table(self._conform(old.read_row_group(i), schema))
                pending: list[Any] = []
                for path in parts:
                    pending.append(self._conform(self.pq.read_table(path), schema))
                    if sum(t.num_rows for t in pending) >= PART_ROWS:
                        writer.write_table(self.pa.concat_tables(pending))
                        pending = []
                if pending:
                    writer.write_table(self.pa.concat_tables(pending))
            finally:
                writer.close()
            os.replace(self.tmp, self.out)
        if os.path.isdir(self.parts):
            shutil.rmtree(self.parts)

    def _conform(self, table: Any, schema: Any) -> Any:
        """A table of an earlier version (without the quality columns, or with template as
        text) in this schema."""
        for field in schema:
            if field.name not in table.column_names:
                table = table.append_column(field, self.pa.nulls(table.num_rows, field.type))
        return table.select(schema.names).cast(schema)

    def close(self, complete: bool = True) -> None:
        try:
            self._commit()  # an interrupted run keeps what it parsed, as a part
            if complete:
                self._merge()
        finally:
            self.errors.close()


class WideCsvSink:
    """One row per parsed report: section 三's 总计 column for every row key."""

    def __init__(self, path: str) -> None:
        self.keys = wide_columns()
        self.file = _CsvFile(path, (*WIDE_META, *self.keys))
        self.failed: set[Key] = set()

    @property
    def done(self) -> set[Key]:
        return self.file.done

    def scan(self, repair: bool) -> None:
        self.file.scan(repair)

    def open(self, append: bool) -> None:
        self.file.open(append)

    def write(self, record: dict[str, Any]) -> None:
        if is_error(record) or record_key(record) in self.file.done:
            return
        rows = record["applications"]["rows"]
        total = record["applications"]["columns"].index("total")
        source = record["source"]
        self.file.write_rows([(
            source["path"], source["sha256"], record.get("agency") or "",
            "" if record.get("year") is None else record["year"], record.get("template") or "",
            *(_csv_value(rows[k][total]) if k in rows else "" for k in self.keys),
        )])

    def close(self, complete: bool = True) -> None:
        self.file.close()


class ReportsSink:
    """``<out>.reports.csv`` beside the cells: one row per file (``REPORT_COLUMNS``), its
    status (clean, warnings, errors, failed), error and warning counts and codes.  Keeps the
    agencies whose reports have errors, for the closing summary."""

    def __init__(self, out: str) -> None:
        self.file = _CsvFile(out + ".reports.csv", REPORT_COLUMNS)
        self.failed: set[Key] = set()
        self.with_errors: dict[str, int] = {}
        self.demanded = True  # a resumed run parses again a file the table lacks

    @property
    def done(self) -> set[Key]:
        return self.file.done

    def scan(self, repair: bool) -> None:
        self.file.scan(repair)
        self.with_errors = {}
        # An output of an earlier version has no reports table: its files are not parsed
        # again for it (the table then holds the files parsed from now on).
        self.demanded = os.path.exists(self.file.path)
        if not self.demanded:
            return
        with open(self.file.path, encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                if row.get("status") == "errors" and (row["source"], row["sha256"] or None) \
                        in self.file.done:
                    self._count(row["agency"] or None, row["source"])

    def _count(self, agency: str | None, path: str) -> None:
        name = agency or f"(no agency: {path})"
        self.with_errors[name] = self.with_errors.get(name, 0) + 1

    def open(self, append: bool) -> None:
        self.file.open(append)

    def write(self, record: dict[str, Any]) -> None:
        if record_key(record) in self.file.done:
            return
        summary = summarise(record)
        if summary.status == "errors":
            self._count(summary.agency, summary.source)
        self.file.write_rows([summary.row()])

    def close(self, complete: bool = True) -> None:
        self.file.close()


def _number(text: str) -> int | float | None:
    if text == "":
        return None
    return float(text) if any(c in text for c in ".eE") else int(text)


def iter_report_cells(out: str, fmt: str, quality: bool = True) -> Iterator[list[tuple]]:
    """Read back what a run wrote: per parsed report, its cells as ``cell_rows`` gives them
    (``LONG_COLUMNS`` and ``QUALITY_COLUMNS``; the quality columns empty in a file of an
    earlier version).  One report at a time, so a large output is never held whole.
    ``quality=False`` may leave out the quality columns (JSON Lines: not worked out)."""
    if not os.path.exists(out):
        return
    if fmt == "jsonl":
        with open(out, encoding="utf-8") as handle:
            for line in handle:
                try:
                    record = json.loads(line)
                except ValueError:
                    continue
                if isinstance(record, dict) and not is_error(record):
                    yield list(cell_rows(record) if quality else long_rows(record))
        return
    if fmt == "csv":
        yield from _grouped(_csv_cells(out))
        return
    _, pq = _import_pyarrow()
    names = [*LONG_COLUMNS, *QUALITY_COLUMNS]

    def cells() -> Iterator[tuple]:
        parquet = pq.ParquetFile(out)
        present = [n for n in names if n in parquet.schema_arrow.names]
        for batch in parquet.iter_batches(columns=present):
            columns = [batch.column(n).to_pylist() if n in present else [""] * batch.num_rows
                       for n in names]
            yield from zip(*columns, strict=True)

    yield from _grouped(cells())


def _csv_cells(out: str) -> Iterator[tuple]:
    with open(out, encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        header = next(reader, None)
        if header is None:
            return
        at = {name: i for i, name in enumerate(header)}
        for fields in reader:
            if len(fields) != len(header):
                continue
            year = fields[at["year"]]
            yield (fields[0], fields[1], fields[2] or None, int(year) if year else None,
                   fields[4] or None,
                   *fields[5:8], _number(fields[at["value"]]),
                   *(fields[at[n]] if n in at else "" for n in QUALITY_COLUMNS))


def _grouped(cells: Iterable[tuple]) -> Iterator[list[tuple]]:
    """Consecutive rows of one report (source, sha256) as one list."""
    group: list[tuple] = []
    for cell in cells:
        if group and cell[:2] != group[0][:2]:
            yield group
            group = []
        group.append(cell)
    if group:
        yield group


SINKS: dict[str, Callable[[str], Any]] = {
    "jsonl": JsonlSink, "csv": CsvSink, "parquet": ParquetSink,
}


def done_keys(out: str, fmt: str) -> set[Key]:
    """``(path, sha256)`` of the files an earlier run wrote whole (parsed or failed);
    ``sha256`` is None where the file could not be read.  A file is done only under its own
    path: a copy with the same bytes under another name is not.  Nothing is changed: a
    record cut by an interrupted run is left out, not dropped."""
    sink = SINKS[fmt](out)
    sink.scan(repair=False)
    keys = set(sink.done)
    keys.discard(("", None))
    return keys


def done_hashes(out: str, fmt: str) -> set[str]:
    """SHA-256 of the files an earlier run already wrote (parsed or failed)."""
    return {sha for _, sha in done_keys(out, fmt) if sha}
