"""Tables whose cells the reader knows are read by column: an empty stub cell is never a
value, a trailing blank keeps its column, and a header that prints the template's columns
in another order is read in the order it printed."""

from __future__ import annotations

import pytest
from generate import make_report, render

from govreport_lark import parse_bytes, report_to_dict
from govreport_lark.locate.grids import column_word
from govreport_lark.output.compare import compare

SEEDS = range(4)


def _parse(text: str, fmt: str = "md") -> dict:
    return report_to_dict(parse_bytes(text.encode("utf-8"), path=f"generated.{fmt}"))


def _cells(line: str) -> list[str]:
    return [c.strip() for c in line.strip().strip("|").split("|")]


def _row(cells: list[str]) -> str:
    return "| " + " | ".join(cells) + " |"


def _table_lines(lines: list[str], first: str) -> range:
    """The pipe rows of the table whose first row holds ``first``."""
    at = next(i for i, line in enumerate(lines) if first in line and line.startswith("|"))
    start = end = at
    while start > 0 and lines[start - 1].startswith("|"):
        start -= 1
    while end < len(lines) and lines[end].startswith("|"):
        end += 1
    return range(start, end)


_GROUP_HEADINGS = ("行政复议", "行政诉讼", "未经复议直接起诉", "复议后起诉")


def _permute(text: str, first: str, order: list[int], width: int) -> str:
    """Reorder the last ``width`` columns of one pipe table, header and data alike.  A group
    heading (四's 行政复议 over five columns) stays at its group's first column, as a table
    that prints its groups in another order prints it."""
    lines = text.split("\n")
    for i in _table_lines(lines, first):
        if set(lines[i].replace("|", "").strip()) <= set("-: "):
            continue
        cells = _cells(lines[i])
        head, tail = cells[: len(cells) - width], cells[len(cells) - width :]
        tail = [tail[k] for k in order]
        for start in range(0, width, 5) if width == 15 else ():
            for k in range(start + 1, start + 5):
                if tail[k] in _GROUP_HEADINGS and not tail[start]:
                    tail[start], tail[k] = tail[k], ""
        lines[i] = _row(head + tail)
    return "\n".join(lines)


def _errors(out: dict) -> list[dict]:
    return [d for d in out["diagnostics"] if d["severity"] == "error"]


def _codes(out: dict, code: str) -> list[dict]:
    return [d for d in out["diagnostics"] if d["code"] == code]


@pytest.mark.parametrize("seed", SEEDS)
def test_label_over_the_stub_columns_and_trailing_blanks(seed):
    # The reproducer: the label spans the three stub columns, the trailing cells
    # are blank.  The 4 stays under 自然人; blanks stay null, zeros zero.
    report = make_report(seed, "2021")
    lines = render(report, "markdown", seed=seed).split("\n")
    at = next(i for i, line in enumerate(lines) if "二、上年结转政府信息公开申请数量" in line)
    lines[at] = "| 二、上年结转政府信息公开申请数量 |  |  | 4 |  | 0 | 0 | 0 |  |  |"
    out = _parse("\n".join(lines))
    assert out["applications"]["rows"]["carried_over"] == [4, None, 0, 0, 0, None, None]
    # Only the report's own arithmetic may be questioned, never the parser's placement.
    about = [d for d in out["diagnostics"] if d.get("row") == "carried_over"]
    assert all(d["code"] == "SUM_MISMATCH" for d in about), about
    assert not [d for d in out["diagnostics"] if d.get("responsibility") == "parser"]


@pytest.mark.parametrize("template", ["2019", "2021"])
@pytest.mark.parametrize("seed", SEEDS)
def test_applicant_columns_in_another_order(seed, template):
    report = make_report(seed, template, blanks=seed % 2 == 1)
    text = _permute(render(report, "markdown", seed=seed), "本列数据的勾稽关系",
                    [6, 2, 0, 5, 1, 4, 3], 7)
    out = _parse(text)
    assert compare(out, report.expected).differences == []
    assert _errors(out) == []
    [info] = _codes(out, "COLUMNS_REORDERED")
    assert info["severity"] == "info" and info["section"] == "三"
    assert "总计、科研机构、自然人、其他、商业企业、法律服务机构、社会公益组织" in info["message"]


