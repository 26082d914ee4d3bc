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

from .first_chars import guarded
from .grammar import parser
from .normalise import CJK
from .outline import SECTION_KEYS, Doc, Section
from .tables import row_labels

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
    # Words read across line breaks: a text layer breaks narrow header cells ("行政复" / "议").
    # Not the row labels of 三: joined to the line above, a label would follow other text.
    joined: bool = False
    # Its rows are numbered like headings ("一、本年新收…", "三、本年度办理结果", a stub cut
    # over rows "三、本年" / "度办理结"), so a numbered line neither splits nor ends it.
    numbered_rows: bool = False


EVIDENCE = (
    # 二: a 第二十条 caption and one more caption or header word; its row labels (行政许可,
    # 行政处罚 …) are everyday words of a narrative, so they are no evidence.
    Evidence("二", "active_disclosure", ordered=False, least=2, gap=800, needs="CAPTION_",
             joined=True),
    # 三: three row labels in the template's order; a page break with its header and
    # footer may stand between two rows.
    Evidence("三", "applications", ordered=True, least=3, gap=800, numbered_rows=True),
    # 四: three of its header words, two of them side by side: an overview may name the
    # year's cases with the same words, "行政复议351件，其中结果维持72件，结果纠正64件…"
    # (real 007).
    Evidence("四", "review_litigation", ordered=False, least=3, gap=400, dense=True,
             joined=True),
)


@dataclass(frozen=True)
class Mark:
    """A heading, caption or numbered line: where a part may start or end."""

    start: int
    end: int
    kind: str  # the section key its wording names, CAPTION or ORDINAL
    text: str
    at_line_start: bool


@dataclass(frozen=True)
class Cluster:
    """The words of one table: where the table starts, where its last word ends, and how
    many words tell it."""

    first: int
    last: int
    score: int


@dataclass
class _Words:
    """A table grammar's words as one pattern, a named group each, and their order."""

    pattern: re.Pattern[str]
    rank: dict[str, int]


@cache
def _document_terms() -> dict[str, str]:
    lark = parser("document")
    return {t.name: t.pattern.to_regexp() for t in lark.terminals}


@cache
def _heading_patterns() -> tuple[re.Pattern[str], ...]:
    """(lead, wording, ordinal-led wording anywhere, a line start where either may stand)."""
    terms = _document_terms()
    lead = f"(?P<ORDINAL>{terms['ORDINAL']})|(?P<CAPTION>{terms['CAPTION']})"
    wording = "|".join(f"(?P<{name}>{terms[name]})" for name in _HEADS)
    anywhere = f"(?:{terms['ORDINAL']})[ \t]*(?:{wording})"
    either = "|".join(f"(?:{terms[name]})" for name in ("ORDINAL", "CAPTION", *_HEADS))
    line = guarded(f"^[ \t\u3000]*(?={guarded(either)})", re.M)
    return (re.compile(lead), re.compile(wording), re.compile(guarded(anywhere)),
            re.compile(line, re.M))


_SPACE = re.compile(r"[ \t\u3000]*")
_NUMBER = re.compile(r"\d+")
_BREAK_IN_WORD = re.compile(f"(?<=[{CJK}])\n+(?=[{CJK}])")
# Between two header words of one table: white space and empty cells only.
_BETWEEN_WORDS = re.compile(r"[\s∅]*")
_CJK = re.compile(f"[{CJK}]")
# After a heading wording without a number, nothing but punctuation: a sentence starting
# with the same words ("主动公开政府信息情况如下…") is no heading.
_HEADING_TAIL = re.compile(r"[ \t\u3000:.。]*$", re.M)


def find_marks(doc: Doc) -> list[Mark]:
    """Headings, captions and numbered lines, in text order."""
    lead_re, wording_re, anywhere_re, line_re = _heading_patterns()
    text = doc.text
    found: dict[int, Mark] = {}
    for line in line_re.finditer(text):
        pos = line.end()
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
    # A numbered heading inside a line: crawled pages that hold the whole report in one.
    for match in anywhere_re.finditer(text):
        if match.start() not in found:
            kind = next(_HEADS[n] for n, v in match.groupdict().items() if v and n in _HEADS)
            found[match.start()] = Mark(match.start(), match.end(), kind, match.group(0), False)
    return sorted(found.values(), key=lambda m: m.start)


@cache
def _words(grammar: str) -> _Words:
    """The terminals that tell a grammar's table: the 三 table's row labels (the pattern the
    stray-label check and the grids use, compiled once for all), the 二 table's captions
    and header words, the 四 table's header words but 总计, which heads the 三 table's last
    column too."""
    if grammar == "applications":
        pattern = row_labels(grammar)
        return _Words(pattern, {name: i for i, name in enumerate(pattern.groupindex)})
    lark = parser(grammar, rows=True)
    ignored = set(lark.lexer_conf.ignore)
    named = [t for t in lark.terminals if t.priority >= 3 and t.name not in ignored
             and t.name != "TOTAL"
             and (grammar != "active_disclosure"
                  or t.name.startswith(("CAPTION_", "COL_")) or t.name == "INFO_CONTENT")]
    pattern = re.compile(guarded("|".join(f"(?P<{t.name}>{t.pattern.to_regexp()})" for t in named)))
    return _Words(pattern, {t.name: i for i, t in enumerate(named)})


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


