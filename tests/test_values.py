"""Printed values read as what they say, or null with a diagnostic that names them: money in
any unit, unknown rows of 三, counts printed with units, digit runs too long to be numbers."""

from pathlib import Path

import pytest

from govreport_lark import parse_text, report_to_dict

SEEDS = Path(__file__).resolve().parent.parent / "corpus" / "seeds"
SEED_2021 = (SEEDS / "002_529dae6be8c784ed.txt").read_text(encoding="utf-8")
SEED_2019 = (SEEDS / "000_f74dd9a0e29e27b2.txt").read_text(encoding="utf-8")
FEE = "行政事业性收费\t0"
PURCHASE = "政府集中采购\t26\t2042147.00元"


def _parse(text: str) -> dict:
    return report_to_dict(parse_text(text, fmt="txt"))


def _codes(out: dict, section: str) -> list[str]:
    return [d["code"] for d in out["diagnostics"] if d["section"] == section]


# --- money in 万元 -------------------------------------------------------------------


@pytest.mark.parametrize("printed, wan", [
    ("1,234,567元", 123.4567),
    ("3,848,057.00元", 384.8057),
    ("¥1234567", 123.4567),
    ("￥1,234,567", 123.4567),
    ("1234.567千元", 123.4567),
    ("0.82亿元", 8200.0),
    ("12.5万元", 12.5),
])
def test_a_fee_in_any_unit_is_converted_to_wan_yuan_and_keeps_its_text(printed, wan):
    assert FEE in SEED_2021
    out = _parse(SEED_2021.replace(FEE, f"行政事业性收费\t{printed}"))
    row = out["active_disclosure"]["art20_8"]["administrative_fees"]
    assert row["amount_wan_yuan"] == wan
    if printed.endswith("万元"):
        assert "amount_raw" not in row
    else:
        assert row["amount_raw"] == printed
    assert _codes(out, "二") == []


def test_a_plain_fee_under_the_templates_wan_yuan_header_has_no_raw_text():
    out = _parse(SEED_2021.replace(FEE, "行政事业性收费\t88.19"))
    assert out["active_disclosure"]["art20_8"]["administrative_fees"] == {"amount_wan_yuan": 88.19}
    assert _codes(out, "二") == []


def test_a_plain_fee_under_a_header_in_yuan_is_converted():
    text = SEED_2021.replace("本年收费金额（单位：万元）", "本年收费金额（单位：元）")
    out = _parse(text.replace(FEE, "行政事业性收费\t1234567"))
    assert out["active_disclosure"]["art20_8"]["administrative_fees"] == {
        "amount_wan_yuan": 123.4567, "amount_raw": "1234567"}
    assert _codes(out, "二") == []


@pytest.mark.parametrize("header, printed", [
    ("本年收费金额（单位：万元）", "1234567美元"),
    ("本年收费金额（单位：美元）", "1234567"),
])
def test_money_in_a_unit_that_cannot_be_read_is_null_with_an_error(header, printed):
    text = SEED_2021.replace("本年收费金额（单位：万元）", header)
    out = _parse(text.replace(FEE, f"行政事业性收费\t{printed}"))
    row = out["active_disclosure"]["art20_8"]["administrative_fees"]
    assert row["amount_wan_yuan"] is None
    assert row["amount_raw"] == printed
    unreadable = [d for d in out["diagnostics"] if d["code"] == "UNIT_UNREADABLE"]
    assert len(unreadable) == 1 and unreadable[0]["severity"] == "error"
    assert printed in unreadable[0]["message"] and "美元" in unreadable[0]["message"]


@pytest.mark.parametrize("printed, wan", [
    ("2042147.00元", 204.2147),
    ("3,848,057.00元", 384.8057),
    ("¥3848057", 384.8057),
    ("384.8057万元", 384.8057),
    ("0.0384亿元", 384.0),
])
def test_the_2019_purchase_total_in_any_unit(printed, wan):
    assert PURCHASE in SEED_2019
    out = _parse(SEED_2019.replace(PURCHASE, f"政府集中采购\t26\t{printed}"))
    row = out["active_disclosure"]["art20_9"]["centralized_procurement"]
    assert row == {"projects": 26, "amount_wan_yuan": wan, "amount_raw": printed}
    assert "UNIT_UNREADABLE" not in _codes(out, "二")


