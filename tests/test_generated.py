"""Generated reports with non-zero numbers, both templates, every layout: exact values."""

import pytest
from generate import BLANK_LAYOUTS, LAYOUT_FORMAT, break_total, make_report, render

from govreport_lark import parse_bytes, report_to_dict
from govreport_lark.output.compare import compare

SEEDS = range(8)
EXACT_LAYOUTS = ("tab", "lines", "markdown", "spaces", "traditional", "html")


def _parse(text: str, layout: str) -> dict:
    fmt = LAYOUT_FORMAT[layout]
    return report_to_dict(parse_bytes(text.encode("utf-8"), path=f"generated.{fmt}"))


@pytest.mark.parametrize("template", ["2019", "2021"])
@pytest.mark.parametrize("layout", EXACT_LAYOUTS)
@pytest.mark.parametrize("seed", SEEDS)
def test_layout_comes_back_exact(seed, layout, template):
    report = make_report(seed, template)
    out = _parse(render(report, layout, seed=seed), layout)
    assert compare(out, report.expected).differences == []
    assert out["template"] == template
    assert [d for d in out["diagnostics"] if d["severity"] == "error"] == []


@pytest.mark.parametrize("template", ["2019", "2021"])
@pytest.mark.parametrize("layout", BLANK_LAYOUTS)
@pytest.mark.parametrize("seed", SEEDS)
def test_blank_cells_stay_null_in_their_column(seed, layout, template):
    report = make_report(seed, template, blanks=True)
    out = _parse(render(report, layout, seed=seed), layout)
    assert compare(out, report.expected).differences == []


@pytest.mark.parametrize("template", ["2019", "2021"])
@pytest.mark.parametrize("seed", range(12))
def test_wrapped_labels_never_give_a_wrong_number(seed, template):
    """Labels cut at any character across page-number junk: a value is right, or it is null
    and an error names its row."""
    report = make_report(seed, template)
    out = _parse(render(report, "wrapped", seed=seed), "wrapped")
    for difference in compare(out, report.expected).differences:
        assert "got None" in difference, difference
    flagged = [d for d in out["diagnostics"] if d["severity"] in ("error", "warning")]
    for difference in compare(out, report.expected).differences:
        table, row = difference.split(".")[:2]
        row = row.split("[")[0]
        names = (row, table)
        assert any(d.get("row") in names or any(n in d["message"] for n in names)
                   for d in flagged), difference


@pytest.mark.parametrize("layout", ["tab", "spaces", "lines"])
@pytest.mark.parametrize("seed", range(6))
def test_one_wrong_printed_total_is_flagged_not_corrected(seed, layout):
    report, broken = break_total(make_report(seed, "2021"), seed)
    out = _parse(render(report, layout, seed=seed), layout)
    # The report's own (wrong) number is kept ...
    assert compare(out, report.expected).differences == []
    # ... and the broken relation is reported against the report, naming the cell.
    found = [d for d in out["diagnostics"] if d["code"] == "SUM_MISMATCH"]
    assert found, out["diagnostics"]
    assert all(d["responsibility"] == "report" for d in found)
    assert any(d["row"] == broken["row"] or d["column"] == broken["column"] for d in found)
    assert any(str(broken["printed"]) in d["message"] for d in found)


# Labels cut across a page number where the earlier parser lost a row: "（一）予以" / 公开,
# "四、结转下" / 年度继续办理 (whose last value "11" then read as "11年"), "其他对外管" /
# 理服务事项 running into the next caption, "行政规范性" / 文件, "行政事" / 业性收费, and
# labels cut so early that only the two parts together name the row ("行政规" / 范性文件,
# "行政" / 规范性文件, "行政" / 事业性收费).
WRAPPED_CASES = [("2019", s) for s in (2, 9, 16, 18, 25, 39)] + [
    ("2021", s) for s in (5, 12, 20, 23, 27, 48, 90, 101, 112)]


@pytest.mark.parametrize(("template", "seed"), WRAPPED_CASES)
def test_wrapped_labels_come_back_exact(template, seed):
    report = make_report(seed, template)
    out = _parse(render(report, "wrapped", seed=seed), "wrapped")
    assert compare(out, report.expected).differences == []
    assert [d for d in out["diagnostics"] if d["severity"] == "error"] == []
