"""HTML, PDF and DOCX readers on small real files built here, and one real page."""

from __future__ import annotations

import importlib.util
import io
from pathlib import Path

import pytest
from conftest import zip_bytes

from govreport_lark.errors import InputError
from govreport_lark.read.source import SPANNED


def own(lines: list[str]) -> list[str]:
    """Table rows as their own cells: without the grid slots that spans cover."""
    return ["\t".join(f for f in line.split("\t") if f != SPANNED) for line in lines]

REAL_015 = Path(__file__).resolve().parent.parent / "corpus" / "real" / "015.html"


def _line_of(source: str, needle: str) -> int:
    """1-based line of the first occurrence of ``needle`` in ``source``."""
    return source[: source.index(needle)].count("\n") + 1


# ------------------------------------------------------------------------ HTML

PAGE = """<!DOCTYPE html>
<html>
<head>
<meta charset="utf-8">
<title>  某县2023年政府信息公开工作年度报告 - 某县人民政府 </title>
<style>.x { color: red }</style>
<script>var s = "一、三、收到和处理";</script>
</head>
<body>
<div class="header"><ul class="mainNav"><li><a href="/">首页</a></li><li>无障碍</li></ul></div>
<div class="bread-crumb">当前位置：首页 &gt; 信息公开</div>
<div class="main">
<table class="info"><tr><td>索引号</td><td colspan="3">123/2024-001</td></tr></table>
<h1 class="article-title">某县2023年政府信息公开工作年度报告</h1>
<div id="zoom">
<p class="MsoNormal"><span>一</span><span>、总体</span><span>情况</span><o:p></o:p></p>
<p><span>本年度</span>
<span>报告</span>&nbsp;&nbsp;<span>ok</span></p>
<p><span>三、收到和处理</span><span>政府信息公开申请情况</span></p>
<table border="1">
<tr id="r1"><td colspan="3" rowspan="2">（本列数据的勾稽关系为：第一项加第二项之和，<br>等于第三项加第四项之和）</td><td colspan="3">申请人情况</td></tr>
<tr id="r2"><td>自然人</td><td><p>商业</p><p>企业</p></td><td>总计</td></tr>
<tr id="r3"><td colspan="3">一、本年新收政府信息公开申请数量</td><td>26</td><td><p><span><o:p> </o:p></span></p></td><td>26</td></tr>
<tr id="r4"><td rowspan="3">三、本年度办理结果</td><td colspan="2">（一）予以公开</td><td>20</td><td>&nbsp;</td><td>20</td></tr>
<tr id="r5"><td rowspan="2">（三）不予公开</td><td>1.属于国家秘密</td><td>0</td><td></td><td>0</td></tr>
<tr id="r6"><td>2.其他法律行政法规禁止公开</td><td>1</td><td> </td><td>1</td></tr>
</table>
<p>四、结转下年度继续办理</p>
</div>
</div>
<div class="footer">版权所有 适老化</div>
<div id="share-bar">分享到微信</div>
</body>
</html>
"""

PAGE_LINES = [
    "某县2023年政府信息公开工作年度报告",
    "一、总体情况",
    "本年度报告 ok",
    "三、收到和处理政府信息公开申请情况",
    "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）\t申请人情况",
    "自然人\t商业企业\t总计",
    "一、本年新收政府信息公开申请数量\t26\t\t26",
    "三、本年度办理结果\t（一）予以公开\t20\t\t20",
    "（三）不予公开\t1.属于国家秘密\t0\t\t0",
    "2.其他法律行政法规禁止公开\t1\t\t1",
    "四、结转下年度继续办理",
]


@pytest.fixture(scope="module")
def read_html():
    pytest.importorskip("lxml")
    from govreport_lark.read.html import read_html

    return read_html


def test_html_body_table_spans_and_blank_cells(read_html):
    st = read_html(PAGE.encode("utf-8"))
    assert st.format == "html"
    assert own(st.lines) == PAGE_LINES
    assert st.title_hint == "某县2023年政府信息公开工作年度报告 - 某县人民政府"
    assert st.pages == [None] * len(PAGE_LINES)


def test_html_drops_chrome_and_metadata(read_html):
    text = "\n".join(read_html(PAGE.encode("utf-8")).lines)
    for chrome in ("首页", "无障碍", "当前位置", "索引号", "适老化", "版权所有", "分享到", "var s"):
        assert chrome not in text