# --- runs of digits too long to be numbers ------------------------------------------

REVIEW_ROW = "\t".join(["0"] * 15)
CARRIED_FORWARD = "四、结转下年度继续办理\t\t" + "\t".join(["0"] * 7)


def test_a_review_row_with_a_run_of_thousands_of_digits_is_unresolved_not_a_crash():
    assert REVIEW_ROW in SEED_2021
    out = _parse(SEED_2021.replace(REVIEW_ROW, " ".join(["0"] * 13) + " " + "1" * 5000))
    table = out["review_litigation"]
    assert all(v is None for group in table.values() for v in group.values())
    (diag,) = [d for d in out["diagnostics"] if d["section"] == "四"]
    assert diag["code"] == "ROW_UNRESOLVED" and diag["severity"] == "error"
    assert "11111111…11111111 (5000 digits)" in diag["message"]
    assert len(diag["message"]) < 300


def test_an_applications_row_with_a_run_of_thousands_of_digits_is_unresolved_not_a_crash():
    assert CARRIED_FORWARD in SEED_2021
    out = _parse(SEED_2021.replace(CARRIED_FORWARD, "四、结转下年度继续办理 0 0 0 0 0 " + "1" * 5000))
    assert out["applications"]["rows"]["carried_forward"] == [None] * 7
    unresolved = [d for d in out["diagnostics"] if d["code"] == "ROW_UNRESOLVED"]
    assert [d["row"] for d in unresolved] == ["carried_forward"]
    assert "(5000 digits)" in unresolved[0]["message"]


def test_a_long_run_of_digits_costs_time_linear_in_its_length():
    import time

    def cost(digits: int) -> float:
        text = SEED_2021.replace(REVIEW_ROW, " ".join(["0"] * 13) + " " + "1" * digits)
        start = time.process_time()
        _parse(text)
        return time.process_time() - start

    cost(10)  # warm the grammars
    small, large = cost(20_000), cost(400_000)
    assert large < 20 * 4 * max(small, 0.01), (small, large)


# --- a row the template does not have in section 三 ----------------------------------

QUERY_ROW = "8.属于行政查询事项\t0\t0\t0\t0\t0\t0\t0\n"
NOT_HELD = "\t(四) 无法提供\t1.本机关不掌握相关政府信息\t0\t0\t0\t0\t0\t0\t0"
UNCLEAR = "\t\t3.补正后申请内容仍不明确\t0\t0\t0\t0\t0\t0\t0"
ZEROS = "\t0" * 7


def _with_unknown_row(blank: str, *, free_text: bool = False) -> dict:
    assert QUERY_ROW in SEED_2021 and blank in SEED_2021
    text = SEED_2021.replace(QUERY_ROW, QUERY_ROW + "\t\t9.其他情形\t1\t0\t0\t0\t0\t0\t1\n")
    text = text.replace(blank, blank.removesuffix(ZEROS))
    if free_text:
        start, end = text.index("三、收到和处理"), text.index("四、政府信息公开行政复议")
        text = text[:start] + text[start:end].replace("\t", " ") + text[end:]
    return _parse(text)


@pytest.mark.parametrize("free_text", [False, True])
@pytest.mark.parametrize("blank, key", [(NOT_HELD, "unable.not_held"),
                                        (UNCLEAR, "unable.unclear_after_correction")])
def test_an_unknown_row_never_lends_its_values_to_a_blank_row_below(blank, key, free_text):
    out = _with_unknown_row(blank, free_text=free_text)
    rows = out["applications"]["rows"]
    assert rows[key] == [None] * 7  # printed without values: blank, never 0
    for other in ("denied.administrative_query", "unable.not_held", "unable.needs_creation",
                  "unable.unclear_after_correction", "not_processed.petition_complaint"):
        if other != key:
            assert rows[other] == [0] * 7, other
    assert out["applications"]["extra"] == {"9.其他情形": [1, 0, 0, 0, 0, 0, 1]}
    (extra,) = [d for d in out["diagnostics"] if d["code"] == "EXTRA_ROW"]
    assert extra["section"] == "三" and extra["severity"] == "warning"
    assert extra["row"] == "9.其他情形" and "(1 0 0 0 0 0 1)" in extra["message"]
    assert "kept under applications.extra" in extra["message"]
    assert [d["code"] for d in out["diagnostics"] if d["section"] == "三"] == ["EXTRA_ROW"]


