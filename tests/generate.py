"""Synthetic 政府信息公开工作年度报告 for the parser's tests.

`make_report` draws one report (agency, year, every table value) whose expected values obey
the template arithmetic exactly; `render` prints it in one of several real-world text layouts.
Every layout prints the same numbers, so a parser must give the same `expected` for all of them.
`break_total` makes one printed total wrong, to test that the parser reports the mismatch and
keeps the printed number.

Beyond the template's own layout, `make_report` can ask for the shapes real reports take
(issue 10): `structure` (tables in an appendix after a narrative with its own numbering, behind
captions 表一/表1, or under other heading wordings), `title_style` (two lines, a cover page,
`2025 年`, `二〇二三年度`, `…关于…的报告`, no year in the title), `blanks="anywhere"` (blank cells
in any column of 二, 三 and 四, a blank 总计, the issue's row with trailing blanks), `reorder`
(header columns printed in another order, data moved with them), `unmatched_header` (an
applicant column header no template word names), `stubs` (how a grid writes a rowspan stub)
and `pdf_habits` (in the text layouts: labels above their numbers, header rows broken over
lines and, in "spaces", a group stub cut by a page number with its tail after the values).
The defaults print exactly what the generator printed before these existed.

Pure standard library plus `opencc` (opencc-python-reimplemented) for the traditional layout.
Run `python tests/generate.py SEED TEMPLATE LAYOUT [blanks] [key=value ...]` to look at one
rendering, e.g. `python tests/generate.py 3 2021 markdown blanks=anywhere structure=appendix`.
"""

from __future__ import annotations

import copy
import html
import random
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import lru_cache
from typing import Any

__all__ = [
    "APPLICATION_COLUMNS",
    "BLANK_LAYOUTS",
    "BLANK_STYLES",
    "GRID_LAYOUTS",
    "GeneratedReport",
    "LAYOUTS",
    "LAYOUT_FORMAT",
    "REORDERS",
    "REVIEW_GROUPS",
    "REVIEW_RESULTS",
    "SECTION_HEADINGS",
    "STRUCTURES",
    "STUB_STYLES",
    "TEXT_LAYOUTS",
    "TITLE_STYLES",
    "application_row_keys",
    "arithmetic_errors",
    "break_total",
    "make_report",
    "render",
]

LAYOUTS: tuple[str, ...] = ("tab", "lines", "markdown", "spaces", "traditional", "wrapped", "html")
# Only these can show an empty cell; elsewhere a blank would silently shift the numbers.
BLANK_LAYOUTS: frozenset[str] = frozenset({"tab", "markdown", "html"})
# The source format a parser should be told for each layout.
LAYOUT_FORMAT: dict[str, str] = {
    "tab": "txt",
    "lines": "txt",
    "markdown": "md",
    "spaces": "txt",
    "traditional": "txt",
    "wrapped": "txt",
    "html": "html",
}
# Layouts whose source knows its cells (tab fields, pipe tables, <td>) and free text.
GRID_LAYOUTS: tuple[str, ...] = ("tab", "markdown", "html")
TEXT_LAYOUTS: tuple[str, ...] = ("spaces", "lines")

# Document structures: the template's own; narrative first with its own numbering and the
# tables re-numbered in an appendix (Shanghai); tables behind captions 表一/表1; the template's
# sections under other wordings.
STRUCTURES: tuple[str, ...] = ("template", "appendix", "captions", "alt_headings")
TITLE_STYLES: tuple[str, ...] = (
    "plain", "two_lines", "cover", "space_year", "cn_year", "about", "no_year",
)
# blanks=True is "columns": whole applicant columns or one 四 group left empty.
BLANK_STYLES: tuple[str, ...] = ("columns", "anywhere")
# Header orders that keep the meaning: the data cells move with their header.
REORDERS: tuple[str, ...] = ("applicants", "review_groups", "review_results", "art20_1")
# How a grid writes a rowspan stub (三、本年度办理结果, （三）不予公开 …): in its first row only,
# in every row it spans, or cut into pieces over those rows ("（三）不" / "予公开").
STUB_STYLES: tuple[str, ...] = ("first", "repeat", "spread")

SECTION_HEADINGS: tuple[str, ...] = (
    "一、总体情况",
    "二、主动公开政府信息情况",
    "三、收到和处理政府信息公开申请情况",
    "四、政府信息公开行政复议、行政诉讼情况",
    "五、存在的主要问题及改进情况",
    "六、其他需要报告的事项",
)

APPLICATION_COLUMNS: tuple[str, ...] = (
    "natural_person",
    "commercial",
    "research",
    "social_welfare",
    "legal_service",
    "other_org",
    "total",
)
_APPLICANTS = APPLICATION_COLUMNS[:6]
_ORG_INDEXES = (1, 2, 3, 4, 5)
_COLUMN_LABELS = ("自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计")

REVIEW_GROUPS: tuple[str, ...] = ("review", "litigation_direct", "litigation_after_review")
REVIEW_RESULTS: tuple[str, ...] = ("maintained", "corrected", "other", "pending", "total")
_RESULT_LABELS = ("结果维持", "结果纠正", "其他结果", "尚未审结", "总计")

_NOTE = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
_OUTCOME = "三、本年度办理结果"


# --------------------------------------------------------------------------- template rows


@dataclass(frozen=True)
class _AppRow:
    key: str
    label: str
    group: str | None = None  # the rowspan stub (（三）不予公开 …) for sub-rows
    level: int = 2  # 1: 一、二、四 (colspan 3); 2: under 三 (colspan 2); 3: sub-row of a group


_HEAD_ROWS = (
    _AppRow("new_received", "一、本年新收政府信息公开申请数量", level=1),
    _AppRow("carried_over", "二、上年结转政府信息公开申请数量", level=1),
    _AppRow("granted", "（一）予以公开"),
    _AppRow("partially_granted", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）"),
)
_DENIED = "（三）不予公开"
_UNABLE = "（四）无法提供"
_NOT_PROCESSED = "（五）不予处理"
_OTHER = "（六）其他处理"
_GROUP_ROWS = (
    _AppRow("denied.state_secret", "1.属于国家秘密", _DENIED, 3),
    _AppRow("denied.prohibited_by_law", "2.其他法律行政法规禁止公开", _DENIED, 3),
    _AppRow("denied.three_safeties_one_stability", "3.危及“三安全一稳定”", _DENIED, 3),
    _AppRow("denied.third_party_rights", "4.保护第三方合法权益", _DENIED, 3),
    _AppRow("denied.internal_affairs", "5.属于三类内部事务信息", _DENIED, 3),
    _AppRow("denied.process_info", "6.属于四类过程性信息", _DENIED, 3),
    _AppRow("denied.law_enforcement_file", "7.属于行政执法案卷", _DENIED, 3),
    _AppRow("denied.administrative_query", "8.属于行政查询事项", _DENIED, 3),
    _AppRow("unable.not_held", "1.本机关不掌握相关政府信息", _UNABLE, 3),
    _AppRow("unable.needs_creation", "2.没有现成信息需要另行制作", _UNABLE, 3),
    _AppRow("unable.unclear_after_correction", "3.补正后申请内容仍不明确", _UNABLE, 3),
    _AppRow("not_processed.petition_complaint", "1.信访举报投诉类申请", _NOT_PROCESSED, 3),
    _AppRow("not_processed.repeated", "2.重复申请", _NOT_PROCESSED, 3),
    _AppRow("not_processed.publication", "3.要求提供公开出版物", _NOT_PROCESSED, 3),
    _AppRow("not_processed.excessive", "4.无正当理由大量反复申请", _NOT_PROCESSED, 3),
    _AppRow(
        "not_processed.confirm_or_reissue", "5.要求行政机关确认或重新出具已获取信息",
        _NOT_PROCESSED, 3,
    ),
)
_OTHER_2019 = (_AppRow("other", _OTHER),)
_OTHER_2021 = (
    _AppRow(
        "other.overdue_correction",
        "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请", _OTHER, 3,
    ),
    _AppRow(
        "other.overdue_fee",
        "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请", _OTHER, 3,
    ),
    _AppRow("other.other", "3.其他", _OTHER, 3),
)
_TAIL_ROWS = (
    _AppRow("total", "（七）总计"),
    _AppRow("carried_forward", "四、结转下年度继续办理", level=1),
)


def _app_rows(template: str) -> tuple[_AppRow, ...]:
    other = _OTHER_2019 if template == "2019" else _OTHER_2021
    return _HEAD_ROWS + _GROUP_ROWS + other + _TAIL_ROWS


def application_row_keys(template: str) -> tuple[str, ...]:
    """The contract's row keys of section 三, in template order."""
    return tuple(row.key for row in _app_rows(template))


# Outcome rows: everything （七）总计 adds up.
def _outcome_keys(template: str) -> tuple[str, ...]:
    keys = application_row_keys(template)
    return keys[keys.index("granted") : keys.index("total")]


# Section 二: (item, caption, ((column key, header label), ...), ((row key, row label), ...)).
_PREV = ("prev_year_items", "上一年项目数量")
_CHANGE = ("change", "本年增/减")
_DECISIONS_2019 = ("decisions", "处理决定数量")
_DECISIONS_2021 = ("decisions", "本年处理决定数量")
_ActiveSpec = tuple[str, str, tuple[tuple[str, str], ...], tuple[tuple[str, str], ...]]
_ACTIVE: dict[str, tuple[_ActiveSpec, ...]] = {
    "2019": (
        (
            "art20_1", "第二十条第（一）项",
            (("new_made", "本年新制作数量"), ("new_published", "本年新公开数量"),
             ("total_published", "对外公开总数量")),
            (("rules", "规章"), ("normative_documents", "规范性文件")),
        ),
        (
            "art20_5", "第二十条第（五）项", (_PREV, _CHANGE, _DECISIONS_2019),
            (("administrative_license", "行政许可"), ("other_services", "其他对外管理服务事项")),
        ),
        (
            "art20_6", "第二十条第（六）项", (_PREV, _CHANGE, _DECISIONS_2019),
            (("administrative_penalty", "行政处罚"), ("administrative_coercion", "行政强制")),
        ),
        (
            "art20_8", "第二十条第（八）项", (_PREV, _CHANGE),
            (("administrative_fees", "行政事业性收费"),),
        ),
        (
            "art20_9", "第二十条第（九）项",
            (("projects", "采购项目数量"), ("amount_wan_yuan", "采购总金额")),
            (("centralized_procurement", "政府集中采购"),),
        ),
    ),
    "2021": (
        (
            "art20_1", "第二十条第（一）项",
            (("issued", "本年制发件数"), ("repealed", "本年废止件数"), ("in_force", "现行有效件数")),
            (("rules", "规章"), ("normative_documents", "行政规范性文件")),
        ),
        (
            "art20_5", "第二十条第（五）项", (_DECISIONS_2021,),
            (("administrative_license", "行政许可"),),
        ),
        (
            "art20_6", "第二十条第（六）项", (_DECISIONS_2021,),
            (("administrative_penalty", "行政处罚"), ("administrative_coercion", "行政强制")),
        ),
        (
            "art20_8", "第二十条第（八）项", (("amount_wan_yuan", "本年收费金额（单位：万元）"),),
            (("administrative_fees", "行政事业性收费"),),
        ),
    ),
}


# --------------------------------------------------------------------------- the report


@dataclass
class GeneratedReport:
    template: str  # "2019" or "2021"
    year: int
    agency: str
    expected: dict[str, Any]  # output-contract shaped; the numbers render() prints
    seed: int = 0
    title: str = ""
    published: date | None = None
    # Printed text of section 二 cells whose text is not str(value): "+12", "88.19万元", "12.30".
    printed: dict[tuple[str, str, str], str] = field(default_factory=dict)
    intro: list[str] = field(default_factory=list)
    # Section number (一 … 六) -> paragraphs as ("sub" | "para", text); 二/三/四 hold the
    # sentences printed before the tables.
    narrative: dict[str, list[tuple[str, str]]] = field(default_factory=dict)
    broken: dict[str, Any] | None = None  # set by break_total
    # The shape options of make_report; the defaults are the template's own layout.
    structure: str = "template"
    title_style: str = "plain"
    title_parts: tuple[str, ...] = ()  # the title in pieces a line may break between
    reorder: tuple[str, ...] = ()
    unmatched_header: bool = False
    stubs: str = "first"
    pdf_habits: bool = False

    @property
    def has_blanks(self) -> bool:
        rows = self.expected["applications"]["rows"].values()
        groups = self.expected["review_litigation"].values()
        active = self.expected["active_disclosure"].values()
        return (
            any(v is None for row in rows for v in row)
            or any(v is None for g in groups for v in g.values())
            or any(v is None for item in active for r in item.values() for v in r.values())
        )


_CITIES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("广州市", ("荔湾区", "越秀区", "天河区", "番禺区")),
    ("南京市", ("鼓楼区", "玄武区", "江宁区", "高淳区")),
    ("杭州市", ("西湖区", "拱墅区", "萧山区", "桐庐县")),
    ("成都市", ("武侯区", "锦江区", "青羊区", "金堂县")),
    ("郑州市", ("金水区", "二七区", "中原区", "中牟县")),
    ("淮安市", ("洪泽区", "清江浦区", "涟水县", "盱眙县")),
    ("长沙市", ("岳麓区", "开福区", "雨花区", "宁乡县")),
    ("济南市", ("历下区", "市中区", "槐荫区", "平阴县")),
    ("西安市", ("雁塔区", "碑林区", "新城区", "周至县")),
    ("合肥市", ("蜀山区", "包河区", "瑶海区", "肥西县")),
    ("昆明市", ("五华区", "盘龙区", "官渡区", "宜良县")),
    ("宁波市", ("鄞州区", "海曙区", "江北区", "象山县")),
    ("青岛市", ("崂山区", "市南区", "市北区", "黄岛区")),
    ("固原市", ("原州区", "西吉县", "隆德县", "泾源县")),
    ("天水市", ("秦州区", "麦积区", "甘谷县", "清水县")),
    ("宿迁市", ("宿城区", "宿豫区", "沭阳县", "泗洪县")),
)
_DEPARTMENTS = (
    "司法局", "财政局", "教育局", "民政局", "统计局", "审计局", "商务局", "水利局",
    "自然资源和规划局", "生态环境局", "住房和城乡建设局", "交通运输局", "农业农村局",
    "市场监督管理局", "人力资源和社会保障局", "发展和改革局", "应急管理局",
    "文化和旅游局", "退役军人事务局", "医疗保障局", "卫生健康委员会",
)


