"""A non-editable install carries the grammars: parse a seed from the installed wheel."""

import json
import os
import subprocess
import sys

from conftest import CORPUS, ROOT


def test_wheel_install_parses_a_seed(tmp_path):
    target = tmp_path / "site"
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "-q", "--no-deps",
         "--target", str(target), str(ROOT)],
        check=True, capture_output=True,
    )
    assert (target / "govreport_lark" / "grammars" / "applications.lark").is_file()
    seed = CORPUS / "seeds" / "002_529dae6be8c784ed.txt"
    env = {**os.environ, "PYTHONPATH": str(target)}
    out = subprocess.run(
        [sys.executable, "-c",
         "import govreport_lark, json, sys;"
         "assert 'site' in govreport_lark.__file__;"
         f"print(govreport_lark.to_json(govreport_lark.parse_file({str(seed)!r})))"],
        check=True, capture_output=True, text=True, cwd=tmp_path, env=env,
    )
    data = json.loads(out.stdout)
    assert data["applications"]["rows"]["new_received"] == [1, 0, 0, 0, 0, 0, 1]
    assert data["template"] == "2021"
