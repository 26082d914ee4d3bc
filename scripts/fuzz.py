#!/usr/bin/env python3
"""Fuzz ``parse_bytes`` with mutated corpus and generated reports.

Plain ``random`` with a seed (no hypothesis, no atheris needed): input ``i`` of a run is drawn
from ``Random(f"{seed}:{i}")`` alone, so any input can be drawn again with ``--only i``.
Every exception other than ``InputError`` is a crash; an input that takes longer than
``--timeout`` seconds is a timeout.  Each crash or timeout input is written to ``--out`` with a
``.txt`` beside it holding the traceback, and the run ends with ``N inputs, C crashes``.

With ``--values`` it checks values, not only crashes: input ``i`` is a generated report
with an edit whose effect on the meaning is known (tests/meaning.py): one that keeps the
meaning must give the same values, one that changes it must give, cell by cell, the number
printed, the number meant, or a warning or error naming it.  Anything else is a wrong value.

    python scripts/fuzz.py --count 100000 --seed 1 --jobs 2
    python scripts/fuzz.py --seed 1 --only 4711            # replay one input
    python scripts/fuzz.py --values --count 2000 --jobs 2  # mutated reports of known meaning
"""

from __future__ import annotations

import argparse
import hashlib
import io
import multiprocessing
import os
import random
import signal
import sys
import time
import traceback
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

import logging  # noqa: E402

from govreport_lark import parse_bytes  # noqa: E402
from govreport_lark.errors import InputError  # noqa: E402

HEADINGS = [h.encode() for h in (
    "一、总体情况", "二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况",
    "四、政府信息公开行政复议、行政诉讼情况", "五、存在的主要问题及改进情况", "六、其他需要报告的事项",
)]  # fmt: skip

# Fragments a report (or a hostile file) may hold, dropped in at random.
TOKENS = [t.encode("utf-8") for t in (
    *(h.decode() for h in HEADINGS), "\t", "|", "\r", "\r\n", "\x0c", "\u2028", "\u3000", " ",
    "\ufeff", "\x00", "\u200b", "第二十条第（一）项", "第二十条第（五）项", "第二十条第（九）项",
    "信息内容", "本年新制作数量", "本年制发件数", "本年增/减", "采购总金额", "本年收费金额（单位：万元）",
    "规章", "行政规范性文件", "行政许可", "行政处罚", "行政事业性收费", "政府集中采购",
    "自然人", "法人或其他组织", "商业企业", "总计", "三、本年度办理结果", "（一）予以公开",
    "（三）不予公开", "1.属于国家秘密", "（六）其他处理", "3.其他", "（七）总计",
    "四、结转下年度继续办理", "一、本年新收政府信息公开申请数量", "行政复议", "行政诉讼",
    "未经复议直接起诉", "复议后起诉", "结果维持", "结果纠正", "其他结果", "尚未审结",
    "0", "7", "-3", "+12", "99999999999999999999999", "1e400", "NaN", "inf", "１２３", "−5",
    "0.", ".5", "1.2.3", "1,234", "12.30万元", "8800.5元", "2023年", "2023年12月31日", "-", "—",
    "/", "无", "——", "- 3 -", "第3页", "（", "）", "(", ")", "、", "。", "一", "十",
    "<table>", "<tr>", "<td rowspan=\"99999\" colspan=\"99999\">", "</td>", "<br>", "<!--",
    "&nbsp;", "<html>", "%PDF-1.4", "PK\x03\x04", "## ", "|---|---|", "**",
)]
RAW_TOKENS = [b"\xff\xfe", b"\xfe\xff", b"\xef\xbb\xbf", b"\x80", b"\xa1", b"\xd6\xd0", b"\xed\xa0\x80"]

ENCODINGS = ("gbk", "gb18030", "utf-16", "utf-16-le", "utf-16-be", "utf-8-sig", "big5")


# ------------------------------------------------------------------------ seeds


