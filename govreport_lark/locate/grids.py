"""Tables whose cells the reader knows, read by column.

A grid row (HTML, DOCX and PDF tables, Markdown pipe tables, tab rows that line up) keeps
every slot of its table.  Its header rows say which column holds which of the template's
cells (``grammars/columns.lark``); each data row is then written as its label followed by
exactly the template's cells, in the template's order, an empty cell as ``∅``.  The table
grammars read such a row like any other, and the fitting finds as many numbers as cells.
An empty stub cell is never a value, a trailing blank keeps its column, and a table that
prints its columns in another order is read in the order it printed.

A row whose columns cannot be told (no header names them, a value cell holds words, a
number stands outside the template's columns) is handed on as free text, as the reader
wrote it, and the fitting of printed numbers to cells decides as for any text layer.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache, cached_property, lru_cache

from govreport_lark.locate.words import label_words, word_name
from govreport_lark.model import Diagnostic
from govreport_lark.normalise import (
    BLANK,
    Line,
    cells_of_grid_row,
    header_word,
    is_junk_cell,
    is_value_field,
)
from govreport_lark.read.source import SPANNED
from govreport_lark.spec import terminals

# The template's columns of each table, in its order (output contract).
APPLICATION_COLUMNS = ("APP_NATURAL_PERSON", "APP_COMMERCIAL", "APP_RESEARCH",
                       "APP_SOCIAL_WELFARE", "APP_LEGAL_SERVICE", "OTHER", "TOTAL")
REVIEW_COLUMNS = tuple(
    (group, result)
    for group in ("review", "direct", "after_review")
    for result in ("RL_MAINTAINED", "RL_CORRECTED", "RL_OTHER", "RL_PENDING", "TOTAL")
)
# Section 二: every column of either template, in the order its items print them.
ACTIVE_COLUMNS = ("COL_NEW_MADE", "COL_NEW_PUBLISHED", "COL_TOTAL_PUBLISHED",
                  "COL_PREV_YEAR_ITEMS", "COL_CHANGE", "COL_DECISIONS_2019", "COL_PROJECTS",
                  "COL_AMOUNT", "COL_ISSUED", "COL_REPEALED", "COL_IN_FORCE",
                  "COL_DECISIONS_2021", "COL_FEE_AMOUNT")

_APP_WORDS = frozenset(APPLICATION_COLUMNS[:5]) | {"APP_ORGS", "APP_APPLICANTS"}
_REVIEW_WORDS = frozenset({"RL_AFTER_REVIEW", "RL_DIRECT", "RL_REVIEW", "RL_LITIGATION",
                           "RL_MAINTAINED", "RL_CORRECTED", "RL_OTHER", "RL_PENDING"})
_ACTIVE_WORDS = frozenset(ACTIVE_COLUMNS) | {"INFO_CONTENT"}
_RESULTS = ("RL_MAINTAINED", "RL_CORRECTED", "RL_OTHER", "RL_PENDING", "TOTAL")

GRAMMAR_OF = {"二": "active_disclosure", "三": "applications", "四": "review_litigation"}
_NAMES = {
    "APP_NATURAL_PERSON": "自然人", "APP_COMMERCIAL": "商业企业", "APP_RESEARCH": "科研机构",
    "APP_SOCIAL_WELFARE": "社会公益组织", "APP_LEGAL_SERVICE": "法律服务机构", "OTHER": "其他",
    "TOTAL": "总计", "RL_MAINTAINED": "结果维持", "RL_CORRECTED": "结果纠正",
    "RL_OTHER": "其他结果", "RL_PENDING": "尚未审结", "review": "行政复议",
    "direct": "未经复议直接起诉", "after_review": "复议后起诉",
    "COL_NEW_MADE": "本年新制作数量", "COL_NEW_PUBLISHED": "本年新公开数量",
    "COL_TOTAL_PUBLISHED": "对外公开总数量", "COL_PREV_YEAR_ITEMS": "上一年项目数量",
    "COL_CHANGE": "本年增/减", "COL_DECISIONS_2019": "处理决定数量", "COL_PROJECTS": "采购项目数量",
    "COL_AMOUNT": "采购总金额", "COL_ISSUED": "本年制发件数", "COL_REPEALED": "本年废止件数",
    "COL_IN_FORCE": "现行有效件数", "COL_DECISIONS_2021": "本年处理决定数量",
    "COL_FEE_AMOUNT": "本年收费金额",
}

_HAS_DIGIT = re.compile(r"\d")


@cache
def _words() -> tuple[tuple[str, re.Pattern[str]], ...]:
    """columns.lark's terminals."""
    return tuple((name, re.compile(regex)) for name, regex in terminals("columns").items())


