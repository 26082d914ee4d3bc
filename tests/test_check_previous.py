"""govreport check --previous: carry-overs checked against the same agency's earlier year."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

REAL = Path(__file__).resolve().parent.parent / "corpus" / "real"
CARRIED = "二、上年结转政府信息公开申请数量 1000001"


def _check(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "govreport_lark", "check", *args],
                          capture_output=True, text=True, encoding="utf-8")


def _broken(tmp_path: Path) -> Path:
    text = (REAL / "pingtan2022.txt").read_text(encoding="utf-8")
    assert CARRIED in text  # 2021 carried 1 application forward, 2022 says so
    path = tmp_path / "pingtan2022.txt"
    path.write_text(text.replace(CARRIED, "二、上年结转政府信息公开申请数量 3000003"),
                    encoding="utf-8")
    return path


def test_consecutive_years_that_agree_say_so():
    out = _check(str(REAL / "pingtan2022.txt"), "--previous", str(REAL / "pingtan2021.txt"))
    assert "跨年度核对：相邻年度的结转数、现行有效件数相互一致。" in out.stdout
    assert "CROSS_YEAR_MISMATCH" not in out.stdout


def test_a_carry_over_that_breaks_is_named_with_both_reports(tmp_path):
    broken = _broken(tmp_path)
    previous = REAL / "pingtan2021.txt"
    out = _check(str(broken), "--previous", str(previous))
    lines = [ln.strip() for ln in out.stdout.splitlines()]
    start = lines.index("跨年度核对：2 条警告")
    assert lines[start + 1] == (
        f"警告［责任：报告］2022年报告（{broken}）二、上年结转政府信息公开申请数量·自然人为 3，"
        f"而2021年报告（{previous}）四、结转下年度继续办理·自然人为 1，按上年推算应为 1  "
        "[CROSS_YEAR_MISMATCH]")
    assert "·总计为 3" in lines[start + 2]


def test_findings_across_years_in_json(tmp_path):
    out = _check("--format", "json", str(_broken(tmp_path)), "--previous",
                 str(REAL / "pingtan2021.txt"))
    found = json.loads(out.stdout)["cross_year"]
    assert [(f["code"], f["row"], f["column"], f["value"], f["previous_value"]) for f in found] == [
        ("CROSS_YEAR_MISMATCH", "carried_over", "natural_person", 3, 1),
        ("CROSS_YEAR_MISMATCH", "carried_over", "total", 3, 1)]


def test_a_refused_previous_file_is_said_and_exits_2(tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    out = _check(str(REAL / "pingtan2022.txt"), "--previous", str(empty))
    assert out.returncode == 2 and "EMPTY_INPUT" in out.stderr
    assert "跨年度核对" in out.stdout
