"""Generated reports in the shapes of issue 10: exact values, null and 0 told apart.

Document structures (tables in an appendix after a narrative with its own numbering, behind
captions, under other heading wordings), titles (two lines, cover page, `2025 年`, Chinese
numerals, 关于…的报告, no year), blank cells anywhere in the grid layouts (stub and trailing
cells, the issue's carried_over row, rowspan stubs written into every row), header columns in
another order (COLUMNS_REORDERED) or under a word no template column has (HEADER_UNMATCHED),
and the habits of PDF-to-text tools (labels above their numbers, header rows broken over lines,
a group stub cut by a page number: "（四）无" / "- 4 -" / "法提供").

`compare` accepts a value where null is expected when a diagnostic names the row; here a blank
must come back null, so every cell is also compared strictly.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from generate import (
    APPLICATION_COLUMNS,
    GRID_LAYOUTS,
    LAYOUT_FORMAT,
    REORDERS,
    REVIEW_GROUPS,
    REVIEW_RESULTS,
    TEXT_LAYOUTS,
    TITLE_STYLES,
    GeneratedReport,
    arithmetic_errors,
    make_report,
    render,
)

from govreport_lark import parse_bytes, report_to_dict
from govreport_lark.output.compare import compare

TEMPLATES = ("2019", "2021")
# Every layout that prints each number once and exactly ("wrapped" may lose a cut label).
EXACT_LAYOUTS = ("tab", "lines", "markdown", "spaces", "traditional", "html")
TITLE_LAYOUTS = ("tab", "lines", "markdown", "spaces", "html")
# The template section whose table each reorder touches.
REORDER_SECTION = {
    "applicants": "三",
    "review_groups": "四",
    "review_results": "四",
    "art20_1": "二",
}


def _parse(text: str, layout: str) -> dict[str, Any]:
    fmt = LAYOUT_FORMAT[layout]
    return report_to_dict(parse_bytes(text.encode("utf-8"), path=f"generated.{fmt}"))


def _cells(out: dict[str, Any], expected: dict[str, Any]) -> Iterator[tuple[str, Any, Any]]:
    """(where, expected, got) for every table cell the expected values name."""
    for item, rows in expected["active_disclosure"].items():
        got_item = out.get("active_disclosure", {}).get(item) or {}
        for row, cells in rows.items():
            got_row = got_item.get(row) or {}
            for column, want in cells.items():
                yield f"{item}.{row}.{column}", want, got_row.get(column)
    got_rows = out.get("applications", {}).get("rows") or {}
    for row, cells in expected["applications"]["rows"].items():
        got = got_rows.get(row) or [None] * len(cells)
        for i, want in enumerate(cells):
            yield f"applications.{row}[{APPLICATION_COLUMNS[i]}]", want, got[i]
    for group, cells in expected["review_litigation"].items():
        got_group = out.get("review_litigation", {}).get(group) or {}
        for name, want in cells.items():
            yield f"review_litigation.{group}.{name}", want, got_group.get(name)


def _differences(out: dict[str, Any], report: GeneratedReport) -> list[str]:
    """compare's differences, plus a blank that came back as a value, which compare lets
    pass when a diagnostic names its row."""
    found = compare(out, report.expected).differences
    found += [f"{where}: expected None (blank), got {got!r}"
              for where, want, got in _cells(out, report.expected)
              if want is None and got is not None]
    return found


def _wrong_values(out: dict[str, Any], report: GeneratedReport) -> list[str]:
    """Cells that came back as a number other than the one printed (null is not wrong)."""
    return [f"{where}: expected {want!r}, got {got!r}"
            for where, want, got in _cells(out, report.expected)
            if got is not None and got != want]


def _with(out: dict[str, Any], code: str) -> list[dict[str, Any]]:
    return [d for d in out["diagnostics"] if d["code"] == code]


def _assert_clean(out: dict[str, Any], report: GeneratedReport) -> None:
    """Exact values, no error, and no warning that blames a report which is right (an info
    such as COLUMNS_REORDERED may name the report: it describes, it does not blame)."""
    assert _differences(out, report) == []
    assert out["template"] == report.template
    assert [d for d in out["diagnostics"] if d["severity"] == "error"] == []
    assert [d for d in out["diagnostics"]
            if d["severity"] == "warning" and d.get("responsibility") == "report"] == []
    assert _with(out, "HEADER_UNMATCHED") == []
    if not report.reorder:
        assert _with(out, "COLUMNS_REORDERED") == []


def _assert_metadata(out: dict[str, Any], report: GeneratedReport) -> None:
    assert (out["title"], out["agency"], out["year"]) == (
        report.title, report.agency, report.year
    )


# --------------------------------------------------------------------------- structures


@pytest.mark.parametrize("template", TEMPLATES)
@pytest.mark.parametrize("layout", EXACT_LAYOUTS)
@pytest.mark.parametrize("structure", ["appendix", "captions", "alt_headings"])
@pytest.mark.parametrize("seed", range(2))
def test_structure_comes_back_exact(seed: int, structure: str, layout: str, template: str):
    report = make_report(seed, template, structure=structure)
    out = _parse(render(report, layout, seed=seed), layout)
    _assert_clean(out, report)
    _assert_metadata(out, report)


def _cjk(text: str) -> str:
    return "".join(ch for ch in text if "\u4e00" <= ch <= "\u9fff")


def _narrative_text(value: Any) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, dict):
        return "".join(_narrative_text(v) for v in value.values())
    if isinstance(value, list):
        return "".join(_narrative_text(v) for v in value)
    return ""


@pytest.mark.parametrize("template", TEMPLATES)
@pytest.mark.parametrize("layout", ["tab", "markdown"])
@pytest.mark.parametrize("structure", ["appendix", "captions", "alt_headings"])
@pytest.mark.parametrize("seed", range(2))
def test_narrative_numbered_otherwise_stays_narrative(seed, structure, layout, template):
    """Problems and other matters are kept as text whatever their heading's number."""
    report = make_report(seed, template, structure=structure)
    out = _parse(render(report, layout, seed=seed), layout)
    kept = _cjk(_narrative_text(out.get("narrative")))
    for number in ("五", "六"):
        for _, paragraph in report.narrative[number]:
            assert _cjk(paragraph) in kept, (number, paragraph)