def _docx_seed(text: str) -> bytes | None:
    try:
        import docx
    except ImportError:
        return None
    document = docx.Document()
    table_rows: list[list[str]] = []

    def flush() -> None:
        if table_rows:
            width = max(len(r) for r in table_rows)
            table = document.add_table(rows=len(table_rows), cols=width)
            for r, row in enumerate(table_rows):
                for c, value in enumerate(row):
                    table.cell(r, c).text = value
            table_rows.clear()

    for line in text.splitlines():
        if "\t" in line:
            table_rows.append(line.split("\t"))
        else:
            flush()
            document.add_paragraph(line)
    flush()
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _pdf_seed(text: str) -> bytes | None:
    try:
        from reportlab.lib.pagesizes import A4
        from reportlab.pdfbase import pdfmetrics
        from reportlab.pdfbase.cidfonts import UnicodeCIDFont
        from reportlab.pdfgen import canvas
    except ImportError:
        return None
    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    out = io.BytesIO()
    c = canvas.Canvas(out, pagesize=A4)
    y = 800
    for line in text.splitlines()[:160]:
        c.setFont("STSong-Light", 7)
        c.drawString(20, y, line.replace("\t", "  ")[:120])
        y -= 9
        if y < 30:
            c.showPage()
            y = 800
    c.save()
    return out.getvalue()


def build_seeds(n_generated: int = 4) -> list[tuple[str, bytes]]:
    """(file name, bytes) of every corpus report and a set of generated ones."""
    seeds: list[tuple[str, bytes]] = []
    for path in sorted((ROOT / "corpus").glob("*/*")):
        if path.is_file() and path.suffix not in (".json", ".tsv"):
            seeds.append((path.name, path.read_bytes()))
    try:
        from generate import BLANK_LAYOUTS, LAYOUT_FORMAT, LAYOUTS, make_report, render
    except ImportError:
        return seeds
    tab_text = ""
    for n in range(n_generated):
        for template in ("2019", "2021"):
            for layout in LAYOUTS:
                blanks = layout in BLANK_LAYOUTS and n % 2 == 1
                try:
                    text = render(make_report(n, template, blanks=blanks), layout)
                except ImportError:  # the traditional layout needs opencc
                    continue
                seeds.append((f"gen{n}_{template}_{layout}.{LAYOUT_FORMAT[layout]}", text.encode()))
                if layout == "tab" and not tab_text:
                    tab_text = text
    for name, maker in (("gen.docx", _docx_seed), ("gen.pdf", _pdf_seed)):
        data = maker(tab_text) if tab_text else None
        if data:
            seeds.append((name, data))
    seeds.extend(hostile_seeds(tab_text))
    return seeds


def hostile_seeds(report: str) -> list[tuple[str, bytes]]:
    """Constructions that once took super-linear time or memory, at a size a run can
    afford many times, inside a whole report so that they reach the table grammars: a line
    of 四、 repeated, a row of empty tab fields, digit runs in 三's rows, nested elements
    after an HTML table, one 三 row repeated, counts with units."""
    three = "三、收到和处理政府信息公开申请情况"
    four = "四、政府信息公开行政复议、行政诉讼情况"
    if not report or three not in report or four not in report:
        return []
    row = "一、本年新收政府信息公开申请数量"
    line = next(ln for ln in report.split("\n") if ln.startswith(row))

    def after(heading: str, text: str, where: str = report) -> str:
        return where.replace(heading, f"{heading}\n{text}", 1)

    digits = "\n".join(f"{label}\t{'1' * 400}" for label in ("（一）予以公开", "（七）总计"))
    html = "".join(f"<p>{ln}</p>" for ln in report.split("\n") if ln and "\t" not in ln)
    return [(name, text.encode()) for name, text in (
        ("headings.txt", after(four, "四、" * 4000)),
        ("empty_fields.txt", report.replace(line, row + "\t" * 10_000 + "1", 1)),
        ("digit_runs.txt", report.replace(line, f"{row}\t{'1' * 400}\n{digits}", 1)),
        ("nested.html", f"<html><body>{html}<table><tr><td>{row}</td><td>1</td></tr></table>"
                        f"{'<div>' * 2000}{'</div>' * 2000}</body></html>"),
        ("repeated_row.txt", report.replace(line, (line + "\n") * 2000, 1)),
        ("mixed_units.txt", report.replace("\t0\t", "\t0件\t", 40)),
    )]


# ------------------------------------------------------------------------ mutations


def _lines(data: bytes) -> list[bytes]:
    return data.split(b"\n")


def _cut(rng: random.Random, data: bytes, pos: int) -> int:
    """``pos``, moved back to the start of its UTF-8 character unless the draw wants a
    cut through a character (a damaged file is tried too, just less often)."""
    if rng.random() < 0.1 or data[:4] in (b"%PDF", b"PK\x03\x04"):
        return pos
    while 0 < pos < len(data) and 0x80 <= data[pos] < 0xC0:
        pos -= 1
    return pos


