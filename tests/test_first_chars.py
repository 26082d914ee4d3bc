"""``first_chars``: the class of a pattern's possible first characters, and a guarded
pattern that finds exactly the matches of the pattern itself."""

import random
import re

import pytest

from govreport_lark.spec import TABLE_GRAMMARS, parser
from govreport_lark.spec.first_chars import first_char_class, guarded


@pytest.mark.parametrize(("pattern", "expected"), [
    (r"abc", "[a]"),
    (r"(?<![x,])本年|一、", "[本一]"),
    (r"(?:\(一\))?予以", r"[\(予]"),
    (r"[+-]?\d+", r"[\+\-\d]"),
    (r"a*b", "[ab]"),
    (r"[\u4e00-\u9fff]+", "[一-鿿]"),
])
def test_first_char_class(pattern, expected):
    assert first_char_class(pattern) == expected


@pytest.mark.parametrize("pattern", [
    r"a*",  # matches empty: any position can start a match
    r"(?i)abc",  # case folding
    r"[^a]b",  # a negated set
    r".b",
    r"(?i:a)b",
])
def test_first_char_class_unknown(pattern):
    assert first_char_class(pattern) is None
    assert guarded(pattern) == pattern


def _all_matches(pattern, text):
    out, found = [], pattern.search(text)
    while found is not None:
        a, b = found.span()
        out.append((a, b, found.lastgroup))
        found = pattern.search(text, max(b, a + 1))
    return out


@pytest.mark.parametrize("grammar", TABLE_GRAMMARS)
def test_guarded_labels_find_the_same_matches(grammar):
    lark = parser(grammar)
    source = "|".join(f"(?P<{t.name}>{t.pattern.to_regexp()})" for t in lark.terminals
                      if t.name not in lark.lexer_conf.ignore)
    plain, fast = re.compile(source), re.compile(guarded(source))
    assert fast.pattern != plain.pattern
    rng = random.Random(3)
    alphabet = "0123456789 \n.、,:()-/∅一二三四本上予属其结不年件总计行政复议结果维持第条项规章公开"
    for _ in range(300):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 80)))
        assert _all_matches(fast, text) == _all_matches(plain, text), text
