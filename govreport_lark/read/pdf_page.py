"""One PDF page as blocks: its ruled tables (rows of cell texts) and the lines of
text outside them, top to bottom.

The page is drawn by pdfminer (through pdf_interp's faster feeding) and its tables
are found by pdfplumber's own geometry (TableFinder: edges, intersections, cells,
tables) and its own text functions (extract_text, the text map's lines), so what
is read is what ``pdfplumber``'s page.find_tables(), table.extract() and
page.extract_text_lines() read.  What this module does itself is the bookkeeping
pdfplumber does on the way, done once per page instead of once per question:

* the characters and edges are built from pdfminer's layout objects with only the
  keys pdfplumber's table and text functions read, by pdfplumber's own formulas
  (pdfplumber.page.Page.process_object and the container's edge properties);
* a table's cells take their characters by one sort of the characters' centres
  instead of one pass over the page's characters per row and per cell;
* the characters outside the tables are found the same way.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from typing import Any

from pdfminer.converter import PDFPageAggregator
from pdfminer.layout import LTChar, LTContainer, LTCurve, LTLine, LTRect
from pdfplumber.table import TableFinder, TableSettings
from pdfplumber.utils import chars_to_textmap, extract_text
from pdfplumber.utils.exceptions import PdfminerException

from govreport_lark.read.pdf_interp import FastInterpreter

Obj = dict[str, Any]


@dataclass
class PageObjects:
    """What pdfplumber's table finder and text functions read of a page."""

    chars: list[Obj]
    edges: list[Obj]
    bbox: tuple[float, float, float, float]
    width: float
    height: float


# A table's rows (None for a slot a merged cell covers) or a line of text.
Block = tuple[float, "list[list[str | None]] | str"]


def _layout(page: Any) -> Any:
    """pdfminer's layout of a pdfplumber page (pdfplumber's Page.layout)."""
    pdf = page.pdf
    device = PDFPageAggregator(pdf.rsrcmgr, pageno=page.page_number, laparams=pdf.laparams)
    try:
        FastInterpreter(pdf.rsrcmgr, device).process_page(page.page_obj)
    except Exception as exc:
        raise PdfminerException(exc) from exc
    return device.get_result()


def _walk(objs: list[Any], chars: list[Any], lines: list[Any], rects: list[Any],
          curves: list[Any]) -> None:  # fmt: skip
    # pdfplumber's iter_layout_objects without layout analysis: containers' own
    # objects in order, depth first
    for obj in objs:
        if isinstance(obj, LTContainer):
            _walk(obj._objs, chars, lines, rects, curves)
        elif isinstance(obj, LTChar):
            chars.append(obj)
        elif isinstance(obj, LTRect):  # LTRect and LTLine are LTCurves: test them first
            rects.append(obj)
        elif isinstance(obj, LTLine):
            lines.append(obj)
        elif isinstance(obj, LTCurve):
            curves.append(obj)


def page_objects(page: Any) -> PageObjects:
    """The characters and edges of a pdfplumber page, as page.chars and page.edges
    give them (the keys the table finder and text functions read)."""
    layout = _layout(page)
    chars_lt: list[Any] = []
    lines: list[Any] = []
    rects: list[Any] = []
    curves: list[Any] = []
    _walk(layout._objs, chars_lt, lines, rects, curves)

    height = page.height
    mb_x0, mb_top = page.mediabox[:2]
    doc0 = page.initial_doctop

    def box(obj: Any) -> Obj:
        # Page.process_object's coordinates: top-down, shifted by the MediaBox
        top = (height - obj.y1) + mb_top
        o = {"x0": obj.x0, "x1": obj.x1, "top": top, "bottom": (height - obj.y0) + mb_top,
             "doctop": doc0 + top, "width": obj.width, "height": obj.height}  # fmt: skip
        if mb_x0 != 0:
            o["x0"] = o["x0"] + mb_x0
            o["x1"] = o["x1"] + mb_x0
        return o

    chars = []
    for c in chars_lt:
        o = box(c)
        o["object_type"] = "char"
        o["text"] = c._text
        o["upright"] = c.upright
        o["size"] = c.size
        chars.append(o)

    edges: list[Obj] = []
    for line in lines:  # utils.line_to_edge
        o = box(line)
        o["object_type"] = "line"
        o["orientation"] = "h" if o["top"] == o["bottom"] else "v"
        edges.append(o)
    for rect in rects:  # utils.rect_to_edges
        r = box(rect)
        edges.append({**r, "object_type": "rect_edge", "height": 0, "bottom": r["top"],
                      "orientation": "h"})  # fmt: skip
        edges.append({**r, "object_type": "rect_edge", "height": 0,
                      "top": r["top"] + r["height"], "doctop": r["doctop"] + r["height"],
                      "orientation": "h"})  # fmt: skip
        edges.append({**r, "object_type": "rect_edge", "width": 0, "x1": r["x0"],
                      "orientation": "v"})  # fmt: skip
        edges.append({**r, "object_type": "rect_edge", "width": 0, "x0": r["x1"],
                      "orientation": "v"})  # fmt: skip
    mb_x, mb_y = page.mediabox[0], page.mediabox[1]
    for curve in curves:  # utils.curve_to_edges, over Page.point2coord's points
        c = box(curve)
        pts = [(mb_x + x, mb_y + height - y) for x, y in curve.pts]
        shift = c["doctop"] - c["top"]
        for (ax, ay), (bx, by) in zip(pts, pts[1:]):
            top = min(ay, by)
            edges.append({
                "object_type": "curve_edge", "x0": min(ax, bx), "x1": max(ax, bx), "top": top,
                "doctop": top + shift, "bottom": max(ay, by), "width": abs(ax - bx),
                "height": abs(ay - by),
                "orientation": "v" if ax == bx else ("h" if ay == by else None),
            })  # fmt: skip
    return PageObjects(chars, edges, page.bbox, page.width, page.height)


