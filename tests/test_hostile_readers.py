"""Hostile and damaged inputs to the HTML, DOCX and PDF readers: each refused on one
line with a code of its own, or read, in time linear in its size and in bounded memory."""

from __future__ import annotations

import io
import json
import random
import struct
import subprocess
import sys
import threading
import tracemalloc
import zipfile
import zlib
from pathlib import Path

import pytest
from conftest import cpu_seconds, zip_bytes

from govreport_lark.errors import InputError
from govreport_lark.output.cli import main

# ------------------------------------------------------------------------ HTML

_HEAD = "<html><body><h1>某县2023年政府信息公开工作年度报告</h1>"
_REPORT = "<p>一、总体情况</p><p>三、收到和处理政府信息公开申请情况</p>"
_TABLE = "<table><tr><td>自然人</td><td>1</td></tr></table>"


def _page(kind: str, n: int) -> str:
    if kind == "divs after a table":  # the report's text deep inside, its table outside
        body = _TABLE + "<div>" * n + _REPORT + "</div>" * n
    elif kind == "divs before the table":
        body = "<div>" * n + _REPORT + _TABLE + "</div>" * n
    elif kind == "empty divs after the table":
        body = _REPORT + _TABLE + "<div>" * n + "x" + "</div>" * n
    elif kind == "nested tables":
        body = _REPORT + "<table><tr><td>" * n + "自然人" + "</td></tr></table>" * n
    elif kind == "report inside nested tables":
        body = "<table><tr><td>" * n + _REPORT + _TABLE + "</td></tr></table>" * n
    elif kind == "sibling divs":
        body = _REPORT + _TABLE + "<div>x</div>" * n
    elif kind == "sibling rows":
        body = _REPORT + _TABLE.replace(
            "</table>", "<tr><td>1</td><td>2</td></tr>" * n + "</table>"
        )
    elif kind == "sibling chrome":
        body = _REPORT + _TABLE + '<div class="nav">x</div>' * n
    elif kind == "nested chrome round long text":
        body = '<div class="nav">' * n + "甲" * 20 * n + "</div>" * n + _REPORT + _TABLE
    elif kind == "nested titles round the report":
        body = '<div class="title">' * n + "报告" + "甲" * 20 * n + _REPORT + _TABLE + "</div>" * n
    else:
        raise AssertionError(kind)
    return _HEAD + body + "</body></html>"


_SHAPES = [
    "divs after a table", "divs before the table", "empty divs after the table", "nested tables",
    "report inside nested tables", "sibling divs", "sibling rows", "sibling chrome",
    "nested chrome round long text", "nested titles round the report",
]  # fmt: skip


@pytest.mark.parametrize("kind", _SHAPES)
def test_html_reading_time_is_linear_in_nesting_and_siblings(kind: str) -> None:
    pytest.importorskip("lxml")
    from govreport_lark.read.html import read_html

    small, large = (_page(kind, n).encode("utf-8") for n in (1000, 8000))
    read_html(small)  # imports done
    t_small = cpu_seconds(lambda: read_html(small), repeat=3)
    t_large = cpu_seconds(lambda: read_html(large), repeat=2)
    # linear: about 8x; the quadratic walk this guards against took 60x and more
    # (10,000 nested divs after a table: 16 s)
    assert t_large / max(t_small, 1e-3) < 25, f"8x the size took {t_large / t_small:.0f}x the time"
    assert t_large < 5, f"{t_large:.1f} s"


def test_html_report_deep_inside_divs_after_its_table_is_read_whole() -> None:
    pytest.importorskip("lxml")
    from govreport_lark.read.html import read_html

    st = read_html(_page("divs after a table", 10_000).encode("utf-8"))
    assert st.lines == [
        "某县2023年政府信息公开工作年度报告",
        "自然人\t1",
        "一、总体情况",
        "三、收到和处理政府信息公开申请情况",
    ]


# ------------------------------------------------------------------ the CLI, measured

_CHILD = """
import resource, sys
from govreport_lark.output.cli import main
code = main(sys.argv[1:])
usage = resource.getrusage(resource.RUSAGE_SELF)
peak_kb = usage.ru_maxrss  # on Linux this keeps the parent's peak at the fork
try:
    with open("/proc/self/status") as status:  # this program's own peak
        peak_kb = next(int(line.split()[1]) for line in status if line.startswith("VmHWM:"))
except (OSError, StopIteration):
    pass
sys.stderr.write(f"@@ {peak_kb} {usage.ru_utime + usage.ru_stime}\\n")
sys.exit(code)
"""


