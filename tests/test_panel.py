"""Panels across agencies and years: cross-year checks over generated series of several
agencies (2019–2025, both templates, some with planted breaks) found exactly, the one key set
of both templates, the panel export and the quality columns of the batch's outputs."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import generate as G
import pytest
import series as S

from govreport_lark import parse_file, report_to_dict, to_dataframe
from govreport_lark.output import batch
from govreport_lark.output.agency import agency_key
from govreport_lark.output.cli import main
from govreport_lark.output.panel import (
    PANEL_COLUMNS,
    Snapshot,
    cross_year_findings,
    lookup,
    panel_keys,
)

YEARS = range(2019, 2026)
SUFFIX = {"txt": "txt", "md": "md", "html": "html"}
JINSHUI = ["郑州市金水区人民政府办公室", "郑州市金水区政府办公室", "郑州市金水区人民政府办公厅",
           "郑州市金水区人民政府办公室", "郑州市金水区 政府办公室", "郑州市金水区人民政府办公室",
           "郑州市金水区人民政府办公室"]


def write_series(folder: Path, name: str, reports: dict[int, G.GeneratedReport]) -> None:
    for year, report in reports.items():
        layout = G.LAYOUTS[(year + len(name)) % len(G.LAYOUTS)]
        path = folder / f"{name}_{year}.{SUFFIX[G.LAYOUT_FORMAT[layout]]}"
        path.write_text(G.render(report, layout), encoding="utf-8")


def plant() -> tuple[dict[str, dict[int, G.GeneratedReport]], set[tuple]]:
    """Five agencies: three consistent (one printing its name four ways), two broken.
    Returns the series and the breaks as (agency_key, year, row, column)."""
    found: set[tuple] = set()
    out = {
        "jinshui": S.make_series(JINSHUI, YEARS, 1),
        "gulou": S.make_series("南京市鼓楼区司法局", YEARS, 2),
        "xihu": S.make_series("杭州市西湖区教育局", YEARS, 3),
    }
    wuhou = S.make_series("成都市武侯区人民政府", YEARS, 4)
    key = agency_key("成都市武侯区人民政府")
    column = S.break_carry(wuhou[2021])  # across the template change
    found |= {(key, 2021, "carried_over", column), (key, 2021, "carried_over", "total")}
    S.break_in_force(wuhou[2024], "normative_documents")
    found.add((key, 2024, "art20_1.normative_documents", "in_force"))
    S.break_items(wuhou[2019], "art20_8", "administrative_fees")
    found.add((key, 2020, "art20_8.administrative_fees", "prev_year_items"))
    out["wuhou"] = wuhou
    tianhe = S.make_series("广州市天河区卫生健康局", YEARS, 5)
    key = agency_key("广州市天河区卫生健康局")
    for year in (2020, 2023):
        column = S.break_carry(tianhe[year])
        found |= {(key, year, "carried_over", column), (key, year, "carried_over", "total")}
    S.break_in_force(tianhe[2022], "rules")
    found.add((key, 2022, "art20_1.rules", "in_force"))
    S.break_items(tianhe[2019], "art20_5", "administrative_license")
    found.add((key, 2020, "art20_5.administrative_license", "prev_year_items"))
    out["tianhe"] = tianhe
    for seed, reports in enumerate(out.values()):
        S.finish(reports, seed)
    return out, found


@pytest.fixture(scope="module")
def planted(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict, set[tuple]]:
    folder = tmp_path_factory.mktemp("series")
    reports, breaks = plant()
    for name, series in reports.items():
        write_series(folder, name, series)
    return folder, reports, breaks


@pytest.fixture(scope="module")
def run_panel(planted, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    folder, _, _ = planted
    out = tmp_path_factory.mktemp("out")
    code = main(["batch", str(folder), "--out", str(out / "cells.csv"),
                 "--panel", str(out / "panel.csv")])
    assert code == 0
    return out, ""


def read_csv(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_agency_key_folds_variants():
    assert {agency_key(n) for n in JINSHUI} == {"郑州市金水区政府办公室"}
    assert agency_key("平潭綜合實驗區管理委員會") == agency_key("平潭综合实验区管理委员会")
    assert agency_key("郑州市金水区人民政府") != agency_key("金水区人民政府")  # region kept
    assert agency_key(None) is None and agency_key(" ") is None


def test_every_planted_break_found_from_a_parquet_output_resumed(planted, run_panel, tmp_path):
    """The findings over a Parquet output (its template read back as an integer), half of it
    held from an earlier run, are the CSV run's: none silently skipped."""
    pytest.importorskip("pyarrow")
    folder, _, breaks = planted
    out, _ = run_panel
    files = sorted(str(p) for p in folder.iterdir())
    parquet, panel = tmp_path / "cells.parquet", tmp_path / "panel.parquet"
    assert main(["batch", *files[: len(files) // 2], "--out", str(parquet)]) == 0
    assert main(["batch", str(folder), "--out", str(parquet), "--resume",
                 "--panel", str(panel)]) == 0
    rows = read_csv(Path(str(panel) + ".findings.csv"))
    assert {(r["agency_key"], int(r["year"]), r["row"], r["column"]) for r in rows} == breaks
    assert sorted(r["check"] for r in rows) == sorted(
        r["check"] for r in read_csv(out / "panel.csv.findings.csv"))


def test_generated_series_parse_as_generated(planted):
    """The series' cells the checks read are parsed as generated: a finding is the
    series', not the parser's."""
    folder, reports, _ = planted
    for name, series in reports.items():
        for year, report in series.items():
            path = next(folder.glob(f"{name}_{year}.*"))
            got = report_to_dict(parse_file(path))
            assert (got["agency"], got["year"], got["template"]) == (
                report.agency.replace(" ", ""), year, report.template)
            assert got["applications"]["rows"] == report.expected["applications"]["rows"]
            for item, rows in report.expected["active_disclosure"].items():
                for row, cells in rows.items():
                    for column, value in cells.items():
                        if column != "amount_raw":  # text, as printed
                            assert got["active_disclosure"][item][row][column] == value


def test_every_planted_break_found_and_nothing_else(planted, run_panel):
    _, _, breaks = planted
    out, _ = run_panel
    rows = read_csv(out / "panel.csv.findings.csv")
    assert {r["code"] for r in rows} == {"CROSS_YEAR_MISMATCH"}
    got = {(r["agency_key"], int(r["year"]), r["row"], r["column"]) for r in rows}
    assert got == breaks
    for r in rows:  # both reports, both cells, both values
        assert int(r["previous_year"]) == int(r["year"]) - 1
        assert r["source"] != r["previous_source"] and r["sha256"] and r["previous_sha256"]
        assert r["value"] != "" and r["previous_value"] != "" and r["expected"] != ""
        assert r["value"] != r["expected"]
        assert r["sha256"][:12] in r["message"] and r["previous_sha256"][:12] in r["message"]


def test_summary_names_findings_and_agencies_with_errors(planted, tmp_path, capsys):
    folder, _, breaks = planted
    code = main(["batch", str(folder), "--out", str(tmp_path / "r.jsonl")])
    err = capsys.readouterr().err
    assert code == 0
    assert (f"cross-year: 30 pairs of consecutive years of 5 agencies compared: "
            f"{len(breaks)} CROSS_YEAR_MISMATCH, 0 DUPLICATE_REPORT, 0 IDENTITY_MISSING") in err
    assert err.count("  CROSS_YEAR_MISMATCH: ") == len(breaks)
    assert "reports with errors" not in err  # the breaks are between reports, not in one


def test_cross_year_findings_api_takes_reports_dicts_and_snapshots(planted):
    folder, reports, breaks = planted
    paths = sorted(folder.glob("tianhe_*"))
    parsed = [parse_file(p) for p in paths]
    dicts = [report_to_dict(r) for r in parsed]
    expected = {b for b in breaks if b[0] == agency_key("广州市天河区卫生健康局")}
    for given in (parsed, dicts, list(reversed(dicts))):
        got = {(f.agency_key, f.year, f.row, f.column) for f in cross_year_findings(given)}
        assert got == expected


def snap(agency: str | None, year: int | None, template: str = "2021", sha: str = "a",
         **cells) -> Snapshot:
    s = Snapshot(f"{agency}{year}{sha}.txt", sha * 64, agency, year, template)
    for name, value in cells.items():
        table, row, column = name.split("__")
        s.cells[(table, row.replace("_dot_", "."), column)] = value
    return s


def test_blank_cells_are_not_compared():
    prev = snap("甲局", 2021, applications__carried_forward__total=3,
                active_disclosure__art20_1_dot_rules__in_force=10)
    cur = snap("甲局", 2022, applications__carried_over__natural_person=5,
               active_disclosure__art20_1_dot_rules__issued=2,
               active_disclosure__art20_1_dot_rules__in_force=99)  # repealed blank
    assert cross_year_findings([prev, cur]) == []


def test_template_change_compares_only_what_both_share():
    prev = snap("甲局", 2020, "2019", applications__carried_forward__total=3,
                active_disclosure__art20_5_dot_administrative_license__prev_year_items=4,
                active_disclosure__art20_5_dot_administrative_license__change=1)
    cur = snap("甲局", 2021, "2021", applications__carried_over__total=2,
               active_disclosure__art20_5_dot_administrative_license__prev_year_items=9)
    found = cross_year_findings([prev, cur])
    assert [(f.row, f.column, f.value, f.previous_value) for f in found] == [
        ("carried_over", "total", 2, 3)]


def test_a_gap_year_is_not_bridged():
    prev = snap("甲局", 2021, applications__carried_forward__total=3)
    cur = snap("甲局", 2023, applications__carried_over__total=0)
    assert cross_year_findings([prev, cur]) == []


def test_duplicates_are_named_not_merged():
    one = snap("甲局", 2022, sha="b", applications__carried_over__total=1)
    two = snap("甲 局", 2022, sha="c", applications__carried_over__total=2)
    copy = snap("甲局", 2021, sha="d", applications__carried_forward__total=9)
    same = Snapshot("elsewhere.txt", copy.sha256, "甲局", 2021, "2021", dict(copy.cells))
    found = cross_year_findings([copy, same, one, two])
    assert [(f.code, f.source) for f in found] == [
        ("DUPLICATE_REPORT", one.source), ("DUPLICATE_REPORT", two.source)]
    assert all(one.source in f.message and two.source in f.message for f in found)


def test_a_report_without_agency_or_year_is_left_out_with_a_note():
    found = cross_year_findings([snap(None, 2022), snap("甲局", None),
                                 snap("甲局", 2022, applications__carried_over__total=1)])
    assert [(f.code, f.severity) for f in found] == [("IDENTITY_MISSING", "info")] * 2
    assert "names no agency" in found[0].message and "names no year" in found[1].message


def test_error_records_are_skipped():
    record = {"source": {"path": "x", "sha256": None}, "error": {"code": "EMPTY_INPUT",
                                                                  "message": "m"}}
    assert cross_year_findings([record]) == []


# ------------------------------------------------------------------ the key set


def test_key_set_covers_every_cell_of_both_templates_once():
    from govreport_lark.fit.active import ITEMS
    from govreport_lark.fit.applications import row_keys

    for template, items in ITEMS.items():
        for item, (rows, columns) in items.items():
            for row in rows:
                for column in columns:
                    assert lookup(template, "active_disclosure", f"{item}.{row}", column)
        for row in row_keys(template):
            assert lookup(template, "applications", row, "total") == (
                row, "total", "2021" if row.startswith("other.") else "both")
    keys = [(k.template, k.table, k.row, k.column) for k in panel_keys() if not k.derived]
    assert len(keys) == len(set(keys))
    # 新制作 (2019) and 制发 (2021) are one quantity; 对外公开总数量 is not 现行有效
    assert lookup("2019", "active_disclosure", "art20_1.rules", "new_made") == lookup(
        "2021", "active_disclosure", "art20_1.rules", "issued")
    assert lookup("2019", "active_disclosure", "art20_1.rules", "total_published")[2] == "2019"
    assert lookup("2021", "active_disclosure", "art20_1.rules", "in_force")[2] == "2021"
    assert lookup("2021", "active_disclosure", "art20_8.administrative_fees",
                  "amount_wan_yuan")[2] == "2021"


def test_a_series_pivots_into_one_row_per_quantity(planted, run_panel):
    pd = pytest.importorskip("pandas")
    out, _ = run_panel
    frame = pd.read_csv(out / "panel.csv")
    assert list(frame.columns) == list(PANEL_COLUMNS)
    mine = frame[frame["agency_key"] == "郑州市金水区政府办公室"]
    assert sorted(mine["year"].unique()) == list(YEARS)
    index = ["table", "quantity", "column"]
    assert not mine.duplicated([*index, "year"]).any()
    wide = mine.pivot(index=[*index, "scope"], columns="year", values="value")
    shared = wide.xs("both", level="scope")
    assert not shared.isna().any().any()  # no half-empty row: both templates fill them
    for template, years in (("2019", [2019, 2020]), ("2021", list(range(2021, 2026)))):
        only = wide.xs(template, level="scope")
        assert only[years].notna().all().all() and only.drop(columns=years).isna().all().all()
    # 2021's 其他处理 in total is its three rows' sum
    _, reports, _ = planted
    for year in range(2021, 2026):
        rows = reports["jinshui"][year].expected["applications"]["rows"]
        assert wide.loc[("applications", "other", "total", "both"), year] == sum(
            rows[k][6] for k in ("other.overdue_correction", "other.overdue_fee", "other.other"))
    assert wide.loc[("applications", "other", "total", "both"), 2019] == reports["jinshui"][
        2019].expected["applications"]["rows"]["other"][6]
    issued = wide.loc[("active_disclosure", "art20_1.rules", "issued", "both")]
    assert issued[2019] == reports["jinshui"][2019].expected["active_disclosure"]["art20_1"][
        "rules"]["new_made"]


def test_panel_parquet_has_the_csvs_rows_and_dtypes(planted, run_panel, tmp_path):
    pd = pytest.importorskip("pandas")
    pytest.importorskip("pyarrow")
    folder, _, _ = planted
    out, _ = run_panel
    files = [str(p) for p in sorted(folder.glob("jinshui_*"))]
    assert main(["batch", *files, "--out", str(tmp_path / "r.jsonl"),
                 "--panel", str(tmp_path / "panel.parquet")]) == 0
    parquet = pd.read_parquet(tmp_path / "panel.parquet")
    text = pd.read_csv(out / "panel.csv")
    text = text[text["agency_key"] == "郑州市金水区政府办公室"]
    assert list(parquet.columns) == list(text.columns) == list(PANEL_COLUMNS)
    for column in ("year", "template", "value"):
        assert parquet[column].dtype == text[column].dtype, column
    assert str(parquet["year"].dtype) == "int64" and str(parquet["value"].dtype) == "float64"
    key = ["year", "table", "quantity", "column"]
    a = parquet.sort_values(key)[[*key, "value", "scope", "status"]].reset_index(drop=True)
    b = text.sort_values(key)[[*key, "value", "scope", "status"]].reset_index(drop=True)
    pd.testing.assert_frame_equal(a, b, check_dtype=True)
    assert (tmp_path / "panel.parquet.findings.csv").exists()


def test_panel_extension_is_checked(tmp_path, capsys):
    code = main(["batch", str(tmp_path), "--out", str(tmp_path / "r.jsonl"),
                 "--panel", str(tmp_path / "panel.xlsx")])
    assert code == 2 and "--panel" in capsys.readouterr().err


# ------------------------------------------------------------------ quality in exports


def test_cells_carry_status_and_codes(run_panel):
    out, _ = run_panel
    rows = read_csv(out / "cells.csv")
    assert list(rows[0])[-3:] == ["cells", "status", "codes"]
    assert {r["status"] for r in rows} <= {"printed", "blank", "inferred", "unresolved"}
    assert all(r["status"] == ("blank" if r["value"] == "" else "printed") for r in rows
               if not r["codes"])


def test_status_is_each_cells_own_not_its_rows(tmp_path):
    """Two rows of 三 each print six numbers for seven cells.  5. drops its 总计, which
    only one placement allows: that cell is inferred, the six printed stay printed.  8.
    prints six zeros: every placement gives the same values but which cell went unprinted
    cannot be told, so each of its seven rests on the arithmetic (one filled, six placed)."""
    report = G.make_report(1, "2021", zero_share=0.6)
    text = G.render(report, "spaces", seed=1)
    five, eight = "5. 属于三类内部事务信息 55 0 0 2 0 3 60", "8. 属于行政查询事项 0 0 0 0 0 0 0"
    assert five in text and eight in text
    path = tmp_path / "r.txt"
    path.write_text(text.replace(five, five[:-3]).replace(eight, eight[:-2]), encoding="utf-8")
    assert main(["batch", str(path), "--out", str(tmp_path / "c.csv")]) == 0
    cells = read_csv(tmp_path / "c.csv")
    rows = [r for r in cells if r["row"] == "denied.internal_affairs"]
    assert [(r["value"], r["status"]) for r in rows] == [
        ("55", "printed"), ("0", "printed"), ("0", "printed"), ("2", "printed"),
        ("0", "printed"), ("3", "printed"), ("60", "inferred")]
    rows = [r for r in cells if r["row"] == "denied.administrative_query"]
    assert [(r["value"], r["codes"]) for r in rows] == [("0", "ROW_CELL_COUNT")] * 7
    assert [r["status"] for r in rows] == ["inferred"] * 7
    # --provenance keeps the flags in the JSON Lines records; without it they are left out
    assert main(["batch", str(path), "--out", str(tmp_path / "p.jsonl"), "--provenance"]) == 0
    kept = json.loads((tmp_path / "p.jsonl").read_text(encoding="utf-8"))
    flags = kept["provenance"]["applications"]
    assert [(bool(f.get("inferred")), bool(f.get("placed")))
            for f in flags["denied.internal_affairs"]] == [(False, False)] * 6 + [(True, False)]
    assert sorted((bool(f.get("inferred")), bool(f.get("placed")))
                  for f in flags["denied.administrative_query"]) == [(False, True)] * 6 + [
        (True, False)]
    assert main(["batch", str(path), "--out", str(tmp_path / "n.jsonl")]) == 0
    assert "provenance" not in json.loads((tmp_path / "n.jsonl").read_text(encoding="utf-8"))


def test_a_sum_over_cells_cut_by_the_arithmetic_is_not_blamed_on_the_report(capsys):
    """Pingtan 2020 prints 三 run together; each row's cut keeps its own sum, but the
    column's outcomes do not add up to （七）总计: the cut may be wrong, so the finding is
    the parser's, and check says why."""
    root = Path(__file__).resolve().parent.parent
    path = root / "corpus" / "real" / "pingtan2020.txt"
    out = report_to_dict(parse_file(path), provenance=True)
    sums = [d for d in out["diagnostics"] if d["code"] == "SUM_MISMATCH"]
    assert [(d["column"], d["responsibility"], d["params"]) for d in sums] == [
        ("natural_person", "parser",
         {"relation": "outcomes", "printed": 20, "sum": 26, "placed": True}),
        ("total", "parser", {"relation": "outcomes", "printed": 21, "sum": 27, "placed": True})]
    assert out["provenance"]["applications"]["granted"][0] == {
        "line": 10, "raw": "6", "placed": True}
    assert main(["check", str(path)]) == 1
    told = capsys.readouterr().out
    assert ("错误［责任：解析］表三 收到和处理政府信息公开申请情况：（七）总计与各项办理结果之和不符"
            in told)
    assert told.count("可能是拆分有误，未必是报告之误") == 2


def test_status_of_a_report_with_problems(tmp_path):
    """Pingtan 2019: runs of digits cut by the arithmetic are inferred, rows that cannot be
    cut unresolved; to_dataframe gives what the CSV gives."""
    pytest.importorskip("pandas")
    root = Path(__file__).resolve().parent.parent
    path = str(root / "corpus" / "real" / "008.txt")
    assert main(["batch", path, "--out", str(tmp_path / "c.csv")]) == 0
    rows = read_csv(tmp_path / "c.csv")
    by = {(r["table"], r["row"], r["column"]): r for r in rows}
    cell = by[("active_disclosure", "art20_1.normative_documents", "new_made")]
    assert (cell["value"], cell["status"], cell["codes"]) == ("", "unresolved", "ROW_UNRESOLVED")
    cell = by[("applications", "new_received", "total")]
    assert cell["status"] == "inferred" and cell["codes"] == "DIGITS_RUN_TOGETHER"
    frame = to_dataframe([parse_file(path)], table=None)
    assert list(frame.columns) == [*batch.LONG_COLUMNS, "status", "codes"]
    assert [(r.table, r.row, r.column, r.status, r.codes) for r in frame.itertuples()] == [
        (r["table"], r["row"], r["column"], r["status"], r["codes"]) for r in rows]
    # section 四's values were cut from one run of digits: each cell's own flag says so,
    # though the diagnostic names no group
    assert {by[("review_litigation", g, "total")]["status"] for g in
            ("review", "litigation_direct", "litigation_after_review")} == {"inferred"}
    # a record without provenance: the status is worked out from the diagnostics alone
    coarse = to_dataframe([report_to_dict(parse_file(path))], table="applications")
    assert list(coarse["status"]) == [r["status"] for r in rows if r["table"] == "applications"]
    reports = read_csv(tmp_path / "c.csv.reports.csv")
    assert [(r["status"], r["agency"], r["year"], r["template"]) for r in reports] == [
        ("errors", "平潭综合实验区", "2019", "2019")]
    assert int(reports[0]["errors"]) == 7 and "ROW_UNRESOLVED" in reports[0]["codes"].split("|")


def test_reports_table_and_summary_of_errors(tmp_path, capsys):
    root = Path(__file__).resolve().parent.parent
    good = tmp_path / "good.txt"
    good.write_text(G.render(G.make_report(7, "2021"), "tab"), encoding="utf-8")
    (tmp_path / "empty.txt").write_bytes(b"")
    files = [str(root / "corpus" / "real" / "pingtan2020.txt"), str(good),
             str(tmp_path / "empty.txt")]
    out = tmp_path / "out"
    out.mkdir()
    code = main(["batch", *files, "--out", str(out / "c.parquet")] if _has_pyarrow() else
                ["batch", *files, "--out", str(out / "c.csv")])
    err = capsys.readouterr().err
    assert code == 0
    table = next(out.glob("*.reports.csv"))
    rows = {Path(r["source"]).name: r for r in read_csv(table)}
    assert list(next(iter(rows.values()))) == list(batch.sinks.REPORT_COLUMNS)
    assert rows["pingtan2020.txt"]["status"] == "errors"
    assert "SUM_MISMATCH" in rows["pingtan2020.txt"]["codes"].split("|")
    assert (rows["good.txt"]["status"], rows["good.txt"]["errors"]) == ("clean", "0")
    assert (rows["empty.txt"]["status"], rows["empty.txt"]["codes"]) == ("failed", "EMPTY_INPUT")
    assert "reports with errors: 1 agencies: 平潭综合实验区 (1)" in err


def _has_pyarrow() -> bool:
    try:
        import pyarrow  # noqa: F401
    except ImportError:
        return False
    return True


def test_resume_keeps_the_reports_table_and_an_earlier_csv(tmp_path, capsys):
    """A long CSV of the version before the quality columns resumes in its own columns; the
    reports table is appended, not rewritten, and the summary still names every agency
    with errors."""
    root = Path(__file__).resolve().parent.parent
    files = [str(root / "corpus" / "real" / f"pingtan{y}.txt") for y in (2020, 2021)]
    out = tmp_path / "c.csv"
    assert main(["batch", files[0], "--out", str(out)]) == 0
    rows = list(csv.reader(out.open(encoding="utf-8", newline="")))
    with open(out, "w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(row[:len(batch.CELLS_COLUMNS)] for row in rows)
    capsys.readouterr()
    assert main(["batch", *files, "--out", str(out), "--resume",
                 "--panel", str(tmp_path / "p.csv")]) == 0
    err = capsys.readouterr().err
    assert "1 already in the output" in err and "dropped" not in err
    again = list(csv.reader(out.open(encoding="utf-8", newline="")))
    assert again[0] == list(batch.CELLS_COLUMNS)
    assert {r[0] for r in again[1:]} == set(files)
    assert len(read_csv(tmp_path / "c.csv.reports.csv")) == 2
    assert "reports with errors: 1 agencies: 平潭综合实验区 (2)" in err
    # the panel is built over every record the output holds, the resumed ones too
    assert {r["year"] for r in read_csv(tmp_path / "p.csv")} == {"2020", "2021"}
    assert "1 pairs of consecutive years of 1 agencies" in err


def test_jsonl_records_are_unchanged_by_the_panel(tmp_path):
    root = Path(__file__).resolve().parent.parent
    path = str(root / "corpus" / "real" / "pingtan2021.txt")
    assert main(["batch", path, "--out", str(tmp_path / "a.jsonl"),
                 "--panel", str(tmp_path / "p.csv")]) == 0
    record = json.loads((tmp_path / "a.jsonl").read_text(encoding="utf-8"))
    assert record == report_to_dict(parse_file(path))


def test_parquet_of_an_earlier_version_resumes_with_the_quality_columns(tmp_path, capsys):
    """A Parquet file written before status and codes existed is merged with the new rows:
    its own rows get null there, the new ones their status."""
    pa = pytest.importorskip("pyarrow")
    pq = pytest.importorskip("pyarrow.parquet")
    root = Path(__file__).resolve().parent.parent
    files = [str(root / "corpus" / "real" / f"pingtan{y}.txt") for y in (2022, 2023)]
    out = tmp_path / "c.parquet"
    assert main(["batch", files[0], "--out", str(out)]) == 0
    table = pq.read_table(out)
    old = table.select(list(batch.LONG_COLUMNS))
    pq.write_table(old.replace_schema_metadata(table.schema.metadata), out)
    capsys.readouterr()
    assert main(["batch", *files, "--out", str(out), "--resume", "--panel",
                 str(tmp_path / "p.parquet")]) == 0
    assert "1 already in the output" in capsys.readouterr().err
    merged = pq.read_table(out)
    assert merged.schema == batch.parquet_schema()
    rows = merged.to_pylist()
    assert {r["status"] for r in rows if r["source"] == files[0]} == {None}
    assert {r["status"] for r in rows if r["source"] == files[1]} <= {
        "printed", "blank", "inferred", "unresolved"}
    panel = pq.read_table(tmp_path / "p.parquet")
    assert panel.schema.field("year").type == pa.int64()
    assert sorted(set(panel.column("year").to_pylist())) == [2022, 2023]


def test_dictionary_prints_the_panel_key_set(capsys):
    assert main(["dictionary", "--panel", "--format", "csv"]) == 0
    rows = list(csv.DictReader(capsys.readouterr().out.splitlines()))
    assert len(rows) == len(panel_keys())
    assert {r["scope"] for r in rows} == {"both", "2019", "2021"}
    derived = [r for r in rows if r["derived"]]
    assert [(r["template"], r["row"], r["scope"]) for r in derived] == [("2021", "other", "both")]


def test_pingtan_series_2019_2025_has_no_cross_year_break_among_the_cells_it_can_compare():
    """The real series (README): 三's carry-overs and 规章's 现行有效 hold year to year;
    行政规范性文件 runs its digits together and stays null, so it is not compared."""
    from govreport_lark.output.panel import CrossYear, snapshot_of

    root = Path(__file__).resolve().parent.parent / "corpus" / "real"
    paths = [root / "008.txt", *(root / f"pingtan{y}.txt" for y in range(2020, 2026))]
    checks = CrossYear()
    snaps = [snapshot_of(parse_file(p)) for p in paths]
    for s in snaps:
        checks.add(s)
    assert checks.findings() == [] and checks.pairs == 6
    assert [s.value("applications", "carried_forward", "total") for s in snaps] == [
        0, 0, 1, 0, 0, 0, 6]
    assert [s.value("applications", "carried_over", "total") for s in snaps] == [
        0, 0, 0, 1, 0, 0, 0]
    assert [s.value("active_disclosure", "art20_1.rules", "in_force") for s in snaps[2:]] == [
        0] * 5
    assert all(s.value("active_disclosure", "art20_1.normative_documents", "in_force") is None
               for s in snaps)
