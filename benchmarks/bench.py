"""Speed and memory of govreport-lark on the work its users give it, against its targets.

    python benchmarks/bench.py [--seeds 20] [--passes 3] [--files 1000] [--json FILE]
                               [--only text,html,pdf,docx,cold,batch] [--profile]

Every throughput is measured in one run together with its *floor*: the cheapest thing that
still touches the same input, measured in the same run on the same files, so that a slow
minute of this shared machine moves both.  The ratio (parse time / floor time) is steadier
than the rate.

* text: generated reports (``tests/generate.py``: ``make_report(seed, template,
  zero_share=0)``, numbers non-zero) rendered in every text layout of ``LAYOUTS`` (tab,
  lines, markdown, spaces, traditional, wrapped); floor: decoding and a bare regex
  tokenisation of the same text (numbers, runs of CJK, other non-space runs).
* html: the same reports rendered as web pages (``render(report, "html")``); the same
  bodies inside the site chrome of ``corpus/real/015.html`` (navigation, lists, scripts,
  footer; "chrome"); and 015.html itself; floor: ``lxml.html`` parse and ``text_content()``.
* pdf: the real PDFs of ``corpus/real`` and generated ones (reportlab, as
  ``tests/test_formats.py`` draws them); pages/s; floor: pypdfium2's bare
  ``get_textpage().get_text_range()`` of every page.
* docx: generated Word files (python-docx, as ``tests/test_formats.py``); floor: unzipping
  ``word/document.xml`` and ``lxml`` ``itertext()``.
* cold: ``govreport --help`` and ``govreport parse <seed>`` in a fresh process: CPU time
  (user + system) and wall time of each of ``--passes`` runs after one unmeasured run that
  fills the grammar cache (bytecode cached as in an installed wheel); the target is held to
  the best CPU time, since wall time here also counts other jobs' turns on the 2 cores.
  "first ... no cache": the same ``parse`` with an empty temporary folder, so with none of
  the caches kept there: a user's first run after an install.
* batch: ``govreport batch`` over ``--files`` generated text reports with ``--jobs 1`` and
  ``--jobs 2``: wall seconds, files/s, the speed-up, and the peak RSS of any one process
  (``RUSAGE_CHILDREN`` of a wrapper that runs only that command).  The wall ratio is the
  target's measure; with other jobs holding the 2 cores it cannot show a speed-up, so the
  CPU time of each run is given too, and "by CPU" = CPU of --jobs 1 / (CPU of --jobs 2 / 2),
  the ratio were both cores free and the work spread evenly (extra CPU of the pool counted).

Throughput is end to end per file (read from bytes, decode, normalise, locate, parse,
validate, ``report_to_dict``, ``json.dumps``), on one core (the process pinned to one CPU),
by CPU time (``time.process_time``); each pass is printed and the best is kept.  The table
is printed and every figure written to ``--json``.  ``--profile`` adds a cProfile of the
text set (top functions by own time).
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import os
import platform
import pstats
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from govreport_lark.output.emit import report_to_dict  # noqa: E402
from govreport_lark.pipeline import parse_bytes  # noqa: E402

# name: (target, ">=" or "<=") -- the targets for this machine, one core.
TARGETS: dict[str, tuple[float, str]] = {
    "text reports/s": (400.0, ">="),
    "text x floor": (15.0, "<="),
    "html generated reports/s": (100.0, ">="),
    "html 015-like (chrome) reports/s": (40.0, ">="),
    "html 015.html reports/s": (40.0, ">="),
    "pdf pages/s": (20.0, ">="),
    "cold govreport parse (s)": (0.25, "<="),
    # Not the issue's: the first run after an install, before any cache is kept.
    "first govreport parse, no cache (s)": (1.0, "<="),
    "batch --jobs 2 / --jobs 1": (1.7, ">="),
    "batch peak RSS (MB)": (150.0, "<="),
}

SUFFIX = {"tab": ".txt", "lines": ".txt", "markdown": ".md", "spaces": ".txt",
          "traditional": ".txt", "wrapped": ".txt", "html": ".html"}

# The floor of a text report: decode, and cut into numbers, CJK runs and other runs.
_TOKENS = re.compile(r"\d+(?:\.\d+)?|[\u4e00-\u9fff]+|[^\s\d\u4e00-\u9fff]+")


# ------------------------------------------------------------------ the inputs

def generated(seeds: int) -> list:
    from generate import make_report

    return [make_report(seed, template, zero_share=0.0)
            for seed in range(seeds) for template in ("2019", "2021")]


def text_set(reports: list) -> list[tuple[str, bytes]]:
    from generate import LAYOUTS, render

    return [(f"r{r.seed}_{r.template}_{layout}{SUFFIX[layout]}", render(r, layout).encode())
            for r in reports for layout in LAYOUTS if layout != "html"]


def html_set(reports: list) -> list[tuple[str, bytes]]:
    from generate import render

    return [(f"r{r.seed}_{r.template}.html", render(r, "html").encode()) for r in reports]


def chrome_set(pages: list[tuple[str, bytes]]) -> list[tuple[str, bytes]]:
    """Each generated page's body put in the place of 015.html's article (div#zoomcon),
    so the report stands among that site's navigation, lists, scripts and footer."""
    import lxml.html

    shell = (ROOT / "corpus" / "real" / "015.html").read_bytes()
    out = []
    for name, data in pages:
        page = lxml.html.fromstring(shell)
        article = page.get_element_by_id("zoomcon")
        for child in list(article):
            article.remove(child)
        article.text = None
        body = lxml.html.fromstring(data).find(".//body")
        for child in list(body):
            article.append(child)
        out.append((name.replace(".html", "_chrome.html"),
                    lxml.html.tostring(page, encoding="utf-8", doctype="<!DOCTYPE html>")))
    return out


def real_files(suffix: str) -> list[tuple[str, bytes]]:
    return [(p.name, p.read_bytes()) for p in sorted((ROOT / "corpus" / "real").glob(f"*{suffix}"))]


def pdf_set(count: int) -> list[tuple[str, bytes]]:
    from generate import make_report
    from test_formats import _pdf

    out = real_files(".pdf")
    for seed in range(count):
        report = make_report(seed, ("2019", "2021")[seed % 2], zero_share=0.0)
        out.append((f"g{seed}.pdf", _pdf(report, paged=bool(seed % 2))))
    return out


def docx_set(count: int) -> list[tuple[str, bytes]]:
    from generate import make_report
    from test_formats import _docx

    return [(f"g{seed}.docx", _docx(make_report(seed, ("2019", "2021")[seed % 2],
                                                zero_share=0.0)))
            for seed in range(count)]


def pdf_pages(files: list[tuple[str, bytes]]) -> int:
    import pypdfium2

    total = 0
    for _, data in files:
        doc = pypdfium2.PdfDocument(data)
        total += len(doc)
        doc.close()
    return total


# ------------------------------------------------------------------ the floors

def floor_text(name: str, data: bytes) -> int:
    return len(_TOKENS.findall(data.decode("utf-8")))


def floor_html(name: str, data: bytes) -> int:
    import lxml.html

    return len(lxml.html.fromstring(data).text_content())


def floor_pdf(name: str, data: bytes) -> int:
    import pypdfium2

    doc = pypdfium2.PdfDocument(data)
    try:
        n = 0
        for page in doc:
            n += len(page.get_textpage().get_text_range())
        return n
    finally:
        doc.close()


def floor_docx(name: str, data: bytes) -> int:
    from lxml import etree

    with zipfile.ZipFile(io.BytesIO(data)) as z:
        root = etree.fromstring(z.read("word/document.xml"))
    return sum(len(t) for t in root.itertext())


def end_to_end(name: str, data: bytes) -> int:
    return len(json.dumps(report_to_dict(parse_bytes(data, path=name)), ensure_ascii=False))


# ------------------------------------------------------------------ measuring

def cpu_passes(fn, files: list[tuple[str, bytes]], passes: int) -> list[float]:
    """CPU seconds of each pass of ``fn`` over ``files``, after one unmeasured pass."""
    for name, data in files:
        fn(name, data)
    out = []
    for _ in range(passes):
        start = time.process_time()
        for name, data in files:
            fn(name, data)
        out.append(time.process_time() - start)
    return out


def measure(label: str, files: list[tuple[str, bytes]], floor, passes: int,
            units: int | None = None) -> dict:
    """Rates of the parse and of its floor (per file, or per ``units``: PDF pages), in
    alternating passes so both see the same minute of the machine."""
    units = units or len(files)
    parse_s: list[float] = []
    floor_s: list[float] = []
    for _ in range(passes):
        parse_s += cpu_passes(end_to_end, files, 1)
        floor_s += cpu_passes(floor, files, 1)
    best, best_floor = min(parse_s), min(floor_s)
    result = {"files": len(files), "units": units, "parse_cpu_s": parse_s,
              "floor_cpu_s": floor_s, "rate": units / best, "floor_rate": units / best_floor,
              "x_floor": best / best_floor}
    print(f"  {label}: {len(files)} files, {units} units; passes (CPU s) "
          + ", ".join(f"{s:.3f}" for s in parse_s) + "; floor "
          + ", ".join(f"{s:.4f}" for s in floor_s)
          + f" -> {result['rate']:.1f}/s, {result['x_floor']:.1f}x floor", flush=True)
    return result


def pin_one_core() -> str:
    if hasattr(os, "sched_setaffinity"):
        cpu = min(os.sched_getaffinity(0))
        os.sched_setaffinity(0, {cpu})
        return f"pinned to CPU {cpu}"
    return "not pinned (no sched_setaffinity)"


def unpin() -> None:
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, range(os.cpu_count() or 1))


