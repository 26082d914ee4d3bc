"""scripts/fuzz.py: its value mode finds a planted wrong value, passes right parses, and its
hostile seeds parse (or are refused) without a crash."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest
from generate import make_report, render

from govreport_lark import parse_bytes

SCRIPT = Path(__file__).resolve().parent.parent / "scripts" / "fuzz.py"


@pytest.fixture(scope="module")
def fuzz():
    spec = importlib.util.spec_from_file_location("fuzz_script", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    sys.modules["fuzz_script"] = module  # its dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def test_value_mode_passes_right_parses(fuzz, tmp_path, capsys):
    assert fuzz.main(["--values", "--count", "8", "--quiet", "--out", str(tmp_path)]) == 0
    assert capsys.readouterr().out.strip().endswith("8 reports, 0 with a wrong value")
    assert list(tmp_path.iterdir()) == []


def test_value_mode_names_a_wrong_value(fuzz, tmp_path, monkeypatch, capsys):
    import meaning

    real = meaning.preserved

    def moved(*args):  # a parse that moves one number: the mode must say so
        out, report, extra = real(*args)
        rows = out["applications"]["rows"]
        key = next(k for k, v in rows.items() if v[0] != v[1])
        rows[key][0], rows[key][1] = rows[key][1], rows[key][0]
        return out, report, extra

    monkeypatch.setattr(meaning, "preserved", moved)
    kinds = [fuzz.draw_value_case(0, i)[0] for i in range(8)]
    assert fuzz.main(["--values", "--count", "8", "--quiet", "--out", str(tmp_path)]) == 1
    assert capsys.readouterr().out.strip().endswith(
        f"8 reports, {kinds.count('preserved')} with a wrong value")
    saved = sorted(tmp_path.iterdir())
    assert len(saved) == kinds.count("preserved")
    assert "meant" in saved[0].read_text(encoding="utf-8")


def test_hostile_seeds_reach_the_tables(fuzz):
    seeds = dict(fuzz.hostile_seeds(render(make_report(0, "2021"), "tab")))
    assert sorted(seeds) == ["digit_runs.txt", "empty_fields.txt", "headings.txt",
                             "mixed_units.txt", "nested.html", "repeated_row.txt"]
    for name, data in seeds.items():
        report = parse_bytes(data, path=name)  # a report, not a refusal
        assert report.template == "2021", name
    repeated = parse_bytes(seeds["repeated_row.txt"], path="x.txt")
    assert [d.code for d in repeated.diagnostics].count("DIAGNOSTICS_CAPPED") >= 1