@dataclass
class _Joined:
    """The text with line breaks inside words taken out, and the way back."""

    text: str
    removed: list[int]  # for each line break taken out, where in ``text`` it stood

    @classmethod
    def of(cls, text: str) -> _Joined:
        pieces, removed, last, kept = [], [], 0, 0
        for match in _BREAK_IN_WORD.finditer(text):
            pieces.append(text[last : match.start()])
            kept += match.start() - last
            removed.extend([kept] * (match.end() - match.start()))
            last = match.end()
        pieces.append(text[last:])
        return cls("".join(pieces), removed)

    def span(self, a: int, b: int) -> tuple[int, int]:
        """``text[a:b]`` as a span of the original text."""
        return a + bisect.bisect_right(self.removed, a), b + bisect.bisect_right(self.removed, b - 1)


def find_tables(doc: Doc, evidence: Evidence, marks: list[Mark], bounds: _Bounds,
                joined: _Joined | None = None, within: tuple[int, int] | None = None
                ) -> list[Cluster]:
    """The stretches of text (``within`` a part of it) that hold enough of a table's words,
    in text order: words close together with no heading or numbered line between them."""
    text = doc.text
    words = _words(evidence.grammar)
    # A heading's own words ("四、政府信息公开行政复议、行政诉讼情况") are no table's.
    covered = [(m.start, m.end) for m in marks if m.kind != ORDINAL]
    cover_starts = [a for a, _ in covered]
    found: list[Cluster] = []
    run: list[tuple[int, int, str]] = []

    def close() -> None:
        counted = [w for w in run if w[2] in words.rank]
        if not any(w[2].startswith(evidence.needs) for w in counted):
            return
        if evidence.ordered:
            score = _longest_run([words.rank[w[2]] for w in counted])
        else:
            score = len({w[2] for w in counted})
        if score < evidence.least:
            return
        first = run[0][0]
        if evidence.dense:
            side_by_side = (a for (a, b, _), (c, _, _) in zip(run, run[1:])
                            if _BETWEEN_WORDS.fullmatch(text, b, c))
            first = next(side_by_side, -1)
            if first < 0:
                return
        found.append(Cluster(first, run[-1][1], score))

    view = joined if evidence.joined and joined is not None else None
    low, high = within or (0, len(text))
    for match in words.pattern.finditer(view.text if view else text, low, high):
        a, b = view.span(*match.span()) if view else match.span()
        i = bisect.bisect_right(cover_starts, a) - 1
        if i >= 0 and covered[i][0] <= a < covered[i][1]:
            continue
        if run:
            last_end = run[-1][1]
            if a - last_end > evidence.gap or bounds.next_start(last_end, a) < a:
                close()
                run = []
        run.append((a, b, match.lastgroup or ""))
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


def _line_start(text: str, pos: int) -> int:
    """The start of ``pos``'s line when only empty cells stand before it there (a grid row
    that starts with blank stub cells), else ``pos``."""
    start = text.rfind("\n", 0, pos) + 1
    return start if _BETWEEN_WORDS.fullmatch(text, start, pos) else pos


def _place_table(doc: Doc, evidence: Evidence, cluster: Cluster, bounds: _Bounds) -> _Place:
    """A found table's region: the grammar reads from the table itself (the 三 table's
    header above its first row), and the section starts at the table's own heading or
    caption right above it, if there is one."""
    text = doc.text
    before = bounds.before(cluster.first)
    table = cluster.first
    if evidence.key == "三":
        header = re.compile(_document_terms()["APPLICATIONS_HEADER"])
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


def _first_mark(marks: list[Mark], kind: str, outside: list[tuple[int, int]]) -> Mark | None:
    """The first heading of a kind, at a line start if any is, outside the tables."""
    candidates = [m for m in marks if m.kind == kind
                  and not any(a <= m.start < b for a, b in outside)]
    at_start = [m for m in candidates if m.at_line_start]
    return (at_start or candidates or [None])[0]


def _find_table(doc: Doc, evidence: Evidence, marks: list[Mark],
                joined: Callable[[], _Joined], within: tuple[int, int] | None) -> _Place | None:
    bounds = _Bounds.of([m for m in marks if not (evidence.numbered_rows and m.kind == ORDINAL)])
    clusters = find_tables(doc, evidence, marks, bounds, within=within) if within else []
    if not clusters:
        clusters = find_tables(doc, evidence, marks, bounds)
    if not clusters and evidence.joined:
        clusters = find_tables(doc, evidence, marks, bounds, joined())
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
            numbers = _numbers(text, last.end, end)
            if best is None or numbers > best[0]:
                heading = next(m.text for m in chain if m.kind == evidence.key)
                best = (numbers, _Place(evidence.key, first.start, last.end, heading, last.end,
                                        bounds))
        i = max(j, i + 1)
    return best[1] if best else None


def _numbers(text: str, start: int, end: int) -> int:
    return sum(1 for _ in _NUMBER.finditer(text, start, end))


def find_sections(doc: Doc) -> list[Section]:
    """The report's sections in the template's order (一 … 六, as many as were found): the
    tables 二–四 wherever they stand, and the narrative parts 一, 五 and 六."""
    text = doc.text
    marks = find_marks(doc)
    joined = cache(lambda: _Joined.of(text))  # only where a table's words were not found
    found: dict[str, _Place | None] = {}
    for evidence in sorted(EVIDENCE, key=lambda e: e.key == "三"):
        # The 三 table stands between the other two (their order is the template's): most
        # of a report's text, its narrative, need not be searched for its many labels.
        within = None
        if evidence.key == "三" and (found["二"] or found["四"]):
            before, after = found["二"], found["四"]
            low = before.body_start if before else 0
            high = after.body_start if after and after.body_start > low else len(text)
            within = (low, high)
        found[evidence.key] = _find_table(doc, evidence, marks, joined, within)
    places = [p for p in found.values() if p is not None]
    starts = sorted(p.start for p in places)

    def end(place: _Place, limits: list[int]) -> int:
        """Where the next part starts, or the next mark after the place's last word."""
        later = [s for s in limits if s > place.start]
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
