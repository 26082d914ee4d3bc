"""End to end on real HTML, PDF and DOCX files built here from generated reports.

Each file prints the numbers of ``generate.make_report`` (mostly non-zero; with
``blanks=True`` some 法人或其他组织 columns and sometimes a whole 四 group are empty
cells), so the parse must give ``report.expected`` exactly, and every cell's provenance
must point at the line (and for PDF the page) it was read from.

* HTML: ``render(report, "html")`` as UTF-8, and as GBK under ``<meta charset="gbk">``.
* DOCX: python-docx paragraphs for the title, headings and narrative (split into runs as
  Word does) and real Word tables whose spans are merged cells (the 三 stub column
  三、本年度办理结果 and （三）–（六） are vertical merges); a blank is an empty cell.
* PDF: reportlab with the CID font STSong-Light, tables drawn as ruled grids with their
  spans, page numbers at the foot of every page.  "paged" starts section 三 on page 2;
  "flowing" lets the tables break across pages wherever they fall.
"""

from __future__ import annotations

import html
import io
import random

import pytest
from generate import GeneratedReport, _document, _Style, _Table, make_report, render

from govreport_lark.output.compare import compare
from govreport_lark.output.emit import report_to_dict
from govreport_lark.pipeline import parse_bytes
from govreport_lark.read import read_source
from govreport_lark.read.source import SPANNED

SEEDS = (1, 2, 5, 6)
TEMPLATES = ("2019", "2021")
CHECKED = ("title", "agency", "year", "template", "published",
           "active_disclosure", "applications", "review_litigation")
NEW_RECEIVED = "一、本年新收政府信息公开申请数量"


@pytest.fixture(scope="module", autouse=True)
def _extras():
    """Every reader's optional library, and reportlab to write the PDFs."""
    pytest.importorskip("lxml")
    pytest.importorskip("pdfplumber")
    pytest.importorskip("docx")
    pytest.importorskip("reportlab")


def _expected(report: GeneratedReport) -> dict:
    return {key: report.expected[key] for key in CHECKED}


def _parse(report: GeneratedReport, data: bytes, path: str, fmt: str) -> dict:
    """Parse ``data``; its tables, title, agency, year and template must be exactly right."""
    out = report_to_dict(parse_bytes(data, path=path), provenance=True)
    assert out["source"]["format"] == fmt
    result = compare(out, _expected(report))
    assert result.differences == []
    assert result.cells == result.right > 150
    assert [d for d in out["diagnostics"] if d["severity"] != "info"] == []
    return out


def _line_index(lines: list[str], needle: str) -> int:
    """1-based number of the first of ``lines`` that holds ``needle``."""
    return next(i for i, line in enumerate(lines, 1) if needle in line)


def _style(report: GeneratedReport, fmt: str) -> _Style:
    return _Style.draw(random.Random(f"render:{report.seed}:{report.template}:{fmt}"))


def _placed(table: _Table) -> list[tuple[int, int, object]]:
    """(row, column, cell) of every cell of ``table`` on its full grid, spans laid out."""
    taken = [[False] * table.width for _ in table.rows]
    out = []
    for r, row in enumerate(table.rows):
        c = 0
        for cell in row:
            while taken[r][c]:
                c += 1
            for dr in range(cell.rowspan):
                for dc in range(cell.colspan):
                    taken[r + dr][c + dc] = True
            out.append((r, c, cell))
            c += cell.colspan
    return out


def _cases(blanks: tuple[bool, ...]) -> list[tuple[int, str, bool]]:
    return [(seed, template, blank) for seed in SEEDS for template in TEMPLATES
            for blank in blanks]


def _ids(case: tuple[int, str, bool]) -> str:
    seed, template, blanks = case
    return f"{seed}-{template}" + ("-blanks" if blanks else "")


# ------------------------------------------------------------------------ HTML


