"""Property tests: hostile and broken input never crashes, never loses a number.

Every input gives either a report whose JSON validates against the schema or an ``InputError``
(one line, a stable code), never any other exception.  For generated reports, which print
numbers in sections 二–四 only as table cells, deleting or duplicating one table line loses no
number silently: each number token of the table region is a value of the output or is named in
a diagnostic.  Bounded: few examples each, no deadline, well under a minute in all.
"""

from __future__ import annotations

import json
import os
import re
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from conftest import cpu_seconds
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from govreport_lark import InputError, parse_bytes, parse_text, report_to_dict
from govreport_lark.schema import validate_output

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate import (  # noqa: E402
    BLANK_LAYOUTS,
    LAYOUT_FORMAT,
    LAYOUTS,
    SECTION_HEADINGS,
    make_report,
    render,
)

CORPUS = Path(__file__).resolve().parent.parent / "corpus"
CORPUS_FILES = sorted(
    p for p in CORPUS.glob("*/*") if p.is_file() and p.suffix not in (".json", ".tsv", ".pdf")
)
# Bounded for the test run; GOVREPORT_PROPERTY_SCALE=20 explores twenty times as many examples.
SCALE = max(1, int(os.environ.get("GOVREPORT_PROPERTY_SCALE", "1")))
BASE = dict(
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                           HealthCheck.filter_too_much],
)


def outcome(call) -> dict[str, Any] | None:
    """The report's JSON if ``call`` parses, None if it raises InputError; anything else
    propagates and fails the test."""
    try:
        report = call()
    except InputError as exc:
        assert re.fullmatch(r"[A-Z][A-Z0-9_]*", exc.code), exc.code
        assert exc.message and "\n" not in exc.message, exc.message
        return None
    obj = report_to_dict(report)
    problems = validate_output(obj)
    assert problems == [], problems
    # Strict JSON, as `govreport parse` prints it: no NaN or Infinity.
    return json.loads(json.dumps(obj, ensure_ascii=False, allow_nan=False))


# ------------------------------------------------------------------------ inputs


def _generated(seed: int, template: str, layout: str, blanks: bool = False) -> tuple[str, str]:
    report = make_report(seed, template, blanks=blanks and layout in BLANK_LAYOUTS)
    return f"gen.{LAYOUT_FORMAT[layout]}", render(report, layout)


@st.composite
def generated_reports(draw, layouts=LAYOUTS) -> tuple[str, str]:
    return _generated(
        draw(st.integers(0, 100_000)),
        draw(st.sampled_from(("2019", "2021"))),
        draw(st.sampled_from(layouts)),
        draw(st.booleans()),
    )


corpus_reports = st.sampled_from(
    [(p.name, p.read_bytes().decode("utf-8")) for p in CORPUS_FILES]
)
reports = st.one_of(corpus_reports, generated_reports())

# Fragments of reports and of hostile files, for random "report-like" text.
FRAGMENTS = [
    *SECTION_HEADINGS, "\n", "\n", "\n", "\t", "\t", " ", "|", "\r", "\u3000", "\ufeff",
    "某县2023年政府信息公开工作年度报告", "第二十条第（一）项", "第二十条第（九）项", "信息内容",
    "本年新制作数量", "本年制发件数", "本年增/减", "采购总金额", "规章", "行政许可", "行政处罚",
    "行政事业性收费", "政府集中采购", "自然人", "商业企业", "总计", "三、本年度办理结果",
    "（一）予以公开", "（三）不予公开", "1.属于国家秘密", "（六）其他处理", "3.其他", "（七）总计",
    "一、本年新收政府信息公开申请数量", "四、结转下年度继续办理", "行政复议", "行政诉讼",
    "结果维持", "结果纠正", "尚未审结", "0", "1", "7", "12", "-3", "+5", "1.5", "99999999999999999999",
    "１２", "—", "-", "/", "无", "2023年", "- 3 -", "<td rowspan=99999>", "<table>", "<tr>",
]  # fmt: skip


