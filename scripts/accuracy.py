#!/usr/bin/env python3
"""Accuracy over generated reports: cells right, reports fully right and, above all, wrong
numbers, by layout.

Each report is ``tests/generate.make_report(seed, template)`` (random non-zero numbers that
obey the template's arithmetic; in the tab, Markdown and HTML layouts also with blank cells)
rendered in a layout and parsed back.  A cell is right when it equals the expected value; a
null where a value was expected is a miss (the parse says so in a diagnostic); a different
number is *wrong*, the one failure this tool must never have.

    python scripts/accuracy.py --seeds 250                # every layout, both templates
    python scripts/accuracy.py --seeds 50 --layouts wrapped,spaces

Exits 1 when any cell is wrong.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT))

from generate import BLANK_LAYOUTS, LAYOUT_FORMAT, LAYOUTS, make_report, render  # noqa: E402

from govreport_lark import parse_bytes, report_to_dict  # noqa: E402
from govreport_lark.compare import compare  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--seeds", type=int, default=100, help="seeds per layout and template")
    ap.add_argument("--layouts", default=",".join(LAYOUTS), help="comma-separated layouts")
    args = ap.parse_args(argv)
    layouts = args.layouts.split(",")
    stats: dict[str, Counter] = {layout: Counter() for layout in layouts}
    for layout in layouts:
        for template in ("2019", "2021"):
            for seed in range(args.seeds):
                for blanks in (False, True) if layout in BLANK_LAYOUTS else (False,):
                    report = make_report(seed, template, blanks=blanks)
                    data = render(report, layout, seed=seed).encode("utf-8")
                    out = report_to_dict(parse_bytes(data, path=f"g.{LAYOUT_FORMAT[layout]}"))
                    result = compare(out, report.expected)
                    wrong = [d for d in result.differences if "got None" not in d]
                    s = stats[layout]
                    s["reports"] += 1
                    s["exact"] += not result.differences
                    s["cells"] += result.cells
                    s["right"] += result.right
                    s["wrong"] += len(wrong)
                    for difference in wrong:
                        print(f"WRONG {layout} {template} seed={seed} blanks={blanks}: "
                              f"{difference}")
    print(f"{'layout':<12} {'reports':>8} {'fully right':>12} {'cells right':>16} {'wrong':>6}")
    for layout, s in stats.items():
        print(f"{layout:<12} {s['reports']:>8} {s['exact']:>12} "
              f"{s['right']:>8}/{s['cells']:<7} {s['wrong']:>6}")
    return 1 if any(s["wrong"] for s in stats.values()) else 0


if __name__ == "__main__":
    sys.exit(main())
