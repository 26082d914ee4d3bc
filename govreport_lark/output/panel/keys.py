"""One key set for both templates: each cell of a report as a panel quantity and column
(``schema/panel_keys.tsv``), and a report's cells as panel rows.

A quantity both templates print with the same meaning gets one key (2019's 本年新制作数量 and
2021's 本年制发件数 are ``art20_1.rules``/``issued``); a quantity only one template prints keeps
its own key and says so in ``scope``.  2021's three （六） rows are kept and their sum is the
shared ``other`` that 2019 prints as one row."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

from govreport_lark.output.agency import agency_key

FIELDS = ("template", "table", "row", "column", "quantity", "panel_column", "scope", "derived",
          "note")

PANEL_COLUMNS = ("agency", "agency_key", "year", "template", "table", "quantity", "column",
                 "value", "scope", "status", "codes", "source", "sha256")

TEMPLATES = ("2019", "2021")


@dataclass(frozen=True)
class PanelKey:
    template: str  # the template whose cell this is
    table: str
    row: str  # the contract's row (``art20_1.rules`` in 二); ``*`` in column: every column
    column: str
    quantity: str
    panel_column: str  # ``*``: the contract's column
    scope: str  # both, 2019 or 2021: which templates print it
    derived: str  # for a quantity summed from others: the rows, joined by ``+``
    note: str


@lru_cache(maxsize=1)
def panel_keys() -> tuple[PanelKey, ...]:
    text = resources.files("govreport_lark.schema").joinpath("panel_keys.tsv").read_text(
        encoding="utf-8")
    reader = csv.DictReader(io.StringIO(text), delimiter="\t")
    return tuple(PanelKey(**{f: row[f] or "" for f in FIELDS}) for row in reader)


@lru_cache(maxsize=1)
def _index() -> dict[tuple[str, str, str, str], PanelKey]:
    return {(k.template, k.table, k.row, k.column): k for k in panel_keys() if not k.derived}


def derived_keys(template: str) -> list[PanelKey]:
    return [k for k in panel_keys() if k.derived and k.template == template]


def lookup(template: str | None, table: str, row: str, column: str) -> tuple[str, str, str] | None:
    """``(quantity, column, scope)`` of a cell, or None for a cell the key set does not
    have (a row the template lacks, kept under ``extra``).  Without a template only what
    both templates name alike is placed."""
    if template is None:
        found = {lookup(t, table, row, column) for t in TEMPLATES}
        return found.pop() if len(found) == 1 else None
    index = _index()
    key = index.get((template, table, row, column)) or index.get((template, table, row, "*"))
    if key is None:
        return None
    return key.quantity, column if key.panel_column == "*" else key.panel_column, key.scope


def panel_rows(cells: Iterable[tuple[Any, ...]]) -> Iterator[tuple[Any, ...]]:
    """The panel rows (``PANEL_COLUMNS``) of one report's cells, each as ``cell_rows`` gives
    it: source, sha256, agency, year, template, table, row, column, value, status, codes."""
    cells = list(cells)
    if not cells:
        return
    source, sha256, agency, year, template = cells[0][:5]
    template = None if template is None else str(template)  # a Parquet file read back: int
    # The template as an integer, as the year: a CSV reader and Parquet give one dtype.
    head = (agency, agency_key(agency), year, int(template) if template else None)
    by_cell: dict[tuple[str, str, str], tuple[Any, ...]] = {}
    for cell in cells:
        table, row, column, value, status, codes = cell[5:11]
        by_cell[(table, row, column)] = cell
        placed = lookup(template, table, row, column)
        if placed is None:
            continue
        quantity, panel_column, scope = placed
        yield (*head, table, quantity, panel_column, value, scope, status, codes, source, sha256)
    for key in derived_keys(template or ""):
        parts = key.derived.split("+")
        columns = [c for (t, r, c) in by_cell if t == key.table and r == parts[0]]
        for column in columns:
            found = [by_cell.get((key.table, part, column)) for part in parts]
            if any(f is None for f in found):
                continue
            values = [f[8] for f in found]
            # A blank part leaves the total unknown: null, never a partial sum.
            value = None if None in values else sum(values)
            status = "derived" if value is not None else "blank"
            codes = "|".join(sorted({c for f in found for c in (f[10] or "").split("|") if c}))
            yield (*head, key.table, key.quantity, column, value, key.scope, status, codes,
                   source, sha256)
