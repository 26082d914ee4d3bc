"""The text a table grammar reads: one section's body, with labels that a line break
split rejoined, and the way back from each character to its input line."""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

from .normalise import CJK, Line
from .outline import Doc, Section

# A line break between two CJK characters (or an opening bracket) splits a label
# ("（二）部分公开（区分处理的，只计这一情形，不" / "计其他情形）"), also with the blank
# lines that were around a page number ("（一）予以" / "" / "公开"); digits never join.
_SPLIT_LABEL = re.compile(f"(?<=[{CJK}(、,])\n+(?=[{CJK}(])")


@dataclass
class Feed:
    text: str
    doc: Doc
    base: int  # offset of text[0] in doc.text
    removed: list[int]  # offsets in ``text`` where a newline was taken out
    _last: tuple[int, int, Line | None] = field(default=(0, 0, None), repr=False, compare=False)

    def where(self, pos: int | None) -> tuple[int | None, int | None]:
        """(input line, PDF page) of ``text[pos]``, for a cell or a diagnostic; (None, None)
        without a position."""
        line = self.line(pos) if pos is not None else None
        return (line.src, line.page) if line is not None else (None, None)

    def line(self, pos: int) -> Line | None:
        """The input line of ``text[pos]``.  The last line found is kept: the cells of a
        report ask a few hundred times, a row's cells one after the other."""
        offset = self.base + pos + (bisect.bisect_right(self.removed, pos) if self.removed else 0)
        low, high, line = self._last
        if low <= offset < high:
            return line
        doc = self.doc
        if not doc.lines:
            return None
        index = doc.index_at(offset)
        low = doc.starts[index] if index else -1
        high = doc.starts[index + 1] if index + 1 < len(doc.starts) else len(doc.text) + 1
        self._last = (low, high, doc.lines[index])
        return doc.lines[index]


def section_feed(doc: Doc, section: Section) -> Feed:
    body = doc.text[section.body_start : section.end]
    pieces = []
    removed = []
    last = 0
    kept = 0
    for match in _SPLIT_LABEL.finditer(body):
        pieces.append(body[last : match.start()])
        kept += match.start() - last
        removed.extend([kept] * (match.end() - match.start()))
        last = match.end()
    pieces.append(body[last:])
    # A leading newline lets a label on the section's first line count as a line start.
    return Feed("\n" + "".join(pieces), doc, section.body_start - 1, [r + 1 for r in removed])
