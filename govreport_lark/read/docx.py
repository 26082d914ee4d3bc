"""DOCX reader: paragraphs and table rows in document order.

The body's children are walked directly (w:p and w:tbl, also inside content
controls) because python-docx's ``paragraphs`` and ``tables`` lists lose the
order between them.  A table row becomes one line, its cells joined by tabs:
a horizontally merged cell (gridSpan) is emitted once, a vertically merged
continuation cell (vMerge without restart) not at all, as the HTML reader does
with colspan/rowspan, and an empty cell stays an empty field.
"""

from __future__ import annotations

import importlib.util
import io
import re
import zipfile
import zlib
from typing import Any

from govreport_lark.errors import InputError
from govreport_lark.read.html import clean_text, join_wrapped
from govreport_lark.read.source import SPANNED, SourceText

_MISSING = "reading DOCX needs the docx extra: pip install 'govreport-lark[docx]'"
# What a DOCX may inflate to, counted on the bytes actually inflated (a zip header's
# sizes are only what the file claims), member by member, and stopped as soon as a limit
# is passed: refusing a bomb costs at most a limit's worth of inflating and one chunk of
# memory.  Real reports stay far below every limit: a report's word/document.xml is at
# most a few MB and its other XML parts are smaller; only pictures (word/media/) are
# larger, and they hardly compress.
# An XML part's tree takes about twenty times its size in memory: 16 MB keeps a parse near
# 300 MB, several times the few MB of a real report's document.xml.
_MAX_XML_PART = 16 * 1024 * 1024  # one XML part inflated, word/document.xml included
_MAX_RATIO = 200  # inflated : compressed of one member (XML compresses about 10:1)
# A member this small cannot hurt however well it compresses (a run of blanks
# in styles.xml can exceed the ratio); only judge the ratio above it.
_RATIO_FLOOR = 1024 * 1024
_CHUNK = 1024 * 1024  # inflated bytes held at a time while measuring
_OLE2 = b"\xd0\xcf\x11\xe0"  # the start of an old .doc (or .xls, .ppt)
_ZIP_END = b"PK\x05\x06"  # end of central directory record
# A password-protected .docx is no zip but an OLE2 file holding this stream.
_ENCRYPTED_PACKAGE = "EncryptedPackage".encode("utf-16-le")
_MAX_TABLE_DEPTH = 20

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_P, _TBL, _TR, _TC, _SDT = (f"{{{_W}}}{n}" for n in ("p", "tbl", "tr", "tc", "sdt"))
_SDT_CONTENT = f"{{{_W}}}sdtContent"
_T, _TAB, _BR, _CR = (f"{{{_W}}}{n}" for n in ("t", "tab", "br", "cr"))
_R, _TXBX = f"{{{_W}}}r", f"{{{_W}}}txbxContent"
_VMERGE, _VAL = f"{{{_W}}}vMerge", f"{{{_W}}}val"
_SPACES = re.compile(r"[^\S\t\n]+")


def _not_a_zip(data: bytes) -> InputError:
    if data.startswith(_OLE2) and _ENCRYPTED_PACKAGE in data:
        return InputError(
            "UNREADABLE_DOCX",
            "is a password-protected Word file; open it in Word, remove the password "
            "and save it again as .docx",
        )
    if data.startswith(_OLE2):
        return InputError(
            "UNREADABLE_DOCX",
            "is an old Word .doc file, not .docx; open it in Word and save it as .docx",
        )
    if data.startswith(b"PK\x03\x04"):
        if _ZIP_END not in data[-(65536 + 22) :]:
            problem = (
                "is an incomplete DOCX: the file ends before the zip's table of contents, "
                "so it was cut short (an interrupted download or copy)"
            )
        else:
            problem = "is a damaged DOCX: its zip table of contents cannot be read"
        return InputError(
            "UNREADABLE_DOCX",
            f"{problem}; download it again, or open the original in Word and save it again",
        )
    return InputError("UNREADABLE_DOCX", "is not a DOCX file (not a zip archive)")


def _damaged(name: str, exc: BaseException) -> InputError:
    return InputError(
        "UNREADABLE_DOCX",
        f"is a damaged DOCX: its part {name} cannot be unpacked ({type(exc).__name__}: {exc}); "
        "download it again, or open the original in Word and save it again",
    )


