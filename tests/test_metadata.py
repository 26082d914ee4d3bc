"""Title, agency, year and published date from every signal: titles over several lines and
on a cover, spaced and Chinese-numeral years, 关于…的报告, the page's title and date fields
and the statistics-period sentence."""

import time
from pathlib import Path

import pytest

from govreport_lark.locate.metadata import find_metadata
from govreport_lark.locate.outline import Doc, Section
from govreport_lark.normalise import Line
from govreport_lark.pipeline import parse_bytes, parse_text

SEED = Path(__file__).resolve().parent.parent / "corpus" / "seeds" / "002_529dae6be8c784ed.txt"
# Seed 002 from its first heading on: a report body with no title, no statistics-period
# sentence and no date.
_TEXT = SEED.read_text(encoding="utf-8")
BODY = _TEXT[_TEXT.index("一、总体情况") :]


def meta(report) -> tuple:
    return report.title, report.agency, report.year, report.published


def parse_head(head: str, body: str = BODY) -> tuple:
    return meta(parse_text(head + "\n" + body))


def test_title_over_two_lines_year_first():
    head = "2025 年上海市人民政府办公厅政府信息公开\n工作年度报告\n"
    assert parse_head(head) == ("2025年上海市人民政府办公厅政府信息公开工作年度报告",
                                "上海市人民政府办公厅", 2025, None)


def test_title_agency_line_above_year_line():
    head = "洪泽区人民政府\n\n2023年政府信息公开工作年度报告\n"
    assert parse_head(head) == ("洪泽区人民政府2023年政府信息公开工作年度报告",
                                "洪泽区人民政府", 2023, None)


def test_title_over_three_lines():
    head = "上海市黄浦区\n人民政府2024年政府信息公开\n工作年度报告\n"
    assert parse_head(head) == ("上海市黄浦区人民政府2024年政府信息公开工作年度报告",
                                "上海市黄浦区人民政府", 2024, None)


def test_cover_agency_line_above_a_whole_title_is_not_joined():
    head = "淮安市人民政府办公室\n淮安市人民政府2024年政府信息公开工作年度报告\n"
    assert parse_head(head) == ("淮安市人民政府2024年政府信息公开工作年度报告",
                                "淮安市人民政府", 2024, None)


def test_title_on_a_cover_page():
    head = ("洪泽区人民政府\n2023 年政府信息公开工作年度报告\n\n\n"
            "洪泽区人民政府\n2024年1月20日\n\n")
    assert parse_head(head) == ("洪泽区人民政府2023年政府信息公开工作年度报告",
                                "洪泽区人民政府", 2023, "2024-01-20")


def test_cover_names_the_agency_the_title_lacks():
    head = "2023年度政府信息公开工作年度报告\n上海市黄浦区人民政府办公室\n(二〇二四年一月二十日)\n"
    assert parse_head(head) == ("2023年度政府信息公开工作年度报告",
                                "上海市黄浦区人民政府办公室", 2023, "2024-01-20")


def test_signature_names_the_agency_the_title_lacks():
    tail = "\n上海市黄浦区人民政府办公室\n2024年1月22日\n"
    assert parse_head("2023年政府信息公开工作年度报告", BODY + tail) == (
        "2023年政府信息公开工作年度报告", "上海市黄浦区人民政府办公室", 2023, "2024-01-22")


@pytest.mark.parametrize(
    ("line", "title", "year"),
    [
        ("上海市黄浦区人民政府 2025 年政府信息公开工作年度报告",
         "上海市黄浦区人民政府2025年政府信息公开工作年度报告", 2025),
        ("上海市黄浦区人民政府2023年度政府信息公开工作年度报告",
         "上海市黄浦区人民政府2023年度政府信息公开工作年度报告", 2023),
        ("上海市黄浦区人民政府二〇二三年度政府信息公开工作年度报告",
         "上海市黄浦区人民政府二〇二三年度政府信息公开工作年度报告", 2023),
        ("上海市黄浦区人民政府二○二三年政府信息公开工作年度报告",
         "上海市黄浦区人民政府二○二三年政府信息公开工作年度报告", 2023),
        ("上海市黄浦区人民政府二零二三年政府信息公开工作年度报告",
         "上海市黄浦区人民政府二零二三年政府信息公开工作年度报告", 2023),
    ],
)
def test_year_forms(line, title, year):
    assert parse_head(line) == (title, "上海市黄浦区人民政府", year, None)


