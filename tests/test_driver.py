"""The one-loop parse (govreport_lark.grammar.driver) gives exactly Lark's results where it
answers, and leaves every input it gives up on to Lark with no trace of its attempt."""

import dataclasses
import random
import re

import pytest
from conftest import corpus_feeds, generated_feeds
from lark import Token, Tree
from test_lexing import SECTION, _mutants

from govreport_lark.grammar import driver, tables
from govreport_lark.grammar.driver import NOT_PLAIN, parse_plain
from govreport_lark.grammar.rows import Inlined, RowsTransformer, row_parser
from govreport_lark.spec import TABLE_GRAMMARS, parser, with_transformer


def _deep(value):
    """``value`` with every token's type and positions spelled out (a Token equals any
    token of the same text and type, wherever it stands)."""
    if isinstance(value, Token):
        return ("Token", value.type, str(value), value.start_pos, value.line, value.column,
                value.end_line, value.end_column, value.end_pos)
    if isinstance(value, Tree):
        return ("Tree", value.data, _deep(value.children))
    if dataclasses.is_dataclass(value):
        return (type(value).__name__,
                *(_deep(getattr(value, f.name)) for f in dataclasses.fields(value)))
    if isinstance(value, (list, tuple)):
        return (type(value).__name__, *map(_deep, value))
    return value


def _lark_parse(lark, text):
    rows, skipped = lark.options.transformer, []
    rows.begin()
    try:
        got = lark.parse(text, on_error=lambda e: skipped.append(e) or True)
    except Exception as error:  # noqa: BLE001 - an error is a result to compare too
        got = error
    return got, rows._local.tokens, skipped


def _feeds_and_mutants(grammar, seed):
    """Each corpus feed of the grammar's section with its mutants (the feed with another
    text: diagnostics still find a line), generated feeds in every layout and shape with
    two mutants each, and a few edge texts."""
    rng = random.Random(seed)
    feeds = [feed for key, feed in corpus_feeds() if key == SECTION[grammar]]
    for feed in feeds:
        for text in (*_mutants(feed.text, rng, count=6), feed.text + "\n" + feed.text):
            yield dataclasses.replace(feed, text=text)
    for key, feed in generated_feeds():
        if key == SECTION[grammar]:
            for text in _mutants(feed.text, rng, count=2):
                yield dataclasses.replace(feed, text=text)
    # Characters no terminal matches (an ideographic space, a vertical tab: neither
    # white space to WS nor noise to \S) make Lark's lexer fail.
    half = len(feeds[0].text) // 2
    for text in ("", "\n\n  \n", "一、", feeds[0].text[:-5], "\u3000", "1\x0b2",
                 feeds[0].text[:half] + "\u3000" + feeds[0].text[half:]):
        yield dataclasses.replace(feeds[0], text=text)


@pytest.mark.parametrize("grammar", TABLE_GRAMMARS)
def test_plain_parse_equals_lark(grammar):
    """Where the loop answers, Lark's parse meets no error and gives the same rows, the
    same tokens (types, text, positions, lines, columns) and the same consumed spans;
    where it gives up, Lark meets an error."""
    lark = row_parser(grammar)
    rows = lark.options.transformer
    plain = fell_back = 0
    for feed in _feeds_and_mutants(grammar, 17):
        text = feed.text
        expected, noted, skipped = _lark_parse(lark, text)
        expected_consumed = rows.consumed()
        rows.begin()
        got = parse_plain(lark, text)
        if got is NOT_PLAIN:
            fell_back += 1
            assert skipped or isinstance(expected, Exception), text
            continue
        plain += 1
        assert not skipped and not isinstance(expected, Exception), text
        assert _deep(got) == _deep(expected), text
        assert _deep(rows._local.tokens) == _deep(noted), text
        assert rows.consumed() == expected_consumed, text
    assert plain > 20, plain
    # A character no terminal matches fails every grammar; section 四's reads any other
    # text (cells only after a heading, anything else is noise).
    assert fell_back >= (2 if grammar == "review_litigation" else 10), fell_back


def _table_parse(grammar, feed):
    parse = tables.parse_table(grammar, SECTION[grammar], feed)
    return (_deep(parse.tree), parse.consumed, parse.diagnostics,
            tables.stray_labels(parse, grammar, SECTION[grammar]),
            tables.stray_numbers(parse, SECTION[grammar]))


