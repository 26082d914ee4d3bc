"""``govreport check``: findings in Chinese (default) and English, grouped by cause, counted
in words, summarised per file and for several; the same findings as JSON; params on the
diagnostics that fill the sentences."""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path

import pytest

from govreport_lark import parse_file, parse_text, report_to_dict
from govreport_lark.output.check import CHECK_SCHEMA
from govreport_lark.output.cli import main
from govreport_lark.output.labels import cell_label, column_label, row_label, section_label
from govreport_lark.output.messages import Catalogue
from govreport_lark.schema import validate_output

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "corpus/seeds/002_529dae6be8c784ed.txt"  # 金水区司法局 2023, a clean report
SENTENCE = "2023 年全局共收到政府信息依申请公开申请 1 件。"


def _seed_lines() -> list[str]:
    return SEED.read_text(encoding="utf-8").split("\n")


def planted_total() -> str:
    """三 一、本年新收 prints 总计 3 where its six columns sum to 1."""
    lines = _seed_lines()
    assert lines[52].startswith("一、本年新收") and lines[52].endswith("0\t0\t1\t")
    lines[52] = lines[52][: -len("1\t")] + "3\t"
    return "\n".join(lines)


def missing_row() -> str:
    """三 （三）4.保护第三方合法权益 not printed (its zeros follow from the column sums)."""
    lines = _seed_lines()
    assert lines[59].startswith("\t\t4.保护第三方合法权益")
    del lines[59]
    return "\n".join(lines)


def narrative() -> str:
    """The issue's reproducer: the prose says 57 applications, the table 1."""
    text = SEED.read_text(encoding="utf-8")
    assert SENTENCE in text
    return text.replace(SENTENCE, "共收到政府信息公开申请57件。")