def _lines_apply(text: str, ops: list[tuple[str, int, int]]) -> str:
    lines = text.split("\n")
    for op, a, b in ops:
        if not lines:
            break
        i, j = a % len(lines), b % len(lines)
        if op == "drop":
            del lines[i]
        elif op == "dup":
            lines.insert(i, lines[i])
        elif op == "swap":
            lines[i], lines[j] = lines[j], lines[i]
        elif op == "shuffle":
            window = lines[i : i + 2 + b % 10]
            window.reverse()
            lines[i : i + len(window)] = window[1::2] + window[0::2]
        elif op == "truncate":
            lines = lines[: i + 1]
            lines[-1] = lines[-1][: b % (len(lines[-1]) + 1)]
    return "\n".join(lines)


line_ops = st.lists(
    st.tuples(st.sampled_from(("drop", "dup", "swap", "shuffle", "truncate")),
              st.integers(0, 10_000), st.integers(0, 10_000)),
    min_size=1, max_size=4,
)
ENCODINGS = ("utf-8", "gbk", "gb18030", "utf-16", "utf-16-le", "utf-16-be", "utf-8-sig")


def _encode(text: str, encoding: str) -> bytes:
    # GBK lacks a few characters (e.g. some traditional forms): leave those out.
    return text.encode(encoding, errors="ignore" if encoding == "gbk" else "strict")


# ------------------------------------------------------------------------ never crashes


@settings(max_examples=40 * SCALE, **BASE)
@given(st.text(max_size=3000))
def test_random_text(text: str) -> None:
    outcome(lambda: parse_text(text))


@settings(max_examples=40 * SCALE, **BASE)
@given(st.binary(max_size=3000), st.sampled_from([None, "x.txt", "x.md", "x.html", "x.pdf",
                                                  "x.docx"]))
def test_random_bytes(data: bytes, path: str | None) -> None:
    outcome(lambda: parse_bytes(data, path=path))


@settings(max_examples=40 * SCALE, **BASE)
@given(st.lists(st.sampled_from(FRAGMENTS), max_size=300), st.sampled_from(("txt", "md")))
def test_report_like_text(parts: list[str], fmt: str) -> None:
    outcome(lambda: parse_text("".join(parts), fmt=fmt))


@settings(max_examples=40 * SCALE, **BASE)
@given(reports, line_ops, st.sampled_from(ENCODINGS),
       st.lists(st.tuples(st.integers(0, 10**6), st.binary(min_size=1, max_size=4)), max_size=3))
def test_mutated_reports(base: tuple[str, str], ops, encoding: str, junk) -> None:
    name, text = base
    data = _encode(_lines_apply(text, ops), encoding)
    for pos, chunk in junk:  # random bytes inserted
        pos %= len(data) + 1
        data = data[:pos] + chunk + data[pos:]
    outcome(lambda: parse_bytes(data, path=name))


def _truncation_bases() -> list[tuple[str, str]]:
    bases = [(p.name, p.read_text(encoding="utf-8")) for p in CORPUS_FILES]
    bases += [_generated(5, template, layout) for template in ("2019", "2021")
              for layout in LAYOUTS]
    return bases


# A section heading anywhere, also inside a crawled page that is one long line.
_HEADING = re.compile(r"[一二三四五六]、(?=总体|基本|概述|主动|收到|政府|因政府|存在|其他)")


@pytest.mark.parametrize("base", _truncation_bases(), ids=lambda b: b[0])
def test_truncated_at_every_section_heading(base: tuple[str, str]) -> None:
    name, text = base
    cuts = sorted({m.start() for m in re.finditer(r"[一二三四五六]、", text)
                   if m.start() == 0 or text[m.start() - 1] in "\n>#* \t"}
                  | {m.start() for m in _HEADING.finditer(text)})
    assert cuts
    for cut in cuts:
        end = text.find("\n", cut)
        end = min(end if end > 0 else len(text), cut + 40)  # a crawled page is one line
        for piece in (text[:cut], text[:end]):
            if piece.strip():
                outcome(lambda piece=piece: parse_bytes(piece.encode("utf-8"), path=name))


