"""Lark's contextual lexer with a cheaper scanner: the same tokens, built and run faster.

Lark gives every parser state its own scanner, one regular expression that tries the
terminals the state accepts in priority order.  Compiling those expressions was most of a
cold ``govreport parse`` (Python compiles each ``[\\u4e00-\\u9fff]`` class of every
state's expression anew, in pure Python, at about a millisecond each).  Here the states of
one grammar share their expressions, each compiled once:

* the alternation: every terminal of the grammar, in Lark's order (priority, then width,
  then name).  The first alternative that matches is the first matching terminal of any
  state that accepts it, since a state tries its terminals in that same order.  When the
  winner is not acceptable in the state, the state's own terminals after it are tried one
  by one (each compiled once, when first needed) -- what the state's expression would
  have found.  At each position only the terminals that can start with its character are
  in it (``alternation_at``, from ``first_chars``): at a digit, the cells, not fifty
  labels first.
* ``run``: when the winner is an ignored terminal (noise, whitespace, a gloss), the text
  after it is skipped for as long as no terminal that is not ignored matches and an
  ignored one does.  Every state accepts the ignored terminals and would have skipped the
  same text one token at a time; a grammar's noise is one character, so this saves a
  pass through the lexer loop per character of text the template does not name.

A lexer with callbacks on ignored terminals, or a grammar without an ignored terminal
that may hold a newline (the line counter needs one to count lines in a run), simply
does without the run.  The contextual lexer's loop (``SharedScannerContextualLexer.lex``)
does a state's scanning itself, without a call per token.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator
from copy import copy
from typing import Any

from lark.exceptions import LexError, UnexpectedCharacters, UnexpectedToken
from lark.lexer import BasicLexer, ContextualLexer, Token, _create_unless

from govreport_lark.spec.first_chars import first_char_class, guarded


def _text_and_end(text: Any) -> tuple[str, int]:
    # Lark 1.3 hands the scanner a TextSlice, Lark 1.2 the string itself.
    if isinstance(text, str):
        return text, len(text)
    return text.text, text.end


class _Shared:
    """What the lexers of one grammar share."""

    def __init__(self, lexer: BasicLexer, ignore: frozenset[str]) -> None:
        self.terminals = list(lexer.terminals)  # all of the grammar's, in Lark's order
        self.rank = {t.name: i for i, t in enumerate(self.terminals)}
        self.ignore = ignore
        self.flags = lexer.g_regex_flags
        self.re = lexer.re
        newline_ignored = sorted(ignore & lexer.newline_types)
        self.newline_type = newline_ignored[0] if newline_ignored else None
        self._run: re.Pattern[str] | None = None
        self._single: dict[str, re.Pattern[str]] = {}
        self._starts: list[re.Pattern[str] | None] | None = None
        # alternation_at's and may_keep's answers by character, read directly by the
        # parse loop (grammar.driver) for the characters seen before.
        self.by_char: dict[str, re.Pattern[str]] = {}
        self._by_names: dict[tuple[str, ...], re.Pattern[str]] = {}
        self.keeps: dict[str, bool] = {}

    def _compile(self, terminals: list) -> re.Pattern[str]:
        return self.re.compile(
            "|".join(f"(?P<{t.name}>{t.pattern.to_regexp()})" for t in terminals), self.flags)

    def alternation_at(self, char: str) -> re.Pattern[str]:
        """The alternation (module docstring) at a position holding ``char``: without the
        terminals that cannot start with it, so the same first match, without trying
        (say) fifty labels before the cells at a digit.  One pattern per set of terminals,
        one lookup per character seen."""
        pattern = self.by_char.get(char)
        if pattern is None:
            if self._starts is None:
                self._starts = []
                for t in self.terminals:
                    chars = first_char_class(t.pattern.to_regexp(), self.flags)
                    self._starts.append(None if chars is None else self.re.compile(chars))
            chosen = [t for t, starts in zip(self.terminals, self._starts)
                      if starts is None or starts.match(char)]
            names = tuple(t.name for t in chosen)
            pattern = self._by_names.get(names)
            if pattern is None:
                pattern = self._by_names[names] = (
                    self._compile(chosen) if chosen else self.re.compile("(?!)"))
            self.by_char[char] = pattern
        return pattern

    @property
    def run(self) -> re.Pattern[str]:
        if self._run is None:
            kept = guarded("|".join(f"(?:{t.pattern.to_regexp()})" for t in self.terminals
                                    if t.name not in self.ignore), self.flags)
            skipped = "|".join(f"(?:{t.pattern.to_regexp()})" for t in self.terminals
                               if t.name in self.ignore)
            self._run = self.re.compile(f"(?:(?!{kept})(?:{skipped}))+", self.flags)
        return self._run

    def may_keep(self, char: str) -> bool:
        """Whether a terminal that is not ignored can start with ``char``; where none can,
        ``run`` is worth trying (otherwise it would only find the token the loop finds
        next anyway)."""
        kept = self.keeps.get(char)
        if kept is None:
            kept = self.keeps[char] = any(
                t.name not in self.ignore for t in self._by_char_terminals(char))
        return kept

    def _by_char_terminals(self, char: str) -> list:
        pattern = self.alternation_at(char)
        return [t for t in self.terminals if t.name in pattern.groupindex]

    def single(self, index: int) -> re.Pattern[str]:
        t = self.terminals[index]
        pattern = self._single.get(t.name)
        if pattern is None:
            pattern = self._single[t.name] = self.re.compile(t.pattern.to_regexp(), self.flags)
        return pattern


class _StateScanner:
    """The scanner of one state: the terminals it accepts, matched via ``_Shared``."""

    def __init__(self, terminals: list, shared: _Shared, runs: bool) -> None:
        self.terminals = terminals
        self.allowed_types = {t.name for t in terminals}
        self.shared = shared
        self.runs = runs
        self._ranks = [shared.rank[t.name] for t in terminals]  # ascending

    def match(self, text: Any, pos: int) -> tuple[str, str] | None:
        shared = self.shared
        string, end = _text_and_end(text)
        if pos >= end:
            return None
        m = shared.alternation_at(string[pos]).match(string, pos, end)
        if m is None:
            return None
        name = m.lastgroup
        if name in self.allowed_types:
            if self.runs and name in shared.ignore:
                more = shared.run.match(string, m.end(), end)
                if more is not None:
                    value = string[pos : more.end()]
                    return value, shared.newline_type if "\n" in value else name
            return m.group(0), name
        return self.after(name, string, pos, end)

    def after(self, name: str, string: str, pos: int, end: int) -> tuple[str, str] | None:
        """The grammar's first match ``name`` is not acceptable here: the first of the
        state's terminals after it that matches."""
        shared = self.shared
        first = bisect.bisect_right(self._ranks, shared.rank[name])
        for rank in self._ranks[first:]:
            m = shared.single(rank).match(string, pos, end)
            if m is not None:
                return m.group(0), shared.terminals[rank].name
        return None


