"""The data dictionary: every key of the JSON output with its template label in Chinese, the
template item, unit, type and meaning (``govreport dictionary``)."""

from __future__ import annotations

import argparse
import csv
import io
from typing import Any

from govreport_lark.schema.dictionary import (
    EXPORT_FIELDS,
    FIELDS,
    Entry,
    entries,
    export_columns,
)

__all__ = ["FIELDS", "Entry", "entries", "render", "render_exports", "render_panel"]


def render(fmt: str = "md") -> str:
    rows = entries()
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(FIELDS)
        writer.writerows([getattr(e, f) for f in FIELDS] for e in rows)
        return out.getvalue()
    lines = ["| " + " | ".join(FIELDS) + " |", "|" + "---|" * len(FIELDS)]
    for e in rows:
        cells = (getattr(e, f).replace("|", "\\|") for f in FIELDS)
        lines.append("| " + " | ".join(f"`{c}`" if i == 0 else c for i, c in enumerate(cells))
                     + " |")
    return "\n".join(lines) + "\n"


def _table(fields: tuple[str, ...], rows: list[list[str]], fmt: str) -> str:
    """CSV, or a Markdown table with ``|`` escaped in cells."""
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(fields)
        writer.writerows(rows)
        return out.getvalue()
    lines = ["| " + " | ".join(fields) + " |", "|" + "---|" * len(fields)]
    lines += ["| " + " | ".join(c.replace("|", "\\|") for c in row) + " |" for row in rows]
    return "\n".join(lines) + "\n"


def render_panel(fmt: str = "md") -> str:
    """The panel key set (``schema/panel_keys.tsv``): every cell of both templates with its
    panel quantity, column and scope."""
    from govreport_lark.output.panel.keys import FIELDS as PANEL_FIELDS
    from govreport_lark.output.panel.keys import panel_keys

    return _table(PANEL_FIELDS, [[getattr(k, f) for f in PANEL_FIELDS] for k in panel_keys()],
                  fmt)


def render_exports(fmt: str = "md") -> str:
    """Every column of the files ``govreport batch`` writes (long CSV and Parquet, reports
    table, failed files, panel, cross-year findings)."""
    return _table(EXPORT_FIELDS,
                  [[getattr(c, f) for f in EXPORT_FIELDS] for c in export_columns()], fmt)


def cmd_dictionary(args: argparse.Namespace) -> int:
    which = render_panel if args.panel else render_exports if args.exports else render
    print(which(args.format), end="")
    return 0


def add_parser(subparsers: Any) -> None:
    p = subparsers.add_parser("dictionary", help="print every output key with its template label")
    which = p.add_mutually_exclusive_group()
    which.add_argument("--panel", action="store_true",
                   help="the panel key set instead: each cell of both templates as a panel "
                   "quantity and column, and which templates print it")
    which.add_argument("--exports", action="store_true",
                   help="the columns of every file govreport batch writes instead: long CSV "
                   "and Parquet, reports table, failed files, panel, cross-year findings")
    p.add_argument("--format", choices=("md", "csv"), default="md",
                   help="Markdown table (default) or CSV")
    p.set_defaults(func=cmd_dictionary)