def _agency(rng: random.Random) -> str:
    city, districts = rng.choice(_CITIES)
    district = rng.choice(districts)
    dept = rng.choice(_DEPARTMENTS)
    form = rng.random()
    if form < 0.4:
        return f"{city}{district}{dept}"
    if form < 0.65:
        return f"{district}{dept}"
    if form < 0.85:
        return f"{city}{dept}"
    return f"{rng.choice((district, city))}人民政府"


# Shanghai's agencies, whose reports put the template tables in an appendix.
_SHANGHAI_DISTRICTS = (
    "浦东新区", "黄浦区", "徐汇区", "长宁区", "静安区", "普陀区", "虹口区", "杨浦区",
    "闵行区", "宝山区", "嘉定区", "金山区", "松江区", "青浦区", "奉贤区", "崇明区",
)


def _shanghai_agency(rng: random.Random) -> str:
    form = rng.random()
    if form < 0.2:
        return "上海市人民政府办公厅"
    if form < 0.45:
        return f"上海市{rng.choice(_SHANGHAI_DISTRICTS)}人民政府"
    if form < 0.75:
        return f"上海市{rng.choice(_SHANGHAI_DISTRICTS)}{rng.choice(_DEPARTMENTS)}"
    return f"上海市{rng.choice(_DEPARTMENTS)}"


def _self_name(agency: str) -> str:
    if agency.endswith("人民政府"):
        return "我" + agency[-5]  # 我区 / 我县 / 我市
    if agency.endswith("办公厅"):
        return "我厅"
    return "我委" if agency.endswith("委员会") else "我局"


_CN_DIGITS = "〇一二三四五六七八九"


def _cn_year(year: int, zero: str = "〇") -> str:
    return "".join(_CN_DIGITS[int(d)] for d in str(year)).replace("〇", zero)


def _title_parts(style: str, agency: str, year: int, rng: random.Random) -> tuple[str, ...]:
    """The title in the pieces a line may break between; spaces are printed, not expected."""
    if style in ("two_lines", "cover"):
        y = rng.choice((f"{year}年", f"{year} 年"))
        if rng.random() < 0.5:  # year first: "2025 年上海市人民政府办公厅政府信息公开" / "工作年度报告"
            return (y, agency, "政府信息公开", "工作年度报告")
        return (agency, y, "政府信息公开", "工作年度报告")
    if style == "space_year":
        return (agency, f"{year} 年", "政府信息公开工作年度报告")
    if style == "cn_year":
        y = _cn_year(year, rng.choice(("〇", "〇", "零"))) + rng.choice(("年", "年度"))
        return (agency, y, "政府信息公开工作年度报告")
    if style == "about":
        return rng.choice((
            (agency, "关于", f"{year}年度", "政府信息公开工作情况的报告"),
            (agency, "关于", f"{year}年", "政府信息公开工作年度报告"),
            (agency, "关于", f"{year}年", "政府信息公开工作年度报告的报告"),
        ))
    if style == "no_year":  # the year only in the statistics period sentence
        return (agency, "政府信息公开工作年度报告")
    return (agency, f"{year}年", "政府信息公开工作年度报告")


def make_report(
    seed: int,
    template: str,
    *,
    blanks: bool | str = False,
    zero_share: float = 0.2,
    structure: str = "template",
    title_style: str = "plain",
    reorder: tuple[str, ...] = (),
    unmatched_header: bool = False,
    stubs: str = "first",
    pdf_habits: bool = False,
) -> GeneratedReport:
    """Draw one report; the same arguments always give the same report.

    blanks: False; True or "columns" (whole applicant columns or one 四 group empty); or
    "anywhere" (zeros left empty in any cell of 二, 三 and 四, 总计 cells left empty whatever
    they hold, fully blank rows, and carried_over printed as the issue's
    `| … | 4 |  | 0 | 0 | 0 |  |  |`). The other keywords are described in the module docstring
    and the tuples STRUCTURES, TITLE_STYLES, REORDERS, STUB_STYLES.
    """
    if template not in ("2019", "2021"):
        raise ValueError(f"template must be '2019' or '2021', not {template!r}")
    if not 0.0 <= zero_share <= 1.0:
        raise ValueError("zero_share must lie in [0, 1]")
    if blanks not in (False, True, *BLANK_STYLES):
        raise ValueError(f"blanks must be a bool or one of {BLANK_STYLES}, not {blanks!r}")
    for name, value, allowed in (
        ("structure", structure, STRUCTURES),
        ("title_style", title_style, TITLE_STYLES),
        ("stubs", stubs, STUB_STYLES),
    ):
        if value not in allowed:
            raise ValueError(f"{name} must be one of {allowed}, not {value!r}")
    reorder = tuple(reorder)
    if not set(reorder) <= set(REORDERS):
        raise ValueError(f"reorder takes names from {REORDERS}, not {reorder!r}")
    # True and "columns" are one mode; the seed string stays the one existing reports use.
    blank_mode = "columns" if blanks in (True, "columns") else (blanks or None)
    blank_key = {None: False, "columns": True}.get(blank_mode, blank_mode)
    rng = random.Random(f"report:{seed}:{template}:{blank_key}:{zero_share}")
    # Shape choices draw from their own stream, so the values never depend on them.
    shape_rng = random.Random(f"shape:{seed}:{template}:{structure}:{title_style}")
    year = rng.randint(2019, 2020) if template == "2019" else rng.randint(2021, 2025)
    agency = _agency(rng)
    if structure == "appendix":
        agency = _shanghai_agency(shape_rng)
    published = date(year + 1, rng.choice((1, 1, 1, 2, 3)), rng.randint(5, 28))
    title_parts = _title_parts(title_style, agency, year, shape_rng)
    title = "".join(title_parts).replace(" ", "")

    def cell(high: int) -> int:
        return 0 if rng.random() < zero_share else rng.randint(1, high)

    printed: dict[tuple[str, str, str], str] = {}
    active = _make_active(template, rng, cell, printed, zero_share)

    # Blank columns are real zeros that the page left empty, so every relation still holds
    # when a blank is read as 0 and no other value depends on a guess.
    blank_cols: set[int] = set()
    blank_group: str | None = None
    if blank_mode == "columns":
        if rng.random() < 0.5:
            blank_cols = set(_ORG_INDEXES)
        else:
            blank_cols = set(rng.sample(_ORG_INDEXES, rng.randint(1, 4)))
        if rng.random() < 0.35:
            blank_group = rng.choice(REVIEW_GROUPS)
    applications = _make_applications(template, rng, cell, blank_cols)
    review = _make_review(cell, blank_group)
    blank_rng = random.Random(f"blanks:{seed}:{template}:{zero_share}")
    plan: _BlankPlan | None = None
    if blank_mode == "anywhere":
        plan = _anywhere_values(template, active, applications["rows"], review, printed,
                                blank_rng)

    expected: dict[str, Any] = {
        "title": title,
        "agency": agency,
        "year": year,
        "template": template,
        "published": published.isoformat(),
        "active_disclosure": active,
        "applications": applications,
        "review_litigation": review,
    }
    report = GeneratedReport(
        template=template,
        year=year,
        agency=agency,
        expected=expected,
        seed=seed,
        title=title,
        published=published,
        printed=printed,
        structure=structure,
        title_style=title_style,
        title_parts=title_parts,
        reorder=reorder,
        unmatched_header=unmatched_header,
        stubs=stubs,
        pdf_habits=pdf_habits,
    )
    # The narrative quotes true totals, so it is written before any cell is left blank.
    report.intro, report.narrative = _make_narrative(report, rng)
    if plan is not None:
        _anywhere_blanks(report, plan, blank_rng)
    if title_style == "no_year":
        report.intro = [
            f"本报告根据《中华人民共和国政府信息公开条例》要求编制，由{agency}发布。本报告中所列"
            f"数据的统计期限自{year}年1月1日起至12月31日止。如对本报告有任何疑问，请与{agency}"
            "办公室联系。"
        ]
    return report