class SharedScannerLexer(BasicLexer):
    """A state's lexer whose scanner is a ``_StateScanner``."""

    shared: _Shared | None = None

    @property
    def scanner(self) -> Any:
        if self._scanner is None:
            if self.shared is None or self.user_callbacks:
                return BasicLexer.scanner.fget(self)
            terminals, self.callback = _create_unless(self.terminals, self.g_regex_flags,
                                                      self.re, self.use_bytes)
            names = {t.name for t in terminals}
            runs = (self.shared.newline_type is not None and self.shared.ignore <= names
                    and not (self.shared.ignore & set(self.callback)))
            self._scanner = _StateScanner(terminals, self.shared, runs)
        return self._scanner

    def match(self, text: Any, pos: int) -> Any:
        return self.scanner.match(text, pos)

    @property
    def fast(self) -> tuple | None:
        """What ``SharedScannerContextualLexer.lex`` needs of this state, or None when the
        state lexes the Lark way."""
        scanner = self.scanner
        if not isinstance(scanner, _StateScanner):
            return None
        return scanner, scanner.allowed_types, scanner.runs, self.ignore_types, self.callback


def _checked(conf: Any) -> Any:
    """``conf`` after Lark's checks of its terminals, marked as checked, but for the search
    for colliding terminals: without ``strict`` Lark only logs what it finds, and with
    interegular installed the search took 25 s and 500 MB on the first run after an
    install.  The strict builds of the tests (``test_grammars``) rule collisions out."""
    for t in conf.terminals:
        try:
            conf.re_module.compile(t.pattern.to_regexp(), conf.g_regex_flags)
        except conf.re_module.error:
            raise LexError(f"Cannot compile token {t.name}: {t.pattern}") from None
        if t.pattern.min_width == 0:
            raise LexError(f"Lexer does not allow zero-width terminals. ({t.name}: {t.pattern})")
    conf = copy(conf)
    conf.skip_validation = True
    return conf


