"""A report's diagnostics as findings for people: diagnostics of one cause grouped into one
finding (the 25 rows of one crawled page whose digits run together, the columns in which one
relation fails), each told in the catalogue's language with the template's labels, and the
cells each one touches (for the HTML page)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from govreport_lark.model import APPLICANT_COLUMNS, REVIEW_FIELDS, Diagnostic, Report
from govreport_lark.output.labels import cell_label, column_label, labels, row_label, section_label
from govreport_lark.output.messages import Catalogue

SEVERITIES = ("error", "warning", "info")
_SECTION_ORDER = {s: i for i, s in enumerate(("一", "二", "三", "四", "五", "六"))}
# 三's rows that are no outcome of the year's applications (the relation 一+二 = （七）+四).
_BALANCE_ROWS = ("new_received", "carried_over", "total", "carried_forward")

Cell = tuple[str, str, str]  # (section, row, column)


@dataclass
class Item:
    """One place of a finding: one diagnostic in words."""

    text: str
    line: int | None
    page: int | None
    where: str  # the line and page in words
    diagnostic: Diagnostic
    cells: list[Cell] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        d = self.diagnostic
        out: dict[str, Any] = {"text": self.text, "line": self.line, "page": self.page,
                               "row": d.row, "column": d.column, "message": d.message}
        if d.params:
            out["params"] = d.params
        out["cells"] = [list(c) for c in self.cells]
        return out


@dataclass
class Finding:
    code: str
    severity: str
    responsibility: str | None
    section: str | None
    section_label: str
    title: str
    items: list[Item]

    @property
    def cells(self) -> list[Cell]:
        return list(dict.fromkeys(c for item in self.items for c in item.cells))

    def to_dict(self) -> dict[str, Any]:
        return {"code": self.code, "severity": self.severity,
                "responsibility": self.responsibility, "section": self.section,
                "section_label": self.section_label, "title": self.title,
                "items": [i.to_dict() for i in self.items]}


def variant(d: Diagnostic) -> str | None:
    """Which sentence of the code's tells this diagnostic (the catalogue's key part)."""
    p = d.params
    if d.code == "SUM_MISMATCH":
        return p.get("relation")
    if d.code == "ROW_CELL_COUNT":
        return p.get("how")
    if d.code == "MISSING_ROW" and "inferred" in p:
        return "inferred" if p["inferred"] else "blank"
    if d.code == "SECTION_MISSING" and "table" in p:
        return "table" if p["table"] else "text"
    if d.code == "EXTRA_ROW" and "kept" in p:
        return "kept" if p["kept"] else "unplaced"
    if d.code == "TEMPLATE_MIXED":
        if "votes_2019" in p:
            return "votes"
        if "by_active" in p:
            return "sections"
        if "item" in p:
            return "item_of"
        if "printed" in p:
            return "row_of"
    if d.code == "TABLE_PARSE_ERROR" and d.severity == "error":
        return "unreadable"
    return None


def _group_key(d: Diagnostic) -> tuple:
    # The failed relations of one table are told together: one wrong number breaks several.
    kind = None if d.code == "SUM_MISMATCH" else variant(d)
    key: tuple = (d.code, d.severity, d.responsibility, d.section, kind)
    if d.code == "NARRATIVE_MISMATCH":  # each sentence is its own cause
        key += (d.line, d.params.get("sentence"))
    if d.code in ("ROW_UNRESOLVED", "DIGITS_RUN_TOGETHER"):  # one crawled page, one cause
        key += (d.page,)
    return key


def fmt_value(value: Any) -> str:
    """A number as printed: 3, not 3.0."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


class Teller:
    """Tells diagnostics in one language with the labels of one template."""

    def __init__(self, lang: str = "zh", template: str | None = None) -> None:
        self.cat = Catalogue(lang)
        self.template = template

    def key(self, d: Diagnostic, part: str) -> str | None:
        v = variant(d)
        for key in ((f"{d.code}.{v}.{part}",) if v else ()) + (f"{d.code}.{part}",):
            if self.cat.has(key):
                return key
        return None

    def values(self, d: Diagnostic) -> dict[str, Any]:
        t, sep = self.template, self.cat("values.sep")
        out: dict[str, Any] = {}
        for name, value in d.params.items():
            out[name] = sep.join(fmt_value(v) for v in value) if isinstance(value, list) else fmt_value(value)
        out.update(
            section=section_label(d.section, t),
            row=row_label(d.section, d.row, t) or self.cat("row.whole"),
            column=column_label(d.section, d.column, t),
            cell=cell_label(d.section, d.row, d.column, t) or section_label(d.section, t))
        if "label" in d.params:
            out["label"] = f"“{d.params['label']}”"
        if "after" in d.params:
            out["after"] = row_label(d.section, d.params["after"], t)
        if "item" in d.params:
            item = d.params["item"]
            out["item"] = labels(t).items.get(item) or section_label(item, t) or item
        if d.code == "NARRATIVE_MISMATCH":
            out["cells"] = self.cat("cells.sep").join(
                self.cat("NARRATIVE_MISMATCH.cell",
                         cell=cell_label(c["section"], c["row"], c["column"], t),
                         value=fmt_value(c["value"]))
                for c in d.params.get("cells", []))
        return out

    def where(self, d: Diagnostic) -> str:
        if d.line is not None and d.page is not None:
            return self.cat("where.page", line=d.line, page=d.page)
        if d.line is not None:
            return self.cat("where.line", line=d.line)
        if d.page is not None:
            return self.cat("where.page_only", page=d.page)
        return ""

    def item(self, d: Diagnostic) -> str:
        key = self.key(d, "item")
        text = d.message if key is None else self.cat(key, **self.values(d))
        if d.code == "SUM_MISMATCH" and d.params.get("placed") and key is not None:
            text += self.cat("SUM_MISMATCH.placed")
        return text

    def title(self, d: Diagnostic, *, general: bool = False) -> str:
        """``general``: the group's members differ in variant; the code's own sentence."""
        key = f"{d.code}.title" if general and self.cat.has(f"{d.code}.title") else \
            self.key(d, "title")
        return d.code if key is None else self.cat(key, **self.values(d))


