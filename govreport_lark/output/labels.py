"""The template's own words for sections, rows and columns, as findings name them.

Every label comes from the data dictionary (``schema/dictionary.tsv``, the source of
``govreport dictionary``), so a wording is fixed in one place.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from govreport_lark.model import APPLICANT_COLUMNS
from govreport_lark.output.dictionary import entries

_NARRATIVE = {"一": "overview", "五": "problems", "六": "other_matters"}
_TABLE = {"二": "active_disclosure", "三": "applications", "四": "review_litigation"}


@dataclass(frozen=True)
class Labels:
    sections: dict[str, str]  # 三 -> 表三 收到和处理政府信息公开申请情况
    rows: dict[tuple[str, str], str]  # (三, denied.third_party_rights) -> （三）不予公开 4.保护…
    columns: dict[tuple[str, str], str]  # (三, natural_person) -> 自然人
    cells: dict[tuple[str, str, str], str]  # (二, rules, issued) -> 规章·本年制发件数
    items: dict[str, str]  # art20_1 -> 第二十条第（一）项
    item_of_row: dict[str, str]  # rules -> art20_1 (row keys of 二 are unique across items)


@cache
def labels(template: str | None = None) -> Labels:
    """The labels of one template ("2019", "2021"), the other's where it has none (a row of
    the other template printed by mistake is named too); ``None`` prefers 2021."""
    first = template or "2021"
    chosen: dict[str, object] = {}
    for e in entries():
        if e.key not in chosen or e.template in (first, "both"):
            chosen[e.key] = e
    sections, rows, columns, cells, items, item_of_row = {}, {}, {}, {}, {}, {}
    for key, e in chosen.items():
        parts = key.split(".")
        if key in _TABLE.values():
            section = next(s for s, k in _TABLE.items() if k == key)
            sections[section] = f"{e.item} {e.label}"
        elif parts[0] == "narrative" and len(parts) == 2:
            section = next((s for s, k in _NARRATIVE.items() if k == parts[1]), None)
            if section:
                sections[section] = f"{section}、{e.label}"
        elif key.startswith("applications.rows."):
            rows[("三", key[len("applications.rows."):])] = e.label
        elif key.startswith("applications.columns["):
            columns[("三", APPLICANT_COLUMNS[int(key[-2])])] = e.label
        elif parts[0] == "review_litigation" and len(parts) == 3:
            group, field = parts[1:]
            *where, column = e.label.split("·")
            rows[("四", group)] = "·".join(where)
            columns[("四", field)] = column
            cells[("四", group, field)] = e.label
        elif parts[0] == "active_disclosure" and len(parts) == 4 and e.label:
            item, row, column = parts[1:]
            row_label, _, column_label = e.label.partition("·")
            items[item] = e.item.split(" ")[-1]
            item_of_row[row] = item
            rows[("二", row)] = row_label
            columns[("二", column)] = column_label
            cells[("二", row, column)] = e.label
    return Labels(sections, rows, columns, cells, items, item_of_row)


def section_label(section: str | None, template: str | None = None) -> str:
    if section is None:
        return ""
    return labels(template).sections.get(section, section)


def row_label(section: str | None, row: str | None, template: str | None = None) -> str:
    """A row as the template prints it, its ordinal included; section 二's with its item;
    a sum of rows ("new_received+carried_over") or a group ("denied.*") in words; a label
    the template does not have (an extra row) as printed, in quotes."""
    if not row:
        return ""
    table = labels(template)
    if "+" in row:
        return "＋".join(row_label(section, r, template) for r in row.split("+"))
    if row.endswith(".*"):
        first = next((label for (s, key), label in table.rows.items()
                      if s == section and key.startswith(row[:-1])), None)
        return first.split(" ")[0] if first else row
    label = table.rows.get((section or "", row))
    if label is None:
        return f"“{row}”"
    if section == "二":
        item = table.items.get(table.item_of_row.get(row, ""), "")
        return f"{item} {label}".strip()
    return label


def column_label(section: str | None, column: str | None, template: str | None = None) -> str:
    if not column:
        return ""
    return labels(template).columns.get((section or "", column), column)


def cell_label(section: str | None, row: str | None, column: str | None,
               template: str | None = None) -> str:
    """Row and column together: "（七）总计·自然人", "行政复议·总计"."""
    if section == "四" and row and column:
        label = labels(template).cells.get((section, row, column))
        if label:
            return label
    return "·".join(p for p in (row_label(section, row, template),
                                column_label(section, column, template)) if p)
