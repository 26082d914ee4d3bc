"""Section 四: fifteen values in three groups, 行政复议 / 未经复议直接起诉 / 复议后起诉."""

from __future__ import annotations

from lark import Token, Tree

from govreport_lark.fit.fitting import Fit, SumRule, fit_row
from govreport_lark.fit.order import Order, group_order, review_order
from govreport_lark.grammar.cells import Tok, shown, to_cells
from govreport_lark.locate.feed import Feed
from govreport_lark.model import REVIEW_FIELDS, REVIEW_GROUPS, Cell, Diagnostic, ReviewLitigation

WIDTH = len(REVIEW_GROUPS) * len(REVIEW_FIELDS)
# 总计 = 结果维持 + 结果纠正 + 其他结果 + 尚未审结, for each group.
RULES = tuple(SumRule(g * 5 + 4, (g * 5, g * 5 + 1, g * 5 + 2, g * 5 + 3)) for g in range(3))
GROUP_RULES = (SumRule(4, (0, 1, 2, 3)),)

# A small table's heading names its group (template.md §2.5; real report 002 prints three).
_GROUP_OF = {
    "LITIGATION_DIRECT": "litigation_direct",
    "LITIGATION_AFTER_REVIEW": "litigation_after_review",
}


def empty() -> ReviewLitigation:
    return ReviewLitigation({g: {f: Cell() for f in REVIEW_FIELDS} for g in REVIEW_GROUPS})


def _parts(tree: Tree | None) -> list[tuple[list[Token], list[Tok]]]:
    if tree is None:
        return []
    parts: list[tuple[list[Token], list[Tok]]] = []
    heading: list[Token] = []
    for child in tree.children:
        if child and all(isinstance(c, Tok) for c in child):
            parts.append((heading, child))
            heading = []
        else:
            heading = list(child)
    return parts


def _group_of(heading: list[Token]) -> str | None:
    named = {_GROUP_OF[t.type] for t in heading if t.type in _GROUP_OF}
    if len(named) == 1:
        return named.pop()
    if any(t.type == "REVIEW" for t in heading) and not any(t.type == "LITIGATION" for t in heading):
        return "review"
    return None


