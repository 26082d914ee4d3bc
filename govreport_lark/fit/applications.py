"""Section 三: from parsed rows to the 7-column ``Applications`` table.

Rows are read in the order the grammar fixed; here their tokens are fitted to the seven
columns with the row's arithmetic (总计 = the six applicant columns), values printed
before their label are handed on, unresolved rows are tried against the column
arithmetic, and a missing row is inferred only where one equation determines it.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field
from functools import lru_cache

from lark import Tree

from govreport_lark.fit.fitting import Fit, SumRule, fit_row, reflow
from govreport_lark.fit.order import Order, applications_order, sums_agree
from govreport_lark.grammar.cells import Tok, count, number, shown, to_cells
from govreport_lark.grammar.rows import ParsedGroup, ParsedRow
from govreport_lark.locate.feed import Feed
from govreport_lark.model import APPLICANT_COLUMNS, Applications, Cell, Diagnostic

WIDTH = len(APPLICANT_COLUMNS)
ROW_RULES = (SumRule(6, (0, 1, 2, 3, 4, 5)),)

_GROUPS = ("denied", "unable", "not_processed", "other")

OUTCOMES_COMMON = (
    "granted",
    "partially_granted",
    "denied.state_secret",
    "denied.prohibited_by_law",
    "denied.three_safeties_one_stability",
    "denied.third_party_rights",
    "denied.internal_affairs",
    "denied.process_info",
    "denied.law_enforcement_file",
    "denied.administrative_query",
    "unable.not_held",
    "unable.needs_creation",
    "unable.unclear_after_correction",
    "not_processed.petition_complaint",
    "not_processed.repeated",
    "not_processed.publication",
    "not_processed.excessive",
    "not_processed.confirm_or_reissue",
)
OTHER_2019 = ("other",)
OTHER_2021 = ("other.overdue_correction", "other.overdue_fee", "other.other")


def outcome_rows(template: str) -> tuple[str, ...]:
    return OUTCOMES_COMMON + (OTHER_2019 if template == "2019" else OTHER_2021)


def row_keys(template: str) -> tuple[str, ...]:
    return ("new_received", "carried_over", *outcome_rows(template), "total", "carried_forward")


def empty(template: str) -> Applications:
    return Applications({key: [Cell() for _ in range(WIDTH)] for key in row_keys(template)})


@lru_cache(maxsize=256)  # the grammar's few rule names, asked for once a row
def contract_key(rule: str) -> str:
    """Grammar rule name to contract key: denied_state_secret → denied.state_secret."""
    for group in _GROUPS:
        if rule.startswith(group + "_"):
            return f"{group}.{rule[len(group) + 1 :]}"
    return rule


@dataclass
class ThreeSignals:
    """What section 三 says about the template: （六） as one row (2019) or three (2021)."""

    other_single: bool = False
    other_rows: bool = False


@dataclass
class ParsedApplications:
    rows: list[ParsedRow] = field(default_factory=list)
    signals: ThreeSignals = field(default_factory=ThreeSignals)


def collect(tree: Tree | None) -> ParsedApplications:
    out = ParsedApplications()
    if tree is None:
        return out
    for child in tree.children:
        if isinstance(child, ParsedRow):
            if child.key == "other":
                out.signals.other_single = True
            out.rows.append(ParsedRow(contract_key(child.key), child.label, child.cells))
        elif isinstance(child, ParsedGroup) and child.key == "other":
            if child.caption is not None:
                out.rows.append(ParsedRow("other", child.caption, child.cells))
            for row in child.rows:
                out.signals.other_rows = True
                out.rows.append(ParsedRow(contract_key(row.key), row.label, row.cells))
    return out


# A numbered row the template does not have ("9.其他情形" after 8.属于行政查询事项): the
# grammar skips its label as noise and its values follow the row above's.
_UNKNOWN_LABEL = re.compile(r"(?<![\d.])\d{1,2}[.、]\s*[\u4e00-\u9fff]{2,}")


def _unknown_rows(row: ParsedRow, text: str) -> tuple[list[Tok], list[tuple[str, int, list[Tok]]]]:
    """A row's own tokens, and the (label, position, tokens) of each unknown numbered row
    whose label stands between its tokens: those values are never the next row's."""
    cells = row.cells
    if len(cells) < 2:
        return cells, []
    # A label between two cells is a match inside the stretch from the first cell's end
    # to the last cell's start: where that stretch holds none, no gap does.
    low = min([t.pos + len(t.text) for t in cells][:-1])
    if _UNKNOWN_LABEL.search(text, low, max([t.pos for t in cells][1:])) is None:
        return cells, []
    cut: list[tuple[int, str, int]] = []
    for i in range(1, len(cells)):
        end = cells[i - 1].pos + len(cells[i - 1].text)
        match = _UNKNOWN_LABEL.search(text, end, cells[i].pos)
        if match is not None:
            cut.append((i, match.group(), match.start()))
    if not cut:
        return cells, []
    extra = []
    for n, (i, label, pos) in enumerate(cut):
        stop = cut[n + 1][0] if n + 1 < len(cut) else len(cells)
        extra.append((label, pos, cells[i:stop]))
    return cells[: cut[0][0]], extra


