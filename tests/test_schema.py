"""report.schema.json: every corpus report and every generated layout conforms; broken
objects do not, under jsonschema and under the built-in fallback checker alike."""

from __future__ import annotations

import copy
import json
import re
import sys
from pathlib import Path

import pytest

from govreport_lark import parse_bytes, parse_file, report_to_dict
from govreport_lark.schema import _builtin_check, load_schema, validate_output

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate import BLANK_LAYOUTS, LAYOUT_FORMAT, LAYOUTS, make_report, render  # noqa: E402

CORPUS = Path(__file__).resolve().parent.parent / "corpus"
REPORTS = sorted(
    p for p in CORPUS.glob("*/*") if p.suffix not in (".json", ".tsv") and p.is_file()
)


def _both(obj: dict) -> tuple[list[str], list[str]]:
    return validate_output(obj), _builtin_check(obj, load_schema())


@pytest.fixture(scope="module")
def sample() -> dict:
    return report_to_dict(parse_file(CORPUS / "seeds" / "002_529dae6be8c784ed.txt"))


def test_schema_is_valid_draft_2020_12() -> None:
    jsonschema = pytest.importorskip("jsonschema")
    schema = load_schema()
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    jsonschema.Draft202012Validator.check_schema(schema)


def test_corpus_is_present() -> None:
    assert len(REPORTS) >= 9, REPORTS


@pytest.mark.parametrize("path", REPORTS, ids=lambda p: f"{p.parent.name}/{p.name}")
@pytest.mark.parametrize("provenance", [False, True], ids=["plain", "provenance"])
def test_corpus_report_validates(path: Path, provenance: bool) -> None:
    obj = report_to_dict(parse_file(path), provenance=provenance)
    obj = json.loads(json.dumps(obj, ensure_ascii=False))  # as a consumer sees it
    assert _both(obj) == ([], [])


@pytest.mark.parametrize("template", ["2019", "2021"])
@pytest.mark.parametrize("layout", LAYOUTS)
def test_generated_report_validates(layout: str, template: str) -> None:
    for blanks in (False, True) if layout in BLANK_LAYOUTS else (False,):
        report = make_report(11, template, blanks=blanks)
        fmt = LAYOUT_FORMAT[layout]
        parsed = parse_bytes(render(report, layout).encode("utf-8"), path=f"gen.{fmt}", fmt=fmt)
        obj = report_to_dict(parsed)
        assert obj["template"] == template
        assert _both(obj) == ([], [])


def _broken(sample: dict, how: str) -> dict:
    obj = copy.deepcopy(sample)
    if how == "missing_key":
        del obj["review_litigation"]
    elif how == "missing_diagnostics":
        del obj["diagnostics"]
    elif how == "wrong_severity":
        obj["diagnostics"].append({"code": "SUM_MISMATCH", "severity": "fatal", "message": "x",
                                   "section": "三", "line": 3})
    elif how == "lowercase_code":
        obj["diagnostics"].append({"code": "sum_mismatch", "severity": "error", "message": "x",
                                   "section": None, "line": None})
    elif how == "bad_section":
        obj["diagnostics"].append({"code": "X", "severity": "info", "message": "x",
                                   "section": "七", "line": None})
    elif how == "line_zero":
        obj["diagnostics"].append({"code": "X", "severity": "info", "message": "x",
                                   "section": None, "line": 0})
    elif how == "unknown_diagnostic_key":
        obj["diagnostics"].append({"code": "X", "severity": "info", "message": "x",
                                   "section": None, "line": None, "hint": "?"})
    elif how == "wrong_schema":
        obj["schema"] = "govreport/2"
    elif how == "wrong_template":
        obj["template"] = "2020"
    elif how == "unknown_top_key":
        obj["timings"] = {"parse": 0.1}
    elif how == "row_of_six":
        obj["applications"]["rows"]["total"].pop()
    elif how == "string_cell":
        obj["applications"]["rows"]["granted"][0] = "3"
    elif how == "columns_reordered":
        obj["applications"]["columns"].reverse()
    elif how == "other_template_row":
        obj["applications"]["rows"]["other"] = [0] * 7  # a 2019 row in a 2021 report
    elif how == "review_missing_field":
        del obj["review_litigation"]["review"]["pending"]
    elif how == "active_unknown_column":
        obj["active_disclosure"]["art20_1"]["rules"]["new_made"] = 1  # a 2019 column
    elif how == "amount_raw_off_money_row":
        obj["active_disclosure"]["art20_1"]["rules"]["amount_raw"] = "3元"
    elif how == "title_null_without_diagnostic":
        obj["title"] = None
    else:
        raise AssertionError(how)
    return obj


BROKEN = [
    "missing_key", "missing_diagnostics", "wrong_severity", "lowercase_code", "bad_section",
    "line_zero", "unknown_diagnostic_key", "wrong_schema", "wrong_template", "unknown_top_key",
    "row_of_six", "string_cell", "columns_reordered", "other_template_row",
    "review_missing_field", "active_unknown_column", "amount_raw_off_money_row",
    "title_null_without_diagnostic",
]  # fmt: skip


def test_sample_is_valid(sample: dict) -> None:
    assert sample["template"] == "2021"
    assert _both(sample) == ([], [])


@pytest.mark.parametrize("how", BROKEN)
def test_broken_object_fails(sample: dict, how: str) -> None:
    with_jsonschema, builtin = _both(_broken(sample, how))
    assert with_jsonschema, how
    assert builtin, how