# --------------------------------------------------------------------------- titles


@pytest.mark.parametrize("template", TEMPLATES)
@pytest.mark.parametrize("layout", TITLE_LAYOUTS)
@pytest.mark.parametrize("title_style", [s for s in TITLE_STYLES if s != "plain"])
@pytest.mark.parametrize("seed", range(2))
def test_title_agency_and_year(seed: int, title_style: str, layout: str, template: str):
    report = make_report(seed, template, title_style=title_style)
    out = _parse(render(report, layout, seed=seed), layout)
    _assert_metadata(out, report)
    _assert_clean(out, report)


# --------------------------------------------------------------------------- blank cells


@pytest.mark.parametrize("template", TEMPLATES)
@pytest.mark.parametrize("layout", GRID_LAYOUTS)
@pytest.mark.parametrize("stubs", ["first", "repeat", "spread"])
@pytest.mark.parametrize("seed", range(3))
def test_blank_cells_anywhere_stay_null_in_their_column(seed, stubs, layout, template):
    report = make_report(seed, template, blanks="anywhere", stubs=stubs)
    out = _parse(render(report, layout, seed=seed), layout)
    _assert_clean(out, report)


@pytest.mark.parametrize("template", TEMPLATES)
@pytest.mark.parametrize("layout", GRID_LAYOUTS)
def test_the_issue_row_keeps_its_columns(layout: str, template: str):
    """`| 二、上年结转政府信息公开申请数量 |  |  | 4 |  | 0 | 0 | 0 |  |  |` once gave
    [null, null, 4, null, 0, 0, 0] and a SUM_MISMATCH blaming the report."""
    report = make_report(0, template, blanks="anywhere")
    carried = report.expected["applications"]["rows"]["carried_over"]
    assert carried == [carried[0], None, 0, 0, 0, None, None] and carried[0] > 0
    out = _parse(render(report, layout), layout)
    assert out["applications"]["rows"]["carried_over"] == carried
    assert _with(out, "SUM_MISMATCH") == []


