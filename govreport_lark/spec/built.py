"""A grammar's parser kept whole between runs: its objects, not Lark's description of them.

Lark's cache holds a parser as plain data (rules, terminals and parse table as dicts and
lists) and builds the objects again on every load, in Python: its parse table's actions
state by state, a lexer for every parser state, the tree builder's callbacks.  That was a
sixth of a cold ``govreport parse`` (the seven grammars, ``applications`` most of it).
Here the parser Lark loaded is pickled as it stands after loading (before any parse), and
the next run unpickles it, in C: the same rules, terminals, parse table, state lexers and
tree-building callbacks (``tests/test_built.py`` holds it and its parses to the parser
Lark loads).

Two things are written by name, not by value: the ``re`` module, and Lark's two parse
actions (``Shift``, ``Reduce``), which its parser compares by identity.  The LALR parser
object is made again on load from the parse table and the callbacks, as Lark's load makes
it.  The file sits beside Lark's cache, named by the grammars' digest and a digest of this
package's lexer and loader and of Python's version; it is written whole to a temporary
name and renamed, and a file that cannot be read, is another user's, or is not a parser
of this form is ignored (Lark's own cache serves, and the file is written again).
"""

from __future__ import annotations

import gc
import importlib
import io
import pickle
import types
from typing import Any

from lark import Lark
from lark.parsers.lalr_analysis import Reduce, Shift
from lark.parsers.lalr_parser import _Parser

from govreport_lark.cachefile import read_own, write_whole

_ACTIONS = {"Shift": Shift, "Reduce": Reduce}


def action(name: str) -> Any:
    """Lark's parse action ``name`` itself (what a kept parse table's actions load as)."""
    return _ACTIONS[name]


class _Pickler(pickle.Pickler):
    def __init__(self, file: Any, lark: Lark) -> None:
        super().__init__(file, protocol=pickle.HIGHEST_PROTOCOL)
        self._lalr_parser = lark.parser.parser.parser

    def reducer_override(self, obj: Any) -> Any:
        # An action loads once (then pickle's memo serves its thousands of references).
        if obj is Shift or obj is Reduce:
            return action, (obj.name,)
        return NotImplemented

    def persistent_id(self, obj: Any) -> Any:
        if isinstance(obj, types.ModuleType):
            return ("module", obj.__name__)
        if obj is self._lalr_parser:
            return ("lalr parser",)
        return None


class _Unpickler(pickle.Unpickler):
    def persistent_load(self, pid: Any) -> Any:
        if pid[0] == "module":
            return importlib.import_module(pid[1])
        if pid[0] == "lalr parser":
            return None
        raise pickle.UnpicklingError(f"unknown reference {pid!r}")


def dumps(lark: Lark) -> bytes:
    """``lark`` (an LALR parser as Lark loaded it, before any parse) as bytes."""
    buffer = io.BytesIO()
    _Pickler(buffer, lark).dump(lark)
    return buffer.getvalue()


def loads(data: bytes) -> Lark:
    """The parser ``dumps`` wrote, with its LALR parser object made as Lark's load makes
    it (from the parse table and the callbacks)."""
    # Unpickling makes tens of thousands of objects and no garbage: the collector, run
    # every few hundred of them, would only walk them again and again.
    enabled = gc.isenabled()
    gc.disable()
    try:
        lark = _Unpickler(io.BytesIO(data)).load()
    finally:
        if enabled:
            gc.enable()
    if not isinstance(lark, Lark):
        raise pickle.UnpicklingError("not a Lark parser")
    frontend = lark.parser
    if frontend.parser_conf.callbacks is not lark._callbacks:
        raise pickle.UnpicklingError("callbacks not shared as Lark shares them")
    lalr = frontend.parser
    lalr.parser = _Parser(lalr._parse_table, lark._callbacks, lark.options.debug)
    return lark


def read(path: str) -> Lark | None:
    """The parser kept in ``path``, or None (missing, another user's, not readable)."""
    data = read_own(path)
    if data is None:
        return None
    try:
        return loads(data)
    except Exception:  # Lark's own cache serves instead
        return None


def write(path: str, lark: Lark) -> bool:
    """``lark`` to ``path`` whole; False when it cannot be written (a read-only folder:
    Lark's cache serves)."""
    try:
        data = dumps(lark)
    except Exception:
        return False
    return write_whole(path, data, ".govreport_lark_parser_")