def m_drop_lines(rng: random.Random, data: bytes, seeds) -> bytes:
    lines = _lines(data)
    for _ in range(rng.choice((1, 1, 2, 5))):
        if lines:
            del lines[rng.randrange(len(lines))]
    return b"\n".join(lines)


def m_dup_lines(rng: random.Random, data: bytes, seeds) -> bytes:
    lines = _lines(data)
    i = rng.randrange(len(lines))
    k = rng.choice((1, 1, 2, 4))
    lines[i:i] = lines[i : i + k] * rng.choice((1, 1, 3))
    return b"\n".join(lines)


def m_shuffle(rng: random.Random, data: bytes, seeds) -> bytes:
    lines = _lines(data)
    if len(lines) < 2:
        return data
    if rng.random() < 0.7:
        i, j = rng.randrange(len(lines)), rng.randrange(len(lines))
        lines[i], lines[j] = lines[j], lines[i]
    else:
        i = rng.randrange(len(lines))
        window = lines[i : i + rng.randint(2, 12)]
        rng.shuffle(window)
        lines[i : i + len(window)] = window
    return b"\n".join(lines)


def m_truncate(rng: random.Random, data: bytes, seeds) -> bytes:
    cuts = [data.find(h) for h in HEADINGS if data.find(h) > 0]
    if cuts and rng.random() < 0.6:
        cut = rng.choice(cuts)
        return data[:cut] if rng.random() < 0.5 else data[:cut] + data[cut:].split(b"\n", 2)[0]
    return data[: _cut(rng, data, rng.randrange(len(data) + 1))]


def m_window(rng: random.Random, data: bytes, seeds) -> bytes:
    """The title line and one or two sections: small inputs that still reach the table
    grammars (most of a run is spent here, so a run of 100000 inputs stays short)."""
    lines = _lines(data)
    starts = [i for i, ln in enumerate(lines) if any(h in ln for h in HEADINGS)]
    if not starts:
        i = rng.randrange(len(lines))
        return b"\n".join(lines[i : i + rng.randint(5, 80)])
    tables = [k for k, i in enumerate(starts) if any(h in lines[i] for h in HEADINGS[1:4])]
    k = rng.choice(tables) if tables and rng.random() < 0.9 else rng.randrange(len(starts))
    ends = starts[k + rng.choice((1, 1, 2)) :] + [len(lines)]
    head = [ln for ln in lines[:12] if "报告".encode() in ln][:1]
    return b"\n".join(head + lines[starts[k] : ends[0]])


def _junk(rng: random.Random, n: int, raw: bool) -> bytes:
    """``n`` random bytes, or (mostly) ``n`` random characters as UTF-8 so the text still
    decodes and the mutation reaches the parser rather than the decoder."""
    if raw:
        return bytes(rng.randrange(256) for _ in range(n))
    pools = ("0123456789", "\t\n .|-+、（）()", "一二三四五六七八九十总计年月日条件",
             "\u3000\u00a0\u200b\ufeff\x0c\x1b\u2028")
    return "".join(rng.choice(rng.choice(pools)) for _ in range(n)).encode()


def m_insert_bytes(rng: random.Random, data: bytes, seeds) -> bytes:
    pos = _cut(rng, data, rng.randrange(len(data) + 1))
    junk = _junk(rng, rng.choice((1, 1, 2, 4, 16)), raw=rng.random() < 0.25)
    return data[:pos] + junk + data[pos:]


def m_flip(rng: random.Random, data: bytes, seeds) -> bytes:
    if not data:
        return data
    raw = rng.random() < 0.25 or data[:4] in (b"%PDF", b"PK\x03\x04")
    for _ in range(rng.choice((1, 1, 2, 8))):
        pos = rng.randrange(len(data))
        if raw:
            data = data[:pos] + bytes([rng.randrange(256)]) + data[pos + 1 :]
        else:  # replace one whole character (an ASCII byte or a UTF-8 sequence)
            while pos > 0 and 0x80 <= data[pos] < 0xC0:
                pos -= 1
            end = pos + 1
            while end < len(data) and 0x80 <= data[end] < 0xC0:
                end += 1
            data = data[:pos] + _junk(rng, 1, raw=False) + data[end:]
    return data


def m_delete_range(rng: random.Random, data: bytes, seeds) -> bytes:
    if not data:
        return data
    a = _cut(rng, data, rng.randrange(len(data)))
    b = _cut(rng, data, a + rng.choice((1, 3, 10, 100, 1000)))
    return data[:a] + data[max(a + 1, b) :] if b <= a else data[:a] + data[b:]


