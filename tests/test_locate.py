"""Tables found by what they hold, wherever the report prints them.

Each report is a generated one (tests/generate.py, template layout) rebuilt here in another
document structure: the Shanghai form (a narrative with its own numbering, then the tables
re-numbered under 附件/附表), captions 表一/表2 above tables printed after the narrative or
under their headings, reworded headings, tables with no heading at all.  The values must come
back exact (a blank null, a zero 0), no table section may be reported missing, no number of
the narrative may be taken for a stray table number, and the narrative stays narrative.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from conftest import ROOT, cpu_seconds
from generate import LAYOUT_FORMAT, SECTION_HEADINGS, GeneratedReport, make_report, render

from govreport_lark import InputError, parse_bytes, parse_text, report_to_dict
from govreport_lark.locate.outline import Doc
from govreport_lark.locate.sections import find_marks, find_sections
from govreport_lark.normalise import Line
from govreport_lark.output.cli import main
from govreport_lark.output.compare import compare

# Where each table starts in a template-layout rendering (the narrative above it stays).
_TABLE_START = {
    "二": re.compile(r"<table|第二十条第"),
    "三": re.compile(r"<table|本列数据"),
    "四": re.compile(r"<table|^[|\s]*行政复议(?!\d)"),
}
# A narrative sentence whose number has no unit: a stray number if a table region held it.
_BARE_NUMBER = "全年办理政务公开热线来电，热线号码 12345。"


@dataclass
class Parts:
    """A template-layout rendering taken apart: what stands before section 一, each section's
    narrative lines and (二–四) its table lines, and the signature."""

    layout: str
    preamble: list[str]
    narrative: dict[str, list[str]]
    tables: dict[str, list[str]]
    sign: list[str]
    end: list[str]  # what follows the signature (an HTML page's closing tags)

    def line(self, text: str) -> str:
        """A line of text as the layout prints a paragraph."""
        return f"<p>{text}</p>" if self.layout == "html" else text

    def heading(self, text: str) -> str:
        if self.layout == "html":
            return f"<h2>{text}</h2>"
        return f"## {text}" if self.layout == "markdown" else text


def take_apart(text: str, layout: str) -> Parts:
    lines = text.split("\n")
    at = {}
    for i, line in enumerate(lines):
        for heading in SECTION_HEADINGS:
            if heading in line and len(line) < len(heading) + 12:
                at.setdefault(heading[0], i)
    keys = list("一二三四五六")
    assert [at[k] for k in keys] == sorted(at.values())
    narrative: dict[str, list[str]] = {}
    tables: dict[str, list[str]] = {}
    for k, key in enumerate(keys):
        body = lines[at[key] + 1 : at[keys[k + 1]] if k + 1 < len(keys) else len(lines)]
        if key in _TABLE_START:
            cut = next(i for i, line in enumerate(body) if _TABLE_START[key].search(line))
            narrative[key], tables[key] = body[:cut], body[cut:]
        else:
            narrative[key] = body
    # The signature: the agency and the date closing section 六.
    six = narrative["六"]
    date = max(i for i, line in enumerate(six) if re.search(r"\d{4}年\d{1,2}月\d{1,2}日", line))
    agency = max(i for i in range(date) if six[i].strip())
    narrative["六"], sign, end = six[:agency], six[agency : date + 1], six[date + 1 :]
    return Parts(layout, lines[: at["一"]], narrative, tables, sign, end)


# --------------------------------------------------------------------------- structures


def shanghai(p: Parts, mark: str = "附件") -> list[str]:
    """The narrative under its own seven numbers, then the tables re-numbered in an appendix."""
    return [
        *p.preamble,
        p.heading("一、总体情况"), *p.narrative["一"],
        p.heading("二、工作机制保障"), p.line(_BARE_NUMBER),
        p.heading("三、主动公开工作情况"), *p.narrative["二"],
        p.heading("四、依申请公开工作情况"), *p.narrative["三"], *p.narrative["四"],
        p.heading("五、政府信息管理和平台建设"), p.line("持续优化政府信息公开专栏。"),
        p.heading("六、存在的主要问题及改进情况"), *p.narrative["五"],
        p.heading("七、其他需要报告的事项"), *p.narrative["六"], *p.sign,
        p.line(mark),
        p.heading("一、主动公开政府信息情况"), *p.tables["二"],
        p.heading("二、收到和处理政府信息公开申请情况"), *p.tables["三"],
        p.heading("三、政府信息公开行政复议、行政诉讼情况"), *p.tables["四"],
    ]


def captions_after(p: Parts) -> list[str]:
    """The template's headings over the narrative only; the tables after the signature,
    behind captions: 表一 with its title, 表二 with a title and a colon, 表三 alone on its
    line with the title on the next."""
    out = [*p.preamble]
    for heading, key in zip(SECTION_HEADINGS, "一二三四五六", strict=True):
        out += [p.heading(heading), *p.narrative[key]]
        if key in "二三四":
            out.append(p.line(f"具体数据详见表{'一二三'['二三四'.index(key)]}。"))
    return [
        *out, *p.sign,
        p.line("表一 主动公开政府信息情况"), *p.tables["二"],
        p.line("表二：收到和处理政府信息公开申请情况统计表"), *p.tables["三"],
        p.line("表三"), p.line("政府信息公开行政复议、行政诉讼情况"), *p.tables["四"],
    ]


def captions_under(p: Parts) -> list[str]:
    """Each table under its template heading, behind a caption 表1 / 附表2 / 表 3."""
    captions = {"二": "表1", "三": "附表2：依申请公开政府信息情况", "四": "表 3"}
    out = [*p.preamble]
    for heading, key in zip(SECTION_HEADINGS, "一二三四五六", strict=True):
        out += [p.heading(heading), *p.narrative[key]]
        if key in captions:
            out += [p.line(captions[key]), *p.tables[key]]
    return out + p.sign


def reworded(p: Parts) -> list[str]:
    """Every heading in another wording seen in real reports (template.md §5.1, issue 10)."""
    headings = (
        "一、基本情况",
        "二、主动公开政府信息的情况",
        "三、依申请公开政府信息情况",
        "四、因政府信息公开工作被申请行政复议和行政诉讼的情况",
        "五、政府信息公开工作存在的主要问题和改进措施",
        "六、其他需要报告事项",
    )
    out = [*p.preamble]
    for heading, key in zip(headings, "一二三四五六", strict=True):
        out += [p.heading(heading), *p.narrative[key], *p.tables.get(key, [])]
    return out + p.sign


def bare_tables(p: Parts) -> list[str]:
    """The tables right after the overview with no heading or caption at all; the problems
    and other matters after them, under their own numbers, one with a bare number."""
    return [
        *p.preamble,
        p.heading("一、总体情况"), *p.narrative["一"],
        *p.tables["二"], *p.tables["三"], *p.tables["四"],
        p.heading("二、存在的主要问题及改进情况"), *p.narrative["五"], p.line(_BARE_NUMBER),
        p.heading("三、其他需要报告的事项"), *p.narrative["六"], *p.sign,
    ]


STRUCTURES: dict[str, Callable[[Parts], list[str]]] = {
    "shanghai": shanghai,
    "shanghai_fubiao": lambda p: shanghai(p, "附表："),
    "captions_after": captions_after,
    "captions_under": captions_under,
    "reworded": reworded,
    "bare_tables": bare_tables,
}
LAYOUTS = ("tab", "markdown", "lines", "spaces", "html")
# Layouts that can print a blank cell: there a blank must come back null, a zero 0.
BLANKS = ("tab", "markdown", "html")


def _report(seed: int, template: str, layout: str) -> GeneratedReport:
    return make_report(seed, template, blanks=layout in BLANKS)


def _parse(text: str, layout: str) -> dict:
    fmt = LAYOUT_FORMAT[layout]
    return report_to_dict(parse_bytes(text.encode("utf-8"), path=f"report.{fmt}"))


def _blanks_given_values(out: dict, expected: dict) -> list[str]:
    """Cells printed blank that came back with a value (compare lets a value pass where a
    diagnostic names the row)."""
    wrong = []
    for item, rows in expected["active_disclosure"].items():
        for row, cells in rows.items():
            got = out["active_disclosure"][item][row]
            wrong += [f"{item}.{row}.{c}" for c, v in cells.items() if v is None and got[c] is not None]
    for row, cells in expected["applications"]["rows"].items():
        got = out["applications"]["rows"][row]
        wrong += [f"{row}[{i}]" for i, v in enumerate(cells) if v is None and got[i] is not None]
    for group, cells in expected["review_litigation"].items():
        got = out["review_litigation"][group]
        wrong += [f"{group}.{c}" for c, v in cells.items() if v is None and got[c] is not None]
    return wrong


def _cjk(text: str) -> str:
    return "".join(ch for ch in text if "\u4e00" <= ch <= "\u9fff")


def _codes(out: dict, code: str) -> list[dict]:
    return [d for d in out["diagnostics"] if d["code"] == code]


@pytest.mark.parametrize("template", ["2019", "2021"])
@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("structure", STRUCTURES)
@pytest.mark.parametrize("seed", range(2))
def test_tables_found_by_what_they_hold(seed: int, structure: str, layout: str, template: str):
    report = _report(seed, template, layout)
    parts = take_apart(render(report, layout, seed=seed), layout)
    out = _parse("\n".join(STRUCTURES[structure](parts) + parts.end), layout)
    assert compare(out, report.expected).differences == []
    assert _blanks_given_values(out, report.expected) == []
    assert out["template"] == report.template
    missing = {d["section"] for d in _codes(out, "SECTION_MISSING")}
    assert missing.isdisjoint("二三四"), out["diagnostics"]
    assert _codes(out, "UNASSIGNED_NUMBER") == []
    assert [d for d in out["diagnostics"] if d["severity"] == "error"] == []
    # The narrative stays narrative: problems and other matters whatever their number.
    narrative = out["narrative"]
    for key, name in (("五", "problems"), ("六", "other_matters")):
        kept = _cjk("".join(narrative.get(name, [])))
        for line in parts.narrative[key]:
            assert _cjk(line) in kept, (name, line)
    assert _cjk(parts.narrative["一"][-1]) in _cjk("".join(narrative.get("overview", [])))


@pytest.mark.parametrize("template", ["2019", "2021"])
@pytest.mark.parametrize("layout", ["tab", "lines"])
@pytest.mark.parametrize("structure", STRUCTURES)
def test_one_line_page(structure: str, layout: str, template: str):
    """A crawled page that holds the whole report on one line: headings only inside it."""
    report = make_report(1, template)
    parts = take_apart(render(report, layout, seed=1), layout)
    out = _parse(" ".join(line for line in STRUCTURES[structure](parts) if line.strip()), layout)
    # The signature date stands alone on no line here, so only the tables are compared.
    found = [d for d in compare(out, report.expected).differences if not d.startswith("published")]
    assert found == []
    assert _codes(out, "SECTION_MISSING") == [] and _codes(out, "UNASSIGNED_NUMBER") == []


def test_shanghai_numbering_stays_in_the_overview():
    report = make_report(3, "2021")
    parts = take_apart(render(report, "tab", seed=3), "tab")
    out = _parse("\n".join(shanghai(parts)), "tab")
    overview = out["narrative"]["overview"]
    for heading in ("二、工作机制保障", "三、主动公开工作情况", "四、依申请公开工作情况"):
        assert heading in overview
    assert "七、其他需要报告的事项" not in overview
    assert {d["section"] for d in _codes(out, "SECTION_MISSING")} == set()


def _doc(text: str) -> Doc:
    from govreport_lark.normalise import normalise
    from govreport_lark.read.source import SourceText

    return Doc(normalise(SourceText(lines=text.split("\n"), format="txt")))


def test_regions_start_at_the_table_and_end_before_the_next():
    report = make_report(0, "2021")
    parts = take_apart(render(report, "tab"), "tab")
    doc = _doc("\n".join(shanghai(parts)))
    sections = {s.key: s for s in find_sections(doc)}
    assert list(sections) == list("一二三四五六")
    region = {k: doc.text[s.body_start : s.end] for k, s in sections.items()}
    assert sections["二"].heading == "一、主动公开政府信息情况"
    assert region["二"].lstrip().startswith("第二十条第(一)项")
    assert "行政事业性收费" in region["二"]
    assert "收到和处理" not in region["二"] and "本年新收" not in region["二"]
    assert region["三"].lstrip().startswith("(本列数据")
    assert region["三"].rstrip().split("\n")[-1].startswith("四、结转下年度继续办理")
    assert region["四"].lstrip().startswith("行政复议")
    # Narrative sections: the overview keeps the narrative's own numbered parts and ends
    # at the problems, the other matters end at the appendix caption.
    assert "二、工作机制保障" in region["一"] and "存在的主要问题" not in region["一"]
    assert report.agency in region["六"] and "附件" not in region["六"]


@pytest.mark.parametrize(("line", "kind"), [
    ("一、总体情况", "一"), ("一、基本情况", "一"), ("一、概述", "一"),
    ("二、主动公开政府信息情况", "二"), ("二、主动公开政府信息的情况", "二"),
    ("一、主动公开政府信息情况", "二"), ("表一 主动公开政府信息情况", "二"),
    ("三、收到和处理政府信息公开申请情况", "三"), ("三、依申请公开政府信息情况", "三"),
    ("表2:收到和处理政府信息公开申请情况统计表", "三"),
    ("四、政府信息公开行政复议、行政诉讼情况", "四"),
    ("四、因政府信息公开工作被申请行政复议、提起行政诉讼的情况", "四"),
    ("四、因政府信息公开工作被申请行政复议和提起行政诉讼情况", "四"),
    ("四、政府信息公开行政复议和行政诉讼情况", "四"), ("三、政府信息公开行政法复议、行政诉讼情况", "四"),
    ("五、存在的主要问题及改进情况", "五"), ("七、政府信息公开工作存在的主要问题和改进措施", "五"),
    ("五、存在问题及改进情况", "五"), ("六、其他需要报告的事项", "六"), ("八、其他需要报告事项", "六"),
    ("主动公开政府信息情况", "二"),  # a title line under a caption
    ("附件", "caption"), ("附表:", "caption"), ("附件1", "caption"), ("表 3", "caption"),
    ("二、工作机制保障", "ordinal"), ("三、本年度办理结果", "ordinal"),
])
def test_heading_wordings(line: str, kind: str):
    [mark] = find_marks(_doc(line))
    assert mark.kind == kind


@pytest.mark.parametrize("line", [
    "主动公开政府信息情况如下:",  # a sentence, not a heading
    "表明本机关高度重视",  # 表 without a number
    "三、",  # a number cut from its stub
    "(一)主动公开方面",
])
def test_not_headings(line: str):
    assert find_marks(_doc(line)) == []


def test_marks_at_line_starts_and_inside_long_lines():
    # The text's first line has no line break before it: its heading is found as the
    # others are; a line of 400 characters or more is searched inside, the first one too.
    filler = "本机关认真贯彻落实条例" * 40
    text = "\n".join(["一、总体情况", "正文", "二、主动公开政府信息情况",
                      filler + "三、收到和处理政府信息公开申请情况", "四、政府信息公开行政复议、行政诉讼情况"])
    marks = find_marks(_doc(text))
    assert [(m.kind, m.at_line_start) for m in marks] == [
        ("一", True), ("二", True), ("三", False), ("四", True)]
    long_first = find_marks(_doc(filler + "五、存在的主要问题及改进情况\n六、其他需要报告的事项"))
    assert [(m.kind, m.at_line_start) for m in long_first] == [("五", False), ("六", True)]


def test_a_sentence_naming_the_cases_is_not_the_review_table():
    # An overview that names the year's cases with the table's own words (real 007) and a
    # sentence right above the table whose number stands before its unit on the next line.
    text = "\n".join([
        "某市2024年政府信息公开工作年度报告",
        "一、总体情况",
        "政府信息公开行政复议 351",
        "件,其中结果维持 72 件,结果纠正 64 件,其他结果 178 件,尚未审结 37 件。",
        "四、政府信息公开行政复议、行政诉讼情况",
        "2024年,我市因政府信息公开工作被申请行政复议26",
        "件,被提起行政诉讼39件。",
        "行政复议 行政诉讼",
        "结果维持 结果纠正 其他结果 尚未审结 总计 未经复议直接起诉 复议后起诉",
        "结果维持 结果纠正 其他结果 尚未审结 总计 结果维持 结果纠正 其他结果 尚未审结 总计",
        "7 4 8 7 26 3 9 7 0 19 8 0 3 9 20",
        "五、存在的主要问题及改进情况",
        "热线号码 12345。",
    ])
    doc = _doc(text)
    four = next(s for s in find_sections(doc) if s.key == "四")
    assert four.heading == "四、政府信息公开行政复议、行政诉讼情况"
    assert doc.text[four.body_start :].startswith("行政复议行政诉讼")
    out = report_to_dict(parse_text(text))
    assert out["review_litigation"]["review"] == {
        "maintained": 7, "corrected": 4, "other": 8, "pending": 7, "total": 26}
    assert out["review_litigation"]["litigation_after_review"]["total"] == 20
    assert _codes(out, "ROW_CELL_COUNT") == [] and _codes(out, "UNASSIGNED_NUMBER") == []


def test_a_heading_without_its_table_still_marks_the_section():
    # A 三 table reduced to a sentence under its heading (seed 001): found by the heading.
    text = "\n".join([
        "某局2020年政府信息公开工作年度报告",
        "一、总体情况", "本年度工作平稳。",
        "三、收到和处理政府信息公开申请情况", "2020年,我局无依申请公开情况。",
        "四、政府信息公开行政复议、行政诉讼情况", "无。",
    ])
    sections = {s.key: s for s in find_sections(_doc(text))}
    assert sections["三"].heading == "三、收到和处理政府信息公开申请情况"
    assert sections["四"].heading == "四、政府信息公开行政复议、行政诉讼情况"
    out = report_to_dict(parse_text(text))
    missing = {d["section"]: d["severity"] for d in _codes(out, "SECTION_MISSING")}
    assert missing == {"二": "error", "五": "warning", "六": "warning"}


def test_narrative_sections_missing_are_warnings_only():
    report = make_report(1, "2019")
    parts = take_apart(render(report, "tab", seed=1), "tab")
    lines = [*parts.preamble, *parts.narrative["一"], *parts.tables["二"], *parts.tables["三"],
             *parts.tables["四"], *parts.sign]
    out = _parse("\n".join(lines), "tab")
    assert compare(out, report.expected).differences == []
    missing = {d["section"]: d["severity"] for d in _codes(out, "SECTION_MISSING")}
    assert missing == {"一": "warning", "五": "warning", "六": "warning"}


# --------------------------------------------------------------------------- refusals


_NARRATIVE_ONLY = "\n".join([
    "某县2023年政府信息公开工作年度报告",
    "一、总体情况", "2023年,我县扎实推进政府信息公开工作。",
    "二、工作机制保障", "全年组织业务培训3次。",
    "五、存在的主要问题及改进情况", "政策解读形式还不够丰富。",
    "六、其他需要报告的事项", "无。",
])


def test_text_without_tables_is_not_a_report():
    with pytest.raises(InputError) as caught:
        parse_text(_NARRATIVE_ONLY)
    assert caught.value.code == "NOT_A_REPORT"
    assert "tables" in caught.value.message


def test_text_without_tables_exits_2(tmp_path, capsys):
    path = tmp_path / "narrative.txt"
    path.write_text(_NARRATIVE_ONLY, encoding="utf-8")
    assert main(["parse", str(path)]) == 2
    out, err = capsys.readouterr()
    assert out == "" and "[NOT_A_REPORT]" in err and "Traceback" not in err


# --------------------------------------------------------------------------- linear time


@pytest.mark.parametrize("unit", [
    "三、", "四、", "附件", "三、四、附件", "四、行政复议", "行政复议结果维持", "一、本年新收",
    "第二十条第(一)项", "表1",
    # A table's words every few hundred characters: thousands of candidate tables.
    "行政复议 行政诉讼 结果维持 " + "甲" * 420,
    "第二十条第(一)项 信息内容 " + "甲" * 820,
    "一、本年新收 二、上年结转 (一)予以公开 " + "甲" * 820,
], ids=lambda unit: unit[:12])
def test_a_megabyte_line_of_repeats_is_linear(unit: str):
    line = unit * (1_000_000 // len(unit.encode("utf-8")))
    doc = Doc([Line(line, 1)])
    assert cpu_seconds(lambda: find_sections(doc)) < 0.8

    def parse() -> None:
        try:
            parse_text(line)
        except InputError:
            pass

    assert cpu_seconds(parse) < 1.5


def test_many_table_like_blocks_are_linear():
    # Thousands of short 三 tables, each under a heading: every block a candidate.
    block = "三、收到和处理政府信息公开申请情况\n一、本年新收 1\n二、上年结转 1\n(一)予以公开 1\n"
    doc = _doc(block * 5000)
    assert cpu_seconds(lambda: find_sections(doc)) < 1.5


def test_two_tables_under_one_caption_keep_their_own_rows():
    # "表1" over 二 and an unheaded 三: 二's region ends where 三's own rows begin, so 三's
    # rows are neither read as 二's extra rows nor reported missing.
    text = """某市2023年政府信息公开工作年度报告
