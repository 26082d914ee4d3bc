"""Numbers the narrative states held to the tables (NARRATIVE_MISMATCH).

Generated reports get sentences that state their table values in many wordings, some of them
with a wrong number planted, and sentences about another scope (another year, 上年, 同比, 累计,
a sub-department, 其中自然人, 人次, 条) whose numbers no cell holds.  Every planted number must
be found (recall 100%) and nothing else (no false alarm).

``python tests/test_narrative.py [REPORTS]`` prints the figures.
"""

from __future__ import annotations

import random
import re
import sys
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import pytest
from generate import LAYOUT_FORMAT, _self_name, make_report, render

from govreport_lark import parse_bytes, report_to_dict
from govreport_lark.fit.narrative import mismatch_message
from govreport_lark.grammar.cells import cn_number
from govreport_lark.output.compare import compare
from govreport_lark.pipeline import parse_file, parse_text

ROOT = Path(__file__).resolve().parent.parent
CODE = "NARRATIVE_MISMATCH"
LAYOUTS = ("tab", "markdown", "lines", "html", "spaces", "wrapped", "traditional")
# Layouts that print a paragraph on one line of its own: the finding's line is checked.
ONE_LINE = ("tab", "markdown", "lines")

_CN = "零一二三四五六七八九"


def cn(n: int) -> str:
    """A whole number below 10 000 in Chinese numerals: 10 十, 15 十五, 105 一百零五, 1050 一千零五十."""
    if n < 10:
        return _CN[n]
    if n < 20:
        return "十" + (_CN[n - 10] if n > 10 else "")
    out, zero = "", False
    for value, unit in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        digit = n // value % 10
        if digit:
            out += ("零" if zero and out else "") + _CN[digit] + unit
            zero = False
        else:
            zero = bool(out)
    return out


# Where each stated quantity stands in the tables, as the finding names it: (row, column).
CELL = {
    "received": ("new_received", "total"), "carried_over": ("carried_over", "total"),
    "handled": ("total", "total"), "processed": ("total", "total"),
    "granted": ("granted", "total"), "partial": ("partially_granted", "total"),
    "denied": ("denied.*", "total"), "unable": ("unable.*", "total"),
    "not_processed": ("not_processed.*", "total"), "carried_forward": ("carried_forward", "total"),
    "review": ("review", "total"), "litigation": ("litigation_direct+litigation_after_review", "total"),
    "rules_issued": ("rules", "issued"), "normative_issued": ("normative_documents", "issued"),
    "normative_repealed": ("normative_documents", "repealed"),
    "normative_in_force": ("normative_documents", "in_force"),
    "rules_in_force": ("rules", "in_force"),
    "rules_made": ("rules", "new_made"), "normative_made": ("normative_documents", "new_made"),
    "license": ("administrative_license", "decisions"),
    "penalty": ("administrative_penalty", "decisions"),
    "coercion": ("administrative_coercion", "decisions"),
    "fee": ("administrative_fees", "amount_wan_yuan"),
}
for _group, _row in (("review", "review"), ("litigation", "litigation_direct+litigation_after_review")):
    for _field in ("maintained", "corrected", "other", "pending"):
        CELL[f"{_group}.{_field}"] = (_row, _field)


