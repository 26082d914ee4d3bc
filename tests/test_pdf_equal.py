"""The PDF reader (pdf_page: pdfminer fed by pdf_content's tokenizer, pdfplumber's table
geometry on light page objects) reads every PDF as the pdfplumber reader it replaced
(tests/reference/pdf_plumber.py): the same SourceText, byte for byte (lines, pages,
source lines, grids), so the same values, diagnostics and provenance.  No difference
is allowed.  Each step is held equal on its own too: the tokenizer to pdfminer's
content parser (on every content stream here and on random ones, in pdfminer's own
4096-byte blocks and in blocks of a few bytes, where its tokens split most), and the
page's characters and edges to pdfplumber's page.chars and page.edges."""

from __future__ import annotations

import io
import random
import zlib
from pathlib import Path

import pytest

pytest.importorskip("pdfplumber")
pytest.importorskip("reportlab")

from generate import REORDERS, STRUCTURES, STUB_STYLES, TITLE_STYLES, make_report  # noqa: E402
from reference.pdf_plumber import read_pdf as reference_read_pdf  # noqa: E402
from test_formats import _pdf  # noqa: E402

from govreport_lark.output.emit import report_to_dict  # noqa: E402
from govreport_lark.pipeline import parse_bytes  # noqa: E402
from govreport_lark.read import pdf_content  # noqa: E402
from govreport_lark.read.pdf import read_pdf  # noqa: E402

REAL = sorted((Path(__file__).resolve().parent.parent / "corpus" / "real").glob("*.pdf"))


