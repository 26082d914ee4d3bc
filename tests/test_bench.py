"""benchmarks/bench.py runs and writes its figures (a small run: one seed, one pass)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def test_bench_small_run_writes_every_figure(tmp_path):
    pytest.importorskip("lxml")
    pytest.importorskip("docx")
    out = tmp_path / "bench.json"
    done = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "bench.py"), "--only", "text,html,docx",
         "--seeds", "1", "--passes", "1", "--docx", "1", "--json", str(out)],
        capture_output=True, text=True, timeout=600, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    results = json.loads(out.read_text(encoding="utf-8"))
    for key in ("text", "html", "html_chrome", "html_015", "docx"):
        assert results[key]["rate"] > 0 and results[key]["floor_rate"] > results[key]["rate"]
        assert results[key]["x_floor"] == pytest.approx(
            results[key]["floor_rate"] / results[key]["rate"])
    assert results["text"]["files"] == 12  # one report per template in six layouts
    assert "text reports/s" in done.stdout and "floors (same run)" in done.stdout
