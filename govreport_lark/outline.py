"""The report's outline: the normalised text as one string and its six sections.

Heading wording comes from ``grammars/document.lark``; this module only searches the text
for those terminals in order.  The title, agency, year and date are ``metadata.py``'s.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from functools import lru_cache

from .grammar import parser
from .normalise import Line

SECTION_KEYS = ("一", "二", "三", "四", "五", "六")


@dataclass
class Doc:
    """Normalised lines joined by newlines, with the way back to input lines."""

    lines: list[Line]
    text: str = field(init=False)
    starts: list[int] = field(init=False)

    def __post_init__(self) -> None:
        self.starts = []
        offset = 0
        for line in self.lines:
            self.starts.append(offset)
            offset += len(line.text) + 1
        self.text = "\n".join(line.text for line in self.lines)

    def index_at(self, offset: int) -> int:
        """The index of the line holding ``text[offset]`` (lines must not be empty)."""
        return max(0, bisect.bisect_right(self.starts, offset) - 1)

    def line_at(self, offset: int) -> Line | None:
        return self.lines[self.index_at(offset)] if self.lines else None


@dataclass
class Section:
    key: str  # 一 … 六
    heading: str
    start: int  # offset of the heading in Doc.text
    body_start: int
    end: int


@lru_cache(maxsize=1)
def _terminals() -> dict[str, re.Pattern[str]]:
    lark = parser("document")
    return {t.name: re.compile(t.pattern.to_regexp()) for t in lark.terminals if t.name != "WS"}


def _search(pattern: re.Pattern[str], text: str, start: int, end: int) -> re.Match[str] | None:
    """First match at a line start, else anywhere (crawled one-line pages)."""
    pos = start
    while True:
        match = pattern.search(text, pos, end)
        if match is None:
            break
        at = match.start()
        if at == 0 or text[at - 1] == "\n" or text[max(0, at - 8) : at].strip() == "":
            return match
        pos = at + 1
    return pattern.search(text, start, end)


def find_sections(doc: Doc) -> list[Section]:
    terms = _terminals()
    text = doc.text
    found: list[tuple[str, re.Match[str]]] = []
    pos = 0
    for number, key in enumerate(SECTION_KEYS, start=1):
        match = _search(terms[f"SECTION_{number}"], text, pos, len(text))
        if match is None:
            continue
        found.append((key, match))
        pos = match.end()
    sections = []
    for i, (key, match) in enumerate(found):
        end = found[i + 1][1].start() if i + 1 < len(found) else len(text)
        sections.append(Section(key, match.group(0), match.start(), match.end(), end))
    return sections

