"""The seeds and real reports against their hand-checked expected files, cell by cell."""

import json

import pytest
from conftest import CORPUS

from govreport_lark import parse_file, report_to_dict
from govreport_lark.output.compare import compare

REPORTS = sorted(
    p for p in CORPUS.rglob("*") if p.suffix in {".txt", ".md", ".html"} and p.name != "MANIFEST.tsv"
)


def _parse(path):
    return report_to_dict(parse_file(path))


@pytest.mark.parametrize("path", REPORTS, ids=lambda p: p.name)
def test_matches_expected(path):
    expected = json.loads(path.with_name(path.stem + ".expected.json").read_text(encoding="utf-8"))
    result = compare(_parse(path), expected)
    assert result.differences == []
    assert result.cells >= 161  # 三 alone has 161 or 175 cells


def _codes(d, **where):
    return [x for x in d["diagnostics"] if all(x.get(k) == v for k, v in where.items())]


def test_seed_000_six_numbers_for_seven_cells_is_reported():
    d = _parse(CORPUS / "seeds/000_f74dd9a0e29e27b2.txt")
    rows = {x["row"] for x in _codes(d, code="ROW_CELL_COUNT", section="三")}
    assert rows == {
        "not_processed.petition_complaint", "not_processed.repeated", "not_processed.publication",
        "not_processed.excessive", "not_processed.confirm_or_reissue", "other", "total",
        "carried_forward",
    }
    # 行政复议 cells are blank in the tab layout: null, not zero.
    assert set(d["review_litigation"]["review"].values()) == {None}


def test_seed_001_spurious_sixteenth_number_in_section_4():
    d = _parse(CORPUS / "seeds/001_39116a97556fef52.txt")
    [diag] = _codes(d, code="ROW_CELL_COUNT", section="四")
    assert "16 values for 15 cells" in diag["message"]
    assert d["active_disclosure"]["art20_1"]["extra"]["其他主动公开文件"] == {
        "new_made": 12, "new_published": 4, "total_published": 73}


def test_seed_004_missing_row_inferred_and_flagged():
    d = _parse(CORPUS / "seeds/004_79fe10b1f893cf61.txt")
    [diag] = _codes(d, code="MISSING_ROW", row="carried_forward")
    assert diag["severity"] == "warning" and "inferred" in diag["message"]
    assert d["active_disclosure"]["art20_5"]["other_services"]["change"] == -4


def test_real_005_broken_arithmetic_is_kept_and_reported():
    d = _parse(CORPUS / "real/005.txt")
    assert d["review_litigation"]["review"] == {
        "maintained": 10, "corrected": 1, "other": 0, "pending": 0, "total": 0}
    mismatches = _codes(d, code="SUM_MISMATCH", section="四")
    assert {m["row"] for m in mismatches} == {"review", "litigation_after_review"}
    assert "总计 prints 0" in mismatches[0]["message"] and "= 11" in mismatches[0]["message"]
    assert all(m["responsibility"] == "report" for m in mismatches)
    assert _codes(d, code="TEMPLATE_MIXED", section="三")


def test_real_008_run_together_digits_split_by_arithmetic():
    d = _parse(CORPUS / "real/008.txt")
    assert d["applications"]["rows"]["new_received"] == [23, 0, 0, 0, 0, 0, 23]
    assert _codes(d, code="DIGITS_RUN_TOGETHER", row="new_received")
    # 规范性文件 "898989" has no arithmetic to split it by: null and an error, never a guess.
    assert set(d["active_disclosure"]["art20_1"]["normative_documents"].values()) == {None}
    assert _codes(d, code="ROW_UNRESOLVED", row="normative_documents")[0]["severity"] == "error"