@pytest.mark.parametrize(
    "title",
    [
        "上海市黄浦区人民政府关于2023年度政府信息公开工作情况的报告",
        "上海市黄浦区人民政府关于2023年政府信息公开工作年度报告的报告",
        "关于上海市黄浦区人民政府2023年度政府信息公开工作情况的报告",
    ],
)
def test_about_titles(title):
    assert parse_head(title) == (title, "上海市黄浦区人民政府", 2023, None)


def test_year_after_the_agency_is_not_the_agency():
    assert parse_head("2025年度上海市黄浦区人民政府政府信息公开工作年度报告")[1:3] == (
        "上海市黄浦区人民政府", 2025)


@pytest.mark.parametrize(
    "sentence",
    [
        "本报告中所列数据的统计期限自2023年1月1日起至2023年12月31日止。",
        "统计期限自2023年1月1日起至12月31日止。",
        "报告中所列数据统计期限自 2023 年 1 月 1 日\n起至 2023 年 12 月 31 日止。",
        "本报告中所列数据的统计期限自2023\n年1月1日起至12月31日止。",
    ],
)
def test_statistics_period_gives_the_year_the_title_lacks(sentence):
    head = f"上海市黄浦区人民政府政府信息公开工作年度报告\n{sentence}\n"
    assert parse_head(head) == ("上海市黄浦区人民政府政府信息公开工作年度报告",
                                "上海市黄浦区人民政府", 2023, None)


def test_title_year_wins_over_the_statistics_period():
    head = "上海市黄浦区人民政府2023年政府信息公开工作年度报告\n统计期限自2022年1月1日起至12月31日止。\n"
    assert parse_head(head)[2] == 2023


def test_statistics_period_without_any_title():
    report = parse_text("本报告中所列数据的统计期限自2023年1月1日起至2023年12月31日止。\n" + BODY)
    assert meta(report) == (None, None, 2023, None)
    assert any(d.code == "TITLE_MISSING" for d in report.diagnostics)


def test_citation_in_the_preamble_is_not_the_title():
    head = "编制了《武汉市东西湖区司法局2020年政府信息公开工作年度报告》,现予公布。\n"
    report = parse_text("东西湖区司法局2020年政府信息公开工作年度报告\n" + head + BODY)
    assert meta(report) == ("东西湖区司法局2020年政府信息公开工作年度报告",
                            "武汉市东西湖区司法局", 2020, None)


def test_traditional_title_is_simplified():
    assert parse_head("上海市黃浦區人民政府2023年政府信息公開工作年度報告")[:2] == (
        "上海市黄浦区人民政府2023年政府信息公开工作年度报告", "上海市黄浦区人民政府")


# --- HTML page fields --------------------------------------------------------------------

PAGE = """<html><head><meta charset="utf-8">{head}</head>
<body><div class="nav">首页</div><div id="zoom">{title}{body}</div></body></html>"""


def _html_body(tail: str = "") -> str:
    return "".join(f"<p>{line}</p>" for line in (BODY + tail).splitlines() if line.strip())


def _page(head: str, title: str = "", tail: str = "") -> bytes:
    return PAGE.format(head=head, title=title, body=_html_body(tail)).encode("utf-8")


@pytest.fixture(scope="module")
def html():
    pytest.importorskip("lxml")


def test_html_reader_reads_the_meta_fields(html):
    from govreport_lark.read.html import read_html

    head = ('<meta name="ArticleTitle" content="黄浦区2023年政府信息公开工作年度报告">'
            '<meta name="PubDate" content="2024-01-20 10:00">')
    source = read_html(_page(head))
    assert source.meta_title == "黄浦区2023年政府信息公开工作年度报告"
    assert source.published_hint == "2024-01-20 10:00"


@pytest.mark.parametrize("separator", ["_", "-", " - ", "|", " | "])
def test_html_page_title_less_the_site_name(html, separator):
    head = f"<title>黄浦区人民政府2023年政府信息公开工作年度报告{separator}上海市黄浦区人民政府</title>"
    assert meta(parse_bytes(_page(head), fmt="html")) == (
        "黄浦区人民政府2023年政府信息公开工作年度报告", "黄浦区人民政府", 2023, None)


