"""Where the output goes and what a run meets outside its inputs: a folder without write
permission, a read-only file system, a full disk, a Dask scheduler that cannot be reached
or is misspelt are the user's to fix (exit 2, one line naming the path and the problem);
``parse -o x.jsonl`` writes JSON Lines with an error record per failed input; ``-`` reads
standard input; FIFOs and devices are refused, never read; ``--resume`` survives a cut last
line and keys on path and sha256 together.  Every test runs the real command."""

from __future__ import annotations

import csv
import json
import os
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from govreport_lark import __version__

ROOT = Path(__file__).resolve().parent.parent
SEEDS = sorted((ROOT / "corpus" / "seeds").glob("*.txt"))
ROOT_USER = hasattr(os, "geteuid") and os.geteuid() == 0


def cli(*argv: str, prefix: tuple[str, ...] = (), timeout: float = 120,
        stdin: bytes | None = None, env: dict[str, str] | None = None,
        ) -> subprocess.CompletedProcess[str]:
    """``govreport ARGV`` in a new process (``prefix`` runs it under another command)."""
    command = [*prefix, sys.executable, "-m", "govreport_lark", *argv]
    run = subprocess.run(command, capture_output=True, timeout=timeout, input=stdin,
                         env={**os.environ, **(env or {})}, cwd=ROOT)
    return subprocess.CompletedProcess(run.args, run.returncode,
                                       run.stdout.decode("utf-8", "replace"),
                                       run.stderr.decode("utf-8", "replace"))


def assert_user_error(run: subprocess.CompletedProcess[str], path: str, *words: str) -> None:
    """Exit 2 and one line on stderr that names ``path`` and one of ``words``."""
    assert run.returncode == 2, run.stderr
    assert "Traceback" not in run.stderr and "internal error" not in run.stderr, run.stderr
    assert run.stderr.count("\n") == 1, run.stderr
    assert path in run.stderr, run.stderr
    assert any(w in run.stderr.lower() for w in words), run.stderr


def read_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


# ------------------------------------------------------------------ output and environment


def _unwritable(tmp_path: Path) -> tuple[Path, tuple[str, ...]]:
    """A folder this process cannot write to, and the prefix to run the command under (as
    root, a user namespace takes away the power to override permissions)."""
    folder = tmp_path / "locked"
    folder.mkdir()
    folder.chmod(0o555)
    prefix: tuple[str, ...] = ()
    if ROOT_USER:
        if shutil.which("unshare") is None:
            pytest.skip("cannot drop the power to override permissions here (no unshare)")
        prefix = ("unshare", "-U")
        probe = subprocess.run([*prefix, "sh", "-c", f"touch {folder}/probe"],
                               capture_output=True)
        if probe.returncode == 0:
            pytest.skip("cannot drop the power to override permissions here")
    return folder, prefix


def test_parse_output_to_folder_without_permission(tmp_path):
    folder, prefix = _unwritable(tmp_path)
    target = folder / "out.json"
    run = cli("parse", str(SEEDS[0]), "-o", str(target), prefix=prefix)
    assert_user_error(run, str(target), "permission")
    assert SEEDS[0].name not in run.stderr  # the output is named, not the input


def test_batch_out_to_folder_without_permission(tmp_path):
    folder, prefix = _unwritable(tmp_path)
    for out in ("r.jsonl", "r.csv"):
        run = cli("batch", str(SEEDS[0]), "--out", str(folder / out), prefix=prefix)
        assert_user_error(run, str(folder / out), "permission")


def _read_only(tmp_path: Path) -> tuple[Path, tuple[str, ...]]:
    folder = tmp_path / "ro"
    folder.mkdir()
    if shutil.which("unshare") is None:
        pytest.skip("unshare is not available")
    flags = "-m" if ROOT_USER else "-rm"
    script = (f"mount --bind {folder} {folder} && mount -o remount,bind,ro {folder} && "
              'exec "$@"')
    prefix = ("unshare", flags, "sh", "-c", script, "sh")
    probe = subprocess.run([*prefix, "touch", str(folder / "probe")], capture_output=True,
                           text=True)
    if "Read-only" not in probe.stderr:
        pytest.skip("cannot mount a read-only file system here")
    return folder, prefix


def test_output_on_read_only_file_system(tmp_path):
    folder, prefix = _read_only(tmp_path)
    run = cli("parse", str(SEEDS[0]), "-o", str(folder / "out.json"), prefix=prefix)
    assert_user_error(run, str(folder / "out.json"), "read-only")
    run = cli("batch", str(SEEDS[0]), "--out", str(folder / "r.csv"), prefix=prefix)
    assert_user_error(run, str(folder / "r.csv"), "read-only")


