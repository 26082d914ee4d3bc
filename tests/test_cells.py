"""Reading a CELLS token back into its cells."""

import random

from conftest import corpus_feeds
from lark import Token

from govreport_lark.grammar.cells import Tok


def test_plain_rows_read_as_the_cell_kinds_read_them():
    """Whole numbers between white space take a short way; it gives what the kinds of
    grammars/cells.lark give, and any other token goes the long way."""
    rng = random.Random(4)
    pieces = ["0", "7", "12", "0012", "1,234", "3.5", "-", "∅", "无", "88.19万元", "٣", "²"]
    spaces = [" ", "  ", "\t", "\n", " \n "]
    for _ in range(2000):
        cells = [rng.choice(pieces[:4] if rng.random() < 0.7 else pieces)
                 for _ in range(rng.randint(1, 8))]
        text = cells[0] + "".join(rng.choice(spaces) + c for c in cells[1:])
        start = rng.randint(0, 50)
        got = Tok.run(Token("CELLS", text, start_pos=start))
        assert got == Tok.read(text, start), text


def test_cells_keep_their_place():
    got = Tok.run(Token("CELLS", "12  0\n7", start_pos=100))
    assert got == [Tok("NUMBER", "12", 100), Tok("NUMBER", "0", 104), Tok("NUMBER", "7", 106)]
    assert all(type(t) is Tok and t.is_value for t in got)  # made as the named tuple


def test_a_rows_cells_get_the_lines_each_cell_would_get():
    """``to_cells`` looks a row's line up once when its first and last cell share it; every
    cell still gets the input line and page that ``to_cell`` gives it, also for rows whose
    cells stand on several lines and rows with gaps."""
    from govreport_lark.grammar.cells import to_cell, to_cells

    rng = random.Random(8)
    checked = 0
    for _, feed in corpus_feeds((".txt",)):
        toks = Tok.read(feed.text)
        for _ in range(20):
            if not toks:
                break
            start = rng.randrange(len(toks))
            row = toks[start : start + rng.randint(1, 9)]
            row = [None if rng.random() < 0.2 else t for t in row]
            assert to_cells(row, feed) == [to_cell(t, feed) for t in row]
            checked += 1
    assert checked > 100
