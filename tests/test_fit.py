"""Fitting a row's printed tokens to the template's cells: what the arithmetic may decide."""

from govreport_lark.fit.fitting import SumRule, fit_row
from govreport_lark.grammar.cells import Tok

ROW = (SumRule(6, (0, 1, 2, 3, 4, 5)),)  # section 三: 总计 = the six applicant columns


def _toks(*texts: str) -> list[Tok]:
    return [Tok("BLANK" if t == "∅" else "NUMBER", t, i) for i, t in enumerate(texts)]


def _values(fit) -> list[str | None]:
    return [None if t is None or t.kind == "BLANK" else t.text for t in fit.slots]


def test_run_together_row_split_by_its_sum():
    fit = fit_row(_toks("7000007"), 7, ROW, labelled=True)
    assert (fit.how, _values(fit)) == ("split", ["7", "0", "0", "0", "0", "0", "7"])


def test_run_with_two_readings_is_left_unresolved():
    # 110000011 reads as 11,0,0,0,0,0,11 and as 1,10,0,0,0,0,11: both keep the row's sum,
    # so only the table's columns can choose (applications._resolve_by_columns).
    fit = fit_row(_toks("110000011"), 7, ROW, labelled=True)
    assert fit.how == "unresolved" and fit.slots is None
    assert len(fit.candidates) == 2


def test_no_split_without_a_rule_or_a_leading_zero():
    # Section 二 has no arithmetic: "31" is never cut into 3 and 1 to fill a cell.
    fit = fit_row(_toks("2", "31"), 3, (), labelled=True)
    assert fit.how == "unresolved" and fit.slots is None


def test_a_leading_zero_forces_the_split_even_without_a_rule():
    fit = fit_row(_toks("000"), 3, (), labelled=True)
    assert (fit.how, _values(fit)) == ("split", ["0", "0", "0"])


def test_too_many_readings_to_try_is_not_called_the_only_one():
    # 40 digits into seven cells: millions of cuts, more than are tried.
    fit = fit_row(_toks("1" * 40), 7, ROW, labelled=True)
    assert fit.how == "unresolved" and fit.candidates == []


def test_a_reading_that_needs_a_negative_count_is_impossible():
    # Two stub fields, then six values: only 总计 = 11 keeps every count non-negative.
    fit = fit_row(_toks("∅", "∅", "3", "3", "0", "3", "1", "1"), 7, ROW, labelled=True)
    assert fit.how == "inferred" and fit.inferred == {6: 11}
    assert _values(fit)[:6] == ["3", "3", "0", "3", "1", "1"]


def test_blank_cells_keep_their_token_and_so_their_line():
    fit = fit_row(_toks("5", "∅", "5"), 3, (), labelled=True)
    assert fit.how == "positional"
    assert [t.kind for t in fit.slots] == ["NUMBER", "BLANK", "NUMBER"]


def test_a_row_printed_all_blank_is_blank_whatever_its_stub_fields():
    # Which empty field after a label is the label's merged cell does not matter when no
    # value stands in the row: every cell is blank, never unresolved.
    for n in (7, 8, 9):
        fit = fit_row(_toks(*["∅"] * n), 7, ROW, labelled=True)
        assert fit.how == "positional" and _values(fit) == [None] * 7, n


def test_a_leading_empty_field_before_fewer_values_is_not_read_by_place():
    # [∅, 6 values]: a blank first cell, or the label's merged cell and a value left out.
    fit = fit_row(_toks("∅", "1", "0", "0", "0", "0", "1"), 7, ROW, labelled=True)
    assert fit.how == "unresolved" and fit.slots is None


def _brute_force(texts: list[str], width: int, rules) -> set[tuple[str, ...]]:
    """Every cut of the row's digit runs into ``width`` cells without leading zeros that
    keeps the rules, by trying every set of cut points."""
    import itertools

    from govreport_lark.fit.fitting import consistent

    options = []
    for text in texts:
        if len(text) == 1 or not text.isdigit():
            options.append([(text,)])
            continue
        ways = []
        for k in range(len(text)):
            for cuts in itertools.combinations(range(1, len(text)), k):
                bounds = (0, *cuts, len(text))
                parts = tuple(text[a:b] for a, b in zip(bounds, bounds[1:]))
                if all(p == "0" or p[0] != "0" for p in parts):
                    ways.append(parts)
        options.append(ways)
    out = set()
    for combo in itertools.product(*options):
        cells = tuple(p for part in combo for p in part)
        if len(cells) == width and consistent([int(c) for c in cells], rules):
            out.add(cells)
    return out


def test_split_readings_equal_brute_force():
    """The pruned search finds exactly the readings that trying every cut finds, for rows of
    section 三 (one rule) and section 四 (three), digits run together in one or more runs."""
    import random

    from govreport_lark.fit.fitting import _split_candidates

    four = tuple(SumRule(g * 5 + 4, (g * 5, g * 5 + 1, g * 5 + 2, g * 5 + 3)) for g in range(3))
    rng = random.Random(9)
    checked = 0
    for _ in range(400):
        width, rules = rng.choice([(7, ROW), (15, four), (5, four[:1])])
        values = [rng.choice([0, 0, 0, 1, 2, 5, 9, 12, 30, 104]) for _ in range(width)]
        for rule in rules:
            values[rule.total] = sum(values[i] for i in rule.parts)
        digits = [str(v) for v in values]
        # Run some neighbours together, as a crawler does.
        texts: list[str] = []
        for d in digits:
            if texts and rng.random() < 0.6:
                texts[-1] += d
            else:
                texts.append(d)
        if all(len(t) == 1 for t in texts) or sum(len(t) for t in texts) > 18:
            continue
        got = _split_candidates(_toks(*texts), width, rules)
        assert got is not None
        assert {tuple(t.text for t in slots) for slots, _ in got} == \
            _brute_force(texts, width, rules), texts
        checked += 1
    assert checked > 100
