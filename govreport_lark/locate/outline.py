"""The report's outline: the normalised text as one string, and what a section of it is.

Where the sections stand is ``sections.py``'s; the title, agency, year and date are
``metadata.py``'s.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from itertools import accumulate, repeat
from operator import add

from govreport_lark.normalise import Line

SECTION_KEYS = ("一", "二", "三", "四", "五", "六")


@dataclass
class Doc:
    """Normalised lines joined by newlines, with the way back to input lines."""

    lines: list[Line]
    text: str = field(init=False)
    starts: list[int] = field(init=False)

    def __post_init__(self) -> None:
        texts = [line.text for line in self.lines]
        # Each line starts one past the end of the one before (its line break): summed in C.
        self.starts = list(accumulate(map(add, map(len, texts), repeat(1)), initial=0))
        self.starts.pop()
        self.text = "\n".join(texts)

    def index_at(self, offset: int) -> int:
        """The index of the line holding ``text[offset]`` (lines must not be empty)."""
        return max(0, bisect.bisect_right(self.starts, offset) - 1)

    def line_at(self, offset: int) -> Line | None:
        return self.lines[self.index_at(offset)] if self.lines else None


@dataclass
class Section:
    """One of the template's six parts: for 二–四 the region its table grammar reads."""

    key: str  # 一 … 六
    heading: str  # the heading or caption above it; "" for a table found without one
    start: int  # offset of the heading (or of the table) in Doc.text
    body_start: int
    end: int