def facts(report) -> dict[str, list[int | Decimal]]:
    """Each quantity's readings: the values a right sentence may state (the first is the
    one this generator states)."""
    exp = report.expected
    rows = exp["applications"]["rows"]

    def total(*prefixes: str) -> int:
        return sum(r[6] for k, r in rows.items() if any(k == p or k.startswith(p + ".")
                                                         for p in prefixes))

    new, over, done = rows["new_received"][6], rows["carried_over"][6], rows["total"][6]
    out: dict[str, list[int | Decimal]] = {
        "received": [new, new + over], "carried_over": [over], "handled": [done],
        "processed": [done, new, new + over], "granted": [total("granted")],
        "partial": [total("partially_granted")], "denied": [total("denied")],
        "unable": [total("unable")], "not_processed": [total("not_processed")],
        "other": [total("other")], "carried_forward": [rows["carried_forward"][6]],
    }
    CELL["other"] = ("other", "total") if report.template == "2019" else ("other.*", "total")
    review = exp["review_litigation"]
    for field_ in ("total", "maintained", "corrected", "other", "pending"):
        key = "" if field_ == "total" else "." + field_
        out["review" + key] = [review["review"][field_]]
        out["litigation" + key] = [review["litigation_direct"][field_]
                                   + review["litigation_after_review"][field_]]
    active = exp["active_disclosure"]
    art1 = active["art20_1"]
    if report.template == "2021":
        out |= {"rules_issued": [art1["rules"]["issued"]],
                "normative_issued": [art1["normative_documents"]["issued"]],
                "normative_repealed": [art1["normative_documents"]["repealed"]],
                "normative_in_force": [art1["normative_documents"]["in_force"]],
                "rules_in_force": [art1["rules"]["in_force"]],
                "fee": [Decimal(report.printed[("art20_8", "administrative_fees",
                                                "amount_wan_yuan")])]}
    else:
        out |= {"rules_made": [art1["rules"]["new_made"]],
                "normative_made": [art1["normative_documents"]["new_made"]]}
    out |= {"license": [active["art20_5"]["administrative_license"]["decisions"]],
            "penalty": [active["art20_6"]["administrative_penalty"]["decisions"]],
            "coercion": [active["art20_6"]["administrative_coercion"]["decisions"]]}
    return out


@dataclass
class Claim:
    key: str
    printed: str  # the amount as the finding quotes it ("57件", "五十七件", "12.5万元")
    wrong: bool
    clause: str = ""  # the clause as written, to find its line


@dataclass
class Writer:
    """Writes sentences that state the report's numbers, each wrong with ``wrong_share``."""

    facts: dict[str, list[int | Decimal]]
    rng: random.Random
    wrong_share: float
    claims: list[Claim] = field(default_factory=list)

    def _value(self, key: str) -> tuple[int | Decimal, bool]:
        readings = self.facts[key]
        if self.rng.random() >= self.wrong_share:
            return readings[0], False
        while True:
            if isinstance(readings[0], Decimal):
                step = Decimal(1).scaleb(readings[0].as_tuple().exponent)
                wrong = readings[0] + step * self.rng.choice((-3, -1, 1, 2, 7))
            else:
                wrong = readings[0] + self.rng.choice((-3, -2, -1, 1, 2, 5, 11))
            if wrong >= 0 and wrong not in readings:
                return wrong, True

    def n(self, key: str, style: str = "digits") -> str:
        """The amount of ``key`` with its unit, in ``style``: digits, cn, spaced, comma."""
        value, wrong = self._value(key)
        if style == "cn" and isinstance(value, int) and value < 10_000:
            text = cn(value) + "件"
        elif style == "spaced":
            text = f"{value} 件"
        elif style == "comma":
            text = f"{value:,}件"
        else:
            text = f"{value}件"
        self.claims.append(Claim(key, text.replace(" ", ""), wrong))
        return text

    def money(self, key: str, unit: str) -> str:
        value, wrong = self._value(key)
        assert isinstance(value, Decimal)
        text = f"{value}万元" if unit == "万元" else f"{value * 10000:f}元"
        self.claims.append(Claim(key, text, wrong))
        return text


