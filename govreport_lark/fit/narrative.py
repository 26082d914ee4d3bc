"""Numbers the prose states about what the tables hold, compared with the tables
(NARRATIVE_MISMATCH).

A clause is compared only where its scope is the table's: this year (no other year, no 上年,
同比, 累计), the reporting body or its whole area (not a named sub-department), a total or a
part the table has (其中予以公开 is a row; 其中自然人 is not read at all).  Anything the grammar
cannot read, and whatever follows it in the same part of the sentence, is left alone: a false
alarm blames a correct report.  Where a wording has two readings (受理 N 件: 本年新收, or
新收 + 上年结转), the number is wrong only when it agrees with neither.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache

from govreport_lark.fit.validate import _fmt
from govreport_lark.grammar.cells import UNITS_WAN
from govreport_lark.grammar.narrative import Amount, Clause, has_amount, read_sentence
from govreport_lark.locate.prose import Sentence
from govreport_lark.model import Cell, Diagnostic, Report

_TOTAL = 6  # 三's 总计 column

# 三's quantities as the template's rows (a prefix ends in "." for a group summed: （三）1–8).
_APPLICATION_ROWS: dict[str, tuple[tuple[str, ...], ...]] = {
    "received": (("new_received",), ("new_received", "carried_over")),
    "carried_over": (("carried_over",),),
    "handled": (("total",),),
    "processed": (("total",), ("new_received",), ("new_received", "carried_over")),
    "granted": (("granted",),),
    "partially_granted": (("partially_granted",),),
    "denied": (("denied.",),),
    "unable": (("unable.",),),
    "not_processed": (("not_processed.",),),
    "other": (("other", "other."),),
    "carried_forward": (("carried_forward",),),
}
# A total the sentence's parts (其中 …) divide: not compared inside a part itself.
_MAIN = {"received", "handled", "processed", "review", "litigation"}
_RESULT_FIELD = {"MAINTAINED": "maintained", "CORRECTED": "corrected",
                 "OTHER_RESULT": "other", "PENDING": "pending"}
_REVIEW_GROUPS = {"review": ("review",), "litigation": ("litigation_direct", "litigation_after_review")}
# 第二十条第（一）项's column by the verb: 2021 制发/废止/现行有效, 2019 新制作.
_DOCUMENT_COLUMN = {"ISSUE": ("issued", "new_made"), "REPEAL": ("repealed",), "IN_FORCE": ("in_force",)}
_ACTIVE = {"license": ("art20_5", "administrative_license", "decisions"),
           "penalty": ("art20_6", "administrative_penalty", "decisions"),
           "coercion": ("art20_6", "administrative_coercion", "decisions"),
           "fee": ("art20_8", "administrative_fees", "amount_wan_yuan")}
_QUANTITY = {
    "received": "applications received", "carried_over": "applications carried over",
    "handled": "applications answered", "processed": "applications handled",
    "granted": "applications granted (予以公开)", "partially_granted": "partly granted (部分公开)",
    "denied": "refused (不予公开)", "unable": "unable to provide (无法提供)",
    "not_processed": "not processed (不予处理)", "other": "otherwise handled (其他处理)",
    "carried_forward": "applications carried forward", "review": "administrative reviews",
    "litigation": "administrative suits", "document": "documents", "license": "licence decisions",
    "penalty": "penalty decisions", "coercion": "coercion decisions", "fee": "fees",
}
# Where a report's name is cut to its own part: 广州市荔湾区司法局 → 荔湾区司法局 → 司法局.
_DIVISION = re.compile(r"(?<=[省市区县州盟旗镇乡])")


@dataclass
class Reading:
    """One meaning of a stated number: the cells that would hold it, summed."""

    section: str
    row: str  # as a finding names it: "new_received", "denied.*", "review"
    column: str
    cells: list[Cell]
    rows: tuple[str, ...] = ()  # the rows (三), groups (四) or row (二) of the cells

    @property
    def value(self) -> float | None:
        """Their sum, or None when a cell is blank or was inferred (no printed value to hold
        the narrative to)."""
        if not self.cells or any(c.value is None or c.inferred for c in self.cells):
            return None
        return sum(c.value for c in self.cells)  # type: ignore[misc]


@lru_cache(maxsize=64)  # the same few rows of a template for every report
def _chosen_rows(subject: str, rows: tuple[str, ...]) -> tuple[tuple[str, tuple[str, ...]], ...] | None:
    """The name and the rows of each reading of 三's ``subject`` among ``rows``; None when a
    reading's rows are not all there."""
    out = []
    for keys in _APPLICATION_ROWS[subject]:
        chosen = [k for k in rows
                  if any(k == p or (p.endswith(".") and k.startswith(p)) for p in keys)]
        exact = [p for p in keys if not p.endswith(".")]
        if not chosen or (subject != "other" and not all(p in rows for p in exact)):
            return None
        group = next((p for p in keys if p.endswith(".")), None)
        name = f"{group}*" if group and len(chosen) > 1 else "+".join(chosen)
        out.append((name, tuple(chosen)))
    return tuple(out)


