"""The text a table grammar reads: one section's body, with labels that a line break
split rejoined, and the way back from each character to its input line."""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from functools import cache

from govreport_lark.locate.outline import Doc, Section
from govreport_lark.normalise import CJK, Line

# A line break between two CJK characters (or an opening bracket) splits a label
# ("（二）部分公开（区分处理的，只计这一情形，不" / "计其他情形）"), also with the blank
# lines that were around a page number ("（一）予以" / "" / "公开"); digits never join.
# A count's unit ("34个" / "情形…") ends a row's cells, not a label: never joined.
# Written to start with the line break (the lookbehinds then look past it): the engine
# looks for line breaks only, not at every character.
_SPLIT_LABEL = re.compile(
    f"\n(?<=[{CJK}(、,]\n)(?<!\\d[件个]\n)(?<!\\d[ \t][件个]\n)\n*(?=[{CJK}(])")

# The table grammar of each section.
_GRAMMAR = {"二": "active_disclosure", "三": "applications", "四": "review_litigation"}


@cache
def _row_start(grammar: str) -> re.Pattern[str]:
    """A row label of ``grammar`` followed by the row's first cell (past a gloss and line
    breaks): a line that starts so is a row of its own, not the tail of a label cut on the
    line above ("信" / "息内容" / "行政事业性收费 5137.29": the header's 息内容 is no part of
    the row; "(三)不予公开" / "属于国家秘密" / "2 0 0 0 0 0 2": a stub, then a row).  The
    cell's own pattern keeps prose out: "上年结转49件" goes on with a count, not a cell."""
    from govreport_lark.spec import parser
    from govreport_lark.spec.first_chars import guarded

    lark = parser(grammar)
    skip = set(lark.lexer_conf.ignore) | {"GLOSS", "MONEY", "NUMBER", "PLACEHOLDER", "BLANK"}
    labels = "|".join(t.pattern.to_regexp() for t in lark.terminals
                      if t.priority >= 3 and t.name not in skip)
    cells = next(t.pattern.to_regexp() for t in lark.terminals if t.name.endswith("CELLS"))
    return re.compile(guarded(f"(?:{labels})") + rf"\s*(?:\([^()\n]{{4,}}\)\s*)?(?:{cells})")


@dataclass
class Feed:
    text: str
    doc: Doc
    base: int  # offset of text[0] in doc.text
    removed: list[int]  # offsets in ``text`` where a newline was taken out

    def where(self, pos: int | None) -> tuple[int | None, int | None]:
        """(input line, PDF page) of ``text[pos]``, for a cell or a diagnostic; (None, None)
        without a position."""
        line = self.line(pos) if pos is not None else None
        return (line.src, line.page) if line is not None else (None, None)

    def line(self, pos: int) -> Line | None:
        """The input line of ``text[pos]`` (asked a few hundred times a report, of places
        mostly on other lines than the one asked before: one search each, not kept)."""
        removed = self.removed
        offset = self.base + pos + (bisect_right(removed, pos) if removed else 0)
        lines = self.doc.lines
        if not lines:
            return None
        at = bisect_right(self.doc.starts, offset) - 1  # below 0 only before starts[0] == 0
        return lines[at] if at >= 0 else lines[0]


def section_feed(doc: Doc, section: Section) -> Feed:
    body = doc.text[section.body_start : section.end]
    grammar = _GRAMMAR.get(section.key)
    row_start = _row_start(grammar) if grammar else None
    pieces = []
    removed = []
    last = 0
    kept = 0
    for match in _SPLIT_LABEL.finditer(body):
        if row_start is not None and row_start.match(body, match.end()):
            continue
        pieces.append(body[last : match.start()])
        kept += match.start() - last
        removed.extend([kept] * (match.end() - match.start()))
        last = match.end()
    pieces.append(body[last:])
    # A leading newline lets a label on the section's first line count as a line start.
    return Feed("\n" + "".join(pieces), doc, section.body_start - 1, [r + 1 for r in removed])