# Sentences stating table values: (name, template or None for both, writer).
WORDINGS = [
    ("received", None, lambda w, y, me: f"{y}年，{me}共收到政府信息公开申请{w.n('received')}。"),
    ("received_cn", None, lambda w, y, me:
     f"本年度新收政府信息公开申请{w.n('received', 'cn')}，上年结转{w.n('carried_over', 'cn')}。"),
    ("received_with_carried", None, lambda w, y, me:
     f"全年共受理依申请公开申请{w.n('received')}（含上年结转{w.n('carried_over')}），"
     f"办结{w.n('handled')}。"),
    ("outcomes", None, lambda w, y, me:
     f"共办结政府信息公开申请{w.n('handled')}，其中予以公开{w.n('granted')}，部分公开{w.n('partial')}，"
     f"不予公开{w.n('denied')}，无法提供{w.n('unable')}，不予处理{w.n('not_processed')}，"
     f"其他处理{w.n('other')}。"),
    ("outcomes_semicolons", None, lambda w, y, me:
     f"依法予以公开{w.n('granted', 'spaced')}；予以部分公开{w.n('partial')}；"
     f"不予公开的{w.n('denied', 'cn')}；无法提供{w.n('unable', 'cn')}。"),
    ("carried_forward", None, lambda w, y, me: f"结转下年度继续办理{w.n('carried_forward')}。"),
    ("carried_forward_first", None, lambda w, y, me:
     f"另外，{w.n('carried_forward')}结转下年度继续办理。"),
    ("review_litigation", None, lambda w, y, me:
     f"因政府信息公开工作被申请行政复议{w.n('review')}，其中结果维持{w.n('review.maintained')}，"
     f"结果纠正{w.n('review.corrected')}，其他结果{w.n('review.other')}，尚未审结"
     f"{w.n('review.pending')}；被提起行政诉讼{w.n('litigation')}，其中结果维持"
     f"{w.n('litigation.maintained')}，结果纠正{w.n('litigation.corrected')}，其他结果"
     f"{w.n('litigation.other')}，尚未审结{w.n('litigation.pending')}。"),
    ("review_cases_cn", None, lambda w, y, me:
     f"{y}年，行政复议案件{w.n('review', 'cn')}，行政诉讼案件{w.n('litigation', 'cn')}。"),
    ("review_result_inline", None, lambda w, y, me:
     f"政府信息公开行政复议结果维持{w.n('review.maintained')}、结果纠正"
     f"{w.n('review.corrected')}。"),
    ("documents_2021", "2021", lambda w, y, me:
     f"本年度制发规章{w.n('rules_issued')}、行政规范性文件{w.n('normative_issued')}，废止"
     f"规范性文件{w.n('normative_repealed')}；现行有效规范性文件{w.n('normative_in_force')}。"),
    ("in_force_2021", "2021", lambda w, y, me: f"截至{y}年底，现行有效规章{w.n('rules_in_force', 'cn')}。"),
    ("documents_2019", "2019", lambda w, y, me:
     f"本年新制作规章{w.n('rules_made')}、规范性文件{w.n('normative_made')}。"),
    ("decisions", None, lambda w, y, me:
     f"全年作出行政许可决定{w.n('license', 'comma')}，行政处罚决定{w.n('penalty')}，"
     f"行政强制决定{w.n('coercion')}。"),
    ("fee_wan", "2021", lambda w, y, me: f"本年度行政事业性收费金额{w.money('fee', '万元')}。"),
    ("fee_yuan", "2021", lambda w, y, me: f"{me}收取行政事业性收费{w.money('fee', '元')}。"),
    ("answered_total", None, lambda w, y, me: f"合计答复政府信息公开申请{w.n('handled')}。"),
    ("processed_total", None, lambda w, y, me: f"总计办理政府信息公开申请{w.n('processed', 'comma')}。"),
    ("received_then_parts", None, lambda w, y, me:
     f"{me}共收到政府信息公开申请{w.n('received')}。其中{w.n('granted')}予以公开，"
     f"{w.n('partial')}部分公开。"),
    ("received_year_on_year", None, lambda w, y, me:
     f"全年收到政府信息公开申请{w.n('received')}，同比增长12.5%。"),
    ("carried_over_self", None, lambda w, y, me: f"{me}上年结转政府信息公开申请{w.n('carried_over')}。"),
]
# Wordings put before the tables of 三 and 四 (numbers glued to the text, as the pages print).
BEFORE_TABLES = {"三": ("received", "carried_over_self"), "四": ("review_cases_cn",)}

