"""Hostile and damaged inputs to the HTML, DOCX and PDF readers: each refused on one
line with a code of its own, or read, in time linear in its size and in bounded memory."""

from __future__ import annotations

import pytest
from conftest import cpu_seconds

# ------------------------------------------------------------------------ HTML

_HEAD = "<html><body><h1>某县2023年政府信息公开工作年度报告</h1>"
_REPORT = "<p>一、总体情况</p><p>三、收到和处理政府信息公开申请情况</p>"
_TABLE = "<table><tr><td>自然人</td><td>1</td></tr></table>"


def _page(kind: str, n: int) -> str:
    if kind == "divs after a table":  # the report's text deep inside, its table outside
        body = _TABLE + "<div>" * n + _REPORT + "</div>" * n
    elif kind == "divs before the table":
        body = "<div>" * n + _REPORT + _TABLE + "</div>" * n
    elif kind == "empty divs after the table":
        body = _REPORT + _TABLE + "<div>" * n + "x" + "</div>" * n
    elif kind == "nested tables":
        body = _REPORT + "<table><tr><td>" * n + "自然人" + "</td></tr></table>" * n
    elif kind == "report inside nested tables":
        body = "<table><tr><td>" * n + _REPORT + _TABLE + "</td></tr></table>" * n
    elif kind == "sibling divs":
        body = _REPORT + _TABLE + "<div>x</div>" * n
    elif kind == "sibling rows":
        body = _REPORT + _TABLE.replace(
            "</table>", "<tr><td>1</td><td>2</td></tr>" * n + "</table>"
        )
    elif kind == "sibling chrome":
        body = _REPORT + _TABLE + '<div class="nav">x</div>' * n
    elif kind == "nested chrome round long text":
        body = '<div class="nav">' * n + "甲" * 20 * n + "</div>" * n + _REPORT + _TABLE
    elif kind == "nested titles round the report":
        body = '<div class="title">' * n + "报告" + "甲" * 20 * n + _REPORT + _TABLE + "</div>" * n
    else:
        raise AssertionError(kind)
    return _HEAD + body + "</body></html>"


_SHAPES = [
    "divs after a table", "divs before the table", "empty divs after the table", "nested tables",
    "report inside nested tables", "sibling divs", "sibling rows", "sibling chrome",
    "nested chrome round long text", "nested titles round the report",
]  # fmt: skip


@pytest.mark.parametrize("kind", _SHAPES)
def test_html_reading_time_is_linear_in_nesting_and_siblings(kind: str) -> None:
    pytest.importorskip("bs4")
    from govreport_lark.read.html import read_html

    small, large = (_page(kind, n).encode("utf-8") for n in (1000, 8000))
    read_html(small)  # imports done
    t_small = cpu_seconds(lambda: read_html(small), repeat=3)
    t_large = cpu_seconds(lambda: read_html(large), repeat=2)
    # linear: about 8x; the quadratic walk this guards against took 60x and more
    # (10,000 nested divs after a table: 16 s)
    assert t_large / max(t_small, 1e-3) < 25, f"8x the size took {t_large / t_small:.0f}x the time"
    assert t_large < 5, f"{t_large:.1f} s"


def test_html_report_deep_inside_divs_after_its_table_is_read_whole() -> None:
    pytest.importorskip("bs4")
    from govreport_lark.read.html import read_html

    st = read_html(_page("divs after a table", 10_000).encode("utf-8"))
    assert st.lines == [
        "某县2023年政府信息公开工作年度报告",
        "自然人\t1",
        "一、总体情况",
        "三、收到和处理政府信息公开申请情况",
    ]
