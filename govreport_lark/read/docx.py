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
from typing import Any

from govreport_lark.errors import InputError
from govreport_lark.read.html import clean_text, join_wrapped
from govreport_lark.read.source import SPANNED, SourceText

_MISSING = "reading DOCX needs the docx extra: pip install 'govreport-lark[docx]'"
_MAX_RATIO = 200
# A member this small cannot hurt however well it compresses (a run of blanks
# in styles.xml can exceed the ratio); only judge the ratio above it.
_RATIO_FLOOR = 1024 * 1024
_MAX_TABLE_DEPTH = 20

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_P, _TBL, _TR, _TC, _SDT = (f"{{{_W}}}{n}" for n in ("p", "tbl", "tr", "tc", "sdt"))
_SDT_CONTENT = f"{{{_W}}}sdtContent"
_T, _TAB, _BR, _CR = (f"{{{_W}}}{n}" for n in ("t", "tab", "br", "cr"))
_R, _TXBX = f"{{{_W}}}r", f"{{{_W}}}txbxContent"
_VMERGE, _VAL = f"{{{_W}}}vMerge", f"{{{_W}}}val"
_SPACES = re.compile(r"[^\S\t\n]+")


def _check_zip(data: bytes, max_uncompressed: int) -> None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            infos = zf.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError):
        raise InputError(
            "UNREADABLE_DOCX",
            "not a DOCX file (not a zip archive); an old .doc must be saved as .docx first",
        ) from None
    names = {info.filename for info in infos}
    if "word/document.xml" not in names:
        raise InputError("UNREADABLE_DOCX", "not a Word document: the zip has no word/document.xml")
    # Sizes come from the zip headers; zipfile never inflates a member past its
    # declared size, so they bound what python-docx will read.
    total = sum(info.file_size for info in infos)
    if total > max_uncompressed:
        raise InputError(
            "DECOMPRESSION_BOMB",
            f"the DOCX unpacks to {total} bytes, more than the limit of {max_uncompressed}",
        )
    for info in infos:
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > _RATIO_FLOOR and ratio > _MAX_RATIO:
            raise InputError(
                "DECOMPRESSION_BOMB",
                f"the DOCX member {info.filename} is compressed more than {_MAX_RATIO}:1",
            )


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