# Sentences about something no cell holds, with numbers that agree with nothing.
DISTRACTORS = [
    lambda y, me, x: f"{y - 1}年共收到政府信息公开申请{x}件，予以公开{x + 1}件。",
    lambda y, me, x: f"与上年相比，收到申请数量增加{x}件。",
    lambda y, me, x: f"上年度，{me}共收到政府信息公开申请{x}件，其中予以公开{x + 2}件。",
    lambda y, me, x: f"累计收到政府信息公开申请{x}件。",
    lambda y, me, x: f"区政府办公室共收到政府信息公开申请{x}件，其中予以公开{x + 1}件。",
    lambda y, me, x: f"其中自然人申请{x}件，法人或其他组织申请{x + 3}件。",
    lambda y, me, x: f"全年主动公开政府信息{x}条，接待群众咨询{x + 4}人次。",
    lambda y, me, x: f"收到申请数量同比增长{x}%，增加{x + 1}件。",
    lambda y, me, x: f"{y - 2}年至{y}年累计办结{x}件。",
    lambda y, me, x: f"实际收取信息处理费{x}元。",
    lambda y, me, x: f"被申请行政复议、提起行政诉讼共{x}件。",
    lambda y, me, x: f"约{x}件予以公开。",
    lambda y, me, x: f"清理规范性文件{x}件，其中废止{x + 1}件。",
    lambda y, me, x: f"区政府办代表区政府受理政府信息公开申请{x}件，均已在法定期限内予以答复。",
    lambda y, me, x: f"主动公开规范性文件{x}件，其中规章{x + 1}件。",
    lambda y, me, x: f"全市共制发规范性文件{x + 5}件。",
    lambda y, me, x: f"较上年同期，共收到政府信息公开申请{x + 7}件。",
    lambda y, me, x: f"{me}所属事业单位收到政府信息公开申请{x + 9}件，办结{x + 8}件。",
    lambda y, me, x: f"近三年来共办结政府信息公开申请{x + 6}件。",
    lambda y, me, x: "受理政府信息公开申请100余件。",
    # Counts that name no 政府信息公开, outside sections 三 and 四.
    lambda y, me, x: f"政务服务大厅全年共受理申请{x}件，办结{x + 1}件。",
    lambda y, me, x: f"全年共受理申请{x}件，办结{x + 1}件，群众满意率100%。",
    lambda y, me, x: f"{me}全年被申请行政复议{x}件，被提起行政诉讼{x + 1}件，均已依法应诉。",
]


@dataclass
class Planted:
    text: str
    layout: str
    claims: list[Claim]


def plant(seed: int, template: str, layout: str, wrong_share: float = 0.3) -> Planted:
    """A generated report with our sentences in sections 一, 三 and 四."""
    report = make_report(seed, template)
    rng = random.Random(f"narrative:{seed}:{template}:{layout}")
    writer = Writer(facts(report), rng, wrong_share)
    me = _self_name(report.agency)
    year = report.year
    names = [n for n, tpl, _ in WORDINGS if tpl in (None, template)]
    chosen = rng.sample(names, k=min(len(names), rng.randint(6, 12)))
    table_sections = {k: [n for n in v if n in chosen] for k, v in BEFORE_TABLES.items()}
    placed = {n for v in table_sections.values() for n in v}
    by_name = {n: fn for n, _, fn in WORDINGS}

    def write(name: str) -> str:
        before = len(writer.claims)
        text = by_name[name](writer, year, me)
        for claim in writer.claims[before:]:
            at = text.index(claim_text(claim, text))
            claim.clause = text[max(0, at - 12) : at + len(claim_text(claim, text))]
        return text

    body = [write(n) for n in chosen if n not in placed]
    for make in rng.sample(DISTRACTORS, k=rng.randint(3, 8)):
        body.insert(rng.randint(0, len(body)), make(year, me, rng.randint(3, 400)))
    paragraphs = []
    while body:
        take = rng.randint(1, 3)
        paragraphs.append(("para", "".join(body[:take])))
        body = body[take:]
    report.narrative["一"] = report.narrative["一"] + paragraphs
    for key, names_here in table_sections.items():
        if names_here:
            report.narrative[key] = [("para", "".join(write(n) for n in names_here))]
    return Planted(render(report, layout, seed=seed), layout, writer.claims)


def claim_text(claim: Claim, text: str) -> str:
    """The claim's amount as written in ``text`` (spaces as printed)."""
    for form in (claim.printed, claim.printed.replace("件", " 件")):
        if form in text:
            return form
    raise AssertionError(f"{claim.printed} not in {text}")


@dataclass
class Tally:
    reports: int = 0
    planted: int = 0
    parser_placed: int = 0  # planted on a cell the parser placed by its own choice: not held
    found: int = 0
    agreeing: int = 0
    false_alarms: list[str] = field(default_factory=list)
    missed: list[str] = field(default_factory=list)
    wrong_lines: list[str] = field(default_factory=list)

    def line(self) -> str:
        recall = self.found / self.planted if self.planted else 1.0
        return (f"{self.reports} reports: {self.planted} planted disagreements, {self.found} found "
                f"(recall {recall:.1%}; {self.parser_placed} more on cells the parser placed, "
                f"rightly not held against the report); {self.agreeing} agreeing statements, "
                f"{len(self.false_alarms)} false alarms")


