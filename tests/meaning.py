"""Edits of generated reports whose effect on the meaning is known, and the checks that a
parse of the edited text came back right: shared by tests/test_meaning.py and the value
mode of scripts/fuzz.py.

Meaning-preserving: header columns reordered with their data, a row the template does not
have, counts printed with 件, money printed in another unit (元, 千元, 亿元, ¥) or with its
unit moved into the column header.  Meaning-changing: two data cells swapped, one cell
dropped, a row's cells shifted by one column.
"""

from __future__ import annotations

import copy
import random
import re
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from generate import (
    APPLICATION_COLUMNS,
    LAYOUT_FORMAT,
    REORDERS,
    GeneratedReport,
    make_report,
    render,
)

from govreport_lark import parse_bytes, report_to_dict

# Layouts that print each number once; html keeps its spans, so a row is not copied there.
LAYOUTS = ("tab", "lines", "markdown", "spaces", "html")


def _parse(text: str, layout: str) -> dict[str, Any]:
    fmt = LAYOUT_FORMAT[layout]
    return report_to_dict(parse_bytes(text.encode("utf-8"), path=f"generated.{fmt}"))


Where = tuple[str, str, str]  # (section, row, column)


def cells(obj: dict[str, Any]) -> dict[Where, Any]:
    """Every table cell of an output (or an expected value set) by section, row, column."""
    out: dict[Where, Any] = {}
    for item, rows in obj["active_disclosure"].items():
        for row, columns in rows.items():
            if row == "extra":
                continue
            for column, value in columns.items():
                if column != "amount_raw":
                    out[("二", f"{item}.{row}", column)] = value
    for row, values in obj["applications"]["rows"].items():
        for column, value in zip(APPLICATION_COLUMNS, values):
            out[("三", row, column)] = value
    for group, fields in obj["review_litigation"].items():
        for name, value in fields.items():
            out[("四", group, name)] = value
    return out


def _same(a: Any, b: Any) -> bool:
    if a is None or b is None:
        return a is b
    return abs(a - b) < 1e-6


def named(out: dict[str, Any], where: Where) -> bool:
    """A warning or error of the cell's section that names its row or its column, or an
    error about the whole table."""
    section, row, column = where
    short_row = row.split(".", 1)[1] if section == "二" else row
    for d in out["diagnostics"]:
        if d["severity"] not in ("warning", "error") or d["section"] != section:
            continue
        if d.get("row") in (row, short_row) or d.get("column") == column:
            return True
        if d["severity"] == "error" and d.get("row") is None and d.get("column") is None:
            return True
    return False


def silent_wrong(out: dict[str, Any], meant: dict[str, Any], printed: dict[str, Any] | None
                 ) -> list[str]:
    """Cells that are neither what was meant, nor what the changed text prints, nor named."""
    got = cells(out)
    want = cells(meant)
    shown = cells(printed) if printed is not None else {}
    bad = []
    for where, value in want.items():
        value_got = got.get(where)
        if _same(value_got, value) or (where in shown and _same(value_got, shown[where])):
            continue
        if not named(out, where):
            bad.append(f"{where}: meant {value!r}, printed {shown.get(where)!r}, got {value_got!r}")
    return bad


# ------------------------------------------------------------------ text edits by layout

# A table cell's number, per layout: a whole tab field, a Markdown cell, an HTML cell, a
# line of its own, or a space-separated token at the end of a row.
_CELL = {
    "tab": re.compile(r"(?<=\t)[+-]?\d+(?:\.\d+)?(?=\t|$)", re.M),
    "markdown": re.compile(r"(?<=\| )[+-]?\d+(?:\.\d+)?(?= \|)"),
    "html": re.compile(r"(?<=>)[+-]?\d+(?:\.\d+)?(?=</td>)"),
    "lines": re.compile(r"^[+-]?\d+(?:\.\d+)?$", re.M),
    "spaces": re.compile(r"(?<= )[+-]?\d+(?:\.\d+)?(?= |$)", re.M),
}
_THREE = re.compile(r"三、收到和处理")
_FIVE = re.compile(r"五、(?:存在|政府信息公开工作存在)")