@pytest.mark.parametrize("seed", SEEDS)
def test_litigation_before_review_and_corrected_before_maintained(seed):
    report = make_report(seed, "2021", blanks=seed % 2 == 1)
    text = render(report, "markdown", seed=seed)
    groups = [*range(5, 15), *range(0, 5)]  # 行政诉讼 (its two groups), then 行政复议
    order = [g - g % 5 + (1, 0, 2, 3, 4)[g % 5] for g in groups]  # 纠正 before 维持
    out = _parse(_permute(text, "行政复议", order, 15))
    assert compare(out, report.expected).differences == []
    assert _errors(out) == []
    [info] = _codes(out, "COLUMNS_REORDERED")
    assert info["section"] == "四"
    assert "未经复议直接起诉、复议后起诉、行政复议" in info["message"]


@pytest.mark.parametrize("seed", SEEDS)
def test_in_force_printed_first(seed):
    report = make_report(seed, "2021")
    out = _parse(_permute(render(report, "markdown", seed=seed), "规章", [2, 0, 1], 3))
    assert compare(out, report.expected).differences == []
    [info] = _codes(out, "COLUMNS_REORDERED")
    assert info["section"] == "二" and "现行有效件数、本年制发件数、本年废止件数" in info["message"]


@pytest.mark.parametrize("seed", SEEDS)
def test_unknown_column_word_is_a_warning_not_a_guess(seed):
    report = make_report(seed, "2021")
    text = render(report, "markdown", seed=seed).replace("| 商业企业 |", "| 外资企业 |")
    out = _parse(text)
    [warning] = _codes(out, "HEADER_UNMATCHED")
    assert warning["severity"] == "warning" and "外资企业" in warning["message"]
    # The named columns agree with the template's places, so the values are read by place.
    assert compare(out, report.expected).differences == []


def test_a_named_column_out_of_its_place_is_never_read_by_place():
    report = make_report(1, "2021")
    text = render(report, "markdown", seed=1)
    # 自然人 and 商业企业 swapped in the header only, and one column renamed: the header no
    # longer tells every column, and what it tells contradicts the template's places.
    text = text.replace("| 自然人 | 法人或其他组织 |", "| 合作社 | 法人或其他组织 |")
    text = text.replace("| 商业企业 | 科研机构 |", "| 自然人 | 科研机构 |")
    out = _parse(text)
    assert _codes(out, "HEADER_UNMATCHED")
    rows = out["applications"]["rows"]
    expected = report.expected["applications"]["rows"]
    for key, values in rows.items():
        for got, want in zip(values, expected[key], strict=True):
            assert got is None or got == want, (key, got, want)


def test_extra_leading_group_cell_does_not_shift_the_row():
    report = make_report(2, "2021")
    lines = render(report, "markdown", seed=2).split("\n")
    at = next(i for i, line in enumerate(lines) if "保护第三方合法权益" in line)
    cells = _cells(lines[at])
    lines[at] = _row(["（三）不", *cells[1:]])  # the group cell printed again, cut short
    out = _parse("\n".join(lines))
    assert compare(out, report.expected).differences == []
    assert _errors(out) == []


@pytest.mark.parametrize(("text", "word"), [
    ("自然人", "APP_NATURAL_PERSON"), ("法人或其他组织", "APP_ORGS"), ("其他", "OTHER"),
    ("总计", "TOTAL"), ("复议后起诉", "RL_AFTER_REVIEW"), ("未经复议直接起诉", "RL_DIRECT"),
    ("行政复议", "RL_REVIEW"), ("结果维持", "RL_MAINTAINED"), ("其他结果", "RL_OTHER"),
    ("本年增/减", "COL_CHANGE"), ("处理决定数量", "COL_DECISIONS_2019"),
    ("本年处理决定数量", "COL_DECISIONS_2021"), ("本年收费金额(单位:万元)", "COL_FEE_AMOUNT"),
    ("数据3", "GENERIC"), ("规章", None),
])
def test_column_words(text, word):
    assert column_word(text) == word


