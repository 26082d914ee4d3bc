"""Fitting a row's printed tokens to the template's cells.

A row may print exactly its cells, keep blanks in place (tab and HTML tables), print
fewer numbers than cells, one spurious number more, or run its digits together
(``7000007``).  The template's own arithmetic (``SumRule``) picks the reading when
exactly one is consistent; otherwise the row is left unresolved with its candidates,
for the table-level check to try, and never guessed.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass, field

from govreport_lark.grammar.cells import MAX_DIGITS, Tok, count, money_parts, number

Vector = tuple[int | float | None, ...]

MAX_CANDIDATES = 5000


@dataclass(frozen=True)
class SumRule:
    """cells[total] == sum(cells[i] for i in parts)."""

    total: int
    parts: tuple[int, ...]

    def holds(self, values: Sequence[int | float | None]) -> bool | None:
        total = values[self.total]
        parts = [values[i] for i in self.parts]
        if total is None or None in parts:
            return None
        return abs(total - sum(parts)) < 1e-9  # type: ignore[arg-type]

    def solve(self, values: list[int | float | None], unknown: int) -> int | float | None:
        """The value of the one unknown cell that makes the rule hold, if determined (it may
        be negative: no count can be, so the reading that needs it is impossible)."""
        others = [i for i in (self.total, *self.parts) if i != unknown]
        if unknown not in (self.total, *self.parts) or any(values[i] is None for i in others):
            return None
        known = sum(values[i] for i in self.parts if i != unknown)  # type: ignore[misc]
        if unknown == self.total:
            return known
        return values[self.total] - known  # type: ignore[operator]


@dataclass
class Fit:
    """How a row's tokens were placed: ``slots[i]`` is the token (or split part) of cell i."""

    slots: list[Tok | None] | None
    how: str  # exact | positional | inferred | spurious | split | unresolved | empty
    inferred: dict[int, int | float] = field(default_factory=dict)
    placements: int = 1  # how many placements of missing cells gave these same values
    dropped: list[Tok] = field(default_factory=list)
    candidates: list[tuple[list[Tok | None], dict[int, int | float]]] = field(default_factory=list)

    @property
    def placed(self) -> bool:
        """Whether where each printed number stands rests on the template's arithmetic:
        digits cut, a number dropped, or a missing cell that could be any of several (the
        values agree, but which cell was not printed cannot be told)."""
        return self.how in ("spurious", "split") or self.placements > 1


def _numeric(tok: Tok) -> int | float | None:
    if tok.kind == "NUMBER" or tok.kind == "SPLIT":
        return number(tok.text)
    if tok.kind == "COUNT" or tok.kind == "CN_NUMBER":
        return count(tok.text)
    if tok.kind == "MONEY":
        parts = money_parts(tok.text)
        return None if parts is None else number(parts[0])
    return None


def _values(slots: Sequence[Tok | None]) -> list[int | float | None]:
    return [None if t is None else _numeric(t) for t in slots]


def consistent(values: Sequence[int | float | None], rules: Sequence[SumRule]) -> bool:
    return all(rule.holds(values) is not False for rule in rules)


def _solve_gaps(values: list[int | float | None], missing: Sequence[int],
                rules: Sequence[SumRule]) -> dict[int, int | float]:
    """Fill each missing cell of ``values`` (in place) that a rule determines."""
    filled: dict[int, int | float] = {}
    for index in missing:
        for rule in rules:
            value = rule.solve(values, index)
            if value is not None:
                values[index] = value
                filled[index] = value
                break
    return filled


def _unique(cands: list[tuple[list[Tok | None], dict[int, int | float]]]):
    """Candidates that give the same values are one reading."""
    seen: dict[Vector, tuple[list[Tok | None], dict[int, int | float]]] = {}
    for slots, filled in cands:
        values = _values(slots)
        for i, v in filled.items():
            values[i] = v
        seen.setdefault(tuple(values), (slots, filled))
    return list(seen.values())


