"""Where a batch writes: JSON Lines, long CSV, Parquet and the wide CSV, and what a
resumed run has done already."""

from __future__ import annotations

import csv
import json
import os
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