@pytest.mark.parametrize("command", ["parse", "batch"])
def test_output_on_full_disk(tmp_path, command):
    if not os.path.exists("/dev/full"):
        pytest.skip("no /dev/full")
    out = tmp_path / "full.jsonl"
    out.symlink_to("/dev/full")  # every write: ENOSPC
    flag = "-o" if command == "parse" else "--out"
    run = cli(command, str(SEEDS[0]), str(SEEDS[1]), flag, str(out))
    assert_user_error(run, str(out), "no space")
    # a path under /dev/full: no folder there
    under = "/dev/full/x.jsonl"
    run = cli(command, str(SEEDS[0]), flag, under)
    assert_user_error(run, under, "not a directory", "not a folder")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_unreachable_scheduler(tmp_path):
    pytest.importorskip("distributed")
    address = f"tcp://127.0.0.1:{_free_port()}"
    out = tmp_path / "r.jsonl"
    run = cli("batch", str(SEEDS[0]), "--out", str(out), "--engine", "dask",
              "--scheduler", address, env={"DASK_DISTRIBUTED__COMM__TIMEOUTS__CONNECT": "2s"})
    assert_user_error(run, address, "cannot reach")
    assert not out.exists()  # nothing written, nothing truncated


@pytest.mark.parametrize("address", ["nonsense://host:1", "tcp://127.0.0.1:port",
                                     "tcp://[::1"])
def test_malformed_scheduler_address(tmp_path, address):
    pytest.importorskip("distributed")
    run = cli("batch", str(SEEDS[0]), "--out", str(tmp_path / "r.jsonl"), "--engine", "dask",
              "--scheduler", address, env={"DASK_DISTRIBUTED__COMM__TIMEOUTS__CONNECT": "2s"})
    assert_user_error(run, address, "not a scheduler address")


# ------------------------------------------------------------------ parse -o, stdin, version


def test_parse_one_file_to_jsonl_is_one_line(tmp_path):
    out = tmp_path / "x.jsonl"
    run = cli("parse", str(SEEDS[0]), "-o", str(out))
    assert run.returncode == 0, run.stderr
    text = out.read_text(encoding="utf-8")
    assert text.count("\n") == 1 and text.endswith("}\n")
    assert json.loads(text) == json.loads(cli("parse", str(SEEDS[0])).stdout)


