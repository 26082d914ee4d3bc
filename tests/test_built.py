"""A grammar's parser kept whole between runs (``govreport_lark/spec/built.py``) is the
parser Lark loads: the same rules, terminals, parse table and state lexers, and the same
reports from the corpus and the generated sets; a file that cannot serve is ignored."""

from __future__ import annotations

import functools
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import CORPUS, ROOT
from lark import Lark

from govreport_lark import spec
from govreport_lark.grammar import rows
from govreport_lark.pipeline import parse_file
from govreport_lark.spec import TABLE_GRAMMARS, built

GRAMMARS = (*TABLE_GRAMMARS, "document", "columns", "cells", "narrative")


def _table(lark: Lark) -> dict:
    states = lark.parser.parser._parse_table.states
    return {s: {tok: (action.name, str(arg) if action.name == "Reduce" else arg)
                for tok, (action, arg) in actions.items()} for s, actions in states.items()}


def _lexers(lark: Lark) -> dict:
    lexer = lark.parser.lexer
    out = {s: [(t.name, t.pattern.to_regexp(), t.priority) for t in lx.terminals]
           for s, lx in lexer.lexers.items()}
    out["root"] = [(t.name, t.pattern.to_regexp(), t.priority) for t in lexer.root_lexer.terminals]
    shared = lexer.shared
    out["shared"] = ([t.name for t in shared.terminals], sorted(shared.ignore),
                     shared.newline_type, shared.flags)
    return out


def _shape(callback) -> tuple:
    """What a tree-building callback does: its kind, the children it keeps, the node it
    builds."""
    if isinstance(callback, functools.partial):
        return ("partial", callback.func, callback.args, callback.keywords)
    state = dict(vars(callback))
    builder = state.pop("node_builder", None)
    return (type(callback), state, _shape(builder) if builder is not None else None)


@pytest.mark.parametrize("name", GRAMMARS)
def test_kept_parser_is_the_loaded_one(name):
    loaded = spec.load(name)
    kept = built.loads(built.dumps(loaded))
    assert kept is not loaded
    assert [str(r) for r in kept.rules] == [str(r) for r in loaded.rules]
    assert [(r.origin, r.expansion, r.alias, r.order, vars(r.options)) for r in kept.rules] \
        == [(r.origin, r.expansion, r.alias, r.order, vars(r.options)) for r in loaded.rules]
    assert [(t.name, t.pattern.to_regexp(), t.priority, t.pattern.flags) for t in kept.terminals] \
        == [(t.name, t.pattern.to_regexp(), t.priority, t.pattern.flags) for t in loaded.terminals]
    table, kept_table = loaded.parser.parser._parse_table, kept.parser.parser._parse_table
    assert _table(kept) == _table(loaded)
    assert kept_table.start_states == table.start_states
    assert kept_table.end_states == table.end_states
    # Lark's parser compares actions by identity.
    assert {a for acts in kept_table.states.values() for a, _ in acts.values()} <= {
        a for acts in table.states.values() for a, _ in acts.values()}
    assert _lexers(kept) == _lexers(loaded)
    assert kept.lexer_conf.re_module is loaded.lexer_conf.re_module
    assert sorted(kept.lexer_conf.ignore) == sorted(loaded.lexer_conf.ignore)
    assert set(kept._callbacks) == set(loaded._callbacks)
    for rule, callback in loaded._callbacks.items():
        assert _shape(kept._callbacks[rule]) == _shape(callback), rule
    assert kept.parser.parser.parser.callbacks is kept._callbacks
    assert kept.parser.parser_conf.callbacks is kept._callbacks
    assert kept.options.options.keys() == loaded.options.options.keys()


_PARSE_ALL = """
import json, sys
sys.path.insert(0, "tests")
from conftest import CORPUS
from generate import LAYOUT_FORMAT, LAYOUTS, make_report, render
from govreport_lark.spec import built
kept = sys.argv[1] == "kept"
reads = []
real_read = built.read
def read(path):
    lark = real_read(path) if kept else None
    reads.append(lark is not None)
    return lark
built.read = read
from govreport_lark.output.emit import report_to_dict
from govreport_lark.pipeline import parse_bytes
reports = [(str(p), p.read_bytes(), None) for p in sorted((CORPUS / "seeds").glob("*.txt"))]
reports += [(str(p), p.read_bytes(), None) for p in sorted((CORPUS / "real").iterdir())
            if p.suffix in (".txt", ".md", ".html")]
for seed in range(4):
    for template in ("2019", "2021"):
        report = make_report(seed, template, zero_share=0.2)
        for layout in LAYOUTS:
            reports.append((f"gen-{seed}-{template}-{layout}",
                            render(report, layout, seed=seed).encode("utf-8"),
                            LAYOUT_FORMAT[layout]))
out = [report_to_dict(parse_bytes(data, path=path, fmt=fmt), provenance=True)
       for path, data, fmt in reports]
print(json.dumps({"reads": reads, "reports": out}, ensure_ascii=False, sort_keys=True))
"""