def test_html_source_lines(read_html):
    st = read_html(PAGE.encode("utf-8"))
    where = dict(zip(own(st.lines), st.src_lines, strict=True))
    assert where[PAGE_LINES[0]] == _line_of(PAGE, "<h1")
    assert where["一、总体情况"] == _line_of(PAGE, '<p class="MsoNormal">')
    assert where["本年度报告 ok"] == _line_of(PAGE, "<p><span>本年度")
    assert where["自然人\t商业企业\t总计"] == _line_of(PAGE, '<tr id="r2">')
    assert where["2.其他法律行政法规禁止公开\t1\t\t1"] == _line_of(PAGE, '<tr id="r6">')
    assert st.src_lines == sorted(st.src_lines)


GBK_PAGE = """<html><head>
<meta http-equiv="Content-Type" content="text/html; charset={charset}">
<title>{agency}2023年政府信息公开工作年度报告</title></head>
<body><div class="nav">首页</div>
<p>一、总体情况</p><p>三、收到和处理政府信息公开申请情况</p>
<table><tr><td>（一）予以公开</td><td>5</td><td></td></tr></table>
</body></html>"""


@pytest.mark.parametrize("charset", ["gbk", "GB2312", "gb18030"])
def test_html_gbk_declared_in_http_equiv(read_html, charset):
    # 祎 is in GBK but not in GB2312: pages labelled gb2312 use it all the same.
    page = GBK_PAGE.format(charset=charset, agency="王祎镇")
    st = read_html(page.encode("gbk"))
    assert st.lines == ["一、总体情况", "三、收到和处理政府信息公开申请情况", "（一）予以公开\t5\t"]
    assert st.title_hint == "王祎镇2023年政府信息公开工作年度报告"


def test_html_gbk_meta_charset(read_html):
    page = '<html><head><meta charset="gbk"><title>年度报告</title></head><body><p>沭阳县二、主动公开</p></body></html>'
    st = read_html(page.encode("gbk"))
    assert st.lines == ["沭阳县二、主动公开"]
    assert st.title_hint == "年度报告"


def test_html_stale_gbk_label_on_utf8_bytes(read_html):
    page = '<html><head><meta charset="gbk"></head><body><p>沭阳县发展和改革局</p></body></html>'
    assert read_html(page.encode("utf-8")).lines == ["沭阳县发展和改革局"]


def test_html_bom_and_undeclared_gbk(read_html):
    page = "<html><body><p>一、总体情况</p></body></html>"
    assert read_html(b"\xef\xbb\xbf" + page.encode("utf-8")).lines == ["一、总体情况"]
    assert read_html(b"\xff\xfe" + page.encode("utf-16-le")).lines == ["一、总体情况"]
    assert read_html(page.encode("gbk")).lines == ["一、总体情况"]


@pytest.mark.parametrize(
    "head",
    [
        '<meta charset="iso-8859-1">',  # a template leftover: the bytes are GBK
        '<?xml version="1.0" encoding="gb2312"?>',
    ],
)
def test_html_other_charset_labels(read_html, head):
    page = f"{head}<html><body><p>一、总体情况</p></body></html>"
    assert read_html(page.encode("gbk")).lines == ["一、总体情况"]


def test_html_undecodable(read_html):
    with pytest.raises(InputError) as exc:
        read_html(b"<html><body><p>\xff\xff\x80</p></body></html>")
    assert exc.value.code == "UNDECODABLE"


def test_html_absurd_spans_cost_nothing(read_html):
    page = (
        "<table><tr><td rowspan='2147483647' colspan='99999999'>a</td><td>1</td></tr>"
        "<tr><td colspan='x'>b</td><td rowspan='-3'></td><td>2</td></tr></table>"
    )
    assert own(read_html(page.encode()).lines) == ["a\t1", "b\t\t2"]


def test_html_nested_table_rows_are_own_lines(read_html):
    page = (
        "<table><tr><td>外层</td><td>前<table><tr><td>内1</td><td></td><td>9</td></tr>"
        "<tr><td>内2</td></tr></table>后</td></tr><tr><td>下</td><td>1</td></tr></table>"
    )
    assert read_html(page.encode()).lines == ["外层\t前后", "内1\t\t9", "内2", "下\t1"]