def _bomb(message: str) -> InputError:
    return InputError("DECOMPRESSION_BOMB", message)


def _check_zip(data: bytes, max_uncompressed: int) -> None:
    """Refuse a DOCX that is no zip, is damaged, or inflates past the limits, before
    python-docx inflates any of it."""
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError):
        raise _not_a_zip(data) from None
    with zf:
        infos = zf.infolist()
        names = {info.filename for info in infos}
        if "word/document.xml" not in names:
            raise InputError(
                "UNREADABLE_DOCX", "not a Word document: the zip has no word/document.xml"
            )
        # What the headers claim first: refused without inflating anything.
        declared = sum(info.file_size for info in infos)
        if declared > max_uncompressed:
            raise _bomb(
                f"the DOCX unpacks to {declared} bytes, more than the limit of {max_uncompressed}"
            )
        for info in infos:
            _check_member_claim(info)
        # Then what is really there, one chunk at a time.
        total = 0
        for info in infos:
            total = _inflate_bounded(zf, info, total, max_uncompressed)


def _part_limit(info: zipfile.ZipInfo) -> int | None:
    name = info.filename.lower()
    return _MAX_XML_PART if name.endswith((".xml", ".rels")) else None


def _check_member_claim(info: zipfile.ZipInfo) -> None:
    limit = _part_limit(info)
    if limit is not None and info.file_size > limit:
        raise _bomb(
            f"the DOCX part {info.filename} unpacks to {info.file_size} bytes, "
            f"more than the limit of {limit}"
        )
    if info.file_size > _RATIO_FLOOR and info.file_size > _MAX_RATIO * max(info.compress_size, 1):
        raise _bomb(f"the DOCX part {info.filename} is compressed more than {_MAX_RATIO}:1")


def _inflate_bounded(zf: zipfile.ZipFile, info: zipfile.ZipInfo, total: int, cap: int) -> int:
    """Inflate one member chunk by chunk, keeping nothing; the running total after it."""
    limit = _part_limit(info)
    size = 0
    try:
        with zf.open(info) as member:
            while chunk := member.read(_CHUNK):
                size += len(chunk)
                total += len(chunk)
                if limit is not None and size > limit:
                    raise _bomb(f"the DOCX part {info.filename} unpacks to more than {limit} bytes")
                if size > _RATIO_FLOOR and size > _MAX_RATIO * max(info.compress_size, 1):
                    raise _bomb(
                        f"the DOCX part {info.filename} is compressed more than {_MAX_RATIO}:1"
                    )
                if total > cap:
                    raise _bomb(f"the DOCX unpacks to more than the limit of {cap} bytes")
    except InputError:
        raise
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError) as exc:
        raise _damaged(info.filename, exc) from None
    except (RuntimeError, NotImplementedError) as exc:  # encrypted, unknown compression
        raise _damaged(info.filename, exc) from None
    return total


def _paragraph_lines(p: Any) -> list[str]:
    """A paragraph's text split at its line breaks.

    Read from the runs' w:t/w:tab/w:br (not python-docx's Paragraph.text) so runs
    inside tracked insertions, smart tags and fields count too; text boxes are
    left out (their content is repeated in mc:Fallback and belongs elsewhere).
    """
    parts: list[str] = []
    for el in p.iter(_T, _TAB, _BR, _CR):
        parent = el.getparent()
        if parent is None or parent.tag != _R or _inside_textbox(el, p):
            continue
        if el.tag == _T:
            parts.append(el.text or "")
        elif el.tag == _TAB:
            parts.append("\t")
        else:
            parts.append("\n")
    lines = []
    for raw in "".join(parts).split("\n"):
        # A tab in a paragraph aligns text; keep one, it is no cell of ours.
        text = _SPACES.sub(" ", raw.translate({0xA0: " ", 0x3000: " "}))
        text = re.sub(r" *\t[\t ]*", "\t", text).strip(" \t")
        if text:
            lines.append(text)
    return lines


def _inside_textbox(el: Any, stop: Any) -> bool:
    node = el.getparent()
    while node is not None and node is not stop:
        if node.tag == _TXBX:
            return True
        node = node.getparent()
    return False


