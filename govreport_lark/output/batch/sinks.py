"""Where a batch writes: JSON Lines, long CSV, Parquet and the wide CSV, and what a
resumed run has done already."""

from __future__ import annotations

import csv
import json
import os
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any

from .files import BatchError
from .run import is_error

TABLES = ("active_disclosure", "applications", "review_litigation")


LONG_COLUMNS = ("source", "sha256", "agency", "year", "template", "table", "row", "column",
                "value")


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
            print(f"govreport batch: {out}: dropped line {line}, a record cut by an "
                  f"interrupted run ({len(tail):,} bytes); its file is parsed again",
                  file=sys.stderr)
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


class JsonlSink:
    def __init__(self, out: str, append: bool):
        if append:
            drop_torn_tail(out)
        self.handle = open(out, "a" if append else "w", encoding="utf-8")

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


def done_keys(out: str, fmt: str) -> set[tuple[str, str | None]]:
    """``(path, sha256)`` of the files an earlier run already wrote (parsed or failed);
    ``sha256`` is None where the file could not be read.  A file is done only under its own
    path: a copy with the same bytes under another name is not."""
    keys: set[tuple[str, str | None]] = set()

    def from_csv(path: str) -> None:
        if os.path.exists(path):
            # errors="replace": a last row cut inside a character names no file that exists
            with open(path, encoding="utf-8", errors="replace", newline="") as handle:
                keys.update((row.get("source") or "", row.get("sha256") or None)
                            for row in csv.DictReader(handle))

    if fmt == "jsonl" and os.path.exists(out):
        with open(out, "rb") as handle:
            for line in handle:
                try:
                    source = json.loads(line)["source"]
                    keys.add((source["path"], source["sha256"] or None))
                except (ValueError, KeyError, TypeError):
                    continue  # a line cut by an interrupted run (even inside a character)
    elif fmt == "csv":
        from_csv(out)
        from_csv(out + ".errors.csv")
    elif fmt == "parquet":
        if os.path.exists(out):
            _, pq = _import_pyarrow()
            pairs = pq.read_table(out, columns=["source", "sha256"]).group_by(
                ["source", "sha256"]).aggregate([])
            keys.update(zip(pairs.column("source").to_pylist(),
                            pairs.column("sha256").to_pylist(), strict=True))
        from_csv(out + ".errors.csv")
    keys.discard(("", None))
    return keys


def done_hashes(out: str, fmt: str) -> set[str]:
    """SHA-256 of the files an earlier run already wrote (parsed or failed)."""
    return {sha for _, sha in done_keys(out, fmt) if sha}