def _table_cells(text: str, layout: str, start: int, end: int) -> Iterator[re.Match[str]]:
    """The cells between two offsets, leaving page numbers (`- 3 -`) and prose alone."""
    for m in _CELL[layout].finditer(text, start, end):
        line_start = text.rfind("\n", 0, m.start()) + 1
        line_end = text.find("\n", m.end())
        line = text[line_start: line_end if line_end >= 0 else len(text)]
        if layout == "spaces" and (line.startswith("- ") or len(_CELL[layout].findall(line)) < 3):
            continue
        yield m


def _replace(text: str, spans: list[tuple[int, int, str]]) -> str:
    for a, b, new in sorted(spans, reverse=True):
        text = text[:a] + new + text[b:]
    return text


def count_units(text: str, layout: str, rng: random.Random) -> str:
    """Every cell of 三 and 四 printed with 件 (or 个), as some reports do."""
    start = _THREE.search(text).start()
    end = _FIVE.search(text, start).start()
    unit = rng.choice(("件", "个", " 件"))
    return _replace(text, [(m.start(), m.end(), m.group() + unit)
                           for m in _table_cells(text, layout, start, end)])


def _row_line(text: str, label: str) -> tuple[int, int]:
    at = text.index(label)
    a = text.rfind("\n", 0, at) + 1
    b = text.find("\n", at)
    return a, b if b >= 0 else len(text)


def unknown_row(text: str, layout: str, rng: random.Random) -> tuple[str, list[int]]:
    """A row '9.其他情形' after （三）8.属于行政查询事项, with its own values."""
    values = [rng.randint(0, 9) for _ in range(6)]
    values.append(sum(values))
    a, b = _row_line(text, "属于行政查询事项")
    if layout == "lines":  # the label's line, then one line a value
        for _ in range(7):
            b = text.index("\n", b + 1)
        return text[:b] + "\n9.其他情形\n" + "\n".join(map(str, values)) + text[b:], values
    line = text[a:b]
    label = re.search(r"8[.、．]\s*属于行政查询事项", line)
    head = line[: label.start()]
    if layout == "tab":
        head = re.sub(r"[^\t]", "", head)  # a stub printed on every row is not repeated
        new = head + "9.其他情形\t" + "\t".join(map(str, values))
    elif layout == "markdown":
        new = "| " + "|  " * (head.count("|") - 1) + "| 9.其他情形 | " + \
            " | ".join(map(str, values)) + " |"
        new = new.replace("|  | 9", "| 9") if head.count("|") == 1 else new
    else:  # spaces
        new = "9.其他情形 " + " ".join(map(str, values))
    return text[:b] + "\n" + new + text[b:], values


_MONEY_ROW = {"art20_9": "centralized_procurement", "art20_8": "administrative_fees"}


def _money(report: GeneratedReport) -> tuple[str, str, int] | None:
    """(item, row, index of the amount among the row's cells) of the report's money cell."""
    if report.template == "2019":
        return "art20_9", "政府集中采购", 1
    return "art20_8", "行政事业性收费", 0


_AMOUNT = r"[¥￥]?[\d,]+(?:\.\d+)?(?:万元|千元|亿元|元)?"


def _money_cell(text: str, layout: str, label: str, index: int) -> re.Match[str]:
    """The row's index-th cell, at the occurrence of its label that starts a table row."""
    money = re.compile(_CELL[layout].pattern.replace(r"[+-]?\d+(?:\.\d+)?", _AMOUNT), re.M)
    for at in (m.start() for m in re.finditer(label, text)):
        found = [m for m in money.finditer(text, at, at + 200)]
        line_end = text.find("\n", at)
        if layout == "lines":
            line_end = text.find("\n", line_end + 1)
        if found and found[0].start() <= line_end + 1 and len(found) > index:
            return found[index]
    raise AssertionError(f"no row {label} in the text")