def _generated() -> list[tuple[str, bytes]]:
    """Reports of both templates, numbers non-zero or not, blank cells (whole columns
    or anywhere), a page break before 三 or tables running over a page break."""
    out = []
    for seed in range(12):
        template = ("2019", "2021")[seed % 2]
        blanks = (False, True, "anywhere")[seed % 3]
        zero_share = (0.0, 0.2, 0.6)[(seed // 2) % 3]
        report = make_report(seed, template, blanks=blanks, zero_share=zero_share)
        out.append((f"g{seed}-{template}-{blanks}-{zero_share}.pdf",
                    _pdf(report, paged=bool(seed % 4 < 2))))  # fmt: skip
    # and the generator's other habits: structures, titles, header orders, stubs
    # written in every row or cut, unknown headers, PDF habits
    rng = random.Random(7)
    for seed in range(100, 112):
        kw = {"blanks": rng.choice([False, True, "anywhere"]),
              "zero_share": rng.choice([0.0, 0.2, 0.5, 1.0]),
              "structure": rng.choice(STRUCTURES), "title_style": rng.choice(TITLE_STYLES),
              "reorder": tuple(rng.sample(REORDERS, rng.randint(0, 2))),
              "stubs": rng.choice(STUB_STYLES), "unmatched_header": rng.random() < 0.2,
              "pdf_habits": rng.random() < 0.5}  # fmt: skip
        report = make_report(seed, rng.choice(["2019", "2021"]), **kw)
        out.append((f"g{seed}-{kw['structure']}-{kw['stubs']}.pdf",
                    _pdf(report, paged=rng.random() < 0.5)))  # fmt: skip
    return out


def _canvas(draw, pages: int = 1, **kwargs) -> bytes:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    buf = io.BytesIO()
    c = canvas.Canvas(buf, **kwargs)
    for page in range(pages):
        draw(c, page)
        c.showPage()
    c.save()
    return buf.getvalue()


def _grid(c, x0: float, y0: float, widths: list[float], rows: list[list[str]], h: float = 20,
          rounded: bool = False) -> None:  # fmt: skip
    xs = [x0]
    for w in widths:
        xs.append(xs[-1] + w)
    for r in range(len(rows) + 1):
        c.line(xs[0], y0 - r * h, xs[-1], y0 - r * h)
    for x in xs:
        c.line(x, y0, x, y0 - len(rows) * h)
    if rounded:  # a frame drawn with curves round the table
        c.roundRect(xs[0] - 6, y0 - len(rows) * h - 6, xs[-1] - xs[0] + 12, len(rows) * h + 12, 4)
    for r, row in enumerate(rows):
        for i, text in enumerate(row):
            c.drawString(xs[i] + 3, y0 - (r + 1) * h + 6, text)


_ROWS = [["一、本年新收政府信息公开申请数量", "3", "", "12"],
         ["二、上年结转政府信息公开申请数量", "0", "1", "1"],
         ["（一）予以公开", "5", "", "5"]]  # fmt: skip


def _drawn() -> list[tuple[str, bytes]]:
    """Pages drawn stroke by stroke: rotated pages, rotated and doubled (fake bold)
    text, a form XObject, curves, character spacing, text across cell edges."""

    def plain(c, page):
        c.setFont("STSong-Light", 10)
        c.drawString(72, 780, "某县2023年政府信息公开工作年度报告")
        _grid(c, 60, 760, [220, 60, 60, 60], _ROWS, rounded=page == 1)
        c.drawString(72, 640, "信息内容")
        c.drawString(200, 640, "本年制发件数")
        c.drawString(75, 600, "予以公开", charSpace=12)
        c.saveState()
        c.translate(40, 500)
        c.rotate(90)
        c.drawString(0, 0, "三、本年度办理结果")
        c.restoreState()
        c.drawString(300, 500, "加粗")
        c.drawString(300.3, 500, "加粗")  # fake bold: the same text twice, a hair apart
        c.setFont("Helvetica", 9)
        c.drawString(72, 480, "fi ﬁ office ﬄ 12,345 (a) [b] \\ end")

    def form(c, page):
        if page == 0:
            c.beginForm("table")
            c.setFont("STSong-Light", 9)
            _grid(c, 60, 700, [200, 50, 50], [r[:3] for r in _ROWS])
            c.endForm()
        c.doForm("table")
        c.setFont("STSong-Light", 10)
        c.drawString(72, 760, f"第{page + 1}页")

    def rotated(c, page):
        c.setPageRotation(90 * (page + 1))
        plain(c, 0)

    return [("plain.pdf", _canvas(plain, pages=2)), ("form.pdf", _canvas(form, pages=2)),
            ("rotated.pdf", _canvas(rotated, pages=3)),
            ("landscape.pdf", _canvas(plain, pagesize=(842, 595)))]  # fmt: skip


def _raw_pdf(streams: list[bytes], mediabox: str = "0 0 612 792") -> bytes:
    """A one-page PDF with a Helvetica font whose content is ``streams`` (several
    content streams, each deflated)."""
    first = 4
    refs = " ".join(f"{first + i} 0 R" for i in range(len(streams)))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        (f"<< /Type /Page /Parent 2 0 R /MediaBox [{mediabox}] /Resources << /Font << /F1 "
         f"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >> >> >> "
         f"/Contents [{refs}] >>").encode(),
    ]  # fmt: skip
    for raw in streams:
        packed = zlib.compress(raw)
        objects.append(f"<< /Length {len(packed)} /Filter /FlateDecode >>\nstream\n".encode()
                       + packed + b"\nendstream")  # fmt: skip
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    for offset in offsets:
        out += f"{offset:010d} 00000 n \n".encode()
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def _handmade() -> list[tuple[str, bytes]]:
    """Content split over several streams (a token cut at a stream's end), a
    MediaBox not at the origin, marked content, strings with every escape."""
    table = b"".join(
        b"0 0 0 RG 0.5 w %d 700 m %d 640 l S\n" % (x, x) for x in (60, 200, 260)
    ) + b"".join(b"60 %d m 260 %d l S\n" % (y, y) for y in (700, 680, 660, 640))
    text = (b"/P <</MCID 0>> BDC BT /F1 10 Tf 64 686 Td (Row one) Tj 140 0 Td (12) Tj ET EMC\n"
            b"BT /F1 10 Tf 64 666 Td [(Ro) -20 (w\\040t\\wo\\\\)] TJ 140 0 Td <3334> Tj ET\n"
            b"BT /F1 10 Tf 64 646 Td (\\(x\\)) Tj 0 -40 Td (outside the \\\ntable) Tj ET\n")  # fmt: skip
    whole = table + text
    cut = whole.index(b"Tj ET EMC") + 1  # "T" | "j ET …"
    image = b"q 10 0 0 10 300 300 cm BI /W 1 /H 1 /BPC 8 /CS /G ID \x80 EI Q\n"
    return [("streams.pdf", _raw_pdf([whole[:cut], whole[cut:]])),
            ("one-stream.pdf", _raw_pdf([whole])),
            ("inline-image.pdf", _raw_pdf([image + whole])),  # left to pdfminer's parser
            ("offset-mediabox.pdf", _raw_pdf([whole], "30 40 642 832"))]  # fmt: skip


_REAL = [(p.name, p.read_bytes()) for p in REAL]
_ALL = _REAL + _generated() + _drawn() + _handmade()


@pytest.mark.parametrize(("name", "data"), _ALL, ids=[n for n, _ in _ALL])
def test_reader_reads_as_the_pdfplumber_reader(name, data):
    new, old = read_pdf(data), reference_read_pdf(data)
    assert new.lines == old.lines
    assert new.pages == old.pages
    assert new.src_lines == old.src_lines
    assert new.grids == old.grids
    assert new == old
    assert len(new.lines) > 3


def test_the_cases_cover_what_they_claim():
    texts = {name: read_pdf(data) for name, data in _ALL}
    # merged cells, blank cells and a table over a page break in the generated reports
    assert any("\x00" in line or "\t\t" in line for st in texts.values() for line in st.lines)
    def broken(st) -> bool:  # 三's header on one page, its last row on the next
        head = [i for i, x in enumerate(st.lines) if "商业企业" in x and "\t" in x]
        last = [i for i, x in enumerate(st.lines) if x.startswith("四、结转下年度继续办理\t")]
        return bool(head and last) and st.pages[head[0]] < st.pages[last[-1]]

    assert sum(broken(st) for name, st in texts.items() if name.startswith("g")) >= 3
    assert "某县2023年政府信息公开工作年度报告" in texts["plain.pdf"].lines
    assert "一、本年新收政府信息公开申请数量\t3\t\t12" in texts["plain.pdf"].lines
    assert "一、本年新收政府信息公开申请数量\t3\t" in texts["form.pdf"].lines
    assert texts["rotated.pdf"].pages[-1] == 3
    # string escapes (\040, an unknown \w dropped, \\), a hex string, a line continued
    assert texts["one-stream.pdf"].lines == ["Row one\t12", "Row to\\\t34", "(x)\t",
                                             "outside the table"]  # fmt: skip
    assert texts["inline-image.pdf"] == texts["one-stream.pdf"]
    # "Tj" cut by the end of a stream is two operators, T and j: 12 is not shown
    assert texts["streams.pdf"].lines[0] == "Row one\t"


@pytest.mark.parametrize(("name", "data"), _REAL + _generated()[:4], ids=lambda v: str(v)[:20])
def test_parse_results_are_the_same(name, data, monkeypatch):
    import govreport_lark.read.pdf as reader

    new = report_to_dict(parse_bytes(data, path=name), provenance=True)
    monkeypatch.setattr(reader, "read_pdf", reference_read_pdf)
    old = report_to_dict(parse_bytes(data, path=name), provenance=True)
    assert new == old
    assert new["applications"]["rows"]


def test_large_content_is_left_to_pdfminers_parser(monkeypatch):
    # Above MAX_WHOLE a page's content is not cut into objects whole (memory), and
    # pdfminer's own parser reads it: the same text.
    from pdfminer.pdfinterp import PDFPageInterpreter

    from govreport_lark.read import pdf_interp

    name, data = _REAL[0]
    fast = read_pdf(data)
    calls = []
    original = PDFPageInterpreter.execute
    monkeypatch.setattr(PDFPageInterpreter, "execute",
                        lambda self, streams: calls.append(1) or original(self, streams))  # fmt: skip
    assert read_pdf(data) == fast and not calls
    monkeypatch.setattr(pdf_interp, "MAX_WHOLE", 1000)
    slow = read_pdf(data)
    assert len(calls) == max(fast.pages)  # every page by pdfminer's parser
    assert slow == fast == reference_read_pdf(data)


# ------------------------------------------------------------------ the tokenizer


def _parsed_by_pdfminer(datas: list[bytes]) -> list:
    from pdfminer.pdfinterp import PDFContentParser
    from pdfminer.pdftypes import PDFStream
    from pdfminer.psparser import PSEOF

    streams = [PDFStream({}, d) for d in datas]
    try:
        parser = PDFContentParser(streams)
    except PSEOF:
        return []
    out = []
    while True:
        try:
            out.append(parser.nextobject()[1])
        except PSEOF:
            return out


def _same(a, b) -> bool:
    if type(a) is not type(b):
        return False
    if isinstance(a, list):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b))
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    if hasattr(a, "name"):  # interned PSLiteral and PSKeyword
        return a is b
    return a == b


