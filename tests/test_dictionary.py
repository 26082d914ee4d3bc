"""The data dictionary names every key the output holds, for both templates."""

from __future__ import annotations

import re

import pytest
from generate import make_report, render

from govreport_lark import parse_bytes, report_to_dict
from govreport_lark.output.cli import main
from govreport_lark.output.dictionary import entries


def _paths(obj, prefix=""):
    """Leaf paths of the output, lists of numbers as one leaf, diagnostics by field."""
    if isinstance(obj, dict):
        for key, value in obj.items():
            yield from _paths(value, f"{prefix}.{key}" if prefix else key)
    elif isinstance(obj, list) and obj and isinstance(obj[0], dict):
        for item in obj:
            yield from _paths(item, f"{prefix}[]")
    elif prefix.startswith("applications.columns"):
        for i in range(len(obj)):
            yield f"{prefix}[{i}]"
    else:
        yield prefix


def _covers(pattern: str, path: str) -> bool:
    regex = re.escape(pattern).replace(r"\*", r"[^.]+")
    return re.fullmatch(regex, path) is not None


@pytest.mark.parametrize("template", ["2019", "2021"])
def test_every_output_key_is_in_the_dictionary(template):
    report = make_report(3, template)
    out = report_to_dict(parse_bytes(render(report, "tab", seed=3).encode(), path="g.txt"))
    out["diagnostics"] = [{"code": "X", "severity": "info", "message": "m", "section": None,
                           "line": 1, "row": "r", "column": "c", "page": 1,
                           "responsibility": "parser"}]
    known = [e.key for e in entries() if e.template in (template, "both")]
    missing = [p for p in _paths(out) if not any(_covers(k, p) for k in known)]
    assert missing == []


def test_entries_are_whole():
    rows = entries()
    assert len({e.key + e.template for e in rows}) == len(rows)
    assert all(e.template in ("2019", "2021", "both") and e.type and e.meaning for e in rows)
    by_key = {(e.key, e.template): e for e in rows}
    assert by_key[("applications.rows.denied.third_party_rights", "both")].label == \
        "（三）不予公开 4.保护第三方合法权益"
    assert by_key[("active_disclosure.art20_1.rules.in_force", "2021")].item == \
        "2021 表二 第二十条第（一）项"


@pytest.mark.parametrize("fmt", ["md", "csv"])
def test_cli_prints_every_entry(fmt, capsys):
    assert main(["dictionary", "--format", fmt]) == 0
    out = capsys.readouterr().out
    for entry in entries():
        assert entry.key in out