def own_names(agency: str | None) -> tuple[str, ...]:
    """The report's name and its shorter forms, longest first (read as 本机关)."""
    if not agency:
        return ()
    cuts = [agency[m.start():] for m in _DIVISION.finditer(agency) if m.start() > 0]
    return tuple(n for n in dict.fromkeys([agency, *cuts]) if len(n) >= 3)


def mismatch_message(quote: str, printed: str, quantity: str,
                     held: list[tuple[str, str, str, str]]) -> str:
    """The finding in words: the sentence, its number, and each cell it was held to as
    (section, row, column, value)."""
    cells = "; ".join(f"section {s} row {r} column {c} holds {v}" for s, r, c, v in held)
    return f"the narrative states {printed} {quantity} in “{quote}” but {cells}"


def _quote(sentence: Sentence, clause: Clause) -> str:
    text = sentence.text.strip()
    if len(text) <= 80:
        return text
    start = max(0, clause.start - 30)
    end = min(len(sentence.text), clause.start + len(clause.text) + 10)
    return ("…" if start else "") + sentence.text[start:end].strip() + ("…" if end < len(sentence.text) else "")


@dataclass
class _State:
    """What a sentence has said so far that scopes its next clause."""

    year: int | None
    poisoned: bool = False  # out of scope until the part's end
    part: bool = False  # inside a 其中/含 (a part of a total)
    part_outside: bool = False  # what ``part`` was before a bracket ("(含上年结转3件)")
    skip_next: bool = False  # after a quantity stated without its number
    topics: set[str] = field(default_factory=set)  # 三, 四: named by a clause read before
    group: str | None = None  # 四: the group a bare 结果维持 N 件 belongs to
    verb: str | None = None  # 二: the verb a bare 规范性文件 N 件 takes
    # Every clause held to the tables: (sentence, clause, readings, whether it agrees).
    compared: list[tuple[Sentence, Clause, list[Reading], bool]] = field(default_factory=list)
    found: list[Diagnostic] = field(default_factory=list)

    def other_year(self, clause: Clause) -> bool:
        return any(y != self.year for y in clause.years)