def m_token(rng: random.Random, data: bytes, seeds) -> bytes:
    lines = _lines(data)
    i = rng.randrange(len(lines))
    line = lines[i]
    pos = rng.choice((0, len(line)))
    if rng.random() < 0.5:
        pos = _cut(rng, line, rng.randrange(len(line) + 1))
    token = rng.choice(RAW_TOKENS if rng.random() < 0.05 else TOKENS)
    lines[i] = line[:pos] + token + line[pos:]
    return b"\n".join(lines)


def m_number(rng: random.Random, data: bytes, seeds) -> bytes:
    """Replace one number by another number, a placeholder or nothing."""
    import re

    numbers = [m.span() for m in re.finditer(rb"\d+(?:\.\d+)?", data)]
    if not numbers:
        return data
    a, b = rng.choice(numbers)
    new = rng.choice((b"", b"0", b"-", b"/", b"-7", b"+3", b"1.5", b"99999999999999999999",
                      "１２".encode(), "无".encode(), b"12 34", b"0000", b"1e5",
                      data[a:b] + data[a:b]))
    return data[:a] + new + data[b:]


def m_separators(rng: random.Random, data: bytes, seeds) -> bytes:
    old, new = rng.choice(((b"\t", b" "), (b"\t", b"|"), (b"\t", b""), (b" ", b"\t"),
                           (b"|", b"\t"), (b"\n", b"\r"), (b"\n", b"\r\n"), (b"\t", b"\t\t")))
    if rng.random() < 0.5:
        return data.replace(old, new)
    lines = _lines(data)
    i = rng.randrange(len(lines))
    lines[i] = lines[i].replace(old, new)
    return b"\n".join(lines)


def m_splice(rng: random.Random, data: bytes, seeds) -> bytes:
    _, other = rng.choice(seeds)
    a = _cut(rng, data, rng.randrange(len(data) + 1))
    b = _cut(rng, other, rng.randrange(len(other) + 1))
    return data[:a] + other[b:]


def m_section_dup(rng: random.Random, data: bytes, seeds) -> bytes:
    starts = sorted(data.find(h) for h in HEADINGS if data.find(h) >= 0)
    if len(starts) < 2:
        return data
    k = rng.randrange(len(starts) - 1)
    block = data[starts[k] : starts[k + 1]]
    at = rng.choice(starts)
    return data[:at] + block + data[at:]


def m_encode(rng: random.Random, data: bytes, seeds) -> bytes:
    text = data.decode("utf-8", errors="replace")
    return text.encode(rng.choice(ENCODINGS), errors="ignore")


TEXT_MUTATIONS = (
    (m_drop_lines, 8), (m_dup_lines, 8), (m_shuffle, 6), (m_truncate, 6), (m_window, 10),
    (m_insert_bytes, 5), (m_flip, 5), (m_delete_range, 5), (m_token, 12), (m_number, 10),
    (m_separators, 5), (m_splice, 3), (m_section_dup, 4),
)  # fmt: skip
BINARY_MUTATIONS = ((m_flip, 6), (m_insert_bytes, 2), (m_delete_range, 3), (m_truncate, 2))


def mutate(rng: random.Random, name: str, data: bytes, seeds) -> bytes:
    binary = name.endswith((".pdf", ".docx"))
    table = BINARY_MUTATIONS if binary else TEXT_MUTATIONS
    funcs, weights = zip(*table, strict=True)
    for _ in range(rng.choice((1, 1, 1, 2, 2, 3))):
        data = rng.choices(funcs, weights)[0](rng, data, seeds)
    if not binary and rng.random() < 0.08:
        data = m_encode(rng, data, seeds)
    return data


def draw(seed: int, index: int, seeds) -> tuple[str, bytes]:
    """Input ``index`` of the run with ``seed``: (file name given to the parser, bytes)."""
    rng = random.Random(f"{seed}:{index}")
    roll = rng.random()
    if roll < 0.01:  # random bytes, random text
        n = rng.choice((0, 1, 10, 300))
        return "random.txt", bytes(rng.randrange(256) for _ in range(n))
    if roll < 0.02:
        chars = "一二三四五六、（）总计自然人行政复议第二十条\t\n 0123456789.|"
        return "random.txt", "".join(rng.choice(chars) for _ in range(rng.randint(0, 400))).encode()
    weights = [0.15 if name.endswith((".pdf", ".docx")) else 1.0 for name, _ in seeds]
    name, data = rng.choices(seeds, weights)[0]
    if rng.random() < 0.75 and not name.endswith((".pdf", ".docx", ".html")):
        data = m_window(rng, data, seeds)
    data = mutate(rng, name, data, seeds)
    if rng.random() < 0.1 and not name.endswith((".pdf", ".docx")):
        name = rng.choice(("x.txt", "x.md", "x.html", "x", "x.pdf", "x.docx"))
    return name, data