def _is_run(tok: Tok) -> bool:
    return tok.kind == "NUMBER" and tok.text.isdigit() and len(tok.text) > 1


def _values_of(cand) -> list[int | float | None]:
    slots, filled = cand
    values = _values(slots)
    for i, v in filled.items():
        values[i] = v
    return values


def _as_tokens(tok: Tok, pieces: tuple[str, ...]) -> list[Tok]:
    """The cells of one reading of ``tok``, each at its place in the text."""
    if len(pieces) == 1:
        return [tok]
    out, pos = [], tok.pos
    for piece in pieces:
        out.append(Tok("SPLIT", piece, pos))
        pos += len(piece)
    return out


def _reading(values: list[Tok], runs: list[bool], pieces: list[tuple[int, str]]) -> list[Tok]:
    """The cells of one reading: each token, or the pieces its run was cut into."""
    out: list[Tok] = []
    for i, tok in enumerate(values):
        out.extend(_as_tokens(tok, tuple(p for j, p in pieces if j == i)) if runs[i] else [tok])
    return out


def _split_candidates(values: list[Tok], width: int, rules: Sequence[SumRule]):
    """Every reading of the row's runs of digits as ``width`` cells that keeps its rules, one
    per distinct set of values; None when there are too many readings to try them all (a
    reading found among some of them could not be called the only one).

    Readings are built cell by cell, and a rule is checked as soon as its last cell is
    known, so a wrong first group of section 四 is not extended into every reading of the
    rest."""
    runs = [_is_run(tok) for tok in values]
    cells_of_runs = width - len(values) + sum(runs)
    if any(run and len(tok.text) > cells_of_runs * MAX_DIGITS for tok, run in zip(values, runs)):
        # More digits than the cells left could print in range: no reading (and a run of
        # thousands of digits is never turned into a number).
        return []
    if sum(len(tok.text) for tok, run in zip(values, runs) if run) == cells_of_runs:
        # Only one reading: every run is its digits one by one ("0000000" as seven cells).
        flat = [t for tok, run in zip(values, runs)
                for t in (_as_tokens(tok, tuple(tok.text)) if run else [tok])]
        return [(flat, {})] if consistent(_values(flat), rules) else []
    due: dict[int, list[SumRule]] = {}
    for rule in rules:
        due.setdefault(max(rule.total, *rule.parts), []).append(rule)
    # most[i]: the most cells the tokens from i on can give.
    most = [0] * (len(values) + 1)
    for i in range(len(values) - 1, -1, -1):
        most[i] = most[i + 1] + (len(values[i].text) if runs[i] else 1)
    # Rules that total into the row's last cell from cells before it: while that cell is
    # still to be cut from the last run, the parts so far cannot sum to more than the
    # largest number the run's remaining digits can print there.
    into_last = [r for r in rules if r.total == width - 1 and max(r.parts) < r.total]
    budget = MAX_CANDIDATES * 4
    cells: list[int | float | None] = []
    pieces: list[tuple[int, str]] = []  # (token, text) of each cell so far
    # Rules whose total comes after all its parts, by the total's cell: when that cell is
    # cut, its text can only be the parts' sum.
    totals_at: dict[int, list[SumRule]] = {}
    for rule in rules:
        if rule.total > max(rule.parts):
            totals_at.setdefault(rule.total, []).append(rule)

    def total_due(cells: list[int | float | None]) -> str | None:
        for rule in totals_at.get(len(cells), ()):
            parts = [cells[i] for i in rule.parts]
            if None not in parts and all(isinstance(v, int) and v >= 0 for v in parts):
                return str(sum(parts))  # type: ignore[arg-type]
        return None

    # largest[n]: the largest number the last n digits of the last run, or fewer, print as
    # one cell (no cell starts with a zero but 0 itself).
    tail = values[-1].text if into_last and runs[-1] else ""
    largest = [0] * (len(tail) + 1)
    for n in range(1, len(tail) + 1):
        largest[n] = int(tail[-n:]) if n == 1 or tail[-n] != "0" else largest[n - 1]
    parts_of = [rule.parts for rule in into_last]

    def beyond_last(rest: int, left: int) -> bool:
        """Whether the parts so far already exceed every total the last ``rest`` digits of
        the last run can still give as the last of ``left`` cells."""
        longest = rest - (left - 1)
        if longest < 1:
            return False
        known_cells = len(cells)
        for parts in parts_of:
            known = [cells[i] for i in parts if i < known_cells]
            if None not in known and sum(known) > largest[longest]:  # type: ignore[arg-type]
                return True
        return False

    found = []

    def walk(index: int, offset: int, left: int) -> bool:
        """Extend the reading from ``values[index].text[offset:]`` on, with ``left`` cells
        still to make; False when over budget."""
        nonlocal budget
        if index == len(values):
            if left == 0:
                found.append((_reading(values, runs, pieces), {}))
            return True
        tok = values[index]
        text = tok.text
        remaining = len(text) - offset
        if remaining == 0:
            return walk(index + 1, 0, left)
        if not runs[index]:
            lengths: Sequence[int] = (remaining,)
        elif text[offset] == "0":
            lengths = (1,)  # no cell starts with a zero but 0 itself
        else:
            lengths = range(1, remaining + 1)
            needed = total_due(cells)
            if needed is not None:  # this cell is a total of cells already cut
                lengths = (len(needed),) if text.startswith(needed, offset) else ()
        for n in lengths:
            # The digits left in this run make at least one cell, at most one a digit;
            # every later token at least one.
            rest = remaining - n
            if not (1 if rest else 0) + len(values) - index - 1 <= left - 1 <= rest + most[index + 1]:
                continue
            budget -= 1
            if budget < 0:
                return False
            piece = text[offset : offset + n]
            cells.append(number(piece) if runs[index] else _numeric(tok))
            if (into_last and index == len(values) - 1 and runs[index] and left > 1
                    and beyond_last(rest, left - 1)):
                cells.pop()
                continue
            if all(rule.holds(cells) is not False for rule in due.get(len(cells) - 1, ())):
                pieces.append((index, piece))
                if not walk(index, offset + n, left - 1):
                    return False
                pieces.pop()
            cells.pop()
        return True

    if not walk(0, 0, width):
        return None
    return _unique(found)


