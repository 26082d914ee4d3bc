"""The grammars' words grouped by first character (locate/words.py) find what the plain
alternation finds: the same spans, naming the same word, on the corpus, generated reports
in every layout and shape, and texts made to put labels in odd places."""

from __future__ import annotations

import re

import pytest
from conftest import CORPUS
from generate import LAYOUTS, STRUCTURES, make_report, render

from govreport_lark.locate import sections
from govreport_lark.locate.words import by_first_char, class_chars, label_words, word_name
from govreport_lark.normalise import normalise
from govreport_lark.read import detect_format, read_source
from govreport_lark.spec import TABLE_GRAMMARS, parser, row_labels


def _texts() -> list[str]:
    """Normalised texts (what the searches run over) and raw ones."""
    raw = [p.read_bytes() for p in sorted(CORPUS.glob("*/*"))
           if p.suffix in (".txt", ".md", ".html")]
    for seed in range(3):
        for template in ("2019", "2021"):
            for structure in STRUCTURES:
                report = make_report(seed, template, structure=structure,
                                     blanks="anywhere" if seed == 2 else False)
                for layout in LAYOUTS:
                    if report.has_blanks and layout not in ("tab", "markdown", "html"):
                        continue
                    raw.append(render(report, layout, seed=seed).encode())
    out = []
    for data in raw:
        fmt = detect_format(data, None)
        lines = normalise(read_source(data, path=None, fmt=fmt))
        out.append("\n".join(line.text for line in lines))
        out.append(data.decode("utf-8", "replace"))
    # Labels glued to digits, CJK and each other, cut after their first characters.
    out.append("1.属于国家秘密2.其他法律3.危及三安全一稳定 1.本机关1.信访1.申请人逾期(六)其"
               " 4 (七)总 5 一、本 3 四、结 2 本年新收上年结转予以公开部分公开 结转下年度继续")
    return out


TEXTS = _texts()


def _found(pattern: re.Pattern[str], text: str) -> list[tuple[int, int, str]]:
    return [(m.start(), m.end(), word_name(m)) for m in pattern.finditer(text)]


def _searched(pattern: re.Pattern[str], text: str) -> list[tuple[int, int, str]]:
    """As ``tables.stray_labels`` searches: from one past each match's start."""
    out, found = [], pattern.search(text)
    while found is not None:
        out.append((found.start(), found.end(), word_name(found)))
        found = pattern.search(text, max(found.end(), found.start() + 1))
    return out


@pytest.mark.parametrize("grammar", TABLE_GRAMMARS)
def test_label_words_find_what_the_row_labels_find(grammar):
    plain, grouped = row_labels(grammar), label_words(grammar)
    assert grouped.pattern != plain.pattern  # grouped indeed, not the fallback
    total = 0
    for text in TEXTS:
        want = _found(plain, text)
        assert _found(grouped, text) == want
        assert _searched(grouped, text) == _searched(plain, text)
        total += len(want)
        for low in (0, len(text) // 3):  # a window, as find_sections scans 三's
            high = 2 * len(text) // 3
            assert ([(m.span(), word_name(m)) for m in grouped.finditer(text, low, high)]
                    == [(m.span(), m.lastgroup) for m in plain.finditer(text, low, high)])
    assert total > 1000  # the texts hold labels enough to tell


def test_header_words_find_what_their_alternation_finds():
    words = [(t.name, t.pattern.to_regexp())
             for grammar in ("active_disclosure", "review_litigation")
             for t in parser(grammar).terminals if t.name in sections._rank(grammar)]
    plain = re.compile("|".join(f"(?:{regex})" for _, regex in words))
    singles = [(name, re.compile(regex)) for name, regex in words]
    grouped = sections._header_words()
    total = 0
    for text in TEXTS:
        got = _found(grouped, text)
        want = []
        for m in plain.finditer(text):
            # The first word, in order, that matches here is the one the alternation took.
            name, first = next((n, f) for n, f in ((n, p.match(text, m.start())) for n, p in singles)
                               if f is not None)
            assert first.end() == m.end()
            want.append((m.start(), m.end(), name))
        assert got == want
        total += len(want)
    assert total > 500


def test_a_word_without_a_plain_first_class_is_not_grouped():
    assert class_chars("[第信\\(]") == "第信("
    assert class_chars("[一-鿿]") is None and class_chars(None) is None
    assert by_first_char([("A", "第一"), ("B", r"\d+")]) is None
    assert by_first_char([("A", "第一|信息"), ("B", "第二")]) is not None


def test_what_follows_a_first_character_lets_in_every_place_a_word_can_start():
    """The guard's next characters: what can follow a first character, never less (a
    range, a match that can end after its first character, an unknown construct ask for
    none; a match that can end after two asks for one)."""
    from govreport_lark.spec.first_chars import _next_chars

    def after(pattern):
        found = _next_chars(pattern)
        return None if found is None else {c: set(tails) for c, tails in found.items()}

    assert after(r"(?:(?<![一-鿿,:])本年新收|1[.、]本机)[一-鿿]*") == {
        "本": {"[年][新]"}, "1": {"[\\.、][本]"}}
    assert after(r"\(?未经复议") == {"(": {"[未][经]"}, "未": {"[经][复]"}}
    assert after("一Y|二") == {"一": {"[Y]"}}  # 二 may stand alone
    assert after("[一-鿿]X|一Y") == {}  # 一 falls in the range: anything may follow
    assert after("a*b") == {"a": {"[a][a]", "[a][b]", "[b]"}}
    assert after(r"\d\d") is None and after("x?") is None and after("(?i:ab)") is None
    assert after("(?i)ab") is None
    # Digits of a table's cells are turned away before any word is tried.
    guard = re.match(r"\(\?=\[[^\]]*\]\)\(\?=", label_words("applications").pattern)
    assert guard is not None and "|1(?:[\\.、]" in label_words("applications").pattern
