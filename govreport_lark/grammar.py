"""Loading the ``.lark`` grammars: from the wheel, or from the repository's ``grammars/``."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from lark import Lark

from .lexing import PLUGINS

_HERE = Path(__file__).resolve().parent


def grammar_dir() -> Path:
    """Inside an installed wheel the grammars sit in the package; in a checkout, at the root."""
    for candidate in (_HERE / "grammars", _HERE.parent / "grammars"):
        if (candidate / "common.lark").is_file():
            return candidate
    raise FileNotFoundError("the grammars/ folder is missing from this installation")


def grammar_path(name: str) -> Path:
    return grammar_dir() / f"{name}.lark"


@cache
def parser(name: str, *, strict: bool = False, rows: bool = False) -> Lark:
    """The LALR parser of one grammar with a contextual lexer (built once per process).

    Its state lexers share their scanners (``lexing``); tokens keep their positions, the
    tree's nodes need none.  ``rows``: the table grammars' ``RowsTransformer`` runs inside
    the parser, which then returns rows, not a tree."""
    transformer = None
    if rows:
        from .rows import RowsTransformer

        transformer = RowsTransformer()
    return Lark.open(
        str(grammar_path(name)),
        parser="lalr",
        lexer="contextual",
        propagate_positions=False,
        maybe_placeholders=False,
        strict=strict,
        cache=not strict,
        transformer=transformer,
        _plugins=PLUGINS,
    )


TABLE_GRAMMARS = ("active_disclosure", "applications", "review_litigation")
