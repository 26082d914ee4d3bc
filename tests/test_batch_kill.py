"""``govreport batch`` cut short and resumed: a record is in an output whole or not at all.

The cut tests cut each output where an interrupted run can leave it (a report's rows half
written, a row cut inside a character, a Parquet part not finished, a merge not cleaned up)
and check that ``--resume`` drops what is cut with one warning and ends with exactly the
output of a run never interrupted.  The kill tests do it for real: a folder of 200+ reports
is run with ``--jobs 2`` and killed (SIGKILL, SIGTERM, Ctrl-C) several times, no process of
the run may outlive it, and the resumed output must hold the uninterrupted run's records,
none twice and none lost."""

from __future__ import annotations

import csv
import io
import json
import os
import shlex
import shutil
import signal
import subprocess
import sys
import time
import uuid
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pytest
from generate import make_report, render

from govreport_lark.output import batch
from govreport_lark.output.batch import command as batch_command
from govreport_lark.output.batch import sinks as batch_sinks
from govreport_lark.output.cli import main

ROOT = Path(__file__).resolve().parent.parent
SEEDS = sorted((ROOT / "corpus" / "seeds").glob("*.txt"))
LAYOUTS = (("tab", ".txt"), ("markdown", ".md"), ("html", ".html"), ("spaces", ".txt"),
           ("lines", ".txt"))
TAG = "GOVREPORT_BATCH_KILL_TEST"


def make_folder(root: Path, reports: int) -> Path:
    """``reports`` generated reports in txt, md and html; a copy of one under another name;
    files that fail (binary, empty, not a report, a broken symlink whose sha256 is null)."""
    root.mkdir()
    for i in range(reports):
        layout, suffix = LAYOUTS[i % len(LAYOUTS)]
        text = render(make_report(i, "2021" if i % 3 else "2019"), layout)
        (root / f"r{i:03d}{suffix}").write_text(text, encoding="utf-8")
    shutil.copy(root / "r001.md", root / "r001-copy.md")  # the same bytes, another name
    (root / "r050-binary.txt").write_bytes(bytes(range(256)) * 8)
    (root / "r100-empty.txt").write_bytes(b"")
    (root / "r150-notes.md").write_text("# 会议纪要\n\n今天讨论了办公室搬迁。\n", encoding="utf-8")
    (root / "r199-gone.txt").symlink_to(root / "missing.txt")
    return root


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str]:
    code = main(["batch", *argv])
    return code, capsys.readouterr().err


def warnings(err: str) -> list[str]:
    return [line for line in err.splitlines() if "dropped" in line]


def read_csv(path: Path) -> list[tuple[str, ...]]:
    if not path.exists():
        return []
    with open(path, encoding="utf-8", newline="") as handle:
        return [tuple(row) for row in csv.reader(handle)]


def outputs(out: Path, wide: Path | None = None) -> dict[str, Counter]:
    """Every record of a run's outputs, as multisets (records compared whole)."""
    found: dict[str, Counter] = {}
    if out.suffix == ".jsonl":
        lines = out.read_text(encoding="utf-8").splitlines()
        found["records"] = Counter(json.dumps(json.loads(x), sort_keys=True) for x in lines)
    elif out.suffix == ".csv":
        found["cells"] = Counter(read_csv(out))
    else:
        import pyarrow.parquet as pq

        found["cells"] = Counter(tuple(r.values()) for r in pq.read_table(out).to_pylist())
    if out.suffix != ".jsonl":
        found["errors"] = Counter(read_csv(Path(f"{out}.errors.csv")))
    if wide is not None:
        found["wide"] = Counter(read_csv(wide))
    return found


def check_whole(found: dict[str, Counter], files: int) -> None:
    """The reference itself: every file once, no row twice."""
    assert all(max(counter.values(), default=1) == 1 for counter in found.values())
    if "records" in found:
        paths = {json.loads(r)["source"]["path"] for r in found["records"]}
        assert len(paths) == len(found["records"])
    else:
        paths = {row[0] for name in ("cells", "errors") for row in found[name]} - {"source"}
    assert len(paths) == files