def govreport_command() -> list[str]:
    script = Path(sys.executable).parent / "govreport"
    if script.exists():
        return [str(script)]
    found = shutil.which("govreport")
    return [found] if found else [sys.executable, "-m", "govreport_lark"]


def bytecode_env(cache: Path) -> dict[str, str]:
    """Python may write bytecode, into ``cache`` (never the work tree), as an installed
    wheel has it."""
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = str(cache)
    return env


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def cold(argv: list[str], env: dict[str, str], runs: int = 3) -> tuple[list[float], list[float]]:
    """(CPU seconds, wall seconds) of ``runs`` fresh processes, after one unmeasured run
    (which fills the grammar cache and the bytecode cache).  CPU time is the process's own
    (user + system): on this shared machine the wall time also holds other jobs' turns."""
    subprocess.run(argv, check=True, stdout=subprocess.DEVNULL, cwd=ROOT, env=env)
    cpu, wall = [], []
    for _ in range(runs):
        start, used = time.perf_counter(), _children_cpu()
        subprocess.run(argv, check=True, stdout=subprocess.DEVNULL, cwd=ROOT, env=env)
        wall.append(time.perf_counter() - start)
        cpu.append(_children_cpu() - used)
    return cpu, wall


def first_run(argv: list[str], env: dict[str, str], runs: int = 3) -> list[float]:
    """CPU seconds of ``runs`` fresh processes, each with an empty temporary folder, so with
    none of the caches kept there (Lark's, the built parsers, the compiled expressions): a
    user's first run after an install."""
    cpu = []
    for _ in range(runs):
        with tempfile.TemporaryDirectory(prefix="govreport-first-") as fresh:
            used = _children_cpu()
            subprocess.run(argv, check=True, stdout=subprocess.DEVNULL, cwd=ROOT,
                           env={**env, "TMPDIR": fresh})
            cpu.append(_children_cpu() - used)
    return cpu