def _cli(*args: str) -> tuple[int, str, str, float, float]:
    """Run ``govreport *args`` in a fresh process: (exit status, stdout, stderr, peak
    memory in MB, CPU seconds)."""
    done = subprocess.run([sys.executable, "-c", _CHILD, *args], capture_output=True, text=True,
                          timeout=600)  # fmt: skip
    err, _, tail = done.stderr.rpartition("@@ ")
    maxrss_kb, cpu = tail.split()
    return done.returncode, done.stdout, err, int(maxrss_kb) / 1024, float(cpu)


def _one_line_refusal(status: int, out: str, err: str, path: Path, code: str) -> str:
    assert status == 2, (status, err)
    assert out == ""
    assert "Traceback" not in err
    lines = err.strip("\n").split("\n")
    assert len(lines) == 1, err
    assert str(path) in lines[0] and f"[{code}]" in lines[0], lines[0]
    return lines[0]


# ------------------------------------------------------------------------ DOCX

_W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.wordprocessingml.document.main+xml"/></Types>'
)
_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/officeDocument" Target="word/document.xml"/></Relationships>'
)


def _docx_bomb(path: Path, megabytes: int = 190) -> None:
    """A .docx whose word/document.xml is ``megabytes`` of real-looking paragraphs that
    compress about 140:1: under the ratio guard, a 1.4 MB file."""
    rng = random.Random(1)
    para = "<w:p><w:r><w:t>一、总体情况 本年度共收到申请</w:t></w:r></w:p>" * 20
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", _CONTENT_TYPES)
        zf.writestr("_rels/.rels", _RELS)
        with zf.open("word/document.xml", "w", force_zip64=True) as member:
            member.write(f'<?xml version="1.0"?><w:document {_W}><w:body>'.encode())
            written = 0
            while written < megabytes << 20:
                chunk = "".join(
                    f"{para}<w:p><w:r><w:t>{rng.randrange(10**6)}</w:t></w:r></w:p>"
                    for _ in range(100)
                ).encode()
                member.write(chunk)
                written += len(chunk)
            member.write(b"</w:body></w:document>")


