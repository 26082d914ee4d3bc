"""``govreport batch`` and the Python API over a mixed folder: good reports in several
formats and encodings, files that must fail with their error code, and files to skip."""

from __future__ import annotations

import csv
import json
import math
import re
import shlex
import shutil
import sys
from pathlib import Path

import pytest
from generate import make_report, render

from govreport_lark import iter_parse, parse_file, report_to_dict, to_dataframe
from govreport_lark.output import batch
from govreport_lark.output.batch import run as batch_run
from govreport_lark.output.cli import main

ROOT = Path(__file__).resolve().parent.parent
SEEDS = sorted((ROOT / "corpus" / "seeds").glob("*.txt"))
SUMMARY = re.compile(r"^(\d+) files: (\d+) parsed \((\d+) with warnings or errors\), (\d+) failed")
FAILING = {"binary.txt": "BINARY_INPUT", "empty.txt": "EMPTY_INPUT", "notes.md": "NOT_A_REPORT"}


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("mixed")
    shutil.copy(SEEDS[0], root / SEEDS[0].name)
    shutil.copy(SEEDS[1], root / SEEDS[1].name)  # section 二 with an extra row
    shutil.copy(SEEDS[1].with_suffix(".expected.json"), root / "x.expected.json")  # skipped
    (root / "gbk.txt").write_bytes(render(make_report(5, "2019"), "tab").encode("gbk"))
    (root / "binary.txt").write_bytes(bytes(range(256)) * 8)
    (root / "empty.txt").write_bytes(b"")
    (root / "notes.md").write_text("# 会议纪要\n\n今天讨论了办公室搬迁的安排。\n", encoding="utf-8")
    sub = root / "sub"
    sub.mkdir()
    (sub / "generated.md").write_text(render(make_report(3, "2021"), "markdown"), encoding="utf-8")
    (sub / "data.csv").write_text("a,b\n1,2\n", encoding="utf-8")  # not a report suffix
    return root


@pytest.fixture(scope="module")
def expected(folder: Path) -> dict[str, dict]:
    """What ``parse_file`` gives for every good report, by path."""
    good = ["gbk.txt", SEEDS[0].name, SEEDS[1].name, "sub/generated.md"]
    return {str(folder / n): report_to_dict(parse_file(folder / n)) for n in good}


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str]:
    code = main(["batch", *argv])
    return code, capsys.readouterr().err


def counts(err: str) -> tuple[int, ...]:
    line = next(line for line in err.splitlines() if SUMMARY.match(line))
    return tuple(int(x) for x in SUMMARY.match(line).groups())


def read_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def cells(report: dict) -> set[tuple]:
    """An independent flattening of a contract dict: (table, row, column, value)."""
    out = set()
    for item, rows in report["active_disclosure"].items():
        for key, row in rows.items():
            pairs = row.items() if key != "extra" else ()
            for column, value in pairs:
                if column != "amount_raw":
                    out.add(("active_disclosure", f"{item}.{key}", column, value))
            for label, extra in (row.items() if key == "extra" else ()):
                for column, value in extra.items():
                    if column != "amount_raw":
                        out.add(("active_disclosure", f"{item}.extra.{label}", column, value))
    columns = report["applications"]["columns"]
    for key, values in report["applications"]["rows"].items():
        out |= {("applications", key, c, v) for c, v in zip(columns, values, strict=True)}
    for group, fields in report["review_litigation"].items():
        out |= {("review_litigation", group, f, v) for f, v in fields.items()}
    return out


def number(text: str) -> int | float | None:
    if text == "":
        return None
    return float(text) if "." in text or "e" in text else int(text)


def check_summary(err: str, expected: dict[str, dict]) -> None:
    findings = sum(
        any(d["severity"] in ("warning", "error") for d in r["diagnostics"])
        for r in expected.values()
    )
    assert counts(err) == (7, 4, findings, 3)