def _raw(tokens: list[Tok]) -> str:
    return " ".join(shown(t.text) for t in tokens) or "nothing"


def build(parsed: ParsedApplications, template: str, feed: Feed, *,
          in_order: bool = True) -> tuple[Applications, list[Diagnostic]]:
    """``in_order``: the grammar skipped no label.  When it did, the skipped row's values
    sit with the row before, so values are neither handed on nor missing rows inferred."""
    diags: list[Diagnostic] = []
    keys = row_keys(template)

    def diag(code: str, severity: str, message: str, row: str | None, pos: int | None, **kw) -> None:
        src, page = feed.where(pos)
        diags.append(Diagnostic(code, severity, message, section="三", line=src, row=row, page=page, **kw))

    # Rows the template of this report has, in order; anything else is reported.
    starts = [r.label.start_pos for r in parsed.rows if r.label is not None]
    order = applications_order(feed, min(starts) if starts else None)
    present: list[ParsedRow] = []
    seen: set[str] = set()
    extra: dict[str, list[Cell]] = {}
    for row in parsed.rows:
        if row.key in keys and row.key not in seen:
            own, unknown = _unknown_rows(row, feed.text)
            for label, pos, tokens in unknown:
                values = [t for t in tokens if t.is_value]
                key = _extra_key(label, extra)
                extra[key] = _extra_cells(tokens, feed, pos, order)
                kept = any(c.value is not None for c in extra[key])
                diag(
                    "EXTRA_ROW",
                    "warning",
                    f"row {label!r} after {row.key} is not in the {template} template; its "
                    f"values ({_raw(values)}) "
                    + ("are kept under applications.extra, not in any template row" if kept
                       else "do not fit the seven columns and were not assigned to any row"),
                    label,
                    pos,
                    responsibility="report",
                    params={"label": label, "after": row.key, "printed": [t.text for t in values],
                            "kept": kept},
                )
            if unknown:
                row = ParsedRow(row.key, row.label, own)
            present.append(row)
            seen.add(row.key)
            continue
        values = [t for t in row.cells if t.is_value]
        if row.key == "other" and not values:
            continue  # the 2021 group label （六）其他处理, which has no numbers of its own
        if values:
            diag(
                "TEMPLATE_MIXED",
                "warning",
                f"row {row.label} belongs to the other template than this report's ({template}); "
                f"its values ({_raw(values)}) were not assigned",
                row.key,
                row.label.start_pos if row.label is not None else None,
                responsibility="report",
                params={"template": template, "printed": [t.text for t in values]},
            )

    # Numbers printed before their label: hand whole rows of values on.
    if in_order:
        token_rows, moved = reflow([row.cells for row in present], WIDTH)
    else:
        token_rows, moved = [row.cells for row in present], []
    for index in moved:
        row = present[index]
        diag(
            "CELLS_BEFORE_LABEL",
            "info",
            f"the values of {row.key} stand apart from its label (a wrapped label in a text "
            "layer); they were matched by the order of rows",
            row.key,
            row.label.start_pos if row.label is not None else None,
        )

    fits: dict[str, Fit] = {}
    label_pos: dict[str, int | None] = {}
    for row, tokens in zip(present, token_rows):
        # A row read from a grid prints its cells by column, no stub among them: its blanks
        # are blanks, never a label's merged cell to be filled from the arithmetic.
        line = feed.line(tokens[0].pos) if tokens else None
        from_grid = line is not None and line.grid is not None
        # In another column order the template's row sum says nothing of where a missing
        # cell was: only a row that prints all seven is read.
        rules = ROW_RULES if order.perm is None else ()
        fits[row.key] = fit_row(tokens, WIDTH, rules, labelled=not from_grid)
        label_pos[row.key] = row.label.start_pos if row.label is not None else None
    if order.perm is not None:
        order = _apply_order(order, fits, label_pos, diag)
    if order.unreadable:
        return _unreadable(template, order, starts, diag), diags

    _resolve_by_columns(fits, template)

    table = Applications()
    index_of = {row.key: i for i, row in enumerate(present)}
    for key in keys:
        fit = fits.get(key)
        pos = label_pos.get(key)
        if fit is None:
            table.rows[key] = [Cell() for _ in range(WIDTH)]
            continue
        table.rows[key] = _cells(fit, feed, pos)
        if fit.how not in ("exact", "positional", "empty"):  # those need no word
            printed = [t for t in token_rows[index_of[key]] if t.is_value]
            _report_fit(fit, key, printed, pos, diag)

    _infer_missing_rows(table, template, fits, label_pos, diag, infer=in_order)
    table.extra = extra
    return table, diags