@pytest.fixture(scope="module")
def docx_bomb(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("docx") / "bomb.docx"
    _docx_bomb(path)
    return path


def test_docx_whose_document_inflates_to_190_mb_is_refused_fast_in_bounded_memory(docx_bomb):
    # Before: 83 s of CPU and 3.8 GB of memory, then parsed.
    pytest.importorskip("docx")
    info = zipfile.ZipFile(docx_bomb).getinfo("word/document.xml")
    assert info.file_size > 190 << 20 and info.file_size / info.compress_size < 200
    status, out, err, memory, cpu = _cli("parse", str(docx_bomb))
    line = _one_line_refusal(status, out, err, docx_bomb, "DECOMPRESSION_BOMB")
    assert "word/document.xml" in line
    assert memory < 300, f"{memory:.0f} MB"
    assert cpu < 10, f"{cpu:.1f} s"


def test_docx_bomb_is_refused_by_what_really_inflates(docx_bomb, monkeypatch):
    # With the zip headers' sizes not consulted at all, inflating stops past the limit,
    # holding one chunk at a time.
    pytest.importorskip("docx")
    import govreport_lark.read.docx as reader

    monkeypatch.setattr(reader, "_check_member_claim", lambda info: None)
    data = docx_bomb.read_bytes()
    tracemalloc.start()
    try:
        with pytest.raises(InputError) as exc:
            reader.read_docx(data, max_uncompressed=1 << 40)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert exc.value.code == "DECOMPRESSION_BOMB"
    assert "word/document.xml" in exc.value.message
    assert peak < 16 << 20, f"{peak >> 20} MB"
    # the ratio guard, measured too: 8 MB of zeros in a picture
    zeros = zip_bytes({"word/document.xml": b"<w:document/>", "word/media/x.bin": bytes(8 << 20)})
    with pytest.raises(InputError) as exc:
        reader.read_docx(zeros)
    assert exc.value.code == "DECOMPRESSION_BOMB" and "200:1" in exc.value.message




def _report_docx() -> bytes:
    docx = pytest.importorskip("docx")
    d = docx.Document()
    d.add_paragraph("某县2023年政府信息公开工作年度报告")
    d.add_paragraph("三、收到和处理政府信息公开申请情况")
    t = d.add_table(rows=1, cols=2)
    t.cell(0, 0).text = "一、本年新收政府信息公开申请数量"
    t.cell(0, 1).text = "26"
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def _understated(data: bytes, name: bytes, size: int) -> bytes:
    """``data`` with the central directory claiming ``size`` bytes for member ``name``."""
    out = bytearray(data)
    at = out.find(b"PK\x01\x02")
    while at >= 0:
        name_len = struct.unpack_from("<H", out, at + 28)[0]
        if out[at + 46 : at + 46 + name_len] == name:
            struct.pack_into("<I", out, at + 24, size)
        at = out.find(b"PK\x01\x02", at + 4)
    return bytes(out)


def test_docx_whose_header_understates_a_member_is_damaged_not_read():
    pytest.importorskip("docx")
    from govreport_lark.read.docx import read_docx

    data = _understated(_report_docx(), b"word/document.xml", 100)
    with pytest.raises(InputError) as exc:
        read_docx(data)
    assert exc.value.code == "UNREADABLE_DOCX"
    assert "damaged" in exc.value.message and "word/document.xml" in exc.value.message


@pytest.mark.parametrize("keep", [0.1, 0.5, 0.9, -30, -10])
def test_truncated_docx_is_said_to_be_cut_short_not_an_old_doc(keep):
    pytest.importorskip("docx")
    data = _report_docx()
    cut = data[: int(len(data) * keep)] if keep > 0 else data[:keep]
    from govreport_lark.read.docx import read_docx

    with pytest.raises(InputError) as exc:
        read_docx(cut)
    message = exc.value.message
    assert exc.value.code == "UNREADABLE_DOCX"
    assert ".doc " not in message and "old Word" not in message, message
    assert "download it again" in message
    if keep in (0.1, 0.5, 0.9, -30):  # the zip's table of contents is gone
        assert "cut short" in message and "incomplete" in message, message


def test_truncated_docx_on_the_cli(tmp_path, capsys):
    pytest.importorskip("docx")
    path = tmp_path / "report.docx"
    data = _report_docx()
    path.write_bytes(data[: len(data) // 2])
    status = main(["parse", str(path)])
    out, err = capsys.readouterr()
    line = _one_line_refusal(status, out, err, path, "UNREADABLE_DOCX")
    assert "cut short" in line


def test_damaged_docx_member_is_said_to_be_damaged():
    pytest.importorskip("docx")
    from govreport_lark.read.docx import read_docx

    data = bytearray(_report_docx())
    info = zipfile.ZipFile(io.BytesIO(bytes(data))).getinfo("word/document.xml")
    start = info.header_offset + 30 + len(info.filename) + len(info.extra)
    for i in range(start + 10, start + min(info.compress_size, 200)):
        data[i] ^= 0x5A
    with pytest.raises(InputError) as exc:
        read_docx(bytes(data))
    assert exc.value.code == "UNREADABLE_DOCX"
    assert "damaged" in exc.value.message and "word/document.xml" in exc.value.message


def test_old_doc_keeps_the_advice_to_save_as_docx(tmp_path, capsys):
    pytest.importorskip("docx")
    path = tmp_path / "report.docx"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(4096))
    status = main(["parse", str(path)])
    out, err = capsys.readouterr()
    line = _one_line_refusal(status, out, err, path, "UNREADABLE_DOCX")
    assert ".doc file" in line and "save it as .docx" in line
    # named .doc it is no DOCX at all, but the advice is the same
    doc = path.with_suffix(".doc")
    doc.write_bytes(path.read_bytes())
    status = main(["parse", str(doc)])
    out, err = capsys.readouterr()
    line = _one_line_refusal(status, out, err, doc, "BINARY_INPUT")
    assert "Word .doc" in line and "save it as .docx" in line
    # Word's password protection wraps the .docx in the same old container
    locked = (
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(512) + "EncryptedPackage".encode("utf-16-le")
    )
    path.write_bytes(locked)
    status = main(["parse", str(path)])
    out, err = capsys.readouterr()
    line = _one_line_refusal(status, out, err, path, "UNREADABLE_DOCX")
    assert "password" in line and "old Word" not in line


def test_a_real_docx_is_read_whole_after_the_checks():
    pytest.importorskip("docx")
    from govreport_lark.read.docx import read_docx

    assert read_docx(_report_docx()).lines == [
        "某县2023年政府信息公开工作年度报告",
        "三、收到和处理政府信息公开申请情况",
        "一、本年新收政府信息公开申请数量\t26",
    ]


# ------------------------------------------------------------------------- PDF


def _pdf(*streams: tuple[str, bytes]) -> bytes:
    """A one-page PDF whose page content is ``streams``: (stream dictionary entries,
    raw bytes) each."""
    first = 4
    refs = " ".join(f"{first + i} 0 R" for i in range(len(streams)))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents [{refs}] >>".encode(),
    ]
    for entries, raw in streams:
        objects.append(f"<< /Length {len(raw)} {entries} >>\nstream\n".encode() + raw
                       + b"\nendstream")  # fmt: skip
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    for offset in offsets:
        out += f"{offset:010d} 00000 n \n".encode()
    out += (
        f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    )
    return bytes(out)


def _deflated_zeros(megabytes: int) -> bytes:
    c = zlib.compressobj(9)
    chunk = bytes(1 << 20)
    return b"".join(c.compress(chunk) for _ in range(megabytes)) + c.flush()


def _text_stream(text: str = "Hello") -> tuple[str, bytes]:
    return "/Filter /FlateDecode", zlib.compress(f"BT /F1 12 Tf 72 700 Td ({text}) Tj ET".encode())


def _lzw_zeros(cycles: int) -> bytes:
    """LZW codes (PDF's, EarlyChange 1) for zeros: each code one byte longer than the
    last, a clear code when the table is full; about 7 MB of output per cycle of 5 KB."""
    bits, nbits, count = 0, 0, 0
    out = bytearray()

    def put(code: int, width: int) -> None:
        nonlocal bits, nbits
        bits, nbits = (bits << width) | code, nbits + width
        while nbits >= 8:
            nbits -= 8
            out.append((bits >> nbits) & 0xFF)
        bits &= (1 << nbits) - 1

    for _ in range(cycles):
        put(256, 12 if count else 9)  # clear, in the width the decoder reads then
        put(0, 9)
        table, width = 258, 9
        for code in range(258, 4095):
            put(code, width)
            table += 1
            width = {511: 10, 1023: 11, 2047: 12}.get(table, width)
        count += 1
    put(257, 12)  # end of data
    if nbits:
        out.append((bits << (8 - nbits)) & 0xFF)
    return bytes(out)


@pytest.fixture(scope="module")
def pdf_bomb(tmp_path_factory) -> Path:
    """1 MB of PDF: one Flate stream of 1 GB of zeros."""
    path = tmp_path_factory.mktemp("pdf") / "bomb.pdf"
    path.write_bytes(_pdf(("/Filter /FlateDecode", _deflated_zeros(1024))))
    return path


def _read_pdf():
    pytest.importorskip("pdfplumber")
    from govreport_lark.read.pdf import read_pdf

    return read_pdf


def _pdfminer_is_itself() -> bool:
    import pdfminer.lzw
    import pdfminer.pdfdocument
    import pdfminer.pdftypes
    import pdfminer.runlength
    import pdfminer.utils

    return (
        pdfminer.pdftypes.zlib is zlib
        and pdfminer.pdftypes.lzwdecode is pdfminer.lzw.lzwdecode
        and pdfminer.pdftypes.rldecode is pdfminer.runlength.rldecode
        and pdfminer.pdftypes.apply_png_predictor is pdfminer.utils.apply_png_predictor
        and pdfminer.pdfdocument.decipher_all is pdfminer.pdftypes.decipher_all
    )


def test_pdf_with_a_1_gb_stream_is_refused_fast_in_bounded_memory(pdf_bomb):
    # Before: over 2 GB of memory, minutes, then "scanned PDF: no text layer".
    _read_pdf()
    assert pdf_bomb.stat().st_size < 1_100_000
    status, out, err, memory, cpu = _cli("parse", str(pdf_bomb))
    line = _one_line_refusal(status, out, err, pdf_bomb, "DECOMPRESSION_BOMB")
    assert "64 MB" in line
    assert memory < 300, f"{memory:.0f} MB"
    assert cpu < 10, f"{cpu:.1f} s"


def _runs(count: int) -> bytes:
    """RunLength data: ``count`` runs of 128 copies of a random byte (64:1)."""
    data = bytearray(2 * count)
    data[0::2] = b"\x81" * count
    data[1::2] = random.Random(0).randbytes(count)
    return bytes(data)


@pytest.mark.parametrize(
    ("stream", "limit"),
    [
        (("/Filter /LZWDecode", _lzw_zeros(12)), "200:1"),  # 60 KB to 85 MB
        (("/Filter /RunLengthDecode", _runs(600_000)), "64 MB"),  # 1.2 MB to 77 MB
        # each filter's output is bounded: Flate 2:1, then RunLength 64:1
        (("/Filter [/FlateDecode /RunLengthDecode]", zlib.compress(_runs(600_000))), "64 MB"),
        # a stream cut short goes through pdfminer's repair path
        (("/Filter /FlateDecode", _deflated_zeros(100)[:-200]), "200:1"),
        # 3 MB of zeros in 3 KB
        (("/Filter /FlateDecode", _deflated_zeros(3)), "200:1"),
    ],
    ids=["lzw", "runlength", "flate+runlength", "truncated flate", "ratio"],
)
def test_pdf_bombs_in_every_filter_are_refused(stream, limit):
    read_pdf = _read_pdf()
    with pytest.raises(InputError) as exc:
        read_pdf(_pdf(stream))
    assert exc.value.code == "DECOMPRESSION_BOMB"
    assert limit in exc.value.message
    assert _pdfminer_is_itself()


def test_pdf_repair_of_a_damaged_stream_is_bounded():
    _read_pdf()
    import pdfminer.pdftypes

    from govreport_lark.read.pdf import _bounded_decoding, _Refused

    good = zlib.compress(b"BT (Hello) Tj ET")
    with _bounded_decoding():
        # a bad checksum is forgiven, as pdfminer does
        assert pdfminer.pdftypes.decompress_corrupted(good[:-2] + b"\0\0") == b"BT (Hello) Tj ET"
        with pytest.raises(_Refused):
            pdfminer.pdftypes.decompress_corrupted(_deflated_zeros(100)[:-2] + b"\0\0")
    assert _pdfminer_is_itself()


def _spaces(megabytes: float) -> tuple[str, bytes]:
    return "/Filter /FlateDecode", zlib.compress(b" " * int(megabytes * (1 << 20)))


def test_pdf_streams_are_bounded_together(monkeypatch):
    read_pdf = _read_pdf()
    import govreport_lark.read.pdf as reader

    monkeypatch.setattr(reader, "_MAX_STREAM", 4 << 20)
    monkeypatch.setattr(reader, "_MAX_DECODED", 10 << 20)
    monkeypatch.setattr(reader, "_MAX_RATIO", 10_000)
    with pytest.raises(InputError) as exc:
        read_pdf(_pdf(*[_spaces(3)] * 3))
    assert exc.value.code == "NO_TEXT_LAYER"  # 9 MB in all, 3 MB each: read
    with pytest.raises(InputError) as exc:
        read_pdf(_pdf(*[_spaces(3)] * 4))
    assert exc.value.code == "DECOMPRESSION_BOMB"
    assert "more than 10 MB in all" in exc.value.message
    with pytest.raises(InputError) as exc:
        read_pdf(_pdf(_spaces(5)))
    assert exc.value.code == "DECOMPRESSION_BOMB"
    assert "a stream that unpacks to more than 4 MB" in exc.value.message
    assert _pdfminer_is_itself()


_FONT = b"/Resources << /Font << /F1 << /Type /Font /Subtype /Type1 /BaseFont /Helvetica >> >> >>"


def _with_font(pdf: bytes) -> bytes:
    """The page given a font; the xref offsets are then off and pdfminer finds the
    objects by scanning, as it does for any damaged xref."""
    return pdf.replace(b"/Contents", _FONT + b" /Contents")


def test_pdf_streams_within_the_limits_read_as_before():
    read_pdf = _read_pdf()
    page = _pdf(_text_stream("Hello"), ("/Filter /RunLengthDecode", b"\x00 \x81 \x80"))
    assert read_pdf(_with_font(page)).lines == ["Hello"]
    truncated = zlib.compress(b"BT /F1 12 Tf 72 700 Td (World) Tj ET")[:-4]  # no checksum
    assert read_pdf(_with_font(_pdf(("/Filter /FlateDecode", truncated)))).lines == ["World"]
    assert _pdfminer_is_itself()


def test_pdf_predictor_with_fifty_million_columns_costs_nothing():
    read_pdf = _read_pdf()
    entries = "/Filter /FlateDecode /DecodeParms << /Predictor 12 /Columns 50000000 >>"
    tracemalloc.start()
    try:
        with pytest.raises(InputError) as exc:
            read_pdf(_pdf((entries, zlib.compress(b"\x00" + b" " * 100))))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert exc.value.code == "NO_TEXT_LAYER"
    assert peak < 100 << 20, f"{peak >> 20} MB"  # pdfminer alone: 450 MB


def test_pdf_readers_in_threads_keep_their_own_budgets(pdf_bomb):
    read_pdf = _read_pdf()
    bomb, fine = pdf_bomb.read_bytes(), _with_font(_pdf(_text_stream("Hello")))
    results: dict[int, object] = {}

    def run(n: int) -> None:
        try:
            results[n] = read_pdf(bomb if n % 2 else fine).lines
        except InputError as exc:
            results[n] = exc.code

    threads = [threading.Thread(target=run, args=(n,)) for n in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results == {n: "DECOMPRESSION_BOMB" if n % 2 else ["Hello"] for n in range(6)}
    assert _pdfminer_is_itself()


# ------------------------------------------------------------------- encrypted PDF


def _canvas_pdf(encrypt: object = None) -> bytes:
    pytest.importorskip("reportlab")
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    buf = io.BytesIO()
    c = canvas.Canvas(buf, encrypt=encrypt)
    c.setFont("STSong-Light", 12)
    c.drawString(72, 700, "某县2023年政府信息公开工作年度报告")
    c.drawString(72, 680, "一、总体情况")
    c.showPage()
    c.save()
    return buf.getvalue()


@pytest.mark.parametrize("strength", [40, 128])
def test_pdf_encrypted_with_an_empty_user_password_is_read(strength):
    # ReportLab leaves the CJK font's CIDSystemInfo strings unencrypted; deciphering
    # them anyway made every character (cid:NNNN), and the report NOT_A_REPORT.
    read_pdf = _read_pdf()
    from reportlab.lib.pdfencrypt import StandardEncryption

    locked = _canvas_pdf(StandardEncryption("", ownerPassword="owner", strength=strength))
    assert b"/Encrypt" in locked
    assert (
        read_pdf(locked).lines
        == read_pdf(_canvas_pdf()).lines
        == [
            "某县2023年政府信息公开工作年度报告",
            "一、总体情况",
        ]
    )
    assert _pdfminer_is_itself()


def test_pdf_needing_a_password_is_refused_on_one_line(tmp_path, capsys):
    _read_pdf()
    from reportlab.lib.pdfencrypt import StandardEncryption

    path = tmp_path / "locked.pdf"
    path.write_bytes(_canvas_pdf(StandardEncryption("secret", ownerPassword="owner")))
    status = main(["parse", str(path)])
    out, err = capsys.readouterr()
    line = _one_line_refusal(status, out, err, path, "ENCRYPTED_PDF")
    assert "password" in line and "unencrypted copy" in line


REAL_PDF = Path(__file__).resolve().parent.parent / "corpus" / "real" / "szfgs2024.pdf"


@pytest.mark.parametrize("algorithm", ["RC4-40", "RC4-128", "AES-128", "AES-256"])
def test_real_report_encrypted_with_an_empty_user_password_parses_as_the_plain_one(
    tmp_path, capsys, algorithm
):
    _read_pdf()
    pypdf = pytest.importorskip("pypdf")
    writer = pypdf.PdfWriter(clone_from=pypdf.PdfReader(REAL_PDF))
    writer.encrypt(user_password="", owner_password="owner", algorithm=algorithm)
    locked = tmp_path / "locked.pdf"
    with locked.open("wb") as handle:
        writer.write(handle)
    plain = tmp_path / "plain.pdf"
    plain.write_bytes(REAL_PDF.read_bytes())

    def parsed(path: Path) -> dict:
        assert main(["parse", str(path)]) == 0
        report = json.loads(capsys.readouterr().out)
        del report["source"]
        return report

    assert parsed(locked) == parsed(plain)
    writer = pypdf.PdfWriter(clone_from=pypdf.PdfReader(REAL_PDF))
    writer.encrypt(user_password="secret", owner_password="owner", algorithm=algorithm)
    with locked.open("wb") as handle:
        writer.write(handle)
    status = main(["parse", str(locked)])
    out, err = capsys.readouterr()
    _one_line_refusal(status, out, err, locked, "ENCRYPTED_PDF")