def _signed(rng: random.Random, prev: int, zero_share: float) -> int:
    if rng.random() < zero_share:
        return 0
    low = -min(prev, 9)
    choices = [v for v in range(low, 16) if v != 0]
    return rng.choice(choices)


def _make_active(
    template: str,
    rng: random.Random,
    cell: Callable[[int], int],
    printed: dict[tuple[str, str, str], str],
    zero_share: float,
) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if template == "2019":
        art1: dict[str, Any] = {}
        for row in ("rules", "normative_documents"):
            made = cell(6)
            published = min(made, cell(6)) if made else cell(3)
            art1[row] = {
                "new_made": made,
                "new_published": published,
                "total_published": published + cell(60),
            }
        out["art20_1"] = art1
        for item, rows in (
            ("art20_5", ("administrative_license", "other_services")),
            ("art20_6", ("administrative_penalty", "administrative_coercion")),
            ("art20_8", ("administrative_fees",)),
        ):
            block: dict[str, Any] = {}
            for row in rows:
                prev = cell(80)
                change = _signed(rng, prev, zero_share)
                values = {"prev_year_items": prev, "change": change}
                if change > 0 and rng.random() < 0.3:
                    printed[(item, row, "change")] = f"+{change}"  # seen as "+1036" (S20)
                if item != "art20_8":
                    values["decisions"] = cell(rng.choice((60, 900, 6000)))
                block[row] = values
            out[item] = block
        projects = cell(40)
        raw, wan = _procurement_amount(rng, zero_share)
        printed[("art20_9", "centralized_procurement", "amount_wan_yuan")] = raw
        out["art20_9"] = {
            "centralized_procurement": {
                "projects": projects,
                "amount_wan_yuan": wan,
                "amount_raw": raw,
            }
        }
        return out
    art1 = {}
    for row in ("rules", "normative_documents"):
        issued = cell(8)
        art1[row] = {"issued": issued, "repealed": cell(5), "in_force": issued + cell(60)}
    out["art20_1"] = art1
    out["art20_5"] = {"administrative_license": {"decisions": cell(rng.choice((90, 2000, 600000)))}}
    out["art20_6"] = {
        "administrative_penalty": {"decisions": cell(rng.choice((40, 900, 9000)))},
        "administrative_coercion": {"decisions": cell(rng.choice((10, 300)))},
    }
    if rng.random() < zero_share:
        text = "0"
    else:
        digits = rng.choice((1, 2, 2, 2, 3, 4))
        text = f"{rng.randint(0, 9999)}.{rng.randint(0, 10**digits - 1):0{digits}d}"
    printed[("art20_8", "administrative_fees", "amount_wan_yuan")] = text
    out["art20_8"] = {"administrative_fees": {"amount_wan_yuan": float(Decimal(text))}}
    return out


def _procurement_amount(rng: random.Random, zero_share: float) -> tuple[str, float]:
    """The 采购总金额 cell as printed, and its value in 万元."""
    if rng.random() < zero_share:
        return "0", 0.0
    style = rng.choice(("yuan_cents", "yuan_cents", "yuan", "wan"))
    if style == "wan":
        raw = f"{rng.randint(1, 9999)}.{rng.randint(0, 99):02d}"
        return f"{raw}万元", float(Decimal(raw))
    yuan = rng.randint(2000, 9_999_999)
    raw = f"{yuan}.{rng.choice((0, 0, rng.randint(1, 99))):02d}" if style == "yuan_cents" else str(yuan)
    return f"{raw}元", float(Decimal(raw) / Decimal(10000))


