"""The report's outline: the normalised text as one string, its six sections, and the
title, agency, year and signature date.

Heading and title wording comes from ``grammars/document.lark``; this module only
searches the text for those terminals in order.
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


# --- metadata -----------------------------------------------------------------

_YEAR = re.compile(r"(\d{4})\s*年")
_DATE = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")
_AGENCY_TAIL = re.compile(r"[\u4e00-\u9fff()]+$")
_META_PREFIX = re.compile(r"^(?:标题|名称|题目)\s*[:：]\s*")


@dataclass
class Metadata:
    title: str | None = None
    title_line: int | None = None
    agency: str | None = None
    year: int | None = None
    published: str | None = None


def _clean_title(raw: str) -> str:
    text = _META_PREFIX.sub("", raw.strip())
    text = re.sub(r"\s+", "", text)
    return text.strip("《》\"“”#* ")


def find_title(doc: Doc, before: int, hint: str | None = None) -> tuple[str | None, int | None]:
    """The title is the first TITLE match before section 一; a title wrapped over two
    lines ("洪泽区人民政府" / "2023年政府信息公开工作年度报告") is joined."""
    pattern = _terminals()["TITLE"]
    head = doc.text[:before] if before > 0 else doc.text[:3000]
    for match in pattern.finditer(head):
        if "《" in head[max(0, match.start() - 1) : match.start() + 1]:
            continue  # a citation in the preamble, not the title
        title = _clean_title(match.group(0))
        line = doc.line_at(match.start())
        # Wrapped title: the agency sits alone on the line above.
        if re.match(r"^\d{4}", title) and line is not None:
            index = doc.lines.index(line)
            above = next((ln.text for ln in reversed(doc.lines[:index]) if ln.text.strip()), "")
            if above and len(above) <= 30 and re.fullmatch(r"[\u4e00-\u9fff()]+", above.strip()):
                title = _clean_title(above) + title
        return title, line.src if line else None
    if hint:
        match = pattern.search(hint)
        if match:
            return _clean_title(match.group(0)), None
    return None, None


def title_agency(title: str) -> str | None:
    match = _YEAR.search(title)
    if not match:
        return None
    agency = title[: match.start()].strip()
    return agency or None


def fuller_agency(doc: Doc, agency: str | None) -> str | None:
    """The agency "as fully as the document names it": a longer name ending with the
    title's agency in a signature line or a 《…年度报告》 citation (seeds 001, 003)."""
    if not agency:
        return agency
    best = agency
    candidates = []
    for line in doc.lines[-15:]:
        text = line.text.strip()
        if text.endswith(agency) and len(text) <= 40 and _AGENCY_TAIL.fullmatch(text):
            candidates.append(text)
    for match in re.finditer(r"《([^《》\n]{2,60}?)\d{4}\s*年度?\s*(?:政府)?信息公开", doc.text):
        name = re.sub(r"\s+", "", match.group(1))
        if name.endswith(agency):
            candidates.append(name)
    for name in candidates:
        if len(name) > len(best) and len(name) <= len(agency) + 12:
            best = name
    return best


def find_published(doc: Doc, sections: list[Section]) -> str | None:
    """The signature date: the last date standing alone on a line after section 六's
    heading (or in the last lines when there is no 六)."""
    start = sections[-1].start if sections else max(0, len(doc.text) - 400)
    tail = doc.text[start:]
    dates = []
    for match in _DATE.finditer(tail):
        line = doc.line_at(start + match.start())
        if line is not None and len(line.text.strip()) <= len(match.group(0)) + 4:
            dates.append(match)
    if not dates:
        return None
    year, month, day = (int(g) for g in dates[-1].groups())
    if not (1 <= month <= 12 and 1 <= day <= 31):
        return None
    return f"{year:04d}-{month:02d}-{day:02d}"


def find_metadata(doc: Doc, sections: list[Section], hint: str | None = None) -> Metadata:
    first = sections[0].start if sections else 0
    title, title_line = find_title(doc, first, hint)
    meta = Metadata(title=title, title_line=title_line)
    if title:
        year = _YEAR.search(title)
        meta.year = int(year.group(1)) if year else None
        meta.agency = fuller_agency(doc, title_agency(title))
    meta.published = find_published(doc, sections)
    return meta
