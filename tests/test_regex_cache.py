"""The compiled expressions kept between runs (``govreport_lark/regex_cache.py``): every
expression of the grammars and the pipeline gets the pattern Python compiles (its code,
flags and groups), and a file that is damaged, another Python's, or in a folder that cannot
be written changes nothing but the time."""

from __future__ import annotations

import json
import marshal
import os
import re
import subprocess
import sys

import pytest
from conftest import CORPUS, ROOT

from govreport_lark import regex_cache
from govreport_lark.spec import TABLE_GRAMMARS, parser, row_labels
from govreport_lark.spec.first_chars import _first_char_class, first_char_class

try:  # Python 3.11+
    import re._compiler as compiler
    import re._parser as sre_parse
except ImportError:  # Python 3.10
    import sre_compile as compiler  # type: ignore[no-redef]
    import sre_parse  # type: ignore[no-redef]

SEEDS = sorted((CORPUS / "seeds").glob("*.txt"))


@pytest.fixture
def fresh(tmp_path, monkeypatch):
    """The cache installed afresh over a file in ``tmp_path``, for expressions compiled by
    this module too; put back as it was afterwards."""
    path = str(tmp_path / "regex.cache")
    monkeypatch.setattr(regex_cache, "cache_path", lambda: path)
    monkeypatch.setattr(regex_cache, "_SCOPE", (*regex_cache._SCOPE, __name__))
    monkeypatch.delenv("GOVREPORT_REGEX_CACHE", raising=False)
    regex_cache.uninstall()
    assert regex_cache.install()
    yield path
    regex_cache.uninstall()
    regex_cache.install()


def _reinstall() -> regex_cache._State:
    """A new process's cache: nothing read yet."""
    regex_cache.uninstall()
    assert regex_cache.install()
    return regex_cache._state


def _original(pattern, flags=0):
    return regex_cache._state.original(pattern, flags)


def _same(a: re.Pattern, b: re.Pattern) -> bool:
    # Pattern equality compares the pattern, the flags and the engine code word for word.
    return a == b and a.groups == b.groups and a.groupindex == b.groupindex


_SAMPLES = [
    (r"(?P<a>[\u4e00-\u9fff]+)(?P<b>\d+)?", 0),
    (r"(?<![\d.])[+-]?\d+(?:\.\d+)?(?![\d.]|[ \t]*[年月日])", 0),
    (r"[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）", re.MULTILINE),
    (r"abc|ABC", re.IGNORECASE),
    (rb"\x00[\x01-\x7f]+", 0),
    (r"^\s*$", re.MULTILINE | re.DOTALL),
]


def test_installed_by_the_package():
    assert regex_cache._state is not None
    assert compiler.compile is regex_cache._compile


def test_every_expression_of_a_parse_is_what_python_compiles():
    """Every expression the grammars and the pipeline compiled for the seeds (those read
    from the file of earlier runs too): the same code, flags and groups as Python's own
    compiler, and the code the list Python's ``_code`` gives."""
    from govreport_lark.pipeline import parse_file

    for path in SEEDS:
        parse_file(str(path))
    for name in (*TABLE_GRAMMARS, "document", "columns", "narrative"):
        shared = getattr(parser(name).parser.lexer, "shared", None)
        if shared is not None:
            for char in "0一（(二三四五六七总自其本不无行结上":
                shared.alternation_at(char)
            assert shared.run is not None
    for name in TABLE_GRAMMARS:
        row_labels(name)
    state = regex_cache._state
    expressions = [(k, v) for k, v in regex_cache.kept().items()
                   if len(k) == 2 and isinstance(k[1], int)]
    assert len(expressions) > 150
    assert any("\\u4e00" in k[0] or "\u4e00" in k[0] for k, _ in expressions)
    for (pattern, flags), args in expressions:
        theirs = state.original(pattern, flags)
        assert _same(regex_cache._build(state.sre, pattern, args), theirs), pattern
        assert args[1] == list(compiler._code(sre_parse.parse(pattern, flags), flags))
        assert args == regex_cache._arguments(sre_parse, compiler, pattern, flags)