class NarrativeCheck:
    def __init__(self, report: Report, placed: set[tuple[str | None, str | None]]) -> None:
        self.report = report
        self.names = own_names(report.agency)
        self.memo: dict[tuple, list[Reading] | None] = {}
        # Rows (or whole sections, row None) whose values the parser placed by its own choice.
        self.placed = placed

    def _placed_by_parser(self, reading: Reading) -> bool:
        return (reading.section, None) in self.placed or any(
            (reading.section, row) in self.placed for row in reading.rows)

    # --- the cells a clause is held to -------------------------------------------------------

    def _applications(self, subject: str) -> list[Reading] | None:
        rows = self.report.applications.rows
        chosen_rows = _chosen_rows(subject, tuple(rows))
        if chosen_rows is None:
            return None
        return [Reading("三", name, "total", [rows[k][_TOTAL] for k in chosen], chosen)
                for name, chosen in chosen_rows]

    def _review(self, group: str, clause: Clause) -> list[Reading] | None:
        column = next((_RESULT_FIELD[n] for n, _ in clause.words if n in _RESULT_FIELD), "total")
        groups = self.report.review_litigation.groups
        names = _REVIEW_GROUPS[group]
        if not all(g in groups for g in names):
            return None
        return [Reading("四", "+".join(names), column, [groups[g][column] for g in names], names)]

    def _active(self, item: str, row: str, column: str) -> list[Reading] | None:
        table = self.report.active_disclosure.get(item)
        cell = table.rows.get(row, {}).get(column) if table is not None else None
        return None if cell is None else [Reading("二", row, column, [cell], (row,))]

    def _document(self, clause: Clause, verb: str | None) -> list[Reading] | None:
        row = "rules" if clause.word("RULES") else "normative_documents"
        table = self.report.active_disclosure.get("art20_1")
        if verb is None or table is None:
            return None
        columns = table.rows.get(row, {})
        column = next((c for c in _DOCUMENT_COLUMN[verb] if c in columns), None)
        return None if column is None else self._active("art20_1", row, column)

    def readings(self, clause: Clause, state: _State) -> list[Reading] | None:
        key = (clause.subject, tuple(n for n, _ in clause.words), state.group, state.verb)
        if key not in self.memo:  # the same few cells for every clause of a report
            self.memo[key] = self._readings(clause, state)
        return self.memo[key]

    def _readings(self, clause: Clause, state: _State) -> list[Reading] | None:
        subject = clause.subject or ""
        if subject in _APPLICATION_ROWS:
            return self._applications(subject)
        if subject in _REVIEW_GROUPS:
            return self._review(subject, clause)
        if subject == "result":
            return self._review(state.group, clause) if state.group else None
        if subject == "document":
            return self._document(clause, state.verb)
        if subject in _ACTIVE:
            return self._active(*_ACTIVE[subject])
        return None

    # --- a sentence --------------------------------------------------------------------------

    def _scope(self, clause: Clause, state: _State, section: str | None) -> bool:
        """Whether the clause is in the table's scope, updating what the sentence has said."""
        subject = clause.subject or ""
        table = "四" if subject in _REVIEW_GROUPS else "三" if subject in _APPLICATION_ROWS else None
        if table and any(n.endswith("_BARE") for n, _ in clause.words):
            # "共受理申请57件" names no 政府信息公开: in its own section or after a clause
            # that names it, not in a paragraph on 政务服务 or a 司法局's own 行政复议.
            if table != section and table not in state.topics:
                if table == "四":
                    state.group = None
                return False
        elif table:
            state.topics.add(table)
        if subject == "document":
            verb = next((n for n, _ in clause.words if n in _DOCUMENT_COLUMN), None)
            state.verb = verb or state.verb
        if subject in _MAIN and state.part:
            if subject in _REVIEW_GROUPS:
                state.group = None
            return False
        if subject in _REVIEW_GROUPS:
            state.group = subject
        if subject == "document" or subject in _ACTIVE:
            # 二 counts the body's own documents and decisions: not its whole area's, nor a
            # part of another total.
            return not state.part and not clause.lead("WHOLE")
        return True

    def sentence(self, sentence: Sentence, state: _State, after_total: bool) -> None:
        clauses = read_sentence(sentence.text, self.names)
        if clauses is None:
            return
        for index, clause in enumerate(clauses):
            if ";" in clause.cut:
                state.poisoned = state.part = False
            if ")" in clause.cut:
                state.part = state.part_outside
            if "(" in clause.cut:
                state.part_outside = state.part
            if index == 0 and not after_total and (clause.lead("SUB") or clause.kind == "unread"
                                                   and clause.text.startswith(("其中", "含"))):
                state.poisoned = True  # a part of a total no sentence before stated in scope
            skip, state.skip_next = state.skip_next, False
            if clause.kind == "unread":
                state.poisoned |= clause.scoped or state.other_year(clause)
                continue
            if clause.lead("SCOPE") or state.other_year(clause):
                state.poisoned = True
                continue
            state.part |= clause.lead("SUB")
            if clause.kind == "dangling":
                state.skip_next = True
                continue
            if clause.kind != "fact" or skip or state.poisoned:
                if clause.subject in _REVIEW_GROUPS:
                    state.group = None
                continue
            if not self._scope(clause, state, sentence.section):
                continue
            readings = self.readings(clause, state)
            if readings:
                self._compare(sentence, clause, readings, state)

    def _compare(self, sentence: Sentence, clause: Clause, readings: list[Reading],
                 state: _State) -> None:
        amount = clause.amount
        assert amount is not None
        money = readings[0].column == "amount_wan_yuan"
        if money != (amount.unit is not None):
            return  # a count where money belongs, or money where a count does
        values = [r.value for r in readings]
        if any(v is None for v in values) or any(self._placed_by_parser(r) for r in readings):
            return  # a blank, inferred or parser-placed cell: nothing printed to hold it to
        agrees = any(_agrees(amount, v) for v in values)  # type: ignore[arg-type]
        state.compared.append((sentence, clause, readings, agrees))
        if agrees:
            return
        line = sentence.line(clause.start + amount.pos)
        first = readings[0]
        held = [(r.section, r.row, r.column, _fmt(r.value)) for r in readings]  # type: ignore[arg-type]
        state.found.append(Diagnostic(
            "NARRATIVE_MISMATCH", "warning",
            mismatch_message(_quote(sentence, clause), amount.text.replace(" ", ""),
                             _quantity(clause, first), held),
            section=first.section, line=line.src, row=first.row, column=first.column,
            page=line.page, responsibility="report",
            params={"sentence": _quote(sentence, clause), "number": amount.text.replace(" ", ""),
                    "cells": [{"section": r.section, "row": r.row, "column": r.column,
                               "value": int(r.value) if float(r.value).is_integer()
                               else float(r.value)} for r in readings]}))


