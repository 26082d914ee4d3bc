"""From cell tokens to ``Cell`` values: numbers, money in 万元, placeholders, blanks."""

from __future__ import annotations

import re
from functools import cache, lru_cache
from typing import NamedTuple

from lark import Token

from govreport_lark.locate.feed import Feed
from govreport_lark.model import Cell, Number

_MONEY = re.compile(r"^([+-]?\d+(?:\.\d+)?)\s*(万元|元)$")


class Tok(NamedTuple):
    """A cell token with its kind, text and position in the feed (a named tuple: a report
    makes hundreds, and a frozen dataclass costs twice the time to make)."""

    kind: str  # NUMBER | MONEY | PLACEHOLDER | BLANK | SPLIT (a part of a run of digits)
    text: str
    pos: int

    @property
    def is_value(self) -> bool:
        return self.kind != "BLANK"

    @classmethod
    def run(cls, token: Token) -> list[Tok]:
        """The cells of a CELLS token, each with its kind and place in the feed."""
        start = token.start_pos or 0
        text = str(token)
        words = text.split()
        if not all(word.isdecimal() for word in words):
            return cls.read(text, start)
        # Whole numbers between white space, as most rows print: each word is a NUMBER
        # (what ``read`` finds too, without a match object a cell).
        out, at = [], 0
        for word in words:
            at = text.index(word, at)
            out.append(cls("NUMBER", word, start + at))
            at += len(word)
        return out

    @classmethod
    def read(cls, text: str, start: int = 0) -> list[Tok]:
        """The cells of ``text`` by the kinds of grammars/cells.lark."""
        return [cls(m.lastgroup or "", m.group(), start + m.start())
                for m in _cell_kinds().finditer(text)]


@cache
def _cell_kinds() -> re.Pattern[str]:
    """One pattern, a named group per kind of cell, in Lark's order (grammars/cells.lark)."""
    from govreport_lark.spec import parser

    kinds = sorted((t for t in parser("cells").terminals if t.name != "WS"),
                   key=lambda t: -t.priority)
    return re.compile("|".join(f"(?P<{t.name}>{t.pattern.to_regexp()})" for t in kinds))


# No count or amount in 万元 comes near this; past it a float is no longer exact, and a run
# of hundreds of digits would overflow to Infinity, which is not JSON.
MAX_VALUE = 10**15


def _in_range(value: Number) -> Number | None:
    return value if abs(value) < MAX_VALUE else None


@lru_cache(maxsize=4096)  # the arithmetic asks for the same few texts many times a row
def number(text: str) -> Number | None:
    """The value of a printed number; None when it is out of range (validate reports it)."""
    text = text.replace(",", "").lstrip("+")
    try:
        return _in_range(float(text) if "." in text else int(text))
    except ValueError:
        return None


def money_wan_yuan(text: str) -> float | None:
    """Money in 万元: "2042147.00元" → 204.2147, "88.19万元" → 88.19, "0" → 0.0."""
    match = _MONEY.match(text.strip())
    if match:
        amount, unit = _in_range(float(match.group(1))), match.group(2)
        if amount is None:
            return None
        return round(amount / 10000, 6) if unit == "元" else amount
    value = number(text)
    return None if value is None else float(value)


def to_cell(tok: Tok | None, feed: Feed, *, money: bool = False) -> Cell:
    if tok is None:
        return Cell()
    return _cell(tok, *feed.where(tok.pos), money)


def to_cells(toks: list[Tok | None], feed: Feed) -> list[Cell]:
    """``to_cell`` of each of a row's tokens.  When the first and the last printed cell
    stand on one input line, so does every cell between: the line is looked up twice,
    not once a cell."""
    placed = [tok.pos for tok in toks if tok is not None]
    if not placed:
        return [Cell() for _ in toks]
    first, last = feed.line(min(placed)), feed.line(max(placed))
    if first is None or first is not last:
        return [to_cell(tok, feed) for tok in toks]
    src, page = first.src, first.page
    return [Cell() if tok is None else _cell(tok, src, page, False) for tok in toks]


def _cell(tok: Tok, src: int | None, page: int | None, money: bool) -> Cell:
    kind, text = tok.kind, tok.text
    if kind == "NUMBER" or kind == "SPLIT":
        return Cell(money_wan_yuan(text) if money else number(text), text, src, page)
    if kind == "BLANK":
        return Cell(None, None, src, page)
    if kind == "PLACEHOLDER":
        return Cell(None, text, src, page)
    if money:
        return Cell(money_wan_yuan(text), text, src, page)
    # An amount where a count belongs: kept as text, validate says so.
    return Cell(None, text, src, page)
