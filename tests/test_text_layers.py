"""Free text as PDF text layers and PDF-to-Markdown conversions print it: labels cut by a
page break, a row's label on its own line above its numbers, header rows broken over
several lines.  Built from generated reports (``spaces`` layout, one table row per line),
with lines rewritten as those habits print them; every value must come back exact, blank
and 0 told apart, and a clean report carries no error."""

import random
import re

import pytest
from generate import make_report, render

from govreport_lark import parse_bytes, report_to_dict
from govreport_lark.output.compare import compare

SEEDS = range(6)
TEMPLATES = ("2019", "2021")


def _parse(text: str) -> dict:
    return report_to_dict(parse_bytes(text.encode("utf-8"), path="layer.txt"))


def _assert_exact(out: dict, report) -> None:
    assert compare(out, report.expected).differences == []
    assert [d for d in out["diagnostics"] if d["severity"] == "error"] == []


def _text(seed: int, template: str) -> tuple[object, str]:
    report = make_report(seed, template)
    return report, render(report, "spaces", seed=seed)


def _section(text: str, start: str, end: str) -> tuple[int, int]:
    a = text.index(start)
    return a, text.index(end, a)


def _rewrite(text: str, start: str, end: str, fn) -> str:
    a, b = _section(text, start, end)
    return text[:a] + fn(text[a:b]) + text[b:]


def _three(text: str, fn) -> str:
    return _rewrite(text, "三、收到和处理", "四、政府信息公开行政复议", fn)


def _two(text: str, fn) -> str:
    return _rewrite(text, "二、主动公开政府信息情况", "三、收到和处理", fn)


# --- 1. a label cut by a page break, its tail after the values ----------------------

_UNABLE_STUB = re.compile(r"^([（(]四[）)]\s?无)法提供[ \t]*", re.M)


def _cut_unable_stub(body: str) -> str:
    """The rowspan stub （四）无法提供 as real report 007 prints it: its head on the line of
    the group's first row, a page number, its tail on the line of the second row."""
    lines = body.split("\n")
    i = next(k for k, line in enumerate(lines) if _UNABLE_STUB.match(line))
    head = _UNABLE_STUB.match(lines[i])
    rest = lines[i][head.end():] or lines.pop(i + 1)  # the stub on its own line, or not
    lines[i] = f"{head.group(1)} {rest}"
    j = next(k for k in range(i + 1, len(lines)) if re.match(r"^2\.\s?没有", lines[k]))
    lines[j : j + 1] = ["- 4 -", "法提供 " + lines[j]]
    return "\n".join(lines)


@pytest.mark.parametrize("template", TEMPLATES)
@pytest.mark.parametrize("seed", SEEDS)
def test_stub_cut_by_a_page_break_takes_no_value(seed, template):
    """``（四）无`` / ``- 4 -`` / ``法提供``: the stray 无 is the stub's head, not a
    placeholder cell of the row above (8.属于行政查询事项 lost its seven values)."""
    report, text = _text(seed, template)
    cut = _three(text, _cut_unable_stub)
    assert "无 1." in cut and "法提供 2." in cut
    _assert_exact(_parse(cut), report)


def test_stub_cut_on_its_own_lines():
    report, text = _text(1, "2021")
    cut = _three(text, lambda body: _UNABLE_STUB.sub(lambda m: f"{m.group(1)}\n- 3 -\n法提供\n", body))
    _assert_exact(_parse(cut), report)


_LABEL_HEAD = re.compile(r"^((?:[（(][一二三四五六七][）)]|[一二三四]、|\d[.、])\s?[\u4e00-\u9fff])"
                         r"([\u4e00-\u9fff“”\"]*[^\s\d]*) ((?:\d+ ){6}\d+)$", re.M)