def cells_touched(d: Diagnostic, report: Report | None) -> list[Cell]:
    """The table cells a diagnostic is about: a failed sum's total and parts, a row's cells,
    the cells a sentence was held to."""
    s, row, col = d.section, d.row, d.column
    if s not in ("二", "三", "四"):
        return []
    app_rows = list(report.applications.rows) if report else []
    if d.code == "SUM_MISMATCH":
        relation = d.params.get("relation")
        if relation == "row_total" and row:
            return [(s, row, c) for c in APPLICANT_COLUMNS]
        if relation == "balance" and col:
            return [(s, r, col) for r in _BALANCE_ROWS]
        if relation == "outcomes" and col:
            return [(s, r, col) for r in app_rows if r not in _BALANCE_ROWS[:2]
                    and r != "carried_forward"]
        if relation == "group_total" and row:
            return [(s, row, f) for f in REVIEW_FIELDS]
    if d.code == "NARRATIVE_MISMATCH":
        out: list[Cell] = []
        for c in d.params.get("cells", []):
            for r in _rows_named(c["section"], c["row"], report):
                out.append((c["section"], r, c["column"]))
        return out
    if row and col:
        return [(s, row, col)]
    if row:
        return [(s, row, c) for c in _columns_of(s, row, report)]
    return []


def _rows_named(section: str, row: str, report: Report | None) -> list[str]:
    """"new_received+carried_over" and "denied.*" as the rows they sum."""
    out = []
    for part in row.split("+"):
        if part.endswith(".*") and report is not None:
            out += [r for r in report.applications.rows if r.startswith(part[:-1])]
        else:
            out.append(part)
    return out


def _columns_of(section: str, row: str, report: Report | None) -> list[str]:
    if section == "三":
        return list(APPLICANT_COLUMNS)
    if section == "四":
        return list(REVIEW_FIELDS)
    if report is not None:
        for table in report.active_disclosure.values():
            cells = table.rows.get(row) or table.extra.get(row)
            if cells:
                return list(cells)
    return []


def findings(report: Report, lang: str = "zh", *, verbose: bool = True) -> list[Finding]:
    """The report's diagnostics grouped by cause, errors first, then by section."""
    teller = Teller(lang, report.template)
    groups: dict[tuple, list[Diagnostic]] = {}
    for d in report.diagnostics:
        if verbose or d.severity != "info":
            groups.setdefault(_group_key(d), []).append(d)
    out = []
    for members in groups.values():
        first = members[0]
        items: list[Item] = []
        seen: set[tuple[str, str]] = set()
        for d in members:
            text, where = teller.item(d), teller.where(d)
            if (text, where) in seen:
                items[-1].cells += cells_touched(d, report)
                continue
            seen.add((text, where))
            items.append(Item(text, d.line, d.page, where, d, cells_touched(d, report)))
        out.append(Finding(first.code, first.severity, first.responsibility, first.section,
                           section_label(first.section, report.template),
                           teller.title(first, general=len({variant(d) for d in members}) > 1),
                           items))
    out.sort(key=lambda f: (SEVERITIES.index(f.severity) if f.severity in SEVERITIES else 3,
                            _SECTION_ORDER.get(f.section or "", -1)))
    return out


def render_finding(f: Finding, cat: Catalogue) -> list[str]:
    """The finding as lines of text: its head, then one line a place."""
    places = cat.count("finding.places", len(f.items)) if len(f.items) > 1 else ""
    # One place for all (a crawled page is one line): said once, on the head.
    wheres = {item.where for item in f.items}
    shared = len(f.items) > 1 and len(wheres) == 1
    values = dict(severity=cat(f"severity.{f.severity}"), section=f.section_label or cat("section.none"),
                  title=f.title, places=places, code=f.code,
                  where=next(iter(wheres)) if shared else "")
    if f.responsibility:
        head = cat("finding.head", fault=cat(f"fault.{f.responsibility}"), **values)
    else:
        head = cat("finding.head.nofault", **values)
    lines = ["  " + head]
    for item in f.items:
        where = "" if shared else item.where
        if item.text or where:
            lines.append(cat("finding.item", text=item.text, where=where))
    return lines