@settings(max_examples=15 * SCALE, **BASE)
@given(st.one_of(corpus_reports.filter(lambda b: not b[0].endswith(".html")),
                 generated_reports(layouts=tuple(x for x in LAYOUTS if x != "html"))),
       st.sampled_from(ENCODINGS[1:]))
def test_encoding_does_not_change_the_result(base: tuple[str, str], encoding: str) -> None:
    name, text = base
    try:
        data = text.encode(encoding)
    except UnicodeEncodeError:
        return  # GBK cannot hold this text; covered by the mutation test with errors=ignore
    utf8 = outcome(lambda: parse_bytes(text.encode("utf-8"), path=name))
    other = outcome(lambda: parse_bytes(data, path=name))
    assert (utf8 is None) == (other is None)
    if utf8 is not None:
        for obj in (utf8, other):
            del obj["source"]["sha256"]
        assert other == utf8


def test_lone_surrogate_text() -> None:
    # text read with errors="surrogateescape" holds bytes that are no characters
    with pytest.raises(InputError) as caught:
        parse_text("某县2023年政府信息公开工作年度报告\ud800")
    assert caught.value.code == "UNDECODABLE" and "U+D800" in caught.value.message


# ------------------------------------------------------------------------ no number lost

# A number token: digits not followed by 年/月/日/条/件 (dates and counts in prose).
_NUMBER = re.compile(r"(?<![\d.])[+-]?\d+(?:\.\d+)?(?![\d.])")
_PROSE_UNIT = set("年月日条件")
_SECTION = re.compile(r"^(?:#+\s*)?([一二三四五六])、(?:总体|主动|收到|政府|存在|其他|總體|主動|收到|政府|存在|其他)",
                      re.M)
NUMBER_LAYOUTS = ("tab", "lines", "markdown", "traditional")  # no page numbers in these


def _value(token: str) -> float:
    return round(float(token), 6)


def _table_region(text: str) -> tuple[int, int] | None:
    heads = {m.group(1): m.start() for m in reversed(list(_SECTION.finditer(text)))}
    if "二" not in heads or "五" not in heads or heads["五"] < heads["二"]:
        return None
    return heads["二"], heads["五"]


def table_numbers(text: str) -> Counter:
    region = _table_region(text)
    assert region is not None
    a, b = region
    found: Counter = Counter()
    for m in _NUMBER.finditer(text, a, b):
        after = text[m.end() : m.end() + 3].lstrip()
        if after[:1] in _PROSE_UNIT:
            continue
        found[_value(m.group())] += 1
    return found


def output_numbers(obj: dict[str, Any]) -> Counter:
    found: Counter = Counter()

    def add(v: Any) -> None:
        if isinstance(v, (int, float)) and not isinstance(v, bool):
            found[round(float(v), 6)] += 1
        elif isinstance(v, str):  # amount_raw: the money cell as printed
            for m in _NUMBER.finditer(v):
                found[_value(m.group())] += 1

    for item in obj["active_disclosure"].values():
        for key, row in item.items():
            for r in row.values() if key == "extra" else [row]:
                for v in r.values():
                    add(v)
    for row in obj["applications"]["rows"].values():
        for v in row:
            add(v)
    for group in obj["review_litigation"].values():
        for v in group.values():
            add(v)
    return found


def diagnostic_numbers(obj: dict[str, Any]) -> Counter:
    found: Counter = Counter()
    for d in obj["diagnostics"]:
        for m in _NUMBER.finditer(d["message"]):
            found[_value(m.group())] += 1
    return found