class SharedScannerContextualLexer(ContextualLexer):
    """Lark's contextual lexer whose state lexers share one ``_Shared`` per grammar."""

    BasicLexer = SharedScannerLexer

    def __init__(self, conf: Any, states: Any, always_accept: Any = ()) -> None:
        # A conf read back from Lark's cache is marked as checked and has no ``strict``.
        if not conf.skip_validation and not conf.strict:
            conf = _checked(conf)
        super().__init__(conf, states, always_accept)
        shared = _Shared(self.root_lexer, frozenset(conf.ignore))
        self.shared = shared
        for lexer in (*self.lexers.values(), self.root_lexer):
            lexer.shared = shared
        self._fast: dict[int, tuple | None] = {}

    def scanning(self, state: int) -> tuple | None:
        """``SharedScannerLexer.fast`` of the lexer of parser state ``state``, made once."""
        fast = self._fast.get(state, False)
        if fast is False:
            fast = self._fast[state] = self.lexers[state].fast
        return fast

    def lex(self, lexer_state: Any, parser_state: Any) -> Iterator[Token]:
        """``ContextualLexer.lex`` with ``SharedScannerLexer.next_token`` written into its
        loop and the line counter kept in place: a table has about a hundred tokens, and
        calls were most of their cost.  A run of ignored text is tried only where no kept
        terminal can start.  Wherever a case is not the plain one (no terminal matches,
        the end of the text, a callback, a state without the shared scanner), Lark's own
        ``next_token`` lexes from the same place with the state's scanner (``match``),
        and raises Lark's errors."""
        shared = self.shared
        alternation_at, may_keep = shared.alternation_at, shared.may_keep
        lexers, fast_of, scanning = self.lexers, self._fast, self.scanning
        line_ctr = lexer_state.line_ctr
        newline = line_ctr.newline_char
        string, end = _text_and_end(lexer_state.text)
        try:
            while True:
                state = parser_state.position
                lexer = lexers[state]
                fast = fast_of.get(state, False)
                if fast is False:
                    fast = scanning(state)
                token = None
                if fast is not None:
                    scanner, allowed, runs, ignore, callback = fast
                    while line_ctr.char_pos < end:
                        pos = line_ctr.char_pos
                        m = alternation_at(string[pos]).match(string, pos, end)
                        if m is None:
                            break
                        type_ = m.lastgroup
                        if type_ in allowed:
                            value = m.group(0)
                        else:
                            found = scanner.after(type_, string, pos, end)
                            if found is None:
                                break
                            value, type_ = found
                        if type_ in callback:
                            break
                        stop = pos + len(value)
                        ignored = type_ in ignore
                        if ignored and runs and stop < end and not may_keep(string[stop]):
                            more = shared.run.match(string, stop, end)
                            if more is not None:
                                stop = more.end()
                        line, column = line_ctr.line, line_ctr.column
                        # LineCounter.feed(string[pos:stop])
                        newlines = string.count(newline, pos, stop)
                        if newlines:
                            line_ctr.line += newlines
                            line_ctr.line_start_pos = string.rindex(newline, pos, stop) + 1
                        line_ctr.char_pos = stop
                        line_ctr.column = stop - line_ctr.line_start_pos + 1
                        if not ignored:
                            token = Token(type_, value, pos, line, column,
                                          line_ctr.line, line_ctr.column, stop)
                            lexer_state.last_token = token
                            break
                yield token if token is not None else lexer.next_token(lexer_state, parser_state)
        except EOFError:
            pass
        except UnexpectedCharacters as e:
            # As ContextualLexer.lex: a terminal the grammar has but this state does not
            # accept gives Lark's clearer error.
            try:
                last_token = lexer_state.last_token
                token = self.root_lexer.next_token(lexer_state, parser_state)
                raise UnexpectedToken(token, e.allowed, state=parser_state,
                                      token_history=[last_token],
                                      terminals_by_name=self.root_lexer.terminals_by_name)
            except UnexpectedCharacters:
                raise e


PLUGINS = {"ContextualLexer": SharedScannerContextualLexer}
