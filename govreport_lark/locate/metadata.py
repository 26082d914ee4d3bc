"""The report's title, agency, year and signature date, from every signal the input gives.

The wording (title shapes, the statistics-period sentence, dates) is the ``TITLE``,
``REPORT_NAME``, ``YEAR``, ``ABOUT``, ``STAT_PERIOD`` and ``DATE`` terminals of
``grammars/document.lark``; this module decides where to look and in which order:

1. a title standing on its own lines before section 一, joined over up to three lines
   (a cover page or a title wrapped by the layout);
2. a title inside a longer line there (crawled pages: "标题: …");
3. the page's own title fields (HTML ``<meta name="ArticleTitle">``, then ``<title>`` less
   the site name after ``_``, ``-`` or ``|``);
4. a title without a year, from the body and then from the page.

The agency comes from the title, else from the cover lines under it, else from the
signature; it is then widened to the fullest name the document gives.  The year comes from
the title, else from the statistics-period sentence.  The date comes from the signature,
else the cover, else the page's ``PubDate``.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from functools import lru_cache
from itertools import islice

from govreport_lark.locate.outline import Doc, Section
from govreport_lark.normalise import Line, fold_width, to_simplified
from govreport_lark.read.source import SourceText
from govreport_lark.spec import terminals

HEAD_CHARS = 10_000  # a title stands near the top; searching further only costs time
HEAD_UNMARKED = 3_000  # the head searched when no heading ends it
TITLE_WINDOW = 3  # lines a title may be wrapped over
PIECE_CHARS = 60  # a line longer than this is not part of a title block
REACH = 110  # how far before its fixed name an inline title may start (agency + year + 关于)
MAX_NAME_HITS = 20  # fixed names tried for an inline title
MAX_CITED = 200  # 《…》 citations of a title tried for a fuller agency
HINT_CHARS = 300  # a page title field longer than this is not a title
# Years a report can be on: the 条例 took effect in 2008; a year far outside is a misreading.
YEARS = range(2000, 2100)

# A line that can be part of a title block or be a name on a cover or under a signature:
# letters, digits, spaces, brackets and the marks a title is quoted or emphasised with.
_PIECE = re.compile(r"[\w ()、·○《》“”\"#*]+")
_NAME = re.compile(r"[^\W\d_](?:[^\W\d_]|[()、·])*")
_QUOTES = "《》\"“”#* "
_QUOTED = re.compile(r"《([^《》\n]{1,120})》")
_SPACE = re.compile(r"\s+")
_NUMBER = re.compile(r"\d+|[〇○零一二三四五六七八九十]+")
_ISO = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})")
_SITE_SEPARATOR = re.compile(r"\s*(?:[_|]|[-–—]+)\s*")  # after fold_width: ｜ is |
_NUMERALS = {"〇": 0, "○": 0, "零": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5,
             "六": 6, "七": 7, "八": 8, "九": 9}  # fmt: skip


@dataclass
class Metadata:
    title: str | None = None
    title_line: int | None = None  # input line of the title's first line
    agency: str | None = None
    year: int | None = None
    published: str | None = None  # ISO date


@dataclass
class Title:
    """A title found, taken apart by the grammar's terminals."""

    text: str
    agency: str | None
    year: int | None
    line: int | None = None  # input line
    last: int | None = None  # index in Doc.lines of its last line


@dataclass
class _Patterns:
    title: re.Pattern[str]
    name: re.Pattern[str]
    about: re.Pattern[str]
    year: re.Pattern[str]
    period: re.Pattern[str]
    date: re.Pattern[str]


@lru_cache(maxsize=1)
def _patterns() -> _Patterns:
    terms = terminals("document")
    names = ("TITLE", "REPORT_NAME", "ABOUT", "YEAR", "STAT_PERIOD", "DATE")
    return _Patterns(*(re.compile(terms[name]) for name in names))


# --- numbers and dates --------------------------------------------------------------------


def _number(text: str) -> int | None:
    """Digits, or numerals as years (二〇二三) and days (二十一) are written."""
    if text.isdecimal():
        return int(text)
    if "十" in text:  # 十, 十二, 二十, 二十一
        tens, _, ones = text.partition("十")
        high = _NUMERALS.get(tens) if tens else 1
        low = _NUMERALS.get(ones) if ones else 0
        return None if high is None or low is None else high * 10 + low
    value = 0
    for char in text:
        if char not in _NUMERALS:
            return None
        value = value * 10 + _NUMERALS[char]
    return value


def _iso(year: int | None, month: int | None, day: int | None) -> str | None:
    if year is None or month is None or day is None:
        return None
    try:
        return datetime.date(year, month, day).isoformat()
    except ValueError:  # 2月30日, 13月, year 0
        return None


def date_of(text: str) -> str | None:
    """The ISO date of a DATE match."""
    parts = [_number(n) for n in _NUMBER.findall(text)]
    return _iso(*parts) if len(parts) == 3 else None


def _year_of(match: re.Match[str] | None) -> int | None:
    if match is None:
        return None
    year = _number(_SPACE.sub("", match.group(0)).rstrip("年度"))
    return year if year in YEARS else None


