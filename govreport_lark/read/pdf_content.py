"""A page's content streams as pdfminer's content parser gives them, found by one
regular expression instead of pdfminer's byte-at-a-time tokenizer.

pdfminer spends most of a page tokenizing its content streams (PSBaseParser walks
each token through a state machine in Python).  ``content_objects`` returns the
same top-level objects (numbers, strings, names, keywords, arrays, dictionaries)
in the same order, so the interpreter that runs them, and every character and
line it draws, is pdfminer's own.  Where pdfminer's tokenizer does something of
its own, it is left to do it: ``content_objects`` returns None and the caller
uses pdfminer's parser for that content, so the result is the same either way.
Those places are:

* pdfminer reads a stream in blocks of 4096 bytes, and a string's escaped line
  end (backslash, CR, LF) split by a block's end reads otherwise than whole;
* a token still open at the end of a stream (pdfminer carries some on into the
  next stream);
* inline images (BI … ID … EI), procedures ({ }), an unbalanced ] or >>, a
  dictionary with an odd number of entries or a key that is no name, an octal
  escape above 255.
"""

from __future__ import annotations

import re
from typing import Any

from pdfminer.psparser import KWD, LIT, PSKeyword, PSLiteral

_BLOCK = 4096  # pdfminer's PSBaseParser.BUFSIZ

