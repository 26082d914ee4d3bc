"""Limits and refusals through the CLI: a stable code, exit code 2, and one line on stderr that
names the file and says what to do, never a traceback.  Internal errors exit 3 and show a
traceback only with --debug."""

from __future__ import annotations

import io
import json
import re
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest
from conftest import cpu_seconds

from govreport_lark.errors import InputError
from govreport_lark.output.cli import main
from govreport_lark.schema import validate_output

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate import make_report, render  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "corpus" / "seeds" / "002_529dae6be8c784ed.txt"
# Each refusal must tell the reader what to do next.
REMEDY = re.compile(r"re-save|raise|check|run |give|save|install|repair|open it|export|OCR")


def _refused(capsys, argv: list[str], path: Path, code: str) -> str:
    """Run the CLI and check the refusal; return the stderr line."""
    status = main(argv)
    out, err = capsys.readouterr()
    assert status == 2, (status, err)
    assert out == ""
    assert "Traceback" not in err
    lines = err.strip("\n").split("\n")
    assert len(lines) == 1, err
    line = lines[0]
    assert line.startswith("govreport: "), line
    assert str(path) in line, line
    assert f"[{code}]" in line, line
    assert REMEDY.search(line), f"no advice in: {line}"
    return line


def test_empty_file(tmp_path, capsys) -> None:
    path = tmp_path / "empty.txt"
    path.write_bytes(b"")
    _refused(capsys, ["parse", str(path)], path, "EMPTY_INPUT")


def test_whitespace_only_file(tmp_path, capsys) -> None:
    path = tmp_path / "blank.txt"
    path.write_bytes(b" \r\n\t\n\xe3\x80\x80\n")  # U+3000 too
    _refused(capsys, ["parse", str(path)], path, "EMPTY_INPUT")


def test_file_over_the_size_limit(tmp_path, capsys) -> None:
    path = tmp_path / "big.txt"
    path.write_bytes(SEED.read_bytes())
    line = _refused(capsys, ["parse", "--max-bytes", "100", str(path)], path, "TOO_LARGE")
    assert "--max-bytes" in line


def test_size_limit_message_gives_the_sizes(tmp_path, capsys) -> None:
    path = tmp_path / "big.txt"
    path.write_bytes(SEED.read_bytes())
    line = _refused(capsys, ["parse", "--max-bytes", "100", str(path)], path, "TOO_LARGE")
    assert "100" in line and str(path.stat().st_size) in line.replace(",", ""), line


def test_binary_file(tmp_path, capsys) -> None:
    path = tmp_path / "report.txt"
    path.write_bytes(b"\x7fELF\x02\x01\x01\x00" + bytes(range(256)) * 4)
    _refused(capsys, ["parse", str(path)], path, "BINARY_INPUT")


def test_undecodable_file(tmp_path, capsys) -> None:
    path = tmp_path / "report.txt"
    path.write_bytes(bytes(range(0x80, 0x100)) * 8)  # no NUL, neither UTF-8 nor GB18030
    _refused(capsys, ["parse", str(path)], path, "UNDECODABLE")


def test_utf8_with_one_broken_byte_names_its_line(tmp_path, capsys) -> None:
    data = SEED.read_bytes()
    cut = data.index("三、".encode()) + 1  # inside the three bytes of 三
    path = tmp_path / "damaged.txt"
    path.write_bytes(data[:cut] + data[cut + 1 :])
    line = _refused(capsys, ["parse", str(path)], path, "UNDECODABLE")
    lineno = data[:cut].count(b"\n") + 1
    assert f"line {lineno}" in line, line


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_utf16_without_bom_is_not_refused_as_binary(tmp_path, capsys, encoding) -> None:
    # A report that opens with prose has few ASCII characters, so few NUL bytes.
    text = SEED.read_text(encoding="utf-8")
    prose = "本报告根据《中华人民共和国政府信息公开条例》要求编制。" * 100 + "\n"
    path = tmp_path / "report.txt"
    path.write_bytes((prose + text).encode(encoding))
    assert main(["parse", str(path)]) == 0, capsys.readouterr().err
    assert json.loads(capsys.readouterr().out)["template"] == "2021"
    path.write_bytes((prose + text).encode(encoding)[:-1])  # cut in the middle of a character
    line = _refused(capsys, ["parse", str(path)], path, "UNDECODABLE")
    assert "cut short" in line