def _content_streams() -> list[list[bytes]]:
    from pdfminer.pdfdocument import PDFDocument
    from pdfminer.pdfpage import PDFPage
    from pdfminer.pdfparser import PDFParser

    out = []
    for _name, data in _ALL:
        if _name == "inline-image.pdf":  # left to pdfminer's parser, as it should be
            continue
        doc = PDFDocument(PDFParser(io.BytesIO(data)))
        for page in PDFPage.create_pages(doc):
            out.append([s.resolve().get_data() if hasattr(s, "resolve") else s.get_data()
                        for s in page.contents])  # fmt: skip
    return out


_PIECES = [
    b"q", b"Q", b" ", b"\n", b"\r\n", b"\r", b"\t", b"\x00", b"0", b"12", b"-3", b"+4", b"-",
    b"+", b".", b"1.", b".5", b"-.25", b"3.14.15", b"--5", b"/F1", b"/A#41B", b"/#", b"/#4",
    b"/", b"/\xe4\xb8\xad", b"(abc)", b"(a(b)c)", b"(a\\)b)", b"(\\101\\1\\12x)", b"(\\n\\t\\\\)",
    b"(\\\r\nx)", b"(\\\nx)", b"(\\q)", b"(\\777)", b"(", b")", b"<48656c6c6f>", b"<4 8 6>", b"<>",
    b"<abz>", b"<<", b">>", b"<</MCID 3>>", b"/P <</MCID 0 >>BDC", b"[", b"]",
    b"[(a) -120 (b)] TJ", b"{", b"}", b"% comment\n", b"%x", b"BT", b"ET", b"Tj", b"T*", b"'",
    b'"', b"true", b"false", b"f*", b"\x80", b"re", b"12 34 m", b">", b"<", b"BI", b"ID", b"EI",
]  # fmt: skip
_REFUSED = {b"{", b"}", b"(", b"<", b"[", b"]", b"<<", b">>", b">", b"/", b"/#", b"/#4", b"BI", b"ID",
            b"EI", b"(\\777)"}


