"""From cell tokens to ``Cell`` values: numbers, money in 万元, placeholders, blanks."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from functools import cache, lru_cache
from itertools import repeat
from typing import NamedTuple

from lark import Token

from govreport_lark.locate.feed import Feed
from govreport_lark.model import Cell, Number

_MONEY = re.compile(r"^(?:([¥￥])\s*)?([+-]?[\d,]+(?:\.\d+)?)\s*(\S*元)?$")

# The units money is printed in (common.lark MONEY, a header's 单位), as a count of 万元.
# A unit not here (美元, 港元) cannot be read as 万元: its cell is left null.
UNITS_WAN = {"元": Decimal("0.0001"), "百元": Decimal("0.01"), "千元": Decimal("0.1"),
             "万元": Decimal(1), "十万元": Decimal(10), "百万元": Decimal(100),
             "千万元": Decimal(1000), "亿元": Decimal(10000)}


class Tok(NamedTuple):
    """A cell token with its kind, text and position in the feed (a named tuple: a report
    makes hundreds, and a frozen dataclass costs twice the time to make)."""

    kind: str  # NUMBER | COUNT | CN_NUMBER | MONEY | PLACEHOLDER | BLANK | SPLIT (a part of a run of digits)
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
        # The words are not empty: all are decimal exactly when they are joined.
        if words and not "".join(words).isdecimal():
            return cls.read(text, start)
        # Whole numbers between white space, as most rows print: each word is a NUMBER
        # (what ``read`` finds too, without a match object a cell), made as the tuple it
        # is, without a call through the named tuple's constructor.
        out, at = [], 0
        index, make = text.index, tuple.__new__
        for word in words:
            at = index(word, at)
            out.append(make(cls, ("NUMBER", word, start + at)))
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


# The most digits a cell in range prints (a whole number below MAX_VALUE).
MAX_DIGITS = len(str(MAX_VALUE)) - 1


def shown(text: str) -> str:
    """A printed cell as a message names it: a run of digits too long to be a value by its
    ends and its length ("11111111…11111111 (5000 digits)"), so a message stays a line."""
    if len(text) <= 4 * MAX_DIGITS:
        return text
    return f"{text[:8]}…{text[-8:]} ({sum(c.isdigit() for c in text)} digits)"


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


def count(text: str) -> Number | None:
    """The value of a count printed with its unit ("12件", "3 个") or in Chinese numerals
    ("十二", "一百零五", "一〇五")."""
    text = text.rstrip("件个 \t")
    if text and text[0] in _CN_DIGITS or text[:1] in _CN_SCALES:
        return cn_number(text)
    return number(text)


_CN_DIGITS = {c: i for i, c in enumerate("零一二三四五六七八九")} | {"〇": 0}
_CN_SCALES = {"十": 10, "百": 100, "千": 1000}


def cn_number(text: str) -> int | None:
    """A whole number in Chinese numerals: "十二" 12, "一百零五" 105, "一〇五" 105 (digit by
    digit); None when the numerals do not make one number."""
    if all(c in _CN_DIGITS for c in text):
        return int("".join(str(_CN_DIGITS[c]) for c in text)) if len(text) == 1 or text[0] not in "零〇" else None
    total, digit, last_scale, zero, zeroed = 0, None, 10_000, False, False
    for i, c in enumerate(text):
        if c in _CN_DIGITS:
            if digit is not None or (zero and _CN_DIGITS[c] == 0):
                return None  # two digits with no scale between ("三四十")
            if _CN_DIGITS[c] == 0:
                zero = True  # 零 stands for the skipped places: "一百零五"
            else:
                digit, zeroed, zero = _CN_DIGITS[c], zero, False
        elif c in _CN_SCALES:
            scale = _CN_SCALES[c]
            if scale >= last_scale or zero:
                return None
            if digit is None and not (i == 0 and c == "十"):
                return None  # a scale with no digit ("千百"); only "十二" leaves out its 一
            total += (1 if digit is None else digit) * scale
            digit, last_scale = None, scale
        else:
            return None
    if zero and digit is None:
        return None  # a 零 that stands for nothing ("十〇")
    if digit is not None and last_scale >= 100 and not zeroed:
        return None  # "一百五": 105 or 150, as people say it; not read
    return total + (digit or 0)


def money_parts(text: str) -> tuple[str, str | None] | None:
    """The number and the unit of a printed amount ("¥1,234元" → ("1234", "元"), "88.19万元"
    → ("88.19", "万元"), "0" → ("0", None)); None when it is no amount."""
    match = _MONEY.match(text.strip())
    if match is None:
        return None
    unit = match.group(3) or ("元" if match.group(1) else None)
    return match.group(2).replace(",", ""), unit


def money_wan_yuan(text: str, unit: str | None = None) -> float | None:
    """Money in 万元: "2042147.00元" → 204.2147, "88.19万元" → 88.19, "1234.567千元" → 123.4567,
    "0.82亿元" → 8200.0, "0" → 0.0; a plain number is in ``unit`` (its header's) when given.
    None when the unit cannot be read or the number is out of range."""
    parts = money_parts(text)
    if parts is None:
        return None
    amount, own = parts
    scale = UNITS_WAN.get(own or unit or "万元")
    if scale is None or number(amount) is None:
        return None
    try:
        return _in_range(float(Decimal(amount) * scale))
    except InvalidOperation:
        return None


def to_cell(tok: Tok | None, feed: Feed, *, money: bool = False, unit: str | None = None) -> Cell:
    """A cell of ``tok``; ``money``: an amount, converted to 万元, a plain number in ``unit``
    (its header's, 万元 when none), which the cell keeps with the unit it was read in."""
    if tok is None:
        return Cell()
    cell = _cell(tok, *feed.where(tok.pos), money, unit)
    if money and cell.raw is not None:
        parts = money_parts(cell.raw)
        if parts is not None:
            cell.unit = parts[1] or unit or "万元"
    return cell


def to_cells(toks: list[Tok | None], feed: Feed) -> list[Cell]:
    """``to_cell`` of each of a row's tokens.  When the first and the last printed cell
    stand on one input line, so does every cell between: the line is looked up twice,
    not once a cell."""
    placed = [tok.pos for tok in toks if tok is not None]
    if not placed:
        return [Cell() for _ in toks]
    first, last = feed.line(min(placed)), feed.line(max(placed))
    spots = (repeat((first.src, first.page)) if first is not None and first is last else
             (feed.where(tok.pos) if tok is not None else None for tok in toks))
    # A plain number, most cells, without the call to ``_cell``: the same cell.
    return [Cell() if tok is None else
            Cell(number(tok.text), tok.text, *spot) if tok.kind == "NUMBER" else
            _cell(tok, *spot, False, None) for tok, spot in zip(toks, spots)]


def _cell(tok: Tok, src: int | None, page: int | None, money: bool, unit: str | None) -> Cell:
    kind, text = tok.kind, tok.text
    if kind == "NUMBER":
        return Cell(money_wan_yuan(text, unit) if money else number(text), text, src, page)
    if kind == "SPLIT":  # a piece of digits run together: cut where the arithmetic holds
        return Cell(money_wan_yuan(text, unit) if money else number(text), text, src, page,
                    placed=True)
    if kind == "COUNT" or kind == "CN_NUMBER":  # "1件", "十二": the count they print
        # In a money column a count is no amount: kept as text, its value null (validate
        # names the cell).
        return Cell(None if money else count(text), text, src, page)
    if kind == "BLANK":
        return Cell(None, None, src, page)
    if kind == "PLACEHOLDER":
        return Cell(None, text, src, page)
    if money:
        return Cell(money_wan_yuan(text, unit), text, src, page)
    # An amount where a count belongs: kept as text, validate says so.
    return Cell(None, text, src, page)
