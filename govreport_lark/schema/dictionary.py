"""The data dictionary's rows (``dictionary.tsv``): every key of the JSON output with its
template label, item, unit, type and meaning.  One source for ``govreport dictionary``, the
check's labels and the JSON Schema's descriptions."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

FIELDS = ("key", "template", "item", "label", "unit", "type", "meaning")


@dataclass(frozen=True)
class Entry:
    key: str  # a JSON path; ``[i]`` a list position, ``*`` any item, ``[]`` every element
    template: str  # 2019, 2021 or both
    item: str  # where the template prints it, e.g. "2021 表二 第二十条第（一）项"
    label: str  # the template's own words
    unit: str
    type: str
    meaning: str


@lru_cache(maxsize=1)
def _entries() -> tuple[Entry, ...]:
    text = resources.files(__package__).joinpath("dictionary.tsv").read_text(encoding="utf-8")
    reader = csv.DictReader(io.StringIO(text), delimiter="\t")
    return tuple(Entry(**{f: row[f] for f in FIELDS}) for row in reader)


def entries() -> list[Entry]:
    return list(_entries())


EXPORT_FIELDS = ("file", "column", "type", "meaning")


@dataclass(frozen=True)
class ExportColumn:
    file: str  # which output of govreport batch, as its help names it
    column: str
    type: str  # string, int or float, as a CSV reader and Parquet load it
    meaning: str


@lru_cache(maxsize=1)
def _export_columns() -> tuple[ExportColumn, ...]:
    text = resources.files(__package__).joinpath("export_columns.tsv").read_text(
        encoding="utf-8")
    reader = csv.DictReader(io.StringIO(text), delimiter="\t")
    return tuple(ExportColumn(**{f: row[f] for f in EXPORT_FIELDS}) for row in reader)


def export_columns() -> list[ExportColumn]:
    """Every column of every file ``govreport batch`` writes besides the JSON records."""
    return list(_export_columns())
