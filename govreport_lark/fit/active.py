"""Section 二: from parsed 第二十条 items to ``ActiveItem`` tables, by template."""

from __future__ import annotations

import re
from functools import cache

from lark import Tree

from govreport_lark.fit.fitting import Fit, fit_row
from govreport_lark.fit.order import KEEP, Order, item_order
from govreport_lark.grammar.cells import Tok, to_cell, to_cells
from govreport_lark.grammar.rows import ParsedGroup, ParsedRow, row_parser
from govreport_lark.locate.feed import Feed
from govreport_lark.model import ActiveItem, Cell, Diagnostic

# The contract's keys (output-contract.md, `active_disclosure`): item -> rows, columns.
ITEMS: dict[str, dict[str, tuple[tuple[str, ...], tuple[str, ...]]]] = {
    "2019": {
        "art20_1": (("rules", "normative_documents"), ("new_made", "new_published", "total_published")),
        "art20_5": (("administrative_license", "other_services"), ("prev_year_items", "change", "decisions")),
        "art20_6": (("administrative_penalty", "administrative_coercion"), ("prev_year_items", "change", "decisions")),
        "art20_8": (("administrative_fees",), ("prev_year_items", "change")),
        "art20_9": (("centralized_procurement",), ("projects", "amount_wan_yuan")),
    },
    "2021": {
        "art20_1": (("rules", "normative_documents"), ("issued", "repealed", "in_force")),
        "art20_5": (("administrative_license",), ("decisions",)),
        "art20_6": (("administrative_penalty", "administrative_coercion"), ("decisions",)),
        "art20_8": (("administrative_fees",), ("amount_wan_yuan",)),
    },
}

# Column labels (terminal names in active_disclosure.lark) that only one template prints.
# 处理决定数量 is not among them: it is also the tail of 2021's 本年处理决定数量, which a
# header broken over lines cuts there ("本年" / "处理" / "决定" / "数量").
COLUMNS_2019 = frozenset(
    {"COL_NEW_MADE", "COL_NEW_PUBLISHED", "COL_TOTAL_PUBLISHED", "COL_PREV_YEAR_ITEMS",
     "COL_CHANGE", "COL_PROJECTS", "COL_AMOUNT"}
)
COLUMNS_2021 = frozenset(
    {"COL_ISSUED", "COL_REPEALED", "COL_IN_FORCE", "COL_DECISIONS_2021", "COL_FEE_AMOUNT"}
)

_GLOSS = re.compile(r"[(（].*$")
# A unit printed in an item's header or caption: 本年收费金额（单位：万元）, （单位：元）,
# 采购总金额（元）.
_HEADER_UNIT = re.compile(r"单位\s*:\s*([^\s():]{1,4}?)\s*\)|\(\s*([十百千万亿]{0,2}元)\s*\)")


def _header_unit(group: ParsedGroup, feed: Feed) -> str | None:
    """The unit the item's caption or header names, between its caption and its first row."""
    start = group.caption.start_pos if group.caption is not None else None
    labels = [r.label.start_pos for r in group.rows if r.label is not None]
    if start is None or not labels or min(labels) <= start:
        return None
    match = _HEADER_UNIT.search(feed.text, start, min(labels))
    return (match.group(1) or match.group(2)) if match else None


def items(tree: Tree | None) -> list[ParsedGroup]:
    if tree is None:
        return []
    return [c for c in tree.children if isinstance(c, ParsedGroup)]


def template_votes(groups: list[ParsedGroup]) -> tuple[int, int]:
    """(2019 signals, 2021 signals) from the column labels and the （九） item."""
    v2019 = v2021 = 0
    for group in groups:
        for token in group.columns:
            v2019 += token.type in COLUMNS_2019
            v2021 += token.type in COLUMNS_2021
        v2019 += 2 * (group.key == "item_9")
    return v2019, v2021