def build(tree: Tree | None, feed: Feed) -> tuple[ReviewLitigation, list[Diagnostic]]:
    diags: list[Diagnostic] = []
    parts = _parts(tree)
    table = empty()

    def diag(code: str, severity: str, message: str, pos: int | None, **kw) -> None:
        src, page = feed.where(pos)
        diags.append(Diagnostic(code, severity, message, section="四", line=src, page=page,
                                **kw))

    if not parts:
        diag("MISSING_TABLE", "error", "section 四 prints no table of 行政复议 and 行政诉讼 values",
             None, responsibility="report", params={"item": "四"})
        return table, diags

    groups = [_group_of(h) for h, _ in parts]
    if len(parts) == 3 and len(set(groups)) == 3 and None not in groups:
        for group, (heading, cells) in zip(groups, parts):
            order = group_order(heading, feed, cells[0].pos if cells else None)
            fit = _ordered(fit_row(cells, 5, GROUP_RULES if order.perm is None else ()), order)
            if order.perm is not None:
                diag("COLUMNS_REORDERED", "info",
                     f"section 四 group {group} prints its results in another order "
                     f"({order.words}); each value was read under its own heading",
                     cells[0].pos if cells else None, row=group, params={"order": order.words})
            _place(table, group, fit, cells, feed, diag)
        return table, diags

    tokens = [t for _, cells in parts for t in cells]
    order = review_order([t for heading, _ in parts for t in heading], feed,
                         tokens[0].pos if tokens else None)
    if order.unreadable:
        diag("COLUMNS_UNREADABLE", "error",
             f"section 四: the header ({order.words}) is in another order than the template's, "
             f"but {order.why}; which value belongs to which column cannot be told, so the "
             "table's cells are null",
             tokens[0].pos if tokens else None, responsibility="parser",
             params={"order": order.words, "why": order.why})
        return table, diags
    if order.perm is not None:
        diag("COLUMNS_REORDERED", "info",
             f"section 四: the table prints its groups or results in another order "
             f"({order.words}); each value was read under its own heading",
             tokens[0].pos if tokens else None, params={"order": order.words})
    fit = _ordered(fit_row(tokens, WIDTH, RULES if order.perm is None else ()), order)
    printed = " ".join(shown(t.text) for t in tokens if t.is_value)
    pos = tokens[0].pos if tokens else None
    n = sum(1 for t in tokens if t.is_value)
    if fit.slots is None:
        diag("ROW_UNRESOLVED", "error",
             f"section 四 prints {n} values ({printed}) for {WIDTH} cells and no single reading "
             "fits the template's arithmetic; its cells are left null", pos,
             responsibility="parser",
             params={"printed": [shown(t.text) for t in tokens if t.is_value], "cells": WIDTH})
        return table, diags
    if fit.how == "spurious":
        diag("ROW_CELL_COUNT", "warning",
             f"section 四 prints {n} values for {WIDTH} cells; the spurious "
             f"{' '.join(t.text for t in fit.dropped)} was dropped (every reading that keeps the "
             "groups' totals gives the same values)", pos, responsibility="parser",
             params={"how": "spurious", "cells": WIDTH, "dropped": [t.text for t in fit.dropped]})
    elif fit.how == "inferred":
        for index in [i for i, t in enumerate(fit.slots) if t is None]:
            group, field = REVIEW_GROUPS[index // 5], REVIEW_FIELDS[index % 5]
            what = (f"inferred as {fit.inferred[index]} from the group's total"
                    if index in fit.inferred else "left blank")
            diag("ROW_CELL_COUNT", "warning",
                 f"section 四 prints {n} values for {WIDTH} cells; {group}.{field} {what}", pos,
                 row=group, column=field, responsibility="parser",
                 params={"how": "inferred", "value": fit.inferred[index], "count": n,
                         "cells": WIDTH} if index in fit.inferred
                 else {"how": "blank", "count": n, "cells": WIDTH})
    elif fit.how == "split":
        diag("DIGITS_RUN_TOGETHER", "warning",
             f"section 四 prints its values run together ({printed}); the only split that keeps "
             "the groups' totals was used", pos, responsibility="parser",
             params={"printed": [shown(t.text) for t in tokens if t.is_value],
                     "split": [t.text for t in fit.slots if t is not None]})
    # ``to_cells``: the cells ``to_cell`` makes, the line of a row on one line looked up once.
    for index, cell in enumerate(to_cells(fit.slots, feed)):
        group, field = REVIEW_GROUPS[index // 5], REVIEW_FIELDS[index % 5]
        cell.placed = cell.placed or (fit.placed and cell.value is not None)
        if index in fit.inferred:
            cell = Cell(fit.inferred[index], None, cell.line, cell.page, inferred=True)
        table.groups[group][field] = cell
    return table, diags


def _ordered(fit: Fit, order: Order) -> Fit:
    """A fit in the template's order: all cells printed, each under its column; fewer, and
    in another order nothing tells which is missing."""
    if order.perm is None or fit.how == "empty":
        return fit
    if fit.how in ("exact", "positional") and fit.slots is not None:
        return Fit(order.place(fit.slots), fit.how)
    return Fit(None, "unresolved")


def _place(table: ReviewLitigation, group: str, fit, cells: list[Tok], feed: Feed, diag) -> None:
    if fit.slots is None:
        diag("ROW_UNRESOLVED", "error",
             f"section 四 group {group} prints {' '.join(shown(t.text) for t in cells)} for 5 cells; "
             "its cells are left null", cells[0].pos if cells else None, row=group,
             responsibility="parser",
             params={"printed": [shown(t.text) for t in cells if t.is_value], "cells": 5})
        return
    for index, cell in enumerate(to_cells(fit.slots, feed)):  # as ``to_cell`` of each
        cell.placed = cell.placed or (fit.placed and cell.value is not None)
        if index in fit.inferred:
            cell = Cell(fit.inferred[index], None, cell.line, cell.page, inferred=True)
        table.groups[group][REVIEW_FIELDS[index]] = cell
