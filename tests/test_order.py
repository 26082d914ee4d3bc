"""Free-text tables read in the column order their header prints (fit/order.py): where the
words name every column and no text layer can have moved them; otherwise the template's
order stands or the table is null, never a guess."""

from __future__ import annotations

from govreport_lark import parse_text, report_to_dict

TITLE = "某县2021年政府信息公开工作年度报告\n"
FOUR = "四、政府信息公开行政复议、行政诉讼情况\n"
ROWS = ("一、本年新收政府信息公开申请数量 {}\n"
        "(一) 予以公开 {}\n")
NEW = [3, 1, 0, 2, 0, 1, 7]  # template order: six applicants, then 总计
GRANTED = [2, 0, 0, 1, 0, 0, 3]


def _three(header: str, order: list[int]) -> dict:
    """Section 三 with ``header`` and rows printed in ``order`` (template indexes)."""
    def row(values):
        return " ".join(str(values[i]) for i in order)

    text = (TITLE + "三、收到和处理政府信息公开申请情况\n" + header
            + ROWS.format(row(NEW), row(GRANTED)) + FOUR)
    return report_to_dict(parse_text(text))


def _codes(out: dict, section: str) -> list[str]:
    return [d["code"] for d in out["diagnostics"] if d["section"] == section
            and d["code"] != "MISSING_ROW"]


def test_a_one_line_header_in_another_order_is_read_by_its_words():
    header = "总计 自然人 商业企业 科研机构 社会公益组织 法律服务机构 其他\n"
    out = _three(header, [6, 0, 1, 2, 3, 4, 5])
    assert out["applications"]["rows"]["new_received"] == NEW
    assert out["applications"]["rows"]["granted"] == GRANTED
    assert _codes(out, "三") == ["COLUMNS_REORDERED"]


def test_sub_columns_in_another_order_on_their_own_line():
    header = "自然人 法人或其他组织 总计\n科研机构 商业企业 社会公益组织 法律服务机构 其他\n"
    out = _three(header, [0, 2, 1, 3, 4, 5, 6])
    assert out["applications"]["rows"]["new_received"] == NEW
    assert _codes(out, "三") == ["COLUMNS_REORDERED"]


def test_a_tall_cell_on_another_line_is_no_reorder():
    # 总计 spans both header rows; a text layer printed it on the line above: the seeds do.
    header = "申请人情况 总计\n自然人 法人或其他组织\n商业企业 科研机构 社会公益组织 法律服务机构 其他\n"
    out = _three(header, list(range(7)))
    assert out["applications"]["rows"]["new_received"] == NEW
    assert _codes(out, "三") == []


def test_tall_cells_on_the_sub_columns_line_take_their_place_there():
    header = "法人或其他组织\n自然人 商业企业 科研机构 社会公益组织 法律服务机构 其他 总计\n"
    out = _three(header, list(range(7)))
    assert out["applications"]["rows"]["new_received"] == NEW
    assert _codes(out, "三") == []


def test_a_cell_a_line_is_read_in_reading_order():
    words = ["自然人", "法人或其他组织", "总计", "其他", "商业企业", "科研机构", "社会公益组织",
             "法律服务机构"]
    out = _three("\n".join(words) + "\n", [0, 5, 1, 2, 3, 4, 6])
    assert out["applications"]["rows"]["new_received"] == NEW
    assert _codes(out, "三") == ["COLUMNS_REORDERED"]


def test_broken_header_words_keep_the_template_order():
    # 005's text layer: words cut over lines name too few columns to tell an order.
    header = "自然人 社会 法律 总计\n商业 科研\n公益 服务 其他\n企业 机构\n组织 机构\n"
    out = _three(header, list(range(7)))
    assert out["applications"]["rows"]["new_received"] == NEW
    assert _codes(out, "三") == []


def test_a_row_short_of_a_value_under_a_reordered_header_is_null_and_named():
    header = "总计 自然人 商业企业 科研机构 社会公益组织 法律服务机构 其他\n"
    text = (TITLE + "三、收到和处理政府信息公开申请情况\n" + header
            + "一、本年新收政府信息公开申请数量 7 3 1 0 2 0\n"
            + "(一) 予以公开 3 2 0 0 1 0 0\n" + FOUR)
    out = report_to_dict(parse_text(text))
    assert out["applications"]["rows"]["new_received"] == [None] * 7
    assert out["applications"]["rows"]["granted"] == GRANTED
    unresolved = [d for d in out["diagnostics"] if d["code"] == "ROW_UNRESOLVED"]
    assert [(d["row"], d["severity"], d["responsibility"]) for d in unresolved] == [
        ("new_received", "error", "parser")]


