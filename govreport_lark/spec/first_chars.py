"""The characters a regular expression can start a match with, as a character class.

Python's regex engine skips ahead to a possible first character only when every branch of
a pattern begins with a literal.  The table grammars' labels begin with a lookbehind
(``_BARE``), so a search for "any label" or a lexer's "no kept terminal here" check tries
every alternative at every character.  Put in front of such a pattern, ``(?=[class])``
turns most characters away in one test; the matches stay the same.
"""

from __future__ import annotations

import functools
import re
import zlib
from pathlib import Path

from govreport_lark import regex_cache

try:  # Python 3.11+
    import re._constants as _c
    import re._parser as _p
except ImportError:  # Python 3.10
    import sre_constants as _c  # type: ignore[no-redef]
    import sre_parse as _p  # type: ignore[no-redef]

_CATEGORY = {
    _c.CATEGORY_DIGIT: r"\d", _c.CATEGORY_NOT_DIGIT: r"\D",
    _c.CATEGORY_SPACE: r"\s", _c.CATEGORY_NOT_SPACE: r"\S",
    _c.CATEGORY_WORD: r"\w", _c.CATEGORY_NOT_WORD: r"\W",
}
_ZERO_WIDTH = (_c.ASSERT, _c.ASSERT_NOT, _c.AT)


class _Unknown(Exception):
    """A construct whose first characters are not worked out here (the pattern is then
    used as it is)."""


def _char(code: int) -> str:
    return re.escape(chr(code))


def _set_items(items, categories: bool = True) -> list[str]:
    """A class's items as escaped characters, ranges and (``categories``) \\d-like
    categories."""
    out = []
    for op, av in items:
        if op is _c.LITERAL:
            out.append(_char(av))
        elif op is _c.RANGE:
            out.append(f"{_char(av[0])}-{_char(av[1])}")
        elif categories and op is _c.CATEGORY and av in _CATEGORY:
            out.append(_CATEGORY[av])
        else:  # a negated set, or anything rarer
            raise _Unknown
    return out


def _first(items) -> tuple[list[str], bool]:
    """(class items of the possible first characters, whether ``items`` may match empty)."""
    found: list[str] = []
    for op, av in items:
        if op in _ZERO_WIDTH:
            continue  # a lookaround does not consume; the next item gives the character
        if op is _c.LITERAL:
            return found + [_char(av)], False
        if op is _c.IN:
            return found + _set_items(av), False
        if op is _c.SUBPATTERN:
            add_flags, del_flags = av[1], av[2]
            if add_flags or del_flags:
                raise _Unknown
            chars, empty = _first(av[-1])
        elif op is _c.BRANCH:
            chars, empty = [], False
            for branch in av[1]:
                more, maybe = _first(branch)
                chars += more
                empty = empty or maybe
        elif op in (_c.MAX_REPEAT, _c.MIN_REPEAT, getattr(_c, "POSSESSIVE_REPEAT", None)):
            low, _high, sub = av
            chars, empty = _first(sub)
            empty = empty or low == 0
        else:
            raise _Unknown
        found += chars
        if not empty:
            return found, False
    return found, True


def first_char_class(pattern: str, flags: int = 0) -> str | None:
    """``[...]`` matching every character a match of ``pattern`` can start with; None when
    that is not worked out (case folding, a negated set, a pattern that matches empty).
    Kept between runs with the compiled expressions (``regex_cache``): parsing the
    grammars' terminals for it was a fifth of a cold parse."""
    code = _code()
    if code is None:  # whose answer a kept class was cannot be told: worked out anew
        return _first_char_class(pattern, flags)
    return regex_cache.remembered(("first_char_class", code, pattern, int(flags)),
                                  lambda: _first_char_class(pattern, flags))


@functools.cache
def _code() -> int | None:
    """This module's code as a checksum: a kept class is this code's, never an older one's
    (an answer worked out by other code may name other characters)."""
    try:
        return zlib.crc32(Path(__file__).read_bytes())
    except OSError:
        return None


def _first_char_class(pattern: str, flags: int) -> str | None:
    if flags & re.IGNORECASE:
        return None
    try:
        parsed = _p.parse(pattern, flags)
        if parsed.state.flags & re.IGNORECASE:
            return None
        chars, empty = _first(list(parsed))
    except _Unknown:
        return None
    if empty or not chars:
        return None
    return "[" + "".join(dict.fromkeys(chars)) + "]"


def guarded(pattern: str, flags: int = 0) -> str:
    """``pattern`` behind a lookahead of its first characters: the same matches, found
    faster where most characters cannot start one."""
    chars = first_char_class(pattern, flags)
    return pattern if chars is None else f"(?={chars})(?:{pattern})"


def next_chars(pattern: str) -> dict[str, list[str]] | None:
    """For each character a match of ``pattern`` can start with, what its next two
    characters can be, as patterns ("[.、][属本]", or one class where a match may end after
    two); None when that is not worked out.  A character a match may end after is left out
    (anything may follow it).  More than can match is fine, never less: it only lets a
    place in.  Kept between runs as ``first_char_class`` is."""
    code = _code()
    if code is None:
        return _next_chars(pattern)
    return regex_cache.remembered(("next_chars", code, pattern), lambda: _next_chars(pattern))


def _next_chars(pattern: str) -> dict[str, list[str]] | None:
    try:
        parsed = _p.parse(pattern)
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
    return {c: sorted(tails) for c, tails in after.items()
            if c not in free and not any(re.fullmatch(f"[{r}]", c) for r in ranges)}


def _paths(items, need: int) -> list[list[list[str]]]:
    """The first ``need`` characters a sequence of items can match, as paths of classes
    (a path shorter than ``need``: the match can end there)."""
    paths: list[list[list[str]]] = [[]]
    for op, av in items:
        if all(len(path) >= need for path in paths):
            break
        if op in _ZERO_WIDTH:
            continue  # a lookaround consumes nothing (ignoring what it asks only lets more in)
        if op is _c.LITERAL:
            steps = [[[_char(av)]]]
        elif op is _c.IN:
            steps = [[_set_items(av, categories=False)]]
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