_COLD_PHASES = """
import resource, sys, time
def cpu():
    u = resource.getrusage(resource.RUSAGE_SELF)
    return u.ru_utime + u.ru_stime
t0 = cpu()
import govreport_lark.output.cli
from govreport_lark.output.emit import to_json
from govreport_lark.pipeline import parse_file
t1 = cpu()
from govreport_lark.grammar.rows import row_parser
from govreport_lark.spec import TABLE_GRAMMARS, parser
for name in TABLE_GRAMMARS:
    row_parser(name)
for name in ("document", "columns", "cells", "narrative"):
    parser(name)
t2 = cpu()
to_json(parse_file(sys.argv[1]))
t3 = cpu()
to_json(parse_file(sys.argv[1]))
t4 = cpu()
print(t0, t1 - t0, t2 - t1, t3 - t2, t4 - t3)
"""


def cold_phases(seed: str, env: dict[str, str]) -> dict:
    """CPU seconds of a cold ``parse`` by phase, in a fresh interpreter: start-up (to the
    first line of the script), imports, loading the grammars from their cache, the first
    parse (compiling the scanners and searches it needs) and the same parse again."""
    done = subprocess.run([sys.executable, "-c", _COLD_PHASES, seed], capture_output=True,
                          text=True, cwd=ROOT, check=True, env=env)
    names = ("startup", "imports", "grammars", "first_parse", "second_parse")
    return dict(zip(names, (float(x) for x in done.stdout.split()), strict=True))


_WRAPPER = """
import json, resource, subprocess, sys, time
start = time.perf_counter()
done = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
print(json.dumps({"code": done.returncode, "wall": time.perf_counter() - start,
                  "cpu": usage.ru_utime + usage.ru_stime, "maxrss": usage.ru_maxrss,
                  "stderr": done.stderr.strip().splitlines()[-1:]}))
"""