def test_html_form_wrapper_and_deep_nesting(read_html):
    # ASP.NET pages wrap the whole page in <form>; that must not drop the report.
    inner = "<div>" * 3000 + "<p>深</p>" + "</div>" * 3000
    page = (
        '<html><body><form id="form1"><div class="menu">首页</div><div id="content">'
        "<p>一、总体情况</p><p>三、收到和处理政府信息公开申请情况</p>"
        f"{inner}</div></form></body></html>"
    )
    assert read_html(page.encode()).lines == [
        "一、总体情况",
        "三、收到和处理政府信息公开申请情况",
        "深",
    ]


def test_html_empty_page(read_html):
    st = read_html(b"")
    assert st.lines == [] and st.title_hint is None


def test_html_real_page_015(read_html):
    raw = REAL_015.read_bytes()
    st = read_html(raw)
    assert st.title_hint == "沭阳县发展和改革局2023年政府信息公开年度报告-沭阳县发改局"
    assert own(st.lines)[0] == "沭阳县发展和改革局2023年政府信息公开年度报告"
    assert own(st.lines)[1].startswith("根据《中华人民共和国政府信息公开条例》（以下简称《条例》）要求")
    assert own(st.lines)[2] == "一、总体情况"

    i = own(st.lines).index("三、收到和处理政府信息公开申请情况")
    assert own(st.lines)[i + 1 : i + 6] == [
        "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）\t申请人情况",
        "自然人\t法人或其他组织\t总计",
        "商业企业\t科研机构\t社会公益组织\t法律服务机构\t其他",
        "一、本年新收政府信息公开申请数量\t26\t\t\t\t\t\t26",
        "二、上年结转政府信息公开申请数量\t0\t\t\t\t\t\t0",
    ]
    assert own(st.lines)[i + 6] == "三、本年度办理结果\t（一）予以公开\t26\t\t\t\t\t\t26"
    # rowspan labels only in their first row, as in PDF text
    j = own(st.lines).index("（三）不予公开\t1.属于国家秘密\t0\t\t\t\t\t\t0")
    assert own(st.lines)[j + 1] == "2.其他法律行政法规禁止公开\t0\t\t\t\t\t\t0"
    assert "（七）总计\t26\t\t\t\t\t\t26" in own(st.lines)
    assert "四、结转下年度继续办理\t0\t\t\t\t\t\t0" in own(st.lines)
    # section 四: the stray </td> in the page does not shift the 15 values
    assert "0\t0\t0\t1\t1\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0" in own(st.lines)
    assert own(st.lines)[-2:] == ["沭阳县发展和改革局", "2024年1月17日"]

    # the row's source line is its <tr>
    source = raw.decode("utf-8").splitlines()
    row_src = st.src_lines[i + 4]
    assert source[row_src - 1].strip() == "<tr>"
    assert "本年新收政府信息公开申请数量" in "".join(source[row_src : row_src + 3])

    text = "\n".join(own(st.lines))
    for chrome in ("无障碍", "适老化", "繁體版", "智能问答", "首页", "索引号", "采集时间", "星期"):
        assert chrome not in text


# ------------------------------------------------------------------------- PDF


@pytest.fixture(scope="module")
def read_pdf():
    pytest.importorskip("pdfplumber")
    from govreport_lark.read.pdf import read_pdf

    return read_pdf


@pytest.fixture(scope="module")
def cjk_font():
    pytest.importorskip("reportlab")
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    return "STSong-Light"


def _report_pdf(font: str) -> bytes:
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Table, TableStyle

    style = ParagraphStyle("cjk", fontName=font, fontSize=11, leading=16, wordWrap="CJK")
    rows = [
        ["一、本年新收政府信息公开申请数量", "", "26", "", "26"],
        ["三、本年度办理结果", "（一）予以公开", "20", "", "20"],
        ["", "（二）部分公开", "1", "", "1"],
        ["四、结转下年度继续办理", "", "0", "0", "0"],
    ]
    table = Table(rows, colWidths=[170, 90, 40, 40, 40])
    table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), font),
                ("FONTSIZE", (0, 0), (-1, -1), 9),
                ("GRID", (0, 0), (-1, -1), 0.5, "black"),
                ("SPAN", (0, 0), (1, 0)),  # colspan 2
                ("SPAN", (0, 1), (0, 2)),  # rowspan 2
                ("SPAN", (0, 3), (1, 3)),
            ]
        )
    )
    buf = io.BytesIO()
    doc = SimpleDocTemplate(buf, pagesize=A4)
    doc.build(
        [
            Paragraph("某县2023年政府信息公开工作年度报告", style),
            Paragraph("三、收到和处理政府信息公开申请情况", style),
            table,
            Paragraph("四、政府信息公开行政复议、行政诉讼情况", style),
            PageBreak(),
            Paragraph("五、存在的主要问题及改进情况", style),
        ]
    )
    return buf.getvalue()


