"""Cross-year checks: what one year's report carries over must be what the year before
carried forward.

Per agency (matched by ``agency_key``) and each pair of consecutive years t−1, t:

* 三, both templates and across their change: 上年结转(t) = 结转下年度继续办理(t−1), per column;
* 二, 2021 template both years: 现行有效件数(t) = 现行有效件数(t−1) + 本年制发(t) − 本年废止(t),
  for 规章 and 行政规范性文件;
* 二, 2019 template both years: 上一年项目数量(t) = 上一年项目数量(t−1) + 本年增/减(t−1), for
  every row of items 五, 六 and 八 that prints them.

A blank (null) cell is never compared.  A report's identity (agency, year) is taken as
parsed, never guessed: two reports claiming one agency and year are named
(``DUPLICATE_REPORT``) and neither is compared; a report without agency or year is left out
(``IDENTITY_MISSING``).  Only the few cells the checks read are kept per report."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from govreport_lark.model import APPLICANT_COLUMNS
from govreport_lark.output.agency import agency_key

FINDING_COLUMNS = ("code", "severity", "agency", "agency_key", "year", "previous_year", "check",
                   "table", "row", "column", "value", "previous_row", "previous_column",
                   "previous_value", "expected", "source", "sha256", "previous_source",
                   "previous_sha256", "message")

_IN_FORCE_ROWS = ("art20_1.rules", "art20_1.normative_documents")
_ITEM_ROWS = ("art20_5.administrative_license", "art20_5.other_services",
              "art20_6.administrative_penalty", "art20_6.administrative_coercion",
              "art20_8.administrative_fees")
_LABELS = {"art20_1.rules": "规章", "art20_1.normative_documents": "行政规范性文件",
           "art20_5.administrative_license": "行政许可", "art20_5.other_services": "其他对外管理服务事项",
           "art20_6.administrative_penalty": "行政处罚", "art20_6.administrative_coercion": "行政强制",
           "art20_8.administrative_fees": "行政事业性收费"}


def _needed(table: str, row: str, column: str) -> bool:
    if table == "applications":
        return row in ("carried_over", "carried_forward")
    if table == "active_disclosure":
        return (row in _IN_FORCE_ROWS and column in ("issued", "repealed", "in_force")
                or row in _ITEM_ROWS and column in ("prev_year_items", "change"))
    return False


@dataclass
class Snapshot:
    """What the checks need of one report."""

    source: str
    sha256: str | None
    agency: str | None
    year: int | None
    template: str | None
    cells: dict[tuple[str, str, str], Any] = field(default_factory=dict)

    @property
    def key(self) -> str | None:
        return agency_key(self.agency)

    def value(self, table: str, row: str, column: str) -> Any:
        return self.cells.get((table, row, column))


def snapshot(cells: Iterable[tuple[Any, ...]]) -> Snapshot | None:
    """A snapshot from one report's long rows (source, sha256, agency, year, template, table,
    row, column, value, …); None for no rows."""
    snap: Snapshot | None = None
    for cell in cells:
        if snap is None:
            # template as text, however the output held it (a Parquet file: an integer)
            snap = Snapshot(cell[0], cell[1] or None, cell[2] or None, cell[3],
                            str(cell[4]) if cell[4] else None)
        table, row, column, value = cell[5:9]
        if _needed(table, row, column) and value is not None:
            if isinstance(value, float) and value.is_integer():
                value = int(value)  # Parquet reads counts back as floats
            snap.cells[(table, row, column)] = value
    return snap


def snapshot_of(report: Any) -> Snapshot | None:
    """A snapshot of a contract dict or a ``Report``; None for an error record."""
    from govreport_lark.output.batch.sinks import long_rows

    if not isinstance(report, dict):
        from govreport_lark.output.emit import report_to_dict

        report = report_to_dict(report)
    if "error" in report:
        return None
    source = report["source"]
    snap = snapshot(long_rows(report))
    return snap or Snapshot(source["path"], source.get("sha256"), report.get("agency"),
                            report.get("year"), report.get("template"))


@dataclass(frozen=True)
class Finding:
    """One cross-year finding (``FINDING_COLUMNS``): a mismatch names both reports, both cells
    and both values; a duplicate or a report left out names its report."""

    code: str
    severity: str
    message: str
    agency: str | None = None
    agency_key: str | None = None
    year: int | None = None
    previous_year: int | None = None
    check: str = ""
    table: str = ""
    row: str = ""
    column: str = ""
    value: Any = None
    previous_row: str = ""
    previous_column: str = ""
    previous_value: Any = None
    expected: Any = None
    source: str = ""
    sha256: str | None = None
    previous_source: str = ""
    previous_sha256: str | None = None

    def row_tuple(self) -> tuple[Any, ...]:
        return tuple(getattr(self, name) for name in FINDING_COLUMNS)

    def to_dict(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in FINDING_COLUMNS}


def _name(s: Snapshot) -> str:
    return f"{s.source} (sha256 {(s.sha256 or '')[:12]})"


class CrossYear:
    """Snapshots in, findings out: ``add`` each report, then ``findings()``."""

    def __init__(self) -> None:
        self.by_agency: dict[str, dict[int, list[Snapshot]]] = defaultdict(lambda: defaultdict(list))
        self.left_out: list[Snapshot] = []
        self.pairs = 0  # pairs of consecutive years compared, after findings()

    def add(self, snap: Snapshot | None) -> None:
        if snap is None:
            return
        if snap.key is None or snap.year is None:
            self.left_out.append(snap)
            return
        self.by_agency[snap.key][snap.year].append(snap)

    def findings(self) -> list[Finding]:
        out: list[Finding] = [self._left_out(s) for s in self.left_out]
        self.pairs = 0
        for key in sorted(self.by_agency):
            years = self.by_agency[key]
            single: dict[int, Snapshot] = {}
            for year in sorted(years):
                found = _distinct(years[year])
                if len(found) == 1:
                    single[year] = found[0]
                else:
                    out.extend(_duplicates(key, year, found))
            for year in sorted(single):
                if year - 1 in single:
                    self.pairs += 1
                    out.extend(compare(single[year - 1], single[year]))
        return out

    @staticmethod
    def _left_out(s: Snapshot) -> Finding:
        missing = " and ".join(w for w, v in (("agency", s.key), ("year", s.year)) if v is None)
        return Finding("IDENTITY_MISSING", "info",
                       f"{_name(s)} names no {missing}; it is left out of the cross-year checks",
                       agency=s.agency, agency_key=s.key, year=s.year, source=s.source,
                       sha256=s.sha256)


def _distinct(snaps: list[Snapshot]) -> list[Snapshot]:
    """The same bytes under two paths are one report; other reports stay apart."""
    seen: dict[Any, Snapshot] = {}
    for s in snaps:
        seen.setdefault(s.sha256 or id(s), s)
    return list(seen.values())


def _duplicates(key: str, year: int, snaps: list[Snapshot]) -> Iterator[Finding]:
    names = "; ".join(_name(s) for s in snaps)
    for s in snaps:
        others = [o for o in snaps if o is not s]
        yield Finding("DUPLICATE_REPORT", "warning",
                      f"{len(snaps)} reports claim {s.agency} {year}: {names}; none of them is "
                      "compared with the years beside it",
                      agency=s.agency, agency_key=key, year=year, source=s.source,
                      sha256=s.sha256, previous_source=others[0].source,
                      previous_sha256=others[0].sha256)


def compare(prev: Snapshot, cur: Snapshot) -> Iterator[Finding]:
    """The checks between the reports of one agency for years t−1 (``prev``) and t."""
    for column in APPLICANT_COLUMNS:
        now = cur.value("applications", "carried_over", column)
        before = prev.value("applications", "carried_forward", column)
        if now is None or before is None or now == before:
            continue
        yield _mismatch(
            prev, cur, "三 上年结转(t) = 结转下年度继续办理(t−1)", "applications",
            ("carried_over", column, now), ("carried_forward", column, before), before,
            f"三 上年结转政府信息公开申请数量 ({column}) is {now} in {_name(cur)} ({cur.year}), "
            f"but 结转下年度继续办理 ({column}) is {before} in {_name(prev)} ({prev.year})")
    if cur.template == prev.template == "2021":
        for row in _IN_FORCE_ROWS:
            now = cur.value("active_disclosure", row, "in_force")
            before = prev.value("active_disclosure", row, "in_force")
            issued = cur.value("active_disclosure", row, "issued")
            repealed = cur.value("active_disclosure", row, "repealed")
            if None in (now, before, issued, repealed):
                continue
            expected = before + issued - repealed
            if now == expected:
                continue
            yield _mismatch(
                prev, cur, "二 现行有效(t) = 现行有效(t−1) + 制发(t) − 废止(t)",
                "active_disclosure", (row, "in_force", now), (row, "in_force", before),
                expected,
                f"二 {_LABELS[row]} 现行有效件数 is {now} in {_name(cur)} ({cur.year}), but "
                f"{before} in force in {_name(prev)} ({prev.year}) + {issued} 制发 − {repealed} "
                f"废止 in {cur.year} make {expected}")
    if cur.template == prev.template == "2019":
        for row in _ITEM_ROWS:
            now = cur.value("active_disclosure", row, "prev_year_items")
            before = prev.value("active_disclosure", row, "prev_year_items")
            change = prev.value("active_disclosure", row, "change")
            if None in (now, before, change):
                continue
            expected = before + change
            if now == expected:
                continue
            yield _mismatch(
                prev, cur, "二 上一年项目数量(t) = 上一年项目数量(t−1) + 本年增/减(t−1)",
                "active_disclosure", (row, "prev_year_items", now),
                (row, "prev_year_items", before), expected,
                f"二 {_LABELS[row]} 上一年项目数量 is {now} in {_name(cur)} ({cur.year}), but "
                f"{before} with a change of {change} in {_name(prev)} ({prev.year}) make "
                f"{expected}")


def _mismatch(prev: Snapshot, cur: Snapshot, check: str, table: str, here: tuple,
              there: tuple, expected: Any, message: str) -> Finding:
    return Finding("CROSS_YEAR_MISMATCH", "warning", message, agency=cur.agency,
                   agency_key=cur.key, year=cur.year, previous_year=prev.year, check=check,
                   table=table, row=here[0], column=here[1], value=here[2],
                   previous_row=there[0], previous_column=there[1], previous_value=there[2],
                   expected=expected, source=cur.source, sha256=cur.sha256,
                   previous_source=prev.source, previous_sha256=prev.sha256)


def cross_year_findings(reports: Iterable[Any]) -> list[Finding]:
    """The cross-year findings of reports given as contract dicts, ``Report`` objects or
    ``Snapshot``s (error records are skipped), for ``govreport check --previous`` and the
    like.  Order: reports left out, then by agency and year."""
    checks = CrossYear()
    for report in reports:
        checks.add(report if isinstance(report, Snapshot) else snapshot_of(report))
    return checks.findings()