def _children(el: Any) -> list[Any]:
    """Block children, looking through content controls (w:sdt/w:sdtContent)."""
    out = []
    for child in el:
        if child.tag == _SDT:
            content = child.find(_SDT_CONTENT)
            if content is not None:
                out.extend(_children(content))
        else:
            out.append(child)
    return out


class _Out:
    def __init__(self, grid_ids: list[int] | None = None) -> None:
        self.lines: list[str] = []
        self.grids: list[int | None] = []
        self.grid_ids = grid_ids if grid_ids is not None else [0]  # the next table's id

    def text(self, lines: list[str]) -> None:
        self.lines.extend(lines)
        self.grids.extend([None] * len(lines))

    def blocks(self, parent: Any, depth: int = 0) -> None:
        for child in _children(parent):
            if child.tag == _P:
                self.text(_paragraph_lines(child))
            elif child.tag == _TBL:
                if depth < _MAX_TABLE_DEPTH:
                    self.table(child, depth + 1)
                else:
                    self.text(_flat_lines(child))  # absurd nesting: plain text

    def table(self, tbl: Any, depth: int) -> None:
        # Every slot of the grid: a merged cell's other slots (gridSpan, vMerge) as
        # SPANNED, so a value keeps its column.
        self.grid_ids[0] += 1
        grid = self.grid_ids[0]
        for tr in (c for c in _children(tbl) if c.tag == _TR):
            fields: list[str] = []
            nested = _Out(self.grid_ids)
            for tc in (c for c in _children(tr) if c.tag == _TC):
                span = _grid_span(tc)
                if _continues_vmerge(tc):
                    fields.extend([SPANNED] * span)
                    continue
                cell: list[str] = []
                for child in _children(tc):
                    if child.tag == _P:
                        cell.extend(_paragraph_lines(child))
                    elif child.tag == _TBL:
                        if depth < _MAX_TABLE_DEPTH:
                            nested.table(child, depth + 1)  # own lines, after this row
                        else:
                            cell.extend(_flat_lines(child))
                # Inside a cell a tab is layout, not a field separator.
                fields.append(clean_text(join_wrapped([ln.replace("\t", " ") for ln in cell])))
                fields.extend([SPANNED] * (span - 1))
            if any(f and f != SPANNED for f in fields):
                self.lines.append("\t".join(fields))
                self.grids.append(grid)
            self.lines.extend(nested.lines)
            self.grids.extend(nested.grids)


def _flat_lines(el: Any) -> list[str]:
    return [line for p in el.iter(_P) for line in _paragraph_lines(p)]


def _grid_span(tc: Any) -> int:
    """The columns a cell spans (w:gridSpan), capped: the template's widest table has 15."""
    tc_pr = tc.find(f"{{{_W}}}tcPr")
    span = tc_pr.find(f"{{{_W}}}gridSpan") if tc_pr is not None else None
    try:
        return max(1, min(int(span.get(_VAL, "1")), 64)) if span is not None else 1
    except ValueError:
        return 1


def _continues_vmerge(tc: Any) -> bool:
    tc_pr = tc.find(f"{{{_W}}}tcPr")
    if tc_pr is None:
        return False
    vmerge = tc_pr.find(_VMERGE)
    # <w:vMerge/> without a value means "continue"; only "restart" starts one.
    return vmerge is not None and vmerge.get(_VAL, "continue") != "restart"


def read_docx(data: bytes, *, max_uncompressed: int = 200 * 1024 * 1024) -> SourceText:
    """Read a .docx report into lines, table rows tab-joined."""
    if importlib.util.find_spec("docx") is None:
        raise InputError("MISSING_EXTRA", _MISSING)
    _check_zip(data, max_uncompressed)
    import docx

    try:
        document = docx.Document(io.BytesIO(data))
        body = document.element.body
    except Exception as exc:  # python-docx raises KeyError, ValueError, lxml errors…
        raise InputError(
            "UNREADABLE_DOCX", f"the DOCX cannot be read ({type(exc).__name__}: {exc})"
        ) from None
    out = _Out()
    out.blocks(body)
    return SourceText(lines=out.lines, format="docx", grids=out.grids)