@pytest.mark.parametrize("template", TEMPLATES)
@pytest.mark.parametrize("layout", GRID_LAYOUTS)
@pytest.mark.parametrize("seed", range(2))
def test_blank_columns_with_stubs_in_every_row(seed: int, layout: str, template: str):
    """Today's blank columns, with the rowspan stubs cut over the rows they span."""
    report = make_report(seed, template, blanks=True, stubs="spread")
    out = _parse(render(report, layout, seed=seed), layout)
    _assert_clean(out, report)


# --------------------------------------------------------------------------- header order


@pytest.mark.parametrize("template", TEMPLATES)
@pytest.mark.parametrize("layout", GRID_LAYOUTS)
@pytest.mark.parametrize("reorder", [(name,) for name in REORDERS] + [REORDERS],
                         ids=[*REORDERS, "all"])
@pytest.mark.parametrize("seed", range(2))
def test_reordered_header_columns_are_read_by_their_words(seed, reorder, layout, template):
    report = make_report(seed, template, reorder=reorder)
    out = _parse(render(report, layout, seed=seed), layout)
    _assert_clean(out, report)
    found = _with(out, "COLUMNS_REORDERED")
    assert found, out["diagnostics"]
    assert all(d["severity"] == "info" for d in found)
    sections = {d["section"] for d in found}
    assert sections == {REORDER_SECTION[name] for name in reorder}


@pytest.mark.parametrize("template", TEMPLATES)
@pytest.mark.parametrize("layout", GRID_LAYOUTS)
@pytest.mark.parametrize("seed", range(2))
def test_reordered_columns_with_blank_cells(seed: int, layout: str, template: str):
    report = make_report(seed, template, reorder=REORDERS, blanks="anywhere")
    out = _parse(render(report, layout, seed=seed), layout)
    _assert_clean(out, report)
    assert _with(out, "COLUMNS_REORDERED")


@pytest.mark.parametrize("template", TEMPLATES)
@pytest.mark.parametrize("layout", GRID_LAYOUTS)
@pytest.mark.parametrize("permuted", [False, True], ids=["template_order", "permuted"])
@pytest.mark.parametrize("seed", range(2))
def test_unmatched_header_is_a_warning_never_a_wrong_value(seed, permuted, layout, template):
    """A made-up applicant column word: a warning, and each cell right or null."""
    reorder = ("applicants",) if permuted else ()
    report = make_report(seed, template, reorder=reorder, unmatched_header=True)
    out = _parse(render(report, layout, seed=seed), layout)
    found = _with(out, "HEADER_UNMATCHED")
    assert found, out["diagnostics"]
    assert all(d["severity"] == "warning" for d in found)
    assert {d["section"] for d in found} == {"三"}
    assert _wrong_values(out, report) == []
    _assert_metadata(out, report)


# --------------------------------------------------------------------------- PDF-to-text


@pytest.mark.parametrize("template", TEMPLATES)
@pytest.mark.parametrize("layout", TEXT_LAYOUTS)
@pytest.mark.parametrize("seed", range(4))
def test_labels_above_numbers_and_broken_headers(seed: int, layout: str, template: str):
    report = make_report(seed, template, pdf_habits=True)
    out = _parse(render(report, layout, seed=seed), layout)
    _assert_clean(out, report)
    _assert_metadata(out, report)


# --------------------------------------------------------------------------- together


