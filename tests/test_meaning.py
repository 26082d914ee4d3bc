"""Changes that keep a report's meaning give the same values; changes that alter it give,
cell by cell, the number printed, the number meant, or a warning or error that names it.

Meaning-preserving: header columns reordered with their data, a row the template does not
have, counts printed with 件, money printed in another unit (元, 千元, 亿元, ¥) or with its
unit moved into the column header.  Meaning-changing: two data cells swapped, one cell
dropped, a row's cells shifted by one column.  Each is drawn at random over generated reports
with non-zero numbers; GOVREPORT_PROPERTY_SCALE multiplies the examples.
"""

from __future__ import annotations

import os
import random

import pytest
from generate import make_report, render
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from meaning import (
    CHANGING,
    LAYOUTS,
    PRESERVING,
    changed,
    count_units,
    money_units,
    preserved,
    preserved_problems,
    silent_wrong,
    unit_in_header,
    unknown_row,
)

from govreport_lark import parse_bytes, report_to_dict

SCALE = max(1, int(os.environ.get("GOVREPORT_PROPERTY_SCALE", "1")))
BASE = dict(deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                  HealthCheck.filter_too_much])


@example(seed=0, template="2019", layout="tab", changes=("money_units",))
@example(seed=1, template="2021", layout="markdown", changes=("unit_in_header", "count_units"))
@example(seed=2, template="2021", layout="spaces", changes=("unknown_row", "count_units"))
@settings(max_examples=40 * SCALE, **BASE)
@given(st.integers(0, 100_000), st.sampled_from(("2019", "2021")), st.sampled_from(LAYOUTS),
       st.lists(st.sampled_from(PRESERVING), min_size=1, max_size=3, unique=True).map(tuple))
def test_a_change_that_keeps_the_meaning_keeps_the_values(seed, template, layout, changes):
    out, report, extra = preserved(seed, template, layout, changes)
    assert preserved_problems(out, report, extra) == []


@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("change", PRESERVING)
@pytest.mark.parametrize("template", ("2019", "2021"))
def test_each_preserving_change_in_each_layout(template, change, layout):
    for seed in range(2):
        out, report, extra = preserved(seed, template, layout, (change,))
        assert preserved_problems(out, report, extra) == []


@example(seed=0, template="2019", layout="tab", change="drop")
@example(seed=3, template="2021", layout="markdown", change="shift")
@settings(max_examples=60 * SCALE, **BASE)
@given(st.integers(0, 100_000), st.sampled_from(("2019", "2021")), st.sampled_from(LAYOUTS),
       st.sampled_from(CHANGING))
def test_a_change_of_meaning_is_read_as_printed_or_named(seed, template, layout, change):
    result = changed(seed, template, layout, change)
    if result is None:
        return
    out, report, printed = result
    assert silent_wrong(out, report.expected, printed) == []


@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("change", CHANGING)
@pytest.mark.parametrize("template", ("2019", "2021"))
def test_each_changing_change_in_each_layout(template, change, layout):
    for seed in range(3):
        result = changed(seed, template, layout, change)
        if result is not None:
            out, report, printed = result
            assert silent_wrong(out, report.expected, printed) == []


# ------------------------------------------------------------------ the checks can fail


def test_a_silently_moved_number_is_caught_by_the_check():
    report = make_report(0, "2021")
    out = report_to_dict(parse_bytes(render(report, "tab").encode(), path="x.txt"))
    row = out["applications"]["rows"]["granted"]
    assert row[0] != row[1]
    row[0], row[1] = row[1], row[0]
    assert len(silent_wrong(out, report.expected, None)) == 2
    out["diagnostics"].append({"code": "X", "severity": "warning", "section": "三",
                               "row": "granted", "line": 1, "message": ""})
    assert silent_wrong(out, report.expected, None) == []


def test_the_edits_change_what_they_say():
    report = make_report(0, "2019")
    text = render(report, "tab")
    rng = random.Random(0)
    assert "件" in count_units(text, "tab", rng).split("三、收到和处理")[1].split("五、")[0]
    edited, values = unknown_row(text, "tab", rng)
    assert "9.其他情形\t" + "\t".join(map(str, values)) in edited
    assert money_units(text, "tab", random.Random(1), report) != text
    assert "采购总金额（单位：" in unit_in_header(text, "tab", rng, report)

