"""How far each cell of a parse can be trusted: its status and the codes of the diagnostics
that touch it, and a report's one-row summary (the batch's reports table).

Works on contract dicts only, so a batch's records and ``to_dataframe`` agree."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

# Section of a diagnostic -> table of the long format.
SECTION_TABLE = {"二": "active_disclosure", "三": "applications", "四": "review_litigation"}

# A number in a row one of these names rests on the template's arithmetic, not on print
# alone: filled from it (MISSING_ROW, MISSING_TABLE, ROW_CELL_COUNT) or cut by it
# (DIGITS_RUN_TOGETHER).
INFERRING = frozenset({"ROW_CELL_COUNT", "MISSING_ROW", "MISSING_TABLE", "DIGITS_RUN_TOGETHER"})

STATUSES = ("printed", "blank", "inferred", "unresolved")

REPORT_COLUMNS = ("source", "sha256", "agency", "year", "template", "status", "errors",
                  "warnings", "codes")


def _row_name(table: str, row: str) -> str:
    """Section 二's long rows are ``item.row`` (``art20_1.rules``) or ``item.extra.label``;
    its diagnostics name the row alone."""
    if table == "active_disclosure":
        parts = row.split(".", 2)
        return parts[-1] if len(parts) > 1 else row
    return row


class CellIndex:
    """The diagnostics of one report by the cells they touch: section + row + column, or
    section + row when a diagnostic names no column.  One naming no row touches no cell."""

    def __init__(self, diagnostics: Iterable[dict[str, Any]]) -> None:
        self.cells: dict[tuple[str, str, str], list[dict[str, Any]]] = defaultdict(list)
        self.rows: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
        for d in diagnostics:
            table = SECTION_TABLE.get(d.get("section") or "")
            row = d.get("row")
            if table is None or not row:
                continue
            column = d.get("column")
            if column:
                self.cells[(table, row, column)].append(d)
            else:
                self.rows[(table, row)].append(d)

    def touching(self, table: str, row: str, column: str) -> list[dict[str, Any]]:
        name = _row_name(table, row)
        return self.rows.get((table, name), []) + self.cells.get((table, name, column), [])


def cell_status(value: Any, touching: list[dict[str, Any]],
                flags: dict[str, Any] | None = None) -> str:
    """``printed``, ``blank``, ``inferred`` or ``unresolved`` (null where a warning or error
    names the cell: a value the parser could not place, not a blank the report printed).

    ``flags`` is the cell's own provenance (``inferred``, ``placed``) where the record
    carries it: exact.  Without it a number counts as inferred when a diagnostic of the
    arithmetic names its row, which marks a row's printed cells too."""
    serious = [d for d in touching if d.get("severity") in ("warning", "error")]
    if value is None:
        return "unresolved" if serious else "blank"
    if flags is not None:
        return "inferred" if flags.get("inferred") or flags.get("placed") else "printed"
    if any(d.get("code") in INFERRING for d in serious):
        return "inferred"
    return "printed"


def cell_flags(provenance: dict[str, Any] | None, table: str, row: str, column: str,
               columns: list[str] | None = None) -> dict[str, Any] | None:
    """One cell's provenance in a record's ``provenance`` (None when the record has none):
    ``row`` and ``column`` as the long format names them (section 二 ``item.row`` or
    ``item.extra.label``; section 三 by the position of ``column`` in ``columns``)."""
    if not provenance:
        return None
    try:
        if table == "active_disclosure":
            item, _, key = row.partition(".")
            if key.startswith("extra."):
                key = key[len("extra."):]
            return provenance[table][item][key][column]
        if table == "applications":
            return provenance[table][row][(columns or []).index(column)]
        return provenance[table][row][column]
    except (KeyError, IndexError, ValueError, TypeError):
        return None


def codes_of(diagnostics: Iterable[dict[str, Any]]) -> str:
    """The distinct codes, sorted, joined by ``|`` (empty for none)."""
    return "|".join(sorted({d["code"] for d in diagnostics if d.get("code")}))


@dataclass(frozen=True)
class ReportSummary:
    source: str
    sha256: str | None
    agency: str | None
    year: int | None
    template: str | None
    status: str  # clean, warnings, errors or failed (the file gave no parse)
    errors: int
    warnings: int
    codes: str

    def row(self) -> tuple[Any, ...]:
        return tuple(getattr(self, name) for name in REPORT_COLUMNS)


def summarise(record: dict[str, Any]) -> ReportSummary:
    """One report's row of the reports table; a failed file's codes are its error code."""
    source = record["source"]
    if "error" in record:
        return ReportSummary(source["path"], source.get("sha256"), None, None, None, "failed",
                             1, 0, record["error"]["code"])
    diagnostics = record.get("diagnostics") or []
    errors = sum(d.get("severity") == "error" for d in diagnostics)
    warnings = sum(d.get("severity") == "warning" for d in diagnostics)
    status = "errors" if errors else "warnings" if warnings else "clean"
    return ReportSummary(source["path"], source.get("sha256"), record.get("agency"),
                         record.get("year"), record.get("template"), status, errors, warnings,
                         codes_of(diagnostics))