class _Centres:
    """The characters' centres, sorted by height on the page, to find those in a box."""

    def __init__(self, chars: list[Obj]) -> None:
        self.h = [(c["x0"] + c["x1"]) / 2 for c in chars]
        v = [(c["top"] + c["bottom"]) / 2 for c in chars]
        self.order = sorted(range(len(chars)), key=v.__getitem__)
        self.v_sorted = [v[i] for i in self.order]
        self.v = v

    def in_box(self, bbox: tuple[float, ...], within: list[int] | None = None) -> list[int]:
        """Indices (in page order) of the characters whose centre lies in ``bbox``,
        by Table.extract's char_in_bbox: left and top edges in, right and bottom out."""
        x0, top, x1, bottom = bbox
        h, v = self.h, self.v
        if within is None:
            lo, hi = bisect_left(self.v_sorted, top), bisect_left(self.v_sorted, bottom)
            found = [i for i in self.order[lo:hi] if x0 <= h[i] < x1]
            found.sort()
            return found
        return [i for i in within if x0 <= h[i] < x1 and top <= v[i] < bottom]

    def in_closed_box(self, bbox: tuple[float, ...]) -> list[int]:
        """Indices of the characters whose centre lies in ``bbox``, edges included."""
        x0, top, x1, bottom = bbox
        h = self.h
        lo, hi = bisect_left(self.v_sorted, top), bisect_right(self.v_sorted, bottom)
        return [i for i in self.order[lo:hi] if x0 <= h[i] <= x1]


def _extract(table: Any, chars: list[Obj], centres: _Centres) -> list[list[str | None]]:
    """pdfplumber's Table.extract() (no settings: extract_text's defaults)."""
    out = []
    for row in table.rows:
        row_chars = centres.in_box(row.bbox)
        cells: list[str | None] = []
        for cell in row.cells:
            if cell is None:
                cells.append(None)
                continue
            mine = centres.in_box(cell, row_chars)
            cells.append(extract_text([chars[i] for i in mine]) if mine else "")
        out.append(cells)
    return out


def _is_frame(rows: list[list[str | None]]) -> bool:
    """A "table" of one cell a row: a box round a paragraph or the page."""
    return not rows or max(sum(cell is not None for cell in row) for row in rows) < 2


def page_blocks(page: Any) -> list[Block]:
    """The tables and the text lines outside them of a pdfplumber page, each at its
    top, top to bottom (a table before a line at the same top): what
    find_tables(), table.extract() and, on the characters outside the tables'
    cells, extract_text_lines(strip=True) give.  Frames (one cell a row) are no
    tables and their text is read as lines."""
    objs = page_objects(page)
    chars = objs.chars
    centres = _Centres(chars)
    try:
        tables = TableFinder(objs, TableSettings.resolve(None)).tables  # type: ignore[arg-type]
    except Exception:  # a malformed drawing must not lose the page's text
        tables = []
    blocks: list[Block] = []
    inside: set[int] = set()
    for table in tables:
        rows = _extract(table, chars, centres)
        if _is_frame(rows):
            continue
        blocks.append((table.bbox[1], rows))
        for cell in table.cells:
            if cell is not None:  # pdfplumber's rule: only characters in a cell are the table's
                inside.update(centres.in_closed_box(cell))
    text_chars = [c for i, c in enumerate(chars) if i not in inside] if inside else chars
    textmap = chars_to_textmap(text_chars, layout_bbox=objs.bbox, layout_width=objs.width,
                               layout_height=objs.height)  # fmt: skip
    for line in textmap.extract_text_lines(strip=True, return_chars=False):
        blocks.append((line["top"], line["text"]))
    blocks.sort(key=lambda block: block[0])  # stable: a table before text at the same top
    return blocks
