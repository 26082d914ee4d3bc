"""Throughput, cold start and memory of govreport-lark against its targets.

    python benchmarks/bench.py [--reports 1000] [--no-profile]

1. The bundled corpus (corpus/seeds/*.txt and the report files of corpus/real, not the
   .json) is copied round-robin into a temporary folder until there are ``--reports`` files.
2. Reports/s on one core (the process pinned to one CPU where the OS allows), end to end
   per file: read, decode, normalise, parse, validate, ``report_to_dict`` and
   ``json.dumps`` -- text reports (.txt/.md) and HTML measured separately; the best of
   three passes.
3. Cold start of ``govreport --help`` and ``govreport parse <seed>``: fresh interpreter in
   a subprocess, best of 3 wall-clock times, with bytecode cached as in an installed wheel
   (into a temporary PYTHONPYCACHEPREFIX; also shown without when PYTHONDONTWRITEBYTECODE
   is set, as in this environment).
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

from govreport_lark.output.emit import report_to_dict  # noqa: E402
from govreport_lark.pipeline import parse_bytes  # noqa: E402

TEXT_SUFFIXES = (".txt", ".md")
HTML_SUFFIXES = (".html", ".htm", ".shtml")
REPORT_SUFFIXES = TEXT_SUFFIXES + HTML_SUFFIXES + (".pdf", ".docx")

TARGETS = {
    "text reports/s (1 core, CPU time)": (300.0, ">="),
    "text reports/s (1 core, wall time)": (300.0, ">="),
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


def throughput(paths: list[Path], passes: int = 3) -> tuple[float, float, float]:
    """(reports/s by CPU time, reports/s by wall time, wall seconds) of the best of ``passes``
    passes over ``paths``, after one warm-up parse per distinct source (grammars loaded,
    lexers built, OpenCC loaded if any file needs it).  CPU time is this process's own: on a
    shared machine it is the one-core figure; wall time there also counts the time other
    processes held the CPU.  The best pass is the machine's own speed: on a shared virtual
    machine one pass can take half as long again as the next (every pass is printed)."""
    if not paths:
        return 0.0, 0.0, 0.0
    for path in {p.name.split("_", 1)[1]: p for p in paths}.values():
        end_to_end(path)
    runs = []
    for _ in range(passes):
        start, cpu = time.perf_counter(), time.process_time()
        for path in paths:
            end_to_end(path)
        runs.append((time.perf_counter() - start, time.process_time() - cpu))
    print(f"  {len(paths)} reports, passes (CPU s): "
          + ", ".join(f"{c:.2f}" for _, c in runs))
    seconds, cpu = min(runs, key=lambda r: r[1])
    return len(paths) / cpu, len(paths) / seconds, seconds


def govreport_command() -> list[str]:
    script = Path(sys.executable).parent / "govreport"
    if script.exists():
        return [str(script)]
    found = shutil.which("govreport")
    return [found] if found else [sys.executable, "-m", "govreport_lark"]


def bytecode_env(cache: Path | None) -> dict[str, str]:
    """The environment of the cold-start runs.  With ``cache``, Python may write bytecode,
    into that folder (never the work tree), as an installed wheel has it; without, as
    this environment says (``PYTHONDONTWRITEBYTECODE=1`` compiles every module of a
    checkout at each start)."""
    env = dict(os.environ)
    if cache is not None:
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env["PYTHONPYCACHEPREFIX"] = str(cache)
    return env


def cold(argv: list[str], env: dict[str, str], runs: int = 3) -> float:
    """Best wall time of ``runs`` fresh processes, after one unmeasured run (which fills
    the Lark grammar cache and, when allowed, the bytecode cache)."""
    subprocess.run(argv, check=True, stdout=subprocess.DEVNULL, cwd=ROOT, env=env)
    best = float("inf")
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(argv, check=True, stdout=subprocess.DEVNULL, cwd=ROOT, env=env)
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


def phases(paths: list[Path]) -> str:
    """CPU time per pipeline phase: the functions ``parse_source`` calls, timed by wrapping
    them in this process (names that a newer ``parse.py`` no longer has are left out)."""
    import collections

    from govreport_lark import parse as pipeline

    spent: collections.Counter[str] = collections.Counter()
    names = ("read_source", "normalise", "find_sections", "find_metadata", "section_feed",
             "parse_table", "stray_labels", "stray_numbers", "detect", "validate")
    saved = {}

    def timed(label, fn):
        def wrapper(*args, **kwargs):
            start = time.process_time()
            try:
                return fn(*args, **kwargs)
            finally:
                spent[label] += time.process_time() - start
        return wrapper

    for name in names:
        if hasattr(pipeline, name):
            saved[(pipeline, name)] = getattr(pipeline, name)
            setattr(pipeline, name, timed(name, saved[(pipeline, name)]))
    for module, label in ((pipeline.active, "active.build"),
                          (pipeline.applications, "applications.build"),
                          (pipeline.review, "review.build")):
        saved[(module, "build")] = module.build
        module.build = timed(label, module.build)
    start = time.process_time()
    try:
        for path in paths:
            data = path.read_bytes()
            report = pipeline.parse_bytes(data, path=str(path))
            mark = time.process_time()
            out = report_to_dict(report)
            spent["report_to_dict"] += time.process_time() - mark
            mark = time.process_time()
            json.dumps(out, ensure_ascii=False)
            spent["json.dumps"] += time.process_time() - mark
    finally:
        for (module, name), fn in saved.items():
            setattr(module, name, fn)
    total = time.process_time() - start
    lines = [f"  {len(paths)} reports, {1000 * total / len(paths):.2f} ms CPU each"]
    for label, seconds in spent.most_common():
        lines.append(f"  {label:<22}{1000 * seconds / len(paths):7.2f} ms  "
                     f"{100 * seconds / total:5.1f}%")
    rest = total - sum(spent.values())
    lines.append(f"  {'(the rest)':<22}{1000 * rest / len(paths):7.2f} ms  {100 * rest / total:5.1f}%")
    return "\n".join(lines)


_COLD_PARSE = """
import sys, time
t0 = time.perf_counter()
import govreport_lark.output.cli
t1 = time.perf_counter()
from govreport_lark.spec import TABLE_GRAMMARS, parser
for name in TABLE_GRAMMARS:
    parser(name, rows=True)