def lost_numbers(text: str, obj: dict[str, Any]) -> dict[float, int]:
    """Number tokens of the table region that neither the output nor a diagnostic accounts
    for, counted as tokens (a duplicated row's numbers must be accounted for again)."""
    have = output_numbers(obj) + diagnostic_numbers(obj)
    return {v: n - have[v] for v, n in table_numbers(text).items() if n > have[v]}


def _table_lines(text: str) -> list[int]:
    a, b = _table_region(text)
    lines = text.split("\n")
    out, pos = [], 0
    for i, line in enumerate(lines):
        if a < pos < b and line.strip() and not _SECTION.match(line):
            out.append(i)
        pos += len(line) + 1
    return out


@settings(max_examples=10 * SCALE, **BASE)
@given(st.integers(0, 100_000), st.sampled_from(("2019", "2021")),
       st.sampled_from(NUMBER_LAYOUTS))
def test_unmutated_generated_report_accounts_for_every_number(seed, template, layout) -> None:
    name, text = _generated(seed, template, layout)
    obj = outcome(lambda: parse_bytes(text.encode("utf-8"), path=name))
    assert obj is not None
    assert lost_numbers(text, obj) == {}


def _mutate_one_table_line(text: str, op: str, index: int) -> str:
    lines = text.split("\n")
    candidates = _table_lines(text)
    i = candidates[index % len(candidates)]
    if op == "delete":
        del lines[i]
    else:
        lines.insert(i, lines[i])
    return "\n".join(lines)


# One table line deleted or duplicated: a caption gone (the rows before the first token the
# grammar took), an item printed twice, a row that joins another item, a value line gone,
# an amount in 元 that lands in a column of counts.
@example(seed=0, template="2019", layout="tab", op="delete", index=0)
@example(seed=559, template="2021", layout="tab", op="duplicate", index=8)
@example(seed=608, template="2019", layout="markdown", op="delete", index=15)
@example(seed=0, template="2019", layout="lines", op="delete", index=6)
@example(seed=0, template="2019", layout="markdown", op="delete", index=19)  # 元 under 本年增/减
@settings(max_examples=40 * SCALE, **BASE)
@given(st.integers(0, 100_000), st.sampled_from(("2019", "2021")),
       st.sampled_from(NUMBER_LAYOUTS), st.sampled_from(("delete", "duplicate")),
       st.integers(0, 10_000))
def test_no_number_lost_after_one_table_line_changes(seed, template, layout, op, index) -> None:
    name, text = _generated(seed, template, layout)
    mutated = _mutate_one_table_line(text, op, index)
    obj = outcome(lambda: parse_bytes(mutated.encode("utf-8"), path=name))
    assert obj is not None, "a report with one table line changed is still a report"
    assert lost_numbers(mutated, obj) == {}



# ------------------------------------------------------------------------ never hangs


def _numbers_report(n: int, label: str = "一、本年新收政府信息公开申请数量") -> str:
    cells = "\t".join(str(i % 10) for i in range(n))
    return ("某县2023年政府信息公开工作年度报告\n二、主动公开政府信息情况\n"
            "三、收到和处理政府信息公开申请情况\n"
            f"{label}\t{cells}\n四、政府信息公开行政复议、行政诉讼情况\n")


def _best_time(text: str, repeat: int = 3) -> float:
    return cpu_seconds(lambda: outcome(lambda: parse_text(text)), repeat)


# After a row label the numbers are cells; without one (the header's "其他") they are noise,
# where no state accepts a run of cells.
@pytest.mark.parametrize("label", ["一、本年新收政府信息公开申请数量", "其他"])
def test_many_numbers_parse_in_linear_time(label: str) -> None:
    outcome(lambda: parse_text(_numbers_report(10, label)))  # grammars built
    small = _best_time(_numbers_report(500, label))
    large = _best_time(_numbers_report(8000, label), 1)
    # linear: about 16x (less, with the fixed costs); quadratic: over 100x here
    assert large / max(small, 1e-3) < 40, f"16x the numbers took {large / small:.0f}x the time"