def _parse_all(mode: str) -> dict:
    done = subprocess.run([sys.executable, "-c", _PARSE_ALL, mode], capture_output=True,
                          text=True, cwd=ROOT, check=False)
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout)


def test_same_reports_from_kept_and_loaded_parsers():
    """Every corpus text and web page and generated reports in every layout, in a process
    whose parsers Lark loads and in one whose parsers come from the kept files."""
    loaded = _parse_all("loaded")  # Lark's own load (and the kept files written)
    kept = _parse_all("kept")
    assert loaded["reads"] == [False] * len(GRAMMARS)
    assert kept["reads"] == [True] * len(GRAMMARS)
    assert len(loaded["reports"]) > 70
    assert kept["reports"] == loaded["reports"]
    text = json.dumps(loaded["reports"], ensure_ascii=False)
    assert '"TABLE_PARSE_ERROR"' in text or '"UNASSIGNED_NUMBER"' in text


def test_rows_parser_on_a_kept_parser():
    name = "applications"
    loaded = spec.load(name)
    kept = built.loads(built.dumps(loaded))
    seed = sorted((CORPUS / "seeds").glob("*.txt"))[0]
    text = seed.read_text(encoding="utf-8")
    a = spec.with_transformer(loaded, rows.RowsTransformer())
    b = spec.with_transformer(kept, rows.RowsTransformer())
    for lark in (a, b):
        lark.options.transformer.begin()
    assert b.parse(text, on_error=lambda e: True) == a.parse(text, on_error=lambda e: True)
    assert b.options.transformer.consumed() == a.options.transformer.consumed()


@pytest.mark.parametrize("damage", [b"", b"garbage", None])
def test_damaged_file_ignored(tmp_path, damage):
    path = str(tmp_path / "cells.parser")
    assert built.write(path, spec.load("cells"))
    data = open(path, "rb").read()
    with open(path, "wb") as handle:
        handle.write(data[: len(data) // 2] if damage is None else damage)
    assert built.read(path) is None


def test_not_a_parser_ignored(tmp_path):
    import pickle

    path = tmp_path / "x.parser"
    path.write_bytes(pickle.dumps({"not": "a parser"}))
    assert built.read(str(path)) is None


def test_another_users_file_ignored(tmp_path):
    path = str(tmp_path / "cells.parser")
    assert built.write(path, spec.load("cells"))
    assert built.read(path) is not None
    if os.getuid() != 0:
        pytest.skip("only root can give a file to another user")
    os.chown(path, 65534, 65534)
    assert built.read(path) is None


def test_folder_that_cannot_be_written(tmp_path):
    assert not built.write(str(tmp_path / "missing" / "cells.parser"), spec.load("cells"))
    assert os.listdir(tmp_path) == []


def test_a_parse_reads_the_kept_file(monkeypatch):
    """With the kept file in place, a process's parser comes from it, not Lark's cache."""
    parse_file(str(sorted((CORPUS / "seeds").glob("*.txt"))[0]))  # the files written
    calls = []
    monkeypatch.setattr(spec, "load", lambda *a, **k: calls.append(a) or Lark.open(*a, **k))
    spec.parser.cache_clear()
    try:
        lark = spec.parser("document")
    finally:
        spec.parser.cache_clear()
    assert calls == []
    assert isinstance(lark, Lark)


def test_collector_state_kept_across_a_load():
    import gc

    data = built.dumps(spec.load("cells"))
    assert gc.isenabled()
    built.loads(data)
    assert gc.isenabled()
    gc.disable()
    try:
        built.loads(data)
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_no_kept_parser_where_the_code_cannot_be_read(monkeypatch):
    spec._built_digest.cache_clear()
    monkeypatch.setattr(spec.lexing, "__file__", "/nonexistent/lexing.py")
    spec.parser.cache_clear()
    try:
        assert spec._built_file("cells") is None
        lark = spec.parser("cells")
        assert lark.parse("12") is not None
    finally:
        monkeypatch.undo()
        spec._built_digest.cache_clear()
        spec.parser.cache_clear()
    assert spec._built_file("cells") is not None


@pytest.mark.parametrize("module", ["lexing", "first_chars", "built"])
def test_a_kept_parser_is_named_by_the_code_its_objects_come_from(module, tmp_path, monkeypatch):
    """The scanners keep first_chars' classes: changed code names another file, never
    loading a parser built by the old code."""
    spec._built_digest.cache_clear()
    before = spec._built_file("cells")
    source = getattr(spec, module).__file__
    changed = tmp_path / Path(source).name
    changed.write_bytes(Path(source).read_bytes() + b"\n# changed\n")
    monkeypatch.setattr(getattr(spec, module), "__file__", str(changed))
    spec._built_digest.cache_clear()
    try:
        assert spec._built_file("cells") not in (None, before)
    finally:
        monkeypatch.undo()
        spec._built_digest.cache_clear()
    assert spec._built_file("cells") == before
