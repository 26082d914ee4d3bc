"""Tests of the test-data generator itself (tests/generate.py), not of the parser."""

from __future__ import annotations

import html
import re
from typing import Any

import opencc
import pytest
from generate import (
    APPLICATION_COLUMNS,
    BLANK_LAYOUTS,
    LAYOUTS,
    REVIEW_GROUPS,
    REVIEW_RESULTS,
    SECTION_HEADINGS,
    GeneratedReport,
    application_row_keys,
    arithmetic_errors,
    break_total,
    make_report,
    render,
)

SEEDS = range(40)
TEMPLATES = ("2019", "2021")
S2TWP = opencc.OpenCC("s2twp")

# Row keys exactly as output-contract.md lists them.
CONTRACT_ROWS_2019 = (
    "new_received carried_over granted partially_granted "
    "denied.state_secret denied.prohibited_by_law denied.three_safeties_one_stability "
    "denied.third_party_rights denied.internal_affairs denied.process_info "
    "denied.law_enforcement_file denied.administrative_query "
    "unable.not_held unable.needs_creation unable.unclear_after_correction "
    "not_processed.petition_complaint not_processed.repeated not_processed.publication "
    "not_processed.excessive not_processed.confirm_or_reissue other total carried_forward"
).split()
CONTRACT_ROWS_2021 = [
    *CONTRACT_ROWS_2019[:20],
    "other.overdue_correction",
    "other.overdue_fee",
    "other.other",
    "total",
    "carried_forward",
]

ACTIVE_SHAPE = {
    "2019": {
        "art20_1": {"rules": {"new_made", "new_published", "total_published"},
                    "normative_documents": {"new_made", "new_published", "total_published"}},
        "art20_5": {"administrative_license": {"prev_year_items", "change", "decisions"},
                    "other_services": {"prev_year_items", "change", "decisions"}},
        "art20_6": {"administrative_penalty": {"prev_year_items", "change", "decisions"},
                    "administrative_coercion": {"prev_year_items", "change", "decisions"}},
        "art20_8": {"administrative_fees": {"prev_year_items", "change"}},
        "art20_9": {"centralized_procurement": {"projects", "amount_wan_yuan", "amount_raw"}},
    },
    "2021": {
        "art20_1": {"rules": {"issued", "repealed", "in_force"},
                    "normative_documents": {"issued", "repealed", "in_force"}},
        "art20_5": {"administrative_license": {"decisions"}},
        "art20_6": {"administrative_penalty": {"decisions"},
                    "administrative_coercion": {"decisions"}},
        "art20_8": {"administrative_fees": {"amount_wan_yuan"}},
    },
}


def _layouts_for(report: GeneratedReport) -> tuple[str, ...]:
    return tuple(sorted(BLANK_LAYOUTS)) if report.has_blanks else LAYOUTS


@pytest.mark.parametrize("template", TEMPLATES)
@pytest.mark.parametrize("blanks", [False, True])
def test_expected_values_obey_the_arithmetic(template: str, blanks: bool) -> None:
    for seed in SEEDS:
        report = make_report(seed, template, blanks=blanks)
        assert arithmetic_errors(report.expected) == [], seed
        # The same relations, written out without the helper, on the non-blank reading.
        rows = report.expected["applications"]["rows"]
        values = {k: [0 if x is None else x for x in row] for k, row in rows.items()}
        outcome = CONTRACT_ROWS_2019[2:21] if template == "2019" else CONTRACT_ROWS_2021[2:23]
        for col in range(7):
            assert values["total"][col] == sum(values[k][col] for k in outcome)
            assert (values["new_received"][col] + values["carried_over"][col]
                    == values["total"][col] + values["carried_forward"][col])
            assert all(v >= 0 for row in values.values() for v in row)
        for key, row in values.items():
            assert row[6] == sum(row[:6]), key
        for group in report.expected["review_litigation"].values():
            if group["total"] is not None:
                assert group["total"] == sum(group[k] for k in REVIEW_RESULTS[:4])