def test_first_characters_are_what_the_parse_gives():
    for name in TABLE_GRAMMARS:
        for t in parser(name).terminals:
            assert first_char_class(t.pattern.to_regexp(), 0) == _first_char_class(
                t.pattern.to_regexp(), 0)
    from govreport_lark.spec.first_chars import _code

    # this code's answers (a file may still hold an older code's, never looked up)
    kept = [(k, v) for k, v in regex_cache.kept().items()
            if k[0] == "first_char_class" and k[1] == _code()]
    assert len(kept) > 50
    assert any(v is None for _, v in kept) and any(v and "\u4e00" not in v for _, v in kept)
    for (_, _, pattern, flags), value in kept:
        assert value == _first_char_class(pattern, flags)


def test_a_first_character_class_kept_by_other_code_is_not_used(fresh, monkeypatch):
    """The kept answer is keyed by first_chars' own code: changed code works it out anew
    (a kept class from older code might miss a character a terminal can start with)."""
    from govreport_lark.spec import first_chars

    assert first_char_class(r"[一二]+x", 0) == "[一二]"
    assert regex_cache.save()
    state = _reinstall()
    monkeypatch.setattr(first_chars, "_code", lambda: 12345)  # the code changed since
    monkeypatch.setattr(first_chars, "_first_char_class", lambda pattern, flags: "[三]")
    assert first_char_class(r"[一二]+x", 0) == "[三]"
    assert state.added == 1


def test_kept_and_read_back(fresh):
    patterns = [compiler.compile(p, f) for p, f in _SAMPLES]
    state = regex_cache._state
    assert state.added == len(_SAMPLES)
    assert regex_cache.save()
    assert os.path.getsize(fresh) > 0
    state = _reinstall()
    again = [compiler.compile(p, f) for p, f in _SAMPLES]
    assert state.added == 0  # every one from the file
    assert len(state.used) == len(_SAMPLES)
    for (p, f), a, b in zip(_SAMPLES, patterns, again, strict=True):
        assert _same(a, b)
        assert _same(b, _original(p, f))
    assert again[0].match("年度12").group("b") == "12"
    assert again[3].fullmatch("aBc")
    assert not regex_cache.save()  # nothing new: the file is not written again


def test_remembered_values(fresh):
    calls = []

    def compute():
        calls.append(1)
        return ("[一二]", None, [1, 2])

    assert regex_cache.remembered(("kind", "x", 0), compute) == ("[一二]", None, [1, 2])
    assert regex_cache.remembered(("kind", "x", 0), compute) == ("[一二]", None, [1, 2])
    assert len(calls) == 1
    assert regex_cache.save()
    _reinstall()
    assert regex_cache.remembered(("kind", "x", 0), compute) == ("[一二]", None, [1, 2])
    assert len(calls) == 1


