"""The shared scanner (govreport_lark.spec.lexing) gives exactly the tokens of Lark's own
contextual lexer: same types, values, positions and skipped-token errors."""

import random

import pytest
from conftest import corpus_feeds, generated_feeds
from lark import Lark, Token

from govreport_lark.grammar.rows import RowsTransformer, row_parser
from govreport_lark.spec import TABLE_GRAMMARS, grammar_path, parser
from govreport_lark.spec.lexing import SharedScannerLexer

SECTION = dict(zip(TABLE_GRAMMARS, ("二", "三", "四")))


def _feeds(grammar):
    """The grammar's section of the corpus and of generated reports in every layout."""
    return [feed.text for key, feed in (*corpus_feeds(), *generated_feeds())
            if key == SECTION[grammar]]


def _mutants(text, rng, count=4):
    alphabet = "0123456789 \n.、,:()-/∅一二三四本上予属其结不年件总计行政复议结果维持第二十条项规章"
    yield text
    for _ in range(count):
        chars = list(text)
        if rng.random() < 0.4:
            lines = text.split("\n")
            rng.shuffle(lines)
            chars = list("\n".join(lines))
        for _ in range(rng.randint(1, 15)):
            if chars and rng.random() < 0.5:
                del chars[rng.randrange(len(chars))]
            else:
                chars.insert(rng.randrange(len(chars) + 1), rng.choice(alphabet))
        yield "".join(chars)


def _tokens(lark, text):
    errors = []

    def skip(error):
        token = getattr(error, "token", None)
        errors.append((str(token), getattr(token, "type", None), getattr(token, "start_pos", None)))
        return True

    tree = lark.parse(text, on_error=skip)
    tokens = [(t.type, str(t), t.start_pos, t.end_pos, t.line, t.column, t.end_line, t.end_column)
              for t in tree.scan_values(lambda v: isinstance(v, Token))]
    return tree, tokens, errors


@pytest.mark.parametrize("grammar", TABLE_GRAMMARS)
def test_shared_scanner_tokens_equal_lark(grammar):
    fast = parser(grammar)
    assert isinstance(fast.parser.lexer.root_lexer, SharedScannerLexer)
    plain = Lark.open(str(grammar_path(grammar)), parser="lalr", lexer="contextual",
                      maybe_placeholders=False, cache=True)
    rng = random.Random(7)
    for feed in _feeds(grammar):
        for text in _mutants(feed, rng):
            assert _tokens(fast, text) == _tokens(plain, text), text


@pytest.mark.parametrize("grammar", TABLE_GRAMMARS)
def test_rows_inside_the_parser_equal_rows_of_the_tree(grammar):
    """``row_parser(name)`` runs RowsTransformer during the parse: the same rows as
    transforming the tree afterwards, and the same consumed spans as the tree's tokens,
    also where tokens were skipped as out of order."""
    inline = row_parser(grammar)
    rows = inline.options.transformer
    rng = random.Random(11)
    for feed in _feeds(grammar):
        for text in _mutants(feed, rng):
            tree, tokens, errors = _tokens(parser(grammar), text)
            skipped = []
            rows.begin()
            got = inline.parse(text, on_error=lambda e: skipped.append(str(e.token)) or True)
            assert got == RowsTransformer().transform(tree), text
            assert sorted(rows.consumed()) == sorted((t[2], t[3]) for t in tokens), text
            assert skipped == [e[0] for e in errors]


@pytest.mark.parametrize("grammar", TABLE_GRAMMARS)
def test_rows_parser_shares_the_plain_parser_and_equals_a_loaded_one(grammar):
    """``row_parser(name)`` is the plain parser with the transformer's callbacks (no second
    load, the same lexer and its scanners): the same rows, consumed spans and skipped
    tokens as a parser Lark loads with the transformer."""
    from govreport_lark.spec.lexing import PLUGINS

    inline, plain = row_parser(grammar), parser(grammar)
    assert inline.parser.lexer is plain.parser.lexer
    assert inline.parser.parser._parse_table is plain.parser.parser._parse_table
    assert plain.options.transformer is None
    loaded = Lark.open(str(grammar_path(grammar)), parser="lalr", lexer="contextual",
                       propagate_positions=False, maybe_placeholders=False,
                       transformer=RowsTransformer(), _plugins=PLUGINS)
    rng = random.Random(13)
    for feed in _feeds(grammar):
        for text in _mutants(feed, rng):
            results = []
            for lark in (inline, loaded):
                rows, skipped = lark.options.transformer, []
                rows.begin()
                got = lark.parse(text, on_error=lambda e, s=skipped: s.append(str(e.token)) or True)
                results.append((got, sorted(rows.consumed()), skipped))
            assert results[0] == results[1], text