def test_a_report_without_unknown_rows_has_no_extra_key():
    assert "extra" not in _parse(SEED_2021)["applications"]


def test_an_unknown_row_keeps_its_blanks_and_provenance():
    row = "\t\t9.其他情形\t2\t\t0\t\t\t\t2\n"
    text = SEED_2021.replace(QUERY_ROW, QUERY_ROW + row)
    report = parse_text(text)
    cells = report.applications.extra["9.其他情形"]
    assert [c.value for c in cells] == [2, None, 0, None, None, None, 2]
    assert cells[0].line == text[: text.index("9.其他情形")].count("\n") + 1
    assert report_to_dict(report)["applications"]["extra"]["9.其他情形"][1] is None


def test_an_unknown_row_whose_blanks_cannot_be_placed_is_not_guessed():
    # In free text three numbers for seven cells could stand in many places.
    text = SEED_2021.replace(QUERY_ROW, QUERY_ROW + "9.其他情形 2 0 2\n")
    out = _parse(text)
    assert out["applications"]["extra"] == {"9.其他情形": [None] * 7}
    (extra,) = [d for d in out["diagnostics"] if d["code"] == "EXTRA_ROW"]
    assert "(2 0 2)" in extra["message"]


def test_an_unknown_row_whose_numbers_do_not_fit_is_blank_and_quoted():
    text = SEED_2021.replace(QUERY_ROW, QUERY_ROW + "\t\t9.其他情形\t1\t2\t3\n")
    out = _parse(text)
    assert out["applications"]["extra"] == {"9.其他情形": [None] * 7}
    (extra,) = [d for d in out["diagnostics"] if d["code"] == "EXTRA_ROW"]
    assert "(1 2 3)" in extra["message"] and "were not assigned" in extra["message"]
    assert out["applications"]["rows"]["denied.administrative_query"] == [0] * 7
    assert out["applications"]["rows"]["unable.not_held"] == [0] * 7


def test_two_unknown_rows_of_one_label_are_both_kept():
    rows = "\t\t9.其他情形\t1\t0\t0\t0\t0\t0\t1\n\t\t9.其他情形\t0\t2\t0\t0\t0\t0\t2\n"
    out = _parse(SEED_2021.replace(QUERY_ROW, QUERY_ROW + rows))
    assert out["applications"]["extra"] == {"9.其他情形": [1, 0, 0, 0, 0, 0, 1],
                                            "9.其他情形 (2)": [0, 2, 0, 0, 0, 0, 2]}


# --- counts printed with units or in Chinese numerals -------------------------------

GRANTED = "(一) 予以公开\t1\t0\t0\t0\t0\t0\t1"


@pytest.mark.parametrize("printed", [
    "(一) 予以公开 1件 0件 0件 0件 0件 0件 1件",
    "(一) 予以公开\t1件\t0件\t0件\t0件\t0件\t0件\t1件",
    "(一) 予以公开 1 件 0 件 0 件 0 件 0 件 0 件 1 件",
    "(一) 予以公开 1个 0个 0个 0个 0个 0个 1个",
])
def test_counts_printed_with_their_unit_are_counts(printed):
    assert GRANTED in SEED_2021
    out = _parse(SEED_2021.replace(GRANTED, printed))
    assert out["applications"]["rows"]["granted"] == [1, 0, 0, 0, 0, 0, 1]
    assert _codes(out, "三") == []


def test_a_review_row_with_units_is_read():
    assert REVIEW_ROW in SEED_2021
    printed = " ".join(["2件", "0件", "0件", "0件", "2件", "1件", "0件", "0件", "0件", "1件"]
                       + ["0件"] * 5)
    out = _parse(SEED_2021.replace(REVIEW_ROW, printed))
    table = out["review_litigation"]
    assert _codes(out, "四") == []
    assert table["review"] == {"maintained": 2, "corrected": 0, "other": 0, "pending": 0, "total": 2}
    assert table["litigation_direct"] == {"maintained": 1, "corrected": 0, "other": 0, "pending": 0,
                                          "total": 1}