一、总体情况
概述文字。
表1
第二十条第(一)项
信息内容 本年制发件数 本年废止件数 现行有效件数
规章 0 0 0
规范性文件 1 0 5
第二十条第(五)项
信息内容 本年处理决定数量
行政许可 10
(本列数据的勾稽关系为:第一项加第二项之和，等于第三项加第四项之和)
本年新收政府信息公开申请数量 1 0 0 0 0 0 1
上年结转政府信息公开申请数量 0 0 0 0 0 0 0
本年度办理结果
(一)予以公开 1 0 0 0 0 0 1
(二)部分公开(区分处理的,只计这一情形,不计其他情形) 0 0 0 0 0 0 0
结转下年度继续办理 0 0 0 0 0 0 0
四、政府信息公开行政复议、行政诉讼情况
行政复议 行政诉讼
结果维持 结果纠正 其他结果 尚未审结 总计
0 0 0 0 0 0 0 0 0 0 0 0 0 0 0
五、存在的主要问题及改进情况
无。
六、其他需要报告的事项
无。"""
    report = parse_text(text)
    rows = report.applications.rows
    assert [c.value for c in rows["new_received"]] == [1, 0, 0, 0, 0, 0, 1]
    assert [c.value for c in rows["granted"]] == [1, 0, 0, 0, 0, 0, 1]
    assert [c.value for c in rows["carried_forward"]] == [0] * 7
    assert not report.active_disclosure["art20_5"].extra
    assert report.active_disclosure["art20_5"].rows["administrative_license"]["decisions"].value == 10


def _paragraphs_by_pattern(doc: Doc) -> list[tuple[str, list[int], list[int]]]:
    """The prose's paragraphs as ``prose.paragraphs`` made them with a pattern for a
    sentence's end ([。!?！？]$), a heading found in the whole text so far at each line."""
    from govreport_lark.locate import prose

    end = re.compile(r"[。!?！？]$")
    out, text, offsets, indexes = [], "", [], []
    for index, line in enumerate(doc.lines):
        piece = line.text.strip()
        if not piece:
            continue
        table = prose._is_table(line, piece)
        heading = prose._MARK.match(text) and not prose._PUNCT.search(text[:-1])
        if text and (table or prose._MARK.match(piece) or end.search(text) or heading):
            out.append((text, offsets, indexes))
            text, offsets, indexes = "", [], []
        if not table:
            joint = ""
            if text:
                joint = (" " if text[-1:].isdigit() and piece[:1].isdigit() else
                         "" if re.match(f"[{prose.CJK}\\d]", piece[:1] or " ")
                         or not text[-1:].isascii() else " ")
            offsets.append(len(text))
            indexes.append(index)
            text += joint + piece
    if text:
        out.append((text, offsets, indexes))
    return out


