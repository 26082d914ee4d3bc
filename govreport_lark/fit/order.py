"""The column order a table's header prints, where the table is free text.

A grid's rows are put in the template's order by their header cells before they are parsed
(``locate/grids.py``).  Free text keeps no cells, only the header's words in reading order:
where they name every column of the table once, in another order than the template's, each
row's values are read in that order.  Where the words are too few or broken ("商业企" /
"业"), the template's order stands, as it did; where they say the order differs but cannot
say how, the table is unreadable and its cells are null.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from lark import Token

from govreport_lark.locate.feed import Feed
from govreport_lark.locate.words import by_first_char, word_name
from govreport_lark.model import APPLICANT_COLUMNS, REVIEW_FIELDS, REVIEW_GROUPS
from govreport_lark.spec import terminals


@dataclass(frozen=True)
class Order:
    """``perm[i]``: the printed place of the template's cell i; ``words``: the header's
    column names as printed, for a diagnostic."""

    perm: tuple[int, ...] | None = None
    unreadable: bool = False
    words: str = ""
    why: str = ""  # what makes the order unreadable, for the diagnostic

    def place(self, printed: list) -> list:
        """A row's printed cells in the template's order."""
        return printed if self.perm is None else [printed[p] for p in self.perm]


KEEP = Order()

# --------------------------------------------------------------------------- section 三

_APP_KEY = {
    "APP_NATURAL_PERSON": "natural_person", "APP_COMMERCIAL": "commercial",
    "APP_RESEARCH": "research", "APP_SOCIAL_WELFARE": "social_welfare",
    "APP_LEGAL_SERVICE": "legal_service", "OTHER": "other_org", "TOTAL": "total",
    "APP_ORGS": "orgs", "APP_APPLICANTS": "applicants",
}
_ORG_COLUMNS = frozenset(APPLICANT_COLUMNS[1:6])
# Between two header words: spaces, a page number, a unit gloss.
_FILLER = re.compile(r"(?:\s|-\s*\d{1,3}\s*-|\(\s*单位\s*:?\s*件\s*\))*")


@cache
def _app_words() -> re.Pattern[str]:
    words = terminals("columns")
    # 法人或其他组织 before 其他: the longer word where both start.
    names = ["APP_ORGS", *[n for n in _APP_KEY if n != "APP_ORGS"]]
    grouped = by_first_char([(n, words[n]) for n in names])  # the same matches, tried faster
    return re.compile(grouped or "|".join(f"(?P<{n}>{words[n]})" for n in names))


def applications_order(feed: Feed, first_label: int | None) -> Order:
    """The order of 三's seven columns printed by the header words just above its first row
    (those separated from the row by nothing but spaces, page numbers and a unit gloss)."""
    if first_label is None or _in_grid(feed, first_label):
        return KEEP
    text = feed.text
    found = list(_app_words().finditer(text, max(0, first_label - 400), first_label))
    run: list[re.Match[str]] = []
    end = first_label
    for match in reversed(found):
        if not _FILLER.fullmatch(text, match.end(), end):
            break
        run.append(match)
        end = match.start()
    run.reverse()
    if not run or any(_in_grid(feed, m.start()) for m in run):
        return KEEP
    words = [(_APP_KEY[word_name(m)], _line_at(feed, m.start())) for m in run]
    words = [(k, line) for k, line in words if k != "applicants"]
    leaves = _applicant_leaves(words)
    if leaves is None:
        return KEEP
    perm = tuple(leaves.index(k) for k in APPLICANT_COLUMNS)
    printed = " ".join(m.group() for m in run if word_name(m) != "APP_APPLICANTS")
    return Order(perm if perm != tuple(range(7)) else None, words=printed)


def _applicant_leaves(words: list[tuple[str, int]]) -> list[str] | None:
    """The seven columns in printed order; None where the words do not tell it.

    自然人 and 总计 span both header rows, and a text layer puts such a word on either line
    ("总计" above, "自然人 法人或其他组织" below, in a seed written from the template).  So
    the order of two words counts only where they share a line (or where every line holds
    one word, a cell a line): 自然人 or 总计 beside 法人或其他组织 or beside its five
    sub-columns stands before or after that block.
    """
    keys = [k for k, _ in words]
    one_per_line = len({line for _, line in words}) == len(words)
    if "orgs" not in keys:  # one header row of seven
        same_line = len({line for _, line in words}) == 1
        if sorted(keys) == sorted(APPLICANT_COLUMNS) and (same_line or one_per_line):
            return keys
        return None
    subs = [k for k in keys if k in _ORG_COLUMNS]
    if keys.count("orgs") != 1 or sorted(subs) != sorted(_ORG_COLUMNS):
        return None
    block_lines = {line for k, line in words if k == "orgs" or k in _ORG_COLUMNS}
    # Where each of 自然人 and 总计 stands against the block: -1 before, +1 after.
    side: dict[str, int] = {}
    for key in ("natural_person", "total"):
        places = [i for i, k in enumerate(keys) if k == key]
        if len(places) != 1:
            return None
        i, line = places[0], words[places[0]][1]
        block = [j for j, (k, ln) in enumerate(words)
                 if (k == "orgs" or k in _ORG_COLUMNS) and (ln == line or one_per_line)]
        if not block or (line not in block_lines and not one_per_line):
            continue
        if one_per_line:  # the block's place is its caption's, 法人或其他组织
            block = [keys.index("orgs")]
        side[key] = -1 if i < min(block) else 1 if i > max(block) else 0
    if 0 in side.values():
        return None
    natural, total = side.get("natural_person"), side.get("total")
    if natural is None or total is None:
        # Half told: the template's order, unless what is told says otherwise.
        if natural in (None, -1) and total in (None, 1):
            return [*APPLICANT_COLUMNS]
        return None
    if natural == total:  # both before or both after: their own order, read on one line
        a, b = (words[keys.index(k)] for k in ("natural_person", "total"))
        if a[1] != b[1] and not one_per_line:
            return None
        pair = ["natural_person", "total"] if keys.index("natural_person") < keys.index(
            "total") else ["total", "natural_person"]
        return pair + subs if natural == -1 else subs + pair
    return (["natural_person", *subs, "total"] if natural == -1
            else ["total", *subs, "natural_person"])


def _in_grid(feed: Feed, pos: int) -> bool:
    line = feed.line(pos)
    return line is not None and line.grid is not None


def sums_agree(order: Order, rows: list[list[int | float]]) -> bool:
    """Whether rows read in ``order`` keep 总计 = the six applicants at least as well as
    in the template's order: a header that says otherwise than the numbers is no guide."""
    def holds(row: list[int | float]) -> bool:
        return abs(sum(row[:6]) - row[6]) < 1e-9

    template_ok = all(holds(r) for r in rows)
    ordered_ok = all(holds(order.place(r)) for r in rows)
    return ordered_ok or not template_ok


