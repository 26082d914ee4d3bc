"""Compiled regular expressions kept between runs: the matching code, not compiled again.

Python compiles a regular expression in two steps: its text is parsed and turned into a
list of integers (the engine's code) in pure Python, then ``_sre.compile`` builds the
pattern object from that list in C.  The pure-Python step was most of the first parse of
a cold ``govreport parse``: the grammars' scanners, the row-label and section searches,
the module-level expressions, about 250 of them.  The list depends only on the pattern's
text, its flags and the Python that compiled it, so it is kept in a file and handed to
``_sre.compile`` on the next run: the same pattern object (``tests/test_regex_cache.py``
holds every expression of the grammars and the pipeline to it, code and groups).

``install()`` puts a wrapper in front of the compiler's ``compile``.  It answers from the
file only for expressions compiled by this package or by Lark (another program's
expressions are compiled as always and never written), and only for the Python that
wrote the file: its version string, its engine's magic number and sizes and the file's
format are the file's first field.  Each entry holds its own key (checked when it is
read) and a checksum; it is decoded when first asked for, so a run pays for the entries
it uses, not for the whole file.  A file that is missing, unreadable or written by
another Python, and an entry that is damaged, are ignored (compiled as always, written
again at exit); a folder that cannot be written only means no file.  A Python whose
compiler does not work as expected (a probe expression compiled both ways differs)
compiles as it always did.  ``GOVREPORT_REGEX_CACHE=0`` turns it off.

The file sits beside the grammars' cache (the system's temporary folder), one per user
and Python, written whole to a temporary name and renamed, so a reader never sees half
of it; a file another user owns is not read.
"""

from __future__ import annotations

import atexit
import marshal
import os
import sys
import zlib
from collections.abc import Callable
from typing import Any

from govreport_lark.cachefile import read_own, write_whole

_FORMAT = 3
_MAX_ENTRIES = 1024  # beyond that (or _MAX_BYTES), only what this run used is written
_MAX_BYTES = 3 << 20
_SCOPE = ("govreport_lark", "lark.")
_RE_MODULES = frozenset({"re", "re._compiler", "sre_compile"})
_MISSING = object()
_PROBE = (r"(?P<a>[a-c]+)|(?<![\d.])\d+(?:\.\d+)?|[、.]\s*(?=x)", 0)


class _State:
    """The process's cache: what the file held, what this run added and used."""

    def __init__(self, compiler: Any, parser: Any, sre: Any, original: Any) -> None:
        self.compiler, self.parser, self.sre, self.original = compiler, parser, sre, original
        self.stamp = _stamp(sre)
        self.path: str | None = None
        # slot -> packed entry (read on the first compile; each entry is decoded when
        # asked for)
        self.entries: dict | None = None
        self.used: set = set()
        self.added = 0
        self.debug = getattr(compiler, "SRE_FLAG_DEBUG", 128)  # printed, never cached


_state: _State | None = None


def _internals() -> tuple[Any, Any, Any]:
    import _sre

    try:  # Python 3.11+
        import re._compiler as compiler
        import re._parser as parser
    except ImportError:  # Python 3.10
        import sre_compile as compiler  # type: ignore[no-redef]
        import sre_parse as parser  # type: ignore[no-redef]
    return compiler, parser, _sre


def _stamp(sre: Any) -> tuple:
    """What a file must have been written by: this format, this very Python and engine."""
    return (_FORMAT, sys.version, sys.implementation.cache_tag, sre.MAGIC, sre.CODESIZE,
            getattr(sre, "MAXREPEAT", None), getattr(sre, "MAXGROUPS", None))


def cache_path() -> str | None:
    """The file of this user and this Python, beside the grammars' cache."""
    import tempfile

    state = _state
    stamp = state.stamp if state is not None else _stamp(_internals()[2])
    user = os.getuid() if hasattr(os, "getuid") else os.environ.get("USERNAME", "user")
    tag = f"{zlib.crc32(repr(stamp).encode()):08x}"
    return os.path.join(tempfile.gettempdir(), f".govreport_lark_{user}_regex_{tag}.tmp")


def _arguments(parser: Any, compiler: Any, pattern: Any, flags: int) -> tuple:
    """What the compiler hands ``_sre.compile`` for ``pattern`` (as its ``compile`` does,
    Python 3.10 to 3.13): flags, code, groups, group index, index group."""
    p = parser.parse(pattern, flags)
    code = compiler._code(p, flags)
    groupindex = p.state.groupdict
    indexgroup = [None] * p.state.groups
    for k, i in groupindex.items():
        indexgroup[i] = k
    # The code holds the compiler's named opcodes (int subclasses): plain ints are the
    # same code to the engine and can be written.
    return (int(flags | p.state.flags), list(map(int, code)), p.state.groups - 1,
            dict(groupindex), tuple(indexgroup))


def _build(sre: Any, pattern: Any, args: tuple) -> Any:
    flags, code, groups, groupindex, indexgroup = args
    return sre.compile(pattern, flags, code, groups, groupindex, indexgroup)


def _slot(key: tuple) -> tuple[int, int]:
    """Where ``key`` is filed: a checksum and the length of its marshalled form.  Short
    slots keep the file quick to read; the entry holds the key itself, so two keys in one
    slot only cost a compile."""
    data = marshal.dumps(key)
    return zlib.crc32(data), len(data)


def _pack(key: tuple, value: Any) -> bytes:
    blob = marshal.dumps((key, value))
    return zlib.adler32(blob).to_bytes(4, "little") + blob


