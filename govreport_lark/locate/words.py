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
from functools import cache, lru_cache

from govreport_lark.spec import row_labels, terminals
from govreport_lark.spec.first_chars import first_char_class, next_chars

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
        after = next_chars(regex)
        for char in chars:
            groups.setdefault(char, []).append(f"(?P<{name}{SEP}{count}>{regex})")
            count += 1
            tails = None if after is None or char not in after else set(after[char])
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