t2 = time.perf_counter()
from govreport_lark.output.emit import to_json
from govreport_lark.pipeline import parse_file
to_json(parse_file(sys.argv[1]))
t3 = time.perf_counter()
to_json(parse_file(sys.argv[1]))
t4 = time.perf_counter()
print(t1 - t0, t2 - t1, t3 - t2, t4 - t3)
"""


def cold_parse_phases(seed: str, env: dict[str, str]) -> str:
    done = subprocess.run([sys.executable, "-c", _COLD_PARSE, seed], capture_output=True,
                          text=True, cwd=ROOT, check=True, env=env)
    imports, grammars, first, second = (float(x) for x in done.stdout.split())
    return (f"  imports (govreport_lark.output.cli) {imports:.3f} s; loading the 3 table grammars "
            f"(Lark cache) {grammars:.3f} s;\n  first parse {first:.3f} s vs the same parse "
            f"again {second:.3f} s: the first parse builds the contextual lexer's scanners "
            f"({first - second:.3f} s)")


def slowest_imports(argv: list[str], env: dict[str, str], top: int = 15) -> str:
    env = dict(env, PYTHONPROFILEIMPORTTIME="1")
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


_HELP_IMPORTS = """
import sys
sys.argv = ["govreport", "--help"]
from govreport_lark.output.cli import main
try:
    main()
except SystemExit:
    pass
