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


# ------------------------------------------------------------ the batch's other files

def _documented(prefix: str) -> list[tuple[str, str]]:
    from govreport_lark.schema.dictionary import export_columns

    return [(c.column, c.type) for c in export_columns() if c.file.startswith(prefix)]


def test_every_export_column_is_documented_in_order():
    from govreport_lark.output import batch
    from govreport_lark.output.panel.cross_year import FINDING_COLUMNS
    from govreport_lark.output.panel.keys import PANEL_COLUMNS
    from govreport_lark.output.quality import REPORT_COLUMNS

    assert [c for c, _ in _documented("long CSV")] == list(batch.CSV_COLUMNS)
    assert [c for c, _ in _documented("long Parquet")] == [
        *batch.LONG_COLUMNS, *batch.QUALITY_COLUMNS]
    assert [c for c, _ in _documented("reports table")] == list(REPORT_COLUMNS)
    assert [c for c, _ in _documented("failed files")] == list(batch.ERROR_COLUMNS)
    assert [c for c, _ in _documented("panel")] == list(PANEL_COLUMNS)
    assert [c for c, _ in _documented("cross-year findings")] == list(FINDING_COLUMNS)
    from govreport_lark.schema.dictionary import export_columns

    assert all(c.meaning and c.type in ("string", "int", "float") for c in export_columns())


def test_documented_types_are_the_parquet_files():
    pa = pytest.importorskip("pyarrow")
    from govreport_lark.output.batch import parquet_schema
    from govreport_lark.output.panel.export import panel_schema

    arrow = {"string": pa.string(), "int": pa.int64(), "float": pa.float64()}
    for prefix, schema in (("long Parquet", parquet_schema()), ("panel", panel_schema())):
        assert [(f.name, f.type) for f in schema] == [
            (c, arrow[t]) for c, t in _documented(prefix)], prefix


@pytest.mark.parametrize("fmt", ["md", "csv"])
def test_cli_prints_every_export_column(fmt, capsys):
    from govreport_lark.schema.dictionary import export_columns

    assert main(["dictionary", "--exports", "--format", fmt]) == 0
    out = capsys.readouterr().out
    lines = out.splitlines()
    assert len(lines) == len(export_columns()) + (1 if fmt == "csv" else 2)
    assert "agency_key" in out and "previous_sha256" in out


def test_dictionary_shows_one_table_at_a_time(capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["dictionary", "--panel", "--exports"])
    assert exit_.value.code == 2
