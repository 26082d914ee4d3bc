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


def _set_items(items) -> list[str]:
    out = []
    for op, av in items:
        if op is _c.LITERAL:
            out.append(_char(av))
        elif op is _c.RANGE:
            out.append(f"{_char(av[0])}-{_char(av[1])}")
        elif op is _c.CATEGORY and av in _CATEGORY:
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