# --------------------------------------------------------------------------- section 四

_RESULT_KEY = {"MAINTAINED": "maintained", "CORRECTED": "corrected", "OTHER_RESULT": "other",
               "PENDING": "pending", "TOTAL": "total"}
_GROUP_WORDS = ("REVIEW", "LITIGATION", "LITIGATION_DIRECT", "LITIGATION_AFTER_REVIEW")
REVIEW_COLUMNS = tuple((g, f) for g in REVIEW_GROUPS for f in REVIEW_FIELDS)


def review_order(heading: list[Token], feed: Feed, first_cell: int | None) -> Order:
    """The order of 四's fifteen columns printed by one header of the whole table.

    Read as text the header is 行政复议 行政诉讼 / the review's five results, 未经复议直接起诉,
    复议后起诉 / ten results: the first five results are the review's, the next the first
    litigation group's.  Which group stands first is read only where 行政复议 and 行政诉讼
    share a line, or every word has a line of its own: a text layer may put the taller
    行政复议 cell on a line of its own."""
    if (first_cell is not None and _in_grid(feed, first_cell)) or not heading:
        return KEEP
    types = [t.type for t in heading]
    results = [_RESULT_KEY[t.type] for t in heading if t.type in _RESULT_KEY]
    if "FIELD_PART" in types or len(results) != 15 or any(
            sorted(results[i:i + 5]) != sorted(REVIEW_FIELDS) for i in (0, 5, 10)):
        return KEEP
    printed = " ".join(str(t) for t in heading)
    if any(types.count(w) != 1 for w in _GROUP_WORDS):
        # Results in another order under group words that do not say whose they are:
        # neither the template's order nor any other can be trusted.
        reordered = results != [*REVIEW_FIELDS] * 3
        why = "its results stand in another order under group words that do not say whose"
        return Order(None, True, printed, why) if reordered else KEEP
    subs = ["litigation_direct" if t == "LITIGATION_DIRECT" else "litigation_after_review"
            for t in types if t in ("LITIGATION_DIRECT", "LITIGATION_AFTER_REVIEW")]
    chunks = {"review": results[0:5], subs[0]: results[5:10], subs[1]: results[10:15]}
    review, litigation = (heading[types.index(w)] for w in ("REVIEW", "LITIGATION"))
    review_first = review.start_pos < litigation.start_pos
    if not review_first and _line_of(feed, review) != _line_of(feed, litigation) \
            and not _one_per_line(feed, heading):
        return Order(None, True, printed, "行政诉讼 stands before 行政复议 on another line, where a "
                     "text layer may have moved the taller 行政复议 cell")
    groups = ["review", *subs] if review_first else [*subs, "review"]
    leaves = [(g, f) for g in groups for f in chunks[g]]
    perm = tuple(leaves.index(k) for k in REVIEW_COLUMNS)
    return Order(perm if perm != tuple(range(15)) else None, words=printed)