def _apply_order(order: Order, fits: dict[str, Fit], label_pos: dict[str, int | None],
                 diag) -> Order:
    """Rows read in the header's order: all seven printed, each put under its column;
    fewer, left null with a word.  A header whose order the row sums contradict is no
    guide (returned as unreadable)."""
    full = {k: f for k, f in fits.items() if f.how in ("exact", "positional") and f.slots}
    rows = [[_value_of(f, i) for i in range(WIDTH)] for f in full.values()]
    if not sums_agree(order, [r for r in rows if None not in r]):  # type: ignore[misc]
        return Order(None, True, order.words, "the rows' sums contradict it")
    first = min((p for p in label_pos.values() if p is not None), default=None)
    diag("COLUMNS_REORDERED", "info",
         f"section 三: the table prints its columns in another order ({order.words}); each "
         "value was read under its own heading", None, first, params={"order": order.words})
    for key, fit in fits.items():
        if key in full:
            fits[key] = Fit(order.place(fit.slots), fit.how)
        elif fit.how not in ("empty",):
            fits[key] = Fit(None, "unresolved")
    return order


def _unreadable(template: str, order: Order, starts: list[int], diag) -> Applications:
    diag("COLUMNS_UNREADABLE", "error",
         f"section 三: the header prints its columns as {order.words}, but {order.why}; "
         "which value belongs to which column cannot be told, so the table's cells are null", None, min(starts) if starts else None, responsibility="parser",
         params={"order": order.words, "why": order.why})
    return empty(template)


def _extra_key(label: str, taken: dict[str, list[Cell]]) -> str:
    """The label as printed; a second row of the same label gets its ordinal after it."""
    key, n = label, 1
    while key in taken:
        n += 1
        key = f"{label} ({n})"
    return key