def test_html_page_title_is_normalised(html):
    head = "<title>黃浦區人民政府 ２０２３ 年政府信息公開工作年度報告 - 黃浦區人民政府</title>"
    assert meta(parse_bytes(_page(head), fmt="html"))[:3] == (
        "黄浦区人民政府2023年政府信息公开工作年度报告", "黄浦区人民政府", 2023)


def test_html_article_title_and_pubdate(html):
    head = ("<title>年度报告_上海市黄浦区人民政府</title>"
            '<meta name="ArticleTitle" content="黄浦区人民政府2023年政府信息公开工作年度报告">'
            '<meta name="PubDate" content="2024-01-20 10:00">')
    assert meta(parse_bytes(_page(head), fmt="html")) == (
        "黄浦区人民政府2023年政府信息公开工作年度报告", "黄浦区人民政府", 2023, "2024-01-20")


def test_html_body_title_and_signature_win_over_the_page_fields(html):
    head = ("<title>黄浦区2022年政府信息公开工作年度报告_上海市黄浦区人民政府</title>"
            '<meta name="ArticleTitle" content="黄浦区2022年政府信息公开工作年度报告">'
            '<meta name="PubDate" content="2024-01-20 10:00">')
    title = "<h1>上海市黄浦区人民政府2023年政府信息公开工作年度报告</h1>"
    page = _page(head, title, tail="\n上海市黄浦区人民政府\n2024年1月18日")
    assert meta(parse_bytes(page, fmt="html")) == (
        "上海市黄浦区人民政府2023年政府信息公开工作年度报告", "上海市黄浦区人民政府", 2023,
        "2024-01-18")


def test_html_pubdate_that_is_no_date(html):
    head = ('<meta name="ArticleTitle" content="黄浦区人民政府2023年政府信息公开工作年度报告">'
            '<meta name="PubDate" content="2024-02-30">')
    assert meta(parse_bytes(_page(head), fmt="html"))[3] is None


# --- hostile text ---------------------------------------------------------------------------


def _doc(lines: list[str]) -> tuple[Doc, list[Section]]:
    """A document and its sections: every line that is a heading of the template's 一 or 六."""
    doc = Doc([Line(line, i + 1) for i, line in enumerate(lines)])
    sections = [Section(key=line[0], heading=line, start=doc.starts[i],
                        body_start=doc.starts[i] + len(line), end=len(doc.text))
                for i, line in enumerate(lines) if line in ("一、总体情况", "六、其他需要报告的事项")]
    return doc, sections


@pytest.mark.parametrize(
    "text",
    [
        "关于" * 500_000,
        "年" * 1_000_000,
        "2023年关于" * 150_000,
        "政府信息公开工作年度报告" * 80_000,
        "《关于2023年政府信息公开工作年度报告" * 40_000,
        "《2023年政府信息公开工作年度报告》" * 40_000,
        "统计期限自" * 200_000,
        "二〇二三年一月" * 150_000,
    ],
)
def test_long_lines_take_linear_time(text):
    for lines in ([text], ["六、其他需要报告的事项", text], [text[:4000], "一、总体情况", text]):
        doc, sections = _doc(lines)
        started = time.perf_counter()
        find_metadata(doc, sections)
        assert time.perf_counter() - started < 1.0


def test_many_short_lines_take_linear_time():
    doc, sections = _doc(["黄浦区", "2023年政府信息公开", "六、其他需要报告的事项"] * 30_000)
    started = time.perf_counter()
    find_metadata(doc, sections)
    assert time.perf_counter() - started < 1.0


def test_statistics_period_cut_inside_its_first_word():
    text = ("某局政府信息公开工作年度报告\n本报告中所列数据的统\n计期限自2020年1月1日起至12月31日止。\n"
            "一、总体情况\n正文。\n二、主动公开政府信息情况\n第二十条第（一）项\n信息内容 本年新制作数量 本年新公开数量 对外公开总数量\n"
            "规章 0 0 0\n规范性文件 0 0 0\n")
    from govreport_lark import parse_text

    assert parse_text(text).year == 2020