@pytest.mark.parametrize("template", TEMPLATES)
def test_shape_follows_the_output_contract(template: str) -> None:
    report = make_report(1, template)
    exp = report.expected
    assert exp["template"] == template
    assert exp["title"] == f"{exp['agency']}{exp['year']}年政府信息公开工作年度报告"
    assert exp["published"] == report.published.isoformat()
    assert exp["applications"]["columns"] == list(APPLICATION_COLUMNS)
    rows = CONTRACT_ROWS_2019 if template == "2019" else CONTRACT_ROWS_2021
    assert list(exp["applications"]["rows"]) == rows
    assert list(application_row_keys(template)) == rows
    assert all(len(r) == 7 for r in exp["applications"]["rows"].values())
    assert list(exp["review_litigation"]) == list(REVIEW_GROUPS)
    assert all(list(g) == list(REVIEW_RESULTS) for g in exp["review_litigation"].values())
    shape = {item: {row: set(cols) for row, cols in rows_.items()}
             for item, rows_ in exp["active_disclosure"].items()}
    assert shape == ACTIVE_SHAPE[template]


@pytest.mark.parametrize("template", TEMPLATES)
def test_years_agencies_and_dates(template: str) -> None:
    years = set()
    for seed in SEEDS:
        report = make_report(seed, template)
        years.add(report.year)
        low, high = (2019, 2020) if template == "2019" else (2021, 2025)
        assert low <= report.year <= high
        assert report.published is not None and report.published.year == report.year + 1
        assert re.search(r"(市|区|县)", report.agency)
    assert len(years) > 1


@pytest.mark.parametrize("template", TEMPLATES)
def test_values_are_mostly_non_zero(template: str) -> None:
    cells = [
        v
        for seed in SEEDS
        for row in make_report(seed, template).expected["applications"]["rows"].values()
        for v in row
    ]
    share = sum(1 for v in cells if v) / len(cells)
    assert share > 0.7
    zero = make_report(0, template, zero_share=1.0).expected["applications"]["rows"]
    assert all(v == 0 for row in zero.values() for v in row)


def test_amounts_and_signed_changes() -> None:
    raws, changes = set(), []
    for seed in range(80):
        exp = make_report(seed, "2019").expected["active_disclosure"]
        proc = exp["art20_9"]["centralized_procurement"]
        raw, wan = proc["amount_raw"], proc["amount_wan_yuan"]
        raws.add(raw[-2:] if raw.endswith("万元") else raw[-1:])
        if raw.endswith("万元"):
            assert wan == float(raw[:-2])
        elif raw.endswith("元"):
            assert wan == pytest.approx(float(raw[:-1]) / 10000)
        else:
            assert raw == "0" and wan == 0.0
        changes += [r["change"] for item in ("art20_5", "art20_6", "art20_8")
                    for r in exp[item].values()]
        fees = make_report(seed, "2021").expected["active_disclosure"]["art20_8"]
        assert isinstance(fees["administrative_fees"]["amount_wan_yuan"], float)
    assert {"万元", "元"} <= raws
    assert min(changes) < 0 < max(changes)


@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("template", TEMPLATES)
def test_rendering_is_deterministic(layout: str, template: str) -> None:
    for seed in range(6):
        a = make_report(seed, template)
        b = make_report(seed, template)
        assert a.expected == b.expected
        assert render(a, layout, seed=3) == render(b, layout, seed=3)
    texts = {render(make_report(0, template), layout, seed=s) for s in range(6)}
    assert len(texts) > 1


def _plain(text: str, layout: str) -> str:
    """Text with markup removed, so headings and numbers can be found in any layout."""
    if layout == "html":
        text = html.unescape(re.sub(r"<[^>]+>", "\n", text))
    return text


