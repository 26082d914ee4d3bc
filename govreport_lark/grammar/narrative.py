"""A sentence of prose read clause by clause with grammars/narrative.lark: which quantity a
clause states, how much, and what puts it out of scope."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from functools import cache, lru_cache

try:  # Python 3.11+
    import re._constants as _c
    import re._parser as _p
except ImportError:  # Python 3.10
    import sre_constants as _c  # type: ignore[no-redef]
    import sre_parse as _p  # type: ignore[no-redef]

from lark import Token, Tree
from lark.exceptions import UnexpectedInput

from govreport_lark.grammar.cells import cn_number, number
from govreport_lark.spec import parser, terminals

# Clauses are cut at these (after the normaliser: ，→, ；→; ：→: （→( ); a part of a sentence
# at ; (a 其中 reaches no further), a clause at the others.
_CUT = re.compile(r"[;:、()\[\]“”\"'《》<>]|,(?!(?<=\d,)\d{3}(?!\d))")
_AMOUNT_WORDS = ("COUNT", "CN_COUNT", "MONEY")
# The leads that say nothing about scope: an unread clause holding only these (and words no
# terminal names) is plain prose and leaves the clauses after it alone.
_PLAIN = {"TIME", "SELF", "WHOLE", "QUAL", "ADVERB", "NUMBERING", "LINK", "WS", "YEAR"}
_YEAR_DIGITS = re.compile(r"(?<!\d)(?:19|20)\d\d(?=\s*年)")


@dataclass(frozen=True)
class Amount:
    value: int | Decimal  # a count, or money in ``unit``
    text: str
    unit: str | None  # None for a count; 元, 万元 for money
    pos: int  # offset in its clause

    @property
    def places(self) -> int:
        """The decimal places it is printed with (money is compared to that precision)."""
        digits = re.sub(r"[^\d.]", "", self.text)
        return len(digits.split(".")[1]) if "." in digits else 0


@dataclass(frozen=True)
class Clause:
    kind: str  # fact | dangling | context | unread
    text: str
    start: int  # offset in the sentence
    cut: str  # the marks before it ("" at the sentence's start; ";" starts a part, "(" a bracket)
    subject: str | None = None  # received, granted, review, document … (the grammar's alias)
    words: tuple[tuple[str, str], ...] = ()  # the subject's terminals: (name, text)
    leads: tuple[tuple[str, str], ...] = ()  # the lead terminals: (name, text)
    amount: Amount | None = None
    years: tuple[int, ...] = ()  # the years it names
    scoped: bool = False  # an unread clause naming a quantity, a part or another period

    def lead(self, name: str) -> bool:
        return any(n == name for n, _ in self.leads)

    def word(self, name: str) -> bool:
        return any(n == name for n, _ in self.words)


@cache
def _meaningful() -> re.Pattern[str]:
    """The grammar's terminals that name a quantity, an amount, a part or another period:
    found in a clause the grammar cannot read, they put what follows out of scope."""
    return re.compile("|".join(f"(?:{p})" for n, p in terminals("narrative").items()
                               if n not in _PLAIN))


_SPACES = re.compile(r"\s+")
_MONEY = re.compile(r"([\d,]+(?:\.\d+)?)(万元|元)$")


def _amount(tree: Tree, text: str) -> Amount | None:
    token = tree.children[0]
    assert isinstance(token, Token)
    raw = str(token)
    digits = _SPACES.sub("", raw).rstrip("件")
    pos = max(text.find(raw), 0)
    if token.type == "CN_COUNT":
        value = cn_number(digits.replace("两", "二"))
        return None if value is None else Amount(value, raw, None, pos)
    if token.type == "COUNT":
        value = number(digits)
        return None if not isinstance(value, int) else Amount(value, raw, None, pos)
    match = _MONEY.match(digits)
    if match is None:
        return None
    return Amount(Decimal(match.group(1).replace(",", "")), raw, match.group(2), pos)


def _tokens(tree: Tree) -> list[Token]:
    return [t for t in tree.scan_values(lambda v: isinstance(v, Token))]


@lru_cache(maxsize=4096)  # a report repeats few clauses, a hostile page one many times
def _read(text: str, parsed: str) -> Clause:
    years = tuple(int(y) for y in _YEAR_DIGITS.findall(text))
    try:
        tree = parser("narrative", strict=False).parse(parsed).children[0]
    except UnexpectedInput:
        scoped = _meaningful().search(parsed) is not None
        return Clause("unread", text, 0, "", years=years, scoped=scoped)
    kind = tree.data if tree.data in ("dangling", "context") else "fact"
    leads = tuple((t.type, str(t)) for t in tree.children if isinstance(t, Token))
    fact = next((c for c in tree.iter_subtrees() if c.data == "fact"), None)
    subject = next((c for c in tree.iter_subtrees()
                    if c.data not in ("fact", "amount", "clause", "dangling", "context")), None)
    amount_tree = next((c for c in tree.iter_subtrees() if c.data == "amount"), None)
    amount = _amount(amount_tree, text) if amount_tree is not None else None
    if fact is not None and amount is None:
        return Clause("unread", text, 0, "", years=years, scoped=True)
    return Clause(
        kind, text, 0, "",
        subject=str(subject.data) if subject is not None else None,
        words=tuple((t.type, str(t)) for t in _tokens(subject)) if subject is not None else (),
        leads=leads, amount=amount, years=years)


def read_clause(text: str, start: int = 0, cut: str = "", read_as: str = "") -> Clause:
    """One clause read by the grammar; ``read_as``: the clause with the report's own name
    put as 本机关 (``text`` is as printed, for positions)."""
    read = _read(text, read_as or text)
    # ``dataclasses.replace`` of start and cut, without its look-up of every field
    return Clause(read.kind, read.text, start, cut, read.subject, read.words, read.leads,
                  read.amount, read.years, read.scoped)


@cache
def _amounts() -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{terminals('narrative')[name]})" for name in _AMOUNT_WORDS))


def _needed(items) -> frozenset[str] | None:
    """Characters of which every match of the parsed ``items`` holds one (an amount's 件
    or 元), or None when that is not worked out."""
    best: frozenset[str] | None = None
    for op, av in items:
        found: frozenset[str] | None = None
        if op is _c.LITERAL:
            found = frozenset(chr(av))
        elif op is _c.IN and all(o is _c.LITERAL for o, _ in av):
            found = frozenset(chr(a) for _, a in av)
        elif op is _c.SUBPATTERN and not (av[1] or av[2]):
            found = _needed(av[-1])
        elif op is _c.BRANCH:
            branches = [_needed(branch) for branch in av[1]]
            if all(b is not None for b in branches):
                found = frozenset().union(*branches)  # type: ignore[arg-type]
        elif op is _c.MAX_REPEAT or op is _c.MIN_REPEAT:
            found = _needed(av[2]) if av[0] >= 1 else None
        if found is not None and (best is None or len(found) < len(best)):
            best = found  # every item of a sequence is matched: the fewest characters do
    return best


@cache
def _amount_chars() -> frozenset[str] | None:
    """What every amount holds one of (件, 元): a sentence without any of them states no
    amount, found by a substring test instead of the pattern tried at every place."""
    pattern = _amounts()
    if pattern.flags & re.IGNORECASE:
        return None
    return _needed(list(_p.parse(pattern.pattern, pattern.flags)))


def has_amount(text: str) -> bool:
    """Whether ``text`` states an amount (a count in 件, money in 元): else no clause of it
    is compared."""
    chars = _amount_chars()
    if chars is not None and not any(map(text.__contains__, chars)):
        return False
    return _amounts().search(text) is not None


def read_sentence(text: str, own_names: tuple[str, ...] = ()) -> list[Clause] | None:
    """The clauses of a sentence, or None when it states no amount (nothing to compare: the
    grammar is not run).  ``own_names``: the report's own name as printed, longest first,
    read as 本机关."""
    if not has_amount(text):
        return None
    out = []
    start, cut = 0, ""
    for match in [*_CUT.finditer(text), None]:
        end = match.start() if match else len(text)
        raw = text[start:end]
        piece = raw.strip().rstrip("。!?！？")
        if piece:
            lead = len(raw) - len(raw.lstrip())
            read_as = piece
            for name in own_names:
                read_as = read_as.replace(name, "本机关")
            out.append(read_clause(piece, start + lead, cut, read_as if read_as != piece else ""))
        if match:
            # The marks since the last clause, all of them: ";(" opens a bracket in a new part.
            cut = (cut if not piece else "") + match.group()
            start = match.end()
    return out