@pytest.mark.parametrize("block", [4096, 3, 5, 8, 64])
def test_tokenizer_gives_pdfminers_objects(block, monkeypatch):
    from pdfminer.psparser import PSBaseParser

    monkeypatch.setattr(PSBaseParser, "BUFSIZ", block)
    monkeypatch.setattr(pdf_content, "_BLOCK", block)
    read = declined = quick_read = 0
    for streams in _content_streams():
        mine = pdf_content.content_objects(streams)
        assert mine is not None  # nothing here is left to pdfminer's tokenizer
        assert _same(mine, _parsed_by_pdfminer(streams))
        read += 1
    rng = random.Random(block)
    for case in range(3000):
        pieces = _PIECES if case % 2 else [p for p in _PIECES if p not in _REFUSED]
        streams = [b"".join(rng.choice(pieces) + rng.choice([b" ", b"", b"\n"])
                            for _ in range(rng.randint(0, 25)))
                   for _ in range(rng.randint(1, 3))]  # fmt: skip
        mine = pdf_content.content_objects(streams)
        for data in streams:  # the findall cut and the token-by-token one agree
            quick = pdf_content._quick_tokens(data, {})
            if quick is not None:
                quick_read += 1
                assert _same(quick, pdf_content._tokens(data)), data
        if mine is None:
            declined += 1
            continue
        assert _same(mine, _parsed_by_pdfminer(streams)), streams
        read += 1
    assert read > 1200 and declined > 300 and quick_read > 1200  # every way taken, often


def test_tokenizer_declines_what_pdfminer_reads_its_own_way(monkeypatch):
    from pdfminer.psparser import PSBaseParser

    assert pdf_content.content_objects([b"BT (a\\"]) is None  # a string open at the end
    assert pdf_content.content_objects([b"/F1 12 Tf <48"]) is None
    assert pdf_content.content_objects([b"BI /W 1 ID x EI"]) is None
    assert pdf_content.content_objects([b"[1 2"]) is None
    assert pdf_content.content_objects([b"<</A>>"]) is None
    assert pdf_content.content_objects([b"(\\777)"]) is None
    # a string's escaped CR LF cut by the end of a block: pdfminer keeps the LF
    monkeypatch.setattr(PSBaseParser, "BUFSIZ", 8)
    monkeypatch.setattr(pdf_content, "_BLOCK", 8)
    data = b"(abcde\\\r\nx) Tj"
    assert data.index(b"\r") == 7
    assert pdf_content.content_objects([data]) is None
    assert _parsed_by_pdfminer([data])[0] == b"abcde\nx"
    moved = pdf_content.content_objects([b" " + data])
    assert moved is not None and _same(moved, _parsed_by_pdfminer([b" " + data]))
    assert moved[0] == b"abcdex"