def test_pdf_table_rows_blank_cells_and_spans(read_pdf, cjk_font):
    st = read_pdf(_report_pdf(cjk_font))
    assert st.format == "pdf"
    assert own(st.lines) == [
        "某县2023年政府信息公开工作年度报告",
        "三、收到和处理政府信息公开申请情况",
        "一、本年新收政府信息公开申请数量\t26\t\t26",
        "三、本年度办理结果\t（一）予以公开\t20\t\t20",
        "（二）部分公开\t1\t\t1",
        "四、结转下年度继续办理\t0\t0\t0",
        "四、政府信息公开行政复议、行政诉讼情况",
        "五、存在的主要问题及改进情况",
    ]
    assert st.pages == [1, 1, 1, 1, 1, 1, 1, 2]
    assert st.src_lines == list(range(1, 9))


def _canvas_pdf(draw, pages: int = 1, **kwargs) -> bytes:
    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    c = canvas.Canvas(buf, **kwargs)
    for _ in range(pages):
        draw(c)
        c.showPage()
    c.save()
    return buf.getvalue()


def test_pdf_spread_cell_text_and_column_gaps(read_pdf, cjk_font):
    def draw(c):
        c.setFont(cjk_font, 10)
        # text columns outside a table keep their gap
        c.drawString(72, 760, "信息内容")
        c.drawString(200, 760, "本年制发件数")
        for y in (740, 720, 700):
            c.line(72, y, 300, y)
        for x in (72, 200, 250, 300):
            c.line(x, 740, x, 700)
        # Word's distributed alignment spreads a label over its cell
        c.drawString(75, 725, "予以公开", charSpace=12)
        c.drawString(205, 725, "3")
        c.drawString(75, 705, "2.其他")
        c.drawString(255, 705, "4")

    st = read_pdf(_canvas_pdf(draw))
    assert st.lines == ["信息内容 本年制发件数", "予以公开\t3\t", "2.其他\t\t4"]


def test_pdf_without_text_layer(read_pdf, cjk_font):
    data = _canvas_pdf(lambda c: c.rect(72, 72, 300, 400, fill=1))
    with pytest.raises(InputError) as exc:
        read_pdf(data)
    assert exc.value.code == "NO_TEXT_LAYER"
    assert "ocrmypdf" in exc.value.message


def test_pdf_too_many_pages(read_pdf, cjk_font):
    def draw(c):
        c.setFont(cjk_font, 12)
        c.drawString(72, 700, "一、总体情况")

    data = _canvas_pdf(draw, pages=3)
    assert read_pdf(data, max_pages=3).pages == [1, 2, 3]
    with pytest.raises(InputError) as exc:
        read_pdf(data, max_pages=2)
    assert exc.value.code == "TOO_MANY_PAGES"


def test_pdf_broken_and_encrypted(read_pdf, cjk_font):
    from reportlab.lib.pdfencrypt import StandardEncryption

    with pytest.raises(InputError) as exc:
        read_pdf(b"%PDF-1.7\nthis is not a pdf body\n%%EOF")
    assert exc.value.code == "UNREADABLE_PDF"

    def draw(c):
        c.setFont(cjk_font, 12)
        c.drawString(72, 700, "一、总体情况")

    locked = _canvas_pdf(draw, encrypt=StandardEncryption("user-pw", ownerPassword="owner-pw"))
    with pytest.raises(InputError) as exc:
        read_pdf(locked)
    assert exc.value.code == "ENCRYPTED_PDF"  # its own code since it was told apart from damage
    assert "password" in exc.value.message