def test_not_an_annual_report(tmp_path, capsys) -> None:
    path = tmp_path / "notice.txt"
    path.write_text("关于做好2024年春节期间安全生产工作的通知\n各单位：\n请认真做好值班工作。\n",
                    encoding="utf-8")
    _refused(capsys, ["parse", str(path)], path, "NOT_A_REPORT")


def test_missing_file(tmp_path, capsys) -> None:
    path = tmp_path / "no-such-report.txt"
    _refused(capsys, ["parse", str(path)], path, "UNREADABLE")


def test_directory(tmp_path, capsys) -> None:
    _refused(capsys, ["parse", str(tmp_path)], tmp_path, "UNREADABLE")


def test_exit_code_through_the_module(tmp_path) -> None:
    path = tmp_path / "empty.txt"
    path.write_bytes(b"")
    run = subprocess.run([sys.executable, "-m", "govreport_lark", "parse", str(path)],
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 2
    assert run.stdout == ""
    assert run.stderr.count("\n") == 1 and "[EMPTY_INPUT]" in run.stderr
    assert "Traceback" not in run.stderr


# ------------------------------------------------------------------------ hostile formats


def _huge_spans(page: str) -> str:
    return re.sub(r'(rowspan|colspan)="\d+"', r'\1="99999"', page)


@pytest.mark.parametrize("kind", ["report", "fragment"])
def test_html_rowspan_99999_parses_or_fails_cleanly_and_fast(tmp_path, capsys, kind) -> None:
    if kind == "report":
        page = _huge_spans(render(make_report(3, "2021"), "html"))
        assert 'rowspan="99999"' in page
    else:
        cells = '<td rowspan="99999" colspan="99999">1</td>' * 200
        rows = f"<tr>{cells}</tr>" * 200
        page = ("<html><body><h1>某县2023年政府信息公开工作年度报告</h1><p>一、总体情况</p>"
                f"<p>三、收到和处理政府信息公开申请情况</p><table>{rows}</table></body></html>")
    path = tmp_path / "page.html"
    path.write_text(page, encoding="utf-8")
    started = time.process_time()
    status = main(["parse", str(path)])
    elapsed = time.process_time() - started
    out, err = capsys.readouterr()
    assert elapsed < 10, f"{elapsed:.1f} s"
    assert "Traceback" not in err
    assert status in (0, 2), err
    if status == 0:
        assert validate_output(json.loads(out)) == []
    else:
        assert len(err.strip("\n").split("\n")) == 1 and str(path) in err
    if kind == "report":
        assert status == 0, err


def _deep_page(depth: int) -> bytes:
    return (
        "<html><body><h1>某县2023年政府信息公开工作年度报告</h1><p>一、总体情况</p>"
        "<p>二、主动公开政府信息情况</p><p>三、收到和处理政府信息公开申请情况</p>"
        + "<div>" * depth + "四、政府信息公开行政复议、行政诉讼情况" + "</div>" * depth
        + "</body></html>"
    ).encode("utf-8")


def _parse_seconds(data: bytes, path: str, repeat: int = 1) -> float:
    from govreport_lark import parse_bytes

    def call() -> None:
        try:
            parse_bytes(data, path=path)
        except InputError:
            pass

    return cpu_seconds(call, repeat)


def test_deeply_nested_html_parses_in_linear_time() -> None:
    pytest.importorskip("lxml")
    _parse_seconds(_deep_page(10), "x.html")  # grammars built
    small = _parse_seconds(_deep_page(1000), "x.html", repeat=3)
    large = _parse_seconds(_deep_page(8000), "x.html", repeat=2)
    assert large / max(small, 1e-3) < 25, f"8x the depth took {large / small:.0f}x the time"


def _bomb(path: Path, megabytes: int = 300) -> None:
    chunk = b"\0" * (1 << 20)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        with zf.open("word/document.xml", "w", force_zip64=True) as member:
            for _ in range(megabytes):
                member.write(chunk)


def test_docx_decompression_bomb(tmp_path, capsys) -> None:
    pytest.importorskip("docx")
    path = tmp_path / "bomb.docx"
    _bomb(path)
    assert path.stat().st_size < 2 * 1024 * 1024
    started = time.process_time()
    _refused(capsys, ["parse", str(path)], path, "DECOMPRESSION_BOMB")
    assert time.process_time() - started < 10


def _pdf(pages: int, *, text: bool) -> bytes:
    canvas = pytest.importorskip("reportlab.pdfgen.canvas")
    out = io.BytesIO()
    c = canvas.Canvas(out)
    for n in range(pages):
        if text:
            c.drawString(72, 720, f"page {n + 1}")
        else:
            c.rect(72, 72, 300, 400, fill=1)
        c.showPage()
    c.save()
    return out.getvalue()


def test_pdf_without_text_layer(tmp_path, capsys) -> None:
    pytest.importorskip("pdfplumber")
    path = tmp_path / "scan.pdf"
    path.write_bytes(_pdf(1, text=False))
    line = _refused(capsys, ["parse", str(path)], path, "NO_TEXT_LAYER")
    assert "OCR" in line


def test_pdf_with_too_many_pages(tmp_path, capsys, monkeypatch) -> None:
    pytest.importorskip("pdfplumber")
    from govreport_lark.read import pdf

    data = _pdf(5, text=True)
    with pytest.raises(InputError) as exc:
        pdf.read_pdf(data, max_pages=3)
    assert exc.value.code == "TOO_MANY_PAGES"
    assert "5 pages" in exc.value.message and "3" in exc.value.message

    # The same limit through the CLI (which has no option for it: patch the default).
    real = pdf.read_pdf
    monkeypatch.setattr(pdf, "read_pdf", lambda data, **kw: real(data, max_pages=3))
    path = tmp_path / "long.pdf"
    path.write_bytes(data)
    _refused(capsys, ["parse", str(path)], path, "TOO_MANY_PAGES")


# ------------------------------------------------------------------------ internal errors


@pytest.fixture
def broken_parser(monkeypatch):
    import govreport_lark.pipeline

    def boom(*args, **kwargs):
        raise RuntimeError("simulated bug")

    monkeypatch.setattr(govreport_lark.pipeline, "parse_source", boom)


def _internal(capsys, argv: list[str], path: Path) -> str:
    status = main(argv)
    out, err = capsys.readouterr()
    assert status == 3, (status, err)
    assert out == ""
    last = err.strip("\n").split("\n")[-1]
    assert str(path) in last and "internal error" in last and "RuntimeError" in last
    assert "--debug" in last
    return err


def test_internal_error_without_traceback(tmp_path, capsys, broken_parser) -> None:
    path = tmp_path / "r.txt"
    path.write_bytes(SEED.read_bytes())
    err = _internal(capsys, ["parse", str(path)], path)
    assert "Traceback" not in err
    assert len(err.strip("\n").split("\n")) == 1


def test_internal_error_with_debug_shows_traceback(tmp_path, capsys, broken_parser) -> None:
    path = tmp_path / "r.txt"
    path.write_bytes(SEED.read_bytes())
    err = _internal(capsys, ["parse", "--debug", str(path)], path)
    assert "Traceback" in err and "simulated bug" in err


def test_top_level_debug_shows_traceback(tmp_path, capsys, broken_parser) -> None:
    path = tmp_path / "r.txt"
    path.write_bytes(SEED.read_bytes())
    err = _internal(capsys, ["--debug", "parse", str(path)], path)
    assert "Traceback" in err