@pytest.fixture()
def files(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    for name, text in (("sum.txt", planted_total()), ("missing.txt", missing_row()),
                       ("narrative.txt", narrative())):
        (tmp_path / name).write_text(text, encoding="utf-8")
    (tmp_path / "clean.txt").write_bytes(SEED.read_bytes())
    (tmp_path / "empty.txt").write_bytes(b"")
    return tmp_path


def check(capsys, *args: str) -> tuple[int, str, str]:
    code = main(["check", *args])
    out = capsys.readouterr()
    return code, out.out, out.err


# --- Chinese, exactly ---------------------------------------------------------------------


def test_planted_sum_mismatch_in_chinese(files, capsys):
    code, out, err = check(capsys, "sum.txt")
    assert code == 1 and err == ""
    assert out == (
        "sum.txt：金水区司法局 2023年度报告（2021年格式）\n"
        "  错误［责任：报告］表三 收到和处理政府信息公开申请情况：数字之间的勾稽关系不成立（2 处）"
        "  [SUM_MISMATCH]\n"
        "    · 一、本年新收政府信息公开申请数量：总计印为 3，六类申请人合计 1（第53行）\n"
        "    · 总计列：一＋二 = 3，（七）总计＋四 = 1（第76行）\n"
        "  警告［责任：报告］表三 收到和处理政府信息公开申请情况：正文所述数字与表格不符"
        "  [NARRATIVE_MISMATCH]\n"
        "    · 正文“2023 年全局共收到政府信息依申请公开申请 1 件。”称 1件，而表格中"
        "一、本年新收政府信息公开申请数量·总计为 3，或一、本年新收政府信息公开申请数量＋"
        "二、上年结转政府信息公开申请数量·总计为 3（第13行）\n"
        "  小结：1 条错误，1 条警告，共涉及 3 处。\n")


def test_missing_row_in_chinese(files, capsys):
    code, out, _ = check(capsys, "missing.txt")
    assert code == 0
    assert out == (
        "missing.txt：金水区司法局 2023年度报告（2021年格式）\n"
        "  警告［责任：报告］表三 收到和处理政府信息公开申请情况：报告未印出这些行，"
        "其值按各列的勾稽关系推算  [MISSING_ROW]\n"
        "    · （三）不予公开 4.保护第三方合法权益（第59行）\n"
        "  小结：0 条错误，1 条警告，共涉及 1 处。\n")


def test_narrative_mismatch_in_chinese(files, capsys):
    code, out, _ = check(capsys, "narrative.txt")
    assert code == 0
    assert out == (
        "narrative.txt：金水区司法局 2023年度报告（2021年格式）\n"
        "  警告［责任：报告］表三 收到和处理政府信息公开申请情况：正文所述数字与表格不符"
        "  [NARRATIVE_MISMATCH]\n"
        "    · 正文“共收到政府信息公开申请57件。”称 57件，而表格中"
        "一、本年新收政府信息公开申请数量·总计为 1，或一、本年新收政府信息公开申请数量＋"
        "二、上年结转政府信息公开申请数量·总计为 1（第13行）\n"
        "  小结：0 条错误，1 条警告，共涉及 1 处。\n")


def test_a_clean_report(files, capsys):
    code, out, _ = check(capsys, "clean.txt")
    assert code == 0
    assert out.splitlines()[1:] == ["  未发现问题。", "  小结：0 条错误，0 条警告。"]


# --- English ------------------------------------------------------------------------------


def test_english(files, capsys):
    code, out, _ = check(capsys, "--lang", "en", "sum.txt")
    assert code == 1
    assert out.splitlines() == [
        "sum.txt: 金水区司法局 2023 report (2021 template)",
        "  error (the report's fault) 表三 收到和处理政府信息公开申请情况: a relation of the "
        "template's arithmetic fails (2 places)  [SUM_MISMATCH]",
        "    - 一、本年新收政府信息公开申请数量: 总计 prints 3, the six applicant columns sum "
        "to 1 (line 53)",
        "    - column 总计: 一 + 二 = 3, （七）总计 + 四 = 1 (line 76)",
        "  warning (the report's fault) 表三 收到和处理政府信息公开申请情况: the text states a "
        "number the table does not hold  [NARRATIVE_MISMATCH]",
        "    - the text says 1件 in “2023 年全局共收到政府信息依申请公开申请 1 件。”, but the "
        "table has 一、本年新收政府信息公开申请数量·总计 = 3; or 一、本年新收政府信息公开申请数量＋"
        "二、上年结转政府信息公开申请数量·总计 = 3 (line 13)",
        "  Summary: 1 error, 1 warning, 3 places in all.",
    ]


# --- counts -------------------------------------------------------------------------------


@pytest.mark.parametrize(("lang", "key", "n", "said"), [
    ("en", "count.warning", 1, "1 warning"), ("en", "count.warning", 2, "2 warnings"),
    ("en", "count.error", 0, "0 errors"), ("en", "count.error", 1, "1 error"),
    ("en", "count.file", 1, "1 file"), ("en", "count.file", 3, "3 files"),
    ("en", "count.place", 1, "1 place in all"), ("en", "finding.places", 2, " (2 places)"),
    ("zh", "count.warning", 1, "1 条警告"), ("zh", "count.warning", 2, "2 条警告"),
    ("zh", "count.error", 1, "1 条错误"), ("zh", "count.file", 2, "2 个文件"),
    ("zh", "finding.places", 7, "（7 处）"),
])
def test_counts_are_grammatical(lang, key, n, said):
    assert Catalogue(lang).count(key, n) == said


def test_no_count_says_one_in_the_plural(files, capsys):
    _, out, _ = check(capsys, "--lang", "en", "missing.txt", "narrative.txt")
    assert "0 errors, 1 warning, 1 place in all." in out
    assert not re.search(r"\b1 (warnings|errors|places|files)\b", out)


# --- grouping -----------------------------------------------------------------------------


def test_one_cause_is_one_finding(capsys):
    """平潭2019 (real 008), a crawled page on one line: 7 rows of 二 unresolved and 23 rows of
    三 run together are one finding each, the line said once."""
    code, out, _ = check(capsys, str(ROOT / "corpus/real/008.txt"))
    assert code == 1
    report = parse_file(ROOT / "corpus/real/008.txt")
    assert sum(d.code == "ROW_UNRESOLVED" for d in report.diagnostics) == 7
    assert sum(d.code == "DIGITS_RUN_TOGETHER" and d.section == "三"
               for d in report.diagnostics) == 23
    heads = [line for line in out.splitlines() if line.startswith("  ") and "[" in line]
    assert heads == [
        "  错误［责任：解析］表二 主动公开政府信息情况：无法确定数字各属哪一格，这些行的单元格留空"
        "（7 处）（第10行）  [ROW_UNRESOLVED]",
        "  警告［责任：解析］表二 主动公开政府信息情况：数字连在一起印出，已按勾稽关系拆分"
        "  [DIGITS_RUN_TOGETHER]",
        "  警告［责任：解析］表三 收到和处理政府信息公开申请情况：数字连在一起印出，"
        "已按勾稽关系拆分（23 处）（第10行）  [DIGITS_RUN_TOGETHER]",
        "  警告［责任：解析］表四 政府信息公开行政复议、行政诉讼情况：数字连在一起印出，"
        "已按勾稽关系拆分  [DIGITS_RUN_TOGETHER]",
    ]
    assert "    · 第二十条第（六）项 行政处罚：印出 26480430，应有 3 格" in out.splitlines()
    assert "    · （三）不予公开 4.保护第三方合法权益：印为 0000000，拆为 0 0 0 0 0 0 0" in out
    assert out.endswith("  小结：1 条错误，3 条警告，共涉及 32 处。\n")


def test_identical_diagnostics_are_told_once():
    from govreport_lark.model import Diagnostic
    from govreport_lark.output.findings import findings

    report = parse_text(SEED.read_text(encoding="utf-8"))
    same = Diagnostic("UNASSIGNED_NUMBER", "warning", "m", section="三", line=60,
                      responsibility="parser", params={"number": "7"})
    report.diagnostics = [same, same, Diagnostic("UNASSIGNED_NUMBER", "warning", "m",
                                                 section="三", line=61, responsibility="parser",
                                                 params={"number": "8"})]
    [finding] = findings(report)
    assert [(i.text, i.where) for i in finding.items] == [("7", "（第60行）"), ("8", "（第61行）")]


# --- several files ------------------------------------------------------------------------


def test_summary_of_several_files_with_one_refused(files, capsys):
    code, out, err = check(capsys, "sum.txt", "missing.txt", "clean.txt", "empty.txt")
    assert code == 2  # an input refused outranks errors found
    assert err.count("\n") == 1 and "empty.txt" in err and "[EMPTY_INPUT]" in err
    lines = out.splitlines()
    assert "empty.txt：无法检查——文件为空 [EMPTY_INPUT]" in lines
    assert [line for line in lines if line.startswith("  小结")] == [
        "  小结：1 条错误，1 条警告，共涉及 3 处。",
        "  小结：0 条错误，1 条警告，共涉及 1 处。",
        "  小结：0 条错误，0 条警告。"]
    assert lines[-1] == "共检查 4 个文件：有错误 1 个，仅有警告 1 个，无问题 1 个，无法检查 1 个。"
    code, out, _ = check(capsys, "--lang", "en", "sum.txt", "missing.txt", "clean.txt",
                         "empty.txt")
    assert out.splitlines()[-1] == (
        "4 files checked: 1 with errors, 1 with warnings only, 1 clean, 1 refused.")
    assert "empty.txt: cannot be checked: the file is empty [EMPTY_INPUT]" in out


def test_exit_codes(files, capsys):
    assert check(capsys, "clean.txt")[0] == 0
    assert check(capsys, "missing.txt", "narrative.txt")[0] == 0  # warnings only
    assert check(capsys, "clean.txt", "sum.txt")[0] == 1
    assert check(capsys, "sum.txt", "empty.txt")[0] == 2


def test_info_findings_are_counted_and_shown_with_verbose(tmp_path, monkeypatch, capsys):
    """A row 二 does not have (kept under extra) is an info finding: counted, shown with -v."""
    text = SEED.read_text(encoding="utf-8")
    extra = text.replace("行政规范性文件\t0\t0\t0\n", "行政规范性文件\t0\t0\t0\n其他主动公开文件\t3\t0\t3\n")
    assert extra != text
    monkeypatch.chdir(tmp_path)
    Path("extra.txt").write_text(extra, encoding="utf-8")
    code, out, _ = check(capsys, "extra.txt")
    assert code == 0
    assert out.splitlines()[1:] == ["  未发现问题。", "  小结：0 条错误，0 条警告，另有 1 条提示，加 -v 显示。"]
    _, verbose, _ = check(capsys, "-v", "extra.txt")
    assert verbose.splitlines()[1:] == [
        "  提示 表二 主动公开政府信息情况：模板中没有的行，其数字另存于 extra，不计入模板的行"
        "  [EXTRA_ROW]",
        "    · “其他主动公开文件”：3 0 3（第37行）",
        "  小结：0 条错误，0 条警告，1 条提示，共涉及 1 处。"]
    _, english, _ = check(capsys, "--lang", "en", "extra.txt")
    assert english.splitlines()[-1] == (
        "  Summary: 0 errors, 0 warnings, 1 more info finding, shown with -v.")


# --- JSON ---------------------------------------------------------------------------------


def test_json_holds_the_grouped_findings(files, capsys):
    code, out, _ = check(capsys, "--format", "json", "sum.txt", "empty.txt")
    assert code == 2
    data = json.loads(out)
    assert data["schema"] == CHECK_SCHEMA and data["lang"] == "zh"
    assert data["summary"] == {"files": 2, "with_errors": 1, "with_warnings": 0, "clean": 0,
                               "refused": 1}
    first, refused = data["files"]
    assert refused == {"path": "empty.txt", "status": "refused",
                       "refused": {"code": "EMPTY_INPUT", "message": refused["refused"]["message"],
                                   "reason": "文件为空"}}
    assert first["status"] == "errors" and first["agency"] == "金水区司法局"
    assert first["counts"] == {"error": 1, "warning": 1, "info": 0, "places": 3}
    sums, prose = first["findings"]
    assert (sums["code"], sums["severity"], sums["responsibility"], sums["section"]) == (
        "SUM_MISMATCH", "error", "report", "三")
    assert sums["section_label"] == "表三 收到和处理政府信息公开申请情况"
    assert [i["params"]["relation"] for i in sums["items"]] == ["row_total", "balance"]
    assert sums["items"][0]["text"] == "一、本年新收政府信息公开申请数量：总计印为 3，六类申请人合计 1"
    assert sums["items"][0]["line"] == 53 and sums["items"][0]["row"] == "new_received"
    assert sums["items"][0]["cells"][0] == ["三", "new_received", "natural_person"]
    assert "applicant columns sum to 1" in sums["items"][0]["message"]  # the English original
    assert prose["code"] == "NARRATIVE_MISMATCH"
    assert prose["items"][0]["params"]["number"] == "1件"


def test_json_in_english(files, capsys):
    _, out, _ = check(capsys, "--format", "json", "--lang", "en", "missing.txt")
    data = json.loads(out)
    [finding] = data["files"][0]["findings"]
    assert data["lang"] == "en"
    assert finding["title"] == ("the report does not print these rows; their values were "
                                "inferred from the columns' arithmetic")
    assert finding["items"][0]["cells"][0] == ["三", "denied.third_party_rights", "natural_person"]


# --- params on the diagnostics ------------------------------------------------------------


def test_params_are_emitted_only_when_present():
    out = report_to_dict(parse_text(planted_total()))
    sums = [d for d in out["diagnostics"] if d["code"] == "SUM_MISMATCH"]
    assert [d["params"] for d in sums] == [
        {"relation": "row_total", "printed": 3, "sum": 1},
        {"relation": "balance", "left": 3, "right": 1}]
    [prose] = [d for d in out["diagnostics"] if d["code"] == "NARRATIVE_MISMATCH"]
    assert prose["params"]["cells"][0] == {"section": "三", "row": "new_received",
                                           "column": "total", "value": 3}
    assert validate_output(out) == []
    clean = report_to_dict(parse_text(SEED.read_text(encoding="utf-8")))
    assert all("params" not in d for d in clean["diagnostics"])


def test_missing_row_params():
    [d] = [d for d in parse_text(missing_row()).diagnostics if d.code == "MISSING_ROW"]
    assert d.params == {"inferred": True} and d.row == "denied.third_party_rights"


# --- the catalogues and the labels --------------------------------------------------------


def _readme_codes() -> set[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    table = text[text.index("### Diagnostics"):text.index("## How it works")]
    # Codes between reports (batch panels) are no finding of one report's check.
    return {c for line in table.splitlines()
            if line.startswith("| `") and "between reports" not in line
            for c in re.findall(r"`([A-Z_]+)`", line.split("|")[1])}


def test_every_code_has_a_sentence_in_both_languages():
    codes = _readme_codes()
    assert {"SUM_MISMATCH", "NARRATIVE_MISMATCH", "ROW_UNRESOLVED", "TITLE_MISSING"} <= codes
    zh, en = Catalogue("zh"), Catalogue("en")
    for code in codes:
        assert zh.has(f"{code}.title") and zh.has(f"{code}.item"), code
        assert en.has(f"{code}.title") and en.has(f"{code}.item"), code
    plural = {k for k in en.messages if k.endswith(".one")}
    assert set(en.messages) - plural == set(zh.messages)


def test_wording_lives_in_the_catalogues():
    """No Chinese sentence in the check's code: only the catalogues say things."""
    for name in ("check.py", "findings.py", "check_html.py", "labels.py"):
        source = (ROOT / "govreport_lark/output" / name).read_text(encoding="utf-8")
        tree = ast.parse(source)
        docs = {id(n.body[0].value) for n in ast.walk(tree)
                if isinstance(n, (ast.Module, ast.ClassDef, ast.FunctionDef)) and n.body
                and isinstance(n.body[0], ast.Expr)}
        strings = [n.value for n in ast.walk(tree) if isinstance(n, ast.Constant)
                   and isinstance(n.value, str) and id(n) not in docs]
        worded = [s for s in strings if re.search(r"[\u4e00-\u9fff]{2,}", s)]
        assert worded == [], (name, worded)


def test_labels_come_from_the_dictionary():
    assert section_label("三") == "表三 收到和处理政府信息公开申请情况"
    assert section_label("四") == "表四 政府信息公开行政复议、行政诉讼情况"
    assert row_label("三", "denied.third_party_rights") == "（三）不予公开 4.保护第三方合法权益"
    assert row_label("三", "new_received+carried_over") == (
        "一、本年新收政府信息公开申请数量＋二、上年结转政府信息公开申请数量")
    assert row_label("三", "denied.*") == "（三）不予公开"
    assert row_label("二", "rules", "2021") == "第二十条第（一）项 规章"
    assert column_label("三", "commercial") == "法人或其他组织·商业企业"
    assert column_label("三", "total") == "总计"
    assert column_label("二", "decisions", "2019") == "处理决定数量"
    assert cell_label("四", "litigation_direct", "pending") == "行政诉讼·未经复议直接起诉·尚未审结"
    assert row_label("三", "9.其他情形") == "“9.其他情形”"  # a row the template lacks