# ------------------------------------------------------------------ cuts, in process


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("small") / "in"
    make_folder(root, 6)
    shutil.copy(SEEDS[1], root / "r005-seed.txt")  # section 二 with an extra row
    return root


@pytest.fixture(scope="module")
def reference(small: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An uninterrupted CSV run with a wide CSV: ``cells.csv``, its sidecar, ``wide.csv``."""
    folder = tmp_path_factory.mktemp("reference")
    assert main(["batch", str(small), "--out", str(folder / "cells.csv"),
                 "--wide-csv", str(folder / "wide.csv")]) == 0
    return folder


def copy_reference(reference: Path, tmp_path: Path) -> tuple[Path, Path, Path]:
    for name in ("cells.csv", "cells.csv.errors.csv", "cells.csv.reports.csv", "wide.csv"):
        shutil.copy(reference / name, tmp_path / name)
    return tmp_path / "cells.csv", tmp_path / "cells.csv.errors.csv", tmp_path / "wide.csv"


def row_offsets(data: bytes) -> list[tuple[int, int, tuple[str, ...]]]:
    """(start, end, fields) of the rows of a CSV file's bytes."""
    rows, start = [], 0
    for line in data.splitlines(keepends=True):
        fields = next(csv.reader(io.StringIO(line.decode("utf-8"), newline="")))
        rows.append((start, start + len(line), tuple(fields)))
        start += len(line)
    return rows


def last_report(data: bytes) -> list[tuple[int, int, tuple[str, ...]]]:
    rows = row_offsets(data)
    return [r for r in rows if r[2][0] == rows[-1][2][0]]


def cut_at(kind: str, data: bytes) -> tuple[int, str | None]:
    """Where to cut the long CSV, and what the warning must say (None: no warning)."""
    last = last_report(data)
    n = len(last)
    if kind == "cells":  # the case: 167 of 198 cells written
        keep = n - 31
        return last[keep][0], f"dropped the last {keep} of {n} rows"
    if kind == "mid-row":
        start, end, _ = last[n // 2]
        return start + (end - start) // 2, f"dropped the last {n // 2} of {n} rows and a cut line"
    if kind == "utf8":  # inside the agency's first character, in a row halfway
        start = last[n // 2][0]
        return (data.index(last[0][2][2].encode("utf-8"), start) + 1,
                f"dropped the last {n // 2} of {n} rows and a cut line")
    if kind == "cr":  # the last row's \r written, its \n not
        return len(data) - 1, f"dropped the last {n - 1} of {n} rows and a cut line"
    if kind == "boundary":  # a whole report, then nothing
        return last[0][0], None
    if kind == "next-row":  # a whole report, then a piece of the next one's first row
        return last[0][0] + 30, "the start of a report cut"
    if kind == "header":
        return 12, None
    raise AssertionError(kind)


@pytest.mark.parametrize("kind", ["cells", "mid-row", "utf8", "cr", "boundary", "next-row",
                                  "header"])
def test_csv_report_cut_short(reference, small, tmp_path, capsys, kind):
    out, errors, wide = copy_reference(reference, tmp_path)
    data = out.read_bytes()
    offset, message = cut_at(kind, data)
    out.write_bytes(data[:offset])
    assert batch.done_keys(str(out), "csv") <= batch.done_keys(str(reference / "cells.csv"),
                                                              "csv")
    code, err = run(capsys, str(small), "--out", str(out), "--wide-csv", str(wide), "--resume")
    assert code == 0 and "Traceback" not in err
    if message is None:
        assert warnings(err) == []
    else:
        assert len(warnings(err)) == 1 and err.count(str(out)) == 1, err
        assert warnings(err)[0].startswith(f"govreport batch: {out}: ") and message in err, err
    # what was cut is parsed again and appended: the uninterrupted run's bytes
    assert out.read_bytes() == (reference / "cells.csv").read_bytes()
    assert errors.read_bytes() == (reference / "cells.csv.errors.csv").read_bytes()
    assert wide.read_bytes() == (reference / "wide.csv").read_bytes()


@pytest.mark.parametrize("which", ["errors", "wide"])
@pytest.mark.parametrize("cut", ["mid-row", "whole-row"])
def test_one_row_outputs_cut_short(reference, small, tmp_path, capsys, which, cut):
    """The error sidecar and the wide CSV: a cut last row is dropped; a row the run never
    wrote (killed between the long CSV and the wide one) is written, the long CSV's rows
    not twice."""
    out, errors, wide = copy_reference(reference, tmp_path)
    target = errors if which == "errors" else wide
    data = target.read_bytes()
    start, end, _ = row_offsets(data)[-1]
    target.write_bytes(data[: (start + end) // 2 if cut == "mid-row" else start])
    code, err = run(capsys, str(small), "--out", str(out), "--wide-csv", str(wide), "--resume")
    assert code == 0
    if cut == "mid-row":
        assert len(warnings(err)) == 1 and f"govreport batch: {target}: dropped its last row" in err
    else:
        assert warnings(err) == []
    # the row's file is parsed again: the last error is the broken symlink, the last wide
    # row a report
    assert ("0 parsed" in err and "1 failed" in err) if which == "errors" else (
        "1 parsed" in err and "0 failed" in err), err
    for name, path in (("cells.csv", out), ("cells.csv.errors.csv", errors), ("wide.csv", wide)):
        assert path.read_bytes() == (reference / name).read_bytes(), name


def test_csv_of_an_earlier_version(reference, small, tmp_path, capsys):
    """A long CSV without the cells column cannot show its last report whole: that report
    is dropped with a warning, parsed again and written in the file's own columns."""
    out, _, wide = copy_reference(reference, tmp_path)
    old = [row[:len(batch.LONG_COLUMNS)] for row in read_csv(reference / "cells.csv")]
    with open(out, "w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(old)
    before = out.read_bytes()
    code, err = run(capsys, str(small), "--out", str(out), "--wide-csv", str(wide), "--resume")
    assert code == 0 and len(warnings(err)) == 1 and "without the cells column" in err
    assert out.read_bytes() == before
    assert read_csv(out)[0] == batch.LONG_COLUMNS


def test_resume_refuses_a_foreign_csv(small, tmp_path, capsys):
    out = tmp_path / "cells.csv"
    out.write_text("a,b\n1,2\n", encoding="utf-8")
    code, err = run(capsys, str(small), "--out", str(out), "--resume")
    assert code == 2 and f"{out}: its columns are not" in err
    assert out.read_text(encoding="utf-8") == "a,b\n1,2\n"


# ------------------------------------------------------------------ Parquet, in process


@pytest.fixture(scope="module")
def parquet_reference(small: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    pytest.importorskip("pyarrow.parquet")
    out = tmp_path_factory.mktemp("pq") / "cells.parquet"
    assert main(["batch", str(small), "--out", str(out)]) == 0
    return out


def test_parquet_resumes_from_its_parts(parquet_reference, small, tmp_path, capsys):
    """A run cut short leaves committed parts, a part it did not finish and maybe a merge it
    did not finish: --resume keeps the parts, drops the rest, parses only what is missing."""
    out = tmp_path / "cells.parquet"
    files, _ = batch.collect_files([str(small)])
    sink = batch.ParquetSink(str(out), part_rows=150)
    sink.open(False)
    for record in batch.run_local(files[:3]):
        sink.write(record)
    sink.close(complete=False)
    parts = sorted(Path(f"{out}.parts").iterdir())
    assert len(parts) == 3 and not out.exists()  # each report's rows committed: >= 150 rows
    (parts[0].parent / "part-000004.parquet.tmp").write_bytes(b"PAR1 cut short")
    Path(f"{out}.partial").write_bytes(b"PAR1 cut short")
    code, err = run(capsys, str(small), "--out", str(out), "--resume")
    assert code == 0 and "3 already in the output" in err
    assert len(warnings(err)) == 1 and "part-000004.parquet.tmp: dropped a part" in err
    assert outputs(out) == outputs(parquet_reference)
    assert not Path(f"{out}.parts").exists() and not Path(f"{out}.partial").exists()


def test_parquet_merge_not_cleaned_up(parquet_reference, small, tmp_path, capsys, monkeypatch):
    """Killed after the merge replaced the file, before its parts were removed: the parts
    already in the file are not counted twice."""
    out = tmp_path / "cells.parquet"
    monkeypatch.setenv("GOVREPORT_PARQUET_PART_ROWS", "150")
    with monkeypatch.context() as patch:
        patch.setattr(batch_sinks.shutil, "rmtree", lambda path: None)
        assert run(capsys, str(small), "--out", str(out))[0] == 0
    assert len(list(Path(f"{out}.parts").iterdir())) >= 3
    code, err = run(capsys, str(small), "--out", str(out), "--resume")
    assert code == 0 and "0 parsed" in err
    assert outputs(out) == outputs(parquet_reference)
    assert not Path(f"{out}.parts").exists()


# ------------------------------------------------------------------ real kills


def tagged(tag: str) -> list[int]:
    """The live processes started with ``TAG=tag`` in their environment (the run's, and
    its workers', whoever their parent is now)."""
    try:
        import psutil
    except ImportError:
        psutil = None
    found = []
    if psutil is not None:
        for proc in psutil.process_iter():
            try:
                if proc.status() != psutil.STATUS_ZOMBIE and proc.environ().get(TAG) == tag:
                    found.append(proc.pid)
            except (psutil.Error, OSError):
                continue
        return found
    needle = f"{TAG}={tag}".encode()
    for name in os.listdir("/proc"):
        if name.isdigit():
            try:
                environ = Path(f"/proc/{name}/environ").read_bytes().split(b"\0")
            except OSError:
                continue
            if needle in environ:
                found.append(int(name))
    return found


def check_no_orphans(tag: str) -> None:
    deadline = time.monotonic() + 5
    left = tagged(tag)
    while left and time.monotonic() < deadline:
        time.sleep(0.05)
        left = tagged(tag)
    for pid in left:  # not to leave them behind for the next test
        try:
            os.kill(pid, signal.SIGKILL)
        except OSError:
            pass
    assert not left, f"processes outlived the killed run: {left}"


def govreport(argv: list[str]) -> list[str]:
    return [sys.executable, "-m", "govreport_lark", "batch", *argv]


def kill_and_resume(tmp_path: Path, argv: list[str], progress: Callable[[], int],
                    env: dict[str, str], step: int) -> None:
    """Run, kill when ``progress`` grew by ``step`` (SIGKILL, then SIGTERM, then Ctrl-C to
    the process group, resuming each time), then resume to the end."""
    command = govreport(argv)
    for i, (sig, group) in enumerate([(signal.SIGKILL, False), (signal.SIGTERM, False),
                                      (signal.SIGINT, True)]):
        tag = uuid.uuid4().hex
        log = tmp_path / f"stderr{i}.txt"
        target = progress() + step
        with open(log, "wb") as handle:
            proc = subprocess.Popen(command, env={**os.environ, **env, TAG: tag}, cwd=ROOT,
                                    stdout=subprocess.DEVNULL, stderr=handle,
                                    start_new_session=True)
        try:
            deadline = time.monotonic() + 60
            while progress() < target:
                assert proc.poll() is None, f"the run ended before the kill: {log.read_text()}"
                assert time.monotonic() < deadline, "no progress"
                time.sleep(0.01)
            assert len(tagged(tag)) >= 3  # the run and its two workers
            if group:
                os.killpg(proc.pid, sig)  # Ctrl-C in a terminal: the whole foreground group
            else:
                os.kill(proc.pid, sig)
            code = proc.wait(timeout=90)  # a guard against a hang, generous for a loaded machine
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
        check_no_orphans(tag)
        err = log.read_text(encoding="utf-8")
        assert "Traceback" not in err, err
        if sig == signal.SIGKILL:
            assert code == -signal.SIGKILL
        else:
            assert code == 128 + sig, err
            last = err.splitlines()[-1]
            assert last.startswith("govreport batch: ") and last.endswith(" --resume"), err
            assert ("interrupted" if sig == signal.SIGINT else "terminated") in last
            printed = shlex.split(last.split("to go on: ", 1)[1])
            assert printed == ["govreport", "batch", *argv, "--resume"]
        command = govreport([*argv, "--resume"])
    final = subprocess.run(command, env={**os.environ, **env}, cwd=ROOT, capture_output=True,
                           timeout=300)
    assert final.returncode == 0, final.stderr.decode()


def gone(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().split(") ")[1][0] in "ZX"
    except (OSError, IndexError):
        return True


def test_worker_notices_its_parent_is_gone_without_the_kernels_help():
    """Where no kernel signal is to be had, a worker's thread sees its parent change."""
    if not hasattr(os, "fork") or not Path("/proc/self/stat").exists():
        pytest.skip("needs fork and /proc")
    code = (
        "import os, threading, time\n"
        "from govreport_lark.output.batch import run\n"
        "r, w = os.pipe()\n"
        "if os.fork() == 0:\n"
        "    child = os.fork()\n"
        "    if child == 0:\n"
        "        null = os.open(os.devnull, os.O_WRONLY)\n"
        "        os.dup2(null, 1), os.dup2(null, 2)  # not to hold the output open\n"
        "        threading.Thread(target=run._watch_parent, args=(os.getppid(), 0.05),\n"
        "                         daemon=True).start()\n"
        "        time.sleep(30)\n"
        "        os._exit(3)\n"
        "    os.write(w, str(child).encode())\n"
        "    time.sleep(0.3)\n"
        "    os._exit(0)\n"
        "os.wait()\n"
        "print(os.read(r, 64).decode())\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          cwd=ROOT, timeout=60)
    pid = int(done.stdout)
    deadline = time.monotonic() + 5
    while not gone(pid) and time.monotonic() < deadline:
        time.sleep(0.02)
    if not gone(pid):
        os.kill(pid, signal.SIGKILL)
        raise AssertionError("the worker outlived its parent")


@pytest.fixture(scope="module")
def mixed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_folder(tmp_path_factory.mktemp("mixed") / "in", 205)


@pytest.fixture(scope="module")
def parsed(mixed: Path) -> dict[str, dict]:
    """Every file's record, parsed once for the uninterrupted runs of every format."""
    files, _ = batch.collect_files([str(mixed)])
    return {record["source"]["path"]: record for record in batch.run_local(files, 2)}


def lines(path: Path) -> int:
    try:
        with open(path, "rb") as handle:
            return handle.read().count(b"\n")
    except FileNotFoundError:
        return 0


@pytest.mark.parametrize("fmt", ["jsonl", "csv", "parquet"])
def test_killed_and_resumed(mixed, parsed, tmp_path, monkeypatch, fmt):
    """Uninterrupted, then killed three times and resumed: the same records."""
    if not hasattr(os, "killpg") or not Path("/proc/self/environ").exists():
        pytest.skip("needs POSIX process groups and /proc")
    env: dict[str, str] = {}
    if fmt == "parquet":
        pytest.importorskip("pyarrow.parquet", reason="Parquet output needs pyarrow")
        env["GOVREPORT_PARQUET_PART_ROWS"] = "2000"  # a part every ten reports or so

    def argv(name: str) -> tuple[list[str], Path, Path | None]:
        out = tmp_path / f"{name}.{fmt}"
        wide = tmp_path / f"{name}-wide.csv" if fmt == "csv" else None
        extra = ["--wide-csv", str(wide)] if wide else []
        return [str(mixed), "--out", str(out), "--jobs", "2", *extra], out, wide

    # the uninterrupted run, in this process, on the records parsed once
    command, out, wide = argv("whole")
    with monkeypatch.context() as patch:
        for name, value in env.items():
            patch.setenv(name, value)
        patch.setattr(batch_command, "run_local",
                      lambda todo, jobs, max_bytes, provenance=True: iter([parsed[f] for f in todo]))
        assert main(["batch", *command]) == 0
    expected = outputs(out, wide)
    check_whole(expected, files=210)

    command, out, wide = argv("killed")
    if fmt == "jsonl":
        progress, step = (lambda: lines(out)), 40
    elif fmt == "csv":
        progress, step = (lambda: lines(wide)), 40
    else:
        parts = Path(f"{out}.parts")
        progress, step = (lambda: len(list(parts.glob("part-*.parquet")))), 4
    kill_and_resume(tmp_path, command, progress, env, step)
    assert outputs(out, wide) == expected
    assert not Path(f"{out}.parts").exists() and not Path(f"{out}.partial").exists()