@pytest.mark.parametrize("template", TEMPLATES)
@pytest.mark.parametrize("layout", GRID_LAYOUTS)
@pytest.mark.parametrize("seed", range(2))
def test_shanghai_style_report(seed: int, layout: str, template: str):
    """Appendix tables, a title over two lines or a cover page, blanks, another column order
    and stubs cut over their rows, all in one report."""
    report = make_report(
        seed, template, structure="appendix", title_style=("two_lines", "cover")[seed % 2],
        blanks="anywhere", reorder=REORDERS, stubs="spread",
    )
    out = _parse(render(report, layout, seed=seed), layout)
    _assert_clean(out, report)
    _assert_metadata(out, report)
    assert _with(out, "COLUMNS_REORDERED")


@pytest.mark.parametrize("template", TEMPLATES)
@pytest.mark.parametrize("layout", TEXT_LAYOUTS)
def test_captions_titles_and_pdf_habits_in_text(layout: str, template: str):
    report = make_report(3, template, structure="captions", title_style="cover",
                         pdf_habits=True)
    out = _parse(render(report, layout, seed=3), layout)
    _assert_clean(out, report)
    _assert_metadata(out, report)


# --------------------------------------------------------------------------- the generator
# These check tests/generate.py itself: that the shapes above print what the tests expect.


def _md_tables(text: str) -> list[list[list[str]]]:
    tables: list[list[list[str]]] = []
    current: list[list[str]] = []
    for line in text.splitlines() + [""]:
        if line.startswith("|"):
            if not re.fullmatch(r"\|(?:---\|)+", line):
                current.append([c.strip() for c in line.strip()[1:-1].split("|")])
        elif current:
            tables.append(current)
            current = []
    return tables


_APPLICANT_WORDS = dict(zip(("自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"),
                            APPLICATION_COLUMNS, strict=False))
_RESULT_WORDS = dict(zip(("结果维持", "结果纠正", "其他结果", "尚未审结", "总计"), REVIEW_RESULTS,
                         strict=True))
_GROUP_WORDS = {"行政复议": "review", "未经复议直接起诉": "litigation_direct",
                "复议后起诉": "litigation_after_review"}


def _applications_by_header(table: list[list[str]]) -> dict[str, list[int | None]]:
    """The 三 table read through its own header words."""
    columns = {c: _APPLICANT_WORDS.get(table[2][c]) or _APPLICANT_WORDS.get(table[1][c])
               for c in range(3, 9)}
    columns[9] = "total"
    rows: dict[str, list[int | None]] = {}
    for row in table[3:]:
        label = next(c for c in reversed(row[:3]) if c)
        values = {columns[c]: (int(row[c]) if row[c] else None) for c in range(3, 10)}
        rows[label] = [values[name] for name in APPLICATION_COLUMNS]
    return rows


def _review_by_header(table: list[list[str]]) -> dict[str, dict[str, int | None]]:
    """The 四 table read through its own header words."""
    out: dict[str, dict[str, int | None]] = {g: {} for g in REVIEW_GROUPS}
    group = None
    for c in range(15):
        mid = table[1][c]
        if mid in _RESULT_WORDS:  # a result header spanning two rows belongs to 行政复议
            where, result = "review", _RESULT_WORDS[mid]
        else:
            group = _GROUP_WORDS[mid] if mid else group
            where, result = group, _RESULT_WORDS[table[2][c]]
        assert where is not None
        out[where][result] = int(table[3][c]) if table[3][c] else None
    return out


@pytest.mark.parametrize("template", TEMPLATES)
@pytest.mark.parametrize("seed", range(6))
def test_generator_reorders_data_with_the_header(seed: int, template: str):
    report = make_report(seed, template, reorder=REORDERS, blanks="anywhere")
    plain = make_report(seed, template, blanks="anywhere")
    assert report.expected == plain.expected
    text = render(report, "markdown", seed=seed)
    assert text != render(plain, "markdown", seed=seed)
    tables = _md_tables(text)
    apps = next(t for t in tables if "申请人情况" in t[0])
    read = _applications_by_header(apps)
    assert list(read.values()) == list(report.expected["applications"]["rows"].values())
    review = next(t for t in tables if t[0][0] in ("行政复议", "行政诉讼"))
    assert review[0][0] == "行政诉讼"
    assert _review_by_header(review) == report.expected["review_litigation"]
    header = next(row for t in tables for row in t if row[0] == "信息内容")
    assert header[1] in ("现行有效件数", "对外公开总数量")