def test_a_count_in_prose_stays_prose():
    from govreport_lark.grammar.cells import Tok

    assert [t.kind for t in Tok.read("共受理1件，办结1件")] == []
    assert [t.text for t in Tok.read("1件 0件\t2 件")] == ["1件", "0件", "2 件"]


def test_counts_in_chinese_numerals_are_read_between_white_space():
    out = _parse(SEED_2021.replace(GRANTED, "(一) 予以公开 ∅ 十二 〇 〇 〇 〇 〇 十二"))
    assert out["applications"]["rows"]["granted"] == [12, 0, 0, 0, 0, 0, 12]
    # The seed's other rows still say 1: the column sums name the difference.
    assert set(_codes(out, "三")) == {"SUM_MISMATCH"}


@pytest.mark.parametrize("printed", [
    "(一) 予以公开 一 〇 〇 〇 〇 〇 一",
    "(一) 予以公开 十二 0 0 0 0 0 十二",
    "(一) 予以公开\t十二\t0\t0\t0\t0\t0\t十二",
])
def test_chinese_numerals_joined_to_the_label_are_named_never_dropped_silently(printed):
    out = _parse(SEED_2021.replace(GRANTED, printed))
    assert out["applications"]["rows"]["granted"] == [None] * 7
    (diag,) = [d for d in out["diagnostics"] if d["section"] == "三"]
    assert diag["code"] == "ROW_UNRESOLVED" and diag["severity"] == "error"
    assert diag["row"] == "granted" and ("十二" in diag["message"] or "〇 〇" in diag["message"])


def test_chinese_numerals():
    from govreport_lark.grammar.cells import cn_number

    assert [cn_number(t) for t in ("〇", "七", "十", "十二", "二十", "一百零五", "一〇五", "三千零一")] \
        == [0, 7, 10, 12, 20, 105, 105, 3001]
    assert [cn_number(t) for t in ("三四十", "十十", "〇五")] == [None, None, None]
    # Readings people differ on, or numerals that make no number, are not read.
    assert [cn_number(t) for t in ("一百五", "千百", "十〇", "一百零")] == [None] * 4
    assert [cn_number(t) for t in ("一千零二十", "三百二十一")] == [1020, 321]


@pytest.mark.parametrize("header", ["采购总金额（元）", "采购总金额（单位：元）"])
def test_the_2019_purchase_total_under_a_header_in_yuan(header):
    text = SEED_2019.replace("采购总金额", header, 1).replace(PURCHASE, "政府集中采购\t26\t2042147")
    out = _parse(text)
    row = out["active_disclosure"]["art20_9"]["centralized_procurement"]
    assert row == {"projects": 26, "amount_wan_yuan": 204.2147, "amount_raw": "2042147"}


def test_a_unit_in_the_items_caption():
    text = SEED_2021.replace("第二十条第（八）项", "第二十条第（八）项（单位：元）", 1)
    out = _parse(text.replace(FEE, "行政事业性收费\t1234567"))
    assert out["active_disclosure"]["art20_8"]["administrative_fees"]["amount_wan_yuan"] == 123.4567


def test_a_run_of_thousands_of_digits_in_the_first_row_does_not_cut_the_table():
    """The run stands between the first row's label and the next: the table is still found
    from its first row, and the row is named with its run, never called not printed."""
    first = "一、本年新收政府信息公开申请数量\t\t1\t0\t0\t0\t0\t0\t1"
    assert first in SEED_2021
    out = _parse(SEED_2021.replace(first, "一、本年新收政府信息公开申请数量 1 0 0 0 0 " + "1" * 5000))
    assert out["applications"]["rows"]["new_received"] == [None] * 7
    assert out["applications"]["rows"]["carried_over"] == [0] * 7
    codes = [(d["code"], d["row"]) for d in out["diagnostics"] if d["section"] == "三"]
    assert codes == [("ROW_UNRESOLVED", "new_received")]