def group_order(heading: list[Token], feed: Feed, first_cell: int | None) -> Order:
    """The order of one group's five results, for a 四 printed as three small tables."""
    if (first_cell is not None and _in_grid(feed, first_cell)) or not heading:
        return KEEP
    results = [_RESULT_KEY[t.type] for t in heading if t.type in _RESULT_KEY]
    if "FIELD_PART" in (t.type for t in heading) or sorted(results) != sorted(REVIEW_FIELDS):
        return KEEP
    perm = tuple(results.index(f) for f in REVIEW_FIELDS)
    return Order(perm if perm != tuple(range(5)) else None,
                 words=" ".join(str(t) for t in heading))


def _one_per_line(feed: Feed, heading: list[Token]) -> bool:
    """A cell a line: the reading order is the column order."""
    lines = [_line_of(feed, t) for t in heading]
    return len(set(lines)) == len(lines)


def _line_of(feed: Feed, token: Token) -> int:
    return _line_at(feed, token.start_pos or 0)


def _line_at(feed: Feed, pos: int) -> int:
    """The input line (not the feed's, which joins a label broken over lines)."""
    line = feed.line(pos)
    return line.src if line is not None else -1


# --------------------------------------------------------------------------- section 二

# active_disclosure.lark's column terminals and the contract's column keys.
_ACTIVE_KEY = {
    "COL_NEW_MADE": "new_made", "COL_NEW_PUBLISHED": "new_published",
    "COL_TOTAL_PUBLISHED": "total_published", "COL_PREV_YEAR_ITEMS": "prev_year_items",
    "COL_CHANGE": "change", "COL_DECISIONS_2019": "decisions", "COL_PROJECTS": "projects",
    "COL_AMOUNT": "amount_wan_yuan", "COL_ISSUED": "issued", "COL_REPEALED": "repealed",
    "COL_IN_FORCE": "in_force", "COL_DECISIONS_2021": "decisions",
    "COL_FEE_AMOUNT": "amount_wan_yuan",
}


def item_order(columns: list[Token], keys: tuple[str, ...], feed: Feed,
               first_cell: int | None) -> Order:
    """The order of a 第二十条 item's columns printed by its one-row header."""
    if len(keys) < 2 or (first_cell is not None and _in_grid(feed, first_cell)):
        return KEEP
    named = [t for t in columns if t.type != "INFO_CONTENT"]
    found = [_ACTIVE_KEY.get(t.type) for t in named]  # a HEADER_PART (broken word) is None
    if None in found or sorted(found) != sorted(keys):  # type: ignore[type-var]
        return KEEP
    perm = tuple(found.index(k) for k in keys)
    return Order(perm if perm != tuple(range(len(keys))) else None,
                 words=" ".join(str(t) for t in named))
