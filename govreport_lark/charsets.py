"""Compiling a regular expression with a CJK class once per class, not once per use.

Python's regex compiler turns a character class into matching code in pure Python, and for
a range past U+00FF (``[\\u4e00-\\u9fff]``: 20,992 characters) it walks the range a
character at a time: about a millisecond a class.  The grammars' terminals hold such
classes in nearly every label (``_BARE``, noise, glosses), and the contextual lexer's
scanners, the row-label searches and the section finders join them into hundreds of
expressions, so compiling them was most of a cold ``govreport parse``.

``install()`` puts a memo in front of the compiler's ``_optimize_charset`` for classes
matched case-sensitively: the function depends on the class alone then, so a class seen
before gets the code it got the first time (a copy), and every compiled expression is the
one Python would compile (``tests/test_charsets.py``).  The CJK ranges are the costly
ones; the thousands of small classes (``[0-9.]``, ``[、.]``) of a cold run together cost as
much again.  A class matched ignoring case, and a Python whose compiler does not have the
function as expected, compile as before.
"""

from __future__ import annotations

from typing import Any

_MAX = 4096  # distinct classes kept; beyond that, classes compile as they always did


def _compiler() -> Any:
    try:  # Python 3.11+
        import re._compiler as compiler
    except ImportError:  # Python 3.10
        import sre_compile as compiler  # type: ignore[no-redef]
    return compiler


def _memoized(original: Any) -> Any:
    memo: dict[tuple, tuple[list, bool]] = {}

    def optimize_charset(charset: Any, iscased: Any = None, fixup: Any = None,
                         fixes: Any = None) -> tuple[list, bool]:
        if fixup is None and iscased is None:
            try:
                key = tuple(charset)
                hit = memo.get(key)
            except TypeError:  # an item that cannot be a key: compile as always
                return original(charset, iscased, fixup, fixes)
            if hit is None:
                out = original(charset, iscased, fixup, fixes)
                if len(memo) < _MAX:
                    memo[key] = (list(out[0]), out[1])
                return out
            return list(hit[0]), hit[1]
        return original(charset, iscased, fixup, fixes)

    optimize_charset.original = original  # type: ignore[attr-defined]
    optimize_charset.memo = memo  # type: ignore[attr-defined]
    return optimize_charset


def install() -> bool:
    """Put the memo in place (once); False where this Python's compiler is not as expected."""
    compiler = _compiler()
    current = getattr(compiler, "_optimize_charset", None)
    if current is None:
        return False
    if hasattr(current, "memo"):
        return True
    code = getattr(current, "__code__", None)
    params = list(code.co_varnames[: code.co_argcount]) if code is not None else []
    if params != ["charset", "iscased", "fixup", "fixes"]:
        return False
    compiler._optimize_charset = _memoized(current)
    return True
