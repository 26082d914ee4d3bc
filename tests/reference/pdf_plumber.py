"""The PDF reader as it was before govreport_lark.read.pdf drew pages through
pdf_page (pdfminer fed by pdf_content, pdfplumber's table geometry on light
objects): pdfplumber's own Page, find_tables(), extract() and
extract_text_lines(), kept to test the reader against.  Decoding limits and
refusals are the reader's own (imported), as they were not replaced.

PDF reader: the text layer page by page, ruled tables as one line per row.

pdfplumber finds ruled tables (page.find_tables()); each row becomes one line
with its cells joined by tabs at the table's place on the page, and the text
outside the tables is read as ordinary lines, so the output has the same shape
as the HTML and DOCX readers give.

Cells: pdfplumber reports an empty cell as "" and a grid slot covered by a
merged cell (colspan or rowspan) as None.  The empty cell stays an empty field;
the covered slot is dropped, as the HTML reader drops colspan/rowspan slots, so
a row reads the same whichever format the report came in (a rowspan label such
as （三）不予公开 appears in its first row only).
"""

from __future__ import annotations

import importlib.util
import io
import re
from typing import Any

from govreport_lark.errors import InputError
from govreport_lark.read.html import clean_text, join_wrapped
from govreport_lark.read.pdf import (
    _ENCRYPTED,
    _MISSING,
    _NO_TEXT,
    _bomb_message,
    _bounded_decoding,
    _encryption_error,
)
from govreport_lark.read.source import SPANNED, SourceText

_WIDE = r"[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef]"
_CJK_GAP = re.compile(rf"(?<={_WIDE}) +(?={_WIDE})")


def _cell_text(cell: str | None) -> str:
    # A cell's text wraps inside its box; vertical labels (三、本年度办理结果)
    # come one character per line.  Join like a wrapped CJK line.
    text = join_wrapped([clean_text(part) for part in (cell or "").splitlines()])
    # A cell is one field, so a gap between two CJK characters is layout
    # (Word's distributed alignment: 予 以 公 开), not a separator.  Text
    # outside tables keeps its gaps: there they may separate columns.
    return _CJK_GAP.sub("", text)


def _table_rows(table: Any) -> list[str] | None:
    """Tab-joined rows, or None for a "table" that is only a frame round text
    (one cell per row: a box round a paragraph or the page)."""
    rows = table.extract()
    if not rows or max(sum(cell is not None for cell in row) for row in rows) < 2:
        return None
    lines = []
    for row in rows:
        # Every slot of the grid, a merged one (None) as SPANNED: values keep their column.
        fields = [SPANNED if cell is None else _cell_text(cell) for cell in row]
        if any(f and f != SPANNED for f in fields):
            lines.append("\t".join(fields))
    return lines


def _page_items(page: Any) -> list[tuple[float, list[str], bool]]:
    """(top, lines, is_table) blocks of one page: tables and the text outside them."""
    items: list[tuple[float, list[str], bool]] = []
    boxes: list[tuple[tuple[float, ...], list[tuple[float, ...]]]] = []
    try:
        tables = page.find_tables()
    except Exception:  # a malformed drawing must not lose the page's text
        tables = []
    for table in tables:
        lines = _table_rows(table)
        if lines is None:
            continue
        items.append((table.bbox[1], lines, True))
        boxes.append((table.bbox, [c for c in table.cells if c is not None]))

    def outside_tables(obj: dict[str, Any]) -> bool:
        if obj.get("object_type") != "char" or not boxes:
            return True
        x, y = (obj["x0"] + obj["x1"]) / 2, (obj["top"] + obj["bottom"]) / 2
        for (x0, top, x1, bottom), cells in boxes:
            if x0 <= x <= x1 and top <= y <= bottom:
                # only chars inside a cell belong to the table (pdfplumber's rule)
                for cx0, ctop, cx1, cbottom in cells:
                    if cx0 <= x <= cx1 and ctop <= y <= cbottom:
                        return False
        return True

    text_page = page.filter(outside_tables) if boxes else page
    for line in text_page.extract_text_lines(strip=True, return_chars=False):
        text = clean_text(line["text"])
        if text:
            items.append((line["top"], [text], False))
    items.sort(key=lambda item: item[0])  # stable: a table before text at the same top
    return items


def read_pdf(data: bytes, *, max_pages: int = 500) -> SourceText:
    """Read a PDF's text layer into lines; ``pages`` gives each line's page."""
    if importlib.util.find_spec("pdfplumber") is None:
        raise InputError("MISSING_EXTRA", _MISSING)
    import pdfplumber

    lines: list[str] = []
    pages: list[int | None] = []
    grids: list[int | None] = []
    with _bounded_decoding(fast_cmaps=False) as budget:  # pdfminer's own CMap parser
        try:
            with pdfplumber.open(io.BytesIO(data)) as pdf:
                count = len(pdf.pages)
                if count > max_pages:
                    raise InputError(
                        "TOO_MANY_PAGES",
                        f"the PDF has {count} pages, more than the limit of {max_pages}; "
                        "raise max_pages if this really is one annual report",
                    )
                for number, page in enumerate(pdf.pages, start=1):
                    for _top, block, is_table in _page_items(page):
                        lines.extend(block)
                        pages.extend([number] * len(block))
                        grids.extend([len(lines) if is_table else None] * len(block))
                    page.close()  # drop the page's cached objects: big reports stay small
                    if budget.refused is not None:
                        break
        except InputError:
            raise
        except Exception as exc:
            if budget.refused is not None:
                raise InputError("DECOMPRESSION_BOMB", _bomb_message(budget.refused)) from None
            encrypted = _encryption_error(exc)
            if encrypted is not None:
                from pdfminer.pdfdocument import PDFPasswordIncorrect

                if isinstance(encrypted, PDFPasswordIncorrect):
                    raise InputError("ENCRYPTED_PDF", _ENCRYPTED) from None
                raise InputError(
                    "ENCRYPTED_PDF",
                    f"the PDF is encrypted in a way this reader cannot open ({encrypted}); "
                    "save an unencrypted copy (open it and print or save it to a new PDF)",
                ) from None
            raise InputError(
                "UNREADABLE_PDF", f"the PDF cannot be read ({type(exc).__name__}: {exc})"
            ) from None
    # A refusal that pdfminer or pdfplumber caught on the way still ends the read.
    if budget.refused is not None:
        raise InputError("DECOMPRESSION_BOMB", _bomb_message(budget.refused))
    if not lines:
        raise InputError("NO_TEXT_LAYER", _NO_TEXT)
    return SourceText(
        lines=lines,
        format="pdf",
        src_lines=list(range(1, len(lines) + 1)),
        pages=pages,
        grids=grids,
    )