def _row_cells(row: ParsedRow, columns: tuple[str, ...], item: str, template: str, feed: Feed,
               diag, unit: str | None = None, order: Order = KEEP) -> dict[str, Cell]:
    fit = fit_row(row.cells, len(columns))
    if order.perm is not None:  # all cells printed, each under its heading; else no guess
        placed = fit.how in ("exact", "positional") and fit.slots is not None
        fit = Fit(order.place(fit.slots), fit.how) if placed else Fit(None, "unresolved")
    pos = row.label.start_pos if row.label is not None else None
    if fit.slots is None:
        printed = " ".join(t.text for t in row.cells if t.is_value) or "nothing"
        diag("ROW_UNRESOLVED", "error",
             f"{item} row {row.key} prints {printed} for {len(columns)} cells "
             f"({', '.join(columns)}); no single reading exists, its cells are left null",
             row.key, pos, responsibility="parser",
             params={"printed": [t.text for t in row.cells if t.is_value], "cells": len(columns)})
    slots: list[Tok | None] = fit.slots or [None] * len(columns)
    if fit.how == "spurious":
        diag("ROW_CELL_COUNT", "warning",
             f"{item} row {row.key} prints more numbers than its {len(columns)} cells; "
             f"{' '.join(t.text for t in fit.dropped)} left out", row.key, pos,
             responsibility="parser", params={"how": "spurious", "cells": len(columns),
                                              "dropped": [t.text for t in fit.dropped]})
    elif fit.how == "split":
        diag("DIGITS_RUN_TOGETHER", "warning",
             f"{item} row {row.key}: digits run together were split into "
             f"{' '.join(t.text for t in slots if t)}", row.key, pos, responsibility="parser",
             params={"printed": [t.text for t in row.cells if t.is_value],
                     "split": [t.text for t in slots if t]})
    # A row without an amount is made by ``to_cells``: the cells ``to_cell`` makes, the
    # line of a row on one line looked up once, not once a cell.
    cells = (to_cells(slots, feed) if "amount_wan_yuan" not in columns else
             [to_cell(tok, feed, money=column == "amount_wan_yuan", unit=unit)
              for column, tok in zip(columns, slots)])
    out: dict[str, Cell] = {}
    for column, cell in zip(columns, cells):
        if fit.placed:
            cell.placed = cell.value is not None
        out[column] = cell
    return out


def _item(group: ParsedGroup) -> str:
    return "art20_" + group.key.split("_")[1]


def _printed(group: ParsedGroup) -> list[str]:
    return [t.text for r in group.rows for t in r.cells if t.is_value]


def _kept_groups(groups: list[ParsedGroup]) -> dict[str, ParsedGroup]:
    """The copy of each item that is used: the first that prints any value (a caption
    repeated at a page break, or printed twice, has an empty copy), else the first."""
    kept: dict[str, ParsedGroup] = {}
    for group in groups:
        item = _item(group)
        if item not in kept or (not _printed(kept[item]) and _printed(group)):
            kept[item] = group
    return kept


@cache
def _row_label(key: str) -> re.Pattern[str]:
    """The grammar's terminal for a row of section 二 (rule ``rules`` → ``RULES``)."""
    return re.compile(row_parser("active_disclosure").get_terminal(key.upper()).pattern.to_regexp())


def _rejoin_wrapped_labels(found: list[ParsedRow], keys: tuple[str, ...], diag) -> list[ParsedRow]:
    """A label cut by a page break with its tail printed after the values ("行政规 7 5 63" /
    "- 1 -" / "范性文件") parses as an unknown row followed by a line of text.  When the two
    parts together are the label of a row the item is missing, the row is read as that row."""
    printed = {r.key for r in found if any(t.is_value for t in r.cells)}
    out: list[ParsedRow | None] = list(found)
    for i, (row, tail) in enumerate(zip(found, found[1:])):
        if (row.key != "extra" or row.label is None or tail.label is None
                or not any(t.is_value for t in row.cells) or any(t.is_value for t in tail.cells)):
            continue
        # The tail may itself read as a label ("规范性文件" after "行政 7 4 58").
        if tail.key != "extra" and tail.key in printed:
            continue
        joined = str(row.label) + str(tail.label)
        fits = [k for k in keys if k not in printed and _row_label(k).match(joined)]
        if len(fits) == 1:
            out[i], out[i + 1] = ParsedRow(fits[0], row.label, row.cells), None
            printed.add(fits[0])
            # A warning: the values are given to a row its printed label alone does not name.
            diag("LABEL_REJOINED", "warning",
                 f"the label {str(row.label)!r} was cut by a page break and goes on after its "
                 f"values as {str(tail.label)!r}; together they are row {fits[0]}, whose cells "
                 "these values were read as", fits[0], row.label.start_pos,
                 responsibility="parser")
    return [r for r in out if r is not None]


