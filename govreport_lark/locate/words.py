"""The grammars' words searched for in a text outside a parse (row labels, header words),
as one pattern that at each character tries only the words that can start with it.

An alternation of labels is tried in full wherever its first-character guard lets it in:
at every digit of a table, every one of the 三 table's labels (most begin with a
lookbehind, which the engine cannot skip by its first character).  Grouped by first
character, ``(?=c)(?:…)`` per character, a place holding ``c`` tries only the words
that can start with ``c``, in their order: the first word that matches there is the same
as the alternation's (a word left out of ``c``'s group cannot match at ``c``), so the
matches and the words they name are the same.
"""

from __future__ import annotations

import re
import zlib
from functools import cache, lru_cache
from pathlib import Path

try:  # Python 3.11+
    import re._constants as _c
    import re._parser as _p
except ImportError:  # Python 3.10
    import sre_constants as _c  # type: ignore[no-redef]
    import sre_parse as _p  # type: ignore[no-redef]

from govreport_lark import regex_cache
from govreport_lark.spec import row_labels, terminals
from govreport_lark.spec.first_chars import first_char_class

# A group's name is its word's, then this and a number: two groups may hold one word.
SEP = "__"


def class_chars(char_class: str | None) -> str | None:
    """The characters of a class of single characters ("[第信\\(]"), as ``first_chars``
    gives for plain words; None for anything else (a range, a category, no class)."""
    if not char_class or not re.fullmatch(r"\[(?:\\[^\w]|[^\\\-^\]])+\]", char_class):
        return None
    return re.sub(r"\\(.)", r"\1", char_class[1:-1])


def by_first_char(words: list[tuple[str, str]]) -> str | None:
    """(name, regular expression) in the order they are tried, as one pattern grouped by
    first character, whose groups are named ``name__N``; None when a word's first
    characters are not a plain class (then the alternation is used as it is)."""
    groups: dict[str, list[str]] = {}
    follow: dict[str, set[str] | None] = {}  # what can follow each first character
    count = 0
    for name, regex in words:
        chars = class_chars(first_char_class(regex))
        if chars is None:
            return None
        after = _after_first(regex)
        for char in chars:
            groups.setdefault(char, []).append(f"(?P<{name}{SEP}{count}>{regex})")
            count += 1
            tails = None if after is None else after.get(char)
            known = follow.get(char, set())
            follow[char] = None if tails is None or known is None else known | tails
    if not groups:
        return None
    return (_guard(follow) + "(?:"
            + "|".join(f"(?={re.escape(c)})(?:{'|'.join(alts)})" for c, alts in groups.items())
            + ")")


def _guard(follow: dict[str, set[str] | None]) -> str:
    """The lookahead that lets a place in: its character starts a word, and where every word
    that can start with it says what its next characters can be, they follow.  A table's
    digits start the numbered labels ("1.属于…") but are mostly cells ("1 0 2"), and most
    of a report's 信息 is no 信息内容: turned away here, such places are not tried against
    each word of their group."""
    first = f"(?=[{''.join(map(re.escape, follow))}])"
    known = [f"{re.escape(c)}(?:{'|'.join(sorted(tails))})"
             for c, tails in follow.items() if tails is not None]
    if not known:
        return first
    free = "".join(re.escape(c) for c, tails in follow.items() if tails is None)
    # The first character alone turns most places away in one test; then what follows it.
    return first + "(?=" + "|".join(([f"[{free}]"] if free else []) + known) + ")"


def _after_first(regex: str) -> dict[str, set[str]] | None:
    """For each character a match of ``regex`` can start with, what its next two characters
    can be, as patterns ("[.、][属本]", or one class where a match may end after two);
    None when that is not worked out.  A character a match may end after is left out
    (anything may follow it).  More than can match is fine, never less: it only lets a
    place in.  Kept between runs with the compiled expressions, under this module's code,
    as ``first_chars`` keeps its classes (parsing the words is a cold run's time)."""
    code = _code()
    if code is None:
        return _work_out_after_first(regex)
    kept = regex_cache.remembered(
        ("after_first", code, regex),
        lambda: _as_lists(_work_out_after_first(regex)))
    return None if kept is None else {c: set(tails) for c, tails in kept.items()}


def _as_lists(found: dict[str, set[str]] | None) -> dict[str, list[str]] | None:
    return None if found is None else {c: sorted(tails) for c, tails in found.items()}