@pytest.mark.parametrize("template", TEMPLATES)
@pytest.mark.parametrize("seed", SEEDS)
def test_row_label_cut_after_its_first_character(seed, template):
    """A page break right after a row label's ordinal and first character, the tail after
    the values (``（六）其 83 2 4 1 4 0 94`` / ``- 4 -`` / ``他处理``): the ordinal and that
    character name the row in section 三, so its values stay its own."""
    report, text = _text(seed, template)
    rng = random.Random(seed)

    def cut(body: str) -> str:
        def one(m: re.Match) -> str:
            if rng.random() < 0.5:
                return m.group(0)
            return f"{m.group(1)} {m.group(3)}\n- {rng.randint(2, 9)} -\n{m.group(2)}"
        return _LABEL_HEAD.sub(one, body)

    cut_text = _three(text, cut)
    assert cut_text != text
    _assert_exact(_parse(cut_text), report)


# --- 2. a row's label on its own line above a label-less row of numbers ------------

_LABELLED_ROW = re.compile(r"^(\S*?[\u4e00-\u9fff）)”\"])[ \t]+((?:[+-]?[\d.]+(?:万元|元)?[ \t]?)+)$",
                           re.M)


def _labels_above(body: str) -> str:
    return _LABELLED_ROW.sub(r"\1\n\2", body)


@pytest.mark.parametrize("template", TEMPLATES)
@pytest.mark.parametrize("seed", SEEDS)
def test_label_on_its_own_line_above_its_numbers(seed, template):
    report, text = _text(seed, template)
    split = _two(_three(text, _labels_above), _labels_above)
    assert split != text
    _assert_exact(_parse(split), report)


_ORDINAL = re.compile(r"^\d[.、]\s?(?=属于|其他法律|危及|保护|本机关|没有|补正|信访|重复|要求|无正当)", re.M)


@pytest.mark.parametrize("template", TEMPLATES)
@pytest.mark.parametrize("seed", SEEDS)
def test_label_without_ordinal_below_a_stub_line(seed, template):
    """``（三）不予公开`` / ``属于国家秘密`` / numbers: the stub line ends in CJK and the
    label starts with it, but they are two labels, not one cut in two."""
    report, text = _text(seed, template)

    def bare(body: str) -> str:
        body = _labels_above(body)
        # Stubs on their own lines, the rows without their 1.–8.
        body = re.sub(r"^([（(][三四五][）)]\s?(?:不予公开|无法提供|不予处理))[ \t]+", r"\1\n", body,
                      flags=re.M)
        return _ORDINAL.sub("", body)

    split = _three(text, bare)
    assert re.search(r"不予公开\n属于国家", split)
    _assert_exact(_parse(split), report)


# --- 3. header rows broken over several lines -----------------------------------------

_HEADERS = {
    "二": re.compile(r"^信息内容 .*$", re.M),
    "三": re.compile(r"^(?:申请人情况|自然人 .*|商业企业 .*)$", re.M),
    "四": re.compile(r"^(?:行政复议 行政诉讼|结果维持 .*)$", re.M),
}


def _one_word_a_line(line: str, rng: random.Random) -> str:
    return "\n".join(line.split(" "))


def _each_word_cut(line: str, rng: random.Random) -> str:
    """Each header cell wrapped in its own cell: the text layer gives the first line of
    every cell, then the second lines (``商业企 科研机 …`` / ``业 构 …``)."""
    tops, bottoms = [], []
    for word in line.split(" "):
        if len(word) >= 2 and rng.random() < 0.8:
            k = rng.randint(1, len(word) - 1)
            tops.append(word[:k])
            bottoms.append(word[k:])
        else:
            (tops if rng.random() < 0.5 else bottoms).append(word)
    return " ".join(tops) + "\n" + " ".join(bottoms)


def _cut_anywhere(line: str, rng: random.Random) -> str:
    k = rng.randint(1, len(line) - 1)
    return line[:k].rstrip() + "\n" + line[k:].lstrip()


