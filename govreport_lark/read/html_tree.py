"""An HTML page as flat lists in document order, for a reader that walks it by index.

libxml2's HTML parser (through lxml) builds the tree.  The page keeps, for every element,
its name, parent, the index after its last descendant, its source line and its attributes,
and one list of events: an int ``i`` opens element ``i``, ``~i`` closes it, a str is a
run of the page's text.  Text inside ``<script>``, ``<style>``, ``<template>``, ``<rt>``
or ``<rp>`` is no reading text: it is kept as ``(container, text)`` so a title that is
itself such an element can still be read, and every other walk steps over it.  Comments,
processing instructions and the doctype are not kept.

A text run made only of ASCII white space outside ``<pre>`` and ``<textarea>`` becomes one
space, or one line break if it holds one (a lone ``&#13;`` is a space, not a break).

The events are what BeautifulSoup built its tree from, and lxml's tree is the same but in
three places: libxml2 stops building it 256 elements deep, at a text node of 10 MB, and
at the end of the root element (a script after ``</html>`` opens a second root in the
events).  A page that may reach any of them is built from the events instead, and takes
its source lines from the tree as far as the two agree.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

# Elements whose text is not reading text, and the elements that keep white space as is.
CONTAINERS = frozenset({"rt", "rp", "style", "script", "template"})
_PRESERVE = frozenset({"pre", "textarea"})
_ASCII_SPACE = " \n\t\x0c\r"

# The tree is trusted below these: 255 ancestors is as deep as libxml2's tree goes, and no
# text node of this many characters can reach its 10,000,000-byte limit in UTF-8.
_TREE_DEPTH = 255
_TREE_CHARS = 2_400_000

# What may follow the root element's end tag for the tree to hold the whole page.
_HTML_END = re.compile(r"</html", re.I)
# One white space character at a time: a run of them repeated would backtrack exponentially.
_TRIVIA = re.compile(r"(?:\s|</(?:html|body)\s*>|<!--(?!-?>)(?:(?!--!?>).)*-->)*", re.I | re.S)

DOCUMENT = 0  # the page itself: element 0, the parent of the root element


@dataclass
class Page:
    """Element 0 is the document; elements 1.. are the page's tags in document order."""

    names: list[str] = field(default_factory=lambda: ["[document]"])
    parents: list[int] = field(default_factory=lambda: [-1])
    ends: list[int] = field(default_factory=lambda: [1])  # one past the last descendant
    lines: list[int] = field(default_factory=lambda: [0])  # own or nearest ancestor's; 0: none
    attrs: list[Any] = field(default_factory=lambda: [{}])  # each answers .get(name)
    events: list[Any] = field(default_factory=lambda: [0])
    opens: list[int] = field(default_factory=lambda: [0])  # where in events i opens
    closes: list[int] = field(default_factory=lambda: [0])  # where in events i closes
    # Text without white space ("flat text") and each element's [start, end) in it.
    flat: str = ""
    flat_starts: list[int] = field(default_factory=lambda: [0])
    flat_ends: list[int] = field(default_factory=lambda: [0])
    tables: list[int] = field(default_factory=list)  # the <table> elements, in order

    def first(self, name: str) -> int | None:
        for i, n in enumerate(self.names):
            if n == name:
                return i
        return None

    def named(self, name: str) -> Iterator[int]:
        return (i for i, n in enumerate(self.names) if n == name)

    def children(self, i: int) -> Iterator[int]:
        child, end, ends = i + 1, self.ends[i], self.ends
        while child < end:
            yield child
            child = ends[child]

    def text(self, i: int, skip: frozenset[int] | set[int] = frozenset()) -> str:
        """The text of element ``i`` as BeautifulSoup's ``get_text()`` gives it: the reading
        text, or for a container element its own kind of text; without the subtrees of
        ``skip``."""
        events, closes = self.events, self.closes
        own = self.names[i] if self.names[i] in CONTAINERS else None
        parts = []
        k, stop = self.opens[i] + 1, closes[i]
        while k < stop:
            x = events[k]
            if type(x) is str:
                if own is None:
                    parts.append(x)
            elif type(x) is tuple:
                if x[0] == own:
                    parts.append(x[1])
            elif x >= 0 and x in skip:
                k = closes[x]
            k += 1
        return "".join(parts)


class _Builder:
    """Adds elements and text to a Page in document order (the tree walk and the parser's
    events both drive it)."""

    def __init__(self) -> None:
        self.page = Page()
        self.stack = [DOCUMENT]
        self.containers: list[str] = []  # names of the open container elements
        self.preserve = 0  # open <pre>/<textarea> elements
        self.parts: list[str] = []
        self.pos = 0

    def start(self, name: str, attrs: Any, line: int) -> None:
        page = self.page
        i = len(page.names)
        parent = self.stack[-1]
        page.names.append(name)
        page.parents.append(parent)
        page.ends.append(0)
        page.lines.append(line or page.lines[parent])
        page.attrs.append(attrs)
        page.opens.append(len(page.events))
        page.closes.append(0)
        page.flat_starts.append(self.pos)
        page.flat_ends.append(0)
        page.events.append(i)
        self.stack.append(i)
        if name in CONTAINERS:
            self.containers.append(name)
        elif name in _PRESERVE:
            self.preserve += 1
        if name == "table":
            page.tables.append(i)

    def end(self) -> None:
        page = self.page
        i = self.stack.pop()
        name = page.names[i]
        page.ends[i] = len(page.names)
        page.flat_ends[i] = self.pos
        page.closes[i] = len(page.events)
        page.events.append(~i)
        if name in CONTAINERS:
            self.containers.pop()
        elif name in _PRESERVE:
            self.preserve -= 1

    def data(self, text: str) -> None:
        if not self.preserve and not text.strip(_ASCII_SPACE):
            text = "\n" if "\n" in text else " "
        if self.containers:
            self.page.events.append((self.containers[-1], text))
            return
        self.page.events.append(text)
        chunk = "".join(text.split())
        if chunk:
            self.parts.append(chunk)
            self.pos += len(chunk)

    def finish(self) -> Page:
        while len(self.stack) > 1:
            self.end()
        page = self.page
        page.ends[DOCUMENT] = len(page.names)
        page.flat_ends[DOCUMENT] = self.pos
        page.closes[DOCUMENT] = len(page.events)
        page.events.append(~DOCUMENT)
        page.flat = "".join(self.parts)
        return page