def test_allowed_additions_validate(sample: dict) -> None:
    obj = copy.deepcopy(sample)
    obj["provenance"] = {"applications": {}}
    obj["narrative"]["extra_section"] = ["text"]
    obj["source"]["encoding"] = "utf-8"  # source has "at least" its three keys
    obj["active_disclosure"]["art20_8"]["administrative_fees"]["amount_raw"] = "12000元"
    obj["active_disclosure"]["art20_6"]["extra"] = {"行政检查": {"decisions": 4}}
    obj["title"] = None
    obj["diagnostics"].append({"code": "TITLE_MISSING", "severity": "warning", "message": "x",
                               "section": None, "line": None, "responsibility": "report"})
    assert _both(obj) == ([], [])


@pytest.mark.parametrize("bad", [float("inf"), float("-inf"), float("nan")])
def test_non_finite_number_is_a_problem(sample: dict, bad: float) -> None:
    obj = copy.deepcopy(sample)
    obj["applications"]["rows"]["granted"][0] = bad
    problems = validate_output(obj)
    assert any("granted[0]" in p and "not a JSON number" in p for p in problems), problems


def test_validate_output_without_jsonschema(sample: dict, monkeypatch) -> None:
    monkeypatch.setitem(sys.modules, "jsonschema", None)  # import jsonschema → ImportError
    assert validate_output(sample) == []
    problems = validate_output(_broken(sample, "wrong_severity"))
    assert any("severity" in p and "fatal" in p for p in problems), problems
    assert validate_output("not an object") != []  # raises nothing


def test_schema_ships_as_package_data() -> None:
    from importlib import resources

    text = resources.files("govreport_lark.schema").joinpath("report.schema.json").read_text(
        encoding="utf-8"
    )
    assert json.loads(text)["properties"]["schema"]["const"] == "govreport/1"
    pyproject = (Path(__file__).resolve().parent.parent / "pyproject.toml").read_text("utf-8")
    assert '"govreport_lark.schema" = ["*.json", "*.tsv"]' in pyproject


# ----------------------------------------------------- descriptions from the dictionary

def _descriptions(node, where="$"):
    if isinstance(node, dict):
        if isinstance(node.get("description"), str) and where != "$":
            yield where, node["description"]
        for key, value in node.items():
            yield from _descriptions(value, f"{where}/{key}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _descriptions(value, f"{where}/{i}")


def test_shipped_schema_is_its_structure_described_by_the_dictionary() -> None:
    from govreport_lark.schema.describe import describe, dumps, shipped, strip
    from govreport_lark.schema.dictionary import entries

    ours = shipped()
    regenerated, _ = describe(strip(ours), entries())
    assert dumps(regenerated) == dumps(ours), (
        "report.schema.json and dictionary.tsv disagree: "
        "python -m govreport_lark.schema.describe --write")


def test_every_description_but_the_documents_is_a_dictionary_entry() -> None:
    from govreport_lark.schema.describe import shipped, text
    from govreport_lark.schema.dictionary import entries

    words = {text(e) for e in entries()}
    found = list(_descriptions(shipped()))
    assert len(found) > 150
    assert [(w, d) for w, d in found if d not in words] == []


def test_every_dictionary_key_describes_a_schema_node() -> None:
    from govreport_lark.schema.describe import describe, shipped, strip
    from govreport_lark.schema.dictionary import entries

    _, unplaced = describe(strip(shipped()), entries())
    # applications.columns is one const list: its positions are documented, not nodes
    assert unplaced == [f"applications.columns[{i}]" for i in range(7)]


def test_description_of_a_cell_names_label_item_unit_and_meaning() -> None:
    from govreport_lark.schema.describe import shipped

    schema = shipped()
    rules = schema["$defs"]["active_2021_art20_1"]["properties"]["rules"]["properties"]
    assert rules["in_force"]["description"] == (
        "规章·现行有效件数 (2021 表二 第二十条第（一）项; 件): "
        "a count of section 二, null where the cell is blank")
    normative = schema["$defs"]["active_2021_art20_1"]["properties"]["normative_documents"]
    assert normative["properties"]["in_force"]["description"].startswith("行政规范性文件·现行有效件数")
    rows = schema["$defs"]["rows_2021"]["properties"]
    assert rows["denied.third_party_rights"]["description"].startswith(
        "（三）不予公开 4.保护第三方合法权益 (表三 收到和处理政府信息公开申请情况; 件): ")
    assert "overdue_correction" not in schema["$defs"]["rows_2019"]["properties"]
    group = schema["properties"]["review_litigation"]["properties"]["litigation_direct"]
    assert group["properties"]["total"]["description"].startswith("行政诉讼·未经复议直接起诉·总计")


def test_describe_places_each_template_key_in_its_own_template() -> None:
    from govreport_lark.schema.describe import describe, shipped, strip
    from govreport_lark.schema.dictionary import Entry

    bare = strip(shipped())
    only_2019 = Entry("active_disclosure.art20_9.centralized_procurement.projects", "2019",
                      "item", "label", "", "int", "meaning")
    described, unplaced = describe(bare, [only_2019])
    assert unplaced == []
    place = described["$defs"]["active_2019_art20_9"]["properties"]["centralized_procurement"]
    assert place["properties"]["projects"]["description"] == "label (item): meaning"
    # a 2019 key written as 2021's names no node: 2021 has no item (九)
    _, unplaced = describe(bare, [Entry(only_2019.key, "2021", "", "", "", "int", "m")])
    assert unplaced == [only_2019.key]


def test_schema_documents_it_cites_exist() -> None:
    from govreport_lark.schema.describe import shipped

    root = Path(__file__).resolve().parent.parent
    cited = {m for _, d in _descriptions(shipped(), "#") for m in re.findall(r"docs/[\w./-]+\w", d)}
    cited |= set(re.findall(r"docs/[\w./-]+\w", shipped()["description"]))
    assert cited and all((root / c).is_file() for c in cited), cited