# A gloss after the words ("(单位:万元)"); an ordinal before them ("(六)其他") stays.
_GLOSS = re.compile(r"(?<=.)\([^()]*\)$|[\s:]")


@lru_cache(maxsize=4096)
def column_word(text: str) -> str | None:
    """The column a header cell names (a terminal of columns.lark that matches the whole
    cell, a gloss in parentheses aside), or None.  Kept per text: a batch asks for the same
    few hundred cells (自然人, 总计, a row's numbers) thousands of times."""
    if not text or text == SPANNED or len(text) > 40:
        return None
    core = _GLOSS.sub("", text) if ("(" in text or " " in text or ":" in text) else text
    for name, pattern in _words():
        if pattern.fullmatch(core):
            return name
    return None


def names_a_row(family: str, text: str) -> bool:
    """Whether ``text`` holds a row label of the family's grammar (not a stub or caption)."""
    for match in label_words(GRAMMAR_OF[family]).finditer(text):
        name = word_name(match)
        if not name.endswith("_STUB") and not name.startswith("CAPTION"):
            return True
    return False


@dataclass
class ColumnMap:
    """Where a table's cells stand: the grid index of each of the template's cells."""

    family: str  # 二, 三 or 四
    width: int  # slots of the header rows
    columns: list[int]  # grid index of each cell, in the template's order
    money: frozenset[int] = frozenset()  # grid indexes of amounts (二's 采购总金额, 收费金额)

    @cached_property  # asked for each row
    def first(self) -> int:
        return min(self.columns)

    @cached_property
    def wanted(self) -> frozenset[int]:
        """The grid indexes of the template's cells."""
        return frozenset(self.columns)

    @cached_property
    def others(self) -> list[int]:
        """The grid indexes after the first cell that are none of the template's."""
        return [j for j in range(self.first, self.width) if j not in self.wanted]


@dataclass
class GridResult:
    lines: list[Line]
    diagnostics: list[Diagnostic] = field(default_factory=list)
    # Tables whose printed column order differs from the template's while their rows do
    # not line up with the header: no value of theirs can be placed with certainty.
    unreadable: set[str] = field(default_factory=set)


def _fields(line: Line) -> list[str]:
    return [f.strip() for f in line.text.split("\t")]


def _is_header(fields: list[str]) -> bool:
    """A header row names columns and prints no value."""
    for f in fields:  # a plain count, the most common value, is told without a pattern
        if f.isdecimal() or (f != SPANNED and _HAS_DIGIT.search(f) and is_value_field(f)):
            return False
    return any(column_word(f) for f in fields)


def _deepest(rows: list[list[str]], j: int) -> str:
    """The lowest header cell printed in column ``j`` (a span's other slots are empty)."""
    for row in reversed(rows):
        if j < len(row) and row[j] and row[j] != SPANNED:
            return row[j]
    return ""


def _spans(row: list[str]) -> list[str]:
    """Each slot's text, a cell's text carried over the empty slots after it (a group
    heading over its columns: 行政复议 over five, 行政诉讼 over ten)."""
    out, current = [], ""
    for f in row:
        if f and f != SPANNED:
            current = f
        out.append(current)
    return out


def _reordered(found: list[tuple[int, object]], order: tuple) -> bool:
    printed = [key for _, key in sorted(found, key=lambda x: x[0])]
    return printed != [k for k in order if k in printed]