def build(groups: list[ParsedGroup], template: str, feed: Feed) -> tuple[dict[str, ActiveItem], list[Diagnostic]]:
    diags: list[Diagnostic] = []

    def diag(code: str, severity: str, message: str, row: str | None, pos: int | None, **kw) -> None:
        src, page = feed.where(pos)
        diags.append(Diagnostic(code, severity, message, section="二", row=row,
                                line=src, page=page, **kw))

    layout = ITEMS[template]
    out: dict[str, ActiveItem] = {}
    kept = _kept_groups(groups)
    for group in groups:
        item = _item(group)
        pos = group.caption.start_pos if group.caption is not None else None
        values = _printed(group)
        if item not in layout:
            diag("TEMPLATE_MIXED", "warning",
                 f"第二十条 item {item} is not part of the {template} template; its values "
                 f"({' '.join(values) or 'none'}) were not assigned", None, pos,
                 responsibility="report",
                 params={"item": item, "template": template, "printed": values})
            continue
        if kept[item] is not group:
            if values:
                diag("DUPLICATE_TABLE", "warning",
                     f"{item} is printed more than once; another copy is kept and the values of "
                     f"this one ({' '.join(values)}) were not assigned", None, pos,
                     responsibility="report")
            else:
                diag("DUPLICATE_TABLE", "info",
                     f"{item}'s caption is printed again with no values; it was skipped",
                     None, pos, responsibility="report")
            continue
        rows, columns = layout[item]
        table = ActiveItem()
        unit = _header_unit(group, feed)
        cells = [t for r in group.rows for t in r.cells]
        order = item_order(group.columns, columns, feed, cells[0].pos if cells else None)
        if order.perm is not None:
            diag("COLUMNS_REORDERED", "info",
                 f"section 二 {item} prints its columns in another order ({order.words}); each "
                 "value was read under its own heading", None, pos,
                 params={"item": item, "order": order.words})
        for row in _rejoin_wrapped_labels(group.rows, rows, diag):
            label_pos = row.label.start_pos if row.label is not None else None
            printed = [t.text for t in row.cells if t.is_value]
            if row.key in rows and row.key not in table.rows:
                table.rows[row.key] = _row_cells(row, columns, item, template, feed, diag, unit,
                                                 order)
            elif row.key in rows:
                if printed:
                    diag("DUPLICATE_ROW", "warning",
                         f"{item} row {row.key} is printed again; the first is kept and the "
                         f"values of this one ({' '.join(printed)}) were not assigned",
                         row.key, label_pos, responsibility="report")
            elif printed:  # a line of text with no values is not a row
                label = _GLOSS.sub("", str(row.label)).strip() if row.label is not None else row.key
                if label in table.extra:
                    diag("DUPLICATE_ROW", "warning",
                         f"{item} row {label!r} is printed again; the first is kept and the "
                         f"values of this one ({' '.join(printed)}) were not assigned",
                         label, label_pos, responsibility="report")
                    continue
                table.extra[label] = _row_cells(row, columns, item, template, feed, diag, unit, order)
                diag("EXTRA_ROW", "info",
                     f"{item}: row {label!r} is not in the {template} template; kept under extra",
                     label, label_pos,
                     params={"item": item, "label": label, "printed": printed, "kept": True})
        for key in rows:
            if key not in table.rows:
                table.rows[key] = {c: Cell() for c in columns}
                diag("MISSING_ROW", "warning", f"{item} row {key} is not printed; its cells are null",
                     key, pos, responsibility="report", params={"item": item, "inferred": False})
        out[item] = table
    for item, (rows, columns) in layout.items():
        if item not in out:
            out[item] = ActiveItem(rows={key: {c: Cell() for c in columns} for key in rows})
            diag("MISSING_TABLE", "error",
                 f"第二十条 item {item} is not printed; its cells are null", None, None,
                 responsibility="report", params={"item": item})
    return out, diags
