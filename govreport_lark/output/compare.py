"""Comparing a parse with a hand-checked expected file, cell by cell.

An expected ``null`` where the report printed fewer numbers than cells may come back as
a value, provided a diagnostic names that row and the value is one the row's arithmetic
allows (output-contract.md, "Seeds").  Anything else must match exactly.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

FIELDS = ("title", "agency", "year", "template", "published")


@dataclass
class Comparison:
    cells: int = 0
    right: int = 0
    differences: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.differences


def _flagged(actual: dict[str, Any], section: str, row: str) -> bool:
    """A warning or error names the row (an info, such as COLUMNS_REORDERED, describes the
    table and lets no blank come back as a number)."""
    return any(
        d.get("section") == section and (d.get("row") in (row, None) or section == "四")
        and d["code"] != "SUM_MISMATCH" and d.get("severity") != "info"
        for d in actual.get("diagnostics", [])
    )


def _cell(result: Comparison, where: str, want: Any, got: Any, flagged: bool) -> None:
    result.cells += 1
    if want == got or (want is None and got is not None and flagged):
        result.right += 1
    else:
        result.differences.append(f"{where}: expected {want!r}, got {got!r}")


def compare(actual: dict[str, Any], expected: dict[str, Any]) -> Comparison:
    result = Comparison()
    for key in FIELDS:
        if key in expected and expected[key] != actual.get(key):
            result.differences.append(f"{key}: expected {expected[key]!r}, got {actual.get(key)!r}")
    for item, rows in expected.get("active_disclosure", {}).items():
        got_item = actual.get("active_disclosure", {}).get(item, {})
        for row, cells in rows.items():
            if row == "extra":
                for label, extra in cells.items():
                    got = got_item.get("extra", {}).get(label, {})
                    for column, want in extra.items():
                        _cell(result, f"{item}.extra.{label}.{column}", want, got.get(column),
                              _flagged(actual, "二", label))
                continue
            got = got_item.get(row, {})
            for column, want in cells.items():
                _cell(result, f"{item}.{row}.{column}", want, got.get(column),
                      _flagged(actual, "二", row))
    got_rows = actual.get("applications", {}).get("rows", {})
    for row, cells in expected.get("applications", {}).get("rows", {}).items():
        got = got_rows.get(row, [None] * len(cells))
        for index, want in enumerate(cells):
            _cell(result, f"applications.{row}[{index}]", want,
                  got[index] if index < len(got) else None, _flagged(actual, "三", row))
    for group, cells in expected.get("review_litigation", {}).items():
        got = actual.get("review_litigation", {}).get(group, {})
        for name, want in cells.items():
            _cell(result, f"review_litigation.{group}.{name}", want, got.get(name),
                  _flagged(actual, "四", group))
    return result
