"""Where a report's parts stand: the three tables found by what they hold, the narrative
parts by their wording.

A table is found by its own words, wherever it is printed (under the template's heading,
under another wording, in an appendix after a narrative numbered its own way, behind a
caption): 三 by its row labels in the template's order, 四 by 行政复议/行政诉讼 and its
column words, 二 by its 第二十条 captions and column words.  The words are the table
grammars' own terminals.  Headings and captions (``grammars/document.lark``) are hints: one
standing right above a table is where its region starts.  A region ends at the first heading,
caption or numbered line after the table's last word, so narrative after a table is never
read as its cells.  Where a table's words are missing, the template heading alone still
marks its section, as it always did.  一, 五 and 六 are found by their wording, whatever
their number, and end where the next part starts.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import NamedTuple

from govreport_lark.locate.outline import SECTION_KEYS, Doc, Section
from govreport_lark.locate.words import by_first_char, label_words, word_name
from govreport_lark.normalise import CJK
from govreport_lark.spec import parser, row_labels, terminals
from govreport_lark.spec.first_chars import guarded

# The section each heading wording names (terminals of document.lark).
_HEADS = {
    "HEAD_OVERVIEW": "一",
    "HEAD_ACTIVE": "二",
    "HEAD_APPLICATIONS": "三",
    "HEAD_REVIEW": "四",
    "HEAD_PROBLEMS": "五",
    "HEAD_OTHER": "六",
}
CAPTION = "caption"
ORDINAL = "ordinal"
NARRATIVE_KEYS = ("一", "五", "六")


@dataclass(frozen=True)
class Evidence:
    """Which terminals of a table grammar tell its table, and how much of them makes one."""

    key: str  # 二 / 三 / 四
    grammar: str
    ordered: bool  # counted as the longest run in the terminals' (the template's) order
    least: int  # fewest distinct words that make a table
    gap: int  # the widest stretch of text between two words of one table
    needs: str = ""  # a terminal name prefix one of the words must have: what prose never says
    # The header's words stand side by side, and the table starts at the first two that do:
    # a sentence names them with numbers between ("…被申请行政复议26件，其中结果维持…").
    dense: bool = False
    # Its rows are numbered like headings ("一、本年新收…", "三、本年度办理结果", a stub cut
    # over rows "三、本年" / "度办理结"), so a numbered line neither splits nor ends it.
    numbered_rows: bool = False


EVIDENCE = (
    # 二: a 第二十条 caption and one more caption or header word; its row labels (行政许可,
    # 行政处罚 …) are everyday words of a narrative, so they are no evidence.
    Evidence("二", "active_disclosure", ordered=False, least=2, gap=800, needs="CAPTION_"),
    # 三: three row labels in the template's order; a page break with its header and
    # footer may stand between two rows.
    Evidence("三", "applications", ordered=True, least=3, gap=800, numbered_rows=True),
    # 四: three of its header words, two of them side by side: an overview may name the
    # year's cases with the same words, "行政复议351件，其中结果维持72件，结果纠正64件…"
    # (real 007).
    Evidence("四", "review_litigation", ordered=False, least=3, gap=400, dense=True),
)


@dataclass(frozen=True)
class Mark:
    """A heading, caption or numbered line: where a part may start or end."""

    start: int
    end: int
    kind: str  # the section key its wording names, CAPTION or ORDINAL
    text: str
    at_line_start: bool


class Word(NamedTuple):
    """A table's word found in the text: its span and its terminal's name (a named tuple:
    a report has hundreds, made in one pass)."""

    start: int
    end: int
    name: str


@dataclass(frozen=True)
class Cluster:
    """The words of one table: where the table starts, where its last word ends, and how
    many words tell it."""

    first: int
    last: int
    score: int


# --- headings and captions -----------------------------------------------------------


@cache
def _applications_header() -> re.Pattern[str]:
    return re.compile(terminals("document")["APPLICATIONS_HEADER"])


@cache
def _heading_patterns() -> tuple[re.Pattern[str], ...]:
    """(lead, wording, ordinal-led wording anywhere, the text's start and a line break and
    the line's start after it, where either may stand)."""
    terms = terminals("document")
    lead = f"(?P<ORDINAL>{terms['ORDINAL']})|(?P<CAPTION>{terms['CAPTION']})"
    wording = "|".join(f"(?P<{name}>{terms[name]})" for name in _HEADS)
    anywhere = f"(?:{terms['ORDINAL']})[ \t]*(?:{wording})"
    either = "|".join(f"(?:{terms[name]})" for name in ("ORDINAL", "CAPTION", *_HEADS))
    start = f"[ \t\u3000]*(?={guarded(either)})"
    # The line starts after a line break: a pattern that starts with the break lets the
    # engine look for breaks only (a ^ of MULTILINE is tried at every character).
    return (re.compile(lead), re.compile(wording), re.compile(guarded(anywhere)),
            re.compile(start), re.compile("\n" + start))


_SPACE = re.compile(r"[ \t\u3000]*")
# A line of 400 characters or more after a line break (found as ``line_re`` is).
_LONG_LINE = re.compile(r"\n([^\n]{400,})")
_CJK = re.compile(f"[{CJK}]")
# After a heading wording without a number, nothing but punctuation: a sentence starting
# with the same words ("主动公开政府信息情况如下…") is no heading.
_HEADING_TAIL = re.compile(r"[ \t\u3000:.。]*$", re.M)


def find_marks(doc: Doc) -> list[Mark]:
    """Headings, captions and numbered lines, in text order."""
    lead_re, wording_re, anywhere_re, start_re, line_re = _heading_patterns()
    text = doc.text
    found: dict[int, Mark] = {}
    first = start_re.match(text)
    starts = [first.end()] if first else []
    starts += [m.end() for m in line_re.finditer(text)]
    for pos in starts:
        lead = lead_re.match(text, pos)
        after = _SPACE.match(text, lead.end()).end() if lead else pos
        wording = wording_re.match(text, after)
        if wording and (lead or _HEADING_TAIL.match(text, wording.end())):
            kind = _HEADS[wording.lastgroup or ""]
            end = wording.end()
        elif lead and (lead.lastgroup == "CAPTION" or _CJK.match(text, after)):
            kind, end = (CAPTION if lead.lastgroup == "CAPTION" else ORDINAL), lead.end()
        else:
            continue  # no mark, or a number alone on its line ("三、" cut from its stub)
        found[pos] = Mark(pos, end, kind, text[pos:end], True)
    # A numbered heading inside a line: crawled pages that hold the whole report in one
    # (a heading does not stand inside a paragraph of a page that keeps its lines).
    first_end = text.find("\n")
    if first_end < 0:
        first_end = len(text)
    spans = [(0, first_end)] if first_end >= 400 else []
    spans += [m.span(1) for m in _LONG_LINE.finditer(text)]
    for start, end in spans:
        for match in anywhere_re.finditer(text, start, end):
            if match.start() not in found:
                kind = next(_HEADS[n] for n, v in match.groupdict().items() if v and n in _HEADS)
                found[match.start()] = Mark(match.start(), match.end(), kind, match.group(0),
                                            False)
    return sorted(found.values(), key=lambda m: m.start)


@dataclass
class _Bounds:
    """The marks that can stand above a part or end it."""

    marks: list[Mark]
    starts: list[int]
    ends: list[int]

    @classmethod
    def of(cls, marks: list[Mark]) -> _Bounds:
        return cls(marks, [m.start for m in marks], [m.end for m in marks])

    def before(self, pos: int) -> list[Mark]:
        """The last two marks that end by ``pos``."""
        i = bisect.bisect_right(self.ends, pos)
        return self.marks[max(0, i - 2) : i]

    def next_start(self, pos: int, default: int) -> int:
        """Where the first mark at or after ``pos`` starts."""
        i = bisect.bisect_left(self.starts, pos)
        return self.starts[i] if i < len(self.starts) else default


# --- the tables' words -----------------------------------------------------------------


@cache
def _rank(grammar: str) -> dict[str, int]:
    """The words that tell a grammar's table, in the grammar's order: the 三 table's row
    labels, the 二 table's captions and header words, the 四 table's header words but 总计,
    which heads the 三 table's last column too."""
    if grammar == "applications":
        return {name: i for i, name in enumerate(row_labels(grammar).groupindex)}
    lark = parser(grammar)
    ignored = set(lark.lexer_conf.ignore)
    names = [t.name for t in lark.terminals if t.priority >= 3 and t.name not in ignored
             and t.name != "TOTAL"
             and (grammar != "active_disclosure"
                  or t.name.startswith(("CAPTION_", "COL_")) or t.name == "INFO_CONTENT")]
    return {name: i for i, name in enumerate(names)}


@cache
def _header_words() -> re.Pattern[str]:
    """The words of the 二 and 四 tables as one pattern: one pass over a report finds both,
    at each position trying only the words that can start there (``words.by_first_char``)."""
    found = [(t.name, t.pattern.to_regexp())
             for grammar in ("active_disclosure", "review_litigation")
             for t in parser(grammar).terminals if t.name in _rank(grammar)]
    grouped = by_first_char(found)
    if grouped is None:
        raise ValueError("a header word does not start with a plain class of characters")
    return re.compile(grouped)


def _scan(pattern: re.Pattern[str], text: str, low: int = 0, high: int | None = None
          ) -> list[Word]:
    return [Word(m.start(), m.end(), word_name(m))
            for m in pattern.finditer(text, low, len(text) if high is None else high)]


_BREAK_IN_WORD = re.compile(f"(?<=[{CJK}])\n+(?=[{CJK}])")


def _joined_scan(pattern: re.Pattern[str], text: str) -> list[Word]:
    """``_scan`` with line breaks inside words taken out (a text layer breaks narrow header
    cells: "行政复" / "议"), the spans given back in ``text``."""
    pieces, removed, last, kept = [], [], 0, 0
    for match in _BREAK_IN_WORD.finditer(text):
        pieces.append(text[last : match.start()])
        kept += match.start() - last
        removed.extend([kept] * (match.end() - match.start()))
        last = match.end()
    pieces.append(text[last:])
    return [Word(w.start + bisect.bisect_right(removed, w.start),
                 w.end + bisect.bisect_right(removed, w.end - 1), w.name)
            for w in _scan(pattern, "".join(pieces))]


# --- finding a table -------------------------------------------------------------------

# Between two header words of one table: white space and empty cells only.
_BETWEEN_WORDS = re.compile(r"[\s∅]*")
_NUMBER = re.compile(r"\d+")


def _longest_run(ranks: list[int]) -> int:
    """Length of the longest strictly increasing run (not necessarily adjacent)."""
    tails: list[int] = []
    for r in ranks:
        i = bisect.bisect_left(tails, r)
        if i == len(tails):
            tails.append(r)
        else:
            tails[i] = r
    return len(tails)


def find_tables(doc: Doc, evidence: Evidence, words: list[Word], marks: list[Mark],
                bounds: _Bounds) -> list[Cluster]:
    """The stretches of text whose ``words`` tell a table, in text order: words close
    together with no heading or numbered line between them, enough of them."""
    text = doc.text
    rank = _rank(evidence.grammar)
    # A heading's own words ("四、政府信息公开行政复议、行政诉讼情况") are no table's.
    covered = [(m.start, m.end) for m in marks if m.kind != ORDINAL]
    cover_starts = [a for a, _ in covered]
    found: list[Cluster] = []
    run: list[Word] = []

    def close() -> None:
        counted = [w for w in run if w.name in rank]
        if not any(w.name.startswith(evidence.needs) for w in counted):
            return
        if evidence.ordered:
            score = _longest_run([rank[w.name] for w in counted])
        else:
            score = len({w.name for w in counted})
        if score < evidence.least:
            return
        first = run[0].start
        if evidence.dense:
            side_by_side = (a.start for a, b in zip(run, run[1:])
                            if _BETWEEN_WORDS.fullmatch(text, a.end, b.start))
            first = next(side_by_side, -1)
            if first < 0:
                return
        found.append(Cluster(first, run[-1].end, score))

    for word in words:
        if word.name not in rank:
            continue
        i = bisect.bisect_right(cover_starts, word.start) - 1
        if i >= 0 and covered[i][0] <= word.start < covered[i][1]:
            continue
        if run:
            last = run[-1].end
            if (word.start - last > evidence.gap and _wide(text, last, word.start, evidence.gap)
                    or bounds.next_start(last, word.start) < word.start):
                close()
                run = []
        run.append(word)
    if run:
        close()
    return found


@dataclass
class _Place:
    key: str
    start: int
    body_start: int
    heading: str
    after: int  # where the search for the region's end begins
    bounds: _Bounds
    headed: bool = False  # found right under its own heading or a caption


_CELL_TEXT = re.compile(r"[\d\s∅,.]+")


def _wide(text: str, start: int, end: int, gap: int) -> bool:
    """Whether more than ``gap`` characters other than digits and white space stand between
    two words: a row's run of thousands of digits does not cut its table in two."""
    return len(_CELL_TEXT.sub("", text[start:end])) > gap


def _line_start(text: str, pos: int) -> int:
    """The start of ``pos``'s line when only empty cells stand before it there (a grid row
    that starts with blank stub cells), else ``pos``.  Looked for a short way back only: a
    long page on one line holds many candidate tables."""
    start = text.rfind("\n", max(0, pos - 200), pos) + 1
    if start == 0 and pos > 200:
        return pos
    return start if _BETWEEN_WORDS.fullmatch(text, start, pos) else pos


def _place_table(doc: Doc, evidence: Evidence, cluster: Cluster, bounds: _Bounds) -> _Place:
    """A found table's region: the grammar reads from the table itself (the 三 table's
    header above its first row), and the section starts at the table's own heading or
    caption right above it, if there is one."""
    text = doc.text
    before = bounds.before(cluster.first)
    table = cluster.first
    if evidence.key == "三":
        header = _applications_header()
        low = max(before[-1].end if before else 0, cluster.first - 1500)
        found = header.search(text, low, cluster.first)
        if found:
            table = found.start()
    table = _line_start(text, table)
    adopted: list[Mark] = []
    if before and before[-1].kind in (evidence.key, CAPTION):
        adopted.append(before[-1])
        # A caption under the table's own heading: "二、主动公开政府信息情况" / "表1: …".
        if len(before) > 1 and before[-1].kind == CAPTION and before[-2].kind == evidence.key:
            adopted.insert(0, before[-2])
    if adopted:
        first = adopted[0]
        return _Place(evidence.key, first.start, table, first.text, cluster.last, bounds,
                      headed=True)
    return _Place(evidence.key, table, table, "", cluster.last, bounds)


def _find_table(doc: Doc, evidence: Evidence, marks: list[Mark],
                words: Callable[[bool], list[Word]]) -> _Place | None:
    """The table's region, from its words (``words(False)``, and where they do not tell
    the table, a wider reading ``words(True)``), else from its heading alone."""
    bounds = _Bounds.of([m for m in marks if not (evidence.numbered_rows and m.kind == ORDINAL)])
    clusters = find_tables(doc, evidence, words(False), marks, bounds)
    if not clusters:
        clusters = find_tables(doc, evidence, words(True), marks, bounds)
    found = [(_place_table(doc, evidence, c, bounds), c) for c in clusters]
    if found:
        # A table under its own heading or a caption before one that is not; then the one
        # with most words; then the first.
        return max(found, key=lambda f: (f[0].headed, f[1].score, -f[1].first))[0]
    return _under_headings(doc, evidence, bounds)


def _under_headings(doc: Doc, evidence: Evidence, bounds: _Bounds) -> _Place | None:
    """Where no table words are found, the table's heading alone marks the section (a table
    reduced to a sentence, seed 001; headings over no tables at all, template.md §5.2; header
    words broken over the lines of a text layer).  Its grammar reads from the last of the
    heading and the captions that follow it ("四、…" / "表 3" / "政府信息公开…情况统计表") to the
    next part; of several such headings, the one over the most numbers."""
    text, marks = doc.text, bounds.marks
    best: tuple[int, _Place] | None = None
    i = 0
    while i < len(marks):
        j = i
        while j < len(marks) and marks[j].kind in (CAPTION, evidence.key):
            j += 1
        chain = marks[i:j]
        if any(m.kind == evidence.key for m in chain):
            first, last = chain[0], chain[-1]
            end = marks[j].start if j < len(marks) else len(text)
            numbers = sum(1 for _ in _NUMBER.finditer(text, last.end, end))
            if best is None or numbers > best[0]:
                heading = next(m.text for m in chain if m.kind == evidence.key)
                best = (numbers, _Place(evidence.key, first.start, last.end, heading, last.end,
                                        bounds))
        i = max(j, i + 1)
    return best[1] if best else None


# --- the sections ----------------------------------------------------------------------


def _first_mark(marks: list[Mark], kind: str, outside: list[tuple[int, int]]) -> Mark | None:
    """The first heading of a kind, at a line start if any is, outside the tables."""
    candidates = [m for m in marks if m.kind == kind
                  and not any(a <= m.start < b for a, b in outside)]
    at_start = [m for m in candidates if m.at_line_start]
    return (at_start or candidates or [None])[0]


def find_sections(doc: Doc) -> list[Section]:
    """The report's sections in the template's order (一 … 六, as many as were found): the
    tables 二–四 wherever they stand, and the narrative parts 一, 五 and 六."""
    text = doc.text
    marks = find_marks(doc)
    # 二 and 四: their words in one pass; read across line breaks where that is not enough.
    header = cache(lambda joined: (_joined_scan if joined else _scan)(_header_words(), text))
    found: dict[str, _Place | None] = {}
    for key in ("二", "四"):
        evidence = next(e for e in EVIDENCE if e.key == key)
        found[key] = _find_table(doc, evidence, marks, header)
    # The 三 table stands between the other two (their order is the template's), so most of
    # a report, its narrative, is searched for its many labels only where it is not there.
    before, after = found["二"], found["四"]
    low = before.after if before else 0
    high = after.start if after and after.start > low else len(text)
    scan = cache(lambda a, b: _scan(label_words("applications"), text, a, b))
    found["三"] = _find_table(doc, EVIDENCE[1], marks,
                             lambda whole: scan(0, len(text)) if whole else scan(low, high))
    places = [p for p in found.values() if p is not None]
    starts = sorted(p.start for p in places)

    def end(place: _Place, limits: list[int]) -> int:
        """Where the next part starts, or the next mark after the place's last word.  Two
        tables under one caption ("表1" over 二 and 三) share a start: the first then ends
        where the second's own rows begin."""
        later = [s for s in limits if s > place.start]
        later += [q.body_start for q in places if q.body_start > place.body_start]
        return min([place.bounds.next_start(place.after, len(text)), *later])

    sections = [Section(p.key, p.heading, p.start, p.body_start, end(p, starts))
                for p in places]
    tables = [(s.start, s.end) for s in sections]
    # Narrative parts end where a table, another part or a caption starts: not at their own
    # numbered sub-headings (Shanghai's 二、工作机制保障 … stay in the overview).
    parts = _Bounds.of([m for m in marks if m.kind == CAPTION])
    narrative = []
    for key in NARRATIVE_KEYS:
        mark = _first_mark(marks, key, tables)
        if mark is not None:
            narrative.append(_Place(key, mark.start, mark.end, mark.text, mark.end, parts))
    starts = sorted([*starts, *(p.start for p in narrative)])
    sections += [Section(p.key, p.heading, p.start, p.body_start, end(p, starts))
                 for p in narrative]
    return sorted(sections, key=lambda s: SECTION_KEYS.index(s.key))