print(" ".join(sorted({m.split(".")[0] for m in sys.modules} & {"lark", "opencc"})), file=sys.stderr)
"""


def help_imports(env: dict[str, str]) -> list[str]:
    """Which of lark and opencc ``govreport --help`` imports (it should import neither)."""
    done = subprocess.run([sys.executable, "-c", _HELP_IMPORTS], capture_output=True, text=True,
                          cwd=ROOT, check=True, env=env)
    return done.stderr.split()


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

        if hasattr(os, "getloadavg"):
            print("load average before: {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()))
        text_rate, text_wall, text_s = throughput(text)
        html_rate, html_wall, html_s = throughput(html)
        print(f"text: {len(text)} reports in {text_s:.2f} s wall: {text_rate:.1f} reports/s by "
              f"CPU time ({1000 / text_rate:.2f} ms each), {text_wall:.1f} by wall time")
        if html:
            print(f"html: {len(html)} reports in {html_s:.2f} s wall: {html_rate:.1f} reports/s "
                  f"by CPU time ({1000 / html_rate:.2f} ms each), {html_wall:.1f} by wall time")
        if hasattr(os, "sched_setaffinity"):  # the subprocesses may use every CPU again
            os.sched_setaffinity(0, range(os.cpu_count() or 1))

        cmd = govreport_command()
        seed = str(sorted((ROOT / "corpus" / "seeds").glob("*.txt"))[0].relative_to(ROOT))
        cached = bytecode_env(Path(tmp) / "pycache")
        help_s = cold([*cmd, "--help"], cached)
        parse_s = cold([*cmd, "parse", seed], cached)
        print(f"cold start (best of 3, bytecode cached as installed): govreport --help "
              f"{help_s:.3f} s; govreport parse {seed} {parse_s:.3f} s")
        if os.environ.get("PYTHONDONTWRITEBYTECODE"):
            plain = bytecode_env(None)
            print(f"  and with PYTHONDONTWRITEBYTECODE set here (no bytecode cache): --help "
                  f"{cold([*cmd, '--help'], plain):.3f} s; parse "
                  f"{cold([*cmd, 'parse', seed], plain):.3f} s")

        heavy = help_imports(cached)
        print(f"`govreport --help` imports: {', '.join(heavy) or 'neither lark nor opencc'}")

        rss_mb, batch_s, batch_summary = batch_rss(folder, Path(tmp) / "x.jsonl")
        print(f"batch over {len(paths)} files: {batch_s:.2f} s wall "
              f"({len(paths) / batch_s:.1f} files/s incl. start-up), peak RSS {rss_mb:.1f} MB; "
              f"{batch_summary}")

        measured = {
            "text reports/s (1 core, CPU time)": text_rate,
            "text reports/s (1 core, wall time)": text_wall,
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
        print(f"{'--help imports lark/opencc':<36}{'yes' if heavy else 'no':>10}  {'no':>10}  "
              f"{'MISSED' if heavy else 'ok'}")
        if html:
            print(f"{'html reports/s (1 core, no target)':<36}{html_rate:>10.3f}")

        if args.no_profile:
            return 0
        if verdict("text reports/s (1 core, CPU time)", text_rate) != "ok":
            sample = text[: len(sources)] * 20
            print("\nwhere the time goes, text reports (one copy of each source x 20):")
            print(phases(sample))
            print("\ncProfile of the same:")
            print(profile_text(sample))
        for name, argv in (("govreport --help cold (s)", [*cmd, "--help"]),
                           ("govreport parse 1 report cold (s)", [*cmd, "parse", seed])):
            if verdict(name, measured[name]) != "ok":
                print(f"\n{name} missed; imports of `{' '.join(argv[1:])}`:")
                print(slowest_imports(argv, cached))
                if "parse" in argv:
                    print(cold_parse_phases(seed, cached))
    return 0


if __name__ == "__main__":
    sys.exit(main())
