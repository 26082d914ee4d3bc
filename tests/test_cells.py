"""Reading a CELLS token back into its cells."""

import random

from lark import Token

from govreport_lark.cells import Tok


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
