"""Running one table grammar over one section: tokens in, ``ParsedRow``s out, with a
diagnostic for every token the grammar could not place and every stray number."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from lark import Tree
from lark.exceptions import UnexpectedInput

from govreport_lark.grammar.driver import NOT_PLAIN, parse_plain
from govreport_lark.grammar.rows import row_parser
from govreport_lark.locate.feed import Feed
from govreport_lark.locate.words import label_words, word_name
from govreport_lark.model import Diagnostic

# A number in the table text that no cell took; dates, counts in prose ("28条", also with
# the unit wrapped to the next line as NUMBER in common.lark allows) and item ordinals are
# not cells and are not reported.
_STRAY_NUMBER = re.compile(r"(?<![\d.])[+-]?\d+(?:\.\d+)?(?![\d.]|[ \t]*[年月日号件条个起宗次人项余%]"
                           r"|[ \t]*\n[ \t]*[件条个宗次项余%])")


_DIGIT = re.compile(r"\d")  # the \d that ends every _STRAY_NUMBER
_UNCOVERED = re.compile(rb"\x00+")  # a run of positions no token covers, in Covered.mask

_GLOSS = re.compile(r"\([^()\n]{4,}\)")


@dataclass
class TableParse:
    tree: Tree | None
    feed: Feed
    diagnostics: list[Diagnostic] = field(default_factory=list)
    consumed: list[tuple[int, int]] = field(default_factory=list)
    label_starts: list[int] = field(default_factory=list)  # labels read as noise (stray)
    _covered: Covered | None = field(default=None, repr=False, compare=False)

    def covered(self) -> Covered:
        """What the table's tokens cover, made once for both stray checks."""
        if self._covered is None:
            self._covered = Covered(self.consumed, len(self.feed.text))
        return self._covered


class Covered:
    """Which positions of a text some span covers: a byte per character, so that each
    question is one look-up however many tokens a hostile table holds.  ``base``: the
    mask of spans covered already (copied, not changed)."""

    def __init__(self, spans: list[tuple[int, int]], size: int,
                 base: bytearray | None = None) -> None:
        self.mask = mask = bytearray(size) if base is None else bytearray(base)
        ones = memoryview(b"\x01" * size)  # each span's ones a view of it, not made anew
        for a, b in spans:
            if b > a:
                mask[a:b] = ones[: b - a]


def parse_table(grammar: str, section: str, feed: Feed) -> TableParse:
    result = TableParse(None, feed)

    def skip(error: UnexpectedInput) -> bool:
        token = getattr(error, "token", None)
        src, page = feed.where(getattr(token, "start_pos", 0) or 0)
        expected = sorted(getattr(error, "expected", None) or [])[:6]
        result.diagnostics.append(
            Diagnostic(
                "TABLE_PARSE_ERROR",
                "warning",
                f"section {section}: {str(token)!r} ({getattr(token, 'type', '?')}) is out of the "
                f"template's order here; it was skipped (expected one of {', '.join(expected)})",
                section=section,
                line=src,
                page=page,
                responsibility="report",
            )
        )
        return True

    lark = row_parser(grammar)
    rows = lark.options.transformer
    rows.begin()
    tree = parse_plain(lark, feed.text)
    if tree is not NOT_PLAIN:
        result.consumed = rows.consumed()
        result.tree = tree
        return result
    rows.begin()  # what the loop noted before it gave up is not the table's
    try:
        tree = lark.parse(feed.text, on_error=skip)
    except UnexpectedInput as error:
        src, page = feed.where(getattr(error, "pos_in_stream", 0) or 0)
        result.diagnostics.append(
            Diagnostic(
                "TABLE_PARSE_ERROR",
                "error",
                f"section {section}: the table could not be read ({type(error).__name__}); "
                "its values are missing from the output",
                section=section,
                line=src,
                page=page,
                responsibility="parser",
            )
        )
        return result
    result.consumed = rows.consumed()
    result.tree = tree
    return result


def stray_labels(parse: TableParse, grammar: str, section: str) -> list[Diagnostic]:
    """Labels of the grammar that stand where the template's order does not allow them:
    the contextual lexer reads them as noise, so they are looked for here."""
    if parse.tree is None:
        return []
    text = parse.feed.text
    # Glosses are skipped whole by the grammar; a label's words inside one are not a label.
    glosses = [m.span() for m in _GLOSS.finditer(text)]
    mask = Covered(glosses, len(text), parse.covered().mask).mask
    out = []
    # A label is never empty (a terminal of the grammar), so finditer's next match starts
    # where the last ended, as a search from there would.
    for found in label_words(grammar).finditer(text):
        a, b = found.span()
        if b - a < 2 or mask[a] or mask[b - 1]:  # its first or last character is covered
            continue
        name, label = word_name(found), found.group(0)
        parse.label_starts.append(a)
        src, page = parse.feed.where(a)
        out.append(Diagnostic(
            "LABEL_OUT_OF_ORDER", "warning",
            f"section {section}: the label {label!r} ({name}) stands where the template's row "
            "order does not allow it; the values after it were not read as its row",
            section=section, line=src, page=page, responsibility="report"))
    return out


def stray_numbers(parse: TableParse, section: str, start: int = 0) -> list[Diagnostic]:
    """Numbers in the table text that were neither a cell nor part of a label: the
    "no number lost" check.  ``start`` skips narrative before the first table token."""
    if parse.tree is None:
        return []
    text = parse.feed.text
    # The table starts at its first token, or at a label the grammar had to skip there.
    firsts = [min(parse.consumed)[0]] if parse.consumed else []
    firsts += parse.label_starts
    if firsts:
        start = max(start, min(firsts))
    mask = parse.covered().mask
    # A number ends in a digit: where no digit stands outside the tokens (as in nearly every
    # table), no number can be stray, and the runs of uncovered text are fewer than the
    # numbers.
    digit = _DIGIT.search
    if not any(digit(text, *gap.span()) for gap in _UNCOVERED.finditer(mask, start)):
        return []
    out = []
    for match in _STRAY_NUMBER.finditer(text, start):
        a, b = match.span()
        if mask[a] or mask[b - 1]:  # its first or last character is covered
            continue
        after = text[b : b + 1]
        if after in ".、" and text[b + 1 : b + 2] and not text[b + 1 : b + 2].isdigit():
            continue  # an item ordinal of a label the grammar skipped as noise
        before = text[max(0, a - 1) : a]
        if before and ("\u4e00" <= before <= "\u9fff") and len(match.group(0)) <= 2:
            continue  # part of a word in a header ("数据1", "第3")
        src, page = parse.feed.where(a)
        out.append(
            Diagnostic(
                "UNASSIGNED_NUMBER",
                "warning",
                f"section {section}: the number {match.group(0)} was not assigned to any cell",
                section=section,
                line=src,
                page=page,
                responsibility="parser",
                params={"number": match.group(0)},
            )
        )
    return out
