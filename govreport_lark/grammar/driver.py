"""A table grammar's parse in one loop, for the common case where nothing goes wrong.

``Lark.parse`` runs a generator (the contextual lexer, ``spec.lexing``) and a method call
per token (``ParserState.feed_token``); a table has a hundred tokens, and those calls were
a third of a table's time.  ``parse_plain`` runs the same contextual lexing (the shared
scanner of the state on top of the stack, the same runs of ignored text, the same line
counting) and the same LALR table and callbacks in one loop.  It gives up at the first
thing that is not the plain case -- a token the table does not accept, characters no
terminal of the state matches, a state without the shared scanner or with a lexer
callback, an end of input the table does not accept -- and returns ``NOT_PLAIN``: the
caller then parses with Lark itself, whose errors, recovery and messages are the real
ones (``tests/test_driver.py`` holds the two to the same results).
"""

from __future__ import annotations

import functools
import weakref
from typing import Any

from lark import Lark, Token, parse_tree_builder
from lark.parse_tree_builder import ChildFilterLALR_NoPlaceholders
from lark.parsers.lalr_analysis import Shift

from govreport_lark.grammar.rows import Inlined
from govreport_lark.spec.lexing import SharedScannerContextualLexer

NOT_PLAIN: Any = object()  # parse_plain's answer where Lark must parse


class _Made(dict):
    """A dict whose missing entries ``make`` works out, once: the loop reads it by
    subscript, with no call per look-up."""

    def __init__(self, make: Any) -> None:
        super().__init__()
        self.make = make

    def __missing__(self, key: Any) -> Any:
        value = self[key] = self.make(key)
        return value


def _steps(callback: Any, origin: str) -> tuple | None:
    """What Lark's callback of a rule (``ParseTreeBuilder.create_callback``: the
    transformer's method wrapped in Lark's layers) does, as ``(kept, build, data)`` for the
    loop to do without the layers' calls: ``kept`` the children's ``(index, expand)`` of its
    child filter (None: all, as they are); ``build`` the transformer's method, called as
    ``build(children)``, or ``build(data, children, None)`` where ``data`` is a rule name
    (its ``__default__``), or None where the rule is inlined (its value, the children, is
    only ever expanded into its parent's, so the loop keeps the list itself, not the
    ``Inlined`` holding it).  None where the callback has other layers (positions, single
    child expansion, placeholders): the loop does not do that parser."""
    kept = None
    if type(callback) is ChildFilterLALR_NoPlaceholders:
        kept = tuple(callback.to_include)
        callback = callback.node_builder
    # Lark expands every child named ``_...`` into its parent's children, and no other.
    if (callback is Inlined) != origin.startswith("_"):
        return None
    if callback is Inlined:
        return kept, None, None
    if type(callback).__module__ == parse_tree_builder.__name__:
        return None  # another of Lark's layers
    func = getattr(callback, "func", None)
    if (type(callback) is functools.partial and len(callback.args) == 1
            and not callback.keywords and func.__name__ == "default_callback"
            and func.__code__.co_freevars == ("default_handler",)):
        # partial(default_callback, name): default_handler(name, children, None).
        return kept, func.__closure__[0].cell_contents, callback.args[0]
    return kept, callback, None


class _Plan:
    """What the loop needs of one parser, per state made on its first visit: its actions
    by terminal (a shift as ``(True, state)``, a reduction as ``(False, (size, rule name,
    kept, build, data))``, the rule's ``_steps``), and where it lexes, its scanner."""

    def __init__(self, lark: Lark, steps: dict[Any, tuple]) -> None:
        lalr = lark.parser.parser.parser  # lark.parsers.lalr_parser._Parser
        self.lexer: SharedScannerContextualLexer = lark.parser.lexer
        self.states = lalr.parse_table.states
        (start,) = lark.options.start
        self.start = lalr.parse_table.start_states[start]
        self.end = lalr.parse_table.end_states[start]
        self._rules = {rule: (len(rule.expansion), rule.origin.name, *made)
                       for rule, made in steps.items()}
        self.actions: dict[int, dict[str, tuple]] = _Made(self._actions)
        self.scanners: dict[int, tuple | None] = _Made(self._scanner)

    def _actions(self, state: int) -> dict[str, tuple]:
        return {name: (True, arg) if action is Shift else (False, self._rules[arg])
                for name, (action, arg) in self.states[state].items()}

    def _scanner(self, state: int) -> tuple | None:
        """(the scanner's ``after``, allowed, runs, ignored) of the lexer of ``state``;
        None where it does not lex the shared scanner's way without callbacks."""
        fast = self.lexer.scanning(state)
        if fast is None or fast[4]:
            return None
        # Terminal names as plain strings: Lark's may be Tokens, whose == is Python's.
        return fast[0].after, frozenset(map(str, fast[1])), fast[2], frozenset(map(str, fast[3]))


