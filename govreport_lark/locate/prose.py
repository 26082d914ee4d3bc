"""The report's prose as sentences, each character with the input line it came from.

A PDF text layer breaks a sentence over lines anywhere ("全市共受理政府" / "信息公开申请 3119 件，答"),
so lines are joined back into paragraphs; table rows (grid rows, runs of cells, a line that is
only a cell) are no prose and end a paragraph.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from govreport_lark.locate.outline import Doc
from govreport_lark.normalise import CJK, Line

# Two values side by side ("1 0 0 0 0 0 1", "1件 0件") or a line that is one value: a table.
_CELL_RUN = re.compile(r"(?<![\d.,])[+-]?\d[\d,.]*\s*[件个]?\s+[+-]?\d")
_ONE_CELL = re.compile(r"^[+-]?\d[\d,.]*\s*[件个元]?$|^[-/—–∅]+$")
# A heading or list mark at a line's start: "三、", "(二)", "1.", "第二十条".
_MARK = re.compile(r"^(?:[一二三四五六七八九十]{1,3}、|\([一二三四五六七八九十]{1,3}\)|\d{1,2}[.、](?!\d)|第[一二三四五六七八九十]+[条章节])")
_END = re.compile(r"[。!?！？]$")
_PUNCT = re.compile(r"[。,;:，；：!?！？]")
_SENTENCE_END = re.compile(r"[。!?！？]")


@dataclass
class Sentence:
    """One sentence of prose: its text and, per character, the index of its line in
    ``Doc.lines``."""

    text: str
    where: list[int] = field(repr=False)
    doc: Doc = field(repr=False)

    def line(self, pos: int) -> Line:
        return self.doc.lines[self.where[min(max(pos, 0), len(self.where) - 1)]]


def _is_table(line: Line) -> bool:
    text = line.text.strip()
    return line.grid is not None or bool(_CELL_RUN.search(text) or _ONE_CELL.match(text))


def _is_heading(text: str) -> bool:
    """A heading stands alone: a mark and no sentence punctuation but at its end
    ("三、收到和处理…情况", "（二）依申请公开办理情况；")."""
    return bool(_MARK.match(text)) and not _PUNCT.search(text[:-1])


def _joint(before: str, after: str) -> str:
    """What goes between two pieces of one paragraph: nothing where a line was broken inside
    a word or a number, a space between two numbers (a cell is no part of a count)."""
    if before[-1:].isdigit() and after[:1].isdigit():
        return " "
    return "" if re.match(f"[{CJK}\\d]", after[:1] or " ") or not before[-1:].isascii() else " "


def paragraphs(doc: Doc) -> list[tuple[str, list[int]]]:
    """The prose as paragraphs: (text, line index per character)."""
    out: list[tuple[str, list[int]]] = []
    text, where = "", []
    for index, line in enumerate(doc.lines):
        piece = line.text.strip()
        if not piece:
            continue  # a blank line inside a paragraph (a page break) does not end it
        table = _is_table(line)
        starts_new = table or _MARK.match(piece) or not text or _END.search(text) or _is_heading(text)
        if starts_new and text:
            out.append((text, where))
            text, where = "", []
        if table:
            continue
        joint = _joint(text, piece) if text else ""
        where.extend([index] * len(joint) + [index] * len(piece))
        text += joint + piece
    if text:
        out.append((text, where))
    return out


def sentences(doc: Doc) -> list[Sentence]:
    """The prose's sentences, cut at 。！？ and at the end of a paragraph."""
    out = []
    for text, where in paragraphs(doc):
        start = 0
        for match in _SENTENCE_END.finditer(text):
            if match.end() - start > 1:
                out.append(Sentence(text[start : match.end()], where[start : match.end()], doc))
            start = match.end()
        if start < len(text):
            out.append(Sentence(text[start:], where[start:], doc))
    return out