def test_a_placement_the_parser_chose_is_the_parsers_not_the_reports():
    # Seed 000 prints six numbers for seven cells in rows of 三: the row is completed or
    # left blank by the parser's choice, so the diagnostic blames the parser, not the report.
    from pathlib import Path

    from govreport_lark import parse_file

    path = Path(__file__).resolve().parent.parent / "corpus/seeds/000_f74dd9a0e29e27b2.txt"
    out = report_to_dict(parse_file(path))
    counts = _codes(out, "ROW_CELL_COUNT")
    assert len(counts) == 8  # （五）1.–5., （六）, （七）总计, 四、结转
    assert {d["responsibility"] for d in counts} == {"parser"}
    assert _errors(out) == []


def test_reordered_header_over_rows_that_leave_out_their_span_slots():
    # Tab text whose rows leave out their span slots (as pages copied to text do) under a
    # header that reorders the applicant columns: each row's values still stand at the
    # right end of the header's columns, so they are read by the header's words; where a
    # row does not fit, nothing is placed by guess.
    from generate import make_report as make

    for seed in range(12):
        report = make(seed, "2021", reorder=("applicants",))
        text = render(report, "tab", seed=seed)
        out = _parse(text, "txt")
        unreadable = _codes(out, "COLUMNS_UNREADABLE")
        rows = out["applications"]["rows"]
        expected = report.expected["applications"]["rows"]
        if unreadable:
            assert unreadable[0]["section"] == "三" and unreadable[0]["severity"] == "error"
            assert all(v is None for values in rows.values() for v in values)
        else:  # the rows lined up: read by the header's words
            assert compare(out, report.expected).differences == []
            assert _codes(out, "COLUMNS_REORDERED")
        for key, values in rows.items():
            for got, want in zip(values, expected[key], strict=True):
                assert got is None or got == want, (seed, key, got, want)


def test_a_row_that_does_not_fit_a_reordered_header_leaves_the_table_null():
    report = make_report(4, "2021", reorder=("applicants",))
    lines = render(report, "tab", seed=4).split("\n")
    at = next(i for i, line in enumerate(lines) if "本年新收" in line)
    lines[at] = "\t".join(lines[at].split("\t")[:-1])  # its last number left out
    out = _parse("\n".join(lines), "txt")
    [error] = _codes(out, "COLUMNS_UNREADABLE")
    assert error["section"] == "三" and error["responsibility"] == "parser"
    rows = out["applications"]["rows"]
    assert all(v is None for values in rows.values() for v in values)
    assert _codes(out, "COLUMNS_REORDERED") == []


@pytest.mark.parametrize("seed", range(6))
def test_a_plain_text_row_narrower_than_its_header_is_not_read_from_its_right_end_by_guess(seed):
    # A tab row with an empty stub field and one cell left out: which cell is missing cannot
    # be told, so no value may come back under another column.
    report = make_report(seed, "2021")
    lines = render(report, "tab", seed=seed).split("\n")
    at = next(i for i, line in enumerate(lines) if "本年新收" in line)
    fields = lines[at].split("\t")
    values = [f for f in fields if f.strip().isdigit()]
    lines[at] = "\t".join([fields[0], "", *values[:6]])
    out = _parse("\n".join(lines), "txt")
    want = report.expected["applications"]["rows"]["new_received"]
    got = out["applications"]["rows"]["new_received"]
    for g, w in zip(got, want, strict=True):
        assert g is None or g == w, (got, want)


def test_column_word_kept_per_text_is_the_same_as_computed():
    """``column_word`` is kept per text (lru_cache): every field of the generated grid
    layouts and of the corpus names the column it names when computed afresh."""
    from pathlib import Path

    fields = set()
    for seed in range(6):
        for template in ("2019", "2021"):
            report = make_report(seed, template, reorder=("applicants",) if seed % 2 else ())
            for layout in ("tab", "markdown"):
                for line in render(report, layout).splitlines():
                    fields.update(f.strip() for f in line.replace("|", "\t").split("\t"))
    for path in (Path(__file__).parent.parent / "corpus").rglob("*.txt"):
        for line in path.read_text(encoding="utf-8").splitlines():
            fields.update(f.strip() for f in line.split("\t"))
    fields |= {"", "（单位：万元）总计", "自然人 (个人)", "x" * 41}
    assert len(fields) > 300
    for text in sorted(fields):
        assert column_word(text) == column_word.__wrapped__(text), text
    assert column_word("自然人") == "APP_NATURAL_PERSON"