class _Mapper:
    def __init__(self, header: list[list[str]], line: Line) -> None:
        self.header = header
        self.line = line
        self.width = max(len(r) for r in header)
        self.diagnostics: list[Diagnostic] = []
        # The header names columns in places the template's order contradicts, and not all
        # of them: read in any order, the values would be guesses.
        self.unreadable: str | None = None

    def _diag(self, code: str, severity: str, family: str, message: str) -> None:
        self.diagnostics.append(Diagnostic(code, severity, message, section=family,
                                           line=self.line.src, page=self.line.page,
                                           responsibility="report"))

    def family(self) -> str | None:
        words = {column_word(f) for row in self.header for f in row} - {None}
        if words & _REVIEW_WORDS:
            return "四"
        if words & _APP_WORDS:
            return "三"
        if words & _ACTIVE_WORDS:
            return "二"
        if "TOTAL" in words:  # 类别 | 数据1 … | 总计 (real report 002): 三 by position
            return "三"
        return None

    def build(self) -> ColumnMap | None:
        family = self.family()
        if family == "三":
            return self._applications()
        if family == "四":
            return self._review()
        if family == "二":
            return self._active()
        return None

    def _unmatched(self, family: str, cells: list[str]) -> None:
        self._diag("HEADER_UNMATCHED", "warning", family,
                   f"section {family}: the table's header ({' | '.join(cells)}) does not name "
                   "the template's columns; its values were read by their place, in the "
                   "template's order")

    def _applications(self) -> ColumnMap | None:
        found: list[tuple[int, str]] = []
        unknown: list[str] = []
        for j in range(self.width):
            text = _deepest(self.header, j)
            word = column_word(text)
            if word in APPLICATION_COLUMNS:
                found.append((j, word))
            elif text and word not in ("GENERIC", "APP_ORGS", "APP_APPLICANTS") and j > 0:
                unknown.append(text)
        keys = [k for _, k in found]
        if sorted(keys) == sorted(APPLICATION_COLUMNS) and len(set(keys)) == 7:
            index = dict((k, j) for j, k in found)
            if _reordered(found, APPLICATION_COLUMNS):
                self._diag("COLUMNS_REORDERED", "info", "三",
                           "section 三: the table prints its columns in another order ("
                           + "、".join(_NAMES[k] for _, k in sorted(found)) + "); each value "
                           "was read under its own heading")
            return ColumnMap("三", self.width, [index[k] for k in APPLICATION_COLUMNS])
        # Not all seven named: by place, the last seven slots, where the named ones agree.
        if self.width < 8:
            return None
        columns = list(range(self.width - 7, self.width))
        if any(columns.index(j) != APPLICATION_COLUMNS.index(k)
               for j, k in found if j in columns) or any(j not in columns for j, _ in found):
            self._unmatched("三", [_deepest(self.header, j) for j in range(self.width)])
            self.unreadable = "三"
            return None
        if unknown:
            self._unmatched("三", unknown)
        return ColumnMap("三", self.width, columns)

    def _review(self) -> ColumnMap | None:
        spans = [_spans(row) for row in self.header]
        found: list[tuple[int, tuple[str, str]]] = []
        for j in range(self.width):
            group = sub = None
            for row in spans:
                word = column_word(row[j]) if j < len(row) else None
                if word in ("RL_REVIEW", "RL_LITIGATION"):
                    group = word
                elif word in ("RL_DIRECT", "RL_AFTER_REVIEW"):
                    sub = word
            result = column_word(_deepest(self.header, j))
            if result == "OTHER":
                result = "RL_OTHER"
            if result not in _RESULTS:
                continue
            if sub == "RL_AFTER_REVIEW":
                found.append((j, ("after_review", result)))
            elif sub == "RL_DIRECT":
                found.append((j, ("direct", result)))
            elif group == "RL_REVIEW":
                found.append((j, ("review", result)))
        keys = [k for _, k in found]
        if len(set(keys)) != 15 or len(keys) != 15:
            return None  # a group printed as a table of its own: the grammar reads it
        index = dict((k, j) for j, k in found)
        if _reordered(found, REVIEW_COLUMNS):
            groups = []
            for _, (g, _r) in sorted(found):
                if _NAMES[g] not in groups:
                    groups.append(_NAMES[g])
            self._diag("COLUMNS_REORDERED", "info", "四",
                       "section 四: the table prints its groups or results in another order ("
                       + "、".join(groups) + "); each value was read under its own heading")
        return ColumnMap("四", self.width, [index[k] for k in REVIEW_COLUMNS])

    def _active(self) -> ColumnMap | None:
        found: list[tuple[int, str]] = []
        stub_end = 0
        unknown = []
        for j in range(self.width):
            text = _deepest(self.header, j)
            word = column_word(text)
            if word in ACTIVE_COLUMNS:
                found.append((j, word))
            elif word == "INFO_CONTENT":
                stub_end = j + 1
            elif text and text.startswith("第二十条"):
                continue  # the item's caption, over the whole width
            elif text and j >= stub_end and j > 0:
                unknown.append(text)
        if not found or len({k for _, k in found}) != len(found):
            return None
        if unknown:
            self._unmatched("二", unknown)
            if _reordered(found, ACTIVE_COLUMNS):
                self.unreadable = "二"
            return None
        if _reordered(found, ACTIVE_COLUMNS):
            self._diag("COLUMNS_REORDERED", "info", "二",
                       "section 二: the table prints its columns in another order ("
                       + "、".join(_NAMES[k] for _, k in sorted(found)) + "); each value was "
                       "read under its own heading")
        ordered = sorted(found, key=lambda x: ACTIVE_COLUMNS.index(x[1]))
        money = frozenset(j for j, k in found if k in ("COL_AMOUNT", "COL_FEE_AMOUNT"))
        return ColumnMap("二", self.width, [j for j, _ in ordered], money)