def _fill_missing(values: list[Tok], width: int, rules: Sequence[SumRule]):
    """Readings of a row short of one or two cells: every placement of the gaps, each
    gap filled where the row's arithmetic determines it.  Returns every reading that keeps
    the rules and one of each set of values."""
    numbers = [_numeric(t) for t in values]  # once, not once a placement
    cands = []
    distinct: dict[Vector, tuple[list[Tok | None], dict[int, int | float]]] = {}
    for missing in itertools.combinations(range(width), width - len(values)):
        it = iter(range(len(values)))
        order = [None if i in missing else next(it) for i in range(width)]
        slots = [None if j is None else values[j] for j in order]
        vector = [None if j is None else numbers[j] for j in order]
        filled = _solve_gaps(vector, missing, rules)
        if consistent(vector, rules) and all(v >= 0 for v in filled.values()):
            cands.append((slots, filled))
            distinct.setdefault(tuple(vector), (slots, filled))
    return cands, list(distinct.values())


def fit_row(tokens: Sequence[Tok], width: int, rules: Sequence[SumRule] = (),
            *, labelled: bool = False) -> Fit:
    """``labelled``: the row has a label, so an empty field right after it may be the
    label's own merged cell (a stub column) rather than a blank value."""
    values = [t for t in tokens if t.kind != "BLANK"]
    if not tokens:
        return Fit([None] * width, "empty")
    # A run of digits with a leading zero ("000023") cannot be one cell: the cells ran
    # together, and only a split can read them.
    # _is_run needs more than "0": a lone 0, most such cells, is not tried (nor a generator made).
    forced = any([_is_run(t) for t in values if t.text[:1] == "0" and t.text != "0"])
    if len(values) == width and not forced:
        return Fit(list(values), "exact")
    if labelled and rules and not tokens[0].is_value and 0 < width - len(values) <= 2 and not forced:
        cands, unique = _fill_missing(values, width, rules)
        if len(unique) == 1 and not any(v is None for v in _values_of(unique[0])):
            return Fit(unique[0][0], "inferred", inferred=unique[0][1], placements=len(cands))
    # Blank cells keep their token, so a blank cell still knows its input line.  After a
    # label, an empty field may be the label's merged cell as well as a blank value: a row
    # short of values is then read by place only when it starts with a value (or holds
    # none: a row printed all blank is blank whichever field is the label's).
    def by_place(row: Sequence[Tok]) -> bool:
        return not (labelled and values and not row[0].is_value)

    if len(tokens) == width and not forced and by_place(tokens):
        return Fit(list(tokens), "positional")
    trimmed = list(tokens)
    while len(trimmed) > width and not trimmed[0].is_value:
        trimmed.pop(0)
    if len(trimmed) == width and not forced and by_place(trimmed):
        return Fit(trimmed, "positional")

    if not forced and len(values) < width and width - len(values) <= 2:
        cands, unique = _fill_missing(values, width, rules)
        if len(unique) == 1:
            slots, filled = unique[0]
            return Fit(slots, "inferred", inferred=filled, placements=len(cands))
        if len(values) == width - 1 and not any(_is_run(t) for t in values):
            return Fit(None, "unresolved", candidates=unique)
    if not forced and len(values) > width and len(values) - width <= 2:
        cands = []
        for drop in itertools.combinations(range(len(values)), len(values) - width):
            slots = [t for i, t in enumerate(values) if i not in drop]
            if consistent(_values(slots), rules):
                cands.append((slots, {}))
        unique = _unique(cands)
        if len(unique) == 1:
            slots = unique[0][0]
            dropped = [t for t in values if t not in slots]
            return Fit(list(slots), "spurious", dropped=dropped)
        return Fit(None, "unresolved", candidates=unique)
    # Splitting a run of digits is a reading only the arithmetic can vouch for, or a run that
    # cannot be one number (a leading zero); a row without a rule (section 二) and without
    # such a run keeps "31" whole, and its shortfall is reported, not filled by a split.
    if any(_is_run(t) for t in values) and len(values) < width and (rules or forced):
        unique = _split_candidates(values, width, rules)
        if unique is not None and len(unique) == 1:
            return Fit(unique[0][0], "split")
        return Fit(None, "unresolved", candidates=unique if unique and len(unique) <= 50 else [])
    return Fit(None, "unresolved")


def reflow(rows: list[list[Tok]], width: int) -> tuple[list[list[Tok]], list[int]]:
    """Numbers printed before their label (PDF text layers put a row's values between
    the lines of a wrapped label): a row holding whole extra rows of values hands them
    on to the following rows that hold too few.  Returns the new rows and the indexes
    of rows that received values."""
    counts = [sum(1 for t in row if t.is_value) for row in rows]
    out = [list(row) for row in rows]
    moved: list[int] = []
    i = 0
    while i < len(rows):
        if counts[i] > width and counts[i] % width == 0 and all(t.is_value for t in rows[i]):
            # Find the run i..j whose values fill exactly its rows, never running short.
            total, j = 0, i
            ok = False
            while j < len(rows):
                total += counts[j]
                if total < width * (j - i + 1):
                    break
                if total == width * (j - i + 1) and j > i:
                    ok = True
                    break
                j += 1
            if ok:
                pool = [t for k in range(i, j + 1) for t in rows[k]]
                for k in range(i, j + 1):
                    out[k] = pool[(k - i) * width : (k - i + 1) * width]
                    if out[k] != rows[k]:
                        moved.append(k)
                i = j + 1
                continue
        i += 1
    return out, moved