def _corrupt(path: str, how: str) -> None:
    data = open(path, "rb").read()
    if how == "truncated":
        data = data[: len(data) // 2]
    elif how == "flipped":  # one bit of the code: the checksum no longer holds
        middle = len(data) // 2
        data = data[:middle] + bytes([data[middle] ^ 0x01]) + data[middle + 1 :]
    elif how == "garbage":
        data = b"not a cache file at all"
    elif how == "empty":
        data = b""
    with open(path, "wb") as handle:
        handle.write(data)


@pytest.mark.parametrize("how", ["truncated", "flipped", "garbage", "empty"])
def test_damaged_file_ignored(fresh, how):
    for p, f in _SAMPLES:
        compiler.compile(p, f)
    assert regex_cache.save()
    _corrupt(fresh, how)
    state = _reinstall()
    again = [compiler.compile(p, f) for p, f in _SAMPLES]
    # Compiled as always (a flipped bit: at least the entry it fell in).
    assert state.added == len(_SAMPLES) or (how == "flipped" and state.added >= 1)
    for (p, f), b in zip(_SAMPLES, again, strict=True):
        assert _same(b, _original(p, f))
    assert regex_cache.save()  # and the file whole again
    state = _reinstall()
    for p, f in _SAMPLES:
        compiler.compile(p, f)
    assert state.added == 0


def test_every_damaged_entry_compiled_again(fresh):
    """A bit flipped in the engine code of every entry: each is compiled again, none is
    built from the damaged code."""
    for p, f in _SAMPLES:
        compiler.compile(p, f)
    assert regex_cache.save()
    with open(fresh, "rb") as handle:
        stamp, entries = marshal.loads(handle.read())
    damaged = {}
    for slot, raw in entries.items():
        at = len(raw) - 8  # inside the code list, near its end
        damaged[slot] = raw[:at] + bytes([raw[at] ^ 0x04]) + raw[at + 1 :]
    with open(fresh, "wb") as handle:
        handle.write(marshal.dumps((stamp, damaged)))
    state = _reinstall()
    for p, f in _SAMPLES:
        assert _same(compiler.compile(p, f), _original(p, f))
    assert state.added == len(_SAMPLES)


def test_bad_entry_compiled_again(fresh):
    """An entry ``_sre`` refuses (code that is not valid) is dropped and compiled anew."""
    pattern, flags = _SAMPLES[0]
    compiler.compile(pattern, flags)
    state = regex_cache._state
    key = (pattern, flags)
    slot = regex_cache._slot(key)
    args = regex_cache.kept()[key]
    bad = (args[0], [1, 2, 3], args[2], args[3], args[4])
    for raw in (regex_cache._pack(key, bad),  # code _sre refuses
                regex_cache._pack(("another", 0), args),  # another key's entry
                b"\x00\x00\x00\x00\xff not marshal",
                regex_cache._pack(key, args)[:-3] + b"abc"):  # checksum fails
        state.entries[slot] = raw
        added = state.added
        assert _same(compiler.compile(pattern, flags), _original(pattern, flags))
        assert state.added == added + 1
        assert regex_cache.kept()[key] == args


def _stamped(path: str, stamp: tuple, entries: dict) -> None:
    packed = {regex_cache._slot(k): regex_cache._pack(k, v) for k, v in entries.items()}
    with open(path, "wb") as handle:
        handle.write(marshal.dumps((stamp, packed)))


def test_another_pythons_file_ignored(fresh):
    pattern, flags = _SAMPLES[0]
    state = regex_cache._state
    args = regex_cache._arguments(sre_parse, compiler, pattern, flags)
    other = list(state.stamp)
    other[1] = "3.99.0 (another build)"
    _stamped(fresh, tuple(other), {(pattern, flags): args})
    state = _reinstall()
    compiler.compile(pattern, flags)
    assert state.added == 1  # not taken from the file
    # The same entries under this Python's stamp are read.
    _stamped(fresh, state.stamp, {(pattern, flags): args})
    state = _reinstall()
    assert _same(compiler.compile(pattern, flags), _original(pattern, flags))
    assert state.added == 0


def test_read_only_folder(tmp_path, monkeypatch):
    folder = tmp_path / "ro"
    folder.mkdir()
    for path in (str(folder / "regex.cache"), str(tmp_path / "missing" / "regex.cache")):
        monkeypatch.setattr(regex_cache, "cache_path", lambda path=path: path)
        monkeypatch.setattr(regex_cache, "_SCOPE", (*regex_cache._SCOPE, __name__))
        folder.chmod(0o500)
        try:
            state = _reinstall()
            patterns = [compiler.compile(p, f) for p, f in _SAMPLES]
            assert state.added == len(_SAMPLES)
            if not os.access(folder, os.W_OK) or "missing" in path:
                assert not regex_cache.save()
                assert not os.path.exists(path)
            for (p, f), a in zip(_SAMPLES, patterns, strict=True):
                assert _same(a, _original(p, f))
        finally:
            folder.chmod(0o700)
            regex_cache.uninstall()
            regex_cache.install()


def test_write_failure_leaves_no_file(fresh, monkeypatch):
    compiler.compile(*_SAMPLES[0])

    def refuse(src, dst):
        raise PermissionError(13, "Permission denied", dst)

    monkeypatch.setattr(os, "replace", refuse)
    assert not regex_cache.save()
    assert os.listdir(os.path.dirname(fresh)) == []


def test_other_programs_expressions_not_kept(fresh, monkeypatch):
    monkeypatch.setattr(regex_cache, "_SCOPE", ("govreport_lark", "lark."))
    pattern = r"(?P<other>program)\d+"
    compiled = compiler.compile(pattern, 0)
    assert _same(compiled, _original(pattern, 0))
    assert (pattern, 0) not in regex_cache.kept()
    assert regex_cache._slot((pattern, 0)) not in (regex_cache._state.entries or {})


def test_off_by_environment(monkeypatch):
    monkeypatch.setenv("GOVREPORT_REGEX_CACHE", "0")
    regex_cache.uninstall()
    try:
        assert not regex_cache.install()
        assert compiler.compile is not regex_cache._compile
        assert regex_cache.remembered(("kind", "y"), lambda: 7) == 7
    finally:
        monkeypatch.delenv("GOVREPORT_REGEX_CACHE")
        assert regex_cache.install()


def test_probe_mismatch_leaves_compiler_alone(monkeypatch):
    regex_cache.uninstall()
    monkeypatch.setattr(regex_cache, "_arguments", lambda *a: (0, [1], 0, {}, ()))
    try:
        assert not regex_cache.install()
        assert compiler.compile is not regex_cache._compile
    finally:
        monkeypatch.undo()
        assert regex_cache.install()


def test_same_output_with_and_without_cache():
    """``govreport parse`` with the file of earlier runs (twice: the second reads what the
    first may have written) prints what it prints with the cache off."""
    seed = str(SEEDS[0])
    env = dict(os.environ)
    runs = []
    for setting in ("0", "1", "1"):
        env["GOVREPORT_REGEX_CACHE"] = setting
        done = subprocess.run([sys.executable, "-m", "govreport_lark", "parse", "--provenance",
                               seed], capture_output=True, text=True, cwd=ROOT, env=env,
                              check=True)
        runs.append(json.loads(done.stdout))
    assert runs[0]["year"] == 2020 and len(json.dumps(runs[0])) > 10_000
    assert runs[1] == runs[0]
    assert runs[2] == runs[0]


def test_flags_of_any_int_type_are_kept(fresh):
    """A RegexFlag (an int subclass marshal cannot write) is kept as the int it is, and a
    value marshal cannot write is left out of the file, not the file left unwritten."""
    assert first_char_class(r"[一二]+", re.MULTILINE) == "[一二]"
    compiler.compile(r"(?P<x>\d+)", re.MULTILINE | re.DOTALL)
    regex_cache.remembered(("kind", "unwritable"), lambda: re.MULTILINE)
    assert regex_cache.save()
    state = _reinstall()
    assert first_char_class(r"[一二]+", re.MULTILINE) == "[一二]"
    compiler.compile(r"(?P<x>\d+)", re.MULTILINE | re.DOTALL)
    assert state.added == 0
    assert regex_cache.remembered(("kind", "unwritable"), lambda: 5) == 5


def test_only_what_a_run_used_is_kept_past_the_bounds(fresh, monkeypatch):
    for p, f in _SAMPLES:
        compiler.compile(p, f)
    assert regex_cache.save()
    state = _reinstall()
    monkeypatch.setattr(regex_cache, "_MAX_ENTRIES", len(_SAMPLES))
    compiler.compile(*_SAMPLES[0])  # from the file
    compiler.compile(r"(?P<new>\d)", 0)  # new: one over the bound
    assert state.added == 1
    assert regex_cache.save()
    state = _reinstall()
    for p, f in _SAMPLES[:1]:
        compiler.compile(p, f)
    compiler.compile(r"(?P<new>\d)", 0)
    assert state.added == 0
    compiler.compile(*_SAMPLES[1])  # dropped: compiled again
    assert state.added == 1


def test_no_usable_temporary_folder(fresh, monkeypatch):
    def nowhere():
        raise FileNotFoundError("No usable temporary directory found")

    monkeypatch.setattr(regex_cache, "cache_path", nowhere)
    state = _reinstall()
    for p, f in _SAMPLES:
        assert _same(compiler.compile(p, f), _original(p, f))
    assert state.path is None
    assert not regex_cache.save()
