"""The template's arithmetic (template.md §4.2–4.3) checked on the parsed tables.

A failed relation names its rows, columns and both sums, and whose fault it is: the
report's when every cell in it was printed where it stands, the parser's when one was
inferred or placed by the arithmetic (digits split, a number dropped).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from govreport_lark.fit.applications import outcome_rows
from govreport_lark.grammar.cells import UNITS_WAN, shown
from govreport_lark.model import APPLICANT_COLUMNS, REVIEW_FIELDS, Cell, Diagnostic, Report


def _fmt(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else f"{x:g}"


def _sum(cells: list[Cell]) -> float | None:
    values = [c.value for c in cells]
    if None in values:
        return None
    return sum(values)  # type: ignore[arg-type]


def _whose(cells: list[Cell]) -> str:
    # A cell the arithmetic filled or placed was the parser's reading, not the print.
    return "parser" if any(c.inferred or c.placed for c in cells) else "report"


def _line(cells: list[Cell]) -> tuple[int | None, int | None]:
    for cell in cells:
        if cell.line is not None:
            return cell.line, cell.page
    return None, None


def _num(x: float) -> int | float:
    return int(x) if float(x).is_integer() else x


def _check_total(out: list[Diagnostic], section: str, row: str, column: str, total: Cell,
                 parts: list[Cell], message: Callable[[str, str], str], *,
                 line_of_total: bool = False, relation: str = "total") -> None:
    """A printed total against the sum of its parts (both known), as a SUM_MISMATCH."""
    s = _sum(parts)
    if s is None or total.value is None or abs(s - total.value) < 1e-9:
        return
    line, page = _line([total] if line_of_total else [total, *parts])
    out.append(_mismatch(message(_fmt(total.value), _fmt(s)), [total, *parts], section, line,
                         page, row, column,
                         {"relation": relation, "printed": _num(total.value), "sum": _num(s)}))


def _mismatch(text: str, cells: list[Cell], section: str, line: int | None, page: int | None,
              row: str, column: str, params: dict) -> Diagnostic:
    if any(c.placed for c in cells):
        # Each row's cut kept that row's own sum; a sum across rows failing may be a cut's
        # fault, so the report is not blamed.
        params["placed"] = True
        text += ("; some of these cells were cut from digits run together by the arithmetic, "
                 "so the reading may be wrong, not the report")
    return Diagnostic("SUM_MISMATCH", "error", text, section=section, line=line, page=page,
                      row=row, column=column, responsibility=_whose(cells), params=params)


def check_applications(report: Report) -> list[Diagnostic]:
    rows = report.applications.rows
    if not rows or report.template is None:
        return []
    out = []
    # 总计 column = the six applicant columns, row by row.
    for key, cells in rows.items():
        _check_total(out, "三", key, "total", cells[6], cells[:6],
                     lambda t, s, key=key: f"section 三 row {key}: 总计 prints {t} but the six "
                     f"applicant columns sum to {s}", relation="row_total")
    outcomes = outcome_rows(report.template)
    for index, column in enumerate(APPLICANT_COLUMNS):
        def col(keys: tuple[str, ...]) -> list[Cell]:
            return [rows[k][index] for k in keys if k in rows]

        left, right = col(("new_received", "carried_over")), col(("total", "carried_forward"))
        a, b = _sum(left), _sum(right)
        if a is not None and b is not None and len(left) == 2 and len(right) == 2 and abs(a - b) > 1e-9:
            line, page = _line(right + left)
            out.append(_mismatch(
                f"section 三 column {column}: 一+二 (new_received + carried_over) = {_fmt(a)} but "
                f"（七）+四 (total + carried_forward) = {_fmt(b)}", left + right, "三", line, page,
                "total", column, {"relation": "balance", "left": _num(a), "right": _num(b)}))
        _check_total(out, "三", "total", column,
                     rows["total"][index] if "total" in rows else Cell(), col(outcomes),
                     lambda t, s, column=column: f"section 三 column {column}: （七）总计 prints "
                     f"{t} but the outcome rows （一）–（六） sum to {s}", line_of_total=True,
                     relation="outcomes")
    return out


def check_review(report: Report) -> list[Diagnostic]:
    out = []
    for group, cells in report.review_litigation.groups.items():
        _check_total(out, "四", group, "total", cells["total"],
                     [cells[f] for f in REVIEW_FIELDS[:4]],
                     lambda t, s, group=group: f"section 四 {group}: 总计 prints {t} but "
                     f"结果维持+结果纠正+其他结果+尚未审结 = {s}", relation="group_total")
    return out


def _fine(cells: Iterable[Cell], counts: bool) -> bool:
    """Whether no cell of a row can need a word: each holds a value, none negative, and in a
    table of counts (三, 四) each an int (a float is looked at cell by cell).  Most rows are
    so, and are passed over without a look at each cell."""
    values = [c.value for c in cells]
    return (None not in values and min(values, default=0) >= 0  # type: ignore[type-var]
            and (not counts or list(map(type, values)).count(int) == len(values)))


def _cells_to_check(report: Report):
    """(section, item, row, column, cell) for every cell of the three tables but those of a
    ``_fine`` row; ``row`` is the key diagnostics name (as elsewhere in section 二, without
    its item; ``_where`` says it in full for a message)."""
    for item, table in report.active_disclosure.items():
        for key, cells in {**table.rows, **table.extra}.items():
            if not _fine(cells.values(), False):
                for column, cell in cells.items():
                    yield "二", item, key, column, cell
    for key, cells in report.applications.rows.items():
        if not _fine(cells, True):
            for column, cell in zip(APPLICANT_COLUMNS, cells):
                yield "三", None, key, column, cell
    for group, cells in report.review_litigation.groups.items():
        if not _fine(cells.values(), True):
            for column, cell in cells.items():
                yield "四", None, group, column, cell


def _where(item: str | None, row: str) -> str:
    return f"row {row}" if item is None else f"{item} row {row}"


_COUNTED = {"三": "applications", "四": "cases"}


def check_cells(report: Report) -> tuple[list[Diagnostic], list[Diagnostic], list[Diagnostic]]:
    """Each cell on its own, in one walk over the tables: section 二 counts are never
    negative (but for 2019's 本年增/减, a change); sections 三 and 四 count applications and
    cases, whole numbers and never negative; a printed number that is no value of its cell
    (an amount of money where a count belongs, or a number too large to be either) is kept
    as text and reported.  The three lists in that order."""
    negative, not_count, unread = [], [], []
    for section, item, row, column, cell in _cells_to_check(report):
        value = cell.value
        if value is None:
            raw = cell.raw
            if raw is None or not any(c.isdigit() for c in raw):
                continue
            if column == "amount_wan_yuan" and cell.unit not in UNITS_WAN:
                code, problem = "UNIT_UNREADABLE", \
                    f"is in a unit ({cell.unit or 'not named'}) that cannot be read as 万元"
            elif raw.endswith("元") and column != "amount_wan_yuan":
                code, problem = "UNIT_MISMATCH", "is an amount of money where a count belongs"
            else:
                code, problem = "VALUE_OUT_OF_RANGE", "is too large to be a count or an amount"
            unread.append(Diagnostic(
                code, "error",
                f"section {section} {_where(item, row)} column {column}: {shown(raw)} {problem}; the "
                "cell is left null",
                section=section, line=cell.line, page=cell.page, row=row, column=column,
                responsibility="report", params={"raw": raw, "unit": cell.unit}
                if code == "UNIT_UNREADABLE" else {"raw": raw}))
        elif section == "二":
            if value < 0 and column != "change":
                negative.append(Diagnostic(
                    "NEGATIVE_VALUE", "warning",
                    f"section 二 {_where(item, row)} column {column} is negative ({cell.raw})",
                    section="二", line=cell.line, page=cell.page, row=row, column=column,
                    responsibility="report"))
        elif value < 0 or value != int(value):
            not_count.append(Diagnostic(
                "VALUE_NOT_COUNT", "error",
                f"section {section} {_where(item, row)} column {column}: {cell.raw} is not a "
                f"count of {_COUNTED[section]}",
                section=section, line=cell.line, page=cell.page, row=row, column=column,
                responsibility="report"))
    return negative, not_count, unread


def validate(report: Report) -> list[Diagnostic]:
    negative, not_count, unread = check_cells(report)
    return (negative + check_applications(report) + check_review(report)
            + not_count + unread)