def _plain(amount: Decimal) -> str:
    text = format(amount.normalize(), "f")
    return text


def money_units(text: str, layout: str, rng: random.Random, report: GeneratedReport) -> str:
    """The money cell printed in 元 (with or without thousands separators), 千元, 亿元 or ¥."""
    item, label, index = _money(report)
    m = _money_cell(text, layout, label, index)
    amount = Decimal(str(report.expected["active_disclosure"][item][_MONEY_ROW[item]]
                         ["amount_wan_yuan"]))
    style = rng.choice(("yuan", "yuan_commas", "yuan_decimals", "qian", "yi", "yen"))
    new = {
        "yuan": lambda: f"{_plain(amount * 10000)}元",
        "yuan_commas": lambda: f"{format((amount * 10000).normalize(), ',f')}元",
        "yuan_decimals": lambda: f"{amount * 10000:.2f}元",
        "qian": lambda: f"{_plain(amount * 10)}千元",
        "yi": lambda: f"{_plain(amount / 10000)}亿元",
        "yen": lambda: f"¥{_plain(amount * 10000)}",
    }[style]()
    return text[: m.start()] + new + text[m.end():]


_MONEY_HEADER = {"2019": re.compile(r"采购总金额"), "2021": re.compile(r"本年收费金额[(（]单位[:：]万元[)）]")}


def unit_in_header(text: str, layout: str, rng: random.Random, report: GeneratedReport) -> str:
    """The amount printed in 元 (or 千元) with its unit in the column header only."""
    item, label, index = _money(report)
    m = _money_cell(text, layout, label, index)
    amount = Decimal(str(report.expected["active_disclosure"][item][_MONEY_ROW[item]]
                         ["amount_wan_yuan"]))
    unit, factor = rng.choice((("元", 10000), ("千元", 10), ("万元", 1)))
    text = text[: m.start()] + _plain(amount * factor) + text[m.end():]
    header = _MONEY_HEADER[report.template]
    name = "采购总金额" if report.template == "2019" else "本年收费金额"
    return header.sub(f"{name}（单位：{unit}）", text, count=1)


# ------------------------------------------------------------------ meaning-preserving

PRESERVING = ("reorder", "unknown_row", "count_units", "money_units", "unit_in_header")


def preserved(seed: int, template: str, layout: str, changes: tuple[str, ...]
              ) -> tuple[dict[str, Any], GeneratedReport, list[int] | None]:
    """(the parse, the report as meant, the values of an added unknown row or None)."""
    rng = random.Random(f"meaning:{seed}:{template}:{layout}:{changes}")
    reorder = tuple(r for r in REORDERS if rng.random() < 0.5) or (rng.choice(REORDERS),)
    report = make_report(seed, template, reorder=reorder if "reorder" in changes else ())
    text = render(report, layout)
    extra = None
    # The new row's values are written in the template's order: not under a reordered header.
    if "unknown_row" in changes and layout != "html" and "reorder" not in changes:
        text, extra = unknown_row(text, layout, rng)
    if "count_units" in changes:
        text = count_units(text, layout, rng)
    if "money_units" in changes:
        text = money_units(text, layout, rng, report)
    elif "unit_in_header" in changes:
        text = unit_in_header(text, layout, rng, report)
    return _parse(text, layout), report, extra