def _key_of(finding: dict) -> tuple[str, str, str]:
    printed = re.search(r"states (\S+) ", finding["message"]).group(1)  # type: ignore[union-attr]
    return finding["row"], finding["column"], printed


def _placed_by_parser(out: dict, row: str) -> bool:
    """Whether a diagnostic says the parser placed the values of ``row`` (a finding's row:
    "denied.*", "litigation_direct+litigation_after_review") by its own choice."""
    section = "四" if row.startswith(("review", "litigation")) else (
        "三" if row in CELL_ROWS_3 or row.endswith(".*") or "+" in row else "二")
    rows = {k for part in row.split("+") for k in (
        [r for r in out["applications"]["rows"] if r.startswith(part[:-1])]
        if part.endswith(".*") else [part])}
    return any(d.get("responsibility") == "parser" and d["section"] == section
               and d.get("row") in (rows | {None}) for d in out["diagnostics"])


CELL_ROWS_3 = {"new_received", "carried_over", "total", "granted", "partially_granted",
               "carried_forward", "other"}


def measure(planted: Planted, tally: Tally, report=None) -> None:
    fmt = LAYOUT_FORMAT[planted.layout]
    out = report_to_dict(parse_bytes(planted.text.encode("utf-8"), path=f"generated.{fmt}"))
    tally.reports += 1
    findings = [d for d in out["diagnostics"] if d["code"] == CODE]
    held = [c for c in planted.claims if not (c.wrong and _placed_by_parser(out, CELL[c.key][0]))]
    tally.parser_placed += len(planted.claims) - len(held)
    want = Counter((*CELL[c.key], c.printed) for c in held if c.wrong)
    got = Counter(_key_of(d) for d in findings)
    tally.planted += sum(want.values())
    tally.found += sum((want & got).values())
    tally.agreeing += sum(1 for c in planted.claims if not c.wrong)
    tally.missed += [f"{planted.layout} {k}" for k in (want - got).elements()]
    tally.false_alarms += [f"{planted.layout} {d['message']}" for d in findings
                           if _key_of(d) in (got - want)]
    if planted.layout in ONE_LINE:
        lines = planted.text.splitlines()
        for d in findings:
            claims = [c for c in planted.claims if c.wrong and (*CELL[c.key], c.printed) == _key_of(d)]
            at = {i + 1 for c in claims for i, line in enumerate(lines) if c.clause in line}
            if claims and d["line"] not in at:
                tally.wrong_lines.append(f"{planted.layout} line {d['line']} not in {at}: {d['message']}")