def _unpack(key: tuple, raw: Any) -> Any:
    """The value ``_pack`` put in ``raw`` for ``key``; ``_MISSING`` for an entry that is
    damaged or another key's."""
    try:
        blob = memoryview(raw)[4:]
        if zlib.adler32(blob) != int.from_bytes(raw[:4], "little"):
            return _MISSING
        stored, value = marshal.loads(blob)
    except Exception:
        return _MISSING
    return value if stored == key else _MISSING


def _read(path: str, stamp: tuple) -> dict:
    """The file's entries (slot -> packed entry), or nothing for a file that is not this
    Python's."""
    data = read_own(path)
    if data is None:  # missing, unreadable, another user's: compiled as always
        return {}
    try:
        head, entries = marshal.loads(data)
    except Exception:  # damaged: compiled as always
        return {}
    return entries if head == stamp and isinstance(entries, dict) else {}


def _write(path: str, stamp: tuple, entries: dict) -> bool:
    """``entries`` to ``path`` whole; False when the folder cannot be written, which only
    means no cache."""
    try:
        data = marshal.dumps((stamp, entries))
    except Exception:
        return False
    return write_whole(path, data, ".govreport_lark_regex_")


def _in_scope() -> bool:
    """Whether the expression being compiled is this package's or Lark's."""
    frame = sys._getframe(2)
    while frame is not None and frame.f_globals.get("__name__") in _RE_MODULES:
        frame = frame.f_back
    name = frame.f_globals.get("__name__", "") if frame is not None else ""
    return name == "lark" or name.startswith(_SCOPE)


def _load(state: _State) -> None:
    try:
        state.path = cache_path()
    except Exception:  # no usable temporary folder: no file, every expression compiled
        state.path = None
    state.entries = _read(state.path, state.stamp) if state.path else {}


def _compile(p: Any, flags: int = 0) -> Any:
    state = _state
    if state is None:  # uninstalled while a caller held this function
        return _internals()[0].compile(p, flags)
    if not isinstance(p, (str, bytes)) or flags & state.debug or not _in_scope():
        return state.original(p, flags)
    if state.entries is None:
        _load(state)
    key = (p, flags := int(flags))  # a RegexFlag is not written
    slot = _slot(key)
    raw = state.entries.get(slot)
    if raw is not None:
        args = _unpack(key, raw)
        if args is not _MISSING:
            try:
                pattern = _build(state.sre, p, args)
            except Exception:  # not what this Python wrote: compiled again below
                pass
            else:
                state.used.add(slot)
                return pattern
    args = _arguments(state.parser, state.compiler, p, flags)
    pattern = _build(state.sre, p, args)
    state.entries[slot] = _pack(key, args)
    state.used.add(slot)
    state.added += 1
    return pattern


def remembered(key: tuple, compute: Callable[[], Any]) -> Any:
    """``compute()``, kept in the file under ``key`` (a tuple whose first item names the
    kind of value): for what is worked out from an expression's parse alone, such as its
    first characters.  A key or value ``marshal`` cannot write (str, bytes, int, None,
    tuples, lists, dicts of them) is worked out every time."""
    state = _state
    if state is None:
        return compute()
    if state.entries is None:
        _load(state)
    try:
        slot = _slot(key)
    except ValueError:
        return compute()
    raw = state.entries.get(slot)
    if raw is not None:
        value = _unpack(key, raw)
        if value is not _MISSING:
            state.used.add(slot)
            return value
    value = compute()
    try:
        state.entries[slot] = _pack(key, value)
    except ValueError:
        return value
    state.added += 1
    state.used.add(slot)
    return value


def kept() -> dict:
    """Every entry of this process's cache, decoded: key -> value (tests)."""
    state = _state
    if state is None or state.entries is None:
        return {}
    out = {}
    for raw in state.entries.values():
        try:
            key, value = marshal.loads(memoryview(raw)[4:])
        except Exception:
            continue
        out[key] = value
    return out


def save() -> bool:
    """Write the expressions this run compiled anew (at exit); False when nothing was
    written."""
    state = _state
    if state is None or not state.added or not state.path or state.entries is None:
        return False
    # What other runs wrote meanwhile (a batch's workers, a second terminal) is kept too;
    # past the bounds, only what this run used (expressions of code since changed go).
    entries = {**_read(state.path, state.stamp), **state.entries}
    if (len(entries) > _MAX_ENTRIES
            or sum(len(v) for v in entries.values()) > _MAX_BYTES):
        entries = {k: v for k, v in entries.items() if k in state.used}
    if _write(state.path, state.stamp, entries):
        state.added = 0
        return True
    return False


def install() -> bool:
    """Put the cache in place (once); False where it is off or this Python's compiler is
    not as expected."""
    global _state
    if _state is not None:
        return True
    if os.environ.get("GOVREPORT_REGEX_CACHE", "1").lower() in ("0", "off", "no", "false"):
        return False
    try:
        compiler, parser, sre = _internals()
        original = compiler.compile
        probe, flags = _PROBE
        mine = _build(sre, probe, _arguments(parser, compiler, probe, flags))
        theirs = original(probe, flags)
        same = (mine == theirs and mine.groups == theirs.groups
                and mine.groupindex == theirs.groupindex)
    except Exception:
        return False
    if not same:
        return False
    state = _State(compiler, parser, sre, original)
    _state = state
    compiler.compile = _compile
    atexit.register(save)
    return True


def uninstall() -> None:
    """The compiler as it was (tests)."""
    global _state
    state = _state
    if state is None:
        return
    if state.compiler.compile is _compile:
        state.compiler.compile = state.original
    atexit.unregister(save)
    _state = None
