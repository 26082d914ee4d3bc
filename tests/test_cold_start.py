"""A cold ``govreport parse`` imports and builds only what a parse needs: the command line
of one subcommand reads its arguments as the whole command line does."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from conftest import CORPUS, ROOT

from govreport_lark.output.cli import COMMANDS, _command, build_parser

SEED = str(sorted((CORPUS / "seeds").glob("*.txt"))[0])

_ARGVS = [
    ["parse", "a.txt"],
    ["--debug", "parse", "a.txt", "b.pdf", "-o", "out.jsonl", "--provenance"],
    ["parse", "--max-bytes", "10", "-"],
    ["check", "--lang", "en", "--format", "json", "a.txt", "--previous", "b.txt"],
    ["check", "-v", "--html", "x.html", "a.docx"],
    ["corpus", "check", "--update"],
    ["batch", "dir", "--out", "x.parquet", "--jobs", "2", "--panel", "p.csv"],
    ["dictionary", "--panel", "--format", "csv"],
]


@pytest.mark.parametrize("argv", _ARGVS, ids=lambda argv: " ".join(argv))
def test_one_subcommand_reads_as_the_whole(argv):
    command = _command(argv)
    assert command in COMMANDS
    whole = vars(build_parser().parse_args(argv))
    alone = vars(build_parser(command).parse_args(argv))
    assert alone == whole
    assert whole["command"] == command


def test_the_command_word():
    assert _command(["--debug", "parse", "x"]) == "parse"
    assert _command(["--help"]) is None
    assert _command([]) is None
    assert _command(["--", "parse"]) is None
    assert _command(["bogus"]) == "bogus"


def _run(code: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          cwd=ROOT, check=False)


def test_parse_imports_no_other_command():
    done = _run(
        "import json, sys\n"
        "from govreport_lark.output.cli import main\n"
        f"code = main(['parse', '-o', '/dev/null', {SEED!r}])\n"
        "print(json.dumps([code, sorted(sys.modules)]))\n")
    assert done.returncode == 0, done.stderr
    code, modules = json.loads(done.stdout)
    assert code == 0
    assert "govreport_lark.pipeline" in modules
    for name in ("govreport_lark.output.check", "govreport_lark.output.corpus",
                 "govreport_lark.output.batch", "govreport_lark.output.dictionary",
                 "govreport_lark.output.findings", "govreport_lark.output.panel"):
        assert name not in modules, name


def test_help_and_errors_list_every_command():
    done = subprocess.run([sys.executable, "-m", "govreport_lark", "--help"],
                          capture_output=True, text=True, cwd=ROOT, check=True)
    for command in COMMANDS:
        assert f"    {command}" in done.stdout
    done = subprocess.run([sys.executable, "-m", "govreport_lark", "bogus"],
                          capture_output=True, text=True, cwd=ROOT, check=False)
    assert done.returncode == 2
    assert "invalid choice: 'bogus' (choose from 'parse', 'check', 'corpus', 'batch', " \
           "'dictionary')" in done.stderr


def test_collision_checker_loads_only_when_asked():
    """A parse loads no part of ``interegular`` (``lazy.py``); a strict Lark still finds a
    collision with it, as without the deferred import."""
    done = _run(
        "import json, sys\n"
        "from govreport_lark.output.cli import main\n"
        f"main(['parse', '-o', '/dev/null', {SEED!r}])\n"
        "loaded = [m for m in sys.modules if m.startswith('interegular.')]\n"
        "from lark import Lark\n"
        "from lark.exceptions import LexError\n"
        "try:\n"
        "    Lark('start: A | B\\nA: /a+/\\nB: /a/', parser='lalr', strict=True)\n"
        "    found = None\n"
        "except LexError as error:\n"
        "    found = str(error)\n"
        "print(json.dumps([loaded, found]))\n")
    assert done.returncode == 0, done.stderr
    loaded, found = json.loads(done.stdout)
    pytest.importorskip("interegular")
    assert loaded == []
    assert found is not None and "Collision" in found


def test_own_command_line_leaves_its_objects_to_the_exit(tmp_path):
    """``main()`` on the process's own command line freezes its objects for the exit (the
    interpreter's last collections skip them); the output is written whole first.  Called
    with ``argv`` (a program using it), it leaves the garbage collector alone."""
    import gc

    from govreport_lark.output.cli import main

    mine = tmp_path / "in-process.json"
    frozen = gc.get_freeze_count()
    assert main(["parse", "-o", str(mine), SEED]) == 0
    assert gc.get_freeze_count() == frozen
    out = tmp_path / "own.json"
    done = _run(
        "import gc, sys\n"
        f"sys.argv = ['govreport', 'parse', '-o', {str(out)!r}, {SEED!r}]\n"
        "from govreport_lark.output.cli import main\n"
        "code = main()\n"
        "print(code, gc.get_freeze_count() > 0, gc.isenabled())\n")
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["0", "True", "True"]
    assert json.loads(out.read_text(encoding="utf-8")) == json.loads(mine.read_text(encoding="utf-8"))
    done = _run("import gc, sys\nsys.argv = ['govreport', '--help']\n"
                "from govreport_lark.output.cli import main\n"
                "try:\n    main()\nexcept SystemExit as e:\n    print(e.code, gc.get_freeze_count() > 0)\n")
    assert done.stdout.split()[-2:] == ["0", "True"]
