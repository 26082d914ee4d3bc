"""The memo of CJK character classes (``govreport_lark/charsets.py``) compiles every
expression of the grammars and the pipeline to the code Python compiles without it."""

from __future__ import annotations

import re

import pytest

from govreport_lark import charsets
from govreport_lark.spec import TABLE_GRAMMARS, parser, row_labels, terminals

try:  # Python 3.11+
    import re._compiler as compiler
    import re._parser as sre_parse
except ImportError:  # Python 3.10
    import sre_compile as compiler  # type: ignore[no-redef]
    import sre_parse  # type: ignore[no-redef]


def _code(pattern: str, flags: int = 0) -> list:
    return list(compiler._code(sre_parse.parse(pattern, flags), flags))


def _patterns() -> list[tuple[str, int]]:
    out = []
    for name in (*TABLE_GRAMMARS, "document", "columns", "narrative"):
        lark = parser(name)
        flags = lark.lexer_conf.g_regex_flags
        out += [(p, flags) for p in terminals(name).values()]
        out.append(("|".join(f"(?:{p})" for p in terminals(name).values()), flags))
        shared = getattr(lark.parser.lexer, "shared", None)
        if shared is not None:
            for char in "0一（(二三四五六七总自其本不无行结上":
                pattern = shared.alternation_at(char)
                out.append((pattern.pattern, pattern.flags & ~re.UNICODE))
            out.append((shared.run.pattern, shared.run.flags & ~re.UNICODE))
    for name in TABLE_GRAMMARS:
        out.append((row_labels(name).pattern, 0))
    out += [(r"[\u4e00-\u9fff]", 0), (r"(?<![\u4e00-\u9fff])[一二三四五六七八九十]+、", 0),
            (r"[^\u4e00-\u9fff\s]+", 0), (r"[A-Za-z\u3000-\u303f\u4e00-\u9fff]", 0),
            (r"[\u4e00-\u9fff]", re.IGNORECASE)]
    return out


def test_installed():
    assert charsets.install()
    assert hasattr(compiler._optimize_charset, "memo")


def test_same_code_with_and_without_the_memo():
    assert charsets.install()
    memoized = compiler._optimize_charset
    patterns = _patterns()
    assert len(patterns) > 100
    with_memo = [_code(p, f) for p, f in patterns]
    with_memo_again = [_code(p, f) for p, f in patterns]  # now every class is a hit
    assert memoized.memo
    compiler._optimize_charset = memoized.original
    try:
        without = [_code(p, f) for p, f in patterns]
    finally:
        compiler._optimize_charset = memoized
    assert with_memo == without
    assert with_memo_again == without


@pytest.mark.parametrize("text", ["年度报告2023年", "（一）自然人 12 3", "ＡＢＣ abc 一二三"])
def test_same_matches(text):
    for pattern in (r"[\u4e00-\u9fff]+", r"(?<![\u4e00-\u9fff])\d+", r"[^\u4e00-\u9fff]+"):
        assert re.findall(pattern, text) == re.findall(pattern + "(?:)", text)