def hint_date(text: str | None) -> str | None:
    """A page's date field: "2024-01-20 10:00", "2024/1/20", "2024年1月20日"."""
    match = _ISO.search(text or "")
    return _iso(*(int(g) for g in match.groups())) if match else None


# --- titles -------------------------------------------------------------------------------


def clean(text: str) -> str:
    return _SPACE.sub("", text).strip(_QUOTES)


def _strip_about(name: str) -> str:
    """关于 is not part of the agency: "XX关于2023年度…的报告", "关于XX2023年…"."""
    about = _patterns().about
    match = about.match(name)
    if match is not None:
        name = name[match.end() :]
    for match in about.finditer(name):
        if match.end() == len(name):
            return name[: match.start()]
    return name


def take_apart(text: str, line: int | None = None, last: int | None = None) -> Title | None:
    """A title text (a TITLE match) as its agency and year, or None if it is not one."""
    pat = _patterns()
    name = pat.name.search(text)
    if name is None:
        return None
    year = pat.year.search(text, 0, name.start())
    if year is not None:
        before, after = text[: year.start()], text[year.end() : name.start()]
    else:
        before, after = text[: name.start()], ""
    agency = _strip_about(clean(before)) or _strip_about(clean(after))
    return Title(text, agency or None, _year_of(year), line, last)


def _title_block(doc: Doc, head: list[int], with_year: bool) -> Title | None:
    """A title on lines of its own: one line, or two or three joined (the agency above the
    year, or a name cut by the layout).  At each line the longest block wins, unless its
    first line is a cover's agency above a whole title (``_own_agency_below``)."""
    pat = _patterns()
    texts = [doc.lines[i].text.strip() for i in head]
    # Most lines of a preamble fail at their first punctuation mark: clean only the rest.
    ok = [_PIECE.fullmatch(text) is not None for text in texts]
    pieces = [clean(text) if fits else "" for text, fits in zip(texts, ok, strict=True)]
    ok = [fits and len(piece) <= PIECE_CHARS for fits, piece in zip(ok, pieces, strict=True)]
    for start in range(len(head)):
        if not ok[start]:
            continue
        for size in range(TITLE_WINDOW, 0, -1):
            end = start + size
            if end > len(head) or not all(ok[start:end]):
                continue
            text = "".join(pieces[start:end])
            if pat.title.fullmatch(text) is None:
                continue
            title = take_apart(text, doc.lines[head[start]].src, head[end - 1])
            if title is None or (with_year and title.year is None):
                continue
            if size > 1 and _own_agency_below(pieces[start], "".join(pieces[start + 1 : end])):
                continue
            return title
    return None


def _own_agency_below(first: str, rest: str) -> bool:
    """The lines after the first are a whole title whose agency names the same place as the
    first line: that line is a cover's agency ("淮安市人民政府办公室" above "淮安市人民政府2024年…"),
    not the start of a wrapped name ("上海市黄浦区" above "人民政府2024年…")."""
    if _patterns().title.fullmatch(rest) is None:
        return False
    title = take_apart(rest)
    return (title is not None and title.year is not None and title.agency is not None
            and title.agency[:2] == first[:2])


def _title_inline(doc: Doc, end: int) -> Title | None:
    """A title inside a longer line before ``end``, found from its fixed name back; not one
    quoted in 《》 (a citation in the preamble)."""
    pat = _patterns()
    text = doc.text
    for hits, name in enumerate(pat.name.finditer(text, 0, end)):
        if hits >= MAX_NAME_HITS:
            break
        line_start = text.rfind("\n", 0, name.start()) + 1
        lo = max(line_start, name.start() - REACH)
        match = next((m for m in pat.title.finditer(text, lo, name.end())
                      if m.end() == name.end()), None)
        if match is None:
            continue
        at = match.start() + len(match.group(0)) - len(match.group(0).lstrip())
        if "《" in text[max(0, match.start() - 1) : at]:
            continue  # a citation in the preamble, not the title
        index = doc.index_at(at)
        title = take_apart(clean(match.group(0)), doc.lines[index].src, index)
        if title is not None and title.year is not None:
            return title
    return None


def _normalised(text: str) -> str:
    lines = to_simplified(fold_width([Line(text, 0)]))
    return lines[0].text if lines else text


def _title_hinted(hints: list[str], with_year: bool) -> Title | None:
    """A page title field: the whole of it or one part between the site's separators."""
    pat = _patterns()
    for hint in hints:
        if len(hint) > HINT_CHARS:
            continue
        text = _normalised(hint)
        for part in [text, *_SITE_SEPARATOR.split(text)]:
            part = clean(part)
            if part and pat.title.fullmatch(part):
                title = take_apart(part)
                if title is not None and (title.year is not None or not with_year):
                    return title
    return None


@dataclass
class Head:
    """The part before section 一 (or the first HEAD_UNMARKED characters when no heading
    ends it): its end offset and its non-empty lines, by index in Doc.lines."""

    end: int
    lines: list[int]