def test_parse_jsonl_keeps_a_failed_input_as_an_error_record(tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    out = tmp_path / "x.jsonl"
    run = cli("parse", str(SEEDS[0]), str(empty), str(SEEDS[1]), "-o", str(out))
    assert run.returncode == 2
    assert run.stderr.count("\n") == 1 and str(empty) in run.stderr
    records = read_jsonl(out)
    assert [r["source"]["path"] for r in records] == [str(SEEDS[0]), str(empty), str(SEEDS[1])]
    assert set(records[1]) == {"source", "error"}
    assert set(records[1]["source"]) == {"path", "sha256"}
    assert records[1]["source"]["sha256"] == (
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    assert records[1]["error"]["code"] == "EMPTY_INPUT" and records[1]["error"]["message"]
    assert "error" not in records[0] and "error" not in records[2]


def test_dash_reads_standard_input():
    data = SEEDS[0].read_bytes()
    piped = cli("parse", "-", stdin=data)
    assert piped.returncode == 0, piped.stderr
    direct = json.loads(cli("parse", str(SEEDS[0])).stdout)
    got = json.loads(piped.stdout)
    assert got["source"]["path"] == "-"
    assert got["source"]["sha256"] == direct["source"]["sha256"]
    for key in ("applications", "active_disclosure", "review_litigation", "agency", "year"):
        assert got[key] == direct[key]
    empty = cli("check", "-", stdin=b"")
    assert empty.returncode == 2 and "[EMPTY_INPUT]" in empty.stderr
    assert empty.stderr.count("\n") == 1


def test_version():
    run = cli("--version")
    assert run.returncode == 0
    assert run.stdout.strip() == f"govreport {__version__}"


# ------------------------------------------------------------------ non-regular files


def test_fifo_is_refused_not_read(tmp_path):
    if not hasattr(os, "mkfifo"):
        pytest.skip("no FIFOs here")
    folder = tmp_path / "in"
    folder.mkdir()
    fifo = folder / "x.txt"
    os.mkfifo(fifo)
    shutil.copy(SEEDS[0], folder / "a.txt")
    run = cli("parse", str(fifo), timeout=60)
    assert_user_error(run, str(fifo), "fifo")
    assert "[NOT_A_FILE]" in run.stderr
    out = tmp_path / "r.jsonl"
    for extra in ((), ("--resume",), ("--jobs", "2")):
        run = cli("batch", str(folder), "--out", str(out), *extra, timeout=60)
        assert run.returncode == 0, run.stderr
    records = {r["source"]["path"]: r for r in read_jsonl(out)}
    assert records[str(fifo)]["error"]["code"] == "NOT_A_FILE"
    assert records[str(fifo)]["source"]["sha256"] is None
    assert "error" not in records[str(folder / "a.txt")]


@pytest.mark.parametrize("device", ["/dev/zero", "/dev/null"])
def test_device_is_refused(device):
    if not os.path.exists(device):
        pytest.skip(f"no {device}")
    run = cli("parse", device, timeout=60)
    assert_user_error(run, device, "not a regular file")


# ------------------------------------------------------------------ --resume


def _utf8_cut(data: bytes) -> int:
    """An offset inside the last line that falls inside a multi-byte UTF-8 character."""
    start = data.rstrip(b"\n").rfind(b"\n") + 1
    for i in range(start + (len(data) - start) // 2, len(data)):
        if data[i] >= 0xC0:  # the lead byte of a multi-byte character
            return i + 1
    raise AssertionError("no multi-byte character in the last line")


@pytest.mark.parametrize("cut", ["utf8", "ascii"])
def test_resume_after_a_cut_last_line(tmp_path, cut):
    folder = tmp_path / "in"
    folder.mkdir()
    for seed in SEEDS[:3]:
        shutil.copy(seed, folder / seed.name)
    whole = tmp_path / "whole.jsonl"
    assert cli("batch", str(folder), "--out", str(whole)).returncode == 0
    data = whole.read_bytes()
    if cut == "utf8":
        offset = _utf8_cut(data)
    else:
        offset = data.rstrip(b"\n").rfind(b"\n") + 1 + 40
        assert data[offset - 1] < 0x80 and data[offset] < 0x80
    out = tmp_path / "r.jsonl"
    out.write_bytes(data[:offset])
    run = cli("batch", str(folder), "--out", str(out), "--resume")
    assert run.returncode == 0, run.stderr
    assert "Traceback" not in run.stderr
    assert f"govreport batch: {out}: " in run.stderr and "cut" in run.stderr  # the warning
    assert "1 parsed" in run.stderr and "2 already in the output" in run.stderr
    assert read_jsonl(out) == read_jsonl(whole)


@pytest.mark.parametrize("suffix", [".jsonl", ".csv", ".parquet"])
def test_resume_keys_on_path_and_sha256(tmp_path, suffix):
    if suffix == ".parquet":
        pytest.importorskip("pyarrow.parquet", reason="Parquet output needs pyarrow")
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(SEEDS[0], folder / "a.txt")
    (folder / "gone.txt").symlink_to(tmp_path / "missing.txt")  # an error with sha256 null
    out = tmp_path / f"r{suffix}"
    run = cli("batch", str(folder), "--out", str(out))
    assert run.returncode == 0 and "2 files: 1 parsed" in run.stderr, run.stderr
    shutil.copy(SEEDS[0], folder / "b.txt")  # the same bytes under another name
    run = cli("batch", str(folder), "--out", str(out), "--resume")
    assert run.returncode == 0, run.stderr
    assert "3 files: 1 parsed" in run.stderr and "2 already in the output" in run.stderr
    run = cli("batch", str(folder), "--out", str(out), "--resume")
    assert "3 files: 0 parsed" in run.stderr and "0 failed, 3 already" in run.stderr
    if suffix == ".jsonl":
        paths = [r["source"]["path"] for r in read_jsonl(out)]
        assert sorted(paths) == sorted(str(folder / n) for n in ("a.txt", "b.txt", "gone.txt"))
    else:
        if suffix == ".csv":
            with open(out, encoding="utf-8", newline="") as handle:
                sources = {row["source"] for row in csv.DictReader(handle)}
        else:
            import pyarrow.parquet as pq

            sources = set(pq.read_table(out, columns=["source"]).column("source").to_pylist())
        assert sources == {str(folder / "a.txt"), str(folder / "b.txt")}
        errors = Path(str(out) + ".errors.csv").read_text(encoding="utf-8").splitlines()
        assert len(errors) == 2 and str(folder / "gone.txt") in errors[1]