def run(count: int) -> Tally:
    tally = Tally()
    for i in range(count):
        template = ("2019", "2021")[i % 2]
        layout = LAYOUTS[i // 2 % len(LAYOUTS)]
        measure(plant(i, template, layout), tally)
    return tally


# --- tests -----------------------------------------------------------------------------------


def test_chinese_numerals_of_the_generator_read_back():
    for n in (*range(0, 130), 200, 205, 250, 1000, 1005, 1050, 1234, 9999):
        assert cn_number(cn(n)) == n, (n, cn(n))


@pytest.mark.parametrize("template", ["2019", "2021"])
@pytest.mark.parametrize("layout", LAYOUTS)
def test_planting_leaves_the_tables_exact(template, layout):
    """The sentences we add do not change what the tables read."""
    report = make_report(3, template)
    planted = plant(3, template, layout)
    fmt = LAYOUT_FORMAT[layout]
    out = report_to_dict(parse_bytes(planted.text.encode("utf-8"), path=f"generated.{fmt}"))
    assert compare(out, report.expected).differences == []


def test_every_planted_disagreement_is_found_and_nothing_else():
    tally = run(280)
    print(tally.line())
    assert tally.missed == []
    assert tally.false_alarms == []
    assert tally.wrong_lines == []
    assert tally.found == tally.planted > 200
    assert tally.agreeing > 1000


def test_agreeing_sentences_give_no_finding():
    tally = Tally()
    for i in range(40):
        measure(plant(1000 + i, ("2019", "2021")[i % 2], LAYOUTS[i % len(LAYOUTS)], 0.0), tally)
    assert tally.planted == 0 and tally.false_alarms == []


def test_the_issue_reproducer():
    """Seed 002's sentence made to say 57 while table 三 says 1."""
    text = (ROOT / "corpus/seeds/002_529dae6be8c784ed.txt").read_text(encoding="utf-8")
    changed = text.replace("2023 年全局共收到政府信息依申请公开申请 1 件。", "共收到政府信息公开申请57件。")
    assert changed != text
    [finding] = [d for d in parse_text(changed).diagnostics if d.code == CODE]
    assert finding.section == "三" and finding.row == "new_received" and finding.column == "total"
    assert finding.line == 13 and finding.responsibility == "report"
    assert finding.severity == "warning"
    assert "57件" in finding.message and "共收到政府信息公开申请57件" in finding.message
    assert "holds 1" in finding.message
    assert [d for d in parse_text(text).diagnostics if d.code == CODE] == []


def test_a_sentence_over_pdf_lines_names_the_line_of_its_number():
    """淮安市2024 (a PDF text layer): "…答" / "复 3050 件（含…" and "尚" / "未审结 37 件" broken
    over lines; two numbers changed are found on the lines they stand on."""
    text = (ROOT / "corpus/real/007.txt").read_text(encoding="utf-8")
    changed = text.replace("答\n复 3050 件", "答\n复 3051 件").replace("尚\n未审结 37", "尚\n未审结 38")
    assert changed.count("\n") == text.count("\n") and changed != text
    found = [d for d in parse_text(changed).diagnostics if d.code == CODE]
    assert [(d.line, d.section, d.row, d.column) for d in found] == [
        (29, "三", "total", "total"), (32, "四", "review", "pending")]
    assert "holds 3050" in found[0].message and "holds 37" in found[1].message
    assert "administrative reviews with result pending" in found[1].message


def test_a_cell_the_parser_placed_is_not_held_against_the_report():
    """平潭2023 prints 三's rows with their digits run together ("1000001"); the split is the
    parser's choice (DIGITS_RUN_TOGETHER), so a narrative number disagreeing with it blames
    no one."""
    text = (ROOT / "corpus/real/pingtan2023.txt").read_text(encoding="utf-8")
    changed = text.replace("不予公开5件", "不予公开6件")
    assert changed != text
    assert [d for d in parse_text(changed).diagnostics if d.code == CODE] == []


def test_the_bundled_corpus_gives_no_finding():
    paths = sorted(p for folder in ("seeds", "real") for p in (ROOT / "corpus" / folder).iterdir()
                   if p.suffix in (".txt", ".md", ".html", ".pdf"))
    assert len(paths) >= 20
    for path in paths:
        assert [d for d in parse_file(path).diagnostics if d.code == CODE] == [], path


@pytest.mark.parametrize(("sentence", "finds"), [
    ("2023年，我局共收到政府信息公开申请9件。", True),
    ("2023年，我局共收到政府信息公开申请九件。", True),
    ("本年度共收到政府信息公开申请5件，较上年增加4件。", False),  # 5 = 新收 + 上年结转
    ("2022年，我局共收到政府信息公开申请9件。", False),
    ("上年度我局共收到政府信息公开申请9件。", False),
    ("与2022年相比，共收到政府信息公开申请9件。", False),
    ("自2019年以来，共收到政府信息公开申请9件。", False),
    ("办公室代表我局受理政府信息公开申请9件。", False),
    ("我局共收到政府信息公开申请约9件。", False),
    ("我局共收到政府信息公开申请9余件。", False),
    ("我局共收到政府信息公开申请9人次。", False),
    ("被申请行政复议、提起行政诉讼共9件。", False),
    ("行政复议和行政诉讼共9件。", False),
    ("其中予以公开9件。", False),  # a part of a total no sentence before stated
    ("某某中心收到政府信息公开申请9件，其中予以公开9件。", False),
    ("共收到政府信息公开申请4件，其中予以公开9件。", True),
    ("结果维持9件。", False),  # whose results, 行政复议's or 行政诉讼's, is not said
    ("全年共受理申请9件。", False),  # which 申请 is not said
    ("全年共受理政府信息公开申请4件，办结9件。", True),
    ("全年被申请行政复议9件。", False),  # a 行政复议 not said to be about 政府信息公开
    ("因政府信息公开工作被申请行政复议9件。", True),
])
def test_scope(sentence, finds):
    """On a report whose table 三 says 新收 4, 上年结转 1, 予以公开 4 and 四 says 0."""
    text = (ROOT / "corpus/seeds/002_529dae6be8c784ed.txt").read_text(encoding="utf-8")
    text = text.replace("2023 年全局共收到政府信息依申请公开申请 1 件。", sentence)
    text = text.replace("一、本年新收政府信息公开申请数量\t\t1\t0\t0\t0\t0\t0\t1",
                        "一、本年新收政府信息公开申请数量\t\t4\t0\t0\t0\t0\t0\t4")
    text = text.replace("二、上年结转政府信息公开申请数量\t\t0\t0\t0\t0\t0\t0\t0",
                        "二、上年结转政府信息公开申请数量\t\t1\t0\t0\t0\t0\t0\t1")
    text = text.replace("(一) 予以公开\t1\t0\t0\t0\t0\t0\t1", "(一) 予以公开\t4\t0\t0\t0\t0\t0\t4")
    text = text.replace("(七) 总计\t1\t0\t0\t0\t0\t0\t1", "(七) 总计\t4\t0\t0\t0\t0\t0\t4")
    text = text.replace("四、结转下年度继续办理\t\t0\t0\t0\t0\t0\t0\t0",
                        "四、结转下年度继续办理\t\t1\t0\t0\t0\t0\t0\t1")
    report = parse_text(text)
    assert not [d for d in report.diagnostics if d.code == "SUM_MISMATCH"]
    found = [d for d in report.diagnostics if d.code == CODE]
    assert bool(found) == finds, found


def test_money_is_held_to_its_printed_precision():
    text = (ROOT / "corpus/seeds/002_529dae6be8c784ed.txt").read_text(encoding="utf-8")
    text = text.replace("行政事业性收费\t0", "行政事业性收费\t12.53")

    def finds(sentence: str) -> bool:
        changed = text.replace("2023 年全局共收到政府信息依申请公开申请 1 件。", sentence)
        return any(d.code == CODE for d in parse_text(changed).diagnostics)

    assert not finds("本年度行政事业性收费金额12.5万元。")
    assert not finds("本年度行政事业性收费金额125300元。")
    assert finds("本年度行政事业性收费金额12.6万元。")
    assert finds("本年度行政事业性收费金额12.54万元。")
    assert not finds("实际收取信息处理费380元。")  # no cell holds 信息处理费


def test_message_is_built_in_one_place():
    message = mismatch_message("共收到申请57件。", "57件", "applications received",
                               [("三", "new_received", "total", "1")])
    assert message == ("the narrative states 57件 applications received in “共收到申请57件。” but "
                       "section 三 row new_received column total holds 1")


if __name__ == "__main__":
    result = run(int(sys.argv[1]) if len(sys.argv) > 1 else 400)
    print(result.line())
    for kind, items in (("missed", result.missed), ("false alarm", result.false_alarms),
                        ("wrong line", result.wrong_lines)):
        for item in items[:20]:
            print(f"{kind}: {item}")


def test_a_sentence_states_an_amount_as_the_amount_pattern_finds():
    """``has_amount`` tests for 件, 元 (what every amount holds, worked out from the
    grammar's terminals) before the pattern: the same answer as the pattern alone."""
    from govreport_lark.grammar.narrative import _amount_chars, _amounts, has_amount
    from govreport_lark.locate.outline import Doc
    from govreport_lark.locate.prose import sentences
    from govreport_lark.normalise import normalise
    from govreport_lark.read.source import SourceText

    assert _amount_chars() is not None and {"件", "元"} <= _amount_chars()
    texts = ["收到申请12件", "收费3元", "十二件", "1.5万元", "12万", "共1,234 件", "件", "元",
             "二〇二三年", "12 个", "依申请公开0件。", "采购金额88.19万元,", ""]
    for path in sorted(ROOT.glob("corpus/*/*.txt")):
        doc = Doc(normalise(SourceText(lines=path.read_text(encoding="utf-8").splitlines(), format="txt")))
        texts += [s.text for s in sentences(doc)]
    for seed in range(6):
        for template in ("2019", "2021"):
            text = render(make_report(seed, template), "lines", seed=seed)
            texts += [s.text for s in sentences(Doc(normalise(SourceText(lines=text.splitlines(), format="txt"))))]
    stated = [t for t in texts if has_amount(t)]
    assert [has_amount(t) for t in texts] == [_amounts().search(t) is not None for t in texts]
    assert len(stated) > 40 and len(texts) - len(stated) > 300, (len(stated), len(texts))