# ------------------------------------------------------------------------ hostile cells

_H = "某县2019年政府信息公开工作年度报告\n二、主动公开政府信息情况\n"
_T = "\n三、收到和处理政府信息公开申请情况\n四、政府信息公开行政复议、行政诉讼情况\n"


def test_huge_number_stays_valid_json() -> None:
    row = "政府集中采购\t" + "9" * 400 + ".5\t3"
    obj = outcome(lambda: parse_text(_H + "第二十条第（九）项\n信息内容\t采购项目数量\t采购总金额\n"
                                      + row + "\n" + _T))
    assert obj["active_disclosure"]["art20_9"]["centralized_procurement"]["projects"] is None
    found = [d for d in obj["diagnostics"] if d["code"] == "VALUE_OUT_OF_RANGE"]
    assert [(d["section"], d["row"], d["column"], d["line"]) for d in found] == [
        ("二", "centralized_procurement", "projects", 5)]


_ROW_9 = "第二十条第（九）项\n信息内容\t采购项目数量\t采购总金额\n政府集中采购\t12\t{cell}\n"


@pytest.mark.parametrize("cell", ["x", "NaN", "?"])
def test_junk_cell_is_a_blank_not_a_split(cell: str) -> None:
    obj = outcome(lambda: parse_text(_H + _ROW_9.format(cell=cell) + _T))
    row = obj["active_disclosure"]["art20_9"]["centralized_procurement"]
    assert row == {"projects": 12, "amount_wan_yuan": None}


def test_trailing_tab_in_text_is_not_read_as_a_cell() -> None:
    # A plain-text row may end in a tab whether its last cell is blank or not (seed 000), so
    # where its fields do not line up with a header "12" cannot be placed: nothing is
    # guessed and the number is named.  Never split as 1|2.
    row_9 = "第二十条第（九）项\n信息内容 采购项目数量 采购总金额\n政府集中采购\t12\t\n"
    obj = outcome(lambda: parse_text(_H + row_9 + _T))
    row = obj["active_disclosure"]["art20_9"]["centralized_procurement"]
    assert row == {"projects": None, "amount_wan_yuan": None}
    found = [d for d in obj["diagnostics"] if d.get("row") == "centralized_procurement"]
    assert [(d["code"], d["line"]) for d in found] == [("ROW_UNRESOLVED", 5)]
    assert "prints 12 for 2 cells" in found[0]["message"]


def test_trailing_blank_keeps_its_column_where_the_fields_line_up() -> None:
    # The header and the row print as many fields: a grid, read by column.
    obj = outcome(lambda: parse_text(_H + _ROW_9.format(cell="") + _T))
    row = obj["active_disclosure"]["art20_9"]["centralized_procurement"]
    assert row == {"projects": 12, "amount_wan_yuan": None}
    assert [d for d in obj["diagnostics"] if d.get("row") == "centralized_procurement"] == []


def test_trailing_blank_cell_of_an_html_row_keeps_its_column() -> None:
    pytest.importorskip("lxml")
    rows = "".join(f"<p>{line}</p>" for line in _H.split("\n") if line)
    table = ("<table><tr><td>第二十条第（九）项</td></tr><tr><td>信息内容</td><td>采购项目数量</td>"
             "<td>采购总金额</td></tr><tr><td>政府集中采购</td><td>12</td><td></td></tr></table>")
    tail = "".join(f"<p>{line}</p>" for line in _T.split("\n") if line)
    page = f"<html><body>{rows}{table}{tail}</body></html>".encode()
    obj = outcome(lambda: parse_bytes(page, path="r.html"))
    row = obj["active_disclosure"]["art20_9"]["centralized_procurement"]
    assert row == {"projects": 12, "amount_wan_yuan": None}