def _extra_cells(tokens: list[Tok], feed: Feed, pos: int | None, order: Order) -> list[Cell]:
    """An unknown row's own seven cells when its numbers fit them as printed; else blanks
    (its diagnostic then quotes the numbers).  Never filled from arithmetic: the template
    says nothing of a row it does not have."""
    line = feed.line(tokens[0].pos) if tokens else None
    from_grid = line is not None and line.grid is not None
    fit = fit_row(tokens, WIDTH, ROW_RULES, labelled=not from_grid)
    if fit.how not in ("exact", "positional") or fit.slots is None or fit.inferred:
        return [Cell() for _ in range(WIDTH)]
    return _cells(Fit(order.place(fit.slots), fit.how), feed, pos)


def _cells(fit: Fit, feed: Feed, pos: int | None) -> list[Cell]:
    if fit.slots is None:
        return [Cell() for _ in range(WIDTH)]
    cells = to_cells(fit.slots, feed)
    if fit.placed:
        for cell in cells:
            cell.placed = cell.value is not None
    if fit.inferred:
        src, page = feed.where(pos)
        for index, value in fit.inferred.items():
            cells[index] = Cell(value, None, src, page, inferred=True)
    return cells


def _report_fit(fit: Fit, key: str, printed: list[Tok], pos: int | None, diag) -> None:
    n = len(printed)
    if fit.how == "inferred" and fit.placements > 1:
        values = [t.text for t in printed]
        diag(
            "ROW_CELL_COUNT", "warning",
            f"row {key} prints {n} numbers ({' '.join(values)}) for {WIDTH} cells; which cell is "
            "missing cannot be told, but every placement gives the same values, so the row was "
            "completed from its arithmetic (总计 = the six applicant columns)",
            key, pos, responsibility="parser",
            params={"how": "placements", "printed": values, "cells": WIDTH})
    elif fit.how == "inferred":
        missing = [i for i, t in enumerate(fit.slots or []) if t is None]
        for index in missing:
            column = APPLICANT_COLUMNS[index]
            if index in fit.inferred:
                message = (
                    f"row {key} prints {n} numbers for {WIDTH} cells; column {column} was "
                    f"inferred as {fit.inferred[index]} from the row's arithmetic"
                )
            else:
                message = f"row {key} prints {n} numbers for {WIDTH} cells; column {column} is left blank"
            diag("ROW_CELL_COUNT", "warning", message, key, pos, column=column, responsibility="parser",
                 params={"how": "inferred", "value": fit.inferred[index], "count": len(printed),
                         "cells": WIDTH} if index in fit.inferred
                 else {"how": "blank", "count": len(printed), "cells": WIDTH})
    elif fit.how == "spurious":
        diag(
            "ROW_CELL_COUNT",
            "warning",
            f"row {key} prints {n} numbers for {WIDTH} cells; the spurious "
            f"{_raw(fit.dropped)} was dropped (the only reading that keeps the row's sum)",
            key,
            pos,
            responsibility="parser",
            params={"how": "spurious", "printed": [t.text for t in printed], "cells": WIDTH,
                    "dropped": [t.text for t in fit.dropped]},
        )
    elif fit.how == "split":
        diag(
            "DIGITS_RUN_TOGETHER",
            "warning",
            f"row {key} prints its cells run together ({_raw(printed)}); the only split that "
            "keeps the row's arithmetic was used",
            key,
            pos,
            responsibility="parser",
            params={"printed": [t.text for t in printed],
                    "split": [t.text for t in fit.slots or [] if t is not None]},
        )
    elif fit.how == "resolved_by_columns":
        diag(
            "ROW_CELL_COUNT",
            "warning",
            f"row {key} prints {_raw(printed)} for {WIDTH} cells; the only reading consistent "
            "with the table's column arithmetic was used",
            key,
            pos,
            responsibility="parser",
            params={"how": "columns", "printed": [t.text for t in printed], "cells": WIDTH},
        )
    elif fit.how == "unresolved":
        diag(
            "ROW_UNRESOLVED",
            "error",
            f"row {key} prints {_raw(printed)} for {WIDTH} cells and no single reading fits the "
            "template's arithmetic; its cells are left null",
            key,
            pos,
            responsibility="parser",
            params={"printed": [t.text for t in printed], "cells": WIDTH},
        )