def batch_run(folder: Path, out: Path, jobs: int) -> dict:
    argv = [*govreport_command(), "batch", str(folder), "--out", str(out), "--jobs", str(jobs)]
    load = os.getloadavg()[0]
    done = subprocess.run([sys.executable, "-c", _WRAPPER, *argv], check=True,
                          capture_output=True, text=True)
    result = json.loads(done.stdout)
    if result["code"] != 0:
        raise SystemExit(f"govreport batch failed ({result['code']}): {result['stderr']}")
    kib = result["maxrss"] / (1024 if sys.platform == "darwin" else 1)
    return {"jobs": jobs, "wall_s": result["wall"], "cpu_s": result["cpu"],
            "peak_rss_mb": kib / 1024, "load_before": load}


def profile_text(files: list[tuple[str, bytes]], top: int = 30) -> str:
    profiler = cProfile.Profile()
    profiler.enable()
    for name, data in files:
        end_to_end(name, data)
    profiler.disable()
    text = io.StringIO()
    stats = pstats.Stats(profiler, stream=text).strip_dirs()
    stats.sort_stats("tottime").print_stats(top)
    return text.getvalue()


# ------------------------------------------------------------------ the report

def verdict(name: str, value: float) -> str:
    target, op = TARGETS[name]
    ok = value >= target if op == ">=" else value <= target
    if ok:
        return "met"
    if op == ">=":
        return f"missed ({value / target:.0%} of target)"
    return f"missed ({value / target:.1f}x target)"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--seeds", type=int, default=20,
                    help="generated reports per template (text: x6 layouts)")
    ap.add_argument("--passes", type=int, default=3)
    ap.add_argument("--pdfs", type=int, default=4, help="generated PDFs besides the real ones")
    ap.add_argument("--docx", type=int, default=10, help="generated DOCX files")
    ap.add_argument("--files", type=int, default=1000, help="files of the batch runs")
    ap.add_argument("--json", default=os.path.join(tempfile.gettempdir(), "govreport-bench.json"),
                    help="where to write every figure (default: %(default)s)")
    ap.add_argument("--only", default="text,html,pdf,docx,cold,batch")
    ap.add_argument("--profile", action="store_true", help="cProfile of the text set")
    args = ap.parse_args()
    only = set(args.only.split(","))

    results: dict = {"when": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
                     "python": sys.version.split()[0], "machine": platform.machine(),
                     "cpus": os.cpu_count(), "load_before": list(os.getloadavg())}
    print(f"python {results['python']}, {os.cpu_count()} CPUs, load "
          + " ".join(f"{x:.2f}" for x in results["load_before"]), flush=True)
    measured: dict[str, float] = {}
    reports = generated(args.seeds)
    print(f"throughput {pin_one_core()}, by CPU time, best of {args.passes} passes")

    if "text" in only:
        files = text_set(reports)
        r = results["text"] = measure("text (6 layouts)", files, floor_text, args.passes)
        measured["text reports/s"] = r["rate"]
        measured["text x floor"] = r["x_floor"]
        if args.profile:
            print(profile_text(files))
    if "html" in only:
        pages = html_set(reports)
        r = results["html"] = measure("html generated", pages, floor_html, args.passes)
        measured["html generated reports/s"] = r["rate"]
        r = results["html_chrome"] = measure("html in 015's chrome", chrome_set(pages),
                                             floor_html, args.passes)
        measured["html 015-like (chrome) reports/s"] = r["rate"]
        r = results["html_015"] = measure("015.html", real_files(".html") * 5, floor_html,
                                          args.passes)
        measured["html 015.html reports/s"] = r["rate"]
    if "pdf" in only:
        files = pdf_set(args.pdfs)
        r = results["pdf"] = measure("pdf (pages)", files, floor_pdf, max(1, args.passes - 1),
                                     units=pdf_pages(files))
        measured["pdf pages/s"] = r["rate"]
        measured["pdf files/s"] = r["rate"] * len(files) / r["units"]
    if "docx" in only:
        r = results["docx"] = measure("docx", docx_set(args.docx), floor_docx, args.passes)
        measured["docx reports/s"] = r["rate"]
    unpin()

    with tempfile.TemporaryDirectory(prefix="govreport-bench-") as tmp:
        env = bytecode_env(Path(tmp) / "pycache")
        cmd = govreport_command()
        if "cold" in only:
            seed = str(sorted((ROOT / "corpus" / "seeds").glob("*.txt"))[0].relative_to(ROOT))
            helps, helps_wall = cold([*cmd, "--help"], env, args.passes)
            parses, parses_wall = cold([*cmd, "parse", seed], env, args.passes)
            results["cold"] = {"help_cpu_s": helps, "help_wall_s": helps_wall,
                               "parse_cpu_s": parses, "parse_wall_s": parses_wall, "seed": seed}
            measured["cold govreport --help (s)"] = min(helps)
            measured["cold govreport parse (s)"] = min(parses)
            measured["cold govreport parse, wall (s)"] = min(parses_wall)
            print(f"  cold (CPU s, wall s): --help "
                  f"{', '.join(f'{c:.3f}/{w:.3f}' for c, w in zip(helps, helps_wall))}; "
                  f"parse {seed} "
                  f"{', '.join(f'{c:.3f}/{w:.3f}' for c, w in zip(parses, parses_wall))}",
                  flush=True)
            firsts = results["cold"]["first_run_cpu_s"] = first_run([*cmd, "parse", seed], env,
                                                                     args.passes)
            measured["first govreport parse, no cache (s)"] = min(firsts)
            print(f"  first parse after an install, no cache (CPU s): "
                  f"{', '.join(f'{c:.3f}' for c in firsts)}", flush=True)
            phases = results["cold"]["phases"] = cold_phases(seed, env)
            print("  cold parse by phase (CPU s): "
                  + ", ".join(f"{k} {v:.3f}" for k, v in phases.items()), flush=True)
        if "batch" in only:
            from generate import LAYOUTS, render

            folder = Path(tmp) / "batch"
            folder.mkdir()
            layouts = [layout for layout in LAYOUTS if layout != "html"]
            for i in range(args.files):
                report = reports[i % len(reports)]
                layout = layouts[(i // len(reports)) % len(layouts)]
                (folder / f"{i:05d}{SUFFIX[layout]}").write_text(
                    render(report, layout, seed=i), encoding="utf-8")
            # The caches are filled first: neither run should pay for them.
            subprocess.run([*cmd, "parse", str(folder / f"{0:05d}{SUFFIX[layouts[0]]}")],
                           check=True, stdout=subprocess.DEVNULL, cwd=ROOT, env=env)
            runs = [batch_run(folder, Path(tmp) / f"out{jobs}.jsonl", jobs) for jobs in (1, 2)]
            results["batch"] = runs
            for run in runs:
                print(f"  batch --jobs {run['jobs']}: {args.files} files in {run['wall_s']:.2f} s "
                      f"wall ({args.files / run['wall_s']:.0f} files/s), {run['cpu_s']:.2f} s CPU, "
                      f"peak RSS {run['peak_rss_mb']:.0f} MB (load average before: "
                      f"{run['load_before']:.2f})", flush=True)
            measured["batch --jobs 1 files/s"] = args.files / runs[0]["wall_s"]
            measured["batch --jobs 2 files/s"] = args.files / runs[1]["wall_s"]
            measured["batch --jobs 2 / --jobs 1"] = runs[0]["wall_s"] / runs[1]["wall_s"]
            # What the wall ratio would be were both cores free: --jobs 1's CPU over half of
            # --jobs 2's (its work spread evenly, the parent's share included).
            measured["batch --jobs 2 / --jobs 1, by CPU"] = runs[0]["cpu_s"] / (runs[1]["cpu_s"] / 2)
            measured["batch peak RSS (MB)"] = max(r["peak_rss_mb"] for r in runs)

    results["load_after"] = list(os.getloadavg())
    results["measured"] = measured
    results["self_cpu_s"] = resource.getrusage(resource.RUSAGE_SELF).ru_utime
    print()
    print(f"{'measure':<36}{'figure':>10}  {'target':>8}  result")
    for name, value in measured.items():
        if name in TARGETS:
            target, op = TARGETS[name]
            print(f"{name:<36}{value:>10.2f}  {op + ' ' + format(target, 'g'):>8}  "
                  f"{verdict(name, value)}")
        else:
            print(f"{name:<36}{value:>10.2f}")
    floors = [(k, results[k]) for k in ("text", "html", "html_chrome", "html_015", "pdf", "docx")
              if k in results]
    if floors:
        print("\nfloors (same run): " + "; ".join(
            f"{k} {r['floor_rate']:.0f}/s ({r['x_floor']:.1f}x)" for k, r in floors))
    Path(args.json).write_text(json.dumps(results, indent=1), encoding="utf-8")
    print(f"\nwritten: {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
