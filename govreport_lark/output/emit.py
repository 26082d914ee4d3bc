"""A ``Report`` as the JSON object of the output contract (output-contract.md)."""

from __future__ import annotations

import json
from typing import Any

from govreport_lark.model import APPLICANT_COLUMNS, ActiveItem, Cell, Report


def _value(cell: Cell) -> Any:
    return cell.value


def _active(items: dict[str, ActiveItem], template: str | None, provenance: bool) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for item, table in items.items():
        rows: dict[str, Any] = {}
        for key, cells in table.rows.items():
            rows[key] = _row(cells, item, template)
        if table.extra:
            rows["extra"] = {label: _row(cells, item, template) for label, cells in table.extra.items()}
        out[item] = rows
    return out


def _row(cells: dict[str, Cell], item: str, template: str | None) -> dict[str, Any]:
    row = {column: _value(cell) for column, cell in cells.items()}
    money = cells.get("amount_wan_yuan")
    # 2019 采购总金额 has no unit in the template: keep what was printed; a 2021 收费金额 is in
    # 万元 by its header, so its text is kept only when it was read in another unit (its own,
    # ¥, or its header's).
    if money is not None and money.raw is not None:
        plain = money.unit == "万元" and not money.raw.lstrip().startswith(("¥", "￥"))
        if item == "art20_9" or money.unit is not None and not plain:
            row["amount_raw"] = money.raw
    return row


def _applications(report: Report) -> dict[str, Any]:
    table = report.applications
    out: dict[str, Any] = {
        "columns": list(APPLICANT_COLUMNS),
        "rows": {key: [_value(c) for c in cells] for key, cells in table.rows.items()},
    }
    if table.extra:  # present only when the report prints a row the template lacks
        out["extra"] = {label: [_value(c) for c in cells] for label, cells in table.extra.items()}
    return out


def _provenance(report: Report) -> dict[str, Any]:
    def cell(c: Cell) -> dict[str, Any]:
        return c.provenance()

    return {
        "active_disclosure": {
            item: {key: {col: cell(c) for col, c in cells.items()}
                   for key, cells in {**table.rows, **table.extra}.items()}
            for item, table in report.active_disclosure.items()
        },
        "applications": {key: [cell(c) for c in cells]
                         for key, cells in {**report.applications.rows,
                                            **report.applications.extra}.items()},
        "review_litigation": {group: {f: cell(c) for f, c in cells.items()}
                              for group, cells in report.review_litigation.groups.items()},
    }


def report_to_dict(report: Report, *, provenance: bool = False) -> dict[str, Any]:
    out: dict[str, Any] = {
        "schema": report.schema,
        "source": {"path": report.source.path, "sha256": report.source.sha256,
                   "format": report.source.format},
        "title": report.title,
        "agency": report.agency,
        "year": report.year,
        "template": report.template,
        "published": report.published,
        "active_disclosure": _active(report.active_disclosure, report.template, provenance),
        "applications": _applications(report),
        "review_litigation": {
            group: {f: _value(c) for f, c in cells.items()}
            for group, cells in report.review_litigation.groups.items()
        },
        "narrative": report.narrative,
        "diagnostics": [d.to_dict() for d in report.diagnostics],
    }
    if provenance:
        out["provenance"] = _provenance(report)
    return out


def to_json(report: Report, *, provenance: bool = False, indent: int | None = 2) -> str:
    return json.dumps(report_to_dict(report, provenance=provenance), ensure_ascii=False, indent=indent)
