"""Loading the ``.lark`` grammars: from the wheel, or from the repository's ``grammars/``."""

from __future__ import annotations

import copy
import hashlib
import os
import re
import sys
import tempfile
from functools import cache
from pathlib import Path

import lark
from lark import Lark

from govreport_lark.spec import built, first_chars, lexing
from govreport_lark.spec.first_chars import guarded
from govreport_lark.spec.lexing import PLUGINS

_HERE = Path(__file__).resolve().parent


def grammar_dir() -> Path:
    """Inside an installed wheel the grammars sit in the package; in a checkout, at the root."""
    for candidate in (_HERE.parent / "grammars", _HERE.parents[1] / "grammars"):
        if (candidate / "common.lark").is_file():
            return candidate
    raise FileNotFoundError("the grammars/ folder is missing from this installation")


def grammar_path(name: str) -> Path:
    return grammar_dir() / f"{name}.lark"


@cache
def _grammars_digest() -> str:
    """The text of every grammar, Lark's version and Python's, read once a process (Lark's
    own cache name covers the main file only, so an edit to common.lark would load a parser
    built from the old one)."""
    digest = hashlib.sha256(f"{lark.__version__} {sys.version_info[:2]}".encode())
    for path in sorted(grammar_dir().glob("*.lark")):
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()[:32]


def _cache_file(name: str) -> str:
    """Where a grammar's built parser is kept between runs, per user."""
    user = os.getuid() if hasattr(os, "getuid") else os.getlogin()
    return os.path.join(tempfile.gettempdir(),
                        f".govreport_lark_{user}_{name}_{_grammars_digest()}.tmp")


@cache
def _built_digest() -> str | None:
    """The grammars' digest with Python's full version and the code whose objects a kept
    parser holds (the lexer, and ``first_chars``, whose classes its scanners keep) or wires
    (this loader, ``built``); None where that code cannot be read (then no parser is
    kept)."""
    digest = hashlib.sha256(f"{_grammars_digest()} {sys.version}".encode())
    try:
        for module in (lexing, first_chars, built, sys.modules[__name__]):
            digest.update(Path(module.__file__).read_bytes())
    except (OSError, TypeError):
        return None
    return digest.hexdigest()[:32]


def _built_file(name: str) -> str | None:
    """Where a grammar's parser is kept whole (``built``), beside Lark's cache."""
    digest = _built_digest()
    if digest is None:
        return None
    user = os.getuid() if hasattr(os, "getuid") else os.getlogin()
    return os.path.join(tempfile.gettempdir(), f".govreport_lark_{user}_{name}_{digest}.parser")


def parser(name: str, *, strict: bool = False, transformer: type | None = None) -> Lark:
    """The LALR parser of one grammar with a contextual lexer (built once per process).

    Its state lexers share their scanners (``lexing``); tokens keep their positions, the
    tree's nodes need none.  ``transformer``: a transformer class (the table grammars'
    ``RowsTransformer``) run inside the parser, which then returns its result, not a tree;
    that parser is the plain one's grammar, parse table and lexer with the transformer's
    callbacks (``with_transformer``), not a second load of the grammar.  The plain parser
    is kept whole between runs (``built``) once Lark has loaded it."""
    # One cache key however the options are passed (``strict=False`` or not at all).
    return _parser(name, strict, transformer)


@cache
def _parser(name: str, strict: bool, transformer: type | None) -> Lark:
    if transformer is not None and not strict:
        return with_transformer(parser(name), transformer())
    path = _built_file(name) if not strict and transformer is None else None
    if path is not None:
        kept = built.read(path)
        if kept is not None:
            return kept
    lark = load(name, strict=strict, transformer=transformer)
    if path is not None:
        built.write(path, lark)
    return lark


parser.cache_clear = _parser.cache_clear  # type: ignore[attr-defined]


def load(name: str, *, strict: bool = False, transformer: type | None = None) -> Lark:
    """The parser as Lark loads it (from its cache unless ``strict``), every time."""
    return Lark.open(
        str(grammar_path(name)),
        parser="lalr",
        lexer="contextual",
        propagate_positions=False,
        maybe_placeholders=False,
        strict=strict,
        cache=False if strict else _cache_file(name),
        transformer=transformer() if transformer is not None else None,
        _plugins=PLUGINS,
    )


def with_transformer(base: Lark, transformer: object) -> Lark:
    """``base`` with ``transformer`` inside its LALR parser: what ``Lark(..., transformer=)``
    builds, sharing ``base``'s rules, parse table and contextual lexer (with its compiled
    scanners), so that neither the grammar nor a scanner is loaded or compiled twice.  Only
    the parser's callbacks differ (``tests/test_lexing.py`` holds its results to a parser
    loaded with the transformer)."""
    from lark.parsers.lalr_parser import _Parser

    lark = copy.copy(base)
    options = copy.copy(base.options)
    options.__dict__["options"] = dict(base.options.options)
    options.transformer = transformer
    lark.options = options
    lark._prepare_callbacks()
    frontend = copy.copy(base.parser)
    frontend.options = options
    frontend.parser_conf = copy.copy(base.parser.parser_conf)
    frontend.parser_conf.callbacks = lark._callbacks
    lalr = frontend.parser = copy.copy(base.parser.parser)
    lalr.parser = _Parser(lalr._parse_table, lark._callbacks, options.debug)
    lark.parser = frontend
    return lark


TABLE_GRAMMARS = ("active_disclosure", "applications", "review_litigation")


@cache
def terminals(name: str) -> dict[str, str]:
    """A grammar's terminals as regular expressions, by name (the wording searched for in
    the text outside a parse: headings, titles, column words)."""
    return {t.name: t.pattern.to_regexp() for t in parser(name).terminals
            if not t.name.startswith("__")}


@cache
def row_labels(grammar: str) -> re.Pattern[str]:
    """The grammar's row labels (its terminals of priority 3 that are not cells, glosses,
    stubs or column headings) as one pattern, a named group each."""
    lark = parser(grammar)
    skip = set(lark.lexer_conf.ignore) | {"NUMBER", "MONEY", "PLACEHOLDER", "BLANK", "EXTRA_LABEL",
                                      "INFO_CONTENT"}
    return re.compile(guarded("|".join(
        f"(?P<{t.name}>{t.pattern.to_regexp()})"
        for t in lark.terminals
        if t.name not in skip and t.priority >= 3 and not t.name.startswith("COL_")
    )))