@pytest.mark.parametrize("how", [_one_word_a_line, _each_word_cut, _cut_anywhere])
@pytest.mark.parametrize("section", ["二", "三", "四"])
@pytest.mark.parametrize("template", TEMPLATES)
@pytest.mark.parametrize("seed", SEEDS)
def test_header_broken_over_lines(seed, template, section, how):
    report, text = _text(seed, template)
    rng = random.Random(f"{seed}{template}{section}{how.__name__}")
    broken = _HEADERS[section].sub(lambda m: how(m.group(0), rng), text)
    assert broken != text
    _assert_exact(_parse(broken), report)


@pytest.mark.parametrize(("template", "line", "cut"), [
    ("2019", "信息内容 上一年项目数量 本年增/减 处理决定数量", "信息内容 上一年项目数量 本年增/\n减 处理决定数量"),
    ("2019", "信息内容 上一年项目数量 本年增/减", "信息内容 上一年项目数量 本年增/\n减"),
    ("2021", "信息内容 本年收费金额（单位：万元）", "信息内容 本年收费金额（单位：\n万元）"),
    ("2021", "信息内容 本年收费金额（单位：万元）", "信 本年收费金额（单位：万元）\n息内容"),
])
@pytest.mark.parametrize("seed", SEEDS)
def test_header_fragment_is_not_a_row(seed, template, line, cut):
    """A header word's tail on a line of its own (``本年增/`` / ``减``) stands where a row
    label could: it is header, and the item's rows after it keep their values."""
    report, text = _text(seed, template)
    half = line.replace("（", "(").replace("）", ")").replace("：", ":")
    if line not in text and half not in text:
        pytest.skip("this rendering prints the header otherwise")
    if half in text and line not in text:
        line, cut = half, cut.replace("（", "(").replace("）", ")").replace("：", ":")
    _assert_exact(_parse(text.replace(line, cut)), report)


# --- prose in a table section -----------------------------------------------------------


@pytest.mark.parametrize("template", TEMPLATES)
@pytest.mark.parametrize("seed", SEEDS)
def test_count_wrapped_before_its_unit_is_no_cell(seed, template):
    """A sentence above 四's table, wrapped between a count and its unit (``…被申请行政复议
    126`` / ``件，…``): the header word in the sentence does not make 126 a cell, and the
    count is no number the table lost."""
    report, text = _text(seed, template)
    heading = "四、政府信息公开行政复议、行政诉讼情况\n"
    sentence = ("本年度，我局因政府信息公开工作被申请行政复议126\n"
                "件，被提起行政诉讼1035\n件，均已依法办理。\n")
    out = _parse(text.replace(heading, heading + sentence))
    _assert_exact(out, report)
    # (The sentence's 126 and 1035 are not the table's: that finding is the narrative check's.)
    assert [d for d in out["diagnostics"]
            if d["section"] == "四" and d["code"] != "NARRATIVE_MISMATCH"] == []


def test_header_pieces_do_not_vote_for_the_other_template():
    """2021's 本年处理决定数量 broken over lines leaves 处理决定数量, which alone is no 2019
    column: the template comes from the other signals."""
    report, text = _text(1, "2021")
    out = _parse(text.replace("本年处理决定数量", "本年\n处理决定数量"))
    _assert_exact(out, report)
    assert out["template"] == "2021"
    assert not [d for d in out["diagnostics"] if d["code"] == "TEMPLATE_MIXED"]


def test_header_piece_never_runs_over_the_next_caption():
    """Lines joined at a label cut ("行政 64 7" / "- 2 -" / "事业性收费" / "第二十条第(九)项…")
    leave a header piece and the next item's caption on one line: the piece ends before the
    caption, and item （九） keeps its row."""
    report = make_report(74, "2019")
    out = report_to_dict(parse_bytes(render(report, "wrapped", seed=74).encode("utf-8"),
                                     path="wrapped.txt"))
    assert out["active_disclosure"]["art20_9"] == report.expected["active_disclosure"]["art20_9"]