def _quantity(clause: Clause, reading: Reading) -> str:
    """What the number counts, in words: "applications received", "administrative reviews
    with result pending"."""
    if reading.section == "四":
        cases = _QUANTITY["review" if reading.row == "review" else "litigation"]
        return cases if reading.column == "total" else f"{cases} with result {reading.column}"
    return _QUANTITY.get(clause.subject or "", "items")


def _agrees(amount: Amount, value: float) -> bool:
    if amount.unit is None:
        return abs(float(amount.value) - value) < 1e-9
    # Money to the precision it is printed with: 12.5万元 agrees with 12.53 万元.
    in_unit = Decimal(str(value)) / UNITS_WAN[amount.unit]
    return abs(in_unit - Decimal(amount.value)) < Decimal(5) / 10 ** (amount.places + 1)


def comparisons(report: Report, sentences: list[Sentence], diagnostics: list[Diagnostic] = ()
                ) -> tuple[list[tuple[Sentence, Clause, list[Reading], bool]], list[Diagnostic]]:
    """Every clause held to the tables (with whether it agrees), and the findings.
    ``diagnostics``: the table's findings so far; a row the parser placed by its own choice
    (``responsibility: "parser"``) is not held against the report."""
    if not any(report.applications.rows.values()) and not report.review_litigation.groups \
            and not report.active_disclosure:
        return [], []
    placed = {(d.section, d.row) for d in diagnostics if d.responsibility == "parser"}
    checker = NarrativeCheck(report, placed)
    compared, found = [], []
    after_total = False
    for sentence in sentences:
        if not has_amount(sentence.text):  # no clause read (read_sentence), none compared
            after_total = False
            continue
        state = _State(report.year)
        checker.sentence(sentence, state, after_total)
        compared += state.compared
        found += state.found
        after_total = bool(state.compared) and not state.poisoned
    return compared, found


def check(report: Report, sentences: list[Sentence],
          diagnostics: list[Diagnostic] = ()) -> list[Diagnostic]:
    """NARRATIVE_MISMATCH for every number the prose states that the tables do not hold."""
    return comparisons(report, sentences, diagnostics)[1]