# ------------------------------------------------------------------ page objects


@pytest.mark.parametrize(("name", "data"), _REAL + _drawn() + _handmade(),
                         ids=lambda v: str(v)[:20])  # fmt: skip
def test_page_objects_are_pdfplumbers(name, data):
    import pdfplumber

    from govreport_lark.read.pdf_page import page_objects

    char_keys = ("text", "x0", "x1", "top", "bottom", "doctop", "upright", "size")
    edge_keys = ("x0", "x1", "top", "bottom", "doctop", "width", "height", "orientation")
    with pdfplumber.open(io.BytesIO(data)) as theirs, pdfplumber.open(io.BytesIO(data)) as mine:
        for page, same_page in zip(theirs.pages, mine.pages):
            objs = page_objects(same_page)
            assert [tuple(c[k] for k in char_keys) for c in objs.chars] == [
                tuple(c[k] for k in char_keys) for c in page.chars
            ]
            assert [tuple(e[k] for k in edge_keys) for e in objs.edges] == [
                tuple(e[k] for k in edge_keys) for e in page.edges
            ]
            assert objs.bbox == page.bbox and objs.height == page.height
            assert page.chars


# ------------------------------------------------------------------ fonts' CMaps


def _to_unicode_streams() -> list[bytes]:
    from pdfminer.pdfdocument import PDFDocument
    from pdfminer.pdfparser import PDFParser
    from pdfminer.pdftypes import PDFStream, resolve1

    out = []
    for _name, data in _REAL + _generated()[:2] + _drawn():
        doc = PDFDocument(PDFParser(io.BytesIO(data)))
        for xref in doc.xrefs:
            for objid in xref.get_objids():
                try:
                    obj = resolve1(doc.getobj(objid))
                except Exception:
                    continue
                if isinstance(obj, dict) and isinstance(resolve1(obj.get("ToUnicode")), PDFStream):
                    out.append(resolve1(obj["ToUnicode"]).get_data())
    return out


def test_cmap_parser_reads_pdfminers_maps():
    import pdfminer.pdffont
    from pdfminer.cmapdb import CMapParser, FileUnicodeMap

    from govreport_lark.read.pdf_cmap import FastCMapParser

    streams = _to_unicode_streams()
    assert len(streams) >= 10
    for data in streams:
        theirs, mine = FileUnicodeMap(), FileUnicodeMap()
        CMapParser(theirs, io.BytesIO(data)).run()
        parser = FastCMapParser(mine, io.BytesIO(data))
        assert parser._cut is not None  # cut by pdf_content, not left to pdfminer
        parser.run()
        assert mine.cid2unichr == theirs.cid2unichr and theirs.cid2unichr
        assert mine.attrs == theirs.attrs
    # a CMap pdf_content declines (a string open at its end) is pdfminer's to read
    declined = FastCMapParser(FileUnicodeMap(), io.BytesIO(streams[0] + b" (open"))
    assert declined._cut is None
    # outside a read, pdfminer's fonts use its own parser again
    read_pdf(_REAL[0][1])
    assert pdfminer.pdffont.CMapParser is CMapParser


def test_tokenizer_is_held_to_the_installed_pdfminer(monkeypatch):
    # On the pdfminer installed here the tokenizer agrees, so it is the one used; if
    # it did not (another pdfminer release), pdfminer's own would read every page.
    assert pdf_content.tokenizer_agrees()
    assert pdf_content.content_objects([b"BT /F1 12 Tf (a) Tj ET"]) is not None
    name, data = _REAL[1]
    fast = read_pdf(data)
    monkeypatch.setattr(pdf_content, "_agrees", False)
    assert pdf_content.content_objects([b"BT /F1 12 Tf (a) Tj ET"]) is None
    assert pdf_content.stream_tokens(b"1 begincodespacerange") is None
    assert read_pdf(data) == fast == reference_read_pdf(data)