_PLANS: weakref.WeakKeyDictionary[Lark, _Plan | None] = weakref.WeakKeyDictionary()


def _plan(lark: Lark) -> _Plan | None:
    """The parser's plan; None for a parser the loop does not do (another lexer, a
    post-lexer, a callback on a terminal, several start rules, a rule's callback with
    layers ``_steps`` does not do)."""
    try:
        return _PLANS[lark]
    except KeyError:
        pass
    callbacks = lark.parser.parser.parser.callbacks
    plain = (isinstance(lark.parser.lexer, SharedScannerContextualLexer)
             and lark.options.postlex is None and len(lark.options.start) == 1
             and not lark.options.start[0].startswith("_")
             and not lark.options._plugins.get("LexerThread")
             and not any(isinstance(key, str) for key in callbacks))
    steps = {rule: _steps(callback, rule.origin.name) for rule, callback in callbacks.items()} \
        if plain else {}
    plain = plain and None not in steps.values()
    plan = _PLANS[lark] = _Plan(lark, steps) if plain else None
    return plan


def _kept(children: list, kept: tuple) -> list:
    """``ChildFilterLALR_NoPlaceholders``: the kept children, an inlined child's (a list in
    the loop) expanded, the first one's list taken as it is, as Lark takes it."""
    filtered: list = []
    for i, expand in kept:
        if not expand:
            filtered.append(children[i])
        elif filtered:
            filtered += children[i]
        else:
            filtered = children[i]
    return filtered


def parse_plain(lark: Lark, text: str) -> Any:
    """``lark.parse(text)`` where it meets no error, else ``NOT_PLAIN`` (having run some of
    the callbacks: the caller discards what they noted)."""
    plan = _plan(lark)
    if plan is None or not isinstance(text, str):
        return NOT_PLAIN
    shared = plan.lexer.shared
    alternation_at, may_keep = shared.alternation_at, shared.may_keep
    by_char, keeps = shared.by_char, shared.keeps  # their answers so far, without a call
    scanners, actions_of = plan.scanners, plan.actions
    goto = plan.states  # Lark's table: (Shift, state) by rule name after a reduction
    new_token = Token._future_new  # Token(...) without its check of deprecated keywords
    stack, values = [plan.start], []
    end = len(text)
    # Lark's LineCounter, kept in locals and fed at each kept token only: lines and
    # columns are the same counted in one go or token by token.
    pos, line, line_start, counted = 0, 1, 0, 0
    at_end, final = False, plan.end
    while True:
        state = stack[-1]
        # The contextual lexer's next token in this state (SharedScannerContextualLexer.lex),
        # or, past the last one, Lark's $END, which only reduces.
        if pos < end:
            scanner = scanners[state]
            if scanner is None:
                return NOT_PLAIN
            after, allowed, runs, ignore = scanner
        while pos < end:
            char = text[pos]
            m = (by_char.get(char) or alternation_at(char)).match(text, pos, end)
            if m is None:
                return NOT_PLAIN
            type_ = m.lastgroup
            if type_ in allowed:
                stop = m.end()
            else:
                found = after(type_, text, pos, end)
                if found is None:
                    return NOT_PLAIN
                type_ = found[1]
                stop = pos + len(found[0])
            if type_ not in ignore:
                break
            if runs and stop < end and not (keeps.get(text[stop]) or may_keep(text[stop])):
                more = shared.run.match(text, stop, end)
                if more is not None:
                    stop = more.end()
            pos = stop
        else:
            type_, token, at_end = "$END", None, True
        if not at_end:
            newlines = text.count("\n", counted, pos)
            if newlines:
                line += newlines
                line_start = text.rindex("\n", counted, pos) + 1
            first_line, column = line, pos - line_start + 1
            newlines = text.count("\n", pos, stop)
            if newlines:
                line += newlines
                line_start = text.rindex("\n", pos, stop) + 1
            token = new_token(type_, text[pos:stop], pos, first_line, column, line,
                              stop - line_start + 1, stop)
            pos = counted = stop
        # ParserState.feed_token: reduce while the table says so, then shift; at the end,
        # reduce until the start rule's state.
        actions = actions_of[state]
        while True:
            action = actions.get(type_)
            if action is None:
                return NOT_PLAIN
            shift, arg = action
            if shift:
                if at_end:
                    return NOT_PLAIN
                stack.append(arg)
                values.append(token)
                break
            size, origin, kept, build, data = arg
            if size == 1:  # most rules: a single child
                children = [values.pop()]
                stack.pop()
            elif size:
                children = values[-size:]
                del stack[-size:]
                del values[-size:]
            else:
                children = []
            if kept is not None:
                children = _kept(children, kept)
            values.append(children if build is None
                          else build(children) if data is None else build(data, children, None))
            state = goto[stack[-1]][origin][1]
            stack.append(state)
            if at_end and state == final:
                return values[-1]
            actions = actions_of[state]