def _from_tree(root: Any) -> Page | None:
    """The page from lxml's tree; None when the tree is as deep as libxml2 builds one.

    The same as _Builder driven by the tree, written out in one loop: this is the walk
    every page takes."""
    from lxml.etree import iterwalk

    page = Page()
    names, parents, ends, lines, attrs = page.names, page.parents, page.ends, page.lines, page.attrs
    events, opens, closes = page.events, page.opens, page.closes
    flat_starts, flat_ends, tables = page.flat_starts, page.flat_ends, page.tables
    parts: list[str] = []
    pos = 0
    stack = [DOCUMENT]
    containers: list[str] = []
    preserve = 0
    for action, el in iterwalk(root, events=("start", "end", "comment", "pi")):
        if action == "start":
            if len(stack) > _TREE_DEPTH:
                return None
            i = len(names)
            name = el.tag
            parent = stack[-1]
            names.append(name)
            parents.append(parent)
            ends.append(0)
            lines.append(el.sourceline or lines[parent])
            attrs.append(el)
            opens.append(len(events))
            closes.append(0)
            flat_starts.append(pos)
            flat_ends.append(0)
            events.append(i)
            stack.append(i)
            if name in CONTAINERS:
                containers.append(name)
            elif name in _PRESERVE:
                preserve += 1
            elif name == "table":
                tables.append(i)
            text = el.text
        elif action == "end":
            i = stack.pop()
            ends[i] = len(names)
            flat_ends[i] = pos
            closes[i] = len(events)
            events.append(~i)
            name = names[i]
            if name in CONTAINERS:
                containers.pop()
            elif name in _PRESERVE:
                preserve -= 1
            text = el.tail
        else:  # a comment or processing instruction: only the text after it
            text = el.tail
        if text:
            if not preserve and not text.strip(_ASCII_SPACE):
                text = "\n" if "\n" in text else " "
            if containers:
                events.append((containers[-1], text))
            else:
                events.append(text)
                chunk = "".join(text.split())
                if chunk:
                    parts.append(chunk)
                    pos += len(chunk)
    ends[DOCUMENT] = len(names)
    flat_ends[DOCUMENT] = pos
    closes[DOCUMENT] = len(events)
    events.append(~DOCUMENT)
    page.flat = "".join(parts)
    return page


class _Events:
    """lxml parser target: the page from the parser's events, merging adjacent text as
    BeautifulSoup does."""

    def __init__(self) -> None:
        self.b = _Builder()
        self.text: list[str] = []

    def _flush(self) -> None:
        if self.text:
            self.b.data("".join(self.text))
            self.text = []

    def start(self, tag: str, attrib: Any) -> None:
        self._flush()
        self.b.start(tag, dict(attrib), 0)

    def end(self, tag: str) -> None:
        self._flush()
        self.b.end()

    def data(self, text: str) -> None:
        self.text.append(text)

    def comment(self, text: str) -> None:
        self._flush()

    def pi(self, target: str, data: str | None = None) -> None:
        self._flush()

    def doctype(self, *args: Any) -> None:
        self._flush()

    def close(self) -> Page:
        self._flush()
        return self.b.finish()


def _tree(text: str) -> Any:
    """lxml's tree of ``text`` (its root element), None for a page without elements."""
    from lxml import etree

    parser = etree.HTMLParser()
    try:
        parser.feed(text)
        return parser.close()
    except (etree.Error, ValueError):
        return None


def _from_events(text: str) -> Page:
    """The page from the parser's events, with the source lines of the tree paired with its
    elements in document order up to the first element on which they disagree."""
    from lxml import etree

    parser = etree.HTMLParser(target=_Events(), recover=True, huge_tree=False)
    parser.feed(text.removeprefix("\ufeff"))
    page: Page = parser.close()
    lines = [0] * len(page.names)
    root = _tree(text)
    if root is not None:
        elements = (e for e in root.iter() if isinstance(e.tag, str))
        for i, el in zip(range(1, len(page.names)), elements, strict=False):
            if page.names[i] != el.tag.lower():
                break
            lines[i] = el.sourceline or 0
    page.lines = [0] * len(page.names)
    for i in range(1, len(page.names)):
        page.lines[i] = lines[i] or page.lines[page.parents[i]]
    return page


def _after_root(text: str) -> bool:
    """Whether anything but white space, comments and end tags follows the first ``</html``:
    libxml2's tree ends with its root element, its events go on (a script after ``</html>``
    opens a second one)."""
    m = _HTML_END.search(text)
    return m is not None and _TRIVIA.fullmatch(text, m.start()) is None


def parse(text: str, *, events: bool = False) -> Page:
    """The page of ``text``: from lxml's tree, or (``events``, or where the tree would not
    hold the whole page) from the parser's events."""
    if events or len(text) >= _TREE_CHARS or text.startswith("\ufeff") or _after_root(text):
        return _from_events(text)
    root = _tree(text)
    page = _from_tree(root) if root is not None else None
    return page if page is not None else _from_events(text)
