"""The bundled corpus against its expected files, ``govreport corpus check``, and
regressions on single corpus reports."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from govreport_lark.output.cli import main
from govreport_lark.output.corpus import check_corpus, dump_expected, updated_expected
from govreport_lark.output.emit import report_to_dict
from govreport_lark.pipeline import parse_file

CORPUS = Path(__file__).resolve().parent.parent / "corpus"

# Cells each expected file checks: 三 is 23 (2019) or 25 (2021) rows of 7, 四 is 15, and
# the seeds also check section 二 (with amount_raw counted as a cell).
CELLS = {
    "real/002.md": 190,
    "real/005.txt": 190,
    "real/006.txt": 190,
    "real/007.txt": 190,
    "real/008.txt": 176,
    "real/015.html": 190,
    "real/pingtan2020.txt": 176,
    "real/pingtan2021.txt": 190,
    "real/pingtan2022.txt": 190,
    "real/pingtan2023.txt": 190,
    "real/pingtan2024.txt": 190,
    "real/pingtan2025.txt": 190,
    "real/hzq2023_working.pdf": 190,
    "real/hzq2024_working.pdf": 190,
    "real/szfgs2024.pdf": 190,
    "seeds/000_f74dd9a0e29e27b2.txt": 199,
    "seeds/001_39116a97556fef52.txt": 202,
    "seeds/002_529dae6be8c784ed.txt": 200,
    "seeds/003_1de0acae2c9f672b.txt": 199,
    "seeds/004_79fe10b1f893cf61.txt": 199,
}


@pytest.fixture(scope="module")
def results():
    return {path.relative_to(CORPUS).as_posix(): (comparison, error)
            for path, comparison, error in check_corpus(CORPUS)}


def test_corpus_holds_the_seeds_and_real_reports(results):
    assert sorted(results) == sorted(CELLS)


@pytest.mark.parametrize("name", sorted(CELLS))
def test_corpus_report_passes(results, name):
    comparison, error = results[name]
    assert error is None
    assert comparison is not None
    assert comparison.differences == []
    assert (comparison.right, comparison.cells) == (CELLS[name], CELLS[name])


def test_cli_corpus_check(capsys):
    assert main(["corpus", "check"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[-1] == f"{len(CELLS)} passed, 0 failed"
    header = out[0].split()
    assert header[:4] == ["file", "format", "template", "cells"]
    assert header[-1] == "status"
    row = next(line for line in out if line.startswith("real/015.html"))
    assert row.split()[1:4] == ["html", "2021", "190/190"]
    assert row.split()[-1] == "pass"


def _copy(tmp_path: Path, name: str) -> Path:
    src = CORPUS / name
    dst = tmp_path / src.name
    shutil.copyfile(src, dst)
    shutil.copyfile(src.with_name(src.stem + ".expected.json"),
                    dst.with_name(dst.stem + ".expected.json"))
    return dst


def test_cli_corrupted_expected_file_fails(tmp_path, capsys):
    report = _copy(tmp_path, "real/015.html")
    expected = report.with_name("015.expected.json")
    text = expected.read_text(encoding="utf-8")
    # 行政复议 尚未审结 is 1 in the report; change only that number.
    old = '"review": {"maintained": 0, "corrected": 0, "other": 0, "pending": 1, "total": 1}'
    assert old in text
    expected.write_text(text.replace(old, old.replace('"pending": 1', '"pending": 4')),
                        encoding="utf-8")
    assert main(["corpus", "check", str(tmp_path)]) == 1
    out = capsys.readouterr().out
    assert re.search(r"^015\.html\s+html\s+2021\s+189/190\s.*FAIL$", out, re.M)
    assert "    review_litigation.review.pending: expected 4, got 1" in out
    assert out.splitlines()[-1] == "0 passed, 1 failed"


def test_cli_unparsable_report_fails_with_its_message(tmp_path, capsys):
    _copy(tmp_path, "seeds/002_529dae6be8c784ed.txt")
    (tmp_path / "junk.txt").write_text("这不是年度报告。\n", encoding="utf-8")
    (tmp_path / "junk.expected.json").write_text("{}\n", encoding="utf-8")
    (tmp_path / "no_expected.txt").write_text("ignored: no expected file\n", encoding="utf-8")
    assert main(["corpus", "check", str(tmp_path)]) == 1
    out = capsys.readouterr().out
    assert "[NOT_A_REPORT]" in out
    assert "no_expected" not in out
    assert out.splitlines()[-1] == "1 passed, 1 failed"


def test_cli_missing_folder(tmp_path, capsys):
    assert main(["corpus", "check", str(tmp_path / "nope")]) == 2
    assert "no such folder" in capsys.readouterr().err


def test_cli_update_rewrites_changed_values_only(tmp_path, capsys):
    report = _copy(tmp_path, "seeds/000_f74dd9a0e29e27b2.txt")
    expected = report.with_name(report.stem + ".expected.json")
    original = expected.read_text(encoding="utf-8")
    data = json.loads(original)
    data["applications"]["rows"]["granted"][0] = 99
    data["notes"] = "hand-written note"
    expected.write_text(dump_expected(data), encoding="utf-8")

    assert main(["corpus", "check", str(tmp_path), "--update"]) == 0
    out = capsys.readouterr().out
    assert f"updated {expected.name}" in out
    assert out.splitlines()[-1] == "1 of 1 expected files changed"
    now = json.loads(expected.read_text(encoding="utf-8"))
    assert list(now) == list(data)  # the same keys, in the same order
    assert now["notes"] == "hand-written note"
    assert now["applications"]["rows"]["granted"][0] == 0
    # hand-checked nulls the comparison accepts (unprinted cells of flagged rows) stay null
    want = json.loads(original)
    want["notes"] = "hand-written note"
    assert now == want

    assert main(["corpus", "check", str(tmp_path), "--update"]) == 0
    assert capsys.readouterr().out.splitlines() == ["0 of 1 expected files changed"]


def test_dump_expected_keeps_the_corpus_layout():
    for path in CORPUS.rglob("*.expected.json"):
        text = path.read_text(encoding="utf-8")
        assert dump_expected(json.loads(text)) == text, path.name


def test_updated_expected_keeps_only_existing_keys():
    actual = report_to_dict(parse_file(CORPUS / "real" / "002.md"))
    old = json.loads((CORPUS / "real" / "002.expected.json").read_text(encoding="utf-8"))
    new = updated_expected(old, actual)
    assert list(new) == list(old)
    assert "active_disclosure" not in new and "title" not in new


# ------------------------------------------------------------------ real/008.txt


def test_008_run_together_digits_and_provenance():
    path = CORPUS / "real" / "008.txt"
    lines = path.read_text(encoding="utf-8").splitlines()
    row_line = next(i for i, line in enumerate(lines, 1) if "申请数量230 000023" in line)
    art20_line = next(i for i, line in enumerate(lines, 1) if "规范性文件898989" in line)

    out = report_to_dict(parse_file(path), provenance=True)

    assert out["applications"]["rows"]["new_received"] == [23, 0, 0, 0, 0, 0, 23]
    cells = out["provenance"]["applications"]["new_received"]
    assert [c["line"] for c in cells] == [row_line] * 7
    assert [c["raw"] for c in cells] == ["23", "0", "0", "0", "0", "0", "23"]
    run = [d for d in out["diagnostics"]
           if d["code"] == "DIGITS_RUN_TOGETHER" and d.get("row") == "new_received"]
    assert len(run) == 1
    assert run[0]["section"] == "三"
    assert run[0]["line"] == row_line
    assert "230 000023" in run[0]["message"]

    # 规范性文件 898989 (新制作/新公开/对外公开总数量) splits several ways (89 89 89,
    # 8 98 989, …) and no arithmetic picks one: the row stays null, never a guess.
    assert out["active_disclosure"]["art20_1"]["normative_documents"] == {
        "new_made": None, "new_published": None, "total_published": None}
    unresolved = [d for d in out["diagnostics"]
                  if d["code"] == "ROW_UNRESOLVED" and d.get("row") == "normative_documents"]
    assert len(unresolved) == 1
    assert unresolved[0]["section"] == "二"
    assert unresolved[0]["severity"] == "error"
    assert unresolved[0]["line"] == art20_line
    assert "898989" in unresolved[0]["message"]
    assert all(c["line"] is None or "raw" not in c
               for c in out["provenance"]["active_disclosure"]["art20_1"]
               ["normative_documents"].values())