def _value_cell(text: str, money: bool = False) -> str | None:
    """A value slot as the grammar's cell text, or None when it does not hold a value."""
    if not text or text == SPANNED:
        return BLANK
    if is_value_field(text):
        if text.endswith("%"):
            return None  # a share is no count
        # A count's 件/个 is no part of its cell; under an amount it stays, for the cell
        # to be read as no amount.
        return text if money else text.rstrip("件个 ")
    if is_junk_cell(text):  # "x", "NaN": a blank, as in free text
        return BLANK
    return None


def canonical_row(fields: list[str], cmap: ColumnMap,
                  above: list[str] | None = None) -> str | None:
    """The row as its label and the template's cells, or None when its columns do not
    line up with the header (the row is then read as free text).  ``above``: the row
    before, whose stub cells a rowspan written out on every row repeats ("（六）其他处理"
    before each of its rows 1.–3.); such a copy is not part of this row's label.
    A row of another width than the header's is read from its right end only when it
    prints every cell, since a cell it left out could stand anywhere."""
    shift = len(fields) - cmap.width
    first = cmap.first + shift
    if first < 0:
        return None
    stub = fields[:first]
    for f in stub:
        if _HAS_DIGIT.search(f) and is_value_field(f):
            return None  # a number among the labels: the row is not where the header says
    cells = []
    for j in cmap.columns:
        field = fields[j + shift]
        # A plain count, most cells, is its own cell text (``_value_cell``).
        cell = field if field.isdecimal() else _value_cell(field, j in cmap.money)
        if cell is None:
            return None
        cells.append(cell)
    # A row of another width is read from its right end only when it prints every cell:
    # a blank, or a span of the label's, where a value should stand means a cell is missing
    # that could have stood anywhere.
    if shift and BLANK in cells:
        return None
    others = cmap.others if not shift else [
        j for j in range(first, len(fields)) if j - shift not in cmap.wanted]
    for j in others:
        if fields[j] and fields[j] != SPANNED:
            return None  # a printed cell outside the template's columns
    if len(stub) < 2:  # most rows: one label or none, nothing repeated before it
        label = stub[0] if stub and stub[0] != SPANNED else ""
    else:
        last = max((j for j, f in enumerate(stub) if f and f != SPANNED), default=-1)
        label = " ".join(
            f for j, f in enumerate(stub)
            if f and f != SPANNED
            and not (j < last and above is not None and len(above) == len(fields)
                     and above[j] == f))
    if cells.count(BLANK) == len(cells) and not (label and names_a_row(cmap.family, label)):
        return None  # no value and no row of the template: a caption or stub line
    return f"{label} {' '.join(cells)}".strip()