def test_paragraphs_end_where_the_end_pattern_says():
    """A paragraph's text ends in no line break, so its last character tells a sentence's
    end as the pattern does: the same paragraphs on the corpus and every layout."""
    from govreport_lark.locate.prose import paragraphs
    from govreport_lark.normalise import normalise
    from govreport_lark.read import detect_format, read_source

    datas = [p.read_bytes() for p in sorted(ROOT.glob("corpus/*/*"))
             if p.suffix in (".txt", ".md", ".html")]
    for seed in range(3):
        for template in ("2019", "2021"):
            report = make_report(seed, template, title_style="two_lines" if seed else "plain",
                                 pdf_habits=seed == 2)
            datas += [render(report, layout, seed=seed).encode()
                      for layout in ("tab", "lines", "spaces", "wrapped", "markdown")]
    count = 0
    for data in datas:
        doc = Doc(normalise(read_source(data, path=None, fmt=detect_format(data, None))))
        got = [(p.text, p.offsets, p.indexes) for p in paragraphs(doc)]
        assert got == _paragraphs_by_pattern(doc)
        count += len(got)
    assert count > 500


def test_paragraphs_of_crafted_lines_match_the_pattern():
    """Marks cut over lines ("第" / "一" / "二" / "条…", "1" / ". 本…"), headings with and
    without punctuation, tables between: the same paragraphs as the reference."""
    from govreport_lark.locate.prose import paragraphs

    texts = [
        ["第", "一", "二", "条规定", "下一行"],
        ["第", "一二", "三", "款", "下一行。"],
        ["1", ". 本机关", "继续"],
        ["三、", "收到和处理情况", "(一)依申请", "公开，情况", "如下", "1 2 3"],
        ["(二)", "部分公开", "", "说明。", "第一章", "总则"],
        ["一、总体情况", "全年共", "12 0", "件。", "二", "、上年"],
    ]
    for lines in texts:
        doc = Doc([Line(t, i + 1) for i, t in enumerate(lines)])
        got = [(p.text, p.offsets, p.indexes) for p in paragraphs(doc)]
        assert got == _paragraphs_by_pattern(doc)


def test_a_long_paragraph_is_read_in_linear_time():
    """Eighty thousand lines without a full stop, under a numbered heading with a comma:
    one paragraph, its text joined once (adding line by line copied it at every line)."""
    from govreport_lark.locate.prose import sentences

    lines = [Line("一、开头说明，这是一行文字", 1)]
    lines += [Line("这是一行很长的文字没有句号", i + 2) for i in range(80_000)]
    lines += [Line("第" if i == 0 else "一", i + 80_002) for i in range(80_000)]
    # A long first line led by 第: its start is read once, not again at every line.
    lines += [Line("第" + "说" * 200_000, 160_002)]
    lines += [Line("这是一行文字", i + 160_003) for i in range(40_000)]
    doc = Doc(lines)
    assert cpu_seconds(lambda: sentences(doc)) < 2.0