def check_error_sidecar(path: Path, folder: Path) -> None:
    with open(path, encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert {r["source"]: r["code"] for r in rows} == {str(folder / n): c for n, c in FAILING.items()}
    assert all(r["message"] and len(r["sha256"]) == 64 for r in rows)


def test_jsonl(folder, expected, tmp_path, capsys):
    out = tmp_path / "r.jsonl"
    code, err = run(capsys, str(folder), "--out", str(out))
    assert code == 0
    check_summary(err, expected)
    records = read_jsonl(out)
    good = {r["source"]["path"]: r for r in records if "error" not in r}
    assert good == expected
    assert all(len(r["source"]["sha256"]) == 64 for r in good.values())
    errors = {r["source"]["path"]: r for r in records if "error" in r}
    assert {p: r["error"]["code"] for p, r in errors.items()} == {
        str(folder / n): c for n, c in FAILING.items()}
    assert all(set(r) == {"source", "error"} and r["error"]["message"] for r in errors.values())

    # --resume: nothing new to parse, nothing appended
    code, err = run(capsys, str(folder), "--out", str(out), "--resume")
    assert code == 0
    assert counts(err) == (7, 0, 0, 0)
    assert "7 already in the output" in err
    assert read_jsonl(out) == records

    # --jobs 2: the same records (order aside)
    out2 = tmp_path / "r2.jsonl"
    assert run(capsys, str(folder), "--out", str(out2), "--jobs", "2")[0] == 0
    key = lambda r: r["source"]["path"]  # noqa: E731
    assert sorted(read_jsonl(out2), key=key) == sorted(records, key=key)


def test_resume_parses_only_new_files(folder, tmp_path, capsys):
    work = tmp_path / "work"
    work.mkdir()
    shutil.copy(SEEDS[0], work / "a.txt")
    out = tmp_path / "r.csv"
    assert counts(run(capsys, str(work), "--out", str(out))[1])[:2] == (1, 1)
    before = out.read_text(encoding="utf-8")
    shutil.copy(SEEDS[2], work / "b.txt")
    (work / "empty.txt").write_bytes(b"")
    code, err = run(capsys, str(work), "--out", str(out), "--resume")
    assert code == 0 and counts(err)[:2] == (3, 1) and counts(err)[3] == 1
    after = out.read_text(encoding="utf-8")
    assert after.startswith(before) and after.count("source,sha256") == 1
    assert str(work / "b.txt") in after
    code, err = run(capsys, str(work), "--out", str(out), "--resume")
    assert counts(err) == (3, 0, 0, 0)  # the failed file is in the sidecar: not retried


def test_csv_and_wide_csv(folder, expected, tmp_path, capsys):
    out, wide = tmp_path / "cells.csv", tmp_path / "wide.csv"
    code, err = run(capsys, str(folder), "--out", str(out), "--wide-csv", str(wide))
    assert code == 0
    check_summary(err, expected)
    with open(out, encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    # the long columns, then each report's number of rows (how --resume knows it is whole),
    # then each cell's status and the codes of the diagnostics that touch it
    assert list(rows[0]) == [*batch.LONG_COLUMNS, "cells", "status", "codes"] == list(
        batch.CSV_COLUMNS)
    for path, report in expected.items():
        mine = [r for r in rows if r["source"] == path]
        assert {r["cells"] for r in mine} == {str(len(mine))}
        assert {r["sha256"] for r in mine} == {report["source"]["sha256"]}
        assert {(r["agency"], int(r["year"]), r["template"]) for r in mine} == {
            (report["agency"], report["year"], report["template"])}
        got = [(r["table"], r["row"], r["column"], number(r["value"])) for r in mine]
        assert len(got) == len(set(got))
        assert set(got) == cells(report)
    assert any(".extra." in r["row"] for r in rows)  # seed 001's extra row of section 二
    check_error_sidecar(Path(str(out) + ".errors.csv"), folder)

    with open(wide, encoding="utf-8", newline="") as handle:
        wide_rows = {r["source"]: r for r in csv.DictReader(handle)}
    assert set(wide_rows) == set(expected)
    for path, report in expected.items():
        app = report["applications"]
        total = app["columns"].index("total")
        for key, values in app["rows"].items():
            assert number(wide_rows[path][key]) == values[total]


def test_parquet(folder, expected, tmp_path, capsys):
    pq = pytest.importorskip("pyarrow.parquet")
    out = tmp_path / "cells.parquet"
    code, err = run(capsys, str(folder), "--out", str(out))
    assert code == 0
    check_summary(err, expected)
    table = pq.read_table(out).to_pylist()
    for path, report in expected.items():
        got = {(r["table"], r["row"], r["column"], r["value"]) for r in table if r["source"] == path}
        assert got == cells(report)
    check_error_sidecar(Path(str(out) + ".errors.csv"), folder)
    code, err = run(capsys, str(folder), "--out", str(out), "--resume")
    assert counts(err) == (7, 0, 0, 0)
    assert pq.read_table(out).num_rows == len(table)


def test_long_csv_parquet_and_dataframe_load_with_one_dtype_each(folder, tmp_path, capsys):
    """The same cells from the long CSV (read by pandas), the Parquet file and
    to_dataframe: every column of one dtype family, year and template integers."""
    pd = pytest.importorskip("pandas")
    pytest.importorskip("pyarrow")
    assert run(capsys, str(folder), "--out", str(tmp_path / "c.csv"))[0] == 0
    assert run(capsys, str(folder), "--out", str(tmp_path / "c.parquet"))[0] == 0
    text = pd.read_csv(tmp_path / "c.csv").drop(columns="cells")
    parquet = pd.read_parquet(tmp_path / "c.parquet")
    files, _ = batch.collect_files([str(folder)])
    frame = to_dataframe(iter_parse(files), table=None)
    assert list(text.columns) == list(parquet.columns) == list(frame.columns)
    for column in text.columns:
        kinds = {pd.api.types.is_integer_dtype(f[column]) for f in (text, parquet, frame)}
        assert kinds in ({True}, {False}), column
        assert pd.api.types.is_float_dtype(text["value"]) and pd.api.types.is_float_dtype(
            parquet["value"]) and pd.api.types.is_float_dtype(frame["value"])
    assert pd.api.types.is_integer_dtype(parquet["template"])
    assert set(parquet["template"]) == {2019, 2021}
    key = ["source", "table", "row", "column"]
    a = text.sort_values(key).reset_index(drop=True)
    b = parquet.sort_values(key).reset_index(drop=True)
    c = frame.sort_values(key).reset_index(drop=True)
    for other in (b, c):
        assert a["value"].equals(other["value"].astype("float64"))
        assert list(a["template"]) == list(other["template"])
        assert list(a["status"]) == list(other["status"])


def test_parquet_of_an_earlier_version_is_resumed_with_template_as_integer(folder, tmp_path,
                                                                           capsys):
    pa = pytest.importorskip("pyarrow")
    pq = pytest.importorskip("pyarrow.parquet")
    out = tmp_path / "cells.parquet"
    assert run(capsys, str(folder), "--out", str(out))[0] == 0
    table = pq.read_table(out)
    keep = [r for r in table.to_pylist() if r["source"] == table.column("source")[0].as_py()]
    old = pa.Table.from_pylist([{**r, "template": str(r["template"])} for r in keep])
    assert old.schema.field("template").type == pa.string()
    pq.write_table(old, out)  # one report, written with template as text
    code, err = run(capsys, str(folder), "--out", str(out), "--resume")
    assert code == 0
    merged = pq.read_table(out)
    assert merged.schema.field("template").type == pa.int64()
    assert sorted(map(str, merged.to_pylist())) == sorted(map(str, table.to_pylist()))


def test_parquet_without_pyarrow(folder, tmp_path, capsys, monkeypatch):
    monkeypatch.setitem(sys.modules, "pyarrow", None)
    code, err = run(capsys, str(folder), "--out", str(tmp_path / "x.parquet"))
    assert code == 2 and "pyarrow" in err and "pip install" in err


def test_bad_arguments(folder, tmp_path, capsys):
    assert run(capsys, str(tmp_path / "missing"), "--out", str(tmp_path / "x.jsonl"))[0] == 2
    assert run(capsys, str(folder), "--out", str(tmp_path / "x.xlsx"))[0] == 2
    code, err = run(capsys, str(folder), "--out", str(tmp_path / "x.jsonl"), "--scheduler", "x")
    assert code == 2 and "--engine dask" in err


def test_globs_and_skips(folder):
    files, problems = batch.collect_files([str(folder / "**" / "*.md"), str(folder / "nope*")])
    assert files == [str(folder / "notes.md"), str(folder / "sub" / "generated.md")]
    assert len(problems) == 1
    files, _ = batch.collect_files([str(folder)])
    assert len(files) == 7 and not any(f.endswith((".json", ".csv")) for f in files)


def test_dask_engine(folder, tmp_path, capsys, monkeypatch):
    distributed = pytest.importorskip("distributed")
    local = tmp_path / "local.jsonl"
    assert run(capsys, str(folder), "--out", str(local))[0] == 0
    with distributed.LocalCluster(processes=False, n_workers=1, threads_per_worker=1,
                                  dashboard_address=None) as cluster:
        out = tmp_path / "dask.jsonl"
        code, err = run(capsys, str(folder), "--out", str(out), "--engine", "dask",
                        "--scheduler", cluster.scheduler_address)
        assert code == 0 and counts(err)[:2] == (7, 4)
        assert out.read_text(encoding="utf-8") == local.read_text(encoding="utf-8")
    # no --scheduler: a LocalCluster of our own
    monkeypatch.setattr(batch_run, "LOCAL_CLUSTER_KWARGS", {
        "processes": False, "n_workers": 1, "threads_per_worker": 1, "dashboard_address": None})
    out = tmp_path / "dask2.jsonl"
    assert run(capsys, str(folder), "--out", str(out), "--engine", "dask")[0] == 0
    assert out.read_text(encoding="utf-8") == local.read_text(encoding="utf-8")


def test_iter_parse_and_dataframe(folder, expected, monkeypatch):
    files, _ = batch.collect_files([str(folder)])
    records = list(iter_parse(files))
    assert [r["source"]["path"] for r in records] == files  # input order
    parsed = [r for r in records if "error" not in r]
    # each record carries its cells' provenance, from which to_dataframe takes their status
    assert all(set(r["provenance"]) == set(batch.TABLES) for r in parsed)
    assert {r["source"]["path"]: {k: v for k, v in r.items() if k != "provenance"}
            for r in parsed} == expected
    assert {Path(r["source"]["path"]).name: r["error"]["code"]
            for r in records if "error" in r} == FAILING
    assert list(iter_parse(files, jobs=2)) == records
    assert next(iter_parse(files[0]))["source"]["path"] == files[0]  # one path, not a list

    pd = pytest.importorskip("pandas")
    frame = to_dataframe(records)
    assert list(frame.columns) == [*batch.LONG_COLUMNS, "status", "codes"]
    assert set(frame["table"]) == {"applications"}
    for path, report in expected.items():
        mine = frame[frame["source"] == path]
        got = {(r.table, r.row, r.column, None if math.isnan(r.value) else r.value)
               for r in mine.itertuples()}
        assert got == {c for c in cells(report) if c[0] == "applications"}
        assert set(mine["year"]) == {report["year"]}
    everything = to_dataframe(records, table=None)
    assert set(everything["table"]) == set(batch.TABLES)
    review = to_dataframe([parse_file(folder / SEEDS[0].name)], table="review_litigation")
    assert len(review) == 15 and isinstance(review, pd.DataFrame)
    with pytest.raises(ValueError):
        to_dataframe(records, table="nope")
    monkeypatch.setitem(sys.modules, "pandas", None)
    with pytest.raises(ImportError, match="pip install pandas"):
        to_dataframe(records)


def test_pool_keeps_input_order_around_the_parents_file(tmp_path):
    """With --jobs the parent parses one small text file itself before the workers start;
    its record still comes in its place, whether first, among or after the workers'."""
    names = []
    for i in range(5):
        (tmp_path / f"{i}.docx").write_bytes(b"not a zip")  # fails fast; not a warm-up file
        names.append(str(tmp_path / f"{i}.docx"))
    text = tmp_path / "t.txt"
    shutil.copy(SEEDS[0], text)
    for where in (0, 2, 5):
        files = [*names[:where], str(text), *names[where:]]
        assert batch_run._warm_file(files) == where
        records = list(batch.run_local(files, jobs=2))
        assert [r["source"]["path"] for r in records] == files
        assert [i for i, r in enumerate(records) if "error" not in r] == [where]


def test_resume_command_quotes_what_the_shell_must_not_split():
    from govreport_lark.output.cli import build_parser

    argv = ["batch", "my reports/", "a*.txt", "--out", "out put.csv", "--jobs", "3",
            "--wide-csv", "w.csv", "--max-bytes", "1000"]
    args = build_parser().parse_args(argv)
    command = batch.command.resume_command(args)
    assert shlex.split(command) == ["govreport", *argv, "--resume"]
