"""Generated report series of one agency over consecutive years, with the carry-overs the
cross-year checks read kept consistent, and breaks planted where a test says.

`make_series` draws one report a year with `generate.make_report` (the 2019 template for
2019–2020, 2021 from 2021), gives it the series' agency and year, and chains it to the year
before: 上年结转 = last year's 结转下年度 per column (一 and 四 adjusted so that 一+二 = （七）+四
still holds), 2021's 现行有效 = last year's + 制发 − 废止, 2019's 上一年项目数量 = last year's
+ 本年增/减.  The `break_*` functions each plant one break that only the pair it names shows;
`finish` writes the narrative again from the final numbers."""

from __future__ import annotations

import random
from datetime import date

import generate as G

CARRY = ("new_received", "carried_over", "total", "carried_forward")
IN_FORCE_ROWS = ("rules", "normative_documents")
ITEM_ROWS = (("art20_5", "administrative_license"), ("art20_5", "other_services"),
             ("art20_6", "administrative_penalty"), ("art20_6", "administrative_coercion"),
             ("art20_8", "administrative_fees"))


def template_of(year: int) -> str:
    return "2019" if year <= 2020 else "2021"


def _rename(report: G.GeneratedReport, agency: str, year: int) -> None:
    report.agency, report.year = agency, year
    report.title_parts = (agency, f"{year}年", "政府信息公开工作年度报告")
    report.title = "".join(report.title_parts)
    report.published = date(year + 1, 1, 20)
    exp = report.expected
    exp.update(agency=agency, year=year, title=report.title,
               published=report.published.isoformat())


def _chain(prev: G.GeneratedReport, cur: G.GeneratedReport) -> None:
    rows = cur.expected["applications"]["rows"]
    before = prev.expected["applications"]["rows"]["carried_forward"]
    for c in range(6):
        co = before[c]
        nr = max(rows["new_received"][c], rows["total"][c] - co)
        rows["carried_over"][c], rows["new_received"][c] = co, nr
        rows["carried_forward"][c] = nr + co - rows["total"][c]
    for key in CARRY:
        rows[key][6] = sum(rows[key][:6])
    active, last = cur.expected["active_disclosure"], prev.expected["active_disclosure"]
    if cur.template == prev.template == "2021":
        for row in IN_FORCE_ROWS:
            cells, old = active["art20_1"][row], last["art20_1"][row]["in_force"]
            cells["repealed"] = min(cells["repealed"], old + cells["issued"])
            cells["in_force"] = old + cells["issued"] - cells["repealed"]
    if cur.template == prev.template == "2019":
        for item, row in ITEM_ROWS:
            old = last[item][row]
            cells = active[item][row]
            cells["prev_year_items"] = old["prev_year_items"] + old["change"]
            if cells["prev_year_items"] + cells["change"] < 0:
                cells["change"] = -cells["prev_year_items"]
                cur.printed.pop((item, row, "change"), None)


def make_series(agency: str | list[str], years: range, seed: int) -> dict[int, G.GeneratedReport]:
    """One report a year; ``agency`` may give the name each year prints (variants of one
    agency, or one name for all)."""
    names = agency if isinstance(agency, list) else [agency] * len(years)
    out: dict[int, G.GeneratedReport] = {}
    for name, year in zip(names, years, strict=True):
        report = G.make_report(seed * 1000 + year, template_of(year))
        _rename(report, name, year)
        if year - 1 in out:
            _chain(out[year - 1], report)
        out[year] = report
    return out


def break_carry(report: G.GeneratedReport) -> str:
    """上年结转 one more in a column and its 总计 (one less newly received): the pair (t−1, t)
    breaks in both.  Returns the column."""
    rows = report.expected["applications"]["rows"]
    c = next(i for i in range(6) if rows["new_received"][i] >= 1)
    for i in (c, 6):  # 总计 with it: the report's own arithmetic holds
        rows["carried_over"][i] += 1
        rows["new_received"][i] -= 1
    return G.APPLICATION_COLUMNS[c]


def break_in_force(report: G.GeneratedReport, row: str) -> None:
    """One more 制发 with the same 现行有效: the pair (t−1, t) breaks, (t, t+1) holds."""
    report.expected["active_disclosure"]["art20_1"][row]["issued"] += 1


def break_items(report: G.GeneratedReport, item: str, row: str) -> None:
    """本年增/减 of year t−1 one more: the pair (t−1, t) breaks."""
    cells = report.expected["active_disclosure"][item][row]
    cells["change"] += 1
    report.printed.pop((item, row, "change"), None)


def finish(series: dict[int, G.GeneratedReport], seed: int) -> None:
    """The narrative quotes the final numbers."""
    for year, report in series.items():
        report.intro, report.narrative = G._make_narrative(
            report, random.Random(f"series:{seed}:{year}"))