def resolve_grids(lines: list[Line], *, trailing: bool = True) -> GridResult:
    """Every grid row written as its label and the template's cells, or as free text."""
    if all(line.grid is None for line in lines):
        return GridResult(lines)
    out = list(lines)
    diagnostics: list[Diagnostic] = []
    by_grid: dict[int, list[int]] = {}
    for i, line in enumerate(lines):
        if line.grid is not None:
            by_grid.setdefault(line.grid, []).append(i)
    # A table continued on the next page (a grid of its own in a PDF) has no header: it
    # keeps the columns of the table that ended just before it.  Only where the reader
    # knows every cell: in plain text a row may leave out a blank (seed 000).
    last: ColumnMap | None = None
    last_end = -10
    result_unreadable: set[str] = set()
    for indexes in by_grid.values():
        near = trailing and indexes[0] - last_end <= 3
        cmap: ColumnMap | None = last if near else None
        last_end = indexes[-1]
        above: list[str] | None = None
        header: list[list[str]] = []
        header_line: Line | None = None
        found: list[Diagnostic] = []
        unreadable_here: set[str] = set()
        rows: list[tuple[int, list[str], str | None]] = []
        for i in indexes:
            fields = _fields(lines[i])
            if _is_header(fields):
                if not header:
                    header_line = lines[i]
                header.append(fields)
                out[i] = Line(" ".join(header_word(f) for f in fields if f and f != SPANNED),
                              lines[i].src, lines[i].page)
                continue
            if header and header_line is not None:
                mapper = _Mapper(header, header_line)
                cmap = mapper.build()
                found.extend(mapper.diagnostics)
                if mapper.unreadable:
                    unreadable_here.add(mapper.unreadable)
                header = []
                if cmap is not None:
                    last = cmap
            rows.append((i, fields, canonical_row(fields, cmap, above) if cmap else None))
            above = fields
        # Plain text (tab rows, Markdown pipes copied from a page) lines up by chance too:
        # its columns are trusted only where every row of numbers fits them (seed 001's
        # rows leave out their stub fields at random).
        # A header in another order is read by its words all the same: the template's order
        # would misplace every value.
        reordered = [d for d in found if d.code == "COLUMNS_REORDERED"]
        # Looked at only where it decides (a reader that knows the cells trusts them).
        all_fit = (not trailing or bool(reordered)) and all(
            text is not None or not _HAS_DIGIT.search("".join(fields)) for _, fields, text in rows)
        trusted = trailing or all_fit
        if reordered and not all_fit:
            # A row that does not fit a header in another order could only be read in the
            # template's order, which would misplace its values: the table is not read.
            trusted = False
            unreadable_here.update(d.section or "" for d in reordered)
            found = [d for d in found if d.code != "COLUMNS_REORDERED"]
        for key in sorted(unreadable_here - result_unreadable):
            result_unreadable.add(key)
            where = lines[indexes[0]]
            diagnostics.append(Diagnostic(
                "COLUMNS_UNREADABLE", "error",
                f"section {key}: the header's columns cannot be matched to the template's "
                "with certainty (another order, or words the template does not use, and rows "
                "that do not line up with it), so no value can be put under its column; the "
                "table's values are left null", section=key, line=where.src, page=where.page,
                responsibility="parser", params={"why": "header"}))
        diagnostics.extend(found)
        for i, fields, text in rows:
            if text is None or not trusted:  # free text from here on: the fitting decides
                out[i] = Line(cells_of_grid_row(fields, trailing), lines[i].src, lines[i].page)
            else:  # keeps its grid: its cells are the template's, blanks included
                out[i] = Line(text, lines[i].src, lines[i].page, lines[i].grid)
    return GridResult(out, diagnostics, result_unreadable)