@cache
def _code() -> int | None:
    """This module's code as a checksum: a kept answer is this code's, never an older one's."""
    try:
        return zlib.crc32(Path(__file__).read_bytes())
    except OSError:
        return None


def _work_out_after_first(regex: str) -> dict[str, set[str]] | None:
    try:
        parsed = _p.parse(regex)
        if parsed.state.flags & re.IGNORECASE:
            return None  # case folding lets in more characters than the pattern names
        paths = _paths(list(parsed), 3)
    except _Unknown:
        return None
    if any(not path for path in paths):
        return None  # a match can be empty
    after: dict[str, set[str]] = {}
    free: set[str] = set()  # first characters a match may end after
    ranges: list[str] = []  # first characters given as a range: anything may follow them
    for path in paths:
        for item in path[0]:
            if len(item) > 2:  # "a-b"; an escaped character is two long at most
                ranges.append(item)
            elif len(path) < 2:
                free.add(item[-1])
            else:
                tail = "".join(f"[{''.join(sorted(items))}]" for items in path[1:])
                after.setdefault(item[-1], set()).add(tail)
    return {c: tails for c, tails in after.items()
            if c not in free and not any(re.fullmatch(f"[{r}]", c) for r in ranges)}


class _Unknown(Exception):
    """A construct whose characters are not worked out here."""


def _class(items) -> list[str]:
    """A class's items as escaped characters and ranges (not categories or negations)."""
    out = []
    for op, av in items:
        if op is _c.LITERAL:
            out.append(re.escape(chr(av)))
        elif op is _c.RANGE:
            out.append(f"{re.escape(chr(av[0]))}-{re.escape(chr(av[1]))}")
        else:
            raise _Unknown
    return out


def _paths(items, need: int) -> list[list[list[str]]]:
    """The first ``need`` characters a sequence of items can match, as paths of classes
    (a path shorter than ``need``: the match can end there)."""
    paths: list[list[list[str]]] = [[]]
    for op, av in items:
        if all(len(path) >= need for path in paths):
            break
        if op in (_c.ASSERT, _c.ASSERT_NOT, _c.AT):
            continue  # a lookaround consumes nothing (ignoring what it asks only lets more in)
        if op is _c.LITERAL:
            steps = [[[re.escape(chr(av))]]]
        elif op is _c.IN:
            steps = [[_class(av)]]
        elif op is _c.SUBPATTERN:
            if av[1] or av[2]:
                raise _Unknown  # flags
            steps = _paths(list(av[-1]), need)
        elif op is _c.BRANCH:
            steps = [path for branch in av[1] for path in _paths(list(branch), need)]
        elif op in (_c.MAX_REPEAT, _c.MIN_REPEAT):
            low, high, sub = av
            once = _paths(list(sub), need)
            if any(not path for path in once):
                raise _Unknown  # an item that can match empty, repeated
            steps = [[]] if low == 0 else []
            more = [[]]
            for times in range(1, min(high, need) + 1):
                more = [(a + b)[:need] for a in more for b in once if len(a) < need] + [
                    a for a in more if len(a) >= need]
                if times >= min(low, need):
                    steps += more
        else:
            raise _Unknown
        paths = _unique([(path + step)[:need] for path in paths if len(path) < need
                         for step in steps] + [path for path in paths if len(path) >= need])
    return paths


def _unique(paths: list[list[list[str]]]) -> list[list[list[str]]]:
    """Each path once: branches after branches would multiply them."""
    return list({tuple(tuple(items) for items in path): path for path in paths}.values())


def word_name(match: re.Match[str]) -> str:
    """The word a match of a ``by_first_char`` pattern (or of a plain one) names."""
    return _name(match.lastgroup or "")


@lru_cache(maxsize=1024)  # the groups of a few patterns: each group's name cut once
def _name(group: str) -> str:
    return group.split(SEP)[0]


@cache
def label_words(grammar: str) -> re.Pattern[str]:
    """``spec.row_labels(grammar)`` grouped by first character: the same matches, each
    naming the same label (``word_name``)."""
    plain = row_labels(grammar)
    regexes = terminals(grammar)
    names = sorted(plain.groupindex, key=plain.groupindex.__getitem__)
    grouped = by_first_char([(name, regexes[name]) for name in names])
    return plain if grouped is None else re.compile(grouped)
