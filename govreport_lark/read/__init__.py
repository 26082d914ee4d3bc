"""Readers: one per input format, each returning a ``SourceText``.

Text and Markdown are read here; HTML, PDF and DOCX readers live in their own
modules and import their (optional) libraries only when called.
"""

from __future__ import annotations

from pathlib import PurePath

from govreport_lark.errors import InputError
from govreport_lark.read.decode import decode_text
from govreport_lark.read.source import SourceText

FORMATS = ("txt", "md", "html", "pdf", "docx")


def _head(data: bytes) -> bytes:
    """The first 2 KB as ASCII-compatible bytes for sniffing, whatever the Unicode encoding."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data[:4096].decode("utf-16", errors="ignore").encode("utf-8", errors="ignore")[:2048]
    return data[:2048].removeprefix(b"\xef\xbb\xbf")


def detect_format(data: bytes, path: str | None = None) -> str:
    """The format by magic bytes first, then by the file name."""
    if data.startswith(b"%PDF"):
        return "pdf"
    if data.startswith(b"PK\x03\x04"):
        return "docx"
    suffix = PurePath(path).suffix.lower().lstrip(".") if path else ""
    if suffix in ("htm", "html", "shtml", "xhtml"):
        return "html"
    head = _head(data).lstrip().lower()
    if head.startswith((b"<!doctype html", b"<html", b"<?xml")) or b"<html" in head[:512]:
        return "html"
    if suffix in ("md", "markdown"):
        return "md"
    if suffix == "docx":
        return "docx"
    if suffix == "pdf":
        return "pdf"
    return "txt"


def read_text(data: bytes, fmt: str = "txt", *, path: str | None = None) -> SourceText:
    text, encoding = decode_text(data, path=path)
    if not text.strip():  # str.strip knows U+3000 and friends; bytes.strip does not
        raise InputError(
            "EMPTY_INPUT",
            f"holds only white space ({len(data)} bytes of {encoding}); there is nothing to parse",
            path=path,
        )
    return SourceText(lines=text.splitlines(), format=fmt)


def read_source(data: bytes, *, path: str | None = None, fmt: str | None = None) -> SourceText:
    fmt = fmt or detect_format(data, path)
    if fmt in ("txt", "md"):
        return read_text(data, fmt, path=path)
    try:
        if fmt == "html":
            from govreport_lark.read.html import read_html

            return read_html(data)
        if fmt == "pdf":
            from govreport_lark.read.pdf import read_pdf

            return read_pdf(data)
        if fmt == "docx":
            from govreport_lark.read.docx import read_docx

            return read_docx(data)
    except InputError as exc:
        exc.path = exc.path or path
        raise
    raise InputError("UNKNOWN_FORMAT", f"format {fmt!r} is not one of {', '.join(FORMATS)}", path=path)