def _make_applications(
    template: str, rng: random.Random, cell: Callable[[int], int], blank_cols: set[int]
) -> dict[str, Any]:
    keys = application_row_keys(template)
    outcome = _outcome_keys(template)
    scale = rng.choice((1, 2, 5, 20))
    values: dict[str, list[int]] = {}
    for key in outcome:
        high = 8 if key != "granted" else 30
        values[key] = [
            0 if col in blank_cols else cell(high * scale if col == 0 else max(2, high // 2))
            for col in range(6)
        ]
    total = [sum(values[key][col] for key in outcome) for col in range(6)]
    over: list[int] = []
    forward: list[int] = []
    new: list[int] = []
    for col in range(6):
        if col in blank_cols:
            over.append(0)
            forward.append(0)
            new.append(0)
            continue
        fwd = cell(4 * scale if col == 0 else 3)
        carried = min(cell(4 * scale if col == 0 else 3), total[col] + fwd)
        forward.append(fwd)
        over.append(carried)
        new.append(total[col] + fwd - carried)  # 一 + 二 = （七）总计 + 四
    values["new_received"] = new
    values["carried_over"] = over
    values["total"] = total
    values["carried_forward"] = forward

    rows: dict[str, list[int | None]] = {}
    for key in keys:
        six = values[key]
        row: list[int | None] = [None if col in blank_cols else six[col] for col in range(6)]
        row.append(sum(six))
        rows[key] = row
    return {"columns": list(APPLICATION_COLUMNS), "rows": rows}


def _make_review(cell: Callable[[int], int], blank_group: str | None) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for group in REVIEW_GROUPS:
        if group == blank_group:
            out[group] = dict.fromkeys(REVIEW_RESULTS)
            continue
        four = [cell(9) for _ in range(4)]
        out[group] = dict(zip(REVIEW_RESULTS, [*four, sum(four)], strict=True))
    return out


@dataclass
class _BlankPlan:
    """Cells blanks="anywhere" must print blank or as 0, chosen while the values are drawn."""

    blank_rows: list[str]  # 三 rows printed with all seven cells empty
    active_blank: tuple[str, str, str]  # a 二 cell left empty ...
    active_zero: tuple[str, str, str]  # ... and one that prints 0
    review_blank: tuple[str, str]  # the same in 四
    review_zero: tuple[str, str]
    review_blank_group: str | None  # a 四 group left empty throughout


def _anywhere_values(
    template: str,
    active: dict[str, Any],
    rows: dict[str, list[int | None]],
    review: dict[str, Any],
    printed: dict[tuple[str, str, str], str],
    rng: random.Random,
) -> _BlankPlan:
    """Adjust the drawn values (keeping every relation) so blanks can sit where the plan says."""
    # 三: one or two outcome rows become all zero (their counts move to （一）予以公开, so no
    # total changes) and are printed blank throughout.
    outcome = list(_outcome_keys(template))
    blank_rows = rng.sample([k for k in outcome if k != "granted"], rng.randint(1, 2))
    for key in blank_rows:
        for col in range(6):
            rows["granted"][col] += rows[key][col]
            rows[key][col] = 0
    # carried_over as in the issue: 自然人 non-zero, the org columns zero. Each moved count
    # goes to 一 in its column, and a 1 added to 二 goes to 四 too, so 一+二 = （七）+四 holds.
    new, over, fwd = rows["new_received"], rows["carried_over"], rows["carried_forward"]
    for col in range(1, 6):
        new[col] += over[col]
        over[col] = 0
    if not over[0]:
        over[0] += 1
        fwd[0] += 1
    for row in rows.values():
        row[6] = sum(row[:6])

    # 二: one count cell left blank and another printed as 0; no relation ties them.
    counts = [
        (item, row, col)
        for item, item_rows in active.items()
        for row, values in item_rows.items()
        for col, value in values.items()
        if isinstance(value, int) and col != "amount_raw"
    ]
    active_blank, active_zero = rng.sample(counts, 2)
    for item, row, col in (active_blank, active_zero):
        active[item][row][col] = 0
        printed.pop((item, row, col), None)  # "+12" no longer applies

    # 四: the same, with each group's 总计 kept equal to its four results.
    cells = [(g, r) for g in REVIEW_GROUPS for r in REVIEW_RESULTS[:4]]
    review_blank, review_zero = rng.sample(cells, 2)
    for group, result in (review_blank, review_zero):
        review[group][result] = 0
    groups = [g for g in REVIEW_GROUPS if g != review_zero[0]]
    blank_group = rng.choice(groups) if rng.random() < 0.3 else None
    if blank_group is not None:
        review[blank_group] = dict.fromkeys(REVIEW_RESULTS, 0)
    for group in REVIEW_GROUPS:
        review[group]["total"] = sum(review[group][r] for r in REVIEW_RESULTS[:4])
    return _BlankPlan(blank_rows, active_blank, active_zero, review_blank, review_zero,
                      blank_group)


def _anywhere_blanks(report: GeneratedReport, plan: _BlankPlan, rng: random.Random) -> None:
    """Print blank where the plan says, and leave other zeros empty at random."""
    exp = report.expected
    outcome = set(_outcome_keys(report.template))
    rows = exp["applications"]["rows"]
    for key, row in rows.items():
        if key in plan.blank_rows:
            rows[key] = [None] * 7
        elif key == "carried_over":
            # | 二、上年结转… |  |  | 4 |  | 0 | 0 | 0 |  |  |: label over the stub, trailing blanks.
            rows[key] = [row[0], None, 0, 0, 0, None, None]
        else:
            six: list[int | None] = [None if v == 0 and rng.random() < 0.5 else v for v in row[:6]]
            total = row[6]
            # S10 leaves 总计 blank on the outcome rows whatever they hold.
            if (key in outcome and rng.random() < 0.2) or (
                all(v is None for v in six) and rng.random() < 0.5
            ):
                total = None
            rows[key] = [*six, total]

    active = exp["active_disclosure"]
    for item, item_rows in active.items():
        for row_key, values in item_rows.items():
            for col, value in values.items():
                where = (item, row_key, col)
                if where == plan.active_blank or (
                    value == 0 and isinstance(value, int) and col != "amount_raw"
                    and where != plan.active_zero and rng.random() < 0.5
                ):
                    values[col] = None

    review = exp["review_litigation"]
    for group, values in review.items():
        if group == plan.review_blank_group:
            review[group] = dict.fromkeys(REVIEW_RESULTS)
            continue
        for result in REVIEW_RESULTS[:4]:
            where = (group, result)
            if where == plan.review_blank or (
                values[result] == 0 and where != plan.review_zero and rng.random() < 0.5
            ):
                values[result] = None
        parts = [values[r] for r in REVIEW_RESULTS[:4]]
        if (all(v is None for v in parts) and rng.random() < 0.5) or rng.random() < 0.1:
            values["total"] = None


# --------------------------------------------------------------------------- narrative


def _make_narrative(
    report: GeneratedReport, rng: random.Random
) -> tuple[list[str], dict[str, list[tuple[str, str]]]]:
    year, agency, me = report.year, report.agency, _self_name(report.agency)
    rows = report.expected["applications"]["rows"]
    received = rows["new_received"][6]
    carried = rows["carried_over"][6]
    fmt = "（试行）" if report.template == "2019" else ""
    phone = f"0{rng.randint(10, 999)}-{rng.randint(20000000, 89999999)}"
    intro_pool = [
        f"本报告根据《中华人民共和国政府信息公开条例》（以下简称《条例》）和《中华人民共和国"
        f"政府信息公开工作年度报告格式{fmt}》要求编制。本报告所列数据的统计期限自{year}年1月1日"
        f"起至{year}年12月31日止。如对本报告有任何疑问，请与{agency}办公室联系（电话：{phone}）。",
        f"根据《中华人民共和国政府信息公开条例》的规定，现公布{year}年{agency}政府信息公开工作"
        "年度报告。本报告由总体情况、主动公开政府信息情况、收到和处理政府信息公开申请情况、"
        "政府信息公开行政复议、行政诉讼情况、存在的主要问题及改进情况、其他需要报告的事项"
        "六个部分组成。",
        f"依据《中华人民共和国政府信息公开条例》第五十条之规定，制作本报告。报告中所列数据"
        f"统计期限自 {year} 年 1 月 1 日起至 {year} 年 12 月 31 日止。",
    ]
    intro = [rng.choice(intro_pool)]

    posts = rng.randint(12, 1800)
    readings = rng.randint(1, 30)
    cleaned = rng.randint(3, 600)
    trainings = rng.randint(1, 12)
    applied = (
        f"{year} 年共收到政府信息公开申请 {received} 件，均在法定期限内答复。"
        if received
        else f"{year} 年{me}未收到政府信息公开申请。"
    )
    subs = [
        ("主动公开", f"{me}依托门户网站和政务新媒体，及时公开机构职能、政策文件、财政预决算等"
         f"信息。{year} 年，主动公开政府信息 {posts} 条，发布政策解读 {readings} 篇。"),
        ("依申请公开", f"{me}严格按照法定程序和时限办理政府信息公开申请，规范答复文书。{applied}"),
        ("政府信息管理", "严格落实信息发布审核制度，坚持“先审后发”，"
         f"全年清理过期失效信息 {cleaned} 条，确保公开信息准确有效。"),
        ("政府信息公开平台建设", "持续加强政府网站和政务新媒体建设，优化政府信息公开专栏，"
         "及时更新政府信息公开指南和公开目录。"),
        ("监督保障", f"将政府信息公开工作纳入年度绩效考核，全年组织业务培训 {trainings} 次，"
         "本年度未发生责任追究情况。"),
    ]
    section1: list[tuple[str, str]] = [
        ("para", f"{year}年，{me}坚持以习近平新时代中国特色社会主义思想为指导，认真贯彻落实"
         "《中华人民共和国政府信息公开条例》，坚持以公开为常态、不公开为例外，"
         "扎实推进政府信息公开工作。"),
    ]
    numbering = rng.choice(("paren", "arabic"))
    for i, (name, body) in enumerate(subs):
        mark = f"（{'一二三四五'[i]}）" if numbering == "paren" else f"{i + 1}、"
        if rng.random() < 0.5:
            section1.append(("sub", f"{mark}{name}情况"))
            section1.append(("para", body))
        else:
            section1.append(("para", f"{mark}{name}。{body}"))

    # Sentences before the tables keep their numbers glued to the text, as most web pages do,
    # so no stray number token sits between a section heading and its table.
    section2 = [("para", f"{year}年，{me}主动公开政府信息情况如下：")] if rng.random() < 0.4 else []
    section3: list[tuple[str, str]] = []
    if rng.random() < 0.4:
        section3 = [("para", f"{year}年，{me}共收到政府信息公开申请{received}件，"
                     f"上年结转{carried}件。")]
    review = report.expected["review_litigation"]
    reviews = review["review"]["total"] or 0
    suits = (review["litigation_direct"]["total"] or 0) + (
        review["litigation_after_review"]["total"] or 0
    )
    section4: list[tuple[str, str]] = []
    if rng.random() < 0.4:
        section4 = [("para", f"{year}年，{me}因政府信息公开工作被申请行政复议{reviews}件，"
                     f"被提起行政诉讼{suits}件。")]

    problems = rng.sample(
        [
            "政策解读的形式还不够丰富",
            "部分栏目信息更新不够及时",
            "依申请公开答复的规范性有待提高",
            "信息公开工作人员业务能力有待加强",
            "重点领域信息公开的深度和广度还需拓展",
        ],
        3,
    )
    plans = rng.sample(
        [
            "加强政策解读，综合运用图解、视频等形式提升解读效果",
            "健全信息发布审核机制，确保信息更新及时准确",
            "规范依申请公开办理流程，提升答复质量",
            "加强业务培训，提高工作人员的业务水平",
            "聚焦群众关切，加大重点领域信息公开力度",
        ],
        3,
    )
    section5 = [
        ("para", f"{year}年，{me}政府信息公开工作取得了一定成效，但仍存在一些不足：一是"
         f"{problems[0]}；二是{problems[1]}；三是{problems[2]}。"),
        ("para", f"下一步，{me}将采取以下措施：一是{plans[0]}；二是{plans[1]}；三是{plans[2]}。"),
    ]
    if report.template == "2021":
        fee = rng.randint(1, 9) * 100
        section6_text = rng.choice(
            [
                "本年度未收取政府信息公开信息处理费。",
                f"依据《政府信息公开信息处理费管理办法》规定，{year}年{me}未收取信息处理费。",
                f"{year} 年，{me}共发出收费通知 1 件，实际收取信息处理费 {fee} 元。",
            ]
        )
    else:
        section6_text = rng.choice(["无。", "（无）", "本年度无其他需要报告的事项。"])
    narrative = {
        "一": section1,
        "二": section2,
        "三": section3,
        "四": section4,
        "五": section5,
        "六": [("para", section6_text)],
    }
    return intro, narrative


# --------------------------------------------------------------------------- integrity


def arithmetic_errors(expected: dict[str, Any]) -> list[dict[str, Any]]:
    """Every template relation the values break; a blank (None) counts as 0.

    A blank 总计 (the total column, or a 四 group's total) may hold any number, as S10 prints
    it, so a relation that has one is unchecked. A review group that is blank throughout has
    nothing to check and is skipped.
    """
    errors: list[dict[str, Any]] = []
    rows = expected["applications"]["rows"]
    template = expected["template"]

    def v(x: int | None) -> int:
        return 0 if x is None else x

    for key, row in rows.items():
        if row[6] is not None and row[6] != sum(v(x) for x in row[:6]):
            errors.append({"table": "applications", "check": "row_sum", "row": key,
                           "column": "total"})
    outcome = _outcome_keys(template)
    for col, name in enumerate(APPLICATION_COLUMNS):
        column_sum = [rows["total"][col]] + [rows[k][col] for k in outcome]
        balance = [rows[k][col] for k in ("new_received", "carried_over", "total",
                                          "carried_forward")]
        if not (col == 6 and None in column_sum) and (
            v(rows["total"][col]) != sum(v(rows[k][col]) for k in outcome)
        ):
            errors.append({"table": "applications", "check": "column_sum", "row": "total",
                           "column": name})
        left = v(rows["new_received"][col]) + v(rows["carried_over"][col])
        right = v(rows["total"][col]) + v(rows["carried_forward"][col])
        if not (col == 6 and None in balance) and left != right:
            errors.append({"table": "applications", "check": "balance", "row": None,
                           "column": name})
    for group, g in expected["review_litigation"].items():
        if all(x is None for x in g.values()) or g["total"] is None:
            continue
        if v(g["total"]) != sum(v(g[k]) for k in REVIEW_RESULTS[:4]):
            errors.append({"table": "review_litigation", "check": "group_sum", "row": group,
                           "column": "total"})
    return errors


def break_total(report: GeneratedReport, rng_seed: int) -> tuple[GeneratedReport, dict[str, Any]]:
    """A copy with exactly one printed total changed; its expected holds the printed number."""
    rng = random.Random(f"break:{report.seed}:{report.template}:{rng_seed}")
    broken = copy.deepcopy(report)
    rows = broken.expected["applications"]["rows"]
    review = broken.expected["review_litigation"]
    kind = rng.choice(("total_row", "total_column", "review"))
    groups = [g for g in REVIEW_GROUPS if review[g]["total"] is not None]
    if kind == "review" and not groups:
        kind = "total_row"
    if kind == "total_row":
        cols = [c for c in range(7) if rows["total"][c] is not None]
        col = rng.choice(cols)
        table, row_key, column = "applications", "total", APPLICATION_COLUMNS[col]
        old = rows["total"][col]
    elif kind == "total_column":
        row_key = rng.choice(list(rows))
        table, column, col = "applications", "total", 6
        old = rows[row_key][6]
    else:
        row_key = rng.choice(groups)
        table, column = "review_litigation", "total"
        old = review[row_key]["total"]
    delta = -1 if old > 0 and rng.random() < 0.3 else rng.choice((1, 1, 1, 2, 10))
    new = old + delta
    if table == "applications":
        rows[row_key][col] = new
    else:
        review[row_key]["total"] = new
    info = {"table": table, "row": row_key, "column": column, "printed": new, "computed": old}
    broken.broken = info
    return broken, info


# --------------------------------------------------------------------------- table model


@dataclass
class _Cell:
    text: str
    kind: str = "label"  # label | header | value | caption
    rowspan: int = 1
    colspan: int = 1


@dataclass
class _Table:
    name: str  # active | applications | review
    width: int
    rows: list[list[_Cell]]
    keys: list[str | None]  # row key of each row; None for header rows


@dataclass
class _Slot:
    text: str
    kind: str
    origin: str  # cell | colspan | rowspan | pad


def _grid(table: _Table) -> list[list[_Slot]]:
    """Lay the spans out on a full grid, as a browser would."""
    grid: list[list[_Slot | None]] = [[None] * table.width for _ in table.rows]
    for r, row in enumerate(table.rows):
        c = 0
        for cell in row:
            while c < table.width and grid[r][c] is not None:
                c += 1
            for dr in range(cell.rowspan):
                for dc in range(cell.colspan):
                    if dr == 0 and dc == 0:
                        grid[r][c] = _Slot(cell.text, cell.kind, "cell")
                    else:
                        origin = "colspan" if dr == 0 else "rowspan"
                        grid[r + dr][c + dc] = _Slot("", cell.kind, origin)
            c += cell.colspan
    return [[s if s is not None else _Slot("", "pad", "pad") for s in row] for row in grid]


@dataclass
class _Style:
    """Per-rendering choices, drawn from the render seed."""

    half_width: bool  # (一) : , in labels instead of （一）：，
    space_after_number: bool  # "(一) 予以公开", "1. 属于国家秘密"
    ascii_quotes: bool  # "三安全一稳定" with ASCII quotes
    caption_half: bool  # 第二十条第(一)项
    title_spaced: bool  # "某局 2023 年政府信息公开…"
    drop_fillers: bool  # tab: drop the empty fields a colspan leaves in the stub
    md_caption: str  # markdown captions: heading | plain | row
    md_sub_heading: bool  # markdown: narrative sub-headings as ###
    html_blank: str  # how an empty <td> looks
    trad_base: str  # traditional: tab | lines
    stub_own_line: bool  # spaces: rowspan stub labels on their own line
    wrap_width: int  # spaces: characters per narrative line
    review_spacing: str  # wrapped: "all" (结 果 维 持) or "mid" (结果 维持)

    @classmethod
    def draw(cls, rng: random.Random) -> _Style:
        return cls(
            half_width=rng.random() < 0.35,
            space_after_number=rng.random() < 0.35,
            ascii_quotes=rng.random() < 0.2,
            caption_half=rng.random() < 0.3,
            title_spaced=rng.random() < 0.4,
            drop_fillers=rng.random() < 0.3,
            md_caption=rng.choice(("heading", "plain", "row")),
            md_sub_heading=rng.random() < 0.5,
            html_blank=rng.choice(("", "&nbsp;")),
            trad_base=rng.choice(("tab", "lines")),
            stub_own_line=rng.random() < 0.4,
            wrap_width=rng.randint(26, 36),
            review_spacing=rng.choice(("all", "mid")),
        )


# Headings of the template's sections as other reports word them (template.md §5.1).
_ALT_HEADINGS: tuple[tuple[str, ...], ...] = (
    ("一、总体情况", "一、基本情况", "一、概述"),
    ("二、主动公开政府信息的情况", "二、主动公开政府信息", "二、主动公开情况"),
    ("三、依申请公开政府信息情况", "三、收到和处理政府信息公开申请的情况", "三、依申请公开情况"),
    ("四、政府信息公开行政复议和行政诉讼情况",
     "四、因政府信息公开工作被申请行政复议、提起行政诉讼的情况",
     "四、政府信息公开行政复议、行政诉讼的情况"),
    ("五、政府信息公开工作存在的主要问题及改进情况", "五、存在问题及改进情况",
     "五、存在的主要问题和改进措施"),
    ("六、其他需要报告的事项", "六、其他需要报告事项"),
)
# The appendix structure: the narrative's own sections, then the tables re-numbered.
_APPENDIX_NARRATIVE: tuple[tuple[str, ...], ...] = (
    ("一、总体情况",),
    ("二、工作机制保障", "二、组织领导和制度建设", "二、工作机制建设"),
    ("三、主动公开工作情况", "三、主动公开政府信息工作情况"),
    ("四、依申请公开工作情况", "四、依申请公开办理情况"),
    ("五、政府信息管理", "五、政府信息管理和平台建设情况"),
    ("六、存在的主要问题及改进情况", "六、存在的主要问题和改进措施"),
    ("七、其他需要报告的事项",),
)
_APPENDIX_TABLES = (
    "一、主动公开政府信息情况",
    "二、收到和处理政府信息公开申请情况",
    "三、政府信息公开行政复议、行政诉讼情况",
)
_CAPTION_TITLES: dict[str, tuple[str, ...]] = {
    "二": ("主动公开政府信息情况", "主动公开政府信息情况统计表", "主动公开政府信息情况表"),
    "三": ("收到和处理政府信息公开申请情况", "收到和处理政府信息公开申请情况统计表",
          "依申请公开政府信息情况统计表"),
    "四": ("政府信息公开行政复议、行政诉讼情况", "政府信息公开行政复议、行政诉讼情况统计表",
          "行政复议、行政诉讼情况统计表"),
}
# Words no template column is named by, for a header that cannot be matched.
_UNMATCHED_WORDS = ("新闻媒体", "境外机构", "人大代表")
_CN_MONTHS = ("一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "十一", "十二")


def _nonidentity(rng: random.Random, items: list[int], ok: Callable[[list[int]], bool]) -> list[int]:
    order = list(items)
    while order == items or not ok(order):
        rng.shuffle(order)
    return order


@dataclass
class _Shape:
    """Per-rendering choices for a report's shape options.

    Drawn from a stream of its own, so the template layout's renderings never change; the
    defaults are the template's layout.
    """

    headings: tuple[str, ...] = SECTION_HEADINGS
    title_lines: tuple[str, ...] = ()  # empty: the title as the template layout prints it
    cover: tuple[str, ...] = ()  # the lines under the title on a cover page
    repeat_title: bool = False  # the cover's title printed again above the body
    captions: dict[str, tuple[str, ...]] = field(default_factory=dict)  # 二/三/四 -> lines
    caption_refs: dict[str, str] = field(default_factory=dict)  # 二/三/四 -> "表1"
    tables_after: bool = False  # captions: every table after section 六
    appendix_headings: tuple[str, ...] = ()
    appendix_mark: tuple[str, ...] = ()  # 附表 / 附件, maybe with a subtitle
    sign_before_tables: bool = False
    applicants: tuple[int, ...] = (0, 1, 2, 3, 4, 5)  # printed order of the six columns
    unmatched: tuple[int, str] | None = None  # an applicant column under a made-up word
    review_groups: tuple[str, ...] = REVIEW_GROUPS
    review_results: tuple[int, ...] = (0, 1, 2, 3)  # printed order of 维持 纠正 其他 尚未
    art20_1: tuple[int, ...] = (0, 1, 2)
    stubs: str = "first"
    stub_width: int = 4
    stub_centred: bool = True
    habits: bool = False
    header_width: int = 3
    header_centred: bool = False
    label_own_line: float = 0.0  # share of rows whose label stands on a line of its own

    @classmethod
    def draw(cls, report: GeneratedReport, rng: random.Random) -> _Shape:
        shape = cls()
        if report.title_style != "plain":
            parts = report.title_parts
            lines = ["".join(parts)]
            if report.title_style == "two_lines" or (
                report.title_style == "cover" and rng.random() < 0.5
            ):
                year_first = parts[0].rstrip().endswith("年")
                k = rng.choice((2, 3) if year_first else (1, 2, 3))
                lines = ["".join(parts[:k]), "".join(parts[k:])]
            shape.title_lines = tuple(lines)
            if report.title_style == "cover":
                assert report.published is not None
                d = report.published
                when = rng.choice((
                    f"{d.year}年{d.month}月",
                    f"{d.year}年{d.month}月{d.day}日",
                    f"{_cn_year(d.year)}年{_CN_MONTHS[d.month - 1]}月",
                ))
                shape.cover = (report.agency, when)
                shape.repeat_title = rng.random() < 0.5
        if report.structure == "alt_headings":
            # Every table section under another wording; 一, 五, 六 varied as well.
            shape.headings = tuple(
                rng.choice(alts[1:] if n in "二三四" else alts)
                for n, alts in zip("一二三四五六", _ALT_HEADINGS, strict=True)
            )
        elif report.structure == "captions":
            numbering = rng.choice(("cn", "arabic", "arabic_space"))
            sep = rng.choice(("：", " ", "　"))
            for i, number in enumerate("二三四"):
                ref = {"cn": f"表{'一二三'[i]}", "arabic": f"表{i + 1}",
                       "arabic_space": f"表 {i + 1}"}[numbering]
                title = rng.choice(_CAPTION_TITLES[number])
                shape.caption_refs[number] = ref.replace(" ", "")
                shape.captions[number] = (
                    (ref, title) if rng.random() < 0.25 else (f"{ref}{sep}{title}",)
                )
            shape.tables_after = rng.random() < 0.5
            shape.sign_before_tables = rng.random() < 0.5
        elif report.structure == "appendix":
            shape.appendix_headings = tuple(rng.choice(alts) for alts in _APPENDIX_NARRATIVE)
            mark = rng.choice(("附表", "附件", "附件：", "附表："))
            subtitle = f"{report.year}年政府信息公开工作情况统计表"
            shape.appendix_mark = (mark, subtitle) if rng.random() < 0.4 else (mark,)
            shape.sign_before_tables = rng.random() < 0.7
        if "applicants" in report.reorder:
            # 自然人 before or after the 法人或其他组织 group; the group's five in any order.
            natural_last = rng.random() < 0.5
            orgs = [1, 2, 3, 4, 5]
            if not natural_last or rng.random() < 0.6:
                orgs = _nonidentity(rng, orgs, lambda o: True)
            shape.applicants = tuple([*orgs, 0] if natural_last else [0, *orgs])
        if report.unmatched_header:
            shape.unmatched = (rng.randrange(6), rng.choice(_UNMATCHED_WORDS))
        if "review_groups" in report.reorder:  # 行政诉讼 before 行政复议
            litigation = ["litigation_direct", "litigation_after_review"]
            if rng.random() < 0.3:
                litigation.reverse()
            shape.review_groups = (*litigation, "review")
        if "review_results" in report.reorder:  # 纠正 before 维持
            shape.review_results = tuple(
                _nonidentity(rng, [0, 1, 2, 3], lambda o: o.index(1) < o.index(0))
            )
        if "art20_1" in report.reorder:  # 现行有效件数 (对外公开总数量) first
            shape.art20_1 = rng.choice(((2, 0, 1), (2, 1, 0)))
        shape.stubs = report.stubs
        shape.stub_width = rng.choice((3, 4, 5))
        shape.stub_centred = rng.random() < 0.7
        shape.habits = report.pdf_habits
        shape.header_width = rng.choice((2, 3, 4))
        shape.header_centred = rng.random() < 0.5
        shape.label_own_line = rng.choice((0.5, 1.0))
        return shape


_HALF = str.maketrans({"（": "(", "）": ")", "：": ":", "，": ","})


def _label(text: str, style: _Style) -> str:
    if style.space_after_number:
        text = re.sub(r"^(（[一二三四五六七]）)", r"\1 ", text)
        text = re.sub(r"^(\d\.)", r"\1 ", text)
    if style.ascii_quotes:
        text = text.replace("“", '"').replace("”", '"')
    if style.half_width:
        text = text.translate(_HALF)
    return text


def _num(value: int | None) -> str:
    return "" if value is None else str(value)


def _active_table(
    report: GeneratedReport, style: _Style, shape: _Shape | None = None
) -> _Table:
    shape = shape or _Shape()
    active = report.expected["active_disclosure"]
    rows: list[list[_Cell]] = []
    keys: list[str | None] = []
    width = 4

    def fill(cells: list[_Cell]) -> list[_Cell]:
        cells[-1].colspan = width - len(cells) + 1  # the last cell spans the rest (S10)
        return cells

    for item, caption, columns, row_specs in _ACTIVE[report.template]:
        if item == "art20_1":
            columns = tuple(columns[i] for i in shape.art20_1)
        cap = caption.translate(_HALF) if style.caption_half else caption
        rows.append([_Cell(cap, "caption", colspan=width)])
        keys.append(None)
        header = [_Cell("信息内容", "header")]
        header += [_Cell(_label(lbl, style) if style.half_width else lbl, "header")
                   for _, lbl in columns]
        rows.append(fill(header))
        keys.append(None)
        for row_key, row_label in row_specs:
            values = active[item][row_key]
            cells = [_Cell(row_label)]
            for col, _ in columns:
                text = report.printed.get((item, row_key, col), _num(values[col]))
                cells.append(_Cell(text, "value"))
            rows.append(fill(cells))
            keys.append(f"{item}/{row_key}")
    return _Table("active", width, rows, keys)


def _applications_table(
    report: GeneratedReport, style: _Style, shape: _Shape | None = None
) -> _Table:
    shape = shape or _Shape()
    rows_data = report.expected["applications"]["rows"]
    specs = _app_rows(report.template)
    order = shape.applicants
    words = list(_COLUMN_LABELS)
    if shape.unmatched is not None:
        words[shape.unmatched[0]] = shape.unmatched[1]
    natural = _Cell(words[0], "header", rowspan=2)
    orgs = _Cell("法人或其他组织", "header", colspan=5)
    rows: list[list[_Cell]] = [
        [_Cell(_label(_NOTE, style), "header", 3, 3), _Cell("申请人情况", "header", colspan=7)],
        [natural, orgs] if order[0] == 0 else [orgs, natural],
        [_Cell(words[i], "header") for i in order if i != 0],
    ]
    rows[1].append(_Cell("总计", "header", rowspan=2))
    keys: list[str | None] = [None, None, None]
    outcome_span = sum(1 for s in specs if s.level >= 2)
    group_sizes: dict[str, int] = {}
    for s in specs:
        if s.group:
            group_sizes[s.group] = group_sizes.get(s.group, 0) + 1
    seen_groups: set[str] = set()
    first_outcome = True
    for spec in specs:
        cells: list[_Cell] = []
        if spec.level == 1:
            cells.append(_Cell(_label(spec.label, style), colspan=3))
        else:
            if first_outcome:
                cells.append(_Cell(_OUTCOME, rowspan=outcome_span))
                first_outcome = False
            if spec.level == 2:
                cells.append(_Cell(_label(spec.label, style), colspan=2))
            else:
                assert spec.group is not None
                if spec.group not in seen_groups:
                    seen_groups.add(spec.group)
                    cells.append(_Cell(_label(spec.group, style), rowspan=group_sizes[spec.group]))
                cells.append(_Cell(_label(spec.label, style)))
        values = rows_data[spec.key]
        cells += [_Cell(_num(values[i]), "value") for i in (*order, 6)]
        rows.append(cells)
        keys.append(spec.key)
    if shape.stubs != "first":
        _unspan_stubs(rows, shape)
    return _Table("applications", 10, rows, keys)


def _stub_pieces(text: str, span: int, shape: _Shape) -> list[str]:
    if shape.stubs == "repeat":
        return [text] * span
    width = shape.stub_width
    chunks = [text[i : i + width].strip() for i in range(0, len(text), width)]
    if len(chunks) > span:
        chunks = [*chunks[: span - 1], "".join(chunks[span - 1 :])]
    top = (span - len(chunks)) // 2 if shape.stub_centred else 0
    return [""] * top + chunks + [""] * (span - top - len(chunks))


def _unspan_stubs(rows: list[list[_Cell]], shape: _Shape) -> None:
    """Write each rowspan stub into every row it spans, as converters without rowspan do.

    The stubs are the leading cells of their rows, so a piece goes in at the stub's own index.
    """
    for r, row in enumerate(rows):
        for i, cell in enumerate(row):
            if cell.kind != "label" or cell.rowspan == 1:
                continue
            pieces = _stub_pieces(cell.text, cell.rowspan, shape)
            for k in range(1, cell.rowspan):
                rows[r + k].insert(i, _Cell(pieces[k]))
            cell.text, cell.rowspan = pieces[0], 1


_GROUP_LABELS = {"litigation_direct": "未经复议直接起诉", "litigation_after_review": "复议后起诉"}


def _review_table(report: GeneratedReport, shape: _Shape | None = None) -> _Table:
    shape = shape or _Shape()
    review = report.expected["review_litigation"]
    order = (*shape.review_results, 4)
    results = [REVIEW_RESULTS[i] for i in order]
    labels = [_RESULT_LABELS[i] for i in order]
    review_first = shape.review_groups[0] == "review"
    top = [_Cell("行政复议", "header", colspan=5), _Cell("行政诉讼", "header", colspan=10)]
    own = [_Cell(lbl, "header", rowspan=2) for lbl in labels]
    suits = [_Cell(_GROUP_LABELS[g], "header", colspan=5)
             for g in shape.review_groups if g != "review"]
    rows: list[list[_Cell]] = [
        top if review_first else top[::-1],
        own + suits if review_first else suits + own,
        [_Cell(lbl, "header") for lbl in labels * 2],
        [_Cell(_num(review[g][r]), "value") for g in shape.review_groups for r in results],
    ]
    return _Table("review", 15, rows, [None, None, None, "values"])


# A rendering is a list of blocks: (kind, payload) with kind one of
# title | para | sub | heading | table | sign | cover | caption. A title may hold "\n".
_Block = tuple[str, Any]


def _shape_rng(report: GeneratedReport, layout: str, seed: int) -> random.Random:
    return random.Random(f"shape:{report.seed}:{report.template}:{layout}:{seed}")


def _document(
    report: GeneratedReport, style: _Style, shape: _Shape | None = None
) -> list[_Block]:
    if shape is None:
        shape = _Shape.draw(report, _shape_rng(report, "document", 0))
    title = report.title
    if report.title_style == "plain" and style.title_spaced:
        title = f"{report.agency} {report.year} 年政府信息公开工作年度报告"
    if shape.title_lines:
        title = "\n".join(shape.title_lines)
    blocks: list[_Block] = [("title", title)]
    blocks += [("cover", line) for line in shape.cover]
    if shape.repeat_title:
        blocks.append(("title", "".join(shape.title_lines)))
    blocks += [("para", p) for p in report.intro]
    tables = {
        "二": _active_table(report, style, shape),
        "三": _applications_table(report, style, shape),
        "四": _review_table(report, shape),
    }
    assert report.published is not None
    d = report.published
    sign: list[_Block] = [("sign", report.agency), ("sign", f"{d.year}年{d.month}月{d.day}日")]
    if report.structure == "appendix":
        return blocks + _appendix_blocks(report, style, shape, tables, sign)
    for heading in shape.headings:
        number = heading[0]
        blocks.append(("heading", heading))
        for kind, text in report.narrative.get(number, []):
            if kind == "sub" and style.half_width:
                text = text.translate(_HALF)
            blocks.append((kind, text))
        if number not in tables:
            continue
        if shape.tables_after:
            blocks.append(("para", f"具体数据详见{shape.caption_refs[number]}。"))
        else:
            blocks += [("caption", line) for line in shape.captions.get(number, ())]
            blocks.append(("table", tables[number]))
    if not shape.tables_after:
        return blocks + sign
    blocks += sign if shape.sign_before_tables else []
    for number, table in tables.items():
        blocks += [("caption", line) for line in shape.captions[number]]
        blocks.append(("table", table))
    return blocks + ([] if shape.sign_before_tables else sign)


def _section_one_items(report: GeneratedReport) -> list[str]:
    """The five bodies of section 一 (主动公开 … 监督保障), without their numbering."""
    items: list[str] = []
    entries = report.narrative["一"][1:]
    for kind, text in entries:
        if kind == "para" and re.match(r"^(?:（[一二三四五]）|\d、)", text):
            text = text.split("。", 1)[1]  # "（一）主动公开。body"
        elif kind == "sub":
            continue
        items.append(text)
    return items


def _appendix_blocks(
    report: GeneratedReport,
    style: _Style,
    shape: _Shape,
    tables: dict[str, _Table],
    sign: list[_Block],
) -> list[_Block]:
    """Shanghai's layout: the narrative's own seven sections, then the tables re-numbered."""
    nar = report.narrative
    active, applied, records, platform, oversight = _section_one_items(report)
    sections = (
        [nar["一"][0][1]],
        [oversight],
        [active] + [t for _, t in nar["二"]],
        [applied] + [t for _, t in nar["三"]] + [t for _, t in nar["四"]],
        [records, platform],
        [t for _, t in nar["五"]],
        [t for _, t in nar["六"]],
    )
    blocks: list[_Block] = []
    for heading, paras in zip(shape.appendix_headings, sections, strict=True):
        blocks.append(("heading", heading))
        blocks += [("para", p) for p in paras]
    blocks += sign if shape.sign_before_tables else []
    blocks.append(("heading", shape.appendix_mark[0]))
    blocks += [("caption", line) for line in shape.appendix_mark[1:]]
    for heading, table in zip(_APPENDIX_TABLES, tables.values(), strict=True):
        blocks.append(("heading", heading))
        blocks.append(("table", table))
    return blocks + ([] if shape.sign_before_tables else sign)


# --------------------------------------------------------------------------- layouts


def render(report: GeneratedReport, layout: str, *, seed: int = 0) -> str:
    """The report's text in `layout`; the same report, layout and seed give the same text."""
    if layout not in LAYOUTS:
        raise ValueError(f"unknown layout {layout!r}; choose one of {LAYOUTS}")
    if report.has_blanks and layout not in BLANK_LAYOUTS:
        raise ValueError(f"layout {layout!r} cannot show a blank cell; use one of "
                         f"{sorted(BLANK_LAYOUTS)}")
    rng = random.Random(f"render:{report.seed}:{report.template}:{layout}:{seed}")
    style = _Style.draw(rng)
    shape = _Shape.draw(report, _shape_rng(report, layout, seed))
    doc = _document(report, style, shape)
    if layout == "tab":
        return _join(_tab_lines(doc, style))
    if layout == "lines":
        return _render_lines(doc, shape)
    if layout == "markdown":
        return _render_markdown(doc, style)
    if layout == "spaces":
        return _render_spaces(doc, style, rng, shape)
    if layout == "traditional":
        base = (_join(_tab_lines(doc, style)) if style.trad_base == "tab"
                else _render_lines(doc, shape))
        return _s2twp().convert(base)
    if layout == "wrapped":
        return _render_wrapped(doc, style, rng)
    return _render_html(doc, style)


@lru_cache(maxsize=1)
def _s2twp() -> Any:
    import opencc  # imported late: only the traditional layout needs it

    return opencc.OpenCC("s2twp")


@dataclass
class _TabLine:
    fields: list[str]
    kinds: list[str]
    zone: str = "text"  # text | active | applications | review
    data: bool = False  # a table row holding values


def _join(lines: list[_TabLine]) -> str:
    return "\n".join("\t".join(line.fields) for line in lines) + "\n"


def _tab_lines(doc: list[_Block], style: _Style) -> list[_TabLine]:
    """Tab layout (seeds 002/003): one table row per line, one field per grid cell."""
    out: list[_TabLine] = [_TabLine([""], ["blank"])]
    for kind, payload in doc:
        if kind == "table":
            out.append(_TabLine([""], ["blank"]))
            for slots, key in zip(_grid(payload), payload.keys, strict=True):
                if style.drop_fillers and payload.name == "applications" and key is not None:
                    # Some exports drop the empty fields a colspan leaves; the values stay
                    # the last seven fields either way.
                    slots = [s for s in slots if not (s.origin == "colspan" and s.kind == "label")]
                fields = [s.text if s.origin == "cell" else "" for s in slots]
                kinds = [s.kind if s.origin == "cell" else "empty" for s in slots]
                out.append(_TabLine(fields, kinds, payload.name, key is not None))
            out.append(_TabLine([""], ["blank"]))
        else:
            out.append(_TabLine([payload], [kind]))
            out.append(_TabLine([""], ["blank"]))
    return out


def _render_lines(doc: list[_Block], shape: _Shape | None = None) -> str:
    """One cell per line (seed 004): every cell that holds text, row by row."""
    habits = shape is not None and shape.habits
    out: list[str] = []
    for kind, payload in doc:
        if kind != "table":
            out.append(payload)
            if kind == "title":
                out.append("")
            continue
        for slots, key in zip(_grid(payload), payload.keys, strict=True):
            texts = [s.text for s in slots if s.origin == "cell" and s.text]
            if not habits:
                out += texts
            elif key is None:
                # A header cell wrapped in its narrow column comes out as several lines.
                for s in slots:
                    if s.origin == "cell" and s.text:
                        out += _header_pieces(s.text, shape.header_width, s.kind)
            else:
                # The label above one line holding the row's numbers.
                out += [s.text for s in slots if s.origin == "cell" and s.text and s.kind != "value"]
                values = [s.text for s in slots if s.origin == "cell" and s.kind == "value"]
                out.append(" ".join(values))
    return "\n".join(out) + "\n"


def _header_pieces(text: str, width: int, kind: str = "header") -> list[str]:
    """A header cell as a narrow column wraps it; the long 勾稽 note keeps its own line."""
    if kind != "header" or len(text) > 12:
        return [text]
    return [text[i : i + width] for i in range(0, len(text), width)]


def _md_row(fields: list[str]) -> str:
    return "| " + " | ".join(fields) + " |"


def _md_table(grid: list[list[_Slot]]) -> list[str]:
    fields = [[s.text if s.origin == "cell" else "" for s in row] for row in grid]
    width = len(fields[0])
    return [_md_row(fields[0]), "|" + "---|" * width] + [_md_row(r) for r in fields[1:]]


def _render_markdown(doc: list[_Block], style: _Style) -> str:
    """Markdown (like real/002.md): # headings and pipe tables, blank cells as empty fields."""
    out: list[str] = []
    for kind, payload in doc:
        if kind == "title":
            out.append("# " + payload.replace("\n", "\n# "))
        elif kind == "heading":
            out.append(f"## {payload}")
        elif kind == "sub":
            out.append(f"### {payload}" if style.md_sub_heading else payload)
        elif kind in ("para", "sign", "cover", "caption"):
            out.append(payload)
        else:
            grid = _grid(payload)
            if payload.name == "active" and style.md_caption != "row":
                out += _md_active_blocks(grid, style)
            else:
                out += _md_table(grid)
        out.append("")
    return "\n".join(out)


def _md_active_blocks(grid: list[list[_Slot]], style: _Style) -> list[str]:
    """Section 二 as one small table per 第二十条 item, trimmed to its own columns."""
    out: list[str] = []
    blocks: list[list[list[_Slot]]] = []
    for row in grid:
        if row[0].kind == "caption":
            caption = row[0].text
            out_caption = f"### {caption}" if style.md_caption == "heading" else caption
            blocks.append([[_Slot(out_caption, "caption", "cell")]])
        else:
            blocks[-1].append(row)
    for block in blocks:
        out.append(block[0][0].text)
        rows = block[1:]
        width = max(i + 1 for row in rows for i, s in enumerate(row) if s.origin == "cell")
        out += _md_table([row[:width] for row in rows])
        out.append("")
    return out[:-1]


def _render_html(doc: list[_Block], style: _Style) -> str:
    """A plain web page: <table> with rowspan/colspan as the template draws it."""
    esc = html.escape
    title = next(p for k, p in doc if k == "title")
    h1 = "<br>".join(esc(line) for line in title.split("\n"))
    out = [
        "<!DOCTYPE html>",
        '<html lang="zh-CN"><head><meta charset="utf-8">',
        f"<title>{esc(title.replace(chr(10), ''))}</title></head>",
        "<body>",
        f'<h1 style="text-align:center">{h1}</h1>',
    ]
    for n, (kind, payload) in enumerate(doc):
        if kind == "title" and n > 0:  # a cover's title again above the body
            out.append(f'<p style="text-align:center"><strong>{esc(payload)}</strong></p>')
        elif kind == "cover":
            out.append(f'<p style="text-align:center">{esc(payload)}</p>')
        elif kind == "caption":
            out.append(f'<p style="text-align:center"><strong>{esc(payload)}</strong></p>')
        elif kind == "heading":
            out.append(f"<h2>{esc(payload)}</h2>")
        elif kind == "sub":
            out.append(f"<p><strong>{esc(payload)}</strong></p>")
        elif kind == "para":
            out.append(f"<p>{esc(payload)}</p>")
        elif kind == "sign":
            out.append(f'<p style="text-align:right">{esc(payload)}</p>')
        elif kind == "table":
            out.append('<table border="1" cellspacing="0">')
            for row in payload.rows:
                tds = []
                for cell in row:
                    attrs = ""
                    if cell.rowspan > 1:
                        attrs += f' rowspan="{cell.rowspan}"'
                    if cell.colspan > 1:
                        attrs += f' colspan="{cell.colspan}"'
                    text = esc(cell.text) if cell.text else style.html_blank
                    tds.append(f"<td{attrs}>{text}</td>")
                out.append("<tr>" + "".join(tds) + "</tr>")
            out.append("</table>")
    out += ["</body>", "</html>"]
    return "\n".join(out) + "\n"


# Line starts a wrap must never produce: they would read as a heading, a row label or a number.
_BAD_LINE_START = re.compile(r"(?:\d|[（(]|第二十条|[-－—+]|[一二三四五六七八九十]+、)")
_NO_LINE_START = set("，。、；：？！）》”’,.;:)! ")


def _can_break(text: str, k: int) -> bool:
    prev, nxt = text[k - 1], text[k]
    if prev.isascii() and prev.isalnum() and nxt.isascii() and nxt.isalnum():
        return False
    if nxt in _NO_LINE_START or prev.isspace():
        return False
    return not _BAD_LINE_START.match(text, k)


def _wrap(text: str, width: int) -> list[str]:
    """Hard-wrap like a PDF text layer, never starting a line with a number or a label."""
    lines: list[str] = []
    rest = text
    while len(rest) > width:
        k = next((i for i in range(width, width // 2, -1) if _can_break(rest, i)), None)
        if k is None:
            k = next((i for i in range(width + 1, len(rest)) if _can_break(rest, i)), None)
            if k is None:
                break
        lines.append(rest[:k])
        rest = rest[k:]
    lines.append(rest)
    return lines


def _split_point(text: str, rng: random.Random, *, low: int | None = None) -> int | None:
    """Where a label may be cut in two: past its （一）/1. prefix, not before a digit or （."""
    prefix = re.match(r"^(?:（[一二三四五六七]）|\([一二三四五六七]\)|\d\.|[一二三四]、)\s*", text)
    start = max(prefix.end() + 2 if prefix else 2, low or 0)
    points = [k for k in range(start, len(text) - 1) if _can_break(text, k)]
    return rng.choice(points) if points else None


@dataclass
class _PdfLine:
    text: str
    page_break: str | None  # zone in which a page break may follow: narr | applications | other


def _render_spaces(
    doc: list[_Block], style: _Style, rng: random.Random, shape: _Shape | None = None
) -> str:
    """A PDF text layer (like real/005.txt): single-space cells, wrapped labels, page numbers."""
    lines: list[_PdfLine] = []
    for kind, payload in doc:
        if kind in ("para", "sub"):
            parts = _wrap(payload, style.wrap_width)
            lines += [_PdfLine(p, "narr") for p in parts[:-1]]
            lines.append(_PdfLine(parts[-1], "other"))
        elif kind != "table":
            lines.append(_PdfLine(payload, "other" if kind != "title" else None))
        elif shape is not None and shape.habits:
            lines += _pdf_habit_table(payload, shape, rng)
        elif payload.name == "applications":
            lines += _pdf_applications(payload, style, rng)
        else:
            for slots in _grid(payload):
                texts = [s.text for s in slots if s.origin == "cell" and s.text]
                lines.append(_PdfLine(" ".join(texts), "other"))
    # Page numbers: one inside the 三 table, one inside a paragraph, then every ~40 lines.
    # "forced": a break the layout itself needs (a label cut across pages).
    breaks: set[int] = {i for i, ln in enumerate(lines) if ln.page_break == "forced"}
    for zone in ("applications", "narr"):
        candidates = [i for i, ln in enumerate(lines) if ln.page_break == zone]
        if candidates:
            breaks.add(rng.choice(candidates))
    last = -99
    for i, ln in enumerate(lines[:-2]):
        if i in breaks:
            last = i
        elif ln.page_break and i - last > rng.randint(34, 46):
            breaks.add(i)
            last = i
    out: list[str] = []
    page = 1
    for i, ln in enumerate(lines):
        out.append(ln.text)
        if i in breaks:
            out.append(f"- {page} -")
            page += 1
    return "\n".join(out) + "\n"


def _pdf_applications(table: _Table, style: _Style, rng: random.Random) -> list[_PdfLine]:
    lines: list[_PdfLine] = []
    grid = _grid(table)
    for slots, key in zip(grid, table.keys, strict=True):
        labels = [s.text for s in slots if s.origin == "cell" and s.kind in ("label", "header")]
        values = [s.text for s in slots if s.origin == "cell" and s.kind == "value"]
        if key is None:
            if labels and labels[0] == _label(_NOTE, style) and rng.random() < 0.6:
                k = _split_point(labels[0], rng, low=len(labels[0]) // 3)
                if k:
                    lines += [_PdfLine(labels[0][:k], None), _PdfLine(labels[0][k:], None)]
                    labels = labels[1:]
            lines.append(_PdfLine(" ".join(labels), None))
            continue
        *stubs, label = labels
        prefix = ""
        if stubs and style.stub_own_line:
            lines += [_PdfLine(s, None) for s in stubs]
        elif stubs:
            prefix = " ".join(stubs) + " "
        nums = " ".join(values)
        k = _split_point(label, rng, low=len(label) // 2) if len(label) >= 18 else None
        if k and rng.random() < 0.8:
            first, second = label[:k], label[k:]
            if rng.random() < 0.5:  # numbers on the line of the label's first part
                lines += [_PdfLine(f"{prefix}{first} {nums}", None), _PdfLine(second, None)]
            else:  # numbers after the whole label
                lines += [_PdfLine(f"{prefix}{first}", None), _PdfLine(f"{second} {nums}", None)]
        else:
            lines.append(_PdfLine(f"{prefix}{label} {nums}", None))
        lines[-1].page_break = "applications"
    if lines:
        lines[-1].page_break = "other"
    return lines


def _pdf_habit_table(table: _Table, shape: _Shape, rng: random.Random) -> list[_PdfLine]:
    """A table as PDF-to-text tools give it: header rows wrapped cell by cell and read line
    by line, and row labels on a line of their own above a line holding only the numbers."""
    lines: list[_PdfLine] = []
    row_end = "applications" if table.name == "applications" else "other"
    grid = _grid(table)
    # One group stub (（四）无法提供 …) cut by a page break, its tail after the row's values
    # (real/007: "（四）无" / "- 4 -" / "法提供").
    stub_rows = [
        n for n, (slots, key) in enumerate(zip(grid, table.keys, strict=True))
        if table.name == "applications" and key and "." in key
        and sum(1 for s in slots if s.origin == "cell" and s.kind == "label" and s.text) >= 2
    ]
    cut_row = rng.choice(stub_rows) if stub_rows and rng.random() < 0.6 else None
    for n, (slots, key) in enumerate(zip(grid, table.keys, strict=True)):
        cells = [s for s in slots if s.origin == "cell" and s.text]
        if key is None:
            columns = [_header_pieces(s.text, shape.header_width, s.kind) for s in cells]
            depth = max(len(c) for c in columns)
            for k in range(depth):
                parts = []
                for column in columns:
                    top = (depth - len(column)) // 2 if shape.header_centred else 0
                    if 0 <= k - top < len(column):
                        parts.append(column[k - top])
                lines.append(_PdfLine(" ".join(parts), None))
            continue
        labels = [s.text for s in cells if s.kind != "value"]
        values = " ".join(s.text for s in cells if s.kind == "value")
        tail = None
        if n == cut_row:
            stub = labels[-2]
            prefix = re.match(r"^(?:（[三四五六]）|\([三四五六]\))\s*", stub)
            k = rng.randint((prefix.end() if prefix else 0) + 1, len(stub) - 1)
            labels[-2], tail = stub[:k], stub[k:]
        if labels and rng.random() < shape.label_own_line:
            lines += [_PdfLine(text, None) for text in labels]
            lines.append(_PdfLine(values, row_end))
        else:
            lines.append(_PdfLine(" ".join([*labels, values]), row_end))
        if tail is not None:
            lines[-1].page_break = "forced"
            lines.append(_PdfLine(tail, None))
    return lines


def _space_inside(text: str, rng: random.Random) -> str:
    """Put one stray space between two CJK characters past the label's number prefix."""
    prefix = re.match(r"^(?:（[一二三四五六七]）|\([一二三四五六七]\)|\d\.|[一二三四]、)\s*", text)
    start = prefix.end() + 1 if prefix else 1
    points = [
        k for k in range(start, len(text))
        if "\u4e00" <= text[k - 1] <= "\u9fff" and "\u4e00" <= text[k] <= "\u9fff"
    ]
    if not points:
        return text
    k = rng.choice(points)
    return text[:k] + " " + text[k:]


def _render_wrapped(doc: list[_Block], style: _Style, rng: random.Random) -> str:
    """Tab layout damaged as by a PDF-to-Word copy: split labels around page junk, stray spaces."""
    lines = _tab_lines(doc, style)
    for line in lines:
        for i, (text, kind) in enumerate(zip(line.fields, line.kinds, strict=True)):
            if line.zone == "review" and kind == "header" and text in _RESULT_LABELS:
                mid = len(text) // 2
                line.fields[i] = " ".join(text) if style.review_spacing == "all" else (
                    text[:mid] + " " + text[mid:]
                )
            elif line.zone == "active" and kind == "header" and text != "信息内容":
                if rng.random() < 0.6:
                    line.fields[i] = _space_inside(text, rng)
            elif line.zone == "applications" and line.data and kind == "label":
                if rng.random() < 0.3:
                    line.fields[i] = _space_inside(text, rng)
    candidates = [
        (n, i)
        for n, line in enumerate(lines)
        if line.data and line.zone in ("active", "applications")
        for i, (text, kind) in enumerate(zip(line.fields, line.kinds, strict=True))
        if kind == "label" and len(text.replace(" ", "")) >= 6
    ]
    chosen = rng.sample(candidates, min(len(candidates), rng.randint(1, 3)))
    # Only one split per line, handled bottom-up so earlier indexes stay valid.
    by_line = {n: i for n, i in sorted(chosen)}
    junk = _TabLine(["<page>"], ["junk"])
    for n in sorted(by_line, reverse=True):
        i = by_line[n]
        line = lines[n]
        k = _split_point(line.fields[i], rng)
        if k is None:
            continue
        first, second = line.fields[i][:k].rstrip(), line.fields[i][k:].lstrip()
        pad = [""] * i
        if rng.random() < 0.5:  # values stay with the first part (seed 003)
            one = _TabLine(line.fields[:i] + [first] + line.fields[i + 1 :],
                           line.kinds, line.zone, True)
            two = _TabLine(pad + [second], ["empty"] * i + ["label"], line.zone, False)
        else:  # the values follow the whole label
            one = _TabLine(line.fields[:i] + [first], line.kinds[: i + 1], line.zone, False)
            two = _TabLine(pad + [second] + line.fields[i + 1 :],
                           ["empty"] * i + line.kinds[i:], line.zone, True)
        around = [_TabLine([""], ["blank"])] if rng.random() < 0.5 else []
        lines[n : n + 1] = [one, *around, copy.copy(junk), *around, two]
    # One page break inside a long narrative paragraph as well.
    paras = [n for n, line in enumerate(lines) if line.kinds == ["para"] and len(line.fields[0]) > 40]
    if paras:
        n = rng.choice(paras)
        text = lines[n].fields[0]
        k = _split_point(text, rng, low=len(text) // 3)
        if k:
            lines[n : n + 1] = [
                _TabLine([text[:k]], ["para"]), _TabLine([""], ["blank"]), copy.copy(junk),
                _TabLine([""], ["blank"]), _TabLine([text[k:]], ["para"]),
            ]
    page = rng.randint(1, 3)
    for line in lines:
        if line.kinds == ["junk"]:
            line.fields = [f"第{page}页" if rng.random() < 0.5 else f"- {page} -"]
            page += 1
    return _join(lines)


# --------------------------------------------------------------------------- preview


def _main(argv: list[str]) -> int:
    usage = (
        "usage: python tests/generate.py SEED TEMPLATE LAYOUT [blanks] [key=value ...]\n"
        "  keys: blanks=columns|anywhere structure=… title=… (title_style) "
        "reorder=a,b stubs=… unmatched habits render=SEED"
    )
    if len(argv) < 3:
        print(usage, file=sys.stderr)
        return 2
    options: dict[str, Any] = {}
    render_seed = 0
    for arg in argv[3:]:
        key, _, value = arg.partition("=")
        if key == "blanks":
            options["blanks"] = value or True
        elif key in ("structure", "stubs"):
            options[key] = value
        elif key in ("title", "title_style"):
            options["title_style"] = value
        elif key == "reorder":
            options["reorder"] = tuple(value.split(",")) if value != "all" else REORDERS
        elif key == "unmatched":
            options["unmatched_header"] = True
        elif key == "habits":
            options["pdf_habits"] = True
        elif key == "render":
            render_seed = int(value)
        else:
            print(usage, file=sys.stderr)
            return 2
    report = make_report(int(argv[0]), argv[1], **options)
    sys.stdout.write(render(report, argv[2], seed=render_seed))
    return 0


if __name__ == "__main__":
    raise SystemExit(_main(sys.argv[1:]))
