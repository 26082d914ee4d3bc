"""Throughput, cold start and memory of govreport-lark against its targets.

    python benchmarks/bench.py [--reports 1000] [--no-profile]

1. The bundled corpus (corpus/seeds/*.txt and the report files of corpus/real, not the
   .json) is copied round-robin into a temporary folder until there are ``--reports`` files.
2. Reports/s on one core (the process pinned to one CPU where the OS allows), end to end
   per file: read, decode, normalise, parse, validate, ``report_to_dict`` and
   ``json.dumps`` -- text reports (.txt/.md) and HTML measured separately.
3. Cold start of ``govreport --help`` and ``govreport parse <seed>``: fresh interpreter in
   a subprocess, best of 3 wall-clock times.
4. Peak RSS of ``govreport batch <folder> --out x.jsonl`` over all the copies, read from
   ``resource.getrusage(RUSAGE_CHILDREN).ru_maxrss`` in a small wrapper process that runs
   only that subprocess (so no earlier child inflates the figure).

A missed throughput target prints a cProfile of the text reports; a missed cold-start
target prints the slowest imports (``python -X importtime``).
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import os
import pstats
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from govreport_lark.emit import report_to_dict  # noqa: E402
from govreport_lark.parse import parse_bytes  # noqa: E402

TEXT_SUFFIXES = (".txt", ".md")
HTML_SUFFIXES = (".html", ".htm", ".shtml")
REPORT_SUFFIXES = TEXT_SUFFIXES + HTML_SUFFIXES + (".pdf", ".docx")

TARGETS = {
    "text reports/s (1 core)": (300.0, ">="),
    "govreport --help cold (s)": (0.3, "<="),
    "govreport parse 1 report cold (s)": (0.5, "<="),
    "batch peak RSS (MB)": (150.0, "<="),
}


def corpus_files() -> list[Path]:
    seeds = sorted((ROOT / "corpus" / "seeds").glob("*.txt"))
    real = sorted(p for p in (ROOT / "corpus" / "real").iterdir()
                  if p.suffix.lower() in REPORT_SUFFIXES and not p.name.endswith(".expected.json"))
    return seeds + real


def replicate(files: list[Path], count: int, folder: Path) -> list[Path]:
    out = []
    for i in range(count):
        src = files[i % len(files)]
        dst = folder / f"{i:05d}_{src.name}"
        shutil.copyfile(src, dst)
        out.append(dst)
    return out


def pin_one_core() -> str:
    if hasattr(os, "sched_setaffinity"):
        cpu = min(os.sched_getaffinity(0))
        os.sched_setaffinity(0, {cpu})
        return f"pinned to CPU {cpu}"
    return "not pinned (no sched_setaffinity)"


def end_to_end(path: Path) -> str:
    data = path.read_bytes()
    return json.dumps(report_to_dict(parse_bytes(data, path=str(path))), ensure_ascii=False)


def throughput(paths: list[Path]) -> tuple[float, float]:
    """(reports per second, seconds) over ``paths``, after one warm-up parse per distinct
    source (grammars loaded, OpenCC built if any file needs it)."""
    if not paths:
        return 0.0, 0.0
    for path in {p.name.split("_", 1)[1]: p for p in paths}.values():
        end_to_end(path)
    start = time.perf_counter()
    for path in paths:
        end_to_end(path)
    seconds = time.perf_counter() - start
    return len(paths) / seconds, seconds


def govreport_command() -> list[str]:
    script = Path(sys.executable).parent / "govreport"
    if script.exists():
        return [str(script)]
    found = shutil.which("govreport")
    return [found] if found else [sys.executable, "-m", "govreport_lark"]


def cold(argv: list[str], runs: int = 3) -> float:
    best = float("inf")
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(argv, check=True, stdout=subprocess.DEVNULL, cwd=ROOT)
        best = min(best, time.perf_counter() - start)
    return best


_RSS_WRAPPER = """
import resource, subprocess, sys, time
start = time.perf_counter()
done = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
seconds = time.perf_counter() - start
rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
print(done.returncode, rss, seconds, done.stderr.strip().splitlines()[-1:], sep="\\t")
"""


def batch_rss(folder: Path, out: Path) -> tuple[float, float, str]:
    """(peak RSS in MB, wall seconds, summary line) of one ``govreport batch`` run."""
    argv = [*govreport_command(), "batch", str(folder), "--out", str(out)]
    done = subprocess.run([sys.executable, "-c", _RSS_WRAPPER, *argv], check=True,
                          capture_output=True, text=True)
    code, rss, seconds, summary = done.stdout.strip().split("\t")
    if code != "0":
        raise SystemExit(f"govreport batch failed with exit code {code}: {summary}")
    kib = int(rss) * (1 if sys.platform != "darwin" else 1 / 1024)  # macOS reports bytes
    return kib / 1024, float(seconds), summary.strip("[]'\"")


def profile_text(paths: list[Path], top: int = 25) -> str:
    profiler = cProfile.Profile()
    profiler.enable()
    for path in paths:
        end_to_end(path)
    profiler.disable()
    text = io.StringIO()
    stats = pstats.Stats(profiler, stream=text).strip_dirs()
    stats.sort_stats("cumulative").print_stats(top)
    stats.sort_stats("tottime").print_stats(top)
    return text.getvalue()


def slowest_imports(argv: list[str], top: int = 15) -> str:
    env = dict(os.environ, PYTHONPROFILEIMPORTTIME="1")
    done = subprocess.run(argv, env=env, capture_output=True, text=True, cwd=ROOT)
    rows = []
    for line in done.stderr.splitlines():
        match = re.match(r"import time:\s+(\d+) \|\s+(\d+) \|(\s*)(\S+)", line)
        if match:
            rows.append((int(match.group(2)), len(match.group(3)), match.group(4)))
    total = sum(us for us, depth, _ in rows if depth == 1)
    lines = [f"  all imports: {total / 1000:.0f} ms; slowest (cumulative ms, module):"]
    lines += [f"  {us / 1000:8.1f}  {name}" for us, _, name in sorted(rows, reverse=True)[:top]]
    return "\n".join(lines)


def verdict(name: str, value: float) -> str:
    target, op = TARGETS[name]
    ok = value >= target if op == ">=" else value <= target
    return "ok" if ok else "MISSED"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--reports", type=int, default=1000, help="copies of the corpus (>= 1000)")
    ap.add_argument("--no-profile", action="store_true", help="no cProfile on a missed target")
    args = ap.parse_args()

    sources = corpus_files()
    with tempfile.TemporaryDirectory(prefix="govreport-bench-") as tmp:
        folder = Path(tmp) / "reports"
        folder.mkdir()
        paths = replicate(sources, max(args.reports, 1), folder)
        text = [p for p in paths if p.suffix.lower() in TEXT_SUFFIXES]
        html = [p for p in paths if p.suffix.lower() in HTML_SUFFIXES]
        print(f"corpus: {len(sources)} source files ({', '.join(p.name for p in sources)})")
        print(f"replicated to {len(paths)} reports: {len(text)} text, {len(html)} html")
        print(f"python {sys.version.split()[0]}, {os.cpu_count()} CPUs, throughput "
              f"{pin_one_core()}")

        text_rate, text_s = throughput(text)
        html_rate, html_s = throughput(html)
        print(f"text: {len(text)} reports in {text_s:.2f} s = {text_rate:.1f} reports/s "
              f"({1000 / text_rate:.2f} ms each)")
        if html:
            print(f"html: {len(html)} reports in {html_s:.2f} s = {html_rate:.1f} reports/s "
                  f"({1000 / html_rate:.2f} ms each)")
        if hasattr(os, "sched_setaffinity"):  # the subprocesses may use every CPU again
            os.sched_setaffinity(0, range(os.cpu_count() or 1))

        cmd = govreport_command()
        seed = str(sorted((ROOT / "corpus" / "seeds").glob("*.txt"))[0].relative_to(ROOT))
        subprocess.run([*cmd, "parse", seed], check=True, stdout=subprocess.DEVNULL, cwd=ROOT)
        help_s = cold([*cmd, "--help"])
        parse_s = cold([*cmd, "parse", seed])
        print(f"cold start (best of 3): govreport --help {help_s:.3f} s; "
              f"govreport parse {seed} {parse_s:.3f} s")

        rss_mb, batch_s, batch_summary = batch_rss(folder, Path(tmp) / "x.jsonl")
        print(f"batch over {len(paths)} files: {batch_s:.2f} s wall "
              f"({len(paths) / batch_s:.1f} files/s incl. start-up), peak RSS {rss_mb:.1f} MB; "
              f"{batch_summary}")

        measured = {
            "text reports/s (1 core)": text_rate,
            "govreport --help cold (s)": help_s,
            "govreport parse 1 report cold (s)": parse_s,
            "batch peak RSS (MB)": rss_mb,
        }
        print()
        print(f"{'metric':<36}{'measured':>10}  {'target':>10}  result")
        for name, value in measured.items():
            target, op = TARGETS[name]
            print(f"{name:<36}{value:>10.3f}  {op + ' ' + format(target, 'g'):>10}  "
                  f"{verdict(name, value)}")
        if html:
            print(f"{'html reports/s (1 core, no target)':<36}{html_rate:>10.3f}")

        if args.no_profile:
            return 0
        if verdict("text reports/s (1 core)", text_rate) != "ok":
            print("\ncProfile of the text reports (one copy of each source x 20):")
            sample = [p for p in text[: len(sources)]] * 20
            print(profile_text(sample))
        for name, argv in (("govreport --help cold (s)", [*cmd, "--help"]),
                           ("govreport parse 1 report cold (s)", [*cmd, "parse", seed])):
            if verdict(name, measured[name]) != "ok":
                print(f"\n{name} missed; imports of `{' '.join(argv[1:])}`:")
                print(slowest_imports(argv))
    return 0


if __name__ == "__main__":
    sys.exit(main())