@pytest.mark.parametrize("template", TEMPLATES)
def test_generator_blanks_anywhere_tell_null_from_zero(template: str):
    trailing = 0
    for seed in range(20):
        report = make_report(seed, template, blanks="anywhere")
        exp = report.expected
        assert arithmetic_errors(exp) == []
        active = [v for item in exp["active_disclosure"].values() for row in item.values()
                  for k, v in row.items() if k != "amount_raw"]
        rows = exp["applications"]["rows"]
        apps = [v for row in rows.values() for v in row]
        review = [v for g in exp["review_litigation"].values() for v in g.values()]
        for values in (active, apps, review):
            assert None in values and 0 in values and any(v for v in values), seed
        assert any(row[6] is None for row in rows.values())  # a blank 总计
        assert any(all(v is None for v in row) for row in rows.values())  # a blank row
        trailing += any(row[5] is None and row[4] for row in rows.values())
        text = render(report, "markdown", seed=seed)
        carried = rows["carried_over"]
        row = f"| 二、上年结转政府信息公开申请数量 |  |  | {carried[0]} |  | 0 | 0 | 0 |  |  |"
        assert row in text, seed
    assert trailing >= 10  # blank trailing cells after a printed number, beyond the issue row


def test_generator_spreads_a_stub_like_the_issue():
    texts = [render(make_report(s, "2021", stubs="spread"), "markdown", seed=s) for s in range(20)]
    assert any(re.search(r"\| [（(]三[）)] ?不 \| 4\. ?保护第三方合法权益 \|", t) for t in texts)
    for s, text in enumerate(texts):
        apps = next(t for t in _md_tables(text) if "申请人情况" in t[0])
        first = next(i for i, row in enumerate(apps) if "国家秘密" in row[2])
        stub = "".join(row[1] for row in apps[first : first + 8])
        assert stub.replace("(", "（").replace(")", "）").replace(" ", "") == "（三）不予公开", s


@pytest.mark.parametrize("title_style", TITLE_STYLES)
def test_generator_titles(title_style: str):
    for seed in range(6):
        report = make_report(seed, "2021", title_style=title_style)
        assert " " not in report.title and "关于" not in report.agency
        assert str(report.year) not in report.agency
        assert report.expected["title"] == report.title
        lines = [ln.replace(" ", "") for ln in render(report, "tab", seed=seed).splitlines() if ln]
        assert lines[0] == report.title or lines[0] + lines[1] == report.title, lines[:2]
        if title_style == "two_lines":
            assert lines[0] + lines[1] == report.title
        if title_style == "no_year":
            assert not re.search(r"\d{4}", report.title)
            assert f"统计期限自{report.year}年1月1日起至12月31日止" in "".join(report.intro)
        if title_style == "cn_year":
            assert re.search("二[〇零]二[一二三四五]年", report.title)


def test_generator_cuts_a_group_stub_across_a_page():
    groups = {"（三）不予公开", "（四）无法提供", "（五）不予处理", "（六）其他处理"}
    found = 0
    for seed in range(10):
        report = make_report(seed, "2021", pdf_habits=True)
        lines = render(report, "spaces", seed=seed).splitlines()
        for i, line in enumerate(lines[1:-1], 1):
            if not re.fullmatch(r"- \d+ -", line) or not re.fullmatch(r"[\d ]+", lines[i - 1]):
                continue
            head = next((ln for ln in reversed(lines[:i]) if re.match(r"[（(][三四五六][）)]", ln)),
                        "")
            stub = head.split(" 1.")[0].replace(" ", "").replace("(", "（").replace(")", "）")
            found += stub + lines[i + 1] in groups
    assert found >= 3
