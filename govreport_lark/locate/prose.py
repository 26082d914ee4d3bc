"""The report's prose as sentences, each character with the input line it came from.

A PDF text layer breaks a sentence over lines anywhere ("全市共受理政府" / "信息公开申请 3119 件，答"),
so lines are joined back into paragraphs; table rows (grid rows, runs of cells, a line that is
only a cell) are no prose and end a paragraph.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

from govreport_lark.locate.outline import Doc, Section
from govreport_lark.normalise import CJK, Line

# Two values side by side ("1 0 0 0 0 0 1", "1件 0件") or a line that is one value: a table.
# The run is searched for from its first character (a sign or a digit, the one before it no
# digit, point or comma): a pattern that opens with a class lets the engine skip to the
# places it can start.  The one value is matched at the line's start only.
_TABLE_RUN = re.compile(r"[+\-\d](?:(?<=\d)(?<![\d.,]\d)|(?<=[+-])(?<![\d.,][+-])\d)"
                        r"[\d,.]*\s*[件个]?\s+[+-]?\d")
_TABLE_VALUE = re.compile(r"[+-]?\d[\d,.]*\s*[件个元]?$|[-/—–∅]+$")
# A heading or list mark at a line's start: "三、", "(二)", "1.", "第二十条".
_MARK = re.compile(r"^(?:[一二三四五六七八九十]{1,3}、|\([一二三四五六七八九十]{1,3}\)|\d{1,2}[.、](?!\d)|第[一二三四五六七八九十]+[条章节])")
_PUNCT = re.compile(r"[。,;:，；：!?！？]")
_SENTENCE_END = re.compile(r"[。!?！？]")
# A paragraph ends after a sentence's end ([。!?！？]$): its text ends in no line break (its
# pieces are stripped lines), so its last character says.
_END_CHARS = frozenset("。!?！？")
_JOINS = re.compile(f"[{CJK}\\d]")


@dataclass
class Sentence:
    """One sentence of prose: its text and where each of its lines' pieces starts in it, with
    the index of that line in ``Doc.lines``."""

    text: str
    offsets: list[int] = field(repr=False)  # ascending; offsets[0] == 0
    indexes: list[int] = field(repr=False)
    doc: Doc = field(repr=False)
    section: str | None = None  # the template part (一 … 六) it stands in, when one was found

    def line(self, pos: int) -> Line:
        at = max(bisect.bisect_right(self.offsets, pos) - 1, 0)
        return self.doc.lines[self.indexes[at]]


def _is_table(line: Line, text: str) -> bool:
    """``text``: the line's text stripped."""
    return (line.grid is not None or _TABLE_VALUE.match(text) is not None
            or _TABLE_RUN.search(text) is not None)


def _joint(before: str, after: str) -> str:
    """What goes between two pieces of one paragraph: nothing where a line was broken inside
    a word or a number, a space between two numbers (a cell is no part of a count)."""
    if before[-1:].isdigit() and after[:1].isdigit():
        return " "
    return "" if _JOINS.match(after[:1] or " ") or not before[-1:].isascii() else " "


# _MARK reads a text's first five characters, or past 第 a run of numerals and the
# character after it; it reads such a run of any length as one numeral.
_NUMERALS = "一二三四五六七八九十"


def _grow_head(head: str, added: str) -> tuple[str, bool]:
    """A paragraph's start as far as _MARK reads it, with ``added`` after it, and whether
    it may still read further (5 characters, or 第 and numerals only, read so far)."""
    head += added
    if head[0] == "第":
        rest = head[1:].lstrip(_NUMERALS)
        if len(head) - len(rest) > 2:
            head = "第一" + rest  # a run of many short lines of numerals stays short
        if not rest:
            return head, True
    return head, len(head) < 6


@dataclass
class _Paragraph:
    text: str = ""
    offsets: list[int] = field(default_factory=list)  # where each line's piece starts
    indexes: list[int] = field(default_factory=list)  # and the line's index in Doc.lines

    def sentences(self, doc: Doc) -> list[Sentence]:
        """Cut at 。！？ (and at the paragraph's end)."""
        text = self.text
        if not _SENTENCE_END.search(text, 0, len(text) - 1):  # one sentence, most often
            return [Sentence(text, list(self.offsets), list(self.indexes), doc)]
        out = []
        cuts = [m.end() for m in _SENTENCE_END.finditer(text)]
        start = 0
        for end in [*cuts, len(text)]:
            if end - start > 1 or (end > start and end == len(text)):
                first = max(bisect.bisect_right(self.offsets, start) - 1, 0)
                last = bisect.bisect_left(self.offsets, end)
                offsets = [0] + [o - start for o in self.offsets[first + 1 : last]]
                out.append(Sentence(text[start:end], offsets,
                                    self.indexes[first:last] or self.indexes[first:first + 1], doc))
            start = end
        return out


def paragraphs(doc: Doc) -> list[_Paragraph]:
    """The prose as paragraphs.  A paragraph's text is kept as pieces and joined once: adding
    to one string would copy the paragraph so far at every line (quadratic on a long page
    without a full stop).  What the loop asks of the text so far is kept as it grows: its
    last character, whether it opens with a mark (from its start as far as ``_MARK``
    reads), and once looked for, whether it holds sentence punctuation before its last
    character: a paragraph that opens with a mark and holds none is a heading, which stands
    alone ("三、收到和处理…情况", "（二）依申请公开办理情况；")."""
    out: list[_Paragraph] = []
    parts: list[str] = []
    offsets: list[int] = []
    indexes: list[int] = []
    length, last, head, reading, marked, punct = 0, "", "", True, False, False
    for index, line in enumerate(doc.lines):
        piece = line.text.strip()
        if not piece:
            continue  # a blank line inside a paragraph (a page break) does not end it
        table = _is_table(line, piece)
        if last:
            ends = table or last in _END_CHARS or _MARK.match(piece)
            if not ends and marked:
                if not punct:  # found, it stays; not found, the paragraph ends here
                    text = "".join(parts)
                    punct = bool(_PUNCT.search(text, 0, len(text) - 1))
                ends = not punct
            if ends:
                out.append(_Paragraph("".join(parts), offsets, indexes))
                parts, offsets, indexes = [], [], []
                length, last, head, reading, marked, punct = 0, "", "", True, False, False
        if not table:
            if last:
                piece = _joint(last, piece) + piece
            parts.append(piece)
            offsets.append(length)
            indexes.append(index)
            length += len(piece)
            last = piece[-1]
            if reading:  # the paragraph's start grows: whether it opens with a mark
                head, reading = _grow_head(head, piece)
                marked = _MARK.match(head) is not None
    if last:
        out.append(_Paragraph("".join(parts), offsets, indexes))
    return out


def sentences(doc: Doc, sections: list[Section] | None = None) -> list[Sentence]:
    """The prose's sentences, cut at 。！？ and at the end of a paragraph, each with the
    section it stands in."""
    out = [s for para in paragraphs(doc) for s in para.sentences(doc)]
    spans = sorted((s.start, s.end, s.key) for s in sections or [])[::-1]
    for sentence in out:
        offset = doc.starts[sentence.indexes[0]]
        for start, end, key in spans:  # the last section that holds it
            if start <= offset < end:
                sentence.section = key
                break
    return out