def test_findings_of_one_code_are_capped_with_a_count():
    # One 三 row printed thousands of times: linear, and the findings do not grow with it.
    from govreport_lark import parse_text
    from govreport_lark.pipeline import MAX_SAME_DIAGNOSTICS

    head = "某局2023年政府信息公开工作年度报告\n三、收到和处理政府信息公开申请情况\n"
    row = "一、本年新收政府信息公开申请数量 1 0 0 0 0 0 1\n"
    report = parse_text(head + row * 3000 + "四、政府信息公开行政复议、行政诉讼情况\n")
    by_code: dict[str, int] = {}
    for d in report.diagnostics:
        by_code[d.code] = by_code.get(d.code, 0) + 1
    assert all(n <= MAX_SAME_DIAGNOSTICS for code, n in by_code.items()
               if code != "DIAGNOSTICS_CAPPED")
    capped = [d for d in report.diagnostics if d.code == "DIAGNOSTICS_CAPPED"]
    assert [(d.section, d.message) for d in capped] == [
        ("三", f"{2999 - MAX_SAME_DIAGNOSTICS} more LABEL_OUT_OF_ORDER findings in section 三 "
               f"are not listed (2999 in all; the first {MAX_SAME_DIAGNOSTICS} are)")]


def test_a_count_in_a_money_column_is_no_amount():
    out = _parse(SEED_2019.replace(PURCHASE, "政府集中采购\t5个\t3个"))
    row = out["active_disclosure"]["art20_9"]["centralized_procurement"]
    assert row["amount_wan_yuan"] is None and row["projects"] in (5, None)
    named = [d for d in out["diagnostics"] if d.get("row") == "centralized_procurement"]
    assert named and all(d["severity"] in ("warning", "error") for d in named)


# --- a label cut by its own cells: the cells stay cells -------------------------------

_CUT_LABEL = """某县2021年政府信息公开工作年度报告
三、收到和处理政府信息公开申请情况
自然人 法人或其他组织 总计
商业企业 科研机构 社会公益组织 法律服务机构 其他
一、本年新收政府信息公开申请数量 {new}
(二) 部分公开(区分处理的,只计这一 {partial}{join}情形,不计其他情形)
(三) 不予公开 1. 属于国家秘密 8 1 4 0 1 3 17
四、政府信息公开行政复议、行政诉讼情况
"""


@pytest.mark.parametrize("join", ["\n", " "])
@pytest.mark.parametrize("unit", ["", "个", " 件"])
def test_cells_inside_a_cut_label_gloss_are_read(unit, join):
    # "…只计这一 20个 … 34个" / "情形,不计其他情形)": neither the line join after a count's
    # unit nor the gloss in parentheses may take the row's cells as words.
    def row(values):
        return " ".join(f"{v}{unit}" for v in values)

    text = _CUT_LABEL.format(new=row([1, 0, 0, 0, 0, 0, 1]), join=join,
                             partial=row([20, 2, 4, 4, 3, 1, 34]))
    out = _parse(text)
    assert out["applications"]["rows"]["partially_granted"] == [20, 2, 4, 4, 3, 1, 34]
    assert out["applications"]["rows"]["new_received"] == [1, 0, 0, 0, 0, 0, 1]
    assert [d for d in out["diagnostics"] if d["section"] == "三"
            and d["code"] not in ("MISSING_ROW",)] == []


def test_a_row_repeated_many_times_parses_in_linear_time():
    from conftest import cpu_seconds

    from govreport_lark import parse_text

    head = "某局2023年政府信息公开工作年度报告\n三、收到和处理政府信息公开申请情况\n"
    row = "一、本年新收政府信息公开申请数量 1 0 0 0 0 0 1\n"
    tail = "四、政府信息公开行政复议、行政诉讼情况\n"

    def cost(n: int) -> float:
        return cpu_seconds(lambda: parse_text(head + row * n + tail))

    cost(10)  # grammars built
    small, large = cost(2_000), cost(16_000)
    # linear: about 8x; quadratic: 64x
    assert large < 20 * max(small, 0.01), (small, large)
