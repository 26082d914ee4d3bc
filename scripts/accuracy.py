#!/usr/bin/env python3
"""Accuracy over generated reports: cells right, reports fully right and, above all, wrong
numbers, by layout.

Each report is ``tests/generate.make_report(seed, template)`` (random non-zero numbers that
obey the template's arithmetic; in the tab, Markdown and HTML layouts also with blank cells)
rendered in a layout and parsed back.  A cell is right when it equals the expected value; a
null where a value was expected is a miss (the parse says so in a diagnostic); a different
number is *wrong*, the one failure this tool must never have.

With ``--variants`` the reports take the other shapes ``make_report`` can draw instead: each
document structure in every layout, blank cells anywhere with each stub style, each header
reorder and an unmatched header in the grid layouts, the PDF-to-text habits in the text
layouts, and each title style.  There a blank (an expected null) that comes back as a number
is wrong too, unless the parser filled it from the row's arithmetic and said so (provenance
``inferred`` and a diagnostic, as the output contract allows): those are counted under
"inferred", neither right nor wrong.  "metadata right" counts reports whose title, agency and year are the ones
printed; a title-style report is fully right only when they are.

    python scripts/accuracy.py --seeds 250                # every layout, both templates
    python scripts/accuracy.py --seeds 50 --layouts wrapped,spaces
    python scripts/accuracy.py --seeds 20 --variants      # the generator's other shapes

Exits 1 when any cell is wrong.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT))

from generate import (  # noqa: E402
    BLANK_LAYOUTS,
    GRID_LAYOUTS,
    LAYOUT_FORMAT,
    LAYOUTS,
    REORDERS,
    STRUCTURES,
    STUB_STYLES,
    TEXT_LAYOUTS,
    TITLE_STYLES,
    make_report,
    render,
)

from govreport_lark import parse_bytes, report_to_dict  # noqa: E402
from govreport_lark.output.compare import compare  # noqa: E402

TEMPLATES = ("2019", "2021")
# Layouts that print the title in the characters it is expected in ("traditional" converts
# it, "wrapped" may cut it).
TITLE_LAYOUTS = ("tab", "lines", "markdown", "spaces", "html")
METADATA = ("title", "agency", "year")


def _parse(text: str, layout: str) -> dict[str, Any]:
    return report_to_dict(parse_bytes(text.encode("utf-8"), path=f"g.{LAYOUT_FORMAT[layout]}"),
                          provenance=True)


def _default(args: argparse.Namespace) -> int:
    layouts = args.layouts.split(",")
    stats: dict[str, Counter] = {layout: Counter() for layout in layouts}
    for layout in layouts:
        for template in TEMPLATES:
            for seed in range(args.seeds):
                for blanks in (False, True) if layout in BLANK_LAYOUTS else (False,):
                    report = make_report(seed, template, blanks=blanks)
                    out = _parse(render(report, layout, seed=seed), layout)
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


# --------------------------------------------------------------------------- variants


def _variants() -> Iterator[tuple[str, str, dict[str, Any]]]:
    """(name, layout, make_report keywords) for every generated set measured."""
    for structure in STRUCTURES:
        if structure != "template":
            for layout in LAYOUTS:
                yield f"structure={structure} {layout}", layout, {"structure": structure}
    for stubs in STUB_STYLES:
        for layout in GRID_LAYOUTS:
            yield (f"blanks=anywhere stubs={stubs} {layout}", layout,
                   {"blanks": "anywhere", "stubs": stubs})
    for name in REORDERS:
        for layout in GRID_LAYOUTS:
            yield f"reorder={name} {layout}", layout, {"reorder": (name,)}
    for layout in GRID_LAYOUTS:
        yield f"unmatched_header {layout}", layout, {"unmatched_header": True}
    for layout in TEXT_LAYOUTS:
        yield f"pdf_habits {layout}", layout, {"pdf_habits": True}
    for title_style in TITLE_STYLES:
        if title_style != "plain":
            for layout in TITLE_LAYOUTS:
                yield f"title_style={title_style} {layout}", layout, {"title_style": title_style}


def _cells(out: dict[str, Any], expected: dict[str, Any]) -> Iterator[tuple[str, Any, Any]]:
    """(where, expected, got) for every table cell the expected values name."""
    for item, rows in expected["active_disclosure"].items():
        got_item = (out.get("active_disclosure") or {}).get(item) or {}
        for row, cells in rows.items():
            if row == "extra":
                for label, extra in cells.items():
                    got_extra = (got_item.get("extra") or {}).get(label) or {}
                    for column, want in extra.items():
                        yield f"{item}.extra.{label}.{column}", want, got_extra.get(column)
                continue
            got_row = got_item.get(row) or {}
            for column, want in cells.items():
                yield f"{item}.{row}.{column}", want, got_row.get(column)
    got_rows = (out.get("applications") or {}).get("rows") or {}
    for row, cells in expected["applications"]["rows"].items():
        got = got_rows.get(row) or []
        for i, want in enumerate(cells):
            yield f"applications.{row}[{i}]", want, got[i] if i < len(got) else None
    for group, cells in expected["review_litigation"].items():
        got_group = (out.get("review_litigation") or {}).get(group) or {}
        for name, want in cells.items():
            yield f"review_litigation.{group}.{name}", want, got_group.get(name)


def _inferred(out: dict, where: str) -> bool:
    """Whether the cell at ``where`` (as ``_cells`` names it) was filled from the arithmetic."""
    prov = out.get("provenance") or {}
    if where.startswith("applications."):
        row, _, index = where[len("applications."):].rstrip("]").partition("[")
        cells = (prov.get("applications") or {}).get(row) or []
        return int(index) < len(cells) and bool(cells[int(index)].get("inferred"))
    if where.startswith("review_litigation."):
        _, group, name = where.split(".")
        return bool(((prov.get("review_litigation") or {}).get(group) or {}).get(name, {})
                    .get("inferred"))
    return False


def _measure(args: argparse.Namespace) -> int:
    stats: dict[str, Counter] = {}
    for name, layout, options in _variants():
        s = stats[name] = Counter()
        for template in TEMPLATES:
            for seed in range(args.seeds):
                report = make_report(seed, template, **options)
                out = _parse(render(report, layout, seed=seed), layout)
                fields = compare(out, report.expected).differences
                fields = [d for d in fields if d.split(":", 1)[0] in
                          ("title", "agency", "year", "template", "published")]
                metadata = all(out.get(key) == report.expected[key] for key in METADATA)
                right = wrong = cells = 0
                for where, want, got in _cells(out, report.expected):
                    cells += 1
                    if got == want:
                        right += 1
                    elif want is None and _inferred(out, where):
                        # A blank filled from the row's arithmetic, flagged in provenance and
                        # a diagnostic (output contract): not right, not wrong.
                        s["inferred"] += 1
                    elif got is not None:
                        wrong += 1
                        print(f"WRONG {name} {template} seed={seed}: {where}: "
                              f"expected {want!r}, got {got!r}")
                s["reports"] += 1
                s["exact"] += right == cells and not fields and metadata
                s["metadata"] += metadata
                s["cells"] += cells
                s["right"] += right
                s["wrong"] += wrong
    width = max(len(name) for name in stats)
    print(f"{'variant':<{width}} {'reports':>8} {'fully right':>12} {'metadata right':>15} "
          f"{'cells right':>16} {'inferred':>9} {'wrong':>6}")
    for name, s in stats.items():
        print(f"{name:<{width}} {s['reports']:>8} {s['exact']:>12} {s['metadata']:>15} "
              f"{s['right']:>8}/{s['cells']:<7} {s['inferred']:>9} {s['wrong']:>6}")
    return 1 if any(s["wrong"] for s in stats.values()) else 0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--seeds", type=int, default=100, help="seeds per layout and template")
    ap.add_argument("--layouts", default=",".join(LAYOUTS), help="comma-separated layouts")
    ap.add_argument("--variants", action="store_true",
                    help="measure the generator's other shapes instead of the plain layouts")
    args = ap.parse_args(argv)
    return _measure(args) if args.variants else _default(args)


if __name__ == "__main__":
    sys.exit(main())