# ------------------------------------------------------------------------ run


class _Timeout(BaseException):  # not an Exception: the parser's handlers must not catch it
    pass


def _alarm(signum, frame):  # pragma: no cover - signal handler
    raise _Timeout()


@dataclass
class Tally:
    inputs: int = 0
    crashes: int = 0
    timeouts: int = 0
    input_errors: Counter = field(default_factory=Counter)
    signatures: Counter = field(default_factory=Counter)
    slowest: tuple[float, int] = (0.0, -1)

    def add(self, other: Tally) -> None:
        self.inputs += other.inputs
        self.crashes += other.crashes
        self.timeouts += other.timeouts
        self.input_errors.update(other.input_errors)
        self.signatures.update(other.signatures)
        self.slowest = max(self.slowest, other.slowest)


def _signature(exc: BaseException) -> str:
    tb = traceback.extract_tb(exc.__traceback__)
    ours = [f for f in tb if "govreport_lark" in f.filename] or tb
    where = f"{Path(ours[-1].filename).name}:{ours[-1].lineno}" if ours else "?"
    return f"{type(exc).__name__} at {where}"


def _save(out: Path, seed: int, index: int, name: str, data: bytes, report: str) -> None:
    out.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha1(data).hexdigest()[:12]
    suffix = Path(name).suffix or ".bin"
    stem = out / f"crash-{digest}"
    stem.with_suffix(suffix).write_bytes(data)
    stem.with_suffix(".txt").write_text(
        f"seed {seed} index {index} name {name}\n"
        f"replay: python scripts/fuzz.py --seed {seed} --only {index}\n\n{report}",
        encoding="utf-8",
    )


def run(seed: int, indexes: range, out: Path, timeout: float, progress: bool) -> Tally:
    logging.disable(logging.WARNING)  # pdfminer's complaints about broken PDFs
    seeds = build_seeds()
    tally = Tally()
    use_alarm = timeout > 0 and hasattr(signal, "setitimer")
    if use_alarm:
        signal.signal(signal.SIGALRM, _alarm)
    started = time.monotonic()
    for n, index in enumerate(indexes, start=1):
        name, data = draw(seed, index, seeds)
        tally.inputs += 1
        t0 = time.monotonic()
        try:
            if use_alarm:
                signal.setitimer(signal.ITIMER_REAL, timeout)
            try:
                parse_bytes(data, path=name)
            finally:
                if use_alarm:
                    signal.setitimer(signal.ITIMER_REAL, 0)
        except InputError as exc:
            tally.input_errors[exc.code] += 1
        except _Timeout:
            tally.timeouts += 1
            tally.signatures["TIMEOUT"] += 1
            _save(out, seed, index, name, data, f"took longer than {timeout} s")
        except Exception as exc:
            tally.crashes += 1
            sig = _signature(exc)
            tally.signatures[sig] += 1
            _save(out, seed, index, name, data, "".join(traceback.format_exception(exc)))
        elapsed = time.monotonic() - t0
        tally.slowest = max(tally.slowest, (elapsed, index))
        if progress and n % 2000 == 0:
            rate = n / (time.monotonic() - started)
            print(f"[{os.getpid()}] {n}/{len(indexes)} inputs, {tally.crashes} crashes, "
                  f"{rate:.0f}/s", file=sys.stderr, flush=True)
    return tally


def draw_value_case(seed: int, index: int) -> tuple[str, tuple]:
    """Input ``index`` of a value run: ("preserved" | "changed", the arguments of
    tests/meaning.py's function of that name)."""
    from meaning import CHANGING, LAYOUTS, PRESERVING

    rng = random.Random(f"values:{seed}:{index}")
    report_seed, template = rng.randrange(1_000_000), rng.choice(("2019", "2021"))
    layout = rng.choice(LAYOUTS)
    if rng.random() < 0.5:
        changes = tuple(rng.sample(PRESERVING, rng.randint(1, 3)))
        return "preserved", (report_seed, template, layout, changes)
    return "changed", (report_seed, template, layout, rng.choice(CHANGING))


