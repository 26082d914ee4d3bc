"""The Transformer shared by the table grammars: each row rule becomes a ``ParsedRow``."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Any

from lark import Token, Transformer, Tree

from govreport_lark.grammar.cells import Tok


class Inlined:
    """The children of an inlined rule, for Lark to hand on to the parent rule."""

    __slots__ = ("children",)

    def __init__(self, children: list) -> None:
        self.children = children


class CellList(list):
    """The cells of a ``cells`` rule (a list of ``Tok``), told apart from a list of
    column labels by its type."""


@dataclass
class ParsedRow:
    key: str  # the grammar rule's name
    label: Token | None
    cells: list[Tok] = field(default_factory=list)


@dataclass
class ParsedGroup:
    """A rule made of other rows (section 二's items, section 三's （六）, section 四's tables)."""

    key: str
    caption: Token | None
    columns: list[Token] = field(default_factory=list)
    rows: list[ParsedRow] = field(default_factory=list)
    cells: list[Tok] = field(default_factory=list)


class RowsTransformer(Transformer):
    """Rows are ``LABEL cells``; groups hold a caption, column labels and rows.

    Built into the LALR parser (``grammar.row_parser(name)``), it runs as each rule
    is reduced: no tree is built and walked again.  It notes every token it is handed, so
    that the text the table consumed is known without a tree (``begin`` / ``consumed``, per
    thread, since one parser serves every thread of a process)."""

    def __init__(self, visit_tokens: bool = False) -> None:
        # No method is named after a terminal: tokens pass through as they are, without
        # a lookup per token.
        super().__init__(visit_tokens)
        self._local = threading.local()

    def begin(self) -> None:
        self._local.tokens = []

    def consumed(self) -> list[tuple[int, int]]:
        """The spans of the tokens that ended up in a row since ``begin``."""
        return [(tok.start_pos, tok.end_pos) for tok in self._local.tokens
                if tok.start_pos is not None and tok.end_pos is not None]

    def _note(self, tokens: list[Token]) -> None:
        noted = getattr(self._local, "tokens", None)
        if noted is not None:
            noted.extend(tokens)

    # The rules made of terminals only.
    def cells(self, children: list[Token]) -> CellList:
        self._note(children)
        if len(children) == 1:  # a row's cells in one token, as most rows print them
            return CellList(Tok.run(children[0]))
        return CellList(tok for run in children for tok in Tok.run(run))

    def columns(self, children: list[Token]) -> list[Token]:
        self._note(children)
        return list(children)

    def heading(self, children: list[Token]) -> list[Token]:
        self._note(children)
        return list(children)

    def __getattr__(self, name: str) -> type[Inlined]:
        # Lark asks for a method by each rule's name.  An inlined rule (``_name``, and Lark's
        # own helpers such as ``__cells_star_0``) only hands its children to its parent's
        # rule: a holder of them does, without a call through ``__default__``.  (Terminals
        # are upper case and get no such method.)
        if name.startswith("_") and not name.endswith("__") and name.lstrip("_")[:1].islower():
            return Inlined
        raise AttributeError(name)

    def __default__(self, data: str, children: list, meta) -> ParsedRow | ParsedGroup | Tree:
        tokens = [c for c in children if isinstance(c, Token)]
        self._note(tokens)
        if data == "start":
            return Tree(data, children, meta)
        *labels, last = children
        # Every child but the last a label (a token; the cells are none) is a row.
        if labels and isinstance(last, CellList) and len(tokens) == len(labels):
            # A label printed twice (heading, then row) counts once: the last is the row's.
            return ParsedRow(str(data), tokens[-1], last)
        group = ParsedGroup(str(data), None)
        for child in children:
            if isinstance(child, Token):
                group.caption = child
            elif isinstance(child, ParsedRow):
                group.rows.append(child)
            elif isinstance(child, CellList):
                group.cells.extend(child)
            elif isinstance(child, list):
                group.columns.extend(child)
        return group


def row_parser(name: str) -> Any:
    """The table grammar ``name`` with the rows transformer inside its LALR parser."""
    from govreport_lark.spec import parser

    return parser(name, transformer=RowsTransformer)