@pytest.mark.parametrize("encoding", ["utf-8", "gbk"])
@pytest.mark.parametrize("case", _cases((False, True)), ids=_ids)
def test_html(case, encoding):
    report = make_report(case[0], case[1], blanks=case[2])
    assert report.has_blanks == case[2]
    page = render(report, "html")
    if encoding == "gbk":
        assert '<meta charset="utf-8">' in page
        page = page.replace('<meta charset="utf-8">', '<meta charset="gbk">')
    data = page.encode(encoding)
    if encoding == "gbk":
        with pytest.raises(UnicodeDecodeError):
            data.decode("utf-8")  # the declared charset is what makes it readable
    out = _parse(report, data, "report.html", "html")

    lines = page.splitlines()  # one <tr> per source line
    where = out["provenance"]["applications"]["new_received"][0]
    assert where["line"] == _line_index(lines, f"<td colspan=\"3\">{NEW_RECEIVED}</td>")
    assert "page" not in where
    rules = out["provenance"]["active_disclosure"]["art20_1"]["rules"]
    first_column = next(iter(rules.values()))
    assert first_column["line"] == _line_index(lines, "<td>规章</td>")
    assert first_column["raw"] == str(next(iter(
        report.expected["active_disclosure"]["art20_1"]["rules"].values())))


# ------------------------------------------------------------------------ DOCX


def _runs(paragraph, text: str, rng: random.Random) -> None:
    """Add ``text`` as Word does: in several runs, cut anywhere."""
    cuts = sorted(rng.sample(range(1, len(text)), min(len(text) - 1, rng.randint(0, 3))))
    for start, end in zip([0, *cuts], [*cuts, len(text)], strict=True):
        paragraph.add_run(text[start:end])


def _docx(report: GeneratedReport) -> bytes:
    import docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    rng = random.Random(f"docx:{report.seed}:{report.template}")
    document = docx.Document()
    for kind, payload in _document(report, _style(report, "docx")):
        if kind == "table":
            table = document.add_table(rows=len(payload.rows), cols=payload.width)
            table.style = "Table Grid"
            # Table.cell() re-reads the whole table on every call: take the grid once.
            grid = [list(row.cells) for row in table.rows]
            for r, c, cell in _placed(payload):
                target = grid[r][c]
                if cell.rowspan > 1 or cell.colspan > 1:
                    target = target.merge(grid[r + cell.rowspan - 1][c + cell.colspan - 1])
                if cell.text:  # a blank stays an empty cell
                    target.text = cell.text
        elif kind in ("title", "heading"):
            _runs(document.add_heading(level=1 if kind == "title" else 2), payload, rng)
        else:
            paragraph = document.add_paragraph()
            _runs(paragraph, payload, rng)
            if kind == "sub":
                for run in paragraph.runs:
                    run.bold = True
            elif kind == "sign":
                paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()


@pytest.mark.parametrize("case", _cases((False, True)), ids=_ids)
def test_docx(case):
    report = make_report(case[0], case[1], blanks=case[2])
    data = _docx(report)
    out = _parse(report, data, "report.docx", "docx")

    lines = read_source(data, path="report.docx").lines
    row = _line_index(lines, NEW_RECEIVED)
    # label + seven cells, blanks as empty fields, the stub slots a span covers marked
    fields = lines[row - 1].split("\t")
    assert len([f for f in fields if f != SPANNED]) == 8
    assert fields[-7:] == [str(v) if v is not None else "" for v in
                           report.expected["applications"]["rows"]["new_received"]]
    values = report.expected["applications"]["rows"]["new_received"]
    where = out["provenance"]["applications"]["new_received"]
    assert [c["line"] for c, v in zip(where, values, strict=True) if v is not None] == [
        row] * sum(v is not None for v in values)
    assert [c.get("raw") for c in where] == [None if v is None else str(v) for v in values]
    stub = _line_index(lines, "本年度办理结果")
    assert lines[stub - 1].startswith("三、本年度办理结果\t")  # the merged stub, once
    assert sum("本年度办理结果" in line for line in lines) == 1


# ------------------------------------------------------------------------- PDF

_WIDTHS = {"active": [150, 115, 115, 115], "applications": [26, 58, 145] + [38] * 7,
           "review": [33] * 15}