def value_problems(kind: str, case: tuple) -> list[str]:
    import meaning

    if kind == "preserved":
        out, report, extra = meaning.preserved(*case)
        return meaning.preserved_problems(out, report, extra)
    result = meaning.changed(*case)
    if result is None:
        return []
    out, report, printed = result
    return meaning.silent_wrong(out, report.expected, printed)


def run_values(seed: int, indexes: range, out: Path, progress: bool) -> Tally:
    logging.disable(logging.WARNING)
    tally = Tally()
    for n, index in enumerate(indexes, start=1):
        kind, case = draw_value_case(seed, index)
        tally.inputs += 1
        try:
            problems = value_problems(kind, case)
        except Exception as exc:  # a crash counts as one too
            problems = ["".join(traceback.format_exception(exc))]
        if problems:
            tally.crashes += 1
            tally.signatures[f"wrong values ({kind})"] += 1
            out.mkdir(parents=True, exist_ok=True)
            (out / f"values-{seed}-{index}.txt").write_text(
                f"meaning.{kind}{case!r}\nreplay: python scripts/fuzz.py --values --seed {seed} "
                f"--only {index}\n\n" + "\n".join(problems) + "\n", encoding="utf-8")
        if progress and n % 200 == 0:
            print(f"[{os.getpid()}] {n}/{len(indexes)} reports, {tally.crashes} wrong",
                  file=sys.stderr, flush=True)
    return tally


def _worker(args: tuple[int, int, int, int, str, float, bool, bool]) -> Tally:
    seed, start, stop, step, out, timeout, progress, values = args
    if values:
        return run_values(seed, range(start, stop, step), Path(out), progress)
    return run(seed, range(start, stop, step), Path(out), timeout, progress)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--count", type=int, default=100_000, help="inputs to try (default 100000)")
    ap.add_argument("--seed", type=int, default=0, help="random seed of the run (default 0)")
    ap.add_argument("--jobs", type=int, default=1, help="worker processes (default 1)")
    ap.add_argument("--out", default="fuzz-crashes", help="folder for crash inputs")
    ap.add_argument("--timeout", type=float, default=10.0,
                    help="seconds one input may take before it counts as a timeout (0: none)")
    ap.add_argument("--only", type=int, help="replay input INDEX of this seed and show the error")
    ap.add_argument("--quiet", action="store_true", help="no progress lines")
    ap.add_argument("--values", action="store_true",
                    help="check values of edited generated reports instead of crashes")
    args = ap.parse_args(argv)

    if args.only is not None and args.values:
        kind, case = draw_value_case(args.seed, args.only)
        print(f"meaning.{kind}{case!r}")
        print("\n".join(value_problems(kind, case)) or "right")
        return 0
    if args.only is not None:
        name, data = draw(args.seed, args.only, build_seeds())
        print(f"{name}: {len(data)} bytes", file=sys.stderr)
        try:
            parse_bytes(data, path=name)
        except InputError as exc:
            print(f"InputError {exc.code}: {exc}")
        return 0

    out = Path(args.out)
    jobs = max(1, args.jobs)
    started = time.monotonic()
    tasks = [(args.seed, j, args.count, jobs, str(out), args.timeout, not args.quiet,
              args.values) for j in range(jobs)]
    total = Tally()
    # A kill of the run ends its workers too (the pool's exit terminates them).
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(143))
    if jobs == 1:
        total.add(_worker(tasks[0]))
    else:
        with multiprocessing.get_context("fork").Pool(jobs) as pool:
            for tally in pool.imap_unordered(_worker, tasks):
                total.add(tally)
    minutes = (time.monotonic() - started) / 60
    print(f"input errors: {dict(total.input_errors.most_common())}")
    for sig, count in total.signatures.most_common():
        print(f"  {count:6d}  {sig}")
    print(f"slowest input: {total.slowest[0]:.2f} s (index {total.slowest[1]}); "
          f"{minutes:.1f} min; crash inputs in {out}/" if total.signatures else
          f"slowest input: {total.slowest[0]:.2f} s (index {total.slowest[1]}); {minutes:.1f} min")
    if args.values:
        print(f"{total.inputs} reports, {total.crashes} with a wrong value")
        return 1 if total.crashes else 0
    print(f"{total.inputs} inputs, {total.crashes} crashes"
          + (f", {total.timeouts} timeouts" if total.timeouts else ""))
    return 1 if total.crashes or total.timeouts else 0


if __name__ == "__main__":
    raise SystemExit(main())