def _page_line(line: str) -> bool:
    return bool(re.fullmatch(r"\s*(-\s*\d+\s*-|第\s*\d+\s*页)\s*", line))


def _number_tokens(text: str) -> list[str]:
    lines = [ln for ln in text.splitlines() if not _page_line(ln)]
    tokens = re.split(r"[\s|]+", "\n".join(lines))
    return [t for t in tokens if re.fullmatch(r"[+-]?\d+(\.\d+)?(元|万元|萬元)?", t)]


def _between(text: str, start: str, end: str) -> str:
    i = text.index(start)
    return text[i : text.index(end, i)]


def _expected_tokens(report: GeneratedReport) -> dict[str, list[str]]:
    exp = report.expected
    active: list[str] = []
    for item, rows in exp["active_disclosure"].items():
        for row_key, cols in rows.items():
            for col, value in cols.items():
                if col == "amount_raw":
                    continue
                text = report.printed.get((item, row_key, col), str(value))
                active.append(text)
    apps = [str(v) for row in exp["applications"]["rows"].values() for v in row if v is not None]
    review = [str(g[r]) for g in exp["review_litigation"].values() for r in REVIEW_RESULTS
              if g[r] is not None]
    return {"二": active, "三": apps, "四": review}


@pytest.mark.parametrize("template", TEMPLATES)
@pytest.mark.parametrize("blanks", [False, True])
def test_all_layouts_print_the_same_numbers(template: str, blanks: bool) -> None:
    for seed in range(12):
        report = make_report(seed, template, blanks=blanks)
        want = _expected_tokens(report)
        for layout in _layouts_for(report):
            for render_seed in (0, 1):
                text = _plain(render(report, layout, seed=render_seed), layout)
                heads = [S2TWP.convert(h) if layout == "traditional" else h
                         for h in SECTION_HEADINGS]
                for number, start, end in (("二", 1, 2), ("三", 2, 3), ("四", 3, 4)):
                    got = _number_tokens(_between(text, heads[start], heads[end]))
                    expect = want[number]
                    if layout == "traditional":
                        expect = [S2TWP.convert(t) for t in expect]
                    assert got == expect, (seed, layout, render_seed, number)


@pytest.mark.parametrize("template", TEMPLATES)
def test_title_headings_and_signature(template: str) -> None:
    for seed in range(8):
        report = make_report(seed, template)
        for layout in LAYOUTS:
            text = _plain(render(report, layout, seed=seed), layout)
            if layout == "traditional":
                text = opencc.OpenCC("tw2sp").convert(text)
            lines = [re.sub(r"^#+\s*", "", ln).replace(" ", "").strip()
                     for ln in text.splitlines()]
            lines = [ln for ln in lines if ln]
            assert report.title in lines, layout
            for heading in SECTION_HEADINGS:
                assert heading in lines, (layout, heading)
            d = report.published
            assert lines[-2:] == [report.agency, f"{d.year}年{d.month}月{d.day}日"], layout


def test_traditional_uses_taiwan_phrasing() -> None:
    for template in TEMPLATES:
        for seed in range(4):
            text = render(make_report(seed, template), "traditional", seed=seed)
            assert "規範性檔案" in text
            assert "规范性文件" not in text and "規範性文件" not in text


def test_spaces_layout_looks_like_a_pdf_text_layer() -> None:
    wrapped_partial = False
    for seed in range(10):
        report = make_report(seed, "2021")
        text = render(report, "spaces", seed=seed)
        assert "\t" not in text and "|" not in text
        section3 = _between(text, SECTION_HEADINGS[2], SECTION_HEADINGS[3])
        assert any(_page_line(ln) for ln in section3.splitlines())
        # …and one inside the narrative (intro, 一, 五 or 六).
        i, j = text.index(SECTION_HEADINGS[1]), text.index(SECTION_HEADINGS[4])
        narrative = (text[:i] + text[j:]).splitlines()
        assert any(_page_line(ln) for ln in narrative)
        # A label line never starts with a number: numbers follow their labels.
        for line in section3.splitlines():
            if not _page_line(line):
                assert not re.match(r"\d+ ", line), line
        wrapped_partial |= bool(re.search(r"^(（二）|\(二\) ?)部分公开[^ ]*$", section3, re.M)) or \
            bool(re.search(r"^(（二）|\(二\) ?)部分公开\S* [\d ]+$\n\S", section3, re.M))
    assert wrapped_partial