def _column_relations(template: str) -> list[tuple[tuple[str, ...], tuple[str, ...]]]:
    """Per column: (left rows summed) == (right rows summed)."""
    return [
        (("new_received", "carried_over"), ("total", "carried_forward")),
        (("total",), outcome_rows(template)),
    ]


def _value_of(fit: Fit | None, index: int) -> int | float | None:
    if fit is None or fit.slots is None:
        return None
    if index in fit.inferred:
        return fit.inferred[index]
    tok = fit.slots[index]
    if tok is None or tok.kind not in ("NUMBER", "SPLIT", "COUNT", "CN_NUMBER"):
        return None
    return number(tok.text) if tok.kind in ("NUMBER", "SPLIT") else count(tok.text)


def _resolve_by_columns(fits: dict[str, Fit], template: str) -> None:
    """Unresolved rows with a few candidate readings: keep the one combination for which
    every checkable column relation holds, if there is exactly one."""
    open_rows = [k for k, f in fits.items() if f.how == "unresolved" and f.candidates]
    if not open_rows:
        return
    choices = [fits[k].candidates for k in open_rows]
    total = 1
    for c in choices:
        total *= len(c)
    if total > 20000:
        return
    relations = _column_relations(template)
    good = []
    for combo in itertools.product(*choices):
        trial = dict(fits)
        for key, (slots, filled) in zip(open_rows, combo):
            trial[key] = Fit(slots, "candidate", inferred=filled)
        ok = True
        for col in range(WIDTH):
            for left, right in relations:
                lv = [_value_of(trial.get(k), col) for k in left]
                rv = [_value_of(trial.get(k), col) for k in right]
                if None in lv or None in rv:
                    continue
                if abs(sum(lv) - sum(rv)) > 1e-9:  # type: ignore[arg-type]
                    ok = False
                    break
            if not ok:
                break
        if ok:
            good.append(combo)
        if len(good) > 1:
            return
    if len(good) == 1:
        for key, (slots, filled) in zip(open_rows, good[0]):
            fits[key] = Fit(slots, "resolved_by_columns", inferred=filled)


def _infer_missing_rows(table: Applications, template: str, fits: dict[str, Fit],
                        label_pos: dict[str, int | None], diag, *, infer: bool = True) -> None:
    """A row the report does not print at all is inferred where one column relation has it
    as its only unknown (seed 004 has no 四、结转下年度继续办理 row).  Its diagnostic names
    the line of the printed row it should follow."""
    keys = list(table.rows)
    missing = [k for k in keys if k not in fits]
    for key in missing:
        before = [label_pos.get(k) for k in keys[: keys.index(key)] if k in fits]
        where = next((pos for pos in reversed(before) if pos is not None), None)
        inferred_any = False
        for col in range(WIDTH if infer else 0):
            value = None
            for left, right in _column_relations(template):
                if key not in left + right:
                    continue
                others_left = [table.rows[k][col].value for k in left if k != key]
                others_right = [table.rows[k][col].value for k in right if k != key]
                if None in others_left or None in others_right:
                    continue
                if any(k in missing and k != key for k in left + right):
                    continue
                diff = sum(others_right) - sum(others_left)  # type: ignore[arg-type]
                value = diff if key in left else -diff
                break
            if value is not None and value >= 0:
                table.rows[key][col] = Cell(value, None, inferred=True)
                inferred_any = True
        if inferred_any:
            diag(
                "MISSING_ROW",
                "warning",
                f"row {key} is not printed; its cells were inferred from the column arithmetic "
                "(一+二 = （七）+四, （七） = the sum of the outcomes)",
                key,
                where,
                responsibility="report",
                params={"inferred": True},
            )
        else:
            diag(
                "MISSING_ROW",
                "warning" if key.startswith("other.") or key == "other" else "error",
                f"row {key} is not printed and cannot be inferred; its cells are null",
                key,
                where,
                responsibility="report",
                params={"inferred": False},
            )