def _pdf(report: GeneratedReport, *, paged: bool) -> bytes:
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Table, TableStyle

    font = "STSong-Light"
    pdfmetrics.registerFont(UnicodeCIDFont(font))
    body = ParagraphStyle("body", fontName=font, fontSize=10.5, leading=15, wordWrap="CJK")
    styles = {
        "title": ParagraphStyle("title", parent=body, fontSize=15, leading=22, alignment=1),
        "heading": ParagraphStyle("heading", parent=body, fontSize=11.5, leading=18,
                                  spaceBefore=6),
        "sign": ParagraphStyle("sign", parent=body, alignment=2),
    }
    in_cell = ParagraphStyle("cell", fontName=font, fontSize=7.5, leading=9.5, wordWrap="CJK")
    story: list = []
    for kind, payload in _document(report, _style(report, "pdf")):
        if kind == "heading" and payload.startswith("三、") and paged:
            story.append(PageBreak())
        if kind != "table":
            story.append(Paragraph(html.escape(payload), styles.get(kind, body)))
            continue
        data: list[list] = [[""] * payload.width for _ in payload.rows]
        commands: list = [("GRID", (0, 0), (-1, -1), 0.5, "black"),
                          ("VALIGN", (0, 0), (-1, -1), "MIDDLE")]
        for r, c, cell in _placed(payload):
            # Paragraphs wrap long labels inside their box, as a Word export does.
            data[r][c] = Paragraph(html.escape(cell.text), in_cell) if cell.text else ""
            if cell.rowspan > 1 or cell.colspan > 1:
                commands.append(("SPAN", (c, r), (c + cell.colspan - 1, r + cell.rowspan - 1)))
        table = Table(data, colWidths=_WIDTHS[payload.name])
        table.setStyle(TableStyle(commands))
        story.append(table)

    def page_number(canvas, doc) -> None:
        canvas.setFont(font, 9)
        canvas.drawCentredString(A4[0] / 2, 28, f"- {doc.page} -")

    buf = io.BytesIO()
    SimpleDocTemplate(buf, pagesize=A4, leftMargin=50, rightMargin=50, topMargin=50,
                      bottomMargin=50).build(story, onFirstPage=page_number,
                                             onLaterPages=page_number)
    return buf.getvalue()


@pytest.mark.parametrize("paged", [True, False], ids=["paged", "flowing"])
@pytest.mark.parametrize("case", _cases((False,)), ids=_ids)
def test_pdf(case, paged):
    report = make_report(case[0], case[1])
    data = _pdf(report, paged=paged)
    source = read_source(data, path="report.pdf")
    assert max(source.pages) >= 2
    assert "- 1 -" in source.lines and "- 2 -" in source.lines
    out = _parse(report, data, "report.pdf", "pdf")

    prov = out["provenance"]
    rules = next(iter(prov["active_disclosure"]["art20_1"]["rules"].values()))
    assert rules["page"] == 1
    assert rules["line"] == _line_index(source.lines, "规章\t")
    new = prov["applications"]["new_received"][0]
    assert new["line"] == _line_index(source.lines, NEW_RECEIVED)
    assert new["page"] == source.pages[new["line"] - 1]
    if paged:
        assert new["page"] == 2  # section 三 starts page 2
    last = prov["applications"]["carried_forward"][6]
    review = prov["review_litigation"]["litigation_after_review"]["total"]
    assert last["page"] >= 2 and review["page"] >= 2
    for cell in (last, review):
        assert source.pages[cell["line"] - 1] == cell["page"]
    if not paged:
        # the 三 table breaks across a page: its header rows and its last row part
        header = _line_index(source.lines, "商业企业\t科研机构")
        assert source.pages[header - 1] < last["page"]


# ------------------------------------------------------------- blank-cell provenance


@pytest.mark.parametrize("fmt", ["html", "docx"])
def test_blank_cell_provenance_names_its_line(fmt):
    report = make_report(1, "2021", blanks=True)
    values = report.expected["applications"]["rows"]["new_received"]
    assert None in values
    if fmt == "html":
        data = render(report, "html").encode("utf-8")
    else:
        data = _docx(report)
    out = _parse(report, data, f"report.{fmt}", fmt)
    where = out["provenance"]["applications"]["new_received"]
    lines = {c["line"] for c in where}
    assert len(lines) == 1 and None not in lines  # blanks stand on their row's line