def test_a_header_the_row_sums_contradict_leaves_the_table_null():
    # The header says 总计 first, every row's sum says it is last.
    header = "总计 自然人 商业企业 科研机构 社会公益组织 法律服务机构 其他\n"
    out = _three(header, list(range(7)))
    assert all(v is None for row in out["applications"]["rows"].values() for v in row)
    (error,) = [d for d in out["diagnostics"] if d["code"] == "COLUMNS_UNREADABLE"]
    assert (error["section"], error["responsibility"]) == ("三", "parser")


# --- section 四 ---------------------------------------------------------------------------

RESULTS = "结果维持 结果纠正 其他结果 尚未审结 总计"
REVIEW = {"review": [1, 2, 0, 0, 3], "litigation_direct": [0, 1, 0, 1, 2],
          "litigation_after_review": [2, 0, 0, 0, 2]}


def _four(header: str, groups: list[str]) -> dict:
    values = " ".join(str(v) for g in groups for v in REVIEW[g])
    text = TITLE + "三、收到和处理政府信息公开申请情况\n" + FOUR + header + values + "\n"
    return report_to_dict(parse_text(text))


def _review(out: dict) -> dict:
    fields = ("maintained", "corrected", "other", "pending", "total")
    return {g: [out["review_litigation"][g][f] for f in fields] for g in REVIEW}


def test_litigation_first_on_one_line_is_read_by_its_words():
    header = (f"行政诉讼 行政复议\n未经复议直接起诉 复议后起诉 {RESULTS}\n"
              f"{RESULTS} {RESULTS}\n")
    out = _four(header, ["litigation_direct", "litigation_after_review", "review"])
    assert _review(out) == REVIEW
    assert _codes(out, "四") == ["COLUMNS_REORDERED"]


def test_litigation_first_on_another_line_cannot_be_told():
    header = (f"行政诉讼\n行政复议 未经复议直接起诉 复议后起诉 {RESULTS}\n"
              f"{RESULTS} {RESULTS}\n")
    out = _four(header, ["litigation_direct", "litigation_after_review", "review"])
    assert all(v is None for g in _review(out).values() for v in g)
    assert _codes(out, "四") == ["COLUMNS_UNREADABLE"]


def test_three_small_tables_each_read_by_their_own_header():
    parts = []
    for group, caption in (("review", "行政复议"), ("litigation_direct", "行政诉讼(未经复议直接起诉)"),
                           ("litigation_after_review", "行政诉讼(复议后起诉)")):
        values = REVIEW[group]
        parts.append(f"{caption}\n结果纠正 结果维持 其他结果 尚未审结 总计\n"
                     f"{values[1]} {values[0]} {values[2]} {values[3]} {values[4]}\n")
    text = TITLE + "三、收到和处理政府信息公开申请情况\n" + FOUR + "".join(parts)
    out = report_to_dict(parse_text(text))
    assert _review(out) == REVIEW
    assert _codes(out, "四") == ["COLUMNS_REORDERED"] * 3


# --- section 二 ---------------------------------------------------------------------------


def test_an_item_header_in_another_order_is_read_by_its_words():
    text = (TITLE + "二、主动公开政府信息情况\n第二十条第（一）项\n"
            "信息内容 现行有效件数 本年制发件数 本年废止件数\n规章 12 3 1\n行政规范性文件 40 5 2\n"
            "三、收到和处理政府信息公开申请情况\n" + FOUR)
    out = report_to_dict(parse_text(text))
    assert out["active_disclosure"]["art20_1"]["rules"] == {"issued": 3, "repealed": 1,
                                                            "in_force": 12}
    assert out["active_disclosure"]["art20_1"]["normative_documents"] == {
        "issued": 5, "repealed": 2, "in_force": 40}
    assert "COLUMNS_REORDERED" in _codes(out, "二")


def test_results_reordered_under_unnamed_groups_leave_the_table_null():
    header = "结果纠正 结果维持 其他结果 尚未审结 总计\n"
    parts = "".join(f"{header}{v[1]} {v[0]} {v[2]} {v[3]} {v[4]}\n" for v in REVIEW.values())
    text = TITLE + "三、收到和处理政府信息公开申请情况\n" + FOUR + parts
    out = report_to_dict(parse_text(text))
    assert all(v is None for g in _review(out).values() for v in g)
    (error,) = [d for d in out["diagnostics"] if d["code"] == "COLUMNS_UNREADABLE"]
    assert "do not say whose" in error["message"] and error["responsibility"] == "parser"