def test_wrapped_layout_splits_labels_around_page_junk() -> None:
    seen_junk = seen_spaced = 0
    for seed in range(10):
        text = render(make_report(seed, "2019"), "wrapped", seed=seed)
        seen_junk += sum(1 for ln in text.splitlines() if _page_line(ln))
        seen_spaced += ("结 果 维 持" in text) or ("结果 维持" in text)
    assert seen_junk >= 20 and seen_spaced == 10


def test_blank_cells_only_in_layouts_that_can_show_them() -> None:
    report = make_report(3, "2021", blanks=True)
    assert report.has_blanks
    rows = report.expected["applications"]["rows"]
    assert all(row[0] is not None and row[6] is not None for row in rows.values())
    blank_cols = {c for c in range(1, 6) if rows["total"][c] is None}
    assert blank_cols
    for c in blank_cols:  # whole columns are blank, never single cells
        assert all(row[c] is None for row in rows.values())
    for layout in LAYOUTS:
        if layout in BLANK_LAYOUTS:
            render(report, layout)
        else:
            with pytest.raises(ValueError):
                render(report, layout)
    tab = render(report, "tab")
    first = next(ln for ln in tab.splitlines() if ln.startswith("一、本年新收"))
    fields = first.split("\t")[-7:]
    assert [f or None for f in fields] == [None if v is None else str(v)
                                          for v in rows["new_received"]]


def _diff(a: Any, b: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    if isinstance(a, dict):
        return [d for k in a for d in _diff(a[k], b[k], (*path, k))]
    if isinstance(a, list):
        return [d for i, (x, y) in enumerate(zip(a, b, strict=True))
                for d in _diff(x, y, (*path, i))]
    return [] if a == b else [path]


@pytest.mark.parametrize("template", TEMPLATES)
@pytest.mark.parametrize("blanks", [False, True])
def test_break_total_changes_exactly_one_printed_total(template: str, blanks: bool) -> None:
    tables = set()
    for seed in range(30):
        report = make_report(seed, template, blanks=blanks)
        broken, info = break_total(report, seed)
        tables.add(info["table"])
        diffs = _diff(report.expected, broken.expected)
        assert len(diffs) == 1
        path = diffs[0]
        if info["table"] == "applications":
            col = APPLICATION_COLUMNS.index(info["column"])
            assert path == ("applications", "rows", info["row"], col)
            assert info["row"] == "total" or info["column"] == "total"
            printed = broken.expected["applications"]["rows"][info["row"]][col]
        else:
            assert path == ("review_litigation", info["row"], "total")
            printed = broken.expected["review_litigation"][info["row"]]["total"]
        assert printed == info["printed"] != info["computed"]
        errors = arithmetic_errors(broken.expected)
        assert errors
        for e in errors:
            assert e["row"] == info["row"] or e["column"] == info["column"]
        assert report.expected == make_report(seed, template, blanks=blanks).expected
        layout = "tab"
        assert render(broken, layout, seed=1) != render(report, layout, seed=1)
        again, info2 = break_total(report, seed)
        assert info2 == info and again.expected == broken.expected
    assert tables == {"applications", "review_litigation"}


def test_bad_arguments() -> None:
    with pytest.raises(ValueError):
        make_report(0, "2020")
    with pytest.raises(ValueError):
        render(make_report(0, "2019"), "pdf")