def preserved_problems(out: dict[str, Any], report: GeneratedReport,
                       extra: list[int] | None) -> list[str]:
    """What is wrong with the parse of a text whose meaning an edit kept: empty when right."""
    problems: list[str] = []
    want, got = cells(report.expected), cells(out)
    # A value is the one meant, or null in a table an error declares unreadable (a header
    # whose order a text layer may have changed); never another number.
    unreadable = {d["section"] for d in out["diagnostics"] if d["code"] == "COLUMNS_UNREADABLE"}
    problems += [f"{w}: meant {want[w]!r}, got {got.get(w)!r}" for w in want
                 if not _same(got.get(w), want[w])
                 and not (got.get(w) is None and w[0] in unreadable)]
    extra_got = out["applications"].get("extra")
    if extra_got != ({"9.其他情形": extra} if extra is not None else None):
        problems.append(f"applications.extra: meant {extra!r}, got {extra_got!r}")
    for d in out["diagnostics"]:
        if d["severity"] == "error" and (d["code"] != "COLUMNS_UNREADABLE"
                                         or d.get("responsibility") != "parser"):
            problems.append(f"error on a right report: {d['code']} {d['message']}")
        elif (d["severity"] == "warning" and d.get("responsibility") == "report"
              and d["code"] != "EXTRA_ROW"):
            problems.append(f"a right report blamed: {d['code']} {d['message']}")
    return problems


# ------------------------------------------------------------------ meaning-changing


def _nonequal_pair(values: list[Any], rng: random.Random) -> tuple[int, int] | None:
    pairs = [(i, j) for i in range(len(values)) for j in range(i + 1, len(values))
             if values[i] != values[j]]
    return rng.choice(pairs) if pairs else None


def swap_cells(report: GeneratedReport, rng: random.Random) -> GeneratedReport | None:
    """Two cells of one row of 三 or one group of 四 trade places."""
    changed = copy.deepcopy(report)
    if rng.random() < 0.6:
        rows = changed.expected["applications"]["rows"]
        key = rng.choice(sorted(rows))
        pair = _nonequal_pair(rows[key], rng)
        if pair is None:
            return None
        i, j = pair
        rows[key][i], rows[key][j] = rows[key][j], rows[key][i]
    else:
        groups = changed.expected["review_litigation"]
        group = groups[rng.choice(sorted(groups))]
        names = list(group)
        pair = _nonequal_pair([group[n] for n in names], rng)
        if pair is None:
            return None
        a, b = names[pair[0]], names[pair[1]]
        group[a], group[b] = group[b], group[a]
    return changed


def shift_row(report: GeneratedReport, rng: random.Random) -> GeneratedReport | None:
    """A row of 三 printed one column to the right: a blank first, its total lost."""
    changed = copy.deepcopy(report)
    rows = changed.expected["applications"]["rows"]
    key = rng.choice([k for k, v in rows.items() if any(v)] or [None])
    if key is None:
        return None
    rows[key] = [None, *rows[key][:-1]]
    return changed


def drop_cell(text: str, layout: str, rng: random.Random) -> str:
    """One cell of 三 or 四 left out of the text, the row's later cells moving left."""
    start = _THREE.search(text).start()
    end = _FIVE.search(text, start).start()
    found = list(_table_cells(text, layout, start, end))
    m = rng.choice(found)
    a, b = m.start(), m.end()
    if layout == "tab":
        a -= 1  # the field and its tab
    elif layout == "markdown":
        a, b = a - 2, b + 1  # "| n " → the cell's bar
    elif layout == "html":
        a, b = text.rfind("<td", 0, a), b + len("</td>")
    elif layout == "lines":
        b += 1
    else:
        a -= 1
    return text[:a] + text[b:]


CHANGING = ("swap", "shift", "drop")
# The grids print a blank cell; elsewhere a blank cannot be shown, so no shift there.
SHIFT_LAYOUTS = ("tab", "markdown", "html")


def changed(seed: int, template: str, layout: str, change: str
            ) -> tuple[dict[str, Any], GeneratedReport, dict[str, Any] | None] | None:
    """(the parse, the report as meant, the values the edited text prints where they are
    known), or None where the change does not apply."""
    rng = random.Random(f"changing:{seed}:{template}:{layout}:{change}")
    report = make_report(seed, template)
    if change == "drop":
        text = drop_cell(render(report, layout), layout, rng)
        return _parse(text, layout), report, None
    if change == "shift" and layout not in SHIFT_LAYOUTS:
        return None
    edited = (swap_cells if change == "swap" else shift_row)(report, rng)
    if edited is None:
        return None
    return _parse(render(edited, layout), layout), report, edited.expected