# One token per match, found by search (whitespace and NULs between tokens are
# skipped, as pdfminer's _parse_main skips them); the groups are pdfminer's
# _parse_main branches, with a string free of parentheses and backslashes read
# whole ("sstr") and any other string left to _string.
_TOKEN = re.compile(
    rb"(?P<num>[-+0-9][0-9]*(?:\.[0-9]*)?|\.[0-9]*)"
    rb"|(?P<kw>[A-Za-z][^#/%\[\]()<>{}\s]*)"
    rb"|(?P<name>/(?:[^#/%\[\]()<>{}\s]|#[0-9a-fA-F]{0,2})*)"
    rb"|\((?P<sstr>[^()\\]*)\)"
    rb"|(?P<str>\()"
    rb"|(?P<dictb><<)"
    rb"|(?P<hex><[\s0-9a-fA-F]*)"
    rb"|(?P<dicte>>>)"
    rb"|(?P<gt>>)"
    rb"|(?P<com>%[^\r\n]*)"
    rb"|(?P<one>[^\s\x00])"
)
# The same tokens, whole, for findall: a stream whose strings hold no parentheses
# but escaped ones is cut in one call and its tokens told apart by their first byte.
_CUT = re.compile(
    rb"[-+0-9][0-9]*(?:\.[0-9]*)?|\.[0-9]*"
    rb"|[A-Za-z][^#/%\[\]()<>{}\s]*"
    rb"|/(?:[^#/%\[\]()<>{}\s]|#[0-9a-fA-F]{0,2})*"
    rb"|\((?:[^()\\]|\\[\s\S])*\)|\("
    rb"|<<|<[\s0-9a-fA-F]*|>>|>"
    rb"|%[^\r\n]*"
    rb"|[^\s\x00]"
)
_NUMBER_START = frozenset(b"+-.0123456789")
_LETTER = frozenset(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")
_END_STRING = re.compile(rb"[()\\]")
_OCTAL = re.compile(rb"[0-7]{1,3}")
_NAME_HEX = re.compile(rb"#([0-9a-fA-F]{0,2})")
_SPACE = re.compile(rb"\s")
_ESCAPES = {
    ord("b"): b"\x08", ord("t"): b"\t", ord("n"): b"\n", ord("f"): b"\x0c",
    ord("r"): b"\r", ord("("): b"(", ord(")"): b")", ord("\\"): b"\\",
}  # fmt: skip

_ARRAY_BEGIN, _ARRAY_END = KWD(b"["), KWD(b"]")
_DICT_BEGIN, _DICT_END = KWD(b"<<"), KWD(b">>")
_REFUSED = {KWD(b"{"), KWD(b"}"), KWD(b"BI"), KWD(b"ID"), KWD(b"EI")}
_ONE = [KWD(bytes((c,))) for c in range(256)]  # a single-byte keyword, pdfminer's else branch
_TRUE, _FALSE = b"true", b"false"


class _Differs(Exception):
    """pdfminer's tokenizer reads this content its own way."""


def _string(data: bytes, i: int) -> tuple[bytes, int]:
    """A literal string from just after its "(": (value, position after its ")")."""
    out = bytearray()
    depth = 1
    n = len(data)
    while True:
        m = _END_STRING.search(data, i)
        if m is None:
            raise _Differs  # open at the end of the stream
        j = m.start()
        out += data[i:j]
        c = data[j]
        if c == 0x5C:  # backslash: pdfminer's _parse_string_1
            k = j + 1
            if k >= n:
                raise _Differs
            octal = _OCTAL.match(data, k)
            if octal is not None:
                code = int(octal.group(), 8)
                if code >= 256:
                    raise _Differs  # pdfminer fails an assertion
                out.append(code)
                i = octal.end()
                continue
            esc = _ESCAPES.get(data[k])
            if esc is not None:
                out += esc
            elif data[k] == 0x0D and data[k + 1 : k + 2] == b"\n":
                if (k + 1) % _BLOCK == 0:
                    raise _Differs  # CR ends a block: pdfminer keeps the LF
                k += 1
            i = k + 1  # any other escaped byte is dropped, as pdfminer does
        elif c == 0x28:
            depth += 1
            out.append(c)
            i = j + 1
        else:
            depth -= 1
            if depth:
                out.append(c)
                i = j + 1
            else:
                return bytes(out), j + 1


def _hex(body: bytes) -> bytes:
    body = _SPACE.sub(b"", body)
    if len(body) % 2:
        return bytes.fromhex(body[:-1].decode()) + bytes((int(body[-1:], 16),))
    return bytes.fromhex(body.decode())


def _name(raw: bytes) -> PSLiteral:
    if b"#" in raw:
        raw = _NAME_HEX.sub(lambda m: bytes((int(m.group(1), 16),)) if m.group(1) else b"", raw)
    try:
        name: str | bytes = str(raw, "utf-8")
    except UnicodeDecodeError:
        name = raw
    return LIT(name)


def _quick_tokens(data: bytes, keywords: dict[bytes, Any]) -> list[Any] | None:
    """_tokens for the common stream, by findall; None for a stream with a string
    holding parentheses or an escaped CR, or a token that may run on past its end."""
    out: list[Any] = []
    append = out.append
    cut = _CUT.findall(data)
    if cut and cut[-1][0] in b"/<>(" and data.endswith(cut[-1]):
        return None  # the last token ends the stream: _tokens looks at it closely
    for t in cut:
        c = t[0]
        if c in _NUMBER_START:
            try:
                append(float(t) if b"." in t else int(t))
            except ValueError:
                pass  # "-", "+", "." alone: pdfminer drops them
        elif c in _LETTER:
            kw = keywords.get(t)
            if kw is None:
                kw = keywords[t] = True if t == _TRUE else False if t == _FALSE else KWD(t)
            append(kw)
        elif c == 0x2F:  # /
            append(_name(t[1:]))
        elif c == 0x28:  # (
            if len(t) == 1 or b"\\\r" in t:
                return None  # nested parentheses, or an escaped CR: _tokens reads it
            if b"\\" not in t:
                append(t[1:-1])
                continue
            try:
                append(_string(t, 1)[0])
            except _Differs:
                return None  # an octal escape above 255: _tokens declines it
        elif c == 0x3C:  # <
            append(_DICT_BEGIN if t == b"<<" else _hex(t[1:]))
        elif c == 0x3E:  # >
            if len(t) == 2:
                append(_DICT_END)
        elif c != 0x25:  # not a comment: a keyword of its own
            append(_ONE[c])
    return out


def _tokens(data: bytes) -> list[Any]:
    """The tokens of one stream, as pdfminer's PSBaseParser.nexttoken gives them."""
    out: list[Any] = []
    append = out.append
    n = len(data)
    pos = 0
    while pos < n:
        for m in _TOKEN.finditer(data, pos):
            kind = m.lastgroup
            if kind == "num":
                text = m.group()
                try:
                    append(float(text) if b"." in text else int(text))
                except ValueError:
                    pass  # "-", "+", "." alone: pdfminer drops them
            elif kind == "kw":
                text = m.group()
                if text == _TRUE:
                    append(True)
                elif text == _FALSE:
                    append(False)
                else:
                    append(KWD(text))
            elif kind == "sstr":
                append(m.group(kind))
            elif kind == "name":
                raw = m.group()[1:]
                if m.end() == n and (not raw or b"#" in raw):
                    raise _Differs  # pdfminer may read on into the next stream
                append(_name(raw))
            elif kind == "hex":
                if m.end() == n:
                    raise _Differs  # open at the end of the stream
                append(_hex(m.group()[1:]))
            elif kind == "dictb":
                append(_DICT_BEGIN)
            elif kind == "dicte":
                append(_DICT_END)
            elif kind == "str":
                value, pos = _string(data, m.end())
                append(value)
                break  # go on searching after the string
            elif kind == "gt":
                if m.end() == n:
                    raise _Differs
            elif kind == "one":  # a keyword of its own: [ ] { } ) ' " and bytes over 127
                append(_ONE[data[m.start()]])
        else:
            pos = n
    return out


def _literal_name(key: Any) -> str:
    if not isinstance(key, PSLiteral):
        raise _Differs
    if isinstance(key.name, str):
        return key.name
    try:
        return str(key.name, "utf-8")
    except UnicodeDecodeError:
        return str(key.name)


def _objects(tokens: list[Any]) -> list[Any]:
    """pdfminer's PSStackParser.nextobject over ``tokens``: arrays and dictionaries
    built, everything else as it comes."""
    out: list[Any] = []
    context: list[tuple[str, list[Any]]] = []
    current: list[Any] = out
    for token in tokens:
        if token.__class__ is not PSKeyword:
            current.append(token)
        elif token is _ARRAY_BEGIN:
            context.append(("a", current))
            current = []
        elif token is _ARRAY_END:
            if not context or context[-1][0] != "a":
                raise _Differs
            done = current
            current = context.pop()[1]
            current.append(done)
        elif token is _DICT_BEGIN:
            context.append(("d", current))
            current = []
        elif token is _DICT_END:
            if not context or context[-1][0] != "d" or len(current) % 2:
                raise _Differs
            entries = current
            current = context.pop()[1]
            current.append({_literal_name(entries[i]): entries[i + 1]
                            for i in range(0, len(entries), 2)})  # fmt: skip
        elif token in _REFUSED:
            raise _Differs
        else:
            current.append(token)
    if context:
        raise _Differs  # an array or dictionary still open at the end
    return out


# Content holding every kind of token, in two streams, to hold this tokenizer to the
# pdfminer it runs with (its tokenizer has changed between releases): if they
# differ, pdfminer's own is used throughout.
_PROBE = [
    b"q 0.05 0 0 0.05 496.919 39.51 cm 1 0 0 RG -3 +4 .5 -.25 1. 3.14.15 --5 - + .\n"
    b"/P <</MCID 0 /Name /A#41B#4 /S (a(b)c)>> BDC BT /F1#20x 12 Tf [(a\\)b) -120 <4 8 6>"
    b" (\\101\\1\\12x\\n\\t\\q\\\n) <abz>] TJ T* ' \" %comment\r(x) Tj true false"
    b" \x00 \x80 ) f* B*",
    b"ET Q EMC <48656c6c6f> Tj",
]
_agrees: bool | None = None


def tokenizer_agrees() -> bool:
    """Whether this tokenizer gives the installed pdfminer's objects on _PROBE."""
    global _agrees
    if _agrees is None:
        from pdfminer.pdfinterp import PDFContentParser
        from pdfminer.pdftypes import PDFStream
        from pdfminer.psparser import PSEOF

        theirs: list[Any] = []
        try:
            parser = PDFContentParser([PDFStream({}, data) for data in _PROBE])
            while True:
                theirs.append(parser.nextobject()[1])
        except PSEOF:
            pass
        except Exception:
            theirs = []
        mine = _content_objects(_PROBE)
        _agrees = mine is not None and repr(mine) == repr(theirs) and len(mine) > 40
    return _agrees


def content_objects(streams: list[bytes]) -> list[Any] | None:
    """The objects pdfminer's PDFContentParser gives for ``streams`` (the decoded
    content streams, in order), or None where its tokenizer reads them its own way."""
    return _content_objects(streams) if tokenizer_agrees() else None


def _content_objects(streams: list[bytes]) -> list[Any] | None:
    tokens: list[Any] = []
    keywords: dict[bytes, Any] = {}
    try:
        for data in streams:
            quick = _quick_tokens(data, keywords)
            tokens += _tokens(data) if quick is None else quick
        return _objects(tokens)
    except _Differs:
        return None


def stream_tokens(data: bytes) -> list[Any] | None:
    """The tokens of one stream read on its own (a font's ToUnicode CMap), or None
    where pdfminer's tokenizer reads it its own way."""
    if not tokenizer_agrees():
        return None
    try:
        quick = _quick_tokens(data, {})
        return _tokens(data) if quick is None else quick
    except _Differs:
        return None