@pytest.mark.parametrize("grammar", TABLE_GRAMMARS)
def test_parse_table_equals_lark_only(grammar, monkeypatch):
    """``parse_table`` with the loop gives what it gives with Lark alone: the same tree,
    consumed spans and diagnostics (skipped tokens, unreadable tables, stray labels and
    numbers), also after an attempt the loop gave up."""
    feeds = list(_feeds_and_mutants(grammar, 19))
    fast = [_table_parse(grammar, feed) for feed in feeds]
    monkeypatch.setattr(tables, "parse_plain", lambda lark, text: NOT_PLAIN)
    slow = [_table_parse(grammar, feed) for feed in feeds]
    for feed, a, b in zip(feeds, fast, slow):
        assert a == b, feed.text


@pytest.mark.parametrize("grammar", TABLE_GRAMMARS)
def test_stray_numbers_shortcut_changes_nothing(grammar, monkeypatch):
    """``stray_numbers`` skips its search where no digit stands outside the tokens: the
    same diagnostics as the search of every table, stray numbers found in some."""
    parses = [tables.parse_table(grammar, SECTION[grammar], feed)
              for feed in _feeds_and_mutants(grammar, 23)]
    for parse in parses:
        tables.stray_labels(parse, grammar, SECTION[grammar])
    short = [tables.stray_numbers(parse, SECTION[grammar]) for parse in parses]
    # Every position one run of uncovered text: the search always runs.
    monkeypatch.setattr(tables, "_UNCOVERED", re.compile(rb"(?s).+"))
    full = [tables.stray_numbers(parse, SECTION[grammar]) for parse in parses]
    assert short == full
    # Section 四 reads every number after its first heading as a cell.
    assert any(short) or grammar == "review_litigation"


def _as_loop(value):
    """A value as the loop keeps it: an inlined rule's children as the list itself."""
    return list(value.children) if isinstance(value, Inlined) else value


@pytest.mark.parametrize("grammar", TABLE_GRAMMARS)
def test_rule_steps_equal_lark_callbacks(grammar):
    """Each reduction of Lark's parse of every feed and mutant, done the loop's way
    (``_steps``: the child filter, then the transformer's method, without Lark's layers),
    gives Lark's callback's value and notes the same tokens."""
    lark = with_transformer(parser(grammar), RowsTransformer())
    rows = lark.options.transformer
    callbacks = lark.parser.parser.parser.callbacks
    assert driver._plan(lark) is not None and driver._plan(row_parser(grammar)) is not None
    steps = {rule: driver._steps(callback, rule.origin.name)
             for rule, callback in callbacks.items()}
    assert None not in steps.values()
    calls = []

    def recording(rule, callback):
        def call(children):
            before = [_as_loop(child) for child in children]  # Lark's filter may extend them
            rows.begin()
            value = callback(children)
            # Seen now: a parent's filter may extend an inlined rule's list later.
            calls.append((rule, before, _deep(_as_loop(value)), _deep(rows._local.tokens)))
            return value
        return call

    for rule, callback in list(callbacks.items()):
        callbacks[rule] = recording(rule, callback)
    for feed in _feeds_and_mutants(grammar, 29):
        rows.begin()
        try:
            lark.parse(feed.text, on_error=lambda e: True)
        except Exception:  # noqa: BLE001, S110 - the reductions before the error are compared
            pass
    assert len(calls) > 1000, len(calls)
    for rule, children, expected, noted in calls:
        kept, build, data = steps[rule]
        rows.begin()
        if kept is not None:
            children = driver._kept(children, kept)
        got = children if build is None else build(children) if data is None \
            else build(data, children, None)
        assert _deep(got) == expected, rule
        assert _deep(rows._local.tokens) == noted, rule


def test_parsers_with_other_layers_are_not_planned():
    """A parser whose callbacks have layers the loop does not do (positions propagated)
    is left to Lark."""
    from lark import Lark

    from govreport_lark.spec import PLUGINS, grammar_path

    lark = Lark.open(str(grammar_path("review_litigation")), parser="lalr", lexer="contextual",
                     propagate_positions=True, maybe_placeholders=False, _plugins=PLUGINS,
                     transformer=RowsTransformer())
    assert driver._plan(lark) is None
    assert parse_plain(lark, "一、") is NOT_PLAIN