# ------------------------------------------------------------------------ DOCX


@pytest.fixture(scope="module")
def read_docx():
    pytest.importorskip("docx")
    from govreport_lark.read.docx import read_docx

    return read_docx


def _report_docx() -> bytes:
    import docx

    d = docx.Document()
    d.add_paragraph("某县2023年政府信息公开工作年度报告")
    p = d.add_paragraph()
    for run in ("三", "、收到", "和处理政府信息公开申请情况"):
        p.add_run(run)  # Word splits words into runs
    t = d.add_table(rows=5, cols=4)
    t.cell(0, 0).merge(t.cell(0, 1)).text = "一、本年新收政府信息公开申请数量"
    t.cell(0, 2).text = "26"
    t.cell(0, 3).text = "26"
    t.cell(1, 0).merge(t.cell(3, 0)).text = "（三）不予公开"
    t.cell(1, 1).text = "1.属于国家秘密"
    t.cell(1, 2).text = "0"
    t.cell(1, 3).text = "0"
    t.cell(2, 1).text = "2.其他法律行政法规禁止公开"  # (2, 2) stays blank
    t.cell(2, 3).text = "1"
    t.cell(3, 1).text = "3.危及“三安全一稳定”"
    t.cell(3, 2).text = "0"
    t.cell(3, 3).text = "0"
    cell = t.cell(4, 0)
    cell.text = "商业"
    cell.add_paragraph("企业")  # a label wrapped in a narrow column
    inner = t.cell(4, 1).add_table(rows=1, cols=2)
    inner.cell(0, 0).text = "内"
    inner.cell(0, 1).text = "7"
    p = d.add_paragraph("四、结转下年度")
    p.add_run().add_break()
    p.add_run("继续办理\t0")
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def test_docx_paragraphs_and_tables_in_order(read_docx):
    st = read_docx(_report_docx())
    assert st.format == "docx"
    assert own(st.lines) == [
        "某县2023年政府信息公开工作年度报告",
        "三、收到和处理政府信息公开申请情况",
        "一、本年新收政府信息公开申请数量\t26\t26",
        "（三）不予公开\t1.属于国家秘密\t0\t0",
        "2.其他法律行政法规禁止公开\t\t1",
        "3.危及“三安全一稳定”\t0\t0",
        "商业企业\t\t\t",
        "内\t7",
        "四、结转下年度",
        "继续办理\t0",
    ]
    assert st.src_lines == list(range(1, 11))




def test_docx_decompression_bomb(read_docx):
    bomb = zip_bytes({"word/document.xml": b"<w:document/>", "word/media/x.bin": bytes(8 << 20)})
    with pytest.raises(InputError) as exc:
        read_docx(bomb)
    assert exc.value.code == "DECOMPRESSION_BOMB"
    with pytest.raises(InputError) as exc:
        read_docx(_report_docx(), max_uncompressed=10_000)
    assert exc.value.code == "DECOMPRESSION_BOMB"


def test_docx_unreadable(read_docx):
    for data in (b"\xd0\xcf\x11\xe0 an old .doc", zip_bytes({"xl/workbook.xml": b"<x/>"})):
        with pytest.raises(InputError) as exc:
            read_docx(data)
        assert exc.value.code == "UNREADABLE_DOCX"
    broken = zip_bytes({"[Content_Types].xml": b"<Types", "word/document.xml": b"<w:document"})
    with pytest.raises(InputError) as exc:
        read_docx(broken)
    assert exc.value.code == "UNREADABLE_DOCX"


# ------------------------------------------------------------ missing extras


@pytest.mark.parametrize(
    ("module", "func", "absent", "extra"),
    [
        ("html", "read_html", "lxml", "html"),
        ("pdf", "read_pdf", "pdfplumber", "pdf"),
        ("docx", "read_docx", "docx", "docx"),
    ],
)
def test_missing_extra(monkeypatch, module, func, absent, extra):
    reader = getattr(importlib.import_module(f"govreport_lark.read.{module}"), func)
    real = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util, "find_spec", lambda name, *a: None if name == absent else real(name, *a)
    )
    with pytest.raises(InputError) as exc:
        reader(b"")
    assert exc.value.code == "MISSING_EXTRA"
    assert f"govreport-lark[{extra}]" in exc.value.message