def find_head(doc: Doc, sections: list[Section]) -> Head:
    end = sections[0].start if sections and sections[0].start > 0 else HEAD_UNMARKED
    end = min(end, len(doc.text), HEAD_CHARS)
    last = doc.index_at(max(0, end - 1)) if doc.lines and end > 0 else -1
    lines = [i for i in range(last + 1) if doc.lines[i].text.strip()]
    if lines and doc.starts[lines[-1]] + len(doc.lines[lines[-1]].text) > end:
        lines.pop()  # the line of the first heading (a one-line page)
    return Head(end, lines)


def find_title(doc: Doc, head: Head, hints: list[str]) -> Title | None:
    return (_title_block(doc, head.lines, True) or _title_inline(doc, head.end)
            or _title_hinted(hints, True) or _title_block(doc, head.lines, False)
            or _title_hinted(hints, False))


# --- cover, signature, dates ----------------------------------------------------------------


def _date_line(text: str) -> re.Match[str] | None:
    """A DATE that is the whole line (in brackets or not)."""
    match = _patterns().date.search(text)
    if match is None:
        return None
    rest = text[: match.start()] + text[match.end() :]
    return match if len(rest.strip(" ()")) <= 4 else None


def _cover(doc: Doc, head: Head, title: Title | None) -> tuple[str | None, str | None]:
    """The agency and date lines right under the title on a cover page (before section 一)."""
    if title is None or title.last is None:
        return None, None
    agency = date = None
    for index in [i for i in head.lines if i > title.last][:3]:
        if len(doc.lines[index].text) > PIECE_CHARS:
            break  # the preamble
        text = clean(doc.lines[index].text)
        match = _date_line(doc.lines[index].text)
        if match is not None:
            date = date or date_of(match.group(0))
        elif agency is None and len(text) <= 40 and _NAME.fullmatch(text):
            agency = text
        else:
            break
    return agency, date


def find_signature(doc: Doc, sections: list[Section]) -> tuple[str | None, str | None]:
    """The signature: the last date standing alone on a line after the last section's
    heading (or in the last lines), and the name on the line above it."""
    if not doc.lines:
        return None, None
    start = sections[-1].start if sections else max(0, len(doc.text) - 400)
    first = doc.index_at(start)
    last = None
    for match in _patterns().date.finditer(doc.text, start):
        index = doc.index_at(match.start())
        if _date_line(doc.lines[index].text) is not None:
            last = index
    if last is None:
        return None, None
    match = _date_line(doc.lines[last].text)
    above = next((clean(doc.lines[i].text) for i in range(last - 1, first - 1, -1)
                  if doc.lines[i].text.strip()), "")
    name = above if len(above) <= 40 and _NAME.fullmatch(above) else None
    return name, date_of(match.group(0)) if match else None


def fuller_agency(doc: Doc, agency: str | None) -> str | None:
    """The agency "as fully as the document names it": a longer name ending with it in the
    last lines (a signature) or in a 《…年度报告》 citation (seeds 001, 003)."""
    if not agency:
        return agency
    candidates = []
    for line in doc.lines[-15:]:
        text = line.text.strip()
        if text.endswith(agency) and len(text) <= 40 and _NAME.fullmatch(text):
            candidates.append(text)
    pat = _patterns()
    for match in islice(_QUOTED.finditer(doc.text), MAX_CITED):
        # 《条例》 and its kind, most of what is quoted, have no fixed name: skip them cheaply.
        if pat.name.search(match.group(1)) is None:
            continue
        quoted = clean(match.group(1))
        cited = take_apart(quoted) if pat.title.fullmatch(quoted) else None
        if cited is not None and cited.agency and cited.agency.endswith(agency):
            candidates.append(cited.agency)
    best = agency
    for name in candidates:
        if len(best) < len(name) <= len(agency) + 12:
            best = name
    return best


def period_year(doc: Doc) -> int | None:
    """The year of the statistics period's first day."""
    pat = _patterns()
    match = pat.period.search(doc.text)
    # The sentence may wrap anywhere ("统计期限自2019" / "年1月1日起…").
    return _year_of(pat.year.search(_SPACE.sub("", match.group(0)))) if match else None


def find_metadata(doc: Doc, sections: list[Section], source: SourceText | None = None) -> Metadata:
    """``source`` gives the page's own fields (HTML title, ArticleTitle, PubDate)."""
    hints = [h for h in (source.meta_title, source.title_hint) if h] if source else []
    head = find_head(doc, sections)
    title = find_title(doc, head, hints)
    meta = Metadata()
    if title is not None:
        meta.title, meta.title_line, meta.year = title.text, title.line, title.year
    cover_agency, cover_date = _cover(doc, head, title)
    signer, signed = find_signature(doc, sections)
    agency = (title.agency if title else None) or cover_agency or signer
    meta.agency = fuller_agency(doc, agency)
    if meta.year is None:
        meta.year = period_year(doc)
    meta.published = signed or cover_date or hint_date(source.published_hint if source else None)
    return meta
